#include "store/postgres/pg_schema.h"

namespace accord::store::postgres {
namespace {

constexpr const char* kV1 = R"sql(
CREATE TABLE auth_codes (
  code_hash BYTEA PRIMARY KEY, grant_id TEXT NOT NULL, client_id TEXT NOT NULL,
  subject TEXT NOT NULL, session_id TEXT NOT NULL, redirect_uri TEXT NOT NULL,
  scope TEXT NOT NULL, nonce TEXT NOT NULL, code_challenge TEXT NOT NULL,
  dpop_jkt TEXT NOT NULL, claims_json TEXT NOT NULL, auth_time BIGINT NOT NULL,
  issued_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
  consumed_at BIGINT NOT NULL DEFAULT 0);
CREATE INDEX auth_codes_expires ON auth_codes (expires_at);

CREATE TABLE pushed_requests (
  request_uri TEXT PRIMARY KEY, client_id TEXT NOT NULL, params_json TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
  consumed_at BIGINT NOT NULL DEFAULT 0);
CREATE INDEX pushed_requests_expires ON pushed_requests (expires_at);

CREATE TABLE sessions (
  secret_hash BYTEA PRIMARY KEY, sid TEXT NOT NULL UNIQUE, subject TEXT NOT NULL,
  auth_time BIGINT NOT NULL, acr TEXT NOT NULL, amr TEXT NOT NULL, upstream TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE refresh_families (
  family_id TEXT PRIMARY KEY, grant_id TEXT NOT NULL, client_id TEXT NOT NULL,
  subject TEXT NOT NULL, session_id TEXT NOT NULL, scope TEXT NOT NULL, dpop_jkt TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
  revoked_at BIGINT NOT NULL DEFAULT 0);
CREATE INDEX refresh_families_grant ON refresh_families (grant_id);
CREATE INDEX refresh_families_expires ON refresh_families (expires_at);

CREATE TABLE refresh_tokens (
  token_hash BYTEA PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES refresh_families (family_id),
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
  used_at BIGINT NOT NULL DEFAULT 0);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE replay_cache (
  scope BIGINT NOT NULL, entry TEXT NOT NULL, expires_at BIGINT NOT NULL,
  PRIMARY KEY (scope, entry));
CREATE INDEX replay_cache_expires ON replay_cache (expires_at);

CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY, algorithm TEXT NOT NULL, status BIGINT NOT NULL,
  created_at BIGINT NOT NULL, activates_at BIGINT NOT NULL, retires_at BIGINT NOT NULL,
  sealed_private_key BYTEA NOT NULL, public_jwk TEXT NOT NULL);

CREATE TABLE consents (
  subject TEXT NOT NULL, client_id TEXT NOT NULL, scopes TEXT NOT NULL,
  claims_json TEXT NOT NULL, granted_at BIGINT NOT NULL, revoked_at BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (subject, client_id));

CREATE TABLE logout_queue (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, client_id TEXT NOT NULL,
  endpoint TEXT NOT NULL, logout_token TEXT NOT NULL, attempts BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
CREATE INDEX logout_queue_due ON logout_queue (next_attempt_at);
CREATE INDEX logout_queue_expires ON logout_queue (expires_at);
)sql";

// Version 2 (issue #6, multi-provider keys and logout): key owners, the upstream identity of a
// session, the clients that got tokens in a session, refresh families by session.
constexpr const char* kV2 = R"sql(
ALTER TABLE signing_keys ADD COLUMN owner TEXT NOT NULL DEFAULT 'accord';
CREATE INDEX signing_keys_owner ON signing_keys (owner);
ALTER TABLE sessions ADD COLUMN identity_json TEXT NOT NULL DEFAULT '';
CREATE TABLE session_clients (
  sid TEXT NOT NULL, client_id TEXT NOT NULL, expires_at BIGINT NOT NULL,
  PRIMARY KEY (sid, client_id));
CREATE INDEX session_clients_expires ON session_clients (expires_at);
CREATE INDEX refresh_families_session ON refresh_families (session_id);
)sql";

// Version 3: which gateway sessions an upstream login created (see sqlite_schema.cc).
constexpr const char* kV3 = R"sql(
CREATE TABLE upstream_logins (
  login_key TEXT NOT NULL, sid TEXT NOT NULL, expires_at BIGINT NOT NULL,
  PRIMARY KEY (login_key, sid));
CREATE INDEX upstream_logins_expires ON upstream_logins (expires_at);
)sql";

// Version 4: the token that replaced a refresh token (see sqlite_schema.cc).
constexpr const char* kV4 = R"sql(
ALTER TABLE refresh_tokens ADD COLUMN replaced_by BYTEA NOT NULL DEFAULT ''::bytea;
)sql";

constexpr internal::Migration kMigrations[] = {
    {1, "initial schema", kV1},
    {2, "key owners, session identity, session clients", kV2},
    {3, "upstream logins", kV3},
    {4, "refresh token successors", kV4},
};

}  // namespace

std::span<const internal::Migration> PostgresMigrations() { return kMigrations; }

}  // namespace accord::store::postgres
