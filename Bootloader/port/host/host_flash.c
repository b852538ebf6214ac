#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_flash.h"

int host_flash_init(struct host_flash *f, uint32_t bootstate, uint32_t staging, uint32_t deploy, uint32_t nanoclr, uint32_t sector, uint32_t align)
{
    const uint32_t sizes[BS_AREA_COUNT] = {bootstate, staging, deploy, nanoclr, 0, 0, 0};
    return host_flash_init_areas(f, sizes, sector, align);
}

int host_flash_init_areas(struct host_flash *f, const uint32_t sizes[BS_AREA_COUNT], uint32_t sector, uint32_t align)
{
    memset(f, 0, sizeof *f);
    uint32_t offset = 0;
    for (int a = 0; a < BS_AREA_COUNT; a++) {
        int optional = a > BS_AREA_NANOCLR; /* the B slots; 4 is no area at all */
        if ((sizes[a] == 0 && !optional) || sizes[a] % sector != 0 || (a == 4 && sizes[a] != 0)) {
            return -1;
        }
        f->area[a].offset = offset;
        f->area[a].size = sizes[a];
        f->area[a].sector_size = sector;
        f->area[a].write_align = align;
        offset += sizes[a];
    }
    f->total = offset;
    f->mem = malloc(f->total);
    if (f->mem == NULL) {
        return -1;
    }
    memset(f->mem, 0xFF, f->total);
    f->cut_at = -1;
    return 0;
}

void host_flash_free(struct host_flash *f)
{
    free(f->mem);
    f->mem = NULL;
}

void host_flash_reset_stats(struct host_flash *f)
{
    f->erases = f->programs = f->bytes_programmed = f->bytes_read = f->pages_programmed = 0;
    memset(f->area_bytes_read, 0, sizeof f->area_bytes_read);
}

static int in_area(const struct host_flash *f, int area, uint32_t offset, uint32_t len)
{
    return area >= 0 && area < BS_AREA_COUNT && f->area[area].size > 0 && offset <= f->area[area].size && len <= f->area[area].size - offset;
}

int host_flash_geometry(void *ctx, int area, struct bs_geometry *out)
{
    struct host_flash *f = ctx;
    if (area < 0 || area >= BS_AREA_COUNT || f->area[area].size == 0) {
        return -1; /* not on this board */
    }
    out->size = f->area[area].size;
    out->sector_size = f->area[area].sector_size;
    out->write_align = f->area[area].write_align;
    out->erased = 0xFF;
    return 0;
}

int host_flash_read(void *ctx, int area, uint32_t offset, void *buf, uint32_t len)
{
    struct host_flash *f = ctx;
    if (!in_area(f, area, offset, len)) {
        f->violations++;
        return -1;
    }
    memcpy(buf, f->mem + f->area[area].offset + offset, len);
    f->bytes_read += len;
    f->area_bytes_read[area] += len;
    return 0;
}

/* Counts the operation; returns 1 if power is cut now (after tearing the operation if asked). */
static int cut_now(struct host_flash *f)
{
    f->ops++;
    return f->cut_at >= 0 && f->ops == f->cut_at;
}

int host_flash_program(void *ctx, int area, uint32_t offset, const void *buf, uint32_t len)
{
    struct host_flash *f = ctx;
    uint32_t align = f->area[area < 0 || area >= BS_AREA_COUNT ? 0 : area].write_align;
    if (!in_area(f, area, offset, len) || offset % align != 0 || len % align != 0) {
        f->violations++;
        return -1;
    }
    uint8_t *dst = f->mem + f->area[area].offset + offset;
    for (uint32_t i = 0; i < len; i++) {
        if (dst[i] != 0xFF) {
            f->violations++; /* NOR flash would AND the bits: a writer that forgot an erase */
            return -1;
        }
    }
    if (cut_now(f)) {
        if (f->tear) {
            uint32_t landed = len / 2 - (len / 2) % align;
            memcpy(dst, buf, landed);
        }
        longjmp(*f->reset, 1);
    }
    memcpy(dst, buf, len);
    f->programs++;
    f->bytes_programmed += len;
    if (len > 0) {
        f->pages_programmed += (long)((offset + len - 1) / HOST_FLASH_PAGE - offset / HOST_FLASH_PAGE + 1);
    }
    return 0;
}

int host_flash_erase(void *ctx, int area, uint32_t offset, uint32_t len)
{
    struct host_flash *f = ctx;
    if (!in_area(f, area, offset, len) || offset % f->area[area].sector_size != 0 || len % f->area[area].sector_size != 0) {
        f->violations++;
        return -1;
    }
    uint8_t *dst = f->mem + f->area[area].offset + offset;
    uint32_t sector = f->area[area].sector_size;
    for (uint32_t s = 0; s < len; s += sector) {
        if (cut_now(f)) {
            if (f->tear) {
                /* half erased, half neither old nor erased */
                memset(dst + s, 0xFF, sector / 2);
                memset(dst + s + sector / 2, HOST_FLASH_TORN_BYTE, sector - sector / 2);
            }
            longjmp(*f->reset, 1);
        }
        memset(dst + s, 0xFF, sector);
        f->erases++;
    }
    return 0;
}
