/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_journal.c - the journal of a running plan: before-images with sum
 * records, durable checksummed progress, pending plans after a crash,
 * rollback to the exact bytes, and damage found before anything is
 * written (then the journal kept, or set aside on request); the same for
 * the before-images the real-domain journal keeps in its state folder. */
#include <check.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/cksum.h"
#include "backend/directory/directory_journal.h"
#include "backend/store/store.h"
#include "backend/store/store_fs.h"
#include "backend/store/store_journal.h"
#include "tests/unit/testutil.h"

/* ---- a store with two real domains ------------------------------------- */

/* A store with domains CORP (with a keytab) and PART (without), both
 * written by the store itself. */
static tm_backend *open_store(const char **dir_out)
{
	const char *dir;
	tm_backend *be = tu_store_open(&dir, 0);
	tm_domain corp = tu_domain("CORP", DOMAIN_AD, "corp.example", "CORP",
				   "S-1-5-21-1-2-3", "", LEVEL_2016);
	tm_domain part = tu_domain("PART", DOMAIN_AD, "part.example", "PART",
				   "S-1-5-21-4-5-6", "", LEVEL_2016);
	tm_error e;

	tu_store_add(be, &corp);
	tu_store_add(be, &part);
	ck_assert_msg(be->ops->key_set(be, &corp, "krbtgt/PART.EXAMPLE@CORP.EXAMPLE",
				       "Pw-journal-1", 1, 0, 0, &e) == 0, "%s", e.what);
	be->ops->close(be);
	be = store_open(dir, &e);
	ck_assert_msg(be != NULL, "%s", e.what);
	*dir_out = dir;
	return be;
}

static tm_plan *sample_plan(void)
{
	tm_plan *p = plan_new("permit", "CORP", "PART");
	plan_step *s;

	ck_assert_ptr_nonnull(p);
	plan_slot(p, 0, SLOT_SUPPLIED, "initial password");
	p->slots[0].value = strdup("TOPSECRET-never-written");
	s = plan_add(p, STEP_ACCOUNT_PUT, "CORP", "create the trust account PART$ in CORP");
	snprintf(s->account, sizeof(s->account), "PART$");
	s = plan_add(p, STEP_KEY_SET, "CORP", "set the key of krbtgt/PART@CORP");
	snprintf(s->principal, sizeof(s->principal), "krbtgt/PART@CORP");
	s->slot = 0;
	s = plan_add(p, STEP_HEALTH, "PART", "record the health");
	s = plan_add(p, STEP_VERIFY, "OTHER", "verify");
	snprintf(s->trusting, sizeof(s->trusting), "PART");
	snprintf(s->trusted, sizeof(s->trusted), "THIRD");
	return p;
}

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* The bytes of a file, or NULL when it does not exist. */
static char *file_or_null(const char *path, size_t *len)
{
	*len = 0;
	return access(path, F_OK) == 0 ? tu_slurp(path, len) : NULL;
}

/* Do the file at path and the bytes (data, len; NULL: no file) agree? */
static void same_file(const char *path, const char *data, size_t len)
{
	size_t n;
	char *now = file_or_null(path, &n);

	if (!data) {
		ck_assert_msg(now == NULL, "%s exists", path);
		return;
	}
	ck_assert_msg(now != NULL, "%s is gone", path);
	ck_assert_msg(n == len && memcmp(now, data, n) == 0, "%s changed", path);
	free(now);
}

/* A progress line as the journal writes it: text, space, its CRC-32C. */
static void progress(const char *jpath, const char *text, int newline)
{
	char line[64];
	tm_error e;
	int k = snprintf(line, sizeof(line), "%s %08x%s", text,
			 (unsigned)cksum_crc32c(0, text, strlen(text)), newline ? "\n" : "");

	ck_assert_int_eq(store_fs_append(jpath, line, (size_t)k, &e), 0);
}

/* ---- the journal's shape --------------------------------------------------- */

