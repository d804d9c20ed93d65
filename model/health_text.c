/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* health_text.c - the sentences of each finding: the cause in plain words,
 * the evidence that was seen, and the fix with the command that runs it.
 * Names are store names; "A trusts B" always reads trusting first. */
#include "model/health_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/keys.h"
#include "model/workflow_int.h"

/* ---- writing ---------------------------------------------------------------- */

void health_text_put(char *dst, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, HEALTH_TEXT_MAX, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 2, 3)))
static void health_text_cat(char *dst, const char *fmt, ...)
{
	size_t len = strnlen(dst, HEALTH_TEXT_MAX);
	va_list ap;

	if (len + 1 >= HEALTH_TEXT_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(dst + len, HEALTH_TEXT_MAX - len, fmt, ap);
	va_end(ap);
}

/* "trustmgr repair DOMAIN PARTNER" for the finding. */
static void health_text_repair_cmd(health_finding *f)
{
	health_text_put(f->fix_command, "trustmgr repair %s %s", f->domain,
	       f->partner_domain[0] ? f->partner_domain : f->partner);
}

/* "A trusts B", "A trusts B and B trusts A" for self's direction bits. */
static const char *health_text_way(const char *self, const char *other, uint32_t dir, char *buf, size_t n)
{
	if (dir == TRUST_DIRECTION_BIDIRECTIONAL)
		snprintf(buf, n, "%s trusts %s and %s trusts %s", self, other, other, self);
	else if (dir == TRUST_DIRECTION_OUTBOUND)
		snprintf(buf, n, "%s trusts %s", self, other);
	else if (dir == TRUST_DIRECTION_INBOUND)
		snprintf(buf, n, "%s trusts %s", other, self);
	else
		snprintf(buf, n, "no direction");
	return buf;
}

/* "2024-05-01" */
static const char *health_text_date(long long t, char *buf, size_t n)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t <= 0 || !gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%d", &tm))
		snprintf(buf, n, "an unknown date");
	return buf;
}

/* "; verify A trusts B: outcome" for each direction that was checked. */
static void health_text_verifies(char *dst, const hc_pair *pr)
{
	const verify_result *r;

	if (!pr->p)
		return;
	if ((r = health_check(pr->in, health_name(pr->d), health_name(pr->p))))
		health_text_cat(dst, "; verify %s trusts %s: %s", r->trusting, r->trusted,
		       verify_outcome_token(r->outcome));
	if ((r = health_check(pr->in, health_name(pr->p), health_name(pr->d))))
		health_text_cat(dst, "; verify %s trusts %s: %s", r->trusting, r->trusted,
		       verify_outcome_token(r->outcome));
}

/* "CORP: TDO for partner.example, two-way uplevel, attributes x (0x8)" */
static void health_text_tdo(char *dst, const char *holder, const tm_tdo *t)
{
	char attrs[256];

	health_text_cat(dst, "%s: TDO for %s, %s %s, attributes %s (0x%x)", holder, t->partner,
	       trust_direction_name(t->direction), trust_type_name(t->type),
	       trust_format_attributes(t->attributes, attrs, sizeof(attrs)), t->attributes);
}

/* Remove both ends and establish again as `self` describes the trust. */
static void health_text_recreate(health_finding *f, const char *self, const char *other, const tm_tdo *t)
{
	char attrs[256];

	health_text_put(f->fix_text, "Remove both ends and establish the trust again with new secrets, as "
	       "%s describes it (%s, %s, attributes %s): trustmgr recreate %s %s (KB Q102650; "
	       "trustmgr repair %s %s runs the same plan)", self,
	       trust_direction_name(t->direction), trust_type_name(t->type),
	       trust_format_attributes(t->attributes, attrs, sizeof(attrs)), self, other,
	       f->domain, f->partner_domain);
	health_text_cat(f->fix_text, ". If the trust is no longer wanted, remove the orphan end instead: "
	       "trustmgr remove %s %s.", self, other);
	health_text_put(f->fix_command, "trustmgr recreate %s %s", self, other);
}

