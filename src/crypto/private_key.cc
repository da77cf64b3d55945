// PrivateKey: generation, import (components, PKCS#8 PEM) with private/public consistency checks,
// and the explicitly named exports.
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <array>

#include "crypto/constant_time.h"
#include "crypto/internal/evp_cache.h"
#include "crypto/internal/key_util.h"
#include "crypto/internal/ssl_ptr.h"
#include "crypto/keys.h"

namespace accord::crypto {

using internal::ClearSslErrors;
using internal::SslPtr;

namespace {

const char* OkpTypeName(Curve curve) { return curve == Curve::kEd25519 ? "ED25519" : "X25519"; }

Result<SslPtr<EVP_PKEY>> Generate(const char* type_name, const char* group, int rsa_bits) {
  SslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type_name, nullptr));
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      (group != nullptr && EVP_PKEY_CTX_set_group_name(ctx.get(), group) != 1) ||
      (rsa_bits != 0 && EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), rsa_bits) != 1)) {
    return ClearSslErrors(Internal("key generation setup failed"));
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(ctx.get(), &raw) != 1) {
    return ClearSslErrors(Internal("key generation failed"));
  }
  return SslPtr<EVP_PKEY>(raw);
}

// EVP_PKEY_pairwise_check validates the public part, the private part and that they match
// (for EC: d in [1, n-1] and Q == d*G; for RSA: SP 800-56B key-pair checks).
Status CheckPairwise(EVP_PKEY* pkey) {
  SslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (ctx == nullptr || EVP_PKEY_pairwise_check(ctx.get()) != 1) {
    return ClearSslErrors(
        InvalidArgument("private key is invalid or does not match its public key", "invalid_key"));
  }
  return Status::Ok();
}

// Never prompts: encrypted PEM is rejected (only unencrypted PKCS#8 is accepted).
int NoPassword(char*, int, int, void*) { return -1; }

SecretBytes SecretBnParam(const EVP_PKEY* pkey, const char* name, size_t pad_to) {
  Bytes out;
  if (!internal::GetBnParam(pkey, name, pad_to, &out)) {
    internal::FatalSslError("reading private key component");
  }
  return SecretBytes::Adopt(std::move(out));
}

Result<SslPtr<EVP_PKEY>> EcPrivateFromComponents(const PrivateComponents& c) {
  const char* group = internal::EcGroupName(c.pub.curve);
  if (group == nullptr) return InvalidArgument("EC key on an unsupported curve", "unsupported_key");
  const size_t field = CurveFieldSize(c.pub.curve);
  if (c.pub.x.size() != field || c.pub.y.size() != field || c.d.size() != field) {
    return InvalidArgument("EC key components must have the curve's field length", "invalid_key");
  }
  Bytes point{0x04};
  point.insert(point.end(), c.pub.x.begin(), c.pub.x.end());
  point.insert(point.end(), c.pub.y.begin(), c.pub.y.end());
  SslPtr<BIGNUM> d = internal::BnFromBytes(c.d.view(), true);
  SslPtr<OSSL_PARAM_BLD> bld(OSSL_PARAM_BLD_new());
  if (d == nullptr || bld == nullptr ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1) {
    return ClearSslErrors(Internal("cannot build EC parameters"));
  }
  internal::SecretParamsPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (params == nullptr) return ClearSslErrors(Internal("cannot build EC parameters"));
  return internal::KeyFromData("EC", EVP_PKEY_KEYPAIR, params.get());
}

