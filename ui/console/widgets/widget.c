/* widget.c - what every widget shares, and the simple ones: button, label
 * and text view (widget.h). Fields, lists, check boxes and choices have
 * files of their own. */
#include "ui/console/widgets/widget.h"

#include <stdlib.h>
#include <string.h>

#include "ui/console/requests.h"
#include "ui/console/text.h"

/* ---- every widget ------------------------------------------------------ */

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

/* ---- button -------------------------------------------------------------- */

/* con_button_width: "[ " label " ]". */
int con_button_width(const char *label)
{
	char plain[96];

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

/* ---- label ---------------------------------------------------------------- */

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

/* ---- text view ------------------------------------------------------------ */

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
	char line[1024];

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

