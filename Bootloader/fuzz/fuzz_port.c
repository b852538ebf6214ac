#include <string.h>

#include <mbedtls/sha256.h>

#include "fuzz_port.h"

static uint8_t *area_bytes;
static uint32_t area_len;
static mbedtls_sha256_context sha;

static int geometry(void *ctx, int area, struct bs_geometry *out)
{
    (void)ctx;
    out->size = area == BS_AREA_BOOTSTATE ? area_len : 0;
    out->sector_size = FUZZ_SECTOR;
    out->write_align = 4;
    out->erased = 0xFF;
    return 0;
}

static int in_area(int area, uint32_t offset, uint32_t len)
{
    return area == BS_AREA_BOOTSTATE && offset <= area_len && len <= area_len - offset;
}

static int read_area(void *ctx, int area, uint32_t offset, void *buf, uint32_t len)
{
    (void)ctx;
    if (!in_area(area, offset, len)) return -1;
    memcpy(buf, area_bytes + offset, len);
    return 0;
}

static int program(void *ctx, int area, uint32_t offset, const void *buf, uint32_t len)
{
    (void)ctx;
    if (!in_area(area, offset, len)) return -1;
    for (uint32_t i = 0; i < len; i++) area_bytes[offset + i] &= ((const uint8_t *)buf)[i];
    return 0;
}

static int erase(void *ctx, int area, uint32_t offset, uint32_t len)
{
    (void)ctx;
    if (!in_area(area, offset, len) || offset % FUZZ_SECTOR != 0 || len % FUZZ_SECTOR != 0) return -1;
    memset(area_bytes + offset, 0xFF, len);
    return 0;
}

static void sha_start(void *ctx) { (void)ctx; mbedtls_sha256_init(&sha); mbedtls_sha256_starts_ret(&sha, 0); }
static void sha_update(void *ctx, const void *data, size_t len) { (void)ctx; mbedtls_sha256_update_ret(&sha, data, len); }
static void sha_finish(void *ctx, uint8_t digest[32]) { (void)ctx; mbedtls_sha256_finish_ret(&sha, digest); mbedtls_sha256_free(&sha); }
static int verify(void *ctx, const uint8_t digest[32], const uint8_t sig[64]) { (void)ctx; (void)digest; (void)sig; return 0; }
static int counter_read(void *ctx, uint64_t *value) { (void)ctx; *value = 6; return 0; }
static int counter_advance(void *ctx, uint64_t value) { (void)ctx; (void)value; return 0; }
/* The host port's fixed key (port/host/host_port.c), so the seed banks written by bootsim carry valid MACs. */
static int state_key(void *ctx, uint8_t key[32])
{
    (void)ctx;
    for (int i = 0; i < 32; i++) key[i] = (uint8_t)(0x5A ^ (i * 37));
    return 0;
}

void fuzz_port_init(struct bs_port *port, uint8_t *bootstate, uint32_t bootstate_len)
{
    area_bytes = bootstate;
    area_len = bootstate_len;
    memset(port, 0, sizeof *port);
    port->geometry = geometry;
    port->read = read_area;
    port->program = program;
    port->erase = erase;
    port->sha256_start = sha_start;
    port->sha256_update = sha_update;
    port->sha256_finish = sha_finish;
    port->ecdsa_p256_verify = verify;
    port->counter_read = counter_read;
    port->counter_advance = counter_advance;
    port->state_key = state_key;
}
