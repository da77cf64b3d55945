// POST /revoke: OAuth 2.0 Token Revocation (RFC 7009); see provider.h and docs/provider.md.
//
// The client authenticates as at /token (private_key_jwt; aud = issuer, /token or /revoke).
// Refresh tokens: the whole family is revoked, but only for the client it was issued to.
// Access tokens (RFC 9068 JWTs, stateless): their jti is recorded in the store's
// kRevokedAccessToken scope until their exp, and /userinfo refuses them.
// Unknown, malformed or expired tokens get 200 (RFC 7009 section 2.2): nothing to revoke.
#include "jose/jwt.h"
#include "oidc/provider/provider.h"
#include "store/token_hash.h"

namespace accord::oidc {
namespace {

constexpr size_t kMaxTokenBytes = 8 * 1024;

http::Response Revoked() {
  http::Response r;
  r.status = 200;
  r.headers.Set("Cache-Control", "no-store");
  return r;
}

bool LooksLikeJwt(std::string_view token) {
  size_t first = token.find('.');
  return first != std::string_view::npos && token.find('.', first + 1) != std::string_view::npos;
}

}  // namespace

Result<jose::VerifiedJwt> Provider::VerifyAccessToken(std::string_view token) const {
  auto snap = keys_.Current();
  if (snap == nullptr) return Unavailable("no signing keys", "temporarily_unavailable");
  jose::JwsVerifyOptions options;
  options.allowed_algs = {crypto::SignatureAlgorithm::kEs256};
  ACCORD_ASSIGN_OR_RETURN(jose::JwsVerifier jws,
                          jose::JwsVerifier::Create(snap->public_jwks, options));
  ACCORD_ASSIGN_OR_RETURN(jose::JwtValidator validator, jose::JwtValidator::Builder()
                                                            .ExpectIssuer(config_.issuer)
                                                            .ExpectAudience(config_.issuer)
                                                            .ExpectTypeHeader("at+jwt")
                                                            .RequireJwtId()
                                                            .SetClock(clock_)
                                                            .Build());
  return jose::JwtVerifier(std::move(jws), std::move(validator)).Verify(token);
}

http::Response Provider::Revoke(const http::Request& request) const {
  const auto& form = request.Form();
  if (!form.ok())
    return OAuthErrorWithNonce(400, InvalidArgument("body must be a form", "invalid_request"));
  if (auto dup = form->FirstDuplicate()) {
    return OAuthErrorWithNonce(400,
                               InvalidArgument(std::string(*dup) + " repeated", "invalid_request"));
  }
  auto client = client_auth_.Authenticate(*form, {config_.issuer, Url("/revoke"), Url("/token")});
  if (!client.ok()) {
    return OAuthErrorWithNonce(client.status().reason() == "invalid_client" ? 401 : 500,
                               client.status());
  }
  auto token = form->GetUnique("token");
  if (!token.ok() || token->empty() || token->size() > kMaxTokenBytes) {
    return OAuthErrorWithNonce(400,
                               InvalidArgument("token missing or too long", "invalid_request"));
  }
  if (form->Count("token_type_hint") > 0) {
    std::string_view hint = *form->Get("token_type_hint");
    if (hint != "access_token" && hint != "refresh_token") {
      return OAuthErrorWithNonce(400, InvalidArgument("token_type_hint must be access_token or "
                                                      "refresh_token",
                                                      "unsupported_token_type"));
    }
  }
  // The token's shape decides (a hint only orders the search, RFC 7009 section 2.1): access
  // tokens are JWTs, refresh tokens are opaque base64url strings without dots.
  const int64_t now = clock_.NowSeconds();
  if (LooksLikeJwt(*token)) {
    auto at = VerifyAccessToken(*token);
    if (!at.ok()) {
      if (at.status().code() == StatusCode::kUnavailable)
        return OAuthErrorWithNonce(503, at.status());
      return Revoked();  // not ours, malformed or already expired: nothing to revoke
    }
    if (at->GetString("client_id").value_or("") != (*client)->client_id) {
      return OAuthErrorWithNonce(
          400, InvalidArgument("the token was issued to another client", "invalid_request"));
    }
    const int64_t exp = at->expiration().value_or(0);
    if (exp <= now) return Revoked();
    Status recorded =
        store_.RecordOnce(store::ReplayScope::kRevokedAccessToken, *at->jwt_id(), exp, now);
    if (!recorded.ok() && recorded.reason() != "replay") return OAuthErrorWithNonce(503, recorded);
    return Revoked();
  }
  auto family =
      store_.RevokeRefreshTokenOfClient(store::HashToken(*token), (*client)->client_id, now);
  if (!family.ok()) {
    if (family.status().reason() == "wrong_client") {
      return OAuthErrorWithNonce(
          400, InvalidArgument("the token was issued to another client", "invalid_request"));
    }
    if (family.status().reason() != "not_found") return OAuthErrorWithNonce(503, family.status());
  }
  return Revoked();
}

}  // namespace accord::oidc
