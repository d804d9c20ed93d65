/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* service.c - the console's one door to the world: rows, properties, plans
 * and running them, through the backend ops table (see service.h). */
#include "ui/console/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/audit/audit_plan.h"
#include "backend/exec/diagnose.h"
#include "backend/os/testhooks.h"
#include "backend/exec/exec.h"
#include "backend/backend.h"
#include "backend/config/config.h"
#include "backend/exec/world.h"
#include "model/forestinfo.h"
#include "model/secret.h"
#include "ui/console/dialog.h"
#include "ui/console/display.h"
#include "model/tdo.h"

struct svc {
	backend_choice where;
	verify_result verify[SVC_MAX_VERIFY];
	size_t nverify;
	char notice[TM_NEXT_MAX / 2];  /* a failover notice, shown with the result */
	int no_stamp;                  /* the backend has no stamp op: do not ask again */
	tm_backend *stamp_be;          /* kept open (never locked) for con_service_stamp */
};

/* A notice from the backend (a server failed over) arrives while the
 * console owns the screen: keep it for the result instead of stderr. */
static void con_service_notice(const char *msg, void *arg)
{
	svc *s = arg;

	snprintf(s->notice, sizeof(s->notice), "%s", msg);
}

/* Add a kept notice to what the result tells the operator next. */
static void con_service_add_notice(svc *s, tm_error *e)
{
	char next[TM_NEXT_MAX];

	if (!s->notice[0])
		return;
	snprintf(next, sizeof(next), "%s", e->next);
	error_hint(e, "%s%sNote: %s.", next, next[0] ? " " : "", s->notice);
	s->notice[0] = '\0';
}

typedef int (*svc_planner)(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e);

svc *con_service_new(const char *store_dir, const char *config, tm_error *e)
{
	svc *s = calloc(1, sizeof(*s));

	if (!s) {
		error_fail(e, TM_EBACKEND, NULL, "out of memory");
		return NULL;
	}
	snprintf(s->where.store_dir, sizeof(s->where.store_dir), "%s", store_dir ? store_dir : "");
	snprintf(s->where.config, sizeof(s->where.config), "%s", config ? config : "");
	backend_set_notice(con_service_notice, s);
	return s;
}

void con_service_free(svc **s)
{
	if (!s || !*s)
		return;
	backend_set_notice(NULL, NULL);
	if ((*s)->stamp_be)
		(*s)->stamp_be->ops->close((*s)->stamp_be);
	free(*s);
	*s = NULL;
}

/* Open the store and take its lock; NULL with e when busy or broken. */
void con_service_set_audit_log(svc *s, const char *path)
{
	snprintf(s->where.audit_log, sizeof(s->where.audit_log), "%s", path ? path : "");
}

static tm_backend *con_service_open(const svc *s, int exclusive, tm_error *e)
{
	tm_backend *be = backend_open(&s->where, e);

	if (be && be->ops->lock(be, exclusive, e) < 0) {
		be->ops->close(be);
		return NULL;
	}
	return be;
}

/* con_service_stamp: the backend's stamp, without the lock, through a
 * backend opened once and kept (never locked), so that asking every few
 * seconds costs a few stat calls and nothing else. */
int con_service_stamp(svc *s, uint64_t *out)
{
	tm_error e;

	*out = 0;
	if (s->no_stamp)
		return 0;
	error_clear(&e);
	if (!s->stamp_be && !(s->stamp_be = backend_open(&s->where, &e)))
		return 0;
	if (!s->stamp_be->ops->stamp) {
		s->no_stamp = 1;
		s->stamp_be->ops->close(s->stamp_be);
		s->stamp_be = NULL;
		return 0;
	}
	return s->stamp_be->ops->stamp(s->stamp_be, out, &e) == 0;
}

int con_service_domains(svc *s, tm_domain **out, size_t *n, tm_error *e)
{
	tm_backend *be = con_service_open(s, 0, e);
	int rc;

	*out = NULL;
	*n = 0;
	if (!be)
		return -1;
	rc = be->ops->domain_list(be, out, n, e);
	be->ops->close(be);
	return rc;
}

/* ---- rows ----------------------------------------------------------------- */

