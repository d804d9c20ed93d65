/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* sid.h - security identifiers: text (S-1-5-21-a-b-c) and binary (MS-DTYP 2.4.2.2). */
#ifndef TM_SID_H
#define TM_SID_H

#include <stddef.h>
#include <stdint.h>

#include "model/error.h"

#define SID_MAX_SUB 15
#define SID_TEXT_MAX 192           /* longest text form, with NUL */
#define SID_BINARY_MAX (8 + 4 * SID_MAX_SUB)

typedef struct tm_sid {
	uint8_t revision;          /* always 1 */
	uint8_t nsub;              /* number of sub-authorities, 0..15 */
	uint64_t authority;        /* 48-bit identifier authority */
	uint32_t sub[SID_MAX_SUB];
} tm_sid;

/* Parse text "S-1-<auth>-<sub>...". Authority may be decimal or 0x hex (< 2^48).
 * Returns 0, or -1 with e set (STATUS_INVALID_SID). Any SID is accepted here;
 * use sid_check_domain() for the domain-SID rule. */
int sid_parse(const char *text, tm_sid *out, tm_error *e);

/* Format as text into buf (at least SID_TEXT_MAX). Returns buf. */
char *sid_format(const tm_sid *sid, char *buf, size_t n);

/* Binary length of sid: 8 + 4 * nsub. */
size_t sid_binary_len(const tm_sid *sid);

/* Write binary form. Returns bytes written, or 0 if n is too small. */
size_t sid_to_binary(const tm_sid *sid, uint8_t *buf, size_t n);

/* Decode binary form; the input must be exactly one SID (len == 8 + 4*nsub).
 * Returns 0, or -1 with e set. */
int sid_from_binary(const uint8_t *buf, size_t len, tm_sid *out, tm_error *e);

/* 1 when equal, else 0. */
int sid_equal(const tm_sid *a, const tm_sid *b);

/* Domain SID rule (docs/RULES.md, rule 7): S-1-5-21-a-b-c, exactly four sub-authorities,
 * a, b and c non-zero; BUILTIN (S-1-5-32) refused with its own sentence.
 * Returns 0 or -1 with e set (STATUS_INVALID_SID). */
int sid_check_domain(const tm_sid *sid, tm_error *e);

/* 1 when text ("S-1-...", any case of the S) parses as a SID equal to sid. */
int sid_text_equals(const char *text, const tm_sid *sid);

#endif
