/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* text.h - UTF-8 text on the screen: widths, clipping, wrapping and
 * drawing with a hotkey letter. Names are UTF-8 throughout trustmgr; the
 * console decodes them itself (model/utf8.h, where an invalid byte counts
 * as one U+FFFD), so they display (and dump) the same whatever the locale. */
#ifndef TM_CON_TEXT_H
#define TM_CON_TEXT_H

#include <stddef.h>

#include "ui/console/con.h"

/* Columns c takes on the screen (control and unknown characters: 1, they
 * are drawn as '?'). */
int con_text_char_width(int c);

/* Columns the UTF-8 string takes. */
int con_text_width(const char *s);

/* Draw s at (y, x) of win in at most width columns with attr; a string that
 * does not fit ends in '~'. Returns the columns drawn. */
int con_text_draw(WINDOW *win, int y, int x, int width, const char *s, attr_t attr);

/* Draw a label in which '&' marks the hotkey letter (drawn with hot);
 * "&&" is a literal '&'. Returns the columns drawn. */
int con_text_draw_label(WINDOW *win, int y, int x, int width, const char *label, attr_t attr,
		   attr_t hot);

/* The label without its '&' marks, into buf. */
void con_text_label_plain(const char *label, char *buf, size_t n);

/* The hotkey of a label: the lower-cased character after '&', or 0. */
int con_text_label_hotkey(const char *label);

/* One line of wrapped text: bytes [start, start + len) of the source, drawn
 * indent columns in. */
typedef struct con_span {
	size_t start, len;
	int indent;
} con_span;

/* Wrap text to width columns at spaces ('\n' starts a new paragraph; a
 * word longer than the line is cut). The lines after the first of a
 * paragraph that starts with blanks, or with a list mark ("1. ", "- "), are
 * indented under its text. Fills up to max spans and returns the number of
 * lines the whole text needs. */
size_t con_text_wrap(const char *text, int width, con_span *out, size_t max);

/* Fill columns [x, x + width) of row y with spaces in attr. */
void con_text_fill(WINDOW *win, int y, int x, int width, attr_t attr);

/* Lower-case an ASCII letter (other characters unchanged). */
int con_text_lower(int c);



/* Draw a box with line-drawing characters (ASCII on terminals without
 * them; a dump always shows + - |). */
void con_text_draw_box(WINDOW *win, int y, int x, int h, int w, attr_t attr);
#endif
