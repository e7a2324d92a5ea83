#!/usr/bin/env bash
# selftest.sh - end-to-end test of make_ca.sh, fake_graph.py and check_proofs.py,
# driven with curl. Talks only to 127.0.0.1. Prints "N passed, M failed" and
# exits 1 if any assertion failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
PY=$("${PYTHON:-python3}" -c 'import sys; print(sys.executable)')  # skip pyenv-style shims
. "$here/../lib.sh" --bare  # $T, start_fake_graph, cleanup on exit
tmp=$T
GRAPH_CONFIG=$tmp/config.json
passed=0
failed=0

APP_ID=138483919580948
SECRET=s3cr3t-ferret-app-secret
APP_TOKEN="$APP_ID%7C$SECRET"          # APP_ID|APP_SECRET, URL-encoded
SHORT=EAAshortFerretUser9876          # user 9876: every scope, every page
SHORT2=EAAshortFerretUser5555         # user 5555: no pages_manage_posts, not 1005
SHORT3=EAAshortFerretUser7777         # user 7777: short token expired
ACCOUNTS_FIELDS='access_token,category,category_list,id,name,tasks'

check() {  # check NAME COMMAND...: one assertion
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $name" >&2
    fi
}

proof() {  # hex HMAC-SHA256(SECRET, token), computed apart from the server
    printf %s "$1" | openssl dgst -sha256 -hmac "$SECRET" | awk '{print $NF}'
}

auth() {  # query arguments carrying token $1 and its proof
    echo "access_token=$1&appsecret_proof=$(proof "$1")"
}

write_config() {  # write_config FAULTS_JSON: replace config.json atomically
    cat >"$tmp/config.new" <<EOF
{"app_id": "$APP_ID", "app_secret": "$SECRET", "app_name": "Ferret Poster",
 "require_proof": true,
 "users": [
   {"short_token": "$SHORT", "user_id": "9876",
    "scopes": ["pages_show_list", "pages_manage_posts"]},
   {"short_token": "$SHORT2", "user_id": "5555", "scopes": ["pages_show_list"]},
   {"short_token": "$SHORT3", "user_id": "7777", "short_expired": true}],
 "pages": [
   {"id": "1001", "name": "Ferret Bakery", "category": "Bakery"},
   {"id": "1002", "name": "Ferret Cafe", "category": "Cafe"},
   {"id": "1003", "name": "Ferret Books", "category": "Bookstore"},
   {"id": "1004", "name": "Ferret Bikes", "category": "Bicycle Shop"},
   {"id": "1005", "name": "Ferret Private", "category": "Bakery",
    "users": ["9876"]}],
 "per_page": 2,
 "faults": $1}
EOF
    mv -f "$tmp/config.new" "$tmp/config.json"
}

set_fault() {  # set_fault ENDPOINT FAULT
    write_config "{\"$1\": \"$2\"}"
}

start_server() {  # start_server NAME CERT_PREFIX [ARGS...]: sets $port, $server_pid
    PYTHON=$PY start_fake_graph "$@"
    server_pid=$GRAPH_PID port=$GRAPH_PORT
    [ -n "$port" ]
}

wait_exit() {  # wait_exit PID SECONDS: true if PID exited with status 0 in time
    local pid=$1 i
    for i in $(seq $(($2 * 10))); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && return 1
    wait "$pid"
}

fetch() {  # fetch URL [CURL ARGS...]: sets $status and $rc; body in $tmp/body
    local url=$1
    shift
    rc=0
    status=$(curl -sS --cacert "$tmp/ca/ca.pem" --max-time 5 "$@" \
        -D "$tmp/headers" -o "$tmp/body" -w '%{http_code}' "$url" \
        2>"$tmp/curl.err") || rc=$?
}

get() {  # get PATH?QUERY [CURL ARGS...]
    local path=$1
    shift
    fetch "https://127.0.0.1:$port$path" "$@"
}

