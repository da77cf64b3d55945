// Symmetric encryption for JWE (RFC 7518): AES-GCM (section 5.3), AES_CBC_HMAC_SHA2 (section 5.2:
// A128CBC-HS256 with a 32-byte key, A192CBC-HS384 with 48, A256CBC-HS512 with 64; MAC before
// decrypt, tag compared in constant time), AES Key Wrap (RFC 3394, section 4.4) and RSAES-OAEP with
// SHA-256 and MGF1-SHA-256 (section 4.3).
//
// Every authentication failure is Unauthenticated with reason "bad_tag" (decrypt) or
// "unwrap_failed" (key unwrap); RSA-OAEP decryption failures are one indistinguishable error,
// reason "decrypt_failed" (no padding oracle). Wrong key or IV sizes are InvalidArgument
// ("invalid_key", "invalid_iv"); inputs over 1 GiB are OutOfRange ("too_large"). See docs/crypto.md.
//
// Thread safety: safe to call concurrently.
#ifndef ACCORD_CRYPTO_CIPHER_H_
#define ACCORD_CRYPTO_CIPHER_H_

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/keys.h"
#include "crypto/secret.h"

namespace accord::crypto {

struct Sealed {
  Bytes ciphertext;
  Bytes tag;
};

// key: 16, 24 or 32 bytes; iv: 12 bytes; tag: 16 bytes.
Result<Sealed> AesGcmSeal(BytesView key, BytesView iv, BytesView aad, BytesView plaintext);
Result<Bytes> AesGcmOpen(BytesView key, BytesView iv, BytesView aad, BytesView ciphertext,
                         BytesView tag);

// key: 32, 48 or 64 bytes (MAC key first half, encryption key second half); iv: 16 bytes;
// tag: half the key length.
Result<Sealed> AesCbcHmacSeal(BytesView key, BytesView iv, BytesView aad, BytesView plaintext);
Result<Bytes> AesCbcHmacOpen(BytesView key, BytesView iv, BytesView aad, BytesView ciphertext,
                             BytesView tag);

// kek: 16, 24 or 32 bytes; key: a multiple of 8 bytes, at least 16.
Result<Bytes> AesKeyWrap(BytesView kek, BytesView key);
Result<SecretBytes> AesKeyUnwrap(BytesView kek, BytesView wrapped);

// RSA keys >= 2048 bits.
Result<Bytes> RsaOaepSha256Encrypt(const PublicKey& key, BytesView plaintext);
Result<SecretBytes> RsaOaepSha256Decrypt(const PrivateKey& key, BytesView ciphertext);

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_CIPHER_H_
