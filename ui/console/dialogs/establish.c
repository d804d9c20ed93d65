/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* establish.c - the dialog behind Permit Domain to Trust and Add Trusted
 * Domain (establish.h): validation as the operator types (the domain is
 * known, the passwords are there and equal, the model accepts the plan),
 * OK disabled until then, and on OK the plan run with the password; a
 * failure keeps the dialog and its input and says what to do. */
#include "ui/console/dialogs/establish.h"

#include <stdio.h>
#include <string.h>

#include "model/secret.h"
#include "ui/console/text.h"

typedef struct est_state {
	con_app *a;
	const est_spec *spec;
	con_picker picker;
	con_widget *intro, *password, *confirm, *ok, *cancel;
	char planned[DOMAIN_KEY_MAX];  /* the partner the current plan check is for */
	int refused;                   /* the model refused that plan */
	tm_error refusal;
} est_state;

/* Ask the model about the plan for the domain in the field (once per domain). */
static void check_plan(est_state *s, con_dialog *d, const tm_domain *partner)
{
	tm_plan *p = NULL;

	if (!partner) {
		s->planned[0] = '\0';
		s->refused = 0;
		con_dialog_set_plan(d, NULL);
		return;
	}
	if (strcmp(s->planned, partner->name) == 0)
		return;
	snprintf(s->planned, sizeof(s->planned), "%s", partner->name);
	error_clear(&s->refusal);
	s->refused = con_service_plan(s->a->svc, s->spec->op, s->a->current, partner->name, NULL, &p,
			      &s->refusal) < 0;
	con_dialog_set_plan(d, s->refused ? NULL : p);
	if (s->refused)
		plan_free(&p);
}

/* The first thing that keeps OK disabled, into buf; NULL when none. */
static const char *password_problem(const est_state *s, char *buf, size_t n)
{
	if (con_entry_len(s->password) == 0)
		snprintf(buf, n, "Type the %s.", s->spec->confirm ? "initial password" : "password");
	else if (s->confirm && con_entry_len(s->confirm) == 0)
		snprintf(buf, n, "Type the password again in Confirm Password.");
	else if (s->confirm && !con_entry_equal(s->password, s->confirm))
		snprintf(buf, n, "%s", con_entry_complete(s->confirm) ? "The two passwords do not "
			 "match: type them again." : "Type the password again in Confirm Password.");
	else
		return NULL;
	return buf;
}

/* Every field is valid: what OK will write, per domain (and a known
 * outcome, such as "could not be verified", first). */
static void ready(con_dialog *d)
{
	static char text[CON_TEXT_MAX];
	char lead[CON_ERROR_MAX];

	if (!d->plan) {
		con_dialog_message(d, ROLE_HINT, "Ready: press Enter (OK).");
		return;
	}
	if (d->plan->outcome != TM_OK)
		snprintf(lead, sizeof(lead), "Note: %s. %s\nNothing has been written yet; OK writes "
			 "exactly this:", d->plan->outcome_what, d->plan->outcome_next);
	else
		snprintf(lead, sizeof(lead), "Ready. Nothing has been written yet; OK writes exactly "
			 "this:");
	con_op_plan_preview(d->plan, lead, text, sizeof(text));
	con_dialog_message(d, ROLE_HINT, "%s", text);
}

/* Validate every field; set the message, the fields' states and OK. */
static void validate(con_dialog *d)
{
	est_state *s = d->ctx;
	const tm_domain *partner = con_picker_domain(&s->picker);
	char dbuf[CON_MSG_MAX], pbuf[CON_MSG_MAX], text[CON_ERROR_MAX];
	const char *dprob = con_picker_problem(&s->picker, dbuf, sizeof(dbuf));
	const char *pprob = password_problem(s, pbuf, sizeof(pbuf));
	int typed = con_entry_len(s->picker.entry) > 0;

	check_plan(s, d, dprob ? NULL : partner);
	con_widget_invalid(s->picker.entry, typed && dprob ? dprob : NULL);
	if (!dprob && s->refused) {
		con_dialog_format_error(&s->refusal, text, sizeof(text));
		con_widget_invalid(s->picker.entry, text);
	}
	con_widget_invalid(s->confirm ? s->confirm : s->password, NULL);
	if (s->confirm && con_entry_complete(s->confirm) && !con_entry_equal(s->password, s->confirm))
		con_widget_invalid(s->confirm, pprob);
	con_widget_enable(s->ok, !dprob && !s->refused && !pprob);
	if (typed && dprob)
		con_dialog_message(d, ROLE_ERROR, "%s", dprob);
	else if (!dprob && s->refused)
		con_dialog_message(d, ROLE_ERROR, "%s", text);
	else if (dprob || pprob)
		con_dialog_message(d, ROLE_HINT, "%s", dprob ? dprob : pprob);
	else
		ready(d);
}

static void changed(con_widget *w)
{
	validate(w->dlg);
}

/* After a run the password has been used: it is wiped, and OK waits for
 * it to be typed again (so the same attempt is never written twice). */
static void used_up(est_state *s)
{
	con_entry_wipe(s->password);
	if (s->confirm)
		con_entry_wipe(s->confirm);
	con_widget_enable(s->ok, 0);
	con_dialog_focus(s->password->dlg, s->password);
}

