#!/usr/bin/env python3
"""attacker.py - a process of the same user trying to take what fbvault holds.

  attacker.py PID SECRET...   attack a running fbvault: /proc/PID/mem,
                              /proc/PID/environ, process_vm_readv, ptrace
  attacker.py child SECRET... as fbvault exec's child: the environment, the
                              passphrase variables, what each open descriptor is

Prints one line per attempt, "ATTEMPT: denied|got|absent ...", and exits 0.
It never prints a secret it found: only that it found it.
"""
import ctypes
import os
import sys

libc = ctypes.CDLL(None, use_errno=True)
PTRACE_ATTACH, PTRACE_DETACH = 16, 17


class IOVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


def found(data, secrets):
    return any(s.encode() in data for s in secrets)


def try_read(path, secrets):
    try:
        with open(path, "rb") as f:
            data = f.read(1 << 20)
    except OSError as e:
        return "denied (%s)" % os.strerror(e.errno)
    return "got, with a secret" if found(data, secrets) else "got, no secret"


def try_mem(pid, secrets):
    try:
        fd = os.open("/proc/%d/mem" % pid, os.O_RDONLY)
    except OSError as e:
        return "denied (%s)" % os.strerror(e.errno)
    try:
        for line in open("/proc/%d/maps" % pid):
            lo, hi = (int(x, 16) for x in line.split()[0].split("-"))
            try:
                if found(os.pread(fd, min(hi - lo, 1 << 24), lo), secrets):
                    return "got, with a secret"
            except OSError:
                pass
        return "got, no secret"
    finally:
        os.close(fd)


def try_vm_readv(pid):
    buf = ctypes.create_string_buffer(4096)
    local = IOVec(ctypes.cast(buf, ctypes.c_void_p), 4096)
    remote = IOVec(0x400000, 4096)
    n = libc.process_vm_readv(pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
    return "denied (%s)" % os.strerror(ctypes.get_errno()) if n < 0 else "got"


def try_ptrace(pid):
    if libc.ptrace(PTRACE_ATTACH, pid, None, None) != 0:
        return "denied (%s)" % os.strerror(ctypes.get_errno())
    # Detach only once the tracee has stopped, or it stays stopped.
    os.waitpid(pid, 0x40000000)  # __WALL
    libc.ptrace(PTRACE_DETACH, pid, None, None)
    return "got"


def attack(pid, secrets):
    print("mem:", try_mem(pid, secrets))
    print("environ:", try_read("/proc/%d/environ" % pid, secrets))
    print("cmdline:", try_read("/proc/%d/cmdline" % pid, secrets))
    print("process_vm_readv:", try_vm_readv(pid))
    print("ptrace:", try_ptrace(pid))


def child(secrets):
    env = "".join("%s=%s\n" % kv for kv in os.environ.items()).encode()
    print("environ:", "got, with a secret" if found(env, secrets) else "got, no secret")
    for var in ("FBVAULT_PASSPHRASE_FILE", "FBVAULT_NEW_PASSPHRASE_FILE"):
        print("%s:" % var, "got" if var in os.environ else "absent")
    for fd in sorted(int(f) for f in os.listdir("/proc/self/fd")):
        try:
            print("descriptor %d: %s" % (fd, os.readlink("/proc/self/fd/%d" % fd)))
        except OSError:
            pass


if __name__ == "__main__":
    if sys.argv[1] == "child":
        child(sys.argv[2:])
    else:
        attack(int(sys.argv[1]), sys.argv[2:])
