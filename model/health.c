/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* health.c - which trusts are in scope, and what is wrong with each.
 *
 * A trust is a pair of domains. Each pair is classified once: from the
 * domain named with `health DOMAIN`, else from the first domain (in the
 * caller's order) that holds a TDO for it. Structure comes first (one end
 * only, pending, one chance used, type and direction disagreements: the
 * trust cannot work until they are fixed), then what the two ends'
 * descriptions say (attributes), then what verifying each direction found
 * (keys), then what the domain facts add (KB Q243655) and the secret's age. */
#include "model/health_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/grow.h"
#include "model/keys.h"
#include "model/workflow_int.h"
#include "model/tdo.h"
#include "model/domain.h"

/* ---- tokens ---------------------------------------------------------------- */

/* Stable token of a kind, for scripts and JSON. */
const char *health_kind_token(health_kind k)
{
	static const char *const tok[] = {
		[HK_OK] = "ok", [HK_ONE_SIDED] = "one-sided",
		[HK_DIRECTION_MISMATCH] = "direction-mismatch", [HK_TYPE_MISMATCH] = "type-mismatch",
		[HK_ATTRIBUTE_MISMATCH] = "attribute-mismatch", [HK_KVNO_MISMATCH] = "kvno-mismatch",
		[HK_PASSWORD_MISMATCH] = "password-mismatch",
		[HK_MISSING_PRINCIPAL] = "missing-principal",
		[HK_NO_COMMON_ENCTYPE] = "no-common-enctype", [HK_UNREACHABLE] = "unreachable",
		[HK_PENDING] = "pending", [HK_CHANCE_USED] = "chance-used",
		[HK_SECRET_OLD] = "secret-old", [HK_NT4_LMCOMPAT] = "nt4-lmcompat",
		[HK_NOT_CHECKED] = "not-checked", [HK_PREAUTH] = "preauth",
		[HK_CLIENT_PATH] = "client-path", [HK_ORPHAN_ACCOUNT] = "orphan-account",
		[HK_ATTRIBUTE_INVALID] = "invalid-attributes",
	};

	return (unsigned)k < sizeof(tok) / sizeof(tok[0]) ? tok[k] : "unknown";
}

/* Stable token of a fix, for scripts and JSON. */
const char *health_fix_token(health_fix f)
{
	static const char *const tok[] = {
		[FIX_NONE] = "none", [FIX_RECREATE] = "recreate", [FIX_RESET] = "reset",
		[FIX_RESET_ONE_SIDE] = "reset-one-side", [FIX_REMOVE_ORPHAN] = "remove-orphan",
		[FIX_ROTATE] = "rotate", [FIX_REPERMIT] = "repermit", [FIX_ALIGN] = "align",
		[FIX_MANUAL] = "manual", [FIX_ESTABLISH] = "establish", [FIX_TIDY] = "tidy",
		[FIX_DELETE_ACCOUNT] = "delete-account",
	};

	return (unsigned)f < sizeof(tok) / sizeof(tok[0]) ? tok[f] : "unknown";
}

/* ---- small helpers ----------------------------------------------------------- */

/* health_name: a domain's store name. */
const char *health_name(const health_domain *h)
{
	return h && h->side.dom ? h->side.dom->name : "?";
}

/* health_nt4_lmcompat: the domain facts of KB Q243655. */
int health_nt4_lmcompat(const tm_domain *d)
{
	return d && d->kind == DOMAIN_NT4 && d->nt_service_pack >= 4 && d->nt_service_pack <= 6 &&
	       d->lm_compat_level == 4;
}

/* health_check: the result of verifying one direction, if it was verified. */
const verify_result *health_check(const health_input *in, const char *trusting, const char *trusted)
{
	size_t i;

	for (i = 0; i < in->nchecks; i++)
		if (strcmp(in->checks[i].trusting, trusting) == 0 &&
		    strcmp(in->checks[i].trusted, trusted) == 0)
			return &in->checks[i];
	return NULL;
}

/* health_blob: the trustAuth attribute of end e that holds one direction's secret. */
const authblob *health_blob(const hc_end *e, int e_is_trusting)
{
	return e_is_trusting ? &e->t->outgoing : &e->t->incoming;
}

