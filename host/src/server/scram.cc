#include "server/scram.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

namespace pglite::internal {
namespace {

std::string hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string sha256(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n));
  return out;
}

std::string base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(size_t(n));
  return out;
}

std::optional<std::string> unbase64(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out(3 * in.size() / 4 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  if (n < 0) return std::nullopt;
  size_t pad = (!in.empty() && in.back() == '=') + (in.size() > 1 && in[in.size() - 2] == '=');
  out.resize(size_t(n) - pad);
  return out;
}

// Value of attribute `key` ("r", "p", ...) in a comma-separated SCRAM message.
std::optional<std::string_view> attribute(std::string_view msg, char key) {
  size_t pos = 0;
  while (pos <= msg.size()) {
    size_t end = msg.find(',', pos);
    std::string_view part = msg.substr(pos, end == std::string_view::npos ? msg.npos : end - pos);
    if (part.size() >= 2 && part[0] == key && part[1] == '=') return part.substr(2);
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return std::nullopt;
}

}  // namespace

ScramSecret ScramSecret::derive(std::string_view password) {
  ScramSecret s;
  s.salt = random_bytes(16);
  unsigned char salted[SHA256_DIGEST_LENGTH];
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(s.salt.data()), static_cast<int>(s.salt.size()),
                    s.iterations, EVP_sha256(), sizeof salted, salted);
  std::string salted_password(reinterpret_cast<char*>(salted), sizeof salted);
  s.stored_key = sha256(hmac(salted_password, "Client Key"));
  s.server_key = hmac(salted_password, "Server Key");
  return s;
}

std::optional<std::string> ScramExchange::first(std::string_view client_first) {
  // gs2 header: "n,," (no channel binding) or "y,,"; then the bare message.
  if (client_first.size() < 3 || (client_first[0] != 'n' && client_first[0] != 'y')) return std::nullopt;
  size_t bare = client_first.find(',', client_first.find(',') + 1);
  if (bare == std::string_view::npos) return std::nullopt;
  client_first_bare_ = std::string(client_first.substr(bare + 1));
  auto client_nonce = attribute(client_first_bare_, 'r');
  if (!client_nonce || client_nonce->empty()) return std::nullopt;
  nonce_ = std::string(*client_nonce) + base64(random_bytes(18));
  server_first_ = "r=" + nonce_ + ",s=" + base64(secret_.salt) + ",i=" + std::to_string(secret_.iterations);
  return server_first_;
}

std::optional<std::string> ScramExchange::final(std::string_view client_final) {
  auto nonce = attribute(client_final, 'r');
  auto proof_b64 = attribute(client_final, 'p');
  size_t proof_at = client_final.rfind(",p=");
  if (!nonce || !proof_b64 || proof_at == std::string_view::npos || *nonce != nonce_) return std::nullopt;
  auto proof = unbase64(*proof_b64);
  if (!proof || proof->size() != SHA256_DIGEST_LENGTH) return std::nullopt;
  std::string auth_message =
      client_first_bare_ + "," + server_first_ + "," + std::string(client_final.substr(0, proof_at));
  std::string signature = hmac(secret_.stored_key, auth_message);
  std::string client_key(SHA256_DIGEST_LENGTH, '\0');
  for (size_t i = 0; i < client_key.size(); i++) client_key[i] = char((*proof)[i] ^ signature[i]);
  std::string check = sha256(client_key);
  if (CRYPTO_memcmp(check.data(), secret_.stored_key.data(), check.size()) != 0) return std::nullopt;
  return "v=" + base64(hmac(secret_.server_key, auth_message));
}

}  // namespace pglite::internal
