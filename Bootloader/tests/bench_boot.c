/*
 * make bench, boot stage part: flash operations of one install (+ confirm) and of one revert, for a
 * 256 KiB and a 1 MiB image, measured on the host port; printed as rows of the benchmark table, each
 * against the image's size in sectors (the ratio is the cost per image sector).
 * Usage: bench_boot FIXTURES_DIR
 */
#include <stdio.h>
#include <string.h>

#include "sim.h"

static void row(const char *label, const char *metric, double value, const char *reference, double ref)
{
    printf("%-10s %-22s %-14s %12.1f %-28s %12.1f %8.2f\n", "bootstage", label, metric, value, reference, ref, value / ref);
}

static void measure(const char *fixtures, const char *dataset, const char *label)
{
    struct sim s;
    struct bs_decision d;
    char name[64];
    sim_init_sized(&s, fixtures, 4, 280, 272);
    struct host_staged st = sim_stage(&s, fixtures, dataset);
    double sectors = (st.image_size + SIM_SECTOR - 1) / SIM_SECTOR;
    host_flash_reset_stats(&s.flash);
    sim_boot(&s, &d);
    sim_confirm(&s);
    sim_boot(&s, &d);
    snprintf(name, sizeof name, "install %s", label);
    row(name, "erases", (double)s.flash.erases, "image sectors", sectors);
    row(name, "KiB programmed", s.flash.bytes_programmed / 1024.0, "image KiB", st.image_size / 1024.0);
    row(name, "KiB read", s.flash.bytes_read / 1024.0, "image KiB", st.image_size / 1024.0);
    sim_free(&s);

    sim_init_sized(&s, fixtures, 4, 280, 272);
    sim_stage(&s, fixtures, dataset);
    sim_boot(&s, &d); /* install, not confirmed */
    host_flash_reset_stats(&s.flash);
    sim_boot(&s, &d); /* revert */
    snprintf(name, sizeof name, "revert %s", label);
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
    measure(argv[1], "bench256k.suit", "256 KiB");
    measure(argv[1], "bench1m.suit", "1 MiB");
    return 0;
}
