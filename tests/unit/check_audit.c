/* check_audit.c - the audit trail (backend/audit*.c): the line format and
 * its escaping, secrets withheld, the file (0600, appended) and syslog
 * (a datagram to a unix socket the test binds itself), refusals. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "backend/audit/audit.h"
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
	ck_assert_ptr_nonnull(strstr(e.what, "nothing was changed"));
	ck_assert_ptr_nonnull(strstr(e.next, "--audit-log"));
	ck_assert_int_eq(audit_sink_write(&t, &ev, &e), -1);
	snprintf(t.file, sizeof(t.file), "%s", tu_tmpdir());       /* a folder */
	ck_assert_int_eq(audit_sink_check(&t, &e), -1);
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
	suite_add_tcase(s, f);
	suite_add_tcase(s, d);
	return s;
}

int main(void)
{
	return tu_run(audit_suite());
}
