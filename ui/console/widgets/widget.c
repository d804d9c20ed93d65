/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* widget.c - what every widget shares (widget.h): allocation, placing,
 * label and hotkey, enabled, shown, validation state. Each kind has a file
 * of its own: button.c, label.c, textbox.c, entry.c, check.c, choice.c,
 * list.c. */
#include "ui/console/widgets/widget.h"

#include <stdlib.h>

#include "ui/console/text.h"

/* con_widget_alloc: zeroed, common part filled. */
con_widget *con_widget_alloc(size_t size, const con_widget_ops *ops, const char *name,
				const char *label, const char *help)
{
	con_widget *w = calloc(1, size);

	if (!w)
		return NULL;
	w->ops = ops;
	snprintf(w->name, sizeof(w->name), "%s", name ? name : "");
	con_widget_set_label(w, label ? label : "");
	w->help = help;
	w->enabled = 1;
	w->visible = 1;
	w->h = 1;
	return w;
}

/* con_widget_free: the kind's own memory, then the widget. */
void con_widget_free(con_widget **w)
{
	if (!*w)
		return;
	if ((*w)->ops->free)
		(*w)->ops->free(*w);
	free(*w);
	*w = NULL;
}

/* con_widget_place: where the dialog's layout puts it. */
void con_widget_place(con_widget *w, int y, int x, int h, int width)
{
	w->y = y;
	w->x = x;
	w->h = h < 1 ? 1 : h;
	w->w = width < 1 ? 1 : width;
}

/* con_widget_set_label: label and hotkey. */
void con_widget_set_label(con_widget *w, const char *label)
{
	snprintf(w->label, sizeof(w->label), "%s", label);
	w->hotkey = con_text_label_hotkey(w->label);
}

/* con_widget_enable: disabled widgets are drawn dim and skipped by Tab. */
void con_widget_enable(con_widget *w, int on)
{
	w->enabled = on != 0;
}

/* con_widget_show: hidden widgets are neither drawn nor focused. */
void con_widget_show(con_widget *w, int on)
{
	w->visible = on != 0;
}

/* con_widget_invalid: the validation state. */
void con_widget_invalid(con_widget *w, const char *why)
{
	w->invalid = why != NULL;
	snprintf(w->why, sizeof(w->why), "%s", why ? why : "");
}

/* con_widget_can_focus: focusable, enabled and visible. */
int con_widget_can_focus(const con_widget *w)
{
	return w->ops->focusable && w->enabled && w->visible;
}
