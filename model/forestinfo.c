/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* forestinfo.c - msDS-TrustForestTrustInfo records (MS-ADTS 6.1.6.9.3). */
#include "model/forestinfo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/name.h"
#include "model/utf8.h"

#define FTI_HDR_LEN 8u
#define FTI_REC_FIXED 13u          /* Flags, Timestamp, RecordType */
/* The smallest record on the wire: RecordLength and the fixed part (an
 * opaque record of a future type may carry nothing more). */
#define FTI_REC_MIN (4u + FTI_REC_FIXED)

/* ---- little-endian helpers ---- */

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static int fti_bad(tm_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record a decoding failure: "The forest trust information is damaged: ...". */
static int fti_bad(tm_error *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vfail_damaged(e, ST_INVALID_PARAMETER,
			 "The forest trust information (msDS-TrustForestTrustInfo)",
			 "Clear and set the forest-transitive attribute again to rebuild it.",
			 fmt, ap);
	va_end(ap);
	return -1;
}

/* A bounded reader over one record's body. */
typedef struct fti_reader {
	const uint8_t *buf;
	size_t pos;
	size_t end;
	uint32_t rec;              /* record number for messages, from 1 */
} fti_reader;

static int rd_u32(fti_reader *r, uint32_t *v, const char *what, tm_error *e)
{
	if (r->end - r->pos < 4)
		return fti_bad(e, "record %u ends before its %s", r->rec, what);
	*v = rd32(r->buf + r->pos);
	r->pos += 4;
	return 0;
}

/* Read a length-prefixed UTF-8 string into a malloc'd C string. */
static int rd_string(fti_reader *r, char **out, const char *what, int allow_empty,
		     tm_error *e)
{
	uint32_t n = 0;
	char *s;

	if (rd_u32(r, &n, what, e) < 0)
		return -1;
	if (n > r->end - r->pos)
		return fti_bad(e, "record %u: the %s length %u overruns the record",
			       r->rec, what, n);
	if (n == 0 && !allow_empty)
		return fti_bad(e, "record %u has an empty %s", r->rec, what);
	if (memchr(r->buf + r->pos, '\0', n))
		return fti_bad(e, "record %u: the %s contains a NUL character", r->rec, what);
	s = malloc((size_t)n + 1);
	if (!s)
		return error_fail(e, TM_EFAIL, NULL, "Out of memory reading forest trust information.");
	memcpy(s, r->buf + r->pos, n);
	s[n] = '\0';
	r->pos += n;
	*out = s;
	if (!utf8_valid(s, n))
		return fti_bad(e, "record %u: the %s is not valid UTF-8", r->rec, what);
	return 0;
}

static int rd_sid(fti_reader *r, tm_sid *sid, tm_error *e)
{
	uint32_t n = 0;

	if (rd_u32(r, &n, "SID length", e) < 0)
		return -1;
	if (n > r->end - r->pos)
		return fti_bad(e, "record %u: the SID length %u overruns the record", r->rec, n);
	if (sid_from_binary(r->buf + r->pos, n, sid, NULL) < 0)
		return fti_bad(e, "record %u holds an invalid SID", r->rec);
	r->pos += n;
	return 0;
}

/* Keep the rest of the record, uninterpreted. */
static int rd_opaque(fti_reader *r, fti_record *rec, tm_error *e)
{
	size_t n = r->end - r->pos;

	rec->data = malloc(n ? n : 1);
	if (!rec->data)
		return error_fail(e, TM_EFAIL, NULL, "Out of memory reading forest trust information.");
	if (n)
		memcpy(rec->data, r->buf + r->pos, n);
	rec->data_len = n;
	r->pos = r->end;
	return 0;
}

/* Decode the type-specific data of one record. */
static int decode_data(fti_reader *r, fti_record *rec, tm_error *e)
{
	switch (rec->type) {
	case FTI_TOP_LEVEL_NAME:
	case FTI_TOP_LEVEL_NAME_EX:
		return rd_string(r, &rec->name, "top-level name", 0, e);
	case FTI_DOMAIN_INFO:
		if (rd_sid(r, &rec->sid, e) < 0 ||
		    rd_string(r, &rec->name, "DNS name", 0, e) < 0)
			return -1;
		return rd_string(r, &rec->netbios, "NetBIOS name", 1, e);
	default:
		return rd_opaque(r, rec, e);
	}
}

/* Decode the record at *pos into rec. */
static int decode_record(const uint8_t *buf, size_t len, size_t *pos, fti_record *rec,
			 uint32_t num, tm_error *e)
{
	fti_reader r = { buf, *pos, len, num };
	uint32_t rlen = 0;
	uint64_t ts;

	if (rd_u32(&r, &rlen, "length", e) < 0)
		return -1;
	if (rlen > len - r.pos)
		return fti_bad(e, "record %u claims %u bytes but only %zu remain",
			       num, rlen, len - r.pos);
	if (rlen < FTI_REC_FIXED)
		return fti_bad(e, "record %u is only %u bytes long", num, rlen);
	r.end = r.pos + rlen;
	rec->flags = rd32(buf + r.pos);
	ts = (uint64_t)rd32(buf + r.pos + 4) | (uint64_t)rd32(buf + r.pos + 8) << 32;
	memcpy(&rec->timestamp, &ts, sizeof(ts));
	rec->type = buf[r.pos + 12];
	r.pos += FTI_REC_FIXED;
	if (decode_data(&r, rec, e) < 0)
		return -1;
	if (r.pos != r.end)
		return fti_bad(e, "record %u has %zu bytes beyond its data", num, r.end - r.pos);
	*pos = r.end;
	return 0;
}

static int check_header(const uint8_t *buf, size_t len, tm_error *e)
{
	uint32_t version, count;

	if (!buf || len < FTI_HDR_LEN)
		return fti_bad(e, "it is %zu bytes long, shorter than the 8-byte header",
			       buf ? len : 0);
	version = rd32(buf);
	count = rd32(buf + 4);
	if (version != 1)
		return fti_bad(e, "version %u is not the supported version 1", version);
	if (count > FTI_MAX_RECORDS)
		return fti_bad(e, "it claims %u records; at most %d are accepted",
			       count, FTI_MAX_RECORDS);
	if (count > (len - FTI_HDR_LEN) / FTI_REC_MIN)
		return fti_bad(e, "it claims %u records but has room for at most %zu",
			       count, (len - FTI_HDR_LEN) / FTI_REC_MIN);
	return 0;
}

/* forestinfo_decode: see forestinfo.h; names must also be valid UTF-8, top-level
 * and DNS names non-empty. out is overwritten and left empty on failure. */
int forestinfo_decode(const uint8_t *buf, size_t len, fti_info *out, tm_error *e)
{
	fti_info tmp = { 0, NULL };
	size_t pos = FTI_HDR_LEN;
	uint32_t i, count;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!out)
		return fti_bad(e, "no place to store it");
	if (check_header(buf, len, e) < 0)
		return -1;
	count = rd32(buf + 4);
	tmp.records = count ? calloc(count, sizeof(*tmp.records)) : NULL;
	if (count && !tmp.records)
		return error_fail(e, TM_EFAIL, NULL, "Out of memory reading forest trust information.");
	tmp.count = count;
	for (i = 0; i < count; i++)
		if (decode_record(buf, len, &pos, &tmp.records[i], i + 1, e) < 0)
			break;
	if (i == count && pos != len)
		fti_bad(e, "%zu bytes follow the last record", len - pos);
	if (i < count || pos != len) {
		forestinfo_free(&tmp);
		return -1;
	}
	*out = tmp;
	return 0;
}

