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
    "version-4": good[:8] + b"\4\0" + good[10:],
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

# Format 2: good2.vault (init and put as above, with fbvault 2), and
# v2-next.vault, the next save of the same vault (`printf 'other value' |
# fbvault put other`): a header of one save and a payload of the other
# must never open together.
good = open("good2.vault", "rb").read()
nxt = open("v2-next.vault", "rb").read()
GEN = 28
SLOT = 37                      # first slot: type(1) len(2) body(185)
H = SLOT + 3 + 185             # header MAC offset
BODY = SLOT + 3
slot = good[SLOT:H]

def flip(buf, off, mask=1):
    return buf[:off] + bytes([buf[off] ^ mask]) + buf[off + 1:]

vectors = {
    "v2-flags-set": good[:10] + b"\1\0" + good[12:],
    "v2-generation-changed": flip(good, GEN),
    "v2-no-slots": good[:36] + b"\0" + good[H:],
    "v2-seventeen-slots": good[:36] + b"\x11" + slot * 17 + good[H:],
    "v2-duplicated-slot": good[:36] + b"\2" + slot + slot + good[H:],
    "v2-only-unknown-slot": good[:36] + b"\1" + b"\x07\x04\x00abcd" + good[H:],
    "v2-slot-length-past-end": good[:SLOT + 1] + b"\xff\xff" + good[SLOT + 3:],
    "v2-passphrase-slot-v1-length": good[:SLOT + 1] + struct.pack("<H", 105) + good[BODY:BODY + 105] + good[H:],
    "v2-keyring-slot-wrong-length": good[:SLOT] + b"\2" + good[SLOT + 1:],
    "v2-kdf-algorithm-2": good[:BODY] + b"\2" + good[BODY + 1:],
    "v2-opslimit-0": le64_at(good, BODY + 17, 0),
    "v2-memlimit-2^40": le64_at(good, BODY + 25, 1 << 40),
    "v2-sealed-key-changed": flip(good, BODY + 57),
    "v2-stanza-changed": flip(good, BODY + 105),
    "v2-stanza-tag-changed": flip(good, H - 1, 0x80),
    "v2-vault-id-changed": flip(good, 12, 0x80),
    "v2-header-mac-zero": good[:H] + b"\0" * 32 + good[H + 32:],
    "v2-payload-nonce-changed": flip(good, H + 32),
    "v2-payload-length-past-end": good[:H + 56] + struct.pack("<I", len(good)) + good[H + 60:],
    "v2-payload-length-short": good[:H + 56] + struct.pack("<I", 15) + good[H + 60:],
    "v2-trailing-garbage": good + b"garbage",
    "v2-payload-cut": good[:-1],
    "v2-ciphertext-changed": flip(good, len(good) - 2, 4),
    "v2-extra-unknown-slot-unauthenticated": good[:36] + b"\2" + slot + b"\x07\x04\x00abcd" + good[H:],
    # header of one save, the rest of the next: cut at the MAC, after
    # it, after nonce and length
    "v2-splice-at-mac": good[:H] + nxt[H:],
    "v2-splice-after-mac": good[:H + 32] + nxt[H + 32:],
    "v2-splice-before-ciphertext": good[:H + 60] + nxt[H + 60:],
    "v2-splice-next-header": nxt[:H + 60] + good[H + 60:],
}
for name, data in vectors.items():
    open(name + ".vault", "wb").write(data)

# Format 3: good3.vault and v3-next.vault, made as good2.vault and
# v2-next.vault were, with fbvault writing format 3. H is the header MAC;
# then the 16-byte segment nonce prefix, the 4-byte payload length L, and
# the segments (here one: L bytes and a 16-byte tag).
good = open("good3.vault", "rb").read()
nxt = open("v3-next.vault", "rb").read()
SLOT = 37
H = SLOT + 3 + 185
BODY = SLOT + 3
L = H + 48
P = H + 52
slot = good[SLOT:H]
plen = struct.unpack("<I", good[L:P])[0]

def with_len(buf, n):
    return buf[:L] + struct.pack("<I", n) + buf[P:]

vectors = {
    "v3-flags-set": good[:10] + b"\1\0" + good[12:],
    "v3-as-version-2": good[:8] + b"\2\0" + good[10:],
    "v3-generation-changed": flip(good, GEN),
    "v3-no-slots": good[:36] + b"\0" + good[H:],
    "v3-duplicated-slot": good[:36] + b"\2" + slot + slot + good[H:],
    "v3-only-unknown-slot": good[:36] + b"\1" + b"\x07\x04\x00abcd" + good[H:],
    "v3-opslimit-0": le64_at(good, BODY + 17, 0),
    "v3-sealed-key-changed": flip(good, BODY + 57),
    "v3-stanza-changed": flip(good, BODY + 105),
    "v3-vault-id-changed": flip(good, 12, 0x80),
    "v3-header-mac-zero": good[:H] + b"\0" * 32 + good[H + 32:],
    "v3-prefix-changed": flip(good, H + 32),
    "v3-length-zero": with_len(good, 0),
    "v3-length-short": with_len(good, plen - 1),
    "v3-length-long": with_len(good, plen + 1),
    "v3-length-next-segment": with_len(good, plen + 65536),
    "v3-trailing-garbage": good + b"garbage",
    "v3-trailing-tag": good + good[-16:],
    "v3-payload-cut": good[:-1],
    "v3-segment-changed": flip(good, P + plen // 2, 4),
    "v3-segment-tag-changed": flip(good, len(good) - 1, 0x80),
    "v3-extra-unknown-slot-unauthenticated": good[:36] + b"\2" + slot + b"\x07\x04\x00abcd" + good[H:],
    # header of one save, the rest of the next
    "v3-splice-at-mac": good[:H] + nxt[H:],
    "v3-splice-after-mac": good[:H + 32] + nxt[H + 32:],
    "v3-splice-before-segments": good[:P] + nxt[P:],
    "v3-splice-next-header": nxt[:P] + good[P:],
    "v3-splice-next-header-same-length": nxt[:L] + good[L:],
}
for name, data in vectors.items():
    open(name + ".vault", "wb").write(data)
