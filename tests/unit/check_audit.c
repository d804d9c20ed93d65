/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_audit.c - the audit trail (backend/audit*.c): the line format and
 * its escaping, secrets withheld, the file (0600, appended) and syslog
 * (a datagram to a unix socket the test binds itself), refusals (also of a
 * FIFO, socket or device in the log's place, without blocking), records
 * whole or not at all under a file size limit, and the plan records'
 * messages when the log cannot be written (said once, never claiming that
 * nothing was changed after steps ran). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "backend/audit/audit.h"
#include "backend/audit/audit_plan.h"
#include "tests/unit/testutil.h"

static audit_operator fixed_operator(void)
{
	audit_operator o;

	memset(&o, 0, sizeof(o));
	snprintf(o.login, sizeof(o.login), "alice");
	o.uid = 1000;
	snprintf(o.host, sizeof(o.host), "admin1");
	o.pid = 42;
	return o;
}

static audit_event base_event(void)
{
	audit_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.when = 1795341600;          /* 2026-11-22T10:00:00Z */
	ev.event = "start";
	ev.result = "started";
	ev.op = "create";
	ev.domain = "CORP";
	ev.partner = "PARTNER";
	ev.done = -1;
	return ev;
}

START_TEST(test_format_plain)
{
	audit_operator o = fixed_operator();
	audit_event ev = base_event();
	char line[AUDIT_RECORD_MAX];

	ev.steps = 9;
	ev.domains = "CORP,PARTNER";
	audit_format(&ev, &o, "embedded", line, sizeof(line));
	ck_assert_str_eq(line, "2026-11-22T10:00:00Z event=start result=started op=create "
			 "domain=CORP partner=PARTNER steps=9 domains=CORP,PARTNER operator=alice "
			 "uid=1000 host=admin1 pid=42 backend=embedded");
}
END_TEST

START_TEST(test_format_step_and_who)
{
	audit_operator o = fixed_operator();
	audit_event ev = base_event();
	char line[AUDIT_RECORD_MAX];

	snprintf(o.sudo_user, sizeof(o.sudo_user), "bob");
	snprintf(o.ssh_client, sizeof(o.ssh_client), "192.0.2.7");
	ev.event = "step";
	ev.result = "failed";
	ev.principal = "krbtgt/CORP.EXAMPLE@PARTNER.EXAMPLE";
	ev.step = 2;
	ev.steps = 5;
	ev.action = "key-set";
	ev.done = 1;
	ev.status = "STATUS_WRONG_PASSWORD";
	ev.msg = "wrong";
	audit_format(&ev, &o, "ldap+krb5", line, sizeof(line));
	ck_assert_str_eq(line, "2026-11-22T10:00:00Z event=step result=failed op=create "
			 "domain=CORP partner=PARTNER principal=krbtgt/CORP.EXAMPLE@PARTNER.EXAMPLE "
			 "step=2/5 action=key-set done=1 status=STATUS_WRONG_PASSWORD "
			 "operator=alice uid=1000 sudo_user=bob ssh_client=192.0.2.7 host=admin1 "
			 "pid=42 backend=ldap+krb5 msg=wrong");
}
END_TEST

/* One value, formatted alone. */
static void value_is(const char *v, const char *want)
{
	char buf[256];
	size_t len = 0;

	buf[0] = '\0';
	audit_put_value(buf, sizeof(buf), &len, v, NULL);
	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(len, strlen(want));
}

START_TEST(test_escaping)
{
	value_is("CORP", "CORP");
	value_is("a.b_c:d/e@f+g,h-i", "a.b_c:d/e@f+g,h-i");
	value_is("", "\"\"");
	value_is("two words", "\"two words\"");
	value_is("say \"hi\"", "\"say \\\"hi\\\"\"");
	value_is("back\\slash", "\"back\\\\slash\"");
	value_is("line\nbreak", "\"line\\x0abreak\"");
	value_is("k=v", "\"k=v\"");
	value_is("tab\there\x7f", "\"tab\\x09here\\x7f\"");
	value_is("caf\xc3\xa9", "\"caf\\xc3\\xa9\"");
	value_is("\x1b[31mred", "\"\\x1b[31mred\"");
}
END_TEST

/* A forged field in a value (a name with a newline and "result=ok") stays
 * inside one quoted value on one line. */
START_TEST(test_no_injection)
{
	audit_operator o = fixed_operator();
	audit_event ev = base_event();
	char line[AUDIT_RECORD_MAX];

	ev.partner = "X\n2026-11-22T10:00:00Z event=end result=ok";
	snprintf(o.sudo_user, sizeof(o.sudo_user), "eve result=ok");
	audit_format(&ev, &o, "embedded", line, sizeof(line));
	ck_assert_ptr_null(strchr(line, '\n'));
	ck_assert_ptr_nonnull(strstr(line, "partner=\"X\\x0a2026-11-22T10:00:00Z event=end "
					   "result=ok\""));
	ck_assert_ptr_nonnull(strstr(line, "sudo_user=\"eve result=ok\""));
}
END_TEST

START_TEST(test_secret_withheld)
{
	audit_operator o = fixed_operator();
	audit_event ev = base_event();
	char line[AUDIT_RECORD_MAX];

	ev.secrets[0] = "Hunter-2-secret";
	ev.secrets[2] = "other pw";
	ev.msg = "kadmin said: Hunter-2-secret is wrong, and other pw too";
	ev.partner = "xHunter-2-secretx";
	audit_format(&ev, &o, "embedded", line, sizeof(line));
	ck_assert_ptr_null(strstr(line, "Hunter-2"));
	ck_assert_ptr_null(strstr(line, "other pw"));
	ck_assert_ptr_nonnull(strstr(line, "msg=\"kadmin said: [secret withheld] is wrong, and "
					   "[secret withheld] too\""));
	ck_assert_ptr_nonnull(strstr(line, "partner=\"x[secret withheld]x\""));
}
END_TEST

/* A message too long for the record is cut after the secret was withheld:
 * no prefix of a secret survives at the cut. */
START_TEST(test_long_message_cut)
{
	audit_operator o = fixed_operator();
	audit_event ev = base_event();
	char msg[3000], line[400];
	size_t len;

	memset(msg, 'a', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	memcpy(msg + 150, "SECRETSECRETSECRET", 18);
	ev.msg = msg;
	ev.secrets[0] = "SECRETSECRETSECRET";
	len = audit_format(&ev, &o, "embedded", line, sizeof(line));
	ck_assert_uint_lt(len, sizeof(line));
	ck_assert_uint_eq(strlen(line), len);
	ck_assert_ptr_null(strstr(line, "SECRET"));
	ck_assert_ptr_null(strchr(line, '\n'));
}
END_TEST

START_TEST(test_facility)
{
	ck_assert_int_eq(audit_facility_code("auth"), 4);
	ck_assert_int_eq(audit_facility_code("authpriv"), 10);
	ck_assert_int_eq(audit_facility_code("local7"), 23);
	ck_assert_int_eq(audit_facility_code("kern"), -1);
	ck_assert_int_eq(audit_facility_code(NULL), -1);
}
END_TEST

START_TEST(test_operator_from_environment)
{
	audit_operator o;

	setenv("SUDO_USER", "bob", 1);
	setenv("SSH_CONNECTION", "192.0.2.7 50000 192.0.2.1 22", 1);
	audit_operator_get(&o);
	ck_assert_str_eq(o.sudo_user, "bob");
	ck_assert_str_eq(o.ssh_client, "192.0.2.7");
	ck_assert_int_eq(o.uid, (long)getuid());
	ck_assert_int_eq(o.pid, (long)getpid());
	ck_assert(o.login[0] != '\0');
	unsetenv("SUDO_USER");
	unsetenv("SSH_CONNECTION");
	audit_operator_get(&o);
	ck_assert_str_eq(o.sudo_user, "");
	ck_assert_str_eq(o.ssh_client, "");
}
END_TEST

static size_t count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[AUDIT_RECORD_MAX + 2];
	size_t n = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(buf, sizeof(buf), f))
		n++;
	fclose(f);
	return n;
}

