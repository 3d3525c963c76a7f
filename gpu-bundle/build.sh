#!/usr/bin/env bash
# Builds gpu-bundle/target/ (git-ignored): everything needed to run thinj's CUDA tests, a CPU-vs-CUDA training comparison
# and the CUDA JMH benchmarks on a GPU host that has an NVIDIA driver and the CUDA 13 libraries (as in
# a Python environment's nvidia-* packages) but no JDK, no Maven and no network.
#
#   gpu-bundle/target/runtime/   a jlink Java runtime with only the modules thinj needs (no java.desktop), its
#                         native libraries stripped and libjvm.so gzipped (run.sh unpacks it: 20 -> 7 MB)
#   gpu-bundle/target/lib/       the runtime class path: thinj's module jars, JavaCPP, Bytedeco's CUDA glue (cut
#                         to the runtime, cuBLAS and NVRTC libraries), OpenBLAS (cut to the library the
#                         CPU backend loads), JMH, picocli, Jackson, ...
#   gpu-bundle/target/shim/      a MetricsPlot without JFreeChart (the runtime has no AWT): no training.png
#   gpu-bundle/target/tests/     the conformance suite (ops-api's test-jar), ops-cuda's test classes (those
#                         that need the emulator left out), AssertJ and the JUnit Platform console launcher
#   gpu-bundle/target/check/     GpuAgreement (gpu-bundle/GpuAgreement.java): the accuracy checks of run.sh
#   gpu-bundle/target/examples/  the Fashion-MNIST MLP config (the data subset is embedded in the train jar)
#   gpu-bundle/target/reference/ the CPU run of that config for $EPOCHS epochs, trained here with the bundle's own
#                         runtime (which also checks that runtime runs the cli): its best model and config
#   gpu-bundle/target/cpu-reference.txt  that run's test accuracy and machine
#   gpu-bundle/target/run.sh  the driver, a copy of gpu-bundle/run.sh
#
# Before it is done, the bundle's class path check (dev.thinj.ops.cuda.bundle.ClassPathCheck) runs under
# the bundle's runtime: every class the shipped code refers to must be shipped (AssertJ without Byte
# Buddy once failed every GPU run that way, invisibly to a run without a GPU).
#
# OpenBLAS is there for the CPU side: the CPU<->CUDA model tests and the CPU training run on the GPU
# host. INCLUDE_OPENBLAS=0 leaves it out (12 MB less); run.sh then compares with cpu-reference.txt.
#
# Usage: bash gpu-bundle/build.sh   (SKIP_BUILD=1 reuses the jars under */target; LIMIT_MB, default 56;
#        EPOCHS, default 3: the training runs' length, here and in run.sh)
# Then copy gpu-bundle/ (with its target/) to the GPU host and run OUT=DIR gpu-bundle/run.sh (at most 8
# result files in DIR). gpu-bundle/dry-run.sh runs it here, without a GPU, and checks what it reports.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bundle="$root/gpu-bundle/target"
limit_mb="${LIMIT_MB:-56}"
epochs="${EPOCHS:-3}"
version=0.1.0-SNAPSHOT
prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -1; }
junit_version=$(prop junit.version)
platform_version="1.${junit_version#5.}"  # JUnit 5.x.y ships with JUnit Platform 1.x.y
m2="${M2_REPO:-$HOME/.m2/repository}"
cuda_version=$(prop cuda.version)
openblas_version=$(prop openblas.version)

deps="$root/target/gpu-bundle-deps"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== building the jars (mvn package; tests compiled, not run)"
  rm -rf "$deps"
  # One reactor run, so copy-dependencies sees the freshly built sibling jars.
  mvn -q -B -ntp package dependency:copy-dependencies -DskipTests -DincludeScope=runtime \
      -DoutputDirectory="$deps" -pl ops-api,ops-cpu,ops-cuda,model,integration-tests,train,cli,benchmarks-reference,benchmarks
fi
[ -d "$deps" ] || { echo "no $deps: run without SKIP_BUILD=1" >&2; exit 1; }

console="$m2/org/junit/platform/junit-platform-console-standalone/$platform_version/junit-platform-console-standalone-$platform_version.jar"
if [ ! -f "$console" ]; then
  echo "== fetching the JUnit Platform console launcher $platform_version"
  mvn -q -B dependency:get -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform_version" \
      -Dtransitive=false
fi
assertj_version=$(prop assertj.version)
assertj="$m2/org/assertj/assertj-core/$assertj_version/assertj-core-$assertj_version.jar"

echo "== assembling $bundle"
rm -rf "$bundle"
mkdir -p "$bundle/lib" "$bundle/tests" "$bundle/shim" "$bundle/examples" "$bundle/check"

# Runtime class path: each module's own jar (not the shaded ones) and their runtime dependencies.
for m in ops-api ops-cpu ops-cuda model train cli benchmarks; do
  cp "$m/target/thinj-$m-$version.jar" "$bundle/lib/"
