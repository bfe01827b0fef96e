#!/usr/bin/env bash
# The C library as a user installs and links it: scripts/install-c.sh into a temporary prefix,
# then examples/c/quickstart.c (the README's C quickstart) built three ways against it and run:
#   - pkg-config (shared, and --static), plain `-I -L`, and CMake `find_package(journeystream)`
#     (shared and static targets; CMake comes from PyPI into target/cmake-venv when missing);
# and checks the installed shared library's SONAME. Prints `c package: N passed, M failed`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
prefix="$target/c-package/prefix"
build="$target/c-package/build"
rm -rf "$target/c-package"
mkdir -p "$build"
passed=0
failed=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

bash scripts/install-c.sh "$prefix" >"$log" 2>&1 || { cat "$log"; echo "FAIL install-c.sh"; exit 1; }

expected="takt 60 s, process time 188 s, lead time 23.6 days, bottleneck assembly1"
check() { # <label> <program>: runs it from the repository root, with the prefix's lib on the path
    local label="$1" program="$2"
    if LD_LIBRARY_PATH="$prefix/lib" "$program" >"$log" 2>&1 && grep -qF "$expected" "$log"; then
        echo "ok $label"
        passed=$((passed + 1))
    else
        echo "FAIL $label:"
        sed 's/^/    /' "$log"
        failed=$((failed + 1))
    fi
}
compile() { # <label> <output> <compiler args...>
    local label="$1" output="$2"
    shift 2
    if gcc -std=c99 -Wall -Wextra -Werror examples/c/quickstart.c -o "$output" "$@" >"$log" 2>&1; then
        check "$label" "$output"
    else
        echo "FAIL $label: does not build:"
        sed 's/^/    /' "$log"
        failed=$((failed + 1))
    fi
}

if readelf -d "$prefix/lib/libjourneystream.so" | grep -q 'SONAME.*\[libjourneystream.so.0\]'; then
    echo "ok soname libjourneystream.so.0"
    passed=$((passed + 1))
else
    echo "FAIL soname: $(readelf -d "$prefix/lib/libjourneystream.so" | grep SONAME || echo none)"
    failed=$((failed + 1))
fi

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
# shellcheck disable=SC2046
compile "pkg-config (shared)" "$build/pc_shared" $(pkg-config --cflags --libs journeystream)
# shellcheck disable=SC2046
compile "pkg-config --static" "$build/pc_static" -static-libgcc $(pkg-config --cflags journeystream) \
    "$prefix/lib/libjourneystream.a" $(pkg-config --libs-only-l --static journeystream | sed 's/-ljourneystream//')
compile "plain -I -L" "$build/plain" -I"$prefix/include" -L"$prefix/lib" -ljourneystream
# The shared builds load the installed library by its SONAME; the static one needs none.
links() { LD_LIBRARY_PATH="$prefix/lib" ldd "$1" 2>/dev/null | grep -c "libjourneystream.so.0 => $prefix/lib/" || true; }
if [ "$(links "$build/pc_shared")" = 1 ] && [ "$(links "$build/plain")" = 1 ] && [ "$(links "$build/pc_static")" = 0 ]; then
    echo "ok linkage (shared builds load libjourneystream.so.0, the static one nothing)"
    passed=$((passed + 1))
else
    echo "FAIL linkage: pc_shared $(links "$build/pc_shared"), plain $(links "$build/plain"), pc_static $(links "$build/pc_static")"
    failed=$((failed + 1))
fi

cmake_bin="$(command -v cmake || true)"
if [ -z "$cmake_bin" ]; then
    venv="$target/cmake-venv"
    [ -x "$venv/bin/cmake" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check cmake; } >"$log" 2>&1 ||
        { cat "$log"; echo "FAIL cmake: could not install CMake from PyPI"; failed=$((failed + 1)); }
    cmake_bin="$venv/bin/cmake"
fi
if [ -x "$cmake_bin" ]; then
    if "$cmake_bin" -S examples/c -B "$build/cmake" -DCMAKE_PREFIX_PATH="$prefix" >"$log" 2>&1 &&
        "$cmake_bin" --build "$build/cmake" >>"$log" 2>&1; then
        check "cmake find_package (shared)" "$build/cmake/quickstart"
        check "cmake find_package (static)" "$build/cmake/quickstart_static"
    else
        echo "FAIL cmake find_package: does not build:"
        sed 's/^/    /' "$log"
        failed=$((failed + 1))
    fi
fi

echo "c package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
