/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* tdo_attrs.c - a TDO as trustedDomain attributes and back (see tdo_attrs.h). */
#include "backend/ldap/tdoattr.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "model/secret.h"

/* Which field an attribute maps. */
enum {
	F_PARTNER, F_FLAT, F_SID, F_DIRECTION, F_TYPE, F_ATTRIBUTES, F_POSIX,
	F_INCOMING, F_OUTGOING, F_ENCTYPES, F_FTINFO, F_CREATED, F_CHANGED
};

static const tdoattr_def defs[TDOATTR_COUNT] = {
	{ "trustPartner", TDOATTR_REQUIRED | TDOATTR_LISTED, F_PARTNER },
	{ "flatName", TDOATTR_LISTED, F_FLAT },
	{ "securityIdentifier", TDOATTR_BINARY, F_SID },
	{ "trustDirection", TDOATTR_REQUIRED | TDOATTR_LISTED, F_DIRECTION },
	{ "trustType", TDOATTR_REQUIRED | TDOATTR_LISTED, F_TYPE },
	{ "trustAttributes", TDOATTR_REQUIRED | TDOATTR_LISTED, F_ATTRIBUTES },
	{ "trustPosixOffset", 0, F_POSIX },
	{ "trustAuthIncoming", TDOATTR_BINARY | TDOATTR_SECRET, F_INCOMING },
	{ "trustAuthOutgoing", TDOATTR_BINARY | TDOATTR_SECRET, F_OUTGOING },
	{ "msDS-SupportedEncryptionTypes", 0, F_ENCTYPES },
	{ "msDS-TrustForestTrustInfo", TDOATTR_BINARY, F_FTINFO },
	{ "whenCreated", 0, F_CREATED },
	{ "whenChanged", 0, F_CHANGED },
};

static int bad_value(tm_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A damaged value: TM_EBACKEND, STATUS_INTERNAL_DB_CORRUPTION. */
static int bad_value(tm_error *e, const char *fmt, ...)
{
	char why[TM_WHAT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "%s", why);
}

static int no_memory(tm_error *e)
{
	return error_fail(e, TM_EBACKEND, NULL, "out of memory while handling a trusted domain object");
}

/* tdoattr_defs: the table in writing order. */
const tdoattr_def *tdoattr_defs(size_t *n)
{
	*n = TDOATTR_COUNT;
	return defs;
}

/* tdoattr_find: by name, case-insensitive. */
const tdoattr_def *tdoattr_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < TDOATTR_COUNT; i++)
		if (strlen(defs[i].name) == len && strncasecmp(defs[i].name, name, len) == 0)
			return &defs[i];
	return NULL;
}

/* ====================================================================
 * Writing: TDO -> values
 * ==================================================================== */

/* Append a copy of len bytes (NUL added) under def's name. */
static int add_bytes(tdoattr_list *l, const tdoattr_def *def, const void *p, size_t len,
		     tm_error *e)
{
	tdoattr_value *v = &l->v[l->n];

	v->data = malloc(len + 1);
	if (!v->data)
		return no_memory(e);
	if (len)
		memcpy(v->data, p, len);
	v->data[len] = '\0';
	v->name = def->name;
	v->flags = def->flags;
	v->len = len;
	l->n++;
	return 0;
}

static int add_str(tdoattr_list *l, const tdoattr_def *def, const char *s, tm_error *e)
{
	return add_bytes(l, def, s, strlen(s), e);
}

static int add_num(tdoattr_list *l, const tdoattr_def *def, long long v, tm_error *e)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	return add_str(l, def, buf, e);
}

/* A time only when it is known. */
static int add_time(tdoattr_list *l, const tdoattr_def *def, long long t, tm_error *e)
{
	char buf[40];

	if (tdoattr_format_time(t, buf, sizeof(buf)) != 0)
		return 0;
	return add_str(l, def, buf, e);
}

static int add_sid(tdoattr_list *l, const tdoattr_def *def, const tm_tdo *t, tm_error *e)
{
	uint8_t buf[SID_BINARY_MAX];
	size_t n;

	if (!t->has_sid)
		return 0;
	n = sid_to_binary(&t->sid, buf, sizeof(buf));
	if (n == 0)
		return error_fail(e, TM_EBACKEND, ST_INVALID_SID,
			       "the %s of %s is not a SID that can be stored", def->name, t->partner);
	return add_bytes(l, def, buf, n, e);
}

