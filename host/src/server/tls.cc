#include "server/tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "pglite/error.h"
#include "protocol/sqlstate.h"

namespace pglite::internal {

TlsContext::TlsContext(const std::string& cert_file, const std::string& key_file) {
  ctx_ = SSL_CTX_new(TLS_server_method());
  if (!ctx_) throw Error(sqlstate::kSystemError, "cannot create a TLS context");
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(ctx_, cert_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx_, key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx_) != 1) {
    char buf[256];
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    SSL_CTX_free(ctx_);
    throw Error(sqlstate::kConfigFileError,
                "cannot load TLS certificate/key (" + cert_file + ", " + key_file + "): " + buf);
  }
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

TlsSession::TlsSession(const TlsContext& ctx) {
  ssl_ = SSL_new(ctx.get());
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl_, in, out);  // the SSL owns both BIOs now
  in_ = in;
  out_ = out;
  SSL_set_accept_state(ssl_);
}

TlsSession::~TlsSession() { SSL_free(ssl_); }

void TlsSession::drain(std::string* to_peer) {
  char buf[16384];
  int n;
  while ((n = BIO_read(static_cast<BIO*>(out_), buf, sizeof buf)) > 0) to_peer->append(buf, size_t(n));
}

bool TlsSession::receive(std::string_view cipher, std::string* plain, std::string* to_peer) {
  if (!cipher.empty() && BIO_write(static_cast<BIO*>(in_), cipher.data(), int(cipher.size())) <= 0)
    return false;
  char buf[16384];
  for (;;) {
    int n = SSL_read(ssl_, buf, sizeof buf);
    if (n > 0) {
      plain->append(buf, size_t(n));
      continue;
    }
    int err = SSL_get_error(ssl_, n);
    drain(to_peer);
    return err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE;
  }
}

bool TlsSession::send(std::string_view plain, std::string* to_peer) {
  while (!plain.empty()) {
    int n = SSL_write(ssl_, plain.data(), int(plain.size()));
    if (n <= 0) return false;
    plain.remove_prefix(size_t(n));
  }
  drain(to_peer);
  return true;
}

}  // namespace pglite::internal