# One Python process evaluates every JSON query: "FILE<TAB>EXPR" in, one line out.
start_evaluator() {
    coproc EVAL { "$PY" -u -c '
import json, sys
for line in sys.stdin:
    path, expr = line.rstrip("\n").split("\t", 1)
    try:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        result = str(eval(expr))
    except Exception:
        result = "<error>"
    print(result.replace("\n", "\\n"))
'; }
    track_pid "$EVAL_PID"
}

jv() {  # jv EXPR: Python expression over the JSON body as d; <error> if none
    local result
    printf '%s\t%s\n' "$tmp/body" "$1" >&"${EVAL[1]}"
    IFS= read -r -t 10 result <&"${EVAL[0]}"
    printf '%s\n' "$result"
}

is_json() { [ "$(jv 1)" = 1 ]; }

header() {  # header NAME: value of a response header
    awk -v n="$(echo "$1" | tr A-Z a-z)" -F': ' \
        'tolower($1) == n { sub(/\r$/, "", $2); print $2 }' "$tmp/headers"
}

equals() { [ "$1" = "$2" ]; }
not() { ! "$@"; }
fails() { ! "$@" >/dev/null 2>&1; }
is_token() { [[ $1 =~ ^EAA[A-Za-z0-9]{120}$ ]]; }
contains() { case $1 in *"$2"*) true ;; *) false ;; esac; }
body_has() { grep -qF -- "$1" "$tmp/body"; }
log_lines() { wc -l <"$tmp/main.log"; }
log_since() { tail -n +$(($1 + 1)) "$tmp/main.log" >"$2"; }

expect_error() {  # expect_error NAME STATUS CODE [SUBCODE]
    check "$1: HTTP $2" equals "$status" "$2"
    check "$1: code $3" equals "$(jv 'd["error"]["code"]')" "$3"
    check "$1: subcode ${4:-none}" equals "$(jv 'd["error"].get("error_subcode")')" \
        "${4:-None}"
    check "$1: fbtrace_id" equals "$(jv 'len(d["error"]["fbtrace_id"])')" 11
    check "$1: JSON content type" equals "$(header Content-Type)" \
        "application/json; charset=UTF-8"
}

exchange_path() {  # exchange_path SHORT_TOKEN [SECRET] [PREFIX]
    echo "${3-/v25.0}/oauth/access_token?grant_type=fb_exchange_token&client_id=$APP_ID&client_secret=${2:-$SECRET}&fb_exchange_token=$1"
}

exchange() {  # exchange SHORT_TOKEN: prints the long-lived token
    get "$(exchange_path "$1")"
    jv 'd["access_token"]'
}

