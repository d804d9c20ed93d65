/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* exec.c - run a plan's steps through the ops table, journaling each one. */
#include "backend/exec/exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/secret.h"
#include "backend/audit/audit_plan.h"
#include "backend/exec/exec_internal.h"
#include "backend/exec/exec_lanes.h"
#include "backend/os/testhooks.h"
#include "model/keys.h"
#include "model/name.h"
#include "model/tdo.h"


/* ---- lookups ----------------------------------------------------------- */

const tm_domain *exec_domain(exec_state *st, const char *name, tm_error *e)
{
	const tm_domain *d = backend_find_domain(st->domains, st->ndomains, name);

	if (!d)
		error_fail(e, TM_EBACKEND, ST_NO_SUCH_DOMAIN,
			"the plan names domain %s, which is no longer known", name);
	return d;
}

/* Load d's TDO for partner into *out (1 found, 0 not found, -1 error). */
static int exec_load_tdo(exec_state *st, const tm_domain *d, const char *partner, tm_tdo *out,
			 tm_error *e)
{
	tm_tdo *v = NULL;
	size_t n = 0, i;
	int found = 0;
	tm_focus f = { { partner }, 1 };

	if (backend_tdo_list_focus(st->be, d, &f, &v, &n, e) < 0)
		return -1;
	for (i = 0; i < n && !found; i++)
		if (name_equal(v[i].partner, partner)) {
			if (tdo_copy(out, &v[i]) < 0) {
				tdo_free_array(&v, n);
				return error_fail(e, TM_EBACKEND, NULL, "out of memory");
			}
			found = 1;
		}
	tdo_free_array(&v, n);
	return found;
}

/* The trustPartner under which `self` knows `other`, or NULL. */
static int exec_partner_of(exec_state *st, const tm_domain *self, const tm_domain *other,
			   char *buf, size_t n, tm_error *e)
{
	tm_tdo *v = NULL;
	size_t cnt = 0, i;
	char sid[SID_TEXT_MAX], fsid[SID_TEXT_MAX];
	tm_focus f;

	buf[0] = '\0';
	backend_focus(&f, other, NULL, NULL, fsid);
	if (backend_tdo_list_focus(st->be, self, &f, &v, &cnt, e) < 0)
		return -1;
	for (i = 0; i < cnt && !buf[0]; i++)
		if ((other->dns[0] && tdo_matches(&v[i], other->dns)) ||
		    (other->netbios[0] && tdo_matches(&v[i], other->netbios)) ||
		    (other->realm[0] && tdo_matches(&v[i], other->realm)) ||
		    (other->has_sid && tdo_matches(&v[i], sid_format(&other->sid, sid, sizeof(sid)))))
			snprintf(buf, n, "%s", v[i].partner);
	tdo_free_array(&v, cnt);
	return 0;
}

/* ---- secrets ------------------------------------------------------------ */

static int exec_blob_uses(const blob_change *c, int slot)
{
	return c->slot == slot && c->action != BLOB_KEEP && c->action != BLOB_CLEAR;
}

/* Read slot's value back from the TDO the done TDO_PUT step s wrote with
 * it: 0 found, 1 not there, -1 that domain could not be read. */
static int exec_read_back(exec_state *st, const plan_step *s, int slot, tm_error *e)
{
	const tm_domain *d = exec_domain(st, s->domain, e);
	tm_tdo t;
	int r;

	if (!d)
		return -1;
	tdo_init(&t);
	r = exec_load_tdo(st, d, s->partner, &t, e);
	if (r > 0) {
		int in = exec_blob_uses(&s->in, slot);
		const authblob *b = in ? &t.incoming : &t.outgoing;

		r = authblob_get_password(b, 0, &st->p->slots[slot].value, e);
		/* A key version taken from a KEY_CHANGE in a domain whose keys
		 * cannot be listed here: the one written with the secret. */
		if (r == 0 && !st->changed_kvno && !(in ? s->in.kvno : s->out.kvno))
			st->changed_kvno = authblob_kvno(b, 0);
	} else if (r == 0)
		r = 1;
	tdo_free(&t);
	return r;
}

/* On a resume: read slot back from the first TDO an earlier (done) step
 * wrote with it; a domain that cannot be read now (a server down) is passed
 * over. Returns 0 when found, 1 when no done step wrote it, 2 with e when
 * some did and every TDO they wrote was read but none holds it (a plain
 * realm's TDO keeps no secret: its writes change nothing), -1 with e when
 * some did, none holds it and some could not be read. */
