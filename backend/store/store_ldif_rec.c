/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_ldif_rec.c - LDIF records of domain.ldif (see store_ldif_rec.h).
 *
 * Reading uses libldap: ldif_getline/ldif_parse_line2 unfold and decode
 * each line of a record that ldif_read_record split off (base64
 * included). ldap_parse_ldif_record is not used because it prints to
 * stderr (which would tear the console) and loses line numbers; URL values
 * ("attr:< file://...") are refused before libldap could follow them.
 * Writing uses ldif_sput_wrap.
 */
#include "backend/store/store_ldif_rec.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>     /* before ldif.h, which uses FILE */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldap.h>
#include <ldif.h>

#include "model/secret.h"
#include "backend/ldap/tdoattr.h"

const char store_ldif_rec_hint[] =
	"restore domain.ldif from a backup or correct that entry by hand (it is LDIF text); "
	"if an interrupted plan left it so, `trustmgr rollback` puts it back";

/* ====================================================================
 * Writing
 * ==================================================================== */

/* Make room for want more bytes (plus NUL). */
static int out_reserve(stldif_out *o, size_t want)
{
	size_t ncap = o->cap ? o->cap : 4096;
	char *nb;

	if (o->oom)
		return -1;
	while (ncap < o->len + want + 1)
		ncap *= 2;
	if (ncap == o->cap)
		return 0;
	nb = malloc(ncap);
	if (!nb) {
		o->oom = 1;
		return -1;
	}
	if (o->p) {
		memcpy(nb, o->p, o->len);
		secret_free_buf(&o->p, o->cap);
	}
	o->p = nb;
	o->cap = ncap;
	return 0;
}

/* store_ldif_rec_put: ldif_sput_wrap into room made first. */
void store_ldif_rec_put(stldif_out *o, int type, const char *name, const void *val,
			size_t vlen)
{
	size_t need = LDIF_SIZE_NEEDED_WRAP(strlen(name), vlen, 0) + 2;
	char *w;

	if (out_reserve(o, need) != 0)
		return;
	w = o->p + o->len;
	ldif_sput_wrap(&w, type, name, val, (ber_len_t)vlen, 0);
	o->len = (size_t)(w - o->p);
	o->p[o->len] = '\0';
}

/* store_ldif_rec_raw: copied with its NUL. */
void store_ldif_rec_raw(stldif_out *o, const char *s)
{
	size_t n = strlen(s);

	if (out_reserve(o, n) != 0)
		return;
	memcpy(o->p + o->len, s, n + 1);
	o->len += n;
}

/* store_ldif_rec_put_str: a value libldap may base64 (non-ASCII, leading
 * space...). */
void store_ldif_rec_put_str(stldif_out *o, const char *name, const char *s)
{
	store_ldif_rec_put(o, LDIF_PUT_VALUE, name, s, strlen(s));
}

/* store_ldif_rec_put_opt: nothing for "". */
void store_ldif_rec_put_opt(stldif_out *o, const char *name, const char *s)
{
	if (s[0])
		store_ldif_rec_put_str(o, name, s);
}

/* store_ldif_rec_put_num: "%lld". */
void store_ldif_rec_put_num(stldif_out *o, const char *name, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	store_ldif_rec_put_str(o, name, buf);
}

/* store_ldif_rec_put_time: tdoattr_format_time's form. */
void store_ldif_rec_put_time(stldif_out *o, const char *name, long long t)
{
	char buf[40];

	if (tdoattr_format_time(t, buf, sizeof(buf)) == 0)
		store_ldif_rec_put_str(o, name, buf);
}

/* ====================================================================
 * Reading
 * ==================================================================== */

/* store_ldif_rec_fail: the line, and the entry once its DN is known. */
int store_ldif_rec_fail(stldif_reader *r, unsigned long line, const char *fmt, ...)
{
	char why[TM_WHAT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (r->rec.dnmsg[0])
		error_fail(r->e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "line %lu, entry \"%s\": %s",
			line, r->rec.dnmsg, why);
	else
		error_fail(r->e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "line %lu: %s", line, why);
	error_hint(r->e, "%s", store_ldif_rec_hint);
	return -1;
}

/* store_ldif_rec_reset: values ldif_parse_line2 allocated are freed. */
void store_ldif_rec_reset(stldif_rec *rec)
{
	size_t i;

	for (i = 0; i < rec->n; i++)
		if (rec->a[i].freeval)
			ber_memfree(rec->a[i].val);
	rec->n = 0;
	rec->dn[0] = '\0';
	rec->dnmsg[0] = '\0';
}

/* Physical lines that ldif_getline() consumes for its next logical line
 * (continuations included); comment lines it skips first go to *skipped.
 * 0 when the record has no further line. */
static unsigned long span_lines(const char *p, unsigned long *skipped)
{
	*skipped = 0;
	while (p && *p && *p != '\n') {
		int comment = (*p == '#');
		unsigned long n = 1;
		const char *q;

		while ((q = strchr(p, '\n')) != NULL && q[1] == ' ') {
			n++;
			p = q + 1;
		}
		if (!comment)
			return n;
		*skipped += n;
		p = q ? q + 1 : NULL;
	}
	return 0;
}

static int b64_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '+' || ch == '/';
}

