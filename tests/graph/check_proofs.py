#!/usr/bin/env python3
"""check_proofs.py - check a fake_graph.py log for appsecret_proof use.

Usage: check_proofs.py [--max-conns K] [--no-url-tokens] LOG.jsonl APP_SECRET

Every logged request (and batch item) whose access_token, in its query, its
body or its Authorization header, is a user or page token (anything but an app token APP_ID|APP_SECRET)
must carry appsecret_proof = hex(HMAC-SHA256(APP_SECRET, access_token)), in
either. Batch items using their batch's token are checked through the batch's
line. With --max-conns, the requests must also have used at most K distinct
connections. With --no-url-tokens, no POST or DELETE may carry a token or
proof in its URL query.

Prints "N requests checked, M carried tokens, all proofs correct" and exits 0;
otherwise prints each offending request (method and path, never a token) and
exits 1. Exits 2 when the log cannot be read.
"""

import argparse
import hashlib
import hmac
import json
import re
import sys

APP_TOKEN = re.compile(r"\d+\|.+")


def read_log(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def argument(entry, name):
    """The value of argument name in the entry's body, else its query; None.
    A token may also have come in an Authorization header."""
    body, query = entry.get("body") or {}, entry.get("query") or {}
    value = body.get(name)
    if not isinstance(value, str):
        value = query.get(name)
    if value is None and name == "access_token":
        value = entry.get("authorization")
    return value


def user_token(entry):
    """The request's user or page token, None if it carried none."""
    token = argument(entry, "access_token")
    return None if token is None or APP_TOKEN.fullmatch(token) else token


def proof_problem(entry, token, secret):
    """What is wrong with the proof sent with token, None if nothing."""
    proof = argument(entry, "appsecret_proof")
    if proof is None:
        return "no appsecret_proof"
    expected = hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(proof.encode(), expected.encode()):
        return "wrong appsecret_proof"
    return None


def main():
    parser = argparse.ArgumentParser(description="Check appsecret_proof in a fake_graph log.")
    parser.add_argument("--max-conns", type=int, metavar="K")
    parser.add_argument("--no-url-tokens", action="store_true")
    parser.add_argument("log")
    parser.add_argument("app_secret")
    args = parser.parse_args()
    try:
        entries = read_log(args.log)
    except (OSError, ValueError) as e:
        print(f"check_proofs: cannot read {args.log}: {e}")
        return 2
    ok = True
    carried = 0
    for entry in entries:
        query = entry.get("query") or {}
        if (args.no_url_tokens and entry.get("method") in ("POST", "DELETE")
                and ("access_token" in query or "appsecret_proof" in query)):
            ok = False
            print(f"conn {entry.get('conn')}: {entry.get('method')} {entry.get('path')}: "
                  "token or proof in the URL")
        token = user_token(entry)
        if token is None:
            continue
        carried += 1
        problem = proof_problem(entry, token, args.app_secret)
        if problem:
            ok = False
            print(f"conn {entry.get('conn')}: {entry.get('method')} {entry.get('path')}: "
                  f"{problem}")
    conns = len({entry.get("conn") for entry in entries})
    if args.max_conns is not None and conns > args.max_conns:
        ok = False
        print(f"{conns} connections used, at most {args.max_conns} allowed")
    if not ok:
        return 1
    print(f"{len(entries)} requests checked, {carried} carried tokens, "
          "all proofs correct")
    return 0


if __name__ == "__main__":
    sys.exit(main())
