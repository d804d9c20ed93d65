/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* workflow.c - intents to plans: permit, trust, create, remove, reset,
 * reset-one-side, verify, and the low-level tdo add/modify/delete.
 *
 * Conventions: "A trusts B" means A holds an OUTBOUND TDO for B with the
 * secret in trustAuthOutgoing, B holds an INBOUND TDO for A with it in
 * trustAuthIncoming, and both KDCs hold krbtgt/A@B at the same kvno.
 */
#include "model/workflow.h"

#include <stdio.h>
#include <string.h>

#include "model/workflow_int.h"
#include "model/tdo.h"
#include "model/domain.h"
#include "model/keys.h"

#define FOREST_MAX 64

void workflow_options_init(wf_options *o)
{
	memset(o, 0, sizeof(*o));
	o->sides_both = 1;
	o->forest_transitive = -1;
	o->non_transitive = -1;
	o->quarantine = -1;
	o->selective_auth = -1;
}

/* ---- looking things up ------------------------------------------------ */

const tm_tdo *workflow_find_tdo(const wf_side *s, const tm_domain *d, const char *name)
{
	size_t i;
	char sid[SID_TEXT_MAX];

	for (i = 0; i < s->ntdos; i++) {
		const tm_tdo *t = &s->tdos[i];

		if (!d) {
			if (tdo_matches(t, name))
				return t;
			continue;
		}
		if ((d->dns[0] && tdo_matches(t, d->dns)) ||
		    (d->netbios[0] && tdo_matches(t, d->netbios)) ||
		    (d->realm[0] && tdo_matches(t, d->realm)) ||
		    (d->has_sid && tdo_matches(t, sid_format(&d->sid, sid, sizeof(sid)))))
			return t;
	}
	return NULL;
}

const tm_account *workflow_find_account(const wf_side *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->naccounts; i++)
		if (name_equal(s->accounts[i].name, name))
			return &s->accounts[i];
	return NULL;
}

const tm_keyinfo *workflow_find_key(const wf_side *s, const char *principal)
{
	size_t i;

	for (i = 0; s && i < s->nkeys; i++)
		if (strcmp(s->keys[i].principal, principal) == 0)
			return &s->keys[i];
	return NULL;
}

uint32_t workflow_kvno(const wf_side *s, const char *principal)
{
	const tm_keyinfo *k = workflow_find_key(s, principal);

	return k ? k->kvno : 0;
}

int workflow_principal(const tm_domain *trusting, const tm_domain *trusted, char *buf,
		 size_t n, tm_error *e)
{
	return keys_trust_principal(trusting->realm, trusted->realm, buf, n, e);
}

/* Key version for a change made on the local side only, chosen so that the
 * partner's administrator doing the same later lands on the same number:
 * align with the partner when it is ahead, else one above the local one. */
uint32_t workflow_aligned_kvno(const wf_world *w, const char *principal)
{
	uint32_t mine = workflow_kvno(&w->local, principal);
	uint32_t theirs = workflow_kvno(&w->partner, principal);

	return theirs > mine ? theirs : mine + 1;
}

/* "A$": the interdomain trust account a trusted domain keeps for A. */
void workflow_account_name(const tm_domain *trusting, char *buf, size_t n)
{
	const char *base = trusting->netbios[0] ? trusting->netbios : trusting->realm;

	snprintf(buf, n, "%.*s$", NB_MAX_CHARS * 4, base);
}

const char *workflow_label(const tm_domain *d)
{
	return d->name;
}

int workflow_need_partner(const wf_world *w, tm_error *e)
{
	if (w->partner.dom)
		return 0;
	error_fail(e, TM_EUSAGE, ST_NO_SUCH_DOMAIN,
		"%s is not a domain trustmgr knows, so its side cannot be read or written",
		w->partner_name ? w->partner_name : "the partner");
	error_hint(e, "Add it with 'trustmgr domain add', or use 'trustmgr tdo add' for the local side only.");
	return -1;
}

/* ---- rules context ---------------------------------------------------- */

typedef struct wf_rules {
	rules_ctx ctx;
	const tm_domain *forest[FOREST_MAX];
} wf_rules;

static void workflow_rules_for(const wf_world *w, const wf_side *s, wf_rules *r)
{
	size_t i, n = 0;
	const char *root = domain_forest(s->dom);

	for (i = 0; i < w->ndomains && n < FOREST_MAX; i++)
		if (name_equal(domain_forest(&w->domains[i]), root))
			r->forest[n++] = &w->domains[i];
	r->ctx.local = s->dom;
	r->ctx.forest = r->forest;
	r->ctx.nforest = n;
	r->ctx.existing = s->tdos;
	r->ctx.nexisting = s->ntdos;
	r->ctx.partner = NULL;
}