/* Is the value after "attr::" strict base64 (whole quads, padding only at
 * the end)?  libldap's decoder silently drops data after a '=' and prints
 * complaints to stderr (which would tear the console), so the text is
 * checked here first.  Leading white space and continuation markers ('\r')
 * are what ldif_parse_line2 itself skips. */
static int b64_clean(const char *v)
{
	size_t n = 0, pad = 0;

	while (isspace((unsigned char)*v))
		v++;
	for (; *v; v++) {
		if (*v == '\r')
			continue;
		if (*v == '=')
			pad++;
		else if (pad || !b64_char(*v))
			return 0;
		n++;
	}
	return n > 0 && n % 4 == 0 && pad <= 2;
}

/* Keep the entry's DN (and a printable copy for messages) as soon as its
 * dn: line is read, so that later errors can name the entry. */
static int rec_set_dn(stldif_reader *r, const stldif_attr *a)
{
	stldif_rec *rec = &r->rec;

	if (a->len >= sizeof(rec->dn) || memchr(a->val, '\0', a->len))
		return store_ldif_rec_fail(r, a->line, "the DN is too long or holds a NUL byte");
	memcpy(rec->dn, a->val, a->len);
	rec->dn[a->len] = '\0';
	tdoattr_printable(rec->dnmsg, sizeof(rec->dnmsg), rec->dn, a->len);
	return 0;
}

/* A listing skips the mapped TDO attributes it does not show (secrets,
 * forest trust information...) without decoding them; the only other
 * entries holding such names (accounts: whenCreated) are not read then. */
static int rec_unlisted(const char *type, size_t len)
{
	const tdoattr_def *def = tdoattr_find(type, len);

	return def && !(def->flags & TDOATTR_LISTED);
}

/* Decode one unfolded line into the record. */
static int rec_add_line(stldif_reader *r, char *l, unsigned long line)
{
	char *colon = strchr(l, ':');
	char tname[64];
	struct berval type, val;
	int freev = 0;

	if (!colon)
		return store_ldif_rec_fail(r, line, "expected \"attribute: value\"");
	tdoattr_printable(tname, sizeof(tname), l, (size_t)(colon - l));
	if (colon[1] == '<')
		return store_ldif_rec_fail(r, line, "%s takes its value from a URL, which is not "
					   "allowed here", tname);
	if (r->listing && rec_unlisted(l, (size_t)(colon - l)))
		return 0;
	if (r->rec.n == STLDIF_REC_MAX)
		return store_ldif_rec_fail(r, line, "the entry has more than %d lines",
					   STLDIF_REC_MAX);
	if ((colon[1] == ':' && !b64_clean(colon + 2)) ||
	    ldif_parse_line2(l, &type, &val, &freev) < 0)
		return store_ldif_rec_fail(r, line, colon[1] == ':' ?
					   "the base64 value of %s does not decode" :
					   "the line for %s cannot be read", tname);
	r->rec.a[r->rec.n] = (stldif_attr){ type.bv_val, val.bv_val, val.bv_len, line, freev };
	if (!r->rec.dn[0] && strcasecmp(type.bv_val, "dn") == 0 &&
	    rec_set_dn(r, &r->rec.a[r->rec.n]) != 0)
		return -1;
	r->rec.n++;
	return 0;
}

/* The entry must begin with its dn: line (the file may begin with
 * "version: 1"). */
static int rec_check_start(stldif_reader *r)
{
	stldif_rec *rec = &r->rec;

	if (rec->n > 0 && r->nrec == 0 && strcasecmp(rec->a[0].type, "version") == 0) {
		if (rec->a[0].len != 1 || rec->a[0].val[0] != '1')
			return store_ldif_rec_fail(r, rec->a[0].line,
						   "only LDIF version 1 is understood");
		memmove(&rec->a[0], &rec->a[1], (rec->n - 1) * sizeof(rec->a[0]));
		rec->n--;
	}
	if (rec->n == 0)
		return 0;
	if (strcasecmp(rec->a[0].type, "dn") != 0) {
		rec->dnmsg[0] = '\0';
		return store_ldif_rec_fail(r, rec->a[0].line, "an entry must begin with a dn: line");
	}
	return 0;
}

/* store_ldif_rec_read: line by line with ldif_getline, counting the
 * physical lines each one took. */
int store_ldif_rec_read(stldif_reader *r, char *buf, unsigned long start)
{
	unsigned long line = start;
	char *next = buf;

	store_ldif_rec_reset(&r->rec);
	r->rec.line = start;
	for (;;) {
		unsigned long skipped, n = span_lines(next, &skipped);
		char *l;

		line += skipped;
		l = n ? ldif_getline(&next) : NULL;
		if (!l)
			break;
		if (rec_add_line(r, l, line) != 0)
			return -1;
		line += n;
	}
	return rec_check_start(r);
}

