/* The harness the C test programs share: checks that record the line and go on (CHECK) or end
 * the test (REQUIRE), status and message checks, skips, and the runner that prints `ok <test>`,
 * `FAIL <test>: <reasons>` or `SKIP <test>: <why>` per test and finally `N passed, M failed`. */

#ifndef JOURNEYSTREAM_TEST_HARNESS_H
#define JOURNEYSTREAM_TEST_HARNESS_H

#include "journeystream.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *g_root;
static bool g_failed;
static bool g_skipped;
static char g_reason[4096];
static size_t g_reason_len;

static void note(int line, const char *format, ...) __attribute__((format(printf, 2, 3)));

static inline void note(int line, const char *format, ...) {
    if (g_reason_len + 16 < sizeof g_reason) {
        int n = snprintf(g_reason + g_reason_len, sizeof g_reason - g_reason_len, "%sline %d: ",
                         g_failed ? "; " : "", line);
        if (n > 0) {
            g_reason_len += (size_t)n;
        }
        if (g_reason_len < sizeof g_reason) {
            va_list args;
            va_start(args, format);
            n = vsnprintf(g_reason + g_reason_len, sizeof g_reason - g_reason_len, format, args);
            va_end(args);
            if (n > 0) {
                g_reason_len += (size_t)n;
            }
        }
        if (g_reason_len >= sizeof g_reason) {
            g_reason_len = sizeof g_reason - 1;
        }
    }
    g_failed = true;
}

/* Marks the running test as skipped, with the reason. */
static void skip(const char *format, ...) __attribute__((format(printf, 1, 2)));

static inline void skip(const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsnprintf(g_reason, sizeof g_reason, format, args);
    va_end(args);
    g_reason_len = n > 0 ? (size_t)n : 0;
    if (g_reason_len >= sizeof g_reason) {
        g_reason_len = sizeof g_reason - 1;
    }
    g_skipped = true;
}

static inline bool check_at(bool ok, int line, const char *expr) {
    if (!ok) {
        note(line, "%s", expr);
    }
    return ok;
}

#define CHECK(e) check_at((e), __LINE__, #e)
#define REQUIRE(e)                              \
    do {                                        \
        if (!check_at((e), __LINE__, #e)) {     \
            return;                             \
        }                                       \
    } while (0)

static const char *status_name(journeystream_status s) {
    return journeystream_status_name((uint32_t)s);
}

static inline bool status_is(journeystream_status got, journeystream_status want, int line, const char *call) {
    if (got == want) {
        return true;
    }
    const char *message = journeystream_last_error_message();
    note(line, "%s gave %s, expected %s (%s)", call, status_name(got), status_name(want),
         message != NULL ? message : "no message");
    return false;
}

#define STATUS(call, want) status_is((call), (want), __LINE__, #call)
#define REQUIRE_OK(call)                                                    \
    do {                                                                    \
        if (!status_is((call), JOURNEYSTREAM_STATUS_OK, __LINE__, #call)) { \
            return;                                                         \
        }                                                                   \
    } while (0)

static inline bool message_has(const char *part, int line) {
    const char *message = journeystream_last_error_message();
    if (message == NULL) {
        note(line, "last error message is NULL, expected it to contain \"%s\"", part);
        return false;
    }
    if (strstr(message, part) == NULL) {
        note(line, "last error message \"%s\" does not contain \"%s\"", message, part);
        return false;
    }
    return true;
}

#define MESSAGE_HAS(part) message_has((part), __LINE__)

/* Out pointers are pre-set to this and must keep it when a call fails. */
static char sentinel_storage __attribute__((unused));
#define SENTINEL ((void *)&sentinel_storage)

static inline bool close_to(double a, double e) {
    return fabs(a - e) <= 1e-9 * fmax(1.0, fabs(e));
}

static inline bool check_close_at(double a, double e, int line, const char *expr) {
    if (!close_to(a, e)) {
        note(line, "%s is %.17g, expected %.17g", expr, a, e);
        return false;
    }
    return true;
}

#define CHECK_CLOSE(a, e) check_close_at((a), (e), __LINE__, #a)

static inline bool check_str_at(const char *a, const char *e, int line, const char *expr) {
    if (a == NULL || strcmp(a, e) != 0) {
        note(line, "%s is \"%s\", expected \"%s\"", expr, a != NULL ? a : "NULL", e);
        return false;
    }
    return true;
}

#define CHECK_STR(a, e) check_str_at((a), (e), __LINE__, #a)

static inline char *join(const char *a, const char *b) {
    size_t n = strlen(a) + 1 + strlen(b) + 1;
    char *s = malloc(n);
    if (s == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    snprintf(s, n, "%s/%s", a, b);
    return s;
}

typedef struct test {
    const char *name;
    void (*run)(void);
} test;

#define TEST(f) {#f, f}

/* Runs every test; `argv[1]` is the repository root. */
static inline int run_tests(const test *tests, size_t count, int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <repo_root>\n", argv[0]);
        return 2;
    }
    g_root = argv[1];
    size_t passed = 0;
    size_t failed = 0;
    for (size_t i = 0; i < count; i++) {
        g_failed = false;
        g_skipped = false;
        g_reason_len = 0;
        g_reason[0] = '\0';
        tests[i].run();
        if (g_failed) {
            printf("FAIL %s: %s\n", tests[i].name, g_reason);
            failed++;
        } else if (g_skipped) {
            printf("SKIP %s: %s\n", tests[i].name, g_reason);
        } else {
            printf("ok %s\n", tests[i].name);
            passed++;
        }
        fflush(stdout);
    }
    printf("%zu passed, %zu failed\n", passed, failed);
    return failed > 0 ? 1 : 0;
}

#endif /* JOURNEYSTREAM_TEST_HARNESS_H */
