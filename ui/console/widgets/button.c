/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* button.c - the push button, "[ Label ]" (widget.h). */
#include "ui/console/widgets/widget.h"

#include "ui/console/requests.h"
#include "ui/console/text.h"

/* con_button_width: "[ " label " ]". */
int con_button_width(const char *label)
{
	char plain[CON_LABEL_MAX];

	con_text_label_plain(label, plain, sizeof(plain));
	return con_text_width(plain) + 4;
}

static void button_draw(con_widget *w, WINDOW *win, int focused)
{
	con_role role = !w->enabled ? ROLE_DISABLED : focused ? ROLE_BUTTON_FOCUS : ROLE_BUTTON;
	attr_t a = con_display_attr(role);
	attr_t hot = !w->enabled ? a : focused ? a | A_UNDERLINE : con_display_attr(ROLE_HOTKEY);
	int used;

	con_text_fill(win, w->y, w->x, w->w, a);
	con_text_draw(win, w->y, w->x, 2, "[ ", a);
	used = con_text_draw_label(win, w->y, w->x + 2, w->w - 4, w->label, a, hot);
	con_text_draw(win, w->y, w->x + w->w - 2, 2, " ]", a);
	(void)used;
	if (focused) {
		w->want_cursor = 1;
		w->cursor_y = w->y;
		w->cursor_x = w->x + 2;
	}
}

static con_result button_key(con_widget *w, const con_event *ev)
{
	if (ev->req != REQ_ENTER && ev->req != REQ_TOGGLE)
		return CON_UNHANDLED;
	if (w->enabled && w->on_activate)
		w->on_activate(w);
	return CON_HANDLED;
}

static void button_dump(const con_widget *w, FILE *f)
{
	(void)w;
	(void)f;
}

static const con_widget_ops button_ops = {
	"button", 1, button_draw, button_key, button_dump, NULL,
};

/* con_button_new: a push button. */
con_widget *con_button_new(const char *name, const char *label, con_widget_fn on_press,
			   const char *help)
{
	con_widget *w = con_widget_alloc(sizeof(con_widget), &button_ops, name, label, help);

	if (w) {
		w->on_activate = on_press;
		w->w = con_button_width(label);
	}
	return w;
}
