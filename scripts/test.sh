#!/usr/bin/env bash
# Installs what the tests need, then runs every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Failures print anyhow's error chains; its backtraces (on when
# RUST_BACKTRACE is set) would bury them. Panics keep theirs.
export RUST_LIB_BACKTRACE=0
set +e
cargo test --workspace 2>&1
status=$?
set -e
echo "cargo test --workspace exited with $status"
[ $status -eq 0 ] || exit $status
# The fuzz targets must build (stable Rust, no sanitizer).
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --version 0.13.1
fi
(cd fuzz && cargo fuzz build -s none)
echo "fuzz targets built"
# The ClusterFuzzLite/OSS-Fuzz build script, run here on that build: each
# fuzzer it packages must start from its output folder alone and run its
# seeds without a crash.
bash scripts/fuzz-build-check.sh
exit 0
