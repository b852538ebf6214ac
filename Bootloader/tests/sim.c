#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstage/bs_state.h"
#include "sim.h"

uint8_t *sim_read_file(const char *dir, const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open fixture %s (run the 'fixtures' test first)\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *data = malloc((size_t)n + 1);
    if (data == NULL || fread(data, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    *len = (size_t)n;
    return data;
}

static void read_ids(const char *fixtures, uint8_t vendor[16], uint8_t cls[16])
{
    size_t len;
    char *text = (char *)sim_read_file(fixtures, "ids.txt", &len);
    text[len] = 0;
    char v[64] = {0}, c[64] = {0};
    if (sscanf(text, "vendor %32s\nclass %32s", v, c) != 2) {
        fprintf(stderr, "ids.txt malformed\n");
        exit(2);
    }
    for (int i = 0; i < 16; i++) {
        unsigned b;
        sscanf(v + 2 * i, "%2x", &b);
        vendor[i] = (uint8_t)b;
        sscanf(c + 2 * i, "%2x", &b);
        cls[i] = (uint8_t)b;
    }
    free(text);
}

void sim_init(struct sim *s, const char *fixtures, uint32_t align)
{
    /* bootstate 2 x 8 KiB banks, staging 72 sectors, deploy 75 sectors, nanoclr 32 sectors */
    sim_init_sized(s, fixtures, align, 72, 75);
}

static void sim_init_areas(struct sim *s, const char *fixtures, uint32_t align, const uint32_t sectors[BS_AREA_COUNT]);

void sim_init_sized(struct sim *s, const char *fixtures, uint32_t align, uint32_t staging_sectors, uint32_t deploy_sectors)
{
    const uint32_t sectors[BS_AREA_COUNT] = {4, staging_sectors, deploy_sectors, 32, 0, 0, 0};
    sim_init_areas(s, fixtures, align, sectors);
}

void sim_init_ab(struct sim *s, const char *fixtures, uint32_t align)
{
    sim_init_ab_sized(s, fixtures, align, 75);
}

void sim_init_ab_sized(struct sim *s, const char *fixtures, uint32_t align, uint32_t deploy_sectors)
{
    const uint32_t sectors[BS_AREA_COUNT] = {4, 8, deploy_sectors, 32, 0, deploy_sectors, 32};
    sim_init_areas(s, fixtures, align, sectors);
}

static void sim_init_areas(struct sim *s, const char *fixtures, uint32_t align, const uint32_t sectors[BS_AREA_COUNT])
{
    memset(s, 0, sizeof *s);
    uint32_t sizes[BS_AREA_COUNT];
    for (int a = 0; a < BS_AREA_COUNT; a++) sizes[a] = sectors[a] * SIM_SECTOR;
    if (host_flash_init_areas(&s->flash, sizes, SIM_SECTOR, align) != 0) {
        fprintf(stderr, "flash init failed\n");
        exit(2);
    }
    s->flash.reset = &s->reset;
    uint8_t vendor[16], cls[16];
    read_ids(fixtures, vendor, cls);
    char pub[1024];
    snprintf(pub, sizeof pub, "%s/vendor.pub.pem", fixtures);
    if (host_port_init(&s->hp, &s->flash, pub, vendor, cls) != 0) {
        exit(2);
    }
    size_t len;
    uint8_t *old = sim_read_file(fixtures, "old.bin", &len);
    memcpy(s->flash.mem + s->flash.area[BS_AREA_DEPLOY].offset, old, len);
    free(old);
    s->hp.counter = 6;
}

void sim_free(struct sim *s)
{
    host_port_free(&s->hp);
    host_flash_free(&s->flash);
}

struct host_staged sim_stage(struct sim *s, const char *fixtures, const char *name)
{
    size_t len;
    uint8_t *data = sim_read_file(fixtures, name, &len);
    struct host_staged st;
    long cut = s->flash.cut_at;
    s->flash.cut_at = -1;
    if (host_agent_stage(&s->hp.port, data, len, &st) != 0) {
        fprintf(stderr, "staging %s failed\n", name);
        exit(2);
    }
    s->flash.cut_at = cut;
    free(data);
    return st;
}

int sim_boot(struct sim *s, struct bs_decision *d)
{
    if (setjmp(s->reset) != 0) {
        return 0;
    }
    bs_boot(&s->hp.port, d);
    return 1;
}

struct bs_decision sim_boot_uncut(struct sim *s)
{
    struct bs_decision d;
    if (!sim_boot(s, &d)) {
        printf("unexpected power cut\n");
        exit(2);
    }
    return d;
}

int sim_confirm(struct sim *s)
{
    if (setjmp(s->reset) != 0) {
        return 0;
    }
    (void)bs_state_confirm(&s->hp.port);
    return 1;
}

void sim_save(const struct sim *s, struct sim_snapshot *snap)
{
    snap->len = s->flash.total;
    snap->mem = malloc(snap->len);
    memcpy(snap->mem, s->flash.mem, snap->len);
    snap->counter = s->hp.counter;
}

void sim_restore(struct sim *s, const struct sim_snapshot *snap)
{
    memcpy(s->flash.mem, snap->mem, snap->len);
    s->hp.counter = snap->counter;
    s->flash.ops = 0;
    s->flash.cut_at = -1;
    s->flash.tear = 0;
    s->flash.violations = 0;
}

int sim_parse_id(const char *id, char *scenario, size_t scenario_cap, int *torn, long cuts[8], int *ncuts)
{
    char kind[16];
    const char *p = strstr(id, "cuts=");
    const char *slash = strchr(id, '/');
    if (p == NULL || slash == NULL || (size_t)(slash - id) >= scenario_cap || sscanf(slash + 1, "%15[^/]/", kind) != 1) {
        return -1;
    }
    memcpy(scenario, id, (size_t)(slash - id));
    scenario[slash - id] = 0;
    *torn = strcmp(kind, "torn") == 0;
    *ncuts = 0;
    for (p += 5; *p && *ncuts < 8; (*ncuts)++) {
        char *end;
        cuts[*ncuts] = strtol(p, &end, 10);
        p = *end == ',' ? end + 1 : end;
        if (end == p && *p) break;
    }
    return 0;
}
