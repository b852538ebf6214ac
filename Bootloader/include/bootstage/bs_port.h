/*
 * The boot stage's only view of the hardware (docs/boot-protocol.md, "Port interface"). The core
 * calls nothing else: no heap, no I/O, no libc beyond memcpy/memset/memcmp. A port supplies flash
 * access with area-relative offsets and queried geometry, SHA-256, ECDSA P-256 verification with the
 * vendor key it trusts, the anti-rollback counter, and the key that authenticates boot-state records.
 */
#ifndef BOOTSTAGE_BS_PORT_H
#define BOOTSTAGE_BS_PORT_H

#include <stddef.h>
#include <stdint.h>

/* Flash areas (partitions) the boot stage uses. */
enum bs_area {
    BS_AREA_BOOTSTATE = 0, /* two banks of boot-state records */
    BS_AREA_STAGING = 1,   /* what the agent staged: gap sector, image, envelope header */
    BS_AREA_DEPLOY = 2,    /* component "deploy": the managed application */
    BS_AREA_NANOCLR = 3,   /* component "nanoclr": the firmware (slot 0 of an A/B board) */
    /* 4 is not an area: it is BS_COMPONENT_PAIR in records and manifests (bs_suit.h). */
    BS_AREA_DEPLOY_B = 5,  /* an A/B board's second application slot (docs/boot-protocol.md, "A/B slots") */
    BS_AREA_NANOCLR_B = 6, /* an A/B board's second firmware slot */
    BS_AREA_COUNT = 7
};

struct bs_geometry {
    uint32_t size;        /* bytes */
    uint32_t sector_size; /* erase unit */
    uint32_t write_align; /* program unit (1, 4, 16, ...) */
    uint8_t erased;       /* value of an erased byte */
};

/* Every function returns 0 on success, non-zero on failure. */
struct bs_port {
    void *ctx;
    /* An area the board does not have (a swap board's B slots) fails, or reports size 0. */
    int (*geometry)(void *ctx, int area, struct bs_geometry *out);
    int (*read)(void *ctx, int area, uint32_t offset, void *buf, uint32_t len);
    int (*program)(void *ctx, int area, uint32_t offset, const void *buf, uint32_t len);
    int (*erase)(void *ctx, int area, uint32_t offset, uint32_t len);

    /* One SHA-256 computation at a time (the core never interleaves two). */
    void (*sha256_start)(void *ctx);
    void (*sha256_update)(void *ctx, const void *data, size_t len);
    void (*sha256_finish)(void *ctx, uint8_t digest[32]);

    /* ECDSA P-256 over a SHA-256 digest with the vendor key built into (or anchored by) the boot stage.
     * sig is r || s. Returns 0 only if the signature verifies. */
    int (*ecdsa_p256_verify)(void *ctx, const uint8_t digest[32], const uint8_t sig[64]);

    /* Anti-rollback counter: the sequence number of the newest confirmed image. Advancing never lowers it. */
    int (*counter_read)(void *ctx, uint64_t *value);
    int (*counter_advance)(void *ctx, uint64_t value);

    /* 32-byte secret for the MAC of records the boot stage writes; unreadable by the application. */
    int (*state_key)(void *ctx, uint8_t key[32]);

    /* This device's identity: vendor-id and class-id (UUIDs) a data set must name. */
    uint8_t vendor_id[16];
    uint8_t class_id[16];
};

#endif /* BOOTSTAGE_BS_PORT_H */
