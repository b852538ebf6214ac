/*
 * The boot stage's reading of a staged SUIT envelope header (docs/data-set-format.md): only the
 * profile this product installs, checked as strictly as the shared C# codec checks it. Pointers in
 * the result point into the caller's header buffer.
 */
#ifndef BOOTSTAGE_BS_SUIT_H
#define BOOTSTAGE_BS_SUIT_H

#include <stddef.h>
#include <stdint.h>

#include "bootstage/bs_port.h"

#define BS_SUIT_MAX_HEADER 4096u
#define BS_SUIT_MAX_SIGNATURES 4

struct bs_suit_envelope {
    /* authentication wrapper */
    const uint8_t *digest_encoded; /* the encoded SUIT_Digest: the detached COSE payload */
    size_t digest_encoded_len;
    const uint8_t *auth_digest;    /* its 32 digest bytes */
    int signatures;
    const uint8_t *protected_hdr[BS_SUIT_MAX_SIGNATURES];
    size_t protected_len[BS_SUIT_MAX_SIGNATURES];
    const uint8_t *signature[BS_SUIT_MAX_SIGNATURES];
    /* manifest */
    const uint8_t *manifest_wrapped; /* bstr header + contents: what the digest covers */
    size_t manifest_wrapped_len;
    const uint8_t *manifest;
    size_t manifest_len;
    /* integrated payload */
    const uint8_t *payload_key;
    size_t payload_key_len;
    uint64_t payload_length;
    size_t header_length; /* bytes before the first payload byte */
    /* from the manifest, after bs_suit_parse_manifest */
    uint64_t sequence;
    int component; /* BS_AREA_DEPLOY, BS_AREA_NANOCLR, or -1 */
    const uint8_t *vendor_id;
    const uint8_t *class_id;
    const uint8_t *image_digest;
    uint64_t image_size;
    int has_image_size;
    int checks_vendor, checks_class, validates_image, has_install, install_fetches_payload;
};

/* Reads the envelope up to the integrated payload's bstr header. Returns 0 or a bs_reason. */
int bs_suit_read(const uint8_t *header, size_t len, struct bs_suit_envelope *env);

/* Manifest digest, then signature with the port's vendor key. Returns 0 or a bs_reason. */
int bs_suit_authenticate(const struct bs_port *port, const struct bs_suit_envelope *env);

/* Parses the (authenticated) manifest and checks the profile and this device's identity. */
int bs_suit_parse_manifest(const struct bs_port *port, struct bs_suit_envelope *env);

#endif /* BOOTSTAGE_BS_SUIT_H */
