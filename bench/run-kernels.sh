#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs the kernel JMH benchmarks (GemmBenchmark,
# SmallKernelBenchmark, MemoryLayoutBenchmark) with short settings, about five minutes on two cores.
#
# Writes, under bench/results/:
#   DATE-kernels.txt   the machine (lscpu, java -version, OPENBLAS_CORETYPE) and JMH's text report
#   DATE-kernels.json  JMH's JSON result
#
# Usage: bench/run-kernels.sh [JMH benchmark regex ...]   (default: all three classes)
# Environment: JMH_OPTS overrides the run settings (default below); RESULTS_NAME overrides
# "DATE-kernels"; SKIP_BUILD=1 reuses an existing jar. Run on an otherwise idle machine.
# OPENBLAS_CORETYPE is taken from the environment as it is: every run must use the same one.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

jar=benchmarks/target/benchmarks.jar
results=bench/results
name="${RESULTS_NAME:-$(date +%F)-kernels}"
opts="${JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s}"
if [ "$#" -gt 0 ]; then
    patterns=("$@")
else
    patterns=('dev\.thinj\.benchmarks\.(Gemm|SmallKernel|MemoryLayout)Benchmark\.')
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    mvn -q -B package -pl benchmarks -am -DskipTests
fi
mkdir -p "$results"

txt="$results/$name.txt"
{
    echo "# thinj kernel benchmarks, $(date -u '+%F %T UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "# command: bench/run-kernels.sh $* (JMH options: $opts)"
    echo
    echo "## lscpu | head -20"
    lscpu | head -20
    echo
    echo "## java -version"
    java -version 2>&1
    echo
    echo "## environment"
    echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-<unset>}"
    echo "OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS-<unset>} OMP_NUM_THREADS=${OMP_NUM_THREADS-<unset>}"
    echo "nproc=$(nproc)  load average:$(uptime | sed 's/.*load average://')"
    echo
    echo "## JMH"
} > "$txt"

# shellcheck disable=SC2086  # $opts is a list of JMH options
java -jar "$jar" $opts -rf json -rff "$results/$name.json" "${patterns[@]}" 2>&1 | tee -a "$txt"

echo "wrote $txt and $results/$name.json"
