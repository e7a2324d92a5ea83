# exec, env and inject end to end: which variables a child gets and which
# it never gets, exit codes and signals passed through, the env formats
# round-tripping any bytes, inject's references, output file and errors.
. "$(dirname "$0")/lib.sh"

# child_env_is VAR=VALUE...: the environment a child dumped with env -0 into
# $T/child.env is this shell's, less the passphrase files and any inherited
# page variable, plus exactly the given variables.
child_env_is() {
	env -0 > "$T/parent.env"
	python3 - "$T/parent.env" "$T/child.env" "$@" <<'EOF'
import sys
def load(path):
    d = {}
    for kv in open(path, 'rb').read().split(b'\0'):
        if kv:
            k, _, v = kv.partition(b'=')
            d[k] = v
    d.pop(b'_', None)  # bash sets it to the command it runs
    return d
parent, child = load(sys.argv[1]), load(sys.argv[2])
# Under scripts/valgrind ($VG_LOG_DIR set), fbvault runs in memcheck, which
# hands its environment on with its own additions: its preloaded libraries,
# /usr/lib/debug in LD_LIBRARY_PATH, GLIBCXX_FORCE_NEW. Those, and only
# those, are taken out again.
import os
if os.environ.get('VG_LOG_DIR'):
    for k, mine in ((b'LD_PRELOAD', lambda p: b'/vgpreload_' in p),
                    (b'LD_LIBRARY_PATH', lambda p: p == b'/usr/lib/debug')):
        if k in child:
            kept = [p for p in child[k].split(b':') if p and not mine(p)]
            if kept or k in parent:
                child[k] = b':'.join(kept)
            else:
                del child[k]
    for k in (b'GLIBCPP_FORCE_NEW', b'GLIBCXX_FORCE_NEW'):
        if k not in parent and child.get(k) == b'1':
            del child[k]
want = dict(parent)
for k in ['FBVAULT_PASSPHRASE_FILE', 'FBVAULT_NEW_PASSPHRASE_FILE', 'FB_PAGE_ID',
          'FB_PAGE_ACCESS_TOKEN', 'FB_APP_ID', 'FB_APPSECRET_PROOF', 'FB_TOKEN_EXPIRES_AT']:
    want.pop(k.encode(), None)
for a in sys.argv[3:]:
    k, _, v = a.encode().partition(b'=')
    want[k] = v
if child != want:
    bad = sorted(k.decode() for k in set(child) | set(want) if child.get(k) != want.get(k))
    sys.exit('child environment differs in: %s' % ' '.join(bad))
EOF
}

# no_leak FILE VALUE...: none of the values occurs in FILE.
no_leak() {
	local f=$1 v
	shift
	for v in "$@"; do
		if grep -qF -- "$v" "$f"; then return 1; fi
	done
	return 0
}

proof() {
	python3 -c 'import hmac, hashlib, sys
print(hmac.new(sys.argv[1].encode(), sys.argv[2].encode(), hashlib.sha256).hexdigest())' "$1" "$2"
}

TOKEN=EAAtestpagetokenONE1234
TOKEN2=EAAtestpagetokenTWO5678
APP_ID=987654321
SECRET=appsecretvalue0042
USER_TOKEN=EAAtestusertokenXYZ
OTHER=unrelated-secret-value

# No vault, then a vault without pages.
expect 66 "exec without a vault" -- fbv exec true
err_has "no vault at $FBVAULT_PATH"
expect 66 "env without a vault" -- fbv env
new_vault
s=$(snapshot)
expect 66 "exec without a page" -- fbv exec true
err_has "run: fbvault login"
unchanged "$s" "exec without a page"

# The app id and secret are needed for the page variables; each is named.
printf '%s' "$TOKEN" | fbv put page/1234 && ok || not_ok "put page/1234"
s=$(snapshot)
expect 66 "exec without app-id" -- fbv exec true
err_has "no app-id entry"
printf '%s' "$APP_ID" | fbv put app-id && ok || not_ok "put app-id"
s=$(snapshot)
expect 66 "exec without app-secret" -- fbv exec true
err_has "no app-secret entry"
unchanged "$s" "exec without app-secret"
printf '%s' "$SECRET" | fbv put app-secret && ok || not_ok "put app-secret"
printf '%s' "$USER_TOKEN" | fbv put user-token && ok || not_ok "put user-token"
printf '%s' "$OTHER" | fbv put other && ok || not_ok "put other"
PROOF=$(proof "$SECRET" "$TOKEN")
PROOF2=$(proof "$SECRET" "$TOKEN2")
s=$(snapshot)

