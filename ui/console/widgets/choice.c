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
	unsigned disabled;         /* bit i: option i cannot be picked */
} choice_widget;

static int option_off(const choice_widget *c, int i)
{
	return (c->disabled >> i) & 1u;
}

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
		attr_t off = option_off(c, i) ? con_display_attr(ROLE_DISABLED) : face;

		con_text_draw(win, w->y + row, w->x + col, 3, i == c->value ? "(*)" :
			      option_off(c, i) ? "(-)" : "( )", i == c->value ? mark : off);
		con_text_draw(win, w->y + row, w->x + col + 4, w->w - col - 4, c->options[i], off);
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

	int step;

	switch (ev->req) {
	case REQ_LEFT: case REQ_UP: v = v > 0 ? v - 1 : 0; step = -1; break;
	case REQ_RIGHT: case REQ_DOWN: v = v < last ? v + 1 : last; step = 1; break;
	case REQ_TOGGLE: v = v < last ? v + 1 : 0; step = 1; break;
	case REQ_HOME: v = 0; step = 1; break;
	case REQ_END: v = last; step = -1; break;
	default: return CON_UNHANDLED;
	}
	/* a disabled option is passed over, never picked */
	while (v >= 0 && v <= last && option_off(c, v) && v != c->value)
		v = ev->req == REQ_TOGGLE && v == last ? 0 : v + step;
	if (v < 0 || v > last)
		v = c->value;
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
		fprintf(f, "%s%s%s", i ? " | " : " ", c->options[i],
			option_off(c, (int)i) ? " (disabled)" : "");
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

/* con_choice_disable: option i can (off 0) or cannot (off 1) be picked. */
void con_choice_disable(con_widget *w, int i, int off)
{
	choice_widget *c = (choice_widget *)w;

	if (i < 0 || i >= CON_CHOICE_MAX)
		return;
	if (off)
		c->disabled |= 1u << i;
	else
		c->disabled &= ~(1u << i);
}

/* con_choice_enabled: can option i be picked? */
int con_choice_enabled(const con_widget *w, int i)
{
	const choice_widget *c = (const choice_widget *)w;

	return i >= 0 && (size_t)i < c->shown && !option_off(c, i);
}

/* con_choice_count: options shown. */
size_t con_choice_count(const con_widget *w)
{
	return ((const choice_widget *)w)->shown;
}
