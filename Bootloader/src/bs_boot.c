#include <string.h>

#include "bootstage/bs_boot.h"
#include "bootstage/bs_result.h"
#include "bootstage/bs_state.h"
#include "bootstage/bs_suit.h"
#include "bootstage/bs_swap.h"

/* The staged envelope header is read into this buffer (static: the stack stays small). */
static uint8_t header_buf[BS_SUIT_MAX_HEADER];

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

/* Reads, authenticates and parses the staged envelope header. */
static int load_envelope(const struct bs_port *port, struct bs_suit_envelope *env)
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
    int r = bs_suit_read(header_buf, len, env);
    if (r == 0) r = bs_suit_authenticate(port, env);
    if (r == 0) r = bs_suit_parse_manifest(port, env);
    return r;
}

static int digest_equal(const uint8_t *a, const uint8_t *b)
{
    uint8_t diff = 0;
    for (int i = 0; i < 32; i++) diff |= (uint8_t)(a[i] ^ b[i]);
    return diff == 0;
}

/* Everything checked before a single byte of the target changes. */
static int verify_staging(const struct bs_port *port, const struct bs_record *request, struct bs_suit_envelope *env,
                          uint32_t *sectors_out, uint32_t *sector_size_out)
{
    int r = load_envelope(port, env);
    if (r != 0) {
        return r;
    }
    if (env->component != request->component || env->sequence != request->image_seq || env->image_size != request->image_size) {
        return BS_REASON_BAD_REQUEST;
    }
    uint64_t counter;
    if (port->counter_read(port->ctx, &counter) != 0) {
        return BS_REASON_FLASH_ERROR;
    }
    if (env->sequence <= counter) {
        return BS_REASON_ROLLBACK;
    }
    struct bs_geometry staging, target;
    uint32_t header_offset, header_capacity;
    if (port->geometry(port->ctx, BS_AREA_STAGING, &staging) != 0 || port->geometry(port->ctx, env->component, &target) != 0
        || staging.sector_size != target.sector_size || bs_staging_header_region(port, &header_offset, &header_capacity) != 0) {
        return BS_REASON_FLASH_ERROR;
    }
    uint32_t s = staging.sector_size;
    uint64_t sectors = (env->image_size + s - 1) / s;
    if (env->image_size == 0) {
        return BS_REASON_MISSING_FIELD;
    }
    /* the image must fit the target, and staging must hold gap + image below the header region */
    if (env->image_size > target.size || sectors * s > target.size / s * s || (sectors + 1) * s > header_offset) {
        return BS_REASON_IMAGE_TOO_LARGE;
    }
    uint8_t digest[32];
    if (bs_hash_area(port, BS_AREA_STAGING, s, (uint32_t)env->image_size, digest) != 0) {
        return BS_REASON_FLASH_ERROR;
    }
    if (!digest_equal(digest, env->image_digest)) {
        return BS_REASON_PAYLOAD_DIGEST_MISMATCH;
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

static int finish(struct bs_decision *out, int action, int component, uint64_t seq, int reason)
{
    out->action = action;
    out->component = component;
    out->seq = seq;
    out->reason = reason;
    return 0;
}

static int revert(const struct bs_port *port, struct bs_state *st, struct bs_decision *out)
{
    uint32_t s;
    int r = sector_size_of(port, BS_AREA_STAGING, &s);
    if (r == 0) r = bs_swap_backward(port, st, st->cur.component, st->cur.image_sectors, s);
    if (r != 0) {
        return finish(out, BS_ACTION_ERROR, st->cur.component, st->cur.old_seq, r);
    }
    struct bs_record idle = st->cur;
    idle.state = BS_STATE_IDLE;
    idle.image_seq = st->cur.old_seq;
    idle.progress_base = 0;
    int reason = st->cur.reason;
    r = bs_state_write(port, st, &idle, BS_WRITER_BOOT);
    if (r != 0) {
        return finish(out, BS_ACTION_ERROR, idle.component, idle.image_seq, r);
    }
    return finish(out, BS_ACTION_REVERTED, idle.component, idle.image_seq, reason);
}

static int start_revert(const struct bs_port *port, struct bs_state *st, int reason, struct bs_decision *out)
{
    struct bs_record rec = st->cur;
    rec.state = BS_STATE_REVERTING;
    rec.reason = (uint8_t)reason;
    rec.progress_base = 0;
    int r = bs_state_write(port, st, &rec, BS_WRITER_BOOT);
    if (r != 0) {
        return finish(out, BS_ACTION_ERROR, rec.component, rec.image_seq, r);
    }
    return revert(port, st, out);
}

/* Finishes (or resumes) the swap, then checks what landed in the target before it may boot. */
static int install(const struct bs_port *port, struct bs_state *st, struct bs_decision *out)
{
    uint32_t s;
    int r = sector_size_of(port, BS_AREA_STAGING, &s);
    if (r == 0) r = bs_swap_forward(port, st, st->cur.component, st->cur.image_sectors, s);
    if (r != 0) {
        return finish(out, BS_ACTION_ERROR, st->cur.component, st->cur.image_seq, r);
    }
    /* Trust nothing written outside this run: re-authenticate the envelope and hash the target. */
    struct bs_suit_envelope env;
    uint8_t digest[32];
    r = load_envelope(port, &env);
    if (r == 0 && (env.sequence != st->cur.image_seq || env.component != st->cur.component || env.image_size != st->cur.image_size)) {
        r = BS_REASON_INSTALL_CHECK_FAILED;
    }
    if (r == 0) {
        r = bs_hash_area(port, st->cur.component, 0, st->cur.image_size, digest);
        if (r == 0 && !digest_equal(digest, env.image_digest)) r = BS_REASON_INSTALL_CHECK_FAILED;
    }
    if (r != 0) {
        return start_revert(port, st, r == BS_REASON_FLASH_ERROR ? r : BS_REASON_INSTALL_CHECK_FAILED, out);
    }
    struct bs_record testing = st->cur;
    testing.state = BS_STATE_TESTING;
    testing.progress_base = 0;
    r = bs_state_write(port, st, &testing, BS_WRITER_BOOT);
    if (r != 0) {
        return finish(out, BS_ACTION_ERROR, testing.component, testing.image_seq, r);
    }
    return finish(out, BS_ACTION_INSTALLED, testing.component, testing.image_seq, 0);
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
        return finish(out, w == 0 ? BS_ACTION_REJECTED : BS_ACTION_ERROR, request.component, idle.image_seq, w == 0 ? r : w);
    }
    struct bs_record rec;
    memset(&rec, 0, sizeof rec);
    rec.state = BS_STATE_INSTALLING;
    rec.component = (uint8_t)env.component;
    rec.image_sectors = sectors;
    rec.image_size = (uint32_t)env.image_size;
    rec.image_seq = env.sequence;
    rec.old_seq = counter;
    r = bs_hash_area(port, env.component, 0, sectors * s, rec.old_digest);
    if (r == 0) r = bs_state_write(port, st, &rec, BS_WRITER_BOOT);
    if (r != 0) {
        return finish(out, BS_ACTION_ERROR, env.component, counter, r);
    }
    return install(port, st, out);
}

/* An unconfirmed image at a reset: check the saved old image, then swap it back. */
static int handle_unconfirmed(const struct bs_port *port, struct bs_state *st, struct bs_decision *out)
{
    uint32_t s;
    uint8_t digest[32];
    int r = sector_size_of(port, BS_AREA_STAGING, &s);
    if (r == 0) r = bs_hash_area(port, BS_AREA_STAGING, 0, st->cur.image_sectors * s, digest);
    if (r != 0) {
        return finish(out, BS_ACTION_ERROR, st->cur.component, st->cur.image_seq, r);
    }
    if (!digest_equal(digest, st->cur.old_digest)) {
        /* Reverting would install something nobody verified: keep the (signed, verified) new image. */
        struct bs_record idle = st->cur;
        idle.state = BS_STATE_IDLE;
        idle.reason = BS_REASON_REVERT_IMPOSSIBLE;
        r = bs_state_write(port, st, &idle, BS_WRITER_BOOT);
        return finish(out, r == 0 ? BS_ACTION_KEPT : BS_ACTION_ERROR, idle.component, idle.image_seq, r == 0 ? BS_REASON_REVERT_IMPOSSIBLE : r);
    }
    return start_revert(port, st, BS_REASON_NOT_CONFIRMED, out);
}

static int confirmation_valid(const struct bs_port *port, const struct bs_state *st)
{
    const struct bs_record *c = &st->cur;
    if (st->prev_valid && st->prev.state == BS_STATE_TESTING && st->prev.writer == BS_WRITER_BOOT
        && st->prev.seq + 1 == c->seq && st->prev.image_seq == c->image_seq && st->prev.component == c->component) {
        return 1;
    }
    /* The TESTING record is gone (a reset while the boot stage replaced it): check the confirmation
     * against what is installed instead, with the staged envelope's signature and digest. */
    struct bs_suit_envelope env;
    uint8_t digest[32];
    if (load_envelope(port, &env) != 0 || env.sequence != c->image_seq || env.component != c->component
        || env.image_size != c->image_size || bs_hash_area(port, c->component, 0, c->image_size, digest) != 0) {
        return 0;
    }
    return digest_equal(digest, env.image_digest);
}

static int handle_confirmed(const struct bs_port *port, struct bs_state *st, struct bs_decision *out)
{
    if (!confirmation_valid(port, st)) {
        if (st->prev_valid && st->prev.state == BS_STATE_TESTING && st->prev.writer == BS_WRITER_BOOT) {
            st->cur = st->prev; /* a bogus confirmation: the image is still unconfirmed */
            return handle_unconfirmed(port, st, out);
        }
        struct bs_record idle;
        memset(&idle, 0, sizeof idle);
        idle.state = BS_STATE_IDLE;
        idle.component = st->cur.component;
        idle.reason = BS_REASON_BAD_REQUEST;
        (void)port->counter_read(port->ctx, &idle.image_seq);
        int w = bs_state_write(port, st, &idle, BS_WRITER_BOOT);
        return finish(out, w == 0 ? BS_ACTION_NOTHING : BS_ACTION_ERROR, idle.component, idle.image_seq, w == 0 ? BS_REASON_BAD_REQUEST : w);
    }
    struct bs_record idle = st->cur;
    idle.state = BS_STATE_IDLE;
    idle.reason = BS_REASON_NONE;
    idle.progress_base = 0;
    int r = bs_state_write(port, st, &idle, BS_WRITER_BOOT);
    if (r == 0 && port->counter_advance(port->ctx, idle.image_seq) != 0) r = BS_REASON_FLASH_ERROR;
    if (r != 0) {
        return finish(out, BS_ACTION_ERROR, idle.component, idle.image_seq, r);
    }
    return finish(out, BS_ACTION_CONFIRMED, idle.component, idle.image_seq, 0);
}

int bs_boot(const struct bs_port *port, struct bs_decision *out)
{
    struct bs_state st;
    memset(out, 0, sizeof *out);
    out->component = -1;
    int r = bs_state_load(port, &st);
    if (r != 0) {
        return finish(out, BS_ACTION_ERROR, -1, 0, r);
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
        return finish(out, BS_ACTION_NOTHING, st.cur.component, st.cur.image_seq, 0);
    }
    default:
        return finish(out, BS_ACTION_NOTHING, -1, 0, 0);
    }
}
