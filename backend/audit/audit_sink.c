/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* audit_sink.c - where audit records go: an append-only file and syslog
 * (RFC 3164 datagrams written to a unix socket, /dev/log by default). */
#include "backend/audit/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "backend/os/fsmode.h"
#include "backend/os/safefile.h"

#define AUDIT_SEV_WARNING 4
#define AUDIT_SEV_NOTICE 5

/* ---- the file ------------------------------------------------------------------- */

/* What failed and why; the caller says what that means for the change. */
static int audit_file_fail(const char *path, const char *doing, int err, tm_error *e)
{
	char who[128];

	if (err == EACCES || err == EPERM)      /* which user, as every permission problem */
		error_fail(e, TM_EBACKEND, NULL,
			   "the audit log %s could not be %s: permission denied for %s", path,
			   doing, safefile_user(who, sizeof(who)));
	else
		error_fail(e, TM_EBACKEND, NULL, "the audit log %s could not be %s: %s", path,
			   doing, strerror(err));
	error_hint(e, "Make the file and its folder writable for this user and check the disk "
		   "is not full, or name another file with --audit-log FILE (or audit_log in "
		   "trustmgr.conf's [trustmgr] section).");
	return -1;
}

/* Something that is not a regular file is where the audit log belongs. */
static int audit_file_odd(const char *path, mode_t m, tm_error *e)
{
	error_fail(e, TM_EBACKEND, NULL, "the audit log %s is %s, not a regular file", path,
		   safefile_type_name(m));
	error_hint(e, "Name a regular file with --audit-log FILE (or audit_log in trustmgr.conf's "
		   "[trustmgr] section); or, when this is the default place, move what is there "
		   "away: trustmgr then makes a new audit log.");
	return -1;
}

/* safefile_open failed with errno err: a FIFO without a reader and a
 * socket both give ENXIO, so the file is looked at again to name it. */
static int audit_file_refused(const char *path, int err, tm_error *e)
{
	struct stat st;

	if (err == EINVAL || err == ENXIO) {
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
			return audit_file_odd(path, st.st_mode, e);
		if (err == ENXIO)
			return audit_file_odd(path, S_IFIFO, e);
	}
	return audit_file_fail(path, "opened for appending", err, e);
}

/* Open for appending without blocking (safefile.h: a FIFO, socket, device
 * or folder is refused at once), creating it 0600 (0660 in a shared folder,
 * backend/os/fsmode.h); read access too when
 * the file allows it, to look at its last byte. The descriptor, or -1
 * with e. */
static int audit_file_open(const char *path, int *readable, tm_error *e)
{
	mode_t m = fsmode_file_at(path);
	tm_error sub;
	int fd;

	error_clear(&sub);
	*readable = 1;
	fd = safefile_open(path, O_RDWR | O_APPEND | O_CREAT, m, "the audit log", &sub);
	if (fd < 0 && errno == EACCES) {
		*readable = 0;
		fd = safefile_open(path, O_WRONLY | O_APPEND | O_CREAT, m, "the audit log", &sub);
	}
	if (fd < 0)
		return audit_file_refused(path, errno, e);
	if (m != 0600)
		fsmode_settle(fd, m);
	return fd;
}

/* Does the file of size bytes end inside a record (a write that was cut
 * and could not be undone)? Then the next record starts on a new line. */
static int audit_file_torn(int fd, off_t size, int readable)
{
	char last = '\n';

	return readable && size > 0 && pread(fd, &last, 1, size - 1) == 1 && last != '\n';
}

/* write(2) the n bytes once, retrying only an interruption before the
 * first byte. Returns what write returned. */
static ssize_t audit_file_put(int fd, const char *buf, size_t n)
{
	ssize_t w;

	do
		w = write(fd, buf, n);
	while (w < 0 && errno == EINTR);
	return w;
}

/* Take away what a record of n bytes that could not be written whole left
 * after the first before bytes. Only our own bytes: not when another
 * process appended since (audit_file_torn then starts the next record on a
 * line of its own). A failure here changes nothing more. */
