#include <string.h>

#include "bootstage/bs_boot.h"
#include "bootstage/bs_result.h"
#include "bootstage/bs_state.h"
#include "bootstage/bs_suit.h"
#include "bootstage/bs_swap.h"
#include "bs_boot_internal.h"

static int record_fresh(const struct bs_port *port, const struct bs_record *rec);

/* The staged envelope header is read into this buffer (static: the stack stays small). One boot stage
 * runs at a time on a device; a host library that boots several simulated boards at once makes it per
 * thread (BS_THREAD_LOCAL=_Thread_local, Bootloader/CMakeLists.txt, libbootsim). */
#ifndef BS_THREAD_LOCAL
#define BS_THREAD_LOCAL
#endif
static BS_THREAD_LOCAL uint8_t header_buf[BS_SUIT_MAX_HEADER];

int bs_staging_header_region(const struct bs_port *port, uint32_t *offset, uint32_t *capacity)
{
    struct bs_geometry g;
    if (port->geometry(port->ctx, BS_AREA_STAGING, &g) != 0 || g.sector_size == 0) {
        return BS_REASON_FLASH_ERROR;
    }
    uint32_t sectors = (BS_STAGING_HEADER_BYTES + g.sector_size - 1) / g.sector_size;
    if (g.size / g.sector_size < sectors + 2) {
        return BS_REASON_FLASH_ERROR;
    }
    *offset = g.size / g.sector_size * g.sector_size - sectors * g.sector_size;
    *capacity = sectors * g.sector_size;
    return 0;
}

int bs_load_envelope(const struct bs_port *port, struct bs_suit_envelope *env)
{
    return bs_load_envelope_bound(port, env, NULL, NULL);
}

int bs_load_envelope_bound(const struct bs_port *port, struct bs_suit_envelope *env, const uint8_t known[32],
                           uint8_t digest_out[32])
{
    uint32_t offset, capacity;
    uint8_t len_le[4];
    if (bs_staging_header_region(port, &offset, &capacity) != 0
        || port->read(port->ctx, BS_AREA_STAGING, offset, len_le, 4) != 0) {
        return BS_REASON_FLASH_ERROR;
    }
    uint32_t len = (uint32_t)len_le[0] | (uint32_t)len_le[1] << 8 | (uint32_t)len_le[2] << 16 | (uint32_t)len_le[3] << 24;
    if (len == 0 || len == 0xFFFFFFFFu) {
        return BS_REASON_TRUNCATED;
    }
    if (len > BS_SUIT_MAX_HEADER || len > capacity - 4) {
        return BS_REASON_HEADER_TOO_LARGE;
    }
    if (port->read(port->ctx, BS_AREA_STAGING, offset + 4, header_buf, len) != 0) {
        return BS_REASON_FLASH_ERROR;
    }
    uint8_t digest[32];
    if (known != NULL || digest_out != NULL) {
        port->sha256_start(port->ctx);
        port->sha256_update(port->ctx, header_buf, len);
        port->sha256_finish(port->ctx, digest);
        if (digest_out != NULL) memcpy(digest_out, digest, 32);
    }
    int r = bs_suit_read(header_buf, len, env);
    /* The same bytes this boot stage authenticated before (their digest is in its own MAC'd record): the
     * signature is not checked again. An all-zero known digest (a record that carries none) can never
     * match a SHA-256, so such a header is authenticated as any other. */
    int bound = known != NULL && bs_digest_equal(digest, known);
    if (r == 0 && !bound) r = bs_suit_authenticate(port, env);
    if (r == 0) r = bs_suit_parse_manifest(port, env);
    return r;
}

int bs_digest_equal(const uint8_t *a, const uint8_t *b)
{
    uint8_t diff = 0;
    for (int i = 0; i < 32; i++) diff |= (uint8_t)(a[i] ^ b[i]);
    return diff == 0;
}

