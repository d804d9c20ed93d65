/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* world.c - read the snapshot a workflow plans against, through the ops table. */
#include "backend/exec/world.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/domain.h"
#include "model/secret.h"
#include "model/sid.h"
#include "model/tdo.h"

static int world_unknown(const char *name, tm_error *e)
{
	error_fail(e, TM_EUSAGE, ST_NO_SUCH_DOMAIN, "%s is not a domain trustmgr knows", name);
	error_hint(e, "See the known domains with 'trustmgr domain list', or add it with 'trustmgr domain add'.");
	return -1;
}

/* Side i (0 local, 1 partner) of wl. The local side is read as far as its
 * capabilities allow. A partner is read only when trustmgr manages it in
 * full: the plans change a partner's side only then, and otherwise treat it
 * as known by its names (its caps still say what it allows, for the gate
 * and for verification). */
static int world_side(tm_backend *be, world *wl, int i, const tm_domain *d, const tm_focus *f,
		      tm_error *e)
{
	wf_side *s = i == 0 ? &wl->w.local : &wl->w.partner;

	if (i == 0 || backend_writable(be, d))
		return snapshot_read_focus(be, d, f, &wl->part[i], s, e);
	memset(s, 0, sizeof(*s));
	s->dom = d;
	be->ops->caps(be, d, &s->caps);
	return 0;
}

/* Open the sessions both sides will be read through, side by side (a
 * partner is read only when trustmgr manages it: world_side). */
static void world_open(tm_backend *be, const tm_domain *l, const tm_domain *p)
{
	const tm_domain *v[2] = { l, p };

	if (be->ops->open_sessions && p && backend_writable(be, p))
		be->ops->open_sessions(be, v, 2);
}

/* The domains, and the local one among them (*l). 0, or -1 with e. */
static int world_begin(tm_backend *be, const char *local, world *out, const tm_domain **l,
		       tm_error *e)
{
	memset(out, 0, sizeof(*out));
	out->w.now = (long long)time(NULL);
	if (be->ops->domain_list(be, &out->domains, &out->ndomains, e) < 0)
		return -1;
	out->w.domains = out->domains;
	out->w.ndomains = out->ndomains;
	*l = backend_find_domain(out->domains, out->ndomains, local);
	return *l ? 0 : world_unknown(local, e);
}

int world_load(tm_backend *be, const char *local, const char *partner,
	       int partner_may_be_unknown, world *out, tm_error *e)
{
	return world_load_named(be, local, partner, partner_may_be_unknown, NULL, out, e);
}

/* world_load_named: with a partner, each side reads only what concerns
 * the other (its names, the name given, also). */
int world_load_named(tm_backend *be, const char *local, const char *partner,
		     int partner_may_be_unknown, const char *also, world *out, tm_error *e)
{
	char sid[2][SID_TEXT_MAX];
	const tm_domain *l, *p = NULL;
	tm_focus f[2];

	if (world_begin(be, local, out, &l, e) < 0)
		return -1;
	if (!partner)
		return world_side(be, out, 0, l, NULL, e);
	p = backend_find_domain(out->domains, out->ndomains, partner);
	if (!p && !partner_may_be_unknown)
		return world_unknown(partner, e);
	out->w.partner_name = partner;
	backend_focus(&f[0], p, partner, also, sid[0]);
	backend_focus(&f[1], l, local, NULL, sid[1]);
	world_open(be, l, p);
	if (world_side(be, out, 0, l, &f[0], e) < 0)
		return -1;
	return p ? world_side(be, out, 1, p, &f[1], e) : 0;
}

/* world_forest_names: see world.h. */
int world_forest_names(tm_backend *be, tm_domain *v, size_t n, const tm_domain *a,
		       const tm_domain *b, tm_error *e)
{
	size_t i;

	if (!be->ops->suffixes_get)
		return 0;
	for (i = 0; i < n; i++) {
		tm_domain *d = &v[i];

		if (!(a && (d == a || domain_same_forest(d, a))) &&
		    !(b && (d == b || domain_same_forest(d, b))))
			continue;
		if (d->kind == DOMAIN_AD && backend_writable(be, d) &&
		    be->ops->suffixes_get(be, d, e) < 0)
			return -1;
	}
	return 0;
}

/* world_load_forest: local in full, the partner known by its names. */
int world_load_forest(tm_backend *be, const char *local, const char *partner, world *out,
		      tm_error *e)
{
	const tm_domain *l, *p;

	if (world_begin(be, local, out, &l, e) < 0 || world_side(be, out, 0, l, NULL, e) < 0)
		return -1;
	out->w.partner_name = partner;
	p = backend_find_domain(out->domains, out->ndomains, partner);
	if (p) {
		out->w.partner.dom = p;
		be->ops->caps(be, p, &out->w.partner.caps);
	}
	return world_forest_names(be, out->domains, out->ndomains, l, p, e);
}

