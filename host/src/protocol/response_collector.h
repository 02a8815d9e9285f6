// Interprets the backend's reply to one Query or one extended-protocol batch
// ending in Sync: per-statement Results, the error (if any), notices,
// notifications and the final transaction status.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pglite/error.h"
#include "pglite/notice.h"
#include "pglite/result.h"
#include "protocol/backend_messages.h"
#include "protocol/result_builder.h"

namespace pglite::internal::protocol {

class ResponseCollector {
 public:
  /// Consumes backend output; chunks may split messages anywhere. Throws
  /// 08P01 for malformed or unexpected messages.
  void feed(std::string_view bytes);
  /// Throws 08P01 if the bytes fed so far end inside a message.
  void expect_message_boundary() const;

  /// ReadyForQuery was seen: the reply is complete.
  bool ready() const { return ready_; }
  /// Transaction status of the last ReadyForQuery ('I', 'T' or 'E'), 0 if none yet.
  char transaction_status() const { return tx_status_; }
  /// The backend sent CopyInResponse and waits for CopyData/CopyDone/CopyFail.
  bool awaiting_copy_in() const { return copy_in_; }

  /// Results of the statements that completed, in order.
  std::vector<Result>& results() { return results_; }
  /// The first ErrorResponse, if any.
  const std::optional<Error>& error() const { return error_; }
  std::vector<Notice>& notices() { return notices_; }
  std::vector<Notification>& notifications() { return notifications_; }
  /// ParameterStatus reports (name, value), in order.
  const std::vector<std::pair<std::string, std::string>>& parameter_status() const {
    return parameter_status_;
  }
  /// Parameter types from ParameterDescription, if one was received.
  const std::optional<std::vector<std::uint32_t>>& parameter_types() const { return parameter_types_; }

  /// Handles one complete message.
  void handle(const Message& message);

 private:
  std::string pending_;  ///< bytes of an incomplete trailing message
  ResultBuilder builder_;
  bool in_result_ = false;  ///< RowDescription or CopyOutResponse seen, no CommandComplete yet
  bool copy_in_ = false;
  bool copy_out_ = false;
  bool ready_ = false;
  char tx_status_ = 0;
  std::vector<Result> results_;
  std::optional<Error> error_;
  std::vector<Notice> notices_;
  std::vector<Notification> notifications_;
  std::vector<std::pair<std::string, std::string>> parameter_status_;
  std::optional<std::vector<std::uint32_t>> parameter_types_;
  std::vector<std::optional<std::string_view>> row_;  ///< scratch for DataRow
};

}  // namespace pglite::internal::protocol
