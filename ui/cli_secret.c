/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_secret.c - passwords for the command line.
 *
 * A password never comes from argv or the environment: it is the first line
 * of --password-file FILE ('-' = standard input), or typed at a prompt with
 * echo turned off.  The terminal is restored on every path, including
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT (the handler restores, then re-raises
 * the signal with its default action).  Buffers are read with read(2), so no
 * stdio buffer keeps a copy, and wiped after use.  Every byte of the line
 * counts: a NUL or another control character is refused, not taken as the
 * end (secret_check_supplied), and the password must have at least
 * min_password_length characters (trustmgr.conf; 8 by default and for the
 * embedded store).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "backend/config/config.h"
#include "model/secret.h"
#include "ui/cli_int.h"
#include "ui/cli_signal.h"

#define LINE_CAP (SECRET_MAX + 2)

static const int tty_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NSIGNALS (sizeof(tty_signals) / sizeof(tty_signals[0]))

static struct termios tty_saved;
static volatile sig_atomic_t tty_echo_off;
static int tty_fd = -1;
static struct sigaction tty_old_actions[NSIGNALS];

static void tty_on_signal(int sig)
{
	if (tty_echo_off)
		tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
	tty_echo_off = 0;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void tty_handlers_install(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tty_on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIGNALS; i++)
		sigaction(tty_signals[i], &sa, &tty_old_actions[i]);
}

static void tty_handlers_restore(void)
{
	size_t i;

	for (i = 0; i < NSIGNALS; i++)
		sigaction(tty_signals[i], &tty_old_actions[i], NULL);
}

static int tty_fail(tm_error *e, const char *what)
{
	error_fail(e, TM_EUSAGE, NULL, "%s: %s.", what, strerror(errno));
	error_hint(e, "Give the password with --password-file FILE instead.");
	return -1;
}

/* Turn echo off on fd; the signal handlers put it back if we are killed. */
static int tty_echo_disable(int fd, tm_error *e)
{
	struct termios t;

	if (tcgetattr(fd, &tty_saved) < 0)
		return tty_fail(e, "Could not read the terminal settings");
	tty_fd = fd;
	tty_handlers_install();
	t = tty_saved;
	t.c_lflag &= ~(tcflag_t)ECHO;
	t.c_lflag |= ECHONL;
	tty_echo_off = 1;          /* before the change: a signal restores either way */
	if (tcsetattr(fd, TCSAFLUSH, &t) < 0) {
		tty_echo_off = 0;
		tty_handlers_restore();
		return tty_fail(e, "Could not turn off echo on the terminal");
	}
	return 0;
}

static void tty_echo_restore(void)
{
	if (tty_echo_off)
		tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
	tty_echo_off = 0;
	tty_handlers_restore();
}

/* Wait until fd has something to read (or its writer went away). ppoll is
 * never restarted after a signal handler, whatever SA_RESTART says, and it
 * unblocks the stop signals only while it waits (a signal that came just
 * before is seen first), so a pipe or FIFO nobody writes cannot keep the
 * command waiting after Ctrl-C, SIGTERM or SIGHUP (cli_signal.c). Returns
 * 0, -1 on an error (errno set), -3 when such a signal came. */
static int wait_input(int fd)
{
	struct pollfd p;
	sigset_t stop, old;
	int rc, err;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	for (;;) {
		p.fd = fd;
		p.events = POLLIN;
		p.revents = 0;
		sigprocmask(SIG_BLOCK, &stop, &old);
		if (cli_signal_caught()) {
			sigprocmask(SIG_SETMASK, &old, NULL);
			return -3;
		}
		rc = ppoll(&p, 1, NULL, &old);
		err = errno;
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (rc > 0)
			return 0;
		if (err != EINTR && err != EAGAIN) {
			errno = err;
			return -1;
		}
	}
}

/* Read one line from fd into buf (cap bytes) with read(2), one byte at a
 * time so nothing after the line is consumed. The newline (and a CR before
 * it) is dropped; end of input ends the line. Returns 0, -1 on a read
 * error (errno set), -2 when the line does not fit, -3 when a stop signal
 * came while waiting for input. */
