/* check_journal.c - the journal of a running plan: before-images, durable
 * progress, pending plans after a crash, rollback to the exact bytes. */
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

#include "backend/store/store.h"
#include "backend/store/store_internal.h"
#include "tests/unit/testutil.h"

static const char LDIF_BYTES[] = "dn: dc=corp,dc=example\nanything at all\n";
static const unsigned char KEYTAB_BYTES[] = { 0x05, 0x02, 0x00, 0x00, 0x00, 0x10, 0xff, 0x00 };

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

static void write_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* The whole file, or NULL when it does not exist. */
static char *slurp(const char *path, size_t *len)
{
	char *data = NULL;
	tm_error e;
	int rc = store_fs_read(path, &data, len, &e);

	ck_assert_int_ne(rc, -1);
	return data;
}

static void domain_files(const char *store_dir, const char *dom, int with_keytab)
{
	char path[PATH_MAX];

	pathf(path, "%s/domains/%s", store_dir, dom);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	pathf(path, "%s/domains/%s/domain.ldif", store_dir, dom);
	write_bytes(path, LDIF_BYTES, sizeof(LDIF_BYTES) - 1);
	if (with_keytab) {
		pathf(path, "%s/domains/%s/krb5.keytab", store_dir, dom);
		write_bytes(path, KEYTAB_BYTES, sizeof(KEYTAB_BYTES));
	}
}

