/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* health_fix.c - the plan that fixes a finding (health.h).
 *
 * A fix made of several workflows is chained: each workflow plans against a
 * simulated world, a copy of the snapshot to which the steps planned so far
 * have been applied, and the steps are moved into one plan. So a recreate
 * is one journaled plan, previewed whole with --dry-run, and an
 * interruption anywhere in it is resumed or rolled back as a whole. */
#include "model/health_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/keys.h"
#include "model/workflow_int.h"
#include "model/tdo.h"

/* ---- the simulated world ------------------------------------------------------ */

/* A changeable copy of one side. TDOs are shallow copies: their owned
 * memory belongs to the snapshot or to the plan's steps, never to the sim. */
typedef struct hf_side {
	tm_tdo *tdos;
	tm_health *health;
	size_t ntdos, cap_tdos;
	tm_account *accounts;
	size_t naccounts, cap_accounts;
	tm_keyinfo *keys;
	size_t nkeys, cap_keys;
} hf_side;

typedef struct hf_sim {
	const wf_world *w;
	hf_side s[2];              /* 0: w->local, 1: w->partner */
	uint32_t changed_kvno;     /* what the last KEY_CHANGE produced */
} hf_sim;

#define HF_ROOM 8              /* entries a chained plan may add to a side */

static void *hf_dup(const void *src, size_t n, size_t size)
{
	void *p = calloc(n + HF_ROOM, size);

	if (p && n)
		memcpy(p, src, n * size);
	return p;
}

static int hf_side_init(hf_side *h, const wf_side *s)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	h->ntdos = s->ntdos;
	h->naccounts = s->naccounts;
	h->nkeys = s->nkeys;
	h->cap_tdos = s->ntdos + HF_ROOM;
	h->cap_accounts = s->naccounts + HF_ROOM;
	h->cap_keys = s->nkeys + HF_ROOM;
	h->tdos = hf_dup(s->tdos, s->ntdos, sizeof(*h->tdos));
	h->health = calloc(s->ntdos + HF_ROOM, sizeof(*h->health));
	h->accounts = hf_dup(s->accounts, s->naccounts, sizeof(*h->accounts));
	h->keys = hf_dup(s->keys, s->nkeys, sizeof(*h->keys));
	if (!h->tdos || !h->health || !h->accounts || !h->keys)
		return -1;
	for (i = 0; s->health && i < s->ntdos; i++)
		h->health[i] = s->health[i];
	return 0;
}

static void hf_side_free(hf_side *h)
{
	free(h->tdos);
	free(h->health);
	free(h->accounts);
	free(h->keys);
	memset(h, 0, sizeof(*h));
}

static void hf_sim_free(hf_sim *sim)
{
	hf_side_free(&sim->s[0]);
	hf_side_free(&sim->s[1]);
}

static int hf_sim_init(hf_sim *sim, const wf_world *w, tm_error *e)
{
	memset(sim, 0, sizeof(*sim));
	sim->w = w;
	if (hf_side_init(&sim->s[0], &w->local) < 0 || hf_side_init(&sim->s[1], &w->partner) < 0) {
		hf_sim_free(sim);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while planning the fix");
	}
	return 0;
}

static const tm_domain *hf_dom(const hf_sim *sim, int i)
{
	return i == 0 ? sim->w->local.dom : sim->w->partner.dom;
}

/* The world as the workflows see it, with `local` as the local side. */
static void hf_view(const hf_sim *sim, int local, wf_world *v)
{
	const wf_side *src[2] = { &sim->w->local, &sim->w->partner };
	int i;

	*v = *sim->w;
	v->partner_name = NULL;
	for (i = 0; i < 2; i++) {
		const hf_side *h = &sim->s[i];
		wf_side *s = i == local ? &v->local : &v->partner;

		*s = *src[i];
		s->tdos = h->tdos;
		s->ntdos = h->ntdos;
		s->health = h->health;
		s->accounts = h->accounts;
		s->naccounts = h->naccounts;
		s->keys = h->keys;
		s->nkeys = h->nkeys;
	}
}

static int hf_side_of(const hf_sim *sim, const char *domain)
{
	if (strcmp(hf_dom(sim, 0)->name, domain) == 0)
		return 0;
	return strcmp(hf_dom(sim, 1)->name, domain) == 0 ? 1 : -1;
}

