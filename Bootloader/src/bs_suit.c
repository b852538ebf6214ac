#include <string.h>

#include "bootstage/bs_cbor.h"
#include "bootstage/bs_result.h"
#include "bootstage/bs_suit.h"

/* draft-ietf-suit-manifest-37 identifiers (see Agent/Core/Suit/SuitLabels.cs for the same values). */
#define TAG_ENVELOPE 107u
#define TAG_SIGN1 18u
#define ENV_AUTH 2
#define ENV_MANIFEST 3
#define ENV_TEXT 23 /* a severed suit-text (manifest-37 8.4.4) */
#define MAN_VERSION 1
#define MAN_SEQUENCE 2
#define MAN_COMMON 3
#define MAN_REFERENCE_URI 4
#define MAN_VALIDATE 7
#define MAN_LOAD 8
#define MAN_INVOKE 9
#define MAN_PAYLOAD_FETCH 16
#define MAN_INSTALL 20
#define MAN_TEXT 23
#define COMMON_COMPONENTS 2
#define COMMON_SHARED 4
#define DIGEST_SHA256 (-16)
#define COSE_ALG 1
#define ALG_ES256 (-7)
#define ALG_ESP256 (-9)
#define MAX_NESTING 4
/* draft-ietf-suit-update-management: suit-parameter-version and suit-condition-version (both 28),
 * comparison greater-equal 2 (the values libcsuit uses; SuitLabels.cs). */
#define PARAM_VERSION 28
#define COND_VERSION 28
#define VERSION_GREATER_EQUAL 2

enum { SEQ_SHARED, SEQ_VALIDATE, SEQ_INSTALL, SEQ_OTHER };

static int read_digest(struct bs_cbor *c, const uint8_t **digest)
{
    uint64_t n = bs_cbor_array(c);
    if (n < 2) {
        bs_cbor_fail(c, BS_REASON_MALFORMED);
        return -1;
    }
    if (bs_cbor_int(c) != DIGEST_SHA256) {
        bs_cbor_fail(c, BS_REASON_UNSUPPORTED_ALGORITHM);
        return -1;
    }
    size_t len;
    *digest = bs_cbor_bstr(c, &len);
    if (bs_cbor_ok(c) && len != 32) {
        bs_cbor_fail(c, BS_REASON_MALFORMED);
    }
    for (uint64_t i = 2; i < n; i++) {
        bs_cbor_skip(c);
    }
    return bs_cbor_ok(c) ? 0 : -1;
}

static int read_sign1(const uint8_t *p, size_t len, struct bs_suit_envelope *env, int index)
{
    struct bs_cbor c;
    bs_cbor_init(&c, p, len);
    if (bs_cbor_tag(&c) != TAG_SIGN1 || bs_cbor_array(&c) != 4) {
        return c.error ? c.error : BS_REASON_MALFORMED;
    }
    size_t plen;
    const uint8_t *prot = bs_cbor_bstr(&c, &plen);
    /* protected header: exactly {1: alg} with alg ES256 or ESP256 */
    struct bs_cbor h;
    bs_cbor_init(&h, prot, plen);
    if (bs_cbor_map(&h) != 1 || bs_cbor_int(&h) != COSE_ALG) {
        return BS_REASON_UNSUPPORTED_ALGORITHM;
    }
    int64_t alg = bs_cbor_int(&h);
    if (!bs_cbor_at_end(&h) || (alg != ALG_ES256 && alg != ALG_ESP256)) {
        return BS_REASON_UNSUPPORTED_ALGORITHM;
    }
    uint64_t pairs = bs_cbor_map(&c); /* unprotected: kid allowed, alg not */
    for (uint64_t i = 0; i < pairs; i++) {
        if (bs_cbor_int(&c) == COSE_ALG) {
            return BS_REASON_UNSUPPORTED_ALGORITHM;
        }
        bs_cbor_skip(&c);
    }
    bs_cbor_null(&c); /* detached payload */
    size_t slen;
    const uint8_t *sig = bs_cbor_bstr(&c, &slen);
    if (!bs_cbor_at_end(&c)) {
        return c.error ? c.error : BS_REASON_MALFORMED;
    }
    if (slen != 64) {
        return BS_REASON_MALFORMED;
    }
    env->protected_hdr[index] = prot;
    env->protected_len[index] = plen;
    env->signature[index] = sig;
    return 0;
}

