/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* msg.c - the message box and the yes/no question (dialogs.h). */
#include <string.h>

#include "ui/console/dialogs/dialogs.h"
#include "ui/console/text.h"

#define MSG_MIN_W 44
#define MSG_MAX_W 72

/* The widest paragraph of text, in columns. */
static int widest_line(const char *text)
{
	char line[CON_LINE_MAX];
	int best = 0, w;

	while (*text) {
		size_t len = strcspn(text, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)len, text);
		w = con_text_width(line);
		if (w > best)
			best = w;
		text += len + (text[len] == '\n');
	}
	return best;
}

static void msg_layout(con_dialog *d, int cols, int rows)
{
	con_widget *text = d->w[0];
	con_widget *buttons[2] = { d->ok, d->cancel };
	int want = widest_line(con_textbox_get(text)) + 5, lines, area;

	if (want < MSG_MIN_W)
		want = MSG_MIN_W;
	if (want > MSG_MAX_W)
		want = MSG_MAX_W;
	lines = con_textbox_lines(text, (want < cols - 2 ? want : cols - 2) - 5);
	con_dialog_center(d, want, lines + 4, cols, rows);
	area = d->height - 4;
	con_widget_place(text, 1, 2, area < 1 ? 1 : area, d->width - 4);
	con_widget_enable(text, con_textbox_lines(text, d->width - 5) > area);
	con_dialog_button_row(d, d->height - 2, buttons, d->cancel ? 2 : 1);
}

static const con_dialog_ops msg_ops = { msg_layout, NULL, NULL, NULL, NULL, NULL };

static con_dialog *msg_new(const char *name, const char *title, con_role role, const char *text,
			   const char *yes, const char *no)
{
	con_dialog *d = con_dialog_new(name, title, &msg_ops, NULL);
	con_widget *t;

	if (!d)
		return NULL;
	d->help = "Read the message; Enter or Esc closes it. When the text is longer than the "
		  "box, the arrows and PgUp/PgDn scroll it.";
	t = con_dialog_add(d, con_textbox_new("text", 1, "The message. Arrows scroll it."));
	if (t)
		con_textbox_set(t, text, role);
	d->ok = con_dialog_add(d, con_button_new(no ? "yes" : "ok", yes, con_dialog_ok_pressed,
						 no ? "Go ahead." : "Close the message."));
	if (no)
		d->cancel = con_dialog_add(d, con_button_new("no", no, con_dialog_cancel_pressed,
							     "Leave everything as it is."));
	else
		d->cancel = d->ok;
	if (d->ok && t) {
		con_dialog_focus(d, d->ok);
		msg_layout(d, COLS, LINES);
		if (t->enabled)
			con_dialog_focus(d, t);
	}
	return d;
}

/* con_msg_box: OK closes it. */
void con_msg_box(const char *title, con_role role, const char *text)
{
	con_dialog *d = msg_new("message", title, role, text, "&OK", NULL);

	if (d)
		con_dialog_run(d);
	con_dialog_free(&d);
}

/* con_msg_confirm: 1 when yes was pressed. */
int con_msg_confirm(const char *title, const char *text, const char *yes, const char *no)
{
	con_dialog *d = msg_new("confirm", title, ROLE_DIALOG, text, yes, no);
	int rc = 0;

	if (d)
		rc = con_dialog_run(d) == CON_DLG_OK;
	con_dialog_free(&d);
	return rc;
}
