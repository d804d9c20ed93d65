/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* key.c - key names: the parser and the formatter (key.h). */
#include "ui/console/key.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model/utf8.h"
#include "ui/console/con.h"

typedef struct named_key {
	const char *name;
	int key;
} named_key;

/* The first name of a key is the one con_key_name writes. */
static const named_key names[] = {
	{ "Tab", CON_KEY_TAB }, { "S-Tab", CON_KEY(KEY_BTAB) },
	{ "BackTab", CON_KEY(KEY_BTAB) },
	{ "Enter", CON_KEY_ENTER }, { "Return", CON_KEY_ENTER }, { "CR", CON_KEY_ENTER },
	{ "Esc", CON_KEY_ESC }, { "Escape", CON_KEY_ESC },
	{ "Space", CON_KEY_SPACE },
	{ "BS", CON_KEY_BS }, { "Backspace", CON_KEY_BS },
	{ "Del", CON_KEY(KEY_DC) }, { "Delete", CON_KEY(KEY_DC) },
	{ "Ins", CON_KEY(KEY_IC) }, { "Insert", CON_KEY(KEY_IC) },
	{ "Up", CON_KEY(KEY_UP) }, { "Down", CON_KEY(KEY_DOWN) },
	{ "Left", CON_KEY(KEY_LEFT) }, { "Right", CON_KEY(KEY_RIGHT) },
	{ "PgUp", CON_KEY(KEY_PPAGE) }, { "PageUp", CON_KEY(KEY_PPAGE) },
	{ "PgDn", CON_KEY(KEY_NPAGE) }, { "PageDown", CON_KEY(KEY_NPAGE) },
	{ "Home", CON_KEY(KEY_HOME) }, { "End", CON_KEY(KEY_END) },
	{ "FocusIn", CON_KEY_FOCUS_IN }, { "FocusOut", CON_KEY_FOCUS_OUT },
	{ "lt", '<' },
};

/* "F1".."F12" (and up to F63, which ncurses also knows). */
static int parse_fkey(const char *name, int *key)
{
	int n = 0;
	const char *p = name + 1;

	if ((name[0] != 'F' && name[0] != 'f') || !*p)
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		n = n * 10 + (*p - '0');
		if (n > 63)
			return -1;
	}
	if (n < 1)
		return -1;
	*key = CON_KEY(KEY_F(n));
	return 0;
}

/* "C-x" and "A-x" / "M-x": modifier, dash, one character or a name. */
static int parse_modified(const char *name, int *key)
{
	char mod = name[0];
	uint32_t cp;
	int base, used;

	if (strlen(name) < 3 || name[1] != '-')
		return -1;
	mod = (char)(mod >= 'a' ? mod - 32 : mod);
	if (mod != 'C' && mod != 'A' && mod != 'M')
		return -1;
	used = utf8_next(name + 2, strlen(name + 2), &cp);
	if (used < 0 || name[2 + used])
		return -1;         /* only single characters take a modifier */
	base = (int)cp;
	if (mod == 'C') {
		if (base >= 'a' && base <= 'z')
			base -= 32;
		if (base < '@' || base > '_')
			return -1;
		*key = base - '@';
		return 0;
	}
	*key = CON_KEY_ALT | base;
	return 0;
}

static int parse_name(const char *name, int *key)
{
	size_t i;
	uint32_t c;
	int used;

	for (i = 0; i < CON_ARRAY_LEN(names); i++)
		if (strcasecmp(names[i].name, name) == 0) {
			*key = names[i].key;
			return 0;
		}
	if (parse_fkey(name, key) == 0 || parse_modified(name, key) == 0)
		return 0;
	used = utf8_next(name, strlen(name), &c);
	if (used > 0 && !name[used] && c > ' ') {
		*key = (int)c;     /* <#>, <:>: the character itself */
		return 0;
	}
	return -1;
}

/* One UTF-8 character, taken as itself. */
static int parse_char(const char *s, int *key, size_t *used, char *err, size_t nerr)
{
	uint32_t c;
	int n = utf8_next(s, strnlen(s, UTF8_MAX), &c);   /* no sequence is longer */

	if (n < 0) {
		snprintf(err, nerr, "the text is not valid UTF-8");
		return -1;
	}
	*key = (int)c;
	*used = (size_t)n;
	return 0;
}

/* A '<' that starts no complete name: "<>", "<Tab" to the end of the
 * line, or "<Tab<Enter>". Never taken as text: a literal '<' is <lt>. */
static int unclosed(const char *s, const char *close, char *err, size_t nerr)
{
	size_t len = strcspn(s + 1, "< \t");

	if (close == s + 1)
		snprintf(err, nerr, "'<>' names no key (a literal '<' is written <lt>)");
	else
		snprintf(err, nerr, "the key name '<%.*s' is not closed with '>' (a literal '<' "
			 "is written <lt>)", (int)(len < 40 ? len : 40), s + 1);
	return -1;
}

