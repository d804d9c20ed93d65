/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* diagnose.c - gather the health_input of every known domain through the
 * ops table, verifying each direction of the trusts in scope. */
#include "backend/exec/diagnose.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/config/config.h"
#include "model/sid.h"
#include "model/tdo.h"

/* ---- reading the domains ------------------------------------------------------ */

static void diagnose_note(diag_snapshot *s, const tm_error *e)
{
	s->backend_failed = 1;
	if (s->failure.cls == TM_OK)
		s->failure = *e;
	if (s->failure.cls == TM_OK)
		s->failure.cls = TM_EBACKEND;
}

/* Read one domain as far as its capabilities allow; a failure is kept in
 * h->error (and in the caps it took away), not returned. */
static void diagnose_read(tm_backend *be, diag_snapshot *s, size_t i, const tm_focus *f)
{
	health_domain *h = &s->hdoms[i];
	const tm_domain *d = &s->domains[i];
	tm_error e;

	error_clear(&e);
	if (snapshot_read_what_can_focus(be, d, f, &s->owned[i], &h->side, &e)) {
		h->readable = caps_has(&h->side.caps, CAP_TDO_READ);
		return;
	}
	error_copy(h->error, sizeof(h->error), e.what);
	diagnose_note(s, &e);
}

/* One trust in scope (`repair DOMAIN PARTNER`): only's reads concern the
 * partner (f[0]), every other domain's concern only (f[1]); the findings
 * of that trust look at nothing else. Else NULL: everything is read. */
static const tm_domain *diagnose_focus(const diag_snapshot *s, const char *only,
				       const char *only_partner, tm_focus *f, char sid[2][SID_TEXT_MAX])
{
	const tm_domain *d = only && only_partner ?
			     backend_find_domain(s->domains, s->ndomains, only) : NULL;

	if (!d)
		return NULL;
	backend_focus(&f[0], backend_find_domain(s->domains, s->ndomains, only_partner),
		      only_partner, NULL, sid[0]);
	backend_focus(&f[1], d, only, NULL, sid[1]);
	return d;
}

static int diagnose_domains(tm_backend *be, diag_snapshot *s, const char *only,
			    const char *only_partner, tm_error *e)
{
	char sid[2][SID_TEXT_MAX];
	const tm_domain *focus;
	tm_focus f[2];
	size_t i;

	if (be->ops->domain_list(be, &s->domains, &s->ndomains, e) < 0)
		return -1;
	s->hdoms = calloc(s->ndomains ? s->ndomains : 1, sizeof(*s->hdoms));
	s->owned = calloc(s->ndomains ? s->ndomains : 1, sizeof(*s->owned));
	if (!s->hdoms || !s->owned)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while reading the domains");
	focus = diagnose_focus(s, only, only_partner, f, sid);
	for (i = 0; i < s->ndomains; i++)
		diagnose_read(be, s, i, !focus ? NULL : &s->domains[i] == focus ? &f[0] : &f[1]);
	return 0;
}

/* ---- scope ------------------------------------------------------------------------ */

static int diagnose_scope(diag_snapshot *s, const char *only, const char *only_partner, tm_error *e)
{
	const tm_domain *d;

	if (!only)
		return 0;
	d = backend_find_domain(s->domains, s->ndomains, only);
	if (!d) {
		error_fail(e, TM_EUSAGE, ST_NO_SUCH_DOMAIN, "%s is not a domain trustmgr knows", only);
		error_hint(e, "See the known domains with 'trustmgr domain list', or add it with "
			"'trustmgr domain add'.");
		return -1;
	}
	snprintf(s->only, sizeof(s->only), "%s", d->name);
	s->in.only = s->only;
	if (only_partner) {
		snprintf(s->only_partner, sizeof(s->only_partner), "%s", only_partner);
		s->in.only_partner = s->only_partner;
	}
	return 0;
}

/* ---- checking each direction ------------------------------------------------------ */

/* A direction is checked from a client of its trusted side b: when
 * trustmgr cannot be one, r says so (VERIFY_NOT_RUN) and 1 is returned. */
