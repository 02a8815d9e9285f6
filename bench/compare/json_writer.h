// Minimal JSON output for the benchmark driver (strings, numbers, arrays).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace pglite::bench {

std::string json_string(std::string_view text);
std::string json_string_array(const std::vector<std::string>& items, std::string_view indent);

}  // namespace pglite::bench
