/*
 * The canonical-form rule (docs/data-set-format.md, "Canonical form"; issue 17, C1 and F1): the staged
 * envelope header must be exactly what the profile's builder writes for the values it carries
 * (Agent/Core/Suit/SuitBuilder.BuildManifest and BuildEnvelopeHeader, CoseSign1.Encode, SuitDigest.Encode;
 * the agent applies the same rule in Agent/Core/Suit/SuitCanonical.cs). Instead of building the expected
 * bytes into a buffer (the boot stage has RAM for one 4 KiB header), each part is emitted twice through
 * one writer: once counting (for the length of a bstr that wraps it), once comparing with the received
 * bytes. No heap, no buffer, bounded recursion (the structure is fixed).
 */
#include <string.h>

#include "bootstage/bs_result.h"
#include "bootstage/bs_suit.h"

/* SUIT labels (draft-ietf-suit-manifest-37; the same values as Agent/Core/Suit/SuitLabels.cs). */
#define L_ENVELOPE_TAG 107u
#define L_AUTH 2u
#define L_MANIFEST 3u
#define L_VERSION 1u
#define L_SEQUENCE 2u
#define L_COMMON 3u
#define L_VALIDATE 7u
#define L_INSTALL 20u
#define L_TEXT 23u
#define L_COMPONENTS 2u
#define L_SHARED 4u
#define L_OVERRIDE 20u
#define L_FETCH 21u
#define L_SET_INDEX 12u
#define L_COPY 22u
#define L_SOURCE 22u
#define L_VENDOR 1u
#define L_CLASS 2u
#define L_DIGEST 3u
#define L_SIZE 14u
#define L_ENCRYPTION 19u
#define L_URI 21u
#define L_IMAGE_MATCH 3u
#define L_REPORT_ALL 15u
#define L_TEXT_MODEL 2u
#define L_TEXT_VENDOR 3u
#define L_TEXT_VERSION 6u
#define L_PARAM_VERSION 28u   /* update-management: suit-parameter-version */
#define L_COND_VERSION 28u    /* update-management: suit-condition-version */
#define L_GREATER_EQUAL 2u
#define SHA256_NINT 15u  /* -16 encoded as major 1, argument 15 */
#define COSE_SIGN1_TAG 18u
#define COSE_ES256_NINT 6u /* -7 */

enum { M_UINT = 0, M_NINT = 1, M_BSTR = 2, M_TSTR = 3, M_ARRAY = 4, M_MAP = 5, M_TAG = 6 };

struct cw {
    const uint8_t *expect; /* NULL: only count */
    size_t len;            /* bytes available in expect */
    size_t pos;
    int mismatch;
};

static void put(struct cw *w, uint8_t b)
{
    if (w->expect != NULL && (w->pos >= w->len || w->expect[w->pos] != b)) {
        w->mismatch = 1;
    }
    w->pos++;
}

static void put_bytes(struct cw *w, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n && !w->mismatch; i++) put(w, p[i]);
}

/* RFC 8949, 4.2.1: the shortest argument. */
static void head(struct cw *w, int major, uint64_t v)
{
    uint8_t m = (uint8_t)(major << 5);
    if (v < 24) {
        put(w, (uint8_t)(m | v));
        return;
    }
    int n = v <= 0xFF ? 1 : v <= 0xFFFF ? 2 : v <= 0xFFFFFFFFu ? 4 : 8;
    put(w, (uint8_t)(m | (n == 1 ? 24 : n == 2 ? 25 : n == 4 ? 26 : 27)));
    for (int i = n - 1; i >= 0; i--) put(w, (uint8_t)(v >> (8 * i)));
}

static void str(struct cw *w, int major, const uint8_t *p, size_t n)
{
    head(w, major, n);
    put_bytes(w, p, n);
}

typedef void (*part_fn)(struct cw *w, const struct bs_suit_envelope *env);

/* A bstr whose contents are the CBOR the part writes: counted first, then emitted. */
static void wrapped(struct cw *w, part_fn part, const struct bs_suit_envelope *env)
{
    struct cw counter = {NULL, 0, 0, 0};
    part(&counter, env);
    head(w, M_BSTR, counter.pos);
    if (!w->mismatch) part(w, env);
}

static void digest(struct cw *w, const uint8_t *sha256)
{
    head(w, M_ARRAY, 2);
    head(w, M_NINT, SHA256_NINT);
    str(w, M_BSTR, sha256, 32);
}

static void image_digest(struct cw *w, const struct bs_suit_envelope *env) { digest(w, env->image_digest); }
static void auth_digest(struct cw *w, const struct bs_suit_envelope *env) { digest(w, env->auth_digest); }

static void image2_digest(struct cw *w, const struct bs_suit_envelope *env) { digest(w, env->image2_digest); }