/* The target a record names, consistent with its sector count. */
static int record_target(const struct bs_record *rec, uint32_t s, struct bs_target *t)
{
    int r = bs_target_of(rec->component, rec->image_size, rec->image_size2, s, t);
    if (r == 0 && bs_target_sectors(t) != rec->image_sectors) r = BS_REASON_BAD_REQUEST;
    return r;
}

/* Whether each target area holds its image of the envelope (its image-size bytes hash to its digest).
 * 1 yes, 0 no, negative on a flash error. */
static int images_in_place(const struct bs_port *port, const struct bs_suit_envelope *env)
{
    uint8_t digest[32];
    int area0 = env->pair ? BS_AREA_NANOCLR : env->component;
    if (bs_hash_area(port, area0, 0, (uint32_t)env->image_size, digest) != 0) return -1;
    if (!bs_digest_equal(digest, env->image_digest)) return 0;
    if (env->pair) {
        if (bs_hash_area(port, BS_AREA_DEPLOY, 0, (uint32_t)env->image2_size, digest) != 0) return -1;
        if (!bs_digest_equal(digest, env->image2_digest)) return 0;
    }
    return 1;
}

int bs_envelope_matches(const struct bs_suit_envelope *env, const struct bs_record *rec)
{
    return env->sequence == rec->image_seq && env->component == rec->component && env->image_size == rec->image_size
        && (!env->pair || env->image2_size == rec->image_size2);
}

/* Everything checked before a single byte of the target changes. For a pair both images: each must fit
 * its area, staging must hold gap + both below the header region, and each must hash to its digest. */
static int verify_staging(const struct bs_port *port, const struct bs_record *request, struct bs_suit_envelope *env,
                          uint32_t *sectors_out, uint32_t *sector_size_out)
{
    int r = bs_load_envelope(port, env);
    if (r != 0) {
        return r;
    }
    if (!bs_envelope_matches(env, request)) {
        return BS_REASON_BAD_REQUEST;
    }
    uint64_t counter;
    if (port->counter_read(port->ctx, &counter) != 0) {
        return BS_REASON_FLASH_ERROR;
    }
    if (env->sequence <= counter) {
        return BS_REASON_ROLLBACK;
    }
    struct bs_geometry staging;
    uint32_t header_offset, header_capacity;
    if (port->geometry(port->ctx, BS_AREA_STAGING, &staging) != 0 || bs_staging_header_region(port, &header_offset, &header_capacity) != 0) {
        return BS_REASON_FLASH_ERROR;
    }
    uint32_t s = staging.sector_size;
    if (env->image_size == 0 || (env->pair && env->image2_size == 0)) {
        return BS_REASON_MISSING_FIELD;
    }
    if (env->image_size > 0xFFFFFFFFu || env->image2_size > 0xFFFFFFFFu) {
        return BS_REASON_IMAGE_TOO_LARGE;
    }
    struct bs_target t;
    r = bs_target_of(env->component, (uint32_t)env->image_size, (uint32_t)env->image2_size, s, &t);
    if (r != 0) {
        return r;
    }
    const uint64_t sizes[2] = {env->image_size, env->image2_size};
    for (int k = 0; k < t.count; k++) {
        struct bs_geometry target;
        if (port->geometry(port->ctx, t.area[k], &target) != 0 || target.sector_size != s) {
            return BS_REASON_FLASH_ERROR;
        }
        if (sizes[k] > target.size || (uint64_t)t.sectors[k] * s > target.size / s * s) {
            return BS_REASON_IMAGE_TOO_LARGE;
        }
    }
    uint64_t sectors = bs_target_sectors(&t);
    if ((sectors + 1) * s > header_offset) {
        return BS_REASON_IMAGE_TOO_LARGE; /* gap + image(s) must fit below the header region */
    }
    uint8_t digest[32];
    if (bs_hash_area(port, BS_AREA_STAGING, s, (uint32_t)env->image_size, digest) != 0) {
        return BS_REASON_FLASH_ERROR;
    }
    if (!bs_digest_equal(digest, env->image_digest)) {
        return BS_REASON_PAYLOAD_DIGEST_MISMATCH;
    }
    if (env->pair) {
        if (bs_hash_area(port, BS_AREA_STAGING, (1 + t.sectors[0]) * s, (uint32_t)env->image2_size, digest) != 0) {
            return BS_REASON_FLASH_ERROR;
        }
        if (!bs_digest_equal(digest, env->image2_digest)) {
            return BS_REASON_PAYLOAD_DIGEST_MISMATCH;
        }
    }
    *sectors_out = (uint32_t)sectors;
    *sector_size_out = s;
    return 0;
}

