#include "web/html.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

namespace accord::web {
namespace {

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(HtmlEscapeTest, EscapesMarkupAndQuotes) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(HtmlEscapeTest, LeavesPlainTextAndUtf8Alone) {
  EXPECT_EQ(HtmlEscape("Zoë Tan, 新加坡"), "Zoë Tan, 新加坡");
}

TEST(CsrfFieldTest, IsAHiddenFieldNamedCsrfWithTheTokenEscaped) {
  EXPECT_EQ(CsrfField("a\"b<"), "<input type=\"hidden\" name=\"csrf\" value=\"a&quot;b&lt;\">\n");
}

TEST(PageCspTest, ForbidsInlineScriptAndStyleAndFraming) {
  const std::string csp(kPageCsp);
  EXPECT_TRUE(Contains(csp, "default-src 'none'"));
  EXPECT_TRUE(Contains(csp, "script-src 'self';"));
  EXPECT_TRUE(Contains(csp, "style-src 'self';"));
  EXPECT_TRUE(Contains(csp, "font-src 'self';"));
  EXPECT_TRUE(Contains(csp, "img-src 'self';"));
  EXPECT_TRUE(Contains(csp, "form-action 'self';"));
  EXPECT_TRUE(Contains(csp, "frame-ancestors 'none'"));
  EXPECT_TRUE(Contains(csp, "base-uri 'none'"));
  EXPECT_FALSE(Contains(csp, "unsafe-inline"));
  EXPECT_FALSE(Contains(csp, "unsafe-eval"));
}

TEST(PageCspTest, AddsPlainOriginsToFormActionOnly) {
  std::vector<std::string> targets = {"http://127.0.0.1:8090", "https://rp.example",
                                      "https://[::1]:8443"};
  std::string csp = PageCsp(targets);
  EXPECT_TRUE(Contains(csp,
                       "form-action 'self' http://127.0.0.1:8090 https://rp.example "
                       "https://[::1]:8443;"));
  EXPECT_TRUE(Contains(csp, "script-src 'self';"));
}

TEST(PageCspTest, DropsTargetsThatCouldWidenThePolicy) {
  std::vector<std::string> targets = {"https://a.example; script-src *",
                                      "*",
                                      "javascript:",
                                      "https://a.example/path",
                                      "data:",
                                      "https://",
                                      "http://a b",
                                      "https://a.example:99999x"};
  EXPECT_EQ(PageCsp(targets), std::string(kPageCsp));
}

TEST(LayoutTest, HasTheGovukTemplateSkipLinkHeaderPhaseBannerAndFooter) {
  Layout layout;
  layout.title = "Title <1>";
  layout.body_html = "<p>body</p>";
  std::string page = RenderLayout(layout);
  EXPECT_TRUE(Contains(page, "<html lang=\"en\" class=\"govuk-template\">"));
  EXPECT_TRUE(Contains(page, "<body class=\"govuk-template__body\">"));
  EXPECT_TRUE(Contains(page, "<title>Title &lt;1&gt; - Accord</title>"));
  EXPECT_TRUE(Contains(page, "href=\"#main-content\" class=\"govuk-skip-link\""));
  EXPECT_TRUE(Contains(page, "govuk-header__service-name\">Accord<"));
  EXPECT_TRUE(Contains(page, "govuk-phase-banner__content__tag\">Sandbox<"));
  EXPECT_TRUE(Contains(page, "<main class=\"govuk-main-wrapper\" id=\"main-content\">"));
  EXPECT_TRUE(Contains(page, "<p>body</p>"));
  EXPECT_TRUE(Contains(page, "<footer class=\"govuk-footer\">"));
  EXPECT_TRUE(Contains(page, "<link rel=\"stylesheet\" href=\"/assets/govuk-frontend.min.css\">"));
}

TEST(LayoutTest, LoadsOnlyAModuleScriptFromThisOriginAndNoInlineScriptOrStyle) {
  Layout layout;
  layout.title = "t";
  std::string page = RenderLayout(layout);
  EXPECT_TRUE(Contains(page, "<script type=\"module\" src=\"/assets/accord-init.mjs\"></script>"));
  size_t count = 0;
  for (size_t at = page.find("<script"); at != std::string::npos;
       at = page.find("<script", at + 1)) {
    ++count;
    constexpr std::string_view kModuleFromAssets = "<script type=\"module\" src=\"/assets/";
    EXPECT_EQ(page.compare(at, kModuleFromAssets.size(), kModuleFromAssets), 0);
  }
  EXPECT_EQ(count, 1u);
  EXPECT_FALSE(Contains(page, "<style"));
  EXPECT_FALSE(Contains(page, "style="));
  EXPECT_FALSE(std::regex_search(page, std::regex(" on[a-z]+=")));  // no event handlers
}

TEST(LayoutTest, ErrorTitlesStartWithError) {
  Layout layout;
  layout.title = "Consent";
  layout.has_error = true;
  EXPECT_TRUE(Contains(RenderLayout(layout), "<title>Error: Consent - Accord</title>"));
}

TEST(RenderPageTest, KeepsTheProviderPagesScriptFree) {
  std::string page = RenderPage("Sign in", "<form></form>");
  EXPECT_FALSE(Contains(page, "<script"));
  EXPECT_TRUE(Contains(page, "govuk-frontend.min.css"));
  EXPECT_TRUE(Contains(page, "<form></form>"));
}

TEST(RenderErrorPageTest, EscapesDynamicTextAndHasNoScript) {
  std::string page = RenderErrorPage("Bad <request>", "redirect_uri \"x\" unknown");
  EXPECT_TRUE(Contains(page, "Bad &lt;request&gt;"));
  EXPECT_TRUE(Contains(page, "redirect_uri &quot;x&quot; unknown"));
  EXPECT_FALSE(Contains(page, "<script"));
  EXPECT_FALSE(Contains(page, "style="));
}

}  // namespace
}  // namespace accord::web
