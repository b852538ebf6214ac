#include <string.h>

#include "bootstage/bs_hmac.h"
#include "bootstage/bs_result.h"
#include "bootstage/bs_state.h"
#include "bootstage/crc32.h"

/* Record layout, little-endian (docs/boot-protocol.md, "Record"). */
#define OFF_MAGIC 0
#define OFF_SEQ 4
#define OFF_STATE 8
#define OFF_COMPONENT 9
#define OFF_REASON 10
#define OFF_WRITER 11
#define OFF_SECTORS 12
#define OFF_SIZE 16
#define OFF_PROGRESS 20
#define OFF_IMAGE_SEQ 24
#define OFF_OLD_SEQ 32
#define OFF_OLD_DIGEST 40
#define OFF_MAC 72
#define MAC_LEN 16
#define OFF_SIZE2 88 /* the second image's size of a pair (BS_COMPONENT_PAIR), after the MAC field */
#define OFF_SLOTS 92 /* A/B boards: the booted slots (bit set = slot 1) */
#define OFF_HOME 93  /* A/B boards: the slots of the confirmed images */
#define OFF_AFTER_MAC 88
#define OFF_CRC 124
#define ENTRY_MIN 4u
#define ENTRY_MAX 64u

static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static void put64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static uint32_t get32(const uint8_t *p) { uint32_t v = 0; for (int i = 3; i >= 0; i--) v = (v << 8) | p[i]; return v; }
static uint64_t get64(const uint8_t *p) { uint64_t v = 0; for (int i = 7; i >= 0; i--) v = (v << 8) | p[i]; return v; }

/* The MAC covers every field: bytes 0..71 and 88..123 (all but the MAC itself and the CRC). */
static void record_mac(const struct bs_port *port, const uint8_t key[32], const uint8_t *rec, uint8_t mac[32])
{
    uint8_t covered[OFF_MAC + (OFF_CRC - OFF_AFTER_MAC)];
    memcpy(covered, rec, OFF_MAC);
    memcpy(covered + OFF_MAC, rec + OFF_AFTER_MAC, OFF_CRC - OFF_AFTER_MAC);
    bs_hmac_sha256(port, key, covered, sizeof covered, mac);
}

static void encode(const struct bs_port *port, const struct bs_record *r, int writer, uint8_t out[BS_RECORD_SIZE])
{
    memset(out, 0, BS_RECORD_SIZE);
    put32(out + OFF_MAGIC, BS_RECORD_MAGIC);
    put32(out + OFF_SEQ, r->seq);
    out[OFF_STATE] = r->state;
    out[OFF_COMPONENT] = r->component;
    out[OFF_REASON] = r->reason;
    out[OFF_WRITER] = (uint8_t)writer;
    put32(out + OFF_SECTORS, r->image_sectors);
    put32(out + OFF_SIZE, r->image_size);
    put32(out + OFF_PROGRESS, r->progress_base);
    put64(out + OFF_IMAGE_SEQ, r->image_seq);
    put64(out + OFF_OLD_SEQ, r->old_seq);
    memcpy(out + OFF_OLD_DIGEST, r->old_digest, 32);
    put32(out + OFF_SIZE2, r->image_size2);
    out[OFF_SLOTS] = r->slots;
    out[OFF_HOME] = r->home;
    if (writer == BS_WRITER_BOOT) {
        uint8_t key[32], mac[32];
        if (port->state_key(port->ctx, key) == 0) {
            record_mac(port, key, out, mac);
            memcpy(out + OFF_MAC, mac, MAC_LEN);
        }
        memset(key, 0, sizeof key);
    }
    put32(out + OFF_CRC, bs_crc32(out, OFF_CRC));
}