static int sector_size_of(const struct bs_port *port, int area, uint32_t *s)
{
    struct bs_geometry g;
    if (port->geometry(port->ctx, area, &g) != 0) return BS_REASON_FLASH_ERROR;
    *s = g.sector_size;
    return 0;
}

int bs_finish(struct bs_decision *out, int action, int component, uint64_t seq, int reason)
{
    out->action = action;
    out->component = component;
    out->seq = seq;
    out->reason = reason;
    return 0;
}

/* Recovery: nothing verifiable is in place. No record is written, so every later boot reaches the
 * same check and halts again; only a reflash (nanoff over serial) brings the board back. */
static int halt(struct bs_decision *out, int component)
{
    return bs_finish(out, BS_ACTION_HALT, component, 0, BS_REASON_NO_VERIFIED_IMAGE);
}

/* Whether the target's first image_sectors sectors are the old image the install saved (old_digest,
 * computed by the boot stage and covered by the record's MAC). 1 yes, 0 no, negative on a flash error. */
static int target_is_old(const struct bs_port *port, const struct bs_record *rec, uint32_t s)
{
#ifdef BS_PLANTED_BUG_TRUST_RECORDS /* test_adversarial_planted: the checks of the threat model removed */
    (void)port; (void)rec; (void)s;
    return 1;
#endif
    uint8_t digest[32];
    struct bs_target t;
    if (record_target(rec, s, &t) != 0) return 0;
    if (bs_hash_target(port, &t, s, digest) != 0) return -1;
    return bs_digest_equal(digest, rec->old_digest);
}

/* Whether the target holds the image of the staged, authenticated envelope the record names. */
static int target_is_new(const struct bs_port *port, const struct bs_record *rec)
{
    struct bs_suit_envelope env;
    if (bs_load_envelope(port, &env) != 0 || !bs_envelope_matches(&env, rec)) {
        return 0;
    }
    return images_in_place(port, &env) == 1;
}

static int revert(const struct bs_port *port, struct bs_state *st, struct bs_decision *out)
{
    uint32_t s;
    struct bs_target t;
    int r = sector_size_of(port, BS_AREA_STAGING, &s);
    if (r == 0) r = record_target(&st->cur, s, &t);
    if (r == 0) r = bs_swap_backward(port, st, &t, s);
    if (r != 0) {
        return bs_finish(out, BS_ACTION_ERROR, st->cur.component, st->cur.old_seq, r);
    }
    /* What went back must be the image that ran before, byte for byte: a replayed record or a rewritten
     * staging must never reach the target unverified (threat model, B1). */
    int old = target_is_old(port, &st->cur, s);
    if (old < 0) {
        return bs_finish(out, BS_ACTION_ERROR, st->cur.component, st->cur.old_seq, BS_REASON_FLASH_ERROR);
    }
    if (!old) {
        return halt(out, st->cur.component);
    }
    struct bs_record idle = st->cur;
    idle.state = BS_STATE_IDLE;
    idle.image_seq = st->cur.old_seq;
    idle.progress_base = 0;
    int reason = st->cur.reason;
    r = bs_state_write(port, st, &idle, BS_WRITER_BOOT);
    if (r != 0) {
        return bs_finish(out, BS_ACTION_ERROR, idle.component, idle.image_seq, r);
    }
    return bs_finish(out, BS_ACTION_REVERTED, idle.component, idle.image_seq, reason);
}

