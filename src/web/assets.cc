#include "web/assets.h"

#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

#include "web/html.h"

namespace accord::web {
namespace {

namespace fs = std::filesystem;

// Replaces the inline script of GOV.UK's page template (see docs/web.md): a module script only
// runs in browsers that support modules, which is exactly GOV.UK's `govuk-frontend-supported`
// test, and it runs after parsing, when <body> exists.
constexpr std::string_view kInitScript =
    "// Accord: enables GOV.UK Frontend's JavaScript enhancements (pages work without them).\n"
    "import { initAll } from \"/assets/govuk-frontend.min.js\";\n"
    "document.body.classList.add(\"js-enabled\", \"govuk-frontend-supported\");\n"
    "initAll();\n";

constexpr std::string_view kLongCache = "public, max-age=31536000, immutable";
constexpr std::string_view kShortCache = "public, max-age=86400";

std::string ETagOf(std::string_view body) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a 64
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(h >> shift) & 0xF];
  out += "-" + std::to_string(body.size()) + "\"";
  return out;
}

// GOV.UK's fonts carry a content hash in their names ("bold-affa96571d-v2.woff2").
bool IsFingerprinted(std::string_view file_name) {
  size_t run = 0;
  for (char c : file_name) {
    if (std::isxdigit(static_cast<unsigned char>(c)) &&
        !std::isupper(static_cast<unsigned char>(c))) {
      if (++run >= 8) return true;
    } else {
      run = 0;
    }
  }
  return false;
}

// URL segments we serve: [A-Za-z0-9._-], not starting with '.'.
bool IsSafeSegment(std::string_view s) {
  if (s.empty() || s.size() > 128 || s[0] == '.') return false;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

struct Loader {
  const AssetLimits& limits;
  std::map<std::string, Asset, std::less<>>& assets;
  size_t total = 0;

  Status Add(const fs::path& file, std::string url_path) {
    std::optional<std::string_view> type = ContentTypeFor(url_path);
    if (!type) return Status::Ok();
    if (assets.size() >= limits.max_files) {
      return ResourceExhausted(
          "web assets: more than " + std::to_string(limits.max_files) + " files",
          "web_assets_too_large");
    }
    std::error_code ec;
    uintmax_t size = fs::file_size(file, ec);
    if (ec)
      return FailedPrecondition("web assets: cannot read " + file.string(), "web_assets_missing");
    if (size > limits.max_file_bytes || total + size > limits.max_total_bytes) {
      return ResourceExhausted("web assets: " + file.string() + " is over the size limit",
                               "web_assets_too_large");
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in.good() && !in.eof()) {
      return FailedPrecondition("web assets: cannot read " + file.string(), "web_assets_missing");
    }
    Asset asset;
    asset.body = ss.str();
    if (asset.body.size() > limits.max_file_bytes) {
      return ResourceExhausted("web assets: " + file.string() + " is over the size limit",
                               "web_assets_too_large");
    }
    total += asset.body.size();
    asset.content_type = std::string(*type);
    asset.cache_control =
        std::string(IsFingerprinted(file.filename().string()) ? kLongCache : kShortCache);
    asset.etag = ETagOf(asset.body);
    assets.emplace(std::move(url_path), std::move(asset));
    return Status::Ok();
  }

  // Regular files (never symlinks) below `dir`, mapped to `url_prefix` + relative path.
  Status AddTree(const fs::path& dir, const std::string& url_prefix) {
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
    if (ec) return Status::Ok();  // no assets/ folder: only the stylesheet and script
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec)
        return FailedPrecondition("web assets: cannot list " + dir.string(), "web_assets_missing");
      const fs::directory_entry& entry = *it;
      fs::file_status st = entry.symlink_status(ec);
      if (ec || fs::is_symlink(st)) {
        if (fs::is_symlink(st)) it.disable_recursion_pending();
        continue;
      }
      if (fs::is_directory(st)) {
        if (it.depth() + 1 >= limits.max_depth ||
            !IsSafeSegment(entry.path().filename().string())) {
          it.disable_recursion_pending();
        }
        continue;
      }
      if (!fs::is_regular_file(st)) continue;
      std::string url = url_prefix;
      bool safe = true;
      for (const fs::path& part : entry.path().lexically_relative(dir)) {
        safe = safe && IsSafeSegment(part.string());
        url += (url.back() == '/' ? "" : "/") + part.string();
      }
      if (safe) ACCORD_RETURN_IF_ERROR(Add(entry.path(), std::move(url)));
    }
    return Status::Ok();
  }
};

std::string MissingMessage(std::string_view where) {
  return "GOV.UK Frontend assets not found (" + std::string(where) +
         "): run scripts/setup.sh, or `npm ci --prefix web` in the repository, or set "
         "[web] assets_dir to govuk-frontend's dist/govuk directory";
}

}  // namespace

