/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_fs.c - the embedded store's files: private folders, whole-file
 * reads, and atomic replacement (temporary file, fsync, rename, fsync of the
 * folder) so that a crash leaves either the old or the new content. */
#include "backend/os/fsmode.h"
#include "backend/store/store_fs.h"
#include "backend/store/store_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/secret.h"
#include "backend/os/safefile.h"

#define STFS_READ_MAX (64u * 1024u * 1024u)  /* no store file is this big */
#define STFS_READ_CHUNK 8192u

/* Record an I/O failure on path: what, why (errno), and what to do next. */
static int fs_fail(tm_error *e, int err, const char *doing, const char *path,
		   const char *next)
{
	char who[128];

	if (err == EACCES || err == EPERM) {     /* say whose access was refused */
		error_fail(e, TM_EBACKEND, NULL, "could not %s %s: permission denied for %s",
			   doing, path, safefile_user(who, sizeof(who)));
		error_hint(e, "Run trustmgr as a user who may (see ls -ld on the folders leading to "
			   "%s: a shared state folder is for the members of its group), or give this "
			   "user access.", path);
		return -1;
	}
	error_fail(e, TM_EBACKEND, NULL, "could not %s %s: %s", doing, path, strerror(err));
	error_hint(e, "%s", next);
	return -1;
}

static const char HINT_WRITE[] =
	"check that the disk has free space and that you may write to the store folder";
static const char HINT_READ[] =
	"check that the file exists and that you may read it";

/* store_fs_path: "<dir>/<fmt...>", refusing truncation. */
int store_fs_path(const store *s, char *buf, size_t n, tm_error *e, const char *fmt, ...)
{
	char rel[PATH_MAX];
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= sizeof(rel))
		return error_fail(e, TM_EBACKEND, NULL, "a path below the store %s is too long", s->dir);
	k = snprintf(buf, n, "%s/%s", s->dir, rel);
	if (k < 0 || (size_t)k >= n)
		return error_fail(e, TM_EBACKEND, NULL, "the path %s/%s is too long", s->dir, rel);
	return 0;
}

/* Create one folder level; an existing folder is fine. */
static int mkdir_one(const char *path, tm_error *e)
{
	struct stat st;

	if (mkdir(path, fsmode_dir()) == 0)
		return 0;
	if (errno != EEXIST)
		return fs_fail(e, errno, "create the folder", path,
			       "check that the parent folder exists and that you may write to it");
	if (stat(path, &st) != 0)
		return fs_fail(e, errno, "inspect", path, HINT_READ);
	if (!S_ISDIR(st.st_mode)) {
		error_fail(e, TM_EBACKEND, NULL, "%s exists but is not a folder", path);
		error_hint(e, "move that file away or choose another store folder");
		return -1;
	}
	return 0;
}

/* store_fs_mkdir_private: parents as needed, the last level tightened to
 * 0700 (2770 in a shared state folder, backend/os/fsmode.h). */
int store_fs_mkdir_private(const char *path, tm_error *e)
{
	char tmp[PATH_MAX];
	size_t len = strlen(path);
	struct stat st;
	char *p;

	if (len == 0 || len >= sizeof(tmp))
		return error_fail(e, TM_EBACKEND, NULL, "the folder name \"%s\" is empty or too long", path);
	memcpy(tmp, path, len + 1);
	while (len > 1 && tmp[len - 1] == '/')
		tmp[--len] = '\0';
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir_one(tmp, e) != 0)
			return -1;
		*p = '/';
	}
	if (mkdir_one(tmp, e) != 0)
		return -1;
	/* a folder another administrator of the group made is left as it is */
	if (stat(tmp, &st) == 0 && (st.st_mode & 07777) == fsmode_dir())
		return 0;
	if (chmod(tmp, fsmode_dir()) != 0)
		return fs_fail(e, errno, fsmode_shared() ? "share with the group (mode 2770)" :
			       "make private (mode 0700)", tmp,
			       "check that the folder belongs to you");
	return 0;
}

/* Write all of data to fd, retrying short writes and interruptions.
 * Returns 0 or the errno of the failure. */
static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		if (w == 0)
			return EIO;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* fsync, retrying interruptions. Returns 0 or errno. */
static int sync_fd(int fd)
{
	while (fsync(fd) != 0) {
		if (errno != EINTR)
			return errno;
	}
	return 0;
}

/* Write all of data to fd, fsync it and close it (always). Returns 0 or the
 * errno of the first failure. */
static int write_durable(int fd, const void *data, size_t len)
{
	int err = write_all(fd, data, len);

	if (!err)
		err = sync_fd(fd);
	if (close(fd) != 0 && !err)
		err = errno;
	return err;
}

/* Open a fresh temporary file "<path>.tmp.<pid>" (0600, or 0660 shared). A leftover with our
 * pid can only come from an earlier process that died: it is replaced. */
