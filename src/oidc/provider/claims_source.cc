#include "oidc/provider/claims_source.h"

#include <algorithm>

namespace accord::oidc {

bool ScopeHas(std::string_view scope, std::string_view name) {
  while (!scope.empty()) {
    size_t end = scope.find(' ');
    std::string_view item = scope.substr(0, end);
    if (item == name) return true;
    if (end == std::string_view::npos) break;
    scope.remove_prefix(end + 1);
  }
  return false;
}

Status PeopleClaimsSource::AddIdTokenClaims(const ClaimsContext&, boost::json::object&) const {
  return Status::Ok();
}

Status PeopleClaimsSource::AddUserinfoClaims(const ClaimsContext& c,
                                             boost::json::object& claims) const {
  auto person = people_.FindPerson(c.subject);
  if (!person.ok()) return NotFound("unknown subject", "unknown_subject");
  auto allowed = [&c](std::string_view claim) {
    return c.client.claims.empty() ||
           std::find(c.client.claims.begin(), c.client.claims.end(), claim) != c.client.claims.end();
  };
  if (ScopeHas(c.scope, "profile")) {
    if (allowed("given_name")) claims["given_name"] = person->given_name;
    if (allowed("family_name")) claims["family_name"] = person->family_name;
    if (allowed("name")) claims["name"] = person->given_name + " " + person->family_name;
    if (allowed("birthdate")) claims["birthdate"] = person->birthdate;
  }
  if (ScopeHas(c.scope, "birthdate") && allowed("birthdate")) claims["birthdate"] = person->birthdate;
  return Status::Ok();
}

}  // namespace accord::oidc