START_TEST(begin_takes_images_and_writes_no_secret)
{
	const char *dir;
	tm_backend *be = open_store(&dir);
	tm_plan *p = sample_plan();
	char path[PATH_MAX], live[PATH_MAX], *j, *img, *kt, *sum, line[CKSUM_LINE_MAX];
	size_t len, ktlen;
	tm_error e;

	ck_assert_msg(be->ops->journal_begin(be, p, &e) == 0, "%s", e.what);
	tu_pathf(path, "%s/journal/current", dir);
	j = tu_slurp(path, &len);
	ck_assert_ptr_null(strstr(j, "TOPSECRET"));
	ck_assert_int_eq(strncmp(j, "trustmgr-journal 2\n", 19), 0);
	TU_ASSERT_HAS(j, "op permit\n");
	TU_ASSERT_HAS(j, "image\tCORP\tdomain.ldif\tsaved\n");
	TU_ASSERT_HAS(j, "image\tCORP\tkrb5.keytab\tsaved\n");
	TU_ASSERT_HAS(j, "image\tCORP\thealth\tmissing\n");
	TU_ASSERT_HAS(j, "image\tPART\tkrb5.keytab\tmissing\n");
	ck_assert_ptr_null(strstr(j, "image\tOTHER"));          /* VERIFY changes nothing */
	/* ... but the executor records health for the verified domains */
	TU_ASSERT_HAS(j, "image\tTHIRD\thealth\tmissing\n");
	TU_ASSERT_HAS(j, "\nsum ");
	free(j);
	/* the keytab's image is its bytes, with a sum record of them */
	tu_pathf(live, "%s/domains/CORP/krb5.keytab", dir);
	kt = tu_slurp(live, &ktlen);
	tu_pathf(path, "%s/journal/before/CORP.krb5.keytab", dir);
	img = tu_slurp(path, &len);
	ck_assert_uint_eq(len, ktlen);
	ck_assert_int_eq(memcmp(img, kt, len), 0);
	tu_pathf(path, "%s/journal/before/CORP.krb5.keytab.sum", dir);
	sum = tu_slurp(path, &len);
	ck_assert_uint_eq(cksum_format(line, kt, ktlen), len);
	ck_assert_str_eq(sum, line);
	free(sum);
	free(img);
	free(kt);
	tu_pathf(path, "%s/journal/before", dir);
	ck_assert_int_eq(count_files(path), 6);      /* CORP ldif+keytab, PART ldif, sums */
	ck_assert_int_eq(be->ops->journal_step(be, 0, &e), 0);
	ck_assert_int_eq(be->ops->journal_end(be, 1, &e), 0);
	tu_pathf(path, "%s/journal/current", dir);
	ck_assert_int_eq(access(path, F_OK), -1);
	tu_pathf(path, "%s/journal/before", dir);
	ck_assert_int_eq(count_files(path), 0);
	plan_free(&p);
	be->ops->close(be);
}
END_TEST

START_TEST(pending_after_two_steps)
{
	const char *dir;
	tm_backend *be = open_store(&dir), *be2;
	tm_plan *p = sample_plan(), *q = NULL;
	journal_info info;
	tm_error e;
	size_t i;

	ck_assert_int_eq(be->ops->journal_begin(be, p, &e), 0);
	ck_assert_int_eq(be->ops->journal_step(be, 0, &e), 0);
	ck_assert_int_eq(be->ops->journal_step(be, 1, &e), 0);
	be2 = store_open(dir, &e);
	ck_assert_msg(be2->ops->journal_pending(be2, &q, &info, &e) == 0, "%s", e.what);
	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq(info.done, 2);
	ck_assert_uint_eq(info.total, 4);
	ck_assert_str_eq(info.op, "permit");
	ck_assert_int_eq(info.pid, (long)getpid());
	ck_assert_int_eq(info.failed, 0);
	ck_assert(info.started > 0 && info.started <= (long long)time(NULL));
	ck_assert_str_ne(info.id, "");
	ck_assert_uint_eq(q->nsteps, p->nsteps);
	for (i = 0; i < p->nsteps; i++) {
		ck_assert_int_eq(q->steps[i].kind, p->steps[i].kind);
		ck_assert_str_eq(q->steps[i].domain, p->steps[i].domain);
		ck_assert_str_eq(q->steps[i].text, p->steps[i].text);
	}
	ck_assert_ptr_null(q->slots[0].value);
	plan_free(&q);
	ck_assert_int_eq(be->ops->journal_end(be, 0, &e), 0);  /* failed: still forgotten */
	ck_assert_int_eq(be2->ops->journal_pending(be2, &q, &info, &e), 0);
	ck_assert_ptr_null(q);
	plan_free(&p);
	be->ops->close(be);
	be2->ops->close(be2);
}
END_TEST

