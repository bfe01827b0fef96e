/* Conformance runner for the C API: `conformance <vectors_dir> <repo_root>`.
 *
 * Runs every *.json in <vectors_dir>, sorted by name, with the semantics of tests/vectors/README.md,
 * through include/journeystream.h. A field or call it does not know fails the vector (never a
 * silent skip). Prints `ok <name>` or `FAIL <name>: <reason>` per vector and finally
 * `N passed, M failed`; exits non-zero when a vector failed. */

#define _POSIX_C_SOURCE 200809L

#include "json.h"
#include "journeystream.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------- */
/* Failure reasons of one vector. */

typedef struct ctx {
    char reason[4096];
    size_t len;
    bool failed;
} ctx;

static void failf(ctx *c, const char *format, ...) __attribute__((format(printf, 2, 3)));

static void failf(ctx *c, const char *format, ...) {
    if (c->len + 8 >= sizeof c->reason) {
        c->failed = true;
        return;
    }
    if (c->failed) {
        c->len += (size_t)snprintf(c->reason + c->len, sizeof c->reason - c->len, "; ");
        if (c->len >= sizeof c->reason) {
            c->len = sizeof c->reason - 1;
            return;
        }
    }
    c->failed = true;
    va_list args;
    va_start(args, format);
    int n = vsnprintf(c->reason + c->len, sizeof c->reason - c->len, format, args);
    va_end(args);
    if (n > 0) {
        c->len += (size_t)n;
    }
    if (c->len >= sizeof c->reason) {
        c->len = sizeof c->reason - 1;
    }
}

static char *copy_string(const char *s) {
    if (s == NULL) {
        return NULL;
    }
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d == NULL) {
        fprintf(stderr, "conformance: out of memory\n");
        exit(2);
    }
    memcpy(d, s, n);
    return d;
}

/* ---------------------------------------------------------------------------------------------- */
/* The first failed API call of a vector. */

typedef struct outcome {
    bool failed;
    const char *function;
    journeystream_status status;
    char *message;
    char *path;
} outcome;

/* Records a failed call (with the thread's last error, read right away); true when `status` is OK. */
static bool api(outcome *o, journeystream_status status, const char *function) {
    if (status == JOURNEYSTREAM_STATUS_OK) {
        return true;
    }
    if (!o->failed) {
        o->failed = true;
        o->function = function;
        o->status = status;
        o->message = copy_string(journeystream_last_error_message());
        o->path = copy_string(journeystream_last_error_path());
    }
    return false;
}

static void outcome_free(outcome *o) {
    free(o->message);
    free(o->path);
}

/* ---------------------------------------------------------------------------------------------- */
/* Shape checks of the vector itself. */

