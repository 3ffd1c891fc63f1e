/*
 * The manifest of an application that declares none: just the reserved
 * entry.  It is alone in its object file so that the linker takes it from
 * the archive only when nothing else defines tender_manifest.
 */
#include <tender/guest.h>

__attribute__((section(HVT_MFT_NOTE_SECTION), used, aligned(4)))
const TENDER_MANIFEST_NOTE(1) tender_manifest = {
    TENDER_MANIFEST_HEADER(1),
    .entry = {{.name = "", .type = HVT_MFT_RESERVED_FIRST}},
};
