/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* authblob.c - trustAuthIncoming / trustAuthOutgoing blobs (MS-ADTS 6.1.6.9.1). */
#include "model/authblob.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/secret.h"
#include "model/utf8.h"

#define HDR_LEN 12u
#define ENTRY_HDR_LEN 16u
#define FT_UNIX_EPOCH UINT64_C(11644473600)    /* seconds 1601 -> 1970 */
#define FT_PER_SEC UINT64_C(10000000)

/* ---- little-endian helpers ---- */

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void wr16le(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void wr64(uint8_t *p, uint64_t v)
{
	wr32(p, (uint32_t)v);
	wr32(p + 4, (uint32_t)(v >> 32));
}

static size_t pad4(size_t n)
{
	return (4 - n % 4) % 4;
}

/* ---- errors ---- */

static int blob_bad(tm_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record a decoding failure: "The trust password data is damaged: ...". */
static int blob_bad(tm_error *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vfail_damaged(e, ST_INTERNAL_DB_CORRUPTION, "The trust password data (trustAuth)",
			 "Set a new trust password on both sides of the trust to replace it.",
			 fmt, ap);
	va_end(ap);
	return -1;
}

/* Why an entry of this type cannot have len bytes of AuthInfo, or NULL. */
static const char *shape_error(uint32_t type, uint32_t len)
{
	if (type > TRUST_AUTH_TYPE_VERSION)
		return "has an unknown AuthType";
	if (len > AUTHBLOB_INFO_MAX)
		return "has more than 4096 bytes of AuthInfo";
	if (type == TRUST_AUTH_TYPE_NONE && len != 0)
		return "is of type NONE but carries AuthInfo";
	if (type == TRUST_AUTH_TYPE_NT4OWF && len != 16)
		return "is an NT4OWF hash whose length is not 16";
	if (type == TRUST_AUTH_TYPE_CLEAR && len % 2 != 0)
		return "is a CLEAR password of odd length (not UTF-16)";
	if (type == TRUST_AUTH_TYPE_VERSION && len != 4)
		return "is a VERSION entry whose length is not 4";
	return NULL;
}

/* ---- entries ---- */

static void entry_free(authblob_entry *en)
{
	secret_free_buf(&en->data, en->len);
	memset(en, 0, sizeof(*en));
}

/* Fill en (empty or owned) with a copy of len bytes of data.
 * Returns 0 or -1 (ENOMEM). */
static int entry_set(authblob_entry *en, uint64_t ft, uint32_t type,
		     const uint8_t *data, uint32_t len)
{
	entry_free(en);
	en->last_update = ft;
	en->type = type;
	if (len == 0)
		return 0;
	en->data = malloc(len);
	if (!en->data)
		return -1;
	memcpy(en->data, data, len);
	en->len = len;
	return 0;
}

static int entry_copy(authblob_entry *dst, const authblob_entry *src)
{
	return entry_set(dst, src->last_update, src->type, src->data,
			 src->data ? src->len : 0);
}

static const char *side_name(int which)
{
	return which ? "previous" : "current";
}

/* Decode one entry at *pos, which must end (with padding) by end. */
static int decode_entry(const uint8_t *buf, size_t end, size_t *pos,
			authblob_entry *en, int which, uint32_t i, tm_error *e)
{
	size_t p = *pos, pad, k;
	uint32_t type, len;
	const char *why;

	if (end - p < ENTRY_HDR_LEN)
		return blob_bad(e, "entry %u of the %s side is cut short",
				i + 1, side_name(which));
	type = rd32(buf + p + 8);
	len = rd32(buf + p + 12);
	why = shape_error(type, len);
	if (why)
		return blob_bad(e, "entry %u of the %s side %s (type %u, length %u)",
				i + 1, side_name(which), why, type, len);
	p += ENTRY_HDR_LEN;
	pad = pad4(len);
	if (end - p < (size_t)len + pad)
		return blob_bad(e, "entry %u of the %s side claims %u bytes of AuthInfo "
				"(plus %zu padding) but only %zu remain", i + 1,
				side_name(which), len, pad, end - p);
	for (k = 0; k < pad; k++)
		if (buf[p + len + k] != 0)
			return blob_bad(e, "entry %u of the %s side has non-zero padding",
					i + 1, side_name(which));
	if (entry_set(en, rd64(buf + *pos), type, buf + p, len) < 0)
		return error_fail(e, TM_EFAIL, NULL, "Out of memory while reading a trust password.");
	*pos = p + len + pad;
	return 0;
}

/* Decode count entries filling exactly [start, end). */
static int decode_side(const uint8_t *buf, size_t start, size_t end, uint32_t count,
		       authblob_entry *side, int which, tm_error *e)
{
	size_t pos = start;
	uint32_t i;

	for (i = 0; i < count; i++)
		if (decode_entry(buf, end, &pos, &side[i], which, i, e) < 0)
			return -1;
	if (pos != end)
		return blob_bad(e, "the %s side holds %zu bytes more than its %u "
				"entries (count mismatch or trailing garbage)",
				side_name(which), end - pos, count);
	return 0;
}

/* Check the 12-byte header against the buffer length. */
static int check_header(uint32_t count, uint32_t cur, uint32_t prev, size_t len, tm_error *e)
{
	if (count == 0) {
		if (cur != 0 || prev != 0)
			return blob_bad(e, "it holds no entries but its offsets are not zero");
		if (len != HDR_LEN)
			return blob_bad(e, "it holds no entries but has %zu bytes after "
					"the header", len - HDR_LEN);
		return 0;
	}
	if (count > AUTHBLOB_MAX)
		return blob_bad(e, "it claims %u entries per side; at most %d are accepted",
				count, AUTHBLOB_MAX);
	if (cur != HDR_LEN)
		return blob_bad(e, "the current entries must start at offset 12, not %u", cur);
	if (prev < HDR_LEN || prev > len)
		return blob_bad(e, "the previous entries' offset %u lies outside the "
				"%zu-byte blob", prev, len);
	return 0;
}

/* authblob_decode: see authblob.h for what is refused. */
int authblob_decode(const uint8_t *buf, size_t len, authblob *out, tm_error *e)
{
	authblob tmp;
	uint32_t count, prev;

	memset(&tmp, 0, sizeof(tmp));
	if (out)
		memset(out, 0, sizeof(*out));
	if (!out || (!buf && len))
		return blob_bad(e, "no data was given");
	if (len < HDR_LEN)
		return blob_bad(e, "it is %zu bytes long, shorter than the 12-byte header", len);
	count = rd32(buf);
	prev = rd32(buf + 8);
	if (check_header(count, rd32(buf + 4), prev, len, e) < 0)
		return -1;
	tmp.count = count;
	tmp.has_previous = count > 0 && prev < len;
	if ((count && decode_side(buf, HDR_LEN, prev, count, tmp.current, 0, e) < 0) ||
	    (tmp.has_previous && decode_side(buf, prev, len, count, tmp.previous, 1, e) < 0)) {
		authblob_free(&tmp);
		return -1;
	}
	*out = tmp;
	return 0;
}

/* ---- encoding ---- */

static size_t side_size(const authblob_entry *side, uint32_t count)
{
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < count; i++)
		n += ENTRY_HDR_LEN + side[i].len + pad4(side[i].len);
	return n;
}

static int side_valid(const authblob_entry *side, uint32_t count)
{
	uint32_t i;

	for (i = 0; i < count; i++)
		if (shape_error(side[i].type, side[i].len) ||
		    (side[i].len > 0 && !side[i].data))
			return 0;
	return 1;
}

static uint8_t *encode_side(uint8_t *p, const authblob_entry *side, uint32_t count)
{
	uint32_t i;

	for (i = 0; i < count; i++) {
		wr64(p, side[i].last_update);
		wr32(p + 8, side[i].type);
		wr32(p + 12, side[i].len);
		p += ENTRY_HDR_LEN;
		if (side[i].len)
			memcpy(p, side[i].data, side[i].len);
		p += side[i].len;
		memset(p, 0, pad4(side[i].len));
		p += pad4(side[i].len);
	}
	return p;
}

/* authblob_encode: without previous entries, previous_offset is the total
 * length (an empty previous side), as in docs/RULES.md, "Test vector". */
int authblob_encode(const authblob *b, uint8_t **out, size_t *outlen)
{
	size_t cur_len, total;
	uint8_t *buf;

	if (!out || !outlen)
		return -1;
	*out = NULL;
	*outlen = 0;
	if (!b || b->count > AUTHBLOB_MAX)
		return -1;
	if (!side_valid(b->current, b->count) ||
	    (b->has_previous && !side_valid(b->previous, b->count)))
		return -1;
	cur_len = side_size(b->current, b->count);
	total = b->count == 0 ? HDR_LEN : HDR_LEN + cur_len +
		(b->has_previous ? side_size(b->previous, b->count) : 0);
	buf = calloc(1, total);
	if (!buf)
		return -1;
	if (b->count > 0) {
		wr32(buf, b->count);
		wr32(buf + 4, HDR_LEN);
		wr32(buf + 8, (uint32_t)(HDR_LEN + cur_len));
		encode_side(buf + HDR_LEN, b->current, b->count);
		if (b->has_previous)
			encode_side(buf + HDR_LEN + cur_len, b->previous, b->count);
	}
	*out = buf;
	*outlen = total;
	return 0;
}

/* authblob_free: wipe every slot, whether or not inside count. */
void authblob_free(authblob *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < AUTHBLOB_MAX; i++) {
		entry_free(&b->current[i]);
		entry_free(&b->previous[i]);
	}
	memset(b, 0, sizeof(*b));
}

