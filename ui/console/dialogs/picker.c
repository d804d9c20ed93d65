/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* picker.c - a domain field with the list of known domains below it:
 * type a name, or move in the list to fill the field (dialogs.h). */
#include <stdio.h>
#include <string.h>

#include "ui/console/dialogs/dialogs.h"
#include "ui/console/text.h"

static void picker_notify(con_picker *p)
{
	if (p->changed)
		p->changed(p->entry);
}

/* Typing: the list follows when the text names a known domain. */
static void entry_changed(con_widget *w)
{
	con_picker *p = w->user;
	const tm_domain *d = con_picker_domain(p);

	if (d)
		con_list_select_key(p->list, d->name);
	picker_notify(p);
}

/* Moving in the list: the field takes the domain's name. */
static void list_changed(con_widget *w)
{
	con_picker *p = w->user;

	con_entry_set(p->entry, con_list_key(w, con_list_selected(w)));
	picker_notify(p);
}

static void fill_list(con_picker *p)
{
	const tm_domain *cur = con_app_current(p->app);
	char where[NAME_DNS_MAX + 16];
	size_t i;

	for (i = 0; i < p->app->ndomains; i++) {
		const tm_domain *d = &p->app->domains[i];
		const char *cells[2];

		if (d == cur)
			continue;
		con_app_domain_where(d, where, sizeof(where));
		cells[0] = d->name;
		cells[1] = where;
		con_list_add(p->list, cells, d->name);
	}
	con_list_set_empty(p->list, "(no other domain is known)");
	con_list_select(p->list, 0);
}

/* Enter in the list: take the row and go on to the next field. */
static void list_chosen(con_widget *w)
{
	con_picker *p = w->user;
	con_dialog *d = w->dlg;
	size_t i;

	list_changed(w);
	for (i = 0; i + 1 < d->nw; i++)
		if (d->w[i] == w) {
			size_t k;

			for (k = i + 1; k < d->nw; k++)
				if (con_widget_can_focus(d->w[k])) {
					con_dialog_focus(d, d->w[k]);
					break;
				}
			break;
		}
	(void)p;
}

/* con_picker_add: the field "domain" and the list "known". */
int con_picker_add(con_picker *p, con_app *a, con_dialog *d, const char *label,
		   con_widget_fn changed)
{
	p->app = a;
	p->changed = changed;
	p->entry = con_dialog_add(d, con_entry_new("domain", label, NAME_DNS_MAX - 1, 0,
		"The other domain: type its name (NetBIOS, DNS, realm or the name it was added "
		"under), or pick it from the list of known domains below."));
	p->list = con_dialog_add(d, con_list_new("known", "&Known domains:", 2, 1,
		"The domains trustmgr knows. Moving in the list puts the domain's name in the "
		"field above."));
	if (!p->entry || !p->list)
		return -1;
	p->entry->user = p;
	p->list->user = p;
	p->entry->on_change = entry_changed;
	p->list->on_change = list_changed;
	con_list_set_activate(p->list, list_chosen);
	fill_list(p);
	return 0;
}

/* con_picker_domain: what the field names. */
const tm_domain *con_picker_domain(const con_picker *p)
{
	char name[NAME_DNS_MAX];

	con_entry_get(p->entry, name, sizeof(name));
	return con_app_find(p->app, name);
}

/* con_picker_place: field, then the list. */
void con_picker_place(con_picker *p, int y, int x, int w, int label_w, int list_h)
{
	con_widget_place(p->entry, y, x, 1, w);
	p->entry->label_w = label_w;
	con_widget_place(p->list, y + 1, x + label_w, list_h, w - label_w);
}

/* con_picker_problem: empty, unknown, or the domain shown itself. */
const char *con_picker_problem(const con_picker *p, char *buf, size_t n)
{
	char name[NAME_DNS_MAX];
	const tm_domain *d;

	con_entry_get(p->entry, name, sizeof(name));
	if (!name[0]) {
		snprintf(buf, n, "Type the other domain's name or pick it from the list.");
		return buf;
	}
	d = con_app_find(p->app, name);
	if (!d) {
		snprintf(buf, n, "%s is not a domain trustmgr knows. Pick one from the list, or add "
			 "it first with 'trustmgr domain add'.", name);
		return buf;
	}
	if (d == con_app_current(p->app)) {
		snprintf(buf, n, "A domain cannot trust itself: pick another domain than %s.",
			 d->name);
		return buf;
	}
	return NULL;
}
