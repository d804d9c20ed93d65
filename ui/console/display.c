/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* display.c - screen set-up and tear-down, colours, dumps, signals. */
#include "ui/console/display.h"

#include "backend/os/testhooks.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "model/utf8.h"
#include "ui/console/terminal.h"
#include "ui/console/text.h"

#define LEAVE_SEQ_MAX 256          /* rmcup, cnorm, sgr0 and the focus reports off,
				      of any terminal */
#define ROW_CELLS_MAX 1024         /* columns of a row a dump reads (a script's
				      :resize allows 1000) */

static SCREEN *screen;
static FILE *out_file, *in_file;
static int headless, mono, closed_once, exit_hooked;
static attr_t roles[ROLE_COUNT];
static volatile sig_atomic_t caught_signal;
/* For a second signal, which ends the process at once: the terminal's modes
 * before the console took it, and what leaves the console's screen (rmcup,
 * cursor visible, attributes off), ready to be written from the handler. */
static struct termios shell_modes;
static int tty_fd = -1;
static char leave_seq[LEAVE_SEQ_MAX];
static size_t leave_len;

/* ---- colours and attributes ------------------------------------------- */

typedef struct role_look {
	short fg, bg;
	attr_t color_attr;      /* added to the colour pair */
	attr_t mono_attr;       /* used alone in monochrome */
} role_look;

static const role_look looks[ROLE_COUNT] = {
	[ROLE_SCREEN] = { COLOR_WHITE, COLOR_BLUE, 0, A_NORMAL },
	[ROLE_DIALOG] = { COLOR_BLACK, COLOR_WHITE, 0, A_NORMAL },
	[ROLE_BORDER] = { COLOR_BLACK, COLOR_WHITE, 0, A_NORMAL },
	[ROLE_TITLE] = { COLOR_BLUE, COLOR_WHITE, A_BOLD, A_BOLD },
	[ROLE_HOTKEY] = { COLOR_RED, COLOR_WHITE, A_UNDERLINE, A_UNDERLINE },
	[ROLE_BUTTON] = { COLOR_BLACK, COLOR_WHITE, 0, A_NORMAL },
	[ROLE_BUTTON_FOCUS] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[ROLE_DISABLED] = { COLOR_BLACK, COLOR_WHITE, A_DIM, A_DIM },
	[ROLE_FIELD] = { COLOR_BLACK, COLOR_CYAN, 0, A_UNDERLINE },
	[ROLE_FIELD_FOCUS] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[ROLE_FIELD_INVALID] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_LIST] = { COLOR_BLACK, COLOR_WHITE, 0, A_NORMAL },
	[ROLE_LIST_SELECT] = { COLOR_BLACK, COLOR_CYAN, 0, A_BOLD },
	[ROLE_LIST_SELECT_FOCUS] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[ROLE_ERROR] = { COLOR_RED, COLOR_WHITE, A_BOLD, A_BOLD },
	[ROLE_HINT] = { COLOR_BLUE, COLOR_WHITE, 0, A_NORMAL },
	[ROLE_GOOD] = { COLOR_GREEN, COLOR_WHITE, A_BOLD, A_BOLD },
	[ROLE_KEYLINE] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[ROLE_KEYLINE_KEY] = { COLOR_RED, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_SHADOW] = { COLOR_WHITE, COLOR_BLACK, 0, A_NORMAL },
};

static void set_roles(void)
{
	int i, color = !mono && has_colors() && start_color() == OK && COLORS >= 8 &&
			COLOR_PAIRS > ROLE_COUNT;

	for (i = 0; i < ROLE_COUNT; i++) {
		if (!color) {
			roles[i] = looks[i].mono_attr;
			continue;
		}
		init_pair((short)(i + 1), looks[i].fg, looks[i].bg);
		roles[i] = COLOR_PAIR(i + 1) | looks[i].color_attr;
	}
}

/* con_display_attr: the attributes of a role. */
attr_t con_display_attr(con_role r)
{
	return (r >= 0 && r < ROLE_COUNT) ? roles[r] : A_NORMAL;
}

/* ---- opening and closing ------------------------------------------------ */

/* UTF-8 text in a headless dump must not depend on the caller's locale:
 * without a UTF-8 locale, take C.UTF-8 for the character functions. */
static void headless_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	if (cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0))
		return;
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "C.utf8");
}

static void exit_hook(void)
{
	con_display_close();
}

