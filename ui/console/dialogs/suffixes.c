/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* suffixes.c - Name Suffix Routing of a forest trust, the page of that name
 * in AD Domains and Trusts' trust properties: every record of the forest
 * trust information this domain holds for the partner (top-level names,
 * their exclusions, the partner forest's domains with NetBIOS name and
 * SID, records trustmgr does not interpret) with its status, with whom it
 * collides, and when it changed. Enable, Disable, Edit exclusions and
 * Refresh each ask the service for the command line's plan
 * (con_service_suffixes: workflow_namespaces), show the records before
 * and after with the steps (con_plan_dialog), and run it only when the
 * operator confirms; a refusal (a collision names the other trust) is the
 * command line's message. No rule lives here. */
#include <stdio.h>
#include <string.h>

#include "model/forestinfo.h"
#include "model/name.h"
#include "model/namespace.h"
#include "model/sid.h"
#include "ui/console/dialogs/dialogs.h"

#define ROW_KEY_MAX (NAME_DNS_MAX + 16)
#define STATUS_MAX 512

typedef struct page_state {
	con_app *a;
	char partner[NAME_DNS_MAX];    /* the TDO's trustPartner: the key for the service */
	char label[NAME_DNS_MAX];      /* the partner for people */
	wf_namespaces res;             /* the records as read last */
	con_widget *intro, *list, *details, *enable, *disable, *exclusions, *refresh, *close;
} page_state;

/* ---- words ------------------------------------------------------------------ */

/* "partner.example", "child.partner.example (CHILD)", "(12 bytes)". */
static const char *name_cell(const fti_record *r, char *buf, size_t n)
{
	if (!forestinfo_known(r))
		snprintf(buf, n, "(%zu bytes)", r->data_len);
	else if (r->type == FTI_DOMAIN_INFO && r->netbios && r->netbios[0])
		snprintf(buf, n, "%s (%s)", r->name, r->netbios);
	else
		snprintf(buf, n, "%s", r->name);
	return buf;
}

/* The status in the command line's words and, when the record collides,
 * with whom (full: and the name met there, as the command line says it;
 * else short, for a list cell). */
static const char *status_text(const fti_record *r, const namespace_conflict *c, int full,
			       char *buf, size_t n)
{
	char words[160];
	size_t len;

	forestinfo_status_words(r, words, sizeof(words));
	snprintf(buf, n, "%s", words);
	len = strlen(buf);
	if (c && c->in_conflict && len < n) {
		if (full)
			snprintf(buf + len, n - len, " (collides with %s: %s)", c->with, c->name);
		else if (strstr(words, "conflict"))
			snprintf(buf + len, n - len, " (%s)", c->with);
		else
			snprintf(buf + len, n - len, ", conflict (%s)", c->with);
	}
	return buf;
}

static void record_key(const fti_record *r, char *buf, size_t n)
{
	snprintf(buf, n, "%u|%s", (unsigned)r->type, forestinfo_known(r) ? r->name : "");
}

/* The record of fi of r's type and name, or NULL. */
static const fti_record *same_record(const fti_info *fi, const fti_record *r)
{
	long k = forestinfo_known(r) ? forestinfo_find(fi, r->type, r->name) : -1;

	return k < 0 ? NULL : &fi->records[k];
}

static void add(char *buf, size_t n, const char *s)
{
	size_t len = strlen(buf);

	if (len + 1 < n)
		snprintf(buf + len, n - len, "%s", s);
}

/* Records before -> after: one line for each record added, dropped or whose
 * status changes; those that stay as they are are counted. */
