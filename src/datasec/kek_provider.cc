#include "datasec/kek_provider.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "common/base64url.h"
#include "crypto/cipher.h"
#include "crypto/random.h"
#include "datasec/internal/config_util.h"

namespace accord::datasec {
namespace {

Status UnknownKek(std::string_view id) {
  return NotFound("no key-encryption key with id " + std::string(id), "unknown_kek");
}

Result<crypto::SecretBytes> DecodeKey(std::string_view b64) {
  auto raw = Base64UrlDecode(b64);
  if (!raw.ok() || raw->size() != kKekBytes) {
    return InvalidArgument("a KEK must be 32 bytes, base64url-encoded", "bad_kek");
  }
  return crypto::SecretBytes::Adopt(std::move(*raw));
}

std::vector<std::string_view> SplitSpaces(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

}  // namespace

bool IsValidKekId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

Status KeyRing::Add(std::string_view id, crypto::SecretBytes key) {
  if (!IsValidKekId(id)) return InvalidArgument("KEK id must be 1..64 of [A-Za-z0-9_-]", "bad_kek");
  if (key.size() != kKekBytes) return InvalidArgument("a KEK must be 32 bytes", "bad_kek");
  std::unique_lock lock(mu_);
  if (keys_.count(id) != 0) return AlreadyExists("KEK id already held: " + std::string(id), "duplicate");
  keys_.emplace(std::string(id), std::move(key));
  if (current_.empty()) current_ = std::string(id);
  return Status::Ok();
}

Status KeyRing::SetCurrent(std::string_view id) {
  std::unique_lock lock(mu_);
  if (keys_.count(id) == 0) return UnknownKek(id);
  current_ = std::string(id);
  return Status::Ok();
}

Status KeyRing::Remove(std::string_view id) {
  std::unique_lock lock(mu_);
  if (id == current_) return FailedPrecondition("the current KEK cannot be removed", "current_kek");
  auto it = keys_.find(id);
  if (it == keys_.end()) return UnknownKek(id);
  keys_.erase(it);
  return Status::Ok();
}

std::vector<std::string> KeyRing::Ids() const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  for (const auto& [id, key] : keys_) out.push_back(id);
  return out;
}

std::string KeyRing::CurrentKekId() const {
  std::shared_lock lock(mu_);
  return current_;
}

Result<WrappedKey> KeyRing::Wrap(BytesView dek) const {
  std::shared_lock lock(mu_);
  if (current_.empty()) return FailedPrecondition("no key-encryption key configured", "no_kek");
  const crypto::SecretBytes& kek = keys_.find(current_)->second;
  ACCORD_ASSIGN_OR_RETURN(Bytes wrapped, crypto::AesKeyWrap(kek.view(), dek));
  return WrappedKey{current_, std::move(wrapped)};
}

Result<Bytes> KeyRing::WrapUnder(std::string_view kek_id, BytesView dek) const {
  std::shared_lock lock(mu_);
  auto it = keys_.find(kek_id);
  if (it == keys_.end()) return UnknownKek(kek_id);
  return crypto::AesKeyWrap(it->second.view(), dek);
}

Result<crypto::SecretBytes> KeyRing::Unwrap(std::string_view kek_id, BytesView wrapped) const {
  std::shared_lock lock(mu_);
  auto it = keys_.find(kek_id);
  if (it == keys_.end()) return UnknownKek(kek_id);
  return crypto::AesKeyUnwrap(it->second.view(), wrapped);
}

Result<KeyRingFile> ReadKeyRingFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return NotFound(path + ": cannot read KEK file", "bad_config");
  if ((st.st_mode & 077) != 0) {
    return FailedPrecondition(path + ": KEK file must not be accessible by group or others (chmod 600)",
                              "kek_file_mode");
  }
  ACCORD_ASSIGN_OR_RETURN(std::string text, internal::ReadBoundedFile(path, 64 * 1024));
  KeyRingFile file;
  std::istringstream in(text);
  std::fill(text.begin(), text.end(), '\0');
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::string where = path + ": line " + std::to_string(number);
    auto hash = line.find('#');
    std::vector<std::string_view> words =
        SplitSpaces(std::string_view(line).substr(0, hash == std::string::npos ? line.size() : hash));
    if (words.empty()) continue;
    if (words[0] == "kek" && words.size() == 3) {
      auto key = DecodeKey(words[2]);
      if (!key.ok()) return InvalidArgument(where + ": " + key.status().message(), "bad_config");
      if (!IsValidKekId(words[1])) {
        return InvalidArgument(where + ": KEK id must be 1..64 of [A-Za-z0-9_-]", "bad_config");
      }
      for (const auto& [id, k] : file.keys) {
        if (id == words[1]) return InvalidArgument(where + ": duplicate KEK id", "bad_config");
      }
      file.keys.emplace_back(std::string(words[1]), std::move(*key));
    } else if (words.size() == 1 && file.keys.empty() && DecodeKey(words[0]).ok()) {
      // A bare base64url key (the provider's kek_file format): one KEK named "default".
      file.keys.emplace_back("default", std::move(*DecodeKey(words[0])));
    } else if (words[0] == "current" && words.size() == 2) {
      file.current = std::string(words[1]);
    } else {
      return InvalidArgument(where + ": expected \"kek <id> <base64url>\" or \"current <id>\"",
                             "bad_config");
    }
  }
  std::fill(line.begin(), line.end(), '\0');
  if (file.keys.empty()) return InvalidArgument(path + ": no kek lines", "bad_config");
  if (file.current.empty()) file.current = file.keys.front().first;
  bool found = false;
  for (const auto& [id, k] : file.keys) found = found || id == file.current;
  if (!found) return InvalidArgument(path + ": current names no kek line", "bad_config");
  return file;
}

