/* Internal interfaces of the guest kernel, shared between its files. */
#ifndef TENDER_GUEST_KERNEL_H
#define TENDER_GUEST_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include <tender/guest.h>

#include "hvt_abi.h"

/* The bytes at the top of memory kept for the boot stack. */
#define KERNEL_STACK_SIZE (512 * 1024)
#define PAGE_SIZE 4096

/* Symbols from tender-guest.ld; only their addresses mean anything. */
extern char __tender_text_start[], __tender_text_end[];
extern char __tender_rodata_start[], __tender_rodata_end[];
extern char __tender_data_start[], __tender_bss_end[];
extern char __tender_image_end[];

/* cpu.c: descriptor tables and the FPU/SSE unit. */
void cpu_init(void);
void cpu_enable_sse(void);

/* paging.c: replace the monitor's page tables with our own. */
void paging_init(uint64_t mem_size, uint64_t guard_page);

/* boot.c: the boot info the monitor handed us, for the device drivers. */
extern const struct hvt_boot_info *kernel_boot_info;

/* boot.c: set a feature bit in boot info's guest_features. */
void accept_feature(uint32_t bit);

/* clock.c */
void clock_init(const struct hvt_boot_info *bi);

/* env.c: command line and heap, handed to the application. */
struct tender_start_info;
void env_init(const struct hvt_boot_info *bi, uint64_t heap_start,
              uint64_t heap_end, struct tender_start_info *si);

/* net_ring.c: hvt's network ring, or NULL if the monitor offers none. */
struct hvt_ring *net_ring_get(void);
int net_ring_write(struct hvt_ring *r, uint64_t handle, const void *buf,
                   size_t len);
int net_ring_read(struct hvt_ring *r, uint64_t handle, void *buf, size_t size,
                  size_t *len);

/* The ring lies where tender and Solo5 put it: in the 2 MiB right above
 * mem_size, which boot.c then maps. */
static inline int net_ring_offered(const struct hvt_boot_info *bi)
{
    return (bi->host_features & HVT_FEATURE_RING_IO) &&
           bi->net_ring_gpa == bi->mem_size &&
           bi->mem_size + HVT_RING_REGION_SIZE <= HVT_GUEST_MAX_MEM;
}

/* block.c: the attached block device behind handle, or NULL; and whether
 * a request is whole sectors, at least one, inside that disk. */
const struct hvt_mft_entry *block_entry(uint64_t handle);
int block_request_fits(uint64_t handle, uint64_t offset, uint64_t len);

/* The block ring lies TENDER_BLOCK_RING_OFFSET into the same 2 MiB. */
static inline int block_ring_offered(const struct hvt_boot_info *bi)
{
    return (bi->host_features & TENDER_FEATURE_BLOCK_RING) &&
           bi->mem_size + HVT_RING_REGION_SIZE <= HVT_GUEST_MAX_MEM;
}

/* console.c: write a NUL-terminated string to the console. */
void console_puts(const char *s);

/* exit.c: stop the guest, handing the monitor a cookie (or NULL). */
_Noreturn void halt(int status, void *cookie);

/* boot.S */
struct gdt_pointer;
void cpu_load_gdt(const struct gdt_pointer *p, uint16_t code_sel,
                  uint16_t data_sel);
extern const uint64_t trap_stubs[32];

#endif /* TENDER_GUEST_KERNEL_H */
