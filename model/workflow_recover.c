/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* workflow_recover.c - forest recovery and recreating a broken trust.
 *
 * recover: after a restore (a security breach, AD forest recovery), every
 * trust of one domain is reset on that domain's side only, current and
 * previous both set to a password the administrator chooses (netdom trust
 * /resetOneSide /passwordT), so no secret known before the restore stays
 * valid. recover-partners later gives the partners' sides the same password,
 * at the same key versions, and verifies each trust.
 *
 * recreate (KB Q102650): a trust broken at one end cannot be repaired from
 * that end alone: remove both ends and establish it again.
 */
#include "model/workflow_int.h"
#include "model/tdo.h"
#include "model/domain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RC_PASSWORD_LABEL "password (passwordT)"

/* ---- small helpers ------------------------------------------------------ */

/* Append printf-formatted text to the string in buf (size n); cut at the end. */
__attribute__((format(printf, 3, 4)))
static void rc_cat(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strnlen(buf, n);
	va_list ap;

	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

static int rc_oom(tm_error *e)
{
	return error_fail(e, TM_EBACKEND, NULL, "out of memory while planning");
}

/* The peer whose domain the home TDO t describes, or NULL (not known). */
static const wf_peer *rc_peer(const wf_multi *m, const tm_tdo *t)
{
	size_t i;

	for (i = 0; i < m->npeers; i++)
		if (m->peers[i].side.dom && workflow_find_tdo(&m->home, m->peers[i].side.dom, NULL) == t)
			return &m->peers[i];
	return NULL;
}

/* The partner of t: the known domain, or a stand-in built from t. */
static const tm_domain *rc_other(const tm_tdo *t, const wf_peer *pe, tm_domain *pseudo)
{
	if (pe)
		return pe->side.dom;
	workflow_pseudo_domain(t, pseudo);
	return pseudo;
}

static wf_partner_state rc_state(const wf_multi *m, const wf_peer *pe)
{
	if (!pe || !pe->side.writable)
		return WF_PARTNER_ELSEWHERE;
	if (!pe->read)
		return WF_PARTNER_UNREACHABLE;
	return workflow_find_tdo(&pe->side, m->home.dom, NULL) ? WF_PARTNER_MANAGED : WF_PARTNER_ONE_SIDED;
}

/* A two-sided world: self as local, other (may be NULL) as partner. */
static void rc_pair(const wf_multi *m, const wf_side *self, const wf_side *other,
		    const char *other_name, wf_world *w)
{
	memset(w, 0, sizeof(*w));
	w->domains = m->domains;
	w->ndomains = m->ndomains;
	w->local = *self;
	if (other)
		w->partner = *other;
	w->partner_name = other_name;
	w->now = m->now;
}

static int rc_has_direction(const tm_tdo *t)
{
	return (t->direction & TRUST_DIRECTION_BIDIRECTIONAL) != 0;
}

static unsigned rc_ndirs(uint32_t dir)
{
	return ((dir & TRUST_DIRECTION_INBOUND) != 0) + ((dir & TRUST_DIRECTION_OUTBOUND) != 0);
}

/* ---- checks before planning -------------------------------------------- */

static int rc_need_home(const wf_side *s, tm_error *e)
{
	if (!s->dom)
		return error_fail(e, TM_EBACKEND, NULL, "internal error: no domain to recover");
	if (s->writable)
		return 0;
	error_fail(e, TM_EUSAGE, NULL, "trustmgr holds no credentials to change %s's directory and "
		"KDC, so its side of its trusts cannot be written from here", s->dom->name);
	error_hint(e, "Run it where %s is managed (its block in the configuration needs ldap_uri "
		"and kadmin credentials), or add them to this configuration.", s->dom->name);
	return -1;
}

/* Refuse when every trust would not fit in one plan or one checklist:
 * `fixed` steps per trust and `per_dir` per direction it has. `partners`
 * picks the way out the hint offers. */
static int rc_fits(const wf_side *home, unsigned fixed, unsigned per_dir, int partners,
		   tm_error *e)
{
	size_t i, steps = 0, n = 0;

	for (i = 0; i < home->ntdos; i++) {
		if (!rc_has_direction(&home->tdos[i]))
			continue;
		n++;
		steps += fixed + per_dir * rc_ndirs(home->tdos[i].direction);
	}
	if (n <= WF_CHECK_MAX && steps <= PLAN_MAX_STEPS)
		return 0;
	error_fail(e, TM_EUSAGE, NULL, "%s has %zu trusts, more than trustmgr resets in one plan "
		"(%d steps at most)", home->dom->name, n, PLAN_MAX_STEPS);
	if (partners)
		error_hint(e, "Name one partner at a time: 'trustmgr recover-partners %s PARTNER'.",
			home->dom->name);
	else
		error_hint(e, "Reset them one at a time with 'trustmgr reset-one-side %s PARTNER' and "
			"the same password.", home->dom->name);
	return -1;
}

static int rc_no_trusts(const wf_side *home, tm_error *e)
{
	error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_NOT_FOUND,
		"%s has no trust with a direction, so there is nothing to reset", home->dom->name);
	error_hint(e, "'trustmgr list %s' shows its trusts.", home->dom->name);
	return -1;
}

