#include "datasec/kek_provider.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/base64url.h"
#include "common/testing/temp_dir.h"
#include "crypto/random.h"

namespace accord::datasec {
namespace {

std::string KeyB64(uint8_t fill) { return Base64UrlEncode(Bytes(32, fill)); }

TEST(KeyRingTest, WrapsUnderCurrentAndUnwrapsUnderPrevious) {
  KeyRing ring;
  ASSERT_TRUE(ring.Add("k1", crypto::RandomSecret(32)).ok());
  Bytes dek = crypto::RandomBytes(32);
  auto w1 = ring.Wrap(dek);
  ASSERT_TRUE(w1.ok());
  EXPECT_EQ(w1->kek_id, "k1");
  ASSERT_TRUE(ring.Add("k2", crypto::RandomSecret(32)).ok());
  ASSERT_TRUE(ring.SetCurrent("k2").ok());
  auto w2 = ring.Wrap(dek);
  ASSERT_TRUE(w2.ok());
  EXPECT_EQ(w2->kek_id, "k2");
  auto u1 = ring.Unwrap("k1", w1->wrapped);
  ASSERT_TRUE(u1.ok());
  EXPECT_EQ(Bytes(u1->view().begin(), u1->view().end()), dek);
}

TEST(KeyRingTest, UnknownKekIsNotFound) {
  KeyRing ring;
  ASSERT_TRUE(ring.Add("k1", crypto::RandomSecret(32)).ok());
  auto w = ring.Wrap(crypto::RandomBytes(32));
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(ring.Unwrap("k9", w->wrapped).status().reason(), "unknown_kek");
}

TEST(KeyRingTest, WrongKekFailsUnwrap) {
  KeyRing ring;
  ASSERT_TRUE(ring.Add("k1", crypto::RandomSecret(32)).ok());
  ASSERT_TRUE(ring.Add("k2", crypto::RandomSecret(32)).ok());
  auto w = ring.Wrap(crypto::RandomBytes(32));
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(ring.Unwrap("k2", w->wrapped).status().reason(), "unwrap_failed");
}

TEST(KeyRingTest, RejectsBadIdsAndSizesAndRemovingCurrent) {
  KeyRing ring;
  EXPECT_EQ(ring.Add("bad id", crypto::RandomSecret(32)).reason(), "bad_kek");
  EXPECT_EQ(ring.Add("k1", crypto::RandomSecret(16)).reason(), "bad_kek");
  ASSERT_TRUE(ring.Add("k1", crypto::RandomSecret(32)).ok());
  EXPECT_EQ(ring.Add("k1", crypto::RandomSecret(32)).reason(), "duplicate");
  EXPECT_EQ(ring.Remove("k1").reason(), "current_kek");
  EXPECT_EQ(ring.Wrap(crypto::RandomBytes(32))->kek_id, "k1");
}

TEST(KeyRingTest, EmptyRingCannotWrap) {
  KeyRing ring;
  EXPECT_EQ(ring.Wrap(crypto::RandomBytes(32)).status().reason(), "no_kek");
}

// Key-ring files live in a fresh directory per test.
class KeyRingFileTest : public ::testing::Test {
 protected:
  std::string TempPath(const std::string& name) const { return dir_.File(name); }

