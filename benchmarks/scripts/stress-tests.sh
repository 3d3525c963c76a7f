#!/usr/bin/env bash
# Runs the whole test suite N times (default 3) while CPU burners keep every core busy, and prints
# one line per run: "run k/N: T tests, P passed, F failed, S skipped (s seconds)". A test that
# passes only when a thread happens to be scheduled in time fails here sooner or later.
#
#   benchmarks/scripts/stress-tests.sh [N]        # STRESS_BURNERS=k overrides one burner per core
#
# Exit status: 0 when every run had no failing test and built; 1 otherwise. Each run's Maven log is
# kept in the folder printed at the start (failing tests are listed under their run's line).
set -uo pipefail
cd "$(dirname "$0")/../.."

runs=${1:-3}
burners=${STRESS_BURNERS:-$(nproc)}
logs=$(mktemp -d -t thinj-stress.XXXXXX)
pids=()
stop_burners() { [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; }
trap stop_burners EXIT
trap 'exit 130' INT TERM

echo "stress: $runs run(s) of 'mvn -B -ntp test' beside $burners CPU burner(s); logs in $logs"
for _ in $(seq "$burners"); do
  yes > /dev/null &
  pids+=($!)
done

# Counts an element over every surefire report. Elements, not the <testsuite> attributes: the
# conformance suite's nested classes report their cases under an outer suite that says tests="0".
count() {
  cat ./*/target/surefire-reports/TEST-*.xml 2>/dev/null | grep -o "<$1[ >/]" | wc -l
}

bad=0
for r in $(seq "$runs"); do
  rm -rf ./*/target/surefire-reports
  start=$(date +%s)
  mvn -B -ntp test -Dmaven.test.failure.ignore=true > "$logs/run-$r.log" 2>&1
  rc=$?
  seconds=$(( $(date +%s) - start ))
  tests=$(count testcase); failures=$(count failure); errors=$(count error); skipped=$(count skipped)
  failed=$((failures + errors))
  passed=$((tests - failed - skipped))
  echo "run $r/$runs: $tests tests, $passed passed, $failed failed, $skipped skipped (${seconds} s)"
  if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$tests" -eq 0 ]; then
    bad=1
    [ "$rc" -ne 0 ] && echo "  the build itself failed (exit $rc): see $logs/run-$r.log"
    grep -E '^\[ERROR\] +[A-Za-z].*[.:][a-zA-Z0-9_]+' "$logs/run-$r.log" | grep -v 'Tests run:' | head -20 | sed 's/^/  /'
  fi
done
exit "$bad"