static long hf_tdo_index(const hf_side *h, const char *partner)
{
	size_t i;

	for (i = 0; i < h->ntdos; i++)
		if (name_equal(h->tdos[i].partner, partner))
			return (long)i;
	return -1;
}

/* ---- applying steps to the sim --------------------------------------------------- */

static void hf_tdo_put(hf_side *h, const plan_step *s)
{
	long i = hf_tdo_index(h, s->partner);

	if (i < 0) {
		i = (long)h->ntdos++;
		h->health[i] = HEALTH_UNKNOWN;
	}
	h->tdos[i] = s->tdo;
}

static void hf_tdo_delete(hf_side *h, const char *partner)
{
	long i = hf_tdo_index(h, partner);

	if (i < 0)
		return;
	memmove(&h->tdos[i], &h->tdos[i + 1], (h->ntdos - (size_t)i - 1) * sizeof(*h->tdos));
	memmove(&h->health[i], &h->health[i + 1], (h->ntdos - (size_t)i - 1) * sizeof(*h->health));
	h->ntdos--;
}

static tm_keyinfo *hf_key(hf_side *h, const char *principal, int create)
{
	size_t i;

	for (i = 0; i < h->nkeys; i++)
		if (strcmp(h->keys[i].principal, principal) == 0)
			return &h->keys[i];
	if (!create)
		return NULL;
	memset(&h->keys[h->nkeys], 0, sizeof(h->keys[0]));
	snprintf(h->keys[h->nkeys].principal, sizeof(h->keys[0].principal), "%s", principal);
	return &h->keys[h->nkeys++];
}

static void hf_key_delete(hf_side *h, const char *principal)
{
	tm_keyinfo *k = hf_key(h, principal, 0);
	size_t i;

	if (!k)
		return;
	i = (size_t)(k - h->keys);
	memmove(k, k + 1, (h->nkeys - i - 1) * sizeof(*k));
	h->nkeys--;
}

static void hf_account(hf_side *h, const plan_step *s, int put)
{
	size_t i;

	for (i = 0; i < h->naccounts; i++)
		if (name_equal(h->accounts[i].name, s->account))
			break;
	if (!put) {
		if (i < h->naccounts) {
			memmove(&h->accounts[i], &h->accounts[i + 1],
				(h->naccounts - i - 1) * sizeof(h->accounts[0]));
			h->naccounts--;
		}
		return;
	}
	if (i == h->naccounts)
		h->naccounts++;
	memset(&h->accounts[i], 0, sizeof(h->accounts[i]));
	snprintf(h->accounts[i].name, sizeof(h->accounts[i].name), "%s", s->account);
	snprintf(h->accounts[i].partner, sizeof(h->accounts[i].partner), "%s", s->partner);
}

static void hf_key_step(hf_sim *sim, hf_side *h, const plan_step *s)
{
	tm_keyinfo *k = hf_key(h, s->principal, 1);

	if (s->kind == STEP_KEY_CHANGE) {
		sim->changed_kvno = k->kvno + 1;
		k->kvno = sim->changed_kvno;
		return;
	}
	k->kvno = s->kvno ? s->kvno : sim->changed_kvno;
	k->enctypes = s->enctypes ? s->enctypes : ENCTYPE_BITS_AES;
}

/* Is there room for anything step s may add? */
/* A KEY_PLAIN step: the principal no longer requires pre-authentication. */
static void hf_key_plain(hf_side *h, const char *principal)
{
	tm_keyinfo *k = hf_key(h, principal, 0);

	if (k)
		k->requires_preauth = 0;
}

static int hf_room(const hf_side *h)
{
	return h->ntdos < h->cap_tdos && h->naccounts < h->cap_accounts && h->nkeys < h->cap_keys;
}

static void hf_apply_step(hf_sim *sim, hf_side *h, const plan_step *s)
{
	long i;

	switch (s->kind) {
	case STEP_TDO_PUT:
		hf_tdo_put(h, s);
		break;
	case STEP_TDO_DELETE:
		hf_tdo_delete(h, s->partner);
		break;
	case STEP_KEY_SET:
	case STEP_KEY_CHANGE:
		hf_key_step(sim, h, s);
		break;
	case STEP_KEY_DELETE:
		hf_key_delete(h, s->principal);
		break;
	case STEP_ACCOUNT_PUT:
	case STEP_ACCOUNT_DELETE:
		hf_account(h, s, s->kind == STEP_ACCOUNT_PUT);
		break;
	case STEP_HEALTH:
		if ((i = hf_tdo_index(h, s->partner)) >= 0)
			h->health[i] = s->health;
		break;
	case STEP_PROVE:
	case STEP_VERIFY:
	case STEP_SUFFIXES_SET:
		break;
	case STEP_KEY_PLAIN:
		hf_key_plain(h, s->principal);
		break;
	}
}

