/* Tests of the event-log part of the C API: `test_log <repo_root>`.
 *
 * Builds small logs from columns and from RFC 3339 rows and checks their process profile against
 * numbers worked out by hand (in the comments); reads XES files, good and bad; checks NULL
 * arguments, empty input, bounds and error messages; and, when ../shared/data/bpic2012.xes.gz is
 * beside the repository, loads BPI Challenge 2012 and checks its size and some DFG edges (figures
 * from the Rust profile, which matches pm4py). When that file is absent it prints a SKIP line and
 * does not count the test. Prints `ok <test>` / `FAIL <test>: <reasons>` / `SKIP <test>: <why>` per
 * test and finally `N passed, M failed`. */

#define _POSIX_C_SOURCE 200809L

#include "harness.h"
#include "json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes `text` to a new temporary file; returns its path (free it and unlink it), or NULL with a
 * note. (The reader tells XES from gzipped XES by content, not by name.) */
static char *temp_file(const char *text, int line) {
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0') {
        dir = "/tmp";
    }
    char *path = join(dir, "journeystream-test-log-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) {
        note(line, "cannot create %s: %s", path, strerror(errno));
        free(path);
        return NULL;
    }
    size_t len = strlen(text);
    bool ok = write(fd, text, len) == (ssize_t)len;
    close(fd);
    if (!ok) {
        note(line, "cannot write %s", path);
        unlink(path);
        free(path);
        return NULL;
    }
    return path;
}

/* ---------------------------------------------------------------------------------------------- */
/* The small log.
 *
 * Rows in input order (case, activity, seconds after T0):
 *   c1 a 0 | c2 a 100 | c1 b 10 | c1 c 30 | c2 c 160 | c2 b 130 | c3 a 50 | c3 b 50 | c4 a 1000 | c4 d 1004
 * Cases in first-seen order, events by time, ties (c3: a and b at 50) in input order:
 *   c1: a b c (0, 10, 30)        duration 30
 *   c2: a b c (100, 130, 160)    duration 60   (c came before b in the input)
 *   c3: a b   (50, 50)           duration 0
 *   c4: a d   (1000, 1004)       duration 4
 * DFG (by count, then names):
 *   a -> b: 10, 30, 0   count 3, mean 40/3, median 10, min 0, max 30, total 40,
 *                       stdev sqrt((13.33² + 3.33² + 16.67²) / 2) = sqrt(700/3)
 *   b -> c: 20, 30      count 2, mean 25, median 25, min 20, max 30, total 50, stdev sqrt(50)
 *   a -> d: 4           count 1, stdev none
 * Variants: a,b,c 2 (0.5); a,b 1; a,d 1 (ties by sequence). Start: a 4. End: c 2, b 1, d 1.
 * Activities: a 4 events in 4 cases, b 3/3, c 2/2, d 1/1.
 * Case durations 30, 60, 0, 4: mean 23.5, median 17, min 0, max 60, total 94,
 *   stdev sqrt((6.5² + 36.5² + 23.5² + 19.5²) / 3) = sqrt(769).
 * Longest first: c2 60, c1 30, c4 4, c3 0. */

#define T0 INT64_C(1700000000000000000)
#define SEC INT64_C(1000000000)
#define SMALL_N 10

static const char *const SMALL_CASES[SMALL_N] = {"c1", "c2", "c1", "c1", "c2", "c2", "c3", "c3", "c4", "c4"};
static const char *const SMALL_ACTIVITIES[SMALL_N] = {"a", "a", "b", "c", "c", "b", "a", "b", "a", "d"};
static const int64_t SMALL_SECONDS[SMALL_N] = {0, 100, 10, 30, 160, 130, 50, 50, 1000, 1004};
/* The same times as RFC 3339 text (T0 is 2023-11-14T22:13:20Z), some with an offset. */
static const char *const SMALL_TEXT[SMALL_N] = {
    "2023-11-14T22:13:20Z",      "2023-11-14T22:15:00Z",      "2023-11-14T23:13:30+01:00",
    "2023-11-14T22:13:50.000Z",  "2023-11-14T22:16:00Z",      "2023-11-14 22:15:30",
    "2023-11-14T22:14:10Z",      "2023-11-14T21:14:10-01:00", "2023-11-14T22:30:00Z",
    "2023-11-14T22:30:04Z",
};

static journeystream_log *small_log(int line) {
    int64_t ts[SMALL_N];
    for (size_t i = 0; i < SMALL_N; i++) {
        ts[i] = T0 + SMALL_SECONDS[i] * SEC;
    }
    journeystream_log *log = NULL;
    journeystream_status s =
        journeystream_log_from_columns(SMALL_CASES, SMALL_ACTIVITIES, ts, NULL, SMALL_N, &log);
    if (s != JOURNEYSTREAM_STATUS_OK) {
        const char *m = journeystream_last_error_message();
        note(line, "journeystream_log_from_columns gave %s: %s", status_name(s), m != NULL ? m : "no message");
        return NULL;
    }
    return log;
}

