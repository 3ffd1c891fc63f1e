/* lwIP includes <string.h>: the guest libc subset's <tender/string.h>. */
#include <tender/string.h>
