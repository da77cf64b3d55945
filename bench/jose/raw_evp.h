// The raw OpenSSL 3 EVP baselines jose_bench compares the JOSE layer with: the same keys (through
// crypto::PrivateKey/PublicKey::evp()) and the same bytes, with everything that can be prepared
// ahead (decoding, DER conversion, header parsing, algorithm fetches) done once outside the timed
// loop, so that the difference is what the JOSE layer adds per token.
//
// Thread safety: the objects are immutable after construction; use one per benchmark thread.
#ifndef ACCORD_BENCH_JOSE_RAW_EVP_H_
#define ACCORD_BENCH_JOSE_RAW_EVP_H_

#include <openssl/evp.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "crypto/keys.h"

namespace accord::bench {

struct EvpMdDeleter {
  void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};
struct EvpCipherDeleter {
  void operator()(EVP_CIPHER* c) const { EVP_CIPHER_free(c); }
};
struct EvpMacDeleter {
  void operator()(EVP_MAC* m) const { EVP_MAC_free(m); }
};

// Signatures: `signing_input` is ASCII(header.payload); `signature` is what EVP expects (DER for
// ECDSA, raw for EdDSA and RSA-PSS).
enum class RawSigKind { kEcdsaSha256, kEd25519, kRsaPssSha256 };

class RawSigner {
 public:
  RawSigner(RawSigKind kind, const crypto::PrivateKey& key);
  // Signs and returns the signature length (0 on failure).
  size_t Sign(BytesView signing_input) const;

 private:
  RawSigKind kind_;
  EVP_PKEY* pkey_;
  std::unique_ptr<EVP_MD, EvpMdDeleter> md_;
};

class RawVerifier {
 public:
  RawVerifier(RawSigKind kind, const crypto::PublicKey& key);
  bool Verify(BytesView signing_input, BytesView signature) const;

 private:
  RawSigKind kind_;
  EVP_PKEY* pkey_;
  std::unique_ptr<EVP_MD, EvpMdDeleter> md_;
};

// Converts a JOSE ES256 signature (r || s, 64 bytes) to DER; empty on failure.
Bytes JoseEcdsaToDer(BytesView raw);

// ECDH-ES+A256KW with A256CBC-HS512, done by hand: ECDH derive, Concat KDF (SHA-256), AES-256 key
// unwrap, HMAC-SHA-512 tag check and AES-256-CBC decryption.
class RawEcdhEsA256KwCbcHs512Decrypter {
 public:
  // Prepares from a compact JWE made for `key` (decodes the segments and the epk once).
  // ok() is false if the token does not have the expected shape.
  RawEcdhEsA256KwCbcHs512Decrypter(const crypto::PrivateKey& key, std::string_view compact);
  bool ok() const { return ok_; }
  // Decrypts into `plaintext`; false when any step fails.
  bool Decrypt(Bytes* plaintext) const;

 private:
  bool ok_ = false;
  EVP_PKEY* pkey_;
  Bytes other_info_, encrypted_key_, iv_, ciphertext_, tag_, aad_;
  std::unique_ptr<EVP_MD, EvpMdDeleter> sha256_;
  std::unique_ptr<EVP_CIPHER, EvpCipherDeleter> wrap_, cbc_;
  std::unique_ptr<EVP_MAC, EvpMacDeleter> hmac_;
  std::optional<crypto::PublicKey> epk_key_;
};

}  // namespace accord::bench

#endif  // ACCORD_BENCH_JOSE_RAW_EVP_H_
