/* The shared core of strtol and strtoul. */
#ifndef TENDER_PARSE_NUMBER_H
#define TENDER_PARSE_NUMBER_H

/*
 * Parse an optionally signed integer in base (0, or 2 to 36) as strtoul
 * does, and return its magnitude, clamped to limit.  *negative tells
 * whether a minus sign was seen.  *endptr, when endptr is not NULL, points
 * after the digits, or at s when there were none.
 */
unsigned long tender_parse_number(const char *s, char **endptr, int base,
                                  unsigned long limit, int *negative);

#endif /* TENDER_PARSE_NUMBER_H */
