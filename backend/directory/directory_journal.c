/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* directory_journal.c - before-images of real domains and the rollback that
 * puts them back (see directory_journal.h for the files and the rules). */
#include "backend/directory/directory_journal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/authblob.h"
#include "model/keys.h"
#include "model/name.h"
#include "model/secret.h"
#include "backend/store/store_fs.h"
#include "backend/store/store_image.h"
#include "backend/store/store_ldif.h"
#include "model/tdo.h"

#define DIRJ_MAGIC_V1 "trustmgr-before 1"    /* written without sum records */
#define DIRJ_MAGIC "trustmgr-before 2"
#define DIRJ_MAX_ITEMS (PLAN_MAX_STEPS * 2)

/* What one domain's before-image holds besides its TDOs. */
typedef struct dirj_tdo_item {
	char partner[NAME_DNS_MAX];
	int present;
} dirj_tdo_item;

typedef struct dirj_key_item {
	char principal[600];
	int present;
	tm_keyinfo info;
} dirj_key_item;

typedef struct dirj_image {
	tm_domain dom;
	dirj_tdo_item tdo[DIRJ_MAX_ITEMS];
	size_t ntdo;
	dirj_key_item key[DIRJ_MAX_ITEMS];
	size_t nkey;
	stldif_domain ldif;          /* the TDOs that existed (secrets) */
} dirj_image;

/* ---- paths ---------------------------------------------------------------- */

static int directory_journal_dir(const char *state_dir, char *buf, size_t n, tm_error *e)
{
	if ((size_t)snprintf(buf, n, "%s/journal/directory", state_dir) >= n)
		return error_fail(e, TM_EBACKEND, NULL, "state_dir %s is too long", state_dir);
	return 0;
}

static int directory_journal_file(const char *state_dir, const char *domain, const char *ext, char *buf,
		     size_t n, tm_error *e)
{
	if ((size_t)snprintf(buf, n, "%s/journal/directory/%s.%s", state_dir, domain, ext) >= n)
		return error_fail(e, TM_EBACKEND, NULL, "state_dir %s is too long", state_dir);
	return 0;
}

/* ---- what a plan touches ---------------------------------------------------- */

static int directory_journal_changes(const plan_step *s)
{
	return s->kind != STEP_PROVE && s->kind != STEP_VERIFY && s->kind != STEP_HEALTH;
}

/* The partner realm of a trust principal seen from domain d. */
static void directory_journal_key_partner(const tm_domain *d, const char *principal, char *out, size_t n)
{
	char x[NAME_DNS_MAX], y[NAME_DNS_MAX];

	out[0] = '\0';
	if (keys_split_trust_principal(principal, x, y, sizeof(x)))
		snprintf(out, n, "%s", name_equal(x, d->realm) ? y : x);
}

static void directory_journal_add_partner(dirj_image *im, const char *partner)
{
	size_t i;

	if (!partner[0] || im->ntdo >= DIRJ_MAX_ITEMS)
		return;
	for (i = 0; i < im->ntdo; i++)
		if (name_equal(im->tdo[i].partner, partner))
			return;
	snprintf(im->tdo[im->ntdo++].partner, sizeof(im->tdo[0].partner), "%s", partner);
}

static void directory_journal_add_key(dirj_image *im, const char *principal)
{
	size_t i;

	if (!principal[0] || im->nkey >= DIRJ_MAX_ITEMS)
		return;
	for (i = 0; i < im->nkey; i++)
		if (strcmp(im->key[i].principal, principal) == 0)
			return;
	snprintf(im->key[im->nkey++].principal, sizeof(im->key[0].principal), "%s", principal);
}

/* Fill im's partner and principal lists from the steps acting on im->dom. */
static void directory_journal_collect(dirj_image *im, const tm_plan *p)
{
	char partner[NAME_DNS_MAX];
	size_t i;

	for (i = 0; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];

		if (!directory_journal_changes(s) || strcmp(s->domain, im->dom.name) != 0)
			continue;
		directory_journal_add_partner(im, s->partner);
		if (s->kind == STEP_KEY_SET || s->kind == STEP_KEY_DELETE || s->kind == STEP_KEY_CHANGE) {
			directory_journal_add_key(im, s->principal);
			directory_journal_key_partner(&im->dom, s->principal, partner, sizeof(partner));
			directory_journal_add_partner(im, partner);
		}
	}
}

/* ---- capture ------------------------------------------------------------------ */

