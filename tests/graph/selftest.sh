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
SHORT4=EAAshortFerretPoster4444       # user 4444: can post (not to 1002: no task)
SHORT6=EAAshortFerretGranular6666     # user 6666: pages_manage_posts for 1001 only
SYS1=EAAsystemFerretUser1111          # system user 1111: pages 1001, 1004
SYS2=EAAsystemFerretUser2222          # system user 2222: 60 days, no business_management
POST_SCOPES='"pages_show_list", "pages_manage_posts", "pages_read_engagement"'
EXTRA=""                              # more config members, each ending in a comma
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
   {"short_token": "$SHORT3", "user_id": "7777", "short_expired": true},
   {"short_token": "$SHORT4", "user_id": "4444", "scopes": [$POST_SCOPES],
    "long_lived_expires_in": ${LIFETIME4:-5183944}},
   {"short_token": "$SHORT6", "user_id": "6666", "scopes": [$POST_SCOPES],
    "granular_scopes": [{"scope": "pages_manage_posts", "target_ids": ["1001"]},
                        {"scope": "pages_read_engagement"}],
    "data_access_expires_at": ${DATA_ACCESS6:-1900000000}}],
 "system_users": [
   {"token": "$SYS1", "id": "1111", "pages": ["1001", "1004"]},
   {"token": "$SYS2", "id": "2222", "expires": "60_days", "pages": ["1001"],
    "scopes": [$POST_SCOPES]}],
 "pages": [
   {"id": "1001", "name": "Ferret Bakery", "category": "Bakery"},
   {"id": "1002", "name": "Ferret Cafe", "category": "Cafe",
    "tasks": {"4444": ["ANALYZE", "ADVERTISE"]}},
   {"id": "1003", "name": "Ferret Books", "category": "Bookstore",
    "instagram_business_account": {"id": "17841400000001003", "username": "ferretbooks"}},
   {"id": "1004", "name": "Ferret Bikes", "category": "Bicycle Shop"},
   {"id": "1005", "name": "Ferret Private", "category": "Bakery",
    "users": ["9876"]}],
 "per_page": 2, $EXTRA
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
            if path.endswith(".log"):  # a fake_graph log: the list of its lines
                d = [json.loads(line) for line in f if line.strip()]
            else:
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

jlog() {  # jlog EXPR: Python expression over main.log's lines as the list d
    local result
    printf '%s\t%s\n' "$tmp/main.log" "$1" >&"${EVAL[1]}"
    IFS= read -r -t 10 result <&"${EVAL[0]}"
    printf '%s\n' "$result"
}

is_json() { [ "$(jv 1)" = 1 ]; }

header() {  # header NAME: value of a response header
    awk -v n="$(echo "$1" | tr A-Z a-z)" -F': ' \
        'tolower($1) == n { sub(/\r$/, "", $2); print $2 }' "$tmp/headers"
}

equals() { [ "$1" = "$2" ]; }
not_equals() { [ "$1" != "$2" ]; }
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

# --- posting, batch, system users, latency (fake_graph's later additions) ---

post() {  # post PATH [CURL ARGS...]: a POST; the body from -d / -F arguments
    local path=$1
    shift
    get "$path" -X POST "$@"
}

delete() {  # delete PATH [CURL ARGS...]
    local path=$1
    shift
    get "$path" -X DELETE "$@"
}

form_auth() {  # sets FA: curl arguments putting token $1 and its proof in a form body
    FA=(-d "access_token=$1" -d "appsecret_proof=$(proof "$1")")
}

multipart_auth() {  # sets MA: the same as multipart fields
    MA=(-F "access_token=$1" -F "appsecret_proof=$(proof "$1")")
}

page_token_of() {  # page_token_of USER_TOKEN PAGE_ID: prints the page token
    get "/v25.0/$2?fields=access_token&$(auth "$1")"
    jv 'd["access_token"]'
}

expect_message() {  # expect_message NAME MESSAGE: the error's exact message
    check "$1: message" equals "$(jv 'd["error"]["message"]')" "$2"
}

http_requests() { jlog 'sum("seq" in e for e in d)'; }

lat_log() {  # lat_log EXPR: jlog over the latency server's log
    local result
    printf '%s\t%s\n' "$tmp/lat.log" "$1" >&"${EVAL[1]}"
    IFS= read -r -t 10 result <&"${EVAL[0]}"
    printf '%s\n' "$result"
}

MSG_DENIED="(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission"
MSG_PAGE_TOKEN="(#210) A page access token is required to request this resource."
MSG_READ="(#10) This endpoint requires the 'pages_read_engagement' permission or the 'Page Public Content Access' feature."
MSG_SCHEDULE="(#100) The specified scheduled publish time is invalid."

test_post_bodies() {
    local mark_posts
    mark_posts=$(log_lines)
    post /v25.0/oauth/access_token -d grant_type=fb_exchange_token -d client_id=$APP_ID \
        -d "client_secret=$SECRET" -d "fb_exchange_token=$SHORT"
    check "POST exchange, form body: HTTP 200" equals "$status" 200
    check "POST exchange, form body: long token" is_token "$(jv 'd["access_token"]')"
    check "POST exchange: logged as POST, empty query" \
        equals "$(jlog 'd[-1]["method"], d[-1]["query"], d[-1]["endpoint"]')" "('POST', {}, 'exchange')"
    check "POST exchange: body fields logged" equals "$(jlog 'sorted(d[-1]["body"])')" \
        "['client_id', 'client_secret', 'fb_exchange_token', 'grant_type']"
    check "POST exchange: no token, no proof" \
        equals "$(jlog 'd[-1]["token_in"], d[-1]["proof_in"]')" "('none', 'none')"
    post /v25.0/oauth/access_token -F grant_type=fb_exchange_token -F client_id=$APP_ID \
        -F "client_secret=$SECRET" -F "fb_exchange_token=$SHORT"
    check "POST exchange, multipart body: HTTP 200" equals "$status" 200
    check "POST exchange, multipart: text parts are fields" \
        equals "$(jlog 'd[-1]["body"]["grant_type"]')" fb_exchange_token
    post /v25.0/oauth/access_token -H 'Content-Type: application/json' \
        --data "{\"grant_type\":\"fb_exchange_token\",\"client_id\":$APP_ID,\"client_secret\":\"$SECRET\",\"fb_exchange_token\":\"$SHORT\"}"
    check "POST exchange, JSON body (a number for client_id): HTTP 200" equals "$status" 200
    get "/v25.0/me/accounts?$(auth "$LONG4")"
    check "token_in/proof_in query" \
        equals "$(jlog 'd[-1]["token_in"], d[-1]["proof_in"], d[-1]["body"]')" "('query', 'query', {})"
    get "/v25.0/me/accounts?appsecret_proof=$(proof "$LONG4")" -H "Authorization: Bearer $LONG4"
    check "Authorization: Bearer: HTTP 200" equals "$status" 200
    check "token_in header" equals "$(jlog 'd[-1]["token_in"], d[-1]["proof_in"]')" "('header', 'query')"
    check "Authorization token not in the query log" \
        equals "$(jlog '"access_token" in d[-1]["query"]')" False
    check "Authorization token logged as authorization" \
        equals "$(jlog 'd[-1]["authorization"] == "'"$LONG4"'"')" True
    tail -n 1 "$tmp/main.log" >"$tmp/header.log"
    check "check_proofs checks an Authorization token's proof" equals \
        "$("$PY" "$here/check_proofs.py" "$tmp/header.log" "$SECRET")" \
        "1 requests checked, 1 carried tokens, all proofs correct"
    get "/v25.0/me/accounts?appsecret_proof=$(proof "$LONG")" -H "Authorization: Bearer $LONG4"
    expect_error "Authorization token with another token's proof" 400 100
    tail -n 1 "$tmp/main.log" >"$tmp/header.log"
    check "check_proofs fails an Authorization token with a wrong proof" \
        fails "$PY" "$here/check_proofs.py" "$tmp/header.log" "$SECRET"
    get "/v25.0/me/accounts?appsecret_proof=$(proof "$LONG4")" -H "Authorization: OAuth $LONG4"
    check "Authorization: OAuth: HTTP 200" equals "$status" 200
    form_auth "$P4_1001"
    post "/v25.0/1001/feed" -d "message=token in the body $RANDOM" "${FA[@]}"
    check "POST feed, token in body: HTTP 200" equals "$status" 200
    check "token_in/proof_in body, query empty" \
        equals "$(jlog 'd[-1]["token_in"], d[-1]["proof_in"], d[-1]["query"]')" "('body', 'body', {})"
    post "/v25.0/1001/feed?access_token=$P4_1001" -d "message=split $RANDOM" \
        -d "appsecret_proof=$(proof "$P4_1001")"
    check "token in query, proof in body: HTTP 200" equals "$status" 200
    check "token_in query, proof_in body" \
        equals "$(jlog 'd[-1]["token_in"], d[-1]["proof_in"]')" "('query', 'body')"
    post "/v25.0/1001/feed?access_token=EAAnotAtoken" -d "message=both $RANDOM" "${FA[@]}"
    check "token in both: the body's wins" equals "$status" 200
    check "token_in both" equals "$(jlog 'd[-1]["token_in"], d[-1]["proof_in"]')" "('both', 'body')"
    post "/v25.0/1001/feed" -d "message=nobody"
    expect_error "POST feed without a token" 400 104
    check "token_in none" equals "$(jlog 'd[-1]["token_in"], d[-1]["proof_in"]')" "('none', 'none')"
    check "seq numbers the HTTP requests" equals \
        "$(jlog 'd[-1]["seq"] - d[-2]["seq"], len({e["seq"] for e in d if "seq" in e}) == sum("seq" in e for e in d)')" "(1, True)"
    log_since "$mark_posts" "$tmp/posts.log"
    check "check_proofs --no-url-tokens fails URL tokens on POST" \
        fails "$PY" "$here/check_proofs.py" --no-url-tokens "$tmp/posts.log" "$SECRET"
    check "check_proofs --no-url-tokens names both such POSTs" equals \
        "$("$PY" "$here/check_proofs.py" --no-url-tokens "$tmp/posts.log" "$SECRET" | grep -c 'POST /v25.0/1001/feed: token or proof in the URL')" 2
    grep '"token_in": "body"' "$tmp/posts.log" >"$tmp/body.log"
    check "check_proofs reads tokens and proofs in the body" equals \
        "$("$PY" "$here/check_proofs.py" --no-url-tokens "$tmp/body.log" "$SECRET")" \
        "1 requests checked, 1 carried tokens, all proofs correct"
    sed 's/"appsecret_proof": "[0-9a-f]*"/"appsecret_proof": "00ff"/' "$tmp/body.log" >"$tmp/doctored.log"
    check "check_proofs fails a wrong proof in the body" \
        fails "$PY" "$here/check_proofs.py" "$tmp/doctored.log" "$SECRET"
}

