#!/usr/bin/env python3
"""fake_graph.py - a fake Facebook Graph API for fbvault's tests.

Serves the calls of fbvault's token flow and of posting to a Page over HTTPS,
as the Graph API references (graph-api.md, graph-posting.md) describe them:
token exchange, me/accounts, a page's token, debug_token, publishing to a
page's feed and photos, scheduled posts, reading and deleting posts, and
batch requests. A test fixture only: it logs every token it sees.

Usage:
  fake_graph.py --cert F --key F --config CONFIG.json --port-file PORTFILE
                --log LOG.jsonl [--max-seconds N] [--host 127.0.0.1|::1]
                [--latency-ms N]
  fake_graph.py --self-test

It listens on an ephemeral port of --host, then writes the port number to
PORTFILE (atomically). It exits with status 0 on SIGTERM or SIGINT, or by
itself after --max-seconds (default 300). --latency-ms N (0 to 10000,
default 0) delays every HTTP request by N ms before it is answered (not each
item of a batch: one HTTP request, one delay); the config's latency_ms
overrides it. The wait ends early on shutdown.

Endpoints (each also under a version prefix such as /v25.0/); the quoted
name is the endpoint's name in faults and in the log:
  GET /oauth/access_token?grant_type=fb_exchange_token&client_id&client_secret
      &fb_exchange_token=SHORT                           endpoint "exchange"
  GET /me/accounts?access_token=USER[&fields=F,..][&limit=N][&after=C|&before=C]
                                                         endpoint "accounts"
  GET /{PAGE_ID}?fields=access_token&access_token=USER   endpoint "page"
  GET /debug_token?input_token=T&access_token=APP_ID|APP_SECRET (or a token)
                                                         endpoint "debug_token"
  POST /{PAGE_ID}/feed  message, link, published, scheduled_publish_time,
                        attached_media                   endpoint "feed"
  POST /{PAGE_ID}/photos  url or source (a multipart file), caption or
                        message, published, scheduled_publish_time
                                                         endpoint "photos"
  GET /{PAGE_ID}/feed[?fields=F,..][&limit=N][&after=C|&before=C]
                                                         endpoint "feed_list"
  GET /{PAGE_ID}/scheduled_posts[?fields=..][&limit=N][&after=C|&before=C]
                                                         endpoint "scheduled_posts"
  GET /{POST_ID}[?fields=F,..]  a post (PAGEID_N) or a photo (digits)
                                                         endpoint "post"
  POST /{POST_ID}       message, scheduled_publish_time, is_published=true
                                                         endpoint "edit"
  DELETE /{POST_ID}     a post or a photo                endpoint "delete"
  POST /  batch=[{"method","relative_url","body"}, ...]  endpoint "batch"
The exchange is served as GET and as POST. The methods listed are the only
ones served: another method on a known path is error 100/33 (GraphMethodException)
"Unsupported <method> request. Object with ID '<ID>' does not exist, cannot be
loaded due to missing permissions, or does not support this operation.", as is
an unknown object; /me/feed and other unknown edges are 2500.
The exchange also takes a long-lived user token (and issues a new one). The
app token is accepted by debug_token and batch only. The paging.next and
paging.previous URLs of me/accounts are
https://<Host header>[/<version>]/me/accounts?access_token=...[&fields=F]
&limit=N&after=C (before=C): they carry no appsecret_proof; those of a page's
feed and scheduled_posts are the same with /{PAGE_ID}/feed or
/{PAGE_ID}/scheduled_posts for /me/accounts.
fields= is a comma-separated list; a field may carry subfields in braces
(instagram_business_account{id,username}); unbalanced braces are error 2500
'Syntax error "..." at character N: <fields>'. On me/accounts and a page it
selects among access_token, category, category_list (accounts), name, id,
tasks (accounts) and instagram_business_account (subfields id, username;
id alone without braces; left out when the page has none); id is always
sent; a field not in that list is error 100 "(#100) Tried accessing
nonexisting field (F) on node type (Page)". Without fields= me/accounts
sends access_token, category, category_list, name, id, tasks, and a page
name and id.

Requests: GET, POST and DELETE. Arguments come from the URL query and from
the body, which may be application/x-www-form-urlencoded, multipart/form-data
(a part with a filename, or with a Content-Type other than text/plain, is a
file) or a JSON object (values other than strings become JSON text); a body
of another type is ignored; a body field wins over the same query argument. The
body may come with Content-Length or chunked, at most 64 MiB (more: HTTP 413,
code 1, and the connection is closed). access_token and appsecret_proof may
travel in either; the token may also come as "Authorization: Bearer T" (or
"OAuth T") when there is none in the arguments.

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
                     derived for this user carry the same scopes (posting also
                     needs pages_read_engagement: list it)
      short_expired  bool, default false: the short token has expired
                     (190/463 when used or exchanged)
      granular_scopes  list of {"scope": S[, "target_ids": [PAGE_ID, ..]]},
                     optional: debug_token reports it as it is (by default each
                     pages_* scope lists the user's pages, or the page of a
                     page token); a scope listed with target_ids covers only
                     those pages when posting or reading a page's posts
      data_access_expires_at  int, optional: unix seconds; debug_token reports
                     it (default: 90 days from now), and from then on every
                     token of the user is refused with 190/493
      long_lived_expires_in  int >= 1, default 5183944: the lifetime in seconds
                     of the user's long-lived tokens, counted from their issue
                     and read at each use, so changing it also moves the expiry
                     of tokens already issued (exchange answers it as expires_in)
  system_users   list, default []; system users of a business, each with
      token          string, required: the system-user access token
      id             string of digits, required: its user_id (not a user's)
      scopes         list of strings, default ["pages_show_list",
                     "pages_manage_posts", "pages_read_engagement",
                     "business_management"]
      expires        "never" (default) or "60_days": counted from the start
      pages          list of page ids, default []: the pages assigned to it
      granular_scopes, data_access_expires_at  as for users (data access:
                     reported as 0, never expires, by default)
                 The token works as a user token for me/accounts and a page's
                 token (assigned pages only; page tokens from it never
                 expire); debug_token reports it with type SYSTEM_USER. Page
                 calls with its page tokens also need business_management
                 (else 200 "(#200) Requires business_management permission to
                 manage the object", HTTP 403). It cannot be exchanged (100).
  pages          list, default []; each an object with
      id        string of digits, required
      name      string, required
      category  string, default "Local Business"
      users     list of user_ids, optional: only they manage the page (by
                default every user manages every page; system users manage
                only the pages assigned to them)
      tasks     the user's tasks on the page (me/accounts "tasks"): a list for
                every user, or an object user_id -> list (users not named get
                the default); default ["ADVERTISE", "ANALYZE", "CREATE_CONTENT",
                "MESSAGING", "MODERATE", "MANAGE"]. Posting needs one of
                CREATE_CONTENT, MANAGE, MODERATE.
      instagram_business_account  {"id": digits, "username": S}, optional
  per_page       int >= 1, default 25: me/accounts page size without limit=
  invalidate     list, default []: tokens refused from now on, each
                 {"token": T} (that token) or {"user_id": U} (every token of
                 that user or system user, page tokens included), with
                 "subcode": one of 458, 459, 460, 463, 464, 467, 492, 493
                 (default 460, password changed): calls get that 190 error and
                 debug_token reports is_valid false with it. Remove the entry
                 to make the tokens valid again.
  duplicate_window_seconds  int >= 0, default 300: a feed post whose message
                 equals that of a post (not deleted) on the same page made in
                 the last N seconds is refused with 506; 0 turns this off
  latency_ms     int 0..10000, optional: overrides --latency-ms
  faults         object, default {}: endpoint name (exchange, accounts, page,
                 debug_token, feed, photos, feed_list, scheduled_posts, post,
                 edit, delete, batch) -> fault, "none" when absent. A fault is
                 FAULT[,OPTION]...; every fault takes the option times=N: it
                 applies to the next N requests of that endpoint only (counted
                 from the config change that set it), then the endpoint answers
                 normally. Faults:
      none        normal answer
      http500     HTTP 500, Graph error code 2, is_transient true
      html502     HTTP 502 with a small text/html page
      truncated   HTTP 200, the normal JSON body cut in half
      malformed   HTTP 200, '{"access_token": "EAA' and garbage, not JSON
      oversize    HTTP 200, valid JSON body of exactly 2 MiB (a "padding" field)
      slow        answer normally after 8 seconds (sooner on shutdown)
      reset       no answer: the TCP connection is reset (SO_LINGER 0)
      ratelimit   HTTP 403, code 4, is_transient true, X-App-Usage call_count 100
      blocked     HTTP 400, code 368 "(#368) The action attempted has been deemed
                  abusive or is otherwise disallowed", with error_user_title and
                  error_user_msg, is_transient false (temporarily blocked for
                  policy violations; error:368 is the bare code, with the
                  generic message "(#368) An error occurred")
      error:CODE[:SUBCODE]  that Graph error with a plausible message and type
                  (HTTP 403 for the rate-limit codes 4, 17, 32, 341, 613 and
                  the Business Use Case codes 80000-80014, which are transient;
                  32 also sends X-Page-Usage call_count 100, 80000-80014 send
                  X-Business-Use-Case-Usage at 100 with
                  estimated_time_to_regain_access). Options:
                    status=N         the HTTP status (100-599)
                    transient=true|false  is_transient
                    bare             the error object has the code (and
                                     error_subcode) only: no message, no type
                    minutes=N        estimated_time_to_regain_access (default 5)
                  e.g. "error:2,bare,status=500" is {"error":{"code":2}}, HTTP 500
      unicode_name  (accounts only) page names with \\u00e9, a surrogate pair,
                  terminal escape sequences, and every "/" sent as "\\/"
      numeric_ids   (debug_token only) app_id and profile_id as JSON numbers
      batch_partial (batch only) the items of the second half of the batch
                  are answered null, not run and not logged (as Graph does for
                  requests that did not complete)
                  A batch's items meet the faults of their own endpoints:
                  "reset" makes an item null; others shape its code and body.

Tokens: long-lived user tokens and page tokens are "EAA" + 120 letters and
digits. A page token is issued once per (page, user token it came from), and
again when an "invalidate" entry names that token (as Graph gives a new page
token once the old one is invalidated while the user token lives on); from
a long-lived or a system-user token it never expires, from a short-lived one
it expires an hour after issue. A token is refused with 190/467 when unknown,
190/463 when expired, 190/492 when its user no longer manages its page,
190/493 when its user's data access has expired, and as "invalidate" says.
debug_token's type is USER, PAGE, SYSTEM_USER or APP.

Posts (kept in memory per page, lost on exit): publishing needs a page token
of that very page whose user has pages_manage_posts and pages_read_engagement
(for that page, if granular_scopes lists target_ids) and one of the tasks
CREATE_CONTENT, MANAGE, MODERATE; else, and for a user token, 200 "(#200) If
posting to a page, requires both pages_read_engagement and pages_manage_posts
as an admin with sufficient administrative permission" with HTTP 403. Editing
and deleting need the same. Reading a page's feed, scheduled_posts or a post
needs a page token of that page (a user token: 210 "(#210) A page access token
is required to request this resource."; another page's token or no
pages_read_engagement: 10 "(#10) This endpoint requires the
'pages_read_engagement' permission or the 'Page Public Content Access'
feature."; a post of another page: 100/33).
  feed      answers {"id": "PAGEID_N"}. Needs message, link or attached_media
            (else 100 "(#100) Missing message or attachment"); link and url
            must be http(s) URLs (100 "(#100) link should represent a valid
            URL", "(#100) url should represent a valid URL"). published
            defaults to true (true/false/1/0, else 100). scheduled_publish_time
            (unix seconds or ISO 8601) needs published=false (else 100 "(#100)
            Cannot specify a scheduled publish time on a published post") and
            must be 10 minutes to 30 days ahead (else 100 "(#100) The specified
            scheduled publish time is invalid.", HTTP 400). published=false
            without it makes an unpublished post, in no list. attached_media
            is attached_media[N]={"media_fbid":"ID"} fields or one JSON array
            of such objects; each ID an unpublished, unattached photo of the
            page (else 100). Same message again: see duplicate_window_seconds
            (506 "(#506) Duplicate status message", with error_user_title and
            error_user_msg, HTTP 400).
  photos    the file comes as the multipart part "source" (an empty one: 324
            "(#324) Missing or invalid image file") or a URL as url (never
            fetched); neither: 324 "(#324) Requires upload file". Answers
            {"id": PHOTO_ID, "post_id": "PAGEID_N"} when published, {"id":
            PHOTO_ID} when not (scheduled photos become scheduled posts).
  feed_list published posts (and scheduled ones whose time has come), newest
            first, default fields created_time, message, id; also link,
            is_published, scheduled_publish_time, is_expired. limit= as for
            me/accounts (default 25, at most 100), cursors and paging likewise.
  scheduled_posts  posts not yet published that have a scheduled time,
            newest first, default fields id, message, scheduled_publish_time
            (unix seconds), is_expired (false); paged the same way.
  post      a post: default created_time (ISO 8601, +0000), message, id; a
            photo: id, created_time, name (its caption). Unknown or deleted:
            100/33 "Unsupported get request. ...".
  edit      {"success": true}; reschedules (same window) a scheduled post,
            publishes it with is_published=true, or changes its message.
  delete    {"success": true}; a photo's post goes with it.

Batch: POST / (or /v25.0/) with batch=JSON array of 1 to 50 objects
{"method": GET|POST|DELETE (default GET), "relative_url": "path?query",
"body": "form-encoded"}; more than 50 is 100 "(#100) Too many requests in
batch message. Maximum batch size is 50". A top-level access_token is required
(104), checked with its appsecret_proof, and is the default for items without
their own access_token (in relative_url or body, its proof beside it). The
answer is a JSON array in request order of {"code": N, "headers": [{"name",
"value"}], "body": "<JSON text>"} (headers left out with include_headers=false)
or null. Each item runs through the same endpoints, faults and rate-limit
counters as an HTTP request of its own. A batch inside a batch is 100.

Rate-limit headers: every answer (and each batch item) carries X-App-Usage
{"call_count":N,"total_cputime":N,"total_time":N} (percent, growing by one per
call up to 99). An answer to a call made with a page token also carries
X-Page-Usage (same fields, counted per page) and X-Business-Use-Case-Usage
{"PAGE_ID":[{"type":"pages","call_count":N,"total_cputime":N,"total_time":N,
"estimated_time_to_regain_access":0}]}.

Log: one JSON object per request, appended to LOG and flushed:
  {"conn": N, "seq": S, "method": "GET", "path": "/v25.0/me/accounts",
   "endpoint": "accounts", "query": {...}, "body": {...},
   "token_in": "query", "proof_in": "query", "user_agent": "...",
   "status": 200}
conn numbers the TCP connections, from 1; seq numbers the HTTP requests, from
1; endpoint is "unknown" for a path no endpoint serves; query is the URL query
only; body is the body's fields (a file part as {"filename": F, "size": N,
"sha256": HEX, "content_type": T}; {} without a body); token_in and proof_in
say where access_token and appsecret_proof were found: "query", "body",
"both", "header" (Authorization, token only) or "none"; an "authorization" key
gives the token of an Authorization header, when there was one; status is 0 for the
reset fault; a "latency_ms" key gives the delay applied, when there was one; a
"fault" key names the fault applied, when one was. The line is written before
the answer is sent. Each item of a batch is logged as a line of its own, before
the batch's line, with "batch": S (the seq of the HTTP request carrying it) and
"item": I (its index, from 0) instead of "seq", path and query from its
relative_url, body from its body, and token_in / proof_in "batch" when it used
the batch's token / proof: lines with "seq" count the HTTP requests, lines with
"batch" the items. Items answered null by batch_partial have no line.
"""

