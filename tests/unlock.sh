# Timed unlock: the data key in the kernel's user keyring with a kernel-
# enforced timeout; lock revokes it at once.
. "$(dirname "$0")/lib.sh"
nopass() { setsid -w env -u FBVAULT_PASSPHRASE_FILE "$FBVAULT_BIN" "$@" < /dev/null; }

new_vault
CLEANUP_HOOK='"$FBVAULT_BIN" lock >/dev/null 2>&1'
echo secret1 | fbv put tok || exit 1
expect 77 "locked: no passphrase source fails" -- nopass get tok
expect 0 "unlock --for 10m" -- fbv unlock --for 10m
err_has "unlocked until"
expect 0 "unlocked: get with no passphrase source" -- nopass get tok
check "value through the unlock key" -- test "$(cat "$T/out")" = secret1
expect 0 "unlocked: put with no passphrase source" -- sh -c 'echo two | setsid -w env -u FBVAULT_PASSPHRASE_FILE "$FBVAULT_BIN" put tok2'
expect 0 "keyring status shows the unlock" -- fbv keyring status --json
check "unlocked_until about 10 minutes ahead" -- python3 -c '
import json, sys, time
d = json.load(open(sys.argv[1]))
assert 540 < d["unlocked_until"] - time.time() <= 601, d' "$T/out"
expect 0 "lock" -- fbv lock
err_has "locked"
expect 77 "after lock the passphrase is needed again" -- nopass get tok
check "after lock: asks for the passphrase" -- grep -q "no terminal to ask for the passphrase" "$T/err"
expect 0 "lock when not unlocked is harmless" -- fbv lock
err_has "was not unlocked"

# Expiry is the kernel's: unlock for 2 s, then wait it out (bounded).
# SHORT_UNLOCK=N seconds instead, where one command takes seconds
# (scripts/valgrind).
short=${SHORT_UNLOCK:-2}
expect 0 "unlock --for ${short}s" -- fbv unlock --for "${short}s"
expect 0 "unlocked for $short s" -- nopass get tok
expired=no
for i in $(seq 1 $(((short + 8) * 4))); do
	sleep 0.25
	if ! nopass get tok > /dev/null 2>&1; then expired=yes; break; fi
done
check "the unlock expired by itself within $((short + 8)) s" -- test "$expired" = yes

# Another vault is not opened by this vault's unlock key.
expect 0 "unlock again" -- fbv unlock --for 1m
other="$T/other/vault"
FBVAULT_PATH=$other fbv init --kdf interactive 2>/dev/null
expect 77 "another vault stays locked" -- nopass --vault "$other" list

# Bad durations.
for bad in 0 25h 1x -5m "" 99999999999; do
	expect 64 "unlock --for '$bad' refused" -- fbv unlock --for "$bad"
done
err_has "--for wants a duration"
finish
