/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* domain.c - Select Domain (F6): which domain Trust Relationships is
 * about, as User Manager's Select Domain did. */
#include <stdio.h>
#include <string.h>

#include "ui/console/dialogs/dialogs.h"

typedef struct domain_state {
	con_app *a;
	con_widget *list, *ok, *cancel;
	int switched;
} domain_state;

static const char *kind_text(const tm_domain *d, char *buf, size_t n)
{
	if (d->kind == DOMAIN_MIT)
		snprintf(buf, n, "Kerberos realm %s", d->realm);
	else if (d->kind == DOMAIN_NT4)
		snprintf(buf, n, "NT 4 domain");
	else if (!d->forest[0] || name_equal(d->forest, d->dns))
		snprintf(buf, n, "%s, forest root (%s)", d->dns, trust_level_name(d->level));
	else
		snprintf(buf, n, "%s, in the %s forest", d->dns, d->forest);
	return buf;
}

static void domain_layout(con_dialog *d, int cols, int rows)
{
	domain_state *s = d->ctx;
	con_widget *buttons[2] = { s->ok, s->cancel };
	int h = (int)con_list_count(s->list) + 7;

	con_dialog_center(d, 66, h < 9 ? 9 : h, cols, rows);
	con_widget_place(s->list, 1, 2, d->height - 4, d->width - 4);
	con_dialog_button_row(d, d->height - 2, buttons, 2);
}

static int domain_submit(con_dialog *d)
{
	domain_state *s = d->ctx;
	const char *key = con_list_key(s->list, con_list_selected(s->list));

	if (!key[0])
		return 1;
	s->switched = strcmp(key, s->a->current) != 0;
	snprintf(s->a->current, sizeof(s->a->current), "%s", key);
	return 1;
}

static const con_dialog_ops domain_ops = { domain_layout, NULL, NULL, domain_submit, NULL, NULL };

static void chosen(con_widget *w)
{
	con_dialog_ok_pressed(w->dlg->ok);
}

static int build(con_dialog *d, domain_state *s)
{
	char kind[3 * NAME_DNS_MAX];
	size_t i;

	s->list = con_dialog_add(d, con_list_new("domains", "&Domains:", 2, 1,
		"Every domain trustmgr knows. Enter shows the chosen domain's trust "
		"relationships."));
	s->ok = con_dialog_add(d, con_button_new("ok", "&OK", con_dialog_ok_pressed,
						 "Show the chosen domain."));
	s->cancel = con_dialog_add(d, con_button_new("cancel", "Cancel", con_dialog_cancel_pressed,
						     "Stay with the domain shown now."));
	if (!s->list || !s->ok || !s->cancel)
		return -1;
	for (i = 0; i < s->a->ndomains; i++) {
		const tm_domain *dom = &s->a->domains[i];
		const char *cells[2];

		cells[0] = dom->name;
		cells[1] = kind_text(dom, kind, sizeof(kind));
		con_list_add(s->list, cells, dom->name);
	}
	con_list_set_empty(s->list, "(the store holds no domains)");
	con_list_select_key(s->list, s->a->current);
	con_list_set_activate(s->list, chosen);
	d->ok = s->ok;
	d->cancel = s->cancel;
	d->help = "Choose the domain whose trust relationships the console shows. Each administrator "
		  "of a two-sided trust works on their own domain: permit on one, switch here, then "
		  "add the trusted domain on the other.";
	return 0;
}

/* con_domain_dialog: 1 when another domain was chosen. */
int con_domain_dialog(con_app *a)
{
	domain_state s;
	con_dialog *d;
	tm_error e;
	int switched = 0;

	memset(&s, 0, sizeof(s));
	s.a = a;
	error_clear(&e);
	if (con_app_load(a, &e) < 0) {
		char buf[CON_ERROR_MAX];

		con_dialog_format_error(&e, buf, sizeof(buf));
		con_msg_box("Select Domain", ROLE_ERROR, buf);
		return 0;
	}
	d = con_dialog_new("select-domain", "Select Domain", &domain_ops, &s);
	if (d && build(d, &s) == 0) {
		con_dialog_focus(d, s.list);
		switched = con_dialog_run(d) == CON_DLG_OK && s.switched;
	}
	con_dialog_free(&d);
	return switched;
}
