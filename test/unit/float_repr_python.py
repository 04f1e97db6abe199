#!/usr/bin/env python3
"""Doubles and Python's own repr() of them, for test_literal's comparison.

    python3 test/unit/float_repr_python.py [RANDOM_COUNT [SEED]]

One line per double: its 64 bits in hex, a space, repr(d).  The doubles are
every power of two and both its neighbours, the powers of ten that doubles
reach and their neighbours, the smallest subnormals, integers around 2^53,
then RANDOM_COUNT random bit patterns (default 100000) from a fixed seed.
"""
import math
import random
import struct
import sys


def bits(d):
    return struct.unpack("<Q", struct.pack("<d", d))[0]


def doubles(count, seed):
    for e in range(-1074, 1024):
        p = math.ldexp(1.0, e)
        yield from (p, math.nextafter(p, 0.0), math.nextafter(p, math.inf))
    for e in range(-324, 309):
        p = float("1e%d" % e)
        yield from (p, math.nextafter(p, 0.0), math.nextafter(p, math.inf))
    for c in range(1, 1000):
        yield struct.unpack("<d", struct.pack("<Q", c))[0]
    for i in range(-1000, 1000):
        yield float(2 ** 53 + 2 * i)
    rng = random.Random(seed)
    n = 0
    while n < count:
        d = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if math.isfinite(d):
            n += 1
            yield d


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    out = sys.stdout
    for d in doubles(count, seed):
        for x in (d, -d):
            if math.isfinite(x):
                out.write("%016x %r\n" % (bits(x), x))


if __name__ == "__main__":
    main()
