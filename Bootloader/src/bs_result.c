#include "bootstage/bs_result.h"

const char *bs_reason_text(int reason)
{
    switch (reason) {
    case BS_REASON_NONE: return "ok";
    case BS_REASON_TRUNCATED: return "truncated envelope";
    case BS_REASON_MALFORMED: return "malformed envelope";
    case BS_REASON_NOT_AN_ENVELOPE: return "not a SUIT envelope";
    case BS_REASON_HEADER_TOO_LARGE: return "envelope header too large";
    case BS_REASON_UNSUPPORTED_ELEMENT: return "unsupported element";
    case BS_REASON_UNSUPPORTED_ALGORITHM: return "unsupported algorithm";
    case BS_REASON_MANIFEST_DIGEST_MISMATCH: return "manifest digest mismatch";
    case BS_REASON_BAD_SIGNATURE: return "bad signature";
    case BS_REASON_SEVERED_MISMATCH: return "severed member does not match its digest";
    case BS_REASON_MISSING_FIELD: return "missing field";
    case BS_REASON_WRONG_VENDOR: return "wrong vendor";
    case BS_REASON_WRONG_CLASS: return "wrong class";
    case BS_REASON_WRONG_COMPONENT: return "wrong component";
    case BS_REASON_ROLLBACK: return "sequence rollback";
    case BS_REASON_IMAGE_TOO_LARGE: return "image too large";
    case BS_REASON_PAYLOAD_DIGEST_MISMATCH: return "image digest mismatch";
    case BS_REASON_NOT_CANONICAL: return "not the canonical form of a data set";
    case BS_REASON_FLASH_ERROR: return "flash error";
    case BS_REASON_NOT_CONFIRMED: return "not confirmed";
    case BS_REASON_REVERT_IMPOSSIBLE: return "saved image corrupt, kept the new one";
    case BS_REASON_BAD_REQUEST: return "request does not match the staged data set";
    case BS_REASON_INSTALL_CHECK_FAILED: return "installed image failed its check";
    case BS_REASON_NO_VERIFIED_IMAGE: return "no verifiable image: recovery";
    case BS_REASON_STALE_RECORD: return "stale boot-state record ignored";
    case BS_REASON_BLANK_IMAGE: return "image begins with erased bytes";
    default: return "unknown";
    }
}
