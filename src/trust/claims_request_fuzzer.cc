// Fuzz target: the `claims` request parameter and the common identity JSON, both outside input.
// Every input must end in a plan or a clean error; a parsed identity must round-trip exactly.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "trust/claims_request.h"
#include "trust/identity.h"
#include "trust/release.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  using namespace accord::trust;
  std::string_view text(reinterpret_cast<const char*>(bytes), size);
  static const ServicePolicy kPolicy = [] {
    ServicePolicy p;
    p.client_id = "fuzz";
    p.service_name = "Fuzz";
    p.country = "GBR";
    p.accepted_upstreams = {"sandbox-sg"};
    p.allowed_attributes = {{"given_name", "p", false}, {"birthdate", "p", true}};
    p.minimum_level = Level::kLow;
    p.ida_trust_framework = "uk_diatf";
    p.assurance_terms = {{Level::kSubstantial, "medium"}};
    return p;
  }();
  static const CommonIdentity kIdentity = [] {
    CommonIdentity id;
    id.upstream_id = "sandbox-sg";
    id.country = "SGP";
    id.level = Level::kSubstantial;
    id.evidence = {"e"};
    id.attributes["given_name"] = "A";
    id.attributes["birthdate"] = "2000-01-01";
    id.attributes["national_identifier"] = "S0000001I";
    id.high_risk = {"national_identifier"};
    return id;
  }();
  auto plan = PlanRelease(kPolicy, kIdentity, "openid profile", text, "");
  if (plan.ok()) {
    auto claims = ReleaseClaims(kIdentity, *plan, {"given_name", "birthdate", "national_identifier"});
    if (claims.contains("national_identifier")) std::abort();
  }
  auto identity = CommonIdentity::FromJson(text);
  if (identity.ok()) {
    auto again = CommonIdentity::FromJson(identity->ToJson());
    if (!again.ok() || again->ToJson() != identity->ToJson()) std::abort();
  }
  return 0;
}