static int exec_recover_slot(exec_state *st, int slot, size_t done, tm_error *e)
{
	size_t i;
	int r = 1, unreadable = 0;

	for (i = 0; i < done; i++) {
		const plan_step *s = &st->p->steps[i];

		if (s->kind != STEP_TDO_PUT ||
		    (!exec_blob_uses(&s->in, slot) && !exec_blob_uses(&s->out, slot)))
			continue;
		r = exec_read_back(st, s, slot, e);
		if (r == 0)
			return 0;
		if (r > 0)
			error_fail(e, TM_EBACKEND, NULL, "%s's trusted domain object for %s no longer holds "
				"the %s an earlier step wrote", s->domain, s->partner, st->p->slots[slot].label);
		else
			unreadable = 1;
		r = -1;
	}
	return r < 0 && !unreadable ? 2 : r;
}

/* Does step s write slot somewhere (a key, a TDO's secret)? */
static int exec_step_writes(const plan_step *s, int slot)
{
	return (s->kind == STEP_KEY_SET && s->slot == slot) ||
	       (s->kind == STEP_TDO_PUT && (exec_blob_uses(&s->in, slot) ||
					    exec_blob_uses(&s->out, slot)));
}

/* Run again from the first of steps [from, done) that wrote slot. */
static void exec_rewind_to_writer(exec_state *st, int slot, size_t from, size_t done)
{
	size_t i;

	for (i = from; i < done && i < st->rewind; i++)
		if (exec_step_writes(&st->p->steps[i], slot)) {
			st->rewind = i;
			return;
		}
}

/* A generated secret that nothing kept (a plain realm's key steps store it
 * nowhere but in the keys, which kadmin never gives back): when every done
 * step that used it can simply run again, it is made anew and the plan
 * goes back to the first of them. 1 when so (st->rewind set), else 0. A
 * password change that made it cannot be run again: exec_rekey_lost sets
 * such a secret anew as the domain's administrator before this. */
static int exec_remake_slot(exec_state *st, int slot, size_t done)
{
	size_t i;

	for (i = 0; i < done; i++) {
		const plan_step *s = &st->p->steps[i];

		if ((s->kind == STEP_PROVE || s->kind == STEP_KEY_CHANGE) &&
		    (s->slot == slot || s->slot_new == slot))
			return 0;      /* a password change cannot be run again */
	}
	exec_rewind_to_writer(st, slot, 0, done);
	return 1;
}

static int exec_fill_slot(exec_state *st, int slot, size_t done, tm_error *e)
{
	plan_slot_def *s = &st->p->slots[slot];
	int r = done > 0 && !s->value ? exec_recover_slot(st, slot, done, e) : 1;

	if (s->value)
		return 0;
	if (r == 2)
		r = -1;        /* written, and lost all the same */
	if (r < 0 && s->source == SLOT_GENERATED && exec_remake_slot(st, slot, done)) {
		error_clear(e);
		return secret_generate(&s->value, e);
	}
	if (r < 0 && s->source == SLOT_GENERATED) {
		error_prefix(e, "resuming needs the %s the interrupted plan generated and wrote, "
				"but it cannot be read back: ", s->label);
		error_hint(e, "Run 'trustmgr resume' again once that domain answers, or undo the plan "
			"with 'trustmgr rollback'.");
		return -1;
	}
	error_clear(e);
	if (s->source == SLOT_GENERATED)
		return secret_generate(&s->value, e);
	if (s->source == SLOT_SUPPLIED && st->h && st->h->ask_secret)
		return st->h->ask_secret(st->h->ctx, st->p, slot, &s->value, e);
	return error_fail(e, TM_EUSAGE, NULL, "the plan needs the %s and no way to ask for it was given",
		       s->label);
}

/* Does any step from `from` on need slot? */
static int exec_slot_needed(const tm_plan *p, int slot, size_t from)
{
	size_t i;

	for (i = from; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];

		if ((s->kind == STEP_KEY_SET || s->kind == STEP_PROVE || s->kind == STEP_KEY_CHANGE) &&
		    (s->slot == slot || (s->kind == STEP_KEY_CHANGE && s->slot_new == slot)))
			return 1;
		if (s->kind == STEP_TDO_PUT && (exec_blob_uses(&s->in, slot) || exec_blob_uses(&s->out, slot)))
			return 1;
	}
	return 0;
}

/* Fill every slot a step from `done` on needs; on a resume, also those the
 * steps run again need (st->rewind: a lost secret remade), again over
 * every slot whenever making one went further back. */
static int exec_fill_slots(exec_state *st, size_t done, tm_error *e)
{
	size_t from;
	int i;

	do {
		from = st->rewind < done ? st->rewind : done;
		for (i = 0; i < PLAN_MAX_SLOTS; i++)
			if (st->p->slots[i].source != SLOT_UNUSED &&
			    exec_slot_needed(st->p, i, from) && exec_fill_slot(st, i, done, e) < 0)
				return -1;
	} while (st->rewind < from);
	return 0;
}

