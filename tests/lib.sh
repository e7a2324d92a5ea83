# shellcheck shell=bash
# The shell harness every test script sources.
#
#   . tests/lib.sh          an end-to-end test of the built fbvault
#                           ($FBVAULT_BIN): a throw-away HOME and vault,
#                           expect/check/err_has/unchanged, ends with `finish`
#   . tests/lib.sh --bare   the harness alone, for scripts that do not drive
#                           fbvault (tests/graph/selftest.sh,
#                           tests/graph_client.sh, bench/run)
#
# Either way: a scratch directory $T, removed on exit together with every
# process started through the helpers below (TERM, then KILL after 5 s);
# CLEANUP_HOOK, if set, is evaluated first. Every wait is bounded.
#   start_fake_graph NAME [CERT_PREFIX [ARG...]]  the fake Graph API
#   use_fake_graph                 start it, point fbvault at it (one line)
#   graph_config JSON              replace the fake's configuration
#   log_mark / log_since MARK      the fake's request log, one flow of it
#   start_secret_service PASSWORD  gnome-keyring-daemon (in dbus-run-session)
#   name_owned NAME                a name has an owner on the session bus
#   track_pid PID                  stop PID on exit too
#   wait_until SECONDS COMMAND...  poll COMMAND every 0.1 s, at most SECONDS
set -u

T=$(mktemp -d "${TMPDIR:-/tmp}/fbvault-test.XXXXXX")
LIB_PIDS=()
trap 'cleanup_test' EXIT
# A test killed (meson's timeout sends TERM) still cleans up.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
# Safe under set -e: nothing here may end the trap before $T is gone.
cleanup_test() {
	if [ -n "${CLEANUP_HOOK:-}" ]; then eval "$CLEANUP_HOOK" || true; fi
	stop_pids "${LIB_PIDS[@]}"
	rm -rf "$T"
}
# Nothing between the tests and 127.0.0.1, and no TLS key log.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY SSLKEYLOGFILE

track_pid() { LIB_PIDS+=("$@"); }

# stop_pids PID...: TERM, up to 5 s for all of them to go, then KILL.
stop_pids() {
	local p
	[ $# -gt 0 ] || return 0
	kill -TERM "$@" 2> /dev/null || true
	wait_until 5 all_gone "$@" || true
	for p in "$@"; do
		if kill -0 "$p" 2> /dev/null; then kill -KILL "$p" 2> /dev/null || true; fi
		wait "$p" 2> /dev/null || true
	done
}
all_gone() {
	local p
	for p in "$@"; do
		if kill -0 "$p" 2> /dev/null; then return 1; fi
	done
}

# wait_until SECONDS COMMAND...: COMMAND every 0.1 s until it succeeds, at
# most SECONDS * 10 times; its last status.
wait_until() {
	local tries=$(($1 * 10)) i
	shift
	for ((i = 0; i < tries; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

# file_or_gone FILE PID: FILE has something in it, or PID has exited.
file_or_gone() { [ -s "$1" ] || ! kill -0 "$2" 2> /dev/null; }

# The fake Graph API: tests/graph/fake_graph.py on 127.0.0.1 over HTTPS
# with the test CA in $GRAPH_CA (tests/graph/make_ca.sh, made on first use).
GRAPH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/graph
GRAPH_CA=$T/ca
GRAPH_CONFIG=$T/graph.json

# start_fake_graph NAME [CERT_PREFIX [ARG...]]: a server reading
# $GRAPH_CONFIG, its certificate from the test CA (CERT_PREFIX "other-":
# from another CA), its request log in $T/NAME.log, its stderr in
# $T/NAME.err; ARGs go to fake_graph.py (a later --max-seconds wins over the
# default 900). Waits at most 10 s for its port; sets GRAPH_PID, GRAPH_PORT
# and GRAPH_URL. If it does not start: says so with its stderr, returns 1.
start_fake_graph() {
	local name=$1 prefix=${2:-}
	shift $(($# < 2 ? $# : 2))
	bash "$GRAPH_DIR/make_ca.sh" "$GRAPH_CA" || return 1
	rm -f "$T/$name.port"
	"${PYTHON:-python3}" "$GRAPH_DIR/fake_graph.py" --cert "$GRAPH_CA/${prefix}server.pem" \
		--key "$GRAPH_CA/${prefix}server.key" --config "$GRAPH_CONFIG" \
		--port-file "$T/$name.port" --log "$T/$name.log" --max-seconds 900 "$@" \
		> /dev/null 2> "$T/$name.err" &
	GRAPH_PID=$!
	track_pid "$GRAPH_PID"
	wait_until 10 file_or_gone "$T/$name.port" "$GRAPH_PID" || true
	GRAPH_PORT=$(cat "$T/$name.port" 2> /dev/null || true)
	GRAPH_URL=https://127.0.0.1:$GRAPH_PORT
	if [ -z "$GRAPH_PORT" ]; then
		echo "fake Graph $name did not start: $(cat "$T/$name.err")" >&2
		return 1
	fi
}

# use_fake_graph [ARG...]: the fake Graph API "graph", with fbvault
# pointed at it (FBVAULT_GRAPH_URL, FBVAULT_CA_FILE); exits if it fails.
use_fake_graph() {
	start_fake_graph graph "" "$@" || exit 1
	export FBVAULT_GRAPH_URL=$GRAPH_URL FBVAULT_CA_FILE=$GRAPH_CA/ca.pem
}

# graph_config JSON: the fake's configuration, replaced atomically (it
# re-reads the file when it changes).
graph_config() {
	printf '%s\n' "$1" > "$GRAPH_CONFIG.tmp"
	mv "$GRAPH_CONFIG.tmp" "$GRAPH_CONFIG"
}

log_mark() { wc -l < "$T/${1:-graph}.log"; }
# log_since MARK [NAME]: the log lines after MARK, as a file path
log_since() {
	tail -n +"$(($1 + 1))" "$T/${2:-graph}.log" > "$T/flow.log"
	echo "$T/flow.log"
}

# start_secret_service PASSWORD: gnome-keyring-daemon's Secret Service on
# the session bus (the caller runs in dbus-run-session), its login keyring
# unlocked with PASSWORD; true once it answers, within 30 s.
start_secret_service() {
	export XDG_RUNTIME_DIR=$T/run
	[ -d "$XDG_RUNTIME_DIR" ] || mkdir -m 700 "$XDG_RUNTIME_DIR"
	printf '%s' "$1" | gnome-keyring-daemon --foreground --unlock --components=secrets \
		> "$T/gkd.out" 2> "$T/gkd.err" &
	track_pid $!
	# Ask the bus, which starts nothing, until our daemon owns the name: a
	# client call before that would have D-Bus activate a second daemon,
	# whose keyring is locked.
	wait_until 30 secrets_owned &&
		wait_until 30 secret-tool search --all nothing here > /dev/null 2>&1
}
secrets_owned() { name_owned org.freedesktop.secrets; }
# name_owned NAME: someone owns NAME on the session bus (asking starts nothing)
name_owned() {
	dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.NameHasOwner string:"$1" 2> /dev/null | grep -q 'boolean true'
}

[ "${1:-}" = --bare ] && return 0

# --- End-to-end tests of fbvault ---------------------------------------------
: "${FBVAULT_BIN:?FBVAULT_BIN must name the fbvault binary}"
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
