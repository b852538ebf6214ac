/* Native side of SecureOta.Native.Crypto (Agent/Native/Crypto.cs): SHA-256 and AES-128-CTR over whole
 * chunks per call, through mbedTLS, which ESP-IDF builds with the ESP32's SHA and AES accelerators
 * (components/mbedtls/port: MBEDTLS_SHA256_ALT, MBEDTLS_AES_ALT; issue 14). Every length comes from
 * managed code and is checked against the managed array's real length before mbedTLS is called. */
#ifndef SECUREOTA_CRYPTO_H
#define SECUREOTA_CRYPTO_H

#include <stdint.h>

/* Results for managed code (SecureOta.Native.Crypto.Ok ...). */
enum so_crypto_status {
    SO_CRYPTO_OK = 0,
    SO_CRYPTO_BAD_ARGUMENT = 1, /* an offset, count, length or handle out of bounds */
    SO_CRYPTO_FAILED = 2,       /* mbedTLS refused (never expected for valid arguments) */
};

/* Hashes in progress at once. ESP-IDF's ESP32 port keeps the SHA engine locked from a context's first
 * block until it is finished or freed (port/sha/parallel_engine/esp_sha256.c: esp_sha_try_lock_engine,
 * esp_sha_unlock_engine); a second context, the firmware's own TLS included, then hashes in software.
 * Two slots: the agent needs one, a second for a verification nested in a download. */
#define SO_SHA256_SLOTS 2

/* A new SHA-256; its handle (0 .. SO_SHA256_SLOTS-1), or -1 when every slot is in use. */
int32_t so_sha256_begin(void);

/* Hashes buffer[offset .. offset+count); buffer_length is the managed array's length. */
int so_sha256_update(int32_t handle, const uint8_t *buffer, int32_t buffer_length, int32_t offset, int32_t count);

/* Writes the 32-byte digest at output[offset] and frees the handle (also when it fails). */
int so_sha256_finish(int32_t handle, uint8_t *output, int32_t output_length, int32_t offset);

/* Frees the handle without a digest (a message abandoned: the engine must not stay locked). */
void so_sha256_abort(int32_t handle);

/* XORs buffer[offset .. offset+count) with the AES-128-CTR keystream (NIST SP 800-38A 6.5: counter
 * blocks from the 16-byte iv, incremented as a 128-bit big-endian integer) of the message from byte
 * position on; stateless, so a resumed download decrypts from where it stopped. */
int so_aes128_ctr(const uint8_t *key, int32_t key_length, const uint8_t *iv, int32_t iv_length, int32_t position,
                  uint8_t *buffer, int32_t buffer_length, int32_t offset, int32_t count);

#endif
