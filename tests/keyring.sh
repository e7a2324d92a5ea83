# The desktop keyring slot against a real Secret Service: gnome-keyring-
# daemon on a private D-Bus session bus, with a throw-away HOME.
if [ -z "${FBV_IN_DBUS:-}" ]; then
	FBV_IN_DBUS=1 exec dbus-run-session -- bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

start_secret_service keyring-password
check "the Secret Service answers" -- secret-tool search --all nothing here

vault_id() { od -An -tx1 -j12 -N16 "${1:-$FBVAULT_PATH}" | tr -d ' \n'; }
item_count() { secret-tool search --all vault-id "$1" 2>&1 | grep -c '^attribute.vault-id'; }
# No passphrase source at all: no file, no terminal.
nopass() { setsid -w env -u FBVAULT_PASSPHRASE_FILE "$FBVAULT_BIN" "$@" < /dev/null; }

new_vault
echo v1 | fbv put tok || exit 1
expect 0 "keyring status before enable" -- fbv keyring status
check "status: no slot" -- grep -q '^keyring slot: no' "$T/out"
expect 0 "keyring enable" -- fbv keyring enable
id=$(vault_id)
check "one item for this vault" -- test "$(item_count "$id")" -eq 1
check "the item is labelled" -- sh -c 'secret-tool search --all vault-id "$1" 2>&1 | grep -q "label = fbvault key for the vault"' sh "$id"
secret-tool search --all vault-id "$id" > "$T/item" 2>&1
check "the item carries the vault id" -- grep -q "^attribute\.vault-id = $id\$" "$T/item"
check "the item's attributes: the vault id (and libsecret's schema), nothing else" -- sh -c \
	'test -z "$(grep "^attribute\." "$1" | grep -v "^attribute\.vault-id = $2\$" | grep -v "^attribute\.xdg:schema = org\.fbvault\.VaultKey\$")"' sh "$T/item" "$id"
expect 0 "get with no passphrase source at all" -- nopass get tok
check "keyring-opened value" -- test "$(cat "$T/out")" = v1
check "no notice when the keyring works" -- test ! -s "$T/err"
expect 0 "keyring status --json" -- fbv keyring status --json
check "status json" -- python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["keyring_slot"] is True and d["keyring_item"]=="present" and d["secret_service"]=="reachable", d' "$T/out"

# D-Bus unreachable: a notice, then the passphrase.
expect 0 "without D-Bus the passphrase is used" -- env -u DBUS_SESSION_BUS_ADDRESS "$FBVAULT_BIN" get tok
err_has "notice: the desktop keyring cannot be reached; using the passphrase from $T/pass (said once; --no-keyring or FBVAULT_NO_KEYRING=1 skips the keyring)"
expect 0 "without D-Bus again: the notice was said once" -- env -u DBUS_SESSION_BUS_ADDRESS "$FBVAULT_BIN" get tok
check "no second notice" -- test ! -s "$T/err"
expect 0 "without D-Bus, --passphrase-fd: said so" -- env -u DBUS_SESSION_BUS_ADDRESS -u FBVAULT_PASSPHRASE_FILE "$FBVAULT_BIN" --vault "$FBVAULT_PATH" --passphrase-fd 3 get tok 3< "$T/pass"
check "no notice either (one per vault and cause)" -- test ! -s "$T/err"
expect 77 "without D-Bus and without a passphrase: clear error" -- env -u DBUS_SESSION_BUS_ADDRESS setsid -w env -u FBVAULT_PASSPHRASE_FILE "$FBVAULT_BIN" get tok < /dev/null
check "error names the missing passphrase" -- grep -q "no terminal to ask for the passphrase" "$T/err"
expect 0 "--no-keyring skips the keyring silently" -- fbv --no-keyring get tok
check "--no-keyring: no notice" -- test ! -s "$T/err"
expect 77 "FBVAULT_NO_KEYRING=1 skips the keyring" -- env FBVAULT_NO_KEYRING=1 setsid -w env -u FBVAULT_PASSPHRASE_FILE "$FBVAULT_BIN" get tok < /dev/null

# A vault moved elsewhere still finds its key; a second vault gets its own.
mkdir -p "$T/moved"; chmod 700 "$T/moved"
cp -p "$FBVAULT_PATH" "$T/moved/renamed"
expect 0 "moved vault opens from the keyring" -- nopass --vault "$T/moved/renamed" get tok
second="$T/second/vault"
FBVAULT_PATH=$second fbv init --kdf interactive 2>/dev/null
echo v2 | FBVAULT_PATH=$second fbv put tok
expect 0 "enable on a second vault" -- env FBVAULT_PATH="$second" "$FBVAULT_BIN" keyring enable
id2=$(vault_id "$second")
check "two vaults, two ids" -- test "$id" != "$id2"
check "each vault has its own item" -- test "$(item_count "$id")" -eq 1 -a "$(item_count "$id2")" -eq 1
expect 0 "first vault still opens from the keyring" -- nopass get tok
check "first value" -- test "$(cat "$T/out")" = v1
expect 0 "second vault opens from the keyring" -- nopass --vault "$second" get tok
check "second value" -- test "$(cat "$T/out")" = v2

