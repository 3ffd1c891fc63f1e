/*
 * 63 network devices, n1 to n63, the most a manifest holds: each must be
 * attached with its own handle and MTU, and take a frame.  Exits 0 if so.
 */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/string.h>

TENDER_MANIFEST(TENDER_NET_DEVICE("n1"), TENDER_NET_DEVICE("n2"),
                TENDER_NET_DEVICE("n3"), TENDER_NET_DEVICE("n4"),
                TENDER_NET_DEVICE("n5"), TENDER_NET_DEVICE("n6"),
                TENDER_NET_DEVICE("n7"), TENDER_NET_DEVICE("n8"),
                TENDER_NET_DEVICE("n9"), TENDER_NET_DEVICE("n10"),
                TENDER_NET_DEVICE("n11"), TENDER_NET_DEVICE("n12"),
                TENDER_NET_DEVICE("n13"), TENDER_NET_DEVICE("n14"),
                TENDER_NET_DEVICE("n15"), TENDER_NET_DEVICE("n16"),
                TENDER_NET_DEVICE("n17"), TENDER_NET_DEVICE("n18"),
                TENDER_NET_DEVICE("n19"), TENDER_NET_DEVICE("n20"),
                TENDER_NET_DEVICE("n21"), TENDER_NET_DEVICE("n22"),
                TENDER_NET_DEVICE("n23"), TENDER_NET_DEVICE("n24"),
                TENDER_NET_DEVICE("n25"), TENDER_NET_DEVICE("n26"),
                TENDER_NET_DEVICE("n27"), TENDER_NET_DEVICE("n28"),
                TENDER_NET_DEVICE("n29"), TENDER_NET_DEVICE("n30"),
                TENDER_NET_DEVICE("n31"), TENDER_NET_DEVICE("n32"),
                TENDER_NET_DEVICE("n33"), TENDER_NET_DEVICE("n34"),
                TENDER_NET_DEVICE("n35"), TENDER_NET_DEVICE("n36"),
                TENDER_NET_DEVICE("n37"), TENDER_NET_DEVICE("n38"),
                TENDER_NET_DEVICE("n39"), TENDER_NET_DEVICE("n40"),
                TENDER_NET_DEVICE("n41"), TENDER_NET_DEVICE("n42"),
                TENDER_NET_DEVICE("n43"), TENDER_NET_DEVICE("n44"),
                TENDER_NET_DEVICE("n45"), TENDER_NET_DEVICE("n46"),
                TENDER_NET_DEVICE("n47"), TENDER_NET_DEVICE("n48"),
                TENDER_NET_DEVICE("n49"), TENDER_NET_DEVICE("n50"),
                TENDER_NET_DEVICE("n51"), TENDER_NET_DEVICE("n52"),
                TENDER_NET_DEVICE("n53"), TENDER_NET_DEVICE("n54"),
                TENDER_NET_DEVICE("n55"), TENDER_NET_DEVICE("n56"),
                TENDER_NET_DEVICE("n57"), TENDER_NET_DEVICE("n58"),
                TENDER_NET_DEVICE("n59"), TENDER_NET_DEVICE("n60"),
                TENDER_NET_DEVICE("n61"), TENDER_NET_DEVICE("n62"),
                TENDER_NET_DEVICE("n63"));

static uint8_t frame[64];

int tender_app_main(const struct tender_start_info *si)
{
    int ok = 0;

    (void)si;
    for (unsigned i = 1; i <= 63; i++) {
        struct tender_net_info net;
        char name[8];

        snprintf(name, sizeof(name), "n%u", i);
        if (tender_net_acquire(name, &net) != HVT_OK || net.handle != i ||
            net.mtu != 1500) {
            printf("net_many: device %s is not as expected\n", name);
            continue;
        }
        memset(frame, 0xff, 6);
        memcpy(frame + 6, net.mac, 6);
        frame[12] = 0x88;
        frame[13] = 0xb5;
        if (tender_net_write(net.handle, frame, sizeof(frame)) != HVT_OK) {
            printf("net_many: device %s refused a frame\n", name);
            continue;
        }
        ok++;
    }
    printf("net_many: %d of 63 devices work\n", ok);
    return ok == 63 ? 0 : 1;
}
