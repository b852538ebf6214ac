/* A port for the fuzz targets: the boot-state area is the fuzzer's bytes, SHA-256 is mbedTLS, and the
 * ECDSA check accepts every signature so that inputs reach the manifest parser behind it (the targets
 * test memory safety and bounds, not authentication, which test_reject and the differential fuzzer do). */
#ifndef BOOTSTAGE_FUZZ_PORT_H
#define BOOTSTAGE_FUZZ_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "bootstage/bs_port.h"

#define FUZZ_BOOTSTATE_BYTES (16u * 1024u)
#define FUZZ_SECTOR 4096u

/* The port over area bytes the target owns; the other areas are empty (size 0). */
void fuzz_port_init(struct bs_port *port, uint8_t *bootstate, uint32_t bootstate_len);

#endif