static void con_service_fill_row(const world *wl, size_t i, svc_row *r)
{
	const wf_world *w = &wl->w;
	const tm_tdo_row *t = &wl->rows.v[i];
	const char *partner = tdo_rows_partner(&wl->rows, i), *flat = tdo_rows_flat(&wl->rows, i);
	const tm_domain *d = backend_find_domain(w->domains, w->ndomains,
						 flat[0] ? flat : partner);

	memset(r, 0, sizeof(*r));
	if (!d)
		d = backend_find_domain(w->domains, w->ndomains, partner);
	snprintf(r->partner, sizeof(r->partner), "%s", partner);
	snprintf(r->netbios, sizeof(r->netbios), "%s", flat[0] ? flat : partner);
	if (t->type == TRUST_TYPE_DOWNLEVEL)
		snprintf(r->dns, sizeof(r->dns), "(NT 4)");
	else
		snprintf(r->dns, sizeof(r->dns), "%s", partner);
	if (d)
		snprintf(r->domain, sizeof(r->domain), "%s", d->name);
	r->direction = t->direction;
	r->type = t->type;
	r->attributes = t->attributes;
	r->health = wl->list_health[i];
}

int con_service_rows(svc *s, const char *domain, svc_row **rows, size_t *n, tm_error *e)
{
	tm_backend *be = con_service_open(s, 0, e);
	world wl;
	size_t i;
	int rc = -1;

	*rows = NULL;
	*n = 0;
	if (!be)
		return -1;
	if (world_load_list(be, domain, &wl, e) == 0) {
		*rows = calloc(wl.rows.n ? wl.rows.n : 1, sizeof(**rows));
		if (*rows) {
			for (i = 0; i < wl.rows.n; i++)
				con_service_fill_row(&wl, i, &(*rows)[i]);
			*n = wl.rows.n;
			rc = 0;
		} else {
			error_fail(e, TM_EBACKEND, NULL, "out of memory");
		}
	}
	world_free(&wl);
	be->ops->close(be);
	return rc;
}

/* ---- properties ------------------------------------------------------------ */

static void con_service_secret(const authblob *b, svc_secret_info *out)
{
	memset(out, 0, sizeof(*out));
	out->set = b->count > 0;
	out->has_previous = b->has_previous && b->count > 0;
	out->previous_equals_current = out->set && authblob_previous_equals_current(b);
	out->kvno = authblob_kvno(b, 0);
	out->previous_kvno = authblob_kvno(b, 1);
	out->changed = authblob_time(b) ? authblob_unixtime(authblob_time(b)) : 0;
}

static void con_service_namespaces(const tm_tdo *t, svc_props *out)
{
	fti_info fi;
	tm_error e;
	size_t i, len = 0;

	if (!t->ftinfo_len || forestinfo_decode(t->ftinfo, t->ftinfo_len, &fi, &e) < 0)
		return;
	out->ftinfo_records = fi.count;
	for (i = 0; i < fi.count && len + 2 < sizeof(out->namespaces); i++) {
		if (fi.records[i].type == FTI_DOMAIN_INFO || !fi.records[i].name)
			continue;
		len += (size_t)snprintf(out->namespaces + len, sizeof(out->namespaces) - len, "%s%s",
					len ? ", " : "", fi.records[i].name);
	}
	forestinfo_free(&fi);
}

static void con_service_keys(const wf_world *w, const tm_domain *other, const tm_tdo *t, svc_props *out)
{
	tm_domain pseudo;
	char princ[2][600];
	size_t i, k;
	tm_error e;

	if (!other) {
		workflow_pseudo_domain(t, &pseudo);
		other = &pseudo;
	}
	if (workflow_principal(w->local.dom, other, princ[0], sizeof(princ[0]), &e) < 0 ||
	    workflow_principal(other, w->local.dom, princ[1], sizeof(princ[1]), &e) < 0)
		return;
	for (i = 0; i < w->local.nkeys && out->nkeys < 4; i++)
		for (k = 0; k < 2; k++)
			if (strcmp(w->local.keys[i].principal, princ[k]) == 0)
				out->keys[out->nkeys++] = w->local.keys[i];
}

static int con_service_props_fill(const wf_world *w, const char *partner, svc_props *out, tm_error *e)
{
	const tm_tdo *t = workflow_find_tdo(&w->local, w->partner.dom, partner);

	if (!t)
		return error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_NOT_FOUND,
			       "%s has no trusted domain object for %s", w->local.dom->name, partner);
	if (tdo_copy(&out->tdo, t) < 0)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	con_service_secret(&t->incoming, &out->incoming);
	con_service_secret(&t->outgoing, &out->outgoing);
	out->incoming.unread = out->outgoing.unread = !caps_has(&w->local.caps, CAP_SECRET_READ);
	authblob_free(&out->tdo.incoming);
	authblob_free(&out->tdo.outgoing);
	out->health = w->local.health[t - w->local.tdos];
	con_service_namespaces(t, out);
	con_service_keys(w, w->partner.dom, t, out);
	if (w->partner.dom)
		snprintf(out->domain, sizeof(out->domain), "%s", w->partner.dom->name);
	return 0;
}