static const char *exec_slot(exec_state *st, int slot)
{
	if (slot < 0 || slot >= PLAN_MAX_SLOTS)
		return NULL;
	return st->p->slots[slot].value;
}

/* dst = a + b, cut to fit. */
static void exec_note(char *dst, size_t n, const char *a, const char *b)
{
	size_t la = strnlen(a, n - 1), lb = strnlen(b, n - 1 - la);

	memmove(dst, a, la);
	memcpy(dst + la, b, lb);
	dst[la + lb] = '\0';
}

/* ---- steps -------------------------------------------------------------- */

/* A kvno of 0 in a step means "what the last KEY_CHANGE produced". */
static uint32_t exec_kvno(const exec_state *st, uint32_t kvno)
{
	return kvno ? kvno : st->changed_kvno;
}

static int exec_blob(exec_state *st, const blob_change *c, const authblob *old, authblob *b,
		     tm_error *e)
{
	uint64_t now = authblob_filetime((long long)time(NULL));
	const char *pw = exec_slot(st, c->slot);

	authblob_free(b);
	switch (c->action) {
	case BLOB_KEEP:
		return old ? authblob_copy(b, old) : 0;
	case BLOB_CLEAR:
		return 0;
	case BLOB_ROTATE:
		if (old && authblob_copy(b, old) < 0)
			return error_fail(e, TM_EBACKEND, NULL, "out of memory");
		if (old && authblob_kvno(old, 0) == exec_kvno(st, c->kvno))
			return 0;      /* already rotated by an earlier run of this step */
		break;
	case BLOB_FRESH:
	case BLOB_RESET_TWICE:
		break;
	}
	if (!pw)
		return error_fail(e, TM_EBACKEND, NULL, "internal error: a secret the plan needs is missing");
	return authblob_set_password(b, pw, exec_kvno(st, c->kvno), now,
				     c->action == BLOB_ROTATE ? AUTHBLOB_ROTATE :
				     c->action == BLOB_FRESH ? AUTHBLOB_FRESH : AUTHBLOB_RESET_TWICE, e);
}

static int exec_tdo_put(exec_state *st, const tm_domain *d, const plan_step *s, tm_error *e)
{
	tm_tdo old, t;
	int have, rc = -1;

	tdo_init(&old);
	tdo_init(&t);
	have = exec_load_tdo(st, d, s->partner, &old, e);
	if (have >= 0 && tdo_copy(&t, &s->tdo) == 0 &&
	    exec_blob(st, &s->in, have ? &old.incoming : NULL, &t.incoming, e) == 0 &&
	    exec_blob(st, &s->out, have ? &old.outgoing : NULL, &t.outgoing, e) == 0) {
		t.when_created = have ? old.when_created : 0;
		rc = st->be->ops->tdo_put(st->be, d, &t, e);
	}
	tdo_free(&old);
	tdo_free(&t);
	return rc;
}

static int exec_prove_failed(exec_state *st, const tm_domain *d, const plan_step *s,
			     prove_result r, tm_error *e)
{
	const char *a = st->p->domain, *b = d->name;

	if (r == PROVE_MISSING) {
		error_fail(e, TM_EFAIL, ST_NO_TRUST_SAM_ACCOUNT,
			"the trust relationship between %s and %s could not be verified at this time: "
			"%s has no record of permitting %s to trust it", a, b, b, a);
		error_hint(e, "Ask %s's administrator to permit %s to trust it (trustmgr permit %s %s), then try again.",
			b, a, b, a);
		return -1;
	}
	st->be->ops->health_put(st->be, d, s->partner, HEALTH_CHANCE_USED, NULL);
	error_fail(e, TM_EFAIL, r == PROVE_WRONG ? ST_WRONG_PASSWORD : ST_ACCOUNT_LOCKED_OUT,
		r == PROVE_WRONG ?
		"the password is not the one %s permitted %s to trust it with; that was the one chance: "
		"the initial password is no longer valid" :
		"%s no longer accepts the initial password it gave %s: the one chance was used by an earlier wrong attempt",
		b, a);
	error_hint(e, "%s's administrator must remove %s from Trusting Domains and permit it again "
		"(trustmgr remove %s %s --direction inbound; trustmgr permit %s %s); then run "
		"trustmgr trust %s %s with the new password.", b, a, b, a, b, a, a, b);
	return -1;
}

