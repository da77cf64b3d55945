# Sourced by bench/provider/run.sh and cpu_ab.sh: the `accord serve` config both benchmark, and
# the authorization request both mint codes with.
#
#   bench_config OUT PORT SQLITE_PATH WORKERS SCOPES REDIRECT_URI REPO JWKS_FILE [CONCURRENCY]
#
# Writes OUT: issuer http://127.0.0.1:PORT, one I/O thread per core, WORKERS handler threads
# (CONCURRENCY of them running at once outside a wait; when absent, accord's default),
# SQLite at SQLITE_PATH, the KEK in "kek" beside OUT, the sandbox people, and one `oidc` client
# "bench" with redirect URI REDIRECT_URI, SCOPES (a TOML array body, e.g. '"openid"') and the
# public JWKS in JWKS_FILE.
bench_config() {
  cat >"$1" <<EOF
issuer = "http://127.0.0.1:$2"
[server]
address = "127.0.0.1"
port = $2
threads = $(nproc)
worker_threads = $4
${9:+handler_concurrency = $9}
[store]
sqlite_path = "$3"
[keys]
kek_file = "kek"
[sandbox]
people_file = "$7/data/people/sandbox-people.json"
[[clients]]
client_id = "bench"
profile = "oidc"
redirect_uris = ["$6"]
scopes = [$5]
jwks = '''$(cat "$8")'''
EOF
}

# bench_authorize_path SCOPE REDIRECT_URI CHALLENGE: the /authorize path (query included) with which
# login.lua mints codes for client "bench" (PKCE S256, fixed nonce and state). SCOPE is
# URL-encoded already (e.g. openid%20offline_access).
bench_authorize_path() {
  printf '/authorize?client_id=bench&response_type=code&scope=%s&redirect_uri=%s&code_challenge=%s&code_challenge_method=S256&nonce=bench-nonce&state=bench-state' \
    "$1" "$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$2")" "$3"
}
