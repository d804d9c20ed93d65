/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_config_find.c - trustmgr.conf (backend/config/config.c): where
 * config_find looks for the file, where the state goes when state_dir is not
 * given (config_state_default), and config_read_secret reading the secret
 * files a configuration names. Loading and its faults: check_config.c.
 *
 * Every test writes its files into its own tu_tmpdir(); the environment
 * variables config_find reads are set by the tests that need them and put back
 * afterwards (so the suite also runs with CK_FORK=no). */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/config/config.h"
#include "backend/config/config_internal.h"
#include "model/domain.h"
#include "model/secret.h"
#include "tests/unit/testutil.h"

#define ROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- finding the file ---- */

/* The environment config_find reads, saved and restored around a test. */
typedef struct env_saved {
	char *v[4];
} env_saved;

static const char *const env_names[4] = { "TRUSTMGR_CONFIG", "XDG_CONFIG_HOME", "HOME",
					  "XDG_STATE_HOME" };

static void env_save(env_saved *s)
{
	size_t i;

	for (i = 0; i < 4; i++) {
		const char *v = getenv(env_names[i]);

		s->v[i] = v ? strdup(v) : NULL;
		unsetenv(env_names[i]);
	}
}

static void env_restore(env_saved *s)
{
	size_t i;

	for (i = 0; i < 4; i++) {
		if (s->v[i])
			setenv(env_names[i], s->v[i], 1);
		else
			unsetenv(env_names[i]);
		free(s->v[i]);
	}
}

