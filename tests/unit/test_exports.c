/*
 * libtender.a shows an embedder its API and nothing else: every global
 * symbol it defines is declared TENDER_API in tender.h.  Read with nm(1)
 * from the archive the build made (LIBTENDER_ARCHIVE), against the header
 * (TENDER_HEADER).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "unit_suites.h"

static char header[16384];

/* Is name declared in the header as "TENDER_API ... name("? */
static int declared_api(const char *name)
{
    char call[300];
    const char *at, *decl;

    snprintf(call, sizeof(call), " %s(", name);
    for (at = strstr(header, call); at != NULL; at = strstr(at + 1, call)) {
        const char *api;

        /* The declaration's start: after the previous ';', '}' or '/'
         * (a mention in a comment has no TENDER_API before it). */
        for (decl = at; decl > header && !strchr(";}/", decl[-1]); decl--)
            ;
        api = strstr(decl, "TENDER_API");
        if (api != NULL && api < at)
            return 1;
    }
    return 0;
}

static void read_header(void)
{
    FILE *f = fopen(TENDER_HEADER, "r");
    size_t n;

    ck_assert_ptr_nonnull(f);
    n = fread(header, 1, sizeof(header) - 1, f);
    header[n] = '\0';
    fclose(f);
}

START_TEST(test_only_api_exported)
{
    char cmd[512], line[512], sym[256];
    int globals = 0;
    FILE *nm;

    read_header();
    snprintf(cmd, sizeof(cmd), "nm -g --defined-only '%s' 2>&1",
             LIBTENDER_ARCHIVE);
    nm = popen(cmd, "r");
    ck_assert_ptr_nonnull(nm);
    while (fgets(line, sizeof(line), nm) != NULL) {
        char type;

        /* "ADDRESS TYPE NAME"; member headers and blank lines are not. */
        if (sscanf(line, "%*s %c %255s", &type, sym) != 2)
            continue;
        globals++;
        ck_assert_msg(declared_api(sym),
                      "libtender.a exports %s (type %c), not in its API", sym,
                      type);
    }
    ck_assert_int_eq(pclose(nm), 0);
    /* It did read the archive, and the API is in it. */
    ck_assert_int_ge(globals, 10);
    ck_assert(declared_api("tender_vm_run") && !declared_api("vcpu_loop"));
}
END_TEST

Suite *exports_suite(void)
{
    Suite *s = suite_create("exports");
    TCase *tc = tcase_create("libtender.a");

    tcase_add_test(tc, test_only_api_exported);
    suite_add_tcase(s, tc);
    return s;
}
