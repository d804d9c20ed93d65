/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* remove.c - Remove: the confirmation ("Remove the trust with X?")
 * with "Also remove X's side", the plan it will run, then the run. From
 * Trusted Domains it takes away the outbound direction, from Trusting
 * Domains the inbound one; a two-way trust keeps the other direction.
 * Removed from this side only, the result says what is left on the other
 * side (nothing: no word of the other administrator) and, when trustmgr
 * manages that domain, offers "Also remove X's side now". */
#include <stdio.h>
#include <string.h>

#include "ui/console/dialogs/dialogs.h"

typedef struct remove_state {
	con_app *a;
	svc_row row;
	uint32_t direction;
	con_widget *question, *note, *both, *steps, *ok, *cancel;
	int refused;
} remove_state;

static void options(const remove_state *s, wf_options *o)
{
	workflow_options_init(o);
	o->remove_direction = s->direction;
	o->remove_sides_both = con_check_get(s->both);
}

/* Plan with the options shown; the steps (or the refusal) on show. */
static void preview(con_dialog *d)
{
	remove_state *s = d->ctx;
	char text[CON_STEPS_MAX];
	tm_plan *p = NULL;
	tm_error e;
	wf_options o;

	options(s, &o);
	error_clear(&e);
	s->refused = con_service_plan(s->a->svc, SVC_REMOVE, s->a->current, s->row.partner, &o, &p, &e) < 0;
	if (s->refused) {
		con_dialog_format_error(&e, text, sizeof(text));
		con_textbox_set(s->steps, "", ROLE_DIALOG);
		con_dialog_message(d, ROLE_ERROR, "%s", text);
	} else {
		con_op_plan_describe(p, text, sizeof(text));
		con_textbox_set(s->steps, text, ROLE_DIALOG);
		con_dialog_clear_message(d);
	}
	con_dialog_set_plan(d, p);
	con_widget_enable(s->ok, !s->refused);
}

static void toggled(con_widget *w)
{
	preview(w->dlg);
}

/* The plan that removes the other side's end of the removed direction
 * (from the partner: the reverse direction), or NULL when the partner holds
 * nothing for it or trustmgr does not manage the partner. */
static tm_plan *other_side_plan(const remove_state *s)
{
	wf_options o;
	tm_plan *p = NULL;
	tm_error e;

	if (!s->row.domain[0])
		return NULL;
	workflow_options_init(&o);
	o.remove_direction = s->direction == TRUST_DIRECTION_OUTBOUND ? TRUST_DIRECTION_INBOUND
			     : TRUST_DIRECTION_OUTBOUND;
	error_clear(&e);
	if (con_service_plan(s->a->svc, SVC_REMOVE, s->row.domain, s->a->current, &o, &p, &e) < 0 ||
	    !plan_touches(p, s->row.domain)) {
		plan_free(&p);
		return NULL;
	}
	return p;
}

/* What went and what stays, in the words of the list it was removed from.
 * *left: the plan that removes what is left on the other side, or NULL. */
static void removed_text(const remove_state *s, int both, tm_plan **left, char *buf, size_t n)
{
	const char *me = s->a->current, *other = s->row.netbios;
	int outbound = s->direction == TRUST_DIRECTION_OUTBOUND;
	const char *trusting = outbound ? me : other, *trusted = outbound ? other : me;
	size_t len;

	*left = both ? NULL : other_side_plan(s);
	if (both)
		snprintf(buf, n, "%s no longer trusts %s: the trust was removed on both sides.",
			 trusting, trusted);
	else if (*left)
		snprintf(buf, n, "%s no longer trusts %s: the trust was removed on %s's side only. "
			 "%s's side is still there: trustmgr manages %s too, so \"Also remove %s's "
			 "side now\" removes it; or later by hand: choose %s (F6), select %s in %s "
			 "Domains, Remove.", trusting, trusted, me, other, other, other, other, me,
			 outbound ? "Trusting" : "Trusted");
	else if (s->row.domain[0])
		snprintf(buf, n, "%s no longer trusts %s: the trust was removed. %s holds nothing "
			 "for it, so nothing is left to remove there.", trusting, trusted, other);
	else
		snprintf(buf, n, "%s no longer trusts %s: the trust was removed on %s's side only. "
			 "trustmgr does not manage %s: if %s has a side of this trust, its "
			 "administrator removes it (Remove, in %s's %s Domains).", trusting, trusted,
			 me, other, other, other, outbound ? "Trusting" : "Trusted");
	if (s->row.direction == TRUST_DIRECTION_BIDIRECTIONAL) {
		len = strlen(buf);
		snprintf(buf + len, n - len, " The trust in the other direction stays: %s still "
			 "trusts %s.", trusted, trusting);
	}
	len = strlen(buf);
	if (*left && len + 1 < n)
		snprintf(buf + len, n - len, "\n\nCommand line: trustmgr remove %s %s --direction %s",
			 s->row.domain, me, outbound ? "inbound" : "outbound");
}

