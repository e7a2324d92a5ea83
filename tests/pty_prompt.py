#!/usr/bin/env python3
"""Drives fbvault at a real pseudo-terminal, the way a person types.

pty_prompt.py FBVAULT UID GID PROMPT SECRET EXPECT -- ARGS...
runs FBVAULT ARGS as UID:GID on a new pty, waits for PROMPT, checks while
it waits that the process is not dumpable (its /proc/PID files belong to
root, not to UID) and has a core-file limit of 0, that its cmdline does not
hold SECRET, types SECRET and Enter, and checks that the terminal never
showed SECRET (no echo) and that the output contains EXPECT. Every wait is
bounded. Prints one line per check; exits 1 if any failed."""
import os, pty, select, sys, time

fbvault, uid, gid, prompt, secret, expect = sys.argv[1:7]
args = sys.argv[8:]
uid, gid = int(uid), int(gid)
failed = 0


def check(ok, what):
    global failed
    print(("ok: " if ok else "FAIL: ") + what)
    failed += 0 if ok else 1


def read_until(fd, want, seconds):
    buf, end = b"", time.time() + seconds
    while want not in buf and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
    return buf


pid, fd = pty.fork()
if pid == 0:
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    os.execv(fbvault, [fbvault] + args)
shown = read_until(fd, prompt.encode(), 20)
check(prompt.encode() in shown, "prompt %r shown" % prompt)
st = os.stat("/proc/%d/status" % pid)
check(st.st_uid == 0 and uid != 0, "not dumpable while waiting (/proc/PID owned by root)")
limits = open("/proc/%d/limits" % pid).read()
core = [l for l in limits.splitlines() if l.startswith("Max core file size")]
check(bool(core) and core[0].split()[4] == "0", "core-file limit 0: %s" % (core[0] if core else "?"))
cmdline = open("/proc/%d/cmdline" % pid, "rb").read()
check(secret.encode() not in cmdline, "secret not in /proc/PID/cmdline")
os.write(fd, secret.encode() + b"\r")
shown += read_until(fd, b"\x00never\x00", 20)
status = None
for _ in range(300):
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        break
    time.sleep(0.1)
if status is None:
    os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    check(False, "fbvault exited within 30 s of the Enter key")
check(os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "exit status 0 (%r)" % status)
check(secret.encode() not in shown, "the typed secret was not echoed")
check(expect.encode() in shown, "output holds %r" % expect)
sys.exit(1 if failed else 0)
