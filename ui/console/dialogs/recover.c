/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* recover.c - the Forest Recovery walkthrough (netdom trust
 * /resetOneSide /passwordT for every trust of a restored domain): pick the
 * restored domain, type the password twice, see the checklist of its
 * trusts and where each partner stands, preview the plan per domain, run it
 * with progress; the result says which partners still need the same
 * password, and for the partners trustmgr manages offers to reset their
 * sides too, then verifies each trust. An interrupted run is resumed from
 * Interrupted Plan (resume.c), which comes back here for the partners. */
#include <stdio.h>
#include <string.h>

#include "model/secret.h"
#include "ui/console/dialogs/dialogs.h"

enum {
	PAGE_DOMAIN, PAGE_PASSWORD, PAGE_CHECKLIST, PAGE_PREVIEW, PAGE_RESULT, PAGE_PARTNERS,
	PAGE_DONE, PAGES
};

static const char *const page_names[PAGES] = {
	"Restored domain", "Password", "Checklist", "Preview", "Result", "Partners' sides",
	"Verified",
};

static const char *const mode_names[] = {
	"Reset its side of every trust, then its partners'",
	"Only its partners' sides (its own was reset)",
};

typedef struct recover {
	con_app *a;
	int page;
	char domain[DOMAIN_KEY_MAX];   /* the restored domain, once chosen */
	int partners_only;             /* the plan is recover-partners */
	wf_checklist cl;
	size_t managed;                /* partners whose side trustmgr can reset */
	con_widget *intro[PAGES];
	con_widget *domains, *mode, *password, *confirm, *checklist;
	con_widget *preview, *result, *partners_plan, *done;
	con_widget *back, *next, *run, *partners, *cancel;
} recover;

static void append(char *buf, size_t n, const char *s)
{
	size_t len = strlen(buf);

	if (len + 1 < n)
		snprintf(buf + len, n - len, "%s", s);
}

/* ---- words --------------------------------------------------------------------- */

static const char *state_words(wf_partner_state st)
{
	switch (st) {
	case WF_PARTNER_MANAGED: return "managed here";
	case WF_PARTNER_ELSEWHERE: return "not managed here";
	case WF_PARTNER_ONE_SIDED: return "one-sided: holds no end";
	case WF_PARTNER_UNREACHABLE: return "managed, not answering";
	}
	return "";
}

/* What is left on one partner's side, in a sentence. */
static void partner_todo(const recover *z, const wf_check_item *it, char *buf, size_t n)
{
	switch (it->state) {
	case WF_PARTNER_MANAGED:
		snprintf(buf, n, "%s: managed here; \"Also reset the partners' sides now\" gives it "
			 "the same password.", it->label);
		break;
	case WF_PARTNER_ELSEWHERE:
		snprintf(buf, n, "%s: not managed here; its administrator resets its side with the "
			 "same password (netdom trust /resetOneSide, or trustmgr reset-one-side %s %s).",
			 it->label, it->label, z->domain);
		break;
	case WF_PARTNER_ONE_SIDED:
		snprintf(buf, n, "%s: holds no end of this trust, so no password can make it work: "
			 "recreate it (Health, or Recreate... in Properties).", it->label);
		break;
	case WF_PARTNER_UNREACHABLE:
		snprintf(buf, n, "%s: managed here, but its servers did not answer: when they are "
			 "back, run Forest Recovery for %s again and choose its partners' sides.",
			 it->label, z->domain);
		break;
	}
}

/* "Still to do on the partners' sides:" and a line per partner not yet
 * done (after the partners' run: those it could not do). */
static void todo_text(const recover *z, int after_partners, char *buf, size_t n)
{
	char line[DOMAIN_KEY_MAX * 3 + 400];
	size_t i, k = 0;

	for (i = 0; i < z->cl.n; i++) {
		const wf_check_item *it = &z->cl.items[i];

		if (after_partners && it->state == WF_PARTNER_MANAGED)
			continue;
		if (!k++)
			append(buf, n, "\n\nStill to do on the partners' sides:");
		partner_todo(z, it, line, sizeof(line));
		append(buf, n, "\n  ");
		append(buf, n, line);
	}
	if (!k && after_partners)
		append(buf, n, "\n\nNothing is left to do on the partners' sides.");
}

