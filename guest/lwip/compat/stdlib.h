/* lwIP includes <stdlib.h>: the guest libc subset's <tender/stdlib.h>. */
#include <tender/stdlib.h>
