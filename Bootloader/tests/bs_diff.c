/*
 * The boot stage's data-set reader as a shared library (libbs_diff.so) for the differential fuzzer
 * (tools/DiffFuzz): the same calls the boot stage makes on a staged envelope header (bs_suit_read,
 * bs_suit_authenticate with the host port's mbedTLS ECDSA, bs_suit_parse_manifest), with the
 * verdict and the fields it decided on. Test-only: never part of a device build.
 */
#include <string.h>

#include "bootstage/bs_result.h"
#include "bootstage/bs_suit.h"
#include "host_port.h"

struct bs_diff_result {
    int reason;            /* 0 accepted, else a bs_reason */
    int component;         /* BS_AREA_DEPLOY / BS_AREA_NANOCLR when accepted */
    uint64_t sequence;
    uint64_t image_size;
    uint8_t image_digest[32];
};

static struct host_port hp;
static int opened;

int bs_diff_open(const char *vendor_pub_pem, const uint8_t vendor_id[16], const uint8_t class_id[16]);
int bs_diff_check(const uint8_t *header, size_t len, struct bs_diff_result *out);

int bs_diff_open(const char *vendor_pub_pem, const uint8_t vendor_id[16], const uint8_t class_id[16])
{
    if (opened) {
        host_port_free(&hp);
        opened = 0;
    }
    if (host_port_init(&hp, NULL, vendor_pub_pem, vendor_id, class_id) != 0) {
        return -1;
    }
    opened = 1;
    return 0;
}

int bs_diff_check(const uint8_t *header, size_t len, struct bs_diff_result *out)
{
    memset(out, 0, sizeof *out);
    if (!opened) {
        return out->reason = BS_REASON_FLASH_ERROR;
    }
    struct bs_suit_envelope env;
    int r = bs_suit_read(header, len, &env);
    if (r == 0) r = bs_suit_authenticate(&hp.port, &env);
    if (r == 0) r = bs_suit_parse_manifest(&hp.port, &env);
    out->reason = r;
    if (r == 0) {
        out->component = env.component;
        out->sequence = env.sequence;
        out->image_size = env.image_size;
        memcpy(out->image_digest, env.image_digest, 32);
    }
    return r;
}
