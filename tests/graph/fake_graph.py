#!/usr/bin/env python3
"""fake_graph.py - a fake Facebook Graph API for fbvault's tests.

Serves the calls of fbvault's token flow over HTTPS, as the Graph API
reference (graph-api.md) describes them: token exchange, me/accounts, a page's
token and debug_token. A test fixture only: it logs every token it sees.

Usage:
  fake_graph.py --cert F --key F --config CONFIG.json --port-file PORTFILE
                --log LOG.jsonl [--max-seconds N] [--host 127.0.0.1|::1]
  fake_graph.py --self-test

It listens on an ephemeral port of --host, then writes the port number to
PORTFILE (atomically). It exits with status 0 on SIGTERM or SIGINT, or by
itself after --max-seconds (default 300).

Endpoints (each also under a version prefix such as /v25.0/):
  GET /oauth/access_token?grant_type=fb_exchange_token&client_id&client_secret
      &fb_exchange_token=SHORT                           endpoint "exchange"
  GET /me/accounts?access_token=USER[&fields=F,..][&limit=N][&after=C|&before=C]
                                                         endpoint "accounts"
  GET /{PAGE_ID}?fields=access_token&access_token=USER   endpoint "page"
  GET /debug_token?input_token=T&access_token=APP_ID|APP_SECRET (or a token)
                                                         endpoint "debug_token"
Only GET is served, with every argument in the query string. The exchange
also takes a long-lived user token (and issues a new one). The app token is
accepted by debug_token only. The paging.next and paging.previous URLs of
me/accounts are https://<Host header>[/<version>]/me/accounts?access_token=
...[&fields=F]&limit=N&after=C (before=C): they carry no appsecret_proof.
fields= (me/accounts and a page) selects among access_token, category,
category_list (accounts), name, id, tasks (accounts); id is always sent; a
field not in that list is error 100.

Config: a JSON object, re-read whenever the file changes (replace it
atomically, by rename). While it is invalid every request gets a 500 text/plain
answer naming the problem.
  app_id         string of digits, required: client_id, and APP_ID in app tokens
  app_secret     string, required: client_secret, and the appsecret_proof key
  app_name       string, default "fbvault test app": debug_token "application"
  require_proof  bool, default false: calls carrying a user or page token
                 without appsecret_proof are refused (code 100)
  users          list, default []; each an object with
      short_token    string, required: a short-lived user token
      user_id        string, required
      scopes         list of strings, default
                     ["pages_show_list", "pages_manage_posts"]; page tokens
                     derived for this user carry the same scopes
      short_expired  bool, default false: the short token has expired
                     (190/463 when used or exchanged)
  pages          list, default []; each an object with
      id        string of digits, required
      name      string, required
      category  string, default "Local Business"
      users     list of user_ids, optional: only they manage the page (by
                default every user manages every page)
  per_page       int >= 1, default 25: me/accounts page size without limit=
  faults         object, default {}: endpoint name (exchange, accounts, page,
                 debug_token) -> fault, "none" when absent. Faults:
      none        normal answer
      http500     HTTP 500, Graph error code 2, is_transient true
      html502     HTTP 502 with a small text/html page
      truncated   HTTP 200, the normal JSON body cut in half
      malformed   HTTP 200, '{"access_token": "EAA' and garbage, not JSON
      oversize    HTTP 200, valid JSON body of exactly 2 MiB (a "padding" field)
      slow        answer normally after 8 seconds (sooner on shutdown)
      reset       no answer: the TCP connection is reset (SO_LINGER 0)
      ratelimit   HTTP 403, code 4, is_transient true, X-App-Usage call_count 100
      error:CODE[:SUBCODE]  that Graph error with a plausible message and type
                  (HTTP 403 for the rate-limit codes 4, 17, 32, 613)
      unicode_name  (accounts only) page names with \\u00e9, a surrogate pair,
                  terminal escape sequences, and every "/" sent as "\\/"
      numeric_ids   (debug_token only) app_id and profile_id as JSON numbers

Tokens: long-lived user tokens and page tokens are "EAA" + 120 letters and
digits. A page token is issued once per (page, user token it came from); from
a long-lived token it never expires, from a short-lived one it expires an
hour after issue. A token is refused with 190/467 when unknown, 190/463 when
expired, 190/492 when its user no longer manages its page.

Log: one JSON object per request, appended to LOG and flushed:
  {"conn": N, "method": "GET", "path": "/v25.0/me/accounts",
   "endpoint": "accounts", "query": {...}, "user_agent": "...", "status": 200}
conn numbers the TCP connections, from 1; endpoint is
"unknown" for a path no endpoint serves; status is 0 for the reset fault; a
"fault" key names the fault applied, when one was. The line is written before
the answer is sent.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import signal
import socket
import socketserver
import ssl
import string
import struct
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

LONG_LIVED_SECONDS = 5183944
SHORT_LIVED_SECONDS = 7200
PAGE_FROM_SHORT_SECONDS = 3600
DATA_ACCESS_SECONDS = 90 * 86400
SLOW_SECONDS = 8
OVERSIZE_BYTES = 2 * 1024 * 1024
IDLE_TIMEOUT = 30
HANDSHAKE_TIMEOUT = 10
MAX_LIMIT = 100

ALNUM = string.ascii_letters + string.digits
JSON_TYPE = "application/json; charset=UTF-8"
HTML_TYPE = "text/html; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
TASKS = ["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"]
DEFAULT_SCOPES = ["pages_show_list", "pages_manage_posts"]
PROOF_VECTOR = ("abc123", "xyz789",
                "4dad02ff1693df832f9c183fe400fc4f601360be06514acb4a73edb783eec345")

ENDPOINTS = ("exchange", "accounts", "page", "debug_token")
PLAIN_FAULTS = ("none", "http500", "html502", "truncated", "malformed",
                "oversize", "slow", "reset", "ratelimit")
ENDPOINT_FAULTS = {"unicode_name": "accounts", "numeric_ids": "debug_token"}
ERROR_FAULT = re.compile(r"error:(\d+)(?::(\d+))?")

RATE_LIMIT_CODES = frozenset({4, 17, 32, 613})
TRANSIENT_CODES = frozenset({1, 2}) | RATE_LIMIT_CODES

MSG_BAD_TOKEN = "Invalid OAuth access token - Cannot parse access token"
MSG_NO_ROLE = "User must have a role on the page"
MSG_UNEXPECTED = "An unexpected error has occurred. Please retry your request later."
TOKEN_MESSAGES = {
    None: "Invalid OAuth 2.0 Access Token",
    458: "Error validating access token: The user has not authorized application.",
    459: "Error validating access token: You cannot access the app till you log "
         "in to www.facebook.com and follow the instructions given.",
    460: "Error validating access token: The session has been invalidated because "
         "the user changed their password or Facebook has changed the session "
         "for security reasons.",
    464: "Error validating access token: Sessions for the user are not allowed "
         "because the user is not a confirmed user.",
    467: MSG_BAD_TOKEN,
    492: MSG_NO_ROLE,
    493: "Error validating access token: Data access has expired for the user.",
}
CODE_MESSAGES = {
    1: "An unknown error occurred",
    2: MSG_UNEXPECTED,
    4: "(#4) Application request limit reached",
    10: "(#10) Application does not have permission for this action",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    100: "(#100) Invalid parameter",
    101: "Error validating application. Invalid application ID.",
    102: "Session key invalid or no longer valid",
    104: "An access token is required to request this resource.",
    613: "(#613) Calls to this api have exceeded the rate limit.",
}
HTML_502 = (b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
            b"<body><h1>502 Bad Gateway</h1><p>The upstream server did not answer."
            b"</p></body></html>\n")
MALFORMED_BODY = b'{"access_token": "EAA\x01<garbage>, ]] not json'
UNICODE_SUFFIX = " \u2014 Caf\u00e9 \U0001F950 24/7 \x1b]0;pwned\x07\x1b[2J"


# --- errors ---------------------------------------------------------------

class GraphError(Exception):
    """A Graph API error, answered as {"error": {...}}."""

    def __init__(self, code, message, type_="OAuthException", subcode=None,
                 transient=None, status=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.type = type_
        self.subcode = subcode
        self.transient = code in TRANSIENT_CODES if transient is None else transient
        self.status = status or (403 if code in RATE_LIMIT_CODES else 400)

    def body(self):
        error = {"message": self.message, "type": self.type, "code": self.code}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        error["fbtrace_id"] = random_string(11)
        error["is_transient"] = self.transient
        return {"error": error}


class ConfigError(Exception):
    pass


def random_string(length):
    return "".join(secrets.choice(ALNUM) for _ in range(length))


def new_token():
    return "EAA" + random_string(120)


def http_time(unix):
    return time.strftime("%A, %d-%b-%y %H:%M:%S UTC", time.gmtime(unix))


def expired_error(expires_at, now):
    return GraphError(190, f"Error validating access token: Session has expired on "
                           f"{http_time(expires_at)}. The current time is "
                           f"{http_time(now)}.", subcode=463)


def bad_token_error():
    return GraphError(190, MSG_BAD_TOKEN, subcode=467)


def missing_param_error(name):
    return GraphError(100, f"(#100) The parameter {name} is required")


def unknown_object_error(object_id):
    return GraphError(100, f"Unsupported get request. Object with ID '{object_id}' "
                           "does not exist, cannot be loaded due to missing "
                           "permissions, or does not support this operation.",
                      "GraphMethodException", subcode=33)


def graph_error(code, subcode=None):
    """A plausible error for the error:CODE[:SUBCODE] fault."""
    if code == 190 and subcode == 463:
        now = int(time.time())
        return expired_error(now - 3600, now)
    if code == 190:
        return GraphError(190, TOKEN_MESSAGES.get(subcode, TOKEN_MESSAGES[None]),
                          subcode=subcode)
    if code == 100 and subcode == 33:
        return unknown_object_error("0")
    if code == 100:
        return GraphError(100, CODE_MESSAGES[100], "GraphMethodException", subcode)
    if 200 <= code <= 299:
        message = f"(#{code}) Requires pages_manage_posts permission"
    else:
        message = CODE_MESSAGES.get(code, f"(#{code}) An error occurred")
    return GraphError(code, message, subcode=subcode)


# --- configuration ----------------------------------------------------------

_REQUIRED = object()


def field(obj, key, kind, where, default=_REQUIRED):
    """obj[key] checked to be of kind; numbers are accepted for strings."""
    if key not in obj:
        if default is _REQUIRED:
            raise ConfigError(f"{where}: missing {key!r}")
        return default
    value = obj[key]
    if kind is str and type(value) is int:
        value = str(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"{where}: {key!r} must be a {kind.__name__}")
    return value


def string_list(obj, key, where, default=_REQUIRED):
    values = field(obj, key, list, where, default)
    if values is None:
        return None
    if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
        raise ConfigError(f"{where}: {key!r} must be a list of strings")
    return [str(v) for v in values]


def digits(value, where, key):
    if not value.isdigit():
        raise ConfigError(f"{where}: {key!r} must be a string of digits")
    return value


def normalize_user(raw, index):
    where = f"users[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be an object")
    return {"short_token": field(raw, "short_token", str, where),
            "user_id": field(raw, "user_id", str, where),
            "scopes": string_list(raw, "scopes", where, DEFAULT_SCOPES),
            "short_expired": field(raw, "short_expired", bool, where, False)}


def normalize_page(raw, index):
    where = f"pages[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be an object")
    return {"id": digits(field(raw, "id", str, where), where, "id"),
            "name": field(raw, "name", str, where),
            "category": field(raw, "category", str, where, "Local Business"),
            "users": string_list(raw, "users", where, None)}


def valid_fault(endpoint, fault):
    return (fault in PLAIN_FAULTS or ENDPOINT_FAULTS.get(fault) == endpoint
            or ERROR_FAULT.fullmatch(fault) is not None)


def normalize_faults(raw):
    faults = {}
    for endpoint, fault in raw.items():
        if endpoint not in ENDPOINTS:
            raise ConfigError(f"faults: unknown endpoint {endpoint!r}")
        if not isinstance(fault, str) or not valid_fault(endpoint, fault):
            raise ConfigError(f"faults: {fault!r} is not a fault of {endpoint}")
        faults[endpoint] = fault
    return faults


def normalize_config(raw):
    if not isinstance(raw, dict):
        raise ConfigError("the top level must be an object")
    where = "config"
    per_page = field(raw, "per_page", int, where, 25)
    if per_page < 1:
        raise ConfigError("config: 'per_page' must be at least 1")
    users = field(raw, "users", list, where, [])
    pages = field(raw, "pages", list, where, [])
    return {"app_id": digits(field(raw, "app_id", str, where), where, "app_id"),
            "app_secret": field(raw, "app_secret", str, where),
            "app_name": field(raw, "app_name", str, where, "fbvault test app"),
            "require_proof": field(raw, "require_proof", bool, where, False),
            "users": [normalize_user(u, i) for i, u in enumerate(users)],
            "pages": [normalize_page(p, i) for i, p in enumerate(pages)],
            "per_page": per_page,
            "faults": normalize_faults(field(raw, "faults", dict, where, {}))}


class ConfigFile:
    """The config file, re-read whenever it changes."""

    def __init__(self, path):
        self._path = path
        self._lock = threading.Lock()
        self._stamp = None
        self._config = None
        self._error = None

    def current(self):
        with self._lock:
            try:
                st = os.stat(self._path)
                stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
                if stamp != self._stamp:
                    self._stamp = stamp
                    self._config, self._error = self._load(), None
            except (OSError, ConfigError) as e:
                self._stamp, self._error = None, str(e)
            if self._error:
                raise ConfigError(self._error)
            return self._config

    def _load(self):
        try:
            with open(self._path, encoding="utf-8") as f:
                return normalize_config(json.load(f))
        except ValueError as e:
            raise ConfigError(f"{self._path}: not JSON: {e}") from None


def find_user(cfg, user_id):
    return next((u for u in cfg["users"] if u["user_id"] == user_id), None)


def find_page(cfg, page_id):
    return next((p for p in cfg["pages"] if p["id"] == page_id), None)


def manages(page, user_id):
    return page["users"] is None or user_id in page["users"]


def managed_pages(cfg, user_id):
    return [p for p in cfg["pages"] if manages(p, user_id)]


def app_token(cfg):
    return f"{cfg['app_id']}|{cfg['app_secret']}"


def appsecret_proof(secret, token):
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()


# --- tokens -----------------------------------------------------------------

@dataclass(frozen=True)
class Token:
    value: str
    kind: str            # "short", "long" or "page"
    user_id: str
    issued_at: int
    expires_at: int      # 0: never
    page_id: str = None


class TokenStore:
    """Every token the server issued; short tokens come from the config."""

    def __init__(self, started):
        self._started = int(started)
        self._lock = threading.Lock()
        self._tokens = {}
        self._page_tokens = {}

    def issue_long(self, user_id):
        now = int(time.time())
        token = Token(new_token(), "long", user_id, now, now + LONG_LIVED_SECONDS)
        with self._lock:
            self._tokens[token.value] = token
        return token

    def page_token(self, page_id, parent):
        with self._lock:
            token = self._page_tokens.get((page_id, parent.value))
            if token is None:
                now = int(time.time())
                expires = 0 if parent.kind == "long" else now + PAGE_FROM_SHORT_SECONDS
                token = Token(new_token(), "page", parent.user_id, now, expires, page_id)
                self._page_tokens[(page_id, parent.value)] = token
                self._tokens[token.value] = token
            return token

    def find(self, value, cfg):
        user = next((u for u in cfg["users"] if u["short_token"] == value), None)
        if user is not None:
            return self._short(user)
        with self._lock:
            return self._tokens.get(value)

    def _short(self, user):
        if user["short_expired"]:
            issued = self._started - SHORT_LIVED_SECONDS - 3600
        else:
            issued = self._started - 600
        return Token(user["short_token"], "short", user["user_id"], issued,
                     issued + SHORT_LIVED_SECONDS)


def token_problem(token, cfg, now):
    """The GraphError a use of token meets now, or None if it is valid."""
    if find_user(cfg, token.user_id) is None:
        return bad_token_error()
    if token.expires_at and now >= token.expires_at:
        return expired_error(token.expires_at, now)
    if token.kind == "page":
        page = find_page(cfg, token.page_id)
        if page is None:
            return bad_token_error()
        if not manages(page, token.user_id):
            return GraphError(190, MSG_NO_ROLE, subcode=492)
    return None


# --- endpoints ----------------------------------------------------------------

@dataclass
class Request:
    cfg: dict
    query: dict
    version: str         # "v25.0", or "" when the path had no prefix
    host: str            # for absolute paging URLs
    tokens: TokenStore
    args: tuple          # groups of the route's pattern
    fault: str
    stopping: threading.Event


def require_param(req, name):
    value = req.query.get(name)
    if not value:
        raise missing_param_error(name)
    return value


def valid_token(req, value):
    token = req.tokens.find(value, req.cfg)
    if token is None:
        raise bad_token_error()
    problem = token_problem(token, req.cfg, int(time.time()))
    if problem:
        raise problem
    return token


def check_proof(req, access_token, is_app_token):
    proof = req.query.get("appsecret_proof")
    if proof is None:
        if req.cfg["require_proof"] and not is_app_token:
            raise GraphError(100, "API calls from the server require an "
                                  "appsecret_proof argument", "GraphMethodException")
        return
    expected = appsecret_proof(req.cfg["app_secret"], access_token)
    if not hmac.compare_digest(proof.encode(), expected.encode()):
        raise GraphError(100, "Invalid appsecret_proof provided in the API argument",
                         "GraphMethodException")


def authenticate(req, allow_app=False):
    """Check access_token and appsecret_proof; the Token, None for the app token."""
    value = req.query.get("access_token")
    if not value:
        raise GraphError(104, CODE_MESSAGES[104])
    if "|" not in value:
        token = valid_token(req, value)
    elif not allow_app:
        raise GraphError(190, "This method must be called with a user or page "
                              "access token.")
    elif value != app_token(req.cfg):
        raise GraphError(190, "Invalid OAuth access token signature.")
    else:
        token = None
    check_proof(req, value, token is None)
    return token


def exchange(req):
    if require_param(req, "grant_type") != "fb_exchange_token":
        raise GraphError(100, "(#100) Unsupported grant_type: use fb_exchange_token")
    if require_param(req, "client_id") != req.cfg["app_id"]:
        raise GraphError(101, CODE_MESSAGES[101])
    secret = require_param(req, "client_secret")
    if not hmac.compare_digest(secret.encode(), req.cfg["app_secret"].encode()):
        raise GraphError(1, "Error validating client secret.", transient=False)
    token = valid_token(req, require_param(req, "fb_exchange_token"))
    if token.kind == "page":
        raise bad_token_error()
    long_lived = req.tokens.issue_long(token.user_id)
    return {"access_token": long_lived.value, "token_type": "bearer",
            "expires_in": LONG_LIVED_SECONDS}


def encode_cursor(page_id):
    return base64.b64encode(page_id.encode()).decode()


def cursor_index(ids, cursor):
    try:
        return ids.index(base64.b64decode(cursor, validate=True).decode())
    except ValueError:
        raise GraphError(100, "(#100) Invalid cursor", "GraphMethodException") from None


def page_limit(req):
    value = req.query.get("limit")
    if value is None:
        return req.cfg["per_page"]
    if not value.isdigit() or int(value) < 1:
        raise GraphError(100, "(#100) Param limit must be a positive number",
                         "GraphMethodException")
    return min(int(value), MAX_LIMIT)


def page_window(req, ids, limit):
    """[start, end) of the ids me/accounts answers with."""
    if "after" in req.query:
        start = cursor_index(ids, req.query["after"]) + 1
        return start, min(start + limit, len(ids))
    if "before" in req.query:
        end = cursor_index(ids, req.query["before"])
        return max(0, end - limit), end
    return 0, min(limit, len(ids))


def accounts_url(req, token, limit, direction, cursor):
    prefix = f"/{req.version}" if req.version else ""
    args = {"access_token": token.value, "fields": req.query.get("fields"),
            "limit": limit, direction: cursor}
    query = urlencode({k: v for k, v in args.items() if v is not None})
    return f"https://{req.host}{prefix}/me/accounts?{query}"


def paging(req, token, ids, start, end, limit):
    before, after = encode_cursor(ids[start]), encode_cursor(ids[end - 1])
    result = {"cursors": {"before": before, "after": after}}
    if start > 0:
        result["previous"] = accounts_url(req, token, limit, "before", before)
    if end < len(ids):
        result["next"] = accounts_url(req, token, limit, "after", after)
    return result


def category_id(category):
    return str(1000 + int(hashlib.sha256(category.encode()).hexdigest()[:8], 16) % 9000)


def requested_fields(req, default=None):
    """The names in fields=, or default split the same way; None: all."""
    fields = req.query.get("fields", default)
    return None if fields is None else [f.strip() for f in fields.split(",")]


def select_fields(entry, names):
    """entry cut down to names, plus the id Graph always sends."""
    if names is None:
        return entry
    for name in names:
        if name not in entry:
            raise GraphError(100, f"(#100) Tried accessing nonexisting field ({name}) "
                                  "on node type (Page)", "GraphMethodException")
    return {**{name: entry[name] for name in names}, "id": entry["id"]}


def account_entry(req, page, parent):
    name = page["name"] + (UNICODE_SUFFIX if req.fault == "unicode_name" else "")
    entry = {"access_token": req.tokens.page_token(page["id"], parent).value,
             "category": page["category"],
             "category_list": [{"id": category_id(page["category"]),
                                "name": page["category"]}],
             "name": name, "id": page["id"], "tasks": TASKS}
    return select_fields(entry, requested_fields(req))


def accounts(req):
    token = authenticate(req)
    if token.kind == "page":
        raise GraphError(100, "(#100) Tried accessing nonexisting field (accounts) "
                              "on node type (Page)", "GraphMethodException")
    pages = managed_pages(req.cfg, token.user_id)
    ids = [p["id"] for p in pages]
    limit = page_limit(req)
    start, end = page_window(req, ids, limit)
    result = {"data": [account_entry(req, p, token) for p in pages[start:end]]}
    if start < end:
        result["paging"] = paging(req, token, ids, start, end, limit)
    return result


def page_access_token(req, page, token):
    if token.kind == "page":
        if token.page_id != page["id"]:
            raise unknown_object_error(page["id"])
        return token.value
    if not manages(page, token.user_id):
        raise GraphError(190, MSG_NO_ROLE, subcode=492)
    return req.tokens.page_token(page["id"], token).value


def page(req):
    token = authenticate(req)
    page_obj = find_page(req.cfg, req.args[0])
    if page_obj is None:
        raise unknown_object_error(req.args[0])
    names = requested_fields(req, "name")
    entry = {"name": page_obj["name"], "category": page_obj["category"],
             "id": page_obj["id"]}
    if "access_token" in names:
        entry["access_token"] = page_access_token(req, page_obj, token)
    return select_fields(entry, names)


def id_value(req, value):
    return int(value) if req.fault == "numeric_ids" else value


def granular_scopes(scopes, target_ids):
    return [{"scope": s, "target_ids": target_ids} if s.startswith("pages_")
            else {"scope": s} for s in scopes]


def token_info(req, token):
    cfg = req.cfg
    user = find_user(cfg, token.user_id)
    scopes = list(user["scopes"]) if user else []
    if token.kind == "page":
        targets = [token.page_id]
    else:
        targets = [p["id"] for p in managed_pages(cfg, token.user_id)]
    info = {"app_id": id_value(req, cfg["app_id"]),
            "type": "PAGE" if token.kind == "page" else "USER",
            "application": cfg["app_name"],
            "data_access_expires_at": int(time.time()) + DATA_ACCESS_SECONDS,
            "expires_at": token.expires_at, "is_valid": True,
            "issued_at": token.issued_at}
    if token.kind == "page":
        info["profile_id"] = id_value(req, token.page_id)
    info.update(scopes=scopes, granular_scopes=granular_scopes(scopes, targets),
                user_id=token.user_id)
    return info


def invalid_info(info, error):
    info["is_valid"] = False
    info["error"] = {"code": error.code, "message": error.message,
                     "subcode": error.subcode}
    return info


def describe_token(req, value):
    cfg = req.cfg
    if value == app_token(cfg):
        return {"app_id": id_value(req, cfg["app_id"]), "type": "APP",
                "application": cfg["app_name"], "is_valid": True, "scopes": []}
    token = req.tokens.find(value, cfg)
    if token is None:
        return invalid_info({"scopes": []}, bad_token_error())
    problem = token_problem(token, cfg, int(time.time()))
    info = token_info(req, token)
    return invalid_info(info, problem) if problem else info


def debug_token(req):
    authenticate(req, allow_app=True)
    return {"data": describe_token(req, require_param(req, "input_token"))}


VERSION = re.compile(r"v\d+\.\d+")
ROUTES = (
    (re.compile(r"oauth/access_token"), "exchange", exchange),
    (re.compile(r"me/accounts"), "accounts", accounts),
    (re.compile(r"debug_token"), "debug_token", debug_token),
    (re.compile(r"(\d+)"), "page", page),
)


def route(path):
    """(version, endpoint name, function, args) for path; GraphError if none."""
    parts = path.strip("/").split("/")
    version = ""
    if VERSION.fullmatch(parts[0]):
        version = parts.pop(0)
    elif parts[0].startswith("v") and len(parts) > 1:
        raise GraphError(2500, "Unknown path components: /" + "/".join(parts[1:]))
    rest = "/".join(parts)
    for pattern, name, function in ROUTES:
        match = pattern.fullmatch(rest)
        if match:
            return version, name, function, match.groups()
    if len(parts) > 1:
        raise GraphError(2500, "Unknown path components: /" + "/".join(parts[1:]))
    raise unknown_object_error(rest)


# --- answers and faults ----------------------------------------------------------

@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = JSON_TYPE
    call_count: int = None   # X-App-Usage call_count; None: the usual
    reset: bool = False


def encode_json(obj, escape_slashes=False):
    text = json.dumps(obj, separators=(",", ":"))
    return (text.replace("/", "\\/") if escape_slashes else text).encode()


def run_endpoint(function, req):
    """(status, JSON object) of a normal answer."""
    try:
        return 200, function(req)
    except GraphError as e:
        return e.status, e.body()
    except Exception:  # a bug here must not look like a network fault
        traceback.print_exc()
        error = GraphError(2, "fake_graph internal error", status=500)
        return error.status, error.body()


def error_reply(error, call_count=None):
    return Reply(error.status, encode_json(error.body()), call_count=call_count)


def normal_reply(req, run):
    status, obj = run()
    return Reply(status, encode_json(obj, req.fault == "unicode_name"))


def truncated_reply(req, run):
    body = encode_json(run()[1])
    return Reply(200, body[:len(body) // 2])


def oversize_reply(req, run):
    obj = dict(run()[1], padding="")
    obj["padding"] = "A" * (OVERSIZE_BYTES - len(encode_json(obj)))
    return Reply(200, encode_json(obj))


def slow_reply(req, run):
    req.stopping.wait(SLOW_SECONDS)
    return normal_reply(req, run)


FAULTS = {
    "none": normal_reply,
    "unicode_name": normal_reply,
    "numeric_ids": normal_reply,
    "truncated": truncated_reply,
    "oversize": oversize_reply,
    "slow": slow_reply,
    "malformed": lambda req, run: Reply(200, MALFORMED_BODY),
    "http500": lambda req, run: error_reply(GraphError(2, MSG_UNEXPECTED, status=500)),
    "html502": lambda req, run: Reply(502, HTML_502, HTML_TYPE),
    "ratelimit": lambda req, run: error_reply(graph_error(4), call_count=100),
    "reset": lambda req, run: Reply(0, reset=True),
}


def apply_fault(req, run):
    """The Reply for req under its fault; run() gives the normal answer."""
    match = ERROR_FAULT.fullmatch(req.fault)
    if match:
        code, subcode = match.groups()
        return error_reply(graph_error(int(code), subcode and int(subcode)))
    return FAULTS[req.fault](req, run)


class GraphApp:
    """Turns a request into a Reply; shared by all connections."""

    def __init__(self, config, tokens, stopping):
        self.config = config
        self.tokens = tokens
        self.stopping = stopping
        self._lock = threading.Lock()
        self._requests = 0

    def usage(self, call_count=None):
        with self._lock:
            self._requests += 1
            used = min(99, self._requests)
        usage = {"call_count": used if call_count is None else call_count,
                 "total_cputime": used // 2, "total_time": used // 2}
        return json.dumps(usage, separators=(",", ":"))

    def respond(self, path, query, host):
        """(endpoint name, fault, Reply) for a GET of path?query."""
        try:
            cfg = self.config.current()
        except ConfigError as e:
            return "unknown", "none", Reply(500, f"fake_graph: bad config: {e}\n".encode(),
                                            TEXT_TYPE)
        try:
            version, name, function, args = route(path)
        except GraphError as e:
            return "unknown", "none", error_reply(e)
        fault = cfg["faults"].get(name, "none")
        req = Request(cfg, query, version, host, self.tokens, args, fault,
                      self.stopping)
        return name, fault, apply_fault(req, lambda: run_endpoint(function, req))


# --- HTTP ------------------------------------------------------------------------

class ConnectionReset(Exception):
    """Raised after the reset fault closed the connection."""


class JsonLog:
    def __init__(self, path):
        self._file = open(path, "a", encoding="utf-8")
        self._lock = threading.Lock()

    def write(self, entry):
        line = json.dumps(entry) + "\n"
        with self._lock:
            self._file.write(line)
            self._file.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT

    def version_string(self):
        return "fake_graph"

    def setup(self):
        self.conn_id = self.server.next_conn_id()
        self.request.settimeout(HANDSHAKE_TIMEOUT)
        try:
            self.request.do_handshake()
            self.tls_ok = True
        except (ssl.SSLError, OSError) as e:
            self.tls_ok = False
            print(f"fake_graph: conn {self.conn_id}: TLS handshake failed: {e}",
                  file=sys.stderr)
        super().setup()

    def handle(self):
        if not self.tls_ok:
            return
        try:
            super().handle()
        except (ConnectionReset, OSError):
            pass

    def log_message(self, format, *args):
        pass  # requests go to the JSON log

    def default_host(self):
        host, port = self.server.server_address[:2]
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def do_GET(self):
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        host = self.headers.get("Host") or self.default_host()
        name, fault, reply = self.server.app.respond(url.path, query, host)
        entry = {"conn": self.conn_id, "method": "GET", "path": url.path,
                 "endpoint": name, "query": query,
                 "user_agent": self.headers.get("User-Agent", ""),
                 "status": reply.status}
        if fault != "none":
            entry["fault"] = fault
        self.server.log.write(entry)
        if reply.reset:
            self.reset_connection()
        self.send_reply(reply)

    def send_reply(self, reply):
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("X-App-Usage", self.server.app.usage(reply.call_count))
        self.end_headers()
        self.wfile.write(reply.body)

    def reset_connection(self):
        """Close with SO_LINGER 0: the peer gets a TCP RST and no answer."""
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                struct.pack("ii", 1, 0))
        self.close_connection = True
        self.rfile.close()  # drops the makefile reference so close() is real
        self.request.close()
        raise ConnectionReset()


class GraphServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, host, ssl_context, app, log):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.ssl_context = ssl_context
        self.app = app
        self.log = log
        self._conn_lock = threading.Lock()
        self._conns = 0
        super().__init__((host, 0), Handler)

    def server_bind(self):
        socketserver.TCPServer.server_bind(self)  # skip HTTPServer's getfqdn()
        self.server_name, self.server_port = self.server_address[:2]

    def get_request(self):
        sock, addr = self.socket.accept()
        # The handshake runs in the connection's thread (Handler.setup).
        return self.ssl_context.wrap_socket(sock, server_side=True,
                                            do_handshake_on_connect=False), addr

    def next_conn_id(self):
        with self._conn_lock:
            self._conns += 1
            return self._conns


# --- main --------------------------------------------------------------------------

def make_ssl_context(cert, key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(["http/1.1"])
    context.load_cert_chain(cert, key)
    return context


def write_port_file(path, port):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(f"{port}\n")
    os.replace(tmp, path)


def self_test():
    token, secret, expected = PROOF_VECTOR
    checks = {
        "appsecret_proof test vector": appsecret_proof(secret, token) == expected,
        "token shape": re.fullmatch(r"EAA[A-Za-z0-9]{120}", new_token()) is not None,
        "cursor round trip": cursor_index(["7", "1001"], encode_cursor("1001")) == 1,
        "versioned route": route("/v25.0/me/accounts")[:2] == ("v25.0", "accounts"),
        "unversioned route": route("/oauth/access_token")[:2] == ("", "exchange"),
        "page route": route("/v21.0/1001")[3] == ("1001",),
    }
    try:
        route("/vfoo/me/accounts")
        checks["malformed version refused"] = False
    except GraphError as e:
        checks["malformed version refused"] = e.code == 2500
    failed = [name for name, ok in checks.items() if not ok]
    for name in failed:
        print(f"self-test FAILED: {name}")
    print(f"self-test: {len(checks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def parse_args(argv):
    parser = argparse.ArgumentParser(description="A fake Graph API for tests.")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--config")
    parser.add_argument("--port-file")
    parser.add_argument("--log")
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args(argv)
    if args.self_test:
        return args
    missing = [opt for opt in ("cert", "key", "config", "port_file", "log")
               if getattr(args, opt) is None]
    if missing:
        parser.error("missing " + ", ".join("--" + m.replace("_", "-") for m in missing))
    if args.host not in ("127.0.0.1", "::1"):
        parser.error("--host must be 127.0.0.1 or ::1")
    if args.max_seconds <= 0:
        parser.error("--max-seconds must be positive")
    return args


def serve(args):
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    config = ConfigFile(args.config)
    config.current()
    app = GraphApp(config, TokenStore(time.time()), stopping)
    server = GraphServer(args.host, make_ssl_context(args.cert, args.key), app,
                         JsonLog(args.log))
    write_port_file(args.port_file, server.server_address[1])
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                     daemon=True).start()
    deadline = time.monotonic() + args.max_seconds
    while not stopping.wait(0.1) and time.monotonic() < deadline:
        pass
    stopping.set()
    server.shutdown()
    server.server_close()


def main(argv=None):
    args = parse_args(argv)
    if args.self_test:
        return self_test()
    try:
        serve(args)
    except (ConfigError, OSError, ssl.SSLError) as e:
        print(f"fake_graph: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
