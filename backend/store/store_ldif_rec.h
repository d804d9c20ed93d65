/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_ldif_rec.h - the LDIF of domain.ldif, line by line (store_ldif_rec.c):
 * one record read into decoded attribute lines that remember their line
 * numbers, the values of those lines checked and converted, and attribute
 * lines written with libldap's LDIF writer into a buffer that is wiped
 * whenever it moves (it holds trust secrets). What the entries mean is
 * store_ldif_entry.h's; the whole file is store_ldif.h's.
 */
#ifndef TM_STORE_LDIF_REC_H
#define TM_STORE_LDIF_REC_H

#include <stddef.h>
#include <stdint.h>

#include <lber.h>

#include "model/trust.h"

#define STLDIF_DN_MAX 2048       /* longest DN we build or accept */
#define STLDIF_REC_MAX 256       /* attribute lines per entry */

/* The last line of every domain.ldif trustmgr writes, and the comment near
 * its top that announces it: a file that begins with the announcement and
 * lacks the last line was cut short (text added after the last line, by
 * hand or a script, is read as usual). Files without the announcement
 * (written by hand, or by an earlier trustmgr) are read without that
 * check.
 *
 * Format 3 (what trustmgr writes now) adds a checksum line right before
 * the last line: "# crc32c XXXXXXXX", the CRC-32C (model/cksum.h) of every
 * byte before that line, so a changed byte is damage too. A format 3 file
 * whose checksum line was deleted (after a change by hand) is read without
 * that check; format 2 files (an earlier trustmgr's) are still read. */
#define STLDIF_END_LINE "# end of the trustmgr domain store"
#define STLDIF_SUM_PREFIX "# crc32c "
#define STLDIF_FORMAT2_LINE "# Format 2: the last line of the file is \"" STLDIF_END_LINE "\"."
#define STLDIF_FORMAT_LINE "# Format 3: it ends with \"" STLDIF_SUM_PREFIX "X\" (X: the CRC-32C of " \
	"the bytes before it), then \"" STLDIF_END_LINE "\"."

/* What to do about a damaged domain.ldif (the hint of every such error). */
extern const char store_ldif_rec_hint[];

/* One decoded attribute line. */
typedef struct stldif_attr {
	char *type;
	char *val;                   /* len bytes; may hold NULs when base64 */
	size_t len;
	unsigned long line;
	int freeval;
} stldif_attr;

/* The entry being read. */
typedef struct stldif_rec {
	unsigned long line;          /* first line of the entry */
	char dn[STLDIF_DN_MAX];
	char dnmsg[160];             /* printable DN for messages */
	size_t n;
	stldif_attr a[STLDIF_REC_MAX];
} stldif_rec;

/* Reading records one after the other. */
typedef struct stldif_reader {
	stldif_rec rec;
	unsigned nrec;               /* records read before this one */
	int listing;                 /* skip the mapped TDO attributes a listing
					does not show, without decoding them */
	tm_error *e;
} stldif_reader;

/* ---- reading ------------------------------------------------------------ */

/* Fail r->e for a damaged entry: "line N, entry DN: why" (or "line N: why"
 * before the entry's DN is known), with store_ldif_rec_hint. Returns -1. */
int store_ldif_rec_fail(stldif_reader *r, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Free the decoded values of rec; leaves it empty. */
void store_ldif_rec_reset(stldif_rec *rec);

/* Split one record from ldif_read_record (buf, starting at line `start` of
 * the file) into decoded lines in r->rec; the file may begin with "version:
 * 1", and every entry must begin with its dn: line. URL values and values
 * that do not decode are refused. Returns 0 or -1 with r->e. */
int store_ldif_rec_read(stldif_reader *r, char *buf, unsigned long start);

/* Does rec hold type: value (both case-insensitive)? */
int store_ldif_rec_has(const stldif_rec *rec, const char *type, const char *value);

/* The single value of type (after the dn: line) in *out: NULL when absent,
 * which is an error when required; more than one value is an error.
 * Returns 0 or -1 with r->e. */
int store_ldif_rec_one(stldif_reader *r, const char *type, int required,
		       const stldif_attr **out);

/* An attribute line's value as libldap's berval (not a copy). */
struct berval store_ldif_rec_bv(const stldif_attr *a);

/* The single value of type as text into buf (n bytes); "" when absent. */
int store_ldif_rec_str(stldif_reader *r, const char *type, int required, char *buf, size_t n);

/* The single value of type as a number in [lo, hi]; *present (may be NULL)
 * says whether it was there; *out is set only then. */
int store_ldif_rec_num(stldif_reader *r, const char *type, int required, long long lo,
		       long long hi, long long *out, int *present);

/* 32-bit flags, in unsigned or AD's signed form. */
int store_ldif_rec_u32(stldif_reader *r, const char *type, int required, uint32_t *out,
		       int *present);

/* A binary SID; *present says whether it was there. */
int store_ldif_rec_sid(stldif_reader *r, const char *type, tm_sid *sid, int *present);

/* Generalized time "YYYYMMDDHHMMSS[.f]Z" into Unix seconds; 0 when absent. */
int store_ldif_rec_time(stldif_reader *r, const char *type, long long *out);

/* ---- writing ------------------------------------------------------------ */

/* Output text; grows by copying and wiping the old buffer. After a failed
 * allocation oom is set and nothing more is written. */
typedef struct stldif_out {
	char *p;
	size_t len, cap;
	int oom;
} stldif_out;

/* One attribute line through libldap's writer (LDIF_PUT_VALUE auto-detects
 * text, LDIF_PUT_BINARY forces base64). */
void store_ldif_rec_put(stldif_out *o, int type, const char *name, const void *val,
			size_t vlen);

/* Raw text (comments, the blank line between entries). */
void store_ldif_rec_raw(stldif_out *o, const char *s);

/* A text attribute; _opt writes it only when it is set (not ""). */
void store_ldif_rec_put_str(stldif_out *o, const char *name, const char *s);
void store_ldif_rec_put_opt(stldif_out *o, const char *name, const char *s);

/* A decimal number. */
void store_ldif_rec_put_num(stldif_out *o, const char *name, long long v);

/* Generalized time YYYYMMDDHHMMSS.0Z; nothing when t is unknown (<= 0). */
void store_ldif_rec_put_time(stldif_out *o, const char *name, long long t);

#endif
