#!/usr/bin/env python3
"""Prints JMH JSON results as a table, with GFLOP/s for matrix products.

Usage: summarize-jmh.py RESULTS.json [RUNS.tsv]

RUNS.tsv (written by run-kernels.sh) holds, per benchmark, parameter and extra JVM argument, the
CPU-seconds other processes used during the kept run and the number of attempts. The "jvm" column
shows the run's -Dthinj.* arguments (such as -Dthinj.cpu.threads=1). A product's size is read from a
parameter value ending in _MxNxK (GemmBenchmark's shape) or, for MemoryLayoutBenchmark's sgemm*
methods, is its fixed 128x512x784; GFLOP/s = 2*M*N*K / time, with the median iteration's time
(a burst of load from other processes inflates JMH's mean first).
"""
import json
import re
import statistics
import sys

UNIT_SECONDS = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "ns/op": 1e-9}


def product_size(benchmark, params):
    for value in params.values():
        match = re.search(r"_(\d+)x(\d+)x(\d+)$", value)
        if match:
            return tuple(int(g) for g in match.groups())
    if benchmark.startswith("MemoryLayoutBenchmark.sgemm"):
        return (128, 512, 784)
    return None


def main():
    results = json.load(open(sys.argv[1]))
    runs = {}
    if len(sys.argv) > 2:
        for line in open(sys.argv[2]):
            bench, param, jvm, other, attempts = line.rstrip("\n").split("\t")
            runs[(bench, "" if param == "-" else param, "" if jvm == "-" else jvm)] = (other, attempts)
    rows = [("benchmark", "param", "jvm", "score", "± 99.9%", "median iter", "min iter", "unit", "GFLOP/s (median)", "other CPU-s", "kept/tries")]
    for r in results:
        full = r["benchmark"]
        short = ".".join(full.split(".")[-2:])
        params = r.get("params", {})
        param = ",".join(f"{k}={v}" for k, v in params.items())
        jvm = " ".join(a for a in r.get("jvmArgs", []) if a.startswith("-Dthinj."))
        metric = r["primaryMetric"]
        score, unit = metric["score"], metric["scoreUnit"]
        error = metric.get("scoreError")
        error = float(error) if isinstance(error, (int, float)) else float("nan")
        iterations = [x for fork in metric.get("rawData", []) for x in fork]
        low = min(iterations) if iterations else score
        median = statistics.median(iterations) if iterations else score
        gflops = ""
        size = product_size(short, params)
        if size and unit in UNIT_SECONDS:
            m, n, k = size
            gflops = f"{2.0 * m * n * k / (median * UNIT_SECONDS[unit]) / 1e9:.1f}"
        other, attempts = runs.get((full, param, jvm), ("", ""))
        rows.append((short, param or "-", jvm or "-", f"{score:.3f}", f"{error:.3f}", f"{median:.3f}", f"{low:.3f}", unit, gflops, other, attempts))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) if i < 3 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))


if __name__ == "__main__":
    main()
