# Tokens that stay alive (issue 15): check, refresh, post and api that
# renew a dead page token once, login --system-user, the Instagram
# account, the use log, the timer units, Graph's error table, and
# login's messages and request counts; against the fake Graph API.
. "$(dirname "$0")/lib.sh"

APP_ID=138483919580948
SECRET=app-secret-$RANDOM$RANDOM
SHORT=EAAshortlivedtoken$RANDOM$RANDOM
SYS=EAAsystemusertoken$RANDOM$RANDOM
SYS60=EAAsystem60days$RANDOM$RANDOM
SCOPES='["pages_show_list", "pages_manage_posts", "pages_read_engagement"]'
# config [EXTRA-JSON-MEMBERS]: three pages, the first linked to Instagram
config() {
	graph_config '{"app_id": "'$APP_ID'", "app_secret": "'$SECRET'", "require_proof": true,
	 "users": [{"short_token": "'$SHORT'", "user_id": "9876", "scopes": '"$SCOPES"'}],
	 "system_users": [{"token": "'$SYS'", "id": "5001", "pages": ["1001", "1002"]},
	                  {"token": "'$SYS60'", "id": "5002", "pages": ["1001"], "expires": "60_days"}],
	 "pages": [{"id": "1001", "name": "Ferret Bakery",
	            "instagram_business_account": {"id": "17841400000000001", "username": "ferretbakery"}},
	           {"id": "1002", "name": "Ferret Cafe"}, {"id": "1003", "name": "Ferret Books"}]
	 '"${1:+, $1}"'}'
}
config
use_fake_graph
export FBVAULT_TIMEOUT=5 FBVAULT_CONNECT_TIMEOUT=5
export XDG_STATE_HOME=$T/state

fresh_vault() {
	new_vault
	printf '%s\n' "$APP_ID" | fbv put app-id
	printf '%s\n' "$SECRET" | fbv put app-secret
}
login() { printf '%s\n' "${TOKEN:-$SHORT}" | "$FBVAULT_BIN" --quiet login "$@"; }
http_requests() { grep -c '"seq"' "$1"; }
value() { fbv get "$1"; }

# --- login: messages, kinds, Instagram, request counts ----------------------
new_vault
printf '%s\n' "$APP_ID" | fbv put app-id
# An empty App Secret is refused where it is typed (put), and login
# without one, and no terminal to ask at, says how to store it.
s=$(snapshot)
expect 64 "put of an empty app-secret" -- sh -c 'printf "" | "$1" put app-secret' sh "$FBVAULT_BIN"
check "an empty app-secret is named" -- test "$(cat "$T/err")" = "fbvault: the value for app-secret is empty"
unchanged "$s" "empty app-secret"
expect 66 "login without an app-secret, no terminal" -- login
check "says how to store it" -- test "$(cat "$T/err")" = "fbvault: no App Secret: store it first with: fbvault put app-secret"
unchanged "$s" "login without an app-secret"

fresh_vault
NOPOST='"users": [{"short_token": "'$SHORT'", "user_id": "9876", "scopes": ["pages_show_list"]}]'
config "$NOPOST"', "pages": [{"id": "1001", "name": "A"}, {"id": "1002", "name": "B"}], "system_users": []'
s=$(snapshot)
expect 77 "login where two pages lack pages_manage_posts" -- login
check "the count before the fix, singular" -- test "$(cat "$T/err")" = "fbvault: page 1001 (A): the token lacks pages_manage_posts (and 1 more page): in Graph Explorer, tick pages_manage_posts (and pages_show_list), get a new user token and run login again; nothing was stored"
unchanged "$s" "denied pages"
config "$NOPOST"', "system_users": []'
expect 77 "login where three pages lack pages_manage_posts" -- login
check "plural for 2 more" -- grep -qF "lacks pages_manage_posts (and 2 more pages): in Graph Explorer" "$T/err"
unchanged "$s" "denied pages (3)"

