//
// The bodies of SecureOta.Native.Crypto's InternalCall methods (Agent/Native/Crypto.cs), committed as
// the interop developer's copy of the MetadataProcessor's skeleton, like the Partition bodies beside
// it (docs/device-build.md, "The interop's files"). Each passes the managed arrays' real lengths to
// secureota_crypto.c, which checks every offset and count before mbedTLS is called. Results are the
// managed Crypto status values; hr stays S_OK (a refused argument is an answer the managed side turns
// into its fallback or error).
//
#include "secureota_native.h"
#include "secureota_native_SecureOta_Native_Crypto.h"

extern "C"
{
#include "secureota_crypto.h"
}

using namespace SecureOta_Native::secureota_native;

// The managed array's real length, or -1 for a null array: the C side refuses a negative length.
static signed int length_of(CLR_RT_TypedArray_UINT8 &array)
{
    return array.GetBuffer() == NULL ? -1 : (signed int)array.GetSize();
}

signed int Crypto::NativeSha256Begin(HRESULT &hr)
{
    (void)hr;
    return so_sha256_begin();
}

signed int Crypto::NativeSha256Update(signed int param0, CLR_RT_TypedArray_UINT8 param1, signed int param2, signed int param3, HRESULT &hr)
{
    // (handle, buffer, offset, count)
    (void)hr;
    return so_sha256_update(param0, param1.GetBuffer(), length_of(param1), param2, param3);
}

signed int Crypto::NativeSha256Finish(signed int param0, CLR_RT_TypedArray_UINT8 param1, signed int param2, HRESULT &hr)
{
    // (handle, output, offset)
    (void)hr;
    return so_sha256_finish(param0, param1.GetBuffer(), length_of(param1), param2);
}

void Crypto::NativeSha256Abort(signed int param0, HRESULT &hr)
{
    (void)hr;
    so_sha256_abort(param0);
}

signed int Crypto::NativeAes128Ctr(
    CLR_RT_TypedArray_UINT8 param0,
    CLR_RT_TypedArray_UINT8 param1,
    signed int param2,
    CLR_RT_TypedArray_UINT8 param3,
    signed int param4,
    signed int param5,
    HRESULT &hr)
{
    // (key, iv, message position, buffer, offset, count)
    (void)hr;
    return so_aes128_ctr(param0.GetBuffer(), length_of(param0), param1.GetBuffer(), length_of(param1), param2,
                         param3.GetBuffer(), length_of(param3), param4, param5);
}