static int read_auth(const uint8_t *p, size_t len, struct bs_suit_envelope *env)
{
    struct bs_cbor c;
    bs_cbor_init(&c, p, len);
    uint64_t n = bs_cbor_array(&c);
    if (!bs_cbor_ok(&c)) {
        return c.error;
    }
    if (n < 2) {
        return BS_REASON_BAD_SIGNATURE; /* no signature at all */
    }
    if (n - 1 > BS_SUIT_MAX_SIGNATURES) {
        return BS_REASON_UNSUPPORTED_ELEMENT;
    }
    env->digest_encoded = bs_cbor_bstr(&c, &env->digest_encoded_len);
    if (!bs_cbor_ok(&c)) {
        return c.error;
    }
    struct bs_cbor d;
    bs_cbor_init(&d, env->digest_encoded, env->digest_encoded_len);
    if (read_digest(&d, &env->auth_digest) != 0 || !bs_cbor_at_end(&d)) {
        return d.error ? d.error : BS_REASON_MALFORMED;
    }
    for (uint64_t i = 1; i < n; i++) {
        size_t blen;
        const uint8_t *block = bs_cbor_bstr(&c, &blen);
        if (!bs_cbor_ok(&c)) {
            return c.error;
        }
        int r = read_sign1(block, blen, env, (int)(i - 1));
        if (r != 0) {
            return r;
        }
    }
    env->signatures = (int)(n - 1);
    return bs_cbor_at_end(&c) ? 0 : BS_REASON_MALFORMED;
}

int bs_suit_read(const uint8_t *header, size_t len, struct bs_suit_envelope *env)
{
    memset(env, 0, sizeof *env);
    env->component = -1;
    env->header = header;
    if (len > BS_SUIT_MAX_HEADER) {
        return BS_REASON_HEADER_TOO_LARGE;
    }
    struct bs_cbor c;
    bs_cbor_init(&c, header, len);
    if (bs_cbor_peek_major(&c) != BS_CBOR_TAG || bs_cbor_tag(&c) != TAG_ENVELOPE || bs_cbor_peek_major(&c) != BS_CBOR_MAP) {
        return BS_REASON_NOT_AN_ENVELOPE;
    }
    uint64_t pairs = bs_cbor_map(&c);
    int64_t last = -1;
    for (uint64_t i = 0; i < pairs && bs_cbor_ok(&c); i++) {
        if (bs_cbor_peek_major(&c) == BS_CBOR_TSTR) {
            env->payload_key = bs_cbor_tstr(&c, &env->payload_key_len);
            if (bs_cbor_ok(&c) && (env->payload_key_len > BS_SUIT_MAX_PAYLOAD_KEY || !bs_utf8_valid(env->payload_key, env->payload_key_len))) {
                return BS_REASON_MALFORMED;
            }
            env->payload_length = bs_cbor_bstr_header(&c);
            if (!bs_cbor_ok(&c)) {
                return c.error;
            }
            if (i != pairs - 1 || c.pos != len) {
                return BS_REASON_MALFORMED; /* the payload comes last and nothing of it is in the header */
            }
            if (env->payload_length > 0x7FFFFFFFu) {
                return BS_REASON_IMAGE_TOO_LARGE;
            }
            env->header_length = c.pos;
            break;
        }
        int64_t key = (int64_t)bs_cbor_uint(&c);
        if (!bs_cbor_ok(&c)) {
            return BS_REASON_UNSUPPORTED_ELEMENT;
        }
        if (key <= last) {
            return BS_REASON_MALFORMED;
        }
        last = key;
        size_t start = c.pos;
        size_t blen;
        const uint8_t *b = bs_cbor_bstr(&c, &blen);
        if (!bs_cbor_ok(&c)) {
            return c.error;
        }
        if (key == ENV_AUTH) {
            int r = read_auth(b, blen, env);
            if (r != 0) {
                return r;
            }
        } else if (key == ENV_MANIFEST) {
            env->manifest_wrapped = header + start;
            env->manifest_wrapped_len = c.pos - start;
            env->manifest = b;
            env->manifest_len = blen;
        } else if (key == ENV_TEXT) {
            env->severed_text_wrapped = header + start;
            env->severed_text_wrapped_len = c.pos - start;
            env->severed_text = b;
            env->severed_text_len = blen;
        } else {
            return BS_REASON_UNSUPPORTED_ELEMENT; /* severed members are not staged by the agent */
        }
    }
    if (!bs_cbor_ok(&c)) {
        return c.error;
    }
    if (env->signatures == 0 || env->manifest == NULL) {
        return BS_REASON_MISSING_FIELD;
    }
    if (env->payload_key == NULL) {
        /* No payload member: a detached payload (docs/data-set-format.md, "Detached payloads"); the
         * staged header is the whole envelope, so nothing may follow it. */
        if (c.pos != len) {
            return BS_REASON_MALFORMED;
        }
        env->detached = 1;
        env->header_length = c.pos;
    }
    return 0;
}

/* A detached payload's uri: absolute http:// or https:// with a host (SuitProfile.CheckDetachedUri:
 * no whitespace or control characters; UTF-8 and length are checked where it is read). */
static int is_detached_uri(const uint8_t *p, size_t len)
{
    size_t scheme = len >= 8 && memcmp(p, "https://", 8) == 0 ? 8 : len >= 7 && memcmp(p, "http://", 7) == 0 ? 7 : 0;
    if (scheme == 0 || len == scheme || p[scheme] == '/' || p[scheme] == '?' || p[scheme] == '#') {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        if (p[i] <= ' ' || p[i] == 0x7F) return 0;
    }
    return 1;
}

