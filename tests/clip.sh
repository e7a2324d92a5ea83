# get --clip against a real X server (Xvfb) and xclip: the value on the
# clipboard, never in any process's argv, cleared after FBVAULT_CLIP_TIME
# only if the clipboard still holds it; without a tool or a display, a
# clear error and nothing copied.
. "$(dirname "$0")/lib.sh"
for p in Xvfb xclip; do
	command -v "$p" > /dev/null || { echo "$p is not installed (scripts/install-deps test)" >&2; exit 1; }
done

new_vault
VALUE="clip-value-$RANDOM$RANDOM"
printf '%s\n' "$VALUE" | fbv put app-secret || exit 1

# No tool on PATH, then a tool without a display: exit 69, nothing copied.
mkdir "$T/empty"
expect 69 "no clipboard tool" -- env PATH="$T/empty" DISPLAY=:0 "$FBVAULT_BIN" get --clip app-secret
err_has "fbvault: no clipboard tool: install wl-clipboard (Wayland) or xclip (X11), or leave out --clip"
check "nothing on stdout" -- test ! -s "$T/out"
expect 69 "xclip but no display" -- env -u DISPLAY -u WAYLAND_DISPLAY "$FBVAULT_BIN" get --clip app-secret
err_has "fbvault: no display to copy to"
expect 64 "FBVAULT_CLIP_TIME must be seconds" -- env FBVAULT_CLIP_TIME=soon DISPLAY=:0 "$FBVAULT_BIN" get --clip app-secret
err_has "FBVAULT_CLIP_TIME wants seconds"

# A private X server.
for n in $(seq 90 140); do [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || break; done
Xvfb ":$n" -nolisten tcp -screen 0 320x200x8 > "$T/xvfb.log" 2>&1 &
track_pid $!
export DISPLAY=":$n"
wait_until 10 sh -c 'printf "nothing yet" | xclip -selection clipboard -in 2> /dev/null' &&
	wait_until 10 sh -c 'test "$(xclip -selection clipboard -o)" = "nothing yet"' ||
	{ echo "Xvfb :$n did not come up: $(cat "$T/xvfb.log")" >&2; exit 1; }
paste() { xclip -selection clipboard -o 2> /dev/null; }

expect 0 "get --clip" -- env FBVAULT_CLIP_TIME=3 "$FBVAULT_BIN" get --clip app-secret
err_has "fbvault: copied app-secret to the clipboard; it is cleared in 3 s"
check "nothing on stdout" -- test ! -s "$T/out"
check "the value is on the clipboard" -- test "$(paste)" = "$VALUE"
printf '%s\n' "$VALUE" > "$T/needle"
check "no process has it in its argv (xclip serves it)" -- sh -c '! cat /proc/[0-9]*/cmdline 2> /dev/null | tr "\0" " " | grep -qFf "$1"' sh "$T/needle"
check "cleared after 3 s" -- wait_until 8 sh -c 'test -z "$(xclip -selection clipboard -o 2> /dev/null)"'
check "not cleared before: the child waited" -- sh -c 'test "$(($(date +%s) - $1))" -ge 2' sh "$(stat -c %Y "$T/err")"

# Something else copied meanwhile stays.
expect 0 "get --clip, then another copy" -- env FBVAULT_CLIP_TIME=2 "$FBVAULT_BIN" get --clip app-secret
# xclip takes the selection from its own background process: the user's
# copy must come after it has, as a person's would (else, on a loaded
# machine, fbvault's xclip can take the selection back after the user's).
check "the value is on the clipboard again" -- wait_until 5 sh -c 'test "$(xclip -selection clipboard -o 2> /dev/null)" = "$1"' sh "$VALUE"
printf 'the user copied this' | xclip -selection clipboard -in
sleep 4
check "what the user copied afterwards is kept" -- test "$(paste)" = "the user copied this"
finish