/* ---- encoding ---- */

static int name_ok(const char *s, int allow_empty)
{
	return s && (allow_empty || *s) && strlen(s) <= UINT32_MAX / 2 &&
	       utf8_valid(s, strlen(s));
}

/* Can rec be encoded so that forestinfo_decode accepts it again? */
static int record_ok(const fti_record *rec)
{
	switch (rec->type) {
	case FTI_TOP_LEVEL_NAME:
	case FTI_TOP_LEVEL_NAME_EX:
		return name_ok(rec->name, 0);
	case FTI_DOMAIN_INFO:
		return name_ok(rec->name, 0) && (!rec->netbios || name_ok(rec->netbios, 1)) &&
		       rec->sid.revision == 1 && rec->sid.nsub <= SID_MAX_SUB &&
		       rec->sid.authority < (UINT64_C(1) << 48);
	default:
		return (rec->data || !rec->data_len) && rec->data_len <= UINT32_MAX / 2;
	}
}

/* Bytes after RecordLength for rec. */
static size_t record_body_len(const fti_record *rec)
{
	size_t n;

	if (!forestinfo_known(rec))
		return FTI_REC_FIXED + rec->data_len;
	n = FTI_REC_FIXED + 4 + strlen(rec->name);
	if (rec->type == FTI_DOMAIN_INFO)
		n += 4 + sid_binary_len(&rec->sid) + 4 +
		     (rec->netbios ? strlen(rec->netbios) : 0);
	return n;
}

static uint8_t *put_string(uint8_t *p, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	wr32(p, (uint32_t)n);
	if (n)
		memcpy(p + 4, s, n);
	return p + 4 + n;
}

