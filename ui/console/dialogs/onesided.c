/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* onesided.c - Reset This Side Only (forest recovery, netdom trust
 * /resetOneSide /passwordT): the password typed twice becomes both the
 * current and the previous secret of this side of the trust. Then the
 * other side needs the same password: when trustmgr manages that domain
 * too, "Also reset X's side now" does it with the password just typed;
 * otherwise the console steps say how (the command line as a detail). */
#include <stdio.h>
#include <string.h>

#include "model/secret.h"
#include "ui/console/dialogs/dialogs.h"

typedef struct onesided_state {
	con_app *a;
	const char *partner, *label;
	con_widget *intro, *password, *confirm, *ok, *cancel;
	int refused;
	int ran;
} onesided_state;

static void validate(con_dialog *d)
{
	onesided_state *s = d->ctx;
	static char text[CON_TEXT_MAX];
	const char *why = NULL;

	if (s->refused)
		return;        /* the refusal stays on show, OK stays disabled */
	if (!con_entry_len(s->password))
		why = "Type the password both sides will use.";
	else if (!con_entry_len(s->confirm))
		why = "Type the password again in Confirm Password.";
	else if (!con_entry_equal(s->password, s->confirm))
		why = con_entry_complete(s->confirm) ? "The two passwords do not match: type them "
			"again." : "Type the password again in Confirm Password.";
	con_widget_invalid(s->confirm, con_entry_complete(s->confirm) &&
			   !con_entry_equal(s->password, s->confirm) ? why : NULL);
	con_widget_enable(s->ok, why == NULL);
	if (why || !d->plan) {
		con_dialog_message(d, ROLE_HINT, "%s", why ? why : "Press Enter (OK) to reset this "
				   "side.");
		return;
	}
	con_op_plan_preview(d->plan, "Nothing has been written yet; OK writes exactly this:", text,
			 sizeof(text));
	con_dialog_message(d, ROLE_HINT, "%s", text);
}

static void changed(con_widget *w)
{
	validate(w->dlg);
}

/* This side is reset: say what the other side needs, and do it now when
 * trustmgr can (it manages the other domain) and the operator agrees. */
/* Does the trust verify now (the other side already had this password)? */
static int trust_works(onesided_state *s)
{
	tm_plan *p = NULL;
	tm_error e;
	int rc;

	error_clear(&e);
	if (con_service_plan(s->a->svc, SVC_VERIFY, s->a->current, s->partner, NULL, &p, &e) < 0)
		return 0;
	rc = con_service_run(s->a->svc, p, NULL, NULL, NULL, &e);
	plan_free(&p);
	return rc == TM_OK;
}

static void other_side(onesided_state *s, const char *title, const char *pw)
{
	const tm_domain *o = con_app_find(s->a, s->partner);
	static char text[CON_TEXT_MAX];
	char yes[NAME_DNS_MAX + 40], title2[NAME_DNS_MAX + 40], other[NAME_DNS_MAX];
	tm_plan *p = NULL;
	tm_error e;
	int rc, can;

	snprintf(other, sizeof(other), "%s", o ? o->name : s->label);   /* a run reloads domains */
	if (trust_works(s)) {
		snprintf(text, sizeof(text), "%s's side of the trust with %s is reset, and both "
			 "sides now have the same password: the trust verifies.", s->a->current,
			 s->label);
		con_msg_box(title, ROLE_GOOD, text);
		return;
	}
	error_clear(&e);
	can = o && con_service_plan(s->a->svc, SVC_RESET_ONE_SIDE, other, s->a->current, NULL,
				    &p, &e) == 0;
	snprintf(text, sizeof(text), "%s's side of the trust with %s is reset: its current and "
		 "previous secret are both the password you typed. Until %s's side has the same "
		 "password, the trust does not work.\n\n", s->a->current, s->label, other);
	if (can)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "trustmgr manages %s too: "
			 "\"Also reset %s's side now\" gives it the same password. ", other, other);
	if (o)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s: choose %s (F6), "
			 "open the Properties of its trust with %s, then Reset This Side Only with "
			 "the same password.", can ? "Or later by hand" : "By hand", other,
			 s->a->current);
	else
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s's administrator "
			 "resets %s's side with the same password.", other, other);
	snprintf(text + strlen(text), sizeof(text) - strlen(text), "\n\nCommand line: trustmgr "
		 "reset-one-side %s %s", other, s->a->current);
	if (!can) {
		con_msg_box(title, ROLE_GOOD, text);
		return;
	}
	snprintf(yes, sizeof(yes), "&Also reset %s's side now", other);
	if (!con_msg_confirm(title, text, yes, "&Close")) {
		plan_free(&p);
		return;
	}
	snprintf(title2, sizeof(title2), "Reset This Side Only: %s", other);
	rc = con_op_run(s->a, title2, p, pw, &e);
	con_op_describe(s->a, p, rc, &e, text, sizeof(text));
	if (con_op_committed(p, rc, &e))
		s->a->committed = 1;
	plan_free(&p);
	if (rc == TM_OK && trust_works(s))
		snprintf(text, sizeof(text), "%s's side of the trust with %s now has the same "
			 "password as %s's: the trust verifies.", other, s->a->current, s->a->current);
	con_msg_box(title2, rc == TM_OK ? ROLE_GOOD : ROLE_ERROR, text);
}