# A page where your role cannot create content: stored with a warning
# (a role on one page must not stop the login of all), and check says it.
config '"pages": [{"id": "1001", "name": "A"}, {"id": "1002", "name": "B", "tasks": ["ANALYZE"]}], "system_users": []'
expect 0 "login with a page lacking CREATE_CONTENT" -- login
check "a warning for it, even with --quiet" -- test "$(cat "$T/err")" = "fbvault: warning: page/1002: your tasks on the page lack CREATE_CONTENT (ask a page admin for a role that may create content, then run fbvault refresh); it cannot post"
expect 77 "check: that page cannot post" -- fbv check
check "check says why" -- grep -qx 'page/1002: ERROR: cannot post: your tasks on the page lack CREATE_CONTENT: ask a page admin for a role that may create content, then run fbvault refresh' "$T/out"
check "the other page is ok" -- grep -q '^page/1001: ok: ' "$T/out"

config
fresh_vault
mark=$(log_mark)
expect 0 "login" -- sh -c 'printf "%s\n" "$1" | "$FBVAULT_BIN" login' sh "$SHORT"
check "login's steps on stderr" -- test "$(cat "$T/err")" = "fbvault: exchanged the short-lived token for a long-lived one
fbvault: listed 3 pages
fbvault: checked user-token: ok
fbvault: checked page/1001: ok
fbvault: checked page/1002: ok
fbvault: checked page/1003: ok"
check "login for 3 pages: 3 HTTP requests" -- test "$(http_requests "$(log_since "$mark")")" -eq 3
expect 0 "login --page, its steps" -- sh -c 'printf "%s\n" "$1" | "$FBVAULT_BIN" login --page 1002' sh "$SHORT"
check "login --page's steps on stderr" -- test "$(cat "$T/err")" = "fbvault: exchanged the short-lived token for a long-lived one
fbvault: fetched page 1002
fbvault: checked user-token: ok
fbvault: checked page/1002: ok"
expect 0 "login again, every page" -- login
check "the summary names the Instagram account" -- grep -qx 'page/1001: Ferret Bakery; pages_manage_posts ok; expires never; instagram ferretbakery 17841400000000001' "$T/out"
expect 0 "list --json" -- fbv list --json
check "app-id and app-secret kinded alike; instagram stored" -- python3 -c '
import json, sys
es = {e["name"]: e for e in json.load(open(sys.argv[1]))}
assert es["app-id"]["kind"] == "app-id" and es["app-secret"]["kind"] == "app-secret", es
assert es["page/1001"]["instagram_id"] == "17841400000000001" and es["page/1001"]["instagram_username"] == "ferretbakery"
assert "instagram_id" not in es["page/1002"]
assert "CREATE_CONTENT" in es["page/1001"]["tasks"].split(",")' "$T/out"
cp "$T/out" "$T/list1"
sleep 1.1
expect 0 "login again" -- login
expect 0 "list --json again" -- fbv list --json
check "app-id and app-secret, unchanged, keep their updated time" -- python3 -c '
import json, sys
a = {e["name"]: e for e in json.load(open(sys.argv[1]))}
b = {e["name"]: e for e in json.load(open(sys.argv[2]))}
for n in ("app-id", "app-secret"):
    assert a[n]["updated"] == b[n]["updated"], n
assert b["user-token"]["updated"] > a["user-token"]["updated"]' "$T/list1" "$T/out"
expect 0 "status" -- fbv status
check "status shows the Instagram account" -- grep -qx '  instagram ferretbakery (17841400000000001)' "$T/out"
expect 0 "exec --page exports IG_USER_ID" -- fbv exec --page 1001 -- sh -c 'echo "ig=${IG_USER_ID:-none}"'
check "IG_USER_ID" -- grep -qx 'ig=17841400000000001' "$T/out"
expect 0 "exec --page 1002: no IG_USER_ID" -- fbv exec --page 1002 -- sh -c 'echo "ig=${IG_USER_ID:-none}"'
check "no IG_USER_ID without an account" -- grep -qx 'ig=none' "$T/out"

