/*
 * Host port: the boot stage's port interface over the strict flash model, mbedTLS (Debian's
 * libmbedtls) for SHA-256 and ECDSA P-256, an in-memory anti-rollback counter, and a fixed state key.
 */
#ifndef HOST_PORT_H
#define HOST_PORT_H

#include <mbedtls/ecdsa.h>
#include <mbedtls/sha256.h>

#include "bootstage/bs_port.h"
#include "host_flash.h"

struct host_port {
    struct bs_port port;
    struct host_flash *flash;
    mbedtls_sha256_context sha;
    mbedtls_ecp_group group;
    mbedtls_ecp_point vendor_key;
    uint64_t counter;
    uint8_t state_key[32];
    /* statistics: what device-sim charges the boot stage's crypto by (Esp32Model) */
    long bytes_hashed;
    long signatures_checked;
};

/* Loads the vendor public key (PEM, P-256). Returns 0, or -1 with a message on stderr. */
int host_port_init(struct host_port *hp, struct host_flash *flash, const char *vendor_pub_pem,
                   const uint8_t vendor_id[16], const uint8_t class_id[16]);
void host_port_free(struct host_port *hp);

#endif /* HOST_PORT_H */
