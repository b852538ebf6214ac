// Host test of the interop bodies (secureota_native_SecureOta_Native_Partition.cpp) through the same
// signatures the 1.x MetadataProcessor generates, against the RAM esp_partition fake: the managed array
// is passed as CLR_RT_TypedArray_UINT8 and every bound is checked against its real length.
#include <stdio.h>
#include <string.h>

#include "interop_check.h"
#include "secureota_native_SecureOta_Native_Partition.h"

extern "C"
{
#include "esp_partition_fake.h"
#include "secureota_partition.h"
}

using SecureOta_Native::secureota_native::Partition;

int main()
{
    unsigned char buf[256];
    HRESULT hr = S_OK;
    memset(staging_cells, 0, sizeof staging_cells);

    CHECK(Partition::NativeSize("staging", hr) == (signed int)sizeof staging_cells && hr == S_OK);
    CHECK(Partition::NativeSize("nvs", hr) == -1 && hr == S_OK);
    CHECK(Partition::NativeSize(NULL, hr) == -1 && hr == CLR_E_ARGUMENT_NULL);
    hr = S_OK;

    CHECK(Partition::NativeErase("staging", 0, 4096, hr) == SO_FLASH_OK);
    CHECK(Partition::NativeErase("staging", 1, 4096, hr) == SO_FLASH_MISALIGNED);
    CHECK(Partition::NativeErase("bootstate", 0, 4096, hr) == SO_FLASH_OUT_OF_RANGE); /* not in the fake: absent */

    for (int i = 0; i < 256; i++) buf[i] = (unsigned char)i;
    CHECK(Partition::NativeWrite("staging", 0, array(buf, 256), 16, 32, hr) == SO_FLASH_OK);
    CHECK(staging_cells[0] == 16 && staging_cells[31] == 47);
    /* the count runs past the managed array's real length (256): refused before ESP-IDF is called */
    int before = esp_calls;
    CHECK(Partition::NativeWrite("staging", 100, array(buf, 256), 250, 7, hr) == SO_FLASH_OUT_OF_RANGE);
    CHECK(Partition::NativeRead("staging", 0, array(buf, 10), 0, 11, hr) == SO_FLASH_OUT_OF_RANGE);
    CHECK(Partition::NativeRead("staging", 0, array(buf, 256), -1, 4, hr) == SO_FLASH_OUT_OF_RANGE);
    CHECK(Partition::NativeRead("staging", 0, array(NULL, 0), 0, 0, hr) == SO_FLASH_OUT_OF_RANGE);
    CHECK(Partition::NativeWrite("nvs", 0, array(buf, 256), 0, 1, hr) == SO_FLASH_OUT_OF_RANGE);
    CHECK(esp_calls == before);
    CHECK(hr == S_OK);

    memset(buf, 0, sizeof buf);
    CHECK(Partition::NativeRead("staging", 8, array(buf, 256), 100, 8, hr) == SO_FLASH_OK);
    CHECK(buf[100] == 24 && buf[107] == 31 && buf[99] == 0 && buf[108] == 0);
    CHECK(Partition::NativeWrite(NULL, 0, array(buf, 256), 0, 1, hr) == SO_FLASH_OUT_OF_RANGE && hr == CLR_E_ARGUMENT_NULL);

    if (failures == 0) printf("test_interop: all checks passed\n");
    return failures == 0 ? 0 : 1;
}
