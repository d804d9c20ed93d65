/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_keytab_check.c - the structure and checksum of an MIT keytab,
 * checked before libkrb5 reads it (store_keytab.h). libkrb5 reads a keytab
 * cut short as a shorter valid one, and the 1.20 reader leaks the realm of
 * an entry it cannot finish; so the whole file is checked first: the
 * version 05 02, then records that exactly fill the file, each a signed
 * 32-bit big-endian length (negative: a hole of that many bytes) and a
 * complete entry.
 *
 * The keytabs trustmgr writes also carry a checksum, kept where Kerberos
 * keeps unused space, in a hole right after the version:
 *
 *   05 02 | ff ff ff f0 | "TMKTSUM1" | file length (4) | CRC-32C (4) | records...
 *
 * The CRC-32C covers every byte of the file but the hole's 16. libkrb5 and
 * klist skip holes; a hole of 16 bytes is too small for libkrb5 to reuse
 * for an entry. A file with that hole must have the length and checksum it
 * records, so a cut at a record boundary and a changed key byte are found.
 */
#include "backend/store/store_keytab.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/cksum.h"

#define KT_SUM_AT STORE_KEYTAB_SUM_AT
#define KT_SUM_LEN STORE_KEYTAB_SUM_LEN
#define KT_HEAD_LEN (KT_SUM_AT + KT_SUM_LEN)

static const unsigned char kt_sum_magic[8] = { 'T', 'M', 'K', 'T', 'S', 'U', 'M', '1' };

/* Walking the bytes of a keytab. */
typedef struct kt_scan {
	const unsigned char *p;
	size_t len;
	size_t q;                    /* the next byte of the record being read */
	size_t end;                  /* where that record ends */
	size_t rec;                  /* where its length field starts */
	const char *what;            /* "the keytab PATH", for messages */
	tm_error *e;
} kt_scan;

static uint32_t kt_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned kt_be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static void kt_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* "<what> is damaged at byte N: why." (TM_EBACKEND, corruption). */
__attribute__((format(printf, 3, 4)))
static int kt_bad(const kt_scan *s, size_t at, const char *fmt, ...)
{
	char why[TM_WHAT_MAX / 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return error_fail(s->e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
			  "%s is damaged at byte %zu: %s", s->what, at, why);
}

/* n more bytes of the record, for field: -1 when the record ends first. */
static int kt_need(kt_scan *s, size_t n, const char *field)
{
	if (s->end - s->q >= n)
		return 0;
	return kt_bad(s, s->q, "the entry that starts at byte %zu ends inside its %s", s->rec,
		      field);
}

/* A 16-bit count of 1 to 32767 (libkrb5 stops at anything else), then
 * when counted is set that many bytes. */
static int kt_count(kt_scan *s, const char *field, int counted)
{
	unsigned n;

	if (kt_need(s, 2, field) != 0)
		return -1;
	n = kt_be16(s->p + s->q);
	if (n == 0 || n > 0x7fff)
		return kt_bad(s, s->q, "the %s of the entry that starts at byte %zu is %u, not 1 to "
			      "32767", field, s->rec, n);
	s->q += 2;
	if (!counted)
		return 0;
	if (kt_need(s, n, field) != 0)
		return -1;
	s->q += n;
	return 0;
}

/* One entry: principal (components, realm, names, name type), timestamp,
 * 8-bit key version, key type and key; the rest of the record (the 32-bit
 * key version, flags, zero fill) is free. */
static int kt_entry(kt_scan *s)
{
	unsigned ncomp, i;

	if (kt_count(s, "number of name components", 0) != 0)
		return -1;
	ncomp = kt_be16(s->p + s->q - 2);
	if (kt_count(s, "realm", 1) != 0)
		return -1;
	for (i = 0; i < ncomp; i++)
		if (kt_count(s, "name component", 1) != 0)
			return -1;
	if (kt_need(s, 4 + 4 + 1 + 2, "name type, time stamp, key version and key type") != 0)
		return -1;
	s->q += 4 + 4 + 1 + 2;
	return kt_count(s, "key", 1);
}

/* The checksum hole right after the version, when the file has one: the
 * length and CRC-32C it records must be the file's. 1 when there is none. */
static int kt_sum(kt_scan *s)
{
	const unsigned char *h = s->p + KT_SUM_AT;
	uint32_t crc;
	uint64_t want;

	if (s->len < KT_HEAD_LEN || kt_be32(s->p + 2) != (uint32_t)-KT_SUM_LEN ||
	    memcmp(h, kt_sum_magic, sizeof(kt_sum_magic)) != 0)
		return 1;
	want = kt_be32(h + 8);
	if (want != s->len)
		return error_fail(s->e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
				  "%s is damaged: it is %zu bytes long, but %llu were written (%s)",
				  s->what, s->len, (unsigned long long)want,
				  s->len < want ? "it was cut short" : "something was added to it");
	crc = cksum_crc32c(cksum_crc32c(0, s->p, KT_SUM_AT), s->p + KT_HEAD_LEN,
			   s->len - KT_HEAD_LEN);
	if (crc != kt_be32(h + 12))
		return error_fail(s->e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
				  "%s is damaged: its checksum (CRC-32C) is %08x, but %08x was "
				  "written, so some of its bytes changed", s->what, (unsigned)crc,
				  (unsigned)kt_be32(h + 12));
	return 0;
}

/* One record length at s->rec and what it covers; *entries counts entries. */
static int kt_record(kt_scan *s, size_t *entries)
{
	int32_t size;
	size_t body = s->rec + 4, n;

	if (s->len - s->rec < 4)
		return kt_bad(s, s->rec, "the file ends inside the length of a record: it was cut "
			      "short");
	size = (int32_t)kt_be32(s->p + s->rec);
	if (size == 0 || size == INT32_MIN)
		return kt_bad(s, s->rec, "a record length of %ld is not valid (libkrb5 would stop "
			      "reading there)", (long)size);
	n = size < 0 ? (size_t)-(int64_t)size : (size_t)size;
	if (n > s->len - body)
		return kt_bad(s, s->rec, "the %s of %zu bytes that starts here runs past the end of "
			      "the file (%zu bytes): it was cut short", size < 0 ? "hole" : "entry",
			      n, s->len);
	s->q = body;
	s->end = body + n;
	if (size > 0 && kt_entry(s) != 0)
		return -1;
	*entries += size > 0;
	s->rec = s->end;
	return 0;
}

/* store_keytab_check: version, records that fill the file, the checksum. */
int store_keytab_check(const void *data, size_t len, const char *what, size_t *entries,
		       tm_error *e)
{
	kt_scan s = { data, len, 0, 0, 2, what, e };
	int rc;

	*entries = 0;
	if (len < 2 || s.p[0] != 0x05 || s.p[1] != 0x02)
		return kt_bad(&s, 0, "it does not begin with the version 05 02 of an MIT keytab "
			      "(Unsupported key table format)");
	rc = kt_sum(&s);
	if (rc < 0)
		return -1;
	while (s.rec < len)
		if (kt_record(&s, entries) != 0)
			return -1;
	return 0;
}

/* store_keytab_check_sum: magic, length, CRC-32C of all but the hole. */
void store_keytab_check_sum(const unsigned char *file, size_t len,
			    unsigned char out[STORE_KEYTAB_SUM_LEN])
{
	memcpy(out, kt_sum_magic, sizeof(kt_sum_magic));
	kt_put32(out + 8, (uint32_t)len);
	kt_put32(out + 12, cksum_crc32c(cksum_crc32c(0, file, KT_SUM_AT), file + KT_HEAD_LEN,
					len - KT_HEAD_LEN));
}