/* The partners the plan touches in im's domain as a focus (ops.h), or NULL
 * (read everything) when there are more than one focus holds. */
static const tm_focus *directory_journal_focus(const dirj_image *im, tm_focus *f)
{
	size_t i;

	if (im->ntdo > TM_FOCUS_MAX)
		return NULL;
	for (i = 0; i < im->ntdo; i++)
		f->names[i] = im->tdo[i].partner;
	f->n = im->ntdo;
	return f;
}

static int directory_journal_read_tdos(tm_backend *be, dirj_image *im, tm_error *e)
{
	tm_tdo *v = NULL;
	size_t n = 0, i, k;
	int rc = 0;
	tm_focus f;

	if (backend_tdo_list_focus(be, &im->dom, directory_journal_focus(im, &f), &v, &n, e) < 0)
		return -1;
	im->ldif.tdos = calloc(im->ntdo ? im->ntdo : 1, sizeof(tm_tdo));
	if (!im->ldif.tdos)
		rc = error_fail(e, TM_EBACKEND, NULL, "out of memory");
	for (k = 0; rc == 0 && k < im->ntdo; k++)
		for (i = 0; i < n && !im->tdo[k].present; i++)
			if (tdo_matches(&v[i], im->tdo[k].partner)) {
				im->tdo[k].present = 1;
				if (tdo_copy(&im->ldif.tdos[im->ldif.ntdos], &v[i]) < 0)
					rc = error_fail(e, TM_EBACKEND, NULL, "out of memory");
				else
					im->ldif.ntdos++;
			}
	tdo_free_array(&v, n);
	return rc;
}

static int directory_journal_read_keys(tm_backend *be, dirj_image *im, tm_error *e)
{
	tm_keyinfo *v = NULL;
	size_t n = 0, i, k;
	tm_focus f;

	if (im->nkey == 0)
		return 0;
	if (backend_key_list_focus(be, &im->dom, directory_journal_focus(im, &f), &v, &n, e) < 0)
		return -1;
	for (k = 0; k < im->nkey; k++)
		for (i = 0; i < n; i++)
			if (strcmp(v[i].principal, im->key[k].principal) == 0) {
				im->key[k].present = 1;
				im->key[k].info = v[i];
			}
	free(v);
	return 0;
}

static int directory_journal_render_state(const dirj_image *im, char **out, size_t *len, tm_error *e)
{
	char *buf = NULL;
	size_t cap = 0, i, j;
	FILE *f = open_memstream(&buf, &cap);

	if (!f)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	fprintf(f, "%s\n", DIRJ_MAGIC);
	for (i = 0; i < im->ntdo; i++)
		fprintf(f, "tdo\t%s\t%s\n", im->tdo[i].partner, im->tdo[i].present ? "present" : "absent");
	for (i = 0; i < im->nkey; i++) {
		const tm_keyinfo *k = &im->key[i].info;

		fprintf(f, "key\t%s\t%s\t%u\t%u\t", im->key[i].principal,
			im->key[i].present ? "present" : "absent", k->kvno, k->enctypes);
		for (j = 0; j < k->nkvnos; j++)
			fprintf(f, "%s%u", j ? "," : "", k->kvnos[j]);
		fputc('\n', f);
	}
	if (fclose(f) != 0) {
		free(buf);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	}
	*out = buf;
	*len = cap;
	return 0;
}

/* Write im's two files with their sum records (store_image.h), then make
 * their names durable. */
static int directory_journal_save(const char *state_dir, dirj_image *im, tm_error *e)
{
	char path[PATH_MAX], *text = NULL;
	size_t len = 0;
	int rc;

	im->ldif.dom = im->dom;
	if (directory_journal_file(state_dir, im->dom.name, "ldif", path, sizeof(path), e) < 0 ||
	    store_ldif_render(&im->ldif, &text, &len, e) < 0)
		return -1;
	rc = store_image_save(path, text, len, e);
	secret_free_buf(&text, len);
	if (rc < 0 ||
	    directory_journal_file(state_dir, im->dom.name, "state", path, sizeof(path), e) < 0 ||
	    directory_journal_render_state(im, &text, &len, e) < 0)
		return -1;
	rc = store_image_save(path, text, len, e);
	free(text);
	return rc;     /* the folder is flushed once, after every domain's images */
}

/* Is domain name already among the first n steps' domains? */
static int directory_journal_seen(const tm_plan *p, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (directory_journal_changes(&p->steps[i]) && strcmp(p->steps[i].domain, name) == 0)
			return 1;
	return 0;
}

