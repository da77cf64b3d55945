#include "jose/jwk.h"

#include <openssl/crypto.h>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>

#include "common/base64url.h"
#include "common/json.h"
#include "crypto/hash.h"
#include "jose/internal/compact.h"
#include "jose/limits.h"

namespace accord::jose {
namespace {

using boost::json::object;

constexpr std::string_view kPrivateMembers[] = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"};

Status Malformed(std::string message) { return InvalidArgument(std::move(message), "malformed_jwk"); }

Result<Bytes> RequiredBytes(const object& o, std::string_view name) {
  const boost::json::value* v = o.if_contains(name);
  if (v == nullptr) return Malformed("JWK is missing '" + std::string(name) + "'");
  if (!v->is_string()) return Malformed("JWK member '" + std::string(name) + "' must be a string");
  Bytes out;
  if (!Base64UrlDecodeTo(v->as_string(), &out)) {
    return InvalidArgument("JWK member '" + std::string(name) + "' is not strict base64url",
                           "bad_base64url");
  }
  return out;
}

Result<crypto::SecretBytes> RequiredSecret(const object& o, std::string_view name) {
  ACCORD_ASSIGN_OR_RETURN(Bytes b, RequiredBytes(o, name));
  return crypto::SecretBytes::Adopt(std::move(b));
}

Status InvalidKey(const Status& s) {
  return InvalidArgument("JWK does not hold a valid key: " + s.message(), "invalid_key");
}

// Appends `"name":"value"` (value already JSON-safe base64url) to a secret buffer.
void AppendMember(Bytes* out, std::string_view name, std::string_view value) {
  out->push_back(',');
  out->push_back('"');
  out->insert(out->end(), name.begin(), name.end());
  const std::string_view mid = "\":\"";
  out->insert(out->end(), mid.begin(), mid.end());
  out->insert(out->end(), value.begin(), value.end());
  out->push_back('"');
}

void AppendSecret(Bytes* out, std::string_view name, const crypto::SecretBytes& secret) {
  std::string encoded = Base64UrlEncode(secret.view());
  AppendMember(out, name, encoded);
  OPENSSL_cleanse(encoded.data(), encoded.size());
}

}  // namespace

Result<Jwk> Jwk::Parse(std::string_view json) {
  JsonLimits limits;
  limits.max_bytes = kMaxJwkBytes;
  limits.max_depth = kMaxJsonDepth;
  ACCORD_ASSIGN_OR_RETURN(object o, ParseJsonObject(json, limits));
  return FromJson(o);
}

Result<Jwk> Jwk::ParsePublic(std::string_view json) {
  JsonLimits limits;
  limits.max_bytes = kMaxJwkBytes;
  limits.max_depth = kMaxJsonDepth;
  ACCORD_ASSIGN_OR_RETURN(object o, ParseJsonObject(json, limits));
  return FromPublicJson(o);
}

Result<Jwk> Jwk::FromPublicJson(const object& o) {
  for (std::string_view name : kPrivateMembers) {
    if (o.contains(name)) {
      return InvalidArgument("JWK carries private members where a public key is expected",
                             "unexpected_private_key");
    }
  }
  return FromJson(o);
}

Result<Jwk> Jwk::FromJson(const object& o) {
  const boost::json::value* kty_v = o.if_contains("kty");
  if (kty_v == nullptr || !kty_v->is_string()) return Malformed("JWK needs a string 'kty'");
  std::string_view kty = kty_v->as_string();

  crypto::PublicComponents pub;
  if (kty == "EC") {
    pub.type = crypto::KeyType::kEc;
  } else if (kty == "RSA") {
    pub.type = crypto::KeyType::kRsa;
  } else if (kty == "OKP") {
    pub.type = crypto::KeyType::kOkp;
  } else {
    return InvalidArgument("JWK key type is not supported (EC, RSA and OKP only)",
                           "unsupported_kty");
  }

  if (pub.type != crypto::KeyType::kRsa) {
    const boost::json::value* crv = o.if_contains("crv");
    if (crv == nullptr || !crv->is_string()) return Malformed("JWK needs a string 'crv'");
    auto curve = crypto::CurveFromName(crv->as_string());
    bool ec_curve = curve.ok() && (*curve == crypto::Curve::kP256 ||
                                   *curve == crypto::Curve::kP384 ||
                                   *curve == crypto::Curve::kP521);
    bool okp_curve = curve.ok() && (*curve == crypto::Curve::kEd25519 ||
                                    *curve == crypto::Curve::kX25519);
    if ((pub.type == crypto::KeyType::kEc && !ec_curve) ||
        (pub.type == crypto::KeyType::kOkp && !okp_curve)) {
      return InvalidArgument("JWK curve is not supported", "unsupported_crv");
    }
    pub.curve = *curve;
    ACCORD_ASSIGN_OR_RETURN(pub.x, RequiredBytes(o, "x"));
    if (pub.type == crypto::KeyType::kEc) {
      ACCORD_ASSIGN_OR_RETURN(pub.y, RequiredBytes(o, "y"));
    }
  } else {
    if (o.contains("oth")) {
      return InvalidArgument("multi-prime RSA keys are not supported", "invalid_key");
    }
    ACCORD_ASSIGN_OR_RETURN(pub.n, RequiredBytes(o, "n"));
    ACCORD_ASSIGN_OR_RETURN(pub.e, RequiredBytes(o, "e"));
  }

  // Metadata.
  std::string kid, alg, use;
  std::vector<std::string> key_ops;
  {
    ACCORD_ASSIGN_OR_RETURN(auto v, internal::OptionalString(o, "kid"));
    if (v) kid = std::move(*v);
  }
  {
    ACCORD_ASSIGN_OR_RETURN(auto v, internal::OptionalString(o, "alg"));
    if (v) alg = std::move(*v);
  }
  {
    ACCORD_ASSIGN_OR_RETURN(auto v, internal::OptionalString(o, "use"));
    if (v) use = std::move(*v);
  }
  if (const boost::json::value* ops = o.if_contains("key_ops")) {
    if (!ops->is_array()) return Malformed("JWK 'key_ops' must be an array");
    std::set<std::string> seen;
    for (const boost::json::value& op : ops->as_array()) {
      if (!op.is_string()) return Malformed("JWK 'key_ops' entries must be strings");
      std::string s(op.as_string());
      if (!seen.insert(s).second) return Malformed("JWK 'key_ops' repeats a value");
      key_ops.push_back(std::move(s));
    }
  }

  std::optional<Jwk> jwk;
  if (o.contains("d")) {
    crypto::PrivateComponents priv;
    priv.pub = pub;
    ACCORD_ASSIGN_OR_RETURN(priv.d, RequiredSecret(o, "d"));
    if (pub.type == crypto::KeyType::kRsa) {
      ACCORD_ASSIGN_OR_RETURN(priv.p, RequiredSecret(o, "p"));
      ACCORD_ASSIGN_OR_RETURN(priv.q, RequiredSecret(o, "q"));
      ACCORD_ASSIGN_OR_RETURN(priv.dp, RequiredSecret(o, "dp"));
      ACCORD_ASSIGN_OR_RETURN(priv.dq, RequiredSecret(o, "dq"));
      ACCORD_ASSIGN_OR_RETURN(priv.qi, RequiredSecret(o, "qi"));
    }
    auto key = crypto::PrivateKey::FromComponents(priv);
    if (!key.ok()) return InvalidKey(key.status());
    jwk = FromPrivateKey(std::move(*key));
  } else {
    // Without 'd' this is a public key, so it must carry no private member at all: a key that is
    // half private is malformed, and Parse() and ParsePublic() must agree on what is public.
    for (std::string_view name : kPrivateMembers) {
      if (o.contains(name)) {
        return Malformed("JWK has private member '" + std::string(name) + "' but no 'd'");
      }
    }
    auto key = crypto::PublicKey::FromComponents(pub);
    if (!key.ok()) return InvalidKey(key.status());
    jwk = FromPublicKey(std::move(*key));
  }
  jwk->kid_ = std::move(kid);
  jwk->alg_ = std::move(alg);
  jwk->use_ = std::move(use);
  jwk->key_ops_ = std::move(key_ops);
  return std::move(*jwk);
}

Jwk Jwk::FromPublicKey(crypto::PublicKey key) { return Jwk(std::move(key)); }

Jwk Jwk::FromPrivateKey(crypto::PrivateKey key) {
  Jwk jwk(key.public_key());
  jwk.private_key_ = std::move(key);
  return jwk;
}

std::string_view Jwk::kty() const {
  switch (type()) {
    case crypto::KeyType::kEc:
      return "EC";
    case crypto::KeyType::kRsa:
      return "RSA";
    case crypto::KeyType::kOkp:
      return "OKP";
  }
  return "";
}

Jwk Jwk::PublicOnly() const {
  Jwk copy(public_key_);
  copy.kid_ = kid_;
  copy.alg_ = alg_;
  copy.use_ = use_;
  copy.key_ops_ = key_ops_;
  return copy;
}

object Jwk::ToPublicJsonObject() const {
  crypto::PublicComponents c = public_key_.Components();
  object o;
  o["kty"] = kty();
  if (c.type == crypto::KeyType::kRsa) {
    o["n"] = Base64UrlEncode(c.n);
    o["e"] = Base64UrlEncode(c.e);
  } else {
    o["crv"] = crypto::CurveName(c.curve);
    o["x"] = Base64UrlEncode(c.x);
    if (c.type == crypto::KeyType::kEc) o["y"] = Base64UrlEncode(c.y);
  }
  if (!kid_.empty()) o["kid"] = kid_;
  if (!alg_.empty()) o["alg"] = alg_;
  if (!use_.empty()) o["use"] = use_;
  if (!key_ops_.empty()) {
    boost::json::array ops;
    for (const std::string& op : key_ops_) ops.emplace_back(op);
    o["key_ops"] = std::move(ops);
  }
  return o;
}

std::string Jwk::ToPublicJson() const { return boost::json::serialize(ToPublicJsonObject()); }

Result<crypto::SecretBytes> Jwk::ToPrivateJson() const {
  if (!private_key_) {
    return FailedPrecondition("JWK holds no private key", "no_private_key");
  }
  std::string pub = ToPublicJson();
  Bytes out(pub.begin(), pub.end() - 1);  // without the closing brace
  crypto::PrivateComponents c = private_key_->ExportPrivateComponents();
  AppendSecret(&out, "d", c.d);
  if (type() == crypto::KeyType::kRsa) {
    AppendSecret(&out, "p", c.p);
    AppendSecret(&out, "q", c.q);
    AppendSecret(&out, "dp", c.dp);
    AppendSecret(&out, "dq", c.dq);
    AppendSecret(&out, "qi", c.qi);
  }
  out.push_back('}');
  return crypto::SecretBytes::Adopt(std::move(out));
}

std::string Jwk::Thumbprint() const {
  crypto::PublicComponents c = public_key_.Components();
  std::string input;
  if (c.type == crypto::KeyType::kRsa) {
    input = "{\"e\":\"" + Base64UrlEncode(c.e) + "\",\"kty\":\"RSA\",\"n\":\"" +
            Base64UrlEncode(c.n) + "\"}";
  } else if (c.type == crypto::KeyType::kEc) {
    input = "{\"crv\":\"" + std::string(crypto::CurveName(c.curve)) + "\",\"kty\":\"EC\",\"x\":\"" +
            Base64UrlEncode(c.x) + "\",\"y\":\"" + Base64UrlEncode(c.y) + "\"}";
  } else {
    input = "{\"crv\":\"" + std::string(crypto::CurveName(c.curve)) +
            "\",\"kty\":\"OKP\",\"x\":\"" + Base64UrlEncode(c.x) + "\"}";
  }
  auto digest = crypto::Sha256(AsBytes(input));
  return Base64UrlEncode(BytesView(digest.data(), digest.size()));
}

std::string Jwk::ThumbprintUri() const {
  return std::string(kJwkThumbprintUriPrefix) + Thumbprint();
}

Status Jwk::CheckForSignature(crypto::SignatureAlgorithm alg, bool signing) const {
  std::string_view name = crypto::JwaName(alg);
  if (!alg_.empty() && alg_ != name) {
    return PermissionDenied("the key's alg does not allow " + std::string(name),
                            "alg_key_mismatch");
  }
  if (!use_.empty() && use_ != "sig") {
    return PermissionDenied("the key is not a signature key", "alg_key_mismatch");
  }
  if (!key_ops_.empty()) {
    std::string_view op = signing ? "sign" : "verify";
    if (std::find(key_ops_.begin(), key_ops_.end(), op) == key_ops_.end()) {
      return PermissionDenied("the key's key_ops do not allow " + std::string(op),
                              "alg_key_mismatch");
    }
  }
  Status s = crypto::CheckKeyForAlgorithm(type(), curve(), alg);
  if (!s.ok()) {
    return PermissionDenied("the key type or curve does not fit " + std::string(name),
                            "alg_key_mismatch");
  }
  return Status::Ok();
}

}  // namespace accord::jose
