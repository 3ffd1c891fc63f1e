/* One line for a user about why a guest stopped. */
#include <stdio.h>

#include "hvt_abi.h"
#include "ring_thread.h"
#include "tender.h"

/* The detail's high half is ring_thread.h's enum ring_fault_reason. */
static void describe_ring_fault(unsigned long long d, unsigned long long rip,
                                char *buf, size_t len)
{
    const char *ring = "the network";
    const char *what = "ent_tail more than 1024 entries ahead";

    switch (d >> 32) {
    case NET_RING_FAULT_ENT_TAIL:
        break;
    case NET_RING_FAULT_COM_HEAD:
        what = "com_head ahead of com_tail or too far behind";
        break;
    case BLOCK_RING_FAULT_ENT_TAIL:
        ring = "the block";
        break;
    case BLOCK_RING_FAULT_COM_HEAD:
        ring = "the block";
        what = "com_head ahead of com_tail or too far behind";
        break;
    default:
        ring = "an I/O";
        what = "unknown fault";
        break;
    }
    snprintf(buf, len,
             "guest stopped: it broke %s ring's protocol (%s, rip=0x%llx)",
             ring, what, rip);
}

void tender_exit_describe(const struct tender_exit *e, char *buf, size_t len)
{
    unsigned long long rip = e->rip, d = e->detail;

    switch (e->reason) {
    case TENDER_STOP_HALT:
        if (e->status == HVT_EXIT_ABORT)
            snprintf(buf, len, "guest aborted (status 255)");
        else
            snprintf(buf, len, "guest exited with status %d", e->status);
        break;
    case TENDER_STOP_BAD_IO:
        snprintf(buf, len,
                 "guest stopped: I/O to port 0x%llx is not a hypercall "
                 "(rip=0x%llx)",
                 d, rip);
        break;
    case TENDER_STOP_BAD_HYPERCALL:
        snprintf(buf, len,
                 "guest stopped: hypercall %llu has an argument outside "
                 "guest memory (rip=0x%llx)",
                 d, rip);
        break;
    case TENDER_STOP_BAD_MMIO:
        snprintf(buf, len,
                 "guest stopped: access to unbacked address 0x%llx "
                 "(rip=0x%llx)",
                 d, rip);
        break;
    case TENDER_STOP_TRIPLE_FAULT:
        snprintf(buf, len, "guest stopped: triple fault (rip=0x%llx)", rip);
        break;
    case TENDER_STOP_MEM_FAULT:
        /* KVM_RUN failing with EFAULT does not say where. */
        if (d == 0)
            snprintf(buf, len,
                     "guest stopped: write to its read-only text or data "
                     "(rip=0x%llx)",
                     rip);
        else
            snprintf(buf, len,
                     "guest stopped: write to its read-only text or data at "
                     "0x%llx (rip=0x%llx)",
                     d, rip);
        break;
    case TENDER_STOP_KVM_ERROR:
        snprintf(buf, len,
                 "guest stopped: KVM could not run it (code %llu, "
                 "rip=0x%llx)",
                 d, rip);
        break;
    case TENDER_STOP_DEBUGGER:
        snprintf(buf, len, "guest killed by the debugger (rip=0x%llx)", rip);
        break;
    case TENDER_STOP_BAD_RING:
        describe_ring_fault(d, rip, buf, len);
        break;
    case TENDER_STOP_REQUESTED:
    default:
        snprintf(buf, len, "guest stopped on request (rip=0x%llx)", rip);
        break;
    }
}

int tender_exit_status(const struct tender_exit *exit, int stopped_status)
{
    switch (exit->reason) {
    case TENDER_STOP_HALT:
        return exit->status;
    case TENDER_STOP_BAD_IO:
    case TENDER_STOP_BAD_HYPERCALL:
    case TENDER_STOP_BAD_RING:
        return 241;
    case TENDER_STOP_BAD_MMIO:
        return 242;
    case TENDER_STOP_TRIPLE_FAULT:
        return 243;
    case TENDER_STOP_MEM_FAULT:
        return 244;
    case TENDER_STOP_REQUESTED:
    case TENDER_STOP_DEBUGGER:
        return stopped_status;
    case TENDER_STOP_KVM_ERROR:
    default:
        return 245;
    }
}