/* Does a step of p before `upto` (all: p->nsteps) set domain's suffixes? */
static int directory_journal_suffixes(const tm_plan *p, size_t upto, const char *domain)
{
	size_t i;

	for (i = 0; i < upto && i < p->nsteps; i++)
		if (p->steps[i].kind == STEP_SUFFIXES_SET && strcmp(p->steps[i].domain, domain) == 0)
			return 1;
	return 0;
}

static int directory_journal_capture_one(tm_backend *be, const char *state_dir, const tm_plan *p,
			    const tm_domain *d, tm_error *e)
{
	dirj_image *im = calloc(1, sizeof(*im));
	int rc;

	if (!im)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	im->dom = *d;
	directory_journal_collect(im, p);
	rc = 0;
	/* the suffixes go into the image's domain entry (uPNSuffixes, ...) */
	if (be->ops->suffixes_get && directory_journal_suffixes(p, p->nsteps, d->name))
		rc = be->ops->suffixes_get(be, &im->dom, e);
	if (rc == 0)
		rc = directory_journal_read_tdos(be, im, e);
	if (rc == 0)
		rc = directory_journal_read_keys(be, im, e);
	if (rc == 0)
		rc = directory_journal_save(state_dir, im, e);
	store_ldif_free(&im->ldif);
	free(im);
	if (rc < 0)
		error_prefix(e, "recording how %s was before the plan: ", d->name);
	return rc;
}

int directory_journal_capture(tm_backend *be, const char *state_dir, const tm_plan *p, tm_error *e)
{
	char dir[PATH_MAX];
	tm_domain *v = NULL;
	size_t n = 0, i;
	int rc = 0;

	if (directory_journal_forget(state_dir, e) < 0 || directory_journal_dir(state_dir, dir, sizeof(dir), e) < 0 ||
	    store_fs_mkdir_private(dir, e) < 0 || be->ops->domain_list(be, &v, &n, e) < 0)
		return -1;
	for (i = 0; rc == 0 && i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];
		const tm_domain *d;

		if (!directory_journal_changes(s) || directory_journal_seen(p, i, s->domain))
			continue;
		d = backend_find_domain(v, n, s->domain);
		if (d && backend_writable(be, d))
			rc = directory_journal_capture_one(be, state_dir, p, d, e);
	}
	free(v);
	if (rc == 0) {
		char probe[PATH_MAX + 2];

		snprintf(probe, sizeof(probe), "%s/.", dir);
		rc = store_fs_sync_dir(probe, e);
	}
	return rc;
}

/* ---- reading a before-image back ------------------------------------------------- */

/* A decimal number of 1 to 10 digits that fits 32 bits, ending at *end. */
static int directory_journal_u32(const char *s, const char **end, uint32_t *out)
{
	unsigned long long v = 0;
	const char *p = s;

	while (*p >= '0' && *p <= '9' && p - s < 10)
		v = v * 10 + (unsigned)(*p++ - '0');
	if (p == s || v > UINT32_MAX || (*p >= '0' && *p <= '9'))
		return -1;
	*out = (uint32_t)v;
	*end = p;
	return 0;
}

/* One whole field as a number. */
static int directory_journal_num(const char *s, uint32_t *out)
{
	const char *end;

	return directory_journal_u32(s, &end, out) == 0 && !*end ? 0 : -1;
}

/* "7,6" (highest first): the key versions held. */
static int directory_journal_parse_kvnos(const char *s, tm_keyinfo *k)
{
	const char *end;

	k->nkvnos = 0;
	while (*s) {
		if (k->nkvnos == KEYINFO_MAX_KVNOS ||
		    directory_journal_u32(s, &end, &k->kvnos[k->nkvnos]) != 0 ||
		    (*end && (*end != ',' || !end[1])))
			return -1;
		k->nkvnos++;
		s = *end ? end + 1 : end;
	}
	return 0;
}

/* "present" or "absent". */
static int directory_journal_presence(const char *s, int *present)
{
	*present = strcmp(s, "present") == 0;
	return *present || strcmp(s, "absent") == 0 ? 0 : -1;
}