static int read_line(int fd, char *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	char ch;

	for (;;) {
		ssize_t r;
		int w = wait_input(fd);

		if (w < 0)
			return w;
		r = read(fd, &ch, 1);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			return -1;
		if (r == 0 || ch == '\n')
			break;
		if (n + 1 >= cap)
			return -2;
		buf[n++] = ch;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	*len = n;
	secret_wipe(&ch, sizeof(ch));
	return 0;
}

/* cli_read_answer: a line from the terminal through read_line. */
int cli_read_answer(char *buf, size_t cap)
{
	size_t len = 0;
	int rc = read_line(STDIN_FILENO, buf, cap, &len);

	if (rc == -2) {
		buf[0] = '\0';        /* longer than any answer: not a yes */
		return 0;
	}
	return rc;
}

static int line_error(int rc, const char *where, tm_error *e)
{
	if (rc == -3) {
		error_fail(e, TM_EFAIL, NULL, "Reading the password from %s was stopped by a "
			   "signal before a whole line came; nothing was changed.", where);
		error_hint(e, "Run the command again when the password can be given (a FIFO or "
			   "pipe named with --password-file needs a writer).");
		return -1;
	}
	if (rc == -2) {
		error_fail(e, TM_EUSAGE, NULL, "The password from %s is longer than %d bytes.",
			where, SECRET_MAX);
		error_hint(e, "Use a password of at most %d bytes.", SECRET_MAX);
		return -1;
	}
	error_fail(e, TM_EUSAGE, NULL, "Reading the password from %s failed: %s.", where,
		strerror(errno));
	error_hint(e, "Check %s and run the command again.", where);
	return -1;
}

static int empty_error(const char *where, tm_error *e)
{
	error_fail(e, TM_EUSAGE, NULL, "The password from %s is empty; an empty trust password "
		"is refused.", where);
	error_hint(e, "Put the password on the first line of the file (or type it at the "
		"prompt) and run the command again.");
	return -1;
}

/* The password from where broke a rule (secret_check_supplied's e). */
static int rule_error(const char *where, int min, tm_error *e)
{
	char next[TM_NEXT_MAX];

	error_prefix(e, "The password from %s was refused: ", where);
	snprintf(next, sizeof(next), "%s", e->next);
	if (strstr(e->what, "at least"))
		error_hint(e, "%s The minimum, %d, is min_password_length in trustmgr.conf's "
			   "[trustmgr] section (%d when it is not set, and for the embedded store).",
			   next, min, SECRET_MIN_DEFAULT);
	return -1;
}

/* Read a line from fd and return it as a new secret string, when it keeps
 * the rules for a password a person gives (at least min characters; min 0
 * for the confirmation, which is then compared). */
static int read_secret_fd(int fd, const char *where, int min, char **out, tm_error *e)
{
	char buf[LINE_CAP];
	size_t len = 0;
	int rc = read_line(fd, buf, sizeof(buf), &len);

	if (rc < 0) {
		secret_wipe(buf, sizeof(buf));
		return line_error(rc, where, e);
	}
	if (len == 0) {
		secret_wipe(buf, sizeof(buf));
		return empty_error(where, e);
	}
	if (secret_check_supplied(buf, len, min, e) < 0) {
		secret_wipe(buf, sizeof(buf));
		return rule_error(where, min, e);
	}
	*out = secret_dup(buf);
	secret_wipe(buf, sizeof(buf));
	if (!*out)
		return error_fail(e, TM_EBACKEND, NULL, "Out of memory while reading the password; "
			       "nothing was changed.");
	return 0;
}

/* Prompt on stderr, read from the terminal on fd 0 with echo off. */
static int prompt_once(const char *prompt, int min, char **out, tm_error *e)
{
	int rc;

	/* Echo goes off before the prompt shows, so nothing typed after the
	 * prompt can be echoed. */
	if (tty_echo_disable(STDIN_FILENO, e) < 0)
		return -1;
	fprintf(stderr, "%s", prompt);
	fflush(stderr);
	rc = read_secret_fd(STDIN_FILENO, "the terminal", min, out, e);
	tty_echo_restore();
	return rc;
}

/* The prompt for slot of p: "Initial password (permit LEGACY PARTNER): ". */
static void slot_prompt(const tm_plan *p, int slot, char *buf, size_t n)
{
	const char *label = p->slots[slot].label[0] ? p->slots[slot].label : "password";

	snprintf(buf, n, "%c%s (%s %s%s%s): ", toupper((unsigned char)label[0]), label + 1,
		 p->op, p->domain, p->partner[0] ? " " : "", p->partner);
}

static int prompt_slot(const tm_plan *p, int slot, int min, char **value, tm_error *e)
{
	char prompt[PLAN_TEXT_MAX + NAME_DNS_MAX + 64];
	char *again = NULL;
	int same;

	slot_prompt(p, slot, prompt, sizeof(prompt));
	if (prompt_once(prompt, min, value, e) < 0)
		return -1;
	if (!cli_secret_confirmed(p, slot))
		return 0;
	if (prompt_once("Type the same password again: ", 0, &again, e) < 0) {
		secret_free(value);
		return -1;
	}
	same = secret_equal(*value, again);
	secret_free(&again);
	if (same)
		return 0;
	secret_free(value);
	error_fail(e, TM_EUSAGE, NULL, "The two passwords typed do not match.");
	error_hint(e, "The password was not used; run the command again and type the same "
		"password twice.");
	return -1;
}

/* A password file is a file, a FIFO, a pipe, a terminal or another
 * character device (e.g. /dev/stdin); a folder or a socket is refused with
 * what it is. The descriptor is made blocking again: read_line waits for
 * input with poll. Returns 0, or -1 with e. */
static int password_file_kind(int fd, const char *path, tm_error *e)
{
	struct stat st;
	const char *what = NULL;
	int fl;

	if (fstat(fd, &st) != 0)
		what = strerror(errno);
	else if (S_ISDIR(st.st_mode))
		what = "it is a folder, not a file";
	else if (S_ISSOCK(st.st_mode))
		what = "it is a socket, not a file";
	if (what) {
		error_fail(e, TM_EUSAGE, NULL, "Could not read the password file %s: %s.", path,
			   what);
		error_hint(e, "Name the file whose first line is the password with --password-file "
			   "('-' reads standard input).");
		return -1;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl >= 0 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		/* still readable: read_line retries EAGAIN after poll */
	}
	return 0;
}

/* Read --password-file once; its first line serves every supplied slot. */
static int load_password_file(cli_ctx *c, int min, tm_error *e)
{
	const char *path = c->opt[OPT_PASSWORD_FILE];
	char where[PATH_MAX + 32];
	int fd, rc;

	if (strcmp(path, "-") == 0 && isatty(STDIN_FILENO))
		return prompt_once("Password: ", min, &c->password, e);
	if (strcmp(path, "-") == 0)
		return read_secret_fd(STDIN_FILENO, "standard input", min, &c->password, e);
	snprintf(where, sizeof(where), "the password file %s", path);
	/* Without O_NONBLOCK, opening a FIFO waits for a writer inside open(),
	 * deaf to Ctrl-C and SIGTERM; read_line waits with poll instead. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		error_fail(e, TM_EUSAGE, NULL, "Could not open the password file %s: %s.", path,
			strerror(errno));
		error_hint(e, "Check the path given to --password-file ('-' reads standard input).");
		return -1;
	}
	if (password_file_kind(fd, path, e) < 0) {
		close(fd);
		return -1;
	}
	rc = read_secret_fd(fd, where, min, &c->password, e);
	close(fd);
	return rc;
}

/* cli_secret_confirmed: every typed password but the trusting side's proof
 * is typed twice. */
int cli_secret_confirmed(const tm_plan *p, int slot)
{
	(void)slot;
	/* The trusting side proves a password it was given: typed once, as NT did. */
	return strcmp(p->op, "trust") != 0;
}

/* cli_ask_secret: the exec hook; see the comment at the top of this file. */
int cli_ask_secret(void *ctx, const tm_plan *p, int slot, char **value, tm_error *e)
{
	cli_ctx *c = ctx;
	int min;

	*value = NULL;
	if (slot < 0 || slot >= PLAN_MAX_SLOTS)
		return error_fail(e, TM_EBACKEND, NULL, "The plan asked for secret slot %d, which "
			       "does not exist.", slot);
	if (c->demo)
		return secret_generate(value, e);
	if (config_min_password_length(c->choice.config, &min, e) < 0)
		return -1;
	if (c->opt[OPT_PASSWORD_FILE]) {
		if (!c->password && load_password_file(c, min, e) < 0)
			return -1;
		*value = secret_dup(c->password);
		return *value ? 0 : error_fail(e, TM_EBACKEND, NULL, "Out of memory while copying "
					    "the password; nothing was changed.");
	}
	if (!isatty(STDIN_FILENO)) {
		error_fail(e, TM_EUSAGE, NULL, "A password is needed (%s) but standard input is "
			"not a terminal, so it cannot be typed.", p->slots[slot].label);
		error_hint(e, "Give it with --password-file FILE, or --password-file - to read it "
			"from standard input.");
		return -1;
	}
	return prompt_slot(p, slot, min, value, e);
}
