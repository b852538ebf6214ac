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
    const uint8_t *header; /* the bytes bs_suit_read was given */
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
    /* integrated payload; or detached (no payload member: install's uri is an absolute http(s) URI the
     * agent fetched the image from, and the staged header is the whole envelope) */
    const uint8_t *payload_key;
    size_t payload_key_len;
    uint64_t payload_length;
    size_t header_length; /* bytes before the first payload byte (detached: the whole envelope) */
    int detached;
    /* a severed text (envelope member 23, manifest-37 8.4.4): the bstr as received (what its digest
     * covers) and its contents; NULL when the text is in the manifest */
    const uint8_t *severed_text_wrapped;
    size_t severed_text_wrapped_len;
    const uint8_t *severed_text;
    size_t severed_text_len;
    const uint8_t *text_digest;     /* the manifest's digest of a severed text, or NULL */
    /* from the manifest, after bs_suit_parse_manifest */
    uint64_t sequence;
    int component; /* BS_AREA_DEPLOY, BS_AREA_NANOCLR, BS_COMPONENT_PAIR, or -1 */
    const uint8_t *vendor_id;
    const uint8_t *class_id;
    const uint8_t *image_digest;
    uint64_t image_size;
    int has_image_size;
    int checks_vendor, checks_class, validates_image, has_install, install_fetches_payload;
    /* what the canonical form is rebuilt from (bs_canon.c) */
    const uint8_t *component_name;
    size_t component_name_len;
    int encrypted_shape;            /* two components: the target and "ciphertext" (fetched into 1, copied into 0) */
    int pair;                       /* two targets: "nanoclr" (0) and "deploy" (1), installed together */
    /* the second image of a pair (component 1), as the first's fields above describe component 0 */
    const uint8_t *image2_digest;
    uint64_t image2_size;
    int has_image2_size, checks_vendor2, checks_class2, validates_image2, install_fetches_payload2;
    const uint8_t *uri2;
    size_t uri2_len;
    /* an encrypted pair: a third component "ciphertext" each image is fetched into and copied out of */
    int pair_encrypted;
    int pair_copies;                /* bits: target 0 source 2, target 0 copies, target 1 source 2, target 1 copies */
    const uint8_t *encryption_info2;
    size_t encryption_info2_len;
    const uint8_t *pending_uri;     /* the uri last set on "ciphertext": the image the next copy takes */
    size_t pending_uri_len;
    int copies_from_ciphertext;     /* install sets source-component 1 on the target and copies */
    const uint8_t *encryption_info; /* install's encryption-info bstr contents (on the target), or NULL */
    size_t encryption_info_len;
    const uint8_t *uri;             /* install's uri, or NULL */
    size_t uri_len;
    const uint8_t *text[3];         /* text model name (2), vendor domain (3), component version (6), or NULL */
    size_t text_len[3];
    int text_unusual;               /* the text member has a shape the builder never writes */
    /* a firmware dependency (docs/data-set-format.md 1c): "deploy" whose last component "nanoclr" is only
     * compared, suit-parameter-version [greater-equal, version] and suit-condition-version (28) */
    int component_count;
    int dependency;                 /* the index of "nanoclr" in such a data set, else 0 */
    int checks_version;
    int requires_fw_parts;          /* 1..BS_SUIT_MAX_VERSION_PARTS when set */
    uint32_t requires_fw[4];
};

/* Parts of a required firmware version (System.Version: major, minor, build, revision; SuitProfile.MaxDependencyParts). */
#define BS_SUIT_MAX_VERSION_PARTS 4

/* Limits of the shared C# reader, applied identically (Agent/Core/Suit): a text or byte string over
 * them is refused as malformed by both. */
/* A data set that installs firmware and application together (the record's component value). */
#define BS_COMPONENT_PAIR 4

#define BS_SUIT_MAX_PAYLOAD_KEY 64u
#define BS_SUIT_MAX_URI 512u
#define BS_SUIT_MAX_ENCRYPTION_INFO 1024u
#define BS_SUIT_MAX_COMPONENT_PART 256u
#define BS_SUIT_MAX_TEXT 256u

/* Reads the envelope up to the integrated payload's bstr header. Returns 0 or a bs_reason. */
int bs_suit_read(const uint8_t *header, size_t len, struct bs_suit_envelope *env);

/* Manifest digest, then signature with the port's vendor key. Returns 0 or a bs_reason. */
int bs_suit_authenticate(const struct bs_port *port, const struct bs_suit_envelope *env);

/* Parses the (authenticated) manifest and checks the profile and this device's identity, and last that
 * the header is the canonical encoding of what it carries (bs_suit_canonical). */
int bs_suit_parse_manifest(const struct bs_port *port, struct bs_suit_envelope *env);

/* The canonical-form rule (docs/data-set-format.md, "Canonical form"): the manifest and the envelope
 * header must be byte for byte what the profile's builder (Agent/Core/Suit/SuitBuilder.cs) writes for the
 * values they carry, with one low-S signature. Returns 0 or BS_REASON_NOT_CANONICAL. */
int bs_suit_canonical(const struct bs_suit_envelope *env);

/* Strict UTF-8 (RFC 3629): no overlong forms, surrogates or code points above U+10FFFF, as the shared
 * C# reader (Agent/Core/Cbor/Utf8.cs) decodes it. */
int bs_utf8_valid(const uint8_t *p, size_t len);

#endif /* BOOTSTAGE_BS_SUIT_H */
