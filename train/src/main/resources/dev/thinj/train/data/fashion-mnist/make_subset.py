#!/usr/bin/python3
"""Rebuilds the Fashion-MNIST subset that thinj-cli embeds as its default dataset.

Takes the first 6,000 training and the first 1,000 test images (and their labels) from the
original IDX files, unchanged apart from the count in the header, and writes them gzipped with
mtime=0 and no file name so that the same input always gives the same bytes (the files are
committed; a rerun must not produce a spurious diff).

    /usr/bin/python3 make_subset.py [SOURCE_DIR]

SOURCE_DIR defaults to /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist package).
Output goes next to this script.
"""
import gzip
import os
import struct
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
OUT = os.path.dirname(os.path.abspath(__file__))
SPLITS = [("train", 6000), ("t10k", 1000)]


def read(name):
    with gzip.open(os.path.join(SRC, name), "rb") as f:
        return f.read()


def write(name, data):
    # GzipFile with filename="" and mtime=0: the header then carries nothing that varies per run.
    with open(os.path.join(OUT, name), "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(data)


def subset_images(data, n):
    magic, count, rows, cols = struct.unpack(">IIII", data[:16])
    assert magic == 2051 and count >= n, (magic, count)
    return struct.pack(">IIII", magic, n, rows, cols) + data[16:16 + n * rows * cols]


def subset_labels(data, n):
    magic, count = struct.unpack(">II", data[:8])
    assert magic == 2049 and count >= n, (magic, count)
    return struct.pack(">II", magic, n) + data[8:8 + n]


for prefix, n in SPLITS:
    images = prefix + "-images-idx3-ubyte.gz"
    labels = prefix + "-labels-idx1-ubyte.gz"
    write(images, subset_images(read(images), n))
    write(labels, subset_labels(read(labels), n))
    print(prefix, n)
