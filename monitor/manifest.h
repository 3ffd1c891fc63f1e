/*
 * The MFT1 manifest: the devices a guest declares.  The validator checks
 * a descriptor taken from a file before the monitor trusts any field.
 */
#ifndef TENDER_MANIFEST_H
#define TENDER_MANIFEST_H

#include <stddef.h>

#include "hvt_abi.h"
#include "tender.h"

int manifest_validate(const void *desc, size_t size, struct tender_error *err);

/* The entry named name, or NULL. */
struct hvt_mft_entry *manifest_find(struct hvt_mft *mft, const char *name);

/* "block" or "network": the type as messages name it. */
const char *manifest_type_name(uint32_t type);

/* Does the manifest declare a device of type (HVT_MFT_DEV_*)? */
int manifest_has_type(const struct hvt_mft *mft, uint32_t type);

#endif
