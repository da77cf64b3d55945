#include "common/status.h"

#include <gtest/gtest.h>

#include <memory>

namespace accord {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, CarriesCodeMessageAndReason) {
  Status s = Unauthenticated("signature does not verify", "bad_signature");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(s.reason(), "bad_signature");
  EXPECT_EQ(s.ToString(), "UNAUTHENTICATED: signature does not verify [bad_signature]");
}

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  ACCORD_ASSIGN_OR_RETURN(int h, Half(x));
  ACCORD_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(ResultTest, ValueAndErrorPropagate) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Quarter(4).status().ok());
}

TEST(ResultTest, HoldsMoveOnlyTypes) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

Status Check(bool good) {
  ACCORD_RETURN_IF_ERROR(good ? Status::Ok() : NotFound("missing"));
  return Status::Ok();
}

TEST(StatusTest, ReturnIfError) {
  EXPECT_TRUE(Check(true).ok());
  EXPECT_EQ(Check(false).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace accord
