/*
 * The boot-state area (docs/boot-protocol.md, "Boot-state area"): two banks written alternately. A bank's
 * first sector holds 128-byte records (sequence number, CRC-32, and for records the boot stage writes an
 * HMAC-SHA256 under the port's state key) appended one after the other, the last valid one the bank's;
 * its further sectors an append-only progress log of 4-byte entries. Of the two banks' records the one
 * with the higher sequence number is current; a torn write leaves the bank's record before it.
 */
#ifndef BOOTSTAGE_BS_STATE_H
#define BOOTSTAGE_BS_STATE_H

#include <stdint.h>

#include "bootstage/bs_port.h"

#define BS_RECORD_SIZE 128u
#define BS_RECORD_MAGIC 0x31545342u /* "BST1" */

enum bs_state_value {
    BS_STATE_NONE = 0,       /* no valid record: a fresh device */
    BS_STATE_IDLE = 1,       /* nothing pending (boot stage) */
    BS_STATE_REQUESTED = 2,  /* the agent asks to install what it staged (agent) */
    BS_STATE_INSTALLING = 3, /* swap into the target in progress (boot stage) */
    BS_STATE_TESTING = 4,    /* new image booted once, unconfirmed (boot stage) */
    BS_STATE_CONFIRMED = 5,  /* the new image confirmed itself (agent) */
    BS_STATE_REVERTING = 6   /* swap back in progress (boot stage) */
};

enum bs_writer { BS_WRITER_BOOT = 1, BS_WRITER_AGENT = 2 };

/* Progress-log entry kinds: one entry per completed swap step (docs/boot-protocol.md, "Swap"). */
enum bs_step { BS_STEP_SAVED = 1, BS_STEP_DONE = 2, BS_STEP_BACK_SAVED = 3, BS_STEP_BACK_DONE = 4 };

struct bs_record {
    uint32_t seq;            /* bank generation */
    uint8_t state;
    uint8_t component;       /* BS_AREA_DEPLOY, BS_AREA_NANOCLR, or BS_COMPONENT_PAIR (nanoclr then deploy) */
    uint8_t reason;          /* bs_reason of the last decision */
    uint8_t writer;
    uint32_t image_sectors;  /* sectors swapped */
    uint32_t image_size;
    uint32_t progress_base;  /* swap steps completed before this bank's log (a full log continues in the other bank) */
    uint64_t image_seq;      /* manifest sequence number of the new image */
    uint64_t old_seq;        /* sequence number of the image it replaces */
    uint8_t old_digest[32];  /* SHA-256 of the target's swapped sectors before the install */
    uint32_t image_size2;    /* a pair: the second image's (deploy's) size; image_size is the firmware's */
    uint8_t slots;           /* A/B boards: the slot each component boots in this state (BS_SLOT_* bits set = slot 1) */
    uint8_t home;            /* A/B boards: the slots holding the images the counter's confirmation left in place */
};

struct bs_state {
    struct bs_record cur;
    struct bs_record prev;
    int cur_bank;            /* 0, 1, or -1 if no valid record */
    int prev_valid;
    uint32_t bank_size;
    uint32_t record_area;    /* the bank's first sector: its record slots; the log follows */
    uint8_t erased;          /* the flash's erased byte (bs_geometry.erased) */
    uint32_t entry_size;
    uint32_t log_valid;      /* valid entries in the current bank's log */
    uint32_t log_next_slot;  /* first erased slot */
    uint32_t log_capacity;
};

/* Loads both banks and the current bank's log. Returns 0 or BS_REASON_FLASH_ERROR. */
int bs_state_load(const struct bs_port *port, struct bs_state *st);

/* Writes rec (seq = current + 1) into the other bank (appended, or into the erased bank when its first
 * sector is full or rec starts a progress log), which becomes current with an empty log. */
int bs_state_write(const struct bs_port *port, struct bs_state *st, struct bs_record *rec, int writer);

/* The same into a chosen bank (0 or 1); the record's seq is above both banks'. */
int bs_state_write_bank(const struct bs_port *port, struct bs_state *st, struct bs_record *rec, int writer, int bank);

/* The bank holding the boot stage's newest record, or -1 if neither current nor previous is the boot stage's. */
int bs_state_boot_newest_bank(const struct bs_state *st);

/* Writes rec without touching the boot stage's newest record: into the other bank if the current record
 * is the boot stage's, else over the current (agent's) one. A torn write then loses at most the agent's
 * record, never the boot stage's last word (A/B boards rely on it to know which slots are confirmed;
 * the agent's requests and confirmations are written this way on both kinds of board). */
int bs_state_write_keeping_boot(const struct bs_port *port, struct bs_state *st, struct bs_record *rec, int writer);

/* Appends one progress entry; continues in the other bank when the log is full. */
int bs_state_log(const struct bs_port *port, struct bs_state *st, int kind, uint32_t index);

/* Completed swap steps: progress_base + valid log entries. */
uint32_t bs_state_steps(const struct bs_state *st);

/* The agent's side (written by the C# agent on the device, by bootsim and the tests on the host). */
int bs_state_request_install(const struct bs_port *port, int component, uint32_t image_size, uint64_t image_seq);
int bs_state_request_install_pair(const struct bs_port *port, int component, uint32_t image_size, uint32_t image_size2, uint64_t image_seq);
/* A/B boards: slots = the slot bits the request's images were written into (the agent writes the
 * slots that are neither confirmed nor booted, docs/boot-protocol.md "A/B slots"). */
int bs_state_request_install_slots(const struct bs_port *port, int component, uint32_t image_size, uint32_t image_size2,
                                   uint64_t image_seq, uint8_t slots);
int bs_state_confirm(const struct bs_port *port);

#endif /* BOOTSTAGE_BS_STATE_H */
