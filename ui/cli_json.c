/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_json.c - a small JSON writer for --json output.
 *
 * Strings are escaped per RFC 8259: quote, backslash and every control
 * character; valid UTF-8 (model/utf8.h, RFC 3629) passes through unchanged
 * and each byte of an invalid sequence becomes the escape of U+FFFD, so the
 * output is always valid JSON. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model/utf8.h"
#include "ui/cli_int.h"

static void put_escaped_ascii(FILE *f, unsigned char ch)
{
	switch (ch) {
	case '"': fputs("\\\"", f); break;
	case '\\': fputs("\\\\", f); break;
	case '\b': fputs("\\b", f); break;
	case '\f': fputs("\\f", f); break;
	case '\n': fputs("\\n", f); break;
	case '\r': fputs("\\r", f); break;
	case '\t': fputs("\\t", f); break;
	default:
		if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
}

/* cli_json_quote: a JSON string literal; invalid UTF-8 becomes U+FFFD. */
void cli_json_quote(FILE *f, const char *s)
{
	size_t len = strlen(s), i = 0;
	uint32_t cp;
	int n;

	fputc('"', f);
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			put_escaped_ascii(f, (unsigned char)s[i++]);
			continue;
		}
		n = utf8_next(s + i, len - i, &cp);
		if (n > 0) {
			fwrite(s + i, 1, (size_t)n, f);
			i += (size_t)n;
		} else {
			fputs("\\ufffd", f);
			i++;
		}
	}
	fputc('"', f);
}

/* cli_json_init: a writer at depth 0 on f. */
void cli_json_init(cli_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

/* Separator, indentation and "key": before a member. */
static void member(cli_json *j, const char *key)
{
	int i;

	if (j->depth > 0) {
		fputs(j->count[j->depth] ? ",\n" : "\n", j->f);
		j->count[j->depth]++;
		for (i = 0; i < j->depth; i++)
			fputs("  ", j->f);
	}
	if (key) {
		cli_json_quote(j->f, key);
		fputs(": ", j->f);
	}
}

/* cli_json_open: "key": { or [ (key NULL inside arrays). */
void cli_json_open(cli_json *j, const char *key, char bracket)
{
	member(j, key);
	fputc(bracket, j->f);
	if (j->depth + 1 >= CLI_JSON_DEPTH)
		return;                /* deeper than any output of ours */
	j->depth++;
	j->count[j->depth] = 0;
	j->closer[j->depth] = bracket == '[' ? ']' : '}';
}

/* cli_json_close: the matching bracket; a newline ends the document. */
void cli_json_close(cli_json *j)
{
	int i;

	if (j->depth == 0)
		return;
	if (j->count[j->depth]) {
		fputc('\n', j->f);
		for (i = 1; i < j->depth; i++)
			fputs("  ", j->f);
	}
	fputc(j->closer[j->depth], j->f);
	j->depth--;
	if (j->depth == 0)
		fputc('\n', j->f);
}

/* cli_json_str: a string member, null for NULL. */
void cli_json_str(cli_json *j, const char *key, const char *v)
{
	member(j, key);
	if (v)
		cli_json_quote(j->f, v);
	else
		fputs("null", j->f);
}

/* cli_json_int: a number member. */
void cli_json_int(cli_json *j, const char *key, long long v)
{
	member(j, key);
	fprintf(j->f, "%lld", v);
}

/* cli_json_bool: true or false. */
void cli_json_bool(cli_json *j, const char *key, int v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->f);
}

/* cli_json_null: a null member. */
void cli_json_null(cli_json *j, const char *key)
{
	member(j, key);
	fputs("null", j->f);
}

/* cli_json_time: t as an ISO 8601 string under key (null when unknown). */
void cli_json_time(cli_json *j, const char *key, long long t)
{
	char buf[40];

	cli_json_str(j, key, cli_time_iso(t, buf, sizeof(buf)));
}
