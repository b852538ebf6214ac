#include <string.h>

#include "bootstage/bs_cbor.h"
#include "bootstage/bs_result.h"

void bs_cbor_init(struct bs_cbor *c, const uint8_t *data, size_t len)
{
    c->data = data;
    c->len = len;
    c->pos = 0;
    c->error = 0;
}

int bs_cbor_ok(const struct bs_cbor *c) { return c->error == 0; }

int bs_cbor_at_end(const struct bs_cbor *c) { return c->error == 0 && c->pos == c->len; }

void bs_cbor_fail(struct bs_cbor *c, int reason)
{
    if (c->error == 0) {
        c->error = reason;
    }
}

int bs_cbor_peek_major(struct bs_cbor *c)
{
    if (c->error != 0 || c->pos >= c->len) {
        bs_cbor_fail(c, BS_REASON_TRUNCATED);
        return -1;
    }
    return c->data[c->pos] >> 5;
}

int bs_cbor_peek_is_null(struct bs_cbor *c)
{
    return c->error == 0 && c->pos < c->len && c->data[c->pos] == 0xF6;
}

/* RFC 8949, 3: additional information 0..23 is the argument, 24..27 say it follows in 1/2/4/8
 * bytes, 28..30 are reserved, 31 is indefinite length (rejected: deterministic encoding). */
static uint64_t head(struct bs_cbor *c, int major)
{
    if (bs_cbor_peek_major(c) != major) {
        bs_cbor_fail(c, c->error ? c->error : BS_REASON_MALFORMED);
        return 0;
    }
    int ai = c->data[c->pos] & 0x1F;
    c->pos++;
    if (ai < 24) {
        return (uint64_t)ai;
    }
    if (ai > 27) {
        bs_cbor_fail(c, BS_REASON_MALFORMED);
        return 0;
    }
    size_t size = (size_t)1 << (ai - 24);
    if (size > c->len - c->pos) {
        bs_cbor_fail(c, BS_REASON_TRUNCATED);
        return 0;
    }
    uint64_t value = 0;
    for (size_t i = 0; i < size; i++) {
        value = (value << 8) | c->data[c->pos + i];
    }
    c->pos += size;
    return value;
}

uint64_t bs_cbor_uint(struct bs_cbor *c) { return head(c, BS_CBOR_UINT); }

int64_t bs_cbor_int(struct bs_cbor *c)
{
    int major = bs_cbor_peek_major(c);
    if (major != BS_CBOR_UINT && major != BS_CBOR_NINT) {
        bs_cbor_fail(c, BS_REASON_MALFORMED);
        return 0;
    }
    uint64_t n = head(c, major);
    if (n > (uint64_t)INT64_MAX) {
        bs_cbor_fail(c, BS_REASON_MALFORMED);
        return 0;
    }
    return major == BS_CBOR_UINT ? (int64_t)n : -1 - (int64_t)n;
}

static const uint8_t *string(struct bs_cbor *c, int major, size_t *len)
{
    uint64_t n = head(c, major);
    if (c->error != 0 || n > c->len - c->pos) {
        bs_cbor_fail(c, BS_REASON_TRUNCATED);
        *len = 0;
        return NULL;
    }
    const uint8_t *p = c->data + c->pos;
    c->pos += (size_t)n;
    *len = (size_t)n;
    return p;
}

const uint8_t *bs_cbor_bstr(struct bs_cbor *c, size_t *len) { return string(c, BS_CBOR_BSTR, len); }

uint64_t bs_cbor_bstr_header(struct bs_cbor *c) { return head(c, BS_CBOR_BSTR); }

const uint8_t *bs_cbor_tstr(struct bs_cbor *c, size_t *len) { return string(c, BS_CBOR_TSTR, len); }

uint64_t bs_cbor_array(struct bs_cbor *c)
{
    uint64_t n = head(c, BS_CBOR_ARRAY);
    if (n > c->len - c->pos) { /* every item takes at least one byte */
        bs_cbor_fail(c, BS_REASON_TRUNCATED);
        return 0;
    }
    return n;
}

uint64_t bs_cbor_map(struct bs_cbor *c)
{
    uint64_t n = head(c, BS_CBOR_MAP);
    if (n > (c->len - c->pos) / 2) {
        bs_cbor_fail(c, BS_REASON_TRUNCATED);
        return 0;
    }
    return n;
}

uint64_t bs_cbor_tag(struct bs_cbor *c) { return head(c, BS_CBOR_TAG); }

void bs_cbor_null(struct bs_cbor *c)
{
    if (!bs_cbor_peek_is_null(c)) {
        bs_cbor_fail(c, BS_REASON_MALFORMED);
        return;
    }
    c->pos++;
}

static void skip(struct bs_cbor *c, int depth)
{
    if (depth > BS_CBOR_MAX_DEPTH) {
        bs_cbor_fail(c, BS_REASON_MALFORMED);
        return;
    }
    int major = bs_cbor_peek_major(c);
    size_t len;
    uint64_t n;
    switch (major) {
    case BS_CBOR_UINT:
    case BS_CBOR_NINT:
        (void)head(c, major);
        return;
    case BS_CBOR_BSTR:
    case BS_CBOR_TSTR:
        (void)string(c, major, &len);
        return;
    case BS_CBOR_ARRAY:
        n = bs_cbor_array(c);
        for (uint64_t i = 0; i < n && c->error == 0; i++) {
            skip(c, depth + 1);
        }
        return;
    case BS_CBOR_MAP:
        n = bs_cbor_map(c);
        for (uint64_t i = 0; i < 2 * n && c->error == 0; i++) {
            skip(c, depth + 1);
        }
        return;
    case BS_CBOR_TAG:
        (void)head(c, major);
        skip(c, depth + 1);
        return;
    case BS_CBOR_SIMPLE:
        if ((c->data[c->pos] & 0x1F) == 31) {
            bs_cbor_fail(c, BS_REASON_MALFORMED);
            return;
        }
        (void)head(c, major);
        return;
    default:
        return; /* error already set by peek */
    }
}

void bs_cbor_skip(struct bs_cbor *c) { skip(c, 0); }
