/*
 * A/B slots (docs/boot-protocol.md, "A/B slots"): on a board with two slots per component the agent
 * writes the new image straight into the slot that is neither confirmed ("home") nor booted, the boot
 * stage verifies it there (signature, digests, counter) and activates it by a record: no copy. A
 * revert is a record naming the home slots again; the counter advances on the confirmation.
 *
 * Which slots are home is the boot stage's own knowledge, kept in its MAC'd records and anchored by the
 * counter (the only thing a compromised application cannot roll back): within one counter value every
 * record the boot stage writes names the same home slots, and the application can never write a home
 * slot (the nanoCLR's partition interop refuses it, from the slots the port hands over). So a record is
 * acted on only if it belongs to the counter's current value, and a request or a confirmation is checked
 * against the slots that record names, never against what the agent's record claims.
 */
#include <string.h>

#include "bootstage/bs_result.h"
#include "bootstage/bs_swap.h"
#include "bs_boot_internal.h"

/* The components a record or manifest names, as slot bits. */
static uint8_t component_bits(int component)
{
    switch (component) {
    case BS_AREA_DEPLOY: return BS_SLOT_DEPLOY;
    case BS_AREA_NANOCLR: return BS_SLOT_NANOCLR;
    case BS_COMPONENT_PAIR: return BS_SLOT_DEPLOY | BS_SLOT_NANOCLR;
    default: return 0;
    }
}

/* The area of a component's slot (bit: one BS_SLOT_*; slots: which are slot 1). */
static int slot_area(uint8_t bit, uint8_t slots)
{
    if (bit == BS_SLOT_DEPLOY) return (slots & bit) ? BS_AREA_DEPLOY_B : BS_AREA_DEPLOY;
    return (slots & bit) ? BS_AREA_NANOCLR_B : BS_AREA_NANOCLR;
}

static int area_present(const struct bs_port *port, int area, struct bs_geometry *g)
{
    return port->geometry(port->ctx, area, g) == 0 && g->size > 0 && g->sector_size > 0;
}

int bs_ab_board(const struct bs_port *port)
{
    struct bs_geometry g;
    return area_present(port, BS_AREA_DEPLOY_B, &g);
}

/* The slot bits a board has both slots for. */
static uint8_t board_bits(const struct bs_port *port)
{
    struct bs_geometry g;
    uint8_t bits = 0;
    if (area_present(port, BS_AREA_DEPLOY_B, &g)) bits |= BS_SLOT_DEPLOY;
    if (area_present(port, BS_AREA_NANOCLR_B, &g)) bits |= BS_SLOT_NANOCLR;
    return bits;
}

/* 1 if the area's first sector is all erased bytes, 0 if not, negative on a flash error. An image whose
 * first bytes are all erased is refused (BS_REASON_BLANK_IMAGE), so a blank first sector proves a slot
 * never held an image the boot stage activated since it was last erased. */
static int first_sector_blank(const struct bs_port *port, int area)
{
    struct bs_geometry g;
    uint8_t chunk[256];
    if (!area_present(port, area, &g)) return -1;
    for (uint32_t off = 0; off < g.sector_size; off += sizeof chunk) {
        if (port->read(port->ctx, area, off, chunk, sizeof chunk) != 0) return -1;
        for (uint32_t i = 0; i < sizeof chunk; i++) {
            if (chunk[i] != g.erased) return 0;
        }
    }
    return 1;
}

/* Whether an area holds an image of size bytes hashing to digest, not starting blank. Returns 0 or a
 * reason: IMAGE_TOO_LARGE, BLANK_IMAGE, PAYLOAD_DIGEST_MISMATCH, FLASH_ERROR. */
