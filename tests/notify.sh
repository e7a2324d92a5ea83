# check --notify against a real notification service: dunst, on an Xvfb
# display of its own, on a private D-Bus session bus that starts nothing by
# itself (tests/data/session-bus.conf); dunstctl history shows what arrived.
# The silent cases (no bus, nobody on the bus) are in alive.sh.
if [ -z "${FBV_IN_DBUS:-}" ]; then
	FBV_IN_DBUS=1 exec dbus-run-session --config-file="$(dirname "$0")/data/session-bus.conf" \
		-- bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

for p in Xvfb dunst dunstctl busctl notify-send gdbus; do
	command -v "$p" > /dev/null || { echo "$p is not installed (scripts/install-deps test)" >&2; exit 1; }
done

APP_ID=138483919580948
SECRET=app-secret-$RANDOM$RANDOM
SHORT=EAAshortlivedtoken$RANDOM$RANDOM
# config [USER-MEMBERS [MEMBERS]]: one user managing two pages
config() {
	graph_config '{"app_id": "'$APP_ID'", "app_secret": "'$SECRET'", "require_proof": true,
	 "users": [{"short_token": "'$SHORT'", "user_id": "9876",
	            "scopes": ["pages_show_list", "pages_manage_posts"]'"${1:+, $1}"'}],
	 "pages": [{"id": "1001", "name": "Ferret Bakery"}, {"id": "1002", "name": "Ferret Cafe"}]
	 '"${2:+, $2}"'}'
}
WARN='"long_lived_expires_in": 432000' # the user token expires in 5 days
config
use_fake_graph
export FBVAULT_TIMEOUT=5 FBVAULT_CONNECT_TIMEOUT=5
new_vault
printf '%s\n' "$APP_ID" | fbv put app-id
printf '%s\n' "$SECRET" | fbv put app-secret
printf '%s\n' "$SHORT" | fbv --quiet login > /dev/null || { echo "login failed" >&2; exit 1; }

# --- dunst on a display nobody else has ---------------------------------------
# Each urgency formats the message its own way, so that the history (which
# does not carry the urgency) shows the one dunst gave: URGENCY|SUMMARY|BODY.
# Nothing times out: a notification stays until dunstctl close-all. Every
# one is kept apart (dunst would merge a second identical one into the first).
cat > "$T/dunstrc" <<'EOF'
[global]
	markup = no
	stack_duplicates = false
	history_length = 100
[urgency_low]
	timeout = 0
	format = "low|%s|%b"
[urgency_normal]
	timeout = 0
	format = "normal|%s|%b"
[urgency_critical]
	timeout = 0
	format = "critical|%s|%b"
EOF
# -displayfd: Xvfb takes the first free display number (atomically, by its
# lock file) and writes it there once it accepts connections.
Xvfb -displayfd 3 -nolisten tcp 3> "$T/display" > /dev/null 2> "$T/xvfb.err" &
XVFB_PID=$!
track_pid "$XVFB_PID"
wait_until 10 file_or_gone "$T/display" "$XVFB_PID" || true
DISPLAY_NUMBER=$(cat "$T/display")
[ -n "$DISPLAY_NUMBER" ] || { echo "Xvfb did not start: $(cat "$T/xvfb.err")" >&2; exit 1; }
# Only dunst sees the display (and no Wayland one, which it would prefer):
# fbvault runs as a timer would, without one.
env -u WAYLAND_DISPLAY DISPLAY=:$DISPLAY_NUMBER dunst -config "$T/dunstrc" > "$T/dunst.out" 2> "$T/dunst.err" &
DUNST_PID=$!
track_pid "$DUNST_PID"
if ! wait_until 10 name_owned org.freedesktop.Notifications; then
	echo "dunst did not start: $(cat "$T/dunst.err")" >&2
	exit 1
fi
notifications_pid() {
	dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.Notifications |
		awk '{ print $2 }'
}
check "the notification service is the dunst started here" -- test "$(notifications_pid)" = "$DUNST_PID"

# history: closes what dunst shows (into its history) and fetches the
# history into $T/history.json; every one fetched is kept in $T/histories.
history() {
	dunstctl close-all && dunstctl history > "$T/history.json" || return 1
	cat "$T/history.json" >> "$T/histories"
}
NOTES_PY='
import json, sys
notes = sorted(json.load(open(sys.argv[1]))["data"][0], key=lambda n: n["id"]["data"])
if sys.argv[2] == "last":
    print(notes[-1]["id"]["data"] if notes else 0)
for n in notes if sys.argv[2] != "last" else []:
    if n["id"]["data"] > int(sys.argv[2]):
        print(n["message"]["data"] + "\t" + n["appname"]["data"])'
