# SECURITY.md's promises, tried by an attacker on the same machine: a
# process of the same user (without CAP_SYS_PTRACE, as a user's processes
# are) against a running fbvault, and the child of fbvault exec. Each
# check asserts exactly what SECURITY.md's table says it gets.
. "$(dirname "$0")/lib.sh"

ATTACKER="$FBVAULT_SRC/tests/data/attacker.py"
# A process of the user: root's CAP_SYS_PTRACE (and CAP_IPC_LOCK) dropped.
USER_CAPS=(setpriv --bounding-set -sys_ptrace,-dac_read_search,-dac_override)
as_user() { "${USER_CAPS[@]}" "$@"; }

SECRET="EAAattackerToken$RANDOM$RANDOM"
APPSECRET="attacker-app-secret-$RANDOM$RANDOM"
new_vault
printf '%s\n' "$SECRET" | fbv put page/42
printf '%s\n' "$APPSECRET" | fbv put app-secret
printf '4242\n' | fbv put app-id
printf 'other\n' | fbv put other

# A running fbvault with the vault open: put, waiting for its value on a
# FIFO that stays open.
mkfifo "$T/fifo"
exec 7<> "$T/fifo"
"$FBVAULT_BIN" put waiting < "$T/fifo" 2> "$T/put.err" 7>&- &
VICTIM=$!
track_pid $VICTIM
# Past the KDF, the vault open, blocked reading the value from the FIFO.
wait_until 30 sh -c 'grep -q pipe /proc/$1/wchan' sh $VICTIM
check "the victim is waiting with the vault open" -- kill -0 $VICTIM
# The control: the same attacker reads an ordinary process of the user.
"${USER_CAPS[@]}" python3 -c 'import sys, time; s = sys.argv[1]; time.sleep(30)' "$SECRET" &
CONTROL=$!
track_pid $CONTROL
wait_until 10 sh -c 'grep -q time.sleep /proc/$1/cmdline && grep -q sleep /proc/$1/wchan' sh $CONTROL
as_user python3 "$ATTACKER" $CONTROL "$SECRET" > "$T/control" 2>&1
kill -KILL $CONTROL
check "control: the attacker reads an ordinary process's memory, secret and all" -- grep -q '^mem: got, with a secret' "$T/control"
check "control: and can ptrace it" -- grep -q '^ptrace: got' "$T/control"
as_user python3 "$ATTACKER" $VICTIM "$SECRET" "$APPSECRET" > "$T/attack" 2>&1
sed 's/^/  /' "$T/attack"
check "/proc/PID/mem of a running fbvault: denied" -- grep -q '^mem: denied' "$T/attack"
# Kernels differ on environ (6.x lets the same uid read it): either way it
# holds no secret, since fbvault never puts one in its own environment.
check "/proc/PID/environ: denied, or holds no secret" -- grep -Eq '^environ: (denied|got, no secret)' "$T/attack"
check "process_vm_readv: denied" -- grep -q '^process_vm_readv: denied' "$T/attack"
check "ptrace attach: denied" -- grep -q '^ptrace: denied' "$T/attack"
check "/proc/PID/cmdline: no secret in it" -- grep -q '^cmdline: got, no secret' "$T/attack"
check "its core-dump limit is 0" -- grep -q '^Max core file size *0 ' /proc/$VICTIM/limits
printf 'v\n' >&7
exec 7>&-
wait_until 30 sh -c '! kill -0 $1 2> /dev/null' sh $VICTIM
check "the victim then finishes its work" -- test "$(fbv get waiting)" = v

# The child of fbvault exec: the variables it asked for, no passphrase
# source, no descriptor of fbvault's, and the vault stays shut to it.
expect 0 "exec's child, as an attacker" -- fbv exec -e X=other -- python3 "$ATTACKER" child "$SECRET" "$APPSECRET"
sed 's/^/  /' "$T/out"
check "the child's environment holds no other secret than what it asked for" -- grep -q '^environ: got, no secret' "$T/out"
check "no passphrase file variable" -- grep -q '^FBVAULT_PASSPHRASE_FILE: absent' "$T/out"
check "the child sees its descriptors" -- grep -q '^descriptor 0: ' "$T/out"
check "none of them is fbvault's (vault, lock, passphrase file)" -- sh -c '! grep "^descriptor " "$1" | grep -qF -e "$2" -e "$3"' sh "$T/out" "$(dirname "$FBVAULT_PATH")" "$T/pass"
expect 77 "the child cannot open the vault itself" -- fbv exec -e X=other -- setsid -w sh -c '"$FBVAULT_BIN" get app-secret < /dev/null'
check "and says why" -- grep -q "no terminal to ask for the passphrase" "$T/err"

# The timed unlock: while it lasts, any process of the user can read the
# key from the kernel keyring (SECURITY.md says so); after lock, nothing.
# (Other tests' vaults may hold keys in the same @u: only ours is looked for.)
KEY_DESC="fbvault:$(od -An -tx1 -j12 -N16 "$FBVAULT_PATH" | tr -d ' \n')"
check "locked: no key for this vault in the user keyring" -- sh -c '! keyctl search @u user "$1" > /dev/null 2>&1' sh "$KEY_DESC"
expect 0 "unlock for 1m" -- fbv unlock --for 1m
check "unlocked: a same-user process finds and reads the key" -- sh -c 'id=$(keyctl search @u user "$1") && keyctl pipe "$id" | wc -c | grep -qv "^0$"' sh "$KEY_DESC"
expect 0 "lock" -- fbv lock
check "locked again: the key is gone" -- sh -c '! keyctl search @u user "$1" > /dev/null 2>&1' sh "$KEY_DESC"

# Files: nothing in TMPDIR, nothing under /tmp holds a secret.
mkdir -m 700 "$T/tmp"
TMPDIR="$T/tmp" fbv exec --page 42 -- true
printf '{{ fbvault:page/42 }}\n' | TMPDIR="$T/tmp" fbv inject > /dev/null
TMPDIR="$T/tmp" fbv env --page 42 > /dev/null
check "nothing left in TMPDIR" -- test -z "$(ls -A "$T/tmp")"
check "no file under /tmp holds a secret (the vault's own directory aside)" -- sh -c \
	'! find /tmp -xdev -type f -newer "$1" ! -path "$2/vault/*" ! -path "$2/out" ! -path "$2/err" ! -path "$2/attack" -print0 2>/dev/null | xargs -0r grep -lF -e "$3" -e "$4" 2>/dev/null | grep -q .' \
	sh "$T/fifo" "$T" "$SECRET" "$APPSECRET"

finish
