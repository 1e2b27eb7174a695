#!/usr/bin/env bash
# Packs what scripts/device-run.sh needs to run msse on a lent GPU machine (README, "Running on a GPU machine"),
# which has no Node.js and no network and receives only the working tree plus up to 8 ignored "carry" paths,
# 64 MiB in all per call. Writes into .device/ (ignored):
#   runtime/node.tar.xz  this machine's Node binary, stripped (99 MB raw -> ~21 MB)
#   runtime/msse.tar.xz  bin, dist, build, shaders, package.json and npm `webgpu` with only its linux-x64 dawn.node
#   runtime/debs/*.deb   the Vulkan loader and GL/EGL libraries the device README says to unpack into / there
#   data/data.tar.xz     a WAV folder (default ../shared/data/emodb/wav), unless --no-data
# An archive whose inputs (paths, sizes, mtimes) are unchanged since it was written is kept, so a second run is
# quick. usage: scripts/device-pack.sh [--no-data] [--data DIR]
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out="$repo/.device"
data_dir="$repo/../shared/data/emodb/wav"
with_data=1
# What `run` accepts per call: the working tree plus carried paths.
CALL_LIMIT_BYTES=$((64 * 1024 * 1024))
# The device README's list: the Vulkan loader, and libglvnd's dispatch libraries that NVIDIA's GLX/EGL
# libraries (which hold its Vulkan driver) link against.
DEBS=(libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)

