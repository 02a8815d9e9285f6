// Lexical guest path handling. Paths are resolved purely by string: symlinks
// are never followed, so lexical ".." is exact, and ".." at "/" stays "/".
#pragma once

#include <string>
#include <string_view>

namespace pglite::shim::path {

/// Joins `path` onto absolute `base` (ignored if `path` is absolute) and
/// normalises: no ".", "..", empty components or trailing slash. Returns 0
/// or -guest errno (ENOENT for an empty path, ENAMETOOLONG).
/// `*trailing_slash` (optional) reports whether `path` ended in "/".
int normalize(std::string_view base, std::string_view path, std::string* out, bool* trailing_slash = nullptr);

/// True if normalised `p` is `prefix` or lies below it.
bool is_under(std::string_view p, std::string_view prefix);

/// Part of normalised `p` below `prefix` without leading slash ("" if equal).
std::string_view relative_to(std::string_view p, std::string_view prefix);

/// Splits normalised `p` ("/a/b") into parent ("/a") and name ("b").
/// The root has parent "/" and name "".
void split(std::string_view p, std::string_view* parent, std::string_view* name);

}  // namespace pglite::shim::path
