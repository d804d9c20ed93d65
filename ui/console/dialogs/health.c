/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* dlg_health.c - the Health view: every trust of every known domain with
 * its state, the diagnosed cause in plain words, the evidence and the fix
 * offered. Fix previews the fix's plan per domain, runs it after
 * confirmation (a password only where the fix needs one), shows the result
 * and checks again. The diagnosis reads and verifies; it writes nothing. */
#include <stdio.h>
#include <string.h>

#include "ui/console/dialogs/dialogs.h"

#define ROW_KEY_MAX (DOMAIN_KEY_MAX + NAME_DNS_MAX + 32)

typedef struct health_state {
	con_app *a;
	svc_health_report r;
	con_widget *summary, *list, *details, *fix, *again, *close;
} health_state;

/* ---- words ------------------------------------------------------------------ */

static const char *kind_words(health_kind k)
{
	switch (k) {
	case HK_OK: return "ok";
	case HK_ONE_SIDED: return "one-sided";
	case HK_DIRECTION_MISMATCH: return "direction mismatch";
	case HK_TYPE_MISMATCH: return "type mismatch";
	case HK_ATTRIBUTE_MISMATCH: return "attribute mismatch";
	case HK_KVNO_MISMATCH: return "key version mismatch";
	case HK_PASSWORD_MISMATCH: return "password mismatch";
	case HK_MISSING_PRINCIPAL: return "principal missing";
	case HK_NO_COMMON_ENCTYPE: return "no common encryption";
	case HK_UNREACHABLE: return "unreachable";
	case HK_PENDING: return "pending";
	case HK_CHANCE_USED: return "one chance used";
	case HK_SECRET_OLD: return "secret old";
	case HK_NT4_LMCOMPAT: return "NT 4 LMCompatibility";
	case HK_NOT_CHECKED: return "not checked";
	case HK_PREAUTH: return "pre-auth required";
	case HK_CLIENT_PATH: return "clients lack a path";
	case HK_ORPHAN_ACCOUNT: return "orphaned trust account";
	case HK_ATTRIBUTE_INVALID: return "attributes refused";
	}
	return "unknown";
}

static const char *fix_words(health_fix f)
{
	switch (f) {
	case FIX_NONE: return "-";
	case FIX_RECREATE: return "recreate";
	case FIX_RESET: return "reset";
	case FIX_RESET_ONE_SIDE: return "reset one side";
	case FIX_REMOVE_ORPHAN: return "remove orphan end";
	case FIX_ROTATE: return "rotate";
	case FIX_REPERMIT: return "permit again";
	case FIX_ALIGN: return "align the ends";
	case FIX_MANUAL: return "outside trustmgr";
	case FIX_ESTABLISH: return "establish";
	case FIX_TIDY: return "end the permit";
	case FIX_DELETE_ACCOUNT: return "delete the account";
	}
	return "-";
}

static const char *partner_label(const health_finding *f)
{
	return f->partner_domain[0] ? f->partner_domain : f->partner[0] ? f->partner : "-";
}

static const char *way_word(uint32_t dir)
{
	switch (dir) {
	case TRUST_DIRECTION_OUTBOUND: return "outbound";
	case TRUST_DIRECTION_INBOUND: return "inbound";
	case TRUST_DIRECTION_BIDIRECTIONAL: return "both";
	default: return "-";
	}
}

/* "SALES trusts PARTNER", "the trust as a whole", "the domain itself". */
static void way_phrase(const health_finding *f, char *buf, size_t n)
{
	if (f->direction == TRUST_DIRECTION_OUTBOUND)
		snprintf(buf, n, "%s trusts %s", f->domain, partner_label(f));
	else if (f->direction == TRUST_DIRECTION_INBOUND)
		snprintf(buf, n, "%s trusts %s", partner_label(f), f->domain);
	else if (f->direction == TRUST_DIRECTION_BIDIRECTIONAL)
		snprintf(buf, n, "the trust between %s and %s as a whole", f->domain,
			 partner_label(f));
	else
		snprintf(buf, n, "the domain %s itself", f->domain);
}