/* ---- the checklist ------------------------------------------------------- */

static void rc_label(const tm_tdo *t, const wf_peer *pe, char *buf, size_t n)
{
	const char *src = pe ? pe->side.dom->name : t->flat[0] ? t->flat : t->partner;
	size_t len = strnlen(src, n - 1);

	memcpy(buf, src, len);         /* a display name: cut when too long */
	buf[len] = '\0';
}

static void rc_item(wf_checklist *cl, const tm_tdo *t, const wf_peer *pe, wf_partner_state st,
		    size_t first, size_t nsteps)
{
	wf_check_item *it;

	if (cl->n >= WF_CHECK_MAX)
		return;                /* rc_fits refused that already */
	it = &cl->items[cl->n++];
	memset(it, 0, sizeof(*it));
	snprintf(it->partner, sizeof(it->partner), "%s", t->partner);
	rc_label(t, pe, it->label, sizeof(it->label));
	it->direction = t->direction;
	it->type = t->type;
	it->state = st;
	it->first_step = nsteps ? first : 0;
	it->nsteps = nsteps;
}

#define RC_IN(st) (1u << (st))

/* "A, B and C": the labels of the items whose state is in the mask
 * `states` (RC_IN bits); returns how many. */
static size_t rc_names(const wf_checklist *cl, unsigned states, char *buf, size_t n)
{
	size_t i, k = 0, total = 0;

	for (i = 0; i < cl->n; i++)
		total += (states & RC_IN(cl->items[i].state)) != 0;
	buf[0] = '\0';
	for (i = 0; i < cl->n; i++) {
		if (!(states & RC_IN(cl->items[i].state)))
			continue;
		k++;
		rc_cat(buf, n, "%s%s", k == 1 ? "" : k == total ? " and " : ", ", cl->items[i].label);
	}
	return total;
}

/* The first label whose state is in the mask (for commands naming one). */
static const char *rc_first(const wf_checklist *cl, unsigned states)
{
	size_t i;

	for (i = 0; i < cl->n; i++)
		if (states & RC_IN(cl->items[i].state))
			return cl->items[i].label;
	return "PARTNER";
}

/* ---- plans --------------------------------------------------------------- */

static tm_plan *rc_new(const char *op, const wf_side *home, const char *partner, tm_error *e)
{
	tm_plan *p = plan_new(op, home->dom->name, partner ? partner : "");

	if (!p) {
		rc_oom(e);
		return NULL;
	}
	plan_slot(p, WF_SLOT_TYPED, SLOT_SUPPLIED, RC_PASSWORD_LABEL);
	return p;
}

/* ---- recover --------------------------------------------------------------- */

/* Home's side of trust t: reset, then recorded as not verified. */
static int rc_home_trust(tm_plan *p, const wf_multi *m, const tm_tdo *t, const wf_peer *pe,
			 tm_error *e)
{
	tm_domain pseudo;
	const tm_domain *other = rc_other(t, pe, &pseudo);
	wf_world w;

	rc_pair(m, &m->home, pe && pe->read ? &pe->side : NULL, t->partner, &w);
	if (workflow_reset_end(p, &w, other, t, NULL, e) < 0)
		return -1;
	return workflow_health(p, m->home.dom, t->partner, HEALTH_UNKNOWN, e);
}

static int rc_recover_steps(tm_plan *p, const wf_multi *m, wf_checklist *cl, tm_error *e)
{
	size_t i;

	for (i = 0; i < m->home.ntdos; i++) {
		const tm_tdo *t = &m->home.tdos[i];
		const wf_peer *pe = rc_peer(m, t);
		size_t first = p->nsteps;

		if (!rc_has_direction(t))
			continue;
		if (rc_home_trust(p, m, t, pe, e) < 0)
			return -1;
		rc_item(cl, t, pe, rc_state(m, pe), first, p->nsteps - first);
	}
	return cl->n ? 0 : rc_no_trusts(&m->home, e);
}

