#include "crypto/key_agreement.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>

#include "crypto/internal/evp_cache.h"
#include "crypto/internal/key_util.h"
#include "crypto/internal/ssl_ptr.h"

namespace accord::crypto {

using internal::ClearSslErrors;
using internal::SslPtr;

namespace {

constexpr size_t kMaxConcatKdfOutput = 64 * 32;

bool IsAgreementCurve(Curve curve) {
  return curve == Curve::kP256 || curve == Curve::kP384 || curve == Curve::kP521 ||
         curve == Curve::kX25519;
}

}  // namespace

Result<SecretBytes> Ecdh(const PrivateKey& mine, const PublicKey& peer) {
  if (!IsAgreementCurve(mine.curve())) {
    return InvalidArgument("key cannot be used for key agreement", "unsupported_key");
  }
  if (mine.type() != peer.type() || mine.curve() != peer.curve()) {
    return InvalidArgument("peer key is on a different curve", "curve_mismatch");
  }
  SslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, mine.evp(), nullptr));
  if (ctx == nullptr || EVP_PKEY_derive_init(ctx.get()) != 1) {
    return ClearSslErrors(Internal("key agreement setup failed"));
  }
  // validate_peer = 0: every PublicKey was validated when it was built (keys.h), so checking the
  // point again here would only repeat that work on every decryption.
  if (EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.evp(), 0) != 1) {
    return ClearSslErrors(InvalidArgument("invalid peer public key", "invalid_key"));
  }
  size_t len = 0;
  if (EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1 || len == 0 || len > 66) {
    return ClearSslErrors(Internal("key agreement failed"));
  }
  SecretBytes shared(len);
  if (EVP_PKEY_derive(ctx.get(), shared.data(), &len) != 1) {
    // OpenSSL refuses an all-zero X25519 result itself; either way the peer point is unusable.
    return ClearSslErrors(InvalidArgument("key agreement failed for this peer key", "invalid_key"));
  }
  shared.Truncate(len);
  if (mine.curve() == Curve::kX25519) {
    // RFC 7748 section 6.1: an all-zero output means a small-order peer point.
    uint8_t acc = 0;
    for (uint8_t b : shared.view()) acc |= b;
    if (acc == 0) return InvalidArgument("X25519 peer key has small order", "invalid_key");
  }
  return shared;
}

Result<SecretBytes> ConcatKdfSha256(BytesView shared_secret, size_t key_length, BytesView other_info) {
  if (key_length == 0 || key_length > kMaxConcatKdfOutput) {
    return OutOfRange("Concat KDF output length out of range", "too_large");
  }
  SslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  if (ctx == nullptr) internal::FatalSslError("EVP_MD_CTX_new");
  SecretBytes out(key_length);
  std::array<uint8_t, 32> block;
  size_t written = 0;
  for (uint32_t counter = 1; written < key_length; ++counter) {
    const std::array<uint8_t, 4> be{static_cast<uint8_t>(counter >> 24),
                                    static_cast<uint8_t>(counter >> 16),
                                    static_cast<uint8_t>(counter >> 8),
                                    static_cast<uint8_t>(counter)};
    unsigned int len = 0;
    if (EVP_DigestInit_ex2(ctx.get(), internal::Sha256Md(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), be.data(), be.size()) != 1 ||
        EVP_DigestUpdate(ctx.get(), shared_secret.data(), shared_secret.size()) != 1 ||
        EVP_DigestUpdate(ctx.get(), other_info.data(), other_info.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), block.data(), &len) != 1) {
      internal::FatalSslError("SHA-256");
    }
    const size_t take = std::min(block.size(), key_length - written);
    std::copy_n(block.begin(), take, out.data() + written);
    written += take;
  }
  OPENSSL_cleanse(block.data(), block.size());
  return out;
}

}  // namespace accord::crypto
