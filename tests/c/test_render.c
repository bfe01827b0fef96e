/* Drawings through the C API: `test_render <repo_root>`.
 *
 * SVG of every map drawing, the HTML report with the flow graph of the sample log, DOT and
 * Mermaid text, options as JSON, and the conventions: NULL arguments, bad kinds and options,
 * outputs untouched on failure, the same bytes as the Rust API gives (checked by determinism). */

#define _POSIX_C_SOURCE 200809L

#include "harness.h"

static journeystream_map *load(const char *relative) {
    char *path = join(g_root, relative);
    journeystream_map *map = NULL;
    if (journeystream_map_from_file(path, &map) != JOURNEYSTREAM_STATUS_OK) {
        note(__LINE__, "loading %s: %s", path, journeystream_last_error_message());
        map = NULL;
    }
    free(path);
    return map;
}

static journeystream_profile *sample_profile(void) {
    char *path = join(g_root, "examples/support-log.csv");
    journeystream_log *log = NULL;
    journeystream_profile *p = NULL;
    size_t skipped = 99;
    if (STATUS(journeystream_log_from_csv_file(path, NULL, &log, &skipped), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(skipped == 0);
        STATUS(journeystream_log_profile(log, &p), JOURNEYSTREAM_STATUS_OK);
    }
    journeystream_log_free(log);
    free(path);
    return p;
}

static void test_every_map_drawing(void) {
    journeystream_map *map = load("examples/support-journey.json");
    REQUIRE(map != NULL);
    const char *want[] = {"Problem noticed", "Line of visibility", "BOTTLENECK", "Future state"};
    for (uint32_t kind = 0; kind < 4; kind++) {
        char *svg = NULL, *again = NULL;
        if (STATUS(journeystream_map_render_svg(map, kind, NULL, &svg), JOURNEYSTREAM_STATUS_OK)) {
            CHECK(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
            CHECK(strstr(svg, "<title") != NULL);
            CHECK(strstr(svg, want[kind]) != NULL);
            CHECK(strstr(svg, "</svg>\n") != NULL);
            /* Deterministic: the same call gives the same bytes. */
            if (STATUS(journeystream_map_render_svg(map, kind, "", &again), JOURNEYSTREAM_STATUS_OK)) {
                CHECK(strcmp(svg, again) == 0);
            }
        }
        journeystream_string_free(svg);
        journeystream_string_free(again);
    }
    char *small = NULL;
    if (STATUS(journeystream_map_render_svg(map, JOURNEYSTREAM_DRAWING_JOURNEY_MAP,
                                            "{\"font_size\": 10, \"title\": \"Support <map>\"}", &small),
               JOURNEYSTREAM_STATUS_OK)) {
        CHECK(strstr(small, "Support &lt;map&gt;") != NULL);
        CHECK(strstr(small, "font-size=\"10\"") != NULL);
    }
    journeystream_string_free(small);
    journeystream_map_free(map);
}

static void test_report_and_graph_text(void) {
    journeystream_map *map = load("examples/support-journey.json");
    journeystream_profile *p = sample_profile();
    REQUIRE(map != NULL && p != NULL);
    char *html = NULL;
    if (STATUS(journeystream_map_render_html(map, p, NULL, &html), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(strncmp(html, "<!DOCTYPE html>", 15) == 0);
        CHECK(strstr(html, "id=\"flow-graph\"") != NULL);
        CHECK(strstr(html, "id=\"value-stream\"") != NULL);
        CHECK(strstr(html, "<script") == NULL);
    }
    journeystream_string_free(html);
    html = NULL;
    if (STATUS(journeystream_map_render_html(map, NULL, NULL, &html), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(strstr(html, "id=\"flow-graph\"") == NULL);
    }
    journeystream_string_free(html);

    char *svg = NULL, *dot = NULL, *mermaid = NULL, *perf = NULL;
    if (STATUS(journeystream_profile_render(p, JOURNEYSTREAM_GRAPH_FORMAT_SVG, NULL, &svg), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(strstr(svg, ">Open ticket in chat</text>") != NULL);
    }
    if (STATUS(journeystream_profile_render(p, JOURNEYSTREAM_GRAPH_FORMAT_DOT, "{\"edge_threshold\": 0.5}", &dot),
               JOURNEYSTREAM_STATUS_OK)) {
        CHECK(strncmp(dot, "digraph ", 8) == 0);
        CHECK(strstr(dot, "label=\"12\"") == NULL); /* the 12 rework edges fall under half of 80 */
    }
    if (STATUS(journeystream_profile_render(p, JOURNEYSTREAM_GRAPH_FORMAT_MERMAID, NULL, &mermaid),
               JOURNEYSTREAM_STATUS_OK)) {
        CHECK(strncmp(mermaid, "flowchart TD", 12) == 0);
    }
    if (STATUS(journeystream_profile_render(p, JOURNEYSTREAM_GRAPH_FORMAT_SVG, "{\"labels\": \"performance\"}", &perf),
               JOURNEYSTREAM_STATUS_OK)) {
        CHECK(strstr(perf, "median flow time") != NULL);
    }
    journeystream_string_free(svg);
    journeystream_string_free(dot);
    journeystream_string_free(mermaid);
    journeystream_string_free(perf);
    char *flow = NULL;
    if (STATUS(journeystream_map_render_flow(map, JOURNEYSTREAM_GRAPH_FORMAT_DOT, NULL, &flow), JOURNEYSTREAM_STATUS_OK)) {
        CHECK(strstr(flow, "rework") != NULL);
    }
    journeystream_string_free(flow);
    journeystream_profile_free(p);
    journeystream_map_free(map);
}

static void test_render_errors(void) {
    journeystream_map *map = load("examples/support-journey.json");
    journeystream_map *acme = load("examples/acme-stamping.json");
    REQUIRE(map != NULL && acme != NULL);
    char *out = SENTINEL;
    CHECK(STATUS(journeystream_map_render_svg(NULL, 0, NULL, &out), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(out == SENTINEL);
    CHECK(STATUS(journeystream_map_render_svg(map, 0, NULL, NULL), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_map_render_svg(map, 7, NULL, &out), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(MESSAGE_HAS("kind"));
    CHECK(out == SENTINEL);
    CHECK(STATUS(journeystream_map_render_svg(map, 0, "{\"font_size\": 100}", &out), JOURNEYSTREAM_STATUS_OUT_OF_RANGE));
    CHECK_STR(journeystream_last_error_path(), "font_size");
    CHECK(STATUS(journeystream_map_render_svg(map, 0, "{\"colour\": 1}", &out), JOURNEYSTREAM_STATUS_PARSE));
    CHECK(MESSAGE_HAS("colour"));
    CHECK(STATUS(journeystream_map_render_svg(map, 0, "\xff", &out), JOURNEYSTREAM_STATUS_INVALID_UTF8));
    CHECK(STATUS(journeystream_map_render_svg(acme, JOURNEYSTREAM_DRAWING_JOURNEY_MAP, NULL, &out),
                 JOURNEYSTREAM_STATUS_MISSING_DATA));
    CHECK_STR(journeystream_last_error_path(), "journey");
    CHECK(STATUS(journeystream_map_render_svg(acme, JOURNEYSTREAM_DRAWING_VALUE_STREAM_COMPARE, NULL, &out),
                 JOURNEYSTREAM_STATUS_MISSING_DATA));
    CHECK(out == SENTINEL);
    CHECK(STATUS(journeystream_map_render_html(NULL, NULL, NULL, &out), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_profile_render(NULL, 0, NULL, &out), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(STATUS(journeystream_map_render_flow(map, 9, NULL, &out), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(out == SENTINEL);
    journeystream_map_free(map);
    journeystream_map_free(acme);
}

static void test_charts(void) {
    char *svg = NULL;
    if (STATUS(journeystream_render_chart("funnel", "{\"steps\": [[\"Visit\", 1000], [\"Buy\", 95]]}", NULL, &svg),
               JOURNEYSTREAM_STATUS_OK)) {
        CHECK(strstr(svg, "10% of Visit") != NULL);
    }
    journeystream_string_free(svg);
    svg = NULL;
    if (STATUS(journeystream_render_chart("sankey",
                                          "{\"links\": [{\"source\": \"Web\", \"target\": \"Buy\", \"value\": 3}]}",
                                          NULL, &svg),
               JOURNEYSTREAM_STATUS_OK)) {
        CHECK(strstr(svg, "Web (3)") != NULL);
    }
    journeystream_string_free(svg);
    /* KPI estimates with intervals, the lead-time ladder, a model against the observed. */
    const char *charts[][3] = {
        {"bars", "{\"rows\": [{\"label\": \"web\", \"value\": 0.42, \"low\": 0.38, \"high\": 0.46}], \"format\": \"share\"}",
         "42% (38% to 46%)"},
        {"ladder", "{\"steps\": [{\"name\": \"Triage\", \"wait\": 3600, \"process\": 300}]}", "Lead time"},
        {"lines", "{\"series\": [{\"name\": \"observed\", \"points\": [[0, 3], [1, 5]]}]}", "observed"},
    };
    for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++) {
        svg = NULL;
        if (STATUS(journeystream_render_chart(charts[i][0], charts[i][1], NULL, &svg), JOURNEYSTREAM_STATUS_OK)) {
            CHECK(strstr(svg, charts[i][2]) != NULL);
        }
        journeystream_string_free(svg);
    }
    char *out = SENTINEL;
    CHECK(STATUS(journeystream_render_chart("ladder", "{\"steps\": [{\"name\": \"a\", \"wait\": -1, \"process\": 0}]}",
                                            NULL, &out),
                 JOURNEYSTREAM_STATUS_INVALID));
    CHECK_STR(journeystream_last_error_path(), "steps[0].wait");
    CHECK(STATUS(journeystream_render_chart("pie", "{}", NULL, &out), JOURNEYSTREAM_STATUS_INVALID_ARGUMENT));
    CHECK(STATUS(journeystream_render_chart("retention",
                                            "{\"cohorts\": [\"a\"], \"periods\": [\"M0\"], \"values\": [[2]]}",
                                            NULL, &out),
                 JOURNEYSTREAM_STATUS_OUT_OF_RANGE));
    CHECK_STR(journeystream_last_error_path(), "values[0][0]");
    CHECK(STATUS(journeystream_render_chart(NULL, "{}", NULL, &out), JOURNEYSTREAM_STATUS_NULL_ARGUMENT));
    CHECK(out == SENTINEL);
}

/* A monitored KPI: the kpi_series analysis of the sample log, drawn from its result as it is. */
static void test_kpi_series_drawing(void) {
    char *path = join(g_root, "examples/support-log.csv");
    journeystream_log *log = NULL;
    size_t skipped = 0;
    if (!STATUS(journeystream_log_from_csv_file(path, NULL, &log, &skipped), JOURNEYSTREAM_STATUS_OK)) {
        free(path);
        return;
    }
    free(path);
    const char *request = "{\"analysis\": \"kpi_series\", \"period\": \"day\", "
                          "\"kpi\": {\"metric\": \"conversion\", \"to_activity\": \"Ship replacement\"}, "
                          "\"targets\": [{\"value\": 0.5, \"name\": \"replaced\"}]}";
    char *series = NULL;
    if (STATUS(journeystream_analyze(log, request, strlen(request), &series), JOURNEYSTREAM_STATUS_OK)) {
        char *svg = NULL;
        if (STATUS(journeystream_render_chart("kpi_series", series, NULL, &svg), JOURNEYSTREAM_STATUS_OK)) {
            CHECK(strstr(svg, "conversion per day") != NULL);
            CHECK(strstr(svg, "target replaced 50%") != NULL);
            CHECK(strstr(svg, "2026-03-02") != NULL);
        }
        journeystream_string_free(svg);
    }
    journeystream_string_free(series);
    char *out = SENTINEL;
    CHECK(STATUS(journeystream_render_chart("kpi_series", "{\"points\": []}", NULL, &out),
                 JOURNEYSTREAM_STATUS_PARSE));
    CHECK(strstr(journeystream_last_error_message(), "missing field `metric`") != NULL);
    CHECK(out == SENTINEL);
    journeystream_log_free(log);
}

static const test TESTS[] = {
    TEST(test_charts),
    TEST(test_kpi_series_drawing),
    TEST(test_every_map_drawing),
    TEST(test_report_and_graph_text),
    TEST(test_render_errors),
};

int main(int argc, char **argv) {
    return run_tests(TESTS, sizeof TESTS / sizeof TESTS[0], argc, argv);
}
