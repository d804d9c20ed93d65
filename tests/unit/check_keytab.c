/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_keytab.c - the embedded store's KDC keys: MIT FILE: keytabs written
 * atomically, kvno history, proving a password and verifying one direction
 * of a trust with real cryptography, and the explanation of each outcome;
 * the structure and checksum every keytab is checked for before libkrb5
 * reads it. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/store/store_keytab.h"
#include "model/keys.h"
#include "model/verify.h"
#include "tests/unit/testutil.h"

#define PRINC "krbtgt/A.EXAMPLE@B.EXAMPLE"
#define OTHER "krbtgt/B.EXAMPLE@A.EXAMPLE"

static char kt_a[600], kt_b[600];
static const char *kt_dir;

static void setup(void)
{
	kt_dir = tu_tmpdir();
	ck_assert_uint_lt(strlen(kt_dir), 500);
	snprintf(kt_a, sizeof(kt_a), "%.500s/a.keytab", kt_dir);
	snprintf(kt_b, sizeof(kt_b), "%.500s/b.keytab", kt_dir);
}

/* Checked fixtures run in the forked child: remove its folder there. */
static void teardown(void)
{
	keys_shutdown();
	tu_cleanup();
}

/* Set a key, failing the test with the store's message on error. */
static void set_key(const char *path, const char *princ, const char *pw, uint32_t kvno,
		    uint32_t bits, int keep)
{
	tm_error e;

	error_clear(&e);
	ck_assert_msg(store_keytab_set(path, princ, pw, kvno, bits, keep, &e) == 0, "%s", e.what);
}

/* The summary of princ in path; fails when it is absent. */
static tm_keyinfo info_of(const char *path, const char *princ)
{
	tm_keyinfo *v = NULL, found = { .kvno = 0 };
	size_t n = 0, i;
	tm_error e;
	int hit = 0;

	ck_assert_msg(store_keytab_list(path, &v, &n, &e) == 0, "%s", e.what);
	for (i = 0; i < n; i++)
		if (strcmp(v[i].principal, princ) == 0) {
			found = v[i];
			hit = 1;
		}
	free(v);
	ck_assert_msg(hit, "%s not listed", princ);
	return found;
}

static size_t count_principals(const char *path)
{
	tm_keyinfo *v = NULL;
	size_t n = 0;
	tm_error e;

	ck_assert_msg(store_keytab_list(path, &v, &n, &e) == 0, "%s", e.what);
	free(v);
	return n;
}

static void expect_kvnos(const tm_keyinfo *k, size_t n, const uint32_t *want)
{
	size_t i;

	ck_assert_uint_eq(k->nkvnos, n);
	ck_assert_uint_eq(k->kvno, want[0]);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(k->kvnos[i], want[i]);
}

