/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_store_health.c - the health file of a store domain
 * (backend/store/store_health.c) against damage: format 2 carries a
 * checksum line before its last line, so every flipped bit of every byte
 * and every cut is damage (STATUS_INTERNAL_DB_CORRUPTION naming the file
 * and the line), through the text check (what before-images use) and
 * through the store's ops (what list, show, health and verify use). Files
 * of format 1 (no announcement) are still read; a file whose checksum line
 * was deleted after a change by hand is read, and rewritten with one. The
 * put/get round trip itself is in check_store.c. */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/store/store_health.h"
#include "tests/unit/testutil.h"

static const char *dir;
static tm_domain D_CORP;

/* A store with one domain whose health file holds three partners; its
 * path into path (PATH_MAX bytes), its text returned (free() it). */
static tm_backend *three_partners(char *path, char **text, size_t *len)
{
	tm_backend *be = tu_store_open(&dir, 0);
	tm_error e;

	D_CORP = tu_domain("corp", DOMAIN_AD, "corp.example", "CORP", "S-1-5-21-1-2-3", "",
			   LEVEL_2016);
	tu_store_add(be, &D_CORP);
	ck_assert_int_eq(be->ops->health_put(be, &D_CORP, "partner.example", HEALTH_VERIFIED, &e), 0);
	ck_assert_int_eq(be->ops->health_put(be, &D_CORP, "other.example", HEALTH_PERMITTED, &e), 0);
	ck_assert_int_eq(be->ops->health_put(be, &D_CORP, "LEGACY", HEALTH_BROKEN, &e), 0);
	tu_pathf(path, "%s/domains/corp/health", dir);
	*text = tu_slurp(path, len);
	return be;
}

/* The 1-based number of the line of text that starts with prefix. */
static unsigned long line_of(const char *text, const char *prefix)
{
	const char *p = text;
	unsigned long n = 1;

	while (strncmp(p, prefix, strlen(prefix)) != 0) {
		p = strchr(p, '\n');
		ck_assert_ptr_nonnull(p);
		p++;
		n++;
	}
	return n;
}

/* The checksum line of text (the announcement also quotes its prefix). */
static char *sum_of(char *text)
{
	char *p = strstr(text, "\n" STHEALTH_SUM_PREFIX);

	ck_assert_ptr_nonnull(p);
	return p + 1;
}

/* text (len bytes) is refused as damage; the error returned. */
static tm_error check_fails(const char *text, size_t len)
{
	tm_error e;

	error_clear(&e);
	ck_assert_msg(store_health_check_text(text, len, "H", &e) == -1, "read: %.*s", (int)len,
		      text);
	ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
	TU_ASSERT_HAS(e.what, "H is damaged");
	return e;
}

/* What trustmgr writes: format 2, framed as store_health.h says. */
START_TEST(writes_format_2)
{
	char path[PATH_MAX], *t, want[64];
	size_t n;
	tm_backend *be = three_partners(path, &t, &n);
	tm_error e;

	ck_assert_int_eq(strncmp(t, STHEALTH_FORMAT_LINE "\n", strlen(STHEALTH_FORMAT_LINE) + 1), 0);
	ck_assert_uint_eq(line_of(t, STHEALTH_SUM_PREFIX), 5);
	ck_assert_uint_eq(line_of(t, STHEALTH_END_LINE), 6);
	snprintf(want, sizeof(want), "\n%s\n", STHEALTH_END_LINE);
	ck_assert_str_eq(t + n - strlen(want), want);
	ck_assert_int_eq(store_health_check_text(t, n, "H", &e), 0);
	ck_assert_uint_eq(tu_mode_of(path), 0600);
	free(t);
	be->ops->close(be);
}
END_TEST

/* Each of the 8 bits of every byte, flipped alone: refused, every one. A
 * flip in the announcement makes the file read as format 1, where the
 * checksum and last lines are no partner's lines; a flip in a newline
 * joins two lines or splits one; a flip anywhere else breaks a line or the
 * checksum. */
