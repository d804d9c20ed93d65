/* workflow_rotate.c - rotate: the periodic secret change of a working trust.
 *
 * Domain controllers change each trust secret every 30 days and keep the
 * previous one, so tickets issued under the old key stay valid while the
 * new one spreads (docs/RULES.md, "Secret rotation"). The steps are
 * reset's; only the intent, and so the wording people read, differ. */
#include "model/workflow_int.h"

#include <stdio.h>

/* workflow_rotate: reset's plan, said as a rotation. */
int workflow_rotate(const wf_world *w, tm_plan **out, tm_error *e)
{
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
	return 0;
}
