/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_store_fs.c - the embedded store's file layer: private folders,
 * atomic replacement, reads, copies and appends; odd file types refused
 * without blocking; leftovers of dead processes swept. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/store/store_fs.h"
#include "backend/store/store_internal.h"   /* the store itself, for store_fs_path */
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

	tu_pathf(path, "%s/a/b/c", dir);
	ck_assert_int_eq(store_fs_mkdir_private(path, &e), 0);
	ck_assert_uint_eq(tu_mode_of(path), 0700);
	tu_pathf(top, "%s/a", dir);
	ck_assert_uint_eq(tu_mode_of(top), 0700);
	ck_assert_int_eq(chmod(path, 0755), 0);
	ck_assert_int_eq(store_fs_mkdir_private(path, &e), 0);   /* existing: fine, tightened */
	ck_assert_uint_eq(tu_mode_of(path), 0700);
	tu_pathf(path, "%s/a/b/c/", dir);      /* trailing slash */
	ck_assert_int_eq(store_fs_mkdir_private(path, &e), 0);
}
END_TEST

START_TEST(mkdir_reports_a_file_in_the_way)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX], sub[PATH_MAX];
	tm_error e;

	tu_pathf(path, "%s/file", dir);
	tu_put_file(path, "x", 0644);
	ck_assert_int_eq(store_fs_mkdir_private(path, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, path));
	ck_assert_ptr_nonnull(strstr(e.what, "not a folder"));
	ck_assert_str_ne(e.next, "");
	tu_pathf(sub, "%s/file/sub", dir);
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

	tu_pathf(path, "%s/domain.ldif", dir);
	ck_assert_int_eq(store_fs_write_atomic(path, "one\n", 4, &e), 0);
	ck_assert_uint_eq(tu_mode_of(path), 0600);
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

	tu_pathf(path, "%s/f", dir);
	ck_assert_int_eq(store_fs_write_atomic(path, "x", 1, &e), 0);
	umask(old);
	ck_assert_uint_eq(tu_mode_of(path), 0600);
}
END_TEST

START_TEST(write_atomic_replaces_a_stale_temp)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX], tmp[PATH_MAX + 32];
	tm_error e;

	tu_pathf(path, "%s/f", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	tu_put_file(tmp, "left over by a crash", 0644);
	ck_assert_int_eq(store_fs_write_atomic(path, "new", 3, &e), 0);
	ck_assert_int_eq(count_entries(dir, NULL, 0), 1);
}
END_TEST

START_TEST(write_atomic_failure_names_path_and_reason)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX];
	tm_error e;

	tu_pathf(path, "%s/missing/f", dir);
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
	tu_pathf(sub, "%s/ro", dir);
	ck_assert_int_eq(mkdir(sub, 0500), 0);
	tu_pathf(path, "%s/f", sub);
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

	tu_pathf(path, "%s/none", dir);
	ck_assert_int_eq(store_fs_read(path, &data, &len, &e), 1);
	ck_assert_ptr_null(data);
	ck_assert_uint_eq(len, 0);
	big = malloc(n);
	for (i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[5] = '\0';                      /* binary content is kept whole */
	tu_pathf(path, "%s/big", dir);
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
	tu_pathf(path, "%s/secret", dir);
	tu_put_file(path, "x", 0644);
	ck_assert_int_eq(chmod(path, 0), 0);
	ck_assert_int_eq(store_fs_read(path, &data, NULL, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, path));
	ck_assert_str_ne(e.next, "");
}
END_TEST

/* Odd file types are refused at once: a read or an append never waits on a
 * FIFO (a writer would block until a reader came, a reader until a
 * writer). */