# --- check --------------------------------------------------------------
mark=$(log_mark)
expect 0 "check on a healthy vault" -- fbv check
check "one line per token, ok" -- test "$(grep -c ': ok: ' "$T/out")" -eq 4
check "a page line" -- grep -q '^page/1001: ok: PAGE token, can post (CREATE_CONTENT), expires never, data access until .*, scopes pages_show_list,pages_manage_posts,pages_read_engagement$' "$T/out"
check "check: one batch and one me/accounts" -- test "$(http_requests "$(log_since "$mark")")" -eq 2
check "check asked for id,name,tasks only" -- grep -q '"fields": "id,name,tasks"' "$(log_since "$mark")"
expect 0 "check --json" -- fbv check --json
check "check --json" -- python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
t = {x["name"]: x for x in d["tokens"]}
assert all(x["status"] == "ok" for x in d["tokens"]), d
assert t["page/1001"]["type"] == "PAGE" and "CREATE_CONTENT" in t["page/1001"]["tasks"]' "$T/out"
expect 0 "list --json" -- fbv list --json
check "check saved checked_at" -- python3 -c '
import json, sys, time
es = {e["name"]: e for e in json.load(open(sys.argv[1]))}
assert abs(es["page/1002"]["checked_at"] - time.time()) < 60' "$T/out"

config '"users": [{"short_token": "'$SHORT'", "user_id": "9876", "scopes": '"$SCOPES"', "long_lived_expires_in": 432000}]'
expect 1 "check: the user token expires in 5 days" -- fbv check
check "a warning line for the user token" -- grep -q '^user-token: WARNING: expires in 4d 23h .*: run fbvault login with a fresh short-lived token$' "$T/out"
expect 0 "check --warn 3d: not yet" -- fbv check --warn 3d
expect 64 "check --warn nonsense" -- fbv check --warn soon
err_has "--warn wants a duration"

P2=$(value page/1002)
config '"invalidate": [{"token": "'"$P2"'", "subcode": 467}]'
s=$(snapshot)
expect 77 "check: a page token invalidated" -- fbv check
check "the cause and the fix in words" -- grep -qx 'page/1002: DEAD: the token is invalid (code 190/467): get a fresh one from Graph Explorer and run login again; user-token is alive: fbvault refresh renews it' "$T/out"
check "the others are ok" -- test "$(grep -c ': ok: ' "$T/out")" -eq 3

s=$(snapshot)
config '"faults": {"batch": "ratelimit"}'
expect 75 "check: Graph rate limits the batch" -- fbv check
err_has "rate limited (code 4): wait and retry"
config '"faults": {"debug_token": "error:80001"}'
expect 75 "check: a Business Use Case limit on an item" -- fbv check
err_has "rate limited (code 80001): wait 5 minutes and retry"
expect 69 "check: Graph unreachable" -- env FBVAULT_GRAPH_URL=https://127.0.0.1:1 "$FBVAULT_BIN" check
err_has "cannot reach the Graph API"
unchanged "$s" "check that could not ask Graph saves nothing"
config '"invalidate": [{"token": "'"$P2"'", "subcode": 467}]'
expect 0 "refresh after the invalidation" -- fbv --quiet refresh
cp "$T/out" "$T/refresh.out"
check "refresh summary: $(cat "$T/refresh.out")" -- grep -q '^page/1002: Ferret Cafe; pages_manage_posts ok; expires never$' "$T/out"
check "page/1002 holds a new token" -- test "$(value page/1002)" != "$P2"
expect 0 "check after refresh" -- fbv check

value user-token | fbv put -f page/1003
expect 77 "check: a page entry holding a USER token" -- fbv check
check "says so" -- grep -qx 'page/1003: ERROR: cannot post: the entry holds a USER token, not a page token: run fbvault refresh (or login again) to store the page'"'"'s own token' "$T/out"
expect 0 "refresh --page 1003" -- fbv --quiet refresh --page 1003
expect 0 "check after refresh --page" -- fbv check
expect 64 "refresh --page x" -- fbv refresh --page x
err_has "--page wants a numeric id"

