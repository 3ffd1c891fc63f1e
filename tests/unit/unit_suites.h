/* The Check suites that unit_main.c runs. */
#ifndef TENDER_TEST_UNIT_SUITES_H
#define TENDER_TEST_UNIT_SUITES_H

#include <check.h>

Suite *elf_suite(void);
Suite *manifest_suite(void);
Suite *cmdline_suite(void);
Suite *options_suite(void);
Suite *guest_mem_suite(void);
Suite *block_suite(void);
Suite *api_suite(void);
Suite *guest_file_suite(void);
Suite *number_suite(void);
Suite *exports_suite(void);
Suite *core_elf_suite(void);
Suite *net_ring_suite(void);
Suite *block_ring_suite(void);
Suite *ring_thread_suite(void);

#endif
