/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* directory_state.c - what the real-domain backend keeps beside the
 * domains: the health of each trust and the journal of a plan, in the
 * state store (an embedded store in state_dir, store_open_state), and the
 * state that no longer matches trustmgr.conf.
 *
 * The state store holds a domain folder per configured name, made the
 * first time the domain's health or a plan needs it. A domain renamed or
 * removed in trustmgr.conf leaves its folder behind: that state is stale.
 * It never blocks the domains configured now (the state store tells
 * domains apart by name only); it is pointed out once a run, with the
 * command that clears it (`trustmgr state --clear-stale`), and an
 * interrupted plan that names such a domain is explained rather than
 * failing on an unknown name. See docs/ROBUSTNESS.md "Shared state". */
#include "backend/directory/directory_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/directory/directory_journal.h"
#include "backend/os/fsmode.h"
#include "backend/store/store.h"
#include "model/name.h"
#include "model/tdo.h"

/* Is name one of the configured domains' block names? */
static int state_configured(const dirbe *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->cfg.ndomains; i++)
		if (name_equal(b->cfg.domains[i].dom.name, name))
			return 1;
	return 0;
}

/* Say once a run that the state store holds stale domains. */
static void state_note_stale(dirbe *b, const tm_domain *v, size_t n)
{
	char msg[PATH_MAX * 2 + 1024];
	size_t i, k = 0;
	int len;

	if (b->stale_noted)
		return;
	b->stale_noted = 1;
	len = snprintf(msg, sizeof(msg), "the state folder %s still holds", b->cfg.state_dir);
	for (i = 0; i < n && len > 0 && (size_t)len < sizeof(msg); i++) {
		if (state_configured(b, v[i].name))
			continue;
		len += snprintf(msg + len, sizeof(msg) - (size_t)len, "%s %s", k ? "," : "",
				v[i].name);
		k++;
	}
	if (!k || len < 0 || (size_t)len >= sizeof(msg))
		return;
	snprintf(msg + len, sizeof(msg) - (size_t)len, ", which %s names no more (renamed or "
		 "removed): that state is not used. 'trustmgr state' shows it, 'trustmgr state "
		 "--clear-stale' removes it.", b->cfg.path);
	ldapdir_notice(msg);
}

/* directory_state_mirror: d gets its folder in the state store; remembered
 * for the process, so reading the health of thousands of trusts does not
 * list the state store each time (one listing tells of every configured
 * domain it holds). */
int directory_state_mirror(dirbe *b, const tm_domain *d, tm_error *e)
{
	tm_domain *v = NULL;
	size_t n = 0, i, j;
	int known = 0;
	long k = directory_index(b, d, e);

	if (k >= 0 && b->mirrored[k])
		return 0;
	if (b->state->ops->domain_list(b->state, &v, &n, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		known = known || name_equal(v[i].name, d->name);
		for (j = 0; j < b->cfg.ndomains; j++)
			if (name_equal(v[i].name, b->cfg.domains[j].dom.name))
				b->mirrored[j] = 1;
	}
	state_note_stale(b, v, n);
	free(v);
	if (!known && b->state->ops->domain_add(b->state, d, e) < 0)
		return -1;
	if (k >= 0)
		b->mirrored[k] = 1;
	return 0;
}

int directory_state_health_get(tm_backend *be, const tm_domain *d, const char *partner,
			       tm_health *h, long long *when, tm_error *e)
{
	dirbe *b = directory_db(be);

	*h = HEALTH_UNKNOWN;
	*when = 0;
	if (directory_state_mirror(b, d, e) < 0)
		return -1;
	return b->state->ops->health_get(b->state, d, partner, h, when, e);
}

int directory_state_health_rows(tm_backend *be, const tm_domain *d, const tm_tdo_rows *rows,
				tm_health *h, long long *when, tm_error *e)
{
	dirbe *b = directory_db(be);
	const tm_backend_ops *ops = b->state->ops;
	size_t i;

	if (directory_state_mirror(b, d, e) < 0)
		return -1;
	if (ops->health_rows)
		return ops->health_rows(b->state, d, rows, h, when, e);
	for (i = 0; i < rows->n; i++)
		if (ops->health_get(b->state, d, tdo_rows_partner(rows, i), &h[i], &when[i], e) < 0)
			return -1;
	return 0;
}

int directory_state_health_put(tm_backend *be, const tm_domain *d, const char *partner,
			       tm_health h, tm_error *e)
{
	dirbe *b = directory_db(be);

	if (directory_state_mirror(b, d, e) < 0)
		return -1;
	return b->state->ops->health_put(b->state, d, partner, h, e);
}

int directory_state_journal_step(tm_backend *be, size_t i, tm_error *e)
{
	return directory_db(be)->state->ops->journal_step(directory_db(be)->state, i, e);
}

int directory_state_journal_running(tm_backend *be, size_t from, size_t to, tm_error *e)
{
	tm_backend *st = directory_db(be)->state;

	return st->ops->journal_running(st, from, to, e);
}

int directory_state_journal_steps(tm_backend *be, size_t from, size_t to, tm_error *e)
{
	tm_backend *st = directory_db(be)->state;

	return st->ops->journal_steps(st, from, to, e);
}

int directory_state_journal_end(tm_backend *be, int ok, tm_error *e)
{
	dirbe *b = directory_db(be);

	if (b->state->ops->journal_end(b->state, ok, e) < 0)
		return -1;
	return directory_journal_forget(b->cfg.state_dir, e);
}

/* A domain the plan p changes that trustmgr.conf names no more: refused
 * with what to do (the plan can only be finished or undone where the
 * domain is configured). 0 when every domain is configured. */
static int state_plan_unconfigured(const dirbe *b, const tm_plan *p, const char *doing,
				   tm_error *e)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++) {
		const char *d = p->steps[i].domain;

		if (!d || !d[0] || state_configured(b, d))
			continue;
		error_fail(e, TM_EBACKEND, ST_NO_SUCH_DOMAIN, "the interrupted plan (%s) changes the "
			   "domain %s, which %s names no more (renamed or removed), so it cannot be %s",
			   p->op, d, b->cfg.path, doing);
		error_hint(e, "Put the block of %s back into %s under that name and run the command "
			   "again; or finish the plan with 'trustmgr resume' (it also finds a domain by "
			   "its DNS or NetBIOS name); or check %s by hand and run 'trustmgr discard'.",
			   d, b->cfg.path, d);
		return -1;
	}
	return 0;
}

