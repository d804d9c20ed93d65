/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli.h - the command-line front end of trustmgr.
 *
 * `trustmgr [GLOBAL OPTIONS] COMMAND [SUB] ARGS [OPTIONS]`: every command
 * comes from one table in cli.c, from which the help text, usage errors and
 * dispatch are generated.  The exit status is a tm_class (model/status.h):
 * 0 success, 1 the operation ran and failed, 2 usage error, 3 refused by a
 * validation rule, 4 the backend failed, 5 a confirmation was refused.
 */
#ifndef TM_CLI_H
#define TM_CLI_H

/* Parse argv, run the command it names and return the process exit status.
 * Nothing is written to the store when the command line is malformed. */
int cli_main(int argc, char **argv);

/* Report e, found before the command line was read (main.c), as cli_main
 * reports errors: on stderr, and with --json on the line also as the one
 * JSON error object on stdout. Returns status. */
int cli_fail_early(int argc, char **argv, const char *what, const char *next, int status);

#endif