/* A store with domains CORP (ldif + keytab) and PART (ldif only). */
static tm_backend *open_store(const char **dir_out)
{
	const char *dir = tu_tmpdir();
	tm_backend *be;
	tm_error e;

	be = store_open(dir, &e);
	ck_assert_msg(be != NULL, "%s", e.what);
	domain_files(dir, "CORP", 1);
	domain_files(dir, "PART", 0);
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

START_TEST(begin_takes_images_and_writes_no_secret)
{
	const char *dir;
	tm_backend *be = open_store(&dir);
	tm_plan *p = sample_plan();
	char path[PATH_MAX], *j, *img;
	size_t len;
	tm_error e;

	ck_assert_msg(be->ops->journal_begin(be, p, &e) == 0, "%s", e.what);
	pathf(path, "%s/journal/current", dir);
	j = slurp(path, &len);
	ck_assert_ptr_nonnull(j);
	ck_assert_ptr_null(strstr(j, "TOPSECRET"));
	ck_assert_ptr_nonnull(strstr(j, "op permit\n"));
	ck_assert_ptr_nonnull(strstr(j, "image\tCORP\tdomain.ldif\tsaved\n"));
	ck_assert_ptr_nonnull(strstr(j, "image\tCORP\tkrb5.keytab\tsaved\n"));
	ck_assert_ptr_nonnull(strstr(j, "image\tCORP\thealth\tmissing\n"));
	ck_assert_ptr_nonnull(strstr(j, "image\tPART\tkrb5.keytab\tmissing\n"));
	ck_assert_ptr_null(strstr(j, "image\tOTHER"));          /* VERIFY changes nothing */
	/* ... but the executor records health for the verified domains */
	ck_assert_ptr_nonnull(strstr(j, "image\tTHIRD\thealth\tmissing\n"));
	free(j);
	pathf(path, "%s/journal/before/CORP.krb5.keytab", dir);
	img = slurp(path, &len);
	ck_assert_uint_eq(len, sizeof(KEYTAB_BYTES));
	ck_assert_int_eq(memcmp(img, KEYTAB_BYTES, len), 0);
	free(img);
	pathf(path, "%s/journal/before", dir);
	ck_assert_int_eq(count_files(path), 3);      /* CORP ldif+keytab, PART ldif */
	ck_assert_int_eq(be->ops->journal_step(be, 0, &e), 0);
	ck_assert_int_eq(be->ops->journal_end(be, 1, &e), 0);
	pathf(path, "%s/journal/current", dir);
	ck_assert_int_eq(access(path, F_OK), -1);
	pathf(path, "%s/journal/before", dir);
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
	char ldif[PATH_MAX], kt[PATH_MAX], health[PATH_MAX], *data;
	journal_info info;
	size_t len;
	tm_error e;
	pid_t pid;
	int status;

	be->ops->close(be);
	pathf(ldif, "%s/domains/CORP/domain.ldif", dir);
	pathf(kt, "%s/domains/CORP/krb5.keytab", dir);
	pathf(health, "%s/domains/CORP/health", dir);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		tm_backend *c = store_open(dir, &e);
		int rc = 0;

		if (!c || c->ops->journal_begin(c, p, &e) != 0)
			rc = 1;
		if (rc == 0) {
			write_bytes(ldif, "changed\n", 8);
			unlink(kt);
			write_bytes(health, "x\t1\t2\n", 6);
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
	ck_assert_int_eq(be->ops->journal_pending(be, &q, &info, &e), 0);
	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq(info.done, 2);
	ck_assert_int_eq(info.pid, (long)pid);
	plan_free(&q);
	/* a new plan may not start over the interrupted one */
	ck_assert_int_eq(be->ops->journal_begin(be, p, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "interrupted plan"));
	ck_assert_ptr_nonnull(strstr(e.next, "trustmgr rollback"));
	ck_assert_msg(be->ops->journal_rollback(be, &e) == 0, "%s", e.what);
	data = slurp(ldif, &len);
	ck_assert_uint_eq(len, sizeof(LDIF_BYTES) - 1);
	ck_assert_int_eq(memcmp(data, LDIF_BYTES, len), 0);
	free(data);
	data = slurp(kt, &len);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(len, sizeof(KEYTAB_BYTES));
	ck_assert_int_eq(memcmp(data, KEYTAB_BYTES, len), 0);
	free(data);
	ck_assert_int_eq(access(health, F_OK), -1);      /* was missing: removed */
	ck_assert_int_eq(be->ops->journal_pending(be, &q, &info, &e), 0);
	ck_assert_ptr_null(q);
	ck_assert_int_eq(be->ops->journal_rollback(be, &e), -1);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
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
	pathf(path, "%s/journal/current", dir);
	ck_assert_int_eq(store_fs_append(path, "done 2\ndone 1", 13, &e), 0);  /* torn last line */
	ck_assert_int_eq(be->ops->journal_pending(be, &q, &info, &e), 0);
	ck_assert_uint_eq(info.done, 1);                     /* 1 is torn, 2 is not next */
	plan_free(&q);
	ck_assert_int_eq(store_fs_append(path, "\n", 1, &e), 0);
	ck_assert_int_eq(be->ops->journal_pending(be, &q, &info, &e), 0);
	ck_assert_uint_eq(info.done, 3);
	plan_free(&q);
	ck_assert_int_eq(be->ops->journal_discard(be, &e), 0);
	ck_assert_int_eq(access(path, F_OK), -1);
	pathf(path, "%s/journal/before", dir);
	ck_assert_int_eq(count_files(path), 0);
	ck_assert_int_eq(be->ops->journal_discard(be, &e), 0);    /* nothing: fine */
	plan_free(&p);
	be->ops->close(be);
}
END_TEST

START_TEST(damaged_journal_is_reported)
{
	static const char *const bodies[] = {
		"garbage\n",
		"trustmgr-journal 1\nid x\nop permit\nwhat is this\n",
		"trustmgr-journal 1\nid x\nop permit\nplan-bytes 5000\nplan\n",
		"trustmgr-journal 1\nid x\nop permit\nplan-bytes 6\nnoplan\nX\n",
		"trustmgr-journal 1\nid x\nop permit\nplan-bytes 0\n\nbogus progress\n",
	};
	const char *dir;
	tm_backend *be = open_store(&dir);
	tm_plan *q = (tm_plan *)1;
	char path[PATH_MAX];
	journal_info info;
	tm_error e;
	size_t i;

	pathf(path, "%s/journal/current", dir);
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		write_bytes(path, bodies[i], strlen(bodies[i]));
		error_clear(&e);
		ck_assert_int_eq(be->ops->journal_pending(be, &q, &info, &e), -1);
		ck_assert_ptr_null(q);
		ck_assert_int_eq(e.cls, TM_EBACKEND);
		ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
		ck_assert_msg(strstr(e.what, path) != NULL, "%zu: %s", i, e.what);
		ck_assert_ptr_nonnull(strstr(e.next, "trustmgr rollback"));
		ck_assert_ptr_nonnull(strstr(e.next, path));
	}
	write_bytes(path, bodies[0], strlen(bodies[0]));
	ck_assert_int_eq(be->ops->journal_rollback(be, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.next, "remove"));
	ck_assert_int_eq(be->ops->journal_discard(be, &e), 0);
	be->ops->close(be);
}
END_TEST

START_TEST(missing_image_stops_rollback_before_any_change)
{
	const char *dir;
	tm_backend *be = open_store(&dir);
	tm_plan *p = sample_plan();
	char path[PATH_MAX], ldif[PATH_MAX], *data;
	size_t len;
	tm_error e;

	ck_assert_int_eq(be->ops->journal_begin(be, p, &e), 0);
	pathf(ldif, "%s/domains/CORP/domain.ldif", dir);
	write_bytes(ldif, "changed\n", 8);
	pathf(path, "%s/journal/before/PART.domain.ldif", dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(be->ops->journal_rollback(be, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, path));
	data = slurp(ldif, &len);
	ck_assert_str_eq(data, "changed\n");               /* nothing restored */
	free(data);
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
	tcase_add_test(tc, begin_takes_images_and_writes_no_secret);
	tcase_add_test(tc, pending_after_two_steps);
	tcase_add_test(tc, crash_then_pending_then_rollback_restores_bytes);
	tcase_add_test(tc, torn_and_out_of_order_progress);
	tcase_add_test(tc, damaged_journal_is_reported);
	tcase_add_test(tc, missing_image_stops_rollback_before_any_change);
	tcase_add_test(tc, step_and_end_need_a_begun_plan);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(journal_suite());
}
