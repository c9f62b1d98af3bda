#!/usr/bin/env bash
# Checks the ClusterFuzzLite/OSS-Fuzz build without Docker: runs
# .clusterfuzzlite/build.sh with temporary SRC and OUT (SANITIZER=none, so
# it reuses the `cargo fuzz build -s none` scripts/test.sh made), then starts
# every fuzzer it produced the way a ClusterFuzz runner does: from $OUT,
# with its .options, on its unzipped seed corpus, in another working
# directory, with PATH=/usr/bin:/bin (no rustup toolchain, so no rust-lld
# to discover) and a HOME without the project's Wild, so that each must find
# its policy and linkers in $OUT alone. Fails, naming
# the target, when a binary, option file or seed archive is missing, when a
# fuzzer does not start or reports a crash, or when diff_linkers uses a
# linker from outside $OUT.
#
# FUZZ_CHECK_RUNS (default 20): how many mutated inputs each fuzzer runs
# after its seeds (which all run first).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd -P)
runs="${FUZZ_CHECK_RUNS:-20}"
# What build.sh packages (its TARGETS); each must come out.
expected=(parse_objects reference_properties diff_linkers split_relink)

fail() {
  echo "fuzz-build-check: $*" >&2
  exit 1
}
for tool in unzip timeout; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" "$tmp/out" "$tmp/work" "$tmp/home" "$tmp/corpus"
ln -s "$repo" "$tmp/src/refld"
out="$tmp/out"

started=$(date +%s)
SANITIZER=none SRC="$tmp/src" OUT="$out" WORK="$tmp/work" bash .clusterfuzzlite/build.sh ||
  fail ".clusterfuzzlite/build.sh failed"
built=$(date +%s)

# -KEY=VALUE for each `KEY = VALUE` of the [libfuzzer] section of FILE
# (dict relative to $OUT, as ClusterFuzz reads it).
libfuzzer_flags() {
  awk -v out="$out" '
    /^[[:space:]]*(#|;|$)/ { next }
    /^\[/ { section = $0; next }
    section == "[libfuzzer]" {
      split($0, kv, "=")
      key = kv[1]; value = substr($0, index($0, "=") + 1)
      gsub(/^[[:space:]]+|[[:space:]]+$/, "", key)
      gsub(/^[[:space:]]+|[[:space:]]+$/, "", value)
      if (key == "dict") value = out "/" value
      print "-" key "=" value
    }' "$1"
}

for t in "${expected[@]}"; do
  [ -x "$out/$t" ] || fail "$t: build.sh produced no $out/$t"
  [ -f "$out/$t.options" ] || fail "$t: build.sh produced no $t.options"
  corpus="$tmp/corpus/$t"
  mkdir -p "$corpus"
  seeds=(fuzz/corpus/"$t"/seed-*)
  [ -e "${seeds[0]}" ] || seeds=()
  if [ ${#seeds[@]} -gt 0 ]; then
    [ -f "$out/${t}_seed_corpus.zip" ] || fail "$t: it has ${#seeds[@]} seeds but no ${t}_seed_corpus.zip"
    unzip -q "$out/${t}_seed_corpus.zip" -d "$corpus"
    n=$(find "$corpus" -type f | wc -l)
    [ "$n" -eq ${#seeds[@]} ] || fail "$t: ${t}_seed_corpus.zip holds $n files, fuzz/corpus/$t has ${#seeds[@]} seeds"
  fi
  mapfile -t flags < <(libfuzzer_flags "$out/$t.options")
  # libFuzzer counts the seeds (and an empty input) among its -runs.
  total=$((${#seeds[@]} + 1 + runs))
  log="$tmp/$t.log"
  echo "fuzz-build-check: $t ${flags[*]:+${flags[*]} }-runs=$total (${#seeds[@]} seeds, then $runs more)"
  set +e
  (cd "$tmp/work" && env -i PATH=/usr/bin:/bin HOME="$tmp/home" TMPDIR=/tmp \
    timeout 600 "$out/$t" "${flags[@]}" -runs="$total" "$corpus") >"$log" 2>&1
  status=$?
  set -e
  if [ $status -ne 0 ] || ! grep -q '^Done [0-9]* runs' "$log"; then
    tail -n 40 "$log" >&2
    fail "$t: did not run to the end (exit status $status; its last lines above)"
  fi
  if [ "$t" = diff_linkers ]; then
    comparing=$(grep -m1 '^diff_linkers: comparing ' "$log") || fail "diff_linkers: printed no 'comparing' line"
    for linker in rust-lld wild; do
      grep -qF "$linker ($out/linkers/$linker/wasm-ld)" <<<"$comparing" ||
        fail "diff_linkers: $linker is not the one bundled in $out/linkers ($comparing)"
    done
  fi
  echo "fuzz-build-check: $t ok ($(grep -m1 '^Done' "$log"))"
done
echo "fuzz-build-check: ${#expected[@]} fuzzers ok (build.sh $((built - started)) s, runs $(($(date +%s) - built)) s)"
