/*
 * The power-cut sweep both power-cut tests run (docs/boot-protocol.md, "Power-fail safety"): each of two
 * scenarios once uninterrupted to count its flash operations, then a cut before every operation and a
 * torn one, then seeded runs with 2 to 5 cuts; every failure printed with an id that `--id` re-runs.
 */
#ifndef BOOTSTAGE_TEST_SWEEP_H
#define BOOTSTAGE_TEST_SWEEP_H

/* One run of scenario sc with power cut at the given cumulative operation indexes (torn if tear);
 * NULL if the outcome is right, else why; *ops_out (if given) the operations of an uncut run. */
typedef const char *(*sweep_run_fn)(int sc, const long *cuts, int ncuts, int tear, long *ops_out);

struct sweep_totals { long points, torn, multi; int failures; };

/* The whole sweep over scenarios 0 and 1 (names[]); quick_stride > 1 samples every that-many operations. */
void sweep_all(sweep_run_fn run, const char *const names[2], long quick_stride, int multi_runs, unsigned seed, struct sweep_totals *out);

/* Re-runs the failure id "SCENARIO/clean|torn/cuts=A,B,..." and prints its outcome; the exit code. */
int sweep_one(sweep_run_fn run, const char *const names[2], const char *id);

#endif
