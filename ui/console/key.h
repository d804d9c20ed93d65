/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* key.h - one encoding for keys, and the parser and formatter of key
 * names shared by scripts and key bindings.
 *
 * A key is an int: a Unicode character (0 .. 0x10FFFF; control keys are
 * their control characters: <Tab> 9, <Enter> 13, <Esc> 27, <BS> 127,
 * <C-a> 1), or CON_KEY_SPECIAL + an ncurses KEY_ code (<Up>, <F1>, <S-Tab>),
 * with CON_KEY_ALT added for Alt (Meta). Names (case-insensitive):
 *   <Tab> <S-Tab> <Enter> <Esc> <Space> <BS> <Del> <Ins> <F1>..<F12>
 *   <Up> <Down> <Left> <Right> <PgUp> <PgDn> <Home> <End>
 *   <C-x> (Ctrl+letter) <A-x> (Alt+character, also <M-x>)
 *   <FocusIn> <FocusOut> (the terminal's focus reports)
 *   <lt> (a literal '<'), <x> for any single character x (<#>, <:>).
 * Any other character is itself. */
#ifndef TM_CON_KEYS_H
#define TM_CON_KEYS_H

#include <stddef.h>

#define CON_KEY_SPECIAL 0x110000
#define CON_KEY_ALT 0x1000000
#define CON_KEY_MAX 0x1ffffff
#define CON_KEY(ncurses_key) (CON_KEY_SPECIAL + (ncurses_key))

#define CON_KEY_TAB 9
#define CON_KEY_ENTER 13
#define CON_KEY_ESC 27
#define CON_KEY_SPACE 32
#define CON_KEY_BS 127
/* What a terminal sends when its window gains or loses the focus (with
 * focus reporting on; terminal.c): <FocusIn>, <FocusOut>. */
#define CON_KEY_FOCUS_IN (CON_KEY_SPECIAL + 0x10000)
#define CON_KEY_FOCUS_OUT (CON_KEY_SPECIAL + 0x10001)

/* Parse one key at s (a name in angle brackets or one UTF-8 character).
 * Sets *key and *used (bytes read). Returns 0, or -1 with err holding
 * "unknown key name <Foo>"; a '<' that opens no closed name ("<Tab" at the
 * end of the line, "<>", "<Tab<Enter>") is an error too, never text (a
 * literal '<' is <lt>). */
int con_key_parse(const char *s, int *key, size_t *used, char *err, size_t nerr);

/* Parse a whole string of keys into keys[max]. Returns the count, or -1
 * with err set (also when more than max keys). */
int con_key_parse_all(const char *s, int *keys, size_t max, char *err, size_t nerr);

/* The key's name as a script writes it ("<F5>", "<A-o>", "x"). Returns buf. */
const char *con_key_name(int key, char *buf, size_t n);

/* The key's name as a key line shows it ("F5", "Tab", "Ctrl-L"). */
const char *con_key_label(int key, char *buf, size_t n);

/* Is key a character that can be typed into a text field? */
int con_key_is_text(int key);

/* Turn what wget_wch returned into a key (ok: OK or KEY_CODE_YES). */
int con_key_from_curses(int ok, unsigned int wch);

#endif
