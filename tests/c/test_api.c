/* Unit tests of the C API conventions: `test_api <repo_root>`.
 *
 * Each test is a function; a failed CHECK records the line and goes on, a failed REQUIRE ends the
 * test. Prints `ok <test>` or `FAIL <test>: <reasons>` per test and finally `N passed, M failed`. */

#define _POSIX_C_SOURCE 200809L

#include "harness.h"
#include "json.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Loads a file of the repository (NULL, with a note, when that fails). */
static journeystream_map *load_example(const char *relative, int line) {
    char *path = join(g_root, relative);
    journeystream_map *map = NULL;
    journeystream_status s = journeystream_map_from_file(path, &map);
    if (s != JOURNEYSTREAM_STATUS_OK) {
        const char *m = journeystream_last_error_message();
        note(line, "loading %s gave %s: %s", path, status_name(s), m != NULL ? m : "no message");
        map = NULL;
    }
    free(path);
    return map;
}

static char *read_text(const char *relative, size_t *len, int line) {
    char *path = join(g_root, relative);
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    if (f == NULL) {
        note(line, "cannot open %s: %s", path, strerror(errno));
    } else {
        size_t cap = 1 << 16;
        size_t n = 0;
        data = malloc(cap + 1);
        while (data != NULL) {
            n += fread(data + n, 1, cap - n, f);
            if (n < cap) {
                break;
            }
            cap *= 2;
            char *bigger = realloc(data, cap + 1);
            if (bigger == NULL) {
                free(data);
            }
            data = bigger;
        }
        if (data != NULL) {
            data[n] = '\0';
            *len = n;
        }
        fclose(f);
    }
    free(path);
    return data;
}

/* A small valid document, and the same with problems. */
static const char VALID_DOC[] =
    "{\"value_stream\": {\"id\": \"vs\", \"name\": \"VS\", \"time_basis\": {\"days\": \"calendar\"},"
    " \"steps\": [{\"id\": \"a\", \"name\": \"A\", \"process_time\": \"2h\"}]}}";
static const char NEGATIVE_TIME_DOC[] =
    "{\"value_stream\": {\"id\": \"vs\", \"name\": \"VS\", \"time_basis\": {\"days\": \"calendar\"},"
    " \"steps\": [{\"id\": \"a\", \"name\": \"A\", \"process_time\": \"-2h\"}]}}";
static const char TWO_PROBLEMS_DOC[] =
    "{\"value_stream\": {\"id\": \"vs\", \"name\": \"VS\", \"time_basis\": {\"days\": \"calendar\"},"
    " \"steps\": [{\"id\": \"a\", \"name\": \"A\", \"process_time\": \"-2h\", \"complete_accurate_pct\": 120}]}}";

/* ---------------------------------------------------------------------------------------------- */
/* Tests. */

static void test_version(void) {
    const char *v = journeystream_version();
    REQUIRE(v != NULL);
    CHECK(strlen(v) > 0);
    CHECK(strchr(v, '.') != NULL);
}

static void test_status_names(void) {
    static const char *const names[17] = {
        "ok",          "null_argument",        "panic",              "invalid_utf8",
        "io",          "parse",                "unknown_reference",  "duplicate_id",
        "out_of_range", "negative_time",       "emotion_out_of_scale", "cycle_without_exit",
        "invalid",     "missing_data",         "invalid_argument",   "out_of_bounds",
        "input",
    };
    for (uint32_t i = 0; i < 17; i++) {
        const char *got = journeystream_status_name(i);
        if (got == NULL || strcmp(got, names[i]) != 0) {
            note(__LINE__, "status %u is named \"%s\", expected \"%s\"", (unsigned)i, got != NULL ? got : "NULL",
                 names[i]);
        }
    }
    /* The enum constants are those numbers. */
    CHECK(JOURNEYSTREAM_STATUS_OK == 0);
    CHECK(JOURNEYSTREAM_STATUS_NULL_ARGUMENT == 1);
    CHECK(JOURNEYSTREAM_STATUS_INVALID_UTF8 == 3);
    CHECK(JOURNEYSTREAM_STATUS_PARSE == 5);
    CHECK(JOURNEYSTREAM_STATUS_INVALID_ARGUMENT == 14);
    CHECK(JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS == 15);
    CHECK(strcmp(journeystream_status_name(99), "unknown") == 0);
    CHECK(JOURNEYSTREAM_STATUS_INPUT == 16);
    CHECK(strcmp(journeystream_status_name(17), "unknown") == 0);
    CHECK(strcmp(journeystream_status_name(UINT32_MAX), "unknown") == 0);
}

static void test_free_functions_accept_null(void) {
    journeystream_map_free(NULL);
    journeystream_metrics_free(NULL);
    journeystream_comparison_free(NULL);
    journeystream_string_free(NULL);
    CHECK(journeystream_comparison_count(NULL) == 0);
}