static int directory_journal_parse_line(dirj_image *im, char *line)
{
	char *f[7] = { 0 };
	size_t nf = 0;
	char *save = NULL, *tok;

	for (tok = strtok_r(line, "\t", &save); tok && nf < 7; tok = strtok_r(NULL, "\t", &save))
		f[nf++] = tok;
	if (nf == 3 && strcmp(f[0], "tdo") == 0 && im->ntdo < DIRJ_MAX_ITEMS &&
	    strlen(f[1]) < sizeof(im->tdo[0].partner)) {
		dirj_tdo_item *t = &im->tdo[im->ntdo++];

		snprintf(t->partner, sizeof(t->partner), "%s", f[1]);
		return directory_journal_presence(f[2], &t->present);
	}
	if ((nf == 5 || nf == 6) && strcmp(f[0], "key") == 0 && im->nkey < DIRJ_MAX_ITEMS &&
	    strlen(f[1]) < sizeof(im->key[0].info.principal)) {
		dirj_key_item *k = &im->key[im->nkey++];

		snprintf(k->principal, sizeof(k->principal), "%s", f[1]);
		snprintf(k->info.principal, sizeof(k->info.principal), "%s", f[1]);
		if (directory_journal_presence(f[2], &k->present) != 0 ||
		    directory_journal_num(f[3], &k->info.kvno) != 0 ||
		    directory_journal_num(f[4], &k->info.enctypes) != 0)
			return -1;
		return nf == 6 ? directory_journal_parse_kvnos(f[5], &k->info) : 0;
	}
	return -1;
}

/* Parse the text of a NAME.state file (NUL-terminated, cut in place);
 * *legacy says it came from a trustmgr that kept no sum records. */
static int directory_journal_parse_state(dirj_image *im, char *text, const char *what,
					 int *legacy, tm_error *e)
{
	char *save = NULL, *line = strtok_r(text, "\n", &save);
	unsigned long n = 1;

	if (!line || (strcmp(line, DIRJ_MAGIC) != 0 && strcmp(line, DIRJ_MAGIC_V1) != 0))
		return error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "%s is damaged at line "
				  "1: it does not begin with \"" DIRJ_MAGIC "\"", what);
	*legacy = strcmp(line, DIRJ_MAGIC_V1) == 0;
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		n++;
		if (directory_journal_parse_line(im, line) < 0)
			return error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "%s is damaged "
					  "at line %lu: it is not a tdo or key line trustmgr wrote",
					  what, n);
	}
	return 0;
}

/* directory_journal_check_state: parse a copy into a scratch image. */
int directory_journal_check_state(const char *data, size_t len, const char *what, tm_error *e)
{
	dirj_image *im;
	char *copy;
	int legacy, rc;

	if (memchr(data, '\0', len))
		return error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "%s is damaged: it "
				  "holds a NUL byte", what);
	im = calloc(1, sizeof(*im));
	copy = malloc(len + 1);
	if (!im || !copy) {
		free(im);
		free(copy);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory reading %s", what);
	}
	memcpy(copy, data, len);
	copy[len] = '\0';
	rc = directory_journal_parse_state(im, copy, what, &legacy, e);
	free(copy);
	free(im);
	return rc;
}

/* The way out of a damaged before-image of a real domain. */
static void directory_journal_hint(tm_error *e)
{
	error_hint(e, "Nothing was changed and the journal was kept. Restore the damaged file from "
		   "a backup of the state folder, or run `trustmgr discard --force` to move the "
		   "journal and its before-images aside into a journal.discarded.TIME folder of the "
		   "state folder; then check the domains the plan touched with `trustmgr health` "
		   "and repair them by hand.");
}

/* Does the image at path have a sum record beside it? */
static int directory_journal_has_sum(const char *path)
{
	char sp[PATH_MAX + 8];
	struct stat st;

	snprintf(sp, sizeof(sp), "%s.sum", path);
	return lstat(sp, &st) == 0;
}

/* NAME.state read back, checked against its sum record (required unless
 * it is an old file without one) and parsed into im. */
static int directory_journal_load_state(const char *path, dirj_image *im, int *legacy,
					tm_error *e)
{
	char what[PATH_MAX + 32], *text = NULL;
	size_t len = 0;
	int rc;

	snprintf(what, sizeof(what), "the before-image %s", path);
	if (store_image_load(path, 0, directory_journal_check_state, &text, &len, e) < 0)
		return -1;
	rc = directory_journal_parse_state(im, text, what, legacy, e);
	free(text);
	if (rc == 0 && !*legacy && !directory_journal_has_sum(path))
		rc = error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "%s is damaged: its sum "
				"record (the file beside it ending in .sum) is missing", what);
	return rc;
}

