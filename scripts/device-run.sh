#!/usr/bin/env bash
# Runs `msse "$@"` on a lent GPU machine (no Node.js, no network) from the archives scripts/device-pack.sh wrote,
# carried in .device/runtime (and .device/data). Run from the repo root as the command of a `run` call:
#   bash scripts/device-run.sh info
# Unpacks into $MSSE_DEVICE_HOME (default /tmp/msse-device, outside the repo): node/, msse/ and, when carried,
# data/ (the packed WAV folder: pass --data /tmp/msse-device/data). A warm machine's second call finds the same
# archive bytes already unpacked and skips that. Concurrent calls (cv --folds-only in parallel) unpack once.
#
# MSSE_DEVICE_SYSLIBS says whether to unpack .device/runtime/debs (Vulkan loader, libglvnd) into / as the device
# README prescribes: auto (default) does so only where /usr/local/nvidia exists and no libvulkan.so.1 is
# installed; install forces it; skip never does (never run install on a machine whose / you care about).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
packed="$repo/.device"
home=${MSSE_DEVICE_HOME:-/tmp/msse-device}
# ldconfig lives in sbin, which a minimal PATH lacks.
export PATH="$PATH:/usr/sbin:/sbin"

die() { echo "device-run: $*" >&2; exit 1; }

for f in node.tar.xz msse.tar.xz; do
  [ -f "$packed/runtime/$f" ] || die "$packed/runtime/$f: missing; run scripts/device-pack.sh and carry .device/runtime"
done
command -v xz >/dev/null || die "xz not found; cannot unpack $packed/runtime/*.tar.xz"
command -v flock >/dev/null || die "flock not found; needed so that parallel calls unpack only once"

mkdir -p "$home"
exec 9>"$home/.lock"
flock 9

# unpack ARCHIVE: extracts its one top folder into $home, unless these exact bytes were extracted before.
# The checksum is written last, so an interrupted extraction is redone.
unpack() {
  local archive=$1 name sum
  name=$(basename "$archive" .tar.xz)
  sum=$(sha256sum "$archive" | cut -d' ' -f1)
  [ "$(cat "$home/$name.sha256" 2>/dev/null)" = "$sum" ] && return
  rm -rf "${home:?}/$name" "$home/$name.sha256"
  tar -xJf "$archive" -C "$home" || die "$archive: cannot unpack into $home"
  echo "$sum" >"$home/$name.sha256"
  echo "device-run: unpacked ${archive#"$repo"/} into $home/$name" >&2
}
unpack "$packed/runtime/node.tar.xz"
unpack "$packed/runtime/msse.tar.xz"
if [ -f "$packed/data/data.tar.xz" ]; then unpack "$packed/data/data.tar.xz"; fi

syslibs=${MSSE_DEVICE_SYSLIBS:-auto}
case $syslibs in
  auto)
    if [ -d /usr/local/nvidia ] && ! ldconfig -p | grep 'libvulkan\.so\.1 ' >/dev/null; then syslibs=install; else syslibs=skip; fi ;;
  install | skip) ;;
  *) die "MSSE_DEVICE_SYSLIBS=$syslibs: expected auto, install or skip" ;;
esac
if [ "$syslibs" = install ]; then
  debs=("$packed"/runtime/debs/*.deb)
  [ -f "${debs[0]}" ] || die "$packed/runtime/debs: no .deb files; run scripts/device-pack.sh and carry .device/runtime"
  for f in "${debs[@]}"; do dpkg -x "$f" / || die "$f: dpkg -x into / failed"; done
  ldconfig
  echo "device-run: unpacked ${#debs[@]} .debs into / (Vulkan loader, libglvnd)" >&2
fi
exec 9>&-  # release the lock: the msse processes of a parallel run must not wait for each other

# The device README's fix for "no driver found": name NVIDIA's Vulkan ICD and EGL vendor file where the loader
# may not look. A value already set wins. EGL_PLATFORM is left alone: bin/msse.js sets 'surfaceless' when unset,
# which only Mesa's EGL (Dawn's OpenGL ES fallback) reads; Dawn's default backend here is Vulkan.
nvidia=/usr/local/nvidia/share
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$nvidia/vulkan/icd.d/nvidia_icd.json" ]; then
  export VK_DRIVER_FILES="$nvidia/vulkan/icd.d/nvidia_icd.json"
fi
if [ -z "${__EGL_VENDOR_LIBRARY_FILENAMES:-}" ] && [ -f "$nvidia/glvnd/egl_vendor.d/10_nvidia.json" ]; then
  export __EGL_VENDOR_LIBRARY_FILENAMES="$nvidia/glvnd/egl_vendor.d/10_nvidia.json"
fi

export PATH="$home/node/bin:$PATH"
echo "device-run: node $(node --version) at $(command -v node); system libraries: $syslibs;" \
  "VK_DRIVER_FILES=${VK_DRIVER_FILES:-(unset)}" >&2
exec node "$home/msse/bin/msse.js" "$@"
