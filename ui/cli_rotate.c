/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_rotate.c - `trustmgr rotate DOMAIN PARTNER` and `trustmgr rotate --due
 * [DOMAIN]`: one diagnosis (health's), the trusts whose secret is older than
 * the rotation policy (model/health.h, health_due_list), and per trust that
 * trustmgr manages on both ends its own rotate plan through the executor,
 * so an interruption leaves one journal naming one trust. The package's
 * systemd timer runs `rotate --due` daily. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/cli_int.h"
#include "ui/cli_signal.h"

typedef enum rot_outcome {
	ROT_ROTATED = 0, ROT_WOULD, ROT_NOT_MANAGED, ROT_REFUSED, ROT_FAILED
} rot_outcome;

/* One due trust and what became of it. */
typedef struct rot_row {
	const health_due *due;
	long long age_days;
	rot_outcome outcome;
	char message[TM_WHAT_MAX + TM_NEXT_MAX + 2];
} rot_row;

/* The whole run, for the table, the summary and the JSON object. */
typedef struct rot_run {
	int days;
	long long now;
	rot_row *rows;
	size_t n;
	size_t other;                  /* trusts with another problem, not rotated */
	int signal;                    /* a stop signal ended the run */
} rot_run;

static const char *rot_token(rot_outcome o)
{
	static const char *const tok[] = {
		[ROT_ROTATED] = "rotated", [ROT_WOULD] = "would-rotate",
		[ROT_NOT_MANAGED] = "not-managed", [ROT_REFUSED] = "refused",
		[ROT_FAILED] = "failed",
	};

	return tok[o];
}

static int rot_bad(rot_outcome o)
{
	return o == ROT_REFUSED || o == ROT_FAILED;
}

/* ---- one trust ------------------------------------------------------------ */

/* The message of c->e: what failed, then the next step. */
static void rot_take_error(const cli_ctx *c, rot_row *r, rot_outcome o)
{
	const char *what = c->e.what[0] ? c->e.what : "the rotation failed";
	size_t len = strlen(what);
	int stop = len && what[len - 1] != '.';

	r->outcome = o;
	r->message[0] = '\0';
	if (c->e.status) {
		error_append(r->message, sizeof(r->message), c->e.status);
		error_append(r->message, sizeof(r->message), ": ");
	}
	error_append(r->message, sizeof(r->message), what);
	if (c->e.next[0]) {
		error_append(r->message, sizeof(r->message), stop ? ". " : " ");
		error_append(r->message, sizeof(r->message), c->e.next);
	}
}

static void rot_not_managed(rot_row *r)
{
	r->outcome = ROT_NOT_MANAGED;
	snprintf(r->message, sizeof(r->message), "%s is not a domain trustmgr manages, so the "
		 "secret cannot be changed on its side: its administrator must rotate the trust "
		 "(or describe %s to trustmgr, with trustmgr domain add or a block in "
		 "trustmgr.conf, and run trustmgr rotate --due again).", r->due->partner,
		 r->due->partner);
}

/* --dry-run: the executor's gate, then the plan (text only). */
static void rot_preview(cli_ctx *c, rot_row *r, tm_plan *p, const tm_domain *v, size_t n)
{
	exec_fit(c->be, p, v, n);
	if (exec_gate(c->be, p, 0, v, n, &c->e) < 0) {
		rot_take_error(c, r, ROT_REFUSED);
		return;
	}
	r->outcome = ROT_WOULD;
	snprintf(r->message, sizeof(r->message), "%s", p->summary);
	if (!c->opt[OPT_JSON]) {
		cli_print_plan(c, p);
		printf("\n");
	}
}

/* Run the plan; a stop signal ends the whole run. */
static void rot_execute(cli_ctx *c, rot_run *run, rot_row *r, tm_plan *p)
{
	int rc = cli_run_plan(c, p);

	run->signal = cli_signal_caught();
	if (rc == TM_OK && !cli_any_result_failed(c)) {
		r->outcome = ROT_ROTATED;
		snprintf(r->message, sizeof(r->message), "%s", c->e.what[0] ? c->e.what : p->success);
		return;
	}
	if (rc == TM_OK)
		error_fail(&c->e, TM_EFAIL, ST_TRUSTED_DOMAIN_FAILURE, "the secret was changed but "
			   "the trust does not verify in every direction");
	rot_take_error(c, r, rc == TM_EREFUSED ? ROT_REFUSED : ROT_FAILED);
}

static void rot_one(cli_ctx *c, rot_run *run, rot_row *r, const tm_domain *v, size_t n)
{
	tm_plan *p = NULL;

	error_clear(&c->e);
	if (!r->due->managed || !r->due->f) {
		rot_not_managed(r);
		return;
	}
	if (cli_plan_fix(c, r->due->f, &p) != 0)
		rot_take_error(c, r, c->e.cls == TM_EREFUSED || c->e.cls == TM_EUSAGE ?
			       ROT_REFUSED : ROT_FAILED);
	else if (c->opt[OPT_DRY_RUN])
		rot_preview(c, r, p, v, n);
	else
		rot_execute(c, run, r, p);
	plan_free(&p);
}

/* Every due trust in turn; a stop signal leaves the rest as they are. */
static int rot_all(cli_ctx *c, rot_run *run)
{
	tm_domain *v = NULL;
	size_t n = 0, i;

	if (c->opt[OPT_DRY_RUN] && c->be->ops->domain_list(c->be, &v, &n, &c->e) < 0)
		return -1;
	for (i = 0; i < run->n && !run->signal; i++)
		rot_one(c, run, &run->rows[i], v, n);
	for (; i < run->n; i++) {
		run->rows[i].outcome = ROT_FAILED;
		snprintf(run->rows[i].message, sizeof(run->rows[i].message), "not run: trustmgr "
			 "was asked to stop before this trust's turn");
	}
	free(v);
	error_clear(&c->e);
	return 0;
}

/* ---- output ------------------------------------------------------------------ */

static void rot_widths(const rot_run *run, int w[2])
{
	size_t i;

	w[0] = (int)strlen("DOMAIN");
	w[1] = (int)strlen("PARTNER");
	for (i = 0; i < run->n; i++) {
		int a = (int)strlen(run->rows[i].due->domain);
		int b = (int)strlen(run->rows[i].due->partner);

		w[0] = a > w[0] ? a : w[0];
		w[1] = b > w[1] ? b : w[1];
	}
}

static void rot_table(const rot_run *run)
{
	int w[2];
	size_t i;
	char age[32];

	if (run->n == 0)
		return;
	rot_widths(run, w);
	printf("%-*s  %-*s  %-8s  %s\n", w[0], "DOMAIN", w[1], "PARTNER", "AGE", "OUTCOME");
	for (i = 0; i < run->n; i++) {
		const rot_row *r = &run->rows[i];

		snprintf(age, sizeof(age), "%lld day%s", r->age_days, r->age_days == 1 ? "" : "s");
		printf("%-*s  %-*s  %-8s  %s\n", w[0], r->due->domain, w[1], r->due->partner, age,
		       rot_token(r->outcome));
	}
	for (i = 0; i < run->n; i++)
		if (run->rows[i].outcome != ROT_ROTATED && run->rows[i].outcome != ROT_WOULD)
			printf("\n%s - %s: %s: %s\n", run->rows[i].due->domain,
			       run->rows[i].due->partner, rot_token(run->rows[i].outcome),
			       run->rows[i].message);
}

static size_t rot_count(const rot_run *run, rot_outcome o)
{
	size_t i, k = 0;

	for (i = 0; i < run->n; i++)
		k += run->rows[i].outcome == o;
	return k;
}

static void rot_summary(const cli_ctx *c, const rot_run *run)
{
	size_t done = rot_count(run, c->opt[OPT_DRY_RUN] ? ROT_WOULD : ROT_ROTATED);
	size_t unmanaged = rot_count(run, ROT_NOT_MANAGED);
	size_t bad = rot_count(run, ROT_REFUSED) + rot_count(run, ROT_FAILED);

	if (run->n == 0)
		printf("No trust secret is older than the rotation policy (%d day%s); nothing was "
		       "changed.\n", run->days, run->days == 1 ? "" : "s");
	else
		printf("\n%zu of %zu due trust%s %s; %zu could not be; %zu not managed here (only "
		       "the partner's administrator can rotate %s; this does not fail the run).\n",
		       done, run->n, run->n == 1 ? "" : "s", c->opt[OPT_DRY_RUN] ? "would be "
		       "rotated (--dry-run: nothing was written)" : "rotated", bad, unmanaged,
		       unmanaged == 1 ? "it" : "them");
	if (run->other)
		printf("%zu trust%s with other problems %s not rotated: run 'trustmgr health' "
		       "for %s.\n", run->other, run->other == 1 ? "" : "s",
		       run->other == 1 ? "was" : "were", run->other == 1 ? "it" : "them");
}

static int rot_ok(const rot_run *run)
{
	size_t i;

	for (i = 0; i < run->n; i++)
		if (rot_bad(run->rows[i].outcome))
			return 0;
	return 1;
}

static void rot_json(const rot_run *run)
{
	cli_json j;
	size_t i;

	cli_json_init(&j, stdout);
	cli_json_open(&j, NULL, '{');
	cli_json_int(&j, "rotation_days", run->days);
	cli_json_open(&j, "due", '[');
	for (i = 0; i < run->n; i++) {
		cli_json_open(&j, NULL, '{');
		cli_json_str(&j, "domain", run->rows[i].due->domain);
		cli_json_str(&j, "partner", run->rows[i].due->partner);
		cli_json_int(&j, "age_days", run->rows[i].age_days);
		cli_json_str(&j, "outcome", rot_token(run->rows[i].outcome));
		cli_json_str(&j, "message", run->rows[i].message);
		cli_json_close(&j);
	}
	cli_json_close(&j);
	cli_json_int(&j, "other_problems", (long long)run->other);
	cli_json_bool(&j, "ok", rot_ok(run));
	cli_json_close(&j);
}

/* ---- the command ---------------------------------------------------------------- */

static int rot_rows(cli_ctx *c, rot_run *run, const health_due *due, size_t n)
{
	size_t i;

	if (n && !(run->rows = calloc(n, sizeof(*run->rows)))) {
		error_fail(&c->e, TM_EBACKEND, NULL, "out of memory while rotating the trusts");
		return -1;
	}
	run->n = n;
	for (i = 0; i < n; i++) {
		run->rows[i].due = &due[i];
		run->rows[i].age_days = due[i].set_at > 0 ? (run->now - due[i].set_at) / 86400 : 0;
	}
	return 0;
}

/* Exit status: 1 a managed trust was not rotated, else 4 the diagnosis was
 * partial (said on stderr), else 0. */
static int rot_exit(cli_ctx *c, const rot_run *run, const diag_snapshot *s)
{
	tm_error e;

	if (!rot_ok(run)) {
		fflush(stdout);
		fprintf(stderr, "trustmgr: %zu due trust%s that trustmgr manages could not be rotated "
			"(refused or failed: the reason is in the output).\nFix the cause named there "
			"and run trustmgr rotate --due again.\n", rot_count(run, ROT_REFUSED) +
			rot_count(run, ROT_FAILED), rot_count(run, ROT_REFUSED) + rot_count(run,
			ROT_FAILED) == 1 ? "" : "s");
		return TM_EFAIL;
	}
	if (!s->backend_failed)
		return TM_OK;
	e = s->failure;
	error_prefix(&e, "%s", "Part of the diagnosis could not be made, so trusts there may be "
		     "due and were not rotated: ");
	if (!e.next[0])
		error_hint(&e, "Make the domains reachable (servers running, store files "
			   "readable), then run trustmgr rotate --due again.");
	return cli_report(c, &e);
}

static int rot_due(cli_ctx *c)
{
	diag_snapshot s;
	health_finding *v = NULL;
	health_due *due = NULL;
	size_t n = 0, ndue = 0;
	rot_run run;
	int rc;

	memset(&s, 0, sizeof(s));
	memset(&run, 0, sizeof(run));
	run.days = HEALTH_ROTATION_DAYS_DEFAULT;
	rc = cli_rotation_days(c, &run.days);
	if (rc == TM_EUSAGE)
		return rc;
	if (!rc)
		rc = cli_diagnose(c, c->nargs ? c->args[0] : NULL, NULL, run.days, &s, &v, &n);
	run.now = s.in.now;
	if (!rc && (health_due_list(&s.in, v, n, &due, &ndue, &run.other, &c->e) < 0 ||
		    rot_rows(c, &run, due, ndue) < 0 || rot_all(c, &run) < 0))
		rc = c->e.cls != TM_OK ? (int)c->e.cls : TM_EBACKEND;
	if (rc) {
		rc = cli_report_fail(c, NULL);
	} else {
		if (c->opt[OPT_JSON]) {
			rot_json(&run);
		} else {
			rot_table(&run);
			rot_summary(c, &run);
		}
		rc = rot_exit(c, &run, &s);
	}
	free(run.rows);
	free(due);
	free(v);
	diagnose_free(&s);
	if (run.signal) {
		cli_signal_exit_by(run.signal);
		return 128 + run.signal;
	}
	return rc;
}

/* cli_cmd_rotate: one trust (DOMAIN PARTNER), or every due one (--due). */
int cli_cmd_rotate(cli_ctx *c)
{
	if (!c->opt[OPT_DUE] && c->nargs != 2)
		return cli_usage_error(c, "rotate takes DOMAIN PARTNER (one trust), or --due with "
				       "at most a DOMAIN (every trust older than the rotation "
				       "policy)");
	if (c->opt[OPT_DUE] && c->nargs > 1)
		return cli_usage_error(c, "rotate --due takes at most one DOMAIN (every trust of "
				       "it older than the rotation policy); for one trust use "
				       "'trustmgr rotate DOMAIN PARTNER' without --due");
	if (!c->opt[OPT_DUE] && c->opt[OPT_ROTATION_DAYS])
		return cli_usage_error(c, "--rotation-days applies to rotate --due only");
	if (!c->opt[OPT_DUE])
		return cli_cmd_workflow(c);
	return rot_due(c);
}