/* authblob_copy: dst is overwritten (not freed first); empty on failure. */
int authblob_copy(authblob *dst, const authblob *src)
{
	authblob tmp;
	uint32_t i;

	if (!dst)
		return -1;
	memset(dst, 0, sizeof(*dst));
	if (!src || src->count > AUTHBLOB_MAX)
		return -1;
	memset(&tmp, 0, sizeof(tmp));
	tmp.count = src->count;
	tmp.has_previous = src->has_previous;
	for (i = 0; i < src->count; i++) {
		if (entry_copy(&tmp.current[i], &src->current[i]) < 0 ||
		    entry_copy(&tmp.previous[i], &src->previous[i]) < 0) {
			authblob_free(&tmp);
			return -1;
		}
	}
	*dst = tmp;
	return 0;
}

/* ---- UTF-8 <-> UTF-16LE ---- */

/* Convert the valid UTF-8 text s to UTF-16LE into a malloc'd buffer of
 * *outlen bytes. -1 when memory runs out (or s is not valid after all). */
static int utf8_to_utf16(const char *s, uint8_t **out, uint32_t *outlen)
{
	size_t len = strlen(s), i = 0, k = 0;
	uint8_t *buf = malloc(len * 2 + 2);
	uint32_t c;
	int n;

	if (!buf)
		return -1;
	while (i < len) {
		n = utf8_next(s + i, len - i, &c);
		if (n < 0) {
			secret_free_buf(&buf, len * 2 + 2);
			return -1;
		}
		i += (size_t)n;
		if (c >= 0x10000) {
			c -= 0x10000;
			wr16le(buf + k, (unsigned)(0xd800 | c >> 10));
			k += 2;
			c = 0xdc00 | (c & 0x3ff);
		}
		wr16le(buf + k, (unsigned)c);
		k += 2;
	}
	*out = buf;
	*outlen = (uint32_t)k;
	return 0;
}

