/*
 * fuzz_manifest: the MFT1 manifest validator.  The input is a manifest
 * descriptor, as it would sit in the ELF note.
 *
 * manifest_validate() must never read outside the descriptor.  A manifest
 * it accepts is what the device modules then walk with manifest_find() and
 * strcmp(): every name NUL-terminated inside its field, entry 0 reserved,
 * no name twice.  Those promises are checked by looking each name up.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvt_abi.h"
#include "manifest.h"

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_manifest: accepted manifest breaks a promise: %s\n",
            what);
    abort();
}

static void check_manifest(struct hvt_mft *mft, size_t size)
{
    char longest[HVT_MFT_NAME_SIZE + 1];

    if (mft->version != HVT_MFT_VERSION || mft->entries == 0 ||
        mft->entries > HVT_MFT_MAX_ENTRIES ||
        size != sizeof(*mft) + mft->entries * sizeof(mft->e[0]))
        fail("header");
    if (mft->e[0].type != HVT_MFT_RESERVED_FIRST || mft->e[0].name[0] != '\0')
        fail("entry 0 is not reserved");
    for (uint32_t i = 1; i < mft->entries; i++) {
        const char *name = mft->e[i].name;

        if (strnlen(name, HVT_MFT_NAME_SIZE) == HVT_MFT_NAME_SIZE ||
            name[0] == '\0')
            fail("name not NUL-terminated in its field, or empty");
        /* Unique names: the first match is the entry itself. */
        if (manifest_find(mft, name) != &mft->e[i])
            fail("a name that does not find its own entry");
        if (mft->e[i].attached)
            fail("entry marked attached");
        (void)manifest_type_name(mft->e[i].type);
    }
    /* Entry 0 is never found, and neither is a name too long to be one. */
    if (manifest_find(mft, "") != NULL)
        fail("the empty name found an entry");
    memset(longest, 'a', HVT_MFT_NAME_SIZE);
    longest[HVT_MFT_NAME_SIZE] = '\0';
    if (manifest_find(mft, longest) != NULL)
        fail("a 68-character name found an entry");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hvt_mft *mft;

    if (manifest_validate(data, size, NULL) != 0)
        return 0;
    /* The loader keeps the descriptor 4-aligned; entries want 8. */
    mft = malloc(size);
    if (mft == NULL)
        abort();
    memcpy(mft, data, size);
    check_manifest(mft, size);
    free(mft);
    return 0;
}