# --- post and api renew a dead page token once -------------------------------
P1=$(value page/1001)
config '"invalidate": [{"token": "'"$P1"'", "subcode": 460}]'
mark=$(log_mark)
expect 0 "post heals a dead page token" -- fbv post --page 1001 -m "hello from a healed token"
check "post printed the id" -- grep -q '^1001_' "$T/out"
check "post said so on stderr" -- test "$(cat "$T/err")" = "fbvault: page/1001: Graph refused its token (code 190); stored a renewed one from user-token; trying once more"
check "page/1001 renewed in the vault" -- test "$(value page/1001)" != "$P1"
check "two feed requests, the first refused" -- test "$(grep -c '"endpoint": "feed"' "$(log_since "$mark")")" -eq 2
P1=$(value page/1001)
config '"invalidate": [{"token": "'"$P1"'", "subcode": 467}]'
expect 0 "api heals too" -- fbv api --page 1001 1001/feed
check "api said so" -- grep -qF "page/1001: Graph refused its token (code 190); stored a renewed one from user-token; trying once more" "$T/err"
check "api: the renewed token is redacted" -- sh -c '! grep -qF "$1" "$2"' sh "$(value page/1001)" "$T/out"
# The passphrase from a descriptor is read once: healing stores the renewed
# token with the proof the post opened the vault with.
P1=$(value page/1001)
config '"invalidate": [{"token": "'"$P1"'", "subcode": 460}]'
expect 0 "post heals with the passphrase on a descriptor" -- \
	env -u FBVAULT_PASSPHRASE_FILE "$FBVAULT_BIN" --passphrase-fd 3 post --page 1001 \
	-m "healed, passphrase on fd 3" 3< "$T/pass"
check "said so" -- grep -qF "page/1001: Graph refused its token (code 190); stored a renewed one from user-token; trying once more" "$T/err"
check "page/1001 renewed (passphrase on fd)" -- test "$(value page/1001)" != "$P1"

config '"invalidate": [{"user_id": "9876", "subcode": 460}]'
s=$(snapshot)
expect 77 "post cannot heal when the user token is dead" -- fbv post --page 1002 -m "no luck"
check "says to log in" -- grep -qx 'fbvault: cannot renew page/1002 from user-token: the token died with a password change (code 190/460): get a fresh one from Graph Explorer and run login again \[fbtrace_id .*\]; run fbvault login' "$T/err"
unchanged "$s" "post that cannot heal"
expect 77 "check: everything dead" -- fbv check
check "the user token dead, no refresh offered" -- grep -q '^user-token: DEAD: the token died with a password change (code 190/460)' "$T/out"
check "page: no refresh offered when the user token is dead" -- sh -c '! grep -q "fbvault refresh renews" "$1"' sh "$T/out"
config

# --- check --notify: silent without a notification service ---------------------
config '"users": [{"short_token": "'$SHORT'", "user_id": "9876", "scopes": '"$SCOPES"', "long_lived_expires_in": 432000}]'
mkdir -p "$T/nobus"
expect 1 "check --notify without a session bus" -- env -u DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR="$T/nobus" "$FBVAULT_BIN" check --notify
check "silent: nothing on stderr" -- test ! -s "$T/err"
# A bus that starts no daemon for the name (the stock session bus would start
# an installed dunst); tests/notify.sh has one that answers.
expect 1 "check --notify on a bus without a notification service" -- \
	dbus-run-session --config-file="$FBVAULT_SRC/tests/data/session-bus.conf" -- "$FBVAULT_BIN" check --notify
check "silent there too (dbus-daemon's own complaint aside)" -- sh -c '! grep -v "^dbus-daemon\[" "$1"' sh "$T/err"
config

