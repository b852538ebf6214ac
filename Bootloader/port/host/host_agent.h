/*
 * What the agent does to hand a data set to the boot stage, on the host (the C# agent does the same
 * on the device, issue 6): stage the envelope header and the (decrypted) image, then write a request
 * record. It does not verify anything: the boot stage must refuse whatever is wrong.
 */
#ifndef HOST_AGENT_H
#define HOST_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "bootstage/bs_port.h"

struct host_staged {
    int component;
    uint64_t seq;
    uint32_t image_size;
    uint32_t header_length;
};

/* Finds the header/payload split of a data set; returns 0 or -1. */
int host_agent_split(const uint8_t *dataset, size_t len, uint32_t *header_length, uint32_t *payload_length);

/* Writes staging (gap, image, header) and the request. Returns 0 or -1. */
int host_agent_stage(const struct bs_port *port, const uint8_t *dataset, size_t len, struct host_staged *out);

/* The same for a data set with a detached payload: the whole envelope is the header, the image is the
 * payload the agent fetched from the manifest's uri. */
int host_agent_stage_detached(const struct bs_port *port, const uint8_t *envelope, size_t len,
                              const uint8_t *payload, size_t payload_len, struct host_staged *out);

/* Firmware and application together (a pair): the envelope as the header, the firmware at sector 1,
 * the application right after it (its first sector after the firmware's last), one request naming both. */
int host_agent_stage_pair(const struct bs_port *port, const uint8_t *envelope, size_t len,
                          const uint8_t *firmware, size_t firmware_len, const uint8_t *app, size_t app_len, struct host_staged *out);

/* An A/B board (docs/boot-protocol.md, "A/B slots"): the header into the staging header region, the
 * image (and a pair's application, image2) straight into the slots that are neither home nor booted,
 * then a request naming those slots. The functions above call it on an A/B board. */
int host_agent_stage_ab(const struct bs_port *port, const uint8_t *header, uint32_t header_length,
                        const uint8_t *image, uint32_t image_length, const uint8_t *image2, uint32_t image2_length,
                        struct host_staged *out);

/* The same with the home slots given (on a board: what the port handed to the nanoCLR at this boot). */
int host_agent_stage_ab_home(const struct bs_port *port, const uint8_t *header, uint32_t header_length,
                             const uint8_t *image, uint32_t image_length, const uint8_t *image2, uint32_t image2_length,
                             uint8_t home, struct host_staged *out);

#endif /* HOST_AGENT_H */
