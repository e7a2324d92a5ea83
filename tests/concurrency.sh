# Concurrent writers never lose each other's entries; a file-size limit
# during save fails cleanly. Writers use the timed unlock, so the KDF does
# not dominate; the lock and the atomic save are what is exercised.
. "$(dirname "$0")/lib.sh"

WRITERS=${WRITERS:-4}
PUTS=${PUTS:-100}
new_vault
CLEANUP_HOOK='"$FBVAULT_BIN" lock >/dev/null 2>&1'
fbv unlock --for 10m 2>/dev/null || { echo "unlock failed" >&2; exit 1; }

writer() {
	local i
	for i in $(seq 1 "$PUTS"); do
		echo "value-$1-$i" | fbv put "w$1/e$i" || echo "writer $1 put $i failed" >&2
	done
}
pids=""
for w in $(seq 1 "$WRITERS"); do
	writer "$w" 2> "$T/writer$w.err" &
	pids="$pids $!"
done
wait $pids
expect 0 "list after concurrent puts" -- fbv list
check "$WRITERS writers x $PUTS puts = $((WRITERS * PUTS)) entries" -- \
	test "$(wc -l < "$T/out")" -eq $((WRITERS * PUTS))
check "no writer reported a failure" -- sh -c '! cat "$1"/writer*.err | grep -q .' sh "$T"
check "values intact" -- test "$(fbv get "w$WRITERS/e$PUTS")" = "value-$WRITERS-$PUTS"
printf '%d writers x %d puts: %d entries\n' "$WRITERS" "$PUTS" "$(wc -l < "$T/out")"

# A file-size limit during the save: 74, the vault unchanged, no temp file.
s=$(snapshot)
head -c 300000 /dev/urandom > "$T/big"
expect 74 "save past RLIMIT_FSIZE" -- prlimit --fsize=200000 "$FBVAULT_BIN" put --binary big < "$T/big"
err_has "the vault is unchanged"
unchanged "$s" "file-size limit"
check "no temp file left after a failed save" -- test ! -e "$FBVAULT_PATH.tmp"
expect 66 "the big entry is not there" -- fbv get big
finish
