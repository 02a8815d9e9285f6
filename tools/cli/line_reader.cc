#include "line_reader.h"

#include <editline/readline.h>

#include <cstdio>
#include <cstdlib>

namespace pglite::cli {
namespace {

class StreamReader : public LineReader {
 public:
  explicit StreamReader(std::istream& in) : in_(in) {}
  std::optional<std::string> read_line(const std::string&) override {
    std::string line;
    if (!std::getline(in_, line)) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }

 private:
  std::istream& in_;
};

class EditLineReader : public LineReader {
 public:
  EditLineReader() {
    using_history();
    stifle_history(1000);
    if (const char* home = std::getenv("HOME")) {
      history_path_ = std::string(home) + "/.pglite_history";
      read_history(history_path_.c_str());
    }
  }
  ~EditLineReader() override {
    if (!history_path_.empty()) write_history(history_path_.c_str());
  }

  std::optional<std::string> read_line(const std::string& prompt) override {
    char* raw = readline(prompt.c_str());
    if (raw == nullptr) return std::nullopt;
    std::string line(raw);
    std::free(raw);
    return line;
  }
  void remember(const std::string& entry) override {
    if (!entry.empty()) add_history(entry.c_str());
  }
  bool interactive() const override { return true; }

 private:
  std::string history_path_;
};

}  // namespace

std::unique_ptr<LineReader> stream_reader(std::istream& in) { return std::make_unique<StreamReader>(in); }

std::unique_ptr<LineReader> editline_reader() { return std::make_unique<EditLineReader>(); }

}  // namespace pglite::cli
