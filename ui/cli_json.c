/* cli_json.c - a small JSON writer for --json output.
 *
 * Strings are escaped per RFC 8259: quote, backslash and every control
 * character; valid UTF-8 passes through unchanged and each byte of an
 * invalid sequence becomes U+FFFD, so the output is always valid JSON. */
#include <stdio.h>
#include <string.h>

#include "ui/cli_int.h"

/* Length of the valid UTF-8 sequence starting at s (2-4), or 0. */
static size_t utf8_valid_len(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;             /* no UTF-16 surrogates */
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;             /* nothing above U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

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
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		size_t n;

		if (*p < 0x80) {
			put_escaped_ascii(f, *p++);
			continue;
		}
		n = utf8_valid_len(p);
		if (n) {
			fwrite(p, 1, n, f);
			p += n;
		} else {
			fputs("\\ufffd", f);
			p++;
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
