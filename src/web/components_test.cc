#include "web/components.h"

#include <gtest/gtest.h>

namespace accord::web {
namespace {

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(ButtonTest, SubmitsNameAndValueAndEscapesText) {
  std::string b = Button("Agree <now>", ButtonStyle::kSecondary, "decision", "agree");
  EXPECT_TRUE(Contains(b, "type=\"submit\""));
  EXPECT_TRUE(Contains(b, "govuk-button govuk-button--secondary"));
  EXPECT_TRUE(Contains(b, "name=\"decision\" value=\"agree\""));
  EXPECT_TRUE(Contains(b, ">Agree &lt;now&gt;</button>"));
}

TEST(ErrorSummaryTest, EmptyWithoutErrorsAndLinksEachErrorToItsField) {
  EXPECT_EQ(ErrorSummary({}), "");
  std::string s = ErrorSummary({{"event-date-day", "Enter a real date"}});
  EXPECT_TRUE(Contains(s, "role=\"alert\""));
  EXPECT_TRUE(Contains(s, "There is a problem"));
  EXPECT_TRUE(Contains(s, "<a href=\"#event-date-day\">Enter a real date</a>"));
}

TEST(NotificationBannerTest, SuccessBannersAreAlertsOthersRegions) {
  EXPECT_TRUE(Contains(NotificationBanner("Done", true), "role=\"alert\""));
  EXPECT_TRUE(Contains(NotificationBanner("Done", true), "govuk-notification-banner--success"));
  EXPECT_TRUE(Contains(NotificationBanner("Note"), "role=\"region\""));
}

TEST(RadiosTest, LabelsEveryInputAndLinksHintsAndErrors) {
  RadiosField f;
  f.name = "upstream";
  f.legend = "Choose";
  f.hint = "Pick one";
  f.error = "Select one";
  f.items = {{"uk", "UK", "hint uk", false}, {"sg", "SG", "", true}};
  std::string r = Radios(f);
  EXPECT_TRUE(Contains(r, "govuk-form-group--error"));
  EXPECT_TRUE(Contains(r, "aria-describedby=\"upstream-hint upstream-error\""));
  EXPECT_TRUE(Contains(r, "id=\"upstream\" name=\"upstream\" type=\"radio\" value=\"uk\""));
  EXPECT_TRUE(Contains(r, "for=\"upstream\">UK</label>"));
  EXPECT_TRUE(
      Contains(r, "id=\"upstream-2\" name=\"upstream\" type=\"radio\" value=\"sg\" checked"));
  EXPECT_TRUE(Contains(r, "for=\"upstream-2\">SG</label>"));
  EXPECT_TRUE(Contains(r, "aria-describedby=\"upstream-item-hint\""));
  EXPECT_TRUE(Contains(r, "<span class=\"govuk-visually-hidden\">Error:</span> Select one"));
}

TEST(TextInputTest, KeepsTheValueEscapedAndMarksErrors) {
  std::string t = TextInput({"fact-x", "Salary", "", "Enter a number", "5\"00", "", "decimal", ""});
  EXPECT_TRUE(Contains(t, "for=\"fact-x\">Salary</label>"));
  EXPECT_TRUE(Contains(t, "value=\"5&quot;00\""));
  EXPECT_TRUE(Contains(t, "govuk-input--error"));
  EXPECT_TRUE(Contains(t, "inputmode=\"decimal\""));
  EXPECT_TRUE(Contains(t, "aria-describedby=\"fact-x-error\""));
}

TEST(DateInputTest, HasLabelledDayMonthYearFields) {
  std::string d = DateInput({"event-date", "When?", "", "", "4", "1", "2027"});
  EXPECT_TRUE(Contains(d, "role=\"group\""));
  EXPECT_TRUE(Contains(d, "for=\"event-date-day\">Day</label>"));
  EXPECT_TRUE(Contains(d, "name=\"event-date-month\" type=\"text\" value=\"1\""));
  EXPECT_TRUE(Contains(d, "name=\"event-date-year\" type=\"text\" value=\"2027\""));
}

TEST(SummaryCardTest, TitlesTheCardAndKeepsValueMarkup) {
  std::string c = SummaryCard("Employment Pass & more", {{"Status", "<strong>x</strong>"}});
  EXPECT_TRUE(Contains(c, "govuk-summary-card__title\">Employment Pass &amp; more</h3>"));
  EXPECT_TRUE(Contains(c, "<dt class=\"govuk-summary-list__key\">Status</dt>"));
  EXPECT_TRUE(Contains(c, "<strong>x</strong>"));
  EXPECT_TRUE(Contains(SummaryCard("t", {}, 2), "<h2 class=\"govuk-summary-card__title\">t</h2>"));
}

}  // namespace
}  // namespace accord::web
