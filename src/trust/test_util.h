// Test helpers for the trust module: the shipped registry (data/trust) and sample assertions.
#ifndef ACCORD_TRUST_TEST_UTIL_H_
#define ACCORD_TRUST_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "common/json.h"
#include "trust/registry.h"

namespace accord::trust::testing {

inline const TrustRegistry& ShippedRegistry() {
  static const TrustRegistry* registry = [] {
    auto loaded = TrustRegistry::Load(std::string(ACCORD_SOURCE_DIR) + "/data/trust");
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return new TrustRegistry(std::move(loaded).value());
  }();
  return *registry;
}

inline boost::json::object Obj(std::string_view json) {
  auto parsed = ParseJsonObject(json);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? std::move(parsed).value() : boost::json::object{};
}

// A One Login assertion as the connector returns it: core identity credentialSubject raw.
inline Assertion OneLoginAssertion(std::string vot = "P2") {
  Assertion a;
  a.upstream_id = "sandbox-uk";
  a.vot = std::move(vot);
  a.auth_time = 1767225600;  // 2026-01-01T00:00:00Z
  a.claims = Obj(R"({"sub":"urn:fdc:gov.uk:2022:abc",
    "vc":{"type":["VerifiableCredential","VerifiableIdentityCredential"],
          "credentialSubject":{
            "name":[{"nameParts":[{"value":"Ada","type":"GivenName"},
                                  {"value":"Grace","type":"GivenName"},
                                  {"value":"Testwright","type":"FamilyName"}]}],
            "birthDate":[{"value":"1987-04-12"},{"value":"1987-04-21"}]}}})");
  return a;
}

inline Assertion SingpassAssertion(std::string acr = "urn:singpass:authentication:loa:2") {
  Assertion a;
  a.upstream_id = "sandbox-sg";
  a.acr = std::move(acr);
  a.amr = {"pwd", "sms"};
  a.auth_time = 1767225600;
  a.claims = Obj(R"({"sub":"0f5a2c1e-1b1c-4c3f-9a49-0d6f7e8a9b10","sub_type":"user",
    "sub_attributes":{"identity_number":"S0000001I","identity_coi":"SG","account_type":"standard"},
    "name":"Mei Ling Sampleton","given_name":"Mei Ling","family_name":"Sampleton",
    "birthdate":"1994-02-28"})");
  return a;
}

}  // namespace accord::trust::testing

#endif  // ACCORD_TRUST_TEST_UTIL_H_
