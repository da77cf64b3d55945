#include "common/blocking_region.h"

#include <gtest/gtest.h>

namespace accord {
namespace {

struct CountingListener : BlockingRegion::Listener {
  int entered = 0;
  int left = 0;
  void EnterBlocking() override { ++entered; }
  void LeaveBlocking() override { ++left; }
};

TEST(BlockingRegionTest, WithoutAListenerOnlyTracksDepth) {
  EXPECT_FALSE(BlockingRegion::Inside());
  {
    BlockingRegion waiting;
    EXPECT_TRUE(BlockingRegion::Inside());
  }
  EXPECT_FALSE(BlockingRegion::Inside());
}

TEST(BlockingRegionTest, OnlyTheOutermostRegionNotifiesTheListener) {
  CountingListener listener;
  BlockingRegion::Listener* previous = BlockingRegion::SetThreadListener(&listener);
  {
    BlockingRegion outer;
    EXPECT_EQ(listener.entered, 1);
    {
      BlockingRegion inner;
      EXPECT_EQ(listener.entered, 1);
    }
    EXPECT_EQ(listener.left, 0);
  }
  EXPECT_EQ(listener.entered, 1);
  EXPECT_EQ(listener.left, 1);
  EXPECT_EQ(BlockingRegion::SetThreadListener(previous), &listener);
}

}  // namespace
}  // namespace accord
