// SecretBytes: key material and other secrets. Zeroised on destruction (OPENSSL_cleanse), never
// printable (no operator<<, no implicit conversion to string or Bytes), copied only explicitly.
//
// Thread safety: like std::vector (const access from several threads is safe).
#ifndef ACCORD_CRYPTO_SECRET_H_
#define ACCORD_CRYPTO_SECRET_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/bytes.h"

namespace accord::crypto {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t size) : data_(size) {}
  explicit SecretBytes(BytesView data) : data_(data.begin(), data.end()) {}
  // Takes ownership and the caller's buffer is cleared.
  static SecretBytes Adopt(Bytes&& data);
  ~SecretBytes();

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes Clone() const { return SecretBytes(view()); }

  BytesView view() const { return BytesView(data_.data(), data_.size()); }
  uint8_t* data() { return data_.data(); }
  const uint8_t* data() const { return data_.data(); }
  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  // Shrinks (zeroising the dropped tail); never grows.
  void Truncate(size_t size);

 private:
  void Wipe();
  std::vector<uint8_t> data_;
};

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_SECRET_H_