/* OK: plan again (the store may have changed), run, report. */
static int est_submit(con_dialog *d)
{
	est_state *s = d->ctx;
	const tm_domain *partner = con_picker_domain(&s->picker);
	char pw[SECRET_MAX + 1], title[CON_TITLE_MAX];
	static char text[CON_TEXT_MAX];
	tm_plan *p = NULL;
	tm_error e;
	int rc;

	if (s->confirm)
		con_entry_set_complete(s->confirm);
	validate(d);
	if (!s->ok->enabled || !partner)
		return 0;
	error_clear(&e);
	if (con_service_plan(s->a->svc, s->spec->op, s->a->current, partner->name, NULL, &p, &e) < 0) {
		s->refused = 1;
		s->refusal = e;
		validate(d);
		return 0;
	}
	snprintf(title, sizeof(title), "%s: %s", s->spec->title, partner->name);
	con_entry_get(s->password, pw, sizeof(pw));
	rc = con_op_run(s->a, title, p, pw, &e);
	secret_wipe(pw, sizeof(pw));
	con_op_describe(s->a, p, rc, &e, text, sizeof(text));
	if (con_op_committed(p, rc, &e)) {
		s->a->committed = 1;
		con_dialog_set_committed(d);
	}
	plan_free(&p);
	s->planned[0] = '\0';      /* the world changed: ask the model again next time */
	if (rc == TM_OK) {
		con_msg_box(s->spec->title, ROLE_GOOD, text);
		return 1;
	}
	used_up(s);
	con_dialog_message(d, ROLE_ERROR, "%s", text);
	return 0;
}

/* Rows: border, intro (2), blank, domain, list, password(s), blank,
 * message, blank, buttons, border. The message takes what it needs; the
 * list gives way down to one visible row. */
static void est_layout(con_dialog *d, int cols, int rows)
{
	est_state *s = d->ctx;
	con_widget *buttons[2] = { s->ok, s->cancel };
	int h = rows - 2 < 22 ? rows - 2 : 22, lw = 20, y, list_h, room, need, W;

	con_dialog_center(d, 66, h, cols, rows);
	W = d->width - 4;
	room = d->height - 10 - (s->confirm ? 1 : 0);   /* for the list and the message */
	need = con_textbox_lines(d->msg, W - 1);
	list_h = room - (need < 1 ? 1 : need);
	if (list_h > 4 + (int)con_list_count(s->picker.list))
		list_h = 4 + (int)con_list_count(s->picker.list);
	if (list_h < 4)
		list_h = 4;
	con_widget_place(s->intro, 1, 2, 2, W);
	con_picker_place(&s->picker, 4, 2, W, lw, list_h);
	y = 5 + list_h;
	con_widget_place(s->password, y, 2, 1, W);
	s->password->label_w = lw;
	if (s->confirm) {
		con_widget_place(s->confirm, ++y, 2, 1, W);
		s->confirm->label_w = lw;
	}
	con_dialog_place_message(d, y + 2, 2, d->height - y - 5, W);
	con_dialog_button_row(d, d->height - 2, buttons, 2);
}

static const con_dialog_ops est_ops = { est_layout, NULL, NULL, est_submit, NULL, NULL };

static int build(con_dialog *d, est_state *s)
{
	char intro[CON_MSG_MAX];

	s->spec->intro(s->a->current, intro, sizeof(intro));
	s->intro = con_dialog_add(d, con_textbox_new("intro", 0, NULL));
	if (s->intro)
		con_textbox_set(s->intro, intro, ROLE_DIALOG);
	if (!s->intro || con_picker_add(&s->picker, s->a, d, "&Domain:", changed) < 0)
		return -1;
	s->password = con_dialog_add(d, con_entry_new("password", s->spec->password_label,
						      SECRET_MAX / 4, 1, s->spec->password_help));
	if (s->spec->confirm)
		s->confirm = con_dialog_add(d, con_entry_new("confirm", "&Confirm Password:",
							     SECRET_MAX / 4, 1,
			"The initial password again, to be sure it is the one you meant."));
	d->msg = con_dialog_add(d, con_textbox_new("message", 1,
		"What is missing, what the model refused, or what happened. Arrows scroll it."));
	s->ok = con_dialog_add(d, con_button_new("ok", "&OK", con_dialog_ok_pressed,
		"Carry out the operation. OK stays disabled until every field is valid."));
	s->cancel = con_dialog_add(d, con_button_new("cancel", "Cancel", con_dialog_cancel_pressed,
		"Close this dialog. Nothing is written that was not written already."));
	if (!s->password || (s->spec->confirm && !s->confirm) || !d->msg || !s->ok || !s->cancel)
		return -1;
	s->password->on_change = changed;
	if (s->confirm)
		s->confirm->on_change = s->confirm->on_leave = changed;
	d->ok = s->ok;
	d->cancel = s->cancel;
	d->help = s->spec->help;
	return 0;
}

/* con_establish_dialog: build, validate, run. */
void con_establish_dialog(con_app *a, const est_spec *spec)
{
	est_state s;
	con_dialog *d;

	memset(&s, 0, sizeof(s));
	s.a = a;
	s.spec = spec;
	if (!con_app_current(a)) {
		con_msg_box(spec->title, ROLE_ERROR, "The store holds no domains yet. Add them with "
			    "'trustmgr domain add' (or 'trustmgr demo'), then press Ctrl-L.");
		return;
	}
	d = con_dialog_new(spec->name, spec->title, &est_ops, &s);
	if (d && build(d, &s) == 0) {
		validate(d);
		con_dialog_focus(d, s.picker.entry);
		con_dialog_run(d);
	} else {
		con_msg_box(spec->title, ROLE_ERROR, "Out of memory: the dialog could not be built.");
	}
	con_dialog_free(&d);
}
