#!/usr/bin/python3
"""Writes train.csv beside this script: 300 rows of a made-up table, three colour classes as
overlapping Gaussian blobs in four numeric features, the label first and as a string (so the
config names it: label = "color"). Python's standard library only, seeded: rerunning writes the
same file.

    /usr/bin/python3 examples/csv-classify/make_data.py
"""
import csv
import os
import random

rng = random.Random(20261205)
centres = {
    "red": (1.0, 0.0, 0.5, -0.5),
    "green": (-0.5, 1.0, -0.5, 0.0),
    "blue": (0.0, -1.0, 0.0, 1.0),
}
rows = []
for i in range(300):
    color = list(centres)[i % 3]
    rows.append([color] + ["%.3f" % (c + rng.gauss(0, 0.6)) for c in centres[color]])
rng.shuffle(rows)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "train.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["color", "x1", "x2", "x3", "x4"])
    w.writerows(rows)