/* Removed on this side only and the other side is left: remove it too now
 * when the operator agrees. */
static void remove_other(remove_state *s, const char *title, tm_plan *left, const char *text)
{
	char yes[NAME_DNS_MAX + 40], title2[NAME_DNS_MAX + 16];
	static char result[CON_TEXT_MAX];
	tm_error e;
	int rc;

	snprintf(yes, sizeof(yes), "&Also remove %s's side now", s->row.netbios);
	if (!con_msg_confirm(title, text, yes, "&Close"))
		return;
	snprintf(title2, sizeof(title2), "Remove: %s", s->row.domain);
	error_clear(&e);
	rc = con_op_run(s->a, title2, left, NULL, &e);
	con_op_describe(s->a, left, rc, &e, result, sizeof(result));
	if (con_op_committed(left, rc, &e))
		s->a->committed = 1;
	if (rc == TM_OK)
		snprintf(result, sizeof(result), "%s's side is removed too: the trust between %s and "
			 "%s is removed on both sides.", s->row.netbios, s->a->current,
			 s->row.netbios);
	con_msg_box(title2, rc == TM_OK ? ROLE_GOOD : ROLE_ERROR, result);
}

static int remove_submit(con_dialog *d)
{
	remove_state *s = d->ctx;
	char title[NAME_DNS_MAX + 16];
	static char text[CON_TEXT_MAX];
	tm_plan *p = NULL;
	tm_error e;
	wf_options o;
	int rc;

	options(s, &o);
	error_clear(&e);
	if (con_service_plan(s->a->svc, SVC_REMOVE, s->a->current, s->row.partner, &o, &p, &e) < 0) {
		con_dialog_error(d, &e);
		return 0;
	}
	snprintf(title, sizeof(title), "Remove: %s", s->row.netbios);
	rc = con_op_run(s->a, title, p, NULL, &e);
	con_op_describe(s->a, p, rc, &e, text, sizeof(text));
	if (con_op_committed(p, rc, &e)) {
		s->a->committed = 1;
		con_dialog_set_committed(d);
	}
	plan_free(&p);
	if (rc != TM_OK) {
		preview(d);        /* what is left to remove */
		con_dialog_message(d, ROLE_ERROR, "%s", text);
		return 0;
	}
	removed_text(s, o.remove_sides_both, &p, text, sizeof(text));
	if (p)
		remove_other(s, title, p, text);
	else
		con_msg_box(title, ROLE_GOOD, text);
	plan_free(&p);
	return 1;
}