static void describe_change(const wf_namespaces *res, char *buf, size_t n)
{
	char line[2 * STATUS_MAX + 2 * NAME_DNS_MAX], tb[32], nb[2 * NAME_DNS_MAX];
	char was[STATUS_MAX], now[STATUS_MAX];
	size_t i, same = 0;

	snprintf(buf, n, "Records before -> after (%zu -> %zu):", res->before.count,
		 res->after.count);
	for (i = 0; i < res->after.count; i++) {
		const fti_record *r = &res->after.records[i], *b = same_record(&res->before, r);
		const namespace_conflict *c = res->after_conflicts ? &res->after_conflicts[i] : NULL;

		status_text(r, c, 1, now, sizeof(now));
		if (b) {
			size_t k = (size_t)(b - res->before.records);

			status_text(b, res->before_conflicts ? &res->before_conflicts[k] : NULL, 1,
				    was, sizeof(was));
			if (strcmp(was, now) == 0) {
				same++;
				continue;
			}
			snprintf(line, sizeof(line), "\n  %s %s: %s -> %s", forestinfo_type_name(r, tb,
				 sizeof(tb)), name_cell(r, nb, sizeof(nb)), was, now);
		} else if (forestinfo_known(r)) {
			snprintf(line, sizeof(line), "\n  new %s %s: %s", forestinfo_type_name(r, tb,
				 sizeof(tb)), name_cell(r, nb, sizeof(nb)), now);
		} else {
			same++;
			continue;
		}
		add(buf, n, line);
	}
	for (i = 0; i < res->before.count; i++) {
		const fti_record *b = &res->before.records[i];

		if (!forestinfo_known(b) || same_record(&res->after, b))
			continue;
		snprintf(line, sizeof(line), "\n  dropped %s %s", forestinfo_type_name(b, tb,
			 sizeof(tb)), name_cell(b, nb, sizeof(nb)));
		add(buf, n, line);
	}
	if (same) {
		snprintf(line, sizeof(line), "\n  %zu other record%s as %s", same,
			 same == 1 ? " stays" : "s stay", same == 1 ? "it is" : "they are");
		add(buf, n, line);
	}
}

/* ---- the list --------------------------------------------------------------- */

static const fti_record *selected(const page_state *s, size_t *index)
{
	int i = con_list_selected(s->list);
	char key[ROW_KEY_MAX];

	if (i < 0 || (size_t)i >= s->res.before.count)
		return NULL;
	record_key(&s->res.before.records[i], key, sizeof(key));
	if (strcmp(key, con_list_key(s->list, i)) != 0)
		return NULL;
	if (index)
		*index = (size_t)i;
	return &s->res.before.records[i];
}

/* The top-level name r is (or lies below), or NULL. */
static const char *tln_of(const page_state *s, const fti_record *r)
{
	size_t i;

	if (r && r->type == FTI_TOP_LEVEL_NAME)
		return r->name;
	for (i = 0; r && forestinfo_known(r) && i < s->res.before.count; i++) {
		const fti_record *t = &s->res.before.records[i];

		if (t->type == FTI_TOP_LEVEL_NAME && namespace_dns_under(r->name, t->name))
			return t->name;
	}
	return NULL;
}