import argparse
import base64
import email.parser
import email.utils
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
from datetime import datetime, timezone
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

LONG_LIVED_SECONDS = 5183944
SHORT_LIVED_SECONDS = 7200
PAGE_FROM_SHORT_SECONDS = 3600
DATA_ACCESS_SECONDS = 90 * 86400
SYSTEM_60_DAYS_SECONDS = 60 * 86400
SLOW_SECONDS = 8
OVERSIZE_BYTES = 2 * 1024 * 1024
IDLE_TIMEOUT = 30
HANDSHAKE_TIMEOUT = 10
MAX_LIMIT = 100
FEED_PAGE_SIZE = 25
MAX_BODY_BYTES = 64 * 1024 * 1024
MAX_FORM_FIELDS = 1000
MAX_PARTS = 100
MAX_CHUNKS = 1 << 20
MAX_LINE = 8192
MAX_FIELD_DEPTH = 3
MAX_BATCH = 50
MAX_LATENCY_MS = 10000
MAX_POSTS_PER_PAGE = 10000
SCHEDULE_MIN_SECONDS = 600
SCHEDULE_MAX_SECONDS = 30 * 86400
DUPLICATE_WINDOW_SECONDS = 300
BUC_MINUTES = 5

ALNUM = string.ascii_letters + string.digits
JSON_TYPE = "application/json; charset=UTF-8"
HTML_TYPE = "text/html; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
TASKS = ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"]
POSTING_TASKS = frozenset({"CREATE_CONTENT", "MANAGE", "MODERATE"})
DEFAULT_SCOPES = ["pages_show_list", "pages_manage_posts"]
SYSTEM_SCOPES = ["pages_show_list", "pages_manage_posts", "pages_read_engagement",
                 "business_management"]
PROOF_VECTOR = ("abc123", "xyz789",
                "4dad02ff1693df832f9c183fe400fc4f601360be06514acb4a73edb783eec345")

ENDPOINTS = ("exchange", "accounts", "page", "debug_token", "feed", "photos",
             "feed_list", "scheduled_posts", "post", "edit", "delete", "batch")
PLAIN_FAULTS = ("none", "http500", "html502", "truncated", "malformed",
                "oversize", "slow", "reset", "ratelimit", "blocked")
ENDPOINT_FAULTS = {"unicode_name": "accounts", "numeric_ids": "debug_token",
                   "batch_partial": "batch"}
ERROR_FAULT = re.compile(r"error:(\d+)(?::(\d+))?")

BUC_CODES = frozenset(range(80000, 80015))
RATE_LIMIT_CODES = frozenset({4, 17, 32, 341, 613}) | BUC_CODES
TRANSIENT_CODES = frozenset({1, 2}) | RATE_LIMIT_CODES
TOKEN_SUBCODES = (458, 459, 460, 463, 464, 467, 492, 493)
BUC_TYPES = {80000: "ads_insights", 80001: "pages", 80002: "instagram",
             80003: "custom_audience", 80004: "ads_management", 80005: "leadgen",
             80006: "messenger", 80008: "whatsapp_business_management",
             80009: "catalog_management", 80014: "catalog_batch"}
BUC_SUBJECTS = {80000: "from this ad-account", 80001: "to this Page account",
                80002: "to this Instagram account", 80003: "to this custom audience",
                80004: "to this ad-account", 80005: "for this lead gen form",
                80006: "to this Messenger account"}

MSG_BAD_TOKEN = "Invalid OAuth access token - Cannot parse access token"
MSG_NO_ROLE = "User must have a role on the page"
MSG_UNEXPECTED = "An unexpected error has occurred. Please retry your request later."
MSG_POSTING_DENIED = ("(#200) If posting to a page, requires both pages_read_engagement "
                      "and pages_manage_posts as an admin with sufficient "
                      "administrative permission")
MSG_BUSINESS_MANAGEMENT = "(#200) Requires business_management permission to manage the object"
MSG_PAGE_TOKEN_REQUIRED = "(#210) A page access token is required to request this resource."
MSG_READ_ENGAGEMENT = ("(#10) This endpoint requires the 'pages_read_engagement' "
                       "permission or the 'Page Public Content Access' feature.")
MSG_SCHEDULE = "(#100) The specified scheduled publish time is invalid."
MSG_SCHEDULE_PUBLISHED = "(#100) Cannot specify a scheduled publish time on a published post"
MSG_MISSING_CONTENT = "(#100) Missing message or attachment"
MSG_DUPLICATE = "(#506) Duplicate status message"
MSG_BLOCKED = ("(#368) The action attempted has been deemed abusive or is otherwise "
               "disallowed")
MSG_REQUIRES_FILE = "(#324) Requires upload file"
MSG_BAD_IMAGE = "(#324) Missing or invalid image file"
MSG_BATCH_SIZE = "(#100) Too many requests in batch message. Maximum batch size is 50"
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
    341: "(#341) Application limit reached",
    506: MSG_DUPLICATE,
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
                 transient=None, status=None, user_title=None, user_msg=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.type = type_
        self.subcode = subcode
        self.transient = code in TRANSIENT_CODES if transient is None else transient
        self.status = status or (403 if code in RATE_LIMIT_CODES else 400)
        self.user_title = user_title
        self.user_msg = user_msg
        self.bare = False

    def body(self):
        if self.bare:
            error = {"code": self.code}
            if self.subcode is not None:
                error["error_subcode"] = self.subcode
            return {"error": error}
        error = {"message": self.message, "type": self.type, "code": self.code}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        if self.user_title is not None:
            error["error_user_title"] = self.user_title
            error["error_user_msg"] = self.user_msg
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


