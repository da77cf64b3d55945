// Helpers for bench/provider/run.sh (no dependencies beyond Node 20).
//
//   node tool.mjs ports N                 N free loopback TCP ports, one per line
//   node tool.mjs keys DIR                P-256 client key: DIR/client.pem (PKCS#8), DIR/client.jwks.json
//                                         (public JWKS, kid "bench"); DIR/verifier (PKCE verifier) and
//                                         DIR/challenge (its S256 challenge)
//   node tool.mjs bodies DIR AUD GRANT IN OUT [COUNT]
//                                         token request bodies, one per line, each with a fresh ES256
//                                         private_key_jwt client assertion (unique jti, exp +240 s, aud AUD):
//                                         GRANT "code": one body per code read from IN (redirect_uri from
//                                         DIR/redirect_uri, code_verifier from DIR/verifier);
//                                         GRANT "cc": COUNT client_credentials bodies (IN is ignored).
import { createPrivateKey, createPublicKey, createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const kClientId = 'bench';
const kAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const b64u = (buf) => Buffer.from(buf).toString('base64url');

async function ports(n) {
  const servers = [];
  const out = [];
  for (let i = 0; i < n; i++) {
    const s = createServer();
    await new Promise((resolve, reject) => { s.once('error', reject); s.listen(0, '127.0.0.1', resolve); });
    servers.push(s);
    out.push(s.address().port);
  }
  for (const s of servers) s.close();
  console.log(out.join('\n'));
}

function keys(dir) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(join(dir, 'client.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const jwk = publicKey.export({ format: 'jwk' });
  writeFileSync(join(dir, 'client.jwks.json'),
    JSON.stringify({ keys: [{ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid: kClientId, use: 'sig', alg: 'ES256' }] }));
  const verifier = b64u(randomBytes(32));
  writeFileSync(join(dir, 'verifier'), verifier);
  writeFileSync(join(dir, 'challenge'), b64u(createHash('sha256').update(verifier).digest()));
}

function bodies(dir, aud, grant, input, output, count) {
  const key = createPrivateKey(readFileSync(join(dir, 'client.pem')));
  createPublicKey(key);  // fails early on a bad key
  const header = b64u(JSON.stringify({ alg: 'ES256', kid: kClientId }));
  const now = Math.floor(Date.now() / 1000);
  const assertion = () => {
    const payload = b64u(JSON.stringify({
      iss: kClientId, sub: kClientId, aud, jti: b64u(randomBytes(16)), iat: now, exp: now + 240,
    }));
    const input = `${header}.${payload}`;
    const sig = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${b64u(sig)}`;
  };
  const auth = `client_id=${kClientId}&client_assertion_type=${encodeURIComponent(kAssertionType)}&client_assertion=`;
  const lines = [];
  if (grant === 'code') {
    const redirect = encodeURIComponent(readFileSync(join(dir, 'redirect_uri'), 'utf8').trim());
    const verifier = readFileSync(join(dir, 'verifier'), 'utf8').trim();
    for (const code of readFileSync(input, 'utf8').split('\n')) {
      if (!code) continue;
      lines.push(`grant_type=authorization_code&code=${encodeURIComponent(code)}&redirect_uri=${redirect}` +
        `&code_verifier=${verifier}&${auth}${assertion()}`);
    }
  } else if (grant === 'cc') {
    for (let i = 0; i < count; i++) lines.push(`grant_type=client_credentials&${auth}${assertion()}`);
  } else {
    throw new Error(`unknown grant ${grant}`);
  }
  writeFileSync(output, lines.join('\n') + '\n');
  console.log(lines.length);
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'ports') await ports(Number(args[0]));
else if (cmd === 'keys') keys(args[0]);
else if (cmd === 'bodies') bodies(args[0], args[1], args[2], args[3], args[4], Number(args[5] || 0));
else { console.error('usage: tool.mjs ports|keys|bodies ...'); process.exit(2); }