/* ---- planning -------------------------------------------------------------------- */

static size_t count_managed(const wf_checklist *cl)
{
	size_t i, k = 0;

	for (i = 0; i < cl->n; i++)
		k += cl->items[i].state == WF_PARTNER_MANAGED;
	return k;
}

/* Plan for the page about to be shown: recover, or recover-partners. On a
 * refusal the reason is shown and 0 returned. */
static int make_plan(con_dialog *d, int partners)
{
	recover *z = d->ctx;
	tm_plan *p = NULL;
	tm_error e;
	int rc;

	error_clear(&e);
	memset(&z->cl, 0, sizeof(z->cl));
	rc = partners ? con_service_recover_partners_plan(z->a->svc, z->domain, NULL, &p, &z->cl, &e)
		      : con_service_recover_plan(z->a->svc, z->domain, &p, &z->cl, &e);
	con_dialog_set_plan(d, rc == 0 ? p : NULL);
	if (rc < 0) {
		plan_free(&p);
		con_dialog_error(d, &e);
		return 0;
	}
	z->managed = count_managed(&z->cl);
	return 1;
}

static void fill_checklist(recover *z)
{
	size_t i;

	con_list_clear(z->checklist);
	for (i = 0; i < z->cl.n; i++) {
		const wf_check_item *it = &z->cl.items[i];
		const char *cells[4] = { it->label, trust_direction_name(it->direction),
					 trust_type_name(it->type), state_words(it->state) };

		con_list_add(z->checklist, cells, it->partner);
	}
	con_list_set_empty(z->checklist, "(this domain has no trusts)");
	con_list_select(z->checklist, 0);
}

static void show_preview(con_dialog *d, con_widget *where)
{
	static char text[CON_TEXT_MAX], steps[CON_STEPS_MAX];

	con_op_plan_describe(d->plan, steps, sizeof(steps));
	snprintf(text, sizeof(text), "Plan: %s.\n\nNothing has been written yet. Run writes "
		 "exactly this:\n\n", d->plan->summary);
	append(text, sizeof(text), steps);
	con_textbox_set(where, text, ROLE_DIALOG);
}

/* ---- pages ------------------------------------------------------------------------ */

static void set_title(con_dialog *d)
{
	recover *z = d->ctx;

	snprintf(d->title, sizeof(d->title), "Forest Recovery: %s", page_names[z->page]);
}

static void show_buttons(con_dialog *d)
{
	recover *z = d->ctx;
	int p = z->page, ran = p >= PAGE_RESULT;

	con_widget_show(z->back, !ran);
	con_widget_enable(z->back, p > PAGE_DOMAIN);
	con_widget_show(z->next, p < PAGE_PREVIEW);
	con_widget_show(z->run, p == PAGE_PREVIEW || p == PAGE_PARTNERS);
	con_widget_show(z->partners, p == PAGE_RESULT && z->managed > 0 && !z->partners_only);
	d->ok = p < PAGE_PREVIEW ? z->next : z->run->visible ? z->run
		: z->partners->visible ? z->partners : z->cancel;
	if (ran)
		con_widget_set_label(z->cancel, "&Close");
}

/* Show the widgets of the current page, the right buttons, the focus. */
static void show_page(con_dialog *d)
{
	recover *z = d->ctx;
	size_t i;

	for (i = 0; i < d->nw; i++)
		if (d->w[i]->tag >= 0)
			con_widget_show(d->w[i], d->w[i]->tag == z->page);
	show_buttons(d);
	set_title(d);
	d->ops->layout(d, COLS, LINES);
	d->focus = -1;
	for (i = 0; i < d->nw; i++)
		if (d->w[i]->tag == z->page && con_widget_can_focus(d->w[i]) &&
		    strcmp(d->w[i]->ops->kind, "text") != 0) {
			d->focus = (int)i;
			break;
		}
	if (d->focus < 0 || z->page >= PAGE_PREVIEW)
		con_dialog_focus(d, d->ok);
}