START_TEST(every_changed_bit_is_found)
{
	char path[PATH_MAX], *t, *copy;
	size_t n, i;
	tm_backend *be = three_partners(path, &t, &n);
	unsigned bit;
	tm_error e;

	copy = malloc(n + 1);
	ck_assert_ptr_nonnull(copy);
	for (bit = 0; bit < 8; bit++)
		for (i = 0; i < n; i++) {
			memcpy(copy, t, n + 1);
			copy[i] = (char)(copy[i] ^ (1u << bit));
			error_clear(&e);
			ck_assert_msg(store_health_check_text(copy, n, "H", &e) == -1,
				      "bit %u of byte %zu changed and the file was read", bit, i);
			ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
		}
	free(copy);
	free(t);
	be->ops->close(be);
}
END_TEST

/* A changed health digit or time digit still reads as a line: the store
 * refuses it with the file, the checksum line and what to do; every read
 * (one partner, every row) and a write that must read it first fail the
 * same way, and nothing is written. */
START_TEST(changed_digit_through_the_store)
{
	char path[PATH_MAX], *t, *copy, *back, want[PATH_MAX + 64];
	size_t n, blen;
	tm_backend *be = three_partners(path, &t, &n);
	const char *what[] = { "other.example\t" , "LEGACY\t" };
	tm_health h;
	long long when;
	tm_error e;
	int k;

	for (k = 0; k < 2; k++) {
		copy = strdup(t);
		if (k == 0)
			strstr(copy, what[0])[strlen(what[0])] ^= 1;       /* 4 -> 5: still a health */
		else
			strstr(copy, what[1])[strlen(what[1]) + 3] ^= 1;   /* a time digit */
		tu_write_file(path, copy, n, 0600);
		ck_assert_int_eq(be->ops->health_get(be, &D_CORP, "other.example", &h, &when, &e), -1);
		ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
		ck_assert_int_eq(e.cls, TM_EBACKEND);
		snprintf(want, sizeof(want), "%s is damaged at line 5: the checksum on this line", path);
		TU_ASSERT_HAS(e.what, want);
		TU_ASSERT_HAS(e.what, "some of them changed after trustmgr wrote the file");
		TU_ASSERT_HAS(e.next, "delete it, then `trustmgr verify DOMAIN PARTNER`");
		TU_ASSERT_HAS(e.next, "delete its line \"" STHEALTH_SUM_PREFIX "...\"");
		ck_assert_int_eq(be->ops->health_put(be, &D_CORP, "LEGACY", HEALTH_VERIFIED, &e), -1);
		TU_ASSERT_HAS(e.what, want);
		back = tu_slurp(path, &blen);
		ck_assert_uint_eq(blen, n);
		ck_assert_int_eq(memcmp(back, copy, n), 0);
		free(back);
		free(copy);
	}
	/* deleted, as the message says: verify records again */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(be->ops->health_put(be, &D_CORP, "LEGACY", HEALTH_VERIFIED, &e), 0);
	ck_assert_int_eq(be->ops->health_get(be, &D_CORP, "LEGACY", &h, &when, &e), 0);
	ck_assert_int_eq(h, HEALTH_VERIFIED);
	free(t);
	be->ops->close(be);
}
END_TEST

/* Every cut of a written file, between lines or inside one, the empty file
 * included: damage. */
START_TEST(every_cut_is_found)
{
	char path[PATH_MAX], *t;
	size_t n, i;
	tm_backend *be = three_partners(path, &t, &n);
	tm_error e;

	for (i = 0; i < n; i++)
		check_fails(t, i);
	e = check_fails(t, n - 1);
	TU_ASSERT_HAS(e.what, "cut short");
	e = check_fails(t, (size_t)(sum_of(t) - t));
	TU_ASSERT_HAS(e.what, "H is damaged at line 4: the file ends here");
	e = check_fails("", 0);
	TU_ASSERT_HAS(e.what, "H is damaged: it is empty");
	free(t);
	be->ops->close(be);
}
END_TEST

/* The frame's own rules: a garbled checksum line, a line after the last,
 * a checksum line that is not right before the last, an unknown line. */