static void show_details(page_state *s)
{
	static char text[4 * STATUS_MAX];
	char tb[32], sid[SID_TEXT_MAX], age[CON_NAME_MAX], st[STATUS_MAX];
	const fti_record *r;
	size_t i = 0;
	int toggles;

	r = selected(s, &i);
	toggles = r && (r->type == FTI_TOP_LEVEL_NAME || r->type == FTI_DOMAIN_INFO);
	con_widget_enable(s->enable, toggles);
	con_widget_enable(s->disable, toggles);
	con_widget_enable(s->exclusions, tln_of(s, r) != NULL);
	if (!r) {
		con_textbox_set(s->details, s->res.before.count ? "" : "The trust holds no records: "
				"Refresh... takes what the partner forest publishes.", ROLE_HINT);
		return;
	}
	status_text(r, s->res.before_conflicts ? &s->res.before_conflicts[i] : NULL, 1, st,
		    sizeof(st));
	con_app_age(forestinfo_unix_time(r->timestamp), age, sizeof(age));
	if (r->type == FTI_DOMAIN_INFO)
		snprintf(text, sizeof(text), "Domain %s, NetBIOS %s, SID %s.\nStatus: %s; changed "
			 "%s.", r->name, r->netbios && r->netbios[0] ? r->netbios : "(none)",
			 sid_format(&r->sid, sid, sizeof(sid)), st, age);
	else if (r->type == FTI_TOP_LEVEL_NAME)
		snprintf(text, sizeof(text), "Top-level name %s: names under it are routed to %s "
			 "unless excluded.\nStatus: %s; changed %s.", r->name, s->label, st, age);
	else if (r->type == FTI_TOP_LEVEL_NAME_EX)
		snprintf(text, sizeof(text), "Exclusion %s: names under it are not routed to %s.\n"
			 "Changed %s. Edit exclusions... adds or removes exclusions.", r->name,
			 s->label, age);
	else
		snprintf(text, sizeof(text), "A %s record (%zu bytes) trustmgr does not interpret: "
			 "kept exactly as it is whenever the records are written.",
			 forestinfo_type_name(r, tb, sizeof(tb)), r->data_len);
	con_textbox_set(s->details, text, s->res.before_conflicts &&
			s->res.before_conflicts[i].in_conflict ? ROLE_ERROR : ROLE_DIALOG);
}

static void fill_list(page_state *s, const char *keep)
{
	char key[ROW_KEY_MAX], tb[32], nb[2 * NAME_DNS_MAX], age[CON_NAME_MAX], st[STATUS_MAX];
	size_t i;

	con_list_clear(s->list);
	for (i = 0; i < s->res.before.count; i++) {
		const fti_record *r = &s->res.before.records[i];
		const char *cells[4];

		cells[0] = r->type == FTI_TOP_LEVEL_NAME_EX ? "exclusion" :
			   forestinfo_type_name(r, tb, sizeof(tb));
		cells[1] = name_cell(r, nb, sizeof(nb));
		cells[2] = status_text(r, s->res.before_conflicts ? &s->res.before_conflicts[i] :
				       NULL, 0, st, sizeof(st));
		cells[3] = con_app_age(forestinfo_unix_time(r->timestamp), age, sizeof(age));
		record_key(r, key, sizeof(key));
		con_list_add(s->list, cells, key);
	}
	if (!(keep && keep[0] && con_list_select_key(s->list, keep)))
		con_list_select(s->list, 0);
}

/* Read the records again; the selection stays on the same record. */
static int page_load(con_dialog *d, tm_error *e)
{
	page_state *s = d->ctx;
	namespace_request none;
	char keep[ROW_KEY_MAX], intro[CON_LINE_MAX];

	snprintf(keep, sizeof(keep), "%s", con_list_key(s->list, con_list_selected(s->list)));
	memset(&none, 0, sizeof(none));
	workflow_namespaces_free(&s->res);
	if (con_service_suffixes(s->a->svc, s->a->current, s->partner, &none, &s->res, NULL,
				   e) < 0) {
		con_list_clear(s->list);
		show_details(s);
		return -1;
	}
	snprintf(intro, sizeof(intro), "%s routes to %s (%zu record%s):", s->a->current,
		 s->res.partner, s->res.before.count,
		 s->res.before.count == 1 ? "" : "s");
	con_label_set(s->intro, intro, ROLE_DIALOG);
	fill_list(s, keep);
	show_details(s);
	return 0;
}

static void moved(con_widget *w)
{
	show_details(w->dlg->ctx);
}

/* ---- one change: the plan, confirmed, run --------------------------------- */

static void refused(const char *title, const tm_error *e)
{
	char buf[CON_ERROR_MAX];

	con_dialog_format_error(e, buf, sizeof(buf));
	con_msg_box(title, ROLE_ERROR, buf);
}

/* Ask for r's plan; show the records before -> after and the steps; run it
 * when confirmed. nothing: what to say when nothing would change. Returns
 * 1 when it ran to success, 0 otherwise. */
