/*
 * Early boot: from _start (boot.S) to the application's entry point.
 *
 * This file is compiled without the stack protector: tender_boot() sets
 * the guard, and a protected function live across that change would see a
 * "smashed" canary on return.
 */
#include <stdint.h>
#include <tender/guest.h>

#include "kernel.h"

/* The ABI note: this image is for hvt, ABI version 2. */
__attribute__((section(HVT_ABI_NOTE_SECTION), aligned(4),
               used)) static const struct {
    struct hvt_note_header header;
    struct hvt_abi_note_desc desc;
} abi_note = {
    {HVT_NOTE_NAME_SIZE, sizeof(struct hvt_abi_note_desc), HVT_NOTE_TYPE_ABI,
     HVT_NOTE_NAME},
    {HVT_ABI_TARGET_HVT, HVT_ABI_VERSION, 0, 0},
};

/* A dummy PT_INTERP so that the host refuses to execute the image. */
__attribute__((section(".interp"), used)) static const char interp[] =
    "/nonexistent/solo5/";

/*
 * The application's manifest, or the default one (manifest_default.c).
 * Referring to it here is what makes the linker take the default from the
 * archive when, and only when, the application declares none.
 */
extern const struct hvt_note_header tender_manifest;
__attribute__((used)) static const void *const manifest_anchor =
    &tender_manifest;

const struct hvt_boot_info *kernel_boot_info;

/* Read by every function compiled with -fstack-protector. */
uintptr_t __stack_chk_guard;

/*
 * Boot info lies in the low area that our page tables map read-only:
 * clear CR0.WP for the one store that accepts a feature.
 */
void accept_feature(uint32_t bit)
{
    volatile struct hvt_boot_info *bi =
        (volatile struct hvt_boot_info *)kernel_boot_info;
    uint64_t cr0;

    __asm__ __volatile__("mov %%cr0, %0" : "=r"(cr0));
    __asm__ __volatile__("mov %0, %%cr0" : : "r"(cr0 & ~(1ULL << 16)));
    bi->guest_features |= bit;
    __asm__ __volatile__("mov %0, %%cr0" : : "r"(cr0) : "memory");
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* The splitmix64 finalizer: spreads every input bit over the output. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/*
 * The guard comes from the TSC, which differs from boot to boot, mixed
 * with the boot info's values.  Its low byte is zero so that a string
 * overflow cannot copy the guard out nor write it back in.
 */
static void stack_guard_init(const struct hvt_boot_info *bi)
{
    uint64_t seed = rdtsc() ^ bi->mem_size ^ (bi->cpu_cycle_freq << 17);

    __stack_chk_guard = (uintptr_t)(mix64(seed) & ~0xffULL);
}

static uint64_t align_up(uint64_t x, uint64_t align)
{
    return (x + align - 1) & ~(align - 1);
}

/*
 * Memory from the image's end to the top: the heap, a guard page that is
 * left unmapped to catch stack overflows, then the stack.
 */
static uint64_t heap_bottom(const struct hvt_boot_info *bi)
{
    uint64_t end = (uint64_t)(uintptr_t)__tender_image_end;

    if (bi->kernel_end > end)
        end = bi->kernel_end;
    return align_up(end, PAGE_SIZE);
}

static uint64_t guard_page_of(uint64_t mem_size, uint64_t heap_lo)
{
    uint64_t guard;

    if (mem_size < KERNEL_STACK_SIZE + PAGE_SIZE)
        return 0;
    guard =
        (mem_size & ~(uint64_t)(PAGE_SIZE - 1)) - KERNEL_STACK_SIZE - PAGE_SIZE;
    return guard >= heap_lo ? guard : 0;
}

_Noreturn void tender_boot(const struct hvt_boot_info *bi);

void tender_boot(const struct hvt_boot_info *bi)
{
    struct tender_start_info si;
    uint64_t mem_size = bi->mem_size;
    uint64_t heap_lo = heap_bottom(bi);
    uint64_t guard = guard_page_of(mem_size, heap_lo);

    kernel_boot_info = bi;
    stack_guard_init(bi);
    cpu_init();
    cpu_enable_sse();
    /* The rings' 2 MiB above mem_size are mapped too, if either is
     * offered. */
    paging_init(net_ring_offered(bi) || block_ring_offered(bi)
                    ? mem_size + HVT_RING_REGION_SIZE
                    : mem_size,
                guard);
    clock_init(bi);
    env_init(bi, heap_lo, guard != 0 ? guard : heap_lo, &si);
    tender_exit(tender_app_main(&si));
}