static int exec_prove(exec_state *st, const tm_domain *d, const plan_step *s, tm_error *e)
{
	prove_result r;

	if (st->be->ops->prove(st->be, d, s->principal, s->account, exec_slot(st, s->slot), &r, e) < 0)
		return -1;
	return r == PROVE_OK ? 0 : exec_prove_failed(st, d, s, r, e);
}

void exec_record_health(exec_state *st, const tm_domain *self, const tm_domain *other,
			       tm_health h)
{
	char partner[NAME_DNS_MAX];
	tm_error ignore;

	if (exec_partner_of(st, self, other, partner, sizeof(partner), &ignore) == 0 && partner[0])
		st->be->ops->health_put(st->be, self, partner, h, &ignore);
}

/* What a VERIFY step's check returned (rc, r, e): the same for one
 * direction and for two at once (record: the health of both ends is
 * recorded here; for two at once it is recorded once, exec_pair_health). */
int exec_verify_result(exec_state *st, const plan_step *s, int rc, verify_result *r,
			      int record, tm_error *e)
{
	const tm_domain *a = exec_domain(st, s->trusting, e), *b;
	tm_health h;

	if (!a || !(b = exec_domain(st, s->trusted, e)))
		return -1;
	if (rc < 0) {
		/* `trustmgr verify` itself: a direction that could not be
		 * checked is its answer missing, never a success. */
		if (!s->optional || strcmp(st->p->op, "verify") == 0)
			return -1;
		/* Could not check from here (no credentials for that side): the
		 * change stands; say so with the result instead of failing it. */
		exec_note(st->verify_note, sizeof(st->verify_note), " It was not verified from here: ",
			  e->what);
		error_clear(e);
		return 0;
	}
	if (st->h && st->h->verified)
		st->h->verified(st->h->ctx, r);
	h = r->outcome == VERIFY_OK ? HEALTH_VERIFIED : HEALTH_BROKEN;
	if (record) {
		exec_record_health(st, a, b, h);
		exec_record_health(st, b, a, h);
	}
	if (r->outcome == VERIFY_OK)
		return 0;
	error_fail(e, TM_EFAIL, ST_TRUSTED_DOMAIN_FAILURE, "%s", "");
	verify_explain(r, e->what, sizeof(e->what), e->next, sizeof(e->next));
	return -1;
}

static int exec_verify(exec_state *st, const plan_step *s, tm_error *e)
{
	const tm_domain *a = exec_domain(st, s->trusting, e), *b;
	verify_result r;

	if (!a || !(b = exec_domain(st, s->trusted, e)))
		return -1;
	memset(&r, 0, sizeof(r));
	return exec_verify_result(st, s, st->be->ops->verify(st->be, a, b, &r, e), &r, 1, e);
}

static int exec_account_put(exec_state *st, const tm_domain *d, const plan_step *s, tm_error *e)
{
	tm_account a;

	memset(&a, 0, sizeof(a));
	snprintf(a.name, sizeof(a.name), "%s", s->account);
	snprintf(a.partner, sizeof(a.partner), "%s", s->partner);
	a.created = (long long)time(NULL);
	return st->be->ops->account_put(st->be, d, &a, e);
}

/* Split a comma-separated list into v (at most DOMAIN_SUFFIX_MAX names). */
static size_t exec_split(const char *list, char v[][NAME_DNS_MAX])
{
	size_t n = 0;
	const char *p = list;

	while (*p && n < DOMAIN_SUFFIX_MAX) {
		size_t l = strcspn(p, ",");

		if (l && l < NAME_DNS_MAX) {
			memcpy(v[n], p, l);
			v[n++][l] = '\0';
		}
		p += l + (p[l] == ',');
	}
	return n;
}

static int exec_suffixes(exec_state *st, const tm_domain *d, const plan_step *s, tm_error *e)
{
	tm_domain names = *d;

	if (!st->be->ops->suffixes_put)
		return error_fail(e, TM_EREFUSED, ST_NOT_SUPPORTED,
				  "%s's backend keeps no UPN or SPN suffixes.", d->name);
	names.nupn = exec_split(s->upn, names.upn_suffixes);
	names.nspn = exec_split(s->spn, names.spn_suffixes);
	return st->be->ops->suffixes_put(st->be, d, &names, e);
}

