# shellcheck shell=bash
# A real terminal for the tests that type as a person does: tmux on a
# private socket, one session "t" of 200x50, its whole history kept.
# Sourced after tests/lib.sh.
#   tmux_start COMMAND        a session running COMMAND (through sh -c)
#   tmux_keys KEY...          tmux key names: Enter, Tab, C-d
#   tmux_type TEXT            literal text, through a paste buffer (never argv)
#   tmux_screen [-e]          all shown so far, as text (-e: with colours)
#   tmux_wait TEXT [N [SECS]] until this step has shown TEXT N times
#   tmux_run COMMAND          type COMMAND and Enter, marked so that:
#   tmux_done [SECONDS]       waits for it to end; RC its exit status,
#                             $T/step what the screen showed meanwhile
TMUX_SOCK=$T/tmux.sock
TMUX_STEP=0
printf 'set -g history-limit 100000\nset -g status off\n' > "$T/tmux.conf"
tm() { tmux -S "$TMUX_SOCK" "$@"; }
tmux_start() {
	tm -f "$T/tmux.conf" new-session -d -s t -x 200 -y 50 "$1" || return 1
	track_pid "$(tm display-message -p '#{pid}')"
	CLEANUP_HOOK="tmux -S '$TMUX_SOCK' kill-server 2> /dev/null; ${CLEANUP_HOOK:-}"
}
tmux_keys() { tm send-keys -t t "$@"; }
tmux_type() { printf '%s' "$1" | tm load-buffer -b typed - && tm paste-buffer -b typed -d -t t; }
tmux_screen() { tm capture-pane -p -J -S - -t t ${1:+"$1"}; }
# The last lines shown, for a message.
screen_tail() { tmux_screen | grep -v '^$' | tail -n 8 | tr '\n' '|'; }
# What the current step (since the last step's end) has shown so far.
step_screen() {
	if [ "$TMUX_STEP" -le 1 ]; then tmux_screen; return; fi
	tmux_screen | awk -v prev="^<<$((TMUX_STEP - 1)):[0-9]+>>\$" 'on { print } $0 ~ prev { on = 1 }'
}
step_count_ge() { [ "$(step_screen | grep -cF -- "$1")" -ge "$2" ]; }
# tmux_wait TEXT [N [SECONDS]]: until the current step has shown TEXT N
# times (default once), at most SECONDS (default 30).
tmux_wait() {
	if wait_until "${3:-30}" step_count_ge "$1" "${2:-1}"; then ok; else
		not_ok "the terminal showed '$1' fewer than ${2:-1} times; it shows: $(screen_tail)"
	fi
}
tmux_run() {
	TMUX_STEP=$((TMUX_STEP + 1))
	tmux_type "$1; echo \"<<$TMUX_STEP:\$?>>\""
	tmux_keys Enter
}
step_ended() { tmux_screen | grep -qE "^<<$TMUX_STEP:[0-9]+>>\$"; }
tmux_done() {
	if ! wait_until "${1:-60}" step_ended; then
		not_ok "step $TMUX_STEP did not end; the terminal shows: $(screen_tail)"
		RC=-1
		return
	fi
	tmux_screen | awk -v prev="^<<$((TMUX_STEP - 1)):[0-9]+>>\$" -v cur="^<<$TMUX_STEP:[0-9]+>>\$" '
		$0 ~ cur { exit } on { print } $0 ~ prev { on = 1 }' > "$T/step"
	[ "$TMUX_STEP" -gt 1 ] || tmux_screen | sed "/^<<1:[0-9]*>>\$/,\$d" > "$T/step"
	RC=$(tmux_screen | sed -n "s/^<<$TMUX_STEP:\([0-9]*\)>>\$/\1/p" | tail -n 1)
}
# step_has TEXT: what the last step showed holds TEXT (a whole line's part).
step_has() {
	if grep -qF -- "$1" "$T/step"; then ok; else
		not_ok "step $TMUX_STEP lacks '$1': $(tail -n 6 "$T/step")"
	fi
}
step_rc() {
	if [ "$RC" = "$1" ]; then ok; else not_ok "step $TMUX_STEP: exit $RC, wanted $1: $(tail -n 4 "$T/step")"; fi
}
