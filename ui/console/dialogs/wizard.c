/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* wizard.c - the New Trust wizard (AD style, both sides at once):
 * partner, type, direction, sides, authentication and SID filtering,
 * password, a summary of exactly what will be written on each side (from
 * the plan, before anything is written), then the run and the result of
 * verification. Each page's choice is checked when it is made, by asking
 * the model to plan the trust as chosen so far (the rules of create): the
 * partner page refuses a partner the rules refuse (already trusted, a name
 * or SID collision), and a choice the rules refuse is shown disabled, with
 * the reason. A page with nothing to ask (one possible choice, or no
 * password to type) is skipped. */
#include <stdio.h>
#include <string.h>

#include "model/secret.h"
#include "ui/console/dialogs/dialogs.h"
#include "ui/console/text.h"
#include "model/domain.h"

enum {
	PAGE_PARTNER, PAGE_TYPE, PAGE_DIRECTION, PAGE_SIDES, PAGE_AUTH, PAGE_PASSWORD,
	PAGE_SUMMARY, PAGE_RESULT, PAGES
};

static const char *const page_names[PAGES] = {
	"Partner domain", "Trust type", "Direction", "Sides", "Authentication", "Password",
	"Summary", "Result",
};

enum { TYPE_EXTERNAL, TYPE_FOREST, TYPE_REALM, TYPE_DOWNLEVEL };
static const char *const type_names[] = {
	"External: Active Directory domains, one to one",
	"Forest: between two forest roots, transitive",
	"Realm: an MIT Kerberos realm",
	"Downlevel: an NT 4 domain",
};
static const uint32_t direction_values[] = {
	TRUST_DIRECTION_BIDIRECTIONAL, TRUST_DIRECTION_OUTBOUND, TRUST_DIRECTION_INBOUND,
};
static const char *const direction_names[] = {
	"Two-way", "One-way: outgoing", "One-way: incoming",
};
static const char *const auth_names[] = {
	"Domain-wide authentication", "Selective authentication",
};

typedef struct wizard {
	con_app *a;
	int page;
	con_picker picker;
	con_widget *intro[PAGES];
	con_widget *type, *direction, *sides, *auth, *quarantine, *password, *confirm;
	con_widget *explain[PAGES];
	con_widget *summary, *result;
	con_widget *back, *next, *finish, *cancel;
	char partner[DOMAIN_KEY_MAX];  /* the partner the defaults were chosen for */
	int type_touched, quarantine_touched;
	int done;                      /* Finish ran */
	char why_type[CON_TEXT_MAX];   /* why type options are disabled ("" none) */
	char why_sides[CON_MSG_MAX];   /* why "Both domains" is disabled */
	char why_auth[CON_MSG_MAX];    /* why selective authentication is disabled */
	con_widget *auth_why;          /* where why_auth is shown */
} wizard;

/* ---- the options ---------------------------------------------------------- */

static void options(const wizard *z, wf_options *o)
{
	int type = con_choice_get(z->type);

	workflow_options_init(o);
	o->type = type == TYPE_REALM ? TRUST_TYPE_MIT : type == TYPE_DOWNLEVEL
		  ? TRUST_TYPE_DOWNLEVEL : TRUST_TYPE_UPLEVEL;
	if (type == TYPE_FOREST)
		o->forest_transitive = 1;
	o->direction = direction_values[con_choice_get(z->direction)];
	o->sides_both = con_choice_get(z->sides) == 0;
	o->has_password = !o->sides_both;
	if (type == TYPE_REALM)
		return;            /* a realm has no SIDs and no selective authentication */
	o->selective_auth = con_choice_get(z->auth) == 1 ? 1 : -1;
	o->quarantine = con_check_get(z->quarantine);
}

static const tm_domain *partner_of(const wizard *z)
{
	return con_picker_domain(&z->picker);
}

/* Defaults that follow the partner: the type, and SID filtering. */
static void defaults(wizard *z)
{
	const tm_domain *me = con_app_current(z->a), *p = partner_of(z);
	int type = TYPE_EXTERNAL, same_forest;

	if (!p || !me)
		return;
	if (strcmp(z->partner, p->name) != 0 && !z->type_touched) {
		if (p->kind == DOMAIN_MIT || me->kind == DOMAIN_MIT)
			type = TYPE_REALM;
		else if (p->kind == DOMAIN_NT4 || me->kind == DOMAIN_NT4)
			type = TYPE_DOWNLEVEL;
		con_choice_set(z->type, type);
	}
	snprintf(z->partner, sizeof(z->partner), "%s", p->name);
	same_forest = me->kind == DOMAIN_AD && p->kind == DOMAIN_AD &&
		      name_equal(domain_forest(me), domain_forest(p));
	type = con_choice_get(z->type);
	if (!z->quarantine_touched)
		con_check_set(z->quarantine, !same_forest &&
			      (type == TYPE_EXTERNAL || type == TYPE_DOWNLEVEL));
}