/* con_key_parse: "<name>" or one UTF-8 character. */
int con_key_parse(const char *s, int *key, size_t *used, char *err, size_t nerr)
{
	const char *close;
	char name[CON_NAME_MAX];
	size_t len;

	if (s[0] != '<')
		return parse_char(s, key, used, err, nerr);
	close = strchr(s + 1, '>');
	if (!close || close == s + 1 || memchr(s + 1, '<', (size_t)(close - s - 1)))
		return unclosed(s, close, err, nerr);
	len = (size_t)(close - s - 1);
	if (len >= sizeof(name) || (memcpy(name, s + 1, len), name[len] = '\0',
				    parse_name(name, key) < 0)) {
		snprintf(err, nerr, "unknown key name <%.*s> (a literal '<' is written <lt>)",
			 (int)(len < 40 ? len : 40), s + 1);
		return -1;
	}
	*used = len + 2;
	return 0;
}

/* con_key_parse_all: every key of s. */
int con_key_parse_all(const char *s, int *keys, size_t max, char *err, size_t nerr)
{
	size_t n = 0, used;
	int key;

	while (*s) {
		if (con_key_parse(s, &key, &used, err, nerr) < 0)
			return -1;
		if (n == max) {
			snprintf(err, nerr, "too many keys on one line (at most %zu)", max);
			return -1;
		}
		keys[n++] = key;
		s += used;
	}
	return (int)n;
}

static const char *find_name(int key)
{
	size_t i;

	for (i = 0; i < CON_ARRAY_LEN(names); i++)
		if (names[i].key == key)
			return names[i].name;
	return NULL;
}

/* The name without brackets: "F5", "A-o", "C-l", "Tab", or the character. */
static void bare_name(int key, char *buf, size_t n)
{
	int base = key & ~CON_KEY_ALT;
	const char *name = find_name(base);
	char ch[CON_NAME_MAX - 2];       /* room for "A-" before it */

	if (name)
		snprintf(ch, sizeof(ch), "%s", name);
	else if (base >= CON_KEY(KEY_F(1)) && base <= CON_KEY(KEY_F(63)))
		snprintf(ch, sizeof(ch), "F%d", base - CON_KEY(KEY_F(0)));
	else if (base > 0 && base < 32)
		snprintf(ch, sizeof(ch), "C-%c", (char)(base + 'a' - 1));
	else if (base >= CON_KEY_SPECIAL)
		snprintf(ch, sizeof(ch), "#%d", base - CON_KEY_SPECIAL);
	else
		ch[utf8_put((uint32_t)base, ch)] = '\0';
	snprintf(buf, n, "%s%s", (key & CON_KEY_ALT) ? "A-" : "", ch);
}

/* con_key_name: "<F5>", "<A-o>", "<lt>", or a plain character. */
const char *con_key_name(int key, char *buf, size_t n)
{
	char bare[CON_NAME_MAX];
	int base = key & ~CON_KEY_ALT;

	bare_name(key, bare, sizeof(bare));
	if (!(key & CON_KEY_ALT) && base > ' ' && base < CON_KEY_SPECIAL && base != '<' &&
	    base != 127)
		snprintf(buf, n, "%s", bare);
	else
		snprintf(buf, n, "<%s>", bare);
	return buf;
}

/* con_key_label: for people: "F5", "Tab", "Ctrl-L", "Alt-O". */
const char *con_key_label(int key, char *buf, size_t n)
{
	int base = key & ~CON_KEY_ALT;
	const char *alt = (key & CON_KEY_ALT) ? "Alt-" : "";
	char bare[CON_NAME_MAX];

	if (base > 0 && base < 32 && !find_name(base)) {
		snprintf(buf, n, "%sCtrl-%c", alt, (char)(base + '@'));
		return buf;
	}
	bare_name(base, bare, sizeof(bare));
	snprintf(buf, n, "%s%s", alt, strcmp(bare, "lt") == 0 ? "<" : bare);
	return buf;
}

/* con_key_is_text: printable, no modifier, not a function key. */
int con_key_is_text(int key)
{
	return key >= ' ' && key < CON_KEY_SPECIAL && key != 127 && !(key >= 0x80 && key < 0xa0);
}

/* con_key_from_curses: one encoding for both kinds of wget_wch result;
 * the several spellings of Enter and Backspace become one. */
int con_key_from_curses(int ok, unsigned int wch)
{
	if (ok == KEY_CODE_YES) {
		if (wch == KEY_ENTER)
			return CON_KEY_ENTER;
		if (wch == KEY_BACKSPACE)
			return CON_KEY_BS;
		return CON_KEY((int)wch);
	}
	if (wch == '\n')
		return CON_KEY_ENTER;
	if (wch == 8)
		return CON_KEY_BS;
	return (int)wch;
}
