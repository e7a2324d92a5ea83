# The first hour of a new user, at a real terminal (tmux), with the fake
# Graph API: init with a mistyped second passphrase, then right; put
# app-id with spaces around it; put app-secret; login; exec; status; a
# wrong passphrase, then the right one; Ctrl-D at a prompt; and the
# messages a new user meets, each by its exact words. Nothing typed at a
# prompt is ever shown.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
command -v tmux > /dev/null || { echo "tmux is not installed (scripts/install-deps test)" >&2; exit 1; }

APP_ID=138483919580948
SECRET=first-hour-secret-$RANDOM$RANDOM
SHORT=EAAfirsthourtoken$RANDOM$RANDOM
PASS="a first-hour passphrase $RANDOM"
graph_config '{"app_id": "'$APP_ID'", "app_secret": "'$SECRET'", "app_name": "Ferret Poster",
 "require_proof": true, "users": [{"short_token": "'$SHORT'", "user_id": "9876"}],
 "pages": [{"id": "1001", "name": "Ferret Bakery", "category": "Bakery"}]}'
use_fake_graph

mkdir -p "$T/bin"
ln -s "$FBVAULT_BIN" "$T/bin/fbvault"
unset FBVAULT_PASSPHRASE_FILE
V=$HOME/.local/share/fbvault/vault
tmux_start "env -i HOME='$HOME' PATH='$T/bin:/usr/bin:/bin' TERM=xterm-256color LANG=C.UTF-8 \
	FBVAULT_GRAPH_URL='$FBVAULT_GRAPH_URL' FBVAULT_CA_FILE='$FBVAULT_CA_FILE' \
	PS1='$ ' bash --norc --noprofile"
tmux_wait '$'

# passphrase TEXT [PROMPT [N]]: waits for the Nth PROMPT of this step,
# types TEXT and Enter.
passphrase() {
	tmux_wait "${2:-Passphrase:}" "${3:-1}"
	tmux_type "$1"
	tmux_keys Enter
}

# init: the second passphrase mistyped, then both right.
tmux_run "fbvault init"
passphrase "$PASS"
passphrase "$PASS typo" "Repeat passphrase:"
tmux_wait "fbvault: the passphrases do not match; try again"
passphrase "$PASS" "Passphrase:" 2
passphrase "$PASS" "Repeat passphrase:" 2
tmux_done
step_rc 0
step_has "fbvault: the passphrases do not match; try again"
step_has "fbvault: created $V"
check "init asked for the passphrase a second time" -- test "$(grep -c '^Passphrase:' "$T/step")" -eq 2

# put app-id with spaces around it: stored trimmed; the prompt says the
# value is not shown.
tmux_run "fbvault put app-id"
passphrase "$PASS"
tmux_wait "Value for app-id (not shown): "
tmux_type "  $APP_ID  "; tmux_keys Enter
tmux_done
step_rc 0
tmux_run "fbvault get app-id | od -c | head -n 1"
passphrase "$PASS"
tmux_done
check "app-id stored without its spaces" -- grep -qE '^0000000 +1 +3 +8 +4 +8 +3 +9 +1 +9 +5 +8 +0 +9 +4 +8 +\\n' "$T/step"

tmux_run "fbvault put app-secret"
passphrase "$PASS"
tmux_wait "Value for app-secret (not shown): "
tmux_type "$SECRET"; tmux_keys Enter
tmux_done
step_rc 0

# login: the short-lived token at its prompt, then each step as it ends.
tmux_run "fbvault login"
passphrase "$PASS"
tmux_wait "(not shown): "
tmux_type "$SHORT"; tmux_keys Enter
tmux_done 120
step_rc 0
step_has "fbvault: exchanged the short-lived token for a long-lived one"
check "login: the pages listed" -- grep -qE '^fbvault: listed [0-9]+ pages?$' "$T/step"
step_has "fbvault: checked user-token: ok"
step_has "fbvault: checked page/1001: ok"
# After put app-secret and login, both app entries have their own kind.
tmux_run "fbvault list --json | python3 -c 'import json,sys; print(sorted((e[\"name\"], e[\"kind\"]) for e in json.load(sys.stdin) if e[\"name\"].startswith(\"app-\")))'"
passphrase "$PASS"
tmux_done
step_has "[('app-id', 'app-id'), ('app-secret', 'app-secret')]"