/* ---- what the model allows ------------------------------------------------- */

/* The type the partner's kind gives (the model's default). */
static int default_type(const wizard *z)
{
	const tm_domain *me = con_app_current(z->a), *p = partner_of(z);

	if (p && me && (p->kind == DOMAIN_MIT || me->kind == DOMAIN_MIT))
		return TYPE_REALM;
	if (p && me && (p->kind == DOMAIN_NT4 || me->kind == DOMAIN_NT4))
		return TYPE_DOWNLEVEL;
	return TYPE_EXTERNAL;
}

/* Would create plan the trust with o? 0; -1 with e when the rules refuse
 * it (another failure, such as a domain that cannot be read now, is left
 * for the summary to report: 0). */
static int allowed(const wizard *z, const wf_options *o, tm_error *e)
{
	tm_plan *p = NULL;
	int rc;

	error_clear(e);
	rc = con_service_plan(z->a->svc, SVC_CREATE, z->a->current, partner_of(z)->name, o, &p, e);
	plan_free(&p);
	return rc < 0 && e->cls == TM_EREFUSED ? -1 : 0;
}

/* The options as chosen so far, with type t. */
static void options_type(const wizard *z, int t, wf_options *o)
{
	int saved = con_choice_get(z->type);

	con_choice_set(z->type, t);
	options(z, o);
	con_choice_set(z->type, saved);
}

/* The partner page: would the rules take this partner at all (this side,
 * the default type)? NULL, or why not in buf. */
static const char *partner_refused(wizard *z, char *buf, size_t n)
{
	wf_options o;
	tm_error e;

	workflow_options_init(&o);
	o.type = default_type(z) == TYPE_REALM ? TRUST_TYPE_MIT : default_type(z) == TYPE_DOWNLEVEL
		 ? TRUST_TYPE_DOWNLEVEL : TRUST_TYPE_UPLEVEL;
	o.direction = TRUST_DIRECTION_BIDIRECTIONAL;
	o.has_password = 1;
	if (allowed(z, &o, &e) == 0)
		return NULL;
	error_copy(buf, n, e.what);
	if (buf[0] && buf[strlen(buf) - 1] != '.')
		error_append(buf, n, ".");
	error_append(buf, n, " Pick another domain; an existing trust is changed in its "
		     "Properties.");
	return buf;
}

static void add_reason(char *buf, size_t n, const char *what, const tm_error *e)
{
	if (buf[0])
		error_append(buf, n, "\n");
	error_append(buf, n, what);
	error_append(buf, n, " is not available: ");
	error_append(buf, n, e->what);
}

/* The type page: each type the rules refuse is disabled, with the reason. */
static void check_types(wizard *z)
{
	static const char *const short_names[] = { "External", "Forest", "Realm", "Downlevel" };
	wf_options o;
	tm_error e;
	int t, first = -1;

	z->why_type[0] = '\0';
	for (t = TYPE_EXTERNAL; t <= TYPE_DOWNLEVEL; t++) {
		options_type(z, t, &o);
		o.sides_both = 0;
		o.has_password = 1;
		if (allowed(z, &o, &e) < 0) {
			con_choice_disable(z->type, t, 1);
			add_reason(z->why_type, sizeof(z->why_type), short_names[t], &e);
		} else {
			con_choice_disable(z->type, t, 0);
			if (first < 0)
				first = t;
		}
	}
	if (!con_choice_enabled(z->type, con_choice_get(z->type)) && first >= 0)
		con_choice_set(z->type, first);
}