static uint8_t *encode_record(uint8_t *p, const fti_record *rec)
{
	uint64_t ts;

	memcpy(&ts, &rec->timestamp, sizeof(ts));
	wr32(p, (uint32_t)record_body_len(rec));
	wr32(p + 4, rec->flags);
	wr32(p + 8, (uint32_t)ts);
	wr32(p + 12, (uint32_t)(ts >> 32));
	p[16] = rec->type;
	p += 17;
	if (!forestinfo_known(rec)) {
		if (rec->data_len)
			memcpy(p, rec->data, rec->data_len);
		return p + rec->data_len;
	}
	if (rec->type != FTI_DOMAIN_INFO)
		return put_string(p, rec->name);
	wr32(p, (uint32_t)sid_binary_len(&rec->sid));
	p += 4 + sid_to_binary(&rec->sid, p + 4, SID_BINARY_MAX);
	p = put_string(p, rec->name);
	return put_string(p, rec->netbios);
}

/* Total encoded size, or 0 when some record cannot be encoded. */
static size_t encoded_size(const fti_info *fi)
{
	size_t total = FTI_HDR_LEN, i, body;

	for (i = 0; i < fi->count; i++) {
		if (!record_ok(&fi->records[i]))
			return 0;
		body = record_body_len(&fi->records[i]);
		if (body > UINT32_MAX)
			return 0;
		total += 4 + body;
	}
	return total;
}

/* forestinfo_encode: refuses (-1) records forestinfo_decode would refuse, and ENOMEM. */
int forestinfo_encode(const fti_info *fi, uint8_t **out, size_t *outlen)
{
	size_t total, i;
	uint8_t *buf, *p;

	if (!out || !outlen)
		return -1;
	*out = NULL;
	*outlen = 0;
	if (!fi || fi->count > FTI_MAX_RECORDS || (fi->count && !fi->records))
		return -1;
	total = encoded_size(fi);
	if (total == 0)
		return -1;
	buf = malloc(total);
	if (!buf)
		return -1;
	wr32(buf, 1);
	wr32(buf + 4, (uint32_t)fi->count);
	p = buf + FTI_HDR_LEN;
	for (i = 0; i < fi->count; i++)
		p = encode_record(p, &fi->records[i]);
	*out = buf;
	*outlen = total;
	return 0;
}

/* forestinfo_default: a top-level name record for dns and a domain-info record. */
int forestinfo_default(fti_info *out, const char *dns, const char *netbios,
		const tm_sid *sid, int64_t ft)
{
	fti_record *r;

	if (!out)
		return -1;
	memset(out, 0, sizeof(*out));
	if (!dns || !*dns || !netbios || !sid)
		return -1;
	r = calloc(2, sizeof(*r));
	if (!r)
		return -1;
	out->records = r;
	out->count = 2;
	r[0].type = FTI_TOP_LEVEL_NAME;
	r[0].timestamp = ft;
	r[0].name = strdup(dns);
	r[1].type = FTI_DOMAIN_INFO;
	r[1].timestamp = ft;
	r[1].name = strdup(dns);
	r[1].netbios = strdup(netbios);
	r[1].sid = *sid;
	if (!r[0].name || !r[1].name || !r[1].netbios) {
		forestinfo_free(out);
		return -1;
	}
	return 0;
}

/* forestinfo_free: free every record; leaves an empty fti_info. */
void forestinfo_free(fti_info *fi)
{
	size_t i;

	if (!fi)
		return;
	for (i = 0; i < fi->count && fi->records; i++)
		forestinfo_record_free(&fi->records[i]);
	free(fi->records);
	fi->records = NULL;
	fi->count = 0;
}

/* forestinfo_record_free: see forestinfo.h. */
void forestinfo_record_free(fti_record *r)
{
	if (!r)
		return;
	free(r->name);
	free(r->netbios);
	free(r->data);
	memset(r, 0, sizeof(*r));
}

/* Copy one record's owned parts (dst already holds src's plain fields). */
static int copy_record(fti_record *dst, const fti_record *src)
{
	dst->name = NULL;
	dst->netbios = NULL;
	dst->data = NULL;
	if (src->name && !(dst->name = strdup(src->name)))
		return -1;
	if (src->netbios && !(dst->netbios = strdup(src->netbios)))
		return -1;
	if (src->data) {
		dst->data = malloc(src->data_len ? src->data_len : 1);
		if (!dst->data)
			return -1;
		if (src->data_len)
			memcpy(dst->data, src->data, src->data_len);
	}
	return 0;
}

