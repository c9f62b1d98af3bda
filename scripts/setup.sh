#!/usr/bin/env bash
# Installs the system packages the tests need (Debian; run as root, as CI
# does), then Wild (the wasm backend of the Wild linker, one of the linkers
# `linkcheck conform --all-linkers` compares). Idempotent: does nothing when
# everything is installed, and runs `apt-get update` only when a package is
# missing.
set -euo pipefail

# Wild 0.10 (0.11 needs a newer rustc), built by cargo into
# $HOME/.cache/refld/wild, once (about 2.5 min on 2 idle cores; 13m40s was
# measured on a loaded 2-core machine, --locked works). Wild picks its
# flavour from its program name, so wasm/wasm-ld links to ../bin/wild
# (oracle/core/src/discover.rs looks for it there).
install_wild() {
  local root="$HOME/.cache/refld/wild"
  if [ ! -x "$root/bin/wild" ]; then
    echo "setup: installing Wild 0.10.0 into $root"
    if ! cargo install wild-linker --version 0.10.0 --features wasm --locked --root "$root"; then
      echo "setup: retrying without --locked" >&2
      cargo install wild-linker --version 0.10.0 --features wasm --root "$root"
    fi
  fi
  mkdir -p "$root/wasm"
  if [ "$(readlink "$root/wasm/wasm-ld" 2>/dev/null)" != "../bin/wild" ]; then
    ln -sfn ../bin/wild "$root/wasm/wasm-ld"
  fi
}

# Zig 0.17.1 from PyPI (package ziglang, about 100 MB): `zig build-exe
# -fno-lld` is Zig's own wasm linker, one of the linkers `linkcheck
# conform --all-linkers` compares (oracle/core/src/zig: the adapter that
# gives it wasm-ld's command line). Its binary is found through Python's
# ziglang package.
install_zig() {
  if python3 -c 'import ziglang' 2>/dev/null; then
    return
  fi
  echo "setup: installing Zig 0.17.1 (pip install ziglang==0.17.1)"
  python3 -m pip install --quiet ziglang==0.17.1
}

# clang-19/llvm-19 + wasi-libc + compiler-rt + libc++: compile the real
#   programs (tests/src/real) for wasm32-wasi; llvm-19 brings llvm-ar-19.
# lld (wasm-ld 14), lld-16, lld-19, lld-22: wasm-ld versions to compare
#   against (apt-cache policy on Debian 12 lists all four).
# wabt: wasm-objdump, for people reading objects and outputs.
# emscripten (3.1.6; brings clang-14, binaryen and nodejs): Emscripten's own
#   loader as an external judge of side modules (tests/emscripten,
#   tests/tests/emscripten_judge.rs): emcc builds the host and the side
#   modules' objects, node runs them.
# rustc + libstd-rust-dev-wasm32: Debian's rustc 1.63 with std for
#   wasm32-wasi, called as /usr/bin/rustc (rustup's rustc stays first on
#   PATH): the rust_std real program (tests/src/real/rust.rs), rustc's own
#   link line in reference/tests/rustc_linker.rs, corpus/rust's 1.63
#   objects (corpus/rust/regenerate.sh). nodejs: node's WASI runs the
#   programs rustc links with refld there (emscripten brings it too).
packages=(
  clang-19 llvm-19 wasi-libc libclang-rt-19-dev-wasm32
  libc++-19-dev-wasm32 libc++abi-19-dev-wasm32
  lld lld-16 lld-19 lld-22
  wabt
  emscripten
  rustc libstd-rust-dev-wasm32 nodejs
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  install_wild
  install_zig
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then
    sudo=(sudo)
  else
    echo "setup: not root and no sudo; install as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
"${sudo[@]}" apt-get install -y "${missing[@]}"
install_wild
install_zig
