/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* utf8.h - UTF-8 text, decoded strictly per RFC 3629: the one decoder of
 * trustmgr (names, passwords, JSON output and the console all use it).
 *
 * A valid sequence is the shortest form of a Unicode scalar value: no
 * overlong forms (C0 80 for U+0000), no UTF-16 surrogates (U+D800 to
 * U+DFFF), nothing above U+10FFFF, no sequence cut short and no
 * continuation byte on its own. Every function takes a byte count, so the
 * text need not end in a NUL and none is read past len bytes. */
#ifndef TM_UTF8_H
#define TM_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_MAX 4                 /* bytes of the longest sequence */
#define UTF8_REPLACEMENT 0xfffdu   /* U+FFFD, what stands for an invalid byte */

/* Decode the character the len bytes at s start with. Returns the bytes it
 * takes (1 to 4) with its code point in *cp, or -1 (*cp untouched) when
 * len is 0 or the bytes do not start with a valid, complete sequence. */
int utf8_next(const char *s, size_t len, uint32_t *cp);

/* The lenient step, for drawing and other places that must go on: like
 * utf8_next, but an invalid byte is taken alone as U+FFFD, so every call
 * with len > 0 moves on by 1 to 4 bytes. Returns 0 (*cp 0) when len is 0. */
size_t utf8_step(const char *s, size_t len, uint32_t *cp);

/* 1 when the len bytes at s are valid UTF-8 from start to end, else 0. */
int utf8_valid(const char *s, size_t len);

/* The number of characters in the len bytes at s, or -1 when they are not
 * valid UTF-8. */
long utf8_count(const char *s, size_t len);

/* Encode cp into out (room for UTF8_MAX bytes; no NUL is added) and return
 * the bytes written, 1 to 4. A value that is not a character (a surrogate,
 * or above U+10FFFF) is written as U+FFFD. */
size_t utf8_put(uint32_t cp, char *out);

/* How many of the len bytes at s fit in max bytes without cutting a
 * sequence in two: len when len <= max, else at most max, ending before
 * the character that would straddle the limit. */
size_t utf8_prefix(const char *s, size_t len, size_t max);

/* The len bytes at s written into out (n bytes, always ended with a NUL,
 * cut before a character that does not fit) for people to read: valid
 * characters as they are; each byte of an invalid sequence or of a control
 * character (U+0000 to U+001F, U+007F to U+009F) as \xHH, so nothing
 * raw reaches a terminal or a log. Returns out. */
const char *utf8_shown(const char *s, size_t len, char *out, size_t n);

#endif
