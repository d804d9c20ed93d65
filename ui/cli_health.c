/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_health.c - `trustmgr health [DOMAIN]` and `trustmgr repair DOMAIN
 * PARTNER`: the backend gathers (backend/diagnose.h), the model classifies
 * and plans the fix (model/health.h), the executor runs it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/exec/diagnose.h"
#include "backend/os/testhooks.h"
#include "model/health.h"
#include "ui/cli_int.h"
#include "ui/cli_signal.h"

#define WRAP_COLS 79
#define DETAIL_INDENT 12

/* cli_plan_rotate: workflow_rotate behind the cli_planner signature. */
int cli_plan_rotate(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	(void)o;
	return workflow_rotate(w, out, e);
}

/* ---- the rotation policy ---------------------------------------------------- */

/* cli_rotation_days: --rotation-days N, else trustmgr.conf's rotation_days, else 30. */
int cli_rotation_days(cli_ctx *c, int *days)
{
	const char *s = c->opt[OPT_ROTATION_DAYS];
	char *end;
	long v;

	if (!s)
		return diagnose_rotation_days(&c->choice, days, &c->e) < 0 ? (int)c->e.cls : 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 3650)
		return cli_usage_error(c, "--rotation-days takes a number of days from 0 to 3650, "
				       "not '%s'", s);
	*days = (int)v;
	return 0;
}

/* ---- text --------------------------------------------------------------------- */

/* The partner as the table shows it: its store name when known. */
static const char *partner_label(const health_finding *f)
{
	return f->partner_domain[0] ? f->partner_domain : f->partner[0] ? f->partner : "-";
}

static const char *direction_word(uint32_t dir)
{
	return dir ? trust_direction_name(dir) : "-";
}

/* "CORP trusts PARTNER", "both ways", "the domain". */
static const char *direction_phrase(const health_finding *f, char *buf, size_t n)
{
	const char *p = partner_label(f);

	if (f->direction == TRUST_DIRECTION_OUTBOUND)
		snprintf(buf, n, "%s trusts %s", f->domain, p);
	else if (f->direction == TRUST_DIRECTION_INBOUND)
		snprintf(buf, n, "%s trusts %s", p, f->domain);
	else if (f->direction == TRUST_DIRECTION_BIDIRECTIONAL)
		snprintf(buf, n, "the trust as a whole");
	else
		snprintf(buf, n, "the domain itself");
	return buf;
}

/* "  Label:    text" wrapped at WRAP_COLS, continuation lines indented. */
static void print_wrapped_field(const char *label, const char *text)
{
	const char *p = text;
	size_t col;

	printf("  %-*s", DETAIL_INDENT - 2, label);
	col = DETAIL_INDENT;
	while (*p) {
		size_t len = strcspn(p, " ");

		if (col > DETAIL_INDENT && col + 1 + len > WRAP_COLS) {
			printf("\n%*s", DETAIL_INDENT, "");
			col = DETAIL_INDENT;
		} else if (col > DETAIL_INDENT) {
			putchar(' ');
			col++;
		}
		printf("%.*s", (int)len, p);
		col += len;
		p += len;
		while (*p == ' ')
			p++;
	}
	putchar('\n');
}

static void print_details(const health_finding *f)
{
	char way[2 * NAME_DNS_MAX + 32];

	printf("\n%s - %s: %s (%s)\n", f->domain, partner_label(f), health_kind_token(f->kind),
	       direction_phrase(f, way, sizeof(way)));
	print_wrapped_field("Cause:", f->cause);
	print_wrapped_field("Evidence:", f->evidence);
	print_wrapped_field("Fix:", f->fix_text);
	if (f->fix_command[0])
		print_wrapped_field("Run:", f->fix_command);
}

static void table_widths(const health_finding *v, size_t n, int w[3])
{
	size_t i;

	w[0] = (int)strlen("DOMAIN");
	w[1] = (int)strlen("PARTNER");
	w[2] = (int)strlen("FINDING");
	for (i = 0; i < n; i++) {
		int a = (int)strlen(v[i].domain), b = (int)strlen(partner_label(&v[i]));
		int k = (int)strlen(health_kind_token(v[i].kind));

		w[0] = a > w[0] ? a : w[0];
		w[1] = b > w[1] ? b : w[1];
		w[2] = k > w[2] ? k : w[2];
	}
}

