/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* list.c - a list of rows in a box: columns fitted to the width, a
 * selection that scrolls, Enter to choose, type-ahead on the first column
 * as NT list boxes had (widget.h). */
#include <stdlib.h>
#include <string.h>

#include "model/grow.h"
#include "ui/console/key.h"
#include "ui/console/requests.h"
#include "ui/console/text.h"
#include "ui/console/widgets/widget.h"

typedef struct list_row {
	char *cells[CON_LIST_COLS];
	char *key;
} list_row;

typedef struct list_widget {
	con_widget base;
	size_t ncols;
	int flex;              /* the column that gives way first */
	list_row *rows;
	size_t n, cap;
	int sel, top;
	char empty[CON_MSG_MAX];
	int no_typeahead;      /* letters are the dialog's (the menu) */
	int give_way[CON_LIST_COLS]; /* columns hidden, in this order, when the row is narrow */
	size_t ngive;
	int spread;            /* the columns share out the room left over */
	const struct list_widget *twin; /* its columns line up with this one's */
	char typed[32];        /* the type-ahead prefix, lower case */
	size_t ntyped;
} list_widget;

#define GAP 2
#define FLEX_MIN 8
#define FLEX_KEEP 16           /* cut no shorter to keep the last give-way column: a
				* NetBIOS name (15) is never cut */
#define SPREAD_MAX 16          /* a column grows by at most this much to fill the width */

static int label_rows(const con_widget *w)
{
	return w->label[0] ? 1 : 0;
}

static int visible_rows(const con_widget *w)
{
	int v = w->h - label_rows(w) - 2;

	return v < 1 ? 1 : v;
}

/* The widest cell of column c in l's rows. */
static int widest(const list_widget *l, size_t c)
{
	size_t r;
	int w = 0;

	for (r = 0; r < l->n; r++) {
		int cw = con_text_width(l->rows[r].cells[c]);

		if (cw > w)
			w = cw;
	}
	return w;
}

/* Natural widths (the widest cell of each column, in this list and its
 * twin); *total their sum. */
static void natural_widths(const list_widget *l, int *width, int *total)
{
	size_t c;

	*total = 0;
	for (c = 0; c < l->ncols; c++) {
		width[c] = widest(l, c);
		if (l->twin && l->twin->ncols == l->ncols && widest(l->twin, c) > width[c])
			width[c] = widest(l->twin, c);
		*total += width[c];
	}
}

/* Do columns of `total` width, `shown` of them, fit `avail` with `gap`
 * spaces between them? */
static int row_fits(int total, int shown, int gap, int avail)
{
	return total + (shown > 1 ? shown - 1 : 0) * gap <= avail;
}

/* Does the last give-way column stay, and with which gap? With one-space
 * gaps where the row then fits; or where it fits with the flex column cut
 * to FLEX_KEEP (two-space gaps if they fit too). Returns the gap, 0: no. */
static int keep_last(const list_widget *l, int avail, const int *width, int total, int shown)
{
	int cut;

	if (row_fits(total, shown, 1, avail))
		return 1;
	if (l->flex < 0 || (size_t)l->flex >= l->ncols || width[l->flex] <= FLEX_KEEP)
		return 0;
	cut = total - width[l->flex] + FLEX_KEEP;
	return row_fits(cut, shown, GAP, avail) ? GAP : row_fits(cut, shown, 1, avail) ? 1 : 0;
}

/* The give-way columns are hidden (width -1), in their order, while the
 * rest does not fit with full gaps; the last of them stays where keep_last
 * says so. *gap the gap; returns the columns still shown. */
static int give_way(const list_widget *l, int avail, int *width, int *total, int *gap)
{
	int shown = (int)l->ncols;
	size_t i;

	*gap = GAP;
	for (i = 0; i < l->ngive; i++) {
		int c = l->give_way[i], keep;

		if (row_fits(*total, shown, GAP, avail))
			break;
		keep = i + 1 == l->ngive ? keep_last(l, avail, width, *total, shown) : 0;
		if (keep) {
			*gap = keep;
			break;
		}
		*total -= width[c];
		width[c] = -1;
		shown--;
	}
	return shown;
}

/* What is left of the width goes, in equal parts (at most SPREAD_MAX
 * each), to every shown column but the last, so the columns use the row. */
static void spread_columns(const list_widget *l, int extra, int shown, int *width)
{
	size_t c;
	int k = 0, each;

	if (shown < 2 || extra <= 0)
		return;
	each = extra / (shown - 1);

	if (each > SPREAD_MAX)
		each = SPREAD_MAX;
	for (c = 0; c + 1 < l->ncols; c++)
		if (width[c] >= 0 && k < shown - 1) {
			width[c] += each + (each < SPREAD_MAX && k < extra % (shown - 1) ? 1 : 0);
			k++;
		}
}

