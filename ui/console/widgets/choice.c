/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* choice.c - the choice (radio buttons), "(*) one  ( ) two" (widget.h). */
#include "ui/console/widgets/widget.h"

#include <stdlib.h>
#include <string.h>

#include "ui/console/requests.h"
#include "ui/console/text.h"

typedef struct choice_widget {
	con_widget base;
	char *options[CON_CHOICE_MAX];
	size_t n, shown;
	int value;
	int vertical;
} choice_widget;

/* Where option i starts: (row, column) inside the widget. */
static void option_at(const choice_widget *c, size_t i, int *row, int *col)
{
	size_t k;

	*row = 0;
	*col = c->base.label_w;
	if (c->vertical) {
		*row = (int)i;
		return;
	}
	for (k = 0; k < i; k++)
		*col += 4 + con_text_width(c->options[k]) + 2;
}

static void choice_draw(con_widget *w, WINDOW *win, int focused)
{
	choice_widget *c = (choice_widget *)w;
	attr_t face = con_display_attr(!w->enabled ? ROLE_DISABLED : w->invalid ? ROLE_ERROR : ROLE_DIALOG);
	attr_t mark = con_display_attr(!w->enabled ? ROLE_DISABLED : focused ? ROLE_FIELD_FOCUS : ROLE_DIALOG);
	int row, col, i;

	for (i = 0; i < (c->vertical ? (int)c->shown : 1); i++)
		con_text_fill(win, w->y + i, w->x, w->w, con_display_attr(ROLE_DIALOG));
	if (w->label_w > 0)
		con_text_draw_label(win, w->y, w->x, w->label_w - 1, w->label, face,
			       w->enabled ? con_display_attr(ROLE_HOTKEY) : face);
	for (i = 0; i < (int)c->shown; i++) {
		option_at(c, (size_t)i, &row, &col);
		if (col >= w->w)
			break;
		con_text_draw(win, w->y + row, w->x + col, 3, i == c->value ? "(*)" : "( )",
			      i == c->value ? mark : face);
		con_text_draw(win, w->y + row, w->x + col + 4, w->w - col - 4, c->options[i], face);
	}
	if (focused) {
		option_at(c, (size_t)c->value, &row, &col);
		w->want_cursor = 1;
		w->cursor_y = w->y + row;
		w->cursor_x = w->x + col + 1;
	}
}

static con_result choice_key(con_widget *w, const con_event *ev)
{
	choice_widget *c = (choice_widget *)w;
	int v = c->value, last = (int)c->shown - 1;

	switch (ev->req) {
	case REQ_LEFT: case REQ_UP: v = v > 0 ? v - 1 : 0; break;
	case REQ_RIGHT: case REQ_DOWN: v = v < last ? v + 1 : last; break;
	case REQ_TOGGLE: v = v < last ? v + 1 : 0; break;
	case REQ_HOME: v = 0; break;
	case REQ_END: v = last; break;
	default: return CON_UNHANDLED;
	}
	if (v != c->value) {
		c->value = v;
		if (w->on_change)
			w->on_change(w);
	}
	return CON_HANDLED;
}

static void choice_dump(const con_widget *w, FILE *f)
{
	const choice_widget *c = (const choice_widget *)w;
	size_t i;

	fprintf(f, "  value: %s\n", c->options[c->value] ? c->options[c->value] : "");
	fprintf(f, "  options:");
	for (i = 0; i < c->shown; i++)
		fprintf(f, "%s%s", i ? " | " : " ", c->options[i]);
	fputc('\n', f);
}

static void choice_free(con_widget *w)
{
	choice_widget *c = (choice_widget *)w;
	size_t i;

	for (i = 0; i < CON_CHOICE_MAX; i++)
		free(c->options[i]);
}

static const con_widget_ops choice_ops = {
	"choice", 1, choice_draw, choice_key, choice_dump, choice_free,
};

/* con_choice_new: n options (copied), the first one picked. */
con_widget *con_choice_new(const char *name, const char *label, const char *const *options,
			   size_t n, int vertical, const char *help)
{
	choice_widget *c = (choice_widget *)con_widget_alloc(sizeof(*c), &choice_ops, name, label,
							     help);
	size_t i;

	if (!c)
		return NULL;
	c->n = c->shown = n > CON_CHOICE_MAX ? CON_CHOICE_MAX : n;
	c->vertical = vertical;
	for (i = 0; i < c->n; i++)
		con_choice_set_option(&c->base, (int)i, options[i]);
	return &c->base;
}

/* con_choice_get: the picked option. */
int con_choice_get(const con_widget *w)
{
	return ((const choice_widget *)w)->value;
}

/* con_choice_set: without calling on_change. */
void con_choice_set(con_widget *w, int i)
{
	choice_widget *c = (choice_widget *)w;

	if (i >= 0 && (size_t)i < c->shown)
		c->value = i;
}

/* con_choice_set_option: replace one option's text. */
void con_choice_set_option(con_widget *w, int i, const char *text)
{
	choice_widget *c = (choice_widget *)w;
	char *copy;

	if (i < 0 || i >= CON_CHOICE_MAX || !(copy = strdup(text ? text : "")))
		return;
	free(c->options[i]);
	c->options[i] = copy;
}

/* con_choice_set_count: show the first n options. */
void con_choice_set_count(con_widget *w, size_t n)
{
	choice_widget *c = (choice_widget *)w;

	c->shown = n > c->n ? c->n : n < 1 ? 1 : n;
	if (c->value >= (int)c->shown)
		c->value = 0;
}

/* con_choice_count: options shown. */
size_t con_choice_count(const con_widget *w)
{
	return ((const choice_widget *)w)->shown;
}
