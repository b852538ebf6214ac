//
// The bodies of SecureOta.Native.Partition's InternalCall methods (Agent/Native/Partition.cs), as a
// nanoFramework interop developer commits them: the 1.x MetadataProcessor generates this file's
// skeleton (SkeletonGenerator/SkeletonTemplates.cs, ClassStubTemplate: "copy this file ... before adding
// any customization") next to the files it regenerates on every build, secureota_native.h/.cpp (the
// assembly declaration and native checksum), secureota_native_SecureOta_Native_Partition.h (the struct
// below) and ..._Partition_mshl.cpp (argument marshalling). See docs/device-build.md.
//
// Every call goes through secureota_partition.c, which allows only the staging and bootstate labels
// and checks each offset and count against the partition and the managed array again. The results are
// FlashStatus values for managed code; hr stays S_OK (a FlashStatus is an answer, not an exception),
// except for a null label, which is a caller bug.
//
#include "secureota_native.h"
#include "secureota_native_SecureOta_Native_Partition.h"

extern "C"
{
#include "secureota_partition.h"
}

using namespace SecureOta_Native::secureota_native;

// The managed array's real length, or -1 for a null array: the C side refuses a negative length.
static signed int array_length(CLR_RT_TypedArray_UINT8 &array)
{
    return array.GetBuffer() == NULL ? -1 : (signed int)array.GetSize();
}

// A null label is a caller bug (managed code passes constants): an exception, not a FlashStatus.
static bool label_given(const char *label, HRESULT &hr)
{
    if (label == NULL)
    {
        hr = CLR_E_ARGUMENT_NULL;
        return false;
    }
    return true;
}

signed int Partition::NativeSize(const char *param0, HRESULT &hr)
{
    return label_given(param0, hr) ? (signed int)so_partition_size(param0) : -1;
}

signed int Partition::NativeRead(
    const char *param0,
    signed int param1,
    CLR_RT_TypedArray_UINT8 param2,
    signed int param3,
    signed int param4,
    HRESULT &hr)
{
    // (label, partition offset, buffer, buffer offset, count)
    if (!label_given(param0, hr))
        return SO_FLASH_OUT_OF_RANGE;
    return so_partition_read(param0, param1, param2.GetBuffer(), array_length(param2), param3, param4);
}

signed int Partition::NativeWrite(
    const char *param0,
    signed int param1,
    CLR_RT_TypedArray_UINT8 param2,
    signed int param3,
    signed int param4,
    HRESULT &hr)
{
    if (!label_given(param0, hr))
        return SO_FLASH_OUT_OF_RANGE;
    return so_partition_write(param0, param1, param2.GetBuffer(), array_length(param2), param3, param4);
}

signed int Partition::NativeErase(const char *param0, signed int param1, signed int param2, HRESULT &hr)
{
    if (!label_given(param0, hr))
        return SO_FLASH_OUT_OF_RANGE;
    return so_partition_erase(param0, param1, param2);
}