/* Recreate as the end that still has a direction describes the trust:
 * d's, unless d's object allows none. */
static void health_text_recreate_pair(health_finding *f, const hc_pair *pr)
{
	if (pr->td->direction || !pr->tp->direction)
		health_text_recreate(f, health_name(pr->d), health_name(pr->p), pr->td);
	else
		health_text_recreate(f, health_name(pr->p), health_name(pr->d), pr->tp);
}

/* ---- ok, unknown, unreadable ------------------------------------------------- */

/* health_text_ok: a direction that works. */
void health_text_ok(health_finding *f, const hc_pair *pr, const verify_result *r)
{
	(void)pr;
	if (!r) {
		health_text_put(f->cause, "Both ends describe the trust alike.");
		health_text_put(f->evidence, "not verified");
	} else {
		health_text_put(f->cause, "The trust \"%s trusts %s\" works: %s's KDC issued a referral ticket "
		       "that %s's KDC opened with its own key.", r->trusting, r->trusted, r->trusted,
		       r->trusting);
		health_text_put(f->evidence, "verify %s trusts %s: ok (kvno %u, %s)", r->trusting, r->trusted,
		       (unsigned)r->issuer_kvno, r->enctype ? keys_enctype_name(r->enctype) : "-");
	}
	health_text_put(f->fix_text, "Nothing to do.");
}

/* health_text_unknown_partner: a TDO for a domain trustmgr does not know. */
void health_text_unknown_partner(health_finding *f, const hc_pair *pr)
{
	const char *d = health_name(pr->d);

	health_text_put(f->cause, "%s holds a trusted domain object for %s, a domain trustmgr does not know, "
	       "so the other end cannot be read and the trust cannot be verified.", d, pr->pname);
	health_text_tdo(f->evidence, d, pr->td);
	health_text_cat(f->evidence, ", last known state %s; %s: not a known domain",
	       trust_health_name(pr->hd), pr->pname);
	health_text_put(f->fix_text, "Describe %s to trustmgr (trustmgr domain add, or a block in "
	       "trustmgr.conf) and run trustmgr health again. If the trust is no longer wanted, "
	       "remove this end: trustmgr remove %s %s.", pr->pname, d, pr->pname);
}

/* health_text_unreadable: a domain whose directory or keys could not be read. */
void health_text_unreadable(health_finding *f, const hc_pair *pr, const health_domain *bad)
{
	(void)pr;
	health_text_put(f->cause, "%s could not be read, so its trusts could not be checked.", health_name(bad));
	health_text_put(f->evidence, "reading %s failed: %s", health_name(bad), bad->error);
	health_text_put(f->fix_text, "Make %s's directory and KDC reachable (or its store files readable), "
	       "then run trustmgr health again.", health_name(bad));
}

/* health_text_client_path: the keys work; the clients lack [capaths]. */
void health_text_client_path(health_finding *f, const hc_pair *pr, const verify_result *r)
{
	char what[TM_WHAT_MAX], next[TM_NEXT_MAX];

	(void)pr;
	verify_explain(r, what, sizeof(what), next, sizeof(next));
	health_text_put(f->cause, "%s", what);
	health_text_put(f->evidence, "the explicit referral works; a client's own path "
			"fails: %s", r->detail[0] ? r->detail : "no detail");
	health_text_put(f->fix_text, "%s", next);
}

/* health_text_preauth: a working principal that still requires
 * pre-authentication (docs/RULES.md, "Plain MIT realms"). */
void health_text_preauth(health_finding *f, const hc_pair *pr, const health_domain *h,
			 const tm_keyinfo *k)
{
	int armed = strcmp(k->policy, "trustmgr-permit") == 0;

	health_text_put(f->cause, "%s in %s's KDC requires pre-authentication%s, though the "
			"trust works: MIT advises against it on cross-realm principals. %s",
			k->principal, health_name(h), armed ? " and is still under the one-chance "
			"policy trustmgr-permit" : "", armed ? "The permit that armed it is over." :
			"It was set by hand or by the realm's default principal flags.");
	health_text_put(f->evidence, "%s: %s, kvno %u, policy %s", health_name(h), k->principal,
			(unsigned)k->kvno, k->policy[0] ? k->policy : "none");
	health_text_put(f->fix_text, "Make it a plain cross-realm principal on %s: trustmgr "
			"repair %s %s (or there: kadmin modprinc -requires_preauth%s %s).",
			health_name(h), f->domain, pr->pname, armed ? " -clearpolicy" : "",
			k->principal);
	health_text_put(f->fix_command, "trustmgr repair %s %s", f->domain, pr->pname);
}