/* newterm on /dev/null with the first terminal type that exists; a TERM
 * that cannot address the cursor (dumb, as CI often sets) is passed over
 * like an unset one, so the dumps are those of a real screen. */
static int open_headless(char *err, size_t n)
{
	static const char *const fallback[] = { "xterm-256color", "xterm", "vt100", "ansi" };
	const char *term = getenv("TERM");
	char why[CON_LINE_MAX];
	size_t i;

	headless_locale();
	out_file = fopen("/dev/null", "w");
	in_file = fopen("/dev/null", "r");
	if (!out_file || !in_file) {
		snprintf(err, n, "cannot open /dev/null for the headless screen: %s", strerror(errno));
		return -1;
	}
	if (term && *term && con_terminal_check(term, why, sizeof(why)) == 0)
		screen = newterm(term, out_file, in_file);
	for (i = 0; !screen && i < CON_ARRAY_LEN(fallback); i++)
		screen = newterm(fallback[i], out_file, in_file);
	if (!screen) {
		snprintf(err, n, "no terminal description (terminfo) is installed, not even "
			 "for xterm or vt100; install ncurses-base");
		return -1;
	}
	return 0;
}

/* newterm on the controlling terminal, so standard output may be a pipe. */
static int open_tty(char *err, size_t n)
{
	const char *term = getenv("TERM");

	out_file = fopen("/dev/tty", "r+");
	if (!out_file) {
		snprintf(err, n, "there is no terminal to draw on (/dev/tty: %s); run it in a "
			 "terminal, or use --headless with --script", strerror(errno));
		return -1;
	}
	if (con_terminal_check(term, err, n) < 0)
		return -1;
	tty_fd = tcgetattr(fileno(out_file), &shell_modes) == 0 ? fileno(out_file) : -1;
	con_terminal_catch_suspend(1);     /* before newterm: ours, not ncurses' */
	screen = newterm(term, out_file, out_file);
	if (!screen) {
		snprintf(err, n, "the terminal type '%s' (TERM) is unknown to ncurses; set TERM "
			 "to a known type such as xterm", term);
		return -1;
	}
	return 0;
}

/* cbreak, not raw: Ctrl-C still raises SIGINT; but without IXON, so that
 * Ctrl-Q and Ctrl-S reach the console where the terminal has flow control. */
static void tty_modes(void)
{
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	meta(stdscr, TRUE);
	set_escdelay(25);
	con_terminal_flow_off(fileno(out_file));
	con_terminal_focus_setup(getenv("TERM"), fileno(out_file));
}

/* The escape sequences that leave the console's screen, for on_signal. */
static void note_leave_sequence(void)
{
	static const char *const caps[] = { "rmcup", "cnorm", "sgr0", "" };
	size_t i, n;

	leave_len = 0;
	for (i = 0; i < CON_ARRAY_LEN(caps); i++) {
		const char *v = caps[i][0] ? tigetstr(caps[i]) : con_terminal_focus_off_sequence();

		if (!v || v == (const char *)-1 || (n = strlen(v)) >= sizeof(leave_seq) - leave_len)
			continue;
		memcpy(leave_seq + leave_len, v, n);
		leave_len += n;
	}
}

/* con_display_open: the screen, modes, colours and the virtual size. */
int con_display_open(const con_display_opts *o, char *err, size_t n)
{
	headless = o->headless;
	mono = o->mono;
	closed_once = 0;
	if ((headless ? open_headless(err, n) : open_tty(err, n)) < 0) {
		con_display_close();
		return -1;
	}
	set_term(screen);
	if (!exit_hooked && atexit(exit_hook) == 0)
		exit_hooked = 1;
	if (!headless) {
		tty_modes();
		note_leave_sequence();
	}
	set_roles();
	if (o->cols > 0 && o->rows > 0)
		con_display_resize(o->cols, o->rows);
	return 0;
}

/* con_display_close: endwin once, free the screen, close the files. */
void con_display_close(void)
{
	tty_fd = -1;            /* a signal from now on has nothing to restore */
	if (screen && !closed_once) {
		closed_once = 1;
		if (!headless)
			curs_set(1);
		endwin();
		if (!headless)
			con_terminal_focus(0);
		delscreen(screen);
		con_terminal_catch_suspend(0);
	}
	screen = NULL;
	if (out_file)
		fclose(out_file);
	if (in_file)
		fclose(in_file);
	out_file = in_file = NULL;
}

/* con_display_check: a terminal's type must let ncurses address the
 * cursor; headless needs no terminal. */
