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

# The use log under concurrent writers, across its trim: with the log just
# under its bound, one writer's append trims it (a new file renamed over
# it) while the others wait on the old file's lock; each must then log to
# the new file. No line lost, none written twice, the bound kept.
LOG=$HOME/.local/state/fbvault/use.log
GETS=10
reader() {
	local i
	for i in $(seq 1 "$GETS"); do
		fbv get "w$1/e$(($2 * GETS + i))" > /dev/null || echo "reader $1 get $i failed" >&2
	done
}
for round in 1 2 3; do
	python3 -c '
import os, sys
with open(sys.argv[1], "a") as f:
    i = 0
    while os.path.getsize(sys.argv[1]) + 25 < 262144 - 300:
        f.write("%d get filler/%d\n" % (1000000000 + i, i)); f.flush(); i += 1' "$LOG"
	pids=""
	for w in $(seq 1 "$WRITERS"); do
		reader "$w" "$round" 2> "$T/reader$w.err" &
		pids="$pids $!"
	done
	wait $pids
	check "use log round $round: no reader failed" -- sh -c '! cat "$1"/reader*.err | grep -q .' sh "$T"
	check "use log round $round: every get logged once, across the trim" -- python3 -c '
import sys
log, writers, gets, rnd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
names = [l.split(" ")[2] for l in open(log).read().splitlines() if " get " in l]
for w in range(1, writers + 1):
    for i in range(1, gets + 1):
        n = "w%d/e%d" % (w, rnd * gets + i)
        assert names.count(n) == 1, (n, names.count(n))
assert not any(n.startswith("filler/") for n in names[-writers * gets:])' "$LOG" "$WRITERS" "$GETS" "$round"
	check "use log round $round: trimmed, within its bound" -- \
		sh -c 'test "$(stat -c %s "$1")" -le 262144 && test "$(stat -c %s "$1")" -lt 200000' sh "$LOG"
done

# A file-size limit during the save: 74, the vault unchanged, no temp file.
s=$(snapshot)
head -c 300000 /dev/urandom > "$T/big"
expect 74 "save past RLIMIT_FSIZE" -- prlimit --fsize=200000 "$FBVAULT_BIN" put --binary big < "$T/big"
err_has "the vault is unchanged"
unchanged "$s" "file-size limit"
check "no temp file left after a failed save" -- test ! -e "$FBVAULT_PATH.tmp"
expect 66 "the big entry is not there" -- fbv get big
finish
