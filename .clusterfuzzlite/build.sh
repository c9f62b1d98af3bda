#!/bin/bash -eu
# Builds refld's fuzz targets into $OUT as ClusterFuzzLite and OSS-Fuzz
# expect them (oss-fuzz/build.sh runs this file too), and on this machine
# without Docker (scripts/fuzz-build-check.sh, CI): one binary per target,
# TARGET.options, TARGET_seed_corpus.zip, the dictionary, and the external
# linkers diff_linkers compares, bundled so that the binaries need nothing
# but $OUT (a ClusterFuzz runner has no source tree, no rustc, none of the
# image's packages).
#
# Inputs:
#   SRC        $SRC/refld is the source tree (the images copy or clone it
#              there; scripts/fuzz-build-check.sh links it there).
#   OUT        where everything goes.
#   SANITIZER  `address` or `coverage` (the images): `cargo fuzz build -O
#              --debug-assertions` on the image's nightly (for coverage the
#              base image's cargo wrapper turns it into a coverage build);
#              unset or `none`: `cargo fuzz build -s none` on stable, the
#              command scripts/test.sh runs, so its build is reused.
#   REFLD_FUZZ_LINKERS         linkers to bundle (default `rust-lld wild`,
#              diff_linkers' default comparison; the images add wasm-ld-19
#              and wasm-ld-22).
#   REFLD_RUST_LLD_TOOLCHAIN   rustup toolchain whose rust-lld is bundled
#              (default: the active one).
#   REFLD_WILD Wild's binary (default $HOME/.cache/refld/wild/bin/wild,
#              where scripts/setup.sh installs it).
#
# Every linker goes to $OUT/linkers/NAME/wasm-ld (lld and Wild pick their
# flavour from the program name), the shared libraries it needs beyond the
# base system to $OUT/linkers/lib, which rust-lld's and Debian lld's run
# path `$ORIGIN/../lib` names; the targets look there first (fuzz/src/lib.rs).
set -euo pipefail

# The targets that run from $OUT alone. dynamic_equivalence is built but not
# packaged: it compiles C with clang-19 at run time, which a runner lacks.
TARGETS=(parse_objects reference_properties diff_linkers split_relink)

die() {
  echo "build.sh: $*" >&2
  exit 1
}

: "${SRC:?build.sh: SRC is not set (the folder holding the source tree as SRC/refld)}"
: "${OUT:?build.sh: OUT is not set (the folder the fuzzers go to)}"
tree="$SRC/refld"
[ -f "$tree/fuzz/Cargo.toml" ] || die "no source tree at $tree (expected $tree/fuzz/Cargo.toml)"
for tool in cargo rustc zip ldd readelf; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
cargo fuzz --version >/dev/null 2>&1 || die "cargo-fuzz is not installed (cargo install cargo-fuzz --version 0.13.1)"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd -P)

# The physical path: cargo names path packages by it, so a build through a
# symlinked $SRC/refld reuses the checkout's own build.
cd "$(cd "$tree/fuzz" && pwd -P)"

sanitizer="${SANITIZER:-none}"
case "$sanitizer" in
  none)
    cargo fuzz build -s none
    ;;
  address | coverage)
    [ "${FUZZING_ENGINE:-libfuzzer}" = libfuzzer ] || die "FUZZING_ENGINE=$FUZZING_ENGINE: only libfuzzer builds (cargo fuzz)"
    # Release code with debug assertions, as `cargo fuzz run` builds by
    # default, so that a crash found there reproduces with it.
    cargo fuzz build -O --debug-assertions -s address
    ;;
  *)
    die "SANITIZER=$sanitizer is not supported (address, coverage, or none)"
    ;;
esac

host=$(rustc -vV | sed -n 's/^host: //p')
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
[ -n "$host" ] && [ -n "$target_dir" ] || die "cannot tell the host triple or the target folder (rustc -vV, cargo metadata)"
bin_dir="$target_dir/$host/release"

cp dict/wasm-objects.dict "$OUT/"
for t in "${TARGETS[@]}"; do
  [ -x "$bin_dir/$t" ] || die "cargo fuzz build made no $bin_dir/$t"
  [ -f "options/$t.options" ] || die "fuzz/options/$t.options is missing"
  cp "$bin_dir/$t" "$OUT/$t"
  cp "options/$t.options" "$OUT/$t.options"
  rm -f "$OUT/${t}_seed_corpus.zip"
  # Only the committed seeds (seed-*), not what local runs added.
  seeds=(corpus/"$t"/seed-*)
  if [ -e "${seeds[0]}" ]; then
    zip -q -j "$OUT/${t}_seed_corpus.zip" "${seeds[@]}"
  fi
