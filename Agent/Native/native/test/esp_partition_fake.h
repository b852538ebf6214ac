/* See esp_partition_fake.c. */
#ifndef SECUREOTA_ESP_PARTITION_FAKE_H
#define SECUREOTA_ESP_PARTITION_FAKE_H

#include <stdint.h>

#include "esp_partition.h"

#ifdef __cplusplus
extern "C" {
#endif

extern uint8_t staging_cells[16 * 4096];
extern int esp_calls;

#ifdef __cplusplus
}
#endif

#endif