/* health_add: a new finding about pr, identity filled, texts empty. */
health_finding *health_add(hc_out *out, const hc_pair *pr, health_kind k, health_fix fix,
		       uint32_t dir)
{
	health_finding *f, *v;

	if (out->oom)
		return NULL;
	if (!(v = grow_array(out->v, &out->cap, out->n + 1, sizeof(*v), 16))) {
		out->oom = 1;
		return NULL;
	}
	out->v = v;
	f = &out->v[out->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->domain, sizeof(f->domain), "%s", health_name(pr->d));
	snprintf(f->partner, sizeof(f->partner), "%s", pr->partner);
	if (pr->p)
		snprintf(f->partner_domain, sizeof(f->partner_domain), "%s", health_name(pr->p));
	f->direction = dir;
	f->kind = k;
	f->fix = fix;
	return f;
}

/* health_not_checked: a check of dir that could not run because h cannot
 * do `need` (its caps say why). */
void health_not_checked(hc_out *out, const hc_pair *pr, uint32_t dir, const health_domain *h,
			uint32_t need, const char *check)
{
	health_finding *f = health_add(out, pr, HK_NOT_CHECKED, FIX_MANUAL,
				       dir ? dir : TRUST_DIRECTION_BIDIRECTIONAL);

	if (f)
		health_text_not_checked(f, pr, h, need, check);
}

/* The known domain a TDO describes, or NULL. */
static const health_domain *health_domain_of(const health_input *in, const tm_tdo *t)
{
	char sid[SID_TEXT_MAX];
	size_t i;

	for (i = 0; i < in->ndomains; i++) {
		const tm_domain *d = in->domains[i].side.dom;

		if ((d->dns[0] && tdo_matches(t, d->dns)) ||
		    (d->netbios[0] && tdo_matches(t, d->netbios)) ||
		    (d->realm[0] && tdo_matches(t, d->realm)) ||
		    (d->has_sid && tdo_matches(t, sid_format(&d->sid, sid, sizeof(sid)))))
			return &in->domains[i];
	}
	return NULL;
}

/* h's TDO for other (and its recorded health), when h was read. */
static const tm_tdo *health_tdo_for(const health_domain *h, const health_domain *other, tm_health *hl)
{
	const tm_tdo *t;

	*hl = HEALTH_UNKNOWN;
	if (!h || !other || !h->readable)
		return NULL;
	t = workflow_find_tdo(&h->side, other->side.dom, NULL);
	if (t && h->side.health)
		*hl = h->side.health[t - h->side.tdos];
	return t;
}

/* The directions of the trust, seen from pr->d, as either end says them. */
static uint32_t health_dirs(const hc_pair *pr)
{
	return (pr->td ? pr->td->direction : 0) | (pr->tp ? workflow_reverse(pr->tp->direction) : 0);
}

/* ---- which pairs are in scope ---------------------------------------------- */

typedef int (*hc_visit)(const hc_pair *pr, void *ctx);

/* health_pair_init: the pair of d and p, as both ends were read. */
void health_pair_init(hc_pair *pr, const health_input *in, const health_domain *d,
		      const health_domain *p, const tm_tdo *unknown)
{
	memset(pr, 0, sizeof(*pr));
	pr->in = in;
	pr->d = d;
	pr->p = p;
	if (p) {
		pr->td = health_tdo_for(d, p, &pr->hd);
		pr->tp = health_tdo_for(p, d, &pr->hp);
		pr->pname = health_name(p);
		snprintf(pr->partner, sizeof(pr->partner), "%s",
			 pr->td ? pr->td->partner : domain_partner_name(p->side.dom));
		return;
	}
	pr->td = unknown;
	if (unknown && d->side.health)
		pr->hd = d->side.health[unknown - d->side.tdos];
	pr->pname = unknown ? unknown->partner : "";
	snprintf(pr->partner, sizeof(pr->partner), "%s", pr->pname);
}

/* health_in_scope: `health DOMAIN` and `repair DOMAIN PARTNER` ask for one
 * domain's trusts, or one trust. */
int health_in_scope(const health_input *in, const hc_pair *pr)
{
	if (!in->only)
		return 1;
	if (strcmp(health_name(pr->d), in->only) != 0)
		return 0;
	if (!in->only_partner)
		return 1;
	if (pr->p)
		return domain_matches(pr->p->side.dom, in->only_partner);
	if (pr->td)
		return tdo_matches(pr->td, in->only_partner);
	return pr->acct && health_account_matches(pr->acct, in->only_partner);
}

/* Does o hold a TDO for h that a walk over o's TDOs visits? */
static int health_visited_from(const health_domain *o, const health_domain *h)
{
	return o->readable && workflow_find_tdo(&o->side, h->side.dom, NULL) != NULL;
}

