#include "audit/checkpoint.h"

#include <gtest/gtest.h>

#include "audit/note_keys.h"
#include "common/base64url.h"

namespace accord::audit {
namespace {

constexpr std::string_view kSpecText =
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

TEST(CheckpointTest, ParsesSpecExample) {
  auto c = ParseCheckpoint(kSpecText);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->origin, "example.com/behind-the-sofa");
  EXPECT_EQ(c->size, 20852163u);
  EXPECT_EQ(Base64Encode(HashView(c->root)), "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
  EXPECT_TRUE(c->extensions.empty());
  EXPECT_EQ(FormatCheckpoint(*c), kSpecText);
}

TEST(CheckpointTest, ExtensionLinesRoundTrip) {
  const std::string text = std::string(kSpecText) + "ext one\next-two\n";
  auto c = ParseCheckpoint(text);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->extensions, (std::vector<std::string>{"ext one", "ext-two"}));
  EXPECT_EQ(FormatCheckpoint(*c), text);
}

TEST(CheckpointTest, EmptyTreeSizeIsZero) {
  auto c = ParseCheckpoint("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->size, 0u);
}

TEST(CheckpointTest, RejectsMalformedText) {
  const std::string root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
  for (const std::string& bad : std::vector<std::string>{"o\n01\n" + root + "\n", "o\n-1\n" + root + "\n", "o\n1\n", "o\n1\n" + root,
        "\n1\n" + root + "\n", "o\n1\n" + root + "\n\n", "o\n1\n" + root + "\n\next\n",
        "o\n18446744073709551616\n" + root + "\n", "o\n1\nV3JvbmdSb290\n",
        "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n", "o\n1 \n" + root + "\n", ""}) {
    EXPECT_EQ(ParseCheckpoint(bad).status().reason(), "malformed_checkpoint") << bad;
  }
}

class OpenCheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = GenerateNoteKey("log.example", NoteKeyType::kEd25519);
    log_signer_ = std::move(*NewNoteSigner(AsStringView(log->skey.view())));
    log_key_ = std::move(*NewNoteVerifier(log->vkey));
    auto w = GenerateNoteKey("witness.example", NoteKeyType::kCosignatureV1);
    witness_signer_ = std::move(*NewNoteSigner(AsStringView(w->skey.view()), clock_));
    witness_key_ = std::move(*NewNoteVerifier(w->vkey));
  }
  std::string SignWith(std::string_view text, std::vector<const NoteSigner*> signers) {
    return *SignNote(text, signers);
  }
  FixedClock clock_{1700000000};
  std::unique_ptr<NoteSigner> log_signer_, witness_signer_;
  std::unique_ptr<NoteVerifier> log_key_, witness_key_;
};

TEST_F(OpenCheckpointTest, AcceptsLogSignedCheckpoint) {
  const std::string note = SignWith("log.example\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
                                    {log_signer_.get()});
  auto v = OpenCheckpoint(note, "log.example", *log_key_);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->checkpoint.origin, "log.example");
}

TEST_F(OpenCheckpointTest, WrongOriginIsRejected) {
  const std::string note = SignWith(kSpecText, {log_signer_.get()});
  EXPECT_EQ(OpenCheckpoint(note, "log.example", *log_key_).status().reason(), "wrong_origin");
}

TEST_F(OpenCheckpointTest, SignatureByWitnessOnlyIsNotTheLog) {
  const std::string note = SignWith(kSpecText, {witness_signer_.get()});
  const NoteVerifier* w = witness_key_.get();
  EXPECT_EQ(OpenCheckpoint(note, "example.com/behind-the-sofa", *log_key_,
                           std::span<const NoteVerifier* const>(&w, 1))
                .status()
                .reason(),
            "unknown_key");
}

TEST_F(OpenCheckpointTest, RequiredCosignatureMustBePresent) {
  const NoteVerifier* w = witness_key_.get();
  std::span<const NoteVerifier* const> witnesses(&w, 1);
  const std::string only_log = SignWith(kSpecText, {log_signer_.get()});
  EXPECT_EQ(OpenCheckpoint(only_log, "example.com/behind-the-sofa", *log_key_, witnesses)
                .status()
                .reason(),
            "missing_cosignature");
  const std::string both = SignWith(kSpecText, {log_signer_.get(), witness_signer_.get()});
  auto v = OpenCheckpoint(both, "example.com/behind-the-sofa", *log_key_, witnesses);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->signatures.size(), 2u);
}

}  // namespace
}  // namespace accord::audit