int con_service_props_get(svc *s, const char *domain, const char *partner, svc_props *out, tm_error *e)
{
	tm_backend *be = con_service_open(s, 0, e);
	world wl;
	long long when = 0;
	tm_health h;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	tdo_init(&out->tdo);
	if (!be)
		return -1;
	/* A health file that cannot be read is an error (damage, permissions),
	 * never "not verified": the same answer as show's. */
	if (world_load(be, domain, partner, 1, &wl, e) == 0 &&
	    con_service_props_fill(&wl.w, partner, out, e) == 0 &&
	    be->ops->health_get(be, wl.w.local.dom, out->tdo.partner, &h, &when, e) == 0) {
		out->health_when = when;
		rc = 0;
	}
	world_free(&wl);
	be->ops->close(be);
	return rc;
}

void con_service_props_free(svc_props *p)
{
	tdo_free(&p->tdo);
}

/* ---- plans ----------------------------------------------------------------- */

static int con_service_permit(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	(void)o;
	return workflow_permit(w, p, e);
}

static int con_service_trust(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	(void)o;
	return workflow_trust(w, p, e);
}

static int con_service_reset(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	(void)o;
	return workflow_reset(w, p, e);
}

static int con_service_reset_one(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	(void)o;
	return workflow_reset_one_side(w, p, e);
}

static int con_service_verify(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	(void)o;
	return workflow_verify(w, p, e);
}

static const struct {
	svc_planner fn;
	int any_partner;      /* the partner need not be a known domain */
} con_service_ops[] = {
	[SVC_PERMIT] = { con_service_permit, 0 },
	[SVC_TRUST] = { con_service_trust, 0 },
	[SVC_CREATE] = { workflow_create, 0 },
	[SVC_REMOVE] = { workflow_remove, 1 },
	[SVC_RESET] = { con_service_reset, 0 },
	[SVC_RESET_ONE_SIDE] = { con_service_reset_one, 1 },
	[SVC_VERIFY] = { con_service_verify, 1 },
	[SVC_TDO_MODIFY] = { workflow_tdo_modify, 1 },
};

int con_service_plan(svc *s, svc_op op, const char *domain, const char *partner,
	     const wf_options *o, tm_plan **out, tm_error *e)
{
	tm_backend *be;
	wf_options def;
	world wl;
	int rc = -1;

	*out = NULL;
	if ((size_t)op >= sizeof(con_service_ops) / sizeof(con_service_ops[0]))
		return error_fail(e, TM_EUSAGE, NULL, "unknown operation");
	if (!o) {
		workflow_options_init(&def);
		o = &def;
	}
	if (!(be = con_service_open(s, 0, e)))
		return -1;
	if (world_load_named(be, domain, partner, con_service_ops[op].any_partner, o->partner_flat,
			     &wl, e) == 0)
		rc = con_service_ops[op].fn(&wl.w, o, out, e);
	if (rc == 0 && *out)
		rc = exec_fit_all(be, *out, e);
	world_free(&wl);
	be->ops->close(be);
	return rc;
}

/* ---- running ---------------------------------------------------------------- */

typedef struct svc_hook_ctx {
	svc *s;
	const char *password;
	svc_progress_fn progress;
	void *ctx;
	svc_ask_fn ask;            /* a resume: ask the operator (may be NULL) */
	void *ask_ctx;
} svc_hook_ctx;

/* The password a person gave keeps the rules (secret_check_supplied, at
 * least min_password_length characters); e says which it breaks. */
static int con_service_password_ok(const svc *s, const char *pw, tm_error *e)
{
	int min;

	if (config_min_password_length(s->where.config, &min, e) < 0)
		return -1;
	if (secret_check_supplied(pw, strlen(pw), min, e) == 0)
		return 0;
	error_prefix(e, "The password was refused, so no step was run with it: ");
	if (strstr(e->what, "at least"))
		error_hint(e, "Type a password of at least %d characters. The minimum is "
			   "min_password_length in trustmgr.conf's [trustmgr] section (%d when it is "
			   "not set, and for the embedded store).", min, SECRET_MIN_DEFAULT);
	return -1;
}

