#include "http/internal/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace accord::http::internal {
namespace {

Status CommonSetup(SSL_CTX* ctx) {
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
    return InvalidArgument("cannot set minimum TLS version", "tls_config");
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE);
  return Status::Ok();
}

}  // namespace

Status ConfigureServerTls(SSL_CTX* ctx, const std::string& cert_chain_file,
                          const std::string& private_key_file) {
  ERR_clear_error();
  ACCORD_RETURN_IF_ERROR(CommonSetup(ctx));
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_chain_file.c_str()) != 1) {
    ERR_clear_error();
    return InvalidArgument("cannot load TLS certificate chain file", "tls_config");
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, private_key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    ERR_clear_error();
    return InvalidArgument("cannot load TLS private key file", "tls_config");
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    return InvalidArgument("TLS private key does not match the certificate", "tls_config");
  }
  return Status::Ok();
}

Status ConfigureClientTls(SSL_CTX* ctx, const std::string& extra_ca_file) {
  ERR_clear_error();
  ACCORD_RETURN_IF_ERROR(CommonSetup(ctx));
  if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
    ERR_clear_error();
    return InvalidArgument("cannot load the system CA store", "tls_config");
  }
  if (!extra_ca_file.empty() &&
      SSL_CTX_load_verify_locations(ctx, extra_ca_file.c_str(), nullptr) != 1) {
    ERR_clear_error();
    return InvalidArgument("cannot load the CA file", "tls_config");
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  return Status::Ok();
}

}  // namespace accord::http::internal
