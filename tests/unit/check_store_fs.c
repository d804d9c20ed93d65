/* check_store_fs.c - the embedded store's file layer: private folders,
 * atomic replacement, reads, copies and appends. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/store/store_internal.h"
#include "tests/unit/testutil.h"

/* Number of entries in dir other than . and ..; the first name into first. */
static int count_entries(const char *dir, char *first, size_t n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int count = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (count++ == 0 && first)
			snprintf(first, n, "%s", de->d_name);
	}
	closedir(d);
	return count;
}

/* Format a path into a PATH_MAX buffer; the test fails when it does not fit. */
static void pathf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pathf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	ck_assert(k > 0 && k < PATH_MAX);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_mode & 07777;
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(path_formats_and_refuses_truncation)
{
	store s = { .lockfd = -1 };
	char buf[64], big[PATH_MAX + 10];
	tm_error e;

	snprintf(s.dir, sizeof(s.dir), "/tmp/store");
	ck_assert_int_eq(store_fs_path(&s, buf, sizeof(buf), &e, "domains/%s/%s", "CORP", "health"), 0);
	ck_assert_str_eq(buf, "/tmp/store/domains/CORP/health");
	ck_assert_int_eq(store_fs_path(&s, buf, 12, &e, "domains/%s", "CORP"), -1);
	ck_assert_int_eq(e.cls, TM_EBACKEND);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(store_fs_path(&s, buf, sizeof(buf), &e, "%s", big), -1);
}
END_TEST

START_TEST(mkdir_creates_parents_and_tightens)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX], top[PATH_MAX];
	tm_error e;

	pathf(path, "%s/a/b/c", dir);
	ck_assert_int_eq(store_fs_mkdir_private(path, &e), 0);
	ck_assert_uint_eq(mode_of(path), 0700);
	pathf(top, "%s/a", dir);
	ck_assert_uint_eq(mode_of(top), 0700);
	ck_assert_int_eq(chmod(path, 0755), 0);
	ck_assert_int_eq(store_fs_mkdir_private(path, &e), 0);   /* existing: fine, tightened */
	ck_assert_uint_eq(mode_of(path), 0700);
	pathf(path, "%s/a/b/c/", dir);      /* trailing slash */
	ck_assert_int_eq(store_fs_mkdir_private(path, &e), 0);
}
END_TEST

START_TEST(mkdir_reports_a_file_in_the_way)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX], sub[PATH_MAX];
	tm_error e;

	pathf(path, "%s/file", dir);
	put_file(path, "x");
	ck_assert_int_eq(store_fs_mkdir_private(path, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, path));
	ck_assert_ptr_nonnull(strstr(e.what, "not a folder"));
	ck_assert_str_ne(e.next, "");
	pathf(sub, "%s/file/sub", dir);
	ck_assert_int_eq(store_fs_mkdir_private(sub, &e), -1);
	ck_assert_int_eq(e.cls, TM_EBACKEND);
}
END_TEST

START_TEST(write_atomic_is_private_and_leaves_no_temp)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX], first[256], *data = NULL;
	size_t len = 0;
	tm_error e;

	pathf(path, "%s/domain.ldif", dir);
	ck_assert_int_eq(store_fs_write_atomic(path, "one\n", 4, &e), 0);
	ck_assert_uint_eq(mode_of(path), 0600);
	ck_assert_int_eq(store_fs_write_atomic(path, "second\n", 7, &e), 0);
	ck_assert_int_eq(count_entries(dir, first, sizeof(first)), 1);
	ck_assert_str_eq(first, "domain.ldif");
	ck_assert_int_eq(store_fs_read(path, &data, &len, &e), 0);
	ck_assert_uint_eq(len, 7);
	ck_assert_str_eq(data, "second\n");
	free(data);
}
END_TEST

START_TEST(write_atomic_mode_ignores_umask)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX];
	mode_t old = umask(0277);
	tm_error e;

	pathf(path, "%s/f", dir);
	ck_assert_int_eq(store_fs_write_atomic(path, "x", 1, &e), 0);
	umask(old);
	ck_assert_uint_eq(mode_of(path), 0600);
}
END_TEST

START_TEST(write_atomic_replaces_a_stale_temp)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX], tmp[PATH_MAX + 32];
	tm_error e;

	pathf(path, "%s/f", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	put_file(tmp, "left over by a crash");
	ck_assert_int_eq(store_fs_write_atomic(path, "new", 3, &e), 0);
	ck_assert_int_eq(count_entries(dir, NULL, 0), 1);
}
END_TEST

START_TEST(write_atomic_failure_names_path_and_reason)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX];
	tm_error e;

	pathf(path, "%s/missing/f", dir);
	error_clear(&e);
	ck_assert_int_eq(store_fs_write_atomic(path, "x", 1, &e), -1);
	ck_assert_int_eq(e.cls, TM_EBACKEND);
	ck_assert_ptr_nonnull(strstr(e.what, dir));
	ck_assert_ptr_nonnull(strstr(e.what, strerror(ENOENT)));
	ck_assert_ptr_nonnull(strstr(e.next, "free space"));
	ck_assert_int_eq(count_entries(dir, NULL, 0), 0);
}
END_TEST

