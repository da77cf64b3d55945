// OpenSSL context set-up shared by the server and the client (OpenSSL headers only, no Asio).
#ifndef ACCORD_HTTP_INTERNAL_TLS_H_
#define ACCORD_HTTP_INTERNAL_TLS_H_

#include <string>

#include <openssl/types.h>

#include "common/status.h"

namespace accord::http::internal {

// TLS 1.2 minimum, no compression/renegotiation, the PEM certificate chain and private key loaded
// and checked against each other. InvalidArgument (reason "tls_config") naming the failing step.
Status ConfigureServerTls(SSL_CTX* ctx, const std::string& cert_chain_file,
                          const std::string& private_key_file);

// TLS 1.2 minimum, peer verification on, the system CA store plus `extra_ca_file` when non-empty.
Status ConfigureClientTls(SSL_CTX* ctx, const std::string& extra_ca_file);

}  // namespace accord::http::internal

#endif  // ACCORD_HTTP_INTERNAL_TLS_H_
