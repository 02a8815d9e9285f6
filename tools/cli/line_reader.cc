#include "line_reader.h"

#include <editline/readline.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cwchar>

#include "cancel.h"

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

bool g_interrupted = false;

// libedit's input function: one character from the terminal, or EOF (-1)
// when SIGINT arrives, which ends readline() without the line. Reading
// ourselves (instead of libedit blocking in read()) is what lets Ctrl-C
// reach us without longjmp out of a signal handler, as psql does.
int read_char(FILE*) {
  std::mbstate_t state{};
  for (;;) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {interrupt_fd(), POLLIN, 0}};
    int n = poll(fds, fds[1].fd >= 0 ? 2 : 1, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (fds[1].fd >= 0 && fds[1].revents != 0) {
      if (!interrupt_pending()) {
        // A wake-up from an interrupt already handled (the handler sets the
        // flag before it writes): discard it, then look again.
        char stale[64];
        while (read(fds[1].fd, stale, sizeof stale) > 0) {
        }
      }
      if (interrupt_pending()) {
        g_interrupted = true;
        return -1;
      }
    }
    if (fds[0].revents == 0) continue;
    char byte;
    ssize_t got = read(STDIN_FILENO, &byte, 1);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return -1;
    // Multi-byte characters arrive a byte at a time; hand libedit the
    // whole character.
    wchar_t wc;
    std::size_t r = std::mbrtowc(&wc, &byte, 1, &state);
    if (r == static_cast<std::size_t>(-2)) continue;
    if (r == static_cast<std::size_t>(-1)) return static_cast<unsigned char>(byte);
    return static_cast<int>(wc);
  }
}

class EditLineReader : public LineReader {
 public:
  EditLineReader() {
    // libedit decodes and displays text in the locale's encoding; the
    // database speaks UTF-8, so a single-byte locale (C, POSIX) gets C.UTF-8.
    std::setlocale(LC_CTYPE, "");
    if (MB_CUR_MAX == 1) std::setlocale(LC_CTYPE, "C.UTF-8");
    // Our SIGINT handler stays in place (libedit's would re-raise the signal
    // to the whole process group); input goes through read_char().
    rl_catch_signals = 0;
    rl_getc_function = read_char;
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
    clear_interrupt();
    g_interrupted = false;
    char* raw = readline(prompt.c_str());
    interrupted_ = g_interrupted;
    if (interrupted_) {
      std::free(raw);  // the abandoned line
      std::fputs("\n", stdout);
      std::fflush(stdout);
      clear_interrupt();
      return std::nullopt;
    }
    if (raw == nullptr) return std::nullopt;
    std::string line(raw);
    std::free(raw);
    return line;
  }
  bool interrupted() const override { return interrupted_; }
  void remember(const std::string& entry) override {
    if (!entry.empty()) add_history(entry.c_str());
  }
  bool interactive() const override { return true; }

 private:
  std::string history_path_;
  bool interrupted_ = false;
};

}  // namespace

std::unique_ptr<LineReader> stream_reader(std::istream& in) { return std::make_unique<StreamReader>(in); }

std::unique_ptr<LineReader> editline_reader() { return std::make_unique<EditLineReader>(); }

}  // namespace pglite::cli
