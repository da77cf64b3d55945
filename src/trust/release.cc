#include "trust/release.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <ctime>
#include <map>
#include <optional>

#include "trust/claims_request.h"

namespace accord::trust {
namespace {

namespace json = boost::json;

Status Unmet(std::string message) {
  return FailedPrecondition(std::move(message), "unmet_authentication_requirements");
}

std::vector<std::string_view> SplitSpaces(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    size_t start = s.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    s.remove_prefix(start);
    size_t end = s.find(' ');
    out.push_back(s.substr(0, end));
    if (end == std::string_view::npos) break;
    s.remove_prefix(end);
  }
  return out;
}

// The lowest level among the recognised values (the requester accepts any of them), or nullopt
// when none is recognised.
template <typename Lookup>
std::optional<Level> LowestKnown(const std::vector<std::string>& values, Lookup lookup) {
  std::optional<Level> lowest;
  for (const auto& v : values) {
    auto level = lookup(v);
    if (level && (!lowest || !Satisfies(*level, *lowest))) lowest = level;
  }
  return lowest;
}

// The vocabulary verified_claims are written in: the service's framework when it has a word for
// the identity's level, else eIDAS (the common vocabulary).
struct Vocabulary {
  std::string trust_framework;
  std::map<Level, std::string> terms;
};

Vocabulary EidasVocabulary() {
  return {std::string(kEidasTrustFramework),
          {{Level::kLow, "low"}, {Level::kSubstantial, "substantial"}, {Level::kHigh, "high"}}};
}

std::optional<Level> TermLevel(const Vocabulary& vocab, std::string_view term) {
  for (const auto& [level, word] : vocab.terms) {
    if (word == term) return level;
  }
  if (auto level = LevelFromEidasUri(term)) return level;
  return std::nullopt;
}

bool Accepts(const std::vector<std::string>& wanted, std::string_view framework) {
  return wanted.empty() || std::find(wanted.begin(), wanted.end(), framework) != wanted.end();
}

struct Requested {
  bool essential = false;
  bool id_token = false, userinfo = false;
};

void Note(std::map<std::string, Requested>& requested, const ClaimRequest& c, bool id_token) {
  Requested& r = requested[c.name];
  r.essential = r.essential || c.essential;
  (id_token ? r.id_token : r.userinfo) = true;
}

Status CollectAcr(const ClaimsLocation& location, std::vector<std::string>* acr) {
  for (const auto& c : location.claims) {
    if (c.name != "acr") continue;
    for (const auto& v : c.values) {
      if (!v.is_string()) return InvalidArgument("claims request: acr values must be strings", "bad_claims_request");
      acr->emplace_back(v.as_string());
    }
  }
  return Status::Ok();
}

json::object Release(const CommonIdentity& identity, const ReleasePlan& plan,
                     const std::vector<std::string>& consented, const std::set<std::string>* only) {
  json::object released;
  for (const auto& r : plan.to_consent) {
    if (only != nullptr && only->count(r.name) == 0) continue;
    if (std::find(consented.begin(), consented.end(), r.name) == consented.end()) continue;
    auto it = identity.attributes.find(r.name);
    if (it == identity.attributes.end()) continue;
    released[r.name] = it->second;
  }
  if (released.empty() || !plan.verified_claims) return released;
  json::object verification;
  verification["trust_framework"] = plan.trust_framework;
  if (!plan.assurance_level.empty()) verification["assurance_level"] = plan.assurance_level;
  if (identity.verification_time > 0) verification["time"] = FormatIsoTime(identity.verification_time);
  json::array evidence;
  for (const auto& summary : identity.evidence) {
    json::object source{{"name", identity.source_name}};
    if (!identity.country.empty()) source["country_code"] = identity.country;
    evidence.push_back(json::object{
        {"type", "electronic_record"},
        {"record", json::object{{"type", summary}, {"source", std::move(source)}}}});
  }
  if (!evidence.empty()) verification["evidence"] = std::move(evidence);
  json::object out = released;
  out["verified_claims"] = json::object{{"verification", std::move(verification)},
                                        {"claims", std::move(released)}};
  return out;
}

}  // namespace

std::vector<std::string_view> ScopeClaims(std::string_view scope_value) {
  if (scope_value == "profile") {
    return {"name", "family_name", "given_name", "middle_name", "nickname", "preferred_username",
            "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale",
            "updated_at"};
  }
  if (scope_value == "email") return {"email", "email_verified"};
  if (scope_value == "address") return {"address"};
  if (scope_value == "phone") return {"phone_number", "phone_number_verified"};
  if (scope_value == "birthdate") return {"birthdate"};
  return {};
}

