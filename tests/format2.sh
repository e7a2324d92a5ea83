# Vault format 2 through the CLI: version 1 vaults open and convert on the
# first write; a key read from the kernel during a timed unlock opens
# nothing written after `lock`; slot-set changes need the passphrase.
. "$(dirname "$0")/lib.sh"
nopass() { setsid -w env -u FBVAULT_PASSPHRASE_FILE "$FBVAULT_BIN" "$@" < /dev/null; }
vault_id() { od -An -tx1 -j12 -N16 "${1:-$FBVAULT_PATH}" | tr -d ' \n'; }
version() { od -An -tu2 -j8 -N2 "${1:-$FBVAULT_PATH}" | tr -d ' '; }
CLEANUP_HOOK='"$FBVAULT_BIN" lock >/dev/null 2>&1'

# A version 1 vault opens as it is; the first write converts it, once.
mkdir -m 700 -p "$T/vault"
cp "$FBVAULT_SRC/tests/vectors/good.vault" "$FBVAULT_PATH"; chmod 600 "$FBVAULT_PATH"
printf 'vector passphrase\n' > "$T/v1pass"; chmod 600 "$T/v1pass"
v1() { env FBVAULT_PASSPHRASE_FILE="$T/v1pass" "$FBVAULT_BIN" "$@"; }
s=$(snapshot)
expect 0 "v1: get" -- v1 get entry
check "v1: value" -- test "$(cat "$T/out")" = "vector value"
unchanged "$s" "a read does not convert"
expect 0 "v1: put converts" -- sh -c 'echo two | env FBVAULT_PASSPHRASE_FILE="$1" "$2" put second' sh "$T/v1pass" "$FBVAULT_BIN"
err_has "is now in vault format 3"
check "v1: the file is version 3" -- test "$(version)" = 3
expect 0 "v2: the old entry" -- v1 get entry
check "v2: old value intact" -- test "$(cat "$T/out")" = "vector value"
expect 0 "v2: put again" -- sh -c 'echo three | env FBVAULT_PASSPHRASE_FILE="$1" "$2" put third' sh "$T/v1pass" "$FBVAULT_BIN"
check "the conversion notice is said once" -- test ! -s "$T/err"

# A version 2 vault opens as it is; its first write is in format 3 (same
# slots and keys: nothing to say).
cp "$FBVAULT_SRC/tests/vectors/good2.vault" "$FBVAULT_PATH"; chmod 600 "$FBVAULT_PATH"
s=$(snapshot)
expect 0 "v2: get" -- v1 get entry
check "v2: value" -- test "$(cat "$T/out")" = "vector value"
unchanged "$s" "v2: a read does not convert"
expect 0 "v2: put writes format 3" -- sh -c 'echo two | env FBVAULT_PASSPHRASE_FILE="$1" "$2" put second' sh "$T/v1pass" "$FBVAULT_BIN"
check "v2: the file is version 3" -- test "$(version)" = 3
expect 0 "v3: the old entry" -- v1 get entry
check "v3: old value intact" -- test "$(cat "$T/out")" = "vector value"
expect 0 "v3: the new entry" -- v1 get second
check "v3: new value" -- test "$(cat "$T/out")" = "two"

# Stolen during an unlock: the timed slot's key, read from the kernel as
# any process of this user can. After lock it opens nothing written.
new_vault
echo first | fbv put a || exit 1
id=$(vault_id)
expect 0 "unlock" -- fbv unlock --for 10m
kid=$(keyctl search @u user "fbvault:$id")
check "the unlock key is in the kernel" -- test -n "$kid"
keyctl pipe "$kid" > "$T/stolen"
check "a process of this user reads it: secret key, public key, expiry" -- \
	test "$(stat -c %s "$T/stolen")" = 72