# The one page: exactly the page variables and the marker, nothing else;
# stale inherited page variables and the passphrase files are dropped.
expect 0 "exec with the only page" -- env FB_PAGE_ACCESS_TOKEN=stale FB_TOKEN_EXPIRES_AT=1 \
	FBVAULT_NEW_PASSPHRASE_FILE="$T/pass" "$FBVAULT_BIN" exec env -0
cp "$T/out" "$T/child.env"
check "the child gets the page variables and nothing else" -- child_env_is FBVAULT_EXEC=1 \
	FB_PAGE_ID=1234 FB_PAGE_ACCESS_TOKEN="$TOKEN" FB_APP_ID="$APP_ID" FB_APPSECRET_PROOF="$PROOF"
check "no other entry's value reaches the child" -- no_leak "$T/child.env" "$SECRET" "$USER_TOKEN" "$OTHER" stale
check "no passphrase file reaches the child" -- no_leak "$T/child.env" "$T/pass"
check "FB_TOKEN_EXPIRES_AT is absent when the expiry is unknown" -- no_leak "$T/child.env" FB_TOKEN_EXPIRES_AT

# The App Secret only when asked for by name.
expect 0 "exec -e with the app secret" -- fbv exec --page 1234 -e S=app-secret -e U=user-token env -0
cp "$T/out" "$T/child.env"
check "-e adds exactly the named entries" -- child_env_is FBVAULT_EXEC=1 FB_PAGE_ID=1234 \
	FB_PAGE_ACCESS_TOKEN="$TOKEN" FB_APP_ID="$APP_ID" FB_APPSECRET_PROOF="$PROOF" \
	S="$SECRET" U="$USER_TOKEN"
expect 0 "exec -e without --page" -- env FB_PAGE_ID=1 FB_PAGE_ACCESS_TOKEN=stale FB_APP_ID=1 \
	FB_APPSECRET_PROOF=stale FB_TOKEN_EXPIRES_AT=1 "$FBVAULT_BIN" exec -e MY_TOKEN=user-token env -0
cp "$T/out" "$T/child.env"
check "-e alone sets only its variables, inherited page ones dropped" -- child_env_is FBVAULT_EXEC=1 MY_TOKEN="$USER_TOKEN"
check "-e alone leaks nothing else" -- no_leak "$T/child.env" "$TOKEN" "$SECRET" "$OTHER" "$PROOF" stale
expect 0 "an inherited variable named by -e is replaced" -- env MY_TOKEN=old "$FBVAULT_BIN" exec \
	-e MY_TOKEN=other env -0
cp "$T/out" "$T/child.env"
check "the -e value wins over the inherited one" -- child_env_is FBVAULT_EXEC=1 MY_TOKEN="$OTHER"

# Several pages: a choice is needed, and --page makes it.
printf '%s' "$TOKEN2" | fbv put page/5678 && ok || not_ok "put page/5678"
s=$(snapshot)
expect 64 "exec with two pages and no --page" -- fbv exec true
err_has "name one with --page PAGE_ID: 1234, 5678"
expect 66 "exec --page of an unknown page" -- fbv exec --page 999 true
err_has "no page 999 in the vault; its pages: 1234, 5678"
expect 64 "exec --page with an invalid id" -- fbv exec --page ../x true
expect 0 "exec --page 5678" -- fbv exec --page 5678 env -0
cp "$T/out" "$T/child.env"
check "--page picks that page" -- child_env_is FBVAULT_EXEC=1 FB_PAGE_ID=5678 \
	FB_PAGE_ACCESS_TOKEN="$TOKEN2" FB_APP_ID="$APP_ID" FB_APPSECRET_PROOF="$PROOF2"
check "the other page's token stays behind" -- no_leak "$T/child.env" "$TOKEN"
unchanged "$s" "page selection"

