// The template data directory, embedded by template_blob.S.
#include "template/template_archive.h"

extern "C" {
extern const uint8_t pgl_template_data[];
extern const uint8_t pgl_template_end[];
}

namespace pglite::internal {
TemplateArchive builtin_template() {
  return TemplateArchive{pgl_template_data, static_cast<size_t>(pgl_template_end - pgl_template_data)};
}
}  // namespace pglite::internal
