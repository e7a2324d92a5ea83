# The Debian package, as a user gets it: build it (scripts/build-deb),
# install it with apt-get, use the installed fbvault, remove it again.
# Needs root; CI runs it (.ci/run). Not part of `meson test`: it changes
# the machine's installed packages for a moment.
FBVAULT_BIN=/usr/bin/fbvault
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get > /dev/null; then
	echo "deb.sh: needs root and apt-get" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
CLEANUP_HOOK='apt-get remove -y -q fbvault > /dev/null 2>&1'

before=$(cd "$SRC" && git status --porcelain)
expect 0 "scripts/build-deb" -- "$SRC/scripts/build-deb" "$T/deb"
deb=$(cat "$T/out")
check "one .deb, named for its version" -- test -f "$deb" -a "$(basename "$deb")" = \
	"fbvault_$(cd "$SRC" && dpkg-parsechangelog -S Version)_$(dpkg --print-architecture).deb"
check "the checkout is left as it was" -- test "$(cd "$SRC" && git status --porcelain)" = "$before"
for d in debian/fbvault debian/.debhelper debian/tmp obj-*; do
	check "no $d in the checkout" -- sh -c "! ls -d '$SRC'/$d > /dev/null 2>&1"
done
expect 0 "apt-get install the .deb" -- apt-get install -y -q "$deb"

expect 0 "fbvault --version from the package" -- /usr/bin/fbvault --version
check "... prints the version" -- grep -qx "fbvault $(cd "$SRC" && dpkg-parsechangelog -S Version)" "$T/out"
check "... and nothing else: not a -Dtest_kdf build" -- test "$(wc -l < "$T/out")" -eq 1
dpkg -L fbvault > "$T/files"
triplet=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for f in /usr/bin/fbvault "/usr/lib/$triplet/fbvault/fbvault-http.so" \
    "/usr/lib/$triplet/fbvault/fbvault-keyring.so" /usr/share/man/man1/fbvault.1.gz \
    /usr/share/bash-completion/completions/fbvault /usr/share/zsh/vendor-completions/_fbvault \
    /usr/share/fish/vendor_completions.d/fbvault.fish /usr/share/doc/fbvault/README.md.gz \
    /usr/share/doc/fbvault/SECURITY.md.gz /usr/share/doc/fbvault/copyright; do
	check "the package holds $f" -- grep -qx "$f" "$T/files"
done
check "man finds fbvault(1)" -- sh -c 'man -w fbvault | grep -q fbvault.1'
check "the page renders" -- sh -c 'MANWIDTH=80 man fbvault 2>/dev/null | grep -q "EXIT STATUS"'

# The installed binary at work, in a fresh HOME, its modules from libdir.
unset FBVAULT_PATH
expect 0 "init --kdf interactive" -- fbv init --kdf interactive
check "the vault is where the man page says" -- test -f "$HOME/.local/share/fbvault/vault"
echo hello | fbv put greeting
expect 0 "get" -- fbv get greeting
check "the value back" -- test "$(cat "$T/out")" = hello
expect 0 "help" -- fbv help
check "help lists doctor" -- grep -q "^  doctor" "$T/out"
expect 0 "keyring status: the keyring module loads" -- env -u DBUS_SESSION_BUS_ADDRESS "$FBVAULT_BIN" keyring status --json
check "... and says the service is unreachable, not 'not built'" -- grep -q '"secret_service":"unreachable"' "$T/out"
expect 1 "doctor (interactive KDF: one warning)" -- fbv doctor
check "doctor: the HTTPS module loads from the package" -- grep -q "^ok	http-module" "$T/out"
expect 0 "bash completion from the package" -- bash -c '. /usr/share/bash-completion/completions/fbvault
	COMP_WORDS=(fbvault doc); COMP_CWORD=1; _fbvault; test "${COMPREPLY[*]}" = doctor'

expect 0 "apt-get remove" -- apt-get remove -y -q fbvault
check "gone again" -- test ! -e /usr/bin/fbvault

# From a copy of the sources that is no git checkout (a tarball, say).
mkdir "$T/nogit"
(cd "$SRC" && git ls-files -co --exclude-standard -z | tar -c --no-recursion --null -T - -f -) |
	tar -x -C "$T/nogit" -f -
expect 0 "scripts/build-deb outside a git checkout" -- env GIT_CEILING_DIRECTORIES="$T" \
	"$T/nogit/scripts/build-deb" "$T/deb2"
check "... makes the same .deb" -- test "$(basename "$(cat "$T/out")")" = "$(basename "$deb")"
finish
