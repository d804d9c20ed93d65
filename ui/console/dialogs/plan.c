/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* plan.c - one plan from preview to result: what it is for, exactly
 * what it will write on each domain (nothing is written yet), the password
 * when the plan needs one typed (twice, never echoed), then the run with
 * progress; the result (and what others must do) replaces the preview.
 * Used by the Health view's Fix and by Recreate. */
#include <stdio.h>
#include <string.h>

#include "model/secret.h"
#include "ui/console/dialogs/dialogs.h"
#include "ui/console/text.h"

typedef struct plan_state {
	con_app *a;
	const con_plan_view *v;
	tm_plan *p;
	const char *slot;          /* the typed secret's label, NULL when none */
	con_widget *body, *password, *confirm, *run, *cancel;
	int rc;                    /* -1 until it ran */
} plan_state;

/* con_plan_typed_slot: the first slot the operator supplies. */
const char *con_plan_typed_slot(const tm_plan *p)
{
	size_t i;

	for (i = 0; i < PLAN_MAX_SLOTS; i++)
		if (p->slots[i].source == SLOT_SUPPLIED)
			return p->slots[i].label;
	return NULL;
}

static void append(char *buf, size_t n, const char *s)
{
	size_t len = strlen(buf);

	if (len + 1 < n)
		snprintf(buf + len, n - len, "%s", s);
}

/* The preview: intro, the steps per domain, what others must do. */
static void show_preview(plan_state *s)
{
	static char text[CON_TEXT_MAX], steps[CON_STEPS_MAX];
	char run[CON_LABEL_MAX];

	con_text_label_plain(s->v->run_label, run, sizeof(run));
	con_op_plan_describe(s->p, steps, sizeof(steps));
	snprintf(text, sizeof(text), "%s\n\nNothing has been written yet. %s writes exactly this:"
		 "\n\n", s->v->intro, run);
	append(text, sizeof(text), steps);
	if (s->v->after && s->v->after[0]) {
		append(text, sizeof(text), "\n\n");
		append(text, sizeof(text), s->v->after);
	}
	con_textbox_set(s->body, text, ROLE_DIALOG);
}

/* Run is enabled once the password (when one is needed) is typed twice. */
static void validate(con_dialog *d)
{
	plan_state *s = d->ctx;
	const char *why = NULL;
	char buf[CON_MSG_MAX];

	if (s->rc >= 0 || !s->slot)
		return;
	if (!con_entry_len(s->password)) {
		snprintf(buf, sizeof(buf), "Type the %s, then again in Confirm.", s->slot);
		why = buf;
	} else if (!con_entry_equal(s->password, s->confirm))
		why = con_entry_complete(s->confirm) ? "The two passwords do not match: type them "
			"again." : "Type the password again in Confirm.";
	con_widget_invalid(s->confirm, con_entry_complete(s->confirm) && why ? why : NULL);
	con_widget_enable(s->run, why == NULL);
	con_dialog_message(d, ROLE_HINT, "%s", why ? why : "Press Enter to run it.");
}

static void changed(con_widget *w)
{
	validate(w->dlg);
}

/* Is the text longer than the box shows? */
static int plan_overflows(con_widget *body)
{
	return con_widget_can_focus(body) && con_textbox_lines(body, body->w - 1) > body->h;
}

/* After the run: the result in place of the preview, only Close left. */
static void show_result(con_dialog *d, int rc, const tm_error *e)
{
	plan_state *s = d->ctx;
	static char text[CON_TEXT_MAX];

	con_op_describe(s->a, s->p, rc, e, text, sizeof(text));
	if (rc == TM_OK && s->v->after_run && s->v->after_run[0]) {
		append(text, sizeof(text), "\n\n");
		append(text, sizeof(text), s->v->after_run);
	}
	con_textbox_set(s->body, text, rc == TM_OK ? ROLE_GOOD : ROLE_ERROR);
	con_widget_show(s->password, 0);
	con_widget_show(s->confirm, 0);
	con_widget_show(s->run, 0);
	con_dialog_clear_message(d);
	con_widget_set_label(s->cancel, "&Close");
	d->ok = s->cancel;
	d->ops->layout(d, COLS, LINES);
	con_dialog_focus(d, s->body);
	if (!plan_overflows(s->body))
		con_dialog_focus(d, s->cancel);
}

