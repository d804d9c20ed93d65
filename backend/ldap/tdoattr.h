/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* tdo_attrs.h - the one mapping between a tm_tdo and the attributes of a
 * trustedDomain entry (docs/RULES.md, "Words", "Constants" and "The
 * trustAuth blob"; MS-ADTS), shared by the embedded store's LDIF file
 * (store_ldif_entry.c) and real directories over LDAP (ldapdir_tdo.c).
 *
 * Value formats: text attributes are UTF-8, numbers are decimal (32-bit
 * flags as unsigned numbers; negative AD forms are accepted on reading),
 * securityIdentifier is a binary SID, trustAuthIncoming/Outgoing are the
 * MS-ADTS blobs, msDS-TrustForestTrustInfo is kept as raw bytes, and times
 * are generalized time "YYYYMMDDHHMMSS.0Z".
 *
 * Errors while reading say what is wrong with the value (class TM_EBACKEND,
 * STATUS_INTERNAL_DB_CORRUPTION) but not where: the caller adds the line or
 * entry. Buffers that held secrets are wiped before they are freed.
 */
#ifndef TM_TDO_ATTRS_H
#define TM_TDO_ATTRS_H

#include <stddef.h>
#include <stdint.h>

#include <lber.h>

#include "model/trust.h"

/* Attribute flags. */
#define TDOATTR_BINARY   0x1u  /* octet string (base64 in LDIF) */
#define TDOATTR_SECRET   0x2u  /* holds trust secrets (trustAuth*) */
#define TDOATTR_REQUIRED 0x4u  /* a TDO entry without it is damaged */
#define TDOATTR_LISTED   0x8u  /* shown by a listing (tm_tdo_row) */

#define TDOATTR_COUNT 13       /* mapped attributes */

/* One mapped attribute. */
typedef struct tdoattr_def {
	const char *name;          /* attribute name as MS-ADTS spells it */
	unsigned flags;            /* TDOATTR_* */
	int id;                    /* private: the field it maps */
} tdoattr_def;

/* One attribute value of a TDO, owned. */
typedef struct tdoattr_value {
	const char *name;          /* static */
	unsigned flags;
	uint8_t *data;             /* len bytes (+ NUL), wiped and freed by
				      tdoattr_list_free */
	size_t len;
} tdoattr_value;

/* The attributes a TDO has, in the order they are written. */
typedef struct tdoattr_list {
	size_t n;
	tdoattr_value v[TDOATTR_COUNT];
} tdoattr_list;

/* The mapped attributes in writing order (trustPartner first); *n gets
 * TDOATTR_COUNT. objectClass and cn are not mapped: they belong to the
 * entry, not to the trust. */
const tdoattr_def *tdoattr_defs(size_t *n);

/* The mapped attribute called name (case-insensitive), or NULL. */
const tdoattr_def *tdoattr_find(const char *name, size_t len);

/* Every attribute t has, as (name, bytes, length, flags) in writing order.
 * Absent fields (no flatName, no SID, unknown times...) give no value; both
 * trustAuth blobs are always there (count 0 encodes as 12 zero bytes).
 * Returns 0, or -1 with e (a SID or blob that cannot be encoded, ENOMEM) and
 * out empty. */
int tdoattr_values(const tm_tdo *t, tdoattr_list *out, tm_error *e);

/* The value called name in l, or NULL when t had none. */
const tdoattr_value *tdoattr_list_get(const tdoattr_list *l, const char *name);

/* Wipe and free every value; leaves an empty list. */
void tdoattr_list_free(tdoattr_list *l);

/* Set the field of t that def maps from the attribute's n values (n == 0:
 * absent, which resets the field and is an error for a required attribute:
 * "the required attribute X is missing"). More than one value, or a value
 * that does not parse, is an error; *bad (may be NULL) gets the index of the
 * offending value, or n when the fault is not one value's. Returns 0 or -1
 * with e; t keeps its other fields either way. */
int tdoattr_set(tm_tdo *t, const tdoattr_def *def, const struct berval *vals, size_t n,
		size_t *bad, tm_error *e);

/* ---- value formats, also used for other entries -------------------------- */

/* Text value into buf (n bytes): no NUL bytes, must fit. */
int tdoattr_parse_str(const char *name, const struct berval *v, char *buf, size_t n,
		      tm_error *e);

/* Strict decimal in [lo, hi] (optional '-', no spaces, no overflow). */
int tdoattr_parse_int(const char *name, const struct berval *v, long long lo, long long hi,
		      long long *out, tm_error *e);

/* 32-bit flags: 0..4294967295, or AD's signed form -2147483648..-1. */
int tdoattr_parse_u32(const char *name, const struct berval *v, uint32_t *out, tm_error *e);

/* Binary SID (exactly one). */
int tdoattr_parse_sid(const char *name, const struct berval *v, tm_sid *out, tm_error *e);

/* Generalized time "YYYYMMDDHHMMSS[.f]Z" into Unix seconds. */
int tdoattr_parse_time(const char *name, const struct berval *v, long long *out, tm_error *e);

/* Copy at most n-1 of the len bytes at s into dst (n >= 1) for a message,
 * control characters as '?'; dst is NUL-terminated. */
void tdoattr_printable(char *dst, size_t n, const char *s, size_t len);

/* Format Unix seconds as "YYYYMMDDHHMMSS.0Z" into buf (>= 20 bytes).
 * Returns 0, or -1 (nothing written) when t is unknown (<= 0) or beyond
 * year 9999. */
int tdoattr_format_time(long long t, char *buf, size_t n);

#endif
