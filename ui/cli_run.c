/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_run.c - the one flow every command goes through:
 * store_open -> lock -> interrupted-plan check -> world_load -> workflow ->
 * preview (--dry-run) or exec_run -> report.  Exit status = tm_class. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend/store/store.h"
#include "model/secret.h"
#include "model/utf8.h"
#include "backend/backend.h"
#include "ui/cli_int.h"
#include "ui/cli_signal.h"

/* cli_time: "2024-05-01 12:00:00 UTC", or "unknown" for 0. */
const char *cli_time(long long t, char *buf, size_t n)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t <= 0 || !gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, n, "%s", "unknown");
	return buf;
}

/* cli_time_iso: "2024-05-01T12:00:00Z", or NULL for 0. */
const char *cli_time_iso(long long t, char *buf, size_t n)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t <= 0 || !gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return NULL;
	return buf;
}

/* Write s and a newline; control characters (which could be terminal
 * escape sequences in a name someone typed, or a server sent) are shown as
 * '?', and a byte that is not part of valid UTF-8 as \xHH: nothing raw. */
static void put_clean(FILE *f, const char *s)
{
	size_t len = strlen(s), i = 0;
	uint32_t cp;
	int n;

	while (i < len) {
		n = utf8_next(s + i, len - i, &cp);
		if (n < 0)
			fprintf(f, "\\x%02x", (unsigned char)s[i]);
		else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			fputc('?', f);
		else
			fwrite(s + i, 1, (size_t)n, f);
		i += n < 0 ? 1 : (size_t)n;
	}
	fputc('\n', f);
}

/* The last error cli_report printed: what the JSON error object and the
 * exit status say when the command's own error was another. */
static tm_error last_reported;

/* cli_exit_status: a refusal printed with an NTSTATUS name (a password that
 * breaks a rule, a name that is not valid text, a malformed value) is
 * exit status 3, as the exit status table says, also where the error was
 * made as a usage error or printed from another error than e (a damaged
 * store file, STATUS_INTERNAL_DB_CORRUPTION, is 4). */
int cli_exit_status(const tm_error *e, int rc)
{
	const tm_error *shown = e->status ? e : &last_reported;

	if (rc != TM_EUSAGE || !shown->status)
		return rc;
	return strcmp(shown->status, "STATUS_INTERNAL_DB_CORRUPTION") == 0 ? TM_EBACKEND
									 : TM_EREFUSED;
}

/* cli_last_error: the last error printed (what the person read), else e. */
const tm_error *cli_last_error(const tm_error *e)
{
	return last_reported.what[0] || last_reported.status ? &last_reported : e;
}

/* cli_note_error: remember e as the last error printed on stderr. */
void cli_note_error(const tm_error *e)
{
	last_reported = *e;
}

/* cli_report: "STATUS: what" and the next step on stderr; returns the class. */
int cli_report(const cli_ctx *c, const tm_error *e)
{
	int cls = e->cls != TM_OK ? (int)e->cls : TM_EBACKEND;

	(void)c;
	cli_note_error(e);
	fflush(stdout);
	if (e->status)
		fprintf(stderr, "%s: ", e->status);
	put_clean(stderr, e->what[0] ? e->what : e->status ? "the operation was refused."
		  : "The operation failed and the program could not say why.");
	if (e->next[0])
		put_clean(stderr, e->next);
	return cls;
}

/* cli_report_fail: report c->e; with --json also as the one JSON object on stdout. */
int cli_report_fail(cli_ctx *c, const tm_plan *p)
{
	int cls = c->e.cls != TM_OK ? (int)c->e.cls : TM_EBACKEND;

	if (c->opt[OPT_JSON])
		cli_print_result_json(c, p, cls, &c->e);
	return cli_report(c, &c->e);
}

static int resolve_backend(cli_ctx *c)
{
	const char *audit = c->opt[OPT_AUDIT_LOG];

	if (backend_choose(c->opt[OPT_STORE], c->opt[OPT_CONFIG], &c->choice, &c->e) < 0)
		return -1;
	if (audit && (!audit[0] || strlen(audit) >= sizeof(c->choice.audit_log))) {
		error_fail(&c->e, TM_EUSAGE, NULL, "the file named with --audit-log is %s",
			audit[0] ? "too long" : "empty");
		error_hint(&c->e, "Name the audit log file, or leave --audit-log out for the default.");
		return -1;
	}
	if (audit)
		snprintf(c->choice.audit_log, sizeof(c->choice.audit_log), "%s", audit);
	snprintf(c->store_dir, sizeof(c->store_dir), "%s",
		 c->choice.config[0] ? c->choice.config : c->choice.store_dir);
	return 0;
}