int exec_step(exec_state *st, const plan_step *s, tm_error *e)
{
	const tm_backend_ops *ops = st->be->ops;
	const tm_domain *d;

	if (s->kind == STEP_VERIFY)
		return exec_verify(st, s, e);
	if (!(d = exec_domain(st, s->domain, e)))
		return -1;
	switch (s->kind) {
	case STEP_PROVE:
		return exec_prove(st, d, s, e);
	case STEP_TDO_PUT:
		return exec_tdo_put(st, d, s, e);
	case STEP_TDO_DELETE:
		return ops->tdo_delete(st->be, d, s->partner, e);
	case STEP_KEY_SET:
		return ops->key_set(st->be, d, s->principal, exec_slot(st, s->slot),
				    exec_kvno(st, s->kvno), s->enctypes, s->keep_previous, e);
	case STEP_KEY_CHANGE:
		return ops->key_change(st->be, d, s->principal, exec_slot(st, s->slot),
				       exec_slot(st, s->slot_new), s->enctypes, &st->changed_kvno, e);
	case STEP_KEY_DELETE:
		return ops->key_delete(st->be, d, s->principal, e);
	case STEP_ACCOUNT_PUT:
		return exec_account_put(st, d, s, e);
	case STEP_ACCOUNT_DELETE:
		return ops->account_delete(st->be, d, s->account, e);
	case STEP_KEY_PLAIN:
		return ops->key_plain ? ops->key_plain(st->be, d, s->principal, e) : 0;
	case STEP_HEALTH:
		return ops->health_put(st->be, d, s->partner, s->health, e);
	case STEP_SUFFIXES_SET:
		return exec_suffixes(st, d, s, e);
	case STEP_VERIFY:
		break;
	}
	return 0;
}

/* ---- the audit trail (audit_plan.h): only plans that change something --- */

/* Step i ran (step_err: how it failed, or NULL). A step that failed is
 * recorded as best it can be: the plan stops anyway. */
int exec_audit_step(exec_state *st, size_t i, int journaled, const tm_error *step_err,
			   tm_error *e)
{
	tm_error ignore;

	if (!journaled)
		return 0;
	if (step_err && step_err == e)
		return audit_plan_step(st->be, st->p, i, step_err, &ignore);
	return audit_plan_step(st->be, st->p, i, step_err, e);
}

/* Steps [from, to) were done but could not be recorded: no further step
 * runs; the journal keeps the plan for resume or rollback. */
static int exec_audit_stopped(exec_state *st, size_t from, size_t to, tm_error *e)
{
	if (to - from > 1)
		error_prefix(e, "steps %zu to %zu of %zu were done, but then ", from + 1, to,
			     st->p->nsteps);
	else
		error_prefix(e, "step %zu of %zu was done, but then ", from + 1, st->p->nsteps);
	error_hint(e, "No further step was run; the steps done stay done and the plan is kept "
		"('trustmgr journal' shows it). Make room for the audit log or make it writable, "
		"then finish the plan with 'trustmgr resume' or undo it with 'trustmgr rollback'.");
	audit_plan_end(st->be, st->p, "interrupted", e);
	return e->cls ? (int)e->cls : TM_EBACKEND;
}

static void exec_audit_end(exec_state *st, int journaled, const char *result, tm_error *e)
{
	if (journaled)
		audit_plan_end(st->be, st->p, result, e);
}

/* Before anything changes: record the start (or the resume). */
static int exec_audit_start(exec_state *st, size_t from, tm_error *e)
{
	if (audit_plan_start(st->be, st->p, st->resume, from, e) < 0) {
		error_prefix(e, "the plan was not %s: ", st->resume ? "resumed" : "started");
		return -1;
	}
	return 0;
}

/* ---- the run loop ------------------------------------------------------- */

static int exec_is_designed_failure(const plan_step *s, const tm_error *e)
{
	return (s->kind == STEP_PROVE || s->kind == STEP_VERIFY) && e->cls == TM_EFAIL;
}

/* A step failed: close the journal when the stores are consistent (nothing
 * written yet, or a check that is allowed to fail); otherwise keep it so the
 * next start reports the interrupted plan. */
/* Keep the step's own advice (start that server, check that file) and add
 * what to do with the plan after it. */
static void exec_hint_then(tm_error *e, const char *then)
{
	char own[TM_NEXT_MAX];

	if (!e->next[0]) {
		error_hint(e, "Fix the cause. %s", then);
		return;
	}
	snprintf(own, sizeof(own), "%s", e->next);
	error_hint(e, "%s %s", own, then);
}

static int exec_stop_unsure(exec_state *st, size_t i, tm_error *e)
{
	const plan_step *s = &st->p->steps[i];

	error_prefix(e, "step %zu of %zu changed the password of %s in %s through kpasswd and "
			"got no answer, so the change may or may not be made: ", i + 1,
			st->p->nsteps, s->principal, s->domain);
	exec_hint_then(e, "The plan is kept: 'trustmgr journal' shows it. Once the KDC answers, "
		       "'trustmgr resume' tries the change again; if it says the password is wrong, "
		       "the change was made and its secret is lost: have the partner permit again, "
		       "then 'trustmgr discard' and run the plan again.");
	exec_audit_end(st, 1, "interrupted", e);
	return e->cls ? (int)e->cls : TM_EBACKEND;
}