/* The sentences about partners whose side trustmgr cannot do here. */
static void rc_others_text(char *buf, size_t n, const wf_checklist *cl, const char *home)
{
	char names[PLAN_TEXT_MAX];
	size_t k;

	k = rc_names(cl, RC_IN(WF_PARTNER_ELSEWHERE), names, sizeof(names));
	if (k == 1)
		rc_cat(buf, n, " Not managed here: %s; its administrator runs 'trustmgr reset-one-side "
		       "%s %s' (or 'netdom trust %s /domain:%s /resetOneSide /passwordT:...') with the "
		       "same password.", names, names, home, names, home);
	else if (k)
		rc_cat(buf, n, " Not managed here: %s; each one's administrator runs 'trustmgr "
		       "reset-one-side THEIR-DOMAIN %s' (or netdom trust /resetOneSide) with the same "
		       "password.", names, home);
	k = rc_names(cl, RC_IN(WF_PARTNER_ONE_SIDED), names, sizeof(names));
	if (k)
		rc_cat(buf, n, " %s no longer %s an end of %s trust with %s, so %s broken at one "
		       "end: recreate %s ('trustmgr recreate %s %s').", names, k == 1 ? "holds" : "hold",
		       k == 1 ? "its" : "their", home, k == 1 ? "it is" : "they are",
		       k == 1 ? "it" : "each", home, rc_first(cl, RC_IN(WF_PARTNER_ONE_SIDED)));
}

static void rc_recover_texts(tm_plan *p, const wf_checklist *cl, const char *home)
{
	char names[PLAN_TEXT_MAX];

	snprintf(p->summary, sizeof(p->summary), "forest recovery of %s: reset its side of each of "
		 "its %zu trust%s to one password (current and previous both become it)", home,
		 cl->n, cl->n == 1 ? "" : "s");
	snprintf(p->success, sizeof(p->success), "%s's side of its %zu trust%s was reset: current "
		 "and previous are both the given password, so no earlier secret is valid. Each trust "
		 "works again once its partner's side has the same password.", home, cl->n,
		 cl->n == 1 ? "" : "s");
	if (rc_names(cl, RC_IN(WF_PARTNER_MANAGED) | RC_IN(WF_PARTNER_UNREACHABLE), names,
		     sizeof(names)))
		rc_cat(p->success, sizeof(p->success), " Managed here: %s; when their first domain "
		       "controllers are restored, run 'trustmgr recover-partners %s' with the same "
		       "password (add a partner's name to do only that one).", names, home);
	rc_others_text(p->success, sizeof(p->success), cl, home);
}

int workflow_recover(const wf_multi *m, tm_plan **out, wf_checklist *cl, tm_error *e)
{
	wf_checklist own;
	tm_plan *p;
	int rc;

	if (!cl)
		cl = &own;
	memset(cl, 0, sizeof(*cl));
	if (rc_need_home(&m->home, e) < 0 || rc_fits(&m->home, 2, 1, 0, e) < 0 ||
	    !(p = rc_new("recover", &m->home, NULL, e)))
		return -1;
	rc = rc_recover_steps(p, m, cl, e);
	if (rc == 0)
		rc_recover_texts(p, cl, m->home.dom->name);
	return workflow_done(p, out, rc);
}

/* ---- recover-partners ------------------------------------------------------ */

static int rc_named(const tm_tdo *t, const wf_peer *pe, const char *only)
{
	if (!only)
		return 1;
	return pe ? domain_matches(pe->side.dom, only) : tdo_matches(t, only);
}

/* The partner's side of home's trust t: the same password at home's key
 * versions, then each direction of the trust verified (a failure is
 * reported at the end and does not stop the other partners). */
static int rc_partner_trust(tm_plan *p, const wf_multi *m, const tm_tdo *t, const wf_peer *pe,
			    tm_error *e)
{
	const tm_domain *home = m->home.dom, *pd = pe->side.dom;
	const tm_tdo *pt = workflow_find_tdo(&pe->side, home, NULL);
	wf_world w;
	size_t first;

	rc_pair(m, &pe->side, &m->home, home->name, &w);
	if (workflow_reset_end(p, &w, home, pt, &m->home, e) < 0)
		return -1;
	first = p->nsteps;
	if (((t->direction & TRUST_DIRECTION_OUTBOUND) && workflow_verify_step(p, home, pd, e) < 0) ||
	    ((t->direction & TRUST_DIRECTION_INBOUND) && workflow_verify_step(p, pd, home, e) < 0))
		return -1;
	for (; first < p->nsteps; first++)
		p->steps[first].optional = 1;
	return 0;
}

