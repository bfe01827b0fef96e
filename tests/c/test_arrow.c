/* Tests of typed results and the Arrow C data interface: `test_arrow <repo_root>`.
 *
 * A consumer with no Arrow library, as a C user is: results come out of
 * `journeystream_evaluate` / `journeystream_request_evaluate` as handles whose tables are read
 * through `struct ArrowArrayStream` (schema formats, validity bitmaps, offsets and values read by
 * hand here); array inputs go in as C arrays or as a hand-built `struct ArrowArray`. Figures are
 * worked out by hand in the comments. Prints `ok <test>` / `FAIL <test>: <reasons>` per test and
 * finally `N passed, M failed`. */

#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The small log of test_log.c (case, activity, seconds after T0):
 *   c1: a b c (0, 10, 30)   c2: a b c (100, 130, 160)   c3: a b (50, 50)   c4: a d (1000, 1004)
 * DFG by count: a->b 3 (mean 40/3 s, stdev sqrt(700/3)), b->c 2 (mean 25, stdev sqrt(50)),
 * a->d 1 (mean 4, stdev null). Cases longest first: c2 60, c1 30, c4 4, c3 0. */
#define T0 INT64_C(1700000000000000000)
#define SEC INT64_C(1000000000)
#define SMALL_N 10
static const char *const CASES[SMALL_N] = {"c1", "c2", "c1", "c1", "c2", "c2", "c3", "c3", "c4", "c4"};
static const char *const ACTIVITIES[SMALL_N] = {"a", "a", "b", "c", "c", "b", "a", "b", "a", "d"};
static const int64_t SECONDS[SMALL_N] = {0, 100, 10, 30, 160, 130, 50, 50, 1000, 1004};

static journeystream_log *small_log(void) {
    int64_t ts[SMALL_N];
    for (size_t i = 0; i < SMALL_N; i++) {
        ts[i] = T0 + SECONDS[i] * SEC;
    }
    journeystream_log *log = NULL;
    if (journeystream_log_from_columns(CASES, ACTIVITIES, ts, NULL, SMALL_N, &log) != JOURNEYSTREAM_STATUS_OK) {
        return NULL;
    }
    return log;
}

static journeystream_result *evaluate(const journeystream_log *log, const char *request, int line) {
    journeystream_result *result = NULL;
    journeystream_status s = journeystream_evaluate(log, request, strlen(request), &result);
    if (s != JOURNEYSTREAM_STATUS_OK) {
        const char *m = journeystream_last_error_message();
        note(line, "journeystream_evaluate(%s) gave %s: %s", request, status_name(s), m != NULL ? m : "no message");
        return NULL;
    }
    return result;
}

/* ---------------------------------------------------------------------------------------------- */
/* Reading Arrow by hand. */

/* The child of a struct schema named `name`, or -1. */
static int64_t child_index(const struct ArrowSchema *schema, const char *name) {
    for (int64_t i = 0; i < schema->n_children; i++) {
        if (strcmp(schema->children[i]->name, name) == 0) {
            return i;
        }
    }
    return -1;
}

static bool is_valid(const struct ArrowArray *a, int64_t i) {
    const uint8_t *bits = a->buffers[0];
    if (bits == NULL) {
        return true;
    }
    int64_t j = a->offset + i;
    return (bits[j / 8] >> (j % 8)) & 1;
}

/* Value `i` of a numeric column (formats l, L, g) as a double. */
static double number_at(const struct ArrowSchema *s, const struct ArrowArray *a, int64_t i) {
    int64_t j = a->offset + i;
    if (strcmp(s->format, "l") == 0) {
        return (double)((const int64_t *)a->buffers[1])[j];
    }
    if (strcmp(s->format, "L") == 0) {
        return (double)((const uint64_t *)a->buffers[1])[j];
    }
    if (strcmp(s->format, "g") == 0) {
        return ((const double *)a->buffers[1])[j];
    }
    return NAN;
}

