# fbvault login / status / inspect against the fake Graph API over HTTPS.
. "$(dirname "$0")/lib.sh"

APP_ID=138483919580948
SECRET=app-secret-$RANDOM$RANDOM
SHORT=EAAshortlivedtoken$RANDOM$RANDOM
SHORT_NOPOST=EAAnopost$RANDOM$RANDOM
SHORT_EXPIRED=EAAexpired$RANDOM$RANDOM
config() {  # config [FAULTS-JSON]
	graph_config '{"app_id": "'$APP_ID'", "app_secret": "'$SECRET'", "app_name": "Ferret Poster",
	 "require_proof": true, "per_page": 2,
	 "users": [{"short_token": "'$SHORT'", "user_id": "9876"},
	           {"short_token": "'$SHORT_NOPOST'", "user_id": "5555", "scopes": ["pages_show_list"]},
	           {"short_token": "'$SHORT_EXPIRED'", "user_id": "7777", "short_expired": true}],
	 "pages": [{"id": "1001", "name": "Ferret Bakery", "category": "Bakery"},
	           {"id": "1002", "name": "Ferret Cafe"}, {"id": "1003", "name": "Ferret Books"},
	           {"id": "1004", "name": "Ferret Bikes"}, {"id": "1005", "name": "Ferret Barber"}],
	 "faults": '"${1:-{\}}"'}'
}
config
use_fake_graph
export FBVAULT_TIMEOUT=3 FBVAULT_CONNECT_TIMEOUT=3

new_vault
printf '%s\n' "$APP_ID" | fbv put app-id
printf '%s\n' "$SECRET" | fbv put app-secret
base=$(snapshot)

login() { printf '%s\n' "${SHORT_TOKEN:-$SHORT}" | "$FBVAULT_BIN" --quiet login "$@"; }
# fails CODE TEXT DESCRIPTION [login args]: a failed login, vault unchanged
fails() {
	local code=$1 text=$2 what=$3 s
	shift 3
	s=$(snapshot)
	expect "$code" "$what" -- login "$@"
	err_has "$text"
	unchanged "$s" "$what"
	check "$what: stdout empty" -- test ! -s "$T/out"
	check "$what: no secret in the message" -- sh -c '! grep -qF -e "$1" -e "$2" -e EAA "$3"' sh "$SECRET" "$SHORT" "$T/err"
}

# Every error class, each leaving the vault as it was.
printf 'wrong-secret\n' | fbv put -f app-secret
fails 77 "App Secret was rejected" "bad client secret"
printf '%s\n' "$SECRET" | fbv put -f app-secret
base=$(snapshot)
config
fails 77 "code 101" "bad App ID" --app-id 4242
SHORT_TOKEN=$SHORT_EXPIRED fails 77 "463" "expired short-lived token"
SHORT_TOKEN=EAAunknown123 fails 77 "467" "unknown short-lived token"
fails 65 "code 100" "unknown page" --page 9999
config '{"page": "error:200"}'
fails 77 "permission" "missing permission (200)" --page 1001
config '{"page": "error:10"}'
fails 77 "permission" "missing permission (10)" --page 1001
config '{"page": "error:190:460"}'
fails 77 "password" "password changed (190/460)" --page 1001
config '{"page": "error:190:492"}'
fails 77 "role" "no role on the page (190/492)" --page 1001
config '{"debug_token": "error:190:493"}'
fails 77 "data access" "data access expired (190/493)"
config '{"accounts": "ratelimit"}'
fails 75 "X-App-Usage" "rate limited"
config '{"accounts": "error:17"}'
fails 75 "rate" "user rate limit (17)"
config '{"exchange": "http500"}'
fails 75 "temporar" "HTTP 500, transient code 2"
config '{"accounts": "html502"}'
fails 76 "unexpected response from the Graph API (HTTP 502" "HTML 502 page"
config '{"exchange": "truncated"}'
fails 76 "unexpected response from the Graph API" "truncated JSON"
config '{"debug_token": "malformed"}'
fails 76 "unexpected response from the Graph API" "malformed JSON"
config '{"accounts": "oversize"}'
fails 76 "unexpected response from the Graph API" "body over the cap"
config '{"exchange": "slow"}'
FBVAULT_TIMEOUT=1 fails 69 "cannot reach the Graph API" "slower than the timeout"
config '{"page": "reset"}'
fails 69 "cannot reach the Graph API" "connection reset" --page 1001
config
SHORT_TOKEN=$SHORT_NOPOST fails 77 "pages_manage_posts" "token without pages_manage_posts"
start_fake_graph other other- || exit 1
other=$GRAPH_URL
FBVAULT_GRAPH_URL=$other fails 69 "cannot reach the Graph API" "certificate from another CA"
FBVAULT_GRAPH_URL=http://192.0.2.1:80 fails 64 "loopback" "http:// to a non-loopback host"
FBVAULT_GRAPH_URL=https://127.0.0.1:1 fails 69 "cannot reach the Graph API" "nothing listening"
unchanged "$base" "all failures together"