static void audit_file_cut(int fd, off_t before, size_t n)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || st.st_size <= before || st.st_size - before > (off_t)n)
		return;
	if (ftruncate(fd, before) < 0)
		return;
}

/* A write that stopped after w of n bytes: write the rest once more (that
 * also learns the errno a short write hides); when that fails too, take
 * the part written away again, so the file ends with its last whole
 * record. Returns 0 when the record went in after all, else the errno. */
static int audit_file_finish(int fd, off_t before, const char *buf, size_t n, ssize_t w)
{
	ssize_t more;
	int err;

	if (w < 0)
		return errno;          /* nothing was written */
	more = audit_file_put(fd, buf + w, n - (size_t)w);
	if (more >= 0 && (size_t)more == n - (size_t)w)
		return 0;
	err = more < 0 ? errno : ENOSPC;
	audit_file_cut(fd, before, n);
	return err;
}

/* The whole record in one write, or nothing of it. A full disk or a file
 * size limit (SIGXFSZ is ignored meanwhile, so the write fails with EFBIG
 * instead of ending the process) leaves the file as it was. 0 or an errno. */
static int audit_file_append(int fd, int readable, const char *line, size_t len)
{
	char buf[AUDIT_RECORD_MAX + 2];
	struct sigaction ign, old;
	struct stat st;
	size_t n = 0;
	ssize_t w;
	int err = 0;

	if (fstat(fd, &st) < 0)
		return errno;
	if (audit_file_torn(fd, st.st_size, readable))
		buf[n++] = '\n';
	memcpy(buf + n, line, len);
	n += len;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGXFSZ, &ign, &old);
	w = audit_file_put(fd, buf, n);
	if (w < 0 || (size_t)w != n)
		err = audit_file_finish(fd, st.st_size, buf, n, w);
	sigaction(SIGXFSZ, &old, NULL);
	return err;
}

/* Open, append the record, fsync, close. */
static int audit_file_write(const char *path, const char *line, size_t len, tm_error *e)
{
	int readable, fd = audit_file_open(path, &readable, e), err;

	if (fd < 0)
		return -1;
	err = audit_file_append(fd, readable, line, len);
	if (!err && fsync(fd) < 0 && errno != EINVAL)
		err = errno;
	if (close(fd) < 0 && !err && errno != EINTR)
		err = errno;
	return err ? audit_file_fail(path, "written", err, e) : 0;
}

/* ---- syslog ----------------------------------------------------------------------- */

static int audit_syslog_fail(const audit_target *t, const char *doing, int err, tm_error *e)
{
	error_fail(e, TM_EBACKEND, NULL, "the audit record could not be sent to syslog: %s %s "
		"failed: %s", doing, t->socket, strerror(err));
	error_hint(e, "Start the system logger (or fix audit_syslog_socket in trustmgr.conf), or "
		"set audit_syslog = false there.");
	return -1;
}

/* Connect to the syslog socket: datagram first, stream when it is one. */
static int audit_syslog_connect(const audit_target *t, int *type, tm_error *e)
{
	struct sockaddr_un a;
	struct timeval tv = { t->timeout > 0 ? t->timeout : 10, 0 };
	int fd, err, types[2] = { SOCK_DGRAM, SOCK_STREAM }, i;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	if (strlen(t->socket) >= sizeof(a.sun_path))
		return audit_syslog_fail(t, "the socket name", ENAMETOOLONG, e);
	memcpy(a.sun_path, t->socket, strlen(t->socket) + 1);
	for (i = 0; i < 2; i++) {
		if ((fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0)) < 0)
			return audit_syslog_fail(t, "a socket for", errno, e);
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
			*type = types[i];
			return fd;
		}
		err = errno;
		close(fd);
		if (err != EPROTOTYPE)
			break;
	}
	return audit_syslog_fail(t, "connecting to", err, e);
}

