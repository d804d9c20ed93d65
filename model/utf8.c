/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* utf8.c - UTF-8 decoding and encoding per RFC 3629 (utf8.h). */
#include "model/utf8.h"

#define MAX_CODE_POINT 0x10ffffu
#define SURROGATE_FIRST 0xd800u
#define SURROGATE_LAST 0xdfffu

static int is_continuation(unsigned char b)
{
	return (b & 0xc0) == 0x80;
}

/* The length of the sequence lead byte b starts (1 to 4), or 0 for a byte
 * that starts none: a continuation byte, C0 or C1 (only ever overlong) and
 * F5 to FF (above U+10FFFF). [*lo, *hi] is where the second byte must lie:
 * narrower than 80..BF after E0 and F0 (overlong forms), ED (surrogates)
 * and F4 (above U+10FFFF), as in the table of RFC 3629 section 4. */
static int lead_length(unsigned char b, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xbf;
	if (b < 0x80)
		return 1;
	if (b < 0xc2)
		return 0;
	if (b < 0xe0)
		return 2;
	if (b < 0xf0) {
		if (b == 0xe0)
			*lo = 0xa0;
		else if (b == 0xed)
			*hi = 0x9f;
		return 3;
	}
	if (b > 0xf4)
		return 0;
	if (b == 0xf0)
		*lo = 0x90;
	else if (b == 0xf4)
		*hi = 0x8f;
	return 4;
}

/* utf8_next: one strictly valid sequence, or -1. */
int utf8_next(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo, hi;
	uint32_t c;
	int n, i;

	if (len == 0)
		return -1;
	n = lead_length(p[0], &lo, &hi);
	if (n == 0 || (size_t)n > len)
		return -1;
	if (n == 1) {
		*cp = p[0];
		return 1;
	}
	if (p[1] < lo || p[1] > hi)
		return -1;
	c = p[0] & (0xffu >> (n + 1));
	for (i = 1; i < n; i++) {
		if (!is_continuation(p[i]))
			return -1;
		c = c << 6 | (p[i] & 0x3fu);
	}
	*cp = c;
	return n;
}

/* utf8_step: a valid sequence, or one byte as U+FFFD. */
size_t utf8_step(const char *s, size_t len, uint32_t *cp)
{
	int n;

	if (len == 0) {
		*cp = 0;
		return 0;
	}
	n = utf8_next(s, len, cp);
	if (n > 0)
		return (size_t)n;
	*cp = UTF8_REPLACEMENT;
	return 1;
}

/* utf8_count: characters, or -1 at the first invalid sequence. */
long utf8_count(const char *s, size_t len)
{
	size_t i = 0;
	long count = 0;
	uint32_t cp;
	int n;

	while (i < len) {
		n = utf8_next(s + i, len - i, &cp);
		if (n < 0)
			return -1;
		i += (size_t)n;
		count++;
	}
	return count;
}

/* utf8_valid: every sequence decodes. */
int utf8_valid(const char *s, size_t len)
{
	return utf8_count(s, len) >= 0;
}

/* utf8_put: the shortest form; non-characters become U+FFFD. */
size_t utf8_put(uint32_t cp, char *out)
{
	if (cp > MAX_CODE_POINT || (cp >= SURROGATE_FIRST && cp <= SURROGATE_LAST))
		cp = UTF8_REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* utf8_prefix: back from max over the continuation bytes of a character
 * that the limit would cut. */
size_t utf8_prefix(const char *s, size_t len, size_t max)
{
	size_t k;

	if (len <= max)
		return len;
	k = max;
	while (k > 0 && is_continuation((unsigned char)s[k]))
		k--;
	return k;
}

/* Append the k bytes at p to out at *o, when they fit with room for the NUL. */
static int shown_put(char *out, size_t n, size_t *o, const char *p, size_t k)
{
	size_t i;

	if (*o + k >= n)
		return -1;
	for (i = 0; i < k; i++)
		out[(*o)++] = p[i];
	return 0;
}

/* utf8_shown: characters as they are, other bytes as \xHH. */
const char *utf8_shown(const char *s, size_t len, char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, o = 0, k;
	uint32_t cp;
	int used;

	if (!n)
		return out;
	while (i < len) {
		used = utf8_next(s + i, len - i, &cp);
		k = used > 0 ? (size_t)used : 1;
		if (used > 0 && !(cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))) {
			if (shown_put(out, n, &o, s + i, k) < 0)
				break;
		} else {
			size_t j;
			int full = 0;

			for (j = 0; j < k && !full; j++) {
				unsigned char b = (unsigned char)s[i + j];
				char esc[4] = { '\\', 'x', hex[b >> 4], hex[b & 15] };

				full = shown_put(out, n, &o, esc, 4) < 0;
			}
			if (full)
				break;
		}
		i += k;
	}
	out[o] = '\0';
	return out;
}
