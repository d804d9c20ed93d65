/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* workflow_establish.c - permit, trust (NT one-chance semantics) and create. */
#include "model/workflow_int.h"
#include "model/tdo.h"
#include "model/domain.h"

#include <stdio.h>
#include <string.h>

/* ---- permit ----------------------------------------------------------- */

/* The local TDO for partner after adding `dir`: a copy of the old one with
 * the direction added, or a new description. */
static int workflow_with_direction(const wf_side *s, const tm_domain *other, uint32_t dir,
			     const wf_options *o, tm_tdo *t, const tm_tdo **old)
{
	*old = workflow_find_tdo(s, other, NULL);
	if (!*old) {
		workflow_describe(s->dom, other, dir, o, t);
		return 0;
	}
	if (tdo_copy(t, *old) < 0)
		return -1;
	t->direction |= dir;
	return 0;
}

static int workflow_check_side(const wf_world *w, const wf_side *s, const tm_tdo *old, tm_tdo *t,
			 tm_error *e)
{
	return old ? workflow_check_change(w, s, old, t, e) : workflow_check_new(w, s, t, e);
}

/* Side sd (the trusted domain b) permits a: TDO, key, armed account, health. */
int workflow_permit_side(tm_plan *p, const wf_side *sd, const tm_domain *a, tm_tdo *t,
		   const tm_tdo *old, tm_error *e)
{
	const tm_domain *b = sd->dom;
	char princ[KEYS_PRINC_MAX];
	uint32_t kvno;
	plan_step *s;

	if (workflow_principal(a, b, princ, sizeof(princ), e) < 0)
		return -1;
	kvno = workflow_kvno(sd, princ) + 1;
	plan_slot(p, WF_SLOT_TYPED, SLOT_SUPPLIED, "initial password");
	if (workflow_put_tdo(p, b, old, t, workflow_blob(BLOB_FRESH, WF_SLOT_TYPED, kvno),
		       workflow_blob(BLOB_KEEP, -1, 0), old ? "add the inbound direction to" : "create", e) < 0 ||
	    workflow_set_key(p, b, princ, WF_SLOT_TYPED, kvno, t->enctypes, 0, e) < 0)
		return -1;
	s = plan_add(p, STEP_ACCOUNT_PUT, b->name,
		     "%s: create the interdomain trust account for %s (one chance to use the password)",
		     b->name, a->name);
	if (!s)
		return workflow_full(e);
	workflow_account_name(a, s->account, sizeof(s->account));
	snprintf(s->partner, sizeof(s->partner), "%s", t->partner);
	return workflow_health(p, b, t->partner, HEALTH_PERMITTED, e);
}

int workflow_permit(const wf_world *w, tm_plan **out, tm_error *e)
{
	const tm_tdo *old;
	tm_tdo t;
	tm_plan *p;
	int rc;

	if (workflow_need_partner(w, e) < 0)
		return -1;
	tdo_init(&t);
	if (workflow_with_direction(&w->local, w->partner.dom, TRUST_DIRECTION_INBOUND, NULL, &t, &old) < 0)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	if (old && (old->direction & TRUST_DIRECTION_INBOUND)) {
		tdo_free(&t);
		error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_COLLISION,
			"%s is already permitted to trust %s", w->partner.dom->name, w->local.dom->name);
		error_hint(e, "To start again, remove it first: trustmgr remove %s %s --direction inbound",
			w->local.dom->name, w->partner.dom->name);
		return -1;
	}
	rc = -1;
	p = workflow_new("permit", w, e);
	if (p && workflow_check_side(w, &w->local, old, &t, e) == 0)
		rc = workflow_permit_side(p, &w->local, w->partner.dom, &t, old, e);
	tdo_free(&t);
	if (p && rc == 0) {
		snprintf(p->summary, sizeof(p->summary), "%s permits %s to trust it",
			 w->local.dom->name, w->partner.dom->name);
		snprintf(p->success, sizeof(p->success),
			 "%s now permits %s to trust it. Give the initial password to %s's administrator, "
			 "who adds %s as a trusted domain (trustmgr trust %s %s); the first attempt uses the one chance.",
			 w->local.dom->name, w->partner.dom->name, w->partner.dom->name,
			 w->local.dom->name, w->partner.dom->name, w->local.dom->name);
	}
	return p ? workflow_done(p, out, rc) : -1;
}

/* ---- trust (establish, NT semantics) ---------------------------------- */

