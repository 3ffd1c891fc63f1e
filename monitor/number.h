/* Decimal numbers on the command line: one parser for every option. */
#ifndef TENDER_NUMBER_H
#define TENDER_NUMBER_H

#include <stdint.h>

#define NUMBER_NOT_DECIMAL (-1) /* empty, or a character not 0-9 */
#define NUMBER_TOO_LARGE (-2)   /* digits only, but above the maximum */

/*
 * text as a whole decimal number from 0 to max: digits only, no sign, no
 * space, no suffix.  0 and *value set, or one of the codes above.
 */
int parse_decimal(const char *text, uint64_t max, uint64_t *value);

/* The value of hexadecimal digit c (either case), or -1. */
int hex_digit(int c);

/*
 * A device value "@FD" (a descriptor the parent opened): FD, or -1 if
 * value does not have that form.
 */
int parse_fd_ref(const char *value);

#endif