/* Next code point of n UTF-16 units at u (index *i), read as an AD DC's KDC
 * reads a trust password before deriving keys from it (docs/AD.md, "Random
 * secrets"): an unpaired surrogate becomes U+FFFD and U+0000 becomes
 * U+0001, so secrets that Windows generates at random give the DC's keys
 * instead of being refused. */
static long utf16_next(const uint8_t *u, size_t n, size_t *i)
{
	unsigned long hi = (unsigned long)u[2 * *i] | (unsigned long)u[2 * *i + 1] << 8, lo;

	(*i)++;
	if (hi == 0)
		return 1;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return 0xfffd;
	if (hi < 0xd800 || hi > 0xdbff)
		return (long)hi;
	if (*i >= n)
		return 0xfffd;
	lo = (unsigned long)u[2 * *i] | (unsigned long)u[2 * *i + 1] << 8;
	if (lo < 0xdc00 || lo > 0xdfff)
		return 0xfffd;
	(*i)++;
	return (long)(0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00));
}

/* Convert len bytes of UTF-16LE to a malloc'd UTF-8 string. */
static int utf16_to_utf8(const uint8_t *u, size_t len, char **out, tm_error *e)
{
	size_t n = len / 2, i = 0, k = 0, cap = n * 3 + 1;
	char *buf = secret_alloc(cap);      /* a password: locked where allowed */

	if (!buf)
		return error_fail(e, TM_EFAIL, NULL, "Out of memory while reading a trust password.");
	while (i < n)
		k += utf8_put((uint32_t)utf16_next(u, n, &i), buf + k);
	buf[k] = '\0';
	*out = buf;
	return 0;
}