done

# Base-system libraries every runner image has (glibc, libgcc_s, libstdc++,
# zlib); any other library a linker needs is bundled.
base_library() {
  case "$1" in
    linux-vdso.so.* | ld-linux*.so.* | libc.so.* | libm.so.* | libdl.so.* | libpthread.so.* | librt.so.* | \
      libresolv.so.* | libutil.so.* | libgcc_s.so.* | libstdc++.so.* | libz.so.*) return 0 ;;
    *) return 1 ;;
  esac
}

# The libraries FILE loads (its whole tree, as ldd resolves it): "SONAME PATH".
libraries_of() {
  ldd "$1" | awk '$2 == "=>" { print $1, $3 }'
}

# bundle NAME PROGRAM: PROGRAM (a symlink is followed) as
# $OUT/linkers/NAME/wasm-ld, with the libraries it needs.
bundle() {
  local name=$1 program=$2 dir="$OUT/linkers/$1"
  [ -x "$program" ] || die "$name: $program is not an executable"
  mkdir -p "$dir" "$OUT/linkers/lib"
  cp -L "$program" "$dir/wasm-ld"
  local soname path copied=()
  while read -r soname path; do
    [ "$path" != "not" ] || die "$name: $program needs $soname, which is not found (ldd)"
    base_library "$soname" && continue
    cp -L "$path" "$OUT/linkers/lib/$soname"
    copied+=("$soname")
  done < <(libraries_of "$(readlink -f "$program")")
  [ ${#copied[@]} -eq 0 ] && return 0
  # The program finds them through `$ORIGIN/../lib`; a bundled library
  # needing another bundled one finds it through `$ORIGIN` (or `$ORIGIN/../lib`,
  # which names the same folder from linkers/lib).
  local file dynamic
  for file in "$dir/wasm-ld" "${copied[@]/#/$OUT/linkers/lib/}"; do
    dynamic=$(readelf -d "$file")
    if ! grep -Eq 'R(UN)?PATH.*\$ORIGIN' <<<"$dynamic"; then
      command -v patchelf >/dev/null || die "$name: $(basename "$file") needs a run path (\$ORIGIN) and patchelf is not installed"
      if [ "$file" = "$dir/wasm-ld" ]; then
        patchelf --set-rpath '$ORIGIN/../lib' "$file"
      else
        patchelf --set-rpath '$ORIGIN' "$file"
      fi
    fi
  done
  # Each bundled library must now resolve inside $OUT/linkers/lib.
  while read -r soname path; do
    base_library "$soname" && continue
    case "$(readlink -f "$path")" in
      "$OUT/linkers/lib/"*) ;;
      *) die "$name: the bundled $dir/wasm-ld loads $soname from $path, not from $OUT/linkers/lib" ;;
    esac
  done < <(libraries_of "$dir/wasm-ld")
}

rust_lld() {
  local rustc=(rustc)
  if [ -n "${REFLD_RUST_LLD_TOOLCHAIN:-}" ]; then
    rustc=(rustup run "$REFLD_RUST_LLD_TOOLCHAIN" rustc)
  fi
  local sysroot host_of_toolchain
  sysroot=$("${rustc[@]}" --print sysroot) || die "rust-lld: ${rustc[*]} --print sysroot failed"
  host_of_toolchain=$("${rustc[@]}" -vV | sed -n 's/^host: //p')
  echo "$sysroot/lib/rustlib/$host_of_toolchain/bin/rust-lld"
}

rm -rf "$OUT/linkers"
read -r -a linkers <<<"${REFLD_FUZZ_LINKERS:-rust-lld wild}"
for name in "${linkers[@]}"; do
  case "$name" in
    rust-lld)
      bundle rust-lld "$(rust_lld)"
      ;;
    wild)
      wild="${REFLD_WILD:-$HOME/.cache/refld/wild/bin/wild}"
      [ -x "$wild" ] || die "wild: $wild does not exist (scripts/setup.sh installs it: cargo install wild-linker --version 0.10.0 --features wasm)"
      bundle wild "$wild"
      ;;
    wasm-ld-*)
      program=$(command -v "$name") || die "$name is not installed (package lld-${name#wasm-ld-})"
      bundle "$name" "$program"
      ;;
    *)
      die "REFLD_FUZZ_LINKERS: unknown linker $name (rust-lld, wild, wasm-ld-N)"
      ;;
  esac
done

echo "build.sh: ${TARGETS[*]} and linkers ${linkers[*]} in $OUT (SANITIZER=$sanitizer)"
