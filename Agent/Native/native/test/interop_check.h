// What the interop tests share: the failure count, CHECK, and a managed byte[] as the nanoCLR passes it
// (CLR_RT_TypedArray_UINT8 over a buffer of a given element count).
#ifndef SECUREOTA_TEST_INTEROP_CHECK_H
#define SECUREOTA_TEST_INTEROP_CHECK_H

#include <stdio.h>

#include "secureota_native.h"

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); failures++; } } while (0)

static CLR_RT_TypedArray_UINT8 array(unsigned char *data, unsigned int count)
{
    CLR_RT_TypedArray_UINT8 a;
    a.m_pData = data;
    a.m_ElemCount = count;
    return a;
}

#endif
