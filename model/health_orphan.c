/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* health_orphan.c - interdomain trust accounts that no trusted domain object
 * uses (HK_ORPHAN_ACCOUNT, health.h).
 *
 * A domain holds the account "NB$" of each partner that trusts it: the
 * inbound direction of its TDO for that partner. When the TDO goes and the
 * account stays (an Active Directory DC keeps CN=NB$,CN=Users when the TDO
 * is deleted over LDAP), creating the trust again fails with
 * STATUS_DOMAIN_EXISTS. An account is orphaned when its domain holds no TDO
 * with the inbound direction for the partner it belongs to: the known
 * domain whose account name it is (workflow_account_name), else the TDO
 * whose flatName + "$" it is (partner name + "$" for a TDO without a
 * flatName: a Kerberos realm names its accounts "REALM$"); an account that
 * names neither a known domain nor the flatName of a TDO with the inbound
 * direction is orphaned.
 *
 * Accounts are looked at only in a domain that was read (its TDOs are
 * known) and whose accounts trustmgr can list (CAP_ACCOUNT_LIST). Without
 * the list nothing is said here: no account was seen, so there is no
 * partner to name, and a "not checked" finding for every such domain would
 * speak of trusts that may not exist. The checks that need the accounts of
 * a trust that does exist (pending, one chance used) say "not checked"
 * themselves (health.c, health_one_end). */
#include "model/health_int.h"

#include <stdio.h>
#include <string.h>

#include "model/workflow_int.h"

/* Is `name` the account of flatName flat ("FLAT$")? */
static int health_orphan_is_flat(const char *name, const char *flat)
{
	char buf[NAME_DNS_MAX + 2];

	if (!flat[0])
		return 0;
	snprintf(buf, sizeof(buf), "%s$", flat);
	return name_equal(buf, name);
}

/* Is `name` the account of TDO t's partner: its flatName + "$", or for a
 * TDO without a flatName (a Kerberos realm's, whose accounts are
 * "REALM$") its partner name + "$"? */
static int health_orphan_names(const char *name, const tm_tdo *t)
{
	return t->flat[0] ? health_orphan_is_flat(name, t->flat) : health_orphan_is_flat(name, t->partner);
}

/* health_account_in_use: an inbound TDO of s uses the account. */
int health_account_in_use(const wf_side *s, const tm_domain *partner, const char *name)
{
	const tm_tdo *t = partner ? workflow_find_tdo(s, partner, NULL) : NULL;
	size_t i;

	if (t && (t->direction & TRUST_DIRECTION_INBOUND))
		return 1;
	for (i = 0; i < s->ntdos; i++)
		if ((s->tdos[i].direction & TRUST_DIRECTION_INBOUND) &&
		    health_orphan_names(name, &s->tdos[i]))
			return 1;
	return 0;
}

/* health_account_matches: only_partner names a's partner. */
int health_account_matches(const tm_account *a, const char *only_partner)
{
	char base[NAME_NB_MAX + 2];
	size_t n = strnlen(a->name, sizeof(a->name));

	if ((a->partner[0] && name_equal(a->partner, only_partner)) || name_equal(a->name, only_partner))
		return 1;
	snprintf(base, sizeof(base), "%s", a->name);
	if (n && base[n - 1] == '$')
		base[n - 1] = '\0';
	return base[0] && name_equal(base, only_partner);
}

/* Can h's accounts be judged: its TDOs read and its accounts listed? */
static int health_orphan_can(const health_domain *h)
{
	return h && h->readable && caps_has(&h->side.caps, CAP_ACCOUNT_LIST);
}

/* The known domain other than h whose trust account `name` is, or NULL. */
static const health_domain *health_orphan_owner(const health_input *in, const health_domain *h,
						const char *name)
{
	char acct[NAME_NB_MAX + 2];
	size_t i;

	for (i = 0; i < in->ndomains; i++) {
		const health_domain *o = &in->domains[i];

		if (o == h || !o->side.dom)
			continue;
		workflow_account_name(o->side.dom, acct, sizeof(acct));
		if (name_equal(acct, name))
			return o;
	}
	return NULL;
}

/* Is a, held by h, orphaned? *owner: the known domain it belongs to, or NULL. */
static int health_orphaned(const health_input *in, const health_domain *h, const tm_account *a,
			   const health_domain **owner)
{
	*owner = health_orphan_owner(in, h, a->name);
	return !health_account_in_use(&h->side, *owner ? (*owner)->side.dom : NULL, a->name);
}

/* ---- the finding ------------------------------------------------------------ */

/* Append the finding about a, held by h (pr->d: inbound; pr->p: outbound).
 * The fix deletes it where trustmgr may delete trust accounts. */
static void health_orphan_add(hc_out *out, const hc_pair *pr, const health_domain *h,
			      const tm_account *a)
{
	uint32_t dir = h == pr->d ? TRUST_DIRECTION_INBOUND : TRUST_DIRECTION_OUTBOUND;
	health_fix fix = caps_has(&h->side.caps, CAP_ACCOUNT_WRITE) ? FIX_DELETE_ACCOUNT : FIX_MANUAL;
	health_finding *f = health_add(out, pr, HK_ORPHAN_ACCOUNT, fix, dir);

	if (!f)
		return;
	snprintf(f->account, sizeof(f->account), "%s", a->name);
	health_text_orphan_account(f, pr, h, a);
}