# -e checks, each before the command runs.
expect 64 "-e with an invalid variable name" -- fbv exec -e 1X=app-id true
err_has "not a valid variable name"
expect 64 "-e with a dash in the variable" -- fbv exec -e A-B=app-id true
expect 64 "-e without =" -- fbv exec -e app-id true
expect 64 "-e with an invalid entry name" -- fbv exec -e X=a/../b true
err_has "invalid entry name 'a/../b'"
expect 66 "-e with an unknown entry" -- fbv exec -e X=nothing true
err_has "no entry 'nothing'"
expect 64 "a variable given twice" -- fbv exec --page 1234 -e FB_PAGE_ID=other true
err_has "variable FB_PAGE_ID is given twice"
expect 64 "exec without a command" -- fbv exec -e X=other
printf 'a\0b' | fbv put --binary nul && ok || not_ok "put a value with a NUL"
s=$(snapshot)
expect 64 "a value with a NUL byte" -- fbv exec -e X=nul true
err_has "entry 'nul' holds a NUL byte"
expect 64 "env of a value with a NUL byte" -- fbv env -e X=nul
unchanged "$s" "-e refusals"

# The child's argv is exactly what was typed; options after CMD are its own.
expect 0 "argv passes through" -- fbv exec -e X=other -- printf '%s|' -e 'a b' -- '$X' "it's"
check "argv exact" -- test "$(cat "$T/out")" = "-e|a b|--|\$X|it's|"
expect 0 "no token on the child's command line" -- fbv exec --page 1234 sh -c 'cat /proc/$$/cmdline'
check "cmdline is the command as typed" -- test "$(tr '\0' ' ' < "$T/out")" = 'sh -c cat /proc/$$/cmdline '
check "cmdline holds no token" -- no_leak "$T/out" "$TOKEN" "$PROOF" "$APP_ID"
"$FBVAULT_BIN" exec --page 1234 sleep 30 2>/dev/null &
p=$!
for i in $(seq 1 100); do
	[ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] && break
	sleep 0.1
done
tr '\0' ' ' < /proc/$p/cmdline > "$T/cmdline"
kill "$p"
wait "$p" 2>/dev/null
check "a running child's cmdline, read from outside" -- test "$(cat "$T/cmdline")" = 'sleep 30 '

# Exit codes and signals are the child's own, and no fbvault lingers.
for code in 0 3 255; do
	expect "$code" "exit $code passes through" -- fbv exec -e X=other sh -c "exit $code"
done
check "a child killed by SIGTERM: bash sees 143" -- test "$(bash -c '"$FBVAULT_BIN" exec -e X=other sh -c "kill -TERM \$\$"; echo $?' 2>/dev/null)" = 143
check "a child killed by SIGTERM: the parent sees the signal" -- python3 -c '
import os, signal, subprocess, sys
r = subprocess.run([os.environ["FBVAULT_BIN"], "exec", "-e", "X=other", "sh", "-c", "kill -TERM $$"])
sys.exit(0 if r.returncode == -signal.SIGTERM else "returncode %d" % r.returncode)'
"$FBVAULT_BIN" exec -e X=other sh -c 'echo $$; cat /proc/$$/comm' > "$T/pid" 2>/dev/null &
p=$!
wait "$p"
check "the child is the process fbvault was (execvp, no fork)" -- test "$(head -n1 "$T/pid")" = "$p"
check "fbvault is gone from that process" -- test "$(sed -n 2p "$T/pid")" = sh

# Command not found, not executable.
expect 127 "a command that does not exist" -- fbv exec -e X=other no-such-command-here
err_has "fbvault: no-such-command-here: command not found"
expect 127 "a path that does not exist" -- fbv exec -e X=other "$T/nothing"
printf '#!/bin/sh\necho hi\n' > "$T/noexec.sh"
chmod 644 "$T/noexec.sh"
expect 126 "a file without execute permission" -- fbv exec -e X=other "$T/noexec.sh"
err_has "$T/noexec.sh: permission denied"
expect 126 "a directory" -- fbv exec -e X=other "$T"

