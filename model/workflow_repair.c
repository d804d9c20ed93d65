/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* workflow_repair.c - remove, reset, reset-one-side, verify and the
 * low-level tdo add/modify/delete. */
#include "model/workflow_int.h"
#include "model/tdo.h"

#include <stdio.h>
#include <string.h>

/* ---- remove ----------------------------------------------------------- */

/* Steps that take `dir` away from side `self`'s TDO t describing `other`. */
int workflow_drop(tm_plan *p, const tm_domain *self, const tm_domain *other, const tm_tdo *t,
	    uint32_t dir, tm_error *e)
{
	char princ[KEYS_PRINC_MAX];
	plan_step *s;

	dir &= t->direction;
	if (dir == t->direction) {
		s = plan_add(p, STEP_TDO_DELETE, self->name, "%s: delete the trusted domain object for %s",
			     self->name, t->partner);
		if (!s)
			return workflow_full(e);
		snprintf(s->partner, sizeof(s->partner), "%s", t->partner);
	} else {
		tm_tdo n;
		int rc;

		tdo_init(&n);
		if (tdo_copy(&n, t) < 0)
			return error_fail(e, TM_EBACKEND, NULL, "out of memory");
		n.direction &= ~dir;
		rc = workflow_put_tdo(p, self, t, &n,
				workflow_blob((dir & TRUST_DIRECTION_INBOUND) ? BLOB_CLEAR : BLOB_KEEP, -1, 0),
				workflow_blob((dir & TRUST_DIRECTION_OUTBOUND) ? BLOB_CLEAR : BLOB_KEEP, -1, 0),
				"drop a direction from", e);
		tdo_free(&n);
		if (rc < 0)
			return -1;
	}
	if ((dir & TRUST_DIRECTION_OUTBOUND) &&
	    (workflow_principal(self, other, princ, sizeof(princ), e) < 0 || workflow_delete_key(p, self, princ, e) < 0))
		return -1;
	if (dir & TRUST_DIRECTION_INBOUND) {
		if (workflow_principal(other, self, princ, sizeof(princ), e) < 0 || workflow_delete_key(p, self, princ, e) < 0)
			return -1;
		s = plan_add(p, STEP_ACCOUNT_DELETE, self->name, "%s: delete the interdomain trust account of %s",
			     self->name, other->name);
		if (!s)
			return workflow_full(e);
		workflow_account_name(other, s->account, sizeof(s->account));
	}
	return 0;
}

/* Would step s tidy up something side d does not let trustmgr change? */
static int workflow_left_out(const plan_step *s, const wf_side *d)
{
	if (!d->dom || strcmp(s->domain, d->dom->name) != 0)
		return 0;
	return (s->kind == STEP_KEY_DELETE && !caps_has(&d->caps, CAP_KEY_SET)) ||
	       (s->kind == STEP_ACCOUNT_DELETE && !caps_has(&d->caps, CAP_ACCOUNT_WRITE));
}

/* Append to buf (size n) what a left-out step leaves to d's administrator. */
static void workflow_left_note(char *buf, size_t n, const plan_step *s, const wf_side *d)
{
	size_t len = strlen(buf);

	if (s->kind == STEP_KEY_DELETE)
		snprintf(buf + len, n - len, " %s still holds %s: trustmgr cannot %s of %s (%s); "
			 "delete it there with kadmin delprinc %s.", d->dom->name, s->principal,
			 caps_what(CAP_KEY_SET), d->dom->name, caps_why(&d->caps, CAP_KEY_SET),
			 s->principal);
	else
		snprintf(buf + len, n - len, " %s still holds the trust account %s: trustmgr cannot "
			 "%s of %s (%s).", d->dom->name, s->account, caps_what(CAP_ACCOUNT_WRITE),
			 d->dom->name, caps_why(&d->caps, CAP_ACCOUNT_WRITE));
}

/* A removal goes as far as each side allows: key and trust-account
 * deletions on a side whose KDC trustmgr cannot change are left out, and
 * the success message says what is left for that side's administrator. */
static void workflow_leave_behind(tm_plan *p, const wf_world *w)
{
	const wf_side *sides[2] = { &w->local, &w->partner };
	size_t i, k, n = 0;

	for (i = 0; i < p->nsteps; i++) {
		for (k = 0; k < 2 && !workflow_left_out(&p->steps[i], sides[k]); k++)
			;
		if (k < 2)
			workflow_left_note(p->success, sizeof(p->success), &p->steps[i], sides[k]);
		else
			p->steps[n++] = p->steps[i];
	}
	p->nsteps = n;
}