/* Does the pair's one-sided finding already cover h's leftover account?
 *
 * It does when h holds no end of the trust, the other end still holds its
 * TDO, the finding offers recreate, and trustmgr manages h in full: the
 * recreate then plans against both sides and clears what is left of h's end
 * first (workflow_recover.c, rc_clear_end deletes "the leftover
 * interdomain trust account" of an end without a TDO), before creating it
 * again. A second finding would offer a second fix for the same account,
 * and deleting the account alone would leave the trust one-sided.
 *
 * It does not when h holds a TDO of its own (a direction taken away over
 * LDAP: the recreate follows that TDO and drops only the directions it has,
 * so the account stays), when the one-sided finding offers another fix
 * (remove-orphan removes the other end only; establish and repermit
 * concern the other end's permit), or when trustmgr does not manage h (the
 * recreate then removes the other end alone and hands h's part to its
 * administrator). */
static int health_orphan_covered(const hc_pair *pr, const hc_out *out, size_t first,
				 const health_domain *h)
{
	const tm_tdo *own = h == pr->d ? pr->td : pr->tp, *theirs = h == pr->d ? pr->tp : pr->td;
	size_t i;

	if (own || !theirs || !h->side.writable)
		return 0;
	for (i = first; i < out->n; i++)
		if (out->v[i].kind == HK_ONE_SIDED && out->v[i].fix == FIX_RECREATE)
			return 1;
	return 0;
}

/* h's orphaned accounts that belong to the pair: those of the other end
 * (when known), else the one named after h's TDO of the pair. */
static void health_orphans_end(const hc_pair *pr, hc_out *out, size_t first,
			       const health_domain *h, const health_domain *other)
{
	const tm_tdo *own = h == pr->d ? pr->td : pr->tp;
	const health_domain *owner;
	size_t i;

	if (!health_orphan_can(h) || health_orphan_covered(pr, out, first, h))
		return;
	for (i = 0; i < h->side.naccounts; i++) {
		const tm_account *a = &h->side.accounts[i];

		if (!health_orphaned(pr->in, h, a, &owner))
			continue;
		if ((other && owner == other) ||
		    (!owner && own && health_orphan_names(a->name, own)))
			health_orphan_add(out, pr, h, a);
	}
}

/* health_orphans_pair: both ends' leftover accounts of the pair. */
void health_orphans_pair(const hc_pair *pr, hc_out *out, size_t first)
{
	health_orphans_end(pr, out, first, pr->d, pr->p);
	if (pr->p)
		health_orphans_end(pr, out, first, pr->p, pr->d);
}

/* health_orphan_only: a pair no TDO names has its account's finding alone. */
void health_orphan_only(const hc_pair *pr, hc_out *out)
{
	health_orphan_add(out, pr, pr->holder, pr->acct);
}

/* ---- accounts no TDO of either end names ---------------------------------------- */

/* Does a walk over the TDOs reach the pair of h's account (owner: the known
 * domain it belongs to, or NULL)? With an owner, when either end holds a
 * TDO for the other; without, when a TDO of h is named after the account
 * (whatever its direction). */
static int health_orphan_reached(const health_domain *h, const health_domain *owner,
				 const char *name)
{
	size_t i;

	if (owner)
		return workflow_find_tdo(&h->side, owner->side.dom, NULL) != NULL ||
		       (owner->readable && workflow_find_tdo(&owner->side, h->side.dom, NULL) != NULL);
	for (i = 0; i < h->side.ntdos; i++)
		if (health_orphan_names(name, &h->side.tdos[i]))
			return 1;
	return 0;
}

/* The pair of h's account a: h first, unless `health OWNER` asks from the
 * owner's end. 0 when it is out of scope. */
static int health_orphan_pair_of(const health_input *in, const health_domain *h,
				 const health_domain *owner, const tm_account *a, hc_pair *pr)
{
	const health_domain *d = h, *p = owner;
	size_t n;

	if (in->only && strcmp(health_name(h), in->only) != 0) {
		if (!owner || strcmp(health_name(owner), in->only) != 0)
			return 0;
		d = owner;
		p = h;
	}
	health_pair_init(pr, in, d, p, NULL);
	pr->acct = a;
	pr->holder = h;
	if (!p) {
		/* the partner's name as the account has it, else the account's
		 * name without the "$" */
		snprintf(pr->partner, sizeof(pr->partner), "%s", a->partner[0] ? a->partner : a->name);
		n = strlen(pr->partner);
		if (!a->partner[0] && n > 1 && pr->partner[n - 1] == '$')
			pr->partner[n - 1] = '\0';
		pr->pname = pr->partner;
	}
	return health_in_scope(in, pr);
}

/* health_orphans_walk: the orphaned accounts the TDO walk never reaches. */
int health_orphans_walk(const health_input *in, int (*fn)(const hc_pair *pr, void *ctx), void *ctx)
{
	const health_domain *owner;
	hc_pair pr;
	size_t i, k;

	for (i = 0; i < in->ndomains; i++) {
		const health_domain *h = &in->domains[i];

		for (k = 0; health_orphan_can(h) && k < h->side.naccounts; k++) {
			const tm_account *a = &h->side.accounts[k];

			if (!health_orphaned(in, h, a, &owner) ||
			    health_orphan_reached(h, owner, a->name) ||
			    !health_orphan_pair_of(in, h, owner, a, &pr))
				continue;
			if (fn(&pr, ctx) < 0)
				return -1;
		}
	}
	return 0;
}