/* ---- passwords ---- */

static int check_password(const char *pw, tm_error *e)
{
	if (!pw || !*pw)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "A trust password cannot be empty.");
	if (strlen(pw) > AUTHBLOB_PW_MAX)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "The trust password is longer than %d bytes.", AUTHBLOB_PW_MAX);
	if (!utf8_valid(pw, strlen(pw)))
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "The trust password is not valid UTF-8 text.");
	return 0;
}

/* Build the new current side [CLEAR, VERSION] into side. */
static int make_current(authblob_entry *side, const char *pw, uint32_t kvno, uint64_t ft)
{
	uint8_t *u16 = NULL, ver[4];
	uint32_t u16len = 0;
	int rc;

	if (utf8_to_utf16(pw, &u16, &u16len) < 0)
		return -1;
	wr32(ver, kvno);
	rc = entry_set(&side[0], ft, TRUST_AUTH_TYPE_CLEAR, u16, u16len);
	if (rc == 0)
		rc = entry_set(&side[1], ft, TRUST_AUTH_TYPE_VERSION, ver, 4);
	secret_free_buf(&u16, u16len);
	return rc;
}

/* Fill slots from..n-1 of side with NONE entries stamped ft. */
static void fill_none(authblob_entry *side, uint32_t from, uint32_t n, uint64_t ft)
{
	for (; from < n; from++) {
		entry_free(&side[from]);
		side[from].last_update = ft;
		side[from].type = TRUST_AUTH_TYPE_NONE;
	}
}

/* ROTATE: the old current side becomes previous; both sides are padded
 * with NONE entries to the same count. */
static int rotate_into(authblob *nb, const authblob *old)
{
	uint32_t i, n = old->count > 2 ? old->count : 2;

	nb->count = n;
	fill_none(nb->current, 2, n, nb->current[0].last_update);
	for (i = 0; i < old->count; i++)
		if (entry_copy(&nb->previous[i], &old->current[i]) < 0)
			return -1;
	fill_none(nb->previous, old->count, n, old->current[0].last_update);
	return 0;
}

/* Both sides hold the new password (FRESH and RESET_TWICE). */
static int duplicate_into(authblob *nb)
{
	nb->count = 2;
	return (entry_copy(&nb->previous[0], &nb->current[0]) < 0 ||
		entry_copy(&nb->previous[1], &nb->current[1]) < 0) ? -1 : 0;
}

