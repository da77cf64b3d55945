#include "store/internal/sql.h"

namespace accord::store::internal {

const SqlValue* RowReader::Next() {
  if (next_ >= row_.size()) {
    status_ = DataLoss("stored row has fewer columns than expected", "corrupt");
    return nullptr;
  }
  return &row_[next_++];
}

int64_t RowReader::Int() {
  const SqlValue* v = Next();
  if (v == nullptr || std::holds_alternative<std::monostate>(*v)) return 0;
  if (const auto* i = std::get_if<int64_t>(v)) return *i;
  status_ = DataLoss("stored column is not an integer", "corrupt");
  return 0;
}

std::string RowReader::Text() {
  const SqlValue* v = Next();
  if (v == nullptr || std::holds_alternative<std::monostate>(*v)) return {};
  if (const auto* s = std::get_if<std::string>(v)) return *s;
  status_ = DataLoss("stored column is not text", "corrupt");
  return {};
}

Bytes RowReader::Blob() {
  const SqlValue* v = Next();
  if (v == nullptr || std::holds_alternative<std::monostate>(*v)) return {};
  if (const auto* b = std::get_if<Bytes>(v)) return *b;
  status_ = DataLoss("stored column is not a blob", "corrupt");
  return {};
}

}  // namespace accord::store::internal