# Nested exec: refused unless asked for.
expect 64 "nested exec is refused" -- fbv exec -e X=other "$FBVAULT_BIN" exec -e Y=other true
err_has "already running under fbvault exec"
expect 0 "nested exec with --allow-nested" -- fbv exec --page 1234 sh -c \
	'"$FBVAULT_BIN" exec --allow-nested --passphrase-fd 3 --page 5678 sh -c "echo \$FB_PAGE_ID \$FBVAULT_EXEC" 3< "$1"' \
	sh "$T/pass"
check "the nested child sees its own page" -- test "$(cat "$T/out")" = "5678 1"

# A --passphrase-fd descriptor does not reach the child.
expect 0 "--passphrase-fd is closed before exec" -- env -u FBVAULT_PASSPHRASE_FILE \
	sh -c '"$FBVAULT_BIN" exec --passphrase-fd 7 -e X=other sh -c "test ! -e /proc/\$\$/fd/7 && echo closed" 7< "$1"' sh "$T/pass"
check "fd 7 was closed" -- test "$(cat "$T/out")" = closed

# --min-ttl: a token whose expiry is unknown is refused.
s=$(snapshot)
expect 77 "--min-ttl with an unknown expiry" -- fbv exec --page 1234 --min-ttl 7d true
err_has "page/1234: its expiry is unknown"
expect 77 "--min-ttl applies to a token named by -e" -- fbv exec -e T=user-token --min-ttl 1h true
err_has "user-token: its expiry is unknown"
expect 64 "--min-ttl with no token" -- fbv exec -e X=other --min-ttl 1h true
expect 64 "--min-ttl with a bad duration" -- fbv exec --page 1234 --min-ttl soon true
err_has "--min-ttl wants a duration"
unchanged "$s" "--min-ttl refusals"

# env: the same variables, in three formats that keep every byte.
printf 'it'\''s "q" $HOME `id` \\ \\n back\\slash\nnew line\ttab\r é '\''\n' > "$T/tricky"
fbv put --binary tricky < "$T/tricky" && ok || not_ok "put tricky"
expect 0 "env --format shell" -- fbv env --page 1234 -e V=tricky
check "shell form: page variables" -- grep -qxF "export FB_PAGE_ACCESS_TOKEN='$TOKEN'" "$T/out"
check "shell form: the App Secret is absent" -- no_leak "$T/out" "$SECRET"
check "shell form round-trips through eval" -- bash -c 'eval "$(cat "$1")" && printf %s "$V" > "$1.v" && cmp -s "$1.v" "$2" && test "$FB_APPSECRET_PROOF" = "$3"' sh "$T/out" "$T/tricky" "$PROOF"
check "shell form works in sh too" -- sh -c 'eval "$(cat "$1")" && printf %s "$V" > "$1.v" && cmp -s "$1.v" "$2"' sh "$T/out" "$T/tricky"
# dotenv: a value that sh and the dotenv libraries read back alike goes out
# as it is; any other is refused, naming the entry and the formats that work.
s=$(snapshot)
expect 64 "env --format dotenv refuses a value it cannot carry" -- fbv env -e V=tricky --format dotenv
err_has "entry 'tricky' holds what dotenv readers do not read back alike"
check "the refusal names the formats that work" -- grep -qF "use --format shell or --format json" "$T/err"
check "nothing was printed" -- test ! -s "$T/out"
unchanged "$s" "dotenv refusal"
for v in 'a$b' 'a`id`' 'a\b' 'a"b' "$(printf 'a\nb')" "$(printf 'a\tb')" "$(printf 'a\377b')"; do
	printf '%s' "$v" | fbv put --force --binary odd 2>/dev/null
	expect 64 "dotenv refuses $(printf %q "$v")" -- fbv env -e V=odd --format dotenv