std::string FormatIsoTime(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  size_t n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

Result<ReleasePlan> PlanRelease(const ServicePolicy& policy, const CommonIdentity& identity,
                                std::string_view scope, std::string_view claims_request,
                                std::string_view acr_values) {
  const auto& accepted = policy.accepted_upstreams;
  if (std::find(accepted.begin(), accepted.end(), identity.upstream_id) == accepted.end()) {
    return PermissionDenied("the service does not accept this identity provider",
                            "upstream_not_accepted");
  }
  ACCORD_ASSIGN_OR_RETURN(ClaimsRequest request, ParseClaimsRequest(claims_request));

  // Levels asked for: the policy minimum, acr_values and essential-or-not `acr` claim values.
  if (acr_values.size() > kMaxAcrValuesBytes) return InvalidArgument("acr_values too long", "bad_acr_values");
  std::vector<std::string> acr;
  for (auto v : SplitSpaces(acr_values)) acr.emplace_back(v);
  if (acr.size() > kMaxAcrValues) return InvalidArgument("too many acr_values", "bad_acr_values");
  ACCORD_RETURN_IF_ERROR(CollectAcr(request.id_token, &acr));
  ACCORD_RETURN_IF_ERROR(CollectAcr(request.userinfo, &acr));
  Level required = policy.minimum_level;
  if (!acr.empty()) {
    auto asked = LowestKnown(acr, [](std::string_view v) { return LevelFromEidasUri(v); });
    if (!asked) return Unmet("none of the requested acr values is supported");
    if (!Satisfies(required, *asked)) required = *asked;
  }

  ReleasePlan plan;
  // verified_claims vocabulary and the constraints of each verified_claims request.
  std::vector<Vocabulary> candidates;
  if (!policy.ida_trust_framework.empty() && policy.assurance_terms.count(identity.level) != 0) {
    candidates.push_back({policy.ida_trust_framework, policy.assurance_terms});
  }
  candidates.push_back(EidasVocabulary());
  std::vector<const VerifiedClaimsRequest*> verified;
  for (const auto& r : request.userinfo.verified) verified.push_back(&r);
  for (const auto& r : request.id_token.verified) verified.push_back(&r);
  const Vocabulary* chosen = nullptr;
  for (const auto& candidate : candidates) {
    bool ok = true;
    for (const auto* r : verified) ok = ok && Accepts(r->trust_frameworks, candidate.trust_framework);
    if (ok) {
      chosen = &candidate;
      break;
    }
  }
  plan.verified_claims = chosen != nullptr;
  if (chosen != nullptr) {
    plan.trust_framework = chosen->trust_framework;
    for (const auto* r : verified) {
      if (r->assurance_levels.empty()) continue;
      auto asked = LowestKnown(r->assurance_levels,
                               [&](std::string_view v) { return TermLevel(*chosen, v); });
      if (!asked) return Unmet("none of the requested assurance levels is supported");
      if (!Satisfies(required, *asked)) required = *asked;
    }
    auto term = chosen->terms.find(identity.level);
    if (term != chosen->terms.end()) plan.assurance_level = term->second;
  }
  if (!Satisfies(identity.level, required)) {
    return Unmet("the identity's level of assurance is below what the service requires");
  }
  plan.level = identity.level;
  plan.acr = std::string(EidasUri(identity.level));

  // What was asked for, and where.
  std::map<std::string, Requested> requested;
  for (auto value : SplitSpaces(scope)) {
    for (auto name : ScopeClaims(value)) requested[std::string(name)].userinfo = true;
  }
  for (const auto& c : request.userinfo.claims) Note(requested, c, false);
  for (const auto& c : request.id_token.claims) Note(requested, c, true);
  for (const auto& r : request.userinfo.verified) {
    for (const auto& c : r.claims) Note(requested, c, false);
  }
  for (const auto& r : request.id_token.verified) {
    for (const auto& c : r.claims) Note(requested, c, true);
  }

  // Minimisation: requested AND allowed AND held; high-risk attributes stay in their country.
  for (const auto& allowed : policy.allowed_attributes) {
    auto it = requested.find(allowed.name);
    if (it == requested.end()) continue;
    if (identity.attributes.count(allowed.name) == 0) continue;
    if (identity.high_risk.count(allowed.name) != 0 && identity.country != policy.country) continue;
    plan.to_consent.push_back(
        {allowed.name, allowed.purpose, allowed.essential || it->second.essential});
    if (it->second.id_token) plan.id_token_attributes.insert(allowed.name);
    if (it->second.userinfo) plan.userinfo_attributes.insert(allowed.name);
  }
  return plan;
}

json::object ReleaseClaims(const CommonIdentity& identity, const ReleasePlan& plan,
                           const std::vector<std::string>& consented) {
  return Release(identity, plan, consented, nullptr);
}

json::object ReleaseClaimsFor(const CommonIdentity& identity, const ReleasePlan& plan,
                              const std::vector<std::string>& consented, ClaimsTarget target) {
  return Release(identity, plan, consented,
                 target == ClaimsTarget::kIdToken ? &plan.id_token_attributes
                                                  : &plan.userinfo_attributes);
}

}  // namespace accord::trust