/* Keeps the new image only if it still verifies against its signed envelope; else recovery. */
static int keep_new_or_halt(const struct bs_port *port, struct bs_state *st, struct bs_decision *out)
{
    if (!target_is_new(port, &st->cur)) {
        return halt(out, st->cur.component);
    }
    struct bs_record idle = st->cur;
    idle.state = BS_STATE_IDLE;
    idle.reason = BS_REASON_REVERT_IMPOSSIBLE;
    idle.progress_base = 0;
    int r = bs_state_write(port, st, &idle, BS_WRITER_BOOT);
    return bs_finish(out, r == 0 ? BS_ACTION_KEPT : BS_ACTION_ERROR, idle.component, idle.image_seq, r == 0 ? BS_REASON_REVERT_IMPOSSIBLE : r);
}

/* Starts taking the new image back out, after the forward swap completed (the old image is then in
 * staging sectors 0..n-1). Only an old image that hashes to the saved digest goes back. */
static int start_revert(const struct bs_port *port, struct bs_state *st, int reason, struct bs_decision *out)
{
    uint32_t s;
    uint8_t digest[32];
    int r0 = sector_size_of(port, BS_AREA_STAGING, &s);
    if (r0 == 0) r0 = bs_hash_area(port, BS_AREA_STAGING, 0, st->cur.image_sectors * s, digest);
    if (r0 != 0) {
        return bs_finish(out, BS_ACTION_ERROR, st->cur.component, st->cur.image_seq, r0);
    }
#ifdef BS_PLANTED_BUG_TRUST_RECORDS
    if (reason == BS_REASON_INSTALL_CHECK_FAILED) memcpy(digest, st->cur.old_digest, 32);
#endif
    if (!bs_digest_equal(digest, st->cur.old_digest)) {
        /* Reverting would install something nobody verified (B1). */
        return keep_new_or_halt(port, st, out);
    }
    struct bs_record rec = st->cur;
    rec.state = BS_STATE_REVERTING;
    rec.reason = (uint8_t)reason;
    rec.progress_base = 0;
    int r = bs_state_write(port, st, &rec, BS_WRITER_BOOT);
    if (r != 0) {
        return bs_finish(out, BS_ACTION_ERROR, rec.component, rec.image_seq, r);
    }
    return revert(port, st, out);
}

/* Finishes (or resumes) the swap, then checks what landed in the target before it may boot. */
static int install(const struct bs_port *port, struct bs_state *st, struct bs_decision *out)
{
    uint32_t s;
    struct bs_target t;
    int r = sector_size_of(port, BS_AREA_STAGING, &s);
    if (r == 0) r = record_target(&st->cur, s, &t);
    if (r == 0) r = bs_swap_forward(port, st, &t, s);
    if (r != 0) {
        return bs_finish(out, BS_ACTION_ERROR, st->cur.component, st->cur.image_seq, r);
    }
    /* Trust nothing written outside this run: re-authenticate the envelope and hash the target(s). */
    struct bs_suit_envelope env;
    r = bs_load_envelope(port, &env);
    if (r == 0 && !bs_envelope_matches(&env, &st->cur)) {
        r = BS_REASON_INSTALL_CHECK_FAILED;
    }
    if (r == 0) {
        int in_place = images_in_place(port, &env);
        r = in_place < 0 ? BS_REASON_FLASH_ERROR : in_place == 0 ? BS_REASON_INSTALL_CHECK_FAILED : 0;
    }
    if (r != 0) {
        return start_revert(port, st, r == BS_REASON_FLASH_ERROR ? r : BS_REASON_INSTALL_CHECK_FAILED, out);
    }
    struct bs_record testing = st->cur;
    testing.state = BS_STATE_TESTING;
    testing.progress_base = 0;
    r = bs_state_write(port, st, &testing, BS_WRITER_BOOT);
    if (r != 0) {
        return bs_finish(out, BS_ACTION_ERROR, testing.component, testing.image_seq, r);
    }
    return bs_finish(out, BS_ACTION_INSTALLED, testing.component, testing.image_seq, 0);
}