/* ---- attribute access ------------------------------------------------- */

/* store_ldif_rec_has: any line, the dn: line included. */
int store_ldif_rec_has(const stldif_rec *rec, const char *type, const char *value)
{
	size_t i;

	for (i = 0; i < rec->n; i++)
		if (strcasecmp(rec->a[i].type, type) == 0 && strlen(value) == rec->a[i].len &&
		    strncasecmp(rec->a[i].val, value, rec->a[i].len) == 0)
			return 1;
	return 0;
}

/* store_ldif_rec_one: the lines after the dn: line. */
int store_ldif_rec_one(stldif_reader *r, const char *type, int required,
		       const stldif_attr **out)
{
	size_t i;

	*out = NULL;
	for (i = 1; i < r->rec.n; i++) {
		if (strcasecmp(r->rec.a[i].type, type) != 0)
			continue;
		if (*out)
			return store_ldif_rec_fail(r, r->rec.a[i].line, "%s has more than one value",
						   type);
		*out = &r->rec.a[i];
	}
	if (!*out && required)
		return store_ldif_rec_fail(r, r->rec.line, "the required attribute %s is missing",
					   type);
	return 0;
}

/* store_ldif_rec_bv: pointing into the record. */
struct berval store_ldif_rec_bv(const stldif_attr *a)
{
	struct berval bv;

	bv.bv_val = a->val;
	bv.bv_len = (ber_len_t)a->len;
	return bv;
}

/* A value that does not parse (tdoattr.c says why): add line and entry. */
static int value_fail(stldif_reader *r, const stldif_attr *a, const tm_error *sub)
{
	return store_ldif_rec_fail(r, a->line, "%s", sub->what);
}

/* store_ldif_rec_str: tdoattr_parse_str checks it. */
int store_ldif_rec_str(stldif_reader *r, const char *type, int required, char *buf, size_t n)
{
	const stldif_attr *a;
	struct berval bv;
	tm_error sub;

	buf[0] = '\0';
	if (store_ldif_rec_one(r, type, required, &a) != 0)
		return -1;
	if (!a)
		return 0;
	bv = store_ldif_rec_bv(a);
	error_clear(&sub);
	if (tdoattr_parse_str(type, &bv, buf, n, &sub) != 0)
		return value_fail(r, a, &sub);
	return 0;
}

/* store_ldif_rec_num: tdoattr_parse_int checks it. */
int store_ldif_rec_num(stldif_reader *r, const char *type, int required, long long lo,
		       long long hi, long long *out, int *present)
{
	const stldif_attr *a;
	struct berval bv;
	tm_error sub;

	if (present)
		*present = 0;
	if (store_ldif_rec_one(r, type, required, &a) != 0)
		return -1;
	if (!a)
		return 0;
	bv = store_ldif_rec_bv(a);
	error_clear(&sub);
	if (tdoattr_parse_int(type, &bv, lo, hi, out, &sub) != 0)
		return value_fail(r, a, &sub);
	if (present)
		*present = 1;
	return 0;
}

/* store_ldif_rec_u32: a number from INT32_MIN to UINT32_MAX. */
int store_ldif_rec_u32(stldif_reader *r, const char *type, int required, uint32_t *out,
		       int *present)
{
	long long v = 0;
	int have = 0;

	/* AD writes 32-bit flags as signed numbers; both forms are accepted. */
	if (store_ldif_rec_num(r, type, required, INT32_MIN, UINT32_MAX, &v, &have) != 0)
		return -1;
	if (have)
		*out = (uint32_t)v;
	if (present)
		*present = have;
	return 0;
}

/* store_ldif_rec_sid: tdoattr_parse_sid checks it. */
int store_ldif_rec_sid(stldif_reader *r, const char *type, tm_sid *sid, int *present)
{
	const stldif_attr *a;
	struct berval bv;
	tm_error sub;

	*present = 0;
	if (store_ldif_rec_one(r, type, 0, &a) != 0)
		return -1;
	if (!a)
		return 0;
	bv = store_ldif_rec_bv(a);
	error_clear(&sub);
	if (tdoattr_parse_sid(type, &bv, sid, &sub) != 0)
		return value_fail(r, a, &sub);
	*present = 1;
	return 0;
}

/* store_ldif_rec_time: tdoattr_parse_time checks it. */
int store_ldif_rec_time(stldif_reader *r, const char *type, long long *out)
{
	const stldif_attr *a;
	struct berval bv;
	tm_error sub;

	*out = 0;
	if (store_ldif_rec_one(r, type, 0, &a) != 0)
		return -1;
	if (!a)
		return 0;
	bv = store_ldif_rec_bv(a);
	error_clear(&sub);
	if (tdoattr_parse_time(type, &bv, out, &sub) != 0)
		return value_fail(r, a, &sub);
	return 0;
}
