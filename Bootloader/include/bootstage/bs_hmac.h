/* HMAC-SHA256 (RFC 2104) over the port's SHA-256, for boot-state record authentication. */
#ifndef BOOTSTAGE_BS_HMAC_H
#define BOOTSTAGE_BS_HMAC_H

#include <stddef.h>
#include <stdint.h>

#include "bootstage/bs_port.h"

void bs_hmac_sha256(const struct bs_port *port, const uint8_t key[32], const uint8_t *msg, size_t len, uint8_t mac[32]);

#endif /* BOOTSTAGE_BS_HMAC_H */
