#include "oidc/broker/release_guard.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "oidc/provider/test_util.h"
#include "trust/identity.h"

namespace accord::oidc::broker {
namespace {

using testing::ProviderEnv;
using testing::QueryParam;

std::string ReadSource(const std::string& rel) {
  std::ifstream in(std::string(ACCORD_SOURCE_DIR) + "/" + rel);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The shipped classes, with one extra class and attribute at SECRET.
std::string ClassificationToml() {
  return ReadSource("data/datasec/classification.toml") +
         "\n[classes.national_security]\nuk = \"SECRET\"\nsg_classification = \"Secret\"\n"
         "sg_sensitivity = \"Sensitive (High)\"\n";
}

// Environments: "public-only" (nothing personal), "cleared" (high-risk personal data).
std::string EnvironmentsToml(std::string_view oidc_client_env) {
  return R"toml([[environments]]
id = "public-only"
name = "Public catalogue hosting"
country = "GBR"
max_uk = "OFFICIAL"
max_sg_classification = "Official (Open)"
max_sg_sensitivity = "Non-Sensitive"
[[environments]]
id = "cleared"
name = "Geofenced dedicated"
country = "SGP"
max_uk = "OFFICIAL-SENSITIVE"
max_sg_classification = "Confidential (Cloud-Eligible)"
max_sg_sensitivity = "Sensitive (High)"
[deployment]
environment = "cleared"
[services.oidc-client]
environment = ")toml" + std::string(oidc_client_env) + "\"\n";
}

constexpr std::string_view kServices = R"([[services]]
client_id = "oidc-client"
name = "Test service"
country = "SGP"
accepted_upstreams = ["sandbox-uk"]
minimum_level = "low"
trust_framework = "sg_singpass"
  [[services.attributes]]
  name = "given_name"
  purpose = "To greet you"
  [[services.attributes]]
  name = "birthdate"
  purpose = "To check your age"
)";

class RecordingGate final : public ConsentGate {
 public:
  std::optional<http::Response> BeforeIssue(const AuthorizationRequest&,
                                            const store::Session&) const override {
    ++calls;
    return std::nullopt;
  }
  mutable int calls = 0;
};

class RecordingSink final : public audit::AuditSink {
 public:
  Status Record(const audit::AuditEvent& event) override {
    ACCORD_RETURN_IF_ERROR(audit::ValidateAuditEvent(event));
    if (fail) return Unavailable("log down", "log_failed");
    events.push_back(event);
    return Status::Ok();
  }
  std::vector<audit::AuditEvent> events;
  bool fail = false;
};

class ReleaseGuardTest : public ::testing::Test {
 protected:
  void Build(std::string_view env, std::string classification = ClassificationToml()) {
    auto placement = datasec::PlacementPolicy::Parse(classification, EnvironmentsToml(env));
    ASSERT_TRUE(placement.ok()) << placement.status().message();
    placement_.emplace(std::move(*placement));
    auto trust = trust::TrustRegistry::Parse(ReadSource("data/trust/frameworks.toml"), kServices);
    ASSERT_TRUE(trust.ok()) << trust.status().message();
    trust_.emplace(std::move(*trust));
    auto guard = ReleaseGuard::Create({&next_, &*placement_, &*trust_, &sink_, &env_.clock});
    ASSERT_TRUE(guard.ok());
    guard_ = std::move(*guard);
    guard_->Attach(env_.provider.get());
  }

  store::Session Session() const {
    trust::CommonIdentity id;
    id.upstream_id = "sandbox-uk";
    id.country = "GBR";
    id.trust_framework = "uk_diatf";
    id.source_level = "P2";
    id.level = trust::Level::kSubstantial;
    id.attributes["given_name"] = "Amelia";
    id.attributes["birthdate"] = "1990-04-12";
    store::Session s;
    s.sid = "sid-1";
    s.subject = "b:subject";
    s.identity_json = id.ToJson();
    return s;
  }

  AuthorizationRequest Request() const {
    AuthorizationRequest a;
    a.client_id = "oidc-client";
    a.redirect_uri = "http://localhost:3000/cb";
    a.scope = "openid profile birthdate";
    a.state = "st-1";
    return a;
  }

