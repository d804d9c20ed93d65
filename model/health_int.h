/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* health_int.h - what the health files share (health.c: scope and
 * classification; health_text.c: the sentences of each finding;
 * health_fix.c: the plans that fix them). Not for use outside model/. */
#ifndef TM_HEALTH_INT_H
#define TM_HEALTH_INT_H

#include "model/health.h"

/* One trust in scope: the domain the findings name first and its partner. */
typedef struct hc_pair {
	const health_input *in;
	const health_domain *d;        /* the domain the findings are about */
	const health_domain *p;        /* the partner; NULL when trustmgr does not know it */
	const tm_tdo *td;              /* d's TDO for p (NULL: none) */
	const tm_tdo *tp;              /* p's TDO for d (NULL: none, or p unread) */
	tm_health hd, hp;              /* recorded health of td and tp */
	char partner[NAME_DNS_MAX];    /* the partner's name as d's TDO has it */
	const char *pname;             /* p's store name, or the TDO's partner name */
	/* A pair no TDO names, visited for one orphaned trust account alone
	 * (health_orphan.c): the account and the domain holding it (d or p);
	 * NULL for every other pair. */
	const tm_account *acct;
	const health_domain *holder;
} hc_pair;

/* The findings being collected. */
typedef struct hc_out {
	health_finding *v;
	size_t n, cap;
	int oom;
} hc_out;

/* One end of a pair seen as "self holds t for other". */
typedef struct hc_end {
	const health_domain *self, *other;
	const tm_tdo *t;               /* self's TDO for other */
	tm_health h;                   /* its recorded health */
} hc_end;

/* ---- health.c ------------------------------------------------------------ */

/* Fill pr for d and its partner p (NULL when unknown: then `unknown` is d's
 * TDO for it, or NULL). */
void health_pair_init(hc_pair *pr, const health_input *in, const health_domain *d,
		      const health_domain *p, const tm_tdo *unknown);
/* Is pr among the trusts in->only and in->only_partner ask for? */
int health_in_scope(const health_input *in, const hc_pair *pr);

/* Append a finding with its identity filled; NULL (out->oom set) when full. */
health_finding *health_add(hc_out *out, const hc_pair *pr, health_kind k, health_fix fix,
		       uint32_t dir);
/* The check of "trusting trusts trusted", or NULL when it was not made. */
const verify_result *health_check(const health_input *in, const char *trusting,
			      const char *trusted);
/* A finding saying that `check` of direction dir could not run because h
 * cannot do `need` (caps_bit values; h's caps hold the reason). */
void health_not_checked(hc_out *out, const hc_pair *pr, uint32_t dir, const health_domain *h,
			uint32_t need, const char *check);
/* Store name of a domain ("?" for NULL). */
const char *health_name(const health_domain *h);
/* Does domain d match NT 4.0 SP4-SP6 at LMCompatibilityLevel 4 (Q243655)? */
int health_nt4_lmcompat(const tm_domain *d);

/* Encryption type bits a TDO allows (unset: the AES default). */
uint32_t health_tdo_enctypes(const tm_tdo *t);
/* Of those, the types keys are made for (DES never is); AES when none. */
uint32_t health_key_enctypes(const tm_tdo *t);
/* Does the TDO allow no type keys are made for (DES only)? */
int health_des_only(const tm_tdo *t);
/* For "no common encryption type": should a's TDO follow b's? Yes when
 * only b's types are among those both KDCs hold keys of for principal. */
int health_follow_b_enctypes(const wf_side *a, const tm_tdo *ta, const wf_side *b, const tm_tdo *tb,
			 const char *principal);

/* ---- health_orphan.c: trust accounts no TDO uses --------------------------- */

/* Does a TDO of s with the inbound direction use the trust account `name`:
 * s's TDO for partner (when known), or one whose flatName + "$" it is (its
 * partner name + "$" when it has no flatName: a Kerberos realm's)? */
int health_account_in_use(const wf_side *s, const tm_domain *partner, const char *name);
/* Does only_partner name the partner account a belongs to (its partner
 * name, or its name with or without the "$")? */
