#!/usr/bin/env bash
# graph_client.sh GRAPH_LIVE - graph/ against real servers on 127.0.0.1.
#
# Makes the test CA, starts fake_graph.py twice (one certificate from the
# test CA, one from another CA) and a plain-HTTP loopback server that hands
# out foreign paging links, then runs the C test binary (graph_live) in its
# three modes and checks every appsecret_proof in the servers' logs with
# check_proofs.py. Exits 77 (skipped) without python3 or openssl. The
# servers start the one way tests/lib.sh has (every wait bounded) and are
# stopped on exit.
set -euo pipefail

live=$1
here=$(cd "$(dirname "$0")" && pwd)
PY=$(command -v python3 || true)
if [ -z "$PY" ] || ! command -v openssl >/dev/null; then
    echo "graph_client: python3 or openssl missing, skipped"
    exit 77
fi
# shellcheck source=tests/lib.sh
. "$here/lib.sh" --bare
tmp=$T
GRAPH_CONFIG=$tmp/config.json

failed=0
check() {  # check NAME COMMAND...
    if "${@:2}"; then
        echo "ok: $1"
    else
        echo "FAIL: $1"
        failed=$((failed + 1))
    fi
}

# /KIND/me/accounts answers one page and a paging link that leaves the
# origin the way KIND says ("same" does not); the second page ends it.
cat >"$tmp/plain.py" <<'EOF'
import json, os, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl, urlsplit

port_file, log = sys.argv[1], sys.argv[2]

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        with open(log, "a") as f:
            f.write(json.dumps({"conn": id(self.connection), "method": "GET",
                                "path": url.path, "query": query,
                                "raw_query": url.query}) + "\n")
        kind = url.path.split("/")[1]
        me = "127.0.0.1:%d" % self.server.server_port
        links = {
            "port": "http://127.0.0.1:1/port/me/accounts?after=x",
            "host": "http://localhost:%d/host/me/accounts?after=x" % self.server.server_port,
            "scheme": "https://%s/scheme/me/accounts?after=x" % me,
            "userinfo": "http://%s@evil.example/me/accounts?after=x" % me,
            "same": "http://%s/same/me/accounts?access_token=LEAKED&after=x"
                    "&appsecret_proof=00ff" % me,
        }
        second = "after" in query
        body = {"data": [{"id": "2" if second else "1", "name": "p",
                          "access_token": "EAApage"}]}
        if not second:
            body["paging"] = {"next": links.get(kind, "")}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

server = HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_port))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
EOF

export FBV_TEST_APP_ID=138483919580948
export FBV_TEST_SECRET=0123456789abcdef0123456789abcdef
export FBV_TEST_SHORT=EAAshortUserNineEightSevenSix
export FBV_TEST_SHORT2=EAAshortUserFiveFiveFiveFive
export FBV_TEST_SHORT_EXPIRED=EAAshortUserSevenExpired
export FBV_TEST_BASE_CONFIG=$tmp/base.json
export FBV_TEST_CONFIG=$tmp/config.json
cat >"$FBV_TEST_BASE_CONFIG" <<EOF
{"app_id": "$FBV_TEST_APP_ID", "app_secret": "$FBV_TEST_SECRET",
 "app_name": "Ferret Poster", "require_proof": true, "per_page": 2,
 "users": [
   {"short_token": "$FBV_TEST_SHORT", "user_id": "9876"},
   {"short_token": "$FBV_TEST_SHORT2", "user_id": "5555", "scopes": ["pages_show_list"]},
   {"short_token": "$FBV_TEST_SHORT_EXPIRED", "user_id": "7777", "short_expired": true}],
 "pages": [
   {"id": "1001", "name": "Ferret Bakery", "category": "Bakery"},
   {"id": "1002", "name": "Weasel Cafe"},
   {"id": "1003", "name": "Stoat Deli"},
   {"id": "1004", "name": "Mink Market"},
   {"id": "1005", "name": "Otter Oven", "users": ["9876", "7777"]}]}
EOF
cp "$FBV_TEST_BASE_CONFIG" "$FBV_TEST_CONFIG"

start_fake_graph main "" --max-seconds 240
export FBVAULT_GRAPH_URL=$GRAPH_URL
start_fake_graph other other- --max-seconds 240
export FBV_TEST_OTHER_URL=$GRAPH_URL
export FBV_TEST_OTHER_CA=$GRAPH_CA/other-ca.pem
timeout 240 "$PY" "$tmp/plain.py" "$tmp/plain.port" "$tmp/plain.log" 2>"$tmp/plain.err" &
track_pid $!
wait_until 10 file_or_gone "$tmp/plain.port" $! || true
[ -s "$tmp/plain.port" ] || { echo "graph_client: plain server did not start" >&2; exit 1; }
FBV_TEST_PLAIN_URL=http://127.0.0.1:$(cat "$tmp/plain.port")
export FBV_TEST_PLAIN_URL
export FBVAULT_CA_FILE=$GRAPH_CA/ca.pem
export FBVAULT_GRAPH_VERSION=v25.0
unset FBVAULT_TIMEOUT FBVAULT_CONNECT_TIMEOUT

check "flow" timeout 60 "$live" flow
check "flow: 4 requests, one connection, every proof right" \
    "$PY" "$here/graph/check_proofs.py" --max-conns 1 "$tmp/main.log" "$FBV_TEST_SECRET"
check "flow: 4 requests logged (me/accounts asks limit=100)" test "$(wc -l <"$tmp/main.log")" -eq 4
check "flow: the User-Agent names fbvault" \
    grep -q '"user_agent": "fbvault/' "$tmp/main.log"
check "faults" timeout 120 "$live" faults
check "faults: every proof right, over the whole log" \
    "$PY" "$here/graph/check_proofs.py" "$tmp/main.log" "$FBV_TEST_SECRET"
check "faults: the other server saw proofs right too" \
    "$PY" "$here/graph/check_proofs.py" "$tmp/other.log" "$FBV_TEST_SECRET"
check "paging" timeout 60 "$live" paging
check "paging: 4 refused links not followed, 1 followed" \
    test "$(wc -l <"$tmp/plain.log")" -eq 6
check "paging: our own token and proof replaced the link's" \
    "$PY" "$here/graph/check_proofs.py" "$tmp/plain.log" "$FBV_TEST_SECRET"
not_in() {  # not_in WORD FILE
    ! grep -q "$1" "$2"
}
check "paging: the link's token never sent" not_in LEAKED "$tmp/plain.log"

if [ "$failed" -ne 0 ]; then
    echo "graph_client: $failed failed"
    exit 1
fi
echo "graph_client: all passed"
