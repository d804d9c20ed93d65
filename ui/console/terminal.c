/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* terminal.c - a real terminal's abilities and modes beyond drawing: the
 * cursor-addressing check before anything is drawn, flow control off,
 * focus reports, Ctrl-Z (terminal.h; docs/CONSOLE.md, "The terminal"). */
#include "ui/console/terminal.h"

#include "ui/console/con.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "ui/console/key.h"

#define FOCUS_SEQ_MAX 32
#define FOCUS_CODE_FIRST 0x7e0   /* key codes tried for the focus reports: above
				    ncurses' own (KEY_MAX) and the extended keys
				    terminfo entries define */

static int focus_fd = -1, focus_in_code, focus_out_code;
static char focus_on_seq[FOCUS_SEQ_MAX], focus_off_seq[FOCUS_SEQ_MAX];
static volatile sig_atomic_t suspend_asked;
static int suspend_caught;

/* ---- can it address the cursor? ------------------------------------------------ */

/* A terminfo string capability, or NULL when absent or cancelled. */
static const char *cap(const char *name)
{
	const char *v = tigetstr(name);

	return v && v != (const char *)-1 && *v ? v : NULL;
}

/* Why term cannot be used (into why), or 0 when it can. */
static int terminal_unusable(const char *term, char *why, size_t n)
{
	int errret = 0, cup;

	if (!term || !*term) {
		snprintf(why, n, "TERM is not set, so the type of the terminal is unknown");
		return 1;
	}
	if (setupterm(term, STDERR_FILENO, &errret) == OK) {
		cup = cap("cup") != NULL;
		del_curterm(cur_term);
		if (cup)
			return 0;
		snprintf(why, n, "TERM=%.64s describes a terminal that cannot move the cursor (its "
			 "terminfo entry has no cursor addressing, cup)", term);
	} else if (errret == 1) {
		snprintf(why, n, "TERM=%.64s is a printing (hardcopy) terminal, which cannot move "
			 "the cursor", term);
	} else if (errret < 0) {
		snprintf(why, n, "no terminfo database was found, so nothing is known about "
			 "TERM=%.64s (apt-get install ncurses-base)", term);
	} else {
		snprintf(why, n, "TERM=%.64s is not a terminal type ncurses knows (it has no "
			 "terminfo entry, or a generic one such as \"unknown\")", term);
	}
	return 1;
}

/* con_terminal_check: terminfo's word on term, before anything is drawn. */
int con_terminal_check(const char *term, char *err, size_t n)
{
	char why[CON_MSG_MAX];

	if (!terminal_unusable(term, why, sizeof(why)))
		return 0;
	snprintf(err, n,
		 "the console cannot run on this terminal: %s, so its dialogs cannot be drawn.\n"
		 "Set TERM to the type of the terminal you are using and start trustmgr again, "
		 "for example TERM=xterm-256color (most terminal windows and SSH clients), "
		 "TERM=screen or TERM=tmux-256color (inside screen or tmux) or TERM=vt100.\n"
		 "Or use the command line, which works on any terminal: 'trustmgr domain list', "
		 "'trustmgr list DOMAIN', 'trustmgr show DOMAIN PARTNER', 'trustmgr verify DOMAIN "
		 "PARTNER', 'trustmgr health', 'trustmgr | cat' for every domain's trusts, and "
		 "'trustmgr --help' for every command. A script of keys runs without a terminal "
		 "with --headless.", why);
	return -1;
}

/* ---- flow control --------------------------------------------------------------- */

/* con_terminal_flow_off: IXON off, kept by ncurses as the program's mode. */
void con_terminal_flow_off(int fd)
{
	struct termios t;

	if (fd < 0 || tcgetattr(fd, &t) != 0 || !(t.c_iflag & IXON))
		return;
	t.c_iflag &= ~(tcflag_t)IXON;
	if (tcsetattr(fd, TCSANOW, &t) == 0)
		def_prog_mode();
}

/* ---- focus reports ----------------------------------------------------------------- */

/* Terminal families that take ESC [ ? 1004 h although their terminfo entry
 * does not say so (ncurses ships the "fe" capability in few entries). */