static int diagnose_cannot_verify(tm_backend *be, const tm_domain *b, verify_result *r)
{
	tm_caps c;

	be->ops->caps(be, b, &c);
	if (caps_has(&c, CAP_VERIFY))
		return 0;
	r->outcome = VERIFY_NOT_RUN;
	error_copy(r->detail, sizeof(r->detail), caps_why(&c, CAP_VERIFY));
	return 1;
}

static void diagnose_check_one(tm_backend *be, diag_snapshot *s, const health_dir *hd,
			   verify_result *r)
{
	const tm_domain *a = backend_find_domain(s->domains, s->ndomains, hd->trusting);
	const tm_domain *b = backend_find_domain(s->domains, s->ndomains, hd->trusted);
	tm_error e;

	memset(r, 0, sizeof(*r));
	error_clear(&e);
	if (a && b && diagnose_cannot_verify(be, b, r)) {
		/* said in the finding: not a failure of the servers */
	} else if (!a || !b || be->ops->verify(be, a, b, r, &e) < 0) {
		memset(r, 0, sizeof(*r));
		r->outcome = VERIFY_UNREACHABLE;
		error_copy(r->detail, sizeof(r->detail),
			e.what[0] ? e.what : "the domain is no longer known");
		snprintf(r->missing_on, sizeof(r->missing_on), "%s", hd->trusted);
		if (e.cls == TM_OK)
			e.cls = TM_EBACKEND;
		/* A partner known only by its names cannot always be checked
		 * from here: that is said in the finding, not a failure. */
		if (a && b && backend_writable(be, a) && backend_writable(be, b))
			diagnose_note(s, &e);
	}
	snprintf(r->trusting, sizeof(r->trusting), "%s", hd->trusting);
	snprintf(r->trusted, sizeof(r->trusted), "%s", hd->trusted);
}

static int diagnose_checks(tm_backend *be, diag_snapshot *s, tm_error *e)
{
	health_dir *dirs = NULL;
	size_t n = 0, i;

	if (health_directions(&s->in, &dirs, &n, e) < 0)
		return -1;
	s->checks = calloc(n ? n : 1, sizeof(*s->checks));
	if (!s->checks) {
		free(dirs);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while checking the trusts");
	}
	for (i = 0; i < n; i++)
		diagnose_check_one(be, s, &dirs[i], &s->checks[i]);
	s->nchecks = n;
	s->in.checks = s->checks;
	s->in.nchecks = n;
	free(dirs);
	return 0;
}

/* diagnose_gather: every domain read, every direction in scope verified. */
int diagnose_gather(tm_backend *be, const char *only, const char *only_partner, long long now,
		int rotation_days, diag_snapshot *out, tm_error *e)
{
	memset(out, 0, sizeof(*out));
	error_clear(&out->failure);
	out->in.now = now;
	out->in.rotation_days = rotation_days;
	if (diagnose_domains(be, out, only, only_partner, e) < 0)
		return -1;
	out->in.domains = out->hdoms;
	out->in.ndomains = out->ndomains;
	if (diagnose_scope(out, only, only_partner, e) < 0)
		return -1;
	return diagnose_checks(be, out, e);
}

/* diagnose_free: everything diagnose_gather allocated. */
void diagnose_free(diag_snapshot *s)
{
	size_t i;

	for (i = 0; s->owned && i < s->ndomains; i++)
		snapshot_part_free(&s->owned[i]);
	free(s->owned);
	free(s->hdoms);
	free(s->checks);
	free(s->domains);
	memset(s, 0, sizeof(*s));
}

/* ---- clock and policy ------------------------------------------------------------ */

/* diagnose_rotation_days: trustmgr.conf's rotation_days, else the default. */
int diagnose_rotation_days(const backend_choice *c, int *days, tm_error *e)
{
	tm_config cfg;

	*days = HEALTH_ROTATION_DAYS_DEFAULT;
	if (!c->config[0])
		return 0;
	memset(&cfg, 0, sizeof(cfg));
	if (config_load(c->config, &cfg, e) < 0) {
		config_free(&cfg);
		return -1;
	}
	*days = cfg.rotation_days;
	config_free(&cfg);
	return 0;
}
