#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs the kernel JMH benchmarks (GemmBenchmark,
# SmallKernelBenchmark, MemoryLayoutBenchmark) with short settings: about ten minutes on an idle
# two-core machine.
#
# Writes, under benchmarks/results/:
#   NAME.txt    the machine (lscpu, java -version, OPENBLAS_CORETYPE) and a table of every result,
#               with GFLOP/s for the GEMMs and the CPU time other processes took during each run
#   NAME.json   JMH's JSON results, all runs merged into one array
#   NAME.log    JMH's full console output (per-iteration scores), every attempt
#   NAME.parts/ one JSON file and one table line per finished run, for RESUME
# NAME is DATE-kernels unless RESULTS_NAME says otherwise.
#
# Usage: benchmarks/scripts/run-kernels.sh [ENTRY ...]
#   ENTRY is Class[.methodPrefix][:jvmArg], e.g. "Gemm", "SmallKernel.thinj:-Dthinj.cpu.threads=1":
#   the benchmarks of dev.thinj.benchmarks.<Class>Benchmark whose method starts with methodPrefix,
#   in forks given the extra JVM argument. Default: the three classes; the backend's GEMM through
#   JavaCPP's copying float[] call, its fallback when the zero-copy shim is missing
#   (-Dthinj.cpu.noCriticalBlas=true); and the CPU backend's kernels and the raw OpenBLAS GEMMs on
#   one thread (-Dthinj.cpu.threads=1), to show what the backend's parallel split (elementwise pool
#   and OpenBLAS threads) gains or costs.
# Environment:
#   JMH_OPTS          JMH run settings (default: -f 1 -wi 2 -w 1s -i 10 -r 300ms)
#   SKIP_BUILD=1      reuse an existing jar
#   IDLE_WAIT         seconds to wait, before each run, for the machine to go quiet (default 60; 0: don't)
#   NICE              niceness of the JMH processes (default -10; needs root, else runs at 0)
#   INTERFERENCE_MAX  CPU-seconds other processes may use during a run before it is repeated (default 2)
#   TRIES             attempts per run (default 3); the fastest is kept
#   RESUME=1          keep the runs already in NAME.parts/ (an interrupted invocation's, or all but
#                     a new benchmark's) and do the rest; delete a part file to run it again
# Needs java, jq, python3, /usr/bin/time.
#
# Why the care: on two cores one busy neighbour (a Maven build, say) makes OpenBLAS's spinning
# threads wait for each other and a GEMM runs ten to a hundred times slower. So every benchmark and
# parameter value runs as its own short JMH invocation at raised priority (NICE), after the CPUs
# have been nearly idle for 6 s (or IDLE_WAIT has passed), and is repeated when other processes
# took more than INTERFERENCE_MAX CPU-seconds while it ran; the fastest attempt is kept. The table
# gives, per row, those CPU-seconds for the attempt kept and "kept/attempts", and the median and
# fastest iteration beside JMH's mean, which a burst of interference inflates first.
# OPENBLAS_CORETYPE is taken from the environment as it is: every run must use the same one.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

jar=benchmarks/target/benchmarks.jar
results=benchmarks/results
name="${RESULTS_NAME:-$(date +%F)-kernels}"
opts="${JMH_OPTS:--f 1 -wi 2 -w 1s -i 10 -r 300ms}"
idle_wait="${IDLE_WAIT:-60}"
niceness="${NICE:--10}"
max_other="${INTERFERENCE_MAX:-2}"
tries="${TRIES:-3}"
hz="$(getconf CLK_TCK)"
if [ "$#" -gt 0 ]; then
    classes=("$@")
else
    classes=(Gemm "Gemm.thinj:-Dthinj.cpu.noCriticalBlas=true" SmallKernel MemoryLayout
        "SmallKernel.thinj:-Dthinj.cpu.threads=1" "Gemm.openblas:-Dthinj.cpu.threads=1")
fi

# Busy jiffies of the whole machine: user + nice + system + irq + softirq + steal.
busy() {
    awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat
}

# Waits until the machine has used under 10% of one CPU for three 2-second samples in a row.
wait_idle() {
    local waited=0 quiet=0 before after
    [ "$idle_wait" -gt 0 ] || return 0
    while [ "$quiet" -lt 3 ]; do
        if [ "$waited" -ge "$idle_wait" ]; then
            echo "machine still busy after ${idle_wait}s; running anyway" >&2
            return 0
        fi
        before="$(busy)"
        sleep 2
        after="$(busy)"
        waited=$((waited + 2))
        if [ $((after - before)) -lt $((hz * 2 / 10)) ]; then
            quiet=$((quiet + 1))
        else
            quiet=0
        fi
    done
}

