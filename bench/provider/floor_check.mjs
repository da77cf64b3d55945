// Checks that floor_server does the work run.sh credits it with (ctest floor_server_check):
// it must refuse an assertion that does not verify, and its tokens must be ES256 JWTs that verify
// with the key it prints. A yardstick that skipped the crypto would make every ratio a lie.
//
//   node floor_check.mjs FLOOR_SERVER_BINARY
import { spawn, execFileSync } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';

const here = dirname(fileURLToPath(import.meta.url));
const tool = (...args) => execFileSync(process.execPath, [join(here, 'tool.mjs'), ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'floor-check-'));
let server;
try {
  const port = Number(tool('ports', '1').trim());
  const url = `http://127.0.0.1:${port}/token`;
  tool('keys', dir);
  tool('bodies', dir, url, 'cc', '-', join(dir, 'bodies'), '3');
  const [cc, second] = readFileSync(join(dir, 'bodies'), 'utf8').split('\n');

  server = spawn(process.argv[2], [String(port), join(dir, 'client.pem'), '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
  const [line] = await createInterface({ input: server.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value]);
  const key = createPublicKey({ key: JSON.parse(line), format: 'jwk' });

  const post = async (body) => {
    for (let i = 0; ; i++) {
      try {
        const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        return { status: res.status, json: await res.json() };
      } catch (e) {
        if (i >= 50) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const checkJwt = (jwt, typ) => {
    const [h, p, s] = jwt.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url'));
    assert.equal(header.alg, 'ES256');
    assert.equal(header.typ, typ);
    assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')),
      `${typ} signature does not verify`);
    return JSON.parse(Buffer.from(p, 'base64url'));
  };

  // client_credentials: one signed access token.
  let r = await post(cc);
  assert.equal(r.status, 200);
  assert.ok(checkJwt(r.json.access_token, 'at+jwt').jti);
  assert.equal(r.json.id_token, undefined);

  // authorization_code: an ID token too.
  r = await post(second.replace('grant_type=client_credentials', 'grant_type=authorization_code'));
  assert.equal(r.status, 200);
  checkJwt(r.json.access_token, 'at+jwt');
  assert.ok(checkJwt(r.json.id_token, 'JWT').at_hash);

  // An assertion whose signature was altered, or none at all, is refused.
  const flip = (c) => (c === 'A' ? 'B' : 'A');
  const tampered = cc.slice(0, -5) + flip(cc.at(-5)) + cc.slice(-4);
  for (const body of [tampered, 'grant_type=client_credentials', '']) {
    r = await post(body);
    assert.equal(r.status, 400, `accepted: ${body.slice(0, 60)}`);
    assert.equal(r.json.error, 'invalid_client');
  }

  server.kill('SIGTERM');
  const { code } = await exited;
  assert.equal(code, 0, 'floor_server did not stop cleanly on SIGTERM');
  server = null;
  console.log('floor_check: ok');
} finally {
  if (server) server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