static int rc_partner_steps(tm_plan *p, const wf_multi *m, const char *only, wf_checklist *cl,
			    tm_error *e)
{
	size_t i;

	for (i = 0; i < m->home.ntdos; i++) {
		const tm_tdo *t = &m->home.tdos[i];
		const wf_peer *pe = rc_peer(m, t);
		wf_partner_state st = rc_state(m, pe);
		size_t first = p->nsteps;

		if (!rc_has_direction(t) || !rc_named(t, pe, only))
			continue;
		if (st == WF_PARTNER_MANAGED && rc_partner_trust(p, m, t, pe, e) < 0)
			return -1;
		rc_item(cl, t, pe, st, first, p->nsteps - first);
	}
	return 0;
}

/* The one partner named could not be done: say why and what to do. */
static int rc_only_refused(const wf_multi *m, const char *only, const wf_checklist *cl,
			   tm_error *e)
{
	const char *home = m->home.dom->name, *label = cl->items[0].label;
	size_t i;

	switch (cl->items[0].state) {
	case WF_PARTNER_ONE_SIDED:
		error_fail(e, TM_EFAIL, ST_DOMAIN_TRUST_INCONSISTENT, "%s holds no trusted domain object "
			"for %s: the trust is broken at one end, and resetting one side cannot repair it",
			label, home);
		error_hint(e, "Remove both ends and establish the trust again: trustmgr recreate %s %s.",
			home, label);
		return -1;
	case WF_PARTNER_UNREACHABLE:
		for (i = 0; i < m->npeers; i++)
			if (m->peers[i].side.dom && domain_matches(m->peers[i].side.dom, only))
				break;
		error_fail(e, TM_EBACKEND, ST_NO_LOGON_SERVERS, "%s's side could not be read: %s", label,
			i < m->npeers && m->peers[i].problem[0] ? m->peers[i].problem : "its servers did not answer");
		error_hint(e, "Run 'trustmgr recover-partners %s %s' again once its first domain "
			"controller is restored and answers.", home, label);
		return -1;
	default:
		error_fail(e, TM_EUSAGE, NULL, "%s is not managed here (trustmgr holds no credentials "
			"for its directory and KDC), so its side cannot be changed from here", label);
		error_hint(e, "Its administrator runs 'trustmgr reset-one-side %s %s' (or 'netdom trust %s "
			"/domain:%s /resetOneSide /passwordT:...') with the same password.",
			label, home, label, home);
		return -1;
	}
}

/* Nothing to plan: no trust at all, none with `only`, or none managed. */
static int rc_partners_none(const wf_multi *m, const char *only, const wf_checklist *cl,
			    tm_error *e)
{
	const char *home = m->home.dom->name;
	char text[TM_NEXT_MAX] = "";

	if (!cl->n && !only)
		return rc_no_trusts(&m->home, e);
	if (!cl->n) {
		error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_NOT_FOUND, "%s has no trust with %s", home, only);
		error_hint(e, "'trustmgr list %s' shows the partners it has.", home);
		return -1;
	}
	if (only || cl->n == 1)
		return rc_only_refused(m, only ? only : cl->items[0].label, cl, e);
	error_fail(e, TM_EUSAGE, NULL, "none of %s's %zu partners can be given the password from "
		"here", home, cl->n);
	rc_names(cl, RC_IN(WF_PARTNER_UNREACHABLE), text, sizeof(text));
	if (text[0])
		rc_cat(text, sizeof(text), " did not answer; try again when they are restored.");
	rc_others_text(text, sizeof(text), cl, home);
	error_hint(e, "%s", text[0] == ' ' ? text + 1 : text);
	return -1;
}

static size_t rc_planned(const wf_checklist *cl)
{
	size_t i, n = 0;

	for (i = 0; i < cl->n; i++)
		n += cl->items[i].nsteps > 0;
	return n;
}

static void rc_partners_texts(tm_plan *p, const wf_checklist *cl, const char *home)
{
	char names[PLAN_TEXT_MAX];
	size_t n = rc_names(cl, RC_IN(WF_PARTNER_MANAGED), names, sizeof(names));

	p->summary[0] = p->success[0] = '\0';
	rc_cat(p->summary, sizeof(p->summary), "forest recovery of %s, the partners' side: give %s "
	       "the same password at %s's key versions, then verify each trust", home, names, home);
	rc_cat(p->success, sizeof(p->success), "%s now %s the same password as %s for %s trust "
	       "with it, and %s verified.", names, n == 1 ? "holds" : "hold", home,
	       n == 1 ? "its" : "their", n == 1 ? "it" : "each trust");
	if (rc_names(cl, RC_IN(WF_PARTNER_UNREACHABLE), names, sizeof(names)))
		rc_cat(p->success, sizeof(p->success), " %s did not answer: run 'trustmgr "
		       "recover-partners %s %s' when restored.", names, home,
		       rc_first(cl, RC_IN(WF_PARTNER_UNREACHABLE)));
	rc_others_text(p->success, sizeof(p->success), cl, home);
}

