/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* workflow_namespace.c - `namespaces DOMAIN PARTNER`: the forest trust
 * information DOMAIN's TDO holds for PARTNER, before and after a change
 * (namespace.h), and the plan writing it: one TDO_PUT of the TDO with the
 * new msDS-TrustForestTrustInfo, secrets kept. The console calls the same
 * entry point (workflow_namespaces). */
#include "model/workflow_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/authblob.h"
#include "model/domain.h"
#include "model/namespace.h"
#include "model/name.h"
#include "model/tdo.h"

/* The names of one forest, with the storage they point into. */
typedef struct ns_names {
	namespace_domain *doms;
	const char **suffixes;
	namespace_forest f;
} ns_names;

static void ns_names_free(ns_names *n)
{
	free(n->doms);
	free(n->suffixes);
	memset(n, 0, sizeof(*n));
}

/* Add domain d's suffixes (upn, spn) to n. */
static void ns_add_suffixes(ns_names *n, const tm_domain *d)
{
	size_t i;

	for (i = 0; i < d->nupn && i < DOMAIN_SUFFIX_MAX; i++)
		n->suffixes[n->f.nsuffixes++] = d->upn_suffixes[i];
	for (i = 0; i < d->nspn && i < DOMAIN_SUFFIX_MAX; i++)
		n->suffixes[n->f.nsuffixes++] = d->spn_suffixes[i];
}

/* The known domains of root's forest (AD domains with the same forest
 * root), root first. Returns 0 or -1 (ENOMEM). */
static int ns_forest_names(const wf_world *w, const tm_domain *root, ns_names *n)
{
	size_t i, k = 0;

	memset(n, 0, sizeof(*n));
	n->doms = calloc(w->ndomains + 1, sizeof(*n->doms));
	n->suffixes = calloc((w->ndomains + 1) * 2 * DOMAIN_SUFFIX_MAX, sizeof(*n->suffixes));
	if (!n->doms || !n->suffixes)
		return -1;
	n->doms[k++] = (namespace_domain){ root->dns, root->netbios,
					   root->has_sid ? &root->sid : NULL };
	ns_add_suffixes(n, root);
	for (i = 0; i < w->ndomains; i++) {
		const tm_domain *d = &w->domains[i];

		if (d == root || strcmp(d->name, root->name) == 0 || !workflow_same_forest(d, root))
			continue;
		n->doms[k++] = (namespace_domain){ d->dns, d->netbios, d->has_sid ? &d->sid : NULL };
		ns_add_suffixes(n, d);
	}
	n->f.domains = n->doms;
	n->f.ndomains = k;
	n->f.suffixes = n->suffixes;
	return 0;
}

/* A partner trustmgr does not know: what its TDO says of it. */
static int ns_partner_from_tdo(const tm_tdo *t, ns_names *n)
{
	memset(n, 0, sizeof(*n));
	n->doms = calloc(1, sizeof(*n->doms));
	if (!n->doms)
		return -1;
	n->doms[0] = (namespace_domain){ t->partner, t->flat, t->has_sid ? &t->sid : NULL };
	n->f.domains = n->doms;
	n->f.ndomains = 1;
	return 0;
}

/* The other forest trusts of the local domain, decoded. Undecodable ones
 * are left out (show names them damaged). */
static int ns_others(const wf_world *w, const tm_tdo *self, wf_namespaces *res)
{
	const wf_side *s = &w->local;
	size_t i;

	res->others = calloc(s->ntdos + 1, sizeof(*res->others));
	res->other_fi = calloc(s->ntdos + 1, sizeof(*res->other_fi));
	if (!res->others || !res->other_fi)
		return -1;
	for (i = 0; i < s->ntdos; i++) {
		const tm_tdo *t = &s->tdos[i];
		fti_info *fi = &res->other_fi[res->nothers];

		if (t == self || !(t->attributes & TRUST_ATTR_FOREST_TRANSITIVE) || !t->ftinfo_len ||
		    forestinfo_decode(t->ftinfo, t->ftinfo_len, fi, NULL) < 0)
			continue;
		res->others[res->nothers].label = t->partner;
		res->others[res->nothers].fi = fi;
		res->nothers++;
	}
	return 0;
}

