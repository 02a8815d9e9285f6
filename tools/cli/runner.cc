#include "runner.h"

#include <cctype>
#include <string>

#include "format.h"

namespace pglite::cli {

bool Runner::run(std::string_view sql) {
  try {
    db_.exec_each(sql, [&](Result&& r) { print_result(out_, r); });
    out_.flush();
    return true;
  } catch (const Error& e) {
    report(e, sql);
    return false;
  }
}

bool Runner::run_copy(std::string_view sql, std::string_view data) {
  try {
    print_result(out_, db_.copy_from(sql, data));
    out_.flush();
    return true;
  } catch (const Error& e) {
    report(e, sql);
    return false;
  }
}

void Runner::report(const Error& error, std::string_view sql) {
  out_.flush();
  print_error(err_, error, sql);
  err_.flush();
}

}  // namespace pglite::cli