/* "'create' (CORP PARTNER), started ... by process N, stopped after i of n steps" */
static void describe_interrupted(const tm_plan *p, const journal_info *info, char *buf,
				 size_t n)
{
	char when[64];

	snprintf(buf, n, "A '%s' plan (%s%s%s), started %s by process %ld, was interrupted "
		 "after %zu of %zu steps", info->op[0] ? info->op : p->op, p->domain,
		 p->partner[0] ? " " : "", p->partner, cli_time(info->started, when, sizeof(when)),
		 info->pid, info->done, info->total);
}

#define JOURNAL_WAY_OUT "Run 'trustmgr resume' to finish it or 'trustmgr rollback' to put " \
	"every domain it touched back as it was ('trustmgr journal' shows it)."

/* Does this command change the store? A CMD_SHOW_BARE command does only
 * when a change option is given. */
static int cli_mutating(const cli_ctx *c)
{
	unsigned f = c->cmd->flags;

	if (!(f & CMD_MUTATES))
		return 0;
	return !(f & CMD_SHOW_BARE) || cli_namespaces_changes(c);
}

static int check_journal(cli_ctx *c)
{
	tm_plan *p = NULL;
	journal_info info;
	char msg[TM_WHAT_MAX];
	int mutating = cli_mutating(c);

	memset(&info, 0, sizeof(info));
	if (c->be->ops->journal_pending(c->be, &p, &info, &c->e) < 0) {
		if (mutating)
			return cli_report(c, &c->e);
		fprintf(stderr, "warning: ");
		cli_report(c, &c->e);
		error_clear(&c->e);
		cli_note_error(&c->e);         /* a warning, not the command's error */
		return 0;
	}
	if (!p || info.failed) {
		plan_free(&p);
		return 0;
	}
	describe_interrupted(p, &info, msg, sizeof(msg));
	plan_free(&p);
	if (!mutating) {
		fprintf(stderr, "warning: %s.\nThe domains may be half-changed. %s\n", msg,
			JOURNAL_WAY_OUT);
		return 0;
	}
	error_fail(&c->e, TM_EBACKEND, NULL, "%s.", msg);
	error_hint(&c->e, "This command was not run. %s", JOURNAL_WAY_OUT);
	return cli_report(c, &c->e);
}

/* cli_session_open: store, lock (exclusive for changes), journal check. */
int cli_session_open(cli_ctx *c)
{
	unsigned f = c->cmd->flags;
	int exclusive = (cli_mutating(c) || (f & CMD_RECORDS)) && !c->opt[OPT_DRY_RUN];

	if (resolve_backend(c) < 0)
		return cli_report(c, &c->e);
	c->be = backend_open(&c->choice, &c->e);
	if (!c->be)
		return cli_report(c, &c->e);
	if (c->be->ops->lock(c->be, exclusive, &c->e) < 0)
		return cli_report(c, &c->e);
	if (f & CMD_JOURNAL)
		return 0;
	return check_journal(c);
}

/* cli_session_close: close the backend (releases the lock), wipe passwords. */
void cli_session_close(cli_ctx *c)
{
	if (c->be)
		c->be->ops->close(c->be);
	c->be = NULL;
	secret_free(&c->password);
}

/* ---- hooks ------------------------------------------------------------- */

static void hook_progress(void *ctx, const tm_plan *p, size_t i)
{
	(void)ctx;
	if (i < p->nsteps && isatty(STDERR_FILENO))
		fprintf(stderr, "  [%zu/%zu] %s\n", plan_show_number(p, i), p->nsteps,
			p->steps[i].text);
}

static void hook_verified(void *ctx, const verify_result *r)
{
	cli_ctx *c = ctx;

	if (c->nresults < CLI_MAX_RESULTS)
		c->results[c->nresults++] = *r;
}

/* cli_hooks: ask_secret, progress on a terminal, verify result collection. */
void cli_hooks(cli_ctx *c, exec_hooks *h)
{
	memset(h, 0, sizeof(*h));
	h->ask_secret = cli_ask_secret;
	h->progress = hook_progress;
	h->verified = hook_verified;
	h->ctx = c;
	h->cancelled = cli_signal_cancelled;
}

/* ---- running plans ----------------------------------------------------- */

/* cli_any_result_failed: a verify result the hooks collected is not ok. */
int cli_any_result_failed(const cli_ctx *c)
{
	size_t i;

	for (i = 0; i < c->nresults; i++)
		if (c->results[i].outcome != VERIFY_OK)
			return 1;
	return 0;
}

