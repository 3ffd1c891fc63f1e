/*
 * Whether KVM_SET_GUEST_DEBUG's debug registers fire on this host
 * (debugreg_probe.c).
 */
#ifndef TENDER_DEBUGREG_PROBE_H
#define TENDER_DEBUGREG_PROBE_H

/* 1 if a hardware watchpoint fires in a probe VM, 0 if it does not, -1
 * if the probe itself could not run. */
int debugregs_honoured(int kvm_fd);

#endif