/* health_text_not_checked: a check that could not run, and why. */
void health_text_not_checked(health_finding *f, const hc_pair *pr, const health_domain *h,
			     uint32_t need, const char *check)
{
	const char *why = caps_why(&h->side.caps, need);

	health_text_put(f->cause, "Could not check %s of the trust between %s and %s, because "
			"trustmgr cannot %s of %s.", check, health_name(pr->d), pr->pname,
			caps_what((caps_bit)need), health_name(h));
	health_text_put(f->evidence, "%s: %s", health_name(h), why[0] ? why : "not allowed");
	health_text_put(f->fix_text, "Give trustmgr what it needs for %s (see trustmgr.conf in "
			"trustmgr(8)), or check this by hand on %s; then run trustmgr health again.",
			health_name(h), health_name(h));
}

/* ---- one end only ------------------------------------------------------------ */

/* health_text_one_sided: a TDO at one end only (KB Q102650). */
void health_text_one_sided(health_finding *f, const hc_pair *pr, const hc_end *s)
{
	const char *self = health_name(s->self), *other = health_name(s->other);
	char way[256];

	health_text_tdo(f->evidence, self, s->t);
	health_text_cat(f->evidence, ", last known state %s; %s: no TDO for %s", trust_health_name(s->h),
	       other, self);
	health_text_verifies(f->evidence, pr);
	if (f->fix == FIX_REMOVE_ORPHAN) {
		health_text_put(f->cause, "%s holds a trusted domain object for %s that allows no direction, "
		       "and %s holds none for %s: it describes no trust.", self, other, other, self);
		health_text_put(f->fix_text, "Remove the orphan end: trustmgr remove %s %s.", self, other);
		health_text_put(f->fix_command, "trustmgr remove %s %s", self, other);
		return;
	}
	health_text_put(f->cause, "The trust exists at one end only: %s holds a trusted domain object for %s "
	       "(%s), but %s holds none for %s. A trust broken at one end cannot be repaired from "
	       "that end alone (KB Q102650); logons across it fail with \"The trust relationship "
	       "between the primary domain and the trusted domain failed\".", self, other,
	       health_text_way(self, other, s->t->direction, way, sizeof(way)), other, self);
	health_text_recreate(f, self, other, s->t);
}

/* health_text_pending: permitted but never established, or trusted before the permit. */
void health_text_pending(health_finding *f, const hc_pair *pr, const hc_end *s, int permitted)
{
	const char *self = health_name(s->self), *other = health_name(s->other);

	(void)pr;
	if (permitted) {
		health_text_put(f->cause, "%s permits %s to trust it, but %s has not established the trust: "
		       "it stays pending until %s's administrator adds %s as a trusted domain with "
		       "the initial password.", self, other, other, other, self);
		health_text_put(f->evidence, "%s: TDO for %s inbound, last known state %s, trust account "
		       "of %s unused, secret unchanged since the permit; %s: no TDO for %s", self,
		       s->t->partner, trust_health_name(s->h), other, other, self);
		health_text_put(f->fix_text, "%s trusts %s with the initial password %s gave (the first "
		       "attempt uses the one chance): trustmgr trust %s %s. trustmgr repair %s %s runs "
		       "it and asks for that password (or reads --password-file).", other, self, self,
		       other, self, f->domain, f->partner_domain);
		health_text_put(f->fix_command, "trustmgr trust %s %s", other, self);
		return;
	}
	health_text_put(f->cause, "%s recorded that it trusts %s before %s permitted it, so the trust could "
	       "not be verified: %s has not permitted %s to trust it (permit first, KB Q112214).",
	       self, other, other, other, self);
	health_text_put(f->evidence, "%s: TDO for %s outbound, last known state pending permit; %s: no TDO "
	       "for %s and no trust account for it", self, s->t->partner, other, self);
	health_text_put(f->fix_text, "%s permits %s with an initial password, then %s trusts %s with the same "
	       "password: trustmgr permit %s %s; trustmgr trust %s %s. trustmgr repair %s %s runs "
	       "both with one password.", other, self, self, other, other, self, self, other,
	       f->domain, f->partner_domain);
	health_text_repair_cmd(f);
}

