# The committed corpus of hand-made bad vaults (tests/vectors, made by
# make.py from good.vault): each must give its expected exit code and
# message, print nothing on stdout, and stay byte-for-byte as it was.
. "$(dirname "$0")/lib.sh"
V="$FBVAULT_SRC/tests/vectors"
printf 'vector passphrase\n' > "$T/pass"
count=0
while read -r name code text; do
	case $name in ''|'#'*) continue ;; esac
	count=$((count + 1))
	mkdir -p "$T/v"; chmod 700 "$T/v"
	cp "$V/$name.vault" "$T/v/vault"; chmod 600 "$T/v/vault"
	before=$(sha256sum < "$T/v/vault")
	expect "$code" "vector $name" -- fbv --vault "$T/v/vault" get entry
	if [ "$code" = 0 ]; then
		check "vector $name: value" -- test "$(cat "$T/out")" = "vector value"
	else
		err_has "$T/v/vault: $text"
		check "vector $name: nothing on stdout" -- test ! -s "$T/out"
	fi
	check "vector $name: file unchanged" -- test "$(sha256sum < "$T/v/vault")" = "$before"
done < "$V/expected.txt"
check "every vector file is listed" -- test "$count" -eq "$(ls "$V"/*.vault | wc -l)"
finish
