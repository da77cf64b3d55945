// What the end-to-end and browser tests share: assertions, free loopback ports, the npm peers
// (tests/peers), `accord serve` processes, and a cookie-keeping browser over fetch for the pages.
//
//   import { assert, freePort, loadPeers, startAccord, startAll, Browser, field } from '../../lib/e2e.mjs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export function assert(cond, msg) { if (!cond) throw new Error('assertion failed: ' + msg); }

// A TCP port on 127.0.0.1 that was free a moment ago.
export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

// npm openid-client and jose from tests/peers/node_modules (the independent peers).
export async function loadPeers(repo) {
  const require = createRequire(join(repo, 'tests/peers/package.json'));
  return {
    client: await import(require.resolve('openid-client')),
    jose: await import(require.resolve('jose')),
  };
}

// Spawns `accord ARGS...` (or a test server binary that prints the same "listening on <url>"
// lines) in `cwd` (default: this process's) and resolves once it has printed `listeners` of them
// (one per provider it serves); rejects with its output if it exits first, or kills it and
// rejects if it takes longer than `timeoutMs`. The result:
//   proc     the child process
//   url      the address of its first "listening on <url>" line
//   out      everything it printed so far (stdout and stderr)
//   running  whether it has not exited
//   stop(signal = 'SIGTERM')  sends it the signal; resolves once it has exited
export async function startAccord(accord, args, { listeners = 1, timeoutMs = 30000, name = 'accord', cwd } = {}) {
  const proc = spawn(accord, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  const run = {
    proc,
    url: '',
    out: '',
    get running() { return proc.exitCode === null && proc.signalCode === null; },
    async stop(signal = 'SIGTERM') {
      if (!this.running) return;
      const exited = new Promise((r) => proc.on('exit', r));
      proc.kill(signal);
      await exited;
    },
  };
  proc.stdout.on('data', (d) => { run.out += d; });
  proc.stderr.on('data', (d) => { run.out += d; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${run.out}`));
    }, timeoutMs);
    proc.stdout.on('data', () => {
      if (!run.url) run.url = (run.out.match(/listening on (https?:\/\/[0-9.:]+)/) || [])[1] || '';
      if ((run.out.match(/listening on/g) || []).length >= listeners) { clearTimeout(timer); resolve(); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited ${code}:\n${run.out}`)); });
  });
  return run;
}

// Starts several servers at once (promises from startAccord); resolves with their runs in order.
// When one fails, stops those that started and rejects with the first failure.
export async function startAll(starts) {
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((s) => s.status === 'rejected');
  if (!failed) return settled.map((s) => s.value);
  await Promise.all(settled.filter((s) => s.status === 'fulfilled').map((s) => s.value.stop()));
  throw failed.reason;
}

// A browser for the HTML flows: cookies per origin (Set-Cookie honoured, Max-Age=0 or an empty
// value deletes), redirects left to the test.
export class Browser {
  constructor() { this.jar = new Map(); }
  cookies(url) {
    const m = this.jar.get(new URL(url).origin);
    return m ? [...m].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
  keep(url, res) {
    const origin = new URL(url).origin;
    if (!this.jar.has(origin)) this.jar.set(origin, new Map());
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim(), value = pair.slice(i + 1).trim();
      if (attrs.some((a) => /max-age=0$/i.test(a.trim())) || value === '') this.jar.get(origin).delete(name);
      else this.jar.get(origin).set(name, value);
    }
  }
  async get(url) {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: this.cookies(url) } });
    this.keep(url, res);
    return { res, html: await res.text() };
  }
  async post(url, fields) {
    const res = await fetch(url, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(fields),
      headers: { cookie: this.cookies(url), 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.keep(url, res);
    return { res, html: await res.text() };
  }
}

// The value of the form field `name` in a page (fails the test when it is missing).
export function field(html, name) {
  const m = html.match(new RegExp(`name="${name}"[^>]*value="([^"]*)"`)) ||
    html.match(new RegExp(`value="([^"]*)"[^>]*name="${name}"`));
  assert(m, `field ${name} in page:\n${html.slice(0, 3000)}`);
  return m[1].replace(/&amp;/g, '&');
}