int workflow_remove(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	const tm_tdo *t = workflow_local_tdo(w, e), *pt;
	uint32_t dir;
	tm_domain pseudo;
	const tm_domain *other;
	tm_plan *p;
	int rc;

	if (!t)
		return -1;
	if (o->remove_sides_both && workflow_need_partner(w, e) < 0)
		return -1;
	workflow_pseudo_domain(t, &pseudo);
	other = w->partner.dom ? w->partner.dom : &pseudo;
	dir = o->remove_direction ? o->remove_direction : t->direction;
	p = workflow_new("remove", w, e);
	if (!p)
		return -1;
	snprintf(p->summary, sizeof(p->summary), "remove the trust between %s and %s (%s)",
		 w->local.dom->name, other->name, o->remove_sides_both ? "both sides" : "this side only");
	rc = workflow_drop(p, w->local.dom, other, t, dir, e);
	pt = o->remove_sides_both ? workflow_find_tdo(&w->partner, w->local.dom, NULL) : NULL;
	if (rc == 0 && pt)
		rc = workflow_drop(p, other, w->local.dom, pt, workflow_reverse(dir), e);
	snprintf(p->success, sizeof(p->success), "The trust between %s and %s was removed (%s).",
		 w->local.dom->name, other->name,
		 o->remove_sides_both ? "both sides" : "this side only");
	if (rc == 0)
		workflow_leave_behind(p, w);
	return workflow_done(p, out, rc);
}

int workflow_tdo_delete(const wf_world *w, tm_plan **out, tm_error *e)
{
	wf_options o;

	workflow_options_init(&o);
	if (workflow_remove(w, &o, out, e) < 0)
		return -1;
	snprintf((*out)->op, sizeof((*out)->op), "tdo-delete");
	return 0;
}

/* ---- reset ------------------------------------------------------------ */

/* Rotate one direction (trusting -> trusted) on both sides. */
static int workflow_reset_dir(tm_plan *p, const wf_world *w, const wf_dir *d, uint32_t lenc,
			uint32_t penc, tm_error *e)
{
	const tm_domain *l = w->local.dom, *r = w->partner.dom;

	return (workflow_set_key(p, l, d->principal, d->slot, d->kvno, lenc, 1, e) < 0 ||
		workflow_set_key(p, r, d->principal, d->slot, d->kvno, penc, 1, e) < 0) ? -1 : 0;
}

static int workflow_reset_blobs(tm_plan *p, const tm_domain *self, const tm_tdo *t, const wf_dir *out,
			  const wf_dir *in, blob_action a, tm_error *e)
{
	blob_change bin = workflow_blob(BLOB_KEEP, -1, 0), bout = workflow_blob(BLOB_KEEP, -1, 0);

	if (out)
		bout = workflow_blob(a, out->slot, out->kvno);
	if (in)
		bin = workflow_blob(a, in->slot, in->kvno);
	return workflow_put_tdo(p, self, t, t, bin, bout, a == BLOB_ROTATE ? "store the new secret in" :
			  "store the password twice in", e);
}

static int workflow_reset_plan(tm_plan *p, const wf_world *w, const tm_tdo *lt, const tm_tdo *pt,
			 tm_error *e)
{
	const tm_domain *l = w->local.dom, *r = w->partner.dom;
	int o = (lt->direction & TRUST_DIRECTION_OUTBOUND) != 0;
	int i = (lt->direction & TRUST_DIRECTION_INBOUND) != 0;
	wf_dir out, in;
	uint32_t le = lt->has_enctypes ? lt->enctypes : 0, pe = pt->has_enctypes ? pt->enctypes : 0;

	if (workflow_dir_init(&out, w, l, r, WF_SLOT_NEW_OUT, e) < 0 || workflow_dir_init(&in, w, r, l, WF_SLOT_NEW_IN, e) < 0)
		return -1;
	if (o)
		plan_slot(p, WF_SLOT_NEW_OUT, SLOT_GENERATED, "new random trust secret");
	if (i)
		plan_slot(p, WF_SLOT_NEW_IN, SLOT_GENERATED, "new random trust secret (other direction)");
	if (workflow_reset_blobs(p, l, lt, o ? &out : NULL, i ? &in : NULL, BLOB_ROTATE, e) < 0 ||
	    workflow_reset_blobs(p, r, pt, i ? &in : NULL, o ? &out : NULL, BLOB_ROTATE, e) < 0 ||
	    (o && workflow_reset_dir(p, w, &out, le, pe, e) < 0) || (i && workflow_reset_dir(p, w, &in, le, pe, e) < 0) ||
	    (o && workflow_verify_step(p, l, r, e) < 0) || (i && workflow_verify_step(p, r, l, e) < 0))
		return -1;
	return 0;
}