Result<SslPtr<EVP_PKEY>> RsaPrivateFromComponents(const PrivateComponents& c) {
  const size_t max = internal::kMaxRsaBits / 8 + 1;
  if (c.pub.n.empty() || c.pub.e.empty() || c.pub.n.size() > max || c.pub.e.size() > 64 ||
      c.d.empty() || c.d.size() > max) {
    return InvalidArgument("RSA key components missing or oversized", "invalid_key");
  }
  for (const SecretBytes* part : {&c.p, &c.q, &c.dp, &c.dq, &c.qi}) {
    if (part->empty() || part->size() > max) {
      return InvalidArgument("RSA private key needs all CRT parameters (p, q, dp, dq, qi)",
                             "unsupported_key");
    }
  }
  SslPtr<OSSL_PARAM_BLD> bld(OSSL_PARAM_BLD_new());
  SslPtr<BIGNUM> n = internal::BnFromBytes(c.pub.n, false);
  SslPtr<BIGNUM> e = internal::BnFromBytes(c.pub.e, false);
  const std::array<std::pair<const char*, const SecretBytes*>, 6> secret_parts{{
      {OSSL_PKEY_PARAM_RSA_D, &c.d},
      {OSSL_PKEY_PARAM_RSA_FACTOR1, &c.p},
      {OSSL_PKEY_PARAM_RSA_FACTOR2, &c.q},
      {OSSL_PKEY_PARAM_RSA_EXPONENT1, &c.dp},
      {OSSL_PKEY_PARAM_RSA_EXPONENT2, &c.dq},
      {OSSL_PKEY_PARAM_RSA_COEFFICIENT1, &c.qi},
  }};
  std::array<SslPtr<BIGNUM>, 6> secret_bns;
  bool ok = bld != nullptr && n != nullptr && e != nullptr &&
            OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) == 1 &&
            OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) == 1;
  for (size_t i = 0; ok && i < secret_parts.size(); ++i) {
    secret_bns[i] = internal::BnFromBytes(secret_parts[i].second->view(), true);
    ok = secret_bns[i] != nullptr &&
         OSSL_PARAM_BLD_push_BN(bld.get(), secret_parts[i].first, secret_bns[i].get()) == 1;
  }
  if (!ok) return ClearSslErrors(Internal("cannot build RSA parameters"));
  internal::SecretParamsPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (params == nullptr) return ClearSslErrors(Internal("cannot build RSA parameters"));
  return internal::KeyFromData("RSA", EVP_PKEY_KEYPAIR, params.get());
}

Result<SslPtr<EVP_PKEY>> OkpPrivateFromComponents(const PrivateComponents& c) {
  if (c.pub.curve != Curve::kEd25519 && c.pub.curve != Curve::kX25519) {
    return InvalidArgument("OKP key on an unsupported curve", "unsupported_key");
  }
  if (c.d.size() != 32 || c.pub.x.size() != 32) {
    return InvalidArgument("OKP keys must be 32 bytes", "invalid_key");
  }
  SslPtr<EVP_PKEY> pkey(EVP_PKEY_new_raw_private_key_ex(nullptr, OkpTypeName(c.pub.curve), nullptr,
                                                        c.d.data(), c.d.size()));
  if (pkey == nullptr) return ClearSslErrors(InvalidArgument("invalid OKP key", "invalid_key"));
  // The public key is derived from the private one; it must be the one given.
  std::array<uint8_t, 32> derived{};
  size_t len = derived.size();
  if (EVP_PKEY_get_raw_public_key(pkey.get(), derived.data(), &len) != 1 || len != 32) {
    return ClearSslErrors(Internal("cannot derive OKP public key"));
  }
  if (!ConstantTimeEquals(BytesView(derived), BytesView(c.pub.x))) {
    return InvalidArgument("private key does not match its public key", "invalid_key");
  }
  return pkey;
}

}  // namespace

// Every caller has either validated the key already (FromComponents, FromPem: CheckPublicKey and
// the pairwise check) or had OpenSSL generate it (a generated key is valid by construction), so the
// public check is not repeated here.
Result<PrivateKey> PrivateKey::Wrap(EVP_PKEY* owned) {
  SslPtr<EVP_PKEY> pkey(owned);
  ACCORD_ASSIGN_OR_RETURN(auto id, internal::IdentifyKey(pkey.get()));
  ACCORD_ASSIGN_OR_RETURN(SslPtr<EVP_PKEY> pub, internal::PublicOnly(pkey.get(), id.first));
  PublicKey public_key(internal::SharePkey(std::move(pub)), id.first, id.second);
  return PrivateKey(internal::SharePkey(std::move(pkey)), id.first, id.second,
                    std::move(public_key));
}

Result<PrivateKey> PrivateKey::GenerateEc(Curve curve) {
  const char* group = internal::EcGroupName(curve);
  if (group == nullptr) return InvalidArgument("not an EC curve", "unsupported_key");
  ACCORD_ASSIGN_OR_RETURN(SslPtr<EVP_PKEY> pkey, Generate("EC", group, 0));
  return Wrap(pkey.release());
}

Result<PrivateKey> PrivateKey::GenerateOkp(Curve curve) {
  if (curve != Curve::kEd25519 && curve != Curve::kX25519) {
    return InvalidArgument("not an OKP curve", "unsupported_key");
  }
  ACCORD_ASSIGN_OR_RETURN(SslPtr<EVP_PKEY> pkey, Generate(OkpTypeName(curve), nullptr, 0));
  return Wrap(pkey.release());
}