def iso_time(unix):
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(unix))


def expired_error(expires_at, now):
    return GraphError(190, f"Error validating access token: Session has expired on "
                           f"{http_time(expires_at)}. The current time is "
                           f"{http_time(now)}.", subcode=463)


def bad_token_error():
    return GraphError(190, MSG_BAD_TOKEN, subcode=467)


def token_error(subcode):
    """The 190 error of a token refused with subcode."""
    if subcode == 463:
        now = int(time.time())
        return expired_error(now - 3600, now)
    return GraphError(190, TOKEN_MESSAGES.get(subcode, TOKEN_MESSAGES[None]),
                      subcode=subcode)


def missing_param_error(name):
    return GraphError(100, f"(#100) The parameter {name} is required")


def unknown_object_error(object_id, verb="get"):
    return GraphError(100, f"Unsupported {verb} request. Object with ID '{object_id}' "
                           "does not exist, cannot be loaded due to missing "
                           "permissions, or does not support this operation.",
                      "GraphMethodException", subcode=33)


def posting_denied_error():
    return GraphError(200, MSG_POSTING_DENIED, status=403)


def duplicate_error():
    return GraphError(506, MSG_DUPLICATE, transient=False,
                      user_title="Duplicate Status Update",
                      user_msg="This status update is identical to the last one you "
                               "posted. Try posting something different, or delete "
                               "your previous update.")


def blocked_error():
    return GraphError(368, MSG_BLOCKED, transient=False,
                      user_title="You're Temporarily Blocked",
                      user_msg="It looks like you were misusing this feature by going "
                               "too fast. You've been temporarily blocked from using it.")


def buc_message(code):
    subject = BUC_SUBJECTS.get(code, "for this business use case")
    return (f"(#{code}) There have been too many calls {subject}. Wait a bit and try "
            "again. For more info, please refer to "
            "https://developers.facebook.com/docs/graph-api/overview/rate-limiting.")


def graph_error(code, subcode=None, transient=None, status=None, bare=False):
    """A plausible error for the error:CODE[:SUBCODE] fault."""
    if code == 190:
        error = token_error(subcode)
    elif code == 0 and subcode in TOKEN_MESSAGES:
        error = GraphError(0, TOKEN_MESSAGES[subcode], subcode=subcode)
    elif code == 100 and subcode == 33:
        error = unknown_object_error("0")
    elif code == 100:
        error = GraphError(100, CODE_MESSAGES[100], "GraphMethodException", subcode)
    elif code in BUC_CODES:
        error = GraphError(code, buc_message(code), subcode=subcode)
    elif 200 <= code <= 299:
        error = GraphError(code, f"(#{code}) Requires pages_manage_posts permission",
                           subcode=subcode)
    else:
        error = GraphError(code, CODE_MESSAGES.get(code, f"(#{code}) An error occurred"),
                           subcode=subcode)
    if transient is not None:
        error.transient = transient
    if status is not None:
        error.status = status
    error.bare = bare
    return error


# --- faults -----------------------------------------------------------------

@dataclass(frozen=True)
class Fault:
    text: str                # as the config gives it, for the log
    kind: str                # a plain or endpoint fault name, or "error"
    code: int = None
    subcode: int = None
    status: int = None
    transient: bool = None
    bare: bool = False
    minutes: int = None
    times: int = None        # None: every request


NO_FAULT = Fault("none", "none")


def parse_fault(endpoint, text):
    """The Fault that text names for endpoint; ConfigError if it names none."""
    problem = ConfigError(f"faults: {text!r} is not a fault of {endpoint}")
    head, *options = text.split(",")
    match = ERROR_FAULT.fullmatch(head)
    if match:
        values = {"kind": "error", "code": int(match.group(1)),
                  "subcode": match.group(2) and int(match.group(2))}
    elif head in PLAIN_FAULTS or ENDPOINT_FAULTS.get(head) == endpoint:
        values = {"kind": head}
    else:
        raise problem
    for option in options:
        key, equals, value = option.partition("=")
        if key in values or (key == "bare" and equals):
            raise problem
        if not (value.isascii() and value.isdigit()) and key in ("times", "status", "minutes"):
            raise problem
        if key == "times" and value.isdigit() and int(value) >= 1:
            values["times"] = int(value)
        elif match is None:
            raise problem
        elif key == "status" and value.isdigit() and 100 <= int(value) <= 599:
            values["status"] = int(value)
        elif key == "minutes" and value.isdigit():
            values["minutes"] = int(value)
        elif key == "transient" and value in ("true", "false"):
            values["transient"] = value == "true"
        elif option == "bare":
            values["bare"] = True
        else:
            raise problem
    return Fault(text, **values)


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


def granular_list(raw, where):
    """users[].granular_scopes: None (derived) or a checked copy."""
    values = field(raw, "granular_scopes", list, where, None)
    if values is None:
        return None
    result = []
    for i, entry in enumerate(values):
        here = f"{where}.granular_scopes[{i}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{here}: must be an object")
        item = {"scope": field(entry, "scope", str, here)}
        targets = string_list(entry, "target_ids", here, None)
        if targets is not None:
            item["target_ids"] = targets
        result.append(item)
    return result


def positive(raw, key, where, default):
    value = field(raw, key, int, where, default)
    if value is not None and value < 1:
        raise ConfigError(f"{where}: {key!r} must be at least 1")
    return value


def normalize_user(raw, index):
    where = f"users[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be an object")
    return {"short_token": field(raw, "short_token", str, where),
            "user_id": field(raw, "user_id", str, where),
            "scopes": string_list(raw, "scopes", where, DEFAULT_SCOPES),
            "short_expired": field(raw, "short_expired", bool, where, False),
            "granular_scopes": granular_list(raw, where),
            "data_access_expires_at": field(raw, "data_access_expires_at", int, where,
                                            None),
            "long_lived_expires_in": positive(raw, "long_lived_expires_in", where,
                                              LONG_LIVED_SECONDS),
            "system": False}


def normalize_system_user(raw, index):
    where = f"system_users[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be an object")
    expires = field(raw, "expires", str, where, "never")
    if expires not in ("never", "60_days"):
        raise ConfigError(f"{where}: 'expires' must be \"never\" or \"60_days\"")
    return {"token": field(raw, "token", str, where),
            "user_id": digits(field(raw, "id", str, where), where, "id"),
            "scopes": string_list(raw, "scopes", where, SYSTEM_SCOPES),
            "expires": expires,
            "pages": string_list(raw, "pages", where, []),
            "granular_scopes": granular_list(raw, where),
            "data_access_expires_at": field(raw, "data_access_expires_at", int, where,
                                            None),
            "long_lived_expires_in": LONG_LIVED_SECONDS,
            "system": True}


def normalize_tasks(raw, where):
    tasks = raw.get("tasks")
    if tasks is None:
        return None
    if isinstance(tasks, list):
        return string_list(raw, "tasks", where)
    if not isinstance(tasks, dict):
        raise ConfigError(f"{where}: 'tasks' must be a list or an object")
    return {str(user): string_list(tasks, user, f"{where}.tasks") for user in tasks}


def normalize_instagram(raw, where):
    account = field(raw, "instagram_business_account", dict, where, None)
    if account is None:
        return None
    here = f"{where}.instagram_business_account"
    return {"id": digits(field(account, "id", str, here), here, "id"),
            "username": field(account, "username", str, here)}


def normalize_page(raw, index):
    where = f"pages[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be an object")
    return {"id": digits(field(raw, "id", str, where), where, "id"),
            "name": field(raw, "name", str, where),
            "category": field(raw, "category", str, where, "Local Business"),
            "users": string_list(raw, "users", where, None),
            "tasks": normalize_tasks(raw, where),
            "instagram_business_account": normalize_instagram(raw, where)}


def normalize_invalidation(raw, index):
    where = f"invalidate[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be an object")
    if ("token" in raw) == ("user_id" in raw):
        raise ConfigError(f"{where}: give either 'token' or 'user_id'")
    subcode = field(raw, "subcode", int, where, 460)
    if subcode not in TOKEN_SUBCODES:
        raise ConfigError(f"{where}: 'subcode' must be one of {TOKEN_SUBCODES}")
    return {"token": field(raw, "token", str, where, None),
            "user_id": field(raw, "user_id", str, where, None),
            "subcode": subcode}


def normalize_faults(raw):
    faults = {}
    for endpoint, fault in raw.items():
        if endpoint not in ENDPOINTS:
            raise ConfigError(f"faults: unknown endpoint {endpoint!r}")
        if not isinstance(fault, str):
            raise ConfigError(f"faults: {fault!r} is not a fault of {endpoint}")
        faults[endpoint] = parse_fault(endpoint, fault)
    return faults


def bounded(raw, key, where, low, high, default):
    value = field(raw, key, int, where, default)
    if value is not None and not low <= value <= high:
        raise ConfigError(f"{where}: {key!r} must be from {low} to {high}")
    return value


def principals(users, system_users, page_ids):
    """user_id -> user or system user, checked for clashes."""
    result, tokens = {}, set()
    for principal in users + system_users:
        uid = principal["user_id"]
        token = principal.get("token") or principal["short_token"]
        if uid in result and (principal["system"] or result[uid]["system"]):
            raise ConfigError(f"config: user id {uid} is both a user and a system user")
        if token in tokens:
            raise ConfigError("config: two users have the same token")
        tokens.add(token)
        result.setdefault(uid, principal)
        for page_id in principal.get("pages", ()):
            if page_id not in page_ids:
                raise ConfigError(f"config: system user {uid} is assigned an unknown "
                                  f"page {page_id}")
    return result