/* override-parameters {vendor, class, image-digest, image-size}, condition-vendor, condition-class */
static void image_block(struct cw *w, const struct bs_suit_envelope *env, int second)
{
    head(w, M_UINT, L_OVERRIDE);
    head(w, M_MAP, 4);
    head(w, M_UINT, L_VENDOR);
    str(w, M_BSTR, env->vendor_id, 16);
    head(w, M_UINT, L_CLASS);
    str(w, M_BSTR, env->class_id, 16);
    head(w, M_UINT, L_DIGEST);
    wrapped(w, second ? image2_digest : image_digest, env);
    head(w, M_UINT, L_SIZE);
    head(w, M_UINT, second ? env->image2_size : env->image_size);
    head(w, M_UINT, L_VENDOR); /* condition-vendor-identifier */
    head(w, M_UINT, L_REPORT_ALL);
    head(w, M_UINT, L_CLASS);  /* condition-class-identifier */
    head(w, M_UINT, L_REPORT_ALL);
}

/* [2 (greater-equal), [parts]]: the bstr-wrapped suit-parameter-version */
static void version_match(struct cw *w, const struct bs_suit_envelope *env)
{
    head(w, M_ARRAY, 2);
    head(w, M_UINT, L_GREATER_EQUAL);
    head(w, M_ARRAY, (uint64_t)env->requires_fw_parts);
    for (int i = 0; i < env->requires_fw_parts; i++) head(w, M_UINT, env->requires_fw[i]);
}

/* A firmware dependency (SuitBuilder.WriteFirmwareDependency): 12, index, 20 {28: version}, 28, 15. */
static void firmware_dependency(struct cw *w, const struct bs_suit_envelope *env)
{
    head(w, M_UINT, L_SET_INDEX);
    head(w, M_UINT, (uint64_t)env->dependency);
    head(w, M_UINT, L_OVERRIDE);
    head(w, M_MAP, 1);
    head(w, M_UINT, L_PARAM_VERSION);
    wrapped(w, version_match, env);
    head(w, M_UINT, L_COND_VERSION);
    head(w, M_UINT, L_REPORT_ALL);
}

/* One image: the block alone (then a firmware dependency, if any). A pair (SuitPairBuilder): 12,0,
 * block(0), 12,1, block(1). */
static void shared(struct cw *w, const struct bs_suit_envelope *env)
{
    head(w, M_ARRAY, env->pair ? 16 : env->dependency ? 12 : 6);
    for (int i = 0; i <= env->pair; i++) {
        if (env->pair) {
            head(w, M_UINT, L_SET_INDEX);
            head(w, M_UINT, (uint64_t)i);
        }
        image_block(w, env, i);
    }
    if (env->dependency) firmware_dependency(w, env);
}

static void component_id(struct cw *w, const struct bs_suit_envelope *env)
{
    head(w, M_ARRAY, 1);
    str(w, M_BSTR, env->component_name, env->component_name_len);
}

static const uint8_t deploy_name[6] = {'d', 'e', 'p', 'l', 'o', 'y'};

static void common(struct cw *w, const struct bs_suit_envelope *env)
{
    static const uint8_t ciphertext[10] = {'c', 'i', 'p', 'h', 'e', 'r', 't', 'e', 'x', 't'};
    head(w, M_MAP, 2);
    head(w, M_UINT, L_COMPONENTS);
    head(w, M_ARRAY, (uint64_t)(1 + (env->encrypted_shape || env->pair) + env->pair_encrypted + (env->dependency != 0)));
    component_id(w, env);
    if (env->pair) { /* SuitPairBuilder.SecondComponent */
        head(w, M_ARRAY, 1);
        str(w, M_BSTR, deploy_name, sizeof deploy_name);
    }
    if (env->encrypted_shape || env->pair_encrypted) { /* SuitBuilder.CiphertextComponent */
        head(w, M_ARRAY, 1);
        str(w, M_BSTR, ciphertext, sizeof ciphertext);
    }
    if (env->dependency) { /* SuitPairBuilder.FirstComponent, compared only */
        static const uint8_t nanoclr[7] = {'n', 'a', 'n', 'o', 'c', 'l', 'r'};
        head(w, M_ARRAY, 1);
        str(w, M_BSTR, nanoclr, sizeof nanoclr);
    }
    head(w, M_UINT, L_SHARED);
    wrapped(w, shared, env);
}

static void validate(struct cw *w, const struct bs_suit_envelope *env)
{
    head(w, M_ARRAY, env->pair ? 8 : 2);
    for (int i = 0; i <= env->pair; i++) {
        if (env->pair) {
            head(w, M_UINT, L_SET_INDEX);
            head(w, M_UINT, (uint64_t)i);
        }
        head(w, M_UINT, L_IMAGE_MATCH);
        head(w, M_UINT, L_REPORT_ALL);
    }
}

