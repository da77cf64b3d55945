#include "trust/framework.h"

#include <algorithm>
#include <cctype>

namespace accord::trust {
namespace {

std::vector<std::string> VotComponents(std::string_view vot) {
  std::vector<std::string> parts;
  while (!vot.empty()) {
    size_t dot = vot.find('.');
    if (dot != 0) parts.emplace_back(vot.substr(0, dot));
    if (dot == std::string_view::npos) break;
    vot.remove_prefix(dot + 1);
  }
  return parts;
}

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// YYYY-MM-DD with a plausible month and day (calendar details are the upstream's job).
bool IsDate(const boost::json::value& v) {
  if (!v.is_string()) return false;
  std::string_view s = v.as_string();
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace

bool RuleMatches(const LevelRule& rule, const Assertion& a) {
  if (rule.vot_all.empty() && rule.acr_in.empty() && rule.amr_any.empty()) return false;
  if (!rule.vot_all.empty()) {
    auto have = VotComponents(a.vot);
    for (const auto& need : rule.vot_all) {
      if (!Contains(have, need)) return false;
    }
  }
  if (!rule.acr_in.empty() && !Contains(rule.acr_in, a.acr)) return false;
  if (!rule.amr_any.empty()) {
    bool any = false;
    for (const auto& m : a.amr) any = any || Contains(rule.amr_any, m);
    if (!any) return false;
  }
  return true;
}

Result<CommonIdentity> MapAssertion(const Framework& framework, const UpstreamDecl& upstream,
                                    const Assertion& a) {
  if (!a.country.empty() && a.country != upstream.country) {
    return InvalidArgument("assertion country differs from the upstream's declared country",
                           "country_mismatch");
  }
  if (!a.framework.empty() && a.framework != framework.id) {
    return InvalidArgument("assertion framework differs from the upstream's declared framework",
                           "framework_mismatch");
  }
  CommonIdentity id;
  id.upstream_id = upstream.id;
  id.country = upstream.country;
  id.trust_framework = framework.id;
  id.source_name = upstream.name;
  id.verification_time = a.auth_time > 0 ? a.auth_time : 0;
  for (const auto& rule : framework.levels) {
    if (!RuleMatches(rule, a)) continue;
    id.level = rule.level;
    if (!rule.evidence.empty()) id.evidence.push_back(rule.evidence);
    // The raw value the rule matched on, as the upstream said it.
    id.source_level = !rule.vot_all.empty() ? a.vot : !rule.acr_in.empty() ? a.acr : "";
    break;
  }
  for (const auto& mapping : framework.attributes) {
    for (const auto& source : mapping.from) {
      auto value = source.Read(a.claims);
      if (!value) continue;
      if (mapping.format == "date" && !IsDate(*value)) continue;
      id.attributes[mapping.name] = std::move(*value);
      if (mapping.classification == Classification::kHighRisk) id.high_risk.insert(mapping.name);
      break;
    }
  }
  return id;
}

}  // namespace accord::trust