/* The state store's interrupted plan, once the before-images of the real
 * domains were checked too (directory_journal_check). */
int directory_state_journal_pending(tm_backend *be, tm_plan **p, journal_info *info, tm_error *e)
{
	dirbe *b = directory_db(be);

	if (b->state->ops->journal_pending(b->state, p, info, e) < 0)
		return -1;
	if (*p && !info->failed && directory_journal_check(b->cfg.state_dir, e) < 0) {
		plan_free(p);
		return -1;
	}
	return 0;
}

/* Roll back from the before-images directory_journal_capture kept
 * (directory_journal.h), then the local state (health) through the state
 * store's own journal. */
int directory_state_journal_rollback(tm_backend *be, tm_error *e)
{
	dirbe *b = directory_db(be);
	tm_plan *p = NULL;
	journal_info info;
	int rc;

	if (b->state->ops->journal_pending(b->state, &p, &info, e) < 0)
		return -1;
	if (!p)
		return error_fail(e, TM_EUSAGE, NULL, "there is no interrupted plan to roll back");
	rc = state_plan_unconfigured(b, p, "rolled back", e);
	if (rc == 0)
		/* Steps run side by side may have run unmarked: taken as run. */
		rc = directory_journal_restore(be, b->cfg.state_dir, p,
					       info.reach > info.done ? info.reach - 1 : info.done, e);
	plan_free(&p);
	if (rc < 0 || b->state->ops->journal_rollback(b->state, e) < 0)
		return -1;
	return directory_journal_forget(b->cfg.state_dir, e);
}

int directory_state_journal_discard(tm_backend *be, tm_error *e)
{
	dirbe *b = directory_db(be);

	if (b->state->ops->journal_discard(b->state, e) < 0)
		return -1;
	return directory_journal_forget(b->cfg.state_dir, e);
}

/* discard --force: the state store moves its journal folder aside, the
 * real domains' before-images (journal/directory/) included. */
int directory_state_journal_set_aside(tm_backend *be, char *where, size_t n, tm_error *e)
{
	dirbe *b = directory_db(be);

	return b->state->ops->journal_set_aside(b->state, where, n, e);
}

/* directory_state_show: the state folder, shared or not, its stale domains. */
int directory_state_show(tm_backend *be, tm_state_info *out, tm_error *e)
{
	dirbe *b = directory_db(be);
	tm_domain *v = NULL;
	tm_plan *p = NULL;
	journal_info info;
	size_t n = 0, i;

	memset(out, 0, sizeof(*out));
	snprintf(out->dir, sizeof(out->dir), "%s", b->cfg.state_dir);
	out->shared = fsmode_is_shared_dir(b->cfg.state_dir);
	if (b->state->ops->domain_list(b->state, &v, &n, e) < 0)
		return -1;
	if (b->state->ops->journal_pending(b->state, &p, &info, e) < 0) {
		free(v);
		return -1;
	}
	out->ndomains = n;
	for (i = 0; i < n; i++) {
		if (state_configured(b, v[i].name))
			continue;
		if (out->nstale < TM_STATE_STALE_MAX) {
			snprintf(out->stale[out->nstale], DOMAIN_KEY_MAX, "%s", v[i].name);
			out->stale_in_plan[out->nstale] = p && plan_touches(p, v[i].name);
		}
		out->nstale++;
	}
	plan_free(&p);
	free(v);
	return 0;
}

/* directory_state_forget: only the state of a domain trustmgr.conf does not name. */
int directory_state_forget(tm_backend *be, const char *name, tm_error *e)
{
	dirbe *b = directory_db(be);

	if (state_configured(b, name)) {
		error_fail(e, TM_EREFUSED, ST_INVALID_DOMAIN_STATE, "%s is a domain of %s: its state "
			   "is in use and is not stale", name, b->cfg.path);
		error_hint(e, "Only the state of domains the configuration names no more is cleared.");
		return -1;
	}
	return store_forget_state(b->state, name, e);
}
