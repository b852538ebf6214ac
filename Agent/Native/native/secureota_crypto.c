/* SHA-256 and AES-128-CTR for managed code over mbedTLS (secureota_crypto.h). The same source runs on
 * the board (ESP-IDF's mbedTLS 3.x with the accelerators) and in CTest (Debian's mbedTLS 2.28). */
#include "secureota_crypto.h"

#include <string.h>

#include "mbedtls/aes.h"
#include "mbedtls/sha256.h"
#include "mbedtls/version.h"

/* mbedTLS 3 renamed the *_ret functions of 2.x to the plain names (mbedtls 3.0 migration guide). */
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define SO_SHA256_STARTS(c) mbedtls_sha256_starts((c), 0)
#define SO_SHA256_UPDATE(c, d, n) mbedtls_sha256_update((c), (d), (n))
#define SO_SHA256_FINISH(c, o) mbedtls_sha256_finish((c), (o))
#else
#define SO_SHA256_STARTS(c) mbedtls_sha256_starts_ret((c), 0)
#define SO_SHA256_UPDATE(c, d, n) mbedtls_sha256_update_ret((c), (d), (n))
#define SO_SHA256_FINISH(c, o) mbedtls_sha256_finish_ret((c), (o))
#endif

static struct {
    int used;
    mbedtls_sha256_context ctx;
} slots[SO_SHA256_SLOTS];

/* offset and count lie inside an array of length (all signed, from managed code). */
static int in_array(const void *array, int32_t length, int32_t offset, int32_t count)
{
    return array != NULL && length >= 0 && offset >= 0 && count >= 0 && offset <= length && count <= length - offset;
}

static int valid_handle(int32_t handle)
{
    return handle >= 0 && handle < SO_SHA256_SLOTS && slots[handle].used;
}

int32_t so_sha256_begin(void)
{
    for (int32_t h = 0; h < SO_SHA256_SLOTS; h++) {
        if (!slots[h].used) {
            mbedtls_sha256_init(&slots[h].ctx);
            if (SO_SHA256_STARTS(&slots[h].ctx) != 0) {
                mbedtls_sha256_free(&slots[h].ctx);
                return -1;
            }
            slots[h].used = 1;
            return h;
        }
    }
    return -1;
}

int so_sha256_update(int32_t handle, const uint8_t *buffer, int32_t buffer_length, int32_t offset, int32_t count)
{
    if (!valid_handle(handle) || !in_array(buffer, buffer_length, offset, count)) {
        return SO_CRYPTO_BAD_ARGUMENT;
    }
    return SO_SHA256_UPDATE(&slots[handle].ctx, buffer + offset, (size_t)count) == 0 ? SO_CRYPTO_OK : SO_CRYPTO_FAILED;
}

int so_sha256_finish(int32_t handle, uint8_t *output, int32_t output_length, int32_t offset)
{
    if (!valid_handle(handle)) {
        return SO_CRYPTO_BAD_ARGUMENT;
    }
    int status = SO_CRYPTO_BAD_ARGUMENT;
    if (in_array(output, output_length, offset, 32)) {
        status = SO_SHA256_FINISH(&slots[handle].ctx, output + offset) == 0 ? SO_CRYPTO_OK : SO_CRYPTO_FAILED;
    }
    so_sha256_abort(handle);
    return status;
}

void so_sha256_abort(int32_t handle)
{
    if (valid_handle(handle)) {
        mbedtls_sha256_free(&slots[handle].ctx); /* unlocks the engine on ESP32, zeroises the state */
        slots[handle].used = 0;
    }
}

/* counter += blocks, as a 128-bit big-endian integer (wrapping, as SP 800-38A leaves to the user). */
static void add_to_counter(uint8_t counter[16], uint32_t blocks)
{
    uint32_t carry = blocks;
    for (int i = 15; i >= 0 && carry != 0; i--) {
        uint32_t sum = counter[i] + (carry & 0xFFu);
        counter[i] = (uint8_t)sum;
        carry = (carry >> 8) + (sum >> 8);
    }
}

int so_aes128_ctr(const uint8_t *key, int32_t key_length, const uint8_t *iv, int32_t iv_length, int32_t position,
                  uint8_t *buffer, int32_t buffer_length, int32_t offset, int32_t count)
{
    if (key == NULL || key_length != 16 || iv == NULL || iv_length != 16 || position < 0 || !in_array(buffer, buffer_length, offset, count)) {
        return SO_CRYPTO_BAD_ARGUMENT;
    }
    uint8_t counter[16], stream[16];
    memcpy(counter, iv, 16);
    add_to_counter(counter, (uint32_t)position / 16u);
    size_t within = (size_t)position % 16u;
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    int status = mbedtls_aes_setkey_enc(&aes, key, 128) == 0 ? SO_CRYPTO_OK : SO_CRYPTO_FAILED;
    if (status == SO_CRYPTO_OK && within != 0) {
        /* Start inside a block: mbedTLS continues from stream_block at nc_off with the counter already
         * past that block (library/aes.c, mbedtls_aes_crypt_ctr). */
        status = mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, counter, stream) == 0 ? SO_CRYPTO_OK : SO_CRYPTO_FAILED;
        add_to_counter(counter, 1);
    }
    if (status == SO_CRYPTO_OK && count > 0) {
        status = mbedtls_aes_crypt_ctr(&aes, (size_t)count, &within, counter, stream, buffer + offset, buffer + offset) == 0 ? SO_CRYPTO_OK : SO_CRYPTO_FAILED;
    }
    mbedtls_aes_free(&aes);
    memset(stream, 0, sizeof stream);
    return status;
}