/* Ask the operator through h->ask; the answer never stays on the stack. */
static int con_service_ask_operator(svc_hook_ctx *h, const tm_plan *p, int slot, char **value,
			    tm_error *e)
{
	char buf[SECRET_MAX + 1];
	int rc;

	buf[0] = '\0';
	rc = h->ask(h->ask_ctx, p, p->slots[slot].label, buf, sizeof(buf));
	if (rc == 0 && buf[0] && con_service_password_ok(h->s, buf, e) < 0) {
		secret_wipe(buf, sizeof(buf));
		return -1;
	}
	if (rc == 0 && buf[0])
		*value = secret_dup(buf);
	secret_wipe(buf, sizeof(buf));
	if (rc < 0 || !*value) {
		error_fail(e, TM_EUSAGE, NULL, "the %s was not given, so the rest of the plan was not "
			"run", p->slots[slot].label);
		error_hint(e, "Resume again with the %s at hand, or roll the plan back.",
			p->slots[slot].label);
		return -1;
	}
	return 0;
}

static int con_service_ask(void *ctx, const tm_plan *p, int slot, char **value, tm_error *e)
{
	svc_hook_ctx *h = ctx;

	*value = NULL;
	if ((!h->password || !h->password[0]) && h->ask)
		return con_service_ask_operator(h, p, slot, value, e);
	if (!h->password || !h->password[0])
		return error_fail(e, TM_EUSAGE, NULL, "the %s is needed and was not given",
			       p->slots[slot].label);
	if (con_service_password_ok(h->s, h->password, e) < 0)
		return -1;
	*value = secret_dup(h->password);
	return *value ? 0 : error_fail(e, TM_EBACKEND, NULL, "out of memory");
}

static void con_service_step(void *ctx, const tm_plan *p, size_t i)
{
	svc_hook_ctx *h = ctx;

	if (h->progress)
		h->progress(h->ctx, p, i);
}

static void con_service_verified(void *ctx, const verify_result *r)
{
	svc_hook_ctx *h = ctx;

	if (h->s->nverify < SVC_MAX_VERIFY)
		h->s->verify[h->s->nverify++] = *r;
}

/* exec_hooks.cancelled: Ctrl-C, SIGHUP or SIGTERM reached the console
 * (display.c records it): the plan stops at the next step boundary. */
static int con_service_cancelled(void *ctx)
{
	(void)ctx;
	return con_display_signal() != 0;
}

/* A plan stopped by a signal: the console ends (as it does for any signal)
 * and says, once the terminal is restored, what was done and what next. */
static void con_service_stopped(int rc, const tm_error *e)
{
	int sig = con_display_signal();

	if (sig && rc != TM_OK)
		con_dialog_quit_with(128 + sig, "trustmgr: %s.%s%s", e->what, e->next[0] ? "\n" : "",
			      e->next);
}

static int con_service_refuse_interrupted(tm_backend *be, tm_error *e)
{
	journal_info info;
	tm_plan *p = NULL;

	if (be->ops->journal_pending(be, &p, &info, e) < 0)
		return -1;
	if (!p || info.failed) {
		plan_free(&p);
		return 0;
	}
	plan_free(&p);
	error_fail(e, TM_EBACKEND, NULL, "an earlier '%s' plan was interrupted after %zu of %zu steps, "
		"so nothing new is started", info.op, info.done, info.total);
	error_hint(e, "Finish it or undo it first (Interrupted Plan... in the F10 menu offers Resume "
		"and Roll back; so do 'trustmgr resume' and 'trustmgr rollback'), then try again.");
	return -1;
}

int con_service_run(svc *s, tm_plan *p, const char *password, svc_progress_fn progress,
	    void *ctx, tm_error *e)
{
	svc_hook_ctx hc = { s, password, progress, ctx, NULL, NULL };
	exec_hooks h = { con_service_ask, con_service_step, con_service_verified, &hc, con_service_cancelled };
	tm_backend *be;
	int rc;

	s->nverify = 0;
	if (!(be = con_service_open(s, 1, e)))
		return e->cls ? (int)e->cls : TM_EBACKEND;
	if (plan_mutates(p) && con_service_refuse_interrupted(be, e) < 0)
		rc = e->cls ? (int)e->cls : TM_EBACKEND;
	else
		rc = exec_run(be, p, 0, &h, e);
	be->ops->close(be);
	con_service_stopped(rc, e);
	con_service_add_notice(s, e);
	return rc;
}