# Success: one answer of /me/accounts with every field (limit=100), five
# page tokens, all checked with /debug_token in one batch request, over
# one connection, every proof correct; each step said on stderr.
config
mark=$(log_mark)
expect 0 "login over every page" -- sh -c 'printf "%s\n" "$1" | "$FBVAULT_BIN" login' sh "$SHORT"
check "summary lists five pages" -- test "$(grep -c '^page/100[1-5]: .*pages_manage_posts ok; expires never' "$T/out")" -eq 5
check "summary names the page" -- grep -q 'page/1001: Ferret Bakery' "$T/out"
check "login says each step on stderr" -- test "$(cat "$T/err")" = "fbvault: exchanged the short-lived token for a long-lived one
fbvault: listed 5 pages
fbvault: checked user-token: ok
fbvault: checked page/1001: ok
fbvault: checked page/1002: ok
fbvault: checked page/1003: ok
fbvault: checked page/1004: ok
fbvault: checked page/1005: ok"
flow=$(log_since "$mark")
check "me/accounts: one request for 5 pages (limit=100), every field at once" -- python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
acc = [l for l in lines if l["endpoint"] == "accounts"]
assert len(acc) == 1 and acc[0]["query"]["limit"] == "100", acc
assert acc[0]["query"]["fields"] == "id,name,access_token,tasks,instagram_business_account{id,username}", acc
' "$flow"
check "debug_token asked for the user token and 5 page tokens" -- test "$(grep -c '"endpoint": "debug_token"' "$flow")" -eq 6
check "three HTTP requests: exchange, me/accounts, one batch" -- test "$(grep -c '"seq"' "$flow")" -eq 3 -a "$(grep -c '"endpoint": "batch"' "$flow")" -eq 1
check "every call with a token carried a correct appsecret_proof, one connection" -- python3 "$GRAPH_DIR/check_proofs.py" --max-conns 1 "$flow" "$SECRET"
check "User-Agent fbvault/VERSION" -- grep -q '"user_agent": "fbvault/[0-9]' "$flow"
expect 0 "list --json after login" -- fbv list --json
check "stored metadata" -- python3 -c '
import json, sys, time
es = {e["name"]: e for e in json.load(open(sys.argv[1]))}
pages = [n for n in es if n.startswith("page/")]
assert sorted(pages) == ["page/100%d" % i for i in range(1, 6)], pages
p = es["page/1001"]
assert p["kind"] == "page-token" and p["expires_at"] == 0 and p["token_type"] == "PAGE", p
assert p["page_name"] == "Ferret Bakery" and p["page_id"] == "1001" and p["app_id"] == sys.argv[2], p
assert "pages_manage_posts" in p["scopes"].split(","), p
assert abs(p["checked_at"] - time.time()) < 300 and p["data_access_expires_at"] > time.time()
u = es["user-token"]
assert u["kind"] == "user-token" and u["token_type"] == "USER" and u["user_id"] == "9876", u
assert 59 * 86400 < u["expires_at"] - time.time() < 61 * 86400, u
' "$T/out" "$APP_ID"
check "the page token is stored" -- sh -c '"$FBVAULT_BIN" get page/1001 | grep -q "^EAA"'
check "no token on stdout or stderr of login" -- sh -c '! grep -q "EAA" "$1"' sh "$T/err"

