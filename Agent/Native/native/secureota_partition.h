/* Native side of SecureOta.Native.Partition (Agent/Native/Partition.cs): raw access to the staging and
 * boot-state partitions by label. Results are the managed FlashStatus values. The generated
 * nanoFramework stubs (NF_GenerateSkeletonProjectName secureota_native) unpack the managed arguments
 * and call these functions; see docs/device-build.md. */
#ifndef SECUREOTA_PARTITION_H
#define SECUREOTA_PARTITION_H

#include <stddef.h>
#include <stdint.h>

/* Drivers/Flash/FlashStatus.cs */
enum so_flash_status {
    SO_FLASH_OK = 0,
    SO_FLASH_OUT_OF_RANGE = 1,
    SO_FLASH_MISALIGNED = 2,
    SO_FLASH_NOT_ERASED = 3,
    SO_FLASH_DEVICE_ERROR = 4,
};

/* Only these labels may be touched from managed code: never the running firmware or nvs. */
int so_partition_allowed(const char *label);

/* Size of the partition, or -1 when it does not exist or is not allowed. */
int32_t so_partition_size(const char *label);

/* buffer_length is the managed array's length; every offset and count is checked against it and
 * against the partition before ESP-IDF is called. */
int so_partition_read(const char *label, int32_t offset, uint8_t *buffer, int32_t buffer_length, int32_t buffer_offset, int32_t count);
int so_partition_write(const char *label, int32_t offset, const uint8_t *buffer, int32_t buffer_length, int32_t buffer_offset, int32_t count);
int so_partition_erase(const char *label, int32_t offset, int32_t length);

#endif