/* health_text_chance_used: a wrong initial password used the one chance. */
void health_text_chance_used(health_finding *f, const hc_pair *pr, const hc_end *s, const tm_account *a)
{
	const char *self = health_name(s->self), *other = health_name(s->other);
	char when[32];

	(void)pr;
	health_text_put(f->cause, "%s permitted %s to trust it, but a wrong initial password used the one "
	       "chance: %s no longer accepts that password, so %s cannot establish the trust "
	       "with it.", self, other, self, other);
	health_text_put(f->evidence, "%s: TDO for %s inbound, trust account %s %s%s, last known state %s; "
	       "%s: no TDO for %s", self, s->t->partner, a ? a->name : "(none)",
	       a && a->locked ? "locked on " : "not locked",
	       a && a->locked ? health_text_date(a->locked_at, when, sizeof(when)) : "",
	       trust_health_name(s->h), other, self);
	health_text_put(f->fix_text, "%s removes the permission and permits %s again with a new initial "
	       "password, then %s trusts %s with it: trustmgr remove %s %s --direction inbound; "
	       "trustmgr permit %s %s; trustmgr trust %s %s. trustmgr repair %s %s runs all three "
	       "with one new password.", self, other, other, self, self, other, self, other, other,
	       self, f->domain, f->partner_domain);
	health_text_repair_cmd(f);
}

/* "created 2024-05-01, password last set 2024-06-01, locked" as far as known. */
static void health_text_account_dates(char *dst, const tm_account *a)
{
	char when[32];

	if (a->created > 0)
		health_text_cat(dst, ", created %s", health_text_date(a->created, when, sizeof(when)));
	if (a->password_set > 0)
		health_text_cat(dst, ", password last set %s",
				health_text_date(a->password_set, when, sizeof(when)));
	if (a->locked)
		health_text_cat(dst, ", locked");
}

/* health_text_orphan_account: holder keeps the trust account a of the
 * other end, and no TDO of holder with the inbound direction uses it. */
void health_text_orphan_account(health_finding *f, const hc_pair *pr, const health_domain *holder,
				const tm_account *a)
{
	const char *self = health_name(holder);
	const char *other = holder == pr->d ? pr->pname : health_name(pr->d);
	const tm_tdo *own = holder == pr->d ? pr->td : pr->tp, *theirs = holder == pr->d ? pr->tp : pr->td;
	const char *why = caps_why(&holder->side.caps, CAP_ACCOUNT_WRITE);

	health_text_put(f->cause, "The trust account %s of %s remains in %s without a trusted domain "
			"object that uses it: %s holds no TDO for %s with the inbound direction (%s "
			"trusts %s). Creating the trust again fails while it exists "
			"(STATUS_DOMAIN_EXISTS); a domain controller keeps the account (CN=%s,CN=Users) "
			"when the TDO is deleted over LDAP.", a->name, other, self, self, other, other,
			self, a->name);
	health_text_put(f->evidence, "%s: interdomain trust account %s", self, a->name);
	health_text_account_dates(f->evidence, a);
	if (own) {
		health_text_cat(f->evidence, "; ");
		health_text_tdo(f->evidence, self, own);
	} else {
		health_text_cat(f->evidence, "; %s: no TDO for %s", self, other);
	}
	if (theirs) {
		health_text_cat(f->evidence, "; ");
		health_text_tdo(f->evidence, other, theirs);
	}
	if (f->fix == FIX_DELETE_ACCOUNT) {
		health_text_put(f->fix_text, "Delete the leftover account %s in %s (one step; no trusted "
				"domain object is changed): trustmgr repair %s %s. \"%s trusts %s\" can "
				"then be created again.", a->name, self, f->domain,
				f->partner_domain[0] ? f->partner_domain : f->partner, other, self);
		health_text_repair_cmd(f);
		return;
	}
	health_text_put(f->fix_text, "trustmgr cannot %s of %s (%s): delete the account %s there by "
			"hand (on an Active Directory domain controller the user object CN=%s,CN=Users), "
			"then run trustmgr health again.", caps_what(CAP_ACCOUNT_WRITE), self,
			why[0] ? why : "not allowed", a->name, a->name);
}

