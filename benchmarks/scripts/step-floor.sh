#!/usr/bin/env bash
# The step against its floor (issue 17's second target): MlpStepBenchmark's training step beside the
# summed time of the same step's eight matrix products through OpenBLAS alone
# (GemmBenchmark.openblas, OpenBLAS on its own threads), in one JMH run, repeated ROUNDS times so
# that the ratio's spread over a sitting shows (two-core VM timings drift by 15-25% between minutes).
# Also reports the step's allocation (-prof gc). Prints a Markdown table and writes it, with the
# machine and date, to benchmarks/results/DATE-step-floor.md.
#
#   benchmarks/scripts/step-floor.sh [ROUNDS]    # default 3; about 80 s a round; SKIP_BUILD=1 reuses the jar
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
jar=benchmarks/target/benchmarks.jar
[ -n "${SKIP_BUILD:-}" ] && [ -f "$jar" ] || mvn -q -B -ntp package -pl benchmarks -am -DskipTests
work="$(mktemp -d -t thinj-floor.XXXXXX)"
trap 'rm -rf "$work"' EXIT
shapes="fwd1_128x512x784,fwd2_128x512x512,fwd3_128x10x512,bwdDw3_10x512x128,bwdDx3_128x512x10"
shapes="$shapes,bwdDw2_512x512x128,bwdDx2_128x512x512,bwdDw_512x784x128"
for r in $(seq 1 "$rounds"); do
  echo "== round $r of $rounds" >&2
  java -jar "$jar" 'GemmBenchmark.openblas|MlpStepBenchmark' -p part=step -p shape="$shapes" \
    -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc -rf json -rff "$work/round-$r.json" > "$work/round-$r.log" 2>&1 \
    || { tail -20 "$work/round-$r.log" >&2; exit 1; }
done
out="benchmarks/results/$(date +%F)-step-floor.md"
n=2
while [ -e "$out" ]; do
  out="benchmarks/results/$(date +%F)-step-floor-$n.md"
  n=$((n + 1))
done
{
  echo "# Step against its GEMM floor, $(date +%F)"
  echo
  echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores;" \
    "$(java -version 2>&1 | head -1); OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}."
  echo "Command: benchmarks/scripts/step-floor.sh $rounds (each round one JMH run: -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc)"
  echo
  /usr/bin/python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
print("| round | OpenBLAS's 8 products, summed (us) | step (us) | step / products | step allocation (B) |")
print("| --- | --- | --- | --- | --- |")
ratios = []
for r in range(1, rounds + 1):
    results = json.load(open(f"{work}/round-{r}.json"))
    gemm = step = alloc = None
    total = 0.0
    for res in results:
        median = statistics.median(x for fork in res["primaryMetric"]["rawData"] for x in fork)
        if res["benchmark"].endswith("GemmBenchmark.openblas"):
            total += median
        elif res["benchmark"].endswith("MlpStepBenchmark.run"):
            step = median
            alloc = res["secondaryMetrics"]["gc.alloc.rate.norm"]["score"]
    ratios.append(step / total)
    print(f"| {r} | {total:,.0f} | {step:,.0f} | {step / total:.2f} | {alloc:,.0f} |")
print()
print(f"Median ratio {statistics.median(ratios):.2f} (range {min(ratios):.2f}-{max(ratios):.2f}); "
      "times are each benchmark's median iteration.")
PY
} | tee "$out"
echo "(written to $out)" >&2
