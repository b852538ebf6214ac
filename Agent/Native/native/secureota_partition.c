/* See secureota_partition.h. Built by the firmware (ESP-IDF) and, against a RAM fake of
 * esp_partition.h, by the host tests (Agent/Native/native/test). */
#include "secureota_partition.h"

#include <string.h>

#include "esp_partition.h"

/* SPI flash erase unit on ESP32 (ESP-IDF: SPI_FLASH_SEC_SIZE). */
#define SO_SECTOR 4096

int so_partition_allowed(const char *label)
{
    return label != NULL && (strcmp(label, "staging") == 0 || strcmp(label, "bootstate") == 0);
}

static const esp_partition_t *find(const char *label)
{
    if (!so_partition_allowed(label)) {
        return NULL;
    }
    return esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_ANY, label);
}

int32_t so_partition_size(const char *label)
{
    const esp_partition_t *p = find(label);
    return p == NULL ? -1 : (int32_t)p->size;
}

/* offset/count inside the partition and buffer_offset/count inside the managed array; no overflow:
 * every operand is non-negative and compared by subtraction. */
static int in_range(const esp_partition_t *p, int32_t offset, int32_t count, int32_t buffer_length, int32_t buffer_offset)
{
    if (p == NULL || offset < 0 || count < 0 || buffer_offset < 0 || buffer_length < 0) {
        return 0;
    }
    if ((uint32_t)offset > p->size || (uint32_t)count > p->size - (uint32_t)offset) {
        return 0;
    }
    return buffer_offset <= buffer_length && count <= buffer_length - buffer_offset;
}

int so_partition_read(const char *label, int32_t offset, uint8_t *buffer, int32_t buffer_length, int32_t buffer_offset, int32_t count)
{
    const esp_partition_t *p = find(label);
    if (buffer == NULL || !in_range(p, offset, count, buffer_length, buffer_offset)) {
        return SO_FLASH_OUT_OF_RANGE;
    }
    return esp_partition_read(p, (size_t)offset, buffer + buffer_offset, (size_t)count) == ESP_OK ? SO_FLASH_OK : SO_FLASH_DEVICE_ERROR;
}

int so_partition_write(const char *label, int32_t offset, const uint8_t *buffer, int32_t buffer_length, int32_t buffer_offset, int32_t count)
{
    const esp_partition_t *p = find(label);
    if (buffer == NULL || !in_range(p, offset, count, buffer_length, buffer_offset)) {
        return SO_FLASH_OUT_OF_RANGE;
    }
    /* NOR flash only clears bits: refuse to program over anything not erased, as the host model
     * does, so a logic error shows up as NotErased instead of silently corrupted data. */
    uint8_t chunk[64];
    for (int32_t done = 0; done < count; done += (int32_t)sizeof chunk) {
        size_t n = (size_t)(count - done) < sizeof chunk ? (size_t)(count - done) : sizeof chunk;
        if (esp_partition_read(p, (size_t)(offset + done), chunk, n) != ESP_OK) {
            return SO_FLASH_DEVICE_ERROR;
        }
        for (size_t i = 0; i < n; i++) {
            if (chunk[i] != 0xFF) {
                return SO_FLASH_NOT_ERASED;
            }
        }
    }
    return esp_partition_write(p, (size_t)offset, buffer + buffer_offset, (size_t)count) == ESP_OK ? SO_FLASH_OK : SO_FLASH_DEVICE_ERROR;
}

int so_partition_erase(const char *label, int32_t offset, int32_t length)
{
    const esp_partition_t *p = find(label);
    if (!in_range(p, offset, length, length, 0)) {
        return SO_FLASH_OUT_OF_RANGE;
    }
    if (offset % SO_SECTOR != 0 || length % SO_SECTOR != 0) {
        return SO_FLASH_MISALIGNED;
    }
    return esp_partition_erase_range(p, (size_t)offset, (size_t)length) == ESP_OK ? SO_FLASH_OK : SO_FLASH_DEVICE_ERROR;
}
