#!/usr/bin/env python3
"""Compares the parameters of two thinj model files (thinj's own format, ModelFile.java):
prints the largest relative difference |a - b| / max(|a|, |b|, 1e-3) over all weights, and the largest
absolute one. Used by spark-race.sh to check sync = "gradients" against single-process training."""
import struct
import sys


def read_params(path):
    data = open(path, "rb").read()
    assert data[:8] == b"THINJMDL", f"{path}: not a thinj model file"
    pos = 12  # magic, int32 version

    def take(fmt):
        nonlocal pos
        vals = struct.unpack_from(fmt, data, pos)
        pos += struct.calcsize(fmt)
        return vals

    def utf():
        nonlocal pos
        (n,) = take(">H")
        s = data[pos:pos + n].decode("utf-8")
        pos += n
        return s

    params = []
    (nodes,) = take(">i")
    for _ in range(nodes):
        utf()
        (ndims,) = take(">i")
        for _ in range(ndims):
            utf()
            take(">i")
        (nparams,) = take(">i")
        for _ in range(nparams):
            utf()
            (present,) = take(">?")
            if present:
                (rank,) = take(">i")
                size = 1
                for d in take(f">{rank}i"):
                    size *= d
                params.extend(take(f"<{size}f"))
        (nattrs,) = take(">i")
        for _ in range(nattrs):
            utf()
            (kind,) = take(">c")
            if kind == b"S":
                utf()
            else:
                take({b"L": ">q", b"I": ">i", b"F": ">f", b"D": ">d", b"Z": ">?"}[kind])
    return params


a, b = read_params(sys.argv[1]), read_params(sys.argv[2])
assert len(a) == len(b), f"{len(a)} and {len(b)} parameters: different architectures"
rels = sorted(abs(x - y) / max(abs(x), abs(y), 1e-3) for x, y in zip(a, b))
ab = max(abs(x - y) for x, y in zip(a, b))
over = sum(1 for r in rels if r > 1e-5)
median = rels[len(rels) // 2]
p999 = rels[min(len(rels) - 1, int(len(rels) * 0.999))]
print(f"{len(a)} weights: max relative difference {rels[-1]:.3g} (median {median:.3g}, 99.9th percentile {p999:.3g};"
      f" {over} weights over 1e-5), max absolute difference {ab:.3g}")
