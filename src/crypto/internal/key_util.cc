#include "crypto/internal/key_util.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include <array>
#include <string>

namespace accord::crypto::internal {

void SecretParamsDeleter::operator()(OSSL_PARAM* params) const {
  if (params == nullptr) return;
  for (OSSL_PARAM* p = params; p->key != nullptr; ++p) {
    if (p->data != nullptr && p->data_size > 0) OPENSSL_cleanse(p->data, p->data_size);
  }
  OSSL_PARAM_free(params);
}

Status ClearSslErrors(Status status) {
  ERR_clear_error();
  return status;
}

const char* EcGroupName(Curve curve) {
  switch (curve) {
    case Curve::kP256:
      return "prime256v1";
    case Curve::kP384:
      return "secp384r1";
    case Curve::kP521:
      return "secp521r1";
    default:
      return nullptr;
  }
}

Result<std::pair<KeyType, Curve>> IdentifyKey(const EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "RSA")) return std::pair{KeyType::kRsa, Curve::kNone};
  if (EVP_PKEY_is_a(pkey, "ED25519")) return std::pair{KeyType::kOkp, Curve::kEd25519};
  if (EVP_PKEY_is_a(pkey, "X25519")) return std::pair{KeyType::kOkp, Curve::kX25519};
  if (EVP_PKEY_is_a(pkey, "EC")) {
    std::array<char, 64> group{};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(),
                                       &len) == 1) {
      const std::string_view name(group.data(), len);
      for (Curve c : {Curve::kP256, Curve::kP384, Curve::kP521}) {
        if (name == EcGroupName(c)) return std::pair{KeyType::kEc, c};
      }
    }
    return ClearSslErrors(InvalidArgument("unsupported EC curve", "unsupported_key"));
  }
  return ClearSslErrors(InvalidArgument("unsupported key type", "unsupported_key"));
}

Status CheckPublicKey(EVP_PKEY* pkey, KeyType type, Curve curve) {
  (void)curve;
  switch (type) {
    case KeyType::kEc: {
      // The quick check (point in range, on the curve, not at infinity) is complete for P-256,
      // P-384 and P-521: their cofactor is 1, so the full check's extra n*Q == O scalar
      // multiplication adds nothing but ~40% of an ECDH-ES decryption's cost.
      SslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
      if (ctx == nullptr || EVP_PKEY_public_check_quick(ctx.get()) != 1) {
        return ClearSslErrors(InvalidArgument("EC public key is not a valid point on its curve",
                                              "invalid_key"));
      }
      return Status::Ok();
    }
    case KeyType::kRsa: {
      const int bits = EVP_PKEY_get_bits(pkey);
      if (bits < kMinRsaBits) {
        return InvalidArgument("RSA modulus shorter than 2048 bits", "weak_key");
      }
      if (bits > kMaxRsaBits) {
        return InvalidArgument("RSA modulus longer than 8192 bits", "unsupported_key");
      }
      BIGNUM* raw_e = nullptr;
      if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &raw_e) != 1) {
        return ClearSslErrors(InvalidArgument("RSA key without a public exponent", "invalid_key"));
      }
      SslPtr<BIGNUM> e(raw_e);
      if (!BN_is_odd(e.get()) || BN_is_one(e.get())) {
        return InvalidArgument("RSA public exponent must be odd and at least 3", "invalid_key");
      }
      return Status::Ok();
    }
    case KeyType::kOkp:
      return Status::Ok();
  }
  return InvalidArgument("unsupported key type", "unsupported_key");
}

Result<SslPtr<EVP_PKEY>> KeyFromData(const char* type_name, int selection, OSSL_PARAM* params) {
  SslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type_name, nullptr));
  EVP_PKEY* raw = nullptr;
  if (ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, selection, params) != 1) {
    return ClearSslErrors(InvalidArgument("key components rejected", "invalid_key"));
  }
  return SslPtr<EVP_PKEY>(raw);
}

Result<SslPtr<EVP_PKEY>> PublicOnly(EVP_PKEY* pkey, KeyType type) {
  if (type == KeyType::kOkp) {
    std::array<uint8_t, 32> raw{};
    size_t len = raw.size();
    if (EVP_PKEY_get_raw_public_key(pkey, raw.data(), &len) != 1 || len != raw.size()) {
      return ClearSslErrors(Internal("cannot read raw public key"));
    }
    SslPtr<EVP_PKEY> pub(EVP_PKEY_new_raw_public_key_ex(
        nullptr, EVP_PKEY_is_a(pkey, "ED25519") ? "ED25519" : "X25519", nullptr, raw.data(), len));
    if (pub == nullptr) return ClearSslErrors(Internal("cannot build public key"));
    return pub;
  }
  OSSL_PARAM* raw_params = nullptr;
  if (EVP_PKEY_todata(pkey, EVP_PKEY_PUBLIC_KEY, &raw_params) != 1) {
    return ClearSslErrors(Internal("cannot export public key"));
  }
  SslPtr<OSSL_PARAM> params(raw_params);
  return KeyFromData(type == KeyType::kEc ? "EC" : "RSA", EVP_PKEY_PUBLIC_KEY, params.get());
}

bool GetBnParam(const EVP_PKEY* pkey, const char* name, size_t pad_to, Bytes* out) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
    ERR_clear_error();
    return false;
  }
  SslPtr<BIGNUM> bn(raw);
  const size_t len = static_cast<size_t>(BN_num_bytes(bn.get()));
  const size_t size = pad_to == 0 ? len : pad_to;
  if (len > size) return false;
  out->assign(size, 0);
  return BN_bn2binpad(bn.get(), out->data(), static_cast<int>(size)) == static_cast<int>(size);
}

SslPtr<BIGNUM> BnFromBytes(BytesView bytes, bool secure) {
  SslPtr<BIGNUM> bn(secure ? BN_secure_new() : BN_new());
  if (bn == nullptr) return nullptr;
  if (BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), bn.get()) == nullptr) return nullptr;
  return bn;
}

namespace {

std::string_view Trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

Status CheckPemLabel(std::string_view pem, std::string_view label) {
  if (pem.size() > kMaxPemSize) return OutOfRange("PEM input too large", "too_large");
  const std::string begin = "-----BEGIN " + std::string(label) + "-----";
  const std::string end = "-----END " + std::string(label) + "-----";
  const std::string_view body = Trim(pem);
  if (body.size() < begin.size() + end.size() || body.substr(0, begin.size()) != begin ||
      body.substr(body.size() - end.size()) != end ||
      body.substr(begin.size(), body.size() - begin.size() - end.size()).find("-----") !=
          std::string_view::npos) {
    return InvalidArgument("expected a single PEM block labelled " + std::string(label), "bad_pem");
  }
  return Status::Ok();
}

}  // namespace accord::crypto::internal
