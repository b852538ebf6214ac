#include <stdio.h>
#include <string.h>

#include <mbedtls/pk.h>

#include "host_port.h"

static void sha_start(void *ctx)
{
    struct host_port *hp = ctx;
    mbedtls_sha256_init(&hp->sha);
    mbedtls_sha256_starts_ret(&hp->sha, 0);
}

static void sha_update(void *ctx, const void *data, size_t len)
{
    struct host_port *hp = ctx;
    hp->bytes_hashed += (long)len;
    mbedtls_sha256_update_ret(&hp->sha, data, len);
}

static void sha_finish(void *ctx, uint8_t digest[32])
{
    struct host_port *hp = ctx;
    mbedtls_sha256_finish_ret(&hp->sha, digest);
    mbedtls_sha256_free(&hp->sha);
}

static int verify(void *ctx, const uint8_t digest[32], const uint8_t sig[64])
{
    struct host_port *hp = ctx;
    hp->signatures_checked++;
    mbedtls_mpi r, s;
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    int rc = mbedtls_mpi_read_binary(&r, sig, 32);
    if (rc == 0) rc = mbedtls_mpi_read_binary(&s, sig + 32, 32);
    if (rc == 0) rc = mbedtls_ecdsa_verify(&hp->group, digest, 32, &hp->vendor_key, &r, &s);
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    return rc == 0 ? 0 : -1;
}

static int counter_read(void *ctx, uint64_t *value)
{
    *value = ((struct host_port *)ctx)->counter;
    return 0;
}

static int counter_advance(void *ctx, uint64_t value)
{
    struct host_port *hp = ctx;
    if (value > hp->counter) {
        hp->counter = value;
    }
    return 0;
}

static int state_key(void *ctx, uint8_t key[32])
{
    memcpy(key, ((struct host_port *)ctx)->state_key, 32);
    return 0;
}

static int geometry(void *ctx, int area, struct bs_geometry *out) { return host_flash_geometry(((struct host_port *)ctx)->flash, area, out); }
static int fread_(void *ctx, int area, uint32_t off, void *buf, uint32_t len) { return host_flash_read(((struct host_port *)ctx)->flash, area, off, buf, len); }
static int fprog(void *ctx, int area, uint32_t off, const void *buf, uint32_t len) { return host_flash_program(((struct host_port *)ctx)->flash, area, off, buf, len); }
static int ferase(void *ctx, int area, uint32_t off, uint32_t len) { return host_flash_erase(((struct host_port *)ctx)->flash, area, off, len); }

int host_port_init(struct host_port *hp, struct host_flash *flash, const char *vendor_pub_pem,
                   const uint8_t vendor_id[16], const uint8_t class_id[16])
{
    memset(hp, 0, sizeof *hp);
    hp->flash = flash;
    mbedtls_ecp_group_init(&hp->group);
    mbedtls_ecp_point_init(&hp->vendor_key);
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    if (mbedtls_pk_parse_public_keyfile(&pk, vendor_pub_pem) != 0 || mbedtls_pk_get_type(&pk) != MBEDTLS_PK_ECKEY
        || mbedtls_pk_ec(pk)->grp.id != MBEDTLS_ECP_DP_SECP256R1) {
        fprintf(stderr, "%s: not a P-256 public key in PEM\n", vendor_pub_pem);
        mbedtls_pk_free(&pk);
        return -1;
    }
    mbedtls_ecp_group_load(&hp->group, MBEDTLS_ECP_DP_SECP256R1);
    mbedtls_ecp_copy(&hp->vendor_key, &mbedtls_pk_ec(pk)->Q);
    mbedtls_pk_free(&pk);
    /* The host port's state key is fixed: on a device it comes from a read-protected eFuse key block. */
    for (int i = 0; i < 32; i++) {
        hp->state_key[i] = (uint8_t)(0x5A ^ (i * 37));
    }
    struct bs_port *p = &hp->port;
    p->ctx = hp;
    p->geometry = geometry;
    p->read = fread_;
    p->program = fprog;
    p->erase = ferase;
    p->sha256_start = sha_start;
    p->sha256_update = sha_update;
    p->sha256_finish = sha_finish;
    p->ecdsa_p256_verify = verify;
    p->counter_read = counter_read;
    p->counter_advance = counter_advance;
    p->state_key = state_key;
    memcpy(p->vendor_id, vendor_id, 16);
    memcpy(p->class_id, class_id, 16);
    return 0;
}

void host_port_free(struct host_port *hp)
{
    mbedtls_ecp_group_free(&hp->group);
    mbedtls_ecp_point_free(&hp->vendor_key);
}