/* Value `i` of a string column (formats u, U) copied into `out`. */
static const char *text_at(const struct ArrowSchema *s, const struct ArrowArray *a, int64_t i, char *out, size_t size) {
    int64_t j = a->offset + i;
    int64_t start, end;
    if (strcmp(s->format, "u") == 0) {
        start = ((const int32_t *)a->buffers[1])[j];
        end = ((const int32_t *)a->buffers[1])[j + 1];
    } else if (strcmp(s->format, "U") == 0) {
        start = ((const int64_t *)a->buffers[1])[j];
        end = ((const int64_t *)a->buffers[1])[j + 1];
    } else {
        snprintf(out, size, "<format %s>", s->format);
        return out;
    }
    size_t n = (size_t)(end - start) < size - 1 ? (size_t)(end - start) : size - 1;
    memcpy(out, (const char *)a->buffers[2] + start, n);
    out[n] = '\0';
    return out;
}

/* The value of `key` in Arrow's binary metadata (int32 count, then length-prefixed key and value
 * pairs) copied into `out`, or NULL. */
static const char *metadata_value(const char *metadata, const char *key, char *out, size_t size) {
    if (metadata == NULL) {
        return NULL;
    }
    const char *p = metadata;
    int32_t count, len;
    memcpy(&count, p, 4);
    p += 4;
    for (int32_t k = 0; k < count; k++) {
        memcpy(&len, p, 4);
        p += 4;
        bool match = (size_t)len == strlen(key) && memcmp(p, key, (size_t)len) == 0;
        p += len;
        memcpy(&len, p, 4);
        p += 4;
        if (match) {
            size_t n = (size_t)len < size - 1 ? (size_t)len : size - 1;
            memcpy(out, p, n);
            out[n] = '\0';
            return out;
        }
        p += len;
    }
    return NULL;
}

/* A table read whole from its stream: the schema and its one batch (then the stream's end). */
typedef struct table {
    struct ArrowSchema schema;
    struct ArrowArray batch;
} table;

static bool read_table(const journeystream_result *result, const char *name, table *t, int line) {
    struct ArrowArrayStream stream;
    memset(&stream, 0, sizeof stream);
    journeystream_status s = journeystream_result_table(result, name, &stream);
    if (s != JOURNEYSTREAM_STATUS_OK) {
        note(line, "journeystream_result_table(%s) gave %s: %s", name, status_name(s), journeystream_last_error_message());
        return false;
    }
    bool ok = stream.get_schema(&stream, &t->schema) == 0;
    ok = ok && stream.get_next(&stream, &t->batch) == 0 && t->batch.release != NULL;
    struct ArrowArray end;
    ok = ok && stream.get_next(&stream, &end) == 0 && end.release == NULL; /* one batch, then the end */
    if (!ok) {
        note(line, "the stream of %s did not give a schema, one batch and its end", name);
    }
    stream.release(&stream);
    CHECK(stream.release == NULL);
    return ok;
}

static void free_table(table *t) {
    t->batch.release(&t->batch);
    t->schema.release(&t->schema);
}

/* ---------------------------------------------------------------------------------------------- */

