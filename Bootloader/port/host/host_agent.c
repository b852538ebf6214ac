#include <string.h>

#include "bootstage/bs_boot.h"
#include "bootstage/bs_cbor.h"
#include "bootstage/bs_state.h"
#include "bootstage/bs_suit.h"
#include "host_agent.h"

/* The host agent's view of the layout: an A/B board has a deploy_b area. */
static int bs_ab_board_port(const struct bs_port *port)
{
    struct bs_geometry g;
    return port->geometry(port->ctx, BS_AREA_DEPLOY_B, &g) == 0 && g.size > 0;
}

int host_agent_split(const uint8_t *dataset, size_t len, uint32_t *header_length, uint32_t *payload_length)
{
    struct bs_cbor c;
    bs_cbor_init(&c, dataset, len < BS_SUIT_MAX_HEADER ? len : BS_SUIT_MAX_HEADER);
    (void)bs_cbor_tag(&c);
    uint64_t pairs = bs_cbor_map(&c);
    for (uint64_t i = 0; i < pairs && bs_cbor_ok(&c); i++) {
        if (bs_cbor_peek_major(&c) == BS_CBOR_TSTR) {
            size_t klen;
            (void)bs_cbor_tstr(&c, &klen);
            uint64_t n = bs_cbor_bstr_header(&c);
            if (!bs_cbor_ok(&c) || c.pos + n > len) {
                return -1;
            }
            *header_length = (uint32_t)c.pos;
            *payload_length = (uint32_t)n;
            return 0;
        }
        bs_cbor_skip(&c);
        bs_cbor_skip(&c);
    }
    return -1;
}

static int program_area(const struct bs_port *port, int area, uint32_t offset, const uint8_t *data, uint32_t len)
{
    struct bs_geometry g;
    uint8_t chunk[512];
    if (port->geometry(port->ctx, area, &g) != 0) {
        return -1;
    }
    for (uint32_t off = 0; off < len; off += sizeof chunk) {
        uint32_t n = len - off < sizeof chunk ? len - off : (uint32_t)sizeof chunk;
        uint32_t padded = (n + g.write_align - 1) / g.write_align * g.write_align;
        memset(chunk, g.erased, sizeof chunk);
        memcpy(chunk, data + off, n);
        if (port->program(port->ctx, area, offset + off, chunk, padded) != 0) {
            return -1;
        }
    }
    return 0;
}

static int program_padded(const struct bs_port *port, uint32_t offset, const uint8_t *data, uint32_t len)
{
    return program_area(port, BS_AREA_STAGING, offset, data, len);
}

/* An A/B board's slots the agent may write: neither home nor booted, as the boot stage's newest
 * record names them (the nanoCLR gets the same from the port on a board). A fresh board: slot 1. */
static uint8_t writable_slots(const struct bs_port *port)
{
    struct bs_state st;
    if (bs_state_load(port, &st) != 0) return BS_SLOT_DEPLOY | BS_SLOT_NANOCLR;
    int bank = bs_state_boot_newest_bank(&st);
    const struct bs_record *r = bank < 0 ? NULL : bank == st.cur_bank ? &st.cur : &st.prev;
    uint8_t home = r == NULL ? 0 : r->home;
    return (uint8_t)~home & (BS_SLOT_DEPLOY | BS_SLOT_NANOCLR);
}

/* Erases what an image of len bytes needs in an A/B slot and writes it from offset 0. */
static int write_slot(const struct bs_port *port, int area, const uint8_t *image, uint32_t len)
{
    struct bs_geometry g;
    if (port->geometry(port->ctx, area, &g) != 0 || len > g.size) return -1;
    uint32_t end = (len + g.sector_size - 1) / g.sector_size * g.sector_size;
    return port->erase(port->ctx, area, 0, end) == 0 && program_area(port, area, 0, image, len) == 0 ? 0 : -1;
}

