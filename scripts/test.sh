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
exit $status
