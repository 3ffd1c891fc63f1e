#include <stdbool.h>
#include <stdint.h>
#include <tender/string.h>

#include "int_limits.h"
#include "format.h"

/* One conversion specification, such as "%-08.3lx", once parsed. */
struct spec {
    bool left;     /* '-': pad on the right */
    bool zero;     /* '0': pad numbers with zeros */
    int width;     /* minimum field width */
    int precision; /* -1 if none */
    int length;    /* 'H' hh, 'h', 'l', 'L' ll (and j, z, t), or 0 */
    char conv;     /* the conversion character */
};

/* The output so far: the sink and how much went into it. */
struct out {
    struct format_sink *sink;
    size_t count;
};

static void emit(struct out *o, const char *s, size_t len)
{
    if (len == 0)
        return;
    o->sink->put(o->sink, s, len);
    o->count += len;
}

static void emit_padding(struct out *o, char c, int n)
{
    char pad[16];

    memset(pad, c, sizeof(pad));
    for (; n > 0; n -= (int)sizeof(pad))
        emit(o, pad, n < (int)sizeof(pad) ? (size_t)n : sizeof(pad));
}

/* Read a decimal number or '*' (taken from ap) at *fmt. */
static int parse_count(const char **fmt, va_list *ap)
{
    int n = 0;

    if (**fmt == '*') {
        (*fmt)++;
        return va_arg(*ap, int);
    }
    for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++) {
        if (n < INT_MAX / 10)
            n = n * 10 + (**fmt - '0');
    }
    return n;
}

static void parse_flags(const char **fmt, struct spec *sp)
{
    for (;; (*fmt)++) {
        if (**fmt == '-')
            sp->left = true;
        else if (**fmt == '0')
            sp->zero = true;
        else if (**fmt != '+' && **fmt != ' ' && **fmt != '#')
            return; /* '+', ' ' and '#' are accepted and ignored */
    }
}

static void parse_length(const char **fmt, struct spec *sp)
{
    char c = **fmt;

    if (c == 'h' || c == 'l') {
        (*fmt)++;
        /* c is 'h' or 'l' here: no sign to extend. */
        sp->length = c; /* NOLINT(bugprone-signed-char-misuse) */
        if (**fmt == c) {
            (*fmt)++;
            sp->length = c == 'h' ? 'H' : 'L';
        }
    } else if (c == 'z' || c == 'j' || c == 't') {
        /* size_t, intmax_t and ptrdiff_t are all 64 bits here. */
        (*fmt)++;
        sp->length = 'L';
    }
}

/* Parse the specification after a '%'; *fmt ends up after it. */
static void parse_spec(const char **fmt, va_list *ap, struct spec *sp)
{
    memset(sp, 0, sizeof(*sp));
    sp->precision = -1;
    parse_flags(fmt, sp);
    sp->width = parse_count(fmt, ap);
    if (sp->width < 0) {
        /* A negative '*' width means '-' and its absolute value. */
        sp->left = true;
        sp->width = sp->width == INT_MIN ? INT_MAX : -sp->width;
    }
    if (**fmt == '.') {
        (*fmt)++;
        sp->precision = parse_count(fmt, ap);
    }
    parse_length(fmt, sp);
    sp->conv = **fmt;
    if (sp->conv != '\0')
        (*fmt)++;
}

/* Emit s, of length len, padded to the field width. */
static void emit_field(struct out *o, const struct spec *sp, const char *s,
                       size_t len)
{
    int pad = sp->width > (int)len ? sp->width - (int)len : 0;

    if (!sp->left)
        emit_padding(o, ' ', pad);
    emit(o, s, len);
    if (sp->left)
        emit_padding(o, ' ', pad);
}

static void format_string(struct out *o, const struct spec *sp, const char *s)
{
    size_t len;

    if (s == NULL)
        s = "(null)";
    if (sp->precision >= 0)
        len = strnlen(s, (size_t)sp->precision);
    else
        len = strlen(s);
    emit_field(o, sp, s, len);
}

static void format_char(struct out *o, const struct spec *sp, int c)
{
    char ch = (char)c;

    emit_field(o, sp, &ch, 1);
}

/*
 * Write the digits of v in base into the end of buf (which holds 64
 * bytes); return where they start.
 */
static char *convert_digits(char *buf, uint64_t v, unsigned int base,
                            bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = buf + 64;

    do {
        *--p = digits[v % base];
        v /= base;
    } while (v != 0);
    return p;
}

