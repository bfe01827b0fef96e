#!/usr/bin/env bash
# Every test: Rust (unit, integration, property, conformance vectors, doc examples, header drift,
# fuzz seed corpora; a short run of each fuzz target when a nightly toolchain is present),
# C (programs in tests/c compiled against include/journeystream.h, run under ASan + UBSan),
# Python (pytest against the built extension, in a local .venv this script creates), and the
# browser test (the demo's out/report.html and the executed tour notebook's HTML export opened in
# headless Chromium, installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== rust"
cargo test --workspace --exclude journeystream-python --exclude journeystream-benches
cargo fmt --all --check
# The core without its optional features (drawings, CSV, XES, gzip, named time zones).
cargo build -p journeystream --no-default-features
cargo test -p journeystream --no-default-features --test minimal

echo "== fuzz"
bash scripts/test-fuzz.sh

echo "== c"
bash scripts/test-c.sh

echo "== python"
bash scripts/test-python.sh

echo "== browser"
if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM:-}" ]; then
    echo "chromium is missing: installing Debian's chromium package"
    if [ "$(id -u)" -eq 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y chromium chromium-driver || { apt-get update && apt-get install -y chromium chromium-driver; }
    elif command -v sudo >/dev/null 2>&1; then
        sudo apt-get install -y chromium chromium-driver || { sudo apt-get update && sudo apt-get install -y chromium chromium-driver; }
    else
        echo "cannot install chromium (not root and no sudo)" >&2
        exit 1
    fi
fi
bash scripts/demo.sh >/dev/null
python3 tests/browser/check_report.py out/report.html out/report.png
# The tour notebook, executed with the installed wheel, and its HTML export.
venv="${CARGO_TARGET_DIR:-target}/python-venv"
"$venv/bin/python" examples/notebook/make_tour.py --notebook out/tour.ipynb --html out/tour.html 2>/dev/null
python3 tests/browser/check_notebook.py out/tour.ipynb out/tour.html out/tour.png
