# fbvault doctor: each check seen ok, then broken the way a user breaks it,
# with the exit code, the line and the fix; --json against its schema.
. "$(dirname "$0")/lib.sh"

# line STATUS CHECK TEXT: the piped output ($T/out) has a line for CHECK
# with STATUS that contains TEXT.
line() {
	if awk -F'\t' -v s="$1" -v c="$2" '$1 == s && $2 == c' "$T/out" | grep -qF -- "$3"; then ok; else
		not_ok "no '$1 $2 ...$3...' line in: $(cat "$T/out")"
	fi
}
all_ok() {
	if [ -s "$T/out" ] && ! grep -qv "^ok	" "$T/out"; then ok; else
		not_ok "$1: not every check ok: $(grep -v "^ok	" "$T/out")"
	fi
}
nopass() { setsid -w env -u FBVAULT_PASSPHRASE_FILE "$FBVAULT_BIN" "$@" < /dev/null; }
# schema [OK]: $T/out is doctor --json's document; OK is the "ok" wanted.
schema() {
	python3 - "$T/out" "$1" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert set(d) == {"ok", "checks"}, d.keys()
	assert d["ok"] is (sys.argv[2] == "true"), d["ok"]
	names = {"vault", "directory", "kdf", "keyring", "timed-unlock", "tokens", "token",
	         "rollback", "slots", "recipients", "memory-lock", "core-dumps", "ca-bundle", "http-module"}
	assert d["checks"], "no checks"
	for c in d["checks"]:
	    assert c["name"] in names, c
	    assert c["status"] in ("ok", "warn", "fail"), c
	    assert isinstance(c["message"], str) and c["message"], c
	    assert isinstance(c["fix"], str), c
	    assert (c["fix"] == "") == (c["status"] == "ok"), c
	    assert set(c) <= {"name", "entry", "status", "message", "fix"}, c
	    assert ("entry" in c) == (c["name"] == "token"), c
	assert d["ok"] == all(c["status"] == "ok" for c in d["checks"])
	EOF
}

# No vault yet.
expect 66 "doctor without a vault" -- fbv doctor
line fail vault "no vault at $FBVAULT_PATH"
line fail vault "fbvault init"
line ok core-dumps "disabled"

# A healthy vault (init's defaults): everything ok, exit 0.
fbv init 2>/dev/null || exit 1
echo secret | fbv put plain || exit 1
expect 0 "healthy vault" -- fbv doctor
all_ok "healthy vault"
line ok vault "mode 0600, yours, format version 3"
line ok directory "mode 0700"
line ok kdf "moderate"
line ok keyring "no keyring slot"
line ok timed-unlock "locked"
line ok tokens "no token"
line ok ca-bundle "/etc/ssl/certs/ca-certificates.crt"
line ok http-module "loads"
line ok memory-lock "secrets are locked in memory"
expect 0 "healthy vault, --json" -- fbv doctor --json
check "--json: the schema, ok true" -- schema true
check "--json: one line" -- test "$(wc -l < "$T/out")" -eq 1

# On a terminal: aligned, the fix after "; fix: ".
chmod 755 "$T/vault"
script -qec "'$FBVAULT_BIN' doctor" /dev/null < /dev/null > "$T/tty" 2>&1
check "terminal: columns aligned" -- grep -q "^warn  directory     $T/vault is mode 0755" "$T/tty"
check "terminal: the fix on the same line" -- grep -q "; fix: chmod 700 $T/vault" "$T/tty"
check "terminal: no tabs" -- sh -c "! grep -q '	' '$T/tty'"

# The directory: readable by others is a warning, writable too.
expect 1 "0755 directory: a warning" -- fbv doctor
line warn directory "can see the vault"
line warn directory "chmod 700 $T/vault"
chmod 775 "$T/vault"
expect 77 "0775 directory: a failure" -- fbv doctor
line fail directory "delete or replace the vault: fbvault refuses it"
line fail directory "chmod go-w $T/vault"
expect 77 "0775 directory, --json" -- fbv doctor --json
check "--json: the schema, ok false" -- schema false
chmod 700 "$T/vault"

# The vault file: open to others is a failure (77), with the chmod.
chmod 644 "$FBVAULT_PATH"
expect 77 "0644 vault: a failure" -- fbv doctor
line fail vault "mode 0644: group or others can read it"
line fail vault "chmod 600 $FBVAULT_PATH"
expect 77 "0644 vault, --json" -- fbv doctor --json
check "--json: the schema" -- schema false
chmod 660 "$FBVAULT_PATH"
expect 77 "0660 vault: a failure" -- fbv doctor
line fail vault "can write it"
chmod 600 "$FBVAULT_PATH"
ln -s "$FBVAULT_PATH" "$T/link"
expect 77 "a symbolic link: a failure" -- fbv doctor --vault "$T/link"
line fail vault "symbolic link"

