// TLS for one connection over libuv: OpenSSL with memory BIOs, so the event
// loop keeps owning the socket. Ciphertext in → plaintext out, and back.
#pragma once

#include <memory>
#include <string>
#include <string_view>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace pglite::internal {

/// Server certificate and key, loaded once. Throws pglite::Error if unusable.
class TlsContext {
 public:
  TlsContext(const std::string& cert_file, const std::string& key_file);
  ~TlsContext();
  SSL_CTX* get() const { return ctx_; }

 private:
  SSL_CTX* ctx_ = nullptr;
};

class TlsSession {
 public:
  explicit TlsSession(const TlsContext& ctx);
  ~TlsSession();

  /// Feeds ciphertext from the socket; appends decrypted bytes to *plain and
  /// ciphertext to send back (handshake, alerts) to *to_peer. False on a TLS
  /// error (the connection must be closed).
  bool receive(std::string_view cipher, std::string* plain, std::string* to_peer);
  /// Encrypts application data into ciphertext for the socket.
  bool send(std::string_view plain, std::string* to_peer);

 private:
  void drain(std::string* to_peer);
  SSL* ssl_ = nullptr;
  void* in_ = nullptr;   // BIO*
  void* out_ = nullptr;  // BIO*
};

}  // namespace pglite::internal
