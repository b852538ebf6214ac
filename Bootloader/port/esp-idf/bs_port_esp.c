/*
 * ESP-IDF port of the boot stage: NOT BUILT in this repository (no ESP-IDF or ESP32 compiler can be
 * installed here). It is written against the ESP-IDF v5 bootloader APIs as read from their headers
 * (bootloader_flash_priv.h, bootloader_sha.h, esp_flash_partitions.h) and kept thin: everything that
 * decides is in the portable core, which the host tests cover. See README.md in this folder for what
 * was checked and what remains to be done on a machine with ESP-IDF.
 *
 * Hook: a bootloader_components/secure_ota component whose bootloader_after_init() (or a custom
 * bootloader_start) calls bs_esp_boot() before the image is selected.
 */
#include <string.h>

#include "bootloader_flash_priv.h"
#include "bootloader_sha.h"
#include "esp_flash_partitions.h"

#include "bootstage/bs_boot.h"
#include "bootstage/bs_port.h"

#define BS_ESP_SECTOR 0x1000u

/* Partition labels by area (Bootloader/partitions/*.csv); 4 is no area. deploy_b and nanoclr_b exist only
 * on an A/B board (partitions_{4,8}mb_ab.csv); the first four are required. */
static const char *const area_labels[BS_AREA_COUNT] = {"bootstate", "staging", "deploy", "nanoclr", NULL, "deploy_b", "nanoclr_b"};
#define BS_ESP_REQUIRED ((1 << BS_AREA_BOOTSTATE) | (1 << BS_AREA_STAGING) | (1 << BS_AREA_DEPLOY) | (1 << BS_AREA_NANOCLR))

struct esp_ctx {
    uint32_t offset[BS_AREA_COUNT];
    uint32_t size[BS_AREA_COUNT];
    bootloader_sha256_handle_t sha;
};

static struct esp_ctx ctx;

/* Reads the partition table (ESP_PARTITION_TABLE_OFFSET) and finds our four partitions by label. */
static int find_partitions(void)
{
    esp_partition_info_t entry;
    int found = 0;
    for (uint32_t i = 0; i < ESP_PARTITION_TABLE_MAX_ENTRIES; i++) {
        if (bootloader_flash_read(ESP_PARTITION_TABLE_OFFSET + i * sizeof entry, &entry, sizeof entry, true) != ESP_OK
            || entry.magic != ESP_PARTITION_MAGIC) {
            break;
        }
        for (int a = 0; a < BS_AREA_COUNT; a++) {
            if (area_labels[a] != NULL && strncmp((const char *)entry.label, area_labels[a], sizeof entry.label) == 0) {
                ctx.offset[a] = entry.pos.offset;
                ctx.size[a] = entry.pos.size;
                found |= 1 << a;
            }
        }
    }
    return (found & BS_ESP_REQUIRED) == BS_ESP_REQUIRED ? 0 : -1;
}

static int geometry(void *c, int area, struct bs_geometry *g)
{
    (void)c;
    if (area < 0 || area >= BS_AREA_COUNT || ctx.size[area] == 0) return -1; /* not on this board */
    g->size = ctx.size[area];
    g->sector_size = BS_ESP_SECTOR;
    g->write_align = 4;      /* 16 or 32 with flash encryption: see README */
    g->erased = 0xFF;
    return 0;
}

static int flash_read(void *c, int area, uint32_t off, void *buf, uint32_t len)
{
    (void)c;
    return bootloader_flash_read(ctx.offset[area] + off, buf, len, true) == ESP_OK ? 0 : -1;
}

static int flash_program(void *c, int area, uint32_t off, const void *buf, uint32_t len)
{
    (void)c;
    return bootloader_flash_write(ctx.offset[area] + off, (void *)buf, len, false) == ESP_OK ? 0 : -1;
}

static int flash_erase(void *c, int area, uint32_t off, uint32_t len)
{
    (void)c;
    return bootloader_flash_erase_range(ctx.offset[area] + off, len) == ESP_OK ? 0 : -1;
}

static void sha_start(void *c) { (void)c; ctx.sha = bootloader_sha256_start(); }
static void sha_update(void *c, const void *d, size_t n) { (void)c; bootloader_sha256_data(ctx.sha, d, n); }
static void sha_finish(void *c, uint8_t out[32]) { (void)c; bootloader_sha256_finish(ctx.sha, out); }

/* TODO(on hardware): ECDSA P-256 verify with the vendor key compiled into this component; the chips
 * with ECDSA secure boot have a ROM/peripheral verifier, the ESP32 (RSA secure boot) needs mbedTLS'
 * ecdsa linked into the bootloader. Until then this fails closed: nothing can be installed. */
static int verify(void *c, const uint8_t digest[32], const uint8_t sig[64])
{
    (void)c; (void)digest; (void)sig;
    return -1;
}

/* TODO(on hardware): the eFuse secure_version field (32 bits on ESP32: a thermometer code, so the
 * value is the count of burnt bits) as the anti-rollback counter. Fails closed until done. */
static int counter_read(void *c, uint64_t *value) { (void)c; *value = UINT64_MAX; return -1; }
static int counter_advance(void *c, uint64_t value) { (void)c; (void)value; return -1; }

/* TODO(on hardware): a read-protected eFuse key block used through the HMAC peripheral (chips that
 * have one) or derived from the flash-encryption key; the application must not be able to read it. */
static int state_key(void *c, uint8_t key[32]) { (void)c; (void)key; return -1; }

/* Device identity, provisioned at build time (the vendor's UUIDs, docs/data-set-format.md). */
#ifndef BS_ESP_VENDOR_ID
#define BS_ESP_VENDOR_ID {0}
#endif
#ifndef BS_ESP_CLASS_ID
#define BS_ESP_CLASS_ID {0}
#endif

int bs_esp_boot(struct bs_decision *decision)
{
    static const uint8_t vendor[16] = BS_ESP_VENDOR_ID, cls[16] = BS_ESP_CLASS_ID;
    struct bs_port port = {
        .ctx = &ctx, .geometry = geometry, .read = flash_read, .program = flash_program, .erase = flash_erase,
        .sha256_start = sha_start, .sha256_update = sha_update, .sha256_finish = sha_finish,
        .ecdsa_p256_verify = verify, .counter_read = counter_read, .counter_advance = counter_advance, .state_key = state_key,
    };
    memcpy(port.vendor_id, vendor, 16);
    memcpy(port.class_id, cls, 16);
    if (find_partitions() != 0) {
        decision->action = BS_ACTION_ERROR;
        return -1;
    }
    return bs_boot(&port, decision);
}

/*
 * TODO(on hardware) — the A/B hand-over (docs/boot-protocol.md, "A/B slots"; docs/device-build.md): on
 * an A/B board the port boots the firmware slot the decision names (bit BS_SLOT_NANOCLR: ota_1, else
 * ota_0, loaded with bootloader_utility_load_boot_image for that partition index; otadata is not read,
 * because the application can write it and the boot stage's MAC'd records are the authority) and
 * leaves {magic, decision->slots, decision->home} in ESP-IDF's custom RTC retain area
 * (bootloader_common_get_rtc_retain_mem()->custom, CONFIG_BOOTLOADER_CUSTOM_RESERVE_RTC; it survives the
 * jump to the application, is rewritten at every boot). The nanoCLR maps the deploy slot it names and
 * its partition interop lets the application write only the slots that are neither booted nor home.
 * Not written here: no ESP-IDF on this machine to build or check it against.
 */
