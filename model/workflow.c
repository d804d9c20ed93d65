/* workflow.c - intents to plans: permit, trust, create, remove, reset,
 * reset-one-side, verify, and the low-level tdo add/modify/delete.
 *
 * Conventions: "A trusts B" means A holds an OUTBOUND TDO for B with the
 * secret in trustAuthOutgoing, B holds an INBOUND TDO for A with it in
 * trustAuthIncoming, and both KDCs hold krbtgt/A@B at the same kvno.
 */
#include "workflow.h"

#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "rules.h"

#define FOREST_MAX 64

void wf_options_init(wf_options *o)
{
	memset(o, 0, sizeof(*o));
	o->sides_both = 1;
	o->forest_transitive = -1;
	o->non_transitive = -1;
	o->quarantine = -1;
	o->selective_auth = -1;
}

/* ---- looking things up ------------------------------------------------ */

const tm_tdo *wf_find_tdo(const wf_side *s, const tm_domain *d, const char *name)
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

static const tm_account *wf_find_account(const wf_side *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->naccounts; i++)
		if (name_equal(s->accounts[i].name, name))
			return &s->accounts[i];
	return NULL;
}

static const tm_keyinfo *wf_find_key(const wf_side *s, const char *principal)
{
	size_t i;

	for (i = 0; s && i < s->nkeys; i++)
		if (strcmp(s->keys[i].principal, principal) == 0)
			return &s->keys[i];
	return NULL;
}

static uint32_t wf_kvno(const wf_side *s, const char *principal)
{
	const tm_keyinfo *k = wf_find_key(s, principal);

	return k ? k->kvno : 0;
}

int wf_principal(const tm_domain *trusting, const tm_domain *trusted, char *buf,
		 size_t n, tm_error *e)
{
	return keys_trust_principal(trusting->realm, trusted->realm, buf, n, e);
}

/* Key version for a change made on the local side only, chosen so that the
 * partner's administrator doing the same later lands on the same number:
 * align with the partner when it is ahead, else one above the local one. */
static uint32_t wf_aligned_kvno(const wf_world *w, const char *principal)
{
	uint32_t mine = wf_kvno(&w->local, principal);
	uint32_t theirs = wf_kvno(&w->partner, principal);

	return theirs > mine ? theirs : mine + 1;
}

/* "A$": the interdomain trust account a trusted domain keeps for A. */
static void wf_account_name(const tm_domain *trusting, char *buf, size_t n)
{
	const char *base = trusting->netbios[0] ? trusting->netbios : trusting->realm;

	snprintf(buf, n, "%.*s$", NB_MAX_CHARS * 4, base);
}

static const char *wf_label(const tm_domain *d)
{
	return d->name;
}

static int wf_need_partner(const wf_world *w, tm_error *e)
{
	if (w->partner.dom)
		return 0;
	tm_fail(e, TM_EUSAGE, ST_NO_SUCH_DOMAIN,
		"%s is not a domain trustmgr knows, so its side cannot be read or written",
		w->partner_name ? w->partner_name : "the partner");
	tm_hint(e, "Add it with 'trustmgr domain add', or use 'trustmgr tdo add' for the local side only.");
	return -1;
}

/* ---- rules context ---------------------------------------------------- */

typedef struct wf_rules {
	rules_ctx ctx;
	const tm_domain *forest[FOREST_MAX];
} wf_rules;

static void wf_rules_for(const wf_world *w, const wf_side *s, wf_rules *r)
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
}

static int wf_check_new(const wf_world *w, const wf_side *s, tm_tdo *t, tm_error *e)
{
	wf_rules r;

	wf_rules_for(w, s, &r);
	if (rules_check_create(&r.ctx, t, e) < 0) {
		tm_error_prefix(e, "%s: ", wf_label(s->dom));
		return -1;
	}
	return rules_apply_effects(NULL, t, e);
}

static int wf_check_change(const wf_world *w, const wf_side *s, const tm_tdo *old,
			   tm_tdo *t, tm_error *e)
{
	wf_rules r;

	wf_rules_for(w, s, &r);
	if (rules_check_modify(&r.ctx, old, t, e) < 0) {
		tm_error_prefix(e, "%s: ", wf_label(s->dom));
		return -1;
	}
	return rules_apply_effects(old, t, e);
}

/* ---- describing a partner -------------------------------------------- */

static int wf_same_forest(const tm_domain *a, const tm_domain *b)
{
	return a->kind == DOMAIN_AD && b->kind == DOMAIN_AD &&
	       name_equal(domain_forest(a), domain_forest(b));
}

static uint32_t wf_default_type(const tm_domain *local, const tm_domain *other)
{
	if (other->kind == DOMAIN_MIT || local->kind == DOMAIN_MIT)
		return TRUST_TYPE_MIT;
	if (other->kind == DOMAIN_NT4 || local->kind == DOMAIN_NT4)
		return TRUST_TYPE_DOWNLEVEL;
	return TRUST_TYPE_UPLEVEL;
}

static uint32_t wf_default_enctypes(const tm_domain *local, const tm_domain *other,
				    uint32_t type)
{
	if (type == TRUST_TYPE_DOWNLEVEL)
		return ENCTYPE_BIT_RC4;
	if (type == TRUST_TYPE_UPLEVEL &&
	    (local->level < LEVEL_2008 || other->level < LEVEL_2008))
		return ENCTYPE_BIT_RC4;
	return ENCTYPE_BITS_AES;
}

static void wf_set_flag(uint32_t *attrs, uint32_t bit, int value)
{
	if (value == 1)
		*attrs |= bit;
	else if (value == 0)
		*attrs &= ~bit;
}

static uint32_t wf_default_attributes(const tm_domain *local, const tm_domain *other,
				      uint32_t type, const wf_options *o)
{
	uint32_t a = 0;
	int forest = o && o->forest_transitive == 1;

	if (wf_same_forest(local, other) && type == TRUST_TYPE_UPLEVEL)
		a |= TRUST_ATTR_WITHIN_FOREST;
	else if (type != TRUST_TYPE_UPLEVEL || !forest)
		a |= TRUST_ATTR_NON_TRANSITIVE;
	if (!(a & TRUST_ATTR_WITHIN_FOREST) && !forest && type != TRUST_TYPE_MIT)
		a |= TRUST_ATTR_QUARANTINED_DOMAIN;
	if (!o)
		return a;
	if (o->has_attributes)
		return o->attributes;
	wf_set_flag(&a, TRUST_ATTR_FOREST_TRANSITIVE, o->forest_transitive);
	wf_set_flag(&a, TRUST_ATTR_NON_TRANSITIVE, o->non_transitive);
	wf_set_flag(&a, TRUST_ATTR_QUARANTINED_DOMAIN, o->quarantine);
	wf_set_flag(&a, TRUST_ATTR_CROSS_ORGANIZATION, o->selective_auth);
	return a;
}