START_TEST(test_file_appended_0600)
{
	audit_target t;
	audit_event ev = base_event();
	struct stat st;
	tm_error e;

	memset(&t, 0, sizeof(t));
	snprintf(t.file, sizeof(t.file), "%s/audit.log", tu_tmpdir());
	ck_assert_int_eq(audit_sink_check(&t, &e), 0);
	ck_assert_int_eq(stat(t.file, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(audit_sink_write(&t, &ev, &e), 0);
	ev.event = "end";
	ev.result = "ok";
	ck_assert_int_eq(audit_sink_write(&t, &ev, &e), 0);
	ck_assert_uint_eq(count_lines(t.file), 2);
}
END_TEST

START_TEST(test_file_refused)
{
	audit_target t;
	audit_event ev = base_event();
	tm_error e;

	memset(&t, 0, sizeof(t));
	snprintf(t.file, sizeof(t.file), "%s/no/such/folder/audit.log", tu_tmpdir());
	error_clear(&e);
	ck_assert_int_eq(audit_sink_check(&t, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "audit log"));
	ck_assert_ptr_null(strstr(e.what, "nothing was changed"));   /* the caller's to say */
	ck_assert_ptr_nonnull(strstr(e.next, "--audit-log"));
	ck_assert_int_eq(audit_sink_write(&t, &ev, &e), -1);
	snprintf(t.file, sizeof(t.file), "%s", tu_tmpdir());       /* a folder */
	ck_assert_int_eq(audit_sink_check(&t, &e), -1);
}
END_TEST

static audit_target file_target(const char *name)
{
	audit_target t;

	memset(&t, 0, sizeof(t));
	snprintf(t.file, sizeof(t.file), "%s/%s", tu_tmpdir(), name);
	return t;
}

static off_t file_size(const char *path)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_size;
}

static char last_byte(const char *path)
{
	char c = 0;
	int fd = open(path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, &c, 1, file_size(path) - 1), 1);
	close(fd);
	return c;
}