Result<PrivateKey> PrivateKey::GenerateRsa(int bits) {
  if (bits < internal::kMinRsaBits) {
    return InvalidArgument("RSA keys must be at least 2048 bits", "weak_key");
  }
  if (bits > internal::kMaxRsaBits) {
    return InvalidArgument("RSA keys are limited to 8192 bits", "unsupported_key");
  }
  ACCORD_ASSIGN_OR_RETURN(SslPtr<EVP_PKEY> pkey, Generate("RSA", nullptr, bits));
  return Wrap(pkey.release());
}

Result<PrivateKey> PrivateKey::FromComponents(const PrivateComponents& c) {
  Result<SslPtr<EVP_PKEY>> pkey = InvalidArgument("unsupported key type", "unsupported_key");
  switch (c.pub.type) {
    case KeyType::kEc:
      pkey = EcPrivateFromComponents(c);
      break;
    case KeyType::kRsa:
      if (c.pub.curve != Curve::kNone) return InvalidArgument("RSA key with a curve", "invalid_key");
      pkey = RsaPrivateFromComponents(c);
      break;
    case KeyType::kOkp:
      pkey = OkpPrivateFromComponents(c);
      break;
  }
  if (!pkey.ok()) return pkey.status();
  ACCORD_RETURN_IF_ERROR(internal::CheckPublicKey(pkey->get(), c.pub.type, c.pub.curve));
  if (c.pub.type != KeyType::kOkp) ACCORD_RETURN_IF_ERROR(CheckPairwise(pkey->get()));
  // The public half from the same (now checked) public components, through PublicKey's cache,
  // instead of exporting it from the key pair and importing it again.
  ACCORD_ASSIGN_OR_RETURN(PublicKey pub, PublicKey::FromComponents(c.pub));
  return PrivateKey(internal::SharePkey(std::move(*pkey)), c.pub.type, c.pub.curve,
                    std::move(pub));
}

Result<PrivateKey> PrivateKey::FromPem(std::string_view pem) {
  ACCORD_RETURN_IF_ERROR(internal::CheckPemLabel(pem, "PRIVATE KEY"));
  SslPtr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return ClearSslErrors(Internal("BIO_new_mem_buf failed"));
  SslPtr<EVP_PKEY> pkey(
      PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, NoPassword, nullptr, nullptr, nullptr));
  if (pkey == nullptr) return ClearSslErrors(InvalidArgument("malformed private key PEM", "bad_pem"));
  ACCORD_ASSIGN_OR_RETURN(auto id, internal::IdentifyKey(pkey.get()));
  ACCORD_RETURN_IF_ERROR(internal::CheckPublicKey(pkey.get(), id.first, id.second));
  if (id.first != KeyType::kOkp) ACCORD_RETURN_IF_ERROR(CheckPairwise(pkey.get()));
  return Wrap(pkey.release());
}

int PrivateKey::bits() const { return EVP_PKEY_get_bits(pkey_.get()); }

PrivateComponents PrivateKey::ExportPrivateComponents() const {
  PrivateComponents c;
  c.pub = public_.Components();
  EVP_PKEY* pkey = pkey_.get();
  switch (type_) {
    case KeyType::kEc:
      c.d = SecretBnParam(pkey, OSSL_PKEY_PARAM_PRIV_KEY, CurveFieldSize(curve_));
      break;
    case KeyType::kRsa:
      c.d = SecretBnParam(pkey, OSSL_PKEY_PARAM_RSA_D, 0);
      c.p = SecretBnParam(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1, 0);
      c.q = SecretBnParam(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2, 0);
      c.dp = SecretBnParam(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT1, 0);
      c.dq = SecretBnParam(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT2, 0);
      c.qi = SecretBnParam(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, 0);
      break;
    case KeyType::kOkp: {
      SecretBytes d(32);
      size_t len = d.size();
      if (EVP_PKEY_get_raw_private_key(pkey, d.data(), &len) != 1 || len != 32) {
        internal::FatalSslError("EVP_PKEY_get_raw_private_key");
      }
      c.d = std::move(d);
      break;
    }
  }
  return c;
}

SecretBytes PrivateKey::ExportPkcs8Pem() const {
  // A secure-heap memory BIO: its buffer is zeroised when freed.
  SslPtr<BIO> bio(BIO_new(BIO_s_secmem()));
  if (bio == nullptr || PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0,
                                                      nullptr, nullptr) != 1) {
    internal::FatalSslError("PEM_write_bio_PKCS8PrivateKey");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return SecretBytes(BytesView(reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(len)));
}

}  // namespace accord::crypto
