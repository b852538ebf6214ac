/* Test support: a simulated device (strict flash + host port) built from the fixtures. */
#ifndef BOOTSTAGE_TEST_SIM_H
#define BOOTSTAGE_TEST_SIM_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "bootstage/bs_boot.h"
#include "host_agent.h"
#include "host_flash.h"
#include "host_port.h"

#define SIM_SECTOR 4096u

struct sim {
    struct host_flash flash;
    struct host_port hp;
    jmp_buf reset;
};

/* Reads a whole file; exits with a message if it cannot. */
uint8_t *sim_read_file(const char *dir, const char *name, size_t *len);

/* A device whose deploy partition holds old.bin (seq 6, counter 6), nothing pending. */
void sim_init(struct sim *s, const char *fixtures, uint32_t align);

/* The same with other partition sizes (in sectors), for the benchmark's larger images. */
void sim_init_sized(struct sim *s, const char *fixtures, uint32_t align, uint32_t staging_sectors, uint32_t deploy_sectors);
/* An A/B board (docs/boot-protocol.md, "A/B slots"): deploy and deploy_b of 75 sectors, nanoclr and
 * nanoclr_b of 32, a staging area of 8 sectors for the header; old.bin in deploy (slot 0), slot 1
 * erased, counter 6, no record: a factory board. */
void sim_init_ab(struct sim *s, const char *fixtures, uint32_t align);
void sim_init_ab_sized(struct sim *s, const char *fixtures, uint32_t align, uint32_t deploy_sectors);
void sim_free(struct sim *s);

/* Stages a fixture data set like the agent would; returns the staged facts. */
struct host_staged sim_stage(struct sim *s, const char *fixtures, const char *name);

/* One boot; returns 1 if it completed (decision in *d), 0 if power was cut. */
int sim_boot(struct sim *s, struct bs_decision *d);

/* One boot that must not be cut (no cut is planned): exits with a message if it was. */
struct bs_decision sim_boot_uncut(struct sim *s);

/* The app confirms (the agent's write); returns 1 if it completed, 0 if power was cut. */
int sim_confirm(struct sim *s);

/* Parses a sweep's failure id "SCENARIO/clean|torn/cuts=A,B,..." (up to 8 cuts). 0 or -1. */
int sim_parse_id(const char *id, char *scenario, size_t scenario_cap, int *torn, long cuts[8], int *ncuts);

/* Snapshot / restore of flash + counter. */
struct sim_snapshot { uint8_t *mem; size_t len; uint64_t counter; };
void sim_save(const struct sim *s, struct sim_snapshot *snap);
void sim_restore(struct sim *s, const struct sim_snapshot *snap);

#endif
