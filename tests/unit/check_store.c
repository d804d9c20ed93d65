/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_store.c - the embedded store through its ops table: folders, the
 * lock between processes, domains, TDOs, accounts, keys, prove (the one
 * chance), verify outcomes and health. */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/store/store.h"
#include "backend/store/store_internal.h"   /* the store itself: store_domain_file */
#include "tests/unit/testutil.h"
#include "model/tdo.h"
#include "model/domain.h"

#define PRINC_AB "krbtgt/CORP.EXAMPLE@PARTNER.EXAMPLE"   /* corp trusts partner */

static store *st_of(tm_backend *be)
{
	return be->priv;
}

static tm_domain ad_domain(const char *key, const char *dns, const char *nb, const char *sid)
{
	tm_domain d;
	tm_error e;

	domain_init(&d);
	snprintf(d.name, sizeof(d.name), "%s", key);
	snprintf(d.dns, sizeof(d.dns), "%s", dns);
	snprintf(d.netbios, sizeof(d.netbios), "%s", nb);
	name_upper(d.realm, dns, sizeof(d.realm));
	d.has_sid = 1;
	ck_assert_int_eq(sid_parse(sid, &d.sid, &e), 0);
	d.level = LEVEL_2016;
	return d;
}

static tm_domain D_CORP, D_PART;

static tm_backend *open_with_domains(const char **dir_out)
{
	tm_backend *be = tu_store_open(dir_out, 0);

	D_CORP = ad_domain("corp", "corp.example", "CORP", "S-1-5-21-1-2-3");
	D_PART = ad_domain("partner", "partner.example", "PARTNER", "S-1-5-21-4-5-6");
	tu_store_add(be, &D_CORP);
	tu_store_add(be, &D_PART);
	return be;
}

static tm_tdo make_tdo(const tm_domain *partner, uint32_t dir)
{
	tm_tdo t;

	tdo_init(&t);
	snprintf(t.partner, sizeof(t.partner), "%s", partner->dns);
	snprintf(t.flat, sizeof(t.flat), "%s", partner->netbios);
	t.has_sid = 1;
	t.sid = partner->sid;
	t.direction = dir;
	t.type = TRUST_TYPE_UPLEVEL;
	return t;
}

/* ---- folders ------------------------------------------------------------- */

START_TEST(open_creates_private_folders)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX], sub[PATH_MAX];
	tm_backend *be;
	tm_error e;

	tu_pathf(path, "%s/deep/store/", dir);
	be = store_open(path, &e);
	ck_assert_ptr_nonnull(be);
	ck_assert_str_eq(be->ops->name, "embedded");
	be->ops->close(be);
	tu_pathf(path, "%s/deep/store", dir);
	ck_assert_uint_eq(tu_mode_of(path), 0700);
	tu_pathf(sub, "%s/domains", path);
	ck_assert_uint_eq(tu_mode_of(sub), 0700);
	ck_assert_int_eq(chmod(sub, 0755), 0);
	tu_pathf(sub, "%s/journal", path);
	ck_assert_uint_eq(tu_mode_of(sub), 0700);
	be = store_open(path, &e);                   /* reopening tightens */
	tu_pathf(sub, "%s/domains", path);
	ck_assert_uint_eq(tu_mode_of(sub), 0700);
	be->ops->close(be);
	tu_pathf(sub, "%s/file", dir);
	fclose(fopen(sub, "w"));
	ck_assert_ptr_null(store_open(sub, &e));
	ck_assert_int_eq(e.cls, TM_EBACKEND);
	ck_assert_ptr_null(store_open("", &e));
}
END_TEST