static int workflow_one_end(const wf_world *w, tm_error *e)
{
	error_fail(e, TM_EFAIL, ST_DOMAIN_TRUST_INCONSISTENT,
		"the trust is broken at one end: %s has no trusted domain object for %s, and a trust "
		"broken at one end cannot be repaired from the other end alone",
		w->partner.dom->name, w->local.dom->name);
	error_hint(e, "Remove both ends and create the trust again (trustmgr remove %s %s --sides both, "
		"then trustmgr create %s %s).", w->local.dom->name, w->partner.dom->name,
		w->local.dom->name, w->partner.dom->name);
	return -1;
}

static int workflow_direction_mismatch(const wf_world *w, const tm_tdo *lt, const tm_tdo *pt, tm_error *e)
{
	if (workflow_reverse(lt->direction) == pt->direction)
		return 0;
	error_fail(e, TM_EFAIL, ST_DOMAIN_TRUST_INCONSISTENT,
		"the two ends disagree about the direction: %s says %s, %s says %s",
		w->local.dom->name, trust_direction_name(lt->direction), w->partner.dom->name,
		trust_direction_name(pt->direction));
	error_hint(e, "Make them agree with 'trustmgr tdo modify', or recreate the trust.");
	return -1;
}

int workflow_reset(const wf_world *w, tm_plan **out, tm_error *e)
{
	const tm_tdo *lt, *pt;
	tm_plan *p;

	if (workflow_need_partner(w, e) < 0 || !(lt = workflow_local_tdo(w, e)))
		return -1;
	pt = workflow_find_tdo(&w->partner, w->local.dom, NULL);
	if (!pt)
		return workflow_one_end(w, e);
	if (workflow_direction_mismatch(w, lt, pt, e) < 0 || !(p = workflow_new("reset", w, e)))
		return -1;
	snprintf(p->summary, sizeof(p->summary), "reset the trust secret between %s and %s on both sides",
		 w->local.dom->name, w->partner.dom->name);
	snprintf(p->success, sizeof(p->success),
		 "The trust secret between %s and %s was reset on both sides and the trust verified.",
		 w->local.dom->name, w->partner.dom->name);
	return workflow_done(p, out, workflow_reset_plan(p, w, lt, pt, e));
}

/* Key version for a one-side reset of `principal`: `match`'s when it holds
 * one (forest recovery's partners follow the recovered domain exactly),
 * else aligned with the partner as reset-one-side does. */
static uint32_t workflow_one_side_kvno(const wf_world *w, const wf_side *match, const char *principal)
{
	uint32_t k = match ? workflow_kvno(match, principal) : 0;

	return k ? k : workflow_aligned_kvno(w, principal);
}

int workflow_reset_end(tm_plan *p, const wf_world *w, const tm_domain *other, const tm_tdo *t,
		 const wf_side *match, tm_error *e)
{
	const tm_domain *l = w->local.dom;
	int o = (t->direction & TRUST_DIRECTION_OUTBOUND) != 0;
	int i = (t->direction & TRUST_DIRECTION_INBOUND) != 0;
	uint32_t enc = t->has_enctypes ? t->enctypes : 0;
	wf_dir out, in;

	if (workflow_principal(l, other, out.principal, sizeof(out.principal), e) < 0 ||
	    workflow_principal(other, l, in.principal, sizeof(in.principal), e) < 0)
		return -1;
	out.slot = in.slot = WF_SLOT_TYPED;
	out.kvno = workflow_one_side_kvno(w, match, out.principal);
	in.kvno = workflow_one_side_kvno(w, match, in.principal);
	if (workflow_reset_blobs(p, l, t, o ? &out : NULL, i ? &in : NULL, BLOB_RESET_TWICE, e) < 0 ||
	    (o && workflow_set_key(p, l, out.principal, WF_SLOT_TYPED, out.kvno, enc, 0, e) < 0) ||
	    (i && workflow_set_key(p, l, in.principal, WF_SLOT_TYPED, in.kvno, enc, 0, e) < 0))
		return -1;
	return 0;
}