/* Holder h's TDO t: visit its pair unless it is visited from the other end. */
static int health_visit_tdo(const health_input *in, const health_domain *h, const tm_tdo *t,
			hc_visit fn, void *ctx)
{
	const health_domain *o = health_domain_of(in, t), *d = h, *p = o;
	hc_pair pr;

	if (o == h)
		return 0;
	if (in->only && strcmp(health_name(h), in->only) != 0) {
		if (!o || strcmp(health_name(o), in->only) != 0 || health_visited_from(o, h))
			return 0;
		d = o;             /* seen from the other end: name `only` first */
		p = h;
	} else if (!in->only && o && o < h && health_visited_from(o, h)) {
		return 0;
	}
	health_pair_init(&pr, in, d, p, p ? NULL : t);
	return health_in_scope(in, &pr) ? fn(&pr, ctx) : 0;
}

/* Is domain h named by a TDO of a domain that was read? */
static int health_is_named(const health_input *in, const health_domain *h)
{
	size_t i;

	for (i = 0; i < in->ndomains; i++)
		if (&in->domains[i] != h && health_visited_from(&in->domains[i], h))
			return 1;
	return 0;
}

/* A domain that could not be read and that no TDO names: one finding. */
static int health_visit_unread(const health_input *in, hc_visit fn, void *ctx)
{
	size_t i;
	hc_pair pr;

	for (i = 0; i < in->ndomains; i++) {
		const health_domain *h = &in->domains[i];

		if (h->readable || !h->error[0] || health_is_named(in, h) ||
		    (in->only && strcmp(health_name(h), in->only) != 0) || in->only_partner)
			continue;
		health_pair_init(&pr, in, h, NULL, NULL);
		if (fn(&pr, ctx) < 0)
			return -1;
	}
	return 0;
}

static int health_walk(const health_input *in, hc_visit fn, void *ctx)
{
	size_t i, k;

	for (i = 0; i < in->ndomains; i++) {
		const health_domain *h = &in->domains[i];

		for (k = 0; h->readable && k < h->side.ntdos; k++)
			if (health_visit_tdo(in, h, &h->side.tdos[k], fn, ctx) < 0)
				return -1;
	}
	if (health_visit_unread(in, fn, ctx) < 0)
		return -1;
	return health_orphans_walk(in, fn, ctx);
}

/* ---- directions to verify ---------------------------------------------------- */

typedef struct hc_dirs_ctx {
	health_dir *v;
	size_t n, cap;
} hc_dirs_ctx;

static int health_dir_add(hc_dirs_ctx *c, const char *trusting, const char *trusted)
{
	health_dir *v;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i].trusting, trusting) == 0 && strcmp(c->v[i].trusted, trusted) == 0)
			return 0;
	if (!(v = grow_array(c->v, &c->cap, c->n + 1, sizeof(*v), 16)))
		return -1;
	c->v = v;
	snprintf(c->v[c->n].trusting, sizeof(c->v[c->n].trusting), "%s", trusting);
	snprintf(c->v[c->n].trusted, sizeof(c->v[c->n].trusted), "%s", trusted);
	c->n++;
	return 0;
}

/* A partner that could not be read is not asked; one that trustmgr knows
 * only by name is (its KDC may still answer). */
static int health_dirs_visit(const hc_pair *pr, void *ctx)
{
	uint32_t dirs = health_dirs(pr);

	if (!pr->p || !pr->d->readable || (!pr->p->readable && pr->p->error[0]))
		return 0;
	if ((dirs & TRUST_DIRECTION_OUTBOUND) && health_dir_add(ctx, health_name(pr->d), health_name(pr->p)) < 0)
		return -1;
	if ((dirs & TRUST_DIRECTION_INBOUND) && health_dir_add(ctx, health_name(pr->p), health_name(pr->d)) < 0)
		return -1;
	return 0;
}

/* health_directions: every direction to verify, once. */
int health_directions(const health_input *in, health_dir **out, size_t *n, tm_error *e)
{
	hc_dirs_ctx c;

	memset(&c, 0, sizeof(c));
	*out = NULL;
	*n = 0;
	if (health_walk(in, health_dirs_visit, &c) < 0) {
		free(c.v);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while listing the trusts to check");
	}
	*out = c.v;
	*n = c.n;
	return 0;
}

/* ---- one end only: pending, one chance used, one-sided -------------------------- */

static void health_end_of(const hc_pair *pr, int d_side, hc_end *s)
{
	s->self = d_side ? pr->d : pr->p;
	s->other = d_side ? pr->p : pr->d;
	s->t = d_side ? pr->td : pr->tp;
	s->h = d_side ? pr->hd : pr->hp;
}