/* Returns 1 if the bytes are a record the boot stage may act on. */
static int decode(const struct bs_port *port, const uint8_t in[BS_RECORD_SIZE], struct bs_record *r)
{
    if (get32(in + OFF_MAGIC) != BS_RECORD_MAGIC || get32(in + OFF_CRC) != bs_crc32(in, OFF_CRC)) {
        return 0;
    }
    int writer = in[OFF_WRITER];
    int state = in[OFF_STATE];
    if (writer == BS_WRITER_BOOT) {
        if (state != BS_STATE_IDLE && state != BS_STATE_INSTALLING && state != BS_STATE_TESTING && state != BS_STATE_REVERTING) {
            return 0;
        }
        uint8_t key[32], mac[32];
        if (port->state_key(port->ctx, key) != 0) {
            return 0;
        }
        record_mac(port, key, in, mac);
        memset(key, 0, sizeof key);
        uint8_t diff = 0;
        for (int i = 0; i < MAC_LEN; i++) {
            diff |= (uint8_t)(mac[i] ^ in[OFF_MAC + i]);
        }
        if (diff != 0) {
            return 0; /* forged by someone without the state key: ignored */
        }
    } else if (writer == BS_WRITER_AGENT) {
        if (state != BS_STATE_REQUESTED && state != BS_STATE_CONFIRMED) {
            return 0; /* the agent may only request or confirm */
        }
    } else {
        return 0;
    }
    r->seq = get32(in + OFF_SEQ);
    r->state = (uint8_t)state;
    r->component = in[OFF_COMPONENT];
    r->reason = in[OFF_REASON];
    r->writer = (uint8_t)writer;
    r->image_sectors = get32(in + OFF_SECTORS);
    r->image_size = get32(in + OFF_SIZE);
    r->progress_base = get32(in + OFF_PROGRESS);
    r->image_seq = get64(in + OFF_IMAGE_SEQ);
    r->old_seq = get64(in + OFF_OLD_SEQ);
    memcpy(r->old_digest, in + OFF_OLD_DIGEST, 32);
    r->image_size2 = get32(in + OFF_SIZE2);
    r->slots = in[OFF_SLOTS];
    r->home = in[OFF_HOME];
    return 1;
}

static int entry_valid(const uint8_t *e) { return e[3] == (uint8_t)~(e[0] ^ e[1] ^ e[2]) && e[0] >= BS_STEP_SAVED && e[0] <= BS_STEP_BACK_DONE; }

static int geometry(const struct bs_port *port, struct bs_state *st, struct bs_geometry *g)
{
    if (port->geometry(port->ctx, BS_AREA_BOOTSTATE, g) != 0 || g->sector_size == 0) {
        return BS_REASON_FLASH_ERROR;
    }
    /* Two banks; each bank's first sector holds its records (appended one after the other, no erase
     * per record), the sectors after it the progress log, which must hold some entries. */
    st->bank_size = (g->size / 2) / g->sector_size * g->sector_size;
    st->record_area = g->sector_size;
    st->erased = g->erased;
    st->entry_size = g->write_align < ENTRY_MIN ? ENTRY_MIN : g->write_align;
    if (st->record_area % BS_RECORD_SIZE != 0 || st->bank_size < st->record_area + 16 * st->entry_size || st->entry_size > ENTRY_MAX
        || BS_RECORD_SIZE % st->entry_size != 0) {
        return BS_REASON_FLASH_ERROR;
    }
    st->log_capacity = (st->bank_size - st->record_area) / st->entry_size;
    return 0;
}

static int blank_bytes(const uint8_t *p, uint32_t n, uint8_t erased)
{
    for (uint32_t i = 0; i < n; i++) {
        if (p[i] != erased) return 0;
    }
    return 1;
}

/* A bank's record: the valid one in the last slot written before the first erased slot (records are
 * appended in order, so a later slot is a later write; a torn one is invalid and the slot before it
 * stays the bank's). Reads one slot more than the bank holds records, at most its first sector. */
