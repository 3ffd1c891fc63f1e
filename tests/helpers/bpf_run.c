/*
 * The classic-BPF interpreter of bpf_run.h: the instructions the kernel
 * accepts in a seccomp filter (kernel/seccomp.c, seccomp_check_filter),
 * less the ones neither generator emits nor any test needs (division,
 * shifts and the like: those are refused as unknown).
 */
#include <string.h>

#include "bpf_run.h"

/* A 32-bit load from seccomp_data at k, as seccomp allows it. */
static int load_word(const struct seccomp_data *d, uint32_t k, uint32_t *a)
{
    if (k % 4 != 0 || k > sizeof(*d) - 4)
        return -1;
    memcpy(a, (const uint8_t *)d + k, 4);
    return 0;
}

/* The next pc after conditional jump f, with A = a. */
static size_t jump(const struct sock_filter *f, size_t pc, uint32_t a)
{
    int taken;

    switch (BPF_OP(f->code)) {
    case BPF_JEQ:
        taken = a == f->k;
        break;
    case BPF_JGT:
        taken = a > f->k;
        break;
    case BPF_JGE:
        taken = a >= f->k;
        break;
    default: /* BPF_JSET */
        taken = (a & f->k) != 0;
        break;
    }
    return pc + 1 + (taken ? f->jt : f->jf);
}

int bpf_run(const struct sock_filter *prog, size_t len,
            const struct seccomp_data *d, uint32_t *ret)
{
    uint32_t a = 0, mem[BPF_MEMWORDS] = {0};
    size_t pc = 0;

    while (pc < len) {
        const struct sock_filter *f = &prog[pc];

        switch (f->code) {
        case BPF_LD | BPF_W | BPF_ABS:
            if (load_word(d, f->k, &a) < 0)
                return -1;
            break;
        case BPF_LD | BPF_IMM:
            a = f->k;
            break;
        case BPF_LD | BPF_MEM:
            if (f->k >= BPF_MEMWORDS)
                return -1;
            a = mem[f->k];
            break;
        case BPF_ST:
            if (f->k >= BPF_MEMWORDS)
                return -1;
            mem[f->k] = a;
            break;
        case BPF_ALU | BPF_AND | BPF_K:
            a &= f->k;
            break;
        case BPF_JMP | BPF_JA:
            pc += 1 + (size_t)f->k;
            continue;
        case BPF_JMP | BPF_JEQ | BPF_K:
        case BPF_JMP | BPF_JGT | BPF_K:
        case BPF_JMP | BPF_JGE | BPF_K:
        case BPF_JMP | BPF_JSET | BPF_K:
            pc = jump(f, pc, a);
            continue;
        case BPF_RET | BPF_K:
            *ret = f->k;
            return 0;
        case BPF_RET | BPF_A:
            *ret = a;
            return 0;
        default:
            return -1;
        }
        pc++;
    }
    return -1; /* the kernel refuses a program that can fall off its end */
}
