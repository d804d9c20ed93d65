/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_ldif.h - domain.ldif, one domain's directory content in LDIF
 * (store_ldif.c): the domain entry, its trusted domain objects and its
 * interdomain trust accounts, read and written with libldap's LDIF code.
 * Also used by the journal of real domains for its before-images
 * (backend/directory/directory_journal.c). */
#ifndef TM_STORE_LDIF_H
#define TM_STORE_LDIF_H

#include <stddef.h>

#include "model/trust.h"

/* Everything domain.ldif holds for one domain. */
typedef struct stldif_domain {
	tm_domain dom;
	tm_tdo *tdos;
	size_t ntdos;
	tm_account *accounts;
	size_t naccounts;
} stldif_domain;

/* Load domain.ldif with libldap's LDIF reader. Returns 0 or -1 with e
 * (a damaged file is reported with its line number; a missing one with
 * ST_NO_SUCH_DOMAIN; a FIFO, device or folder is refused without
 * blocking). */
int store_ldif_load(const char *path, stldif_domain *out, tm_error *e);

/* Only the domain entry of domain.ldif: reading stops there (the domain
 * list of a store whose domains hold 100,000 trusts stays quick). */
int store_ldif_load_domain(const char *path, tm_domain *out, tm_error *e);

/* Only what a listing shows of each TDO, appended to rows: the other
 * attributes of TDO entries are skipped without being decoded (no secrets
 * in memory) and trust accounts are not read. The domain entry and the
 * TDOs' listed attributes are checked as store_ldif_load checks them. */
int store_ldif_load_rows(const char *path, tm_tdo_rows *rows, tm_error *e);

/* Write domain.ldif with libldap's LDIF writer, atomically. */
int store_ldif_save(const char *path, const stldif_domain *d, tm_error *e);

/* Render to a malloc'd LDIF text (what store_ldif_save writes). */
int store_ldif_render(const stldif_domain *d, char **out, size_t *len, tm_error *e);

/* Parse LDIF text (what store_ldif_load reads). The text buffer is not kept. */
int store_ldif_parse(const char *text, size_t len, stldif_domain *out, tm_error *e);

/* Is text (len bytes) a domain.ldif store_ldif_parse accepts? Returns 0,
 * or -1 with e saying what is damaged (its line). */
int store_ldif_check_text(const char *text, size_t len, tm_error *e);

/* Wipe secrets and free; leaves an empty value. */
void store_ldif_free(stldif_domain *d);

#endif
