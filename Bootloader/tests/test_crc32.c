/* CRC-32 against the catalogue check value and incremental equivalence. */
#include <stdio.h>
#include <string.h>

#include "bootstage/crc32.h"

static int failures;

static void expect_u32(const char *what, uint32_t expected, uint32_t actual)
{
    if (expected != actual) {
        printf("FAIL %s: expected 0x%08X, got 0x%08X\n", what, (unsigned)expected, (unsigned)actual);
        failures++;
    }
}

int main(void)
{
    /* The CRC catalogue's check value for CRC-32/ISO-HDLC over "123456789". */
    const uint8_t check[] = "123456789";
    expect_u32("check value", 0xCBF43926u, bs_crc32(check, 9));
    expect_u32("empty input", 0x00000000u, bs_crc32(check, 0));

    uint8_t data[1000];
    for (size_t i = 0; i < sizeof data; i++) {
        data[i] = (uint8_t)(i * 7u + 3u);
    }
    uint32_t whole = bs_crc32(data, sizeof data);
    for (size_t split = 0; split <= sizeof data; split += 37) {
        uint32_t state = bs_crc32_update(BS_CRC32_INIT, data, split);
        state = bs_crc32_update(state, data + split, sizeof data - split);
        expect_u32("split computation", whole, bs_crc32_final(state));
    }

    /* A single flipped bit must change the CRC. */
    data[500] ^= 0x10u;
    if (bs_crc32(data, sizeof data) == whole) {
        printf("FAIL bit flip not detected\n");
        failures++;
    }

    printf("%s: %d failure(s)\n", failures ? "FAIL" : "ok", failures);
    return failures ? 1 : 0;
}