# A wrong item, then a deleted one: a clear notice, the passphrase works.
printf 'deadbeef' | secret-tool store --label=wrong --collection=login vault-id "$id" 2>/dev/null || \
	printf 'deadbeef' | secret-tool store --label=wrong vault-id "$id"
s=$(snapshot)
expect 0 "wrong item: passphrase still works" -- fbv get tok
err_has "no working key for this vault"
expect 77 "wrong item and no passphrase: clear error" -- nopass get tok
unchanged "$s" "wrong item"
secret-tool clear vault-id "$id"
check "item deleted" -- test "$(item_count "$id")" -eq 0
expect 0 "deleted item: passphrase still works" -- fbv get tok
check "the same cause again: no second notice" -- test ! -s "$T/err"
expect 0 "re-enable repairs it" -- fbv keyring enable
expect 0 "repaired: no passphrase needed" -- nopass get tok
expect 0 "without D-Bus after the keyring worked: the notice again" -- env -u DBUS_SESSION_BUS_ADDRESS "$FBVAULT_BIN" get tok
err_has "notice: the desktop keyring cannot be reached"

# doctor on a vault with a keyring slot, where D-Bus cannot be reached:
# a warning; with --no-keyring or FBVAULT_NO_KEYRING=1 none (the man
# page's cron health check must not always fire).
keyring_check() { python3 -c 'import json,sys; d={c["name"]: c for c in json.load(open(sys.argv[1]))["checks"]}; print(d["keyring"]["status"])' "$T/out"; }
env -u DBUS_SESSION_BUS_ADDRESS "$FBVAULT_BIN" doctor --json > "$T/out" 2> "$T/err"
check "doctor: the keyring check warns" -- test "$(keyring_check)" = warn
env -u DBUS_SESSION_BUS_ADDRESS "$FBVAULT_BIN" --no-keyring doctor --json > "$T/out" 2> "$T/err"
check "doctor --no-keyring: the keyring check is ok" -- test "$(keyring_check)" = ok
check "... and says why" -- grep -q 'not used here (--no-keyring or FBVAULT_NO_KEYRING)' "$T/out"
env -u DBUS_SESSION_BUS_ADDRESS FBVAULT_NO_KEYRING=1 "$FBVAULT_BIN" doctor --json > "$T/out" 2> "$T/err"
check "FBVAULT_NO_KEYRING=1 doctor: ok too" -- test "$(keyring_check)" = ok

# disable without D-Bus: refused before any change (the item would stay).
s=$(snapshot)
expect 69 "disable without D-Bus is refused" -- env -u DBUS_SESSION_BUS_ADDRESS "$FBVAULT_BIN" keyring disable
err_has "the vault is unchanged"
unchanged "$s" "disable without D-Bus"
check "the item is still there" -- test "$(item_count "$id")" -eq 1
expect 0 "and the keyring still opens the vault" -- nopass get tok

# disable removes the slot and the item. Whoever took the item's key and a
# copy of the file before keeps a key that opens that copy only.
secret-tool lookup vault-id "$id" > "$T/kek"
cp "$FBVAULT_PATH" "$T/before-disable"; chmod 600 "$T/before-disable"
"$FBVAULT_BUILD/tests/slotkey" --keyring "$T/before-disable" < "$T/kek" > "$T/ringkey"
check "the item and a copy give the keyring slot's key" -- test "$(stat -c %s "$T/ringkey")" = 40
expect 0 "keyring disable" -- fbv keyring disable
check "item removed" -- test "$(item_count "$id")" -eq 0
echo later | fbv put after-disable || exit 1
keyctl padd user "fbvault:$id" @u < "$T/ringkey" > /dev/null
expect 77 "the keyring slot's old key opens nothing written after disable" -- nopass get after-disable
mkdir -m 700 "$T/bd"; cp "$T/before-disable" "$T/bd/vault"; chmod 600 "$T/bd/vault"
expect 0 "it opens the old copy" -- nopass --no-keyring --accept-rollback --vault "$T/bd/vault" get tok
keyctl purge user "fbvault:$id" > /dev/null 2>&1
expect 77 "after disable the passphrase is needed" -- nopass get tok
expect 0 "keyring status after disable" -- fbv keyring status
check "status: no slot" -- grep -q '^keyring slot: no' "$T/out"
expect 0 "disable twice is harmless" -- fbv keyring disable
err_has "was not enabled"
s=$(snapshot)
expect 0 "disable without a slot touches no Secret Service" -- env -u DBUS_SESSION_BUS_ADDRESS "$FBVAULT_BIN" keyring disable
err_has "was not enabled"
unchanged "$s" "disable without a slot"
FBVAULT_PATH=$second fbv keyring disable 2>/dev/null

finish