  ::accord::testing::TempDir dir_{"accord-kek-"};
};

TEST_F(KeyRingFileTest, LoadsKeysAndCurrent) {
  std::string path = TempPath("keks-ok");
  {
    std::ofstream out(path);
    out << "# comment\nkek old " << KeyB64(1) << "\nkek new " << KeyB64(2) << "\ncurrent new\n";
  }
  ::chmod(path.c_str(), 0600);
  auto ring = LoadKeyRingFile(path);
  ASSERT_TRUE(ring.ok()) << ring.status().message();
  EXPECT_EQ((*ring)->CurrentKekId(), "new");
  EXPECT_EQ((*ring)->Ids().size(), 2u);
}

TEST_F(KeyRingFileTest, BareKeyFileIsOneDefaultKek) {
  std::string path = TempPath("keks-bare");
  { std::ofstream out(path); out << KeyB64(7) << "\n"; }
  ::chmod(path.c_str(), 0600);
  auto ring = LoadKeyRingFile(path);
  ASSERT_TRUE(ring.ok()) << ring.status().message();
  EXPECT_EQ((*ring)->CurrentKekId(), "default");
}

TEST_F(KeyRingFileTest, ReloadAddsStagedKeyWithoutDroppingOld) {
  std::string path = TempPath("keks-reload");
  crypto::SecretBytes a = crypto::RandomSecret(32), b = crypto::RandomSecret(32);
  ASSERT_TRUE(WriteKeyRingFile(path, {{"a", &a}}, "a").ok());
  auto ring = LoadKeyRingFile(path);
  ASSERT_TRUE(ring.ok());
  std::filesystem::remove(path);
  ASSERT_TRUE(WriteKeyRingFile(path, {{"b", &b}}, "b").ok());
  ASSERT_TRUE(ReloadKeyRingFile(path, ring->get()).ok());
  EXPECT_EQ((*ring)->CurrentKekId(), "b");
  EXPECT_EQ((*ring)->Ids().size(), 2u);  // "a" is kept: envelopes under it still open
}

TEST_F(KeyRingFileTest, RefusesGroupReadableFile) {
  std::string path = TempPath("keks-mode");
  { std::ofstream out(path); out << "kek a " << KeyB64(1) << "\n"; }
  ::chmod(path.c_str(), 0644);
  EXPECT_EQ(LoadKeyRingFile(path).status().reason(), "kek_file_mode");
}

TEST_F(KeyRingFileTest, BadLineNamesFileAndLineNotKey) {
  std::string path = TempPath("keks-bad");
  { std::ofstream out(path); out << "kek a " << KeyB64(1) << "\nkek b AAAA\n"; }
  ::chmod(path.c_str(), 0600);
  auto ring = LoadKeyRingFile(path);
  ASSERT_FALSE(ring.ok());
  EXPECT_NE(ring.status().message().find("line 2"), std::string::npos);
  EXPECT_EQ(ring.status().message().find("AAAA"), std::string::npos);
}

TEST_F(KeyRingFileTest, WriteThenLoadRoundTrips) {
  std::string path = TempPath("keks-rt");
  crypto::SecretBytes a = crypto::RandomSecret(32), b = crypto::RandomSecret(32);
  ASSERT_TRUE(WriteKeyRingFile(path, {{"a", &a}, {"b", &b}}, "b").ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto ring = LoadKeyRingFile(path);
  ASSERT_TRUE(ring.ok()) << ring.status().message();
  EXPECT_EQ((*ring)->CurrentKekId(), "b");
}

TEST(KeyRingEnvTest, FirstKeyIsCurrent) {
  std::string spec = "env2:" + KeyB64(3) + ",env1:" + KeyB64(4);
  ::setenv("ACCORD_TEST_KEKS", spec.c_str(), 1);
  auto ring = LoadKeyRingFromEnv("ACCORD_TEST_KEKS");
  ASSERT_TRUE(ring.ok()) << ring.status().message();
  EXPECT_EQ((*ring)->CurrentKekId(), "env2");
  ::setenv("ACCORD_TEST_KEKS", "nocolon", 1);
  EXPECT_FALSE(LoadKeyRingFromEnv("ACCORD_TEST_KEKS").ok());
  ::unsetenv("ACCORD_TEST_KEKS");
  EXPECT_EQ(LoadKeyRingFromEnv("ACCORD_TEST_KEKS").status().code(), StatusCode::kNotFound);
}

TEST(KmsKekProviderTest, WrapsThroughKmsAndRotates) {
  InProcessKms kms;
  ASSERT_TRUE(kms.CreateKey("kms-1").ok());
  ASSERT_TRUE(kms.CreateKey("kms-2").ok());
  KmsKekProvider provider(&kms, "kms-1");
  Bytes dek = crypto::RandomBytes(32);
  auto w = provider.Wrap(dek);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->kek_id, "kms-1");
  provider.SetCurrent("kms-2");
  EXPECT_EQ(provider.Wrap(dek)->kek_id, "kms-2");
  auto u = provider.Unwrap("kms-1", w->wrapped);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(Bytes(u->view().begin(), u->view().end()), dek);
  EXPECT_EQ(kms.Wrap("absent", dek).status().reason(), "unknown_kek");
}

}  // namespace
}  // namespace accord::datasec
