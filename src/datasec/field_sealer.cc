#include "datasec/field_sealer.h"

#include <array>

#include "common/base64url.h"
#include "crypto/cipher.h"
#include "crypto/random.h"

namespace accord::datasec {
namespace {

constexpr size_t kIvBytes = 12;
constexpr size_t kTagBytes = 16;
constexpr size_t kWrappedDekMaxBytes = 512;  // KMS-wrapped keys may be longer than AES-KW's 40

struct Parsed {
  std::string_view kek_id;
  Bytes wrapped, iv, ciphertext, tag;
};

Status BadEnvelope() { return DataLoss("sealed field is malformed", "bad_envelope"); }

Result<Parsed> ParseEnvelope(std::string_view envelope) {
  if (!FieldSealer::IsSealed(envelope)) return DataLoss("field is not sealed", "not_sealed");
  if (envelope.size() > kMaxSealedPlaintextBytes * 2) return BadEnvelope();
  std::array<std::string_view, 4> parts;
  std::string_view rest = envelope.substr(kEnvelopePrefix.size());
  for (size_t i = 0; i < 4; ++i) {
    size_t dot = rest.find('.');
    if ((i < 3) != (dot != std::string_view::npos)) return BadEnvelope();
    parts[i] = rest.substr(0, dot);
    if (i < 3) rest = rest.substr(dot + 1);
  }
  Parsed p;
  p.kek_id = parts[0];
  if (!IsValidKekId(p.kek_id)) return BadEnvelope();
  auto wrapped = Base64UrlDecode(parts[1]);
  auto iv = Base64UrlDecode(parts[2]);
  auto body = Base64UrlDecode(parts[3]);
  if (!wrapped.ok() || !iv.ok() || !body.ok() || iv->size() != kIvBytes ||
      body->size() < kTagBytes || wrapped->empty() || wrapped->size() > kWrappedDekMaxBytes) {
    return BadEnvelope();
  }
  p.wrapped = std::move(*wrapped);
  p.iv = std::move(*iv);
  p.tag.assign(body->end() - kTagBytes, body->end());
  body->resize(body->size() - kTagBytes);
  p.ciphertext = std::move(*body);
  return p;
}

std::string Format(std::string_view kek_id, BytesView wrapped, std::string_view iv_b64,
                   std::string_view body_b64) {
  std::string out(kEnvelopePrefix);
  out.reserve(out.size() + kek_id.size() + wrapped.size() * 2 + iv_b64.size() + body_b64.size() + 4);
  out += kek_id;
  out += '.';
  out += Base64UrlEncode(wrapped);
  out += '.';
  out += iv_b64;
  out += '.';
  out += body_b64;
  return out;
}

}  // namespace

std::string FieldSealer::AssociatedData(const FieldContext& c) {
  std::string aad = "accord-field-v1";
  for (std::string_view part : {c.record_type, c.record_id, c.field}) {
    aad += '\0';
    aad += std::to_string(part.size());
    aad += ':';
    aad += part;
  }
  return aad;
}

Result<std::string> FieldSealer::Seal(const FieldContext& context,
                                      std::string_view plaintext) const {
  if (plaintext.size() > kMaxSealedPlaintextBytes) {
    return OutOfRange("field too large to seal", "too_large");
  }
  crypto::SecretBytes dek = crypto::RandomSecret(kDekBytes);
  Bytes iv = crypto::RandomBytes(kIvBytes);
  std::string aad = AssociatedData(context);
  ACCORD_ASSIGN_OR_RETURN(crypto::Sealed sealed,
                          crypto::AesGcmSeal(dek.view(), iv, AsBytes(aad), AsBytes(plaintext)));
  ACCORD_ASSIGN_OR_RETURN(WrappedKey wrapped, keks_->Wrap(dek.view()));
  sealed.ciphertext.insert(sealed.ciphertext.end(), sealed.tag.begin(), sealed.tag.end());
  return Format(wrapped.kek_id, wrapped.wrapped, Base64UrlEncode(iv),
                Base64UrlEncode(sealed.ciphertext));
}

Result<std::string> FieldSealer::Open(const FieldContext& context,
                                      std::string_view envelope) const {
  ACCORD_ASSIGN_OR_RETURN(Parsed p, ParseEnvelope(envelope));
  ACCORD_ASSIGN_OR_RETURN(crypto::SecretBytes dek, keks_->Unwrap(p.kek_id, p.wrapped));
  if (dek.size() != kDekBytes) return BadEnvelope();
  std::string aad = AssociatedData(context);
  ACCORD_ASSIGN_OR_RETURN(Bytes plain,
                          crypto::AesGcmOpen(dek.view(), p.iv, AsBytes(aad), p.ciphertext, p.tag));
  return ToString(plain);
}

Result<std::string> FieldSealer::Rewrap(std::string_view envelope) const {
  ACCORD_ASSIGN_OR_RETURN(Parsed p, ParseEnvelope(envelope));
  if (p.kek_id == keks_->CurrentKekId()) return std::string(envelope);
  ACCORD_ASSIGN_OR_RETURN(crypto::SecretBytes dek, keks_->Unwrap(p.kek_id, p.wrapped));
  ACCORD_ASSIGN_OR_RETURN(WrappedKey wrapped, keks_->Wrap(dek.view()));
  // iv and body are copied verbatim: the data ciphertext does not change.
  std::string_view rest = envelope.substr(kEnvelopePrefix.size());
  rest = rest.substr(rest.find('.') + 1);  // skip kek id
  rest = rest.substr(rest.find('.') + 1);  // skip wrapped DEK
  size_t dot = rest.find('.');
  return Format(wrapped.kek_id, wrapped.wrapped, rest.substr(0, dot), rest.substr(dot + 1));
}

Result<std::string> FieldSealer::KekIdOf(std::string_view envelope) {
  ACCORD_ASSIGN_OR_RETURN(Parsed p, ParseEnvelope(envelope));
  return std::string(p.kek_id);
}

}  // namespace accord::datasec
