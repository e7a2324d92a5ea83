# Teams and CI (issue 13): identities, recipients, a vault in git. Three
# identities (alice, bob, ci), each on a "machine" of its own (HOME, and
# so the rollback memory), each with a clone of one bare repository, all
# under umask 022; real git, the merge driver and textconv that git-setup
# configures, no terminal anywhere.
. "$(dirname "$0")/lib.sh"
umask 022
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid GIT_CONFIG_NOSYSTEM=1
mkdir -p "$T/id" "$T/home"
chmod 700 "$T/id"

# m WHO CMD...: CMD on WHO's machine, in WHO's clone, with WHO's identity.
m() {
	local who=$1
	shift
	(cd "$T/$who" 2> /dev/null || cd "$T"
	 export HOME=$T/home/$who FBVAULT_PATH=$T/$who/vault FBVAULT_IDENTITY_FILE=$T/id/$who.key
	 unset FBVAULT_PASSPHRASE_FILE
	 "$@")
}
f() { local who=$1; shift; m "$who" "$FBVAULT_BIN" "$@"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
gen() { od -An -tu8 -j28 -N8 "$1" | tr -d ' '; }
out_has() { if grep -qF -- "$1" "$T/out"; then ok; else not_ok "stdout lacks '$1': $(head -c 300 "$T/out")"; fi; }
err_says() { if grep -qF -- "$1" "$T/err"; then ok; else not_ok "stderr lacks '$1': $(head -c 400 "$T/err")"; fi; }
one_line() { if [ "$(wc -l < "$T/err")" -eq 1 ]; then ok; else not_ok "$1: not one line: $(head -c 400 "$T/err")"; fi; }
# Every value ever stored, to grep for.
VALUES=()
put() { local who=$1 name=$2 value=$3; VALUES+=("$value"); printf '%s' "$value" | f "$who" put --force "$name"; }

# --- identities ----------------------------------------------------------------
for who in alice bob ci mallory; do
	mkdir -p "$T/home/$who"
	expect 0 "identity new ($who)" -- f "$who" identity new -o "$T/id/$who.key"
	check "$who: a 62-character fbv1 key on stdout" -- grep -qxE 'fbv1[02-9ac-hj-np-z]{58}' "$T/out"
	cp "$T/out" "$T/id/$who.pub"
	check "$who: identity file 0600" -- test "$(stat -c %a "$T/id/$who.key")" = 600
	expect 0 "identity show ($who)" -- f "$who" identity show "$T/id/$who.key"
	check "$who: identity show prints the same key" -- cmp -s "$T/out" "$T/id/$who.pub"
done
ALICE=$(cat "$T/id/alice.pub") BOB=$(cat "$T/id/bob.pub") CI=$(cat "$T/id/ci.pub")
MALLORY=$(cat "$T/id/mallory.pub")
before=$(sha "$T/id/alice.key")
expect 73 "identity new over an existing file" -- f alice identity new -o "$T/id/alice.key"
check "... leaves it as it was" -- test "$(sha "$T/id/alice.key")" = "$before"
expect 0 "identity new without -o: the default file" -- f ci identity new
check "... in ~/.config/fbvault/identity, 0600" -- test "$(stat -c %a "$T/home/ci/.config/fbvault/identity")" = 600
expect 0 "identity show without FILE and without the variable: the default file" -- \
	m ci env -u FBVAULT_IDENTITY_FILE "$FBVAULT_BIN" identity show
check "... prints its key" -- grep -qxE 'fbv1[02-9ac-hj-np-z]{58}' "$T/out"
rm -rf "$T/home/ci/.config"

# --- a team vault in git -------------------------------------------------------
git init -q --bare -b main "$T/origin.git"
git clone -q "$T/origin.git" "$T/alice" 2> /dev/null
expect 0 "alice: init in her clone (passphrase)" -- \
	m alice env FBVAULT_PASSPHRASE_FILE="$T/pass" "$FBVAULT_BIN" init --kdf interactive
expect 0 "alice: recipients add alice (passphrase proof)" -- \
	m alice env FBVAULT_PASSPHRASE_FILE="$T/pass" "$FBVAULT_BIN" recipients add "$ALICE" --name alice
err_says "was opened by its passphrase alone"
err_says "passwd --remove"
put alice app-id "4417004417"
put alice app-secret "APPSECRET-k2Jq9"
put alice page/1001 "PAGETOKEN-base-1001-Zx"
put alice page/2002 "PAGETOKEN-base-2002-Qw"
expect 0 "alice: recipients add bob (her identity is the proof)" -- f alice recipients add "$BOB" --name bob
check "... the passphrase notice is said once" -- sh -c "! grep -q 'passphrase alone' '$T/err'"
printf '%s ci-runner\n' "$CI" > "$T/ci.list"
expect 0 "alice: recipients add -R FILE (ci)" -- f alice recipients add -R "$T/ci.list"
expect 0 "recipients list" -- f alice recipients list
check "list: alice, bob, ci and the passphrase slot" -- test "$(cut -c1-62 "$T/out" | tr '\n' ' ')" = "$ALICE $BOB $CI passphrase slot "
out_has "alice  (you)"
out_has "ci-runner"
expect 0 "recipients list --json" -- f alice recipients list --json
out_has "\"consistent\":true"
out_has "{\"key\":\"$BOB\",\"label\":\"bob\",\"listed\":true,\"you\":false}"
expect 0 "alice: passwd --remove (the team opens with identities)" -- f alice passwd --remove
check "the recipients file lists the three" -- test "$(grep -c '^fbv1' "$T/alice/vault.recipients")" = 3
# The vault file names no one: no key string, no label, no raw public key.
check "vault file: no label, key string or public key bytes" -- python3 - "$T/alice/vault" "$ALICE" "$BOB" "$CI" <<'PY'
import sys
CH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
data = open(sys.argv[1], "rb").read()
for k in sys.argv[2:]:
    groups = [CH.index(c) for c in k[4:-6]]
    acc = bits = 0; raw = bytearray()
    for g in groups:
        acc = (acc << 5) | g; bits += 5
        if bits >= 8:
            bits -= 8; raw.append((acc >> bits) & 0xff)
    assert len(raw) == 32
    assert bytes(raw) not in data and k.encode() not in data
for label in (b"alice", b"bob", b"ci-runner"):
    assert label not in data
PY
expect 0 "alice: git-setup" -- f alice git-setup
check ".gitattributes names the vault's drivers" -- grep -qxF '/vault merge=fbvault diff=fbvault -text' "$T/alice/.gitattributes"
check "cachetextconv is off" -- test "$(git -C "$T/alice" config diff.fbvault.cachetextconv)" = false
m alice sh -c 'git add .gitattributes vault vault.recipients && git commit -qm "team vault" && git push -q origin main' 2> /dev/null ||
	not_ok "alice: commit and push"
check "the lock file is not offered to git" -- test -z "$(git -C "$T/alice" status --porcelain)"

# --- clones under umask 022: the permission rule --------------------------------
for who in bob ci; do
	git clone -q "$T/origin.git" "$T/$who" 2> /dev/null
	expect 0 "$who: git-setup in the clone" -- f "$who" git-setup
done
check "bob's clone of the vault is 0644" -- test "$(stat -c %a "$T/bob/vault")" = 644
expect 0 "bob opens the 0644 clone (no passphrase slot)" -- f bob get page/1001
check "... the value" -- test "$(cat "$T/out")" = "PAGETOKEN-base-1001-Zx"
mkdir -m 700 "$T/p"
cp "$T/bob/vault" "$T/p/team"
for mode in 664 646 606 620; do
	chmod "$mode" "$T/p/team"
	expect 77 "vault mode $mode (writable by group or others) is refused" -- f bob --vault "$T/p/team" get app-id
done
chmod 644 "$T/p/team"
chown 65534 "$T/p/team"
expect 77 "a vault of another user is refused" -- f bob --vault "$T/p/team" get app-id
rm -f "$T/p/team"
( export FBVAULT_PATH="$T/p/own"; fbv init --kdf interactive 2> /dev/null; printf 'OWN-SECRET-1' | fbv put own ) || not_ok "a personal vault"
VALUES+=("OWN-SECRET-1")
chmod 644 "$T/p/own"
before=$(sha "$T/p/own")
expect 77 "readable by others with a passphrase slot is refused" -- fbv --vault "$T/p/own" get own
err_has "has a passphrase slot, which they could guess offline"
check "... unchanged" -- test "$(sha "$T/p/own")" = "$before"
chmod 600 "$T/p/own"
# A bad default identity file is skipped with a notice: a vault the
# passphrase opens still opens.
mkdir -p "$T/home/ci/.config/fbvault"
cp "$T/id/ci.key" "$T/home/ci/.config/fbvault/identity"
chmod 644 "$T/home/ci/.config/fbvault/identity"
expect 0 "a 0644 default identity is skipped" -- \
	m ci env -u FBVAULT_IDENTITY_FILE FBVAULT_PASSPHRASE_FILE="$T/pass" "$FBVAULT_BIN" --vault "$T/p/own" get own
err_says "identity: group or others can read or write it (chmod 600 it); not using it"
rm -rf "$T/home/ci/.config"

# --- CI: an identity file, a descriptor; no passphrase, no terminal -------------
expect 0 "ci: --identity FILE, no terminal" -- \
	m ci env -u FBVAULT_IDENTITY_FILE setsid -w "$FBVAULT_BIN" --identity "$T/id/ci.key" get app-secret
check "... the value" -- test "$(cat "$T/out")" = "APPSECRET-k2Jq9"
expect 0 "ci: --identity-fd 3 from a pipe, no terminal" -- \
	m ci env -u FBVAULT_IDENTITY_FILE setsid -w sh -c 'cat "$1" | "$2" --identity-fd 3 get app-id 3<&0' _ "$T/id/ci.key" "$FBVAULT_BIN"
check "... the value" -- test "$(cat "$T/out")" = "4417004417"
expect 0 "ci: exec with its identity" -- \
	m ci env -u FBVAULT_IDENTITY_FILE setsid -w "$FBVAULT_BIN" --identity "$T/id/ci.key" exec -e SECRET=app-secret -- sh -c 'test "$SECRET" = APPSECRET-k2Jq9'
expect 0 "exec's child gets neither FBVAULT_IDENTITY_FILE nor the identity descriptor" -- \
	m ci sh -c '"$1" --identity-fd 3 exec -e S=app-id -- sh -c "test -z \"\${FBVAULT_IDENTITY_FILE+x}\" && test ! -e /proc/\$\$/fd/3 && test \"\$S\" = 4417004417" 3< "$2"' _ "$FBVAULT_BIN" "$T/id/ci.key"
expect 77 "ci without its identity: refused, no prompt" -- \
	m ci env -u FBVAULT_IDENTITY_FILE setsid -w "$FBVAULT_BIN" get app-id
err_says "no passphrase slot, and no identity (--identity FILE) opened the vault"

# --- bad identity files: one line each, a documented code, the vault unchanged ---
before=$(sha "$T/ci/vault")
key=$(grep -v '^#' "$T/id/ci.key")
bad() { printf '# bad\n%s\n' "$1" > "$T/id/bad.key"; chmod 600 "$T/id/bad.key"; }
bad "${key%?}$( [ "${key: -1}" = Q ] && echo P || echo Q)"
expect 64 "identity with a bad checksum" -- f ci --identity "$T/id/bad.key" get app-id
err_has "line 2: key string is mistyped (checksum does not match)"
short=$(python3 -c '
import sys
CH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
def polymod(v):
    g = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]; c = 1
    for x in v:
        b = c >> 25; c = (c & 0x1ffffff) << 5 ^ x
        for i in range(5): c ^= g[i] if (b >> i) & 1 else 0
    return c
hrp = "fbv-secret-key-"; data = [7] * 51
e = [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp]
p = polymod(e + data + [0] * 6) ^ 1
print((hrp + "1" + "".join(CH[d] for d in data + [(p >> 5 * (5 - i)) & 31 for i in range(6)])).upper())')
bad "$short"
expect 64 "identity of the wrong length" -- f ci --identity "$T/id/bad.key" get app-id
err_has "line 2: key string has the wrong length"
bad "$key"
chmod 644 "$T/id/bad.key"
expect 77 "identity file 0644" -- f ci --identity "$T/id/bad.key" get app-id
err_has "group or others can read or write this identity file; fix with: chmod 600"
chmod 600 "$T/id/bad.key"
chown 65534 "$T/id/bad.key"
expect 77 "identity file of another user" -- f ci --identity "$T/id/bad.key" get app-id
err_has "bad.key: belongs to another user"
printf '# nothing\n' > "$T/id/empty.key"; chmod 600 "$T/id/empty.key"
expect 64 "identity file with no key" -- f ci --identity "$T/id/empty.key" get app-id
err_has "no key in identity file"
expect 66 "identity file that is not there" -- f ci --identity "$T/id/none.key" get app-id
err_has "none.key: no such identity file"
expect 64 "--identity-fd that is not a number" -- f ci --identity-fd x get app-id
check "bad identities changed nothing" -- test "$(sha "$T/ci/vault")" = "$before"
check "... and printed nothing on stdout" -- test ! -s "$T/out"

# --- fresh proof: a timed unlock does not change membership ----------------------
expect 0 "alice: unlock (her identity)" -- f alice unlock --for 5m
before=$(sha "$T/alice/vault"); rbefore=$(sha "$T/alice/vault.recipients")
expect 77 "recipients add with only the timed unlock: refused" -- \
	m alice env -u FBVAULT_IDENTITY_FILE "$FBVAULT_BIN" recipients add "$MALLORY"
err_says "needs the passphrase or a member's identity"
expect 77 "recipients rm with only the timed unlock: refused" -- \
	m alice env -u FBVAULT_IDENTITY_FILE "$FBVAULT_BIN" recipients rm bob
check "... vault and recipients file unchanged" -- test "$(sha "$T/alice/vault")$(sha "$T/alice/vault.recipients")" = "$before$rbefore"
expect 0 "alice: lock" -- f alice lock

# --- remove bob, re-add bob ------------------------------------------------------
put alice page/1001 "PAGETOKEN-v2-1001-Lm"
m alice sh -c 'git commit -qam "page token" && git push -q origin main' 2> /dev/null || not_ok "alice: push"
expect 0 "alice: recipients rm bob (by label)" -- f alice recipients rm bob
err_says "removed $BOB bob: the versions they could open stay readable to them"
err_says "run fbvault login again"
err_says "reset it in the Meta app"
check "the recipients file no longer lists bob" -- sh -c "! grep -q '$BOB' '$T/alice/vault.recipients'"
put alice page/1001 "PAGETOKEN-v3-1001-Rt"
m alice sh -c 'git commit -qam "bob removed" && git push -q origin main' 2> /dev/null || not_ok "alice: push"
m bob git pull -q --no-rebase 2> /dev/null || not_ok "bob: pull"
expect 77 "bob cannot open the next version" -- f bob get page/1001
check "... and sees no value" -- test ! -s "$T/out"
m bob sh -c 'git show HEAD~1:vault > ../old.vault && chmod 600 ../old.vault' || not_ok "old version"
expect 0 "bob still opens the version before his removal from git history" -- f bob --vault "$T/old.vault" get page/1001
check "... with what it held then" -- test "$(cat "$T/out")" = "PAGETOKEN-v2-1001-Lm"
expect 0 "git diff of bob's removal, as bob" -- m bob git log -p -1 -- vault
out_has "locked: no identity, keyring or timed unlock of yours opens this version"
out_has "member $BOB"
expect 0 "alice: recipients add bob again" -- f alice recipients add "$BOB" --name bob
m alice sh -c 'git commit -qam "bob back" && git push -q origin main' 2> /dev/null || not_ok "alice: push"
m bob git pull -q --no-rebase 2> /dev/null || not_ok "bob: pull"
expect 0 "bob, re-added, opens the latest version" -- f bob get page/1001
check "... the value" -- test "$(cat "$T/out")" = "PAGETOKEN-v3-1001-Rt"

# --- git diff and git log -p: names and metadata only -----------------------------
expect 0 "git log -p on the vault (alice)" -- m alice git log -p -- vault
out_has "entry page/1001 kind="
out_has "member $CI"
out_has "+member $BOB"
check "log -p holds no value" -- sh -c 'for v; do grep -qF -- "$v" "'"$T/out"'" && exit 1; done; exit 0' _ "${VALUES[@]}"
put alice page/2002 "PAGETOKEN-wt-2002-Hy"
expect 0 "git diff of an uncommitted change" -- m alice git diff
out_has "-fbvault vault, format 3, generation"
out_has "entry page/2002"
check "diff holds no value" -- sh -c 'for v; do grep -qF -- "$v" "'"$T/out"'" && exit 1; done; exit 0' _ "${VALUES[@]}"
check "textconv output is not cached" -- sh -c "! git -C '$T/alice' show-ref | grep -q notes/textconv"
m alice sh -c 'git commit -qam "2002" && git push -q origin main' 2> /dev/null || not_ok "alice: push"

# --- merges: two clones, two branches ---------------------------------------------
m bob git pull -q --no-rebase 2> /dev/null || not_ok "bob: pull"
# alice changes page/1001 and removes ci; bob changes page/2002.
put alice page/1001 "PAGETOKEN-alice-1001-Ab"
expect 0 "alice: recipients rm ci" -- f alice recipients rm ci-runner
m alice sh -c 'git commit -qam "alice: 1001, ci out" && git push -q origin main' 2> /dev/null || not_ok "alice: push"
put bob page/2002 "PAGETOKEN-bob-2002-Cd"
m bob git commit -qam "bob: 2002" || not_ok "bob: commit"
ga=$(gen "$T/alice/vault") gb=$(gen "$T/bob/vault")
expect 0 "bob: git pull merges through the driver" -- m bob git pull --no-rebase -q
err_says "was removed on their side: the versions it could open stay readable to it"
expect 0 "after the merge: alice's change" -- f bob get page/1001
check "... is there" -- test "$(cat "$T/out")" = "PAGETOKEN-alice-1001-Ab"
expect 0 "after the merge: bob's change" -- f bob get page/2002
check "... is there" -- test "$(cat "$T/out")" = "PAGETOKEN-bob-2002-Cd"
check "merged generation is max(ours, theirs) + 1" -- test "$(gen "$T/bob/vault")" = $(( (ga > gb ? ga : gb) + 1 ))
check "the merged recipients file drops ci" -- sh -c "! grep -q '$CI' '$T/bob/vault.recipients'"
expect 0 "recipients list after the merge: file and vault agree" -- f bob recipients list
check "... alice and bob" -- test "$(cut -c1-62 "$T/out" | tr '\n' ' ')" = "$ALICE $BOB "
m bob git push -q origin main 2> /dev/null || not_ok "bob: push"
m ci git pull -q --no-rebase 2> /dev/null || not_ok "ci: pull"
expect 77 "ci, removed on one side, cannot open the merge" -- f ci get app-id

# The merge driver has no terminal: without an identity it fails, ours stays.
m alice git pull -q --no-rebase 2> /dev/null || not_ok "alice: pull"
put alice page/1001 "PAGETOKEN-alice2-1001-No"
m alice sh -c 'git commit -qam "alice: 1001 again" && git push -q origin main' 2> /dev/null || not_ok "alice: push"
put bob page/2002 "PAGETOKEN-bob3-2002-Pq"
m bob git commit -qam "bob: 2002 again" || not_ok "bob: commit"
ours=$(sha "$T/bob/vault")
expect 1 "bob: git pull without his identity: the driver fails" -- \
	m bob env -u FBVAULT_IDENTITY_FILE git pull --no-rebase
err_says "cannot open the common ancestor's version without a terminal: give your identity (FBVAULT_IDENTITY_FILE)"
check "... ours is left in place" -- test "$(sha "$T/bob/vault")" = "$ours"
m bob git merge --abort 2> /dev/null
expect 0 "bob: the same pull with his identity" -- m bob git pull --no-rebase -q
m bob git push -q origin main 2> /dev/null || not_ok "bob: push"

# The same entry changed on both sides: a conflict, names only, no plaintext.
m alice git pull -q --no-rebase 2> /dev/null || not_ok "alice: pull"
put alice app-secret "APPSECRET-alice-EE1"
m alice sh -c 'git commit -qam "alice: secret" && git push -q origin main' 2> /dev/null || not_ok "alice: push"
put bob app-secret "APPSECRET-bob-FF2"
put bob page/2002 "PAGETOKEN-bob2-2002-Gh"
m bob git commit -qam "bob: secret" || not_ok "bob: commit"
ours=$(sha "$T/bob/vault")
expect 1 "bob: git pull with a conflict fails" -- m bob git pull --no-rebase
err_says "vault: changed differently on both sides: app-secret; your version is kept"
check "the conflict names no value" -- sh -c 'for v; do grep -qF -- "$v" "'"$T/err"'" "'"$T/out"'" && exit 1; done; exit 0' _ "${VALUES[@]}"
check "ours is left in place" -- test "$(sha "$T/bob/vault")" = "$ours"
check "git marks the vault conflicted" -- sh -c "git -C '$T/bob' status --porcelain | grep -q '^UU vault'"
git -C "$T/bob" cat-file --batch-all-objects --batch > "$T/objects" 2> /dev/null
for who in alice bob ci; do
	for v in "${VALUES[@]}"; do
		if grep -rqF -- "$v" "$T/$who" || grep -qF -- "$v" "$T/objects"; then
			not_ok "$who's work tree or .git holds the value '$v'"
		else ok; fi
	done
done
expect 0 "bob: git merge --abort" -- m bob git merge --abort
check "after the abort, bob's vault is his" -- test "$(sha "$T/bob/vault")" = "$ours"

# Deleted on one side, changed on the other: a conflict too.
m bob git reset -q --hard origin/main 2> /dev/null
expect 0 "bob: rm page/2002" -- f bob --accept-rollback rm page/2002
m bob git commit -qam "bob: rm 2002" || not_ok "bob: commit"
put alice page/2002 "PAGETOKEN-alice-2002-Ij"
m alice sh -c 'git commit -qam "alice: 2002" && git push -q origin main' 2> /dev/null || not_ok "alice: push"
expect 1 "deleted on one side, changed on the other: a conflict" -- m bob git pull --no-rebase
err_says "changed differently on both sides: page/2002"
m bob git merge --abort 2> /dev/null
m bob git reset -q --hard origin/main 2> /dev/null

# --- a recipients file changed by hand: reported, changes nothing -------------------
m alice git pull -q --no-rebase 2> /dev/null
printf '%s mallory\n' "$MALLORY" >> "$T/alice/vault.recipients"
before=$(sha "$T/alice/vault"); rbefore=$(sha "$T/alice/vault.recipients")
expect 65 "recipients list reports a key with no slot" -- f alice recipients list
err_says "lists $MALLORY mallory, which has no slot in the vault: it opens nothing"
expect 65 "recipients list --json: not consistent" -- f alice recipients list --json
out_has "\"consistent\":false"
out_has "\"stray\":[{\"key\":\"$MALLORY\",\"label\":\"mallory\"}]"
f alice doctor --json > "$T/doctor.json" 2> /dev/null
check "doctor reports it" -- python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = [x for x in d["checks"] if x["name"] == "recipients"]
assert c and c[0]["status"] == "fail" and sys.argv[2] in c[0]["message"], c' "$T/doctor.json" "$MALLORY"
expect 77 "mallory opens nothing" -- f mallory --vault "$T/alice/vault" get app-id
check "nothing changed" -- test "$(sha "$T/alice/vault")$(sha "$T/alice/vault.recipients")" = "$before$rbefore"
m alice git checkout -q -- vault.recipients

# --- age keys ------------------------------------------------------------------------
if command -v age-keygen > /dev/null; then
	age-keygen -o "$T/id/age.key" 2> /dev/null
	AGE=$(age-keygen -y "$T/id/age.key")
	expect 0 "recipients add an age1 key" -- f alice recipients add "$AGE" --name agent
	check "the recipients file keeps it as age1" -- grep -qF "$AGE agent" "$T/alice/vault.recipients"
	expect 0 "an age identity file opens the vault" -- f alice --vault "$T/alice/vault" --identity "$T/id/age.key" get app-id
	expect 0 "identity show of an age identity" -- f alice identity show "$T/id/age.key"
	check "... is its key as fbv1" -- test "$(cut -c1-3 "$T/out")" = fbv
	m alice sh -c 'git commit -qam "agent" && git push -q origin main' 2> /dev/null || not_ok "alice: push"
else
	not_ok "age-keygen is not installed (scripts/install-deps installs it)"
fi

# --- rollback across git pull ---------------------------------------------------------
expect 0 "alice opens the latest version" -- f alice get app-id
newest=$(gen "$T/alice/vault")
m bob sh -c 'git pull -q --no-rebase && git revert --no-edit HEAD > /dev/null && git push -q origin main' 2> /dev/null || not_ok "bob: revert and push"
m alice git pull -q --no-rebase 2> /dev/null || not_ok "alice: pull the revert"
check "the pulled vault is older" -- test "$(gen "$T/alice/vault")" -lt "$newest"
expect 79 "alice: an older generation from git is refused" -- f alice get app-id
err_says "older than generation $newest, which this machine has opened: an older copy was put back (in git: a revert"
err_says "--accept-rollback"
check "... and nothing on stdout" -- test ! -s "$T/out"

finish