/* The sides and authentication pages, for the type chosen. */
static void check_sides_auth(wizard *z)
{
	wf_options o;
	tm_error e;

	z->why_sides[0] = z->why_auth[0] = '\0';
	options(z, &o);
	o.sides_both = 1;
	o.has_password = 0;
	con_choice_disable(z->sides, 0, 0);
	if (allowed(z, &o, &e) < 0) {
		con_choice_disable(z->sides, 0, 1);
		add_reason(z->why_sides, sizeof(z->why_sides), "Both domains", &e);
		con_choice_set(z->sides, 1);
	}
	options(z, &o);
	con_choice_disable(z->auth, 1, 0);
	if (con_choice_get(z->type) == TYPE_REALM)
		return;
	o.selective_auth = 1;
	if (allowed(z, &o, &e) < 0) {
		con_choice_disable(z->auth, 1, 1);
		add_reason(z->why_auth, sizeof(z->why_auth), "Selective authentication", &e);
		con_choice_set(z->auth, 0);
	}
}

/* How many options of choice w can be picked. */
static int choices_left(const con_widget *w)
{
	int i, n = 0;

	for (i = 0; i < (int)con_choice_count(w); i++)
		n += con_choice_enabled(w, i);
	return n;
}

/* Pages with nothing to ask are skipped. */
static int skipped(const wizard *z, int page)
{
	switch (page) {
	case PAGE_TYPE: return z->partner[0] && choices_left(z->type) <= 1;
	case PAGE_SIDES: return z->partner[0] && choices_left(z->sides) <= 1;
	case PAGE_AUTH: return con_choice_get(z->type) == TYPE_REALM;
	case PAGE_PASSWORD: return con_choice_get(z->sides) == 0;
	default: return 0;
	}
}

/* The next page shown after (dir 1) or before (dir -1) page. */
static int step_page(const wizard *z, int page, int dir)
{
	do
		page += dir;
	while (page > PAGE_PARTNER && page < PAGE_SUMMARY && skipped(z, page));
	return page;
}

/* ---- explanations ------------------------------------------------------------ */

static void explain_direction(wizard *z)
{
	const char *me = z->a->current, *p = partner_of(z) ? partner_of(z)->name : "the partner";
	char buf[CON_MSG_MAX];

	switch (con_choice_get(z->direction)) {
	case 0:
		snprintf(buf, sizeof(buf), "Users of %s may use %s's resources, and users of %s "
			 "may use %s's.", me, p, p, me);
		break;
	case 1:
		snprintf(buf, sizeof(buf), "%s trusts %s: users of %s may use %s's resources.", me,
			 p, p, me);
		break;
	default:
		snprintf(buf, sizeof(buf), "%s trusts %s: users of %s may use %s's resources.", p,
			 me, me, p);
		break;
	}
	con_textbox_set(z->explain[PAGE_DIRECTION], buf, ROLE_HINT);
}

static void explain_sides(wizard *z)
{
	const char *p = partner_of(z) ? partner_of(z)->name : "the partner";
	char buf[CON_MSG_MAX];

	if (con_choice_get(z->sides) == 0)
		snprintf(buf, sizeof(buf), "Both sides are written now, with a random secret "
			 "nobody needs to type, and the trust is verified at once.");
	else
		snprintf(buf, sizeof(buf), "Only %s's side is written, with a password you type. "
			 "%s's administrator then creates the other side with the same password.",
			 z->a->current, p);
	con_textbox_set(z->explain[PAGE_SIDES], buf, ROLE_HINT);
}

static void explain_password(wizard *z)
{
	int local = con_choice_get(z->sides) == 1;

	con_textbox_set(z->intro[PAGE_PASSWORD], "The password both sides will share, shown as "
		     "one '*' per character: type it twice, and give it to the other administrator "
		     "by a safe way.", ROLE_DIALOG);
	con_widget_show(z->password, local && z->page == PAGE_PASSWORD);
	con_widget_show(z->confirm, local && z->page == PAGE_PASSWORD);
}

/* Why some choices of the page are disabled. */
static void explain_refused(wizard *z)
{
	con_textbox_set(z->explain[PAGE_TYPE], z->why_type, ROLE_HINT);
	con_textbox_set(z->auth_why, z->why_auth, ROLE_HINT);
}

static void on_change(con_widget *w)
{
	wizard *z = w->dlg->ctx;

	if (w == z->type)
		z->type_touched = 1;
	if (w == z->quarantine)
		z->quarantine_touched = 1;
	explain_direction(z);
	explain_sides(z);
	con_dialog_clear_message(w->dlg);
}

/* ---- pages ------------------------------------------------------------------------ */

/* Why the page cannot be left forwards, or NULL. The partner page asks
 * the model (partner_refused) only when leaving is asked (ask 1). */
