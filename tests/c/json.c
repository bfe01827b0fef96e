/* A small JSON parser for the C test programs. See json.h. */

#include "json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const unsigned char *text;
    size_t len;
    size_t pos;
    size_t depth;
    char *error;
    size_t error_size;
    bool failed;
} parser;

/* Records the first error, at byte `at`, with its line and column. Always returns false. */
static bool fail_at(parser *p, size_t at, const char *format, ...) {
    if (p->failed) {
        return false;
    }
    p->failed = true;
    if (p->error == NULL || p->error_size == 0) {
        return false;
    }
    size_t line = 1;
    size_t column = 1;
    for (size_t i = 0; i < at && i < p->len; i++) {
        if (p->text[i] == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
    }
    char message[256];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    snprintf(p->error, p->error_size, "line %zu column %zu (byte %zu): %s", line, column, at, message);
    return false;
}

#define FAIL(p, ...) fail_at((p), (p)->pos, __VA_ARGS__)

static void skip_whitespace(parser *p) {
    while (p->pos < p->len) {
        unsigned char c = p->text[p->pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            p->pos++;
        } else {
            break;
        }
    }
}

/* Frees what a value owns (not the value itself). */
static void clear(json_value *v) {
    switch (v->type) {
    case JSON_STRING:
        free(v->string);
        break;
    case JSON_ARRAY:
    case JSON_OBJECT:
        for (size_t i = 0; i < v->length; i++) {
            clear(&v->items[i]);
            if (v->keys != NULL) {
                free(v->keys[i]);
            }
        }
        free(v->items);
        free(v->keys);
        free(v->key_lengths);
        break;
    default:
        break;
    }
    memset(v, 0, sizeof *v);
}

/* A growable byte buffer for decoded strings. */
typedef struct buffer {
    char *data;
    size_t len;
    size_t cap;
} buffer;

static bool buffer_push(parser *p, buffer *b, const unsigned char *bytes, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap == 0 ? 16 : b->cap;
        while (b->len + n + 1 > cap) {
            if (cap > SIZE_MAX / 2) {
                return FAIL(p, "string too long");
            }
            cap *= 2;
        }
        char *data = realloc(b->data, cap);
        if (data == NULL) {
            return FAIL(p, "out of memory");
        }
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

static bool push_code_point(parser *p, buffer *b, uint32_t c) {
    unsigned char out[4];
    size_t n;
    if (c < 0x80) {
        out[0] = (unsigned char)c;
        n = 1;
    } else if (c < 0x800) {
        out[0] = (unsigned char)(0xC0 | (c >> 6));
        out[1] = (unsigned char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (c >> 12));
        out[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        out[0] = (unsigned char)(0xF0 | (c >> 18));
        out[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
        out[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        out[3] = (unsigned char)(0x80 | (c & 0x3F));
        n = 4;
    }
    return buffer_push(p, b, out, n);
}

/* Four hex digits at p->pos; advances past them. */
static bool read_hex4(parser *p, uint32_t *out) {
    if (p->len - p->pos < 4) {
        return FAIL(p, "truncated \\u escape");
    }
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = p->text[p->pos + (size_t)i];
        uint32_t d;
        if (c >= '0' && c <= '9') {
            d = (uint32_t)(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            d = (uint32_t)(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            d = (uint32_t)(c - 'A' + 10);
        } else {
            return fail_at(p, p->pos + (size_t)i, "invalid hex digit in \\u escape");
        }
        v = v * 16 + d;
    }
    p->pos += 4;
    *out = v;
    return true;
}

/* Length of the valid UTF-8 sequence at p->pos (1..4), or 0 when it is not valid UTF-8. */
static size_t utf8_sequence(const parser *p) {
    const unsigned char *s = p->text + p->pos;
    size_t left = p->len - p->pos;
    unsigned char c = s[0];
    if (c < 0x80) {
        return 1;
    }
    size_t n;
    uint32_t min;
    uint32_t v;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        min = 0x80;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        min = 0x800;
        v = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        min = 0x10000;
        v = c & 0x07;
    } else {
        return 0;
    }
    if (left < n) {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        return 0;
    }
    return n;
}

/* A string at p->pos (the opening quote); decoded into *out / *out_len. */
static bool parse_string_raw(parser *p, char **out, size_t *out_len) {
    buffer b = {0};
    size_t open = p->pos;
    p->pos++; /* the quote */
    if (!buffer_push(p, &b, (const unsigned char *)"", 0)) {
        return false;
    }
    for (;;) {
        if (p->pos >= p->len) {
            free(b.data);
            return fail_at(p, open, "unterminated string");
        }
        unsigned char c = p->text[p->pos];
        if (c == '"') {
            p->pos++;
            *out = b.data;
            *out_len = b.len;
            return true;
        }
        if (c < 0x20) {
            free(b.data);
            return FAIL(p, "control character 0x%02x in string", c);
        }
        if (c == '\\') {
            p->pos++;
            if (p->pos >= p->len) {
                free(b.data);
                return fail_at(p, open, "unterminated string");
            }
            unsigned char e = p->text[p->pos];
            const char *simple = NULL;
            switch (e) {
            case '"': simple = "\""; break;
            case '\\': simple = "\\"; break;
            case '/': simple = "/"; break;
            case 'b': simple = "\b"; break;
            case 'f': simple = "\f"; break;
            case 'n': simple = "\n"; break;
            case 'r': simple = "\r"; break;
            case 't': simple = "\t"; break;
            case 'u': break;
            default:
                free(b.data);
                return FAIL(p, "invalid escape '\\%c'", e >= 0x20 && e < 0x7F ? e : '?');
            }
            if (simple != NULL) {
                p->pos++;
                if (!buffer_push(p, &b, (const unsigned char *)simple, 1)) {
                    free(b.data);
                    return false;
                }
                continue;
            }
            size_t escape = p->pos - 1;
            p->pos++; /* the u */
            uint32_t code;
            if (!read_hex4(p, &code)) {
                free(b.data);
                return false;
            }
            if (code >= 0xDC00 && code <= 0xDFFF) {
                free(b.data);
                return fail_at(p, escape, "lone trailing surrogate \\u%04X", (unsigned)code);
            }
            if (code >= 0xD800 && code <= 0xDBFF) {
                if (p->len - p->pos < 2 || p->text[p->pos] != '\\' || p->text[p->pos + 1] != 'u') {
                    free(b.data);
                    return fail_at(p, escape, "lone leading surrogate \\u%04X", (unsigned)code);
                }
                p->pos += 2;
                uint32_t low;
                if (!read_hex4(p, &low)) {
                    free(b.data);
                    return false;
                }
                if (low < 0xDC00 || low > 0xDFFF) {
                    free(b.data);
                    return fail_at(p, escape, "leading surrogate \\u%04X not followed by a trailing one",
                                   (unsigned)code);
                }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            }
            if (!push_code_point(p, &b, code)) {
                free(b.data);
                return false;
            }
            continue;
        }
        size_t n = utf8_sequence(p);
        if (n == 0) {
            free(b.data);
            return FAIL(p, "invalid UTF-8 in string");
        }
        if (!buffer_push(p, &b, p->text + p->pos, n)) {
            free(b.data);
            return false;
        }
        p->pos += n;
    }
}

static bool is_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}

static bool parse_number(parser *p, json_value *out) {
    size_t start = p->pos;
    size_t i = p->pos;
    const unsigned char *s = p->text;
    if (i < p->len && s[i] == '-') {
        i++;
    }
    if (i >= p->len || !is_digit(s[i])) {
        return fail_at(p, i, "invalid number");
    }
    if (s[i] == '0') {
        i++;
        if (i < p->len && is_digit(s[i])) {
            return fail_at(p, i, "leading zero in number");
        }
    } else {
        while (i < p->len && is_digit(s[i])) {
            i++;
        }
    }
    if (i < p->len && s[i] == '.') {
        i++;
        if (i >= p->len || !is_digit(s[i])) {
            return fail_at(p, i, "expected a digit after the decimal point");
        }
        while (i < p->len && is_digit(s[i])) {
            i++;
        }
    }
    if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < p->len && (s[i] == '+' || s[i] == '-')) {
            i++;
        }
        if (i >= p->len || !is_digit(s[i])) {
            return fail_at(p, i, "expected a digit in the exponent");
        }
        while (i < p->len && is_digit(s[i])) {
            i++;
        }
    }
    size_t n = i - start;
    char small[64];
    char *copy = n < sizeof small ? small : malloc(n + 1);
    if (copy == NULL) {
        return FAIL(p, "out of memory");
    }
    memcpy(copy, s + start, n);
    copy[n] = '\0';
    errno = 0;
    char *end = NULL;
    double v = strtod(copy, &end);
    bool complete = end == copy + n;
    if (copy != small) {
        free(copy);
    }
    if (!complete) {
        return fail_at(p, start, "invalid number");
    }
    if (!isfinite(v)) {
        return fail_at(p, start, "number out of range");
    }
    out->type = JSON_NUMBER;
    out->number = v;
    p->pos = i;
    return true;
}

static bool parse_value(parser *p, json_value *out);

static bool grow(parser *p, json_value *v, size_t *cap, bool object) {
    if (v->length < *cap) {
        return true;
    }
    size_t n = *cap == 0 ? 4 : *cap * 2;
    json_value *items = realloc(v->items, n * sizeof *items);
    if (items == NULL) {
        return FAIL(p, "out of memory");
    }
    v->items = items;
    if (object) {
        char **keys = realloc(v->keys, n * sizeof *keys);
        if (keys == NULL) {
            return FAIL(p, "out of memory");
        }
        v->keys = keys;
        size_t *lens = realloc(v->key_lengths, n * sizeof *lens);
        if (lens == NULL) {
            return FAIL(p, "out of memory");
        }
        v->key_lengths = lens;
    }
    *cap = n;
    return true;
}

/* An array or object at p->pos (its opening bracket). */
static bool parse_container(parser *p, json_value *out, bool object) {
    unsigned char close = object ? '}' : ']';
    size_t open = p->pos;
    if (p->depth >= JSON_MAX_DEPTH) {
        return FAIL(p, "nesting deeper than %d", JSON_MAX_DEPTH);
    }
    p->depth++;
    out->type = object ? JSON_OBJECT : JSON_ARRAY;
    p->pos++;
    size_t cap = 0;
    skip_whitespace(p);
    if (p->pos < p->len && p->text[p->pos] == close) {
        p->pos++;
        p->depth--;
        return true;
    }
    for (;;) {
        skip_whitespace(p);
        char *key = NULL;
        size_t key_len = 0;
        if (object) {
            if (p->pos >= p->len) {
                clear(out);
                return fail_at(p, open, "unterminated object");
            }
            if (p->text[p->pos] != '"') {
                clear(out);
                return FAIL(p, "expected a member name in quotes");
            }
            if (!parse_string_raw(p, &key, &key_len)) {
                clear(out);
                return false;
            }
            skip_whitespace(p);
            if (p->pos >= p->len || p->text[p->pos] != ':') {
                free(key);
                clear(out);
                return FAIL(p, "expected ':' after a member name");
            }
            p->pos++;
            skip_whitespace(p);
        }
        json_value item;
        memset(&item, 0, sizeof item);
        if (!parse_value(p, &item)) {
            free(key);
            clear(out);
            return false;
        }
        if (!grow(p, out, &cap, object)) {
            free(key);
            clear(&item);
            clear(out);
            return false;
        }
        out->items[out->length] = item;
        if (object) {
            out->keys[out->length] = key;
            out->key_lengths[out->length] = key_len;
        }
        out->length++;
        skip_whitespace(p);
        if (p->pos >= p->len) {
            clear(out);
            return fail_at(p, open, object ? "unterminated object" : "unterminated array");
        }
        unsigned char c = p->text[p->pos];
        if (c == ',') {
            p->pos++;
            skip_whitespace(p);
            if (p->pos < p->len && p->text[p->pos] == close) {
                clear(out);
                return FAIL(p, "trailing comma");
            }
            continue;
        }
        if (c == close) {
            p->pos++;
            p->depth--;
            return true;
        }
        clear(out);
        return FAIL(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static bool parse_literal(parser *p, const char *word) {
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->text + p->pos, word, n) != 0) {
        return FAIL(p, "invalid literal (expected '%s')", word);
    }
    p->pos += n;
    return true;
}

/* A value at p->pos (no leading whitespace). On failure *out is left empty. */
static bool parse_value(parser *p, json_value *out) {
    memset(out, 0, sizeof *out);
    if (p->pos >= p->len) {
        return FAIL(p, "expected a value");
    }
    out->start = p->pos;
    bool ok;
    unsigned char c = p->text[p->pos];
    switch (c) {
    case '{':
        ok = parse_container(p, out, true);
        break;
    case '[':
        ok = parse_container(p, out, false);
        break;
    case '"':
        ok = parse_string_raw(p, &out->string, &out->length);
        if (ok) {
            out->type = JSON_STRING;
        }
        break;
    case 't':
        ok = parse_literal(p, "true");
        out->type = JSON_BOOL;
        out->boolean = true;
        break;
    case 'f':
        ok = parse_literal(p, "false");
        out->type = JSON_BOOL;
        break;
    case 'n':
        ok = parse_literal(p, "null");
        out->type = JSON_NULL;
        break;
    default:
        if (c == '-' || is_digit(c)) {
            ok = parse_number(p, out);
        } else {
            ok = FAIL(p, "unexpected character %s0x%02x", c >= 0x20 && c < 0x7F ? "" : "byte ", c);
        }
        break;
    }
    if (!ok) {
        memset(out, 0, sizeof *out);
        return false;
    }
    out->end = p->pos;
    return true;
}

json_value *json_parse(const char *text, size_t len, char *error, size_t error_size) {
    if (error != NULL && error_size > 0) {
        error[0] = '\0';
    }
    parser p = {
        .text = (const unsigned char *)(text != NULL ? text : ""),
        .len = text != NULL ? len : 0,
        .pos = 0,
        .depth = 0,
        .error = error,
        .error_size = error_size,
        .failed = false,
    };
    if (text == NULL && len != 0) {
        fail_at(&p, 0, "NULL text of %zu bytes", len);
        return NULL;
    }
    json_value *root = calloc(1, sizeof *root);
    if (root == NULL) {
        fail_at(&p, 0, "out of memory");
        return NULL;
    }
    skip_whitespace(&p);
    if (p.pos >= p.len) {
        free(root);
        fail_at(&p, p.pos, "empty document");
        return NULL;
    }
    if (!parse_value(&p, root)) {
        free(root);
        return NULL;
    }
    skip_whitespace(&p);
    if (p.pos < p.len) {
        clear(root);
        free(root);
        fail_at(&p, p.pos, "trailing characters after the value");
        return NULL;
    }
    return root;
}

void json_free(json_value *value) {
    if (value != NULL) {
        clear(value);
        free(value);
    }
}

const json_value *json_get(const json_value *object, const char *key) {
    if (object == NULL || object->type != JSON_OBJECT || key == NULL) {
        return NULL;
    }
    size_t n = strlen(key);
    for (size_t i = 0; i < object->length; i++) {
        if (object->key_lengths[i] == n && memcmp(object->keys[i], key, n) == 0) {
            return &object->items[i];
        }
    }
    return NULL;
}

size_t json_length(const json_value *value) {
    if (value == NULL || (value->type != JSON_ARRAY && value->type != JSON_OBJECT)) {
        return 0;
    }
    return value->length;
}

const json_value *json_at(const json_value *value, size_t index) {
    if (index >= json_length(value)) {
        return NULL;
    }
    return &value->items[index];
}

const char *json_key_at(const json_value *object, size_t index) {
    if (object == NULL || object->type != JSON_OBJECT || index >= object->length) {
        return NULL;
    }
    return object->keys[index];
}

const char *json_type_name(json_type type) {
    switch (type) {
    case JSON_NULL: return "null";
    case JSON_BOOL: return "boolean";
    case JSON_NUMBER: return "number";
    case JSON_STRING: return "string";
    case JSON_ARRAY: return "array";
    case JSON_OBJECT: return "object";
    }
    return "?";
}
