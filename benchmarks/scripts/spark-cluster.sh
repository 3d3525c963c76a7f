#!/usr/bin/env bash
# A real Spark standalone cluster on this machine — a master, a worker and its executor, each its own JVM,
# talking over the loopback network, built from the spark module's jars (no Spark distribution needed) —
# and the same training three ways: `./thinj train --spark spark://127.0.0.1:PORT` (the CLI as driver, its
# jars shipped to the executor), `spark-submit` of spark/target/thinj-spark-submit.jar (client mode; `--spark`
# alone takes spark-submit's master), and
# embedded `local[2]`. The cluster's worker offers 2 cores, so all three cut 2 partitions and must end in
# the same weights to the bit (benchmarks/scripts/model_diff.py on checkpoint-EPOCHS/model.bin).
# Prints the lines and writes them to benchmarks/results/DATE-spark-cluster.md.
#
#   benchmarks/scripts/spark-cluster.sh [EPOCHS]    # default 2; DATA=dir (default: the embedded subset)
set -uo pipefail
cd "$(dirname "$0")/../.."
epochs="${1:-2}"
cfg=examples/fashion-mnist-mlp.cfg
port="${PORT:-17077}"
work="$(mktemp -d -t thinj-spark-cluster.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
data_args=()
[ -n "${DATA:-}" ] && data_args=(--data "$DATA")

./thinj train --help --spark > /dev/null 2>&1  # builds thinj, its spark module and spark/target/spark.classpath
mvn -q -B -ntp -P submit -DskipTests -pl spark -am package >&2 || { echo "building the submit jar failed" >&2; exit 1; }
# SPARK_HOME/jars is what a worker puts on its executors' class path: Spark and Jackson, nothing of thinj.
mkdir -p "$work/home/jars" "$work/worker"
tr ':' '\n' < spark/target/spark.classpath | while read -r j; do ln -s "$j" "$work/home/jars/"; done
# (-am writes the file once per module; the spark module's, last, is the one Spark's jars go with)
mvn -q -B -ntp dependency:build-classpath -pl spark -am -Dmdep.includeGroupIds=com.fasterxml.jackson.core \
  -Dmdep.outputFile="$work/jackson.classpath" >&2
tr ':' '\n' < "$work/jackson.classpath" | while read -r j; do ln -sf "$j" "$work/home/jars/"; done
export SPARK_HOME="$work/home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
cp="$work/home/jars/*"
java -Xmx512m -cp "$cp" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port 0 \
  > "$work/master.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do grep -q "New state: ALIVE" "$work/master.log" && break; sleep 1; done
java -Xmx512m -cp "$cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 2 --memory 4g \
  --work-dir "$work/worker" --webui-port 0 "spark://127.0.0.1:$port" > "$work/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do grep -q "Successfully registered with master" "$work/worker.log" && break; sleep 1; done
grep -q "Successfully registered with master" "$work/worker.log" \
  || { echo "the worker did not register:" >&2; tail -5 "$work/worker.log" >&2; exit 1; }

out="benchmarks/results/$(date +%F)-spark-cluster.md"
report() { echo "$*" | tee -a "$work/report.md"; }
report "# Spark standalone cluster on loopback, $(date +%F), $(nproc) cores, $(java -version 2>&1 | head -1)"
# run NAME COMMAND...: its epoch lines into the report
run() {
  local name="$1"
  shift
  echo "== $name" >&2
  "$@" > "$work/$name.out" 2>&1 || { echo "$name failed:" >&2; grep -v '^\s*at ' "$work/$name.out" | tail -5 >&2; }
  report "### $name"
  report '```'
  report "$(grep -E '^(epoch |spark: |test |thinj: training)' "$work/$name.out")"
  report '```'
}
train=(train "$cfg" --training.n_epoch "$epochs" --no-progress "${data_args[@]}")
run cli-on-cluster ./thinj "${train[@]}" --spark "spark://127.0.0.1:$port" --output "$work/cli-on-cluster"
run spark-submit java -cp "$cp" org.apache.spark.deploy.SparkSubmit --master "spark://127.0.0.1:$port" \
  --deploy-mode client spark/target/thinj-spark-submit.jar "${train[@]}" --output "$work/spark-submit" --spark
run embedded ./thinj "${train[@]}" --spark "local[2]" --output "$work/embedded"
for r in cli-on-cluster spark-submit; do
  report "$r vs embedded local[2]: $(python3 benchmarks/scripts/model_diff.py \
    "$work/embedded/checkpoint-$epochs/model.bin" "$work/$r/checkpoint-$epochs/model.bin")"
done
report "executors launched by the worker: $(ls "$work/worker"/*/ 2>/dev/null | grep -c '^[0-9]')"
mkdir -p benchmarks/results
cp "$work/report.md" "$out"
echo "written to $out" >&2