static int workflow_one_side_plan(tm_plan *p, const wf_world *w, const tm_domain *other,
			    const tm_tdo *lt, tm_error *e)
{
	plan_slot(p, WF_SLOT_TYPED, SLOT_SUPPLIED, "password (passwordT)");
	if (workflow_reset_end(p, w, other, lt, NULL, e) < 0)
		return -1;
	return workflow_health(p, w->local.dom, lt->partner, HEALTH_UNKNOWN, e);
}

int workflow_reset_one_side(const wf_world *w, tm_plan **out, tm_error *e)
{
	const tm_tdo *lt = workflow_local_tdo(w, e);
	tm_domain pseudo;
	const tm_domain *other;
	tm_plan *p;

	if (!lt || !(p = workflow_new("reset-one-side", w, e)))
		return -1;
	workflow_pseudo_domain(lt, &pseudo);
	other = w->partner.dom ? w->partner.dom : &pseudo;
	snprintf(p->summary, sizeof(p->summary),
		 "reset the trust with %s on %s's side only (current and previous both become the password)",
		 other->name, w->local.dom->name);
	snprintf(p->success, sizeof(p->success),
		 "The trust with %s was reset on %s's side only; current and previous are both the given "
		 "password. Use the same password on %s's side (trustmgr reset-one-side %s %s); until then "
		 "the trust does not work.", other->name, w->local.dom->name, other->name, other->name,
		 w->local.dom->name);
	return workflow_done(p, out, workflow_one_side_plan(p, w, other, lt, e));
}

/* ---- verify ----------------------------------------------------------- */

/* The check of "trusting trusts trusted" starts from a client of the
 * trusted side: when trustmgr cannot be one, the plan's outcome says that
 * this direction was not checked and why, instead of a step. */
static int workflow_verify_way(tm_plan *p, const wf_side *trusting, const wf_side *trusted,
			       tm_error *e)
{
	size_t len = strlen(p->outcome_what);

	if (caps_has(&trusted->caps, CAP_VERIFY))
		return workflow_verify_step(p, trusting->dom, trusted->dom, e);
	p->outcome = TM_EBACKEND;
	snprintf(p->outcome_what + len, sizeof(p->outcome_what) - len,
		 "%s\"%s trusts %s\" was not checked: trustmgr cannot %s of %s (%s).",
		 len ? " " : "", trusting->dom->name, trusted->dom->name, caps_what(CAP_VERIFY),
		 trusted->dom->name, caps_why(&trusted->caps, CAP_VERIFY));
	snprintf(p->outcome_next, sizeof(p->outcome_next),
		 "Give trustmgr a client of that domain (verify_principal with verify_keytab or "
		 "verify_password_file in trustmgr.conf), or check it with kinit and kvno from "
		 "one of its clients.");
	return 0;
}

int workflow_verify(const wf_world *w, tm_plan **out, tm_error *e)
{
	const tm_tdo *t;
	tm_plan *p;
	int rc = 0;

	if (!(t = workflow_local_tdo(w, e)))
		return -1;
	if (!w->partner.dom) {
		error_fail(e, TM_EFAIL, ST_NO_LOGON_SERVERS,
			"%s is not a domain trustmgr knows, so its KDC cannot be asked to issue a ticket",
			w->partner_name ? w->partner_name : t->partner);
		error_hint(e, "Add the partner with 'trustmgr domain add' (or configure it) and verify again.");
		return -1;
	}
	if (!(p = workflow_new("verify", w, e)))
		return -1;
	snprintf(p->summary, sizeof(p->summary), "verify the trust between %s and %s",
		 w->local.dom->name, w->partner.dom->name);
	if (t->direction & TRUST_DIRECTION_OUTBOUND)
		rc = workflow_verify_way(p, &w->local, &w->partner, e);
	if (rc == 0 && (t->direction & TRUST_DIRECTION_INBOUND))
		rc = workflow_verify_way(p, &w->partner, &w->local, e);
	for (size_t i = 0; i < p->nsteps; i++)
		p->steps[i].optional = 1;
	snprintf(p->success, sizeof(p->success), "The trust between %s and %s works in every direction it has.",
		 w->local.dom->name, w->partner.dom->name);
	return workflow_done(p, out, rc);
}

/* ---- tdo add / modify (low level, local side) --------------------------- */

