#include "audit/signed_note.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "audit/note_keys.h"
#include "common/base64url.h"
#include "common/json.h"

namespace accord::audit {
namespace {

struct NeumannVector {
  std::string skey, vkey, text, signed_note;
};

NeumannVector LoadNeumann() {
  std::ifstream in(std::string(ACCORD_SOURCE_DIR) + "/tests/vectors/audit/note_peterneumann.json");
  std::stringstream ss;
  ss << in.rdbuf();
  auto v = ParseJsonObject(ss.str());
  EXPECT_TRUE(v.ok());
  return {std::string(v->at("skey").as_string()), std::string(v->at("vkey").as_string()),
          std::string(v->at("text").as_string()), std::string(v->at("signed").as_string())};
}

std::string Sign(const NoteSigner& s, std::string_view text) {
  const NoteSigner* p = &s;
  auto out = SignNote(text, std::span<const NoteSigner* const>(&p, 1));
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? *out : "";
}

Status Open(std::string_view msg, const NoteVerifier& v) {
  const NoteVerifier* p = &v;
  return OpenNote(msg, std::span<const NoteVerifier* const>(&p, 1)).status();
}

TEST(SignedNoteTest, SigningReproducesGoSumdbExampleExactly) {
  NeumannVector n = LoadNeumann();
  auto signer = NewNoteSigner(n.skey);
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_EQ((*signer)->key_id(), 0xc74f20a3u);
  EXPECT_EQ(Sign(**signer, n.text), n.signed_note);
}

TEST(SignedNoteTest, OpensGoSumdbExampleWithItsVkey) {
  NeumannVector n = LoadNeumann();
  auto verifier = NewNoteVerifier(n.vkey);
  ASSERT_TRUE(verifier.ok()) << verifier.status().ToString();
  const NoteVerifier* p = verifier->get();
  auto note = OpenNote(n.signed_note, std::span<const NoteVerifier* const>(&p, 1));
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_EQ(note->text(), n.text);
  ASSERT_EQ(note->verified().size(), 1u);
  EXPECT_EQ(note->verified()[0].name, "PeterNeumann");
}

TEST(SignedNoteTest, VerifierKeyDerivedFromSignerKey) {
  NeumannVector n = LoadNeumann();
  auto vkey = VerifierKeyFromSignerKey(n.skey);
  ASSERT_TRUE(vkey.ok());
  EXPECT_EQ(*vkey, n.vkey);
}

TEST(SignedNoteTest, GeneratedKeysSignAndVerify) {
  auto pair = GenerateNoteKey("accord.example/log", NoteKeyType::kEd25519);
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(pair->vkey.substr(0, 19), "accord.example/log+");
  EXPECT_EQ(AsStringView(pair->skey.view()).substr(0, 12), "PRIVATE+KEY+");
  auto signer = NewNoteSigner(AsStringView(pair->skey.view()));
  auto verifier = NewNoteVerifier(pair->vkey);
  ASSERT_TRUE(signer.ok() && verifier.ok());
  EXPECT_TRUE(Open(Sign(**signer, "hello\n"), **verifier).ok());
}

class NoteNegativeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    n_ = LoadNeumann();
    verifier_ = std::move(*NewNoteVerifier(n_.vkey));
  }
  NeumannVector n_;
  std::unique_ptr<NoteVerifier> verifier_;
};

TEST_F(NoteNegativeTest, BadSignatureFailsWholeNote) {
  std::string msg = n_.signed_note;
  msg[msg.size() - 10] = msg[msg.size() - 10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Open(msg, *verifier_).reason(), "bad_signature");
}

TEST_F(NoteNegativeTest, TamperedTextFailsSignature) {
  std::string msg = n_.signed_note;
  msg[0] = 'i';
  EXPECT_EQ(Open(msg, *verifier_).reason(), "bad_signature");
}

TEST_F(NoteNegativeTest, UnknownKeyIsRejected) {
  auto other = GenerateNoteKey("PeterNeumann", NoteKeyType::kEd25519);  // same name, other ID
  auto v = NewNoteVerifier(other->vkey);
  EXPECT_EQ(Open(n_.signed_note, **v).reason(), "unknown_key");
}

TEST_F(NoteNegativeTest, UnknownSignaturesAreIgnoredWhenAKnownOneVerifies) {
  auto other = GenerateNoteKey("someone.else", NoteKeyType::kEd25519);
  auto signer = NewNoteSigner(AsStringView(other->skey.view()));
  auto parsed = ParseNote(n_.signed_note);
  const NoteSigner* p = signer->get();
  auto both = SignNote(n_.text, std::span<const NoteSigner* const>(&p, 1), parsed->signatures);
  ASSERT_TRUE(both.ok());
  const NoteVerifier* v = verifier_.get();
  auto opened = OpenNote(*both, std::span<const NoteVerifier* const>(&v, 1));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->verified().size(), 1u);
  EXPECT_EQ(opened->unverified().size(), 1u);
}

TEST_F(NoteNegativeTest, MissingFinalNewlineIsMalformed) {
  std::string msg = n_.signed_note;
  msg.pop_back();
  EXPECT_EQ(Open(msg, *verifier_).reason(), "malformed_note");
}

TEST_F(NoteNegativeTest, MissingBlankLineIsMalformed) {
  std::string msg = n_.signed_note;
  msg.erase(msg.find("\n\n"), 1);
  EXPECT_EQ(Open(msg, *verifier_).reason(), "malformed_note");
}