/* ---- both ends disagree --------------------------------------------------------- */

/* health_text_type: the two ends have different trust types. */
void health_text_type(health_finding *f, const hc_pair *pr)
{
	const char *d = health_name(pr->d), *p = health_name(pr->p);

	health_text_put(f->cause, "The two ends disagree about the kind of trust: %s says %s, %s says %s. "
	       "The type of a trusted domain object cannot be changed, so the ends must be "
	       "created again.", d, trust_type_name(pr->td->type), p, trust_type_name(pr->tp->type));
	health_text_tdo(f->evidence, d, pr->td);
	health_text_cat(f->evidence, "; ");
	health_text_tdo(f->evidence, p, pr->tp);
	health_text_verifies(f->evidence, pr);
	health_text_recreate_pair(f, pr);
}

/* health_text_direction: the two ends have different directions. */
void health_text_direction(health_finding *f, const hc_pair *pr)
{
	const char *d = health_name(pr->d), *p = health_name(pr->p);
	char w1[256], w2[256];

	health_text_put(f->cause, "The two ends disagree about the direction: %s says %s, %s says %s. A "
	       "direction only one end holds has no shared secret and cannot work.", d,
	       health_text_way(d, p, pr->td->direction, w1, sizeof(w1)), p,
	       health_text_way(p, d, pr->tp->direction, w2, sizeof(w2)));
	health_text_put(f->evidence, "%s: TDO for %s, %s (%u); %s: TDO for %s, %s (%u)", d, pr->td->partner,
	       trust_direction_name(pr->td->direction), pr->td->direction, p, pr->tp->partner,
	       trust_direction_name(pr->tp->direction), pr->tp->direction);
	health_text_verifies(f->evidence, pr);
	health_text_recreate_pair(f, pr);
}

/* health_text_principal_one_kdc: a Kerberos trust's principal is on one
 * KDC only (diff: the directions only one end has, seen from pr->d). */
void health_text_principal_one_kdc(health_finding *f, const hc_pair *pr, uint32_t diff)
{
	const tm_domain *d = pr->d->side.dom, *p = pr->p->side.dom;
	int out = (diff & TRUST_DIRECTION_OUTBOUND) != 0;
	const tm_domain *trusting = out ? d : p, *trusted = out ? p : d;
	int has_d = ((pr->td->direction & diff) != 0);
	char princ[KEYS_PRINC_MAX];

	if (keys_trust_principal(trusting->realm, trusted->realm, princ, sizeof(princ), NULL) < 0)
		snprintf(princ, sizeof(princ), "krbtgt/%s@%s", trusting->realm, trusted->realm);
	health_text_put(f->cause, "%s is in %s's KDC but not in %s's: a cross-realm principal on "
			"one KDC only, so \"%s trusts %s\" cannot work (clients see \"Server "
			"krbtgt/... not found in Kerberos database\" or a failed ticket).", princ,
			has_d ? d->name : p->name, has_d ? p->name : d->name, trusting->name,
			trusted->name);
	health_text_put(f->evidence, "%s: %s; %s: %s", d->name,
			trust_direction_name(pr->td->direction), p->name,
			trust_direction_name(pr->tp->direction));
	health_text_verifies(f->evidence, pr);
	health_text_recreate_pair(f, pr);
}