/* Apply every step of p to the sim. */
static int hf_apply(hf_sim *sim, const tm_plan *p, tm_error *e)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++) {
		int side = hf_side_of(sim, p->steps[i].domain);

		if (side < 0)
			continue;
		if (!hf_room(&sim->s[side]))
			return error_fail(e, TM_EBACKEND, NULL, "the fix changes more than trustmgr can "
				       "plan at once");
		hf_apply_step(sim, &sim->s[side], &p->steps[i]);
	}
	return 0;
}

/* ---- chaining workflows into one plan ------------------------------------------ */

typedef int (*hf_planner)(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e);

typedef struct hf_chain {
	hf_sim sim;
	tm_plan *p;                /* the plan being built (owns the steps) */
	tm_error *e;
} hf_chain;

/* Move src's steps (and their owned memory), slots and known outcome to dst. */
static int hf_take(tm_plan *dst, tm_plan *src, tm_error *e)
{
	size_t i;
	int k;

	if (dst->nsteps + src->nsteps > PLAN_MAX_STEPS)
		return workflow_full(e);
	for (i = 0; i < src->nsteps; i++) {
		dst->steps[dst->nsteps++] = src->steps[i];
		tdo_init(&src->steps[i].tdo);
	}
	for (k = 0; k < PLAN_MAX_SLOTS; k++)
		if (dst->slots[k].source == SLOT_UNUSED && src->slots[k].source != SLOT_UNUSED)
			plan_slot(dst, k, src->slots[k].source, src->slots[k].label);
	/* The last workflow names the plan's domains (the executor's messages
	 * about a trust step read them as trusting and trusted). */
	snprintf(dst->domain, sizeof(dst->domain), "%s", src->domain);
	snprintf(dst->partner, sizeof(dst->partner), "%s", src->partner);
	if (src->success[0])
		snprintf(dst->success, sizeof(dst->success), "%s", src->success);
	if (src->outcome != TM_OK) {
		dst->outcome = src->outcome;
		dst->outcome_status = src->outcome_status;
		snprintf(dst->outcome_what, sizeof(dst->outcome_what), "%s", src->outcome_what);
		snprintf(dst->outcome_next, sizeof(dst->outcome_next), "%s", src->outcome_next);
	}
	return 0;
}

/* Plan fn with side `local` as the local domain, against the world as the
 * chain has left it, and append its steps. */
static int hf_step(hf_chain *c, int local, hf_planner fn, const wf_options *o)
{
	wf_world v;
	tm_plan *part = NULL;
	int rc;

	hf_view(&c->sim, local, &v);
	if (fn(&v, o, &part, c->e) < 0)
		return -1;
	rc = hf_apply(&c->sim, part, c->e);
	if (rc == 0 && !c->p) {
		c->p = part;
		return 0;
	}
	if (rc == 0)
		rc = hf_take(c->p, part, c->e);
	plan_free(&part);
	return rc;
}

/* The workflows behind one signature. */
static int hf_reset(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	(void)o;
	return workflow_reset(w, out, e);
}

static int hf_rotate(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	(void)o;
	return workflow_rotate(w, out, e);
}

static int hf_reset_one_side(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	(void)o;
	return workflow_reset_one_side(w, out, e);
}

static int hf_recreate(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	(void)o;
	return workflow_recreate(w, out, NULL, e);
}

static int hf_permit(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	(void)o;
	return workflow_permit(w, out, e);
}

static int hf_trust(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	(void)o;
	return workflow_trust(w, out, e);
}

/* ---- looking at the sim ---------------------------------------------------------- */

/* Side i's TDO for the other side's domain, or NULL. */
static const tm_tdo *hf_tdo(const hf_chain *c, int i)
{
	wf_world v;

	hf_view(&c->sim, i, &v);
	return workflow_find_tdo(&v.local, v.partner.dom, NULL);
}

