/*
 * Exhaustive power-cut test of an A/B board (docs/boot-protocol.md, "A/B slots", "Power-fail safety").
 * A factory board (old image in slot 0, slot 1 erased, no record) takes one update through the whole
 * path, and every flash operation of it is a cut point: the agent staging (header, the image straight
 * into slot 1, the request), the boot that activates it, the confirmation (install-confirm) or the boot
 * that reverts it (revert). For every operation index the power is cut before it, and separately the
 * operation is torn; the board reboots as often as it needs, and the agent does what the C# agent
 * does: after a boot that installed nothing it stages again. Checked after every completed boot: the
 * slots the decision boots hold the complete old or the complete new image(s), the one(s) the decision
 * names (for a pair never one old and one new); at the end the boot state is IDLE, the image is new
 * after install-confirm (old only if a cut hit the confirmation or the boot that takes it), old after
 * revert, the counter matches (7 or 6), a further boot changes nothing, and the strict flash model saw
 * no write over unerased bytes. Then seeded runs with 2 to 5 cuts in one update.
 * Prints "A/B power-cut points: N, torn: N, multi-cut runs: N, bricked: N" and an id for every failure.
 * Usage: test_powercut_ab FIXTURES_DIR [ALIGN] [--pair] [--quick | --id SCENARIO/clean|torn/cuts=A,B,...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstage/bs_result.h"
#include "bootstage/bs_state.h"
#include "host_agent.h"
#include "sim.h"
#include "sweep.h"

enum scenario { INSTALL_CONFIRM, REVERT };
static const char *scenario_name[] = {"install-confirm", "revert"};

static struct sim dev;
static struct sim_snapshot start;
static int pair;
static uint8_t *envelope, *image, *image2;
static size_t envelope_len, image_len, image2_len;

/* Each updated component: its slot bit, the old image (slot 0) and the new one (slot 1). */
static struct part { uint8_t bit; int slot0, slot1; uint8_t *old_bytes, *new_bytes; uint32_t old_len, new_len; } parts[2];
static int nparts;

static void add_part(uint8_t bit, int slot0, int slot1, const uint8_t *new_bytes, uint32_t new_len, uint32_t old_len)
{
    struct part *p = &parts[nparts++];
    p->bit = bit;
    p->slot0 = slot0;
    p->slot1 = slot1;
    p->old_len = old_len;
    p->old_bytes = malloc(old_len);
    memcpy(p->old_bytes, dev.flash.mem + dev.flash.area[slot0].offset, old_len);
    p->new_len = new_len;
    p->new_bytes = malloc(new_len);
    memcpy(p->new_bytes, new_bytes, new_len);
}

static int holds(int area, const uint8_t *bytes, uint32_t len)
{
    return memcmp(dev.flash.mem + dev.flash.area[area].offset, bytes, len) == 0;
}

/* What the decision's slots run: 1 all new, 0 all old, -1 anything else (one of each, or damaged). */
static int booted_image(uint8_t slots)
{
    int news = 0, olds = 0;
    for (int i = 0; i < nparts; i++) {
        const struct part *p = &parts[i];
        if ((slots & p->bit) && holds(p->slot1, p->new_bytes, p->new_len)) news++;
        else if (!(slots & p->bit) && holds(p->slot0, p->old_bytes, p->old_len)) olds++;
    }
    return news == nparts ? 1 : olds == nparts ? 0 : -1;
}

/* The agent stages the update (its flash operations are cut points too). 1 done, 0 power cut. */
static int stage(void)
{
    if (setjmp(dev.reset) != 0) return 0;
    struct host_staged st;
    int r;
    if (pair) {
        r = host_agent_stage_pair(&dev.hp.port, envelope, envelope_len, image, image_len, image2, image2_len, &st);
    } else {
        r = host_agent_stage(&dev.hp.port, envelope, envelope_len, &st);
    }
    if (r != 0) {
        printf("staging failed outside a power cut\n");
        exit(2);
    }
    return 1;
}

