/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* audit_plan.c - audit records of plans, resumes and rollbacks (audit_plan.h). */
#include "backend/audit/audit_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/audit/audit.h"

static int audit_plan_on(const tm_backend *be)
{
	return be && (be->audit.file[0] || be->audit.syslog);
}

/* The plan's fields and secrets (withheld wherever they would appear). */
static void audit_plan_event(const tm_plan *p, const char *event, const char *result,
			     audit_event *ev)
{
	int i;

	memset(ev, 0, sizeof(*ev));
	ev->when = (long long)time(NULL);
	ev->event = event;
	ev->result = result;
	ev->op = p->op;
	ev->domain = p->domain;
	ev->partner = p->partner;
	ev->done = -1;
	for (i = 0; i < PLAN_MAX_SLOTS && i < AUDIT_MAX_SECRETS; i++)
		ev->secrets[i] = p->slots[i].value;
}

/* A new plan, resume, rollback or discard: nothing is owed to the operator. */
static void audit_plan_fresh(tm_backend *be)
{
	be->audit.unwritten = 0;
	be->audit.unwritten_why[0] = '\0';
	be->audit.told = 0;
}

/* A record that had to come first could not be written, so the change was
 * not made: say so after the sink's reason (e is then told to the operator). */
static int audit_plan_refused(tm_backend *be, const char *what_stays, tm_error *e)
{
	size_t len = strlen(e->what);

	be->audit.told = 1;
	snprintf(e->what + len, sizeof(e->what) - len, "; every change is recorded there first, "
		 "so %s", what_stays);
	len = strlen(e->next);
	snprintf(e->next + len, sizeof(e->next) - len, "%sThen run the command again.",
		 len ? " " : "");
	return -1;
}

/* A record the operator is not told about now (a failed step's: the step's
 * own failure is the message): kept for the warning at the end. */
static void audit_plan_unwritten(tm_backend *be, const tm_error *why)
{
	be->audit.unwritten++;
	error_copy(be->audit.unwritten_why, sizeof(be->audit.unwritten_why), why->what);
}

/* audit_plan_check: the destinations answer. */
int audit_plan_check(tm_backend *be, tm_error *e)
{
	if (!audit_plan_on(be))
		return 0;
	audit_plan_fresh(be);
	if (audit_sink_check(&be->audit, e) < 0)
		return audit_plan_refused(be, "nothing was changed", e);
	return 0;
}

/* audit_plan_start: event=start or event=resume, before any step. */
int audit_plan_start(tm_backend *be, const tm_plan *p, int resume, size_t done, tm_error *e)
{
	audit_event ev;
	char doms[512];

	if (!audit_plan_on(be))
		return 0;
	audit_plan_event(p, resume ? "resume" : "start", "started", &ev);
	plan_domain_names(p, ",", ",", doms, sizeof(doms));
	ev.steps = p->nsteps;
	ev.done = resume ? (long)done : -1;
	ev.domains = doms;
	ev.msg = p->summary;
	if (audit_sink_write(&be->audit, &ev, e) == 0)
		return 0;
	return audit_plan_refused(be, resume ? "nothing more was changed: the interrupted plan "
				  "stays as it was" : "nothing was changed", e);
}

/* The event of step i (step_err: its failure, or NULL). */
static void audit_plan_step_event(const tm_plan *p, size_t i, const tm_error *step_err,
				  audit_event *ev)
{
	const plan_step *s = &p->steps[i];

	audit_plan_event(p, "step", step_err ? "failed" : "ok", ev);
	ev->domain = s->kind == STEP_VERIFY ? s->trusting : s->domain;
	ev->partner = s->kind == STEP_VERIFY ? s->trusted : s->partner;
	ev->principal = s->principal;
	ev->step = i + 1;
	ev->steps = p->nsteps;
	ev->action = plan_step_token(s->kind);
	ev->status = step_err ? step_err->status : NULL;
	ev->msg = step_err ? step_err->what : s->text;
}

/* audit_plan_steps_done: see audit_plan.h. */
int audit_plan_steps_done(tm_backend *be, const tm_plan *p, size_t from, size_t to,
			  tm_error *e)
{
	audit_event *ev;
	size_t i;
	int rc;

	if (!audit_plan_on(be) || from >= to)
		return 0;
	if (!(ev = calloc(to - from, sizeof(*ev))))
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while writing the audit record");
	for (i = from; i < to; i++)
		audit_plan_step_event(p, i, NULL, &ev[i - from]);
	rc = audit_sink_write_many(&be->audit, ev, to - from, e);
	free(ev);
	if (rc < 0)
		be->audit.told = 1;      /* the caller stops the plan with e */
	return rc;
}

/* audit_plan_step: one step, with its domain and partner. */
int audit_plan_step(tm_backend *be, const tm_plan *p, size_t i, const tm_error *step_err,
		    tm_error *e)
{
	audit_event ev;

	if (!audit_plan_on(be))
		return 0;
	audit_plan_step_event(p, i, step_err, &ev);
	if (audit_sink_write(&be->audit, &ev, e) == 0)
		return 0;
	if (step_err)
		audit_plan_unwritten(be, e);
	else
		be->audit.told = 1;      /* the caller stops the plan with e */
	return -1;
}

