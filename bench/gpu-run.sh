#!/usr/bin/env bash
# gpu-bundle/run.sh (made by bench/gpu-bundle.sh): thinj's CUDA checks on a GPU host with an NVIDIA
# driver and the CUDA 13 libraries but no JDK, Maven or network.
#
#   1. finds the CUDA 13 libraries (libcudart, libcublas, libcublasLt, libnvrtc, libnvrtc-builtins:
#      anywhere, e.g. inside a Python environment's nvidia-* packages; CUDA_LIB_DIRS=DIR:DIR skips the
#      search) and puts them on LD_LIBRARY_PATH
#   2. prints nvidia-smi and the backend table (is "cuda" available, and if not, why)
#   3. runs the GPU tests with the JUnit console launcher: the conformance suite, Thinc's fixtures, the
#      fault tests, and the CPU<->CUDA model tests
#   4. trains the Fashion-MNIST MLP (embedded 6,000/1,000 subset, 10 epochs) with --ops cuda and compares
#      its test accuracy with the CPU's (run here if OpenBLAS is in the bundle, else the accuracy
#      recorded by the bundle script): they must agree within 0.5 points
#   5. runs the CUDA JMH benchmarks briefly (JMH_OPTS to change)
#   6. prints a table of results, also written to $OUT/gpu-results.txt when OUT is set (with the
#      test report, the training logs and JMH's JSON)
# The bundle's Java runtime has no java.desktop (it would put the bundle over its size budget), so
# shim/ holds a MetricsPlot that skips the training plot (training.png); everything else is the cli.
# Without a usable GPU it says why, runs the tests (the GPU ones skip with the reason) and skips 4-5;
# it exits 0 unless a check ran and failed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
java="$here/runtime/bin/java"
out="${OUT:-}"
work="${out:-$(mktemp -d)}"
mkdir -p "$work"
results="$work/gpu-results.txt"
: > "$results"
# The bundle ships libjvm.so gzipped (20 MB -> 7 MB); unpack it in place, or into a copy of the
# runtime when the bundle's folder is read-only.
jvm="$here/runtime/lib/server/libjvm.so"
if [ ! -f "$jvm" ]; then
  if [ -w "$here/runtime/lib/server" ]; then
    gzip -dc "$jvm.gz" > "$jvm.tmp" && mv "$jvm.tmp" "$jvm"
  else
    rm -rf "$work/runtime" && cp -r "$here/runtime" "$work/runtime"
    gzip -dc "$jvm.gz" > "$work/runtime/lib/server/libjvm.so"
    java="$work/runtime/bin/java"
  fi
fi
# Explicit jar lists: the JUnit console launcher does not expand "dir/*" as the java launcher does.
jars() { local f; for f in "$@"; do printf '%s:' "$f"; done; }
cp_main="$here/shim:$(jars "$here"/lib/*.jar)"
cp_main="${cp_main%:}"
cp_tests="$(jars "$here"/tests/*.jar)$cp_main"
jvm_opts=(-Xms1g -Xmx4g "-Dorg.bytedeco.javacpp.cachedir=$work/javacpp-cache"
          "-Dthinj.cuda.cache=$work/kernel-cache")
status=0

say() { echo "$*" | tee -a "$results"; }

# ---- 1. CUDA libraries ---------------------------------------------------------------------------
wanted='libcudart.so.13* libcublas.so.13* libcublasLt.so.13* libnvrtc.so.13* libnvrtc-builtins.so.13*'
if [ -n "${CUDA_LIB_DIRS:-}" ]; then
  dirs=$(echo "$CUDA_LIB_DIRS" | tr ':' '\n')     # given: no search
else
  find_args=()
  for w in $wanted; do find_args+=(-o -name "$w"); done
  # The whole file system (Python environments live anywhere), bounded in time for huge mounts.
  dirs=$(timeout "${FIND_TIMEOUT:-180}" find / \( -path /proc -o -path /sys -o -path /dev -o -path "$here" \
          -o -path "$work" -o -path '*/.javacpp/cache' -o -name javacpp-cache \) -prune -o \( "${find_args[@]:1}" \) -print 2>/dev/null \
         | xargs -r -n1 dirname | sort -u)
fi
for d in $dirs; do
  LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
done
export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}"
say "== thinj GPU bundle, $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname)"
say "CUDA library folders found: $(echo ${dirs:-none})"
for w in $wanted; do
  hit=""
  for d in $dirs; do ls "$d"/$w >/dev/null 2>&1 && hit="$d" && break; done
  say "  ${w%\*}: ${hit:-NOT FOUND}"
done

# ---- 2. device -----------------------------------------------------------------------------------
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi 2>&1 | tee "$work/nvidia-smi.txt"
  gpu=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)
else
  gpu="(no nvidia-smi)"