static int change(page_state *s, const namespace_request *r, const char *title,
		  const char *sentence, const char *run_label, const char *nothing)
{
	static char intro[CON_TEXT_MAX], diff[CON_TEXT_MAX];
	wf_namespaces res;
	con_plan_view v;
	tm_plan *p = NULL;
	tm_error e;
	int rc;

	error_clear(&e);
	if (con_service_suffixes(s->a->svc, s->a->current, s->partner, r, &res, &p, &e) < 0) {
		refused(title, &e);
		return 0;
	}
	if (!p) {
		con_msg_box(title, ROLE_HINT, nothing);
		workflow_namespaces_free(&res);
		return 0;
	}
	describe_change(&res, diff, sizeof(diff));
	error_copy(intro, sizeof(intro), sentence);          /* cut, never overrun */
	error_append(intro, sizeof(intro), "\n\n");
	error_append(intro, sizeof(intro), diff);
	workflow_namespaces_free(&res);
	v.name = "name-suffix-change";
	v.title = title;
	v.intro = intro;
	v.after = NULL;
	v.after_run = diff;
	v.run_label = run_label;
	v.help = "The change to the forest trust information as one plan, the same the command "
		 "line's 'trustmgr namespaces' makes: the records before and after, then every "
		 "step. Nothing is written before you run it.";
	rc = con_plan_dialog(s->a, &v, p);
	plan_free(&p);
	return rc == TM_OK;
}

/* After a change: the page shows what is stored now. */
static void reload(con_dialog *d)
{
	page_state *s = d->ctx;
	tm_error e;

	if (s->a->committed)
		con_dialog_set_committed(d);
	error_clear(&e);
	if (page_load(d, &e) < 0)
		refused(d->title, &e);
}

/* ---- which part of a domain record ---------------------------------------- */

static const char *const part_names[] = { "SID and NetBIOS name", "SID only",
					  "NetBIOS name only" };

typedef struct part_state {
	con_widget *text, *choice, *ok, *cancel;
} part_state;

static void part_layout(con_dialog *d, int cols, int rows)
{
	part_state *p = d->ctx;
	con_widget *b[2] = { p->ok, p->cancel };

	con_dialog_center(d, 60, 9, cols, rows);
	con_widget_place(p->text, 1, 2, 2, d->width - 4);
	con_widget_place(p->choice, 3, 2, 3, d->width - 4);
	con_dialog_button_row(d, d->height - 2, b, 2);
}

static int part_submit(con_dialog *d)
{
	(void)d;
	return 1;
}

static const con_dialog_ops part_ops = { part_layout, NULL, NULL, part_submit, NULL, NULL };

/* 0 both, 1 the SID, 2 the NetBIOS name; -1 cancelled. */
static int ask_part(const char *title, const fti_record *r, int enable)
{
	part_state p;
	con_dialog *d;
	char text[CON_MSG_MAX];
	int rc = -1;

	memset(&p, 0, sizeof(p));
	d = con_dialog_new("domain-part", title, &part_ops, &p);
	if (!d)
		return -1;
	snprintf(text, sizeof(text), "%s which names of the domain %s for routing?",
		 enable ? "Enable" : "Disable", r->name);
	p.text = con_dialog_add(d, con_textbox_new("text", 0, NULL));
	p.choice = con_dialog_add(d, con_choice_new("part", "", part_names, 3, 1,
		"The SID routes authentication by the domain's SID; the NetBIOS name routes "
		"names written DOMAIN\\user."));
	p.ok = con_dialog_add(d, con_button_new("ok", "&OK", con_dialog_ok_pressed,
						"Go on to the plan (nothing is written yet)."));
	p.cancel = con_dialog_add(d, con_button_new("cancel", "Cancel", con_dialog_cancel_pressed,
						    "Leave the record as it is."));
	if (p.text && p.choice && p.ok && p.cancel) {
		con_textbox_set(p.text, text, ROLE_DIALOG);
		d->ok = p.ok;
		d->cancel = p.cancel;
		d->help = "A domain record routes two names: the domain's SID and its NetBIOS "
			  "name. Each is enabled or disabled on its own (--enable-sid, "
			  "--enable-nb and their --disable- forms on the command line).";
		con_dialog_focus(d, p.choice);
		if (con_dialog_run(d) == CON_DLG_OK)
			rc = con_choice_get(p.choice);
	}
	con_dialog_free(&d);
	return rc;
}

