#!/usr/bin/env bash
# Shows that `thinj predict` streams: trains the csv-classify example briefly, writes a large CSV of
# its four feature columns (default ~1 GB, written once to /tmp), and predicts every row to a CSV
# with the JVM heap capped at 128 MB, reporting wall time, rows per second and peak RSS
# (/usr/bin/time -v). A predictor that held the file would fail with OutOfMemoryError at this cap.
#
#   benchmarks/scripts/predict-stream.sh [MB]      # default 1000
set -euo pipefail
cd "$(dirname "$0")/../.."
mb="${1:-1000}"
csv="/tmp/thinj-predict-${mb}mb.csv"
work="$(mktemp -d -t thinj-predict.XXXXXX)"
trap 'rm -rf "$work"' EXIT

if [ ! -f "$csv" ]; then
  echo "writing $csv ..." >&2
  /usr/bin/python3 - "$csv" "$mb" <<'PY'
import sys
import numpy as np
rng = np.random.default_rng(0)
target = int(sys.argv[2]) * 1_000_000
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("x1,x2,x3,x4\n")
    while f.tell() < target:
        np.savetxt(f, rng.normal(0, 1.5, (100_000, 4)), fmt="%.3f", delimiter=",")
PY
  mv "$csv.tmp" "$csv"
fi
rows=$(($(wc -l < "$csv") - 1))
size=$(du -m "$csv" | cut -f1)

./thinj train examples/csv-classify/csv-classify.cfg --output "$work/run" --no-progress --training.n_epoch 5 >/dev/null
THINJ_JAVA_OPTS="-Xmx128m -XX:+UseParallelGC" /usr/bin/time -v -o "$work/time" \
    ./thinj predict "$work/run/model-best.bin" "$csv" --output "$work/predictions.csv"
out_rows=$(($(wc -l < "$work/predictions.csv") - 1))
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s}' "$work/time")
rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time")
echo "input: $csv, $size MB, $rows rows; predicted $out_rows rows"
echo "wall $wall s ($(awk -v r="$rows" -v s="$wall" 'BEGIN {printf "%.0f", r / s}') rows/s, $(awk -v m="$size" -v s="$wall" 'BEGIN {printf "%.0f", m / s}') MB/s), peak RSS $rss MB, heap capped at 128 MB"
