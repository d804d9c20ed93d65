/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_confirm.c - "Proceed? [y/N]" before a destructive command.
 *
 * The commands the table marks CMD_CONFIRM (remove, tdo delete,
 * reset-one-side, recover, rollback, discard) show what they are about to
 * do and ask, when a person is there to answer: standard input is a
 * terminal and so is standard error (or standard output, without --json).
 * Only "y" or "yes" goes on; anything else, end of input included, cancels
 * with exit status CLI_EXIT_CANCELLED, and Ctrl-C (SIGTERM, SIGHUP) cancels
 * and ends the process by that signal. --yes skips the question, --dry-run
 * never asks, and without a terminal the command goes ahead (scripts). The
 * answer is read through cli_read_answer, the reader passwords use. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ui/cli_int.h"
#include "ui/cli_signal.h"

#define ANSWER_CAP 64

/* Is someone there to ask, and does this command ask? */
static int confirm_wanted(const cli_ctx *c)
{
	if (!(c->cmd->flags & CMD_CONFIRM) || c->opt[OPT_YES] || c->opt[OPT_DRY_RUN])
		return 0;
	if (!isatty(STDIN_FILENO))
		return 0;
	return isatty(STDERR_FILENO) || (!c->opt[OPT_JSON] && isatty(STDOUT_FILENO));
}

/* Where the plan and the question go: the terminal on stderr, else stdout. */
static FILE *confirm_stream(void)
{
	return isatty(STDERR_FILENO) ? stderr : stdout;
}

/* "y" or "yes", any case, blanks around allowed. */
static int answer_is_yes(char *buf)
{
	size_t n = strlen(buf);
	char *s = buf;

	while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		buf[--n] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	return strcasecmp(s, "y") == 0 || strcasecmp(s, "yes") == 0;
}

/* Record and print the cancellation; returns its exit status. */
static int cancelled(cli_ctx *c, const char *why)
{
	char name[64];

	error_clear(&c->e);
	error_fail(&c->e, TM_EFAIL, NULL, "Cancelled (%s): nothing was changed.", why);
	error_hint(&c->e, "Run 'trustmgr %s' again and answer y to go on; --yes skips the "
		   "question.", cli_cmd_name(c->cmd, name, sizeof(name)));
	cli_report(c, &c->e);
	return CLI_EXIT_CANCELLED;
}

/* Ask on f and read the answer; 0 for yes, else the exit status. */
static int confirm_ask(cli_ctx *c, FILE *f)
{
	char buf[ANSWER_CAP];
	int rc, sig;

	cli_signal_begin_question();      /* before the question shows: Ctrl-C is a no */
	fprintf(f, "Proceed? [y/N] ");
	fflush(f);
	rc = cli_read_answer(buf, sizeof(buf));
	sig = cli_signal_caught();
	cli_signal_end();
	if (sig) {
		fputc('\n', f);
		cancelled(c, "interrupted at the question");
		cli_signal_exit_by(sig);
		return 128 + sig;
	}
	if (rc < 0)
		return cancelled(c, "the answer could not be read");
	if (answer_is_yes(buf))
		return 0;
	return cancelled(c, buf[0] ? "the answer was not yes" : "no answer");
}

/* cli_confirm_plan: the executor's check, the plan, the question. */
int cli_confirm_plan(cli_ctx *c, tm_plan *p)
{
	FILE *f;
	int rc;

	if (!confirm_wanted(c))
		return 0;
	if ((rc = cli_gate(c, p)) != 0)
		return rc;
	f = confirm_stream();
	cli_print_plan_text(c, p, f);
	return confirm_ask(c, f);
}

/* cli_confirm_text: what is about to happen, the question. */
int cli_confirm_text(cli_ctx *c, const char *what)
{
	FILE *f;

	if (!confirm_wanted(c))
		return 0;
	f = confirm_stream();
	fprintf(f, "%s\n", what);
	return confirm_ask(c, f);
}
