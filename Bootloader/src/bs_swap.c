#include <string.h>

#include "bootstage/bs_result.h"
#include "bootstage/bs_swap.h"

/* Copy buffer: bounded stack; sectors are copied in chunks of this size. */
#define BS_COPY_CHUNK 1024u

static int copy_sector(const struct bs_port *port, int from_area, uint32_t from, int to_area, uint32_t to, uint32_t sector_size)
{
    uint8_t buf[BS_COPY_CHUNK];
    if (port->erase(port->ctx, to_area, to, sector_size) != 0) {
        return BS_REASON_FLASH_ERROR;
    }
    for (uint32_t off = 0; off < sector_size; off += BS_COPY_CHUNK) {
        uint32_t n = sector_size - off < BS_COPY_CHUNK ? sector_size - off : BS_COPY_CHUNK;
        if (port->read(port->ctx, from_area, from + off, buf, n) != 0
            || port->program(port->ctx, to_area, to + off, buf, n) != 0) {
            return BS_REASON_FLASH_ERROR;
        }
    }
    return 0;
}

int bs_target_of(int component, uint32_t image_size, uint32_t image_size2, uint32_t s, struct bs_target *t)
{
    memset(t, 0, sizeof *t);
    if (s == 0) {
        return BS_REASON_FLASH_ERROR;
    }
    if (component == BS_COMPONENT_PAIR) {
        t->count = 2;
        t->area[0] = BS_AREA_NANOCLR;
        t->area[1] = BS_AREA_DEPLOY;
        t->sectors[0] = (uint32_t)(((uint64_t)image_size + s - 1) / s);
        t->sectors[1] = (uint32_t)(((uint64_t)image_size2 + s - 1) / s);
        return 0;
    }
    if (component != BS_AREA_DEPLOY && component != BS_AREA_NANOCLR) {
        return BS_REASON_WRONG_COMPONENT;
    }
    t->count = 1;
    t->area[0] = component;
    t->sectors[0] = (uint32_t)(((uint64_t)image_size + s - 1) / s);
    return 0;
}

uint32_t bs_target_sectors(const struct bs_target *t)
{
    return t->count == 2 ? t->sectors[0] + t->sectors[1] : t->sectors[0];
}

/* Virtual sector i of the target: the area and the byte offset in it. */
static void locate(const struct bs_target *t, uint32_t i, uint32_t s, int *area, uint32_t *offset)
{
    if (t->count == 2 && i >= t->sectors[0]) {
        *area = t->area[1];
        *offset = (i - t->sectors[0]) * s;
    } else {
        *area = t->area[0];
        *offset = i * s;
    }
}

int bs_hash_target(const struct bs_port *port, const struct bs_target *t, uint32_t s, uint8_t digest[32])
{
    uint8_t buf[BS_COPY_CHUNK];
    uint32_t n = bs_target_sectors(t);
    port->sha256_start(port->ctx);
    for (uint32_t i = 0; i < n; i++) {
        int area;
        uint32_t at;
        locate(t, i, s, &area, &at);
        for (uint32_t off = 0; off < s; off += BS_COPY_CHUNK) {
            uint32_t k = s - off < BS_COPY_CHUNK ? s - off : BS_COPY_CHUNK;
            if (port->read(port->ctx, area, at + off, buf, k) != 0) {
                port->sha256_finish(port->ctx, digest);
                return BS_REASON_FLASH_ERROR;
            }
            port->sha256_update(port->ctx, buf, k);
        }
    }
    port->sha256_finish(port->ctx, digest);
    return 0;
}

int bs_swap_forward(const struct bs_port *port, struct bs_state *st, const struct bs_target *t, uint32_t sector_size)
{
    uint32_t sectors = bs_target_sectors(t);
    uint32_t done = bs_state_steps(st);
    if (done > 2 * sectors) {
        return BS_REASON_FLASH_ERROR; /* a log longer than the swap: not ours */
    }
    for (uint32_t step = done; step < 2 * sectors; step++) {
        uint32_t i = step / 2;
        int r, target;
        uint32_t at;
        locate(t, i, sector_size, &target, &at);
        if (step % 2 == 0) {
            /* staging[i] is free: the gap for i = 0, or new[i-1] already copied into target[i-1] */
            r = copy_sector(port, target, at, BS_AREA_STAGING, i * sector_size, sector_size);
            if (r == 0) r = bs_state_log(port, st, BS_STEP_SAVED, i);
        } else {
            /* target[i] is saved in staging[i]; staging[i+1] holds new[i] */
#ifdef BS_PLANTED_BUG_LOG_BEFORE_COPY
            /* Only in the test build that proves the power-cut sweep can fail (CMakeLists: powercut_planted). */
            r = bs_state_log(port, st, BS_STEP_DONE, i);
            if (r == 0) r = copy_sector(port, BS_AREA_STAGING, (i + 1) * sector_size, target, at, sector_size);
#else
            r = copy_sector(port, BS_AREA_STAGING, (i + 1) * sector_size, target, at, sector_size);
            if (r == 0) r = bs_state_log(port, st, BS_STEP_DONE, i);
#endif
        }
        if (r != 0) {
            return r;
        }
    }
    return 0;
}

int bs_swap_backward(const struct bs_port *port, struct bs_state *st, const struct bs_target *t, uint32_t sector_size)
{
    uint32_t sectors = bs_target_sectors(t);
    uint32_t done = bs_state_steps(st);
    if (done > 2 * sectors) {
        return BS_REASON_FLASH_ERROR;
    }
    for (uint32_t step = done; step < 2 * sectors; step++) {
        uint32_t i = sectors - 1 - step / 2;
        int r, target;
        uint32_t at;
        locate(t, i, sector_size, &target, &at);
        if (step % 2 == 0) {
            /* staging[i+1] is free: new[n-1]'s leftover copy, or old[i+1] already back in target */
            r = copy_sector(port, target, at, BS_AREA_STAGING, (i + 1) * sector_size, sector_size);
            if (r == 0) r = bs_state_log(port, st, BS_STEP_BACK_SAVED, i);
        } else {
            /* target[i] (new) is saved in staging[i+1]; staging[i] holds old[i] */
            r = copy_sector(port, BS_AREA_STAGING, i * sector_size, target, at, sector_size);
            if (r == 0) r = bs_state_log(port, st, BS_STEP_BACK_DONE, i);
        }
        if (r != 0) {
            return r;
        }
    }
    return 0;
}

int bs_hash_area(const struct bs_port *port, int area, uint32_t offset, uint32_t len, uint8_t digest[32])
{
    uint8_t buf[BS_COPY_CHUNK];
    port->sha256_start(port->ctx);
    for (uint32_t off = 0; off < len; off += BS_COPY_CHUNK) {
        uint32_t n = len - off < BS_COPY_CHUNK ? len - off : BS_COPY_CHUNK;
        if (port->read(port->ctx, area, offset + off, buf, n) != 0) {
            port->sha256_finish(port->ctx, digest);
            return BS_REASON_FLASH_ERROR;
        }
        port->sha256_update(port->ctx, buf, n);
    }
    port->sha256_finish(port->ctx, digest);
    return 0;
}
