#!/usr/bin/env bash
# gpu-bundle/run.sh (build.sh copies it into gpu-bundle/target/): thinj's CUDA checks on a GPU host with an NVIDIA
# driver and the CUDA 13 libraries but no JDK, Maven or network, within RUN_BUDGET_S seconds of wall
# time (default 450; each stage is cut short rather than overrun it).
#
#   1. finds the CUDA 13 libraries (libcudart, libcublas, libcublasLt, libnvrtc, libnvrtc-builtins:
#      first in the Python environments' nvidia-* packages and the usual folders, then anywhere;
#      CUDA_LIB_DIRS=DIR:DIR skips the search), puts them on LD_LIBRARY_PATH, and says where the
#      driver's libcuda.so.1 resolves from (ldconfig -p, /usr/local/nvidia/lib64, LD_LIBRARY_PATH)
#   2. nvidia-smi and the backend table (is "cuda" available, and if not, why)
#   3. the class path check: every class the bundle's code refers to is in the bundle
#   4. the GPU tests with the JUnit console launcher (the conformance suite, Thinc's fixtures, the fault
#      tests, the CPU<->CUDA model tests, the real NVRTC), with an XML report that keeps failure traces
#   5. trains the Fashion-MNIST MLP (embedded 6,000/1,000 subset, examples/epochs epochs) with --ops
#      cuda, and with --ops cpu if OpenBLAS is in the bundle
#   6. the accuracy checks (GpuAgreement): the CUDA run's model on the GPU against the exact evaluation
#      of its weights, and the two runs against each other by McNemar's test (the CPU run from step 5,
#      else the one the bundle carries in reference/); no fixed number of points
#   7. the CUDA JMH benchmarks, briefly (JMH_OPTS to change)
#   8. prints the results table and copies the result files into $OUT
# Without a usable GPU it says why, runs 1-4 (the GPU tests skip, each with the reason), checks the CPU
# backend against the exact evaluation of the bundle's reference model (6), and skips 5 and 7.
# It exits 0 unless a check ran and failed (or ran out of time).
#
# Work (JavaCPP's cache, the kernel cache, training folders, logs) goes into a temporary folder
# (under TMPDIR), removed at the end unless KEEP_WORK=1. $OUT gets at most these 8 files, each cut to
# under 16 MiB (a lent machine returns no more): results.txt (the table, also printed), junit-report.xml,
# jmh.json, train-cuda.log, train-cpu.log, nvidia-smi.txt, backends.txt, details.log (the test tree,
# the class path check, the agreement output and JMH's log).
# The bundle's Java runtime has no java.desktop (it would put the bundle over its size budget), so
# shim/ holds a MetricsPlot that skips the training plot (training.png); everything else is the cli.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# Run as gpu-bundle/run.sh (the source beside build.sh): the built bundle is gpu-bundle/target/.
if [ ! -d "$here/runtime" ] && [ -x "$here/target/run.sh" ]; then
  exec "$here/target/run.sh" "$@"
fi
if [ ! -d "$here/runtime" ]; then
  echo "run.sh: no built bundle beside it or in $here/target: run bash gpu-bundle/build.sh first" >&2
  exit 2
