/*
 * Exhaustive power-cut test of the boot stage (docs/boot-protocol.md, "Power-fail safety").
 * Two scenarios, each first run uninterrupted to count its flash operations (program + erase):
 *   install-confirm: boot (verify, swap, TESTING), the new image confirms, boot (CONFIRMED -> IDLE);
 *   revert:          boot (install), the new image does NOT confirm, boot (revert -> IDLE).
 * Then for every operation index the power is cut before that operation, and separately the
 * operation is torn (a half-programmed write, a half-erased sector with garbage), the device reboots
 * as often as it needs, and the outcome is checked: after every completed boot the target holds the
 * complete old or the complete new image, matching the decision; at the end the boot state is idle,
 * the image is the one the scenario must end with (new after install-confirm unless the cut hit the
 * confirmation itself; old after revert), the counter matches, no swap ever needed its safety net
 * (the post-install check), and the strict flash model saw no write over unerased bytes. Then random runs with several cuts in one update.
 * Prints "power-cut points: N, torn: N, multi-cut runs: N, bricked: N" and an id for every failure.
 * With --pair the data set installs firmware and application together (pair7.suit): after every boot
 * both areas must hold the old images or both the new ones, never one of each.
 * Usage: test_powercut FIXTURES_DIR [ALIGN] [--pair] [--quick | --id SCENARIO/clean|torn/cuts=A,B,...]
 * (--id re-runs exactly the failure a previous run printed.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstage/bs_result.h"
#include "bootstage/bs_state.h"
#include "sim.h"
#include "sweep.h"

enum scenario { INSTALL_CONFIRM, REVERT };
static const char *scenario_name[] = {"install-confirm", "revert"};

static struct sim dev;
static struct sim_snapshot start;

/* The areas the update writes (deploy; or nanoclr and deploy for a pair), each with its old and new content. */
static struct region { int area; uint32_t len; uint8_t *old_bytes, *new_bytes; } regions[2];
static int nregions;
static uint8_t *const OLD = (uint8_t *)1, *const NEW = (uint8_t *)2;

/* Whether every area holds its old (OLD) or every area its new (NEW) image: all or nothing. */
static int target_is(const uint8_t *which)
{
    for (int i = 0; i < nregions; i++) {
        const uint8_t *expected = which == NEW ? regions[i].new_bytes : regions[i].old_bytes;
        if (memcmp(dev.flash.mem + dev.flash.area[regions[i].area].offset, expected, regions[i].len) != 0) return 0;
    }
    return 1;
}

static const char *image_name(void)
{
    return target_is(NEW) ? "new" : target_is(OLD) ? "old" : "MIXED";
}

/* The region of an area: its current content as old, `image` (padded with erased bytes) as new. */
static void add_region(int area, const char *fixtures, const char *image)
{
    size_t len;
    uint8_t *bytes = sim_read_file(fixtures, image, &len);
    struct region *r = &regions[nregions++];
    r->area = area;
    r->len = (uint32_t)((len + SIM_SECTOR - 1) / SIM_SECTOR * SIM_SECTOR);
    r->old_bytes = malloc(r->len);
    r->new_bytes = malloc(r->len);
    memcpy(r->old_bytes, dev.flash.mem + dev.flash.area[area].offset, r->len);
    memset(r->new_bytes, 0xFF, r->len);
    memcpy(r->new_bytes, bytes, len);
    free(bytes);
}

