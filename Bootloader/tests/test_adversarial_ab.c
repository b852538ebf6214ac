/*
 * An A/B board against a compromised application (docs/boot-protocol.md, "A/B slots", "Threat model").
 * Besides staging and bootstate the application may write the slots that are neither home nor booted
 * (the nanoCLR's interop allows exactly those, from the port's hand-over): scribble over them, erase
 * them, copy any genuine image into them, stage a genuine data set there through the agent's path, and
 * write its own requests and confirmations naming any slots. It may replay any bank it ever saw.
 * Whatever it does, every boot that lets an application start must boot a deploy slot holding an
 * image the vendor signed (old.bin 6, new.bin 7, next.bin 8) not below the counter; otherwise halt.
 * Prints "A/B adversarial boots: N, unverified activations: U, below counter: B (recovery halts: H)".
 * Usage: test_adversarial_ab FIXTURES_DIR [--trials N] [--seed S]   (TRACE_TRIAL=N prints trial N's attacks and boots)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstage/bs_result.h"
#include "bootstage/bs_state.h"
#include "host_agent.h"
#include "sim.h"

#define BANK_BYTES (8u * 1024u)
#define MAX_CAPTURES 16

static const char *fixtures;
static struct sim dev;
static int failures;
static long boots, unverified, below_counter, halts;

struct image { const char *file; uint64_t seq; uint8_t *data; size_t len; };
static struct image images[3] = { { "old.bin", 6, NULL, 0 }, { "new.bin", 7, NULL, 0 }, { "next.bin", 8, NULL, 0 } };

/* The history: flash, counter and the decision the application ran under, each time it ran. */
static struct sim_snapshot captures[MAX_CAPTURES];
static struct bs_decision capture_decision[MAX_CAPTURES];
static int capture_count;
static struct bs_decision last;

static uint8_t *area(int a) { return dev.flash.mem + dev.flash.area[a].offset; }
static uint32_t area_size(int a) { return dev.flash.area[a].size; }

static void capture(void)
{
    if (capture_count < MAX_CAPTURES) {
        capture_decision[capture_count] = last;
        sim_save(&dev, &captures[capture_count++]);
    }
}

static struct bs_decision boot(void)
{
    last = sim_boot_uncut(&dev);
    return last;
}

static int deploy_area(uint8_t slots) { return (slots & BS_SLOT_DEPLOY) ? BS_AREA_DEPLOY_B : BS_AREA_DEPLOY; }

static int image_in(int a)
{
    for (int i = 0; i < 3; i++) {
        if (memcmp(area(a), images[i].data, images[i].len) == 0) return i;
    }
    return -1;
}

static void judge(const struct bs_decision *d, const char *what)
{
    boots++;
    if (d->action == BS_ACTION_HALT) {
        halts++;
        return;
    }
    int i = image_in(deploy_area(d->slots));
    if (i < 0) {
        unverified++;
        if (unverified <= 5) printf("UNVERIFIED activation: %s (action %d, slots %u, reason %s)\n", what, d->action, d->slots, bs_reason_text(d->reason));
    } else if (images[i].seq < dev.hp.counter) {
        below_counter++;
        if (below_counter <= 5) printf("BELOW COUNTER: %s runs seq %llu with counter %llu\n", what, (unsigned long long)images[i].seq, (unsigned long long)dev.hp.counter);
    }
}

static uint32_t rnd(uint32_t n) { return n == 0 ? 0 : (uint32_t)rand() % n; }

/* The deploy slot the application may write now (neither home nor booted), or -1 (testing: both in use). */
static int writable_deploy(void)
{
    if (last.action == BS_ACTION_HALT || ((last.home ^ last.slots) & BS_SLOT_DEPLOY)) return -1;
    return (last.home & BS_SLOT_DEPLOY) ? BS_AREA_DEPLOY : BS_AREA_DEPLOY_B;
}

static void write_bank_from(const struct sim_snapshot *snap, int from_bank, int to_bank, uint32_t keep)
{
    const uint8_t *src = snap->mem + dev.flash.area[BS_AREA_BOOTSTATE].offset + (uint32_t)from_bank * BANK_BYTES;
    uint8_t *dst = area(BS_AREA_BOOTSTATE) + (uint32_t)to_bank * BANK_BYTES;
    memset(dst, 0xFF, BANK_BYTES);
    memcpy(dst, src, keep < BANK_BYTES ? keep : BANK_BYTES);
}

static int trace;