static int plan_submit(con_dialog *d)
{
	plan_state *s = d->ctx;
	char pw[SECRET_MAX + 1], title[CON_TITLE_MAX];
	tm_error e;
	int rc;

	con_entry_set_complete(s->confirm);
	validate(d);
	if (s->rc >= 0 || !s->run->enabled || !s->run->visible)
		return s->rc >= 0;
	snprintf(title, sizeof(title), "%s", s->v->title);
	con_entry_get(s->password, pw, sizeof(pw));
	rc = con_op_run(s->a, title, s->p, s->slot ? pw : NULL, &e);
	secret_wipe(pw, sizeof(pw));
	con_entry_wipe(s->password);
	con_entry_wipe(s->confirm);
	if (con_op_committed(s->p, rc, &e)) {
		s->a->committed = 1;
		con_dialog_set_committed(d);
	}
	s->rc = rc;
	show_result(d, rc, &e);
	return 0;
}

static void plan_layout(con_dialog *d, int cols, int rows)
{
	plan_state *s = d->ctx;
	con_widget *buttons[2] = { s->run, s->cancel };
	int W, pw = s->password->visible ? 3 : 0, msg_h, body_h;

	con_dialog_center(d, 74, rows - 2 < 22 ? rows - 2 : 22, cols, rows);
	W = d->width - 4;
	msg_h = con_textbox_lines(d->msg, W - 1);
	if (msg_h > 3)
		msg_h = 3;
	body_h = d->height - 4 - pw - msg_h - (msg_h > 0);
	con_widget_place(s->body, 1, 2, body_h < 1 ? 1 : body_h, W);
	con_widget_place(s->password, body_h + 2, 2, 1, W);
	con_widget_place(s->confirm, body_h + 3, 2, 1, W);
	s->password->label_w = s->confirm->label_w = 20;
	con_dialog_place_message(d, d->height - 3 - msg_h, 2, msg_h < 1 ? 1 : msg_h, W);
	con_dialog_button_row(d, d->height - 2, s->run->visible ? buttons : buttons + 1,
			      s->run->visible ? 2 : 1);
}

static void plan_free_state(con_dialog *d)
{
	plan_state *s = d->ctx;

	con_entry_wipe(s->password);
	con_entry_wipe(s->confirm);
	d->plan = NULL;            /* the caller's */
}

static const con_dialog_ops plan_ops = {
	plan_layout, NULL, NULL, plan_submit, NULL, plan_free_state,
};

static int build(con_dialog *d, plan_state *s)
{
	s->body = con_dialog_add(d, con_textbox_new("plan", 1, "What it is for, then exactly what "
		"it writes on each domain, step by step; after the run, what happened. Arrows "
		"and PgUp/PgDn scroll."));
	s->password = con_dialog_add(d, con_entry_new("password", "&Password:", SECRET_MAX / 4, 1,
		"The password the plan needs, shown as one '*' per character."));
	s->confirm = con_dialog_add(d, con_entry_new("confirm", "C&onfirm Password:",
		SECRET_MAX / 4, 1, "The same password again."));
	d->msg = con_dialog_add(d, con_textbox_new("message", 1, "What is missing, or what "
		"happened."));
	s->run = con_dialog_add(d, con_button_new("run", s->v->run_label, con_dialog_ok_pressed,
		"Run the plan shown, with progress; the result replaces the preview."));
	s->cancel = con_dialog_add(d, con_button_new("cancel", "Cancel", con_dialog_cancel_pressed,
		"Close. Before the run nothing has been written."));
	if (!s->body || !s->password || !s->confirm || !d->msg || !s->run || !s->cancel)
		return -1;
	s->password->on_change = s->confirm->on_change = changed;
	s->confirm->on_leave = changed;
	con_widget_show(s->password, s->slot != NULL);
	con_widget_show(s->confirm, s->slot != NULL);
	d->ok = s->run;
	d->cancel = s->cancel;
	d->help = s->v->help;
	return 0;
}

/* con_plan_dialog: preview, run, result. */
int con_plan_dialog(con_app *a, const con_plan_view *v, tm_plan *p)
{
	plan_state s;
	con_dialog *d;

	memset(&s, 0, sizeof(s));
	s.a = a;
	s.v = v;
	s.p = p;
	s.rc = -1;
	s.slot = con_plan_typed_slot(p);
	d = con_dialog_new(v->name, v->title, &plan_ops, &s);
	if (d && build(d, &s) == 0) {
		d->plan = p;       /* :save-model shows it; plan_free_state gives it back */
		show_preview(&s);
		validate(d);
		d->ops->layout(d, COLS, LINES);
		/* a preview longer than its box: focus it, so the arrows and PgDn
		 * scroll it (Enter still runs the plan) */
		con_dialog_focus(d, s.slot ? s.password : plan_overflows(s.body) ? s.body : s.run);
		con_dialog_run(d);
	} else {
		con_msg_box(v->title, ROLE_ERROR, "Out of memory: the dialog could not be built. "
			    "Nothing was written; close another program and try again.");
	}
	con_dialog_free(&d);
	return s.rc;
}
