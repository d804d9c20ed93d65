/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* namespace_collide.c - the collision rules of MS-LSAD 3.1.4.7.16.1 as
 * docs/RULES.md states them (rules 13 to 15), and namespace_change, the
 * whole change of one `namespaces` command. */
#include "model/namespace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/name.h"

static void conflict_set(namespace_conflict *c, const char *with, const char *name)
{
	if (!c || c->in_conflict)
		return;
	c->in_conflict = 1;
	snprintf(c->with, sizeof(c->with), "%s", with);
	snprintf(c->name, sizeof(c->name), "%s", name);
}

/* Does fi exclude name (an exclusion equal to it or above it)? */
static int excluded(const fti_info *fi, const char *name)
{
	size_t i;

	for (i = 0; i < fi->count; i++)
		if (fi->records[i].type == FTI_TOP_LEVEL_NAME_EX &&
		    namespace_dns_under(name, fi->records[i].name))
			return 1;
	return 0;
}

/* Rule 13 against the local forest: a TLN may not equal, cover or lie
 * below one of the forest's own names. */
static int tln_vs_local(const namespace_ctx *ctx, const char *tln, namespace_conflict *c)
{
	const namespace_forest *f = &ctx->local;
	char with[NAMESPACE_LABEL_MAX];
	size_t i;

	snprintf(with, sizeof(with), "the local forest %s", ctx->local_label);
	for (i = 0; i < f->ndomains; i++)
		if (f->domains[i].dns && (namespace_dns_under(f->domains[i].dns, tln) ||
					  namespace_dns_under(tln, f->domains[i].dns))) {
			conflict_set(c, with, f->domains[i].dns);
			return 1;
		}
	for (i = 0; i < f->nsuffixes; i++)
		if (namespace_dns_under(f->suffixes[i], tln) ||
		    namespace_dns_under(tln, f->suffixes[i])) {
			conflict_set(c, with, f->suffixes[i]);
			return 1;
		}
	return 0;
}

/* Rule 14 against one other trust: equal to or above one of its enabled
 * TLNs (unless `mine` excludes it), or below one that does not exclude it. */
static int tln_vs_other(const fti_info *mine, const namespace_other *o, const char *tln,
			namespace_conflict *c)
{
	char with[NAMESPACE_LABEL_MAX];
	size_t i;

	snprintf(with, sizeof(with), "trust %s", o->label);
	for (i = 0; i < o->fi->count; i++) {
		const fti_record *r = &o->fi->records[i];
		int hit;

		if (r->type != FTI_TOP_LEVEL_NAME || !forestinfo_enabled(r, 0))
			continue;
		if (namespace_dns_under(r->name, tln))
			hit = name_equal(r->name, tln) || !excluded(mine, r->name);
		else
			hit = namespace_dns_under(tln, r->name) && !excluded(o->fi, tln);
		if (hit) {
			conflict_set(c, with, r->name);
			return 1;
		}
	}
	return 0;
}

/* Rule 15: what of domain record d meets domain x (SID, DNS, NetBIOS). */
static uint32_t domain_meets(const fti_record *d, const char *dns, const char *nb,
			     const tm_sid *sid, uint32_t x_flags)
{
	uint32_t bits = 0;
	int sid_on = !(x_flags & FTI_SID_DISABLED_MASK), nb_on = !(x_flags & FTI_NB_DISABLED_MASK);

	if (dns && name_equal(d->name, dns) && (sid_on || nb_on))
		bits |= FTI_SID_DISABLED_CONFLICT | FTI_NB_DISABLED_CONFLICT;
	if (sid && sid_on && sid_equal(&d->sid, sid))
		bits |= FTI_SID_DISABLED_CONFLICT;
	if (nb && nb[0] && nb_on && d->netbios && name_equal(d->netbios, nb))
		bits |= FTI_NB_DISABLED_CONFLICT;
	return bits;
}

static uint32_t domain_vs_local(const namespace_ctx *ctx, const fti_record *d,
				namespace_conflict *c)
{
	char with[NAMESPACE_LABEL_MAX];
	size_t i;

	snprintf(with, sizeof(with), "the local forest %s", ctx->local_label);
	for (i = 0; i < ctx->local.ndomains; i++) {
		const namespace_domain *x = &ctx->local.domains[i];
		uint32_t bits = domain_meets(d, x->dns, x->netbios, x->sid, 0);

		if (bits) {
			conflict_set(c, with, x->dns ? x->dns : "");
			return bits;
		}
	}
	return 0;
}