/* Directions of end s, seen from pr->d. */
static uint32_t health_seen_from_d(const hc_pair *pr, const hc_end *s, uint32_t dir)
{
	return s->self == pr->d ? dir : workflow_reverse(dir);
}

/* The trust account s keeps for its partner ("A$"), or NULL. */
static const tm_account *health_account(const hc_end *s)
{
	char name[NAME_NB_MAX + 2];

	workflow_account_name(s->other->side.dom, name, sizeof(name));
	return workflow_find_account(&s->self->side, name);
}

/* Did s permit its partner, which never established the trust? Recorded so,
 * or (the record overwritten by a verify) a trust account was armed and the
 * secret never changed since the permit: the trusting side's first logon
 * replaces it, so current = previous still means "never used". */
static int health_was_permitted(const hc_end *s, const tm_account *a)
{
	if (s->h == HEALTH_PERMITTED)
		return 1;
	return a && !a->locked && s->h != HEALTH_VERIFIED && s->t->incoming.count &&
	       authblob_previous_equals_current(&s->t->incoming);
}

static void health_one_end(const hc_pair *pr, hc_out *out)
{
	const uint32_t in = TRUST_DIRECTION_INBOUND, outb = TRUST_DIRECTION_OUTBOUND;
	hc_end s;
	const tm_account *a;
	health_finding *f;
	uint32_t dir;
	int permitted, early;

	health_end_of(pr, pr->td != NULL, &s);
	if (!s.t)
		return;
	dir = health_seen_from_d(pr, &s, s.t->direction);
	a = health_account(&s);
	if ((s.t->direction & in) && !caps_has(&s.self->side.caps, CAP_ACCOUNT_LIST))
		health_not_checked(out, pr, health_seen_from_d(pr, &s, in), s.self, CAP_ACCOUNT_LIST,
				   "whether the trust is only waiting for its other half (a permit)");
	permitted = (s.t->direction & in) && health_was_permitted(&s, a);
	early = (s.t->direction & outb) && s.h == HEALTH_PENDING_PERMIT;
	if ((s.t->direction & in) && ((a && a->locked) || s.h == HEALTH_CHANCE_USED)) {
		if ((f = health_add(out, pr, HK_CHANCE_USED, FIX_REPERMIT, health_seen_from_d(pr, &s, in))))
			health_text_chance_used(f, pr, &s, a);
	} else if (permitted || early) {
		if ((f = health_add(out, pr, HK_PENDING, FIX_ESTABLISH,
				health_seen_from_d(pr, &s, permitted ? in : outb))))
			health_text_pending(f, pr, &s, permitted);
	} else if ((f = health_add(out, pr, HK_ONE_SIDED, s.t->direction ? FIX_RECREATE : FIX_REMOVE_ORPHAN,
			       dir ? dir : TRUST_DIRECTION_BIDIRECTIONAL))) {
		health_text_one_sided(f, pr, &s);
	}
}

/* ---- both ends: their descriptions ------------------------------------------- */

static void health_describe(const hc_pair *pr, hc_out *out)
{
	health_finding *f;
	uint32_t diff;

	if (pr->td->type != pr->tp->type) {
		if ((f = health_add(out, pr, HK_TYPE_MISMATCH, FIX_RECREATE, TRUST_DIRECTION_BIDIRECTIONAL)))
			health_text_type(f, pr);
		return;
	}
	diff = pr->td->direction ^ workflow_reverse(pr->tp->direction);
	if (diff && pr->td->type == TRUST_TYPE_MIT) {
		/* Between Kerberos realms a direction is a principal on both
		 * KDCs: one end without it lacks the principal. */
		if ((f = health_add(out, pr, HK_MISSING_PRINCIPAL, FIX_RECREATE, diff)))
			health_text_principal_one_kdc(f, pr, diff);
		return;
	}
	if (diff) {
		if ((f = health_add(out, pr, HK_DIRECTION_MISMATCH, FIX_RECREATE, diff)))
			health_text_direction(f, pr);
		return;
	}
	/* A Kerberos realm's end keeps no attributes (its principals are the
	 * trust; capaths decide the paths), so MIT trusts are not compared. */
	if (pr->td->type == TRUST_TYPE_MIT)
		return;
	diff = (pr->td->attributes ^ pr->tp->attributes) & HC_ATTR_MASK;
	if (diff && (f = health_add(out, pr, HK_ATTRIBUTE_MISMATCH, FIX_ALIGN, TRUST_DIRECTION_BIDIRECTIONAL)))
		health_align_choose(f, pr, diff);
	else if (!diff && !health_align_valid(pr) &&
		 (f = health_add(out, pr, HK_ATTRIBUTE_INVALID, FIX_ALIGN, TRUST_DIRECTION_BIDIRECTIONAL)))
		health_align_choose(f, pr, 0);
}

