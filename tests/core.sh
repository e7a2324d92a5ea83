# Core commands end to end: init, put, get, list, rm, passwd, help, and
# that every failing command leaves the vault byte-for-byte unchanged.
. "$(dirname "$0")/lib.sh"

expect 66 "get without a vault" -- fbv get x
err_has "no vault at $FBVAULT_PATH"
expect 0 "init" -- fbv init --kdf interactive
check "vault is 0600" -- test "$(stat -c %a "$FBVAULT_PATH")" = 600
check "vault dir is 0700" -- test "$(stat -c %a "$T/vault")" = 700
s=$(snapshot)
expect 73 "init refuses an existing vault" -- fbv init --kdf interactive
unchanged "$s" "second init"
expect 64 "init with a bad kdf level" -- fbv init --kdf extreme
err_has "--kdf wants"

# Text round trip: one trailing newline (\n or \r\n) is dropped.
printf 'EAAtoken123\n' | fbv put page/1234 && ok || not_ok "put page/1234"
expect 0 "get" -- fbv get page/1234
check "get prints the value and a newline" -- test "$(cat "$T/out")" = EAAtoken123
expect 0 "get -n" -- fbv get -n page/1234
check "get -n prints no newline" -- test "$(od -An -c "$T/out" | tr -d ' \n')" = EAAtoken123
printf 'crlf\r\n' | fbv put crlf && ok || not_ok "put crlf"
fbv get -n crlf > "$T/v" && check "crlf stripped" -- test "$(cat "$T/v")" = crlf
printf 'two\n\n' | fbv put twonl && ok || not_ok "put twonl"
fbv get -n twonl > "$T/v" && check "only one newline stripped" -- test "$(od -An -tx1 "$T/v" | tr -d ' \n')" = 74776f0a

# Binary round trip keeps every byte, NULs and the final newline included.
head -c 4096 /dev/urandom > "$T/bin"
printf '\0\n' >> "$T/bin"
fbv put --binary blob < "$T/bin" && ok || not_ok "put --binary"
fbv get -n blob > "$T/bin.out" && check "binary round trip" -- cmp -s "$T/bin" "$T/bin.out"

# A 1 MiB value.
head -c 1048576 /dev/urandom > "$T/big"
fbv put --binary big < "$T/big" && ok || not_ok "put 1 MiB"
fbv get -n big > "$T/big.out" && check "1 MiB round trip" -- cmp -s "$T/big" "$T/big.out"
head -c 16777217 /dev/zero > "$T/huge"
s=$(snapshot)
expect 64 "a value over 16 MiB is refused" -- fbv put --binary huge < "$T/huge"
err_has "larger than"
unchanged "$s" "oversized put"

# put refuses to replace without --force.
s=$(snapshot)
expect 73 "put without --force" -- sh -c 'echo other | "$FBVAULT_BIN" put page/1234'
err_has "use --force"
unchanged "$s" "put without --force"
echo replaced | fbv put --force page/1234 && ok || not_ok "put --force"
check "--force replaced" -- test "$(fbv get page/1234)" = replaced

# Invalid names.
s=$(snapshot)
for bad in "" "/abs" "-dash" "a/../b" ".." "sp ace" "semi;colon" "tab	x" \
	"$(printf 'x%.0s' $(seq 129))" "ünï"; do
	expect 64 "invalid name '$bad'" -- sh -c 'echo v | "$FBVAULT_BIN" put "$1"' sh "$bad"
done
err_has "invalid entry name"
unchanged "$s" "invalid names"
echo ok | fbv put "a.b_c-d/e:f" && ok || not_ok "valid name with every allowed symbol"
echo ok | fbv put "$(printf 'y%.0s' $(seq 128))" && ok || not_ok "128-character name"

# list: names and metadata, never values.
expect 0 "list" -- fbv list
check "list names entries" -- grep -q '^page/1234' "$T/out"
check "list shows no value" -- sh -c '! grep -q replaced "$1"' sh "$T/out"
expect 0 "list --json" -- fbv list --json
check "list --json schema" -- python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert isinstance(a, list) and len(a) == 7, a
for o in a:
    assert set(["name", "kind", "created", "updated", "expires_at"]) <= set(o), o
    assert isinstance(o["created"], int) and isinstance(o["updated"], int)
    assert o["expires_at"] is None and o["kind"] == "secret"
    assert "value" not in o
assert [o["name"] for o in a] == sorted(o["name"] for o in a)
' "$T/out"

# rm
expect 0 "rm" -- fbv rm crlf
expect 66 "get after rm" -- fbv get crlf
s=$(snapshot)
expect 66 "rm of a missing entry" -- fbv rm crlf
err_has "no entry 'crlf'"
unchanged "$s" "rm missing"
expect 66 "get of a missing entry" -- fbv get nothing