/* authblob_set_password: build the new blob aside, then replace b. */
int authblob_set_password(authblob *b, const char *password, uint32_t kvno,
			  uint64_t ft, authblob_mode mode, tm_error *e)
{
	authblob nb;
	int rc;

	if (!b || b->count > AUTHBLOB_MAX ||
	    (mode != AUTHBLOB_FRESH && mode != AUTHBLOB_ROTATE && mode != AUTHBLOB_RESET_TWICE))
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "Invalid request to set a trust password.");
	if (check_password(password, e) < 0)
		return -1;
	memset(&nb, 0, sizeof(nb));
	nb.has_previous = 1;
	rc = make_current(nb.current, password, kvno, ft);
	if (rc == 0 && mode == AUTHBLOB_ROTATE && b->count > 0)
		rc = rotate_into(&nb, b);
	else if (rc == 0)
		rc = duplicate_into(&nb);
	if (rc < 0) {
		authblob_free(&nb);
		return error_fail(e, TM_EFAIL, NULL, "Out of memory while setting a trust password.");
	}
	authblob_free(b);
	*b = nb;
	return 0;
}

/* The first entry of type on side which (0 current, 1 previous), or NULL. */
static const authblob_entry *find_entry(const authblob *b, int which, uint32_t type)
{
	const authblob_entry *side;
	uint32_t i;

	if (!b || (which != 0 && which != 1) || (which == 1 && !b->has_previous))
		return NULL;
	side = which ? b->previous : b->current;
	for (i = 0; i < b->count && i < AUTHBLOB_MAX; i++)
		if (side[i].type == type)
			return &side[i];
	return NULL;
}

/* authblob_get_password: the CLEAR password of one side as UTF-8. */
int authblob_get_password(const authblob *b, int which, char **pw, tm_error *e)
{
	const authblob_entry *en;

	if (!pw)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "No place for the password.");
	*pw = NULL;
	if (which != 0 && which != 1)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "Ask for the current (0) or previous (1) password, not %d.", which);
	en = find_entry(b, which, TRUST_AUTH_TYPE_CLEAR);
	if (!en)
		return 1;
	if (en->len % 2 != 0 || (en->len > 0 && !en->data))
		return error_fail(e, TM_EFAIL, ST_INTERNAL_DB_CORRUPTION,
			       "The stored trust password has an odd length.");
	return utf16_to_utf8(en->data, en->len, pw, e) < 0 ? -1 : 0;
}

/* authblob_kvno: the VERSION entry of one side, 0 when none. */
uint32_t authblob_kvno(const authblob *b, int which)
{
	const authblob_entry *en = find_entry(b, which, TRUST_AUTH_TYPE_VERSION);

	return (en && en->len == 4 && en->data) ? rd32(en->data) : 0;
}

/* authblob_time: LastUpdateTime of current[0], 0 when empty. */
uint64_t authblob_time(const authblob *b)
{
	return (b && b->count > 0) ? b->current[0].last_update : 0;
}

/* authblob_previous_equals_current: both sides' CLEAR bytes are equal. */
int authblob_previous_equals_current(const authblob *b)
{
	const authblob_entry *cur = find_entry(b, 0, TRUST_AUTH_TYPE_CLEAR);
	const authblob_entry *prev = find_entry(b, 1, TRUST_AUTH_TYPE_CLEAR);

	if (!cur || !prev || cur->len != prev->len)
		return 0;
	return cur->len == 0 || memcmp(cur->data, prev->data, cur->len) == 0;
}

/* authblob_filetime: Unix seconds to FILETIME; clamps to 0 before 1601
 * and to UINT64_MAX when it does not fit. */
uint64_t authblob_filetime(long long unix_seconds)
{
	uint64_t s;

	if (unix_seconds < -(long long)FT_UNIX_EPOCH)
		return 0;
	if (unix_seconds < 0)
		s = FT_UNIX_EPOCH - (uint64_t)(-unix_seconds);
	else
		s = (uint64_t)unix_seconds + FT_UNIX_EPOCH;
	return s > UINT64_MAX / FT_PER_SEC ? UINT64_MAX : s * FT_PER_SEC;
}

/* authblob_unixtime: FILETIME to Unix seconds (rounded down). */
long long authblob_unixtime(uint64_t ft)
{
	return (long long)(ft / FT_PER_SEC) - (long long)FT_UNIX_EPOCH;
}