int workflow_recover_partners(const wf_multi *m, const char *only, tm_plan **out,
			wf_checklist *cl, tm_error *e)
{
	wf_checklist own;
	tm_plan *p;
	int rc;

	if (!cl)
		cl = &own;
	memset(cl, 0, sizeof(*cl));
	if (!m->home.dom)
		return error_fail(e, TM_EBACKEND, NULL, "internal error: no domain to recover");
	if ((!only && rc_fits(&m->home, 1, 2, 1, e) < 0) ||
	    !(p = rc_new("recover-partners", &m->home, only, e)))
		return -1;
	rc = rc_partner_steps(p, m, only, cl, e);
	if (rc == 0 && rc_planned(cl) == 0)
		rc = rc_partners_none(m, only, cl, e);
	if (rc == 0)
		rc_partners_texts(p, cl, m->home.dom->name);
	return workflow_done(p, out, rc);
}

/* ---- recreate (KB Q102650) -------------------------------------------------- */

/* What is left of the trust and what it is recreated from. */
typedef struct rc_trust {
	const tm_tdo *lt, *pt;         /* the local and partner ends (NULL: gone or unread) */
	const tm_tdo *ref;             /* the surviving end the trust is recreated from */
	uint32_t dir;                  /* its direction as local sees it */
	const tm_domain *other;        /* the partner (pseudo when not a known domain) */
	tm_domain pseudo;
	int both;                      /* trustmgr writes both sides */
} rc_trust;

static int rc_nothing_left(const wf_world *w, const char *pname, tm_error *e)
{
	const char *l = w->local.dom->name;

	if (w->partner.dom && w->partner.writable) {
		error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_NOT_FOUND, "neither %s nor %s holds an end of "
			"a trust with the other, so there is nothing to recreate", l, pname);
		error_hint(e, "Create the trust: trustmgr create %s %s (or the NT way: permit on the "
			"trusted side, then trust on the trusting side).", l, pname);
		return -1;
	}
	error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_NOT_FOUND, "%s holds no trusted domain object for "
		"%s, and %s, so there is nothing to recreate the trust from", l, pname,
		w->partner.dom ? "the partner's side cannot be read from here" :
		"the partner is not a domain trustmgr knows");
	error_hint(e, "Establish it the NT way: the trusted side permits first (trustmgr permit), "
		"then the trusting side trusts (trustmgr trust).");
	return -1;
}

static int rc_trust_init(const wf_world *w, rc_trust *r, tm_error *e)
{
	const char *pname = w->partner.dom ? w->partner.dom->name : w->partner_name;

	memset(r, 0, sizeof(*r));
	if (rc_need_home(&w->local, e) < 0)
		return -1;
	r->lt = workflow_find_tdo(&w->local, w->partner.dom, w->partner_name);
	r->both = w->partner.dom && w->partner.writable;
	r->pt = r->both ? workflow_find_tdo(&w->partner, w->local.dom, NULL) : NULL;
	if (!r->lt && !r->pt)
		return rc_nothing_left(w, pname ? pname : "the partner", e);
	r->ref = r->lt ? r->lt : r->pt;
	r->dir = r->lt ? r->lt->direction : workflow_reverse(r->pt->direction);
	if (!(r->dir & TRUST_DIRECTION_BIDIRECTIONAL)) {
		error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER, "the trust between %s and %s is "
			"disabled (no direction), so there is nothing to establish again",
			w->local.dom->name, pname ? pname : "the partner");
		error_hint(e, "Give it a direction (trustmgr tdo modify) or remove it (trustmgr remove).");
		return -1;
	}
	if (w->partner.dom) {
		r->other = w->partner.dom;
	} else {
		workflow_pseudo_domain(r->lt, &r->pseudo);
		r->other = &r->pseudo;
	}
	return 0;
}

/* How self describes peer in the recreated trust: its own surviving TDO
 * (secrets dropped) or a new description, with the reference's direction
 * (dir, as self sees it), type, attributes and encryption types. */
static int rc_new_end(const tm_domain *self, const tm_domain *peer, const tm_tdo *own,
		      const tm_tdo *ref, uint32_t dir, tm_tdo *t, tm_error *e)
{
	wf_options o;

	tdo_init(t);
	if (own) {
		if (tdo_copy(t, own) < 0)
			return rc_oom(e);
		authblob_free(&t->incoming);
		authblob_free(&t->outgoing);
	} else {
		workflow_options_init(&o);
		o.type = ref->type;
		o.has_attributes = 1;
		o.attributes = ref->attributes;
		o.has_enctypes = ref->has_enctypes;
		o.enctypes = ref->enctypes;
		workflow_describe(self, peer, dir, &o, t);
	}
	t->direction = dir;
	t->type = ref->type;
	t->attributes = ref->attributes;
	if (ref->has_enctypes) {
		t->has_enctypes = 1;
		t->enctypes = ref->enctypes;
	}
	return 0;
}