static void test_profile_tables(void) {
    journeystream_log *log = small_log();
    REQUIRE(log != NULL);
    journeystream_result *result = evaluate(log, "{\"analysis\": \"profile\"}", __LINE__);
    journeystream_log_free(log);
    REQUIRE(result != NULL);
    CHECK_STR(journeystream_result_analysis(result), "profile");

    size_t count = 0;
    REQUIRE_OK(journeystream_result_table_count(result, &count));
    static const char *const NAMES[] = {"activities", "start_activities", "end_activities",
                                        "dfg",        "variants",         "cases_by_duration"};
    CHECK(count == 6);
    for (size_t i = 0; i < count && i < 6; i++) {
        const char *name = NULL;
        REQUIRE_OK(journeystream_result_table_name(result, i, &name));
        CHECK_STR(name, NAMES[i]);
    }

    table dfg;
    REQUIRE(read_table(result, "dfg", &dfg, __LINE__));
    journeystream_result_free(result); /* the batch keeps its buffers */
    char buf[64];
    CHECK_STR(dfg.schema.format, "+s");
    CHECK_STR(metadata_value(dfg.schema.metadata, "journeystream.table", buf, sizeof buf), "dfg");
    CHECK_STR(metadata_value(dfg.schema.metadata, "journeystream.kind", buf, sizeof buf), "rows");
    CHECK(dfg.schema.n_children == 9);
    CHECK(dfg.batch.length == 3);
    int64_t source = child_index(&dfg.schema, "source"), target = child_index(&dfg.schema, "target");
    int64_t n = child_index(&dfg.schema, "count"), mean = child_index(&dfg.schema, "mean");
    int64_t stdev = child_index(&dfg.schema, "stdev");
    REQUIRE(source >= 0 && target >= 0 && n >= 0 && mean >= 0 && stdev >= 0 && dfg.batch.length == 3);
    static const char *const SOURCES[] = {"a", "b", "a"}, *const TARGETS[] = {"b", "c", "d"};
    static const double COUNTS[] = {3, 2, 1}, MEANS[] = {40.0 / 3.0, 25, 4};
    for (int64_t i = 0; i < 3; i++) {
        CHECK_STR(text_at(dfg.schema.children[source], dfg.batch.children[source], i, buf, sizeof buf), SOURCES[i]);
        CHECK_STR(text_at(dfg.schema.children[target], dfg.batch.children[target], i, buf, sizeof buf), TARGETS[i]);
        CHECK_CLOSE(number_at(dfg.schema.children[n], dfg.batch.children[n], i), COUNTS[i]);
        CHECK_CLOSE(number_at(dfg.schema.children[mean], dfg.batch.children[mean], i), MEANS[i]);
    }
    const struct ArrowArray *sd = dfg.batch.children[stdev];
    CHECK(sd->null_count == 1);
    CHECK(is_valid(sd, 0) && is_valid(sd, 1) && !is_valid(sd, 2));
    CHECK_CLOSE(number_at(dfg.schema.children[stdev], sd, 0), sqrt(700.0 / 3.0));
    CHECK_CLOSE(number_at(dfg.schema.children[stdev], sd, 1), sqrt(50.0));
    free_table(&dfg);
}

static void test_cases_and_scalars(void) {
    journeystream_log *log = small_log();
    REQUIRE(log != NULL);
    journeystream_result *result = evaluate(log, "{\"analysis\": \"profile\"}", __LINE__);
    REQUIRE(result != NULL);
    table cases;
    if (read_table(result, "cases_by_duration", &cases, __LINE__)) {
        static const char *const IDS[] = {"c2", "c1", "c4", "c3"};
        static const double DURATIONS[] = {60, 30, 4, 0};
        int64_t c = child_index(&cases.schema, "case"), d = child_index(&cases.schema, "duration");
        CHECK(cases.batch.length == 4 && c >= 0 && d >= 0);
        char buf[16];
        for (int64_t i = 0; i < 4 && i < cases.batch.length && c >= 0 && d >= 0; i++) {
            CHECK_STR(text_at(cases.schema.children[c], cases.batch.children[c], i, buf, sizeof buf), IDS[i]);
            CHECK_CLOSE(number_at(cases.schema.children[d], cases.batch.children[d], i), DURATIONS[i]);
        }
        free_table(&cases);
    }

    /* The scalars hold what is not a table; the whole JSON is journeystream_analyze's. */
    char *scalars = NULL, *whole = NULL, *analyzed = NULL;
    REQUIRE_OK(journeystream_result_scalars_json(result, &scalars));
    CHECK(strstr(scalars, "\"cases\":4") != NULL && strstr(scalars, "\"events\":10") != NULL);
    CHECK(strstr(scalars, "\"dfg\"") == NULL);
    REQUIRE_OK(journeystream_result_json(result, &whole));
    const char *request = "{\"analysis\": \"profile\"}";
    REQUIRE_OK(journeystream_analyze(log, request, strlen(request), &analyzed));
    CHECK_STR(whole, analyzed);
    journeystream_string_free(scalars);
    journeystream_string_free(whole);
    journeystream_string_free(analyzed);
    journeystream_result_free(result);
    journeystream_log_free(log);
}

