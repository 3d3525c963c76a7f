#!/usr/bin/env bash
# The kernel race: every kernel of thinj's Ops SPI that ND4J has, a whole training step of the
# Fashion-MNIST MLP against DL4J's MultiLayerNetwork, and the fixed cost of one call, thinj beside
# ND4J 1.0.0-M2.1 in one sitting. Writes benchmarks/results/DATE-nd4j.md (a Markdown table of
# kernel, shape, thinj µs, ND4J µs and their ratio, with the machine and date) beside DATE-nd4j.json
# (both sides' JMH results) and DATE-nd4j.log (JMH's console output).
#
# Usage: benchmarks/scripts/nd4j-race.sh
# Environment:
#   BATCHES, WIDTHS   the shapes, comma-separated (default 128 and 512,2048: about 6 minutes on two
#                     cores; BATCHES=32,128,1024 runs the whole grid, about three times as long)
#   KERNELS           the kernels, space-separated (default: all 18 of KernelBenchmark)
#   JMH_OPTS          JMH settings of the kernels and the fixed cost (default -f 1 -wi 1 -w 300ms -i 3 -r 300ms)
#   JMH_STEP_OPTS     JMH settings of the training steps (default -f 1 -wi 3 -w 1s -i 5 -r 1s)
#   BACKENDS          thinj backends, comma-separated (default: every one BackendReport finds available;
#                     cuda shows up on a GPU host)
#   IDLE_WAIT         seconds to wait, before each invocation, for the CPUs to go quiet (default 20; 0: don't)
#   INTERFERENCE_MAX  CPU-seconds other processes may use during an invocation before it is run again
#                     (default 1.5); TRIES attempts at most (default 2), the fastest kept
#   SKIP_BUILD=1      reuse the built jars
#   RESULTS_NAME      file name stem under benchmarks/results (default DATE-nd4j)
# The two sides run on separate class paths (ND4J needs JavaCPP 1.5.7, thinj 1.5.13):
# benchmarks/target/benchmarks.jar and benchmarks-nd4j/target/benchmarks-nd4j.jar, one JMH invocation
# per kernel and side, thinj then ND4J, so a burst of load from elsewhere hits one kernel's pair, not
# one side. ND4J runs with OMP_WAIT_POLICY=PASSIVE (its OpenMP threads otherwise spin against
# OpenBLAS's on two cores); OPENBLAS_CORETYPE is passed through as it is (Haswell when unset), the
# same for both. The machine may be shared: each invocation waits for quiet CPUs first and is repeated
# when other processes took more than INTERFERENCE_MAX CPU-seconds meanwhile (the table shows, per row,
# what they took in the attempt kept). Needs java, jq, python3.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-Haswell}"
batches="${BATCHES:-128}"
widths="${WIDTHS:-512,2048}"
opts="${JMH_OPTS:--f 1 -wi 1 -w 300ms -i 3 -r 300ms}"
step_opts="${JMH_STEP_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s}"
kernels="${KERNELS:-gemmNN gemmNT gemmTN gemmTT biasAdd relu reluBackward softmax sigmoid tanh gelu layerNorm dropoutMask rowSum argmax adam sgd crossEntropyGrad}"
name="${RESULTS_NAME:-$(date +%F)-nd4j}"
results=benchmarks/results
thinj_jar=benchmarks/target/benchmarks.jar
nd4j_jar=benchmarks-nd4j/target/benchmarks-nd4j.jar
hz="$(getconf CLK_TCK)"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    mvn -q -B -ntp package -pl benchmarks,benchmarks-nd4j -am -DskipTests
fi
for jar in "$thinj_jar" "$nd4j_jar"; do
    [ -f "$jar" ] || { echo "missing $jar (build with: mvn -B package -pl benchmarks,benchmarks-nd4j -am -DskipTests)" >&2; exit 2; }
done

work="$(mktemp -d -t thinj-nd4j-race.XXXXXX)"
trap 'rm -rf "$work"' EXIT
log="$results/$name.log"
: > "$log"
mkdir -p "$work/parts"

# What each side runs on, printed once: thinj's backends and OpenBLAS, ND4J's backend, threads and BLAS
# (with a product checked against its known value: the native code really runs).
java -cp "$thinj_jar" dev.thinj.benchmarks.BackendReport > "$work/thinj-report" 2>> "$log"
OMP_WAIT_POLICY=PASSIVE java -cp "$nd4j_jar" dev.thinj.benchmarks.nd4j.Nd4jReport 2>> "$log" | grep -v '^SLF4J' > "$work/nd4j-report"
cat "$work/thinj-report" "$work/nd4j-report"
if [ -z "${BACKENDS:-}" ]; then
    BACKENDS="$(awk '$1 == "backend" && $3 == "available:" {print $2}' "$work/thinj-report" | sort | paste -sd, -)"
fi
[ -n "$BACKENDS" ] || { echo "no thinj backend is available (see $log)" >&2; exit 1; }

idle_wait="${IDLE_WAIT:-20}"
max_other="${INTERFERENCE_MAX:-1.5}"
tries="${TRIES:-2}"

busy() {
    awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat
}

# Waits (at most IDLE_WAIT seconds) until the CPUs have been under 10% busy for two 1-second samples.
wait_idle() {
    local waited=0 quiet=0 before
    while [ "$quiet" -lt 2 ] && [ "$waited" -lt "$idle_wait" ]; do
        before="$(busy)"
        sleep 1
        waited=$((waited + 1))
        if [ $(( $(busy) - before )) -lt $((hz / 10)) ]; then quiet=$((quiet + 1)); else quiet=0; fi
    done
}