/* ---- both ends: one direction ------------------------------------------------- */

/* The end of pr that is domain h. */
static void health_end_is(const hc_pair *pr, const health_domain *h, hc_end *e)
{
	health_end_of(pr, h == pr->d, e);
}

/* Encryption types a TDO allows (unset means the AES default). */
uint32_t health_tdo_enctypes(const tm_tdo *t)
{
	return t && t->has_enctypes && t->enctypes ? t->enctypes : ENCTYPE_BITS_AES;
}

/* The types keys can be made for among those a TDO allows (docs/RULES.md,
 * msDS-SupportedEncryptionTypes): DES never; AES when nothing else is left. */
uint32_t health_key_enctypes(const tm_tdo *t)
{
	uint32_t v = health_tdo_enctypes(t) & (ENCTYPE_BITS_AES | ENCTYPE_BIT_RC4);

	return v ? v : ENCTYPE_BITS_AES;
}

int health_des_only(const tm_tdo *t)
{
	return !(health_tdo_enctypes(t) & (ENCTYPE_BITS_AES | ENCTYPE_BIT_RC4));
}

/* health_follow_b_enctypes: is b's TDO the one to follow? It is when only b's
 * types are among those both KDCs hold keys of for principal. */
int health_follow_b_enctypes(const wf_side *a, const tm_tdo *ta, const wf_side *b, const tm_tdo *tb,
			 const char *principal)
{
	const tm_keyinfo *ka = workflow_find_key(a, principal), *kb = workflow_find_key(b, principal);
	uint32_t keys = (ka ? ka->enctypes : 0) & (kb ? kb->enctypes : 0);

	return !(health_tdo_enctypes(ta) & keys) && (health_tdo_enctypes(tb) & keys);
}

/* Both ends say which encryption types the trust may use, and no type is
 * allowed by both. */
static int health_enctypes_disjoint(const hc_pair *pr)
{
	return pr->td && pr->tp && pr->td->has_enctypes && pr->tp->has_enctypes &&
	       !(health_tdo_enctypes(pr->td) & health_tdo_enctypes(pr->tp));
}

static void health_enctype_finding(const hc_pair *pr, hc_out *out, const verify_result *r, uint32_t bit)
{
	hc_end ed, ep;
	health_finding *f;
	int b_ref;

	health_end_of(pr, 1, &ed);
	health_end_of(pr, 0, &ep);
	if (!ed.t || !ep.t) {
		if ((f = health_add(out, pr, HK_NO_COMMON_ENCTYPE, FIX_MANUAL, bit)))
			health_text_enctypes(f, pr, r, NULL, NULL);
		return;
	}
	b_ref = health_follow_b_enctypes(&ed.self->side, ed.t, &ep.self->side, ep.t, r->principal);
	if ((f = health_add(out, pr, HK_NO_COMMON_ENCTYPE, FIX_ALIGN, bit)))
		health_text_enctypes(f, pr, r, b_ref ? &ed : &ep, b_ref ? &ep : &ed);
}

/* Kvno mismatch: finish a one-side reset when the side ahead shows one
 * (current = previous), else reset both. */
static void health_kvno_finding(const hc_pair *pr, hc_out *out, const verify_result *r, uint32_t bit,
			    const health_domain *trusting, const health_domain *trusted)
{
	int trusting_behind = r->issuer_kvno > r->acceptor_kvno;
	const health_domain *behind = trusting_behind ? trusting : trusted;
	hc_end ahead;
	const authblob *b;
	health_finding *f;
	health_fix fix = FIX_RESET;

	health_end_is(pr, trusting_behind ? trusted : trusting, &ahead);
	b = ahead.t ? health_blob(&ahead, ahead.self == trusting) : NULL;
	if (b && b->count && authblob_previous_equals_current(b))
		fix = FIX_RESET_ONE_SIDE;
	if ((f = health_add(out, pr, HK_KVNO_MISMATCH, fix, bit)))
		health_text_keys(f, pr, r, behind);
}

/* No end's secrets could be read: when the trusted side's interdomain
 * trust account for trusting last changed its password (an AD DC changes
 * it with the incoming secret), 0 unknown. *which becomes the trusted end. */
