/*
 * The boot stage against a compromised application (docs/boot-protocol.md, "Threat model"): the
 * application may write any byte of staging and bootstate, replay any boot-state bank it ever saw
 * (whole, or with its progress log cut short), and write its own REQUESTED/CONFIRMED records. Whatever
 * it does, every boot that lets an application start must leave in the target an image the vendor
 * signed (old.bin seq 6, new.bin seq 7, next.bin seq 8) whose sequence number is not below the
 * anti-rollback counter; otherwise the boot stage must halt in recovery.
 *
 * First the two findings of the attack run replayed exactly (B1, B2), then a seeded sweep over one
 * device history. Prints "adversarial boots: N, unverified activations: U, below counter: B".
 * Usage: test_adversarial FIXTURES_DIR [--trials N] [--seed S]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstage/bs_result.h"
#include "bootstage/bs_state.h"
#include "sim.h"

#define BANK_BYTES (8u * 1024u)
#define MAX_CAPTURES 16

static const char *fixtures;
static struct sim dev;
static int failures;

struct image { const char *file; uint64_t seq; uint8_t *data; size_t len; };
static struct image images[3] = { { "old.bin", 6, NULL, 0 }, { "new.bin", 7, NULL, 0 }, { "next.bin", 8, NULL, 0 } };

/* The device's history: a flash snapshot each time the application ran. */
static struct sim_snapshot captures[MAX_CAPTURES];
static int capture_count;

static uint8_t *area(int a) { return dev.flash.mem + dev.flash.area[a].offset; }
static uint32_t area_size(int a) { return dev.flash.area[a].size; }

static void capture(void)
{
    if (capture_count < MAX_CAPTURES) sim_save(&dev, &captures[capture_count++]);
}

static struct bs_decision boot(void) { return sim_boot_uncut(&dev); }

/* Which signed image the target holds (index into images), or -1. */
static int target_image(void)
{
    for (int i = 0; i < 3; i++) {
        if (memcmp(area(BS_AREA_DEPLOY), images[i].data, images[i].len) == 0) return i;
    }
    return -1;
}

static long boots, unverified, below_counter, halts;

/* After a boot: if an application may start, the target must be signed and not below the counter. */
static void judge(const struct bs_decision *d, const char *what)
{
    boots++;
    if (d->action == BS_ACTION_HALT) {
        halts++;
        return;
    }
    int i = target_image();
    if (i < 0) {
        unverified++;
        if (unverified <= 5) printf("UNVERIFIED activation: %s (action %d, reason %s)\n", what, d->action, bs_reason_text(d->reason));
    } else if (images[i].seq < dev.hp.counter) {
        below_counter++;
        if (below_counter <= 5) printf("BELOW COUNTER: %s (action %d, reason %s) runs seq %llu with counter %llu\n", what, d->action, bs_reason_text(d->reason),
                                       (unsigned long long)images[i].seq, (unsigned long long)dev.hp.counter);
    }
}

/* The application's writes: whole sectors erased to 0xFF and bytes put in place (the flash model
 * would let it program erased bytes; writing the memory directly is the same outcome). */
static void erase_bytes(int a, uint32_t offset, uint32_t len) { memset(area(a) + offset, 0xFF, len); }

static void write_bank_from(const struct sim_snapshot *snap, int from_bank, int to_bank, uint32_t keep)
{
    const uint8_t *src = snap->mem + dev.flash.area[BS_AREA_BOOTSTATE].offset + (uint32_t)from_bank * BANK_BYTES;
    uint8_t *dst = area(BS_AREA_BOOTSTATE) + (uint32_t)to_bank * BANK_BYTES;
    memset(dst, 0xFF, BANK_BYTES);
    memcpy(dst, src, keep < BANK_BYTES ? keep : BANK_BYTES);
}

static uint32_t rnd(uint32_t n) { return n == 0 ? 0 : (uint32_t)rand() % n; }

static uint32_t header_offset(void)
{
    uint32_t off, cap;
    bs_staging_header_region(&dev.hp.port, &off, &cap);
    return off;
}