# A damaged header: 65.
cp "$FBVAULT_PATH" "$T/saved"
printf 'XXXXXXXX' | dd of="$FBVAULT_PATH" bs=1 conv=notrunc status=none
expect 65 "a vault that does not parse" -- fbv doctor
line fail vault "$FBVAULT_PATH"
cp "$T/saved" "$FBVAULT_PATH"

# Locked, no passphrase source, no terminal: tokens not checked (a
# warning), and nothing waits for input.
expect 1 "locked, nothing to open it with" -- nopass doctor
line warn tokens "not checked"
line warn tokens "fbvault unlock"
expect 0 "unlock --for 1m" -- fbv unlock --for 1m
CLEANUP_HOOK='"$FBVAULT_BIN" lock >/dev/null 2>&1'
expect 0 "timed unlock: opens without a passphrase" -- nopass doctor
line ok timed-unlock "unlocked until"
fbv lock 2>/dev/null
printf 'not the passphrase\n' > "$T/wrong"
chmod 600 "$T/wrong"
expect 77 "a wrong passphrase: a failure" -- env FBVAULT_PASSPHRASE_FILE="$T/wrong" "$FBVAULT_BIN" doctor
line fail tokens "did not open"

# The CA bundle named by FBVAULT_CA_FILE must be there.
expect 64 "FBVAULT_CA_FILE missing" -- env FBVAULT_CA_FILE="$T/nowhere.pem" "$FBVAULT_BIN" doctor
line fail ca-bundle "$T/nowhere.pem (FBVAULT_CA_FILE) is missing"
line fail ca-bundle "unset it"

# Interactive KDF: a warning whose fix works.
rm -rf "$T/vault"
fbv init --kdf interactive 2>/dev/null || exit 1
expect 1 "interactive KDF: a warning" -- fbv doctor
line warn kdf "Argon2id interactive"
line warn kdf "fbvault passwd --kdf moderate"
FBVAULT_NEW_PASSPHRASE_FILE="$T/pass" fbv passwd --kdf moderate 2>/dev/null
expect 0 "after the fix: healthy" -- fbv doctor
all_ok "after passwd --kdf moderate"

# Tokens stored by a login against the fake Graph API: each one's expiry
# and data access expiry; near the end a warning, past it a failure (the
# clock moved with faketime, when it is installed).
graph_config '{"app_id": "1234567", "app_secret": "s3cret", "users":
	[{"short_token": "EAAshort1", "user_id": "42"}],
	"pages": [{"id": "1001", "name": "Bakery"}, {"id": "1002", "name": "Cafe"}],
	"faults": {"accounts": "unicode_name"}}'
use_fake_graph
printf '1234567\n' | fbv put app-id
printf 's3cret\n' | fbv put app-secret
expect 0 "login" -- sh -c 'echo EAAshort1 | "$FBVAULT_BIN" login'
expect 0 "after login: healthy" -- fbv doctor
all_ok "after login"
line ok token "user-token: expires"
line ok token "page/1001"
line ok token "expires never; data access expires"
check "page names from Graph: no raw control characters" -- sh -c "! grep -q \"\$(printf '\\033')\" '$T/out'"
expect 0 "after login, --json" -- fbv doctor --json
check "--json with tokens: the schema" -- schema true
check "--json: token entries named" -- python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert {c["entry"] for c in d["checks"] if c["name"] == "token"} == {"user-token", "page/1001", "page/1002"}, d' "$T/out"
if command -v faketime > /dev/null; then
	# faketime preloads itself; an ASan build must be told that is fine.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	expect 1 "user token 5 days from expiry: a warning" -- faketime -f +55d "$FBVAULT_BIN" doctor
	line warn token "user-token: expires"
	line warn token "fbvault login"
	line ok token "page/1001"
	expect 77 "user token expired: a failure" -- faketime -f +61d "$FBVAULT_BIN" doctor
	line fail token "user-token: expired at"
	fbv rm user-token 2>/dev/null
	expect 0 "page tokens only, 80 days on: ok" -- faketime -f +80d "$FBVAULT_BIN" doctor
	expect 1 "data access a day from its end: a warning" -- faketime -f +89d "$FBVAULT_BIN" doctor
	line warn token "page/1001"
	expect 77 "data access over: a failure" -- faketime -f +91d "$FBVAULT_BIN" doctor
	line fail token "data access expired at"
else
	echo "faketime not installed: expiry warnings not checked" >&2
fi
finish