static int workflow_trust_refuse_existing(const wf_world *w, const tm_tdo *old, tm_error *e)
{
	if (!old || !(old->direction & TRUST_DIRECTION_OUTBOUND))
		return 0;
	if (w->local.health && w->local.health[old - w->local.tdos] == HEALTH_PENDING_PERMIT)
		return 0;              /* recorded before the permit, never verified: retry */
	error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_COLLISION, "%s already trusts %s",
		w->local.dom->name, w->partner.dom->name);
	error_hint(e, "Check it with 'trustmgr verify %s %s'; to establish it again, remove both ends first.",
		w->local.dom->name, w->partner.dom->name);
	return -1;
}

static int workflow_chance_used(const wf_world *w, tm_error *e)
{
	const tm_domain *a = w->local.dom, *b = w->partner.dom;

	error_fail(e, TM_EFAIL, ST_ACCOUNT_LOCKED_OUT,
		"the initial password %s gave %s was already used up by an earlier wrong attempt "
		"(the one chance is gone), so the trust cannot be established with it",
		b->name, a->name);
	error_hint(e, "%s's administrator must remove %s from Trusting Domains and permit it again "
		"(trustmgr remove %s %s --direction inbound; trustmgr permit %s %s), then run "
		"trustmgr trust %s %s with the new password.",
		b->name, a->name, b->name, a->name, b->name, a->name, a->name, b->name);
	return -1;
}

/* Trusted side has permitted: prove, then rotate on both ends. */
static int workflow_trust_change(tm_plan *p, const tm_domain *a, const tm_domain *b,
			   const char *princ, const char *bpartner, uint32_t enctypes, tm_error *e)
{
	plan_step *s = plan_add(p, STEP_PROVE, b->name,
				"%s: prove the password as %s's trust account (uses the one chance)",
				b->name, a->name);

	if (!s)
		return workflow_full(e);
	snprintf(s->principal, sizeof(s->principal), "%s", princ);
	snprintf(s->partner, sizeof(s->partner), "%s", bpartner);
	workflow_account_name(a, s->account, sizeof(s->account));
	s->slot = WF_SLOT_TYPED;
	s = plan_add(p, STEP_KEY_CHANGE, b->name,
		     "%s: immediately replace the password of %s with a new random secret, "
		     "as the trust account itself (kpasswd)", b->name, princ);
	if (!s)
		return workflow_full(e);
	snprintf(s->principal, sizeof(s->principal), "%s", princ);
	s->slot = WF_SLOT_TYPED;
	s->slot_new = WF_SLOT_NEW_OUT;
	s->enctypes = enctypes;        /* the types the trusting side's key gets */
	return 0;
}

/* Trusted side has permitted (or cannot be read from here): prove the
 * password against it, have it replaced there by a random secret through
 * the protocol, then record the same secret and key version here. bt is
 * the trusted side's TDO when trustmgr can read and change that side. */
static int workflow_trust_permitted(tm_plan *p, const wf_world *w, tm_tdo *t, const tm_tdo *old,
			      const tm_tdo *bt, tm_error *e)
{
	const tm_domain *a = w->local.dom, *b = w->partner.dom;
	char princ[KEYS_PRINC_MAX];
	tm_tdo bnew;
	int rc = 0;

	if (workflow_principal(a, b, princ, sizeof(princ), e) < 0)
		return -1;
	plan_slot(p, WF_SLOT_TYPED, SLOT_SUPPLIED, "password");
	plan_slot(p, WF_SLOT_NEW_OUT, SLOT_GENERATED, "new random trust secret");
	if (workflow_trust_change(p, a, b, princ, bt ? bt->partner : domain_partner_name(a),
				  t->enctypes, e) < 0)
		return -1;
	if (bt) {
		tdo_init(&bnew);
		if (tdo_copy(&bnew, bt) < 0)
			return error_fail(e, TM_EBACKEND, NULL, "out of memory");
		rc = workflow_put_tdo(p, b, bt, &bnew, workflow_blob(BLOB_ROTATE, WF_SLOT_NEW_OUT, 0),
				workflow_blob(BLOB_KEEP, -1, 0), "store the new secret in", e);
		tdo_free(&bnew);
	}
	if (rc < 0 ||
	    workflow_put_tdo(p, a, old, t, workflow_blob(BLOB_KEEP, -1, 0), workflow_blob(BLOB_FRESH, WF_SLOT_NEW_OUT, 0),
		       old ? "add the outbound direction to" : "create", e) < 0 ||
	    workflow_set_key(p, a, princ, WF_SLOT_NEW_OUT, 0, t->enctypes, 0, e) < 0 ||
	    workflow_verify_step(p, a, b, e) < 0)
		return -1;
	if (!bt)
		p->steps[p->nsteps - 1].optional = 1;
	snprintf(p->success, sizeof(p->success), "Trust relationship with %s successfully established.", b->name);
	return 0;
}