/* ---- Enable and Disable ------------------------------------------------------- */

static void toggle(con_widget *w, int enable)
{
	page_state *s = w->dlg->ctx;
	const fti_record *r = selected(s, NULL);
	char title[NAME_DNS_MAX + 32], sentence[CON_LINE_MAX], name[NAME_DNS_MAX], sid[SID_TEXT_MAX];
	char nb[NAME_DNS_MAX];
	namespace_request q;
	int part = 0;

	if (!r || (r->type != FTI_TOP_LEVEL_NAME && r->type != FTI_DOMAIN_INFO))
		return;
	memset(&q, 0, sizeof(q));
	snprintf(name, sizeof(name), "%s", r->name);
	snprintf(title, sizeof(title), "%s: %s", enable ? "Enable" : "Disable", name);
	if (r->type == FTI_TOP_LEVEL_NAME) {
		(enable ? &q.enable_tln : &q.disable_tln)->v[0] = name;
		(enable ? &q.enable_tln : &q.disable_tln)->n = 1;
		snprintf(sentence, sizeof(sentence), "%s the top-level name %s: names under it %s "
			 "routed to %s.", enable ? "Enable" : "Disable", name, enable ? "are" :
			 "are no longer", s->label);
	} else {
		snprintf(nb, sizeof(nb), "%s", r->netbios ? r->netbios : "");
		sid_format(&r->sid, sid, sizeof(sid));
		if (nb[0] && (part = ask_part(title, r, enable)) < 0)
			return;
		if (part != 2) {
			(enable ? &q.enable_sid : &q.disable_sid)->v[0] = sid;
			(enable ? &q.enable_sid : &q.disable_sid)->n = 1;
		}
		if (nb[0] && part != 1) {
			(enable ? &q.enable_nb : &q.disable_nb)->v[0] = nb;
			(enable ? &q.enable_nb : &q.disable_nb)->n = 1;
		}
		snprintf(sentence, sizeof(sentence), "%s the %s of the domain %s for routing to %s.",
			 enable ? "Enable" : "Disable", part == 1 ? "SID" : part == 2 ?
			 "NetBIOS name" : nb[0] ? "SID and NetBIOS name" : "SID", name, s->label);
	}
	change(s, &q, title, sentence, enable ? "&Enable" : "&Disable",
	       "Nothing to change: the records already are as asked.");
	reload(w->dlg);
}

static void enable_pressed(con_widget *w)
{
	toggle(w, 1);
}

static void disable_pressed(con_widget *w)
{
	toggle(w, 0);
}

/* ---- Refresh ---------------------------------------------------------------- */

static void refresh_pressed(con_widget *w)
{
	page_state *s = w->dlg->ctx;
	char title[NAME_DNS_MAX + 32], sentence[CON_LINE_MAX], nothing[CON_LINE_MAX];
	namespace_request q;

	memset(&q, 0, sizeof(q));
	q.refresh = 2;
	snprintf(title, sizeof(title), "Refresh: %s", s->label);
	snprintf(sentence, sizeof(sentence), "What the forest of %s publishes now (the DNS names "
		 "of its domains, its UPN and SPN suffixes), compared with the records %s holds. "
		 "New names arrive disabled as new. Store takes it; Cancel leaves the records as "
		 "they are.", s->res.partner, s->a->current);
	snprintf(nothing, sizeof(nothing), "The records %s holds already are what the forest of "
		 "%s publishes: nothing to store.", s->a->current, s->res.partner);
	change(s, &q, title, sentence, "&Store", nothing);
	reload(w->dlg);
}

