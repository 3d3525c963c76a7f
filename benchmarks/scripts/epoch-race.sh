#!/usr/bin/env bash
# The epoch race: thinj's `train` against the peer scripts of ../shared/peers (PyTorch on 1 and 2
# threads, Thinc 8.1.7) and DL4J 1.0.0-M2.1 (benchmarks-nd4j's Dl4jEpoch, with OMP_WAIT_POLICY=PASSIVE:
# ND4J's OpenMP threads otherwise spin against OpenBLAS's on two cores), one after another in one sitting, on the full Fashion-MNIST MLP (784-512-512-10,
# Relu + dropout 0.2, Adam 0.001, batch 128, 60,000 training images). Prints a Markdown table (median
# seconds per epoch, samples/s, test accuracy, peak RSS, wall time, ratio to PyTorch's best) and writes
# it, with the machine and date, to benchmarks/results/DATE-epoch-race.md.
#
#   benchmarks/scripts/epoch-race.sh [EPOCHS]     # default 10; DATA=dir (default Debian's dataset),
#                                                 # ONLY="thinj torch1" runs a subset
# Needs: apt-get install python3-torch python3-thinc dataset-fashion-mnist (a peer that is missing is
# reported as such, not fatal); dl4j builds benchmarks-nd4j (ND4J's jars from Maven Central) unless
# benchmarks-nd4j/target/benchmarks-nd4j.jar exists. Run it with nothing else busy: two-core timings are noisy.
set -uo pipefail
cd "$(dirname "$0")/../.."
epochs="${1:-10}"
data="${DATA:-/usr/share/datasets/fashion-mnist}"
peers="${PEERS:-../shared/peers}"  # the team's peer scripts, beside the checkout
only="${ONLY:-thinj thinj1 torch1 torch2 thinc dl4j}"
py=/usr/bin/python3
work="$(mktemp -d -t thinj-race.XXXXXX)"
trap 'rm -rf "$work"' EXIT
[ -d "$data" ] || { echo "no Fashion-MNIST in $data (apt-get install dataset-fashion-mnist, or DATA=dir)" >&2; exit 2; }

./thinj backends > /dev/null  # builds thinj first, outside the timings
dl4j_jar=benchmarks-nd4j/target/benchmarks-nd4j.jar
case " $only " in
  *" dl4j "*) [ -f "$dl4j_jar" ] || mvn -q -B -ntp package -pl benchmarks-nd4j -DskipTests ;;
esac

rows=()
# run NAME LABEL COMMAND...: times COMMAND with GNU time, keeps its output in $work/NAME.out
run() {
  local name="$1" label="$2"
  shift 2
  case " $only " in *" $name "*) ;; *) return ;; esac
  echo "== $label" >&2
  /usr/bin/time -v -o "$work/$name.time" "$@" > "$work/$name.out" 2>&1
  local rc=$?
  local rss wall
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/$name.time")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s}' "$work/$name.time")
  if [ "$rc" -ne 0 ]; then
    rows+=("$label|failed (exit $rc): $(tail -1 "$work/$name.out")|||$rss|$wall|")
    return
  fi
  local median sps acc extra=""
  if [ "${name#thinj}" != "$name" ]; then
    # "epoch 3/10  loss 0.3120  dev accuracy 0.8712  dev macro_f1 0.8705  1.23 s  48780 samples/s
    #  (+0.08 s evaluation and checkpoint)": fields found by the word after them, not by position
    local lines
    lines=$(grep -E '^epoch [0-9]+/' "$work/$name.out")
    median=$(awk '{for (i = 2; i <= NF; i++) if ($i == "s" && $(i - 1) !~ /^\(/) {print $(i - 1); break}}' <<<"$lines" \
        | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
    acc=$(tail -1 <<<"$lines" | awk '{for (i = 1; i < NF; i++) if ($i == "accuracy") print $(i + 1)}')
    # "(+0.08 s evaluation and checkpoint)": the epoch's work outside the steps, as a share of the epoch
    extra=$(awk '{for (i = 1; i <= NF; i++) if ($i ~ /^\(\+/) {gsub(/[(+]/, "", $i); print $i}}' <<<"$lines" | sort -g \
        | awk -v s="$median" '{a[NR] = $1} END {printf "%.1f%%", 100 * a[int((NR + 1) / 2)] / (s + a[int((NR + 1) / 2)])}')
    sps=$(awk -v s="$median" 'BEGIN {printf "%.0f", 60000 / s}')
  else
    local json
    json=$(grep '^{' "$work/$name.out" | tail -1)
    median=$("$py" -c 'import json, sys; print(json.loads(sys.argv[1])["epoch_s_median"])' "$json")
    sps=$("$py" -c 'import json, sys; print(json.loads(sys.argv[1])["samples_per_s"])' "$json")
    acc=$("$py" -c 'import json, sys; print(json.loads(sys.argv[1])["test_acc"])' "$json")
  fi
  rows+=("$label|$median|$sps|$acc|$rss|$wall|$extra")
}

