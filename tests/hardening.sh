# Hardening, round two (issue 16): each check here failed on the code
# before its fix.
. "$(dirname "$0")/lib.sh"

# Modules: an installed fbvault never loads code from beside itself (a
# shared ~/bin, /opt); only the build tree it was built in, or its module
# directory, and only files owned by root or the user, not group/other
# writable.
mkdir -p "$T/bin"
cp "$FBVAULT_BIN" "$T/bin/fbvault"
cc -shared -fPIC -o "$T/bin/fbvault-http.so" "$FBVAULT_SRC/tests/data/planted.c" &&
	cp "$T/bin/fbvault-http.so" "$T/bin/fbvault-keyring.so" && ok || not_ok "build the planted module"
export PLANTED_MARK="$T/planted"
new_vault
"$T/bin/fbvault" doctor --json > "$T/out" 2> "$T/err"
check "a module beside a copied (installed) binary is not loaded" -- test ! -e "$PLANTED_MARK"
FBVAULT_GRAPH_URL=https://127.0.0.1:9 "$T/bin/fbvault" inspect user-token < /dev/null > /dev/null 2>&1
check "nor by a command that calls Graph" -- test ! -e "$PLANTED_MARK"
"$T/bin/fbvault" keyring status > /dev/null 2>&1
check "nor the keyring module" -- test ! -e "$PLANTED_MARK"
fbv doctor --json > "$T/out" 2> "$T/err"
check "the build tree's binary still loads its modules" -- python3 -c '
import json, sys
d = {c["name"]: c for c in json.load(open(sys.argv[1]))["checks"]}
assert d["http-module"]["status"] == "ok", d["http-module"]' "$T/out"
unset PLANTED_MARK

# inspect sends only tokens to Graph: the App Secret (or any other secret)
# never becomes an input_token.
APP_ID=138483919580948
SECRET=app-secret-$RANDOM$RANDOM
graph_config '{"app_id": "'$APP_ID'", "app_secret": "'$SECRET'"}'
use_fake_graph
printf '%s\n' "$APP_ID" | fbv put app-id
printf '%s\n' "$SECRET" | fbv put app-secret
printf 'hunter2\n' | fbv put other
s=$(snapshot)
for name in app-secret app-id other; do
	m=$(log_mark)
	expect 64 "inspect $name is refused" -- fbv inspect "$name"
	err_has "'$name' is not a token"
	check "inspect $name: no request reached Graph" -- test "$(log_mark)" -eq "$m"
done
check "the App Secret is in no request the fake saw" -- sh -c '! grep -qF "$1" "$2"' sh "$SECRET" "$T/graph.log"
unchanged "$s" "refused inspects"

finish
