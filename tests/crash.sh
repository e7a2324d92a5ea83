# Crash consistency: kill -9 at random moments during put, rm and passwd.
# After each kill the vault opens and holds the old or the new state, never
# less. KILLS sets the number of kills (CI: 150; docs/RELIABILITY.md: 1000).
. "$(dirname "$0")/lib.sh"

KILLS=${KILLS:-150}
new_vault
CLEANUP_HOOK='"$FBVAULT_BIN" lock >/dev/null 2>&1'
printf 'first passphrase\n' > "$T/passA"
printf 'second passphrase\n' > "$T/passB"
chmod 600 "$T/passA" "$T/passB"
cp "$T/pass" "$T/passC"
current="$T/passC"
fbv unlock --for 30m 2>/dev/null || exit 1

# A random pause in seconds, up to $1 milliseconds.
pause() { sleep "$(printf '0.%03d' $((RANDOM % $1)))"; }

confirmed=""      # entries every later state must hold
n=0
interrupted=0
bad=0
for i in $(seq 1 "$KILLS"); do
	op=$((RANDOM % 4))
	case $op in
	0|1)    n=$((n + 1)); name="k/e$n"
		"$FBVAULT_BIN" put "$name" <<< "v$n" 2>/dev/null & pid=$!; pause 6 ;;
	2)      set -- $confirmed; [ $# -gt 1 ] || continue
		name=$1
		"$FBVAULT_BIN" rm "$name" 2>/dev/null & pid=$!; pause 6 ;;
	3)      name=""
		next="$T/passA"; [ "$current" = "$T/passA" ] && next="$T/passB"
		FBVAULT_NEW_PASSPHRASE_FILE=$next "$FBVAULT_BIN" passwd 2>/dev/null & pid=$!
		pause 300 ;;
	esac
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ $? -eq 137 ] && interrupted=$((interrupted + 1))
	if ! fbv list > "$T/list" 2> "$T/err"; then
		not_ok "kill $i (op $op): the vault does not open: $(cat "$T/err")"; bad=$((bad + 1)); continue
	fi
	# Every confirmed entry (but the one rm may have removed) is listed.
	cut -f1 "$T/list" > "$T/names"
	lost=$(printf '%s\n' $confirmed | grep -vxF -e "${name:-/}" | grep -vxF -f "$T/names" | grep -c . || true)
	[ "$lost" -eq 0 ] || { not_ok "kill $i (op $op) lost $lost entries"; bad=$((bad + 1)); }
	case $op in
	0|1)    grep -q "^$name	" "$T/list" && confirmed="$confirmed $name" ;;
	2)      grep -q "^$name	" "$T/list" || confirmed=$(printf '%s\n' $confirmed | grep -vx "$name" | tr '\n' ' ') ;;
	3)      # The passphrase slot opens with the old or the new passphrase.
		fbv lock 2>/dev/null
		if FBVAULT_PASSPHRASE_FILE=$next "$FBVAULT_BIN" list > /dev/null 2>&1; then
			current=$next
		elif ! FBVAULT_PASSPHRASE_FILE=$current "$FBVAULT_BIN" list > /dev/null 2>&1; then
			not_ok "kill $i: neither passphrase opens after passwd"; bad=$((bad + 1))
		fi
		FBVAULT_PASSPHRASE_FILE=$current "$FBVAULT_BIN" unlock --for 30m 2>/dev/null ;;
	esac
done
check "$KILLS kills, every state complete" -- test "$bad" -eq 0
check "some kills landed while the command ran" -- test "$interrupted" -gt 0
fbv lock 2>/dev/null
expect 0 "final vault opens with the current passphrase" -- env FBVAULT_PASSPHRASE_FILE="$current" "$FBVAULT_BIN" --no-keyring list
printf '%d kills (%d killed mid-command), %d entries kept, %d failures\n' \
	"$KILLS" "$interrupted" "$(wc -w <<< "$confirmed")" "$bad"
finish