# status (offline) and inspect (live).
expect 0 "status" -- fbv status
check "status lists the user token" -- grep -q '^user-token .*user-token' "$T/out"
check "status says page tokens never expire" -- grep -q '^page/1001 .*expires never' "$T/out"
expect 0 "status --json" -- fbv status --json
check "status --json schema" -- python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["tokens"]) == 6 and d["warnings"] == [] and "unlocked_until" in d["unlock"], d' "$T/out"
expect 0 "inspect a page token" -- fbv inspect page/1002
check "inspect says valid PAGE token with the scope" -- grep -q '^page/1002: valid PAGE token' "$T/out"
expect 0 "inspect --json" -- fbv inspect page/1002 --json
check "inspect --json" -- python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["is_valid"] and d["type"] == "PAGE" and d["expires_at"] == 0 and d["profile_id"] == "1002", d' "$T/out"
printf 'EAAnotarealtoken\n' | fbv put page/4242
expect 77 "inspect an invalid token" -- fbv inspect page/4242
err_has "467"
expect 66 "inspect a missing entry" -- fbv inspect nothing

# exec with what login stored: known expiries, the proof for the page token.
expect 0 "exec --page with a stored page token" -- fbv exec --page 1001 -- sh -c 'printf "%s %s %s\n" "$FB_TOKEN_EXPIRES_AT" "$FB_APP_ID" "$FB_APPSECRET_PROOF"; printf %s "$FB_PAGE_ACCESS_TOKEN" > "$0"' "$T/tok"
check "FB_TOKEN_EXPIRES_AT is 0 (never) and FB_APP_ID is set" -- grep -q "^0 $APP_ID " "$T/out"
check "FB_APPSECRET_PROOF is HMAC-SHA256(app secret, page token)" -- python3 -c '
import hmac, hashlib, sys
tok = open(sys.argv[1]).read()
want = hmac.new(sys.argv[2].encode(), tok.encode(), hashlib.sha256).hexdigest()
assert open(sys.argv[3]).read().split()[2] == want' "$T/tok" "$SECRET" "$T/out"
expect 0 "--min-ttl 3650d passes for a page token that never expires" -- fbv exec --page 1001 --min-ttl 3650d -- true
expect 0 "user token: 59 days left is enough for --min-ttl 59d" -- fbv exec -e T=user-token --min-ttl 59d -- sh -c 'test "$FB_TOKEN_EXPIRES_AT" -gt 0 || test -n "$T"'
expect 77 "user token: --min-ttl 61d refused" -- fbv exec -e T=user-token --min-ttl 61d -- true
err_has "user-token"

# --page for one page, into a fresh vault.
new_vault
printf '%s\n' "$APP_ID" | fbv put app-id
printf '%s\n' "$SECRET" | fbv put app-secret
mark=$(log_mark)
expect 0 "login --page 1003" -- login --page 1003
expect 0 "list" -- fbv list
check "only page/1003 stored" -- test "$(grep -c '^page/' "$T/out")" -eq 1 -a "$(grep -c '^page/1003' "$T/out")" -eq 1
check "--page: no me/accounts call" -- sh -c '! grep -q "\"endpoint\": \"accounts\"" "$1"' sh "$(log_since "$mark")"

# Page names from Graph are printed with control characters escaped.
config '{"accounts": "unicode_name"}'
expect 0 "login with crafted page names" -- login
check "no escape character reaches the terminal" -- sh -c '! grep -q "$(printf "\033")" "$1" && ! grep -q "$(printf "\007")" "$1"' sh "$T/out"
check "escaped as \\x1b" -- grep -qF '\x1b' "$T/out"
check "UTF-8 kept" -- grep -q 'é' "$T/out"
expect 0 "status with crafted names" -- fbv status
check "status escapes too" -- sh -c '! grep -q "$(printf "\033")" "$1"' sh "$T/out"

# A missing App ID is named.
rm -rf "$T/vault"; fbv init --kdf interactive 2>/dev/null
s=$(snapshot)
expect 66 "login without an App ID" -- login
err_has "fbvault put app-id"
unchanged "$s" "no App ID"
finish