/* Once per plan, after its outcome: the records of it that are missing
 * from the audit trail (end: whether its end is among them), and why. */
static void audit_plan_warn(tm_backend *be, int end, tm_error *outcome)
{
	size_t len = strlen(outcome->next);
	int n = be->audit.unwritten;

	be->audit.told = 1;
	snprintf(outcome->next + len, sizeof(outcome->next) - len, "%sWarning: %d record%s of "
		 "this plan%s %s not in the audit trail, because %s. Once that is fixed, note "
		 "this outcome in the audit trail by hand.", len ? " " : "", n, n == 1 ? "" : "s",
		 !end ? "" : n == 1 ? ", its end," : ", its end among them,", n == 1 ? "is" : "are",
		 be->audit.unwritten_why);
}

/* audit_plan_end: event=end; records that could not be written are said
 * once: not again when the outcome already is that failure. */
void audit_plan_end(tm_backend *be, const tm_plan *p, const char *result, tm_error *outcome)
{
	audit_event ev;
	tm_error werr;
	int failed = strcmp(result, "ok") != 0 && strcmp(result, "resumed") != 0 &&
		     strcmp(result, "rolled-back") != 0, end = 0;

	if (!audit_plan_on(be))
		return;
	audit_plan_event(p, "end", result, &ev);
	ev.status = failed && outcome ? outcome->status : NULL;
	ev.msg = outcome ? outcome->what : NULL;
	error_clear(&werr);
	if (audit_sink_write(&be->audit, &ev, &werr) < 0) {
		audit_plan_unwritten(be, &werr);
		end = 1;
	}
	if (be->audit.unwritten && !be->audit.told && outcome)
		audit_plan_warn(be, end, outcome);
}

/* A change that is not a plan: op on one domain. */
static int audit_simple(tm_backend *be, const char *op, const char *domain, const char *result,
			const tm_error *outcome, tm_error *e)
{
	audit_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.when = (long long)time(NULL);
	ev.event = strcmp(result, "started") == 0 ? "start" : "end";
	ev.result = result;
	ev.op = op;
	ev.domain = domain;
	ev.done = -1;
	ev.status = outcome ? outcome->status : NULL;
	ev.msg = outcome ? outcome->what : NULL;
	return audit_sink_write(&be->audit, &ev, e);
}

/* audit_plan_domain_add: record, add, record the result. */
int audit_plan_domain_add(tm_backend *be, const tm_domain *d, tm_error *e)
{
	tm_error ignore;
	int rc;

	if (audit_plan_on(be) && audit_simple(be, "domain-add", d->name, "started", NULL, e) < 0)
		return audit_plan_refused(be, "the domain was not added", e);
	rc = be->ops->domain_add(be, d, e);
	if (audit_plan_on(be))
		audit_simple(be, "domain-add", d->name, rc < 0 ? "failed" : "ok", rc < 0 ? e : NULL,
			     &ignore);
	return rc;
}

/* event=NAME result=started for the interrupted plan p. 0, or -1 with e. */
static int audit_plan_settle(tm_backend *be, const tm_plan *p, size_t done, const char *name,
			     const char *what_stays, tm_error *e)
{
	audit_event ev;
	char doms[512];

	if (!audit_plan_on(be))
		return 0;
	audit_plan_fresh(be);
	audit_plan_event(p, name, "started", &ev);
	plan_domain_names(p, ",", ",", doms, sizeof(doms));
	ev.steps = p->nsteps;
	ev.done = (long)done;
	ev.domains = doms;
	ev.msg = p->summary;
	if (audit_sink_write(&be->audit, &ev, e) == 0)
		return 0;
	if (!what_stays) {
		be->audit.told = 1;
		return -1;
	}
	return audit_plan_refused(be, what_stays, e);
}

/* audit_plan_discard: record, discard, record the result. */
int audit_plan_discard(tm_backend *be, const tm_plan *p, size_t done, tm_error *e)
{
	/* (discard --force has set the journal aside already: no claim) */
	if (audit_plan_settle(be, p, done, "discard", NULL, e) < 0)
		return -1;
	if (be->ops->journal_discard(be, e) < 0) {
		audit_plan_end(be, p, "failed", e);
		return -1;
	}
	error_clear(e);
	audit_plan_end(be, p, "discarded", e);
	return 0;
}

/* audit_plan_rollback: record, roll back, record the result. */
int audit_plan_rollback(tm_backend *be, const tm_plan *p, size_t done, tm_error *e)
{
	if (audit_plan_settle(be, p, done, "rollback", "nothing was rolled back: the "
			      "interrupted plan stays as it was", e) < 0)
		return -1;
	if (be->ops->journal_rollback(be, e) < 0) {
		audit_plan_end(be, p, "failed", e);
		return -1;
	}
	error_clear(e);
	audit_plan_end(be, p, "rolled-back", e);
	return 0;
}