static void test_null_arguments_loading(void) {
    const size_t len = sizeof VALID_DOC - 1;
    journeystream_map *map = SENTINEL;
    CHECK(STATUS(journeystream_map_from_json(NULL, len, &map), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(map == SENTINEL);
    CHECK(MESSAGE_HAS("json"));
    CHECK(journeystream_last_error_path() == NULL);
    CHECK(STATUS(journeystream_map_from_json(VALID_DOC, len, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(MESSAGE_HAS("out_map"));

    CHECK(STATUS(journeystream_map_from_file(NULL, &map), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(map == SENTINEL);
    CHECK(MESSAGE_HAS("path"));
    char *path = join(g_root, "examples/acme-stamping.json");
    CHECK(STATUS(journeystream_map_from_file(path, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    free(path);

    char *json = SENTINEL;
    CHECK(STATUS(journeystream_problems_json(NULL, len, &json), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(json == SENTINEL);
    CHECK(STATUS(journeystream_problems_json(VALID_DOC, len, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));

    CHECK(STATUS(journeystream_stage_preset_json(JOURNEYSTREAM_STAGE_PRESET_FIVE_STAGE, NULL),
                 JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(MESSAGE_HAS("NULL"));
}

static void test_null_arguments_map(void) {
    journeystream_map *map = load_example("examples/support-journey.json", __LINE__);
    REQUIRE(map != NULL);
    char *json = SENTINEL;
    journeystream_map *future = SENTINEL;
    journeystream_metrics *metrics = SENTINEL;

    CHECK(STATUS(journeystream_map_to_json(NULL, &json), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(json == SENTINEL);
    CHECK(MESSAGE_HAS("map"));
    CHECK(STATUS(journeystream_map_to_json(map, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));

    CHECK(STATUS(journeystream_map_project(NULL, &future), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(future == SENTINEL);
    CHECK(STATUS(journeystream_map_project(map, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));

    CHECK(STATUS(journeystream_map_project_json(NULL, &json), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(json == SENTINEL);
    CHECK(STATUS(journeystream_map_project_json(map, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));

    CHECK(STATUS(journeystream_map_measure(NULL, JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS, &metrics),
                 JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(metrics == SENTINEL);
    CHECK(STATUS(journeystream_map_measure(map, JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS, NULL),
                 JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(MESSAGE_HAS("out_metrics"));
    journeystream_map_free(map);
}

static void test_null_arguments_metrics(void) {
    journeystream_map *map = load_example("examples/support-journey.json", __LINE__);
    REQUIRE(map != NULL);
    journeystream_metrics *m = NULL;
    journeystream_status s = journeystream_map_measure(map, JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS, &m);
    journeystream_map_free(map);
    REQUIRE_OK(s);

    /* Struct outs are filled with a pattern that must survive a failed call (compared as bytes). */
    journeystream_summary summary, summary0;
    memset(&summary, 0x5A, sizeof summary);
    memcpy(&summary0, &summary, sizeof summary);
    CHECK(STATUS(journeystream_metrics_summary(NULL, &summary), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(memcmp(&summary, &summary0, sizeof summary) == 0);
    CHECK(MESSAGE_HAS("metrics"));
    CHECK(STATUS(journeystream_metrics_summary(m, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));

    journeystream_step_metrics step, step0;
    memset(&step, 0x5A, sizeof step);
    memcpy(&step0, &step, sizeof step);
    CHECK(STATUS(journeystream_metrics_step(NULL, 0, &step), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(memcmp(&step, &step0, sizeof step) == 0);
    CHECK(STATUS(journeystream_metrics_step(m, 0, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));

    journeystream_group_metrics group, group0;
    memset(&group, 0x5A, sizeof group);
    memcpy(&group0, &group, sizeof group);
    CHECK(STATUS(journeystream_metrics_group(NULL, JOURNEYSTREAM_GROUP_KIND_STAGE, 0, &group),
                 JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(memcmp(&group, &group0, sizeof group) == 0);
    CHECK(STATUS(journeystream_metrics_group(m, JOURNEYSTREAM_GROUP_KIND_STAGE, 0, NULL),
                 JOURNEYSTREAM_STATUS_NULL_ARGUMENT));

    journeystream_moment_metrics moment, moment0;
    memset(&moment, 0x5A, sizeof moment);
    memcpy(&moment0, &moment, sizeof moment);
    CHECK(STATUS(journeystream_metrics_moment(NULL, 0, &moment), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(memcmp(&moment, &moment0, sizeof moment) == 0);
    CHECK(STATUS(journeystream_metrics_moment(m, 0, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));

    char *json = SENTINEL;
    CHECK(STATUS(journeystream_metrics_to_json(NULL, &json), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(json == SENTINEL);
    CHECK(STATUS(journeystream_metrics_to_json(m, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));

    journeystream_comparison *cmp = SENTINEL;
    CHECK(STATUS(journeystream_compare(NULL, m, &cmp), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(cmp == SENTINEL);
    CHECK(MESSAGE_HAS("before"));
    CHECK(STATUS(journeystream_compare(m, NULL, &cmp), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(cmp == SENTINEL);
    CHECK(MESSAGE_HAS("after"));
    CHECK(STATUS(journeystream_compare(m, m, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(MESSAGE_HAS("out_comparison"));
    journeystream_metrics_free(m);
}

static void test_null_arguments_comparison(void) {
    journeystream_map *map = load_example("examples/support-journey.json", __LINE__);
    REQUIRE(map != NULL);
    journeystream_metrics *m = NULL;
    journeystream_comparison *cmp = NULL;
    journeystream_status s = journeystream_map_measure(map, JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS, &m);
    journeystream_map_free(map);
    REQUIRE_OK(s);
    s = journeystream_compare(m, m, &cmp);
    journeystream_metrics_free(m);
    REQUIRE_OK(s);

    journeystream_metric_change change, change0;
    memset(&change, 0x5A, sizeof change);
    memcpy(&change0, &change, sizeof change);
    CHECK(STATUS(journeystream_comparison_get(NULL, 0, &change), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(memcmp(&change, &change0, sizeof change) == 0);
    CHECK(STATUS(journeystream_comparison_get(cmp, 0, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));

    char *json = SENTINEL;
    CHECK(STATUS(journeystream_comparison_to_json(NULL, &json), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(json == SENTINEL);
    CHECK(STATUS(journeystream_comparison_to_json(cmp, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    journeystream_comparison_free(cmp);
}

static void test_littles_law(void) {
    double wip = 50.0;
    double lead = 2.5;
    double rate = 20.0;
    journeystream_littles_law_result result, result0;
    memset(&result, 0x5A, sizeof result);
    memcpy(&result0, &result, sizeof result);
    CHECK(STATUS(journeystream_littles_law(&wip, NULL, &lead, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_littles_law(NULL, NULL, NULL, &result), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(memcmp(&result, &result0, sizeof result) == 0);
    CHECK(STATUS(journeystream_littles_law(&wip, &rate, &lead, &result), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(memcmp(&result, &result0, sizeof result) == 0);
    CHECK(MESSAGE_HAS("exactly two"));
    REQUIRE_OK(journeystream_littles_law(&wip, NULL, &lead, &result));
    CHECK(close_to(result.throughput_per_day, 20.0));
    CHECK(close_to(result.wip, 50.0));
    CHECK(close_to(result.lead_time_days, 2.5));
    REQUIRE_OK(journeystream_littles_law(NULL, &rate, &lead, &result));
    CHECK(close_to(result.wip, 50.0));
    REQUIRE_OK(journeystream_littles_law(&wip, &rate, NULL, &result));
    CHECK(close_to(result.lead_time_days, 2.5));

    /* Not a finite number >= 0, or a zero to divide by: an invalid argument, result untouched. */
    memcpy(&result, &result0, sizeof result);
    double nan = NAN;
    double negative = -1.0;
    double zero = 0.0;
    CHECK(STATUS(journeystream_littles_law(&nan, &rate, NULL, &result), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(STATUS(journeystream_littles_law(&negative, &rate, NULL, &result),
                 JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(STATUS(journeystream_littles_law(&wip, &zero, NULL, &result), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(journeystream_last_error_path() == NULL);
    CHECK(memcmp(&result, &result0, sizeof result) == 0);
}

static void test_empty_slice(void) {
    journeystream_map *map = SENTINEL;
    CHECK(STATUS(journeystream_map_from_json(NULL, 0, &map), JOURNEYSTREAM_STATUS_PARSE));
    CHECK(map == SENTINEL);
    CHECK(MESSAGE_HAS("empty"));
    CHECK(journeystream_last_error_path() == NULL);
    CHECK(STATUS(journeystream_map_from_json("", 0, &map), JOURNEYSTREAM_STATUS_PARSE));
    CHECK(MESSAGE_HAS("empty"));
    /* Only whitespace is empty too; a length of 0 ignores what the pointer points to. */
    CHECK(STATUS(journeystream_map_from_json(" \n\t", 3, &map), JOURNEYSTREAM_STATUS_PARSE));
    CHECK(MESSAGE_HAS("empty"));
    CHECK(STATUS(journeystream_map_from_json(VALID_DOC, 0, &map), JOURNEYSTREAM_STATUS_PARSE));
    CHECK(map == SENTINEL);

    char *json = NULL;
    REQUIRE_OK(journeystream_problems_json(NULL, 0, &json));
    REQUIRE(json != NULL);
    json_value *v = json_parse(json, strlen(json), NULL, 0);
    CHECK(v != NULL && json_length(v) == 1);
    const json_value *kind = json_get(json_at(v, 0), "kind");
    CHECK(kind != NULL && kind->type == JSON_STRING && strcmp(kind->string, "parse") == 0);
    json_free(v);
    journeystream_string_free(json);
}

static void test_invalid_utf8(void) {
    journeystream_map *map = SENTINEL;
    CHECK(STATUS(journeystream_map_from_json("\xff", 1, &map), JOURNEYSTREAM_STATUS_INVALID_UTF8));
    CHECK(map == SENTINEL);
    CHECK(MESSAGE_HAS("UTF-8"));
    /* Invalid UTF-8 inside a JSON string of an otherwise fine document. */
    static const char bad[] = "{\"value_stream\": {\"id\": \"v\xc3\x28\"}}";
    CHECK(STATUS(journeystream_map_from_json(bad, sizeof bad - 1, &map), JOURNEYSTREAM_STATUS_INVALID_UTF8));
    CHECK(map == SENTINEL);
    /* An overlong encoding and a lone surrogate encoded in UTF-8 are not UTF-8 either. */
    CHECK(STATUS(journeystream_map_from_json("\xc0\xaf", 2, &map), JOURNEYSTREAM_STATUS_INVALID_UTF8));
    CHECK(STATUS(journeystream_map_from_json("\xed\xa0\x80", 3, &map), JOURNEYSTREAM_STATUS_INVALID_UTF8));
    CHECK(map == SENTINEL);
    /* A file name. */
    CHECK(STATUS(journeystream_map_from_file("\xff\xfe.json", &map), JOURNEYSTREAM_STATUS_INVALID_UTF8));
    CHECK(map == SENTINEL);
    char *json = SENTINEL;
    CHECK(STATUS(journeystream_problems_json("\xff", 1, &json), JOURNEYSTREAM_STATUS_INVALID_UTF8));
    CHECK(json == SENTINEL);
}

static void test_enum_out_of_range(void) {
    journeystream_map *map = load_example("examples/support-journey.json", __LINE__);
    REQUIRE(map != NULL);
    journeystream_metrics *m = SENTINEL;
    CHECK(STATUS(journeystream_map_measure(map, 7, &m), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(m == SENTINEL);
    CHECK(MESSAGE_HAS("rework_model"));
    CHECK(journeystream_last_error_path() == NULL);
    CHECK(STATUS(journeystream_map_measure(map, UINT32_MAX, &m), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(m == SENTINEL);
    m = NULL;
    journeystream_status s = journeystream_map_measure(map, JOURNEYSTREAM_REWORK_MODEL_GEOMETRIC, &m);
    journeystream_map_free(map);
    REQUIRE_OK(s);

    journeystream_group_metrics group, group0;
    memset(&group, 0x5A, sizeof group);
    memcpy(&group0, &group, sizeof group);
    CHECK(STATUS(journeystream_metrics_group(m, 9, 0, &group), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(memcmp(&group, &group0, sizeof group) == 0);
    CHECK(MESSAGE_HAS("kind"));
    CHECK(STATUS(journeystream_metrics_group(m, JOURNEYSTREAM_GROUP_KIND_STAGE, 0, &group), JOURNEYSTREAM_STATUS_OK));
    CHECK(STATUS(journeystream_metrics_group(m, JOURNEYSTREAM_GROUP_KIND_LANE, 0, &group), JOURNEYSTREAM_STATUS_OK));
    journeystream_metrics_free(m);

    char *json = SENTINEL;
    CHECK(STATUS(journeystream_stage_preset_json(5, &json), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(json == SENTINEL);
    CHECK(MESSAGE_HAS("preset"));
    CHECK(STATUS(journeystream_stage_preset_json(2, &json), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(json == SENTINEL);
}

static void test_index_out_of_bounds(void) {
    journeystream_map *map = load_example("examples/support-journey.json", __LINE__);
    REQUIRE(map != NULL);
    journeystream_metrics *m = NULL;
    journeystream_map *future = NULL;
    journeystream_metrics *after = NULL;
    journeystream_comparison *cmp = NULL;
    journeystream_status s = journeystream_map_measure(map, JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS, &m);
    if (s == JOURNEYSTREAM_STATUS_OK) {
        s = journeystream_map_project(map, &future);
    }
    if (s == JOURNEYSTREAM_STATUS_OK) {
        s = journeystream_map_measure(future, JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS, &after);
    }
    if (s == JOURNEYSTREAM_STATUS_OK) {
        s = journeystream_compare(m, after, &cmp);
    }
    journeystream_map_free(map);
    journeystream_map_free(future);
    journeystream_metrics_free(after);
    if (!STATUS(s, JOURNEYSTREAM_STATUS_OK)) {
        journeystream_metrics_free(m);
        return;
    }

    journeystream_summary summary;
    CHECK(STATUS(journeystream_metrics_summary(m, &summary), JOURNEYSTREAM_STATUS_OK));
    CHECK(summary.step_count == 10);
    CHECK(summary.stage_count > 0);
    CHECK(summary.lane_count > 0);
    CHECK(summary.moment_count > 0);

    journeystream_step_metrics step, step0;
    memset(&step, 0x5A, sizeof step);
    memcpy(&step0, &step, sizeof step);
    CHECK(STATUS(journeystream_metrics_step(m, summary.step_count, &step), JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
    CHECK(memcmp(&step, &step0, sizeof step) == 0);
    CHECK(MESSAGE_HAS("out of bounds"));
    CHECK(journeystream_last_error_path() == NULL);
    CHECK(STATUS(journeystream_metrics_step(m, SIZE_MAX, &step), JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
    CHECK(memcmp(&step, &step0, sizeof step) == 0);
    CHECK(STATUS(journeystream_metrics_step(m, summary.step_count - 1, &step), JOURNEYSTREAM_STATUS_OK));

    journeystream_group_metrics group, group0;
    memset(&group, 0x5A, sizeof group);
    memcpy(&group0, &group, sizeof group);
    CHECK(STATUS(journeystream_metrics_group(m, JOURNEYSTREAM_GROUP_KIND_STAGE, summary.stage_count, &group),
                 JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
    CHECK(STATUS(journeystream_metrics_group(m, JOURNEYSTREAM_GROUP_KIND_LANE, summary.lane_count, &group),
                 JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
    CHECK(memcmp(&group, &group0, sizeof group) == 0);

    journeystream_moment_metrics moment, moment0;
    memset(&moment, 0x5A, sizeof moment);
    memcpy(&moment0, &moment, sizeof moment);
    CHECK(STATUS(journeystream_metrics_moment(m, summary.moment_count, &moment),
                 JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
    CHECK(memcmp(&moment, &moment0, sizeof moment) == 0);

    size_t count = journeystream_comparison_count(cmp);
    CHECK(count > 0);
    journeystream_metric_change change, change0;
    memset(&change, 0x5A, sizeof change);
    memcpy(&change0, &change, sizeof change);
    CHECK(STATUS(journeystream_comparison_get(cmp, count, &change), JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
    CHECK(memcmp(&change, &change0, sizeof change) == 0);

    journeystream_comparison_free(cmp);
    journeystream_metrics_free(m);
}

static void test_last_error_lifecycle(void) {
    journeystream_map *map = NULL;
    REQUIRE_OK(journeystream_map_from_json(VALID_DOC, sizeof VALID_DOC - 1, &map));
    CHECK(journeystream_last_error_message() == NULL);
    CHECK(journeystream_last_error_path() == NULL);

    journeystream_map *other = SENTINEL;
    CHECK(STATUS(journeystream_map_from_json(NEGATIVE_TIME_DOC, sizeof NEGATIVE_TIME_DOC - 1, &other),
                 JOURNEYSTREAM_STATUS_NEGATIVE_TIME));
    CHECK(other == SENTINEL);
    const char *message = journeystream_last_error_message();
    const char *path = journeystream_last_error_path();
    CHECK(message != NULL && strlen(message) > 0);
    CHECK(path != NULL && strcmp(path, "value_stream.steps[0].process_time") == 0);

    /* A successful call clears both. */
    char *json = NULL;
    CHECK(STATUS(journeystream_map_to_json(map, &json), JOURNEYSTREAM_STATUS_OK));
    CHECK(journeystream_last_error_message() == NULL);
    CHECK(journeystream_last_error_path() == NULL);
    journeystream_string_free(json);

    /* A failure without a path sets the message and no path. */
    CHECK(STATUS(journeystream_map_measure(map, 7, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(journeystream_last_error_message() != NULL);
    CHECK(journeystream_last_error_path() == NULL);
    journeystream_metrics *m = NULL;
    CHECK(STATUS(journeystream_map_measure(map, JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS, &m),
                 JOURNEYSTREAM_STATUS_OK));
    CHECK(journeystream_last_error_message() == NULL);
    journeystream_metrics_free(m);
    journeystream_map_free(map);
}

static void *fail_on_other_thread(void *arg) {
    const char **seen = arg;
    seen[0] = journeystream_last_error_message(); /* this thread has made no call yet */
    journeystream_map *map = NULL;
    (void)journeystream_map_from_json("[", 1, &map);
    seen[1] = journeystream_last_error_message() != NULL ? "set" : NULL;
    return NULL;
}

static void test_last_error_is_per_thread(void) {
    journeystream_map *map = NULL;
    REQUIRE_OK(journeystream_map_from_json(VALID_DOC, sizeof VALID_DOC - 1, &map));
    const char *seen[2] = {"unset", "unset"};
    pthread_t thread;
    REQUIRE(pthread_create(&thread, NULL, fail_on_other_thread, seen) == 0);
    REQUIRE(pthread_join(thread, NULL) == 0);
    CHECK(seen[0] == NULL);
    CHECK(seen[1] != NULL);
    /* The other thread's failure is not this thread's. */
    CHECK(journeystream_last_error_message() == NULL);
    journeystream_map_free(map);
}

static void test_missing_file(void) {
    char *path = join(g_root, "examples/no-such-file-for-test-api.json");
    journeystream_map *map = SENTINEL;
    CHECK(STATUS(journeystream_map_from_file(path, &map), JOURNEYSTREAM_STATUS_IO));
    CHECK(map == SENTINEL);
    CHECK(MESSAGE_HAS("no-such-file-for-test-api.json"));
    CHECK(MESSAGE_HAS(path));
    CHECK(journeystream_last_error_path() == NULL);
    free(path);
}

static void test_validation_error_from_file(void) {
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0') {
        dir = "/tmp";
    }
    char *path = join(dir, "journeystream-test-api-XXXXXX");
    int fd = mkstemp(path);
    if (!CHECK(fd >= 0)) {
        free(path);
        return;
    }
    FILE *f = fdopen(fd, "wb");
    bool written = f != NULL && fwrite(NEGATIVE_TIME_DOC, 1, sizeof NEGATIVE_TIME_DOC - 1, f) ==
                                    sizeof NEGATIVE_TIME_DOC - 1;
    if (f != NULL) {
        written = fclose(f) == 0 && written;
    } else {
        close(fd);
    }
    if (CHECK(written)) {
        journeystream_map *map = SENTINEL;
        CHECK(STATUS(journeystream_map_from_file(path, &map), JOURNEYSTREAM_STATUS_NEGATIVE_TIME));
        CHECK(map == SENTINEL);
        CHECK(MESSAGE_HAS(path));
        CHECK(MESSAGE_HAS("-2h"));
        const char *p = journeystream_last_error_path();
        CHECK(p != NULL && strcmp(p, "value_stream.steps[0].process_time") == 0);
    }
    remove(path);
    free(path);
}

/* Every problem object has kind (string), path (string or null) and message (string). */
static bool problem_shape_ok(const json_value *p) {
    const json_value *kind = json_get(p, "kind");
    const json_value *path = json_get(p, "path");
    const json_value *message = json_get(p, "message");
    return p->type == JSON_OBJECT && kind != NULL && kind->type == JSON_STRING && path != NULL &&
           (path->type == JSON_STRING || path->type == JSON_NULL) && message != NULL &&
           message->type == JSON_STRING;
}

static void test_problems_json(void) {
    size_t len = 0;
    char *text = read_text("examples/acme-stamping.json", &len, __LINE__);
    REQUIRE(text != NULL);
    char *json = NULL;
    journeystream_status s = journeystream_problems_json(text, len, &json);
    free(text);
    REQUIRE_OK(s);
    REQUIRE(json != NULL);
    CHECK(strcmp(json, "[]") == 0);
    journeystream_string_free(json);

    json = NULL;
    REQUIRE_OK(journeystream_problems_json(TWO_PROBLEMS_DOC, sizeof TWO_PROBLEMS_DOC - 1, &json));
    REQUIRE(json != NULL);
    CHECK(journeystream_last_error_message() == NULL);
    char error[256];
    json_value *v = json_parse(json, strlen(json), error, sizeof error);
    if (CHECK(v != NULL) && CHECK(v->type == JSON_ARRAY) && CHECK(json_length(v) == 2)) {
        for (size_t i = 0; i < json_length(v); i++) {
            CHECK(problem_shape_ok(json_at(v, i)));
        }
        const json_value *k0 = json_get(json_at(v, 0), "kind");
        const json_value *p0 = json_get(json_at(v, 0), "path");
        const json_value *k1 = json_get(json_at(v, 1), "kind");
        const json_value *p1 = json_get(json_at(v, 1), "path");
        CHECK(k0 != NULL && k0->type == JSON_STRING && strcmp(k0->string, "negative_time") == 0);
        CHECK(p0 != NULL && p0->type == JSON_STRING &&
              strcmp(p0->string, "value_stream.steps[0].process_time") == 0);
        CHECK(k1 != NULL && k1->type == JSON_STRING && strcmp(k1->string, "out_of_range") == 0);
        CHECK(p1 != NULL && p1->type == JSON_STRING &&
              strcmp(p1->string, "value_stream.steps[0].complete_accurate_pct") == 0);
    }
    json_free(v);
    journeystream_string_free(json);

    /* A syntax error is one problem of kind parse, without a path. */
    static const char syntax[] = "{\"value_stream\": ,}";
    json = NULL;
    REQUIRE_OK(journeystream_problems_json(syntax, sizeof syntax - 1, &json));
    v = json_parse(json, strlen(json), NULL, 0);
    if (CHECK(v != NULL) && CHECK(json_length(v) == 1) && CHECK(problem_shape_ok(json_at(v, 0)))) {
        CHECK(strcmp(json_get(json_at(v, 0), "kind")->string, "parse") == 0);
        CHECK(json_get(json_at(v, 0), "path")->type == JSON_NULL);
    }
    json_free(v);
    journeystream_string_free(json);
}

static void check_preset(uint32_t preset, size_t stages, int line) {
    char *json = NULL;
    if (!status_is(journeystream_stage_preset_json(preset, &json), JOURNEYSTREAM_STATUS_OK, line,
                   "journeystream_stage_preset_json")) {
        return;
    }
    char error[256];
    json_value *v = json_parse(json, strlen(json), error, sizeof error);
    if (v == NULL) {
        note(line, "preset %u: invalid JSON: %s", (unsigned)preset, error);
    } else if (v->type != JSON_ARRAY || json_length(v) != stages) {
        note(line, "preset %u: expected an array of %zu stages, got %s", (unsigned)preset, stages, json);
    } else {
        for (size_t i = 0; i < stages; i++) {
            const json_value *id = json_get(json_at(v, i), "id");
            const json_value *name = json_get(json_at(v, i), "name");
            if (id == NULL || id->type != JSON_STRING || id->length == 0 || name == NULL ||
                name->type != JSON_STRING) {
                note(line, "preset %u: stage %zu has no id and name", (unsigned)preset, i);
            }
        }
    }
    json_free(v);
    journeystream_string_free(json);
}

static void test_stage_presets(void) {
    check_preset(JOURNEYSTREAM_STAGE_PRESET_FIVE_STAGE, 5, __LINE__);
    check_preset(JOURNEYSTREAM_STAGE_PRESET_THREE_STAGE, 3, __LINE__);
}

static void test_acme_summary(void) {
    journeystream_map *map = load_example("examples/acme-stamping.json", __LINE__);
    REQUIRE(map != NULL);
    journeystream_metrics *m = NULL;
    journeystream_status s = journeystream_map_measure(map, JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS, &m);
    journeystream_map_free(map);
    REQUIRE_OK(s);
    journeystream_summary summary;
    if (STATUS(journeystream_metrics_summary(m, &summary), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(summary.has_demand);
        CHECK(close_to(summary.takt_time_s, 60.0));
        CHECK(close_to(summary.process_time_s, 188.0));
        CHECK(close_to(round(summary.lead_time_days * 10.0) / 10.0, 23.6));
        CHECK(summary.rework_model == JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS);
        CHECK(summary.bottleneck_step != NULL && strcmp(summary.bottleneck_step, "assembly1") == 0);
        CHECK(summary.bottleneck_basis == JOURNEYSTREAM_BOTTLENECK_BASIS_UTILIZATION);
        CHECK(close_to(summary.bottleneck_value, 62.0 / 60.0));
        CHECK(summary.step_count == 6);
        /* Strings handed out live as long as the metrics: still valid after other calls. */
        journeystream_step_metrics step;
        CHECK(STATUS(journeystream_metrics_step(m, 0, &step), JOURNEYSTREAM_STATUS_OK));
        char *json = NULL;
        CHECK(STATUS(journeystream_metrics_to_json(m, &json), JOURNEYSTREAM_STATUS_OK));
        CHECK(strcmp(summary.bottleneck_step, "assembly1") == 0);
        CHECK(step.id != NULL && strcmp(step.id, "stamping") == 0);
        json_value *v = json != NULL ? json_parse(json, strlen(json), NULL, 0) : NULL;
        const json_value *lead = json_get(v, "lead_time");
        CHECK(lead != NULL && lead->type == JSON_NUMBER && close_to(lead->number, summary.lead_time_s));
        json_free(v);
        journeystream_string_free(json);
    }
    journeystream_metrics_free(m);
}

static void test_support_project_compare(void) {
    journeystream_map *map = load_example("examples/support-journey.json", __LINE__);
    REQUIRE(map != NULL);
    journeystream_map *future = NULL;
    journeystream_metrics *before = NULL;
    journeystream_metrics *after = NULL;
    journeystream_comparison *cmp = NULL;
    if (STATUS(journeystream_map_project(map, &future), JOURNEYSTREAM_STATUS_OK) &&
        STATUS(journeystream_map_measure(map, JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS, &before),
               JOURNEYSTREAM_STATUS_OK) &&
        STATUS(journeystream_map_measure(future, JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS, &after),
               JOURNEYSTREAM_STATUS_OK) &&
        STATUS(journeystream_compare(before, after, &cmp), JOURNEYSTREAM_STATUS_OK)) {
        bool found = false;
        for (size_t i = 0; i < journeystream_comparison_count(cmp); i++) {
            journeystream_metric_change c;
            if (!STATUS(journeystream_comparison_get(cmp, i, &c), JOURNEYSTREAM_STATUS_OK)) {
                break;
            }
            if (c.metric != NULL && strcmp(c.metric, "lead_time") == 0) {
                found = true;
                CHECK(c.unit != NULL && strcmp(c.unit, "s") == 0);
                CHECK(c.has_before && close_to(c.before, 387060.0));
                CHECK(c.has_after && close_to(c.after, 261600.0));
                CHECK(c.has_absolute && close_to(c.absolute, 261600.0 - 387060.0));
                CHECK(c.has_relative && close_to(c.relative, (261600.0 - 387060.0) / 387060.0));
            }
        }
        CHECK(found);
    }
    /* The projection as JSON has the future map and the applied effects. */
    char *json = NULL;
    if (STATUS(journeystream_map_project_json(map, &json), JOURNEYSTREAM_STATUS_OK)) {
        json_value *v = json_parse(json, strlen(json), NULL, 0);
        CHECK(v != NULL && json_get(v, "map") != NULL);
        const json_value *applied = json_get(v, "applied");
        CHECK(applied != NULL && applied->type == JSON_ARRAY && json_length(applied) > 0);
        json_free(v);
    }
    journeystream_string_free(json);
    journeystream_comparison_free(cmp);
    journeystream_metrics_free(after);
    journeystream_metrics_free(before);
    journeystream_map_free(future);
    journeystream_map_free(map);
}

static void test_round_trip(void) {
    journeystream_map *map = load_example("examples/support-journey.json", __LINE__);
    REQUIRE(map != NULL);
    char *first = NULL;
    char *second = NULL;
    journeystream_map *again = NULL;
    if (STATUS(journeystream_map_to_json(map, &first), JOURNEYSTREAM_STATUS_OK) &&
        STATUS(journeystream_map_from_json(first, strlen(first), &again), JOURNEYSTREAM_STATUS_OK) &&
        STATUS(journeystream_map_to_json(again, &second), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(strcmp(first, second) == 0);
    }
    journeystream_string_free(first);
    journeystream_string_free(second);
    journeystream_map_free(again);
    journeystream_map_free(map);
}

/* The test JSON parser itself. */
static void test_json_parser(void) {
    static const char text[] =
        " {\"a\": [1, -2.5e1, true, false, null], \"s\": \"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\\u0000y\","
        " \"o\": {\"k\": {}}, \"e\": []} ";
    char error[256];
    json_value *v = json_parse(text, sizeof text - 1, error, sizeof error);
    REQUIRE(v != NULL);
    CHECK(v->type == JSON_OBJECT && json_length(v) == 4);
    CHECK(v->start == 1 && v->end == sizeof text - 2);
    const json_value *a = json_get(v, "a");
    REQUIRE(a != NULL && a->type == JSON_ARRAY && json_length(a) == 5);
    CHECK(json_at(a, 0)->type == JSON_NUMBER && json_at(a, 0)->number == 1.0);
    CHECK(json_at(a, 1)->number == -25.0);
    CHECK(json_at(a, 2)->type == JSON_BOOL && json_at(a, 2)->boolean);
    CHECK(json_at(a, 3)->type == JSON_BOOL && !json_at(a, 3)->boolean);
    CHECK(json_at(a, 4)->type == JSON_NULL);
    CHECK(json_at(a, 5) == NULL);
    CHECK(memcmp(text + a->start, "[1, -2.5e1, true, false, null]", a->end - a->start) == 0);
    CHECK(memcmp(text + json_at(a, 1)->start, "-2.5e1", 6) == 0 && json_at(a, 1)->end - json_at(a, 1)->start == 6);
    const json_value *s = json_get(v, "s");
    static const char decoded[] = "x\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80\0y";
    REQUIRE(s != NULL && s->type == JSON_STRING);
    CHECK(s->length == sizeof decoded - 1 && memcmp(s->string, decoded, sizeof decoded - 1) == 0);
    const json_value *o = json_get(v, "o");
    CHECK(o != NULL && json_get(o, "k") != NULL && json_get(o, "k")->type == JSON_OBJECT);
    CHECK(json_length(json_get(v, "e")) == 0);
    CHECK(json_get(v, "missing") == NULL && json_get(a, "a") == NULL);
    CHECK(strcmp(json_key_at(v, 1), "s") == 0);
    json_free(v);

    /* Not NUL-terminated: only `len` bytes are read. */
    char bytes[3] = {'1', '2', '3'};
    v = json_parse(bytes, 2, NULL, 0);
    CHECK(v != NULL && v->number == 12.0);
    json_free(v);
}

static void test_json_parser_rejects_bad_input(void) {
    static const char *const bad[] = {
        "", " ", "{", "[", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "1.", ".5", "-", "1e",
        "+1", "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"",
        "\"\\ud800\\u0041\"", "\"a\nb\"", "\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "1 2", "[]]",
        "1e999", "{\"a\":}", "[\"a\":1]", "NaN", "Infinity", "\"\\", "[1,",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char error[256] = "";
        json_value *v = json_parse(bad[i], strlen(bad[i]), error, sizeof error);
        if (v != NULL) {
            note(__LINE__, "accepted bad JSON #%zu", i);
            json_free(v);
        } else if (error[0] == '\0') {
            note(__LINE__, "no error message for bad JSON #%zu", i);
        }
    }
    /* A NUL byte inside the text is not JSON; NULL text with a length is an error. */
    CHECK(json_parse("[1,\0 2]", 7, NULL, 0) == NULL);
    CHECK(json_parse(NULL, 3, NULL, 0) == NULL);
    /* Deep nesting is an error, not a stack overflow; depth 100 is fine. */
    char deep[2 * (JSON_MAX_DEPTH + 10)];
    memset(deep, '[', JSON_MAX_DEPTH + 10);
    memset(deep + JSON_MAX_DEPTH + 10, ']', JSON_MAX_DEPTH + 10);
    CHECK(json_parse(deep, sizeof deep, NULL, 0) == NULL);
    json_value *v = json_parse(deep + JSON_MAX_DEPTH + 10 - 100, 200, NULL, 0);
    CHECK(v != NULL);
    json_free(v);
    /* Every prefix of a valid document is rejected without a crash (or leak). */
    static const char doc[] = "{\"a\": [1, {\"b\": \"c\\u00e9\\ud83d\\ude00\"}, -0.5e-3, true], \"n\": null}";
    for (size_t n = 0; n < sizeof doc - 1; n++) {
        json_value *p = json_parse(doc, n, NULL, 0);
        if (p != NULL && n != 0) {
            /* Only a bare number prefix could parse; this document starts with '{'. */
            note(__LINE__, "accepted a prefix of %zu bytes", n);
        }
        json_free(p);
    }
    v = json_parse(doc, sizeof doc - 1, NULL, 0);
    CHECK(v != NULL);
    json_free(v);
}

/* ---------------------------------------------------------------------------------------------- */

static const test TESTS[] = {
    TEST(test_version),
    TEST(test_status_names),
    TEST(test_free_functions_accept_null),
    TEST(test_null_arguments_loading),
    TEST(test_null_arguments_map),
    TEST(test_null_arguments_metrics),
    TEST(test_null_arguments_comparison),
    TEST(test_littles_law),
    TEST(test_empty_slice),
    TEST(test_invalid_utf8),
    TEST(test_enum_out_of_range),
    TEST(test_index_out_of_bounds),
    TEST(test_last_error_lifecycle),
    TEST(test_last_error_is_per_thread),
    TEST(test_missing_file),
    TEST(test_validation_error_from_file),
    TEST(test_problems_json),
    TEST(test_stage_presets),
    TEST(test_acme_summary),
    TEST(test_support_project_compare),
    TEST(test_round_trip),
    TEST(test_json_parser),
    TEST(test_json_parser_rejects_bad_input),
};

int main(int argc, char **argv) {
    return run_tests(TESTS, sizeof TESTS / sizeof TESTS[0], argc, argv);
}
