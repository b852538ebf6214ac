#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sweep.h"

static void report(struct sweep_totals *t, const char *name, const long *cuts, int ncuts, int tear, const char *why)
{
    t->failures++;
    printf("FAIL id=%s/%s/cuts=", name, tear ? "torn" : "clean");
    for (int i = 0; i < ncuts; i++) printf(i ? ",%ld" : "%ld", cuts[i]);
    printf(": %s\n", why);
}

void sweep_all(sweep_run_fn run, const char *const names[2], long quick_stride, int multi_runs, unsigned seed, struct sweep_totals *t)
{
    long total[2];
    memset(t, 0, sizeof *t);
    for (int sc = 0; sc <= 1; sc++) {
        const char *why = run(sc, NULL, 0, 0, &total[sc]);
        if (why) {
            report(t, names[sc], NULL, 0, 0, why);
            total[sc] = 1;
            continue;
        }
        printf("%s: %ld flash operations uninterrupted\n", names[sc], total[sc]);
        for (long i = 1; i <= total[sc]; i += quick_stride) {
            for (int tear = 0; tear <= 1; tear++) {
                why = run(sc, &i, 1, tear, NULL);
                if (why) report(t, names[sc], &i, 1, tear, why);
                if (tear) t->torn++; else t->points++;
            }
        }
    }
    /* Several cuts in one update: seeded, so every failure id reproduces. */
    srand(seed);
    for (int r = 0; r < multi_runs; r++) {
        int sc = r % 2;
        long cuts[5];
        int n = 2 + rand() % 4;
        long at = 0;
        for (int k = 0; k < n; k++) {
            at += 1 + rand() % (total[sc] / n + 1);
            cuts[k] = at;
        }
        int tear = rand() % 2;
        const char *why = run(sc, cuts, n, tear, NULL);
        if (why) report(t, names[sc], cuts, n, tear, why);
        t->multi++;
    }
}

int sweep_one(sweep_run_fn run, const char *const names[2], const char *id)
{
    char sc_name[32];
    long cuts[8];
    int n = 0, torn = 0;
    if (sim_parse_id(id, sc_name, sizeof sc_name, &torn, cuts, &n) != 0) {
        fprintf(stderr, "--id: expected SCENARIO/clean|torn/cuts=A,B,...\n");
        return 2;
    }
    int sc = strcmp(sc_name, names[1]) == 0 ? 1 : 0;
    const char *why = run(sc, cuts, n, torn, NULL);
    printf("%s: %s\n", id, why ? why : "ok");
    return why ? 1 : 0;
}
