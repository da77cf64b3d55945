// Interop peer for jose_interop_test: runs a batch of operations with the npm `jose` library (v6).
//
// Usage: node peer.mjs PEERS_DIR < {"ops":[...]}   ->   {"results":[...]} on stdout
// Each op is an object with "op" and its arguments; each result is the op's output, or
// {"ok":false,"error":"..."} when jose rejects the input (verify/decrypt failures are results, not
// crashes). Exit status 3 when the jose module cannot be loaded, 4 on a malformed request.
//
//   generate   {alg, crv?}                         -> {private_jwk, public_jwk}
//   sign       {jwk, alg, payload}                 -> {token}               (kid from jwk.kid)
//   verify     {jwk, alg, token}                   -> {ok, payload?, header?, error?}
//   encrypt    {jwk, alg, enc, plaintext, cty?}    -> {token}
//   decrypt    {jwk, alg, enc, token}              -> {ok, plaintext?, header?, error?}
//   thumbprint {jwk}                               -> {thumbprint}
//   nested     {sig_jwk, enc_jwk, claims}          -> {token}  JWE(ECDH-ES+A256KW, A256CBC-HS512,
//                                                      cty JWT) around an ES256-signed JWT
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';

const peersDir = process.argv[2];
let jose;
try {
  const require = createRequire(`${peersDir}/package.json`);
  jose = await import(pathToFileURL(require.resolve('jose')).href);
} catch (e) {
  process.stderr.write(`peer.mjs: cannot load the npm "jose" module from ${peersDir}/node_modules ` +
                       `(run npm ci in tests/peers): ${e.message}\n`);
  process.exit(3);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function importKey(jwk, alg) {
  const clean = { ...jwk };
  delete clean.alg;  // the op names the algorithm; Accord keys may carry none
  delete clean.use;
  delete clean.key_ops;
  return jose.importJWK(clean, alg);
}

async function run(op) {
  switch (op.op) {
    case 'generate': {
      const options = { extractable: true };
      if (op.crv) options.crv = op.crv;
      const { privateKey, publicKey } = await jose.generateKeyPair(op.alg, options);
      const private_jwk = await jose.exportJWK(privateKey);
      const public_jwk = await jose.exportJWK(publicKey);
      const kid = await jose.calculateJwkThumbprint(public_jwk, 'sha256');
      return { private_jwk: { ...private_jwk, kid }, public_jwk: { ...public_jwk, kid } };
    }
    case 'sign': {
      const header = { alg: op.alg };
      if (op.jwk.kid) header.kid = op.jwk.kid;
      const token = await new jose.CompactSign(encoder.encode(op.payload))
        .setProtectedHeader(header).sign(await importKey(op.jwk, op.alg));
      return { token };
    }
    case 'verify': {
      try {
        const { payload, protectedHeader } = await jose.compactVerify(
          op.token, await importKey(op.jwk, op.alg), { algorithms: [op.alg] });
        return { ok: true, payload: decoder.decode(payload), header: protectedHeader };
      } catch (e) {
        return { ok: false, error: e.code || e.message };
      }
    }
    case 'encrypt': {
      const header = { alg: op.alg, enc: op.enc };
      if (op.jwk.kid) header.kid = op.jwk.kid;
      if (op.cty) header.cty = op.cty;
      const token = await new jose.CompactEncrypt(encoder.encode(op.plaintext))
        .setProtectedHeader(header).encrypt(await importKey(op.jwk, op.alg));
      return { token };
    }
    case 'decrypt': {
      try {
        const { plaintext, protectedHeader } = await jose.compactDecrypt(
          op.token, await importKey(op.jwk, op.alg),
          { keyManagementAlgorithms: [op.alg], contentEncryptionAlgorithms: [op.enc] });
        return { ok: true, plaintext: decoder.decode(plaintext), header: protectedHeader };
      } catch (e) {
        return { ok: false, error: e.code || e.message };
      }
    }
    case 'thumbprint':
      return { thumbprint: await jose.calculateJwkThumbprint(op.jwk, 'sha256') };
    case 'nested': {
      const inner = await new jose.SignJWT(op.claims)
        .setProtectedHeader({ alg: 'ES256', kid: op.sig_jwk.kid, typ: 'JWT' })
        .sign(await importKey(op.sig_jwk, 'ES256'));
      const header = { alg: 'ECDH-ES+A256KW', enc: 'A256CBC-HS512', cty: 'JWT' };
      if (op.enc_jwk.kid) header.kid = op.enc_jwk.kid;
      const token = await new jose.CompactEncrypt(encoder.encode(inner))
        .setProtectedHeader(header).encrypt(await importKey(op.enc_jwk, 'ECDH-ES+A256KW'));
      return { token };
    }
    default:
      throw new Error(`unknown op ${op.op}`);
  }
}

let request;
try {
  request = JSON.parse(readFileSync(0, 'utf8'));
  if (!Array.isArray(request.ops)) throw new Error('"ops" must be an array');
} catch (e) {
  process.stderr.write(`peer.mjs: bad request: ${e.message}\n`);
  process.exit(4);
}
const results = [];
for (const op of request.ops) results.push(await run(op));
process.stdout.write(JSON.stringify({ results }));