static void remove_layout(con_dialog *d, int cols, int rows)
{
	remove_state *s = d->ctx;
	con_widget *buttons[2] = { s->ok, s->cancel };
	int h = rows - 2 < 20 ? rows - 2 : 20, room, msg_h, W;

	con_dialog_center(d, 68, h, cols, rows);
	W = d->width - 4;
	con_widget_place(s->question, 1, 2, 1, W);
	con_widget_place(s->note, 2, 2, 2, W);
	con_widget_place(s->both, 4, 2, 1, W);
	room = d->height - 10;             /* rows 6 .. height-5 for the steps and the message */
	msg_h = con_textbox_lines(d->msg, W - 1);
	if (msg_h > room / 2 + 1 || (msg_h > 0 && room - msg_h < 2))
		msg_h = room / 2 + 1;
	con_widget_place(s->steps, 6, 2, room - msg_h - (msg_h > 0) < 1 ? 1 : room - msg_h -
			 (msg_h > 0), W);
	con_dialog_place_message(d, d->height - 4 - msg_h, 2, msg_h < 1 ? 1 : msg_h, W);
	con_dialog_button_row(d, d->height - 2, buttons, 2);
}

static const con_dialog_ops remove_ops = { remove_layout, NULL, NULL, remove_submit, NULL, NULL };

static void texts(remove_state *s, char *q, size_t nq, char *note, size_t nn)
{
	const char *me = s->a->current, *other = s->row.netbios;
	int outbound = s->direction == TRUST_DIRECTION_OUTBOUND;
	int two_way = s->row.direction == TRUST_DIRECTION_BIDIRECTIONAL;

	snprintf(q, nq, "Remove the trust with %s from %s Domains of %s?", other,
		 outbound ? "Trusted" : "Trusting", me);
	snprintf(note, nn, "%s will no longer trust %s.%s", outbound ? me : other,
		 outbound ? other : me, two_way ? " The trust in the other direction stays." : "");
}

static int build(con_dialog *d, remove_state *s)
{
	char q[3 * NAME_DNS_MAX], note[3 * NAME_DNS_MAX], both[NAME_DNS_MAX + 40];

	texts(s, q, sizeof(q), note, sizeof(note));
	snprintf(both, sizeof(both), "&Also remove %s's side", s->row.netbios);
	s->question = con_dialog_add(d, con_label_new("question", q, ROLE_DIALOG));
	s->note = con_dialog_add(d, con_textbox_new("note", 0, NULL));
	s->both = con_dialog_add(d, con_check_new("both-sides", both, 0,
		"Checked: the trust is removed from both domains. Unchecked: from this domain only; "
		"the other domain's administrator then removes their side. A trust broken at one "
		"end cannot be repaired from that end alone: remove both ends and create it again."));
	s->steps = con_dialog_add(d, con_textbox_new("steps", 1,
		"What Remove will write, domain by domain. Arrows scroll."));
	d->msg = con_dialog_add(d, con_textbox_new("message", 1,
		"What the model refused, or what happened. Arrows scroll it."));
	s->ok = con_dialog_add(d, con_button_new("remove", "&Remove", con_dialog_ok_pressed,
						 "Remove the trust as shown."));
	s->cancel = con_dialog_add(d, con_button_new("cancel", "Cancel", con_dialog_cancel_pressed,
						     "Keep the trust."));
	if (!s->question || !s->note || !s->both || !s->steps || !d->msg || !s->ok || !s->cancel)
		return -1;
	con_textbox_set(s->note, note, ROLE_HINT);
	s->both->on_change = toggled;
	if (!s->row.domain[0]) {
		con_widget_enable(s->both, 0);
		con_widget_invalid(s->both, NULL);
	}
	d->ok = s->ok;
	d->cancel = s->cancel;
	d->help = "Remove takes the trust out of this list. With \"Also remove\" checked it is "
		  "removed from the other domain too (when trustmgr knows that domain).";
	return 0;
}

/* con_remove_dialog: confirm, then remove. */
void con_remove_dialog(con_app *a, const svc_row *row, uint32_t direction)
{
	remove_state s;
	con_dialog *d;

	memset(&s, 0, sizeof(s));
	s.a = a;
	s.row = *row;
	s.direction = direction;
	d = con_dialog_new("remove", "Remove Trust", &remove_ops, &s);
	if (d && build(d, &s) == 0) {
		preview(d);
		con_dialog_focus(d, s.refused ? s.cancel : s.ok);
		con_dialog_run(d);
	}
	con_dialog_free(&d);
}
