/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* text.c - UTF-8 text on the screen: widths, clipping, wrapping, drawing
 * (text.h). Decoding is model/utf8.h's lenient step. */
#include "ui/console/text.h"

#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "model/utf8.h"

/* The character at s (before end), decoded leniently (utf8_step: an
 * invalid byte is one U+FFFD), into *c; returns the bytes it takes. */
static size_t next_char(const char *s, const char *end, int *c)
{
	uint32_t cp;
	size_t n = utf8_step(s, (size_t)(end - s), &cp);

	*c = (int)cp;
	return n;
}

static int printable(int c)
{
	return c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0);
}

/* con_text_char_width: wcwidth, with 1 for what cannot be shown as itself. */
int con_text_char_width(int c)
{
	int w;

	if (!printable(c))
		return 1;
	w = wcwidth((wchar_t)c);
	return w < 0 ? 1 : w;
}

/* con_text_width: the sum of the characters' widths. */
int con_text_width(const char *s)
{
	const char *end = s + strlen(s);
	int w = 0, c;

	while (s < end) {
		s += next_char(s, end, &c);
		w += con_text_char_width(c);
	}
	return w;
}

/* Put one character; what the terminal cannot show becomes '?'. */
static void put_char(WINDOW *win, int c, attr_t attr)
{
	cchar_t cc;
	wchar_t wc[2] = { (wchar_t)c, L'\0' };

	if (!printable(c) || wcwidth((wchar_t)c) < 0)
		wc[0] = L'?';
	if (setcchar(&cc, wc, attr, PAIR_NUMBER((int)attr), NULL) == OK)
		wadd_wch(win, &cc);
}

/* con_text_draw: clip to width; '~' marks a cut. */
int con_text_draw(WINDOW *win, int y, int x, int width, const char *s, attr_t attr)
{
	const char *end = s + strlen(s);
	int col = 0, c, w, total = con_text_width(s);
	size_t used;

	if (width <= 0)
		return 0;
	wmove(win, y, x);
	while (s < end) {
		used = next_char(s, end, &c);
		w = con_text_char_width(c);
		if (total > width && col + w > width - 1)
			break;
		if (col + w > width)
			break;
		put_char(win, c, attr);
		col += w;
		s += used;
	}
	if (total > width && col < width) {
		put_char(win, '~', attr);
		col++;
	}
	return col;
}

/* con_text_draw_label: '&x' draws x with hot. */
int con_text_draw_label(WINDOW *win, int y, int x, int width, const char *label, attr_t attr,
		   attr_t hot)
{
	const char *end = label + strlen(label);
	int col = 0, c, w, is_hot;
	size_t used;

	wmove(win, y, x);
	while (label < end && col < width) {
		is_hot = 0;
		if (label[0] == '&' && label[1] && label[1] != '&') {
			is_hot = 1;
			label++;
		} else if (label[0] == '&' && label[1] == '&') {
			label++;
		}
		used = next_char(label, end, &c);
		w = con_text_char_width(c);
		if (col + w > width)
			break;
		put_char(win, c, is_hot ? hot : attr);
		col += w;
		label += used;
	}
	return col;
}

/* con_text_label_plain: drop the '&' marks. */
void con_text_label_plain(const char *label, char *buf, size_t n)
{
	size_t o = 0;

	for (; *label && o + 1 < n; label++) {
		if (label[0] == '&' && label[1] != '&')
			continue;
		if (label[0] == '&')
			label++;
		buf[o++] = *label;
	}
	if (n)
		buf[o] = '\0';
}

/* con_text_lower: ASCII only, so hotkeys compare the same in every locale. */
int con_text_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* con_text_label_hotkey: the character after a single '&'. */
int con_text_label_hotkey(const char *label)
{
	int c;

	for (; *label; label++) {
		if (label[0] == '&' && label[1] == '&') {
			label++;
			continue;
		}
		if (label[0] == '&' && label[1]) {
			next_char(label + 1, label + 1 + strlen(label + 1), &c);
			return con_text_lower(c);
		}
	}
	return 0;
}

/* One wrapped line starting at s (the text ends at end): its length in
 * bytes (without the space or newline that ends it) and *next, where the
 * following line starts. */
