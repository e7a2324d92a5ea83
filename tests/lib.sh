# Shared helpers for the end-to-end tests: each test script sources this,
# drives the built fbvault ($FBVAULT_BIN) like a user, and ends with `finish`.
set -u
: "${FBVAULT_BIN:?FBVAULT_BIN must name the fbvault binary}"

T=$(mktemp -d "${TMPDIR:-/tmp}/fbvault-test.XXXXXX")
trap 'cleanup_test' EXIT
cleanup_test() {
	[ -n "${CLEANUP_HOOK:-}" ] && eval "$CLEANUP_HOOK"
	rm -rf "$T"
}
export HOME="$T/home"
mkdir -p "$HOME"
unset XDG_DATA_HOME XDG_STATE_HOME FBVAULT_NO_KEYRING FBVAULT_GRAPH_URL FBVAULT_CA_FILE
export FBVAULT_PATH="$T/vault/vault"
printf 'correct horse battery staple\n' > "$T/pass"
chmod 600 "$T/pass"
export FBVAULT_PASSPHRASE_FILE="$T/pass"
PASSED=0
FAILED=0

fbv() { "$FBVAULT_BIN" "$@"; }

ok() { PASSED=$((PASSED + 1)); }
not_ok() { FAILED=$((FAILED + 1)); printf 'FAIL: %s\n' "$*" >&2; }

# expect CODE DESCRIPTION -- COMMAND...: runs COMMAND, stdout to $T/out,
# stderr to $T/err, and checks its exit code.
expect() {
	local want=$1 what=$2 got
	shift 3
	"$@" > "$T/out" 2> "$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		not_ok "$what: exit $got, wanted $want; stderr: $(head -c 300 "$T/err")"
	fi
}

# check DESCRIPTION -- COMMAND...: COMMAND must succeed.
check() {
	local what=$1
	shift 2
	if "$@"; then ok; else not_ok "$what"; fi
}

# err_has TEXT: the last stderr contains TEXT, on one line.
err_has() {
	if grep -qF -- "$1" "$T/err" && [ "$(wc -l < "$T/err")" -le 2 ]; then ok; else
		not_ok "stderr lacks '$1': $(head -c 300 "$T/err")"
	fi
}

snapshot() { sha256sum "$FBVAULT_PATH" | cut -d' ' -f1; }
unchanged() {
	if [ "$(snapshot)" = "$1" ]; then ok; else not_ok "vault changed: $2"; fi
}

new_vault() {
	rm -rf "$T/vault"
	fbv init --kdf interactive 2>/dev/null || { echo "init failed" >&2; exit 1; }
}

finish() {
	printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
	[ "$FAILED" -eq 0 ]
	exit
}

# File surgery for tamper tests.
byte_at() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }
put_byte() { printf "\\$(printf '%03o' "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
flip() { put_byte "$1" "$2" $(( $(byte_at "$1" "$2") ^ $3 )); }