done
printf "it's a plain value #1 = é, with  spaces " > "$T/plain"
fbv put --binary plain < "$T/plain" && ok || not_ok "put plain"
expect 0 "env --format dotenv" -- fbv env -e V=plain -e A=app-id --format dotenv
check "dotenv form: one line per variable" -- test "$(wc -l < "$T/out")" -eq 2
check "dotenv form read back by sh" -- sh -c 'set -a; . "$1"; printf %s "$V" > "$1.v"; cmp -s "$1.v" "$2" && test "$A" = "$3"' sh "$T/out" "$T/plain" "$APP_ID"
py_dotenv=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import dotenv' 2> /dev/null; then py_dotenv=$p; break; fi
done
check "python-dotenv is installed (scripts/install-deps)" -- test -n "$py_dotenv"
check "dotenv form read back by python-dotenv" -- "${py_dotenv:-false}" - "$T/out" "$T/plain" "$APP_ID" <<'EOF'
import sys
from dotenv import dotenv_values
got = dict(dotenv_values(sys.argv[1]))
assert got == {'V': open(sys.argv[2], encoding='utf-8').read(), 'A': sys.argv[3]}, got
EOF
expect 0 "env --format json" -- fbv env --page 1234 -e V=tricky --format json
check "json form round-trips" -- python3 - "$T/out" "$T/tricky" "$TOKEN" "$PROOF" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], 'rb'))
assert list(d) == ['FB_PAGE_ID', 'FB_PAGE_ACCESS_TOKEN', 'FB_APP_ID', 'FB_APPSECRET_PROOF', 'V'], d
assert d['V'].encode() == open(sys.argv[2], 'rb').read()
assert d['FB_PAGE_ACCESS_TOKEN'] == sys.argv[3] and d['FB_APPSECRET_PROOF'] == sys.argv[4]
EOF
printf '\377\376' | fbv put --binary latin && ok || not_ok "put a non-UTF-8 value"
expect 64 "json refuses a value that is not UTF-8" -- fbv env -e V=latin --format json
err_has "entry 'latin' is not UTF-8"
expect 0 "shell form carries it" -- fbv env -e V=latin
expect 64 "env --format yaml" -- fbv env --format yaml
expect 64 "env with an argument" -- fbv env extra
expect 0 "env works under exec" -- fbv exec -e X=other "$FBVAULT_BIN" env --passphrase-fd 3 -e Y=other 3< "$T/pass"
check "env under exec prints" -- grep -qxF "export Y='$OTHER'" "$T/out"

# env refuses a terminal unless --force.
s=$(snapshot)
cmd=$(printf '%q ' "$FBVAULT_BIN" env --page 1234)
expect 64 "env to a terminal" -- script -qec "$cmd" /dev/null
check "the refusal says why" -- grep -qF "refusing to print tokens to a terminal" "$T/out"
check "no token on the terminal" -- no_leak "$T/out" "$TOKEN"
expect 0 "env --force to a terminal" -- script -qec "$cmd --force" /dev/null
check "--force prints the token" -- grep -qF "$TOKEN" "$T/out"
unchanged "$s" "env to a terminal"

# inject: references replaced, other braces left alone, binary values kept.
cat > "$T/tpl" <<'EOF'
token={{ fbvault:page/1234 }}
id={{fbvault:app-id}} tabs={{	fbvault:app-id	}}
keep={{ other }} {{ .Values.x }} {{{ fbvault:app-id }}}
EOF
expect 0 "inject -i" -- fbv inject -i "$T/tpl"
printf 'token=%s\nid=%s tabs=%s\nkeep={{ other }} {{ .Values.x }} {%s}\n' "$TOKEN" "$APP_ID" "$APP_ID" "$APP_ID" > "$T/want"
check "inject output" -- cmp -s "$T/out" "$T/want"
expect 0 "inject from stdin" -- sh -c '"$FBVAULT_BIN" inject < "$1"' sh "$T/tpl"
check "inject from stdin output" -- cmp -s "$T/out" "$T/want"
head -c 3000 /dev/urandom > "$T/bin"
printf '\0\n{{ fbvault:x }}\0' >> "$T/bin"
fbv put --binary bin < "$T/bin" && ok || not_ok "put bin"
printf 'A{{ fbvault:bin }}B' > "$T/tpl.bin"
{ printf A; cat "$T/bin"; printf B; } > "$T/want.bin"
expect 0 "inject a binary value" -- fbv inject -i "$T/tpl.bin"
check "binary value byte for byte" -- cmp -s "$T/out" "$T/want.bin"
expect 74 "inject -o into a missing directory" -- fbv inject -i "$T/tpl" -o "$T/dir/conf"
mkdir -p "$T/dir"
expect 0 "inject -o" -- sh -c 'umask 000; "$FBVAULT_BIN" inject -i "$1" -o "$2"' sh "$T/tpl" "$T/dir/conf"
check "-o output" -- cmp -s "$T/dir/conf" "$T/want"
check "-o output is 0600" -- test "$(stat -c %a "$T/dir/conf")" = 600
check "-o writes nothing to stdout" -- test ! -s "$T/out"
printf 'old' > "$T/dir/old"; chmod 644 "$T/dir/old"
printf 'mine' > "$T/dir/old.tmp"
expect 0 "inject -o over an existing file" -- fbv inject -i "$T/tpl" -o "$T/dir/old"
check "replaced with mode 0600" -- test "$(stat -c %a "$T/dir/old")" = 600
check "replaced content" -- cmp -s "$T/dir/old" "$T/want"
check "someone's OUTPUT.tmp is left alone" -- test "$(cat "$T/dir/old.tmp")" = mine
check "no temporary file left" -- test "$(ls "$T/dir" | sort | tr '\n' ' ')" = "conf old old.tmp "