static int focus_family(const char *term)
{
	static const char *const families[] = {
		"xterm", "tmux", "screen", "rxvt", "alacritty", "kitty", "foot", "wezterm",
		"vte", "gnome", "konsole", "contour", "st-",
	};
	size_t i;

	for (i = 0; term && i < CON_ARRAY_LEN(families); i++)
		if (strncasecmp(term, families[i], strlen(families[i])) == 0)
			return 1;
	return 0;
}

/* The key code wget_wch gives for seq: terminfo's own, else a free one. */
static int focus_key(const char *seq, int *next)
{
	int code = key_defined(seq);

	if (code > 0)
		return code;
	while (*next < FOCUS_CODE_FIRST + 64 && has_key(*next))
		(*next)++;
	if (define_key(seq, *next) != OK)
		return 0;
	return (*next)++;
}

/* con_terminal_focus_setup: the keys always, the reports where known. */
void con_terminal_focus_setup(const char *term, int fd)
{
	const char *in = cap("kxIN"), *out = cap("kxOUT"), *on = cap("fe"), *off = cap("fd");
	int next = FOCUS_CODE_FIRST;

	focus_in_code = focus_key(in ? in : "\033[I", &next);
	focus_out_code = focus_key(out ? out : "\033[O", &next);
	focus_on_seq[0] = focus_off_seq[0] = '\0';
	focus_fd = -1;
	if (fd < 0 || !(on || focus_family(term)))
		return;
	snprintf(focus_on_seq, sizeof(focus_on_seq), "%s", on && off ? on : "\033[?1004h");
	snprintf(focus_off_seq, sizeof(focus_off_seq), "%s", on && off ? off : "\033[?1004l");
	focus_fd = fd;
	con_terminal_focus(1);
}

/* con_terminal_focus: write the sequence straight to the terminal. */
void con_terminal_focus(int on)
{
	const char *s = on ? focus_on_seq : focus_off_seq;
	size_t len = strlen(s);

	if (focus_fd >= 0 && len && write(focus_fd, s, len) < 0)
		focus_fd = -1;     /* the terminal is gone: nothing more to turn off */
}

/* con_terminal_focus_off_sequence: for the signal handler. */
const char *con_terminal_focus_off_sequence(void)
{
	return focus_fd >= 0 ? focus_off_seq : "";
}

/* con_terminal_key: the focus reports as the console's keys. */
int con_terminal_key(int key)
{
	if (focus_in_code > 0 && key == CON_KEY(focus_in_code))
		return CON_KEY_FOCUS_IN;
	if (focus_out_code > 0 && key == CON_KEY(focus_out_code))
		return CON_KEY_FOCUS_OUT;
	return key;
}

/* ---- Ctrl-Z ------------------------------------------------------------------------- */

static void on_suspend(int sig)
{
	(void)sig;
	suspend_asked = 1;
}

/* con_terminal_catch_suspend: SIGTSTP recorded, unless it is ignored (a
 * shell without job control: Ctrl-Z then does nothing, as before); off:
 * its default action again. */
void con_terminal_catch_suspend(int on)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	if (!on) {
		sa.sa_handler = SIG_DFL;
		if (suspend_caught)
			sigaction(SIGTSTP, &sa, NULL);
		suspend_caught = 0;
		suspend_asked = 0;
		return;
	}
	if (sigaction(SIGTSTP, NULL, &old) != 0 || old.sa_handler == SIG_IGN)
		return;
	sa.sa_handler = on_suspend;
	if (sigaction(SIGTSTP, &sa, NULL) == 0)
		suspend_caught = 1;
}

/* con_terminal_suspend_asked: a recorded Ctrl-Z. */
int con_terminal_suspend_asked(void)
{
	return (int)suspend_asked;
}

/* con_terminal_stop: SIGTSTP with its default action, then ours again. */
void con_terminal_stop(void)
{
	struct sigaction sa;
	sigset_t set, old;

	suspend_asked = 0;
	if (!suspend_caught)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigprocmask(SIG_UNBLOCK, &set, &old);
	raise(SIGTSTP);            /* stops here until SIGCONT */
	sigprocmask(SIG_SETMASK, &old, NULL);
	sa.sa_handler = on_suspend;
	sigaction(SIGTSTP, &sa, NULL);
}
