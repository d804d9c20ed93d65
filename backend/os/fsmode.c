/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* fsmode.c - private or shared modes for what trustmgr creates (fsmode.h). */
#include "backend/os/fsmode.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Set once a shared folder is opened; a process works in one state folder. */
static int fsmode_on;

int fsmode_is_shared_dir(const char *path)
{
	struct stat st;
	const mode_t want = S_ISGID | S_IRWXG;

	if (!path || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return 0;
	return (st.st_mode & want) == want && (st.st_mode & S_IRWXO) == 0;
}

void fsmode_share(int on)
{
	fsmode_on = on != 0;
	if (fsmode_on)
		umask(S_IRWXO);
}

int fsmode_shared(void)
{
	return fsmode_on;
}

mode_t fsmode_file(void)
{
	return fsmode_on ? 0660 : 0600;
}

mode_t fsmode_dir(void)
{
	return fsmode_on ? (02000 | 0770) : 0700;
}

mode_t fsmode_file_at(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (!slash)
		return fsmode_is_shared_dir(".") ? 0660 : fsmode_file();
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash == path ? 1 : slash - path), path);
	return fsmode_is_shared_dir(dir) ? 0660 : fsmode_file();
}

void fsmode_settle(int fd, mode_t m)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && st.st_uid == geteuid() && (st.st_mode & 07777) != m &&
	    fchmod(fd, m) != 0) {
		/* not fatal: the file works, only its group may not reach it */
	}
}