/* A surviving forest trust keeps its own forest trust information. */
static int rc_keep_ftinfo(const tm_tdo *old, tm_tdo *t, tm_error *e)
{
	uint8_t *copy;

	if (!old || !old->ftinfo_len || !(old->attributes & TRUST_ATTR_FOREST_TRANSITIVE) ||
	    !(t->attributes & TRUST_ATTR_FOREST_TRANSITIVE))
		return 0;
	copy = malloc(old->ftinfo_len);
	if (!copy)
		return rc_oom(e);
	memcpy(copy, old->ftinfo, old->ftinfo_len);
	free(t->ftinfo);
	t->ftinfo = copy;
	t->ftinfo_len = old->ftinfo_len;
	return 0;
}

/* The rules for a new TDO t on side s, as if its old end were gone. */
static int rc_check_end(const wf_world *w, const wf_side *s, const tm_tdo *old, tm_tdo *t,
			tm_error *e)
{
	wf_side clean = *s;
	tm_tdo *v = NULL;
	size_t i, n = 0;
	int rc;

	if (old) {
		v = malloc((s->ntdos ? s->ntdos : 1) * sizeof(*v));
		if (!v)
			return rc_oom(e);
		for (i = 0; i < s->ntdos; i++)
			if (&s->tdos[i] != old)
				v[n++] = s->tdos[i];   /* shallow: read only, never freed */
		clean.tdos = v;
		clean.ntdos = n;
		clean.health = NULL;
	}
	rc = workflow_check_new(w, &clean, t, e);
	free(v);
	return rc < 0 ? -1 : rc_keep_ftinfo(old, t, e);
}

/* Remove what is left of side s's end with other: its TDO, or leftover
 * trust keys and trust account when the TDO is already gone. */
static int rc_clear_end(tm_plan *p, const wf_side *s, const tm_domain *other, const tm_tdo *t,
			tm_error *e)
{
	char princ[2][KEYS_PRINC_MAX], acct[NAME_NB_MAX + 2];
	plan_step *st;
	int k;

	if (t)
		return workflow_drop(p, s->dom, other, t, t->direction, e);
	if (workflow_principal(s->dom, other, princ[0], sizeof(princ[0]), e) < 0 ||
	    workflow_principal(other, s->dom, princ[1], sizeof(princ[1]), e) < 0)
		return -1;
	for (k = 0; k < 2; k++)
		if (workflow_find_key(s, princ[k]) && workflow_delete_key(p, s->dom, princ[k], e) < 0)
			return -1;
	workflow_account_name(other, acct, sizeof(acct));
	if (!workflow_find_account(s, acct))
		return 0;
	st = plan_add(p, STEP_ACCOUNT_DELETE, s->dom->name, "%s: delete the leftover interdomain "
		      "trust account of %s", s->dom->name, other->name);
	if (!st)
		return workflow_full(e);
	snprintf(st->account, sizeof(st->account), "%s", acct);
	return 0;
}

static void rc_recreate_what(char *buf, size_t n, const rc_trust *r)
{
	char attrs[256];

	snprintf(buf, n, "%s, %s, attributes %s", trust_direction_name(r->dir),
		 trust_type_name(r->ref->type),
		 trust_format_attributes(r->ref->attributes, attrs, sizeof(attrs)));
}

/* Both sides writable: remove both ends, create both with new random
 * secrets, verify every direction. */
