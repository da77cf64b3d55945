#include "web/pages.h"

#include <gtest/gtest.h>

namespace accord::web {
namespace {

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(CountryNameTest, NamesBothCountriesInEitherCodeForm) {
  EXPECT_EQ(CountryName("GBR"), "United Kingdom");
  EXPECT_EQ(CountryName("GB"), "United Kingdom");
  EXPECT_EQ(CountryName("SGP"), "Singapore");
  EXPECT_EQ(CountryName("SG"), "Singapore");
  EXPECT_EQ(CountryName("FRA"), "FRA");
}

TEST(SandboxLoginTest, OffersEachPersonAsARadioWithCsrfAndHiddenFields) {
  SandboxLoginPage page;
  page.csrf_token = "tok";
  page.hidden = {{"txn", "t1"}};
  page.people = {{"sandbox-uk-0001", "Amelia Clarke", "Born 1990-04-12"},
                 {"sandbox-sg-0001", "Tan <Wei>", "Born 1985-02-01"}};
  std::string html = RenderSandboxLogin(page);
  EXPECT_TRUE(Contains(html, "<form method=\"post\" action=\"/login\""));
  EXPECT_TRUE(Contains(html, "name=\"csrf\" value=\"tok\""));
  EXPECT_TRUE(Contains(html, "name=\"txn\" value=\"t1\""));
  EXPECT_TRUE(Contains(html, "value=\"sandbox-uk-0001\" checked"));
  EXPECT_TRUE(Contains(html, ">Tan &lt;Wei&gt;</label>"));
  EXPECT_TRUE(
      Contains(html, "<h1 class=\"govuk-fieldset__heading\">Sign in to Accord sandbox</h1>"));
  EXPECT_TRUE(Contains(html, ">Continue</button>"));
}

TEST(SandboxLoginTest, ShowsAnErrorSummaryLinkedToTheRadios) {
  SandboxLoginPage page;
  page.error = "Choose a test person";
  page.people = {{"p", "P", ""}};
  std::string html = RenderSandboxLogin(page);
  EXPECT_TRUE(Contains(html, "<a href=\"#person\">Choose a test person</a>"));
  EXPECT_TRUE(Contains(html, "<title>Error: "));
}

TEST(ChooseCountryTest, LabelsEachUpstreamWithItsCountry) {
  ChooseCountryPage page;
  page.service_name = "Apply for an Employment Pass";
  page.service_country = "SGP";
  page.form_action = "/broker/choose";
  page.csrf_token = "c";
  page.choices = {{"sandbox-uk", "GOV.UK One Login", "GBR", ""},
                  {"sandbox-sg", "Singpass", "SGP", ""}};
  std::string html = RenderChooseCountry(page);
  EXPECT_TRUE(Contains(html, ">GOV.UK One Login (United Kingdom)</label>"));
  EXPECT_TRUE(Contains(html, ">Singpass (Singapore)</label>"));
  EXPECT_TRUE(Contains(html, "name=\"upstream\" type=\"radio\" value=\"sandbox-uk\""));
  EXPECT_TRUE(Contains(html, "action=\"/broker/choose\""));
  EXPECT_TRUE(Contains(html, "name=\"csrf\" value=\"c\""));
  EXPECT_TRUE(Contains(html, "Apply for an Employment Pass (Singapore) will recognise it."));
}

TEST(ConsentTest, NamesServiceCountryEachAttributeWithPurposeAndBothChoices) {
  ConsentPage page;
  page.service_name = "Tell HMRC you are leaving the UK";
  page.service_country = "GBR";
  page.home_provider = "Singpass (Singapore)";
  page.items = {{"Date of birth", "To check your age <18>", "1990-01-01"},
                {"Full name", "To find your record", ""}};
  page.form_action = "/consent";
  page.csrf_token = "k";
  page.hidden = {{"txn", "x"}};
  std::string html = RenderConsent(page);
  EXPECT_TRUE(
      Contains(html, "Share your details with Tell HMRC you are leaving the UK (United Kingdom)"));
  EXPECT_TRUE(Contains(html, "You proved who you are with Singpass (Singapore)."));
  EXPECT_TRUE(Contains(html, "<dt class=\"govuk-summary-list__key\">Date of birth</dt>"));
  EXPECT_TRUE(Contains(html, "To check your age &lt;18&gt;"));
  EXPECT_TRUE(Contains(html, "1990-01-01"));
  EXPECT_TRUE(Contains(html, "name=\"decision\" value=\"agree\""));
  EXPECT_TRUE(Contains(html, "name=\"decision\" value=\"deny\""));
  EXPECT_TRUE(Contains(html, ">Do not agree</button>"));
  EXPECT_TRUE(Contains(html, "name=\"csrf\" value=\"k\""));
  EXPECT_TRUE(Contains(html, "name=\"txn\" value=\"x\""));
}

TEST(ConsentsTest, ListsEachConsentWithARevokeForm) {
  ConsentsPage page;
  page.revoke_action = "/consents/revoke";
  page.csrf_token = "r";
  page.notice = "You withdrew consent for X";
  page.consents = {
      {"sg-service", "Employment Pass", "SGP", {"Date of birth", "Name"}, "4 January 2027"}};
  std::string html = RenderConsents(page);
  EXPECT_TRUE(Contains(html, "govuk-notification-banner--success"));
  EXPECT_TRUE(Contains(html, "Employment Pass (Singapore)"));
  EXPECT_TRUE(Contains(html, "<li>Date of birth</li>"));
  EXPECT_TRUE(Contains(html, "4 January 2027"));
  EXPECT_TRUE(Contains(html, "action=\"/consents/revoke\""));
  EXPECT_TRUE(Contains(html, "name=\"client_id\" value=\"sg-service\""));
  EXPECT_TRUE(Contains(html, "name=\"csrf\" value=\"r\""));
  EXPECT_TRUE(
      Contains(html, "Revoke<span class=\"govuk-visually-hidden\"> consent for Employment Pass"));
}

TEST(ConsentsTest, SaysSoWhenThereAreNone) {
  EXPECT_TRUE(Contains(RenderConsents({}), "You have not agreed to share your details"));
}

TEST(ErrorPageTest, HeadingAndTextOnlyWithOptionalReturnLink) {
  std::string html = RenderError({"Sign-in failed", "Try <again>", "https://svc.example/", true});
  EXPECT_TRUE(Contains(html, "<h1 class=\"govuk-heading-l\">Sign-in failed</h1>"));
  EXPECT_TRUE(Contains(html, "Try &lt;again&gt;"));
  EXPECT_TRUE(Contains(html, "href=\"https://svc.example/\">Return to the service</a>"));
  EXPECT_FALSE(Contains(html, "<form"));
}

TEST(ProviderDownTest, SaysTheHomeServiceIsNotRespondingAndOffersRetry) {
  std::string html = RenderProviderDown({"Singpass", "SGP", "/retry?x=1&y=2", ""});
  EXPECT_TRUE(Contains(
      html, "<h1 class=\"govuk-heading-l\">Your home sign-in service is not responding</h1>"));
  EXPECT_TRUE(Contains(html, "Singpass (Singapore) did not respond in time."));
  EXPECT_TRUE(Contains(html, "href=\"/retry?x=1&amp;y=2\" role=\"button\""));
}

}  // namespace
}  // namespace accord::web
