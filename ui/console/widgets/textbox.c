/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* textbox.c - the text view: wrapped text that scrolls when it can take
 * the focus (widget.h). */
#include "ui/console/widgets/widget.h"

#include <stdlib.h>
#include <string.h>

#include "ui/console/requests.h"
#include "ui/console/text.h"

typedef struct text_widget {
	con_widget base;
	char *text;
	con_role role;
	int top;               /* first line shown */
} text_widget;

#define TEXT_MAX_LINES 512

static int text_width(const con_widget *w)
{
	return w->ops->focusable ? w->w - 1 : w->w;   /* a column for the scroll marks */
}

/* con_textbox_lines: lines at width. */
int con_textbox_lines(const con_widget *w, int width)
{
	const text_widget *t = (const text_widget *)w;
	con_span spans[1];

	if (!t->text || !t->text[0])
		return 0;
	return (int)con_text_wrap(t->text, width, spans, 0);
}

static void text_draw(con_widget *w, WINDOW *win, int focused)
{
	text_widget *t = (text_widget *)w;
	static con_span spans[TEXT_MAX_LINES];
	int width = text_width(w), i, n;
	attr_t a = con_display_attr(t->role), bg = con_display_attr(ROLE_DIALOG);
	char line[CON_LINE_MAX];

	(void)focused;
	for (i = 0; i < w->h; i++)
		con_text_fill(win, w->y + i, w->x, w->w, bg);
	if (!t->text || !t->text[0])
		return;
	n = (int)con_text_wrap(t->text, width, spans, TEXT_MAX_LINES);
	if (n > TEXT_MAX_LINES)
		n = TEXT_MAX_LINES;
	if (t->top > n - w->h)
		t->top = n - w->h > 0 ? n - w->h : 0;
	for (i = 0; i < w->h && t->top + i < n; i++) {
		const con_span *s = &spans[t->top + i];

		snprintf(line, sizeof(line), "%.*s", (int)s->len, t->text + s->start);
		con_text_draw(win, w->y + i, w->x + s->indent, width - s->indent, line, a);
	}
	if (w->ops->focusable && t->top > 0)
		con_text_draw(win, w->y, w->x + w->w - 1, 1, "^", con_display_attr(ROLE_HINT));
	if (w->ops->focusable && t->top + w->h < n)
		con_text_draw(win, w->y + w->h - 1, w->x + w->w - 1, 1, "v", con_display_attr(ROLE_HINT));
}

static con_result text_key(con_widget *w, const con_event *ev)
{
	text_widget *t = (text_widget *)w;
	int n = con_textbox_lines(w, text_width(w)), last = n - w->h > 0 ? n - w->h : 0;

	switch (ev->req) {
	case REQ_UP: t->top--; break;
	case REQ_DOWN: t->top++; break;
	case REQ_PAGE_UP: t->top -= w->h - 1 > 0 ? w->h - 1 : 1; break;
	case REQ_PAGE_DOWN: t->top += w->h - 1 > 0 ? w->h - 1 : 1; break;
	case REQ_HOME: t->top = 0; break;
	case REQ_END: t->top = last; break;
	default: return CON_UNHANDLED;
	}
	if (t->top > last)
		t->top = last;
	if (t->top < 0)
		t->top = 0;
	return CON_HANDLED;
}

static void text_dump(const con_widget *w, FILE *f)
{
	const text_widget *t = (const text_widget *)w;
	const char *p = t->text ? t->text : "";
	const char *nl;

	if (!*p) {
		fprintf(f, "  value:\n");
		return;
	}
	while (*p) {
		nl = strchr(p, '\n');
		fprintf(f, "  value: %.*s\n", (int)(nl ? nl - p : (long)strlen(p)), p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

static void text_free(con_widget *w)
{
	free(((text_widget *)w)->text);
}

static const con_widget_ops text_ops = {
	"text", 0, text_draw, NULL, text_dump, text_free,
};
static const con_widget_ops text_scroll_ops = {
	"textview", 1, text_draw, text_key, text_dump, text_free,
};

/* con_textbox_new: a wrapped text; focusable ones scroll. */
con_widget *con_textbox_new(const char *name, int focusable, const char *help)
{
	text_widget *t = (text_widget *)con_widget_alloc(sizeof(*t),
						     focusable ? &text_scroll_ops : &text_ops,
						     name, "", help);

	if (t)
		t->role = ROLE_DIALOG;
	return t ? &t->base : NULL;
}

/* con_textbox_set: copy the text; scroll to the top. */
void con_textbox_set(con_widget *w, const char *text, con_role role)
{
	text_widget *t = (text_widget *)w;
	char *copy = strdup(text ? text : "");

	if (!copy)
		return;
	free(t->text);
	t->text = copy;
	t->role = role;
	t->top = 0;
}

/* con_textbox_get: the text ("" when none). */
const char *con_textbox_get(const con_widget *w)
{
	const text_widget *t = (const text_widget *)w;

	return t->text ? t->text : "";
}