def normalize_config(raw):
    if not isinstance(raw, dict):
        raise ConfigError("the top level must be an object")
    where = "config"
    per_page = field(raw, "per_page", int, where, 25)
    if per_page < 1:
        raise ConfigError("config: 'per_page' must be at least 1")
    users = [normalize_user(u, i)
             for i, u in enumerate(field(raw, "users", list, where, []))]
    system_users = [normalize_system_user(u, i)
                    for i, u in enumerate(field(raw, "system_users", list, where, []))]
    pages = [normalize_page(p, i) for i, p in enumerate(field(raw, "pages", list, where, []))]
    invalidate = [normalize_invalidation(r, i)
                  for i, r in enumerate(field(raw, "invalidate", list, where, []))]
    return {"app_id": digits(field(raw, "app_id", str, where), where, "app_id"),
            "app_secret": field(raw, "app_secret", str, where),
            "app_name": field(raw, "app_name", str, where, "fbvault test app"),
            "require_proof": field(raw, "require_proof", bool, where, False),
            "users": users,
            "system_users": system_users,
            "principals": principals(users, system_users, {p["id"] for p in pages}),
            "pages": pages,
            "per_page": per_page,
            "invalidate": invalidate,
            "duplicate_window_seconds": bounded(raw, "duplicate_window_seconds", where,
                                                0, 10 ** 9, DUPLICATE_WINDOW_SECONDS),
            "latency_ms": bounded(raw, "latency_ms", where, 0, MAX_LATENCY_MS, None),
            "faults": normalize_faults(field(raw, "faults", dict, where, {})),
            "generation": 0}


class ConfigFile:
    """The config file, re-read whenever it changes."""

    def __init__(self, path):
        self._path = path
        self._lock = threading.Lock()
        self._stamp = None
        self._config = None
        self._error = None
        self._generation = 0

    def current(self):
        with self._lock:
            try:
                st = os.stat(self._path)
                stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
                if stamp != self._stamp:
                    self._stamp = stamp
                    self._config, self._error = self._load(), None
                    self._generation += 1
                    self._config["generation"] = self._generation
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


def find_principal(cfg, user_id):
    """The user or system user user_id, None if neither."""
    return cfg["principals"].get(user_id)


def find_page(cfg, page_id):
    return next((p for p in cfg["pages"] if p["id"] == page_id), None)


def manages(cfg, page, user_id):
    principal = find_principal(cfg, user_id)
    if principal is not None and principal["system"]:
        return page["id"] in principal["pages"]
    return page["users"] is None or user_id in page["users"]


def managed_pages(cfg, user_id):
    return [p for p in cfg["pages"] if manages(cfg, p, user_id)]


def page_tasks(page, user_id):
    tasks = page["tasks"]
    if tasks is None:
        return list(TASKS)
    if isinstance(tasks, list):
        return list(tasks)
    return list(tasks.get(user_id, TASKS))


def has_scope(principal, scope, page_id):
    """Whether principal's grant of scope covers page_id."""
    if principal is None or scope not in principal["scopes"]:
        return False
    for grant in principal["granular_scopes"] or ():
        if grant["scope"] == scope and "target_ids" in grant:
            return page_id in grant["target_ids"]
    return True


def app_token(cfg):
    return f"{cfg['app_id']}|{cfg['app_secret']}"


def appsecret_proof(secret, token):
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()


# --- tokens -----------------------------------------------------------------

@dataclass(frozen=True)
class Token:
    value: str
    kind: str            # "short", "long", "page" or "system"
    user_id: str         # a user's or a system user's
    issued_at: int
    expires_at: int      # 0: never (for "long", see token_expiry)
    page_id: str = None


class TokenStore:
    """Every token the server issued; short and system tokens come from the config."""

    def __init__(self, started):
        self._started = int(started)
        self._lock = threading.Lock()
        self._tokens = {}
        self._page_tokens = {}

    def issue_long(self, user_id, lifetime):
        now = int(time.time())
        token = Token(new_token(), "long", user_id, now, now + lifetime)
        with self._lock:
            self._tokens[token.value] = token
        return token

    def page_token(self, page_id, parent, cfg):
        with self._lock:
            token = self._page_tokens.get((page_id, parent.value))
            if token is None or token_invalidated(token, cfg):
                now = int(time.time())
                expires = now + PAGE_FROM_SHORT_SECONDS if parent.kind == "short" else 0
                token = Token(new_token(), "page", parent.user_id, now, expires, page_id)
                self._page_tokens[(page_id, parent.value)] = token
                self._tokens[token.value] = token
            return token

    def find(self, value, cfg):
        user = next((u for u in cfg["users"] if u["short_token"] == value), None)
        if user is not None:
            return self._short(user)
        system = next((s for s in cfg["system_users"] if s["token"] == value), None)
        if system is not None:
            return self._system(system)
        with self._lock:
            return self._tokens.get(value)

    def _short(self, user):
        if user["short_expired"]:
            issued = self._started - SHORT_LIVED_SECONDS - 3600
        else:
            issued = self._started - 600
        return Token(user["short_token"], "short", user["user_id"], issued,
                     issued + SHORT_LIVED_SECONDS)

    def _system(self, system):
        issued = self._started
        expires = issued + SYSTEM_60_DAYS_SECONDS if system["expires"] == "60_days" else 0
        return Token(system["token"], "system", system["user_id"], issued, expires)


def token_expiry(token, cfg):
    """When token expires now (0: never): long tokens follow their user's config."""
    if token.kind != "long":
        return token.expires_at
    principal = find_principal(cfg, token.user_id)
    lifetime = principal["long_lived_expires_in"] if principal else LONG_LIVED_SECONDS
    return token.issued_at + lifetime


def token_invalidated(token, cfg):
    """Whether an "invalidate" entry names this very token (not its user)."""
    return any(rule["token"] == token.value for rule in cfg["invalidate"])


def invalidation(token, cfg):
    """The subcode an "invalidate" entry refuses token with, or None."""
    for rule in cfg["invalidate"]:
        if rule["token"] == token.value or rule["user_id"] == token.user_id:
            return rule["subcode"]
    return None


def token_problem(token, cfg, now):
    """The GraphError a use of token meets now, or None if it is valid."""
    principal = find_principal(cfg, token.user_id)
    if principal is None:
        return bad_token_error()
    subcode = invalidation(token, cfg)
    if subcode is not None:
        return token_error(subcode)
    expires_at = token_expiry(token, cfg)
    if expires_at and now >= expires_at:
        return expired_error(expires_at, now)
    data_access = principal["data_access_expires_at"]
    if data_access and now >= data_access:
        return token_error(493)
    if token.kind == "page":
        page = find_page(cfg, token.page_id)
        if page is None:
            return bad_token_error()
        if not manages(cfg, page, token.user_id):
            return GraphError(190, MSG_NO_ROLE, subcode=492)
    return None


# --- posts ------------------------------------------------------------------

@dataclass
class Post:
    id: str              # PAGEID_N
    page_id: str
    seq: int             # creation order
    created_time: int
    message: str = None
    link: str = None
    published: bool = True
    scheduled_at: int = None
    photo_id: str = None  # the photo of a photo post
    media: tuple = ()    # attached_media photo ids
    deleted: bool = False

    def publish_time(self):
        return self.scheduled_at or self.created_time

    def live(self, now):
        return self.published or (self.scheduled_at is not None and now >= self.scheduled_at)

    def scheduled(self, now):
        return not self.live(now) and self.scheduled_at is not None


@dataclass
class Photo:
    id: str
    page_id: str
    created_time: int
    published: bool
    caption: str = None
    url: str = None
    source: dict = None  # {"filename", "size", "sha256", "content_type"}
    post_id: str = None  # its own post, or the post it is attached to
    deleted: bool = False


class PostStore:
    """Every post and photo, per page; a lock makes each change atomic."""

    def __init__(self):
        self._lock = threading.Lock()
        self._posts = {}
        self._photos = {}
        self._counts = {}
        self._seq = 0
        self._base = 10 ** 15 + secrets.randbelow(8 * 10 ** 15)

    def _new_id(self, page_id):
        count = self._counts.get(page_id, 0)
        if count >= MAX_POSTS_PER_PAGE:
            raise GraphError(1, f"fake_graph: more than {MAX_POSTS_PER_PAGE} posts on "
                                "one page", transient=False)
        self._counts[page_id] = count + 1
        self._seq += 1
        return self._seq, str(self._base + self._seq)

    def _attachable(self, page_id, media_id):
        photo = self._photos.get(media_id)
        if (photo is None or photo.deleted or photo.page_id != page_id
                or photo.published or photo.post_id is not None):
            raise GraphError(100, f"(#100) attached_media: {media_id} is not an "
                                  "unpublished photo of this page not yet attached",
                             "GraphMethodException")
        return photo

    def _duplicate(self, page_id, message, since):
        return any(p.page_id == page_id and p.message == message and p.photo_id is None
                   and not p.deleted and p.created_time >= since
                   for p in self._posts.values())

    def add_post(self, page_id, message, link, published, scheduled_at, media_ids,
                 window, now):
        with self._lock:
            photos = [self._attachable(page_id, m) for m in media_ids]
            if message and window and self._duplicate(page_id, message, now - window):
                raise duplicate_error()
            seq, number = self._new_id(page_id)
            post = Post(f"{page_id}_{number}", page_id, seq, now, message, link,
                        published, scheduled_at, media=tuple(media_ids))
            for photo in photos:
                photo.post_id = post.id
            self._posts[post.id] = post
            return post

    def add_photo(self, page_id, caption, url, source, published, scheduled_at, now):
        """(photo, its post or None)."""
        with self._lock:
            seq, number = self._new_id(page_id)
            photo = Photo(number, page_id, now, published, caption, url, source)
            post = None
            if published or scheduled_at is not None:
                seq, number = self._new_id(page_id)
                post = Post(f"{page_id}_{number}", page_id, seq, now, caption, None,
                            published, scheduled_at, photo.id)
                photo.post_id = post.id
                self._posts[post.id] = post
            self._photos[photo.id] = photo
            return photo, post

    def knows_photo(self, photo_id):
        with self._lock:
            return photo_id in self._photos

    def find(self, object_id):
        """The Post or Photo object_id, None if unknown or deleted."""
        with self._lock:
            found = self._posts.get(object_id) or self._photos.get(object_id)
            return None if found is None or found.deleted else found

    def delete(self, found):
        with self._lock:
            found.deleted = True
            if isinstance(found, Photo) and found.post_id in self._posts:
                post = self._posts[found.post_id]
                if post.photo_id == found.id:
                    post.deleted = True
            elif isinstance(found, Post) and found.photo_id in self._photos:
                self._photos[found.photo_id].deleted = True

    def edit(self, post, message, scheduled_at, publish):
        with self._lock:
            if message is not None:
                post.message = message
            if scheduled_at is not None:
                post.scheduled_at = scheduled_at
            if publish:
                post.published = True
                post.scheduled_at = None

    def page_posts(self, page_id, now, scheduled):
        """The page's posts in its feed (or scheduled), newest first."""
        with self._lock:
            posts = [p for p in self._posts.values() if p.page_id == page_id
                     and not p.deleted
                     and (p.scheduled(now) if scheduled else p.live(now))]
        key = (lambda p: p.seq) if scheduled else (lambda p: (p.publish_time(), p.seq))
        return sorted(posts, key=key, reverse=True)