START_TEST(find_search_order)
{
	const char *dir = tu_tmpdir(), *empty = tu_tmpdir();
	char given[PATH_MAX], envf[PATH_MAX], xdgf[PATH_MAX], homef[PATH_MAX], p[PATH_MAX];
	char found[PATH_MAX];
	int etc = access("/etc/trustmgr.conf", F_OK) == 0;
	env_saved s;
	tm_error e;

	env_save(&s);
	tu_pathf(given, "%s/given.conf", dir);
	tu_put_file(given, "", 0600);
	tu_pathf(envf, "%s/env.conf", dir);
	tu_put_file(envf, "", 0600);
	tu_pathf(p, "%s/xdg", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	tu_pathf(p, "%s/xdg/trustmgr", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	tu_pathf(xdgf, "%s/xdg/trustmgr/trustmgr.conf", dir);
	tu_put_file(xdgf, "", 0600);
	tu_pathf(p, "%s/.config", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	tu_pathf(p, "%s/.config/trustmgr", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	tu_pathf(homef, "%s/.config/trustmgr/trustmgr.conf", dir);
	tu_put_file(homef, "", 0600);

	setenv("TRUSTMGR_CONFIG", envf, 1);
	tu_pathf(p, "%s/xdg", dir);
	setenv("XDG_CONFIG_HOME", p, 1);
	setenv("HOME", dir, 1);

	/* explicit beats everything */
	ck_assert_int_eq(config_find(given, found, sizeof(found), &e), 1);
	ck_assert_str_eq(found, given);
	/* then $TRUSTMGR_CONFIG */
	ck_assert_int_eq(config_find(NULL, found, sizeof(found), &e), 1);
	ck_assert_str_eq(found, envf);
	/* then $XDG_CONFIG_HOME/trustmgr/trustmgr.conf */
	setenv("TRUSTMGR_CONFIG", "", 1);                    /* empty = unset */
	ck_assert_int_eq(config_find(NULL, found, sizeof(found), &e), 1);
	ck_assert_str_eq(found, xdgf);
	/* then $HOME/.config/trustmgr/trustmgr.conf (XDG unset or relative) */
	unsetenv("TRUSTMGR_CONFIG");
	setenv("XDG_CONFIG_HOME", "relative", 1);
	ck_assert_int_eq(config_find(NULL, found, sizeof(found), &e), 1);
	ck_assert_str_eq(found, homef);
	unsetenv("XDG_CONFIG_HOME");
	ck_assert_int_eq(config_find(NULL, found, sizeof(found), &e), 1);
	ck_assert_str_eq(found, homef);
	/* an XDG_CONFIG_HOME without the file does not fall back to HOME's */
	setenv("XDG_CONFIG_HOME", empty, 1);
	ck_assert_int_eq(config_find(NULL, found, sizeof(found), &e), etc);
	/* then /etc/trustmgr.conf, else none */
	setenv("HOME", empty, 1);
	unsetenv("XDG_CONFIG_HOME");
	found[0] = '\0';
	ck_assert_int_eq(config_find(NULL, found, sizeof(found), &e), etc);
	if (etc)
		ck_assert_str_eq(found, "/etc/trustmgr.conf");
	/* too small a buffer */
	ck_assert_int_eq(config_find(given, found, 4, &e), -1);
	env_restore(&s);
}
END_TEST

/* The default state folder: the system one for /etc/trustmgr.conf (whatever
 * XDG_STATE_HOME says) and for root (unless XDG_STATE_HOME names a folder),
 * else the user's. */
START_TEST(state_default_rules)
{
	static const struct {
		const char *file, *xdg;
		int root, system;
		const char *want;
	} rows[] = {
		{ "/etc/trustmgr.conf", NULL, 0, 1, "/var/lib/trustmgr" },
		{ "/etc/trustmgr.conf", "/xdg/state", 0, 1, "/var/lib/trustmgr" },
		{ "/etc/trustmgr.conf", "/xdg/state", 1, 1, "/var/lib/trustmgr" },
		{ "/home/u/.config/trustmgr/trustmgr.conf", NULL, 1, 1, "/var/lib/trustmgr" },
		{ "/home/u/.config/trustmgr/trustmgr.conf", "relative", 1, 1, "/var/lib/trustmgr" },
		{ "/home/u/.config/trustmgr/trustmgr.conf", "/xdg/state", 1, 0, "/xdg/state/trustmgr" },
		{ "/home/u/.config/trustmgr/trustmgr.conf", "/xdg/state", 0, 0, "/xdg/state/trustmgr" },
		{ "/home/u/.config/trustmgr/trustmgr.conf", NULL, 0, 0, "/home/u/.local/state/trustmgr" },
	};
	char buf[PATH_MAX];
	env_saved s;
	tm_error e;
	cfg_ctx c;
	size_t i;
	int sys;

	env_save(&s);
	setenv("HOME", "/home/u", 1);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.file = rows[i].file;
		c.e = &e;
		if (rows[i].xdg)
			setenv("XDG_STATE_HOME", rows[i].xdg, 1);
		else
			unsetenv("XDG_STATE_HOME");
		sys = -1;
		ck_assert_int_eq(config_state_default(&c, rows[i].root, buf, sizeof(buf), &sys), 0);
		ck_assert_msg(strcmp(buf, rows[i].want) == 0 && sys == rows[i].system,
			      "row %zu: %s (system %d), wanted %s (%d)", i, buf, sys, rows[i].want,
			      rows[i].system);
	}
	env_restore(&s);
}
END_TEST

START_TEST(find_named_file_missing)
{
	const char *dir = tu_tmpdir();
	char missing[PATH_MAX], found[PATH_MAX];
	env_saved s;
	tm_error e;

	env_save(&s);
	setenv("HOME", dir, 1);
	tu_pathf(missing, "%s/nope.conf", dir);
	ck_assert_int_eq(config_find(missing, found, sizeof(found), &e), -1);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	TU_ASSERT_HAS(e.what, missing);
	TU_ASSERT_HAS(e.what, "--config");
	TU_ASSERT_HAS(e.what, "No such file or directory");
	ck_assert(e.next[0]);

	setenv("TRUSTMGR_CONFIG", missing, 1);
	ck_assert_int_eq(config_find(NULL, found, sizeof(found), &e), -1);
	TU_ASSERT_HAS(e.what, missing);
	TU_ASSERT_HAS(e.what, "TRUSTMGR_CONFIG");

	ck_assert_int_eq(config_find(dir, found, sizeof(found), &e), -1);
	TU_ASSERT_HAS(e.what, "is a folder");
	ck_assert_int_eq(config_find("", found, sizeof(found), &e), -1);
	env_restore(&s);
}
END_TEST

/* ---- secrets ---- */

/* A domain whose block name appears in secret messages. */
static cfg_domain *secret_domain(void)
{
	static cfg_domain d;

	memset(&d, 0, sizeof(d));
	domain_init(&d.dom);
	strcpy(d.dom.name, "A");
	return &d;
}

START_TEST(secret_first_line_without_newline)
{
	const char *dir = tu_tmpdir();
	char p[PATH_MAX], *s = NULL;
	tm_error e;

	tu_pathf(p, "%s/pw", dir);
	tu_put_file(p, "hunter2\nsecond line\n", 0600);
	ck_assert_int_eq(config_read_secret(p, "bind_password_file", secret_domain(), &s, &e), 0);
	ck_assert_str_eq(s, "hunter2");
	secret_free(&s);

	tu_put_file(p, "no newline at all", 0600);
	ck_assert_int_eq(config_read_secret(p, "bind_password_file", secret_domain(), &s, &e), 0);
	ck_assert_str_eq(s, "no newline at all");
	secret_free(&s);

	tu_put_file(p, "crlf\r\n", 0400);
	ck_assert_int_eq(config_read_secret(p, "kadmin_password_file", NULL, &s, &e), 0);
	ck_assert_str_eq(s, "crlf");
	secret_free(&s);
}
END_TEST

/* A secret file that is refused: its text and mode; the error names the
 * file and holds what[], never the secret's text never, and next when
 * given. */
typedef struct secret_row {
	const char *text;
	mode_t mode;
	const char *key;
	const char *what[3];
	const char *never, *next;
} secret_row;

static const secret_row secret_rows[] = {
	{ "", 0600, "bind_password_file", { "bind_password_file of domain A", "empty" }, NULL,
	  NULL },
	{ "\nsecret on the second line\n", 0600, "bind_password_file", { "empty" }, "second",
	  NULL },
	{ "hunter2\n", 0644, "kadmin_password_file",
	  { "kadmin_password_file", "readable by group or others", "chmod 600" }, "hunter2",
	  "chmod 600" },
	{ "hunter2\n", 0640, "kadmin_password_file", { "mode 0640" }, "hunter2", NULL },
};

START_TEST(secret_refused)
{
	const secret_row *r = &secret_rows[_i];
	char p[PATH_MAX], *s = NULL;
	tm_error e;
	size_t k;

	tu_pathf(p, "%s/pw", tu_tmpdir());
	tu_put_file(p, r->text, r->mode);
	ck_assert_int_eq(config_read_secret(p, r->key, secret_domain(), &s, &e), -1);
	ck_assert_ptr_null(s);
	TU_ASSERT_HAS(e.what, p);
	for (k = 0; k < 3 && r->what[k]; k++)
		TU_ASSERT_HAS(e.what, r->what[k]);
	if (r->never)
		ck_assert_ptr_null(strstr(e.what, r->never));
	if (r->next)
		TU_ASSERT_HAS(e.next, r->next);
}
END_TEST

START_TEST(secret_other_faults)
{
	const char *dir = tu_tmpdir();
	char p[PATH_MAX], big[SECRET_MAX + 10], *s = NULL;
	tm_error e;

	tu_pathf(p, "%s/absent", dir);
	ck_assert_int_eq(config_read_secret(p, "verify_password_file", secret_domain(), &s, &e), -1);
	TU_ASSERT_HAS(e.what, "No such file or directory");
	TU_ASSERT_HAS(e.what, "verify_password_file of domain A");
	ck_assert_int_eq(config_read_secret(dir, "verify_password_file", NULL, &s, &e), -1);
	TU_ASSERT_HAS(e.what, "not a regular file");
	ck_assert_int_eq(config_read_secret("", "verify_password_file", secret_domain(), &s, &e), -1);
	TU_ASSERT_HAS(e.what, "no verify_password_file");

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	tu_pathf(p, "%s/big", dir);
	tu_put_file(p, big, 0600);
	ck_assert_int_eq(config_read_secret(p, "k", NULL, &s, &e), -1);
	TU_ASSERT_HAS(e.what, "too long");
	big[SECRET_MAX] = '\0';                              /* exactly the longest */
	tu_put_file(p, big, 0600);
	ck_assert_int_eq(config_read_secret(p, "k", NULL, &s, &e), 0);
	ck_assert_uint_eq(strlen(s), SECRET_MAX);
	secret_free(&s);
}
END_TEST

static Suite *config_find_suite(void)
{
	Suite *s = suite_create("config_find");
	TCase *tc = tcase_create("find");

	tcase_add_test(tc, find_search_order);
	tcase_add_test(tc, find_named_file_missing);
	tcase_add_test(tc, state_default_rules);
	suite_add_tcase(s, tc);

	tc = tcase_create("secret");
	tcase_add_test(tc, secret_first_line_without_newline);
	tcase_add_loop_test(tc, secret_refused, 0, ROWS(secret_rows));
	tcase_add_test(tc, secret_other_faults);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(config_find_suite());
}
