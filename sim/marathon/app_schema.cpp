// The one file that includes valijson.

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <cctype>
#include <map>
#include <mutex>

#include "sim/marathon/app_validation.h"

namespace ceph_planner::marathon_sim {

extern const char* const kAppDefinitionSchemaText;  // Generated from AppDefinition.json.

namespace {

const valijson::Schema& appSchema() {
  static valijson::Schema schema;
  static std::once_flag once;
  std::call_once(once, [] {
    Json doc = Json::parse(kAppDefinitionSchemaText);
    doc["additionalProperties"] = true;
    // The schema's `not` forbids cmd+args together; the semantic layer reports that with
    // Marathon's own message instead.
    doc.erase("not");
    // Ids are checked by the semantic layer with Marathon's own (stricter) rule and message.
    doc["properties"]["id"] = Json{{"type", "string"}};
    static Json keep;  // The adapter reads from the document while parsing only.
    keep = doc;
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter adapter(keep);
    parser.populateSchema(adapter, schema);
  });
  return schema;
}

bool allDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string renderPath(const std::vector<std::string>& context) {
  std::string out;
  for (const auto& c : context) {
    if (c == "<root>") continue;
    std::string inner = c;
    if (inner.size() >= 2 && inner.front() == '[' && inner.back() == ']') {
      inner = inner.substr(1, inner.size() - 2);
    }
    if (allDigits(inner)) {
      out += "(" + inner + ")";
    } else {
      out += "/" + inner;
    }
  }
  return out.empty() ? "/" : out;
}

}  // namespace

std::optional<ValidationFailure> checkAppSchema(const Json& app) {
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(app);
  if (validator.validate(appSchema(), target, &results)) return std::nullopt;
  // Keep the deepest error per path (valijson also reports every enclosing composite).
  std::map<std::string, std::vector<std::string>> byPath;
  valijson::ValidationResults::Error err;
  size_t deepest = 0;
  std::vector<std::pair<size_t, std::pair<std::string, std::string>>> all;
  while (results.popError(err)) {
    all.push_back({err.context.size(), {renderPath(err.context), err.description}});
    deepest = std::max(deepest, err.context.size());
  }
  for (const auto& [depth, pe] : all) {
    // Errors of enclosing nodes that only say "failed to validate ..." add nothing.
    if (depth < deepest && pe.second.find("ailed to validate") != std::string::npos) continue;
    auto& v = byPath[pe.first];
    if (std::find(v.begin(), v.end(), pe.second) == v.end()) v.push_back(pe.second);
  }
  ValidationFailure f;
  f.message = "Invalid JSON";
  for (auto& [p, errs] : byPath) f.details.push_back({p, errs});
  return f;
}

}  // namespace ceph_planner::marathon_sim
