/* The shared core of strtol and strtoul. */
#ifndef TENDER_PARSE_NUMBER_H
#define TENDER_PARSE_NUMBER_H

/* What tender_parse_number saw besides the digits. */
struct parsed_number {
    int negative; /* a minus sign came first */
    int overflow; /* the magnitude was above the limit */
};

/*
 * Parse an optionally signed integer in base (0, or 2 to 36) as strtoul
 * does, and return its magnitude, clamped to limit.  *endptr, when endptr
 * is not NULL, points after the digits, or at s when there were none.
 */
unsigned long tender_parse_number(const char *s, char **endptr, int base,
                                  unsigned long limit,
                                  struct parsed_number *pn);

#endif /* TENDER_PARSE_NUMBER_H */