static const char *page_problem(wizard *z, int ask, char *buf, size_t n)
{
	if (z->page == PAGE_PARTNER) {
		const char *why = con_picker_problem(&z->picker, buf, n);

		return why || !ask ? why : partner_refused(z, buf, n);
	}
	if (z->page != PAGE_PASSWORD || con_choice_get(z->sides) == 0)
		return NULL;
	if (!con_entry_len(z->password))
		snprintf(buf, n, "Type the password both sides will share.");
	else if (!con_entry_equal(z->password, z->confirm))
		snprintf(buf, n, "%s", con_entry_complete(z->confirm) ? "The two passwords do not "
			 "match: type them again." : "Type the password again in Confirm Password.");
	else
		return NULL;
	return buf;
}

/* Is the page's required field empty (Next then looks disabled)? */
static int page_empty(const wizard *z)
{
	if (z->page == PAGE_PARTNER)
		return con_entry_len(z->picker.entry) == 0;
	if (z->page == PAGE_PASSWORD)
		return con_entry_len(z->password) == 0 || con_entry_len(z->confirm) == 0;
	return 0;
}

/* Typing on the partner or password page: Next follows the fields; the
 * passwords' mismatch shows once Confirm is complete. */
static void typed(con_widget *w)
{
	con_dialog *d = w->dlg;
	wizard *z = d->ctx;
	char why[CON_MSG_MAX];
	const char *prob = page_problem(z, 0, why, sizeof(why));

	con_widget_enable(z->next, !page_empty(z));
	if (z->page == PAGE_PASSWORD) {
		con_widget_invalid(z->confirm, prob && con_entry_complete(z->confirm) ? prob : NULL);
		if (prob && con_entry_complete(z->confirm))
			con_dialog_message(d, ROLE_ERROR, "%s", prob);
		else
			con_dialog_message(d, ROLE_HINT, "%s", prob ? prob : "Press Enter (Next) for "
					   "the summary.");
		return;
	}
	con_widget_invalid(z->picker.entry, NULL);
	if (page_empty(z))
		con_dialog_message(d, ROLE_HINT, "%s", prob);
	else
		con_dialog_clear_message(d);
}

static void summarize(con_dialog *d)
{
	wizard *z = d->ctx;
	static char text[CON_TEXT_MAX], steps[CON_STEPS_MAX];
	tm_plan *p = NULL;
	tm_error e;
	wf_options o;
	int ok;

	options(z, &o);
	error_clear(&e);
	ok = con_service_plan(z->a->svc, SVC_CREATE, z->a->current, partner_of(z)->name, &o, &p, &e) == 0;
	if (ok) {
		con_op_plan_describe(p, steps, sizeof(steps));
		snprintf(text, sizeof(text), "%s%s%sNothing has been written yet. Finish writes "
			 "exactly this:\n\n%s", z->why_sides[0] ? "Only this side: " : "",
			 z->why_sides, z->why_sides[0] ? "\n\n" : "", steps);
		con_textbox_set(z->summary, text, ROLE_DIALOG);
	} else {
		con_dialog_format_error(&e, steps, sizeof(steps));
		snprintf(text, sizeof(text), "The rules refuse this trust, so nothing can be "
			 "written:\n\n%s\n\nGo Back to change it.", steps);
		con_textbox_set(z->summary, text, ROLE_ERROR);
	}
	con_dialog_set_plan(d, ok ? p : NULL);
	if (!ok)
		plan_free(&p);
	con_widget_enable(z->finish, ok);
}

/* "(k of N)": the pages shown, the skipped ones not counted. */
static void set_title(con_dialog *d)
{
	wizard *z = d->ctx;
	int i, k = 0, n = 0;

	for (i = 0; i < PAGES; i++) {
		if (skipped(z, i))
			continue;
		n++;
		if (i <= z->page)
			k++;
	}
	snprintf(d->title, sizeof(d->title), "New Trust Wizard (%d of %d): %s", k, n,
		 page_names[z->page]);
}