static int open_temp(const char *path, char *tmp, size_t n, tm_error *e)
{
	int k = snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
	int fd;

	if (k < 0 || (size_t)k >= n)
		return error_fail(e, TM_EBACKEND, NULL, "the path %s is too long", path);
	fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, fsmode_file());
	if (fd < 0 && errno == EEXIST && unlink(tmp) == 0)
		fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, fsmode_file());
	if (fd < 0)
		return fs_fail(e, errno, "create", tmp, HINT_WRITE);
	if (fchmod(fd, fsmode_file()) != 0) {
		fs_fail(e, errno, fsmode_shared() ? "share with the group (mode 0660)" :
			"make private (mode 0600)", tmp, HINT_WRITE);
		close(fd);
		unlink(tmp);
		return -1;
	}
	return fd;
}

/* Fill the temporary file and make it durable; closes fd. */
static int fill_temp(int fd, const char *tmp, const void *data, size_t len, tm_error *e)
{
	int err = write_durable(fd, data, len);

	if (err)
		return fs_fail(e, err, "write", tmp, HINT_WRITE);
	return 0;
}

/* store_fs_write_atomic: temp file, fsync, rename, fsync of the folder. */
int store_fs_write_atomic_nosync(const char *path, const void *data, size_t len, tm_error *e)
{
	char tmp[PATH_MAX + 32];
	int fd = open_temp(path, tmp, sizeof(tmp), e);

	if (fd < 0)
		return -1;
	if (fill_temp(fd, tmp, data, len, e) != 0) {
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		fs_fail(e, errno, "replace", path, HINT_WRITE);
		unlink(tmp);
		return -1;
	}
	return 0;
}

int store_fs_write_atomic(const char *path, const void *data, size_t len, tm_error *e)
{
	if (store_fs_write_atomic_nosync(path, data, len, e) != 0)
		return -1;
	return store_fs_sync_dir(path, e);
}

/* Make room for at least want bytes (plus NUL); the old buffer is wiped
 * because store files hold secrets. */
static int grow(char **buf, size_t *cap, size_t used, size_t want)
{
	size_t ncap = *cap ? *cap : STFS_READ_CHUNK;
	char *nb;

	while (ncap < want + 1)
		ncap *= 2;
	if (ncap == *cap)
		return 0;
	nb = malloc(ncap);
	if (!nb)
		return -1;
	if (*buf) {
		memcpy(nb, *buf, used);
		secret_free_buf(buf, *cap);
	}
	*buf = nb;
	*cap = ncap;
	return 0;
}

/* Read fd to its end into a growing buffer. Returns 0 or errno. */
static int read_fd(int fd, char **buf, size_t *len)
{
	size_t cap = 0, used = 0;

	*buf = NULL;
	for (;;) {
		ssize_t r;

		if (used + STFS_READ_CHUNK > STFS_READ_MAX) {
			secret_free_buf(buf, cap);
			return EFBIG;
		}
		if (grow(buf, &cap, used, used + STFS_READ_CHUNK) != 0) {
			secret_free_buf(buf, cap);
			return ENOMEM;
		}
		r = read(fd, *buf + used, STFS_READ_CHUNK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = errno;

			secret_free_buf(buf, cap);
			return err;
		}
		if (r == 0)
			break;
		used += (size_t)r;
	}
	(*buf)[used] = '\0';
	*len = used;
	return 0;
}

/* Is the open file larger than any store file trustmgr writes? */
static int fd_too_big(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && st.st_size > (off_t)STFS_READ_MAX;
}

/* A store file larger than trustmgr ever writes: damage, not a read
 * failure (it was "File too large: check that you may read it"). */
static int fs_too_big(const char *path, tm_error *e)
{
	error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
		   "%s (%s) is larger than %u MiB, more than trustmgr ever writes there: it is "
		   "damaged", store_fs_what(path), path, STFS_READ_MAX / (1024u * 1024u));
	error_hint(e, "Restore it from a backup of the store, or move it away (keep a copy) "
		   "and run the command again.");
	return -1;
}

/* store_fs_what: how people call the store file at path. */
const char *store_fs_what(const char *path)
{
	static const struct {
		const char *name, *what;
	} names[] = {
		{ "domain.ldif", "the domain file" }, { "krb5.keytab", "the keytab" },
		{ "health", "the health file" }, { "current", "the journal" },
		{ "lock", "the lock file" }, { "audit.log", "the audit log" },
	};
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	if (strstr(path, "/journal/before/") || strstr(path, "/journal/directory/"))
		return "the before-image";
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(base, names[i].name) == 0)
			return names[i].what;
	return "the store file";
}

/* store_fs_read: whole file, NUL-terminated; 1 when it does not exist.
 * Opened with safefile_open: a FIFO or device is refused, never waited on. */