/* Run klist from MIT krb5-user on the keytab and return its output. */
static void run_klist(const char *path, char *out, size_t n)
{
	char cmd[1024];
	size_t len;
	FILE *p;

	ck_assert_msg(access("/usr/bin/klist", X_OK) == 0,
		      "MIT klist (package krb5-user) is needed by this test");
	snprintf(cmd, sizeof(cmd), "KRB5_CONFIG=/dev/null /usr/bin/klist -k -e -t 'FILE:%s' 2>&1",
		 path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	len = fread(out, 1, n - 1, p);
	out[len] = '\0';
	ck_assert_int_eq(pclose(p), 0);
}

/* ---- set / list / delete -------------------------------------------------- */

START_TEST(test_missing_file_is_empty)
{
	static tm_keyinfo sentinel;
	tm_keyinfo *v = &sentinel;
	size_t n = 7;
	tm_error e;

	ck_assert_int_eq(store_keytab_list(kt_a, &v, &n, &e), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(store_keytab_delete(kt_a, PRINC, &e), 0);
	ck_assert_int_ne(access(kt_a, F_OK), 0);        /* nothing to delete: no file made */
}
END_TEST

START_TEST(test_set_and_list)
{
	long long t0 = (long long)time(NULL), t1;
	tm_keyinfo k;

	set_key(kt_a, PRINC, "secret", 1, 0, 0);
	t1 = (long long)time(NULL);
	ck_assert_uint_eq(count_principals(kt_a), 1);
	k = info_of(kt_a, PRINC);
	ck_assert_uint_eq(k.kvno, 1);
	ck_assert_uint_eq(k.enctypes, 0x18);            /* default: AES256 + AES128 */
	ck_assert_uint_eq(k.nkvnos, 1);
	ck_assert_int_ge(k.changed, t0);
	ck_assert_int_le(k.changed, t1);
	set_key(kt_a, PRINC, "secret", 2, 0x1c, 0);
	k = info_of(kt_a, PRINC);
	ck_assert_uint_eq(k.kvno, 2);
	ck_assert_uint_eq(k.enctypes, 0x1c);
	set_key(kt_a, PRINC, "secret", 3, 0x04, 0);
	ck_assert_uint_eq(info_of(kt_a, PRINC).enctypes, 0x04);
	set_key(kt_a, PRINC, "secret", 300, 0, 1);          /* beyond the 8-bit field */
	k = info_of(kt_a, PRINC);
	ck_assert_uint_eq(k.kvno, 300);
	ck_assert_uint_eq(k.nkvnos, 1);
}
END_TEST

START_TEST(test_keep_previous)
{
	static const uint32_t k21[] = { 2, 1 }, k32[] = { 3, 2 }, k4[] = { 4 }, k9[] = { 9 };
	tm_keyinfo k;

	set_key(kt_a, PRINC, "one", 1, 0, 0);
	set_key(kt_a, PRINC, "two", 2, 0, 1);
	k = info_of(kt_a, PRINC);
	expect_kvnos(&k, 2, k21);
	set_key(kt_a, PRINC, "three", 3, 0, 1);
	k = info_of(kt_a, PRINC);
	expect_kvnos(&k, 2, k32);
	set_key(kt_a, PRINC, "four", 4, 0, 0);
	k = info_of(kt_a, PRINC);
	expect_kvnos(&k, 1, k4);
	/* keep_previous keeps kvno-1 only: a jump drops everything older */
	set_key(kt_a, PRINC, "nine", 9, 0, 1);
	k = info_of(kt_a, PRINC);
	expect_kvnos(&k, 1, k9);
}
END_TEST

START_TEST(test_other_principals_preserved)
{
	tm_keyinfo k;
	tm_error e;
	int match;

	set_key(kt_a, OTHER, "other-pw", 5, 0x1c, 0);
	set_key(kt_a, PRINC, "first", 1, 0, 0);
	set_key(kt_a, PRINC, "second", 2, 0, 1);
	ck_assert_uint_eq(count_principals(kt_a), 2);
	k = info_of(kt_a, OTHER);
	ck_assert_uint_eq(k.kvno, 5);
	ck_assert_uint_eq(k.enctypes, 0x1c);
	ck_assert_int_eq(store_keytab_prove(kt_a, OTHER, "other-pw", &match, &e), 0);
	ck_assert_int_eq(match, 1);                     /* its keys are intact */
	ck_assert_int_eq(store_keytab_delete(kt_a, PRINC, &e), 0);
	ck_assert_uint_eq(count_principals(kt_a), 1);
	ck_assert_uint_eq(info_of(kt_a, OTHER).kvno, 5);
	ck_assert_int_eq(store_keytab_delete(kt_a, PRINC, &e), 0);   /* already gone: fine */
	ck_assert_int_eq(store_keytab_delete(kt_a, OTHER, &e), 0);
	ck_assert_uint_eq(count_principals(kt_a), 0);
}
END_TEST

START_TEST(test_file_mode_and_no_leftovers)
{
	char stale[700];
	struct stat st;
	struct dirent *d;
	DIR *dir;
	FILE *f;
	int files = 0;

	/* a temporary file left by a crashed run with our pid is replaced */
	snprintf(stale, sizeof(stale), "%s.tmp.%ld", kt_a, (long)getpid());
	f = fopen(stale, "w");
	ck_assert_ptr_nonnull(f);
	fputs("junk", f);
	fclose(f);
	umask(022);
	set_key(kt_a, PRINC, "secret", 1, 0, 0);
	ck_assert_int_eq(stat(kt_a, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	set_key(kt_a, PRINC, "secret", 2, 0, 1);
	ck_assert_int_eq(stat(kt_a, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	dir = opendir(kt_dir);
	ck_assert_ptr_nonnull(dir);
	while ((d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.')
			files++;
	closedir(dir);
	ck_assert_int_eq(files, 1);                     /* only a.keytab */
}
END_TEST

START_TEST(test_klist_reads_it)
{
	char out[8192];

	set_key(kt_a, PRINC, "secret", 6, 0x1c, 0);
	set_key(kt_a, OTHER, "other", 2, 0x10, 0);
	run_klist(kt_a, out, sizeof(out));
	ck_assert_ptr_nonnull(strstr(out, "krbtgt/A.EXAMPLE@B.EXAMPLE (aes256-cts-hmac-sha1-96)"));
	ck_assert_ptr_nonnull(strstr(out, "krbtgt/A.EXAMPLE@B.EXAMPLE (aes128-cts-hmac-sha1-96)"));
	ck_assert_ptr_nonnull(strstr(out, "krbtgt/A.EXAMPLE@B.EXAMPLE (DEPRECATED:arcfour-hmac)"));
	ck_assert_ptr_nonnull(strstr(out, "krbtgt/B.EXAMPLE@A.EXAMPLE (aes256-cts-hmac-sha1-96)"));
	ck_assert_ptr_nonnull(strstr(out, "   6 "));    /* "KVNO Timestamp Principal" rows */
	ck_assert_ptr_nonnull(strstr(out, "   2 "));
}
END_TEST

START_TEST(test_bad_input_and_corrupt_file)
{
	tm_keyinfo *v = NULL;
	size_t n;
	tm_error e;
	FILE *f;
	int match;

	error_clear(&e);
	ck_assert_int_eq(store_keytab_set(kt_a, "krbtgt/A.EXAMPLE", "pw", 1, 0, 0, &e), -1);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	ck_assert_int_eq(store_keytab_set(kt_a, PRINC, "pw", 0, 0, 0, &e), -1);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	ck_assert_int_eq(store_keytab_set(kt_a, PRINC, "pw", 1, 0x03, 0, &e), -1);   /* DES only */
	ck_assert_int_ne(access(kt_a, F_OK), 0);
	f = fopen(kt_a, "w");
	ck_assert_ptr_nonnull(f);
	fputs("this is not a keytab", f);
	fclose(f);
	ck_assert_int_eq(store_keytab_list(kt_a, &v, &n, &e), -1);
	ck_assert_int_eq(e.cls, TM_EBACKEND);
	ck_assert_ptr_nonnull(strstr(e.what, kt_a));
	ck_assert_int_eq(store_keytab_set(kt_a, PRINC, "pw", 1, 0, 0, &e), -1);
	ck_assert_int_eq(store_keytab_prove(kt_a, PRINC, "pw", &match, &e), -1);
}
END_TEST

/* ---- prove ---------------------------------------------------------------- */

START_TEST(test_prove)
{
	tm_error e;
	int match = 9;

	ck_assert_int_eq(store_keytab_prove(kt_a, PRINC, "secret", &match, &e), 0);
	ck_assert_int_eq(match, -1);                    /* no keytab at all */
	set_key(kt_a, OTHER, "secret", 1, 0, 0);
	ck_assert_int_eq(store_keytab_prove(kt_a, PRINC, "secret", &match, &e), 0);
	ck_assert_int_eq(match, -1);                    /* principal absent */
	set_key(kt_a, PRINC, "secret", 1, 0x1c, 0);
	ck_assert_int_eq(store_keytab_prove(kt_a, PRINC, "secret", &match, &e), 0);
	ck_assert_int_eq(match, 1);
	ck_assert_int_eq(store_keytab_prove(kt_a, PRINC, "Secret", &match, &e), 0);
	ck_assert_int_eq(match, 0);
	/* only the current kvno counts */
	set_key(kt_a, PRINC, "newer", 2, 0, 1);
	ck_assert_int_eq(store_keytab_prove(kt_a, PRINC, "newer", &match, &e), 0);
	ck_assert_int_eq(match, 1);
	ck_assert_int_eq(store_keytab_prove(kt_a, PRINC, "secret", &match, &e), 0);
	ck_assert_int_eq(match, 0);
	set_key(kt_a, PRINC, "rc4", 3, 0x04, 0);
	ck_assert_int_eq(store_keytab_prove(kt_a, PRINC, "rc4", &match, &e), 0);
	ck_assert_int_eq(match, 1);
	ck_assert_int_eq(store_keytab_prove(kt_a, PRINC, "rc5", &match, &e), 0);
	ck_assert_int_eq(match, 0);
}
END_TEST

/* ---- verify --------------------------------------------------------------- */

/* Verify "A trusts B": B's KDC (kt_b) issues, A's KDC (kt_a) accepts. */
static verify_result verify_ab(uint32_t ibits, uint32_t abits, int *side)
{
	verify_result r;
	tm_error e;

	memset(&r, 0, sizeof(r));
	snprintf(r.trusting, sizeof(r.trusting), "A");
	snprintf(r.trusted, sizeof(r.trusted), "B");
	ck_assert_msg(store_keytab_verify(kt_b, kt_a, PRINC, ibits, abits, &r, side, &e) == 0,
		      "%s", e.what);
	return r;
}

/* Assert that the explanation of r mentions each of the given phrases. */
static void expect_explained(const verify_result *r, const char *in_what,
			     const char *in_next)
{
	char what[TM_WHAT_MAX], next[TM_NEXT_MAX];

	verify_explain(r, what, sizeof(what), next, sizeof(next));
	ck_assert_msg(strstr(what, in_what) != NULL, "\"%s\" not in: %s", in_what, what);
	ck_assert_msg(strstr(next, in_next) != NULL, "\"%s\" not in: %s", in_next, next);
}

START_TEST(test_verify_ok)
{
	verify_result r;
	tm_error e;
	int side = 5;

	set_key(kt_a, PRINC, "shared", 1, 0, 0);
	set_key(kt_b, PRINC, "shared", 1, 0, 0);
	r = verify_ab(0, 0, &side);
	ck_assert_int_eq(r.outcome, VERIFY_OK);
	ck_assert_int_eq(side, -1);
	ck_assert_str_eq(r.principal, PRINC);
	ck_assert_uint_eq(r.issuer_kvno, 1);
	ck_assert_uint_eq(r.acceptor_kvno, 1);
	ck_assert_int_eq(r.enctype, KEYS_ETYPE_AES256);
	ck_assert_str_eq(verify_outcome_token(r.outcome), "ok");
	expect_explained(&r, "works", "Nothing to do");
	/* the store passes r->principal itself as the principal */
	error_clear(&e);
	ck_assert_int_eq(store_keytab_verify(kt_b, kt_a, r.principal, 0, 0, &r, &side, &e), 0);
	ck_assert_int_eq(r.outcome, VERIFY_OK);
	ck_assert_str_eq(r.principal, PRINC);
	/* the acceptor kept the previous key: the issuer's older kvno still opens */
	set_key(kt_a, PRINC, "shared-2", 2, 0, 1);
	r = verify_ab(0, 0, &side);
	ck_assert_int_eq(r.outcome, VERIFY_OK);
	ck_assert_uint_eq(r.issuer_kvno, 1);
	ck_assert_uint_eq(r.acceptor_kvno, 2);
}
END_TEST

START_TEST(test_verify_missing)
{
	verify_result r;
	int side;

	r = verify_ab(0, 0, &side);                     /* neither keytab exists */
	ck_assert_int_eq(r.outcome, VERIFY_MISSING_PRINCIPAL);
	ck_assert_int_eq(side, 0);
	set_key(kt_a, PRINC, "shared", 1, 0, 0);        /* only the acceptor has it */
	r = verify_ab(0, 0, &side);
	ck_assert_int_eq(r.outcome, VERIFY_MISSING_PRINCIPAL);
	ck_assert_int_eq(side, 0);
	ck_assert_uint_eq(r.acceptor_kvno, 1);
	snprintf(r.missing_on, sizeof(r.missing_on), "B");
	ck_assert_str_eq(verify_outcome_token(r.outcome), "missing-principal");
	expect_explained(&r, "\"Server krbtgt/A.EXAMPLE@B.EXAMPLE not found in Kerberos database\"",
			 "recreate");
	expect_explained(&r, "Kerberos database of B", "trustmgr reset A B");
	set_key(kt_b, PRINC, "shared", 1, 0, 0);        /* only the issuer has it */
	ck_assert_int_eq(store_keytab_delete(kt_a, PRINC, NULL), 0);
	r = verify_ab(0, 0, &side);
	ck_assert_int_eq(r.outcome, VERIFY_MISSING_PRINCIPAL);
	ck_assert_int_eq(side, 1);
	ck_assert_uint_eq(r.issuer_kvno, 1);
}
END_TEST

START_TEST(test_verify_kvno_mismatch)
{
	verify_result r;
	int side;

	set_key(kt_a, PRINC, "shared", 1, 0, 0);
	set_key(kt_b, PRINC, "shared", 1, 0, 0);
	set_key(kt_b, PRINC, "shared", 2, 0, 0);        /* B reset alone, kvno+1 */
	r = verify_ab(0, 0, &side);
	ck_assert_int_eq(r.outcome, VERIFY_NO_MATCHING_KVNO);
	ck_assert_int_eq(side, -1);
	ck_assert_uint_eq(r.issuer_kvno, 2);
	ck_assert_uint_eq(r.acceptor_kvno, 1);
	ck_assert_int_eq(r.enctype, KEYS_ETYPE_AES256);
	ck_assert_str_eq(verify_outcome_token(r.outcome), "kvno-mismatch");
	expect_explained(&r, "KDC returned error string: PROCESS_TGS",
			 "trustmgr reset-one-side A B");            /* A is behind */
	expect_explained(&r, "No matching key in entry", "trustmgr reset A B");
	/* the other way round: A reset alone without keeping its old key */
	set_key(kt_b, PRINC, "shared", 1, 0, 0);
	set_key(kt_a, PRINC, "shared", 2, 0, 0);
	r = verify_ab(0, 0, &side);
	ck_assert_int_eq(r.outcome, VERIFY_NO_MATCHING_KVNO);
	ck_assert_uint_eq(r.issuer_kvno, 1);
	ck_assert_uint_eq(r.acceptor_kvno, 2);
	expect_explained(&r, "its newest is 2", "trustmgr reset-one-side B A");
}
END_TEST

START_TEST(test_verify_password_mismatch)
{
	verify_result r;
	int side;

	set_key(kt_a, PRINC, "one password", 4, 0, 0);
	set_key(kt_b, PRINC, "another password", 4, 0, 0);
	r = verify_ab(0, 0, &side);
	ck_assert_int_eq(r.outcome, VERIFY_DECRYPT_INTEGRITY);
	ck_assert_uint_eq(r.issuer_kvno, 4);
	ck_assert_uint_eq(r.acceptor_kvno, 4);
	ck_assert_str_eq(verify_outcome_token(r.outcome), "password-mismatch");
	expect_explained(&r, "Decrypt integrity check failed", "trustmgr reset A B");
	expect_explained(&r, "different passwords", "same password");
}
END_TEST

START_TEST(test_verify_no_common_enctype)
{
	verify_result r;
	int side;

	set_key(kt_b, PRINC, "shared", 1, 0x04, 0);     /* issuer: RC4 only */
	set_key(kt_a, PRINC, "shared", 1, 0x18, 0);     /* acceptor: AES only */
	r = verify_ab(0x1c, 0x1c, &side);
	ck_assert_int_eq(r.outcome, VERIFY_NO_COMMON_ENCTYPE);
	ck_assert_int_eq(r.enctype, 0);
	ck_assert_str_eq(verify_outcome_token(r.outcome), "no-common-enctype");
	expect_explained(&r, "KDC has no support for encryption type",
			 "trustmgr tdo modify A B --enctypes aes");
}
END_TEST

START_TEST(test_verify_enctype_bits)
{
	verify_result r;
	int side;

	set_key(kt_a, PRINC, "shared", 1, 0x1c, 0);
	set_key(kt_b, PRINC, "shared", 1, 0x1c, 0);
	r = verify_ab(0, 0, &side);
	ck_assert_int_eq(r.enctype, KEYS_ETYPE_AES256);
	r = verify_ab(0x04, 0x1c, &side);
	ck_assert_int_eq(r.outcome, VERIFY_OK);
	ck_assert_int_eq(r.enctype, KEYS_ETYPE_RC4);
	r = verify_ab(0x0c, 0x08, &side);
	ck_assert_int_eq(r.outcome, VERIFY_OK);
	ck_assert_int_eq(r.enctype, KEYS_ETYPE_AES128);
	r = verify_ab(0x04, 0, &side);                  /* 0 = default AES only */
	ck_assert_int_eq(r.outcome, VERIFY_NO_COMMON_ENCTYPE);
	/* an RC4-only key pair is usable only when both sides allow RC4 */
	set_key(kt_a, PRINC, "shared", 2, 0x04, 0);
	set_key(kt_b, PRINC, "shared", 2, 0x04, 0);
	r = verify_ab(0, 0, &side);
	ck_assert_int_eq(r.outcome, VERIFY_NO_COMMON_ENCTYPE);
	r = verify_ab(0x04, 0x04, &side);
	ck_assert_int_eq(r.outcome, VERIFY_OK);
	ck_assert_int_eq(r.enctype, KEYS_ETYPE_RC4);
}
END_TEST

START_TEST(test_verify_unreadable)
{
	verify_result r;
	tm_error e;
	int side;
	FILE *f = fopen(kt_a, "w");

	ck_assert_ptr_nonnull(f);
	fputs("garbage", f);
	fclose(f);
	set_key(kt_b, PRINC, "shared", 1, 0, 0);
	memset(&r, 0, sizeof(r));
	error_clear(&e);
	ck_assert_int_eq(store_keytab_verify(kt_b, kt_a, PRINC, 0, 0, &r, &side, &e), -1);
	ck_assert_int_eq(e.cls, TM_EBACKEND);
	ck_assert_int_eq(store_keytab_verify(kt_b, kt_b, "no realm", 0, 0, &r, &side, &e), -1);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
}
END_TEST

START_TEST(test_explain_other_outcomes)
{
	verify_result r;
	char what[64], next[32];

	memset(&r, 0, sizeof(r));
	r.outcome = VERIFY_MISSING_TDO;
	snprintf(r.trusting, sizeof(r.trusting), "CORP");
	snprintf(r.trusted, sizeof(r.trusted), "PARTNER");
	snprintf(r.missing_on, sizeof(r.missing_on), "PARTNER");
	ck_assert_str_eq(verify_outcome_token(r.outcome), "missing-tdo");
	expect_explained(&r, "PARTNER has no trusted domain object", "recreate the missing side");
	r.outcome = VERIFY_UNREACHABLE;
	snprintf(r.detail, sizeof(r.detail), "Cannot contact any KDC for realm");
	ck_assert_str_eq(verify_outcome_token(r.outcome), "unreachable");
	expect_explained(&r, "Cannot contact any KDC for realm", "running and reachable");
	/* small buffers are truncated, never overrun */
	verify_explain(&r, what, sizeof(what), next, sizeof(next));
	ck_assert_uint_eq(strlen(what), sizeof(what) - 1);
	ck_assert_uint_eq(strlen(next), sizeof(next) - 1);
	ck_assert_str_eq(verify_outcome_token((verify_outcome)42), "unknown");
}
END_TEST

/* MIT's ktutil derives keys itself (reading the password from stdin when it
 * is not a terminal); ours must match them. */
static void ktutil_make(const char *path, const char *princ, const char *pw, int kvno)
{
	static const char *const etypes[] = {
		"aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96", "arcfour-hmac"
	};
	FILE *p;
	size_t i;

	ck_assert_msg(access("/usr/bin/ktutil", X_OK) == 0,
		      "MIT ktutil (package krb5-user) is needed by this test");
	p = popen("KRB5_CONFIG=/dev/null /usr/bin/ktutil >/dev/null 2>&1", "w");
	ck_assert_ptr_nonnull(p);
	for (i = 0; i < sizeof(etypes) / sizeof(etypes[0]); i++)
		fprintf(p, "addent -password -p %s -k %d -e %s\n%s\n", princ, kvno, etypes[i], pw);
	fprintf(p, "wkt %s\nquit\n", path);
	ck_assert_int_eq(pclose(p), 0);
}

START_TEST(test_ktutil_interop)
{
	verify_result r;
	tm_keyinfo k;
	tm_error e;
	int match, side;

	ktutil_make(kt_b, PRINC, "made by ktutil", 7);
	k = info_of(kt_b, PRINC);
	ck_assert_uint_eq(k.kvno, 7);
	ck_assert_uint_eq(k.enctypes, 0x1c);
	ck_assert_int_eq(store_keytab_prove(kt_b, PRINC, "made by ktutil", &match, &e), 0);
	ck_assert_int_eq(match, 1);
	ck_assert_int_eq(store_keytab_prove(kt_b, PRINC, "made by ktutiL", &match, &e), 0);
	ck_assert_int_eq(match, 0);
	set_key(kt_a, PRINC, "made by ktutil", 7, 0x1c, 0);
	r = verify_ab(0x1c, 0x1c, &side);
	ck_assert_int_eq(r.outcome, VERIFY_OK);
	r = verify_ab(0x04, 0x04, &side);
	ck_assert_int_eq(r.outcome, VERIFY_OK);
	ck_assert_int_eq(r.enctype, KEYS_ETYPE_RC4);
}
END_TEST

/* ---- the file's structure and checksum ---------------------------------- */

/* The entries store_keytab_check finds in the file at path; -1 when it
 * refuses it (then e says why). */
static long check_file(const char *path, tm_error *e)
{
	size_t len, entries = 0;
	char *data = tu_slurp(path, &len);
	int rc;

	error_clear(e);
	rc = store_keytab_check(data, len, "the keytab T", &entries, e);
	free(data);
	return rc == 0 ? (long)entries : -1;
}

/* store_keytab_check on bytes. */
static int check_bytes(const unsigned char *d, size_t len, tm_error *e)
{
	size_t entries;

	error_clear(e);
	return store_keytab_check(d, len, "the keytab T", &entries, e);
}

static void expect_refused(const tm_error *e)
{
	ck_assert_int_eq(e->cls, TM_EBACKEND);
	ck_assert_str_eq(e->status, ST_INTERNAL_DB_CORRUPTION);
	TU_ASSERT_HAS(e->what, "the keytab T is damaged");
}

/* What trustmgr writes: the version, the checksum hole, the entries. */
START_TEST(test_written_keytab_carries_checksum)
{
	static const unsigned char head[] = { 0x05, 0x02, 0xff, 0xff, 0xff, 0xf0,
					      'T', 'M', 'K', 'T', 'S', 'U', 'M', '1' };
	unsigned char *d;
	size_t len;
	tm_error e;

	set_key(kt_a, PRINC, "secret", 3, 0x18, 0);
	set_key(kt_a, OTHER, "other", 1, 0x10, 0);
	d = (unsigned char *)tu_slurp(kt_a, &len);
	ck_assert_int_eq(memcmp(d, head, sizeof(head)), 0);
	ck_assert_uint_eq((size_t)d[14] << 24 | (size_t)d[15] << 16 | (size_t)d[16] << 8 | d[17],
			  len);
	free(d);
	ck_assert_int_eq(check_file(kt_a, &e), 3);
	ck_assert_uint_eq(count_principals(kt_a), 2);
	/* an empty keytab is the version and the hole */
	set_key(kt_b, PRINC, "x", 1, 0x10, 0);
	ck_assert_int_eq(store_keytab_delete(kt_b, PRINC, &e), 0);
	ck_assert_int_eq(check_file(kt_b, &e), 0);
	ck_assert_uint_eq(count_principals(kt_b), 0);
}
END_TEST

/* Every cut of a keytab trustmgr wrote is damage (also at a record
 * boundary, where libkrb5 would read a shorter valid keytab), and so is
 * every changed byte but those of the hole's magic (which leave the keys
 * as they were). */
START_TEST(test_every_cut_and_flip_is_found)
{
	tm_keyinfo *v = NULL;
	unsigned char *d;
	size_t len, i, n = 0;
	tm_error e;

	set_key(kt_a, PRINC, "secret", 2, 0x18, 1);
	set_key(kt_a, OTHER, "other", 1, 0x08, 0);
	d = (unsigned char *)tu_slurp(kt_a, &len);
	ck_assert_int_eq(check_bytes(d, len, &e), 0);
	/* (a cut right after the version leaves "05 02": an empty keytab
	 * without the checksum hole, as an earlier trustmgr wrote them) */
	for (i = 0; i < len; i++) {
		if (i == 2)
			continue;
		ck_assert_msg(check_bytes(d, i, &e) == -1, "a cut at %zu was accepted", i);
		expect_refused(&e);
	}
	for (i = 0; i < len; i++) {
		if (i >= 6 && i < 14)
			continue;
		d[i] ^= 0x01;
		ck_assert_msg(check_bytes(d, len, &e) == -1, "a change at %zu was accepted", i);
		expect_refused(&e);
		d[i] ^= 0x01;
	}
	tu_write_file(kt_b, d, len - 9, 0600);
	free(d);
	ck_assert_int_eq(store_keytab_list(kt_b, &v, &n, &e), -1);
	TU_ASSERT_HAS(e.what, kt_b);
	TU_ASSERT_HAS(e.what, "cut short");
	ck_assert_str_ne(e.next, "");
}
END_TEST

/* A keytab without trustmgr's checksum (ktutil's) is checked for its
 * structure: a cut inside a record is damage, and libkrb5 must read every
 * entry the structure holds. */
START_TEST(test_foreign_keytab_structure)
{
	unsigned char *d, boundary[4096] = { 0 };
	size_t len, i, at;
	tm_keyinfo *v = NULL;
	size_t n = 0;
	tm_error e;

	ktutil_make(kt_a, PRINC, "made by ktutil", 4);
	d = (unsigned char *)tu_slurp(kt_a, &len);
	ck_assert_uint_lt(len, sizeof(boundary));
	ck_assert_int_eq(check_bytes(d, len, &e), 0);
	for (at = 2; at + 4 <= len; at += 4 + ((size_t)d[at] << 24 | (size_t)d[at + 1] << 16 |
					      (size_t)d[at + 2] << 8 | d[at + 3]))
		boundary[at] = 1;
	for (i = 0; i < len; i++) {
		if (boundary[i])
			continue;                /* record boundaries: a valid, shorter keytab */
		ck_assert_msg(check_bytes(d, i, &e) == -1, "a cut at %zu was accepted", i);
		expect_refused(&e);
	}
	tu_write_file(kt_b, d, len - 3, 0600);
	ck_assert_int_eq(store_keytab_list(kt_b, &v, &n, &e), -1);   /* no leak in libkrb5 */
	TU_ASSERT_HAS(e.what, "runs past the end of the file");
	free(d);
}
END_TEST

/* Record lengths and counts libkrb5 would misread or stop at. */
START_TEST(test_bad_records)
{
	static const unsigned char zero_len[] = { 5, 2, 0, 0, 0, 0 };
	static const unsigned char int_min[] = { 5, 2, 0x80, 0, 0, 0 };
	static const unsigned char hole_past_end[] = { 5, 2, 0xff, 0xff, 0xff, 0xf0, 0, 0 };
	static const unsigned char short_len[] = { 5, 2, 0, 0 };
	static const unsigned char no_components[] = { 5, 2, 0, 0, 0, 2, 0, 0 };
	static const unsigned char empty_realm[] = { 5, 2, 0, 0, 0, 4, 0, 1, 0, 0 };
	static const unsigned char version_1[] = { 5, 1 };
	static const unsigned char hole_only[] = { 5, 2, 0xff, 0xff, 0xff, 0xfc, 0, 0, 0, 0 };
	static const struct { const unsigned char *d; size_t n; const char *why; } bad[] = {
		{ zero_len, sizeof(zero_len), "length of 0" },
		{ int_min, sizeof(int_min), "is not valid" },
		{ hole_past_end, sizeof(hole_past_end), "hole of 16 bytes" },
		{ short_len, sizeof(short_len), "inside the length" },
		{ no_components, sizeof(no_components), "number of name components" },
		{ empty_realm, sizeof(empty_realm), "realm" },
		{ version_1, sizeof(version_1), "Unsupported key table format" },
	};
	tm_error e;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(check_bytes(bad[i].d, bad[i].n, &e) == -1, "case %zu accepted", i);
		expect_refused(&e);
		TU_ASSERT_HAS(e.what, bad[i].why);
	}
	ck_assert_int_eq(check_bytes(hole_only, sizeof(hole_only), &e), 0);
}
END_TEST

/* A FIFO where the keytab belongs is refused at once, never waited on. */
START_TEST(test_fifo_is_refused)
{
	tm_keyinfo *v = NULL;
	size_t n = 0;
	tm_error e;

	ck_assert_int_eq(mkfifo(kt_a, 0600), 0);
	ck_assert_int_eq(store_keytab_list(kt_a, &v, &n, &e), -1);
	TU_ASSERT_HAS(e.what, "FIFO");
	ck_assert_int_eq(store_keytab_set(kt_a, PRINC, "pw", 1, 0, 0, &e), -1);
	TU_ASSERT_HAS(e.what, "FIFO");
}
END_TEST

/* A keytab from elsewhere may hold many kvnos: the newest 8 are listed. */
START_TEST(test_list_many_kvnos)
{
	tm_keyinfo k;
	FILE *p;
	int kvno;

	ck_assert_int_eq(access("/usr/bin/ktutil", X_OK), 0);
	p = popen("KRB5_CONFIG=/dev/null /usr/bin/ktutil >/dev/null 2>&1", "w");
	ck_assert_ptr_nonnull(p);
	for (kvno = 10; kvno >= 1; kvno -= 3)     /* out of order: 10 7 4 1 */
		fprintf(p, "addent -password -p %s -k %d -e aes128-cts-hmac-sha1-96\npw\n",
			PRINC, kvno);
	for (kvno = 2; kvno <= 9; kvno += 3)      /* 2 5 8 */
		fprintf(p, "addent -password -p %s -k %d -e aes128-cts-hmac-sha1-96\npw\n",
			PRINC, kvno);
	fprintf(p, "addent -password -p %s -k 3 -e aes128-cts-hmac-sha1-96\npw\n", PRINC);
	fprintf(p, "addent -password -p %s -k 6 -e aes128-cts-hmac-sha1-96\npw\n", PRINC);
	fprintf(p, "addent -password -p %s -k 9 -e aes128-cts-hmac-sha1-96\npw\n", PRINC);
	fprintf(p, "wkt %s\nquit\n", kt_a);
	ck_assert_int_eq(pclose(p), 0);
	k = info_of(kt_a, PRINC);
	ck_assert_uint_eq(k.kvno, 10);
	ck_assert_uint_eq(k.enctypes, 0x08);
	ck_assert_uint_eq(k.nkvnos, KEYINFO_MAX_KVNOS);
	for (kvno = 0; kvno < KEYINFO_MAX_KVNOS; kvno++)
		ck_assert_uint_eq(k.kvnos[kvno], 10 - (uint32_t)kvno);
}
END_TEST

static Suite *keytab_suite(void)
{
	Suite *s = suite_create("keytab");
	TCase *tc = tcase_create("keytab");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_missing_file_is_empty);
	tcase_add_test(tc, test_set_and_list);
	tcase_add_test(tc, test_keep_previous);
	tcase_add_test(tc, test_other_principals_preserved);
	tcase_add_test(tc, test_file_mode_and_no_leftovers);
	tcase_add_test(tc, test_klist_reads_it);
	tcase_add_test(tc, test_bad_input_and_corrupt_file);
	tcase_add_test(tc, test_prove);
	tcase_add_test(tc, test_verify_ok);
	tcase_add_test(tc, test_verify_missing);
	tcase_add_test(tc, test_verify_kvno_mismatch);
	tcase_add_test(tc, test_verify_password_mismatch);
	tcase_add_test(tc, test_verify_no_common_enctype);
	tcase_add_test(tc, test_verify_enctype_bits);
	tcase_add_test(tc, test_verify_unreadable);
	tcase_add_test(tc, test_explain_other_outcomes);
	tcase_add_test(tc, test_ktutil_interop);
	tcase_add_test(tc, test_list_many_kvnos);
	tcase_add_test(tc, test_written_keytab_carries_checksum);
	tcase_add_test(tc, test_every_cut_and_flip_is_found);
	tcase_add_test(tc, test_foreign_keytab_structure);
	tcase_add_test(tc, test_bad_records);
	tcase_add_test(tc, test_fifo_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(keytab_suite());
}
