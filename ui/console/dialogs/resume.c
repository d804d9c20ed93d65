/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* resume.c - an interrupted plan (the process killed, a server down
 * part-way): what it was, how far it got, what is left per domain; Resume
 * runs the rest (asking the password only when the executor cannot read it
 * back), Roll back puts every domain it touched back, Later leaves it (and
 * changes stay refused until it is settled). */
#include <stdio.h>
#include <string.h>

#include "ui/console/dialogs/dialogs.h"

enum { CHOSE_LATER, CHOSE_RESUME, CHOSE_ROLLBACK };

typedef struct resume_state {
	con_widget *text, *resume, *rollback, *later;
	int chosen;
} resume_state;

static void append(char *buf, size_t n, const char *s)
{
	size_t len = strlen(buf);

	if (len + 1 < n)
		snprintf(buf + len, n - len, "%s", s);
}

/* "CORP and PARTNER": the domains the plan changes. */
static void plan_domains(const tm_plan *p, char *buf, size_t n)
{
	plan_domain_names(p, ", ", " and ", buf, n);
	if (!buf[0])
		snprintf(buf, n, "no domain");
}

/* The steps from..to-1, one per line. */
static void steps_text(const tm_plan *p, size_t from, size_t to, char *buf, size_t n)
{
	char line[PLAN_TEXT_MAX + 32];
	size_t i;

	for (i = from; i < to && i < p->nsteps; i++) {
		snprintf(line, sizeof(line), "\n  %zu. %s", i + 1, p->steps[i].text);
		append(buf, n, line);
	}
}

static void describe(const tm_plan *p, const journal_info *info, char *buf, size_t n)
{
	char doms[CON_MSG_MAX], age[CON_NAME_MAX], line[PLAN_TEXT_MAX + CON_MSG_MAX];

	plan_domains(p, doms, sizeof(doms));
	snprintf(buf, n, "A plan was interrupted after %zu of %zu steps, so %s may be "
		 "half-changed. It was started %s, to do this ('%s'):\n  %s.\n\nDone:", info->done,
		 info->total, doms, con_app_age(info->started, age, sizeof(age)), info->op, p->summary);
	if (!info->done)
		append(buf, n, "\n  (nothing yet)");
	steps_text(p, 0, info->done, buf, n);
	append(buf, n, "\n\nStill to do:");
	steps_text(p, info->done, p->nsteps, buf, n);
	snprintf(line, sizeof(line), "\n\nResume runs the steps still to do (the password is asked "
		 "for only when it cannot be read back from what was written). Roll back puts %s "
		 "back as before the plan started. Later leaves it; changes are refused until it "
		 "is settled.", doms);
	append(buf, n, line);
}

static void chose(con_widget *w, int what)
{
	resume_state *s = w->dlg->ctx;

	s->chosen = what;
	con_dialog_close(w->dlg, CON_DLG_OK);
}

static void resume_pressed(con_widget *w)
{
	chose(w, CHOSE_RESUME);
}

static void rollback_pressed(con_widget *w)
{
	chose(w, CHOSE_ROLLBACK);
}

static void later_pressed(con_widget *w)
{
	chose(w, CHOSE_LATER);
}

static void resume_layout(con_dialog *d, int cols, int rows)
{
	resume_state *s = d->ctx;
	con_widget *buttons[3] = { s->resume, s->rollback, s->later };

	con_dialog_center(d, 74, rows - 2 < 20 ? rows - 2 : 20, cols, rows);
	con_widget_place(s->text, 1, 2, d->height - 4, d->width - 4);
	con_dialog_button_row(d, d->height - 2, buttons, 3);
}

static const con_dialog_ops resume_ops = { resume_layout, NULL, NULL, NULL, NULL, NULL };

static int build(con_dialog *d, resume_state *s)
{
	s->text = con_dialog_add(d, con_textbox_new("plan", 1, "The interrupted plan: what it was "
		"for, the steps done, the steps still to do. Arrows scroll."));
	s->resume = con_dialog_add(d, con_button_new("resume", "&Resume", resume_pressed,
		"Run the steps still to do, with progress, then show the result."));
	s->rollback = con_dialog_add(d, con_button_new("rollback", "Roll &back", rollback_pressed,
		"Put every domain the plan touched back as it was before the plan started."));
	s->later = con_dialog_add(d, con_button_new("later", "&Later", later_pressed,
		"Leave it as it is for now. Changes are refused until it is resumed or rolled "
		"back."));
	if (!s->text || !s->resume || !s->rollback || !s->later)
		return -1;
	d->ok = s->resume;
	d->cancel = s->later;
	d->help = "A plan that was interrupted part-way (the process killed, a server down) "
		  "leaves the domains it touched half-changed. Every step can run twice safely, "
		  "so Resume finishes it where it stopped; Roll back undoes it.";
	return 0;
}

