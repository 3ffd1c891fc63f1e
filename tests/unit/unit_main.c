/*
 * The unit test runner: every suite in one binary, so one ctest entry
 * (and one sanitizer build) covers them all.
 */
#include <stdlib.h>

#include "unit_suites.h"

int main(void)
{
    SRunner *runner = srunner_create(elf_suite());
    int failed;

    srunner_add_suite(runner, manifest_suite());
    srunner_add_suite(runner, cmdline_suite());
    srunner_add_suite(runner, options_suite());
    srunner_add_suite(runner, guest_mem_suite());
    srunner_add_suite(runner, net_ring_suite());
    srunner_add_suite(runner, block_ring_suite());
    srunner_add_suite(runner, ring_thread_suite());
    srunner_add_suite(runner, block_suite());
    srunner_add_suite(runner, api_suite());
    srunner_add_suite(runner, guest_file_suite());
    srunner_add_suite(runner, core_elf_suite());
    srunner_add_suite(runner, number_suite());
    srunner_add_suite(runner, exports_suite());
    srunner_run_all(runner, CK_NORMAL);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