static int ns_not_forest(const wf_world *w, const tm_tdo *t, tm_error *e)
{
	error_fail(e, TM_EREFUSED, ST_INVALID_DOMAIN_STATE,
		   "%s's trust with %s is not a forest trust: it holds no forest trust information.",
		   w->local.dom->name, t->partner);
	error_hint(e, "Make it one with 'trustmgr tdo modify %s %s --forest-transitive' "
		      "(the forest root, level 2003 or later).", w->local.dom->name, t->partner);
	return -1;
}

/* The records stored now: decoded, or rule 6's default when none are. */
static int ns_before(const wf_world *w, const tm_tdo *t, fti_info *fi, tm_error *e)
{
	if (t->ftinfo_len)
		return forestinfo_decode(t->ftinfo, t->ftinfo_len, fi, e);
	if (!t->has_sid || forestinfo_default(fi, t->partner, t->flat, &t->sid,
					      (int64_t)authblob_filetime(w->now)) < 0)
		return error_fail(e, TM_EREFUSED, ST_INVALID_SID,
				  "%s's forest trust with %s has no records and no partner SID to "
				  "build them from.", w->local.dom->name, t->partner);
	return 0;
}

static int ns_context(const wf_world *w, const tm_tdo *t, ns_names *local, ns_names *pub,
		      wf_namespaces *res, namespace_ctx *ctx)
{
	const tm_domain *p = w->partner.dom;

	if (ns_forest_names(w, w->local.dom, local) < 0 || ns_others(w, t, res) < 0)
		return -1;
	ctx->local_label = w->local.dom->name;
	ctx->local = local->f;
	ctx->others = res->others;
	ctx->nothers = res->nothers;
	if (!p)
		return ns_partner_from_tdo(t, pub);
	/* The partner's forest root when it is known, else the partner. */
	{
		size_t i;

		for (i = 0; i < w->ndomains; i++)
			if (workflow_same_forest(&w->domains[i], p) &&
			    name_equal(w->domains[i].dns, domain_forest(p)))
				p = &w->domains[i];
	}
	return ns_forest_names(w, p, pub);
}

/* Would writing `after` change what t stores? */
static int ns_differs(const tm_tdo *t, const fti_info *after)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int differs;

	if (forestinfo_encode(after, &buf, &len) < 0)
		return 1;              /* let the plan report it */
	differs = len != t->ftinfo_len || memcmp(buf, t->ftinfo, len) != 0;
	free(buf);
	return differs;
}

/* The plan: DOMAIN's TDO for PARTNER with the new records. */
static int ns_plan(const wf_world *w, const tm_tdo *old, const fti_info *after, tm_plan **out,
		   tm_error *e)
{
	blob_change keep = workflow_blob(BLOB_KEEP, -1, 0);
	tm_plan *p = workflow_new("namespaces", w, e);
	uint8_t *buf = NULL;
	size_t len = 0;
	tm_tdo t;
	int rc = -1;

	if (!p)
		return -1;
	tdo_init(&t);
	snprintf(p->summary, sizeof(p->summary),
		 "change the forest trust information %s holds for %s", w->local.dom->name,
		 old->partner);
	snprintf(p->success, sizeof(p->success),
		 "The forest trust information %s holds for %s was changed.", w->local.dom->name,
		 old->partner);
	if (tdo_copy(&t, old) < 0 || forestinfo_encode(after, &buf, &len) < 0) {
		error_fail(e, TM_EFAIL, NULL, "Out of memory writing the forest trust information.");
	} else {
		free(t.ftinfo);
		t.ftinfo = buf;
		t.ftinfo_len = len;
		buf = NULL;
		if (workflow_check_change(w, &w->local, old, &t, e) == 0 &&
		    workflow_put_tdo(p, w->local.dom, old, &t, keep, keep,
				     "change the forest trust information of", e) == 0)
			rc = 0;
	}
	free(buf);
	tdo_free(&t);
	return workflow_done(p, out, rc);
}

