# Shell completions: the bash one driven for real (COMP_WORDS/COMP_CWORD
# set, _fbvault called, COMPREPLY read back); fish through its own
# `complete -C`; zsh through compinit in a zpty. Names come only from an
# unlocked vault, never a value, and a locked vault neither prompts nor
# hangs.
. "$(dirname "$0")/lib.sh"
SRC=${FBVAULT_SRC:?}
BASH_COMP="$SRC/completions/fbvault.bash"
CLEANUP_HOOK='"$FBVAULT_BIN" lock >/dev/null 2>&1'

# comp WORD...: the bash completion of the last WORD, one candidate a line,
# into $T/out; words split where bash splits them (= and : apart).
comp() {
	timeout 20 bash -c '. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_fbvault
		((${#COMPREPLY[@]} == 0)) || printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$BASH_COMP" "$FBVAULT_BIN" "$@" > "$T/out" 2> "$T/err"
}
offers() { if grep -qxF -- "$1" "$T/out"; then ok; else not_ok "$2: '$1' not offered: $(tr '\n' ' ' < "$T/out")"; fi; }
lacks() { if grep -qxF -- "$1" "$T/out"; then not_ok "$2: '$1' offered"; else ok; fi; }
nothing() { if [ -s "$T/out" ]; then not_ok "$1: offered $(tr '\n' ' ' < "$T/out")"; else ok; fi; }

new_vault
printf '1122334455\n' | fbv put app-id || exit 1
for n in app-secret page/1001 page/2002 'ig:acct:7'; do
	printf 'VALUE-OF-%s\n' "$n" | fbv put "$n" || exit 1
done

# Commands and options need no vault.
check "bash: the completion script parses" -- bash -n "$BASH_COMP"
comp ""
for cmd in $("$FBVAULT_BIN" help | sed -n 's/^  \([a-z]\+\) .*/\1/p') help; do
	offers "$cmd" "command list"
done
comp d;               offers doctor "prefix d"; lacks get "prefix d"
comp --;              offers --vault "global options"; offers --no-keyring "global options"
comp init --kdf "";   offers interactive "--kdf"; offers sensitive "--kdf"
comp put -;           offers --force "put options"; offers --binary "put options"
comp get --;          offers --no-newline "get options"; offers --clip "get options"
comp env --format ""; offers dotenv "--format"; offers json "--format"
comp exec --;         offers --min-ttl "exec options"; offers --allow-nested "exec options"
comp keyring "";      offers enable "keyring"; offers status "keyring"
comp help ke;         offers keyring "help COMMAND"
comp doctor -;        offers --json "doctor options"
comp post --;         offers --dry-run "post options"; offers --photo "post options"; offers --at "post options"
comp scheduled -;     offers --page "scheduled options"
comp delete --;       offers --yes "delete options"
comp api --;          offers --paginate "api options"; offers --show-secrets "api options"
comp api -X "";       offers POST "api -X"; offers DELETE "api -X"
comp post --photo "$T/va"; offers "$T/vault" "--photo: files"
comp exec -- bas;     offers bash "exec: the program"
comp --vault "$T/va"; offers "$T/vault" "--vault: files"

# Locked (the passphrase file is set, but Tab must not use it): no names,
# no value, no prompt; also with a terminal there to prompt on.
comp get "";          nothing "locked: get"
comp exec --page "";  nothing "locked: --page"
start=$(date +%s)
script -qec "bash -c '. \"$BASH_COMP\"; COMP_WORDS=(\"$FBVAULT_BIN\" get \"\"); COMP_CWORD=2; _fbvault; echo \"n=\${#COMPREPLY[@]}\"'" /dev/null \
	< /dev/null > "$T/tty" 2>&1 &
pid=$!
( sleep 20; kill $pid 2>/dev/null ) & watchdog=$!
wait $pid
kill $watchdog 2>/dev/null
check "locked, with a terminal: finished at once" -- test $(( $(date +%s) - start )) -lt 15
check "locked, with a terminal: no names" -- grep -q "n=0" "$T/tty"
check "locked, with a terminal: no prompt" -- sh -c "! grep -qi passphrase '$T/tty'"
expect 77 "list --names-if-unlocked on a locked vault" -- fbv list --names-if-unlocked
check "... prints nothing" -- test ! -s "$T/out"

# Unlocked: the names, never a value.
expect 0 "unlock --for 1m" -- fbv unlock --for 1m
expect 0 "list --names-if-unlocked" -- fbv list --names-if-unlocked
check "names, one a line" -- test "$(tr '\n' ' ' < "$T/out")" = "app-id app-secret ig:acct:7 page/1001 page/2002 "
comp get "";          offers page/1001 "get"; offers app-secret "get"; offers ig:acct:7 "get"
check "no value offered" -- sh -c "! grep -q VALUE-OF '$T/out'"
comp rm page/;        offers page/1001 "rm prefix"; lacks app-id "rm prefix"
comp inspect "";      offers page/2002 "inspect"
comp put "";          nothing "put without --force: a new name"
comp put --force "";  offers app-id "put --force"
comp exec --page "";  offers 1001 "--page"; offers 2002 "--page"; lacks app-id "--page"
comp exec -e TOKEN = pa; offers page/1001 "-e VAR=NAME after ="
comp get ig : acct : ""; offers 7 "a name with colons, split as bash splits it"
comp get ig :;        offers :acct:7 "a name with colons, at the colon"
comp --vault "$FBVAULT_PATH" get app-; offers app-id "--vault passed through"
comp --vault "$T/nowhere" get "";       nothing "--vault of another (absent) vault"

# fish: its own completion engine, the same names.
if command -v fish > /dev/null; then
	fc() { PATH="$(dirname "$FBVAULT_BIN"):$PATH" timeout 20 fish -c \
		"source '$SRC/completions/fbvault.fish'; complete -C '$1'" | cut -f1 > "$T/out"; }
	check "fish: the completion script parses" -- fish -n "$SRC/completions/fbvault.fish"
	fc "fbvault ";              offers doctor "fish: commands"
	fc "fbvault get ";          offers page/2002 "fish: names"
	fc "fbvault exec --page ";  offers 1001 "fish: --page"
	fc "fbvault exec -e T=ap";  offers T=app-id "fish: -e VAR=NAME"
	fc "fbvault env --format "; offers shell "fish: --format"
else
	echo "fish not installed: fish completion not checked" >&2
fi
if command -v zsh > /dev/null; then
	check "zsh: the completion script parses" -- zsh -n "$SRC/completions/_fbvault"
	# zc LINE: zsh completes LINE in a pseudo-terminal (zpty) with compinit;
	# a compadd wrapper records what completion offers.
	cat > "$T/zc.zsh" <<-'EOF'
	zmodload zsh/zpty
	zpty z zsh -f -i
	zpty -w z "PS1=''; fpath=($1 \$fpath); autoload -U compinit; compinit -u -D"
	zpty -w z "compadd () { if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return; fi; typeset -a h; builtin compadd -A h \"\$@\"; (( \$#h )) && print -rl -- \${^h} >> $2; builtin compadd \"\$@\"; }"
	zpty -w -n z "$3"$'\t'
	for i in {1..50}; do [[ -s $2 ]] && break; sleep 0.1; done
	# Input typed after the Tab runs once the completion has finished.
	zpty -w z $'\C-u'"print done > $2.done"
	for i in {1..100}; do [[ -e $2.done ]] && break; sleep 0.1; done
	zpty -d z
	EOF
	zc() { : > "$T/out"; rm -f "$T/out.done"; PATH="$(dirname "$FBVAULT_BIN"):$PATH" timeout 20 zsh -f "$T/zc.zsh" "$SRC/completions" "$T/out" "$1" > /dev/null 2>&1; }
	zc "fbvault ";              offers doctor "zsh: commands"; offers inject "zsh: commands"
	zc "fbvault get ";          offers page/1001 "zsh: names"; offers ig:acct:7 "zsh: names"
	zc "fbvault exec --page ";  offers 2002 "zsh: --page"
	zc "fbvault env --format "; offers dotenv "zsh: --format"
	check "zsh: no value offered" -- sh -c "! grep -q VALUE-OF '$T/out'"
else
	echo "zsh not installed: zsh completion not checked" >&2
fi

# Every command is known to every completion.
for cmd in $("$FBVAULT_BIN" help | sed -n 's/^  \([a-z]\+\) .*/\1/p'); do
	for f in fbvault.bash _fbvault fbvault.fish; do
		check "$f knows $cmd" -- grep -qw -- "$cmd" "$SRC/completions/$f"
	done
done

expect 0 "lock" -- fbv lock
comp get "";          nothing "locked again: no names"
if command -v zsh > /dev/null; then
	zc "fbvault get ";  nothing "zsh, locked: no names"
fi
finish
