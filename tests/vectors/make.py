#!/usr/bin/env python3
"""Writes the bad-vault vectors from good.vault (made once with
`fbvault init --kdf interactive` and passphrase "vector passphrase", then
`printf 'vector value' | fbvault put entry`). Each vector changes the file
the way its name says; expected.txt gives the outcome fbvault must show.
Run from tests/vectors/ to regenerate; the files are committed."""
import struct

good = open("good.vault", "rb").read()
SLOT = 29                      # first slot: type(1) len(2) body(105)
H = SLOT + 3 + 105             # header MAC offset
ID = 12

def le64_at(buf, off, v):
    return buf[:off] + struct.pack("<Q", v) + buf[off + 8:]

slot = good[SLOT:H]
vectors = {
    "empty": b"",
    "short-header": good[:20],
    "wrong-magic": b"FBVAULX\0" + good[8:],
    "version-0": good[:8] + b"\0\0" + good[10:],
    "version-3": good[:8] + b"\3\0" + good[10:],
    "flags-set": good[:10] + b"\1\0" + good[12:],
    "no-slots": good[:28] + b"\0" + good[H:],
    "seventeen-slots": good[:28] + b"\x11" + slot * 17 + good[H:],
    "duplicated-slot": good[:28] + b"\2" + slot + slot + good[H:],
    "only-unknown-slot": good[:28] + b"\1" + b"\x07\x04\x00abcd" + good[H:],
    "slot-length-past-end": good[:SLOT + 1] + b"\xff\xff" + good[SLOT + 3:],
    "kdf-algorithm-2": good[:SLOT + 3] + b"\2" + good[SLOT + 4:],
    "opslimit-0": le64_at(good, SLOT + 3 + 17, 0),
    "opslimit-2^32": le64_at(good, SLOT + 3 + 17, 1 << 32),
    "memlimit-8KiB": le64_at(good, SLOT + 3 + 25, 8192),
    "memlimit-2^40": le64_at(good, SLOT + 3 + 25, 1 << 40),
    "payload-length-past-end": good[:H + 56] + struct.pack("<I", len(good)) + good[H + 60:],
    "payload-length-short": good[:H + 56] + struct.pack("<I", 15) + good[H + 60:],
    "payload-length-zero": good[:H + 56] + b"\0\0\0\0" + good[H + 60:],
    "trailing-garbage": good + b"garbage",
    "payload-cut": good[:-1],
    "header-mac-zero": good[:H] + b"\0" * 32 + good[H + 32:],
    "wrapped-key-changed": good[:H - 1] + bytes([good[H - 1] ^ 1]) + good[H:],
    "vault-id-changed": good[:ID] + bytes([good[ID] ^ 0x80]) + good[ID + 1:],
    "ciphertext-changed": good[:-2] + bytes([good[-2] ^ 4]) + good[-1:],
    "extra-unknown-slot-unauthenticated": good[:28] + b"\2" + slot + b"\x07\x04\x00abcd" + good[H:],
}
for name, data in vectors.items():
    open(name + ".vault", "wb").write(data)