static void finding_key(const health_finding *f, char *buf, size_t n)
{
	snprintf(buf, n, "%s|%s|%u|%d", f->domain, partner_label(f), (unsigned)f->direction,
		 (int)f->kind);
}

static int fixable(const health_finding *f)
{
	return f && f->kind != HK_OK && f->fix != FIX_NONE && f->fix != FIX_MANUAL;
}

/* ---- the view ---------------------------------------------------------------- */

static const health_finding *selected(const health_state *s)
{
	int i = con_list_selected(s->list);
	char key[ROW_KEY_MAX];

	if (i < 0 || (size_t)i >= s->r.n)
		return NULL;
	finding_key(&s->r.v[i], key, sizeof(key));
	return strcmp(key, con_list_key(s->list, i)) == 0 ? &s->r.v[i] : NULL;
}

static void show_details(health_state *s)
{
	const health_finding *f = selected(s);
	static char text[4 * HEALTH_TEXT_MAX + 512];
	char way[2 * NAME_DNS_MAX + 64];

	if (!f) {
		con_textbox_set(s->details, "", ROLE_DIALOG);
		con_widget_enable(s->fix, 0);
		return;
	}
	way_phrase(f, way, sizeof(way));
	snprintf(text, sizeof(text), "%s: %s\nCause: %s\nEvidence: %s\nFix: %s", way,
		 kind_words(f->kind), f->cause, f->evidence, f->fix_text);
	con_textbox_set(s->details, text, f->kind == HK_OK ? ROLE_GOOD : ROLE_DIALOG);
	con_widget_enable(s->fix, fixable(f));
}

static void moved(con_widget *w)
{
	show_details(w->dlg->ctx);
}

static size_t count_problems(const svc_health_report *r)
{
	size_t i, k = 0;

	for (i = 0; i < r->n; i++)
		k += r->v[i].kind != HK_OK;
	return k;
}

static void show_summary(health_state *s)
{
	size_t bad = count_problems(&s->r);
	char text[TM_WHAT_MAX + 256];

	if (!s->r.n)
		snprintf(text, sizeof(text), "No trusts to check: no known domain holds a trusted "
			 "domain object.");
	else if (bad)
		snprintf(text, sizeof(text), "%zu of %zu findings need attention (rotation: %d "
			 "days).", bad, s->r.n, s->r.rotation_days);
	else
		snprintf(text, sizeof(text), "Every trust is healthy (%zu findings).", s->r.n);
	if (s->r.partial)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), " Part of it could not be "
			 "checked: see the unreachable rows.");
	con_label_set(s->summary, text, bad || s->r.partial ? ROLE_ERROR : ROLE_GOOD);
}

static void fill_list(health_state *s, const char *keep)
{
	char key[ROW_KEY_MAX];
	const health_finding *first = health_first_problem(s->r.v, s->r.n);
	size_t i;

	con_list_clear(s->list);
	for (i = 0; i < s->r.n; i++) {
		const health_finding *f = &s->r.v[i];
		const char *cells[5] = { f->domain, partner_label(f), way_word(f->direction),
					 kind_words(f->kind), f->kind == HK_OK ? "-" : fix_words(f->fix) };

		finding_key(f, key, sizeof(key));
		con_list_add(s->list, cells, key);
	}
	if (!(keep && keep[0] && con_list_select_key(s->list, keep)) && first)
		con_list_select(s->list, (int)(first - s->r.v));
}

/* Diagnose again; the selection stays on the same finding when it is still
 * there, else goes to the first problem. */