/* Why the page cannot be left forwards, or NULL. */
static const char *page_problem(recover *z)
{
	if (z->page == PAGE_DOMAIN && con_list_selected(z->domains) < 0)
		return "Choose the restored domain first.";
	if (z->page != PAGE_PASSWORD)
		return NULL;
	if (!con_entry_len(z->password))
		return "Type the password the trusts will share (netdom's passwordT), then again "
		       "in Confirm.";
	if (!con_entry_equal(z->password, z->confirm))
		return con_entry_complete(z->confirm) ? "The two passwords do not match: type them "
			"again." : "Type the password again in Confirm.";
	return NULL;
}

/* Typing in a password field: what is still missing, on show. */
static void typed(con_widget *w)
{
	recover *z = w->dlg->ctx;
	const char *why = page_problem(z);

	con_widget_invalid(z->confirm, why && con_entry_complete(z->confirm) ? why : NULL);
	con_dialog_message(w->dlg, why ? ROLE_HINT : ROLE_GOOD, "%s", why ? why :
			   "Press Enter (Next) to see the checklist of the domain's trusts.");
}

static void go(con_dialog *d, int page)
{
	recover *z = d->ctx;

	z->page = page;
	con_dialog_clear_message(d);
	if (page == PAGE_PASSWORD)
		typed(z->password);
	if (page == PAGE_CHECKLIST)
		fill_checklist(z);
	if (page == PAGE_PREVIEW)
		show_preview(d, z->preview);
	if (page == PAGE_PARTNERS)
		show_preview(d, z->partners_plan);
	show_page(d);
}

static void next_pressed(con_widget *w)
{
	con_dialog *d = w->dlg;
	recover *z = d->ctx;
	const char *why;

	if (z->page == PAGE_PASSWORD)
		con_entry_set_complete(z->confirm);
	why = page_problem(z);
	if (why) {
		if (z->page == PAGE_PASSWORD)
			con_widget_invalid(z->confirm, con_entry_complete(z->confirm) ? why : NULL);
		con_dialog_message(d, ROLE_ERROR, "%s", why);
		return;
	}
	if (z->page == PAGE_DOMAIN) {
		snprintf(z->domain, sizeof(z->domain), "%s",
			 con_list_key(z->domains, con_list_selected(z->domains)));
		z->partners_only = con_choice_get(z->mode) == 1;
	}
	if (z->page == PAGE_PASSWORD && !make_plan(d, z->partners_only))
		return;
	go(d, z->page + 1);
}

static void back_pressed(con_widget *w)
{
	recover *z = w->dlg->ctx;

	if (z->page > PAGE_DOMAIN && z->page <= PAGE_PREVIEW)
		go(w->dlg, z->page - 1);
}

/* ---- running ------------------------------------------------------------------------ */

static void ran(con_dialog *d, tm_plan *p, int rc, const tm_error *e, con_widget *where,
		int after_partners)
{
	recover *z = d->ctx;
	static char text[CON_TEXT_MAX];

	con_op_describe(z->a, p, rc, e, text, sizeof(text));
	if (rc == TM_OK)
		todo_text(z, after_partners, text, sizeof(text));
	con_textbox_set(where, text, rc == TM_OK ? ROLE_GOOD : ROLE_ERROR);
	if (con_op_committed(p, rc, e)) {
		z->a->committed = 1;
		con_dialog_set_committed(d);
	}
	if (rc != TM_OK)
		z->managed = 0;    /* nothing more is offered after a failure */
}

/* Run the plan on show with the typed password. */
static void run_pressed(con_widget *w)
{
	con_dialog *d = w->dlg;
	recover *z = d->ctx;
	int partners = z->partners_only || z->page == PAGE_PARTNERS;
	char pw[SECRET_MAX + 1], title[DOMAIN_KEY_MAX + 64];
	tm_error e;
	int rc;

	if (!d->plan)
		return;
	snprintf(title, sizeof(title), "Forest Recovery: %s%s", z->domain,
		 partners ? ", partners' sides" : "");
	con_entry_get(z->password, pw, sizeof(pw));
	rc = con_op_run(z->a, title, d->plan, pw, &e);
	secret_wipe(pw, sizeof(pw));
	if (partners || rc != TM_OK || !z->managed) {
		con_entry_wipe(z->password);   /* not needed any more */
		con_entry_wipe(z->confirm);
	}
	ran(d, d->plan, rc, &e, partners ? z->done : z->result, partners);
	go(d, partners ? PAGE_DONE : PAGE_RESULT);
}

