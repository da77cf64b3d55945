// Schema migrations and the OpenStore factory on every backend.
#include <vector>

#include "store/store_test_env.h"

namespace accord::store::testing {
namespace {

template <typename B>
class MigrationTest : public StoreTest<B> {};
TYPED_TEST_SUITE(MigrationTest, Backends, BackendNames);

TYPED_TEST(MigrationTest, ReopenIsIdempotentAndKeepsData) {
  ASSERT_TRUE(this->store_->RecordOnce(ReplayScope::kDpopProof, "j", 200, 100).ok());
  this->store_.reset();
  auto again = this->backend_.Open(this->backend_.Migrations());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ((*again)->RecordOnce(ReplayScope::kDpopProof, "j", 200, 150).reason(), "replay");
}

TYPED_TEST(MigrationTest, NewerSchemaIsRefused) {
  this->store_.reset();
  std::vector<internal::Migration> newer(this->backend_.Migrations().begin(),
                                         this->backend_.Migrations().end());
  newer.push_back({static_cast<int64_t>(newer.size()) + 1, "test: future table",
                   "CREATE TABLE future_table (x BIGINT)"});
  auto upgraded = this->backend_.Open(newer);
  ASSERT_TRUE(upgraded.ok()) << upgraded.status().ToString();
  EXPECT_TRUE((*upgraded)->CheckHealth().ok());
  upgraded->reset();
  auto old = this->backend_.Open(this->backend_.Migrations());
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(old.status().reason(), "schema_too_new");
}

TYPED_TEST(MigrationTest, FailedMigrationLeavesNothingApplied) {
  this->store_.reset();
  std::vector<internal::Migration> broken(this->backend_.Migrations().begin(),
                                          this->backend_.Migrations().end());
  broken.push_back({static_cast<int64_t>(broken.size()) + 1, "test: half broken",
                    "CREATE TABLE half_table (x BIGINT); THIS IS NOT SQL"});
  EXPECT_FALSE(this->backend_.Open(broken).ok());
  // The good prefix of the failed migration was rolled back: applying a fixed one works.
  broken.back().sql = "CREATE TABLE half_table (x BIGINT)";
  auto fixed = this->backend_.Open(broken);
  EXPECT_TRUE(fixed.ok()) << fixed.status().ToString();
}

TYPED_TEST(MigrationTest, OpenStoreFactoryOpensTheBackend) {
  this->store_.reset();
  auto store = OpenStore(this->backend_.Config());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_TRUE((*store)->CheckHealth().ok());
}

TYPED_TEST(MigrationTest, OpenStoreRejectsBadPoolSize) {
  StoreConfig config = this->backend_.Config();
  config.pool_size = 0;
  EXPECT_EQ(OpenStore(config).status().reason(), "bad_value");
  config.pool_size = 65;
  EXPECT_EQ(OpenStore(config).status().reason(), "bad_value");
}

}  // namespace
}  // namespace accord::store::testing