# --- login --system-user ----------------------------------------------------
fresh_vault
mark=$(log_mark)
expect 0 "login --system-user" -- env TOKEN="$SYS" sh -c 'printf "%s\n" "$TOKEN" | "$FBVAULT_BIN" --quiet login --system-user'
flow=$(log_since "$mark")
check "no exchange for a system-user token" -- sh -c '! grep -q "\"endpoint\": \"exchange\"" "$1"' sh "$flow"
check "two HTTP requests: me/accounts and a batch" -- test "$(http_requests "$flow")" -eq 2
check "the system user's two pages stored" -- test "$(grep -c '^page/100[12]: ' "$T/out")" -eq 2
expect 0 "list --json" -- fbv list --json
check "kind system-user-token, never expires" -- python3 -c '
import json, sys
es = {e["name"]: e for e in json.load(open(sys.argv[1]))}
s = es["system-user-token"]
assert s["kind"] == "system-user-token" and s["token_type"] == "SYSTEM_USER" and s["expires_at"] == 0, s
assert "user-token" not in es and "page/1003" not in es' "$T/out"
expect 0 "check with a system-user token" -- fbv check
P2=$(value page/1002)
config '"invalidate": [{"token": "'"$P2"'", "subcode": 467}]'
expect 0 "refresh from the system-user token" -- fbv --quiet refresh
check "renewed from it" -- test "$(value page/1002)" != "$P2"
config
fresh_vault
expect 0 "login --system-user with a 60-day token" -- env TOKEN="$SYS60" sh -c 'printf "%s\n" "$TOKEN" | "$FBVAULT_BIN" --quiet login --system-user'
expect 0 "check: 60 days is more than 14" -- fbv check
expect 1 "check --warn 61d warns before a 60-day one ends" -- fbv check --warn 61d
check "what to do" -- grep -q '^system-user-token: WARNING: expires in 59d .*: make a new system-user token in Business Settings and run fbvault login --system-user$' "$T/out"
s=$(snapshot)
expect 77 "login --system-user with a user's token" -- login --system-user
check "not a system user's" -- grep -qF "fbvault: Graph says this is a USER token, not a system user's: make one in Business Settings > System users, or run login without --system-user; nothing was stored" "$T/err"
unchanged "$s" "user token given to --system-user"

# --- request counts: 30 and 60 pages ---------------------------------------------
pages_json() { python3 -c 'import json,sys; print(json.dumps([{"id": str(1001+i), "name": "P%d" % i} for i in range(int(sys.argv[1]))]))' "$1"; }
config '"pages": '"$(pages_json 30)"
fresh_vault
mark=$(log_mark)
expect 0 "login for 30 pages" -- login
check "login for 30 pages: 3 HTTP requests (<= 3 + ceil(30/50))" -- test "$(http_requests "$(log_since "$mark")")" -eq 3
config '"pages": '"$(pages_json 60)"
fresh_vault
mark=$(log_mark)
expect 0 "login for 60 pages" -- login
check "login for 60 pages: 4 HTTP requests (61 tokens, two batches)" -- test "$(http_requests "$(log_since "$mark")")" -eq 4
mark=$(log_mark)
expect 0 "check with 60 pages" -- fbv check
check "check with 60 pages: at most 2 + 60/50 requests" -- test "$(http_requests "$(log_since "$mark")")" -le 3
config '"pages": '"$(pages_json 60)"', "faults": {"batch": "batch_partial,times=1"}'
mark=$(log_mark)
expect 0 "check when Graph leaves half a batch unanswered" -- fbv check
check "the unanswered items asked once more" -- test "$(grep -c '"endpoint": "batch"' "$(log_since "$mark")")" -eq 3

