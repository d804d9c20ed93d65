/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* label.c - one line of static text in a role (widget.h). */
#include "ui/console/widgets/widget.h"

#include <stdlib.h>
#include <string.h>

#include "ui/console/text.h"

typedef struct label_widget {
	con_widget base;
	char *text;
	con_role role;
} label_widget;

static void label_draw(con_widget *w, WINDOW *win, int focused)
{
	label_widget *l = (label_widget *)w;
	con_role role = w->enabled ? l->role : ROLE_DISABLED;

	(void)focused;
	con_text_fill(win, w->y, w->x, w->w, con_display_attr(ROLE_DIALOG));
	con_text_draw(win, w->y, w->x, w->w, l->text ? l->text : "", con_display_attr(role));
}

static void label_dump(const con_widget *w, FILE *f)
{
	const label_widget *l = (const label_widget *)w;

	fprintf(f, "  value:%s%s\n", l->text && l->text[0] ? " " : "", l->text ? l->text : "");
}

static void label_free(con_widget *w)
{
	free(((label_widget *)w)->text);
}

static const con_widget_ops label_ops = {
	"text", 0, label_draw, NULL, label_dump, label_free,
};

/* con_label_new: static text. */
con_widget *con_label_new(const char *name, const char *text, con_role role)
{
	label_widget *l = (label_widget *)con_widget_alloc(sizeof(*l), &label_ops, name, "", NULL);

	if (l)
		con_label_set(&l->base, text, role);
	return l ? &l->base : NULL;
}

/* con_label_set: new text (copied). */
void con_label_set(con_widget *w, const char *text, con_role role)
{
	label_widget *l = (label_widget *)w;
	char *copy = strdup(text ? text : "");

	if (!copy)
		return;        /* out of memory: keep the old text */
	free(l->text);
	l->text = copy;
	l->role = role;
}
