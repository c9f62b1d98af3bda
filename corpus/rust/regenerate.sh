#!/usr/bin/env bash
# Rebuilds the rustc-made inputs of corpus/rust from corpus/rust/src and
# copies them into every case folder whose case.toml names them.
#
#   rustc_1_95/*.rs: rustup's rustc 1.95 (`rustc` on PATH, ~/.cargo/bin),
#     `#![no_core]` crates (no wasm std is installed for it), built with
#     RUSTC_BOOTSTRAP=1 for wasm32-wasip1; `test_imports` as an rlib.
#   rustc_1_63/*.rs: Debian's rustc 1.63 (/usr/bin/rustc, packages rustc and
#     libstd-rust-dev-wasm32, installed by scripts/setup.sh), `#![no_std]`
#     crates for wasm32-wasi; `test_imports` as an rlib.
#
# Cases named rustc163_* take the 1.63 files, every other case the 1.95
# ones. The inputs a case takes are the `*.o` and `*.rlib` names in its
# args; a name no source makes is an error. Builds are reproducible (fixed
# flags, the source folder's path remapped to its place in the repository,
# which rlib metadata records): running this again leaves the committed
# files unchanged, wherever the checkout is.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
rustc_195="${RUSTC_195:-rustc}"
rustc_163="${RUSTC_163:-/usr/bin/rustc}"

need_version() { # rustc, version prefix, how to get it
  local v
  v="$("$1" --version 2>/dev/null || true)"
  if [[ "$v" != "rustc $2"* ]]; then
    echo "regenerate: $1 is \`${v:-missing}\`, not rustc $2 ($3)" >&2
    exit 1
  fi
}
need_version "$rustc_195" 1.95 "rustup's stable toolchain, or set RUSTC_195"
need_version "$rustc_163" 1.63 "bash scripts/setup.sh installs Debian's rustc and libstd-rust-dev-wasm32, or set RUSTC_163"

# `regenerate.sh DIR` also leaves every built file in DIR/1.95 and DIR/1.63.
if [ $# -gt 0 ]; then
  out="$1"
else
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out/1.95" "$out/1.63"

# One codegen unit: one object per crate.
common=(-O -C panic=abort -C codegen-units=1)

(
  cd "$here/src/rustc_1_95"
  export RUSTC_BOOTSTRAP=1
  flags=(--target wasm32-wasip1 "${common[@]}" --remap-path-prefix "$PWD=corpus/rust/src/rustc_1_95")
  "$rustc_195" "${flags[@]}" --crate-type=rlib --emit=link -o "$out/1.95/libtest_imports.rlib" test_imports.rs
  for crate in main_close main_rlib; do
    "$rustc_195" "${flags[@]}" --crate-type=lib --emit=obj --extern test_imports="$out/1.95/libtest_imports.rlib" \
      -o "$out/1.95/$crate.o" "$crate.rs"
  done
  for crate in env_close def_close missing missing_env weak weak_def statics statics_main; do
    "$rustc_195" "${flags[@]}" --crate-type=lib --emit=obj -o "$out/1.95/$crate.o" "$crate.rs"
  done
)

(
  cd "$here/src/rustc_1_63"
  flags=(--target wasm32-wasi "${common[@]}" --remap-path-prefix "$PWD=corpus/rust/src/rustc_1_63")
  "$rustc_163" "${flags[@]}" --crate-type=rlib --emit=link -o "$out/1.63/libtest_imports.rlib" test_imports.rs
  "$rustc_163" "${flags[@]}" --crate-type=lib --emit=obj --extern test_imports="$out/1.63/libtest_imports.rlib" \
    -o "$out/1.63/main_close.o" main_close.rs
  for crate in env_close def_close; do
    "$rustc_163" "${flags[@]}" --crate-type=lib --emit=obj -o "$out/1.63/$crate.o" "$crate.rs"
  done
)

shopt -s nullglob
copied=0
for toml in "$here"/*/case.toml; do
  dir="$(dirname "$toml")"
  case "$(basename "$dir")" in
    rustc163_*) era=1.63 ;;
    *) era=1.95 ;;
  esac
  for name in $(grep -o '"[A-Za-z0-9_.]*\.\(o\|rlib\)"' "$toml" | tr -d '"' | sort -u); do
    if [ ! -f "$out/$era/$name" ]; then
      echo "regenerate: $dir/case.toml names $name, which no rustc $era source makes" >&2
      exit 1
    fi
    cp "$out/$era/$name" "$dir/$name"
    copied=$((copied + 1))
  done
done
echo "regenerate: $copied files copied into the case folders"
