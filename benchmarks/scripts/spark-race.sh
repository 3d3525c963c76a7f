#!/usr/bin/env bash
# Spark against a single process on the full Fashion-MNIST MLP (examples/fashion-mnist-mlp.cfg: 784-512-512-10,
# Adam 0.001, batch 128, 60,000 training images), one sitting:
#   1. exactness: one epoch without dropout, single process against Spark sync = "gradients" on one partition
#      (local[1]: the same arithmetic, so the same bits) and on two (local[2]: the shards' gradients summed in
#      another order): the relative differences of the final weights (checkpoint-1/model.bin,
#      benchmarks/scripts/model_diff.py). All with one BLAS thread, so only the partitioning differs. Beside
#      them, the single process whose batches' gradients are grouped as the two partitions group them
#      (ShardedReference, in the spark module's tests: no Spark), which local[2] must equal to the bit, and
#      the single process on two BLAS threads, which shows how far another float summation order alone
#      carries the weights in an epoch;
#   2. speed and accuracy: EPOCHS epochs (dropout 0.2, as the example) single process, Spark "gradients" and
#      Spark "averaging" every K steps: seconds per epoch, the Spark rounds' time split (compute, driver
#      serialisation and update, scheduling and transfer) and the test accuracy.
# Prints the lines and writes them, with the machine and date, to benchmarks/results/DATE-spark-race.md.
#
#   benchmarks/scripts/spark-race.sh [EPOCHS]    # default 2; DATA=dir, MASTER=local[2], K=8
set -uo pipefail
cd "$(dirname "$0")/../.."
epochs="${1:-2}"
data="${DATA:-/usr/share/datasets/fashion-mnist}"
master="${MASTER:-local[2]}"
k="${K:-8}"
cfg=examples/fashion-mnist-mlp.cfg
work="$(mktemp -d -t thinj-spark-race.XXXXXX)"
trap 'rm -rf "$work"' EXIT
[ -d "$data" ] || { echo "no Fashion-MNIST in $data (apt-get install dataset-fashion-mnist, or DATA=dir)" >&2; exit 2; }
{ cat "$cfg"; printf '\n[training.distributed]\nsync = "averaging"\nsteps_per_round = %d\n' "$k"; } > "$work/averaging.cfg"
./thinj train --help --spark > /dev/null  # builds thinj and its spark module first, outside the timings

out="benchmarks/results/$(date +%F)-spark-race.md"
report() { echo "$*" | tee -a "$work/report.md"; }
# run NAME ARGS...: thinj train with the full data, its lines kept in $work/NAME.out
run() {
  local name="$1"
  shift
  echo "== $name" >&2
  ./thinj train "$@" --data "$data" --no-progress --output "$work/$name" > "$work/$name.out" 2>&1 \
    || { echo "$name failed:" >&2; tail -5 "$work/$name.out" >&2; }
  report "### $name"
  report '```'
  report "$(grep -E '^(epoch |spark: |test |thinj: training)' "$work/$name.out")"
  report '```'
}
nodrop=(--model.*.hidden1.dropout 0 --model.*.hidden2.dropout 0 --training.n_epoch 1)
report "# Spark race, $(date +%F), $(nproc) cores, $master, $(java -version 2>&1 | head -1)"
OPENBLAS_NUM_THREADS=1 run single-nodropout "$cfg" "${nodrop[@]}"
run spark-gradients-1-partition "$cfg" "${nodrop[@]}" --spark "local[1]"
run spark-gradients-2-partitions "$cfg" "${nodrop[@]}" --spark "$master"
OPENBLAS_NUM_THREADS=2 run single-nodropout-2-blas-threads "$cfg" "${nodrop[@]}"
# The grouped single-process reference runs from the spark module's test classes.
mvn -q -B -ntp test-compile -pl spark -am >&2
echo "== single-nodropout-grouped-as-2-partitions" >&2
OPENBLAS_NUM_THREADS=1 java -XX:+UseParallelGC \
  -cp "spark/target/test-classes:spark/target/thinj-spark-0.1.0-SNAPSHOT.jar:cli/target/thinj.jar:$(cat spark/target/spark.classpath)" \
  dev.thinj.spark.ShardedReference "$cfg" 2 "$work/grouped-2" "${nodrop[@]}" --data.path "$(cd "$data" && pwd)" \
  > "$work/grouped-2.out" 2>&1 || { echo "grouped reference failed:" >&2; tail -5 "$work/grouped-2.out" >&2; }
weights_diff() { python3 benchmarks/scripts/model_diff.py "$work/$1/checkpoint-1/model.bin" "$work/$2/checkpoint-1/model.bin"; }
report "exactness after one epoch without dropout:"
report "- Spark, 1 partition vs single process: $(weights_diff single-nodropout spark-gradients-1-partition)"
report "- Spark, 2 partitions vs single process: $(weights_diff single-nodropout spark-gradients-2-partitions)"
report "- Spark, 2 partitions vs single process with the batches' gradients grouped as the 2 partitions group them: $(weights_diff grouped-2 spark-gradients-2-partitions)"
report "- control, single process on 2 BLAS threads vs 1 (another summation order, no Spark): $(weights_diff single-nodropout single-nodropout-2-blas-threads)"
run single "$cfg" --training.n_epoch "$epochs"
run spark-gradients "$cfg" --training.n_epoch "$epochs" --spark "$master"
run spark-averaging-k$k "$work/averaging.cfg" --training.n_epoch "$epochs" --spark "$master"
mkdir -p benchmarks/results
cp "$work/report.md" "$out"
echo "written to $out" >&2