int exec_stop(exec_state *st, size_t i, int resume, int journaled, tm_error *e)
{
	const plan_step *s = &st->p->steps[i];
	int wrote = 0;
	size_t k;
	tm_error ignore;

	for (k = 0; k < i; k++)
		if (st->p->steps[k].kind != STEP_VERIFY && st->p->steps[k].kind != STEP_PROVE)
			wrote = 1;
	wrote |= st->wave_wrote;
	if (!journaled)
		return e->cls;
	/* A password change the KDC did not answer may still be applied when a
	 * hung server wakes up: keep the plan so it is reported. */
	if (s->kind == STEP_KEY_CHANGE && e->status && strcmp(e->status, ST_IO_TIMEOUT) == 0)
		return exec_stop_unsure(st, i, e);
	if (exec_is_designed_failure(s, e) || (!wrote && !resume)) {
		st->be->ops->journal_end(st->be, 0, &ignore);
		exec_audit_end(st, journaled, "failed", e);
		return e->cls;
	}
	error_prefix(e, "step %zu of %zu (%s) failed, after earlier steps changed the store: ",
			i + 1, st->p->nsteps, plan_step_token(s->kind));
	exec_hint_then(e, "Then finish the plan with 'trustmgr resume' or undo it with "
		       "'trustmgr rollback' ('trustmgr journal' shows it).");
	exec_audit_end(st, journaled, "interrupted", e);
	return e->cls ? (int)e->cls : TM_EBACKEND;
}

static int exec_finish(exec_state *st, int journaled, tm_error *e)
{
	tm_plan *p = st->p;

	if (journaled && st->be->ops->journal_end(st->be, 1, e) < 0) {
		exec_audit_end(st, journaled, "failed", e);
		return e->cls;
	}
	if (st->verify_failed) {
		*e = st->verify_err;
		exec_audit_end(st, journaled, "failed", e);
		return e->cls;
	}
	if (p->outcome != TM_OK) {
		error_fail(e, p->outcome, p->outcome_status, "%s", p->outcome_what);
		error_hint(e, "%s", p->outcome_next);
		exec_audit_end(st, journaled, "failed", e);
		return p->outcome;
	}
	error_clear(e);
	exec_note(e->what, sizeof(e->what), p->success, st->verify_note);
	if (st->verify_note[0])
		error_hint(e, "Run 'trustmgr verify %s %s' where credentials for both domains are at hand.",
			p->domain, p->partner);
	exec_audit_end(st, journaled, st->resume ? "resumed" : "ok", e);
	return TM_OK;
}

/* ---- stopping at a step boundary on the operator's request ------------- */

static int exec_cancelled(const exec_state *st)
{
	return st->h && st->h->cancelled && st->h->cancelled(st->h->ctx);
}

/* Step i is next and the operator asked to stop (exec.h). */
static int exec_interrupted(exec_state *st, size_t i, int resume, int journaled, tm_error *e)
{
	const tm_plan *p = st->p;
	size_t k;
	int wrote = resume && i > 0;
	tm_error ignore;

	for (k = 0; k < i; k++)
		if (p->steps[k].kind != STEP_VERIFY && p->steps[k].kind != STEP_PROVE)
			wrote = 1;
	if (!journaled || !wrote) {
		if (journaled)
			st->be->ops->journal_end(st->be, 0, &ignore);
		error_fail(e, TM_EFAIL, NULL, "the plan '%s %s %s' was stopped at your request before "
			"step %zu of %zu; nothing was changed", p->op, p->domain, p->partner, i + 1,
			p->nsteps);
		error_hint(e, "Run the command again when you are ready.");
		exec_audit_end(st, journaled, "stopped", e);
		return TM_EFAIL;
	}
	error_fail(e, TM_EBACKEND, NULL, "the plan '%s %s %s' was stopped at your request after "
		"step %zu of %zu (%s); steps %zu to %zu were not run", p->op, p->domain, p->partner,
		i, p->nsteps, p->steps[i - 1].text, i + 1, p->nsteps);
	error_hint(e, "Finish it with 'trustmgr resume' or undo it with 'trustmgr rollback' "
		"('trustmgr journal' shows it).");
	exec_audit_end(st, journaled, "interrupted", e);
	return TM_EBACKEND;
}

/* Step i ran and returned r (0, or -1 with e): audited and journaled as
 * the loop records every step. 0 to go on; -1 when the plan stops here,
 * with its outcome in *out. */
