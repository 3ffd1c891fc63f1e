/*
 * The smallest useful guest: greet, then list the arguments the monitor
 * passed after the image name, one per line.
 *
 *     $ tender hello.elf a b
 *     Hello from tender!
 *     argv[1] = a
 *     argv[2] = b
 */
#include <tender/guest.h>
#include <tender/stdio.h>

int tender_app_main(const struct tender_start_info *si)
{
    printf("Hello from tender!\n");
    for (int i = 1; i < si->argc; i++)
        printf("argv[%d] = %s\n", i, si->argv[i]);
    return 0;
}
