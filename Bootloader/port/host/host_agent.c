#include <string.h>

#include "bootstage/bs_boot.h"
#include "bootstage/bs_cbor.h"
#include "bootstage/bs_state.h"
#include "bootstage/bs_suit.h"
#include "host_agent.h"

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

static int program_padded(const struct bs_port *port, uint32_t offset, const uint8_t *data, uint32_t len)
{
    struct bs_geometry g;
    uint8_t chunk[512];
    if (port->geometry(port->ctx, BS_AREA_STAGING, &g) != 0) {
        return -1;
    }
    for (uint32_t off = 0; off < len; off += sizeof chunk) {
        uint32_t n = len - off < sizeof chunk ? len - off : (uint32_t)sizeof chunk;
        uint32_t padded = (n + g.write_align - 1) / g.write_align * g.write_align;
        memset(chunk, g.erased, sizeof chunk);
        memcpy(chunk, data + off, n);
        if (port->program(port->ctx, BS_AREA_STAGING, offset + off, chunk, padded) != 0) {
            return -1;
        }
    }
    return 0;
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
    return stage_parts(port, dataset, header_length, dataset + header_length, payload_length, out);
}

int host_agent_stage_detached(const struct bs_port *port, const uint8_t *envelope, size_t len,
                              const uint8_t *payload, size_t payload_len, struct host_staged *out)
{
    memset(out, 0, sizeof *out);
    if (len > BS_SUIT_MAX_HEADER || payload_len > 0x7FFFFFFFu) {
        return -1;
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
