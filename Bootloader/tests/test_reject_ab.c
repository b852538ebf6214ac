/*
 * An A/B board's decisions one by one (docs/boot-protocol.md, "A/B slots", "Rejections"): updates
 * alternate between the slots, a refused request leaves the confirmed slots booting with the reason
 * recorded, a confirmation counts only for the boot stage's own TESTING record.
 * Usage: test_reject_ab FIXTURES_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstage/bs_result.h"
#include "bootstage/bs_state.h"
#include "host_agent.h"
#include "sim.h"

static const char *fixtures;
static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static void factory(struct sim *s)
{
    sim_init_ab(s, fixtures, 4);
    struct bs_decision d = sim_boot_uncut(s);
    CHECK(d.action == BS_ACTION_NOTHING && d.slots == 0 && d.home == 0, "factory boot: action %d slots %u", d.action, d.slots);
}

static uint8_t *slot(struct sim *s, int area) { return s->flash.mem + s->flash.area[area].offset; }

static void updates_alternate(void)
{
    struct sim s;
    factory(&s);
    sim_stage(&s, fixtures, "v7.suit");
    struct bs_decision d = sim_boot_uncut(&s);
    CHECK(d.action == BS_ACTION_INSTALLED && d.slots == BS_SLOT_DEPLOY && d.home == 0, "v7 activated in slot 1 (action %d slots %u)", d.action, d.slots);
    CHECK(sim_confirm(&s), "confirm v7");
    d = sim_boot_uncut(&s);
    CHECK(d.action == BS_ACTION_CONFIRMED && d.home == BS_SLOT_DEPLOY && s.hp.counter == 7, "v7 confirmed (action %d, counter %llu)", d.action, (unsigned long long)s.hp.counter);
    d = sim_boot_uncut(&s);
    CHECK(d.action == BS_ACTION_NOTHING && d.slots == BS_SLOT_DEPLOY, "idle boot runs slot 1 (slots %u)", d.slots);
    sim_stage(&s, fixtures, "v8.suit");
    d = sim_boot_uncut(&s);
    CHECK(d.action == BS_ACTION_INSTALLED && d.slots == 0 && d.home == BS_SLOT_DEPLOY, "v8 activated in slot 0 (slots %u)", d.slots);
    d = sim_boot_uncut(&s);
    CHECK(d.action == BS_ACTION_REVERTED && d.reason == BS_REASON_NOT_CONFIRMED && d.slots == BS_SLOT_DEPLOY && s.hp.counter == 7,
          "unconfirmed v8 reverts to slot 1 (action %d slots %u)", d.action, d.slots);
    sim_free(&s);
}

/* Stages v7 then lets the test damage something before the boot; the boot must refuse with `reason`. */
static void refused(const char *what, int reason, void (*damage)(struct sim *))
{
    struct sim s;
    factory(&s);
    sim_stage(&s, fixtures, "v7.suit");
    damage(&s);
    struct bs_decision d = sim_boot_uncut(&s);
    CHECK(d.action == BS_ACTION_REJECTED && d.reason == reason && d.slots == 0 && s.hp.counter == 6,
          "%s: action %d, reason %s, slots %u", what, d.action, bs_reason_text(d.reason), d.slots);
    d = sim_boot_uncut(&s);
    CHECK(d.action == BS_ACTION_NOTHING && d.slots == 0, "%s: the next boot runs slot 0 (action %d)", what, d.action);
    sim_free(&s);
}

static void flip_image_byte(struct sim *s) { slot(s, BS_AREA_DEPLOY_B)[1000] ^= 0x01; }

static void blank_first_sector(struct sim *s)
{
    /* The digest would not match either; the blank check comes first and names the reason. */
    memset(slot(s, BS_AREA_DEPLOY_B), 0xFF, SIM_SECTOR);
}

static void request_other_slots(struct sim *s)
{
    struct bs_state st;
    bs_state_load(&s->hp.port, &st);
    struct bs_record rec = st.cur;
    rec.slots = 0; /* names the confirmed slot itself */
    bs_state_write_keeping_boot(&s->hp.port, &st, &rec, BS_WRITER_AGENT);
}

static void forged_confirmation(void)
{
    struct sim s;
    factory(&s);
    sim_stage(&s, fixtures, "v7.suit");
    /* A CONFIRMED record over the request, with no TESTING record of the boot stage underneath. */
    struct bs_state st;
    bs_state_load(&s.hp.port, &st);
    struct bs_record rec = st.cur;
    rec.state = BS_STATE_CONFIRMED;
    bs_state_write_keeping_boot(&s.hp.port, &st, &rec, BS_WRITER_AGENT);
    struct bs_decision d = sim_boot_uncut(&s);
    CHECK(d.action == BS_ACTION_NOTHING && d.slots == 0 && s.hp.counter == 6, "forged confirmation: action %d slots %u counter %llu",
          d.action, d.slots, (unsigned long long)s.hp.counter);
    sim_free(&s);
}

