#include "template/started_templates.h"

#include <list>
#include <mutex>
#include <utility>

#include "api/session.h"
#include "pglite/error.h"
#include "storage/data_dir.h"
#include "template/extension_templates.h"

namespace pglite::internal {
namespace {

// Templates are idle backends (their memory is one snapshot shared with
// their copies); a few configurations are kept, the least recently used
// goes first.
constexpr size_t kMaxTemplates = 8;

struct Template {
  std::mutex mutex;
  int uses = 0;
  bool uncopyable = false;  // a copy failed: start backends instead
  std::unique_ptr<Session> origin;

  ~Template() {
    if (origin) origin->close();  // a temporary PGDATA: no shutdown checkpoint
  }
};

// Everything that makes two started backends differ.
std::string template_key(const BackendConfig& c, const std::vector<std::string>& extensions) {
  std::string key;
  auto add = [&](const std::string& s) {
    key += std::to_string(s.size());
    key += ':';
    key += s;
  };
  add(c.user);
  add(c.database);
  add(c.relaxed_durability ? "relaxed" : "durable");
  add(std::to_string(c.memory_limit));
  for (const auto& [name, value] : c.gucs) add(name + '=' + value);
  key += '|';
  for (const std::string& dir : c.host_directories) add(dir);
  key += '|';
  for (const std::string& name : extensions) add(name);
  return key;
}

std::shared_ptr<Template> find_template(const std::string& key) {
  static std::mutex mutex;
  static auto* templates =
      new std::list<std::pair<std::string, std::shared_ptr<Template>>>;  // never destroyed
  std::lock_guard lock(mutex);
  for (auto it = templates->begin(); it != templates->end(); ++it) {
    if (it->first == key) {
      templates->splice(templates->begin(), *templates, it);
      return it->second;
    }
  }
  templates->emplace_front(key, std::make_shared<Template>());
  if (templates->size() > kMaxTemplates) templates->pop_back();
  return templates->front().second;
}

}  // namespace

std::unique_ptr<Session> clone_started_template(const BackendConfig& config,
                                                const std::vector<std::string>& extensions) {
  std::shared_ptr<Template> t = find_template(template_key(config, extensions));
  std::lock_guard lock(t->mutex);
  if (t->uncopyable) return nullptr;
  if (!t->origin) {
    if (t->uses++ == 0) return nullptr;
    BackendConfig started = config;
    started.memory_data_dir = memory_data_dir_with(extensions);
    auto origin = std::make_unique<Session>(nullptr, Backend::start(started));
    origin->set_memory_data_dir(started.memory_data_dir);
    origin->set_backend_config(std::move(started));
    t->origin = std::move(origin);
  }
  // A temporary database must open even where copies cannot be made (no
  // memfd, say): then it starts its own backend, as the first one did.
  // Database::clone() reports the same failure instead.
  try {
    if (std::unique_ptr<Session> copy = t->origin->clone()) return copy;
  } catch (const Error&) {
  }
  t->uncopyable = true;
  t->origin->close();  // a temporary PGDATA: no shutdown checkpoint
  t->origin.reset();
  return nullptr;
}

}  // namespace pglite::internal