START_TEST(read_and_append_refuse_odd_files)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX], *data = NULL;
	tm_error e;

	tu_pathf(path, "%s/current", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(store_fs_read(path, &data, NULL, &e), -1);
	ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
	TU_ASSERT_HAS(e.what, "the journal (");
	TU_ASSERT_HAS(e.what, "FIFO");
	ck_assert_int_eq(store_fs_append(path, "x\n", 2, &e), -1);
	TU_ASSERT_HAS(e.what, "FIFO");
	tu_pathf(path, "%s/health", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(store_fs_read(path, &data, NULL, &e), -1);
	TU_ASSERT_HAS(e.what, "is a folder");
	ck_assert_str_eq(store_fs_what("/s/domains/A/krb5.keytab"), "the keytab");
	ck_assert_str_eq(store_fs_what("/s/journal/before/A.health"), "the before-image");
}
END_TEST

START_TEST(temp_names)
{
	long pid = 0;

	ck_assert_int_eq(store_fs_temp_pid("krb5.keytab.tmp.7827", &pid), 1);
	ck_assert_int_eq(pid, 7827);
	ck_assert_int_eq(store_fs_temp_pid("a.tmp.b.tmp.12", &pid), 1);
	ck_assert_int_eq(pid, 12);
	ck_assert_int_eq(store_fs_temp_pid("krb5.keytab", &pid), 0);
	ck_assert_int_eq(store_fs_temp_pid("x.tmp.", &pid), 0);
	ck_assert_int_eq(store_fs_temp_pid("x.tmp.0", &pid), 0);
	ck_assert_int_eq(store_fs_temp_pid("x.tmp.12a", &pid), 0);
	ck_assert_int_eq(store_fs_temp_pid(".tmp.12", &pid), 0);
	ck_assert_int_eq(store_fs_temp_pid("x.tmp.-3", &pid), 0);
}
END_TEST

/* A child that waits on a pipe for as long as the test needs it; with
 * prog set it runs that program (so its name is another program's), and
 * returns only once the exec happened (a close-on-exec pipe says so). */
static pid_t waiting_child(int *wfd, const char *prog)
{
	int fds[2], sync[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(pipe2(sync, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[1]);
		close(sync[0]);
		if (prog) {
			dup2(fds[0], 0);
			execlp(prog, prog, (char *)NULL);
			_exit(127);
		}
		close(sync[1]);
		while (read(fds[0], &c, 1) < 0)
			;
		_exit(0);
	}
	close(fds[0]);
	close(sync[1]);
	ck_assert_int_eq(read(sync[0], &c, 1), 0);      /* EOF: exec'd (or ready) */
	close(sync[0]);
	*wfd = fds[1];
	return pid;
}

/* Leftovers of a process that is gone (or whose pid another program now
 * has) are removed; those of this process and of a live one running the
 * same program are kept; other files and folders are never touched. */
START_TEST(sweep_removes_only_dead_leftovers)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX], name[64];
	pid_t dead, same, other;
	int wsame, wother, status;

	dead = fork();
	ck_assert_int_ge(dead, 0);
	if (dead == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(dead, &status, 0), dead);
	same = waiting_child(&wsame, NULL);
	other = waiting_child(&wother, "cat");
	snprintf(name, sizeof(name), "krb5.keytab.tmp.%ld", (long)dead);
	tu_pathf(path, "%s/%s", dir, name);
	tu_put_file(path, "dead", 0600);
	tu_pathf(path, "%s/domain.ldif.tmp.%ld", dir, (long)same);
	tu_put_file(path, "same", 0600);
	tu_pathf(path, "%s/health.tmp.%ld", dir, (long)getpid());
	tu_put_file(path, "mine", 0600);
	tu_pathf(path, "%s/domain.ldif", dir);
	tu_put_file(path, "kept", 0600);
	tu_pathf(path, "%s/folder.tmp.%ld", dir, (long)dead);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	tu_pathf(path, "%s/current.tmp.%ld", dir, (long)other);
	tu_put_file(path, "reused pid", 0600);
	ck_assert_uint_eq(store_fs_sweep(dir), 2);
	ck_assert_int_eq(count_entries(dir, NULL, 0), 4);
	tu_pathf(path, "%s/%s", dir, name);
	ck_assert_int_eq(access(path, F_OK), -1);
	tu_pathf(path, "%s/current.tmp.%ld", dir, (long)other);
	ck_assert_int_eq(access(path, F_OK), -1);
	close(wsame);
	close(wother);
	ck_assert_int_eq(waitpid(same, &status, 0), same);
	ck_assert_int_eq(waitpid(other, &status, 0), other);
}
END_TEST

START_TEST(copy_and_copy_of_missing)
{
	const char *dir = tu_tmpdir();
	char src[PATH_MAX], dst[PATH_MAX], *data = NULL;
	size_t len = 0;
	tm_error e;

	tu_pathf(src, "%s/src", dir);
	tu_pathf(dst, "%s/dst", dir);
	tu_put_file(src, "keytab\001bytes", 0644);
	ck_assert_int_eq(store_fs_copy(src, dst, &e), 0);
	ck_assert_uint_eq(tu_mode_of(dst), 0600);
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

	tu_pathf(path, "%s/journal", dir);
	ck_assert_int_eq(store_fs_append(path, "done 0\n", 7, &e), 0);
	ck_assert_int_eq(store_fs_append(path, "done 1\n", 7, &e), 0);
	ck_assert_uint_eq(tu_mode_of(path), 0600);
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
	tcase_add_test(tc, read_and_append_refuse_odd_files);
	tcase_add_test(tc, temp_names);
	tcase_add_test(tc, sweep_removes_only_dead_leftovers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(store_fs_suite());
}
