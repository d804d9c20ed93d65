/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* exec_gate.c - refuse, before anything is written, a plan with a step that
 * its domain does not allow (exec.h, model/caps.h). */
#include <stdio.h>
#include <stdlib.h>

#include "backend/exec/exec.h"
#include "model/caps.h"

/* The capability a step needs of its domain; 0 when none (protocol steps
 * such as prove and key change act as a client; health is local state;
 * verify reports for itself when it cannot run). */
static uint32_t exec_gate_need(step_kind k)
{
	switch (k) {
	case STEP_TDO_PUT:
	case STEP_TDO_DELETE:
	case STEP_SUFFIXES_SET:
		return CAP_TDO_WRITE;
	case STEP_KEY_SET:
	case STEP_KEY_DELETE:
	case STEP_KEY_PLAIN:
		return CAP_KEY_SET;
	case STEP_ACCOUNT_PUT:
	case STEP_ACCOUNT_DELETE:
		return CAP_ACCOUNT_WRITE;
	case STEP_PROVE:
	case STEP_KEY_CHANGE:
	case STEP_HEALTH:
	case STEP_VERIFY:
		break;
	}
	return 0;
}

/* The refusal for step i on d. */
static int exec_gate_refuse(const tm_plan *p, size_t i, const tm_domain *d, uint32_t need,
			    const tm_caps *c, tm_error *e)
{
	error_fail(e, TM_EREFUSED, ST_ACCESS_DENIED,
		   "%s was not started: step %zu (%s) needs trustmgr to %s of %s, and it cannot: %s. "
		   "Nothing was changed", p->op, i + 1, p->steps[i].text, caps_what((caps_bit)need),
		   d->name, caps_why(c, need));
	error_hint(e, "Give trustmgr the credentials it lacks for %s in trustmgr.conf (see "
		   "trustmgr(8)), or let %s's administrator make that side's change.", d->name,
		   d->name);
	return -1;
}

/* A TDO step for a partner without a SID on a DC that makes none such (a
 * Samba DC and a plain MIT realm): refused, naming what would do it. */
static int exec_gate_sidless(const tm_plan *p, size_t i, const tm_domain *d, tm_error *e)
{
	const plan_step *s = &p->steps[i];

	error_fail(e, TM_EREFUSED, ST_NOT_SUPPORTED,
		   "%s was not started: step %zu (%s) needs %s's domain controller to create a "
		   "trusted domain object for %s, which has no SID (a plain Kerberos realm), and %s's "
		   "DC is Samba, whose LSA server creates trusted domain objects only with a SID "
		   "(STATUS_INVALID_SID). Nothing was changed", p->op, i + 1, s->text, d->name,
		   s->partner, d->name);
	error_hint(e, "A Samba DC cannot hold a trust with a plain MIT realm. On a Windows DC "
		   "the same trust is made with netdom trust %s /domain:%s /add /realm "
		   "/passwordt:*, after which trustmgr sets the realm's side alone: trustmgr "
		   "create %s %s --sides local --type mit --password-file FILE (the same "
		   "password).", d->dns[0] ? d->dns : d->name, s->partner, s->partner, d->name);
	return -1;
}

/* A suffix step where the backend keeps no suffixes (yet). */
static int exec_gate_suffixes(const tm_plan *p, size_t i, const tm_domain *d, tm_error *e)
{
	error_fail(e, TM_EREFUSED, ST_NOT_SUPPORTED,
		   "%s was not started: step %zu (%s) changes the UPN and SPN suffixes %s holds, "
		   "which this backend does not keep. Nothing was changed",
		   p->op, i + 1, p->steps[i].text, d->name);
	error_hint(e, "Change uPNSuffixes (and msDS-SPNSuffixes) in %s's directory with its own "
		   "tools.", d->name);
	return -1;
}

/* exec_gate: every step from `from` on is checked against its domain. */
int exec_gate(tm_backend *be, const tm_plan *p, size_t from, const tm_domain *domains,
	      size_t ndomains, tm_error *e)
{
	size_t i;

	for (i = from; i < p->nsteps; i++) {
		uint32_t need = exec_gate_need(p->steps[i].kind);
		const tm_domain *d;
		tm_caps c;

		if (!need || !(d = backend_find_domain(domains, ndomains, p->steps[i].domain)))
			continue;
		be->ops->caps(be, d, &c);
		if (!caps_has(&c, need))
			return exec_gate_refuse(p, i, d, need, &c, e);
		if (p->steps[i].kind == STEP_SUFFIXES_SET && !be->ops->suffixes_put)
			return exec_gate_suffixes(p, i, d, e);
		if (p->steps[i].kind == STEP_TDO_PUT && c.tdo_needs_sid && !p->steps[i].tdo.has_sid)
			return exec_gate_sidless(p, i, d, e);
	}
	return 0;
}

/* exec_fit: fold the key and trust-account steps of every domain whose KDC
 * derives them from its TDOs into those TDO writes. Only the domains the
 * plan names are asked: finding out may mean reaching a domain's directory
 * (whether it is Active Directory), which the others need not be. */
void exec_fit(tm_backend *be, tm_plan *p, const tm_domain *domains, size_t ndomains)
{
	size_t i;

	for (i = 0; i < ndomains; i++) {
		tm_caps c;

		if (!plan_touches(p, domains[i].name))
			continue;
		be->ops->caps(be, &domains[i], &c);
		if (c.keys_from_tdo)
			plan_fold_into_tdo(p, domains[i].name);
	}
}

int exec_fit_all(tm_backend *be, tm_plan *p, tm_error *e)
{
	tm_domain *v = NULL;
	size_t n = 0;

	if (be->ops->domain_list(be, &v, &n, e) < 0)
		return -1;
	exec_fit(be, p, v, n);
	free(v);
	return 0;
}
