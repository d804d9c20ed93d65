/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_fuzz_regress.c - every input saved under fuzz/regress/<target>/ (each
 * one crashed a fuzz target once) and every seed under fuzz/corpus/<target>/
 * is fed to the same code the libFuzzer target runs (fuzz/fuzz_<target>.c,
 * included here without its libFuzzer entry point). A crash or a broken
 * property aborts, which fails the test. Run from the top of the tree. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TM_FUZZ_NO_ENTRY 1
#include "fuzz/fuzz_util.c"
#include "fuzz/fuzz_authblob.c"
#include "fuzz/fuzz_sid.c"
#include "fuzz/fuzz_names.c"
#include "fuzz/fuzz_forestinfo.c"
#include "fuzz/fuzz_ldif.c"
#include "fuzz/fuzz_config.c"
#include "fuzz/fuzz_script.c"
#include "fuzz/fuzz_journal.c"
#include "fuzz/fuzz_beforeimage.c"
#include "tests/unit/testutil.h"

typedef struct target {
	const char *name;
	int (*run)(const uint8_t *data, size_t size);
} target;

static const target targets[] = {
	{ "authblob", fuzz_authblob },   { "sid", fuzz_sid },
	{ "names", fuzz_names },         { "forestinfo", fuzz_forestinfo },
	{ "ldif", fuzz_ldif },           { "config", fuzz_config },
	{ "script", fuzz_script },       { "journal", fuzz_journal },
	{ "beforeimage", fuzz_beforeimage },
};
#define NTARGETS (int)(sizeof(targets) / sizeof(targets[0]))

/* Feed every file of dir to t; returns how many (-1 when dir is missing). */
static int feed_dir(const target *t, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096];
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		uint8_t *buf;
		size_t len;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		buf = (uint8_t *)tu_slurp(path, &len);
		t->run(buf, len);
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}

START_TEST(test_regress)
{
	const target *t = &targets[_i];
	char dir[256];

	snprintf(dir, sizeof(dir), "fuzz/regress/%s", t->name);
	(void)feed_dir(t, dir);      /* a target that never crashed has none */
}
END_TEST

START_TEST(test_seeds)
{
	const target *t = &targets[_i];
	char dir[256];
	int n;

	snprintf(dir, sizeof(dir), "fuzz/corpus/%s", t->name);
	n = feed_dir(t, dir);
	ck_assert_msg(n > 0, "%s: no seed inputs (run from the top of the tree)", dir);
}
END_TEST

/* The store reader once read a NULL record: libldap's ldif_read_record can
 * count a record yet hand back no text ("1\n\ndn: dc=con\n"). */
START_TEST(test_ldif_null_record)
{
	static const char text[] = "1\n\ndn: dc=con\n";
	stldif_domain d;
	tm_error e;

	error_clear(&e);
	ck_assert_int_eq(store_ldif_parse(text, sizeof(text) - 1, &d, &e), -1);
	ck_assert_str_ne(e.what, "");
}
END_TEST

static Suite *fuzz_regress_suite(void)
{
	Suite *s = suite_create("fuzz_regress");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_regress, 0, NTARGETS);
	tcase_add_loop_test(tc, test_seeds, 0, NTARGETS);
	tcase_add_test(tc, test_ldif_null_record);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int rc = tu_run(fuzz_regress_suite());

	tu_cleanup();
	return rc;
}
