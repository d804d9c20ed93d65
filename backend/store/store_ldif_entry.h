/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_ldif_entry.h - the entries of domain.ldif (store_ldif_entry.c): the
 * domain entry, the containers cn=System and cn=Users, one trustedDomain
 * entry per TDO and one user entry per interdomain trust account, written
 * in that order and read back one record at a time, each checked (its DN,
 * its values, duplicates). Their DNs are built and parsed by libldap.
 */
#ifndef TM_STORE_LDIF_ENTRY_H
#define TM_STORE_LDIF_ENTRY_H

#include <stddef.h>

#include <ldap.h>

#include "model/trust.h"
#include "backend/store/store_ldif.h"
#include "backend/store/store_ldif_rec.h"

/* Reading one domain.ldif into out (or, for a listing, rows). */
typedef struct stldif_ctx {
	stldif_reader rd;            /* the record being read */
	stldif_domain *out;
	size_t tdo_cap;              /* allocated length of out->tdos */
	size_t account_cap;          /* allocated length of out->accounts */
	size_t *seen;                /* open-addressed set of TDO indices + 1, by partner */
	size_t seen_cap;             /* a power of two, or 0 */
	int domain_only;             /* stop at the domain entry (store_ldif_load_domain) */
	tm_tdo_rows *rows;           /* listing (store_ldif_load_rows): TDOs go here, and
					only their TDOATTR_LISTED attributes are read */
	int have_domain;
	LDAPDN base;                 /* the domain entry's DN, parsed */
} stldif_ctx;

/* Every entry of d in file order after a comment that says what the file
 * holds, appended to o (which may then hold secrets). Returns 0, or -1
 * with e when an entry cannot be written (no base DN for the domain, a
 * name too long for a DN, a SID that cannot be stored); o->oom says when
 * memory ran out. */
int store_ldif_entry_render(stldif_out *o, const stldif_domain *d, tm_error *e);

/* The record in c->rd.rec into c: the domain entry, a TDO (or a listing's
 * row), a trust account; containers and other entries are skipped, and
 * with c->domain_only everything but the domain entry. Returns 0 or -1
 * with c->rd.e (a damaged entry names its line). */
int store_ldif_entry_read(stldif_ctx *c);

/* Free what reading kept besides out and rows (the parsed base DN, the set
 * of partners). */
void store_ldif_entry_done(stldif_ctx *c);

#endif
