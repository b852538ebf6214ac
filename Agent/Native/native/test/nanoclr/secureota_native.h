/* Test stand-in for the MetadataProcessor's generated secureota_native.h and the parts of nf-interpreter's
 * nanoCLR_Interop.h the interop bodies use, so that secureota_native_SecureOta_Native_Partition.cpp
 * compiles and runs in CTest. Shapes from nf-interpreter v1.9.0 src/CLR/Include/nanoCLR_Interop.h
 * (template <class T> class CLR_RT_TypedArray: GetSize(), GetBuffer()) and nanoCLR_Types.h (HRESULT,
 * S_OK, CLR_E_ARGUMENT_NULL). Never part of a firmware build. */
#ifndef SECUREOTA_TEST_NANOCLR_SECUREOTA_NATIVE_H
#define SECUREOTA_TEST_NANOCLR_SECUREOTA_NATIVE_H

#include <stddef.h>

typedef int HRESULT;
#define S_OK ((HRESULT)0x00000000L)
#define CLR_E_ARGUMENT_NULL ((HRESULT)0xA1000000L)

template <class T> class CLR_RT_TypedArray
{
  public:
    T *m_pData;
    unsigned int m_ElemCount;
    unsigned int GetSize() { return m_ElemCount; }
    T *GetBuffer() { return m_pData; }
};

typedef CLR_RT_TypedArray<unsigned char> CLR_RT_TypedArray_UINT8;

#endif