static int slot_holds(const struct bs_port *port, int area, uint64_t size, const uint8_t digest[32])
{
    struct bs_geometry g;
    uint8_t head[64], actual[32];
    if (!area_present(port, area, &g)) return BS_REASON_FLASH_ERROR;
    if (size == 0) return BS_REASON_MISSING_FIELD;
    if (size > g.size) return BS_REASON_IMAGE_TOO_LARGE;
    uint32_t n = size < sizeof head ? (uint32_t)size : (uint32_t)sizeof head;
    if (port->read(port->ctx, area, 0, head, n) != 0) return BS_REASON_FLASH_ERROR;
    int blank = 1;
    for (uint32_t i = 0; i < n; i++) blank &= head[i] == g.erased;
    if (blank) return BS_REASON_BLANK_IMAGE;
    if (bs_hash_area(port, area, 0, (uint32_t)size, actual) != 0) return BS_REASON_FLASH_ERROR;
    return bs_digest_equal(actual, digest) ? 0 : BS_REASON_PAYLOAD_DIGEST_MISMATCH;
}

/* Whether the slots hold the envelope's image(s): a pair's firmware in its nanoclr slot and its
 * application in its deploy slot, a single image in its component's slot. 0 or a reason. */
static int slots_hold_envelope(const struct bs_port *port, const struct bs_suit_envelope *env, uint8_t slots)
{
    if (env->pair) {
        int r = slot_holds(port, slot_area(BS_SLOT_NANOCLR, slots), env->image_size, env->image_digest);
        return r != 0 ? r : slot_holds(port, slot_area(BS_SLOT_DEPLOY, slots), env->image2_size, env->image2_digest);
    }
    return slot_holds(port, slot_area(component_bits(env->component), slots), env->image_size, env->image_digest);
}

/* The home slots a boot-stage record proves for the counter's value: an IDLE record of that value, or a
 * TESTING record of an update opened at it. 1 with *home set, else 0. */
static int record_home(const struct bs_record *r, uint64_t counter, uint8_t *home)
{
    if (r->writer != BS_WRITER_BOOT) return 0;
#ifdef BS_PLANTED_BUG_TRUST_RECORDS /* test_adversarial_planted: any record of the boot stage counts */
    *home = r->home;
    return 1;
#endif
    if ((r->state == BS_STATE_IDLE && r->image_seq == counter)
        || (r->state == BS_STATE_TESTING && r->old_seq == counter && r->image_seq > counter)) {
        *home = r->home;
        return 1;
    }
    return 0;
}

/*
 * No record proves the home slots (a fresh board, or an application that erased both banks). Per
 * component: a slot 1 whose first sector is blank never held an activated image, so slot 0 is home (a
 * factory board: nanoff writes slot 0, slot 1 is erased); otherwise the slot that holds the staged,
 * authenticated image of exactly the counter's sequence number (*booted; then *home protects the
 * other slot as well, see below). *blank_only tells whether every
 * component was decided by its blank slot 1 (then an IDLE record may say so: no record of this counter
 * value can name a slot 1 that was never activated). 0, or NO_VERIFIED_IMAGE (recovery) / FLASH_ERROR.
 */
static int fallback_home(const struct bs_port *port, uint64_t counter, uint8_t *home, uint8_t *booted, int *blank_only)
{
    struct bs_suit_envelope env;
    int have_env = bs_load_envelope(port, &env) == 0 && env.sequence == counter;
    uint8_t bits = board_bits(port);
    *home = 0;
    *booted = 0;
    *blank_only = 1;
    for (uint8_t bit = BS_SLOT_DEPLOY; bit <= BS_SLOT_NANOCLR; bit <<= 1) {
        if (!(bits & bit)) continue;
        int blank = first_sector_blank(port, slot_area(bit, bit));
        if (blank < 0) return BS_REASON_FLASH_ERROR;
        if (blank) continue; /* home and booted: slot 0 */
        *blank_only = 0;
        if (!have_env || !(component_bits(env.component) & bit)) return BS_REASON_NO_VERIFIED_IMAGE;
        int found = 0;
        for (uint8_t slot = 0; slot <= 1 && !found; slot++) {
            uint8_t slots = slot ? bit : 0;
            uint64_t size = env.pair && bit == BS_SLOT_DEPLOY ? env.image2_size : env.image_size;
            const uint8_t *digest = env.pair && bit == BS_SLOT_DEPLOY ? env.image2_digest : env.image_digest;
            int r = slot_holds(port, slot_area(bit, slots), size, digest);
            if (r == BS_REASON_FLASH_ERROR) return r;
            if (r == 0) {
                *booted |= slots;
                found = 1;
            }
        }
        if (!found) return BS_REASON_NO_VERIFIED_IMAGE;
        /* Found by its content, not by a record: the other slot may be the real home (the application
         * can copy a genuine image into the slot it may write). Both stay protected: the hand-over
         * names the other slot as home, so no slot of this component is writable (no update until a
         * reflash; only an attack erasing both banks leads here). */
        *home |= (uint8_t)(~*booted & bit);
    }
    return 0;
}