test_feed() {
    local msg="Fresh bread at the bakery $RANDOM$RANDOM" first second
    form_auth "$P4_1001"
    post /v25.0/1001/feed --data-urlencode "message=$msg" "${FA[@]}"
    check "feed: HTTP 200" equals "$status" 200
    first=$(jv 'd["id"]')
    check "feed: id PAGEID_POSTID" contains "$(jv '"ok" if d["id"].startswith("1001_") and d["id"][5:].isdigit() and list(d) == ["id"] else d')" ok
    check "feed: logged endpoint, message" \
        equals "$(jlog 'd[-1]["endpoint"], d[-1]["body"]["message"] == '"'$msg'"'')" "('feed', True)"
    post /v25.0/1001/feed --data-urlencode "message=$msg" "${FA[@]}"
    expect_error "feed: the same message again" 400 506
    expect_message "feed: duplicate" "(#506) Duplicate status message"
    check "feed: duplicate user title" equals "$(jv 'd["error"]["error_user_title"]')" "Duplicate Status Update"
    check "feed: duplicate not transient" equals "$(jv 'd["error"]["is_transient"]')" False
    form_auth "$P4_1003"
    post /v25.0/1003/feed --data-urlencode "message=$msg" "${FA[@]}"
    check "feed: the same message on another page" equals "$status" 200
    EXTRA='"duplicate_window_seconds": 0,' write_config '{}'
    form_auth "$P4_1001"
    post /v25.0/1001/feed --data-urlencode "message=$msg" "${FA[@]}"
    check "feed: duplicate_window_seconds 0 allows it" equals "$status" 200
    write_config '{}'
    post /v25.0/1001/feed -d "link=https://example.org/ferrets" "${FA[@]}"
    check "feed: a link alone" equals "$status" 200
    second=$(jv 'd["id"]')
    post /v25.0/1001/feed -d "link=ftp://example.org/x" "${FA[@]}"
    expect_error "feed: a bad link" 400 100
    expect_message "feed: bad link" "(#100) link should represent a valid URL"
    post /v25.0/1001/feed -d "message=" "${FA[@]}"
    expect_error "feed: nothing to post" 400 100
    expect_message "feed: nothing to post" "(#100) Missing message or attachment"
    post /v25.0/1001/feed -d "message=x$RANDOM" -d published=maybe "${FA[@]}"
    expect_error "feed: published not a boolean" 400 100
    form_auth "$LONG4"
    post /v25.0/1001/feed -d "message=as a user $RANDOM" "${FA[@]}"
    expect_error "feed: a user token" 403 200
    expect_message "feed: a user token" "$MSG_DENIED"
    form_auth "$P4_1003"
    post /v25.0/1001/feed -d "message=other page $RANDOM" "${FA[@]}"
    expect_error "feed: another page's token" 403 200
    form_auth "$PAGE2"
    post /v25.0/1001/feed -d "message=no pages_manage_posts $RANDOM" "${FA[@]}"
    expect_error "feed: a token without pages_manage_posts" 403 200
    form_auth "$PAGE1001"
    post /v25.0/1001/feed -d "message=no pages_read_engagement $RANDOM" "${FA[@]}"
    expect_error "feed: a token without pages_read_engagement" 403 200
    expect_message "feed: without pages_read_engagement" "$MSG_DENIED"
    form_auth "$P4_1002"
    post /v25.0/1002/feed -d "message=no task $RANDOM" "${FA[@]}"
    expect_error "feed: no CREATE_CONTENT/MANAGE/MODERATE task" 403 200
    form_auth "$P6_1003"
    post /v25.0/1003/feed -d "message=not granted $RANDOM" "${FA[@]}"
    expect_error "feed: a page missing from granular target_ids" 403 200
    form_auth "$P6_1001"
    post /v25.0/1001/feed -d "message=granted $RANDOM" "${FA[@]}"
    check "feed: a page in granular target_ids" equals "$status" 200
    P6_POST=$(jv 'd["id"]')
    form_auth "$P4_1001"
    post /v25.0/4242/feed -d "message=nowhere" "${FA[@]}"
    expect_error "feed: an unknown page" 400 100 33
    check "feed: unknown page message" contains "$(jv 'd["error"]["message"]')" \
        "Unsupported post request. Object with ID '4242' does not exist"
    post /v25.0/1001/feed -d "message=app $RANDOM" -d "access_token=$APP_ID|$SECRET"
    expect_error "feed: the app token" 400 190
    get "/v25.0/1001/feed?$(auth "$P4_1001")"
    check "feed list: HTTP 200" equals "$status" 200
    check "feed list: newest first" equals "$(jv 'd["data"][0]["id"]')" "$P6_POST"
    check "feed list: default fields" equals "$(jv 'sorted(d["data"][1])')" "['created_time', 'id']"
    check "feed list: created_time ISO 8601 +0000" \
        equals "$(jv 'bool(__import__("re").fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000", d["data"][0]["created_time"]))')" True
    check "feed list: pages apart" equals "$(jv 'all(p["id"].startswith("1001_") for p in d["data"])')" True
    get "/v25.0/1001/feed?$(auth "$P4_1001")&limit=1&fields=id,message,is_published"
    check "feed list: limit=1" equals "$(jv 'len(d["data"]), sorted(d["data"][0])')" \
        "(1, ['id', 'is_published', 'message'])"
    check "feed list: next link" contains "$(jv 'd["paging"]["next"]')" \
        "https://127.0.0.1:$port/v25.0/1001/feed?access_token=$P4_1001&fields=id%2Cmessage%2Cis_published&limit=1&after="
    fetch "$(jv 'd["paging"]["next"]')&appsecret_proof=$(proof "$P4_1001")"
    check "feed list: the next page" equals "$(jv 'd["data"][0]["id"], "previous" in d["paging"]')" "('$second', True)"
    get "/v25.0/1001/feed?$(auth "$LONG4")"
    expect_error "feed list: a user token" 400 210
    expect_message "feed list: a user token" "$MSG_PAGE_TOKEN"
    get "/v25.0/1001/feed?$(auth "$P4_1003")"
    expect_error "feed list: another page's token" 400 10
    expect_message "feed list: another page's token" "$MSG_READ"
    get "/v25.0/1001/feed?$(auth "$PAGE1001")"
    expect_error "feed list: no pages_read_engagement" 400 10
    get "/v25.0/$first?$(auth "$P4_1001")"
    check "post: HTTP 200" equals "$status" 200
    check "post: message and id" equals "$(jv 'd["message"] == '"'$msg'"' and d["id"]')" "$first"
    get "/v25.0/$first?$(auth "$P4_1001")&fields=is_published,link"
    check "post: fields= (no link: left out)" equals "$(jv 'd')" "{'is_published': True, 'id': '$first'}"
    get "/v25.0/$first?$(auth "$P4_1001")&fields=nosuch"
    expect_error "post: unknown field" 400 100
    check "post: node type Post" contains "$(jv 'd["error"]["message"]')" "on node type (Post)"
    get "/v25.0/$first?$(auth "$P4_1003")"
    expect_error "post: another page's token" 400 100 33
    delete "/v25.0/$first?$(auth "$LONG4")"
    expect_error "delete: a user token" 403 200
    delete "/v25.0/$first?$(auth "$P4_1001")"
    check "delete: HTTP 200, success" equals "$status $(jv 'd')" "200 {'success': True}"
    check "delete: logged" equals "$(jlog 'd[-1]["method"], d[-1]["endpoint"]')" "('DELETE', 'delete')"
    get "/v25.0/$first?$(auth "$P4_1001")"
    expect_error "post: deleted" 400 100 33
    check "post: deleted message" contains "$(jv 'd["error"]["message"]')" "Unsupported get request. Object with ID '$first'"
    delete "/v25.0/$first?$(auth "$P4_1001")"
    expect_error "delete: twice" 400 100 33
    check "delete: twice message" contains "$(jv 'd["error"]["message"]')" "Unsupported delete request."
    get "/v25.0/1001/feed?$(auth "$P4_1001")&limit=100"
    check "feed list: deleted post gone" equals "$(jv '"'$first'" in [p["id"] for p in d["data"]]')" False
    delete "/v25.0/me/accounts?$(auth "$LONG4")"
    expect_error "DELETE on me/accounts" 400 100 33
    check "DELETE on me/accounts message" contains "$(jv 'd["error"]["message"]')" "Unsupported delete request. Object with ID 'me'"
}