/* Show the widgets of the current page, the right buttons, the focus. */
static void show_page(con_dialog *d)
{
	wizard *z = d->ctx;
	size_t i;

	for (i = 0; i < d->nw; i++)
		if (d->w[i]->tag >= 0)
			con_widget_show(d->w[i], d->w[i]->tag == z->page);
	explain_password(z);
	con_widget_show(z->back, z->page > 0 && z->page < PAGE_RESULT);
	con_widget_enable(z->back, z->page > 0);
	con_widget_show(z->next, z->page < PAGE_SUMMARY);
	con_widget_enable(z->next, !page_empty(z));
	con_widget_show(z->finish, z->page == PAGE_SUMMARY);
	d->ok = z->page < PAGE_SUMMARY ? z->next : z->page == PAGE_SUMMARY ? z->finish : z->cancel;
	set_title(d);
	d->ops->layout(d, COLS, LINES);
	d->focus = -1;
	for (i = 0; i < d->nw; i++)
		if (d->w[i]->tag == z->page && con_widget_can_focus(d->w[i])) {
			d->focus = (int)i;
			break;
		}
	if (d->focus < 0)
		con_dialog_focus(d, d->ok);
}

static void go(con_dialog *d, int page)
{
	wizard *z = d->ctx;

	z->page = page;
	con_dialog_clear_message(d);
	if (page == PAGE_TYPE || page == PAGE_AUTH)
		defaults(z);
	explain_direction(z);
	explain_sides(z);
	explain_refused(z);
	if (page == PAGE_SUMMARY)
		summarize(d);
	show_page(d);
}

static void next_pressed(con_widget *w)
{
	con_dialog *d = w->dlg;
	wizard *z = d->ctx;
	char why[CON_ERROR_MAX];

	if (z->page == PAGE_PASSWORD)
		con_entry_set_complete(z->confirm);
	if (page_problem(z, 1, why, sizeof(why))) {
		con_dialog_message(d, ROLE_ERROR, "%s", why);
		if (z->page == PAGE_PARTNER)
			con_widget_invalid(z->picker.entry, why);
		if (z->page == PAGE_PASSWORD)
			con_widget_invalid(z->confirm, why);
		return;
	}
	con_widget_invalid(z->picker.entry, NULL);
	if (z->page == PAGE_PARTNER) {
		defaults(z);
		check_types(z);
	}
	if (z->page <= PAGE_DIRECTION)
		check_sides_auth(z);
	go(d, step_page(z, z->page, 1));
}

static void back_pressed(con_widget *w)
{
	wizard *z = w->dlg->ctx;

	if (z->page > 0)
		go(w->dlg, step_page(z, z->page, -1));
}

static void finish_pressed(con_widget *w)
{
	con_dialog *d = w->dlg;
	wizard *z = d->ctx;
	static char text[CON_TEXT_MAX];
	char pw[SECRET_MAX + 1], title[sizeof("New Trust:  and ") + 2 * DOMAIN_KEY_MAX];
	tm_plan *p = NULL;
	tm_error e;
	wf_options o;
	int rc;

	options(z, &o);
	error_clear(&e);
	if (con_service_plan(z->a->svc, SVC_CREATE, z->a->current, partner_of(z)->name, &o, &p, &e) < 0) {
		con_dialog_error(d, &e);
		return;
	}
	snprintf(title, sizeof(title), "New Trust: %s and %s", z->a->current, partner_of(z)->name);
	con_entry_get(z->password, pw, sizeof(pw));
	rc = con_op_run(z->a, title, p, o.has_password ? pw : NULL, &e);
	secret_wipe(pw, sizeof(pw));
	con_entry_wipe(z->password);
	con_entry_wipe(z->confirm);
	con_op_describe(z->a, p, rc, &e, text, sizeof(text));
	con_textbox_set(z->result, text, rc == TM_OK ? ROLE_GOOD : ROLE_ERROR);
	if (con_op_committed(p, rc, &e)) {
		z->a->committed = 1;
		con_dialog_set_committed(d);
	}
	plan_free(&p);
	z->done = 1;
	con_widget_set_label(z->cancel, "&Close");
	go(d, PAGE_RESULT);
}

/* ---- layout ------------------------------------------------------------------------ */

static void place_choice_page(wizard *z, int page, con_widget *choice, int W)
{
	int n = (int)con_choice_count(choice);

	con_widget_place(choice, 4, 4, n, W - 2);
	if (z->explain[page])
		con_widget_place(z->explain[page], 5 + n, 2, page == PAGE_TYPE ? 8 : 3, W);
}

