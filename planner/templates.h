#pragma once

// Marathon app templates: data files (templates/<runtime>/<role>.json), one per daemon kind and
// runtime, that hold the runtime-specific parts of an app (container, cmd, env, volumes, fetch,
// health checks). String values may contain `{{variable}}` placeholders (documented in
// docs/templates.md). The renderer sets the policy fields itself (id, instances, constraints,
// resources, labels, upgrade and unreachable strategies, ports for RGW).
//
// A template is decoded once into an `AppSpec` prototype; instantiating it copies the prototype and
// substitutes placeholders, which keeps rendering 100,000+ apps cheap. Pure: callers pass file
// texts.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "common/result.h"
#include "planner/app_spec.h"
#include "topology/model.h"

namespace ceph_planner::planner {

struct TemplateKey {
  topology::Runtime runtime;
  Role role;
  bool operator<(const TemplateKey& o) const {
    return std::tie(runtime, role) < std::tie(o.runtime, o.role);
  }
};

class TemplateSet {
  struct Compiled;  // Where the placeholders sit in the prototype's strings (templates.cpp).

 public:
  // `files` maps relative names (`docker/osd.json`) to their text. Every runtime×role must be
  // present once the built-ins are merged. Unknown placeholders and JSON errors are `InvalidInput`
  // errors naming the file.
  static Result<TemplateSet> fromFiles(const std::map<std::string, std::string>& files);

  // The templates compiled into the binary from templates/.
  static const TemplateSet& builtin();
  static const std::map<std::string, std::string>& builtinFiles();

  // Built-ins with `overrides` (same relative names) taking precedence (`--templates DIR`).
  static Result<TemplateSet> withOverrides(const std::map<std::string, std::string>& overrides);

  // Instantiates the template for `key` with `vars` (placeholder name → value).
  Result<AppSpec> instantiate(
      TemplateKey key, const std::vector<std::pair<std::string_view, std::string>>& vars) const;

  // Remembers, per template, the last instantiated container, fetch list and health checks with
  // the placeholder values they were built from. Instantiations through one cache whose values
  // for a part are the same (every OSD of a render has the same image and data dir) share that
  // part instead of building it again; a part that missed kGiveUpAfter times without a hit is
  // built per instance from then on (its values never repeat, e.g. an OSD's own fetch list). One
  // per render; not for concurrent use; it must not outlive the TemplateSet it was used with.
  class Cache {
   public:
    Cache();
    ~Cache();
    Cache(const Cache&) = delete;
    Cache& operator=(const Cache&) = delete;

   private:
    friend class TemplateSet;
    static constexpr unsigned kGiveUpAfter = 16;
    struct Entry {
      bool valid = false;
      unsigned hits = 0;
      unsigned misses = 0;
      std::vector<std::string> values;  // Of the part's placeholders, in compiled order.
      SharedOptional<Container> container;
      SharedVector<FetchUri> fetch;
      SharedVector<HealthCheck> healthChecks;
    };
    Entry* entriesFor(const Compiled* compiled);  // One Entry per template part.
    std::map<const Compiled*, std::unique_ptr<Entry[]>> entries_;
  };

  // Same, for the renderer: `values` holds one value per placeholder of the role, in the order
  // of `placeholderNames(key.role)` (a placeholder the template does not use may be empty), so
  // nothing is looked up by name per app; every composed text of the instance shares `values`.
  // Into `out` (which is overwritten: each app is built where it stays, as an AppSpec is large to
  // move; on error `out` is unspecified). With a `cache`, parts equal to the previous
  // instantiation's are shared.
  Status instantiateInto(TemplateKey key, const TemplateText::Values& values, Cache* cache,
                         AppSpec& out) const;

  bool has(TemplateKey key) const { return prototypes_.count(key) > 0; }

  // The placeholder names a template for `role` may use (docs/templates.md), sorted.
  static const std::vector<std::string>& placeholderNames(Role role);
  // The index of `name` in `placeholderNames(role)`, or kNoPlaceholder.
  static constexpr std::size_t kNoPlaceholder = static_cast<std::size_t>(-1);
  static std::size_t placeholderIndex(Role role, std::string_view name);

  // The relative file name of a template (`docker/osd.json`).
  static std::string fileName(TemplateKey key);

 private:
  Status instantiateImpl(TemplateKey key, const TemplateText::Values& values, Cache* cache,
                         AppSpec& app) const;
  std::map<TemplateKey, AppSpec> prototypes_;
  std::map<TemplateKey, std::shared_ptr<const Compiled>> compiled_;
};

}  // namespace ceph_planner::planner