static bool is_one_of(const char *key, const char *const *names) {
    for (size_t i = 0; names[i] != NULL; i++) {
        if (strcmp(key, names[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Fails on keys outside `known` (NULL-terminated) and on repeated keys; `what` names the object. */
static bool check_keys(ctx *c, const json_value *object, const char *what, const char *const *known) {
    bool ok = true;
    for (size_t i = 0; i < json_length(object); i++) {
        const char *key = json_key_at(object, i);
        if (strlen(key) != object->key_lengths[i]) {
            failf(c, "%s: member name with a NUL", what);
            ok = false;
            continue;
        }
        if (known != NULL && !is_one_of(key, known)) {
            failf(c, "%s: unknown field '%s'", what, key);
            ok = false;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(key, json_key_at(object, j)) == 0) {
                failf(c, "%s: field '%s' given twice", what, key);
                ok = false;
                break;
            }
        }
    }
    return ok;
}

static bool expect_type(ctx *c, const json_value *v, json_type type, const char *what) {
    if (v->type != type) {
        failf(c, "%s: expected a JSON %s, got %s", what, json_type_name(type), json_type_name(v->type));
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------------------------------------- */
/* Number and string specs. */

static bool close_enough(double actual, double expected) {
    return fabs(actual - expected) <= 1e-9 * fmax(1.0, fabs(expected));
}

/* Checks `actual` (defined when `has`) against a number spec. */
static void check_number(ctx *c, const char *what, const json_value *spec, bool has, double actual) {
    if (spec->type == JSON_NULL) {
        if (has) {
            failf(c, "%s: expected null (absent), got %.17g", what, actual);
        }
        return;
    }
    double expected;
    double value = actual;
    int digits = -1;
    if (spec->type == JSON_NUMBER) {
        expected = spec->number;
    } else if (spec->type == JSON_OBJECT && json_get(spec, "tol") != NULL) {
        static const char *const known[] = {"tol", "value", NULL};
        char where[300];
        snprintf(where, sizeof where, "%s spec", what);
        const json_value *tol = json_get(spec, "tol");
        const json_value *v = json_get(spec, "value");
        if (!check_keys(c, spec, where, known) || v == NULL || v->type != JSON_NUMBER || tol->type != JSON_NUMBER) {
            failf(c, "%s: a tolerance spec needs \"value\" and \"tol\" (numbers)", what);
            return;
        }
        if (!has) {
            failf(c, "%s: expected %.17g, got null (absent)", what, v->number);
        } else if (!(fabs(actual - v->number) <= tol->number)) {
            failf(c, "%s: expected %.17g +- %.17g, got %.17g", what, v->number, tol->number, actual);
        }
        return;
    } else if (spec->type == JSON_OBJECT) {
        static const char *const known[] = {"round", "value", NULL};
        char where[300];
        snprintf(where, sizeof where, "%s spec", what);
        if (!check_keys(c, spec, where, known)) {
            return;
        }
        const json_value *round_to = json_get(spec, "round");
        const json_value *v = json_get(spec, "value");
        if (round_to == NULL || v == NULL || round_to->type != JSON_NUMBER || v->type != JSON_NUMBER ||
            round_to->number != floor(round_to->number) || round_to->number < 0 || round_to->number > 15) {
            failf(c, "%s: a rounded spec needs \"round\" (an integer 0..15) and \"value\" (a number)", what);
            return;
        }
        digits = (int)round_to->number;
        expected = v->number;
        double scale = pow(10.0, digits);
        value = round(actual * scale) / scale;
    } else {
        failf(c, "%s: a number spec must be a number, {\"round\", \"value\"} or null, not %s", what,
              json_type_name(spec->type));
        return;
    }
    if (!has) {
        failf(c, "%s: expected %.17g, got null (absent)", what, expected);
        return;
    }
    if (!close_enough(value, expected)) {
        if (digits >= 0) {
            failf(c, "%s: expected %.17g (rounded to %d decimals), got %.17g (%.17g)", what, expected, digits,
                  actual, value);
        } else {
            failf(c, "%s: expected %.17g, got %.17g", what, expected, actual);
        }
    }
}

/* Checks a string (NULL when absent) against a string spec or null. */
static void check_string(ctx *c, const char *what, const json_value *spec, const char *actual) {
    if (spec->type == JSON_NULL) {
        if (actual != NULL) {
            failf(c, "%s: expected null, got \"%s\"", what, actual);
        }
        return;
    }
    if (spec->type != JSON_STRING) {
        failf(c, "%s: expected a string or null spec, got %s", what, json_type_name(spec->type));
        return;
    }
    if (actual == NULL) {
        failf(c, "%s: expected \"%s\", got NULL", what, spec->string);
    } else if (strlen(spec->string) != spec->length || strcmp(actual, spec->string) != 0) {
        failf(c, "%s: expected \"%s\", got \"%s\"", what, spec->string, actual);
    }
}

/* One field of a result struct, looked up by its JSON name. */
typedef enum field_kind { FIELD_UNKNOWN, FIELD_NUMBER, FIELD_STRING } field_kind;

typedef struct field {
    field_kind kind;
    bool has;
    double number;
    const char *string;
    const char *unsupported; /* for FIELD_UNKNOWN: why the C API cannot check it, if known */
} field;

static field number_field(double v) {
    return (field){.kind = FIELD_NUMBER, .has = true, .number = v};
}

static field optional_field(bool has, double v) {
    return (field){.kind = FIELD_NUMBER, .has = has, .number = v};
}

static field string_field(const char *s) {
    return (field){.kind = FIELD_STRING, .string = s};
}

static void check_field(ctx *c, const char *what, const json_value *spec, field f) {
    switch (f.kind) {
    case FIELD_NUMBER:
        check_number(c, what, spec, f.has, f.number);
        break;
    case FIELD_STRING:
        check_string(c, what, spec, f.string);
        break;
    case FIELD_UNKNOWN:
        if (f.unsupported != NULL) {
            failf(c, "%s: cannot be checked through the C API (%s)", what, f.unsupported);
        } else {
            failf(c, "%s: unknown field", what);
        }
        break;
    }
}

static const char *rework_model_name(journeystream_rework_model m) {
    switch (m) {
    case JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS: return "single_pass";
    case JOURNEYSTREAM_REWORK_MODEL_GEOMETRIC: return "geometric";
    }
    return "?";
}

static const char *value_class_name(journeystream_value_class v) {
    switch (v) {
    case JOURNEYSTREAM_VALUE_CLASS_VALUE_ADDING: return "value_adding";
    case JOURNEYSTREAM_VALUE_CLASS_NECESSARY_NON_VALUE_ADDING: return "necessary_non_value_adding";
    case JOURNEYSTREAM_VALUE_CLASS_WASTE: return "waste";
    }
    return "?";
}

static const char *polarity_name(journeystream_polarity p) {
    switch (p) {
    case JOURNEYSTREAM_POLARITY_POSITIVE: return "positive";
    case JOURNEYSTREAM_POLARITY_NEGATIVE: return "negative";
    case JOURNEYSTREAM_POLARITY_MIXED: return "mixed";
    }
    return "?";
}

/* The summary fields, by their name in the metrics JSON. */
static field summary_field(const journeystream_summary *s, const char *name) {
    const bool d = s->has_demand;
    if (strcmp(name, "day_length") == 0) return number_field(s->day_length_s);
    if (strcmp(name, "lead_time") == 0) return number_field(s->lead_time_s);
    if (strcmp(name, "lead_time_days") == 0) return number_field(s->lead_time_days);
    if (strcmp(name, "process_time") == 0) return number_field(s->process_time_s);
    if (strcmp(name, "wait_time") == 0) return number_field(s->wait_time_s);
    if (strcmp(name, "activity_ratio") == 0) return number_field(s->activity_ratio);
    if (strcmp(name, "process_cycle_efficiency") == 0) return number_field(s->process_cycle_efficiency);
    if (strcmp(name, "rolled_complete_accurate") == 0) return number_field(s->rolled_complete_accurate);
    if (strcmp(name, "value_adding_time") == 0) return number_field(s->value_adding_time_s);
    if (strcmp(name, "necessary_non_value_adding_time") == 0)
        return number_field(s->necessary_non_value_adding_time_s);
    if (strcmp(name, "waste_time") == 0) return number_field(s->waste_time_s);
    if (strcmp(name, "value_adding_share") == 0) return number_field(s->value_adding_share);
    if (strcmp(name, "necessary_non_value_adding_share") == 0)
        return number_field(s->necessary_non_value_adding_share);
    if (strcmp(name, "waste_share") == 0) return number_field(s->waste_share);
    if (strcmp(name, "rework_model") == 0) return string_field(rework_model_name(s->rework_model));
    if (strcmp(name, "rework_adjusted_lead_time") == 0) return number_field(s->rework_adjusted_lead_time_s);
    if (strcmp(name, "rework_adjusted_lead_time_days") == 0)
        return number_field(s->rework_adjusted_lead_time_days);
    if (strcmp(name, "demand_per_day") == 0) return optional_field(d, s->demand_per_day);
    if (strcmp(name, "available_time_per_day") == 0) return optional_field(d, s->available_time_per_day_s);
    if (strcmp(name, "takt_time") == 0) return optional_field(d, s->takt_time_s);
    if (strcmp(name, "total_inventory") == 0) return number_field(s->total_inventory);
    if (strcmp(name, "inventory_days") == 0) return number_field(s->inventory_days);
    if (strcmp(name, "bottleneck") == 0)
        return (field){.unsupported = "use expect.bottleneck for the bottleneck step"};
    return (field){.kind = FIELD_UNKNOWN};
}

/* The step fields. */
static field step_field(const journeystream_step_metrics *s, const char *name) {
    if (strcmp(name, "id") == 0) return string_field(s->id);
    if (strcmp(name, "name") == 0) return string_field(s->name);
    if (strcmp(name, "visits") == 0) return number_field(s->visits);
    if (strcmp(name, "rework_visits") == 0) return number_field(s->rework_visits);
    if (strcmp(name, "wait_time") == 0) return number_field(s->wait_time_s);
    if (strcmp(name, "inventory_days") == 0) return optional_field(s->has_inventory_days, s->inventory_days);
    if (strcmp(name, "process_time") == 0) return number_field(s->process_time_s);
    if (strcmp(name, "lead_time") == 0) return number_field(s->lead_time_s);
    if (strcmp(name, "cycle_time") == 0) return number_field(s->cycle_time_s);
    if (strcmp(name, "complete_accurate") == 0) return number_field(s->complete_accurate);
    if (strcmp(name, "value_class") == 0) return string_field(value_class_name(s->value_class));
    if (strcmp(name, "capacity_per_day") == 0) return optional_field(s->has_capacity, s->capacity_per_day);
    if (strcmp(name, "utilization") == 0) return optional_field(s->has_utilization, s->utilization);
    if (strcmp(name, "cycle_time_to_takt") == 0) return optional_field(s->has_cycle_time_to_takt, s->cycle_time_to_takt);
    return (field){.kind = FIELD_UNKNOWN};
}

static field group_field(const journeystream_group_metrics *g, const char *name) {
    if (strcmp(name, "id") == 0) return string_field(g->id);
    if (strcmp(name, "name") == 0) return string_field(g->name);
    if (strcmp(name, "lead_time") == 0) return number_field(g->lead_time_s);
    if (strcmp(name, "process_time") == 0) return number_field(g->process_time_s);
    if (strcmp(name, "wait_time") == 0) return number_field(g->wait_time_s);
    if (strcmp(name, "activity_ratio") == 0) return optional_field(g->has_activity_ratio, g->activity_ratio);
    if (strcmp(name, "rolled_complete_accurate") == 0) return number_field(g->rolled_complete_accurate);
    if (strcmp(name, "share_of_lead_time") == 0) return number_field(g->share_of_lead_time);
    if (strcmp(name, "steps") == 0)
        return (field){.unsupported = "journeystream_group_metrics has only step_count, not the step ids"};
    return (field){.kind = FIELD_UNKNOWN};
}

static field moment_field(const journeystream_moment_metrics *m, const char *name) {
    if (strcmp(name, "id") == 0) return string_field(m->id);
    if (strcmp(name, "name") == 0) return string_field(m->name);
    if (strcmp(name, "stage") == 0) return string_field(m->stage);
    if (strcmp(name, "touchpoint") == 0) return string_field(m->touchpoint);
    if (strcmp(name, "polarity") == 0) return string_field(polarity_name(m->polarity));
    if (strcmp(name, "lead_time") == 0) return number_field(m->lead_time_s);
    if (strcmp(name, "process_time") == 0) return number_field(m->process_time_s);
    if (strcmp(name, "rolled_complete_accurate") == 0) return number_field(m->rolled_complete_accurate);
    if (strcmp(name, "steps") == 0)
        return (field){.unsupported = "journeystream_moment_metrics has only step_count, not the step ids"};
    return (field){.kind = FIELD_UNKNOWN};
}

/* ---------------------------------------------------------------------------------------------- */
/* Calls. */

/* Opens the vector's document: `document` (its source span), `document_file` or `document_text`. */
static journeystream_map *open_document(ctx *c, outcome *o, const json_value *vector, const char *text,
                                        const char *repo_root) {
    const json_value *doc = json_get(vector, "document");
    const json_value *file = json_get(vector, "document_file");
    const json_value *raw = json_get(vector, "document_text");
    int sources = (doc != NULL) + (file != NULL) + (raw != NULL);
    if (sources != 1) {
        failf(c, "needs exactly one of document, document_file, document_text (has %d)", sources);
        return NULL;
    }
    journeystream_map *map = NULL;
    if (doc != NULL) {
        api(o, journeystream_map_from_json(text + doc->start, doc->end - doc->start, &map),
            "journeystream_map_from_json");
    } else if (raw != NULL) {
        if (!expect_type(c, raw, JSON_STRING, "document_text")) {
            return NULL;
        }
        api(o, journeystream_map_from_json(raw->string, raw->length, &map), "journeystream_map_from_json");
    } else {
        if (!expect_type(c, file, JSON_STRING, "document_file")) {
            return NULL;
        }
        if (strlen(file->string) != file->length || file->length == 0) {
            failf(c, "document_file: not a usable path");
            return NULL;
        }
        size_t n = strlen(repo_root) + 1 + file->length + 1;
        char *path = malloc(n);
        if (path == NULL) {
            failf(c, "out of memory");
            return NULL;
        }
        snprintf(path, n, "%s/%s", repo_root, file->string);
        api(o, journeystream_map_from_file(path, &map), "journeystream_map_from_file");
        free(path);
    }
    return map;
}

static bool no_args(ctx *c, const json_value *args, const char *call) {
    if (args == NULL) {
        return true;
    }
    if (!expect_type(c, args, JSON_OBJECT, "args")) {
        return false;
    }
    static const char *const none[] = {NULL};
    char what[64];
    snprintf(what, sizeof what, "args of %s", call);
    return check_keys(c, args, what, none);
}

/* load: the map loads; `round_trip: true` writes it, loads that and writes it again, byte-equal. */
static void run_load(ctx *c, outcome *o, journeystream_map *map, const json_value *expect) {
    if (expect == NULL || o->failed) {
        return;
    }
    static const char *const known[] = {"round_trip", NULL};
    if (!check_keys(c, expect, "expect", known)) {
        return;
    }
    const json_value *rt = json_get(expect, "round_trip");
    if (rt == NULL) {
        return;
    }
    if (rt->type != JSON_BOOL || !rt->boolean) {
        failf(c, "expect.round_trip: only true is defined");
        return;
    }
    char *first = NULL;
    char *second = NULL;
    journeystream_map *again = NULL;
    if (api(o, journeystream_map_to_json(map, &first), "journeystream_map_to_json") &&
        api(o, journeystream_map_from_json(first, strlen(first), &again), "journeystream_map_from_json") &&
        api(o, journeystream_map_to_json(again, &second), "journeystream_map_to_json")) {
        if (strcmp(first, second) != 0) {
            size_t i = 0;
            while (first[i] != '\0' && first[i] == second[i]) {
                i++;
            }
            failf(c, "round_trip: the second JSON differs from the first at byte %zu (of %zu and %zu)", i,
                  strlen(first), strlen(second));
        }
    }
    journeystream_string_free(first);
    journeystream_string_free(second);
    journeystream_map_free(again);
}

/* Checks `{id: {field: spec}}` for steps. */
static void check_steps(ctx *c, outcome *o, const journeystream_metrics *m, const journeystream_summary *s,
                        const json_value *spec) {
    if (!expect_type(c, spec, JSON_OBJECT, "expect.steps") || !check_keys(c, spec, "expect.steps", NULL)) {
        return;
    }
    for (size_t i = 0; i < json_length(spec); i++) {
        const char *id = json_key_at(spec, i);
        const json_value *fields = json_at(spec, i);
        char what[512];
        snprintf(what, sizeof what, "steps.%s", id);
        if (!expect_type(c, fields, JSON_OBJECT, what) || !check_keys(c, fields, what, NULL)) {
            continue;
        }
        bool found = false;
        journeystream_step_metrics step;
        for (size_t k = 0; k < s->step_count && !found; k++) {
            if (!api(o, journeystream_metrics_step(m, k, &step), "journeystream_metrics_step")) {
                return;
            }
            found = step.id != NULL && strcmp(step.id, id) == 0;
        }
        if (!found) {
            failf(c, "%s: no such step", what);
            continue;
        }
        for (size_t f = 0; f < json_length(fields); f++) {
            char name[600];
            snprintf(name, sizeof name, "%s.%s", what, json_key_at(fields, f));
            check_field(c, name, json_at(fields, f), step_field(&step, json_key_at(fields, f)));
        }
    }
}

/* Checks `{id: {field: spec}}` for stages (kind 0) or lanes (kind 1). */
static void check_groups(ctx *c, outcome *o, const journeystream_metrics *m, uint32_t kind, size_t count,
                         const json_value *spec, const char *label) {
    char top[64];
    snprintf(top, sizeof top, "expect.%s", label);
    if (!expect_type(c, spec, JSON_OBJECT, top) || !check_keys(c, spec, top, NULL)) {
        return;
    }
    for (size_t i = 0; i < json_length(spec); i++) {
        const char *id = json_key_at(spec, i);
        const json_value *fields = json_at(spec, i);
        char what[512];
        snprintf(what, sizeof what, "%s.%s", label, id);
        if (!expect_type(c, fields, JSON_OBJECT, what) || !check_keys(c, fields, what, NULL)) {
            continue;
        }
        bool found = false;
        journeystream_group_metrics group;
        for (size_t k = 0; k < count && !found; k++) {
            if (!api(o, journeystream_metrics_group(m, kind, k, &group), "journeystream_metrics_group")) {
                return;
            }
            found = group.id != NULL && strcmp(group.id, id) == 0;
        }
        if (!found) {
            failf(c, "%s: no such %s", what, kind == JOURNEYSTREAM_GROUP_KIND_STAGE ? "stage" : "lane");
            continue;
        }
        for (size_t f = 0; f < json_length(fields); f++) {
            char name[600];
            snprintf(name, sizeof name, "%s.%s", what, json_key_at(fields, f));
            check_field(c, name, json_at(fields, f), group_field(&group, json_key_at(fields, f)));
        }
    }
}

static void check_moments(ctx *c, outcome *o, const journeystream_metrics *m, size_t count,
                          const json_value *spec) {
    if (!expect_type(c, spec, JSON_OBJECT, "expect.moments_of_truth") ||
        !check_keys(c, spec, "expect.moments_of_truth", NULL)) {
        return;
    }
    for (size_t i = 0; i < json_length(spec); i++) {
        const char *id = json_key_at(spec, i);
        const json_value *fields = json_at(spec, i);
        char what[512];
        snprintf(what, sizeof what, "moments_of_truth.%s", id);
        if (!expect_type(c, fields, JSON_OBJECT, what) || !check_keys(c, fields, what, NULL)) {
            continue;
        }
        bool found = false;
        journeystream_moment_metrics moment;
        for (size_t k = 0; k < count && !found; k++) {
            if (!api(o, journeystream_metrics_moment(m, k, &moment), "journeystream_metrics_moment")) {
                return;
            }
            found = moment.id != NULL && strcmp(moment.id, id) == 0;
        }
        if (!found) {
            failf(c, "%s: no such moment of truth", what);
            continue;
        }
        for (size_t f = 0; f < json_length(fields); f++) {
            char name[600];
            snprintf(name, sizeof name, "%s.%s", what, json_key_at(fields, f));
            check_field(c, name, json_at(fields, f), moment_field(&moment, json_key_at(fields, f)));
        }
    }
}

static void check_measure(ctx *c, outcome *o, const journeystream_metrics *m, const json_value *expect) {
    static const char *const known[] = {"summary", "steps", "stages", "lanes", "moments_of_truth", "bottleneck", NULL};
    if (!check_keys(c, expect, "expect", known)) {
        return;
    }
    journeystream_summary s;
    if (!api(o, journeystream_metrics_summary(m, &s), "journeystream_metrics_summary")) {
        return;
    }
    const json_value *summary = json_get(expect, "summary");
    if (summary != NULL && expect_type(c, summary, JSON_OBJECT, "expect.summary") &&
        check_keys(c, summary, "expect.summary", NULL)) {
        for (size_t i = 0; i < json_length(summary); i++) {
            char what[300];
            snprintf(what, sizeof what, "summary.%s", json_key_at(summary, i));
            check_field(c, what, json_at(summary, i), summary_field(&s, json_key_at(summary, i)));
        }
    }
    const json_value *steps = json_get(expect, "steps");
    if (steps != NULL) {
        check_steps(c, o, m, &s, steps);
    }
    const json_value *stages = json_get(expect, "stages");
    if (stages != NULL) {
        check_groups(c, o, m, JOURNEYSTREAM_GROUP_KIND_STAGE, s.stage_count, stages, "stages");
    }
    const json_value *lanes = json_get(expect, "lanes");
    if (lanes != NULL) {
        check_groups(c, o, m, JOURNEYSTREAM_GROUP_KIND_LANE, s.lane_count, lanes, "lanes");
    }
    const json_value *moments = json_get(expect, "moments_of_truth");
    if (moments != NULL) {
        check_moments(c, o, m, s.moment_count, moments);
    }
    const json_value *bottleneck = json_get(expect, "bottleneck");
    if (bottleneck != NULL) {
        check_string(c, "bottleneck", bottleneck, s.bottleneck_step);
    }
}

static bool rework_arg(ctx *c, const json_value *args, uint32_t *rework) {
    *rework = JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS;
    if (args == NULL) {
        return true;
    }
    static const char *const known[] = {"rework", NULL};
    if (!expect_type(c, args, JSON_OBJECT, "args") || !check_keys(c, args, "args of measure", known)) {
        return false;
    }
    const json_value *r = json_get(args, "rework");
    if (r == NULL) {
        return true;
    }
    if (r->type == JSON_STRING && strcmp(r->string, "single_pass") == 0) {
        *rework = JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS;
    } else if (r->type == JSON_STRING && strcmp(r->string, "geometric") == 0) {
        *rework = JOURNEYSTREAM_REWORK_MODEL_GEOMETRIC;
    } else {
        failf(c, "args.rework: must be \"single_pass\" or \"geometric\"");
        return false;
    }
    return true;
}

static void run_measure(ctx *c, outcome *o, journeystream_map *map, uint32_t rework, const json_value *expect) {
    journeystream_metrics *m = NULL;
    if (!api(o, journeystream_map_measure(map, rework, &m), "journeystream_map_measure")) {
        return;
    }
    if (expect != NULL) {
        check_measure(c, o, m, expect);
    }
    journeystream_metrics_free(m);
}

static void check_comparison(ctx *c, outcome *o, const journeystream_comparison *cmp, const json_value *spec) {
    if (!expect_type(c, spec, JSON_OBJECT, "expect.comparison") ||
        !check_keys(c, spec, "expect.comparison", NULL)) {
        return;
    }
    size_t count = journeystream_comparison_count(cmp);
    for (size_t i = 0; i < json_length(spec); i++) {
        const char *metric = json_key_at(spec, i);
        const json_value *fields = json_at(spec, i);
        char what[300];
        snprintf(what, sizeof what, "comparison.%s", metric);
        static const char *const known[] = {"before", "after", "absolute", "relative", NULL};
        if (!expect_type(c, fields, JSON_OBJECT, what) || !check_keys(c, fields, what, known)) {
            continue;
        }
        bool found = false;
        journeystream_metric_change ch;
        for (size_t k = 0; k < count && !found; k++) {
            if (!api(o, journeystream_comparison_get(cmp, k, &ch), "journeystream_comparison_get")) {
                return;
            }
            found = ch.metric != NULL && strcmp(ch.metric, metric) == 0;
        }
        if (!found) {
            failf(c, "%s: no such metric in the comparison", what);
            continue;
        }
        for (size_t f = 0; f < json_length(fields); f++) {
            const char *name = json_key_at(fields, f);
            char where[400];
            snprintf(where, sizeof where, "%s.%s", what, name);
            const json_value *v = json_at(fields, f);
            if (strcmp(name, "before") == 0) check_number(c, where, v, ch.has_before, ch.before);
            else if (strcmp(name, "after") == 0) check_number(c, where, v, ch.has_after, ch.after);
            else if (strcmp(name, "absolute") == 0) check_number(c, where, v, ch.has_absolute, ch.absolute);
            else check_number(c, where, v, ch.has_relative, ch.relative);
        }
    }
}

static void check_steps_removed(ctx *c, outcome *o, const journeystream_comparison *cmp, const json_value *spec) {
    if (!expect_type(c, spec, JSON_ARRAY, "expect.steps_removed")) {
        return;
    }
    for (size_t i = 0; i < json_length(spec); i++) {
        if (!expect_type(c, json_at(spec, i), JSON_STRING, "expect.steps_removed[]")) {
            return;
        }
    }
    char *text = NULL;
    if (!api(o, journeystream_comparison_to_json(cmp, &text), "journeystream_comparison_to_json")) {
        return;
    }
    char error[300];
    json_value *parsed = json_parse(text, strlen(text), error, sizeof error);
    if (parsed == NULL) {
        failf(c, "journeystream_comparison_to_json gave invalid JSON: %s", error);
        journeystream_string_free(text);
        return;
    }
    const json_value *removed = json_get(parsed, "steps_removed");
    if (removed == NULL || removed->type != JSON_ARRAY) {
        failf(c, "comparison JSON has no steps_removed array");
    } else {
        bool same = json_length(removed) == json_length(spec);
        for (size_t i = 0; same && i < json_length(spec); i++) {
            const json_value *a = json_at(removed, i);
            const json_value *e = json_at(spec, i);
            same = a->type == JSON_STRING && a->length == e->length && memcmp(a->string, e->string, e->length) == 0;
        }
        if (!same) {
            char expected[1024] = "";
            size_t used = 0;
            for (size_t i = 0; i < json_length(spec) && used < sizeof expected; i++) {
                int n = snprintf(expected + used, sizeof expected - used, "%s\"%s\"", i > 0 ? "," : "",
                                 json_at(spec, i)->string);
                used += n > 0 ? (size_t)n : 0;
            }
            failf(c, "steps_removed: expected [%s], got %.*s", expected, (int)(removed->end - removed->start),
                  text + removed->start);
        }
    }
    json_free(parsed);
    journeystream_string_free(text);
}

static void run_project(ctx *c, outcome *o, journeystream_map *map, const json_value *expect) {
    if (expect != NULL) {
        static const char *const known[] = {"comparison", "steps_removed", NULL};
        if (!check_keys(c, expect, "expect", known)) {
            return;
        }
    }
    journeystream_map *future = NULL;
    journeystream_metrics *before = NULL;
    journeystream_metrics *after = NULL;
    journeystream_comparison *cmp = NULL;
    if (api(o, journeystream_map_project(map, &future), "journeystream_map_project") &&
        api(o, journeystream_map_measure(map, JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS, &before),
            "journeystream_map_measure") &&
        api(o, journeystream_map_measure(future, JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS, &after),
            "journeystream_map_measure") &&
        api(o, journeystream_compare(before, after, &cmp), "journeystream_compare") && expect != NULL) {
        const json_value *comparison = json_get(expect, "comparison");
        if (comparison != NULL) {
            check_comparison(c, o, cmp, comparison);
        }
        const json_value *removed = json_get(expect, "steps_removed");
        if (removed != NULL) {
            check_steps_removed(c, o, cmp, removed);
        }
    }
    journeystream_comparison_free(cmp);
    journeystream_metrics_free(after);
    journeystream_metrics_free(before);
    journeystream_map_free(future);
}

static void run_littles_law(ctx *c, outcome *o, const json_value *args, const json_value *expect) {
    static const char *const names[] = {"wip", "throughput_per_day", "lead_time_days", NULL};
    if (args == NULL || !expect_type(c, args, JSON_OBJECT, "args") ||
        !check_keys(c, args, "args of littles_law", names)) {
        if (args == NULL) {
            failf(c, "littles_law needs args");
        }
        return;
    }
    double values[3];
    const double *pointers[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < 3; i++) {
        const json_value *v = json_get(args, names[i]);
        if (v == NULL) {
            continue;
        }
        char what[64];
        snprintf(what, sizeof what, "args.%s", names[i]);
        if (!expect_type(c, v, JSON_NUMBER, what)) {
            return;
        }
        values[i] = v->number;
        pointers[i] = &values[i];
    }
    if (expect != NULL && !check_keys(c, expect, "expect", names)) {
        return;
    }
    journeystream_littles_law_result result;
    if (!api(o, journeystream_littles_law(pointers[0], pointers[1], pointers[2], &result),
             "journeystream_littles_law")) {
        return;
    }
    if (expect == NULL) {
        return;
    }
    const double actual[3] = {result.wip, result.throughput_per_day, result.lead_time_days};
    for (size_t i = 0; i < 3; i++) {
        const json_value *spec = json_get(expect, names[i]);
        if (spec != NULL) {
            check_number(c, names[i], spec, true, actual[i]);
        }
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* profile: the process profile of an event log (log_events rows or a log_file). */

static field stats_field(const journeystream_duration_stats *s, const char *name) {
    if (strcmp(name, "count") == 0) return number_field((double)s->count);
    if (strcmp(name, "mean") == 0) return number_field(s->mean);
    if (strcmp(name, "median") == 0) return number_field(s->median);
    if (strcmp(name, "min") == 0) return number_field(s->min);
    if (strcmp(name, "max") == 0) return number_field(s->max);
    if (strcmp(name, "total") == 0) return number_field(s->total);
    if (strcmp(name, "stdev") == 0) return optional_field(s->has_stdev, s->stdev);
    return (field){.kind = FIELD_UNKNOWN};
}

static field edge_field(const journeystream_dfg_edge *e, const char *name) {
    if (strcmp(name, "count") == 0) return number_field((double)e->count);
    if (strcmp(name, "mean") == 0) return number_field(e->mean);
    if (strcmp(name, "median") == 0) return number_field(e->median);
    if (strcmp(name, "min") == 0) return number_field(e->min);
    if (strcmp(name, "max") == 0) return number_field(e->max);
    if (strcmp(name, "total") == 0) return number_field(e->total);
    if (strcmp(name, "stdev") == 0) return optional_field(e->has_stdev, e->stdev);
    return (field){.kind = FIELD_UNKNOWN};
}

/* Reads `args` of profile: only `skip_bad_rows` (a boolean). */
static bool profile_args(ctx *c, const json_value *args, bool *skip) {
    *skip = false;
    if (args == NULL) {
        return true;
    }
    static const char *const known[] = {"skip_bad_rows", NULL};
    if (!expect_type(c, args, JSON_OBJECT, "args") || !check_keys(c, args, "args of profile", known)) {
        return false;
    }
    const json_value *s = json_get(args, "skip_bad_rows");
    if (s != NULL) {
        if (!expect_type(c, s, JSON_BOOL, "args.skip_bad_rows")) {
            return false;
        }
        *skip = s->boolean;
    }
    return true;
}

/* Builds the vector's log: `log_events` through journeystream_log_from_rows (the library parses
 * the RFC 3339 text), or `log_file` through journeystream_log_from_xes_file. */
static journeystream_log *open_log(ctx *c, outcome *o, const json_value *vector, bool skip, size_t *skipped,
                                   const char *repo_root) {
    const json_value *rows = json_get(vector, "log_events");
    const json_value *file = json_get(vector, "log_file");
    if (json_get(vector, "document") != NULL || json_get(vector, "document_file") != NULL ||
        json_get(vector, "document_text") != NULL) {
        failf(c, "a log vector takes a log, not a document");
        return NULL;
    }
    if ((rows == NULL) == (file == NULL)) {
        failf(c, "a log vector needs exactly one of log_events and log_file");
        return NULL;
    }
    journeystream_log *log = NULL;
    *skipped = 0;
    if (rows != NULL) {
        if (skip) {
            failf(c, "skip_bad_rows needs a log_file");
            return NULL;
        }
        if (!expect_type(c, rows, JSON_ARRAY, "log_events")) {
            return NULL;
        }
        size_t n = json_length(rows);
        const char **columns = calloc(3 * n + 1, sizeof *columns);
        if (columns == NULL) {
            failf(c, "out of memory");
            return NULL;
        }
        bool ok = true;
        for (size_t i = 0; i < n && ok; i++) {
            const json_value *row = json_at(rows, i);
            ok = row->type == JSON_ARRAY && json_length(row) == 3;
            for (size_t k = 0; k < 3 && ok; k++) {
                const json_value *cell = json_at(row, k);
                ok = cell->type == JSON_STRING && strlen(cell->string) == cell->length;
                if (ok) {
                    columns[k * n + i] = cell->string;
                }
            }
            if (!ok) {
                failf(c, "log_events[%zu] must be [case, activity, timestamp] strings (without NULs)", i);
            }
        }
        if (ok) {
            api(o, journeystream_log_from_rows(columns, columns + n, columns + 2 * n, NULL, n, &log),
                "journeystream_log_from_rows");
        }
        free(columns);
        return log;
    }
    if (!expect_type(c, file, JSON_STRING, "log_file")) {
        return NULL;
    }
    if (strlen(file->string) != file->length || file->length == 0) {
        failf(c, "log_file: not a usable path");
        return NULL;
    }
    size_t n = strlen(repo_root) + 1 + file->length + 1;
    char *path = malloc(n);
    if (path == NULL) {
        failf(c, "out of memory");
        return NULL;
    }
    snprintf(path, n, "%s/%s", repo_root, file->string);
    if (strstr(file->string, ".csv") != NULL) {
        journeystream_csv_options options = {0};
        options.skip_bad_rows = skip;
        api(o, journeystream_log_from_csv_file(path, &options, &log, skipped), "journeystream_log_from_csv_file");
    } else if (strstr(file->string, ".jsonl") != NULL) {
        journeystream_csv_options options = {0};
        options.skip_bad_rows = skip;
        api(o, journeystream_log_from_jsonl_file(path, &options, &log, skipped),
            "journeystream_log_from_jsonl_file");
    } else {
        api(o, journeystream_log_from_xes_file(path, skip, &log, skipped), "journeystream_log_from_xes_file");
    }
    free(path);
    return log;
}

/* The keys of `spec` (an object) are exactly `names[0..n)`, in any order. */
static bool same_entries(ctx *c, const char *what, const json_value *spec, char **names, size_t n) {
    if (!expect_type(c, spec, JSON_OBJECT, what) || !check_keys(c, spec, what, NULL)) {
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < json_length(spec); i++) {
        const char *key = json_key_at(spec, i);
        bool found = false;
        for (size_t k = 0; k < n && !found; k++) {
            found = strcmp(names[k], key) == 0;
        }
        if (!found) {
            failf(c, "%s: expected '%s', which the profile does not have", what, key);
            ok = false;
        }
    }
    for (size_t k = 0; k < n; k++) {
        if (json_get(spec, names[k]) == NULL) {
            failf(c, "%s: the profile has '%s', which the vector does not list", what, names[k]);
            ok = false;
        }
    }
    return ok;
}

static void free_names(char **names, size_t n) {
    if (names != NULL) {
        for (size_t i = 0; i < n; i++) {
            free(names[i]);
        }
    }
    free(names);
}

/* The names of the entries of one list of the profile ("activities", "start_activities",
 * "end_activities", "dfg" as "a -> b", "variants" as "a,b,c"), or NULL after a failed call. */
static char **entry_names(outcome *o, const journeystream_profile *p, const char *list, size_t n) {
    char **names = calloc(n + 1, sizeof *names);
    if (names == NULL) {
        fprintf(stderr, "conformance: out of memory\n");
        exit(2);
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = NULL;
        if (strcmp(list, "activities") == 0) {
            journeystream_activity_count a;
            if (api(o, journeystream_profile_activity(p, i, &a), "journeystream_profile_activity")) {
                name = a.activity;
            }
        } else if (strcmp(list, "start_activities") == 0 || strcmp(list, "end_activities") == 0) {
            journeystream_endpoint e;
            journeystream_status s = list[0] == 's' ? journeystream_profile_start_activity(p, i, &e)
                                                    : journeystream_profile_end_activity(p, i, &e);
            if (api(o, s, "journeystream_profile_start_activity / _end_activity")) {
                name = e.activity;
            }
        } else if (strcmp(list, "dfg") == 0) {
            journeystream_dfg_edge e;
            if (api(o, journeystream_profile_dfg_edge(p, i, &e), "journeystream_profile_dfg_edge")) {
                size_t len = strlen(e.source) + strlen(e.target) + 5;
                names[i] = malloc(len);
                if (names[i] != NULL) {
                    snprintf(names[i], len, "%s -> %s", e.source, e.target);
                }
                name = names[i];
            }
        } else {
            journeystream_variant v;
            if (api(o, journeystream_profile_variant(p, i, &v), "journeystream_profile_variant")) {
                size_t len = 1;
                for (size_t k = 0; k < v.activity_count; k++) {
                    const char *a = NULL;
                    if (!api(o, journeystream_profile_variant_activity(p, i, k, &a),
                             "journeystream_profile_variant_activity")) {
                        break;
                    }
                    len += strlen(a) + 1;
                }
                names[i] = calloc(len, 1);
                for (size_t k = 0; k < v.activity_count && names[i] != NULL && !o->failed; k++) {
                    const char *a = NULL;
                    if (api(o, journeystream_profile_variant_activity(p, i, k, &a),
                            "journeystream_profile_variant_activity")) {
                        if (k > 0) {
                            strcat(names[i], ",");
                        }
                        strcat(names[i], a);
                    }
                }
                name = names[i];
            }
        }
        if (name == NULL || o->failed) {
            free_names(names, n);
            return NULL;
        }
        if (names[i] == NULL) {
            names[i] = copy_string(name);
        }
    }
    return names;
}

static void check_profile(ctx *c, outcome *o, const journeystream_profile *p, size_t skipped,
                          const json_value *expect) {
    static const char *const known[] = {"summary",  "skipped", "activities", "start_activities", "end_activities",
                                        "dfg", "variants", "case_durations", NULL};
    if (!check_keys(c, expect, "expect", known)) {
        return;
    }
    journeystream_process_summary s;
    if (!api(o, journeystream_profile_summary(p, &s), "journeystream_profile_summary")) {
        return;
    }
    const json_value *summary = json_get(expect, "summary");
    if (summary != NULL && expect_type(c, summary, JSON_OBJECT, "expect.summary")) {
        static const char *const fields[] = {"cases", "events", NULL};
        if (check_keys(c, summary, "expect.summary", fields)) {
            const json_value *v = json_get(summary, "cases");
            if (v != NULL) {
                check_number(c, "summary.cases", v, true, (double)s.cases);
            }
            v = json_get(summary, "events");
            if (v != NULL) {
                check_number(c, "summary.events", v, true, (double)s.events);
            }
        }
    }
    const json_value *spec = json_get(expect, "skipped");
    if (spec != NULL) {
        check_number(c, "skipped", spec, true, (double)skipped);
    }
    spec = json_get(expect, "case_durations");
    if (spec != NULL && expect_type(c, spec, JSON_OBJECT, "expect.case_durations") &&
        check_keys(c, spec, "expect.case_durations", NULL)) {
        for (size_t i = 0; i < json_length(spec); i++) {
            char what[300];
            snprintf(what, sizeof what, "case_durations.%s", json_key_at(spec, i));
            check_field(c, what, json_at(spec, i), stats_field(&s.case_durations, json_key_at(spec, i)));
        }
    }

    static const char *const lists[] = {"activities", "start_activities", "end_activities", "dfg", "variants"};
    const size_t counts[] = {s.activity_count, s.start_activity_count, s.end_activity_count, s.dfg_edge_count,
                             s.variant_count};
    for (size_t l = 0; l < 5; l++) {
        spec = json_get(expect, lists[l]);
        if (spec == NULL) {
            continue;
        }
        char **names = entry_names(o, p, lists[l], counts[l]);
        if (names == NULL) {
            return;
        }
        if (same_entries(c, lists[l], spec, names, counts[l])) {
            for (size_t i = 0; i < counts[l]; i++) {
                const json_value *entry = json_get(spec, names[i]);
                char what[600];
                snprintf(what, sizeof what, "%s[%s]", lists[l], names[i]);
                if (l == 0) {
                    static const char *const fields[] = {"events", "cases", NULL};
                    journeystream_activity_count a;
                    if (!expect_type(c, entry, JSON_OBJECT, what) || !check_keys(c, entry, what, fields) ||
                        !api(o, journeystream_profile_activity(p, i, &a), "journeystream_profile_activity")) {
                        continue;
                    }
                    const json_value *v = json_get(entry, "events");
                    if (v != NULL) {
                        check_number(c, what, v, true, (double)a.events);
                    }
                    v = json_get(entry, "cases");
                    if (v != NULL) {
                        check_number(c, what, v, true, (double)a.cases);
                    }
                } else if (l == 1 || l == 2) {
                    journeystream_endpoint e;
                    journeystream_status st = l == 1 ? journeystream_profile_start_activity(p, i, &e)
                                                     : journeystream_profile_end_activity(p, i, &e);
                    if (api(o, st, "journeystream_profile_start_activity / _end_activity")) {
                        check_number(c, what, entry, true, (double)e.cases);
                    }
                } else if (l == 3) {
                    journeystream_dfg_edge e;
                    if (!expect_type(c, entry, JSON_OBJECT, what) || !check_keys(c, entry, what, NULL) ||
                        !api(o, journeystream_profile_dfg_edge(p, i, &e), "journeystream_profile_dfg_edge")) {
                        continue;
                    }
                    for (size_t f = 0; f < json_length(entry); f++) {
                        char name[700];
                        snprintf(name, sizeof name, "%s.%s", what, json_key_at(entry, f));
                        check_field(c, name, json_at(entry, f), edge_field(&e, json_key_at(entry, f)));
                    }
                } else {
                    journeystream_variant v;
                    if (api(o, journeystream_profile_variant(p, i, &v), "journeystream_profile_variant")) {
                        check_number(c, what, entry, true, (double)v.count);
                    }
                }
            }
        }
        free_names(names, counts[l]);
    }
}

static void run_profile(ctx *c, outcome *o, const json_value *vector, const json_value *args,
                        const json_value *expect, const char *repo_root) {
    bool skip = false;
    if (!profile_args(c, args, &skip)) {
        return;
    }
    size_t skipped = 0;
    journeystream_log *log = open_log(c, o, vector, skip, &skipped, repo_root);
    if (log == NULL) {
        if (!o->failed && !c->failed) {
            failf(c, "no log and no error");
        }
        return;
    }
    journeystream_profile *p = NULL;
    if (api(o, journeystream_log_profile(log, &p), "journeystream_log_profile") && expect != NULL) {
        check_profile(c, o, p, skipped, expect);
    }
    journeystream_profile_free(p);
    journeystream_log_free(log);
}

/* ---------------------------------------------------------------------------------------------- */
/* analyze: one request through journeystream_analyze, the result JSON matched against `expect`. */

static bool is_number_spec(const json_value *spec) {
    return spec->type == JSON_OBJECT && json_length(spec) == 2 && json_get(spec, "value") != NULL &&
           (json_get(spec, "round") != NULL || json_get(spec, "tol") != NULL);
}

/* Objects match key by key (the result may have more; a null spec matches an absent key), lists
 * item by item with the same length, numbers as number specs, anything else exactly. */
static void match_json(ctx *c, const char *what, const json_value *actual, const json_value *spec) {
    char where[512];
    if (spec->type == JSON_NUMBER || is_number_spec(spec)) {
        bool has = actual != NULL && actual->type == JSON_NUMBER;
        if (actual != NULL && !has && actual->type != JSON_NULL) {
            failf(c, "%s: expected a number, got %s", what, json_type_name(actual->type));
            return;
        }
        check_number(c, what, spec, has, has ? actual->number : 0.0);
        return;
    }
    if (spec->type == JSON_NULL) {
        if (actual != NULL && actual->type != JSON_NULL) {
            failf(c, "%s: expected null, got %s", what, json_type_name(actual->type));
        }
        return;
    }
    if (actual == NULL) {
        failf(c, "%s: expected %s, got absent", what, json_type_name(spec->type));
        return;
    }
    if (actual->type != spec->type) {
        failf(c, "%s: expected %s, got %s", what, json_type_name(spec->type), json_type_name(actual->type));
        return;
    }
    switch (spec->type) {
    case JSON_OBJECT:
        for (size_t i = 0; i < json_length(spec); i++) {
            snprintf(where, sizeof where, "%s.%s", what, json_key_at(spec, i));
            match_json(c, where, json_get(actual, json_key_at(spec, i)), json_at(spec, i));
        }
        break;
    case JSON_ARRAY:
        if (json_length(actual) != json_length(spec)) {
            failf(c, "%s: expected %zu items, got %zu", what, json_length(spec), json_length(actual));
            return;
        }
        for (size_t i = 0; i < json_length(spec); i++) {
            snprintf(where, sizeof where, "%s[%zu]", what, i);
            match_json(c, where, json_at(actual, i), json_at(spec, i));
        }
        break;
    case JSON_STRING:
        check_string(c, what, spec, actual->string);
        break;
    case JSON_BOOL:
        if (actual->boolean != spec->boolean) {
            failf(c, "%s: expected %s", what, spec->boolean ? "true" : "false");
        }
        break;
    default:
        break;
    }
}

static void run_analyze(ctx *c, outcome *o, const json_value *vector, const json_value *args,
                        const json_value *expect, const char *text, const char *repo_root) {
    bool skip = false;
    if (!profile_args(c, args, &skip)) {
        return;
    }
    const json_value *request = json_get(vector, "request");
    if (request == NULL || !expect_type(c, request, JSON_OBJECT, "request")) {
        failf(c, "analyze needs a request object");
        return;
    }
    journeystream_log *log = NULL;
    if (json_get(vector, "log_events") != NULL || json_get(vector, "log_file") != NULL) {
        size_t skipped = 0;
        log = open_log(c, o, vector, skip, &skipped, repo_root);
        if (log == NULL) {
            if (!o->failed && !c->failed) {
                failf(c, "no log and no error");
            }
            return;
        }
    }
    char *result = NULL;
    if (api(o, journeystream_analyze(log, text + request->start, request->end - request->start, &result),
            "journeystream_analyze") &&
        expect != NULL) {
        char error[256];
        json_value *actual = json_parse(result, strlen(result), error, sizeof error);
        if (actual == NULL) {
            failf(c, "the result is not JSON: %s", error);
        } else {
            match_json(c, "result", actual, expect);
        }
        json_free(actual);
    }
    journeystream_string_free(result);
    journeystream_log_free(log);
}

/* Compares the failed call with `error: {kind, path, message_contains}`. */
static void check_error(ctx *c, const outcome *o, const json_value *error) {
    const json_value *kind = json_get(error, "kind");
    const json_value *path = json_get(error, "path");
    const json_value *contains = json_get(error, "message_contains");
    if (!o->failed) {
        failf(c, "expected an error (%s) but every call succeeded",
              kind != NULL && kind->type == JSON_STRING ? kind->string : "?");
        return;
    }
    const char *name = journeystream_status_name((uint32_t)o->status);
    if (kind != NULL && strcmp(name, kind->string) != 0) {
        failf(c, "%s failed with %s, expected %s (message: %s)", o->function, name, kind->string,
              o->message != NULL ? o->message : "NULL");
    }
    if (path != NULL) {
        check_string(c, "error.path", path, o->path);
    }
    if (contains != NULL) {
        if (o->message == NULL) {
            failf(c, "error message is NULL, expected it to contain \"%s\"", contains->string);
        } else if (strstr(o->message, contains->string) == NULL) {
            failf(c, "error message \"%s\" does not contain \"%s\"", o->message, contains->string);
        }
    }
}

static bool valid_error_spec(ctx *c, const json_value *error) {
    static const char *const known[] = {"kind", "path", "message_contains", NULL};
    if (!expect_type(c, error, JSON_OBJECT, "error") || !check_keys(c, error, "error", known)) {
        return false;
    }
    const json_value *kind = json_get(error, "kind");
    const json_value *path = json_get(error, "path");
    const json_value *contains = json_get(error, "message_contains");
    if (kind != NULL && !expect_type(c, kind, JSON_STRING, "error.kind")) {
        return false;
    }
    if (path != NULL && path->type != JSON_NULL && !expect_type(c, path, JSON_STRING, "error.path")) {
        return false;
    }
    if (contains != NULL && !expect_type(c, contains, JSON_STRING, "error.message_contains")) {
        return false;
    }
    return true;
}

/* Runs one parsed vector; `text` is its source (for the document span). */
static void run_vector(ctx *c, const json_value *v, const char *text, const char *repo_root) {
    static const char *const known[] = {"description", "document", "document_file", "document_text", "log_events",
                                        "log_file",    "call",     "args",          "expect",        "error",
                                        "request",     NULL};
    if (!expect_type(c, v, JSON_OBJECT, "vector") || !check_keys(c, v, "vector", known)) {
        return;
    }
    const json_value *description = json_get(v, "description");
    if (description != NULL && !expect_type(c, description, JSON_STRING, "description")) {
        return;
    }
    const json_value *call = json_get(v, "call");
    const json_value *args = json_get(v, "args");
    const json_value *expect = json_get(v, "expect");
    const json_value *error = json_get(v, "error");
    if (call == NULL) {
        failf(c, "no call");
        return;
    }
    if (!expect_type(c, call, JSON_STRING, "call")) {
        return;
    }
    if ((expect == NULL) == (error == NULL)) {
        failf(c, "needs exactly one of expect and error");
        return;
    }
    bool analyze = strcmp(call->string, "analyze") == 0;
    if (expect != NULL && !analyze && !expect_type(c, expect, JSON_OBJECT, "expect")) {
        return;
    }
    if (error != NULL && !valid_error_spec(c, error)) {
        return;
    }

    outcome o = {0};
    const char *name = call->string;
    if (!analyze && strcmp(name, "profile") != 0 &&
        (json_get(v, "log_events") != NULL || json_get(v, "log_file") != NULL)) {
        failf(c, "only profile and analyze take a log");
        return;
    }
    if (!analyze && json_get(v, "request") != NULL) {
        failf(c, "only analyze takes a request");
        return;
    }
    if (strcmp(name, "littles_law") == 0) {
        if (json_get(v, "document") != NULL || json_get(v, "document_file") != NULL ||
            json_get(v, "document_text") != NULL) {
            failf(c, "littles_law takes no document");
            return;
        }
        run_littles_law(c, &o, args, expect);
    } else if (strcmp(name, "profile") == 0) {
        run_profile(c, &o, v, args, expect, repo_root);
    } else if (analyze) {
        run_analyze(c, &o, v, args, expect, text, repo_root);
    } else if (strcmp(name, "load") == 0 || strcmp(name, "measure") == 0 || strcmp(name, "project") == 0) {
        uint32_t rework = 0;
        bool args_ok = strcmp(name, "measure") == 0 ? rework_arg(c, args, &rework) : no_args(c, args, name);
        if (!args_ok) {
            return;
        }
        journeystream_map *map = open_document(c, &o, v, text, repo_root);
        if (map != NULL) {
            if (strcmp(name, "load") == 0) {
                run_load(c, &o, map, expect);
            } else if (strcmp(name, "measure") == 0) {
                run_measure(c, &o, map, rework, expect);
            } else {
                run_project(c, &o, map, expect);
            }
            journeystream_map_free(map);
        } else if (!o.failed && !c->failed) {
            failf(c, "no map and no error");
        }
    } else {
        failf(c, "unknown call '%s'", name);
        return;
    }

    if (error != NULL) {
        if (!c->failed) {
            check_error(c, &o, error);
        }
    } else if (o.failed) {
        failf(c, "%s failed: %s: %s (path %s)", o.function, journeystream_status_name((uint32_t)o.status),
              o.message != NULL ? o.message : "NULL", o.path != NULL ? o.path : "NULL");
    }
    outcome_free(&o);
}

/* ---------------------------------------------------------------------------------------------- */

static char *read_file(const char *path, size_t *out_len, char *error, size_t error_size) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(error, error_size, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096;
    size_t len = 0;
    char *data = malloc(cap);
    while (data != NULL) {
        size_t n = fread(data + len, 1, cap - len, f);
        len += n;
        if (len < cap) {
            if (ferror(f)) {
                snprintf(error, error_size, "cannot read %s", path);
                free(data);
                data = NULL;
            }
            break;
        }
        cap *= 2;
        char *bigger = realloc(data, cap);
        if (bigger == NULL) {
            free(data);
        }
        data = bigger;
    }
    fclose(f);
    if (data == NULL) {
        if (error[0] == '\0') {
            snprintf(error, error_size, "out of memory reading %s", path);
        }
        return NULL;
    }
    *out_len = len;
    return data;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s <vectors_dir> <repo_root>\n", argv[0]);
        return 2;
    }
    const char *dir_path = argv[1];
    const char *repo_root = argv[2];
    DIR *dir = opendir(dir_path);
    if (dir == NULL) {
        fprintf(stderr, "conformance: cannot open %s: %s\n", dir_path, strerror(errno));
        return 2;
    }
    char **names = NULL;
    size_t count = 0;
    size_t cap = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        size_t n = strlen(entry->d_name);
        if (n <= 5 || strcmp(entry->d_name + n - 5, ".json") != 0) {
            continue;
        }
        if (count == cap) {
            cap = cap == 0 ? 64 : cap * 2;
            char **bigger = realloc(names, cap * sizeof *names);
            if (bigger == NULL) {
                fprintf(stderr, "conformance: out of memory\n");
                return 2;
            }
            names = bigger;
        }
        names[count++] = copy_string(entry->d_name);
    }
    closedir(dir);
    qsort(names, count, sizeof *names, compare_names);

    size_t passed = 0;
    size_t failed = 0;
    for (size_t i = 0; i < count; i++) {
        const char *file = names[i];
        int stem = (int)(strlen(file) - 5);
        size_t n = strlen(dir_path) + 1 + strlen(file) + 1;
        char *path = malloc(n);
        if (path == NULL) {
            fprintf(stderr, "conformance: out of memory\n");
            return 2;
        }
        snprintf(path, n, "%s/%s", dir_path, file);
        ctx c = {0};
        char error[512] = "";
        size_t len = 0;
        char *text = read_file(path, &len, error, sizeof error);
        if (text == NULL) {
            failf(&c, "%s", error);
        } else {
            json_value *v = json_parse(text, len, error, sizeof error);
            if (v == NULL) {
                failf(&c, "invalid JSON: %s", error);
            } else {
                run_vector(&c, v, text, repo_root);
                json_free(v);
            }
            free(text);
        }
        if (c.failed) {
            printf("FAIL %.*s: %s\n", stem, file, c.reason);
            failed++;
        } else {
            printf("ok %.*s\n", stem, file);
            passed++;
        }
        fflush(stdout);
        free(path);
    }
    for (size_t i = 0; i < count; i++) {
        free(names[i]);
    }
    free(names);
    if (count == 0) {
        fprintf(stderr, "conformance: no *.json vectors in %s\n", dir_path);
    }
    printf("%zu passed, %zu failed\n", passed, failed);
    return failed > 0 || count == 0 ? 1 : 0;
}
