#include "jose/jwt.h"

#include <boost/json/serialize.hpp>

#include <cmath>

#include "common/json.h"
#include "jose/internal/compact.h"

namespace accord::jose {
namespace {

using boost::json::object;
using boost::json::value;

constexpr double kMaxNumericDate = 1e15;

std::string_view StripApplication(std::string_view typ) {
  constexpr std::string_view kPrefix = "application/";
  if (typ.size() > kPrefix.size() &&
      internal::EqualsIgnoreCase(typ.substr(0, kPrefix.size()), kPrefix)) {
    return typ.substr(kPrefix.size());
  }
  return typ;
}

Status BadClaim(std::string_view name) {
  return InvalidArgument("claim '" + std::string(name) + "' has the wrong type", "bad_claim");
}

// NumericDate: a JSON number within bounds. nullopt when absent.
Result<std::optional<double>> NumericDate(const object& claims, std::string_view name) {
  const value* v = claims.if_contains(name);
  if (v == nullptr) return std::optional<double>();
  double d;
  if (v->is_int64()) {
    d = static_cast<double>(v->as_int64());
  } else if (v->is_uint64()) {
    d = static_cast<double>(v->as_uint64());
  } else if (v->is_double()) {
    d = v->as_double();
  } else {
    return BadClaim(name);
  }
  if (!std::isfinite(d) || std::fabs(d) > kMaxNumericDate) return BadClaim(name);
  return std::optional<double>(d);
}

}  // namespace

bool TypHeaderMatches(std::string_view expected, std::string_view actual) {
  return internal::EqualsIgnoreCase(StripApplication(expected), StripApplication(actual));
}

// ---- VerifiedJwt ----

std::vector<std::string> VerifiedJwt::audiences() const {
  std::vector<std::string> out;
  const value* v = claims_.if_contains("aud");
  if (v == nullptr) return out;
  if (v->is_string()) {
    out.emplace_back(v->as_string());
  } else if (v->is_array()) {
    for (const value& a : v->as_array()) {
      if (a.is_string()) out.emplace_back(a.as_string());
    }
  }
  return out;
}

std::optional<std::string> VerifiedJwt::GetString(std::string_view name) const {
  const value* v = claims_.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<int64_t> VerifiedJwt::GetInt(std::string_view name) const {
  const value* v = claims_.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v->as_uint64());
  }
  return std::nullopt;
}

std::optional<bool> VerifiedJwt::GetBool(std::string_view name) const {
  const value* v = claims_.if_contains(name);
  if (v == nullptr || !v->is_bool()) return std::nullopt;
  return v->as_bool();
}

const boost::json::object* VerifiedJwt::GetObject(std::string_view name) const {
  const value* v = claims_.if_contains(name);
  return v != nullptr && v->is_object() ? &v->as_object() : nullptr;
}

const boost::json::array* VerifiedJwt::GetArray(std::string_view name) const {
  const value* v = claims_.if_contains(name);
  return v != nullptr && v->is_array() ? &v->as_array() : nullptr;
}

std::optional<int64_t> VerifiedJwt::GetNumericDate(std::string_view name) const {
  auto d = NumericDate(claims_, name);
  if (!d.ok() || !d->has_value()) return std::nullopt;
  return static_cast<int64_t>(**d);
}

// ---- JwtValidator::Builder ----

using Builder = JwtValidator::Builder;

Builder& Builder::ExpectIssuer(std::string issuer) { issuer_ = std::move(issuer); return *this; }
Builder& Builder::IgnoreIssuer() { ignore_issuer_ = true; return *this; }
Builder& Builder::ExpectAudience(std::string audience) {
  audience_ = std::move(audience);
  return *this;
}
Builder& Builder::IgnoreAudiences() { ignore_audiences_ = true; return *this; }
Builder& Builder::ExpectTypeHeader(std::string typ) { typ_ = std::move(typ); return *this; }
Builder& Builder::IgnoreTypeHeader() { ignore_typ_ = true; return *this; }
Builder& Builder::AllowMissingExpirationUnsafe() { allow_missing_exp_ = true; return *this; }
Builder& Builder::RequireIssuedAt() { require_iat_ = true; return *this; }
Builder& Builder::SetMaxAgeSeconds(int64_t max_age) { max_age_ = max_age; return *this; }
Builder& Builder::RequireJwtId() { require_jti_ = true; return *this; }
Builder& Builder::SetClockSkewSeconds(int64_t skew) { skew_ = skew; return *this; }
Builder& Builder::SetClock(const Clock& clock) { clock_ = &clock; return *this; }