fi
say "GPU: ${gpu:-none}"
"$java" "${jvm_opts[@]}" -cp "$cp_main" dev.thinj.cli.Main backends 2>&1 | tee "$work/backends.txt"
cuda_line=$(awk '$1 == "cuda"' "$work/backends.txt" | head -1)
if [ "$(echo "$cuda_line" | awk '{print $4}')" != "yes" ]; then
  reason=$(echo "$cuda_line" | awk '{ $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print }')
  say "NO GPU: the cuda backend is unavailable here: ${reason:-the provider is not on the class path}"
  say "Skipped: GPU tests, CPU-vs-CUDA training, CUDA benchmarks."
  # The tests still run: the GPU ones skip with this reason, the provider and cache tests pass.
  "$java" "${jvm_opts[@]}" -jar "$here/tests/junit-platform-console-standalone.jar" execute \
      --class-path "$cp_tests" --select-package dev.thinj.ops.cuda.gpu --details=tree --disable-banner --disable-ansi-colors \
      > "$work/junit.txt" 2>&1
  test_rc=$?
  grep -E '─ [A-Za-z]+Test (✔|↷|✘|■)' "$work/junit.txt" | tee -a "$results"
  grep -E '^\[ +[0-9]+ tests ' "$work/junit.txt" | tee -a "$results"
  exit $(( test_rc == 0 ? 0 : 1 ))
  exit 0
fi

# ---- 3. tests ------------------------------------------------------------------------------------
say "== GPU tests"
"$java" "${jvm_opts[@]}" -jar "$here/tests/junit-platform-console-standalone.jar" execute \
    --class-path "$cp_tests" --scan-class-path "$here/tests/thinj-ops-cuda-0.1.0-SNAPSHOT-tests.jar" \
    --include-classname '^(dev\.thinj\.ops\.cuda\.gpu\..*|.*\.Gpu[A-Za-z]*Test)$' \
    --details=tree --disable-banner --disable-ansi-colors > "$work/junit.txt" 2>&1
test_rc=$?
tail -20 "$work/junit.txt"
tests=$(grep -E '^\[ +[0-9]+ tests (successful|failed|skipped|aborted)' "$work/junit.txt" | tr -s ' ' | tr '\n' ';')
say "GPU tests: ${tests:-see junit.txt} (exit $test_rc)"
[ "$test_rc" -eq 0 ] || status=1

# ---- 4. training -----------------------------------------------------------------------------------
train() {  # $1 = backend
  "$java" "${jvm_opts[@]}" -cp "$cp_main" dev.thinj.cli.Main train "$here/examples/fashion-mnist-mlp.cfg" \
      --ops "$1" --output "$work/train-$1" --no-progress > "$work/train-$1.log" 2>&1
  local rc=$?
  local acc
  acc=$(grep -o 'test accuracy [0-9.]*' "$work/train-$1.log" | tail -1 | awk '{print $3}')
  [ "$rc" -eq 0 ] && [ -n "$acc" ] || { tail -20 "$work/train-$1.log" >&2; acc=""; }
  echo "$acc"
}
say "== training the Fashion-MNIST MLP (10 epochs, embedded subset)"
start=$(date +%s)
acc_cuda=$(train cuda)
secs_cuda=$(( $(date +%s) - start ))
if ls "$here"/lib/openblas-*linux-x86_64.jar >/dev/null 2>&1; then
  start=$(date +%s)
  acc_cpu=$(train cpu)
  cpu_source="trained here in $(( $(date +%s) - start )) s"
else
  acc_cpu=$(awk '/^accuracy/ {print $2}' "$here/cpu-reference.txt" 2>/dev/null)
  cpu_source="recorded by gpu-bundle.sh ($(awk '/^machine/ {$1 = ""; print}' "$here/cpu-reference.txt" 2>/dev/null | sed 's/^ //'))"
fi
if [ -n "$acc_cuda" ] && [ -n "$acc_cpu" ]; then
  diff_pts=$(awk -v a="$acc_cuda" -v b="$acc_cpu" 'BEGIN { d = (a - b) * 100; if (d < 0) d = -d; printf "%.2f", d }')
  verdict=$(awk -v d="$diff_pts" 'BEGIN { print (d <= 0.5 ? "PASS" : "FAIL") }')
  [ "$verdict" = PASS ] || status=1
else
  diff_pts="?"; verdict="FAIL (a run did not finish: see train-*.log)"; status=1
fi
say "test accuracy: cuda ${acc_cuda:-?} (${secs_cuda} s), cpu ${acc_cpu:-?} ($cpu_source): difference $diff_pts points -> $verdict (limit 0.5)"

# ---- 5. benchmarks (the forks inherit this JVM's -D options and LD_LIBRARY_PATH) -------------------------------------------------------------------------------
say "== CUDA JMH benchmarks (${JMH_OPTS:--f 1 -wi 2 -w 1s -i 3 -r 1s})"
# shellcheck disable=SC2086
"$java" "${jvm_opts[@]}" -cp "$cp_main" org.openjdk.jmh.Main CudaKernelBenchmark ${JMH_OPTS:--f 1 -wi 2 -w 1s -i 3 -r 1s} \
    -rf json -rff "$work/jmh.json" > "$work/jmh.log" 2>&1 || status=1
awk '/^Benchmark/ {p = 1} p' "$work/jmh.log" | tee -a "$results"
# JMH exits 0 when a trial's setup throws; its log says so.
if grep -q -E '^(java\.|Caused by: ).*(Exception|Error)|<failure>' "$work/jmh.log"; then
  say "benchmarks: some trials failed: $(grep -m1 -E '^java\..*(Exception|Error)' "$work/jmh.log")"
  status=1
fi

say "== summary: $( [ $status -eq 0 ] && echo "all checks passed" || echo "SOME CHECKS FAILED" ) (files in $work)"
exit $status