static void hash_bstr_header(const struct bs_port *port, size_t len)
{
    uint8_t h[3];
    size_t n;
    if (len < 24) {
        h[0] = (uint8_t)(0x40 | len);
        n = 1;
    } else if (len < 256) {
        h[0] = 0x58;
        h[1] = (uint8_t)len;
        n = 2;
    } else {
        h[0] = 0x59;
        h[1] = (uint8_t)(len >> 8);
        h[2] = (uint8_t)len;
        n = 3;
    }
    port->sha256_update(port->ctx, h, n);
}

int bs_suit_authenticate(const struct bs_port *port, const struct bs_suit_envelope *env)
{
    uint8_t digest[32];
    port->sha256_start(port->ctx);
    port->sha256_update(port->ctx, env->manifest_wrapped, env->manifest_wrapped_len);
    port->sha256_finish(port->ctx, digest);
    uint8_t diff = 0;
    for (int i = 0; i < 32; i++) {
        diff |= (uint8_t)(digest[i] ^ env->auth_digest[i]);
    }
    if (diff != 0) {
        return BS_REASON_MANIFEST_DIGEST_MISMATCH;
    }
    /* Sig_structure = ["Signature1", protected, h'', payload] (RFC 9052, 4.4), hashed as it is encoded. */
    static const uint8_t prefix[] = {0x84, 0x6A, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1'};
    static const uint8_t empty_aad[] = {0x40};
    for (int s = 0; s < env->signatures; s++) {
        port->sha256_start(port->ctx);
        port->sha256_update(port->ctx, prefix, sizeof prefix);
        hash_bstr_header(port, env->protected_len[s]);
        port->sha256_update(port->ctx, env->protected_hdr[s], env->protected_len[s]);
        port->sha256_update(port->ctx, empty_aad, sizeof empty_aad);
        hash_bstr_header(port, env->digest_encoded_len);
        port->sha256_update(port->ctx, env->digest_encoded, env->digest_encoded_len);
        port->sha256_finish(port->ctx, digest);
        if (port->ecdsa_p256_verify(port->ctx, digest, env->signature[s]) == 0) {
            return 0;
        }
    }
    return BS_REASON_BAD_SIGNATURE;
}

static int is_bytes(const uint8_t *p, size_t len, const char *text)
{
    size_t n = strlen(text);
    return len == n && memcmp(p, text, n) == 0;
}

/* Parameters set for component `index`: the target (0) takes vendor, class, digest, size and, encrypted,
 * encryption-info and source-component 1; the install's uri belongs to the component it fetches into
 * (the target, or "ciphertext" (1) for an encrypted image). Anything set for the wrong component is
 * not the profile's shape: MISSING_FIELD follows (or NOT_CANONICAL). */
/* suit-parameter-version as the profile writes it: bstr .cbor [2 (greater-equal), [1..4 parts, each
 * 0..2^31-1]]. Other comparisons or versions are not the profile (the C# profile check refuses them too). */
static void read_version_match(struct bs_cbor *c, struct bs_suit_envelope *env, int apply)
{
    size_t len;
    const uint8_t *p = bs_cbor_bstr(c, &len);
    if (!bs_cbor_ok(c)) return;
    struct bs_cbor v;
    bs_cbor_init(&v, p, len);
    if (bs_cbor_array(&v) != 2) bs_cbor_fail(&v, BS_REASON_MALFORMED);
    uint64_t comparison = bs_cbor_uint(&v);
    if (bs_cbor_ok(&v) && comparison != VERSION_GREATER_EQUAL) bs_cbor_fail(&v, BS_REASON_UNSUPPORTED_ELEMENT);
    uint64_t parts = bs_cbor_array(&v);
    if (bs_cbor_ok(&v) && (parts < 1 || parts > BS_SUIT_MAX_VERSION_PARTS)) bs_cbor_fail(&v, BS_REASON_UNSUPPORTED_ELEMENT);
    uint32_t version[BS_SUIT_MAX_VERSION_PARTS] = {0};
    for (uint64_t i = 0; i < parts && bs_cbor_ok(&v); i++) {
        uint64_t part = bs_cbor_uint(&v);
        if (bs_cbor_ok(&v) && part > 0x7FFFFFFFu) bs_cbor_fail(&v, BS_REASON_UNSUPPORTED_ELEMENT);
        version[i] = (uint32_t)part;
    }
    if (bs_cbor_ok(&v) && !bs_cbor_at_end(&v)) bs_cbor_fail(&v, BS_REASON_MALFORMED);
    if (!bs_cbor_ok(&v)) {
        bs_cbor_fail(c, v.error);
        return;
    }
    if (apply == 5) {
        memcpy(env->requires_fw, version, sizeof version);
        env->requires_fw_parts = (int)parts;
    } else {
        env->text_unusual = 1; /* a version on another component: not the profile's shape (refused as not canonical) */
    }
}

static void parse_parameters(struct bs_cbor *c, struct bs_suit_envelope *env, int kind, int apply, int index)
{
    /* apply: 1 the first image's fields, 2 only the fetch uri (component 1 of an encrypted data set),
     * 3 the second image's fields (component 1 of a pair), 5 a firmware dependency's version */
    if (env->dependency && index == env->dependency) apply = apply && kind == SEQ_SHARED ? 5 : 0;
    else if (index == 2) apply = apply && kind == SEQ_INSTALL ? 4 : 0; /* 4: the uri of an encrypted pair's ciphertext */
    else if (index != 0) apply = !apply ? 0 : env->pair ? 3 : kind == SEQ_INSTALL ? 2 : 0;
    uint64_t pairs = bs_cbor_map(c);
    for (uint64_t i = 0; i < pairs && bs_cbor_ok(c); i++) {
        int64_t key = bs_cbor_int(c);
        size_t len;
        const uint8_t *p;
        if (key < 0) {
            bs_cbor_skip(c);
            continue;
        }
        switch (key) {
        case 1: /* vendor-id */
        case 2: /* class-id */
        case 24: /* device-id */
            if (bs_cbor_peek_major(c) == BS_CBOR_TAG) {
                (void)bs_cbor_tag(c);
            }
            p = bs_cbor_bstr(c, &len);
            if (bs_cbor_ok(c) && len != 16) {
                bs_cbor_fail(c, BS_REASON_MALFORMED);
            }
            if (apply == 1 && key == 1) env->vendor_id = p;
            if (apply == 1 && key == 2) env->class_id = p;
            /* a pair's second image names the same vendor and class (else: not the profile) */
            if (apply == 3 && key == 1 && bs_cbor_ok(c) && (env->vendor_id == NULL || memcmp(p, env->vendor_id, 16) != 0)) bs_cbor_fail(c, BS_REASON_WRONG_VENDOR);
            if (apply == 3 && key == 2 && bs_cbor_ok(c) && (env->class_id == NULL || memcmp(p, env->class_id, 16) != 0)) bs_cbor_fail(c, BS_REASON_WRONG_CLASS);
            break;
        case 3: { /* image-digest: bstr .cbor SUIT_Digest */
            p = bs_cbor_bstr(c, &len);
            struct bs_cbor d;
            const uint8_t *digest = NULL;
            bs_cbor_init(&d, p, len);
            if (bs_cbor_ok(c) && (read_digest(&d, &digest) != 0 || !bs_cbor_at_end(&d))) {
                bs_cbor_fail(c, d.error ? d.error : BS_REASON_MALFORMED);
            }
            if (apply == 1) env->image_digest = digest;
            if (apply == 3) env->image2_digest = digest;
            break;
        }
        case 14: { /* image-size */
            uint64_t size = bs_cbor_uint(c);
            if (apply == 1) {
                env->image_size = size;
                env->has_image_size = 1;
            }
            if (apply == 3) {
                env->image2_size = size;
                env->has_image2_size = 1;
            }
            break;
        }
        case 21: /* uri */
            p = bs_cbor_tstr(c, &len);
            if (bs_cbor_ok(c) && (len > BS_SUIT_MAX_URI || !bs_utf8_valid(p, len))) {
                bs_cbor_fail(c, BS_REASON_MALFORMED);
            }
            if (apply == 4 && bs_cbor_ok(c)) {
                env->pending_uri = p;
                env->pending_uri_len = len;
            } else if (apply == 3 && kind == SEQ_INSTALL && bs_cbor_ok(c) && !env->pair_encrypted) {
                env->install_fetches_payload2 = env->detached && is_detached_uri(p, len);
                env->uri2 = p;
                env->uri2_len = len;
            } else if (env->pair_encrypted) {
                /* a uri on a target of an encrypted pair: not the profile (the images come through "ciphertext") */
            } else if (apply && apply != 3 && kind == SEQ_INSTALL && bs_cbor_ok(c) && (apply == 2) == env->encrypted_shape) {
                env->install_fetches_payload = env->detached ? is_detached_uri(p, len)
                    : len == env->payload_key_len && memcmp(p, env->payload_key, len) == 0;
                env->uri = p;
                env->uri_len = len;
            }
            break;
        case 19: /* encryption-info: decrypted by the agent (staging holds plaintext); kept for the canonical form */
            p = bs_cbor_bstr(c, &len);
            if (bs_cbor_ok(c) && len > BS_SUIT_MAX_ENCRYPTION_INFO) {
                bs_cbor_fail(c, BS_REASON_MALFORMED);
            }
            if (apply == 1 && kind == SEQ_INSTALL && bs_cbor_ok(c)) {
                env->encryption_info = p;
                env->encryption_info_len = len;
            }
            if (apply == 3 && kind == SEQ_INSTALL && bs_cbor_ok(c) && env->pair_encrypted) {
                env->encryption_info2 = p;
                env->encryption_info2_len = len;
            }
            break;
        case 22: { /* source-component: the target copies from "ciphertext" */
            uint64_t from = bs_cbor_uint(c);
            if (apply == 1 && kind == SEQ_INSTALL && bs_cbor_ok(c) && env->encrypted_shape && from == 1) env->copies_from_ciphertext |= 1;
            if (apply == 1 && kind == SEQ_INSTALL && bs_cbor_ok(c) && env->pair_encrypted && from == 2) env->pair_copies |= 1;
            if (apply == 3 && kind == SEQ_INSTALL && bs_cbor_ok(c) && env->pair_encrypted && from == 2) env->pair_copies |= 4;
            break;
        }
        case 5: /* component-slot */
            (void)bs_cbor_uint(c);
            break;
        case 12: case 13: /* strict-order, soft-failure */
            if (bs_cbor_peek_major(c) != BS_CBOR_SIMPLE) bs_cbor_fail(c, BS_REASON_MALFORMED);
            bs_cbor_skip(c);
            break;
        case 18: case 23: case 25: /* content, invoke-args, fetch-arguments */
            (void)bs_cbor_bstr(c, &len);
            break;
        case PARAM_VERSION:
            read_version_match(c, env, apply);
            break;
        default:
            bs_cbor_fail(c, BS_REASON_UNSUPPORTED_ELEMENT);
        }
    }
}

static void walk_sequence(const uint8_t *p, size_t len, struct bs_suit_envelope *env, int kind, int apply, int depth, struct bs_cbor *outer)
{
    if (depth > MAX_NESTING) {
        bs_cbor_fail(outer, BS_REASON_UNSUPPORTED_ELEMENT);
        return;
    }
    struct bs_cbor c;
    bs_cbor_init(&c, p, len);
    uint64_t items = bs_cbor_array(&c);
    if (items % 2 != 0) {
        bs_cbor_fail(&c, BS_REASON_MALFORMED);
    }
    int index = 0; /* the current component; every sequence starts at 0 */
    for (uint64_t i = 0; i < items && bs_cbor_ok(&c); i += 2) {
        int64_t command = bs_cbor_int(&c);
        size_t blen;
        const uint8_t *b;
        if (command < 0) {
            bs_cbor_skip(&c);
            continue;
        }
        switch (command) {
        case 1: case 2: case 3: case 5: case 6: case 14: case 24: case COND_VERSION: /* conditions */
        case 18: case 21: case 22: case 23: case 31:              /* write, fetch, copy, invoke, swap */
            (void)bs_cbor_uint(&c);
            if (apply && index == 0 && kind == SEQ_SHARED && command == 1) env->checks_vendor = 1;
            if (apply && index == 0 && kind == SEQ_SHARED && command == 2) env->checks_class = 1;
            if (apply && index == 0 && kind == SEQ_VALIDATE && command == 3) env->validates_image = 1;
            if (apply && index == 1 && env->pair && kind == SEQ_SHARED && command == 1) env->checks_vendor2 = 1;
            if (apply && index == 1 && env->pair && kind == SEQ_SHARED && command == 2) env->checks_class2 = 1;
            if (apply && index == 1 && env->pair && kind == SEQ_VALIDATE && command == 3) env->validates_image2 = 1;
            if (apply && index == 0 && kind == SEQ_INSTALL && command == 22) env->copies_from_ciphertext |= 2;
            if (apply && env->dependency && index == env->dependency && kind == SEQ_SHARED && command == COND_VERSION) env->checks_version = 1;
            /* an encrypted pair: the copy takes the image last fetched into "ciphertext" */
            if (apply && env->pair_encrypted && kind == SEQ_INSTALL && command == 22 && index < 2 && env->pending_uri != NULL) {
                int ok = env->detached && is_detached_uri(env->pending_uri, env->pending_uri_len);
                if (index == 0) { env->uri = env->pending_uri; env->uri_len = env->pending_uri_len; env->install_fetches_payload = ok; env->pair_copies |= 2; }
                else { env->uri2 = env->pending_uri; env->uri2_len = env->pending_uri_len; env->install_fetches_payload2 = ok; env->pair_copies |= 8; }
                env->pending_uri = NULL;
            }
            break;
        case 12: { /* set-component-index: 0, or 1 ("ciphertext") in an encrypted data set */
            uint64_t to = 0;
            if (bs_cbor_peek_major(&c) == BS_CBOR_SIMPLE) {
                bs_cbor_skip(&c);
                bs_cbor_fail(&c, BS_REASON_UNSUPPORTED_ELEMENT); /* all components at once: not the profile */
            } else {
                to = bs_cbor_uint(&c);
                if (to >= (uint64_t)(env->component_count > 0 ? env->component_count : 1)) bs_cbor_fail(&c, BS_REASON_UNSUPPORTED_ELEMENT);
            }
            index = (int)to;
            break;
        }
        case 19: case 20: /* set-/override-parameters */
            parse_parameters(&c, env, kind, apply, index);
            break;
        case 15: { /* try-each: alternatives, checked but not applied */
            uint64_t arms = bs_cbor_array(&c);
            for (uint64_t a = 0; a < arms && bs_cbor_ok(&c); a++) {
                if (bs_cbor_peek_is_null(&c)) {
                    bs_cbor_null(&c);
                    continue;
                }
                b = bs_cbor_bstr(&c, &blen);
                if (bs_cbor_ok(&c)) walk_sequence(b, blen, env, kind, 0, depth + 1, &c);
            }
            break;
        }
        case 32: /* run-sequence */
            b = bs_cbor_bstr(&c, &blen);
            if (bs_cbor_ok(&c)) walk_sequence(b, blen, env, kind, 0, depth + 1, &c);
            break;
        default:
            bs_cbor_fail(&c, BS_REASON_UNSUPPORTED_ELEMENT);
        }
    }
    if (bs_cbor_ok(&c) && !bs_cbor_at_end(&c)) {
        bs_cbor_fail(&c, BS_REASON_MALFORMED);
    }
    if (!bs_cbor_ok(&c)) {
        bs_cbor_fail(outer, c.error);
    }
}

static void parse_common(const uint8_t *p, size_t len, struct bs_suit_envelope *env, struct bs_cbor *outer)
{
    struct bs_cbor c;
    bs_cbor_init(&c, p, len);
    uint64_t pairs = bs_cbor_map(&c);
    for (uint64_t i = 0; i < pairs && bs_cbor_ok(&c); i++) {
        int64_t key = bs_cbor_int(&c);
        if (key == COMMON_COMPONENTS) {
            uint64_t count = bs_cbor_array(&c);
            if (count < 1 || count > 3 || bs_cbor_array(&c) != 1) {
                bs_cbor_fail(&c, BS_REASON_UNSUPPORTED_ELEMENT); /* the target (and "ciphertext"), one name part each */
                break;
            }
            size_t nlen;
            const uint8_t *name = bs_cbor_bstr(&c, &nlen);
            if (bs_cbor_ok(&c) && nlen > BS_SUIT_MAX_COMPONENT_PART) {
                bs_cbor_fail(&c, BS_REASON_MALFORMED);
            }
            if (bs_cbor_ok(&c)) {
                env->component = is_bytes(name, nlen, "deploy") ? BS_AREA_DEPLOY
                               : is_bytes(name, nlen, "nanoclr") ? BS_AREA_NANOCLR : -1;
                env->component_name = name;
                env->component_name_len = nlen;
            }
            if (bs_cbor_ok(&c) && count >= 2) {
                size_t clen;
                const uint8_t *cname = NULL;
                if (bs_cbor_array(&c) == 1) cname = bs_cbor_bstr(&c, &clen);
                if (bs_cbor_ok(&c) && cname != NULL && is_bytes(cname, clen, "ciphertext")
                    && (count == 2 || env->component == BS_AREA_DEPLOY)) { /* three: a dependency follows */
                    env->encrypted_shape = 1;
                } else if (bs_cbor_ok(&c) && cname != NULL && count == 2 && is_bytes(cname, clen, "nanoclr") && env->component == BS_AREA_DEPLOY) {
                    env->dependency = 1; /* an application that needs a firmware at least this new */
                } else if (bs_cbor_ok(&c) && cname != NULL && is_bytes(cname, clen, "deploy") && env->component == BS_AREA_NANOCLR) {
                    env->pair = 1; /* firmware and application together (SuitPairBuilder) */
                } else {
                    bs_cbor_fail(&c, BS_REASON_UNSUPPORTED_ELEMENT);
                    break;
                }
            }
            if (bs_cbor_ok(&c) && count == 3) {
                /* an encrypted pair: nanoclr, deploy, then "ciphertext"; or an encrypted application with a
                 * firmware dependency: deploy, "ciphertext", then "nanoclr" */
                size_t clen;
                const uint8_t *cname = NULL;
                if (bs_cbor_array(&c) == 1) cname = bs_cbor_bstr(&c, &clen);
                if (bs_cbor_ok(&c) && env->pair && cname != NULL && is_bytes(cname, clen, "ciphertext")) {
                    env->pair_encrypted = 1;
                } else if (bs_cbor_ok(&c) && env->encrypted_shape && cname != NULL && is_bytes(cname, clen, "nanoclr")) {
                    env->dependency = 2;
                } else {
                    bs_cbor_fail(&c, BS_REASON_UNSUPPORTED_ELEMENT);
                    break;
                }
            }
            env->component_count = (int)count;
        } else if (key == COMMON_SHARED) {
            size_t slen;
            const uint8_t *s = bs_cbor_bstr(&c, &slen);
            if (bs_cbor_ok(&c)) walk_sequence(s, slen, env, SEQ_SHARED, 1, 0, &c);
        } else {
            bs_cbor_fail(&c, BS_REASON_UNSUPPORTED_ELEMENT);
        }
    }
    if (bs_cbor_ok(&c) && !bs_cbor_at_end(&c)) bs_cbor_fail(&c, BS_REASON_MALFORMED);
    if (!bs_cbor_ok(&c)) bs_cbor_fail(outer, c.error);
}

/* SUIT_Text_Map as the builder writes it (manifest-37, 8.4.4, with its language level):
 * { "en" => { [component name] => { ? 2: model, ? 3: vendor domain, 6: version } } }. Anything else marks it
 * unusual, which the canonical rule then refuses; values are checked as the C# reader reads them (text
 * strings of at most 256 bytes of valid UTF-8). */
static void parse_text(const uint8_t *p, size_t len, struct bs_suit_envelope *env)
{
    struct bs_cbor c;
    bs_cbor_init(&c, p, len);
    size_t tag_len;
    const uint8_t *tag = NULL;
    if (bs_cbor_peek_major(&c) == BS_CBOR_MAP && bs_cbor_map(&c) == 1 && bs_cbor_peek_major(&c) == BS_CBOR_TSTR) {
        tag = bs_cbor_tstr(&c, &tag_len);
    }
    uint64_t entries = 0;
    if (tag == NULL || !is_bytes(tag, tag_len, "en")
        || bs_cbor_peek_major(&c) != BS_CBOR_MAP || (entries = bs_cbor_map(&c)) != (uint64_t)(1 + env->pair)
        || bs_cbor_peek_major(&c) != BS_CBOR_ARRAY
        || bs_cbor_array(&c) != 1 || bs_cbor_peek_major(&c) != BS_CBOR_BSTR) {
        env->text_unusual = 1;
        return;
    }
    size_t klen;
    (void)bs_cbor_bstr(&c, &klen); /* the component's name: compared by the canonical rule */
    uint64_t fields = bs_cbor_map(&c);
    for (uint64_t i = 0; i < fields && bs_cbor_ok(&c); i++) {
        int64_t key = bs_cbor_int(&c);
        int slot = key == 2 ? 0 : key == 3 ? 1 : key == 6 ? 2 : -1;
        if (!bs_cbor_ok(&c) || slot < 0 || env->text[slot] != NULL || bs_cbor_peek_major(&c) != BS_CBOR_TSTR) {
            env->text_unusual = 1;
            return;
        }
        size_t vlen;
        const uint8_t *v = bs_cbor_tstr(&c, &vlen);
        if (!bs_cbor_ok(&c) || vlen > BS_SUIT_MAX_TEXT || !bs_utf8_valid(v, vlen)) {
            env->text_unusual = 1;
            return;
        }
        env->text[slot] = v;
        env->text_len[slot] = vlen;
    }
    if (entries == 2) { /* a pair's second entry: the canonical rule requires it to repeat the first's fields */
        bs_cbor_skip(&c);
        bs_cbor_skip(&c);
    }
    if (!bs_cbor_ok(&c) || !bs_cbor_at_end(&c)) env->text_unusual = 1;
}

int bs_suit_parse_manifest(const struct bs_port *port, struct bs_suit_envelope *env)
{
    struct bs_cbor c;
    bs_cbor_init(&c, env->manifest, env->manifest_len);
    uint64_t pairs = bs_cbor_map(&c);
    int64_t last = -1;
    int have_version = 0, have_sequence = 0, have_common = 0;
    for (uint64_t i = 0; i < pairs && bs_cbor_ok(&c); i++) {
        int64_t key = bs_cbor_int(&c);
        if (key <= last) {
            bs_cbor_fail(&c, BS_REASON_MALFORMED);
            break;
        }
        last = key;
        size_t len;
        const uint8_t *b;
        switch (key) {
        case MAN_VERSION:
            if (bs_cbor_uint(&c) != 1) bs_cbor_fail(&c, BS_REASON_UNSUPPORTED_ELEMENT);
            have_version = 1;
            break;
        case MAN_SEQUENCE:
            env->sequence = bs_cbor_uint(&c);
            if (bs_cbor_ok(&c) && env->sequence > (uint64_t)INT64_MAX) {
                bs_cbor_fail(&c, BS_REASON_MALFORMED); /* the agent's counter is a signed 64-bit value */
            }
            have_sequence = 1;
            break;
        case MAN_COMMON:
            b = bs_cbor_bstr(&c, &len);
            if (bs_cbor_ok(&c)) parse_common(b, len, env, &c);
            have_common = 1;
            break;
        case MAN_REFERENCE_URI:
            (void)bs_cbor_tstr(&c, &len);
            break;
        case MAN_VALIDATE:
        case MAN_LOAD:
        case MAN_INVOKE:
        case MAN_PAYLOAD_FETCH:
        case MAN_INSTALL:
            if (!have_common) {
                bs_cbor_fail(&c, BS_REASON_MISSING_FIELD);
                break;
            }
            if (bs_cbor_peek_major(&c) != BS_CBOR_BSTR) {
                bs_cbor_fail(&c, BS_REASON_UNSUPPORTED_ELEMENT); /* severed: not staged by the agent */
                break;
            }
            b = bs_cbor_bstr(&c, &len);
            if (bs_cbor_ok(&c)) {
                int kind = key == MAN_VALIDATE ? SEQ_VALIDATE : key == MAN_INSTALL ? SEQ_INSTALL : SEQ_OTHER;
                walk_sequence(b, len, env, kind, 1, 0, &c);
                if (key == MAN_INSTALL) env->has_install = 1;
            }
            break;
        case MAN_TEXT:
            if (bs_cbor_peek_major(&c) == BS_CBOR_ARRAY) {
                /* Severed: the SUIT_Digest of the bstr-wrapped envelope member 23, checked here; a
                 * digest without the member leaves the text out (then the canonical form fails). */
                if (read_digest(&c, &env->text_digest) != 0) break;
                if (env->severed_text_wrapped == NULL) {
                    env->text_unusual = 1;
                    break;
                }
                uint8_t digest[32];
                port->sha256_start(port->ctx);
                port->sha256_update(port->ctx, env->severed_text_wrapped, env->severed_text_wrapped_len);
                port->sha256_finish(port->ctx, digest);
                if (memcmp(digest, env->text_digest, 32) != 0) {
                    bs_cbor_fail(&c, BS_REASON_SEVERED_MISMATCH);
                    break;
                }
                parse_text(env->severed_text, env->severed_text_len, env);
                break;
            }
            if (bs_cbor_peek_major(&c) != BS_CBOR_BSTR) {
                env->text_unusual = 1; /* not what the builder writes */
                bs_cbor_skip(&c);
                break;
            }
            b = bs_cbor_bstr(&c, &len);
            if (bs_cbor_ok(&c)) parse_text(b, len, env);
            break;
        default:
            bs_cbor_fail(&c, BS_REASON_UNSUPPORTED_ELEMENT);
        }
    }
    if (!bs_cbor_ok(&c)) {
        return c.error;
    }
    if (!bs_cbor_at_end(&c)) {
        return BS_REASON_MALFORMED;
    }
    if (env->severed_text_wrapped != NULL && env->text_digest == NULL) {
        return BS_REASON_SEVERED_MISMATCH; /* the envelope carries a text the manifest does not name */
    }
    /* An encrypted image is fetched into "ciphertext" and decrypted by the target's copy from it
     * (firmware-encryption-24 section 8); a plain one has one component and no encryption-info. */
    if (env->encrypted_shape ? (env->encryption_info == NULL || env->copies_from_ciphertext != 3)
                             : env->pair_encrypted ? (env->encryption_info == NULL || env->encryption_info2 == NULL || env->pair_copies != 0xF)
                                                   : env->encryption_info != NULL) {
        return BS_REASON_MISSING_FIELD;
    }
    /* Firmware and application together: both images complete, checked and fetched from their own
     * detached uri (docs/data-set-format.md 1b); the record names the pair. */
    if (env->pair) {
        if (!env->detached || env->image2_digest == NULL || !env->has_image2_size || env->image2_size == 0
            || !env->checks_vendor2 || !env->checks_class2 || !env->validates_image2 || !env->install_fetches_payload2) {
            return BS_REASON_MISSING_FIELD;
        }
    }
    /* A firmware dependency (docs/data-set-format.md 1c) is complete: version set and compared. The boot
     * stage does not evaluate it (it is the agent's compatibility check, made before any staging write; an
     * application that does not fit its firmware fails the health check and is reverted). */
    if (env->dependency && (env->requires_fw_parts == 0 || !env->checks_version)) {
        return BS_REASON_MISSING_FIELD;
    }
    if (!have_version || !have_sequence || !have_common || env->vendor_id == NULL || env->class_id == NULL
        || env->image_digest == NULL || !env->has_image_size || !env->checks_vendor || !env->checks_class
        || !env->validates_image || !env->has_install || !env->install_fetches_payload) {
        return BS_REASON_MISSING_FIELD;
    }
    if (memcmp(env->vendor_id, port->vendor_id, 16) != 0) {
        return BS_REASON_WRONG_VENDOR;
    }
    if (memcmp(env->class_id, port->class_id, 16) != 0) {
        return BS_REASON_WRONG_CLASS;
    }
    if (env->component < 0) {
        return BS_REASON_WRONG_COMPONENT;
    }
    if (env->pair) {
        env->component = BS_COMPONENT_PAIR;
    }
    if (!env->detached && env->image_size != env->payload_length) {
        return BS_REASON_MALFORMED;
    }
    /* Last, so a data set with a wrong value is refused for that value first. */
    return bs_suit_canonical(env);
}