/* The confirmed slots: from the current or the previous record (*booted = *home), else the fallback
 * (*booted, *home and *from_blank as there). */
static int find_home_from(const struct bs_port *port, const struct bs_state *st, uint64_t counter, uint8_t *home,
                          uint8_t *booted, int *from_blank)
{
    *from_blank = 0;
    if ((st->cur_bank >= 0 && record_home(&st->cur, counter, home)) || (st->prev_valid && record_home(&st->prev, counter, home))) {
        *booted = *home;
        return 0;
    }
    return fallback_home(port, counter, home, booted, from_blank);
}

/* For a request or a confirmation: only slots a record proves (or a factory board's blank slots 1). */
static int find_home(const struct bs_port *port, const struct bs_state *st, uint64_t counter, uint8_t *home)
{
    int from_blank;
    uint8_t booted;
    int r = find_home_from(port, st, counter, home, &booted, &from_blank);
    return r == 0 && booted != *home ? BS_REASON_NO_VERIFIED_IMAGE : r;
}

static int decide(struct bs_decision *out, int action, int component, uint64_t seq, int reason, uint8_t slots, uint8_t home)
{
    out->slots = slots;
    out->home = home;
    return bs_finish(out, action, component, seq, reason);
}

static int idle_at_home(const struct bs_port *port, struct bs_state *st, int component, uint64_t seq, int reason, uint8_t home,
                        int action, struct bs_decision *out);

/* Boots the confirmed slots. Nothing is written, except on a board no record describes whose slots 1
 * are blank (a factory board's first boot): an IDLE record for slot 0, so that the agent's first
 * update, written into slot 1, does not make the home slots unknowable. */
static int boot_home(const struct bs_port *port, struct bs_state *st, uint64_t counter, int reason, struct bs_decision *out)
{
    uint8_t home, booted;
    int from_blank;
    int r = find_home_from(port, st, counter, &home, &booted, &from_blank);
    if (r == BS_REASON_FLASH_ERROR) return decide(out, BS_ACTION_ERROR, -1, counter, r, 0, 0);
    if (r != 0) return decide(out, BS_ACTION_HALT, -1, 0, BS_REASON_NO_VERIFIED_IMAGE, 0, 0);
    if (from_blank) return idle_at_home(port, st, BS_AREA_DEPLOY, counter, BS_REASON_NONE, home, BS_ACTION_NOTHING, out);
    return decide(out, BS_ACTION_NOTHING, st->cur.component, counter, reason, booted, home);
}

/* Writes an IDLE record naming the home slots and boots them. Like every record an A/B board writes,
 * it never replaces the boot stage's own newest record: a torn write leaves that one current. */
static int idle_at_home(const struct bs_port *port, struct bs_state *st, int component, uint64_t seq, int reason, uint8_t home,
                        int action, struct bs_decision *out)
{
    struct bs_record idle;
    memset(&idle, 0, sizeof idle);
    idle.state = BS_STATE_IDLE;
    idle.component = (uint8_t)component;
    idle.reason = (uint8_t)reason;
    idle.image_seq = seq;
    idle.slots = home;
    idle.home = home;
    int w = bs_state_write_keeping_boot(port, st, &idle, BS_WRITER_BOOT);
    if (w != 0) return decide(out, BS_ACTION_ERROR, component, seq, w, home, home);
    return decide(out, action, component, seq, reason, home, home);
}

/* Everything checked before the request's slots may boot. 0 or the reason it is refused; header_digest
 * receives the SHA-256 of the envelope header it authenticated. */
