// Runs the real `accord jose` executable: key generation, sign -> verify, encrypt -> decrypt,
// nested JWTs, tampering (exit 1), usage errors (exit 2) and the bounds on input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "cli/subprocess.h"

namespace accord::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class JoseCliTest : public ::testing::Test {
 protected:
  // The accord binary under test: $ACCORD_BINARY if set (e.g. a sanitizer build), else the one
  // this test was built with.
  static std::string Binary() {
    const char* override_path = std::getenv("ACCORD_BINARY");
    return override_path != nullptr && *override_path != '\0' ? override_path : ACCORD_BINARY;
  }
  ProcessResult Jose(std::vector<std::string> args, std::string_view input = {}) {
    args.insert(args.begin(), {Binary(), "jose"});
    return RunProcess(args, input);
  }
  // keygen into dir_/<name>.json (private) and <name>.pub.json (public).
  void Keygen(const std::string& name, std::vector<std::string> flags) {
    flags.insert(flags.begin(), "keygen");
    flags.insert(flags.end(), {"--out", dir_.File(name + ".json"), "--public-out",
                               dir_.File(name + ".pub.json")});
    ProcessResult r = Jose(flags);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  boost::json::object ReadJson(const std::string& name) {
    return boost::json::parse(dir_.Read(name)).as_object();
  }
  // Replaces one character in the middle of the given segment of a compact token.
  static std::string Tamper(std::string token, size_t segment) {
    size_t start = 0;
    for (size_t i = 0; i < segment; ++i) start = token.find('.', start) + 1;
    size_t end = token.find('.', start);
    if (end == std::string::npos) end = token.size();
    while (end > start && std::isspace(static_cast<unsigned char>(token[end - 1]))) --end;
    size_t pos = start + (end - start) / 2;
    token[pos] = token[pos] == 'A' ? 'B' : 'A';
    return token;
  }

  TempDir dir_;
};

TEST_F(JoseCliTest, KeygenWritesPrivateKeyWithMode0600AndThumbprintKid) {
  Keygen("k", {"--kty", "EC", "--crv", "P-256", "--alg", "ES256", "--use", "sig"});
  struct stat st {};
  ASSERT_EQ(::stat(dir_.File("k.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  boost::json::object priv = ReadJson("k.json");
  boost::json::object pub = ReadJson("k.pub.json");
  EXPECT_TRUE(priv.contains("d"));
  EXPECT_FALSE(pub.contains("d"));
  EXPECT_EQ(priv.at("alg"), "ES256");
  EXPECT_EQ(priv.at("use"), "sig");
  ProcessResult tp = Jose({"thumbprint", "--key", dir_.File("k.pub.json")});
  ASSERT_EQ(tp.exit_code, 0) << tp.err;
  EXPECT_EQ(tp.out, std::string(priv.at("kid").as_string()) + "\n");
  ProcessResult uri = Jose({"thumbprint", "--uri", "--key", dir_.File("k.json")});
  EXPECT_EQ(uri.out, "urn:ietf:params:oauth:jwk-thumbprint:sha-256:" + tp.out);
}

TEST_F(JoseCliTest, KeygenHonoursExplicitKid) {
  Keygen("k", {"--kty", "OKP", "--crv", "Ed25519", "--kid", "signing-2026"});
  EXPECT_EQ(ReadJson("k.pub.json").at("kid"), "signing-2026");
}

TEST_F(JoseCliTest, SignThenVerifyPrintsThePayloadForEveryKeyType) {
  struct Case {
    std::string name;
    std::vector<std::string> keygen;
    std::string alg;
  };
  const std::vector<Case> cases = {
      {"es256", {"--kty", "EC", "--crv", "P-256"}, ""},
      {"es384", {"--kty", "EC", "--crv", "P-384"}, ""},
      {"es512", {"--kty", "EC", "--crv", "P-521"}, ""},
      {"eddsa", {"--kty", "OKP", "--crv", "Ed25519"}, ""},
      {"ps256", {"--kty", "RSA", "--bits", "2048"}, "PS256"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Keygen(c.name, c.keygen);
    std::vector<std::string> sign = {"sign", "--key", dir_.File(c.name + ".json"), "-"};
    if (!c.alg.empty()) sign.insert(sign.end(), {"--alg", c.alg});
    ProcessResult token = Jose(sign, "payload bytes");
    ASSERT_EQ(token.exit_code, 0) << token.err;
    ProcessResult verified = Jose({"verify", "--key", dir_.File(c.name + ".pub.json")}, token.out);
    ASSERT_EQ(verified.exit_code, 0) << verified.err;
    EXPECT_EQ(verified.out, "payload bytes");
  }
}

TEST_F(JoseCliTest, VerifyJsonShowsHeaderAndJsonPayload) {
  Keygen("k", {});
  dir_.Write("claims.json", R"({"sub":"alice"})");
  ProcessResult token =
      Jose({"sign", "--key", dir_.File("k.json"), "--typ", "JWT", dir_.File("claims.json")});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  ProcessResult r = Jose({"verify", "--json", "--key", dir_.File("k.pub.json")}, token.out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  boost::json::object out = boost::json::parse(r.out).as_object();
  EXPECT_EQ(out.at("header").at("typ"), "JWT");
  EXPECT_EQ(out.at("header").at("alg"), "ES256");
  EXPECT_EQ(out.at("payload").at("sub"), "alice");
}

TEST_F(JoseCliTest, TamperedSignatureExitsOneWithoutLeakingKeyMaterial) {
  Keygen("k", {});
  ProcessResult token = Jose({"sign", "--key", dir_.File("k.json")}, "hello");
  ASSERT_EQ(token.exit_code, 0);
  ProcessResult r = Jose({"verify", "--key", dir_.File("k.json")}, Tamper(token.out, 2));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("accord jose verify:"));
  EXPECT_TRUE(r.out.empty());
  EXPECT_THAT(r.err, Not(HasSubstr(std::string(ReadJson("k.json").at("d").as_string()))));
}

TEST_F(JoseCliTest, TamperedPayloadExitsOne) {
  Keygen("k", {"--kty", "OKP"});
  ProcessResult token = Jose({"sign", "--key", dir_.File("k.json")}, "hello world, signed");
  ASSERT_EQ(token.exit_code, 0);
  ProcessResult r = Jose({"verify", "--key", dir_.File("k.pub.json")}, Tamper(token.out, 1));
  EXPECT_EQ(r.exit_code, 1);
}

TEST_F(JoseCliTest, VerifyWithAnotherKeyExitsOneBadSignature) {
  Keygen("a", {});
  Keygen("b", {"--kid", "same"});
  Keygen("c", {"--kid", "same"});
  ProcessResult token = Jose({"sign", "--key", dir_.File("b.json")}, "x");
  ProcessResult r = Jose({"verify", "--key", dir_.File("c.pub.json")}, token.out);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("bad_signature"));
  ProcessResult kid = Jose({"verify", "--jwks", dir_.File("a.pub.json")}, token.out);
  EXPECT_EQ(kid.exit_code, 1);
}

TEST_F(JoseCliTest, VerifyWithJwksSelectsByKid) {
  Keygen("a", {});
  Keygen("b", {"--kty", "OKP"});
  ProcessResult set = Jose({"jwks", dir_.File("a.json"), dir_.File("b.json")});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_THAT(set.out, Not(HasSubstr("\"d\"")));
  dir_.Write("set.json", set.out);
  ProcessResult token = Jose({"sign", "--key", dir_.File("b.json")}, "from b");
  ProcessResult r = Jose({"verify", "--jwks", dir_.File("set.json")}, token.out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "from b");
}

TEST_F(JoseCliTest, VerifyAlgPolicyRejectsOtherAlgorithms) {
  Keygen("k", {"--kty", "RSA"});
  ProcessResult token = Jose({"sign", "--key", dir_.File("k.json"), "--alg", "RS256"}, "x");
  ASSERT_EQ(token.exit_code, 0) << token.err;
  ProcessResult r = Jose({"verify", "--key", dir_.File("k.pub.json"), "--alg", "PS256"}, token.out);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("unsupported_alg"));
}

TEST_F(JoseCliTest, VerifyJwtChecksIssuerAudienceAndExpiry) {
  Keygen("k", {});
  const long now = static_cast<long>(std::time(nullptr));
  auto sign_claims = [&](const std::string& claims) {
    ProcessResult t = Jose({"sign", "--key", dir_.File("k.json"), "--typ", "JWT"}, claims);
    EXPECT_EQ(t.exit_code, 0) << t.err;
    return t.out;
  };
  std::string good = sign_claims(R"({"iss":"https://op","aud":"rp","exp":)" +
                                 std::to_string(now + 600) + "}");
  std::string pub = dir_.File("k.pub.json");
  ProcessResult ok = Jose({"verify", "--key", pub, "--iss", "https://op", "--aud", "rp"}, good);
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(boost::json::parse(ok.out).at("aud"), "rp");
  ProcessResult wrong_iss = Jose({"verify", "--key", pub, "--iss", "https://other"}, good);
  EXPECT_EQ(wrong_iss.exit_code, 1);
  EXPECT_THAT(wrong_iss.err, HasSubstr("wrong_issuer"));
  ProcessResult wrong_aud = Jose({"verify", "--key", pub, "--aud", "someone-else"}, good);
  EXPECT_EQ(wrong_aud.exit_code, 1);
  EXPECT_THAT(wrong_aud.err, HasSubstr("wrong_audience"));
  std::string expired = sign_claims(R"({"exp":)" + std::to_string(now - 3600) + "}");
  ProcessResult exp = Jose({"verify", "--key", pub, "--jwt"}, expired);
  EXPECT_EQ(exp.exit_code, 1);
  EXPECT_THAT(exp.err, HasSubstr("token_expired"));
  // Without --jwt the signature alone is checked.
  EXPECT_EQ(Jose({"verify", "--key", pub}, expired).exit_code, 0);
}

TEST_F(JoseCliTest, EncryptThenDecryptRoundTripsForEveryKeyType) {
  struct Case {
    std::string name;
    std::vector<std::string> keygen;
    std::string alg, enc;
  };
  const std::vector<Case> cases = {
      {"p256", {"--kty", "EC", "--crv", "P-256"}, "ECDH-ES+A256KW", "A256CBC-HS512"},
      {"p384", {"--kty", "EC", "--crv", "P-384"}, "ECDH-ES", "A256GCM"},
      {"p521", {"--kty", "EC", "--crv", "P-521"}, "ECDH-ES+A128KW", "A128CBC-HS256"},
      {"x25519", {"--kty", "OKP", "--crv", "X25519"}, "", "A256GCM"},
      {"rsa", {"--kty", "RSA"}, "RSA-OAEP-256", "A256GCM"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Keygen(c.name, c.keygen);
    std::vector<std::string> enc = {"encrypt", "--key", dir_.File(c.name + ".pub.json"),
                                    "--enc", c.enc};
    if (!c.alg.empty()) enc.insert(enc.end(), {"--alg", c.alg});
    ProcessResult token = Jose(enc, "secret plaintext");
    ASSERT_EQ(token.exit_code, 0) << token.err;
    ProcessResult r = Jose({"decrypt", "--key", dir_.File(c.name + ".json")}, token.out);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "secret plaintext");
  }
}

TEST_F(JoseCliTest, TamperedCiphertextExitsOneDecryptFailed) {
  Keygen("k", {});
  ProcessResult token = Jose({"encrypt", "--key", dir_.File("k.pub.json")}, "secret plaintext");
  ASSERT_EQ(token.exit_code, 0);
  ProcessResult r = Jose({"decrypt", "--key", dir_.File("k.json")}, Tamper(token.out, 3));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("decrypt_failed"));
  EXPECT_TRUE(r.out.empty());
}

TEST_F(JoseCliTest, DecryptPolicyRejectsOtherAlgorithms) {
  Keygen("k", {});
  ProcessResult token = Jose({"encrypt", "--key", dir_.File("k.pub.json"), "--alg", "ECDH-ES"}, "x");
  ASSERT_EQ(token.exit_code, 0) << token.err;
  ProcessResult r =
      Jose({"decrypt", "--key", dir_.File("k.json"), "--alg", "ECDH-ES+A256KW"}, token.out);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("unsupported_alg"));
}

TEST_F(JoseCliTest, NestedJwtDecryptsAndVerifies) {
  Keygen("sig", {});
  Keygen("enc", {"--kty", "EC", "--use", "enc"});
  ProcessResult jws = Jose({"sign", "--key", dir_.File("sig.json"), "--typ", "JWT"}, R"({"a":1})");
  ASSERT_EQ(jws.exit_code, 0);
  dir_.Write("inner.txt", jws.out.substr(0, jws.out.size() - 1));
  ProcessResult jwe = Jose({"encrypt", "--key", dir_.File("enc.pub.json"), "--alg",
                            "ECDH-ES+A256KW", "--enc", "A256CBC-HS512", "--cty", "JWT",
                            dir_.File("inner.txt")});
  ASSERT_EQ(jwe.exit_code, 0) << jwe.err;
  dir_.Write("outer.txt", jwe.out);
  ProcessResult r = Jose({"decrypt", "--key", dir_.File("enc.json"), "--verify-key",
                          dir_.File("sig.pub.json"), dir_.File("outer.txt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, R"({"a":1})");
  Keygen("other", {});
  ProcessResult wrong = Jose({"decrypt", "--key", dir_.File("enc.json"), "--verify-key",
                              dir_.File("other.pub.json"), dir_.File("outer.txt")});
  EXPECT_EQ(wrong.exit_code, 1);
}

TEST_F(JoseCliTest, PublicPrintsOnlyPublicMembers) {
  Keygen("k", {"--kty", "RSA"});
  ProcessResult r = Jose({"public", "--key", dir_.File("k.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  boost::json::object pub = boost::json::parse(r.out).as_object();
  EXPECT_EQ(pub.at("kty"), "RSA");
  for (const char* member : {"d", "p", "q", "dp", "dq", "qi"}) EXPECT_FALSE(pub.contains(member));
}

TEST_F(JoseCliTest, UsageErrorsExitTwo) {
  Keygen("k", {});
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"frobnicate"},
      {"sign"},
      {"sign", "--key"},
      {"verify", "--bogus-option"},
      {"keygen", "--kty", "DSA"},
      {"keygen", "--kty", "RSA", "--bits", "1024"},
      {"keygen", "--kty", "OKP", "--crv", "X25519", "--use", "sig"},
      {"sign", "--key", dir_.File("k.json"), "--alg", "HS256"},
      {"sign", "--key", dir_.File("k.json"), "--alg", "none"},
      {"verify", "--key", dir_.File("k.json"), "--jwks", dir_.File("k.json")},
      {"verify", "--key", dir_.File("k.json"), "--skew", "soon"},
      {"encrypt", "--key", dir_.File("k.json"), "--enc", "A999GCM"},
      {"decrypt", "--key", dir_.File("k.json"), "--alg", "RSA1_5"},
  };
  for (const auto& args : cases) {
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    SCOPED_TRACE(joined);
    ProcessResult r = Jose(args, "");
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_FALSE(r.err.empty());
  }
}

TEST_F(JoseCliTest, HelpExitsZeroForEveryCommand) {
  for (const char* command : {"keygen", "public", "thumbprint", "jwks", "sign", "verify",
                              "encrypt", "decrypt"}) {
    SCOPED_TRACE(command);
    ProcessResult r = Jose({command, "--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_THAT(r.out, HasSubstr("Usage: accord jose " + std::string(command)));
  }
  ProcessResult top = Jose({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_THAT(top.out, HasSubstr("keygen"));
}

TEST_F(JoseCliTest, BadInputExitsOne) {
  Keygen("k", {});
  dir_.Write("garbage.json", "{not json");
  EXPECT_EQ(Jose({"verify", "--key", dir_.File("garbage.json")}, "a.b.c").exit_code, 1);
  EXPECT_EQ(Jose({"verify", "--key", dir_.File("missing.json")}, "a.b.c").exit_code, 1);
  EXPECT_EQ(Jose({"verify", "--key", dir_.File("k.json")}, "not-a-token").exit_code, 1);
  EXPECT_EQ(Jose({"verify", "--key", dir_.File("k.json")}, "").exit_code, 1);
  ProcessResult oversized = Jose({"sign", "--key", dir_.File("k.json")}, std::string(600000, 'a'));
  EXPECT_EQ(oversized.exit_code, 1);
  EXPECT_THAT(oversized.err, HasSubstr("too_large"));
}

TEST_F(JoseCliTest, SigningWithPublicKeyFails) {
  Keygen("k", {});
  ProcessResult r = Jose({"sign", "--key", dir_.File("k.pub.json")}, "x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no_private_key"));
}

}  // namespace
}  // namespace accord::testing
