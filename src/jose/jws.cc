#include "jose/jws.h"

#include <boost/json/serialize.hpp>

#include "common/base64url.h"
#include "jose/internal/compact.h"

namespace accord::jose {
namespace {

// Without a kid, at most this many keys that fit the alg are tried (bounds the work a token
// without kid can cause against a large set).
constexpr size_t kMaxCandidateKeys = 8;

constexpr std::string_view kReservedSignHeaders[] = {"alg", "kid", "crit", "b64", "enc", "zip"};

std::string HeaderString(const boost::json::object& header, std::string_view name) {
  const boost::json::value* v = header.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

std::string VerifiedJws::typ() const { return HeaderString(header_, "typ"); }
std::string VerifiedJws::cty() const { return HeaderString(header_, "cty"); }

Result<JwsSigner> JwsSigner::Create(Jwk key, crypto::SignatureAlgorithm alg) {
  if (!key.has_private_key()) {
    return FailedPrecondition("a JWS signer needs a private key", "no_private_key");
  }
  ACCORD_RETURN_IF_ERROR(key.CheckForSignature(alg, /*signing=*/true));
  return JwsSigner(std::move(key), alg);
}

Result<std::string> JwsSigner::Sign(BytesView payload,
                                    const boost::json::object& extra_header) const {
  boost::json::object header;
  header["alg"] = crypto::JwaName(alg_);
  if (!key_.kid().empty()) header["kid"] = key_.kid();
  for (const auto& member : extra_header) {
    for (std::string_view reserved : kReservedSignHeaders) {
      if (member.key() == reserved) {
        return InvalidArgument("extra header may not set '" + std::string(reserved) + "'",
                               "reserved_header");
      }
    }
    header[member.key()] = member.value();
  }
  std::string signing_input = Base64UrlEncode(boost::json::serialize(header));
  signing_input.push_back('.');
  signing_input += Base64UrlEncode(payload);
  ACCORD_ASSIGN_OR_RETURN(Bytes signature,
                          crypto::Sign(*key_.private_key(), alg_, AsBytes(signing_input)));
  signing_input.push_back('.');
  signing_input += Base64UrlEncode(signature);
  return signing_input;
}

Result<JwsVerifier> JwsVerifier::Create(Jwk key, JwsVerifyOptions options) {
  return Create(Jwks(std::vector<Jwk>{std::move(key)}), std::move(options));
}

Result<JwsVerifier> JwsVerifier::Create(Jwks keys, JwsVerifyOptions options) {
  if (options.allowed_algs.empty()) {
    return InvalidArgument("a JWS verifier needs at least one allowed algorithm", "empty_policy");
  }
  if (keys.empty()) return InvalidArgument("a JWS verifier needs at least one key", "no_keys");
  ACCORD_RETURN_IF_ERROR(
      internal::CheckVerifierConfig(options.max_token_bytes, options.understood_crit, false));
  return JwsVerifier(keys.PublicOnly(), std::move(options));
}

Result<VerifiedJws> JwsVerifier::Verify(std::string_view compact) const {
  ACCORD_ASSIGN_OR_RETURN(auto parts,
                          internal::SplitCompact(compact, 3, options_.max_token_bytes));
  ACCORD_ASSIGN_OR_RETURN(Bytes payload, internal::DecodeSegment(parts[1]));
  ACCORD_ASSIGN_OR_RETURN(Bytes signature, internal::DecodeSegment(parts[2]));
  ACCORD_ASSIGN_OR_RETURN(boost::json::object header, internal::ParseProtectedHeader(parts[0]));

  // The algorithm: named in the header, but only accepted from the caller's policy.
  const boost::json::value* alg_v = header.if_contains("alg");
  if (alg_v == nullptr || !alg_v->is_string()) {
    return InvalidArgument("JWS header needs a string 'alg'", "malformed");
  }
  auto alg = crypto::SignatureAlgorithmFromJwa(alg_v->as_string());
  if (!alg.ok()) return PermissionDenied("JWS algorithm is not supported", "unsupported_alg");
  bool allowed = false;
  for (crypto::SignatureAlgorithm a : options_.allowed_algs) allowed = allowed || a == *alg;
  if (!allowed) return PermissionDenied("JWS algorithm is not allowed", "unsupported_alg");

  ACCORD_RETURN_IF_ERROR(internal::CheckCrit(header, options_.understood_crit, false));

  ACCORD_ASSIGN_OR_RETURN(std::optional<std::string> kid, internal::OptionalString(header, "kid"));
  std::vector<const Jwk*> by_kid;
  for (const Jwk& k : keys_.keys()) {
    if (!kid || k.kid().empty() || k.kid() == *kid) by_kid.push_back(&k);
  }
  if (by_kid.empty()) return NotFound("no key with this kid", "unknown_kid");
  std::vector<const Jwk*> candidates;
  for (const Jwk* k : by_kid) {
    if (k->CheckForSignature(*alg, false).ok()) candidates.push_back(k);
  }
  if (candidates.empty()) {
    return PermissionDenied("no key fits the JWS algorithm", "alg_key_mismatch");
  }
  if (candidates.size() > kMaxCandidateKeys) candidates.resize(kMaxCandidateKeys);

  BytesView signing_input = AsBytes(compact.substr(0, parts[0].size() + 1 + parts[1].size()));
  for (const Jwk* k : candidates) {
    if (crypto::Verify(k->public_key(), *alg, signing_input, signature).ok()) {
      return VerifiedJws(std::move(header), std::move(payload), *alg, k->kid());
    }
  }
  return Unauthenticated("JWS signature does not verify", "bad_signature");
}

}  // namespace accord::jose
