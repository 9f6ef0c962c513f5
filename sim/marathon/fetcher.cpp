#include "sim/marathon/fetcher.h"

#include <filesystem>
#include <system_error>

#include "common/strings.h"
#include "sim/common/probes.h"

namespace ceph_planner::marathon_sim {

namespace {

namespace fs = std::filesystem;

bool startsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool endsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Single-quotes `s` for /bin/sh.
std::string shellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out.push_back(c);
  }
  return out + "'";
}

// The last path segment of the URI's path (query and fragment dropped).
std::string lastSegment(const std::string& uri) {
  std::string path = uri;
  const auto scheme = path.find("://");
  if (scheme != std::string::npos) path = path.substr(scheme + 3);
  path = path.substr(0, path.find_first_of("?#"));
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? (scheme == std::string::npos ? path : "")
                                    : path.substr(slash + 1);
}

Result<std::string> targetName(const FetchSpec& f) {
  if (!f.destPath.empty()) {
    const fs::path p(f.destPath);
    if (p.is_absolute())
      return makeError(ErrorCode::InvalidInput, "destPath " + ceph_planner::quoted(f.destPath) +
                                                    " must be relative to the sandbox");
    for (const auto& part : p)
      if (part == "..")
        return makeError(ErrorCode::InvalidInput, "destPath " + ceph_planner::quoted(f.destPath) +
                                                      " must stay inside the sandbox");
    return f.destPath;
  }
  std::string name = lastSegment(f.uri);
  if (name.empty() || name == "." || name == "..")
    return makeError(ErrorCode::InvalidInput,
                     "cannot name the fetched file (the uri has no file name; set destPath)");
  return name;
}

// Runs a short shell command in `dir`; its output becomes the error message on failure.
Status runTool(const std::string& command, const std::string& dir,
               std::chrono::milliseconds timeout, ErrorCode failureCode) {
  sim::ProbeResult r = sim::runCommandProbe(command, {}, dir, timeout);
  if (r.healthy) return okStatus();
  if (r.exitCode < 0 && r.error.find("timed out") != std::string::npos)
    return makeError(ErrorCode::Timeout, r.error);
  std::string output = trim(r.output);
  return makeError(failureCode, output.empty() ? r.error : output);
}

Status download(const std::string& uri, const fs::path& target, const FetchOptions& options) {
  const auto timeout = options.timeout;
  const fs::path part = target.string() + ".fetching";
  const auto seconds = std::max<long long>(1, (timeout.count() + 999) / 1000);
  const std::string command =
      "exec curl --silent --show-error --fail --location --max-time " + std::to_string(seconds) +
      (options.sourceAddress.empty() ? std::string()
                                     : " --interface " + shellQuote(options.sourceAddress)) +
      " --output " + shellQuote(part.string()) + " -- " + shellQuote(uri);
  Status s = runTool(command, target.parent_path().string(), timeout, ErrorCode::Unavailable);
  std::error_code ec;
  if (!s) {
    fs::remove(part, ec);
    return s;
  }
  fs::rename(part, target, ec);
  if (ec) return makeError(ErrorCode::Internal, "cannot rename the download: " + ec.message());
  return okStatus();
}

Status copyLocal(const std::string& source, const fs::path& target) {
  std::error_code ec;
  if (!fs::is_regular_file(source, ec))
    return makeError(ErrorCode::NotFound, "no such file " + ceph_planner::quoted(source));
  fs::copy_file(source, target, fs::copy_options::overwrite_existing, ec);
  if (ec)
    return makeError(ErrorCode::Internal,
                     "cannot copy " + ceph_planner::quoted(source) + ": " + ec.message());
  return okStatus();
}

Status extract(const fs::path& archive, std::chrono::milliseconds timeout) {
  const std::string name = archive.filename().string();
  const std::string dir = archive.parent_path().string();
  for (const char* ext : {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz"})
    if (endsWith(name, ext))
      return runTool("exec tar -C " + shellQuote(dir) + " -xf " + shellQuote(archive.string()), dir,
                     timeout, ErrorCode::Internal);
  if (endsWith(name, ".zip"))
    return runTool("exec unzip -o -qq " + shellQuote(archive.string()) + " -d " + shellQuote(dir),
                   dir, timeout, ErrorCode::Internal);
  return okStatus();  // Not an archive Mesos would unpack: kept as fetched.
}

}  // namespace

Result<std::string> fetchUri(const FetchSpec& f, const std::string& sandbox,
                             const FetchOptions& options) {
  auto name = targetName(f);
  if (!name) return name.error();
  const fs::path target = fs::path(sandbox) / *name;
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec)
    return makeError(ErrorCode::Internal, "cannot create " +
                                              ceph_planner::quoted(target.parent_path().string()) +
                                              ": " + ec.message());

  Status got;
  if (startsWith(f.uri, "http://") || startsWith(f.uri, "https://") ||
      startsWith(f.uri, "ftp://")) {
    got = download(f.uri, target, options);
  } else if (startsWith(f.uri, "file://")) {
    std::string rest = f.uri.substr(7);
    if (startsWith(rest, "localhost/")) rest = rest.substr(9);
    if (!startsWith(rest, "/"))
      return makeError(ErrorCode::InvalidInput, "file uris must name an absolute local path");
    got = copyLocal(rest, target);
  } else if (startsWith(f.uri, "/")) {
    got = copyLocal(f.uri, target);
  } else {
    return makeError(ErrorCode::InvalidInput,
                     "unsupported uri scheme (http, https, ftp, file or an absolute path)");
  }
  if (!got) return got.error();

  if (f.executable) {
    fs::permissions(target,
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                        fs::perms::others_read | fs::perms::others_exec,
                    fs::perm_options::replace, ec);
    if (ec) return makeError(ErrorCode::Internal, "cannot make it executable: " + ec.message());
  } else if (f.extract) {
    Status x = extract(target, options.timeout);
    if (!x)
      return x.error().withContext("cannot extract " +
                                   ceph_planner::quoted(target.filename().string()));
  }
  return target.string();
}

Status fetchAll(const std::vector<FetchSpec>& fetches, const std::string& sandbox,
                std::ostream& log, const FetchOptions& options) {
  for (const FetchSpec& f : fetches) {
    auto r = fetchUri(f, sandbox, options);
    if (!r) {
      log << "marathon-sim fetcher: fetch of " << ceph_planner::quoted(f.uri)
          << " failed: " << r.error().message << "\n";
      return r.error().withContext("fetch of " + ceph_planner::quoted(f.uri) + " failed");
    }
    log << "marathon-sim fetcher: fetched " << ceph_planner::quoted(f.uri) << " to "
        << ceph_planner::quoted(*r) << "\n";
  }
  log.flush();
  return okStatus();
}

}  // namespace ceph_planner::marathon_sim
