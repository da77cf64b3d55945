#include "web/assets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/testing/temp_dir.h"
#include "web/html.h"

namespace accord::web {
namespace {

namespace fs = std::filesystem;

class TempAssets : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_ / "assets" / "fonts");
    fs::create_directories(dir_ / "assets" / "images");
    Write("govuk-frontend.min.css", "body{font-family:x}");
    Write("govuk-frontend.min.js", "export function initAll(){}");
    Write("assets/fonts/bold-affa96571d-v2.woff2", "WOFF2");
    Write("assets/images/favicon.ico", "ICO");
    Write("assets/images/notes.txt", "not served");
    Write("secret.json", "{\"outside\":true}");
  }
  void Write(const std::string& rel, const std::string& content) {
    std::ofstream(dir_ / rel, std::ios::binary) << content;
  }
  http::Request Get(std::string path) {
    http::Request r;
    r.method = "GET";
    r.target = path;
    r.path = std::move(path);
    return r;
  }
  std::shared_ptr<const AssetStore> Load(const AssetLimits& limits = {}) {
    auto store = AssetStore::Load(dir_.string(), limits);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? *store : nullptr;
  }

  ::accord::testing::TempDir tmp_{"accord-assets-"};
  fs::path dir_ = tmp_.path();
};

TEST(ContentTypeForTest, KnownTypesOnly) {
  EXPECT_EQ(ContentTypeFor("/assets/a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/assets/a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/assets/fonts/a.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("/assets/images/a.svg"), "image/svg+xml");
  EXPECT_FALSE(ContentTypeFor("/assets/a.txt"));
  EXPECT_FALSE(ContentTypeFor("/assets/a.scss"));
  EXPECT_FALSE(ContentTypeFor("/assets.d/noext"));
}

TEST_F(TempAssets, ServesStylesheetScriptFontsAndImagesWithTypes) {
  auto store = Load();
  ASSERT_NE(store, nullptr);
  http::Response css = ServeAsset(*store, Get("/assets/govuk-frontend.min.css"));
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.body, "body{font-family:x}");
  EXPECT_EQ(css.headers.Get("Content-Type"), "text/css; charset=utf-8");
  http::Response js = ServeAsset(*store, Get("/assets/govuk-frontend.min.js"));
  EXPECT_EQ(js.headers.Get("Content-Type"), "text/javascript; charset=utf-8");
  http::Response font = ServeAsset(*store, Get("/assets/fonts/bold-affa96571d-v2.woff2"));
  EXPECT_EQ(font.status, 200);
  EXPECT_EQ(font.headers.Get("Content-Type"), "font/woff2");
  EXPECT_EQ(ServeAsset(*store, Get("/assets/images/favicon.ico")).status, 200);
}

TEST_F(TempAssets, ServesTheEmbeddedInitModule) {
  auto store = Load();
  ASSERT_NE(store, nullptr);
  http::Response init = ServeAsset(*store, Get(std::string(kInitScriptUrl)));
  EXPECT_EQ(init.status, 200);
  EXPECT_NE(init.body.find("initAll()"), std::string::npos);
  EXPECT_NE(init.body.find("govuk-frontend-supported"), std::string::npos);
  EXPECT_EQ(init.headers.Get("Content-Type"), "text/javascript; charset=utf-8");
}

TEST_F(TempAssets, FingerprintedFilesCacheForAYearOthersForADay) {
  auto store = Load();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(ServeAsset(*store, Get("/assets/fonts/bold-affa96571d-v2.woff2"))
                .headers.Get("Cache-Control"),
            "public, max-age=31536000, immutable");
  EXPECT_EQ(ServeAsset(*store, Get("/assets/govuk-frontend.min.css")).headers.Get("Cache-Control"),
            "public, max-age=86400");
}

TEST_F(TempAssets, AnswersIfNoneMatchWith304) {
  auto store = Load();
  ASSERT_NE(store, nullptr);
  http::Response first = ServeAsset(*store, Get("/assets/govuk-frontend.min.css"));
  auto etag = first.headers.Get("ETag");
  ASSERT_TRUE(etag);
  http::Request again = Get("/assets/govuk-frontend.min.css");
  again.headers.Add("If-None-Match", *etag);
  http::Response second = ServeAsset(*store, again);
  EXPECT_EQ(second.status, 304);
  EXPECT_TRUE(second.body.empty());
}

TEST_F(TempAssets, RefusesPathTraversalAndFilesOutsideTheAssetSet) {
  auto store = Load();
  ASSERT_NE(store, nullptr);
  for (const char* path :
       {"/assets/../secret.json", "/assets/%2e%2e/secret.json", "/assets/fonts/../../secret.json",
        "/assets/secret.json", "/assets/assets/fonts/bold-affa96571d-v2.woff2",
        "/assets/images/notes.txt", "/assets//govuk-frontend.min.css", "/assets/",
        "/assets/fonts/%62old-affa96571d-v2.woff2", "/assets/images/favicon.ico/"}) {
    EXPECT_EQ(ServeAsset(*store, Get(path)).status, 404) << path;
  }
}

TEST_F(TempAssets, DoesNotFollowSymlinks) {
  fs::create_symlink(dir_ / "secret.json", dir_ / "assets" / "images" / "link.json");
  auto store = Load();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->Find("/assets/images/link.json"), nullptr);
}

