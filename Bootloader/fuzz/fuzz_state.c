/* libFuzzer target: the boot-state reader (both banks' records, MACs and progress logs) on arbitrary
 * bytes of the boot-state partition, then one record write and log append on whatever it found.
 * Built with AddressSanitizer and UndefinedBehaviorSanitizer. */
#include <string.h>

#include "bootstage/bs_state.h"
#include "fuzz_port.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t bootstate[FUZZ_BOOTSTATE_BYTES];
    memset(bootstate, 0xFF, sizeof bootstate);
    memcpy(bootstate, data, size < sizeof bootstate ? size : sizeof bootstate);
    struct bs_port port;
    fuzz_port_init(&port, bootstate, sizeof bootstate);
    struct bs_state st;
    if (bs_state_load(&port, &st) != 0) {
        return 0;
    }
    (void)bs_state_steps(&st);
    if (st.cur_bank >= 0) {
        struct bs_record rec = st.cur;
        if (bs_state_log(&port, &st, 1, 0) == 0) {
            (void)bs_state_write(&port, &st, &rec, BS_WRITER_BOOT);
        }
    }
    return 0;
}
