// SealingStore::RewrapAll and CountUnderKek: KEK rotation over the store's sealed columns.
#include "datasec/sealing_store.h"

#include <algorithm>

namespace accord::datasec {
namespace {

constexpr store::SealedColumn kColumns[] = {
    store::SealedColumn::kSessionIdentity,
    store::SealedColumn::kConsentClaims,
    store::SealedColumn::kPushedRequestParams,
    store::SealedColumn::kLogoutToken,
};

// Calls fn(value) for every non-empty value of every sealed column, in batches.
template <typename Fn>
Status ForEachSealed(store::Store& inner, int batch, Fn fn) {
  batch = std::clamp(batch, 1, 1000);
  for (store::SealedColumn column : kColumns) {
    std::string after;
    while (true) {
      ACCORD_ASSIGN_OR_RETURN(std::vector<std::string> values,
                              inner.ListSealedValues(column, after, batch));
      for (const auto& v : values) ACCORD_RETURN_IF_ERROR(fn(column, v));
      if (values.size() < static_cast<size_t>(batch)) break;
      after = values.back();
    }
  }
  return Status::Ok();
}

}  // namespace

Result<SealingStore::RewrapStats> SealingStore::RewrapAll(int batch) {
  RewrapStats stats;
  ACCORD_RETURN_IF_ERROR(ForEachSealed(
      *inner_, batch, [&](store::SealedColumn column, const std::string& value) -> Status {
        ++stats.scanned;
        if (!FieldSealer::IsSealed(value)) {
          return DataLoss("a sealed column holds a value that is not sealed", "not_sealed");
        }
        ACCORD_ASSIGN_OR_RETURN(std::string rewrapped, sealer_.Rewrap(value));
        if (rewrapped == value) return Status::Ok();
        ACCORD_ASSIGN_OR_RETURN(int64_t changed,
                                inner_->ReplaceSealedValue(column, value, rewrapped));
        if (changed > 0) {
          stats.rewrapped += changed;
        } else {
          ++stats.conflicts;
        }
        return Status::Ok();
      }));
  return stats;
}

Result<int64_t> SealingStore::CountUnderKek(std::string_view kek_id) {
  int64_t count = 0;
  ACCORD_RETURN_IF_ERROR(
      ForEachSealed(*inner_, 500, [&](store::SealedColumn, const std::string& value) -> Status {
        auto id = FieldSealer::KekIdOf(value);
        if (!id.ok() || *id == kek_id) ++count;  // unreadable values count as not yet moved
        return Status::Ok();
      }));
  return count;
}

}  // namespace accord::datasec