TEST_F(NoteNegativeTest, ExtraLineAfterSignaturesIsMalformed) {
  EXPECT_EQ(Open(n_.signed_note + "extra\n", *verifier_).reason(), "malformed_note");
  EXPECT_EQ(Open(n_.signed_note + "\n", *verifier_).reason(), "malformed_note");
}

TEST_F(NoteNegativeTest, OverLongInputIsRejected) {
  std::string msg(kMaxNoteSize, 'a');
  msg += n_.signed_note;
  EXPECT_EQ(Open(msg, *verifier_).reason(), "note_too_large");
}

TEST_F(NoteNegativeTest, TooManySignaturesAreRejected) {
  auto parsed = ParseNote(n_.signed_note);
  std::string msg = n_.text + "\n";
  for (size_t i = 0; i <= kMaxNoteSignatures; ++i) msg += FormatSignatureLine(parsed->signatures[0]);
  EXPECT_EQ(ParseNote(msg).status().reason(), "note_too_large");
}

TEST_F(NoteNegativeTest, NonUtf8AndControlCharactersAreMalformed) {
  EXPECT_EQ(Open("caf\xC3\n" + n_.signed_note.substr(n_.text.size()), *verifier_).reason(),
            "malformed_note");
  EXPECT_EQ(Open("a\xC0\xAF\n" + n_.signed_note.substr(n_.text.size()), *verifier_).reason(),
            "malformed_note");  // overlong '/'
  EXPECT_EQ(Open("a\tb\n" + n_.signed_note.substr(n_.text.size()), *verifier_).reason(),
            "malformed_note");
}

TEST_F(NoteNegativeTest, BadSignatureLinesAreMalformed) {
  for (const std::string& sigs : std::vector<std::string>{"- PeterNeumann AAAAAAA=\n", "\xE2\x80\x94 PeterNeumann\n",
                                 "\xE2\x80\x94 Peter+Neumann x08go/ZJ\n",
                                 "\xE2\x80\x94 PeterNeumann AAAA\n",  // fewer than 5 bytes
                                 "\xE2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/Sffc!\n"}) {
    EXPECT_EQ(ParseNote(n_.text + "\n" + sigs).status().reason(), "malformed_note") << sigs;
  }
}

TEST(NoteKeysTest, KeyIdIsSha256OfNameNewlineTypeAndKey) {
  NeumannVector n = LoadNeumann();
  auto raw = Base64Decode(n.vkey.substr(n.vkey.rfind('+') + 1));
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(NoteKeyId("PeterNeumann", NoteKeyType::kEd25519, BytesView(*raw).subspan(1)),
            0xc74f20a3u);
}

TEST(NoteKeysTest, MalformedVerifierKeysAreRejected) {
  NeumannVector n = LoadNeumann();
  for (const std::string& bad : std::vector<std::string>{std::string("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),  // wrong ID
        std::string("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),  // upper hex
        std::string("PeterNeumann+c74f20a3+Apc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),   // length
        std::string("PeterNeumann+c74f20a3+AhpzW"), std::string("PeterNeumann+c74f20a3"),
        std::string("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
        std::string("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")}) {
    EXPECT_EQ(NewNoteVerifier(bad).status().reason(), "bad_key") << bad;
  }
  EXPECT_EQ(NewNoteSigner(n.vkey).status().reason(), "bad_key");  // a vkey is not an skey
}

TEST(NoteKeysTest, KeyNamesRejectSpacesPlusAndEmpty) {
  EXPECT_TRUE(IsValidKeyName("example.com/log"));
  EXPECT_FALSE(IsValidKeyName(""));
  EXPECT_FALSE(IsValidKeyName("a+b"));
  EXPECT_FALSE(IsValidKeyName("a b"));
  EXPECT_FALSE(IsValidKeyName("a\xC2\xA0" "b"));  // NBSP
  EXPECT_FALSE(IsValidKeyName("a\xE3\x80\x80" "b"));  // ideographic space
}

TEST(CosignatureTest, SpecExampleCarriesItsTimestamp) {
  // c2sp.org/tlog-cosignature example line for witness.example.com/w1.
  auto raw = Base64Decode(
      "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==");
  ASSERT_TRUE(raw.ok());
  ASSERT_EQ(raw->size(), 4u + 8u + 64u);
  EXPECT_EQ(*CosignatureTimestamp(BytesView(*raw).subspan(4)), 1679315147u);
}

TEST(CosignatureTest, SignsTimestampedMessageAndVerifies) {
  FixedClock clock(1679315147);
  auto pair = GenerateNoteKey("witness.example/w1", NoteKeyType::kCosignatureV1);
  auto signer = NewNoteSigner(AsStringView(pair->skey.view()), clock);
  auto verifier = NewNoteVerifier(pair->vkey);
  ASSERT_TRUE(signer.ok() && verifier.ok());
  const std::string text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  auto sig = (*signer)->Sign(text);
  ASSERT_TRUE(sig.ok());
  ASSERT_EQ(sig->size(), 72u);
  EXPECT_EQ(*CosignatureTimestamp(*sig), 1679315147u);
  EXPECT_TRUE((*verifier)->Verify(text, *sig).ok());
  EXPECT_EQ(CosignatureV1Message(1679315147, text),
            "cosignature/v1\ntime 1679315147\n" + text);
  Bytes other_time = *sig;
  other_time[7] ^= 1;
  EXPECT_FALSE((*verifier)->Verify(text, other_time).ok());
  // A cosignature key is not a plain note key: same key bytes, different type, different ID.
  EXPECT_EQ(*VerifierKeyType(pair->vkey), NoteKeyType::kCosignatureV1);
}

}  // namespace
}  // namespace accord::audit