std::optional<std::string_view> ContentTypeFor(std::string_view path) {
  size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view ext = path.substr(dot + 1);
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "json") return "application/json";
  return std::nullopt;
}

Result<std::shared_ptr<const AssetStore>> AssetStore::Load(const std::string& dir,
                                                           const AssetLimits& limits) {
  auto store = std::shared_ptr<AssetStore>(new AssetStore());
  Loader loader{limits, store->assets_};
  const fs::path root(dir);
  for (std::string_view name : {"govuk-frontend.min.css", "govuk-frontend.min.js"}) {
    std::error_code ec;
    fs::file_status st = fs::symlink_status(root / name, ec);
    if (ec || !fs::is_regular_file(st)) {
      return FailedPrecondition(MissingMessage((root / name).string() + " is missing"),
                                "web_assets_missing");
    }
    ACCORD_RETURN_IF_ERROR(loader.Add(root / name, std::string(kAssetsPrefix) + std::string(name)));
  }
  ACCORD_RETURN_IF_ERROR(loader.AddTree(root / "assets", std::string(kAssetsPrefix)));
  Asset init;
  init.body = std::string(kInitScript);
  init.content_type = "text/javascript; charset=utf-8";
  init.cache_control = std::string(kShortCache);
  init.etag = ETagOf(init.body);
  store->assets_[std::string(kInitScriptUrl)] = std::move(init);
  return std::shared_ptr<const AssetStore>(std::move(store));
}

const Asset* AssetStore::Find(std::string_view url_path) const {
  auto it = assets_.find(url_path);
  return it == assets_.end() ? nullptr : &it->second;
}

http::Response ServeAsset(const AssetStore& store, const http::Request& request) {
  const Asset* asset = request.path.size() <= 512 ? store.Find(request.path) : nullptr;
  if (asset == nullptr) return http::ErrorResponse(404);
  http::Response r;
  r.headers.Set("Cache-Control", asset->cache_control);
  r.headers.Set("ETag", asset->etag);
  std::optional<std::string_view> match = request.headers.Get("If-None-Match");
  if (match && match->find(asset->etag) != std::string_view::npos) {
    r.status = 304;
    return r;
  }
  r.headers.Set("Content-Type", asset->content_type);
  r.body = asset->body;
  return r;
}

Status AddAssetRoutes(http::Router& router, std::string assets_dir, const AssetLimits& limits) {
  ACCORD_ASSIGN_OR_RETURN(std::shared_ptr<const AssetStore> store,
                          AssetStore::Load(assets_dir, limits));
  http::RouteOptions in_memory;  // files are loaded at start
  in_memory.inline_handler = true;
  return router.AddPrefix("assets", "GET", std::string(kAssetsPrefix),
                          [store](const http::Request& r) { return ServeAsset(*store, r); },
                          in_memory);
}

std::vector<std::string> SearchRoots(std::string_view base_dir) {
  std::vector<std::string> roots;
  auto add = [&roots](const fs::path& p) {
    std::string s = p.lexically_normal().string();
    for (const std::string& r : roots) {
      if (r == s) return;
    }
    roots.push_back(std::move(s));
  };
  if (!base_dir.empty()) add(fs::path(base_dir));
  add(fs::path("."));
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path dir = exe.parent_path();
    for (int i = 0; i <= 4 && !dir.empty(); ++i, dir = dir.parent_path()) {
      add(dir);
      if (dir == dir.root_path()) break;
    }
  }
  return roots;
}

std::string FindUnderRoots(std::string_view relative, std::string_view base_dir) {
  for (const std::string& root : SearchRoots(base_dir)) {
    std::error_code ec;
    fs::path p = fs::path(root) / relative;
    if (fs::is_directory(p, ec)) return p.lexically_normal().string();
  }
  return "";
}

Result<std::string> ResolveAssetsDir(std::string_view configured, std::string_view base_dir) {
  auto has_assets = [](const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p / "govuk-frontend.min.css", ec);
  };
  std::vector<fs::path> tried;
  if (!configured.empty()) {
    fs::path p(configured);
    if (p.is_relative() && !base_dir.empty()) p = fs::path(base_dir) / p;
    tried.push_back(p);
  } else {
    for (const std::string& root : SearchRoots(base_dir)) {
      tried.push_back(fs::path(root) / kDefaultAssetsDir);
    }
  }
  std::string list;
  for (const fs::path& p : tried) {
    if (has_assets(p)) return p.lexically_normal().string();
    list += (list.empty() ? "" : ", ") + p.string();
  }
  return FailedPrecondition(MissingMessage("looked in " + list), "web_assets_missing");
}

}  // namespace accord::web
