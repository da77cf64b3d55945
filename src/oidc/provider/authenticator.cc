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

// Optional national fields: absent or a non-empty string of at most 200 bytes.
Status ReadOptional(const boost::json::object& o, const std::string& where, Person* p) {
  std::pair<const char*, std::string*> fields[] = {
      {"email", &p->email}, {"phone_number", &p->phone_number},
      {"identity_level", &p->identity_level}, {"identity_number", &p->identity_number},
      {"identity_coi", &p->identity_coi}, {"account_type", &p->account_type},
      {"full_name", &p->full_name}, {"mobileno", &p->mobileno}, {"acr", &p->acr}};
  for (auto& [name, out] : fields) {
    const boost::json::value* v = o.if_contains(name);
    if (v == nullptr) continue;
    if (!v->is_string() || v->get_string().empty() || v->get_string().size() > 200) {
      return BadPeople(where + "." + name, "must be a non-empty string (at most 200 bytes)");
    }
    *out = std::string(v->get_string());
  }
  if (!p->identity_level.empty() && p->identity_level != "P2") {
    return BadPeople(where + ".identity_level", "must be \"P2\" or absent");
  }
  if (!p->identity_number.empty() && !ValidNricChecksum(p->identity_number)) {
    return BadPeople(where + ".identity_number", "not an NRIC/FIN with a valid checksum");
  }
  return Status::Ok();
}

}  // namespace

bool ValidNricChecksum(std::string_view id) {
  static constexpr int kWeights[7] = {2, 7, 6, 5, 4, 3, 2};
  if (id.size() != 9) return false;
  char prefix = id[0];
  int sum = 0;
  if (prefix == 'T' || prefix == 'G') {
    sum = 4;
  } else if (prefix != 'S' && prefix != 'F') {
    return false;
  }
  for (int i = 0; i < 7; ++i) {
    char c = id[1 + i];
    if (c < '0' || c > '9') return false;
    sum += kWeights[i] * (c - '0');
  }
  std::string_view letters = (prefix == 'S' || prefix == 'T') ? "JZIHGFEDCBA" : "XWUTRQPNMLK";
  return id[8] == letters[sum % 11];
}

Result<LoginStep> Authenticator::Begin(const http::Params& form, std::string_view) const {
  ACCORD_ASSIGN_OR_RETURN(AuthenticatedUser user, Complete(form));
  LoginStep step;
  step.user = std::move(user);
  return step;
}

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
    ACCORD_RETURN_IF_ERROR(ReadOptional(o, where, &p));
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

namespace {

// What tells the sandbox people apart on the login page (never shown outside the sandbox).
std::string Details(const Person& p) {
  std::string out;
  if (!p.identity_number.empty()) out += ", " + web::HtmlEscape(p.identity_number);
  if (!p.acr.empty()) {
    size_t colon = p.acr.rfind(':');
    out += ", level " + web::HtmlEscape(colon == std::string::npos ? p.acr : p.acr.substr(colon + 1));
  }
  if (!p.email.empty() && p.identity_number.empty()) {
    out += p.identity_level.empty() ? ", identity not proven (Cl.Cm only)"
                                    : ", identity proven (" + web::HtmlEscape(p.identity_level) + ")";
  }
  return out;
}

}  // namespace

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
           web::HtmlEscape(p.nationality) + Details(p) + "</label></div>\n";
  }
  out += "</fieldset>\n";
  return out;
}

Result<AuthenticatedUser> SandboxAuthenticator::Complete(const http::Params& form) const {
  auto person = form.GetUnique("person");
  if (!person.ok()) return InvalidArgument("choose one person", "login_failed");
  for (const Person& p : people_) {
    if (p.id == *person) {
      return AuthenticatedUser{p.id, std::string(kAcr), {"test"}, "sandbox", ""};
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