/* forestinfo_copy: see forestinfo.h. */
int forestinfo_copy(fti_info *dst, const fti_info *src)
{
	size_t i;

	if (!dst)
		return -1;
	memset(dst, 0, sizeof(*dst));
	if (!src || !src->count)
		return 0;
	dst->records = calloc(src->count, sizeof(*dst->records));
	if (!dst->records)
		return -1;
	dst->count = src->count;
	for (i = 0; i < src->count; i++) {
		dst->records[i] = src->records[i];
		if (copy_record(&dst->records[i], &src->records[i]) < 0) {
			dst->count = i + 1;
			forestinfo_free(dst);
			return -1;
		}
	}
	return 0;
}

/* forestinfo_known: the three record types this file interprets. */
int forestinfo_known(const fti_record *rec)
{
	return rec && (rec->type == FTI_TOP_LEVEL_NAME || rec->type == FTI_TOP_LEVEL_NAME_EX ||
		       rec->type == FTI_DOMAIN_INFO);
}

long forestinfo_find(const fti_info *fi, uint8_t type, const char *name)
{
	size_t i;

	for (i = 0; name && i < fi->count; i++)
		if (fi->records[i].type == type && forestinfo_known(&fi->records[i]) &&
		    name_equal(fi->records[i].name, name))
			return (long)i;
	return -1;
}

/* forestinfo_type_name: see forestinfo.h. */
const char *forestinfo_type_name(const fti_record *rec, char *buf, size_t n)
{
	switch (rec->type) {
	case FTI_TOP_LEVEL_NAME:
		return "TLN";
	case FTI_TOP_LEVEL_NAME_EX:
		return "TLN exclusion";
	case FTI_DOMAIN_INFO:
		return "domain";
	case FTI_BINARY_INFO:
		return "binary data";
	case FTI_SCANNER_INFO:
		return "scanner info";
	default:
		snprintf(buf, n, "type %u", rec->type);
		return buf;
	}
}

/* Append word to buf (", " between words). */
static void add_word(char *buf, size_t n, const char *word)
{
	size_t len = strlen(buf);

	if (len < n)
		snprintf(buf + len, n - len, "%s%s", len ? ", " : "", word);
}

/* The three "disabled" states of one flag group. */
static void group_words(char *buf, size_t n, const char *who, uint32_t flags, uint32_t newbit,
			uint32_t admin, uint32_t conflict)
{
	char w[64];

	if (flags & newbit) {
		snprintf(w, sizeof(w), "%sdisabled (new)", who);
		add_word(buf, n, w);
	}
	if (flags & admin) {
		snprintf(w, sizeof(w), "%sdisabled (admin)", who);
		add_word(buf, n, w);
	}
	if (flags & conflict) {
		snprintf(w, sizeof(w), "%sconflict", who);
		add_word(buf, n, w);
	}
}

/* forestinfo_status_words: see forestinfo.h. */
const char *forestinfo_status_words(const fti_record *rec, char *buf, size_t n)
{
	uint32_t known = 0;
	char w[32];

	if (!n)
		return buf;
	buf[0] = '\0';
	if (rec->type == FTI_TOP_LEVEL_NAME) {
		known = FTI_TLN_DISABLED_MASK;
		group_words(buf, n, "", rec->flags, FTI_TLN_DISABLED_NEW, FTI_TLN_DISABLED_ADMIN,
			    FTI_TLN_DISABLED_CONFLICT);
	} else if (rec->type == FTI_DOMAIN_INFO) {
		known = FTI_SID_DISABLED_MASK | FTI_NB_DISABLED_MASK;
		group_words(buf, n, "SID ", rec->flags, 0, FTI_SID_DISABLED_ADMIN,
			    FTI_SID_DISABLED_CONFLICT);
		group_words(buf, n, "NetBIOS ", rec->flags, 0, FTI_NB_DISABLED_ADMIN,
			    FTI_NB_DISABLED_CONFLICT);
	}
	if (rec->flags & ~known) {
		snprintf(w, sizeof(w), "flags 0x%x", rec->flags & ~known);
		add_word(buf, n, w);
	}
	if (!buf[0])
		snprintf(buf, n, "%s", "enabled");
	return buf;
}

/* forestinfo_enabled: see forestinfo.h. */
int forestinfo_enabled(const fti_record *rec, int which)
{
	if (rec->type == FTI_TOP_LEVEL_NAME)
		return !(rec->flags & FTI_TLN_DISABLED_MASK);
	if (rec->type == FTI_DOMAIN_INFO)
		return !(rec->flags & (which ? FTI_NB_DISABLED_MASK : FTI_SID_DISABLED_MASK));
	return 1;
}

/* forestinfo_unix_time: 100-nanosecond intervals since 1601 to seconds since 1970. */
long long forestinfo_unix_time(int64_t filetime)
{
	const long long epoch = 11644473600LL;   /* seconds from 1601 to 1970 */
	long long s = (long long)(filetime / 10000000);

	return s > epoch ? s - epoch : 0;
}