/* What the operator chose for p: CHOSE_*. */
static int ask_choice(const tm_plan *p, const journal_info *info)
{
	static char text[CON_TEXT_MAX];
	resume_state s;
	con_dialog *d;

	memset(&s, 0, sizeof(s));
	s.chosen = CHOSE_LATER;
	d = con_dialog_new("interrupted-plan", "Interrupted Plan", &resume_ops, &s);
	if (d && build(d, &s) == 0) {
		describe(p, info, text, sizeof(text));
		con_textbox_set(s.text, text, ROLE_DIALOG);
		con_dialog_focus(d, s.resume);
		con_dialog_run(d);
	}
	con_dialog_free(&d);
	return s.chosen;
}

/* ---- Resume ------------------------------------------------------------------ */

/* svc_ask_fn: the password the interrupted plan was started with. */
static int ask_password(void *ctx, const tm_plan *p, const char *label, char *buf, size_t n)
{
	char intro[PLAN_TEXT_MAX + 256];

	(void)ctx;
	snprintf(intro, sizeof(intro), "To go on, the interrupted plan needs the %s it was "
		 "started with, and it cannot be read back from what was written: type it again. "
		 "Plan: %s.", label, p->summary);
	return con_password_dialog("Resume: Password", intro, buf, n) ? 0 : -1;
}

/* After a forest recovery of a domain's own side: its partners next. */
static void offer_partners(con_app *a, const tm_plan *p)
{
	char text[CON_MSG_MAX];

	if (strcmp(p->op, "recover") != 0)
		return;
	snprintf(text, sizeof(text), "%s's side of its trusts is reset. Give its partners the same "
		 "password now (Forest Recovery, partners' sides)?", p->domain);
	if (con_msg_confirm("Forest Recovery", text, "&Partners now", "&Not now"))
		con_recover_dialog(a, p->domain, 1);
}

static int do_resume(con_app *a)
{
	static char text[CON_TEXT_MAX];
	tm_plan *p = NULL;
	tm_error e;
	int rc;

	rc = con_op_resume(a, "Resume", &p, ask_password, NULL, &e);
	if (!p) {
		con_dialog_format_error(&e, text, sizeof(text));
		con_msg_box("Resume", ROLE_ERROR, e.what[0] ? text : "There is no interrupted plan "
			    "any more: nothing to resume.");
		return e.what[0] ? -1 : 1;
	}
	con_op_describe(a, p, rc, &e, text, sizeof(text));
	if (rc == TM_OK || con_op_committed(p, rc, &e))
		a->committed = 1;
	con_msg_box("Resume", rc == TM_OK ? ROLE_GOOD : ROLE_ERROR, text);
	if (rc == TM_OK)
		offer_partners(a, p);
	plan_free(&p);
	return rc == TM_OK ? 1 : -1;
}

/* ---- Roll back ---------------------------------------------------------------- */

static int do_rollback(con_app *a)
{
	char text[CON_ERROR_MAX], doms[CON_MSG_MAX];
	tm_plan *p = NULL;
	tm_error e;

	error_clear(&e);
	if (con_service_rollback(a->svc, &p, &e) < 0) {
		con_dialog_format_error(&e, text, sizeof(text));
		con_msg_box("Roll Back", ROLE_ERROR, text);
		return -1;
	}
	a->changed = 1;
	if (!p) {
		con_msg_box("Roll Back", ROLE_HINT, "There is no interrupted plan any more: nothing "
			    "to roll back.");
		return 1;
	}
	plan_domains(p, doms, sizeof(doms));
	snprintf(text, sizeof(text), "Rolled back the interrupted '%s' plan: %s %s as before it "
		 "started.", p->op, doms, plan_domain_count(p) == 1 ? "is" : "are");
	a->committed = 1;
	con_msg_box("Roll Back", ROLE_GOOD, text);
	plan_free(&p);
	return 1;
}

/* con_resume_offer: 1 settled, 0 none, -1 still pending. */
int con_resume_offer(con_app *a)
{
	journal_info info;
	tm_plan *p = NULL;
	tm_error e;
	char text[CON_ERROR_MAX];
	int choice, rc;

	error_clear(&e);
	rc = con_service_pending_plan(a->svc, &p, &info, &e);
	if (rc < 0) {
		con_dialog_format_error(&e, text, sizeof(text));
		con_msg_box("Interrupted Plan", ROLE_ERROR, text);
		return -1;
	}
	if (rc == 0)
		return 0;
	choice = ask_choice(p, &info);
	plan_free(&p);
	if (choice == CHOSE_RESUME)
		return do_resume(a);
	if (choice == CHOSE_ROLLBACK)
		return do_rollback(a);
	return -1;
}

/* con_resume_dialog: from the menu. */
void con_resume_dialog(con_app *a)
{
	if (con_resume_offer(a) == 0)
		con_msg_box("Interrupted Plan", ROLE_GOOD, "No plan was interrupted: there is "
			    "nothing to resume or roll back.");
}