START_TEST(write_atomic_failure_on_read_only_folder)
{
	const char *dir = tu_tmpdir();
	char sub[PATH_MAX], path[PATH_MAX];
	tm_error e;

	if (geteuid() == 0)
		return;     /* root ignores folder modes */
	pathf(sub, "%s/ro", dir);
	ck_assert_int_eq(mkdir(sub, 0500), 0);
	pathf(path, "%s/f", sub);
	ck_assert_int_eq(store_fs_write_atomic(path, "x", 1, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, strerror(EACCES)));
	ck_assert_int_eq(chmod(sub, 0700), 0);
	ck_assert_int_eq(count_entries(sub, NULL, 0), 0);
}
END_TEST

START_TEST(read_missing_and_large)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX], *data = (char *)1, *big;
	size_t len = 99, i, n = 100000;
	tm_error e;

	pathf(path, "%s/none", dir);
	ck_assert_int_eq(store_fs_read(path, &data, &len, &e), 1);
	ck_assert_ptr_null(data);
	ck_assert_uint_eq(len, 0);
	big = malloc(n);
	for (i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[5] = '\0';                      /* binary content is kept whole */
	pathf(path, "%s/big", dir);
	ck_assert_int_eq(store_fs_write_atomic(path, big, n, &e), 0);
	ck_assert_int_eq(store_fs_read(path, &data, &len, &e), 0);
	ck_assert_uint_eq(len, n);
	ck_assert_int_eq(memcmp(data, big, n), 0);
	ck_assert_int_eq(data[n], '\0');
	free(data);
	free(big);
}
END_TEST

START_TEST(read_unreadable_reports)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX], *data = NULL;
	tm_error e;

	if (geteuid() == 0)
		return;
	pathf(path, "%s/secret", dir);
	put_file(path, "x");
	ck_assert_int_eq(chmod(path, 0), 0);
	ck_assert_int_eq(store_fs_read(path, &data, NULL, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, path));
	ck_assert_str_ne(e.next, "");
}
END_TEST

START_TEST(copy_and_copy_of_missing)
{
	const char *dir = tu_tmpdir();
	char src[PATH_MAX], dst[PATH_MAX], *data = NULL;
	size_t len = 0;
	tm_error e;

	pathf(src, "%s/src", dir);
	pathf(dst, "%s/dst", dir);
	put_file(src, "keytab\001bytes");
	ck_assert_int_eq(store_fs_copy(src, dst, &e), 0);
	ck_assert_uint_eq(mode_of(dst), 0600);
	ck_assert_int_eq(store_fs_read(dst, &data, &len, &e), 0);
	ck_assert_str_eq(data, "keytab\001bytes");
	free(data);
	ck_assert_int_eq(unlink(src), 0);
	ck_assert_int_eq(store_fs_copy(src, dst, &e), 0);      /* missing source removes dst */
	ck_assert_int_eq(access(dst, F_OK), -1);
	ck_assert_int_eq(store_fs_copy(src, dst, &e), 0);      /* and again: still fine */
}
END_TEST

START_TEST(append_and_remove)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX], *data = NULL;
	tm_error e;

	pathf(path, "%s/journal", dir);
	ck_assert_int_eq(store_fs_append(path, "done 0\n", 7, &e), 0);
	ck_assert_int_eq(store_fs_append(path, "done 1\n", 7, &e), 0);
	ck_assert_uint_eq(mode_of(path), 0600);
	ck_assert_int_eq(store_fs_read(path, &data, NULL, &e), 0);
	ck_assert_str_eq(data, "done 0\ndone 1\n");
	free(data);
	ck_assert_int_eq(store_fs_remove(path, &e), 0);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(store_fs_remove(path, &e), 0);
	ck_assert_int_eq(store_fs_sync_dir(path, &e), 0);
	ck_assert_int_eq(store_fs_sync_dir("relative-name", &e), 0);
}
END_TEST

static Suite *store_fs_suite(void)
{
	Suite *s = suite_create("store_fs");
	TCase *tc = tcase_create("files");

	tcase_add_checked_fixture(tc, NULL, tu_cleanup);   /* each test's folders */
	tcase_add_test(tc, path_formats_and_refuses_truncation);
	tcase_add_test(tc, mkdir_creates_parents_and_tightens);
	tcase_add_test(tc, mkdir_reports_a_file_in_the_way);
	tcase_add_test(tc, write_atomic_is_private_and_leaves_no_temp);
	tcase_add_test(tc, write_atomic_mode_ignores_umask);
	tcase_add_test(tc, write_atomic_replaces_a_stale_temp);
	tcase_add_test(tc, write_atomic_failure_names_path_and_reason);
	tcase_add_test(tc, write_atomic_failure_on_read_only_folder);
	tcase_add_test(tc, read_missing_and_large);
	tcase_add_test(tc, read_unreadable_reports);
	tcase_add_test(tc, copy_and_copy_of_missing);
	tcase_add_test(tc, append_and_remove);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(store_fs_suite());
}