# --- endpoints ----------------------------------------------------------------

ABSENT = object()   # a known field the object does not have: left out


@dataclass
class Request:
    cfg: dict
    params: dict         # query and body arguments (the body's win)
    version: str         # "v25.0", or "" when the path had no prefix
    host: str            # for absolute paging URLs
    tokens: TokenStore
    args: tuple          # groups of the route's pattern
    fault: str           # the kind of fault applied, "none" if none
    stopping: threading.Event
    method: str = "GET"
    uploads: dict = None     # multipart file parts: name -> Upload
    posts: PostStore = None
    app: object = None       # the GraphApp, for batch
    token_value: str = None  # access_token, wherever it came from
    proof_value: str = None  # appsecret_proof likewise
    inner: bool = False      # an item of a batch
    log_item: object = None  # batch: log_item(index, call, outcome)
    token: Token = None      # set by authenticate (a user or page token)


def require_param(req, name):
    value = req.params.get(name)
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
    proof = req.proof_value
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
    value = req.token_value
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
    req.token = token
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
    if token.kind == "system":
        raise GraphError(100, "(#100) fb_exchange_token cannot be a system user "
                              "access token", "GraphMethodException")
    lifetime = find_principal(req.cfg, token.user_id)["long_lived_expires_in"]
    long_lived = req.tokens.issue_long(token.user_id, lifetime)
    return {"access_token": long_lived.value, "token_type": "bearer",
            "expires_in": lifetime}


def encode_cursor(object_id):
    return base64.b64encode(object_id.encode()).decode()


def cursor_index(ids, cursor):
    try:
        return ids.index(base64.b64decode(cursor, validate=True).decode())
    except ValueError:
        raise GraphError(100, "(#100) Invalid cursor", "GraphMethodException") from None


def page_limit(req, default):
    value = req.params.get("limit")
    if value is None:
        return default
    if not value.isdigit() or int(value) < 1:
        raise GraphError(100, "(#100) Param limit must be a positive number",
                         "GraphMethodException")
    return min(int(value), MAX_LIMIT)


def page_window(req, ids, limit):
    """[start, end) of the ids an edge answers with."""
    if "after" in req.params:
        start = cursor_index(ids, req.params["after"]) + 1
        return start, min(start + limit, len(ids))
    if "before" in req.params:
        end = cursor_index(ids, req.params["before"])
        return max(0, end - limit), end
    return 0, min(limit, len(ids))


def edge_url(req, edge, token, limit, direction, cursor):
    prefix = f"/{req.version}" if req.version else ""
    args = {"access_token": token.value, "fields": req.params.get("fields"),
            "limit": limit, direction: cursor}
    query = urlencode({k: v for k, v in args.items() if v is not None})
    return f"https://{req.host}{prefix}/{edge}?{query}"


def paging(req, edge, token, ids, start, end, limit):
    before, after = encode_cursor(ids[start]), encode_cursor(ids[end - 1])
    result = {"cursors": {"before": before, "after": after}}
    if start > 0:
        result["previous"] = edge_url(req, edge, token, limit, "before", before)
    if end < len(ids):
        result["next"] = edge_url(req, edge, token, limit, "after", after)
    return result


def edge_answer(req, edge, token, ids, entries, default_limit):
    """{"data": [...], "paging": ...} for one window of an edge of ids."""
    limit = page_limit(req, default_limit)
    start, end = page_window(req, ids, limit)
    result = {"data": [entries(i) for i in range(start, end)]}
    if start < end:
        result["paging"] = paging(req, edge, token, ids, start, end, limit)
    return result


def category_id(category):
    return str(1000 + int(hashlib.sha256(category.encode()).hexdigest()[:8], 16) % 9000)


def syntax_error(text, pos, expected):
    found = f'"{text[pos]}"' if pos < len(text) else "end of string"
    return GraphError(2500, f'Syntax error "Expected {expected} instead of {found}." at '
                            f"character {pos}: {text}")


def parse_field_list(text, pos, depth):
    """([(name, subfields or None)], position after them) from text[pos:]."""
    specs = []
    for _ in range(len(text) + 1):
        start = pos
        while pos < len(text) and text[pos] not in ",{}":
            pos += 1
        name, sub = text[start:pos].strip(), None
        if pos < len(text) and text[pos] == "{":
            if depth + 1 >= MAX_FIELD_DEPTH:
                raise syntax_error(text, pos, "a field name")
            sub, pos = parse_field_list(text, pos + 1, depth + 1)
            if pos >= len(text) or text[pos] != "}":
                raise syntax_error(text, pos, '"}"')
            pos += 1
            while pos < len(text) and text[pos] == " ":
                pos += 1
        specs.append((name, sub))
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        break
    return specs, pos


def parse_fields(text):
    """fields= as [(name, subfields)], each subfields a list the same way or None."""
    specs, pos = parse_field_list(text, 0, 0)
    if pos != len(text):
        raise syntax_error(text, pos, "end of string")
    return specs


def requested_fields(req, default=None):
    """The specs of fields=, or of default; None: all."""
    fields = req.params.get("fields", default)
    return None if fields is None else parse_fields(fields)


def nonexisting_field(name, node):
    return GraphError(100, f"(#100) Tried accessing nonexisting field ({name}) "
                           f"on node type ({node})", "GraphMethodException")


def select_object(name, value, sub, node):
    """A field that is an object, cut down to its subfields (id by default)."""
    if not isinstance(value, dict):
        raise GraphError(100, f"(#100) Field {name} of node type ({node}) has no "
                              "subfields", "GraphMethodException")
    names = ["id"] if sub is None else [n for n, _ in sub]
    for n in names:
        if n not in value:
            raise nonexisting_field(n, "IGUser")
    return {**{n: value[n] for n in names}, "id": value["id"]}


def select_fields(entry, specs, node="Page"):
    """entry cut down to specs, plus the id Graph always sends."""
    if specs is None:
        return {k: v for k, v in entry.items() if v is not ABSENT}
    result = {}
    for name, sub in specs:
        if name not in entry:
            raise nonexisting_field(name, node)
        value = entry[name]
        if value is ABSENT:
            continue
        if sub is not None or isinstance(value, dict):
            value = select_object(name, value, sub, node)
        result[name] = value
    return {**result, "id": entry["id"]}


def instagram(page):
    return page["instagram_business_account"] or ABSENT


ACCOUNT_FIELDS = "access_token,category,category_list,name,id,tasks"


def account_entry(req, page, parent):
    name = page["name"] + (UNICODE_SUFFIX if req.fault == "unicode_name" else "")
    entry = {"access_token": req.tokens.page_token(page["id"], parent, req.cfg).value,
             "category": page["category"],
             "category_list": [{"id": category_id(page["category"]),
                                "name": page["category"]}],
             "name": name, "id": page["id"], "tasks": page_tasks(page, parent.user_id),
             "instagram_business_account": instagram(page)}
    return select_fields(entry, requested_fields(req, ACCOUNT_FIELDS))


def accounts(req):
    token = authenticate(req)
    if token.kind == "page":
        raise GraphError(100, "(#100) Tried accessing nonexisting field (accounts) "
                              "on node type (Page)", "GraphMethodException")
    pages = managed_pages(req.cfg, token.user_id)
    requested_fields(req)  # a syntax error is an error even without pages
    return edge_answer(req, "me/accounts", token, [p["id"] for p in pages],
                       lambda i: account_entry(req, pages[i], token), req.cfg["per_page"])


def page_access_token(req, page, token):
    if token.kind == "page":
        if token.page_id != page["id"]:
            raise unknown_object_error(page["id"])
        return token.value
    if not manages(req.cfg, page, token.user_id):
        raise GraphError(190, MSG_NO_ROLE, subcode=492)
    return req.tokens.page_token(page["id"], token, req.cfg).value


def page(req):
    token = authenticate(req)
    page_obj = find_page(req.cfg, req.args[0])
    if page_obj is None:
        raise unknown_object_error(req.args[0])
    specs = requested_fields(req, "name")
    entry = {"name": page_obj["name"], "category": page_obj["category"],
             "id": page_obj["id"], "access_token": ABSENT,
             "instagram_business_account": instagram(page_obj)}
    if any(name == "access_token" for name, _ in specs):
        entry["access_token"] = page_access_token(req, page_obj, token)
    return select_fields(entry, specs)


def id_value(req, value):
    return int(value) if req.fault == "numeric_ids" else value


def granular_scopes(scopes, target_ids):
    return [{"scope": s, "target_ids": target_ids} if s.startswith("pages_")
            else {"scope": s} for s in scopes]


TOKEN_TYPES = {"page": "PAGE", "system": "SYSTEM_USER"}


def data_access_expiry(principal):
    if principal and principal["data_access_expires_at"] is not None:
        return principal["data_access_expires_at"]
    if principal and principal["system"]:
        return 0
    return int(time.time()) + DATA_ACCESS_SECONDS