TEST_F(TempAssets, MissingStylesheetIsAReadableError) {
  fs::remove(dir_ / "govuk-frontend.min.css");
  auto store = AssetStore::Load(dir_.string());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().reason(), "web_assets_missing");
  EXPECT_NE(store.status().message().find("govuk-frontend.min.css"), std::string::npos);
  EXPECT_NE(store.status().message().find("npm ci --prefix web"), std::string::npos);
}

TEST_F(TempAssets, OversizedFileIsRefusedAtLoad) {
  AssetLimits limits;
  limits.max_file_bytes = 8;
  auto store = AssetStore::Load(dir_.string(), limits);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().reason(), "web_assets_too_large");
}

TEST_F(TempAssets, TooManyFilesIsRefusedAtLoad) {
  AssetLimits limits;
  limits.max_files = 2;
  auto store = AssetStore::Load(dir_.string(), limits);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().reason(), "web_assets_too_large");
}

TEST_F(TempAssets, AddAssetRoutesRoutesThePrefix) {
  http::Router router;
  ASSERT_TRUE(AddAssetRoutes(router, dir_.string()).ok());
  auto match = router.Find("GET", "/assets/govuk-frontend.min.css");
  ASSERT_EQ(match.kind, http::Router::MatchKind::kFound);
  EXPECT_EQ(match.route->handler(Get("/assets/govuk-frontend.min.css")).status, 200);
  EXPECT_EQ(router.Find("POST", "/assets/govuk-frontend.min.css").kind,
            http::Router::MatchKind::kMethodNotAllowed);
}

TEST_F(TempAssets, AddAssetRoutesFailsWithoutAssets) {
  http::Router router;
  Status s = AddAssetRoutes(router, (dir_ / "nowhere").string());
  EXPECT_EQ(s.reason(), "web_assets_missing");
}

TEST_F(TempAssets, ResolveAssetsDirPrefersConfiguredRelativeToBase) {
  auto resolved = ResolveAssetsDir(dir_.filename().string(), dir_.parent_path().string());
  ASSERT_TRUE(resolved.ok()) << resolved.status().message();
  EXPECT_EQ(fs::path(*resolved), dir_.lexically_normal());
  auto missing = ResolveAssetsDir("nowhere", dir_.string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nowhere"), std::string::npos);
}

TEST_F(TempAssets, SearchRootsStartAtTheConfigDirThenCwdThenTheExecutable) {
  std::vector<std::string> roots = SearchRoots(dir_.string());
  ASSERT_GE(roots.size(), 3u);
  EXPECT_EQ(roots[0], dir_.lexically_normal().string());
  EXPECT_EQ(roots[1], ".");
  EXPECT_EQ(fs::path(roots[2]), fs::read_symlink("/proc/self/exe").parent_path());
  EXPECT_EQ(FindUnderRoots("assets/fonts", dir_.string()), (dir_ / "assets" / "fonts").string());
  EXPECT_EQ(FindUnderRoots("no/such/dir", dir_.string()), "");
}

TEST(RealAssetsTest, TheInstalledPackageMatchesTheUrlsTheLayoutAndCssUse) {
  auto dir = ResolveAssetsDir("", ACCORD_SOURCE_DIR);
  ASSERT_TRUE(dir.ok()) << dir.status().message();
  auto store = AssetStore::Load(*dir);
  ASSERT_TRUE(store.ok()) << store.status().message();
  const Asset* css = (*store)->Find(kStylesheetUrl);
  ASSERT_NE(css, nullptr);
  ASSERT_NE((*store)->Find(kFrontendScriptUrl), nullptr);
  ASSERT_NE((*store)->Find(kFaviconUrl), nullptr);
  // Every url(/assets/...) the stylesheet references is served.
  size_t checked = 0;
  for (size_t at = css->body.find("url(/assets/"); at != std::string::npos;
       at = css->body.find("url(/assets/", at + 1)) {
    size_t end = css->body.find(')', at);
    std::string url = css->body.substr(at + 4, end - at - 4);
    EXPECT_NE((*store)->Find(url), nullptr) << url;
    ++checked;
  }
  EXPECT_GE(checked, 4u);
}

}  // namespace
}  // namespace accord::web