int health_account_matches(const tm_account *a, const char *only_partner);
/* The orphaned accounts of pair pr (each end's account of the other end;
 * for an unknown partner, d's account named after d's TDO), appended after
 * the pair's findings from index first on. */
void health_orphans_pair(const hc_pair *pr, hc_out *out, size_t first);
/* The finding of a pair visited for its orphaned account alone (pr->acct). */
void health_orphan_only(const hc_pair *pr, hc_out *out);
/* Visit, with fn, a pair for each orphaned account that no TDO of either
 * end names (so the walk over TDOs never reaches it), in scope. */
int health_orphans_walk(const health_input *in, int (*fn)(const hc_pair *pr, void *ctx),
			void *ctx);

/* ---- health_text.c ----------------------------------------------------- */

/* The sentences of each kind of finding. f has kind, fix and identity set. */
void health_text_ok(health_finding *f, const hc_pair *pr, const verify_result *r);
void health_text_unknown_partner(health_finding *f, const hc_pair *pr);
void health_text_unreadable(health_finding *f, const hc_pair *pr, const health_domain *bad);
void health_text_one_sided(health_finding *f, const hc_pair *pr, const hc_end *s);
void health_text_pending(health_finding *f, const hc_pair *pr, const hc_end *s, int permitted);
void health_text_chance_used(health_finding *f, const hc_pair *pr, const hc_end *s,
		    const tm_account *a);
void health_text_type(health_finding *f, const hc_pair *pr);
void health_text_direction(health_finding *f, const hc_pair *pr);
void health_text_principal_one_kdc(health_finding *f, const hc_pair *pr, uint32_t diff);
void health_text_keys(health_finding *f, const hc_pair *pr, const verify_result *r,
	     const health_domain *behind);
void health_text_enctypes(health_finding *f, const hc_pair *pr, const verify_result *r,
		 const hc_end *target, const hc_end *ref);
void health_text_unreachable(health_finding *f, const hc_pair *pr, const verify_result *r);
void health_text_nt4(health_finding *f, const hc_pair *pr, const tm_domain *nt4, const char *how);
void health_text_not_checked(health_finding *f, const hc_pair *pr, const health_domain *h,
			     uint32_t need, const char *check);
void health_text_client_path(health_finding *f, const hc_pair *pr, const verify_result *r);
void health_text_preauth(health_finding *f, const hc_pair *pr, const health_domain *h,
			 const tm_keyinfo *k);
void health_text_orphan_account(health_finding *f, const hc_pair *pr, const health_domain *holder,
				const tm_account *a);
void health_text_secret_old(health_finding *f, const hc_pair *pr, const verify_result *r,
		   const hc_end *e, const authblob *b, long long set_at);

/* ---- health_align.c ------------------------------------------------------ */

/* The ends of pr disagree about the attribute bits diff: choose what both
 * get so that the rules (rules_check_attributes) allow it at both ends: the
 * finding's domain's, else the partner's, else the two without the forest
 * bits; none allowed makes the fix FIX_MANUAL. Fills f's align fields and
 * its sentences. */
void health_align_choose(health_finding *f, const hc_pair *pr, uint32_t diff);
/* Write a finding's sentence (cause, evidence, fix) into dst, HEALTH_TEXT_MAX
 * bytes, cut when longer. */
void health_text_put(char *dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Do the rules allow both ends' attributes as they are? */
int health_align_valid(const hc_pair *pr);

/* Attribute bits both ends of a trust must agree on. */
#define HC_ATTR_MASK (TRUST_ATTR_NON_TRANSITIVE | TRUST_ATTR_UPLEVEL_ONLY | \
		      TRUST_ATTR_FOREST_TRANSITIVE | TRUST_ATTR_CROSS_ORGANIZATION | \
		      TRUST_ATTR_WITHIN_FOREST | TRUST_ATTR_TREAT_AS_EXTERNAL)

/* The blob holding the secret of "trusting trusts trusted" at end e
 * (outgoing at the trusting end, incoming at the trusted end). */
const authblob *health_blob(const hc_end *e, int e_is_trusting);

#endif
