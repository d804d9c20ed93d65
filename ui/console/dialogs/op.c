/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* op.c - running a plan: the progress view ("Step i of n: ...") that
 * con_service_run's progress callback redraws, and the result that replaces it. */
#include <stdio.h>
#include <string.h>

#include "model/verify.h"
#include "model/keys.h"
#include "ui/console/dialogs/dialogs.h"
#include "ui/console/text.h"

#define BAR_MAX 128

typedef struct op_view {
	con_dialog *d;
	con_widget *line, *bar;
} op_view;

/* The step the last run started last (index) and whether it started any. */
static size_t last_step;
static int last_started;

static void op_layout(con_dialog *d, int cols, int rows)
{
	con_dialog_center(d, 66, 7, cols, rows);
	con_widget_place(d->w[0], 2, 2, 2, d->width - 4);
	con_widget_place(d->w[1], 4, 2, 1, d->width - 4);
}

static const con_dialog_ops op_ops = { op_layout, NULL, NULL, NULL, NULL, NULL };

/* "[#######.......]  3/7" in width columns. */
static void bar_text(size_t done, size_t total, int width, char *buf, size_t n)
{
	char count[CON_NAME_MAX];
	int cells, fill, i;
	size_t o = 0;

	snprintf(count, sizeof(count), "  %zu/%zu", done, total);
	cells = width - 2 - (int)strlen(count);
	if (cells > BAR_MAX)
		cells = BAR_MAX;
	if (cells < 1 || n < (size_t)cells + 40) {
		snprintf(buf, n, "%s", count + 2);
		return;
	}
	fill = total ? (int)((size_t)cells * done / total) : cells;
	buf[o++] = '[';
	for (i = 0; i < cells; i++)
		buf[o++] = i < fill ? '#' : '.';
	buf[o++] = ']';
	snprintf(buf + o, n - o, "%s", count);
}

static void on_progress(void *ctx, const tm_plan *p, size_t step)
{
	op_view *v = ctx;
	char line[PLAN_TEXT_MAX + 64], bar[BAR_MAX + 40];

	last_step = step;
	last_started = 1;
	if (step >= p->nsteps)
		return;
	snprintf(line, sizeof(line), "Step %zu of %zu: %s", plan_show_number(p, step), p->nsteps,
		 p->steps[step].text);
	con_textbox_set(v->line, line, ROLE_DIALOG);
	bar_text(step, p->nsteps, v->d->width - 4, bar, sizeof(bar));
	con_label_set(v->bar, bar, ROLE_HINT);
	con_dialog_stack_draw();
}

/* Push a progress view titled title; 0, or -1 when it cannot be shown
 * (the plan then runs without one). */
static int progress_open(op_view *v, const char *title)
{
	memset(v, 0, sizeof(*v));
	last_step = 0;
	last_started = 0;
	v->d = con_dialog_new("progress", title, &op_ops, v);
	if (v->d) {
		v->line = con_dialog_add(v->d, con_textbox_new("step", 0, NULL));
		v->bar = con_dialog_add(v->d, con_label_new("bar", "", ROLE_HINT));
	}
	if (!v->d || !con_dialog_complete(v->d) || con_dialog_stack_push(v->d) < 0) {
		con_dialog_free(&v->d);
		return -1;
	}
	con_textbox_set(v->line, "Starting...", ROLE_DIALOG);
	con_dialog_stack_draw();
	return 0;
}

static void progress_close(op_view *v)
{
	if (!v->d)
		return;
	con_dialog_stack_pop();
	con_dialog_free(&v->d);
}

/* Before a plan that writes: an interrupted plan is offered first. When it
 * was resumed or rolled back, the store is no longer what p was made for:
 * p is not run. Returns 0 to go on, -1 with e. */
static int settle_interrupted(con_app *a, const tm_plan *p, tm_error *e)
{
	if (!plan_mutates(p) || con_resume_offer(a) <= 0)
		return 0;
	error_fail(e, TM_EBACKEND, NULL, "Nothing was run: an interrupted plan was finished or undone "
		"first, so the domains are no longer as this preview was made for");
	error_hint(e, "Look at the preview again (it is made afresh), then run it once more.");
	return -1;
}

