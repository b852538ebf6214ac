/* Test stand-in for the header the MetadataProcessor generates for SecureOta.Native.Crypto
 * (NF_GenerateSkeletonProjectName secureota_native): the same namespace and struct, the signatures its
 * type mapping gives (metadata-processor v3.0.72, TypeReferenceExtensions.ToNativeTypeAsString: int
 * "signed int", void "void", byte[] the typed array) with the trailing HRESULT&. Never part of a
 * firmware build, where the generated one is used. */
#ifndef SECUREOTA_TEST_NANOCLR_CRYPTO_H
#define SECUREOTA_TEST_NANOCLR_CRYPTO_H

namespace SecureOta_Native
{
namespace secureota_native
{
struct Crypto
{
    static signed int NativeSha256Begin(HRESULT &hr);
    static signed int NativeSha256Update(signed int param0, CLR_RT_TypedArray_UINT8 param1, signed int param2, signed int param3, HRESULT &hr);
    static signed int NativeSha256Finish(signed int param0, CLR_RT_TypedArray_UINT8 param1, signed int param2, HRESULT &hr);
    static void NativeSha256Abort(signed int param0, HRESULT &hr);
    static signed int NativeAes128Ctr(CLR_RT_TypedArray_UINT8 param0, CLR_RT_TypedArray_UINT8 param1, signed int param2,
                                      CLR_RT_TypedArray_UINT8 param3, signed int param4, signed int param5, HRESULT &hr);
};
} // namespace secureota_native
} // namespace SecureOta_Native

#endif