  ProviderEnv env_;
  RecordingGate next_;
  RecordingSink sink_;
  std::optional<datasec::PlacementPolicy> placement_;
  std::optional<trust::TrustRegistry> trust_;
  std::unique_ptr<ReleaseGuard> guard_;
};

TEST_F(ReleaseGuardTest, RefusesWhenTheServiceEnvironmentCannotHoldAnAttribute) {
  Build("public-only");
  auto r = guard_->BeforeIssue(Request(), Session());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(next_.calls, 0);  // no consent page, no code
  EXPECT_NE(r->body.find("This service cannot receive your information"), std::string::npos);
  EXPECT_NE(r->body.find("govuk-"), std::string::npos);
  EXPECT_NE(r->body.find("date of birth"), std::string::npos);
  // The "Return to the service" link is the OAuth error redirect.
  size_t href = r->body.find("href=\"http://localhost:3000/cb?");
  ASSERT_NE(href, std::string::npos);
  std::string url = r->body.substr(href + 6, r->body.find('"', href + 6) - href - 6);
  for (size_t p; (p = url.find("&amp;")) != std::string::npos;) url.replace(p, 5, "&");
  EXPECT_EQ(QueryParam(url, "error"), "access_denied");
  EXPECT_EQ(QueryParam(url, "state"), "st-1");
  std::string description = QueryParam(url, "error_description");
  EXPECT_NE(description.find("birthdate"), std::string::npos) << description;
  EXPECT_EQ(description.find("placement_denied"), std::string::npos);
  // The audit entry names the service and the attributes with their classes, nothing personal.
  ASSERT_EQ(sink_.events.size(), 1u);
  const audit::AuditEvent& e = sink_.events[0];
  EXPECT_EQ(e.type, audit::EventType::kReleaseRefused);
  EXPECT_EQ(e.service, "oidc-client");
  EXPECT_EQ(e.upstream, "sandbox-uk");
  ASSERT_EQ(e.attributes.size(), 2u);
  EXPECT_EQ(e.attributes[0].classification, "ordinary");
  EXPECT_TRUE(e.subject_commitment.empty());
  std::string line = audit::SerializeAuditEvent(e);
  EXPECT_NE(line.find("\"release_refused\""), std::string::npos);
  EXPECT_EQ(line.find("Amelia"), std::string::npos);
  EXPECT_EQ(line.find("1990"), std::string::npos);
}

TEST_F(ReleaseGuardTest, PassesToTheBrokerWhenTheEnvironmentCanHoldEverything) {
  Build("cleared");
  auto r = guard_->BeforeIssue(Request(), Session());
  EXPECT_FALSE(r.has_value());
  EXPECT_EQ(next_.calls, 1);
  EXPECT_TRUE(sink_.events.empty());
}

TEST_F(ReleaseGuardTest, SecretAttributeIsNeverReleasedEvenToTheMostClearedEnvironment) {
  std::string cls = ClassificationToml();
  size_t at = cls.find("birthdate = \"");
  ASSERT_NE(at, std::string::npos);
  cls.replace(at, cls.find('\n', at) - at, "birthdate = \"national_security\"");
  Build("cleared", cls);
  auto r = guard_->BeforeIssue(Request(), Session());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(next_.calls, 0);
  ASSERT_EQ(sink_.events.size(), 1u);
  ASSERT_EQ(sink_.events[0].attributes.size(), 1u);
  EXPECT_EQ(sink_.events[0].attributes[0].name, "birthdate");
  EXPECT_EQ(sink_.events[0].attributes[0].classification, "national_security");
}

TEST_F(ReleaseGuardTest, FailsClosedWhenTheRefusalCannotBeAudited) {
  Build("public-only");
  sink_.fail = true;
  auto r = guard_->BeforeIssue(Request(), Session());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(next_.calls, 0);
  EXPECT_EQ(r->body.find("error=access_denied"), std::string::npos);
}

TEST_F(ReleaseGuardTest, LeavesRequestsWithoutAnIdentityToTheBroker) {
  Build("public-only");
  store::Session s = Session();
  s.identity_json.clear();
  EXPECT_FALSE(guard_->BeforeIssue(Request(), s).has_value());
  EXPECT_EQ(next_.calls, 1);
}

TEST_F(ReleaseGuardTest, ServiceWithoutEnvironmentReceivesNothing) {
  Build("cleared");
  auto refused = RefusedAttributes(*placement_, "undeclared-client", {"given_name", "birthdate"});
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_EQ(refused[0].class_name, "ordinary");
  auto unclassified = RefusedAttributes(*placement_, "oidc-client", {"shoe_size"});
  ASSERT_EQ(unclassified.size(), 1u);
  EXPECT_EQ(unclassified[0].class_name, "unclassified");
}

}  // namespace
}  // namespace accord::oidc::broker
