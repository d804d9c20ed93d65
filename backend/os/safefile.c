/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* safefile.c - opening trustmgr's own files safely (safefile.h). */
#include "backend/os/safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* safefile_user: the effective user's name and uid. */
const char *safefile_user(char *buf, size_t n)
{
	struct passwd *pw = getpwuid(geteuid());

	snprintf(buf, n, "%s (uid %u)", pw && pw->pw_name ? pw->pw_name : "?",
		 (unsigned)geteuid());
	return buf;
}

/* What kind of non-regular file mode m is, for a message. */
static const char *safefile_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO (named pipe)";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISDIR(m))
		return "a folder";
	if (S_ISLNK(m))
		return "a symbolic link";
	return "not a regular file";
}

/* safefile_type_name: safefile_kind, with regular files too. */
const char *safefile_type_name(mode_t m)
{
	return S_ISREG(m) ? "a regular file" : safefile_kind(m);
}

/* safefile_odd_type: what it is instead, and what to do. */
int safefile_odd_type(const char *path, mode_t m, const char *what, tm_error *e)
{
	error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
		   "%s (%s) is %s, not a regular file, so trustmgr did not use it", what, path,
		   safefile_kind(m));
	error_hint(e, "Move it away (trustmgr keeps only regular files there) and run the "
		   "command again; if it held data, restore that file from a backup.");
	return -1;
}

/* safefile_error: the message for an open or stat that failed with err. */
int safefile_error(const char *path, int err, const char *what, tm_error *e)
{
	char who[128];

	if (err == EACCES || err == EPERM) {
		error_fail(e, TM_EBACKEND, NULL, "%s (%s) cannot be opened: permission denied for "
			   "%s", what, path, safefile_user(who, sizeof(who)));
		error_hint(e, "Give this user access to it and to the folders above it (ls -ld %s), "
			   "or run trustmgr as the user that owns them.", path);
	} else if (err == ENOENT) {
		error_fail(e, TM_EBACKEND, ST_OBJECT_NAME_NOT_FOUND, "%s (%s) does not exist",
			   what, path);
	} else if (err == ENXIO) {
		/* a FIFO opened for writing with no reader, or a socket */
		struct stat st;

		safefile_odd_type(path, stat(path, &st) == 0 ? st.st_mode : S_IFIFO, what, e);
	} else if (err == EISDIR) {
		safefile_odd_type(path, S_IFDIR, what, e);
	} else {
		error_fail(e, TM_EBACKEND, NULL, "%s (%s) cannot be opened: %s", what, path,
			   strerror(err));
		error_hint(e, "Check the file system that holds it (space, errors, mount).");
	}
	errno = err;
	return -1;
}

/* safefile_open: non-blocking open, type check, then blocking again. */
int safefile_open(const char *path, int flags, mode_t mode, const char *what, tm_error *e)
{
	struct stat st;
	int fd = open(path, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, mode), err, fl;

	if (fd < 0)
		return safefile_error(path, errno, what, e);
	if (fstat(fd, &st) < 0) {
		err = errno;
		close(fd);
		return safefile_error(path, err, what, e);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		safefile_odd_type(path, st.st_mode, what, e);
		errno = EINVAL;
		return -1;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		err = errno;
		close(fd);
		return safefile_error(path, err, what, e);
	}
	return fd;
}

/* safefile_is_odd: stat, then the same type check. */
int safefile_is_odd(const char *path, const char *what, tm_error *e)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return safefile_error(path, errno, what, e);
	if (S_ISREG(st.st_mode))
		return 0;
	safefile_odd_type(path, st.st_mode, what, e);
	return 1;
}
