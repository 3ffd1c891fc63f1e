/*
 * Exit with the status given as the first argument ("exit_status.elf 7"
 * exits with 7); with no argument, exit with 0.
 */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/stdlib.h>

int tender_app_main(const struct tender_start_info *si)
{
    int status = si->argc > 1 ? atoi(si->argv[1]) : 0;

    printf("exiting with status %d\n", status);
    return status;
}
