#include "web/html.h"

#include <gtest/gtest.h>

namespace accord::web {
namespace {

TEST(HtmlEscapeTest, EscapesMarkupAndQuotes) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(RenderErrorPageTest, EscapesDynamicTextAndHasNoScript) {
  std::string page = RenderErrorPage("Bad <request>", "redirect_uri \"x\" unknown");
  EXPECT_NE(page.find("Bad &lt;request&gt;"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("style="), std::string::npos);
}

}  // namespace
}  // namespace accord::web