static void print_table(const health_finding *v, size_t n)
{
	int w[3];
	size_t i;

	table_widths(v, n, w);
	printf("%-*s  %-*s  %-9s  %-*s  %s\n", w[0], "DOMAIN", w[1], "PARTNER", "DIRECTION", w[2],
	       "FINDING", "FIX");
	for (i = 0; i < n; i++)
		printf("%-*s  %-*s  %-9s  %-*s  %s\n", w[0], v[i].domain, w[1], partner_label(&v[i]),
		       direction_word(v[i].direction), w[2], health_kind_token(v[i].kind),
		       v[i].fix == FIX_NONE ? "-" : health_fix_token(v[i].fix));
}

static size_t count_problems(const health_finding *v, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += v[i].kind != HK_OK;
	return k;
}

static void print_health_text(const health_finding *v, size_t n)
{
	size_t i, bad = count_problems(v, n);

	if (n == 0) {
		printf("No trusts to check: no known domain holds a trusted domain object.\n");
		return;
	}
	print_table(v, n);
	for (i = 0; i < n; i++)
		if (v[i].kind != HK_OK)
			print_details(&v[i]);
	if (bad)
		printf("\n%zu of %zu finding%s need%s attention.\n", bad, n, n == 1 ? "" : "s",
		       bad == 1 ? "s" : "");
	else
		printf("\nEvery trust is healthy.\n");
}

/* ---- JSON ---------------------------------------------------------------------- */

static const char *or_null(const char *s)
{
	return s && s[0] ? s : NULL;
}

static void finding_json(cli_json *j, const char *key, const health_finding *f)
{
	cli_json_open(j, key, '{');
	cli_json_str(j, "domain", f->domain);
	cli_json_str(j, "partner", or_null(f->partner));
	cli_json_str(j, "partner_domain", or_null(f->partner_domain));
	cli_json_str(j, "direction", f->direction ? trust_direction_name(f->direction) : NULL);
	cli_json_str(j, "kind", health_kind_token(f->kind));
	cli_json_str(j, "fix", health_fix_token(f->fix));
	cli_json_str(j, "cause", f->cause);
	cli_json_str(j, "evidence", f->evidence);
	cli_json_str(j, "fix_text", f->fix_text);
	cli_json_str(j, "fix_command", or_null(f->fix_command));
	cli_json_close(j);
}

static void findings_json(cli_json *j, const char *key, const health_finding *v, size_t n,
			  int problems_only)
{
	size_t i;

	cli_json_open(j, key, '[');
	for (i = 0; i < n; i++)
		if (!problems_only || v[i].kind != HK_OK)
			finding_json(j, NULL, &v[i]);
	cli_json_close(j);
}

static void print_health_json(const health_finding *v, size_t n, int days)
{
	cli_json j;

	cli_json_init(&j, stdout);
	cli_json_open(&j, NULL, '{');
	findings_json(&j, "findings", v, n, 0);
	cli_json_bool(&j, "ok", health_all_ok(v, n));
	cli_json_int(&j, "rotation_days", days);
	cli_json_close(&j);
}

/* ---- health --------------------------------------------------------------------- */

/* A domain could not be read or a direction not checked: say so (after the
 * findings) and exit 4. */
static int report_backend(cli_ctx *c, const diag_snapshot *s)
{
	tm_error e = s->failure;

	error_prefix(&e, "%s", "Part of the diagnosis could not be made: ");
	if (!e.next[0])
		error_hint(&e, "Make the domains named above reachable (servers running, store files "
			"readable), then run trustmgr health again.");
	return cli_report(c, &e);
}