/* A FIFO nobody reads, and one somebody reads: both refused at once (a
 * blocking open of the first never returns), named for what they are. */
START_TEST(test_file_fifo_refused)
{
	audit_target t = file_target("audit.log");
	audit_event ev = base_event();
	time_t start = time(NULL);
	tm_error e;
	int reader;

	ck_assert_int_eq(mkfifo(t.file, 0600), 0);
	error_clear(&e);
	ck_assert_int_eq(audit_sink_check(&t, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "is a FIFO (named pipe), not a regular file"));
	ck_assert_ptr_nonnull(strstr(e.next, "--audit-log FILE"));
	reader = open(t.file, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(reader, 0);
	error_clear(&e);
	ck_assert_int_eq(audit_sink_write(&t, &ev, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "is a FIFO (named pipe)"));
	close(reader);
	ck_assert_int_lt(time(NULL) - start, 5);
}
END_TEST

START_TEST(test_file_socket_and_device_refused)
{
	audit_target t = file_target("audit.log");
	struct sockaddr_un a;
	tm_error e;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	ck_assert_uint_lt(strlen(t.file), sizeof(a.sun_path));
	memcpy(a.sun_path, t.file, strlen(t.file) + 1);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	error_clear(&e);
	ck_assert_int_eq(audit_sink_check(&t, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "is a socket, not a regular file"));
	close(fd);
	snprintf(t.file, sizeof(t.file), "%s", "/dev/null");
	error_clear(&e);
	ck_assert_int_eq(audit_sink_check(&t, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "/dev/null is a device"));
}
END_TEST

/* A record that crosses the file size limit is not left in part: the file
 * keeps its size and ends with the last whole record; SIGXFSZ (its
 * default action ends the process) does not reach the test. */
START_TEST(test_file_limit_record_whole)
{
	audit_target t = file_target("audit.log");
	audit_event ev = base_event();
	struct rlimit old, lim;
	struct sigaction dfl, was;
	off_t size;
	tm_error e, e2;
	int limited, first, second, restored;

	ck_assert_int_eq(audit_sink_write(&t, &ev, &e), 0);
	size = file_size(t.file);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGXFSZ, &dfl, &was);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = (rlim_t)(size + size / 2);
	/* No check between the limits: Check's own result file is limited too. */
	error_clear(&e);
	limited = setrlimit(RLIMIT_FSIZE, &lim);
	first = audit_sink_write(&t, &ev, &e);
	second = audit_sink_write(&t, &ev, &e2);   /* at the limit: EFBIG at once */
	restored = setrlimit(RLIMIT_FSIZE, &old);
	sigaction(SIGXFSZ, &was, NULL);
	ck_assert_int_eq(limited, 0);
	ck_assert_int_eq(restored, 0);
	ck_assert_int_eq(first, -1);
	ck_assert_int_eq(second, -1);
	ck_assert_ptr_nonnull(strstr(e.what, "could not be written: File too large"));
	ck_assert_ptr_nonnull(strstr(e2.what, "File too large"));
	ck_assert_int_eq(file_size(t.file), size);
	ck_assert_int_eq(last_byte(t.file), '\n');
	ck_assert_int_eq(audit_sink_write(&t, &ev, &e), 0);
	ck_assert_uint_eq(count_lines(t.file), 2);
}
END_TEST