/* Trusted side has not permitted (or is unknown): record this side only. */
static int workflow_trust_unverified(tm_plan *p, const wf_world *w, tm_tdo *t, const tm_tdo *old,
			       tm_error *e)
{
	const tm_domain *a = w->local.dom, *b = w->partner.dom;
	char princ[KEYS_PRINC_MAX];
	uint32_t kvno;

	if (workflow_principal(a, b, princ, sizeof(princ), e) < 0)
		return -1;
	kvno = workflow_kvno(&w->local, princ) + 1;
	plan_slot(p, WF_SLOT_TYPED, SLOT_SUPPLIED, "password");
	if (workflow_put_tdo(p, a, old, t, workflow_blob(BLOB_KEEP, -1, 0), workflow_blob(BLOB_FRESH, WF_SLOT_TYPED, kvno),
		       old ? "add the outbound direction to" : "create", e) < 0 ||
	    workflow_set_key(p, a, princ, WF_SLOT_TYPED, kvno, t->enctypes, 0, e) < 0 ||
	    workflow_health(p, a, t->partner, HEALTH_PENDING_PERMIT, e) < 0)
		return -1;
	p->outcome = TM_EFAIL;
	p->outcome_status = ST_TRUSTED_DOMAIN_FAILURE;
	snprintf(p->outcome_what, sizeof(p->outcome_what),
		 "%s now lists %s as trusted, but the trust relationship between %s and %s could not be "
		 "verified at this time: %s has not permitted %s to trust it",
		 a->name, b->name, a->name, b->name, b->name, a->name);
	snprintf(p->outcome_next, sizeof(p->outcome_next),
		 "Ask %s's administrator to permit %s to trust %s with the same password "
		 "(trustmgr permit %s %s), then run trustmgr trust %s %s again.",
		 b->name, a->name, b->name, b->name, a->name, a->name, b->name);
	return 0;
}

int workflow_trust(const wf_world *w, tm_plan **out, tm_error *e)
{
	const tm_tdo *old, *bt;
	const tm_account *acct;
	char aname[NAME_NB_MAX + 2];
	tm_tdo t;
	tm_plan *p;
	int rc = -1, readable;

	if (workflow_need_partner(w, e) < 0)
		return -1;
	tdo_init(&t);
	if (workflow_with_direction(&w->local, w->partner.dom, TRUST_DIRECTION_OUTBOUND, NULL, &t, &old) < 0)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	bt = workflow_find_tdo(&w->partner, w->local.dom, NULL);
	if (bt && !(bt->direction & TRUST_DIRECTION_INBOUND))
		bt = NULL;
	readable = w->partner.writable;
	workflow_account_name(w->local.dom, aname, sizeof(aname));
	acct = workflow_find_account(&w->partner, aname);
	p = NULL;
	if (workflow_trust_refuse_existing(w, old, e) < 0 || (bt && acct && acct->locked && workflow_chance_used(w, e) < 0) ||
	    (p = workflow_new("trust", w, e)) == NULL) {
		tdo_free(&t);
		return -1;
	}
	if (workflow_check_side(w, &w->local, old, &t, e) == 0)
		rc = (bt || !readable) ? workflow_trust_permitted(p, w, &t, old, bt, e)
				       : workflow_trust_unverified(p, w, &t, old, e);
	tdo_free(&t);
	snprintf(p->summary, sizeof(p->summary), "%s trusts %s", w->local.dom->name, w->partner.dom->name);
	return workflow_done(p, out, rc);
}

/* ---- create ------------------------------------------------------------ */

/* Write side s's TDO and keys for the directions in dirs. */
int workflow_create_side(tm_plan *p, const tm_domain *self, tm_tdo *t, const wf_dir *out,
		   const wf_dir *in, tm_error *e)
{
	blob_change bin = workflow_blob(BLOB_KEEP, -1, 0), bout = workflow_blob(BLOB_KEEP, -1, 0);

	if (out)
		bout = workflow_blob(BLOB_FRESH, out->slot, out->kvno);
	if (in)
		bin = workflow_blob(BLOB_FRESH, in->slot, in->kvno);
	if (workflow_put_tdo(p, self, NULL, t, bin, bout, "create", e) < 0)
		return -1;
	if (out && workflow_set_key(p, self, out->principal, out->slot, out->kvno, t->enctypes, 0, e) < 0)
		return -1;
	if (in && workflow_set_key(p, self, in->principal, in->slot, in->kvno, t->enctypes, 0, e) < 0)
		return -1;
	return 0;
}

static int workflow_refuse_existing(const wf_side *s, const tm_domain *other, tm_error *e)
{
	if (!workflow_find_tdo(s, other, NULL))
		return 0;
	error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_COLLISION,
		"%s already has a trusted domain object for %s", s->dom->name, other->name);
	error_hint(e, "Change it with 'trustmgr tdo modify %s %s', or remove it first (trustmgr remove %s %s).",
		s->dom->name, other->name, s->dom->name, other->name);
	return -1;
}