/* The principal of the finding's direction ("domain trusts partner" for
 * outbound and for the trust as a whole). */
static int hf_principal(const hf_chain *c, int d, uint32_t dir, char *buf, size_t n)
{
	const tm_domain *a = hf_dom(&c->sim, d), *b = hf_dom(&c->sim, !d);

	if (dir == TRUST_DIRECTION_INBOUND)
		return workflow_principal(b, a, buf, n, c->e);
	return workflow_principal(a, b, buf, n, c->e);
}

/* What side i's KDC holds for principal, or NULL. */
static const tm_keyinfo *hf_keyinfo(const hf_chain *c, int i, const char *principal)
{
	const hf_side *h = &c->sim.s[i];
	size_t k;

	for (k = 0; k < h->nkeys; k++)
		if (strcmp(h->keys[k].principal, principal) == 0)
			return &h->keys[k];
	return NULL;
}

static uint32_t hf_kvno(const hf_chain *c, int i, const char *principal)
{
	const tm_keyinfo *k = hf_keyinfo(c, i, principal);

	return k ? k->kvno : 0;
}

/* ---- the fixes ------------------------------------------------------------------- */

/* The end a recreate follows (workflow_recreate follows its local side): d's,
 * unless d has none or d's allows no direction and the other's does. */
static int hf_recreate_ref(const hf_chain *c, int d)
{
	const tm_tdo *td = hf_tdo(c, d), *tp = hf_tdo(c, !d);

	if (!tp || (td && (td->direction || !tp->direction)))
		return d;
	return !d;
}

/* The side behind in key versions for the finding's direction. */
static int hf_behind(const hf_chain *c, int d, uint32_t dir)
{
	char princ[KEYS_PRINC_MAX];

	if (hf_principal(c, d, dir, princ, sizeof(princ)) < 0)
		return !d;
	return hf_kvno(c, d, princ) < hf_kvno(c, !d, princ) ? d : !d;
}

/* Refuse an alignment when one end is gone (something changed since the
 * finding was made). */
static int hf_both_ends(const hf_chain *c, int d)
{
	if (hf_tdo(c, d) && hf_tdo(c, !d))
		return 0;
	error_fail(c->e, TM_EFAIL, ST_DOMAIN_TRUST_INCONSISTENT, "the trust between %s and %s no "
		"longer has both ends, so they cannot be aligned", hf_dom(&c->sim, d)->name,
		hf_dom(&c->sim, !d)->name);
	error_hint(c->e, "Run 'trustmgr health %s' again to see what it needs now.",
		hf_dom(&c->sim, d)->name);
	return -1;
}

/* A finding chose no attributes (both ends refused by the rules): the
 * administrator decides (health_align.c). */
static int hf_no_align(hf_chain *c, int d)
{
	error_fail(c->e, TM_EREFUSED, ST_INVALID_DOMAIN_STATE, "the rules allow neither end's "
		"trust attributes at both ends of the trust between %s and %s, so trustmgr cannot "
		"choose them", hf_dom(&c->sim, d)->name, hf_dom(&c->sim, !d)->name);
	error_hint(c->e, "Run 'trustmgr health %s' and read what the administrator must decide.",
		hf_dom(&c->sim, d)->name);
	return -1;
}

/* Reset side b to the password the other side was reset with. */
static int hf_finish_one_side(hf_chain *c, int b)
{
	if (hf_step(c, b, hf_reset_one_side, NULL) < 0)
		return -1;
	snprintf(c->p->success, sizeof(c->p->success), "%s's side of the trust with %s now holds "
		 "the password %s's side was reset with (current = previous): the one-side reset is "
		 "finished on both sides.", hf_dom(&c->sim, b)->name, hf_dom(&c->sim, !b)->name,
		 hf_dom(&c->sim, !b)->name);
	return 0;
}

/* Both ends get the attribute bits health_align_choose chose (the rules
 * allow them at both ends; the modify workflow checks again). */
