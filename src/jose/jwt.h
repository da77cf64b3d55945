// JSON Web Tokens (RFC 7519) on top of JWS: claim validation, VerifiedJwt, a verifier and a signer.
//
// Time rules, with now from the injected Clock and skew the configured clock skew (default 60 s,
// at most 300 s), all in whole seconds (NumericDate values may be fractional; they are compared
// as numbers):
//   expired           when now >= exp + skew        FailedPrecondition "token_expired"
//   not yet valid     when now + skew < nbf         FailedPrecondition "token_not_yet_valid"
//   iat in the future when now + skew < iat         FailedPrecondition "iat_in_future"
//   too old           when now >= iat + max_age + skew   FailedPrecondition "token_too_old"
// So a token with exp = T is still accepted at now = T + skew - 1 and rejected at now = T + skew;
// a token with nbf = T is accepted from now = T - skew.
//
// Other claim errors: InvalidArgument "missing_exp", "missing_iat", "missing_jti", "bad_claim"
// (a registered claim of the wrong JSON type); PermissionDenied "wrong_issuer", "wrong_audience",
// "wrong_typ" (also for an issuer/audience/typ present when the validator did not expect one and
// was not told to ignore it, as in Tink).
//
// Thread safety: JwtValidator, JwtVerifier and JwtSigner are immutable after construction and safe
// to share; the Clock must outlive them and be thread-safe.
#ifndef ACCORD_JOSE_JWT_H_
#define ACCORD_JOSE_JWT_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "jose/jwe.h"
#include "jose/jws.h"

namespace accord::jose {

inline constexpr int64_t kDefaultClockSkewSeconds = 60;
inline constexpr int64_t kMaxClockSkewSeconds = 300;

// Claims of a token whose signature and claims have been checked; only JwtVerifier makes one.
class VerifiedJwt {
 public:
  const boost::json::object& claims() const { return claims_; }
  const boost::json::object& header() const { return header_; }
  crypto::SignatureAlgorithm alg() const { return alg_; }
  const std::string& key_id() const { return key_id_; }

  // Registered claims (nullopt when absent).
  std::optional<std::string> issuer() const { return GetString("iss"); }
  std::optional<std::string> subject() const { return GetString("sub"); }
  std::optional<std::string> jwt_id() const { return GetString("jti"); }
  // "aud" as a list (a single string becomes one element); empty when absent.
  std::vector<std::string> audiences() const;
  std::optional<int64_t> expiration() const { return GetNumericDate("exp"); }
  std::optional<int64_t> not_before() const { return GetNumericDate("nbf"); }
  std::optional<int64_t> issued_at() const { return GetNumericDate("iat"); }

  // Typed access to any claim: nullopt when absent or of another JSON type.
  bool HasClaim(std::string_view name) const { return claims_.contains(name); }
  std::optional<std::string> GetString(std::string_view name) const;
  std::optional<int64_t> GetInt(std::string_view name) const;
  std::optional<bool> GetBool(std::string_view name) const;
  const boost::json::object* GetObject(std::string_view name) const;
  const boost::json::array* GetArray(std::string_view name) const;
  // A NumericDate (integer or fractional seconds, truncated toward zero).
  std::optional<int64_t> GetNumericDate(std::string_view name) const;

