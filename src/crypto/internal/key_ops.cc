#include "crypto/internal/key_ops.h"

#include <memory>

namespace accord::crypto::internal {
namespace {

using InitFn = int (*)(EVP_PKEY_CTX*);

SslPtr<EVP_PKEY_CTX> Initialised(EVP_PKEY* pkey, InitFn init) {
  SslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (ctx == nullptr || init(ctx.get()) != 1) return nullptr;
  return ctx;
}

SslPtr<EVP_PKEY_CTX> FromPrototype(std::once_flag& once, SslPtr<EVP_PKEY_CTX>& prototype,
                                   EVP_PKEY* pkey, InitFn init) {
  std::call_once(once, [&] { prototype = Initialised(pkey, init); });
  if (prototype != nullptr) {
    SslPtr<EVP_PKEY_CTX> copy(EVP_PKEY_CTX_dup(prototype.get()));
    if (copy != nullptr) return copy;
  }
  return Initialised(pkey, init);  // no prototype: set up this one as before
}

}  // namespace

std::shared_ptr<KeyOps> NewKeyOps() { return std::make_shared<KeyOps>(); }

SslPtr<EVP_PKEY_CTX> NewSignContext(KeyOps& ops, EVP_PKEY* pkey) {
  return FromPrototype(ops.sign_once, ops.sign, pkey, &EVP_PKEY_sign_init);
}

SslPtr<EVP_PKEY_CTX> NewVerifyContext(KeyOps& ops, EVP_PKEY* pkey) {
  return FromPrototype(ops.verify_once, ops.verify, pkey, &EVP_PKEY_verify_init);
}

}  // namespace accord::crypto::internal