/* workflow_namespaces: see workflow.h. */
int workflow_namespaces(const wf_world *w, const namespace_request *r, wf_namespaces *res,
			tm_plan **out, tm_error *e)
{
	const tm_tdo *t = workflow_local_tdo(w, e);
	int64_t now = (int64_t)authblob_filetime(w->now);
	ns_names local, pub;
	namespace_ctx ctx;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	memset(&local, 0, sizeof(local));
	memset(&pub, 0, sizeof(pub));
	if (out)
		*out = NULL;
	if (!t)
		return -1;
	snprintf(res->partner, sizeof(res->partner), "%s", t->partner);
	if (!(t->attributes & TRUST_ATTR_FOREST_TRANSITIVE))
		return ns_not_forest(w, t, e);
	if (ns_before(w, t, &res->before, e) < 0)
		return -1;
	if (ns_context(w, t, &local, &pub, res, &ctx) < 0) {
		error_fail(e, TM_EFAIL, NULL, "Out of memory reading the forest names.");
		goto done;
	}
	res->before_conflicts = calloc(res->before.count + 1, sizeof(*res->before_conflicts));
	if (!res->before_conflicts) {
		error_fail(e, TM_EFAIL, NULL, "Out of memory checking forest trust collisions.");
		goto done;
	}
	{
		fti_info probe;

		/* Who each stored record collides with, without changing it. */
		if (forestinfo_copy(&probe, &res->before) == 0) {
			namespace_collide(&probe, &ctx, res->before_conflicts, now);
			forestinfo_free(&probe);
		}
	}
	if (namespace_change(&res->before, r, &pub.f, &ctx, now, &res->after,
			     &res->after_conflicts, e) < 0)
		goto done;
	res->changes = namespace_request_changes(r) && ns_differs(t, &res->after);
	rc = 0;
	if (res->changes && out)
		rc = ns_plan(w, t, &res->after, out, e);
done:
	ns_names_free(&local);
	ns_names_free(&pub);
	if (rc < 0)
		workflow_namespaces_free(res);
	return rc;
}

/* workflow_namespaces_free: see workflow.h. */
void workflow_namespaces_free(wf_namespaces *res)
{
	size_t i;

	if (!res)
		return;
	forestinfo_free(&res->before);
	forestinfo_free(&res->after);
	free(res->before_conflicts);
	free(res->after_conflicts);
	for (i = 0; i < res->nothers; i++)
		forestinfo_free(&res->other_fi[i]);
	free(res->other_fi);
	free(res->others);
	memset(res, 0, sizeof(*res));
}

/* ---- the forest's own names -------------------------------------------- */

/* Index of name in v (case-insensitive), or -1. */
static long ns_find(char v[][NAME_DNS_MAX], size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (name_equal(v[i], name))
			return (long)i;
	return -1;
}

/* A forest trust of w->local that routes name to its partner, or NULL. */
static const tm_tdo *ns_routed(const wf_world *w, const char *name, char *tln, size_t n)
{
	size_t i, k;

	for (i = 0; i < w->local.ntdos; i++) {
		const tm_tdo *t = &w->local.tdos[i];
		fti_info fi;

		if (!(t->attributes & TRUST_ATTR_FOREST_TRANSITIVE) || !t->ftinfo_len ||
		    forestinfo_decode(t->ftinfo, t->ftinfo_len, &fi, NULL) < 0)
			continue;
		for (k = 0; k < fi.count; k++) {
			const fti_record *r = &fi.records[k];

			if (r->type == FTI_TOP_LEVEL_NAME && forestinfo_enabled(r, 0) &&
			    namespace_dns_under(name, r->name)) {
				snprintf(tln, n, "%s", r->name);
				forestinfo_free(&fi);
				return t;
			}
		}
		forestinfo_free(&fi);
	}
	return NULL;
}