Result<JwtValidator> Builder::Build() const {
  auto bad = [](std::string m) { return InvalidArgument(std::move(m), "bad_validator"); };
  if (issuer_ && ignore_issuer_) return bad("ExpectIssuer and IgnoreIssuer contradict");
  if (audience_ && ignore_audiences_) return bad("ExpectAudience and IgnoreAudiences contradict");
  if (typ_ && ignore_typ_) return bad("ExpectTypeHeader and IgnoreTypeHeader contradict");
  if ((issuer_ && issuer_->empty()) || (audience_ && audience_->empty()) ||
      (typ_ && typ_->empty())) {
    return bad("expected values must not be empty");
  }
  if (skew_ < 0 || skew_ > kMaxClockSkewSeconds) return bad("clock skew must be in [0, 300] s");
  if (max_age_ && *max_age_ <= 0) return bad("max age must be positive");
  JwtValidator v;
  v.issuer_ = issuer_;
  v.audience_ = audience_;
  v.typ_ = typ_;
  v.ignore_issuer_ = ignore_issuer_;
  v.ignore_audiences_ = ignore_audiences_;
  v.ignore_typ_ = ignore_typ_;
  v.allow_missing_exp_ = allow_missing_exp_;
  v.require_iat_ = require_iat_ || max_age_.has_value();
  v.require_jti_ = require_jti_;
  v.max_age_ = max_age_;
  v.skew_ = skew_;
  v.clock_ = clock_ != nullptr ? clock_ : &SystemClock::Instance();
  return v;
}

// ---- JwtValidator ----

Status JwtValidator::Validate(const object& header, const object& claims) const {
  // typ header.
  ACCORD_ASSIGN_OR_RETURN(std::optional<std::string> typ, internal::OptionalString(header, "typ"));
  if (typ_) {
    if (!typ || !TypHeaderMatches(*typ_, *typ)) {
      return PermissionDenied("token type header is not the expected one", "wrong_typ");
    }
  } else if (!ignore_typ_ && typ) {
    return PermissionDenied("token has a type header but none was expected", "wrong_typ");
  }

  // Types of the registered claims.
  for (std::string_view name : {"iss", "sub", "jti"}) {
    const value* v = claims.if_contains(name);
    if (v != nullptr && !v->is_string()) return BadClaim(name);
  }
  if (const value* aud = claims.if_contains("aud")) {
    if (aud->is_array()) {
      for (const value& a : aud->as_array()) {
        if (!a.is_string()) return BadClaim("aud");
      }
    } else if (!aud->is_string()) {
      return BadClaim("aud");
    }
  }
  ACCORD_ASSIGN_OR_RETURN(std::optional<double> exp, NumericDate(claims, "exp"));
  ACCORD_ASSIGN_OR_RETURN(std::optional<double> nbf, NumericDate(claims, "nbf"));
  ACCORD_ASSIGN_OR_RETURN(std::optional<double> iat, NumericDate(claims, "iat"));

  // Time.
  const double now = static_cast<double>(clock_->NowSeconds());
  const double skew = static_cast<double>(skew_);
  if (!exp && !allow_missing_exp_) return InvalidArgument("token has no exp", "missing_exp");
  if (exp && now >= *exp + skew) return FailedPrecondition("token has expired", "token_expired");
  if (nbf && now + skew < *nbf) {
    return FailedPrecondition("token is not yet valid", "token_not_yet_valid");
  }
  if (!iat && require_iat_) return InvalidArgument("token has no iat", "missing_iat");
  if (iat && now + skew < *iat) {
    return FailedPrecondition("token was issued in the future", "iat_in_future");
  }
  if (iat && max_age_ && now >= *iat + static_cast<double>(*max_age_) + skew) {
    return FailedPrecondition("token is older than the maximum age", "token_too_old");
  }

  // Issuer and audience.
  const value* iss = claims.if_contains("iss");
  if (issuer_) {
    if (iss == nullptr || iss->as_string() != *issuer_) {
      return PermissionDenied("token issuer is not the expected one", "wrong_issuer");
    }
  } else if (!ignore_issuer_ && iss != nullptr) {
    return PermissionDenied("token has an issuer but none was expected", "wrong_issuer");
  }
  const value* aud = claims.if_contains("aud");
  if (audience_) {
    bool found = false;
    if (aud != nullptr && aud->is_string()) {
      found = aud->as_string() == *audience_;
    } else if (aud != nullptr) {
      for (const value& a : aud->as_array()) found = found || a.as_string() == *audience_;
    }
    if (!found) return PermissionDenied("token is not meant for this audience", "wrong_audience");
  } else if (!ignore_audiences_ && aud != nullptr) {
    return PermissionDenied("token has an audience but none was expected", "wrong_audience");
  }

  if (require_jti_ && !claims.contains("jti")) {
    return InvalidArgument("token has no jti", "missing_jti");
  }
  return Status::Ok();
}

