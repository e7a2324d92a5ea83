# Secret hygiene: typing at a real terminal echoes nothing; a waiting
# fbvault is not dumpable and has no core limit; no secret reaches argv,
# an error message, or any file but the vault.
. "$(dirname "$0")/lib.sh"

# A vault that belongs to nobody, so that /proc shows non-dumpability.
NB_UID=$(id -u nobody) NB_GID=$(getent group nogroup | cut -d: -f3)
chmod 711 "$T"
mkdir -m 700 "$T/nb"
printf 'nobody passphrase\n' > "$T/nb/pass"
chmod 600 "$T/nb/pass"
chown -R "$NB_UID:$NB_GID" "$T/nb"
as_nobody() { setpriv --reuid="$NB_UID" --regid="$NB_GID" --clear-groups env HOME="$T/nb" FBVAULT_PATH="$T/nb/vault" "$@"; }
as_nobody env FBVAULT_PASSPHRASE_FILE="$T/nb/pass" "$FBVAULT_BIN" init --kdf interactive 2>/dev/null
printf 'typed-on-a-tty-value\n' | as_nobody env FBVAULT_PASSPHRASE_FILE="$T/nb/pass" "$FBVAULT_BIN" put x

prompt() { FBVAULT_PATH="$T/nb/vault" HOME="$T/nb" python3 "$FBVAULT_SRC/tests/pty_prompt.py" "$FBVAULT_BIN" "$NB_UID" "$NB_GID" "$@"; }
unset FBVAULT_PASSPHRASE_FILE
expect 0 "passphrase typed at a pty: get" -- prompt "Passphrase: " "nobody passphrase" typed-on-a-tty-value -- get x
cat "$T/out" | sed 's/^/  /'
expect 0 "value typed at a pty: put (passphrase from a file)" -- prompt "Value for y (not shown): " "EAAtypedTokenValue123" "" -- --passphrase-fd 3 put y 3<"$T/nb/pass"
cat "$T/out" | sed 's/^/  /'
check "the typed value was stored" -- test "$(as_nobody env FBVAULT_PASSPHRASE_FILE="$T/nb/pass" "$FBVAULT_BIN" get y)" = EAAtypedTokenValue123
export FBVAULT_PASSPHRASE_FILE="$T/pass"

# A whole session of everyday commands; then no file but the vault holds
# a secret, and no message carried one.
SECRET1="EAAhygieneToken$RANDOM$RANDOM"
SECRET2="hygiene-app-secret-$RANDOM"
new_vault
printf '%s\n' "$SECRET1" | fbv put page/42 2> "$T/log"
printf '%s\n' "$SECRET2" | fbv put app-secret 2>> "$T/log"
printf '4242\n' | fbv put app-id 2>> "$T/log"
fbv get nothing >> "$T/log" 2>&1
fbv list >> "$T/log" 2>&1
fbv list --json >> "$T/log" 2>&1
fbv exec --page 42 -- sh -c 'test -n "$FB_PAGE_ACCESS_TOKEN"' >> "$T/log" 2>&1
fbv exec --page 42 -- cat /proc/self/cmdline >> "$T/log" 2>&1
printf 'x\n' | fbv put page/42 >> "$T/log" 2>&1
fbv passwd --new-passphrase-fd 3 3< "$T/pass" >> "$T/log" 2>&1
FBVAULT_PASSPHRASE_FILE="$T/wrongpass" fbv get page/42 >> "$T/log" 2>&1
fbv unlock --for 1m >> "$T/log" 2>&1
fbv status >> "$T/log" 2>&1
fbv lock >> "$T/log" 2>&1
check "no secret in any message or listing" -- sh -c '! grep -qF -e "$1" -e "$2" "$3"' sh "$SECRET1" "$SECRET2" "$T/log"
files=$(find "$T" -type f ! -path "$FBVAULT_PATH" ! -path "$T/nb/*")
check "no file but the vault holds a secret ($(echo "$files" | wc -l) files scanned)" -- \
	sh -c '! grep -rlF -e "$1" -e "$2" $3' sh "$SECRET1" "$SECRET2" "$files"
check "the vault itself does not hold them in clear" -- sh -c '! grep -qF -e "$1" -e "$2" "$3"' sh "$SECRET1" "$SECRET2" "$FBVAULT_PATH"
finish