static void wizard_layout(con_dialog *d, int cols, int rows)
{
	wizard *z = d->ctx;
	con_widget *buttons[4] = { z->back, z->next, z->finish, z->cancel };
	con_widget *shown[4];
	int W, bottom, i, n = 0;

	con_dialog_center(d, 72, rows - 2 < 20 ? rows - 2 : 20, cols, rows);
	W = d->width - 4;
	bottom = d->height - 6;            /* rows of a page's content */
	for (i = 0; i < PAGES; i++)
		if (z->intro[i])
			con_widget_place(z->intro[i], 1, 2, 2, W);
	con_picker_place(&z->picker, 4, 2, W, 10, bottom - 4);
	place_choice_page(z, PAGE_TYPE, z->type, W);
	place_choice_page(z, PAGE_DIRECTION, z->direction, W);
	place_choice_page(z, PAGE_SIDES, z->sides, W);
	place_choice_page(z, PAGE_AUTH, z->auth, W);
	con_widget_place(z->quarantine, 7, 4, 1, W - 2);
	con_widget_place(z->auth_why, 9, 2, bottom - 8, W);
	con_widget_place(z->password, 4, 2, 1, W);
	con_widget_place(z->confirm, 5, 2, 1, W);
	z->password->label_w = z->confirm->label_w = 20;
	con_widget_place(z->summary, 1, 2, bottom, W);
	con_widget_place(z->result, 1, 2, bottom, W);
	con_widget_place(d->msg, d->height - 5, 2, 2, W);
	for (i = 0; i < 4; i++)
		if (buttons[i]->visible)
			shown[n++] = buttons[i];
	con_dialog_button_row(d, d->height - 2, shown, (size_t)n);
}

static const con_dialog_ops wizard_ops = { wizard_layout, NULL, NULL, NULL, NULL, NULL };

/* ---- building ------------------------------------------------------------------------ */

static con_widget *choice(con_dialog *d, int page, const char *name, const char *const *opts,
			  size_t n, const char *help)
{
	con_widget *w = con_dialog_page(con_dialog_add(d, con_choice_new(name, "", opts, n, 1, help)), page);

	if (w)
		w->on_change = on_change;
	return w;
}

static int build_pages(con_dialog *d, wizard *z)
{
	char buf[CON_MSG_MAX];

	snprintf(buf, sizeof(buf), "Which domain will %s have a trust with? Type its name or "
		 "pick it from the list.", z->a->current);
	z->intro[PAGE_PARTNER] = con_dialog_page_intro(d, PAGE_PARTNER, buf);
	if (con_picker_add(&z->picker, z->a, d, "&Domain:", typed) < 0)
		return -1;
	con_dialog_page(z->picker.entry, PAGE_PARTNER);
	con_dialog_page(z->picker.list, PAGE_PARTNER);
	z->intro[PAGE_TYPE] = con_dialog_page_intro(d, PAGE_TYPE, "What kind of trust is it?");
	z->type = choice(d, PAGE_TYPE, "type", type_names, 4, "External: between two Active "
			 "Directory domains, not transitive, SID filtering on. Forest: between two "
			 "forest roots (level 2003 or later), transitive. Realm: with an MIT "
			 "Kerberos realm. Downlevel: with an NT 4 domain, by NetBIOS name.");
	z->explain[PAGE_TYPE] = con_dialog_page(con_dialog_add(d, con_textbox_new("why", 0, NULL)),
						PAGE_TYPE);
	z->intro[PAGE_DIRECTION] = con_dialog_page_intro(d, PAGE_DIRECTION, "Which way does the trust go?");
	z->direction = choice(d, PAGE_DIRECTION, "direction", direction_names, 3,
			      "Two-way: both domains trust each other. Outgoing: this domain trusts "
			      "the partner. Incoming: the partner trusts this domain.");
	z->explain[PAGE_DIRECTION] = con_dialog_page(con_dialog_add(d, con_textbox_new("", 0, NULL)),
					     PAGE_DIRECTION);
	z->intro[PAGE_SIDES] = con_dialog_page_intro(d, PAGE_SIDES, "Which sides should be written now?");
	z->sides = choice(d, PAGE_SIDES, "sides", (const char *const[]){ "Both domains",
			  "This domain only" }, 2, "Both domains: written now with a random secret. "
			  "This domain only: you type a password the other administrator uses too.");
	z->explain[PAGE_SIDES] = con_dialog_page(con_dialog_add(d, con_textbox_new("", 0, NULL)), PAGE_SIDES);
	z->intro[PAGE_AUTH] = con_dialog_page_intro(d, PAGE_AUTH, "How are the partner's users let in?");
	z->auth = choice(d, PAGE_AUTH, "authentication", auth_names, 2, "Domain-wide: the "
			 "partner's users may use every resource they have rights to. Selective: "
			 "only resources that allow them explicitly (needs level 2003 or later).");
	z->quarantine = con_dialog_page(con_dialog_add(d, con_check_new("quarantine",
		"SID &filtering (quarantine)", 0, "Accept only SIDs of the partner's own domain: "
		"the default for external and downlevel trusts.")), PAGE_AUTH);
	z->auth_why = con_dialog_page(con_dialog_add(d, con_textbox_new("why", 0, NULL)), PAGE_AUTH);
	return z->auth_why && z->explain[PAGE_TYPE] &&
	       z->intro[PAGE_PARTNER] && z->intro[PAGE_TYPE] && z->type && z->intro[PAGE_DIRECTION] &&
	       z->direction && z->explain[PAGE_DIRECTION] && z->intro[PAGE_SIDES] && z->sides &&
	       z->explain[PAGE_SIDES] && z->intro[PAGE_AUTH] && z->auth && z->quarantine ? 0 : -1;
}

