#include "crypto/secret.h"

#include <openssl/crypto.h>

#include <utility>

namespace accord::crypto {

SecretBytes SecretBytes::Adopt(Bytes&& data) {
  SecretBytes secret;
  // Moving the vector hands over its buffer: no copy of the secret is made, and the caller's vector
  // is left empty.
  secret.data_ = std::move(data);
  data.clear();
  data.shrink_to_fit();
  return secret;
}

SecretBytes::~SecretBytes() { Wipe(); }

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : data_(std::move(other.data_)) {
  other.data_.clear();
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe();
    data_ = std::move(other.data_);
    other.data_.clear();
  }
  return *this;
}

void SecretBytes::Truncate(size_t size) {
  if (size >= data_.size()) return;
  OPENSSL_cleanse(data_.data() + size, data_.size() - size);
  data_.resize(size);
}

void SecretBytes::Wipe() {
  if (!data_.empty()) OPENSSL_cleanse(data_.data(), data_.size());
  data_.clear();
}

}  // namespace accord::crypto
