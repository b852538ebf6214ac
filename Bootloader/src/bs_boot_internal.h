/*
 * What the swap boot (bs_boot.c) and the A/B boot (bs_ab.c) share inside the core: the staged
 * envelope, the request it must match, the decision. Not part of the port's interface.
 */
#ifndef BOOTSTAGE_BS_BOOT_INTERNAL_H
#define BOOTSTAGE_BS_BOOT_INTERNAL_H

#include <stdint.h>

#include "bootstage/bs_boot.h"
#include "bootstage/bs_state.h"
#include "bootstage/bs_suit.h"

/* Reads, authenticates and parses the staged envelope header (docs/boot-protocol.md, "Staging"). */
int bs_load_envelope(const struct bs_port *port, struct bs_suit_envelope *env);
/* bs_load_envelope, except that a header whose SHA-256 equals known (non-NULL: taken from one of the boot
 * stage's own MAC'd records, written when it authenticated that header) is not authenticated again; with
 * digest_out non-NULL the header's SHA-256 is returned there. */
int bs_load_envelope_bound(const struct bs_port *port, struct bs_suit_envelope *env, const uint8_t known[32],
                           uint8_t digest_out[32]);

/* Whether the envelope names the record's image(s): sequence, component, size(s). */
int bs_envelope_matches(const struct bs_suit_envelope *env, const struct bs_record *rec);

/* Constant-time comparison of two SHA-256 digests. */
int bs_digest_equal(const uint8_t *a, const uint8_t *b);

/* Fills the decision; returns 0. */
int bs_finish(struct bs_decision *out, int action, int component, uint64_t seq, int reason);

/* The A/B boot: the whole decision on a board with slots (bs_ab.c). */
int bs_ab_boot(const struct bs_port *port, struct bs_state *st, struct bs_decision *out);

/* 1 if the board has A/B slots (the port reports a deploy_b area), else 0. */
int bs_ab_board(const struct bs_port *port);

#endif /* BOOTSTAGE_BS_BOOT_INTERNAL_H */
