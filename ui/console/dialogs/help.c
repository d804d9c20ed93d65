/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* help.c - F1: help on the focused item, on the dialog, and every key
 * of the request table (requests.h) with its current binding. */
#include <stdio.h>
#include <string.h>

#include "ui/console/dialogs/dialogs.h"
#include "ui/console/key.h"
#include "ui/console/requests.h"
#include "ui/console/text.h"


static void help_layout(con_dialog *d, int cols, int rows)
{
	con_widget *text = d->w[0], *close = d->w[1];

	con_dialog_center(d, 76, rows - 2, cols, rows);
	con_widget_place(text, 1, 2, d->height - 4, d->width - 4);
	con_dialog_button_row(d, d->height - 2, &close, 1);
}

static const con_dialog_ops help_ops = { help_layout, NULL, NULL, NULL, NULL, NULL };

static void append(char *buf, size_t n, const char *s)
{
	size_t len = strlen(buf);

	if (len + 1 < n)
		snprintf(buf + len, n - len, "%s", s);
}

/* "Title\ntext\n\n". */
static void append_section(char *buf, size_t n, const char *title, const char *text)
{
	append(buf, n, title);
	append(buf, n, "\n");
	append(buf, n, text);
	append(buf, n, "\n\n");
}

/* "  F5          Verify the selected trust" for every request. */
static void append_keys(char *buf, size_t n)
{
	char label[CON_NAME_MAX], line[CON_LINE_MAX];
	int req;

	append(buf, n, "Keys\n");
	for (req = REQ_NONE + 1; req < REQ_LAST; req++) {
		int key = con_keymap_key(req);

		if (key)
			con_key_label(key, label, sizeof(label));
		else
			snprintf(label, sizeof(label), "(F10 menu)");
		snprintf(line, sizeof(line), "  %-12s %s\n", label, con_keymap_request_help(req));
		append(buf, n, line);
	}
	append(buf, n, "  Alt+letter   Press the button, or go to the field, whose underlined "
	       "letter it is; outside text fields the letter alone does the same\n");
	append(buf, n, "  Ctrl-U, Ctrl-K, Ctrl-W  In a text field: clear to the start, to the "
	       "end, the word before the cursor\n");
}

/* The heading of the focused item's help: its label, or, for an item
 * without one, what kind of item it is (never the internal field name). */
static void item_heading(const con_widget *w, char *buf, size_t n)
{
	static const char *const kinds[][2] = {
		{ "list", "This list" }, { "choice", "These choices" }, { "textview", "This text" },
		{ "checkbox", "This check box" }, { "button", "This button" },
		{ "password", "This password field" },
	};
	size_t i;

	con_text_label_plain(w->label, buf, n);
	if (buf[0])
		return;
	snprintf(buf, n, "This field");
	for (i = 0; i < CON_ARRAY_LEN(kinds); i++)
		if (strcmp(w->ops->kind, kinds[i][0]) == 0)
			snprintf(buf, n, "%s", kinds[i][1]);
}

/* con_help_show: the item, the dialog, the keys. */
void con_help_show(con_dialog *d, con_widget *w)
{
	static char text[CON_TEXT_MAX];
	char label[CON_LABEL_MAX];
	con_dialog *h = con_dialog_new("help", "Help", &help_ops, NULL);
	con_widget *t, *close;

	if (!h)
		return;
	text[0] = '\0';
	if (w && w->help) {
		item_heading(w, label, sizeof(label));
		append_section(text, sizeof(text), label, w->help);
	}
	if (d && d->help)
		append_section(text, sizeof(text), d->title, d->help);
	append_keys(text, sizeof(text));
	h->help = "This is the help. Arrows and PgUp/PgDn scroll; Enter or Esc closes it.";
	t = con_dialog_add(h, con_textbox_new("text", 1, "The help text. Arrows scroll it."));
	close = con_dialog_add(h, con_button_new("close", "&Close", con_dialog_ok_pressed,
						 "Close the help."));
	if (t && close) {
		con_textbox_set(t, text, ROLE_DIALOG);
		h->ok = h->cancel = close;
		con_dialog_focus(h, t);
		con_dialog_run(h);
	}
	con_dialog_free(&h);
}
