#!/usr/bin/env bash
# Every test: Rust (unit, integration, property, conformance vectors, doc examples, header drift),
# C (programs in tests/c compiled against include/journeystream.h, run under ASan + UBSan),
# Python (pytest against the built extension, in a local .venv this script creates).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== rust"
cargo test --workspace --exclude journeystream-python --exclude journeystream-benches
cargo fmt --all --check

echo "== c"
bash scripts/test-c.sh

echo "== python"
bash scripts/test-python.sh
