/*
 * The image contract (docs/oci.md): what a bundle asks of tender.
 *
 *   process.args[0]   the unikernel ELF, a path in the root filesystem
 *   process.args[1..] its command line, with {ip} {prefix} {cidr}
 *                     {gateway} {mtu} {mac} replaced by the network's
 *   org.tender.mem            (env TENDER_MEM)  guest memory, MiB
 *   org.tender.block          (env TENDER_BLOCK) [NAME=]PATH[,...]
 *   org.tender.net            (env TENDER_NET)  none, default or NAME
 *   org.tender.net.interface  (env TENDER_NET_INTERFACE) the veth
 *
 * An annotation overrides the variable; any other org.tender.*
 * annotation is an error.
 */
#ifndef TENDER_OCI_IMAGE_H
#define TENDER_OCI_IMAGE_H

#include <limits.h>
#include <stdint.h>

#include "spec.h"

#define IMAGE_MAX_BLOCKS 63

struct image_block {
    char name[64]; /* "" for the guest's one disk */
    char path[PATH_MAX];
};

struct image_net_info {
    char ip[16], gateway[16], mac[18];
    unsigned prefix, mtu;
};

struct image {
    char rootfs[PATH_MAX];
    char elf[PATH_MAX];
    uint64_t mem_mib; /* 0: tender's default */
    struct image_block blocks[IMAGE_MAX_BLOCKS];
    unsigned n_blocks;
    int net;            /* attach the container's network */
    char net_dev[64];   /* the manifest's device; "" for the one */
    char net_iface[16]; /* "" for the first that is not lo */
    int pod_sandbox;    /* a Kubernetes pod's sandbox: no VM (below) */
};

/*
 * A Kubernetes pod's sandbox container (containerd's CRI marks it with
 * io.kubernetes.cri.container-type=sandbox, CRI-O with
 * io.kubernetes.cri-o.ContainerType=sandbox): its image is pause, not a
 * unikernel.  tender-oci runs no VM for it; its process only holds the
 * pod's namespaces until it is killed.
 */
int image_is_pod_sandbox(const struct spec *s);

/*
 * Resolve s (a bundle at bundle) into img and check what can be checked
 * without KVM: the ELF exists in the root filesystem and is an hvt
 * unikernel, the devices' files exist.  -1 with a one-line message.
 */
int image_resolve(const char *bundle, const struct spec *s, struct image *img,
                  char *err, size_t err_len);

/*
 * The guest's command line: args[1..] with the placeholders replaced
 * (net NULL: none are allowed).  A malloc'd NULL-terminated vector of
 * malloc'd strings, *argc set; NULL with err on error.
 */
char **image_guest_args(const struct spec *s, const struct image_net_info *net,
                        int *argc, char *err, size_t err_len);
void image_free_args(char **argv);

#endif
