/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* testutil.c - helpers shared by the Check unit tests. */
#include "tests/unit/testutil.h"

#include <check.h>
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/store/store.h"
#include "model/domain.h"
#include "model/name.h"

/* ---- folders and the suite runner ---- */

/* With CK_FORK=no (under valgrind) one process runs every test of a suite. */
#define TU_MAX_DIRS 1024

static char *tu_dirs[TU_MAX_DIRS];
static size_t tu_ndirs;

const char *tu_tmpdir(void)
{
	char tmpl[] = "/tmp/tm-unit-XXXXXX";
	char *d = mkdtemp(tmpl);

	static pid_t registered;

	if (!d) {
		perror("mkdtemp");
		abort();
	}
	if (tu_ndirs == TU_MAX_DIRS) {
		fprintf(stderr, "tu_tmpdir: more than %d folders in one process\n", TU_MAX_DIRS);
		abort();
	}
	if (registered != getpid()) {
		/* Check forks a child per test: clean up when that process exits. */
		registered = getpid();
		atexit(tu_cleanup);
	}
	tu_dirs[tu_ndirs] = strdup(d);
	return tu_dirs[tu_ndirs++];
}

void tu_cleanup(void)
{
	char cmd[512];

	while (tu_ndirs > 0) {
		char *d = tu_dirs[--tu_ndirs];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", d);
		free(d);
	}
}

int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	tu_cleanup();
	return failed == 0 ? 0 : 1;
}

/* ---- files ---- */

void tu_pathf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	ck_assert(k > 0 && k < PATH_MAX);
}

void tu_write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	FILE *f = fopen(path, "wb");

	ck_assert_msg(f != NULL, "cannot write %s", path);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

void tu_put_file(const char *path, const char *text, mode_t mode)
{
	tu_write_file(path, text, strlen(text), mode);
}

char *tu_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

mode_t tu_mode_of(const char *path)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/* ---- values ---- */

static int tu_nibble(int c)
{
	if (isdigit(c))
		return c - '0';
	return tolower(c) - 'a' + 10;
}

size_t tu_hex(const char *hex, unsigned char *buf, size_t n)
{
	size_t k = 0;

	while (*hex && k < n) {
		if (isspace((unsigned char)*hex)) {
			hex++;
			continue;
		}
		buf[k++] = (unsigned char)(tu_nibble(hex[0]) << 4 | tu_nibble(hex[1]));
		hex += 2;
	}
	return k;
}

void tu_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

tm_sid tu_sid(const char *text)
{
	tm_sid sid;
	tm_error e;

	ck_assert_msg(sid_parse(text, &sid, &e) == 0, "%s: %s", text, e.what);
	return sid;
}

void tu_set_str(char *dst, size_t n, const char *src)
{
	size_t len = strnlen(src, n - 1);

	memmove(dst, src, len);
	dst[len] = '\0';
}

/* ---- temporary stores ---- */

tm_domain tu_domain(const char *name, tm_kind kind, const char *dns, const char *nb,
		    const char *sid, const char *forest, tm_level level)
{
	tm_domain d;

	domain_init(&d);
	tu_set_str(d.name, sizeof(d.name), name);
	d.kind = kind;
	tu_set_str(d.dns, sizeof(d.dns), dns);
	tu_set_str(d.netbios, sizeof(d.netbios), nb);
	if (sid) {
		d.sid = tu_sid(sid);
		d.has_sid = 1;
	}
	tu_set_str(d.forest, sizeof(d.forest), forest);
	d.level = level;
	name_upper(d.realm, dns[0] ? dns : nb, sizeof(d.realm));
	return d;
}

tm_backend *tu_store_open(const char **dir, int lock)
{
	const char *d = tu_tmpdir();
	tm_backend *be;
	tm_error e;

	be = store_open(d, &e);
	ck_assert_msg(be != NULL, "%s", e.what);
	if (lock)
		ck_assert_msg(be->ops->lock(be, 1, &e) == 0, "%s", e.what);
	if (dir)
		*dir = d;
	return be;
}

void tu_store_add(tm_backend *be, const tm_domain *d)
{
	tm_error e;

	ck_assert_msg(be->ops->domain_add(be, d, &e) == 0, "%s: %s", d->name, e.what);
}

void tu_store_add_four(tm_backend *be)
{
	const tm_domain four[] = {
		tu_domain("CORP", DOMAIN_AD, "corp.example", "CORP",
			  "S-1-5-21-1004336348-1177238915-682003330", "", LEVEL_2016),
		tu_domain("SALES", DOMAIN_AD, "sales.corp.example", "SALES",
			  "S-1-5-21-2000000001-2000000002-2000000003", "corp.example", LEVEL_2016),
		tu_domain("PARTNER", DOMAIN_AD, "partner.example", "PARTNER",
			  "S-1-5-21-3000000001-3000000002-3000000003", "", LEVEL_2012R2),
		tu_domain("LEGACY", DOMAIN_NT4, "", "LEGACY",
			  "S-1-5-21-4000000001-4000000002-4000000003", "", LEVEL_2000),
	};
	size_t i;

	for (i = 0; i < sizeof(four) / sizeof(four[0]); i++)
		tu_store_add(be, &four[i]);
}