/* Column widths for a row area of `avail` columns, and the gap between
 * columns: the give-way columns are hidden first, in their order (the
 * last of them kept with one-space gaps, or the flex column cut to
 * FLEX_KEEP, where that is enough); then the flex column gives way (down
 * to FLEX_MIN), then the gaps narrow to one space; what still does not
 * fit is cut at the end. A list that spreads gives what is left over
 * with full gaps to its shown columns. Hidden columns get width -1. */
static int fit_columns(const list_widget *l, int avail, int *width)
{
	int total, shown, gaps, gap;

	natural_widths(l, width, &total);
	shown = give_way(l, avail, width, &total, &gap);
	gaps = shown > 1 ? shown - 1 : 0;
	if (row_fits(total, shown, gap, avail)) {
		if (l->spread && gap == GAP)
			spread_columns(l, avail - total - gaps * gap, shown, width);
		return gap;
	}
	if (l->flex < 0 || (size_t)l->flex >= l->ncols || width[l->flex] < 0)
		return gap;
	if (total + gaps * gap - width[l->flex] + FLEX_MIN > avail)
		gap = 1;
	total -= width[l->flex];
	width[l->flex] = avail - total - gaps * gap;
	if (width[l->flex] < FLEX_MIN)
		width[l->flex] = FLEX_MIN;
	return gap;
}

static void draw_row(const list_widget *l, WINDOW *win, int y, int x, int avail, size_t r,
		     const int *width, int gap, attr_t a)
{
	int col = 0;
	size_t c, last = 0;

	for (c = 0; c < l->ncols; c++)
		if (width[c] >= 0)
			last = c;
	con_text_fill(win, y, x - 1, avail + 2, a);
	for (c = 0; c < l->ncols && col < avail; c++) {
		int cw = width[c];

		if (cw < 0)
			continue;
		if (col + cw > avail || c == last)
			cw = avail - col;
		con_text_draw(win, y, x + col, cw, l->rows[r].cells[c], a);
		col += width[c] + gap;
	}
}

static void list_keep_visible(list_widget *l)
{
	int v = visible_rows(&l->base);

	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + v)
		l->top = l->sel - v + 1;
	if (l->top > (int)l->n - v)    /* grown taller: no empty rows below the last */
		l->top = (int)l->n - v;
	if (l->top < 0)
		l->top = 0;
}

static void list_draw(con_widget *w, WINDOW *win, int focused)
{
	list_widget *l = (list_widget *)w;
	int by = w->y + label_rows(w), v = visible_rows(w), avail = w->w - 4, i;
	int width[CON_LIST_COLS], gap;
	attr_t bg = con_display_attr(ROLE_LIST);

	if (label_rows(w))
		con_text_draw_label(win, w->y, w->x, w->w, w->label, con_display_attr(ROLE_DIALOG),
			       con_display_attr(ROLE_HOTKEY));
	for (i = 0; i < v + 2; i++)
		con_text_fill(win, by + i, w->x, w->w, bg);
	con_text_draw_box(win, by, w->x, v + 2, w->w, con_display_attr(focused ? ROLE_TITLE : ROLE_BORDER));
	if (l->n == 0) {
		con_text_draw(win, by + 1, w->x + 2, avail, l->empty, con_display_attr(ROLE_HINT));
		return;
	}
	list_keep_visible(l);
	gap = fit_columns(l, avail, width);
	for (i = 0; i < v && l->top + i < (int)l->n; i++) {
		int r = l->top + i;
		attr_t a = r != l->sel ? bg
			   : con_display_attr(focused ? ROLE_LIST_SELECT_FOCUS : ROLE_LIST_SELECT);

		draw_row(l, win, by + 1 + i, w->x + 2, avail, (size_t)r, width, gap, a);
	}
	if (l->top > 0)
		con_text_draw(win, by + 1, w->x + w->w - 1, 1, "^", con_display_attr(ROLE_HINT));
	if (l->top + v < (int)l->n)
		con_text_draw(win, by + v, w->x + w->w - 1, 1, "v", con_display_attr(ROLE_HINT));
	if (focused) {
		w->want_cursor = 1;
		w->cursor_y = by + 1 + (l->sel - l->top);
		w->cursor_x = w->x + 2;
	}
}

/* The new selection for a movement request, or -2 when req is not one. */
static int list_target(const list_widget *l, int req)
{
	int v = visible_rows(&l->base), last = (int)l->n - 1;

	switch (req) {
	case REQ_UP: return l->sel - 1;
	case REQ_DOWN: return l->sel + 1;
	case REQ_PAGE_UP: return l->sel - (v > 1 ? v - 1 : 1);
	case REQ_PAGE_DOWN: return l->sel + (v > 1 ? v - 1 : 1);
	case REQ_HOME: return 0;
	case REQ_END: return last;
	default: return -2;
	}
}