/* Fill t with how `local` describes `other`. */
static void wf_describe(const tm_domain *local, const tm_domain *other, uint32_t dir,
			const wf_options *o, tm_tdo *t)
{
	uint32_t type = (o && o->type) ? o->type : wf_default_type(local, other);

	tdo_init(t);
	if (type == TRUST_TYPE_DOWNLEVEL)
		snprintf(t->partner, sizeof(t->partner), "%s", other->netbios);
	else if (type == TRUST_TYPE_MIT)
		snprintf(t->partner, sizeof(t->partner), "%s",
			 other->dns[0] && other->kind != DOMAIN_MIT ? other->dns : other->realm);
	else
		snprintf(t->partner, sizeof(t->partner), "%s", other->dns);
	if (type != TRUST_TYPE_MIT)
		snprintf(t->flat, sizeof(t->flat), "%s", other->netbios);
	t->has_sid = other->has_sid && type != TRUST_TYPE_MIT;
	t->sid = other->sid;
	t->direction = dir;
	t->type = type;
	t->attributes = wf_default_attributes(local, other, type, o);
	t->has_enctypes = 1;
	t->enctypes = (o && o->has_enctypes) ? o->enctypes
					     : wf_default_enctypes(local, other, type);
}

static uint32_t wf_reverse(uint32_t dir)
{
	return ((dir & TRUST_DIRECTION_INBOUND) ? TRUST_DIRECTION_OUTBOUND : 0) |
	       ((dir & TRUST_DIRECTION_OUTBOUND) ? TRUST_DIRECTION_INBOUND : 0);
}

/* ---- step helpers ----------------------------------------------------- */

static int wf_full(tm_error *e)
{
	return tm_fail(e, TM_EBACKEND, NULL, "the plan has more steps than trustmgr can run at once");
}

static int wf_put_tdo(tm_plan *p, const tm_domain *d, const tm_tdo *t, blob_change in,
		      blob_change out, const char *what, tm_error *e)
{
	plan_step *s = plan_add(p, STEP_TDO_PUT, d->name, "%s: %s the trusted domain object for %s (%s, %s)",
				d->name, what, t->partner, trust_direction_name(t->direction),
				trust_type_name(t->type));

	if (!s || tdo_copy(&s->tdo, t) < 0)
		return wf_full(e);
	authblob_free(&s->tdo.incoming);
	authblob_free(&s->tdo.outgoing);
	snprintf(s->partner, sizeof(s->partner), "%s", t->partner);
	s->in = in;
	s->out = out;
	return 0;
}

static int wf_set_key(tm_plan *p, const tm_domain *d, const char *principal, int slot,
		      uint32_t kvno, uint32_t enctypes, int keep, tm_error *e)
{
	char et[64];
	plan_step *s = plan_add(p, STEP_KEY_SET, d->name, "%s: set %s to the %s, key version %u (%s)%s",
				d->name, principal, p->slots[slot].label, kvno,
				trust_format_enctypes(enctypes, et, sizeof(et)),
				keep ? ", keeping the previous key" : "");

	if (!s)
		return wf_full(e);
	snprintf(s->principal, sizeof(s->principal), "%s", principal);
	s->slot = slot;
	s->kvno = kvno;
	s->enctypes = enctypes;
	s->keep_previous = keep;
	return 0;
}

static int wf_delete_key(tm_plan *p, const tm_domain *d, const char *principal, tm_error *e)
{
	plan_step *s = plan_add(p, STEP_KEY_DELETE, d->name, "%s: delete %s from its KDC",
				d->name, principal);

	if (!s)
		return wf_full(e);
	snprintf(s->principal, sizeof(s->principal), "%s", principal);
	return 0;
}

static int wf_verify_step(tm_plan *p, const tm_domain *trusting, const tm_domain *trusted,
			  tm_error *e)
{
	plan_step *s = plan_add(p, STEP_VERIFY, trusting->name,
				"verify that %s trusts %s: %s issues a referral ticket, %s accepts it",
				trusting->name, trusted->name, trusted->name, trusting->name);

	if (!s)
		return wf_full(e);
	snprintf(s->trusting, sizeof(s->trusting), "%s", trusting->name);
	snprintf(s->trusted, sizeof(s->trusted), "%s", trusted->name);
	return 0;
}

static int wf_health(tm_plan *p, const tm_domain *d, const char *partner, tm_health h,
		     tm_error *e)
{
	plan_step *s = plan_add(p, STEP_HEALTH, d->name, "%s: record the trust with %s as %s",
				d->name, partner, trust_health_name(h));

	if (!s)
		return wf_full(e);
	snprintf(s->partner, sizeof(s->partner), "%s", partner);
	s->health = h;
	return 0;
}

static blob_change wf_blob(blob_action a, int slot, uint32_t kvno)
{
	blob_change c = { a, slot, kvno };

	return c;
}

static tm_plan *wf_new(const char *op, const wf_world *w, tm_error *e)
{
	tm_plan *p = plan_new(op, w->local.dom ? w->local.dom->name : "",
			      w->partner.dom ? w->partner.dom->name : w->partner_name);

	if (!p)
		tm_fail(e, TM_EBACKEND, NULL, "out of memory while planning %s", op);
	return p;
}

static int wf_done(tm_plan *p, tm_plan **out, int rc)
{
	if (rc < 0) {
		plan_free(&p);
		return -1;
	}
	*out = p;
	return 0;
}

/* ---- permit ----------------------------------------------------------- */

/* The local TDO for partner after adding `dir`: a copy of the old one with
 * the direction added, or a new description. */
static int wf_with_direction(const wf_side *s, const tm_domain *other, uint32_t dir,
			     const wf_options *o, tm_tdo *t, const tm_tdo **old)
{
	*old = wf_find_tdo(s, other, NULL);
	if (!*old) {
		wf_describe(s->dom, other, dir, o, t);
		return 0;
	}
	if (tdo_copy(t, *old) < 0)
		return -1;
	t->direction |= dir;
	return 0;
}