/* verify: the per-direction lines are the output; e is shown only when it
 * says something the lines do not. */
static int finish_verify(cli_ctx *c, const tm_plan *p, int rc)
{
	cli_print_verify(c, p);
	if (rc == TM_OK && cli_any_result_failed(c))
		return TM_EFAIL;
	if (rc != TM_OK && (!c->nresults || !cli_any_result_failed(c)))
		return cli_report(c, &c->e);
	return rc;
}

/* cli_execute: exec_run / exec_resume, then the results and the outcome.
 * A plan stopped by Ctrl-C, SIGHUP or SIGTERM (cli_signal.c) reports what
 * was done and exits with 128 + the signal. */
int cli_execute(cli_ctx *c, tm_plan *p, size_t from, int resume)
{
	exec_hooks h;
	int rc, sig;

	if (!resume && (rc = cli_confirm_plan(c, p)) != 0)
		return rc;
	cli_hooks(c, &h);
	c->nresults = 0;
	error_clear(&c->e);
	cli_signal_begin();
	rc = resume ? exec_resume(c->be, p, from, &h, &c->e)
		    : exec_run(c->be, p, from, &h, &c->e);
	cli_signal_end();
	if (rc < 0 || (rc > 0 && c->e.cls == TM_OK))
		c->e.cls = rc > 0 ? (tm_class)rc : TM_EBACKEND;
	if (rc < 0)
		rc = (int)c->e.cls;
	sig = cli_signal_caught();
	if (sig && rc != TM_OK) {
		cli_report(c, &c->e);
		cli_signal_exit_by(sig);
		return 128 + sig;
	}
	if (c->cmd->run == cli_cmd_verify)
		return finish_verify(c, p, rc);
	if (c->opt[OPT_JSON]) {
		cli_print_result_json(c, p, rc, &c->e);
		return rc == TM_OK ? rc : cli_report(c, &c->e);
	}
	cli_print_verify(c, p);
	if (rc != TM_OK)
		return cli_report(c, &c->e);
	/* The executor's message is the plan's success sentence plus anything
	 * it learnt on the way (a check that could not run from here). */
	printf("%s\n", c->e.what[0] ? c->e.what : p->success[0] ? p->success : "Done.");
	if (c->e.next[0])
		printf("%s\n", c->e.next);
	return TM_OK;
}

/* cli_gate: the check exec_run makes first, with the plan fitted to the
 * domains; 0 or the exit status with the refusal reported. */
int cli_gate(cli_ctx *c, tm_plan *p)
{
	tm_domain *v = NULL;
	size_t n = 0;
	int rc = 0;

	if (c->be->ops->domain_list(c->be, &v, &n, &c->e) < 0)
		rc = cli_report_fail(c, NULL);
	else if (exec_fit(c->be, p, v, n), exec_gate(c->be, p, 0, v, n, &c->e) < 0)
		rc = cli_report_fail(c, NULL);
	free(v);
	return rc;
}

/* cli_preview: the executor's gate, then the plan. */
int cli_preview(cli_ctx *c, tm_plan *p)
{
	int rc = cli_gate(c, p);

	if (rc)
		return rc;
	cli_print_plan(c, p);
	return TM_OK;
}

int cli_run_workflow(cli_ctx *c, const char *local, const char *partner, cli_planner fn,
		     const wf_options *o)
{
	world wl;
	tm_plan *p = NULL;
	int rc;

	memset(&wl, 0, sizeof(wl));
	error_clear(&c->e);
	if (world_load_named(c->be, local, partner, (c->cmd->flags & CMD_ANY_PARTNER) != 0,
			     o ? o->partner_flat : NULL, &wl, &c->e) < 0) {
		world_free(&wl);       /* world_load leaves a freeable snapshot */
		return cli_report_fail(c, NULL);
	}
	if (fn(&wl.w, o, &p, &c->e) < 0 || !p) {
		if (!p && c->e.cls == TM_OK) {
			error_fail(&c->e, TM_EBACKEND, NULL, "The workflow produced no plan and "
				"no reason; nothing was changed.");
			error_hint(&c->e, "This is a bug in trustmgr; please report it with the "
				"command line you used.");
		}
		rc = cli_report_fail(c, NULL);
	} else if (c->opt[OPT_DRY_RUN]) {
		rc = cli_preview(c, p);
	} else {
		rc = cli_execute(c, p, 0, 0);
	}
	plan_free(&p);
	world_free(&wl);
	return rc;
}
