/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check.c - the check box, "[x] Label" (widget.h). */
#include "ui/console/widgets/widget.h"

#include "ui/console/requests.h"
#include "ui/console/text.h"

typedef struct check_widget {
	con_widget base;
	int value;
} check_widget;

static void check_draw(con_widget *w, WINDOW *win, int focused)
{
	check_widget *c = (check_widget *)w;
	attr_t face = con_display_attr(!w->enabled ? ROLE_DISABLED : w->invalid ? ROLE_ERROR : ROLE_DIALOG);
	attr_t box = con_display_attr(!w->enabled ? ROLE_DISABLED : focused ? ROLE_FIELD_FOCUS : ROLE_DIALOG);

	con_text_fill(win, w->y, w->x, w->w, con_display_attr(ROLE_DIALOG));
	con_text_draw(win, w->y, w->x, 3, c->value ? "[x]" : "[ ]", box);
	con_text_draw_label(win, w->y, w->x + 4, w->w - 4, w->label, face,
		       w->enabled ? con_display_attr(ROLE_HOTKEY) : face);
	if (focused) {
		w->want_cursor = 1;
		w->cursor_y = w->y;
		w->cursor_x = w->x + 1;
	}
}

static con_result check_key(con_widget *w, const con_event *ev)
{
	if (ev->req != REQ_TOGGLE)
		return CON_UNHANDLED;
	con_check_set(w, !con_check_get(w));
	if (w->on_change)
		w->on_change(w);
	return CON_HANDLED;
}

static void check_dump(const con_widget *w, FILE *f)
{
	fprintf(f, "  value: %s\n", ((const check_widget *)w)->value ? "checked" : "unchecked");
}

static const con_widget_ops check_ops = {
	"checkbox", 1, check_draw, check_key, check_dump, NULL,
};

/* con_check_new: "[x] label". */
con_widget *con_check_new(const char *name, const char *label, int value, const char *help)
{
	check_widget *c = (check_widget *)con_widget_alloc(sizeof(*c), &check_ops, name, label, help);

	if (!c)
		return NULL;
	c->value = value != 0;
	return &c->base;
}

/* con_check_get: 1 checked. */
int con_check_get(const con_widget *w)
{
	return ((const check_widget *)w)->value;
}

/* con_check_set: without calling on_change. */
void con_check_set(con_widget *w, int value)
{
	((check_widget *)w)->value = value != 0;
}
