/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* namespace.c - refresh and administrative changes of forest trust
 * information (namespace.h); the collisions are in namespace_collide.c. */
#include "model/namespace.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/name.h"

/* namespace_request_changes: see namespace.h. */
int namespace_request_changes(const namespace_request *r)
{
	return r->refresh == 2 || r->enable_all || r->add_tln_ex.n || r->delete_tln_ex.n ||
	       r->enable_tln.n || r->disable_tln.n || r->enable_nb.n || r->disable_nb.n ||
	       r->enable_sid.n || r->disable_sid.n;
}

/* Length of a DNS name without a trailing dot. */
static size_t dns_len(const char *s)
{
	size_t n = strlen(s);

	return n && s[n - 1] == '.' ? n - 1 : n;
}

/* namespace_dns_under: equal, or sub ends with "." + sup. */
int namespace_dns_under(const char *sub, const char *sup)
{
	size_t a, b;

	if (!sub || !sup)
		return 0;
	a = dns_len(sub);
	b = dns_len(sup);
	if (!b || a < b || strncasecmp(sub + a - b, sup, b) != 0)
		return 0;
	return a == b || sub[a - b - 1] == '.';
}

/* Is name below (or equal to) another name of v, other than v[self]? A
 * duplicate counts only against an earlier one. */
static int covered(const char *const *v, size_t n, size_t self, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i == self || !namespace_dns_under(name, v[i]))
			continue;
		if (!namespace_dns_under(v[i], name) || i < self)
			return 1;
	}
	return 0;
}

/* namespace_tlns: the names of f (domains, then suffixes) none covers. */
int namespace_tlns(const namespace_forest *f, char **out, size_t max)
{
	const char **all;
	size_t n = 0, i, k = 0;

	all = calloc(f->ndomains + f->nsuffixes + 1, sizeof(*all));
	if (!all)
		return -1;
	for (i = 0; i < f->ndomains; i++)
		if (f->domains[i].dns && f->domains[i].dns[0])
			all[n++] = f->domains[i].dns;
	for (i = 0; i < f->nsuffixes; i++)
		if (f->suffixes[i] && f->suffixes[i][0])
			all[n++] = f->suffixes[i];
	for (i = 0; i < n && k < max; i++) {
		if (covered(all, n, i, all[i]))
			continue;
		if (!(out[k] = strdup(all[i]))) {
			while (k)
				free(out[--k]);
			free(all);
			return -1;
		}
		k++;
	}
	free(all);
	return (int)k;
}

/* ---- records ---------------------------------------------------------- */

static fti_record *find_name(fti_info *fi, uint8_t type, const char *name)
{
	long k = forestinfo_find(fi, type, name);

	return k < 0 ? NULL : &fi->records[k];
}

static fti_record *find_netbios(fti_info *fi, const char *nb)
{
	size_t i;

	for (i = 0; i < fi->count; i++)
		if (fi->records[i].type == FTI_DOMAIN_INFO && fi->records[i].netbios &&
		    name_equal(fi->records[i].netbios, nb))
			return &fi->records[i];
	return NULL;
}

static fti_record *find_sid(fti_info *fi, const tm_sid *sid)
{
	size_t i;

	for (i = 0; i < fi->count; i++)
		if (fi->records[i].type == FTI_DOMAIN_INFO && sid_equal(&fi->records[i].sid, sid))
			return &fi->records[i];
	return NULL;
}

/* Set rec's flags; a change stamps the time. */
static void set_flags(fti_record *rec, uint32_t flags, int64_t now)
{
	if (rec->flags != flags) {
		rec->flags = flags;
		rec->timestamp = now;
	}
}

/* Append a record (strings copied); returns it or NULL (ENOMEM). */
static fti_record *append(fti_info *fi, uint8_t type, const char *name, const char *nb,
			  const tm_sid *sid, uint32_t flags, int64_t now)
{
	fti_record *v, *r;

	if (fi->count >= FTI_MAX_RECORDS)
		return NULL;
	v = realloc(fi->records, (fi->count + 1) * sizeof(*v));
	if (!v)
		return NULL;
	fi->records = v;
	r = &v[fi->count];
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->flags = flags;
	r->timestamp = now;
	r->name = strdup(name);
	r->netbios = nb ? strdup(nb) : NULL;
	if (sid)
		r->sid = *sid;
	fi->count++;
	if (!r->name || (nb && !r->netbios))
		return NULL;
	return r;
}

