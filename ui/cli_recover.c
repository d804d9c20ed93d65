/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_recover.c - forest recovery (recover, recover-partners) and recreate:
 * the world around the domain, the model's plan, then the preview
 * (--dry-run: the plan, the checklist of trusts or the other
 * administrator's part) or the run through the shared executor. */
#include <stdio.h>
#include <string.h>

#include "ui/cli_int.h"

static const char *state_text(wf_partner_state st)
{
	switch (st) {
	case WF_PARTNER_MANAGED:
		return "partner managed here";
	case WF_PARTNER_ELSEWHERE:
		return "partner not managed here: its administrator does its side";
	case WF_PARTNER_ONE_SIDED:
		return "partner holds no end of it: recreate the trust";
	case WF_PARTNER_UNREACHABLE:
		return "partner managed here, but its servers did not answer";
	}
	return "";
}

/* --dry-run, text: every trust of the domain and where its partner stands. */
static void print_checklist(const wf_checklist *cl, const char *home)
{
	size_t i;

	printf("\nTrusts of %s (%zu):\n", home, cl->n);
	for (i = 0; i < cl->n; i++) {
		const wf_check_item *it = &cl->items[i];

		printf("  %-14s %-9s %-10s %s%s\n", it->label, trust_direction_name(it->direction),
		       trust_type_name(it->type), state_text(it->state),
		       it->nsteps ? "" : " (no steps)");
	}
}

/* --dry-run, text: what the plan will say when it has run. */
static void print_afterwards(const tm_plan *p)
{
	if (p->success[0])
		printf("When it has run: %s\n", p->success);
}

/* --dry-run, text: the other administrator's part, in order. */
static void print_handoff(const wf_handoff *h)
{
	size_t i;

	if (!h->n)
		return;
	printf("\nThen, in this order (trustmgr cannot do these from here):\n");
	for (i = 0; i < h->n; i++)
		printf("  %zu. %s's administrator: %s\n     %s\n", i + 1, h->steps[i].who,
		       h->steps[i].command, h->steps[i].why);
}

/* What a text preview prints after the plan. */
typedef void (*preview_more)(const tm_plan *p, const void *arg);

/* The model's answer (rc, p): report a refusal, or preview p (--dry-run;
 * `more` adds to the text form) or run it. Returns the exit status. */
static int preview_or_run(cli_ctx *c, int rc, tm_plan *p, preview_more more, const void *arg)
{
	if (rc < 0 || !p) {
		if (c->e.cls == TM_OK)
			c->e.cls = TM_EBACKEND;
		return cli_report_fail(c, NULL);
	}
	if (!c->opt[OPT_DRY_RUN])
		return cli_execute(c, p, 0, 0);
	if ((rc = cli_preview(c, p)) != TM_OK)
		return rc;
	if (!c->opt[OPT_JSON])
		more(p, arg);
	return TM_OK;
}

static void more_checklist(const tm_plan *p, const void *arg)
{
	print_checklist(arg, p->domain);
	print_afterwards(p);
}

static void more_handoff(const tm_plan *p, const void *arg)
{
	(void)p;
	print_handoff(arg);
}

/* recover and recover-partners: plan with the model, then preview or run. */
static int recover_flow(cli_ctx *c, int partners)
{
	const char *only = partners && c->nargs > 1 ? c->args[1] : NULL;
	world_all wa;
	wf_checklist cl;
	tm_plan *p = NULL;
	int rc;

	error_clear(&c->e);
	if (world_load_all(c->be, c->args[0], &wa, &c->e) < 0) {
		world_all_free(&wa);
		return cli_report_fail(c, NULL);
	}
	rc = partners ? workflow_recover_partners(&wa.m, only, &p, &cl, &c->e)
		      : workflow_recover(&wa.m, &p, &cl, &c->e);
	rc = preview_or_run(c, rc, p, more_checklist, &cl);
	plan_free(&p);
	world_all_free(&wa);
	return rc;
}

/* cli_cmd_recover: recover DOMAIN - every trust reset on DOMAIN's side. */
int cli_cmd_recover(cli_ctx *c)
{
	return recover_flow(c, 0);
}

/* cli_cmd_recover_partners: recover-partners DOMAIN [PARTNER]. */
int cli_cmd_recover_partners(cli_ctx *c)
{
	return recover_flow(c, 1);
}

/* cli_cmd_recreate: recreate DOMAIN PARTNER (KB Q102650). */
int cli_cmd_recreate(cli_ctx *c)
{
	world wl;
	wf_handoff h;
	tm_plan *p = NULL;
	int rc;

	error_clear(&c->e);
	if (world_load(c->be, c->args[0], c->args[1], 1, &wl, &c->e) < 0) {
		world_free(&wl);
		return cli_report_fail(c, NULL);
	}
	rc = workflow_recreate(&wl.w, &p, &h, &c->e);
	rc = preview_or_run(c, rc, p, more_handoff, &h);
	plan_free(&p);
	world_free(&wl);
	return rc;
}
