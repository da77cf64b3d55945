#include "crypto/internal/public_key_cache.h"

#include <list>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace accord::crypto::internal {
namespace {

void AppendComponent(std::string* out, const Bytes& bytes) {
  const size_t n = bytes.size();
  out->push_back(static_cast<char>(n >> 8));
  out->push_back(static_cast<char>(n & 0xff));
  out->append(reinterpret_cast<const char*>(bytes.data()), n);
}

// LRU: `order_` holds the keys, most recently used first; `entries_` maps each key to its key
// object and its position in `order_`.
class Cache {
 public:
  std::shared_ptr<EVP_PKEY> Find(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second.position);
    return it->second.pkey;
  }

  void Insert(const std::string& key, std::shared_ptr<EVP_PKEY> pkey) {
    std::shared_ptr<EVP_PKEY> evicted;  // released after the lock, outside the critical section
    std::lock_guard<std::mutex> lock(mu_);
    if (entries_.contains(key)) return;
    if (entries_.size() >= kPublicKeyCacheEntries) {
      auto last = entries_.find(order_.back());
      evicted = std::move(last->second.pkey);
      entries_.erase(last);
      order_.pop_back();
    }
    order_.push_front(key);
    entries_.emplace(key, Entry{std::move(pkey), order_.begin()});
  }

  size_t Size() {
    std::lock_guard<std::mutex> lock(mu_);
    return entries_.size();
  }

 private:
  struct Entry {
    std::shared_ptr<EVP_PKEY> pkey;
    std::list<std::string>::iterator position;
  };
  std::mutex mu_;
  std::list<std::string> order_;
  std::unordered_map<std::string, Entry> entries_;
};

Cache& Instance() {
  static Cache* const cache = new Cache();  // never destroyed: usable during static teardown
  return *cache;
}

}  // namespace

std::string PublicKeyCacheKey(const PublicComponents& c) {
  const size_t total = c.x.size() + c.y.size() + c.n.size() + c.e.size();
  if (total > kMaxCachedComponentBytes) return std::string();
  std::string key;
  key.reserve(2 + 4 * 2 + total);
  key.push_back(static_cast<char>(c.type));
  key.push_back(static_cast<char>(c.curve));
  AppendComponent(&key, c.x);
  AppendComponent(&key, c.y);
  AppendComponent(&key, c.n);
  AppendComponent(&key, c.e);
  return key;
}

std::shared_ptr<EVP_PKEY> FindCachedPublicKey(const std::string& key) {
  return Instance().Find(key);
}

void CachePublicKey(const std::string& key, std::shared_ptr<EVP_PKEY> pkey) {
  Instance().Insert(key, std::move(pkey));
}

size_t CachedPublicKeyCount() { return Instance().Size(); }

}  // namespace accord::crypto::internal