/* cli_diagnose: gather and classify. */
int cli_diagnose(cli_ctx *c, const char *only, const char *partner, int days,
		    diag_snapshot *s, health_finding **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	if (diagnose_gather(c->be, only, partner, testhooks_now(), days, s, &c->e) < 0 ||
	    health_classify(&s->in, v, n, &c->e) < 0)
		return c->e.cls != TM_OK ? (int)c->e.cls : TM_EBACKEND;
	return 0;
}

/* The exit status of findings: 1 when a trust has a problem, else 4 when a
 * check could not be made (each such finding says why), else 0. */
static int health_exit(const health_finding *v, size_t n)
{
	size_t i;
	int unchecked = 0;

	for (i = 0; i < n; i++) {
		if (v[i].kind == HK_NOT_CHECKED)
			unchecked = 1;
		else if (v[i].kind != HK_OK)
			return TM_EFAIL;
	}
	return unchecked ? TM_EBACKEND : TM_OK;
}

/* cli_cmd_health: every trust (or DOMAIN's), table then details, or JSON. */
int cli_cmd_health(cli_ctx *c)
{
	diag_snapshot s;
	health_finding *v = NULL;
	size_t n = 0;
	int days = HEALTH_ROTATION_DAYS_DEFAULT, rc;

	memset(&s, 0, sizeof(s));
	rc = cli_rotation_days(c, &days);
	if (!rc)
		rc = cli_diagnose(c, c->nargs ? c->args[0] : NULL, NULL, days, &s, &v, &n);
	if (!rc) {
		if (c->opt[OPT_JSON])
			print_health_json(v, n, days);
		else
			print_health_text(v, n);
		rc = s.backend_failed ? report_backend(c, &s) : health_exit(v, n);
	} else if (c->e.cls != TM_OK) {
		cli_report(c, &c->e);
	}
	free(v);
	diagnose_free(&s);
	return rc;
}

/* ---- repair ----------------------------------------------------------------------- */

/* What a repair did, for the summary and the JSON object. */
typedef struct repair_run {
	const health_finding *f;       /* the finding fixed (NULL: none) */
	tm_plan *p;
	int status;                    /* of the fix plan */
	int verified;                  /* 1 verify passed, 0 failed, -1 not run */
	health_finding *left;          /* what the diagnosis finds afterwards */
	size_t nleft;
} repair_run;

static int no_trust(cli_ctx *c)
{
	error_fail(&c->e, TM_EREFUSED, ST_OBJECT_NAME_NOT_FOUND, "there is no trust between %s and %s "
		"to repair: neither holds a trusted domain object for the other", c->args[0],
		c->args[1]);
	error_hint(&c->e, "'trustmgr list %s' shows its trusts; create one with 'trustmgr create'.",
		c->args[0]);
	return TM_EREFUSED;
}

static void print_finding_text(const cli_ctx *c, const health_finding *f)
{
	if (!c->opt[OPT_JSON])
		print_details(f);
}

/* cli_plan_fix: f's fix planned against a fresh snapshot. */
int cli_plan_fix(cli_ctx *c, const health_finding *f, tm_plan **p)
{
	world wl;
	int rc;

	memset(&wl, 0, sizeof(wl));
	rc = world_load(c->be, f->domain, f->partner_domain[0] ? f->partner_domain : f->partner, 1,
			&wl, &c->e);
	if (rc == 0)
		rc = health_fix_plan(&wl.w, f, p, &c->e);
	world_free(&wl);
	if (rc == 0)
		return 0;
	return c->e.cls != TM_OK ? (int)c->e.cls : TM_EBACKEND;
}

/* cli_run_plan: run p; progress on a terminal, passwords from --password-file or asked. */
int cli_run_plan(cli_ctx *c, tm_plan *p)
{
	exec_hooks h;
	int rc;

	cli_hooks(c, &h);
	c->nresults = 0;
	error_clear(&c->e);
	cli_signal_begin();
	rc = exec_run(c->be, p, 0, &h, &c->e);
	cli_signal_end();
	if (rc < 0 || (rc > 0 && c->e.cls == TM_OK))
		c->e.cls = rc > 0 ? (tm_class)rc : TM_EBACKEND;
	return rc < 0 ? (int)c->e.cls : rc;
}