/* Runs a scenario with cuts at the given cumulative operation indexes; returns NULL or a failure text. */
static const char *run(int sc, const long *cuts, int ncuts, int tear, long *ops_out)
{
    static char why[256];
    sim_restore(&dev, &start);
    dev.flash.tear = tear;
    int next = 0;
    dev.flash.cut_at = ncuts > 0 ? cuts[0] : -1;
    int confirmed_attempted = 0, confirm_cut = 0, boots = 0;
    struct bs_decision d;
    for (;;) {
        if (++boots > 12) {
            snprintf(why, sizeof why, "no stable state after 12 boots");
            return why;
        }
        int completed = sim_boot(&dev, &d);
        if (!completed) {
            dev.flash.cut_at = ++next < ncuts ? cuts[next] : -1;
            continue;
        }
        if (dev.flash.violations) {
            snprintf(why, sizeof why, "flash violation (write over unerased bytes or misaligned)");
            return why;
        }
        if (d.reason == BS_REASON_INSTALL_CHECK_FAILED || d.action == BS_ACTION_KEPT) {
            /* The staged data set is valid and nobody corrupts the saved image: these mean the swap lost data. */
            snprintf(why, sizeof why, "boot %d: %s", boots, bs_reason_text(d.reason));
            return why;
        }
        if (d.action == BS_ACTION_ERROR) {
            snprintf(why, sizeof why, "boot stage error: %s", bs_reason_text(d.reason));
            return why;
        }
        /* Whatever boots must be a complete image, the one the decision names. */
        int want_new = d.action == BS_ACTION_INSTALLED || d.action == BS_ACTION_CONFIRMED || d.action == BS_ACTION_KEPT;
        int want_old = d.action == BS_ACTION_REVERTED || d.action == BS_ACTION_REJECTED;
        if ((want_new && !target_is(NEW)) || (want_old && !target_is(OLD))
            || (!target_is(NEW) && !target_is(OLD))) {
            snprintf(why, sizeof why, "boot %d (action %d) runs a %s image", boots, d.action, image_name());
            return why;
        }
        if (d.action == BS_ACTION_INSTALLED) {
            if (sc == INSTALL_CONFIRM && !confirmed_attempted) {
                confirmed_attempted = 1;
                if (!sim_confirm(&dev)) {
                    confirm_cut = 1;
                    dev.flash.cut_at = ++next < ncuts ? cuts[next] : -1;
                }
            }
            continue; /* the next reset */
        }
        if (d.action == BS_ACTION_REJECTED) {
            snprintf(why, sizeof why, "the valid data set was rejected: %s", bs_reason_text(d.reason));
            return why;
        }
        break; /* CONFIRMED, REVERTED, NOTHING, KEPT: stable */
    }
    /* Settled: one more boot must change nothing and find nothing pending. */
    struct bs_state st;
    dev.flash.cut_at = -1;
    if (bs_state_load(&dev.hp.port, &st) != 0 || st.cur.state != BS_STATE_IDLE) {
        snprintf(why, sizeof why, "boot state not idle at the end (state %d)", st.cur.state);
        return why;
    }
    int is_new = target_is(NEW);
    if (sc == REVERT && is_new) {
        snprintf(why, sizeof why, "an unconfirmed image stayed installed");
        return why;
    }
    if (sc == INSTALL_CONFIRM && !is_new && !confirm_cut) {
        snprintf(why, sizeof why, "the update was lost although its confirmation was never interrupted");
        return why;
    }
    if ((is_new && dev.hp.counter != 7) || (!is_new && dev.hp.counter != 6)) {
        snprintf(why, sizeof why, "counter %llu with the %s image", (unsigned long long)dev.hp.counter, is_new ? "new" : "old");
        return why;
    }
    struct bs_decision again;
    if (!sim_boot(&dev, &again) || again.action != BS_ACTION_NOTHING || target_is(NEW) != is_new) {
        snprintf(why, sizeof why, "the boot after settling did something (action %d)", again.action);
        return why;
    }
    if (ops_out) *ops_out = dev.flash.ops;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_powercut FIXTURES_DIR [ALIGN] [--quick]\n");
        return 2;
    }
    const char *fixtures = argv[1];
    uint32_t align = argc > 2 && argv[2][0] != '-' ? (uint32_t)atoi(argv[2]) : 4;
    int quick = 0, pair = 0;
    const char *id = NULL;
    for (int a = 2; a < argc; a++) {
        if (strcmp(argv[a], "--quick") == 0) quick = 1;
        else if (strcmp(argv[a], "--pair") == 0) pair = 1;
        else if (strcmp(argv[a], "--id") == 0 && a + 1 < argc) id = argv[++a];
    }

    sim_init(&dev, fixtures, align);
    if (pair) {
        size_t len;
        uint8_t *oldfw = sim_read_file(fixtures, "fw-old.bin", &len);
        memcpy(dev.flash.mem + dev.flash.area[BS_AREA_NANOCLR].offset, oldfw, len);
        free(oldfw);
        add_region(BS_AREA_NANOCLR, fixtures, "pair-nanoclr.bin");
        add_region(BS_AREA_DEPLOY, fixtures, "pair-deploy.bin");
        size_t elen, flen, alen;
        uint8_t *env = sim_read_file(fixtures, "pair7.suit", &elen);
        uint8_t *fw = sim_read_file(fixtures, "pair-nanoclr.bin", &flen);
        uint8_t *app = sim_read_file(fixtures, "pair-deploy.bin", &alen);
        struct host_staged st;
        if (host_agent_stage_pair(&dev.hp.port, env, elen, fw, flen, app, alen, &st) != 0) {
            fprintf(stderr, "staging the pair failed\n");
            return 2;
        }
        free(env); free(fw); free(app);
    } else {
        add_region(BS_AREA_DEPLOY, fixtures, "new.bin");
        sim_stage(&dev, fixtures, "v7.suit");
    }
    sim_save(&dev, &start);

    if (id != NULL) {
        return sweep_one(run, scenario_name, id);
    }
    struct sweep_totals t;
    sweep_all(run, scenario_name, quick ? 37 : 1, quick ? 20 : 300, 20261121u, &t);
    printf("%spower-cut points: %ld, torn: %ld, multi-cut runs: %ld, bricked: %d\n", pair ? "firmware+application " : "", t.points, t.torn, t.multi, t.failures);
    for (int i = 0; i < nregions; i++) {
        free(regions[i].old_bytes);
        free(regions[i].new_bytes);
    }
    free(start.mem);
    sim_free(&dev);
    return t.failures == 0 ? 0 : 1;
}
