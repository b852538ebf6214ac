/*
 * make bench, boot stage part: flash operations of one install (+ confirm) and of one revert, for a
 * 256 KiB and a 1 MiB image, measured on the host port, on a swap board and on an A/B board (where the
 * agent already wrote the image into its slot: the boot stage only reads it once and writes records);
 * printed as rows of the benchmark table, each against the image's size in sectors or KiB (the ratio
 * is the cost per image sector or byte). Plus what a boot with nothing pending reads.
 * Usage: bench_boot FIXTURES_DIR
 */
#include <stdio.h>
#include <string.h>

#include "sim.h"

static void row(const char *label, const char *metric, double value, const char *reference, double ref)
{
    printf("%-10s %-22s %-14s %12.1f %-28s %12.1f %8.2f\n", "bootstage", label, metric, value, reference, ref, value / ref);
}

/* A board of the kind asked for, ready to stage: a swap board, or an A/B board after its first boot. */
static void board(struct sim *s, const char *fixtures, int ab)
{
    struct bs_decision d;
    if (ab) {
        sim_init_ab_sized(s, fixtures, 4, 272);
        sim_boot(s, &d); /* the factory board's first boot writes its IDLE record */
    } else {
        sim_init_sized(s, fixtures, 4, 280, 272);
    }
}

/* The agent's staging is not counted: on an A/B board it already wrote the image into its slot. */
static void measure(const char *fixtures, const char *dataset, const char *label, int ab)
{
    struct sim s;
    struct bs_decision d;
    char name[64];
    const char *mode = ab ? "A/B " : "";
    board(&s, fixtures, ab);
    host_flash_reset_stats(&s.flash);
    sim_boot(&s, &d);
    snprintf(name, sizeof name, "idle boot, %s", ab ? "A/B" : "swap");
    row(name, "KiB read", s.flash.bytes_read / 1024.0, "sector KiB", SIM_SECTOR / 1024.0);
    struct host_staged st = sim_stage(&s, fixtures, dataset);
    double sectors = (st.image_size + SIM_SECTOR - 1) / SIM_SECTOR;
    host_flash_reset_stats(&s.flash);
    sim_boot(&s, &d);
    sim_confirm(&s);
    sim_boot(&s, &d);
    snprintf(name, sizeof name, "%sinstall %s", mode, label);
    row(name, "erases", (double)s.flash.erases, "image sectors", sectors);
    row(name, "KiB programmed", s.flash.bytes_programmed / 1024.0, "image KiB", st.image_size / 1024.0);
    row(name, "KiB read", s.flash.bytes_read / 1024.0, "image KiB", st.image_size / 1024.0);
    sim_free(&s);

    board(&s, fixtures, ab);
    sim_stage(&s, fixtures, dataset);
    sim_boot(&s, &d); /* installed, not confirmed */
    host_flash_reset_stats(&s.flash);
    sim_boot(&s, &d); /* revert */
    snprintf(name, sizeof name, "%srevert %s", mode, label);
    row(name, "erases", (double)s.flash.erases, "image sectors", sectors);
    row(name, "KiB programmed", s.flash.bytes_programmed / 1024.0, "image KiB", st.image_size / 1024.0);
    row(name, "KiB read", s.flash.bytes_read / 1024.0, "image KiB", st.image_size / 1024.0);
    sim_free(&s);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_boot FIXTURES_DIR\n");
        return 2;
    }
    for (int ab = 0; ab <= 1; ab++) {
        measure(argv[1], "bench256k.suit", "256 KiB", ab);
        measure(argv[1], "bench1m.suit", "1 MiB", ab);
    }
    return 0;
}
