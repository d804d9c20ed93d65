/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* sid.c - security identifiers: text and binary forms, the domain-SID rule. */
#include "model/sid.h"

#include <stdio.h>
#include <string.h>

#include "model/hex.h"

#define SID_AUTH_LIMIT (UINT64_C(1) << 48)
#define SID_NT_AUTHORITY 5u
#define SID_RID_DOMAIN 21u
#define SID_RID_BUILTIN 32u

/* Parse an unsigned decimal number of at least one digit, no sign, no
 * spaces; stops at the first non-digit. Returns 0 or -1 above max. */
static int parse_decimal(const char **pp, uint64_t max, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		uint64_t d = (uint64_t)(*p - '0');

		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*pp = p;
	*out = v;
	return 0;
}

/* Parse "0x" followed by 1-12 hex digits (a 48-bit authority). */
static int parse_hex_authority(const char **pp, uint64_t *out)
{
	const char *p = *pp + 2;
	uint64_t v = 0;
	int ndig = 0, d;

	while ((d = hex_digit(*p)) >= 0) {
		if (++ndig > 12)
			return -1;
		v = v << 4 | (uint64_t)d;
		p++;
	}
	if (ndig == 0)
		return -1;
	*pp = p;
	*out = v;
	return 0;
}

static int parse_authority(const char **pp, uint64_t *out)
{
	const char *p = *pp;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		return parse_hex_authority(pp, out);
	return parse_decimal(pp, SID_AUTH_LIMIT - 1, out);
}

static int sid_bad_text(tm_error *e, const char *text, const char *why)
{
	return error_fail(e, TM_EREFUSED, ST_INVALID_SID,
		       "\"%.64s\" is not a valid SID: %s.", text, why);
}

/* Parse the "-<sub>" list after the authority. */
static int parse_subs(const char *p, tm_sid *s, const char *text, tm_error *e)
{
	uint64_t v;

	while (*p == '-') {
		p++;
		if (s->nsub == SID_MAX_SUB)
			return sid_bad_text(e, text, "a SID has at most 15 sub-authorities");
		if (parse_decimal(&p, UINT32_MAX, &v) < 0)
			return sid_bad_text(e, text,
				"each sub-authority must be a decimal number from 0 to 4294967295");
		s->sub[s->nsub++] = (uint32_t)v;
	}
	if (*p != '\0')
		return sid_bad_text(e, text, "unexpected characters after the last number");
	return 0;
}

/* sid_parse: text "S-1-<authority>(-<sub>)*" into out. */
int sid_parse(const char *text, tm_sid *out, tm_error *e)
{
	tm_sid s;
	const char *p = text;

	memset(&s, 0, sizeof(s));
	if (!text || !out)
		return error_fail(e, TM_EREFUSED, ST_INVALID_SID, "No SID was given.");
	if ((p[0] != 'S' && p[0] != 's') || p[1] != '-')
		return sid_bad_text(e, text, "it must start with \"S-\"");
	if (p[2] != '1' || p[3] != '-')
		return sid_bad_text(e, text, "only revision 1 (\"S-1-\") exists");
	p += 4;
	if (parse_authority(&p, &s.authority) < 0)
		return sid_bad_text(e, text,
			"the identifier authority must be a number below 2^48");
	s.revision = 1;
	if (parse_subs(p, &s, text, e) < 0)
		return -1;
	*out = s;
	return 0;
}

/* sid_format: "S-1-<auth>-..." with the authority in hex at or above 2^32
 * (MS-DTYP 2.4.2.1); truncated output still ends in NUL. */
char *sid_format(const tm_sid *sid, char *buf, size_t n)
{
	size_t used, i, nsub;
	int k;

	if (!buf || n == 0)
		return buf;
	buf[0] = '\0';
	if (!sid)
		return buf;
	if (sid->authority >> 32)
		k = snprintf(buf, n, "S-%u-0x%012llX", sid->revision,
			     (unsigned long long)(sid->authority & (SID_AUTH_LIMIT - 1)));
	else
		k = snprintf(buf, n, "S-%u-%llu", sid->revision,
			     (unsigned long long)sid->authority);
	nsub = sid->nsub > SID_MAX_SUB ? SID_MAX_SUB : sid->nsub;
	for (i = 0; i < nsub && k >= 0 && (size_t)k < n; i++) {
		used = (size_t)k;
		k = snprintf(buf + used, n - used, "-%lu", (unsigned long)sid->sub[i]);
		if (k >= 0)
			k += (int)used;
	}
	return buf;
}

/* sid_binary_len: 8 + 4 * nsub. */
size_t sid_binary_len(const tm_sid *sid)
{
	return 8 + 4 * (size_t)sid->nsub;
}

