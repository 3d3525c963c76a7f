#!/usr/bin/env bash
# Puts NVIDIA's NVRTC for CUDA 13 (libnvrtc.so.13 and libnvrtc-builtins.so.13.<minor>) and the CUDA
# runtime (libcudart.so.13) under .ci/cache/nvrtc/lib/, from the pip packages nvidia-cuda-nvrtc and
# nvidia-cuda-runtime, for ops-cuda's RealNvrtcTest: NVRTC needs no GPU, so CI compiles every
# native/*.cu with the real library. (Bytedeco's NVRTC bindings load its CUDA runtime bindings first,
# hence libcudart; the test stands in for the driver where there is none.) Runs once: later calls find
# the libraries there.
#
# Never fails the build: where pip or the wheel cannot be had, it writes the reason to
# .ci/cache/nvrtc.reason and RealNvrtcTest skips, quoting it.
# Usage: .ci/nvrtc.sh   (prints the library folder, or nothing)
set -uo pipefail
cd "$(dirname "$0")/.."
cache=.ci/cache
dest="$cache/nvrtc"
reason="$cache/nvrtc.reason"
mkdir -p "$cache"

if [ -f "$dest/lib/libnvrtc.so.13" ] && [ -f "$dest/lib/libcudart.so.13" ] \
    && ls "$dest"/lib/libnvrtc-builtins.so.13.* >/dev/null 2>&1; then
  rm -f "$reason"
  echo "$PWD/$dest/lib"
  exit 0
fi

fail() {
  echo "$*" > "$reason"
  echo "NVRTC for CI not installed: $*" >&2
  exit 0
}

command -v pip >/dev/null 2>&1 || fail "pip is not on PATH (it installs the nvidia-cuda-nvrtc wheel)"
command -v unzip >/dev/null 2>&1 || fail "unzip is not on PATH (it unpacks the nvidia-cuda-nvrtc wheel)"
wheels="$(mktemp -d)"
trap 'rm -rf "$wheels"' EXIT
tmp="$dest.tmp"
rm -rf "$tmp" && mkdir -p "$tmp/lib"
# fetch PACKAGE FILE...: the CUDA 13 wheel of PACKAGE (the major version of the backend's CUDA presets),
# and only the named libraries from it (the wheels also hold .alt variants and headers).
fetch() {
  local package="$1" log wheel
  shift
  if ! log=$(pip download --quiet --no-deps --dest "$wheels" "$package>=13,<14" 2>&1); then
    rm -rf "$tmp"
    fail "pip download $package (CUDA 13) failed: $(echo "$log" | tail -1)"
  fi
  wheel=$(ls "$wheels"/"${package//-/_}"-*.whl 2>/dev/null | head -1)
  [ -n "$wheel" ] || { rm -rf "$tmp"; fail "pip download $package (CUDA 13) gave no wheel"; }
  if ! unzip -q -j "$wheel" "$@" -d "$tmp/lib"; then
    rm -rf "$tmp"
    fail "$(basename "$wheel") does not hold $*"
  fi
  basename "$wheel" >> "$tmp/WHEELS"
}
fetch nvidia-cuda-nvrtc '*/lib/libnvrtc.so.13' '*/lib/libnvrtc-builtins.so.13.*'
fetch nvidia-cuda-runtime '*/lib/libcudart.so.13'
rm -rf "$dest" && mv "$tmp" "$dest"
rm -f "$reason"
echo "$PWD/$dest/lib"
