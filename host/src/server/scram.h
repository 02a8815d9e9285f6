// Server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as Postgres speaks it:
// AuthenticationSASL → SASLInitialResponse → SASLContinue → SASLResponse →
// SASLFinal. Crypto is OpenSSL's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pglite::internal {

/// Derived once per server from the configured password.
struct ScramSecret {
  std::string salt;  ///< raw bytes
  int iterations = 4096;
  std::string stored_key;  ///< SHA-256(ClientKey)
  std::string server_key;
  static ScramSecret derive(std::string_view password);
};

class ScramExchange {
 public:
  explicit ScramExchange(const ScramSecret& secret) : secret_(secret) {}

  /// client-first-message → server-first-message, or nullopt if malformed.
  std::optional<std::string> first(std::string_view client_first);
  /// client-final-message → server-final-message ("v=..."), or nullopt if
  /// malformed or the proof is wrong.
  std::optional<std::string> final(std::string_view client_final);

 private:
  const ScramSecret& secret_;
  std::string client_first_bare_, server_first_, nonce_;
};

}  // namespace pglite::internal