static int workflow_create_both(tm_plan *p, const wf_world *w, const wf_options *o, tm_error *e)
{
	const tm_domain *l = w->local.dom, *r = w->partner.dom;
	uint32_t dir = o->direction ? o->direction : TRUST_DIRECTION_BIDIRECTIONAL;
	wf_dir out, in;
	tm_tdo tl, tr;
	int rc = -1, has_out = (dir & TRUST_DIRECTION_OUTBOUND) != 0, has_in = (dir & TRUST_DIRECTION_INBOUND) != 0;

	if (workflow_refuse_existing(&w->local, r, e) < 0 || workflow_refuse_existing(&w->partner, l, e) < 0 ||
	    workflow_dir_init(&out, w, l, r, WF_SLOT_NEW_OUT, e) < 0 || workflow_dir_init(&in, w, r, l, WF_SLOT_NEW_IN, e) < 0)
		return -1;
	if (has_out)
		plan_slot(p, WF_SLOT_NEW_OUT, SLOT_GENERATED, "new random trust secret");
	if (has_in)
		plan_slot(p, WF_SLOT_NEW_IN, SLOT_GENERATED, "new random trust secret (other direction)");
	workflow_describe(l, r, dir, o, &tl);
	workflow_describe(r, l, workflow_reverse(dir), o, &tr);
	if (workflow_check_new(w, &w->local, &tl, e) == 0 && workflow_check_new(w, &w->partner, &tr, e) == 0 &&
	    workflow_create_side(p, l, &tl, has_out ? &out : NULL, has_in ? &in : NULL, e) == 0 &&
	    workflow_create_side(p, r, &tr, has_in ? &in : NULL, has_out ? &out : NULL, e) == 0 &&
	    (!has_out || workflow_verify_step(p, l, r, e) == 0) && (!has_in || workflow_verify_step(p, r, l, e) == 0))
		rc = 0;
	tdo_free(&tl);
	tdo_free(&tr);
	snprintf(p->success, sizeof(p->success), "Trust between %s and %s (%s) created on both sides and verified.",
		 l->name, r->name, trust_direction_name(dir));
	return rc;
}

static int workflow_create_local(tm_plan *p, const wf_world *w, const wf_options *o, tm_error *e)
{
	const tm_domain *l = w->local.dom, *r = w->partner.dom;
	uint32_t dir = o->direction ? o->direction : TRUST_DIRECTION_BIDIRECTIONAL;
	wf_dir out, in;
	tm_tdo tl;
	int rc = -1;

	if (workflow_refuse_existing(&w->local, r, e) < 0 ||
	    workflow_dir_init(&out, w, l, r, WF_SLOT_TYPED, e) < 0 || workflow_dir_init(&in, w, r, l, WF_SLOT_TYPED, e) < 0)
		return -1;
	out.kvno = workflow_aligned_kvno(w, out.principal);
	in.kvno = workflow_aligned_kvno(w, in.principal);
	plan_slot(p, WF_SLOT_TYPED, SLOT_SUPPLIED, "trust password");
	workflow_describe(l, r, dir, o, &tl);
	if (workflow_check_new(w, &w->local, &tl, e) == 0 &&
	    workflow_create_side(p, l, &tl, (dir & TRUST_DIRECTION_OUTBOUND) ? &out : NULL,
			   (dir & TRUST_DIRECTION_INBOUND) ? &in : NULL, e) == 0 &&
	    workflow_health(p, l, tl.partner, HEALTH_UNKNOWN, e) == 0)
		rc = 0;
	snprintf(p->success, sizeof(p->success),
		 "%s's side of the trust with %s is created. %s's administrator must now create the other side "
		 "with the same password (trustmgr create %s %s --sides local --direction %s), then verify it.",
		 l->name, r->name, r->name, r->name, l->name,
		 dir == TRUST_DIRECTION_BIDIRECTIONAL ? "both" : trust_direction_name(workflow_reverse(dir)));
	tdo_free(&tl);
	return rc;
}

int workflow_create(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	tm_plan *p;
	int rc;

	if (workflow_need_partner(w, e) < 0)
		return -1;
	p = workflow_new("create", w, e);
	if (!p)
		return -1;
	snprintf(p->summary, sizeof(p->summary), "create a %s trust between %s and %s (%s)",
		 trust_direction_name(o->direction ? o->direction : TRUST_DIRECTION_BIDIRECTIONAL),
		 w->local.dom->name, w->partner.dom->name, o->sides_both ? "both sides" : "this side only");
	rc = o->sides_both ? workflow_create_both(p, w, o, e) : workflow_create_local(p, w, o, e);
	return workflow_done(p, out, rc);
}