int con_display_check(const con_display_opts *o, char *err, size_t n)
{
	return o->headless ? 0 : con_terminal_check(getenv("TERM"), err, n);
}

/* con_display_suspend: the terminal as the shell had it, stopped, then
 * the console's modes (flow control off) and focus reports again; the
 * caller redraws. */
void con_display_suspend(void)
{
	if (!screen || headless) {
		con_terminal_stop();
		return;
	}
	endwin();
	con_terminal_focus(0);
	con_terminal_stop();
	clearok(curscr, TRUE);
	doupdate();                /* back in the program's modes */
	con_terminal_focus(1);
}

/* con_display_quiet: a wait for a key that ended with ERR ended by its time
 * limit: nothing to read and the terminal still there. */
int con_display_quiet(void)
{
	struct pollfd p;

	if (!out_file || headless)
		return 0;
	p.fd = fileno(out_file);
	p.events = POLLIN;
	p.revents = 0;
	return poll(&p, 1, 0) == 0;
}

/* con_display_is_open: between open and close. */
int con_display_is_open(void)
{
	return screen != NULL;
}

/* con_display_resize: resizeterm to the virtual size. */
void con_display_resize(int cols, int rows)
{
	if (screen && cols > 0 && rows > 0)
		resizeterm(rows, cols);
}

/* con_display_too_small: below the minimum. */
int con_display_too_small(void)
{
	return COLS < CON_MIN_COLS || LINES < CON_MIN_ROWS;
}

/* Does msg, wrapped at blanks, fit cols x rows without cutting a word? */
static int too_small_fits(const char *msg, int cols, int rows)
{
	con_span lines[8];
	char word[CON_LINE_MAX];
	const char *p = msg;
	size_t k;

	while (*p) {
		k = strcspn(p, " ");
		snprintf(word, sizeof(word), "%.*s", (int)k, p);
		if (con_text_width(word) > cols)
			return 0;          /* con_text_wrap would cut it */
		p += k;
		p += strspn(p, " ");
	}
	return con_text_wrap(msg, cols, lines, CON_ARRAY_LEN(lines)) <= (size_t)rows;
}

/* The longest of the ways of saying it that fits the screen whole: from
 * the full sentence down to "!" for a 1x1 terminal. */
static void too_small_text(char *msg, size_t n)
{
	char v[6][96];
	size_t i;

	snprintf(v[0], sizeof(v[0]), "Terminal too small: need at least %dx%d, have %dx%d",
		 CON_MIN_COLS, CON_MIN_ROWS, COLS, LINES);
	snprintf(v[1], sizeof(v[1]), "Too small: need %dx%d, have %dx%d", CON_MIN_COLS,
		 CON_MIN_ROWS, COLS, LINES);
	snprintf(v[2], sizeof(v[2]), "Too small: need %dx%d", CON_MIN_COLS, CON_MIN_ROWS);
	snprintf(v[3], sizeof(v[3]), "Need %dx%d", CON_MIN_COLS, CON_MIN_ROWS);
	snprintf(v[4], sizeof(v[4]), "%dx%d", CON_MIN_COLS, CON_MIN_ROWS);
	snprintf(v[5], sizeof(v[5]), "!");
	for (i = 0; i + 1 < CON_ARRAY_LEN(v) && !too_small_fits(v[i], COLS, LINES); i++)
		;
	snprintf(msg, n, "%.95s", v[i]);
}

/* con_display_draw_too_small: the message, centered, whole at any size. */
void con_display_draw_too_small(void)
{
	char msg[CON_MSG_MAX];
	con_span lines[8];
	size_t i, nl;
	int y;

	too_small_text(msg, sizeof(msg));
	wbkgdset(stdscr, ' ' | con_display_attr(ROLE_SCREEN));
	werase(stdscr);
	nl = con_text_wrap(msg, COLS, lines, CON_ARRAY_LEN(lines));
	if (nl > CON_ARRAY_LEN(lines))
		nl = CON_ARRAY_LEN(lines);
	y = LINES > (int)nl ? (LINES - (int)nl) / 2 : 0;
	for (i = 0; i < nl && y + (int)i < LINES; i++) {
		char line[CON_LINE_MAX];
		int w;

		snprintf(line, sizeof(line), "%.*s", (int)lines[i].len, msg + lines[i].start);
		w = con_text_width(line);
		con_text_draw(stdscr, y + (int)i, w < COLS ? (COLS - w) / 2 : 0, COLS, line,
			      con_display_attr(ROLE_SCREEN) | A_BOLD);
	}
}

