# `meson install` with the default prefix (/usr/local), then what a new
# user sees: a fresh login shell of each kind (bash, zsh, fish, in tmux)
# completes `fbvault doc<Tab>` to doctor; man finds fbvault(1); the
# documents are where the man page says. Needs root; CI runs it (.ci/run),
# like deb.sh; not part of `meson test`: it writes under /usr/local (and
# fish's vendor directory) for a moment, and removes what it added.
FBVAULT_BIN=/usr/local/bin/fbvault
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
if [ "$(id -u)" -ne 0 ]; then echo "install.sh: needs root" >&2; exit 1; fi
prefix=$(meson introspect --buildoptions "$BUILD" |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')
check "the build has the default prefix" -- test "$prefix" = /usr/local
had=false
[ -e /usr/local/bin/fbvault ] && had=true
# Only what this test added goes again (an earlier quickstart's stays).
$had || CLEANUP_HOOK='while IFS= read -r f; do case $f in /*) rm -f "$f";; esac; done < "$BUILD/meson-logs/install-log.txt"'
expect 0 "meson install" -- meson install -C "$BUILD" --quiet

check "man finds fbvault(1) under /usr/local" -- sh -c 'test "$(readlink -f "$(man -w fbvault)")" = /usr/local/share/man/man1/fbvault.1'
for f in SECURITY.md GUIDE.md README.md; do
	check "$f is in /usr/local/share/doc/fbvault, as fbvault(1) says" -- test -s "/usr/local/share/doc/fbvault/$f"
done

# A fresh login shell, as a new user gets it: HOME from /etc/skel; for zsh
# the .zshrc its first-run menu writes when completion is chosen.
login_shell() {
	local sh=$1 home=$T/home-$1
	rm -rf "$home"; cp -r /etc/skel "$home"
	[ "$sh" != zsh ] || printf 'autoload -Uz compinit\ncompinit\n' > "$home/.zshrc"
	TMUX_SOCK=$T/tmux-$sh.sock
	TMUX_STEP=0
	tmux_start "cd '$home' && exec env -i HOME='$home' TERM=xterm-256color LANG=C.UTF-8 \
		PATH=/usr/local/bin:/usr/bin:/bin $sh -l"
	sleep 1
	tmux_type "fbvault doc"
	tmux_keys Tab
	tmux_wait "fbvault doctor" 1 20
	screen_tail > "$T/$sh.screen"
}
for sh in bash zsh fish; do
	if command -v "$sh" > /dev/null; then
		login_shell "$sh"
	else
		not_ok "$sh is not installed (scripts/install-deps test)"
	fi
done
finish
