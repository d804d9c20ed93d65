/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_demo.c - `trustmgr demo`: a realistic set of domains and trusts, made
 * through the same ops / world / workflow / executor path as the commands.
 * Every secret is generated, so nothing is asked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/audit/audit_plan.h"
#include "model/secret.h"
#include "ui/cli_int.h"
#include "model/domain.h"

typedef struct demo_domain {
	const char *name, *dns, *netbios, *sid, *forest, *realm;
	tm_kind kind;
	tm_level level;
	int service_pack, lm_compat;
} demo_domain;

static const demo_domain demo_domains[] = {
	{ "CORP", "corp.example", "CORP", "S-1-5-21-1004336348-1177238915-682003330", "",
	  "", DOMAIN_AD, LEVEL_2016, -1, -1 },
	{ "SALES", "sales.corp.example", "SALES", "S-1-5-21-1993962763-492894223-1202660629",
	  "corp.example", "", DOMAIN_AD, LEVEL_2016, -1, -1 },
	{ "PARTNER", "partner.example", "PARTNER",
	  "S-1-5-21-2127521184-1604012920-1887927527", "", "", DOMAIN_AD, LEVEL_2012R2, -1, -1 },
	{ "LEGACY", "", "LEGACY", "S-1-5-21-3623811015-3361044348-30300820", "", "LEGACY",
	  DOMAIN_NT4, LEVEL_2000, 6, 4 },
	{ "LAB", "lab.example", "", "", "", "LAB.EXAMPLE", DOMAIN_MIT, LEVEL_2000, -1, -1 },
};
#define NDEMO_DOMAINS (sizeof(demo_domains) / sizeof(demo_domains[0]))

/* One plan of the demo. */
typedef struct demo_step {
	const char *what;          /* what it sets up, for messages */
	cli_planner plan;
	const char *local, *partner;
	uint32_t direction, type;
	int forest_transitive;
	int may_fail;              /* a verify expected to find the trust broken */
} demo_step;

static const demo_step demo_steps[] = {
	{ "two-way trust CORP <-> SALES within the forest", workflow_create, "CORP", "SALES",
	  TRUST_DIRECTION_BIDIRECTIONAL, 0, -1, 0 },
	{ "forest trust CORP <-> PARTNER", workflow_create, "CORP", "PARTNER",
	  TRUST_DIRECTION_BIDIRECTIONAL, TRUST_TYPE_UPLEVEL, 1, 0 },
	{ "downlevel trust: CORP trusts LEGACY", workflow_create, "CORP", "LEGACY",
	  TRUST_DIRECTION_OUTBOUND, TRUST_TYPE_DOWNLEVEL, -1, 0 },
	{ "realm trust: CORP trusts LAB.EXAMPLE", workflow_create, "CORP", "LAB",
	  TRUST_DIRECTION_OUTBOUND, TRUST_TYPE_MIT, -1, 0 },
	{ "external trust: SALES trusts PARTNER", workflow_create, "SALES", "PARTNER",
	  TRUST_DIRECTION_OUTBOUND, TRUST_TYPE_UPLEVEL, -1, 0 },
	{ "PARTNER's end of the SALES trust removed", workflow_remove, "PARTNER", "SALES", 0, 0, -1,
	  0 },
	{ "LEGACY permits PARTNER to trust it", cli_plan_permit, "LEGACY", "PARTNER", 0, 0, -1,
	  0 },
	{ "verify CORP - SALES", cli_plan_verify, "CORP", "SALES", 0, 0, -1, 0 },
	{ "verify CORP - PARTNER", cli_plan_verify, "CORP", "PARTNER", 0, 0, -1, 0 },
	{ "verify CORP - LEGACY", cli_plan_verify, "CORP", "LEGACY", 0, 0, -1, 0 },
	{ "verify CORP - LAB", cli_plan_verify, "CORP", "LAB", 0, 0, -1, 0 },
	{ "verify SALES - PARTNER (broken at one end)", cli_plan_verify, "SALES", "PARTNER",
	  0, 0, -1, 1 },
};
#define NDEMO_STEPS (sizeof(demo_steps) / sizeof(demo_steps[0]))

static int demo_add_domain(cli_ctx *c, const demo_domain *dd)
{
	tm_domain d;

	domain_init(&d);
	snprintf(d.name, sizeof(d.name), "%s", dd->name);
	d.kind = dd->kind;
	snprintf(d.dns, sizeof(d.dns), "%s", dd->dns);
	snprintf(d.netbios, sizeof(d.netbios), "%s", dd->netbios);
	snprintf(d.forest, sizeof(d.forest), "%s", dd->forest);
	snprintf(d.realm, sizeof(d.realm), "%s", dd->realm);
	if (!d.realm[0])
		name_upper(d.realm, d.dns, sizeof(d.realm));
	d.level = dd->level;
	d.nt_service_pack = dd->service_pack;
	d.lm_compat_level = dd->lm_compat;
	if (dd->sid[0] && sid_parse(dd->sid, &d.sid, &c->e) < 0)
		return -1;
	d.has_sid = dd->sid[0] != '\0';
	if (domain_validate(&d, &c->e) < 0)
		return -1;
	return audit_plan_domain_add(c->be, &d, &c->e);
}

static void demo_options(const demo_step *s, wf_options *o)
{
	workflow_options_init(o);
	if (s->direction)
		o->direction = s->direction;
	if (s->type)
		o->type = s->type;
	if (s->forest_transitive >= 0)
		o->forest_transitive = s->forest_transitive;
	if (s->plan == workflow_create)
		o->sides_both = 1;
}

/* The permit plan asks for an initial password: give it a generated one
 * (plan_free wipes it). The ask_secret hook generates too, as a fallback. */
