#include "bench/jose/raw_evp.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>

#include <array>
#include <boost/json.hpp>
#include <vector>

#include "common/base64url.h"
#include "common/json.h"

namespace accord::bench {
namespace {

std::unique_ptr<EVP_MD, EvpMdDeleter> FetchMd(const char* name) {
  return std::unique_ptr<EVP_MD, EvpMdDeleter>(EVP_MD_fetch(nullptr, name, nullptr));
}

struct MdCtx {
  MdCtx() : ctx(EVP_MD_CTX_new()) {}
  ~MdCtx() { EVP_MD_CTX_free(ctx); }
  EVP_MD_CTX* ctx;
};

// Sets RSASSA-PSS parameters (MGF1-SHA-256, salt = digest length) on a signing/verifying context.
bool SetPss(EVP_PKEY_CTX* pctx) {
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA256", nullptr) == 1;
}

void AppendLengthPrefixed(Bytes& out, BytesView data) {
  const auto n = static_cast<uint32_t>(data.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(n >> shift));
  out.insert(out.end(), data.begin(), data.end());
}

bool DecodeInto(std::string_view text, Bytes* out) {
  auto decoded = Base64UrlDecode(text);
  if (!decoded.ok()) return false;
  *out = std::move(decoded).value();
  return true;
}

}  // namespace

RawSigner::RawSigner(RawSigKind kind, const crypto::PrivateKey& key)
    : kind_(kind), pkey_(key.evp()),
      md_(kind == RawSigKind::kEd25519 ? nullptr : FetchMd("SHA256")) {}

size_t RawSigner::Sign(BytesView signing_input) const {
  MdCtx md;
  EVP_PKEY_CTX* pctx = nullptr;
  if (EVP_DigestSignInit(md.ctx, &pctx, md_.get(), nullptr, pkey_) != 1) return 0;
  if (kind_ == RawSigKind::kRsaPssSha256 && !SetPss(pctx)) return 0;
  std::array<uint8_t, 512> sig;
  size_t len = sig.size();
  if (kind_ == RawSigKind::kEd25519) {
    if (EVP_DigestSign(md.ctx, sig.data(), &len, signing_input.data(), signing_input.size()) != 1) {
      return 0;
    }
    return len;
  }
  if (EVP_DigestSignUpdate(md.ctx, signing_input.data(), signing_input.size()) != 1 ||
      EVP_DigestSignFinal(md.ctx, sig.data(), &len) != 1) {
    return 0;
  }
  return len;
}

RawVerifier::RawVerifier(RawSigKind kind, const crypto::PublicKey& key)
    : kind_(kind), pkey_(key.evp()),
      md_(kind == RawSigKind::kEd25519 ? nullptr : FetchMd("SHA256")) {}

bool RawVerifier::Verify(BytesView signing_input, BytesView signature) const {
  MdCtx md;
  EVP_PKEY_CTX* pctx = nullptr;
  if (EVP_DigestVerifyInit(md.ctx, &pctx, md_.get(), nullptr, pkey_) != 1) return false;
  if (kind_ == RawSigKind::kRsaPssSha256 && !SetPss(pctx)) return false;
  if (kind_ == RawSigKind::kEd25519) {
    return EVP_DigestVerify(md.ctx, signature.data(), signature.size(), signing_input.data(),
                            signing_input.size()) == 1;
  }
  return EVP_DigestVerifyUpdate(md.ctx, signing_input.data(), signing_input.size()) == 1 &&
         EVP_DigestVerifyFinal(md.ctx, signature.data(), signature.size()) == 1;
}

Bytes JoseEcdsaToDer(BytesView raw) {
  if (raw.size() != 64) return {};
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(raw.data(), 32, nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + 32, 32, nullptr);
  Bytes der;
  if (sig != nullptr && r != nullptr && s != nullptr && ECDSA_SIG_set0(sig, r, s) == 1) {
    r = s = nullptr;  // owned by sig now
    int len = i2d_ECDSA_SIG(sig, nullptr);
    if (len > 0) {
      der.resize(static_cast<size_t>(len));
      uint8_t* p = der.data();
      i2d_ECDSA_SIG(sig, &p);
    }
  }
  BN_free(r);
  BN_free(s);
  ECDSA_SIG_free(sig);
  return der;
}

RawEcdhEsA256KwCbcHs512Decrypter::RawEcdhEsA256KwCbcHs512Decrypter(const crypto::PrivateKey& key,
                                                                   std::string_view compact)
    : pkey_(key.evp()), sha256_(FetchMd("SHA256")),
      wrap_(EVP_CIPHER_fetch(nullptr, "AES-256-WRAP", nullptr)),
      cbc_(EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr)),
      hmac_(EVP_MAC_fetch(nullptr, "HMAC", nullptr)) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t dot; (dot = compact.find('.', start)) != std::string_view::npos; start = dot + 1) {
    parts.push_back(compact.substr(start, dot - start));
  }
  parts.push_back(compact.substr(start));
  if (parts.size() != 5) return;
  aad_ = ToBytes(parts[0]);
  Bytes header_json;
  if (!DecodeInto(parts[0], &header_json) || !DecodeInto(parts[1], &encrypted_key_) ||
      !DecodeInto(parts[2], &iv_) || !DecodeInto(parts[3], &ciphertext_) ||
      !DecodeInto(parts[4], &tag_)) {
    return;
  }
  auto header = ParseJsonObject(AsStringView(header_json));
  if (!header.ok() || !header->contains("epk")) return;
  const boost::json::object& epk = header->at("epk").as_object();
  crypto::PublicComponents c;
  c.type = crypto::KeyType::kEc;
  c.curve = key.curve();
  if (!DecodeInto(std::string(epk.at("x").as_string()), &c.x) ||
      !DecodeInto(std::string(epk.at("y").as_string()), &c.y)) {
    return;
  }
  auto epk_key = crypto::PublicKey::FromComponents(c);
  if (!epk_key.ok()) return;
  epk_key_.emplace(std::move(epk_key).value());
  // OtherInfo (RFC 7518 section 4.6.2): AlgorithmID, PartyUInfo, PartyVInfo (empty), key bits.
  AppendLengthPrefixed(other_info_, AsBytes("ECDH-ES+A256KW"));
  AppendLengthPrefixed(other_info_, {});
  AppendLengthPrefixed(other_info_, {});
  for (uint8_t b : {0, 0, 1, 0}) other_info_.push_back(b);  // 256 bits
  ok_ = sha256_ && wrap_ && cbc_ && hmac_;
}

