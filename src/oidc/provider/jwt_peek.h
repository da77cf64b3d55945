// Reads the header or payload of a compact JWS WITHOUT verifying it, only to choose which key or
// client to verify with (the client's iss, a DPoP proof's embedded jwk). Nothing read here may be
// trusted until the signature has been verified with the selected key.
#ifndef ACCORD_OIDC_PROVIDER_JWT_PEEK_H_
#define ACCORD_OIDC_PROVIDER_JWT_PEEK_H_

#include <boost/json/object.hpp>
#include <string_view>

#include "common/status.h"

namespace accord::oidc {

// segment 0: protected header, 1: payload. InvalidArgument "malformed" for anything else.
Result<boost::json::object> PeekUnverifiedSegment(std::string_view compact, int segment);

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_JWT_PEEK_H_