static int load_bank(const struct bs_port *port, const struct bs_state *st, int bank, struct bs_record *out, int *valid)
{
    uint8_t raw[BS_RECORD_SIZE];
    *valid = 0;
    for (uint32_t slot = 0; slot < st->record_area / BS_RECORD_SIZE; slot++) {
        if (port->read(port->ctx, BS_AREA_BOOTSTATE, (uint32_t)bank * st->bank_size + slot * BS_RECORD_SIZE, raw, BS_RECORD_SIZE) != 0) {
            return BS_REASON_FLASH_ERROR;
        }
        if (blank_bytes(raw, BS_RECORD_SIZE, st->erased)) {
            break;
        }
        struct bs_record r;
        if (decode(port, raw, &r)) {
            *out = r;
            *valid = 1;
        }
    }
    return 0;
}

static int scan_log(const struct bs_port *port, struct bs_state *st)
{
    uint8_t chunk[256];
    uint32_t per_chunk = sizeof chunk / st->entry_size;
    uint32_t base = (uint32_t)st->cur_bank * st->bank_size + st->record_area;
    st->log_valid = 0;
    st->log_next_slot = st->log_capacity;
    for (uint32_t slot = 0; slot < st->log_capacity; slot += per_chunk) {
        uint32_t n = st->log_capacity - slot < per_chunk ? st->log_capacity - slot : per_chunk;
        if (port->read(port->ctx, BS_AREA_BOOTSTATE, base + slot * st->entry_size, chunk, n * st->entry_size) != 0) {
            return BS_REASON_FLASH_ERROR;
        }
        for (uint32_t k = 0; k < n; k++) {
            const uint8_t *e = chunk + k * st->entry_size;
            int blank = 1;
            for (uint32_t b = 0; b < st->entry_size; b++) {
                blank &= e[b] == st->erased;
            }
            if (blank) {
                st->log_next_slot = slot + k;
                return 0;
            }
            if (entry_valid(e)) {
                st->log_valid++;
            } /* else: a torn entry; its slot is used up, the step counts as not done */
        }
    }
    return 0;
}

int bs_state_load(const struct bs_port *port, struct bs_state *st)
{
    struct bs_geometry g;
    memset(st, 0, sizeof *st);
    st->cur_bank = -1;
    int r = geometry(port, st, &g);
    if (r != 0) {
        return r;
    }
    struct bs_record rec[2];
    int valid[2];
    for (int b = 0; b < 2; b++) {
        r = load_bank(port, st, b, &rec[b], &valid[b]);
        if (r != 0) {
            return r;
        }
    }
    int cur = -1;
    if (valid[0] && valid[1]) {
        cur = (int32_t)(rec[1].seq - rec[0].seq) > 0 ? 1 : 0;
    } else if (valid[0] || valid[1]) {
        cur = valid[0] ? 0 : 1;
    }
    if (cur < 0) {
        st->cur.state = BS_STATE_NONE;
        return 0;
    }
    st->cur_bank = cur;
    st->cur = rec[cur];
    st->prev_valid = valid[1 - cur];
    if (st->prev_valid) {
        st->prev = rec[1 - cur];
    }
    if (st->cur.state == BS_STATE_INSTALLING || st->cur.state == BS_STATE_REVERTING) {
        return scan_log(port, st);
    }
    return 0;
}

int bs_state_write(const struct bs_port *port, struct bs_state *st, struct bs_record *rec, int writer)
{
    return bs_state_write_bank(port, st, rec, writer, st->cur_bank == 0 ? 1 : 0);
}

int bs_state_boot_newest_bank(const struct bs_state *st)
{
    if (st->cur_bank < 0) return -1;
    if (st->cur.writer == BS_WRITER_BOOT) return st->cur_bank;
    return st->prev_valid && st->prev.writer == BS_WRITER_BOOT ? 1 - st->cur_bank : -1;
}