/* Drop record i, keeping the order of the others. */
static void drop(fti_info *fi, size_t i)
{
	forestinfo_record_free(&fi->records[i]);
	memmove(&fi->records[i], &fi->records[i + 1], (fi->count - i - 1) * sizeof(fi->records[0]));
	fi->count--;
}

static int oom(tm_error *e)
{
	return error_fail(e, TM_EFAIL, NULL, "Out of memory changing the forest trust information.");
}

/* ---- refresh ---------------------------------------------------------- */

static int published_tln(char *const *tlns, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (name_equal(tlns[i], name))
			return 1;
	return 0;
}

static const namespace_domain *published_domain(const namespace_forest *f, const fti_record *r)
{
	size_t i;

	for (i = 0; i < f->ndomains; i++)
		if (f->domains[i].sid && sid_equal(f->domains[i].sid, &r->sid) &&
		    name_equal(f->domains[i].dns, r->name))
			return &f->domains[i];
	return NULL;
}

static int under_any_tln(const fti_info *fi, const char *name)
{
	size_t i;

	for (i = 0; i < fi->count; i++)
		if (fi->records[i].type == FTI_TOP_LEVEL_NAME &&
		    namespace_dns_under(name, fi->records[i].name) &&
		    !name_equal(name, fi->records[i].name))
			return 1;
	return 0;
}

/* Drop what the partner no longer publishes; returns how many. */
static int refresh_drop(fti_info *fi, const namespace_forest *f, char *const *tlns, size_t n)
{
	size_t i = 0;
	int changed = 0;

	while (i < fi->count) {
		const fti_record *r = &fi->records[i];
		int gone = (r->type == FTI_TOP_LEVEL_NAME && !published_tln(tlns, n, r->name)) ||
			   (r->type == FTI_DOMAIN_INFO && !published_domain(f, r));

		if (gone) {
			drop(fi, i);
			changed++;
		} else {
			i++;
		}
	}
	for (i = 0; i < fi->count;) {
		if (fi->records[i].type == FTI_TOP_LEVEL_NAME_EX &&
		    !under_any_tln(fi, fi->records[i].name)) {
			drop(fi, i);
			changed++;
		} else {
			i++;
		}
	}
	return changed;
}

/* Add what is new: TLNs disabled as new, domains enabled. */
static int refresh_add(fti_info *fi, const namespace_forest *f, char *const *tlns, size_t n,
		       int64_t now)
{
	size_t i;
	int added = 0;

	for (i = 0; i < n; i++) {
		if (find_name(fi, FTI_TOP_LEVEL_NAME, tlns[i]))
			continue;
		if (!append(fi, FTI_TOP_LEVEL_NAME, tlns[i], NULL, NULL, FTI_TLN_DISABLED_NEW, now))
			return -1;
		added++;
	}
	for (i = 0; i < f->ndomains; i++) {
		const namespace_domain *d = &f->domains[i];

		if (!d->sid || !d->dns || !d->dns[0] || find_sid(fi, d->sid))
			continue;
		if (!append(fi, FTI_DOMAIN_INFO, d->dns, d->netbios ? d->netbios : "", d->sid, 0, now))
			return -1;
		added++;
	}
	return added;
}

/* namespace_refresh: see namespace.h. */
int namespace_refresh(fti_info *fi, const namespace_forest *published, int64_t now,
		      tm_error *e)
{
	char *tlns[FTI_MAX_RECORDS];
	int n = namespace_tlns(published, tlns, FTI_MAX_RECORDS), dropped, added;

	if (n < 0)
		return oom(e);
	dropped = refresh_drop(fi, published, tlns, (size_t)n);
	added = refresh_add(fi, published, tlns, (size_t)n, now);
	while (n > 0)
		free(tlns[--n]);
	if (added < 0)
		return oom(e);
	return dropped + added;
}

/* ---- administrative changes -------------------------------------------- */

static int not_held(tm_error *e, const char *what, const char *name)
{
	error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_NOT_FOUND,
		   "The forest trust information holds no %s %s.", what, name);
	error_hint(e, "Show the records with 'trustmgr namespaces DOMAIN PARTNER'; "
		      "'--refresh store' takes what the partner forest publishes.");
	return -1;
}

static int enable_all(fti_info *fi, int64_t now)
{
	size_t i;

	for (i = 0; i < fi->count; i++) {
		fti_record *r = &fi->records[i];

		if (r->type == FTI_TOP_LEVEL_NAME)
			set_flags(r, r->flags & ~(FTI_TLN_DISABLED_NEW | FTI_TLN_DISABLED_ADMIN), now);
		else if (r->type == FTI_DOMAIN_INFO)
			set_flags(r, r->flags & ~(FTI_SID_DISABLED_ADMIN | FTI_NB_DISABLED_ADMIN), now);
	}
	return 0;
}

