/*
 * libbootsim.so: the boot stage on the host port, called in process (device-sim's boards, through
 * P/Invoke: tools/DeviceSimulator/Device/InProcessBootStage.cs) instead of one bootsim process per
 * boot. The same core, the same strict flash model, the same one-line decision as `bootsim boot`.
 */
#include <stdio.h>
#include <string.h>

#include "bootsim_boot.h"
#include "bootstage/bs_boot.h"


#define EXPORT __attribute__((visibility("default")))

/*
 * Boots once on a flash image the caller owns, of any layout: sizes[BS_AREA_COUNT] are the areas' sizes
 * in area order (boot state, staging, deploy, nanoclr, 0, deploy_b, nanoclr_b; the B slots 0 on a swap
 * board, whose image is then bootsim's flash file), back to back in the image. vendor_pub_pem is the
 * vendor key file, *counter the anti-rollback counter (in and out). Returns bootsim's exit code (0 ok,
 * 1 error, 3 power cut, 4 halt) and its line; *slots and *home get the decision's A/B slot bits (0 on a
 * swap board; not changed when the power was cut). The image is changed only as the boot stage's flash
 * operations change it (a cut one torn if tear). stats[BOOTSIM_STAT_COUNT] gets what the boot did to the
 * flash and with the crypto (bootsim_boot.h), a cut boot's up to the cut.
 */
EXPORT int bootsim_boot_areas(uint8_t *image, size_t image_len, const uint32_t *sizes, const char *vendor_pub_pem, const uint8_t vendor_id[16],
                              const uint8_t class_id[16], uint64_t *counter, long cut_after, int tear, char *line, size_t line_cap,
                              uint8_t *slots, uint8_t *home, int64_t *stats)
{
    if (line == NULL || line_cap == 0) return BOOTSIM_ERROR;
    if (image == NULL || sizes == NULL || counter == NULL || vendor_pub_pem == NULL || slots == NULL || home == NULL || stats == NULL) {
        snprintf(line, line_cap, "bootsim: missing argument");
        return BOOTSIM_ERROR;
    }
    struct host_flash fl;
    uint32_t sz[BS_AREA_COUNT];
    size_t total = 0;
    for (int a = 0; a < BS_AREA_COUNT; a++) {
        sz[a] = sizes[a];
        total += sizes[a];
    }
    if (total != image_len || host_flash_init_areas(&fl, sz, BOOTSIM_SECTOR, 4) != 0) {
        snprintf(line, line_cap, "bootsim: a flash image of %zu bytes does not match its %zu bytes of areas (or an area is not whole sectors)", image_len, total);
        return BOOTSIM_ERROR;
    }
    memcpy(fl.mem, image, image_len);
    struct host_port hp;
    if (host_port_init(&hp, &fl, vendor_pub_pem, vendor_id, class_id) != 0) {
        host_flash_free(&fl);
        snprintf(line, line_cap, "bootsim: %s: not a P-256 public key in PEM", vendor_pub_pem);
        return BOOTSIM_ERROR;
    }
    hp.counter = *counter;
    struct bs_decision d;
    memset(&d, 0, sizeof d);
    d.action = -1;
    int rc = bootsim_boot_decide(&hp, cut_after, tear, line, line_cap, &d);
    if (d.action >= 0) {
        *slots = d.slots;
        *home = d.home;
    }
    *counter = hp.counter;
    bootsim_stats(&hp, stats);
    memcpy(image, fl.mem, image_len);
    host_port_free(&hp);
    host_flash_free(&fl);
    return rc;
}