done
for j in "$deps"/*.jar; do
  case "$(basename "$j")" in
    thinj-*) ;;                       # copied above
    jfreechart-*) ;;                  # the plot needs java.desktop, which the runtime leaves out
    openblas-*-linux-x86_64.jar) ;;   # cut below
    openblas-*) [ "${INCLUDE_OPENBLAS:-1}" = 1 ] && cp "$j" "$bundle/lib/" ;;
    cuda-*-linux-x86_64.jar) ;;       # cut below
    *) cp "$j" "$bundle/lib/" ;;
  esac
done

# Bytedeco's CUDA platform jar carries JNI glue for every CUDA library (NPP, cuFFT, cuDNN, ...):
# keep the three thinj loads, which is all the cudart, cublas and nvrtc classes need.
cuda_jar="$m2/org/bytedeco/cuda/$cuda_version/cuda-$cuda_version-linux-x86_64.jar"
cut="$(mktemp -d)"
(cd "$cut" && unzip -q "$cuda_jar" 'META-INF/*' 'org/bytedeco/cuda/linux-x86_64/libjnicudart.so' \
    'org/bytedeco/cuda/linux-x86_64/libjnicublas.so' 'org/bytedeco/cuda/linux-x86_64/libjninvrtc.so' \
  && jar --create --file "$bundle/lib/cuda-$cuda_version-linux-x86_64.jar" --manifest META-INF/MANIFEST.MF \
       $(find . -type f -not -name MANIFEST.MF | sed 's|^\./||'))
rm -rf "$cut"

# OpenBLAS's platform jar also carries the LAPACK JNI glue (48 MB unpacked); the CPU backend loads only
# openblas_nolapack: libopenblas.so.0, its JNI library and the Fortran runtime it links.
if [ "${INCLUDE_OPENBLAS:-1}" = 1 ]; then
  blas_jar="$m2/org/bytedeco/openblas/$openblas_version/openblas-$openblas_version-linux-x86_64.jar"
  cut="$(mktemp -d)"
  d=org/bytedeco/openblas/linux-x86_64
  (cd "$cut" && unzip -q "$blas_jar" 'META-INF/*' "$d/libopenblas.so.0" "$d/libjniopenblas_nolapack.so" \
      "$d/libgfortran.so.5" "$d/libquadmath.so.0" "$d/libgcc_s.so.1" \
    && jar --create --file "$bundle/lib/openblas-$openblas_version-linux-x86_64.jar" --manifest META-INF/MANIFEST.MF \
         $(find . -type f -not -name MANIFEST.MF | sed 's|^\./||'))
  rm -rf "$cut"
fi

# The plot stand-in: same class and signature as the train module's, first on run.sh's class path.
shim_src="$(mktemp -d)"
mkdir -p "$shim_src/dev/thinj/train/report"
cat > "$shim_src/dev/thinj/train/report/MetricsPlot.java" <<'JAVA'
package dev.thinj.train.report;

import java.nio.file.Path;
import java.util.List;

/** gpu-bundle stand-in: the bundle's runtime has no java.desktop, so no training.png is drawn. */
public final class MetricsPlot {
    private MetricsPlot() {
    }

    /** Draws nothing: the metrics themselves are in metrics.jsonl. */
    public static void write(List<EpochMetrics> metrics, String title, Path path) {
    }
}
JAVA
javac --release 17 -nowarn -d "$bundle/shim" -cp "$bundle/lib/thinj-train-$version.jar" \
    "$shim_src/dev/thinj/train/report/MetricsPlot.java"
rm -rf "$shim_src"

# Test class path: the shared conformance suite, ops-cuda's and integration-tests' test classes, without the emulator
# (it is for machines without a GPU, and needs a C++ build of the kernels) and without every class that
# refers to it, directly or through another class left out (the class path check below insists).
cp "ops-api/target/thinj-ops-api-$version-tests.jar" "$bundle/tests/"
tc="$(mktemp -d)"
cp -r ops-cuda/target/test-classes/. "$tc/"
# The CPU<->CUDA model tests live in integration-tests (they need the model module); same packages.
cp -r integration-tests/target/test-classes/. "$tc/"
rm -rf "$tc/dev/thinj/ops/cuda/emulated" "$tc/emu"
gone="dev/thinj/ops/cuda/emulated/"
while [ -n "$gone" ]; do
  next=""
  for name in $gone; do
    for f in $(grep -rlF "$name" "$tc" --include='*.class' || true); do
      rel="${f#"$tc"/}"
      rm -f "$f"
      next="$next ${rel%.class}"
    done
  done
  gone="${next# }"
