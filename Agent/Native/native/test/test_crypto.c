/* Host test of the native crypto (secureota_crypto.c) against published vectors and against itself in
 * other chunkings: SHA-256 (FIPS 180-2 "abc" and the two-block message), AES-128-CTR (NIST SP 800-38A
 * F.5.1), a keystream started at any byte position, the handle slots, and every bound. */
#include <stdio.h>
#include <string.h>

#include "secureota_crypto.h"

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); failures++; } } while (0)

static void hex(const char *text, uint8_t *out)
{
    for (size_t i = 0; text[2 * i] != 0; i++) {
        unsigned v;
        sscanf(text + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

static void sha(const uint8_t *data, int32_t length, int32_t chunk, uint8_t out[32])
{
    int32_t h = so_sha256_begin();
    CHECK(h >= 0);
    for (int32_t at = 0; at < length; at += chunk) {
        int32_t n = length - at < chunk ? length - at : chunk;
        CHECK(so_sha256_update(h, data, length, at, n) == SO_CRYPTO_OK);
    }
    CHECK(so_sha256_finish(h, out, 32, 0) == SO_CRYPTO_OK);
}

int main(void)
{
    uint8_t digest[32], expected[32], other[32];

    /* FIPS 180-2, appendix B.1 and B.2 */
    sha((const uint8_t *)"abc", 3, 3, digest);
    hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", expected);
    CHECK(memcmp(digest, expected, 32) == 0);
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", expected);
    for (int32_t chunk = 1; chunk <= 56; chunk += 11) {
        sha((const uint8_t *)two, 56, chunk, digest);
        CHECK(memcmp(digest, expected, 32) == 0);
    }

    /* Two hashes at once; a third finds no slot; a finished or aborted handle is free again and dead. */
    int32_t a = so_sha256_begin(), b = so_sha256_begin();
    CHECK(a >= 0 && b >= 0 && a != b);
    CHECK(so_sha256_begin() == -1);
    CHECK(so_sha256_update(a, (const uint8_t *)"ab", 2, 0, 2) == SO_CRYPTO_OK);
    CHECK(so_sha256_update(b, (const uint8_t *)two, 56, 0, 56) == SO_CRYPTO_OK);
    CHECK(so_sha256_update(a, (const uint8_t *)"c", 1, 0, 1) == SO_CRYPTO_OK);
    CHECK(so_sha256_finish(b, other, 32, 0) == SO_CRYPTO_OK && memcmp(other, expected, 32) == 0);
    CHECK(so_sha256_finish(a, digest, 32, 0) == SO_CRYPTO_OK);
    hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", expected);
    CHECK(memcmp(digest, expected, 32) == 0);
    CHECK(so_sha256_update(a, (const uint8_t *)"c", 1, 0, 1) == SO_CRYPTO_BAD_ARGUMENT);
    a = so_sha256_begin();
    so_sha256_abort(a);
    so_sha256_abort(a);
    CHECK(so_sha256_finish(a, digest, 32, 0) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(so_sha256_update(-1, digest, 32, 0, 1) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(so_sha256_update(SO_SHA256_SLOTS, digest, 32, 0, 1) == SO_CRYPTO_BAD_ARGUMENT);

    /* Bounds: offset and count against the managed array's length; a bad output still frees the handle. */
    a = so_sha256_begin();
    CHECK(so_sha256_update(a, digest, 32, 30, 3) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(so_sha256_update(a, digest, 32, -1, 1) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(so_sha256_update(a, digest, 32, 0, 0x7FFFFFFF) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(so_sha256_update(a, NULL, 0, 0, 0) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(so_sha256_finish(a, digest, 31, 0) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(so_sha256_update(a, digest, 32, 0, 1) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(so_sha256_begin() >= 0 && so_sha256_begin() >= 0 && so_sha256_begin() == -1);
    so_sha256_abort(0);
    so_sha256_abort(1);

    /* NIST SP 800-38A F.5.1, CTR-AES128.Encrypt, the four blocks */
    uint8_t key[16], iv[16], text[64], cipher[64], copy[64];
    hex("2b7e151628aed2a6abf7158809cf4f3c", key);
    hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", iv);
    hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710", text);
    hex("874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee", cipher);
    memcpy(copy, text, 64);
    CHECK(so_aes128_ctr(key, 16, iv, 16, 0, copy, 64, 0, 64) == SO_CRYPTO_OK);
    CHECK(memcmp(copy, cipher, 64) == 0);
    /* Any split at any position gives the same stream (a resumed download). */
    for (int32_t cut = 1; cut < 64; cut += 7) {
        memcpy(copy, text, 64);
        CHECK(so_aes128_ctr(key, 16, iv, 16, 0, copy, 64, 0, cut) == SO_CRYPTO_OK);
        CHECK(so_aes128_ctr(key, 16, iv, 16, cut, copy, 64, cut, 64 - cut) == SO_CRYPTO_OK);
        CHECK(memcmp(copy, cipher, 64) == 0);
    }
    /* The counter carries across bytes: an IV ending in ff ff increments into the byte before. */
    uint8_t wrap_iv[16], zero[32], by_block[32], whole[32];
    memset(wrap_iv, 0, 16);
    wrap_iv[14] = 0xFF;
    wrap_iv[15] = 0xFF;
    memset(zero, 0, 32);
    memcpy(whole, zero, 32);
    CHECK(so_aes128_ctr(key, 16, wrap_iv, 16, 0, whole, 32, 0, 32) == SO_CRYPTO_OK);
    uint8_t next_iv[16];
    memset(next_iv, 0, 16);
    next_iv[13] = 0x01; /* 00..00 ff ff + 1 = 00..01 00 00 */
    memcpy(by_block, zero, 32);
    CHECK(so_aes128_ctr(key, 16, next_iv, 16, 0, by_block, 32, 16, 16) == SO_CRYPTO_OK);
    CHECK(memcmp(whole + 16, by_block + 16, 16) == 0);

    /* Bounds */
    CHECK(so_aes128_ctr(key, 15, iv, 16, 0, copy, 64, 0, 1) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(so_aes128_ctr(key, 16, iv, 8, 0, copy, 64, 0, 1) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(so_aes128_ctr(NULL, 16, iv, 16, 0, copy, 64, 0, 1) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(so_aes128_ctr(key, 16, iv, 16, -1, copy, 64, 0, 1) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(so_aes128_ctr(key, 16, iv, 16, 0, copy, 64, 60, 5) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(so_aes128_ctr(key, 16, iv, 16, 0, copy, 64, 0, -1) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(so_aes128_ctr(key, 16, iv, 16, 0, NULL, 0, 0, 0) == SO_CRYPTO_BAD_ARGUMENT);
    CHECK(so_aes128_ctr(key, 16, iv, 16, 0, copy, 64, 64, 0) == SO_CRYPTO_OK);

    if (failures == 0) printf("agent native crypto: all checks passed\n");
    return failures == 0 ? 0 : 1;
}