static long long health_account_set(const hc_pair *pr, const health_domain *trusting,
				    hc_end *which)
{
	const health_domain *trusted = trusting == pr->d ? pr->p : pr->d;
	const tm_account *a;
	char name[NAME_NB_MAX + 2];

	if (!trusted || !trusted->side.caps.keys_from_tdo)
		return 0;
	workflow_account_name(trusting->side.dom, name, sizeof(name));
	if (!(a = workflow_find_account(&trusted->side, name)) || a->password_set <= 0)
		return 0;
	health_end_of(pr, trusted == pr->d, which);
	return a->password_set;
}

/* When the secret of an ok direction was set (the older end), 0 unknown. */
static long long health_secret_set(const hc_pair *pr, const health_domain *trusting,
			       hc_end *which, const authblob **blob)
{
	hc_end ends[2];
	long long when = 0;
	int i;

	health_end_of(pr, 1, &ends[0]);
	health_end_of(pr, 0, &ends[1]);
	for (i = 0; i < 2; i++) {
		const authblob *b;
		long long t;

		if (!ends[i].t || !caps_has(&ends[i].self->side.caps, CAP_SECRET_READ))
			continue;
		b = health_blob(&ends[i], ends[i].self == trusting);
		t = b->count ? authblob_unixtime(authblob_time(b)) : 0;
		if (t > 0 && (when == 0 || t < when)) {
			when = t;
			*which = ends[i];
			*blob = b;
		}
	}
	return when ? when : health_account_set(pr, trusting, which);
}

/* No end told when the secret was set: say why when an end's secrets could
 * not be read. */
static void health_age_unread(const hc_pair *pr, hc_out *out, uint32_t bit)
{
	const health_domain *h = NULL;

	if (!caps_has(&pr->d->side.caps, CAP_SECRET_READ))
		h = pr->d;
	else if (pr->p && !caps_has(&pr->p->side.caps, CAP_SECRET_READ))
		h = pr->p;
	if (h)
		health_not_checked(out, pr, bit, h, CAP_SECRET_READ, "the age of the trust secret");
}

static void health_age_finding(const hc_pair *pr, hc_out *out, const verify_result *r, uint32_t bit,
			   const health_domain *trusting)
{
	const health_input *in = pr->in;
	const authblob *b = NULL;
	hc_end e;
	long long set_at;
	health_finding *f;

	if (in->rotation_days < 0)
		return;
	memset(&e, 0, sizeof(e));
	set_at = health_secret_set(pr, trusting, &e, &b);
	if (set_at <= 0) {
		health_age_unread(pr, out, bit);
		return;
	}
	if (in->now - set_at < (long long)in->rotation_days * 86400)
		return;
	if ((f = health_add(out, pr, HK_SECRET_OLD, FIX_ROTATE, bit))) {
		health_text_secret_old(f, pr, r, &e, b, set_at);
		f->secret_set = set_at;
	}
}

/* When d's end of a trust with a partner trustmgr does not know got its
 * secret (the older of its directions), 0 unknown or unreadable. */
static long long health_unknown_set(const hc_pair *pr)
{
	const authblob *b[2] = { &pr->td->outgoing, &pr->td->incoming };
	long long when = 0, t;
	int i;

	if (!caps_has(&pr->d->side.caps, CAP_SECRET_READ))
		return 0;
	for (i = 0; i < 2; i++) {
		t = b[i]->count ? authblob_unixtime(authblob_time(b[i])) : 0;
		if (t > 0 && (when == 0 || t < when))
			when = t;
	}
	return when;
}

/* A direction that works but whose principal still requires
 * pre-authentication in a KDC: on the trusted side a permit left it armed
 * (the tidy fix takes it out); on the trusting side only kadmin can. */
static void health_preauth(const hc_pair *pr, hc_out *out, uint32_t bit,
			   const health_domain *trusting, const health_domain *trusted,
			   const verify_result *r)
{
	const health_domain *sides[2] = { trusted, trusting };
	const tm_keyinfo *k;
	health_finding *f;
	int i;

	for (i = 0; i < 2; i++) {
		k = workflow_find_key(&sides[i]->side, r->principal);
		if (!k || !k->requires_preauth)
			continue;
		if ((f = health_add(out, pr, HK_PREAUTH, FIX_TIDY, bit)))
			health_text_preauth(f, pr, sides[i], k);
		return;
	}
}