static int rc_recreate_both(tm_plan *p, const wf_world *w, const rc_trust *r, tm_tdo *tl,
			    tm_tdo *tr, tm_error *e)
{
	const tm_domain *l = w->local.dom, *pd = w->partner.dom;
	int o = (r->dir & TRUST_DIRECTION_OUTBOUND) != 0, i = (r->dir & TRUST_DIRECTION_INBOUND) != 0;
	wf_dir out, in;

	if (rc_new_end(l, pd, r->lt, r->ref, r->dir, tl, e) < 0 ||
	    rc_new_end(pd, l, r->pt, r->ref, workflow_reverse(r->dir), tr, e) < 0 ||
	    rc_check_end(w, &w->local, r->lt, tl, e) < 0 || rc_check_end(w, &w->partner, r->pt, tr, e) < 0 ||
	    rc_clear_end(p, &w->local, pd, r->lt, e) < 0 || rc_clear_end(p, &w->partner, l, r->pt, e) < 0 ||
	    workflow_dir_init(&out, w, l, pd, WF_SLOT_NEW_OUT, e) < 0 || workflow_dir_init(&in, w, pd, l, WF_SLOT_NEW_IN, e) < 0)
		return -1;
	if (o)
		plan_slot(p, WF_SLOT_NEW_OUT, SLOT_GENERATED, "new random trust secret");
	if (i)
		plan_slot(p, WF_SLOT_NEW_IN, SLOT_GENERATED, "new random trust secret (other direction)");
	if (workflow_create_side(p, l, tl, o ? &out : NULL, i ? &in : NULL, e) < 0 ||
	    workflow_create_side(p, pd, tr, i ? &in : NULL, o ? &out : NULL, e) < 0 ||
	    (o && workflow_verify_step(p, l, pd, e) < 0) || (i && workflow_verify_step(p, pd, l, e) < 0))
		return -1;
	return 0;
}

/* ---- recreate with this side only: the other administrator's part ---------- */

__attribute__((format(printf, 5, 6)))
static void rc_handoff_add(wf_handoff *h, const char *who, int optional, const char *why,
			   const char *fmt, ...)
{
	wf_handoff_step *s;
	va_list ap;

	if (h->n >= WF_HANDOFF_MAX)
		return;
	s = &h->steps[h->n++];
	snprintf(s->who, sizeof(s->who), "%s", who);
	snprintf(s->why, sizeof(s->why), "%s", why);
	s->optional = optional;
	va_start(ap, fmt);
	vsnprintf(s->command, sizeof(s->command), fmt, ap);
	va_end(ap);
}

/* When `trust`/`permit` would describe the peer otherwise than the
 * surviving end did: the tdo modify that puts its attributes back. */
static void rc_handoff_attrs(wf_handoff *h, const tm_domain *self, const tm_domain *peer,
			     uint32_t dir, const tm_tdo *ref)
{
	tm_tdo d;

	workflow_describe(self, peer, dir, NULL, &d);
	if (d.attributes != ref->attributes)
		rc_handoff_add(h, self->name, 0, "gives this end the attributes the trust had",
			       "trustmgr tdo modify %s %s --attributes 0x%x", self->name, peer->name,
			       ref->attributes);
	tdo_free(&d);
}

/* A partner this side does not know must be described before `trust`
 * can name it: the domain add built from what the surviving TDO says. */
static void rc_handoff_describe(wf_handoff *h, const tm_domain *l, const tm_domain *o,
				const tm_tdo *t)
{
	char sid[SID_TEXT_MAX];
	const char *why = "describes the partner, which trustmgr does not know here yet";
	const char *name = o->name;

	if (t->has_sid)
		sid_format(&t->sid, sid, sizeof(sid));
	if (t->type == TRUST_TYPE_MIT)
		rc_handoff_add(h, l->name, 0, why, "trustmgr domain add %s --kind mit --realm %s",
			       name, t->partner);
	else if (t->type == TRUST_TYPE_DOWNLEVEL)
		rc_handoff_add(h, l->name, 0, why, "trustmgr domain add %s --kind nt4 --netbios %s "
			       "--sid %s", name, t->flat, t->has_sid ? sid : "SID");
	else
		rc_handoff_add(h, l->name, 0, why, "trustmgr domain add %s --dns %s --netbios %s "
			       "--sid %s", name, t->partner, t->flat[0] ? t->flat : "NETBIOS",
			       t->has_sid ? sid : "SID");
}

/* The partner's steps: what is left removed, permit (it is trusted),
 * trust (it trusts this side, which permitted in this plan). */
static void rc_handoff_partner(wf_handoff *h, const tm_domain *l, const tm_domain *o, int lo,
			       int li)
{
	char why[320];

	snprintf(why, sizeof(why), "removes what is left of %s's end; skip it when %s holds "
		 "nothing for %s", o->name, o->name, l->name);
	rc_handoff_add(h, o->name, 1, why, "trustmgr remove %s %s%s", o->name, l->name,
		       li && lo ? "" : lo ? " --direction inbound" : " --direction outbound");
	if (lo) {
		snprintf(why, sizeof(why), "%s permits %s to trust it with a new initial password, "
			 "typed twice, given to %s's administrator", o->name, l->name, l->name);
		rc_handoff_add(h, o->name, 0, why, "trustmgr permit %s %s", o->name, l->name);
	}
	if (li) {
		snprintf(why, sizeof(why), "with the initial password %s's administrator typed for "
			 "this plan; the first attempt uses the one chance", l->name);
		rc_handoff_add(h, o->name, 0, why, "trustmgr trust %s %s", o->name, l->name);
	}
}

