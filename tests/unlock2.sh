# Timed unlock, format 2: no moment in which the key is findable without
# its timeout (kill -9 between the steps leaves nothing), the time left
# from the kernel, lock --all, lock of a vault that cannot be read. In a
# user namespace of its own, so that @u is this test's alone.
if [ -z "${FBV_IN_USERNS:-}" ]; then
	if unshare --user --map-root-user true 2>/dev/null; then
		FBV_IN_USERNS=1 exec unshare --user --map-root-user bash "$0" "$@"
	fi
	echo "no user namespaces here: skipped"; exit 77
fi
. "$(dirname "$0")/lib.sh"
nopass() { setsid -w env -u FBVAULT_PASSPHRASE_FILE "$FBVAULT_BIN" "$@" < /dev/null; }
vault_id() { od -An -tx1 -j12 -N16 "${1:-$FBVAULT_PATH}" | tr -d ' \n'; }
# This test's keys: /proc/keys also shows those of other tests that run
# as the same uid outside this namespace.
ids=""
fbv_keys() {
	local n=0 id
	for id in $ids; do n=$((n + $(grep -c "user *fbvault:$id" /proc/keys))); done
	echo "$n"
}
# The kernel collects revoked keys a moment later: wait for N keys at most 2 s.
keys_are() {
	for i in $(seq 1 40); do [ "$(fbv_keys)" = "$1" ] && return 0; sleep 0.05; done
	return 1
}
CLEANUP_HOOK='"$FBVAULT_BIN" lock --all >/dev/null 2>&1'

new_vault
echo v | fbv put tok || exit 1
id=$(vault_id)
ids=$id
check "no fbvault key to start with" -- keys_are 0

# kill -9 at each keyctl step after the key is made (timeout, permissions,
# link into @u): nothing is left, in @u or anywhere, and the vault is as
# it was.
for step in 1 2 3; do
	s=$(snapshot)
	( strace -f -o /dev/null -e trace=keyctl -e inject=keyctl:signal=SIGKILL:when=$step \
		"$FBVAULT_BIN" unlock --for 10m > /dev/null 2>&1 ) 2> /dev/null
	check "killed at keyctl step $step: no key left anywhere" -- keys_are 0
	unchanged "$s" "killed at keyctl step $step"
	expect 77 "killed at keyctl step $step: still locked" -- nopass get tok
done

# The key lives with its timeout from the moment it is findable.
expect 0 "unlock --for 10m" -- fbv unlock --for 10m
timeout=$(awk -v d="fbvault:$id" '$0 ~ d { print $4 }' /proc/keys)
check "the kernel counts its timeout (/proc/keys: $timeout)" -- test "$timeout" = 9m -o "$timeout" = 10m
expect 0 "keyring status" -- fbv keyring status --json
check "status: the time left as the kernel counts it" -- python3 -c '
import json, sys, time
d = json.load(open(sys.argv[1]))
assert 530 < d["unlocked_until"] - time.time() <= 601, d' "$T/out"

# lock of a vault that is missing: non-zero, the key stays, --all ends it.
mv "$FBVAULT_PATH" "$T/moved"
expect 66 "lock without the vault file" -- fbv lock
err_has "lock --all"
check "the key is still there" -- keys_are 1
mv "$T/moved" "$FBVAULT_PATH"

# A second vault unlocked too; lock --all revokes both, with or without a
# vault.
other="$T/other/vault"
FBVAULT_PATH=$other fbv init --kdf interactive 2>/dev/null
ids="$id $(vault_id "$other")"
expect 0 "unlock another vault" -- env FBVAULT_PATH="$other" "$FBVAULT_BIN" unlock --for 5m
check "two keys" -- keys_are 2
# With this vault's id altered, lock names the keys it cannot tell apart.
cp "$FBVAULT_PATH" "$T/saved"
flip "$FBVAULT_PATH" 12 0x01
expect 0 "lock of a vault whose id was altered" -- fbv lock
err_has "2 timed-unlock keys of yours for other vault ids remain"
cp "$T/saved" "$FBVAULT_PATH"
expect 0 "lock --all" -- env FBVAULT_PATH=/nonexistent/vault "$FBVAULT_BIN" lock --all
err_has "revoked 2 timed-unlock keys"
check "no fbvault key left" -- keys_are 0
expect 77 "locked" -- nopass get tok
expect 0 "lock --all with none" -- fbv lock --all
err_has "revoked 0 timed-unlock keys"
finish
