/*
 * CRC-32 (ISO-HDLC: reflected polynomial 0x04C11DB7, init and final XOR 0xFFFFFFFF), the checksum
 * ESP-IDF uses for its otadata records. The boot stage protects its own boot-state records with it.
 */
#ifndef BOOTSTAGE_CRC32_H
#define BOOTSTAGE_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Value to start an incremental computation with. */
#define BS_CRC32_INIT 0xFFFFFFFFu

/* Continues a CRC over len bytes; pass BS_CRC32_INIT first, finish with bs_crc32_final. */
uint32_t bs_crc32_update(uint32_t state, const uint8_t *data, size_t len);

/* Turns an incremental state into the CRC value. */
uint32_t bs_crc32_final(uint32_t state);

/* One-shot CRC of len bytes. */
uint32_t bs_crc32(const uint8_t *data, size_t len);

#endif /* BOOTSTAGE_CRC32_H */
