/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* console.h - the ncurses console: `trustmgr` with no command.
 *
 * The console shows one domain's Trust Relationships dialog (docs/CONSOLE.md)
 * and offers every operation of the command line as dialogs. It reaches the
 * store only through service.h. Keys come from the keyboard or from a script
 * (--script), and the screen is either a real terminal or, headless, ncurses'
 * own buffers with the output discarded (--headless).
 */
#ifndef TM_CON_CONSOLE_H
#define TM_CON_CONSOLE_H

typedef struct con_options {
	const char *store_dir;  /* the store folder; NULL: $XDG_DATA_HOME/trustmgr */
	const char *config;     /* trustmgr.conf of real domains; wins over store_dir when set */
	const char *audit_log;  /* --audit-log: the audit file; NULL: the default */
	const char *script;     /* a script of keys and commands, "-" = stdin; NULL: TRUSTMGR_SCRIPT */
	int headless;           /* render without a terminal; 0: TRUSTMGR_NO_DISPLAY */
	int cols, rows;         /* screen size; 0: COLUMNS/LINES, else the terminal (80x24 headless) */
	int no_color;           /* no colours; 0: NO_COLOR (any value) */
	int force_mono;         /* monochrome attributes even on a colour terminal */
	const char *domain;     /* --domain: the store key of the domain shown first; NULL: the first */
} con_options;

/* Run the console until the operator (or the script) leaves it. Options win
 * over the environment. Returns the process exit status: 0 normal end (also
 * the end of a script without :quit), 1 a script's :expect failed, 2 a
 * malformed script or no usable terminal, 4 the store could not be opened,
 * 128+N when ended by signal N (SIGINT, SIGTERM, SIGHUP, SIGQUIT). */
int con_console_main(const con_options *o);

#endif
