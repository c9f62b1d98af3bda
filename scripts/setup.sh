#!/usr/bin/env bash
# Installs the system packages the tests need (Debian; run as root, as CI
# does). Idempotent: does nothing when everything is installed, and runs
# `apt-get update` only when something is missing.
set -euo pipefail

# clang-19/llvm-19 + wasi-libc + compiler-rt + libc++: compile the real
#   programs (tests/src/real) for wasm32-wasi; llvm-19 brings llvm-ar-19.
# lld (wasm-ld 14), lld-16, lld-19, lld-22: wasm-ld versions to compare
#   against (apt-cache policy on Debian 12 lists all four).
# wabt: wasm-objdump, for people reading objects and outputs.
packages=(
  clang-19 llvm-19 wasi-libc libclang-rt-19-dev-wasm32
  libc++-19-dev-wasm32 libc++abi-19-dev-wasm32
  lld lld-16 lld-19 lld-22
  wabt
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
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