/* Also reset the partners' sides now: their plan, previewed. */
static void partners_pressed(con_widget *w)
{
	con_dialog *d = w->dlg;

	if (make_plan(d, 1))
		go(d, PAGE_PARTNERS);
}

/* ---- layout ----------------------------------------------------------------------------- */

static void recover_layout(con_dialog *d, int cols, int rows)
{
	recover *z = d->ctx;
	con_widget *buttons[5] = { z->back, z->next, z->run, z->partners, z->cancel };
	con_widget *shown[5];
	int W, bottom, msg_h, i, n = 0;

	con_dialog_center(d, 74, rows - 2 < 22 ? rows - 2 : 22, cols, rows);
	W = d->width - 4;
	msg_h = con_textbox_lines(d->msg, W - 1);
	msg_h = msg_h < 2 ? 2 : msg_h > 3 ? 3 : msg_h;
	bottom = d->height - 4 - msg_h;    /* rows of a page's content */
	for (i = 0; i < PAGES; i++)
		if (z->intro[i])
			con_widget_place(z->intro[i], 1, 2, 3, W);
	con_widget_place(z->domains, 4, 2, bottom - 6, W);
	con_widget_place(z->mode, bottom - 1, 2, 2, W);
	con_widget_place(z->password, 5, 2, 1, W);
	con_widget_place(z->confirm, 6, 2, 1, W);
	z->password->label_w = z->confirm->label_w = 20;
	con_widget_place(z->checklist, 4, 2, bottom - 3, W);
	con_widget_place(z->preview, 1, 2, bottom, W);
	con_widget_place(z->result, 1, 2, bottom, W);
	con_widget_place(z->partners_plan, 1, 2, bottom, W);
	con_widget_place(z->done, 1, 2, bottom, W);
	con_dialog_place_message(d, d->height - 3 - msg_h, 2, msg_h, W);
	for (i = 0; i < 5; i++)
		if (buttons[i]->visible)
			shown[n++] = buttons[i];
	con_dialog_button_row(d, d->height - 2, shown, (size_t)n);
}

static void recover_free(con_dialog *d)
{
	recover *z = d->ctx;

	con_entry_wipe(z->password);
	con_entry_wipe(z->confirm);
}

static const con_dialog_ops recover_ops = {
	recover_layout, NULL, NULL, NULL, NULL, recover_free,
};

/* ---- building ------------------------------------------------------------------------------ */

static con_widget *body(con_dialog *d, int page, const char *name)
{
	return con_dialog_page(con_dialog_add(d, con_textbox_new(name, 1, "What the page says; arrows and "
		"PgUp/PgDn scroll.")), page);
}

static void fill_domains(recover *z, const char *want)
{
	char where[NAME_DNS_MAX + 16];
	size_t i;

	for (i = 0; i < z->a->ndomains; i++) {
		const tm_domain *d = &z->a->domains[i];
		const char *cells[2] = { d->name, where };

		con_app_domain_where(d, where, sizeof(where));
		con_list_add(z->domains, cells, d->name);
	}
	con_list_set_empty(z->domains, "(no domains are known)");
	if (!want || !con_list_select_key(z->domains, want))
		con_list_select(z->domains, 0);
}

static int build_first(con_dialog *d, recover *z)
{
	z->intro[PAGE_DOMAIN] = con_dialog_page_intro(d, PAGE_DOMAIN, "Which domain was restored from backup? "
		"Each of its trusts gets the password you choose on its side only, as current and "
		"previous secret.");
	z->domains = con_dialog_page(con_dialog_add(d, con_list_new("domains", "&Restored domain:", 2, 1,
		"The domain restored from backup: its trusts are reset on its side.")), PAGE_DOMAIN);
	z->mode = con_dialog_page(con_dialog_add(d, con_choice_new("mode", "", mode_names, 2, 1,
		"Reset its side now, or (when that was done already, e.g. before an interruption "
		"was resumed) give its partners the same password.")), PAGE_DOMAIN);
	z->intro[PAGE_PASSWORD] = con_dialog_page_intro(d, PAGE_PASSWORD, "The password every trust of the "
		"domain will share (netdom's passwordT); the partners' sides need the same one. "
		"Shown as one '*' per character.");
	z->password = con_dialog_page(con_dialog_add(d, con_entry_new("password", "&Password:",
		SECRET_MAX / 4, 1, "The password both sides of each trust will share.")),
		PAGE_PASSWORD);
	z->confirm = con_dialog_page(con_dialog_add(d, con_entry_new("confirm", "&Confirm Password:",
		SECRET_MAX / 4, 1, "The same password again.")), PAGE_PASSWORD);
	if (!z->intro[PAGE_DOMAIN] || !z->domains || !z->mode || !z->intro[PAGE_PASSWORD] ||
	    !z->password || !z->confirm)
		return -1;
	z->password->on_change = z->confirm->on_change = typed;
	z->confirm->on_leave = typed;
	return 0;
}

