/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* entry.c - the text field, with a password mode (widget.h).
 *
 * The value lives only in the widget's own buffer of code points; in
 * password mode it is drawn as one '*' per character, dumped as a count of
 * characters, and wiped (overwritten with zeros) when the field is emptied
 * or freed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/secret.h"
#include "model/utf8.h"
#include "ui/console/key.h"
#include "ui/console/requests.h"
#include "ui/console/text.h"
#include "ui/console/widgets/widget.h"

typedef struct entry_widget {
	con_widget base;
	int *chars;            /* max + 1 code points */
	size_t max, len, cur;  /* capacity, length, cursor */
	size_t off;            /* first character shown */
	int password;
} entry_widget;

#define CTRL(c) ((c) & 0x1f)

static int shown_char(const entry_widget *e, size_t i)
{
	return e->password ? '*' : e->chars[i];
}

/* Move off so that the cursor is inside a field of width columns. */
static void entry_scroll(entry_widget *e, int width)
{
	int cols = 0;
	size_t i;

	if (e->cur < e->off)
		e->off = e->cur;
	for (;;) {
		cols = 0;
		for (i = e->off; i < e->cur; i++)
			cols += con_text_char_width(shown_char(e, i));
		if (cols < width || e->off >= e->cur)
			break;
		e->off++;
	}
}

static void entry_draw(con_widget *w, WINDOW *win, int focused)
{
	entry_widget *e = (entry_widget *)w;
	int fx = w->x + w->label_w, fw = w->w - w->label_w, col = 0, cw;
	con_role role = !w->enabled ? ROLE_DISABLED : w->invalid ? ROLE_FIELD_INVALID
			: focused ? ROLE_FIELD_FOCUS : ROLE_FIELD;
	attr_t a = con_display_attr(role), lab = con_display_attr(w->enabled ? ROLE_DIALOG : ROLE_DISABLED);
	char enc[UTF8_MAX + 1];
	size_t i, m;

	if (w->label_w > 0) {
		con_text_fill(win, w->y, w->x, w->label_w, con_display_attr(ROLE_DIALOG));
		con_text_draw_label(win, w->y, w->x, w->label_w - 1, w->label, lab,
			       w->enabled ? con_display_attr(ROLE_HOTKEY) : lab);
	}
	if (fw < 1)
		return;
	con_text_fill(win, w->y, fx, fw, a);
	entry_scroll(e, fw);
	wmove(win, w->y, fx);
	for (i = e->off; i < e->len; i++) {
		cw = con_text_char_width(shown_char(e, i));
		if (col + cw > fw)
			break;
		m = utf8_put((uint32_t)shown_char(e, i), enc);
		enc[m] = '\0';
		con_text_draw(win, w->y, fx + col, cw, enc, a);
		col += cw;
	}
	if (focused) {
		col = 0;
		for (i = e->off; i < e->cur; i++)
			col += con_text_char_width(shown_char(e, i));
		w->want_cursor = 1;
		w->cursor_y = w->y;
		w->cursor_x = fx + (col < fw ? col : fw - 1);
	}
}

static void entry_insert(entry_widget *e, int c)
{
	if (e->len >= e->max)
		return;
	memmove(e->chars + e->cur + 1, e->chars + e->cur, (e->len - e->cur) * sizeof(int));
	e->chars[e->cur++] = c;
	e->len++;
}

/* Delete n characters starting at from. */
static void entry_delete(entry_widget *e, size_t from, size_t n)
{
	if (from >= e->len || n == 0)
		return;
	if (from + n > e->len)
		n = e->len - from;
	memmove(e->chars + from, e->chars + from + n, (e->len - from - n) * sizeof(int));
	e->len -= n;
	secret_wipe(e->chars + e->len, n * sizeof(int));
	if (e->cur > from + n)
		e->cur -= n;
	else if (e->cur > from)
		e->cur = from;
}

/* Ctrl-W: the word before the cursor and the blanks after it. */
static void entry_delete_word(entry_widget *e)
{
	size_t start = e->cur;

	while (start > 0 && e->chars[start - 1] == ' ')
		start--;
	while (start > 0 && e->chars[start - 1] != ' ')
		start--;
	entry_delete(e, start, e->cur - start);
}

/* Editing keys; returns 1 when the value changed, 0 when only the cursor
 * moved, -1 when the key is not an editing key. */
