/*
 * Entry point and exception stubs of the conformance runtime.
 *
 * _start records the machine state exactly as the tender left it, before
 * any instruction could change it, so that the entry-state checks judge
 * the tender and not this runtime.  Then it zeroes the bss (the entry
 * state lives in .data for that reason) and calls conf_start().
 *
 * _start is not the first byte of the text: a tender that started the
 * guest there instead of at the ELF entry point runs before_start first,
 * which leaves a mark (and changes no register) for rule E1.
 */
        .set MSR_EFER, 0xc0000080
        .set MSR_FS_BASE, 0xc0000100
        .set MSR_GS_BASE, 0xc0000101

        .section .text.start, "ax", @progbits
before_start:
        movl $1, conf_entry_before_start(%rip)
        .balign 16, 0x90

        .globl _start
        .type _start, @function
_start:
        movq %rax, conf_entry_gpr+0(%rip)
        movq %rbx, conf_entry_gpr+8(%rip)
        movq %rcx, conf_entry_gpr+16(%rip)
        movq %rdx, conf_entry_gpr+24(%rip)
        movq %rsi, conf_entry_gpr+32(%rip)
        movq %rdi, conf_entry_gpr+40(%rip)
        movq %rbp, conf_entry_gpr+48(%rip)
        movq %rsp, conf_entry_gpr+56(%rip)
        movq %r8, conf_entry_gpr+64(%rip)
        movq %r9, conf_entry_gpr+72(%rip)
        movq %r10, conf_entry_gpr+80(%rip)
        movq %r11, conf_entry_gpr+88(%rip)
        movq %r12, conf_entry_gpr+96(%rip)
        movq %r13, conf_entry_gpr+104(%rip)
        movq %r14, conf_entry_gpr+112(%rip)
        movq %r15, conf_entry_gpr+120(%rip)
        /* PUSHF writes just below RSP: the stack must already work. */
        pushfq
        popq conf_entry_rflags(%rip)
        movq %cr0, %rax
        movq %rax, conf_entry_cr0(%rip)
        movq %cr3, %rax
        movq %rax, conf_entry_cr3(%rip)
        movq %cr4, %rax
        movq %rax, conf_entry_cr4(%rip)
        movl $MSR_EFER, %ecx
        call read_msr_to_rax
        movq %rax, conf_entry_efer(%rip)
        movl $MSR_FS_BASE, %ecx
        call read_msr_to_rax
        movq %rax, conf_entry_fs_base(%rip)
        movl $MSR_GS_BASE, %ecx
        call read_msr_to_rax
        movq %rax, conf_entry_gs_base(%rip)
        movw %cs, conf_entry_sel+0(%rip)
        movw %ds, conf_entry_sel+2(%rip)
        movw %es, conf_entry_sel+4(%rip)
        movw %fs, conf_entry_sel+6(%rip)
        movw %gs, conf_entry_sel+8(%rip)
        movw %ss, conf_entry_sel+10(%rip)
        sgdt conf_entry_gdtr(%rip)
        sidt conf_entry_idtr(%rip)
        fnstcw conf_entry_fcw(%rip)
        /* 64-bit mode (CS.L): 0x48 is a REX.W prefix of the NOP after it;
         * in 32-bit code it would be DEC EAX. */
        xorl %eax, %eax
        .byte 0x48, 0x90
        movl %eax, conf_entry_dec_probe(%rip)

        cld
        leaq conf_bss_start(%rip), %rdi
        leaq conf_bss_end(%rip), %rcx
        subq %rdi, %rcx
        xorl %eax, %eax
        rep stosb

        movq conf_entry_gpr+40(%rip), %rdi
        andq $-16, %rsp
        xorl %ebp, %ebp
        call conf_start
1:      jmp 1b
        .size _start, . - _start

/* RDMSR of %ecx, the 64-bit value in %rax; clobbers %rdx. */
read_msr_to_rax:
        rdmsr
        shlq $32, %rdx
        orq %rdx, %rax
        ret

/*
 * int conf_call_catching(void (*fn)(void *), void *arg)
 *
 * Calls fn(arg).  Returns 0 if it returned, or the exception vector + 1 if
 * it faulted: the exception handler then lands in catch_landing, on the
 * stack saved here, instead of returning to the faulting instruction.
 */
        .text
        .globl conf_call_catching
        .type conf_call_catching, @function