static int hf_align_attributes(hf_chain *c, const health_finding *f, int d)
{
	const tm_tdo *td = hf_tdo(c, d), *tp = hf_tdo(c, !d);
	uint32_t bits = f->align_attributes & HC_ATTR_MASK, want_d, want_p;
	wf_options o;

	if (hf_both_ends(c, d) < 0)
		return -1;
	want_d = (td->attributes & ~HC_ATTR_MASK) | bits;
	want_p = (tp->attributes & ~HC_ATTR_MASK) | bits;
	workflow_options_init(&o);
	o.has_attributes = 1;
	o.attributes = want_d;
	if ((f->align_ends & HEALTH_END_DOMAIN) && hf_step(c, d, workflow_tdo_modify, &o) < 0)
		return -1;
	o.attributes = want_p;
	if ((f->align_ends & HEALTH_END_PARTNER) && hf_step(c, !d, workflow_tdo_modify, &o) < 0)
		return -1;
	if (!c->p)
		return hf_no_align(c, d);
	if (f->align_ends == (HEALTH_END_DOMAIN | HEALTH_END_PARTNER))
		snprintf(c->p->summary, sizeof(c->p->summary), "make both ends of the trust between "
			 "%s and %s an external trust with the same attributes",
			 hf_dom(&c->sim, d)->name, hf_dom(&c->sim, !d)->name);
	else
		snprintf(c->p->summary, sizeof(c->p->summary), "give %s's end of the trust with %s "
			 "the attributes of %s's end", hf_dom(&c->sim, f->align_ends ==
			 HEALTH_END_DOMAIN ? d : !d)->name, hf_dom(&c->sim, f->align_ends ==
			 HEALTH_END_DOMAIN ? !d : d)->name, hf_dom(&c->sim, f->align_ends ==
			 HEALTH_END_DOMAIN ? !d : d)->name);
	snprintf(c->p->success, sizeof(c->p->success), "Both ends of the trust between %s and %s "
		 "now have the same trust attributes.", hf_dom(&c->sim, d)->name,
		 hf_dom(&c->sim, !d)->name);
	return 0;
}

/* Which end's encryption types to follow: the one whose types the keys of
 * both KDCs have; else the finding's domain. Returns the side index. */
static int hf_enctype_ref(const hf_chain *c, int d, uint32_t dir)
{
	char princ[KEYS_PRINC_MAX];
	const tm_tdo *ta = hf_tdo(c, d), *tb = hf_tdo(c, !d);
	wf_world v;

	if (hf_principal(c, d, dir, princ, sizeof(princ)) < 0 || !ta || !tb)
		return d;
	hf_view(&c->sim, d, &v);
	return health_follow_b_enctypes(&v.local, ta, &v.partner, tb, princ) ? !d : d;
}

static int hf_align_enctypes(hf_chain *c, int d, uint32_t dir)
{
	int ref = hf_enctype_ref(c, d, dir);
	const tm_tdo *tr = hf_tdo(c, ref);
	wf_options o;

	if (hf_both_ends(c, d) < 0)
		return -1;
	workflow_options_init(&o);
	o.has_enctypes = 1;
	o.enctypes = health_key_enctypes(tr);       /* never DES only: no key is made for it */
	if (hf_step(c, !ref, workflow_tdo_modify, &o) < 0 ||
	    (health_des_only(tr) && hf_step(c, ref, workflow_tdo_modify, &o) < 0) ||
	    hf_step(c, ref, hf_reset, NULL) < 0)
		return -1;
	snprintf(c->p->summary, sizeof(c->p->summary), "give %s's end of the trust with %s the "
		 "encryption types of %s's end, then reset the trust", hf_dom(&c->sim, !ref)->name,
		 hf_dom(&c->sim, ref)->name, hf_dom(&c->sim, ref)->name);
	snprintf(c->p->success, sizeof(c->p->success), "Both ends of the trust between %s and %s "
		 "now allow the same encryption types, hold keys of them, and the trust verified.",
		 hf_dom(&c->sim, ref)->name, hf_dom(&c->sim, !ref)->name);
	return 0;
}

/* The side holding the only TDO of a pending or permitted trust. */
static int hf_holder(const hf_chain *c)
{
	return hf_tdo(c, 0) ? 0 : 1;
}

static int hf_repermit(hf_chain *c)
{
	int b = hf_holder(c);
	wf_options o;

	workflow_options_init(&o);
	o.remove_direction = TRUST_DIRECTION_INBOUND;
	if (hf_step(c, b, workflow_remove, &o) < 0 || hf_step(c, b, hf_permit, NULL) < 0)
		return -1;
	if ((b ? c->sim.w->local.writable : c->sim.w->partner.writable) &&
	    hf_step(c, !b, hf_trust, NULL) < 0)
		return -1;
	snprintf(c->p->summary, sizeof(c->p->summary), "%s removes the used permission and permits "
		 "%s again with a new initial password; %s then trusts %s with it",
		 hf_dom(&c->sim, b)->name, hf_dom(&c->sim, !b)->name, hf_dom(&c->sim, !b)->name,
		 hf_dom(&c->sim, b)->name);
	return 0;
}