START_TEST(frame_damage_is_named)
{
	char path[PATH_MAX], *t, *copy;
	size_t n;
	tm_backend *be = three_partners(path, &t, &n);
	tm_error e;

	copy = malloc(n + 64);
	memcpy(copy, t, n + 1);
	sum_of(copy)[strlen(STHEALTH_SUM_PREFIX)] = 'X';
	e = check_fails(copy, n);
	TU_ASSERT_HAS(e.what, "line 5: this line starts like the file's checksum line");
	memcpy(copy, t, n + 1);
	strcat(copy, "late.example\t1\t2\n");
	e = check_fails(copy, strlen(copy));
	TU_ASSERT_HAS(e.what, "line 7: the file goes on after its last line");
	free(copy);
	copy = malloc(n + 64);
	snprintf(copy, n + 64, "%s\n" STHEALTH_SUM_PREFIX "00000000\na.example\t1\t2\n"
		 STHEALTH_END_LINE "\n", STHEALTH_FORMAT_LINE);
	e = check_fails(copy, strlen(copy));
	TU_ASSERT_HAS(e.what, "line 2: a checksum line must come right before the last line");
	snprintf(copy, n + 64, "%s\n# a note\n" STHEALTH_END_LINE "\n", STHEALTH_FORMAT_LINE);
	e = check_fails(copy, strlen(copy));
	TU_ASSERT_HAS(e.what, "line 2: expected partner, health and time");
	free(copy);
	free(t);
	be->ops->close(be);
}
END_TEST

/* Format 1 (an earlier trustmgr's) is read, and the next write is format
 * 2; a format 2 file whose checksum line was deleted after a change by
 * hand is read unchecked, and the next write puts a checksum back. */
START_TEST(old_format_and_hand_edit)
{
	char path[PATH_MAX], *t, *copy, *sum, *back;
	size_t n, blen;
	tm_backend *be = three_partners(path, &t, &n);
	tm_health h;
	long long when;
	tm_error e;

	tu_put_file(path, "partner.example\t2\t100\n\nother.example\t4\t200\n", 0600);
	ck_assert_int_eq(be->ops->health_get(be, &D_CORP, "other.example", &h, &when, &e), 0);
	ck_assert_int_eq(h, HEALTH_PERMITTED);
	ck_assert_int_eq(when, 200);
	e = check_fails("a.example\t1\t2\nb.example\t1\n", 26);
	TU_ASSERT_HAS(e.what, "H is damaged at line 2: expected partner");
	TU_ASSERT_HAS(e.next, "Or delete just that line.");
	ck_assert_int_eq(be->ops->health_put(be, &D_CORP, "LEGACY", HEALTH_BROKEN, &e), 0);
	back = tu_slurp(path, &blen);
	ck_assert_int_eq(strncmp(back, STHEALTH_FORMAT_LINE "\n", strlen(STHEALTH_FORMAT_LINE) + 1), 0);
	TU_ASSERT_HAS(back, "other.example\t4\t200\n");
	TU_ASSERT_HAS(back, "\n" STHEALTH_SUM_PREFIX);
	free(back);
	/* a change by hand, its checksum line deleted */
	copy = strdup(t);
	sum = sum_of(copy);
	memmove(sum, strchr(sum, '\n') + 1, strlen(strchr(sum, '\n') + 1) + 1);
	strstr(copy, "other.example\t")[strlen("other.example\t")] = '2';
	tu_put_file(path, copy, 0600);
	ck_assert_int_eq(be->ops->health_get(be, &D_CORP, "other.example", &h, &when, &e), 0);
	ck_assert_int_eq(h, HEALTH_BROKEN);
	ck_assert_int_eq(be->ops->health_put(be, &D_CORP, "partner.example", HEALTH_VERIFIED, &e), 0);
	back = tu_slurp(path, &blen);
	TU_ASSERT_HAS(back, "\n" STHEALTH_SUM_PREFIX);
	ck_assert_int_eq(store_health_check_text(back, blen, "H", &e), 0);
	back[strstr(back, "other.example\t") - back + strlen("other.example\t")] ^= 1;
	check_fails(back, blen);
	free(back);
	free(copy);
	free(t);
	be->ops->close(be);
}
END_TEST

static Suite *store_health_suite(void)
{
	Suite *s = suite_create("store_health");
	TCase *tc = tcase_create("health_file");

	tcase_add_checked_fixture(tc, NULL, tu_cleanup);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, writes_format_2);
	tcase_add_test(tc, every_changed_bit_is_found);
	tcase_add_test(tc, changed_digit_through_the_store);
	tcase_add_test(tc, every_cut_is_found);
	tcase_add_test(tc, frame_damage_is_named);
	tcase_add_test(tc, old_format_and_hand_edit);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(store_health_suite());
}
