/* A boot-state bank is erased for a new record only where it must be: its first sector always, each
 * further sector only where it does not read erased (bs_state.c, erase_bank). Checked on the strict host
 * flash: a blank log sector costs no erase; a stale log entry or a torn erase left there is erased, and
 * the record written is current with an empty log either way. */
#include <stdio.h>
#include <string.h>

#include "bootstage/bs_state.h"
#include "sim.h"

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

/* Writes one agent record; returns the erases it cost and the bank it went to. */
static long write_record(struct sim *s, int *bank)
{
    struct bs_state st;
    CHECK(bs_state_load(&s->hp.port, &st) == 0, "load before the write");
    struct bs_record rec;
    memset(&rec, 0, sizeof rec);
    rec.state = BS_STATE_REQUESTED;
    rec.component = BS_AREA_DEPLOY;
    rec.image_size = 4096;
    rec.image_seq = 7;
    long before = s->flash.erases;
    CHECK(bs_state_write(&s->hp.port, &st, &rec, BS_WRITER_AGENT) == 0, "the write");
    *bank = st.cur_bank;
    struct bs_state again;
    CHECK(bs_state_load(&s->hp.port, &again) == 0 && again.cur_bank == *bank && again.cur.state == BS_STATE_REQUESTED,
          "the record written is current after a reload");
    CHECK(again.log_valid == 0 && again.log_next_slot == 0, "its log is empty (valid %u, next %u)", again.log_valid, again.log_next_slot);
    CHECK(s->flash.violations == 0, "no operation real flash would corrupt");
    return s->flash.erases - before;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_state_bank FIXTURES\n");
        return 2;
    }
    struct sim s;
    sim_init_ab(&s, argv[1], 4);
    const struct host_area *a = &s.flash.area[BS_AREA_BOOTSTATE];
    const uint32_t bank_size = a->size / 2;

    int bank;
    long erases = write_record(&s, &bank);
    CHECK(erases == 1, "a bank whose log sector reads erased costs one erase, not %ld", erases);

    /* A stale log entry in the other bank's second sector (from an earlier swap), then a torn erase. */
    const uint8_t stale[4] = {0x01, 0x02, 0x03, 0x00};
    for (int round = 0; round < 2; round++) {
        int other = 1 - bank;
        uint8_t *second = s.flash.mem + a->offset + (uint32_t)other * bank_size + SIM_SECTOR;
        if (round == 0) {
            memcpy(second + 100, stale, sizeof stale);
        } else {
            second[SIM_SECTOR - 1] = HOST_FLASH_TORN_BYTE;
        }
        int written;
        erases = write_record(&s, &written);
        CHECK(written == other, "the record goes into the other bank");
        CHECK(erases == 2, "round %d: a log sector not erased is erased (%ld erases)", round, erases);
        int blank = 1;
        for (uint32_t i = 0; i < SIM_SECTOR; i++) blank &= second[i] == 0xFF;
        CHECK(blank, "round %d: that sector reads erased afterwards", round);
        bank = written;
    }

    sim_free(&s);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("boot-state bank erases: blank log sector skipped, stale and torn ones erased\n");
    return 0;
}