/* The finding's direction says which half is missing: "other trusts h"
 * (h permitted it) or "h trusts other" (h trusted before any permit). */
static int hf_establish(hf_chain *c, const health_finding *f, int d)
{
	int h = hf_holder(c);

	if (f->direction == (h == d ? TRUST_DIRECTION_INBOUND : TRUST_DIRECTION_OUTBOUND))
		return hf_step(c, !h, hf_trust, NULL);    /* h permitted: the other trusts */
	if (hf_step(c, !h, hf_permit, NULL) < 0 || hf_step(c, h, hf_trust, NULL) < 0)
		return -1;
	snprintf(c->p->summary, sizeof(c->p->summary), "%s permits %s to trust it, then %s trusts "
		 "%s with the same initial password", hf_dom(&c->sim, !h)->name,
		 hf_dom(&c->sim, h)->name, hf_dom(&c->sim, h)->name, hf_dom(&c->sim, !h)->name);
	return 0;
}

static int hf_remove_orphan(hf_chain *c)
{
	wf_options o;

	workflow_options_init(&o);
	return hf_step(c, hf_holder(c), workflow_remove, &o);
}

/* Each KDC holding the direction's principal with pre-authentication
 * required gets it taken away (and the one-chance policy with it). */
static int hf_tidy(hf_chain *c, const health_finding *f, int d)
{
	char princ[KEYS_PRINC_MAX];
	const tm_keyinfo *k;
	plan_step *s;
	int i;

	if (hf_principal(c, d, f->direction, princ, sizeof(princ)) < 0)
		return -1;
	if (!(c->p = plan_new("tidy", hf_dom(&c->sim, d)->name, hf_dom(&c->sim, !d)->name)))
		return error_fail(c->e, TM_EBACKEND, NULL, "out of memory while planning the fix");
	for (i = 0; i < 2; i++) {
		if (!(k = hf_keyinfo(c, i, princ)) || !k->requires_preauth)
			continue;
		s = plan_add(c->p, STEP_KEY_PLAIN, hf_dom(&c->sim, i)->name, "%s: stop requiring "
			     "pre-authentication for %s and take it out of the one-chance policy",
			     hf_dom(&c->sim, i)->name, princ);
		if (!s)
			return workflow_full(c->e);
		snprintf(s->principal, sizeof(s->principal), "%s", princ);
	}
	snprintf(c->p->summary, sizeof(c->p->summary), "make %s a plain cross-realm principal",
		 princ);
	snprintf(c->p->success, sizeof(c->p->success), "%s is a plain cross-realm principal "
		 "again.", princ);
	return 0;
}

/* The leftover trust account f->account, deleted on the side holding it
 * (f->direction inbound: f->domain; outbound: its partner). One step, no
 * workflow: nothing else changes and there is no trust to verify. Refused
 * when the account is gone or a TDO with the inbound direction uses it by
 * now (deleting it would break that trust). */
