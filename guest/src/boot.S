/*
 * Entry point and exception entry stubs of the tender guest kernel.
 *
 * The monitor enters _start in 64-bit long mode on its own page tables,
 * with RSP = mem_size - 8 and RDI = the boot info's address.  Everything
 * that can be done in C is done in C (boot.c); this file holds only what
 * cannot: the first instructions, reloading segment registers, and the
 * trap stubs that build a frame the C handler can read.
 */

        /* Unwind tables go with the debug information, not into the image. */
        .cfi_sections .debug_frame

        .section .text.boot, "ax", @progbits
        .globl _start
        .type _start, @function
_start:
        .cfi_startproc
        /* The outermost frame: debuggers stop unwinding here. */
        .cfi_undefined rip
        cld
        /* The bss must be zero before any C code runs. */
        movq %rdi, %r12
        leaq __tender_bss_start(%rip), %rdi
        leaq __tender_bss_end(%rip), %rcx
        subq %rdi, %rcx
        xorl %eax, %eax
        rep stosb
        movq %r12, %rdi
        /*
         * RSP is 8 below a 2 MiB boundary; align it as the ABI wants
         * before a call, and end the chain of frame pointers here.
         */
        andq $-16, %rsp
        xorl %ebp, %ebp
        call tender_boot
        /* tender_boot does not return; stop if it ever does. */
1:      cli
        hlt
        jmp 1b
        .cfi_endproc
        .size _start, . - _start

/*
 * void cpu_load_gdt(const struct gdt_pointer *p, uint16_t code_sel,
 *                   uint16_t data_sel)
 *
 * Load a new GDT, then reload every segment register from it: CS through
 * a far return, the others with plain moves.
 */
        .text
        .globl cpu_load_gdt
        .type cpu_load_gdt, @function
cpu_load_gdt:
        lgdt (%rdi)
        movw %dx, %ds
        movw %dx, %es
        movw %dx, %fs
        movw %dx, %gs
        movw %dx, %ss
        popq %rax
        pushq %rsi
        pushq %rax
        lretq
        .size cpu_load_gdt, . - cpu_load_gdt

/*
 * Exception entry.  Each vector has a stub that makes the stack look the
 * same whether or not the CPU pushed an error code, pushes the vector
 * number and joins trap_common, which saves the registers and CR2 and calls
 * trap_handler(frame) (trap.c).  The layout built here is struct
 * trap_frame; the two must change together.
 */
.macro TRAP_STUB vector
        .type trap_stub_\vector, @function
trap_stub_\vector:
        pushq $0
        pushq $\vector
        jmp trap_common
        .size trap_stub_\vector, . - trap_stub_\vector
.endm

.macro TRAP_STUB_ERROR vector
        .type trap_stub_\vector, @function
trap_stub_\vector:
        pushq $\vector
        jmp trap_common
        .size trap_stub_\vector, . - trap_stub_\vector
.endm

        .text
TRAP_STUB 0
TRAP_STUB 1
TRAP_STUB 2
TRAP_STUB 3
TRAP_STUB 4
TRAP_STUB 5
TRAP_STUB 6
TRAP_STUB 7
TRAP_STUB_ERROR 8
TRAP_STUB 9
TRAP_STUB_ERROR 10
TRAP_STUB_ERROR 11
TRAP_STUB_ERROR 12
TRAP_STUB_ERROR 13
TRAP_STUB_ERROR 14
TRAP_STUB 15
TRAP_STUB 16
TRAP_STUB_ERROR 17
TRAP_STUB 18
TRAP_STUB 19
TRAP_STUB 20
TRAP_STUB_ERROR 21
TRAP_STUB 22
TRAP_STUB 23
TRAP_STUB 24
TRAP_STUB 25
TRAP_STUB 26
TRAP_STUB 27
TRAP_STUB 28
TRAP_STUB_ERROR 29
TRAP_STUB_ERROR 30
TRAP_STUB 31

/*
 * Call frame information lets a debugger unwind from trap_handler into
 * the code the exception interrupted: RBX keeps the frame's address (it
 * survives the call), the interrupted RSP, RIP, RBP and RBX are read from
 * the frame, and the frame is a signal frame, so the interrupted RIP is
 * taken as it is rather than as a return address.  DWARF expressions,
 * since the CPU may have switched stacks: the frame's offsets are those
 * of struct trap_frame (cr2 at 0, r15 8, rbp 72, rbx 112, rip 144, rsp
 * 168), DWARF register 3 is RBX, 6 RBP and 16 RIP.
 */
        .type trap_common, @function
trap_common:
        .cfi_startproc simple
        .cfi_signal_frame
        /* Until the frame is complete: an outermost frame, not an
         * undefined CFA, which gdb cannot unwind at all. */
        .cfi_def_cfa %rsp, 8
        .cfi_undefined rip
        pushq %rax
        pushq %rbx
        pushq %rcx
        pushq %rdx
        pushq %rsi
        pushq %rdi
        pushq %rbp
        pushq %r8
        pushq %r9
        pushq %r10
        pushq %r11
        pushq %r12
        pushq %r13
        pushq %r14
        pushq %r15
        movq %cr2, %rax
        pushq %rax
        movq %rsp, %rbx
        /* CFA = *(rbx + 168): DW_CFA_def_cfa_expression, breg3 168, deref */
        .cfi_escape 0x0f, 0x04, 0x73, 0xa8, 0x01, 0x06
        /* DW_CFA_expression: rip at rbx + 144, rbp at + 72, rbx at + 112 */
        .cfi_escape 0x10, 0x10, 0x03, 0x73, 0x90, 0x01
        .cfi_escape 0x10, 0x06, 0x03, 0x73, 0xc8, 0x00
        .cfi_escape 0x10, 0x03, 0x03, 0x73, 0xf0, 0x00
        movq %rsp, %rdi
        /* The handler never returns, so the stack need not be restored. */
        andq $-16, %rsp
        xorl %ebp, %ebp
        call trap_handler
1:      cli
        hlt
        jmp 1b
        .cfi_endproc
        .size trap_common, . - trap_common

/* The stubs' addresses, indexed by vector, for the IDT (cpu.c). */
        .section .rodata
        .balign 8
        .globl trap_stubs
        .type trap_stubs, @object
trap_stubs:
        .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .quad trap_stub_\v
        .endr
        .size trap_stubs, . - trap_stubs

        .section .note.GNU-stack, "", @progbits