tmux_run "fbvault exec --page 1001 -- sh -c 'echo \"page \$FB_PAGE_ID, a token of \${#FB_PAGE_ACCESS_TOKEN} bytes\"'"
passphrase "$PASS"
tmux_done
step_rc 0
step_has "page 1001, a token of"

# status: one line per token with its health, coloured at a terminal.
tmux_run "fbvault status"
passphrase "$PASS"
tmux_done
step_rc 0
check "status: the page, ok, never expires, its name" -- grep -qE '^page/1001 +page-token +ok +expires never  Ferret Bakery$' "$T/step"
check "status: the user token, ok, expires in 59d" -- grep -qE '^user-token +user-token +ok +expires in 59d [0-9]+h \(' "$T/step"
check "status at a terminal is coloured" -- sh -c "tmux -S '$TMUX_SOCK' capture-pane -p -e -J -S - -t t | grep -q \"\$(printf '\\033')\\[32mok\""
tmux_run "NO_COLOR=1 fbvault status"
passphrase "$PASS"
tmux_done
# (this step's lines only: those after the previous step's end marker)
check "NO_COLOR: no colour" -- sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -e -J -S - -t t | awk '/^<<$((TMUX_STEP - 1)):[0-9]+>>\$/ { on = 1; next } on' | grep -q \"\$(printf '\\033')\\[32mok\""

# A wrong passphrase, then the right one: the second try opens it.
tmux_run "fbvault list"
passphrase "not $PASS"
tmux_wait "fbvault: wrong passphrase; try again"
passphrase "$PASS" "Passphrase:" 2
tmux_done
step_rc 0
step_has "fbvault: wrong passphrase; try again"
step_has "page/1001"

# Three wrong ones: the last is final, exit 77.
tmux_run "fbvault list"
for i in 1 2 3; do
	passphrase "wrong $i" "Passphrase:" "$i"
done
tmux_done
step_rc 77
check "three tries: two 'try again', then the last word" -- test "$(grep -c 'wrong passphrase; try again' "$T/step")" -eq 2
step_has "fbvault: $V: wrong passphrase"

# Ctrl-D at the prompt: cancelled.
tmux_run "fbvault list"
tmux_wait "Passphrase:"
tmux_keys C-d
tmux_done
step_rc 64
step_has "fbvault: cancelled"

# The sensitive KDF counts its seconds on the terminal, and erases the line.
tmux_run "fbvault --vault $T/sensitive/vault init --kdf sensitive"
passphrase "$PASS"
passphrase "$PASS" "Repeat passphrase:"
tmux_wait "fbvault: deriving the key from the passphrase (Argon2id)... " 1 20
tmux_done 60
step_rc 0
step_has "fbvault: created $T/sensitive/vault"
check "the counting line is erased when it is done" -- sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -J -t t | grep -q 'deriving the key'"

# The messages a new user meets, by their exact words (no prompt needed).
tmux_run "fbvault lsit"
tmux_done
step_rc 64
step_has "fbvault: unknown command 'lsit'; did you mean 'list'?"
tmux_run "fbvault login --page"
tmux_done
step_rc 64
step_has "fbvault: option '--page' needs a value"
step_has "usage: fbvault login [--app-id ID] [--page PAGE_ID]... [--system-user]"
tmux_run "fbvault list --passphrase-fd abc"
tmux_done
step_rc 64
step_has "fbvault: --passphrase-fd wants a file descriptor number, not 'abc'"
step_has "usage: fbvault [--vault PATH] [--passphrase-fd N] [--new-passphrase-fd N] [--identity FILE] [--identity-fd N] [--no-keyring] [--accept-rollback] [--quiet] list [--json]"
tmux_run "fbvault --bogus list"
tmux_done
step_rc 64
step_has "fbvault: unknown option '--bogus'"
tmux_run "fbvault env --page 1001"
tmux_done
step_rc 64
step_has "use eval \"\$(fbvault env --page 1001)\", redirect it, or --force"
tmux_run "fbvault --vault $T/missing/vault list"
tmux_done
step_rc 66
step_has "fbvault: no vault at $T/missing/vault; create one with: fbvault --vault $T/missing/vault init"
tmux_run "fbvault help help"
tmux_done
step_rc 0
step_has "usage: fbvault help [COMMAND]"
tmux_run "fbvault put --help"
tmux_done
step_rc 0
step_has "  -f, --force"
step_has "  73  the entry exists (--force replaces it)"

check "nothing typed at a prompt was shown" -- sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -J -S - -t t | grep -qF -e '$PASS' -e '$SECRET' -e '$SHORT'"
finish
