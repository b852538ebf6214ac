// Host test of the crypto interop bodies (secureota_native_SecureOta_Native_Crypto.cpp) through the
// signatures the MetadataProcessor generates: the managed arrays arrive as CLR_RT_TypedArray_UINT8
// and every bound is checked against their real length.
#include <stdio.h>
#include <string.h>

#include "interop_check.h"
#include "secureota_native_SecureOta_Native_Crypto.h"

extern "C"
{
#include "secureota_crypto.h"
}

using SecureOta_Native::secureota_native::Crypto;

int main()
{
    HRESULT hr = S_OK;
    unsigned char abc[3] = {'a', 'b', 'c'}, digest[40];
    static const unsigned char expected[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                                               0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    signed int h = Crypto::NativeSha256Begin(hr);
    CHECK(h >= 0);
    CHECK(Crypto::NativeSha256Update(h, array(abc, 3), 0, 2, hr) == SO_CRYPTO_OK);
    CHECK(Crypto::NativeSha256Update(h, array(abc, 3), 2, 2, hr) == SO_CRYPTO_BAD_ARGUMENT); /* past the array's real length */
    CHECK(Crypto::NativeSha256Update(h, array(abc, 3), 2, 1, hr) == SO_CRYPTO_OK);
    CHECK(Crypto::NativeSha256Finish(h, array(digest, 40), 8, hr) == SO_CRYPTO_OK);
    CHECK(memcmp(digest + 8, expected, 32) == 0);
    CHECK(Crypto::NativeSha256Update(h, array(abc, 3), 0, 1, hr) == SO_CRYPTO_BAD_ARGUMENT); /* finished: the handle is dead */
    h = Crypto::NativeSha256Begin(hr);
    CHECK(Crypto::NativeSha256Finish(h, array(NULL, 0), 0, hr) == SO_CRYPTO_BAD_ARGUMENT);  /* a null array, and the handle freed */
    Crypto::NativeSha256Abort(h, hr);

    unsigned char key[16] = {0}, iv[16] = {0}, data[32] = {0}, again[32] = {0};
    CHECK(Crypto::NativeAes128Ctr(array(key, 16), array(iv, 16), 0, array(data, 32), 0, 32, hr) == SO_CRYPTO_OK);
    CHECK(Crypto::NativeAes128Ctr(array(key, 16), array(iv, 16), 0, array(again, 32), 0, 5, hr) == SO_CRYPTO_OK);
    CHECK(Crypto::NativeAes128Ctr(array(key, 16), array(iv, 16), 5, array(again, 32), 5, 27, hr) == SO_CRYPTO_OK);
    CHECK(memcmp(data, again, 32) == 0);
    CHECK(Crypto::NativeAes128Ctr(array(key, 15), array(iv, 16), 0, array(data, 32), 0, 1, hr) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(Crypto::NativeAes128Ctr(array(key, 16), array(NULL, 0), 0, array(data, 32), 0, 1, hr) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(Crypto::NativeAes128Ctr(array(key, 16), array(iv, 16), 0, array(data, 32), 16, 17, hr) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(hr == S_OK);

    if (failures == 0) printf("agent native crypto interop: all checks passed\n");
    return failures == 0 ? 0 : 1;
}
