/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* paths.c - trustmgr's per-user default locations (paths.h). */
#include "backend/os/paths.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The home folder: $HOME, else the password database's; NULL when none. */
static const char *paths_home(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if ((!home || !home[0]) && (pw = getpwuid(getuid())) != NULL)
		home = pw->pw_dir;
	return home && home[0] ? home : NULL;
}

/* $xdg_var/tail, else HOME/home_sub/tail (see paths.h). */
paths_result paths_user_dir(const char *xdg_var, const char *home_sub, const char *tail,
			    char *buf, size_t n)
{
	const char *xdg = getenv(xdg_var), *home;
	int k;

	if (xdg && xdg[0] == '/')
		k = snprintf(buf, n, "%s/%s", xdg, tail);
	else if ((home = paths_home()) != NULL)
		k = snprintf(buf, n, "%s/%s/%s", home, home_sub, tail);
	else
		return PATHS_NO_HOME;
	return k < 0 || (size_t)k >= n ? PATHS_TOO_LONG : PATHS_OK;
}
