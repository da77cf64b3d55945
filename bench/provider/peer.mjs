// The comparison peer for bench/provider/run.sh: npm oidc-provider (a certified OpenID Provider)
// configured to do what Accord's token endpoint does for the same client:
//   - private_key_jwt client authentication, ES256 (jti replay-checked, like Accord);
//   - authorization_code with PKCE S256 -> ES256 ID token (pairwise sub, HMAC like Accord's),
//     an RFC 9068 JWT access token signed ES256, and a refresh token only when the code's scope
//     holds offline_access (OFFLINE_ACCESS=1 in the environment), like Accord;
//   - client_credentials -> ES256 JWT access token.
// Storage is in memory (MapAdapter below: oidc-provider's own memory adapter is an LRU of 1,000
// entries, too small to hold the minted codes); Accord writes to SQLite. One Node process.
//
//   node peer.mjs PORT CONTROL_PORT DIR REPO
// DIR holds client.jwks.json, redirect_uri and challenge (see tool.mjs). The control listener
// (loopback, separate port) mints codes programmatically, the way an interaction would:
//   POST /mint?n=N  ->  N authorization codes, one per line (each with its own Grant).
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [port, controlPort, dir, repo] = process.argv.slice(2);
const OFFLINE = process.env.OFFLINE_ACCESS === '1';  // see run.sh
const require = createRequire(join(repo, 'tests/peers/package.json'));
const { default: Provider } = await import(require.resolve('oidc-provider'));

const issuer = `http://127.0.0.1:${port}`;
const resource = 'urn:accord:bench:api';
const redirectUri = readFileSync(join(dir, 'redirect_uri'), 'utf8').trim();
const challenge = readFileSync(join(dir, 'challenge'), 'utf8').trim();
const clientJwks = JSON.parse(readFileSync(join(dir, 'client.jwks.json'), 'utf8'));
const signingJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
const pairwiseSecret = randomBytes(32);

// oidc-provider's adapter interface over one Map, entries expiring like its memory adapter.
const storage = new Map();  // key -> { value, expiresAt }
class MapAdapter {
  constructor(model) { this.model = model; }
  key(id) { return `${this.model}:${id}`; }
  get(key) {
    const e = storage.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= Date.now()) { storage.delete(key); return undefined; }
    return e.value;
  }
  async upsert(id, payload, expiresIn) {
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
    storage.set(this.key(id), { value: payload, expiresAt });
    if (payload.grantId) {
      const gk = `grant:${payload.grantId}`;
      const entry = storage.get(gk) ?? { value: [], expiresAt: 0 };
      entry.value.push(this.key(id));
      entry.expiresAt = Math.max(entry.expiresAt, expiresAt);
      storage.set(gk, entry);
    }
  }
  async find(id) { return this.get(this.key(id)); }
  async findByUid(uid) { return this.find(this.get(`sessionUid:${uid}`)); }
  async findByUserCode() { return undefined; }
  async consume(id) { this.get(this.key(id)).consumed = Math.floor(Date.now() / 1000); }
  async destroy(id) { storage.delete(this.key(id)); }
  async revokeByGrantId(grantId) {
    for (const k of this.get(`grant:${grantId}`) ?? []) storage.delete(k);
    storage.delete(`grant:${grantId}`);
  }
}
setInterval(() => {  // sweep expired entries so memory stays bounded
  const now = Date.now();
  for (const [k, e] of storage) if (e.expiresAt <= now) storage.delete(k);
}, 10000).unref();

const provider = new Provider(issuer, {
  adapter: MapAdapter,
  clients: [{
    client_id: 'bench',
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    id_token_signed_response_alg: 'ES256',
    subject_type: 'pairwise',
    jwks: clientJwks,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
  }],
  jwks: { keys: [{ ...signingJwk, kid: 'peer-es256', use: 'sig', alg: 'ES256' }] },
  enabledJWA: { clientAuthSigningAlgValues: ['ES256'], idTokenSigningAlgValues: ['ES256'] },
  subjectTypes: ['public', 'pairwise'],
  pairwiseIdentifier: async (ctx, accountId, client) =>
    createHmac('sha256', pairwiseSecret).update(`${client.sectorIdentifier}\0${accountId}`).digest('base64url'),
  findAccount: async (ctx, id) => ({ accountId: id, claims: async () => ({ sub: id }) }),
  // Like Accord: a refresh token only for a grant with offline_access (oidc-provider's default
  // also asks the client to be allowed the refresh_token grant, which this one is).
  issueRefreshToken: async (ctx, client, code) => code.scopes.has('offline_access'),
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => resource,
      useGrantedResource: async () => true,
      getResourceServerInfo: async () => ({
        scope: 'api',
        audience: issuer,
        accessTokenTTL: 300,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
  ttl: { AccessToken: 300, AuthorizationCode: 60, ClientCredentials: 300, IdToken: 300, RefreshToken: 86400 },
});
provider.on('server_error', (ctx, err) => console.error('peer: server_error', err));

async function mint(n) {
  const client = await provider.Client.find('bench');
  const now = Math.floor(Date.now() / 1000);
  const codes = [];
  for (let i = 0; i < n; i++) {
    const accountId = 'sandbox-sg-0001';
    const grant = new provider.Grant({ accountId, clientId: 'bench' });
    grant.addOIDCScope(OFFLINE ? 'openid offline_access' : 'openid');
    grant.addResourceScope(resource, 'api');
    const grantId = await grant.save();
    const code = new provider.AuthorizationCode({
      client, grantId, accountId, scope: OFFLINE ? 'openid offline_access api' : 'openid api',
      resource, redirectUri,
      codeChallenge: challenge, codeChallengeMethod: 'S256', nonce: 'bench-nonce', authTime: now,
      acr: 'urn:accord:sandbox',
    });
    codes.push(await code.save());
  }
  return codes;
}

provider.listen(Number(port), '127.0.0.1', () => console.log(`peer: oidc-provider listening on ${issuer}`));
createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method !== 'POST' || url.pathname !== '/mint') { res.statusCode = 404; res.end(); return; }
  try {
    const codes = await mint(Math.min(Number(url.searchParams.get('n') || 0), 200000));
    res.end(codes.join('\n') + '\n');
  } catch (e) {
    console.error('peer: mint failed', e);
    res.statusCode = 500;
    res.end();
  }
}).listen(Number(controlPort), '127.0.0.1');
