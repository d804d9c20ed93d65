/* text.c - UTF-8 decoding, widths, clipping, wrapping, drawing (text.h). */
#include "ui/console/text.h"

#include <string.h>
#include <wchar.h>

/* con_text_utf8_next: strict decoding (no overlongs, no surrogates). */
int con_text_utf8_next(const char *s, int *c, size_t *used)
{
	const unsigned char *p = (const unsigned char *)s;
	int n, min, v, i;

	*used = 1;
	*c = 0xFFFD;
	if (!p[0])
		return -1;
	if (p[0] < 0x80) {
		*c = p[0];
		return 0;
	}
	if ((p[0] & 0xE0) == 0xC0)
		n = 1, min = 0x80, v = p[0] & 0x1F;
	else if ((p[0] & 0xF0) == 0xE0)
		n = 2, min = 0x800, v = p[0] & 0x0F;
	else if ((p[0] & 0xF8) == 0xF0)
		n = 3, min = 0x10000, v = p[0] & 0x07;
	else
		return -1;
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return -1;
	*c = v;
	*used = (size_t)n + 1;
	return 0;
}

/* con_text_utf8_put: 1 to 4 bytes. */
size_t con_text_utf8_put(int c, char *out)
{
	if (c < 0 || c > 0x10FFFF)
		c = 0xFFFD;
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
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
	int w = 0, c;
	size_t used;

	while (*s) {
		con_text_utf8_next(s, &c, &used);
		w += con_text_char_width(c);
		s += used;
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
	int col = 0, c, w, total = con_text_width(s);
	size_t used;

	if (width <= 0)
		return 0;
	wmove(win, y, x);
	while (*s) {
		con_text_utf8_next(s, &c, &used);
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
	int col = 0, c, w, is_hot;
	size_t used;

	wmove(win, y, x);
	while (*label && col < width) {
		is_hot = 0;
		if (label[0] == '&' && label[1] && label[1] != '&') {
			is_hot = 1;
			label++;
		} else if (label[0] == '&' && label[1] == '&') {
			label++;
		}
		con_text_utf8_next(label, &c, &used);
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
	size_t used;

	for (; *label; label++) {
		if (label[0] == '&' && label[1] == '&') {
			label++;
			continue;
		}
		if (label[0] == '&' && label[1]) {
			con_text_utf8_next(label + 1, &c, &used);
			return con_text_lower(c);
		}
	}
	return 0;
}

/* One wrapped line starting at s: its length in bytes (without the space or
 * newline that ends it) and *next, where the following line starts. */
static size_t wrap_one(const char *s, int width, const char **next)
{
	const char *p = s, *brk = NULL;
	int col = 0, c, w;
	size_t used;

	while (*p && *p != '\n') {
		con_text_utf8_next(p, &c, &used);
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
		const char *end = (*p == ' ') ? p : p;

		*next = (*p == ' ') ? p + 1 : p;
		if (p == s) {  /* a character wider than the line: take it anyway */
			con_text_utf8_next(p, &c, &used);
			*next = p + used;
			return used;
		}
		return (size_t)(end - s);
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
	const char *s = text, *next;
	size_t n = 0, len;
	int indent = 0, first = 1;

	if (width < 1)
		width = 1;
	for (;;) {
		if (first)
			indent = hanging_indent(s, width);
		len = wrap_one(s, first ? width : width - indent, &next);
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