static void rollback(void)
{
    struct sim s;
    factory(&s);
    sim_stage(&s, fixtures, "v7.suit");
    sim_boot_uncut(&s);
    sim_confirm(&s);
    sim_boot_uncut(&s);
    sim_stage(&s, fixtures, "v7.suit"); /* the same release again, into slot 0 */
    struct bs_decision d = sim_boot_uncut(&s);
    CHECK(d.action == BS_ACTION_REJECTED && d.reason == BS_REASON_ROLLBACK && d.slots == BS_SLOT_DEPLOY,
          "v7 again after v7 was confirmed: action %d reason %s", d.action, bs_reason_text(d.reason));
    sim_free(&s);
}

static void leftover_slot_halts(void)
{
    /* A board flashed without erasing deploy_b, and no record: nothing tells which slot is confirmed. */
    struct sim s;
    sim_init_ab(&s, fixtures, 4);
    memset(slot(&s, BS_AREA_DEPLOY_B), 0x42, SIM_SECTOR);
    struct bs_decision d = sim_boot_uncut(&s);
    CHECK(d.action == BS_ACTION_HALT, "leftover bytes in deploy_b on a board with no record: action %d", d.action);
    sim_free(&s);
}

static uint8_t *header_region(struct sim *s, uint32_t *cap)
{
    uint32_t off;
    bs_staging_header_region(&s->hp.port, &off, cap);
    return s->flash.mem + s->flash.area[BS_AREA_STAGING].offset + off;
}

/*
 * The confirmation's boot finds the header the activation authenticated (its SHA-256 is in the boot
 * stage's MAC'd TESTING record) and checks no signature again (docs/boot-protocol.md, "A/B slots"). A
 * header replaced after the activation, by another genuine one or by a damaged one, is authenticated in
 * full and, not being the tested image's, the image reverts.
 */
static void confirmation_binds_the_header(void)
{
    struct sim s;
    factory(&s);
    sim_stage(&s, fixtures, "v7.suit");
    long before = s.hp.signatures_checked;
    struct bs_decision d = sim_boot_uncut(&s);
    CHECK(d.action == BS_ACTION_INSTALLED && s.hp.signatures_checked == before + 1, "activation checks one signature (%ld)", s.hp.signatures_checked - before);
    CHECK(sim_confirm(&s), "confirm v7");
    before = s.hp.signatures_checked;
    d = sim_boot_uncut(&s);
    CHECK(d.action == BS_ACTION_CONFIRMED && s.hp.counter == 7 && s.hp.signatures_checked == before,
          "confirmed with no second signature check (action %d, counter %llu, signatures %ld)", d.action, (unsigned long long)s.hp.counter,
          s.hp.signatures_checked - before);
    sim_free(&s);

    for (int damaged = 0; damaged <= 1; damaged++) {
        struct sim other;
        factory(&other);
        sim_stage(&other, fixtures, "v8.suit");
        factory(&s);
        sim_stage(&s, fixtures, "v7.suit");
        d = sim_boot_uncut(&s);
        CHECK(sim_confirm(&s), "confirm v7");
        uint32_t cap;
        uint8_t *header = header_region(&s, &cap);
        if (damaged) header[4 + 40] ^= 0x01; /* inside the envelope header */
        else memcpy(header, header_region(&other, &cap), cap); /* v8's genuine header instead of v7's */
        before = s.hp.signatures_checked;
        d = sim_boot_uncut(&s);
        CHECK(d.action == BS_ACTION_REVERTED && s.hp.counter == 6 && s.hp.signatures_checked >= before + (damaged ? 0 : 1),
              "%s header after the activation: action %d, counter %llu, signatures %ld", damaged ? "a damaged" : "another genuine", d.action,
              (unsigned long long)s.hp.counter, s.hp.signatures_checked - before);
        sim_free(&s);
        sim_free(&other);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_reject_ab FIXTURES_DIR\n");
        return 2;
    }
    fixtures = argv[1];
    updates_alternate();
    refused("image modified in its slot", BS_REASON_PAYLOAD_DIGEST_MISMATCH, flip_image_byte);
    refused("image beginning with erased bytes", BS_REASON_BLANK_IMAGE, blank_first_sector);
    refused("request naming the confirmed slot", BS_REASON_BAD_REQUEST, request_other_slots);
    forged_confirmation();
    rollback();
    leftover_slot_halts();
    confirmation_binds_the_header();
    printf("A/B decisions: %d failures\n", failures);
    return failures == 0 ? 0 : 1;
}