n=0
# jmh SIDE LABEL JAR REGEX JMH-ARGS...: one JMH invocation, repeated (TRIES at most) while other processes
# took more than INTERFERENCE_MAX CPU-seconds during it; the attempt with the lowest total score is kept,
# its JSON in parts/ and those CPU-seconds in parts/*.other
jmh() {
    local side="$1" label="$2" jar="$3" regex="$4"
    shift 4
    n=$((n + 1))
    local json="$work/parts/$(printf %03d "$n")-$side-$label.json"
    local env=()
    [ "$side" = thinj ] || env=(env OMP_WAIT_POLICY=PASSIVE)
    local attempt before total user sys other score best=""
    for attempt in $(seq 1 "$tries"); do
        wait_idle
        echo "== $side $label (attempt $attempt) $(date -u +%T)" | tee -a "$log" >&2
        before="$(busy)"
        rm -f "$work/try.json"
        if ! /usr/bin/time -o "$work/cpu" -f '%U %S' "${env[@]}" java -jar "$jar" "$regex" "$@" -rf json \
                -rff "$work/try.json" < /dev/null >> "$log" 2>&1 || [ ! -s "$work/try.json" ]; then
            echo "   JMH failed for $side $label (see $log)" | tee -a "$log" >&2
            continue
        fi
        total=$(( $(busy) - before ))
        read -r user sys < "$work/cpu"
        other="$(awk -v t="$total" -v hz="$hz" -v u="$user" -v s="$sys" \
            'BEGIN { o = t / hz - u - s; printf "%.1f", o < 0 ? 0 : o }')"
        score="$(jq '[.[].primaryMetric.score] | add' "$work/try.json")"
        echo "   other processes used $other CPU-s" | tee -a "$log" >&2
        if [ -z "$best" ] || awk -v v="$score" -v b="$best" 'BEGIN { exit !(v < b) }'; then
            best="$score"
            mv "$work/try.json" "$json"
            echo "$other" > "${json%.json}.other"
        fi
        awk -v o="$other" -v m="$max_other" 'BEGIN { exit !(o <= m) }' && break
    done
    return 0
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u '+%F %T UTC')"
# shellcheck disable=SC2086  # $opts and $step_opts are lists of JMH options
for k in $kernels; do
    jmh thinj "$k" "$thinj_jar" "^dev\\.thinj\\.benchmarks\\.KernelBenchmark\\.$k\$" $opts \
        -p "backend=$BACKENDS" -p "batch=$batches" -p "width=$widths"
    jmh nd4j "$k" "$nd4j_jar" "^dev\\.thinj\\.benchmarks\\.nd4j\\.Nd4jKernelBenchmark\\.$k\$" $opts \
        -p "batch=$batches" -p "width=$widths"
done
jmh thinj fixedCost "$thinj_jar" '^dev\.thinj\.benchmarks\.FixedCostBenchmark\.addInPlace$' $opts -p "backend=$BACKENDS"
jmh nd4j fixedCost "$nd4j_jar" '^dev\.thinj\.benchmarks\.nd4j\.Nd4jFixedCostBenchmark\.addInPlace$' $opts
jmh thinj step "$thinj_jar" '^dev\.thinj\.benchmarks\.TrainingStepBenchmark\.step$' $step_opts -p "backend=$BACKENDS"
jmh thinj kernelStep "$thinj_jar" '^dev\.thinj\.benchmarks\.MlpStepBenchmark\.run$' $step_opts -p part=step
jmh nd4j step "$nd4j_jar" '^dev\.thinj\.benchmarks\.nd4j\.Dl4jTrainingStepBenchmark\.step$' $step_opts
finished="$(date -u '+%F %T UTC')"

shopt -s nullglob
parts=("$work"/parts/*.json)
[ "${#parts[@]}" -gt 0 ] || { echo "no benchmark finished (see $log)" >&2; exit 1; }
# Each result carries the CPU-seconds other processes took during its invocation.
for p in "${parts[@]}"; do
    jq --argjson other "$(cat "${p%.json}.other")" 'map(. + {otherCpuSeconds: $other})' "$p"
done | jq -s 'add' > "$results/$name.json"

{
    echo "# thinj against ND4J 1.0.0-M2.1 and DL4J, $(date +%F)"
    echo
    echo "Machine: $(lscpu | awk -F': +' '/^Model name/ {print $2; exit}'), $(nproc) cores" \
        "($(lscpu | awk -F': +' '/^Thread\(s\) per core/ {print $2; exit}') thread(s) per core)," \
        "$(free -g | awk '/Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -1);" \
        "OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE; ND4J with OMP_WAIT_POLICY=PASSIVE."
    echo "Ran $started to $finished, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown);" \
        "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Command: \`benchmarks/scripts/nd4j-race.sh\` (BATCHES=$batches WIDTHS=$widths; JMH $opts; steps: JMH $step_opts)."
    echo
    echo "thinj:"
    sed 's/^/    /' "$work/thinj-report"
    echo "ND4J:"
    sed 's/^/    /' "$work/nd4j-report"
    echo
    python3 benchmarks/scripts/summarize-race.py "$results/$name.json"
} > "$results/$name.md"
cat "$results/$name.md"
echo "wrote $results/$name.md, $results/$name.json and $log" >&2
