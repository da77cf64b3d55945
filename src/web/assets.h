// Static assets under /assets/: GOV.UK Frontend's compiled stylesheet, module script, fonts and
// images (npm package govuk-frontend 5, installed into web/node_modules by scripts/setup.sh),
// plus Accord's tiny init module (kInitScriptUrl, embedded here).
//
// URL layout (it matches the URLs the compiled CSS uses: /assets/fonts/..., /assets/images/...):
//   /assets/govuk-frontend.min.css    <dir>/govuk-frontend.min.css
//   /assets/govuk-frontend.min.js     <dir>/govuk-frontend.min.js
//   /assets/<path>                    <dir>/assets/<path>  (fonts/, images/, manifest.json, ...)
//   /assets/accord-init.mjs           embedded
// where <dir> is dist/govuk of the package. Only files with a known type (css, js, mjs, woff,
// woff2, svg, png, ico, json) are served.
//
// Files are read once, at start-up, into memory (bounded by AssetLimits): a request is a map
// lookup by exact path, so no request can name a file outside that set (no "..", no
// percent-encoded tricks, no symlinks followed). Responses carry Content-Type, an ETag (answering
// If-None-Match with 304) and Cache-Control: one year `immutable` for fingerprinted file names
// (GOV.UK's fonts), one day otherwise (the stylesheet and script names carry no version).
//
// Thread safety: an AssetStore is immutable after Load and shared by the route handlers.
#ifndef ACCORD_WEB_ASSETS_H_
#define ACCORD_WEB_ASSETS_H_

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

namespace accord::web {

// The package's dist directory relative to the repository (or install) root.
inline constexpr std::string_view kDefaultAssetsDir = "web/node_modules/govuk-frontend/dist/govuk";
inline constexpr std::string_view kAssetsPrefix = "/assets/";

struct AssetLimits {
  size_t max_file_bytes = size_t{2} << 20;    // 2 MiB (the stylesheet is ~130 KiB)
  size_t max_total_bytes = size_t{32} << 20;  // 32 MiB
  size_t max_files = 512;
  int max_depth = 4;  // directory levels below <dir>/assets
};

struct Asset {
  std::string body;
  std::string content_type;
  std::string cache_control;
  std::string etag;  // quoted strong ETag from the content
};

// "text/css; charset=utf-8" for .css, etc.; nullopt for a type that is never served.
std::optional<std::string_view> ContentTypeFor(std::string_view path);

class AssetStore {
 public:
  // Reads the assets under `dir`. FailedPrecondition (reason "web_assets_missing") naming the
  // directory and the setup command when the stylesheet or script is missing; ResourceExhausted
  // ("web_assets_too_large") beyond `limits`.
  static Result<std::shared_ptr<const AssetStore>> Load(const std::string& dir,
                                                        const AssetLimits& limits = {});
  // The asset for an exact request path such as "/assets/fonts/x.woff2", or null.
  const Asset* Find(std::string_view url_path) const;
  size_t size() const { return assets_.size(); }

 private:
  std::map<std::string, Asset, std::less<>> assets_;
};

// GET (and HEAD) answer for `request` from `store`: 200, 304 (If-None-Match) or 404.
http::Response ServeAsset(const AssetStore& store, const http::Request& request);

// Loads `assets_dir` (see AssetStore::Load) and routes GET /assets/ to it.
Status AddAssetRoutes(http::Router& router, std::string assets_dir, const AssetLimits& limits = {});

// Directories to look for Accord's files in (web assets, the data/ catalogue), in order:
// `base_dir` (the config file's directory) when non-empty, the current directory, then the
// running executable's directory and its ancestors up to four levels (so a build tree such as
// build/default/src/app/accord finds the checkout, and <prefix>/bin/accord finds <prefix>).
std::vector<std::string> SearchRoots(std::string_view base_dir);

// The first `<root>/<relative>` (roots from SearchRoots) that is a directory, or "" if none is.
std::string FindUnderRoots(std::string_view relative, std::string_view base_dir);

// Where the assets are: `configured` when set (relative paths against `base_dir`), otherwise
// kDefaultAssetsDir under each of SearchRoots(base_dir). FailedPrecondition
// ("web_assets_missing") listing what was tried, with the setup command, when none has them.
Result<std::string> ResolveAssetsDir(std::string_view configured, std::string_view base_dir);

}  // namespace accord::web

#endif  // ACCORD_WEB_ASSETS_H_