# Prints one line per run: "benchmark" or "benchmark param=value" (at most one parameter each).
list_runs() {
    java -jar "$jar" -lp "$1" | awk '
        /^dev\./ { if (b != "" && !p) print b; b = $1; p = 0; next }
        /param "/ {
            n = $2; gsub(/"/, "", n)
            v = $0; sub(/.*= \{/, "", v); sub(/\}.*/, "", v)
            k = split(v, vs, ", ")
            for (i = 1; i <= k; i++) print b, n "=" vs[i]
            p = 1
        }
        END { if (b != "" && !p) print b }'
}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    mvn -q -B package -pl benchmarks -am -DskipTests
fi
# Each finished run leaves its JSON and its line of the table in $parts, named after the benchmark,
# parameter and JVM argument, so that RESUME=1 (same RESULTS_NAME) skips what is done.
parts="$results/$name.parts"
if [ "${RESUME:-0}" != 1 ]; then
    rm -rf "$parts"
fi
mkdir -p "$parts"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

txt="$results/$name.txt"
log="$results/$name.log"
[ "${RESUME:-0}" = 1 ] || : > "$log"
{
    echo "# thinj kernel benchmarks, $(date -u '+%F %T UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "# command: benchmarks/scripts/run-kernels.sh $*"
    echo "# JMH options: $opts (each benchmark and parameter value a separate invocation, nice $niceness)"
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
    echo "nproc=$(nproc)"
} > "$txt"

n=0
for entry in "${classes[@]}"; do
    jvm_arg=""
    if [[ "$entry" == *:* ]]; then
        jvm_arg="${entry#*:}"
        entry="${entry%%:*}"
    fi
    class="${entry%%.*}"
    prefix=""
    [[ "$entry" != *.* ]] || prefix="${entry#*.}"
    jvm_args=()
    [ -z "$jvm_arg" ] || jvm_args=(-jvmArgsAppend "$jvm_arg")
    while read -r bench param; do
        n=$((n + 1))
        key="${bench#dev.thinj.benchmarks.}${param:+_$param}${jvm_arg:+_$jvm_arg}"
        json="$parts/${key//[^A-Za-z0-9._=-]/_}.json"
        echo "$json" >> "$work/order"
        if [ -s "$json" ] && [ -s "${json%.json}.tsv" ]; then
            continue
        fi
        pargs=()
        [ -z "${param:-}" ] || pargs=(-p "$param")
        best=""
        attempt=1
        failures=0
        while [ "$attempt" -le "$tries" ]; do
            wait_idle
            start_busy="$(busy)"
            start_s="$(date +%s)"
            echo "== $bench ${param:-} ${jvm_arg} (attempt $attempt) $(date -u '+%T')" | tee -a "$log"
            rm -f "$work/try.json"
            # shellcheck disable=SC2086  # $opts is a list of JMH options
            if ! /usr/bin/time -o "$work/cpu" -f '%U %S' nice -n "$niceness" \
                java -jar "$jar" $opts "${pargs[@]}" "${jvm_args[@]}" -rf json -rff "$work/try.json" \
                "^${bench//./\\.}\$" < /dev/null >> "$log" 2>&1 || [ ! -s "$work/try.json" ]; then
                # Most often another JMH holds /tmp/jmh.lock: wait for it rather than share the CPUs.
                failures=$((failures + 1))
                echo "   JMH failed (see $log); retrying in 30 s" | tee -a "$log"
                if [ "$failures" -ge 10 ]; then
                    echo "giving up after $failures failures" >&2
                    exit 1
                fi
                sleep 30
                continue
            fi
            wall=$(( $(date +%s) - start_s ))
            total=$(( $(busy) - start_busy ))
            read -r user sys < "$work/cpu"
            other="$(awk -v t="$total" -v hz="$hz" -v u="$user" -v s="$sys" \
                'BEGIN { o = t / hz - u - s; printf "%.1f", o < 0 ? 0 : o }')"
            score="$(jq -r '.[0].primaryMetric | "\(.score) \(.scoreUnit)"' "$work/try.json")"
            echo "   $score; other processes used ${other} CPU-s in ${wall} s" | tee -a "$log"
            # Keep the fastest attempt: interference only ever slows a run down.
            value="${score%% *}"
            if [ -z "$best" ] || awk -v v="$value" -v b="$best" 'BEGIN { exit !(v < b) }'; then
                best="$value"
                best_other="$other"
                kept="$attempt"
                mv "$work/try.json" "$json"
            fi
            if awk -v o="$other" -v m="$max_other" 'BEGIN { exit !(o <= m) }'; then
                break
            fi
            attempt=$((attempt + 1))
        done
        [ "$attempt" -le "$tries" ] || attempt="$tries"
        printf '%s\t%s\t%s\t%s\t%s/%s\n' "$bench" "${param:--}" "${jvm_arg:--}" "$best_other" "$kept" "$attempt" \
            > "${json%.json}.tsv"
    done < <(list_runs "dev\\.thinj\\.benchmarks\\.${class}Benchmark\\.${prefix}")
done

mapfile -t done_parts < "$work/order"
jq -s 'add' "${done_parts[@]}" > "$results/$name.json"
for part in "${done_parts[@]}"; do
    cat "${part%.json}.tsv"
done > "$work/runs.tsv"
{
    echo
    echo "## results"
    python3 benchmarks/scripts/summarize-jmh.py "$results/$name.json" "$work/runs.tsv"
} >> "$txt"
cat "$txt"
echo "wrote $txt, $results/$name.json and $log"