Result<std::unique_ptr<KeyRing>> LoadKeyRingFile(const std::string& path) {
  auto ring = std::make_unique<KeyRing>();
  ACCORD_RETURN_IF_ERROR(ReloadKeyRingFile(path, ring.get()));
  return ring;
}

Status ReloadKeyRingFile(const std::string& path, KeyRing* ring) {
  ACCORD_ASSIGN_OR_RETURN(KeyRingFile file, ReadKeyRingFile(path));
  auto held = ring->Ids();
  for (auto& [id, key] : file.keys) {
    if (std::find(held.begin(), held.end(), id) == held.end()) {
      ACCORD_RETURN_IF_ERROR(ring->Add(id, std::move(key)));
    }
  }
  return ring->SetCurrent(file.current);
}

Status WriteKeyRingFile(const std::string& path,
                        const std::vector<std::pair<std::string, const crypto::SecretBytes*>>& keys,
                        std::string_view current) {
  std::string text = "# Accord key-encryption keys (docs/security.md). Keep mode 0600.\n";
  for (const auto& [id, key] : keys) {
    if (!IsValidKekId(id) || key == nullptr || key->size() != kKekBytes) {
      return InvalidArgument("bad KEK " + id, "bad_kek");
    }
    text += "kek " + id + " " + Base64UrlEncode(key->view()) + "\n";
  }
  text += "current " + std::string(current) + "\n";
  std::string tmp = path + ".tmp";
  std::remove(tmp.c_str());  // a leftover from an interrupted write
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Unavailable(tmp + ": cannot create", "io_error");
  std::FILE* f = ::fdopen(fd, "w");
  if (f == nullptr) {
    ::close(fd);
    return Unavailable(tmp + ": cannot create", "io_error");
  }
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fflush(f) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  std::fill(text.begin(), text.end(), '\0');
  if (!ok) {
    std::remove(tmp.c_str());
    return Unavailable(tmp + ": write failed", "io_error");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Unavailable(path + ": rename failed", "io_error");
  return Status::Ok();
}

Result<std::unique_ptr<KeyRing>> ParseKeyRingSpec(std::string_view spec) {
  auto ring = std::make_unique<KeyRing>();
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    std::string_view item = spec.substr(start, comma == std::string_view::npos ? spec.npos : comma - start);
    size_t colon = item.find(':');
    if (colon == std::string_view::npos) {
      return InvalidArgument("KEK spec items are <id>:<base64url>", "bad_config");
    }
    ACCORD_ASSIGN_OR_RETURN(crypto::SecretBytes key, DecodeKey(item.substr(colon + 1)));
    ACCORD_RETURN_IF_ERROR(ring->Add(item.substr(0, colon), std::move(key)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return ring;
}

Result<std::unique_ptr<KeyRing>> LoadKeyRingFromEnv(const char* variable) {
  const char* value = std::getenv(variable);
  if (value == nullptr || *value == '\0') {
    return NotFound(std::string(variable) + " is not set", "bad_config");
  }
  auto ring = ParseKeyRingSpec(value);
  if (!ring.ok()) {
    return InvalidArgument(std::string(variable) + ": " + ring.status().message(), "bad_config");
  }
  return ring;
}

Status InProcessKms::CreateKey(std::string_view key_id) {
  return ring_.Add(key_id, crypto::RandomSecret(kKekBytes));
}

Result<Bytes> InProcessKms::Wrap(std::string_view key_id, BytesView plaintext_key) const {
  return ring_.WrapUnder(key_id, plaintext_key);
}

Result<crypto::SecretBytes> InProcessKms::Unwrap(std::string_view key_id, BytesView wrapped) const {
  return ring_.Unwrap(key_id, wrapped);
}

KmsKekProvider::KmsKekProvider(const KmsClient* kms, std::string current_key_id)
    : kms_(kms), current_(std::move(current_key_id)) {}

void KmsKekProvider::SetCurrent(std::string key_id) {
  std::unique_lock lock(mu_);
  current_ = std::move(key_id);
}

std::string KmsKekProvider::CurrentKekId() const {
  std::shared_lock lock(mu_);
  return current_;
}

Result<WrappedKey> KmsKekProvider::Wrap(BytesView dek) const {
  std::string id = CurrentKekId();
  ACCORD_ASSIGN_OR_RETURN(Bytes wrapped, kms_->Wrap(id, dek));
  return WrappedKey{std::move(id), std::move(wrapped)};
}

Result<crypto::SecretBytes> KmsKekProvider::Unwrap(std::string_view kek_id, BytesView wrapped) const {
  return kms_->Unwrap(kek_id, wrapped);
}

}  // namespace accord::datasec