static int handle_request(const struct bs_port *port, struct bs_state *st, struct bs_decision *out)
{
    struct bs_suit_envelope env;
    uint32_t sectors = 0, s = 0;
    uint64_t counter = 0;
    struct bs_record request = st->cur;
    int r = verify_staging(port, &request, &env, &sectors, &s);
    if (r == 0 && port->counter_read(port->ctx, &counter) != 0) r = BS_REASON_FLASH_ERROR;
    if (r != 0) {
        /* Refused: the request is cleared, the running image is untouched. */
        struct bs_record idle;
        memset(&idle, 0, sizeof idle);
        idle.state = BS_STATE_IDLE;
        idle.component = request.component;
        idle.reason = (uint8_t)r;
        (void)port->counter_read(port->ctx, &idle.image_seq);
        int w = bs_state_write(port, st, &idle, BS_WRITER_BOOT);
        return bs_finish(out, w == 0 ? BS_ACTION_REJECTED : BS_ACTION_ERROR, request.component, idle.image_seq, w == 0 ? r : w);
    }
    struct bs_record rec;
    memset(&rec, 0, sizeof rec);
    rec.state = BS_STATE_INSTALLING;
    rec.component = (uint8_t)env.component;
    rec.image_sectors = sectors;
    rec.image_size = (uint32_t)env.image_size;
    rec.image_size2 = (uint32_t)env.image2_size;
    rec.image_seq = env.sequence;
    rec.old_seq = counter;
    struct bs_target t;
    r = record_target(&rec, s, &t);
    if (r == 0) r = bs_hash_target(port, &t, s, rec.old_digest);
    if (r == 0) r = bs_state_write(port, st, &rec, BS_WRITER_BOOT);
    if (r != 0) {
        return bs_finish(out, BS_ACTION_ERROR, env.component, counter, r);
    }
    return install(port, st, out);
}

/* An unconfirmed image at a reset: the saved old image goes back if it verifies (start_revert). */
static int handle_unconfirmed(const struct bs_port *port, struct bs_state *st, struct bs_decision *out)
{
    return start_revert(port, st, BS_REASON_NOT_CONFIRMED, out);
}

/* A confirmation moves the counter only to the image that is really in the target: the staged
 * envelope must authenticate, name this image, and the target must hash to its digest. (Trusting the
 * TESTING record instead let a replayed TESTING record plus a bogus confirmation move the counter past
 * the image that runs: the adversarial sweep found it.) */
static int confirmation_valid(const struct bs_port *port, const struct bs_state *st)
{
    return target_is_new(port, &st->cur);
}

static int handle_confirmed(const struct bs_port *port, struct bs_state *st, struct bs_decision *out)
{
    if (!confirmation_valid(port, st)) {
        /* A bogus confirmation over the boot stage's TESTING record: the image is still unconfirmed. The
         * TESTING record must be fresh too (a replayed one under a bogus confirmation is B2 again). */
        if (st->prev_valid && st->prev.state == BS_STATE_TESTING && st->prev.writer == BS_WRITER_BOOT
            && record_fresh(port, &st->prev) == 1) {
            st->cur = st->prev;
            return handle_unconfirmed(port, st, out);
        }
        struct bs_record idle;
        memset(&idle, 0, sizeof idle);
        idle.state = BS_STATE_IDLE;
        idle.component = st->cur.component;
        idle.reason = BS_REASON_BAD_REQUEST;
        (void)port->counter_read(port->ctx, &idle.image_seq);
        int w = bs_state_write(port, st, &idle, BS_WRITER_BOOT);
        return bs_finish(out, w == 0 ? BS_ACTION_NOTHING : BS_ACTION_ERROR, idle.component, idle.image_seq, w == 0 ? BS_REASON_BAD_REQUEST : w);
    }
    struct bs_record idle = st->cur;
    idle.state = BS_STATE_IDLE;
    idle.reason = BS_REASON_NONE;
    idle.progress_base = 0;
    int r = bs_state_write(port, st, &idle, BS_WRITER_BOOT);
    if (r == 0 && port->counter_advance(port->ctx, idle.image_seq) != 0) r = BS_REASON_FLASH_ERROR;
    if (r != 0) {
        return bs_finish(out, BS_ACTION_ERROR, idle.component, idle.image_seq, r);
    }
    return bs_finish(out, BS_ACTION_CONFIRMED, idle.component, idle.image_seq, 0);
}