/* sid_to_binary: revision, count, 6-byte big-endian authority, LE subs. */
size_t sid_to_binary(const tm_sid *sid, uint8_t *buf, size_t n)
{
	size_t len = sid_binary_len(sid), i;

	if (sid->nsub > SID_MAX_SUB || !buf || n < len)
		return 0;
	buf[0] = sid->revision;
	buf[1] = sid->nsub;
	for (i = 0; i < 6; i++)
		buf[2 + i] = (uint8_t)(sid->authority >> (8 * (5 - i)));
	for (i = 0; i < sid->nsub; i++) {
		uint32_t v = sid->sub[i];

		buf[8 + 4 * i] = (uint8_t)v;
		buf[9 + 4 * i] = (uint8_t)(v >> 8);
		buf[10 + 4 * i] = (uint8_t)(v >> 16);
		buf[11 + 4 * i] = (uint8_t)(v >> 24);
	}
	return len;
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* sid_from_binary: exactly one SID of len bytes. */
int sid_from_binary(const uint8_t *buf, size_t len, tm_sid *out, tm_error *e)
{
	tm_sid s;
	size_t i;

	memset(&s, 0, sizeof(s));
	if (!buf || len < 8)
		return error_fail(e, TM_EREFUSED, ST_INVALID_SID,
			       "A binary SID needs at least 8 bytes; %zu given.", buf ? len : 0);
	if (buf[0] != 1)
		return error_fail(e, TM_EREFUSED, ST_INVALID_SID,
			       "Binary SID has revision %u; only revision 1 exists.", buf[0]);
	if (buf[1] > SID_MAX_SUB)
		return error_fail(e, TM_EREFUSED, ST_INVALID_SID,
			       "Binary SID claims %u sub-authorities; at most 15 are allowed.", buf[1]);
	if (len != 8 + 4 * (size_t)buf[1])
		return error_fail(e, TM_EREFUSED, ST_INVALID_SID,
			       "Binary SID with %u sub-authorities must be %zu bytes long, not %zu.",
			       buf[1], 8 + 4 * (size_t)buf[1], len);
	s.revision = 1;
	s.nsub = buf[1];
	for (i = 0; i < 6; i++)
		s.authority = s.authority << 8 | buf[2 + i];
	for (i = 0; i < s.nsub; i++)
		s.sub[i] = get_le32(buf + 8 + 4 * i);
	*out = s;
	return 0;
}

/* sid_equal: same revision, authority and sub-authorities. */
int sid_equal(const tm_sid *a, const tm_sid *b)
{
	size_t i;

	if (!a || !b)
		return a == b;
	if (a->revision != b->revision || a->nsub != b->nsub ||
	    a->authority != b->authority || a->nsub > SID_MAX_SUB)
		return 0;
	for (i = 0; i < a->nsub; i++)
		if (a->sub[i] != b->sub[i])
			return 0;
	return 1;
}

/* sid_check_domain: S-1-5-21-a-b-c with a, b, c non-zero. */
int sid_check_domain(const tm_sid *sid, tm_error *e)
{
	char text[SID_TEXT_MAX];

	if (!sid)
		return error_fail(e, TM_EREFUSED, ST_INVALID_SID, "No domain SID was given.");
	sid_format(sid, text, sizeof(text));
	if (sid->authority == SID_NT_AUTHORITY && sid->nsub >= 1 &&
	    sid->sub[0] == SID_RID_BUILTIN)
		return error_fail(e, TM_EREFUSED, ST_INVALID_SID,
			       "%s is the BUILTIN domain, which exists on every computer and "
			       "cannot be a trust partner.", text);
	if (sid->revision != 1 || sid->authority != SID_NT_AUTHORITY ||
	    sid->nsub != 4 || sid->sub[0] != SID_RID_DOMAIN)
		return error_fail(e, TM_EREFUSED, ST_INVALID_SID,
			       "%s is not a domain SID; a domain SID has the form "
			       "S-1-5-21-a-b-c.", text);
	if (sid->sub[1] == 0 || sid->sub[2] == 0 || sid->sub[3] == 0)
		return error_fail(e, TM_EREFUSED, ST_INVALID_SID,
			       "%s is not a domain SID: the three numbers after S-1-5-21 "
			       "must all be non-zero.", text);
	return 0;
}

/* sid_text_equals: text parses as a SID equal to sid. */
int sid_text_equals(const char *text, const tm_sid *sid)
{
	tm_error err;
	tm_sid s;

	if (text[0] != 'S' && text[0] != 's')
		return 0;
	return sid_parse(text, &s, &err) == 0 && sid_equal(&s, sid);
}
