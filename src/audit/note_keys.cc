#include "audit/note_keys.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "audit/internal/ed25519.h"
#include "common/base64url.h"
#include "crypto/hash.h"
#include "crypto/signature.h"

namespace accord::audit {
namespace {

constexpr std::string_view kPrivatePrefix = "PRIVATE+KEY+";
constexpr size_t kMaxKeyString = 2048;

Status BadKey(std::string_view why) {
  return InvalidArgument("bad note key: " + std::string(why), "bad_key");
}

std::string Hex8(uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof(buf), "%08x", v);
  return buf;
}

struct ParsedKey {
  std::string name;
  uint32_t key_id = 0;
  NoteKeyType type = NoteKeyType::kEd25519;
  Bytes material;  // without the type byte (public key or seed)
};

// "<name>+<hex>+<base64>"; the material is wiped by the caller for skeys.
Result<ParsedKey> ParseKeyFields(std::string_view s) {
  if (s.size() > kMaxKeyString) return BadKey("too long");
  const size_t p1 = s.find('+');
  if (p1 == std::string_view::npos) return BadKey("missing fields");
  const size_t p2 = s.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return BadKey("missing fields");
  ParsedKey k;
  k.name = std::string(s.substr(0, p1));
  const std::string_view hex = s.substr(p1 + 1, p2 - p1 - 1);
  const std::string_view b64 = s.substr(p2 + 1);
  if (!IsValidKeyName(k.name)) return BadKey("invalid name");
  Bytes id;
  if (hex.size() != 8 || !HexDecode(hex, &id) || HexEncode(id) != hex) return BadKey("bad key ID");
  k.key_id = (uint32_t{id[0]} << 24) | (uint32_t{id[1]} << 16) | (uint32_t{id[2]} << 8) | id[3];
  auto raw = Base64Decode(b64);
  if (!raw.ok() || raw->size() != 33 || Base64Encode(*raw) != b64) return BadKey("bad key data");
  if ((*raw)[0] != 0x01 && (*raw)[0] != 0x04) return BadKey("unknown key type");
  k.type = static_cast<NoteKeyType>((*raw)[0]);
  k.material.assign(raw->begin() + 1, raw->end());
  crypto::SecretBytes::Adopt(std::move(*raw));  // wipe the decoded copy
  return k;
}

std::string EncodeKey(std::string_view name, uint32_t id, NoteKeyType type, BytesView material) {
  Bytes raw(1 + material.size());
  raw[0] = static_cast<uint8_t>(type);
  std::copy(material.begin(), material.end(), raw.begin() + 1);
  std::string out = std::string(name) + "+" + Hex8(id) + "+" + Base64Encode(raw);
  crypto::SecretBytes::Adopt(std::move(raw));
  return out;
}

class Ed25519Verifier final : public NoteVerifier {
 public:
  Ed25519Verifier(std::string name, uint32_t id, NoteKeyType type, crypto::PublicKey key)
      : name_(std::move(name)), id_(id), type_(type), key_(std::move(key)) {}
  const std::string& name() const override { return name_; }
  uint32_t key_id() const override { return id_; }
  Status Verify(std::string_view text, BytesView sig) const override {
    if (type_ == NoteKeyType::kEd25519) {
      return crypto::Verify(key_, crypto::SignatureAlgorithm::kEdDsa, AsBytes(text), sig);
    }
    if (sig.size() != 8 + 64) return Unauthenticated("bad cosignature length", "bad_signature");
    ACCORD_ASSIGN_OR_RETURN(uint64_t ts, CosignatureTimestamp(sig));
    if (ts > static_cast<uint64_t>(INT64_MAX)) {
      return Unauthenticated("cosignature timestamp too large", "bad_signature");
    }
    const std::string msg = CosignatureV1Message(ts, text);
    return crypto::Verify(key_, crypto::SignatureAlgorithm::kEdDsa, AsBytes(msg), sig.subspan(8));
  }

 private:
  std::string name_;
  uint32_t id_;
  NoteKeyType type_;
  crypto::PublicKey key_;
};

class Ed25519Signer final : public NoteSigner {
 public:
  Ed25519Signer(std::string name, uint32_t id, NoteKeyType type, crypto::PrivateKey key,
                const Clock& clock)
      : name_(std::move(name)), id_(id), type_(type), key_(std::move(key)), clock_(clock) {}
  const std::string& name() const override { return name_; }
  uint32_t key_id() const override { return id_; }
  Result<Bytes> Sign(std::string_view text) const override {
    if (type_ == NoteKeyType::kEd25519) {
      return crypto::Sign(key_, crypto::SignatureAlgorithm::kEdDsa, AsBytes(text));
    }
    const int64_t now = clock_.NowSeconds();
    if (now < 0) return Internal("clock before the epoch");
    const uint64_t ts = static_cast<uint64_t>(now);
    ACCORD_ASSIGN_OR_RETURN(
        Bytes sig,
        crypto::Sign(key_, crypto::SignatureAlgorithm::kEdDsa, AsBytes(CosignatureV1Message(ts, text))));
    Bytes out(8);
    for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(ts >> (56 - 8 * i));
    out.insert(out.end(), sig.begin(), sig.end());
    return out;
  }

