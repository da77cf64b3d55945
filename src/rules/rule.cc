#include "rules/rule.h"

#include <boost/json/serialize.hpp>
#include <utility>

#include "rules/dates.h"
#include "rules/internal/program.h"

namespace accord::rules {
namespace {

using internal::Node;
using internal::Op;
using internal::OperatorInfo;
using internal::Program;

constexpr size_t kMaxDescription = 200;

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string MemberPath(std::string_view base, std::string_view key) {
  std::string out(base);
  if (IsIdentifier(key)) {
    out.push_back('.');
    out.append(key);
  } else {
    out.append("['");
    for (char c : key) {
      if (c == '\'' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.append("']");
  }
  return out;
}

std::string IndexPath(std::string_view base, size_t i) {
  return std::string(base) + "[" + std::to_string(i) + "]";
}

void Truncate(std::string* s) {
  if (s->size() <= kMaxDescription) return;
  size_t cut = kMaxDescription;
  while (cut > 0 && (static_cast<unsigned char>((*s)[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  s->resize(cut);
  s->append("...");
}

class Compiler {
 public:
  Compiler(Program* p, const CompileLimits& limits) : p_(p), limits_(limits) {}

  Result<uint32_t> Compile(const boost::json::value& j, const std::string& path, uint32_t depth,
                           bool in_scope) {
    if (depth > limits_.max_depth) {
      return Error(path, "rule nested deeper than " + std::to_string(limits_.max_depth), "rule_too_deep");
    }
    if (p_->nodes.size() >= limits_.max_nodes) {
      return Error(path, "rule has more than " + std::to_string(limits_.max_nodes) + " nodes",
                   "rule_too_large");
    }
    if (j.is_array()) return CompileArray(j.get_array(), path, depth, in_scope);
    if (j.is_object() && j.get_object().size() == 1) {
      return CompileOperation(j.get_object(), path, depth, in_scope);
    }
    Node n;
    n.in_scope = in_scope;
    n.literal = Value::FromJson(j);
    return Add(n, path, boost::json::serialize(j));
  }

  Status Error(const std::string& path, const std::string& message, const std::string& reason) {
    return InvalidArgument(p_->source_name + ": " + path + ": " + message, reason);
  }

 private:
  uint32_t Add(Node n, const std::string& path, std::string description) {
    Truncate(&description);
    p_->nodes.push_back(n);
    p_->json_paths.push_back(path);
    p_->descriptions.push_back(std::move(description));
    return static_cast<uint32_t>(p_->nodes.size() - 1);
  }

  void Link(Node* n, const std::vector<uint32_t>& kids) {
    n->first_child = static_cast<uint32_t>(p_->children.size());
    n->child_count = static_cast<uint32_t>(kids.size());
    for (uint32_t k : kids) {
      p_->children.push_back(k);
      n->var_mask |= p_->nodes[k].var_mask;
    }
  }

  Result<uint32_t> CompileArray(const boost::json::array& a, const std::string& path,
                                uint32_t depth, bool in_scope) {
    std::vector<uint32_t> kids;
    bool all_constant = true;
    for (size_t i = 0; i < a.size(); ++i) {
      ACCORD_ASSIGN_OR_RETURN(uint32_t k, Compile(a[i], IndexPath(path, i), depth + 1, in_scope));
      kids.push_back(k);
      all_constant = all_constant && p_->nodes[k].op == Op::kLiteral;
    }
    Node n;
    n.in_scope = in_scope;
    if (all_constant) {
      auto items = std::make_unique<Value[]>(kids.size() + 1);
      for (size_t i = 0; i < kids.size(); ++i) items[i] = p_->nodes[kids[i]].literal;
      n.literal = Value::Array(items.get(), static_cast<uint32_t>(kids.size()));
      p_->constant_arrays.push_back(std::move(items));
      return Add(n, path, boost::json::serialize(a));
    }
    n.op = Op::kArray;
    Link(&n, kids);
    std::string d = "[";
    for (size_t i = 0; i < kids.size(); ++i) {
      if (i > 0) d += ", ";
      d += p_->descriptions[kids[i]];
    }
    return Add(n, path, d + "]");
  }

  Result<uint32_t> CompileOperation(const boost::json::object& o, const std::string& path,
                                    uint32_t depth, bool in_scope) {
    const auto& [key, args_json] = *o.begin();
    std::string_view name(key.data(), key.size());
    const OperatorInfo* info = internal::FindOperator(name);
    if (info == nullptr) {
      return Error(path, "unknown operator \"" + std::string(name) + "\"", "unknown_operator");
    }
    std::string op_path = MemberPath(path, name);
    std::vector<const boost::json::value*> args;
    bool args_array = args_json.is_array();
    if (args_array) {
      for (const auto& a : args_json.get_array()) args.push_back(&a);
    } else {
      args.push_back(&args_json);
    }
    if (args.size() < info->min_args || args.size() > info->max_args) {
      std::string expected = info->min_args == info->max_args
                                 ? std::to_string(info->min_args)
                                 : (info->max_args == internal::kAnyCount
                                        ? "at least " + std::to_string(info->min_args)
                                        : std::to_string(info->min_args) + " to " +
                                              std::to_string(info->max_args));
      return Error(op_path, "operator \"" + std::string(name) + "\" takes " + expected +
                                " argument(s), got " + std::to_string(args.size()),
                   "bad_arity");
    }
    auto arg_path = [&](size_t i) { return args_array ? IndexPath(op_path, i) : op_path; };
    if (info->op == Op::kVar) return CompileVar(args, path, arg_path, depth, in_scope);

    bool iterates = info->op == Op::kMap || info->op == Op::kFilter || info->op == Op::kReduce ||
                    info->op == Op::kAll || info->op == Op::kNone || info->op == Op::kSome;
    std::vector<uint32_t> kids;
    for (size_t i = 0; i < args.size(); ++i) {
      bool scoped = in_scope || (iterates && i == 1);
      ACCORD_ASSIGN_OR_RETURN(uint32_t k, Compile(*args[i], arg_path(i), depth + 1, scoped));
      kids.push_back(k);
    }
    if (info->op == Op::kAgeOn || info->op == Op::kDaysBetween || info->op == Op::kDateAdd) {
      for (size_t i = 0; i < args.size(); ++i) {
        if (info->op == Op::kDateAdd && i == 1) break;
        if (args[i]->is_string() && !ParseDate(std::string_view(args[i]->get_string()))) {
          return Error(arg_path(i), "invalid date literal (expected YYYY-MM-DD)", "bad_date");
        }
      }
    }
    Node n;
    n.op = info->op;
    n.in_scope = in_scope;
    Link(&n, kids);
    return Add(n, path, Describe(*info, kids));
  }

  template <typename PathFn>
  Result<uint32_t> CompileVar(const std::vector<const boost::json::value*>& args,
                              const std::string& path, PathFn arg_path, uint32_t depth,
                              bool in_scope) {
    Node n;
    n.in_scope = in_scope;
    const boost::json::value* a0 = args.empty() ? nullptr : args[0];
    bool static_path = a0 == nullptr || !(a0->is_object() || a0->is_array());
    std::vector<uint32_t> kids;
    if (!static_path) {
      for (size_t i = 0; i < args.size(); ++i) {
        ACCORD_ASSIGN_OR_RETURN(uint32_t k, Compile(*args[i], arg_path(i), depth + 1, in_scope));
        kids.push_back(k);
      }
      n.op = Op::kVar;
      Link(&n, kids);
      return Add(n, path, "var(" + p_->descriptions[kids[0]] + ")");
    }
    n.op = Op::kVarStatic;
    std::string text;
    if (a0 != nullptr && !a0->is_null()) AppendString(Value::FromJson(*a0), &text);
    n.whole_data = text.empty();
    if (!n.whole_data) {
      n.path_begin = static_cast<uint32_t>(p_->segments.size());
      size_t start = 0;
      while (true) {
        size_t dot = text.find('.', start);
        std::string_view seg = std::string_view(text).substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        p_->segments.push_back({static_cast<uint32_t>(p_->path_text.size()), static_cast<uint32_t>(seg.size())});
        p_->path_text.append(seg);
        ++n.path_count;
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
    }
    std::string description = n.whole_data ? "data" : text;
    if (args.size() > 1) {
      ACCORD_ASSIGN_OR_RETURN(uint32_t k, Compile(*args[1], arg_path(1), depth + 1, in_scope));
      kids.push_back(k);
      description += " (default " + p_->descriptions[k] + ")";
    } else if (!in_scope && !n.whole_data) {
      size_t index = 0;
      while (index < p_->variables.size() && p_->variables[index] != text) ++index;
      if (index == p_->variables.size()) {
        if (index >= limits_.max_variables) {
          return Error(arg_path(0), "rule reads more than " + std::to_string(limits_.max_variables) + " variables",
                       "rule_too_large");
        }
        p_->variables.push_back(text);
      }
      n.var_mask = uint64_t{1} << index;
    }
    Link(&n, kids);
    return Add(n, path, description);
  }

  std::string Child(uint32_t k) {
    const Node& c = p_->nodes[k];
    const OperatorInfo& ci = internal::InfoFor(c.op);
    bool paren = !ci.infix.empty() && c.child_count >= 2;
    return paren ? "(" + p_->descriptions[k] + ")" : p_->descriptions[k];
  }

  std::string Describe(const OperatorInfo& info, const std::vector<uint32_t>& kids) {
    if (info.op == Op::kNot) return "not " + Child(kids[0]);
    if (info.op == Op::kNotNot) return Child(kids[0]);
    if (info.op == Op::kSub && kids.size() == 1) return "-" + Child(kids[0]);
    std::string d;
    if (!info.infix.empty() && kids.size() >= 2) {
      for (size_t i = 0; i < kids.size(); ++i) {
        if (i > 0) d += info.infix;
        d += Child(kids[i]);
      }
      return d;
    }
    d = std::string(info.name) + "(";
    for (size_t i = 0; i < kids.size(); ++i) {
      if (i > 0) d += ", ";
      d += p_->descriptions[kids[i]];
    }
    return d + ")";
  }

  Program* p_;
  const CompileLimits& limits_;
};

}  // namespace

Result<Rule> Rule::Compile(const boost::json::value& logic, std::string_view source,
                           std::string_view base_path, const CompileLimits& limits) {
  auto program = std::make_shared<Program>();
  program->source = logic;
  program->source_name = std::string(source);
  Compiler compiler(program.get(), limits);
  ACCORD_ASSIGN_OR_RETURN(program->root,
                          compiler.Compile(program->source, std::string(base_path), 0, false));
  return Rule(std::move(program));
}

Rule::Rule() {
  static const std::shared_ptr<const Program> kNullProgram = [] {
    auto p = std::make_shared<Program>();
    p->source_name = "default";
    p->nodes.push_back(Node{});
    p->json_paths.push_back("$");
    p->descriptions.push_back("null");
    return p;
  }();
  program_ = kNullProgram;
}

const std::vector<std::string>& Rule::variables() const { return program_->variables; }
size_t Rule::node_count() const { return program_->nodes.size(); }
const boost::json::value& Rule::source() const { return program_->source; }

}  // namespace accord::rules
