#!/usr/bin/python3
"""Writes train.csv beside this script: 400 rows of five features drawn uniformly from [-1, 1] and
a target y = sin(pi x1) + x2^2 - 0.5 x3 x4 + 0.3 x5 + noise (Gaussian, sd 0.05), the last column.
Python's standard library only, seeded: rerunning writes the same file.

    /usr/bin/python3 examples/csv-regress/make_data.py
"""
import csv
import math
import os
import random

rng = random.Random(20261205)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "train.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["x1", "x2", "x3", "x4", "x5", "y"])
    for _ in range(400):
        x = [rng.uniform(-1, 1) for _ in range(5)]
        y = math.sin(math.pi * x[0]) + x[1] ** 2 - 0.5 * x[2] * x[3] + 0.3 * x[4] + rng.gauss(0, 0.05)
        w.writerow(["%.4f" % v for v in x] + ["%.4f" % y])
