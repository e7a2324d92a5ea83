# Writers never lose each other's entries, and a writer killed at any
# moment leaves a vault that opens with every earlier entry.
. "$(dirname "$0")/lib.sh"

new_vault
WRITERS=${WRITERS:-2}
PUTS=${PUTS:-50}
KILLS=${KILLS:-60}

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
check "values intact" -- test "$(fbv get "w1/e$PUTS")" = "value-1-$PUTS"

# kill -9 at random moments during put: the vault always opens and holds
# every entry that an earlier, completed put stored.
new_vault
stored=0
survived=0
interrupted=0
for i in $(seq 1 "$KILLS"); do
	"$FBVAULT_BIN" put "k/e$i" <<< "v$i" &
	pid=$!
	sleep "0.$(printf '%03d' $(( $(od -An -tu2 -N2 /dev/urandom | tr -d ' ') % 250 )))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if ! fbv list > "$T/list" 2> "$T/err"; then
		not_ok "vault does not open after kill $i: $(cat "$T/err")"
		continue
	fi
	missing=0
	for j in $(seq 1 "$stored"); do
		grep -q "^k/e$j	" "$T/list" || missing=$((missing + 1))
	done
	[ "$missing" -eq 0 ] && survived=$((survived + 1)) || not_ok "kill $i lost $missing entries"
	# Complete this entry so that the next round has one more to keep.
	if ! grep -q "^k/e$i	" "$T/list"; then
		interrupted=$((interrupted + 1))
		echo "v$i" | fbv put "k/e$i" || not_ok "re-put $i"
	fi
	stored=$i
done
check "$survived of $KILLS kills survived" -- test "$survived" -eq "$KILLS"
check "no temporary file left behind after the next write" -- test ! -e "$FBVAULT_PATH.tmp"
printf '%s kills during put (%s before the put completed), %s survived with every entry\n' \
	"$KILLS" "$interrupted" "$survived"
check "some kills landed mid-put" -- test "$interrupted" -gt 0
finish
