/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* snapshot.c - the one reader of a domain's state (snapshot.h). */
#include "backend/exec/snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "model/caps.h"
#include "model/tdo.h"

/* The recorded health of every TDO, asked once per TDO. */
static int snapshot_health(tm_backend *be, const tm_domain *d, snapshot_part *o, tm_error *e)
{
	size_t n = o->ntdos ? o->ntdos : 1, k;

	o->health = calloc(n, sizeof(*o->health));
	o->health_when = calloc(n, sizeof(*o->health_when));
	if (!o->health || !o->health_when)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while reading %s", d->name);
	for (k = 0; k < o->ntdos; k++)
		if (be->ops->health_get(be, d, o->tdos[k].partner, &o->health[k],
					&o->health_when[k], e) < 0)
			return -1;
	return 0;
}

/* Each part the capabilities allow, in the order a server failure would
 * show first: the directory, then the KDC. */
static int snapshot_parts(tm_backend *be, const tm_domain *d, const tm_focus *f,
			  const tm_caps *c, snapshot_part *o, tm_error *e)
{
	if (caps_has(c, CAP_TDO_READ) &&
	    (backend_tdo_list_focus(be, d, f, &o->tdos, &o->ntdos, e) < 0 ||
	     snapshot_health(be, d, o, e) < 0))
		return -1;
	if (caps_has(c, CAP_ACCOUNT_LIST) &&
	    backend_account_list_focus(be, d, f, &o->accounts, &o->naccounts, e) < 0)
		return -1;
	if (caps_has(c, CAP_KEY_READ) &&
	    backend_key_list_focus(be, d, f, &o->keys, &o->nkeys, e) < 0)
		return -1;
	return 0;
}

/* Take away what the backend now says d cannot do (never grant more). */
static void snapshot_recaps(tm_backend *be, const tm_domain *d, wf_side *s)
{
	tm_caps now;
	uint32_t bit;

	be->ops->caps(be, d, &now);
	for (bit = 1; bit <= CAP_VERIFY; bit <<= 1)
		if (caps_has(&s->caps, bit) && !caps_has(&now, bit))
			caps_deny(&s->caps, (caps_bit)bit, "%s", caps_why(&now, bit));
	s->writable = caps_manage(&s->caps);
}

/* Point s at what o holds. */
static void snapshot_point(const snapshot_part *o, wf_side *s)
{
	s->tdos = o->tdos;
	s->ntdos = o->ntdos;
	s->health = o->health;
	s->accounts = o->accounts;
	s->naccounts = o->naccounts;
	s->keys = o->keys;
	s->nkeys = o->nkeys;
}

/* snapshot_read: everything d's capabilities allow, or -1. */
int snapshot_read(tm_backend *be, const tm_domain *d, snapshot_part *o, wf_side *s,
		  tm_error *e)
{
	return snapshot_read_focus(be, d, NULL, o, s, e);
}

/* snapshot_read_focus: what d's capabilities allow of what concerns f. */
int snapshot_read_focus(tm_backend *be, const tm_domain *d, const tm_focus *f,
			snapshot_part *o, wf_side *s, tm_error *e)
{
	memset(o, 0, sizeof(*o));
	memset(s, 0, sizeof(*s));
	s->dom = d;
	be->ops->caps(be, d, &s->caps);
	s->writable = caps_manage(&s->caps);
	if (snapshot_parts(be, d, f, &s->caps, o, e) < 0) {
		if (e && e->cls == TM_OK)
			error_fail(e, TM_EBACKEND, NULL, "reading %s failed", d->name);
		return -1;
	}
	/* Reading may have taught the backend more (a DC that does not let
	 * this account read trust secrets): the caps as they are now. */
	snapshot_recaps(be, d, s);
	snapshot_point(o, s);
	return 0;
}

/* snapshot_read_what_can: a failure becomes the reason of the parts lost. */
int snapshot_read_what_can(tm_backend *be, const tm_domain *d, snapshot_part *o, wf_side *s,
			   tm_error *e)
{
	return snapshot_read_what_can_focus(be, d, NULL, o, s, e);
}

/* snapshot_read_what_can_focus: the same, of what concerns f. */
int snapshot_read_what_can_focus(tm_backend *be, const tm_domain *d, const tm_focus *f,
				 snapshot_part *o, wf_side *s, tm_error *e)
{
	static const caps_bit lost[] = { CAP_TDO_READ, CAP_SECRET_READ, CAP_ACCOUNT_LIST,
					 CAP_KEY_READ };
	tm_error err;
	size_t i;

	error_clear(&err);
	if (snapshot_read_focus(be, d, f, o, s, &err) == 0)
		return 1;
	snapshot_part_free(o);
	for (i = 0; i < sizeof(lost) / sizeof(lost[0]); i++)
		if (caps_has(&s->caps, lost[i]))
			caps_deny(&s->caps, lost[i], "reading %s failed: %s", d->name, err.what);
	s->writable = 0;
	if (e)
		*e = err;
	return 0;
}

/* snapshot_part_free: secrets in the TDOs are wiped by tdo_free_array. */
void snapshot_part_free(snapshot_part *o)
{
	tdo_free_array(&o->tdos, o->ntdos);
	free(o->health);
	free(o->health_when);
	free(o->accounts);
	free(o->keys);
	memset(o, 0, sizeof(*o));
}
