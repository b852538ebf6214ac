/* Host test of the native partition access: bounds, alignment, the erased-only rule and the label
 * allow-list, against a RAM fake of esp_partition whose write ANDs bits like NOR flash. */
#include <stdio.h>
#include <string.h>

#include "esp_partition_fake.h"
#include "secureota_partition.h"

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); failures++; } } while (0)

int main(void)
{
    uint8_t buf[8192];
    memset(staging_cells, 0, sizeof staging_cells);

    CHECK(so_partition_size("staging") == (int32_t)sizeof staging_cells);
    CHECK(so_partition_size("nvs") == -1);      /* exists, but never reachable from managed code */
    CHECK(so_partition_size("missing") == -1);
    CHECK(so_partition_size(NULL) == -1);

    CHECK(so_partition_erase("staging", 0, 4096) == SO_FLASH_OK);
    CHECK(so_partition_erase("staging", 100, 4096) == SO_FLASH_MISALIGNED);
    CHECK(so_partition_erase("staging", 15 * 4096, 2 * 4096) == SO_FLASH_OUT_OF_RANGE);
    CHECK(so_partition_erase("nvs", 0, 4096) == SO_FLASH_OUT_OF_RANGE);

    for (int i = 0; i < 100; i++) buf[i] = (uint8_t)i;
    CHECK(so_partition_write("staging", 10, buf, 100, 0, 100) == SO_FLASH_OK);
    CHECK(so_partition_write("staging", 10, buf, 100, 0, 1) == SO_FLASH_NOT_ERASED);  /* programmed already */
    CHECK(so_partition_write("staging", 4096, buf, 100, 0, 1) == SO_FLASH_NOT_ERASED); /* sector 1 never erased */
    CHECK(so_partition_write("staging", 200, buf, 100, 50, 51) == SO_FLASH_OUT_OF_RANGE); /* past the array */
    CHECK(so_partition_write("staging", -1, buf, 100, 0, 1) == SO_FLASH_OUT_OF_RANGE);
    CHECK(so_partition_write("staging", 0x7FFFFFFF, buf, 100, 0, 1) == SO_FLASH_OUT_OF_RANGE);
    CHECK(so_partition_write("staging", 4090, buf, 100, 0, 0x7FFFFFFF) == SO_FLASH_OUT_OF_RANGE);

    memset(buf, 0, sizeof buf);
    CHECK(so_partition_read("staging", 10, buf, sizeof buf, 5, 100) == SO_FLASH_OK);
    CHECK(buf[5] == 0 && buf[104] == 99);
    CHECK(so_partition_read("staging", (int32_t)sizeof staging_cells - 4, buf, sizeof buf, 0, 8) == SO_FLASH_OUT_OF_RANGE);
    CHECK(so_partition_read("staging", 0, NULL, 0, 0, 0) == SO_FLASH_OUT_OF_RANGE);

    int before = esp_calls;
    CHECK(so_partition_read("staging", 0, buf, 10, 8, 4) == SO_FLASH_OUT_OF_RANGE);
    CHECK(esp_calls == before); /* refused before ESP-IDF is called */

    if (failures == 0) printf("test_partition: all checks passed\n");
    return failures == 0 ? 0 : 1;
}