START_TEST(default_dir_follows_xdg_and_home)
{
	char buf[PATH_MAX];
	tm_error e;

	setenv("XDG_DATA_HOME", "/data/x", 1);
	setenv("HOME", "/home/u", 1);
	ck_assert_int_eq(store_default_dir(buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "/data/x/trustmgr");
	setenv("XDG_DATA_HOME", "relative", 1);          /* ignored (XDG spec) */
	ck_assert_int_eq(store_default_dir(buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "/home/u/.local/share/trustmgr");
	unsetenv("XDG_DATA_HOME");
	ck_assert_int_eq(store_default_dir(buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "/home/u/.local/share/trustmgr");
	ck_assert_int_eq(store_default_dir(buf, 10, &e), -1);
}
END_TEST

START_TEST(domain_file_refuses_escaping_keys)
{
	store s = { .lockfd = -1 };
	char buf[PATH_MAX];
	tm_error e;

	snprintf(s.dir, sizeof(s.dir), "/st");
	ck_assert_int_eq(store_domain_file(&s, "corp", "health", buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "/st/domains/corp/health");
	ck_assert_int_eq(store_domain_file(&s, "corp", NULL, buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "/st/domains/corp");
	ck_assert_int_eq(store_domain_file(&s, "..", "x", buf, sizeof(buf), &e), -1);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	ck_assert_int_eq(store_domain_file(&s, "a/b", "x", buf, sizeof(buf), &e), -1);
	ck_assert_int_eq(store_domain_file(&s, ".hidden", "x", buf, sizeof(buf), &e), -1);
	ck_assert_int_eq(store_domain_file(&s, "", "x", buf, sizeof(buf), &e), -1);
	ck_assert_int_eq(store_domain_file(&s, "a\nb", "x", buf, sizeof(buf), &e), -1);
}
END_TEST

/* ---- domains --------------------------------------------------------------- */

START_TEST(domains_add_list_and_refuse_collisions)
{
	const char *dir;
	tm_backend *be = open_with_domains(&dir);
	tm_domain *v = NULL, x, nt4;
	size_t n = 0;
	char path[PATH_MAX];
	tm_error e;

	ck_assert_int_eq(be->ops->domain_list(be, &v, &n, &e), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0].name, "corp");           /* sorted */
	ck_assert_str_eq(v[1].name, "partner");
	ck_assert_str_eq(v[0].dns, "corp.example");
	ck_assert_str_eq(v[0].realm, "CORP.EXAMPLE");
	ck_assert(sid_equal(&v[1].sid, &D_PART.sid));
	ck_assert_ptr_eq(backend_find_domain(v, n, "PARTNER"), &v[1]);
	ck_assert_ptr_eq(backend_find_domain(v, n, "corp.example"), &v[0]);
	ck_assert_ptr_eq(backend_find_domain(v, n, "S-1-5-21-4-5-6"), &v[1]);
	ck_assert_ptr_eq(backend_find_domain(v, n, "partner"), &v[1]);
	ck_assert_ptr_null(backend_find_domain(v, n, "nobody"));
	free(v);
	tu_pathf(path, "%s/domains/corp", dir);
	ck_assert_uint_eq(tu_mode_of(path), 0700);
	tu_pathf(path, "%s/domains/corp/domain.ldif", dir);
	ck_assert_uint_eq(tu_mode_of(path), 0600);

	x = ad_domain("CORP", "other.example", "OTHER", "S-1-5-21-7-7-7");
	ck_assert_int_eq(be->ops->domain_add(be, &x, &e), -1);
	ck_assert_int_eq(e.cls, TM_EREFUSED);
	ck_assert_str_eq(e.status, ST_DOMAIN_EXISTS);
	x = ad_domain("other", "Corp.Example", "OTHER", "S-1-5-21-7-7-7");
	ck_assert_int_eq(be->ops->domain_add(be, &x, &e), -1);
	ck_assert_str_eq(e.status, ST_DOMAIN_EXISTS);
	x = ad_domain("other", "other.example", "partner", "S-1-5-21-7-7-7");
	ck_assert_int_eq(be->ops->domain_add(be, &x, &e), -1);
	ck_assert_str_eq(e.status, ST_OBJECT_NAME_COLLISION);
	x = ad_domain("other", "other.example", "OTHER", "S-1-5-21-1-2-3");
	ck_assert_int_eq(be->ops->domain_add(be, &x, &e), -1);
	ck_assert_str_eq(e.status, ST_OBJECT_NAME_COLLISION);
	ck_assert_ptr_nonnull(strstr(e.what, "share SIDs"));
	x = ad_domain("bad key", "other.example", "OTHER", "S-1-5-21-7-7-7");
	ck_assert_int_eq(be->ops->domain_add(be, &x, &e), -1);
	ck_assert_int_eq(e.cls, TM_EUSAGE);

	domain_init(&nt4);
	snprintf(nt4.name, sizeof(nt4.name), "legacy");
	nt4.kind = DOMAIN_NT4;
	snprintf(nt4.netbios, sizeof(nt4.netbios), "LEGACY");
	nt4.has_sid = 1;
	ck_assert_int_eq(sid_parse("S-1-5-21-9-9-9", &nt4.sid, &e), 0);
	nt4.nt_service_pack = 4;
	nt4.lm_compat_level = 4;
	ck_assert_msg(be->ops->domain_add(be, &nt4, &e) == 0, "%s", e.what);
	ck_assert_int_eq(be->ops->domain_list(be, &v, &n, &e), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(v[1].kind, DOMAIN_NT4);
	ck_assert_int_eq(v[1].nt_service_pack, 4);
	ck_assert_int_eq(v[1].lm_compat_level, 4);
	free(v);
	be->ops->close(be);
}
END_TEST

START_TEST(damaged_or_misnamed_domain_is_reported)
{
	const char *dir;
	tm_backend *be = open_with_domains(&dir);
	tm_domain *v = NULL;
	char from[PATH_MAX], to[PATH_MAX];
	size_t n = 0;
	tm_error e;

	tu_pathf(from, "%s/domains/partner", dir);
	tu_pathf(to, "%s/domains/renamed", dir);
	ck_assert_int_eq(rename(from, to), 0);
	ck_assert_int_eq(be->ops->domain_list(be, &v, &n, &e), -1);
	ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
	ck_assert_ptr_nonnull(strstr(e.what, "renamed"));
	ck_assert_ptr_null(v);
	ck_assert_int_eq(rename(to, from), 0);
	tu_pathf(to, "%s/domains/partner/domain.ldif", dir);
	ck_assert_int_eq(truncate(to, 40), 0);
	ck_assert_int_eq(be->ops->domain_list(be, &v, &n, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, to));
	ck_assert_str_ne(e.next, "");
	be->ops->close(be);
}
END_TEST

/* A domain's folder that is not what the store wrote: no listing leaves it
 * out without a word, and no add reuses what it holds. */
START_TEST(damaged_domain_folders_are_named)
{
	const char *dir;
	tm_backend *be = open_with_domains(&dir);
	tm_domain *v = NULL, ghost = ad_domain("ghost", "ghost.example", "GHOST", "S-1-5-21-8-8-8");
	tm_keyinfo *k = NULL;
	char path[PATH_MAX], ldif[PATH_MAX];
	size_t n = 0;
	tm_error e;

	/* an empty folder (an add interrupted before its first file) is no domain,
	 * and may be added */
	tu_pathf(path, "%s/domains/ghost", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	tu_pathf(ldif, "%s/domains/ghost/domain.ldif.tmp.999999999", dir);
	tu_put_file(ldif, "half", 0600);
	ck_assert_msg(be->ops->domain_list(be, &v, &n, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(n, 2);
	free(v);
	ck_assert_msg(be->ops->domain_add(be, &ghost, &e) == 0, "%s", e.what);
	/* its domain.ldif deleted, its keytab still there: damage, not unknown */
	ck_assert_msg(be->ops->key_set(be, &ghost, "krbtgt/GHOST.EXAMPLE@CORP.EXAMPLE", "pw", 1, 0,
				       0, &e) == 0, "%s", e.what);
	tu_pathf(ldif, "%s/domains/ghost/domain.ldif", dir);
	ck_assert_int_eq(unlink(ldif), 0);
	ck_assert_int_eq(be->ops->domain_list(be, &v, &n, &e), -1);
	ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
	TU_ASSERT_HAS(e.what, "holds krb5.keytab but no domain.ldif");
	ck_assert_int_eq(be->ops->key_list(be, &ghost, &k, &n, &e), -1);
	ck_assert_int_eq(e.cls, TM_EBACKEND);
	TU_ASSERT_HAS(e.what, "no domain.ldif");
	ck_assert_int_eq(be->ops->domain_add(be, &ghost, &e), -1);     /* never reused */
	TU_ASSERT_HAS(e.what, "no domain.ldif");
	ck_assert_int_eq(access(ldif, F_OK), -1);
	/* a file where the folder belongs */
	tu_pathf(path, "%s/domains/ghost/krb5.keytab", dir);
	ck_assert_int_eq(unlink(path), 0);
	tu_pathf(path, "%s/domains/ghost/domain.ldif.tmp.999999999", dir);
	unlink(path);                  /* (swept already when the lock was first taken) */
	tu_pathf(path, "%s/domains/ghost", dir);
	ck_assert_int_eq(rmdir(path), 0);
	tu_put_file(path, "not a folder", 0600);
	ck_assert_int_eq(be->ops->domain_list(be, &v, &n, &e), -1);
	TU_ASSERT_HAS(e.what, "should be its folder, but it is a regular file");
	ck_assert_int_eq(be->ops->domain_add(be, &ghost, &e), -1);
	ck_assert_int_eq(unlink(path), 0);
	/* a FIFO where domain.ldif belongs: refused at once */
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(mkfifo(ldif, 0600), 0);
	ck_assert_int_eq(be->ops->domain_list(be, &v, &n, &e), -1);
	TU_ASSERT_HAS(e.what, "FIFO");
	TU_ASSERT_HAS(e.what, ldif);
	be->ops->close(be);
}
END_TEST

/* Without read access to a domain's folder the listing names the folder
 * and the user; it never says the domain is unknown. */
START_TEST(unreadable_domain_folder_is_a_permission_problem)
{
	const char *dir;
	tm_backend *be = open_with_domains(&dir);
	tm_domain *v = NULL;
	tm_tdo *t = NULL;
	char path[PATH_MAX];
	size_t n = 0;
	tm_error e;

	if (geteuid() == 0) {               /* root reads it anyway: tests/cli covers it */
		be->ops->close(be);
		return;
	}
	tu_pathf(path, "%s/domains/partner", dir);
	ck_assert_int_eq(chmod(path, 0), 0);
	ck_assert_int_eq(be->ops->domain_list(be, &v, &n, &e), -1);
	TU_ASSERT_HAS(e.what, "permission denied for");
	TU_ASSERT_HAS(e.what, "partner");
	ck_assert_int_eq(be->ops->tdo_list(be, &D_PART, &t, &n, &e), -1);
	TU_ASSERT_HAS(e.what, "permission denied for");
	ck_assert_int_eq(be->ops->domain_add(be, &D_PART, &e), -1);
	ck_assert_int_eq(chmod(path, 0700), 0);
	be->ops->close(be);
}
END_TEST

START_TEST(unknown_domain_is_a_usage_error)
{
	const char *dir;
	tm_backend *be = open_with_domains(&dir);
	tm_domain ghost = ad_domain("ghost", "ghost.example", "GHOST", "S-1-5-21-8-8-8");
	tm_tdo t = make_tdo(&D_PART, TRUST_DIRECTION_OUTBOUND), *v = NULL;
	size_t n;
	tm_error e;

	ck_assert_int_eq(be->ops->tdo_put(be, &ghost, &t, &e), -1);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	ck_assert_str_eq(e.status, ST_NO_SUCH_DOMAIN);
	ck_assert_int_eq(be->ops->tdo_list(be, &ghost, &v, &n, &e), -1);
	ck_assert_int_eq(be->ops->key_set(be, &ghost, PRINC_AB, "pw", 1, 0, 0, &e), -1);
	ck_assert_str_eq(e.status, ST_NO_SUCH_DOMAIN);
	be->ops->close(be);
}
END_TEST

/* ---- TDOs and accounts ------------------------------------------------------ */

START_TEST(tdo_put_replace_and_delete)
{
	const char *dir;
	tm_backend *be = open_with_domains(&dir);
	tm_tdo t = make_tdo(&D_PART, TRUST_DIRECTION_OUTBOUND), *v = NULL;
	size_t n = 0;
	long long created;
	tm_error e;

	ck_assert_int_eq(authblob_set_password(&t.outgoing, "s3cret", 1,
					       authblob_filetime(1700000000), AUTHBLOB_FRESH, &e), 0);
	ck_assert_msg(be->ops->tdo_put(be, &D_CORP, &t, &e) == 0, "%s", e.what);
	ck_assert_int_eq(be->ops->tdo_list(be, &D_CORP, &v, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(v[0].partner, "partner.example");
	ck_assert_uint_eq(v[0].direction, TRUST_DIRECTION_OUTBOUND);
	ck_assert_uint_eq(authblob_kvno(&v[0].outgoing, 0), 1);
	ck_assert(v[0].when_created > 0 && v[0].when_changed >= v[0].when_created);
	created = v[0].when_created;
	tdo_free_array(&v, n);

	snprintf(t.partner, sizeof(t.partner), "PARTNER.EXAMPLE.");    /* same partner */
	t.direction = TRUST_DIRECTION_BIDIRECTIONAL;
	ck_assert_int_eq(be->ops->tdo_put(be, &D_CORP, &t, &e), 0);
	ck_assert_int_eq(be->ops->tdo_list(be, &D_CORP, &v, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(v[0].direction, TRUST_DIRECTION_BIDIRECTIONAL);
	ck_assert_int_eq(v[0].when_created, created);
	tdo_free_array(&v, n);

	ck_assert_int_eq(be->ops->tdo_delete(be, &D_CORP, "nobody.example", &e), 0);
	ck_assert_int_eq(be->ops->tdo_delete(be, &D_CORP, "partner.example", &e), 0);
	ck_assert_int_eq(be->ops->tdo_list(be, &D_CORP, &v, &n, &e), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(v);
	tdo_free(&t);
	be->ops->close(be);
}
END_TEST

START_TEST(accounts_put_list_delete)
{
	const char *dir;
	tm_backend *be = open_with_domains(&dir);
	tm_account a, *v = NULL;
	size_t n = 0;
	tm_error e;

	memset(&a, 0, sizeof(a));
	snprintf(a.name, sizeof(a.name), "CORP$");
	snprintf(a.partner, sizeof(a.partner), "corp.example");
	ck_assert_int_eq(be->ops->account_put(be, &D_PART, &a, &e), 0);
	ck_assert_int_eq(be->ops->account_list(be, &D_PART, &v, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(v[0].name, "CORP$");
	ck_assert_str_eq(v[0].partner, "corp.example");
	ck_assert_int_eq(v[0].locked, 0);
	ck_assert(v[0].created > 0);
	free(v);
	a.locked = 1;
	a.locked_at = 1700000000;
	ck_assert_int_eq(be->ops->account_put(be, &D_PART, &a, &e), 0);
	ck_assert_int_eq(be->ops->account_list(be, &D_PART, &v, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(v[0].locked, 1);
	ck_assert_int_eq(v[0].locked_at, 1700000000);
	free(v);
	ck_assert_int_eq(be->ops->account_delete(be, &D_PART, "corp$", &e), 0);
	ck_assert_int_eq(be->ops->account_delete(be, &D_PART, "corp$", &e), 0);
	ck_assert_int_eq(be->ops->account_list(be, &D_PART, &v, &n, &e), 0);
	ck_assert_uint_eq(n, 0);
	be->ops->close(be);
}
END_TEST

/* ---- the lock ------------------------------------------------------------------ */

/* Child: open the store, take the lock, report, wait for the parent. */
static pid_t hold_lock(const char *dir, int exclusive, int *release_fd)
{
	int ready[2], release[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(release), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		tm_error e;
		tm_backend *be = store_open(dir, &e);

		int rc = 0;

		close(ready[0]);
		close(release[1]);
		c = (be && be->ops->lock(be, exclusive, &e) == 0) ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1 || read(release[0], &c, 1) < 0)
			rc = 3;
		if (be)
			be->ops->close(be);
		_exit(rc);
	}
	close(ready[1]);
	close(release[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert_int_eq(c, 'y');
	close(ready[0]);
	*release_fd = release[1];
	return pid;
}

static void wait_ok(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}

static void release_lock(pid_t pid, int fd)
{
	close(fd);
	wait_ok(pid);
}

START_TEST(lock_names_the_holder)
{
	const char *dir = tu_tmpdir();
	tm_backend *be;
	char want[64];
	tm_error e;
	pid_t pid;
	int fd;

	pid = hold_lock(dir, 1, &fd);
	be = store_open(dir, &e);
	ck_assert_int_eq(be->ops->lock(be, 1, &e), -1);
	ck_assert_int_eq(e.cls, TM_EBACKEND);
	snprintf(want, sizeof(want), "(pid %ld)", (long)pid);
	ck_assert_msg(strstr(e.what, want) != NULL, "%s", e.what);
	ck_assert_ptr_nonnull(strstr(e.what, dir));
	ck_assert_ptr_nonnull(strstr(e.next, "wait for it to finish"));
	ck_assert_int_eq(be->ops->lock(be, 0, &e), -1);             /* readers wait too */
	release_lock(pid, fd);
	ck_assert_msg(be->ops->lock(be, 1, &e) == 0, "%s", e.what);
	ck_assert_int_eq(be->ops->lock(be, 0, &e), 0);               /* already more */
	be->ops->close(be);
}
END_TEST

/* Child forked before the parent opens anything: when told to go, it
 * tries the lock and exits 0 when the lock was refused, 1 when taken. */
static pid_t spawn_try_lock(const char *dir, int exclusive, int *go_fd)
{
	int go[2];
	pid_t pid;

	ck_assert_int_eq(pipe(go), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		tm_backend *c;
		tm_error e;
		char ch;
		int rc;

		close(go[1]);
		if (read(go[0], &ch, 1) != 1)
			_exit(3);
		c = store_open(dir, &e);
		rc = c && c->ops->lock(c, exclusive, &e) == -1 ? 0 : 1;
		if (c)
			c->ops->close(c);
		_exit(rc);
	}
	close(go[0]);
	*go_fd = go[1];
	return pid;
}

START_TEST(shared_lock_and_upgrade)
{
	const char *dir = tu_tmpdir();
	tm_backend *be;
	tm_error e;
	pid_t pid, tryer;
	int fd, go;

	tryer = spawn_try_lock(dir, 0, &go);
	pid = hold_lock(dir, 0, &fd);                     /* a reader */
	be = store_open(dir, &e);
	ck_assert_int_eq(be->ops->lock(be, 0, &e), 0);   /* readers share */
	ck_assert_int_eq(be->ops->lock(be, 1, &e), -1);  /* upgrade refused while read */
	ck_assert_ptr_nonnull(strstr(e.what, "another trustmgr process"));
	ck_assert_int_eq(st_of(be)->lockmode, 1);         /* still reading */
	release_lock(pid, fd);
	ck_assert_msg(be->ops->lock(be, 1, &e) == 0, "%s", e.what);
	ck_assert_int_eq(write(go, "g", 1), 1);          /* we write: a reader must wait */
	close(go);
	wait_ok(tryer);
	be->ops->close(be);
}
END_TEST

/* Put 50 TDOs under the exclusive lock, retrying while the other writer
 * holds it. */
static int writer(const char *dir, const tm_domain *d, int who)
{
	int i;

	for (i = 0; i < 50; i++) {
		tm_tdo t;
		tm_error e;
		tm_backend *be;
		int ok;

		tdo_init(&t);
		snprintf(t.partner, sizeof(t.partner), "p%d-%02d.example", who, i);
		t.direction = TRUST_DIRECTION_INBOUND;
		t.type = TRUST_TYPE_UPLEVEL;
		for (;;) {
			be = store_open(dir, &e);
			if (!be)
				return 1;
			if (be->ops->lock(be, 1, &e) == 0)
				break;
			be->ops->close(be);
			sched_yield();
		}
		ok = be->ops->tdo_put(be, d, &t, &e) == 0;
		be->ops->close(be);
		if (!ok)
			return 2;
	}
	return 0;
}

START_TEST(two_writers_lose_no_update)
{
	const char *dir;
	tm_backend *be = open_with_domains(&dir);
	pid_t pids[2];
	tm_tdo *v = NULL;
	size_t n = 0;
	tm_error e;
	int i, status;

	be->ops->close(be);
	for (i = 0; i < 2; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0)
			_exit(writer(dir, &D_CORP, i));
	}
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert_int_eq(WEXITSTATUS(status), 0);
	}
	be = store_open(dir, &e);
	ck_assert_msg(be->ops->tdo_list(be, &D_CORP, &v, &n, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(n, 100);
	tdo_free_array(&v, n);
	be->ops->close(be);
}
END_TEST

/* ---- keys, prove, verify ---------------------------------------------------------- */

START_TEST(prove_uses_the_one_chance)
{
	const char *dir;
	tm_backend *be = open_with_domains(&dir);
	const char *princ = "krbtgt/CORP.EXAMPLE@PARTNER.EXAMPLE";
	tm_account a, *v = NULL;
	prove_result r;
	size_t n;
	tm_error e;

	memset(&a, 0, sizeof(a));
	snprintf(a.name, sizeof(a.name), "CORP$");
	snprintf(a.partner, sizeof(a.partner), "corp.example");
	ck_assert_int_eq(be->ops->account_put(be, &D_PART, &a, &e), 0);
	ck_assert_int_eq(be->ops->prove(be, &D_PART, princ, "CORP$", "right", &r, &e), 0);
	ck_assert_int_eq(r, PROVE_MISSING);                       /* no key yet */
	ck_assert_msg(be->ops->key_set(be, &D_PART, princ, "right", 1, 0, 0, &e) == 0, "%s",
		      e.what);
	ck_assert_int_eq(be->ops->prove(be, &D_PART, princ, "CORP$", "right", &r, &e), 0);
	ck_assert_int_eq(r, PROVE_OK);
	ck_assert_int_eq(be->ops->prove(be, &D_PART, princ, "CORP$", "wrong", &r, &e), 0);
	ck_assert_int_eq(r, PROVE_WRONG);
	ck_assert_int_eq(be->ops->account_list(be, &D_PART, &v, &n, &e), 0);
	ck_assert_int_eq(v[0].locked, 1);
	ck_assert(v[0].locked_at > 0);
	free(v);
	ck_assert_int_eq(be->ops->prove(be, &D_PART, princ, "CORP$", "right", &r, &e), 0);
	ck_assert_int_eq(r, PROVE_LOCKED);
	/* no account, but the principal: wrong is wrong, without a lockout */
	ck_assert_int_eq(be->ops->prove(be, &D_PART, princ, "OTHER$", "wrong", &r, &e), 0);
	ck_assert_int_eq(r, PROVE_WRONG);
	ck_assert_int_eq(be->ops->prove(be, &D_PART, princ, NULL, "right", &r, &e), 0);
	ck_assert_int_eq(r, PROVE_OK);
	be->ops->close(be);
}
END_TEST

START_TEST(keys_list_and_delete)
{
	const char *dir;
	tm_backend *be = open_with_domains(&dir);
	tm_keyinfo *k = NULL;
	size_t n = 0;
	tm_error e;

	ck_assert_int_eq(be->ops->key_list(be, &D_CORP, &k, &n, &e), 0);
	ck_assert_uint_eq(n, 0);
	free(k);
	ck_assert_int_eq(be->ops->key_set(be, &D_CORP, PRINC_AB, "pw", 3, 0, 1, &e), 0);
	ck_assert_int_eq(be->ops->key_list(be, &D_CORP, &k, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(k[0].kvno, 3);
	free(k);
	ck_assert_int_eq(be->ops->key_delete(be, &D_CORP, PRINC_AB, &e), 0);
	ck_assert_int_eq(be->ops->key_list(be, &D_CORP, &k, &n, &e), 0);
	ck_assert_uint_eq(n, 0);
	free(k);
	be->ops->close(be);
}
END_TEST

static void put(tm_backend *be, const tm_domain *holder, const tm_domain *partner, uint32_t dir,
		uint32_t enctypes)
{
	tm_tdo t = make_tdo(partner, dir);
	tm_error e;

	t.has_enctypes = enctypes != 0;
	t.enctypes = enctypes;
	ck_assert_msg(be->ops->tdo_put(be, holder, &t, &e) == 0, "%s", e.what);
}

static void keys(tm_backend *be, const tm_domain *d, const char *pw, uint32_t kvno,
		 uint32_t bits)
{
	tm_error e;

	ck_assert_msg(be->ops->key_set(be, d, PRINC_AB, pw, kvno, bits, 0, &e) == 0, "%s",
		      e.what);
}

static verify_result verify_ab(tm_backend *be)
{
	verify_result r;
	tm_error e;

	ck_assert_msg(be->ops->verify(be, &D_CORP, &D_PART, &r, &e) == 0, "%s", e.what);
	ck_assert_str_eq(r.trusting, "corp");
	ck_assert_str_eq(r.trusted, "partner");
	return r;
}

START_TEST(verify_outcomes)
{
	const char *dir;
	tm_backend *be = open_with_domains(&dir);
	verify_result r;
	tm_error e;

	r = verify_ab(be);
	ck_assert_int_eq(r.outcome, VERIFY_MISSING_TDO);
	ck_assert_str_eq(r.missing_on, "corp");
	put(be, &D_CORP, &D_PART, TRUST_DIRECTION_INBOUND, 0);     /* wrong direction */
	r = verify_ab(be);
	ck_assert_int_eq(r.outcome, VERIFY_MISSING_TDO);
	ck_assert_str_eq(r.missing_on, "corp");
	put(be, &D_CORP, &D_PART, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	r = verify_ab(be);
	ck_assert_int_eq(r.outcome, VERIFY_MISSING_TDO);
	ck_assert_str_eq(r.missing_on, "partner");
	put(be, &D_PART, &D_CORP, TRUST_DIRECTION_INBOUND, 0);

	r = verify_ab(be);
	ck_assert_int_eq(r.outcome, VERIFY_MISSING_PRINCIPAL);
	keys(be, &D_CORP, "same", 2, 0);
	r = verify_ab(be);
	ck_assert_int_eq(r.outcome, VERIFY_MISSING_PRINCIPAL);
	ck_assert_str_eq(r.missing_on, "partner");                 /* the issuer lacks it */
	ck_assert_int_eq(be->ops->key_delete(be, &D_CORP, PRINC_AB, &e), 0);
	keys(be, &D_PART, "same", 2, 0);
	r = verify_ab(be);
	ck_assert_int_eq(r.outcome, VERIFY_MISSING_PRINCIPAL);
	ck_assert_str_eq(r.missing_on, "corp");

	keys(be, &D_CORP, "same", 2, 0);
	r = verify_ab(be);
	ck_assert_int_eq(r.outcome, VERIFY_OK);
	ck_assert_str_eq(r.principal, PRINC_AB);
	ck_assert_uint_eq(r.issuer_kvno, 2);
	keys(be, &D_CORP, "different", 2, 0);
	r = verify_ab(be);
	ck_assert_int_eq(r.outcome, VERIFY_DECRYPT_INTEGRITY);
	keys(be, &D_CORP, "same", 3, 0);
	r = verify_ab(be);
	ck_assert_int_eq(r.outcome, VERIFY_NO_MATCHING_KVNO);
	keys(be, &D_CORP, "same", 2, ENCTYPE_BIT_RC4);
	put(be, &D_CORP, &D_PART, TRUST_DIRECTION_OUTBOUND, ENCTYPE_BIT_RC4);
	r = verify_ab(be);
	ck_assert_int_eq(r.outcome, VERIFY_NO_COMMON_ENCTYPE);
	be->ops->close(be);
}
END_TEST

/* ---- health --------------------------------------------------------------------- */

START_TEST(health_put_get_and_damage)
{
	const char *dir;
	tm_backend *be = open_with_domains(&dir);
	char path[PATH_MAX];
	long long when, now = (long long)time(NULL);
	tm_health h;
	tm_error e;
	FILE *f;

	ck_assert_int_eq(be->ops->health_get(be, &D_CORP, "partner.example", &h, &when, &e), 0);
	ck_assert_int_eq(h, HEALTH_UNKNOWN);
	ck_assert_int_eq(when, 0);
	ck_assert_int_eq(be->ops->health_put(be, &D_CORP, "partner.example", HEALTH_VERIFIED, &e), 0);
	ck_assert_int_eq(be->ops->health_put(be, &D_CORP, "other.example", HEALTH_PERMITTED, &e), 0);
	ck_assert_int_eq(be->ops->health_put(be, &D_CORP, "PARTNER.example", HEALTH_BROKEN, &e), 0);
	ck_assert_int_eq(be->ops->health_get(be, &D_CORP, "partner.example", &h, &when, &e), 0);
	ck_assert_int_eq(h, HEALTH_BROKEN);
	ck_assert(when >= now && when <= now + 5);
	ck_assert_int_eq(be->ops->health_get(be, &D_CORP, "other.example", &h, &when, &e), 0);
	ck_assert_int_eq(h, HEALTH_PERMITTED);
	tu_pathf(path, "%s/domains/corp/health", dir);
	ck_assert_uint_eq(tu_mode_of(path), 0600);
	ck_assert_int_eq(be->ops->health_put(be, &D_CORP, "bad\tname", HEALTH_BROKEN, &e), -1);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	f = fopen(path, "a");
	fputs("nonsense\n", f);
	fclose(f);
	ck_assert_int_eq(be->ops->health_get(be, &D_CORP, "other.example", &h, &when, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, path));
	/* format 2: the announcement, 2 lines, the checksum line, the last line */
	ck_assert_ptr_nonnull(strstr(e.what, "line 6: the file goes on after its last line"));
	ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
	be->ops->close(be);
}
END_TEST

static Suite *store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_add_checked_fixture(tc, NULL, tu_cleanup);   /* each test's folders */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, open_creates_private_folders);
	tcase_add_test(tc, default_dir_follows_xdg_and_home);
	tcase_add_test(tc, domain_file_refuses_escaping_keys);
	tcase_add_test(tc, domains_add_list_and_refuse_collisions);
	tcase_add_test(tc, damaged_or_misnamed_domain_is_reported);
	tcase_add_test(tc, damaged_domain_folders_are_named);
	tcase_add_test(tc, unreadable_domain_folder_is_a_permission_problem);
	tcase_add_test(tc, unknown_domain_is_a_usage_error);
	tcase_add_test(tc, tdo_put_replace_and_delete);
	tcase_add_test(tc, accounts_put_list_delete);
	tcase_add_test(tc, lock_names_the_holder);
	tcase_add_test(tc, shared_lock_and_upgrade);
	tcase_add_test(tc, two_writers_lose_no_update);
	tcase_add_test(tc, prove_uses_the_one_chance);
	tcase_add_test(tc, keys_list_and_delete);
	tcase_add_test(tc, verify_outcomes);
	tcase_add_test(tc, health_put_get_and_damage);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(store_suite());
}
