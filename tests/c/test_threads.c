/* Several threads sharing one log: every analysis gives each thread the same JSON as one thread
 * alone, and every thread's last error is its own. Run under AddressSanitizer like the other
 * programs, and once more under ThreadSanitizer (scripts/test-c.sh). The workers record what
 * they got; only the main thread checks (the harness is not thread-safe). */

#include "harness.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define ROUNDS 3
#define CASES 600
#define SEC INT64_C(1000000000)

static const char *const REQUESTS[] = {
    "{\"analysis\": \"profile\"}",
    "{\"analysis\": \"activity_stats\"}",
    "{\"analysis\": \"arrivals\", \"period\": \"hour\"}",
    "{\"analysis\": \"funnel\", \"steps\": [\"visit\", \"cart\", \"buy\"]}",
    "{\"analysis\": \"transition_graph\"}",
    "{\"analysis\": \"step_matrix\", \"max_steps\": 5}",
    "{\"analysis\": \"top_paths\", \"top\": 5}",
    "{\"analysis\": \"retention\", \"period\": \"day\", \"periods\": 3}",
    "{\"analysis\": \"kpi\", \"metric\": \"resolution_time\", \"from_activity\": \"visit\", \"to_activity\": \"buy\"}",
};
#define N_REQUESTS (sizeof REQUESTS / sizeof REQUESTS[0])

/* A log of CASES journeys: visit, then (by case number) cart, buy, support and return visits,
 * over several days. */
static journeystream_log *shared_log(void) {
    static const char *const names[] = {"visit", "cart", "buy", "support", "visit"};
    size_t n = 0, cap = CASES * 5;
    const char **cases = calloc(cap, sizeof *cases);
    const char **activities = calloc(cap, sizeof *activities);
    int64_t *ts = calloc(cap, sizeof *ts);
    char(*ids)[16] = calloc(CASES, sizeof *ids);
    if (!cases || !activities || !ts || !ids) {
        return NULL;
    }
    for (int c = 0; c < CASES; c++) {
        snprintf(ids[c], sizeof ids[c], "case-%d", c);
        int steps = 1 + c % 5;
        for (int s = 0; s < steps; s++) {
            cases[n] = ids[c];
            activities[n] = names[s];
            ts[n] = INT64_C(1700000000) * SEC + (int64_t)c * 977 * SEC + (int64_t)s * (3600 + c % 7) * 13 * SEC;
            n++;
        }
    }
    journeystream_log *log = NULL;
    journeystream_status status = journeystream_log_from_columns(cases, activities, ts, NULL, n, &log);
    free(cases);
    free(activities);
    free(ts);
    free(ids);
    return status == JOURNEYSTREAM_STATUS_OK ? log : NULL;
}

typedef struct {
    const journeystream_log *log;
    char *got[ROUNDS][N_REQUESTS]; /* the JSON of each request in each round, or NULL */
    bool own_error;                /* this thread's last error was its own */
} work;

static void *worker(void *arg) {
    work *w = arg;
    for (int r = 0; r < ROUNDS; r++) {
        for (size_t i = 0; i < N_REQUESTS; i++) {
            size_t k = (i + (size_t)r) % N_REQUESTS; /* threads start at different analyses */
            char *json = NULL;
            if (journeystream_analyze(w->log, REQUESTS[k], strlen(REQUESTS[k]), &json) == JOURNEYSTREAM_STATUS_OK) {
                w->got[r][k] = json;
            }
        }
        /* A failing call on this thread: its message is this thread's, whatever the others do. */
        const char *bad = "{\"analysis\": \"funnel\", \"steps\": [\"visit\", \"nosuch\"]}";
        char *json = NULL;
        journeystream_status status = journeystream_analyze(w->log, bad, strlen(bad), &json);
        const char *message = journeystream_last_error_message();
        w->own_error = status != JOURNEYSTREAM_STATUS_OK && message != NULL && strstr(message, "nosuch") != NULL;
        if (!w->own_error) {
            break;
        }
    }
    return NULL;
}

static void test_threads_sharing_a_log_agree_with_one_thread(void) {
    journeystream_log *log = shared_log();
    REQUIRE(log != NULL);
    char *alone[N_REQUESTS] = {0};
    for (size_t i = 0; i < N_REQUESTS; i++) {
        REQUIRE_OK(journeystream_analyze(log, REQUESTS[i], strlen(REQUESTS[i]), &alone[i]));
    }
    static work works[THREADS];
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        memset(&works[t], 0, sizeof works[t]);
        works[t].log = log;
        REQUIRE(pthread_create(&threads[t], NULL, worker, &works[t]) == 0);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
    }
    for (int t = 0; t < THREADS; t++) {
        CHECK(works[t].own_error);
        for (int r = 0; r < ROUNDS; r++) {
            for (size_t i = 0; i < N_REQUESTS; i++) {
                char *got = works[t].got[r][i];
                if (got == NULL || strcmp(got, alone[i]) != 0) {
                    note(__LINE__, "thread %d, round %d: %s differs from one thread's result", t, r, REQUESTS[i]);
                    g_failed = true;
                }
                journeystream_string_free(got);
            }
        }
    }
    for (size_t i = 0; i < N_REQUESTS; i++) {
        journeystream_string_free(alone[i]);
    }
    journeystream_log_free(log);
}

static const test TESTS[] = {
    TEST(test_threads_sharing_a_log_agree_with_one_thread),
};

int main(int argc, char **argv) {
    return run_tests(TESTS, sizeof TESTS / sizeof TESTS[0], argc, argv);
}
