// Plumbing for the `accord jose` commands; see jose_io.h. (Named *_command.cc so that the accord
// executable's source glob picks it up.)
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "app/jose_io.h"
#include "common/base64url.h"
#include "common/json.h"

namespace accord::app::jose_cli {
namespace {

constexpr std::array<crypto::SignatureAlgorithm, 8> kAllSignatureAlgs = {
    crypto::SignatureAlgorithm::kEs256, crypto::SignatureAlgorithm::kEs384,
    crypto::SignatureAlgorithm::kEs512, crypto::SignatureAlgorithm::kPs256,
    crypto::SignatureAlgorithm::kPs384, crypto::SignatureAlgorithm::kPs512,
    crypto::SignatureAlgorithm::kRs256, crypto::SignatureAlgorithm::kEdDsa};

constexpr std::string_view kUsageReason = "usage";

Status ErrnoStatus(std::string_view what, std::string_view path, int err) {
  return InvalidArgument(std::string(what) + " " + std::string(path) + ": " + std::strerror(err),
                         "io_error");
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot write", "output", errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> ReadInput(std::string_view path, size_t max_bytes) {
  const bool use_stdin = path == "-";
  int fd = use_stdin ? STDIN_FILENO : ::open(std::string(path).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open", path, errno);
  std::string out;
  std::array<char, 16 * 1024> buffer;
  Status status;
  for (;;) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      status = ErrnoStatus("cannot read", use_stdin ? std::string_view("stdin") : path, errno);
      break;
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      status = OutOfRange(std::string(use_stdin ? "stdin" : path) + " is larger than " +
                              std::to_string(max_bytes) + " bytes",
                          "too_large");
      break;
    }
    out.append(buffer.data(), static_cast<size_t>(n));
  }
  if (!use_stdin) ::close(fd);
  if (!status.ok()) return status;
  return out;
}

Status WriteOutput(std::string_view path, std::string_view data, bool private_file) {
  if (path.empty() || path == "-") {
    std::cout.write(data.data(), static_cast<std::streamsize>(data.size()));
    std::cout.flush();
    if (!std::cout) return InvalidArgument("cannot write to stdout", "io_error");
    return Status::Ok();
  }
  const mode_t mode = private_file ? 0600 : 0644;
  int fd = ::open(std::string(path).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
                  mode);
  if (fd < 0) return ErrnoStatus("cannot create", path, errno);
  Status status;
  if (private_file && ::fchmod(fd, 0600) != 0) status = ErrnoStatus("cannot chmod", path, errno);
  if (status.ok()) status = WriteAll(fd, data);
  if (::close(fd) != 0 && status.ok()) status = ErrnoStatus("cannot close", path, errno);
  return status;
}

Result<jose::Jwk> LoadJwk(std::string_view path) {
  ACCORD_ASSIGN_OR_RETURN(std::string text, ReadInput(path, kMaxKeyFileBytes));
  auto jwk = jose::Jwk::Parse(text);
  if (!jwk.ok()) {
    const Status& s = jwk.status();
    return Status(s.code(), std::string(path) + ": " + s.message(), s.reason());
  }
  return std::move(jwk).value();
}

Result<jose::Jwks> LoadKeys(std::string_view path, bool* is_set) {
  ACCORD_ASSIGN_OR_RETURN(std::string text, ReadInput(path, kMaxKeyFileBytes));
  auto object = ParseJsonObject(text, JsonLimits{kMaxKeyFileBytes, jose::kMaxJsonDepth, false});
  if (!object.ok()) {
    const Status& s = object.status();
    return Status(s.code(), std::string(path) + ": not a JSON object: " + s.message(), s.reason());
  }
  const bool set = object->contains("keys");
  if (is_set != nullptr) *is_set = set;
  Result<jose::Jwks> keys = set ? jose::Jwks::Parse(text)
                                                     : [&]() -> Result<jose::Jwks> {
    ACCORD_ASSIGN_OR_RETURN(jose::Jwk key, jose::Jwk::FromJson(*object));
    return jose::Jwks({std::move(key)});
  }();
  if (!keys.ok()) {
    const Status& s = keys.status();
    return Status(s.code(), std::string(path) + ": " + s.message(), s.reason());
  }
  if (keys->empty()) return InvalidArgument(std::string(path) + ": no usable keys", "no_keys");
  return std::move(keys).value();
}

Result<std::string> ReadToken(std::string_view path) {
  ACCORD_ASSIGN_OR_RETURN(std::string text, ReadInput(path, kMaxTokenInputBytes));
  const auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  size_t begin = 0, end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  if (begin == end) return InvalidArgument("no token in input", "malformed");
  return text.substr(begin, end - begin);
}

Result<crypto::SignatureAlgorithm> ChooseSigningAlg(const jose::Jwk& key, std::string_view flag) {
  std::string_view name = !flag.empty() ? flag : std::string_view(key.alg());
  if (!name.empty()) {
    auto alg = crypto::SignatureAlgorithmFromJwa(name);
    if (!alg.ok()) {
      return UsageError("unsupported signature algorithm (use ES256, ES384, ES512, PS256, "
                        "PS384, PS512, RS256 or EdDSA)");
    }
    return *alg;
  }
  switch (key.curve()) {
    case crypto::Curve::kP256: return crypto::SignatureAlgorithm::kEs256;
    case crypto::Curve::kP384: return crypto::SignatureAlgorithm::kEs384;
    case crypto::Curve::kP521: return crypto::SignatureAlgorithm::kEs512;
    case crypto::Curve::kEd25519: return crypto::SignatureAlgorithm::kEdDsa;
    case crypto::Curve::kX25519: return UsageError("an X25519 key cannot sign");
    case crypto::Curve::kNone: break;
  }
  return UsageError("an RSA key without \"alg\" needs --alg (PS256, PS384, PS512 or RS256)");
}

Result<std::vector<crypto::SignatureAlgorithm>> ChooseVerifyAlgs(
    const jose::Jwks& keys, const std::vector<std::string>& flags) {
  std::vector<crypto::SignatureAlgorithm> algs;
  for (const std::string& flag : flags) {
    auto alg = crypto::SignatureAlgorithmFromJwa(flag);
    if (!alg.ok()) return UsageError("unsupported signature algorithm in --alg");
    algs.push_back(*alg);
  }
  if (!algs.empty()) return algs;
  for (crypto::SignatureAlgorithm alg : kAllSignatureAlgs) {
    for (const jose::Jwk& key : keys.keys()) {
      if (key.CheckForSignature(alg, /*signing=*/false).ok()) {
        algs.push_back(alg);
        break;
      }
    }
  }
  if (algs.empty()) {
    return PermissionDenied("no key can verify signatures (wrong use, alg or key type)",
                            "alg_key_mismatch");
  }
  return algs;
}

Result<jose::JweAlg> ChooseEncryptionAlg(const jose::Jwk& key, std::string_view flag) {
  if (!flag.empty()) {
    auto alg = jose::JweAlgFromName(flag);
    if (!alg.ok()) {
      return UsageError("unsupported key management algorithm (use ECDH-ES, ECDH-ES+A128KW, "
                        "ECDH-ES+A192KW, ECDH-ES+A256KW or RSA-OAEP-256)");
    }
    return *alg;
  }
  if (!key.alg().empty()) {
    auto alg = jose::JweAlgFromName(key.alg());
    if (alg.ok()) return *alg;
  }
  switch (key.curve()) {
    case crypto::Curve::kP256:
    case crypto::Curve::kP384:
    case crypto::Curve::kP521:
    case crypto::Curve::kX25519: return jose::JweAlg::kEcdhEsA256Kw;
    case crypto::Curve::kEd25519: return UsageError("an Ed25519 key cannot encrypt");
    case crypto::Curve::kNone: break;
  }
  return jose::JweAlg::kRsaOaep256;
}

bool IsValidUtf8(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    size_t extra;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      extra = 1, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= bytes.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(bytes[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

void AddPayload(boost::json::object& out, std::string_view name, std::string_view bytes) {
  auto json = ParseJson(bytes, JsonLimits{kMaxPayloadBytes * 2, 64, false});
  if (json.ok()) {
    out[name] = std::move(json).value();
  } else if (IsValidUtf8(bytes)) {
    out[name] = bytes;
  } else {
    out[std::string(name) + "_b64url"] = Base64UrlEncode(AsBytes(bytes));
  }
}

std::string FormatOpened(const boost::json::object& header, std::string_view name,
                         std::string_view payload, bool json) {
  if (!json) return std::string(payload);
  boost::json::object result{{"header", header}};
  AddPayload(result, name, payload);
  return boost::json::serialize(result) + "\n";
}

int Fail(std::string_view command, const Status& status) {
  std::cerr << "accord jose " << command << ": " << status.message();
  if (!status.reason().empty()) std::cerr << " [" << status.reason() << "]";
  std::cerr << "\n";
  return kExitFailed;
}

int Usage(std::string_view command, std::string_view message) {
  std::cerr << "accord jose " << command << ": " << message << "\n"
            << "Run 'accord jose " << command << " --help' for usage.\n";
  return kExitUsage;
}

int Report(std::string_view command, const Status& status) {
  if (status.reason() == kUsageReason) return Usage(command, status.message());
  return Fail(command, status);
}

Status UsageError(std::string message) {
  return InvalidArgument(std::move(message), std::string(kUsageReason));
}

}  // namespace accord::app::jose_cli
