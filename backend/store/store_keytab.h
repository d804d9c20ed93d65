/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_keytab.h - a store domain KDC's keys (store_keytab.c): an MIT
 * FILE: keytab per domain, and the checks that prove a password or a trust
 * direction against it with real cryptography. */
#ifndef TM_STORE_KEYTAB_H
#define TM_STORE_KEYTAB_H

#include <stddef.h>
#include <stdint.h>

#include "model/trust.h"
#include "model/verify.h"

/* What to do about a damaged keytab (the hint of every such error). */
extern const char store_keytab_hint[];

/* Where the checksum hole of the keytabs trustmgr writes lies: its 16
 * bytes right after the version (2) and the hole's length (4). */
#define STORE_KEYTAB_SUM_AT 6
#define STORE_KEYTAB_SUM_LEN 16

/* Check the whole structure of a keytab's bytes, as the file must be
 * before libkrb5 reads it: the version 05 02, then records that exactly
 * fill it (a signed 32-bit big-endian length, negative for a hole, then a
 * complete entry), and when it has trustmgr's checksum hole, its length
 * and CRC-32C (see store_keytab.c). what names it in messages ("the keytab
 * /path"). Returns 0 with *entries, or -1 with e (TM_EBACKEND,
 * ST_INTERNAL_DB_CORRUPTION: what is damaged, at which byte). */
int store_keytab_check(const void *data, size_t len, const char *what, size_t *entries,
		       tm_error *e);

/* The content of the checksum hole of a keytab file (len bytes at file, at
 * least STORE_KEYTAB_SUM_AT + STORE_KEYTAB_SUM_LEN, with the hole in
 * place) into out: the magic "TMKTSUM1", the file's length and the CRC-32C
 * of every byte outside the hole (big-endian). */
void store_keytab_check_sum(const unsigned char *file, size_t len,
			    unsigned char out[STORE_KEYTAB_SUM_LEN]);

/* Principals and kvnos in the keytab at path (missing file = empty). A
 * damaged keytab, or one that is not a regular file, is an error (the
 * structure is checked before libkrb5 reads it). */
int store_keytab_list(const char *path, tm_keyinfo **out, size_t *n, tm_error *e);

/* Set principal's keys (derived from password with its default salt) at kvno
 * for the enctype bits; keep_previous keeps kvno-1's entries; every other
 * entry of the principal is dropped. Writes the keytab atomically. */
int store_keytab_set(const char *path, const char *principal, const char *password,
	     uint32_t kvno, uint32_t bits, int keep_previous, tm_error *e);

/* Remove every entry of principal (missing principal is fine). */
int store_keytab_delete(const char *path, const char *principal, tm_error *e);

/* Does password match principal's current key? *match: 1 yes, 0 no,
 * -1 principal absent. Real cryptography: a challenge sealed with the key
 * derived from password is opened with the stored key. */
int store_keytab_prove(const char *path, const char *principal, const char *password,
	       int *match, tm_error *e);

/* One direction of a trust as the two KDCs would see it: the issuing KDC's
 * keytab seals a ticket with its current key of principal, using the
 * strongest enctype allowed by issuer_bits and acceptor_bits (0 = default
 * AES) that both hold; the accepting KDC opens it with its key of that kvno
 * and enctype. Fills r->outcome, kvnos, enctype, missing_on ("issuer" or
 * "acceptor" is written by the caller). Returns 0, or -1 with e when a
 * keytab could not be read. */
int store_keytab_verify(const char *issuer_path, const char *acceptor_path,
		const char *principal, uint32_t issuer_bits, uint32_t acceptor_bits,
		verify_result *r, int *missing_side, tm_error *e);

#endif
