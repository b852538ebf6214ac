#include "bootstage/crc32.h"

/* Reflected form of the ISO-HDLC polynomial 0x04C11DB7. Bitwise on purpose: a 1 KiB table costs
 * more boot-stage flash than the few hundred bytes of boot state it ever checks are worth. */
#define BS_CRC32_POLY_REFLECTED 0xEDB88320u

uint32_t bs_crc32_update(uint32_t state, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        state ^= data[i];
        for (int bit = 0; bit < 8; bit++) {
            uint32_t mask = (uint32_t)0 - (state & 1u);
            state = (state >> 1) ^ (BS_CRC32_POLY_REFLECTED & mask);
        }
    }
    return state;
}

uint32_t bs_crc32_final(uint32_t state)
{
    return state ^ 0xFFFFFFFFu;
}

uint32_t bs_crc32(const uint8_t *data, size_t len)
{
    return bs_crc32_final(bs_crc32_update(BS_CRC32_INIT, data, len));
}
