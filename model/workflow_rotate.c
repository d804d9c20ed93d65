/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* workflow_rotate.c - rotate: the periodic secret change of a working trust.
 *
 * Domain controllers change each trust secret every 30 days and keep the
 * previous one, so tickets issued under the old key stay valid while the
 * new one spreads (docs/RULES.md, "Secret rotation"). The steps are
 * reset's; only the intent, and so the wording people read, differ. */
#include "model/workflow_int.h"

#include <stdio.h>

/* The domain of w whose previous secret cannot be kept: a DC that derives
 * keys from its TDOs and does not hand out their secrets gets the new secret
 * as current and previous (the present one is unknown). NULL when none. */
static const tm_domain *workflow_rotate_unkept(const wf_world *w)
{
	const wf_side *s[2] = { &w->local, &w->partner };
	int i;

	for (i = 0; i < 2; i++)
		if (s[i]->dom && s[i]->caps.keys_from_tdo && !caps_has(&s[i]->caps, CAP_SECRET_READ))
			return s[i]->dom;
	return NULL;
}

/* workflow_rotate: reset's plan, said as a rotation. */
int workflow_rotate(const wf_world *w, tm_plan **out, tm_error *e)
{
	const tm_domain *u;
	tm_plan *p;

	if (workflow_reset(w, out, e) < 0)
		return -1;
	p = *out;
	snprintf(p->op, sizeof(p->op), "rotate");
	snprintf(p->summary, sizeof(p->summary), "rotate the trust secret between %s and %s: a new "
		 "random secret on both sides, the current one kept as the previous one",
		 w->local.dom->name, w->partner.dom->name);
	snprintf(p->success, sizeof(p->success), "The trust secret between %s and %s was rotated on "
		 "both sides (the previous secret is kept) and the trust verified.",
		 w->local.dom->name, w->partner.dom->name);
	if ((u = workflow_rotate_unkept(w)) != NULL) {
		snprintf(p->summary, sizeof(p->summary), "rotate the trust secret between %s and %s: "
			 "a new random secret on both sides; %s's DC hands out no trust secrets, so "
			 "there the new one is also stored as the previous one",
			 w->local.dom->name, w->partner.dom->name, u->name);
		snprintf(p->success, sizeof(p->success), "The trust secret between %s and %s was "
			 "rotated on both sides and the trust verified. %s's DC hands out no trust "
			 "secrets, so the one it held could not be kept as the previous one: tickets "
			 "issued under it stop working when they are next renewed.",
			 w->local.dom->name, w->partner.dom->name, u->name);
	}
	return 0;
}