static int entry_edit(entry_widget *e, const con_event *ev)
{
	if (con_key_is_text(ev->key)) {
		entry_insert(e, ev->key);
		return 1;
	}
	switch (ev->key) {
	case CON_KEY_BS:
		if (e->cur > 0)
			entry_delete(e, e->cur - 1, 1);
		return 1;
	case CON_KEY(KEY_DC): entry_delete(e, e->cur, 1); return 1;
	case CTRL('u'): entry_delete(e, 0, e->cur); return 1;
	case CTRL('k'): entry_delete(e, e->cur, e->len - e->cur); return 1;
	case CTRL('w'): entry_delete_word(e); return 1;
	case CTRL('a'): e->cur = 0; return 0;
	case CTRL('e'): e->cur = e->len; return 0;
	default: break;
	}
	switch (ev->req) {
	case REQ_LEFT: if (e->cur > 0) e->cur--; return 0;
	case REQ_RIGHT: if (e->cur < e->len) e->cur++; return 0;
	case REQ_HOME: e->cur = 0; return 0;
	case REQ_END: e->cur = e->len; return 0;
	default: return -1;
	}
}

static con_result entry_key(con_widget *w, const con_event *ev)
{
	entry_widget *e = (entry_widget *)w;
	size_t before = e->len;
	int rc = entry_edit(e, ev);

	if (rc < 0)
		return CON_UNHANDLED;
	if (rc > 0 && (e->len != before || con_key_is_text(ev->key)))
		w->left = 0;
	if (rc > 0 && w->on_change && (e->len != before || con_key_is_text(ev->key)))
		w->on_change(w);
	return CON_HANDLED;
}

static void entry_dump(const con_widget *w, FILE *f)
{
	const entry_widget *e = (const entry_widget *)w;
	char buf[CON_LINE_MAX];

	if (e->password) {
		fprintf(f, "  value: (%zu character%s)\n", e->len, e->len == 1 ? "" : "s");
		return;
	}
	con_entry_get(w, buf, sizeof(buf));
	fprintf(f, "  value: %s\n", buf);
}

static void entry_free(con_widget *w)
{
	entry_widget *e = (entry_widget *)w;

	if (e->chars)
		secret_wipe(e->chars, (e->max + 1) * sizeof(int));
	free(e->chars);
	e->chars = NULL;
}

static const con_widget_ops entry_ops = {
	"entry", 1, entry_draw, entry_key, entry_dump, entry_free,
};
static const con_widget_ops password_ops = {
	"password", 1, entry_draw, entry_key, entry_dump, entry_free,
};

/* con_entry_new: an empty field of at most max_chars characters. */
con_widget *con_entry_new(const char *name, const char *label, size_t max_chars, int password,
			  const char *help)
{
	entry_widget *e = (entry_widget *)con_widget_alloc(sizeof(*e),
							   password ? &password_ops : &entry_ops,
							   name, label, help);

	if (!e)
		return NULL;
	e->max = max_chars ? max_chars : 1;
	e->password = password;
	e->chars = calloc(e->max + 1, sizeof(int));
	if (!e->chars) {
		free(e);
		return NULL;
	}
	return &e->base;
}

/* con_entry_get: UTF-8, never cutting a character. */
void con_entry_get(const con_widget *w, char *buf, size_t n)
{
	const entry_widget *e = (const entry_widget *)w;
	size_t i, o = 0, m;
	char enc[UTF8_MAX];

	if (n == 0)
		return;
	for (i = 0; i < e->len; i++) {
		m = utf8_put((uint32_t)e->chars[i], enc);
		if (o + m + 1 > n)
			break;
		memcpy(buf + o, enc, m);
		o += m;
	}
	secret_wipe(enc, sizeof(enc));
	buf[o] = '\0';
}

/* con_entry_set: decode utf8 (up to the capacity; an invalid byte is one
 * U+FFFD). */
void con_entry_set(con_widget *w, const char *utf8)
{
	entry_widget *e = (entry_widget *)w;
	size_t len = utf8 ? strlen(utf8) : 0, i = 0;
	uint32_t c;

	con_entry_wipe(w);
	while (i < len && e->len < e->max) {
		i += utf8_step(utf8 + i, len - i, &c);
		e->chars[e->len++] = (int)c;
	}
	e->cur = e->len;
	e->off = 0;
}

/* con_entry_len: characters. */
size_t con_entry_len(const con_widget *w)
{
	return ((const entry_widget *)w)->len;
}

/* con_entry_wipe: zeros over every character. */
void con_entry_wipe(con_widget *w)
{
	entry_widget *e = (entry_widget *)w;

	secret_wipe(e->chars, (e->max + 1) * sizeof(int));
	e->len = e->cur = e->off = 0;
}

/* con_entry_complete: typed and then left (or con_entry_set_complete). */
int con_entry_complete(const con_widget *w)
{
	return con_entry_len(w) > 0 && w->left;
}

/* con_entry_set_complete: OK was pressed: what is typed is all there is. */
void con_entry_set_complete(con_widget *w)
{
	w->left = 1;
}

/* con_entry_equal: same characters (constant time over the shorter one is
 * not needed: both values are the operator's own typing). */
int con_entry_equal(const con_widget *a, const con_widget *b)
{
	const entry_widget *x = (const entry_widget *)a, *y = (const entry_widget *)b;

	return x->len == y->len && memcmp(x->chars, y->chars, x->len * sizeof(int)) == 0;
}