/* A trustAuth blob; the encoded secret is wiped. */
static int add_blob(tdoattr_list *l, const tdoattr_def *def, const authblob *b,
		    const char *partner, tm_error *e)
{
	uint8_t *buf = NULL;
	size_t n = 0;
	int rc;

	if (authblob_encode(b, &buf, &n) != 0)
		return error_fail(e, TM_EBACKEND, ST_INVALID_PARAMETER,
			       "the %s of the trust with %s cannot be encoded", def->name, partner);
	rc = add_bytes(l, def, buf, n, e);
	secret_free_buf(&buf, n);
	return rc;
}

/* The value of one attribute, when t has it. */
static int add_value(tdoattr_list *l, const tdoattr_def *def, const tm_tdo *t, tm_error *e)
{
	switch (def->id) {
	case F_PARTNER: return add_str(l, def, t->partner, e);
	case F_FLAT: return t->flat[0] ? add_str(l, def, t->flat, e) : 0;
	case F_SID: return add_sid(l, def, t, e);
	case F_DIRECTION: return add_num(l, def, t->direction, e);
	case F_TYPE: return add_num(l, def, t->type, e);
	case F_ATTRIBUTES: return add_num(l, def, t->attributes, e);
	case F_POSIX: return add_num(l, def, t->posix_offset, e);
	case F_INCOMING: return add_blob(l, def, &t->incoming, t->partner, e);
	case F_OUTGOING: return add_blob(l, def, &t->outgoing, t->partner, e);
	case F_ENCTYPES: return t->has_enctypes ? add_num(l, def, t->enctypes, e) : 0;
	case F_FTINFO:
		return t->ftinfo_len > 0 ? add_bytes(l, def, t->ftinfo, t->ftinfo_len, e) : 0;
	case F_CREATED: return add_time(l, def, t->when_created, e);
	case F_CHANGED: return add_time(l, def, t->when_changed, e);
	default: return 0;
	}
}

/* tdoattr_values: every attribute t has, in writing order. */
int tdoattr_values(const tm_tdo *t, tdoattr_list *out, tm_error *e)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < TDOATTR_COUNT; i++) {
		if (add_value(out, &defs[i], t, e) != 0) {
			tdoattr_list_free(out);
			return -1;
		}
	}
	return 0;
}

