/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* main.c - Trust Relationships: one domain's Trusted Domains
 * (outbound) and Trusting Domains (inbound) with Add..., Remove and
 * Properties..., Cancel (Close after a committed change) and Help; F5
 * verifies, F6 switches domain, F7 opens the New Trust wizard, F10 the
 * menu (docs/CONSOLE.md, "Trust Relationships"). The lists follow the
 * store when another process changes it: they are read again after any
 * plan, on Ctrl-L, and, when the store's stamp says it changed, whenever a
 * dialog over them closes, when the terminal's window gets the focus, and
 * while the keyboard rests (docs/CONSOLE.md, "Changes made elsewhere"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/console/dialogs/dialogs.h"
#include "ui/console/input.h"
#include "ui/console/key.h"
#include "ui/console/requests.h"
#include "ui/console/text.h"

typedef struct list_group {
	con_widget *list, *add, *remove, *props;
	uint32_t direction;        /* TRUST_DIRECTION_OUTBOUND or _INBOUND */
} list_group;

typedef struct main_state {
	con_app *a;
	con_dialog *self;
	svc_row *rows;
	size_t nrows;
	con_widget *domain, *status, *close, *help;
	list_group trusted, trusting;
	list_group *active;        /* the list F5 and the menu act on */
	int covered;               /* another dialog was drawn over this one */
	int failed;                /* the last read failed: read again at every moment */
	int noticed;               /* the watch saw a change: read at the next draw */
	int stamp_known;           /* the backend has a stamp (the embedded store) */
	uint64_t stamp;            /* the store's stamp when the lists were read */
	uint64_t seen;             /* the stamp the idle watch saw last */
} main_state;

/* How a read reports a failure: a message box, the status line only (the
 * lists emptied), or not at all (what was shown stays; the next moment
 * tries again): for the reads nobody asked for. */
typedef enum main_read { READ_LOUD, READ_STATUS, READ_QUIET } main_read;

#define WIDE_COLS 76
/* The columns of a list: name, DNS name, type, transitivity, direction,
 * state. Where the row has no room for all, transitivity gives way first,
 * then the DNS name (the first column names the domain; a realm's or an
 * NT 4 domain's DNS column repeats it or says "(NT 4)"), then the type,
 * which an NT or AD administrator reads before the DNS name (AD Domains
 * and Trusts: Domain Name, Trust Type, Transitive). A name too long for
 * what is left is cut with a marker (the flex column); Properties shows it
 * whole. */
#define MAIN_COLS 6
#define MAIN_FLEX 0
static const int main_give_way[] = { 3, 1, 2 };

/* ---- the lists ---------------------------------------------------------- */

static const svc_row *find_row(const main_state *m, const char *partner)
{
	size_t i;

	for (i = 0; i < m->nrows; i++)
		if (strcmp(m->rows[i].partner, partner) == 0)
			return &m->rows[i];
	return NULL;
}

static void fill_group(main_state *m, list_group *g)
{
	char keep[NAME_DNS_MAX];
	int top = con_list_top(g->list);
	size_t i;

	snprintf(keep, sizeof(keep), "%s", con_list_key(g->list, con_list_selected(g->list)));
	con_list_clear(g->list);
	for (i = 0; i < m->nrows; i++) {
		const svc_row *r = &m->rows[i];
		const char *cells[MAIN_COLS];

		if (!(r->direction & g->direction))
			continue;
		cells[0] = r->netbios[0] ? r->netbios : r->partner;
		cells[1] = r->dns;
		cells[2] = con_app_type_short(r->type, r->attributes);
		cells[3] = con_app_transitive_label(r->type, r->attributes);
		cells[4] = r->direction == TRUST_DIRECTION_BIDIRECTIONAL ? "two-way" : "one-way";
		cells[5] = trust_health_name(r->health);
		con_list_add(g->list, cells, r->partner);
	}
	if (keep[0])
		con_list_select_key(g->list, keep);
	con_list_set_top(g->list, top);   /* read again, the list does not jump */
	con_widget_enable(g->add, con_app_current(m->a) != NULL);
	con_widget_enable(g->remove, con_list_selected(g->list) >= 0);
	con_widget_enable(g->props, con_list_selected(g->list) >= 0);
}

static void set_domain_label(main_state *m)
{
	const tm_domain *d = con_app_current(m->a);
	char label[NAME_DNS_MAX + DOMAIN_KEY_MAX + 32], text[sizeof(label) + 16];

	if (d)
		con_app_domain_label(d, label, sizeof(label));
	else
		snprintf(label, sizeof(label), "(the store holds no domains)");
	snprintf(text, sizeof(text), "Domain: %s", label);
	con_label_set(m->domain, text, ROLE_DIALOG);
}

/* The lists and the status line from what was read last. */
static void show(main_state *m)
{
	con_label_set(m->status, "", ROLE_DIALOG);
	if (m->failed)
		con_label_set(m->status, "The trusts could not be read; Ctrl-L tries again.",
			      ROLE_ERROR);
	else if (!m->a->current[0])
		con_label_set(m->status, "No domains yet: add them with 'trustmgr domain add' or "
			      "'trustmgr demo'; Ctrl-L reads the store again.", ROLE_HINT);
	set_domain_label(m);
	fill_group(m, &m->trusted);
	fill_group(m, &m->trusting);
}

/* The domains, then the current domain's rows; *rows replaced only when
 * both were read. */
static int read_store(main_state *m, tm_error *e)
{
	svc_row *rows = NULL;
	size_t n = 0;

	if (con_app_load(m->a, e) < 0 ||
	    (m->a->current[0] && con_service_rows(m->a->svc, m->a->current, &rows, &n, e) < 0))
		return -1;
	free(m->rows);
	m->rows = rows;
	m->nrows = n;
	return 0;
}

/* Read the domains and the current domain's trusts again, the stamp first
 * (a change made meanwhile then shows as a new stamp the next time). A
 * failure is reported as how says. Returns 0 or -1. */
static int reload(main_state *m, main_read how)
{
	char shown[DOMAIN_KEY_MAX], buf[CON_ERROR_MAX];
	tm_error e;

	m->a->changed = 0;
	m->noticed = 0;
	m->stamp_known = con_service_stamp(m->a->svc, &m->stamp);
	m->seen = m->stamp;
	snprintf(shown, sizeof(shown), "%s", m->a->current);
	error_clear(&e);
	if (read_store(m, &e) == 0) {
		m->failed = 0;
	} else if (how == READ_QUIET && strcmp(shown, m->a->current) == 0) {
		m->stamp_known = 0;        /* not read: the next moment tries again */
		return -1;
	} else {
		free(m->rows);
		m->rows = NULL;
		m->nrows = 0;
		m->failed = 1;
	}
	show(m);
	if (m->failed && how == READ_LOUD) {
		con_dialog_format_error(&e, buf, sizeof(buf));
		con_msg_box("Cannot read the store", ROLE_ERROR, buf);
	}
	return m->failed ? -1 : 0;
}

/* Has the store changed since the lists were read? Without a stamp (real
 * domains), or after a plan or a failed read, it must be taken to have. */
static int stale(main_state *m)
{
	uint64_t now;

	if (m->a->changed || m->noticed || m->failed || !m->stamp_known)
		return 1;
	return !con_service_stamp(m->a->svc, &now) || now != m->stamp;
}

/* A moment to catch up with the store: read it when it changed, else only
 * show the lists again (the status line of the last read comes back). */
static void catch_up(main_state *m, main_read how)
{
	if (stale(m))
		reload(m, how);
	else
		show(m);
}

/* The input loop's watch (input.h). On focus, the stamp is compared at
 * once (without a stamp, everything is read). While the keyboard rests,
 * a stamp that moved is read only once it has held still for one more
 * interval, so a command changing the store in several steps is let
 * finish first; without a stamp nothing is read. A change noticed while a
 * dialog is open over this one is read when it closes, not under it: the
 * open dialog acts on the domain shown, which must not change beneath it. */
static int main_watch(void *ctx, int why)
{
	main_state *m = ctx;
	uint64_t now;
	int known = con_service_stamp(m->a->svc, &now);

	if (!known && why != CON_WATCH_FOCUS)
		return 0;
	if (known && m->stamp_known && now == m->stamp && !m->failed) {
		m->seen = now;
		return 0;
	}
	if (known && why == CON_WATCH_IDLE && now != m->seen) {
		m->seen = now;
		return 0;
	}
	m->noticed = 1;
	return con_dialog_stack_top() == m->self;
}

/* After a sub-dialog: read again when a plan ran or another process
 * changed the store meanwhile, relabel Cancel. */
static void after_dialog(main_state *m, con_dialog *d)
{
	catch_up(m, READ_LOUD);
	m->covered = 0;
	if (m->a->committed && !d->committed)
		con_dialog_set_committed(d);
}

/* ---- which trust ------------------------------------------------------------ */

static list_group *group_of(main_state *m, const con_widget *w)
{
	list_group *g[2] = { &m->trusted, &m->trusting };
	int i;

	for (i = 0; i < 2; i++)
		if (w == g[i]->list || w == g[i]->add || w == g[i]->remove || w == g[i]->props)
			return g[i];
	return NULL;
}

/* The row selected in the active list, or NULL with a note in the status. */
static const svc_row *selected(main_state *m)
{
	list_group *g = m->active ? m->active : &m->trusted;
	const svc_row *r = find_row(m, con_list_key(g->list, con_list_selected(g->list)));

	if (!r && g == &m->trusted)   /* nothing trusted: try the other list */
		r = find_row(m, con_list_key(m->trusting.list, con_list_selected(m->trusting.list)));
	if (!r)
		con_label_set(m->status, "Select a trust first: Trusted Domains or Trusting "
			      "Domains, then the row.", ROLE_ERROR);
	return r;
}

/* ---- buttons ---------------------------------------------------------------- */

static main_state *state_of(con_widget *w)
{
	return w->dlg->ctx;
}

static void add_pressed(con_widget *w)
{
	main_state *m = state_of(w);

	if (group_of(m, w) == &m->trusted)
		con_add_dialog(m->a);
	else
		con_permit_dialog(m->a);
	after_dialog(m, w->dlg);
}

static void remove_pressed(con_widget *w)
{
	main_state *m = state_of(w);
	list_group *g = group_of(m, w);
	const svc_row *r = find_row(m, con_list_key(g->list, con_list_selected(g->list)));
	svc_row copy;

	if (!r)
		return;
	copy = *r;
	con_remove_dialog(m->a, &copy, g->direction);
	after_dialog(m, w->dlg);
}

static void props_pressed(con_widget *w)
{
	main_state *m = state_of(w);
	list_group *g = group_of(m, w);
	const svc_row *r = find_row(m, con_list_key(g->list, con_list_selected(g->list)));
	svc_row copy;

	if (!r)
		return;
	copy = *r;
	con_props_dialog(m->a, &copy);
	after_dialog(m, w->dlg);
}

/* Moving in a list clears a note about the selection. */
static void list_moved(con_widget *w)
{
	con_label_set(state_of(w)->status, "", ROLE_DIALOG);
}

/* Leaving asks first (Cancel, Close, Esc, the menu's Quit), so one Esc
 * too many or a stray letter never ends the session; Ctrl-Q leaves at
 * once. Returns 1 when the operator said yes. */
static int leave_asked(void)
{
	return con_msg_confirm("Leave trustmgr", "Leave trustmgr?\n\nEvery change was written "
			       "when its operation ran; nothing is lost by leaving.", "&Yes",
			       "&No");
}

static void leave_pressed(con_widget *w)
{
	if (leave_asked())
		con_dialog_close(w->dlg, CON_DLG_CANCEL);
	else
		after_dialog(state_of(w), w->dlg);
}

static void help_pressed(con_widget *w)
{
	con_help_show(w->dlg, NULL);
}

/* ---- requests ------------------------------------------------------------------ */

static void run_on_selected(main_state *m, con_dialog *d, int req)
{
	const svc_row *r = selected(m);
	svc_row row;

	if (!r)
		return;
	row = *r;                  /* the rows are read again while the dialogs run */
	if (req == REQ_VERIFY)
		con_actions_verify(m->a, row.partner, row.netbios);
	else if (req == REQ_RESET)
		con_actions_reset(m->a, row.partner, row.netbios);
	else if (req == REQ_RECREATE)
		con_recreate_dialog(m->a, m->a->current, row.domain[0] ? row.domain : row.partner,
				    row.netbios);
	else
		con_onesided_dialog(m->a, row.partner, row.netbios);
	after_dialog(m, d);
}

/* The guided workflows that are not about the selected trust. */
static void guided(main_state *m, con_dialog *d, int req)
{
	if (req == REQ_HEALTH)
		con_health_dialog(m->a);
	else if (req == REQ_RECOVER)
		con_recover_dialog(m->a, NULL, 0);
	else
		con_resume_dialog(m->a);
	after_dialog(m, d);
}

static con_result request(main_state *m, con_dialog *d, int req)
{
	switch (req) {
	case REQ_VERIFY: case REQ_RESET: case REQ_RESET_ONE_SIDE: case REQ_RECREATE:
		run_on_selected(m, d, req);
		return CON_HANDLED;
	case REQ_HEALTH: case REQ_RECOVER: case REQ_RESUME:
		guided(m, d, req);
		return CON_HANDLED;
	case REQ_DOMAIN:
		if (con_domain_dialog(m->a))
			m->a->changed = 1;
		after_dialog(m, d);
		return CON_HANDLED;
	case REQ_NEW_TRUST:
		con_wizard_dialog(m->a);
		after_dialog(m, d);
		return CON_HANDLED;
	case REQ_REFRESH:
		reload(m, READ_LOUD);
		clearok(curscr, TRUE);
		return CON_REDRAW;
	case REQ_HELP:
		con_help_show(d, con_dialog_focused(d));
		return CON_HANDLED;
	case REQ_QUIT:
		con_dialog_quit(0);
		return CON_HANDLED;
	default:
		return CON_UNHANDLED;
	}
}

static con_result main_key(con_dialog *d, const con_event *ev)
{
	main_state *m = d->ctx;
	list_group *g = group_of(m, con_dialog_focused(d));
	int req;

	if (g)
		m->active = g;
	if (ev->req == REQ_MENU) {
		req = con_menu_dialog();
		if (req == REQ_QUIT) {
			leave_pressed(m->close);
			return CON_HANDLED;
		}
		return req == REQ_NONE ? CON_HANDLED : request(m, d, req);
	}
	if (ev->req == REQ_HELP)
		return CON_UNHANDLED;  /* the dialog convention: help on the focused item */
	return request(m, d, ev->req);
}

/* ---- layout and drawing ---------------------------------------------------------- */

static void place_group(main_state *m, list_group *g, int y, int h, int lw, int bx, int bw)
{
	(void)m;
	con_widget_place(g->list, y, 2, h, lw);
	con_widget_place(g->add, y + 2, bx, 1, bw);
	con_widget_place(g->remove, y + 3, bx, 1, bw);
	con_widget_place(g->props, y + 4, bx, 1, bw);
}

static void main_layout(con_dialog *d, int cols, int rows)
{
	main_state *m = d->ctx;
	int wide = cols >= WIDE_COLS, bw, bx, lw, total, first;

	d->fullscreen = 1;
	d->top = d->left = 0;
	d->width = cols;
	d->height = rows;
	con_widget_set_label(m->trusted.props, wide ? "&Properties..." : "&Props...");
	con_widget_set_label(m->trusting.props, wide ? "Pr&operties..." : "Pr&ops...");
	bw = con_button_width(m->trusted.props->label);
	bx = cols - 2 - bw;
	lw = bx - 3;
	con_widget_place(m->domain, 1, 2, 1, bx - 3);
	con_widget_place(m->close, 1, bx, 1, bw);
	con_widget_place(m->help, 2, bx, 1, bw);
	total = rows - 6;
	first = total / 2;
	place_group(m, &m->trusted, 3, first, lw, bx, bw);
	place_group(m, &m->trusting, 3 + first, total - first, lw, bx, bw);
	con_widget_place(m->status, rows - 3, 2, 1, cols - 4);
}

typedef struct key_item {
	int req;
	const char *what;
	int priority;              /* dropped first when the line is too narrow: lowest */
	int everywhere;            /* works in every dialog, not only in this one */
} key_item;

static const key_item key_items[] = {
	{ REQ_HELP, "Help", 9, 1 }, { REQ_NEXT, "Next", 2, 1 }, { REQ_ENTER, "Default", 1, 1 },
	{ REQ_CANCEL, "Close", 3, 1 }, { REQ_VERIFY, "Verify", 5, 0 },
	{ REQ_DOMAIN, "Domain", 6, 0 }, { REQ_NEW_TRUST, "New Trust", 0, 0 },
	{ REQ_HEALTH, "Health", 0, 0 }, { REQ_MENU, "Menu", 8, 0 },
};

/* Is the item on the key line? While another dialog is open over this one
 * only the keys every dialog answers are (F5, F6 and F10 are this
 * dialog's own). */
static int keyline_shows(size_t i, int min, int mine)
{
	return con_keymap_key(key_items[i].req) && key_items[i].priority >= min &&
	       (mine || key_items[i].everywhere);
}

/* What Esc does in the top dialog: its Cancel button's label, or Close. */
static const char *esc_word(const con_dialog *top, char *buf, size_t n)
{
	if (!top->cancel || !top->cancel->visible || top->cancel == top->ok)
		return "Close";        /* a message: Esc closes it */
	con_text_label_plain(top->cancel->label, buf, n);
	return buf;
}

/* Width of the key line with the items of priority >= min. */
static int keyline_width(int min, int mine, const char *esc)
{
	char label[CON_NAME_MAX];
	int w = 0;
	size_t i;

	for (i = 0; i < CON_ARRAY_LEN(key_items); i++) {
		int key = con_keymap_key(key_items[i].req);
		const char *what = key_items[i].req == REQ_CANCEL ? esc : key_items[i].what;

		if (!keyline_shows(i, min, mine))
			continue;
		con_key_label(key, label, sizeof(label));
		w += (w ? 2 : 0) + (int)strlen(label) + 1 + (int)strlen(what);
	}
	return w;
}

/* "F1 Help  Tab Next  Enter Default  Esc Close  F5 Verify  F6 Domain  F10 Menu",
 * from the current bindings, dropping the least useful items to fit; under
 * another dialog only the keys that work there ("Esc Cancel"). */
static void draw_keyline(con_dialog *d, WINDOW *win)
{
	char label[CON_NAME_MAX], esc_buf[CON_LABEL_MAX];
	con_dialog *top = con_dialog_stack_top();
	int min = 0, x = 2, avail = d->width - 3, mine = !top || top == d;
	const char *esc = mine ? "Close" : esc_word(top, esc_buf, sizeof(esc_buf));
	size_t i;

	while (min < 10 && keyline_width(min, mine, esc) > avail)
		min++;
	for (i = 0; i < CON_ARRAY_LEN(key_items); i++) {
		int key = con_keymap_key(key_items[i].req);

		if (!keyline_shows(i, min, mine))
			continue;
		con_key_label(key, label, sizeof(label));
		if (x > 2)
			x += 2;
		x += con_text_draw(win, d->height - 2, x, avail - x + 2, label, con_display_attr(ROLE_TITLE));
		x += 1;
		x += con_text_draw(win, d->height - 2, x, avail - x + 2,
				   key_items[i].req == REQ_CANCEL ? esc : key_items[i].what,
				   con_display_attr(ROLE_DIALOG));
	}
}

/* The lists follow the store: whatever ran since the last draw (a plan,
 * a resume at start-up) has them read before they are drawn again; a
 * change the watch noticed too, quietly, when no dialog is over this one;
 * and any dialog that was over this
 * one and has closed (help, the menu, a message: another process may have
 * changed the store meanwhile) when the stamp says so. */
static void main_draw(con_dialog *d, WINDOW *win)
{
	main_state *m = d->ctx;

	if (m->a->changed)
		reload(m, READ_STATUS);
	else if (m->noticed && con_dialog_stack_top() == d)
		reload(m, READ_QUIET);
	if (m->covered && con_dialog_stack_top() == d) {
		catch_up(m, READ_STATUS);
		m->covered = 0;
	}
	if (con_dialog_stack_top() != d)
		m->covered = 1;
	draw_keyline(d, win);
}

static void main_free(con_dialog *d)
{
	main_state *m = d->ctx;

	free(m->rows);
	m->rows = NULL;
}

static const con_dialog_ops main_ops = {
	main_layout, main_draw, main_key, NULL, NULL, main_free,
};

/* ---- building ------------------------------------------------------------------------- */

static int add_group(con_dialog *d, list_group *g, const char *label, const char *const *hot,
		     const char *const *help)
{
	g->list = con_dialog_add(d, con_list_new(g->direction == TRUST_DIRECTION_OUTBOUND ?
						 "trusted" : "trusting", label, MAIN_COLS, MAIN_FLEX,
						 help[0]));
	g->add = con_dialog_add(d, con_button_new(g->direction == TRUST_DIRECTION_OUTBOUND ?
						  "trusted-add" : "trusting-add", hot[0],
						  add_pressed, help[1]));
	g->remove = con_dialog_add(d, con_button_new(g->direction == TRUST_DIRECTION_OUTBOUND ?
						     "trusted-remove" : "trusting-remove", hot[1],
						     remove_pressed, help[2]));
	g->props = con_dialog_add(d, con_button_new(g->direction == TRUST_DIRECTION_OUTBOUND ?
						    "trusted-properties" : "trusting-properties",
						    hot[2], props_pressed, help[3]));
	if (!g->list || !g->add || !g->remove || !g->props)
		return -1;
	g->list->on_change = list_moved;
	con_list_set_columns(g->list, main_give_way,
			     sizeof(main_give_way) / sizeof(main_give_way[0]), 1);
	con_list_set_activate(g->list, props_pressed);
	con_list_set_empty(g->list, "(none)");
	return 0;
}

static const char *const trusted_help[] = {
	"The domains this domain trusts (outbound trusts): their users may use this domain's "
	"resources. Each row shows the NetBIOS name, the DNS name (\"(NT 4)\" for a downlevel "
	"domain, the realm for Kerberos), the type, transitive or not, one-way or two-way, and "
	"the last known state; a narrow screen drops Transitive first, then the DNS name, then "
	"the type. Enter opens Properties; F5 verifies the selected trust.",
	"Add Trusted Domain: make this domain trust another one, with the password the other "
	"domain's administrator set when permitting it (NT's two-administrator way).",
	"Remove the selected trust from this list: this side only, or both sides.",
	"Properties of the selected trust: names, SID, type, direction, attributes, encryption "
	"types, secrets' age and key version; Verify and Reset are there too.",
};
static const char *const trusting_help[] = {
	"The domains that trust this domain (inbound trusts): this domain's users may use their "
	"resources. NT 3.1 called this list \"Permitted to Trust this Domain\". Enter opens "
	"Properties; F5 verifies the selected trust.",
	"Permit Domain to Trust: allow another domain to trust this one, with an initial password "
	"that its administrator then types in Add Trusted Domain. The first attempt uses the one "
	"chance.",
	"Remove the selected trust from this list: this side only, or both sides.",
	"Properties of the selected trust.",
};
static const char *const trusted_hot[] = { "&Add...", "&Remove", "&Properties..." };
static const char *const trusting_hot[] = { "A&dd...", "R&emove", "Pr&operties..." };

static int build(con_dialog *d, main_state *m)
{
	d->help = "One domain's trust relationships, as User Manager for Domains showed them. "
		  "Trusted Domains are the domains this one trusts; Trusting Domains are the "
		  "domains that trust it; a two-way trust is in both. F6 switches domain, F7 "
		  "starts the New Trust wizard, F10 opens the menu.";
	m->domain = con_dialog_add(d, con_label_new("domain", "", ROLE_DIALOG));
	m->trusted.direction = TRUST_DIRECTION_OUTBOUND;
	m->trusting.direction = TRUST_DIRECTION_INBOUND;
	if (!m->domain ||
	    add_group(d, &m->trusted, "&Trusted Domains:", trusted_hot, trusted_help) < 0 ||
	    add_group(d, &m->trusting, "Tr&usting Domains:", trusting_hot, trusting_help) < 0)
		return -1;
	con_list_twin(m->trusted.list, m->trusting.list);
	m->close = con_dialog_add(d, con_button_new("cancel", "&Cancel", leave_pressed,
		"Leave the console, after a question. It reads Close once a change has been "
		"committed; changes are written when each operation runs, never on leaving."));
	m->help = con_dialog_add(d, con_button_new("help", "&Help", help_pressed,
						   "Help on this dialog and every key."));
	m->status = con_dialog_add(d, con_label_new("status", "", ROLE_DIALOG));
	d->cancel = m->close;
	m->active = &m->trusted;
	return m->close && m->help && m->status ? 0 : -1;
}

/* What the operator must know before anything else: the store could not be
 * read, or a plan was interrupted. Shown over the main dialog. */
static void startup_notes(main_state *m, con_dialog *d)
{
	if (con_dialog_stack_push(d) < 0)
		return;
	if (reload(m, READ_STATUS) < 0)
		reload(m, READ_LOUD); /* once more, now with the message on show */
	else if (con_resume_offer(m->a) != 0)
		after_dialog(m, d); /* resumed or rolled back: the lists changed */
	con_dialog_stack_pop();
}

/* con_main_dialog: until the operator (or the script) closes it. */
void con_main_dialog(con_app *a)
{
	main_state m;
	con_dialog *d;

	memset(&m, 0, sizeof(m));
	m.a = a;
	d = con_dialog_new("trust-relationships", "Trust Relationships", &main_ops, &m);
	m.self = d;
	if (!d || build(d, &m) < 0) {
		con_dialog_free(&d);
		con_dialog_quit_with(4, "trustmgr: out of memory while building the console.");
		return;
	}
	startup_notes(&m, d);
	con_dialog_focus(d, m.trusted.list);
	con_input_set_watch(main_watch, &m);
	con_dialog_run(d);
	con_input_set_watch(NULL, NULL);
	con_dialog_free(&d);
}
