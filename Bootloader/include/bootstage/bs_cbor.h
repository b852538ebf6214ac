/*
 * A bounded CBOR reader (RFC 8949) for the boot stage: definite lengths only, every length checked
 * against the bytes available, bounded nesting. Errors are sticky: after the first one every call
 * returns 0/empty and bs_cbor_ok() is false, so callers check once at the end of a structure.
 */
#ifndef BOOTSTAGE_BS_CBOR_H
#define BOOTSTAGE_BS_CBOR_H

#include <stddef.h>
#include <stdint.h>

#define BS_CBOR_MAX_DEPTH 16

enum bs_cbor_major { BS_CBOR_UINT = 0, BS_CBOR_NINT = 1, BS_CBOR_BSTR = 2, BS_CBOR_TSTR = 3,
                     BS_CBOR_ARRAY = 4, BS_CBOR_MAP = 5, BS_CBOR_TAG = 6, BS_CBOR_SIMPLE = 7 };

struct bs_cbor {
    const uint8_t *data;
    size_t len;
    size_t pos;
    int error; /* 0, or a bs_reason */
};

void bs_cbor_init(struct bs_cbor *c, const uint8_t *data, size_t len);
int bs_cbor_ok(const struct bs_cbor *c);
int bs_cbor_at_end(const struct bs_cbor *c);
int bs_cbor_peek_major(struct bs_cbor *c);
int bs_cbor_peek_is_null(struct bs_cbor *c);
uint64_t bs_cbor_uint(struct bs_cbor *c);
int64_t bs_cbor_int(struct bs_cbor *c);
/* Byte string whose contents lie within the data; returns a pointer into it and its length. */
const uint8_t *bs_cbor_bstr(struct bs_cbor *c, size_t *len);
/* Only the header of a byte string (its contents may lie beyond the data). */
uint64_t bs_cbor_bstr_header(struct bs_cbor *c);
const uint8_t *bs_cbor_tstr(struct bs_cbor *c, size_t *len);
uint64_t bs_cbor_array(struct bs_cbor *c);
uint64_t bs_cbor_map(struct bs_cbor *c);
uint64_t bs_cbor_tag(struct bs_cbor *c);
void bs_cbor_null(struct bs_cbor *c);
void bs_cbor_skip(struct bs_cbor *c);
void bs_cbor_fail(struct bs_cbor *c, int reason);

#endif /* BOOTSTAGE_BS_CBOR_H */
