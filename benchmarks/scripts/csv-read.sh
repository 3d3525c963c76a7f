#!/usr/bin/env bash
# Times reading a ~100 MB CSV through the csv.v1 dataset function (train module's CsvReadBenchmark),
# written once to /tmp with NumPy: KIND=pixels (default) is Fashion-MNIST-shaped text, a "label" column
# then 784 columns of integers 0..255, 36,000 rows; KIND=floats is a "label" column then 100 columns
# of floats with 7 significant digits, 106,000 rows. Prints seconds, MB/s and the bytes allocated, for
# csv.v1 and for the obvious String-per-field reader beside it.
#
#   benchmarks/scripts/csv-read.sh [REPEATS]      # default 3; KIND=pixels|floats; CSV=path to time
#                                                 # another file (its label column: LABEL=name)
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats="${1:-3}"
kind="${KIND:-pixels}"
case "$kind" in pixels|floats) ;; *) echo "KIND must be pixels or floats, got $kind" >&2; exit 2 ;; esac
csv="${CSV:-/tmp/thinj-csv-read-100mb-$kind.csv}"
label="${LABEL:-label}"
work="$(mktemp -d -t thinj-csv-read.XXXXXX)"
trap 'rm -rf "$work"' EXIT

if [ ! -f "$csv" ]; then
  echo "writing $csv ..." >&2
  /usr/bin/python3 - "$csv" "$kind" <<'PY'
import sys
import numpy as np
rng = np.random.default_rng(0)
pixels = sys.argv[2] == "pixels"
rows, cols = (36_000, 784) if pixels else (106_000, 100)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("label," + ",".join("x%d" % i for i in range(cols)) + "\n")
    for start in range(0, rows, 1000):
        labels = rng.integers(0, 10, (1000, 1))
        if pixels:
            np.savetxt(f, np.concatenate([labels, rng.integers(0, 256, (1000, cols))], axis=1), fmt="%d", delimiter=",")
        else:
            x = rng.normal(0, 100, (1000, cols))
            for i in range(1000):
                f.write("%d,%s\n" % (labels[i, 0], ",".join("%.7g" % v for v in x[i])))
PY
  mv "$csv.tmp" "$csv"
fi

echo "building the train module's test classes ..." >&2
mvn -q -B -ntp -pl train -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/cp.txt" >&2
cp="train/target/classes:train/target/test-classes:$(cat "$work/cp.txt")"
java -Xmx3g -XX:+UseParallelGC -cp "$cp" dev.thinj.train.data.csv.CsvReadBenchmark "$csv" "$repeats" "$label"