int exec_record(exec_state *st, size_t i, int r, int resume, int journaled, tm_error *e,
		       int *out)
{
	const plan_step *s = &st->p->steps[i];

	if (r < 0) {
		exec_audit_step(st, i, journaled, e, e);
		if (s->kind == STEP_VERIFY && s->optional && e->cls == TM_EFAIL) {
			if (!st->verify_failed)
				st->verify_err = *e;
			st->verify_failed = 1;
		} else {
			*out = exec_stop(st, i, resume, journaled, e);
			return -1;
		}
	} else if (exec_audit_step(st, i, journaled, NULL, e) < 0) {
		*out = exec_audit_stopped(st, i, i + 1, e);
		return -1;
	}
	if (journaled && st->be->ops->journal_step(st->be, i, e) < 0) {
		*out = exec_stop(st, i, resume, journaled, e);
		return -1;
	}
	testhooks_after_step(i + 1);    /* test builds only: trustmgr(8) */
	return 0;
}

/* exec_record_done: see exec_internal.h. */
int exec_record_done(exec_state *st, size_t from, size_t to, int resume, int journaled,
		     tm_error *e, int *out)
{
	size_t k;

	if (to - from < 2 || !journaled || !st->be->ops->journal_steps) {
		for (k = from; k < to; k++)
			if (exec_record(st, k, 0, resume, journaled, e, out) < 0)
				return -1;
		return 0;
	}
	if (audit_plan_steps_done(st->be, st->p, from, to, e) < 0) {
		*out = exec_audit_stopped(st, from, to, e);
		return -1;
	}
	if (st->be->ops->journal_steps(st->be, from, to, e) < 0) {
		*out = exec_stop(st, from, resume, journaled, e);
		return -1;
	}
	for (k = from; k < to; k++)
		testhooks_after_step(k + 1);    /* test builds only: trustmgr(8) */
	return 0;
}

void exec_progress(exec_state *st, size_t from, size_t to)
{
	size_t k;

	for (k = from; k < to && st->h && st->h->progress; k++)
		st->h->progress(st->h->ctx, st->p, k);
}

static int exec_loop(exec_state *st, size_t from, int resume, int journaled, tm_error *e)
{
	size_t i, to;
	int out = TM_OK, stopped = 0;

	for (i = from; i < st->p->nsteps; i++) {
		plan_step *s = &st->p->steps[i];

		if (exec_cancelled(st))
			return exec_interrupted(st, i, resume, journaled, e);
		to = exec_lanes_wave(st->be, st->p, i, st->domains, st->ndomains);
		if (to > i + 1) {
			if (exec_lanes_record(st, i, to, resume, journaled, e, &out) < 0)
				return out;
			i = to - 1;
			continue;
		}
		if (exec_lanes_verify(st, i, resume, journaled, e, &out, &stopped)) {
			if (stopped)
				return out;
			i++;
			continue;
		}
		exec_progress(st, i, i + 1);
		if (exec_record(st, i, exec_step(st, s, e), resume, journaled, e, &out) < 0)
			return out;
	}
	return exec_finish(st, journaled, e);
}

/* d's keys of principal's trust (the realm of the other end). */
static int exec_keys_of(exec_state *st, const tm_domain *d, const char *principal,
			tm_keyinfo **v, size_t *n, tm_error *e)
{
	char x[NAME_DNS_MAX], y[NAME_DNS_MAX];
	tm_focus f = { { x }, 1 };

	if (!keys_split_trust_principal(principal, x, y, sizeof(x)))
		return st->be->ops->key_list(st->be, d, v, n, e);
	f.names[0] = name_equal(x, d->realm) ? y : x;
	return backend_key_list_focus(st->be, d, &f, v, n, e);
}

/* On a resume after a KEY_CHANGE: read back the key version it produced. */
static int exec_recover_kvno(exec_state *st, size_t done, tm_error *e)
{
	size_t i, k, n = 0;
	tm_keyinfo *v = NULL;
	const tm_domain *d;

	for (i = 0; i < done; i++) {
		const plan_step *s = &st->p->steps[i];

		if (s->kind != STEP_KEY_CHANGE)
			continue;
		if (!(d = exec_domain(st, s->domain, e)))
			return -1;
		if (!backend_writable(st->be, d))
			continue;      /* read back with the secret instead (exec_read_back) */
		if (exec_keys_of(st, d, s->principal, &v, &n, e) < 0)
			return -1;
		for (k = 0; k < n; k++)
			if (strcmp(v[k].principal, s->principal) == 0)
				st->changed_kvno = v[k].kvno;
		free(v);
		v = NULL;
	}
	return 0;
}