done
# The bundle tools' own tests run in the Maven build, not here (ClassPathCheckTest refers to AssertJ's
# assumptions on purpose, to show the check finds Byte Buddy missing).
rm -f "$tc"/dev/thinj/ops/cuda/bundle/*Test.class "$tc"/dev/thinj/ops/cuda/bundle/*Test\$*.class
# (With directory entries: JUnit's package selector looks packages up as jar directories.)
jar --create --file "$bundle/tests/thinj-ops-cuda-$version-tests.jar" -C "$tc" .
rm -rf "$tc"
cp "$console" "$bundle/tests/junit-platform-console-standalone.jar"
cp "$assertj" "$bundle/tests/"

# The accuracy checks' driver, against the bundle's own jars (so an API change fails here, not on the GPU).
javac --release 17 -nowarn -d "$bundle/check" \
    -cp "$bundle/lib/*:$bundle/tests/thinj-ops-cuda-$version-tests.jar" gpu-bundle/GpuAgreement.java

cp examples/fashion-mnist-mlp.cfg "$bundle/examples/"
echo "$epochs" > "$bundle/examples/epochs"
cp gpu-bundle/run.sh "$bundle/run.sh"
chmod +x "$bundle/run.sh"

echo "== jlink runtime"
# jdk.unsupported: JavaCPP's Unsafe; java.management and jdk.management: JMH; java.logging: JUnit;
# jdk.zipfs: JUnit's package scan inside jars; java.xml: the console launcher's XML report (--reports-dir).
jlink --add-modules java.base,java.logging,java.management,jdk.management,jdk.unsupported,jdk.zipfs,java.xml \
      --strip-debug --no-header-files --no-man-pages --compress=2 --output "$bundle/runtime"
# --strip-debug leaves the JVM's native symbols: a quarter of libjvm.so.
if command -v strip >/dev/null; then
  find "$bundle/runtime" -name '*.so' -exec strip --strip-unneeded {} +
fi

echo "== CPU reference: training the config with the bundle's runtime and class path"
ref_log="$root/target/gpu-bundle-cpu-reference.log"
blas="$m2/org/bytedeco/openblas/$openblas_version"
ref_cp="$bundle/shim:$bundle/lib/*"  # exactly the bundle's class path, so this checks the cut jars too
[ "${INCLUDE_OPENBLAS:-1}" = 1 ] || ref_cp="$ref_cp:$blas/openblas-$openblas_version.jar:$blas/openblas-$openblas_version-linux-x86_64.jar"
ref_run="$root/target/gpu-bundle-cpu-run"
rm -rf "$ref_run"
"$bundle/runtime/bin/java" -Xms1g -Dorg.bytedeco.javacpp.cachedir="$root/target/gpu-bundle-javacpp" -cp "$ref_cp" \
    dev.thinj.cli.Main train "$bundle/examples/fashion-mnist-mlp.cfg" --ops cpu --output "$ref_run" \
    --no-progress "--training.n_epoch=$epochs" > "$ref_log" 2>&1 \
  || { tail -30 "$ref_log" >&2; echo "CPU reference run failed" >&2; exit 1; }
acc=$(grep -o 'test accuracy [0-9.]*' "$ref_log" | tail -1 | awk '{print $3}')
mkdir -p "$bundle/reference"
cp "$ref_run/model-best.bin" "$ref_run/config.cfg" "$bundle/reference/"
{
  echo "accuracy $acc"
  echo "machine $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u '+%Y-%m-%d')"
  echo "config examples/fashion-mnist-mlp.cfg (embedded subset), --ops cpu, $epochs epochs; model in reference/"
} > "$bundle/cpu-reference.txt"
echo "CPU test accuracy $acc after $epochs epochs (log: $ref_log)"

echo "== class path check (under the bundle's runtime)"
tests_cp=""
for j in "$bundle"/tests/*.jar; do tests_cp="$tests_cp:$j"; done
check_cp="$bundle/shim:$bundle/lib/*$tests_cp:$bundle/check"
[ "${INCLUDE_OPENBLAS:-1}" = 1 ] || check_cp="$check_cp:$blas/openblas-$openblas_version.jar"
# Entry points: the tests, the agreement driver, the cli's and JMH's mains, the benchmarks.
"$bundle/runtime/bin/java" -cp "$check_cp" dev.thinj.ops.cuda.bundle.ClassPathCheck \
    "$bundle/tests/thinj-ops-cuda-$version-tests.jar" "$bundle/tests/thinj-ops-api-$version-tests.jar" \
    "$bundle/check" "$bundle/lib/thinj-benchmarks-$version.jar" @dev.thinj.cli.Main \
  || { echo "the bundle lacks classes its code refers to (above)" >&2; exit 1; }

# Checked above, so now the largest file can be packed: run.sh unpacks it on first use.
gzip -9 "$bundle/runtime/lib/server/libjvm.so"

bytes=$(du -sb "$bundle" | cut -f1)
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "== gpu-bundle/target: $bytes bytes = $mib MiB (limit $limit_mb MiB)"
du -sh "$bundle"/* | sort -h
if awk -v m="$mib" -v l="$limit_mb" 'BEGIN { exit !(m > l) }'; then
  echo "gpu-bundle/target is $mib MiB, over the $limit_mb MiB limit" >&2
  exit 1
fi
