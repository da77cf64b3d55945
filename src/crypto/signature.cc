// Sign/Verify. ECDSA and RSA hash with the cached EVP_MD and then sign the digest with
// EVP_PKEY_sign/EVP_PKEY_verify (no per-call digest fetch); ECDSA takes its context from the key's
// initialised prototype (internal/key_ops.h). Ed25519 uses one-shot EVP_DigestSign with no
// digest, as it must. JOSE ECDSA signatures (r||s) are converted to and from DER through
// ECDSA_SIG in a stack buffer.
#include "crypto/signature.h"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <array>

#include "crypto/internal/evp_cache.h"
#include "crypto/internal/key_ops.h"
#include "crypto/internal/key_util.h"
#include "crypto/internal/ssl_ptr.h"

namespace accord::crypto {

using internal::ClearSslErrors;
using internal::SslPtr;

namespace {

// DER of an ECDSA-Sig-Value for P-521 is at most 3 + 2 * (3 + 67) = 143 bytes.
constexpr size_t kMaxDerSignature = 160;
constexpr size_t kMaxDigest = 64;

enum class Family { kEcdsa, kPss, kPkcs1, kEdDsa };

struct AlgInfo {
  Family family;
  HashAlgorithm hash;
  Curve curve;  // ECDSA / EdDSA only
};

AlgInfo Info(SignatureAlgorithm alg) {
  switch (alg) {
    case SignatureAlgorithm::kEs256:
      return {Family::kEcdsa, HashAlgorithm::kSha256, Curve::kP256};
    case SignatureAlgorithm::kEs384:
      return {Family::kEcdsa, HashAlgorithm::kSha384, Curve::kP384};
    case SignatureAlgorithm::kEs512:
      return {Family::kEcdsa, HashAlgorithm::kSha512, Curve::kP521};
    case SignatureAlgorithm::kPs256:
      return {Family::kPss, HashAlgorithm::kSha256, Curve::kNone};
    case SignatureAlgorithm::kPs384:
      return {Family::kPss, HashAlgorithm::kSha384, Curve::kNone};
    case SignatureAlgorithm::kPs512:
      return {Family::kPss, HashAlgorithm::kSha512, Curve::kNone};
    case SignatureAlgorithm::kRs256:
      return {Family::kPkcs1, HashAlgorithm::kSha256, Curve::kNone};
    case SignatureAlgorithm::kEdDsa:
      return {Family::kEdDsa, HashAlgorithm::kSha512, Curve::kEd25519};
  }
  return {Family::kEdDsa, HashAlgorithm::kSha512, Curve::kEd25519};
}

Status BadSignature() {
  return ClearSslErrors(Unauthenticated("signature verification failed", "bad_signature"));
}

struct Digest {
  std::array<uint8_t, kMaxDigest> bytes;
  size_t size = 0;
};

Digest ComputeDigest(HashAlgorithm alg, BytesView data) {
  Digest d;
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), d.bytes.data(), &len, internal::Md(alg), nullptr) != 1) {
    internal::FatalSslError("EVP_Digest");
  }
  d.size = len;
  return d;
}

// Sets up RSA padding (PSS: MGF1 with the same hash, salt length = digest length) and digest.
bool ConfigureRsa(EVP_PKEY_CTX* ctx, const AlgInfo& info) {
  const EVP_MD* md = internal::Md(info.hash);
  if (info.family == Family::kPss) {
    return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) == 1 && EVP_PKEY_CTX_set_signature_md(ctx, md) == 1;
  }
  return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
         EVP_PKEY_CTX_set_signature_md(ctx, md) == 1;
}

Result<Bytes> SignEdDsa(EVP_PKEY* pkey, BytesView data) {
  SslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  Bytes sig(64);
  size_t len = sig.size();
  if (ctx == nullptr ||
      EVP_DigestSignInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, pkey, nullptr) != 1 ||
      EVP_DigestSign(ctx.get(), sig.data(), &len, data.data(), data.size()) != 1 || len != 64) {
    return ClearSslErrors(Internal("Ed25519 signing failed"));
  }
  return sig;
}

Status VerifyEdDsa(EVP_PKEY* pkey, BytesView data, BytesView signature) {
  if (signature.size() != 64) return BadSignature();
  SslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  if (ctx == nullptr ||
      EVP_DigestVerifyInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, pkey, nullptr) != 1) {
    return ClearSslErrors(Internal("Ed25519 verify setup failed"));
  }
  if (EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), data.data(), data.size()) != 1) {
    return BadSignature();
  }
  return Status::Ok();
}

// DER ECDSA-Sig-Value -> r||s, each padded to the curve's field size.
Result<Bytes> DerToRaw(const uint8_t* der, size_t der_len, size_t field) {
  const uint8_t* p = der;
  SslPtr<ECDSA_SIG> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
  if (sig == nullptr) return ClearSslErrors(Internal("ECDSA produced malformed DER"));
  Bytes raw(2 * field);
  const int width = static_cast<int>(field);
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw.data(), width) != width ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw.data() + field, width) != width) {
    return ClearSslErrors(Internal("ECDSA signature wider than the field"));
  }
  return raw;
}

// r||s -> DER in `der`; returns the DER length, 0 when the input cannot be encoded.
size_t RawToDer(BytesView raw, std::array<uint8_t, kMaxDerSignature>& der) {
  const size_t half = raw.size() / 2;
  SslPtr<ECDSA_SIG> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(raw.data(), static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + half, static_cast<int>(half), nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return 0;
  }
  const int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0 || static_cast<size_t>(len) > der.size()) return 0;
  uint8_t* out = der.data();
  return i2d_ECDSA_SIG(sig.get(), &out) == len ? static_cast<size_t>(len) : 0;
}

}  // namespace

