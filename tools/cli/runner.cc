#include "runner.h"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iostream>
#include <string>

namespace pglite::cli {
namespace {

using Clock = std::chrono::steady_clock;

double elapsed_ms(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

std::string timing_line(double ms) {
  char buf[128];
  if (ms < 1000) {
    std::snprintf(buf, sizeof buf, "Time: %.3f ms", ms);
    return buf;
  }
  // psql's PrintTiming: the total also as [[d ]hh:]mm:ss.sss.
  double seconds = ms / 1000.0;
  double minutes = std::floor(seconds / 60.0);
  seconds -= 60.0 * minutes;
  if (minutes < 60) {
    std::snprintf(buf, sizeof buf, "Time: %.3f ms (%02d:%06.3f)", ms, static_cast<int>(minutes), seconds);
    return buf;
  }
  double hours = std::floor(minutes / 60.0);
  minutes -= 60.0 * hours;
  if (hours < 24) {
    std::snprintf(buf, sizeof buf, "Time: %.3f ms (%02d:%02d:%06.3f)", ms, static_cast<int>(hours),
                  static_cast<int>(minutes), seconds);
    return buf;
  }
  double days = std::floor(hours / 24.0);
  hours -= 24.0 * days;
  std::snprintf(buf, sizeof buf, "Time: %.3f ms (%.0f d %02d:%02d:%06.3f)", ms, days, static_cast<int>(hours),
                static_cast<int>(minutes), seconds);
  return buf;
}

bool Runner::timed(std::string_view sql, const std::function<void()>& body) {
  const auto start = Clock::now();
  bool ok = true;
  try {
    body();
    out_->flush();
  } catch (const Error& e) {
    report(e, sql);
    ok = false;
  }
  print_timing(elapsed_ms(start));  // psql times failed queries too
  return ok;
}

bool Runner::run(std::string_view sql) {
  last_query_ = std::string(sql);
  return timed(sql, [&] { db_.exec_each(sql, [&](Result&& r) { print_result(*out_, r, settings_); }); });
}

bool Runner::run_copy(std::string_view sql, std::string_view data) {
  return timed(sql, [&] { print_result(*out_, db_.copy_from(sql, data), settings_); });
}

bool Runner::run_copy_to(std::string_view sql, std::ostream& data_out) {
  return timed(sql, [&] {
    Result r = db_.exec(sql);
    data_out << r.copy_data();
    data_out.flush();
    // As psql: no tag where the data just went.
    bool same_stream = &data_out == out_ || (&data_out == &std::cout && out_ == &stdout_);
    if (!r.command_tag().empty() && !same_stream) *out_ << r.command_tag() << "\n";
  });
}

bool Runner::redirect_output(const std::string& path, std::string& error) {
  auto file = std::make_unique<std::ofstream>(path, std::ios::out | std::ios::trunc);
  if (!*file) {
    error = std::strerror(errno);
    return false;
  }
  restore_output();
  file_ = std::move(file);
  out_ = file_.get();
  return true;
}

void Runner::restore_output() {
  if (file_) file_->flush();
  file_.reset();
  out_ = &stdout_;
}

void Runner::print_timing(double ms) {
  if (!timing) return;
  stdout_ << timing_line(ms) << "\n";
  stdout_.flush();
}

void Runner::report(const Error& error, std::string_view sql) {
  out_->flush();
  stdout_.flush();
  print_error(err_, error, sql);
  err_.flush();
}

}  // namespace pglite::cli