/* ---- dumps -------------------------------------------------------------- */

/* Line drawing as ASCII: ACS letters and Unicode box drawing. */
static int ascii_line(int c, attr_t attrs)
{
	if (attrs & A_ALTCHARSET) {
		if (strchr("qsrop", c))
			return '-';
		if (c == 'x')
			return '|';
		if (strchr("lkmjtuvwn", c))
			return '+';
		if (c == 'a' || c == '0')
			return '#';
		return c;
	}
	if (c >= 0x2500 && c <= 0x257F) {
		if (c == 0x2500 || c == 0x2501 || c == 0x2504 || c == 0x2505 || c == 0x2508 ||
		    c == 0x2509 || c == 0x254C || c == 0x254D || c == 0x2550)
			return '-';
		if (c == 0x2502 || c == 0x2503 || c == 0x2506 || c == 0x2507 || c == 0x250A ||
		    c == 0x250B || c == 0x254E || c == 0x254F || c == 0x2551)
			return '|';
		return '+';
	}
	if (c == 0x2592 || c == 0x2588)
		return '#';
	return c;
}

/* con_display_row: read the cells of row y. */
size_t con_display_row(int y, char *buf, size_t n)
{
	cchar_t cells[ROW_CELLS_MAX];
	size_t len = 0, keep = 0;
	int x, ncells, skip = 0;

	if (n == 0)
		return 0;
	buf[0] = '\0';
	if (!screen || y < 0 || y >= LINES)
		return 0;
	ncells = COLS < (int)CON_ARRAY_LEN(cells) - 1 ? COLS : (int)CON_ARRAY_LEN(cells) - 1;
	if (mvwin_wchnstr(stdscr, y, 0, cells, ncells) == ERR)
		return 0;
	for (x = 0; x < ncells; x++) {
		wchar_t wc[CCHARW_MAX + 1] = { 0 };
		attr_t attrs = 0;
		short pair = 0;
		char enc[UTF8_MAX];
		size_t k, m;
		int c, w;

		if (skip) {        /* the second column of a wide character */
			skip = 0;
			continue;
		}
		if (getcchar(&cells[x], wc, &attrs, &pair, NULL) == ERR || !wc[0])
			wc[0] = L' ';
		c = ascii_line((int)wc[0], attrs);
		w = con_text_char_width(c);
		skip = w > 1;
		for (k = 0; k < CCHARW_MAX && wc[k]; k++) {
			m = utf8_put((uint32_t)(k == 0 ? c : (int)wc[k]), enc);
			if (len + m + 1 > n)
				break;
			memcpy(buf + len, enc, m);
			len += m;
		}
		if (c != ' ')
			keep = len;
	}
	buf[keep] = '\0';
	return keep;
}

/* con_display_dump: every row, trimmed. */
int con_display_dump(FILE *f)
{
	char row[CON_ROW_MAX];
	int y;

	for (y = 0; y < LINES; y++) {
		con_display_row(y, row, sizeof(row));
		if (fprintf(f, "%s\n", row) < 0)
			return -1;
	}
	return 0;
}

/* con_display_contains: a substring of one row. */
int con_display_contains(const char *text)
{
	char row[CON_ROW_MAX];
	int y;

	for (y = 0; y < LINES; y++) {
		con_display_row(y, row, sizeof(row));
		if (strstr(row, text))
			return 1;
	}
	return 0;
}

/* ---- signals ----------------------------------------------------------- */

/* The first signal is recorded: the input loop ends the console cleanly,
 * and a running plan stops at its next step boundary (service.c). A second
 * one does not wait: the terminal is put back from here (only
 * async-signal-safe calls) and the signal's default action ends the
 * process; the journal keeps an interrupted plan for the next run. */
static void on_signal(int sig)
{
	if (!caught_signal) {
		caught_signal = sig;
		testhooks_signal();
		return;
	}
	if (tty_fd >= 0) {
		if (leave_len && write(tty_fd, leave_seq, leave_len) < 0)
			leave_len = 0;
		tcsetattr(tty_fd, TCSANOW, &shell_modes);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* con_display_catch_signals: no SA_RESTART, so a blocked read returns. */
void con_display_catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < CON_ARRAY_LEN(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* con_display_signal: the recorded signal. */
int con_display_signal(void)
{
	return (int)caught_signal;
}