static void health_outcome(const hc_pair *pr, hc_out *out, const verify_result *r, uint32_t bit,
		       const health_domain *trusting, const health_domain *trusted)
{
	static const struct { verify_outcome o; health_kind k; health_fix f; } map[] = {
		{ VERIFY_MISSING_TDO, HK_ONE_SIDED, FIX_RECREATE },
		{ VERIFY_MISSING_PRINCIPAL, HK_MISSING_PRINCIPAL, FIX_RESET },
		{ VERIFY_DECRYPT_INTEGRITY, HK_PASSWORD_MISMATCH, FIX_RESET },
	};
	health_finding *f;
	size_t i;

	if (health_enctypes_disjoint(pr) && (r->outcome == VERIFY_OK ||
	    pr->d->side.caps.keys_from_tdo || (pr->p && pr->p->side.caps.keys_from_tdo))) {
		/* An MIT KDC does not read the TDOs' encryption types, so tickets
		 * still pass today; the ends' descriptions contradict each other
		 * and the next key change would follow one of them. A DC derives
		 * its keys for exactly those types: there a failed referral ("key
		 * version is not available", no key of the issuer's type) is this,
		 * not a key version or password mismatch. */
		health_enctype_finding(pr, out, r, bit);
		return;
	}
	if (r->outcome == VERIFY_OK) {
		health_preauth(pr, out, bit, trusting, trusted, r);
		health_age_finding(pr, out, r, bit, trusting);
		return;
	}
	if (r->outcome == VERIFY_NO_CLIENT_PATH) {
		if ((f = health_add(out, pr, HK_CLIENT_PATH, FIX_MANUAL, bit)))
			health_text_client_path(f, pr, r);
		return;
	}
	if (r->outcome == VERIFY_NOT_RUN) {
		health_not_checked(out, pr, bit, trusted, CAP_VERIFY,
				   "that tickets cross the trust in this direction");
		return;
	}
	if (r->outcome == VERIFY_NO_MATCHING_KVNO) {
		health_kvno_finding(pr, out, r, bit, trusting, trusted);
		return;
	}
	if (r->outcome == VERIFY_NO_COMMON_ENCTYPE) {
		health_enctype_finding(pr, out, r, bit);
		return;
	}
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].o == r->outcome) {
			if ((f = health_add(out, pr, map[i].k, map[i].f, bit)))
				health_text_keys(f, pr, r, NULL);
			return;
		}
	if ((f = health_add(out, pr, HK_UNREACHABLE, FIX_MANUAL, bit)))
		health_text_unreachable(f, pr, r);
}

static void health_direction(const hc_pair *pr, hc_out *out, uint32_t bit)
{
	const health_domain *a = bit == TRUST_DIRECTION_OUTBOUND ? pr->d : pr->p;
	const health_domain *b = bit == TRUST_DIRECTION_OUTBOUND ? pr->p : pr->d;
	const verify_result *r;

	if (!(health_dirs(pr) & bit) || !(r = health_check(pr->in, health_name(a), health_name(b))))
		return;
	health_outcome(pr, out, r, bit, a, b);
}

/* ---- one pair ------------------------------------------------------------------- */

static void health_unread_pair(const hc_pair *pr, hc_out *out)
{
	const health_domain *bad = (!pr->d->readable && pr->d->error[0]) ? pr->d : pr->p;
	uint32_t dirs = health_dirs(pr);
	health_finding *f = health_add(out, pr, HK_UNREACHABLE, FIX_MANUAL,
				   dirs ? dirs : TRUST_DIRECTION_BIDIRECTIONAL);

	if (f)
		health_text_unreadable(f, pr, bad);
}

static int health_is_unread(const health_domain *h)
{
	return h && !h->readable && h->error[0];
}

/* Kinds that mean "the trust does not work" (for the Q243655 finding). */
static int health_failing(health_kind k)
{
	return k != HK_OK && k != HK_PENDING && k != HK_CHANCE_USED && k != HK_UNREACHABLE &&
	       k != HK_SECRET_OLD && k != HK_ATTRIBUTE_MISMATCH && k != HK_ATTRIBUTE_INVALID &&
	       k != HK_NT4_LMCOMPAT &&
	       k != HK_NOT_CHECKED && k != HK_ORPHAN_ACCOUNT;
}

static void health_nt4(const hc_pair *pr, hc_out *out, size_t first)
{
	const tm_domain *nt4 = NULL;
	uint32_t dirs = 0;
	health_kind how = HK_OK;
	health_finding *f;
	size_t i;

	if (health_nt4_lmcompat(pr->d->side.dom))
		nt4 = pr->d->side.dom;
	else if (pr->p && health_nt4_lmcompat(pr->p->side.dom))
		nt4 = pr->p->side.dom;
	for (i = first; nt4 && i < out->n; i++)
		if (health_failing(out->v[i].kind)) {
			dirs |= out->v[i].direction;
			how = how == HK_OK ? out->v[i].kind : how;
		}
	if (dirs && (f = health_add(out, pr, HK_NT4_LMCOMPAT, FIX_MANUAL, dirs)))
		health_text_nt4(f, pr, nt4, health_kind_token(how));
}