/* tdoattr_list_get: by exact (static) name, case-insensitive. */
const tdoattr_value *tdoattr_list_get(const tdoattr_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

/* tdoattr_list_free: wipe everything (secrets or not: it is cheap). */
void tdoattr_list_free(tdoattr_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		secret_free_buf(&l->v[i].data, l->v[i].len + 1);
	memset(l, 0, sizeof(*l));
}

/* ====================================================================
 * Value formats
 * ==================================================================== */

/* tdoattr_printable: at most n-1 bytes of s, control characters as '?'. */
void tdoattr_printable(char *dst, size_t n, const char *s, size_t len)
{
	size_t i;

	if (len > n - 1)
		len = n - 1;
	for (i = 0; i < len; i++)
		dst[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
	dst[len] = '\0';
}

/* tdoattr_parse_str: no NUL bytes, must fit in n-1 bytes. */
int tdoattr_parse_str(const char *name, const struct berval *v, char *buf, size_t n,
		      tm_error *e)
{
	if (v->bv_len >= n)
		return bad_value(e, "%s is longer than %zu bytes", name, n - 1);
	if (v->bv_len && memchr(v->bv_val, '\0', v->bv_len))
		return bad_value(e, "%s holds a NUL byte", name);
	if (v->bv_len)
		memcpy(buf, v->bv_val, v->bv_len);
	buf[v->bv_len] = '\0';
	return 0;
}

/* Strict decimal in [lo, hi]; -1 when it is not one. */
static int strict_int(const char *s, size_t len, long long lo, long long hi, long long *out)
{
	long long v = 0;
	size_t i = (len > 0 && s[0] == '-');
	int neg = (int)i;

	if (i == len)
		return -1;
	for (; i < len; i++) {
		int d = s[i] - '0';

		if (!isdigit((unsigned char)s[i]) || v > (LLONG_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	v = neg ? -v : v;
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* tdoattr_parse_int: a number in [lo, hi]. */
int tdoattr_parse_int(const char *name, const struct berval *v, long long lo, long long hi,
		      long long *out, tm_error *e)
{
	if (strict_int(v->bv_val, v->bv_len, lo, hi, out) != 0)
		return bad_value(e, "%s is not a number from %lld to %lld", name, lo, hi);
	return 0;
}

/* tdoattr_parse_u32: AD writes 32-bit flags as signed numbers; both forms. */
int tdoattr_parse_u32(const char *name, const struct berval *v, uint32_t *out, tm_error *e)
{
	long long x = 0;

	if (tdoattr_parse_int(name, v, INT32_MIN, UINT32_MAX, &x, e) != 0)
		return -1;
	*out = (uint32_t)x;
	return 0;
}

/* tdoattr_parse_sid: exactly one binary SID. */
int tdoattr_parse_sid(const char *name, const struct berval *v, tm_sid *out, tm_error *e)
{
	tm_error sub;

	error_clear(&sub);
	if (sid_from_binary((const uint8_t *)v->bv_val, v->bv_len, out, &sub) != 0)
		return bad_value(e, "%s is not a valid binary SID: %s", name, sub.what);
	return 0;
}

/* "YYYYMMDDHHMMSS" then an optional ".digits", then "Z" and the end. */
static int time_fields(const char *buf, size_t len, struct tm *tm)
{
	size_t i;

	memset(tm, 0, sizeof(*tm));
	for (i = 0; i < 14 && isdigit((unsigned char)buf[i]); i++)
		;
	if (i != 14 || sscanf(buf, "%4d%2d%2d%2d%2d%2d", &tm->tm_year, &tm->tm_mon,
			      &tm->tm_mday, &tm->tm_hour, &tm->tm_min, &tm->tm_sec) != 6)
		return -1;
	if (buf[i] == '.' && isdigit((unsigned char)buf[i + 1]))
		for (i++; isdigit((unsigned char)buf[i]); i++)
			;
	if (buf[i] != 'Z' || buf[i + 1] != '\0' || len != i + 1)
		return -1;
	tm->tm_year -= 1900;
	tm->tm_mon -= 1;
	return 0;
}

/* tdoattr_parse_time: generalized time, UTC, a real date. */
int tdoattr_parse_time(const char *name, const struct berval *v, long long *out, tm_error *e)
{
	struct tm tm, chk;
	char buf[40];
	time_t t;

	tdoattr_printable(buf, sizeof(buf), v->bv_val, v->bv_len);
	if (time_fields(buf, v->bv_len, &tm) != 0)
		goto bad;
	chk = tm;
	t = timegm(&tm);
	if (tm.tm_mday != chk.tm_mday || tm.tm_hour != chk.tm_hour || tm.tm_min != chk.tm_min ||
	    tm.tm_sec != chk.tm_sec || tm.tm_mon != chk.tm_mon)
		goto bad;
	*out = (long long)t;
	return 0;
bad:
	return bad_value(e, "%s is not a time of the form YYYYMMDDHHMMSS.0Z", name);
}

/* tdoattr_format_time: "YYYYMMDDHHMMSS.0Z", or -1 when unknown. */
int tdoattr_format_time(long long t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || !gmtime_r(&tt, &tm) || tm.tm_year + 1900 > 9999)
		return -1;
	snprintf(buf, n, "%04d%02d%02d%02d%02d%02d.0Z", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 0;
}

/* ====================================================================
 * Reading: one attribute's values -> TDO field
 * ==================================================================== */

static int set_blob(authblob *b, const tdoattr_def *def, const struct berval *v, tm_error *e)
{
	authblob nb;
	tm_error sub;

	memset(&nb, 0, sizeof(nb));
	error_clear(&sub);
	if (authblob_decode((const uint8_t *)v->bv_val, v->bv_len, &nb, &sub) != 0)
		return bad_value(e, "%s: %s", def->name, sub.what);
	authblob_free(b);
	*b = nb;                   /* ownership moves */
	return 0;
}

static int set_ftinfo(tm_tdo *t, const struct berval *v, tm_error *e)
{
	uint8_t *p = NULL;

	if (v->bv_len > 0) {
		p = malloc(v->bv_len);
		if (!p)
			return no_memory(e);
		memcpy(p, v->bv_val, v->bv_len);
	}
	free(t->ftinfo);
	t->ftinfo = p;
	t->ftinfo_len = v->bv_len;
	return 0;
}

static int set_sid(tm_tdo *t, const tdoattr_def *def, const struct berval *v, tm_error *e)
{
	if (tdoattr_parse_sid(def->name, v, &t->sid, e) != 0)
		return -1;
	t->has_sid = 1;
	return 0;
}

static int set_enctypes(tm_tdo *t, const tdoattr_def *def, const struct berval *v,
			tm_error *e)
{
	if (tdoattr_parse_u32(def->name, v, &t->enctypes, e) != 0)
		return -1;
	t->has_enctypes = 1;
	return 0;
}

/* A number in [lo, hi] into a 32-bit field. */
static int set_u32(uint32_t *f, const tdoattr_def *def, const struct berval *v, long long lo,
		   long long hi, tm_error *e)
{
	long long x = 0;

	if (tdoattr_parse_int(def->name, v, lo, hi, &x, e) != 0)
		return -1;
	*f = (uint32_t)x;
	return 0;
}

static int set_posix(tm_tdo *t, const tdoattr_def *def, const struct berval *v, tm_error *e)
{
	long long x = 0;

	if (tdoattr_parse_int(def->name, v, INT32_MIN, INT32_MAX, &x, e) != 0)
		return -1;
	t->posix_offset = (int32_t)x;
	return 0;
}

/* One value into its field. */
static int set_one(tm_tdo *t, const tdoattr_def *def, const struct berval *v, tm_error *e)
{
	switch (def->id) {
	case F_PARTNER: return tdoattr_parse_str(def->name, v, t->partner, sizeof(t->partner), e);
	case F_FLAT: return tdoattr_parse_str(def->name, v, t->flat, sizeof(t->flat), e);
	case F_SID: return set_sid(t, def, v, e);
	case F_DIRECTION: return set_u32(&t->direction, def, v, 0, 3, e);
	case F_TYPE: return set_u32(&t->type, def, v, 1, 4, e);
	case F_ATTRIBUTES: return tdoattr_parse_u32(def->name, v, &t->attributes, e);
	case F_POSIX: return set_posix(t, def, v, e);
	case F_INCOMING: return set_blob(&t->incoming, def, v, e);
	case F_OUTGOING: return set_blob(&t->outgoing, def, v, e);
	case F_ENCTYPES: return set_enctypes(t, def, v, e);
	case F_FTINFO: return set_ftinfo(t, v, e);
	case F_CREATED: return tdoattr_parse_time(def->name, v, &t->when_created, e);
	case F_CHANGED: return tdoattr_parse_time(def->name, v, &t->when_changed, e);
	default: return 0;
	}
}

/* An absent attribute: the field's "not set" value. */
static void reset_field(tm_tdo *t, const tdoattr_def *def)
{
	switch (def->id) {
	case F_PARTNER: t->partner[0] = '\0'; break;
	case F_FLAT: t->flat[0] = '\0'; break;
	case F_SID: t->has_sid = 0; memset(&t->sid, 0, sizeof(t->sid)); break;
	case F_POSIX: t->posix_offset = 0; break;
	case F_INCOMING: authblob_free(&t->incoming); break;
	case F_OUTGOING: authblob_free(&t->outgoing); break;
	case F_ENCTYPES: t->has_enctypes = 0; t->enctypes = 0; break;
	case F_FTINFO: free(t->ftinfo); t->ftinfo = NULL; t->ftinfo_len = 0; break;
	case F_CREATED: t->when_created = 0; break;
	case F_CHANGED: t->when_changed = 0; break;
	default: break;            /* required ones: refused before */
	}
}

/* tdoattr_set: one attribute's values into t. */
int tdoattr_set(tm_tdo *t, const tdoattr_def *def, const struct berval *vals, size_t n,
		size_t *bad, tm_error *e)
{
	size_t dummy;

	if (!bad)
		bad = &dummy;
	*bad = n;
	if (n == 0 && (def->flags & TDOATTR_REQUIRED))
		return bad_value(e, "the required attribute %s is missing", def->name);
	if (n == 0) {
		reset_field(t, def);
		return 0;
	}
	if (n > 1) {
		*bad = 1;
		return bad_value(e, "%s has more than one value", def->name);
	}
	if (set_one(t, def, &vals[0], e) != 0) {
		*bad = 0;
		return -1;
	}
	return 0;
}