/* NAME.ldif read back, checked and parsed into im->ldif. */
static int directory_journal_load_ldif(const char *path, dirj_image *im, int legacy,
				       tm_error *e)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (store_image_load(path, !legacy, store_image_ldif, &text, &len, e) < 0)
		return -1;
	rc = store_ldif_parse(text, len, &im->ldif, e);
	secret_free_buf(&text, len);
	return rc;
}

static int directory_journal_load(const char *state_dir, const char *name, dirj_image *im, tm_error *e)
{
	char path[PATH_MAX];
	int legacy = 0, rc;

	rc = directory_journal_file(state_dir, name, "state", path, sizeof(path), e);
	if (rc == 0)
		rc = directory_journal_load_state(path, im, &legacy, e);
	if (rc == 0)
		rc = directory_journal_file(state_dir, name, "ldif", path, sizeof(path), e);
	if (rc == 0)
		rc = directory_journal_load_ldif(path, im, legacy, e);
	if (rc < 0) {
		directory_journal_hint(e);
		return -1;
	}
	im->dom = im->ldif.dom;
	return 0;
}

/* ---- restore -------------------------------------------------------------------- */

static const tm_tdo *directory_journal_old_tdo(const dirj_image *im, const char *partner)
{
	size_t i;

	for (i = 0; i < im->ldif.ntdos; i++)
		if (tdo_matches(&im->ldif.tdos[i], partner))
			return &im->ldif.tdos[i];
	return NULL;
}

/* The trustAuth value of im's old TDO that holds principal's password. */
static const authblob *directory_journal_old_blob(const dirj_image *im, const char *principal)
{
	char x[NAME_DNS_MAX], y[NAME_DNS_MAX];
	const tm_tdo *t;

	if (!keys_split_trust_principal(principal, x, y, sizeof(x)))
		return NULL;
	if (name_equal(x, im->dom.realm))
		return (t = directory_journal_old_tdo(im, y)) != NULL ? &t->outgoing : NULL;
	return (t = directory_journal_old_tdo(im, x)) != NULL ? &t->incoming : NULL;
}

static int directory_journal_holds(const tm_keyinfo *k, uint32_t kvno)
{
	size_t i;

	for (i = 0; i < k->nkvnos; i++)
		if (k->kvnos[i] == kvno)
			return 1;
	return 0;
}

/* Can principal's old keys be made again? 0, or -1 with e saying why not. */
static int directory_journal_key_check(const dirj_image *im, const dirj_key_item *k, tm_error *e)
{
	const authblob *b;
	char *pw = NULL;
	int rc;

	if (!k->present)
		return 0;
	b = directory_journal_old_blob(im, k->principal);
	rc = b ? authblob_get_password(b, 0, &pw, e) : 1;
	secret_free(&pw);
	if (rc == 0)
		return 0;
	if (im->dom.kind == DOMAIN_MIT)
		return error_fail(e, TM_EFAIL, ST_NOT_SUPPORTED,
			       "the old key of %s in %s (key version %u) cannot be made again: %s is "
			       "a plain MIT realm, whose KDC keeps no password and whose kadmin never "
			       "gives out key bytes", k->principal, im->dom.name, k->info.kvno,
			       im->dom.name);
	return error_fail(e, TM_EFAIL, ST_NOT_SUPPORTED,
		       "the old key of %s in %s (key version %u) cannot be made again: no trusted "
		       "domain object of %s held its password before the plan",
		       k->principal, im->dom.name, k->info.kvno, im->dom.name);
}

/* Did the KDC refuse a password because the principal holds it already?
 * (A password policy forbids setting the current password again.) */
static int directory_journal_reused(const tm_error *e)
{
	return e->status && strcmp(e->status, ST_PASSWORD_RESTRICTION) == 0;
}

/* principal's current key version in im's domain, 0 when unknown. */
static uint32_t directory_journal_current_kvno(tm_backend *be, const dirj_image *im, const char *principal)
{
	char partner[NAME_DNS_MAX];
	tm_keyinfo *v = NULL;
	size_t n = 0, i;
	uint32_t kvno = 0;
	tm_error ignore;
	tm_focus f = { { partner }, 1 };

	directory_journal_key_partner(&im->dom, principal, partner, sizeof(partner));
	if (backend_key_list_focus(be, &im->dom, partner[0] ? &f : NULL, &v, &n, &ignore) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(v[i].principal, principal) == 0)
			kvno = v[i].kvno;
	free(v);
	return kvno;
}

