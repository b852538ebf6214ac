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

int bs_swap_forward(const struct bs_port *port, struct bs_state *st, int target, uint32_t sectors, uint32_t sector_size);
int bs_swap_backward(const struct bs_port *port, struct bs_state *st, int target, uint32_t sectors, uint32_t sector_size);

/* SHA-256 of len bytes of an area from offset. Returns 0 or BS_REASON_FLASH_ERROR. */
int bs_hash_area(const struct bs_port *port, int area, uint32_t offset, uint32_t len, uint8_t digest[32]);

#endif /* BOOTSTAGE_BS_SWAP_H */