static int onesided_submit(con_dialog *d)
{
	onesided_state *s = d->ctx;
	char pw[SECRET_MAX + 1], title[NAME_DNS_MAX + 40];
	static char text[CON_TEXT_MAX];
	tm_plan *p = NULL;
	tm_error e;
	int rc;

	con_entry_set_complete(s->confirm);
	validate(d);
	if (!s->ok->enabled)
		return 0;
	error_clear(&e);
	if (con_service_plan(s->a->svc, SVC_RESET_ONE_SIDE, s->a->current, s->partner, NULL, &p, &e) < 0) {
		con_dialog_error(d, &e);
		return 0;
	}
	snprintf(title, sizeof(title), "Reset This Side Only: %s", s->label);
	con_entry_get(s->password, pw, sizeof(pw));
	rc = con_op_run(s->a, title, p, pw, &e);
	con_op_describe(s->a, p, rc, &e, text, sizeof(text));
	if (con_op_committed(p, rc, &e)) {
		s->a->committed = 1;
		con_dialog_set_committed(d);
		s->ran = 1;
	}
	plan_free(&p);
	if (rc != TM_OK) {          /* the password was used: type it again to retry */
		secret_wipe(pw, sizeof(pw));
		con_entry_wipe(s->password);
		con_entry_wipe(s->confirm);
		con_widget_enable(s->ok, 0);
		con_dialog_focus(d, s->password);
		con_dialog_message(d, ROLE_ERROR, "%s", text);
		return 0;
	}
	other_side(s, title, pw);
	secret_wipe(pw, sizeof(pw));
	return 1;
}

static void onesided_layout(con_dialog *d, int cols, int rows)
{
	onesided_state *s = d->ctx;

	con_password_layout(d, cols, rows, 20, 11, s->intro, s->password, s->confirm, s->ok,
			    s->cancel);
}

static const con_dialog_ops onesided_ops = {
	onesided_layout, NULL, NULL, onesided_submit, NULL, NULL,
};

static int build(con_dialog *d, onesided_state *s)
{
	char intro[CON_MSG_MAX];

	snprintf(intro, sizeof(intro), "Forest recovery: %s's side of its trust with %s gets this "
		 "password as both its current and previous secret, so no old secret stays valid. "
		 "Do the same on %s's side with the same password; until both sides are reset the "
		 "trust does not verify.", s->a->current, s->label, s->label);
	s->intro = con_dialog_add(d, con_textbox_new("intro", 0, NULL));
	s->password = con_dialog_add(d, con_entry_new("password", "&New Password:", SECRET_MAX / 4,
		1, "The password both sides of the trust will share (netdom's passwordT). Shown as "
		"one '*' per character."));
	s->confirm = con_dialog_add(d, con_entry_new("confirm", "&Confirm Password:", SECRET_MAX / 4,
		1, "The same password again."));
	d->msg = con_dialog_add(d, con_textbox_new("message", 1,
		"What is missing, what the model refused, or what happened. Arrows scroll it."));
	s->ok = con_dialog_add(d, con_button_new("ok", "&OK", con_dialog_ok_pressed,
		"Reset this side. OK stays disabled until both fields hold the same password."));
	s->cancel = con_dialog_add(d, con_button_new("cancel", "Cancel", con_dialog_cancel_pressed,
		"Close without resetting anything."));
	if (!s->intro || !s->password || !s->confirm || !d->msg || !s->ok || !s->cancel)
		return -1;
	con_textbox_set(s->intro, intro, ROLE_DIALOG);
	s->password->on_change = s->confirm->on_change = changed;
	s->confirm->on_leave = changed;
	d->ok = s->ok;
	d->cancel = s->cancel;
	d->help = "Reset This Side Only is the forest recovery reset (netdom trust /resetOneSide "
		  "/passwordT): it writes the password twice on this side only. Run it on each "
		  "side of the trust with the same password.";
	return 0;
}

/* con_onesided_dialog: 1 when the reset ran. */
int con_onesided_dialog(con_app *a, const char *partner, const char *label)
{
	onesided_state s;
	con_dialog *d;
	char title[NAME_DNS_MAX + 40];
	tm_plan *p = NULL;
	tm_error e;

	memset(&s, 0, sizeof(s));
	s.a = a;
	s.partner = partner;
	s.label = label;
	snprintf(title, sizeof(title), "Reset This Side Only: %s", label);
	d = con_dialog_new("reset-one-side", title, &onesided_ops, &s);
	if (d && build(d, &s) == 0) {
		error_clear(&e);
		if (con_service_plan(a->svc, SVC_RESET_ONE_SIDE, a->current, partner, NULL, &p, &e) < 0) {
			validate(d);
			s.refused = 1;
			con_widget_enable(s.ok, 0);
			con_dialog_error(d, &e);
		} else {
			con_dialog_set_plan(d, p);
			validate(d);
		}
		con_dialog_focus(d, s.password);
		con_dialog_run(d);
	}
	con_dialog_free(&d);
	return s.ran;
}