static void check(con_dialog *d, int on_screen)
{
	health_state *s = d->ctx;
	char keep[ROW_KEY_MAX], buf[CON_ERROR_MAX];
	tm_error e;

	snprintf(keep, sizeof(keep), "%s", con_list_key(s->list, con_list_selected(s->list)));
	con_label_set(s->summary, "Checking every trust of every known domain...", ROLE_HINT);
	if (on_screen)
		con_dialog_stack_draw();
	con_service_health_free(&s->r);
	error_clear(&e);
	if (con_service_health(s->a->svc, NULL, &s->r, &e) < 0) {
		con_dialog_format_error(&e, buf, sizeof(buf));
		con_list_clear(s->list);
		con_label_set(s->summary, "The diagnosis could not be made; Check again tries once "
			      "more.", ROLE_ERROR);
		con_textbox_set(s->details, buf, ROLE_ERROR);
		con_widget_enable(s->fix, 0);
		return;
	}
	fill_list(s, keep);
	show_summary(s);
	show_details(s);
	d->ops->layout(d, COLS, LINES);
}

/* ---- Fix ---------------------------------------------------------------------- */

static void refused(const char *title, const tm_error *e)
{
	char buf[CON_ERROR_MAX];

	con_dialog_format_error(e, buf, sizeof(buf));
	con_msg_box(title, ROLE_ERROR, buf);
}

static int plan_verifies(const tm_plan *p)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++)
		if (p->steps[i].kind == STEP_VERIFY)
			return 1;
	return 0;
}

/* Does the fix leave a trust that can be verified? Not one that removes an
 * end or an account, nor a permission given again (the trust is pending
 * until the other administrator adds it). */
static int fix_leaves_trust(health_fix fix)
{
	return fix == FIX_RESET_ONE_SIDE || fix == FIX_ALIGN || fix == FIX_RESET ||
	       fix == FIX_ROTATE || fix == FIX_TIDY || fix == FIX_ESTABLISH;
}

/* After a fix whose plan does not verify (a one-side reset finished, the
 * attributes aligned): verify the trust now, through the same executor, so
 * the state it records (and the lists of Trust Relationships) follow what
 * the fix did. A trust that cannot be verified from here keeps its state. */
static void verify_after_fix(con_app *a, const health_finding *f)
{
	tm_plan *p = NULL;
	tm_error e;

	error_clear(&e);
	if (con_service_plan(a->svc, SVC_VERIFY, f->domain, f->partner, NULL, &p, &e) == 0) {
		con_service_run(a->svc, p, NULL, NULL, NULL, &e);  /* broken is recorded too */
		a->changed = 1;
	}
	plan_free(&p);
}

/* Any fix but recreate: its plan through the plan dialog. */
static void fix_with_plan(con_app *a, const health_finding *f)
{
	char title[DOMAIN_KEY_MAX + NAME_DNS_MAX + 64], way[2 * NAME_DNS_MAX + 64];
	char intro[sizeof(way) + 64], after[2 * HEALTH_TEXT_MAX + 64];
	con_plan_view v;
	tm_plan *p = NULL;
	tm_error e;

	snprintf(title, sizeof(title), "Fix: %s and %s (%s)", f->domain, partner_label(f),
		 kind_words(f->kind));
	error_clear(&e);
	if (con_service_fix_plan(a->svc, f, &p, &e) < 0) {
		refused(title, &e);
		return;
	}
	way_phrase(f, way, sizeof(way));
	snprintf(intro, sizeof(intro), "%s: %s.", way, kind_words(f->kind));
	snprintf(after, sizeof(after), "Why: %s\n\nThe fix: %s", f->cause, f->fix_text);
	v.name = "fix";
	v.title = title;
	v.intro = intro;
	v.after = after;
	v.after_run = NULL;
	v.run_label = "&Fix";
	v.help = "The fix the diagnosis offers, as one plan: every step on every domain is shown "
		 "before anything is written. After the run the Health view checks again.";
	if (con_plan_dialog(a, &v, p) == TM_OK && fix_leaves_trust(f->fix) && !plan_verifies(p))
		verify_after_fix(a, f);
	plan_free(&p);
}

