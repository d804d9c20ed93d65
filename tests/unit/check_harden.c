/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_harden.c - process hardening and locked secret memory
 * (backend/harden.c): no core files, not dumpable, secrets in their own
 * locked mappings (visible as VmLck in /proc/self/status), wiped and
 * released through secret_free, plain buffers still freed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "backend/os/harden.h"
#include "model/secret.h"
#include "tests/unit/testutil.h"

/* A "Name:   N kB" line of /proc/self/status, in kB; -1 when missing. */
static long status_kb(const char *name)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t n = strlen(name);
	long v = -1;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, name, n) == 0 && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

START_TEST(test_process_no_core_not_dumpable)
{
	struct rlimit r;
	tm_error e;

	error_clear(&e);
	ck_assert_int_eq(harden_process(&e), 0);
	ck_assert_int_eq(getrlimit(RLIMIT_CORE, &r), 0);
	ck_assert_uint_eq(r.rlim_cur, 0);
	ck_assert_uint_eq(r.rlim_max, 0);
	ck_assert_int_eq(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}
END_TEST

/* AddressSanitizer intercepts mlock(2) and returns success without
 * locking (its shadow memory would not fit): VmLck cannot show it there. */
static int asan_build(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return 1;
#else
	return 0;
#endif
#else
	return 0;
#endif
}

/* Whether mlock is possible here: root (CAP_IPC_LOCK) or a MEMLOCK limit
 * of at least a few pages. */
static int can_lock(void)
{
	struct rlimit r;

	return geteuid() == 0 || (getrlimit(RLIMIT_MEMLOCK, &r) == 0 && r.rlim_cur >= 65536);
}

START_TEST(test_secret_locked_then_released)
{
	long before, during, after;
	size_t live, locked;
	char *s, *g = NULL;
	tm_error e;

	harden_secret_memory();
	before = status_kb("VmLck");
	s = secret_dup("Zq7-locked-secret");
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "Zq7-locked-secret");
	ck_assert_int_eq(secret_generate(&g, &e), 0);
	harden_secret_stats(&live, &locked);
	ck_assert_uint_eq(live, 2);
	during = status_kb("VmLck");
	if (can_lock()) {
		ck_assert_uint_eq(locked, 2);
		if (!asan_build())             /* ASan's mlock locks nothing */
			ck_assert_int_ge(during, before + 8);    /* a page each */
	} else {
		ck_assert_uint_eq(locked, 0);            /* the silent fallback */
	}
	secret_free(&s);
	secret_free(&g);
	ck_assert_ptr_null(s);
	harden_secret_stats(&live, &locked);
	ck_assert_uint_eq(live, 0);
	after = status_kb("VmLck");
	ck_assert_int_eq(after, before);
	secret_set_allocator(NULL);
}
END_TEST

/* With MEMLOCK 0 and no privilege, secrets still work, unlocked. */
START_TEST(test_secret_fallback_without_memlock)
{
	struct rlimit zero = { 0, 0 };
	size_t live, locked;
	char *s;

	if (geteuid() == 0)
		return;      /* root locks whatever the limit says (CAP_IPC_LOCK) */
	ck_assert_int_eq(setrlimit(RLIMIT_MEMLOCK, &zero), 0);
	harden_secret_memory();
	s = secret_dup("still-works");
	ck_assert_ptr_nonnull(s);
	harden_secret_stats(&live, &locked);
	ck_assert_uint_eq(live, 1);
	ck_assert_uint_eq(locked, 0);
	secret_free(&s);
	secret_set_allocator(NULL);
}
END_TEST

/* secret_free_buf also frees plain malloc'd buffers while it is installed. */
START_TEST(test_plain_buffers_still_freed)
{
	char *plain = malloc(32);
	size_t live;

	harden_secret_memory();
	ck_assert_ptr_nonnull(plain);
	memcpy(plain, "plain buffer", 13);
	secret_free_buf(&plain, 32);
	ck_assert_ptr_null(plain);
	harden_secret_stats(&live, NULL);
	ck_assert_uint_eq(live, 0);
	secret_set_allocator(NULL);
}
END_TEST

/* Large secrets span several pages. */
START_TEST(test_large_secret)
{
	unsigned char *big = secret_alloc(3 * 4096);
	size_t live;

	harden_secret_memory();
	secret_free_buf(&big, 3 * 4096);           /* malloc'd before: plain free */
	big = secret_alloc(3 * 4096 + 17);
	ck_assert_ptr_nonnull(big);
	memset(big, 0xa5, 3 * 4096 + 17);
	harden_secret_stats(&live, NULL);
	ck_assert_uint_eq(live, 1);
	secret_free_buf(&big, 3 * 4096 + 17);
	harden_secret_stats(&live, NULL);
	ck_assert_uint_eq(live, 0);
	secret_set_allocator(NULL);
}
END_TEST

START_TEST(test_env_secret_found)
{
	char name[64];

	unsetenv("TRUSTMGR_PASSWORD");
	unsetenv("trustmgr_admin_secret");
	ck_assert_int_eq(harden_env_secret(name, sizeof(name)), 0);
	setenv("TRUSTMGR_CONFIG", "/etc/trustmgr.conf", 1);   /* not a secret */
	ck_assert_int_eq(harden_env_secret(name, sizeof(name)), 0);
	setenv("TRUSTMGR_PASSWORD", "x", 1);
	ck_assert_int_eq(harden_env_secret(name, sizeof(name)), 1);
	ck_assert_str_eq(name, "TRUSTMGR_PASSWORD");
	unsetenv("TRUSTMGR_PASSWORD");
	setenv("trustmgr_admin_secret", "y", 1);
	ck_assert_int_eq(harden_env_secret(name, sizeof(name)), 1);
	ck_assert_str_eq(name, "trustmgr_admin_secret");
	unsetenv("trustmgr_admin_secret");
	unsetenv("TRUSTMGR_CONFIG");
}
END_TEST

static Suite *harden_suite(void)
{
	Suite *s = suite_create("harden");
	TCase *tc = tcase_create("harden");

	tcase_add_test(tc, test_process_no_core_not_dumpable);
	tcase_add_test(tc, test_secret_locked_then_released);
	tcase_add_test(tc, test_secret_fallback_without_memlock);
	tcase_add_test(tc, test_plain_buffers_still_freed);
	tcase_add_test(tc, test_large_secret);
	tcase_add_test(tc, test_env_secret_found);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(harden_suite());
}
