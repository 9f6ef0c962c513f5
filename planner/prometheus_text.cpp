#include "planner/prometheus_text.h"

#include <charconv>

#include "common/strings.h"

namespace ceph_planner::planner {
namespace {

bool isNameStart(char c, bool metric) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':');
}

bool isNameChar(char c, bool metric) {
  return isNameStart(c, metric) || (c >= '0' && c <= '9');
}

// A cursor over one line; every `expect...` failure sets `error_` and returns false, so callers
// can chain with `&&`.
class LineParser {
 public:
  LineParser(std::string_view line, size_t lineNumber) : line_(line), lineNumber_(lineNumber) {}

  Result<PrometheusSample> sample() {
    PrometheusSample s;
    if (!name(true, "a metric name", s.name)) return failure();
    const size_t afterName = pos_;
    skipBlanks();
    if (peek('{')) {
      if (!labels(s)) return failure();
    } else {
      pos_ = afterName;  // The blanks belong before the value.
    }
    if (!blanks("a space before the value of " + quoted(s.name))) return failure();
    std::string_view token = word();
    if (!number(token, s.value)) {
      return failWith("expected a number as the value of " + quoted(s.name) + ", got " +
                      quoted(token));
    }
    skipBlanks();
    if (pos_ < line_.size()) {
      std::string_view ts = word();
      int64_t ms = 0;
      auto [end, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), ms);
      if (ec != std::errc() || end != ts.data() + ts.size()) {
        return failWith("expected a timestamp in milliseconds after the value of " +
                        quoted(s.name) + ", got " + quoted(ts));
      }
      s.timestampMs = ms;
      skipBlanks();
    }
    if (pos_ < line_.size()) {
      return failWith("unexpected " + quoted(line_.substr(pos_)) + " after the sample of " +
                      quoted(s.name));
    }
    return s;
  }

  // `# TYPE <name> <type>`: the text after `# TYPE`.
  Result<std::pair<std::string, std::string>> typeLine() {
    std::string family;
    if (!name(true, "a metric name after '# TYPE'", family)) return failure();
    if (!blanks("a type after " + quoted(family))) return failure();
    std::string type(word());
    static const char* const kTypes[] = {"counter", "gauge", "histogram", "summary", "untyped"};
    bool known = false;
    for (const char* t : kTypes) known = known || type == t;
    if (!known) {
      return failWith("unknown metric type " + quoted(type) + " for " + quoted(family));
    }
    return std::make_pair(family, type);
  }

  void skip(size_t n) { pos_ += n; }
  void skipBlanks() {
    while (pos_ < line_.size() && (line_[pos_] == ' ' || line_[pos_] == '\t')) ++pos_;
  }

 private:
  bool peek(char c) const { return pos_ < line_.size() && line_[pos_] == c; }

  bool fail(const std::string& message) {
    if (error_.empty()) error_ = message;
    return false;
  }
  Error failWith(const std::string& message) {
    fail(message);
    return failure();
  }
  Error failure() const {
    return makeError(ErrorCode::InvalidInput,
                     "line " + std::to_string(lineNumber_) + ": " + error_);
  }

  bool expect(char c, const std::string& what) {
    if (!peek(c)) {
      std::string got = pos_ < line_.size() ? quoted(line_.substr(pos_, 1)) : "the end of line";
      return fail("expected '" + std::string(1, c) + "' " + what + ", got " + got);
    }
    ++pos_;
    return true;
  }

  // At least one blank, then any more.
  bool blanks(const std::string& what) {
    if (!(peek(' ') || peek('\t'))) {
      return fail("expected " + what +
                  (pos_ < line_.size() ? ", got " + quoted(line_.substr(pos_, 1))
                                       : ", got the end of line"));
    }
    skipBlanks();
    return true;
  }

  bool name(bool metric, const std::string& what, std::string& out) {
    size_t start = pos_;
    if (pos_ < line_.size() && isNameStart(line_[pos_], metric)) {
      ++pos_;
      while (pos_ < line_.size() && isNameChar(line_[pos_], metric)) ++pos_;
    }
    if (pos_ == start) {
      return fail("expected " + what +
                  (pos_ < line_.size() ? ", got " + quoted(line_.substr(pos_, 1))
                                       : ", got the end of line"));
    }
    out = std::string(line_.substr(start, pos_ - start));
    return true;
  }

  // Up to the next blank.
  std::string_view word() {
    size_t start = pos_;
    while (pos_ < line_.size() && line_[pos_] != ' ' && line_[pos_] != '\t') ++pos_;
    return line_.substr(start, pos_ - start);
  }

  bool labels(PrometheusSample& s) {
    ++pos_;  // '{'
    skipBlanks();
    while (!peek('}')) {
      std::string key;
      if (!name(false, "a label name or '}' in the labels of " + quoted(s.name), key)) return false;
      skipBlanks();
      if (!expect('=', "after label name " + quoted(key))) return false;
      skipBlanks();
      if (!expect('"', "to open the value of label " + quoted(key))) return false;
      std::string value;
      if (!labelValue(key, value)) return false;
      s.labels.emplace_back(std::move(key), std::move(value));
      skipBlanks();
      if (peek(',')) {
        ++pos_;
        skipBlanks();
        continue;
      }
      if (!peek('}')) return expect('}', "or ',' after a label of " + quoted(s.name));
    }
    ++pos_;  // '}'
    return true;
  }

  // After the opening quote; consumes the closing one. Decodes `\\`, `\"` and `\n`.
  bool labelValue(const std::string& key, std::string& out) {
    while (pos_ < line_.size()) {
      char c = line_[pos_++];
      if (c == '"') return true;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= line_.size()) break;
      char e = line_[pos_++];
      if (e == 'n') {
        out.push_back('\n');
      } else if (e == '\\' || e == '"') {
        out.push_back(e);
      } else {
        return fail("unknown escape '\\" + std::string(1, e) + "' in the value of label " +
                    quoted(key));
      }
    }
    return fail("unterminated value of label " + quoted(key));
  }

  // Go's ParseFloat syntax as Prometheus writes it: decimal or exponent forms, `+Inf`, `-Inf`,
  // `NaN`.
  static bool number(std::string_view token, double& out) {
    if (token.empty()) return false;
    std::string_view body = token;
    if (body.front() == '+') body.remove_prefix(1);
    auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), out);
    return ec == std::errc() && end == body.data() + body.size();
  }

  std::string_view line_;
  size_t lineNumber_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

const std::string* PrometheusSample::label(std::string_view key) const {
  for (const auto& [k, v] : labels) {
    if (k == key) return &v;
  }
  return nullptr;
}

Result<PrometheusPage> parsePrometheusText(std::string_view text) {
  PrometheusPage page;
  size_t lineNumber = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++lineNumber;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    LineParser parser(line, lineNumber);
    parser.skipBlanks();
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    std::string_view rest = line.substr(first);
    if (rest.front() == '#') {
      // Only `# TYPE` carries meaning for us; `# HELP` and other comments are skipped.
      std::string_view comment = rest.substr(1);
      size_t word = comment.find_first_not_of(" \t");
      if (word == std::string_view::npos || !startsWith(comment.substr(word), "TYPE") ||
          (comment.size() > word + 4 && comment[word + 4] != ' ' && comment[word + 4] != '\t')) {
        continue;
      }
      parser.skip(1 + word + 4);
      parser.skipBlanks();
      auto type = parser.typeLine();
      if (!type) return type.error();
      page.types[type->first] = type->second;
      continue;
    }
    auto sample = parser.sample();
    if (!sample) return sample.error();
    page.samples.push_back(std::move(sample).value());
  }
  return page;
}

}  // namespace ceph_planner::planner