def token_info(req, token):
    cfg = req.cfg
    principal = find_principal(cfg, token.user_id)
    scopes = list(principal["scopes"]) if principal else []
    if token.kind == "page":
        targets = [token.page_id]
    else:
        targets = [p["id"] for p in managed_pages(cfg, token.user_id)]
    granular = principal and principal["granular_scopes"]
    info = {"app_id": id_value(req, cfg["app_id"]),
            "type": TOKEN_TYPES.get(token.kind, "USER"),
            "application": cfg["app_name"],
            "data_access_expires_at": data_access_expiry(principal),
            "expires_at": token_expiry(token, cfg), "is_valid": True,
            "issued_at": token.issued_at}
    if token.kind == "page":
        info["profile_id"] = id_value(req, token.page_id)
    info.update(scopes=scopes,
                granular_scopes=granular if granular is not None
                else granular_scopes(scopes, targets),
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


# --- posting ------------------------------------------------------------------

def page_of(req, page_id, object_id=None):
    page_obj = find_page(req.cfg, page_id)
    if page_obj is None:
        raise unknown_object_error(object_id or page_id, req.method.lower())
    return page_obj


def require_business(principal):
    if principal["system"] and "business_management" not in principal["scopes"]:
        raise GraphError(200, MSG_BUSINESS_MANAGEMENT, status=403)


def publisher(req, page_id, object_id=None):
    """The page token allowed to publish to (or change object_id of) page_id."""
    token = authenticate(req)
    page_obj = page_of(req, page_id, object_id)
    if object_id and token.kind == "page" and token.page_id != page_id:
        raise unknown_object_error(object_id, req.method.lower())
    if token.kind != "page" or token.page_id != page_id:
        raise posting_denied_error()
    principal = find_principal(req.cfg, token.user_id)
    if not (has_scope(principal, "pages_manage_posts", page_id)
            and has_scope(principal, "pages_read_engagement", page_id)
            and POSTING_TASKS & set(page_tasks(page_obj, token.user_id))):
        raise posting_denied_error()
    require_business(principal)
    return token


def reader(req, page_id, object_id=None):
    """The page token allowed to read page_id's posts (or object_id)."""
    token = authenticate(req)
    page_of(req, page_id, object_id)
    if token.kind != "page":
        raise GraphError(210, MSG_PAGE_TOKEN_REQUIRED)
    if token.page_id != page_id:
        if object_id:
            raise unknown_object_error(object_id, req.method.lower())
        raise GraphError(10, MSG_READ_ENGAGEMENT)
    principal = find_principal(req.cfg, token.user_id)
    if not has_scope(principal, "pages_read_engagement", page_id):
        raise GraphError(10, MSG_READ_ENGAGEMENT)
    require_business(principal)
    return token


def bool_param(req, name, default):
    value = req.params.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise GraphError(100, f"(#100) Param {name} must be a boolean", "GraphMethodException")


def parse_time(value):
    """Unix seconds of value (digits or ISO 8601), None if it is neither."""
    if re.fullmatch(r"\d{1,12}", value):
        return int(value)
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return int(when.timestamp())


def schedule_param(req, published, now):
    """scheduled_publish_time checked against the window; None if not given."""
    value = req.params.get("scheduled_publish_time")
    if value is None or value == "":
        return None
    if published:
        raise GraphError(100, MSG_SCHEDULE_PUBLISHED)
    when = parse_time(value)
    if when is None or not now + SCHEDULE_MIN_SECONDS <= when <= now + SCHEDULE_MAX_SECONDS:
        raise GraphError(100, MSG_SCHEDULE)
    return when


def url_param(req, name):
    value = req.params.get(name)
    if value is None or value == "":
        return None
    url = urlsplit(value)
    if url.scheme not in ("http", "https") or not url.netloc:
        raise GraphError(100, f"(#100) {name} should represent a valid URL")
    return value


ATTACHED = re.compile(r"attached_media\[(\d{1,4})\]")


def media_fbid(value):
    if isinstance(value, dict) and isinstance(value.get("media_fbid"), (str, int)) \
            and not isinstance(value.get("media_fbid"), bool):
        return str(value["media_fbid"])
    raise GraphError(100, "(#100) Param attached_media must be a list of objects with "
                          "media_fbid", "GraphMethodException")


def media_param(req):
    """The photo ids of attached_media[N] fields or of an attached_media array."""
    def load(text):
        try:
            return json.loads(text)
        except ValueError:
            return None
    indexed = sorted((int(m.group(1)), value) for key, value in req.params.items()
                     if (m := ATTACHED.fullmatch(key)))
    ids = [media_fbid(load(value)) for _, value in indexed]
    if req.params.get("attached_media"):
        array = load(req.params["attached_media"])
        if not isinstance(array, list):
            media_fbid(None)
        ids += [media_fbid(item) for item in array]
    return ids


def publish_feed(req):
    page_id = req.args[0]
    publisher(req, page_id)
    now = int(time.time())
    message = req.params.get("message") or None
    link = url_param(req, "link")
    published = bool_param(req, "published", True)
    scheduled_at = schedule_param(req, published, now)
    media = media_param(req)
    if message is None and link is None and not media:
        raise GraphError(100, MSG_MISSING_CONTENT)
    post = req.posts.add_post(page_id, message, link, published, scheduled_at, media,
                              req.cfg["duplicate_window_seconds"], now)
    return {"id": post.id}


def publish_photo(req):
    page_id = req.args[0]
    publisher(req, page_id)
    now = int(time.time())
    source = req.uploads.get("source")
    url = None if source else url_param(req, "url")
    if source is None and url is None:
        raise GraphError(324, MSG_REQUIRES_FILE)
    if source is not None and source.size == 0:
        raise GraphError(324, MSG_BAD_IMAGE)
    caption = req.params.get("caption") or req.params.get("message") or None
    published = bool_param(req, "published", True)
    scheduled_at = schedule_param(req, published, now)
    photo, post = req.posts.add_photo(page_id, caption, url,
                                      source.log() if source else None,
                                      published, scheduled_at, now)
    return {"id": photo.id, "post_id": post.id} if published else {"id": photo.id}


FEED_FIELDS = "created_time,message,id"
SCHEDULED_FIELDS = "id,message,scheduled_publish_time,is_expired"


def post_entry(post, now):
    return {"created_time": iso_time(post.publish_time()),
            "message": post.message or ABSENT, "id": post.id,
            "link": post.link or ABSENT, "is_published": post.live(now),
            "scheduled_publish_time": post.scheduled_at or ABSENT,
            "is_expired": False}


def photo_entry(photo):
    return {"id": photo.id, "created_time": iso_time(photo.created_time),
            "name": photo.caption or ABSENT}


def post_list(req, edge, scheduled, default_fields):
    page_id = req.args[0]
    token = reader(req, page_id)
    now = int(time.time())
    specs = requested_fields(req, default_fields)
    posts = req.posts.page_posts(page_id, now, scheduled)
    return edge_answer(req, f"{page_id}/{edge}", token, [p.id for p in posts],
                       lambda i: select_fields(post_entry(posts[i], now), specs, "Post"),
                       FEED_PAGE_SIZE)


def read_feed(req):
    return post_list(req, "feed", False, FEED_FIELDS)


def scheduled_posts(req):
    return post_list(req, "scheduled_posts", True, SCHEDULED_FIELDS)


def find_object(req):
    """The live Post or Photo of the path, after checking the token."""
    object_id = req.args[0]
    check = reader if req.method == "GET" else publisher
    found = req.posts.find(object_id)
    if found is None:
        authenticate(req)
        raise unknown_object_error(object_id, req.method.lower())
    check(req, found.page_id, object_id)
    return found


def get_post(req):
    found = find_object(req)
    if isinstance(found, Photo):
        return select_fields(photo_entry(found), requested_fields(req), "Photo")
    specs = requested_fields(req, FEED_FIELDS)
    return select_fields(post_entry(found, int(time.time())), specs, "Post")


def edit_post(req):
    found = find_object(req)
    if isinstance(found, Photo):
        raise unknown_object_error(found.id, "post")
    now = int(time.time())
    scheduled_at = None
    if req.params.get("scheduled_publish_time"):
        if not found.scheduled(now):
            raise GraphError(100, MSG_SCHEDULE_PUBLISHED)
        scheduled_at = schedule_param(req, False, now)
    publish = bool_param(req, "is_published", False)
    req.posts.edit(found, req.params.get("message"), scheduled_at, publish)
    return {"success": True}


def delete_post(req):
    req.posts.delete(find_object(req))
    return {"success": True}


# --- batch ----------------------------------------------------------------------

def batch_items(raw):
    try:
        items = json.loads(raw)
    except ValueError:
        items = None
    if not isinstance(items, list) or not items:
        raise GraphError(100, "(#100) The parameter batch must be a non-empty JSON array",
                         "GraphMethodException")
    if len(items) > MAX_BATCH:
        raise GraphError(100, MSG_BATCH_SIZE, "GraphMethodException")
    return items


def item_call(req, item, inherited):
    """The Call an item of a batch makes; GraphError if it is not one."""
    if not isinstance(item, dict):
        raise GraphError(100, "(#100) Each batch item must be a JSON object",
                         "GraphMethodException")
    method = item.get("method", "GET")
    if not isinstance(method, str) or method.upper() not in ("GET", "POST", "DELETE"):
        raise GraphError(100, "(#100) A batch item's method must be GET, POST or DELETE",
                         "GraphMethodException")
    url = item.get("relative_url")
    if not isinstance(url, str) or not url:
        raise missing_param_error("relative_url")
    body = item.get("body", "")
    if not isinstance(body, str):
        raise GraphError(100, "(#100) A batch item's body must be a form-encoded string",
                         "GraphMethodException")
    path, _, query = url.partition("?")
    try:
        return Call(method.upper(), "/" + path.lstrip("/"), form_fields(query),
                    form_fields(body), req.host, None, inherited, req.version)
    except BodyError as e:
        raise GraphError(100, f"(#100) {e}", "GraphMethodException") from None


def batch(req):
    if req.inner:
        raise GraphError(100, "(#100) A batch request cannot be part of a batch",
                         "GraphMethodException")
    authenticate(req, allow_app=True)
    items = batch_items(require_param(req, "batch"))
    include_headers = bool_param(req, "include_headers", True)
    cut = (len(items) + 1) // 2 if req.fault == "batch_partial" else len(items)
    inherited = (req.token_value, req.proof_value)
    return [req.app.run_item(req, i, item, inherited, include_headers) if i < cut else None
            for i, item in enumerate(items)]


VERSION = re.compile(r"v\d+\.\d+")
POST_METHODS = {"GET": ("post", get_post), "POST": ("edit", edit_post),
                "DELETE": ("delete", delete_post)}
PAGE_METHODS = {"GET": ("page", page)}


def page_or_photo(groups, cfg, posts):
    if find_page(cfg, groups[0]) is None and posts.knows_photo(groups[0]):
        return POST_METHODS
    return PAGE_METHODS


ROUTES = (
    (re.compile(r""), {"POST": ("batch", batch)}),
    (re.compile(r"oauth/access_token"), {"GET": ("exchange", exchange),
                                         "POST": ("exchange", exchange)}),
    (re.compile(r"me/accounts"), {"GET": ("accounts", accounts)}),
    (re.compile(r"debug_token"), {"GET": ("debug_token", debug_token)}),
    (re.compile(r"(\d+)/feed"), {"GET": ("feed_list", read_feed),
                                 "POST": ("feed", publish_feed)}),
    (re.compile(r"(\d+)/photos"), {"POST": ("photos", publish_photo)}),
    (re.compile(r"(\d+)/scheduled_posts"), {"GET": ("scheduled_posts", scheduled_posts)}),
    (re.compile(r"(\d+_\d+)"), POST_METHODS),
    (re.compile(r"(\d+)"), page_or_photo),
)


def route(path, method="GET", cfg=None, posts=None):
    """(version, endpoint name, function, args) for path; GraphError if none."""
    parts = path.strip("/").split("/")
    version = ""
    if VERSION.fullmatch(parts[0]):
        version = parts.pop(0)
    elif parts[0].startswith("v") and len(parts) > 1:
        raise GraphError(2500, "Unknown path components: /" + "/".join(parts[1:]))
    rest = "/".join(parts)
    for pattern, methods in ROUTES:
        match = pattern.fullmatch(rest)
        if match:
            if callable(methods):
                methods = methods(match.groups(), cfg, posts) if cfg else PAGE_METHODS
            if method not in methods:
                raise unknown_object_error(rest.split("/")[0], method.lower())
            name, function = methods[method]
            return version, name, function, match.groups()
    if len(parts) > 1:
        raise GraphError(2500, "Unknown path components: /" + "/".join(parts[1:]))
    raise unknown_object_error(rest, method.lower())


# --- answers and faults ----------------------------------------------------------

@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = JSON_TYPE
    call_count: int = None       # X-App-Usage call_count; None: the usual
    reset: bool = False
    page_call_count: int = None  # X-Page-Usage call_count forced (sent even without a page token)
    buc: tuple = None            # (type, minutes): X-Business-Use-Case-Usage at 100
    headers: list = None         # [(name, value)], set by GraphApp.finish


def encode_json(obj, escape_slashes=False):
    text = json.dumps(obj, separators=(",", ":"))
    return (text.replace("/", "\\/") if escape_slashes else text).encode()


def run_endpoint(function, req):
    """(status, JSON value) of a normal answer."""
    try:
        return 200, function(req)
    except GraphError as e:
        return e.status, e.body()
    except Exception:  # a bug here must not look like a network fault
        traceback.print_exc()
        error = GraphError(2, "fake_graph internal error", status=500)
        return error.status, error.body()


def error_reply(error, call_count=None, minutes=None):
    reply = Reply(error.status, encode_json(error.body()), call_count=call_count)
    if error.code == 32:
        reply.page_call_count = 100
    if error.code in BUC_CODES:
        reply.buc = (BUC_TYPES.get(error.code, "other"),
                     BUC_MINUTES if minutes is None else minutes)
    return reply


def normal_reply(req, run):
    status, obj = run()
    return Reply(status, encode_json(obj, req.fault == "unicode_name"))


def truncated_reply(req, run):
    body = encode_json(run()[1])
    return Reply(200, body[:len(body) // 2])


def oversize_reply(req, run):
    obj = run()[1]
    padded = dict(obj, padding="") if isinstance(obj, dict) else obj + [{"padding": ""}]
    pad = padded if isinstance(padded, dict) else padded[-1]
    pad["padding"] = "A" * (OVERSIZE_BYTES - len(encode_json(padded)))
    return Reply(200, encode_json(padded))


def slow_reply(req, run):
    req.stopping.wait(SLOW_SECONDS)
    return normal_reply(req, run)


FAULTS = {
    "none": normal_reply,
    "unicode_name": normal_reply,
    "numeric_ids": normal_reply,
    "batch_partial": normal_reply,
    "truncated": truncated_reply,
    "oversize": oversize_reply,
    "slow": slow_reply,
    "malformed": lambda req, run: Reply(200, MALFORMED_BODY),
    "http500": lambda req, run: error_reply(GraphError(2, MSG_UNEXPECTED, status=500)),
    "html502": lambda req, run: Reply(502, HTML_502, HTML_TYPE),
    "ratelimit": lambda req, run: error_reply(graph_error(4), call_count=100),
    "blocked": lambda req, run: error_reply(blocked_error()),
    "reset": lambda req, run: Reply(0, reset=True),
}


def apply_fault(req, fault, run):
    """The Reply for req under fault; run() gives the normal answer."""
    if fault.kind == "error":
        error = graph_error(fault.code, fault.subcode, fault.transient, fault.status,
                            fault.bare)
        return error_reply(error, minutes=fault.minutes)
    return FAULTS[fault.kind](req, run)


# --- request bodies ----------------------------------------------------------------

class BodyError(Exception):
    """A body that cannot be read (close: the connection must be closed)."""

    def __init__(self, message, status=400, close=False):
        super().__init__(message)
        self.status = status
        self.close = close


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart body: what the log records of it."""
    filename: str
    content_type: str
    size: int
    sha256: str

    def log(self):
        return {"filename": self.filename, "size": self.size, "sha256": self.sha256,
                "content_type": self.content_type}


def form_fields(text):
    try:
        return dict(parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS))
    except ValueError:
        raise BodyError(f"more than {MAX_FORM_FIELDS} form fields") from None


def read_chunked(rfile):
    chunks, total = [], 0
    for _ in range(MAX_CHUNKS):
        line = rfile.readline(MAX_LINE + 1)
        try:
            size = int(line.split(b";")[0].strip(), 16)
        except ValueError:
            raise BodyError("bad chunk size line", close=True) from None
        if size == 0:
            break
        total += size
        if total > MAX_BODY_BYTES:
            raise BodyError(f"request body over {MAX_BODY_BYTES} bytes", 413, True)
        data = rfile.read(size)
        if len(data) != size or rfile.readline(MAX_LINE + 1) not in (b"\r\n", b"\n"):
            raise BodyError("chunk cut short", close=True)
        chunks.append(data)
    else:
        raise BodyError("too many chunks", 413, True)
    for _ in range(MAX_PARTS):  # trailer fields, up to the empty line
        if rfile.readline(MAX_LINE + 1) in (b"\r\n", b"\n", b""):
            break
    return b"".join(chunks)


def read_body(rfile, headers):
    """The body's bytes, as Content-Length or chunked transfer coding gives them."""
    coding = headers.get("Transfer-Encoding")
    if coding is not None:
        if coding.strip().lower() != "chunked":
            raise BodyError(f"Transfer-Encoding {coding} is not served", 501, True)
        return read_chunked(rfile)
    length = headers.get("Content-Length")
    if length is None:
        return b""
    if not length.strip().isdigit():
        raise BodyError("bad Content-Length", close=True)
    if int(length) > MAX_BODY_BYTES:
        raise BodyError(f"request body over {MAX_BODY_BYTES} bytes", 413, True)
    data = rfile.read(int(length))
    if len(data) != int(length):
        raise BodyError("request body cut short", close=True)
    return data


def header_params(value):
    message = Message()
    message["Content-Type"] = value
    return message


def param_text(value):
    """A header parameter as text (RFC 2231 values decoded)."""
    if isinstance(value, tuple):
        return email.utils.collapse_rfc2231_value(value)
    return value


def parse_part(part):
    """(name, str or Upload) of one multipart part."""
    if part.startswith(b"\r\n"):
        head, content = b"", part[2:]
    else:
        head, sep, content = part.partition(b"\r\n\r\n")
        if not sep:
            raise BodyError("a multipart part without a blank line after its headers")
    # Raw UTF-8 in a filename is what browsers and curl send: decode it as such.
    headers = email.parser.HeaderParser().parsestr(head.decode("utf-8", "replace") + "\r\n\r\n")
    name = headers.get_param("name", header="content-disposition")
    if headers.get("Content-Disposition") is None or name is None:
        raise BodyError("a multipart part without Content-Disposition: form-data; name=")
    filename = headers.get_filename()
    content_type = headers.get_content_type() if headers.get("Content-Type") else None
    if filename is not None or content_type not in (None, "text/plain"):
        return param_text(name), Upload(param_text(filename or ""),
                                        content_type or "application/octet-stream",
                                        len(content), hashlib.sha256(content).hexdigest())
    return param_text(name), content.decode("utf-8", "replace")


def parse_multipart(data, boundary):
    if not boundary:
        raise BodyError("multipart/form-data without a boundary")
    delimiter = b"--" + boundary.encode("latin-1", "replace")
    if data.startswith(delimiter):
        pos = 0
    else:
        pos = data.find(b"\r\n" + delimiter)
        if pos < 0:
            raise BodyError("multipart body without its boundary")
        pos += 2
    fields = {}
    for _ in range(MAX_PARTS + 1):
        pos += len(delimiter)
        if data[pos:pos + 2] == b"--":
            return fields
        eol = data.find(b"\r\n", pos)
        if eol < 0 or data[pos:eol].strip(b" \t"):
            raise BodyError("malformed multipart boundary line")
        end = data.find(b"\r\n" + delimiter, eol + 2)
        if end < 0:
            raise BodyError("multipart part without a closing boundary")
        name, value = parse_part(data[eol + 2:end])
        fields[name] = value
        pos = end + 2
    raise BodyError(f"more than {MAX_PARTS} multipart parts")


def json_fields(data):
    try:
        obj = json.loads(data)
    except ValueError:
        raise BodyError("a JSON body that is not JSON") from None
    if not isinstance(obj, dict):
        raise BodyError("a JSON body that is not an object")
    return {str(k): v if isinstance(v, str) else json.dumps(v, separators=(",", ":"))
            for k, v in obj.items()}


def body_fields(content_type, data):
    """The fields of a body: name -> str, or Upload for a file part."""
    if not data:
        return {}
    params = header_params(content_type or "")
    kind = params.get_content_type() if content_type else ""
    if kind == "application/x-www-form-urlencoded":
        return form_fields(data.decode("utf-8", "replace"))
    if kind == "multipart/form-data":
        return parse_multipart(data, params.get_param("boundary"))
    if kind == "application/json":
        return json_fields(data)
    return {}


def body_log(fields):
    return {k: v.log() if isinstance(v, Upload) else v for k, v in fields.items()}


# --- the application -----------------------------------------------------------------

@dataclass
class Call:
    """One call to answer: an HTTP request, or one item of a batch."""
    method: str
    path: str
    query: dict              # the URL's query
    body: dict               # the body's fields
    host: str
    header_token: str = None  # from Authorization
    inherited: tuple = None  # (token, proof) of the batch the call is an item of
    version: str = ""        # the batch's version prefix


@dataclass
class Outcome:
    endpoint: str
    fault: str               # as configured; "none" when none applied
    reply: Reply
    token_in: str
    proof_in: str


def locate(call, name):
    """(value, where) of argument name in call: body over query."""
    in_query = name in call.query
    if isinstance(call.body.get(name), str):
        return call.body[name], "both" if in_query else "body"
    if in_query:
        return call.query[name], "query"
    return None, "none"


def credentials(call):
    """(token, token_in, proof, proof_in) of call."""
    token, token_in = locate(call, "access_token")
    proof, proof_in = locate(call, "appsecret_proof")
    if token is None and call.header_token is not None:
        token, token_in = call.header_token, "header"
    if token is None and call.inherited and call.inherited[0] is not None:
        token, token_in = call.inherited[0], "batch"
        if proof is None and call.inherited[1] is not None:
            proof, proof_in = call.inherited[1], "batch"
    return token, token_in, proof, proof_in


def header_token(headers):
    """The token of an Authorization: Bearer (or OAuth) header, None if none."""
    scheme, _, value = (headers.get("Authorization") or "").strip().partition(" ")
    if scheme.lower() in ("bearer", "oauth") and value.strip():
        return value.strip()
    return None


def usage_value(count):
    return {"call_count": count, "total_cputime": count // 2, "total_time": count // 2}


class GraphApp:
    """Turns a call into an Outcome; shared by all connections."""

    def __init__(self, config, tokens, stopping, latency_ms=0, posts=None):
        self.config = config
        self.tokens = tokens
        self.posts = posts or PostStore()
        self.stopping = stopping
        self._latency_ms = latency_ms
        self._lock = threading.Lock()
        self._requests = 0
        self._page_calls = {}
        self._fault_generation = None
        self._fault_uses = {}

    def usage(self, call_count=None):
        with self._lock:
            self._requests += 1
            used = min(99, self._requests)
        return json.dumps(usage_value(used if call_count is None else call_count),
                          separators=(",", ":"))

    def page_usage(self, page_id):
        """X-Page-Usage's value for one more call with a token of page_id."""
        with self._lock:
            self._page_calls[page_id] = self._page_calls.get(page_id, 0) + 1
            return min(99, self._page_calls[page_id])

    def latency_ms(self):
        try:
            configured = self.config.current()["latency_ms"]
        except ConfigError:
            configured = None
        return self._latency_ms if configured is None else configured

    def delay(self):
        """Wait latency_ms (less on shutdown); the ms waited."""
        ms = self.latency_ms()
        if ms:
            self.stopping.wait(ms / 1000)
        return ms

    def take_fault(self, cfg, name):
        fault = cfg["faults"].get(name, NO_FAULT)
        if fault.times is None:
            return fault
        with self._lock:
            if self._fault_generation != cfg["generation"]:
                self._fault_generation, self._fault_uses = cfg["generation"], {}
            used = self._fault_uses.get(name, 0)
            if used >= fault.times:
                return NO_FAULT
            self._fault_uses[name] = used + 1
        return fault

    def finish(self, reply, req=None, cfg=None):
        """reply with its rate-limit headers."""
        headers = [("X-App-Usage", self.usage(reply.call_count))]
        token = req.token if req else None
        page_id = token.page_id if token and token.kind == "page" else None
        if page_id or reply.page_call_count is not None:
            count = reply.page_call_count
            if page_id:
                count = self.page_usage(page_id) if count is None else count
            headers.append(("X-Page-Usage", json.dumps(usage_value(count),
                                                       separators=(",", ":"))))
        if page_id or reply.buc:
            kind, minutes = reply.buc or ("pages", 0)
            count = 100 if reply.buc else min(99, self._page_calls.get(page_id, 1))
            key = page_id or self.business_id(req, cfg)
            value = {key: [dict(usage_value(count), type=kind,
                                estimated_time_to_regain_access=minutes)]}
            headers.append(("X-Business-Use-Case-Usage",
                            json.dumps(value, separators=(",", ":"))))
        reply.headers = headers
        return reply

    @staticmethod
    def business_id(req, cfg):
        if req and req.args and find_page(cfg, req.args[0].split("_")[0]):
            return req.args[0].split("_")[0]
        return cfg["app_id"] if cfg else "0"

    def dispatch(self, call, log_item=None):
        """The Outcome of call; log_item(index, call, outcome) logs batch items."""
        token, token_in, proof, proof_in = credentials(call)
        try:
            cfg = self.config.current()
        except ConfigError as e:
            reply = Reply(500, f"fake_graph: bad config: {e}\n".encode(), TEXT_TYPE)
            return Outcome("unknown", "none", self.finish(reply), token_in, proof_in)
        try:
            version, name, function, args = route(call.path, call.method, cfg, self.posts)
        except GraphError as e:
            return Outcome("unknown", "none", self.finish(error_reply(e), None, cfg),
                           token_in, proof_in)
        fault = self.take_fault(cfg, name)
        params = dict(call.query)
        params.update((k, v) for k, v in call.body.items() if isinstance(v, str))
        uploads = {k: v for k, v in call.body.items() if isinstance(v, Upload)}
        req = Request(cfg, params, version or call.version, call.host, self.tokens, args,
                      fault.kind, self.stopping, call.method, uploads, self.posts, self,
                      token, proof, call.inherited is not None, log_item)
        reply = apply_fault(req, fault, lambda: run_endpoint(function, req))
        return Outcome(name, fault.text, self.finish(reply, req, cfg), token_in, proof_in)

    def run_item(self, req, index, item, inherited, include_headers):
        """One item of a batch: logged, and answered as the batch answers it."""
        try:
            call = item_call(req, item, inherited)
        except GraphError as e:
            method = item.get("method") if isinstance(item, dict) else None
            call = Call(method if isinstance(method, str) else "", "", {}, {}, req.host)
            outcome = Outcome("unknown", "none", self.finish(error_reply(e), None, req.cfg),
                              "none", "none")
        else:
            outcome = self.dispatch(call)
        req.log_item(index, call, outcome)
        reply = outcome.reply
        if reply.reset:
            return None
        answer = {"code": reply.status}
        if include_headers:
            answer["headers"] = [{"name": n, "value": v} for n, v in
                                 [("Content-Type", reply.content_type)] + reply.headers]
        answer["body"] = reply.body.decode("utf-8", "replace")
        return answer


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


def log_entry(where, call, outcome, user_agent, latency_ms=0):
    """A log line: where is {"conn", "seq"} or {"conn", "batch", "item"}."""
    entry = dict(where, method=call.method, path=call.path, endpoint=outcome.endpoint,
                 query=call.query, body=body_log(call.body), token_in=outcome.token_in,
                 proof_in=outcome.proof_in)
    if call.header_token is not None:
        entry["authorization"] = call.header_token
    entry["user_agent"] = user_agent
    if latency_ms:
        entry["latency_ms"] = latency_ms
    entry["status"] = outcome.reply.status
    if outcome.fault != "none":
        entry["fault"] = outcome.fault
    return entry


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
        self.serve("GET")

    def do_POST(self):
        self.serve("POST")

    def do_DELETE(self):
        self.serve("DELETE")

    def serve(self, method):
        seq = self.server.next_seq()
        app = self.server.app
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        host = self.headers.get("Host") or self.default_host()
        user_agent = self.headers.get("User-Agent", "")
        call = Call(method, url.path, query, {}, host, header_token(self.headers))
        try:
            call.body = body_fields(self.headers.get("Content-Type"),
                                    read_body(self.rfile, self.headers))
            refused = None
        except BodyError as e:
            self.close_connection = self.close_connection or e.close
            refused = GraphError(100 if e.status == 400 else 1, f"fake_graph: {e}",
                                 status=e.status, transient=False)
        latency = app.delay()
        if refused:
            outcome = Outcome("unknown", "none", app.finish(error_reply(refused)),
                              *credentials(call)[1::2])
        else:
            outcome = app.dispatch(call, self.item_logger(seq, user_agent))
        self.server.log.write(log_entry({"conn": self.conn_id, "seq": seq}, call, outcome,
                                        user_agent, latency))
        if outcome.reply.reset:
            self.reset_connection()
        self.send_reply(outcome.reply)

    def item_logger(self, seq, user_agent):
        """log_item for the batch items of HTTP request seq."""
        def log_item(index, item_call, item_outcome):
            where = {"conn": self.conn_id, "batch": seq, "item": index}
            self.server.log.write(log_entry(where, item_call, item_outcome, user_agent))
        return log_item

    def send_reply(self, reply):
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
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
        self._count_lock = threading.Lock()
        self._conns = 0
        self._requests = 0
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
        with self._count_lock:
            self._conns += 1
            return self._conns

    def next_seq(self):
        with self._count_lock:
            self._requests += 1
            return self._requests


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


def raises(code, function, *args):
    try:
        function(*args)
    except GraphError as e:
        return e.code == code
    except (BodyError, ConfigError):
        return code is None
    return False


def self_test():
    token, secret, expected = PROOF_VECTOR
    multipart = (b"--XyZ\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n"
                 b"caf\xc3\xa9\r\n--XyZ\r\nContent-Disposition: form-data; name=\"source\"; "
                 b"filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\r\n--Xy\x00\r\n"
                 b"\r\n--XyZ--\r\n")
    fields = parse_multipart(multipart, "XyZ")
    checks = {
        "appsecret_proof test vector": appsecret_proof(secret, token) == expected,
        "token shape": re.fullmatch(r"EAA[A-Za-z0-9]{120}", new_token()) is not None,
        "cursor round trip": cursor_index(["7", "1001"], encode_cursor("1001")) == 1,
        "versioned route": route("/v25.0/me/accounts")[:2] == ("v25.0", "accounts"),
        "unversioned route": route("/oauth/access_token")[:2] == ("", "exchange"),
        "page route": route("/v21.0/1001")[3] == ("1001",),
        "post route": route("/1001_77", "DELETE")[1] == "delete",
        "batch route": route("/v25.0/", "POST")[1] == "batch",
        "unsupported method": raises(100, route, "/me/accounts", "DELETE"),
        "multipart text": fields.get("message") == "caf\u00e9",
        "multipart file bytes": fields["source"].size == 9 and fields["source"].sha256
        == hashlib.sha256(b"\r\n--Xy\x00\r\n").hexdigest(),
        "multipart unterminated": raises(None, parse_multipart, multipart[:-9], "XyZ"),
        "field expansion": parse_fields("id,ig{id,username},name")
        == [("id", None), ("ig", [("id", None), ("username", None)]), ("name", None)],
        "field syntax": raises(2500, parse_fields, "id,ig{id"),
        "fault options": parse_fault("feed", "error:2,bare,status=500,times=1")
        == Fault("error:2,bare,status=500,times=1", "error", 2, None, 500, None, True,
                 None, 1),
        "fault option of another kind": raises(None, parse_fault, "feed", "reset,bare"),
        "ISO 8601 time": parse_time("2026-01-01T00:00:00+0000") == 1767225600,
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
    parser.add_argument("--latency-ms", type=int, default=0)
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
    if not 0 <= args.latency_ms <= MAX_LATENCY_MS:
        parser.error(f"--latency-ms must be from 0 to {MAX_LATENCY_MS}")
    return args


def serve(args):
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    config = ConfigFile(args.config)
    config.current()
    app = GraphApp(config, TokenStore(time.time()), stopping, args.latency_ms)
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