run thinj "thinj, CPU backend, 2 threads" ./thinj train examples/fashion-mnist-mlp.cfg --data "$data" --no-progress \
    --training.n_epoch "$epochs" --output "$work/run2"
run thinj1 "thinj, CPU backend, 1 thread" env OPENBLAS_NUM_THREADS=1 ./thinj train examples/fashion-mnist-mlp.cfg \
    --data "$data" --no-progress --training.n_epoch "$epochs" --output "$work/run1"
run torch1 "PyTorch $("$py" -c 'import torch; print(torch.__version__)' 2>/dev/null), 1 thread" \
    env OMP_NUM_THREADS=1 "$py" "$peers/torch_fmnist.py" "$epochs"
run torch2 "PyTorch, 2 threads" env OMP_NUM_THREADS=2 "$py" "$peers/torch_fmnist.py" "$epochs"
run thinc "Thinc $("$py" -c 'import thinc; print(thinc.__version__)' 2>/dev/null) (NumpyOps)" "$py" "$peers/thinc_fmnist.py" "$epochs"
run dl4j "DL4J 1.0.0-M2.1 (nd4j-native, OMP_WAIT_POLICY=PASSIVE)" env OMP_WAIT_POLICY=PASSIVE \
    java -cp "$dl4j_jar" dev.thinj.benchmarks.nd4j.Dl4jEpoch "$epochs" "$data"

# The best PyTorch time is the reference of the ratio column.
best=$(printf '%s\n' "${rows[@]}" | awk -F'|' '$1 ~ /^PyTorch/ && $2 ~ /^[0-9.]+$/ {print $2}' | sort -g | head -1)
out="benchmarks/results/$(date +%F)-epoch-race.md"
n=2
while [ -e "$out" ]; do  # a second sitting the same day keeps the first's table
  out="benchmarks/results/$(date +%F)-epoch-race-$n.md"
  n=$((n + 1))
done
{
  echo "# Epoch race, $(date +%F)"
  echo
  echo "Machine: $(lscpu | awk -F': +' '/Model name/ {print $2; exit}'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "$(java -version 2>&1 | head -1); OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}; $epochs epochs each, one after another."
  echo "Command: benchmarks/scripts/epoch-race.sh $epochs"
  echo
  echo "| system | s / epoch (median) | samples / s | test accuracy | peak RSS MB | wall s | epoch / PyTorch's best | outside the steps |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  for r in "${rows[@]}"; do
    IFS='|' read -r label median sps acc rss wall extra <<< "$r"
    ratio=""
    if [ -n "$best" ] && [[ "$median" =~ ^[0-9.]+$ ]]; then
      ratio=$(awk -v a="$median" -v b="$best" 'BEGIN {printf "%.2f", a / b}')
    fi
    echo "| $label | $median | $sps | $acc | $rss | $wall | $ratio | $extra |"
  done
} | tee "$out"
echo "(written to $out)" >&2