/* ---- what verifying a direction found ------------------------------------------------ */

static const health_domain *health_text_side(const hc_pair *pr, const char *name)
{
	return strcmp(health_name(pr->d), name) == 0 ? pr->d : pr->p;
}

static void health_text_reset_fix(health_finding *f, const char *what)
{
	health_text_put(f->fix_text, "%s: trustmgr reset %s %s.", what, f->domain, f->partner_domain);
	health_text_put(f->fix_command, "trustmgr reset %s %s", f->domain, f->partner_domain);
}

static void health_text_kvno(health_finding *f, const hc_pair *pr, const verify_result *r,
		    const health_domain *behind)
{
	const char *a = r->trusting, *b = r->trusted;
	const health_domain *ha = health_text_side(pr, a), *hb = health_text_side(pr, b);
	const char *ahead = behind == ha ? b : a;

	health_text_put(f->cause, "%s's and %s's KDCs hold different key versions of %s: one side was reset "
	       "without the other, so %s's KDC cannot open %s's referral tickets (the client sees "
	       "\"KDC returned error string: PROCESS_TGS\", the KDC logs \"No matching key in "
	       "entry\").", a, b, r->principal, a, b);
	health_text_put(f->evidence, "%s holds %s at kvno %u, %s at kvno %u; verify: kvno-mismatch", a,
	       r->principal, workflow_kvno(&ha->side, r->principal), b, workflow_kvno(&hb->side, r->principal));
	if (f->fix != FIX_RESET_ONE_SIDE) {
		health_text_reset_fix(f, "Give both sides one new secret and key version");
		return;
	}
	health_text_cat(f->evidence, "; %s's secret has current = previous, as a one-side reset leaves it",
	       ahead);
	health_text_put(f->fix_text, "Finish the one-side reset (forest recovery): reset %s's side with the "
	       "password %s's side was reset with: trustmgr reset-one-side %s %s. Without that "
	       "password, give both sides a new secret instead: trustmgr reset %s %s.",
	       health_name(behind), ahead, health_name(behind), ahead, f->domain, f->partner_domain);
	health_text_put(f->fix_command, "trustmgr reset-one-side %s %s", health_name(behind), ahead);
}

static void health_text_password(health_finding *f, const hc_pair *pr, const verify_result *r)
{
	const char *a = r->trusting, *b = r->trusted;

	(void)pr;
	health_text_put(f->cause, "Both KDCs hold %s at the same key version, but the keys differ: the two "
	       "sides were set with different passwords, so %s's KDC cannot open %s's referral "
	       "tickets (\"Decrypt integrity check failed\").", r->principal, a, b);
	health_text_put(f->evidence, "%s and %s both hold %s at kvno %u (%s); verify: password-mismatch", a, b,
	       r->principal, (unsigned)r->issuer_kvno,
	       r->enctype ? keys_enctype_name(r->enctype) : "-");
	health_text_reset_fix(f, "Give both sides one new secret");
}

static void health_text_missing(health_finding *f, const hc_pair *pr, const verify_result *r)
{
	const char *a = r->trusting, *b = r->trusted;
	const char *gone = r->missing_on[0] ? r->missing_on : "one side";
	const char *kept = strcmp(gone, a) == 0 ? b : a;
	const health_domain *hk = health_text_side(pr, kept);

	health_text_put(f->cause, "%s's KDC has no key for %s, so no referral ticket for \"%s trusts %s\" can "
	       "be issued or accepted (\"Server %s not found in Kerberos database\").", gone,
	       r->principal, a, b, r->principal);
	health_text_put(f->evidence, "%s holds %s at kvno %u, %s holds none; both trusted domain objects "
	       "have this direction; verify: missing-principal", kept, r->principal,
	       workflow_kvno(&hk->side, r->principal), gone);
	health_text_reset_fix(f, "Put the key back on both KDCs with one new secret and key version");
}