static int hf_delete_account(const wf_world *w, const health_finding *f, tm_plan **out, tm_error *e)
{
	int theirs = f->direction == TRUST_DIRECTION_OUTBOUND;
	const wf_side *h = theirs ? &w->partner : &w->local, *o = theirs ? &w->local : &w->partner;
	const char *other = o->dom ? o->dom->name : f->partner;
	tm_plan *p;
	plan_step *s;

	if (!h->dom || !w->local.dom)
		return workflow_need_partner(w, e);
	if (!workflow_find_account(h, f->account)) {
		error_fail(e, TM_EFAIL, ST_OBJECT_NAME_NOT_FOUND, "%s no longer holds the trust account "
			   "%s, so there is nothing to delete", h->dom->name, f->account);
		error_hint(e, "Run 'trustmgr health %s' again to see what it needs now.", f->domain);
		return -1;
	}
	if (health_account_in_use(h, o->dom, f->account)) {
		error_fail(e, TM_EREFUSED, ST_DOMAIN_EXISTS, "the trust account %s of %s is in use again: "
			   "a trusted domain object of %s has the inbound direction for it, and deleting "
			   "the account would break that trust", f->account, other, h->dom->name);
		error_hint(e, "Run 'trustmgr health %s' again to see what it needs now.", f->domain);
		return -1;
	}
	if (!(p = plan_new("delete-account", w->local.dom->name,
			   w->partner.dom ? w->partner.dom->name : f->partner)))
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while planning the fix");
	s = plan_add(p, STEP_ACCOUNT_DELETE, h->dom->name, "%s: delete the leftover interdomain "
		     "trust account %s of %s", h->dom->name, f->account, other);
	if (!s) {
		plan_free(&p);
		return workflow_full(e);
	}
	snprintf(s->account, sizeof(s->account), "%s", f->account);
	snprintf(s->partner, sizeof(s->partner), "%s", f->partner);
	snprintf(p->summary, sizeof(p->summary), "delete the leftover interdomain trust account %s "
		 "of %s in %s", f->account, other, h->dom->name);
	snprintf(p->success, sizeof(p->success), "%s no longer holds the trust account %s: \"%s "
		 "trusts %s\" can be created again.", h->dom->name, f->account, other, h->dom->name);
	*out = p;
	return 0;
}

static int hf_dispatch(hf_chain *c, const health_finding *f, int d)
{
	switch (f->fix) {
	case FIX_RECREATE:
		return hf_step(c, hf_recreate_ref(c, d), hf_recreate, NULL);
	case FIX_RESET:
		return hf_step(c, d, hf_reset, NULL);
	case FIX_ROTATE:
		return hf_step(c, d, hf_rotate, NULL);
	case FIX_RESET_ONE_SIDE:
		return hf_finish_one_side(c, hf_behind(c, d, f->direction));
	case FIX_REMOVE_ORPHAN:
		return hf_remove_orphan(c);
	case FIX_ALIGN:
		return f->kind == HK_NO_COMMON_ENCTYPE ? hf_align_enctypes(c, d, f->direction)
						       : hf_align_attributes(c, f, d);
	case FIX_REPERMIT:
		return hf_repermit(c);
	case FIX_ESTABLISH:
		return hf_establish(c, f, d);
	case FIX_TIDY:
		return hf_tidy(c, f, d);
	case FIX_NONE:
	case FIX_MANUAL:
	case FIX_DELETE_ACCOUNT:   /* no chain: hf_delete_account */
		break;
	}
	return -1;
}

static const char *hf_op(health_fix fix)
{
	switch (fix) {
	case FIX_ALIGN: return "align";
	case FIX_REPERMIT: return "repermit";
	case FIX_ESTABLISH: return "establish";
	default: return NULL;      /* the workflow's own */
	}
}

static int hf_no_plan(const health_finding *f, tm_error *e)
{
	if (f->kind == HK_OK)
		error_fail(e, TM_EFAIL, NULL, "the trust between %s and %s needs no fix", f->domain,
			f->partner);
	else
		error_fail(e, TM_EFAIL, ST_TRUSTED_DOMAIN_FAILURE, "%s", f->cause);
	error_hint(e, "%s", f->fix_text);
	return -1;
}

/* health_fix_plan: the one plan that carries out f's fix (see health.h). */
int health_fix_plan(const wf_world *w, const health_finding *f, tm_plan **out, tm_error *e)
{
	hf_chain c;
	const char *op = hf_op(f->fix);
	int d, rc;

	*out = NULL;
	if (f->fix == FIX_NONE || f->fix == FIX_MANUAL)
		return hf_no_plan(f, e);
	if (f->fix == FIX_DELETE_ACCOUNT)
		return hf_delete_account(w, f, out, e);
	if (workflow_need_partner(w, e) < 0 || !w->local.dom)
		return -1;
	d = strcmp(w->local.dom->name, f->domain) == 0 ? 0 : 1;
	memset(&c, 0, sizeof(c));
	c.e = e;
	if (hf_sim_init(&c.sim, w, e) < 0)
		return -1;
	rc = hf_dispatch(&c, f, d);
	hf_sim_free(&c.sim);
	if (rc < 0 || !c.p) {
		plan_free(&c.p);
		return -1;
	}
	if (op)
		snprintf(c.p->op, sizeof(c.p->op), "%s", op);
	*out = c.p;
	return 0;
}