static void fix_pressed(con_widget *w)
{
	health_state *s = w->dlg->ctx;
	const health_finding *sel = selected(s);
	health_finding f;

	if (!fixable(sel))
		return;
	f = *sel;                  /* the findings are read again after the fix */
	if (f.fix == FIX_RECREATE)
		con_recreate_dialog(s->a, f.domain, partner_label(&f), partner_label(&f));
	else
		fix_with_plan(s->a, &f);
	if (s->a->committed)
		con_dialog_set_committed(w->dlg);
	check(w->dlg, 1);
}

static void again_pressed(con_widget *w)
{
	check(w->dlg, 1);
}

/* ---- the dialog ------------------------------------------------------------------ */

static void health_layout(con_dialog *d, int cols, int rows)
{
	health_state *s = d->ctx;
	con_widget *buttons[3] = { s->fix, s->again, s->close };
	int content = rows - 4, list_h = content / 2 + 1, W = cols - 4;

	d->fullscreen = 1;
	d->top = d->left = 0;
	d->width = cols;
	d->height = rows;
	if (list_h < 5)
		list_h = 5;
	con_widget_place(s->summary, 1, 2, 1, W);
	con_widget_place(s->list, 2, 2, list_h, W);
	con_widget_place(s->details, 2 + list_h, 2, content - list_h - 1, W);
	con_dialog_button_row(d, rows - 2, buttons, 3);
}

static void health_free(con_dialog *d)
{
	health_state *s = d->ctx;

	con_service_health_free(&s->r);
}

static const con_dialog_ops health_ops = {
	health_layout, NULL, NULL, NULL, NULL, health_free,
};

static int build(con_dialog *d, health_state *s)
{
	s->summary = con_dialog_add(d, con_label_new("summary", "", ROLE_DIALOG));
	s->list = con_dialog_add(d, con_list_new("findings", "&Trusts (domain, partner, which way, state, fix):", 5, 3,
		"Every trust of every known domain, one row per direction and finding: the domain, "
		"its partner, which way (outbound: the domain trusts the partner), the state, and "
		"the fix offered. The first problem of a trust is the one to fix first."));
	s->details = con_dialog_add(d, con_textbox_new("details", 1,
		"The selected finding: which way, the cause in plain words, what was seen, and the "
		"fix. Arrows scroll."));
	s->fix = con_dialog_add(d, con_button_new("fix", "&Fix...", fix_pressed,
		"Show the fix's plan per domain, run it after you confirm, then check again. "
		"Disabled when the trust is well or the fix is outside trustmgr."));
	s->again = con_dialog_add(d, con_button_new("check-again", "Check &again", again_pressed,
		"Read every domain and verify every trust again."));
	s->close = con_dialog_add(d, con_button_new("close", "&Close", con_dialog_cancel_pressed,
		"Back to Trust Relationships."));
	if (!s->summary || !s->list || !s->details || !s->fix || !s->again || !s->close)
		return -1;
	s->list->on_change = moved;
	con_list_set_empty(s->list, "(no trusts)");
	d->ok = s->fix;
	d->cancel = s->close;
	d->help = "Health reads every known domain and verifies each direction of every trust, "
		  "writing nothing, then says for each trust whether it is well and, when it is "
		  "not, the cause, the evidence and the fix (recreate, reset, reset one side, "
		  "remove the orphan end, rotate, permit again, establish, delete a leftover trust "
		  "account). Fix runs it through "
		  "the same plans as everything else.";
	return 0;
}

/* con_health_dialog: diagnose, then browse and fix. */
void con_health_dialog(con_app *a)
{
	health_state s;
	con_dialog *d;

	memset(&s, 0, sizeof(s));
	s.a = a;
	d = con_dialog_new("health", "Health", &health_ops, &s);
	if (d && build(d, &s) == 0 && con_dialog_stack_push(d) == 0) {
		check(d, 1);
		con_dialog_stack_pop();
		con_dialog_focus(d, s.list);
		con_dialog_run(d);
	}
	con_dialog_free(&d);
}