/* Does row r's first column start with the typed prefix (any case)? */
static int starts_with_typed(const list_widget *l, size_t r)
{
	const char *cell = l->rows[r].cells[0];
	size_t i;

	for (i = 0; i < l->ntyped; i++)
		if (!cell[i] || con_text_lower((unsigned char)cell[i]) != l->typed[i])
			return 0;
	return 1;
}

/* Are all typed letters the same ("ccc")? Then each one goes on to the
 * next row with that letter, as in NT list boxes. */
static int same_letter(const list_widget *l)
{
	size_t i;

	for (i = 1; i < l->ntyped; i++)
		if (l->typed[i] != l->typed[0])
			return 0;
	return 1;
}

/* Type-ahead: a letter typed quickly after the one before extends the
 * prefix, else starts a new one; the selection goes to the next row whose
 * first column starts with it, wrapping. A prefix no row has leaves the
 * selection where it is. */
static void list_typeahead(list_widget *l, int ch, int quick)
{
	size_t i, n = l->n, start;

	if (!quick || l->ntyped + 1 >= sizeof(l->typed))
		l->ntyped = 0;
	l->typed[l->ntyped++] = (char)con_text_lower(ch);
	if (same_letter(l)) {
		size_t keep = l->ntyped;

		l->ntyped = 1;
		start = (size_t)(l->sel + 1);
		for (i = 0; i < n && !starts_with_typed(l, (start + i) % n); i++)
			;
		l->ntyped = keep;
	} else {
		start = (size_t)(l->sel < 0 ? 0 : l->sel);
		for (i = 0; i < n && !starts_with_typed(l, (start + i) % n); i++)
			;
	}
	if (i < n)
		con_list_select(&l->base, (int)((start + i) % n));
}

static con_result list_key(con_widget *w, const con_event *ev)
{
	list_widget *l = (list_widget *)w;
	int t, before = l->sel;

	if (!l->no_typeahead && con_key_is_text(ev->key) && ev->key != ' ' && ev->key < 0x80) {
		if (l->n > 0)
			list_typeahead(l, ev->key, ev->quick);
		if (l->sel != before && w->on_change)
			w->on_change(w);
		return CON_HANDLED;    /* a letter in a list never presses a button */
	}
	l->ntyped = 0;

	if (ev->req == REQ_ENTER && w->on_activate && l->n > 0) {
		w->on_activate(w);
		return CON_HANDLED;
	}
	t = list_target(l, ev->req);
	if (t == -2)
		return CON_UNHANDLED;
	if (l->n == 0)
		return ev->req == REQ_UP || ev->req == REQ_DOWN ? CON_UNHANDLED : CON_HANDLED;
	if ((ev->req == REQ_UP && l->sel == 0) || (ev->req == REQ_DOWN && l->sel == (int)l->n - 1))
		return CON_HANDLED;   /* stay; the arrows do not leave a list */
	con_list_select(w, t);
	if (l->sel != before && w->on_change)
		w->on_change(w);
	return CON_HANDLED;
}

static void list_dump(const con_widget *w, FILE *f)
{
	const list_widget *l = (const list_widget *)w;
	size_t r, c;

	fprintf(f, "  value: %s\n", l->sel >= 0 ? l->rows[l->sel].key : "");
	fprintf(f, "  rows: %zu\n", l->n);
	for (r = 0; r < l->n; r++) {
		fprintf(f, "  row %zu%s:", r + 1, (int)r == l->sel ? " (selected)" : "");
		for (c = 0; c < l->ncols; c++)
			fprintf(f, "%s%s", c ? " | " : " ", l->rows[r].cells[c]);
		fputc('\n', f);
	}
}

static void list_free(con_widget *w)
{
	list_widget *l = (list_widget *)w;

	con_list_clear(w);
	free(l->rows);
	l->rows = NULL;
	l->cap = 0;
}

static const con_widget_ops list_ops = {
	"list", 1, list_draw, list_key, list_dump, list_free,
};

/* con_list_new: empty, ncols columns, flex_col gives way (-1: none). */
con_widget *con_list_new(const char *name, const char *label, size_t ncols, int flex_col,
			 const char *help)
{
	list_widget *l = (list_widget *)con_widget_alloc(sizeof(*l), &list_ops, name, label, help);

	if (!l)
		return NULL;
	l->ncols = ncols < 1 ? 1 : ncols > CON_LIST_COLS ? CON_LIST_COLS : ncols;
	l->flex = flex_col;
	l->sel = -1;
	snprintf(l->empty, sizeof(l->empty), "(none)");
	return &l->base;
}