cp "$FBVAULT_PATH" "$T/old.vault"
expect 0 "lock" -- fbv lock
check "lock removed the kernel key" -- sh -c "! keyctl search @u user fbvault:$id >/dev/null 2>&1"
echo second | fbv put b || exit 1
keyctl padd user "fbvault:$id" @u < "$T/stolen" > /dev/null
expect 77 "the stolen key opens nothing written after lock" -- nopass get b
err_has "no terminal to ask for the passphrase"
mkdir -m 700 "$T/oldcopy"; cp "$T/old.vault" "$T/oldcopy/vault"; chmod 600 "$T/oldcopy/vault"
expect 0 "it did open the copy saved during the unlock" -- nopass --accept-rollback --vault "$T/oldcopy/vault" get a
check "old copy value" -- test "$(cat "$T/out")" = first
# The payload's sizes: 72, and 40 (secret key and expiry, as an fbvault
# before 72-byte payloads wrote it: the public key is derived) open; a
# wrong public key beside the right secret key opens nothing (the stanza's
# key binds it); any other size is no unlock.
plant() {
	keyctl purge user "fbvault:$id" > /dev/null 2>&1
	keyctl padd user "fbvault:$id" @u < "$1" > /dev/null
}
{ head -c 32 "$T/stolen"; tail -c 8 "$T/stolen"; } > "$T/stolen40"
plant "$T/stolen40"
expect 0 "a 40-byte key of an older fbvault opens the copy" -- nopass --accept-rollback --vault "$T/oldcopy/vault" get a
check "40-byte key: value" -- test "$(cat "$T/out")" = first
python3 -c '
import sys
k = bytearray(open(sys.argv[1], "rb").read())
k[40] ^= 0x10
open(sys.argv[2], "wb").write(k)' "$T/stolen" "$T/wrongpk"
plant "$T/wrongpk"
expect 77 "the right secret key with a wrong public key opens nothing" -- nopass --accept-rollback --vault "$T/oldcopy/vault" get a
err_has "no terminal to ask for the passphrase"
for n in 32 39 41 71 73; do
	{ cat "$T/stolen" "$T/stolen"; } | head -c "$n" > "$T/stolen$n"
	plant "$T/stolen$n"
	expect 77 "a $n-byte key is no unlock" -- nopass --accept-rollback --vault "$T/oldcopy/vault" get a
	err_has "no terminal to ask for the passphrase"
done
keyctl purge user "fbvault:$id" > /dev/null 2>&1

# After passwd: the old passphrase and an old copy give the old passphrase
# slot's key; planted where fbvault looks, it opens that copy and nothing
# written after passwd.
cp "$FBVAULT_PATH" "$T/before-passwd"; chmod 600 "$T/before-passwd"
"$FBVAULT_BUILD/tests/slotkey" "$T/before-passwd" < "$T/pass" > "$T/oldkey"
check "the old copy gives its passphrase slot key" -- test "$(stat -c %s "$T/oldkey")" = 40
printf 'newer passphrase\n' > "$T/newpass"; chmod 600 "$T/newpass"
expect 0 "passwd" -- env FBVAULT_NEW_PASSPHRASE_FILE="$T/newpass" "$FBVAULT_BIN" passwd
echo after | env FBVAULT_PASSPHRASE_FILE="$T/newpass" "$FBVAULT_BIN" put after-passwd || exit 1
keyctl padd user "fbvault:$id" @u < "$T/oldkey" > /dev/null
expect 77 "the old slot key opens nothing written after passwd" -- nopass get after-passwd
err_has "no terminal to ask for the passphrase"
mkdir -m 700 "$T/bp"; cp "$T/before-passwd" "$T/bp/vault"; chmod 600 "$T/bp/vault"
expect 0 "it opens the old copy" -- nopass --accept-rollback --vault "$T/bp/vault" get a
keyctl purge user "fbvault:$id" > /dev/null 2>&1
cp "$T/newpass" "$T/pass"