/* A line cut some other way: the next record starts on a line of its own. */
START_TEST(test_file_cut_line_mended)
{
	audit_target t = file_target("audit.log");
	audit_event ev = base_event();
	FILE *f = fopen(t.file, "w");
	tm_error e;

	ck_assert_ptr_nonnull(f);
	fputs("2026-11-22T10:00:00Z event=step result=o", f);
	fclose(f);
	ck_assert_int_eq(audit_sink_write(&t, &ev, &e), 0);
	ck_assert_uint_eq(count_lines(t.file), 2);
	ck_assert_int_eq(last_byte(t.file), '\n');
}
END_TEST

/* ---- the plan records (audit_plan.h) when the log cannot be written ---- */

typedef struct plan_fixture {
	tm_backend be;
	tm_plan *p;
} plan_fixture;

static void plan_fixture_init(plan_fixture *x, const char *log)
{
	memset(&x->be, 0, sizeof(x->be));
	snprintf(x->be.audit.file, sizeof(x->be.audit.file), "%s", log);
	snprintf(x->be.audit.backend, sizeof(x->be.audit.backend), "%s", "embedded");
	x->p = plan_new("create", "A", "B");
	ck_assert_ptr_nonnull(x->p);
	ck_assert_ptr_nonnull(plan_add(x->p, STEP_HEALTH, "A", "health of B in A"));
	ck_assert_ptr_nonnull(plan_add(x->p, STEP_HEALTH, "B", "health of A in B"));
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* Before the first step: refused, and the message says nothing changed. */
START_TEST(test_plan_refused_before)
{
	plan_fixture x;
	tm_error e;

	plan_fixture_init(&x, "/nonexistent-folder/audit.log");
	error_clear(&e);
	ck_assert_int_eq(audit_plan_check(&x.be, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "so nothing was changed"));
	error_clear(&e);
	ck_assert_int_eq(audit_plan_start(&x.be, x.p, 0, 0, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "so nothing was changed"));
	error_clear(&e);
	ck_assert_int_eq(audit_plan_start(&x.be, x.p, 1, 1, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "the interrupted plan stays as it was"));
	plan_free(&x.p);
}
END_TEST

/* A step that failed after earlier steps changed the store, with the log
 * gone meanwhile: one warning naming both missing records, no claim that
 * nothing was changed, and the step's own message untouched. */
START_TEST(test_plan_failed_step_warned_once)
{
	plan_fixture x;
	tm_error step, e;

	plan_fixture_init(&x, "");
	snprintf(x.be.audit.file, sizeof(x.be.audit.file), "%s/audit.log", tu_tmpdir());
	error_clear(&e);
	ck_assert_int_eq(audit_plan_check(&x.be, &e), 0);
	ck_assert_int_eq(audit_plan_start(&x.be, x.p, 0, 0, &e), 0);
	ck_assert_int_eq(audit_plan_step(&x.be, x.p, 0, NULL, &e), 0);
	ck_assert_int_eq(unlink(x.be.audit.file), 0);
	ck_assert_int_eq(mkdir(x.be.audit.file, 0700), 0);   /* now it cannot be opened */
	error_fail(&step, TM_EBACKEND, NULL, "step 2 of 2 (health) failed, after earlier steps "
		   "changed the store: disk full");
	ck_assert_int_eq(audit_plan_step(&x.be, x.p, 1, &step, &e), -1);
	audit_plan_end(&x.be, x.p, "interrupted", &step);
	ck_assert_ptr_nonnull(strstr(step.what, "after earlier steps changed the store"));
	ck_assert_ptr_null(strstr(step.what, "nothing was changed"));
	ck_assert_ptr_null(strstr(step.next, "nothing was changed"));
	ck_assert_uint_eq(count_of(step.next, "Warning"), 1);
	ck_assert_ptr_nonnull(strstr(step.next, "Warning: 2 records of this plan, its end among "
					     "them, are not in the audit trail, because the audit log"));
	ck_assert_uint_eq(count_of(step.next, "could not be opened"), 1);
	plan_free(&x.p);
}
END_TEST

/* A step done whose record failed: that failure is the plan's message, so
 * the end record failing as well adds nothing. */
START_TEST(test_plan_stopped_not_repeated)
{
	plan_fixture x;
	tm_error e;

	plan_fixture_init(&x, "");
	snprintf(x.be.audit.file, sizeof(x.be.audit.file), "%s/audit.log", tu_tmpdir());
	error_clear(&e);
	ck_assert_int_eq(audit_plan_check(&x.be, &e), 0);
	ck_assert_int_eq(audit_plan_start(&x.be, x.p, 0, 0, &e), 0);
	ck_assert_int_eq(unlink(x.be.audit.file), 0);
	ck_assert_int_eq(mkdir(x.be.audit.file, 0700), 0);
	ck_assert_int_eq(audit_plan_step(&x.be, x.p, 0, NULL, &e), -1);
	ck_assert_ptr_null(strstr(e.what, "nothing was changed"));
	audit_plan_end(&x.be, x.p, "interrupted", &e);
	ck_assert_ptr_null(strstr(e.next, "Warning"));
	ck_assert_uint_eq(count_of(e.what, "could not be opened"), 1);
	plan_free(&x.p);
}
END_TEST

/* Bind a datagram socket in a fresh folder; its path into t. */
static int bind_receiver(audit_target *t)
{
	struct sockaddr_un a;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	ck_assert_int_ge(fd, 0);
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	snprintf(t->socket, sizeof(t->socket), "%s/log", tu_tmpdir());
	ck_assert_uint_lt(strlen(t->socket), sizeof(a.sun_path));
	memcpy(a.sun_path, t->socket, strlen(t->socket) + 1);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

START_TEST(test_syslog_datagram)
{
	audit_target t;
	audit_event ev = base_event();
	char buf[AUDIT_RECORD_MAX + 256];
	tm_error e;
	ssize_t n;
	int fd;

	memset(&t, 0, sizeof(t));
	t.syslog = 1;
	t.facility = audit_facility_code("auth");
	fd = bind_receiver(&t);
	ck_assert_int_eq(audit_sink_check(&t, &e), 0);
	ck_assert_int_eq(audit_sink_write(&t, &ev, &e), 0);
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_ptr_nonnull(strstr(buf, "<37>"));               /* auth.notice */
	ck_assert_ptr_nonnull(strstr(buf, " trustmgr["));
	ck_assert_ptr_nonnull(strstr(buf, "event=start result=started op=create"));
	ev.result = "failed";
	ck_assert_int_eq(audit_sink_write(&t, &ev, &e), 0);
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	ck_assert_int_gt(n, 0);
	ck_assert(strncmp(buf, "<36>", 4) == 0);                   /* auth.warning */
	close(fd);
}
END_TEST

START_TEST(test_syslog_refused)
{
	audit_target t;
	audit_event ev = base_event();
	tm_error e;

	memset(&t, 0, sizeof(t));
	t.syslog = 1;
	t.facility = 10;
	snprintf(t.socket, sizeof(t.socket), "%s/nobody-listens", tu_tmpdir());
	error_clear(&e);
	ck_assert_int_eq(audit_sink_check(&t, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "syslog"));
	ck_assert_ptr_nonnull(strstr(e.next, "audit_syslog"));
	ck_assert_int_eq(audit_sink_write(&t, &ev, &e), -1);
}
END_TEST

static Suite *audit_suite(void)
{
	Suite *s = suite_create("audit");
	TCase *f = tcase_create("format");
	TCase *d = tcase_create("destinations");

	tcase_add_test(f, test_format_plain);
	tcase_add_test(f, test_format_step_and_who);
	tcase_add_test(f, test_escaping);
	tcase_add_test(f, test_no_injection);
	tcase_add_test(f, test_secret_withheld);
	tcase_add_test(f, test_long_message_cut);
	tcase_add_test(f, test_facility);
	tcase_add_test(f, test_operator_from_environment);
	tcase_add_checked_fixture(d, NULL, tu_cleanup);
	tcase_add_test(d, test_file_appended_0600);
	tcase_add_test(d, test_file_refused);
	tcase_add_test(d, test_syslog_datagram);
	tcase_add_test(d, test_syslog_refused);
	tcase_add_test(d, test_file_fifo_refused);
	tcase_add_test(d, test_file_socket_and_device_refused);
	tcase_add_test(d, test_file_limit_record_whole);
	tcase_add_test(d, test_file_cut_line_mended);
	tcase_add_test(d, test_plan_refused_before);
	tcase_add_test(d, test_plan_failed_step_warned_once);
	tcase_add_test(d, test_plan_stopped_not_repeated);
	suite_add_tcase(s, f);
	suite_add_tcase(s, d);
	return s;
}

int main(void)
{
	return tu_run(audit_suite());
}
