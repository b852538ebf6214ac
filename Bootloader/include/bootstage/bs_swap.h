/*
 * Swap by offset (docs/boot-protocol.md, "Swap"): the new image sits in staging sectors 1..n, sector 0
 * is a gap. Forward step i saves target[i] into staging[i] and moves staging[i+1] into target[i];
 * backward undoes it from the last sector down. Every step is logged after it completes, so a reset
 * at any instant resumes from the last logged step: each step only reads sectors the log proves
 * intact. Two erases per sector and swap, no scratch area.
 */
#ifndef BOOTSTAGE_BS_SWAP_H
#define BOOTSTAGE_BS_SWAP_H

#include <stdint.h>

#include "bootstage/bs_port.h"
#include "bootstage/bs_state.h"
#include "bootstage/bs_suit.h"

/* What a swap writes into: one component's area, or for a pair (BS_COMPONENT_PAIR) the firmware's
 * sectors followed by the application's, as one virtual target of n0 + n1 sectors. Staging holds the
 * images in the same order from sector 1, so the swap and its log are those of one image. */
struct bs_target {
    int count;
    int area[2];
    uint32_t sectors[2];
};

/* The target of a record's component: image_size (and image_size2 for a pair) in sectors of s bytes. */
int bs_target_of(int component, uint32_t image_size, uint32_t image_size2, uint32_t s, struct bs_target *t);

/* Total sectors of a target. */
uint32_t bs_target_sectors(const struct bs_target *t);

int bs_swap_forward(const struct bs_port *port, struct bs_state *st, const struct bs_target *t, uint32_t sector_size);
int bs_swap_backward(const struct bs_port *port, struct bs_state *st, const struct bs_target *t, uint32_t sector_size);

/* SHA-256 over the target's sectors in order (what the old digest covers). */
int bs_hash_target(const struct bs_port *port, const struct bs_target *t, uint32_t sector_size, uint8_t digest[32]);

/* SHA-256 of len bytes of an area from offset. Returns 0 or BS_REASON_FLASH_ERROR. */
int bs_hash_area(const struct bs_port *port, int area, uint32_t offset, uint32_t len, uint8_t digest[32]);

#endif /* BOOTSTAGE_BS_SWAP_H */