/* A backend without tdo_list_public: its full TDOs, kept only as rows. */
static int world_rows_from_tdos(tm_backend *be, const tm_domain *d, tm_tdo_rows *rows,
				tm_error *e)
{
	tm_tdo *v = NULL;
	size_t n = 0, i;
	int rc = 0;

	if (be->ops->tdo_list(be, d, &v, &n, e) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		if (tdo_rows_add(rows, &v[i]) < 0)
			rc = error_fail(e, TM_EBACKEND, NULL, "out of memory");
	tdo_free_array(&v, n);
	return rc;
}

/* The health of every row: in one call when the backend can, else by row. */
static int world_list_health(tm_backend *be, const tm_domain *d, const tm_tdo_rows *r,
			     tm_health *h, long long *when, tm_error *e)
{
	size_t k;

	if (be->ops->health_rows)
		return be->ops->health_rows(be, d, r, h, when, e);
	for (k = 0; k < r->n; k++)
		if (be->ops->health_get(be, d, tdo_rows_partner(r, k), &h[k], &when[k], e) < 0)
			return -1;
	return 0;
}

/* The local side for a listing: TDO rows and their health, each asked once. */
static int world_list_side(tm_backend *be, world *wl, const tm_domain *d, tm_error *e)
{
	tm_tdo_rows *r = &wl->rows;
	size_t n;
	int rc;

	wl->w.local.dom = d;
	be->ops->caps(be, d, &wl->w.local.caps);
	wl->w.local.writable = caps_manage(&wl->w.local.caps);
	rc = be->ops->tdo_list_public ? be->ops->tdo_list_public(be, d, r, e)
				      : world_rows_from_tdos(be, d, r, e);
	if (rc < 0)
		return -1;
	n = r->n ? r->n : 1;
	wl->list_health = calloc(n, sizeof(*wl->list_health));
	wl->list_when = calloc(n, sizeof(*wl->list_when));
	if (!wl->list_health || !wl->list_when)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	wl->w.local.health = wl->list_health;
	return world_list_health(be, d, r, wl->list_health, wl->list_when, e);
}

int world_load_list(tm_backend *be, const char *local, world *out, tm_error *e)
{
	const tm_domain *l;

	if (world_begin(be, local, out, &l, e) < 0)
		return -1;
	return world_list_side(be, out, l, e);
}

void world_free(world *wl)
{
	snapshot_part_free(&wl->part[0]);
	snapshot_part_free(&wl->part[1]);
	free(wl->list_health);
	free(wl->list_when);
	free(wl->domains);
	tdo_rows_free(&wl->rows);
	memset(wl, 0, sizeof(*wl));
}

/* ---- a domain and every other known domain ------------------------------ */

/* Copy src into dst (size n), cut to fit. */
static void world_note(char *dst, size_t n, const char *src)
{
	size_t len = strnlen(src, n - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Peer d: read in full when trustmgr manages it (a failure is kept as its
 * problem), else known by its names. */
static void world_peer(tm_backend *be, const tm_domain *d, world *wl, wf_peer *pe)
{
	tm_error e;

	memset(pe, 0, sizeof(*pe));
	memset(wl, 0, sizeof(*wl));
	pe->side.dom = d;
	be->ops->caps(be, d, &pe->side.caps);
	pe->side.writable = caps_manage(&pe->side.caps);
	error_clear(&e);
	if (!pe->side.writable)
		return;                /* known by its names: see world_side */
	if (snapshot_read(be, d, &wl->part[0], &pe->side, &e) < 0) {
		snapshot_part_free(&wl->part[0]);
		memset(&pe->side, 0, sizeof(pe->side));
		pe->side.dom = d;
		be->ops->caps(be, d, &pe->side.caps);
		pe->side.writable = 1;
		world_note(pe->problem, sizeof(pe->problem), e.what[0] ? e.what : "it could not be read");
		return;
	}
	pe->read = 1;
}

int world_load_all(tm_backend *be, const char *local, world_all *out, tm_error *e)
{
	size_t i, n;

	memset(out, 0, sizeof(*out));
	if (world_load(be, local, NULL, 0, &out->home, e) < 0)
		return -1;
	n = out->home.ndomains;
	out->each = calloc(n ? n : 1, sizeof(*out->each));
	out->peers = calloc(n ? n : 1, sizeof(*out->peers));
	if (!out->each || !out->peers)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	for (i = 0; i < n; i++) {
		const tm_domain *d = &out->home.domains[i];

		if (d == out->home.w.local.dom)
			continue;
		world_peer(be, d, &out->each[out->npeers], &out->peers[out->npeers]);
		out->npeers++;
	}
	out->m.domains = out->home.w.domains;
	out->m.ndomains = out->home.w.ndomains;
	out->m.home = out->home.w.local;
	out->m.peers = out->peers;
	out->m.npeers = out->npeers;
	out->m.now = out->home.w.now;
	return 0;
}

void world_all_free(world_all *wa)
{
	size_t i;

	for (i = 0; wa->each && i < wa->npeers; i++)
		world_free(&wa->each[i]);
	free(wa->each);
	free(wa->peers);
	world_free(&wa->home);
	memset(wa, 0, sizeof(*wa));
}
