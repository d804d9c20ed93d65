/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* paths.h - trustmgr's per-user default locations, after the XDG base
 * directory specification: the store ($XDG_DATA_HOME), the state folder
 * ($XDG_STATE_HOME) and the configuration file ($XDG_CONFIG_HOME).
 */
#ifndef TM_PATHS_H
#define TM_PATHS_H

#include <stddef.h>

typedef enum paths_result {
	PATHS_OK = 0,
	PATHS_NO_HOME = -1,          /* no usable $XDG_... and no home folder */
	PATHS_TOO_LONG = -2          /* the name does not fit the buffer */
} paths_result;

/* "$XDG_VAR/tail" when the variable xdg_var holds an absolute path
 * (relative values are ignored, as the specification says), else
 * "HOME/home_sub/tail" with HOME from $HOME or, when that is unset or
 * empty, the password database. Written into buf of n bytes. */
paths_result paths_user_dir(const char *xdg_var, const char *home_sub, const char *tail,
			    char *buf, size_t n);

#endif
