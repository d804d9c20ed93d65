/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* namespace.h - the forest trust information of one forest trust as
 * administrators change it (name suffix routing): refresh from what the
 * partner forest publishes, enable and disable top-level names (TLNs),
 * NetBIOS names and SIDs, add and delete TLN exclusions, and the collision
 * rules of MS-LSAD 3.1.4.7.16.1 (docs/RULES.md, rules 12 to 15).
 *
 * Pure functions over fti_info (forestinfo.h): no I/O. The caller hands in
 * the names of the local forest, the forest trust information of the other
 * trusts of that forest and, for a refresh, what the partner forest
 * publishes. Every record created or whose flags change is stamped with
 * `now` (a FILETIME). Records of types forestinfo.c does not interpret are
 * never touched.
 */
#ifndef TM_NAMESPACE_H
#define TM_NAMESPACE_H

#include <stddef.h>
#include <stdint.h>

#include "model/error.h"
#include "model/forestinfo.h"
#include "model/sid.h"

#define NAMESPACE_LABEL_MAX 128

/* One domain of a forest: its DNS and NetBIOS names and SID. */
typedef struct namespace_domain {
	const char *dns;
	const char *netbios;           /* "" or NULL when none */
	const tm_sid *sid;             /* NULL when none */
} namespace_domain;

/* A forest's names: its domains and its UPN and SPN suffixes. */
typedef struct namespace_forest {
	const namespace_domain *domains;
	size_t ndomains;
	const char *const *suffixes;   /* UPN and SPN suffixes together */
	size_t nsuffixes;
} namespace_forest;

/* The forest trust information of another trust of the local forest. */
typedef struct namespace_other {
	const char *label;             /* how messages name that trust (its partner) */
	const fti_info *fi;
} namespace_other;

/* Everything a collision is judged against. */
typedef struct namespace_ctx {
	const char *local_label;       /* the local forest, for messages */
	namespace_forest local;        /* the local forest's own names */
	const namespace_other *others; /* the other trusts of the local forest */
	size_t nothers;
} namespace_ctx;

/* Why a record is in conflict: with whom, and the name or SID it meets. */
typedef struct namespace_conflict {
	int in_conflict;
	char with[NAMESPACE_LABEL_MAX];  /* "the local forest CORP", "trust OTHER.EXAMPLE" */
	char name[NAMESPACE_LABEL_MAX];  /* the colliding name or SID there */
} namespace_conflict;

/* The changes of one `namespaces` command, applied in this order:
 * refresh, enable-all, add-tln-ex, delete-tln-ex, enable-tln, disable-tln,
 * enable-nb, disable-nb, enable-sid, disable-sid; then the collisions. */
#define NAMESPACE_LIST_MAX 16

typedef struct namespace_list {
	const char *v[NAMESPACE_LIST_MAX];
	size_t n;
} namespace_list;

typedef struct namespace_request {
	int refresh;                   /* 0 none, 1 check, 2 store */
	int enable_all;
	namespace_list add_tln_ex, delete_tln_ex, enable_tln, disable_tln;
	namespace_list enable_nb, disable_nb, enable_sid, disable_sid;
	/* The forest's own names (workflow_suffixes), not a trust's records. */
	namespace_list add_upn, delete_upn, add_spn, delete_spn;
} namespace_request;

/* Does the request change anything (a refresh check does not)? */
int namespace_request_changes(const namespace_request *r);

/* Is `sub` equal to `sup` or below it in the DNS tree ("a.b.example" under
 * "b.example")? Case-insensitive, a trailing dot ignored. */
int namespace_dns_under(const char *sub, const char *sup);

/* The top-level names a forest publishes: its domains' DNS names and its
 * suffixes, leaving out every name below another one of the list; into
 * out (malloc'd strings, at most max). Returns the count or -1 (ENOMEM). */
int namespace_tlns(const namespace_forest *f, char **out, size_t max);

/* Refresh fi from what the partner forest publishes: a TLN it no longer
 * publishes is dropped, a new one added disabled as new; a domain record
 * kept (its flags too) when the domain is still published, else dropped; a
 * new domain added enabled; exclusions kept while a TLN covers them;
 * opaque records kept. Returns the number of records added or dropped, or
 * -1 with e. */
int namespace_refresh(fti_info *fi, const namespace_forest *published, int64_t now,
		      tm_error *e);

/* Apply r (apart from its refresh) to fi; refuses (-1 with e, fi then
 * partly changed: work on a copy) a name or SID fi does not hold, an
 * exclusion not below one of fi's TLNs or already there. */
int namespace_apply(fti_info *fi, const namespace_request *r, int64_t now, tm_error *e);

/* Recompute the conflict bits of every record of fi against ctx (rules 13
 * to 15); conflicts (fi->count entries, or NULL) says with whom. Records
 * disabled as new or by the administrator are never in conflict. */
void namespace_collide(fti_info *fi, const namespace_ctx *ctx, namespace_conflict *conflicts,
		       int64_t now);

/* The whole change: copy `before`, refresh it from published when asked,
 * apply r, compute the collisions, and refuse (STATUS_OBJECT_NAME_COLLISION,
 * naming the other trust or the local forest) when a name or SID r enables
 * by name is in conflict. *after gets the result, conflicts (may be NULL)
 * one entry per record of it (malloc'd). Returns 0 or -1 with e. */
int namespace_change(const fti_info *before, const namespace_request *r,
		     const namespace_forest *published, const namespace_ctx *ctx, int64_t now,
		     fti_info *after, namespace_conflict **conflicts, tm_error *e);

#endif