# Wrong passphrase: 77 and nothing changes.
printf 'wrong\n' > "$T/wrong"; chmod 600 "$T/wrong"
s=$(snapshot)
expect 77 "wrong passphrase" -- env FBVAULT_PASSPHRASE_FILE="$T/wrong" "$FBVAULT_BIN" get page/1234
err_has "wrong passphrase"
check "wrong passphrase prints nothing on stdout" -- test ! -s "$T/out"
expect 77 "wrong passphrase on put" -- sh -c 'echo x | FBVAULT_PASSPHRASE_FILE="$1" "$FBVAULT_BIN" put newone' sh "$T/wrong"
unchanged "$s" "wrong passphrase"
expect 0 "--passphrase-fd" -- sh -c '"$FBVAULT_BIN" --passphrase-fd 3 get page/1234 3< "$1"' sh "$T/pass"
expect 0 "--passphrase-fd after the command" -- sh -c 'env -u FBVAULT_PASSPHRASE_FILE "$FBVAULT_BIN" get --passphrase-fd 3 page/1234 3< "$1"' sh "$T/pass"

# No terminal and no passphrase source: a clear error, never a hang.
expect 77 "no passphrase source" -- timeout 20 setsid -w env -u FBVAULT_PASSPHRASE_FILE "$FBVAULT_BIN" get page/1234 < /dev/null
err_has "no terminal to ask for the passphrase"

# Unsafe permissions, owner, symlinks.
s=$(snapshot)
for mode in 644 640 604 660 606; do
	chmod "$mode" "$FBVAULT_PATH"
	expect 77 "mode $mode refused" -- fbv get page/1234
done
err_has "chmod 600"
chmod 600 "$FBVAULT_PATH"
if [ "$(id -u)" = 0 ]; then
	chown nobody "$FBVAULT_PATH"
	expect 77 "a vault owned by another user is refused" -- fbv get page/1234
	chown 0 "$FBVAULT_PATH"
fi
ln -s "$FBVAULT_PATH" "$T/link"
expect 77 "a symlinked vault is refused" -- fbv --vault "$T/link" get page/1234
err_has "symbolic link"
unchanged "$s" "permission refusals"
chmod 644 "$T/pass"
expect 77 "a passphrase file open to others is refused" -- fbv get page/1234
chmod 600 "$T/pass"

# A temporary file left by a killed writer is removed by the next write.
printf 'junk' > "$FBVAULT_PATH.tmp"
echo v | fbv put after-crash && ok || not_ok "put with a stale temp file"
check "stale temp file removed" -- test ! -e "$FBVAULT_PATH.tmp"

# passwd makes a new passphrase slot key and, like every save, seals the
# payload under a new data key (format 2: H = 225, the payload after H + 60).
size=$(stat -c %s "$FBVAULT_PATH")
tail -c $((size - 285)) "$FBVAULT_PATH" > "$T/payload.before"
printf 'new passphrase\n' > "$T/newpass"; chmod 600 "$T/newpass"
expect 0 "passwd" -- env FBVAULT_NEW_PASSPHRASE_FILE="$T/newpass" "$FBVAULT_BIN" passwd
tail -c $((size - 285)) "$FBVAULT_PATH" > "$T/payload.after"
check "passwd kept the size" -- test "$(stat -c %s "$FBVAULT_PATH")" = "$size"
check "passwd resealed the payload" -- test "$(sha256sum < "$T/payload.before")" != "$(sha256sum < "$T/payload.after")"
expect 77 "old passphrase no longer opens" -- fbv get page/1234
expect 0 "new passphrase opens" -- env FBVAULT_PASSPHRASE_FILE="$T/newpass" "$FBVAULT_BIN" get page/1234
check "value intact after passwd" -- test "$(cat "$T/out")" = replaced
s=$(snapshot)
: > "$T/empty"; chmod 600 "$T/empty"
expect 64 "an empty new passphrase is refused" -- env FBVAULT_PASSPHRASE_FILE="$T/newpass" FBVAULT_NEW_PASSPHRASE_FILE="$T/empty" "$FBVAULT_BIN" passwd
unchanged "$s" "empty passphrase"

# Usage and help.
expect 64 "unknown command" -- fbv frobnicate
err_has "unknown command"
expect 64 "unknown option" -- fbv get --bogus x
expect 64 "get without a name" -- fbv get
expect 0 "help" -- fbv help
check "help lists exit codes" -- grep -q '^  77' "$T/out"
expect 0 "help put" -- fbv help put
check "help put shows usage" -- grep -q 'usage: fbvault put' "$T/out"
expect 0 "put -h" -- fbv put -h
expect 0 "--version" -- fbv --version
check "--version prints the version" -- grep -q '^fbvault [0-9]' "$T/out"