static int wf_check_side(const wf_world *w, const wf_side *s, const tm_tdo *old, tm_tdo *t,
			 tm_error *e)
{
	return old ? wf_check_change(w, s, old, t, e) : wf_check_new(w, s, t, e);
}

static int wf_permit_steps(tm_plan *p, const wf_world *w, tm_tdo *t, const tm_tdo *old,
			   tm_error *e)
{
	const tm_domain *b = w->local.dom, *a = w->partner.dom;
	char princ[KEYS_PRINC_MAX];
	uint32_t kvno;
	plan_step *s;

	if (wf_principal(a, b, princ, sizeof(princ), e) < 0)
		return -1;
	kvno = wf_kvno(&w->local, princ) + 1;
	plan_slot(p, WF_SLOT_TYPED, SLOT_SUPPLIED, "initial password");
	if (wf_put_tdo(p, b, t, wf_blob(BLOB_FRESH, WF_SLOT_TYPED, kvno),
		       wf_blob(BLOB_KEEP, -1, 0), old ? "add the inbound direction to" : "create", e) < 0 ||
	    wf_set_key(p, b, princ, WF_SLOT_TYPED, kvno, t->enctypes, 0, e) < 0)
		return -1;
	s = plan_add(p, STEP_ACCOUNT_PUT, b->name,
		     "%s: create the interdomain trust account for %s (one chance to use the password)",
		     b->name, a->name);
	if (!s)
		return wf_full(e);
	wf_account_name(a, s->account, sizeof(s->account));
	snprintf(s->partner, sizeof(s->partner), "%s", t->partner);
	return wf_health(p, b, t->partner, HEALTH_PERMITTED, e);
}

int wf_permit(const wf_world *w, tm_plan **out, tm_error *e)
{
	const tm_tdo *old;
	tm_tdo t;
	tm_plan *p;
	int rc;

	if (wf_need_partner(w, e) < 0)
		return -1;
	tdo_init(&t);
	if (wf_with_direction(&w->local, w->partner.dom, TRUST_DIRECTION_INBOUND, NULL, &t, &old) < 0)
		return tm_fail(e, TM_EBACKEND, NULL, "out of memory");
	if (old && (old->direction & TRUST_DIRECTION_INBOUND)) {
		tdo_free(&t);
		tm_fail(e, TM_EREFUSED, ST_OBJECT_NAME_COLLISION,
			"%s is already permitted to trust %s", w->partner.dom->name, w->local.dom->name);
		tm_hint(e, "To start again, remove it first: trustmgr remove %s %s --direction inbound",
			w->local.dom->name, w->partner.dom->name);
		return -1;
	}
	rc = -1;
	p = wf_new("permit", w, e);
	if (p && wf_check_side(w, &w->local, old, &t, e) == 0)
		rc = wf_permit_steps(p, w, &t, old, e);
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
	return p ? wf_done(p, out, rc) : -1;
}

/* ---- trust (establish, NT semantics) ---------------------------------- */

static int wf_trust_refuse_existing(const wf_world *w, const tm_tdo *old, tm_error *e)
{
	if (!old || !(old->direction & TRUST_DIRECTION_OUTBOUND))
		return 0;
	if (w->local.health && w->local.health[old - w->local.tdos] == HEALTH_PENDING_PERMIT)
		return 0;              /* recorded before the permit, never verified: retry */
	tm_fail(e, TM_EREFUSED, ST_OBJECT_NAME_COLLISION, "%s already trusts %s",
		w->local.dom->name, w->partner.dom->name);
	tm_hint(e, "Check it with 'trustmgr verify %s %s'; to establish it again, remove both ends first.",
		w->local.dom->name, w->partner.dom->name);
	return -1;
}

static int wf_chance_used(const wf_world *w, tm_error *e)
{
	const tm_domain *a = w->local.dom, *b = w->partner.dom;

	tm_fail(e, TM_EFAIL, ST_ACCOUNT_LOCKED_OUT,
		"the initial password %s gave %s was already used up by an earlier wrong attempt "
		"(the one chance is gone), so the trust cannot be established with it",
		b->name, a->name);
	tm_hint(e, "%s's administrator must remove %s from Trusting Domains and permit it again "
		"(trustmgr remove %s %s --direction inbound; trustmgr permit %s %s), then run "
		"trustmgr trust %s %s with the new password.",
		b->name, a->name, b->name, a->name, b->name, a->name, a->name, b->name);
	return -1;
}

/* Trusted side has permitted: prove, then rotate on both ends. */
static int wf_trust_permitted(tm_plan *p, const wf_world *w, tm_tdo *t, const tm_tdo *old,
			      const tm_tdo *bt, tm_error *e)
{
	const tm_domain *a = w->local.dom, *b = w->partner.dom;
	char princ[KEYS_PRINC_MAX];
	uint32_t kvno;
	tm_tdo bnew;
	plan_step *s;
	int rc;

	if (wf_principal(a, b, princ, sizeof(princ), e) < 0)
		return -1;
	kvno = wf_kvno(&w->partner, princ) + 1;
	if (kvno <= wf_kvno(&w->local, princ))
		kvno = wf_kvno(&w->local, princ) + 1;
	plan_slot(p, WF_SLOT_TYPED, SLOT_SUPPLIED, "password");
	plan_slot(p, WF_SLOT_NEW_OUT, SLOT_GENERATED, "new random trust secret");
	s = plan_add(p, STEP_PROVE, b->name, "%s: prove the password as %s's trust account (uses the one chance)",
		     b->name, a->name);
	if (!s)
		return wf_full(e);
	snprintf(s->principal, sizeof(s->principal), "%s", princ);
	snprintf(s->partner, sizeof(s->partner), "%s", bt->partner);
	wf_account_name(a, s->account, sizeof(s->account));
	s->slot = WF_SLOT_TYPED;
	tdo_init(&bnew);
	if (tdo_copy(&bnew, bt) < 0)
		return tm_fail(e, TM_EBACKEND, NULL, "out of memory");
	rc = wf_put_tdo(p, b, &bnew, wf_blob(BLOB_ROTATE, WF_SLOT_NEW_OUT, kvno),
			wf_blob(BLOB_KEEP, -1, 0), "replace the initial password in", e);
	tdo_free(&bnew);
	if (rc < 0 ||
	    wf_set_key(p, b, princ, WF_SLOT_NEW_OUT, kvno, bt->has_enctypes ? bt->enctypes : t->enctypes, 1, e) < 0 ||
	    wf_put_tdo(p, a, t, wf_blob(BLOB_KEEP, -1, 0), wf_blob(BLOB_FRESH, WF_SLOT_NEW_OUT, kvno),
		       old ? "add the outbound direction to" : "create", e) < 0 ||
	    wf_set_key(p, a, princ, WF_SLOT_NEW_OUT, kvno, t->enctypes, 0, e) < 0)
		return -1;
	snprintf(p->success, sizeof(p->success), "Trust relationship with %s successfully established.", b->name);
	return wf_verify_step(p, a, b, e);
}

