/* libFuzzer target: the boot stage's CBOR/SUIT reader on an arbitrary staged envelope header
 * (bs_suit_read, then the manifest digest and the manifest parser; the fuzz port accepts any signature
 * so the parser behind it is reached). Built with AddressSanitizer and UndefinedBehaviorSanitizer. */
#include <string.h>

#include "bootstage/bs_suit.h"
#include "fuzz_port.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t bootstate[FUZZ_BOOTSTATE_BYTES];
    struct bs_port port;
    fuzz_port_init(&port, bootstate, sizeof bootstate);
    /* The device identity the fixtures' data sets name (SHA-256 of the vendor domain and class, 16 bytes)
     * is not needed for coverage: any 16 bytes reach every branch of the comparison. */
    memset(port.vendor_id, 0, 16);
    memset(port.class_id, 0, 16);
    struct bs_suit_envelope env;
    if (bs_suit_read(data, size, &env) == 0 && bs_suit_authenticate(&port, &env) == 0) {
        (void)bs_suit_parse_manifest(&port, &env);
    }
    return 0;
}