/* The domain t names as its partner (trustPartner: its DNS name, or the
 * NetBIOS name of a downlevel one, or a realm), when trustmgr knows it. A
 * flat name alone does not say which domain it is (rule 9 judges those). */
static const tm_domain *workflow_tdo_partner(const wf_world *w, const tm_tdo *t)
{
	size_t i;

	for (i = 0; t->partner[0] && i < w->ndomains; i++)
		if (domain_matches(&w->domains[i], t->partner))
			return &w->domains[i];
	return NULL;
}

/* A rule refused a change on side s: name the domain, say what to do. */
static int workflow_refused(const wf_side *s, tm_error *e)
{
	error_prefix(e, "%s: ", workflow_label(s->dom));
	if (!e->next[0])
		error_hint(e, "Nothing was written. Correct the value named above and run the "
			"operation again (the rules are those of MS-ADTS 6.1.6.9.7 and MS-LSAD).");
	return -1;
}

/* Rule 6's side effects, with forest trust records made now stamped with
 * the planning time (rules.c stamps them with the TDO's change time). */
static int workflow_effects(const wf_world *w, const tm_tdo *old, tm_tdo *t, tm_error *e)
{
	long long changed = t->when_changed;
	int rc;

	if (w->now > 0)
		t->when_changed = w->now;
	rc = rules_apply_effects(old, t, e);
	t->when_changed = changed;
	return rc;
}

int workflow_check_new(const wf_world *w, const wf_side *s, tm_tdo *t, tm_error *e)
{
	wf_rules r;

	workflow_rules_for(w, s, &r);
	r.ctx.partner = workflow_tdo_partner(w, t);
	if (rules_check_create(&r.ctx, t, e) < 0)
		return workflow_refused(s, e);
	return workflow_effects(w, NULL, t, e);
}

int workflow_check_change(const wf_world *w, const wf_side *s, const tm_tdo *old,
			   tm_tdo *t, tm_error *e)
{
	wf_rules r;

	workflow_rules_for(w, s, &r);
	r.ctx.partner = workflow_tdo_partner(w, t);
	if (rules_check_modify(&r.ctx, old, t, e) < 0)
		return workflow_refused(s, e);
	return workflow_effects(w, old, t, e);
}

/* ---- describing a partner -------------------------------------------- */

int workflow_same_forest(const tm_domain *a, const tm_domain *b)
{
	return domain_same_forest(a, b);
}

static uint32_t workflow_default_type(const tm_domain *local, const tm_domain *other)
{
	if (other->kind == DOMAIN_MIT || local->kind == DOMAIN_MIT)
		return TRUST_TYPE_MIT;
	if (other->kind == DOMAIN_NT4 || local->kind == DOMAIN_NT4)
		return TRUST_TYPE_DOWNLEVEL;
	return TRUST_TYPE_UPLEVEL;
}

static uint32_t workflow_default_enctypes(const tm_domain *local, const tm_domain *other,
				    uint32_t type)
{
	if (type == TRUST_TYPE_DOWNLEVEL)
		return ENCTYPE_BIT_RC4;
	if (type == TRUST_TYPE_UPLEVEL &&
	    (local->level < LEVEL_2008 || other->level < LEVEL_2008))
		return ENCTYPE_BIT_RC4;
	return ENCTYPE_BITS_AES;
}

void workflow_set_flag(uint32_t *attrs, uint32_t bit, int value)
{
	if (value == 1)
		*attrs |= bit;
	else if (value == 0)
		*attrs &= ~bit;
}

static uint32_t workflow_default_attributes(const tm_domain *local, const tm_domain *other,
				      uint32_t type, const wf_options *o)
{
	uint32_t a = 0;
	int forest = o && o->forest_transitive == 1;

	if (workflow_same_forest(local, other) && type == TRUST_TYPE_UPLEVEL)
		a |= TRUST_ATTR_WITHIN_FOREST;
	else if (type != TRUST_TYPE_UPLEVEL || !forest)
		a |= TRUST_ATTR_NON_TRANSITIVE;
	if (!(a & TRUST_ATTR_WITHIN_FOREST) && !forest && type != TRUST_TYPE_MIT)
		a |= TRUST_ATTR_QUARANTINED_DOMAIN;
	if (!o)
		return a;
	if (o->has_attributes)
		return o->attributes;
	workflow_set_flag(&a, TRUST_ATTR_FOREST_TRANSITIVE, o->forest_transitive);
	workflow_set_flag(&a, TRUST_ATTR_NON_TRANSITIVE, o->non_transitive);
	workflow_set_flag(&a, TRUST_ATTR_QUARANTINED_DOMAIN, o->quarantine);
	workflow_set_flag(&a, TRUST_ATTR_CROSS_ORGANIZATION, o->selective_auth);
	return a;
}

