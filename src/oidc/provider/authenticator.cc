#include "oidc/provider/authenticator.h"

#include <fstream>
#include <set>
#include <sstream>

#include "common/json.h"
#include "web/html.h"

namespace accord::oidc {
namespace {

constexpr size_t kMaxPeople = 1000;

Status BadPeople(const std::string& where, std::string_view problem) {
  return InvalidArgument(where + ": " + std::string(problem), "bad_people");
}

}  // namespace

Result<std::unique_ptr<SandboxAuthenticator>> SandboxAuthenticator::FromJson(std::string_view json) {
  auto root = ParseJsonObject(json);
  if (!root.ok()) return BadPeople("people file", "not a JSON object");
  const boost::json::value* list = root->if_contains("people");
  if (list == nullptr || !list->is_array()) return BadPeople("people", "must be an array");
  const auto& arr = list->get_array();
  if (arr.empty() || arr.size() > kMaxPeople) return BadPeople("people", "1 to 1000 entries");
  std::vector<Person> people;
  std::set<std::string> ids;
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string where = "people[" + std::to_string(i) + "]";
    if (!arr[i].is_object()) return BadPeople(where, "must be an object");
    const auto& o = arr[i].get_object();
    Person p;
    std::pair<const char*, std::string*> fields[] = {
        {"id", &p.id}, {"given_name", &p.given_name}, {"family_name", &p.family_name},
        {"birthdate", &p.birthdate}, {"nationality", &p.nationality}};
    for (auto& [name, out] : fields) {
      const boost::json::value* v = o.if_contains(name);
      if (v == nullptr || !v->is_string() || v->get_string().empty() || v->get_string().size() > 200) {
        return BadPeople(where + "." + name, "must be a non-empty string (at most 200 bytes)");
      }
      *out = std::string(v->get_string());
    }
    if (!ids.insert(p.id).second) return BadPeople(where + ".id", "duplicate id");
    people.push_back(std::move(p));
  }
  return std::unique_ptr<SandboxAuthenticator>(new SandboxAuthenticator(std::move(people)));
}

Result<std::unique_ptr<SandboxAuthenticator>> SandboxAuthenticator::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot read people file " + path, "bad_people");
  std::ostringstream ss;
  ss << in.rdbuf();
  return FromJson(ss.str());
}

std::string SandboxAuthenticator::RenderLoginFields() const {
  std::string out =
      "<fieldset>\n<legend>Choose a fictional test person</legend>\n";
  for (size_t i = 0; i < people_.size(); ++i) {
    const Person& p = people_[i];
    std::string id = web::HtmlEscape(p.id);
    out += "<div><input type=\"radio\" name=\"person\" id=\"person-" + std::to_string(i) +
           "\" value=\"" + id + "\"" + (i == 0 ? " checked" : "") + "> <label for=\"person-" +
           std::to_string(i) + "\">" + web::HtmlEscape(p.given_name) + " " +
           web::HtmlEscape(p.family_name) + ", born " + web::HtmlEscape(p.birthdate) + ", " +
           web::HtmlEscape(p.nationality) + "</label></div>\n";
  }
  out += "</fieldset>\n";
  return out;
}

Result<AuthenticatedUser> SandboxAuthenticator::Complete(const http::Params& form) const {
  auto person = form.GetUnique("person");
  if (!person.ok()) return InvalidArgument("choose one person", "login_failed");
  for (const Person& p : people_) {
    if (p.id == *person) {
      return AuthenticatedUser{p.id, std::string(kAcr), {"test"}, "sandbox"};
    }
  }
  return InvalidArgument("unknown test person", "login_failed");
}

Result<Person> SandboxAuthenticator::FindPerson(std::string_view subject) const {
  for (const Person& p : people_) {
    if (p.id == subject) return p;
  }
  return NotFound("no such person", "not_found");
}

}  // namespace accord::oidc
