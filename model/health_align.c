/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* health_align.c - the two ends of a trust disagree about its attributes:
 * which attributes both ends get. Never a state the rules refuse (issue 17,
 * item 1): the finding's domain's attributes when the rules allow them at
 * both ends, else the partner's, else the two without the forest bits (an
 * external trust); when none is allowed, the administrator decides. */
#include "model/health_int.h"

#include <stdio.h>
#include <string.h>

#include "model/rules.h"

/* Would the rules allow end `self`'s TDO t with attributes attrs? When not,
 * why, after "at SELF's end: ", in why (when why is not NULL and empty). */
static int health_align_allowed(const health_domain *self, const health_domain *other,
				const tm_tdo *t, uint32_t attrs, char *why, size_t n)
{
	rules_ctx ctx;
	tm_tdo c = *t;             /* shallow: only read */
	tm_error e;

	memset(&ctx, 0, sizeof(ctx));
	ctx.local = self->side.dom;
	ctx.partner = other ? other->side.dom : NULL;
	c.attributes = attrs;
	error_clear(&e);
	if (rules_check_attributes(&ctx, &c, &e) == 0)
		return 1;
	if (why && !why[0]) {
		snprintf(why, n, "at %s's end: ", health_name(self));
		error_append(why, n, e.what);
		if (strlen(why) && why[strlen(why) - 1] == '.')
			why[strlen(why) - 1] = '\0';
	}
	return 0;
}

/* Both ends with the bits `bits` (of HC_ATTR_MASK)? */
static int health_align_both(const hc_pair *pr, uint32_t bits, char *why, size_t n)
{
	uint32_t ad = (pr->td->attributes & ~HC_ATTR_MASK) | bits;
	uint32_t ap = (pr->tp->attributes & ~HC_ATTR_MASK) | bits;
	int ok_d = health_align_allowed(pr->d, pr->p, pr->td, ad, why, n);

	return health_align_allowed(pr->p, pr->d, pr->tp, ap, ok_d ? why : NULL, n) && ok_d;
}

/* The attributes end `self` (TDO t) gets. */
static uint32_t health_align_want(const tm_tdo *t, uint32_t bits)
{
	return (t->attributes & ~HC_ATTR_MASK) | bits;
}

/* The sentences of each choice. */
static void health_align_text(health_finding *f, const hc_pair *pr, const char *why,
			      int keep_other)
{
	const char *d = health_name(pr->d), *p = health_name(pr->p);
	char a[256];

	trust_format_attributes(f->align_attributes, a, sizeof(a));
	switch (f->align_ends) {
	case HEALTH_END_PARTNER:
		if (keep_other)
			health_text_put(f->fix_text, "Give %s's end the attributes %s's end has: "
				"trustmgr tdo modify %s %s --attributes 0x%x (to keep %s's instead, run "
				"trustmgr repair %s %s).", p, d, p, d,
				health_align_want(pr->tp, f->align_attributes), p, p, d);
		else
			health_text_put(f->fix_text, "Give %s's end the attributes %s's end has: "
				"trustmgr tdo modify %s %s --attributes 0x%x (the rules do not allow "
				"keeping %s's: %s).", p, d, p, d,
				health_align_want(pr->tp, f->align_attributes), p, why);
		health_text_put(f->fix_command, "trustmgr tdo modify %s %s --attributes 0x%x", p, d,
			health_align_want(pr->tp, f->align_attributes));
		break;
	case HEALTH_END_DOMAIN:
		health_text_put(f->fix_text, "Give %s's end the attributes %s's end has: trustmgr "
			"tdo modify %s %s --attributes 0x%x (the rules do not allow keeping %s's: %s).",
			d, p, d, p, health_align_want(pr->td, f->align_attributes), d, why);
		health_text_put(f->fix_command, "trustmgr tdo modify %s %s --attributes 0x%x", d, p,
			health_align_want(pr->td, f->align_attributes));
		break;
	case HEALTH_END_DOMAIN | HEALTH_END_PARTNER:
		health_text_put(f->fix_text, "The rules allow neither end's attributes at both ends "
			"(%s), so both ends become an external trust with the attributes %s: trustmgr "
			"repair %s %s (it changes %s's end, then %s's).", why, a, d, p, d, p);
		health_text_put(f->fix_command, "trustmgr repair %s %s", d, p);
		break;
	default:
		health_text_put(f->fix_text, "The rules allow neither end's attributes at both ends, "
			"nor the two without the forest bits (%s). Decide what the trust is to be: a "
			"forest trust needs both domains to be forest roots at functional level 2003 or "
			"higher; otherwise it is an external trust. Then give both ends the same "
			"attributes (trustmgr tdo modify %s %s --attributes X and trustmgr tdo modify %s "
			"%s --attributes X), or remove the trust (trustmgr remove %s %s) and create it "
			"again.", why, d, p, p, d, d, p);
		f->fix_command[0] = '\0';
		break;
	}
}

int health_align_valid(const hc_pair *pr)
{
	return health_align_both(pr, pr->td->attributes & HC_ATTR_MASK, NULL, 0);
}

void health_align_choose(health_finding *f, const hc_pair *pr, uint32_t diff)
{
	const char *d = health_name(pr->d), *p = health_name(pr->p);
	uint32_t bd = pr->td->attributes & HC_ATTR_MASK, bp = pr->tp->attributes & HC_ATTR_MASK;
	uint32_t base = bd & ~(TRUST_ATTR_FOREST_TRANSITIVE | TRUST_ATTR_TREAT_AS_EXTERNAL);
	char why[HEALTH_TEXT_MAX / 2] = "", other[HEALTH_TEXT_MAX / 2] = "";
	char a1[256], a2[256], m[256];
	int keep_other = health_align_both(pr, bp, other, sizeof(other));

	if (health_align_both(pr, bd, why, sizeof(why))) {
		f->align_ends = HEALTH_END_PARTNER;
		f->align_attributes = bd;
		error_copy(why, sizeof(why), other);
	} else if (keep_other) {
		f->align_ends = HEALTH_END_DOMAIN;
		f->align_attributes = bp;
		keep_other = 0;
	} else if (health_align_both(pr, base, NULL, 0)) {
		f->align_ends = HEALTH_END_DOMAIN | HEALTH_END_PARTNER;
		f->align_attributes = base;
	} else {
		f->align_ends = 0;
		f->fix = FIX_MANUAL;
	}
	if (diff)
		health_text_put(f->cause, "The two ends disagree about the trust's attributes (%s): "
			"transitivity, forest name routing and selective authentication then depend "
			"on which end is asked.", trust_format_attributes(diff, m, sizeof(m)));
	else
		health_text_put(f->cause, "Both ends hold attributes the rules refuse (%s), written "
			"without trustmgr's checks; what the trust routes and whom it lets in is then "
			"not what either domain can have.", why[0] ? why : "see the evidence");
	health_text_put(f->evidence, "%s: attributes %s (0x%x); %s: attributes %s (0x%x)", d,
		trust_format_attributes(pr->td->attributes, a1, sizeof(a1)), pr->td->attributes, p,
		trust_format_attributes(pr->tp->attributes, a2, sizeof(a2)), pr->tp->attributes);
	health_align_text(f, pr, why, keep_other);
}