test_scheduled() {
    local now sched iso
    now=$(date +%s)
    form_auth "$P4_1001"
    post /v25.0/1001/feed -d "message=later $now" -d published=false \
        -d "scheduled_publish_time=$((now + 3600))" "${FA[@]}"
    check "schedule in an hour: HTTP 200" equals "$status" 200
    sched=$(jv 'd["id"]')
    get "/v25.0/1001/scheduled_posts?$(auth "$P4_1001")"
    check "scheduled_posts: HTTP 200" equals "$status" 200
    check "scheduled_posts: the post, its fields" equals \
        "$(jv 'd["data"][0]')" \
        "{'id': '$sched', 'message': 'later $now', 'scheduled_publish_time': $((now + 3600)), 'is_expired': False}"
    get "/v25.0/1001/feed?$(auth "$P4_1001")&limit=100"
    check "scheduled post not in the feed" equals "$(jv '"'$sched'" in [p["id"] for p in d["data"]]')" False
    post /v25.0/1001/feed -d "message=soon $now" -d published=false \
        -d "scheduled_publish_time=$((now + 300))" "${FA[@]}"
    expect_error "schedule in 5 minutes" 400 100
    expect_message "schedule in 5 minutes" "$MSG_SCHEDULE"
    check "schedule error type" equals "$(jv 'd["error"]["type"]')" OAuthException
    post /v25.0/1001/feed -d "message=far $now" -d published=false \
        -d "scheduled_publish_time=$((now + 31 * 86400))" "${FA[@]}"
    expect_error "schedule in 31 days" 400 100
    expect_message "schedule in 31 days" "$MSG_SCHEDULE"
    post /v25.0/1001/feed -d "message=29 days $now" -d published=false \
        -d "scheduled_publish_time=$((now + 29 * 86400))" "${FA[@]}"
    check "schedule in 29 days" equals "$status" 200
    iso=$(date -u -d "@$((now + 7200))" +%Y-%m-%dT%H:%M:%S+0000)
    post /v25.0/1001/feed -d "message=iso $now" -d published=false \
        --data-urlencode "scheduled_publish_time=$iso" "${FA[@]}"
    check "schedule as ISO 8601" equals "$status" 200
    get "/v25.0/$(jv 'd["id"]')?$(auth "$P4_1001")&fields=scheduled_publish_time,is_published"
    check "ISO 8601 read back as unix seconds" equals "$(jv 'd["scheduled_publish_time"], d["is_published"]')" "($((now + 7200)), False)"
    post /v25.0/1001/feed -d "message=published $now" \
        -d "scheduled_publish_time=$((now + 3600))" "${FA[@]}"
    expect_error "schedule without published=false" 400 100
    expect_message "schedule without published=false" \
        "(#100) Cannot specify a scheduled publish time on a published post"
    post /v25.0/1001/feed -d "message=garbage $now" -d published=false \
        -d "scheduled_publish_time=tomorrow" "${FA[@]}"
    expect_error "schedule at 'tomorrow'" 400 100
    expect_message "schedule at 'tomorrow'" "$MSG_SCHEDULE"
    get "/v25.0/1001/scheduled_posts?$(auth "$P4_1001")&limit=1"
    check "scheduled_posts: limit=1 and a next link" \
        equals "$(jv 'len(d["data"]), "/v25.0/1001/scheduled_posts?" in d["paging"]["next"]')" "(1, True)"
    get "/v25.0/1001/scheduled_posts?$(auth "$LONG4")"
    expect_error "scheduled_posts: a user token" 400 210
    post "/v25.0/$sched" -d "scheduled_publish_time=$((now + 5400))" "${FA[@]}"
    check "reschedule: success" equals "$status $(jv 'd')" "200 {'success': True}"
    check "reschedule: logged as edit" equals "$(jlog 'd[-1]["endpoint"]')" edit
    get "/v25.0/$sched?$(auth "$P4_1001")&fields=scheduled_publish_time"
    check "reschedule: the new time" equals "$(jv 'd["scheduled_publish_time"]')" "$((now + 5400))"
    post "/v25.0/$sched" -d "scheduled_publish_time=$((now + 60))" "${FA[@]}"
    expect_error "reschedule into the past window" 400 100
    expect_message "reschedule too soon" "$MSG_SCHEDULE"
    post "/v25.0/$sched" -d "is_published=true" "${FA[@]}"
    check "publish now: success" equals "$status" 200
    get "/v25.0/1001/scheduled_posts?$(auth "$P4_1001")&limit=100"
    check "published post left scheduled_posts" equals "$(jv '"'$sched'" in [p["id"] for p in d["data"]]')" False
    get "/v25.0/1001/feed?$(auth "$P4_1001")"
    check "published post heads the feed" equals "$(jv 'd["data"][0]["id"]')" "$sched"
    post /v25.0/1001/feed -d "message=to delete $now" -d published=false \
        -d "scheduled_publish_time=$((now + 4000))" "${FA[@]}"
    sched=$(jv 'd["id"]')
    delete "/v25.0/$sched" "${FA[@]}"
    check "delete a scheduled post (token in the body)" equals "$status $(jv 'd')" "200 {'success': True}"
    get "/v25.0/1001/scheduled_posts?$(auth "$P4_1001")&limit=100"
    check "deleted post left scheduled_posts" equals "$(jv '"'$sched'" in [p["id"] for p in d["data"]]')" False
    post /v25.0/1001/feed -d "message=dark $now" -d published=false "${FA[@]}"
    check "unpublished, unscheduled post" equals "$status" 200
    sched=$(jv 'd["id"]')
    get "/v25.0/1001/scheduled_posts?$(auth "$P4_1001")&limit=100"
    check "an unpublished post is not scheduled" equals "$(jv '"'$sched'" in [p["id"] for p in d["data"]]')" False
}