test_certificates() {
    check "make_ca.sh succeeds quietly" equals "$(bash "$here/make_ca.sh" "$tmp/ca" 2>&1)" ""
    local before f
    before=$(cat "$tmp"/ca/*.pem | sha256sum)
    check "make_ca.sh is idempotent" equals "$(bash "$here/make_ca.sh" "$tmp/ca" 2>&1)" ""
    check "make_ca.sh keeps valid files" equals "$(cat "$tmp"/ca/*.pem | sha256sum)" "$before"
    for f in ca.pem ca.key server.pem server.key \
             other-ca.pem other-ca.key other-server.pem other-server.key; do
        check "make_ca.sh made $f" test -s "$tmp/ca/$f"
    done
    check "server cert verifies with ca.pem" \
        openssl verify -CAfile "$tmp/ca/ca.pem" "$tmp/ca/server.pem" >/dev/null
    check "server cert does not verify with other-ca.pem" \
        fails openssl verify -CAfile "$tmp/ca/other-ca.pem" "$tmp/ca/server.pem"
    check "server cert names 127.0.0.1, ::1, localhost" \
        contains "$(openssl x509 -in "$tmp/ca/server.pem" -noout -ext subjectAltName)" \
        "IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost"
    check "make_ca.sh without DIR fails" fails bash "$here/make_ca.sh"
}

test_cli() {
    check "--self-test passes" "$PY" "$here/fake_graph.py" --self-test >/dev/null
    check "a host other than loopback is refused" fails "$PY" "$here/fake_graph.py" \
        --cert x --key x --config x --port-file x --log x --host 0.0.0.0
    echo '{"app_id": "not digits"}' >"$tmp/bad.json"
    check "an invalid config is refused at start" fails "$PY" "$here/fake_graph.py" \
        --cert "$tmp/ca/server.pem" --key "$tmp/ca/server.key" --config "$tmp/bad.json" \
        --port-file "$tmp/bad.port" --log "$tmp/bad.log"
    check "no port file after a failed start" test ! -e "$tmp/bad.port"
}

test_exchange() {
    get "$(exchange_path "$SHORT")"
    check "exchange: HTTP 200" equals "$status" 200
    check "exchange: long token shape" is_token "$(jv 'd["access_token"]')"
    check "exchange: token_type" equals "$(jv 'd["token_type"]')" bearer
    check "exchange: expires_in" equals "$(jv 'd["expires_in"]')" 5183944
    check "exchange: X-App-Usage" contains "$(header X-App-Usage)" '{"call_count":'
    check "exchange: Content-Length" equals "$(header Content-Length)" "$(wc -c <"$tmp/body")"
    get "$(exchange_path "$SHORT" "$SECRET" "")"
    check "exchange without version prefix" equals "$status" 200
    get "$(exchange_path "$SHORT" wrong-secret)"
    expect_error "exchange with a bad secret" 400 1
    check "bad secret message" equals "$(jv 'd["error"]["message"]')" "Error validating client secret."
    get "/v25.0/oauth/access_token?grant_type=fb_exchange_token&client_id=999&client_secret=$SECRET&fb_exchange_token=$SHORT"
    expect_error "exchange with an unknown app" 400 101
    get "$(exchange_path EAAnotAtoken)"
    expect_error "exchange of an unknown token" 400 190 467
    get "$(exchange_path "$SHORT3")"
    expect_error "exchange of an expired token" 400 190 463
    check "expired message" contains "$(jv 'd["error"]["message"]')" "Session has expired on"
    get "/v25.0/oauth/access_token?client_id=$APP_ID&client_secret=$SECRET&fb_exchange_token=$SHORT"
    expect_error "exchange without grant_type" 400 100
    get "/v25.0/oauth/access_token?grant_type=client_credentials&client_id=$APP_ID&client_secret=$SECRET"
    expect_error "exchange with a wrong grant_type" 400 100
}

follow_accounts() {  # follow_accounts TOKEN FIRST_URL: sets $ids, $fetches, $nexts
    local url=$2 prev
    ids="" fetches=0 nexts=""
    while [ -n "$url" ] && [ "$fetches" -lt 10 ]; do
        fetch "$url"
        [ "$status" = 200 ] || return 1
        fetches=$((fetches + 1))
        ids="$ids$(jv '"".join(p["id"] + " " for p in d["data"])')"
        prev=$(jv '"previous" in d["paging"]')
        check "accounts page $fetches: previous link only after the first" \
            equals "$prev" "$([ "$fetches" -gt 1 ] && echo True || echo False)"
        check "accounts page $fetches: entry fields" equals \
            "$(jv '",".join(sorted(d["data"][0]))')" "$ACCOUNTS_FIELDS"
        url=$(jv 'd["paging"].get("next", "")')
        [ -n "$url" ] && nexts="$nexts$url " && url="$url&appsecret_proof=$(proof "$1")"
    done
}

test_accounts() {
    local base="https://127.0.0.1:$port"
    follow_accounts "$LONG" "$base/v25.0/me/accounts?$(auth "$LONG")"
    check "accounts: 3 fetches of 2" equals "$fetches" 3
    check "accounts: 5 pages in order" equals "$ids" "1001 1002 1003 1004 1005 "
    check "accounts: next links absolute, same prefix" \
        contains "$nexts" "$base/v25.0/me/accounts?access_token=$LONG&limit=2&after="
    get "/v25.0/me/accounts?$(auth "$LONG")"
    PAGE1001=$(jv 'd["data"][0]["access_token"]')
    check "accounts: page token shape" is_token "$PAGE1001"
    check "accounts: category_list" equals "$(jv 'd["data"][0]["category_list"][0]["name"]')" Bakery
    check "accounts: tasks" contains "$(jv 'd["data"][0]["tasks"]')" CREATE_CONTENT
    get "/v25.0/me/accounts?$(auth "$LONG")&limit=3"
    check "accounts: limit=3" equals "$(jv 'len(d["data"])')" 3
    follow_accounts "$LONG" "$base/me/accounts?$(auth "$LONG")"
    check "accounts without prefix: next without prefix" \
        contains "$nexts" "$base/me/accounts?access_token="
    get "/v25.0/me/accounts?$(auth "$LONG")&fields=id,name,access_token"
    check "accounts: fields= selects" equals "$(jv '",".join(sorted(d["data"][1]))')" \
        "access_token,id,name"
    check "accounts: next keeps fields=" contains "$(jv 'd["paging"]["next"]')" \
        "fields=id%2Cname%2Caccess_token&limit=2&after="
    follow_accounts "$LONG2" "$base/v25.0/me/accounts?$(auth "$LONG2")"
    check "accounts: a page lists its users" equals "$ids" "1001 1002 1003 1004 "
    get "/v25.0/me/accounts"
    expect_error "accounts without a token" 400 104
    get "/v25.0/me/accounts?$(auth EAAunknownToken)"
    expect_error "accounts with an unknown token" 400 190 467
    get "/v25.0/me/accounts?access_token=$LONG"
    expect_error "accounts without a proof" 400 100
    check "missing proof message" equals "$(jv 'd["error"]["message"]')" \
        "API calls from the server require an appsecret_proof argument"
    get "/v25.0/me/accounts?access_token=$LONG&appsecret_proof=$(proof "$LONG" | tr a-f A-F)"
    expect_error "accounts with a wrong proof" 400 100
    check "wrong proof message" equals "$(jv 'd["error"]["message"]')" \
        "Invalid appsecret_proof provided in the API argument"
    check "wrong proof type" equals "$(jv 'd["error"]["type"]')" GraphMethodException
}

test_page() {
    get "/v25.0/1001?fields=access_token&$(auth "$LONG")"
    check "page: HTTP 200" equals "$status" 200
    check "page: same token as me/accounts" equals "$(jv 'd["access_token"]')" "$PAGE1001"
    check "page: id" equals "$(jv 'd["id"]')" 1001
    get "/v25.0/1001?$(auth "$LONG")"
    check "page: name and id by default" equals "$(jv 'd')" \
        "{'name': 'Ferret Bakery', 'id': '1001'}"
    get "/v25.0/1001?fields=access_token,nosuch&$(auth "$LONG")"
    expect_error "page: unknown field" 400 100
    get "/v25.0/4242?fields=access_token&$(auth "$LONG")"
    expect_error "page: unknown id" 400 100 33
    check "page: unknown id type" equals "$(jv 'd["error"]["type"]')" GraphMethodException
    get "/v25.0/1005?fields=access_token&$(auth "$LONG2")"
    expect_error "page: user without a role" 400 190 492
    get "/v25.0/1001?fields=access_token&$(auth "$LONG2")"
    PAGE2=$(jv 'd["access_token"]')
    get "/v25.0/1001?fields=access_token&$(auth "$SHORT")"
    PAGE_SHORT=$(jv 'd["access_token"]')
    check "page: token from a short token differs" test "$PAGE_SHORT" != "$PAGE1001"
}

debug() {  # debug INPUT_TOKEN
    get "/v25.0/debug_token?input_token=$1&access_token=$APP_TOKEN"
}

test_debug_token() {
    debug "$PAGE1001"
    check "debug page token: HTTP 200" equals "$status" 200
    check "debug page token: type" equals "$(jv 'd["data"]["type"]')" PAGE
    check "debug page token: never expires" equals "$(jv 'd["data"]["expires_at"]')" 0
    check "debug page token: valid" equals "$(jv 'd["data"]["is_valid"]')" True
    check "debug page token: pages_manage_posts" \
        equals "$(jv '"pages_manage_posts" in d["data"]["scopes"]')" True
    check "debug page token: ids are strings" \
        equals "$(jv 'd["data"]["app_id"], d["data"]["profile_id"]')" "('$APP_ID', '1001')"
    check "debug page token: user_id" equals "$(jv 'd["data"]["user_id"]')" 9876
    check "debug page token: application" equals "$(jv 'd["data"]["application"]')" "Ferret Poster"
    check "debug page token: granular_scopes" \
        equals "$(jv 'd["data"]["granular_scopes"][1]')" \
        "{'scope': 'pages_manage_posts', 'target_ids': ['1001']}"
    debug "$PAGE2"
    check "debug page token of a user without the scope" \
        equals "$(jv '"pages_manage_posts" in d["data"]["scopes"]')" False
    debug "$PAGE_SHORT"
    check "debug page token from a short token: one hour" \
        equals "$(jv 'd["data"]["expires_at"] - d["data"]["issued_at"]')" 3600
    debug "$LONG"
    check "debug long token: USER, 60 days" equals \
        "$(jv 'd["data"]["type"], d["data"]["expires_at"] - d["data"]["issued_at"]')" \
        "('USER', 5183944)"
    debug EAAnotAtoken
    check "debug unknown token: HTTP 200" equals "$status" 200
    check "debug unknown token: invalid, 467" \
        equals "$(jv 'd["data"]["is_valid"], d["data"]["error"]["subcode"]')" "(False, 467)"
    debug "$SHORT3"
    check "debug expired token: invalid, 463" \
        equals "$(jv 'd["data"]["is_valid"], d["data"]["error"]["subcode"]')" "(False, 463)"
    get "/v25.0/debug_token?input_token=$PAGE1001&access_token=$APP_ID%7Cwrong"
    expect_error "debug_token with a wrong app token" 400 190
    get "/v25.0/debug_token?input_token=$PAGE1001&access_token=$LONG"
    expect_error "debug_token with a user token, no proof" 400 100
    get "/v25.0/debug_token?input_token=$PAGE1001&$(auth "$LONG")"
    check "debug_token with a user token and proof" equals "$status" 200
}

test_paths() {
    get "/vfoo/me/accounts?$(auth "$LONG")"
    expect_error "malformed version prefix" 400 2500
    check "unknown path message" contains "$(jv 'd["error"]["message"]')" "Unknown path components"
    get "/v25.0/me/feed?$(auth "$LONG")"
    expect_error "unknown edge" 400 2500
    get "/v25.0/nosuchthing?$(auth "$LONG")"
    expect_error "unknown object" 400 100 33
}

test_keepalive() {
    local mark
    mark=$(log_lines)
    curl -sS --cacert "$tmp/ca/ca.pem" --max-time 10 -o /dev/null -o /dev/null \
        -o /dev/null -o /dev/null \
        "https://127.0.0.1:$port$(exchange_path "$SHORT")" \
        "https://127.0.0.1:$port/v25.0/me/accounts?$(auth "$LONG")" \
        "https://127.0.0.1:$port/v25.0/1001?fields=access_token&$(auth "$LONG")" \
        "https://127.0.0.1:$port/v25.0/debug_token?input_token=$PAGE1001&access_token=$APP_TOKEN"
    log_since "$mark" "$tmp/flow.log"
    check "one connection: 4 requests logged" equals "$(wc -l <"$tmp/flow.log")" 4
    check "check_proofs passes a good flow on one connection" \
        "$PY" "$here/check_proofs.py" --max-conns 1 "$tmp/flow.log" "$SECRET" >/dev/null
    check "check_proofs summary" equals \
        "$("$PY" "$here/check_proofs.py" "$tmp/flow.log" "$SECRET")" \
        "4 requests checked, 2 carried tokens, all proofs correct"
    get "/v25.0/me/accounts?$(auth "$LONG")"
    log_since "$mark" "$tmp/two.log"
    check "check_proofs --max-conns 1 fails on two connections" \
        fails "$PY" "$here/check_proofs.py" --max-conns 1 "$tmp/two.log" "$SECRET"
}

test_check_proofs() {
    local out
    sed '0,/"appsecret_proof": "[0-9a-f]*"/s//"appsecret_proof": "00ff"/' \
        "$tmp/flow.log" >"$tmp/doctored.log"
    out=$("$PY" "$here/check_proofs.py" "$tmp/doctored.log" "$SECRET")
    check "check_proofs fails a doctored proof" equals "$?" 1
    check "check_proofs names the wrong proof" contains "$out" "wrong appsecret_proof"
    check "check_proofs prints no token" not contains "$out" EAA
    sed 's/, "appsecret_proof": "[0-9a-f]*"//' "$tmp/flow.log" >"$tmp/doctored.log"
    out=$("$PY" "$here/check_proofs.py" "$tmp/doctored.log" "$SECRET")
    check "check_proofs fails a missing proof" contains "$out" "no appsecret_proof"
    check "check_proofs fails the whole log (it has refused calls)" \
        fails "$PY" "$here/check_proofs.py" "$tmp/main.log" "$SECRET"
}

test_transport_faults() {
    local t0
    set_fault exchange http500
    get "$(exchange_path "$SHORT")"
    expect_error "http500" 500 2
    check "http500 is transient" equals "$(jv 'd["error"]["is_transient"]')" True
    set_fault accounts html502
    get "/v25.0/me/accounts?$(auth "$LONG")"
    check "html502: HTTP 502" equals "$status" 502
    check "html502: text/html" contains "$(header Content-Type)" text/html
    check "html502: X-App-Usage" contains "$(header X-App-Usage)" call_count
    set_fault page truncated
    get "/v25.0/1001?fields=access_token&$(auth "$LONG")"
    check "truncated: HTTP 200" equals "$status" 200
    check "truncated: not JSON" not is_json
    check "truncated: half a page answer" equals "$(wc -c <"$tmp/body")" \
        "$(( $(printf '{"access_token":"%s","id":"1001"}' "$PAGE1001" | wc -c) / 2 ))"
    set_fault exchange malformed
    get "$(exchange_path "$SHORT")"
    check "malformed: HTTP 200, garbage" body_has '{"access_token": "EAA'
    check "malformed: not JSON" not is_json
    set_fault debug_token oversize
    debug "$PAGE1001"
    check "oversize: HTTP 200" equals "$status" 200
    check "oversize: 2 MiB" equals "$(wc -c <"$tmp/body")" 2097152
    check "oversize: valid JSON" is_json
    set_fault exchange slow
    t0=$(date +%s)
    get "$(exchange_path "$SHORT")" --max-time 2
    check "slow: the client times out" equals "$rc" 28
    check "slow: within the client's timeout" test $(($(date +%s) - t0)) -le 4
    set_fault accounts reset
    get "/v25.0/me/accounts?$(auth "$LONG")"
    check "reset: connection reset by peer (curl 56)" equals "$rc" 56
    check "reset: logged with status 0" \
        contains "$(tail -n 1 "$tmp/main.log")" '"status": 0, "fault": "reset"'
}

test_graph_faults() {
    set_fault exchange ratelimit
    get "$(exchange_path "$SHORT")"
    expect_error "ratelimit" 403 4
    check "ratelimit: transient" equals "$(jv 'd["error"]["is_transient"]')" True
    check "ratelimit: X-App-Usage at 100" contains "$(header X-App-Usage)" '"call_count":100'
    set_fault page error:190:460
    get "/v25.0/1001?fields=access_token&$(auth "$LONG")"
    expect_error "error:190:460" 400 190 460
    set_fault accounts error:200
    get "/v25.0/me/accounts?$(auth "$LONG")"
    expect_error "error:200" 400 200
    check "error:200 names the permission" contains "$(jv 'd["error"]["message"]')" pages_manage_posts
    set_fault accounts error:17
    get "/v25.0/me/accounts?$(auth "$LONG")"
    expect_error "error:17" 403 17
    set_fault debug_token error:2
    debug "$PAGE1001"
    check "error:2 is transient" equals "$(jv 'd["error"]["code"], d["error"]["is_transient"]')" "(2, True)"
    set_fault accounts unicode_name
    get "/v25.0/me/accounts?$(auth "$LONG")"
    check "unicode_name: HTTP 200" equals "$status" 200
    local esc
    for esc in '\u00e9' '\ud83e\udd50' '\/' '\u001b]0;pwned\u0007' '\u001b[2J' 'https:\/\/'; do
        check "unicode_name: $esc on the wire" body_has "$esc"
    done
    check "unicode_name: decodes" equals "$(jv '"\x1b[2J" in d["data"][0]["name"] and "\U0001F950" in d["data"][0]["name"]')" True
    set_fault debug_token numeric_ids
    debug "$PAGE1001"
    check "numeric_ids: numbers" equals "$(jv 'd["data"]["app_id"], d["data"]["profile_id"]')" "($APP_ID, 1001)"
    set_fault exchange explode
    get "$(exchange_path "$SHORT")"
    check "an invalid fault fails loudly" equals "$status" 500
    write_config '{}'
    get "$(exchange_path "$SHORT")"
    check "faults cleared at run time" equals "$status" 200
}

test_other_ca() {
    get "/v25.0/me/accounts?$(auth "$LONG")" --cacert "$tmp/ca/other-ca.pem"
    check "a client trusting another CA refuses the server" equals "$rc" 60
    local other_pid
    start_server other other- --max-seconds 2
    check "other server starts" test -n "$port"
    other_pid=$server_pid
    get "$(exchange_path "$SHORT")"
    check "a certificate from another CA is refused" equals "$rc" 60
    get "$(exchange_path "$SHORT")" --cacert "$tmp/ca/other-ca.pem"
    check "the other CA accepts its own server" equals "$status" 200
    check "--max-seconds: exits by itself with status 0" wait_exit "$other_pid" 6
}

test_sigint() {
    local pid
    start_server sigint ""
    pid=$server_pid
    check "SIGINT: server starts" test -n "$port"
    kill -INT "$pid"
    check "SIGINT: exits with status 0" wait_exit "$pid" 5
}

main() {
    start_evaluator
    test_certificates
    test_cli
    write_config '{}'
    test_sigint
    if ! start_server main ""; then
        echo "FAIL: fake_graph.py did not start:" >&2
        cat "$tmp/main.err" >&2
        exit 1
    fi
    local main_port=$port main_pid=$server_pid
    test_exchange
    LONG=$(exchange "$SHORT")
    LONG2=$(exchange "$SHORT2")
    test_accounts
    test_page
    test_debug_token
    test_paths
    test_keepalive
    test_check_proofs
    test_transport_faults
    test_graph_faults
    test_other_ca
    port=$main_port
    kill -TERM "$main_pid"
    check "SIGTERM: exits with status 0" wait_exit "$main_pid" 5
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

main
