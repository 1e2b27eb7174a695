#!/usr/bin/env bash
# System packages msse needs on a fresh Debian 12 machine: Mesa's EGL/GL stack, through which Dawn (npm `webgpu`)
# runs WGSL on the CPU when there is no GPU (../shared/runbooks/webgpu.md, "Install"). libegl-dev is needed only for
# the unversioned libEGL.so that dawn.node dlopens. chromium runs the browser tests (playwright-core drives it and
# never downloads a browser); its WebGPU reaches llvmpipe through ANGLE and the same Mesa EGL packages. strace lets
# a test check that outputs are fsynced before their rename.
# Run as root (or through sudo); a no-op when all are present.
set -euo pipefail
packages=(libegl1 libegl-mesa0 libgl1-mesa-dri libegl-dev chromium strace)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi
sudo=''
if [ "$(id -u)" -ne 0 ]; then sudo='sudo'; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