static int verify_request(const struct bs_port *port, const struct bs_record *req, uint64_t counter, uint8_t home,
                          struct bs_suit_envelope *env, uint8_t header_digest[32])
{
    int r = bs_load_envelope_bound(port, env, NULL, header_digest);
    if (r != 0) return r;
    if (!bs_envelope_matches(env, req)) return BS_REASON_BAD_REQUEST;
    if (env->sequence <= counter) return BS_REASON_ROLLBACK;
    uint8_t bits = component_bits(env->component);
    if (bits == 0 || (bits & ~board_bits(port)) != 0) return BS_REASON_WRONG_COMPONENT; /* no second slot for it */
    /* The agent must have written exactly the slots that are not home of the components it updates. */
    if ((uint8_t)(req->slots ^ home) != bits) return BS_REASON_BAD_REQUEST;
    return slots_hold_envelope(port, env, req->slots);
}

static int handle_request(const struct bs_port *port, struct bs_state *st, uint64_t counter, struct bs_decision *out)
{
    uint8_t home;
    int r = find_home(port, st, counter, &home);
    if (r == BS_REASON_FLASH_ERROR) return decide(out, BS_ACTION_ERROR, st->cur.component, counter, r, 0, 0);
    if (r != 0) return decide(out, BS_ACTION_HALT, st->cur.component, 0, BS_REASON_NO_VERIFIED_IMAGE, 0, 0);
    struct bs_record req = st->cur;
    struct bs_suit_envelope env;
    uint8_t header_digest[32];
    r = verify_request(port, &req, counter, home, &env, header_digest);
    if (r != 0) {
        /* Refused: the confirmed slots boot on, the reason is recorded for the agent. */
        return idle_at_home(port, st, req.component, counter, r, home, BS_ACTION_REJECTED, out);
    }
    struct bs_record testing;
    memset(&testing, 0, sizeof testing);
    testing.state = BS_STATE_TESTING;
    testing.component = (uint8_t)env.component;
    testing.image_size = (uint32_t)env.image_size;
    testing.image_size2 = (uint32_t)env.image2_size;
    testing.image_seq = env.sequence;
    testing.old_seq = counter;
    testing.slots = req.slots;
    testing.home = home;
    /* The header it authenticated, bound into its MAC'd record (the old-digest field, which an A/B board
     * does not otherwise use): the confirmation finds the same bytes and checks no signature again. */
    memcpy(testing.old_digest, header_digest, 32);
    /* Over the request: a torn write leaves the boot stage's last record, and the request is simply gone. */
#ifdef BS_PLANTED_BUG_AB_OVERWRITE_HOME /* test_powercut_ab_planted: over the boot stage's own last record */
    r = bs_state_write(port, st, &testing, BS_WRITER_BOOT);
#else
    r = bs_state_write_keeping_boot(port, st, &testing, BS_WRITER_BOOT);
#endif
    if (r != 0) return decide(out, BS_ACTION_ERROR, env.component, counter, r, home, home);
    return decide(out, BS_ACTION_INSTALLED, env.component, env.sequence, 0, testing.slots, home);
}

/* The boot stage's fresh TESTING record, if the current or previous record is one. */
static const struct bs_record *fresh_testing(const struct bs_state *st, uint64_t counter)
{
    const struct bs_record *r[2] = {st->cur_bank >= 0 ? &st->cur : NULL, st->prev_valid ? &st->prev : NULL};
    for (int i = 0; i < 2; i++) {
        uint8_t home;
        if (r[i] != NULL && r[i]->state == BS_STATE_TESTING && record_home(r[i], counter, &home)) return r[i];
    }
    return NULL;
}

/* The tested image did not confirm: the home slots boot again (one record, no copy). */
static int revert(const struct bs_port *port, struct bs_state *st, const struct bs_record *testing, struct bs_decision *out)
{
    struct bs_record t = *testing;
    return idle_at_home(port, st, t.component, t.old_seq, BS_REASON_NOT_CONFIRMED, t.home, BS_ACTION_REVERTED, out);
}

/*
 * A confirmation counts only for the boot stage's own fresh TESTING record, for the slots that record
 * names (not the ones the agent's copy claims), and only if those slots still hold the staged,
 * authenticated image. Then IDLE naming them (written over the confirmation, so that a torn write
 * leaves the TESTING record and the image is reverted, never half-confirmed) and the counter advances.
 */
