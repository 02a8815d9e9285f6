// The template builder itself runs before a template exists.
#include "template/template_archive.h"

namespace pglite::internal {
TemplateArchive builtin_template() { return TemplateArchive{nullptr, 0}; }
}  // namespace pglite::internal
