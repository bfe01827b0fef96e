#!/usr/bin/env bash
# Builds the journeystream Python extension into .venv and runs the Python test suite.
# Idempotent: reuses .venv and the cargo build cache; prints only pytest's output (and the
# build log, if the build fails).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
venv="$root/.venv"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
py="$venv/bin/python"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

run_quiet() {
    if ! "$@" >"$log" 2>&1; then
        echo "test-python.sh: failed: $*" >&2
        cat "$log" >&2
        exit 1
    fi
}

# Already satisfied requirements are not fetched again.
run_quiet "$py" -m pip install -q --disable-pip-version-check "maturin>=1.5,<2" pytest pandas pyarrow polars duckdb numpy

# Build the extension (release) and install it, editable, into the venv.
run_quiet env VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" \
    "$venv/bin/maturin" develop --release -m python/Cargo.toml

cd "$root"
exec "$py" -m pytest python/tests -q -p no:cacheprovider "$@"
