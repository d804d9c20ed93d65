/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_lock.c - the embedded store's lock (store_internal.h): flock on
 * STORE/lock, shared for reading and exclusive for changes, with the
 * holder's pid written for the busy message of the others. In a shared
 * state folder the lock file is the group's (0660), so that every
 * administrator of the group takes the same lock (backend/os/fsmode.h). */
#include "backend/store/store_internal.h"
#include "backend/store/store_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/os/fsmode.h"
#include "backend/os/safefile.h"

static int lock_file_open(store *s, tm_error *e)
{
	char path[PATH_MAX];

	if (s->lockfd >= 0)
		return 0;
	if (store_fs_path(s, path, sizeof(path), e, "lock") != 0)
		return -1;
	s->lockfd = safefile_open(path, O_RDWR | O_CREAT, fsmode_file(), "the lock file", e);
	if (s->lockfd < 0)
		return -1;
	if (fchmod(s->lockfd, fsmode_file()) != 0) { /* an old lock file; not fatal */
	}
	return 0;
}

/* The pid written by the exclusive holder, if it is still running. */
static long lock_holder(const store *s)
{
	char buf[32];
	ssize_t r = pread(s->lockfd, buf, sizeof(buf) - 1, 0);
	long pid;

	if (r <= 0)
		return 0;
	buf[r] = '\0';
	pid = strtol(buf, NULL, 10);
	if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno != EPERM))
		return 0;
	return pid;
}

/* Who runs process pid (", run by NAME"), for an administrator sharing the
 * state with others; "" when it cannot be told. */
static void lock_holder_user(long pid, char *buf, size_t n)
{
	char proc[64];
	struct stat st;
	struct passwd *pw;

	buf[0] = '\0';
	snprintf(proc, sizeof(proc), "/proc/%ld", pid);
	if (stat(proc, &st) != 0 || st.st_uid == geteuid())
		return;
	pw = getpwuid(st.st_uid);
	if (pw && pw->pw_name)
		snprintf(buf, n, ", run by %s", pw->pw_name);
	else
		snprintf(buf, n, ", run by uid %u", (unsigned)st.st_uid);
}

static int lock_busy(const store *s, tm_error *e)
{
	long pid = lock_holder(s);
	char who[96];

	lock_holder_user(pid, who, sizeof(who));
	if (pid > 0)
		error_fail(e, TM_EBACKEND, NULL,
			"another trustmgr process (pid %ld%s) is changing the store %s", pid, who,
			s->dir);
	else
		error_fail(e, TM_EBACKEND, NULL, "another trustmgr process is using the store %s",
			s->dir);
	error_hint(e, "wait for it to finish and run the command again");
	return -1;
}

/* flock without blocking, retrying interruptions: 0, 1 when busy, -1. */
static int try_flock(int fd, int op)
{
	while (flock(fd, op | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			return 1;
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

/* Record our pid for the message other processes show. */
static void lock_write_pid(const store *s)
{
	char buf[32];
	int k = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

	if (ftruncate(s->lockfd, 0) == 0 && pwrite(s->lockfd, buf, (size_t)k, 0) != k) {
		/* the pid is only a courtesy for the busy message */
	}
}

/* store_lock_take: see store_internal.h. */
int store_lock_take(store *s, int exclusive, tm_error *e)
{
	int want = exclusive ? LOCK_EXCL : LOCK_SHARED, had = s->lockmode, rc;

	if (had >= want)
		return 0;
	if (lock_file_open(s, e) != 0)
		return -1;
	if (had == LOCK_SHARED) {             /* upgrade: release and take again */
		flock(s->lockfd, LOCK_UN);
		s->lockmode = LOCK_NONE;
	}
	rc = try_flock(s->lockfd, exclusive ? LOCK_EX : LOCK_SH);
	if (rc == 1 && had == LOCK_SHARED && try_flock(s->lockfd, LOCK_SH) == 0)
		s->lockmode = LOCK_SHARED;        /* a refused upgrade keeps reading */
	if (rc == 1)
		return lock_busy(s, e);
	if (rc < 0)
		return error_fail(e, TM_EBACKEND, NULL, "could not lock the store %s: %s", s->dir,
			       strerror(errno));
	s->lockmode = want;
	if (exclusive)
		lock_write_pid(s);
	if (had == LOCK_NONE)
		store_folder_sweep(s);
	return 0;
}

/* store_lock_release: see store_internal.h. */
void store_lock_release(store *s)
{
	if (s->lockfd < 0)
		return;
	if (s->lockmode == LOCK_EXCL && ftruncate(s->lockfd, 0) != 0) {
		/* a stale pid is harmless: the busy message checks it is alive */
	}
	close(s->lockfd);        /* releases the flock */
	s->lockfd = -1;
	s->lockmode = LOCK_NONE;
}