std::string_view JwaName(SignatureAlgorithm alg) {
  switch (alg) {
    case SignatureAlgorithm::kEs256:
      return "ES256";
    case SignatureAlgorithm::kEs384:
      return "ES384";
    case SignatureAlgorithm::kEs512:
      return "ES512";
    case SignatureAlgorithm::kPs256:
      return "PS256";
    case SignatureAlgorithm::kPs384:
      return "PS384";
    case SignatureAlgorithm::kPs512:
      return "PS512";
    case SignatureAlgorithm::kRs256:
      return "RS256";
    case SignatureAlgorithm::kEdDsa:
      return "EdDSA";
  }
  return "";
}

Result<SignatureAlgorithm> SignatureAlgorithmFromJwa(std::string_view name) {
  for (SignatureAlgorithm alg :
       {SignatureAlgorithm::kEs256, SignatureAlgorithm::kEs384, SignatureAlgorithm::kEs512,
        SignatureAlgorithm::kPs256, SignatureAlgorithm::kPs384, SignatureAlgorithm::kPs512,
        SignatureAlgorithm::kRs256, SignatureAlgorithm::kEdDsa}) {
    if (name == JwaName(alg)) return alg;
  }
  return InvalidArgument("unsupported signature algorithm", "unsupported_alg");
}

Status CheckKeyForAlgorithm(KeyType type, Curve curve, SignatureAlgorithm alg) {
  const AlgInfo info = Info(alg);
  bool ok = false;
  switch (info.family) {
    case Family::kEcdsa:
      ok = type == KeyType::kEc && curve == info.curve;
      break;
    case Family::kPss:
    case Family::kPkcs1:
      // Every RSA key object is >= 2048 bits: keys.h refuses to construct smaller ones.
      ok = type == KeyType::kRsa;
      break;
    case Family::kEdDsa:
      ok = type == KeyType::kOkp && curve == Curve::kEd25519;
      break;
  }
  if (!ok) return PermissionDenied("key cannot be used with this algorithm", "alg_key_mismatch");
  return Status::Ok();
}

Result<Bytes> Sign(const PrivateKey& key, SignatureAlgorithm alg, BytesView data) {
  ACCORD_RETURN_IF_ERROR(CheckKeyForAlgorithm(key.type(), key.curve(), alg));
  const AlgInfo info = Info(alg);
  if (info.family == Family::kEdDsa) return SignEdDsa(key.evp(), data);

  const Digest digest = ComputeDigest(info.hash, data);
  if (info.family == Family::kEcdsa) {
    SslPtr<EVP_PKEY_CTX> ctx = internal::NewSignContext(key.ops(), key.evp());
    if (ctx == nullptr) return ClearSslErrors(Internal("signing setup failed"));
    std::array<uint8_t, kMaxDerSignature> der;
    size_t der_len = der.size();
    if (EVP_PKEY_sign(ctx.get(), der.data(), &der_len, digest.bytes.data(), digest.size) != 1) {
      return ClearSslErrors(Internal("ECDSA signing failed"));
    }
    return DerToRaw(der.data(), der_len, CurveFieldSize(info.curve));
  }
  SslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.evp(), nullptr));
  if (ctx == nullptr || EVP_PKEY_sign_init(ctx.get()) != 1 || !ConfigureRsa(ctx.get(), info)) {
    return ClearSslErrors(Internal("signing setup failed"));
  }
  Bytes sig(static_cast<size_t>(EVP_PKEY_get_size(key.evp())));
  size_t len = sig.size();
  if (EVP_PKEY_sign(ctx.get(), sig.data(), &len, digest.bytes.data(), digest.size) != 1) {
    return ClearSslErrors(Internal("RSA signing failed"));
  }
  sig.resize(len);
  return sig;
}

Status Verify(const PublicKey& key, SignatureAlgorithm alg, BytesView data, BytesView signature) {
  ACCORD_RETURN_IF_ERROR(CheckKeyForAlgorithm(key.type(), key.curve(), alg));
  const AlgInfo info = Info(alg);
  if (info.family == Family::kEdDsa) return VerifyEdDsa(key.evp(), data, signature);

  std::array<uint8_t, kMaxDerSignature> der;
  BytesView to_verify;
  if (info.family == Family::kEcdsa) {
    // Fixed width r||s only; out-of-range r or s is rejected by EVP_PKEY_verify below.
    if (signature.size() != 2 * CurveFieldSize(info.curve)) return BadSignature();
    const size_t der_len = RawToDer(signature, der);
    if (der_len == 0) return BadSignature();
    to_verify = BytesView(der.data(), der_len);
  } else {
    if (signature.size() != static_cast<size_t>(EVP_PKEY_get_size(key.evp()))) {
      return BadSignature();
    }
    to_verify = signature;
  }
  const Digest digest = ComputeDigest(info.hash, data);
  SslPtr<EVP_PKEY_CTX> ctx;
  if (info.family == Family::kEcdsa) {
    ctx = internal::NewVerifyContext(key.ops(), key.evp());
  } else {
    ctx.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, key.evp(), nullptr));
    if (ctx != nullptr &&
        (EVP_PKEY_verify_init(ctx.get()) != 1 || !ConfigureRsa(ctx.get(), info))) {
      ctx.reset();
    }
  }
  if (ctx == nullptr) return ClearSslErrors(Internal("verification setup failed"));
  if (EVP_PKEY_verify(ctx.get(), to_verify.data(), to_verify.size(), digest.bytes.data(),
                      digest.size) != 1) {
    return BadSignature();
  }
  return Status::Ok();
}

}  // namespace accord::crypto