static void attack(int base)
{
    int actions = 1 + (int)rnd(4);
    for (int k = 0; k < actions; k++) {
        switch (rnd(9)) {
        case 0: /* erase a bank: the other one's record becomes current */
            erase_bytes(BS_AREA_BOOTSTATE, rnd(2) * BANK_BYTES, BANK_BYTES);
            break;
        case 1: case 2: { /* replay a bank seen earlier: whole, with its progress log cut short, or with only
                           * its first records (an earlier state of the bank: records are appended) */
            int from = (int)rnd((uint32_t)base + 1);
            uint32_t cut = rnd(3);
            uint32_t keep = cut == 0 ? BANK_BYTES : cut == 1 ? SIM_SECTOR + 4 * rnd(140) : BS_RECORD_SIZE * (1 + rnd(SIM_SECTOR / BS_RECORD_SIZE));
            write_bank_from(&captures[from], (int)rnd(2), (int)rnd(2), keep);
            break;
        }
        case 3: { /* scribble over staging sectors */
            uint32_t first = rnd(70), count = 1 + rnd(8);
            for (uint32_t s = first; s < first + count && (s + 1) * SIM_SECTOR <= header_offset(); s++)
                for (uint32_t b = 0; b < SIM_SECTOR; b++) area(BS_AREA_STAGING)[s * SIM_SECTOR + b] = (uint8_t)rand();
            break;
        }
        case 4: /* erase the staged envelope header */
            erase_bytes(BS_AREA_STAGING, header_offset(), area_size(BS_AREA_STAGING) - header_offset());
            break;
        case 5: { /* put a signed image into staging at sector 0 or 1 (what a revert or install would read) */
            const struct image *im = &images[rnd(3)];
            memcpy(area(BS_AREA_STAGING) + rnd(2) * SIM_SECTOR, im->data, im->len);
            break;
        }
        case 6: { /* the agent's own records: a confirmation or a request, true or not */
            struct bs_state st;
            if (bs_state_load(&dev.hp.port, &st) != 0) break;
            struct bs_record rec = st.cur;
            rec.state = rnd(2) ? BS_STATE_CONFIRMED : BS_STATE_REQUESTED;
            rec.image_seq = 6 + rnd(3);
            rec.image_size = (uint32_t)images[rec.image_seq - 6].len;
            rec.component = BS_AREA_DEPLOY;
            (void)bs_state_write(&dev.hp.port, &st, &rec, BS_WRITER_AGENT);
            break;
        }
        case 7: { /* stage a genuine data set again (the agent's staging path) */
            static const char *sets[] = { "v7.suit", "v8.suit" };
            sim_stage(&dev, fixtures, sets[rnd(2)]);
            break;
        }
        default: { /* restore the whole staging partition as it was at an earlier point */
            int from = (int)rnd((uint32_t)base + 1);
            memcpy(area(BS_AREA_STAGING), captures[from].mem + dev.flash.area[BS_AREA_STAGING].offset, area_size(BS_AREA_STAGING));
            break;
        }
        }
    }
}

#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

/* One history: v7 installed, confirmed; v8 installed, not confirmed, reverted; v8 again, confirmed. */
static void build_history(void)
{
    sim_init(&dev, fixtures, 4);
    capture();                                   /* 0: old running, idle */
    sim_stage(&dev, fixtures, "v7.suit");
    CHECK(boot().action == BS_ACTION_INSTALLED, "history: v7 install");
    capture();                                   /* 1: v7 testing */
    CHECK(sim_confirm(&dev), "history: v7 confirm");
    capture();                                   /* 2: v7 confirmed by the agent */
    CHECK(boot().action == BS_ACTION_CONFIRMED, "history: v7 confirmed");
    capture();                                   /* 3: v7 idle, counter 7 */
    sim_stage(&dev, fixtures, "v8.suit");
    CHECK(boot().action == BS_ACTION_INSTALLED, "history: v8 install");
    capture();                                   /* 4: v8 testing */
    CHECK(boot().action == BS_ACTION_REVERTED, "history: v8 reverted");
    capture();                                   /* 5: v7 again, v8 reverted */
    sim_stage(&dev, fixtures, "v8.suit");
    CHECK(boot().action == BS_ACTION_INSTALLED, "history: v8 install again");
    capture();                                   /* 6: v8 testing */
    CHECK(sim_confirm(&dev), "history: v8 confirm");
    CHECK(boot().action == BS_ACTION_CONFIRMED, "history: v8 confirmed");
    capture();                                   /* 7: v8 idle, counter 8 */
}

