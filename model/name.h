/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* names.h - NetBIOS, DNS and realm names: validation and comparison.
 * Names are UTF-8 (checked and counted with model/utf8.h). Comparisons are
 * case-insensitive for ASCII letters. */
#ifndef TM_NAMES_H
#define TM_NAMES_H

#include <stddef.h>

#include "model/error.h"

#define NB_MAX_CHARS 15
#define NAME_NB_MAX 64             /* buffer for a NetBIOS name (15 UTF-8 chars) */
#define NAME_DNS_MAX 256           /* buffer for a DNS name (253 + NUL) */

/* NetBIOS (flat) name, docs/RULES.md rule 7: 1-15 characters (UTF-8 code points,
 * valid UTF-8, no control characters), none of \ / : * ? " < > |, not all
 * dots, not "BUILTIN". Too long -> STATUS_OBJECT_NAME_INVALID; other faults
 * -> STATUS_INVALID_PARAMETER. Returns 0 or -1 with e set. */
int name_check_netbios(const char *nb, tm_error *e);

/* DNS name per RFC 1035/1123: labels 1-63 of letters, digits and hyphens,
 * not starting or ending with a hyphen, total <= 253 (one trailing dot
 * allowed and ignored), at least one label. -> STATUS_INVALID_PARAMETER. */
int name_check_dns(const char *dns, tm_error *e);

/* Kerberos realm: 1-253 printable ASCII characters without '/', '@' or
 * spaces. -> STATUS_INVALID_PARAMETER. */
int name_check_realm(const char *realm, tm_error *e);

/* Case-insensitive equality (ASCII letters fold; a single trailing dot on
 * either side is ignored so "corp.example." equals "corp.example"). */
int name_equal(const char *a, const char *b);

/* A hash of name that agrees with name_equal: ASCII case folded, one
 * trailing dot ignored (FNV-1a). */
size_t name_hash(const char *name);

/* Copy src upper-cased (ASCII letters only) into dst of size n, truncating. */
void name_upper(char *dst, const char *src, size_t n);

/* Copy src lower-cased (ASCII letters only) into dst of size n, truncating. */
void name_lower(char *dst, const char *src, size_t n);

/* Build the LDAP base DN for a DNS name: "corp.example" -> "dc=corp,dc=example". */
int name_dns_to_dn(const char *dns, char *buf, size_t n);

#endif
