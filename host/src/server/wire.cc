#include "server/wire.h"

#include "protocol/framing.h"

namespace pglite::internal::wire {

std::vector<std::pair<std::string, std::string>> startup_parameters(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 4;  // protocol version
  while (pos < body.size() && body[pos] != '\0') {
    size_t k_end = body.find('\0', pos);
    if (k_end == std::string_view::npos) break;
    size_t v_end = body.find('\0', k_end + 1);
    if (v_end == std::string_view::npos) break;
    out.emplace_back(std::string(body.substr(pos, k_end - pos)),
                     std::string(body.substr(k_end + 1, v_end - k_end - 1)));
    pos = v_end + 1;
  }
  return out;
}

namespace {

// Reads a C string at `pos` of body; returns its end or npos.
size_t cstring_end(std::string_view body, size_t pos) {
  return pos <= body.size() ? body.find('\0', pos) : body.npos;
}

std::string renamed(std::string_view name, std::string_view prefix) {
  return name.empty() ? std::string() : std::string(prefix) + std::string(name);
}

}  // namespace

std::string rename_objects(std::string_view msg, std::string_view prefix) {
  if (msg.size() < 5) return std::string(msg);
  char type = msg[0];
  std::string_view body = msg.substr(5);
  std::string out;
  switch (type) {
    case 'P':    // Parse: statement name, query, ...
    case 'E': {  // Execute: portal name, max rows
      size_t end = cstring_end(body, 0);
      if (end == body.npos) return std::string(msg);
      out = renamed(body.substr(0, end), prefix);
      out.append(body.substr(end));
      break;
    }
    case 'B': {  // Bind: portal name, statement name, ...
      size_t p_end = cstring_end(body, 0);
      size_t s_end = p_end == body.npos ? body.npos : cstring_end(body, p_end + 1);
      if (s_end == body.npos) return std::string(msg);
      out = renamed(body.substr(0, p_end), prefix);
      out += '\0';
      out += renamed(body.substr(p_end + 1, s_end - p_end - 1), prefix);
      out.append(body.substr(s_end));
      break;
    }
    case 'D':    // Describe: 'S'|'P', name
    case 'C': {  // Close: 'S'|'P', name
      size_t end = cstring_end(body, 1);
      if (body.empty() || end == body.npos) return std::string(msg);
      out = body.substr(0, 1);
      out += renamed(body.substr(1, end - 1), prefix);
      out.append(body.substr(end));
      break;
    }
    default:
      return std::string(msg);
  }
  return protocol::message(type, out);
}

std::string parsed_statement_name(std::string_view msg) {
  if (msg.size() < 6 || msg[0] != 'P') return {};
  std::string_view body = msg.substr(5);
  size_t end = body.find('\0');
  return end == body.npos ? std::string() : std::string(body.substr(0, end));
}

}  // namespace pglite::internal::wire