test_photos() {
    local photo post a b c big_sha small_sha
    form_auth "$P4_1001"
    post /v25.0/1001/photos -d "url=https://example.org/croissant.jpg" \
        -d "caption=Croissants $RANDOM" "${FA[@]}"
    check "photo by url: HTTP 200" equals "$status" 200
    check "photo by url: id and post_id" equals \
        "$(jv 'sorted(d), d["id"].isdigit(), d["post_id"].startswith("1001_")')" "(['id', 'post_id'], True, True)"
    photo=$(jv 'd["id"]') post=$(jv 'd["post_id"]')
    get "/v25.0/1001/feed?$(auth "$P4_1001")"
    check "photo post heads the feed, caption as message" \
        equals "$(jv 'd["data"][0]["id"], d["data"][0]["message"].startswith("Croissants")')" "('$post', True)"
    get "/v25.0/$photo?$(auth "$P4_1001")"
    check "photo object: id, created_time, name" equals "$(jv 'sorted(d), d["id"]')" \
        "(['created_time', 'id', 'name'], '$photo')"
    check "photo object: logged as post" equals "$(jlog 'd[-1]["endpoint"]')" post
    delete "/v25.0/$photo?$(auth "$P4_1001")"
    check "delete a photo" equals "$status" 200
    get "/v25.0/$post?$(auth "$P4_1001")"
    expect_error "a deleted photo's post is gone too" 400 100 33
    post /v25.0/1001/photos -d "url=not a url" "${FA[@]}"
    expect_error "photo: bad url" 400 100
    expect_message "photo: bad url" "(#100) url should represent a valid URL"
    post /v25.0/1001/photos -d "caption=nothing" "${FA[@]}"
    expect_error "photo: neither url nor source" 400 324
    expect_message "photo: neither url nor source" "(#324) Requires upload file"
    post /v25.0/1001/photos -F "source=not a file part" "${FA[@]/#-d/-F}"
    expect_error "photo: source as a plain field" 400 324
    multipart_auth "$LONG4"
    post /v25.0/1001/photos -F "url=https://example.org/a.jpg" "${MA[@]}"
    expect_error "photo: a user token" 403 200
    # 10 MiB of random bytes must arrive whole
    head -c 10485760 /dev/urandom >"$tmp/big.jpg"
    big_sha=$(sha256sum "$tmp/big.jpg" | awk '{print $1}')
    multipart_auth "$P4_1001"
    post /v25.0/1001/photos -F "source=@$tmp/big.jpg;type=image/jpeg" \
        -F "message=A big one" "${MA[@]}" --max-time 20
    check "photo upload 10 MiB: HTTP 200" equals "$status" 200
    check "photo upload: the file part logged by size, sha256" equals \
        "$(jlog 'd[-1]["body"]["source"]')" \
        "{'filename': 'big.jpg', 'size': 10485760, 'sha256': '$big_sha', 'content_type': 'image/jpeg'}"
    check "photo upload: tokens in the body, not the URL" \
        equals "$(jlog 'd[-1]["token_in"], d[-1]["proof_in"], d[-1]["query"]')" "('body', 'body', {})"
    check "photo upload: the message field" equals "$(jlog 'd[-1]["body"]["message"]')" "A big one"
    printf 'GIF89a\r\n--\r\n\0\377 boundary-like bytes\r\n' >"$tmp/small.gif"
    small_sha=$(sha256sum "$tmp/small.gif" | awk '{print $1}')
    post /v25.0/1001/photos -H "Transfer-Encoding: chunked" \
        -F "source=@$tmp/small.gif;type=image/gif;filename=café.gif" "${MA[@]}"
    check "photo upload, chunked: HTTP 200" equals "$status" 200
    check "photo upload, chunked: bytes whole" equals "$(jlog 'd[-1]["body"]["source"]["sha256"], d[-1]["body"]["source"]["size"]')" \
        "('$small_sha', $(wc -c <"$tmp/small.gif"))"
    check "photo upload: a UTF-8 filename" equals "$(jlog 'd[-1]["body"]["source"]["filename"]')" "café.gif"
    : >"$tmp/empty.jpg"
    post /v25.0/1001/photos -F "source=@$tmp/empty.jpg" "${MA[@]}"
    expect_error "photo: an empty file" 400 324
    expect_message "photo: an empty file" "(#324) Missing or invalid image file"
    post /v25.0/1001/photos -F "url=https://example.org/a.jpg" -F published=false "${MA[@]}"
    check "unpublished photo: only an id" equals "$status $(jv 'sorted(d)')" "200 ['id']"
    a=$(jv 'd["id"]')
    post /v25.0/1001/photos -F "source=@$tmp/small.gif" -F published=false "${MA[@]}"
    b=$(jv 'd["id"]')
    post /v25.0/1001/photos -F "url=https://example.org/c.jpg" -F published=false "${MA[@]}"
    c=$(jv 'd["id"]')
    form_auth "$P4_1001"
    post /v25.0/1001/feed -d "message=two photos $RANDOM" \
        --data-urlencode "attached_media[0]={\"media_fbid\":\"$a\"}" \
        --data-urlencode "attached_media[1]={\"media_fbid\":\"$b\"}" "${FA[@]}"
    check "feed with attached_media[N]: HTTP 200" equals "$status" 200
    post /v25.0/1001/feed -d "message=again $RANDOM" \
        --data-urlencode "attached_media[0]={\"media_fbid\":\"$a\"}" "${FA[@]}"
    expect_error "attached_media: a photo already attached" 400 100
    post /v25.0/1001/feed \
        --data-urlencode "attached_media=[{\"media_fbid\":\"$c\"}]" "${FA[@]}"
    check "feed with attached_media as a JSON array (no message)" equals "$status" 200
    post /v25.0/1001/feed -d "message=unknown $RANDOM" \
        --data-urlencode 'attached_media[0]={"media_fbid":"999"}' "${FA[@]}"
    expect_error "attached_media: an unknown photo" 400 100
    post /v25.0/1001/feed -d "message=bad $RANDOM" \
        --data-urlencode 'attached_media[0]=not json' "${FA[@]}"
    expect_error "attached_media: not JSON" 400 100
    post /v25.0/1001/photos -d "url=https://example.org/later.jpg" -d published=false \
        -d "scheduled_publish_time=$(($(date +%s) + 7200))" "${FA[@]}"
    check "scheduled photo: only an id" equals "$status $(jv 'sorted(d)')" "200 ['id']"
    get "/v25.0/1001/scheduled_posts?$(auth "$P4_1001")"
    check "scheduled photo: a scheduled post" equals "$(jv 'd["data"][0]["scheduled_publish_time"] > 0')" True
}