static int directory_journal_key_restore(tm_backend *be, const dirj_image *im, const dirj_key_item *k,
			    tm_error *e)
{
	const tm_keyinfo *ki = &k->info;
	const authblob *b;
	char *cur = NULL, *prev = NULL;
	int rc = 0, keep = 0;

	if (!k->present)
		return be->ops->key_delete(be, &im->dom, k->principal, e);
	b = directory_journal_old_blob(im, k->principal);
	if (!b || authblob_get_password(b, 0, &cur, e) != 0)
		return directory_journal_key_check(im, k, e);
	if (ki->kvno > 1 && directory_journal_holds(ki, ki->kvno - 1) && authblob_get_password(b, 1, &prev, e) == 0) {
		rc = be->ops->key_set(be, &im->dom, k->principal, prev, ki->kvno - 1, ki->enctypes, 0, e);
		keep = rc == 0;
		if (directory_journal_reused(e))
			rc = 0;
	}
	if (rc == 0)
		rc = be->ops->key_set(be, &im->dom, k->principal, cur, ki->kvno, ki->enctypes, keep, e);
	if (rc < 0 && directory_journal_reused(e) && directory_journal_current_kvno(be, im, k->principal) == ki->kvno)
		rc = 0;
	secret_free(&cur);
	secret_free(&prev);
	return rc;
}

static int directory_journal_tdo_restore(tm_backend *be, const dirj_image *im, const dirj_tdo_item *t,
			    tm_error *e)
{
	const tm_tdo *old = t->present ? directory_journal_old_tdo(im, t->partner) : NULL;

	if (t->present && !old)
		return error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
			       "the before-image of %s lacks its TDO for %s", im->dom.name, t->partner);
	return old ? be->ops->tdo_put(be, &im->dom, old, e)
		   : be->ops->tdo_delete(be, &im->dom, t->partner, e);
}

static int directory_journal_key_touched(const tm_plan *p, size_t done, const char *domain,
			    const char *principal);

/* Did one of the first `done` steps (or the running one) change the secrets
 * of domain's TDO for partner, or delete it? */
static int directory_journal_secrets_touched(const tm_plan *p, size_t done, const char *domain,
					     const char *partner)
{
	size_t i;

	for (i = 0; i <= done && i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];

		if (strcmp(s->domain, domain) != 0 || !name_equal(s->partner, partner))
			continue;
		if (s->kind == STEP_TDO_DELETE || (s->kind == STEP_TDO_PUT &&
		    (s->in.action != BLOB_KEEP || s->out.action != BLOB_KEEP)))
			return 1;
	}
	return 0;
}

/* Can the secrets of t's old TDO be put back? Not when a step changed them
 * and the before-image holds none for one of its directions: an AD DC never
 * hands trust secrets out (docs/AD.md), so they could not be saved. */
static int directory_journal_secrets_check(const dirj_image *im, const dirj_tdo_item *t,
					   const tm_plan *p, size_t done, tm_error *e)
{
	const tm_tdo *old = t->present ? directory_journal_old_tdo(im, t->partner) : NULL;

	if (!old || !directory_journal_secrets_touched(p, done, im->dom.name, t->partner))
		return 0;
	if ((!(old->direction & TRUST_DIRECTION_INBOUND) || old->incoming.count) &&
	    (!(old->direction & TRUST_DIRECTION_OUTBOUND) || old->outgoing.count))
		return 0;
	return error_fail(e, TM_EFAIL, ST_NOT_SUPPORTED,
		       "the old trust secrets of %s's trusted domain object for %s cannot be put "
		       "back: %s's domain controller never handed them out, so the before-image "
		       "of the plan holds none", im->dom.name, t->partner, im->dom.name);
}

/* Can every key the rollback will restore in im be made again? Only the
 * keys a step reached are checked, as only those are restored: a plain
 * realm's untouched keys (no password anywhere) must not stop it. */
static int directory_journal_check_image(const dirj_image *im, const tm_plan *p, size_t done,
					 tm_error *e)
{
	size_t i;

	for (i = 0; i < im->ntdo; i++)
		if (directory_journal_secrets_check(im, &im->tdo[i], p, done, e) < 0)
			return -1;

	for (i = 0; i < im->nkey; i++)
		if (directory_journal_key_touched(p, done, im->dom.name, im->key[i].principal) &&
		    directory_journal_key_check(im, &im->key[i], e) < 0)
			return -1;
	return 0;
}

