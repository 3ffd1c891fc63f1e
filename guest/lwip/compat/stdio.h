/* lwIP includes <stdio.h>: the guest libc subset's <tender/stdio.h>. */
#include <tender/stdio.h>