static uint32_t domain_vs_other(const namespace_other *o, const fti_record *d,
				namespace_conflict *c)
{
	char with[NAMESPACE_LABEL_MAX];
	size_t i;

	snprintf(with, sizeof(with), "trust %s", o->label);
	for (i = 0; i < o->fi->count; i++) {
		const fti_record *x = &o->fi->records[i];
		uint32_t bits;

		if (x->type != FTI_DOMAIN_INFO)
			continue;
		bits = domain_meets(d, x->name, x->netbios, &x->sid, x->flags);
		if (bits) {
			conflict_set(c, with, x->name);
			return bits;
		}
	}
	return 0;
}

static void collide_tln(const fti_info *fi, fti_record *r, const namespace_ctx *ctx,
			namespace_conflict *c, int64_t now)
{
	uint32_t f = r->flags & ~FTI_TLN_DISABLED_CONFLICT;
	int hit = 0;
	size_t i;

	if (!(f & (FTI_TLN_DISABLED_NEW | FTI_TLN_DISABLED_ADMIN))) {
		hit = tln_vs_local(ctx, r->name, c);
		for (i = 0; !hit && i < ctx->nothers; i++)
			hit = tln_vs_other(fi, &ctx->others[i], r->name, c);
	}
	if (hit)
		f |= FTI_TLN_DISABLED_CONFLICT;
	if (f != r->flags) {
		r->flags = f;
		r->timestamp = now;
	}
}

static void collide_domain(fti_record *r, const namespace_ctx *ctx, namespace_conflict *c,
			   int64_t now)
{
	uint32_t f = r->flags & ~(FTI_SID_DISABLED_CONFLICT | FTI_NB_DISABLED_CONFLICT);
	uint32_t bits = domain_vs_local(ctx, r, c);
	size_t i;

	for (i = 0; !bits && i < ctx->nothers; i++)
		bits = domain_vs_other(&ctx->others[i], r, c);
	if (f & FTI_SID_DISABLED_ADMIN)
		bits &= ~FTI_SID_DISABLED_CONFLICT;
	if (f & FTI_NB_DISABLED_ADMIN)
		bits &= ~FTI_NB_DISABLED_CONFLICT;
	if (!bits && c)
		c->in_conflict = 0;
	f |= bits;
	if (f != r->flags) {
		r->flags = f;
		r->timestamp = now;
	}
}

/* namespace_collide: see namespace.h. */
void namespace_collide(fti_info *fi, const namespace_ctx *ctx, namespace_conflict *conflicts,
		       int64_t now)
{
	size_t i;

	for (i = 0; i < fi->count; i++) {
		namespace_conflict *c = conflicts ? &conflicts[i] : NULL;

		if (c)
			memset(c, 0, sizeof(*c));
		if (fi->records[i].type == FTI_TOP_LEVEL_NAME)
			collide_tln(fi, &fi->records[i], ctx, c, now);
		else if (fi->records[i].type == FTI_DOMAIN_INFO)
			collide_domain(&fi->records[i], ctx, c, now);
	}
}

/* ---- the whole change -------------------------------------------------- */

static int refuse_conflict(tm_error *e, const char *what, const char *name,
			   const namespace_conflict *c)
{
	error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_COLLISION,
		   "The %s %s cannot be enabled: it collides with %s of %s.", what, name,
		   c->name, c->with);
	error_hint(e, "Disable or exclude the name there first, or leave this one disabled "
		      "(docs/RULES.md, rules 13 to 15).");
	return -1;
}

/* Is record i one r enables by name, and in conflict? */
static int named_in_conflict(const fti_record *rec, const namespace_request *r, const char **what,
			     const char **name)
{
	size_t k;

	if (rec->type == FTI_TOP_LEVEL_NAME && (rec->flags & FTI_TLN_DISABLED_CONFLICT))
		for (k = 0; k < r->enable_tln.n; k++)
			if (name_equal(rec->name, r->enable_tln.v[k])) {
				*what = "top-level name";
				*name = r->enable_tln.v[k];
				return 1;
			}
	if (rec->type != FTI_DOMAIN_INFO)
		return 0;
	if (rec->flags & FTI_NB_DISABLED_CONFLICT)
		for (k = 0; k < r->enable_nb.n; k++)
			if (rec->netbios && name_equal(rec->netbios, r->enable_nb.v[k])) {
				*what = "NetBIOS name";
				*name = r->enable_nb.v[k];
				return 1;
			}
	if (rec->flags & FTI_SID_DISABLED_CONFLICT)
		for (k = 0; k < r->enable_sid.n; k++)
			if (sid_text_equals(r->enable_sid.v[k], &rec->sid)) {
				*what = "SID";
				*name = r->enable_sid.v[k];
				return 1;
			}
	return 0;
}