static void test_table_errors(void) {
    journeystream_log *log = small_log();
    REQUIRE(log != NULL);
    journeystream_result *result = evaluate(log, "{\"analysis\": \"profile\"}", __LINE__);
    journeystream_log_free(log);
    REQUIRE(result != NULL);
    struct ArrowArrayStream stream;
    memset(&stream, 0, sizeof stream);
    CHECK(STATUS(journeystream_result_table(result, "dgf", &stream), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    MESSAGE_HAS("did you mean 'dfg'?");
    MESSAGE_HAS("activities, start_activities");
    CHECK(stream.release == NULL); /* not written */
    const char *name = SENTINEL;
    CHECK(STATUS(journeystream_result_table_name(result, 6, &name), JOURNEYSTREAM_STATUS_OUT_OF_BOUNDS));
    CHECK(name == SENTINEL);
    CHECK(STATUS(journeystream_result_table(NULL, "dfg", &stream), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_result_table(result, NULL, &stream), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_result_table(result, "dfg", NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    size_t count = 0;
    CHECK(STATUS(journeystream_result_table_count(NULL, &count), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(journeystream_result_analysis(NULL) == NULL);
    journeystream_result_free(result);
    journeystream_result_free(NULL);
    journeystream_request_free(NULL);

    /* An analysis that needs a log, without one. */
    journeystream_result *none = SENTINEL;
    const char *request = "{\"analysis\": \"profile\"}";
    CHECK(STATUS(journeystream_evaluate(NULL, request, strlen(request), &none), JOURNEYSTREAM_STATUS_MISSING_DATA));
    CHECK(none == SENTINEL);
}

/* NPS of 10, 9, 3, 7 by segment: web (10, 9) two promoters = +100; store (3, 7) a detractor and
 * a passive = -50; overall (2 - 1) / 4 = +25. */
static void test_request_columns(void) {
    const char *json = "{\"analysis\": \"kpi\", \"metric\": \"nps\"}";
    journeystream_request *request = NULL;
    REQUIRE_OK(journeystream_request_new(json, strlen(json), &request));
    static const int64_t SCORES[] = {10, 9, 3, 7};
    static const char *const SEGMENTS[] = {"web", "web", "store", "store"};
    REQUIRE_OK(journeystream_request_set_integers(request, "scores", SCORES, 4));
    REQUIRE_OK(journeystream_request_set_texts(request, "segments", SEGMENTS, 4));
    journeystream_result *result = NULL;
    REQUIRE_OK(journeystream_request_evaluate(request, NULL, &result));
    char *scalars = NULL;
    REQUIRE_OK(journeystream_result_scalars_json(result, &scalars));
    CHECK(strstr(scalars, "\"value\":25.0") != NULL);
    journeystream_string_free(scalars);
    table segments;
    if (read_table(result, "segments", &segments, __LINE__)) {
        int64_t label = child_index(&segments.schema, "segment"), value = child_index(&segments.schema, "value");
        CHECK(segments.batch.length == 2 && label >= 0 && value >= 0);
        if (segments.batch.length == 2 && label >= 0 && value >= 0) {
            char buf[16];
            CHECK_STR(text_at(segments.schema.children[label], segments.batch.children[label], 0, buf, sizeof buf), "store");
            CHECK_CLOSE(number_at(segments.schema.children[value], segments.batch.children[value], 0), -50);
            CHECK_STR(text_at(segments.schema.children[label], segments.batch.children[label], 1, buf, sizeof buf), "web");
            CHECK_CLOSE(number_at(segments.schema.children[value], segments.batch.children[value], 1), 100);
        }
        free_table(&segments);
    }
    journeystream_result_free(result);
    /* A field set twice. */
    CHECK(STATUS(journeystream_request_set_integers(request, "scores", SCORES, 4), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    MESSAGE_HAS("given twice");
    journeystream_request_free(request);
}

static void test_request_bad_columns(void) {
    const char *json = "{\"analysis\": \"kpi\", \"metric\": \"csat\"}";
    journeystream_request *request = NULL;
    REQUIRE_OK(journeystream_request_new(json, strlen(json), &request));
    const double with_nan[] = {5, NAN, 4};
    CHECK(STATUS(journeystream_request_set_numbers(request, "scores", with_nan, 3), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    MESSAGE_HAS("scores[1]");
    MESSAGE_HAS("not a finite number");
    const int64_t past[] = {1, (INT64_C(1) << 53) + 1};
    CHECK(STATUS(journeystream_request_set_integers(request, "scores", past, 2), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    MESSAGE_HAS("scores[1]");
    MESSAGE_HAS("9007199254740993");
    const double ok[] = {5, 4};
    CHECK(STATUS(journeystream_request_set_numbers(request, "score", ok, 2), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    MESSAGE_HAS("did you mean 'scores'?");
    CHECK(STATUS(journeystream_request_set_numbers(request, "segments", ok, 2), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    MESSAGE_HAS("expected text");
    const char *const texts[] = {"web", NULL};
    CHECK(STATUS(journeystream_request_set_texts(request, "segments", texts, 2), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    MESSAGE_HAS("segments[1]");
    CHECK(STATUS(journeystream_request_set_numbers(request, "scores", NULL, 2), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_request_set_numbers(NULL, "scores", ok, 2), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_request_set_numbers(request, NULL, ok, 2), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    /* After the failures the request is as it was: the scores are still to set. */
    REQUIRE_OK(journeystream_request_set_numbers(request, "scores", ok, 2));
    journeystream_result *result = NULL;
    REQUIRE_OK(journeystream_request_evaluate(request, NULL, &result));
    journeystream_result_free(result);
    journeystream_request_free(request);

    journeystream_request *none = SENTINEL;
    const char *bad = "{\"analysis\": \"kpi\", \"metrc\": \"nps\"}";
    CHECK(STATUS(journeystream_request_new(bad, strlen(bad), &none), JOURNEYSTREAM_STATUS_PARSE));
    CHECK(none == SENTINEL);
}

/* A hand-built Arrow int64 array, as a producer with no Arrow library makes one. */
typedef struct owned_array {
    int64_t values[4];
    uint8_t validity[1];
    const void *buffers[2];
    int released;
} owned_array;

static void release_array(struct ArrowArray *a) {
    ((owned_array *)a->private_data)->released++;
    a->release = NULL;
}

static void release_schema(struct ArrowSchema *s) {
    s->release = NULL;
}

static void make_int64(owned_array *o, struct ArrowArray *a, struct ArrowSchema *s, const char *format, bool with_null) {
    static const int64_t VALUES[4] = {10, 9, 3, 7};
    memcpy(o->values, VALUES, sizeof VALUES);
    o->validity[0] = with_null ? 0x0d : 0x0f; /* with_null: index 1 is null */
    o->buffers[0] = with_null ? o->validity : NULL;
    o->buffers[1] = o->values;
    o->released = 0;
    memset(a, 0, sizeof *a);
    a->length = 4;
    a->null_count = with_null ? 1 : 0;
    a->n_buffers = 2;
    a->buffers = o->buffers;
    a->release = release_array;
    a->private_data = o;
    memset(s, 0, sizeof *s);
    s->format = format;
    s->name = "";
    s->flags = ARROW_FLAG_NULLABLE;
    s->release = release_schema;
}

static void test_request_from_arrow(void) {
    const char *json = "{\"analysis\": \"kpi\", \"metric\": \"nps\"}";
    journeystream_request *request = NULL;
    REQUIRE_OK(journeystream_request_new(json, strlen(json), &request));
    owned_array o;
    struct ArrowArray a;
    struct ArrowSchema s;

    make_int64(&o, &a, &s, "l", true);
    CHECK(STATUS(journeystream_request_set_arrow(request, "scores", &a, &s), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    MESSAGE_HAS("scores[1]");
    MESSAGE_HAS("null");
    CHECK(o.released == 1 && a.release == NULL && s.release == NULL); /* moved and released on failure too */

    make_int64(&o, &a, &s, "b", false); /* booleans: not a type the field takes */
    CHECK(STATUS(journeystream_request_set_arrow(request, "scores", &a, &s), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(o.released == 1 && a.release == NULL);

    make_int64(&o, &a, &s, "l", false);
    CHECK(STATUS(journeystream_request_set_arrow(request, "scores", &a, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(o.released == 0 && a.release != NULL); /* a failed pointer check moves nothing */
    REQUIRE_OK(journeystream_request_set_arrow(request, "scores", &a, &s));
    /* Moved, and read in place: the values are released with the request, not copied. */
    CHECK(o.released == 0 && a.release == NULL && s.release == NULL);
    journeystream_result *result = NULL;
    REQUIRE_OK(journeystream_request_evaluate(request, NULL, &result));
    char *scalars = NULL;
    REQUIRE_OK(journeystream_result_scalars_json(result, &scalars));
    CHECK(strstr(scalars, "\"value\":25.0") != NULL);
    journeystream_string_free(scalars);
    journeystream_result_free(result);
    CHECK(o.released == 0);
    journeystream_request_free(request);
    CHECK(o.released == 1);
}

/* A path table as columns equals it as rows. Linear model over "a > b" (2 conversions, value 20,
 * 1 null), "b" (1, 5, 3), "a" (0, 0, 2): a gets 2/2 = 1 conversion, b 1 + 1 = 2. */
static void test_path_columns(void) {
    const char *json = "{\"analysis\": \"attribution\", \"model\": \"linear\"}";
    journeystream_request *request = NULL;
    REQUIRE_OK(journeystream_request_new(json, strlen(json), &request));
    static const char *const PATHS[] = {"a > b", "b", "a"};
    static const double CONVERSIONS[] = {2, 1, 0}, VALUES[] = {20, 5, 0}, NULLS[] = {1, 3, 2};
    REQUIRE_OK(journeystream_request_set_texts(request, "paths.path", PATHS, 3));
    REQUIRE_OK(journeystream_request_set_numbers(request, "paths.total_conversions", CONVERSIONS, 3));
    REQUIRE_OK(journeystream_request_set_numbers(request, "paths.total_conversion_value", VALUES, 3));
    REQUIRE_OK(journeystream_request_set_numbers(request, "paths.total_null", NULLS, 2));
    journeystream_result *result = SENTINEL;
    CHECK(STATUS(journeystream_request_evaluate(request, NULL, &result), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    MESSAGE_HAS("paths.total_null");
    CHECK(result == SENTINEL);
    journeystream_request_free(request);

    REQUIRE_OK(journeystream_request_new(json, strlen(json), &request));
    REQUIRE_OK(journeystream_request_set_texts(request, "paths.path", PATHS, 3));
    REQUIRE_OK(journeystream_request_set_numbers(request, "paths.total_conversions", CONVERSIONS, 3));
    REQUIRE_OK(journeystream_request_set_numbers(request, "paths.total_conversion_value", VALUES, 3));
    REQUIRE_OK(journeystream_request_set_numbers(request, "paths.total_null", NULLS, 3));
    REQUIRE_OK(journeystream_request_evaluate(request, NULL, &result));
    journeystream_request_free(request);
    const char *rows = "{\"analysis\": \"attribution\", \"model\": \"linear\", "
                       "\"paths\": [[\"a > b\", 2, 20, 1], [\"b\", 1, 5, 3], [\"a\", 0, 0, 2]]}";
    char *from_columns = NULL, *from_rows = NULL;
    REQUIRE_OK(journeystream_result_json(result, &from_columns));
    REQUIRE_OK(journeystream_analyze(NULL, rows, strlen(rows), &from_rows));
    CHECK_STR(from_columns, from_rows);
    table channels;
    if (read_table(result, "channels", &channels, __LINE__)) {
        int64_t name = child_index(&channels.schema, "channel"), n = child_index(&channels.schema, "conversions");
        CHECK(channels.batch.length == 2 && name >= 0 && n >= 0);
        char buf[8];
        for (int64_t i = 0; i < channels.batch.length && name >= 0 && n >= 0; i++) {
            const char *c = text_at(channels.schema.children[name], channels.batch.children[name], i, buf, sizeof buf);
            CHECK_CLOSE(number_at(channels.schema.children[n], channels.batch.children[n], i), strcmp(c, "a") == 0 ? 1 : 2);
        }
        free_table(&channels);
    }
    journeystream_string_free(from_columns);
    journeystream_string_free(from_rows);
    journeystream_result_free(result);
}

/* Transactions as columns (customers as text, timestamps as nanoseconds) equal them in the
 * request; a timestamp column given as doubles is refused by name. */
static void test_transaction_columns(void) {
    const char *json = "{\"analysis\": \"rfm_summary\"}";
    journeystream_request *request = NULL;
    REQUIRE_OK(journeystream_request_new(json, strlen(json), &request));
    static const char *const CUSTOMERS[] = {"a", "b", "a"};
    static const int64_t DAY = 86400000000000LL, START = 1704067200000000000LL; /* 2024-01-01 */
    const int64_t times[] = {START, START + DAY, START + 4 * DAY};
    static const double VALUES[] = {10, 5, 20};
    REQUIRE_OK(journeystream_request_set_texts(request, "customers", CUSTOMERS, 3));
    CHECK(STATUS(journeystream_request_set_numbers(request, "timestamps", VALUES, 3), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    MESSAGE_HAS("expected timestamps");
    REQUIRE_OK(journeystream_request_set_times(request, "timestamps", times, 3));
    REQUIRE_OK(journeystream_request_set_numbers(request, "values", VALUES, 3));
    journeystream_result *result = NULL;
    REQUIRE_OK(journeystream_request_evaluate(request, NULL, &result));
    journeystream_request_free(request);
    const char *rows = "{\"analysis\": \"rfm_summary\", \"customers\": [\"a\", \"b\", \"a\"], "
                       "\"timestamps\": [\"2024-01-01T00:00:00Z\", \"2024-01-02T00:00:00Z\", "
                       "\"2024-01-05T00:00:00Z\"], \"values\": [10, 5, 20]}";
    char *from_columns = NULL, *from_rows = NULL;
    REQUIRE_OK(journeystream_result_json(result, &from_columns));
    REQUIRE_OK(journeystream_analyze(NULL, rows, strlen(rows), &from_rows));
    CHECK_STR(from_columns, from_rows);
    journeystream_string_free(from_columns);
    journeystream_string_free(from_rows);
    journeystream_result_free(result);
}

/* One result read from several threads at once: its tables are built once. */
static void *read_dfg_count(void *arg) {
    const journeystream_result *result = arg;
    struct ArrowArrayStream stream;
    struct ArrowSchema schema;
    struct ArrowArray batch;
    double total = -1;
    if (journeystream_result_table(result, "dfg", &stream) == JOURNEYSTREAM_STATUS_OK) {
        if (stream.get_schema(&stream, &schema) == 0) {
            if (stream.get_next(&stream, &batch) == 0 && batch.release != NULL) {
                int64_t n = child_index(&schema, "count");
                total = 0;
                for (int64_t i = 0; n >= 0 && i < batch.length; i++) {
                    total += number_at(schema.children[n], batch.children[n], i);
                }
                batch.release(&batch);
            }
            schema.release(&schema);
        }
        stream.release(&stream);
    }
    double *out = malloc(sizeof *out);
    if (out != NULL) {
        *out = total;
    }
    return out;
}

/* A log out as an Arrow C stream and back in: tests/data/logs/journeys.csv (channel, revenue,
 * case:signed_up) keeps its attributes through the stream, so an attribution by channel and a
 * breakdown by the case attribute give what they give on the CSV log. */
static void test_log_arrow_stream(void) {
    char *csv = join(g_root, "tests/data/logs/journeys.csv");
    journeystream_log *log = NULL;
    journeystream_log *back = NULL;
    REQUIRE(STATUS(journeystream_log_from_csv_file(csv, NULL, &log, NULL), JOURNEYSTREAM_STATUS_OK));
    struct ArrowArrayStream stream;
    memset(&stream, 0, sizeof stream);
    if (STATUS(journeystream_log_to_arrow_stream(log, &stream), JOURNEYSTREAM_STATUS_OK)) {
        struct ArrowSchema schema;
        REQUIRE(stream.get_schema(&stream, &schema) == 0);
        CHECK(schema.n_children == 6);
        CHECK(child_index(&schema, "case:concept:name") == 0 && child_index(&schema, "concept:name") == 1);
        CHECK(child_index(&schema, "time:timestamp") == 2 && child_index(&schema, "channel") >= 0);
        CHECK(child_index(&schema, "revenue") >= 0 && child_index(&schema, "case:signed_up") >= 0);
        int64_t ts = child_index(&schema, "time:timestamp");
        CHECK(ts >= 0 && strcmp(schema.children[ts]->format, "tsn:UTC") == 0);
        schema.release(&schema);
        /* The library takes the stream over and releases it. */
        if (STATUS(journeystream_log_from_arrow_stream(&stream, NULL, &back), JOURNEYSTREAM_STATUS_OK)) {
            CHECK(journeystream_log_num_events(back) == journeystream_log_num_events(log));
            CHECK(journeystream_log_num_cases(back) == journeystream_log_num_cases(log));
        }
        CHECK(stream.release == NULL);
    }
    const char *requests[] = {
        "{\"analysis\": \"attribution\", \"model\": \"linear\", \"conversion\": {\"activity\": \"purchase\"}}",
        "{\"analysis\": \"funnel\", \"steps\": [\"visit\", \"purchase\"], \"breakdown\": \"signed_up\"}",
    };
    for (size_t i = 0; back != NULL && i < sizeof requests / sizeof requests[0]; i++) {
        char *a = NULL;
        char *b = NULL;
        if (STATUS(journeystream_analyze(log, requests[i], strlen(requests[i]), &a), JOURNEYSTREAM_STATUS_OK) &&
            STATUS(journeystream_analyze(back, requests[i], strlen(requests[i]), &b), JOURNEYSTREAM_STATUS_OK)) {
            CHECK(strcmp(a, b) == 0);
        }
        journeystream_string_free(a);
        journeystream_string_free(b);
    }
    journeystream_log_free(back);
    back = NULL;

    /* Named columns: a missing one suggests the closest; a bad settings text is a parse error;
     * the stream is released either way. */
    memset(&stream, 0, sizeof stream);
    REQUIRE(STATUS(journeystream_log_to_arrow_stream(log, &stream), JOURNEYSTREAM_STATUS_OK));
    CHECK(STATUS(journeystream_log_from_arrow_stream(&stream, "{\"attributes\": [\"chanel\"]}", &back),
                 JOURNEYSTREAM_STATUS_INPUT));
    MESSAGE_HAS("did you mean 'channel'");
    CHECK(stream.release == NULL && back == NULL);
    REQUIRE(STATUS(journeystream_log_to_arrow_stream(log, &stream), JOURNEYSTREAM_STATUS_OK));
    CHECK(STATUS(journeystream_log_from_arrow_stream(&stream, "{\"atributes\": false}", &back),
                 JOURNEYSTREAM_STATUS_PARSE));
    MESSAGE_HAS("atributes");
    CHECK(stream.release == NULL && back == NULL);
    REQUIRE(STATUS(journeystream_log_to_arrow_stream(log, &stream), JOURNEYSTREAM_STATUS_OK));
    if (STATUS(journeystream_log_from_arrow_stream(&stream, "{\"attributes\": false}", &back),
               JOURNEYSTREAM_STATUS_OK)) {
        char *r = NULL;
        const char *request = "{\"analysis\": \"attribution\", \"model\": \"linear\", \"conversion\": {\"activity\": \"purchase\"}}";
        /* Without attributes there is no channel to credit. */
        CHECK(STATUS(journeystream_analyze(back, request, strlen(request), &r), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
        MESSAGE_HAS("'channel'");
        journeystream_string_free(r);
    }
    journeystream_log_free(back);
    CHECK(STATUS(journeystream_log_from_arrow_stream(NULL, NULL, &back), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_log_to_arrow_stream(NULL, &stream), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    journeystream_log_free(log);
    free(csv);
}

static void test_threads(void) {
    journeystream_log *log = small_log();
    REQUIRE(log != NULL);
    journeystream_result *result = evaluate(log, "{\"analysis\": \"profile\"}", __LINE__);
    journeystream_log_free(log);
    REQUIRE(result != NULL);
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) {
        REQUIRE(pthread_create(&threads[i], NULL, read_dfg_count, result) == 0);
    }
    for (int i = 0; i < 4; i++) {
        void *got = NULL;
        pthread_join(threads[i], &got);
        CHECK(got != NULL && *(double *)got == 6); /* 3 + 2 + 1 transitions */
        free(got);
    }
    journeystream_result_free(result);
}

static const test TESTS[] = {
    TEST(test_profile_tables),  TEST(test_cases_and_scalars), TEST(test_table_errors),
    TEST(test_request_columns), TEST(test_request_bad_columns), TEST(test_request_from_arrow),
    TEST(test_path_columns),    TEST(test_transaction_columns), TEST(test_log_arrow_stream),
    TEST(test_threads),
};

int main(int argc, char **argv) {
    return run_tests(TESTS, sizeof TESTS / sizeof TESTS[0], argc, argv);
}
