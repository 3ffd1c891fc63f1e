/* The Check suites of tender-oci's parts that need no KVM (oci_main.c). */
#ifndef TENDER_TEST_OCI_SUITES_H
#define TENDER_TEST_OCI_SUITES_H

#include <check.h>

Suite *oci_json_suite(void);
Suite *oci_cli_suite(void);
Suite *oci_lifecycle_suite(void);
Suite *oci_bundle_suite(void);
Suite *oci_state_suite(void);

#endif
