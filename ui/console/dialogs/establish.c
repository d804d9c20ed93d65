/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* establish.c - the dialog behind Permit Domain to Trust and Add Trusted
 * Domain (establish.h): validation as the operator types (the domain is
 * known, the passwords are there and equal, the model accepts the plan),
 * OK disabled until then, and on OK the plan run with the password; a
 * failure keeps the dialog and its input and says what to do. When a wrong
 * initial password used up the one chance, it says the console steps that
 * permit the domain again, and, when trustmgr manages the trusted domain
 * too, offers "Permit Again Now" (the plan health's fix makes), with the
 * command line equivalent as a detail. */
#include "ui/console/dialogs/establish.h"

#include <stdio.h>
#include <string.h>

#include "model/secret.h"
#include "ui/console/text.h"

typedef struct est_state {
	con_app *a;
	const est_spec *spec;
	con_picker picker;
	con_widget *intro, *password, *confirm, *ok, *again, *cancel;
	char planned[DOMAIN_KEY_MAX];  /* the partner the current plan check is for */
	int refused;                   /* the model refused that plan */
	tm_error refusal;
} est_state;

static int chance_gone(const est_state *s, const tm_error *e);
static tm_plan *again_plan(const est_state *s, const tm_domain *partner, tm_error *e);

/* Show "Permit Again Now" when trustmgr can permit partner again (NULL:
 * hide it). */
static void offer_again(est_state *s, const tm_domain *partner)
{
	tm_plan *p = NULL;
	tm_error e;
	int show = 0;

	error_clear(&e);
	if (partner && (p = again_plan(s, partner, &e)))
		show = 1;
	plan_free(&p);
	if (show != s->again->visible) {
		con_widget_show(s->again, show);
		s->again->dlg->ops->layout(s->again->dlg, COLS, LINES);
	}
}

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
	offer_again(s, s->refused && chance_gone(s, &s->refusal) ? partner : NULL);
}

/* The one chance was used (a wrong initial password now or before). */
static int chance_gone(const est_state *s, const tm_error *e)
{
	return s->spec->op == SVC_TRUST && e->status &&
	       (strcmp(e->status, ST_WRONG_PASSWORD) == 0 ||
		strcmp(e->status, ST_ACCOUNT_LOCKED_OUT) == 0);
}

/* The plan that permits the domain again and trusts it (health's fix of
 * "one chance used"), or NULL when trustmgr cannot make it (the trusted
 * domain is not one it manages). */
static tm_plan *again_plan(const est_state *s, const tm_domain *partner, tm_error *e)
{
	health_finding f;
	tm_plan *p = NULL;

	memset(&f, 0, sizeof(f));
	snprintf(f.domain, sizeof(f.domain), "%s", s->a->current);
	snprintf(f.partner_domain, sizeof(f.partner_domain), "%s", partner->name);
	snprintf(f.partner, sizeof(f.partner), "%s", partner->name);
	f.direction = TRUST_DIRECTION_OUTBOUND;
	f.kind = HK_CHANCE_USED;
	f.fix = FIX_REPERMIT;
	if (con_service_fix_plan(s->a->svc, &f, &p, e) < 0)
		return NULL;
	return p;
}

/* What to do after the one chance went: the console steps, the button
 * when there is one, the command line as a detail. */