/*
 * Emit a number: prefix (a sign or "0x"), then the digits, widened to the
 * precision with zeros, and the whole padded to the field width.
 */
static void emit_number(struct out *o, const struct spec *sp,
                        const char *prefix, const char *digits, size_t ndigits)
{
    size_t nprefix = strlen(prefix);
    int zeros = 0;
    int len;
    int pad;

    if (sp->precision > (int)ndigits)
        zeros = sp->precision - (int)ndigits;
    len = (int)(nprefix + ndigits) + zeros;
    pad = sp->width > len ? sp->width - len : 0;
    /* The '0' flag pads with zeros, but not with '-' or a precision. */
    if (sp->zero && !sp->left && sp->precision < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!sp->left)
        emit_padding(o, ' ', pad);
    emit(o, prefix, nprefix);
    emit_padding(o, '0', zeros);
    emit(o, digits, ndigits);
    if (sp->left)
        emit_padding(o, ' ', pad);
}

static void format_unsigned(struct out *o, const struct spec *sp, uint64_t v,
                            const char *prefix)
{
    unsigned int base = 10;
    char buf[64];
    char *digits;
    size_t ndigits;

    if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
        base = 16;
    else if (sp->conv == 'o')
        base = 8;
    digits = convert_digits(buf, v, base, sp->conv == 'X');
    ndigits = (size_t)(buf + sizeof(buf) - digits);
    /* As in C: a zero precision prints no digits for the value 0. */
    if (sp->precision == 0 && v == 0)
        ndigits = 0;
    emit_number(o, sp, prefix, digits, ndigits);
}

static void format_signed(struct out *o, const struct spec *sp, int64_t v)
{
    /* Negate in unsigned arithmetic so that INT64_MIN works too. */
    if (v < 0)
        format_unsigned(o, sp, -(uint64_t)v, "-");
    else
        format_unsigned(o, sp, (uint64_t)v, "");
}

static int64_t fetch_signed(const struct spec *sp, va_list *ap)
{
    switch (sp->length) {
    case 'H':
        return (signed char)va_arg(*ap, int);
    case 'h':
        return (short)va_arg(*ap, int);
    case 'l':
        return va_arg(*ap, long);
    case 'L':
        return va_arg(*ap, long long);
    default:
        return va_arg(*ap, int);
    }
}

static uint64_t fetch_unsigned(const struct spec *sp, va_list *ap)
{
    switch (sp->length) {
    case 'H':
        return (unsigned char)va_arg(*ap, unsigned int);
    case 'h':
        return (unsigned short)va_arg(*ap, unsigned int);
    case 'l':
        return va_arg(*ap, unsigned long);
    case 'L':
        return va_arg(*ap, unsigned long long);
    default:
        return va_arg(*ap, unsigned int);
    }
}

static void format_one(struct out *o, const struct spec *sp, va_list *ap)
{
    switch (sp->conv) {
    case 'd':
    case 'i':
        format_signed(o, sp, fetch_signed(sp, ap));
        break;
    case 'u':
    case 'x':
    case 'X':
    case 'o':
        format_unsigned(o, sp, fetch_unsigned(sp, ap), "");
        break;
    case 'p':
        format_unsigned(o, sp, (uintptr_t)va_arg(*ap, void *), "0x");
        break;
    case 's':
        format_string(o, sp, va_arg(*ap, const char *));
        break;
    case 'c':
        format_char(o, sp, va_arg(*ap, int));
        break;
    case '%':
        emit(o, "%", 1);
        break;
    default:
        /* Unknown (or a '%' at the very end): print it as it stands. */
        emit(o, "%", 1);
        if (sp->conv != '\0')
            emit(o, &sp->conv, 1);
        break;
    }
}

int tender_format(struct format_sink *sink, const char *fmt, va_list ap)
{
    struct out o = {sink, 0};
    struct spec sp;
    const char *p;
    va_list args;

    /* Copied so that helpers can take its address portably. */
    va_copy(args, ap);
    while (*fmt != '\0') {
        for (p = fmt; *p != '\0' && *p != '%'; p++)
            ;
        emit(&o, fmt, (size_t)(p - fmt));
        if (*p == '\0')
            break;
        fmt = p + 1;
        parse_spec(&fmt, &args, &sp);
        format_one(&o, &sp, &args);
    }
    va_end(args);
    return o.count > INT_MAX ? -1 : (int)o.count;
}
