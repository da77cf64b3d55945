#include "journeys/fixtures.h"

#include "common/json.h"
#include "journeys/fields.h"

namespace accord::journeys {

Result<FixtureResult> RunFixtureFile(const Catalogue& catalogue, const CatalogueFile& file,
                                     Planner& planner) {
  auto parsed = ParseJsonObject(file.text, JsonLimits{.max_bytes = 1 << 20, .max_depth = 32});
  if (!parsed.ok()) return InvalidArgument(file.name + ": $: " + parsed.status().message(), "bad_fixture");
  Fields top(*parsed, file.name, "$");
  ACCORD_RETURN_IF_ERROR(top.OnlyKeys({"service", "cases"}));
  FixtureResult result;
  ACCORD_ASSIGN_OR_RETURN(result.service_id, top.String("service"));
  const Service* service = catalogue.FindService(result.service_id);
  if (service == nullptr) return top.Error("service", "unknown service \"" + result.service_id + "\"");
  const auto* cases = top.Get("cases");
  if (cases == nullptr || !cases->is_array() || cases->get_array().empty()) {
    return top.Error("cases", "expected a non-empty array");
  }
  const auto& list = cases->get_array();
  for (size_t i = 0; i < list.size(); ++i) {
    std::string path = "$.cases[" + std::to_string(i) + "]";
    if (!list[i].is_object()) return InvalidArgument(file.name + ": " + path + ": expected an object", "bad_fixture");
    Fields c(list[i].get_object(), file.name, path);
    ACCORD_RETURN_IF_ERROR(c.OnlyKeys({"name", "date", "input", "output"}));
    ACCORD_ASSIGN_OR_RETURN(std::string name, c.String("name"));
    ACCORD_ASSIGN_OR_RETURN(std::string date_text, c.String("date"));
    auto date = rules::ParseDate(date_text);
    if (!date) return c.Error("date", "expected YYYY-MM-DD");
    const auto* input = c.Get("input");
    if (input == nullptr || !input->is_object()) return c.Error("input", "expected an object");
    const auto* output = c.Get("output");
    if (output == nullptr || !output->is_object()) return c.Error("output", "expected an object");
    Fields o(output->get_object(), file.name, c.PathOf("output"));
    ACCORD_RETURN_IF_ERROR(o.OnlyKeys({"status", "missing", "condition"}));
    ACCORD_ASSIGN_OR_RETURN(std::string status, o.String("status"));
    if (status != "eligible" && status != "not_eligible" && status != "needs_information") {
      return o.Error("status", "expected eligible, not_eligible or needs_information");
    }
    ACCORD_ASSIGN_OR_RETURN(auto missing, o.Strings("missing"));
    ACCORD_ASSIGN_OR_RETURN(std::string condition, o.OptionalString("condition"));

    ACCORD_ASSIGN_OR_RETURN(PlannedService got, planner.Assess(*service, *date, input->get_object()));
    std::string where = file.name + ": " + path + " (" + name + "): ";
    if (OutcomeName(got.outcome) != status) {
      result.failures.push_back(where + "expected " + status + ", got " +
                                std::string(OutcomeName(got.outcome)) + " (" + got.reason + ")");
      continue;
    }
    if (o.Get("missing") != nullptr && got.missing != missing) {
      std::string g;
      for (const auto& m : got.missing) g += (g.empty() ? "" : ",") + m;
      result.failures.push_back(where + "missing attributes differ, got [" + g + "]");
      continue;
    }
    if (!condition.empty() && got.condition.find(condition) == std::string::npos) {
      result.failures.push_back(where + "expected the deciding condition to mention \"" + condition +
                                "\", got \"" + got.condition + "\"");
      continue;
    }
    ++result.passed;
  }
  return result;
}

}  // namespace accord::journeys