bool RawEcdhEsA256KwCbcHs512Decrypter::Decrypt(Bytes* plaintext) const {
  // 1. ECDH.
  std::array<uint8_t, 32> z;
  size_t z_len = z.size();
  EVP_PKEY_CTX* dctx = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey_, nullptr);
  bool ok = dctx != nullptr && EVP_PKEY_derive_init(dctx) == 1 &&
            EVP_PKEY_derive_set_peer(dctx, epk_key_->evp()) == 1 &&
            EVP_PKEY_derive(dctx, z.data(), &z_len) == 1 && z_len == z.size();
  EVP_PKEY_CTX_free(dctx);
  if (!ok) return false;
  // 2. Concat KDF: one SHA-256 round gives the 256-bit KEK.
  std::array<uint8_t, 32> kek;
  {
    MdCtx md;
    const uint8_t counter[4] = {0, 0, 0, 1};
    unsigned int kek_len = 0;
    ok = EVP_DigestInit_ex(md.ctx, sha256_.get(), nullptr) == 1 &&
         EVP_DigestUpdate(md.ctx, counter, 4) == 1 &&
         EVP_DigestUpdate(md.ctx, z.data(), z.size()) == 1 &&
         EVP_DigestUpdate(md.ctx, other_info_.data(), other_info_.size()) == 1 &&
         EVP_DigestFinal_ex(md.ctx, kek.data(), &kek_len) == 1;
    OPENSSL_cleanse(z.data(), z.size());
    if (!ok) return false;
  }
  // 3. AES-256 key unwrap of the 64-byte CEK.
  std::array<uint8_t, 64 + 16> cek;
  int cek_len = 0, final_len = 0;
  EVP_CIPHER_CTX* cctx = EVP_CIPHER_CTX_new();
  EVP_CIPHER_CTX_set_flags(cctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  ok = EVP_DecryptInit_ex(cctx, wrap_.get(), nullptr, kek.data(), nullptr) == 1 &&
       EVP_DecryptUpdate(cctx, cek.data(), &cek_len, encrypted_key_.data(),
                         static_cast<int>(encrypted_key_.size())) == 1 &&
       EVP_DecryptFinal_ex(cctx, cek.data() + cek_len, &final_len) == 1 &&
       cek_len + final_len == 64;
  EVP_CIPHER_CTX_free(cctx);
  OPENSSL_cleanse(kek.data(), kek.size());
  if (!ok) return false;
  // 4. HMAC-SHA-512 over AAD || IV || ciphertext || AL with the first half of the CEK.
  std::array<uint8_t, 64> mac;
  size_t mac_len = 0;
  const uint64_t aad_bits = static_cast<uint64_t>(aad_.size()) * 8;
  uint8_t al[8];
  for (int i = 0; i < 8; ++i) al[i] = static_cast<uint8_t>(aad_bits >> (56 - 8 * i));
  char digest[] = "SHA512";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  EVP_MAC_CTX* mctx = EVP_MAC_CTX_new(hmac_.get());
  ok = mctx != nullptr && EVP_MAC_init(mctx, cek.data(), 32, params) == 1 &&
       EVP_MAC_update(mctx, aad_.data(), aad_.size()) == 1 &&
       EVP_MAC_update(mctx, iv_.data(), iv_.size()) == 1 &&
       EVP_MAC_update(mctx, ciphertext_.data(), ciphertext_.size()) == 1 &&
       EVP_MAC_update(mctx, al, sizeof(al)) == 1 &&
       EVP_MAC_final(mctx, mac.data(), &mac_len, mac.size()) == 1 &&
       tag_.size() == 32 && CRYPTO_memcmp(mac.data(), tag_.data(), 32) == 0;
  EVP_MAC_CTX_free(mctx);
  if (!ok) {
    OPENSSL_cleanse(cek.data(), cek.size());
    return false;
  }
  // 5. AES-256-CBC decryption with the second half.
  plaintext->resize(ciphertext_.size() + 16);
  int out_len = 0, last_len = 0;
  cctx = EVP_CIPHER_CTX_new();
  ok = EVP_DecryptInit_ex(cctx, cbc_.get(), nullptr, cek.data() + 32, iv_.data()) == 1 &&
       EVP_DecryptUpdate(cctx, plaintext->data(), &out_len, ciphertext_.data(),
                         static_cast<int>(ciphertext_.size())) == 1 &&
       EVP_DecryptFinal_ex(cctx, plaintext->data() + out_len, &last_len) == 1;
  EVP_CIPHER_CTX_free(cctx);
  OPENSSL_cleanse(cek.data(), cek.size());
  if (!ok) return false;
  plaintext->resize(static_cast<size_t>(out_len + last_len));
  return true;
}

}  // namespace accord::bench
