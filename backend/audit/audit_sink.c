/* audit_sink.c - where audit records go: an append-only file and syslog
 * (RFC 3164 datagrams written to a unix socket, /dev/log by default). */
#include "backend/audit/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define AUDIT_SEV_WARNING 4
#define AUDIT_SEV_NOTICE 5

/* ---- the file ------------------------------------------------------------------- */

static int audit_file_fail(const char *path, const char *doing, int err, tm_error *e)
{
	error_fail(e, TM_EBACKEND, NULL, "the audit log %s could not be %s: %s; every change is "
		"recorded there first, so nothing was changed", path, doing, strerror(err));
	error_hint(e, "Make the file and its folder writable for this user (and check the disk "
		"is not full), or name another file with --audit-log FILE (or audit_log in "
		"trustmgr.conf's [trustmgr] section); then run the command again.");
	return -1;
}

/* Open for appending, creating it 0600; the descriptor or -1 with e. */
static int audit_file_open(const char *path, tm_error *e)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	struct stat st;

	if (fd < 0)
		return audit_file_fail(path, "opened for appending", errno, e);
	if (fstat(fd, &st) < 0) {
		int err = errno;

		close(fd);
		return audit_file_fail(path, "examined", err, e);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return audit_file_fail(path, "used (it is not a regular file)", EINVAL, e);
	}
	return fd;
}

/* One write (O_APPEND keeps records whole), then fsync. */
static int audit_file_write(const char *path, const char *line, size_t len, tm_error *e)
{
	int fd = audit_file_open(path, e), err = 0;
	ssize_t w;

	if (fd < 0)
		return -1;
	do
		w = write(fd, line, len);
	while (w < 0 && errno == EINTR);
	if (w < 0 || (size_t)w != len)
		err = w < 0 ? errno : ENOSPC;
	else if (fsync(fd) < 0 && errno != EINVAL)
		err = errno;
	if (close(fd) < 0 && !err && errno != EINTR)
		err = errno;
	return err ? audit_file_fail(path, "written", err, e) : 0;
}

/* ---- syslog ----------------------------------------------------------------------- */

static int audit_syslog_fail(const audit_target *t, const char *doing, int err, tm_error *e)
{
	error_fail(e, TM_EBACKEND, NULL, "the audit record could not be sent to syslog: %s %s "
		"failed: %s; every change is recorded first, so nothing was changed", doing,
		t->socket, strerror(err));
	error_hint(e, "Start the system logger (or fix audit_syslog_socket in trustmgr.conf), or "
		"set audit_syslog = false there; then run the command again.");
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
	int fd, type;

	if (t->file[0]) {
		if ((fd = audit_file_open(t->file, e)) < 0)
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
	char line[AUDIT_RECORD_MAX];
	audit_operator o;
	size_t len;

	audit_operator_get(&o);
	len = audit_format(ev, &o, t->backend, line, sizeof(line) - 1);
	line[len] = '\n';
	line[len + 1] = '\0';
	if (t->file[0] && audit_file_write(t->file, line, len + 1, e) < 0)
		return -1;
	line[len] = '\0';
	if (t->syslog && audit_syslog_send(t, audit_severity(ev), line, e) < 0)
		return -1;
	return 0;
}
