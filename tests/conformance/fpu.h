/* FPU and SSE checks; fpu.c is the only file built with SSE code. */
#ifndef CONF_FPU_H
#define CONF_FPU_H

#include <stdint.h>

/* MXCSR as it is now: call it before any other SSE instruction. */
uint32_t fpu_read_mxcsr(void);
/* The U3 checks: x87, SSE arithmetic, XMM registers across hypercalls. */
void fpu_checks(void);

#endif /* CONF_FPU_H */