int bs_state_write_keeping_boot(const struct bs_port *port, struct bs_state *st, struct bs_record *rec, int writer)
{
    int keep = bs_state_boot_newest_bank(st);
    return bs_state_write_bank(port, st, rec, writer, keep < 0 ? (st->cur_bank == 0 ? 1 : 0) : 1 - keep);
}

/* Whether len bytes at off of the boot-state area all read erased. */
static int area_blank(const struct bs_port *port, const struct bs_state *st, uint32_t off, uint32_t len)
{
    uint8_t chunk[256];
    for (uint32_t at = 0; at < len; at += sizeof chunk) {
        uint32_t n = len - at < sizeof chunk ? len - at : (uint32_t)sizeof chunk;
        if (port->read(port->ctx, BS_AREA_BOOTSTATE, off + at, chunk, n) != 0) {
            return -1;
        }
        if (!blank_bytes(chunk, n, st->erased)) {
            return 0;
        }
    }
    return 1;
}

/* Erases a bank for a new record: its first sector (the records) always; each
 * further sector only where it does not read erased. Only a swap writes the log, so on an A/B board and
 * between swaps those sectors stay erased, and erasing them again cost 45 ms each for nothing (MCUboot
 * decides the same way, flash_area_read_is_empty). A sector torn by a cut erase reads not erased
 * (TornEraseValue in the strict flash) and is erased. The bank written is never one whose record is
 * still needed (bs_state_write_keeping_boot), so the order of these erases does not matter. */
static int erase_bank(const struct bs_port *port, const struct bs_state *st, int bank)
{
    /* The record area is the bank's first sector (geometry), so it is also the sector size. */
    uint32_t sector = st->record_area, base = (uint32_t)bank * st->bank_size;
    if (sector == 0 || port->erase(port->ctx, BS_AREA_BOOTSTATE, base, sector) != 0) {
        return -1;
    }
    for (uint32_t off = sector; off < st->bank_size; off += sector) {
        int blank = area_blank(port, st, base + off, sector);
        if (blank < 0 || (!blank && port->erase(port->ctx, BS_AREA_BOOTSTATE, base + off, sector) != 0)) {
            return -1;
        }
    }
    return 0;
}

/* The slot of bank a record can be appended at without an erase: the one after the last slot that does
 * not read erased (a torn record's slot is used up). -1 if the first sector is full; -2 on a read error. */
static int free_slot(const struct bs_port *port, const struct bs_state *st, int bank)
{
    uint8_t raw[BS_RECORD_SIZE];
    uint32_t slots = st->record_area / BS_RECORD_SIZE, next = 0;
    for (uint32_t slot = 0; slot < slots; slot++) {
        if (port->read(port->ctx, BS_AREA_BOOTSTATE, (uint32_t)bank * st->bank_size + slot * BS_RECORD_SIZE, raw, BS_RECORD_SIZE) != 0) {
            return -2;
        }
        if (!blank_bytes(raw, BS_RECORD_SIZE, st->erased)) {
            next = slot + 1;
        }
    }
    return next < slots ? (int)next : -1;
}

int bs_state_write_bank(const struct bs_port *port, struct bs_state *st, struct bs_record *rec, int writer, int bank)
{
    /* Higher than both banks' records: the written one is current whichever bank it replaced. */
    uint32_t top = st->cur_bank < 0 ? 0u : st->cur.seq;
    rec->seq = top + 1u;
    rec->writer = (uint8_t)writer;
    uint8_t raw[BS_RECORD_SIZE];
    encode(port, rec, writer, raw);
    /* Appended after the bank's records when its first sector has room: no erase (45 ms and a cycle of
     * wear less per record), and a torn write leaves the bank's record before it. A record that starts
     * a progress log (INSTALLING, REVERTING) always gets an erased bank: its log must be empty. */
    int slot = rec->state == BS_STATE_INSTALLING || rec->state == BS_STATE_REVERTING ? -1 : free_slot(port, st, bank);
#ifdef BS_PLANTED_BUG_AB_OVERWRITE_HOME /* test_powercut_ab_planted: every record erases its bank first */
    slot = slot == -2 ? -2 : -1;
#endif
    if (slot == -2 || (slot < 0 && erase_bank(port, st, bank) != 0)) {
        return BS_REASON_FLASH_ERROR;
    }
    if (slot < 0) {
        slot = 0;
    }
    if (port->program(port->ctx, BS_AREA_BOOTSTATE, (uint32_t)bank * st->bank_size + (uint32_t)slot * BS_RECORD_SIZE, raw, BS_RECORD_SIZE) != 0) {
        return BS_REASON_FLASH_ERROR;
    }
    if (bank != st->cur_bank) {
        st->prev = st->cur;
        st->prev_valid = st->cur_bank >= 0;
    } /* else the other bank (prev) is untouched */
    st->cur = *rec;
    st->cur_bank = bank;
    st->log_valid = 0;
    st->log_next_slot = 0;
    return 0;
}

