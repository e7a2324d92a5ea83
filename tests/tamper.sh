# Changing any byte of the vault is detected: every header field, sampled
# bit flips, every truncation; the right class of error and nothing on stdout.
. "$(dirname "$0")/lib.sh"

new_vault
printf 'EAAsecretvalue\n' | fbv put page/1 || exit 1
cp "$FBVAULT_PATH" "$T/good"
size=$(stat -c %s "$T/good")

# Offsets of format 2 with one passphrase slot (vault/format.h).
H=225
restore() { cp "$T/good" "$FBVAULT_PATH"; chmod 600 "$FBVAULT_PATH"; }

# tampered WANT DESCRIPTION OFFSET MASK [MESSAGE]
tampered() {
	restore
	flip "$FBVAULT_PATH" "$3" "$4"
	local s
	s=$(snapshot)
	expect "$1" "$2 (offset $3)" -- fbv get page/1
	[ -n "${5:-}" ] && err_has "$5"
	check "$2: nothing on stdout" -- test ! -s "$T/out"
	unchanged "$s" "$2"
}

tampered 65 "magic" 0 0x01 "not an fbvault vault"
tampered 65 "magic last byte" 7 0x20 "not an fbvault vault"
tampered 65 "format version" 8 0x04 "unsupported vault format version"
tampered 65 "format version high byte" 9 0x01 "unsupported vault format version"
tampered 65 "flags" 10 0x01 "corrupted"
tampered 65 "flags high byte" 11 0x80 "corrupted"
tampered 77 "vault id (binds the slot)" 12 0x01 "wrong passphrase"
tampered 77 "vault id last byte" 27 0x80 "wrong passphrase"
tampered 65 "generation (binds every stanza)" 28 0x01 "corrupted"
tampered 65 "generation last byte" 35 0x80 "corrupted"
tampered 65 "slot count" 36 0x02 "corrupted"
tampered 65 "slot count zero" 36 0x01 "corrupted"
tampered 65 "slot type" 37 0x03
tampered 65 "slot length" 38 0x01 "corrupted"
tampered 65 "slot length high byte" 39 0x01 "corrupted"
tampered 65 "kdf algorithm" 40 0x02 "corrupted"
tampered 77 "salt" 41 0x01 "wrong passphrase"
tampered 77 "salt last byte" 56 0x40 "wrong passphrase"
tampered 77 "opslimit within range" 57 0x01 "wrong passphrase"
tampered 65 "opslimit below the floor" 57 0x03 "out of range"
tampered 65 "opslimit far above the ceiling" 64 0x80 "out of range"
tampered 65 "memlimit below the floor" 68 0x04 "out of range"
tampered 65 "memlimit far above the ceiling" 71 0x01 "out of range"
tampered 77 "slot nonce" 73 0x01 "wrong passphrase"
tampered 77 "sealed slot key" 97 0x01 "wrong passphrase"
tampered 77 "sealed slot key tag" 144 0x80 "wrong passphrase"
tampered 65 "stanza ephemeral key" 145 0x01 "corrupted"
tampered 65 "stanza tag" 224 0x80 "corrupted"
tampered 65 "header MAC" "$H" 0x01 "corrupted"
tampered 65 "header MAC last byte" $((H + 31)) 0x01 "corrupted"
tampered 65 "segment nonce prefix" $((H + 32)) 0x01 "corrupted"
tampered 65 "segment nonce prefix last byte" $((H + 47)) 0x80 "corrupted"
tampered 65 "payload length" $((H + 48)) 0x01 "corrupted"
tampered 65 "payload length high byte" $((H + 51)) 0x01 "corrupted"
tampered 65 "payload ciphertext" $((H + 52)) 0x01 "corrupted"
tampered 65 "payload tag" $((size - 1)) 0x01 "corrupted"

# A future format version is refused by name, before anything else.
restore
put_byte "$FBVAULT_PATH" 8 4
expect 65 "format version 4" -- fbv get page/1
err_has "unsupported vault format version"

# KDF cost: memlimit 2^40 and opslimit 2^32 are refused before any KDF runs.
restore
put_byte "$FBVAULT_PATH" 70 1; put_byte "$FBVAULT_PATH" 69 0; put_byte "$FBVAULT_PATH" 68 0
put_byte "$FBVAULT_PATH" 67 0; put_byte "$FBVAULT_PATH" 66 0; put_byte "$FBVAULT_PATH" 65 0
expect 65 "memlimit 2^40" -- fbv get page/1
err_has "out of range"
restore
put_byte "$FBVAULT_PATH" 61 1; put_byte "$FBVAULT_PATH" 57 0
expect 65 "opslimit 2^32" -- fbv get page/1
err_has "out of range"

# Trailing garbage and every truncation length.
restore
printf 'x' >> "$FBVAULT_PATH"
expect 65 "trailing byte" -- fbv get page/1
bad=0
for len in $(seq 0 $((size - 1))); do
	restore
	truncate -s "$len" "$FBVAULT_PATH"
	fbv get page/1 > "$T/out" 2> "$T/err"
	rc=$?
	if [ "$rc" -ne 65 ] || [ -s "$T/out" ]; then
		bad=$((bad + 1)); not_ok "truncated to $len bytes: exit $rc"
	fi
done
[ "$bad" -eq 0 ] && ok

# Sampled single-bit flips anywhere: never success, never output. The
# exhaustive battery is tests/flips.sh.
for i in $(seq 1 48); do
	off=$(( $(od -An -tu4 -N4 /dev/urandom | tr -d ' ') % size ))
	bit=$(( 1 << ($(od -An -tu1 -N1 /dev/urandom | tr -d ' ') % 8) ))
	restore
	flip "$FBVAULT_PATH" "$off" "$bit"
	fbv get page/1 > "$T/out" 2> "$T/err"
	rc=$?
	if { [ "$rc" -eq 65 ] || [ "$rc" -eq 77 ]; } && [ ! -s "$T/out" ]; then ok; else
		not_ok "bit $bit at offset $off: exit $rc"
	fi
done

restore
expect 0 "the untouched vault still opens" -- fbv get page/1
finish
