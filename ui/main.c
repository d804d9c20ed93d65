/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* main.c - trustmgr's entry point: harden the process, then cli_main(). */
#include <stdio.h>

#include "backend/os/harden.h"
#include "ui/cli.h"

/* Refuse a password offered in the environment (never read from there). */
static int main_refuse_env_secret(int argc, char **argv)
{
	char name[128], what[512], next[512];

	if (!harden_env_secret(name, sizeof(name)))
		return 0;
	snprintf(what, sizeof(what), "the environment variable %s is set, but trustmgr never "
		 "reads a password from the environment (other processes can read it there and "
		 "every child inherits it), so nothing was run.", name);
	snprintf(next, sizeof(next), "Unset it (unset %s) and give the password with "
		 "--password-file FILE ('-' for standard input) or type it at the prompt.", name);
	return cli_fail_early(argc, argv, what, next, 2);
}

/* Before anything reads a secret: no core dumps, not dumpable, secrets in
 * locked memory; then the command line. */
int main(int argc, char **argv)
{
	tm_error e;
	int rc;

	error_clear(&e);
	if (harden_process(&e) < 0)
		return cli_fail_early(argc, argv, e.what, e.next, TM_EBACKEND);
	harden_secret_memory();
	if ((rc = main_refuse_env_secret(argc, argv)) != 0)
		return rc;
	return cli_main(argc, argv);
}