static int demo_fill_typed(cli_ctx *c, tm_plan *p)
{
	plan_slot_def *s = &p->slots[WF_SLOT_TYPED];

	if (s->source != SLOT_SUPPLIED || s->value)
		return 0;
	return secret_generate(&s->value, &c->e);
}

/* Plan and run one step quietly. Returns the executor's class. */
static int demo_run(cli_ctx *c, const demo_step *s)
{
	world wl;
	wf_options o;
	tm_plan *p = NULL;
	exec_hooks h;
	int rc;

	memset(&wl, 0, sizeof(wl));
	demo_options(s, &o);
	if (world_load(c->be, s->local, s->partner, 0, &wl, &c->e) < 0) {
		world_free(&wl);
		return c->e.cls ? (int)c->e.cls : TM_EBACKEND;
	}
	rc = s->plan(&wl.w, &o, &p, &c->e);
	world_free(&wl);
	if (rc == 0 && p && demo_fill_typed(c, p) == 0) {
		cli_hooks(c, &h);
		c->nresults = 0;
		rc = exec_run(c->be, p, 0, &h, &c->e);
	} else {
		rc = c->e.cls ? (int)c->e.cls : TM_EBACKEND;
	}
	plan_free(&p);
	return rc < 0 ? TM_EBACKEND : rc;
}

static int demo_refuse_nonempty(cli_ctx *c)
{
	tm_domain *v = NULL;
	size_t n = 0;

	if (c->be->ops->domain_list(c->be, &v, &n, &c->e) < 0)
		return cli_report(c, &c->e);
	free(v);
	if (n == 0)
		return 0;
	error_fail(&c->e, TM_EREFUSED, ST_DOMAIN_EXISTS, "The store %s already holds %zu "
		"domain%s; the demo only fills an empty store.", c->store_dir, n,
		n == 1 ? "" : "s");
	error_hint(&c->e, "Use another store (--store DIR) for the demo, or keep working with "
		"the domains you have ('trustmgr domain list').");
	return cli_report(c, &c->e);
}

/* A trust of the demo as the summary shows it, with its recorded state. */
typedef struct demo_line {
	const char *local, *partner, *text;
} demo_line;

static const demo_line demo_lines[] = {
	{ "CORP", "SALES", "CORP <-> SALES     two-way, within the forest" },
	{ "CORP", "PARTNER", "CORP <-> PARTNER   two-way forest trust" },
	{ "CORP", "LEGACY", "CORP  -> LEGACY    CORP trusts LEGACY (downlevel)" },
	{ "CORP", "LAB", "CORP  -> LAB       CORP trusts the realm LAB.EXAMPLE" },
	{ "SALES", "PARTNER", "SALES -> PARTNER   PARTNER's end was removed" },
	{ "LEGACY", "PARTNER", "LEGACY permits PARTNER, never established" },
};
#define NDEMO_LINES (sizeof(demo_lines) / sizeof(demo_lines[0]))

/* The last known state local recorded for its trust with partner. */
static const char *demo_state(cli_ctx *c, const demo_line *l)
{
	world wl;
	const tm_tdo *t;
	tm_health h = HEALTH_UNKNOWN;
	int found = 0;

	if (world_load(c->be, l->local, l->partner, 0, &wl, &c->e) == 0) {
		t = workflow_find_tdo(&wl.w.local, wl.w.partner.dom, l->partner);
		found = t != NULL;
		if (t && wl.w.local.health)
			h = wl.w.local.health[t - wl.w.local.tdos];
	}
	world_free(&wl);
	return found ? trust_health_name(h) : "missing";
}

static void demo_summary(cli_ctx *c)
{
	size_t i;

	printf("Demo store created in %s.\n\n"
	       "Domains:\n"
	       "  CORP     corp.example, forest root (functional level 2016)\n"
	       "  SALES    sales.corp.example, child domain in the corp.example forest\n"
	       "  PARTNER  partner.example, root of a partner forest (level 2012R2)\n"
	       "  LEGACY   NT 4 domain (service pack 6, LMCompatibilityLevel 4)\n"
	       "  LAB      MIT Kerberos realm LAB.EXAMPLE\n\n"
	       "Trusts (last known state):\n", c->store_dir);
	for (i = 0; i < NDEMO_LINES; i++)
		printf("  %-52s %s\n", demo_lines[i].text, demo_state(c, &demo_lines[i]));
	printf("\nTry next:\n"
	       "  trustmgr list CORP\n"
	       "  trustmgr show CORP PARTNER\n"
	       "  trustmgr verify SALES PARTNER\n"
	       "  trustmgr list LEGACY\n");
}

/* cli_cmd_demo: refuse a non-empty store, add the domains, run the plans,
 * print what was made with each trust's recorded state. */
int cli_cmd_demo(cli_ctx *c)
{
	size_t i;
	int rc = demo_refuse_nonempty(c);

	if (rc)
		return rc;
	c->demo = 1;
	for (i = 0; i < NDEMO_DOMAINS; i++)
		if (demo_add_domain(c, &demo_domains[i]) < 0) {
			error_prefix(&c->e, "Adding the demo domain %s: ", demo_domains[i].name);
			return cli_report(c, &c->e);
		}
	for (i = 0; i < NDEMO_STEPS; i++) {
		rc = demo_run(c, &demo_steps[i]);
		if (rc != TM_OK && !demo_steps[i].may_fail) {
			error_prefix(&c->e, "The demo stopped at \"%s\": ", demo_steps[i].what);
			return cli_report(c, &c->e);
		}
	}
	demo_summary(c);
	return TM_OK;
}