static int build_rest(con_dialog *d, recover *z)
{
	z->intro[PAGE_CHECKLIST] = con_dialog_page_intro(d, PAGE_CHECKLIST, "Every trust of the domain and "
		"where its partner stands. Partners managed here can get the same password from "
		"here; the others need their administrators.");
	z->checklist = con_dialog_page(con_dialog_add(d, con_list_new("checklist", "&Trusts:", 4, 3,
		"Partner, direction, type, and where the partner stands.")), PAGE_CHECKLIST);
	z->preview = body(d, PAGE_PREVIEW, "preview");
	z->result = body(d, PAGE_RESULT, "result");
	z->partners_plan = body(d, PAGE_PARTNERS, "partners-preview");
	z->done = body(d, PAGE_DONE, "partners-result");
	d->msg = con_dialog_add(d, con_textbox_new("message", 1, "What is missing, what the rules "
		"refused, or what to do next. Arrows scroll it."));
	z->back = con_dialog_add(d, con_button_new("back", "< &Back", back_pressed,
		"The previous page; nothing is lost."));
	z->next = con_dialog_add(d, con_button_new("next", "&Next >", next_pressed,
		"The next page. Nothing is written before Run."));
	z->run = con_dialog_add(d, con_button_new("run", "R&un", run_pressed,
		"Run the plan shown, with progress."));
	z->partners = con_dialog_add(d, con_button_new("partners", "Also reset the &partners' "
		"sides now...", partners_pressed, "The same password on the side of every partner "
		"trustmgr manages, then each trust verified. Shows the plan first."));
	z->cancel = con_dialog_add(d, con_button_new("cancel", "Cancel", con_dialog_cancel_pressed,
		"Leave the walkthrough. Before Run nothing has been written."));
	if (!z->intro[PAGE_CHECKLIST] || !z->checklist || !z->preview || !z->result ||
	    !z->partners_plan || !z->done || !d->msg || !z->back || !z->next || !z->run ||
	    !z->partners || !z->cancel)
		return -1;
	d->msg->tag = z->back->tag = z->next->tag = z->run->tag = z->partners->tag = -1;
	z->cancel->tag = -1;
	d->cancel = z->cancel;
	d->help = "Forest recovery, as netdom trust /resetOneSide /passwordT does it: every "
		  "trust of the restored domain gets the chosen password on the domain's side "
		  "only, as both current and previous secret. Each trust works again once its "
		  "partner's side has the same password: trustmgr does that for the partners it "
		  "manages; the others need their administrators.";
	return 0;
}

/* con_recover_dialog: from the first page (or the password page of the
 * partners' sides) to the result. */
void con_recover_dialog(con_app *a, const char *domain, int partners_only)
{
	recover z;
	con_dialog *d;

	memset(&z, 0, sizeof(z));
	z.a = a;
	if (!a->ndomains) {
		con_msg_box("Forest Recovery", ROLE_ERROR, "The store holds no domains yet. Add them "
			    "with 'trustmgr domain add' (or 'trustmgr demo'), then press Ctrl-L.");
		return;
	}
	d = con_dialog_new("forest-recovery", "Forest Recovery", &recover_ops, &z);
	if (d && build_first(d, &z) == 0 && build_rest(d, &z) == 0) {
		fill_domains(&z, domain ? domain : a->current);
		con_choice_set(z.mode, partners_only ? 1 : 0);
		go(d, PAGE_DOMAIN);
		if (domain && partners_only)
			next_pressed(z.next);  /* the domain is known: straight to the password */
		con_dialog_run(d);
	}
	con_dialog_free(&d);
}