/* "<PRI>Mmm dd hh:mm:ss trustmgr[PID]: LINE" (RFC 3164, as syslog(3) sends). */
static size_t audit_syslog_frame(const audit_target *t, int severity, const char *line,
				 char *buf, size_t n)
{
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t now = time(NULL);
	struct tm tm;
	int k;

	if (!localtime_r(&now, &tm))
		memset(&tm, 0, sizeof(tm));
	/* The month by name whatever the locale, as RFC 3164 wants. */
	k = snprintf(buf, n, "<%d>%s %2d %02d:%02d:%02d trustmgr[%ld]: %s",
		     t->facility * 8 + severity, months[tm.tm_mon >= 0 && tm.tm_mon < 12 ? tm.tm_mon : 0],
		     tm.tm_mday ? tm.tm_mday : 1, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)getpid(), line);
	return k < 0 ? 0 : (size_t)k >= n ? n - 1 : (size_t)k;
}

static int audit_syslog_send(const audit_target *t, int severity, const char *line,
			     tm_error *e)
{
	char frame[AUDIT_RECORD_MAX + 128];
	size_t len = audit_syslog_frame(t, severity, line, frame, sizeof(frame));
	int type = SOCK_DGRAM, fd = audit_syslog_connect(t, &type, e), err = 0;
	ssize_t w;

	if (fd < 0)
		return -1;
	if (type == SOCK_STREAM)
		len++;                   /* the NUL ends a record on a stream */
	do
		w = send(fd, frame, len, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	if (w < 0 || (size_t)w != len)
		err = w < 0 ? errno : EMSGSIZE;
	close(fd);
	return err ? audit_syslog_fail(t, "sending to", err, e) : 0;
}

/* ---- both ---------------------------------------------------------------------------- */

/* audit_sink_check: the file can be opened for appending, syslog answers. */
int audit_sink_check(const audit_target *t, tm_error *e)
{
	int fd, type, readable;

	if (t->file[0]) {
		if ((fd = audit_file_open(t->file, &readable, e)) < 0)
			return -1;
		close(fd);
	}
	if (t->syslog) {
		if ((fd = audit_syslog_connect(t, &type, e)) < 0)
			return -1;
		close(fd);
	}
	return 0;
}

static int audit_severity(const audit_event *ev)
{
	return ev->result && (strcmp(ev->result, "failed") == 0 ||
			      strcmp(ev->result, "interrupted") == 0) ? AUDIT_SEV_WARNING
								      : AUDIT_SEV_NOTICE;
}

/* audit_sink_write: format once, then the file, then syslog. */
int audit_sink_write(const audit_target *t, const audit_event *ev, tm_error *e)
{
	return audit_sink_write_many(t, ev, 1, e);
}

/* audit_sink_write_many: every record formatted, the file's in one write,
 * then each to syslog. */
int audit_sink_write_many(const audit_target *t, const audit_event *ev, size_t n, tm_error *e)
{
	char *text = n ? malloc(n * (AUDIT_RECORD_MAX + 1)) : NULL;
	size_t *at = n ? malloc(n * sizeof(*at)) : NULL;
	audit_operator o;
	size_t len = 0, i;
	int rc = 0;

	if (!text || !at) {
		free(text);
		free(at);
		return n ? error_fail(e, TM_EBACKEND, NULL, "out of memory while writing the audit "
				      "record") : 0;
	}
	audit_operator_get(&o);
	for (i = 0; i < n; i++) {
		at[i] = len;
		len += audit_format(&ev[i], &o, t->backend, text + len, AUDIT_RECORD_MAX - 1);
		text[len++] = '\n';
	}
	if (t->file[0] && audit_file_write(t->file, text, len, e) < 0)
		rc = -1;
	for (i = 0; rc == 0 && t->syslog && i < n; i++) {
		size_t end = (i + 1 < n ? at[i + 1] : len) - 1;

		text[end] = '\0';
		rc = audit_syslog_send(t, audit_severity(&ev[i]), text + at[i], e);
	}
	free(text);
	free(at);
	return rc;
}
