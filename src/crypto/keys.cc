// Curve names and PublicKey (import, validation, export). PrivateKey is in private_key.cc.
#include "crypto/keys.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <array>
#include <climits>

#include "crypto/internal/evp_cache.h"
#include "crypto/internal/key_util.h"
#include "crypto/internal/public_key_cache.h"
#include "crypto/internal/ssl_ptr.h"

namespace accord::crypto {

using internal::ClearSslErrors;
using internal::SslPtr;

std::string_view CurveName(Curve curve) {
  switch (curve) {
    case Curve::kP256:
      return "P-256";
    case Curve::kP384:
      return "P-384";
    case Curve::kP521:
      return "P-521";
    case Curve::kEd25519:
      return "Ed25519";
    case Curve::kX25519:
      return "X25519";
    case Curve::kNone:
      break;
  }
  return "";
}

Result<Curve> CurveFromName(std::string_view name) {
  for (Curve c : {Curve::kP256, Curve::kP384, Curve::kP521, Curve::kEd25519, Curve::kX25519}) {
    if (name == CurveName(c)) return c;
  }
  return InvalidArgument("unsupported curve", "unsupported_key");
}

size_t CurveFieldSize(Curve curve) {
  switch (curve) {
    case Curve::kP256:
      return 32;
    case Curve::kP384:
      return 48;
    case Curve::kP521:
      return 66;
    case Curve::kEd25519:
    case Curve::kX25519:
      return 32;
    case Curve::kNone:
      break;
  }
  return 0;
}

namespace {

const char* OkpTypeName(Curve curve) { return curve == Curve::kEd25519 ? "ED25519" : "X25519"; }

Result<SslPtr<EVP_PKEY>> EcPublicFromComponents(const PublicComponents& c) {
  const char* group = internal::EcGroupName(c.curve);
  if (group == nullptr) return InvalidArgument("EC key on an unsupported curve", "unsupported_key");
  const size_t field = CurveFieldSize(c.curve);
  if (c.x.size() != field || c.y.size() != field) {
    return InvalidArgument("EC coordinates must have the curve's field length", "invalid_key");
  }
  Bytes point;
  point.reserve(1 + 2 * field);
  point.push_back(0x04);  // uncompressed
  point.insert(point.end(), c.x.begin(), c.x.end());
  point.insert(point.end(), c.y.begin(), c.y.end());
  SslPtr<OSSL_PARAM_BLD> bld(OSSL_PARAM_BLD_new());
  if (bld == nullptr ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return ClearSslErrors(Internal("cannot build EC parameters"));
  }
  SslPtr<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (params == nullptr) return ClearSslErrors(Internal("cannot build EC parameters"));
  // The import itself rejects points that are not on the curve; CheckPublicKey repeats it.
  return internal::KeyFromData("EC", EVP_PKEY_PUBLIC_KEY, params.get());
}

Result<SslPtr<EVP_PKEY>> RsaPublicFromComponents(const PublicComponents& c) {
  if (c.curve != Curve::kNone) return InvalidArgument("RSA key with a curve", "invalid_key");
  if (c.n.empty() || c.e.empty() || c.n.size() > internal::kMaxRsaBits / 8 + 1 || c.e.size() > 64) {
    return InvalidArgument("RSA modulus or exponent missing or oversized", "invalid_key");
  }
  SslPtr<BIGNUM> n = internal::BnFromBytes(c.n, false);
  SslPtr<BIGNUM> e = internal::BnFromBytes(c.e, false);
  SslPtr<OSSL_PARAM_BLD> bld(OSSL_PARAM_BLD_new());
  if (n == nullptr || e == nullptr || bld == nullptr ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return ClearSslErrors(Internal("cannot build RSA parameters"));
  }
  SslPtr<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (params == nullptr) return ClearSslErrors(Internal("cannot build RSA parameters"));
  return internal::KeyFromData("RSA", EVP_PKEY_PUBLIC_KEY, params.get());
}

Result<SslPtr<EVP_PKEY>> OkpPublicFromComponents(const PublicComponents& c) {
  if (c.curve != Curve::kEd25519 && c.curve != Curve::kX25519) {
    return InvalidArgument("OKP key on an unsupported curve", "unsupported_key");
  }
  if (c.x.size() != CurveFieldSize(c.curve)) {
    return InvalidArgument("OKP public key must be 32 bytes", "invalid_key");
  }
  SslPtr<EVP_PKEY> pkey(EVP_PKEY_new_raw_public_key_ex(nullptr, OkpTypeName(c.curve), nullptr,
                                                       c.x.data(), c.x.size()));
  if (pkey == nullptr) return ClearSslErrors(InvalidArgument("invalid OKP key", "invalid_key"));
  return pkey;
}

}  // namespace

Result<PublicKey> PublicKey::FromComponents(const PublicComponents& c) {
  // A key already built from exactly these components passed every check below; reuse it
  // (internal/public_key_cache.h).
  const std::string cache_key = internal::PublicKeyCacheKey(c);
  if (!cache_key.empty()) {
    if (std::shared_ptr<EVP_PKEY> cached = internal::FindCachedPublicKey(cache_key)) {
      return PublicKey(std::move(cached), c.type, c.curve);
    }
  }
  Result<SslPtr<EVP_PKEY>> pkey = InvalidArgument("unsupported key type", "unsupported_key");
  switch (c.type) {
    case KeyType::kEc:
      pkey = EcPublicFromComponents(c);
      break;
    case KeyType::kRsa:
      pkey = RsaPublicFromComponents(c);
      break;
    case KeyType::kOkp:
      pkey = OkpPublicFromComponents(c);
      break;
  }
  if (!pkey.ok()) return pkey.status();
  ACCORD_RETURN_IF_ERROR(internal::CheckPublicKey(pkey->get(), c.type, c.curve));
  std::shared_ptr<EVP_PKEY> shared = internal::SharePkey(std::move(*pkey));
  if (!cache_key.empty()) internal::CachePublicKey(cache_key, shared);
  return PublicKey(std::move(shared), c.type, c.curve);
}

Result<PublicKey> PublicKey::FromPem(std::string_view pem) {
  ACCORD_RETURN_IF_ERROR(internal::CheckPemLabel(pem, "PUBLIC KEY"));
  SslPtr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return ClearSslErrors(Internal("BIO_new_mem_buf failed"));
  SslPtr<EVP_PKEY> pkey(PEM_read_bio_PUBKEY_ex(bio.get(), nullptr, nullptr, nullptr, nullptr, nullptr));
  if (pkey == nullptr) return ClearSslErrors(InvalidArgument("malformed public key PEM", "bad_pem"));
  ACCORD_ASSIGN_OR_RETURN(auto id, internal::IdentifyKey(pkey.get()));
  ACCORD_RETURN_IF_ERROR(internal::CheckPublicKey(pkey.get(), id.first, id.second));
  return PublicKey(internal::SharePkey(std::move(pkey)), id.first, id.second);
}

int PublicKey::bits() const { return EVP_PKEY_get_bits(pkey_.get()); }

PublicComponents PublicKey::Components() const {
  PublicComponents c{type_, curve_, {}, {}, {}, {}};
  bool ok = false;
  switch (type_) {
    case KeyType::kEc: {
      // One read of the encoded point (0x04 || x || y) instead of two BIGNUM reads, each of
      // which converts the point to affine coordinates again; the BIGNUM path stays for a key
      // OpenSSL keeps in compressed form.
      const size_t field = CurveFieldSize(curve_);
      std::array<uint8_t, 1 + 2 * 66> point{};
      size_t len = 0;
      if (EVP_PKEY_get_octet_string_param(pkey_.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                          point.size(), &len) == 1 &&
          len == 1 + 2 * field && point[0] == 0x04) {
        c.x.assign(point.begin() + 1, point.begin() + 1 + field);
        c.y.assign(point.begin() + 1 + field, point.begin() + len);
        ok = true;
        break;
      }
      ERR_clear_error();
      ok = internal::GetBnParam(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_X, field, &c.x) &&
           internal::GetBnParam(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, field, &c.y);
      break;
    }
    case KeyType::kRsa:
      ok = internal::GetBnParam(pkey_.get(), OSSL_PKEY_PARAM_RSA_N, 0, &c.n) &&
           internal::GetBnParam(pkey_.get(), OSSL_PKEY_PARAM_RSA_E, 0, &c.e);
      break;
    case KeyType::kOkp: {
      size_t len = 32;
      c.x.resize(len);
      ok = EVP_PKEY_get_raw_public_key(pkey_.get(), c.x.data(), &len) == 1 && len == 32;
      break;
    }
  }
  // Every key here passed validation on construction, so its components are readable.
  if (!ok) internal::FatalSslError("reading public key components");
  return c;
}

std::string PublicKey::ToPem() const {
  SslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_PUBKEY(bio.get(), pkey_.get()) != 1) {
    internal::FatalSslError("PEM_write_bio_PUBKEY");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

bool PublicKey::Equals(const PublicKey& other) const {
  if (type_ != other.type_ || curve_ != other.curve_) return false;
  const bool equal = EVP_PKEY_eq(pkey_.get(), other.pkey_.get()) == 1;
  ERR_clear_error();
  return equal;
}

}  // namespace accord::crypto
