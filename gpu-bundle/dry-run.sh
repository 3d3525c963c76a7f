#!/usr/bin/env bash
# The GPU bundle's dry run, on a machine without a GPU (CI calls it): builds gpu-bundle/target/
# (SKIP_BUNDLE=1 reuses it), runs OUT=<fresh folder> gpu-bundle/run.sh under the bundle's own Java runtime and module
# set, and checks what the first GPU session will rely on:
#   - run.sh exits 0 and prints the results table, whose class path check passed;
#   - it leaves at most 8 files in OUT, each under 16 MiB, none in a subfolder;
#   - the JUnit report lists every test class of the GPU selection, none failed or errored, every skip
#     gives its reason, and every GPU test class (Gpu*) was skipped (dev.thinj.ops.cuda.bundle.TestReport);
#   - the CPU backend agreed with the exact evaluation of the bundle's reference model.
# Prints run.sh's output and one line per check; exits 1 if any fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=gpu-bundle/target
if [ "${SKIP_BUNDLE:-0}" != 1 ]; then
  bash gpu-bundle/build.sh
fi
[ -x "$bundle/run.sh" ] || { echo "no $bundle/run.sh: run bash gpu-bundle/build.sh" >&2; exit 1; }

out="$(mktemp -d)"
log="$(mktemp)"
trap 'rm -rf "$out" "$log"' EXIT
echo "== dry run: OUT=$out $bundle/run.sh"
set +e
# As on a GPU host: no CI-only hints for the NVRTC test; a short whole-disk search for the libraries.
env -u THINJ_NVRTC_DIR -u THINJ_NVRTC_REASON OUT="$out" FIND_TIMEOUT="${FIND_TIMEOUT:-20}" \
    bash "$bundle/run.sh" > "$log" 2>&1
rc=$?
set -e
cat "$log"

failed=0
check() {  # check DESCRIPTION COMMAND...
  local what="$1"
  shift
  if "$@"; then
    echo "dry run: ok   - $what"
  else
    echo "dry run: FAIL - $what"
    failed=1
  fi
}
check "run.sh exits 0 (it exited $rc)" test "$rc" -eq 0
check "the results table is printed" grep -q '^==================== thinj GPU results' "$log"
check "the table says why there is no GPU" grep -q '^NO GPU: the cuda backend is unavailable here: ' "$log"
check "the class path check passed" grep -q '^class path check: .*every class they refer to is there' "$log"
check "the CPU backend agrees with the exact evaluation" grep -q '^  same weights (cpu .*-> PASS$' "$log"
files=$(find "$out" -mindepth 1 | wc -l)
check "at most 8 result files in OUT ($files: $(cd "$out" && ls | tr '\n' ' '))" test "$files" -le 8
check "no subfolders in OUT" test -z "$(find "$out" -mindepth 1 -type d)"
big=$(find "$out" -type f -size +16383k | tr '\n' ' ')
check "every result file under 16 MiB${big:+ (too big: $big)}" test -z "$big"
check "the JUnit XML report is among them" test -f "$out/junit-report.xml"

check "the bundle is left as built (libjvm.so still packed)" test ! -e "$bundle/runtime/lib/server/libjvm.so"
# Every test class the GPU selection holds must be in the report (one that fails to load is not).
# (The bundle's classes under this machine's JDK: the bundle's runtime is packed.)
java=java
cuda_tests=$(ls "$bundle"/tests/thinj-ops-cuda-*-tests.jar | head -1)
classes=$("$java" -cp "$cuda_tests" dev.thinj.ops.cuda.bundle.TestReport --list-gpu-selection "$cuda_tests")
cp_tests=""
for j in "$bundle"/tests/*.jar "$bundle"/lib/*.jar; do cp_tests="$cp_tests:$j"; done
if [ -f "$out/junit-report.xml" ]; then
  # shellcheck disable=SC2086
  check "every GPU test class reported, skipped with its reason, none errored" \
      "$java" -cp "${cp_tests#:}" dev.thinj.ops.cuda.bundle.TestReport "$out/junit-report.xml" --no-gpu $classes
fi
if [ "$failed" -ne 0 ]; then
  echo "dry run: FAILED (see above)"
  exit 1
fi
echo "dry run: passed"