uint32_t bs_state_steps(const struct bs_state *st) { return st->cur.progress_base + st->log_valid; }

int bs_state_log(const struct bs_port *port, struct bs_state *st, int kind, uint32_t index)
{
    if (st->log_next_slot >= st->log_capacity) {
        /* Full: continue in the other bank with the progress so far as its base. */
        struct bs_record cont = st->cur;
        cont.progress_base = bs_state_steps(st);
        int r = bs_state_write(port, st, &cont, BS_WRITER_BOOT);
        if (r != 0) {
            return r;
        }
    }
    uint8_t e[ENTRY_MAX];
    memset(e, 0, st->entry_size);
    e[0] = (uint8_t)kind;
    e[1] = (uint8_t)index;
    e[2] = (uint8_t)(index >> 8);
    e[3] = (uint8_t)~(e[0] ^ e[1] ^ e[2]);
    uint32_t off = (uint32_t)st->cur_bank * st->bank_size + st->record_area + st->log_next_slot * st->entry_size;
    st->log_next_slot++; /* the slot is used even if the write fails */
    if (port->program(port->ctx, BS_AREA_BOOTSTATE, off, e, st->entry_size) != 0) {
        return BS_REASON_FLASH_ERROR;
    }
    st->log_valid++;
    return 0;
}

int bs_state_request_install(const struct bs_port *port, int component, uint32_t image_size, uint64_t image_seq)
{
    return bs_state_request_install_pair(port, component, image_size, 0, image_seq);
}

int bs_state_request_install_pair(const struct bs_port *port, int component, uint32_t image_size, uint32_t image_size2, uint64_t image_seq)
{
    return bs_state_request_install_slots(port, component, image_size, image_size2, image_seq, 0);
}

int bs_state_request_install_slots(const struct bs_port *port, int component, uint32_t image_size, uint32_t image_size2,
                                   uint64_t image_seq, uint8_t slots)
{
    struct bs_state st;
    int r = bs_state_load(port, &st);
    if (r != 0) {
        return r;
    }
    struct bs_record rec;
    memset(&rec, 0, sizeof rec);
    rec.state = BS_STATE_REQUESTED;
    rec.component = (uint8_t)component;
    rec.image_size = image_size;
    rec.image_size2 = image_size2;
    rec.image_seq = image_seq;
    rec.slots = slots;
    return bs_state_write_keeping_boot(port, &st, &rec, BS_WRITER_AGENT);
}

int bs_state_confirm(const struct bs_port *port)
{
    struct bs_state st;
    int r = bs_state_load(port, &st);
    if (r != 0) {
        return r;
    }
    if (st.cur.state != BS_STATE_TESTING) {
        return BS_REASON_BAD_REQUEST; /* nothing to confirm */
    }
    struct bs_record rec = st.cur;
    rec.state = BS_STATE_CONFIRMED;
    rec.progress_base = 0;
    return bs_state_write_keeping_boot(port, &st, &rec, BS_WRITER_AGENT);
}