size_t con_service_last_verify(const svc *s, verify_result *out, size_t max)
{
	size_t i;

	for (i = 0; i < s->nverify && i < max; i++)
		out[i] = s->verify[i];
	return i;
}

int con_service_pending(svc *s, journal_info *info, tm_error *e)
{
	tm_backend *be = con_service_open(s, 0, e);
	tm_plan *p = NULL;
	int rc;

	memset(info, 0, sizeof(*info));
	if (!be)
		return -1;
	rc = be->ops->journal_pending(be, &p, info, e);
	be->ops->close(be);
	if (rc < 0)
		return -1;
	rc = p && !info->failed;
	plan_free(&p);
	return rc;
}

/* ---- name suffix routing ----------------------------------------------------- */

/* What the workflow collided against points into the world freed here. */
static void con_service_ns_detach(wf_namespaces *res)
{
	size_t i;

	for (i = 0; i < res->nothers; i++)
		forestinfo_free(&res->other_fi[i]);
	free(res->other_fi);
	free(res->others);
	res->other_fi = NULL;
	res->others = NULL;
	res->nothers = 0;
}

int con_service_suffixes(svc *s, const char *domain, const char *partner,
			 const namespace_request *r, wf_namespaces *res, tm_plan **out,
			 tm_error *e)
{
	tm_backend *be;
	world wl;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (out)
		*out = NULL;
	if (!(be = con_service_open(s, 0, e)))
		return -1;
	memset(&wl, 0, sizeof(wl));
	if (world_load_forest(be, domain, partner, &wl, e) == 0 &&
	    workflow_namespaces(&wl.w, r, res, out, e) == 0) {
		rc = 0;
		con_service_ns_detach(res);
		if (out && *out && exec_fit_all(be, *out, e) < 0) {
			plan_free(out);
			workflow_namespaces_free(res);
			rc = -1;
		}
	}
	world_free(&wl);
	be->ops->close(be);
	return rc;
}

/* ---- health -------------------------------------------------------------------- */

static int con_service_rotation_days(const svc *s, int *days, tm_error *e)
{
	return diagnose_rotation_days(&s->where, days, e);
}

/* Classify what diagnose_gather read into r. */
static int con_service_classify(diag_snapshot *snap, svc_health_report *r, tm_error *e)
{
	if (health_classify(&snap->in, &r->v, &r->n, e) < 0)
		return -1;
	r->partial = snap->backend_failed;
	r->failure = snap->failure;
	return 0;
}

int con_service_health(svc *s, const char *domain, svc_health_report *out, tm_error *e)
{
	diag_snapshot snap;
	tm_backend *be;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&snap, 0, sizeof(snap));
	error_clear(&out->failure);
	if (con_service_rotation_days(s, &out->rotation_days, e) < 0 || !(be = con_service_open(s, 0, e)))
		return -1;
	if (diagnose_gather(be, domain, NULL, testhooks_now(), out->rotation_days, &snap, e) == 0)
		rc = con_service_classify(&snap, out, e);
	diagnose_free(&snap);
	be->ops->close(be);
	if (rc < 0)
		con_service_health_free(out);
	return rc;
}