# --- Graph's error table, each through login: exit, words, vault unchanged ----
config
fresh_vault
# fails_with FAULTS CODE TEXT DESCRIPTION
fails_with() {
	local s
	config '"faults": '"$1"
	s=$(snapshot)
	expect "$2" "$4" -- login
	err_has "$3"
	unchanged "$s" "$4"
}
fails_with '{"accounts": "error:341"}' 75 "rate limited (code 341): wait and retry" "341 application limit"
fails_with '{"accounts": "error:80001,minutes=7"}' 75 "rate limited (code 80001): wait 7 minutes and retry; X-Business-Use-Case-Usage {" "80001 Pages BUC limit"
fails_with '{"accounts": "error:80014"}' 75 "rate limited (code 80014)" "80014 BUC limit"
fails_with '{"accounts": "error:1,transient=false"}' 69 "the Graph API failed the request (code 1) and says it is not temporary: retrying will not help" "code 1 not transient"
check "code 1 not transient: no 'retry later'" -- sh -c '! grep -q "retry later" "$1"' sh "$T/err"
fails_with '{"accounts": "error:2,transient=false"}' 69 "(code 2) and says it is not temporary" "code 2 not transient"
fails_with '{"accounts": "error:2,transient=true"}' 75 "the Graph API had a temporary error (code 2): retry later" "code 2 transient"
fails_with '{"accounts": "error:2,bare,status=500"}' 75 "the Graph API had a temporary error (code 2): retry later" "code 2 bare, HTTP 500"
fails_with '{"accounts": "error:190:458"}' 77 "the app is not installed for this user (code 190/458): add it again in Graph Explorer and run login again" "190/458"
fails_with '{"accounts": "error:190:459"}' 77 "the Facebook account is checkpointed (code 190/459): log in at facebook.com, clear the checkpoint and run login again" "190/459"
fails_with '{"accounts": "error:190:464"}' 77 "the Facebook account is not confirmed (code 190/464): confirm it at facebook.com and run login again" "190/464"
fails_with '{"accounts": "error:190,bare"}' 77 "the access token was rejected (code 190): get a fresh one" "190 with no message"
fails_with '{"debug_token": "error:100"}' 77 "debug_token refused the app token (code 100): check app-id and app-secret" "100 from debug_token"
fails_with '{"accounts": "error:0:458"}' 77 "the app is not installed for this user (code 0/458)" "0/458"
config

# --- the timer units ---------------------------------------------------------
mkdir -p "$T/units"
sed "s|@bindir@|$(dirname "$FBVAULT_BIN")|" "$FBVAULT_SRC/data/systemd/fbvault-check.service.in" > "$T/units/fbvault-check.service"
cp "$FBVAULT_SRC/data/systemd/fbvault-check.timer" "$T/units/"
export XDG_RUNTIME_DIR=$T/run
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
# verify DIR OUT: systemd-analyze verify of the two units in DIR
verify() { (cd "$1" && SYSTEMD_LOG_LEVEL=warning systemd-analyze --user verify \
	fbvault-check.timer fbvault-check.service > "$2" 2>&1); }
unverified() { ! verify "$1" "$T/bad.out"; }
check "fbvault-check.timer and .service pass systemd-analyze verify" -- verify "$T/units" "$T/verify"
check "systemd-analyze said nothing" -- test ! -s "$T/verify"
check "the service runs check --notify" -- grep -q '^ExecStart=.*/fbvault check --notify$' "$T/units/fbvault-check.service"
check "daily" -- grep -qx 'OnCalendar=daily' "$T/units/fbvault-check.timer"
mkdir -p "$T/bad"
sed 's|^OnCalendar=daily|OnCalendar=every day at noon|' "$T/units/fbvault-check.timer" > "$T/bad/fbvault-check.timer"
sed 's|^ExecStart=.*|ExecStart=/nonexistent/fbvault check|' "$T/units/fbvault-check.service" > "$T/bad/fbvault-check.service"
check "systemd-analyze verify refuses broken units (the check can fail)" -- unverified "$T/bad"
check "meson installs both" -- test -f "$FBVAULT_BUILD/data/systemd/fbvault-check.service"

# --- the use log: names, never values ----------------------------------------
LOG=$XDG_STATE_HOME/fbvault/use.log
fresh_vault
login
rm -f "$LOG"
expect 0 "get" -- fbv get page/1001
expect 0 "exec" -- fbv exec --page 1002 -- true
expect 0 "exec -e" -- fbv exec -e T=user-token -- /bin/sh -c true
expect 0 "env" -- fbv env --page 1001
printf 'x={{ fbvault:app-id }}\n' > "$T/tpl"
expect 0 "inject" -- fbv inject -i "$T/tpl"
expect 0 "post" -- fbv post --page 1001 -m "logged"
expect 0 "api" -- fbv api --page 1002 1002/feed
check "use.log is 0600" -- test "$(stat -c %a "$LOG")" = 600
check "the log's lines" -- python3 -c '
import sys, time
lines = [l.split(" ") for l in open(sys.argv[1]).read().splitlines()]
got = [l[1:] for l in lines]
want = [["get", "page/1001"], ["exec", "page/1002", "true"], ["exec", "app-secret", "true"],
        ["exec", "user-token", "sh"], ["env", "page/1001"], ["env", "app-secret"],
        ["inject", "app-id"], ["post", "page/1001"], ["api", "page/1002"]]
