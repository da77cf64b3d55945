#include "jose/jwe.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>

#include "common/base64url.h"
#include "crypto/cipher.h"
#include "crypto/random.h"
#include "jose/internal/compact.h"
#include "jose/internal/ecdh_es.h"

namespace accord::jose {
namespace {

constexpr size_t kMaxCandidateKeys = 8;

struct AlgInfo {
  JweAlg alg;
  std::string_view name;
  size_t kek_bytes;  // 0: direct agreement or RSA
};
constexpr std::array<AlgInfo, 5> kAlgs = {{
    {JweAlg::kEcdhEs, "ECDH-ES", 0},
    {JweAlg::kEcdhEsA128Kw, "ECDH-ES+A128KW", 16},
    {JweAlg::kEcdhEsA192Kw, "ECDH-ES+A192KW", 24},
    {JweAlg::kEcdhEsA256Kw, "ECDH-ES+A256KW", 32},
    {JweAlg::kRsaOaep256, "RSA-OAEP-256", 0},
}};

struct EncInfo {
  JweEnc enc;
  std::string_view name;
  size_t key_bytes;
  bool gcm;
};
constexpr std::array<EncInfo, 6> kEncs = {{
    {JweEnc::kA128Gcm, "A128GCM", 16, true},
    {JweEnc::kA192Gcm, "A192GCM", 24, true},
    {JweEnc::kA256Gcm, "A256GCM", 32, true},
    {JweEnc::kA128CbcHs256, "A128CBC-HS256", 32, false},
    {JweEnc::kA192CbcHs384, "A192CBC-HS384", 48, false},
    {JweEnc::kA256CbcHs512, "A256CBC-HS512", 64, false},
}};

const AlgInfo& Info(JweAlg alg) {
  for (const AlgInfo& i : kAlgs) {
    if (i.alg == alg) return i;
  }
  return kAlgs[0];
}
const EncInfo& Info(JweEnc enc) {
  for (const EncInfo& i : kEncs) {
    if (i.enc == enc) return i;
  }
  return kEncs[0];
}

bool IsEcdh(JweAlg alg) { return alg != JweAlg::kRsaOaep256; }

Status DecryptFailed() {
  return Unauthenticated("JWE could not be decrypted", "decrypt_failed");
}

// Whether `key` may be used with `alg` (type/curve and metadata), for encryption or decryption.
Status CheckKeyForJwe(const Jwk& key, JweAlg alg, bool encrypting) {
  const AlgInfo& info = Info(alg);
  if (!key.alg().empty() && key.alg() != info.name) {
    return PermissionDenied("the key's alg does not allow " + std::string(info.name),
                            "alg_key_mismatch");
  }
  if (!key.use().empty() && key.use() != "enc") {
    return PermissionDenied("the key is not an encryption key", "alg_key_mismatch");
  }
  if (!key.key_ops().empty()) {
    std::array<std::string_view, 3> ops = encrypting
        ? std::array<std::string_view, 3>{"encrypt", "wrapKey", "deriveKey"}
        : std::array<std::string_view, 3>{"decrypt", "unwrapKey", "deriveKey"};
    bool ok = false;
    for (std::string_view op : ops) {
      ok = ok || std::find(key.key_ops().begin(), key.key_ops().end(), op) != key.key_ops().end();
    }
    if (!ok) return PermissionDenied("the key's key_ops do not allow this", "alg_key_mismatch");
  }
  bool fits = false;
  if (IsEcdh(alg)) {
    crypto::Curve c = key.curve();
    fits = (key.type() == crypto::KeyType::kEc &&
            (c == crypto::Curve::kP256 || c == crypto::Curve::kP384 ||
             c == crypto::Curve::kP521)) ||
           (key.type() == crypto::KeyType::kOkp && c == crypto::Curve::kX25519);
  } else {
    fits = key.type() == crypto::KeyType::kRsa;
  }
  if (!fits) {
    return PermissionDenied("the key type or curve does not fit " + std::string(info.name),
                            "alg_key_mismatch");
  }
  return Status::Ok();
}

std::string HeaderString(const boost::json::object& header, std::string_view name) {
  const boost::json::value* v = header.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

Result<Bytes> OptionalB64(const boost::json::object& header, std::string_view name) {
  ACCORD_ASSIGN_OR_RETURN(std::optional<std::string> v, internal::OptionalString(header, name));
  if (!v) return Bytes();
  return internal::DecodeSegment(*v);
}

}  // namespace

std::string_view JweAlgName(JweAlg alg) { return Info(alg).name; }
std::string_view JweEncName(JweEnc enc) { return Info(enc).name; }
size_t JweEncKeySize(JweEnc enc) { return Info(enc).key_bytes; }

Result<JweAlg> JweAlgFromName(std::string_view name) {
  for (const AlgInfo& i : kAlgs) {
    if (i.name == name) return i.alg;
  }
  return InvalidArgument("JWE key management algorithm is not supported", "unsupported_alg");
}

Result<JweEnc> JweEncFromName(std::string_view name) {
  for (const EncInfo& i : kEncs) {
    if (i.name == name) return i.enc;
  }
  return InvalidArgument("JWE content encryption algorithm is not supported", "unsupported_enc");
}

std::string DecryptedJwe::cty() const { return HeaderString(header_, "cty"); }
std::string DecryptedJwe::typ() const { return HeaderString(header_, "typ"); }

Result<JweEncrypter> JweEncrypter::Create(Jwk recipient, JweAlg alg, JweEnc enc) {
  ACCORD_RETURN_IF_ERROR(CheckKeyForJwe(recipient, alg, /*encrypting=*/true));
  if (alg == JweAlg::kRsaOaep256 && recipient.public_key().bits() < 2048) {
    return PermissionDenied("RSA keys must have at least 2048 bits", "alg_key_mismatch");
  }
  return JweEncrypter(recipient.PublicOnly(), alg, enc);
}

Result<std::string> JweEncrypter::Encrypt(BytesView plaintext,
                                          const JweHeaderOptions& options) const {
  const AlgInfo& alg = Info(alg_);
  const EncInfo& enc = Info(enc_);
  boost::json::object header;
  header["alg"] = alg.name;
  header["enc"] = enc.name;
  if (!recipient_.kid().empty()) header["kid"] = recipient_.kid();

  crypto::SecretBytes cek;
  Bytes encrypted_key;
  if (IsEcdh(alg_)) {
    const crypto::PublicKey& peer = recipient_.public_key();
    auto ephemeral = peer.type() == crypto::KeyType::kOkp
                         ? crypto::PrivateKey::GenerateOkp(peer.curve())
                         : crypto::PrivateKey::GenerateEc(peer.curve());
    if (!ephemeral.ok()) return ephemeral.status();
    header["epk"] = Jwk::FromPublicKey(ephemeral->public_key()).ToPublicJsonObject();
    if (!options.apu.empty()) header["apu"] = Base64UrlEncode(options.apu);
    if (!options.apv.empty()) header["apv"] = Base64UrlEncode(options.apv);
    if (alg.kek_bytes == 0) {
      ACCORD_ASSIGN_OR_RETURN(cek, internal::DeriveEcdhEsKey(*ephemeral, peer, enc.name,
                                                             options.apu, options.apv,
                                                             enc.key_bytes));
    } else {
      ACCORD_ASSIGN_OR_RETURN(crypto::SecretBytes kek,
                              internal::DeriveEcdhEsKey(*ephemeral, peer, alg.name, options.apu,
                                                        options.apv, alg.kek_bytes));
      cek = crypto::RandomSecret(enc.key_bytes);
      ACCORD_ASSIGN_OR_RETURN(encrypted_key, crypto::AesKeyWrap(kek.view(), cek.view()));
    }
  } else {
    cek = crypto::RandomSecret(enc.key_bytes);
    ACCORD_ASSIGN_OR_RETURN(encrypted_key,
                            crypto::RsaOaepSha256Encrypt(recipient_.public_key(), cek.view()));
  }
  if (!options.typ.empty()) header["typ"] = options.typ;
  if (!options.cty.empty()) header["cty"] = options.cty;

  std::string encoded_header = Base64UrlEncode(boost::json::serialize(header));
  Bytes iv = crypto::RandomBytes(enc.gcm ? 12 : 16);
  BytesView aad = AsBytes(encoded_header);
  auto sealed = enc.gcm ? crypto::AesGcmSeal(cek.view(), iv, aad, plaintext)
                        : crypto::AesCbcHmacSeal(cek.view(), iv, aad, plaintext);
  if (!sealed.ok()) return sealed.status();

  std::string out = std::move(encoded_header);
  out.push_back('.');
  out += Base64UrlEncode(encrypted_key);
  out.push_back('.');
  out += Base64UrlEncode(iv);
  out.push_back('.');
  out += Base64UrlEncode(sealed->ciphertext);
  out.push_back('.');
  out += Base64UrlEncode(sealed->tag);
  return out;
}

Result<JweDecrypter> JweDecrypter::Create(Jwk private_key, JweDecryptOptions options) {
  return Create(Jwks(std::vector<Jwk>{std::move(private_key)}), std::move(options));
}

Result<JweDecrypter> JweDecrypter::Create(Jwks private_keys, JweDecryptOptions options) {
  if (options.allowed_algs.empty() || options.allowed_encs.empty()) {
    return InvalidArgument("a JWE decrypter needs allowed algorithms and encryptions",
                           "empty_policy");
  }
  if (private_keys.empty()) return InvalidArgument("a JWE decrypter needs a key", "no_keys");
  for (const Jwk& k : private_keys.keys()) {
    if (!k.has_private_key()) {
      return FailedPrecondition("a JWE decrypter needs private keys", "no_private_key");
    }
  }
  ACCORD_RETURN_IF_ERROR(
      internal::CheckVerifierConfig(options.max_token_bytes, options.understood_crit, true));
  return JweDecrypter(std::move(private_keys), std::move(options));
}

Result<DecryptedJwe> JweDecrypter::Decrypt(std::string_view compact) const {
  ACCORD_ASSIGN_OR_RETURN(auto parts,
                          internal::SplitCompact(compact, 5, options_.max_token_bytes));
  ACCORD_ASSIGN_OR_RETURN(Bytes encrypted_key, internal::DecodeSegment(parts[1]));
  ACCORD_ASSIGN_OR_RETURN(Bytes iv, internal::DecodeSegment(parts[2]));
  ACCORD_ASSIGN_OR_RETURN(Bytes ciphertext, internal::DecodeSegment(parts[3]));
  ACCORD_ASSIGN_OR_RETURN(Bytes tag, internal::DecodeSegment(parts[4]));
  ACCORD_ASSIGN_OR_RETURN(boost::json::object header, internal::ParseProtectedHeader(parts[0]));

  if (header.contains("zip")) {
    return PermissionDenied("compressed JWE (zip) is not supported", "unsupported_zip");
  }
  ACCORD_RETURN_IF_ERROR(internal::CheckCrit(header, options_.understood_crit, true));

  ACCORD_ASSIGN_OR_RETURN(std::optional<std::string> alg_name,
                          internal::OptionalString(header, "alg"));
  ACCORD_ASSIGN_OR_RETURN(std::optional<std::string> enc_name,
                          internal::OptionalString(header, "enc"));
  if (!alg_name || !enc_name) {
    return InvalidArgument("JWE header needs 'alg' and 'enc'", "malformed");
  }
  auto alg = JweAlgFromName(*alg_name);
  if (!alg.ok() || std::find(options_.allowed_algs.begin(), options_.allowed_algs.end(), *alg) ==
                       options_.allowed_algs.end()) {
    return PermissionDenied("JWE key management algorithm is not allowed", "unsupported_alg");
  }
  auto enc = JweEncFromName(*enc_name);
  if (!enc.ok() || std::find(options_.allowed_encs.begin(), options_.allowed_encs.end(), *enc) ==
                       options_.allowed_encs.end()) {
    return PermissionDenied("JWE content encryption is not allowed", "unsupported_enc");
  }
  const AlgInfo& alg_info = Info(*alg);
  const EncInfo& enc_info = Info(*enc);

  ACCORD_ASSIGN_OR_RETURN(std::optional<std::string> kid, internal::OptionalString(header, "kid"));
  std::vector<const Jwk*> by_kid;
  for (const Jwk& k : keys_.keys()) {
    if (!kid || k.kid().empty() || k.kid() == *kid) by_kid.push_back(&k);
  }
  if (by_kid.empty()) return NotFound("no key with this kid", "unknown_kid");
  std::vector<const Jwk*> candidates;
  for (const Jwk* k : by_kid) {
    if (CheckKeyForJwe(*k, *alg, /*encrypting=*/false).ok()) candidates.push_back(k);
  }
  if (candidates.empty()) {
    return PermissionDenied("no key fits the JWE algorithm", "alg_key_mismatch");
  }
  if (candidates.size() > kMaxCandidateKeys) candidates.resize(kMaxCandidateKeys);

  // Structure that does not depend on any key.
  if (iv.size() != (enc_info.gcm ? 12u : 16u)) {
    return InvalidArgument("JWE initialization vector has the wrong length", "malformed");
  }
  std::optional<Jwk> epk;
  Bytes apu, apv;
  if (IsEcdh(*alg)) {
    const boost::json::value* epk_v = header.if_contains("epk");
    if (epk_v == nullptr || !epk_v->is_object()) {
      return InvalidArgument("ECDH-ES needs an 'epk' object", "bad_epk");
    }
    auto parsed = Jwk::FromPublicJson(epk_v->as_object());
    if (!parsed.ok()) {
      return InvalidArgument("'epk' is not a valid public key: " + parsed.status().message(),
                             "bad_epk");
    }
    epk = std::move(*parsed);
    ACCORD_ASSIGN_OR_RETURN(apu, OptionalB64(header, "apu"));
    ACCORD_ASSIGN_OR_RETURN(apv, OptionalB64(header, "apv"));
    if (alg_info.kek_bytes == 0 && !encrypted_key.empty()) {
      return InvalidArgument("ECDH-ES direct agreement has no encrypted key", "malformed");
    }
  }

  BytesView aad = AsBytes(parts[0]);
  bool curve_matched = !IsEcdh(*alg);
  for (const Jwk* k : candidates) {
    const crypto::PrivateKey& priv = *k->private_key();
    crypto::SecretBytes cek;
    if (IsEcdh(*alg)) {
      if (epk->type() != k->type() || epk->curve() != k->curve()) continue;
      curve_matched = true;
      if (alg_info.kek_bytes == 0) {
        auto derived = internal::DeriveEcdhEsKey(priv, epk->public_key(), enc_info.name, apu, apv,
                                                 enc_info.key_bytes);
        if (!derived.ok()) continue;
        cek = std::move(*derived);
      } else {
        auto kek = internal::DeriveEcdhEsKey(priv, epk->public_key(), alg_info.name, apu, apv,
                                             alg_info.kek_bytes);
        if (!kek.ok()) continue;
        auto unwrapped = crypto::AesKeyUnwrap(kek->view(), encrypted_key);
        // On failure continue with a random key so the content step fails the same way.
        cek = unwrapped.ok() && unwrapped->size() == enc_info.key_bytes
                  ? std::move(*unwrapped)
                  : crypto::RandomSecret(enc_info.key_bytes);
      }
    } else {
      auto decrypted = crypto::RsaOaepSha256Decrypt(priv, encrypted_key);
      // RFC 7516 section 11.5: never reveal whether the key decryption failed.
      cek = decrypted.ok() && decrypted->size() == enc_info.key_bytes
                ? std::move(*decrypted)
                : crypto::RandomSecret(enc_info.key_bytes);
    }
    auto plaintext = enc_info.gcm ? crypto::AesGcmOpen(cek.view(), iv, aad, ciphertext, tag)
                                  : crypto::AesCbcHmacOpen(cek.view(), iv, aad, ciphertext, tag);
    if (plaintext.ok()) {
      return DecryptedJwe(std::move(header), std::move(*plaintext), *alg, *enc, k->kid());
    }
  }
  if (!curve_matched) {
    return InvalidArgument("'epk' is not on the recipient key's curve", "bad_epk");
  }
  return DecryptFailed();
}

Result<VerifiedJws> DecryptAndVerifyNested(const JweDecrypter& decrypter,
                                           const JwsVerifier& verifier, std::string_view compact) {
  ACCORD_ASSIGN_OR_RETURN(DecryptedJwe jwe, decrypter.Decrypt(compact));
  std::string cty = jwe.cty();
  if (!internal::EqualsIgnoreCase(cty, "JWT") &&
      !internal::EqualsIgnoreCase(cty, "application/JWT")) {
    return InvalidArgument("JWE does not carry a nested JWT (cty)", "not_nested");
  }
  return verifier.Verify(jwe.plaintext_string());
}

}  // namespace accord::jose
