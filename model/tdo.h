/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* tdo.h - trusted domain objects (tm_tdo, trust.h): initialise, copy, free,
 * match by name, and the compact rows a listing keeps (tm_tdo_rows). */
#ifndef TM_TDO_H
#define TM_TDO_H

#include <stddef.h>

#include "model/trust.h"

/* Initialise an empty TDO. */
void tdo_init(tm_tdo *t);

/* Wipe secrets and free owned memory; leaves an empty TDO. */
void tdo_free(tm_tdo *t);

/* Deep copy (secrets included). Returns 0 or -1 (ENOMEM). */
int tdo_copy(tm_tdo *dst, const tm_tdo *src);

/* Free an array of n TDOs and the array; sets *v to NULL. */
void tdo_free_array(tm_tdo **v, size_t n);

/* Append t's public fields as a row. Returns 0 or -1 (ENOMEM, or more than
 * 4 GiB of names). */
int tdo_rows_add(tm_tdo_rows *r, const tm_tdo *t);

/* Row i's trustPartner / flatName ("" when none). */
const char *tdo_rows_partner(const tm_tdo_rows *r, size_t i);
const char *tdo_rows_flat(const tm_tdo_rows *r, size_t i);

/* Give back the unused room of a finished set (best effort). */
void tdo_rows_trim(tm_tdo_rows *r);

/* Free everything; leaves an empty set. */
void tdo_rows_free(tm_tdo_rows *r);

/* Does the TDO name this partner (by trustPartner, flatName or SID text)? */
int tdo_matches(const tm_tdo *t, const char *name);

#endif