/* On a resume after a KEY_CHANGE whose new secret nothing kept: no done
 * step wrote it anywhere (the process died between the change and the next
 * write), or only where it is not kept (a plain realm's TDO write changes
 * nothing, and its keys are never given back). That secret is gone. In a
 * domain trustmgr manages, set a fresh one at the next key version as its
 * administrator, and run again from the first done step that wrote the
 * lost one, so the rest of the plan writes the fresh one everywhere;
 * elsewhere say who must reset the password. A secret some domain could
 * not be read for now is left alone (exec_fill_slot says so). */
static int exec_rekey_lost(exec_state *st, size_t done, tm_error *e)
{
	size_t i;

	for (i = 0; i < done; i++) {
		const plan_step *s = &st->p->steps[i];
		plan_slot_def *slot;
		const tm_domain *d;
		int r;

		if (s->kind != STEP_KEY_CHANGE || s->slot_new < 0 || s->slot_new >= PLAN_MAX_SLOTS)
			continue;
		slot = &st->p->slots[s->slot_new];
		if (slot->value || !exec_slot_needed(st->p, s->slot_new, done) ||
		    ((r = exec_recover_slot(st, s->slot_new, done, e)) != 1 && r != 2))
			continue;
		error_clear(e);
		if (!(d = exec_domain(st, s->domain, e)))
			return -1;
		if (!backend_writable(st->be, d)) {
			error_fail(e, TM_EFAIL, ST_WRONG_PASSWORD,
				"the plan was interrupted after step %zu changed the password of %s "
				"in %s, before the new secret was stored anywhere it can be read back "
				"from: it is lost", i + 1, s->principal, d->name);
			error_hint(e, "%s's administrator must permit the trust again (trustmgr remove %s %s; "
				"trustmgr permit %s %s); then forget this plan with 'trustmgr discard' "
				"and run it again.", d->name, d->name, st->p->domain, d->name,
				st->p->domain);
			return -1;
		}
		if (secret_generate(&slot->value, e) < 0 ||
		    st->be->ops->key_set(st->be, d, s->principal, slot->value, st->changed_kvno + 1,
					 s->enctypes, 1, e) < 0)
			return -1;
		st->changed_kvno++;
		exec_rewind_to_writer(st, s->slot_new, i + 1, done);
	}
	return 0;
}

static int exec_start(tm_backend *be, tm_plan *p, size_t from, int resume, const exec_hooks *h,
		      tm_error *e)
{
	exec_state st;
	int journaled = plan_mutates(p), rc;

	memset(&st, 0, sizeof(st));
	st.be = be;
	st.p = p;
	st.h = h;
	st.resume = resume;
	st.rewind = from;
	error_clear(e);
	if ((journaled && audit_plan_check(be, e) < 0) ||
	    be->ops->domain_list(be, &st.domains, &st.ndomains, e) < 0)
		return e->cls;
	if (!resume && from == 0)
		exec_fit(be, p, st.domains, st.ndomains);
	if (exec_gate(be, p, from, st.domains, st.ndomains, e) < 0) {
		free(st.domains);
		return e->cls;
	}
	/* A resume may change keys before its steps run: recorded first. */
	if (journaled && resume && exec_audit_start(&st, from, e) < 0) {
		free(st.domains);
		return e->cls ? (int)e->cls : TM_EBACKEND;
	}
	if ((resume && (exec_recover_kvno(&st, from, e) < 0 || exec_rekey_lost(&st, from, e) < 0)) ||
	    exec_fill_slots(&st, resume ? from : 0, e) < 0) {
		if (resume)
			exec_audit_end(&st, journaled, "failed", e);
		free(st.domains);
		return e->cls ? (int)e->cls : TM_EUSAGE;
	}
	if (journaled && !resume && exec_audit_start(&st, from, e) < 0) {
		free(st.domains);
		return e->cls ? (int)e->cls : TM_EBACKEND;
	}
	if (journaled && !resume && be->ops->journal_begin(be, p, e) < 0) {
		exec_audit_end(&st, journaled, "failed", e);
		free(st.domains);
		return e->cls;
	}
	rc = exec_loop(&st, st.rewind < from ? st.rewind : from, resume, journaled, e);
	free(st.domains);
	return rc;
}

int exec_run(tm_backend *be, tm_plan *p, size_t from, const exec_hooks *h, tm_error *e)
{
	return exec_start(be, p, from, 0, h, e);
}

int exec_resume(tm_backend *be, tm_plan *p, size_t done, const exec_hooks *h, tm_error *e)
{
	return exec_start(be, p, done, 1, h, e);
}