# last_note: the number of the latest notification (0: none yet)
last_note() { history && python3 -c "$NOTES_PY" "$T/history.json" last; }
# notes_after N: the notifications after number N into $T/notes, oldest
# first, one line each: URGENCY|SUMMARY|BODY, a tab, the app name
notes_after() { history && python3 -c "$NOTES_PY" "$T/history.json" "$1" > "$T/notes"; }
# sent_one DESCRIPTION LINE: since $mark, exactly one notification, LINE.
# No waiting: notify-send and gdbus return once dunst has answered Notify,
# and check has exited.
sent_one() {
	notes_after "$mark"
	check "$1: one notification ($(wc -l < "$T/notes") arrived)" -- test "$(wc -l < "$T/notes")" -eq 1
	check "$1: it reads '$2' ($(cat "$T/notes"))" -- test "$(cat "$T/notes")" = "$2"
}
sent_none() {
	notes_after "$mark"
	check "$1: no notification ($(cat "$T/notes"))" -- test ! -s "$T/notes"
}

# --- check --notify, notify-send ----------------------------------------------
mark=$(last_note)
expect 0 "check --notify on a healthy vault" -- fbv check --notify
check "every token ok" -- test "$(grep -c ': ok: ' "$T/out")" -eq 3
sent_none "healthy"

config "$WARN"
mark=$(last_note)
expect 1 "check --notify: the user token expires in 5 days" -- fbv check --notify
check "the warning line as without --notify" -- grep -q '^user-token: WARNING: expires in 4d 23h ' "$T/out"
check "nothing on stderr" -- test ! -s "$T/err"
sent_one "warning" "normal|fbvault: a token expires soon|user-token warning	fbvault"

P2=$(fbv get page/1002)
DEAD='"invalidate": [{"token": "'"$P2"'", "subcode": 467}]'
config "" "$DEAD"
mark=$(last_note)
expect 77 "check --notify: page/1002 invalidated" -- fbv check --notify
check "the DEAD line as without --notify" -- grep -q '^page/1002: DEAD: the token is invalid (code 190/467)' "$T/out"
sent_one "dead" "critical|fbvault: a token is dead or cannot post|page/1002 dead	fbvault"

config "$WARN" "$DEAD"
mark=$(last_note)
expect 77 "check --notify: a warning and a dead token" -- fbv check --notify
sent_one "warning and dead" "critical|fbvault: a token is dead or cannot post|page/1002 dead, user-token warning	fbvault"

mark=$(last_note)
expect 69 "check --notify: Graph unreachable" -- env FBVAULT_GRAPH_URL=https://127.0.0.1:1 "$FBVAULT_BIN" check --notify
check "the one-line error as without --notify" -- grep -q '^fbvault: cannot reach the Graph API' "$T/err"
sent_one "unreachable" "normal|fbvault check could not ask Graph|run fbvault check to see why	fbvault"

config
mark=$(last_note)
expect 0 "check --notify: healthy again" -- fbv check --notify
sent_none "healthy again"
expect 64 "check --notify --warn nonsense" -- fbv check --notify --warn soon
sent_none "usage error"

# --- without notify-send: gdbus calls org.freedesktop.Notifications -----------
mkdir -p "$T/gdbus-only"
ln -s "$(command -v gdbus)" "$T/gdbus-only/gdbus"
gdbus_only() { env PATH="$T/gdbus-only" "$FBVAULT_BIN" "$@"; }
config "$WARN"
mark=$(last_note)
expect 1 "check --notify, gdbus only: a warning" -- gdbus_only check --notify
sent_one "gdbus, warning" "normal|fbvault: a token expires soon|user-token warning	fbvault"
config "" "$DEAD"
mark=$(last_note)
expect 77 "check --notify, gdbus only: a dead token" -- gdbus_only check --notify
sent_one "gdbus, dead" "critical|fbvault: a token is dead or cannot post|page/1002 dead	fbvault"
config
mark=$(last_note)
expect 0 "check --notify, gdbus only: healthy" -- gdbus_only check --notify
sent_none "gdbus, healthy"

# --- names and words only: no stored value reaches the notification service --
check "dunst's history holds notifications to search" -- grep -q '"summary"' "$T/histories"
expect 0 "list --json" -- fbv list --json
python3 -c 'import json, sys; print("\n".join(e["name"] for e in json.load(open(sys.argv[1]))))' \
	"$T/out" > "$T/names"
check "every stored entry listed ($(wc -l < "$T/names"))" -- test "$(wc -l < "$T/names")" -eq 5
while read -r name; do
	fbv get "$name" > "$T/value" < /dev/null || not_ok "get $name"
	check "no value of $name in the notifications or dunst's output" -- \
		sh -c '! grep -qF -e "$(cat "$1")" "$2" "$3" "$4"' sh "$T/value" "$T/histories" \
		"$T/dunst.out" "$T/dunst.err"
done < "$T/names"
check "nor the short-lived token login was given" -- \
	sh -c '! grep -qF -e "$1" "$2"' sh "$SHORT" "$T/histories"

finish