/* con_op_run: con_service_run under a progress view. */
int con_op_run(con_app *a, const char *title, tm_plan *p, const char *password, tm_error *e)
{
	op_view v;
	int rc;

	error_clear(e);
	last_step = 0;
	last_started = 0;
	if (settle_interrupted(a, p, e) < 0) {
		a->changed = 1;
		return (int)e->cls;
	}
	if (progress_open(&v, title) < 0) {
		rc = con_service_run(a->svc, p, password, NULL, NULL, e);
	} else {
		rc = con_service_run(a->svc, p, password, on_progress, &v, e);
		progress_close(&v);
	}
	a->changed = 1;
	return rc;
}

/* con_op_resume: con_service_resume under a progress view. */
int con_op_resume(con_app *a, const char *title, tm_plan **out, svc_ask_fn ask, void *ask_ctx,
		  tm_error *e)
{
	op_view v;
	int rc;

	error_clear(e);
	if (progress_open(&v, title) < 0) {
		rc = con_service_resume(a->svc, out, ask, ask_ctx, NULL, NULL, e);
	} else {
		rc = con_service_resume(a->svc, out, ask, ask_ctx, on_progress, &v, e);
		progress_close(&v);
	}
	a->changed = 1;
	return rc;
}

static void add(char *buf, size_t n, const char *s)
{
	size_t len = strlen(buf);

	if (len + 1 < n)
		snprintf(buf + len, n - len, "%s", s);
}

/* One line (and, when it failed, two sentences) per verified direction. */
static void describe_verify(con_app *a, char *buf, size_t n)
{
	static verify_result r[SVC_MAX_VERIFY];
	size_t k = con_service_last_verify(a->svc, r, SVC_MAX_VERIFY), i;
	char line[2 * TM_WHAT_MAX + 600], what[TM_WHAT_MAX], next[TM_NEXT_MAX];

	if (k)
		add(buf, n, "\n\nVerification:");
	for (i = 0; i < k; i++) {
		if (r[i].outcome == VERIFY_OK) {
			snprintf(line, sizeof(line), "\n%s trusts %s: ok (key version %u, %s)",
				 r[i].trusting, r[i].trusted, r[i].issuer_kvno,
				 keys_enctype_name(r[i].enctype));
		} else {
			what[0] = next[0] = '\0';
			verify_explain(&r[i], what, sizeof(what), next, sizeof(next));
			snprintf(line, sizeof(line), "\n%s trusts %s: %s. %s %s", r[i].trusting,
				 r[i].trusted, verify_outcome_token(r[i].outcome), what, next);
		}
		add(buf, n, line);
	}
}

/* A run that stopped part-way leaves the plan to finish or undo: say how. */
static void describe_pending(con_app *a, char *buf, size_t n)
{
	journal_info info;
	tm_error e;

	error_clear(&e);
	if (con_service_pending(a->svc, &info, &e) == 1)
		add(buf, n, "\n\nThe plan is kept as interrupted: Interrupted Plan... in the F10 "
		    "menu (also offered when the console starts) finishes it with Resume once the "
		    "cause is fixed, or undoes it with Roll back.");
}

static int known_outcome(const tm_plan *p, int rc, const tm_error *e)
{
	return p->outcome != TM_OK && rc == (int)p->outcome &&
	       (!p->outcome_status || !e->status || strcmp(e->status, p->outcome_status) == 0);
}

/* con_op_describe: message, where it stopped, verification. */
void con_op_describe(con_app *a, const tm_plan *p, int rc, const tm_error *e, char *buf,
		     size_t n)
{
	char line[PLAN_TEXT_MAX + 64];

	buf[0] = '\0';
	if (rc == TM_OK) {
		snprintf(buf, n, "%s", e->what[0] ? e->what : p->success[0] ? p->success : "Done.");
		if (e->next[0]) {
			add(buf, n, "\n");
			add(buf, n, e->next);
		}
	} else {
		con_dialog_format_error(e, buf, n);
		if (!known_outcome(p, rc, e) && last_started && last_step < p->nsteps) {
			snprintf(line, sizeof(line), "\n\nIt stopped at step %zu of %zu: %s",
				 last_step + 1, p->nsteps, p->steps[last_step].text);
			add(buf, n, line);
		}
		describe_pending(a, buf, n);
	}
	describe_verify(a, buf, n);
}