/* A check about the trust as a whole that could not run says nothing about
 * whether tickets cross in either direction; nor does a leftover trust
 * account (its direction names the side holding it). */
static int health_whole_unchecked(const health_finding *f)
{
	return (f->kind == HK_NOT_CHECKED && f->direction == TRUST_DIRECTION_BIDIRECTIONAL) ||
	       f->kind == HK_ORPHAN_ACCOUNT;
}

/* Each direction no finding speaks about gets an "ok" finding. */
static void health_ok_rows(const hc_pair *pr, hc_out *out, size_t first)
{
	static const uint32_t bits[] = { TRUST_DIRECTION_OUTBOUND, TRUST_DIRECTION_INBOUND };
	size_t i, k;
	health_finding *f;

	for (k = 0; k < 2; k++) {
		const health_domain *a = k == 0 ? pr->d : pr->p, *b = k == 0 ? pr->p : pr->d;

		if (!(health_dirs(pr) & bits[k]) || !pr->p)
			continue;
		for (i = first; i < out->n; i++)
			if ((out->v[i].direction & bits[k]) &&
			    !health_whole_unchecked(&out->v[i]))
				break;
		if (i == out->n && (f = health_add(out, pr, HK_OK, FIX_NONE, bits[k])))
			health_text_ok(f, pr, health_check(pr->in, health_name(a), health_name(b)));
	}
}

static int health_classify_pair(const hc_pair *pr, void *ctx)
{
	hc_out *out = ctx;
	size_t first = out->n;
	health_finding *f;

	if (pr->acct) {
		health_orphan_only(pr, out);
		return out->oom ? -1 : 0;
	}
	if (!pr->p) {
		/* d's leftover account of the unknown partner first: its fix
		 * runs here, the unknown partner's is outside trustmgr */
		health_orphans_pair(pr, out, first);
		f = health_add(out, pr, HK_UNREACHABLE, FIX_MANUAL,
			   pr->td ? pr->td->direction : TRUST_DIRECTION_DISABLED);
		if (f && pr->td) {
			health_text_unknown_partner(f, pr);
			f->secret_set = health_unknown_set(pr);
		} else if (f)
			health_text_unreadable(f, pr, pr->d);
	} else if (health_is_unread(pr->d) || health_is_unread(pr->p)) {
		health_unread_pair(pr, out);
	} else if ((!pr->td && pr->d->readable) || (!pr->tp && pr->p->readable)) {
		health_one_end(pr, out);
	} else {
		if (!pr->p->readable && !caps_has(&pr->p->side.caps, CAP_TDO_READ))
			health_not_checked(out, pr, TRUST_DIRECTION_BIDIRECTIONAL, pr->p, CAP_TDO_READ,
					   "that both ends describe the trust the same way");
		if (pr->td && pr->tp)
			health_describe(pr, out);
		if (out->n == first || out->v[first].kind == HK_ATTRIBUTE_MISMATCH ||
		    out->v[first].kind == HK_ATTRIBUTE_INVALID) {
			health_direction(pr, out, TRUST_DIRECTION_OUTBOUND);
			health_direction(pr, out, TRUST_DIRECTION_INBOUND);
		}
	}
	if (pr->p)
		health_orphans_pair(pr, out, first);
	health_nt4(pr, out, first);
	health_ok_rows(pr, out, first);
	return out->oom ? -1 : 0;
}

/* health_classify: the findings of every pair in scope. */
int health_classify(const health_input *in, health_finding **out, size_t *n, tm_error *e)
{
	hc_out o;

	memset(&o, 0, sizeof(o));
	*out = NULL;
	*n = 0;
	if (health_walk(in, health_classify_pair, &o) < 0 || o.oom) {
		free(o.v);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while classifying the trusts");
	}
	*out = o.v;
	*n = o.n;
	return 0;
}

/* health_all_ok: no finding needs attention. */
int health_all_ok(const health_finding *v, size_t n)
{
	return health_first_problem(v, n) == NULL;
}

/* health_first_problem: the finding to fix first. */
const health_finding *health_first_problem(const health_finding *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].kind != HK_OK)
			return &v[i];
	return NULL;
}