static int header_only(const struct bs_port *port, const uint8_t *header, uint32_t header_length)
{
    uint32_t header_offset, header_capacity;
    uint8_t record[4 + BS_SUIT_MAX_HEADER];
    if (bs_staging_header_region(port, &header_offset, &header_capacity) != 0 || 4 + header_length > header_capacity) return -1;
    record[0] = (uint8_t)header_length;
    record[1] = (uint8_t)(header_length >> 8);
    record[2] = (uint8_t)(header_length >> 16);
    record[3] = (uint8_t)(header_length >> 24);
    memcpy(record + 4, header, header_length);
    return port->erase(port->ctx, BS_AREA_STAGING, header_offset, header_capacity) == 0
        && program_padded(port, header_offset, record, 4 + header_length) == 0 ? 0 : -1;
}

int host_agent_stage_ab(const struct bs_port *port, const uint8_t *header, uint32_t header_length,
                        const uint8_t *image, uint32_t image_length, const uint8_t *image2, uint32_t image2_length,
                        struct host_staged *out)
{
    return host_agent_stage_ab_home(port, header, header_length, image, image_length, image2, image2_length,
                                    (uint8_t)~writable_slots(port) & (BS_SLOT_DEPLOY | BS_SLOT_NANOCLR), out);
}

int host_agent_stage_ab_home(const struct bs_port *port, const uint8_t *header, uint32_t header_length,
                             const uint8_t *image, uint32_t image_length, const uint8_t *image2, uint32_t image2_length,
                             uint8_t home, struct host_staged *out)
{
    memset(out, 0, sizeof *out);
    struct bs_suit_envelope env;
    if (header_length > BS_SUIT_MAX_HEADER || bs_suit_read(header, header_length, &env) != 0) return -1;
    (void)bs_suit_parse_manifest(port, &env);
    int pair = image2 != NULL;
    out->component = pair ? BS_COMPONENT_PAIR : env.component >= 0 ? env.component : BS_AREA_DEPLOY;
    out->seq = env.sequence;
    out->image_size = image_length;
    out->header_length = header_length;
    uint8_t bits = pair ? (BS_SLOT_DEPLOY | BS_SLOT_NANOCLR) : out->component == BS_AREA_NANOCLR ? BS_SLOT_NANOCLR : BS_SLOT_DEPLOY;
    uint8_t slots = (uint8_t)(home ^ bits);
    int first = pair || out->component == BS_AREA_NANOCLR ? (slots & BS_SLOT_NANOCLR ? BS_AREA_NANOCLR_B : BS_AREA_NANOCLR)
                                                          : (slots & BS_SLOT_DEPLOY ? BS_AREA_DEPLOY_B : BS_AREA_DEPLOY);
    if (header_only(port, header, header_length) != 0 || write_slot(port, first, image, image_length) != 0) return -1;
    if (pair && write_slot(port, slots & BS_SLOT_DEPLOY ? BS_AREA_DEPLOY_B : BS_AREA_DEPLOY, image2, image2_length) != 0) return -1;
    return bs_state_request_install_slots(port, out->component, image_length, pair ? image2_length : 0, out->seq, slots) == 0 ? 0 : -1;
}