static int handle_confirmed(const struct bs_port *port, struct bs_state *st, uint64_t counter, struct bs_decision *out)
{
    const struct bs_record *testing = fresh_testing(st, counter);
    if (testing == NULL) return boot_home(port, st, counter, BS_REASON_BAD_REQUEST, out);
    struct bs_record t = *testing;
    struct bs_suit_envelope env;
    const struct bs_record *conf = &st->cur;
    int valid = conf->component == t.component && conf->image_seq == t.image_seq && conf->image_size == t.image_size
        && conf->image_size2 == t.image_size2 && bs_load_envelope_bound(port, &env, t.old_digest, NULL) == 0
        && bs_envelope_matches(&env, &t)
        && slots_hold_envelope(port, &env, t.slots) == 0;
    if (!valid) return revert(port, st, &t, out);
    struct bs_record idle;
    memset(&idle, 0, sizeof idle);
    idle.state = BS_STATE_IDLE;
    idle.component = t.component;
    idle.reason = BS_REASON_NONE;
    idle.image_seq = t.image_seq;
    idle.slots = t.slots;
    idle.home = t.slots;
    memcpy(idle.old_digest, t.old_digest, 32); /* the same binding, for complete_confirmation */
    int r = bs_state_write_keeping_boot(port, st, &idle, BS_WRITER_BOOT);
    if (r == 0 && port->counter_advance(port->ctx, idle.image_seq) != 0) r = BS_REASON_FLASH_ERROR;
    if (r != 0) return decide(out, BS_ACTION_ERROR, t.component, t.image_seq, r, t.home, t.home);
    return decide(out, BS_ACTION_CONFIRMED, t.component, t.image_seq, 0, t.slots, t.slots);
}

/* An IDLE record of a confirmation whose counter update a reset cut short: completed only if its slots
 * still hold the staged image it confirmed (the record is the boot stage's, but the counter does not
 * yet prove it current). */
static int complete_confirmation(const struct bs_port *port, struct bs_state *st, struct bs_decision *out)
{
    struct bs_suit_envelope env;
    const struct bs_record *idle = &st->cur;
    if (bs_load_envelope_bound(port, &env, idle->old_digest, NULL) != 0 || env.sequence != idle->image_seq || env.component != idle->component
        || slots_hold_envelope(port, &env, idle->slots) != 0) {
        uint64_t counter = 0;
        (void)port->counter_read(port->ctx, &counter);
        return boot_home(port, st, counter, BS_REASON_STALE_RECORD, out);
    }
    if (port->counter_advance(port->ctx, idle->image_seq) != 0) {
        return decide(out, BS_ACTION_ERROR, idle->component, idle->image_seq, BS_REASON_FLASH_ERROR, 0, 0);
    }
    return decide(out, BS_ACTION_NOTHING, idle->component, idle->image_seq, 0, idle->home, idle->home);
}

int bs_ab_boot(const struct bs_port *port, struct bs_state *st, struct bs_decision *out)
{
    uint64_t counter;
    if (port->counter_read(port->ctx, &counter) != 0) {
        return decide(out, BS_ACTION_ERROR, -1, 0, BS_REASON_FLASH_ERROR, 0, 0);
    }
    const struct bs_record *cur = &st->cur;
    switch (st->cur_bank < 0 ? BS_STATE_NONE : cur->state) {
    case BS_STATE_REQUESTED:
        return handle_request(port, st, counter, out);
    case BS_STATE_CONFIRMED:
        return handle_confirmed(port, st, counter, out);
    case BS_STATE_TESTING: {
        const struct bs_record *testing = fresh_testing(st, counter);
        if (testing == cur) return revert(port, st, cur, out);
        return boot_home(port, st, counter, BS_REASON_STALE_RECORD, out);
    }
    case BS_STATE_IDLE:
        if (cur->reason == BS_REASON_NONE && cur->image_seq > counter) return complete_confirmation(port, st, out);
        return boot_home(port, st, counter, cur->image_seq == counter ? BS_REASON_NONE : BS_REASON_STALE_RECORD, out);
    default:
        /* No record (a fresh board), or one no A/B board writes (INSTALLING, REVERTING): boot home. */
        return boot_home(port, st, counter, BS_REASON_NONE, out);
    }
}
