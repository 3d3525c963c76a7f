#!/usr/bin/env python3
"""Prints the Markdown tables of nd4j-race.sh from its merged JMH JSON: thinj beside ND4J per kernel
and shape, the fixed cost of a call, and the training step against DL4J.

Usage: summarize-race.py RESULTS.json

Times are the median of the measurement iterations (a burst of load from other processes inflates
JMH's mean first). "other CPU-s" is the CPU time other processes took while that side's invocation
ran (nd4j-race.sh adds it to each result): above a second or so, the pair is suspect.
"""
import json
import math
import statistics
import sys

TO_MICROS = {"s/op": 1e6, "ms/op": 1e3, "us/op": 1.0, "ns/op": 1e-3}
THINJ = "dev.thinj.benchmarks."
ND4J = "dev.thinj.benchmarks.nd4j."
# Which kernels allocate their result on both sides (thinj from its pool, ND4J in a workspace).
ALLOCATING = {"gelu", "layerNorm", "dropoutMask", "argmax", "crossEntropyGrad"}


def median_micros(result):
    metric = result["primaryMetric"]
    iterations = [x for fork in metric.get("rawData", []) for x in fork]
    value = statistics.median(iterations) if iterations else metric["score"]
    return value * TO_MICROS[metric["scoreUnit"]]


def fmt(value, digits=1):
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def main():
    results = json.load(open(sys.argv[1]))
    thinj_kernels, nd4j_kernels = {}, {}
    thinj_fixed, nd4j_fixed = {}, {}
    steps = {}
    order = []
    for r in results:
        name = r["benchmark"]
        params = r.get("params", {})
        value = (median_micros(r), r.get("otherCpuSeconds"))
        method = name.rsplit(".", 1)[1]
        if name.startswith(ND4J + "Nd4jKernelBenchmark."):
            nd4j_kernels[(method, int(params["batch"]), int(params["width"]))] = value
        elif name.startswith(THINJ + "KernelBenchmark."):
            key = (method, int(params["batch"]), int(params["width"]))
            thinj_kernels[(params["backend"],) + key] = value
            if method not in order:
                order.append(method)
        elif name.startswith(ND4J + "Nd4jFixedCostBenchmark."):
            nd4j_fixed[int(params["size"])] = value
        elif name.startswith(THINJ + "FixedCostBenchmark."):
            thinj_fixed[(params["backend"], int(params["size"]))] = value
        elif name.startswith(ND4J + "Dl4jTrainingStepBenchmark."):
            steps["dl4j"] = value
        elif name.startswith(THINJ + "TrainingStepBenchmark."):
            steps["thinj " + params["backend"]] = value
        elif name.startswith(THINJ + "MlpStepBenchmark."):
            steps["kernels"] = value

    print("## Kernels")
    print()
    print("Median µs per call; ratio = thinj ÷ ND4J (below 1: thinj faster). Kernels marked * allocate their "
          "result on both sides (thinj from its pool, closed in the call; ND4J in a workspace).")
    print()
    print("| kernel | batch × width | thinj backend | thinj µs | ND4J µs | ratio | other CPU-s (thinj / ND4J) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    backends = sorted({k[0] for k in thinj_kernels})
    misses, ratios128 = [], []
    for method in order:
        shapes = sorted({(k[2], k[3]) for k in thinj_kernels if k[1] == method})
        for batch, width in shapes:
            nd = nd4j_kernels.get((method, batch, width))
            for backend in backends:
                th = thinj_kernels.get((backend, method, batch, width))
                if th is None:
                    continue
                rt = ratio(th[0], nd[0] if nd else None)
                label = method + (" *" if method in ALLOCATING else "")
                mark = ""
                if rt is not None and batch == 128 and backend == "cpu":
                    ratios128.append(rt)
                    if rt > 1:
                        misses.append(f"{method} {batch}×{width} ({(rt - 1) * 100:.0f}% slower)")
                        mark = " **slower**"
                other = f"{fmt(th[1])} / {fmt(nd[1]) if nd else '—'}"
                print(f"| {label} | {batch} × {width} | {backend} | {fmt(th[0])} | {fmt(nd[0] if nd else None)} | "
                      f"{fmt(rt, 2)}{mark} | {other} |")
    print()
    if ratios128:
        geo = math.exp(sum(math.log(x) for x in ratios128) / len(ratios128))
        print(f"At batch 128 on the CPU backend: {len(ratios128) - len(misses)} of {len(ratios128)} kernel-shape pairs "
              f"no slower than ND4J; geometric mean of the ratios {geo:.2f}.")
        print("Slower: " + ("; ".join(misses) if misses else "none") + ".")
        print()

    print("## Fixed cost of a call (`a += b`)")
    print()
    print("| elements | thinj backend | thinj ns | ND4J ns | ratio |")
    print("| --- | --- | --- | --- | --- |")
    for (backend, size), th in sorted(thinj_fixed.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        nd = nd4j_fixed.get(size)
        print(f"| {size} | {backend} | {fmt(th[0] * 1e3)} | {fmt(nd[0] * 1e3 if nd else None)} | "
              f"{fmt(ratio(th[0], nd[0] if nd else None), 2)} |")
    print()

    print("## Training step (784-512-512-10, batch 128: forward, loss, backward, Adam)")
    print()
    print("| system | µs per step | DL4J ÷ this |")
    print("| --- | --- | --- |")
    dl4j = steps.get("dl4j")
    rows = [(k, "thinj, model layer (`TrainingStepBenchmark`), " + k.split(" ", 1)[1] + " backend")
            for k in sorted(steps) if k.startswith("thinj ")]
    rows.append(("kernels", "thinj, kernels only (`MlpStepBenchmark`, part=step), cpu"))
    rows.append(("dl4j", "DL4J 1.0.0-M2.1 `MultiLayerNetwork.fit`"))
    for key, label in rows:
        if key in steps:
            print(f"| {label} | {fmt(steps[key][0])} | {fmt(ratio(dl4j[0] if dl4j else None, steps[key][0]), 2)} |")


if __name__ == "__main__":
    main()