/* health_text_keys: missing principal, kvno mismatch, password mismatch, missing TDO. */
void health_text_keys(health_finding *f, const hc_pair *pr, const verify_result *r,
	     const health_domain *behind)
{
	if (f->kind == HK_KVNO_MISMATCH) {
		health_text_kvno(f, pr, r, behind);
	} else if (f->kind == HK_PASSWORD_MISMATCH) {
		health_text_password(f, pr, r);
	} else if (f->kind == HK_MISSING_PRINCIPAL) {
		health_text_missing(f, pr, r);
	} else {
		health_text_put(f->cause, "The check of \"%s trusts %s\" found no trusted domain object for it "
		       "on %s.", r->trusting, r->trusted, r->missing_on);
		health_text_put(f->evidence, "verify %s trusts %s: %s", r->trusting, r->trusted,
		       verify_outcome_token(r->outcome));
		health_text_put(f->fix_text, "Remove both ends and create the trust again: trustmgr repair "
		       "%s %s.", f->domain, f->partner_domain);
		health_text_repair_cmd(f);
	}
}

/* health_text_enctypes: no encryption type both ends allow. */
void health_text_enctypes(health_finding *f, const hc_pair *pr, const verify_result *r,
		 const hc_end *target, const hc_end *ref)
{
	char e1[128], e2[128];
	const char *d = health_name(pr->d), *p = health_name(pr->p);
	uint32_t want;

	if (pr->td && pr->tp && health_des_only(pr->td) && health_des_only(pr->tp))
		health_text_put(f->cause, "Both ends allow only DES for %s, and no key is made for DES, so "
		       "no referral ticket for \"%s trusts %s\" can be issued (\"KDC has no support "
		       "for encryption type\").", r->principal, r->trusting, r->trusted);
	else
		health_text_put(f->cause, "The two ends allow no encryption type in common for %s, so no "
		       "referral ticket for \"%s trusts %s\" can be issued (\"KDC has no support for "
		       "encryption type\").", r->principal, r->trusting, r->trusted);
	health_text_put(f->evidence, "%s's TDO allows %s, %s's allows %s; verify: no-common-enctype", d,
	       pr->td ? trust_format_enctypes(pr->td->enctypes, e1, sizeof(e1)) : "?", p,
	       pr->tp ? trust_format_enctypes(pr->tp->enctypes, e2, sizeof(e2)) : "(not read)");
	if (!target || !ref) {
		health_text_put(f->fix_text, "Give both trusted domain objects one set of encryption types "
		       "(trustmgr tdo modify ... --enctypes aes on each side), then reset the trust.");
		return;
	}
	want = health_key_enctypes(ref->t);
	trust_format_enctypes(want, e1, sizeof(e1));
	if (health_des_only(ref->t)) {
		health_text_put(f->fix_text, "Neither end allows a type keys are made for (DES is never "
		       "used): give both trusted domain objects %s, then reset the trust: trustmgr tdo "
		       "modify %s %s --enctypes %s; trustmgr tdo modify %s %s --enctypes %s; trustmgr "
		       "reset %s %s. trustmgr repair %s %s runs all three in one plan.", e1,
		       health_name(target->self), health_name(ref->self), e1, health_name(ref->self),
		       health_name(target->self), e1, health_name(target->self), health_name(ref->self),
		       f->domain, f->partner_domain);
		health_text_repair_cmd(f);
		return;
	}
	health_text_put(f->fix_text, "Give %s's trusted domain object the encryption types of %s's (%s), "
	       "then reset the trust so both KDCs hold keys of them: trustmgr tdo modify %s %s "
	       "--enctypes %s; trustmgr reset %s %s. trustmgr repair %s %s runs both in one plan.",
	       health_name(target->self), health_name(ref->self), e1, health_name(target->self),
	       health_name(ref->self), e1, health_name(target->self), health_name(ref->self), f->domain,
	       f->partner_domain);
	health_text_repair_cmd(f);
}