 private:
  friend class JwtVerifier;
  VerifiedJwt(boost::json::object header, boost::json::object claims,
              crypto::SignatureAlgorithm alg, std::string key_id)
      : header_(std::move(header)), claims_(std::move(claims)), alg_(alg),
        key_id_(std::move(key_id)) {}
  boost::json::object header_;
  boost::json::object claims_;
  crypto::SignatureAlgorithm alg_;
  std::string key_id_;
};

class JwtValidator {
 public:
  class Builder {
   public:
    Builder& ExpectIssuer(std::string issuer);
    Builder& IgnoreIssuer();
    // The token's aud (string or array) must contain this value.
    Builder& ExpectAudience(std::string audience);
    Builder& IgnoreAudiences();
    // Compared case-insensitively, "application/" prefix optional on either side
    // (RFC 7515 section 4.1.9): "JWT", "at+jwt", "dpop+jwt", "logout+jwt", ...
    Builder& ExpectTypeHeader(std::string typ);
    Builder& IgnoreTypeHeader();
    // Loudly named opt-out: exp is required unless this is called.
    Builder& AllowMissingExpirationUnsafe();
    Builder& RequireIssuedAt();
    // iat required and now < iat + max_age + skew. 0 < max_age.
    Builder& SetMaxAgeSeconds(int64_t max_age);
    Builder& RequireJwtId();
    // 0 <= skew <= kMaxClockSkewSeconds.
    Builder& SetClockSkewSeconds(int64_t skew);
    // Must outlive the validator. Default: SystemClock::Instance().
    Builder& SetClock(const Clock& clock);

    // InvalidArgument "bad_validator" for unsafe or contradictory settings: expect and ignore of
    // the same thing, empty expected values, skew out of range, max_age <= 0.
    Result<JwtValidator> Build() const;

   private:
    std::optional<std::string> issuer_, audience_, typ_;
    bool ignore_issuer_ = false, ignore_audiences_ = false, ignore_typ_ = false;
    bool allow_missing_exp_ = false, require_iat_ = false, require_jti_ = false;
    std::optional<int64_t> max_age_;
    int64_t skew_ = kDefaultClockSkewSeconds;
    const Clock* clock_ = nullptr;
  };

  // Validates a protected header (only "typ" is looked at) and a claim set. See the rules at the
  // top of this file.
  Status Validate(const boost::json::object& header, const boost::json::object& claims) const;

 private:
  JwtValidator() = default;
  std::optional<std::string> issuer_, audience_, typ_;
  bool ignore_issuer_ = false, ignore_audiences_ = false, ignore_typ_ = false;
  bool allow_missing_exp_ = false, require_iat_ = false, require_jti_ = false;
  std::optional<int64_t> max_age_;
  int64_t skew_ = kDefaultClockSkewSeconds;
  const Clock* clock_ = nullptr;
};

// "typ" comparison used by the validator: case-insensitive, "application/" prefix optional.
bool TypHeaderMatches(std::string_view expected, std::string_view actual);

// JWS verification, then the claims parsed with accord::ParseJson (duplicate claim names
// rejected: InvalidArgument "duplicate_key"; not an object: "malformed"), then validation.
class JwtVerifier {
 public:
  JwtVerifier(JwsVerifier jws, JwtValidator validator)
      : jws_(std::move(jws)), validator_(std::move(validator)) {}

  Result<VerifiedJwt> Verify(std::string_view compact) const;
  // A nested JWT: JWE (cty "JWT") around a JWS (DecryptAndVerifyNested), then the claims checks.
  Result<VerifiedJwt> VerifyNested(const JweDecrypter& decrypter, std::string_view compact) const;

 private:
  Result<VerifiedJwt> FromVerifiedJws(const VerifiedJws& jws) const;
  JwsVerifier jws_;
  JwtValidator validator_;
};

class JwtSigner {
 public:
  // typ is emitted as the "typ" header when non-empty (default "JWT").
  static Result<JwtSigner> Create(Jwk key, crypto::SignatureAlgorithm alg,
                                  std::string typ = "JWT");
  // Serialises `claims` and signs it; extra_header as for JwsSigner::Sign (without typ).
  Result<std::string> Sign(const boost::json::object& claims,
                           const boost::json::object& extra_header = {}) const;
  const JwsSigner& jws_signer() const { return signer_; }

 private:
  JwtSigner(JwsSigner signer, std::string typ) : signer_(std::move(signer)), typ_(std::move(typ)) {}
  JwsSigner signer_;
  std::string typ_;
};

}  // namespace accord::jose

#endif  // ACCORD_JOSE_JWT_H_