# inject failures: line number, exit code, nothing written.
printf 'a\nb {{ fbvault:app-id }}\nc {{ fbvault:missing }}\n' > "$T/tpl.unknown"
printf 'a\nb {{ fbvault:app-id\n}}\n' > "$T/tpl.open"
printf 'a\n\n\nd {{ fbvault:app-id x }}\n' > "$T/tpl.junk"
printf '{{ fbvault:a/../b }}\n' > "$T/tpl.badname"
printf '{{ fbvault: }}\n' > "$T/tpl.empty"
printf 'x {{ fbvault:app-id' > "$T/tpl.eof"
s=$(snapshot)
expect 66 "inject with an unknown name" -- fbv inject -i "$T/tpl.unknown" -o "$T/dir/new"
err_has "fbvault: $T/tpl.unknown:3: no entry 'missing'"
check "no output file after a failure" -- test ! -e "$T/dir/new"
expect 64 "inject with unclosed braces" -- fbv inject -i "$T/tpl.open" -o "$T/dir/new"
err_has "fbvault: $T/tpl.open:2: '{{ fbvault:' without a closing '}}' on the same line"
expect 64 "inject with junk after the name" -- fbv inject -i "$T/tpl.junk" -o "$T/dir/old"
err_has "fbvault: $T/tpl.junk:4: malformed reference"
check "a failed inject leaves the old output" -- cmp -s "$T/dir/old" "$T/want"
expect 64 "inject with an invalid name" -- fbv inject -i "$T/tpl.badname"
err_has "tpl.badname:1: invalid entry name 'a/../b'"
expect 64 "inject with an empty name" -- fbv inject -i "$T/tpl.empty"
err_has "tpl.empty:1: invalid entry name"
expect 64 "inject with braces open at the end" -- sh -c '"$FBVAULT_BIN" inject < "$1"' sh "$T/tpl.eof"
err_has "stdin:1: '{{ fbvault:' without a closing"
check "failed injects print nothing" -- test ! -s "$T/out"
check "no stray files after failures" -- test "$(ls "$T/dir" | sort | tr '\n' ' ')" = "conf old old.tmp "
expect 66 "inject -i of a missing file" -- fbv inject -i "$T/none"
expect 64 "inject with an argument" -- fbv inject extra
head -c 16777217 /dev/zero > "$T/huge"
expect 64 "a template over 16 MiB" -- fbv inject -i "$T/huge"
err_has "at most 16777216 bytes"
expect 66 "inject without a vault" -- env -u FBVAULT_PASSPHRASE_FILE "$FBVAULT_BIN" --vault "$T/none" inject -i "$T/tpl.unknown"
expect 64 "a syntax error is found before the vault is opened" -- env -u FBVAULT_PASSPHRASE_FILE "$FBVAULT_BIN" --vault "$T/none" inject -i "$T/tpl.open"
unchanged "$s" "inject failures"

# Help lists the commands.
expect 0 "help exec" -- fbv help exec
check "help exec shows usage" -- grep -q 'usage: fbvault exec' "$T/out"
expect 0 "help" -- fbv help
check "help lists env and inject" -- sh -c 'grep -q "^  env " "$1" && grep -q "^  inject " "$1"' sh "$T/out"

finish
