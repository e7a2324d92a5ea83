#!/usr/bin/env python3
"""proxy.py PORTFILE LOG [MAX_SECONDS] - an HTTP proxy on 127.0.0.1 that
records every byte clients send it (base64, one JSON line per connection)
in LOG. CONNECT is tunnelled to 127.0.0.1 only; a plain request is answered
502 without being forwarded. Exits after MAX_SECONDS (default 120)."""
import base64, json, os, select, socket, sys, threading, time

port_file, log_path = sys.argv[1], sys.argv[2]
deadline = time.time() + float(sys.argv[3] if len(sys.argv) > 3 else 120)
lock = threading.Lock()


def record(kind, data):
    with lock, open(log_path, "a") as f:
        f.write(json.dumps({"kind": kind, "bytes": base64.b64encode(data).decode()}) + "\n")


def tunnel(client, host, port, seen):
    if host not in ("127.0.0.1", "localhost", "::1"):
        client.sendall(b"HTTP/1.1 403 Forbidden\r\n\r\n")
        return
    up = socket.create_connection((host, port), timeout=10)
    client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    socks = [client, up]
    while time.time() < deadline:
        r, _, _ = select.select(socks, [], [], 1)
        for s in r:
            data = s.recv(65536)
            if not data:
                up.close()
                return
            if s is client:
                seen.append(data)
            (up if s is client else client).sendall(data)


def serve(client):
    client.settimeout(10)
    seen = []
    try:
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            chunk = client.recv(4096)
            if not chunk:
                break
            head += chunk
        seen.append(head)
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        if line.startswith("CONNECT "):
            host, _, port = line.split()[1].rpartition(":")
            tunnel(client, host.strip("[]"), int(port), seen)
            record("connect", b"".join(seen))
        else:
            record("plain", b"".join(seen))
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
    except OSError:
        record("error", b"".join(seen))
    finally:
        client.close()


srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(16)
srv.settimeout(1)
with open(port_file + ".tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
os.rename(port_file + ".tmp", port_file)
while time.time() < deadline:
    try:
        c, _ = srv.accept()
    except socket.timeout:
        continue
    threading.Thread(target=serve, args=(c,), daemon=True).start()