/* A child process begins, does two steps, and dies without an end line. */
START_TEST(crash_then_pending_then_rollback_restores_bytes)
{
	const char *dir;
	tm_backend *be = open_store(&dir);
	tm_plan *p = sample_plan(), *q = NULL;
	char ldif[PATH_MAX], kt[PATH_MAX], health[PATH_MAX], *old_ldif, *old_kt;
	journal_info info;
	size_t ldif_len, kt_len;
	tm_error e;
	pid_t pid;
	int status;

	be->ops->close(be);
	tu_pathf(ldif, "%s/domains/CORP/domain.ldif", dir);
	tu_pathf(kt, "%s/domains/CORP/krb5.keytab", dir);
	tu_pathf(health, "%s/domains/CORP/health", dir);
	old_ldif = tu_slurp(ldif, &ldif_len);
	old_kt = tu_slurp(kt, &kt_len);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		tm_backend *c = store_open(dir, &e);
		int rc = 0;

		if (!c || c->ops->journal_begin(c, p, &e) != 0)
			rc = 1;
		if (rc == 0) {
			tu_write_file(ldif, "changed\n", 8, 0600);
			unlink(kt);
			tu_write_file(health, "x\t1\t2\n", 6, 0600);
		}
		if (rc == 0 && (c->ops->journal_step(c, 0, &e) != 0 ||
				c->ops->journal_step(c, 1, &e) != 0))
			rc = 2;
		if (c)
			c->ops->close(c);   /* releases the lock, as dying would */
		plan_free(&p);
		_exit(rc);                                /* no end line: a crash */
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	be = store_open(dir, &e);
	ck_assert_msg(be->ops->journal_pending(be, &q, &info, &e) == 0, "%s", e.what);
	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq(info.done, 2);
	ck_assert_int_eq(info.pid, (long)pid);
	plan_free(&q);
	/* a new plan may not start over the interrupted one */
	ck_assert_int_eq(be->ops->journal_begin(be, p, &e), -1);
	TU_ASSERT_HAS(e.what, "interrupted plan");
	TU_ASSERT_HAS(e.next, "trustmgr rollback");
	ck_assert_msg(be->ops->journal_rollback(be, &e) == 0, "%s", e.what);
	same_file(ldif, old_ldif, ldif_len);
	same_file(kt, old_kt, kt_len);
	same_file(health, NULL, 0);                      /* was missing: removed */
	ck_assert_int_eq(be->ops->journal_pending(be, &q, &info, &e), 0);
	ck_assert_ptr_null(q);
	ck_assert_int_eq(be->ops->journal_rollback(be, &e), -1);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	free(old_ldif);
	free(old_kt);
	plan_free(&p);
	be->ops->close(be);
}
END_TEST