test_system_users() {
    local sp
    debug "$SYS1"
    check "system user token: type SYSTEM_USER" equals "$(jv 'd["data"]["type"]')" SYSTEM_USER
    check "system user token: never expires, no data access expiry" equals \
        "$(jv 'd["data"]["expires_at"], d["data"]["data_access_expires_at"], d["data"]["user_id"], d["data"]["is_valid"]')" \
        "(0, 0, '1111', True)"
    check "system user token: default scopes" equals "$(jv 'd["data"]["scopes"]')" \
        "['pages_show_list', 'pages_manage_posts', 'pages_read_engagement', 'business_management']"
    debug "$SYS2"
    check "system user token for 60 days" equals \
        "$(jv 'd["data"]["type"], d["data"]["expires_at"] - d["data"]["issued_at"]')" "('SYSTEM_USER', 5184000)"
    follow_accounts "$SYS1" "https://127.0.0.1:$port/v25.0/me/accounts?$(auth "$SYS1")"
    check "system user: me/accounts lists the assigned pages only" equals "$ids" "1001 1004 "
    sp=$(page_token_of "$SYS1" 1001)
    check "system user: a page token" is_token "$sp"
    debug "$sp"
    check "system user's page token: PAGE, never expires" equals \
        "$(jv 'd["data"]["type"], d["data"]["expires_at"], d["data"]["user_id"]')" "('PAGE', 0, '1111')"
    form_auth "$sp"
    post /v25.0/1001/feed -d "message=from the system user $RANDOM" "${FA[@]}"
    check "system user's page token posts" equals "$status" 200
    get "/v25.0/1002?fields=access_token&$(auth "$SYS1")"
    expect_error "system user: a page not assigned" 400 190 492
    sp=$(page_token_of "$SYS2" 1001)
    form_auth "$sp"
    post /v25.0/1001/feed -d "message=no business_management $RANDOM" "${FA[@]}"
    expect_error "system user without business_management" 403 200
    expect_message "system user without business_management" \
        "(#200) Requires business_management permission to manage the object"
    get "/v25.0/1001/feed?$(auth "$sp")"
    expect_error "system user without business_management reads" 403 200
    get "$(exchange_path "$SYS1")"
    expect_error "a system user token cannot be exchanged" 400 100
}

test_fields() {
    get "/v25.0/me/accounts?$(auth "$LONG4")&limit=5&fields=id,name,tasks,instagram_business_account%7Bid,username%7D"
    check "fields with expansion: HTTP 200" equals "$status" 200
    check "instagram_business_account{id,username}" equals "$(jv 'd["data"][2]["instagram_business_account"]')" \
        "{'id': '17841400000001003', 'username': 'ferretbooks'}"
    check "a page without an Instagram account leaves it out" \
        equals "$(jv '"instagram_business_account" in d["data"][0]')" False
    check "tasks: the default list" equals "$(jv 'd["data"][0]["tasks"]')" \
        "['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE']"
    check "tasks: per page and user" equals "$(jv 'd["data"][1]["tasks"]')" "['ANALYZE', 'ADVERTISE']"
    check "fields: order kept, id always" equals "$(jv 'list(d["data"][2])')" \
        "['id', 'name', 'tasks', 'instagram_business_account']"
    get "/v25.0/me/accounts?$(auth "$LONG")&limit=5&fields=tasks"
    check "tasks: another user on the same page" equals "$(jv 'd["data"][1]["tasks"]')" \
        "['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE']"
    get "/v25.0/1003?fields=instagram_business_account&$(auth "$LONG4")"
    check "instagram_business_account without braces: id only" \
        equals "$(jv 'd')" "{'instagram_business_account': {'id': '17841400000001003'}, 'id': '1003'}"
    get "/v25.0/1003?fields=name,instagram_business_account%7Busername%7D&$(auth "$LONG4")"
    check "page: instagram_business_account{username} (and its id)" equals "$(jv 'd')" \
        "{'name': 'Ferret Books', 'instagram_business_account': {'username': 'ferretbooks', 'id': '17841400000001003'}, 'id': '1003'}"
    get "/v25.0/1003?fields=instagram_business_account%7Bid,followers%7D&$(auth "$LONG4")"
    expect_error "instagram subfield unknown" 400 100
    expect_message "instagram subfield unknown" "(#100) Tried accessing nonexisting field (followers) on node type (IGUser)"
    get "/v25.0/me/accounts?$(auth "$LONG4")&fields=id,instagram_business_account%7Bid"
    expect_error "fields: an unclosed brace" 400 2500
    expect_message "fields: an unclosed brace" \
        'Syntax error "Expected "}" instead of end of string." at character 32: id,instagram_business_account{id'
    get "/v25.0/1001?fields=name%7D&$(auth "$LONG4")"
    expect_error "fields: a stray brace" 400 2500
    get "/v25.0/1001?fields=name%7Bid%7D&$(auth "$LONG4")"
    expect_error "fields: subfields of a string" 400 100
}

test_debug_extras() {
    debug "$LONG6"
    check "granular_scopes as configured" equals "$(jv 'd["data"]["granular_scopes"]')" \
        "[{'scope': 'pages_manage_posts', 'target_ids': ['1001']}, {'scope': 'pages_read_engagement'}]"
    check "data_access_expires_at as configured" equals "$(jv 'd["data"]["data_access_expires_at"]')" 1900000000
    debug "$P6_1003"
    check "granular_scopes of a page token: the user's grant" \
        equals "$(jv 'd["data"]["granular_scopes"][0]["target_ids"]')" "['1001']"
    debug "$LONG"
    check "data_access_expires_at by default: 90 days ahead" \
        equals "$(jv 'abs(d["data"]["data_access_expires_at"] - d["data"]["issued_at"] - 90 * 86400) < 120')" True
    DATA_ACCESS6=$(($(date +%s) - 10)) write_config '{}'
    get "/v25.0/me/accounts?$(auth "$LONG6")"
    expect_error "data access expired" 400 190 493
    debug "$P6_1001"
    check "data access expired: debug_token" equals \
        "$(jv 'd["data"]["is_valid"], d["data"]["error"]["subcode"]')" "(False, 493)"
    write_config '{}'
    get "/v25.0/me/accounts?$(auth "$LONG6")"
    check "data access back" equals "$status" 200
}

