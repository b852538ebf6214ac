/* Test stand-in for the header the 1.x MetadataProcessor generates for SecureOta.Native.Partition
 * (NF_GenerateSkeletonProjectName secureota_native): the same namespace, struct and signatures
 * (issue 11, fact 6). Never part of a firmware build, where the generated one is used. */
#ifndef SECUREOTA_TEST_NANOCLR_PARTITION_H
#define SECUREOTA_TEST_NANOCLR_PARTITION_H

namespace SecureOta_Native
{
namespace secureota_native
{
struct Partition
{
    static signed int NativeSize(const char *param0, HRESULT &hr);
    static signed int NativeRead(const char *param0, signed int param1, CLR_RT_TypedArray_UINT8 param2, signed int param3, signed int param4, HRESULT &hr);
    static signed int NativeWrite(const char *param0, signed int param1, CLR_RT_TypedArray_UINT8 param2, signed int param3, signed int param4, HRESULT &hr);
    static signed int NativeErase(const char *param0, signed int param1, signed int param2, HRESULT &hr);
};
} // namespace secureota_native
} // namespace SecureOta_Native

#endif