/* ---- Edit exclusions ------------------------------------------------------------ */

typedef struct ex_state {
	page_state *page;
	char tln[NAME_DNS_MAX];
	con_widget *intro, *list, *entry, *add, *remove, *close;
} ex_state;

static void ex_fill(ex_state *x)
{
	const fti_info *fi = &x->page->res.before;
	char keep[NAME_DNS_MAX], age[CON_NAME_MAX];
	size_t i;

	snprintf(keep, sizeof(keep), "%s", con_list_key(x->list, con_list_selected(x->list)));
	con_list_clear(x->list);
	for (i = 0; i < fi->count; i++) {
		const fti_record *r = &fi->records[i];
		const char *cells[2];

		if (r->type != FTI_TOP_LEVEL_NAME_EX || !namespace_dns_under(r->name, x->tln))
			continue;
		cells[0] = r->name;
		cells[1] = con_app_age(forestinfo_unix_time(r->timestamp), age, sizeof(age));
		con_list_add(x->list, cells, r->name);
	}
	if (!(keep[0] && con_list_select_key(x->list, keep)))
		con_list_select(x->list, 0);
	con_widget_enable(x->remove, con_list_count(x->list) > 0);
}

static void ex_after(con_dialog *d)
{
	ex_state *x = d->ctx;

	reload(x->page->close->dlg);
	if (x->page->a->committed)
		con_dialog_set_committed(d);
	ex_fill(x);
}

static void ex_add_pressed(con_widget *w)
{
	ex_state *x = w->dlg->ctx;
	char name[NAME_DNS_MAX], title[NAME_DNS_MAX + 32], sentence[CON_LINE_MAX];
	namespace_request q;

	con_entry_get(x->entry, name, sizeof(name));
	if (!name[0]) {
		con_dialog_message(w->dlg, ROLE_HINT, "Type the name to exclude (below %s), then "
				   "Add.", x->tln);
		return;
	}
	memset(&q, 0, sizeof(q));
	q.add_tln_ex.v[0] = name;
	q.add_tln_ex.n = 1;
	snprintf(title, sizeof(title), "Add exclusion: %s", name);
	snprintf(sentence, sizeof(sentence), "Exclude %s from the top-level name %s: names under "
		 "it are no longer routed to %s.", name, x->tln, x->page->label);
	if (change(x->page, &q, title, sentence, "&Add", "Nothing to change."))
		con_entry_set(x->entry, "");
	con_dialog_clear_message(w->dlg);
	ex_after(w->dlg);
}

static void ex_remove_pressed(con_widget *w)
{
	ex_state *x = w->dlg->ctx;
	char name[NAME_DNS_MAX], title[NAME_DNS_MAX + 32], sentence[CON_LINE_MAX];
	namespace_request q;

	snprintf(name, sizeof(name), "%s", con_list_key(x->list, con_list_selected(x->list)));
	if (!name[0])
		return;
	memset(&q, 0, sizeof(q));
	q.delete_tln_ex.v[0] = name;
	q.delete_tln_ex.n = 1;
	snprintf(title, sizeof(title), "Remove exclusion: %s", name);
	snprintf(sentence, sizeof(sentence), "Remove the exclusion %s: names under it are routed "
		 "to %s again while %s is enabled.", name, x->page->label, x->tln);
	change(x->page, &q, title, sentence, "&Remove", "Nothing to change.");
	ex_after(w->dlg);
}