static int ns_suffix_add(const wf_world *w, char v[][NAME_DNS_MAX], size_t *n, const char *name,
			 const char *what, tm_error *e)
{
	char tln[NAME_DNS_MAX];
	const tm_tdo *t;

	if (name_check_dns(name, e) < 0)
		return -1;
	if (ns_find(v, *n, name) >= 0)
		return error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_COLLISION,
				  "%s already holds the %s suffix %s.", w->local.dom->name, what, name);
	if (*n >= DOMAIN_SUFFIX_MAX)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
				  "%s holds %d %s suffixes already, the most trustmgr keeps.",
				  w->local.dom->name, DOMAIN_SUFFIX_MAX, what);
	if ((t = ns_routed(w, name, tln, sizeof(tln)))) {
		error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_COLLISION,
			   "The %s suffix %s is routed to %s: the forest trust with it has the "
			   "enabled top-level name %s.", what, name, t->partner, tln);
		error_hint(e, "Disable or exclude that name first: trustmgr namespaces %s %s "
			      "--disable-tln %s (or --add-tln-ex %s).", w->local.dom->name, t->partner,
			   tln, name);
		return -1;
	}
	snprintf(v[(*n)++], NAME_DNS_MAX, "%s", name);
	return 0;
}

static int ns_suffix_delete(const wf_world *w, char v[][NAME_DNS_MAX], size_t *n,
			    const char *name, const char *what, tm_error *e)
{
	long i = ns_find(v, *n, name);

	if (i < 0) {
		error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_NOT_FOUND,
			   "%s holds no %s suffix %s.", w->local.dom->name, what, name);
		error_hint(e, "See its names with 'trustmgr namespaces %s'.", w->local.dom->name);
		return -1;
	}
	memmove(v[i], v[i + 1], (*n - (size_t)i - 1) * NAME_DNS_MAX);
	(*n)--;
	return 0;
}

static int ns_suffix_lists(const wf_world *w, const namespace_request *r, tm_domain *d,
			   tm_error *e)
{
	size_t i;

	for (i = 0; i < r->delete_upn.n; i++)
		if (ns_suffix_delete(w, d->upn_suffixes, &d->nupn, r->delete_upn.v[i], "UPN", e) < 0)
			return -1;
	for (i = 0; i < r->delete_spn.n; i++)
		if (ns_suffix_delete(w, d->spn_suffixes, &d->nspn, r->delete_spn.v[i], "SPN", e) < 0)
			return -1;
	for (i = 0; i < r->add_upn.n; i++)
		if (ns_suffix_add(w, d->upn_suffixes, &d->nupn, r->add_upn.v[i], "UPN", e) < 0)
			return -1;
	for (i = 0; i < r->add_spn.n; i++)
		if (ns_suffix_add(w, d->spn_suffixes, &d->nspn, r->add_spn.v[i], "SPN", e) < 0)
			return -1;
	return 0;
}

/* "a.example,b.example" into buf. */
static void ns_join(char v[][NAME_DNS_MAX], size_t n, char *buf, size_t cap)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? "," : "", v[i]);
}

/* workflow_suffixes: see workflow.h. */
int workflow_suffixes(const wf_world *w, const namespace_request *r, tm_plan **out,
		      tm_error *e)
{
	const tm_domain *l = w->local.dom;
	tm_domain d = *l;
	plan_step *s;
	tm_plan *p;

	*out = NULL;
	if (l->kind != DOMAIN_AD)
		return error_fail(e, TM_EREFUSED, ST_INVALID_DOMAIN_STATE,
				  "%s is not an Active Directory style domain: it has no UPN or SPN "
				  "suffixes.", l->name);
	if (ns_suffix_lists(w, r, &d, e) < 0)
		return -1;
	if (!(p = workflow_new("suffixes", w, e)))
		return -1;
	snprintf(p->summary, sizeof(p->summary), "change the UPN and SPN suffixes of %s", l->name);
	snprintf(p->success, sizeof(p->success), "The UPN and SPN suffixes of %s were changed.",
		 l->name);
	s = plan_add(p, STEP_SUFFIXES_SET, l->name, "%s: set the UPN suffixes to (%zu) and the SPN "
		     "suffixes to (%zu)", l->name, d.nupn, d.nspn);
	if (!s)
		return workflow_done(p, out, workflow_full(e));
	ns_join(d.upn_suffixes, d.nupn, s->upn, sizeof(s->upn));
	ns_join(d.spn_suffixes, d.nspn, s->spn, sizeof(s->spn));
	snprintf(s->text, sizeof(s->text), "%s: set the UPN suffixes to [%.300s] and the SPN suffixes "
		 "to [%.300s]", l->name, s->upn, s->spn);
	return workflow_done(p, out, 0);
}