/* B1: while v7 is testing, erase the TESTING bank (the INSTALLING record becomes current), erase the
 * staged header and write arbitrary bytes into staging sectors 0..n-1. */
static void replay_b1(void)
{
    sim_restore(&dev, &captures[1]);
    struct bs_state st;
    bs_state_load(&dev.hp.port, &st);
    erase_bytes(BS_AREA_BOOTSTATE, (uint32_t)st.cur_bank * BANK_BYTES, BANK_BYTES);
    erase_bytes(BS_AREA_STAGING, header_offset(), area_size(BS_AREA_STAGING) - header_offset());
    for (uint32_t b = 0; b < 65 * SIM_SECTOR; b++) area(BS_AREA_STAGING)[b] = (uint8_t)(b * 131 + 7);
    struct bs_decision d = boot();
    CHECK(d.action == BS_ACTION_HALT || target_image() >= 0, "B1: attacker bytes activated (action %d, reason %s)", d.action, bs_reason_text(d.reason));
    judge(&d, "B1");
}

/* B2: a genuine TESTING record read during v7's test window, written back after the confirmation. */
static void replay_b2(void)
{
    struct bs_state st;
    sim_restore(&dev, &captures[1]); /* the bank whose record is the TESTING one */
    bs_state_load(&dev.hp.port, &st);
    int testing_bank = st.cur_bank >= 0 && st.cur.state == BS_STATE_TESTING ? st.cur_bank : -1;
    CHECK(testing_bank >= 0, "B2: no TESTING record in the capture");
    if (testing_bank < 0) return;
    sim_restore(&dev, &captures[3]);
    bs_state_load(&dev.hp.port, &st);
    write_bank_from(&captures[1], testing_bank, st.cur_bank == 0 ? 1 : 0, BANK_BYTES);
    erase_bytes(BS_AREA_BOOTSTATE, (uint32_t)st.cur_bank * BANK_BYTES, BANK_BYTES);
    struct bs_decision d = boot();
    CHECK(target_image() == 1 && dev.hp.counter == 7, "B2: target holds image %d, counter %llu (action %d)", target_image(),
          (unsigned long long)dev.hp.counter, d.action);
    judge(&d, "B2");
    sim_stage(&dev, fixtures, "v8.suit");
    d = boot();
    CHECK(d.action == BS_ACTION_INSTALLED, "B2: the next release no longer installs (action %d)", d.action);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_adversarial FIXTURES_DIR [--trials N] [--seed S]\n");
        return 2;
    }
    fixtures = argv[1];
    long trials = 2000;
    unsigned seed = 1;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--trials") == 0) trials = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0) seed = (unsigned)strtoul(argv[i + 1], NULL, 10);
    }
    for (int i = 0; i < 3; i++) images[i].data = sim_read_file(fixtures, images[i].file, &images[i].len);

    build_history();
    replay_b1();
    replay_b2();

    srand(seed);
    for (long t = 0; t < trials; t++) {
        int base = (int)rnd((uint32_t)capture_count);
        sim_restore(&dev, &captures[base]);
        int rounds = 1 + (int)rnd(3);
        for (int r = 0; r < rounds; r++) {
            attack(base);
            struct bs_decision d = boot();
            char what[64];
            snprintf(what, sizeof what, "seed %u trial %ld round %d", seed, t, r);
            judge(&d, what);
            if (d.action == BS_ACTION_HALT) break;
            if (rnd(4) == 0) (void)sim_confirm(&dev);
        }
    }
    printf("adversarial boots: %ld, unverified activations: %ld, below counter: %ld (recovery halts: %ld)\n",
           boots, unverified, below_counter, halts);
    for (int i = 0; i < capture_count; i++) free(captures[i].mem);
    for (int i = 0; i < 3; i++) free(images[i].data);
    sim_free(&dev);
    return failures == 0 && unverified == 0 && below_counter == 0 ? 0 : 1;
}