// ---- JwtVerifier ----

Result<VerifiedJwt> JwtVerifier::Verify(std::string_view compact) const {
  ACCORD_ASSIGN_OR_RETURN(VerifiedJws jws, jws_.Verify(compact));
  return FromVerifiedJws(jws);
}

Result<VerifiedJwt> JwtVerifier::VerifyNested(const JweDecrypter& decrypter,
                                              std::string_view compact) const {
  ACCORD_ASSIGN_OR_RETURN(VerifiedJws jws, DecryptAndVerifyNested(decrypter, jws_, compact));
  return FromVerifiedJws(jws);
}

Result<VerifiedJwt> JwtVerifier::FromVerifiedJws(const VerifiedJws& jws) const {
  // Only now, with the signature checked, is the payload parsed.
  JsonLimits limits;
  limits.max_bytes = kHardMaxTokenBytes;
  limits.max_depth = kMaxJsonDepth;
  auto parsed = ParseJson(jws.payload_string(), limits);
  if (!parsed.ok()) {
    if (parsed.status().reason() == "duplicate_key") {
      return InvalidArgument("claims have a duplicate name", "duplicate_key");
    }
    if (parsed.status().code() == StatusCode::kOutOfRange) return parsed.status();
    return InvalidArgument("claims are not valid JSON", "malformed");
  }
  if (!parsed->is_object()) return InvalidArgument("claims are not a JSON object", "malformed");
  object claims = std::move(parsed->as_object());
  ACCORD_RETURN_IF_ERROR(validator_.Validate(jws.header(), claims));
  return VerifiedJwt(jws.header(), std::move(claims), jws.alg(), jws.key_id());
}

// ---- JwtSigner ----

Result<JwtSigner> JwtSigner::Create(Jwk key, crypto::SignatureAlgorithm alg, std::string typ) {
  ACCORD_ASSIGN_OR_RETURN(JwsSigner signer, JwsSigner::Create(std::move(key), alg));
  return JwtSigner(std::move(signer), std::move(typ));
}

Result<std::string> JwtSigner::Sign(const object& claims, const object& extra_header) const {
  if (extra_header.contains("typ")) {
    return InvalidArgument("typ is fixed by the JwtSigner", "reserved_header");
  }
  object header;
  if (!typ_.empty()) header["typ"] = typ_;
  for (const auto& member : extra_header) header[member.key()] = member.value();
  return signer_.Sign(boost::json::serialize(claims), header);
}

}  // namespace accord::jose
