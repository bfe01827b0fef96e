/* A small JSON parser for the C test programs (RFC 8259; C11, no dependencies).
 *
 * Every value records the byte span [start, end) of its source text, so that a runner can hand a
 * nested object to another parser unchanged. Strings are decoded to UTF-8 (escapes, \uXXXX and
 * surrogate pairs); they are NUL-terminated but may also hold NULs (from \u0000): use `length`.
 * Numbers are read with strtod. Parsing never crashes on bad input: it returns NULL and an error
 * message with the byte offset, line and column. */

#ifndef JOURNEYSTREAM_TEST_JSON_H
#define JOURNEYSTREAM_TEST_JSON_H

#include <stdbool.h>
#include <stddef.h>

typedef enum json_type {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
} json_type;

typedef struct json_value json_value;

struct json_value {
    json_type type;
    /* The value's source text is text[start, end). */
    size_t start;
    size_t end;
    bool boolean;   /* JSON_BOOL */
    double number;  /* JSON_NUMBER */
    char *string;   /* JSON_STRING: decoded UTF-8, NUL-terminated */
    size_t length;  /* JSON_STRING: bytes in `string`; JSON_ARRAY / JSON_OBJECT: element count */
    json_value *items; /* JSON_ARRAY: the elements; JSON_OBJECT: the member values, in source order */
    char **keys;        /* JSON_OBJECT: the member names (decoded, NUL-terminated) */
    size_t *key_lengths; /* JSON_OBJECT: their lengths in bytes */
};

/* Nesting deeper than this is an error (no stack exhaustion on hostile input). */
#define JSON_MAX_DEPTH 512

/* Parses `len` bytes of `text` (which need not be NUL-terminated; NULL is allowed when `len` is 0).
 * Returns the root value, to be released with json_free, or NULL with a message in `error`
 * (when `error` is not NULL and `error_size` > 0). */
json_value *json_parse(const char *text, size_t len, char *error, size_t error_size);

/* Frees a value returned by json_parse. NULL is ignored. */
void json_free(json_value *value);

/* The value of the first member named `key` (compared as bytes, up to its NUL), or NULL when the
 * value is not an object or has no such member. */
const json_value *json_get(const json_value *object, const char *key);

/* Number of elements of an array or members of an object; 0 for anything else and for NULL. */
size_t json_length(const json_value *value);

/* Element `index` of an array (or the value of member `index` of an object), or NULL when out of range. */
const json_value *json_at(const json_value *value, size_t index);

/* The name of member `index` of an object, or NULL. */
const char *json_key_at(const json_value *object, size_t index);

/* "null", "boolean", "number", "string", "array" or "object". */
const char *json_type_name(json_type type);

#endif /* JOURNEYSTREAM_TEST_JSON_H */
