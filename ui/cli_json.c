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
#include <stdlib.h>
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

/* --json mode (cli_json_mode_begin): standard output belongs to the JSON
 * writer alone. Text a command prints meanwhile goes to a memory stream and
 * becomes the "message" of the object cli_json_mode_end writes when the
 * command wrote none. */
static FILE *json_real_stdout;     /* the real stdout while text is collected */
static char *json_text;
static size_t json_text_len;
static int json_objects;           /* top-level objects written to stdout */

/* cli_json_init: a writer at depth 0 on f (in --json mode, stdout is the
 * real standard output, not the stream that collects text). */
void cli_json_init(cli_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f == stdout && json_real_stdout ? json_real_stdout : f;
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
	int top = j->depth == 0 && bracket == '{';

	member(j, key);
	fputc(bracket, j->f);
	if (j->depth + 1 >= CLI_JSON_DEPTH)
		return;                /* deeper than any output of ours */
	j->depth++;
	j->count[j->depth] = 0;
	j->closer[j->depth] = bracket == '[' ? ']' : '}';
	if (top)
		cli_json_int(j, "version", CLI_JSON_VERSION);
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
	if (j->depth == 0 && (j->f == stdout || j->f == json_real_stdout))
		json_objects++;
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

/* cli_json_error: the "error" member in its one shape: status (the
 * NTSTATUS name or null), message, hint (what to do next, or null) and
 * exit (the exit status); "class", "what" and "next" repeat exit, message
 * and hint under the names they had before the format had a version. */
void cli_json_error(cli_json *j, const tm_error *e, int exit_status)
{
	const char *what = e->what[0] ? e->what : e->status ? "the operation was refused."
			 : "The operation failed and the program could not say why.";

	cli_json_open(j, "error", '{');
	cli_json_str(j, "status", e->status);
	cli_json_str(j, "message", what);
	cli_json_str(j, "hint", cli_or_null(e->next));
	cli_json_int(j, "exit", exit_status);
	cli_json_int(j, "class", exit_status);
	cli_json_str(j, "what", what);
	cli_json_str(j, "next", cli_or_null(e->next));
	cli_json_close(j);
}

/* cli_json_mode_begin: from here on, text printed on stdout is collected. */
void cli_json_mode_begin(void)
{
	FILE *text;

	if (json_real_stdout)
		return;
	fflush(stdout);
	text = open_memstream(&json_text, &json_text_len);
	if (!text)
		return;                /* no memory: text would reach stdout; the test sees it */
	json_real_stdout = stdout;
	stdout = text;
}

/* The collected text without its last newline (NULL when there is none). */
static const char *collected_text(void)
{
	if (!json_text || !json_text_len)
		return NULL;
	while (json_text_len && json_text[json_text_len - 1] == '\n')
		json_text[--json_text_len] = '\0';
	return json_text;
}

/* The object of a command that wrote none itself. */
static void fallback_object(const char *command, int status, const tm_error *e)
{
	cli_json j;

	cli_json_init(&j, stdout);
	cli_json_open(&j, NULL, '{');
	cli_json_str(&j, "command", command);
	cli_json_bool(&j, "ok", status == TM_OK);
	cli_json_int(&j, "exit_status", status);
	cli_json_str(&j, "message", collected_text());
	if (status == TM_OK)
		cli_json_null(&j, "error");
	else
		cli_json_error(&j, e, status);
	cli_json_close(&j);
}

/* cli_json_mode_end: give stdout back; when the command wrote no object,
 * write one (its text as "message", e as "error" when status is not 0).
 * Text collected beside an object goes to stderr, so nothing is lost. */
void cli_json_mode_end(const char *command, int status, const tm_error *e)
{
	FILE *text = stdout;

	if (!json_real_stdout)
		return;
	fclose(text);
	stdout = json_real_stdout;
	json_real_stdout = NULL;
	if (!json_objects)
		fallback_object(command, status, e);
	else if (collected_text())
		fprintf(stderr, "%s\n", json_text);
	free(json_text);
	json_text = NULL;
	json_text_len = 0;
}