conf_call_catching:
        pushq %rbx
        pushq %rbp
        pushq %r12
        pushq %r13
        pushq %r14
        pushq %r15
        movq %rsp, catch_rsp(%rip)
        movq $1, conf_catch_armed(%rip)
        movq %rdi, %rax
        movq %rsi, %rdi
        call *%rax
        movq $0, conf_catch_armed(%rip)
        xorl %eax, %eax
        jmp 1f
catch_landing:
        movq catch_rsp(%rip), %rsp
        movq conf_fault+0(%rip), %rax
        incq %rax
1:      popq %r15
        popq %r14
        popq %r13
        popq %r12
        popq %rbp
        popq %rbx
        ret
        .size conf_call_catching, . - conf_call_catching

/*
 * Exception stubs: each makes the frame look the same (a dummy error code
 * where the CPU pushes none), pushes its vector and joins trap_common.
 */
.macro STUB vector
trap_stub_\vector:
        pushq $0
        pushq $\vector
        jmp trap_common
.endm
.macro STUB_ERR vector
trap_stub_\vector:
        pushq $\vector
        jmp trap_common
.endm

STUB 0
STUB 1
STUB 2
STUB 3
STUB 4
STUB 5
STUB 6
STUB 7
STUB_ERR 8
STUB 9
STUB_ERR 10
STUB_ERR 11
STUB_ERR 12
STUB_ERR 13
STUB_ERR 14
STUB 15
STUB 16
STUB_ERR 17
STUB 18
STUB 19
STUB 20
STUB_ERR 21
STUB 22
STUB 23
STUB 24
STUB 25
STUB 26
STUB 27
STUB 28
STUB_ERR 29
STUB_ERR 30
STUB 31

/* Stack: vector, error, rip, cs, rflags, rsp, ss. */
trap_common:
        pushq %rax
        movq 8(%rsp), %rax
        movq %rax, conf_fault+0(%rip)
        movq 16(%rsp), %rax
        movq %rax, conf_fault+8(%rip)
        movq 24(%rsp), %rax
        movq %rax, conf_fault+16(%rip)
        movq %cr2, %rax
        movq %rax, conf_fault+24(%rip)
        popq %rax
        cmpq $0, conf_catch_armed(%rip)
        je 2f
        movq $0, conf_catch_armed(%rip)
        /* Resume in catch_landing instead of the faulting instruction. */
        pushq %rax
        leaq catch_landing(%rip), %rax
        movq %rax, 24(%rsp)
        popq %rax
        addq $16, %rsp
        iretq
2:      andq $-16, %rsp
        call conf_unexpected_trap
3:      jmp 3b

        .section .rodata
        .balign 8
        .globl conf_trap_stubs
conf_trap_stubs:
        .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .quad trap_stub_\v
        .endr

        .data
        .balign 16
        .globl conf_entry_gpr, conf_entry_rflags, conf_entry_cr0
        .globl conf_entry_cr3, conf_entry_cr4, conf_entry_efer
        .globl conf_entry_fs_base, conf_entry_gs_base, conf_entry_sel
        .globl conf_entry_gdtr, conf_entry_idtr, conf_entry_fcw
        .globl conf_fault, conf_catch_armed
        .globl conf_entry_dec_probe, conf_entry_before_start
/* Filled before the bss is zeroed, so not in the bss. */
conf_entry_gpr:         .fill 16, 8, 0
conf_entry_rflags:      .quad 0
conf_entry_cr0:         .quad 0
conf_entry_cr3:         .quad 0
conf_entry_cr4:         .quad 0
conf_entry_efer:        .quad 0
conf_entry_fs_base:     .quad 0
conf_entry_gs_base:     .quad 0
conf_entry_sel:         .fill 6, 2, 0
conf_entry_fcw:         .word 0
conf_entry_gdtr:        .fill 10, 1, 0
conf_entry_idtr:        .fill 10, 1, 0
        .balign 4
conf_entry_dec_probe:   .long 0xffffffff
conf_entry_before_start: .long 0
        .balign 8
/* vector, error code, rip, cr2 of the last exception */
conf_fault:             .fill 4, 8, 0
conf_catch_armed:       .quad 0
catch_rsp:              .quad 0

        .section .note.GNU-stack, "", @progbits