/* con_list_clear: no rows, no selection. */
void con_list_clear(con_widget *w)
{
	list_widget *l = (list_widget *)w;
	size_t r, c;

	for (r = 0; r < l->n; r++) {
		for (c = 0; c < l->ncols; c++)
			free(l->rows[r].cells[c]);
		free(l->rows[r].key);
	}
	l->n = 0;
	l->sel = -1;
	l->top = 0;
}

/* con_list_add: copies; the first row becomes the selection. */
int con_list_add(con_widget *w, const char *const *cells, const char *key)
{
	list_widget *l = (list_widget *)w;
	list_row row;
	size_t c;

	list_row *v = grow_array(l->rows, &l->cap, l->n + 1, sizeof(*v), 8);

	if (!v)
		return -1;
	l->rows = v;
	memset(&row, 0, sizeof(row));
	row.key = strdup(key ? key : "");
	for (c = 0; c < l->ncols; c++)
		row.cells[c] = strdup(cells[c] ? cells[c] : "");
	for (c = 0; c < l->ncols && row.key; c++)
		if (!row.cells[c])
			break;
	if (!row.key || c < l->ncols) {
		for (c = 0; c < l->ncols; c++)
			free(row.cells[c]);
		free(row.key);
		return -1;
	}
	l->rows[l->n++] = row;
	if (l->sel < 0)
		l->sel = 0;
	return 0;
}

/* con_list_count: rows. */
size_t con_list_count(const con_widget *w)
{
	return ((const list_widget *)w)->n;
}

/* con_list_selected: -1 when empty. */
int con_list_selected(const con_widget *w)
{
	return ((const list_widget *)w)->sel;
}

/* con_list_select: clamped to the rows. */
void con_list_select(con_widget *w, int row)
{
	list_widget *l = (list_widget *)w;

	if (l->n == 0) {
		l->sel = -1;
		return;
	}
	if (row < 0)
		row = 0;
	if (row >= (int)l->n)
		row = (int)l->n - 1;
	l->sel = row;
	list_keep_visible(l);
}

/* con_list_select_key: by key. */
int con_list_select_key(con_widget *w, const char *key)
{
	list_widget *l = (list_widget *)w;
	size_t r;

	for (r = 0; key && r < l->n; r++)
		if (strcmp(l->rows[r].key, key) == 0) {
			con_list_select(w, (int)r);
			return 1;
		}
	return 0;
}

/* con_list_key: "" out of range. */
const char *con_list_key(const con_widget *w, int row)
{
	const list_widget *l = (const list_widget *)w;

	return row >= 0 && (size_t)row < l->n ? l->rows[row].key : "";
}

/* con_list_set_empty: the placeholder. */
void con_list_set_empty(con_widget *w, const char *text)
{
	snprintf(((list_widget *)w)->empty, sizeof(((list_widget *)w)->empty), "%s", text);
}

/* con_list_set_typeahead: 0 leaves the letters to the dialog. */
void con_list_set_typeahead(con_widget *w, int on)
{
	((list_widget *)w)->no_typeahead = !on;
}

/* Is column c already in l's give-way order? */
static int gives_way(const list_widget *l, int c)
{
	size_t i;

	for (i = 0; i < l->ngive; i++)
		if (l->give_way[i] == c)
			return 1;
	return 0;
}

/* con_list_set_columns: the give-way order (n columns; a column out of
 * range or named again is left out), and whether to spread. */
void con_list_set_columns(con_widget *w, const int *give_way_order, size_t n, int spread)
{
	list_widget *l = (list_widget *)w;
	size_t i;

	l->ngive = 0;
	for (i = 0; i < n && l->ngive < CON_LIST_COLS; i++)
		if (give_way_order[i] >= 0 && (size_t)give_way_order[i] < l->ncols &&
		    !gives_way(l, give_way_order[i]))
			l->give_way[l->ngive++] = give_way_order[i];
	l->spread = spread;
}

/* con_list_top: the first row shown. */
int con_list_top(const con_widget *w)
{
	return ((const list_widget *)w)->top;
}

/* con_list_set_top: scroll so row top is the first shown (as far as the
 * rows and the selection allow). */
void con_list_set_top(con_widget *w, int top)
{
	list_widget *l = (list_widget *)w;

	l->top = top < 0 ? 0 : top;
	list_keep_visible(l);
}

/* con_list_twin: both lists fit their columns to the rows of both. */
void con_list_twin(con_widget *a, con_widget *b)
{
	((list_widget *)a)->twin = (const list_widget *)b;
	((list_widget *)b)->twin = (const list_widget *)a;
}

/* con_list_set_activate: Enter chooses the row. */
void con_list_set_activate(con_widget *w, con_widget_fn fn)
{
	w->on_activate = fn;
}
