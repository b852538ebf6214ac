/*
 * Why the boot stage refused or undid something. Values 1..21 are the SuitError values of the shared
 * codec (Agent/Core/Suit/SuitError.cs), so the agent reports one vocabulary; 40.. are the boot
 * stage's own. Stable: they are written into boot-state records and reported to the server.
 */
#ifndef BOOTSTAGE_BS_RESULT_H
#define BOOTSTAGE_BS_RESULT_H

enum bs_reason {
    BS_REASON_NONE = 0,
    BS_REASON_TRUNCATED = 1,
    BS_REASON_MALFORMED = 2,
    BS_REASON_NOT_AN_ENVELOPE = 3,
    BS_REASON_HEADER_TOO_LARGE = 4,
    BS_REASON_UNSUPPORTED_ELEMENT = 5,
    BS_REASON_UNSUPPORTED_ALGORITHM = 6,
    BS_REASON_MANIFEST_DIGEST_MISMATCH = 7,
    BS_REASON_BAD_SIGNATURE = 8,
    BS_REASON_SEVERED_MISMATCH = 9,      /* a severed member is not the one the manifest's digest names */
    BS_REASON_MISSING_FIELD = 10,
    BS_REASON_WRONG_VENDOR = 12,
    BS_REASON_WRONG_CLASS = 13,
    BS_REASON_WRONG_COMPONENT = 14,
    BS_REASON_ROLLBACK = 15,
    BS_REASON_IMAGE_TOO_LARGE = 16,
    BS_REASON_PAYLOAD_DIGEST_MISMATCH = 17,
    BS_REASON_NOT_CANONICAL = 21,        /* not the canonical encoding of what it carries (SuitError.NotCanonical) */
    BS_REASON_FLASH_ERROR = 40,          /* a flash operation failed */
    BS_REASON_NOT_CONFIRMED = 41,        /* the new image did not confirm itself: reverted */
    BS_REASON_REVERT_IMPOSSIBLE = 42,    /* the saved old image does not match its digest: kept the new one */
    BS_REASON_BAD_REQUEST = 43,          /* a request record that does not match the staged data set */
    BS_REASON_INSTALL_CHECK_FAILED = 44, /* after the swap the target did not hash to the signed digest: reverted */
    BS_REASON_NO_VERIFIED_IMAGE = 45,    /* neither the new nor the saved old image verifies: recovery, nothing boots */
    BS_REASON_STALE_RECORD = 46,         /* a replayed boot-stage record of an update the counter has passed: ignored */
    BS_REASON_BLANK_IMAGE = 47           /* A/B: the image begins with erased bytes (indistinguishable from an empty slot) */
};

const char *bs_reason_text(int reason);

#endif /* BOOTSTAGE_BS_RESULT_H */
