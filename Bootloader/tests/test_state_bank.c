/* Boot-state records are appended in a bank's first sector and a bank is erased only when it must be
 * (bs_state.c, bs_state_write_bank, free_slot, erase_bank). Checked on the strict host flash:
 * - a record goes after the bank's last record with no erase, until the sector is full;
 * - a full bank is erased: its first sector always, a further (log) sector only where it does not read
 *   erased: a blank one costs nothing, a stale log entry or a torn erase left there is erased;
 * - a torn record is not the bank's record (the one before it is) and its slot is used up;
 * - a record that starts a progress log (INSTALLING) always gets an erased bank, its log empty.
 * Every write leaves the written record current after a reload, with an empty log, and no operation
 * real flash would corrupt. */
#include <stdio.h>
#include <string.h>

#include "bootstage/bs_state.h"
#include "sim.h"

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

#define SLOTS (SIM_SECTOR / BS_RECORD_SIZE)

/* Writes one record of that state (a boot-stage one for INSTALLING); returns the erases it cost and the bank. */
static long write_record(struct sim *s, int state, uint64_t image_seq, int *bank)
{
    struct bs_state st;
    CHECK(bs_state_load(&s->hp.port, &st) == 0, "load before the write");
    struct bs_record rec;
    memset(&rec, 0, sizeof rec);
    rec.state = (uint8_t)state;
    rec.component = BS_AREA_DEPLOY;
    rec.image_size = 4096;
    rec.image_seq = image_seq;
    long before = s->flash.erases;
    CHECK(bs_state_write(&s->hp.port, &st, &rec, state == BS_STATE_INSTALLING ? BS_WRITER_BOOT : BS_WRITER_AGENT) == 0, "the write");
    *bank = st.cur_bank;
    struct bs_state again;
    CHECK(bs_state_load(&s->hp.port, &again) == 0 && again.cur_bank == *bank && again.cur.state == state && again.cur.image_seq == image_seq,
          "the record written is current after a reload");
    CHECK(again.log_valid == 0, "its log is empty (valid %u)", again.log_valid);
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
    uint64_t seq = 100;

    /* Each bank takes SLOTS records before it needs an erase; the writes alternate between the banks. */
    int bank = -1, first = -1;
    long erases = 0;
    for (int i = 0; i < 2 * (int)SLOTS; i++) {
        int written;
        erases += write_record(&s, BS_STATE_REQUESTED, ++seq, &written);
        CHECK(bank < 0 || written == 1 - bank, "write %d goes into the other bank", i);
        if (first < 0) first = written;
        bank = written;
    }
    CHECK(erases == 0, "%u records into each bank cost no erase (%ld)", SLOTS, erases);

    /* Both banks full: the next record erases the other bank's first sector only (its log sector is blank). */
    int written;
    erases = write_record(&s, BS_STATE_REQUESTED, ++seq, &written);
    CHECK(erases == 1 && written == 1 - bank, "a full bank whose log sector reads erased costs one erase, not %ld", erases);
    bank = written;

    /* A torn record in the next slot of the other bank: not its record, its slot used up. */
    int other = 1 - bank;
    struct bs_state st;
    CHECK(bs_state_load(&s.hp.port, &st) == 0, "load");
    uint64_t other_seq = st.prev.image_seq;
    uint8_t *first_sector = s.flash.mem + a->offset + (uint32_t)other * bank_size;
    int used = 0;
    while (used < (int)SLOTS && first_sector[used * BS_RECORD_SIZE] != 0xFF) used++;
    CHECK(used == (int)SLOTS, "the other bank is full (%d records)", used);
    uint8_t *cur_sector = s.flash.mem + a->offset + (uint32_t)bank * bank_size;
    memcpy(cur_sector + BS_RECORD_SIZE, "BST1", 4); /* half a record: magic, nothing else */
    CHECK(bs_state_load(&s.hp.port, &st) == 0 && st.cur_bank == bank && st.cur.image_seq == seq && st.prev.image_seq == other_seq,
          "a torn record after the bank's record changes nothing");
    erases = write_record(&s, BS_STATE_REQUESTED, ++seq, &written); /* into the other (full) bank: erased */
    CHECK(erases == 1 && written == other, "the full other bank is erased (%ld)", erases);
    erases = write_record(&s, BS_STATE_REQUESTED, ++seq, &written); /* back into the bank with the torn slot */
    CHECK(erases == 0 && written == bank, "appended after the torn slot, no erase (%ld)", erases);
    CHECK(cur_sector[2 * BS_RECORD_SIZE] != 0xFF, "the torn slot is skipped: the record is in slot 2");
    bank = written;

    /* A stale log entry (from an earlier swap), then a torn erase, in the other bank's second sector:
     * INSTALLING always gets an erased bank, and that sector is erased too. */
    const uint8_t stale[4] = {0x01, 0x02, 0x03, 0x00};
    for (int round = 0; round < 2; round++) {
        other = 1 - bank;
        uint8_t *second = s.flash.mem + a->offset + (uint32_t)other * bank_size + SIM_SECTOR;
        if (round == 0) {
            memcpy(second + 100, stale, sizeof stale);
        } else {
            second[SIM_SECTOR - 1] = HOST_FLASH_TORN_BYTE;
        }
        erases = write_record(&s, BS_STATE_INSTALLING, ++seq, &written);
        CHECK(written == other, "the record goes into the other bank");
        CHECK(erases == 2, "round %d: INSTALLING erases the bank, and its log sector not read erased (%ld erases)", round, erases);
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
    printf("boot-state banks: %u records per bank appended without an erase; full, torn and log-starting cases checked\n", SLOTS);
    return 0;
}