/* Verify the trust through a verify plan (which records its health); an
 * orphan end removed leaves no trust to verify, and a leftover trust
 * account deleted changes none (there may be no trust at all). */
static void verify_after(cli_ctx *c, repair_run *r)
{
	world wl;
	tm_plan *p = NULL;
	size_t i;
	int rc;

	c->nresults = 0;
	r->verified = r->f->fix == FIX_REMOVE_ORPHAN || r->f->fix == FIX_DELETE_ACCOUNT;
	if (r->verified)
		return;
	memset(&wl, 0, sizeof(wl));
	rc = world_load(c->be, r->f->domain, r->f->partner_domain, 0, &wl, &c->e);
	if (rc == 0)
		rc = workflow_verify(&wl.w, &p, &c->e);
	world_free(&wl);
	if (rc == 0) {
		rc = cli_run_plan(c, p);
		if (!c->opt[OPT_JSON])
			cli_print_verify(c, p);
	}
	plan_free(&p);
	r->verified = rc == TM_OK;
	for (i = 0; i < c->nresults; i++)
		r->verified = r->verified && c->results[i].outcome == VERIFY_OK;
}

/* What the diagnosis finds now (problems only are shown). */
static void diagnose_after(cli_ctx *c, repair_run *r, int days)
{
	diag_snapshot s;
	tm_error keep = c->e;

	memset(&s, 0, sizeof(s));
	if (diagnose_gather(c->be, r->f->domain, partner_label(r->f), testhooks_now(), days, &s, &c->e) < 0 ||
	    health_classify(&s.in, &r->left, &r->nleft, &c->e) < 0) {
		free(r->left);
		r->left = NULL;
		r->nleft = 0;
	}
	diagnose_free(&s);
	c->e = keep;
}

static void print_left_text(const repair_run *r)
{
	size_t i, bad = count_problems(r->left, r->nleft);

	if (!bad && r->nleft == 0) {
		printf("Health: no trust is left between %s and %s.\n", r->f->domain,
		       partner_label(r->f));
		return;
	}
	if (!bad) {
		printf("Health: every direction of the trust between %s and %s is ok.\n",
		       r->f->domain, partner_label(r->f));
		return;
	}
	printf("Still to do for the trust between %s and %s:\n", r->f->domain, partner_label(r->f));
	for (i = 0; i < r->nleft; i++)
		if (r->left[i].kind != HK_OK)
			printf("  %s (%s): %s\n", health_kind_token(r->left[i].kind),
			       health_fix_token(r->left[i].fix),
			       r->left[i].fix_command[0] ? r->left[i].fix_command : r->left[i].fix_text);
	printf("Run 'trustmgr repair %s %s' again for the next one.\n", r->f->domain,
	       partner_label(r->f));
}

static void repair_json(const cli_ctx *c, const repair_run *r, int status)
{
	cli_json j;
	size_t i;

	cli_json_init(&j, stdout);
	cli_json_open(&j, NULL, '{');
	cli_json_str(&j, "domain", c->args[0]);
	cli_json_str(&j, "partner", c->args[1]);
	if (r->f)
		finding_json(&j, "finding", r->f);
	else
		cli_json_null(&j, "finding");
	cli_json_str(&j, "op", r->p ? r->p->op : NULL);
	cli_json_bool(&j, "ok", status == TM_OK);
	cli_json_int(&j, "exit_status", cli_exit_status(&c->e, status));
	cli_json_str(&j, "message", status == TM_OK && r->p ? or_null(r->p->success) :
		     or_null(c->e.what));
	cli_json_open(&j, "directions", '[');
	for (i = 0; i < c->nresults; i++) {
		cli_json_open(&j, NULL, '{');
		cli_json_str(&j, "trusting", c->results[i].trusting);
		cli_json_str(&j, "trusted", c->results[i].trusted);
		cli_json_str(&j, "outcome", verify_outcome_token(c->results[i].outcome));
		cli_json_close(&j);
	}
	cli_json_close(&j);
	findings_json(&j, "remaining", r->left, r->nleft, 1);
	if (status == TM_OK)
		cli_json_null(&j, "error");
	else
		cli_json_error(&j, cli_last_error(&c->e), cli_exit_status(&c->e, status));
	cli_json_close(&j);
}