 private:
  std::string name_;
  uint32_t id_;
  NoteKeyType type_;
  crypto::PrivateKey key_;
  const Clock& clock_;
};

Result<ParsedKey> ParseSignerKeyFields(std::string_view skey) {
  if (skey.substr(0, kPrivatePrefix.size()) != kPrivatePrefix) return BadKey("not a signer key");
  return ParseKeyFields(skey.substr(kPrivatePrefix.size()));
}

}  // namespace

uint32_t NoteKeyId(std::string_view name, NoteKeyType type, BytesView public_key) {
  crypto::Sha256Hasher h;
  h.Update(AsBytes(name));
  const uint8_t sep[2] = {0x0A, static_cast<uint8_t>(type)};
  h.Update(BytesView(sep, 2));
  h.Update(public_key);
  const auto d = h.Finish();
  return (uint32_t{d[0]} << 24) | (uint32_t{d[1]} << 16) | (uint32_t{d[2]} << 8) | d[3];
}

Result<NoteKeyPair> GenerateNoteKey(std::string_view name, NoteKeyType type) {
  if (!IsValidKeyName(name)) return BadKey("invalid name");
  ACCORD_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::GenerateOkp(crypto::Curve::kEd25519));
  const crypto::PrivateComponents c = key.ExportPrivateComponents();
  const uint32_t id = NoteKeyId(name, type, c.pub.x);
  NoteKeyPair out;
  out.vkey = EncodeKey(name, id, type, c.pub.x);
  std::string skey = std::string(kPrivatePrefix) + EncodeKey(name, id, type, c.d.view());
  out.skey = crypto::SecretBytes(AsBytes(skey));
  crypto::SecretBytes::Adopt(ToBytes(skey));
  std::fill(skey.begin(), skey.end(), '\0');
  return out;
}

Result<std::string> VerifierKeyFromSignerKey(std::string_view skey) {
  ACCORD_ASSIGN_OR_RETURN(ParsedKey k, ParseSignerKeyFields(skey));
  crypto::SecretBytes seed = crypto::SecretBytes::Adopt(std::move(k.material));
  ACCORD_ASSIGN_OR_RETURN(Bytes pub, internal::Ed25519PublicFromSeed(seed.view()));
  if (NoteKeyId(k.name, k.type, pub) != k.key_id) return BadKey("key ID does not match");
  return EncodeKey(k.name, k.key_id, k.type, pub);
}

Result<std::unique_ptr<NoteVerifier>> NewNoteVerifier(std::string_view vkey) {
  ACCORD_ASSIGN_OR_RETURN(ParsedKey k, ParseKeyFields(vkey));
  if (NoteKeyId(k.name, k.type, k.material) != k.key_id) return BadKey("key ID does not match");
  crypto::PublicComponents c;
  c.type = crypto::KeyType::kOkp;
  c.curve = crypto::Curve::kEd25519;
  c.x = k.material;
  auto pub = crypto::PublicKey::FromComponents(c);
  if (!pub.ok()) return BadKey("invalid Ed25519 public key");
  return std::unique_ptr<NoteVerifier>(
      new Ed25519Verifier(std::move(k.name), k.key_id, k.type, std::move(*pub)));
}

Result<std::unique_ptr<NoteSigner>> NewNoteSigner(std::string_view skey, const Clock& clock) {
  ACCORD_ASSIGN_OR_RETURN(ParsedKey k, ParseSignerKeyFields(skey));
  crypto::PrivateComponents c;
  c.pub.type = crypto::KeyType::kOkp;
  c.pub.curve = crypto::Curve::kEd25519;
  c.d = crypto::SecretBytes::Adopt(std::move(k.material));
  ACCORD_ASSIGN_OR_RETURN(c.pub.x, internal::Ed25519PublicFromSeed(c.d.view()));
  if (NoteKeyId(k.name, k.type, c.pub.x) != k.key_id) return BadKey("key ID does not match");
  auto key = crypto::PrivateKey::FromComponents(c);
  if (!key.ok()) return BadKey("invalid Ed25519 private key");
  return std::unique_ptr<NoteSigner>(
      new Ed25519Signer(std::move(k.name), k.key_id, k.type, std::move(*key), clock));
}

Result<NoteKeyType> VerifierKeyType(std::string_view vkey) {
  ACCORD_ASSIGN_OR_RETURN(ParsedKey k, ParseKeyFields(vkey));
  return k.type;
}

Result<uint64_t> CosignatureTimestamp(BytesView sig) {
  if (sig.size() < 8) return InvalidArgument("cosignature too short", "bad_signature");
  uint64_t ts = 0;
  for (int i = 0; i < 8; ++i) ts = (ts << 8) | sig[i];
  return ts;
}

std::string CosignatureV1Message(uint64_t timestamp, std::string_view checkpoint_text) {
  return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" + std::string(checkpoint_text);
}

}  // namespace accord::audit