/* Checks the profile of the small log against the numbers above. */
static void check_small_profile(const journeystream_profile *p) {
    journeystream_process_summary s;
    REQUIRE(STATUS(journeystream_profile_summary(p, &s), JOURNEYSTREAM_STATUS_OK));
    CHECK(s.cases == 4);
    CHECK(s.events == 10);
    CHECK(s.activity_count == 4);
    CHECK(s.start_activity_count == 1);
    CHECK(s.end_activity_count == 3);
    CHECK(s.dfg_edge_count == 3);
    CHECK(s.variant_count == 3);
    CHECK(s.case_duration_count == 4);
    CHECK(s.case_durations.count == 4);
    CHECK_CLOSE(s.case_durations.mean, 23.5);
    CHECK_CLOSE(s.case_durations.median, 17.0);
    CHECK_CLOSE(s.case_durations.min, 0.0);
    CHECK_CLOSE(s.case_durations.max, 60.0);
    CHECK_CLOSE(s.case_durations.total, 94.0);
    CHECK(s.case_durations.has_stdev);
    CHECK_CLOSE(s.case_durations.stdev, sqrt(769.0));

    static const char *const names[4] = {"a", "b", "c", "d"};
    static const uint64_t events[4] = {4, 3, 2, 1};
    for (size_t i = 0; i < 4; i++) {
        journeystream_activity_count a;
        REQUIRE(STATUS(journeystream_profile_activity(p, i, &a), JOURNEYSTREAM_STATUS_OK));
        CHECK_STR(a.activity, names[i]);
        CHECK(a.events == events[i]);
        CHECK(a.cases == events[i]);
    }

    journeystream_endpoint e;
    REQUIRE(STATUS(journeystream_profile_start_activity(p, 0, &e), JOURNEYSTREAM_STATUS_OK));
    CHECK_STR(e.activity, "a");
    CHECK(e.cases == 4);
    static const char *const ends[3] = {"c", "b", "d"};
    static const uint64_t end_cases[3] = {2, 1, 1};
    for (size_t i = 0; i < 3; i++) {
        REQUIRE(STATUS(journeystream_profile_end_activity(p, i, &e), JOURNEYSTREAM_STATUS_OK));
        CHECK_STR(e.activity, ends[i]);
        CHECK(e.cases == end_cases[i]);
    }

    journeystream_dfg_edge d;
    REQUIRE(STATUS(journeystream_profile_dfg_edge(p, 0, &d), JOURNEYSTREAM_STATUS_OK));
    CHECK_STR(d.source, "a");
    CHECK_STR(d.target, "b");
    CHECK(d.count == 3);
    CHECK_CLOSE(d.mean, 40.0 / 3.0);
    CHECK_CLOSE(d.median, 10.0);
    CHECK_CLOSE(d.min, 0.0);
    CHECK_CLOSE(d.max, 30.0);
    CHECK_CLOSE(d.total, 40.0);
    CHECK(d.has_stdev);
    CHECK_CLOSE(d.stdev, sqrt(700.0 / 3.0));
    REQUIRE(STATUS(journeystream_profile_dfg_edge(p, 1, &d), JOURNEYSTREAM_STATUS_OK));
    CHECK_STR(d.source, "b");
    CHECK_STR(d.target, "c");
    CHECK(d.count == 2);
    CHECK_CLOSE(d.mean, 25.0);
    CHECK_CLOSE(d.median, 25.0);
    CHECK_CLOSE(d.min, 20.0);
    CHECK_CLOSE(d.max, 30.0);
    CHECK_CLOSE(d.total, 50.0);
    CHECK(d.has_stdev);
    CHECK_CLOSE(d.stdev, sqrt(50.0));
    REQUIRE(STATUS(journeystream_profile_dfg_edge(p, 2, &d), JOURNEYSTREAM_STATUS_OK));
    CHECK_STR(d.source, "a");
    CHECK_STR(d.target, "d");
    CHECK(d.count == 1);
    CHECK_CLOSE(d.mean, 4.0);
    CHECK_CLOSE(d.median, 4.0);
    CHECK_CLOSE(d.total, 4.0);
    CHECK(!d.has_stdev);
    CHECK(d.stdev == 0.0);

    static const char *const variants[3][3] = {{"a", "b", "c"}, {"a", "b", NULL}, {"a", "d", NULL}};
    static const uint64_t variant_counts[3] = {2, 1, 1};
    static const double variant_mean[3] = {45.0, 0.0, 4.0};
    for (size_t i = 0; i < 3; i++) {
        journeystream_variant v;
        REQUIRE(STATUS(journeystream_profile_variant(p, i, &v), JOURNEYSTREAM_STATUS_OK));
        CHECK(v.count == variant_counts[i]);
        CHECK_CLOSE(v.share, (double)variant_counts[i] / 4.0);
        CHECK(v.duration.count == variant_counts[i]);
        CHECK_CLOSE(v.duration.mean, variant_mean[i]);
        CHECK(v.duration.has_stdev == (variant_counts[i] > 1));
        size_t len = variants[i][2] != NULL ? 3 : 2;
        CHECK(v.activity_count == len);
        for (size_t j = 0; j < len && j < v.activity_count; j++) {
            const char *name = SENTINEL;
            REQUIRE(STATUS(journeystream_profile_variant_activity(p, i, j, &name), JOURNEYSTREAM_STATUS_OK));
            CHECK_STR(name, variants[i][j]);
        }
    }

    static const char *const longest[4] = {"c2", "c1", "c4", "c3"};
    static const double durations[4] = {60.0, 30.0, 4.0, 0.0};
    for (size_t i = 0; i < 4; i++) {
        journeystream_case_duration c;
        REQUIRE(STATUS(journeystream_profile_case_duration(p, i, &c), JOURNEYSTREAM_STATUS_OK));
        CHECK_STR(c.case_id, longest[i]);
        CHECK_CLOSE(c.duration_s, durations[i]);
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* Tests. */

static void test_small_log_from_columns(void) {
    journeystream_log *log = small_log(__LINE__);
    REQUIRE(log != NULL);
    CHECK(journeystream_log_num_cases(log) == 4);
    CHECK(journeystream_log_num_events(log) == 10);
    journeystream_profile *p = NULL;
    if (STATUS(journeystream_log_profile(log, &p), JOURNEYSTREAM_STATUS_OK)) {
        /* The profile owns its strings: free the log first. */
        journeystream_log_free(log);
        log = NULL;
        check_small_profile(p);
    }
    journeystream_profile_free(p);
    journeystream_log_free(log);
}

static void test_profile_json(void) {
    journeystream_log *log = small_log(__LINE__);
    REQUIRE(log != NULL);
    journeystream_profile *p = NULL;
    char *json = SENTINEL;
    if (STATUS(journeystream_log_profile(log, &p), JOURNEYSTREAM_STATUS_OK) &&
        STATUS(journeystream_profile_to_json(p, &json), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(strstr(json, "\"cases\":4,\"events\":10,") == json + 1);
        /* The single-occurrence edge a -> d has no standard deviation. */
        CHECK(strstr(json, "{\"source\":\"a\",\"target\":\"d\",\"count\":1,\"mean\":4.0,\"median\":4.0,"
                           "\"min\":4.0,\"max\":4.0,\"total\":4.0,\"stdev\":null}") != NULL);
        CHECK(strstr(json, "\"cases_by_duration\":[{\"case\":\"c2\",\"duration\":60.0}") != NULL);
        journeystream_string_free(json);
    }
    journeystream_profile_free(p);
    journeystream_log_free(log);
}

/* The same log from RFC 3339 text (with offsets and a space separator) profiles the same. */
static void test_small_log_from_rows(void) {
    journeystream_log *a = small_log(__LINE__);
    journeystream_log *b = NULL;
    journeystream_profile *pa = NULL;
    journeystream_profile *pb = NULL;
    char *ja = NULL;
    char *jb = NULL;
    if (a != NULL &&
        STATUS(journeystream_log_from_rows(SMALL_CASES, SMALL_ACTIVITIES, SMALL_TEXT, NULL, SMALL_N, &b),
               JOURNEYSTREAM_STATUS_OK) &&
        STATUS(journeystream_log_profile(a, &pa), JOURNEYSTREAM_STATUS_OK) &&
        STATUS(journeystream_log_profile(b, &pb), JOURNEYSTREAM_STATUS_OK) &&
        STATUS(journeystream_profile_to_json(pa, &ja), JOURNEYSTREAM_STATUS_OK) &&
        STATUS(journeystream_profile_to_json(pb, &jb), JOURNEYSTREAM_STATUS_OK)) {
        if (strcmp(ja, jb) != 0) {
            note(__LINE__, "profiles differ:\n  columns %s\n  rows    %s", ja, jb);
        }
        check_small_profile(pb);
    }
    journeystream_string_free(ja);
    journeystream_string_free(jb);
    journeystream_profile_free(pa);
    journeystream_profile_free(pb);
    journeystream_log_free(a);
    journeystream_log_free(b);
}

/* Start timestamps: flow = max(start(b), complete(a)) - complete(a); duration from the first start.
 *   x: a [0, 10], b [15, 20]      a -> b 5, duration 20
 *   y: a [-, 0],  b [3, 8]        a -> b 3, duration 8 (the first event has no start: its completion)
 *   z: a [0, 10], b [5, 12]       a -> b 0 (overlap), duration 12
 * a -> b: count 3, mean 8/3, median 3, min 0, max 5, total 8. Durations: mean 40/3, median 12. */
static void test_start_timestamps(void) {
    static const char *const cases[6] = {"x", "x", "y", "y", "z", "z"};
    static const char *const acts[6] = {"a", "b", "a", "b", "a", "b"};
    const int64_t done[6] = {T0 + 10 * SEC, T0 + 20 * SEC, T0, T0 + 8 * SEC, T0 + 10 * SEC, T0 + 12 * SEC};
    const int64_t start[6] = {T0, T0 + 15 * SEC, INT64_MIN, T0 + 3 * SEC, T0, T0 + 5 * SEC};
    journeystream_log *log = NULL;
    journeystream_profile *p = NULL;
    REQUIRE_OK(journeystream_log_from_columns(cases, acts, done, start, 6, &log));
    if (STATUS(journeystream_log_profile(log, &p), JOURNEYSTREAM_STATUS_OK)) {
        journeystream_dfg_edge d;
        journeystream_process_summary s;
        if (STATUS(journeystream_profile_dfg_edge(p, 0, &d), JOURNEYSTREAM_STATUS_OK)) {
            CHECK(d.count == 3);
            CHECK_CLOSE(d.mean, 8.0 / 3.0);
            CHECK_CLOSE(d.median, 3.0);
            CHECK_CLOSE(d.min, 0.0);
            CHECK_CLOSE(d.max, 5.0);
            CHECK_CLOSE(d.total, 8.0);
        }
        if (STATUS(journeystream_profile_summary(p, &s), JOURNEYSTREAM_STATUS_OK)) {
            CHECK(s.dfg_edge_count == 1);
            CHECK_CLOSE(s.case_durations.mean, 40.0 / 3.0);
            CHECK_CLOSE(s.case_durations.median, 12.0);
            CHECK_CLOSE(s.case_durations.max, 20.0);
        }
    }
    journeystream_profile_free(p);
    journeystream_log_free(log);

    /* The same with start times as text; a NULL element is an event without a start. */
    static const char *const done_text[6] = {"2023-11-14T22:13:30Z", "2023-11-14T22:13:40Z", "2023-11-14T22:13:20Z",
                                             "2023-11-14T22:13:28Z", "2023-11-14T22:13:30Z", "2023-11-14T22:13:32Z"};
    static const char *const start_text[6] = {"2023-11-14T22:13:20Z", "2023-11-14T22:13:35Z", NULL,
                                              "2023-11-14T22:13:23Z", "2023-11-14T22:13:20Z", "2023-11-14T22:13:25Z"};
    log = NULL;
    p = NULL;
    REQUIRE_OK(journeystream_log_from_rows(cases, acts, done_text, start_text, 6, &log));
    if (STATUS(journeystream_log_profile(log, &p), JOURNEYSTREAM_STATUS_OK)) {
        journeystream_dfg_edge d;
        if (STATUS(journeystream_profile_dfg_edge(p, 0, &d), JOURNEYSTREAM_STATUS_OK)) {
            CHECK_CLOSE(d.total, 8.0);
            CHECK_CLOSE(d.median, 3.0);
        }
    }
    journeystream_profile_free(p);
    journeystream_log_free(log);
}

static void test_empty_log(void) {
    journeystream_log *log = SENTINEL;
    REQUIRE_OK(journeystream_log_from_columns(NULL, NULL, NULL, NULL, 0, &log));
    REQUIRE(log != SENTINEL && log != NULL);
    CHECK(journeystream_log_num_cases(log) == 0);
    CHECK(journeystream_log_num_events(log) == 0);
    journeystream_profile *p = NULL;
    if (STATUS(journeystream_log_profile(log, &p), JOURNEYSTREAM_STATUS_OK)) {
        journeystream_process_summary s;
        if (STATUS(journeystream_profile_summary(p, &s), JOURNEYSTREAM_STATUS_OK)) {
            CHECK(s.cases == 0 && s.events == 0 && s.dfg_edge_count == 0 && s.variant_count == 0);
            CHECK(s.case_durations.count == 0 && !s.case_durations.has_stdev);
        }
        journeystream_dfg_edge d;
        CHECK(STATUS(journeystream_profile_dfg_edge(p, 0, &d), JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
        char *json = NULL;
        if (STATUS(journeystream_profile_to_json(p, &json), JOURNEYSTREAM_STATUS_OK)) {
            CHECK(strstr(json, "\"cases\":0,\"events\":0,") != NULL);
            journeystream_string_free(json);
        }
    }
    journeystream_profile_free(p);
    journeystream_log_free(log);

    log = SENTINEL;
    REQUIRE_OK(journeystream_log_from_rows(NULL, NULL, NULL, NULL, 0, &log));
    CHECK(log != SENTINEL && journeystream_log_num_events(log) == 0);
    journeystream_log_free(log == SENTINEL ? NULL : log);
}

static void test_null_arguments(void) {
    static const char *const one[1] = {"x"};
    const int64_t t[1] = {0};
    journeystream_log *log = SENTINEL;
    CHECK(STATUS(journeystream_log_from_columns(NULL, one, t, NULL, 1, &log), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(MESSAGE_HAS("case_ids"));
    CHECK(STATUS(journeystream_log_from_columns(one, NULL, t, NULL, 1, &log), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(MESSAGE_HAS("activities"));
    CHECK(STATUS(journeystream_log_from_columns(one, one, NULL, NULL, 1, &log), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(MESSAGE_HAS("timestamps"));
    CHECK(STATUS(journeystream_log_from_columns(one, one, t, NULL, 1, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(MESSAGE_HAS("out_log"));
    CHECK(STATUS(journeystream_log_from_rows(one, one, NULL, NULL, 1, &log), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_log_from_rows(one, one, one, NULL, 1, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_log_from_xes_file(NULL, false, &log, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(MESSAGE_HAS("path"));
    CHECK(STATUS(journeystream_log_from_xes_file("x.xes", false, NULL, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(log == SENTINEL);

    journeystream_profile *p = SENTINEL;
    CHECK(STATUS(journeystream_log_profile(NULL, &p), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(MESSAGE_HAS("log"));
    CHECK(p == SENTINEL);
    CHECK(journeystream_log_num_cases(NULL) == 0);
    CHECK(journeystream_log_num_events(NULL) == 0);

    journeystream_process_summary s;
    journeystream_activity_count a;
    journeystream_endpoint e;
    journeystream_dfg_edge d;
    journeystream_variant v;
    journeystream_case_duration c;
    const char *name = SENTINEL;
    char *json = SENTINEL;
    CHECK(STATUS(journeystream_profile_summary(NULL, &s), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_profile_activity(NULL, 0, &a), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_profile_start_activity(NULL, 0, &e), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_profile_end_activity(NULL, 0, &e), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_profile_dfg_edge(NULL, 0, &d), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_profile_variant(NULL, 0, &v), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_profile_variant_activity(NULL, 0, 0, &name), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_profile_case_duration(NULL, 0, &c), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_profile_to_json(NULL, &json), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(name == SENTINEL && json == SENTINEL);

    /* NULL outputs on a real profile. */
    log = small_log(__LINE__);
    REQUIRE(log != NULL);
    p = NULL;
    if (STATUS(journeystream_log_profile(log, &p), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(STATUS(journeystream_log_profile(log, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
        CHECK(STATUS(journeystream_profile_summary(p, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
        CHECK(STATUS(journeystream_profile_dfg_edge(p, 0, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
        CHECK(STATUS(journeystream_profile_variant_activity(p, 0, 0, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
        CHECK(STATUS(journeystream_profile_to_json(p, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    }
    journeystream_profile_free(p);
    journeystream_log_free(log);
    journeystream_log_free(NULL);
    journeystream_profile_free(NULL);
}

static void test_index_out_of_bounds(void) {
    journeystream_log *log = small_log(__LINE__);
    REQUIRE(log != NULL);
    journeystream_profile *p = NULL;
    if (STATUS(journeystream_log_profile(log, &p), JOURNEYSTREAM_STATUS_OK)) {
        journeystream_activity_count a;
        journeystream_endpoint e;
        journeystream_dfg_edge d;
        journeystream_variant v;
        journeystream_case_duration c;
        const char *name = SENTINEL;
        CHECK(STATUS(journeystream_profile_activity(p, 4, &a), JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
        CHECK(MESSAGE_HAS("index 4 is out of bounds (length 4)"));
        CHECK(STATUS(journeystream_profile_start_activity(p, 1, &e), JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
        CHECK(STATUS(journeystream_profile_end_activity(p, 3, &e), JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
        CHECK(STATUS(journeystream_profile_dfg_edge(p, SIZE_MAX, &d), JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
        CHECK(STATUS(journeystream_profile_variant(p, 3, &v), JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
        CHECK(STATUS(journeystream_profile_variant_activity(p, 3, 0, &name), JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
        CHECK(STATUS(journeystream_profile_variant_activity(p, 1, 2, &name), JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
        CHECK(MESSAGE_HAS("index 2 is out of bounds (length 2)"));
        CHECK(STATUS(journeystream_profile_case_duration(p, 4, &c), JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
        CHECK(name == SENTINEL);
    }
    journeystream_profile_free(p);
    journeystream_log_free(log);
}

/* A NULL or non-UTF-8 element and an unparseable time are bad input naming the row and column. */
static void test_bad_elements(void) {
    const char *cases[3] = {"c1", NULL, "c1"};
    static const char *const acts[3] = {"a", "b", "c"};
    const int64_t t[3] = {0, 1, 2};
    journeystream_log *log = SENTINEL;
    CHECK(STATUS(journeystream_log_from_columns(cases, acts, t, NULL, 3, &log), JOURNEYSTREAM_STATUS_INPUT));
    CHECK(MESSAGE_HAS("row 1, field 'case_ids'"));
    CHECK(MESSAGE_HAS("NULL"));
    CHECK(journeystream_last_error_path() != NULL && strcmp(journeystream_last_error_path(), "row 1") == 0);
    CHECK(log == SENTINEL);

    static const char bad_utf8[] = {'b', (char)0xff, 0};
    const char *acts2[3] = {"a", "b", bad_utf8};
    cases[1] = "c2";
    CHECK(STATUS(journeystream_log_from_columns(cases, acts2, t, NULL, 3, &log), JOURNEYSTREAM_STATUS_INPUT));
    CHECK(MESSAGE_HAS("row 2, field 'activities'"));
    CHECK(MESSAGE_HAS("UTF-8"));
    CHECK(log == SENTINEL);

    static const char *const times[3] = {"2024-01-01T00:00:00Z", "2024-01-01T00:00:05Z", "2024-02-30T00:00:00Z"};
    CHECK(STATUS(journeystream_log_from_rows(cases, acts, times, NULL, 3, &log), JOURNEYSTREAM_STATUS_INPUT));
    CHECK(MESSAGE_HAS("row 2, field 'timestamps'"));
    CHECK(MESSAGE_HAS("'2024-02-30T00:00:00Z' is not an RFC 3339 timestamp"));
    static const char *const starts[3] = {NULL, "yesterday", NULL};
    static const char *const good[3] = {"2024-01-01T00:00:00Z", "2024-01-01T00:00:05Z", "2024-01-01T00:00:06Z"};
    CHECK(STATUS(journeystream_log_from_rows(cases, acts, good, starts, 3, &log), JOURNEYSTREAM_STATUS_INPUT));
    CHECK(MESSAGE_HAS("row 1, field 'start_timestamps'"));
    CHECK(MESSAGE_HAS("'yesterday'"));
    CHECK(log == SENTINEL);
}

static const char SMALL_XES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<log xes.version=\"1.0\" xmlns=\"http://www.xes-standard.org/\">\n"
    "  <trace><string key=\"concept:name\" value=\"t1\"/>\n"
    "    <event><string key=\"concept:name\" value=\"a\"/><date key=\"time:timestamp\" value=\"2024-01-01T10:00:00+01:00\"/></event>\n"
    "    <event><string key=\"concept:name\" value=\"b\"/><date key=\"time:timestamp\" value=\"2024-01-01T09:01:00Z\"/></event>\n"
    "  </trace>\n"
    "  <trace><string key=\"concept:name\" value=\"t2\"/>\n"
    "    <event><string key=\"concept:name\" value=\"a\"/><date key=\"time:timestamp\" value=\"2024-01-02T00:00:00Z\"/></event>\n"
    "    <event><string key=\"concept:name\" value=\"b\"/><date key=\"time:timestamp\" value=\"%s\"/></event>\n"
    "  </trace>\n"
    "</log>\n";

/* The small XES log: t1 a -> b after 60 s; t2 a -> b after 180 s. */
static void test_xes_file(void) {
    char text[sizeof SMALL_XES + 64];
    snprintf(text, sizeof text, SMALL_XES, "2024-01-02T00:03:00Z");
    char *path = temp_file(text, __LINE__);
    REQUIRE(path != NULL);
    journeystream_log *log = NULL;
    journeystream_profile *p = NULL;
    size_t skipped = 99;
    if (STATUS(journeystream_log_from_xes_file(path, false, &log, &skipped), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(skipped == 0);
        CHECK(journeystream_log_num_cases(log) == 2);
        CHECK(journeystream_log_num_events(log) == 4);
        journeystream_dfg_edge d;
        if (STATUS(journeystream_log_profile(log, &p), JOURNEYSTREAM_STATUS_OK) &&
            STATUS(journeystream_profile_dfg_edge(p, 0, &d), JOURNEYSTREAM_STATUS_OK)) {
            CHECK_STR(d.source, "a");
            CHECK_STR(d.target, "b");
            CHECK(d.count == 2);
            CHECK_CLOSE(d.mean, 120.0);
            CHECK_CLOSE(d.stdev, sqrt(7200.0));
        }
    }
    journeystream_profile_free(p);
    journeystream_log_free(log);
    unlink(path);
    free(path);
}

/* A bad date fails with INPUT naming the file, the element, the attribute and the value; skipping
 * bad rows drops that trace's events and counts them. */
static void test_xes_bad_input(void) {
    char text[sizeof SMALL_XES + 64];
    snprintf(text, sizeof text, SMALL_XES, "2024-01-02 at noon");
    char *path = temp_file(text, __LINE__);
    REQUIRE(path != NULL);
    journeystream_log *log = SENTINEL;
    size_t skipped = 99;
    CHECK(STATUS(journeystream_log_from_xes_file(path, false, &log, &skipped), JOURNEYSTREAM_STATUS_INPUT));
    CHECK(MESSAGE_HAS(path));
    CHECK(MESSAGE_HAS("trace[1]/event[1]"));
    CHECK(MESSAGE_HAS("time:timestamp"));
    CHECK(MESSAGE_HAS("'2024-01-02 at noon' is not a valid date"));
    CHECK(journeystream_last_error_path() != NULL &&
          strcmp(journeystream_last_error_path(), "trace[1]/event[1]") == 0);
    CHECK(log == SENTINEL && skipped == 99);

    if (STATUS(journeystream_log_from_xes_file(path, true, &log, &skipped), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(skipped == 1);
        CHECK(journeystream_log_num_cases(log) == 2);
        CHECK(journeystream_log_num_events(log) == 3);
        journeystream_log_free(log);
    }
    /* out_skipped may be NULL. */
    log = NULL;
    CHECK(STATUS(journeystream_log_from_xes_file(path, true, &log, NULL), JOURNEYSTREAM_STATUS_OK));
    journeystream_log_free(log);
    unlink(path);
    free(path);

    /* Not XES at all, and truncated XES. */
    path = temp_file("{\"not\": \"xml\"}", __LINE__);
    REQUIRE(path != NULL);
    log = SENTINEL;
    CHECK(STATUS(journeystream_log_from_xes_file(path, false, &log, NULL), JOURNEYSTREAM_STATUS_INPUT));
    CHECK(MESSAGE_HAS(path));
    CHECK(log == SENTINEL);
    unlink(path);
    free(path);
    path = temp_file("<log><trace><string key=\"concept:name\" value=\"t\"/>", __LINE__);
    REQUIRE(path != NULL);
    CHECK(STATUS(journeystream_log_from_xes_file(path, false, &log, NULL), JOURNEYSTREAM_STATUS_INPUT));
    CHECK(MESSAGE_HAS("truncated"));
    CHECK(log == SENTINEL);
    unlink(path);
    free(path);
}

static void test_xes_missing_file(void) {
    char *path = join(g_root, "tests/no-such-log.xes.gz");
    journeystream_log *log = SENTINEL;
    CHECK(STATUS(journeystream_log_from_xes_file(path, false, &log, NULL), JOURNEYSTREAM_STATUS_IO));
    CHECK(MESSAGE_HAS(path));
    CHECK(log == SENTINEL);
    free(path);
}

/* tests/data/logs/small.csv and small.jsonl: 3 cases, 8 events (order-1 and order-2 with 3,
 * order-3 with 2), by default column names. */
static void test_csv_and_jsonl_files(void) {
    char *csv = join(g_root, "tests/data/logs/small.csv");
    char *jsonl = join(g_root, "tests/data/logs/small.jsonl");
    journeystream_log *log = NULL;
    size_t skipped = 99;
    if (STATUS(journeystream_log_from_csv_file(csv, NULL, &log, &skipped), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(skipped == 0);
        CHECK(journeystream_log_num_cases(log) == 3);
        CHECK(journeystream_log_num_events(log) == 8);
    }
    journeystream_log_free(log);
    log = NULL;
    journeystream_csv_options o = {0};
    o.skip_bad_rows = true;
    if (STATUS(journeystream_log_from_jsonl_file(jsonl, &o, &log, NULL), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(journeystream_log_num_cases(log) == 3);
        CHECK(journeystream_log_num_events(log) == 8);
    }
    journeystream_log_free(log);
    free(csv);
    free(jsonl);
}

/* Options: a tab-separated file with day-first dates needs the delimiter and a strftime format;
 * named columns must exist; bad formats and zones are INVALID_ARGUMENT. */
static void test_csv_options(void) {
    char *tsv = join(g_root, "tests/data/logs/tabs.tsv");
    journeystream_log *log = NULL;
    journeystream_csv_options o = {0};
    o.delimiter = '\t';
    o.timestamp_format = "%d/%m/%Y %H:%M";
    o.time_zone = "+02:00";
    o.value_column = "cost";
    if (STATUS(journeystream_log_from_csv_file(tsv, &o, &log, NULL), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(journeystream_log_num_cases(log) == 2);
        CHECK(journeystream_log_num_events(log) == 3);
    }
    journeystream_log_free(log);

    log = SENTINEL;
    o.timestamp_format = NULL; /* auto does not guess slashed day/month dates */
    CHECK(STATUS(journeystream_log_from_csv_file(tsv, &o, &log, NULL), JOURNEYSTREAM_STATUS_INPUT));
    CHECK(MESSAGE_HAS("tabs.tsv"));
    CHECK(log == SENTINEL);
    o.timestamp_format = "iso";
    CHECK(STATUS(journeystream_log_from_csv_file(tsv, &o, &log, NULL), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(MESSAGE_HAS("iso"));
    o.timestamp_format = "%d/%m/%Y %H:%M";
    o.time_zone = "Mars/Olympus";
    CHECK(STATUS(journeystream_log_from_csv_file(tsv, &o, &log, NULL), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(MESSAGE_HAS("Mars/Olympus"));
    o.time_zone = "Europe/Amsterdam";
    o.case_column = "ticket";
    CHECK(STATUS(journeystream_log_from_csv_file(tsv, &o, &log, NULL), JOURNEYSTREAM_STATUS_INPUT));
    CHECK(MESSAGE_HAS("ticket"));
    CHECK(log == SENTINEL);
    CHECK(STATUS(journeystream_log_from_csv_file(NULL, &o, &log, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_log_from_csv_file(tsv, &o, NULL, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(log == SENTINEL);
    free(tsv);
}

/* tests/data/logs/bad_rows.csv: fails at line 3; skipping counts the bad rows. */
/* Progress: the callback hears the bytes read (the whole file at the end) and can stop a read,
 * which then fails with IO saying it was cancelled. */
typedef struct {
    int calls;
    uint64_t last;
    bool go_on;
} progress_seen;

static bool on_progress(uint64_t bytes_read, void *user_data) {
    progress_seen *seen = user_data;
    seen->calls++;
    seen->last = bytes_read;
    return seen->go_on;
}

static void test_progress(void) {
    char *csv = join(g_root, "tests/data/logs/small.csv.gz");
    char *xes = join(g_root, "tests/data/logs/small.xes");
    progress_seen seen = {0, 0, true};
    journeystream_csv_options o = {0};
    o.progress.callback = on_progress;
    o.progress.user_data = &seen;
    journeystream_log *log = NULL;
    if (STATUS(journeystream_log_from_csv_file(csv, &o, &log, NULL), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(seen.calls >= 1);
        FILE *f = fopen(csv, "rb");
        REQUIRE(f != NULL);
        fseek(f, 0, SEEK_END);
        CHECK(seen.last == (uint64_t)ftell(f));
        fclose(f);
    }
    journeystream_log_free(log);
    log = SENTINEL;
    seen.go_on = false;
    CHECK(STATUS(journeystream_log_from_csv_file(csv, &o, &log, NULL), JOURNEYSTREAM_STATUS_IO));
    CHECK(MESSAGE_HAS("cancelled by its progress callback"));
    CHECK(log == SENTINEL);
    journeystream_progress p = {on_progress, &seen};
    seen.calls = 0;
    CHECK(STATUS(journeystream_log_from_xes_file_progress(xes, false, &p, &log, NULL), JOURNEYSTREAM_STATUS_IO));
    CHECK(seen.calls == 1);
    seen.go_on = true;
    if (STATUS(journeystream_log_from_xes_file_progress(xes, false, &p, &log, NULL), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(journeystream_log_num_events(log) > 0);
        journeystream_log_free(log);
    }
    free(csv);
    free(xes);
}

static void test_csv_bad_rows(void) {
    char *path = join(g_root, "tests/data/logs/bad_rows.csv");
    journeystream_log *log = SENTINEL;
    size_t skipped = 99;
    CHECK(STATUS(journeystream_log_from_csv_file(path, NULL, &log, &skipped), JOURNEYSTREAM_STATUS_INPUT));
    CHECK(MESSAGE_HAS("line 3"));
    CHECK(log == SENTINEL && skipped == 99);
    journeystream_csv_options o = {0};
    o.skip_bad_rows = true;
    o.value_column = "value";
    if (STATUS(journeystream_log_from_csv_file(path, &o, &log, &skipped), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(skipped == 5);
        CHECK(journeystream_log_num_events(log) == 2);
        journeystream_log_free(log);
    }
    free(path);
    path = join(g_root, "tests/no-such-log.csv");
    log = SENTINEL;
    CHECK(STATUS(journeystream_log_from_jsonl_file(path, NULL, &log, NULL), JOURNEYSTREAM_STATUS_IO));
    CHECK(log == SENTINEL);
    free(path);
}

/* Activity statistics of the small log: a is always first (no waiting time); b waits 10, 30 and 0
 * s; no start times, so no service time. */
static void test_activity_stats_json(void) {
    journeystream_log *log = small_log(__LINE__);
    REQUIRE(log != NULL);
    char *text = SENTINEL;
    if (STATUS(journeystream_log_activity_stats_json(log, &text), JOURNEYSTREAM_STATUS_OK)) {
        char error[256];
        json_value *v = json_parse(text, strlen(text), error, sizeof error);
        if (CHECK(v != NULL) && CHECK(v->type == JSON_ARRAY) && CHECK(json_length(v) == 4)) {
            const json_value *a = json_at(v, 0);
            const json_value *b = json_at(v, 1);
            CHECK_STR(json_get(a, "activity")->string, "a");
            CHECK(json_get(a, "events")->number == 4.0);
            CHECK(json_get(a, "waiting_time")->type == JSON_NULL);
            CHECK(json_get(a, "service_time")->type == JSON_NULL);
            CHECK_STR(json_get(b, "activity")->string, "b");
            const json_value *w = json_get(b, "waiting_time");
            if (CHECK(w != NULL && w->type == JSON_OBJECT)) {
                CHECK(json_get(w, "count")->number == 3.0);
                CHECK_CLOSE(json_get(w, "mean")->number, 40.0 / 3.0);
            }
            CHECK(json_get(b, "rework_cases")->number == 0.0);
        }
        json_free(v);
        journeystream_string_free(text);
    }
    text = SENTINEL;
    CHECK(STATUS(journeystream_log_activity_stats_json(NULL, &text), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_log_activity_stats_json(log, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(text == SENTINEL);
    journeystream_log_free(log);
}

/* Arrivals of the small log: cases start at T0 + 0, 100, 50, 1000 s (2023-11-14 22:13:20Z on), all
 * in one hour and day: inter-arrival 50, 50, 900 s. */
static void test_arrivals_json(void) {
    journeystream_log *log = small_log(__LINE__);
    REQUIRE(log != NULL);
    const uint32_t periods[] = {JOURNEYSTREAM_PERIOD_HOUR, JOURNEYSTREAM_PERIOD_DAY, JOURNEYSTREAM_PERIOD_WEEK};
    const char *names[] = {"hour", "day", "week"};
    for (size_t i = 0; i < 3; i++) {
        char *text = NULL;
        if (!STATUS(journeystream_log_arrivals_json(log, periods[i], &text), JOURNEYSTREAM_STATUS_OK)) {
            continue;
        }
        char error[256];
        json_value *v = json_parse(text, strlen(text), error, sizeof error);
        if (CHECK(v != NULL) && CHECK(v->type == JSON_OBJECT)) {
            CHECK_STR(json_get(v, "period")->string, names[i]);
            CHECK(json_get(v, "cases")->number == 4.0);
            CHECK(json_get(v, "periods")->number == 1.0);
            CHECK(json_get(v, "rate")->number == 4.0);
            CHECK_CLOSE(json_get(json_get(v, "inter_arrival"), "mean")->number, 1000.0 / 3.0);
            CHECK(json_length(json_get(v, "buckets")) == 1);
        }
        json_free(v);
        journeystream_string_free(text);
    }
    char *text = SENTINEL;
    CHECK(STATUS(journeystream_log_arrivals_json(log, 3, &text), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(MESSAGE_HAS("period"));
    CHECK(text == SENTINEL);
    CHECK(STATUS(journeystream_log_arrivals_json(NULL, 1, &text), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    journeystream_log_free(log);
}

/* Filters from JSON: the top variant (a,b,c: c1 and c2), events other than a, and errors. */
static void test_filter(void) {
    journeystream_log *log = small_log(__LINE__);
    REQUIRE(log != NULL);
    journeystream_log *top = NULL;
    const char *f = "{\"top_variants\": 1}";
    if (STATUS(journeystream_log_filter(log, f, strlen(f), &top), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(journeystream_log_num_cases(top) == 2);
        CHECK(journeystream_log_num_events(top) == 6);
        journeystream_log_free(top);
    }
    f = "{\"not\": {\"activities\": [\"a\"]}}";
    journeystream_log *rest = NULL;
    if (STATUS(journeystream_log_filter(log, f, strlen(f), &rest), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(journeystream_log_num_cases(rest) == 4);
        CHECK(journeystream_log_num_events(rest) == 6);
        journeystream_log_free(rest);
    }
    /* Only `len` bytes are read: the trailing garbage is not seen. */
    f = "{\"contains_any\": [\"d\"]}garbage";
    rest = NULL;
    if (STATUS(journeystream_log_filter(log, f, strlen(f) - 7, &rest), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(journeystream_log_num_cases(rest) == 1);
        journeystream_log_free(rest);
    }
    journeystream_log *out = SENTINEL;
    f = "{\"top_variants\": ";
    CHECK(STATUS(journeystream_log_filter(log, f, strlen(f), &out), JOURNEYSTREAM_STATUS_PARSE));
    f = "{\"sometimes\": 1}";
    CHECK(STATUS(journeystream_log_filter(log, f, strlen(f), &out), JOURNEYSTREAM_STATUS_PARSE));
    CHECK(MESSAGE_HAS("unknown variant `sometimes`"));
    /* Durations in seconds; the nanosecond form of old is refused with its path. */
    f = "{\"case_duration\": {\"max\": 3600000000000}}";
    CHECK(STATUS(journeystream_log_filter(log, f, strlen(f), &out), JOURNEYSTREAM_STATUS_PARSE));
    CHECK(MESSAGE_HAS("case_duration.max"));
    /* A name the log does not have is an error suggesting the closest, not an empty log. */
    f = "{\"contains_any\": [\"bb\"]}";
    CHECK(STATUS(journeystream_log_filter(log, f, strlen(f), &out), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(MESSAGE_HAS("'bb' is not an activity of the log; did you mean"));
    CHECK(STATUS(journeystream_log_filter(log, NULL, 3, &out), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_log_filter(NULL, f, strlen(f), &out), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(out == SENTINEL);
    journeystream_log_free(log);
}

/* BPI Challenge 2012 (../shared/data/bpic2012.xes.gz): 13087 cases, 262200 events. The edge
 * figures are the Rust profile's, which match pm4py's discover_dfg on this log. */
static void test_bpic2012(void) {
    char *path = join(g_root, "../shared/data/bpic2012.xes.gz");
    if (access(path, R_OK) != 0) {
        skip("%s is not there (%s): BPIC 2012 not checked", path, strerror(errno));
        free(path);
        return;
    }
    journeystream_log *log = NULL;
    journeystream_profile *p = NULL;
    size_t skipped = 99;
    if (STATUS(journeystream_log_from_xes_file(path, false, &log, &skipped), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(skipped == 0);
        CHECK(journeystream_log_num_cases(log) == 13087);
        CHECK(journeystream_log_num_events(log) == 262200);
        journeystream_process_summary s;
        if (STATUS(journeystream_log_profile(log, &p), JOURNEYSTREAM_STATUS_OK) &&
            STATUS(journeystream_profile_summary(p, &s), JOURNEYSTREAM_STATUS_OK)) {
            CHECK(s.cases == 13087);
            CHECK(s.events == 262200);
            CHECK(s.activity_count == 24);
            CHECK(s.dfg_edge_count == 125);
            CHECK(s.variant_count == 4366);
            CHECK_CLOSE(s.case_durations.max, 11855936.012);
            static const struct {
                const char *source;
                const char *target;
                uint64_t count;
            } edges[] = {
                {"W_Completeren aanvraag", "W_Completeren aanvraag", 38004},
                {"W_Nabellen offertes", "W_Nabellen offertes", 36084},
                {"W_Nabellen incomplete dossiers", "W_Nabellen incomplete dossiers", 18475},
                {"A_SUBMITTED", "A_PARTLYSUBMITTED", 13087},
                {"A_PREACCEPTED", "W_Completeren aanvraag", 7367},
                {"O_CREATED", "O_SENT", 7030},
            };
            for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
                journeystream_dfg_edge d;
                if (STATUS(journeystream_profile_dfg_edge(p, i, &d), JOURNEYSTREAM_STATUS_OK)) {
                    CHECK_STR(d.source, edges[i].source);
                    CHECK_STR(d.target, edges[i].target);
                    if (d.count != edges[i].count) {
                        note(__LINE__, "edge %zu count %llu, expected %llu", i, (unsigned long long)d.count,
                             (unsigned long long)edges[i].count);
                    }
                }
            }
            journeystream_endpoint e;
            if (STATUS(journeystream_profile_start_activity(p, 0, &e), JOURNEYSTREAM_STATUS_OK)) {
                CHECK_STR(e.activity, "A_SUBMITTED");
                CHECK(e.cases == 13087);
            }
            journeystream_variant v;
            if (STATUS(journeystream_profile_variant(p, 0, &v), JOURNEYSTREAM_STATUS_OK)) {
                CHECK(v.count == 3429);
                CHECK(v.activity_count == 3);
            }
        }
    }
    journeystream_profile_free(p);
    journeystream_log_free(log);
    free(path);
}

/* ---------------------------------------------------------------------------------------------- */

static const test TESTS[] = {
    TEST(test_small_log_from_columns),
    TEST(test_profile_json),
    TEST(test_small_log_from_rows),
    TEST(test_start_timestamps),
    TEST(test_empty_log),
    TEST(test_null_arguments),
    TEST(test_index_out_of_bounds),
    TEST(test_bad_elements),
    TEST(test_xes_file),
    TEST(test_xes_bad_input),
    TEST(test_xes_missing_file),
    TEST(test_csv_and_jsonl_files),
    TEST(test_csv_options),
    TEST(test_progress),
    TEST(test_csv_bad_rows),
    TEST(test_activity_stats_json),
    TEST(test_arrivals_json),
    TEST(test_filter),
    TEST(test_bpic2012),
};

int main(int argc, char **argv) {
    return run_tests(TESTS, sizeof TESTS / sizeof TESTS[0], argc, argv);
}