static const char *run(int sc, const long *cuts, int ncuts, int tear, long *ops_out)
{
    static char why[256];
    sim_restore(&dev, &start);
    dev.flash.tear = tear;
    int next = 0;
    dev.flash.cut_at = ncuts > 0 ? cuts[0] : -1;
    int staged = 0, installed = 0, confirmed_attempted = 0, confirm_lost_ok = 0, boots = 0, after_confirm = 0;
    struct bs_decision d;
    for (;;) {
        if (!staged) {
            staged = stage();
            if (!staged) dev.flash.cut_at = ++next < ncuts ? cuts[next] : -1;
        }
        if (++boots > 16) {
            snprintf(why, sizeof why, "no stable state after 16 boots");
            return why;
        }
        int completed = sim_boot(&dev, &d);
        if (!completed) {
            if (after_confirm) confirm_lost_ok = 1; /* the cut hit the boot that takes the confirmation */
            dev.flash.cut_at = ++next < ncuts ? cuts[next] : -1;
            continue;
        }
        after_confirm = 0;
        if (dev.flash.violations) {
            snprintf(why, sizeof why, "flash violation (write over unerased bytes or misaligned)");
            return why;
        }
        if (d.action == BS_ACTION_ERROR || d.action == BS_ACTION_HALT || d.action == BS_ACTION_REJECTED) {
            snprintf(why, sizeof why, "boot %d: action %d: %s", boots, d.action, bs_reason_text(d.reason));
            return why;
        }
        int img = booted_image(d.slots);
        int want_new = d.action == BS_ACTION_INSTALLED || d.action == BS_ACTION_CONFIRMED;
        if (img < 0 || (want_new && img != 1) || (d.action == BS_ACTION_REVERTED && img != 0)) {
            snprintf(why, sizeof why, "boot %d (action %d, slots %u) runs %s", boots, d.action, d.slots,
                     img < 0 ? "a mixed or damaged image" : img ? "the new image" : "the old image");
            return why;
        }
        if (d.action == BS_ACTION_INSTALLED) {
            installed = 1;
            if (sc == INSTALL_CONFIRM && !confirmed_attempted) {
                confirmed_attempted = 1;
                after_confirm = 1;
                if (!sim_confirm(&dev)) {
                    confirm_lost_ok = 1;
                    after_confirm = 0;
                    dev.flash.cut_at = ++next < ncuts ? cuts[next] : -1;
                }
            }
            continue;
        }
        if (d.action == BS_ACTION_NOTHING && !installed && img == 0) {
            staged = 0; /* the request never took effect (cut while staging, or its activation torn): stage again */
            continue;
        }
        break; /* CONFIRMED, REVERTED, NOTHING: stable */
    }
    struct bs_state st;
    dev.flash.cut_at = -1;
    if (bs_state_load(&dev.hp.port, &st) != 0 || st.cur.state != BS_STATE_IDLE) {
        snprintf(why, sizeof why, "boot state not idle at the end (state %d)", st.cur.state);
        return why;
    }
    int is_new = booted_image(d.slots) == 1;
    if (sc == REVERT && is_new) {
        snprintf(why, sizeof why, "an unconfirmed image stayed active");
        return why;
    }
    if (sc == INSTALL_CONFIRM && !is_new && !confirm_lost_ok) {
        snprintf(why, sizeof why, "the update was lost although its confirmation was never interrupted");
        return why;
    }
    if ((is_new && dev.hp.counter != 7) || (!is_new && dev.hp.counter != 6)) {
        snprintf(why, sizeof why, "counter %llu with the %s image", (unsigned long long)dev.hp.counter, is_new ? "new" : "old");
        return why;
    }
    struct bs_decision again;
    if (!sim_boot(&dev, &again) || again.action != BS_ACTION_NOTHING || again.slots != d.slots || booted_image(again.slots) != is_new) {
        snprintf(why, sizeof why, "the boot after settling did something (action %d, slots %u)", again.action, again.slots);
        return why;
    }
    if (ops_out) *ops_out = dev.flash.ops;
    return NULL;
}

static void load_update(const char *fixtures)
{
    if (pair) {
        size_t len;
        uint8_t *oldfw = sim_read_file(fixtures, "fw-old.bin", &len);
        memcpy(dev.flash.mem + dev.flash.area[BS_AREA_NANOCLR].offset, oldfw, len);
        free(oldfw);
        envelope = sim_read_file(fixtures, "pair7.suit", &envelope_len);
        image = sim_read_file(fixtures, "pair-nanoclr.bin", &image_len);
        image2 = sim_read_file(fixtures, "pair-deploy.bin", &image2_len);
        add_part(BS_SLOT_NANOCLR, BS_AREA_NANOCLR, BS_AREA_NANOCLR_B, image, (uint32_t)image_len, (uint32_t)len);
        size_t olen;
        uint8_t *old = sim_read_file(fixtures, "old.bin", &olen);
        add_part(BS_SLOT_DEPLOY, BS_AREA_DEPLOY, BS_AREA_DEPLOY_B, image2, (uint32_t)image2_len, (uint32_t)olen);
        free(old);
    } else {
        envelope = sim_read_file(fixtures, "v7.suit", &envelope_len);
        uint32_t header_length, payload_length;
        if (host_agent_split(envelope, envelope_len, &header_length, &payload_length) != 0) {
            fprintf(stderr, "v7.suit: no payload\n");
            exit(2);
        }
        size_t olen;
        uint8_t *old = sim_read_file(fixtures, "old.bin", &olen);
        add_part(BS_SLOT_DEPLOY, BS_AREA_DEPLOY, BS_AREA_DEPLOY_B, envelope + header_length, payload_length, (uint32_t)olen);
        free(old);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_powercut_ab FIXTURES_DIR [ALIGN] [--pair] [--quick | --id ID]\n");
        return 2;
    }
    const char *fixtures = argv[1];
    uint32_t align = argc > 2 && argv[2][0] != '-' ? (uint32_t)atoi(argv[2]) : 4;
    int quick = 0;
    const char *id = NULL;
    for (int a = 2; a < argc; a++) {
        if (strcmp(argv[a], "--quick") == 0) quick = 1;
        else if (strcmp(argv[a], "--pair") == 0) pair = 1;
        else if (strcmp(argv[a], "--id") == 0 && a + 1 < argc) id = argv[++a];
    }
    sim_init_ab(&dev, fixtures, align);
    load_update(fixtures);
    struct bs_decision first = sim_boot_uncut(&dev); /* the factory board's first boot: its IDLE record */
    if (first.action != BS_ACTION_NOTHING || first.slots != 0) {
        printf("FAIL: the factory board's first boot: action %d, slots %u\n", first.action, first.slots);
        return 1;
    }
    sim_save(&dev, &start);

    if (id != NULL) {
        return sweep_one(run, scenario_name, id);
    }
    struct sweep_totals t;
    sweep_all(run, scenario_name, quick ? 7 : 1, quick ? 20 : 300, 20261202u, &t);
    printf("A/B %spower-cut points: %ld, torn: %ld, multi-cut runs: %ld, bricked: %d\n", pair ? "firmware+application " : "", t.points, t.torn, t.multi, t.failures);
    for (int i = 0; i < nparts; i++) {
        free(parts[i].old_bytes);
        free(parts[i].new_bytes);
    }
    free(envelope);
    free(image);
    free(image2);
    free(start.mem);
    sim_free(&dev);
    return t.failures == 0 ? 0 : 1;
}
