#!/usr/bin/env python3
"""Writes fuzz_graph's seeds into DIR: the bodies of
/work/shared/reference/graph-api.md and the error bodies and faults of
tests/graph/fake_graph.py, each behind the selector byte that fuzz_graph.c
reads (low 3 bits: the call; next 3: the HTTP status, or for paging links
the base URL).

    fuzz/run --unpack /tmp/c && fuzz/graph_seeds.py /tmp/c/fuzz_graph && fuzz/run --pack /tmp/c
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "graph"))
import fake_graph  # noqa: E402

# Seeds that do not change from one run to the next.
fake_graph.random_string = lambda length: ("EJplcsCHuLu" * 4)[:length]

EXCHANGE, PAGE, ACCOUNTS, DEBUG, ERROR, URL, JSON, ESCAPE = range(8)
# fuzz_graph.c: statuses[] = 200 200 201 299 400 403 500 302
S200, S201, S299, S400, S403, S500, S302 = 0, 2, 3, 4, 5, 6, 7
TOKEN = "EAAGm0PX4ZCpsBAKhZBZAy8ZD"


def dumps(obj, escape_slashes=False):
    text = json.dumps(obj, separators=(",", ":"))
    return text.replace("/", "\\/") if escape_slashes else text


def seeds():
    yield "exchange", EXCHANGE, S200, dumps(
        {"access_token": TOKEN, "token_type": "bearer", "expires_in": 5183944})
    yield "exchange-expires", EXCHANGE, S200, dumps({"access_token": TOKEN, "expires": 5183944})
    yield "exchange-no-expiry", EXCHANGE, S201, dumps({"access_token": TOKEN})
    yield "exchange-string-expiry", EXCHANGE, S200, \
        '{ "access_token" : "EAA\\u0041\\/x", "expires_in" : "5183944" }\r\n'
    yield "exchange-bad-token", EXCHANGE, S200, '{"access_token":"EAA token","expires_in":-1}'
    yield "page", PAGE, S200, dumps({"access_token": TOKEN, "id": "1234"})
    yield "page-number-id", PAGE, S200, '{"id":1234,"name":null,"access_token":"' + TOKEN + '"}'
    yield "page-unicode-name", PAGE, S200, dumps(
        {"id": "1234", "name": "Ferret Bakery" + fake_graph.UNICODE_SUFFIX,
         "access_token": TOKEN}, escape_slashes=True)
    yield "page-no-token", PAGE, S200, dumps({"id": "1234", "name": "Ferret Bakery"})
    yield "page-other", PAGE, S200, dumps({"id": "4321", "access_token": TOKEN})
    page = {"access_token": TOKEN, "category": "Bakery",
            "category_list": [{"id": "2265", "name": "Bakery"}],
            "name": "Ferret Bakery", "id": "1234",
            "tasks": ["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"]}
    nxt = ("https://graph.facebook.com/v25.0/me/accounts?fields=id%2Cname%2Caccess_token"
           "&access_token=" + TOKEN + "&appsecret_proof=4dad02ff&limit=25&after=QVFIUmx1")
    yield "accounts", ACCOUNTS, 0, dumps(
        {"data": [page], "paging": {"cursors": {"before": "QVFIUk", "after": "QVFIUmx1"},
                                    "next": nxt}})
    yield "accounts-escaped-link", ACCOUNTS, 1, dumps(
        {"data": [page, dict(page, id="5678", name="Second")],
         "paging": {"next": nxt.replace("graph.facebook.com", "graph.facebook.com")}},
        escape_slashes=True)
    yield "accounts-last", ACCOUNTS, 0, dumps(
        {"data": [], "paging": {"previous": nxt}})
    yield "accounts-loopback", ACCOUNTS, 2, dumps(
        {"data": [{"id": "1", "name": "a"}],
         "paging": {"next": "http://127.0.0.1:8443/v25.0/me/accounts?%61ccess_token=x&after=2"}})
    yield "accounts-foreign", ACCOUNTS, 0, dumps(
        {"data": [page], "paging": {"next": "https://evil.example/v25.0/me/accounts?after=1"}})
    debug = {"app_id": "138483919580948", "type": "PAGE", "application": "Ferret Poster",
             "data_access_expires_at": 1790000000, "expires_at": 0, "is_valid": True,
             "issued_at": 1760000000, "profile_id": "1234",
             "scopes": ["pages_show_list", "pages_manage_posts"],
             "granular_scopes": [{"scope": "pages_manage_posts", "target_ids": ["1234"]}],
             "user_id": "9876"}
    yield "debug", DEBUG, S200, dumps({"data": debug})
    yield "debug-numbers", DEBUG, S200, dumps(
        {"data": dict(debug, app_id=138483919580948, profile_id=1234, user_id=9876)})
    yield "debug-invalid", DEBUG, S200, dumps(
        {"data": {"app_id": "138483919580948", "is_valid": False, "scopes": [],
                  "error": {"code": 190, "message": fake_graph.TOKEN_MESSAGES[460],
                            "subcode": 460}}})
    for code, sub in [(190, 463), (190, 467), (190, 492), (190, 493), (100, 33), (100, None),
                      (1, None), (2, None), (4, None), (10, None), (17, None), (32, None),
                      (101, None), (102, None), (200, None), (613, None)]:
        error = fake_graph.graph_error(code, sub)
        status = {400: S400, 403: S403, 500: S500}.get(error.status, S400)
        yield f"error-{code}" + (f"-{sub}" if sub else ""), ERROR, status, dumps(error.body())
    yield "error-client-secret", ERROR, S400, dumps(
        {"error": {"message": "Error validating client secret.", "type": "OAuthException",
                   "code": 1, "fbtrace_id": "EJplcsCHuLu"}})
    yield "error-full", ERROR, S400, dumps(
        {"error": {"message": "Error validating access token: Session has expired",
                   "type": "OAuthException", "code": 190, "error_subcode": 463,
                   "error_user_title": "t", "error_user_msg": "m",
                   "fbtrace_id": "EJplcsCHuLu", "is_transient": False}})
    yield "error-http500", ERROR, S500, dumps(
        fake_graph.GraphError(2, fake_graph.MSG_UNEXPECTED, status=500).body())
    yield "error-unicode", ERROR, S400, dumps(
        fake_graph.GraphError(100, "bad" + fake_graph.UNICODE_SUFFIX).body())
    yield "error-html", ERROR, S302, fake_graph.HTML_502.decode()
    yield "error-malformed", EXCHANGE, S200, fake_graph.MALFORMED_BODY.decode()
    yield "error-no-graph-error", ERROR, S403, '{"message":"nope"}'
    yield "url-credentials", URL, 0, nxt
    yield "url-encoded-credential", URL, 0, \
        "https://graph.facebook.com/v25.0/me/accounts?%61ccess%5Ftoken=1&&after=x&appsecret_proof"
    yield "url-ipv6", URL, 3, "https://[::1]:4443/me/accounts?after=1#frag"
    yield "url-userinfo", URL, 0, "https://graph.facebook.com@evil.example/me/accounts"
    yield "url-port", URL, 6, "HTTPS://Graph.Facebook.COM:8443?limit=1"
    yield "json-nested", JSON, 0, \
        '{"a":[1,-0.5e+3,true,false,null,{"b":[[]],"c":{}}],"\\u00e9\\ud83d\\ude00":"\\b\\f\\n\\r\\t\\"\\\\"}'
    yield "json-dup-keys", JSON, 0, '{"k":1,"k":"2","":[]}'
    yield "escape", ESCAPE, 0, "plain \\ text\x1b[2J\u202e\u0085\xe9" + fake_graph.UNICODE_SUFFIX


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: fuzz/graph_seeds.py DIR (fuzz/run --unpack writes the corpus into a DIR)")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, mode, status, body in seeds():
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes([mode | status << 3]) + body.encode())


if __name__ == "__main__":
    main()