static int check_enabled(const fti_info *fi, const namespace_request *r,
			 const namespace_conflict *c, tm_error *e)
{
	const char *what = NULL, *name = NULL;
	size_t i;

	for (i = 0; i < fi->count; i++)
		if (named_in_conflict(&fi->records[i], r, &what, &name))
			return refuse_conflict(e, what, name, &c[i]);
	return 0;
}

/* The conflict bits of rec's kind (TLN, or SID and NetBIOS of a domain). */
static uint32_t conflict_bits(const fti_record *rec)
{
	if (rec->type == FTI_TOP_LEVEL_NAME)
		return rec->flags & FTI_TLN_DISABLED_CONFLICT;
	if (rec->type == FTI_DOMAIN_INFO)
		return rec->flags & (FTI_SID_DISABLED_CONFLICT | FTI_NB_DISABLED_CONFLICT);
	return 0;
}

/* The record of fi that is `rec` (a TLN by name, a domain by SID), or NULL. */
static const fti_record *same_record(const fti_info *fi, const fti_record *rec)
{
	size_t i;

	for (i = 0; i < fi->count; i++) {
		const fti_record *x = &fi->records[i];

		if (x->type != rec->type)
			continue;
		if (rec->type == FTI_TOP_LEVEL_NAME && name_equal(x->name, rec->name))
			return x;
		if (rec->type == FTI_DOMAIN_INFO && sid_equal(&x->sid, &rec->sid))
			return x;
	}
	return NULL;
}

/* A change may not put a record in conflict that was routed before it
 * (rule 15): `probe` is before with its collisions computed. */
static int check_new_conflicts(const fti_info *probe, const fti_info *after,
			       const namespace_conflict *c, tm_error *e)
{
	size_t i;

	for (i = 0; i < after->count; i++) {
		const fti_record *a = &after->records[i];
		const fti_record *b = same_record(probe, a);
		uint32_t fresh = b ? conflict_bits(a) & ~conflict_bits(b) : 0;

		if (!fresh || (a->type == FTI_TOP_LEVEL_NAME && !forestinfo_enabled(b, 0)))
			continue;
		if ((fresh & FTI_SID_DISABLED_CONFLICT) && (b->flags & FTI_SID_DISABLED_ADMIN))
			fresh &= ~FTI_SID_DISABLED_CONFLICT;
		if ((fresh & FTI_NB_DISABLED_CONFLICT) && (b->flags & FTI_NB_DISABLED_ADMIN))
			fresh &= ~FTI_NB_DISABLED_CONFLICT;
		if (!fresh)
			continue;
		error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_COLLISION,
			   "This change would put the %s %s, routed now, in conflict with %s of %s.",
			   a->type == FTI_TOP_LEVEL_NAME ? "top-level name" : "domain", a->name,
			   c[i].name, c[i].with);
		error_hint(e, "Keep the exclusion or the disabled record that prevents it, or "
			      "disable %s first (docs/RULES.md, rule 15).", a->name);
		return -1;
	}
	return 0;
}

/* namespace_change: see namespace.h. */
int namespace_change(const fti_info *before, const namespace_request *r,
		     const namespace_forest *published, const namespace_ctx *ctx, int64_t now,
		     fti_info *after, namespace_conflict **conflicts, tm_error *e)
{
	namespace_conflict *c = NULL;
	fti_info probe;
	int rc;

	if (conflicts)
		*conflicts = NULL;
	if (forestinfo_copy(after, before) < 0)
		return error_fail(e, TM_EFAIL, NULL, "Out of memory copying the forest trust information.");
	if ((r->refresh && published && namespace_refresh(after, published, now, e) < 0) ||
	    namespace_apply(after, r, now, e) < 0)
		goto fail;
	c = calloc(after->count ? after->count : 1, sizeof(*c));
	if (!c) {
		error_fail(e, TM_EFAIL, NULL, "Out of memory checking forest trust collisions.");
		goto fail;
	}
	namespace_collide(after, ctx, c, now);
	if (forestinfo_copy(&probe, before) < 0) {
		error_fail(e, TM_EFAIL, NULL, "Out of memory checking forest trust collisions.");
		goto fail;
	}
	namespace_collide(&probe, ctx, NULL, now);
	rc = check_enabled(after, r, c, e);
	if (rc == 0)
		rc = check_new_conflicts(&probe, after, c, e);
	forestinfo_free(&probe);
	if (rc < 0)
		goto fail;
	if (conflicts)
		*conflicts = c;
	else
		free(c);
	return 0;
fail:
	free(c);
	forestinfo_free(after);
	return -1;
}