/* Everything after the finding is known: plan, preview or run, verify. */
static int repair_finding(cli_ctx *c, repair_run *r, int days)
{
	int rc;

	print_finding_text(c, r->f);
	if ((rc = cli_plan_fix(c, r->f, &r->p)))
		return rc;
	if (c->opt[OPT_DRY_RUN]) {
		if (!c->opt[OPT_JSON])
			printf("\n");
		return cli_preview(c, r->p);
	}
	if (!c->opt[OPT_JSON])
		printf("\nRepair: %s\n", r->p->summary);
	r->status = cli_run_plan(c, r->p);
	if (r->status != TM_OK)
		return r->status;
	if (!c->opt[OPT_JSON])
		printf("%s\n", c->e.what[0] ? c->e.what : r->p->success);
	verify_after(c, r);
	diagnose_after(c, r, days);
	if (!c->opt[OPT_JSON])
		print_left_text(r);
	error_clear(&c->e);
	if (r->verified)
		return TM_OK;
	error_fail(&c->e, TM_EFAIL, ST_TRUSTED_DOMAIN_FAILURE, "the fix ran, but the trust between %s "
		"and %s does not verify in every direction yet", r->f->domain, partner_label(r->f));
	error_hint(&c->e, "See what is left above: run 'trustmgr repair %s %s' again, or 'trustmgr "
		"health %s' for the details.", r->f->domain, partner_label(r->f), r->f->domain);
	return TM_EFAIL;
}

/* The first finding that needs a fix; 0, or an exit status when there is
 * nothing to run (healthy, no trust, or a fix outside trustmgr). */
static int pick_finding(cli_ctx *c, repair_run *r, const health_finding *v, size_t n)
{
	if (n == 0)
		return no_trust(c);
	r->f = health_first_problem(v, n);
	if (!r->f) {
		if (!c->opt[OPT_JSON])
			printf("Nothing to repair: every direction of the trust between %s and %s "
			       "verifies.\n", v[0].domain, partner_label(&v[0]));
		return -1;
	}
	if (r->f->fix != FIX_NONE && r->f->fix != FIX_MANUAL)
		return 0;
	print_finding_text(c, r->f);
	error_fail(&c->e, TM_EFAIL, ST_TRUSTED_DOMAIN_FAILURE, "the fix for this finding (%s) is "
		"outside trustmgr, so nothing was changed", health_kind_token(r->f->kind));
	error_hint(&c->e, "%s", r->f->fix_text);
	return TM_EFAIL;
}

/* cli_cmd_repair: diagnose the trust, run the fix of its first finding
 * (one plan), verify it, say what is left. */
int cli_cmd_repair(cli_ctx *c)
{
	diag_snapshot s;
	health_finding *v = NULL;
	size_t n = 0;
	repair_run r;
	int days = HEALTH_ROTATION_DAYS_DEFAULT, rc;

	memset(&s, 0, sizeof(s));
	memset(&r, 0, sizeof(r));
	rc = cli_rotation_days(c, &days);
	if (!rc)
		rc = cli_diagnose(c, c->args[0], c->args[1], days, &s, &v, &n);
	if (!rc)
		rc = pick_finding(c, &r, v, n);
	if (rc == TM_EFAIL && r.f && r.f->kind == HK_UNREACHABLE && s.backend_failed) {
		c->e = s.failure;      /* a server or the store failed: say that */
		rc = TM_EBACKEND;
	}
	if (!rc)
		rc = repair_finding(c, &r, days);
	if (rc < 0)
		rc = TM_OK;            /* nothing to repair */
	if (c->opt[OPT_JSON] && !c->opt[OPT_DRY_RUN])
		repair_json(c, &r, rc);
	if (rc != TM_OK && c->e.cls != TM_OK)
		cli_report(c, &c->e);
	plan_free(&r.p);
	free(r.left);
	free(v);
	diagnose_free(&s);
	return rc;
}