/* health_text_unreachable: a check that could not be made. */
void health_text_unreachable(health_finding *f, const hc_pair *pr, const verify_result *r)
{
	health_text_put(f->cause, "\"%s trusts %s\" could not be checked: a directory or KDC did not answer.",
	       r->trusting, r->trusted);
	health_text_put(f->evidence, "verify %s trusts %s: unreachable%s%s", r->trusting, r->trusted,
	       r->detail[0] ? ": " : "", r->detail);
	health_text_put(f->fix_text, "Check that the directories and KDCs of %s and %s are running and "
	       "reachable, then run trustmgr health again.", health_name(pr->d), pr->pname);
}

/* ---- domain facts and age ------------------------------------------------------- */

/* health_text_nt4: KB Q243655 on an NT 4.0 domain whose trust fails. */
void health_text_nt4(health_finding *f, const hc_pair *pr, const tm_domain *nt4, const char *how)
{
	health_text_put(f->cause, "%s is an NT 4.0 domain at Service Pack %d whose domain controllers run "
	       "LMCompatibilityLevel %d. On NT 4.0 SP4 to SP6 such controllers refuse logons that "
	       "arrive over the secure channel (KB Q243655): every logon across the trust then "
	       "fails with \"The trust relationship between the primary domain and the trusted "
	       "domain failed\" (STATUS_TRUSTED_DOMAIN_FAILURE), whatever else is repaired, until "
	       "the Netlogon update is installed.", nt4->name, nt4->nt_service_pack,
	       nt4->lm_compat_level);
	health_text_put(f->evidence, "%s: NT 4.0 SP%d, LMCompatibilityLevel %d (domain facts); this trust "
	       "fails: %s", nt4->name, nt4->nt_service_pack, nt4->lm_compat_level, how);
	health_text_put(f->fix_text, "Install the Netlogon update of KB Q243655 (Netlogon.dll of 10/11/99 or "
	       "later) on %s's domain controllers; that is outside trustmgr. Fix the other findings "
	       "of this trust first, then check it: trustmgr verify %s %s.", nt4->name,
	       health_name(pr->d), pr->pname);
}

/* health_text_secret_old: a working trust whose secret is older than the policy. */
void health_text_secret_old(health_finding *f, const hc_pair *pr, const verify_result *r,
		   const hc_end *e, const authblob *b, long long set_at)
{
	long long days = (pr->in->now - set_at) / 86400;
	int trusting = strcmp(health_name(e->self), r->trusting) == 0;
	char when[32], age[48];

	if (days > 0)
		snprintf(age, sizeof(age), "%lld day%s ago", days, days == 1 ? "" : "s");
	else
		snprintf(age, sizeof(age), "less than a day ago");
	health_text_put(f->cause, "The secret of \"%s trusts %s\" was set %s; the rotation policy is %d "
	       "day%s. Domain controllers change trust secrets every 30 days, keeping the previous "
	       "one, so that a leaked secret stops working.", r->trusting, r->trusted, age,
	       pr->in->rotation_days, pr->in->rotation_days == 1 ? "" : "s");
	if (b)
		health_text_put(f->evidence, "%s's %s for %s: current secret set %s (kvno %u), %lld day%s "
		       "before this check; policy %d days; verify: ok", health_name(e->self),
		       trusting ? "trustAuthOutgoing" : "trustAuthIncoming", e->t ? e->t->partner : "",
		       health_text_date(set_at, when, sizeof(when)), authblob_kvno(b, 0), days,
		       days == 1 ? "" : "s", pr->in->rotation_days);
	else      /* the DC hands out no secrets: its trust account's pwdLastSet */
		health_text_put(f->evidence, "%s: the interdomain trust account of %s last changed its "
		       "password %s (pwdLastSet), %lld day%s before this check; policy %d days; "
		       "verify: ok", health_name(e->self), health_name(e->other),
		       health_text_date(set_at, when, sizeof(when)), days, days == 1 ? "" : "s",
		       pr->in->rotation_days);
	health_text_put(f->fix_text, "Change the secret on both sides, keeping the previous one: trustmgr "
	       "rotate %s %s.", f->domain, f->partner_domain);
	health_text_put(f->fix_command, "trustmgr rotate %s %s", f->domain, f->partner_domain);
}