test_invalidation() {
    local sub
    get "/v25.0/me/accounts?$(auth "$LONG")"
    check "before invalidation: HTTP 200" equals "$status" 200
    EXTRA='"invalidate": [{"user_id": "9876", "subcode": 460}],' write_config '{}'
    get "/v25.0/me/accounts?$(auth "$LONG")"
    expect_error "user invalidated mid-run (460)" 400 190 460
    check "460 message" contains "$(jv 'd["error"]["message"]')" "the user changed their password"
    get "/v25.0/1001/feed?$(auth "$PAGE1001")"
    expect_error "the user's page token too" 400 190 460
    debug "$PAGE1001"
    check "invalidated: debug_token is_valid false, 460" \
        equals "$(jv 'd["data"]["is_valid"], d["data"]["error"]["subcode"]')" "(False, 460)"
    get "/v25.0/me/accounts?$(auth "$LONG2")"
    check "another user is unaffected" equals "$status" 200
    EXTRA="\"invalidate\": [{\"token\": \"$LONG2\", \"subcode\": 458}]," write_config '{}'
    get "/v25.0/me/accounts?$(auth "$LONG")"
    check "invalidation removed: valid again" equals "$status" 200
    get "/v25.0/me/accounts?$(auth "$LONG2")"
    expect_error "one token invalidated (458)" 400 190 458
    get "/v25.0/1001?fields=access_token&$(auth "$LONG2")"
    expect_error "the token invalidated on every call" 400 190 458
    debug "$PAGE2"
    check "a page token derived from it stays valid" equals "$(jv 'd["data"]["is_valid"]')" True
    for sub in 459 463 464 467 492 493; do
        EXTRA="\"invalidate\": [{\"token\": \"$LONG2\", \"subcode\": $sub}]," write_config '{}'
        get "/v25.0/me/accounts?$(auth "$LONG2")"
        expect_error "invalidate with subcode $sub" 400 190 $sub
    done
    # a page token invalidated by itself: deriving it again gives a new one
    local before again
    before=$(page_token_of "$LONG" 1002)
    check "the same page token when derived twice" equals "$(page_token_of "$LONG" 1002)" "$before"
    EXTRA="\"invalidate\": [{\"token\": \"$before\", \"subcode\": 467}]," write_config '{}'
    again=$(page_token_of "$LONG" 1002)
    check "a page token invalidated by itself is issued anew" not_equals "$again" "$before"
    debug "$again"
    check "the new one is valid" equals "$(jv 'd["data"]["is_valid"]')" True
    debug "$before"
    check "the old one stays refused" equals "$(jv 'd["data"]["is_valid"], d["data"]["error"]["subcode"]')" "(False, 467)"
    write_config '{}'
    EXTRA='"invalidate": [{"user_id": "9876", "subcode": 461}],' write_config '{}'
    get "/v25.0/me/accounts?$(auth "$LONG")"
    check "an unknown subcode is a bad config" equals "$status" 500
    write_config '{}'
    # a long-lived token's lifetime, changed while it lives
    debug "$LONG4"
    check "long-lived token: 60 days" equals "$(jv 'd["data"]["expires_at"] - d["data"]["issued_at"]')" 5183944
    LIFETIME4=432000 write_config '{}'
    debug "$LONG4"
    check "long_lived_expires_in: the same token now expires in 5 days" \
        equals "$(jv 'd["data"]["expires_at"] - d["data"]["issued_at"]')" 432000
    get "$(exchange_path "$SHORT4")"
    check "long_lived_expires_in: the exchange answers it" equals "$(jv 'd["expires_in"]')" 432000
    LIFETIME4=2 write_config '{}'
    get "$(exchange_path "$SHORT4")"
    local brief=$(jv 'd["access_token"]')
    get "/v25.0/me/accounts?$(auth "$brief")"
    check "a token expiring in 2 s works at first" equals "$status" 200
    sleep 2.2
    get "/v25.0/me/accounts?$(auth "$brief")"
    expect_error "then it has expired" 400 190 463
    debug "$brief"
    check "expired: debug_token" equals "$(jv 'd["data"]["is_valid"], d["data"]["error"]["subcode"]')" "(False, 463)"
    write_config '{}'
}

batch_post() {  # batch_post JSON [CURL ARGS...]: POST / with batch=JSON, LONG4's token in the body
    local json=$1
    shift
    form_auth "${BATCH_TOKEN:-$LONG4}"
    post /v25.0/ --data-urlencode "batch=$json" "${FA[@]}" "$@"
}

item() {  # item N EXPR: EXPR over the JSON body of batch item N, as d
    jv "(lambda d: ($2))(__import__('json').loads(d[$1]['body']))"
}

test_batch() {
    local mark requests seq json
    mark=$(log_lines)
    requests=$(http_requests)
    json='[{"method":"GET","relative_url":"debug_token?input_token='"$P4_1001"'&access_token='"$APP_ID"'|'"$SECRET"'"},
           {"method":"GET","relative_url":"me/accounts?limit=2"},
           {"relative_url":"1001?fields=access_token"},
           {"method":"POST","relative_url":"1001/feed","body":"message=from a batch '"$RANDOM"'&access_token='"$P4_1001"'&appsecret_proof='"$(proof "$P4_1001")"'"},
           {"method":"GET","relative_url":"me/accounts?access_token='"$LONG"'&appsecret_proof='"$(proof "$LONG")"'&fields=name&limit=1"}]'
    batch_post "$json"
    check "batch: HTTP 200, a list of 5" equals "$status $(jv 'len(d)')" "200 5"
    check "batch: codes" equals "$(jv '[i["code"] for i in d]')" "[200, 200, 200, 200, 200]"
    check "batch: item headers" equals "$(jv '[h["value"] for h in d[0]["headers"] if h["name"] == "Content-Type"]')" \
        "['application/json; charset=UTF-8']"
    check "batch: item X-App-Usage" equals "$(jv 'any(h["name"] == "X-App-Usage" for h in d[1]["headers"])')" True
    check "batch: bodies are JSON text" equals "$(jv 'type(d[0]["body"]).__name__')" str
    check "batch: debug_token item" equals "$(item 0 'd["data"]["type"], d["data"]["profile_id"]')" "('PAGE', '1001')"
    check "batch: me/accounts with the batch's token" equals "$(item 1 'len(d["data"]), d["data"][0]["id"]')" "(2, '1001')"
    check "batch: paging next keeps the batch's version" contains "$(item 1 'd["paging"]["next"]')" \
        "https://127.0.0.1:$port/v25.0/me/accounts?access_token=$LONG4&limit=2&after="
    check "batch: page token item" equals "$(item 2 'd["access_token"]')" "$P4_1001"
    check "batch: a post with the item's own token (in its body)" \
        equals "$(item 3 'd["id"].startswith("1001_")')" True
    check "batch: an item's own token in relative_url" equals "$(item 4 'd["data"][0]')" \
        "{'name': 'Ferret Bakery', 'id': '1001'}"
    log_since "$mark" "$tmp/batch.log"
    check "batch: 6 log lines, one HTTP request" equals \
        "$(wc -l <"$tmp/batch.log") $(( $(http_requests) - requests ))" "6 1"
    seq=$(jlog 'd[-1]["seq"]')
    check "batch: the outer line" equals "$(jlog 'd[-1]["endpoint"], d[-1]["method"], d[-1]["path"], d[-1]["token_in"]')" \
        "('batch', 'POST', '/v25.0/', 'body')"
    check "batch: item lines carry batch and item, not seq" equals \
        "$(jlog '[(e["batch"], e["item"], "seq" in e) for e in d[-6:-1]]')" \
        "[($seq, 0, False), ($seq, 1, False), ($seq, 2, False), ($seq, 3, False), ($seq, 4, False)]"
    check "batch: item endpoints" equals "$(jlog '[e["endpoint"] for e in d[-6:-1]]')" \
        "['debug_token', 'accounts', 'page', 'feed', 'accounts']"
    check "batch: item paths and methods" equals "$(jlog '[(e["method"], e["path"]) for e in d[-4:-2]]')" \
        "[('GET', '/1001'), ('POST', '/1001/feed')]"
    check "batch: where each item's token came from" equals \
        "$(jlog '[(e["token_in"], e["proof_in"]) for e in d[-6:-1]]')" \
        "[('query', 'none'), ('batch', 'batch'), ('batch', 'batch'), ('body', 'body'), ('query', 'query')]"
    check "batch: item query and body logged" equals \
        "$(jlog 'd[-5]["query"], d[-3]["body"]["message"].startswith("from a batch")')" "({'limit': '2'}, True)"
    check "check_proofs passes the batch" equals "$("$PY" "$here/check_proofs.py" "$tmp/batch.log" "$SECRET")" \
        "6 requests checked, 3 carried tokens, all proofs correct"
    batch_post '[{"relative_url":"me/accounts?limit=1"}]' -d include_headers=false
    check "batch: include_headers=false" equals "$(jv 'sorted(d[0])')" "['body', 'code']"
    batch_post "[$(printf '{"relative_url":"me"},%.0s' $(seq 50)){\"relative_url\":\"me\"}]"
    expect_error "batch of 51" 400 100
    expect_message "batch of 51" "(#100) Too many requests in batch message. Maximum batch size is 50"
    batch_post "[$(printf '{"relative_url":"debug_token?input_token=x"},%.0s' $(seq 49)){\"relative_url\":\"debug_token?input_token=x\"}]"
    check "batch of 50" equals "$status $(jv 'len(d)')" "200 50"
    batch_post 'not json'
    expect_error "batch: not JSON" 400 100
    post /v25.0/ --data-urlencode 'batch=[{"relative_url":"me/accounts"}]'
    expect_error "batch without a top-level token" 400 104
    batch_post '[{"method":"POST","relative_url":"/","body":"batch=[]"}, 7, {"method":"PUT","relative_url":"me"}, {"method":"GET"}]'
    check "batch: bad items answer errors, the batch 200" equals "$status $(jv '[i["code"] for i in d]')" "200 [400, 400, 400, 400]"
    check "batch: nested batch refused" equals "$(item 0 'd["error"]["code"], d["error"]["message"]')" \
        "(100, '(#100) A batch request cannot be part of a batch')"
    check "batch: a bad item is logged" equals "$(jlog 'd[-4]["endpoint"], d[-4]["status"], d[-4]["item"]')" "('unknown', 400, 1)"
    batch_post "[{\"relative_url\":\"me/accounts?access_token=$LONG\"}]"
    check "batch: an item's own token without its proof" equals "$(item 0 'd["error"]["code"], d["error"]["message"]')" \
        "(100, 'API calls from the server require an appsecret_proof argument')"
    set_fault debug_token error:190:460
    batch_post "[{\"relative_url\":\"debug_token?input_token=$P4_1001\"},{\"relative_url\":\"me/accounts?limit=1\"}]"
    check "batch: an item meets its endpoint's fault" equals "$status $(jv '[i["code"] for i in d]')" "200 [400, 200]"
    check "batch: the item's error" equals "$(item 0 'd["error"]["code"], d["error"]["error_subcode"]')" "(190, 460)"
    check "batch: the item's line names the fault" equals "$(jlog 'd[-3]["fault"]')" "error:190:460"
    set_fault accounts reset
    batch_post "[{\"relative_url\":\"debug_token?input_token=$P4_1001\"},{\"relative_url\":\"me/accounts?limit=1\"}]"
    check "batch: a reset item is null" equals "$status $(jv 'd[1]')" "200 None"
    set_fault batch batch_partial
    mark=$(log_lines)
    batch_post '[{"relative_url":"me/accounts?limit=1"},{"relative_url":"me/accounts?limit=1"},{"relative_url":"me/accounts?limit=1"},{"relative_url":"me/accounts?limit=1"},{"relative_url":"me/accounts?limit=1"}]'
    check "batch_partial: the second half null" equals "$(jv '[i is None for i in d]')" \
        "[False, False, False, True, True]"
    check "batch_partial: null items not logged" equals "$(( $(log_lines) - mark ))" 4
    set_fault batch error:4
    batch_post '[{"relative_url":"me/accounts"}]'
    expect_error "batch: a fault on the batch itself" 403 4
    check "batch: no item ran" equals "$(jlog 'd[-1]["endpoint"], "batch" in d[-2]')" "('batch', False)"
    write_config '{}'
}