static void ex_layout(con_dialog *d, int cols, int rows)
{
	ex_state *x = d->ctx;
	con_widget *b[3] = { x->add, x->remove, x->close };
	int W, list_h;

	con_dialog_center(d, 66, 18, cols, rows);
	W = d->width - 4;
	list_h = d->height - 9;
	con_widget_place(x->intro, 1, 2, 1, W);
	con_widget_place(x->list, 2, 2, list_h < 4 ? 4 : list_h, W);
	con_widget_place(x->entry, d->height - 6, 2, 1, W);
	x->entry->label_w = 15;
	con_dialog_place_message(d, d->height - 5, 2, 2, W);
	con_dialog_button_row(d, d->height - 2, b, 3);
}

static const con_dialog_ops ex_ops = { ex_layout, NULL, NULL, NULL, NULL, NULL };

static void exclusions_pressed(con_widget *w)
{
	page_state *s = w->dlg->ctx;
	const char *tln = tln_of(s, selected(s, NULL));
	char title[NAME_DNS_MAX + 32], intro[CON_LINE_MAX];
	ex_state x;
	con_dialog *d;

	if (!tln)
		return;
	memset(&x, 0, sizeof(x));
	x.page = s;
	snprintf(x.tln, sizeof(x.tln), "%s", tln);
	snprintf(title, sizeof(title), "Exclusions: %s", x.tln);
	d = con_dialog_new("tln-exclusions", title, &ex_ops, &x);
	if (!d)
		return;
	snprintf(intro, sizeof(intro), "Names below %s not routed to %s:", x.tln, s->label);
	x.intro = con_dialog_add(d, con_label_new("intro", intro, ROLE_DIALOG));
	x.list = con_dialog_add(d, con_list_new("exclusions", "E&xclusions:", 2, 0,
		"The TLN exclusions below this top-level name: names under them are not routed "
		"to the partner. Remove takes the selected one away."));
	x.entry = con_dialog_add(d, con_entry_new("new", "&New exclusion:", NAME_DNS_MAX - 1, 0,
		"A DNS name below the top-level name (sales.partner.example below "
		"partner.example). Add shows the plan first."));
	d->msg = con_dialog_add(d, con_textbox_new("message", 1, "What is missing."));
	x.add = con_dialog_add(d, con_button_new("add", "&Add...", ex_add_pressed,
		"Exclude the name typed: the records before and after and the plan, then Add."));
	x.remove = con_dialog_add(d, con_button_new("remove", "&Remove...", ex_remove_pressed,
		"Remove the selected exclusion: the plan first, then Remove."));
	x.close = con_dialog_add(d, con_button_new("close", "&Close", con_dialog_cancel_pressed,
		"Back to Name Suffix Routing."));
	if (con_dialog_complete(d)) {
		con_list_set_empty(x.list, "(no exclusions)");
		d->ok = x.add;
		d->cancel = x.close;
		d->help = "TLN exclusions (netdom /addtlnex, samba-tool's --add-tln-ex): names "
			  "below a top-level name of the trust that are not routed to the partner "
			  "forest. Each change is shown as a plan before it is written.";
		if (s->a->committed)
			con_dialog_set_committed(d);
		ex_fill(&x);
		con_dialog_focus(d, x.entry);
		con_dialog_run(d);
	}
	con_dialog_free(&d);
}

/* ---- the page ------------------------------------------------------------------ */

static void page_layout(con_dialog *d, int cols, int rows)
{
	page_state *s = d->ctx;
	con_widget *b[5] = { s->enable, s->disable, s->exclusions, s->refresh, s->close };
	int W, brows, area, details_h = 4, list_h;

	con_dialog_center(d, 100, 22, cols, rows);
	W = d->width - 4;
	brows = con_dialog_button_row(d, d->height - 2, b, 5);
	if (brows > 1)
		con_dialog_button_row(d, d->height - 1 - brows, b, 5);
	area = d->height - 1 - brows - 1 - 2;
	list_h = area - details_h;
	if (list_h < 5) {
		list_h = 5;
		details_h = area - list_h < 1 ? 1 : area - list_h;
	}
	con_widget_place(s->intro, 1, 2, 1, W);
	con_widget_place(s->list, 2, 2, list_h, W);
	con_widget_place(s->details, 2 + list_h, 2, details_h, W);
}