/* con_op_committed: a step that writes has run to its end. */
int con_op_committed(const tm_plan *p, int rc, const tm_error *e)
{
	size_t i, done;

	if (rc == TM_OK || known_outcome(p, rc, e))
		return plan_mutates(p);
	done = last_started ? last_step : 0;
	for (i = 0; i < done && i < p->nsteps; i++)
		if (p->steps[i].kind != STEP_VERIFY)
			return 1;
	return 0;
}

/* con_op_run_and_show: run, then the result in a message box. */
int con_op_run_and_show(con_app *a, const char *title, tm_plan *p, const char *password,
			int commits)
{
	static char text[CON_TEXT_MAX];
	tm_error e;
	int rc = con_op_run(a, title, p, password, &e);

	con_op_describe(a, p, rc, &e, text, sizeof(text));
	if (commits && con_op_committed(p, rc, &e))
		a->committed = 1;
	con_msg_box(title, rc == TM_OK ? ROLE_GOOD : ROLE_ERROR, text);
	return rc;
}

/* The step's text without the "DOMAIN: " it starts with. */
static const char *step_text(const plan_step *s)
{
	size_t len = strlen(s->domain);

	if (len && strncmp(s->text, s->domain, len) == 0 && s->text[len] == ':' &&
	    s->text[len + 1] == ' ')
		return s->text + len + 2;
	return s->text;
}

/* What a TDO write makes of the trust, one setting a line under its step. */
static void describe_changes(const plan_step *s, char *buf, size_t n)
{
	char line[PLAN_TEXT_MAX + 8];
	const char *at = s->changes, *end;

	while (*at) {
		end = strchr(at, '\n');
		snprintf(line, sizeof(line), "\n     %.*s",
			 (int)(end ? (size_t)(end - at) : strlen(at)), at);
		add(buf, n, line);
		if (!end)
			break;
		at = end + 1;
	}
}

/* con_op_plan_describe: per domain, then the checks, then the secrets;
 * the steps numbered in the order shown (plan_show_order). */
void con_op_plan_describe(const tm_plan *p, char *buf, size_t n)
{
	char line[PLAN_TEXT_MAX + 64];
	size_t order[PLAN_MAX_STEPS], count = plan_show_order(p, order), i;
	const plan_step *prev = NULL;

	buf[0] = '\0';
	for (i = 0; i < count; i++) {
		const plan_step *s = &p->steps[order[i]];
		int verify = s->kind == STEP_VERIFY;

		if (!prev || (verify != (prev->kind == STEP_VERIFY)) ||
		    (!verify && strcmp(prev->domain, s->domain) != 0)) {
			if (prev)
				add(buf, n, "\n\n");
			if (verify)
				snprintf(line, sizeof(line), "Then check:");
			else
				snprintf(line, sizeof(line), "On %s:", s->domain);
			add(buf, n, line);
		}
		snprintf(line, sizeof(line), "\n  %zu. %s", i + 1, verify ? s->text : step_text(s));
		add(buf, n, line);
		describe_changes(s, buf, n);
		prev = s;
	}
	if (prev)
		add(buf, n, "\n\n");
	for (i = 0; i < PLAN_MAX_SLOTS; i++) {
		if (p->slots[i].source == SLOT_UNUSED)
			continue;
		snprintf(line, sizeof(line), "Secret: %s, %s.\n", p->slots[i].label,
			 p->slots[i].source == SLOT_GENERATED ? "generated at random, never shown"
			 : "the password you typed");
		add(buf, n, line);
	}
	i = strlen(buf);
	while (i && buf[i - 1] == '\n')
		buf[--i] = '\0';
}

/* con_op_plan_preview: lead, a blank line, the plan per domain. */
void con_op_plan_preview(const tm_plan *p, const char *lead, char *buf, size_t n)
{
	size_t len;

	snprintf(buf, n, "%s\n\n", lead);
	len = strlen(buf);
	if (len + 1 < n)
		con_op_plan_describe(p, buf + len, n - len);
}