/* set-component-index `index`, override-parameters {21: uri}, fetch (SuitBuilder.WriteFetchInto) */
static void fetch_into(struct cw *w, uint64_t index, const uint8_t *uri, size_t uri_len)
{
    head(w, M_UINT, L_SET_INDEX);
    head(w, M_UINT, index);
    head(w, M_UINT, L_OVERRIDE);
    head(w, M_MAP, 1);
    head(w, M_UINT, L_URI);
    str(w, M_TSTR, uri, uri_len);
    head(w, M_UINT, L_FETCH);
    head(w, M_UINT, L_REPORT_ALL);
}

/* set-component-index `target`, override-parameters {19: info, 22: source}, copy (SuitBuilder.WriteDecryptingCopy) */
static void decrypting_copy(struct cw *w, uint64_t target, const uint8_t *info, size_t info_len, uint64_t source)
{
    head(w, M_UINT, L_SET_INDEX);
    head(w, M_UINT, target);
    head(w, M_UINT, L_OVERRIDE);
    head(w, M_MAP, 2);
    head(w, M_UINT, L_ENCRYPTION);
    str(w, M_BSTR, info, info_len);
    head(w, M_UINT, L_SOURCE);
    head(w, M_UINT, source);
    head(w, M_UINT, L_COPY);
    head(w, M_UINT, L_REPORT_ALL);
}

static void image_match(struct cw *w)
{
    head(w, M_UINT, L_IMAGE_MATCH);
    head(w, M_UINT, L_REPORT_ALL);
}

/* A pair's install (SuitPairBuilder): for each image i, plain 12,i, 20{21: uri}, 21,15, 3,15; encrypted
 * 12,2, 20{21: uri}, 21,15, 12,i, 20{19: info, 22: 2}, 22,15, 3,15. */
static void install_pair(struct cw *w, const struct bs_suit_envelope *env)
{
    head(w, M_ARRAY, env->pair_encrypted ? 28 : 16);
    for (int i = 0; i < 2; i++) {
        const uint8_t *uri = i == 0 ? env->uri : env->uri2;
        size_t uri_len = i == 0 ? env->uri_len : env->uri2_len;
        if (env->pair_encrypted) {
            fetch_into(w, 2, uri, uri_len);
            decrypting_copy(w, (uint64_t)i, i == 0 ? env->encryption_info : env->encryption_info2,
                            i == 0 ? env->encryption_info_len : env->encryption_info2_len, 2);
        } else {
            fetch_into(w, (uint64_t)i, uri, uri_len);
        }
        image_match(w);
    }
}

/* Plain: [20, {21: uri}, 21, 15, 3, 15]. Encrypted (SuitBuilder): [12, 1, 20, {21: uri}, 21, 15,
 * 12, 0, 20, {19: encryption-info, 22: 1}, 22, 15, 3, 15]. */
static void install(struct cw *w, const struct bs_suit_envelope *env)
{
    if (env->pair) {
        install_pair(w, env);
        return;
    }
    if (env->encrypted_shape) {
        head(w, M_ARRAY, 14);
        fetch_into(w, 1, env->uri, env->uri_len);
        decrypting_copy(w, 0, env->encryption_info, env->encryption_info_len, 1);
    } else {
        head(w, M_ARRAY, 6);
        head(w, M_UINT, L_OVERRIDE);
        head(w, M_MAP, 1);
        head(w, M_UINT, L_URI);
        str(w, M_TSTR, env->uri, env->uri_len);
        head(w, M_UINT, L_FETCH);
        head(w, M_UINT, L_REPORT_ALL);
    }
    image_match(w);
}

/* SUIT_Text_Map = { "en" => { [component] => { ? 2: model, ? 3: vendor domain, 6: version } } }:
 * manifest-37, 8.4.4, the language level (tag38-ltag) first; SuitLabels.TextLanguage is "en". */
static void text(struct cw *w, const struct bs_suit_envelope *env)
{
    static const uint8_t labels[3] = {L_TEXT_MODEL, L_TEXT_VENDOR, L_TEXT_VERSION};
    static const uint8_t language[2] = {'e', 'n'};
    int fields = 0;
    for (int i = 0; i < 3; i++) fields += env->text[i] != NULL;
    head(w, M_MAP, 1);
    str(w, M_TSTR, language, sizeof language);
    head(w, M_MAP, (uint64_t)(1 + env->pair));
    /* a pair: one entry per component, the same fields, keys in deterministic order (['deploy'] first) */
    for (int e = 0; e <= env->pair; e++) {
        if (env->pair && e == 0) {
            head(w, M_ARRAY, 1);
            str(w, M_BSTR, deploy_name, sizeof deploy_name);
        } else {
            component_id(w, env);
        }
        head(w, M_MAP, (uint64_t)fields);
        for (int i = 0; i < 3; i++) {
            if (env->text[i] == NULL) continue;
            head(w, M_UINT, labels[i]);
            str(w, M_TSTR, env->text[i], env->text_len[i]);
        }
    }
}