static void attack(int base)
{
    int actions = 1 + (int)rnd(4);
    for (int k = 0; k < actions; k++) {
        int w = writable_deploy();
        uint32_t kind = rnd(9);
        if (trace) printf("  attack %u (writable %d)\n", kind, w);
        switch (kind) {
        case 0:
            memset(area(BS_AREA_BOOTSTATE) + rnd(2) * BANK_BYTES, 0xFF, BANK_BYTES);
            break;
        case 1: case 2:
            /* whole, or with only its first records (an earlier state of the bank: records are appended) */
            write_bank_from(&captures[rnd((uint32_t)base + 1)], (int)rnd(2), (int)rnd(2), rnd(3) == 0 ? BANK_BYTES : BS_RECORD_SIZE * (1 + rnd(SIM_SECTOR / BS_RECORD_SIZE)));
            break;
        case 3: /* scribble over or erase the writable slot */
            if (w >= 0) {
                uint32_t first = rnd(70), count = 1 + rnd(8);
                for (uint32_t s = first; s < first + count && (s + 1) * SIM_SECTOR <= area_size(w); s++)
                    for (uint32_t b = 0; b < SIM_SECTOR; b++) area(w)[s * SIM_SECTOR + b] = rnd(3) ? (uint8_t)rand() : 0xFF;
            }
            break;
        case 4: /* erase the staged header */
            memset(area(BS_AREA_STAGING), 0xFF, area_size(BS_AREA_STAGING));
            break;
        case 5: /* copy a genuine image into the writable slot */
            if (w >= 0) {
                const struct image *im = &images[rnd(3)];
                memset(area(w), 0xFF, area_size(w));
                memcpy(area(w), im->data, im->len);
            }
            break;
        case 6: { /* the agent's records, naming any slots */
            struct bs_state st;
            if (bs_state_load(&dev.hp.port, &st) != 0) break;
            struct bs_record rec = st.cur;
            rec.state = rnd(2) ? BS_STATE_CONFIRMED : BS_STATE_REQUESTED;
            rec.image_seq = 6 + rnd(3);
            rec.image_size = (uint32_t)images[rec.image_seq - 6].len;
            rec.component = BS_AREA_DEPLOY;
            rec.slots = (uint8_t)rnd(4);
            (void)(rnd(2) ? bs_state_write(&dev.hp.port, &st, &rec, BS_WRITER_AGENT)
                          : bs_state_write_keeping_boot(&dev.hp.port, &st, &rec, BS_WRITER_AGENT));
            break;
        }
        case 7: /* stage a genuine data set through the agent's path (it writes the writable slot) */
            if (w >= 0) {
                static const char *sets[] = { "v7.suit", "v8.suit" };
                size_t len;
                uint32_t header_length, payload_length;
                uint8_t *set = sim_read_file(fixtures, sets[rnd(2)], &len);
                struct host_staged st;
                if (host_agent_split(set, len, &header_length, &payload_length) == 0)
                    (void)host_agent_stage_ab_home(&dev.hp.port, set, header_length, set + header_length, payload_length, NULL, 0, last.home, &st);
                free(set);
            }
            break;
        default: /* the staging header of an earlier point */
            memcpy(area(BS_AREA_STAGING), captures[rnd((uint32_t)base + 1)].mem + dev.flash.area[BS_AREA_STAGING].offset, area_size(BS_AREA_STAGING));
            break;
        }
    }
}

#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

/* Factory boot; v7 into slot 1, confirmed; v8 into slot 0, reverted; v8 again, confirmed. */
static void build_history(void)
{
    sim_init_ab(&dev, fixtures, 4);
    CHECK(boot().action == BS_ACTION_NOTHING, "history: factory boot");
    capture();
    sim_stage(&dev, fixtures, "v7.suit");
    CHECK(boot().action == BS_ACTION_INSTALLED && last.slots == BS_SLOT_DEPLOY, "history: v7 into slot 1");
    capture();
    CHECK(sim_confirm(&dev), "history: v7 confirm");
    CHECK(boot().action == BS_ACTION_CONFIRMED && last.home == BS_SLOT_DEPLOY, "history: v7 confirmed");
    capture();
    sim_stage(&dev, fixtures, "v8.suit");
    CHECK(boot().action == BS_ACTION_INSTALLED && last.slots == 0, "history: v8 into slot 0");
    capture();
    CHECK(boot().action == BS_ACTION_REVERTED && last.slots == BS_SLOT_DEPLOY, "history: v8 reverted");
    capture();
    sim_stage(&dev, fixtures, "v8.suit");
    CHECK(boot().action == BS_ACTION_INSTALLED, "history: v8 again");
    capture();
    CHECK(sim_confirm(&dev), "history: v8 confirm");
    CHECK(boot().action == BS_ACTION_CONFIRMED && dev.hp.counter == 8 && last.home == 0, "history: v8 confirmed");
    capture();
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_adversarial_ab FIXTURES_DIR [--trials N] [--seed S]\n");
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
    srand(seed);
    for (long t = 0; t < trials; t++) {
        int base = (int)rnd((uint32_t)capture_count);
        trace = getenv("TRACE_TRIAL") != NULL && atol(getenv("TRACE_TRIAL")) == t;
        if (trace) printf("trial %ld from capture %d\n", t, base);
        sim_restore(&dev, &captures[base]);
        last = capture_decision[base];
        int rounds = 1 + (int)rnd(3);
        for (int r = 0; r < rounds; r++) {
            attack(base);
            struct bs_decision d = boot();
            char what[64];
            snprintf(what, sizeof what, "seed %u trial %ld round %d", seed, t, r);
            judge(&d, what);
            if (trace) printf("  boot: action %d slots %u home %u reason %s counter %llu\n", d.action, d.slots, d.home, bs_reason_text(d.reason), (unsigned long long)dev.hp.counter);
            if (d.action == BS_ACTION_HALT) break;
            if (rnd(4) == 0) {
                if (trace) printf("  confirm\n");
                (void)sim_confirm(&dev);
            }
        }
    }
    printf("A/B adversarial boots: %ld, unverified activations: %ld, below counter: %ld (recovery halts: %ld)\n",
           boots, unverified, below_counter, halts);
    for (int i = 0; i < capture_count; i++) free(captures[i].mem);
    for (int i = 0; i < 3; i++) free(images[i].data);
    sim_free(&dev);
    return failures == 0 && unverified == 0 && below_counter == 0 ? 0 : 1;
}