test_posting_faults() {
    local code sub
    form_auth "$P4_1001"
    set_fault feed blocked
    post /v25.0/1001/feed -d "message=blocked $RANDOM" "${FA[@]}"
    expect_error "blocked" 400 368
    expect_message "blocked" "(#368) The action attempted has been deemed abusive or is otherwise disallowed"
    check "blocked: not transient, user title" equals \
        "$(jv 'd["error"]["is_transient"], d["error"]["error_user_title"]')" "(False, \"You're Temporarily Blocked\")"
    check "blocked: logged" equals "$(jlog 'd[-1]["fault"], d[-1]["status"]')" "('blocked', 400)"
    set_fault feed error:506
    post /v25.0/1001/feed -d "message=dup $RANDOM" "${FA[@]}"
    expect_error "error:506" 400 506
    expect_message "error:506" "(#506) Duplicate status message"
    set_fault photos error:341
    post /v25.0/1001/photos -d "url=https://example.org/x.jpg" "${FA[@]}"
    expect_error "error:341" 403 341
    check "error:341: transient" equals "$(jv 'd["error"]["is_transient"], d["error"]["message"]')" \
        "(True, '(#341) Application limit reached')"
    set_fault feed error:80001
    post /v25.0/1001/feed -d "message=busy $RANDOM" "${FA[@]}"
    expect_error "error:80001" 403 80001
    check "error:80001: message" contains "$(jv 'd["error"]["message"]')" \
        "(#80001) There have been too many calls to this Page account. Wait a bit and try again."
    check "error:80001: transient" equals "$(jv 'd["error"]["is_transient"]')" True
    check "error:80001: X-Business-Use-Case-Usage" equals "$(header X-Business-Use-Case-Usage)" \
        '{"1001":[{"call_count":100,"total_cputime":50,"total_time":50,"type":"pages","estimated_time_to_regain_access":5}]}'
    set_fault feed error:80002,minutes=17
    post /v25.0/1001/feed -d "message=busy $RANDOM" "${FA[@]}"
    check "error:80002,minutes=17" equals \
        "$(header X-Business-Use-Case-Usage | "$PY" -c 'import json,sys; u=json.load(sys.stdin)["1001"][0]; print(u["type"], u["estimated_time_to_regain_access"])')" \
        "instagram 17"
    set_fault scheduled_posts error:32
    get "/v25.0/1001/scheduled_posts?$(auth "$P4_1001")"
    expect_error "error:32 on scheduled_posts" 403 32
    check "error:32: X-Page-Usage at 100" contains "$(header X-Page-Usage)" '"call_count":100'
    for sub in 458 459 460 463 464 467 492 493; do
        set_fault feed "error:190:$sub"
        post /v25.0/1001/feed -d "message=x" "${FA[@]}"
        expect_error "error:190:$sub on feed" 400 190 "$sub"
    done
    set_fault feed error:1,transient=false
    post /v25.0/1001/feed -d "message=x" "${FA[@]}"
    check "error:1,transient=false" equals "$(jv 'd["error"]["code"], d["error"]["is_transient"]')" "(1, False)"
    set_fault feed error:1
    post /v25.0/1001/feed -d "message=x" "${FA[@]}"
    check "error:1 is transient by default" equals "$(jv 'd["error"]["is_transient"]')" True
    set_fault feed error:2,transient=false
    post /v25.0/1001/feed -d "message=x" "${FA[@]}"
    check "error:2,transient=false" equals "$(jv 'd["error"]["code"], d["error"]["is_transient"]')" "(2, False)"
    set_fault feed error:2,bare,status=500
    post /v25.0/1001/feed -d "message=x" "${FA[@]}"
    check "error:2,bare,status=500: a code, no message" equals "$status $(cat "$tmp/body")" '500 {"error":{"code":2}}'
    set_fault page error:0:458
    get "/v25.0/1001?fields=access_token&$(auth "$LONG4")"
    expect_error "error:0:458" 400 0 458
    set_fault feed http500,times=2
    post /v25.0/1001/feed -d "message=times one $RANDOM" "${FA[@]}"
    check "times=2: first" equals "$status" 500
    post /v25.0/1001/feed -d "message=times two $RANDOM" "${FA[@]}"
    check "times=2: second" equals "$status" 500
    post /v25.0/1001/feed -d "message=times three $RANDOM" "${FA[@]}"
    check "times=2: then normal, unlogged as a fault" equals "$status $(jlog '"fault" in d[-1]')" "200 False"
    set_fault feed_list error:10
    get "/v25.0/1001/feed?$(auth "$P4_1001")"
    expect_error "a fault on feed_list" 400 10
    set_fault post reset
    get "/v25.0/$P6_POST?$(auth "$P6_1001")"
    check "a fault on post: reset" equals "$rc" 56
    set_fault delete error:100
    delete "/v25.0/$P6_POST?$(auth "$P6_1001")"
    expect_error "a fault on delete" 400 100
    set_fault edit error:200
    post "/v25.0/$P6_POST" -d "message=edited" "${FA[@]}"
    expect_error "a fault on edit" 400 200
    for sub in "reset,bare" "error:2,status=99" "error:2,minutes" "http500,times=0" "error:2,bare,bare"; do
        set_fault feed "$sub"
        post /v25.0/1001/feed -d "message=x" "${FA[@]}"
        check "invalid fault $sub: bad config" equals "$status" 500
    done
    set_fault feed batch_partial
    post /v25.0/1001/feed -d "message=x" "${FA[@]}"
    check "batch_partial on another endpoint: bad config" equals "$status" 500
    write_config '{}'
}