/* Fill t with how `local` describes `other`. */
void workflow_describe(const tm_domain *local, const tm_domain *other, uint32_t dir,
			const wf_options *o, tm_tdo *t)
{
	uint32_t type = (o && o->type) ? o->type : workflow_default_type(local, other);

	tdo_init(t);
	if (type == TRUST_TYPE_DOWNLEVEL)
		snprintf(t->partner, sizeof(t->partner), "%s", other->netbios);
	else if (type == TRUST_TYPE_MIT)
		snprintf(t->partner, sizeof(t->partner), "%s", other->realm);
	else
		snprintf(t->partner, sizeof(t->partner), "%s", other->dns);
	if (type != TRUST_TYPE_MIT)
		snprintf(t->flat, sizeof(t->flat), "%s", other->netbios);
	t->has_sid = other->has_sid && type != TRUST_TYPE_MIT;
	t->sid = other->sid;
	t->direction = dir;
	t->type = type;
	t->attributes = workflow_default_attributes(local, other, type, o);
	t->has_enctypes = 1;
	t->enctypes = (o && o->has_enctypes) ? o->enctypes
					     : workflow_default_enctypes(local, other, type);
}

uint32_t workflow_reverse(uint32_t dir)
{
	return ((dir & TRUST_DIRECTION_INBOUND) ? TRUST_DIRECTION_OUTBOUND : 0) |
	       ((dir & TRUST_DIRECTION_OUTBOUND) ? TRUST_DIRECTION_INBOUND : 0);
}

/* ---- step helpers ----------------------------------------------------- */

int workflow_full(tm_error *e)
{
	return error_fail(e, TM_EBACKEND, NULL, "the plan has more steps than trustmgr can run at once");
}

int workflow_put_tdo(tm_plan *p, const tm_domain *d, const tm_tdo *old, const tm_tdo *t,
		      blob_change in, blob_change out, const char *what, tm_error *e)
{
	plan_step *s = plan_add(p, STEP_TDO_PUT, d->name, "%s: %s the trusted domain object for %s (%s, %s)",
				d->name, what, t->partner, trust_direction_name(t->direction),
				plan_show_type(t->type, t->attributes));

	if (!s || tdo_copy(&s->tdo, t) < 0)
		return workflow_full(e);
	authblob_free(&s->tdo.incoming);
	authblob_free(&s->tdo.outgoing);
	snprintf(s->partner, sizeof(s->partner), "%s", t->partner);
	plan_show_tdo(old, t, s->changes, sizeof(s->changes));
	s->in = in;
	s->out = out;
	return 0;
}

int workflow_set_key(tm_plan *p, const tm_domain *d, const char *principal, int slot,
		      uint32_t kvno, uint32_t enctypes, int keep, tm_error *e)
{
	char et[64];
	char ver[48];
	int32_t usable[KEYS_MAX_PER_KVNO];
	plan_step *s;

	if (keys_enctypes_from_bits(enctypes, usable, KEYS_MAX_PER_KVNO) == 0) {
		error_fail(e, TM_EREFUSED, ST_KDC_UNKNOWN_ETYPE,
			   "%s: no key can be made for %s: its encryption types (%s) are DES "
			   "only, and DES is never used",
			   d->name, principal, trust_format_enctypes(enctypes, et, sizeof(et)));
		error_hint(e, "Give the trust AES (or RC4 for a partner below level 2008): "
			   "Properties in the console, or trustmgr tdo modify %s PARTNER --enctypes aes; "
			   "then run this again.", d->name);
		return -1;
	}
	if (kvno)
		snprintf(ver, sizeof(ver), "key version %u", kvno);
	else
		snprintf(ver, sizeof(ver), "the key version the change gave it");
	s = plan_add(p, STEP_KEY_SET, d->name, "%s: set %s to the %s, %s (%s)%s",
		     d->name, principal, p->slots[slot].label, ver,
		     trust_format_enctypes(enctypes, et, sizeof(et)),
		     keep ? ", keeping the previous key" : "");

	if (!s)
		return workflow_full(e);
	snprintf(s->principal, sizeof(s->principal), "%s", principal);
	s->slot = slot;
	s->kvno = kvno;
	s->enctypes = enctypes;
	s->keep_previous = keep;
	return 0;
}

