/* A RAM fake of ESP-IDF's esp_partition API for the native tests: one 64 KiB "staging" partition whose
 * write ANDs bits like NOR flash, and an "nvs" that exists but must never be reached. Counts calls. */
#include <string.h>

#include "esp_partition_fake.h"

uint8_t staging_cells[16 * 4096];
static esp_partition_t staging = { ESP_PARTITION_TYPE_DATA, 0x86, 0x260000, sizeof staging_cells, "staging" };
static esp_partition_t nvs = { ESP_PARTITION_TYPE_DATA, 0x02, 0x9000, 0x6000, "nvs" };
int esp_calls;

const esp_partition_t *esp_partition_find_first(esp_partition_type_t type, esp_partition_subtype_t subtype, const char *label)
{
    (void)subtype;
    if (type != ESP_PARTITION_TYPE_DATA) return NULL;
    if (strcmp(label, "staging") == 0) return &staging;
    if (strcmp(label, "nvs") == 0) return &nvs;
    return NULL;
}

esp_err_t esp_partition_read(const esp_partition_t *p, size_t off, void *dst, size_t n)
{
    esp_calls++;
    if (p != &staging || off > p->size || n > p->size - off) return ESP_ERR_INVALID_SIZE;
    memcpy(dst, staging_cells + off, n);
    return ESP_OK;
}

esp_err_t esp_partition_write(const esp_partition_t *p, size_t off, const void *src, size_t n)
{
    esp_calls++;
    if (p != &staging || off > p->size || n > p->size - off) return ESP_ERR_INVALID_SIZE;
    for (size_t i = 0; i < n; i++) staging_cells[off + i] &= ((const uint8_t *)src)[i];
    return ESP_OK;
}

esp_err_t esp_partition_erase_range(const esp_partition_t *p, size_t off, size_t n)
{
    esp_calls++;
    if (p != &staging || off % 4096 || n % 4096 || off > p->size || n > p->size - off) return ESP_ERR_INVALID_SIZE;
    memset(staging_cells + off, 0xFF, n);
    return ESP_OK;
}

