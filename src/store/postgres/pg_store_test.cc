// PostgreSQL-specific behaviour: connection errors, pool bounds, prepared statements on reuse.
#include "store/postgres/pg_store.h"

#include <gtest/gtest.h>

#include "store/store_test_env.h"

namespace accord::store::postgres {
namespace {

TEST(PostgresStoreTest, UnreachableServerIsUnavailableAndHidesThePassword) {
  StoreConfig c;
  c.kind = StoreKind::kPostgres;
  c.postgres_conninfo =
      "host=/tmp/accord-no-such-socket-dir port=5432 user=x password=hunter2-secret "
      "connect_timeout=2";
  auto store = OpenStore(c);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store.status().reason(), "db_unavailable");
  EXPECT_EQ(store.status().ToString().find("hunter2"), std::string::npos);
}

TEST(PostgresStoreTest, MalformedConninfoIsUnavailable) {
  StoreConfig c;
  c.kind = StoreKind::kPostgres;
  c.postgres_conninfo = "this is = not a conninfo '";
  EXPECT_EQ(OpenStore(c).status().code(), StatusCode::kUnavailable);
  c.postgres_conninfo.clear();
  EXPECT_EQ(OpenStore(c).status().reason(), "bad_value");
}

TEST(PostgresStoreTest, OneConnectionPoolServesManyCalls) {
  testing::PostgresBackend backend;
  Status created = backend.Create();
  ASSERT_TRUE(created.ok()) << created.ToString();
  StoreConfig c = backend.Config();
  c.pool_size = 1;
  {
    auto store = OpenStore(c);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    // The same prepared statements run again and again on the one connection.
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE((*store)->RecordOnce(ReplayScope::kDpopProof, std::to_string(i), 20, 10).ok());
    }
    EXPECT_EQ((*store)->RecordOnce(ReplayScope::kDpopProof, "7", 20, 10).reason(), "replay");
  }
  backend.Destroy();
}

}  // namespace
}  // namespace accord::store::postgres