static void page_free(con_dialog *d)
{
	page_state *s = d->ctx;

	workflow_namespaces_free(&s->res);
}

static const con_dialog_ops page_ops = { page_layout, NULL, NULL, NULL, NULL, page_free };

static int page_build(con_dialog *d, page_state *s)
{
	s->intro = con_dialog_add(d, con_label_new("intro", "", ROLE_DIALOG));
	s->list = con_dialog_add(d, con_list_new("records", "Name &suffixes (type, name, "
		"status, changed):", 4, 1,
		"Every record of the forest trust information: top-level names (TLN), their "
		"exclusions, the partner forest's domains with their NetBIOS names, and records "
		"trustmgr keeps without interpreting them. The status is enabled, disabled (new), "
		"disabled (admin) or conflict, with the trust it collides with."));
	s->details = con_dialog_add(d, con_textbox_new("details", 0, NULL));
	s->enable = con_dialog_add(d, con_button_new("enable", "&Enable...", enable_pressed,
		"Route the selected top-level name, or the selected domain's SID and NetBIOS "
		"name, to the partner: the plan first. A name in conflict is refused, naming the "
		"other trust."));
	s->disable = con_dialog_add(d, con_button_new("disable", "&Disable...", disable_pressed,
		"Stop routing the selected top-level name, or the selected domain's SID or "
		"NetBIOS name: the plan first."));
	s->exclusions = con_dialog_add(d, con_button_new("exclusions", "Edit e&xclusions...",
		exclusions_pressed, "Add or remove TLN exclusions below the selected top-level "
		"name (or the one above the selected record)."));
	s->refresh = con_dialog_add(d, con_button_new("refresh", "&Refresh...", refresh_pressed,
		"Compare the records with what the partner forest publishes now; Store takes it "
		"(new names arrive disabled as new), Cancel only compares."));
	s->close = con_dialog_add(d, con_button_new("close", "&Close", con_dialog_cancel_pressed,
		"Back to Properties."));
	if (!con_dialog_complete(d))
		return -1;
	s->list->on_change = moved;
	con_list_set_empty(s->list, "(no records)");
	d->ok = NULL;
	d->cancel = s->close;
	d->help = "Name Suffix Routing, as in AD Domains and Trusts: which names and SIDs this "
		  "domain routes to the partner forest over the forest trust. Every change is the "
		  "command line's 'trustmgr namespaces DOMAIN PARTNER' plan, checked against the "
		  "collision rules of MS-LSAD (docs/RULES.md, rules 12 to 15) and shown before it "
		  "is written.";
	return 0;
}

/* con_suffixes_dialog: see dialogs.h. */
void con_suffixes_dialog(con_app *a, const char *partner, const char *label)
{
	page_state s;
	con_dialog *d;
	char title[NAME_DNS_MAX + 32];
	tm_error e;

	memset(&s, 0, sizeof(s));
	s.a = a;
	snprintf(s.partner, sizeof(s.partner), "%s", partner);
	snprintf(s.label, sizeof(s.label), "%s", label);
	snprintf(title, sizeof(title), "Name Suffix Routing: %s", label);
	d = con_dialog_new("name-suffix-routing", title, &page_ops, &s);
	if (!d || page_build(d, &s) < 0) {
		con_dialog_free(&d);
		con_msg_box(title, ROLE_ERROR, "Out of memory: the page could not be built. Nothing "
			    "was written; close another program and try again.");
		return;
	}
	error_clear(&e);
	if (page_load(d, &e) < 0) {
		refused(title, &e);
	} else {
		if (a->committed)
			con_dialog_set_committed(d);
		con_dialog_focus(d, s.list);
		con_dialog_run(d);
	}
	con_dialog_free(&d);       /* page_free frees s.res */
}