static void manifest(struct cw *w, const struct bs_suit_envelope *env)
{
    head(w, M_MAP, 6);
    head(w, M_UINT, L_VERSION);
    head(w, M_UINT, 1);
    head(w, M_UINT, L_SEQUENCE);
    head(w, M_UINT, env->sequence);
    head(w, M_UINT, L_COMMON);
    wrapped(w, common, env);
    head(w, M_UINT, L_VALIDATE);
    wrapped(w, validate, env);
    head(w, M_UINT, L_INSTALL);
    wrapped(w, install, env);
    head(w, M_UINT, L_TEXT);
    if (env->text_digest != NULL) {
        /* severed: SUIT_Digest [-16, h'…'] of envelope member 23 (SuitDigest.Encode) */
        head(w, M_ARRAY, 2);
        head(w, M_NINT, SHA256_NINT);
        str(w, M_BSTR, env->text_digest, 32);
    } else {
        wrapped(w, text, env);
    }
}

static void protected_header(struct cw *w, const struct bs_suit_envelope *env)
{
    (void)env;
    head(w, M_MAP, 1);
    head(w, M_UINT, 1);
    head(w, M_NINT, COSE_ES256_NINT);
}

static void sign1(struct cw *w, const struct bs_suit_envelope *env)
{
    head(w, M_TAG, COSE_SIGN1_TAG);
    head(w, M_ARRAY, 4);
    wrapped(w, protected_header, env);
    head(w, M_MAP, 0);
    put(w, 0xF6); /* null: detached payload */
    str(w, M_BSTR, env->signature[0], 64);
}

static void auth(struct cw *w, const struct bs_suit_envelope *env)
{
    head(w, M_ARRAY, 2);
    wrapped(w, auth_digest, env);
    wrapped(w, sign1, env);
}

static void envelope(struct cw *w, const struct bs_suit_envelope *env)
{
    head(w, M_TAG, L_ENVELOPE_TAG);
    head(w, M_MAP, (uint64_t)(2 + !env->detached + (env->text_digest != NULL)));
    head(w, M_UINT, L_AUTH);
    wrapped(w, auth, env);
    head(w, M_UINT, L_MANIFEST);
    wrapped(w, manifest, env);
    if (env->text_digest != NULL) {
        head(w, M_UINT, L_TEXT); /* the severed text, rebuilt from the values read from it */
        wrapped(w, text, env);
    }
    if (!env->detached) {
        str(w, M_TSTR, env->payload_key, env->payload_key_len);
        head(w, M_BSTR, env->payload_length);
    }
}

/* floor(n / 2) for the P-256 group order n (SEC 2 v2, 2.4.2), big-endian: a signature's s must not exceed it. */
static const uint8_t half_order[32] = {
    0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xDE, 0x73, 0x7D, 0x56, 0xD3, 0x8B, 0xCF, 0x42, 0x79, 0xDC, 0xE5, 0x61, 0x7E, 0x31, 0x92, 0xA8,
};

static int low_s(const uint8_t sig[64])
{
    for (int i = 0; i < 32; i++) {
        if (sig[32 + i] != half_order[i]) return sig[32 + i] < half_order[i];
    }
    return 1;
}

int bs_suit_canonical(const struct bs_suit_envelope *env)
{
    if (env->header == NULL || env->signatures != 1 || env->component_name == NULL || env->uri == NULL
        || env->text[2] == NULL || env->text_unusual || env->vendor_id == NULL || env->class_id == NULL
        || env->image_digest == NULL || !low_s(env->signature[0])) {
        return BS_REASON_NOT_CANONICAL;
    }
    struct cw w = {env->header, env->header_length, 0, 0};
    envelope(&w, env);
    return !w.mismatch && w.pos == env->header_length ? 0 : BS_REASON_NOT_CANONICAL;
}

int bs_utf8_valid(const uint8_t *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t b = p[i];
        uint32_t cp, min;
        size_t extra;
        if (b < 0x80) { i++; continue; }
        if ((b & 0xE0) == 0xC0) { cp = b & 0x1F; extra = 1; min = 0x80; }
        else if ((b & 0xF0) == 0xE0) { cp = b & 0x0F; extra = 2; min = 0x800; }
        else if ((b & 0xF8) == 0xF0) { cp = b & 0x07; extra = 3; min = 0x10000; }
        else return 0;
        if (extra > len - i - 1) return 0;
        for (size_t k = 1; k <= extra; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        i += extra + 1;
    }
    return 1;
}
