#!/usr/bin/env bash
# Builds gpu-bundle/: everything needed to run thinj's CUDA tests, a CPU-vs-CUDA training comparison
# and the CUDA JMH benchmarks on a GPU host that has an NVIDIA driver and the CUDA 13 libraries (as in
# a Python environment's nvidia-* packages) but no JDK, no Maven and no network.
#
#   gpu-bundle/runtime/   a jlink Java runtime with only the modules thinj needs (no java.desktop), its
#                         native libraries stripped and libjvm.so gzipped (run.sh unpacks it: 20 -> 7 MB)
#   gpu-bundle/lib/       the runtime class path: thinj's module jars, JavaCPP, Bytedeco's CUDA glue (cut
#                         to the runtime, cuBLAS and NVRTC libraries), OpenBLAS (cut to the library the
#                         CPU backend loads), JMH, picocli, Jackson, ...
#   gpu-bundle/shim/      a MetricsPlot without JFreeChart (the runtime has no AWT): no training.png
#   gpu-bundle/tests/     the conformance suite (ops-api's test-jar), ops-cuda's test classes, AssertJ
#                         and the JUnit Platform console launcher
#   gpu-bundle/examples/  the Fashion-MNIST MLP config (the data subset is embedded in the cli jar)
#   gpu-bundle/cpu-reference.txt  the CPU backend's test accuracy on that config, trained here with the
#                         bundle's own runtime (which also checks that runtime runs the cli)
#   gpu-bundle/run.sh     the driver, from bench/gpu-run.sh
#
# OpenBLAS is there for the CPU side: the CPU<->CUDA model tests and the CPU training run on the GPU
# host. INCLUDE_OPENBLAS=0 leaves it out (12 MB less); run.sh then compares with cpu-reference.txt.
#
# Usage: bench/gpu-bundle.sh   (SKIP_BUILD=1 reuses the jars under */target; LIMIT_MB, default 56)
# Then copy gpu-bundle/ to the GPU host and run gpu-bundle/run.sh (OUT=DIR keeps the results there).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bundle="$root/gpu-bundle"
limit_mb="${LIMIT_MB:-56}"
version=0.1.0-SNAPSHOT
prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -1; }
junit_version=$(prop junit.version)
platform_version="1.${junit_version#5.}"  # JUnit 5.x.y ships with JUnit Platform 1.x.y
m2="${M2_REPO:-$HOME/.m2/repository}"
cuda_version=$(prop cuda.version)
openblas_version=$(prop openblas.version)

deps="$root/target/gpu-bundle-deps"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== building the jars (mvn -o package; tests compiled, not run)"
  rm -rf "$deps"
  # One reactor run, so copy-dependencies sees the freshly built sibling jars.
  mvn -o -q -B package dependency:copy-dependencies -DskipTests -DincludeScope=runtime \
      -DoutputDirectory="$deps" -pl ops-api,ops-cpu,ops-cuda,model,cli,benchmarks
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
mkdir -p "$bundle/lib" "$bundle/tests" "$bundle/shim" "$bundle/examples"

# Runtime class path: each module's own jar (not the shaded ones) and their runtime dependencies.
for m in ops-api ops-cpu ops-cuda model cli benchmarks; do
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

# The plot stand-in: same class and signature as the cli's, first on run.sh's class path.
shim_src="$(mktemp -d)"
mkdir -p "$shim_src/dev/thinj/cli/report"
cat > "$shim_src/dev/thinj/cli/report/MetricsPlot.java" <<'JAVA'
package dev.thinj.cli.report;

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
javac --release 17 -nowarn -d "$bundle/shim" -cp "$bundle/lib/thinj-cli-$version.jar" \
    "$shim_src/dev/thinj/cli/report/MetricsPlot.java"
rm -rf "$shim_src"

# Test class path: the shared conformance suite and ops-cuda's test classes, without the emulator
# (it is for machines without a GPU, and needs a C++ build of the kernels).
cp "ops-api/target/thinj-ops-api-$version-tests.jar" "$bundle/tests/"
# (With directory entries: JUnit's package selector looks packages up as jar directories.)
tc="$(mktemp -d)"
cp -r ops-cuda/target/test-classes/. "$tc/"
rm -rf "$tc/dev/thinj/ops/cuda/emulated"
jar --create --file "$bundle/tests/thinj-ops-cuda-$version-tests.jar" -C "$tc" .
rm -rf "$tc"
cp "$console" "$bundle/tests/junit-platform-console-standalone.jar"
cp "$assertj" "$bundle/tests/"

cp examples/fashion-mnist-mlp.cfg "$bundle/examples/"
cp bench/gpu-run.sh "$bundle/run.sh"
chmod +x "$bundle/run.sh"

echo "== jlink runtime"
# jdk.unsupported: JavaCPP's Unsafe; java.management and jdk.management: JMH; java.logging: JUnit;
# jdk.zipfs: JUnit's package scan inside jars.
jlink --add-modules java.base,java.logging,java.management,jdk.management,jdk.unsupported,jdk.zipfs \
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
"$bundle/runtime/bin/java" -Xms1g -cp "$ref_cp" \
    dev.thinj.cli.Main train "$bundle/examples/fashion-mnist-mlp.cfg" --ops cpu --output "$root/target/gpu-bundle-cpu-run" \
    --no-progress > "$ref_log" 2>&1 || { tail -30 "$ref_log" >&2; echo "CPU reference run failed" >&2; exit 1; }
acc=$(grep -o 'test accuracy [0-9.]*' "$ref_log" | tail -1 | awk '{print $3}')
{
  echo "accuracy $acc"
  echo "machine $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u '+%Y-%m-%d')"
  echo "config examples/fashion-mnist-mlp.cfg (embedded subset), --ops cpu"
} > "$bundle/cpu-reference.txt"
echo "CPU test accuracy $acc (log: $ref_log)"

# Checked above, so now the largest file can be packed: run.sh unpacks it on first use.
gzip -9 "$bundle/runtime/lib/server/libjvm.so"

bytes=$(du -sb "$bundle" | cut -f1)
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "== gpu-bundle: $bytes bytes = $mib MiB (limit $limit_mb MiB)"
du -sh "$bundle"/* | sort -h
if awk -v m="$mib" -v l="$limit_mb" 'BEGIN { exit !(m > l) }'; then
  echo "gpu-bundle is $mib MiB, over the $limit_mb MiB limit" >&2
  exit 1
fi