assert got == want, got
assert all(abs(int(l[0]) - time.time()) < 120 for l in lines)' "$LOG"
expect 0 "log" -- fbv log
check "log prints each use" -- test "$(wc -l < "$T/out")" -eq 9 -a "$(grep -c 'exec      page/1002  true$' "$T/out")" -eq 1
expect 0 "log --json" -- fbv log --json
check "log --json" -- python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 9 and d[1] == {"time": d[1]["time"], "command": "exec", "entry": "page/1002", "program": "true"}, d
assert d[0]["program"] is None' "$T/out"
expect 0 "log --since 1h" -- fbv log --since 1h
check "--since 1h: all" -- test "$(wc -l < "$T/out")" -eq 9
expect 0 "log --since a time to come" -- fbv log --since 2999-01-01T00:00Z
check "--since the future: none" -- test ! -s "$T/out"
expect 64 "log --since nonsense" -- fbv log --since yesterday
err_has "--since wants"
printf 'garbage line\n1 get bad..name\n' >> "$LOG"
expect 0 "log with bad lines" -- fbv log
err_has "warning: 2 lines of $LOG do not read; skipped"
check "the good lines still shown" -- test "$(wc -l < "$T/out")" -eq 9
# The use log's test vectors: each line alone in the log; a good one is
# shown, a bad one skipped with a warning; log never writes the file.
vectors=0
while IFS= read -r v; do
	vectors=$((vectors + 1))
	python3 -c 'import json, sys; sys.stdout.write(json.loads(sys.argv[1])["line"] + "\n")' "$v" > "$LOG"
	ok=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["ok"])' "$v")
	why=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["why"])' "$v")
	before=$(sha256sum < "$LOG")
	expect 0 "log vector: $why" -- fbv log --json
	if [ "$ok" = True ]; then
		check "log vector: $why: one record, no warning" -- sh -c 'test ! -s "$2" && python3 -c "import json,sys; assert len(json.load(open(sys.argv[1]))) == 1" "$1"' sh "$T/out" "$T/err"
	else
		check "log vector: $why: skipped" -- sh -c 'test "$(cat "$1")" = "[]"' sh "$T/out"
		err_has "warning: 1 line of $LOG does not read; skipped"
	fi
	check "log vector: $why: the file unchanged" -- test "$(sha256sum < "$LOG")" = "$before"
done < "$FBVAULT_SRC/tests/vectors/uselog.jsonl"
check "26 use-log vectors" -- test "$vectors" -eq 26
rm -f "$LOG"
expect 0 "get, logged again" -- fbv get app-id
# size-bounded: the oldest lines go
python3 -c '
import sys
with open(sys.argv[1], "a") as f:
    for i in range(12000):
        f.write("%d get page/%d\n" % (1000000000 + i, i))' "$LOG"
expect 0 "get after the log grew past its bound" -- fbv get app-id
check "trimmed to at most 256 KiB, the newest kept" -- sh -c 'test "$(stat -c %s "$1")" -le 262144 && tail -n 1 "$1" | grep -q " get app-id$" && ! grep -q "^1000000000 " "$1"' sh "$LOG"
check "still 0600 after the trim" -- test "$(stat -c %a "$LOG")" = 600
check "no stored value in the use log" -- sh -c '
for n in $("$FBVAULT_BIN" list | cut -f1); do
	v=$("$FBVAULT_BIN" get "$n")
	[ ${#v} -ge 8 ] || continue
	if grep -qF -- "$v" "$1"; then echo "$n is in the log"; exit 1; fi
done' sh "$LOG"
finish