test_usage_headers() {
    get "/v25.0/1001/feed?$(auth "$P4_1001")"
    check "page token call: X-Page-Usage" contains "$(header X-Page-Usage)" '{"call_count":'
    check "page token call: X-Business-Use-Case-Usage for the page" equals \
        "$(header X-Business-Use-Case-Usage | "$PY" -c 'import json,sys; u=json.load(sys.stdin); print(list(u), sorted(u["1001"][0]), u["1001"][0]["type"])')" \
        "['1001'] ['call_count', 'estimated_time_to_regain_access', 'total_cputime', 'total_time', 'type'] pages"
    check "page token call: X-App-Usage too" contains "$(header X-App-Usage)" '{"call_count":'
    get "/v25.0/me/accounts?$(auth "$LONG4")"
    check "user token call: no X-Page-Usage" equals "$(header X-Page-Usage)" ""
    check "user token call: no X-Business-Use-Case-Usage" equals "$(header X-Business-Use-Case-Usage)" ""
}

raw_request() {  # raw_request PORT REQUEST: send bytes over TLS, print the status line
    "$PY" - "$1" "$tmp/ca/ca.pem" "$2" <<'PYEOF'
import socket, ssl, sys
port, ca, request = int(sys.argv[1]), sys.argv[2], sys.argv[3]
context = ssl.create_default_context(cafile=ca)
with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
    with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        tls.sendall(request.replace("\\n", "\r\n").encode())
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = tls.recv(4096)
            if not chunk:
                break
            data += chunk
        print(data.split(b"\r\n", 1)[0].decode())
        print("close" if b"Connection: close" in data else "keep-alive")
PYEOF
}

test_body_limits() {
    local out
    out=$(raw_request "$port" "POST /v25.0/1001/feed HTTP/1.1\nHost: x\nContent-Type: application/x-www-form-urlencoded\nContent-Length: 67108865\n\n")
    check "a body over 64 MiB: 413, connection closed" equals "${out%% *} $(echo "$out" | head -n 1 | cut -d' ' -f2) ${out##*$'\n'}" \
        "HTTP/1.1 413 close"
    check "413 logged" equals "$(jlog 'd[-1]["status"], d[-1]["endpoint"]')" "(413, 'unknown')"
    out=$(raw_request "$port" "POST /v25.0/1001/feed HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\nzz\n\n")
    check "a bad chunk size: 400, connection closed" equals "${out%% *} $(echo "$out" | head -n 1 | cut -d' ' -f2) ${out##*$'\n'}" \
        "HTTP/1.1 400 close"
    post /v25.0/1001/feed -H 'Content-Type: multipart/form-data; boundary=XyZ' \
        --data-binary $'--XyZ\r\nContent-Disposition: form-data; name="message"\r\n\r\nno end'
    expect_error "a multipart body without its closing boundary" 400 100
    check "multipart error names the problem" contains "$(jv 'd["error"]["message"]')" "closing boundary"
}

test_latency() {
    local lat_pid t0 t1 json
    start_server lat "" --latency-ms 1000
    check "latency server starts" test -n "$port"
    lat_pid=$server_pid
    t0=$(date +%s%N)
    get "/v25.0/me/accounts?$(auth "$SYS1")"
    t1=$(date +%s%N)
    check "--latency-ms 1000: HTTP 200" equals "$status" 200
    check "--latency-ms 1000: at least 1 s" test $(( (t1 - t0) / 1000000 )) -ge 1000
    check "--latency-ms 1000: under 3 s" test $(( (t1 - t0) / 1000000 )) -lt 3000
    check "latency logged" equals "$(lat_log 'd[-1].get("latency_ms")')" 1000
    json="[$(printf '{"relative_url":"me/accounts?limit=1"},%.0s' $(seq 5)){\"relative_url\":\"debug_token?input_token=x\"}]"
    t0=$(date +%s%N)
    BATCH_TOKEN=$SYS1 batch_post "$json"
    t1=$(date +%s%N)
    check "latency: a batch of 6 is delayed once" equals "$status $(jv 'len(d)')" "200 6"
    check "latency: a batch of 6 under 2.5 s (one delay, not 7)" test $(( (t1 - t0) / 1000000 )) -lt 2500
    check "latency: batch items carry no delay of their own" \
        equals "$(lat_log '[e.get("latency_ms") for e in d[-7:]]')" "[None, None, None, None, None, None, 1000]"
    EXTRA='"latency_ms": 0,' write_config '{}'
    t0=$(date +%s%N)
    get "/v25.0/me/accounts?$(auth "$SYS1")"
    t1=$(date +%s%N)
    check "latency_ms in the config overrides --latency-ms" equals \
        "$(lat_log '"latency_ms" in d[-1]') $(( (t1 - t0) / 1000000 < 900 ))" "False 1"
    EXTRA='"latency_ms": 10000,' write_config '{}'
    curl -sS --cacert "$tmp/ca/ca.pem" --max-time 15 -o /dev/null \
        "https://127.0.0.1:$port/v25.0/me/accounts?$(auth "$SYS1")" 2>/dev/null &
    local curl_pid=$!
    sleep 0.5
    kill -TERM "$lat_pid"
    check "latency: shutdown interrupts the wait" wait_exit "$lat_pid" 3
    wait "$curl_pid" 2>/dev/null
    EXTRA='"latency_ms": 10001,' write_config '{}'
    check "latency_ms over 10000 is a bad config" fails "$PY" "$here/fake_graph.py" \
        --cert "$tmp/ca/server.pem" --key "$tmp/ca/server.key" --config "$tmp/config.json" \
        --port-file "$tmp/bad2.port" --log "$tmp/bad2.log" --max-seconds 2
    write_config '{}'
    check "--latency-ms over 10000 is refused" fails "$PY" "$here/fake_graph.py" \
        --cert x --key x --config x --port-file x --log x --latency-ms 10001
}

wait_slow_line() {  # the slow fault's line lands 8 s late: sections reading d[-1] wait for it
    local i
    for i in $(seq 100); do
        grep -q '"fault": "slow"' "$tmp/main.log" && break
        sleep 0.1
    done
}

setup_posting() {  # the tokens the posting sections use
    LONG4=$(exchange "$SHORT4")
    LONG6=$(exchange "$SHORT6")
    P4_1001=$(page_token_of "$LONG4" 1001)
    P4_1002=$(page_token_of "$LONG4" 1002)
    P4_1003=$(page_token_of "$LONG4" 1003)
    P6_1001=$(page_token_of "$LONG6" 1001)
    P6_1003=$(page_token_of "$LONG6" 1003)
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
    setup_posting
    test_system_users
    test_fields
    test_debug_extras
    test_invalidation
    test_latency
    port=$main_port
    wait_slow_line
    test_post_bodies
    test_feed
    test_scheduled
    test_photos
    test_batch
    test_posting_faults
    test_usage_headers
    test_body_limits
    test_other_ca
    port=$main_port
    kill -TERM "$main_pid"
    check "SIGTERM: exits with status 0" wait_exit "$main_pid" 5
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

main