/* Trusted side has not permitted (or is unknown): record this side only. */
static int wf_trust_unverified(tm_plan *p, const wf_world *w, tm_tdo *t, const tm_tdo *old,
			       tm_error *e)
{
	const tm_domain *a = w->local.dom, *b = w->partner.dom;
	char princ[KEYS_PRINC_MAX];
	uint32_t kvno;

	if (wf_principal(a, b, princ, sizeof(princ), e) < 0)
		return -1;
	kvno = wf_kvno(&w->local, princ) + 1;
	plan_slot(p, WF_SLOT_TYPED, SLOT_SUPPLIED, "password");
	if (wf_put_tdo(p, a, t, wf_blob(BLOB_KEEP, -1, 0), wf_blob(BLOB_FRESH, WF_SLOT_TYPED, kvno),
		       old ? "add the outbound direction to" : "create", e) < 0 ||
	    wf_set_key(p, a, princ, WF_SLOT_TYPED, kvno, t->enctypes, 0, e) < 0 ||
	    wf_health(p, a, t->partner, HEALTH_PENDING_PERMIT, e) < 0)
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

int wf_trust(const wf_world *w, tm_plan **out, tm_error *e)
{
	const tm_tdo *old, *bt;
	const tm_account *acct;
	char aname[NAME_NB_MAX + 2];
	tm_tdo t;
	tm_plan *p;
	int rc = -1;

	if (wf_need_partner(w, e) < 0)
		return -1;
	tdo_init(&t);
	if (wf_with_direction(&w->local, w->partner.dom, TRUST_DIRECTION_OUTBOUND, NULL, &t, &old) < 0)
		return tm_fail(e, TM_EBACKEND, NULL, "out of memory");
	bt = wf_find_tdo(&w->partner, w->local.dom, NULL);
	if (bt && !(bt->direction & TRUST_DIRECTION_INBOUND))
		bt = NULL;
	wf_account_name(w->local.dom, aname, sizeof(aname));
	acct = wf_find_account(&w->partner, aname);
	p = NULL;
	if (wf_trust_refuse_existing(w, old, e) < 0 || (bt && acct && acct->locked && wf_chance_used(w, e) < 0) ||
	    (p = wf_new("trust", w, e)) == NULL) {
		tdo_free(&t);
		return -1;
	}
	if (wf_check_side(w, &w->local, old, &t, e) == 0)
		rc = bt ? wf_trust_permitted(p, w, &t, old, bt, e) : wf_trust_unverified(p, w, &t, old, e);
	tdo_free(&t);
	snprintf(p->summary, sizeof(p->summary), "%s trusts %s", w->local.dom->name, w->partner.dom->name);
	return wf_done(p, out, rc);
}

/* ---- create ------------------------------------------------------------ */

/* Keys and blobs for one direction of a new trust on side d.
 * `outbound` says whether d is the trusting end of this direction. */
typedef struct wf_dir {
	const tm_domain *trusting, *trusted;
	int slot;
	uint32_t kvno;
	char principal[KEYS_PRINC_MAX];
} wf_dir;

static int wf_dir_init(wf_dir *d, const wf_world *w, const tm_domain *trusting,
		       const tm_domain *trusted, int slot, tm_error *e)
{
	uint32_t k1, k2;

	d->trusting = trusting;
	d->trusted = trusted;
	d->slot = slot;
	if (wf_principal(trusting, trusted, d->principal, sizeof(d->principal), e) < 0)
		return -1;
	k1 = wf_kvno(&w->local, d->principal);
	k2 = wf_kvno(&w->partner, d->principal);
	d->kvno = (k1 > k2 ? k1 : k2) + 1;
	return 0;
}

/* Write side s's TDO and keys for the directions in dirs. */
static int wf_create_side(tm_plan *p, const tm_domain *self, tm_tdo *t, const wf_dir *out,
			  const wf_dir *in, tm_error *e)
{
	blob_change bin = wf_blob(BLOB_KEEP, -1, 0), bout = wf_blob(BLOB_KEEP, -1, 0);

	if (out)
		bout = wf_blob(BLOB_FRESH, out->slot, out->kvno);
	if (in)
		bin = wf_blob(BLOB_FRESH, in->slot, in->kvno);
	if (wf_put_tdo(p, self, t, bin, bout, "create", e) < 0)
		return -1;
	if (out && wf_set_key(p, self, out->principal, out->slot, out->kvno, t->enctypes, 0, e) < 0)
		return -1;
	if (in && wf_set_key(p, self, in->principal, in->slot, in->kvno, t->enctypes, 0, e) < 0)
		return -1;
	return 0;
}

static int wf_refuse_existing(const wf_side *s, const tm_domain *other, tm_error *e)
{
	if (!wf_find_tdo(s, other, NULL))
		return 0;
	tm_fail(e, TM_EREFUSED, ST_OBJECT_NAME_COLLISION,
		"%s already has a trusted domain object for %s", s->dom->name, other->name);
	tm_hint(e, "Change it with 'trustmgr tdo modify %s %s', or remove it first (trustmgr remove %s %s).",
		s->dom->name, other->name, s->dom->name, other->name);
	return -1;
}

static int wf_create_both(tm_plan *p, const wf_world *w, const wf_options *o, tm_error *e)
{
	const tm_domain *l = w->local.dom, *r = w->partner.dom;
	uint32_t dir = o->direction ? o->direction : TRUST_DIRECTION_BIDIRECTIONAL;
	wf_dir out, in;
	tm_tdo tl, tr;
	int rc = -1, has_out = (dir & TRUST_DIRECTION_OUTBOUND) != 0, has_in = (dir & TRUST_DIRECTION_INBOUND) != 0;

	if (wf_refuse_existing(&w->local, r, e) < 0 || wf_refuse_existing(&w->partner, l, e) < 0 ||
	    wf_dir_init(&out, w, l, r, WF_SLOT_NEW_OUT, e) < 0 || wf_dir_init(&in, w, r, l, WF_SLOT_NEW_IN, e) < 0)
		return -1;
	if (has_out)
		plan_slot(p, WF_SLOT_NEW_OUT, SLOT_GENERATED, "new random trust secret");
	if (has_in)
		plan_slot(p, WF_SLOT_NEW_IN, SLOT_GENERATED, "new random trust secret (other direction)");
	wf_describe(l, r, dir, o, &tl);
	wf_describe(r, l, wf_reverse(dir), o, &tr);
	if (wf_check_new(w, &w->local, &tl, e) == 0 && wf_check_new(w, &w->partner, &tr, e) == 0 &&
	    wf_create_side(p, l, &tl, has_out ? &out : NULL, has_in ? &in : NULL, e) == 0 &&
	    wf_create_side(p, r, &tr, has_in ? &in : NULL, has_out ? &out : NULL, e) == 0 &&
	    (!has_out || wf_verify_step(p, l, r, e) == 0) && (!has_in || wf_verify_step(p, r, l, e) == 0))
		rc = 0;
	tdo_free(&tl);
	tdo_free(&tr);
	snprintf(p->success, sizeof(p->success), "Trust between %s and %s (%s) created on both sides and verified.",
		 l->name, r->name, trust_direction_name(dir));
	return rc;
}

static int wf_create_local(tm_plan *p, const wf_world *w, const wf_options *o, tm_error *e)
{
	const tm_domain *l = w->local.dom, *r = w->partner.dom;
	uint32_t dir = o->direction ? o->direction : TRUST_DIRECTION_BIDIRECTIONAL;
	wf_dir out, in;
	tm_tdo tl;
	int rc = -1;

	if (wf_refuse_existing(&w->local, r, e) < 0 ||
	    wf_dir_init(&out, w, l, r, WF_SLOT_TYPED, e) < 0 || wf_dir_init(&in, w, r, l, WF_SLOT_TYPED, e) < 0)
		return -1;
	out.kvno = wf_aligned_kvno(w, out.principal);
	in.kvno = wf_aligned_kvno(w, in.principal);
	plan_slot(p, WF_SLOT_TYPED, SLOT_SUPPLIED, "trust password");
	wf_describe(l, r, dir, o, &tl);
	if (wf_check_new(w, &w->local, &tl, e) == 0 &&
	    wf_create_side(p, l, &tl, (dir & TRUST_DIRECTION_OUTBOUND) ? &out : NULL,
			   (dir & TRUST_DIRECTION_INBOUND) ? &in : NULL, e) == 0 &&
	    wf_health(p, l, tl.partner, HEALTH_UNKNOWN, e) == 0)
		rc = 0;
	snprintf(p->success, sizeof(p->success),
		 "%s's side of the trust with %s is created. %s's administrator must now create the other side "
		 "with the same password (trustmgr create %s %s --sides local --direction %s), then verify it.",
		 l->name, r->name, r->name, r->name, l->name,
		 dir == TRUST_DIRECTION_BIDIRECTIONAL ? "both" : trust_direction_name(wf_reverse(dir)));
	tdo_free(&tl);
	return rc;
}

int wf_create(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	tm_plan *p;
	int rc;

	if (wf_need_partner(w, e) < 0)
		return -1;
	p = wf_new("create", w, e);
	if (!p)
		return -1;
	snprintf(p->summary, sizeof(p->summary), "create a %s trust between %s and %s (%s)",
		 trust_direction_name(o->direction ? o->direction : TRUST_DIRECTION_BIDIRECTIONAL),
		 w->local.dom->name, w->partner.dom->name, o->sides_both ? "both sides" : "this side only");
	rc = o->sides_both ? wf_create_both(p, w, o, e) : wf_create_local(p, w, o, e);
	return wf_done(p, out, rc);
}

/* ---- remove ----------------------------------------------------------- */

/* A stand-in domain for a partner trustmgr does not know, built from what
 * the TDO says (enough to name its trust principals). */
static void wf_pseudo_domain(const tm_tdo *t, tm_domain *d)
{
	domain_init(d);
	snprintf(d->name, sizeof(d->name), "%s", t->flat[0] ? t->flat : t->partner);
	name_upper(d->realm, t->partner, sizeof(d->realm));
	snprintf(d->netbios, sizeof(d->netbios), "%s", t->flat);
}

static const tm_tdo *wf_local_tdo(const wf_world *w, tm_error *e)
{
	const char *pname = w->partner.dom ? w->partner.dom->name : w->partner_name;
	const tm_tdo *t = wf_find_tdo(&w->local, w->partner.dom, w->partner_name);

	if (t)
		return t;
	tm_fail(e, TM_EREFUSED, ST_OBJECT_NAME_NOT_FOUND,
		"%s has no trusted domain object for %s", w->local.dom->name, pname ? pname : "?");
	tm_hint(e, "List its trusts with 'trustmgr list %s'.", w->local.dom->name);
	return NULL;
}

/* Steps that take `dir` away from side `self`'s TDO t describing `other`. */
static int wf_drop(tm_plan *p, const tm_domain *self, const tm_domain *other, const tm_tdo *t,
		   uint32_t dir, tm_error *e)
{
	char princ[KEYS_PRINC_MAX];
	plan_step *s;

	dir &= t->direction;
	if (dir == t->direction) {
		s = plan_add(p, STEP_TDO_DELETE, self->name, "%s: delete the trusted domain object for %s",
			     self->name, t->partner);
		if (!s)
			return wf_full(e);
		snprintf(s->partner, sizeof(s->partner), "%s", t->partner);
	} else {
		tm_tdo n;
		int rc;

		tdo_init(&n);
		if (tdo_copy(&n, t) < 0)
			return tm_fail(e, TM_EBACKEND, NULL, "out of memory");
		n.direction &= ~dir;
		rc = wf_put_tdo(p, self, &n,
				wf_blob((dir & TRUST_DIRECTION_INBOUND) ? BLOB_CLEAR : BLOB_KEEP, -1, 0),
				wf_blob((dir & TRUST_DIRECTION_OUTBOUND) ? BLOB_CLEAR : BLOB_KEEP, -1, 0),
				"drop a direction from", e);
		tdo_free(&n);
		if (rc < 0)
			return -1;
	}
	if ((dir & TRUST_DIRECTION_OUTBOUND) &&
	    (wf_principal(self, other, princ, sizeof(princ), e) < 0 || wf_delete_key(p, self, princ, e) < 0))
		return -1;
	if (dir & TRUST_DIRECTION_INBOUND) {
		if (wf_principal(other, self, princ, sizeof(princ), e) < 0 || wf_delete_key(p, self, princ, e) < 0)
			return -1;
		s = plan_add(p, STEP_ACCOUNT_DELETE, self->name, "%s: delete the interdomain trust account of %s",
			     self->name, other->name);
		if (!s)
			return wf_full(e);
		wf_account_name(other, s->account, sizeof(s->account));
	}
	return 0;
}

int wf_remove(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	const tm_tdo *t = wf_local_tdo(w, e), *pt;
	uint32_t dir;
	tm_domain pseudo;
	const tm_domain *other;
	tm_plan *p;
	int rc;

	if (!t)
		return -1;
	if (o->remove_sides_both && wf_need_partner(w, e) < 0)
		return -1;
	wf_pseudo_domain(t, &pseudo);
	other = w->partner.dom ? w->partner.dom : &pseudo;
	dir = o->remove_direction ? o->remove_direction : t->direction;
	p = wf_new("remove", w, e);
	if (!p)
		return -1;
	snprintf(p->summary, sizeof(p->summary), "remove the trust between %s and %s (%s)",
		 w->local.dom->name, other->name, o->remove_sides_both ? "both sides" : "this side only");
	rc = wf_drop(p, w->local.dom, other, t, dir, e);
	pt = o->remove_sides_both ? wf_find_tdo(&w->partner, w->local.dom, NULL) : NULL;
	if (rc == 0 && pt)
		rc = wf_drop(p, other, w->local.dom, pt, wf_reverse(dir), e);
	snprintf(p->success, sizeof(p->success), "The trust between %s and %s was removed (%s).",
		 w->local.dom->name, other->name,
		 o->remove_sides_both ? "both sides" : "this side only");
	return wf_done(p, out, rc);
}

int wf_tdo_delete(const wf_world *w, tm_plan **out, tm_error *e)
{
	wf_options o;

	wf_options_init(&o);
	if (wf_remove(w, &o, out, e) < 0)
		return -1;
	snprintf((*out)->op, sizeof((*out)->op), "tdo-delete");
	return 0;
}

/* ---- reset ------------------------------------------------------------ */

/* Rotate one direction (trusting -> trusted) on both sides. */
static int wf_reset_dir(tm_plan *p, const wf_world *w, const wf_dir *d, uint32_t lenc,
			uint32_t penc, tm_error *e)
{
	const tm_domain *l = w->local.dom, *r = w->partner.dom;

	return (wf_set_key(p, l, d->principal, d->slot, d->kvno, lenc, 1, e) < 0 ||
		wf_set_key(p, r, d->principal, d->slot, d->kvno, penc, 1, e) < 0) ? -1 : 0;
}

static int wf_reset_blobs(tm_plan *p, const tm_domain *self, const tm_tdo *t, const wf_dir *out,
			  const wf_dir *in, blob_action a, tm_error *e)
{
	blob_change bin = wf_blob(BLOB_KEEP, -1, 0), bout = wf_blob(BLOB_KEEP, -1, 0);

	if (out)
		bout = wf_blob(a, out->slot, out->kvno);
	if (in)
		bin = wf_blob(a, in->slot, in->kvno);
	return wf_put_tdo(p, self, t, bin, bout, a == BLOB_ROTATE ? "store the new secret in" :
			  "store the password twice in", e);
}

static int wf_reset_plan(tm_plan *p, const wf_world *w, const tm_tdo *lt, const tm_tdo *pt,
			 tm_error *e)
{
	const tm_domain *l = w->local.dom, *r = w->partner.dom;
	int o = (lt->direction & TRUST_DIRECTION_OUTBOUND) != 0;
	int i = (lt->direction & TRUST_DIRECTION_INBOUND) != 0;
	wf_dir out, in;
	uint32_t le = lt->has_enctypes ? lt->enctypes : 0, pe = pt->has_enctypes ? pt->enctypes : 0;

	if (wf_dir_init(&out, w, l, r, WF_SLOT_NEW_OUT, e) < 0 || wf_dir_init(&in, w, r, l, WF_SLOT_NEW_IN, e) < 0)
		return -1;
	if (o)
		plan_slot(p, WF_SLOT_NEW_OUT, SLOT_GENERATED, "new random trust secret");
	if (i)
		plan_slot(p, WF_SLOT_NEW_IN, SLOT_GENERATED, "new random trust secret (other direction)");
	if (wf_reset_blobs(p, l, lt, o ? &out : NULL, i ? &in : NULL, BLOB_ROTATE, e) < 0 ||
	    wf_reset_blobs(p, r, pt, i ? &in : NULL, o ? &out : NULL, BLOB_ROTATE, e) < 0 ||
	    (o && wf_reset_dir(p, w, &out, le, pe, e) < 0) || (i && wf_reset_dir(p, w, &in, le, pe, e) < 0) ||
	    (o && wf_verify_step(p, l, r, e) < 0) || (i && wf_verify_step(p, r, l, e) < 0))
		return -1;
	return 0;
}

static int wf_one_end(const wf_world *w, tm_error *e)
{
	tm_fail(e, TM_EFAIL, ST_DOMAIN_TRUST_INCONSISTENT,
		"the trust is broken at one end: %s has no trusted domain object for %s, and a trust "
		"broken at one end cannot be repaired from the other end alone",
		w->partner.dom->name, w->local.dom->name);
	tm_hint(e, "Remove both ends and create the trust again (trustmgr remove %s %s --sides both, "
		"then trustmgr create %s %s).", w->local.dom->name, w->partner.dom->name,
		w->local.dom->name, w->partner.dom->name);
	return -1;
}

static int wf_direction_mismatch(const wf_world *w, const tm_tdo *lt, const tm_tdo *pt, tm_error *e)
{
	if (wf_reverse(lt->direction) == pt->direction)
		return 0;
	tm_fail(e, TM_EFAIL, ST_DOMAIN_TRUST_INCONSISTENT,
		"the two ends disagree about the direction: %s says %s, %s says %s",
		w->local.dom->name, trust_direction_name(lt->direction), w->partner.dom->name,
		trust_direction_name(pt->direction));
	tm_hint(e, "Make them agree with 'trustmgr tdo modify', or recreate the trust.");
	return -1;
}

int wf_reset(const wf_world *w, tm_plan **out, tm_error *e)
{
	const tm_tdo *lt, *pt;
	tm_plan *p;

	if (wf_need_partner(w, e) < 0 || !(lt = wf_local_tdo(w, e)))
		return -1;
	pt = wf_find_tdo(&w->partner, w->local.dom, NULL);
	if (!pt)
		return wf_one_end(w, e);
	if (wf_direction_mismatch(w, lt, pt, e) < 0 || !(p = wf_new("reset", w, e)))
		return -1;
	snprintf(p->summary, sizeof(p->summary), "reset the trust secret between %s and %s on both sides",
		 w->local.dom->name, w->partner.dom->name);
	snprintf(p->success, sizeof(p->success),
		 "The trust secret between %s and %s was reset on both sides and the trust verified.",
		 w->local.dom->name, w->partner.dom->name);
	return wf_done(p, out, wf_reset_plan(p, w, lt, pt, e));
}

static int wf_one_side_plan(tm_plan *p, const wf_world *w, const tm_domain *other,
			    const tm_tdo *lt, tm_error *e)
{
	const tm_domain *l = w->local.dom;
	int o = (lt->direction & TRUST_DIRECTION_OUTBOUND) != 0;
	int i = (lt->direction & TRUST_DIRECTION_INBOUND) != 0;
	uint32_t enc = lt->has_enctypes ? lt->enctypes : 0;
	wf_dir out, in;

	if (wf_principal(l, other, out.principal, sizeof(out.principal), e) < 0 ||
	    wf_principal(other, l, in.principal, sizeof(in.principal), e) < 0)
		return -1;
	out.slot = in.slot = WF_SLOT_TYPED;
	out.kvno = wf_aligned_kvno(w, out.principal);
	in.kvno = wf_aligned_kvno(w, in.principal);
	plan_slot(p, WF_SLOT_TYPED, SLOT_SUPPLIED, "password (passwordT)");
	if (wf_reset_blobs(p, l, lt, o ? &out : NULL, i ? &in : NULL, BLOB_RESET_TWICE, e) < 0 ||
	    (o && wf_set_key(p, l, out.principal, WF_SLOT_TYPED, out.kvno, enc, 0, e) < 0) ||
	    (i && wf_set_key(p, l, in.principal, WF_SLOT_TYPED, in.kvno, enc, 0, e) < 0))
		return -1;
	return wf_health(p, l, lt->partner, HEALTH_UNKNOWN, e);
}

int wf_reset_one_side(const wf_world *w, tm_plan **out, tm_error *e)
{
	const tm_tdo *lt = wf_local_tdo(w, e);
	tm_domain pseudo;
	const tm_domain *other;
	tm_plan *p;

	if (!lt || !(p = wf_new("reset-one-side", w, e)))
		return -1;
	wf_pseudo_domain(lt, &pseudo);
	other = w->partner.dom ? w->partner.dom : &pseudo;
	snprintf(p->summary, sizeof(p->summary),
		 "reset the trust with %s on %s's side only (current and previous both become the password)",
		 other->name, w->local.dom->name);
	snprintf(p->success, sizeof(p->success),
		 "The trust with %s was reset on %s's side only; current and previous are both the given "
		 "password. Use the same password on %s's side (trustmgr reset-one-side %s %s); until then "
		 "the trust does not work.", other->name, w->local.dom->name, other->name, other->name,
		 w->local.dom->name);
	return wf_done(p, out, wf_one_side_plan(p, w, other, lt, e));
}

/* ---- verify ----------------------------------------------------------- */

int wf_verify(const wf_world *w, tm_plan **out, tm_error *e)
{
	const tm_tdo *t;
	tm_plan *p;
	int rc = 0;

	if (!(t = wf_local_tdo(w, e)))
		return -1;
	if (!w->partner.dom) {
		tm_fail(e, TM_EFAIL, ST_NO_LOGON_SERVERS,
			"%s is not a domain trustmgr knows, so its KDC cannot be asked to issue a ticket",
			w->partner_name ? w->partner_name : t->partner);
		tm_hint(e, "Add the partner with 'trustmgr domain add' (or configure it) and verify again.");
		return -1;
	}
	if (!(p = wf_new("verify", w, e)))
		return -1;
	snprintf(p->summary, sizeof(p->summary), "verify the trust between %s and %s",
		 w->local.dom->name, w->partner.dom->name);
	if (t->direction & TRUST_DIRECTION_OUTBOUND)
		rc = wf_verify_step(p, w->local.dom, w->partner.dom, e);
	if (rc == 0 && (t->direction & TRUST_DIRECTION_INBOUND))
		rc = wf_verify_step(p, w->partner.dom, w->local.dom, e);
	for (size_t i = 0; i < p->nsteps; i++)
		p->steps[i].optional = 1;
	snprintf(p->success, sizeof(p->success), "The trust between %s and %s works in every direction it has.",
		 w->local.dom->name, w->partner.dom->name);
	return wf_done(p, out, rc);
}

/* ---- tdo add / modify (low level, local side) --------------------------- */

static int wf_tdo_from_options(const wf_options *o, tm_tdo *t, tm_error *e)
{
	tdo_init(t);
	if (!o->partner_dns || !o->direction || !o->type)
		return tm_fail(e, TM_EUSAGE, NULL, "tdo add needs --partner, --direction and --type");
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
	wf_set_flag(&t->attributes, TRUST_ATTR_FOREST_TRANSITIVE, o->forest_transitive);
	wf_set_flag(&t->attributes, TRUST_ATTR_NON_TRANSITIVE, o->non_transitive);
	wf_set_flag(&t->attributes, TRUST_ATTR_QUARANTINED_DOMAIN, o->quarantine);
	wf_set_flag(&t->attributes, TRUST_ATTR_CROSS_ORGANIZATION, o->selective_auth);
	t->has_enctypes = o->has_enctypes;
	t->enctypes = o->enctypes;
	return 0;
}

/* Blobs and keys for the directions in `added` of TDO t with the typed password. */
static int wf_tdo_secrets(tm_plan *p, const wf_world *w, const tm_tdo *t, uint32_t added,
			  blob_change *in, blob_change *out, tm_error *e)
{
	tm_domain pseudo;
	const tm_domain *other = w->partner.dom;
	wf_dir od, id;

	if (!other) {
		wf_pseudo_domain(t, &pseudo);
		other = &pseudo;
	}
	if (wf_principal(w->local.dom, other, od.principal, sizeof(od.principal), e) < 0 ||
	    wf_principal(other, w->local.dom, id.principal, sizeof(id.principal), e) < 0)
		return -1;
	plan_slot(p, WF_SLOT_TYPED, SLOT_SUPPLIED, "trust password");
	od.kvno = wf_aligned_kvno(w, od.principal);
	id.kvno = wf_aligned_kvno(w, id.principal);
	if (added & TRUST_DIRECTION_OUTBOUND)
		*out = wf_blob(BLOB_FRESH, WF_SLOT_TYPED, od.kvno);
	if (added & TRUST_DIRECTION_INBOUND)
		*in = wf_blob(BLOB_FRESH, WF_SLOT_TYPED, id.kvno);
	return 0;
}

static int wf_tdo_keys(tm_plan *p, const wf_world *w, const tm_tdo *t, const blob_change *in,
		       const blob_change *out, tm_error *e)
{
	tm_domain pseudo;
	const tm_domain *other = w->partner.dom;
	char princ[KEYS_PRINC_MAX];
	uint32_t enc = t->has_enctypes ? t->enctypes : 0;

	if (!other) {
		wf_pseudo_domain(t, &pseudo);
		other = &pseudo;
	}
	if (out->action == BLOB_FRESH &&
	    (wf_principal(w->local.dom, other, princ, sizeof(princ), e) < 0 ||
	     wf_set_key(p, w->local.dom, princ, WF_SLOT_TYPED, out->kvno, enc, 0, e) < 0))
		return -1;
	if (in->action == BLOB_FRESH &&
	    (wf_principal(other, w->local.dom, princ, sizeof(princ), e) < 0 ||
	     wf_set_key(p, w->local.dom, princ, WF_SLOT_TYPED, in->kvno, enc, 0, e) < 0))
		return -1;
	return 0;
}

int wf_tdo_add(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	blob_change bin = wf_blob(BLOB_KEEP, -1, 0), bout = wf_blob(BLOB_KEEP, -1, 0);
	tm_tdo t;
	tm_plan *p;
	int rc = -1;

	if (wf_tdo_from_options(o, &t, e) < 0 || !(p = wf_new("tdo-add", w, e))) {
		tdo_free(&t);
		return -1;
	}
	snprintf(p->summary, sizeof(p->summary), "add a trusted domain object for %s to %s",
		 t.partner, w->local.dom->name);
	snprintf(p->success, sizeof(p->success), "%s now holds a trusted domain object for %s.",
		 w->local.dom->name, t.partner);
	if (wf_check_new(w, &w->local, &t, e) == 0 &&
	    (!o->has_password || wf_tdo_secrets(p, w, &t, t.direction, &bin, &bout, e) == 0) &&
	    wf_put_tdo(p, w->local.dom, &t, bin, bout, "create", e) == 0 &&
	    wf_tdo_keys(p, w, &t, &bin, &bout, e) == 0)
		rc = 0;
	tdo_free(&t);
	return wf_done(p, out, rc);
}

static int wf_modify_apply(const wf_options *o, tm_tdo *t, tm_error *e)
{
	if (o->direction)
		t->direction = o->direction;
	if (o->type)
		t->type = o->type;
	if (o->has_attributes)
		t->attributes = o->attributes;
	wf_set_flag(&t->attributes, TRUST_ATTR_FOREST_TRANSITIVE, o->forest_transitive);
	wf_set_flag(&t->attributes, TRUST_ATTR_NON_TRANSITIVE, o->non_transitive);
	wf_set_flag(&t->attributes, TRUST_ATTR_QUARANTINED_DOMAIN, o->quarantine);
	wf_set_flag(&t->attributes, TRUST_ATTR_CROSS_ORGANIZATION, o->selective_auth);
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
static int wf_modify_steps(tm_plan *p, const wf_world *w, const wf_options *o, const tm_tdo *old,
			   const tm_tdo *t, tm_error *e)
{
	uint32_t dropped = old->direction & ~t->direction, added = t->direction & ~old->direction;
	blob_change bin = wf_blob((dropped & TRUST_DIRECTION_INBOUND) ? BLOB_CLEAR : BLOB_KEEP, -1, 0);
	blob_change bout = wf_blob((dropped & TRUST_DIRECTION_OUTBOUND) ? BLOB_CLEAR : BLOB_KEEP, -1, 0);
	tm_domain pseudo;
	const tm_domain *other = w->partner.dom;
	char princ[KEYS_PRINC_MAX];

	if (!other) {
		wf_pseudo_domain(old, &pseudo);
		other = &pseudo;
	}
	if ((added && o->has_password && wf_tdo_secrets(p, w, t, added, &bin, &bout, e) < 0) ||
	    wf_put_tdo(p, w->local.dom, t, bin, bout, "change", e) < 0 ||
	    wf_tdo_keys(p, w, t, &bin, &bout, e) < 0)
		return -1;
	if ((dropped & TRUST_DIRECTION_OUTBOUND) &&
	    (wf_principal(w->local.dom, other, princ, sizeof(princ), e) < 0 ||
	     wf_delete_key(p, w->local.dom, princ, e) < 0))
		return -1;
	if ((dropped & TRUST_DIRECTION_INBOUND) &&
	    (wf_principal(other, w->local.dom, princ, sizeof(princ), e) < 0 ||
	     wf_delete_key(p, w->local.dom, princ, e) < 0))
		return -1;
	return 0;
}

int wf_tdo_modify(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	const tm_tdo *old = wf_local_tdo(w, e);
	tm_tdo t;
	tm_plan *p;
	int rc = -1;

	if (!old)
		return -1;
	tdo_init(&t);
	if (tdo_copy(&t, old) < 0)
		return tm_fail(e, TM_EBACKEND, NULL, "out of memory");
	if (wf_modify_apply(o, &t, e) < 0 || !(p = wf_new("tdo-modify", w, e))) {
		tdo_free(&t);
		return -1;
	}
	snprintf(p->summary, sizeof(p->summary), "change the trusted domain object for %s in %s",
		 old->partner, w->local.dom->name);
	snprintf(p->success, sizeof(p->success), "The trusted domain object for %s in %s was changed.",
		 old->partner, w->local.dom->name);
	if (wf_check_change(w, &w->local, old, &t, e) == 0 && wf_modify_steps(p, w, o, old, &t, e) == 0)
		rc = 0;
	tdo_free(&t);
	return wf_done(p, out, rc);
}