static int workflow_tdo_from_options(const wf_options *o, tm_tdo *t, tm_error *e)
{
	tdo_init(t);
	if (!o->partner_dns || !o->direction || !o->type)
		return error_fail(e, TM_EUSAGE, NULL, "tdo add needs --partner, --direction and --type");
	snprintf(t->partner, sizeof(t->partner), "%s", o->partner_dns);
	if (o->partner_flat)
		snprintf(t->flat, sizeof(t->flat), "%s", o->partner_flat);
	if (o->partner_sid) {
		if (sid_parse(o->partner_sid, &t->sid, e) < 0)
			return -1;
		t->has_sid = 1;
	}
	t->direction = o->direction;
	t->type = o->type;
	t->attributes = o->has_attributes ? o->attributes : 0;
	workflow_set_flag(&t->attributes, TRUST_ATTR_FOREST_TRANSITIVE, o->forest_transitive);
	workflow_set_flag(&t->attributes, TRUST_ATTR_NON_TRANSITIVE, o->non_transitive);
	workflow_set_flag(&t->attributes, TRUST_ATTR_QUARANTINED_DOMAIN, o->quarantine);
	workflow_set_flag(&t->attributes, TRUST_ATTR_CROSS_ORGANIZATION, o->selective_auth);
	t->has_enctypes = o->has_enctypes;
	t->enctypes = o->enctypes;
	return 0;
}

/* Blobs and keys for the directions in `added` of TDO t with the typed password. */
static int workflow_tdo_secrets(tm_plan *p, const wf_world *w, const tm_tdo *t, uint32_t added,
			  blob_change *in, blob_change *out, tm_error *e)
{
	tm_domain pseudo;
	const tm_domain *other = w->partner.dom;
	wf_dir od, id;

	if (!other) {
		workflow_pseudo_domain(t, &pseudo);
		other = &pseudo;
	}
	if (workflow_principal(w->local.dom, other, od.principal, sizeof(od.principal), e) < 0 ||
	    workflow_principal(other, w->local.dom, id.principal, sizeof(id.principal), e) < 0)
		return -1;
	plan_slot(p, WF_SLOT_TYPED, SLOT_SUPPLIED, "trust password");
	od.kvno = workflow_aligned_kvno(w, od.principal);
	id.kvno = workflow_aligned_kvno(w, id.principal);
	if (added & TRUST_DIRECTION_OUTBOUND)
		*out = workflow_blob(BLOB_FRESH, WF_SLOT_TYPED, od.kvno);
	if (added & TRUST_DIRECTION_INBOUND)
		*in = workflow_blob(BLOB_FRESH, WF_SLOT_TYPED, id.kvno);
	return 0;
}

static int workflow_tdo_keys(tm_plan *p, const wf_world *w, const tm_tdo *t, const blob_change *in,
		       const blob_change *out, tm_error *e)
{
	tm_domain pseudo;
	const tm_domain *other = w->partner.dom;
	char princ[KEYS_PRINC_MAX];
	uint32_t enc = t->has_enctypes ? t->enctypes : 0;

	if (!other) {
		workflow_pseudo_domain(t, &pseudo);
		other = &pseudo;
	}
	if (out->action == BLOB_FRESH &&
	    (workflow_principal(w->local.dom, other, princ, sizeof(princ), e) < 0 ||
	     workflow_set_key(p, w->local.dom, princ, WF_SLOT_TYPED, out->kvno, enc, 0, e) < 0))
		return -1;
	if (in->action == BLOB_FRESH &&
	    (workflow_principal(other, w->local.dom, princ, sizeof(princ), e) < 0 ||
	     workflow_set_key(p, w->local.dom, princ, WF_SLOT_TYPED, in->kvno, enc, 0, e) < 0))
		return -1;
	return 0;
}

int workflow_tdo_add(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	blob_change bin = workflow_blob(BLOB_KEEP, -1, 0), bout = workflow_blob(BLOB_KEEP, -1, 0);
	tm_tdo t;
	tm_plan *p;
	int rc = -1;

	if (workflow_tdo_from_options(o, &t, e) < 0 || !(p = workflow_new("tdo-add", w, e))) {
		tdo_free(&t);
		return -1;
	}
	snprintf(p->summary, sizeof(p->summary), "add a trusted domain object for %s to %s",
		 t.partner, w->local.dom->name);
	snprintf(p->success, sizeof(p->success), "%s now holds a trusted domain object for %s.",
		 w->local.dom->name, t.partner);
	if (workflow_check_new(w, &w->local, &t, e) == 0 &&
	    (!o->has_password || workflow_tdo_secrets(p, w, &t, t.direction, &bin, &bout, e) == 0) &&
	    workflow_put_tdo(p, w->local.dom, NULL, &t, bin, bout, "create", e) == 0 &&
	    workflow_tdo_keys(p, w, &t, &bin, &bout, e) == 0)
		rc = 0;
	tdo_free(&t);
	return workflow_done(p, out, rc);
}