/* An exclusion must be strictly below one of fi's TLNs and not held yet. */
static int add_exclusion(fti_info *fi, const char *name, int64_t now, tm_error *e)
{
	if (name_check_dns(name, e) < 0)
		return -1;
	if (find_name(fi, FTI_TOP_LEVEL_NAME_EX, name))
		return error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_COLLISION,
				  "The TLN exclusion %s is already there.", name);
	if (!under_any_tln(fi, name)) {
		error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			   "The TLN exclusion %s is not below any top-level name of this trust.", name);
		error_hint(e, "An exclusion names a DNS name below one of the trust's TLNs "
			      "(sales.partner.example below partner.example).");
		return -1;
	}
	return append(fi, FTI_TOP_LEVEL_NAME_EX, name, NULL, NULL, 0, now) ? 0 : oom(e);
}

static int delete_exclusion(fti_info *fi, const char *name, tm_error *e)
{
	fti_record *r = find_name(fi, FTI_TOP_LEVEL_NAME_EX, name);

	if (!r)
		return not_held(e, "TLN exclusion", name);
	drop(fi, (size_t)(r - fi->records));
	return 0;
}

static int toggle_tln(fti_info *fi, const char *name, int enable, int64_t now, tm_error *e)
{
	fti_record *r = find_name(fi, FTI_TOP_LEVEL_NAME, name);
	uint32_t f;

	if (!r)
		return not_held(e, "top-level name", name);
	f = r->flags & ~(FTI_TLN_DISABLED_NEW | FTI_TLN_DISABLED_ADMIN);
	set_flags(r, enable ? f : f | FTI_TLN_DISABLED_ADMIN, now);
	return 0;
}

static int toggle_nb(fti_info *fi, const char *nb, int enable, int64_t now, tm_error *e)
{
	fti_record *r = find_netbios(fi, nb);

	if (!r)
		return not_held(e, "domain with the NetBIOS name", nb);
	set_flags(r, enable ? r->flags & ~FTI_NB_DISABLED_ADMIN : r->flags | FTI_NB_DISABLED_ADMIN,
		  now);
	return 0;
}

static int toggle_sid(fti_info *fi, const char *text, int enable, int64_t now, tm_error *e)
{
	tm_sid sid;
	fti_record *r;

	if (sid_parse(text, &sid, e) < 0)
		return -1;
	if (!(r = find_sid(fi, &sid)))
		return not_held(e, "domain with the SID", text);
	set_flags(r, enable ? r->flags & ~FTI_SID_DISABLED_ADMIN : r->flags | FTI_SID_DISABLED_ADMIN,
		  now);
	return 0;
}

typedef int (*list_fn)(fti_info *fi, const char *arg, int on, int64_t now, tm_error *e);

static int ex_add(fti_info *fi, const char *a, int on, int64_t now, tm_error *e)
{
	(void)on;
	return add_exclusion(fi, a, now, e);
}

static int ex_delete(fti_info *fi, const char *a, int on, int64_t now, tm_error *e)
{
	(void)on;
	(void)now;
	return delete_exclusion(fi, a, e);
}

static int each(fti_info *fi, const namespace_list *l, list_fn fn, int on, int64_t now,
		tm_error *e)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (fn(fi, l->v[i], on, now, e) < 0)
			return -1;
	return 0;
}

/* namespace_apply: the order of namespace.h. */
int namespace_apply(fti_info *fi, const namespace_request *r, int64_t now, tm_error *e)
{
	if (r->enable_all)
		enable_all(fi, now);
	if (each(fi, &r->add_tln_ex, ex_add, 1, now, e) < 0 ||
	    each(fi, &r->delete_tln_ex, ex_delete, 0, now, e) < 0 ||
	    each(fi, &r->enable_tln, toggle_tln, 1, now, e) < 0 ||
	    each(fi, &r->disable_tln, toggle_tln, 0, now, e) < 0 ||
	    each(fi, &r->enable_nb, toggle_nb, 1, now, e) < 0 ||
	    each(fi, &r->disable_nb, toggle_nb, 0, now, e) < 0 ||
	    each(fi, &r->enable_sid, toggle_sid, 1, now, e) < 0 ||
	    each(fi, &r->disable_sid, toggle_sid, 0, now, e) < 0)
		return -1;
	return 0;
}