static size_t wrap_one(const char *s, const char *end, int width, const char **next)
{
	const char *p = s, *brk = NULL;
	int col = 0, c, w;
	size_t used;

	while (p < end && *p != '\n') {
		used = next_char(p, end, &c);
		w = con_text_char_width(c);
		if (col + w > width)
			break;
		if (c == ' ')
			brk = p;
		col += w;
		p += used;
	}
	if (!*p || *p == '\n') {
		*next = *p ? p + 1 : p;
		return (size_t)(p - s);
	}
	if (*p == ' ' || !brk || brk == s) {
		*next = (*p == ' ') ? p + 1 : p;
		if (p == s) {  /* a character wider than the line: take it anyway */
			used = next_char(p, end, &c);
			*next = p + used;
			return used;
		}
		return (size_t)(p - s);
	}
	*next = brk + 1;
	return (size_t)(brk - s);
}

/* The hanging indent of the paragraph at p: its leading blanks, plus a
 * list mark after them ("12. " or "- "). */
static int hanging_indent(const char *p, int width)
{
	int n = 0, k = 0;

	while (p[n] == ' ')
		n++;
	while (p[n + k] >= '0' && p[n + k] <= '9')
		k++;
	if ((k > 0 && p[n + k] == '.' && p[n + k + 1] == ' ') || (k == 0 && p[n] == '-' &&
								     p[n + 1] == ' '))
		n += k + 2;
	return n < width / 2 ? n : 0;
}

/* con_text_wrap: spans of whole words, hanging indents for lists. */
size_t con_text_wrap(const char *text, int width, con_span *out, size_t max)
{
	const char *s = text, *end = text + strlen(text), *next;
	size_t n = 0, len;
	int indent = 0, first = 1;

	if (width < 1)
		width = 1;
	for (;;) {
		if (first)
			indent = hanging_indent(s, width);
		len = wrap_one(s, end, first ? width : width - indent, &next);
		if (n < max) {
			out[n].start = (size_t)(s - text);
			out[n].len = len;
			out[n].indent = first ? 0 : indent;
		}
		n++;
		first = next > s && next[-1] == '\n';
		if (!*next)
			break;
		s = next;
		while (!first && *s == ' ')
			s++;
	}
	return n;
}

/* con_text_fill: spaces. */
void con_text_fill(WINDOW *win, int y, int x, int width, attr_t attr)
{
	int i;

	if (width <= 0)
		return;
	wmove(win, y, x);
	for (i = 0; i < width; i++)
		put_char(win, ' ', attr);
}

/* A line-drawing character of the wide set with attr and attr's colour. */
static void line_char(cchar_t *out, const cchar_t *acs, attr_t attr)
{
	wchar_t wc[CCHARW_MAX + 1] = { 0 };
	attr_t a = 0;
	short pair = 0;

	getcchar(acs, wc, &a, &pair, NULL);
	setcchar(out, wc, (a & A_ALTCHARSET) | (attr & ~A_COLOR),
		 (short)PAIR_NUMBER((int)attr), NULL);
}

/* con_text_draw_box: corners and lines of the wide-character set. */
void con_text_draw_box(WINDOW *win, int y, int x, int h, int w, attr_t attr)
{
	cchar_t hl, vl, ul, ur, ll, lr;

	if (h < 2 || w < 2)
		return;
	line_char(&hl, WACS_HLINE, attr);
	line_char(&vl, WACS_VLINE, attr);
	line_char(&ul, WACS_ULCORNER, attr);
	line_char(&ur, WACS_URCORNER, attr);
	line_char(&ll, WACS_LLCORNER, attr);
	line_char(&lr, WACS_LRCORNER, attr);
	mvwadd_wch(win, y, x, &ul);
	mvwhline_set(win, y, x + 1, &hl, w - 2);
	mvwadd_wch(win, y, x + w - 1, &ur);
	mvwvline_set(win, y + 1, x, &vl, h - 2);
	mvwvline_set(win, y + 1, x + w - 1, &vl, h - 2);
	mvwadd_wch(win, y + h - 1, x, &ll);
	mvwhline_set(win, y + h - 1, x + 1, &hl, w - 2);
	mvwadd_wch(win, y + h - 1, x + w - 1, &lr);
}
