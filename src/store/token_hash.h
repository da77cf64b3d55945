// HashToken: the SHA-256 digest under which the Store keeps a secret token (authorization code,
// refresh token, session cookie secret). The clear token never reaches the database.
//
// Thread safety: pure function.
#ifndef ACCORD_STORE_TOKEN_HASH_H_
#define ACCORD_STORE_TOKEN_HASH_H_

#include <string_view>

#include "store/records.h"

namespace accord::store {

// SHA-256 (OpenSSL EVP) of the token's bytes, exactly kTokenHashSize bytes.
TokenHash HashToken(std::string_view token);

}  // namespace accord::store

#endif  // ACCORD_STORE_TOKEN_HASH_H_