# One dialect: the option named as typed, the usage of the command typed,
# with the global options when one of those (or an unknown one) is at fault.
usage_is() { if [ "$(sed -n 2p "$T/err")" = "$1" ] && [ "$(wc -l < "$T/err")" -eq 2 ]; then ok; else not_ok "usage line: $(cat "$T/err")"; fi; }
globals='[--vault PATH] [--passphrase-fd N] [--new-passphrase-fd N] [--identity FILE] [--identity-fd N] [--no-keyring] [--accept-rollback] [--quiet]'
expect 64 "unknown command: the nearest" -- fbv lsit
err_has "fbvault: unknown command 'lsit'; did you mean 'list'?"
usage_is "usage: fbvault $globals COMMAND [ARGS]"
expect 64 "help of a mistyped command" -- fbv help dcotor
err_has "fbvault: unknown command 'dcotor'; did you mean 'doctor'?"
expect 64 "nothing near: no guess" -- fbv zzzzzz
err_has "fbvault: unknown command 'zzzzzz' (fbvault help lists them)"
expect 64 "unknown option of a command" -- fbv get --bogus x
err_has "fbvault: unknown option '--bogus'"
usage_is "usage: fbvault $globals get [-n] [--clip] NAME"
expect 64 "unknown short option" -- fbv get -z x
err_has "fbvault: unknown option '-z'"
expect 64 "unknown global option" -- fbv --bogus list
err_has "fbvault: unknown option '--bogus'"
usage_is "usage: fbvault $globals COMMAND [ARGS]"
expect 64 "exec --page without a value" -- fbv exec --page
err_has "fbvault: option '--page' needs a value"
usage_is "usage: fbvault exec [--page PAGE_ID] [-e VAR=NAME]... [--min-ttl DURATION] [--allow-nested] [--] CMD [ARG...]"
expect 64 "env -e without a value" -- fbv env -e
err_has "fbvault: option '-e' needs a value"
expect 64 "--vault without a value" -- fbv --vault
err_has "fbvault: option '--vault' needs a value"
expect 64 "a bad --passphrase-fd after the command" -- fbv list --passphrase-fd abc
err_has "fbvault: --passphrase-fd wants a file descriptor number, not 'abc'"
usage_is "usage: fbvault $globals list [--json]"
expect 0 "help help" -- fbv help help
check "help help: its usage" -- grep -qx 'usage: fbvault help \[COMMAND\]' "$T/out"
for cmd in put exec status; do
	expect 0 "help $cmd: rich" -- fbv help "$cmd"
	check "help $cmd: options, examples and exit codes" -- sh -c 'grep -qx "options:" "$1" && grep -qx "examples:" "$1" && grep -qx "exit codes:" "$1"' sh "$T/out"
done
check "status --help names its exit 1" -- sh -c 'fbv() { "$FBVAULT_BIN" "$@"; }; fbv status --help | grep -qx "  1   a token has expired or expires within 7 days"'
expect 66 "--vault missing/vault: init with --vault" -- fbv --vault "$T/missing/vault" list
err_has "fbvault: no vault at $T/missing/vault; create one with: fbvault --vault $T/missing/vault init"
expect 66 "the default path: plain init" -- env FBVAULT_PATH="$T/missing2/vault" "$FBVAULT_BIN" list
err_has "create one with: fbvault init"

# put checks the entries fbvault reads: spaces around them dropped, the
# rest refused with the vault unchanged.
new_vault
printf '  1122334455 \n' | fbv put --force app-id
expect 0 "app-id stored trimmed" -- fbv get app-id
check "app-id without spaces" -- test "$(cat "$T/out")" = 1122334455
s=$(snapshot)
for bad in "11 22" "12ab" "" "   "; do
	expect 64 "app-id '$bad' refused" -- sh -c 'printf "%s\n" "$1" | "$FBVAULT_BIN" put --force app-id' sh "$bad"
done
expect 64 "a token with a space inside" -- sh -c 'printf "EAA abc\n" | "$FBVAULT_BIN" put page/77'
err_has "fbvault: the value for page/77 must be one line of printable characters without spaces"
expect 64 "an empty user-token" -- sh -c 'printf "\n" | "$FBVAULT_BIN" put user-token'
err_has "fbvault: the value for user-token is empty"
unchanged "$s" "refused values"
printf ' EAAtok123 \n' | fbv put page/78
check "a token is stored trimmed" -- test "$(fbv get page/78)" = EAAtok123
printf ' any value \n' | fbv put other
check "any other entry keeps its spaces" -- test "$(fbv get other)" = " any value "
finish
