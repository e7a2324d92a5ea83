# fbvault(1) and `fbvault help` agree: every command, every option each
# command's usage line shows, every exit code and every environment
# variable the code reads is in the man page; and the page renders.
. "$(dirname "$0")/lib.sh"
SRC=${FBVAULT_SRC:?}
MAN="$SRC/docs/fbvault.1.scd"

# In the man page's source, bold as scdoc writes it: *TEXT*.
documented() { grep -qF -- "*$1*" "$MAN"; }

fbv help > "$T/help" || exit 1
commands=$(sed -n 's/^  \([a-z]\+\) .*/\1/p' "$T/help")
check "help lists commands" -- test "$(echo "$commands" | wc -w)" -ge 12
check "man page has a paragraph for 'help'" -- grep -q "^\*help\*" "$MAN"
for cmd in $commands; do
	# A command's entry starts a line of the COMMANDS section.
	check "man page has a paragraph for '$cmd'" -- grep -q "^\*$cmd\*" "$MAN"
	fbv help "$cmd" > "$T/usage" 2>&1 || not_ok "fbvault help $cmd failed"
	for opt in $(head -1 "$T/usage" | grep -oE -- '(^|[[ |])--?[a-z][a-z-]*' | grep -oE -- '--?[a-z][a-z-]*'); do
		check "man page documents '$cmd $opt'" -- documented "$opt"
	done
done
for opt in $(fbv help | head -1 | grep -oE -- '--[a-z][a-z-]*') --new-passphrase-fd --version \
    --names-if-unlocked; do
	check "man page documents global '$opt'" -- documented "$opt"
done

# Exit codes: those of `fbvault help`, each under EXIT STATUS.
sed -n '/^# EXIT STATUS/,/^# [A-Z]/p' "$MAN" > "$T/exit"
for code in $(sed -n '/^exit codes:/,$p' "$T/help" | grep -oE '^ +[0-9]+(, [0-9]+)?' | grep -oE '[0-9]+'); do
	check "man page documents exit code $code" -- grep -qE "^(\*[0-9]+\*, )*\*$code\*" "$T/exit"
done
for code in $(grep -oE '^\| [0-9]+ ' "$SRC/README.md" | grep -oE '[0-9]+'); do
	check "README's exit code $code is in the man page" -- grep -q "^\*$code\*" "$T/exit"
done

# Environment: every FBVAULT_* variable the code reads, and exec's FB_*.
for var in $(cat "$SRC"/cli/*.c "$SRC"/vault/*.c "$SRC"/graph/*.c | grep -oE '"FBVAULT_[A-Z_]+"|"FB_[A-Z_]+"' | tr -d '"' | sort -u) \
    XDG_DATA_HOME NO_COLOR; do
	check "man page documents \$$var" -- documented "$var"
done

# doctor --json's check names are the ones the man page lists.
doctor_checks=$(grep -ohE 'add\(rep, "[a-z-]+"' "$SRC/cli/cmd_doctor.c" 2>/dev/null | cut -d'"' -f2 | sort -u)
for name in $doctor_checks; do
	check "man page lists doctor check '$name'" -- documented "$name"
done

# It renders: scdoc accepts it and man shows every section.
if command -v scdoc > /dev/null; then
	check "scdoc builds the page" -- sh -c "scdoc < '$MAN' > '$T/fbvault.1'"
	if command -v man > /dev/null; then
		MANWIDTH=80 man -l "$T/fbvault.1" > "$T/man.txt" 2> /dev/null
		for s in NAME SYNOPSIS COMMANDS "JSON OUTPUT" ENVIRONMENT FILES "EXIT STATUS" EXAMPLES; do
			check "rendered page has $s" -- grep -q "^$s" "$T/man.txt"
		done
	fi
else
	echo "scdoc not installed: the page was not rendered" >&2
fi
finish
