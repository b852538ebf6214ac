/*
 * Host port, flash: a strict NOR model in memory (docs/boot-protocol.md, "Host port"). It refuses
 * what real flash would corrupt (programming a byte that is not erased, unaligned writes, partial
 * sector erases) and can cut power before, or tear, the N-th program/erase: the power-cut tests and
 * `bootsim --cut-after` use this. A cut longjmps to the caller's reset point, like a real reset.
 */
#ifndef HOST_FLASH_H
#define HOST_FLASH_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "bootstage/bs_port.h"

struct host_area {
    uint32_t offset; /* in the flash image */
    uint32_t size;
    uint32_t sector_size;
    uint32_t write_align;
};

struct host_flash {
    uint8_t *mem;
    size_t total;
    struct host_area area[BS_AREA_COUNT];
    /* fault injection */
    long ops;        /* program + erase operations started so far */
    long cut_at;     /* cut power at this operation (1-based), or -1 */
    int tear;        /* 1: the cut operation is left half done instead of not done */
    jmp_buf *reset;  /* where a cut jumps */
    int violations;  /* operations real flash would corrupt (must stay 0) */
    /* statistics */
    long erases, programs, bytes_programmed, bytes_read;
    long pages_programmed; /* 256-byte program pages touched: what a NOR part's page-program time is paid per */
    long area_bytes_read[BS_AREA_COUNT];
};

/* The layout used by the tests and bootsim: 4 KiB sectors; sizes in bytes. */
int host_flash_init(struct host_flash *f, uint32_t bootstate, uint32_t staging, uint32_t deploy, uint32_t nanoclr, uint32_t sector, uint32_t align);
/* Any layout: sizes per area (BS_AREA_*), the B slots 0 where the board has none; areas back to back in
 * area order in the flash image. */
int host_flash_init_areas(struct host_flash *f, const uint32_t sizes[BS_AREA_COUNT], uint32_t sector, uint32_t align);
void host_flash_free(struct host_flash *f);
void host_flash_reset_stats(struct host_flash *f);

int host_flash_geometry(void *ctx, int area, struct bs_geometry *out);
int host_flash_read(void *ctx, int area, uint32_t offset, void *buf, uint32_t len);
int host_flash_program(void *ctx, int area, uint32_t offset, const void *buf, uint32_t len);
int host_flash_erase(void *ctx, int area, uint32_t offset, uint32_t len);

/* A NOR flash programs at most one 256-byte page per command (W25Q32JV datasheet 8.2.13, Page Program). */
#define HOST_FLASH_PAGE 256u

/* The byte a torn erase leaves in the half it did not erase. */
#define HOST_FLASH_TORN_BYTE 0xA5

#endif /* HOST_FLASH_H */