START_TEST(torn_and_out_of_order_progress)
{
	const char *dir;
	tm_backend *be = open_store(&dir);
	tm_plan *p = sample_plan(), *q = NULL;
	char path[PATH_MAX];
	journal_info info;
	tm_error e;

	ck_assert_int_eq(be->ops->journal_begin(be, p, &e), 0);
	ck_assert_int_eq(be->ops->journal_step(be, 0, &e), 0);
	tu_pathf(path, "%s/journal/current", dir);
	progress(path, "done 2", 1);
	progress(path, "done 1", 0);                         /* torn last line */
	ck_assert_msg(be->ops->journal_pending(be, &q, &info, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(info.done, 1);                     /* 1 is torn, 2 is not next */
	plan_free(&q);
	ck_assert_int_eq(store_fs_append(path, "\n", 1, &e), 0);
	ck_assert_int_eq(be->ops->journal_pending(be, &q, &info, &e), 0);
	ck_assert_uint_eq(info.done, 3);
	plan_free(&q);
	ck_assert_int_eq(be->ops->journal_discard(be, &e), 0);
	ck_assert_int_eq(access(path, F_OK), -1);
	tu_pathf(path, "%s/journal/before", dir);
	ck_assert_int_eq(count_files(path), 0);
	ck_assert_int_eq(be->ops->journal_discard(be, &e), 0);    /* nothing: fine */
	plan_free(&p);
	be->ops->close(be);
}
END_TEST

/* ---- damage ------------------------------------------------------------------ */

/* pending fails with damage naming want (and the journal path in the hint). */
static void expect_damage(tm_backend *be, const char *want, const char *jpath)
{
	tm_plan *q = (tm_plan *)1;
	journal_info info;
	tm_error e;

	error_clear(&e);
	ck_assert_int_eq(be->ops->journal_pending(be, &q, &info, &e), -1);
	ck_assert_ptr_null(q);
	ck_assert_int_eq(e.cls, TM_EBACKEND);
	ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
	ck_assert_msg(strstr(e.what, want) != NULL, "\"%s\" not in: %s", want, e.what);
	TU_ASSERT_HAS(e.next, "trustmgr discard --force");
	TU_ASSERT_HAS(e.next, jpath);
}

START_TEST(damaged_journal_is_reported)
{
	static const char *const bodies[] = {
		"garbage\n",
		"trustmgr-journal 1\nid x\nop permit\nwhat is this\n",
		"trustmgr-journal 1\nid x\nop permit\nplan-bytes 5000\nplan\n",
		"trustmgr-journal 1\nid x\nop permit\nplan-bytes 6\nnoplan\nX\n",
		"trustmgr-journal 1\nid x\nop permit\nplan-bytes 0\n\nbogus progress\n",
		"trustmgr-journal 2\nid x\nop permit\nplan-bytes 0\n\ndone 0\n",
		"trustmgr-journal 2\nid x\nop permit\nplan-bytes 0\n\nsum 00000000\n",
		"trustmgr-journal 1\nid x\nop permit\nplan-bytes -1\n",
		"trustmgr-journal 1\nid x\nop permit\nplan-bytes 0\n\ndone -3\n",
	};
	const char *dir;
	tm_backend *be = open_store(&dir);
	tm_plan *q = (tm_plan *)1;
	char path[PATH_MAX];
	journal_info info;
	tm_error e;
	size_t i;

	tu_pathf(path, "%s/journal/current", dir);
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		tu_write_file(path, bodies[i], strlen(bodies[i]), 0600);
		expect_damage(be, path, path);
	}
	/* what could be read before the damage is kept for `trustmgr journal` */
	tu_write_file(path, bodies[1], strlen(bodies[1]), 0600);
	ck_assert_int_eq(be->ops->journal_pending(be, &q, &info, &e), -1);
	ck_assert_str_eq(info.id, "x");
	ck_assert_str_eq(info.op, "permit");
	TU_ASSERT_HAS(e.what, "line 4");
	ck_assert_int_eq(be->ops->journal_rollback(be, &e), -1);
	TU_ASSERT_HAS(e.next, "discard --force");
	be->ops->close(be);
}
END_TEST

/* Flip one byte of the journal: its header or a progress line. */
START_TEST(changed_journal_bytes_are_found)
{
	const char *dir;
	tm_backend *be = open_store(&dir);
	tm_plan *p = sample_plan();
	char path[PATH_MAX], *text, *at;
	size_t len;
	tm_error e;

	ck_assert_int_eq(be->ops->journal_begin(be, p, &e), 0);
	ck_assert_int_eq(be->ops->journal_step(be, 0, &e), 0);
	tu_pathf(path, "%s/journal/current", dir);
	text = tu_slurp(path, &len);
	/* in the recorded plan: still a plan, but the header's checksum differs */
	at = strstr(text, "domain=CORP");
	ck_assert_ptr_nonnull(at);
	at[7] = 'D';
	tu_write_file(path, text, len, 0600);
	expect_damage(be, "does not match its checksum", path);
	at[7] = 'C';
	/* in a progress line: "done 0" becomes "done 1" */
	at = strstr(text, "\ndone 0 ");
	ck_assert_ptr_nonnull(at);
	at[6] = '1';
	tu_write_file(path, text, len, 0600);
	expect_damage(be, "progress line does not match", path);
	at[6] = '0';
	tu_write_file(path, text, len, 0600);
	ck_assert_msg(be->ops->journal_discard(be, &e) == 0, "%s", e.what);
	free(text);
	plan_free(&p);
	be->ops->close(be);
}
END_TEST

/* Every live file of the two domains, to show nothing was written. */
typedef struct snap {
	char path[6][PATH_MAX];
	char *data[6];
	size_t len[6];
} snap;

static void snap_take(snap *s, const char *dir)
{
	static const char *const files[] = { "domain.ldif", "krb5.keytab", "health" };
	size_t i;

	for (i = 0; i < 6; i++) {
		tu_pathf(s->path[i], "%s/domains/%s/%s", dir, i < 3 ? "CORP" : "PART", files[i % 3]);
		s->data[i] = file_or_null(s->path[i], &s->len[i]);
	}
}

static void snap_same(const snap *s)
{
	size_t i;

	for (i = 0; i < 6; i++)
		same_file(s->path[i], s->data[i], s->len[i]);
}

static void snap_free(snap *s)
{
	size_t i;

	for (i = 0; i < 6; i++)
		free(s->data[i]);
}

/* One kind of damage to one before-image: pending and rollback refuse,
 * name the image, write nothing, keep the journal; the repaired image
 * lets rollback through. */
static void damage_image(const char *file, void (*harm)(const char *path))
{
	const char *dir;
	tm_backend *be = open_store(&dir);
	tm_plan *p = sample_plan();
	char img[PATH_MAX], jpath[PATH_MAX], *good, *sum;
	size_t len, sumlen;
	tm_error e;
	snap before, after;

	snap_take(&before, dir);
	ck_assert_int_eq(be->ops->journal_begin(be, p, &e), 0);
	ck_assert_int_eq(be->ops->journal_step(be, 0, &e), 0);
	tu_pathf(jpath, "%s/domains/CORP/health", dir);
	tu_write_file(jpath, "changed\t1\t2\n", 12, 0600);   /* a change to roll back */
	snap_take(&after, dir);
	tu_pathf(img, "%s/journal/before/CORP.%s", dir, file);
	good = tu_slurp(img, &len);
	tu_pathf(jpath, "%s.sum", img);
	sum = tu_slurp(jpath, &sumlen);
	harm(img);
	tu_pathf(jpath, "%s/journal/current", dir);
	expect_damage(be, img, jpath);
	ck_assert_int_eq(be->ops->journal_rollback(be, &e), -1);
	TU_ASSERT_HAS(e.what, img);
	TU_ASSERT_HAS(e.next, "Nothing was changed");
	snap_same(&after);
	ck_assert_int_eq(access(jpath, F_OK), 0);          /* the journal is kept */
	unlink(img);                                       /* restored from a backup */
	tu_write_file(img, good, len, 0600);
	tu_pathf(jpath, "%s.sum", img);
	tu_write_file(jpath, sum, sumlen, 0600);
	ck_assert_msg(be->ops->journal_rollback(be, &e) == 0, "%s", e.what);
	snap_same(&before);
	snap_free(&before);
	snap_free(&after);
	free(good);
	free(sum);
	plan_free(&p);
	be->ops->close(be);
}

static void harm_truncate(const char *path)
{
	ck_assert_int_eq(truncate(path, 30), 0);
}

static void harm_flip(const char *path)
{
	size_t len;
	char *d = tu_slurp(path, &len);

	d[len / 2] ^= 0x04;
	tu_write_file(path, d, len, 0600);
	free(d);
}

static void harm_sum_gone(const char *path)
{
	char sum[PATH_MAX];

	tu_pathf(sum, "%s.sum", path);
	ck_assert_int_eq(unlink(sum), 0);
}

static void harm_sum_garbled(const char *path)
{
	char sum[PATH_MAX];

	tu_pathf(sum, "%s.sum", path);
	tu_put_file(sum, "trustmgr-sum 1 bytes twelve\n", 0600);
}

static void harm_image_gone(const char *path)
{
	ck_assert_int_eq(unlink(path), 0);
}

static void harm_fifo(const char *path)
{
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
}

/* The same content with a matching sum record, but no longer a keytab or
 * an LDIF file: the content check finds it. */
static void harm_resummed_garbage(const char *path)
{
	char sum[PATH_MAX], line[CKSUM_LINE_MAX];
	static const char junk[] = "dn: dc=corp\nthis is not what was saved\n";

	tu_write_file(path, junk, sizeof(junk) - 1, 0600);
	tu_pathf(sum, "%s.sum", path);
	tu_write_file(sum, line, cksum_format(line, junk, sizeof(junk) - 1), 0600);
}

START_TEST(damaged_images_stop_rollback_before_any_change)
{
	static const char *const files[] = { "domain.ldif", "krb5.keytab" };
	void (*const harms[])(const char *) = { harm_truncate, harm_flip, harm_sum_gone,
						harm_sum_garbled, harm_image_gone, harm_fifo,
						harm_resummed_garbage };

	damage_image(files[_i / 7], harms[_i % 7]);
}
END_TEST

/* ---- the way out ---------------------------------------------------------------- */

START_TEST(set_aside_moves_a_damaged_journal_and_keeps_it)
{
	const char *dir;
	tm_backend *be = open_store(&dir);
	tm_plan *p = sample_plan(), *q = NULL;
	char path[PATH_MAX], where[PATH_MAX], *kept;
	journal_info info;
	size_t len;
	tm_error e;

	ck_assert_int_eq(be->ops->journal_begin(be, p, &e), 0);
	ck_assert_int_eq(be->ops->journal_step(be, 0, &e), 0);
	be->ops->close(be);
	be = store_open(dir, &e);
	tu_pathf(path, "%s/journal/current", dir);
	tu_put_file(path, "garbage\n", 0600);
	ck_assert_int_eq(be->ops->journal_pending(be, &q, &info, &e), -1);
	ck_assert_msg(be->ops->journal_set_aside(be, where, sizeof(where), &e) == 0, "%s", e.what);
	ck_assert_int_eq(strncmp(where, dir, strlen(dir)), 0);
	TU_ASSERT_HAS(where, "/journal.discarded.");
	ck_assert_int_eq(tu_mode_of(where), 0700);
	tu_pathf(path, "%s/current", where);
	kept = tu_slurp(path, &len);
	ck_assert_str_eq(kept, "garbage\n");
	free(kept);
	tu_pathf(path, "%s/before", where);
	ck_assert_int_eq(count_files(path), 6);
	ck_assert_msg(be->ops->journal_pending(be, &q, &info, &e) == 0, "%s", e.what);
	ck_assert_ptr_null(q);
	/* the store works again: a new plan begins */
	ck_assert_msg(be->ops->journal_begin(be, p, &e) == 0, "%s", e.what);
	ck_assert_int_eq(be->ops->journal_end(be, 1, &e), 0);
	/* nothing left to move */
	ck_assert_int_eq(be->ops->journal_set_aside(be, where, sizeof(where), &e), 0);
	ck_assert_str_eq(where, "");
	plan_free(&p);
	be->ops->close(be);
}
END_TEST

/* A journal of format 1 (no checksums, images without sum records), as an
 * earlier trustmgr left it, is still resumed and rolled back. */
START_TEST(format_1_journal_is_still_read)
{
	const char *dir;
	tm_backend *be = open_store(&dir);
	tm_plan *p = sample_plan(), *q = NULL;
	char path[PATH_MAX], sum[PATH_MAX], *text, *out, *s;
	journal_info info;
	size_t len, k = 0;
	tm_error e;
	snap before;
	DIR *d;
	struct dirent *de;

	snap_take(&before, dir);
	ck_assert_int_eq(be->ops->journal_begin(be, p, &e), 0);
	ck_assert_int_eq(be->ops->journal_step(be, 0, &e), 0);
	tu_pathf(path, "%s/journal/current", dir);
	text = tu_slurp(path, &len);
	out = malloc(len + 1);
	/* format 1: magic 1, no sum line, progress lines without checksums */
	s = strstr(text, "\nsum ");
	memcpy(out, "trustmgr-journal 1", 18);
	k = 18;
	memcpy(out + k, text + 18, (size_t)(s + 1 - (text + 18)));
	k += (size_t)(s + 1 - (text + 18));
	memcpy(out + k, "done 0\n", 7);
	k += 7;
	tu_write_file(path, out, k, 0600);
	tu_pathf(path, "%s/journal/before", dir);
	d = opendir(path);
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, ".sum")) {
			tu_pathf(sum, "%s/%s", path, de->d_name);
			ck_assert_int_eq(unlink(sum), 0);
		}
	closedir(d);
	ck_assert_msg(be->ops->journal_pending(be, &q, &info, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(info.done, 1);
	plan_free(&q);
	tu_pathf(path, "%s/domains/CORP/health", dir);
	tu_put_file(path, "changed\t1\t2\n", 0600);
	ck_assert_msg(be->ops->journal_rollback(be, &e) == 0, "%s", e.what);
	snap_same(&before);
	snap_free(&before);
	free(text);
	free(out);
	plan_free(&p);
	be->ops->close(be);
}
END_TEST

/* The reader the fuzzer drives: what it reads of a journal text. */
START_TEST(parse_reads_text_and_keeps_partial_info)
{
	static const char partial[] = "trustmgr-journal 2\nid 17-42\nstarted 17\npid 42\nop reset\n"
				      "image\tA\tbogus\tsaved\n";
	journal_info info;
	tm_plan *p = (tm_plan *)1;
	tm_error e;

	ck_assert_int_eq(store_journal_parse(partial, sizeof(partial) - 1, "J", &info, &p, &e), -1);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(info.id, "17-42");
	ck_assert_str_eq(info.op, "reset");
	ck_assert_int_eq(info.pid, 42);
	ck_assert_int_eq(info.started, 17);
	TU_ASSERT_HAS(e.what, "J, is damaged at line 6");
	ck_assert_int_eq(store_journal_parse("", 0, "J", &info, &p, &e), -1);
	ck_assert_ptr_null(p);
}
END_TEST

/* ---- the real-domain journal's before-images -------------------------------- */

/* directory_journal.c works through any backend's ops table: the embedded
 * store stands in for the real domains, a second folder is the state
 * folder. A plan that writes CORP's TDO for PART and a trust key, neither
 * of which exists yet (a rollback deletes them). */
static tm_plan *dir_plan(void)
{
	tm_plan *p = plan_new("reset", "CORP", "PART");
	plan_step *s;

	s = plan_add(p, STEP_TDO_PUT, "CORP", "store the TDO for part.example");
	snprintf(s->partner, sizeof(s->partner), "part.example");
	s = plan_add(p, STEP_KEY_SET, "CORP", "set the key");
	snprintf(s->principal, sizeof(s->principal), "krbtgt/NEW.EXAMPLE@CORP.EXAMPLE");
	return p;
}

/* Damage one of CORP's image files in the state folder: the check and the
 * rollback refuse naming it and change nothing; repaired, both pass. */
static void dir_damage(const char *file, void (*harm)(const char *path))
{
	const char *dir, *state = tu_tmpdir();
	tm_backend *be = open_store(&dir);
	tm_plan *p = dir_plan();
	char path[PATH_MAX], sum[PATH_MAX], *good, *goodsum;
	size_t len, sumlen;
	tm_error e;
	snap before;

	ck_assert_msg(directory_journal_capture(be, state, p, &e) == 0, "%s", e.what);
	ck_assert_msg(directory_journal_check(state, &e) == 0, "%s", e.what);
	tu_pathf(path, "%s/journal/directory/CORP.%s", state, file);
	tu_pathf(sum, "%s.sum", path);
	good = tu_slurp(path, &len);
	goodsum = tu_slurp(sum, &sumlen);
	TU_ASSERT_HAS(goodsum, "trustmgr-sum 1 bytes ");
	snap_take(&before, dir);
	harm(path);
	ck_assert_int_eq(directory_journal_check(state, &e), -1);
	ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
	TU_ASSERT_HAS(e.what, path);
	TU_ASSERT_HAS(e.next, "discard --force");
	ck_assert_int_eq(directory_journal_restore(be, state, p, 2, &e), -1);
	TU_ASSERT_HAS(e.what, path);
	snap_same(&before);
	unlink(path);
	tu_write_file(path, good, len, 0600);
	tu_write_file(sum, goodsum, sumlen, 0600);
	ck_assert_msg(directory_journal_check(state, &e) == 0, "%s", e.what);
	ck_assert_msg(directory_journal_restore(be, state, p, 2, &e) == 0, "%s", e.what);
	ck_assert_int_eq(directory_journal_forget(state, &e), 0);
	tu_pathf(path, "%s/journal/directory", state);
	ck_assert_int_eq(count_files(path), 0);
	snap_free(&before);
	free(good);
	free(goodsum);
	plan_free(&p);
	be->ops->close(be);
}

START_TEST(directory_images_are_checked)
{
	static const char *const files[] = { "ldif", "state" };
	void (*const harms[])(const char *) = { harm_truncate, harm_flip, harm_sum_gone,
						harm_image_gone, harm_fifo };

	dir_damage(files[_i / 5], harms[_i % 5]);
}
END_TEST

/* A state file of format 1 (no sum records, as an earlier trustmgr wrote)
 * is still read; its lines are checked all the same. */
START_TEST(directory_images_of_format_1)
{
	const char *dir, *state = tu_tmpdir();
	tm_backend *be = open_store(&dir);
	tm_plan *p = dir_plan();
	char path[PATH_MAX], *text;
	size_t len;
	tm_error e;

	ck_assert_msg(directory_journal_capture(be, state, p, &e) == 0, "%s", e.what);
	tu_pathf(path, "%s/journal/directory/CORP.state", state);
	text = tu_slurp(path, &len);
	text[strlen("trustmgr-before ")] = '1';
	tu_write_file(path, text, len, 0600);
	tu_pathf(path, "%s/journal/directory/CORP.state.sum", state);
	ck_assert_int_eq(unlink(path), 0);
	tu_pathf(path, "%s/journal/directory/CORP.ldif.sum", state);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_msg(directory_journal_check(state, &e) == 0, "%s", e.what);
	tu_pathf(path, "%s/journal/directory/CORP.state", state);
	tu_put_file(path, "trustmgr-before 1\nkey\tx\tpresent\tseven\t24\n", 0600);
	ck_assert_int_eq(directory_journal_check(state, &e), -1);
	TU_ASSERT_HAS(e.what, "is damaged at line 2");
	ck_assert_int_eq(directory_journal_check_state("trustmgr-before 2\ntdo\ta\tmaybe\n", 29,
						       "S", &e), -1);
	ck_assert_int_eq(directory_journal_check_state("trustmgr-before 2\nkey\tk\tabsent\t1\t2\t"
						       "3,2,\n", 37, "S", &e), -1);
	ck_assert_int_eq(directory_journal_check_state("trustmgr-before 2\nkey\tk\tabsent\t1\t2\t"
						       "3,2\n", 36, "S", &e), 0);
	free(text);
	plan_free(&p);
	be->ops->close(be);
}
END_TEST

START_TEST(step_and_end_need_a_begun_plan)
{
	const char *dir;
	tm_backend *be = open_store(&dir);
	tm_error e;

	ck_assert_int_eq(be->ops->journal_step(be, 0, &e), -1);
	ck_assert_int_eq(e.cls, TM_EBACKEND);
	ck_assert_int_eq(be->ops->journal_end(be, 1, &e), -1);
	be->ops->close(be);
}
END_TEST

static Suite *journal_suite(void)
{
	Suite *s = suite_create("store_journal");
	TCase *tc = tcase_create("journal");

	tcase_add_checked_fixture(tc, NULL, tu_cleanup);   /* each test's folders */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, begin_takes_images_and_writes_no_secret);
	tcase_add_test(tc, pending_after_two_steps);
	tcase_add_test(tc, crash_then_pending_then_rollback_restores_bytes);
	tcase_add_test(tc, torn_and_out_of_order_progress);
	tcase_add_test(tc, damaged_journal_is_reported);
	tcase_add_test(tc, changed_journal_bytes_are_found);
	tcase_add_loop_test(tc, damaged_images_stop_rollback_before_any_change, 0, 14);
	tcase_add_test(tc, set_aside_moves_a_damaged_journal_and_keeps_it);
	tcase_add_test(tc, format_1_journal_is_still_read);
	tcase_add_test(tc, parse_reads_text_and_keeps_partial_info);
	tcase_add_loop_test(tc, directory_images_are_checked, 0, 10);
	tcase_add_test(tc, directory_images_of_format_1);
	tcase_add_test(tc, step_and_end_need_a_begun_plan);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(journal_suite());
}