static int workflow_modify_apply(const wf_options *o, tm_tdo *t, tm_error *e)
{
	if (o->direction)
		t->direction = o->direction;
	if (o->type)
		t->type = o->type;
	if (o->has_attributes)
		t->attributes = o->attributes;
	workflow_set_flag(&t->attributes, TRUST_ATTR_FOREST_TRANSITIVE, o->forest_transitive);
	workflow_set_flag(&t->attributes, TRUST_ATTR_NON_TRANSITIVE, o->non_transitive);
	workflow_set_flag(&t->attributes, TRUST_ATTR_QUARANTINED_DOMAIN, o->quarantine);
	workflow_set_flag(&t->attributes, TRUST_ATTR_CROSS_ORGANIZATION, o->selective_auth);
	if (o->has_enctypes) {
		t->has_enctypes = 1;
		t->enctypes = o->enctypes;
	}
	if (o->partner_flat)
		snprintf(t->flat, sizeof(t->flat), "%s", o->partner_flat);
	if (o->partner_sid) {
		if (sid_parse(o->partner_sid, &t->sid, e) < 0)
			return -1;
		t->has_sid = 1;
	}
	return 0;
}

/* Steps of a modify once the new TDO is known to be valid. */
static int workflow_modify_steps(tm_plan *p, const wf_world *w, const wf_options *o, const tm_tdo *old,
			   const tm_tdo *t, tm_error *e)
{
	uint32_t dropped = old->direction & ~t->direction, added = t->direction & ~old->direction;
	blob_change bin = workflow_blob((dropped & TRUST_DIRECTION_INBOUND) ? BLOB_CLEAR : BLOB_KEEP, -1, 0);
	blob_change bout = workflow_blob((dropped & TRUST_DIRECTION_OUTBOUND) ? BLOB_CLEAR : BLOB_KEEP, -1, 0);
	tm_domain pseudo;
	const tm_domain *other = w->partner.dom;
	char princ[KEYS_PRINC_MAX];

	if (!other) {
		workflow_pseudo_domain(old, &pseudo);
		other = &pseudo;
	}
	if ((added && o->has_password && workflow_tdo_secrets(p, w, t, added, &bin, &bout, e) < 0) ||
	    workflow_put_tdo(p, w->local.dom, old, t, bin, bout, "change", e) < 0 ||
	    workflow_tdo_keys(p, w, t, &bin, &bout, e) < 0)
		return -1;
	if ((dropped & TRUST_DIRECTION_OUTBOUND) &&
	    (workflow_principal(w->local.dom, other, princ, sizeof(princ), e) < 0 ||
	     workflow_delete_key(p, w->local.dom, princ, e) < 0))
		return -1;
	if ((dropped & TRUST_DIRECTION_INBOUND) &&
	    (workflow_principal(other, w->local.dom, princ, sizeof(princ), e) < 0 ||
	     workflow_delete_key(p, w->local.dom, princ, e) < 0))
		return -1;
	return 0;
}

int workflow_tdo_modify(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	const tm_tdo *old = workflow_local_tdo(w, e);
	tm_tdo t;
	tm_plan *p;
	int rc = -1;

	if (!old)
		return -1;
	tdo_init(&t);
	if (tdo_copy(&t, old) < 0)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	if (workflow_modify_apply(o, &t, e) < 0 || !(p = workflow_new("tdo-modify", w, e))) {
		tdo_free(&t);
		return -1;
	}
	snprintf(p->summary, sizeof(p->summary), "change the trusted domain object for %s in %s",
		 old->partner, w->local.dom->name);
	snprintf(p->success, sizeof(p->success), "The trusted domain object for %s in %s was changed.",
		 old->partner, w->local.dom->name);
	if (workflow_check_change(w, &w->local, old, &t, e) == 0 && workflow_modify_steps(p, w, o, old, &t, e) == 0)
		rc = 0;
	tdo_free(&t);
	return workflow_done(p, out, rc);
}
