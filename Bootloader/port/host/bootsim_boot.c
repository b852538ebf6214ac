#include <setjmp.h>
#include <stdio.h>

#include "bootsim_boot.h"
#include "bootstage/bs_boot.h"
#include "bootstage/bs_result.h"
#include "bootstage/bs_suit.h"

const char *bootsim_component_name(int c)
{
    return c == BS_COMPONENT_PAIR ? "nanoclr+deploy" : c == BS_AREA_NANOCLR ? "nanoclr" : "deploy";
}

void bootsim_stats(const struct host_port *hp, int64_t stats[BOOTSIM_STAT_COUNT])
{
    stats[BOOTSIM_STAT_ERASES] = hp->flash->erases;
    stats[BOOTSIM_STAT_PAGES] = hp->flash->pages_programmed;
    stats[BOOTSIM_STAT_READ] = hp->flash->bytes_read;
    stats[BOOTSIM_STAT_HASHED] = hp->bytes_hashed;
    stats[BOOTSIM_STAT_SIGNATURES] = hp->signatures_checked;
}

int bootsim_boot_once(struct host_port *hp, long cut_after, int tear, char *line, size_t line_cap)
{
    return bootsim_boot_decide(hp, cut_after, tear, line, line_cap, NULL);
}

int bootsim_boot_decide(struct host_port *hp, long cut_after, int tear, char *line, size_t line_cap, struct bs_decision *out)
{
    struct host_flash *fl = hp->flash;
    jmp_buf reset;
    fl->reset = &reset;
    fl->cut_at = cut_after >= 0 ? cut_after + 1 : -1; /* after N operations: the (N+1)-th is cut */
    fl->tear = tear;
    struct bs_decision d;
    if (setjmp(reset) != 0) {
        fl->reset = NULL;
        snprintf(line, line_cap, "boot: power cut at flash operation %ld%s", fl->ops, fl->tear ? " (torn)" : "");
        return BOOTSIM_POWER_CUT;
    }
    bs_boot(&hp->port, &d);
    if (out != NULL) *out = d;
    fl->reset = NULL;
    fl->cut_at = -1;
    unsigned long long seq = (unsigned long long)d.seq;
    switch (d.action) {
    case BS_ACTION_NOTHING: snprintf(line, line_cap, "boot: nothing pending"); return BOOTSIM_OK;
    case BS_ACTION_INSTALLED: snprintf(line, line_cap, "boot: installed %s seq=%llu (testing)", bootsim_component_name(d.component), seq); return BOOTSIM_OK;
    case BS_ACTION_CONFIRMED: snprintf(line, line_cap, "boot: confirmed %s seq=%llu", bootsim_component_name(d.component), seq); return BOOTSIM_OK;
    case BS_ACTION_REVERTED: snprintf(line, line_cap, "boot: reverted %s to seq=%llu (%s)", bootsim_component_name(d.component), seq, bs_reason_text(d.reason)); return BOOTSIM_OK;
    case BS_ACTION_REJECTED: snprintf(line, line_cap, "boot: rejected staging: %s", bs_reason_text(d.reason)); return BOOTSIM_OK;
    case BS_ACTION_KEPT: snprintf(line, line_cap, "boot: kept %s seq=%llu: %s", bootsim_component_name(d.component), seq, bs_reason_text(d.reason)); return BOOTSIM_OK;
    case BS_ACTION_HALT: snprintf(line, line_cap, "boot: halted in recovery, the application does not start: %s", bs_reason_text(d.reason)); return BOOTSIM_HALT;
    default: snprintf(line, line_cap, "boot: error: %s", bs_reason_text(d.reason)); return BOOTSIM_ERROR;
    }
}
