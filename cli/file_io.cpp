#include "cli/file_io.h"

#include "common/strings.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace ceph_planner::cli {

namespace fs = std::filesystem;

Result<std::string> readFile(const std::string& path) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  std::error_code ec;
  if (!fs::exists(path, ec))
    return makeError(ErrorCode::NotFound, "no such file " + ceph_planner::quoted(path));
  if (fs::is_directory(path, ec)) {
    return makeError(ErrorCode::InvalidInput,
                     ceph_planner::quoted(path) + " is a directory, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return makeError(ErrorCode::InvalidInput,
                     "cannot read " + ceph_planner::quoted(path) + ": " + std::strerror(errno));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Status writeFileAtomic(const std::string& path, const std::string& content) {
  std::error_code ec;
  fs::path target(path);
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
      return makeError(ErrorCode::InvalidInput,
                       "cannot create directory " +
                           ceph_planner::quoted(target.parent_path().string()) + ": " +
                           ec.message());
    }
  }
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      return makeError(ErrorCode::InvalidInput,
                       "cannot write " + ceph_planner::quoted(tmp) + ": " + std::strerror(errno));
    }
    out << content;
    if (!out.flush()) {
      return makeError(ErrorCode::InvalidInput, "cannot write " + ceph_planner::quoted(tmp));
    }
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    return makeError(ErrorCode::InvalidInput, "cannot rename " + ceph_planner::quoted(tmp) +
                                                  " to " + ceph_planner::quoted(path) + ": " +
                                                  ec.message());
  }
  return okStatus();
}

Result<std::map<std::string, std::string>> readTemplateDir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return makeError(ErrorCode::NotFound,
                     "template directory " + ceph_planner::quoted(dir) + " does not exist");
  }
  std::map<std::string, std::string> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ".json") continue;
    auto text = readFile(it->path().string());
    if (!text) return text.error();
    files[fs::relative(it->path(), dir).generic_string()] = std::move(text).value();
  }
  if (ec)
    return makeError(ErrorCode::InvalidInput,
                     "cannot list " + ceph_planner::quoted(dir) + ": " + ec.message());
  return files;
}

}  // namespace ceph_planner::cli