int workflow_delete_key(tm_plan *p, const tm_domain *d, const char *principal, tm_error *e)
{
	plan_step *s = plan_add(p, STEP_KEY_DELETE, d->name, "%s: delete %s from its KDC",
				d->name, principal);

	if (!s)
		return workflow_full(e);
	snprintf(s->principal, sizeof(s->principal), "%s", principal);
	return 0;
}

int workflow_verify_step(tm_plan *p, const tm_domain *trusting, const tm_domain *trusted,
			  tm_error *e)
{
	plan_step *s = plan_add(p, STEP_VERIFY, trusting->name,
				"verify that %s trusts %s: %s issues a referral ticket, %s accepts it",
				trusting->name, trusted->name, trusted->name, trusting->name);

	if (!s)
		return workflow_full(e);
	snprintf(s->trusting, sizeof(s->trusting), "%s", trusting->name);
	snprintf(s->trusted, sizeof(s->trusted), "%s", trusted->name);
	return 0;
}

int workflow_health(tm_plan *p, const tm_domain *d, const char *partner, tm_health h,
		     tm_error *e)
{
	plan_step *s = plan_add(p, STEP_HEALTH, d->name, "%s: record the trust with %s as %s",
				d->name, partner, trust_health_name(h));

	if (!s)
		return workflow_full(e);
	snprintf(s->partner, sizeof(s->partner), "%s", partner);
	s->health = h;
	return 0;
}

blob_change workflow_blob(blob_action a, int slot, uint32_t kvno)
{
	blob_change c = { a, slot, kvno };

	return c;
}

tm_plan *workflow_new(const char *op, const wf_world *w, tm_error *e)
{
	tm_plan *p = plan_new(op, w->local.dom ? w->local.dom->name : "",
			      w->partner.dom ? w->partner.dom->name : w->partner_name);

	if (!p)
		error_fail(e, TM_EBACKEND, NULL, "out of memory while planning %s", op);
	return p;
}

int workflow_done(tm_plan *p, tm_plan **out, int rc)
{
	if (rc < 0) {
		plan_free(&p);
		return -1;
	}
	*out = p;
	return 0;
}

/* Keys and blobs for one direction of a new trust on side d.
 * `outbound` says whether d is the trusting end of this direction. */

int workflow_dir_init(wf_dir *d, const wf_world *w, const tm_domain *trusting,
		       const tm_domain *trusted, int slot, tm_error *e)
{
	uint32_t k1, k2;

	d->trusting = trusting;
	d->trusted = trusted;
	d->slot = slot;
	if (workflow_principal(trusting, trusted, d->principal, sizeof(d->principal), e) < 0)
		return -1;
	k1 = workflow_kvno(&w->local, d->principal);
	k2 = workflow_kvno(&w->partner, d->principal);
	d->kvno = (k1 > k2 ? k1 : k2) + 1;
	return 0;
}

/* A stand-in domain for a partner trustmgr does not know, built from what
 * the TDO says (enough to name its trust principals). */
void workflow_pseudo_domain(const tm_tdo *t, tm_domain *d)
{
	const char *src = t->flat[0] ? t->flat : t->partner;
	size_t n = strnlen(src, sizeof(d->name) - 1);

	domain_init(d);
	memcpy(d->name, src, n);       /* a display name: cut when too long */
	d->name[n] = '\0';
	name_upper(d->realm, t->partner, sizeof(d->realm));
	snprintf(d->netbios, sizeof(d->netbios), "%s", t->flat);
}

const tm_tdo *workflow_local_tdo(const wf_world *w, tm_error *e)
{
	const char *pname = w->partner.dom ? w->partner.dom->name : w->partner_name;
	const tm_tdo *t = workflow_find_tdo(&w->local, w->partner.dom, w->partner_name);

	if (t)
		return t;
	error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_NOT_FOUND,
		"%s has no trusted domain object for %s", w->local.dom->name, pname ? pname : "?");
	error_hint(e, "List its trusts with 'trustmgr list %s'.", w->local.dom->name);
	return NULL;
}

