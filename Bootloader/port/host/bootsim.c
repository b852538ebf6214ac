#define _DEFAULT_SOURCE /* realpath */
/*
 * bootsim: the boot stage on the host port, on a flash image file laid out like the 4 MB board
 * (docs/boot-protocol.md, "Flash layout"). Each run boots once and prints one line with its decision.
 *
 *   bootsim init FLASH --pub VENDOR.pub.pem --vendor-id UUID --class-id UUID [--image FILE] [--seq N]
 *   bootsim stage FLASH DATASET.suit     the agent's part: stage a (plaintext) data set and request it
 *   bootsim boot FLASH [--cut-after N] [--tear] [--stats]   --stats: a second line with what the boot did
 *                                        to the flash and with the crypto (erases, pages, bytes read and hashed, signatures)
 *   bootsim confirm FLASH                the new image confirms itself (the agent's write)
 *   bootsim status FLASH
 *
 * The anti-rollback counter and the device identity live in FLASH.cfg beside the image.
 * Exit codes: 0 ok, 1 usage or input error, 3 the power was cut as asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstage/bs_boot.h"
#include "bootstage/bs_result.h"
#include "bootstage/bs_state.h"
#include "bootstage/bs_suit.h"
#include "bootsim_boot.h"
#include "host_agent.h"
#include "host_flash.h"
#include "host_port.h"


struct config {
    char pub[1024];
    uint8_t vendor[16], cls[16];
    unsigned long long counter;
};

static int die(const char *message)
{
    fprintf(stderr, "bootsim: %s\n", message);
    return 1;
}

static int parse_uuid(const char *text, uint8_t out[16])
{
    int n = 0;
    for (const char *p = text; *p && n < 32; p++) {
        if (*p == '-') continue;
        unsigned v;
        if (sscanf(p, "%1x", &v) != 1) return -1;
        if (n % 2 == 0) out[n / 2] = (uint8_t)(v << 4); else out[n / 2] |= (uint8_t)v;
        n++;
    }
    return n == 32 ? 0 : -1;
}

static int load_config(const char *flash, struct config *c)
{
    char path[1100], vendor[64] = {0}, cls[64] = {0};
    snprintf(path, sizeof path, "%s.cfg", flash);
    FILE *f = fopen(path, "r");
    if (f == NULL) return -1;
    int ok = fscanf(f, "pub %1023s\nvendor %40s\nclass %40s\ncounter %llu", c->pub, vendor, cls, &c->counter) == 4;
    fclose(f);
    return ok && parse_uuid(vendor, c->vendor) == 0 && parse_uuid(cls, c->cls) == 0 ? 0 : -1;
}

static int save_config(const char *flash, const struct config *c)
{
    char path[1100];
    snprintf(path, sizeof path, "%s.cfg", flash);
    FILE *f = fopen(path, "w");
    if (f == NULL) return -1;
    fprintf(f, "pub %s\nvendor ", c->pub);
    for (int i = 0; i < 16; i++) fprintf(f, "%02x", c->vendor[i]);
    fprintf(f, "\nclass ");
    for (int i = 0; i < 16; i++) fprintf(f, "%02x", c->cls[i]);
    fprintf(f, "\ncounter %llu\n", c->counter);
    return fclose(f);
}

static int load_flash(const char *path, struct host_flash *fl)
{
    if (host_flash_init(fl, BOOTSIM_BOOTSTATE_SIZE, BOOTSIM_STAGING_SIZE, BOOTSIM_DEPLOY_SIZE, BOOTSIM_NANOCLR_SIZE, BOOTSIM_SECTOR, 4) != 0) return -1;
    FILE *f = fopen(path, "rb");
    if (f == NULL) return -1;
    size_t n = fread(fl->mem, 1, fl->total, f);
    fclose(f);
    return n == fl->total ? 0 : -1;
}

static int save_flash(const char *path, const struct host_flash *fl)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) return -1;
    size_t n = fwrite(fl->mem, 1, fl->total, f);
    return fclose(f) == 0 && n == fl->total ? 0 : -1;
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *d = malloc((size_t)n + 1);
    if (d && fread(d, 1, (size_t)n, f) != (size_t)n) { free(d); d = NULL; }
    fclose(f);
    *len = (size_t)n;
    return d;
}


static const char *option(int argc, char **argv, const char *name)
{
    for (int i = 3; i < argc - 1; i++) if (strcmp(argv[i], name) == 0) return argv[i + 1];
    return NULL;
}

static int flag(int argc, char **argv, const char *name)
{
    for (int i = 3; i < argc; i++) if (strcmp(argv[i], name) == 0) return 1;
    return 0;
}

/* A whole decimal number in [0, max]: nothing else (no sign, no trailing text, no overflow). */
static int parse_count(const char *text, unsigned long long max, unsigned long long *out)
{
    if (text == NULL || *text < '0' || *text > '9') return -1;
    unsigned long long v = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        unsigned d = (unsigned)(*p - '0');
        if (v > (max - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* The options a command takes: anything else is a mistake, said so (issue 17, C3). */
static int check_options(int argc, char **argv, const char *const *valued, const char *const *flags)
{
    for (int i = 3; i < argc; i++) {
        int known = 0;
        for (const char *const *v = valued; *v; v++) if (strcmp(argv[i], *v) == 0) { known = 1; if (i + 1 >= argc) { fprintf(stderr, "bootsim: %s needs a value\n", argv[i]); return -1; } i++; }
        for (const char *const *f = flags; !known && *f; f++) if (strcmp(argv[i], *f) == 0) known = 1;
        if (!known) { fprintf(stderr, "bootsim: unknown option %s\n", argv[i]); return -1; }
    }
    return 0;
}

static int cmd_init(int argc, char **argv)
{
    struct config c;
    memset(&c, 0, sizeof c);
    const char *pub = option(argc, argv, "--pub"), *vendor = option(argc, argv, "--vendor-id"), *cls = option(argc, argv, "--class-id");
    const char *image = option(argc, argv, "--image"), *seq = option(argc, argv, "--seq");
    static const char *const valued[] = {"--pub", "--vendor-id", "--class-id", "--image", "--seq", NULL}, *const none[] = {NULL};
    if (check_options(argc, argv, valued, none) != 0) return 1;
    if (!pub || !vendor || !cls) return die("init needs --pub KEY --vendor-id UUID --class-id UUID");
    if (parse_uuid(vendor, c.vendor) != 0 || parse_uuid(cls, c.cls) != 0) return die("--vendor-id/--class-id: not a UUID");
    if (realpath(pub, c.pub) == NULL) return die("--pub: no such key file");
    /* The key must load now, not at the first boot (a non-PEM file used to be accepted silently). */
    struct host_port probe;
    if (host_port_init(&probe, NULL, c.pub, c.vendor, c.cls) != 0) return die("--pub: not a P-256 public key in PEM");
    host_port_free(&probe);
    /* The counter is a manifest sequence number: 0 .. 2^63-1, as the readers accept (no "abc", no -1 = 2^64-1). */
    unsigned long long counter = 0;
    if (seq != NULL && parse_count(seq, (unsigned long long)INT64_MAX, &counter) != 0) return die("--seq: a whole number from 0 to 9223372036854775807");
    c.counter = counter;
    struct host_flash fl;
    if (host_flash_init(&fl, BOOTSIM_BOOTSTATE_SIZE, BOOTSIM_STAGING_SIZE, BOOTSIM_DEPLOY_SIZE, BOOTSIM_NANOCLR_SIZE, BOOTSIM_SECTOR, 4) != 0) return die("out of memory");
    if (image) {
        size_t len;
        uint8_t *d = read_all(image, &len);
        if (d == NULL) return die("--image: cannot read the file");
        if (len > BOOTSIM_DEPLOY_SIZE) return die("--image: larger than the deploy partition");
        memcpy(fl.mem + fl.area[BS_AREA_DEPLOY].offset, d, len);
        free(d);
    }
    if (save_flash(argv[2], &fl) != 0 || save_config(argv[2], &c) != 0) return die("cannot write the flash image");
    printf("bootsim: %s: 4 MB layout, deploy %s, counter %llu\n", argv[2], image ? image : "empty", c.counter);
    host_flash_free(&fl);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bootsim init|stage|boot|confirm|status FLASH [options]\n");
        return 1;
    }
    if (strcmp(argv[1], "init") == 0) return cmd_init(argc, argv);

    struct config c;
    struct host_flash fl;
    struct host_port hp;
    if (load_config(argv[2], &c) != 0) return die("no FLASH.cfg beside the flash image: run 'bootsim init' first");
    if (load_flash(argv[2], &fl) != 0) return die("cannot read the flash image (wrong size? run 'bootsim init')");
    if (host_port_init(&hp, &fl, c.pub, c.vendor, c.cls) != 0) return 1;
    hp.counter = c.counter;
    jmp_buf reset;
    fl.reset = &reset;
    int rc = 0;

    if (strcmp(argv[1], "stage") == 0) {
        if (argc < 4) return die("stage needs a data set file");
        size_t len;
        uint8_t *d = read_all(argv[3], &len);
        struct host_staged st;
        if (d == NULL || host_agent_stage(&hp.port, d, len, &st) != 0) return die("cannot stage that data set (not a data set, or too large for staging)");
        printf("agent: staged %s seq=%llu (%u bytes), install requested\n", bootsim_component_name(st.component), (unsigned long long)st.seq, st.image_size);
        free(d);
    } else if (strcmp(argv[1], "confirm") == 0) {
        int r = bs_state_confirm(&hp.port);
        printf(r == 0 ? "agent: confirmed\n" : "agent: nothing to confirm\n");
        rc = r == 0 ? 0 : 1;
    } else if (strcmp(argv[1], "status") == 0) {
        struct bs_state st;
        bs_state_load(&hp.port, &st);
        static const char *names[] = {"none", "idle", "requested", "installing", "testing", "confirmed", "reverting"};
        printf("state: %s, component %s, image seq %llu, last result: %s, counter %llu\n", names[st.cur.state <= 6 ? st.cur.state : 0],
               bootsim_component_name(st.cur.component), (unsigned long long)st.cur.image_seq, bs_reason_text(st.cur.reason), c.counter);
    } else if (strcmp(argv[1], "boot") == 0) {
        static const char *const valued[] = {"--cut-after", NULL}, *const flags[] = {"--tear", "--stats", NULL};
        if (check_options(argc, argv, valued, flags) != 0) return 1;
        const char *cut = option(argc, argv, "--cut-after");
        unsigned long long after = 0;
        if (cut != NULL && parse_count(cut, 1000000000ull, &after) != 0) return die("--cut-after: a whole number of flash operations (0 .. 1000000000)");
        char line[256];
        rc = bootsim_boot_once(&hp, cut ? (long)after : -1, flag(argc, argv, "--tear"), line, sizeof line);
        printf("%s\n", line);
        if (flag(argc, argv, "--stats")) {
            int64_t st[BOOTSIM_STAT_COUNT];
            bootsim_stats(&hp, st);
            printf("flash: erases=%lld pages=%lld read=%lld hashed=%lld signatures=%lld\n", (long long)st[BOOTSIM_STAT_ERASES],
                   (long long)st[BOOTSIM_STAT_PAGES], (long long)st[BOOTSIM_STAT_READ], (long long)st[BOOTSIM_STAT_HASHED],
                   (long long)st[BOOTSIM_STAT_SIGNATURES]);
        }
    } else {
        return die("unknown command (init, stage, boot, confirm, status)");
    }
    c.counter = hp.counter;
    if (save_flash(argv[2], &fl) != 0 || save_config(argv[2], &c) != 0) return die("cannot write the flash image");
    host_port_free(&hp);
    host_flash_free(&fl);
    return rc;
}
