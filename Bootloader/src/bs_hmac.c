#include <string.h>

#include "bootstage/bs_hmac.h"

void bs_hmac_sha256(const struct bs_port *port, const uint8_t key[32], const uint8_t *msg, size_t len, uint8_t mac[32])
{
    uint8_t pad[64];
    uint8_t inner[32];
    memset(pad, 0x36, sizeof pad);
    for (int i = 0; i < 32; i++) {
        pad[i] ^= key[i];
    }
    port->sha256_start(port->ctx);
    port->sha256_update(port->ctx, pad, sizeof pad);
    port->sha256_update(port->ctx, msg, len);
    port->sha256_finish(port->ctx, inner);
    memset(pad, 0x5C, sizeof pad);
    for (int i = 0; i < 32; i++) {
        pad[i] ^= key[i];
    }
    port->sha256_start(port->ctx);
    port->sha256_update(port->ctx, pad, sizeof pad);
    port->sha256_update(port->ctx, inner, sizeof inner);
    port->sha256_finish(port->ctx, mac);
    memset(pad, 0, sizeof pad);
}