# Slot-set changes need the passphrase, not a borrowed unlock.
expect 0 "unlock again" -- fbv unlock --for 10m
s=$(snapshot)
expect 77 "passwd without the passphrase, while unlocked" -- sh -c 'printf "x\n" > "$1/np"; chmod 600 "$1/np"; setsid -w env -u FBVAULT_PASSPHRASE_FILE FBVAULT_NEW_PASSPHRASE_FILE="$1/np" "$2" passwd < /dev/null' sh "$T" "$FBVAULT_BIN"
expect 77 "unlock without the passphrase, while unlocked" -- nopass unlock --for 1h
unchanged "$s" "no slot change without the passphrase"
expect 0 "but entries can be read" -- nopass get a
expect 0 "and written" -- sh -c 'echo c | setsid -w env -u FBVAULT_PASSPHRASE_FILE "$1" put c' sh "$FBVAULT_BIN"
expect 0 "lock" -- fbv lock

# Rollback: an older copy put back is refused with its own code, naming
# both generations; --accept-rollback opens it and starts afresh.
new_vault
echo one | fbv put a || exit 1
cp "$FBVAULT_PATH" "$T/gen2"
echo two | fbv put b || exit 1
id=$(vault_id)
seen="$HOME/.local/state/fbvault/seen-$id"
check "the memory file is 0600" -- test "$(stat -c %a "$seen")" = 600
check "it remembers generation 3" -- grep -qx "generation 3" "$seen"
cp "$T/gen2" "$FBVAULT_PATH"
s=$(snapshot)
expect 79 "an older copy is refused" -- fbv get a
err_has "is generation 2, older than generation 3, which this machine has opened"
err_has "--accept-rollback"
check "nothing on stdout" -- test ! -s "$T/out"
expect 79 "a write too" -- sh -c 'echo x | "$1" put c' sh "$FBVAULT_BIN"
unchanged "$s" "a refused rollback"
expect 0 "--accept-rollback opens it" -- fbv --accept-rollback get a
check "rolled-back value" -- test "$(cat "$T/out")" = one
check "the memory starts afresh" -- grep -qx "generation 2" "$seen"
expect 0 "and then it opens as usual" -- fbv get a
expect 66 "b is not in the old copy" -- fbv get b

# The memory survives kill -9 between writing it and renaming it into
# place (the second rename of a put: the vault's first).
before=$(cat "$seen")
strace -f -o /dev/null -e trace=rename,renameat,renameat2 \
	-e inject=rename,renameat,renameat2:signal=SIGKILL:when=2 \
	sh -c 'echo k | "$1" put killed' sh "$FBVAULT_BIN" > /dev/null 2>&1
check "the kill left the old memory" -- test "$(cat "$seen")" = "$before"
expect 0 "the killed put's vault opens" -- fbv get killed
check "and the memory moved on" -- grep -qx "generation 3" "$seen"

# A slot set changed by a command that ran elsewhere (another machine's
# memory: another XDG_STATE_HOME) is warned about by status and doctor.
elsewhere() { env XDG_STATE_HOME="$T/elsewhere" "$FBVAULT_BIN" "$@"; }
expect 0 "status: no warning" -- fbv status
check "status: no slot warning yet" -- sh -c "! grep -q 'key slots' '$T/err'"
expect 0 "unlock elsewhere" -- elsewhere unlock --for 10m
expect 0 "status here" -- fbv status
err_has "its key slots were changed by a command that did not run on this machine"
fbv doctor > "$T/doctor" 2>&1
check "doctor warns about the slots" -- grep -q "slots.*did not run on this machine" "$T/doctor"
expect 0 "lock elsewhere" -- elsewhere lock
expect 0 "status after" -- fbv status
check "the slots are as seen again" -- sh -c "! grep -q 'key slots' '$T/err'"
expect 0 "unlock here" -- fbv unlock --for 10m
expect 0 "status after a local change" -- fbv status
check "a change made here is not warned about" -- sh -c "! grep -q 'key slots' '$T/err'"
expect 0 "lock" -- fbv lock
expect 0 "status after a local lock" -- fbv status
check "lock's save is this machine's too" -- sh -c "! grep -q 'key slots' '$T/err'"
finish