die() { echo "device-pack: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case $1 in
    --no-data) with_data=0 ;;
    --data) [ $# -ge 2 ] || die "--data needs a folder"; data_dir=$2; shift ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1'; usage: scripts/device-pack.sh [--no-data] [--data DIR]" ;;
  esac
  shift
done

cd "$repo"
# The node binary and dawn.node packed here must run on the device, which is x86-64.
[ "$(uname -m)" = x86_64 ] || die "this machine is $(uname -m); the device is x86_64 and needs an x86_64 node and dawn.node"
node_bin=$(readlink -f "$(command -v node)") || die "node not found on PATH"
dawn=node_modules/webgpu/dist/linux-x64/dawn.node
[ -f "$dawn" ] || die "$dawn: missing; run npm ci"
# Unignored, .device/ would travel with the working tree on every call and could not be carried.
mkdir -p "$out/runtime/debs" "$out/data"
git check-ignore -q .device/runtime || die ".device/ is not ignored by git; add /.device/ to .gitignore"
if [ "$with_data" = 1 ]; then
  [ -d "$data_dir" ] || die "$data_dir: no such folder (use --data DIR or --no-data)"
fi

# Build only when an output is missing or older than its sources (npm run build also runs asc, which is slow).
stale() { [ ! -e "$1" ] || [ -n "$(find "${@:2}" -newer "$1" -print -quit)" ]; }
if stale dist/cli.js src package.json || stale build/mfcc.wasm kernels asconfig.json; then
  echo "device-pack: dist/ or build/ is out of date: npm run build" >&2
  nice -n 5 npm run build >&2 || die "npm run build failed; fix the build first"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Inputs of an archive, one line each: path, size, mtime. Equal lines mean the archive is still current.
manifest() { find -L "$@" -type f -printf '%p %s %T@\n' | LC_ALL=C sort; }
# Stable bytes for unchanged inputs: sorted names, no owners or times from this machine.
TAR_FLAGS=(--sort=name --owner=0 --group=0 --numeric-owner --mtime=@0)

# pack ARCHIVE MANIFEST COMMAND...: runs COMMAND (which writes the archive to stdout) unless ARCHIVE was
# written from the same MANIFEST; the manifest is kept beside it as ARCHIVE.inputs.
pack() {
  local archive=$1 inputs=$2
  shift 2
  if [ -f "$archive" ] && [ -f "$archive.inputs" ] && [ "$(cat "$archive.inputs")" = "$inputs" ]; then
    echo "kept   ${archive#"$repo"/} (inputs unchanged)"
    return
  fi
  "$@" >"$archive.tmp" || { rm -f "$archive.tmp"; die "${archive#"$repo"/}: packing failed"; }
  mv "$archive.tmp" "$archive"
  printf '%s\n' "$inputs" >"$archive.inputs"
  echo "wrote  ${archive#"$repo"/}"
}

pack_node() {
  mkdir -p "$work/node/bin"
  # The symbol and debug sections are a tenth of the binary and nothing at run time reads them;
  # addons link against the dynamic symbol table, which strip keeps.
  strip -o "$work/node/bin/node" "$node_bin"
  tar -C "$work" "${TAR_FLAGS[@]}" -cf - node | nice -n 5 xz -T1 -9
}
pack "$out/runtime/node.tar.xz" "$(manifest "$node_bin")" pack_node

msse_files=(bin dist build shaders package.json node_modules/webgpu/package.json node_modules/webgpu/index.js
  node_modules/webgpu/LICENSE.md "$dawn")
pack_msse() {
  # The device runs msse from /tmp/msse-device/msse, so every path gets that folder's name in front.
  tar "${TAR_FLAGS[@]}" --transform 's,^,msse/,' -cf - "${msse_files[@]}" | nice -n 5 xz -T1 -9
}
pack "$out/runtime/msse.tar.xz" "$(manifest "${msse_files[@]}")" pack_msse

missing_debs=()
for p in "${DEBS[@]}"; do
  compgen -G "$out/runtime/debs/${p}_*_amd64.deb" >/dev/null || missing_debs+=("$p")
done
if [ "${#missing_debs[@]}" -gt 0 ]; then
  # apt-get download needs no root and installs nothing; with no package lists, the README's private-lists recipe.
  if ! (cd "$work" && apt-get download -q "${missing_debs[@]}" >/dev/null 2>&1); then
    lists="$work/apt-lists"
    mkdir -p "$lists/partial"
    o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$lists")
    apt-get "${o[@]}" update -qq >/dev/null 2>&1 || die "apt-get update failed; cannot download ${missing_debs[*]}"
    (cd "$work" && apt-get "${o[@]}" download -q "${missing_debs[@]}" >/dev/null 2>&1) ||
      die "apt-get download ${missing_debs[*]} failed"
  fi
  mv "$work"/*.deb "$out/runtime/debs/"
  echo "wrote  .device/runtime/debs/ (${missing_debs[*]})"
else
  echo "kept   .device/runtime/debs/ (${DEBS[*]})"
fi

if [ "$with_data" = 1 ]; then
  data_abs=$(cd "$data_dir" && pwd)
  pack_data() {
    # -h follows symbolic links, so a folder of links to a subset packs the files. The delta filter
    # (byte distance 2 = one 16-bit sample) makes PCM compress better: EMO-DB 36.0 -> 31.3 MB.
    tar -C "$data_abs" -h "${TAR_FLAGS[@]}" --transform 's,^\.,data,' -cf - . |
      nice -n 5 xz -T1 --delta=dist=2 --lzma2=preset=9,lc=1,lp=1,pb=1
  }
  pack "$out/data/data.tar.xz" "$(cd "$data_abs" && manifest . && echo "from $data_abs")" pack_data
fi

# Sizes, and whether each combination fits in one call next to the working tree that travels anyway.
bytes() { du -cb "$@" | tail -1 | cut -f1; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
tree=$(git ls-files -z -co --exclude-standard | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
runtime=$(bytes "$out"/runtime/*.tar.xz "$out"/runtime/debs/*.deb)
for f in "$out"/runtime/*.tar.xz "$out"/runtime/debs; do printf '  %-28s %s\n' "${f#"$out"/}" "$(mib "$(bytes "$f")")"; done
fits() { if [ "$1" -le "$CALL_LIMIT_BYTES" ]; then echo fits; else echo "does NOT fit"; fi; }
echo "working tree (travels on every call): $(mib "$tree")"
echo "carry .device/runtime: $(mib "$runtime"); with the tree $(mib $((tree + runtime))) of 64 MiB: $(fits $((tree + runtime)))"
if [ -f "$out/data/data.tar.xz" ]; then
  data=$(bytes "$out/data/data.tar.xz")
  total=$((tree + runtime + data))
  echo "carry .device/data:    $(mib "$data") ($(sed -n '$s/^from //p' "$out/data/data.tar.xz.inputs"))"
  echo "runtime + data + tree: $(mib "$total") of 64 MiB: $(fits "$total")"
fi
