#include "common/deferred_ack.h"

#include <gtest/gtest.h>

#include <optional>

namespace accord {
namespace {

TEST(DeferredAckVerdictTest, ASettledVerdictCallsBackWhenTheWaitStarts) {
  auto verdict = DeferredAck::Verdict::Create();
  verdict->Settle(AlreadyExists("used", "replay"));
  std::optional<Status> got;
  DeferredAck::Verdict::WaitFor(verdict)([&](Status s) { got = s; });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->reason(), "replay");
}

TEST(DeferredAckVerdictTest, AWaitingCallbackGetsTheVerdictWhenSettledAndOnlyTheFirst) {
  auto verdict = DeferredAck::Verdict::Create();
  int calls = 0;
  Status got = Internal("unset", "unset");
  DeferredAck::Verdict::WaitFor(verdict)([&](Status s) {
    ++calls;
    got = s;
  });
  EXPECT_EQ(calls, 0);
  verdict->Settle(Status::Ok());
  verdict->Settle(Internal("late", "late"));  // ignored
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(got.ok());
}

TEST(DeferredAckScopeTest, ScopesNestAndTakeTheirOwnWaits) {
  EXPECT_EQ(DeferredAck::Current(), nullptr);
  DeferredAck::Scope outer;
  {
    DeferredAck::Scope inner;
    EXPECT_EQ(DeferredAck::Current(), &inner);
    inner.Defer([](DeferredAck::Callback cb) { cb(Status::Ok()); });
    EXPECT_EQ(inner.Take().size(), 1u);
  }
  EXPECT_EQ(DeferredAck::Current(), &outer);
  EXPECT_TRUE(outer.Take().empty());
}

}  // namespace
}  // namespace accord
