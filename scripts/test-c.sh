#!/usr/bin/env bash
# Builds the journeystream C library (debug) and runs the C tests against include/journeystream.h
# under AddressSanitizer (with leak checking) and UndefinedBehaviorSanitizer:
#   - the bare header must compile as C99 and C11 (pedantic), and as C++11 when g++ is there: it is included by users
#     with nothing before it;
#   - tests/c/conformance.c runs every conformance vector in tests/vectors;
#   - tests/c/test_api.c checks the conventions of the C API;
#   - tests/c/test_log.c checks event logs and their process profile (and BPIC 2012 from
#     ../shared/data when it is there; a SKIP line says when it is not);
#   - tests/c/test_render.c checks the drawings (SVG, HTML report, DOT, Mermaid) and their errors;
#   - tests/c/test_arrow.c checks typed results, their tables read through the Arrow C stream
#     interface by hand, and array inputs (C arrays and Arrow arrays), from several threads too;
#   - tests/c/test_threads.c checks that threads sharing a log agree with one thread, once more
#     under ThreadSanitizer;
#   - the README's C quickstart (examples/c/quickstart.c) compiles and prints the Acme figures;
#   - scripts/test-c-package.sh: the release library installed to a prefix and the quickstart
#     built with pkg-config, CMake and plain -I -L.
# Prints each program's output and finally `c: N passed, M failed`; exits non-zero on any failure,
# compiler warning (-Werror) or sanitizer report. Runs from anywhere.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

target="${CARGO_TARGET_DIR:-target}"
out="$target/c-tests"
lib="$target/debug/libjourneystream.a"
cflags=(-std=c11 -Wall -Wextra -Werror -g -fno-omit-frame-pointer -Iinclude)
# The sanitizers of a test program; test_threads runs a second time with ThreadSanitizer.
sanitize="-fsanitize=address,undefined"
libs=(-lpthread -ldl -lm)

passed=0
failed=0

if ! cargo build -p journeystream-ffi; then
    echo "test-c.sh: cargo build -p journeystream-ffi failed" >&2
    echo "c: 0 passed, 1 failed"
    exit 1
fi
mkdir -p "$out"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# The header on its own, as a user includes it.
check_header() { # <label> <compiler> <flags...>
    local label="$1" compiler="$2"
    shift 2
    if printf '#include "journeystream.h"\nint main(void) { return 0; }\n' |
        "$compiler" "$@" -Wall -Wextra -Werror -Iinclude -fsyntax-only -x "$label" - >"$log" 2>&1; then
        echo "ok header ($label)"
        passed=$((passed + 1))
    else
        echo "FAIL header ($label): include/journeystream.h does not compile on its own:"
        sed 's/^/    /' "$log"
        failed=$((failed + 1))
    fi
}
echo "== include/journeystream.h"
# The supported standards: C99 and later, C++11 and later.
check_header c gcc -std=c99 -pedantic-errors
check_header c gcc -std=c11 -pedantic-errors
if command -v g++ >/dev/null 2>&1; then
    check_header c++ g++ -std=c++11
fi

# Compiles tests/c/<prog>.c, runs it with <args>, and adds its `N passed, M failed` line.
run_program() { # <prog> <args...>
    local prog="$1"
    shift
    echo "== $prog"
    # shellcheck disable=SC2086 # $sanitize is a list of flags
    if ! gcc "${cflags[@]}" $sanitize "tests/c/$prog.c" tests/c/json.c "$lib" "${libs[@]}" -o "$out/$prog" >"$log" 2>&1; then
        cat "$log"
        echo "FAIL $prog: does not compile"
        failed=$((failed + 1))
        return 0
    fi
    if [ -s "$log" ]; then # no warnings expected (they are errors), but show anything the compiler said
        cat "$log"
    fi
    local status=0
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1}" "$out/$prog" "$@" >"$log" 2>&1 || status=$?
    cat "$log"
    local line
    line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)"
    if [ -z "$line" ]; then
        echo "FAIL $prog: no summary line (exit status $status)"
        failed=$((failed + 1))
        return 0
    fi
    local p f
    read -r p _ f _ <<<"$line"
    passed=$((passed + p))
    failed=$((failed + f))
    if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|WARNING: ThreadSanitizer|runtime error:' "$log"; then
        echo "FAIL $prog: sanitizer report"
        failed=$((failed + 1))
    elif [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $prog: exit status $status"
        failed=$((failed + 1))
    fi
}

run_program conformance tests/vectors .
run_program test_api .
run_program test_log .
run_program test_render .
run_program test_arrow .
run_program test_threads .
# Under ThreadSanitizer, linked to the shared library so that tests/c/tsan.supp can leave out
# the uninstrumented library's inner accesses.
ln -sf "$PWD/$target/debug/libjourneystream.so" "$out/libjourneystream.so.0" # its soname
lib="$target/debug/libjourneystream.so" sanitize="-fsanitize=thread -Wl,-rpath,$PWD/$out" \
    TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/tests/c/tsan.supp" run_program test_threads .

# The README's C quickstart, as a user would copy it: examples/c/quickstart.c, word for word.
echo "== README quickstart (C)"
awk '/^```c$/{on=1; next} /^```$/{on=0} on' README.md >"$out/readme_quickstart.c"
if ! diff -u examples/c/quickstart.c "$out/readme_quickstart.c" >"$log"; then
    cat "$log"
    echo "FAIL readme quickstart: the README's C block differs from examples/c/quickstart.c"
    failed=$((failed + 1))
elif gcc "${cflags[@]}" "$out/readme_quickstart.c" "$lib" "${libs[@]}" -o "$out/readme_quickstart" >"$log" 2>&1 &&
    ASAN_OPTIONS=detect_leaks=1 "$out/readme_quickstart" >"$log" 2>&1 &&
    grep -q "takt 60 s, process time 188 s, lead time 23.6 days, bottleneck assembly1" "$log"; then
    cat "$log"
    echo "ok readme quickstart"
    passed=$((passed + 1))
else
    cat "$log"
    echo "FAIL readme quickstart"
    failed=$((failed + 1))
fi

# Installed and linked as a user does (pkg-config, CMake, -I -L; release build).
echo "== installed package"
bash scripts/test-c-package.sh >"$log" 2>&1 || true
cat "$log"
line="$(grep -E '^c package: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)"
if [ -n "$line" ]; then
    read -r _ _ p _ f _ <<<"$line"
    passed=$((passed + p))
    failed=$((failed + f))
else
    echo "FAIL installed package: no summary line"
    failed=$((failed + 1))
fi

echo "c: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
