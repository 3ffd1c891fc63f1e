#include <string.h>

#include "error.h"
#include "manifest.h"

/* 1-67 characters of [A-Za-z0-9], then NULs to the end of the field. */
static int name_valid(const char *name, int allow_empty)
{
    size_t len = strnlen(name, HVT_MFT_NAME_SIZE);

    if (name[HVT_MFT_NAME_MAX] != '\0' || (len == 0 && !allow_empty))
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9')))
            return 0;
    }
    return 1;
}

static int check_entry(const struct hvt_mft_entry *e, uint32_t index,
                       struct tender_error *err)
{
    if (index == 0) {
        if (e->type != HVT_MFT_RESERVED_FIRST || e->name[0] != '\0')
            return tnd_fail(err, TENDER_E_ELF,
                            "manifest entry 0 is not the reserved entry");
    } else {
        if (!name_valid(e->name, 0))
            return tnd_fail(err, TENDER_E_ELF,
                            "manifest entry %u has an invalid name", index);
        if (e->type != HVT_MFT_DEV_BLOCK_BASIC &&
            e->type != HVT_MFT_DEV_NET_BASIC)
            return tnd_fail(err, TENDER_E_ELF,
                            "manifest entry %u (%s) has unknown type %u", index,
                            e->name, e->type);
    }
    if (e->attached != 0)
        return tnd_fail(err, TENDER_E_ELF,
                        "manifest entry %u is marked attached in the file",
                        index);
    return 0;
}

int manifest_validate(const void *desc, size_t size, struct tender_error *err)
{
    const uint8_t *bytes = desc;
    struct hvt_mft hdr;
    struct hvt_mft_entry e, other;

    if (size < sizeof(hdr))
        return tnd_fail(err, TENDER_E_ELF, "manifest is truncated");
    memcpy(&hdr, bytes, sizeof(hdr));
    if (hdr.version != HVT_MFT_VERSION)
        return tnd_fail(err, TENDER_E_ELF, "manifest version %u, not %u",
                        hdr.version, HVT_MFT_VERSION);
    if (hdr.entries == 0 || hdr.entries > HVT_MFT_MAX_ENTRIES)
        return tnd_fail(err, TENDER_E_ELF,
                        "manifest has %u entries (1 to %u allowed)",
                        hdr.entries, HVT_MFT_MAX_ENTRIES);
    if (size != sizeof(hdr) + (size_t)hdr.entries * sizeof(e))
        return tnd_fail(err, TENDER_E_ELF,
                        "manifest size %zu does not match its %u entries", size,
                        hdr.entries);
    for (uint32_t i = 0; i < hdr.entries; i++) {
        memcpy(&e, bytes + sizeof(hdr) + i * sizeof(e), sizeof(e));
        if (check_entry(&e, i, err) < 0)
            return -1;
        for (uint32_t j = 1; j < i; j++) {
            memcpy(&other, bytes + sizeof(hdr) + j * sizeof(e), sizeof(e));
            if (strcmp(e.name, other.name) == 0)
                return tnd_fail(err, TENDER_E_ELF,
                                "manifest declares device %s twice", e.name);
        }
    }
    return 0;
}

struct hvt_mft_entry *manifest_find(struct hvt_mft *mft, const char *name)
{
    for (uint32_t i = 1; i < mft->entries; i++)
        if (strcmp(mft->e[i].name, name) == 0)
            return &mft->e[i];
    return NULL;
}

const char *manifest_type_name(uint32_t type)
{
    switch (type) {
    case HVT_MFT_DEV_BLOCK_BASIC:
        return "block";
    case HVT_MFT_DEV_NET_BASIC:
        return "network";
    default:
        return "reserved";
    }
}

int manifest_has_type(const struct hvt_mft *mft, uint32_t type)
{
    for (uint32_t i = 1; i < mft->entries; i++)
        if (mft->e[i].type == type)
            return 1;
    return 0;
}