static int build_rest(con_dialog *d, wizard *z)
{
	z->quarantine->on_change = on_change;
	z->intro[PAGE_PASSWORD] = con_dialog_page_intro(d, PAGE_PASSWORD, "");
	z->password = con_dialog_page(con_dialog_add(d, con_entry_new("password", "&Password:",
		SECRET_MAX / 4, 1, "The password both sides will share.")), PAGE_PASSWORD);
	z->confirm = con_dialog_page(con_dialog_add(d, con_entry_new("confirm", "&Confirm Password:",
		SECRET_MAX / 4, 1, "The same password again.")), PAGE_PASSWORD);
	z->summary = con_dialog_page(con_dialog_add(d, con_textbox_new("summary", 1, "Exactly what Finish "
		"will write on each side, step by step, from the plan. Arrows scroll.")),
		PAGE_SUMMARY);
	z->result = con_dialog_page(con_dialog_add(d, con_textbox_new("result", 1, "What happened, and "
		"the verification of each direction. Arrows scroll.")), PAGE_RESULT);
	d->msg = con_dialog_add(d, con_textbox_new("message", 0, NULL));
	z->back = con_dialog_add(d, con_button_new("back", "< &Back", back_pressed,
						   "The previous page; nothing is lost."));
	z->next = con_dialog_add(d, con_button_new("next", "&Next >", next_pressed,
						   "The next page."));
	z->finish = con_dialog_add(d, con_button_new("finish", "&Finish", finish_pressed,
						     "Write what the summary shows, then verify."));
	z->cancel = con_dialog_add(d, con_button_new("cancel", "Cancel", con_dialog_cancel_pressed,
		"Leave the wizard. Before Finish nothing has been written."));
	if (!z->intro[PAGE_PASSWORD] || !z->password || !z->confirm || !z->summary || !z->result ||
	    !d->msg || !z->back || !z->next || !z->finish || !z->cancel)
		return -1;
	z->password->on_change = z->confirm->on_change = z->confirm->on_leave = typed;
	d->msg->tag = z->back->tag = z->next->tag = z->finish->tag = z->cancel->tag = -1;
	d->cancel = z->cancel;
	d->help = "The New Trust wizard creates a trust in one go, as Active Directory's does: "
		  "both sides with a random secret, or this side with a password you share with "
		  "the other administrator. The summary page shows exactly what will be written "
		  "on each side before anything is.";
	return 0;
}

/* con_wizard_dialog: from the first page to the result. */
void con_wizard_dialog(con_app *a)
{
	wizard z;
	con_dialog *d;

	memset(&z, 0, sizeof(z));
	z.a = a;
	if (!con_app_current(a)) {
		con_msg_box("New Trust Wizard", ROLE_ERROR, "The store holds no domains yet. Add them "
			    "with 'trustmgr domain add' (or 'trustmgr demo'), then press Ctrl-L.");
		return;
	}
	d = con_dialog_new("new-trust", "New Trust Wizard", &wizard_ops, &z);
	if (d && build_pages(d, &z) == 0 && build_rest(d, &z) == 0) {
		go(d, PAGE_PARTNER);
		con_dialog_run(d);
	}
	con_dialog_free(&d);
}