fi
t0=$(date +%s)
budget="${RUN_BUDGET_S:-450}"
out="${OUT:-}"
work="$(mktemp -d "${TMPDIR:-/tmp}/thinj-gpu.XXXXXX")"
cleanup() { [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT
results="$work/results.txt"
details="$work/details.log"
: > "$results"
: > "$details"
status=0

say() { echo "$*" | tee -a "$results"; }
# detail TITLE FILE: appends FILE to details.log (its first and last 2 MiB if larger)
detail() {
  {
    echo "===== $1"
    if [ -f "$2" ]; then
      local size
      size=$(stat -c %s "$2")
      if [ "$size" -gt 4194304 ]; then
        head -c 2097152 "$2"; echo; echo "... ($size bytes; the middle left out) ..."; tail -c 2097152 "$2"
      else
        cat "$2"
      fi
    else
      echo "(none)"
    fi
    echo
  } >> "$details"
}
# limit CAP: seconds the next stage may run: CAP, or what the budget leaves after a reserve for the report
limit() {
  local left=$(( t0 + budget - $(date +%s) - 20 ))
  [ "$left" -lt "$1" ] && echo "$left" || echo "$1"
}
# stage NAME CAP: sets t, the stage's time limit, or 0 (and a failure noted) when the budget is spent
stage() {
  t=$(limit "$2")
  if [ "$t" -lt 15 ]; then
    say "$1: NOT RUN, the time budget (RUN_BUDGET_S=$budget) is spent"
    status=1
    t=0
  fi
}
timed_out() { [ "$1" -eq 124 ] || [ "$1" -eq 137 ]; }

# The bundle ships libjvm.so gzipped (20 MB -> 7 MB); it is unpacked into a copy of the runtime in the
# work folder, so the bundle stays as built (and small enough to carry) and may be read-only.
if [ -f "$here/runtime/lib/server/libjvm.so" ]; then
  java="$here/runtime/bin/java"
else
  cp -r "$here/runtime" "$work/runtime"
  gzip -dc "$here/runtime/lib/server/libjvm.so.gz" > "$work/runtime/lib/server/libjvm.so"
  rm -f "$work/runtime/lib/server/libjvm.so.gz"
  java="$work/runtime/bin/java"
fi
# Explicit jar lists: the JUnit console launcher does not expand "dir/*" as the java launcher does.
jars() { local f; for f in "$@"; do printf '%s:' "$f"; done; }
cp_main="$here/shim:$(jars "$here"/lib/*.jar)"
cp_main="${cp_main%:}"
cp_tests="$(jars "$here"/tests/*.jar)$cp_main"
cp_tools="$cp_tests:$here/check"
cuda_tests=$(ls "$here"/tests/thinj-ops-cuda-*-tests.jar 2>/dev/null | head -1)
api_tests=$(ls "$here"/tests/thinj-ops-api-*-tests.jar 2>/dev/null | head -1)
epochs=$(cat "$here/examples/epochs" 2>/dev/null || echo 3)
jvm_opts=(-Xms1g -Xmx4g "-Dorg.bytedeco.javacpp.cachedir=$work/javacpp-cache" "-Dthinj.cuda.cache=$work/kernel-cache")
# The tests, the training runs and the accuracy checks compare float32 GEMM: an environment that forces
# TF32 on (NVIDIA_TF32_OVERRIDE=1) would break their error model, so they run with it off; the
# benchmarks measure TF32 where they ask for it.
fp32=(env NVIDIA_TF32_OVERRIDE=0)

say "== thinj GPU bundle, $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname), budget ${budget} s"

# ---- 1. CUDA libraries and the driver ------------------------------------------------------------
wanted='libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libnvrtc.so.13 libnvrtc-builtins.so.13.*'
find_args=()
for w in $wanted; do find_args+=(-o -name "$w"); done
find_args=("${find_args[@]:1}")
missing_from() {  # missing_from DIRS: the wanted names none of DIRS holds
  local w d hit miss=""
  for w in $wanted; do
    hit=""
    for d in $1; do ls "$d"/$w >/dev/null 2>&1 && hit=1 && break; done
    [ -n "$hit" ] || miss="$miss $w"
  done
  echo "$miss"
}
if [ -n "${CUDA_LIB_DIRS:-}" ]; then
  dirs=$(echo "$CUDA_LIB_DIRS" | tr ':' '\n')     # given: no search
  how="CUDA_LIB_DIRS"
else
  # Python environments first (PyTorch's nvidia-* wheels put them in site-packages/nvidia/*/lib).
  roots=""
  for py in python3 python; do
    command -v "$py" >/dev/null 2>&1 || continue
    roots="$roots $(timeout 20 "$py" -c 'import site, sys; print(" ".join(site.getsitepackages() + [site.getusersitepackages()] + sys.path))' 2>/dev/null)"
  done
  for d in /usr/local/cuda* /usr/local/lib /usr/lib/x86_64-linux-gnu /usr/lib64 /opt "${CONDA_PREFIX:-}" "${HOME:-/root}/.local"; do
    roots="$roots $d"
  done
  existing=""
  for d in $roots; do [ -d "$d" ] && existing="$existing $d"; done
  dirs=""
  if [ -n "$existing" ]; then
    # shellcheck disable=SC2086
    dirs=$(timeout 60 find $existing -maxdepth 8 \( "${find_args[@]}" \) -print 2>/dev/null | xargs -r -n1 dirname | sort -u)
  fi
  how="Python environments and the usual folders"
  if [ -n "$(missing_from "$dirs")" ]; then
    # Then the whole file system (environments live anywhere), bounded in time for huge mounts.
    # (Not JavaCPP's caches: those hold Bytedeco's copies, found by Bytedeco itself.)
    dirs=$( { echo "$dirs"; timeout "${FIND_TIMEOUT:-90}" find / \( -path /proc -o -path /sys -o -path /dev \
              -o -path "$here" -o -path "$work" -o -name '*javacpp*' \) -prune -o \( "${find_args[@]}" \) -print 2>/dev/null \
              | xargs -r -n1 dirname; } | grep -v '^$' | sort -u)
    how="$how, then the whole file system"
  fi
fi
for d in $dirs; do
  LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
done
say "CUDA 13 library folders ($how): $(echo ${dirs:-none})"
for w in $wanted; do
  hit=""
  for d in $dirs; do ls "$d"/$w >/dev/null 2>&1 && hit="$(ls "$d"/$w | head -1)" && break; done
  say "  ${w/\*/<minor>}: ${hit:-NOT FOUND}"
done
# The driver's libcuda.so.1 comes with the driver, not with the libraries above: say where it resolves.
driver=""
for ldc in ldconfig /sbin/ldconfig /usr/sbin/ldconfig; do
  driver=$("$ldc" -p 2>/dev/null | awk '$1 == "libcuda.so.1" {print $NF; exit}')
  [ -n "$driver" ] && driver="$driver (ldconfig -p)" && break
done
if [ -z "$driver" ]; then
  for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib $(echo "${LD_LIBRARY_PATH:-}" | tr ':' ' ') \
           /usr/lib/x86_64-linux-gnu /usr/lib64; do
    if [ -e "$d/libcuda.so.1" ]; then
      driver="$d/libcuda.so.1 (not in the loader's cache: $d added to LD_LIBRARY_PATH)"
      LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d"
      break
    fi
  done
fi
export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}"
say "  libcuda.so.1 (NVIDIA driver): ${driver:-NOT FOUND (not in ldconfig -p, /usr/local/nvidia/lib64 or LD_LIBRARY_PATH)}"

# ---- 2. device and backends ----------------------------------------------------------------------
if command -v nvidia-smi >/dev/null 2>&1; then
  timeout 60 nvidia-smi > "$work/nvidia-smi.txt" 2>&1
  timeout 30 nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv >> "$work/nvidia-smi.txt" 2>&1
  gpu=$(timeout 30 nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)
else
  echo "nvidia-smi is not on PATH" > "$work/nvidia-smi.txt"
  gpu="(no nvidia-smi)"
fi
say "GPU: ${gpu:-none}"
timeout 120 "$java" "${jvm_opts[@]}" -cp "$cp_main" dev.thinj.cli.Main backends > "$work/backends.txt" 2>&1
sed 's/^/  /' "$work/backends.txt" | tee -a "$results"
cuda_line=$(awk '$1 == "cuda"' "$work/backends.txt" | head -1)
have_gpu=1
if [ "$(echo "$cuda_line" | awk '{print $4}')" != "yes" ]; then
  have_gpu=0
  reason=$(echo "$cuda_line" | awk '{ $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print }')
  say "NO GPU: the cuda backend is unavailable here: ${reason:-the provider is not on the class path}"
  say "Skipped: CPU-vs-CUDA training and the CUDA benchmarks; the GPU tests run and skip with this reason."
fi

# ---- 3. class path check -------------------------------------------------------------------------
stage "class path check" 60
if [ "$t" -gt 0 ]; then
  timeout -k 5 "$t" "$java" -cp "$cp_tools" dev.thinj.ops.cuda.bundle.ClassPathCheck "$cuda_tests" "$api_tests" \
      "$here/check" "$(ls "$here"/lib/thinj-benchmarks-*.jar | head -1)" @dev.thinj.cli.Main > "$work/classpath.txt" 2>&1
  rc=$?
  detail "class path check" "$work/classpath.txt"
  say "$(tail -1 "$work/classpath.txt")"
  if [ "$rc" -ne 0 ]; then
    grep '^MISSING' "$work/classpath.txt" | head -5 | tee -a "$results"
    status=1
  fi
fi

# ---- 4. tests ------------------------------------------------------------------------------------
say "== GPU tests"
stage "GPU tests" 240
if [ "$t" -gt 0 ]; then
  timeout -k 10 "$t" "${fp32[@]}" "$java" "${jvm_opts[@]}" -jar "$here/tests/junit-platform-console-standalone.jar" execute \
      --class-path "$cp_tests" --scan-class-path "$cuda_tests" \
      --include-classname '^(dev\.thinj\.ops\.cuda\.gpu\..*|.*\.Gpu[A-Za-z]*Test)$' \
      --details=tree --disable-banner --disable-ansi-colors --reports-dir "$work/junit" > "$work/junit.txt" 2>&1
  test_rc=$?
  detail "JUnit console (tree)" "$work/junit.txt"
  [ -f "$work/junit/TEST-junit-jupiter.xml" ] && cp "$work/junit/TEST-junit-jupiter.xml" "$work/junit-report.xml"
  if [ -f "$work/junit-report.xml" ]; then
    "$java" -cp "$cp_tools" dev.thinj.ops.cuda.bundle.TestReport "$work/junit-report.xml" 2>&1 | tee -a "$results"
  fi
  tests=$(grep -E '^\[ +[0-9]+ tests (successful|failed|skipped|aborted)' "$work/junit.txt" | tr -s ' ' | tr '\n' ';')
  timed_out "$test_rc" && tests="$tests TIMED OUT after $t s"
  say "GPU tests: ${tests:-see details.log} (exit $test_rc)"
  [ "$test_rc" -eq 0 ] || status=1
fi

# ---- 5. training ---------------------------------------------------------------------------------
train() {  # train BACKEND SECONDS: echoes the test accuracy, or nothing
  timeout -k 10 "$2" "${fp32[@]}" "$java" "${jvm_opts[@]}" -cp "$cp_main" dev.thinj.cli.Main train \
      "$here/examples/fashion-mnist-mlp.cfg" --ops "$1" --output "$work/train-$1" --no-progress \
      "--training.n_epoch=$epochs" > "$work/train-$1.log" 2>&1
  local rc=$?
  timed_out "$rc" && echo "(timed out after $2 s)" >> "$work/train-$1.log"
  grep -o 'test accuracy [0-9.]*' "$work/train-$1.log" | tail -1 | awk '{print $3}'
}
reference_run="$here/reference"
if [ "$have_gpu" = 1 ]; then
  say "== training the Fashion-MNIST MLP ($epochs epochs, embedded subset)"
  stage "CUDA training" 120
  if [ "$t" -gt 0 ]; then
    start=$(date +%s)
    acc_cuda=$(train cuda "$t")
    say "  --ops cuda: test accuracy ${acc_cuda:-? (see train-cuda.log)} in $(( $(date +%s) - start )) s"
    [ -n "$acc_cuda" ] || status=1
  fi
  if ls "$here"/lib/openblas-*linux-x86_64.jar >/dev/null 2>&1; then
    stage "CPU training" 120
    if [ "$t" -gt 0 ]; then
      start=$(date +%s)
      acc_cpu=$(train cpu "$t")
      say "  --ops cpu: test accuracy ${acc_cpu:-? (see train-cpu.log)} in $(( $(date +%s) - start )) s"
      [ -n "$acc_cpu" ] && reference_run="$work/train-cpu" || status=1
    fi
  fi
  [ "$reference_run" = "$here/reference" ] && say "  the CPU run compared with: the bundle's ($(sed -n 's/^accuracy /test accuracy /p' "$here/cpu-reference.txt"), $(awk '/^machine/ {$1 = ""; print}' "$here/cpu-reference.txt" | sed 's/^ //'))"
fi

# ---- 6. accuracy checks --------------------------------------------------------------------------
say "== accuracy checks (tolerances from the rounding model and McNemar's test; see PredictionAgreement)"
stage "accuracy checks" 120
if [ "$t" -gt 0 ]; then
  if [ "$have_gpu" = 1 ]; then
    agree_args=(cuda "$work/train-cuda" "$reference_run")
  else
    agree_args=(cpu "$here/reference")  # the CPU backend against the exact evaluation of the reference model
  fi
  timeout -k 10 "$t" "${fp32[@]}" "$java" "${jvm_opts[@]}" -cp "$cp_tools" GpuAgreement "${agree_args[@]}" \
      > "$work/agreement.txt" 2>&1
  rc=$?
  detail "accuracy checks" "$work/agreement.txt"
  grep -E '^(same weights|two runs|agreement)' "$work/agreement.txt" | sed 's/^/  /' | tee -a "$results"
  if [ "$rc" -ne 0 ]; then
    grep -qE '^(same weights|two runs)' "$work/agreement.txt" || tail -5 "$work/agreement.txt" | tee -a "$results"
    status=1
  fi
fi

# ---- 7. benchmarks (the forks inherit this JVM's -D options and LD_LIBRARY_PATH) -----------------
if [ "$have_gpu" = 1 ]; then
  jmh_opts="${JMH_OPTS:--f 1 -wi 1 -w 500ms -i 3 -r 500ms}"
  say "== CUDA JMH benchmarks ($jmh_opts)"
  stage "CUDA benchmarks" 150
  if [ "$t" -gt 0 ]; then
    # shellcheck disable=SC2086
    timeout -k 10 "$t" "$java" "${jvm_opts[@]}" -cp "$cp_main" org.openjdk.jmh.Main CudaKernelBenchmark $jmh_opts \
        -rf json -rff "$work/jmh.json" > "$work/jmh.log" 2>&1
    rc=$?
    detail "JMH" "$work/jmh.log"
    awk '/^Benchmark/ {p = 1} p' "$work/jmh.log" | tee -a "$results"
    if [ "$rc" -ne 0 ]; then
      say "benchmarks: exit $rc$(timed_out "$rc" && echo ", timed out after $t s")"
      status=1
    fi
    # JMH exits 0 when a trial's setup throws; its log says so.
    if grep -q -E '^(java\.|Caused by: ).*(Exception|Error)|<failure>' "$work/jmh.log"; then
      say "benchmarks: some trials failed: $(grep -m1 -E '^java\..*(Exception|Error)' "$work/jmh.log")"
      status=1
    fi
  fi
fi

# ---- 8. the table and the result files -------------------------------------------------------------
say "== summary: $( [ $status -eq 0 ] && echo "all checks passed" || echo "SOME CHECKS FAILED" ) in $(( $(date +%s) - t0 )) s"
if [ -n "$out" ]; then
  mkdir -p "$out"
  kept=""
  for f in results.txt junit-report.xml jmh.json train-cuda.log train-cpu.log nvidia-smi.txt backends.txt details.log; do
    [ -f "$work/$f" ] || continue
    size=$(stat -c %s "$work/$f")
    if [ "$size" -gt 15728640 ]; then
      { head -c 7340032 "$work/$f"; printf '\n... (%s bytes; the middle left out) ...\n' "$size"; tail -c 7340032 "$work/$f"; } > "$out/$f"
    else
      cp "$work/$f" "$out/$f"
    fi
    kept="$kept $f"
  done
  echo "results in $out:$kept"
fi
echo
echo "==================== thinj GPU results ===================="
cat "$results"
exit $status
