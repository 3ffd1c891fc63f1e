/*
 * Triple fault on purpose: with an IDT of limit 0, the breakpoint cannot
 * be delivered (#GP), nor can that (#DF), nor that: the CPU shuts down and
 * the monitor must report a triple fault.
 */
#include <stdint.h>
#include <tender/guest.h>
#include <tender/stdio.h>

struct idt_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

int tender_app_main(const struct tender_start_info *si)
{
    static const struct idt_pointer empty = {0, 0};

    (void)si;
    printf("loading an empty IDT\n");
    __asm__ __volatile__("lidt %0\n\tint3" : : "m"(empty) : "memory");
    return 0;
}
