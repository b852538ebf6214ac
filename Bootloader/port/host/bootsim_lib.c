/*
 * libbootsim.so: the boot stage on the host port, called in process (device-sim's boards, through
 * P/Invoke: tools/DeviceSimulator/Device/InProcessBootStage.cs) instead of one bootsim process per
 * boot. The same core, the same strict flash model, the same one-line decision as `bootsim boot`.
 */
#include <stdio.h>
#include <string.h>

#include "bootsim_boot.h"


#define EXPORT __attribute__((visibility("default")))

/* Size of the flash image bootsim_boot_image takes. */
EXPORT size_t bootsim_image_size(void)
{
    return (size_t)BOOTSIM_BOOTSTATE_SIZE + BOOTSIM_STAGING_SIZE + BOOTSIM_DEPLOY_SIZE + BOOTSIM_NANOCLR_SIZE;
}

/*
 * Boots once on a flash image the caller owns (boot state, staging, deploy, nanoclr back to back, as
 * bootsim's flash file): vendor_pub_pem is the vendor key file, *counter the anti-rollback counter (in
 * and out). Returns bootsim's exit code (0 ok, 1 error, 3 power cut, 4 halt) and its line. The image is
 * changed only as the boot stage's flash operations change it (a cut one torn if tear).
 */
EXPORT int bootsim_boot_image(uint8_t *image, size_t image_len, const char *vendor_pub_pem, const uint8_t vendor_id[16],
                              const uint8_t class_id[16], uint64_t *counter, long cut_after, int tear, char *line, size_t line_cap)
{
    if (line == NULL || line_cap == 0) return BOOTSIM_ERROR;
    if (image == NULL || image_len != bootsim_image_size() || counter == NULL || vendor_pub_pem == NULL) {
        snprintf(line, line_cap, "bootsim: the flash image must be %zu bytes (4 MB layout)", bootsim_image_size());
        return BOOTSIM_ERROR;
    }
    struct host_flash fl;
    if (host_flash_init(&fl, BOOTSIM_BOOTSTATE_SIZE, BOOTSIM_STAGING_SIZE, BOOTSIM_DEPLOY_SIZE, BOOTSIM_NANOCLR_SIZE, BOOTSIM_SECTOR, 4) != 0) {
        snprintf(line, line_cap, "bootsim: out of memory");
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
    int rc = bootsim_boot_once(&hp, cut_after, tear, line, line_cap);
    *counter = hp.counter;
    memcpy(image, fl.mem, image_len);
    host_port_free(&hp);
    host_flash_free(&fl);
    return rc;
}