static void chance_text(const est_state *s, const tm_error *e, int button, char *buf, size_t n)
{
	const char *me = s->a->current;
	char other[NAME_DNS_MAX];

	con_entry_get(s->picker.entry, other, sizeof(other));
	if (con_picker_domain(&s->picker))
		snprintf(other, sizeof(other), "%s", con_picker_domain(&s->picker)->name);
	snprintf(buf, n, "%s%s%s.\n\n", e->status, e->status ? ": " : "", e->what);
	if (button)
		error_append(buf, n, "To try again, press Permit Again Now: trustmgr manages ");
	snprintf(buf + strlen(buf), n - strlen(buf), "%s%s%s%s%s permits %s again with a new "
		 "initial password, then %s trusts %s with it. By hand: choose %s (F6), select "
		 "%s in Trusting Domains, Remove, then Permit Domain to Trust with a new "
		 "password; then Add Trusted Domain here again with it.\n\nCommand line: "
		 "trustmgr remove %s %s --direction inbound; trustmgr permit %s %s; trustmgr "
		 "trust %s %s", button ? other : "", button ? " too: " : "", button ? "" : other,
		 button ? "" : "'s administrator must permit it again: ", button ? other : "",
		 me, me, other, other, me, other, me, other, me, me, other);
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
		if (chance_gone(s, &s->refusal))
			chance_text(s, &s->refusal, s->again->visible, text, sizeof(text));
		else
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
	if (chance_gone(s, &e)) {
		offer_again(s, partner);
		chance_text(s, &e, s->again->visible, text, sizeof(text));
	}
	con_dialog_message(d, ROLE_ERROR, "%s", text);
	return 0;
}

/* Permit Again Now: the partner permits this domain again with a new
 * initial password (typed twice in the plan dialog), and this domain trusts
 * it with that password; on success the dialog closes. */
static void again_pressed(con_widget *w)
{
	con_dialog *d = w->dlg;
	est_state *s = d->ctx;
	const tm_domain *partner = con_picker_domain(&s->picker);
	char intro[CON_MSG_MAX + 6 * DOMAIN_KEY_MAX];
	con_plan_view v;
	tm_plan *p;
	tm_error e;
	int rc;

	error_clear(&e);
	if (!partner)
		error_fail(&e, TM_EUSAGE, NULL, "No known domain is named in the field, so "
			   "trustmgr cannot permit it again. Pick the trusted domain from the list.");
	if (!partner || !(p = again_plan(s, partner, &e))) {
		con_dialog_error(d, &e);
		return;
	}
	snprintf(intro, sizeof(intro), "The initial password %s gave %s is used up. %s removes "
		 "the used permission and permits %s again with the new initial password you type "
		 "below; then %s trusts %s with it.", partner->name, s->a->current, partner->name,
		 s->a->current, s->a->current, partner->name);
	memset(&v, 0, sizeof(v));
	v.name = "permit-again";
	v.title = "Permit Again";
	v.intro = intro;
	v.run_label = "&Run";
	v.help = "Permit the domain again with a new initial password, then trust it with that "
		 "password: what the other administrator would do, done here because trustmgr "
		 "manages both domains.";
	rc = con_plan_dialog(s->a, &v, p);
	plan_free(&p);
	s->planned[0] = '\0';
	if (rc == TM_OK) {
		con_dialog_close(d, CON_DLG_OK);
		return;
	}
	validate(d);
}

/* Rows: border, intro (2), blank, domain, list, password(s), blank,
 * message, blank, buttons, border. The message takes what it needs; the
 * list gives way down to one visible row. */
static void est_layout(con_dialog *d, int cols, int rows)
{
	est_state *s = d->ctx;
	con_widget *buttons[3] = { s->ok, s->again, s->cancel }, *shown[3];
	size_t nb = 0, i;
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
	for (i = 0; i < 3; i++)
		if (buttons[i]->visible)
			shown[nb++] = buttons[i];
	con_dialog_button_row(d, d->height - 2, shown, nb);
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
	s->again = con_dialog_add(d, con_button_new("again", "Permit &Again Now", again_pressed,
		"The one chance was used: the trusted domain permits this one again with a new "
		"initial password, then this domain trusts it with that password. Shown when "
		"trustmgr manages both domains."));
	s->cancel = con_dialog_add(d, con_button_new("cancel", "Cancel", con_dialog_cancel_pressed,
		"Close this dialog. Nothing is written that was not written already."));
	if (!s->password || (s->spec->confirm && !s->confirm) || !d->msg || !s->ok || !s->again ||
	    !s->cancel)
		return -1;
	con_widget_show(s->again, 0);
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