/* Did one of the first `done` steps, or the one that was running when the
 * plan stopped, change principal in domain? Keys no step reached are left
 * alone: setting a principal's current password again is refused by a KDC
 * whose password policy forbids reuse. */
static int directory_journal_key_touched(const tm_plan *p, size_t done, const char *domain,
			    const char *principal)
{
	size_t i;

	for (i = 0; i <= done && i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];

		if ((s->kind == STEP_KEY_SET || s->kind == STEP_KEY_DELETE ||
		     s->kind == STEP_KEY_CHANGE || s->kind == STEP_ACCOUNT_PUT) &&
		    strcmp(s->domain, domain) == 0 &&
		    (s->kind == STEP_ACCOUNT_PUT || strcmp(s->principal, principal) == 0))
			return 1;
	}
	return 0;
}

/* The trust account whose permitted principal a done (or running)
 * KEY_CHANGE step of the plan changed in domain, into acct ("" when none).
 * A trust plan proves the permitted principal, then changes its password
 * through kpasswd, and that ends the permit: the directory backend takes
 * the principal out of the one-chance policy (directory.c). A rollback
 * that gives the principal its old key back must permit it again. */
static void directory_journal_permit_ended(const tm_plan *p, size_t done, const char *domain,
					   const char *principal, char *acct, size_t n)
{
	size_t i;
	int changed = 0;

	acct[0] = '\0';
	for (i = 0; i <= done && i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];

		if (strcmp(s->domain, domain) != 0 || strcmp(s->principal, principal) != 0)
			continue;
		if (s->kind == STEP_PROVE && s->account[0])
			snprintf(acct, n, "%s", s->account);
		changed |= s->kind == STEP_KEY_CHANGE;
	}
	if (!changed)
		acct[0] = '\0';
}

static int directory_journal_restore_image(tm_backend *be, const dirj_image *im, const tm_plan *p,
			      size_t done, tm_error *e)
{
	tm_account a;
	size_t i;

	for (i = 0; i < im->ntdo; i++)
		if (directory_journal_tdo_restore(be, im, &im->tdo[i], e) < 0)
			return -1;
	if (directory_journal_suffixes(p, done + 1, im->dom.name) && be->ops->suffixes_put &&
	    be->ops->suffixes_put(be, &im->dom, &im->dom, e) < 0)
		return -1;
	for (i = 0; i < im->nkey; i++) {
		const dirj_key_item *k = &im->key[i];

		if (!directory_journal_key_touched(p, done, im->dom.name, k->principal))
			continue;
		if (directory_journal_key_restore(be, im, k, e) < 0)
			return -1;
		memset(&a, 0, sizeof(a));
		directory_journal_permit_ended(p, done, im->dom.name, k->principal, a.name,
					       sizeof(a.name));
		if (k->present && a.name[0] && be->ops->account_put(be, &im->dom, &a, e) < 0)
			return -1;
	}
	return 0;
}

/* Is there an image for name among names? */
static int directory_journal_has(char names[][DOMAIN_KEY_MAX], size_t n, const char *name);

/* The NAME of "NAME.state" or "NAME.ldif" into name; 0 for other files. */
static int directory_journal_image_name(const char *file, char *name)
{
	static const char *const ext[] = { ".state", ".ldif" };
	size_t len = strlen(file), i, k;

	for (i = 0; i < 2; i++) {
		k = strlen(ext[i]);
		if (len > k && len - k < DOMAIN_KEY_MAX && strcmp(file + len - k, ext[i]) == 0) {
			memcpy(name, file, len - k);
			name[len - k] = '\0';
			return 1;
		}
	}
	return 0;
}

/* Names of the domains with a before-image (either of its two files: one
 * without the other is a damaged image), at most max. */
static int directory_journal_names(const char *state_dir, char names[][DOMAIN_KEY_MAX], size_t max, size_t *n,
		      tm_error *e)
{
	char dir[PATH_MAX], name[DOMAIN_KEY_MAX];
	struct dirent *de;
	DIR *d;

	*n = 0;
	if (directory_journal_dir(state_dir, dir, sizeof(dir), e) < 0)
		return -1;
	if (!(d = opendir(dir)))
		return errno == ENOENT ? 0 : error_fail(e, TM_EBACKEND, NULL, "cannot read %s: %s", dir,
						     strerror(errno));
	while ((de = readdir(d)) != NULL && *n < max)
		if (directory_journal_image_name(de->d_name, name) &&
		    !directory_journal_has(names, *n, name))
			memcpy(names[(*n)++], name, strlen(name) + 1);
	closedir(d);
	return 0;
}

