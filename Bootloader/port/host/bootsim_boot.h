/*
 * One boot on the host port, as `bootsim boot` runs it and device-sim runs it in process
 * (libbootsim.so, bootsim_lib.c): the decision as one line, the exit code bootsim reports.
 */
#ifndef BOOTSIM_BOOT_H
#define BOOTSIM_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "host_flash.h"
#include "host_port.h"

/* The 4 MB board's partitions the update touches, in bootsim's flash-file order (docs/boot-protocol.md,
 * "Flash layout"; Bootloader/partitions/partitions_4mb.csv): bootsim's file and libbootsim's image. */
#define BOOTSIM_SECTOR 0x1000u
#define BOOTSIM_BOOTSTATE_SIZE 0x4000u
#define BOOTSIM_STAGING_SIZE 0x190000u
#define BOOTSIM_DEPLOY_SIZE 0xC0000u
#define BOOTSIM_NANOCLR_SIZE 0x180000u

/* What one boot did to the flash and with the crypto, as device-sim charges it (Esp32Model): sector
 * erases, 256-byte pages programmed, bytes read, bytes hashed, signatures checked. In this order in
 * libbootsim's stats array (int64_t: C# long whatever the platform's C long) and in `bootsim boot --stats`'s second line. */
enum { BOOTSIM_STAT_ERASES, BOOTSIM_STAT_PAGES, BOOTSIM_STAT_READ, BOOTSIM_STAT_HASHED, BOOTSIM_STAT_SIGNATURES, BOOTSIM_STAT_COUNT };

/* The statistics since hp's flash and port were set up (a cut boot: up to the cut). */
void bootsim_stats(const struct host_port *hp, int64_t stats[BOOTSIM_STAT_COUNT]);

/* bootsim's exit codes for a boot */
enum { BOOTSIM_OK = 0, BOOTSIM_ERROR = 1, BOOTSIM_POWER_CUT = 3, BOOTSIM_HALT = 4 };

/* Boots once on hp (its flash already loaded). cut_after >= 0 cuts the power at that many flash
 * operations (torn if tear). Writes the line ("boot: installed deploy seq=7 (testing)") into line. */
/* "deploy", "nanoclr" or "nanoclr+deploy" (a pair) for a record's or decision's component. */
const char *bootsim_component_name(int component);

int bootsim_boot_once(struct host_port *hp, long cut_after, int tear, char *line, size_t line_cap);

/* The same, and the decision itself into *out (not touched if the power was cut). */
struct bs_decision;
int bootsim_boot_decide(struct host_port *hp, long cut_after, int tear, char *line, size_t line_cap, struct bs_decision *out);

#endif /* BOOTSIM_BOOT_H */
