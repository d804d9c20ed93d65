/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_config_include.c - the files a trustmgr.conf includes
 * (backend/config/config_include.c): a FIFO named by `include`, by a file
 * of an `includedir`, or by an included file is refused at once, naming
 * it; regular included files are read as before. Were the check missing,
 * config_load would wait for ever in open(): the test then fails by
 * timing out (Check's default per-test timeout). */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/config/config.h"
#include "tests/unit/testutil.h"

static const char body[] = "[trustmgr]\n\tstate_dir = @D@/state\n";

/* dir/NAME with text, every "@D@" in it the folder. */
static void put(const char *dir, const char *name, const char *text, char *path)
{
	char buf[2048];
	size_t len = 0, dl = strlen(dir);
	const char *at;

	while ((at = strstr(text, "@D@")) != NULL) {
		ck_assert(len + (size_t)(at - text) + dl < sizeof(buf));
		memcpy(buf + len, text, (size_t)(at - text));
		len += (size_t)(at - text);
		memcpy(buf + len, dir, dl);
		len += dl;
		text = at + 3;
	}
	ck_assert(len + strlen(text) < sizeof(buf));
	strcpy(buf + len, text);
	tu_pathf(path, "%s/%s", dir, name);
	tu_put_file(path, buf, 0644);
}

/* config_load(conf) fails naming the FIFO fifo. */
static void refused(const char *conf, const char *fifo)
{
	tm_config c;
	tm_error e;
	char want[1024];

	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	snprintf(want, sizeof(want), "includes %s, which is a FIFO (named pipe), not a regular file",
		 fifo);
	TU_ASSERT_HAS(e.what, want);
	TU_ASSERT_HAS(e.next, "remove the include line");
	ck_assert_ptr_null(c.domains);
}

START_TEST(include_fifo_refused)
{
	const char *dir = tu_tmpdir();
	char fifo[1024], conf[1024], inc[1024];

	tu_pathf(fifo, "%s/in.fifo", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	put(dir, "a.conf", "include @D@/in.fifo\n[trustmgr]\n\tstate_dir = @D@/state\n", conf);
	refused(conf, fifo);
	/* through another included file, with blanks around the name */
	put(dir, "b.conf", "  include \t@D@/a.conf  \n", inc);
	refused(inc, fifo);
}
END_TEST

START_TEST(includedir_fifo_refused)
{
	const char *dir = tu_tmpdir();
	char sub[1024], fifo[1024], conf[1024], other[1024];

	tu_pathf(sub, "%s/conf.d", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	/* names the profile library skips are not looked at */
	tu_pathf(other, "%s/skipped.txt", sub);
	ck_assert_int_eq(mkfifo(other, 0600), 0);
	put(dir, "a.conf", "includedir @D@/conf.d\n[trustmgr]\n\tstate_dir = @D@/state\n", conf);
	tu_pathf(fifo, "%s/more.conf", sub);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	refused(conf, fifo);
}
END_TEST

START_TEST(regular_includes_read)
{
	const char *dir = tu_tmpdir();
	char conf[1024], inc[1024], sub[1024], extra[1024];
	tm_config c;
	tm_error e;

	put(dir, "inc.conf", body, inc);
	tu_pathf(sub, "%s/conf.d", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	tu_pathf(extra, "%s/conf.d/x.conf", dir);
	tu_put_file(extra, "# nothing\n", 0644);
	put(dir, "a.conf", "include @D@/inc.conf\nincludedir @D@/conf.d\n", conf);
	/* no [domains]: the file is read (the fault is about what it lacks) */
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	TU_ASSERT_HAS(e.what, "no [domains] section");
}
END_TEST

static Suite *include_suite(void)
{
	Suite *s = suite_create("config_include");
	TCase *tc = tcase_create("include");

	tcase_add_test(tc, include_fifo_refused);
	tcase_add_test(tc, includedir_fifo_refused);
	tcase_add_test(tc, regular_includes_read);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(include_suite());
}