/* The ordered instructions: the trusted side permits before the trusting
 * side trusts, so that a wrong password is detected at once (Q112214). */
static void rc_handoff(const wf_world *w, const rc_trust *r, wf_handoff *h)
{
	const tm_domain *l = w->local.dom, *o = r->other;
	int lo = (r->dir & TRUST_DIRECTION_OUTBOUND) != 0, li = (r->dir & TRUST_DIRECTION_INBOUND) != 0;
	char why[320];

	memset(h, 0, sizeof(*h));
	rc_handoff_partner(h, l, o, lo, li);
	if (w->partner.dom)
		rc_handoff_attrs(h, o, l, workflow_reverse(r->dir), r->ref);
	if (!lo)
		return;
	if (!w->partner.dom)
		rc_handoff_describe(h, l, o, r->lt);
	snprintf(why, sizeof(why), "with %s's initial password: %s permitted first, so a wrong "
		 "password is detected at once (one chance)", o->name, o->name);
	rc_handoff_add(h, l->name, 0, why, "trustmgr trust %s %s", l->name, o->name);
	if (!li)
		rc_handoff_attrs(h, l, o, r->dir, r->ref);
}

/* "1. X's administrator: command; 2. ..." for the plan's success text. */
static void rc_handoff_text(char *buf, size_t n, const wf_handoff *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		rc_cat(buf, n, "%s %zu. %s's administrator: %s%s", i ? ";" : "", i + 1,
		       h->steps[i].who, h->steps[i].command,
		       h->steps[i].optional ? " (if anything is left)" : "");
	rc_cat(buf, n, ". Each initial password goes to the other administrator and works once.");
}

/* Partner not writable here: remove this end; when this side is the
 * trusted one of a direction, permit the partner again right away. */
static int rc_recreate_one(tm_plan *p, const wf_world *w, const rc_trust *r, tm_tdo *t,
			   tm_error *e)
{
	if (rc_clear_end(p, &w->local, r->other, r->lt, e) < 0)
		return -1;
	if (!(r->dir & TRUST_DIRECTION_INBOUND))
		return 0;
	if (rc_new_end(w->local.dom, r->other, r->lt, r->ref, TRUST_DIRECTION_INBOUND, t, e) < 0 ||
	    rc_check_end(w, &w->local, r->lt, t, e) < 0)
		return -1;
	return workflow_permit_side(p, &w->local, r->other, t, NULL, e);
}

static void rc_recreate_texts(tm_plan *p, const wf_world *w, const rc_trust *r, const wf_handoff *h)
{
	const char *l = w->local.dom->name, *o = r->other->name;
	char what[320];

	rc_recreate_what(what, sizeof(what), r);
	snprintf(p->summary, sizeof(p->summary), "recreate the trust between %s and %s (%s): %s",
		 l, o, what, r->both ? "remove both ends and establish it again with new secrets" :
		 "remove this end; the other administrator finishes");
	if (r->both) {
		snprintf(p->success, sizeof(p->success), "The trust between %s and %s (%s) was removed "
			 "at both ends and established again with new random secrets; it verifies.",
			 l, o, what);
		return;
	}
	p->success[0] = '\0';
	rc_cat(p->success, sizeof(p->success), "%s's end of the trust with %s was removed", l, o);
	if (r->dir & TRUST_DIRECTION_INBOUND)
		rc_cat(p->success, sizeof(p->success), ", and %s permits %s to trust it again with "
		       "the initial password given", l, o);
	rc_cat(p->success, sizeof(p->success), ". %s is not managed here; finish in this order, "
	       "the trusted side permitting first so that a wrong password is detected at once:", o);
	rc_handoff_text(p->success, sizeof(p->success), h);
}

int workflow_recreate(const wf_world *w, tm_plan **out, wf_handoff *h, tm_error *e)
{
	wf_handoff own;
	rc_trust r;
	tm_tdo tl, tr;
	tm_plan *p;
	int rc;

	if (!h)
		h = &own;
	memset(h, 0, sizeof(*h));
	if (rc_trust_init(w, &r, e) < 0 || !(p = workflow_new("recreate", w, e)))
		return -1;
	tdo_init(&tl);
	tdo_init(&tr);
	if (r.both) {
		rc = rc_recreate_both(p, w, &r, &tl, &tr, e);
	} else {
		rc = rc_recreate_one(p, w, &r, &tl, e);
		rc_handoff(w, &r, h);
	}
	tdo_free(&tl);
	tdo_free(&tr);
	if (rc == 0)
		rc_recreate_texts(p, w, &r, h);
	return workflow_done(p, out, rc);
}
