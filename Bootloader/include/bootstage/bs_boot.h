/*
 * The boot decision (docs/boot-protocol.md, "Boot"): called once per reset, before any application
 * code runs. It finishes or undoes whatever a reset interrupted, verifies and installs a staged data
 * set when the agent asked for it, reverts an image that did not confirm itself, and returns what
 * to boot. With nothing pending it reads only the boot-state area.
 */
#ifndef BOOTSTAGE_BS_BOOT_H
#define BOOTSTAGE_BS_BOOT_H

#include <stdint.h>

#include "bootstage/bs_port.h"

enum bs_action {
    BS_ACTION_NOTHING = 0,   /* nothing pending: boot the installed image */
    BS_ACTION_INSTALLED = 1, /* a new image was installed and is booted for testing */
    BS_ACTION_CONFIRMED = 2, /* the new image confirmed itself; the counter advanced */
    BS_ACTION_REVERTED = 3,  /* the new image was taken back out; the old one boots */
    BS_ACTION_REJECTED = 4,  /* the staged data set was refused; nothing changed */
    BS_ACTION_KEPT = 5,      /* could not revert (saved image corrupt): the new image stays */
    BS_ACTION_ERROR = 6,     /* a flash error stopped the boot stage; it will retry at the next reset */
    BS_ACTION_HALT = 7       /* recovery: no image the boot stage can verify is in place; the port must not
                              * start the application (docs/boot-protocol.md, "Threat model") */
};

/* Staging layout (docs/boot-protocol.md, "Staging"): sector 0 gap, image from sector 1, the envelope
 * header in the last BS_STAGING_HEADER_SECTORS(sector) sectors as [u32 LE length][header bytes]. */
#define BS_STAGING_HEADER_BYTES (4u + 4096u)

/* A/B boards (docs/boot-protocol.md, "A/B slots"): a component's slot as a bit, set = slot 1 (the
 * partitions deploy_b, nanoclr_b), clear = slot 0 (deploy, nanoclr). */
#define BS_SLOT_DEPLOY 0x01u
#define BS_SLOT_NANOCLR 0x02u

struct bs_decision {
    int action;
    int component;    /* BS_AREA_DEPLOY / BS_AREA_NANOCLR, or -1 */
    uint64_t seq;     /* sequence number of the image that boots */
    int reason;       /* bs_reason for REJECTED / REVERTED / KEPT / ERROR */
    /* A/B boards: the slots that boot (the port starts that firmware slot, the nanoCLR maps that
     * application slot) and the slots of the confirmed images. The application may write only the slots
     * that are neither (the port hands both to the nanoCLR, whose partition interop enforces it). Both
     * 0 on a swap board. */
    uint8_t slots;
    uint8_t home;
    int ab;           /* 1 on an A/B board */
};

int bs_boot(const struct bs_port *port, struct bs_decision *out);

/* Offset and size of the staging header region for a staging area of this geometry. */
int bs_staging_header_region(const struct bs_port *port, uint32_t *offset, uint32_t *capacity);

#endif /* BOOTSTAGE_BS_BOOT_H */