void con_service_health_free(svc_health_report *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

int con_service_fix_plan(svc *s, const health_finding *f, tm_plan **out, tm_error *e)
{
	const char *partner = f->partner_domain[0] ? f->partner_domain : f->partner;
	tm_backend *be;
	world wl;
	int rc = -1;

	*out = NULL;
	if (!(be = con_service_open(s, 0, e)))
		return -1;
	if (world_load(be, f->domain, partner[0] ? partner : NULL, 1, &wl, e) == 0)
		rc = health_fix_plan(&wl.w, f, out, e);
	world_free(&wl);
	be->ops->close(be);
	return rc;
}

/* ---- forest recovery and recreate -------------------------------------------------- */

static int con_service_recover_any(svc *s, const char *domain, int partners, const char *only,
			   tm_plan **out, wf_checklist *cl, tm_error *e)
{
	wf_checklist ignore;
	tm_backend *be;
	world_all wa;
	int rc = -1;

	*out = NULL;
	if (!(be = con_service_open(s, 0, e)))
		return -1;
	if (world_load_all(be, domain, &wa, e) == 0)
		rc = partners ? workflow_recover_partners(&wa.m, only, out, cl ? cl : &ignore, e)
			      : workflow_recover(&wa.m, out, cl ? cl : &ignore, e);
	if (rc == 0 && *out)
		rc = exec_fit_all(be, *out, e);
	world_all_free(&wa);
	be->ops->close(be);
	if (rc == 0 && !*out) {
		rc = error_fail(e, TM_EBACKEND, NULL, "the forest recovery of %s produced no plan, so "
			     "nothing can be run", domain);
		error_hint(e, "Compare with 'trustmgr %s %s --dry-run' and report the difference.",
			partners ? "recover-partners" : "recover", domain);
	}
	return rc;
}

int con_service_recover_plan(svc *s, const char *domain, tm_plan **out, wf_checklist *cl, tm_error *e)
{
	return con_service_recover_any(s, domain, 0, NULL, out, cl, e);
}

int con_service_recover_partners_plan(svc *s, const char *domain, const char *only, tm_plan **out,
			      wf_checklist *cl, tm_error *e)
{
	return con_service_recover_any(s, domain, 1, only, out, cl, e);
}

int con_service_recreate_plan(svc *s, const char *domain, const char *partner, tm_plan **out,
		      wf_handoff *h, tm_error *e)
{
	wf_handoff ignore;
	tm_backend *be;
	world wl;
	int rc = -1;

	*out = NULL;
	if (!(be = con_service_open(s, 0, e)))
		return -1;
	if (world_load(be, domain, partner, 1, &wl, e) == 0)
		rc = workflow_recreate(&wl.w, out, h ? h : &ignore, e);
	if (rc == 0 && *out)
		rc = exec_fit_all(be, *out, e);
	world_free(&wl);
	be->ops->close(be);
	return rc;
}

/* ---- an interrupted plan ------------------------------------------------------------- */

/* The interrupted plan under be's lock: 1 with *p, 0 none, -1 error. */
static int con_service_journal(tm_backend *be, tm_plan **p, journal_info *info, tm_error *e)
{
	*p = NULL;
	memset(info, 0, sizeof(*info));
	if (be->ops->journal_pending(be, p, info, e) < 0)
		return -1;
	if (*p && info->failed)
		plan_free(p);      /* ended at a failing step, consistent: nothing to resume */
	return *p != NULL;
}

int con_service_pending_plan(svc *s, tm_plan **out, journal_info *info, tm_error *e)
{
	tm_backend *be = con_service_open(s, 0, e);
	int rc;

	*out = NULL;
	memset(info, 0, sizeof(*info));
	if (!be)
		return -1;
	rc = con_service_journal(be, out, info, e);
	be->ops->close(be);
	return rc;
}

int con_service_resume(svc *s, tm_plan **out, svc_ask_fn ask, void *ask_ctx, svc_progress_fn progress,
	       void *ctx, tm_error *e)
{
	svc_hook_ctx hc = { s, NULL, progress, ctx, ask, ask_ctx };
	exec_hooks h = { con_service_ask, con_service_step, con_service_verified, &hc, con_service_cancelled };
	journal_info info;
	tm_backend *be;
	int rc;

	*out = NULL;
	s->nverify = 0;
	if (!(be = con_service_open(s, 1, e)))
		return e->cls ? (int)e->cls : TM_EBACKEND;
	rc = con_service_journal(be, out, &info, e);
	if (rc > 0) {
		rc = exec_resume(be, *out, info.done, &h, e);
		con_service_stopped(rc, e);
	}
	else if (rc == 0)
		error_clear(e);
	else
		rc = e->cls ? (int)e->cls : TM_EBACKEND;
	be->ops->close(be);
	if (rc < 0)
		rc = e->cls ? (int)e->cls : TM_EBACKEND;
	con_service_add_notice(s, e);
	return rc;
}

int con_service_rollback(svc *s, tm_plan **out, tm_error *e)
{
	journal_info info;
	tm_backend *be;
	int rc;

	*out = NULL;
	if (!(be = con_service_open(s, 1, e)))
		return -1;
	rc = con_service_journal(be, out, &info, e);
	if (rc > 0 && audit_plan_rollback(be, *out, info.done, e) < 0)
		rc = -1;
	be->ops->close(be);
	if (rc < 0)
		plan_free(out);
	return rc < 0 ? -1 : 0;
}