/* Is there an image for name among names? */
static int directory_journal_has(char names[][DOMAIN_KEY_MAX], size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/* Refuse, before anything is written, a rollback the images cannot make:
 * a done step in a domain with no image (kpasswd in a domain trustmgr does
 * not manage, or a journal from before images were kept). */
static int directory_journal_check_plan(const tm_plan *p, size_t done,
			   char names[][DOMAIN_KEY_MAX], size_t n, tm_error *e)
{
	size_t i;

	for (i = 0; i < done && i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];

		if (!directory_journal_changes(s) || directory_journal_has(names, n, s->domain))
			continue;
		if (s->kind == STEP_KEY_CHANGE)
			return error_fail(e, TM_EFAIL, ST_NOT_SUPPORTED,
				       "step %zu changed the password of %s in %s through kpasswd, and "
				       "trustmgr holds no administrator credentials for %s to change it back",
				       i + 1, s->principal, s->domain, s->domain);
		return error_fail(e, TM_EFAIL, ST_NOT_SUPPORTED,
			       "step %zu changed %s, but no before-image of %s was kept", i + 1,
			       s->domain, s->domain);
	}
	return 0;
}

int directory_journal_restore(tm_backend *be, const char *state_dir, const tm_plan *p, size_t done,
		 tm_error *e)
{
	char names[PLAN_MAX_STEPS][DOMAIN_KEY_MAX];
	dirj_image *im;
	size_t n = 0, i;
	int rc;

	if (directory_journal_names(state_dir, names, PLAN_MAX_STEPS, &n, e) < 0)
		return -1;
	if (!(im = calloc(n ? n : 1, sizeof(*im))))
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	rc = directory_journal_check_plan(p, done, names, n, e);
	for (i = 0; rc == 0 && i < n; i++)
		rc = directory_journal_load(state_dir, names[i], &im[i], e);
	for (i = 0; rc == 0 && i < n; i++)
		rc = directory_journal_check_image(&im[i], p, done, e);
	if (rc < 0 && e->cls == TM_EFAIL)
		error_hint(e, "Nothing was rolled back. Finish the plan with 'trustmgr resume', or "
			"repair each trust it touched by hand ('trustmgr reset', 'trustmgr health') "
			"and then forget the plan with 'trustmgr discard'.");
	for (i = 0; rc == 0 && i < n; i++)
		if ((rc = directory_journal_restore_image(be, &im[i], p, done, e)) < 0)
			error_prefix(e, "rollback stopped part-way in %s: ", names[i]);
	for (i = 0; i < n; i++)
		store_ldif_free(&im[i].ldif);
	free(im);
	return rc;
}

/* directory_journal_check: every image loaded and dropped. */
int directory_journal_check(const char *state_dir, tm_error *e)
{
	char names[PLAN_MAX_STEPS][DOMAIN_KEY_MAX];
	dirj_image *im;
	size_t n = 0, i;
	int rc = 0;

	if (directory_journal_names(state_dir, names, PLAN_MAX_STEPS, &n, e) < 0)
		return -1;
	for (i = 0; rc == 0 && i < n; i++) {
		if (!(im = calloc(1, sizeof(*im))))
			return error_fail(e, TM_EBACKEND, NULL, "out of memory");
		rc = directory_journal_load(state_dir, names[i], im, e);
		store_ldif_free(&im->ldif);
		free(im);
	}
	return rc;
}

/* directory_journal_forget: every image removed; the folder is flushed so
 * that no old image outlives a crash into the next plan's capture. */
int directory_journal_forget(const char *state_dir, tm_error *e)
{
	char names[PLAN_MAX_STEPS][DOMAIN_KEY_MAX], path[PATH_MAX];
	size_t n = 0, i;

	if (directory_journal_names(state_dir, names, PLAN_MAX_STEPS, &n, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (directory_journal_file(state_dir, names[i], "ldif", path, sizeof(path), e) < 0 ||
		    store_image_remove_nosync(path, e) < 0 ||
		    directory_journal_file(state_dir, names[i], "state", path, sizeof(path), e) < 0 ||
		    store_image_remove_nosync(path, e) < 0)
			return -1;
	}
	/* One flush of the folder for all of them. */
	return n ? store_fs_sync_dir(path, e) : 0;
}
