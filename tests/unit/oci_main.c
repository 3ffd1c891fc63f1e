/*
 * The runner of tender-oci's unit tests: its own binary, as it links the
 * runtime's parts against libtender.a (tender_lib), not against the
 * unit tests' tender_internal.
 */
#include <stdlib.h>

#include "oci_suites.h"

int main(void)
{
    SRunner *runner = srunner_create(oci_json_suite());
    int failed;

    srunner_add_suite(runner, oci_cli_suite());
    srunner_add_suite(runner, oci_lifecycle_suite());
    srunner_add_suite(runner, oci_bundle_suite());
    srunner_add_suite(runner, oci_state_suite());
    srunner_run_all(runner, CK_NORMAL);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
