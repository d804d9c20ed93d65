/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* script.c - reading and checking keystroke scripts (script.h). */
#include "ui/console/script.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/grow.h"
#include "ui/console/con.h"
#include "ui/console/key.h"
#include "ui/console/requests.h"

struct con_script {
	char *path;
	con_script_item *items;
	size_t n, cap, pos;
};

#define KEYS_PER_LINE 4096
/* A word of ":bind KEY REQUEST": at most 63 bytes, as parse_bind's "%63s"
 * reads it. */
#define BIND_WORD_MAX 64

static int add_item(con_script *s, const con_script_item *it)
{
	con_script_item *v = grow_array(s->items, &s->cap, s->n + 1, sizeof(*v), 64);

	if (!v)
		return -1;
	s->items = v;
	s->items[s->n++] = *it;
	return 0;
}

/* Strip the newline, a carriage return and blanks at both ends. */
static char *trim(char *line)
{
	size_t len = strlen(line);

	while (len && strchr("\r\n \t", line[len - 1]))
		line[--len] = '\0';
	while (*line == ' ' || *line == '\t')
		line++;
	return line;
}

static int parse_size(const char *arg, int *cols, int *rows)
{
	char extra;

	if (sscanf(arg, "%d %d %c", cols, rows, &extra) != 2 &&
	    sscanf(arg, "%dx%d %c", cols, rows, &extra) != 2)
		return -1;
	return *cols >= 1 && *cols <= 1000 && *rows >= 1 && *rows <= 1000 ? 0 : -1;
}

static int parse_bind(const char *arg, con_script_item *it, char *err, size_t n)
{
	char keyname[BIND_WORD_MAX], reqname[BIND_WORD_MAX], extra;
	size_t used;

	if (sscanf(arg, "%63s %63s %c", keyname, reqname, &extra) != 2) {
		snprintf(err, n, ":bind takes a key and a request name, e.g. :bind <F9> verify");
		return -1;
	}
	if (con_key_parse(keyname, &it->key, &used, err, n) < 0)
		return -1;
	if (keyname[used]) {
		snprintf(err, n, ":bind takes one key, not '%s'", keyname);
		return -1;
	}
	it->a = con_keymap_request_by_name(reqname);
	if (it->a == REQ_NONE && strcmp(reqname, "none") != 0) {
		snprintf(err, n, "unknown request '%s' (see the help screen, F1, for the names)",
			 reqname);
		return -1;
	}
	return 0;
}

typedef struct command {
	const char *name;
	con_script_kind kind;
	int arg;                /* 0 none, 1 required text */
} command;

static const command commands[] = {
	{ "save-screen", SCRIPT_SAVE_SCREEN, 1 }, { "save-model", SCRIPT_SAVE_MODEL, 1 },
	{ "resize", SCRIPT_RESIZE, 1 }, { "expect", SCRIPT_EXPECT, 1 },
	{ "expect-not", SCRIPT_EXPECT_NOT, 1 }, { "bind", SCRIPT_BIND, 1 },
	{ "quit", SCRIPT_QUIT, 0 },
};

/* ":name argument" into it. */
static int parse_command(char *line, con_script_item *it, char *err, size_t n)
{
	char *name = line + 1, *arg = name + strcspn(name, " \t");
	size_t i;

	if (*arg)
		*arg++ = '\0';
	while (*arg == ' ' || *arg == '\t')
		arg++;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			break;
	if (i == sizeof(commands) / sizeof(commands[0])) {
		snprintf(err, n, "unknown command ':%s' (known: :save-screen, :save-model, "
			 ":resize, :expect, :expect-not, :bind, :quit)", name);
		return -1;
	}
	it->kind = commands[i].kind;
	if (commands[i].arg && !*arg) {
		snprintf(err, n, ":%s needs an argument", name);
		return -1;
	}
	if (!commands[i].arg && *arg) {
		snprintf(err, n, ":%s takes no argument", name);
		return -1;
	}
	if (it->kind == SCRIPT_RESIZE && parse_size(arg, &it->a, &it->b) < 0) {
		snprintf(err, n, ":resize takes COLS ROWS (1 to 1000 each), not '%s'", arg);
		return -1;
	}
	if (it->kind == SCRIPT_BIND && parse_bind(arg, it, err, n) < 0)
		return -1;
	if (commands[i].arg && !(it->text = strdup(arg))) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	return 0;
}

static int parse_keys(con_script *s, const char *line, unsigned lineno, char *err, size_t n)
{
	static int keys[KEYS_PER_LINE];
	con_script_item it;
	int count = con_key_parse_all(line, keys, KEYS_PER_LINE, err, n), i;

	if (count < 0)
		return -1;
	for (i = 0; i < count; i++) {
		memset(&it, 0, sizeof(it));
		it.kind = SCRIPT_KEY;
		it.line = lineno;
		it.key = keys[i];
		if (add_item(s, &it) < 0) {
			snprintf(err, n, "out of memory");
			return -1;
		}
	}
	return 0;
}

static int parse_line(con_script *s, char *raw, unsigned lineno, char *err, size_t n)
{
	char *line = trim(raw);
	con_script_item it;

	if (!*line || *line == '#')
		return 0;
	if (*line != ':')
		return parse_keys(s, line, lineno, err, n);
	memset(&it, 0, sizeof(it));
	it.line = lineno;
	if (parse_command(line, &it, err, n) < 0 || add_item(s, &it) < 0) {
		free(it.text);
		if (!err[0])
			snprintf(err, n, "out of memory");
		return -1;
	}
	return 0;
}

static int read_all(con_script *s, FILE *f, char *err, size_t n)
{
	char *line = NULL, msg[CON_MSG_MAX];
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = 0;

	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		msg[0] = '\0';
		if (parse_line(s, line, lineno, msg, sizeof(msg)) < 0) {
			snprintf(err, n, "%s:%u: %s", s->path, lineno, msg);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, n, "%s: cannot read the script: %s", s->path, strerror(errno));
		rc = -1;
	}
	free(line);
	return rc;
}

/* con_script_load: every line checked now. */
con_script *con_script_load(const char *path, char *err, size_t n)
{
	con_script *s = calloc(1, sizeof(*s));
	FILE *f;
	int rc;

	if (!s || !(s->path = strdup(path))) {
		free(s);
		snprintf(err, n, "out of memory");
		return NULL;
	}
	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!f) {
		snprintf(err, n, "%s: cannot open the script: %s", path, strerror(errno));
		con_script_free(&s);
		return NULL;
	}
	rc = read_all(s, f, err, n);
	if (f != stdin)
		fclose(f);
	if (rc < 0)
		con_script_free(&s);
	return s;
}

/* con_script_free: items and their texts. */
void con_script_free(con_script **s)
{
	size_t i;

	if (!*s)
		return;
	for (i = 0; i < (*s)->n; i++)
		free((*s)->items[i].text);
	free((*s)->items);
	free((*s)->path);
	free(*s);
	*s = NULL;
}

/* con_script_next: in order, once. */
const con_script_item *con_script_next(con_script *s)
{
	return s->pos < s->n ? &s->items[s->pos++] : NULL;
}

/* con_script_path: as given. */
const char *con_script_path(const con_script *s)
{
	return s->path;
}