static int stage_parts(const struct bs_port *port, const uint8_t *header, uint32_t header_length,
                       const uint8_t *image, uint32_t image_length, struct host_staged *out)
{
    uint32_t header_offset, header_capacity;
    struct bs_geometry g;
    memset(out, 0, sizeof *out);
    if (port->geometry(port->ctx, BS_AREA_STAGING, &g) != 0
        || bs_staging_header_region(port, &header_offset, &header_capacity) != 0
        || g.sector_size + image_length > header_offset || 4 + header_length > header_capacity) {
        return -1;
    }
    struct bs_suit_envelope env;
    out->component = BS_AREA_DEPLOY;
    if (bs_suit_read(header, header_length, &env) == 0) {
        (void)bs_suit_parse_manifest(port, &env); /* best effort: the request names what the manifest says */
        out->seq = env.sequence;
        if (env.component >= 0) out->component = env.component;
    }
    out->image_size = image_length;
    out->header_length = header_length;
    uint8_t record[4 + BS_SUIT_MAX_HEADER];
    record[0] = (uint8_t)header_length;
    record[1] = (uint8_t)(header_length >> 8);
    record[2] = (uint8_t)(header_length >> 16);
    record[3] = (uint8_t)(header_length >> 24);
    memcpy(record + 4, header, header_length);
    if (port->erase(port->ctx, BS_AREA_STAGING, 0, g.size / g.sector_size * g.sector_size) != 0
        || program_padded(port, g.sector_size, image, image_length) != 0
        || program_padded(port, header_offset, record, 4 + header_length) != 0) {
        return -1;
    }
    return bs_state_request_install(port, out->component, out->image_size, out->seq) == 0 ? 0 : -1;
}

int host_agent_stage(const struct bs_port *port, const uint8_t *dataset, size_t len, struct host_staged *out)
{
    uint32_t header_length, payload_length;
    memset(out, 0, sizeof *out);
    if (host_agent_split(dataset, len, &header_length, &payload_length) != 0) {
        return -1;
    }
    if (bs_ab_board_port(port)) {
        return host_agent_stage_ab(port, dataset, header_length, dataset + header_length, payload_length, NULL, 0, out);
    }
    return stage_parts(port, dataset, header_length, dataset + header_length, payload_length, out);
}

int host_agent_stage_detached(const struct bs_port *port, const uint8_t *envelope, size_t len,
                              const uint8_t *payload, size_t payload_len, struct host_staged *out)
{
    memset(out, 0, sizeof *out);
    if (len > BS_SUIT_MAX_HEADER || payload_len > 0x7FFFFFFFu) {
        return -1;
    }
    if (bs_ab_board_port(port)) {
        return host_agent_stage_ab(port, envelope, (uint32_t)len, payload, (uint32_t)payload_len, NULL, 0, out);
    }
    return stage_parts(port, envelope, (uint32_t)len, payload, (uint32_t)payload_len, out);
}

int host_agent_stage_pair(const struct bs_port *port, const uint8_t *envelope, size_t len,
                          const uint8_t *firmware, size_t firmware_len, const uint8_t *app, size_t app_len, struct host_staged *out)
{
    struct bs_geometry g;
    memset(out, 0, sizeof *out);
    if (len > BS_SUIT_MAX_HEADER || firmware_len == 0 || app_len == 0 || port->geometry(port->ctx, BS_AREA_STAGING, &g) != 0) {
        return -1;
    }
    if (bs_ab_board_port(port)) {
        return host_agent_stage_ab(port, envelope, (uint32_t)len, firmware, (uint32_t)firmware_len, app, (uint32_t)app_len, out);
    }
    /* Stage the firmware as if it were the only image (that also writes the header and a request), then
     * put the application after it and ask for both. */
    if (stage_parts(port, envelope, (uint32_t)len, firmware, (uint32_t)firmware_len, out) != 0) {
        return -1;
    }
    uint32_t fw_sectors = (uint32_t)((firmware_len + g.sector_size - 1) / g.sector_size);
    uint32_t header_offset, header_capacity;
    if (bs_staging_header_region(port, &header_offset, &header_capacity) != 0
        || (1 + fw_sectors) * g.sector_size + app_len > header_offset
        || program_padded(port, (1 + fw_sectors) * g.sector_size, app, (uint32_t)app_len) != 0) {
        return -1;
    }
    out->component = BS_COMPONENT_PAIR;
    return bs_state_request_install_pair(port, BS_COMPONENT_PAIR, (uint32_t)firmware_len, (uint32_t)app_len, out->seq) == 0 ? 0 : -1;
}