int store_fs_read(const char *path, char **data, size_t *len, tm_error *e)
{
	size_t dummy;
	int fd, err;

	*data = NULL;
	if (!len)
		len = &dummy;
	*len = 0;
	fd = safefile_open(path, O_RDONLY, 0, store_fs_what(path), e);
	if (fd < 0 && errno == ENOENT) {
		error_clear(e);
		return 1;
	}
	if (fd < 0)
		return -1;
	err = fd_too_big(fd) ? EFBIG : read_fd(fd, data, len);
	close(fd);
	if (err == EFBIG)
		return fs_too_big(path, e);
	if (err)
		return fs_fail(e, err, "read", path, HINT_READ);
	return 0;
}

/* store_fs_sync_dir: fsync the folder that holds path. */
int store_fs_sync_dir(const char *path, tm_error *e)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 1;
	int fd, err;

	if (n >= sizeof(dir))
		return error_fail(e, TM_EBACKEND, NULL, "the path %s is too long", path);
	if (!slash)
		memcpy(dir, ".", 2);
	else if (n == 0)
		memcpy(dir, "/", 2);
	else {
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fs_fail(e, errno, "open the folder", dir, HINT_READ);
	err = sync_fd(fd);
	close(fd);
	if (err && err != EINVAL)   /* some file systems cannot sync folders */
		return fs_fail(e, err, "flush the folder", dir, HINT_WRITE);
	return 0;
}

/* store_fs_remove: unlink path (a missing file is fine) and flush its folder. */
int store_fs_remove_nosync(const char *path, tm_error *e)
{
	if (unlink(path) != 0 && errno != ENOENT)
		return fs_fail(e, errno, "remove", path,
			       "check that you may write to the store folder");
	return 0;
}

int store_fs_remove(const char *path, tm_error *e)
{
	if (unlink(path) != 0) {
		if (errno == ENOENT)
			return 0;
		return fs_fail(e, errno, "remove", path,
			       "check that you may write to the store folder");
	}
	return store_fs_sync_dir(path, e);
}

/* store_fs_append: append data to path (created 0600, or 0660 shared, if
 * missing) and fsync. */
int store_fs_append(const char *path, const void *data, size_t len, tm_error *e)
{
	int fd = safefile_open(path, O_WRONLY | O_APPEND | O_CREAT, fsmode_file(), store_fs_what(path),
				 e);
	int err;

	if (fd < 0)
		return -1;
	err = write_durable(fd, data, len);
	if (err)
		return fs_fail(e, err, "append to", path, HINT_WRITE);
	return 0;
}

/* store_fs_copy: dst becomes an atomic copy of src; a missing src removes dst. */
int store_fs_copy(const char *src, const char *dst, tm_error *e)
{
	char *data = NULL;
	size_t len = 0;
	int rc = store_fs_read(src, &data, &len, e);

	if (rc < 0)
		return -1;
	if (rc == 1)
		return store_fs_remove(dst, e);
	rc = store_fs_write_atomic(dst, data, len, e);
	secret_free_buf(&data, len);
	return rc;
}

/* ---- temporary files left by a process that died ------------------------- */

/* store_fs_temp_pid: "<name>.tmp.<digits>", the digits a positive pid. */
int store_fs_temp_pid(const char *name, long *pid)
{
	const char *t = strstr(name, ".tmp."), *next;
	char *end;
	long v;

	if (!t)
		return 0;
	while ((next = strstr(t + 1, ".tmp.")) != NULL)   /* the last one */
		t = next;
	if (t == name || t[5] < '1' || t[5] > '9')
		return 0;
	errno = 0;
	v = strtol(t + 5, &end, 10);
	if (errno || *end || v <= 0)
		return 0;
	*pid = v;
	return 1;
}

/* The command name of process pid (/proc/PID/comm) into buf; -1 when it
 * cannot be read. */
static int proc_comm(long pid, char *buf, size_t n)
{
	char path[64];
	ssize_t r;
	int fd;

	if (pid > 0)
		snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/comm");
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	r = read(fd, buf, n - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Could the process that named a temporary file pid still be writing it?
 * Yes for this process and for a live trustmgr (or a process running the
 * same program as this one, e.g. under valgrind); no for a pid that is not
 * running or runs something else (the pid was reused). When it cannot be
 * told, yes: the file is kept. */
static int temp_owner_alive(long pid)
{
	char comm[64], self[64];

	if (pid == (long)getpid())
		return 1;
	if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
		return 0;
	if (proc_comm(pid, comm, sizeof(comm)) != 0)
		return 1;
	if (strcmp(comm, "trustmgr") == 0)
		return 1;
	return proc_comm(0, self, sizeof(self)) == 0 && strcmp(comm, self) == 0;
}

/* store_fs_sweep: remove dir's regular "*.tmp.<pid>" files whose process
 * is gone. Failures leave the file for the next run. */
size_t store_fs_sweep(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	size_t removed = 0;
	long pid;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (!store_fs_temp_pid(de->d_name, &pid) || temp_owner_alive(pid))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	if (removed) {
		tm_error ignore;

		snprintf(path, sizeof(path), "%s/.", dir);
		store_fs_sync_dir(path, &ignore);
	}
	return removed;
}