/*
 * Freshness of the boot stage's own records (threat model): the application can replay any record it
 * ever saw, but not move the anti-rollback counter back, and only a confirmation moves it. So a genuine
 * INSTALLING, TESTING or REVERTING record always has old seq == counter < image seq; one that does not
 * belongs to an update the counter has passed (B2: a TESTING record written back after the confirmation)
 * and is ignored. 1 fresh, 0 stale, negative on a counter error.
 */
static int record_fresh(const struct bs_port *port, const struct bs_record *rec)
{
    uint64_t counter;
    if (port->counter_read(port->ctx, &counter) != 0) return -1;
#ifdef BS_PLANTED_BUG_TRUST_RECORDS
    return 1;
#endif
    return rec->old_seq == counter && rec->image_seq > counter;
}

int bs_boot(const struct bs_port *port, struct bs_decision *out)
{
    struct bs_state st;
    memset(out, 0, sizeof *out);
    out->component = -1;
    int r = bs_state_load(port, &st);
    if (r != 0) {
        return bs_finish(out, BS_ACTION_ERROR, -1, 0, r);
    }
    if (bs_ab_board(port)) {
        out->ab = 1;
        return bs_ab_boot(port, &st, out);
    }
    if (st.cur.state == BS_STATE_INSTALLING || st.cur.state == BS_STATE_TESTING || st.cur.state == BS_STATE_REVERTING) {
        int fresh = record_fresh(port, &st.cur);
        if (fresh < 0) {
            return bs_finish(out, BS_ACTION_ERROR, st.cur.component, st.cur.image_seq, BS_REASON_FLASH_ERROR);
        }
        if (!fresh) {
            /* Nothing moves: the installed image is the one the counter's confirmation left in place. */
            uint64_t counter = 0;
            (void)port->counter_read(port->ctx, &counter);
            return bs_finish(out, BS_ACTION_NOTHING, st.cur.component, counter, BS_REASON_STALE_RECORD);
        }
    }
    switch (st.cur.state) {
    case BS_STATE_REQUESTED:
        return handle_request(port, &st, out);
    case BS_STATE_INSTALLING:
        return install(port, &st, out);
    case BS_STATE_TESTING:
        return handle_unconfirmed(port, &st, out);
    case BS_STATE_CONFIRMED:
        return handle_confirmed(port, &st, out);
    case BS_STATE_REVERTING:
        return revert(port, &st, out);
    case BS_STATE_IDLE: {
        /* A confirmation whose counter update a reset cut off is completed here (idempotent). */
        uint64_t counter;
        if (st.cur.reason == BS_REASON_NONE && port->counter_read(port->ctx, &counter) == 0 && counter < st.cur.image_seq) {
            (void)port->counter_advance(port->ctx, st.cur.image_seq);
        }
        return bs_finish(out, BS_ACTION_NOTHING, st.cur.component, st.cur.image_seq, 0);
    }
    default:
        return bs_finish(out, BS_ACTION_NOTHING, -1, 0, 0);
    }
}
