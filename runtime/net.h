/*
 * The container's network for the guest: in the network namespace the
 * engine made (a veth from CNI or netavark), a tap that the VM process
 * holds open, and tc's mirred action moving every frame from the veth's
 * ingress to the tap and back.  The guest takes the veth's MAC; its
 * address, prefix, gateway and MTU are the veth's.
 *
 * The tap is not persistent: it goes when the VM process does, however
 * that ends.  The ingress qdisc left on the veth is removed by delete
 * (net_cleanup), or goes with the namespace.
 */
#ifndef TENDER_OCI_NET_H
#define TENDER_OCI_NET_H

#include <stddef.h>

#include "image.h"

#define NET_TAP_NAME "tender0"

/*
 * In the current network namespace: read iface's addresses into info
 * (iface "" picks the first interface that is not lo or the tap, and is
 * filled in), open the tap, and mirror the two.  The tap's fd, or -1
 * with err.
 */
int net_setup(char *iface, size_t iface_len, struct image_net_info *info,
              char *err, size_t err_len);

/* Join the namespace at path (for delete's cleanup); -1 on error. */
int net_join(const char *netns_path);

/* Remove the ingress qdisc from iface in netns_path (best effort). */
void net_cleanup(const char *netns_path, const char *iface);

#endif
