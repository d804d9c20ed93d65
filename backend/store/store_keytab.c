/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_keytab.c - a domain KDC's keys, kept in an MIT FILE: keytab.
 *
 * The keytab is read whole into memory, changed there and written back as a
 * complete new keytab next to the target, which is then renamed over it, so
 * a crash leaves either the old or the new file.  Proving a password and
 * verifying a trust use real cryptography: a challenge sealed with one key
 * must open with the other.
 *
 * Before libkrb5 reads a keytab its whole structure and checksum are
 * checked (store_keytab_check.c), and libkrb5 must then find every entry
 * the structure holds; the keytabs trustmgr writes carry that checksum in
 * a hole right after the version (kt_seal).
 */
#include "backend/store/store_keytab.h"
#include "backend/store/store_fs.h"
#include "backend/os/fsmode.h"

#include <errno.h>
#include <fcntl.h>
#include <krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/keys.h"
#include "model/secret.h"

#define KT_NAME_MAX (PATH_MAX + 8)
#define KT_CHALLENGE_KEY 32          /* bytes of random "session key" */
#define KT_CHALLENGE_LEN (KT_CHALLENGE_KEY + 8)
#define KT_SUM_AT STORE_KEYTAB_SUM_AT
#define KT_SUM_LEN STORE_KEYTAB_SUM_LEN
#define KT_HEAD_LEN (KT_SUM_AT + KT_SUM_LEN)

/* One keytab entry, key bytes included. */
typedef struct kt_ent {
	char principal[KEYS_PRINC_MAX];
	uint32_t timestamp;
	tm_key key;
} kt_ent;

/* Every entry of one keytab, in file order. */
typedef struct kt_tab {
	kt_ent *v;
	size_t n;
	size_t cap;
} kt_tab;

/* ---- errors ------------------------------------------------------------ */

/* What to do about a damaged keytab (the hint of every such error). */
const char store_keytab_hint[] =
	"Restore krb5.keytab from a backup (if an interrupted plan left it so, `trustmgr "
	"rollback` puts it back). Without one, move the file away (keep a copy) and run "
	"`trustmgr reset DOMAIN PARTNER` for each trust of the domain: new keys are written.";

/* Record a libkrb5 failure about path with the library's own words. */
static int kt_fail(tm_error *e, krb5_context ctx, krb5_error_code rc,
		   const char *doing, const char *path)
{
	const char *msg = krb5_get_error_message(ctx, rc);

	error_fail(e, TM_EBACKEND, NULL, "could not %s the keytab %s: %s", doing, path, msg);
	krb5_free_error_message(ctx, msg);
	error_hint(e, "Check that the file exists, is readable and is an MIT keytab "
		   "(klist -k -e -t FILE:%s).", path);
	return -1;
}

/* Record a system call failure about path. */
static int kt_fail_errno(tm_error *e, int err, const char *doing, const char *path)
{
	error_fail(e, TM_EBACKEND, NULL, "could not %s %s: %s", doing, path, strerror(err));
	error_hint(e, "Check the permissions and free space of the store folder.");
	return -1;
}

/* The keytab at path checked as a whole before libkrb5 reads it: 0 with
 * *entries, 1 when there is no file, or -1 with e. */
static int kt_check_file(const char *path, size_t *entries, tm_error *e)
{
	char what[PATH_MAX + 32], *data = NULL;
	size_t len = 0;
	int rc = store_fs_read(path, &data, &len, e);

	*entries = 0;
	if (rc != 0)
		return rc;
	snprintf(what, sizeof(what), "%s %s", store_fs_what(path), path);
	rc = store_keytab_check(data, len, what, entries, e);
	secret_free_buf(&data, len);
	if (rc != 0)
		error_hint(e, "%s", store_keytab_hint);
	return rc;
}

/* ---- the in-memory table ------------------------------------------------ */

/* Wipe every key and free the table. */
static void kt_tab_free(kt_tab *t)
{
	if (t->v) {
		explicit_bzero(t->v, t->cap * sizeof(*t->v));
		free(t->v);
	}
	t->v = NULL;
	t->n = t->cap = 0;
}

/* Append a copy of ent (secrets included). */
static int kt_tab_push(kt_tab *t, const kt_ent *ent, tm_error *e)
{
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 16, used = t->n;
		kt_ent *nv = calloc(ncap, sizeof(*nv));

		if (!nv)
			return error_fail(e, TM_EBACKEND, NULL, "out of memory reading a keytab");
		if (used)
			memcpy(nv, t->v, used * sizeof(*nv));
		kt_tab_free(t);
		t->v = nv;
		t->n = used;
		t->cap = ncap;
	}
	t->v[t->n++] = *ent;
	return 0;
}

/* Drop principal's entries, except those of kvno prev when keep_prev; the
 * dropped slots are wiped. Other principals are untouched. */
static void kt_tab_filter(kt_tab *t, const char *principal, int keep_prev, uint32_t prev)
{
	size_t i, k = 0;

	for (i = 0; i < t->n; i++) {
		const kt_ent *x = &t->v[i];
		int keep = strcmp(x->principal, principal) != 0 ||
			   (keep_prev && x->key.kvno == prev);

		if (keep && k != i)
			t->v[k] = t->v[i];
		if (keep)
			k++;
	}
	if (t->n > k)
		explicit_bzero(&t->v[k], (t->n - k) * sizeof(*t->v));
	t->n = k;
}

/* Highest kvno of principal; 0 when the principal is absent, 1 when found. */
static int kt_tab_highest(const kt_tab *t, const char *principal, uint32_t *kvno)
{
	size_t i;
	int found = 0;

	*kvno = 0;
	for (i = 0; i < t->n; i++) {
		if (strcmp(t->v[i].principal, principal) != 0)
			continue;
		if (!found || t->v[i].key.kvno > *kvno)
			*kvno = t->v[i].key.kvno;
		found = 1;
	}
	return found;
}

/* The entry of principal with kvno and enctype; any kvno when any_kvno. */
static const kt_ent *kt_tab_find(const kt_tab *t, const char *principal, uint32_t kvno,
				 int any_kvno, int32_t enctype)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		const kt_ent *x = &t->v[i];

		if (strcmp(x->principal, principal) == 0 && x->key.enctype == enctype &&
		    (any_kvno || x->key.kvno == kvno))
			return x;
	}
	return NULL;
}

/* ---- principal names ---------------------------------------------------- */

/* Parse principal (realm required) and write its canonical text to out. */
static int kt_canon(krb5_context ctx, const char *principal, char *out, size_t n,
		    tm_error *e)
{
	krb5_principal p = NULL;
	krb5_error_code rc;
	char *text = NULL;
	int ret = 0;

	rc = krb5_parse_name_flags(ctx, principal ? principal : "",
				   KRB5_PRINCIPAL_PARSE_REQUIRE_REALM, &p);
	if (rc != 0)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "\"%s\" is not a principal name with a realm",
			       principal ? principal : "");
	rc = krb5_unparse_name(ctx, p, &text);
	krb5_free_principal(ctx, p);
	if (rc != 0)
		return error_fail(e, TM_EBACKEND, NULL, "could not format a principal name");
	if (strlen(text) >= n)
		ret = error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			      "the principal name %s is too long", text);
	else
		memcpy(out, text, strlen(text) + 1);
	krb5_free_unparsed_name(ctx, text);
	return ret;
}

/* ---- reading ------------------------------------------------------------ */

static int kt_name(const char *path, char *buf, size_t n, tm_error *e)
{
	int len = snprintf(buf, n, "FILE:%s", path);

	if (len < 0 || (size_t)len >= n)
		return error_fail(e, TM_EBACKEND, NULL, "the keytab path %s is too long", path);
	return 0;
}

/* Copy one library entry into the table. */
static int kt_take(krb5_context ctx, const krb5_keytab_entry *ent, kt_tab *t,
		   const char *path, tm_error *e)
{
	kt_ent x;
	char *text = NULL;
	krb5_error_code rc;
	int ret = -1;

	memset(&x, 0, sizeof(x));
	rc = krb5_unparse_name(ctx, ent->principal, &text);
	if (rc != 0)
		return kt_fail(e, ctx, rc, "read a principal name of", path);
	if (strlen(text) >= sizeof(x.principal) || ent->key.length > KEYS_MAX_BYTES) {
		error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
			"the keytab %s holds an entry trustmgr cannot handle (%s)", path, text);
	} else {
		memcpy(x.principal, text, strlen(text) + 1);
		x.timestamp = (uint32_t)ent->timestamp;
		x.key.enctype = ent->key.enctype;
		x.key.kvno = ent->vno;
		x.key.len = ent->key.length;
		memcpy(x.key.bytes, ent->key.contents, ent->key.length);
		ret = kt_tab_push(t, &x, e);
	}
	krb5_free_unparsed_name(ctx, text);
	explicit_bzero(&x, sizeof(x));
	return ret;
}

/* Walk every entry of an open keytab into t. */
static int kt_read_all(krb5_context ctx, krb5_keytab kt, kt_tab *t, const char *path,
		       tm_error *e)
{
	krb5_kt_cursor cur;
	krb5_keytab_entry ent;
	krb5_error_code rc;
	int ret = 0;

	rc = krb5_kt_start_seq_get(ctx, kt, &cur);
	if (rc == ENOENT)
		return 0;                     /* no file yet: an empty keytab */
	if (rc != 0)
		return kt_fail(e, ctx, rc, "open", path);
	while (ret == 0 && (rc = krb5_kt_next_entry(ctx, kt, &ent, &cur)) == 0) {
		ret = kt_take(ctx, &ent, t, path, e);
		krb5_free_keytab_entry_contents(ctx, &ent);
	}
	krb5_kt_end_seq_get(ctx, kt, &cur);
	if (ret == 0 && rc != KRB5_KT_END)
		return kt_fail(e, ctx, rc, "read", path);
	return ret;
}

/* Load the whole keytab at path (missing file = empty), its structure
 * checked first, then read by libkrb5, which must find every entry. */
static int kt_load(krb5_context ctx, const char *path, kt_tab *t, tm_error *e)
{
	char name[KT_NAME_MAX];
	krb5_keytab kt = NULL;
	krb5_error_code rc;
	size_t entries = 0;
	int ret;

	memset(t, 0, sizeof(*t));
	ret = kt_check_file(path, &entries, e);
	if (ret != 0)
		return ret < 0 ? -1 : 0;
	if (kt_name(path, name, sizeof(name), e) < 0)
		return -1;
	rc = krb5_kt_resolve(ctx, name, &kt);
	if (rc != 0)
		return kt_fail(e, ctx, rc, "open", path);
	ret = kt_read_all(ctx, kt, t, path, e);
	krb5_kt_close(ctx, kt);
	if (ret == 0 && t->n != entries) {
		ret = error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
				 "the keytab %s is damaged: libkrb5 read %zu of the %zu entries it "
				 "holds", path, t->n, entries);
		error_hint(e, "%s", store_keytab_hint);
	}
	if (ret < 0)
		kt_tab_free(t);
	return ret;
}

/* ---- writing ------------------------------------------------------------ */

/* Create tmp (0600, exclusively) holding an empty keytab: the format's
 * two-byte version header 0x0502 and the checksum hole (zero until
 * kt_seal fills it), which libkrb5 then appends to. */
static int kt_create_tmp(const char *tmp, int *fdp, tm_error *e)
{
	unsigned char header[KT_HEAD_LEN] = { 0x05, 0x02 };
	int fd;

	if (unlink(tmp) < 0 && errno != ENOENT)  /* left over by a crash */
		return kt_fail_errno(e, errno, "remove the stale file", tmp);
	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, fsmode_file());
	if (fd < 0)
		return kt_fail_errno(e, errno, "create", tmp);
	header[2] = header[3] = header[4] = 0xff;   /* -16: a hole of KT_SUM_LEN bytes */
	header[5] = (unsigned char)(0x100 - KT_SUM_LEN);
	if (write(fd, header, sizeof(header)) != (ssize_t)sizeof(header)) {
		int err = errno ? errno : EIO;

		close(fd);
		unlink(tmp);
		return kt_fail_errno(e, err, "write", tmp);
	}
	*fdp = fd;
	return 0;
}

/* Add one table entry to an open keytab. */
static int kt_add(krb5_context ctx, krb5_keytab kt, kt_ent *x, const char *path,
		  tm_error *e)
{
	krb5_keytab_entry ent;
	krb5_error_code rc;
	int err;

	memset(&ent, 0, sizeof(ent));
	rc = krb5_parse_name(ctx, x->principal, &ent.principal);
	if (rc != 0)
		return kt_fail(e, ctx, rc, "write a principal name to", path);
	ent.timestamp = (krb5_timestamp)x->timestamp;
	ent.vno = x->key.kvno;
	ent.key.magic = KV5M_KEYBLOCK;
	ent.key.enctype = x->key.enctype;
	ent.key.length = (unsigned int)x->key.len;
	ent.key.contents = x->key.bytes;
	errno = 0;
	rc = krb5_kt_add_entry(ctx, kt, &ent);
	err = errno;
	krb5_free_principal(ctx, ent.principal);
	/* libkrb5 says only "Error writing to key table": a full disk is
	 * named as such, with what to do about it. */
	if (rc != 0 && (err == ENOSPC || err == EDQUOT || err == EFBIG || err == EIO))
		return kt_fail_errno(e, err, "write", path);
	if (rc != 0)
		return kt_fail(e, ctx, rc, "write", path);
	return 0;
}

/* Write every entry of t into the keytab file tmp. */
static int kt_fill(krb5_context ctx, const char *tmp, const kt_tab *t, tm_error *e)
{
	char name[KT_NAME_MAX];
	krb5_keytab kt = NULL;
	krb5_error_code rc;
	size_t i;
	int ret = 0;

	if (kt_name(tmp, name, sizeof(name), e) < 0)
		return -1;
	rc = krb5_kt_resolve(ctx, name, &kt);
	if (rc != 0)
		return kt_fail(e, ctx, rc, "create", tmp);
	for (i = 0; i < t->n && ret == 0; i++)
		ret = kt_add(ctx, kt, &t->v[i], tmp, e);
	krb5_kt_close(ctx, kt);
	return ret;
}

/* Read the whole of fd (len bytes) into a new buffer; NULL with errno. */
static unsigned char *kt_read_back(int fd, size_t len)
{
	unsigned char *buf = malloc(len ? len : 1);
	size_t got = 0;
	ssize_t r;

	while (buf && got < len) {
		r = pread(fd, buf + got, len - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int err = r < 0 ? errno : EIO;

			secret_free_buf(&buf, got);
			errno = err;
			return NULL;
		}
		got += (size_t)r;
	}
	return buf;
}

/* Fill the checksum hole of the keytab libkrb5 wrote to fd: the file's
 * length and the CRC-32C of every byte outside the hole. */
static int kt_seal(int fd, const char *tmp, tm_error *e)
{
	unsigned char sum[KT_SUM_LEN], *buf;
	struct stat st;
	size_t len;
	int err = 0;

	if (fstat(fd, &st) < 0)
		return kt_fail_errno(e, errno, "examine", tmp);
	len = (size_t)st.st_size;
	if (len < KT_HEAD_LEN || len > UINT32_MAX)
		return kt_fail_errno(e, EFBIG, "seal", tmp);
	buf = kt_read_back(fd, len);
	if (!buf)
		return kt_fail_errno(e, errno, "read back", tmp);
	store_keytab_check_sum(buf, len, sum);
	secret_free_buf(&buf, len);
	if (pwrite(fd, sum, sizeof(sum), KT_SUM_AT) != (ssize_t)sizeof(sum))
		err = errno ? errno : EIO;
	return err ? kt_fail_errno(e, err, "write", tmp) : 0;
}

/* Seal tmp, make it durable and move it over path. */
static int kt_commit(int fd, const char *tmp, const char *path, tm_error *e)
{
	if (kt_seal(fd, tmp, e) < 0)
		return -1;
	if (fsync(fd) < 0)
		return kt_fail_errno(e, errno, "flush", tmp);
	if (rename(tmp, path) < 0)
		return kt_fail_errno(e, errno, "replace", path);
	return store_fs_sync_dir(path, e);
}

/* Replace the keytab at path atomically with the entries of t. */
static int kt_save(krb5_context ctx, const char *path, const kt_tab *t, tm_error *e)
{
	char tmp[PATH_MAX];
	int fd = -1, len, ret;

	len = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if (len < 0 || (size_t)len >= sizeof(tmp))
		return error_fail(e, TM_EBACKEND, NULL, "the keytab path %s is too long", path);
	if (kt_create_tmp(tmp, &fd, e) < 0)
		return -1;
	ret = kt_fill(ctx, tmp, t, e);
	if (ret == 0)
		ret = kt_commit(fd, tmp, path, e);
	close(fd);
	if (ret < 0)
		unlink(tmp);
	return ret;
}

/* ---- list --------------------------------------------------------------- */

/* Insert kvno into info's descending list (highest KEYINFO_MAX_KVNOS kept). */
static void kt_info_kvno(tm_keyinfo *k, uint32_t kvno)
{
	size_t i, at;

	for (i = 0; i < k->nkvnos; i++)
		if (k->kvnos[i] == kvno)
			return;
	for (at = 0; at < k->nkvnos && k->kvnos[at] > kvno; at++)
		;
	if (at == KEYINFO_MAX_KVNOS)
		return;
	if (k->nkvnos == KEYINFO_MAX_KVNOS)
		k->nkvnos--;
	memmove(&k->kvnos[at + 1], &k->kvnos[at], (k->nkvnos - at) * sizeof(k->kvnos[0]));
	k->kvnos[at] = kvno;
	k->nkvnos++;
}

/* Fold one entry into its principal's summary. */
static void kt_info_fold(tm_keyinfo *k, const kt_ent *x, int first)
{
	uint32_t bit = keys_bit_of_enctype(x->key.enctype);

	if (first || x->key.kvno > k->kvno) {
		k->kvno = x->key.kvno;
		k->enctypes = bit;
		k->changed = x->timestamp;
	} else if (x->key.kvno == k->kvno) {
		k->enctypes |= bit;
		if ((long long)x->timestamp > k->changed)
			k->changed = x->timestamp;
	}
	kt_info_kvno(k, x->key.kvno);
}

/* The summary of x's principal in v (appended when new). */
static tm_keyinfo *kt_info_slot(tm_keyinfo *v, size_t *n, const kt_ent *x, int *first)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(v[i].principal, x->principal) == 0) {
			*first = 0;
			return &v[i];
		}
	memset(&v[*n], 0, sizeof(v[*n]));
	memcpy(v[*n].principal, x->principal, strlen(x->principal) + 1);
	*first = 1;
	return &v[(*n)++];
}

static int kt_info_cmp(const void *a, const void *b)
{
	const tm_keyinfo *x = a, *y = b;

	return strcmp(x->principal, y->principal);
}

/* Summaries of every principal in the keytab, sorted by name. */
int store_keytab_list(const char *path, tm_keyinfo **out, size_t *n, tm_error *e)
{
	krb5_context ctx = keys_context(e);
	kt_tab t;
	tm_keyinfo *v;
	size_t i, count = 0;
	int first;

	*out = NULL;
	*n = 0;
	if (!ctx || kt_load(ctx, path, &t, e) < 0)
		return -1;
	v = calloc(t.n ? t.n : 1, sizeof(*v));
	if (!v) {
		kt_tab_free(&t);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory listing %s", path);
	}
	for (i = 0; i < t.n; i++) {
		tm_keyinfo *k = kt_info_slot(v, &count, &t.v[i], &first);

		kt_info_fold(k, &t.v[i], first);
	}
	kt_tab_free(&t);
	qsort(v, count, sizeof(*v), kt_info_cmp);
	if (count == 0) {
		free(v);
		v = NULL;
	}
	*out = v;
	*n = count;
	return 0;
}

/* ---- set / delete ------------------------------------------------------- */

/* Append freshly derived keys to t with the current time. */
static int kt_append_keys(kt_tab *t, const char *principal, const tm_key *keys,
			  size_t nkeys, tm_error *e)
{
	kt_ent x;
	size_t i;
	int ret = 0;

	memset(&x, 0, sizeof(x));
	memcpy(x.principal, principal, strlen(principal) + 1);
	x.timestamp = (uint32_t)time(NULL);
	for (i = 0; i < nkeys && ret == 0; i++) {
		x.key = keys[i];
		ret = kt_tab_push(t, &x, e);
	}
	explicit_bzero(&x, sizeof(x));
	return ret;
}

/* Load, replace principal's keys with keys (keeping kvno-1 if asked), save. */
static int kt_replace(krb5_context ctx, const char *path, const char *principal,
		      const tm_key *keys, size_t nkeys, uint32_t kvno, int keep_previous,
		      tm_error *e)
{
	kt_tab t;
	int ret;

	if (kt_load(ctx, path, &t, e) < 0)
		return -1;
	kt_tab_filter(&t, principal, keep_previous && kvno > 1, kvno - 1);
	ret = kt_append_keys(&t, principal, keys, nkeys, e);
	if (ret == 0)
		ret = kt_save(ctx, path, &t, e);
	kt_tab_free(&t);
	return ret;
}

/* Replace principal's keys with keys derived from password (see header). */
int store_keytab_set(const char *path, const char *principal, const char *password,
	     uint32_t kvno, uint32_t bits, int keep_previous, tm_error *e)
{
	krb5_context ctx = keys_context(e);
	char canon[KEYS_PRINC_MAX];
	tm_key keys[KEYS_MAX_PER_KVNO];
	size_t nkeys = 0;
	int ret;

	if (!ctx || kt_canon(ctx, principal, canon, sizeof(canon), e) < 0)
		return -1;
	if (kvno == 0)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "key version 0 is not valid for %s", canon);
	if (keys_derive(canon, password, bits, kvno, keys, KEYS_MAX_PER_KVNO, &nkeys, e) < 0)
		return -1;
	ret = kt_replace(ctx, path, canon, keys, nkeys, kvno, keep_previous, e);
	keys_wipe(keys, nkeys);
	return ret;
}

/* Drop every entry of principal; rewrites only when something changes. */
int store_keytab_delete(const char *path, const char *principal, tm_error *e)
{
	krb5_context ctx = keys_context(e);
	char canon[KEYS_PRINC_MAX];
	kt_tab t;
	uint32_t kvno;
	int ret = 0;

	if (!ctx || kt_canon(ctx, principal, canon, sizeof(canon), e) < 0)
		return -1;
	if (kt_load(ctx, path, &t, e) < 0)
		return -1;
	if (kt_tab_highest(&t, canon, &kvno)) {
		kt_tab_filter(&t, canon, 0, 0);
		ret = kt_save(ctx, path, &t, e);
	}
	kt_tab_free(&t);
	return ret;
}

/* ---- cryptographic checks ----------------------------------------------- */

/* Seal a fresh challenge (random session key + time) with sealer and open it
 * with opener: 0 they match, 1 integrity failure, -1 error with e. */
static int kt_challenge(const tm_key *sealer, const tm_key *opener, tm_error *e)
{
	uint8_t plain[KT_CHALLENGE_LEN], *cipher = NULL, *back = NULL;
	size_t clen = 0, blen = 0, i;
	uint64_t now = (uint64_t)time(NULL);
	int ret;

	if (getrandom(plain, KT_CHALLENGE_KEY, 0) != (ssize_t)KT_CHALLENGE_KEY)
		return error_fail(e, TM_EBACKEND, NULL,
			       "the system random generator failed: %s", strerror(errno));
	for (i = 0; i < 8; i++)
		plain[KT_CHALLENGE_KEY + i] = (uint8_t)(now >> (56 - 8 * i));
	ret = keys_seal(sealer, plain, sizeof(plain), &cipher, &clen, e);
	if (ret == 0)
		ret = keys_unseal(opener, cipher, clen, &back, &blen, e);
	if (ret == 0 && (blen != sizeof(plain) || memcmp(back, plain, blen) != 0))
		ret = 1;
	if (back)
		explicit_bzero(back, blen);
	free(back);
	free(cipher);
	explicit_bzero(plain, sizeof(plain));
	return ret;
}

/* Derive the key of stored's enctype from password and test it against
 * stored: 0 match, 1 mismatch, -1 error. */
static int kt_prove_one(const char *principal, const char *password, const kt_ent *stored,
			tm_error *e)
{
	tm_key derived;
	int ret;

	if (keys_derive_one(principal, password, stored->key.enctype, stored->key.kvno,
			    &derived, e) < 0)
		return -1;
	ret = kt_challenge(&derived, &stored->key, e);
	keys_wipe(&derived, 1);
	return ret;
}

/* Test password against every usable key of principal's current kvno. */
static int kt_prove_tab(const kt_tab *t, const char *principal, const char *password,
			int *match, tm_error *e)
{
	uint32_t kvno;
	size_t i, tested = 0;
	int r;

	*match = -1;
	if (!kt_tab_highest(t, principal, &kvno))
		return 0;
	*match = 1;
	for (i = 0; i < t->n; i++) {
		const kt_ent *x = &t->v[i];

		if (strcmp(x->principal, principal) != 0 || x->key.kvno != kvno ||
		    !krb5_c_valid_enctype(x->key.enctype))
			continue;
		r = kt_prove_one(principal, password, x, e);
		if (r < 0)
			return -1;
		if (r == 1)
			*match = 0;
		tested++;
	}
	if (tested == 0)
		return error_fail(e, TM_EBACKEND, ST_KDC_UNKNOWN_ETYPE,
			       "no key of %s (kvno %u) has an encryption type this "
			       "Kerberos library supports", principal, (unsigned)kvno);
	return 0;
}

/* Check password against every key of principal's current kvno. */
int store_keytab_prove(const char *path, const char *principal, const char *password,
	       int *match, tm_error *e)
{
	krb5_context ctx = keys_context(e);
	char canon[KEYS_PRINC_MAX];
	kt_tab t;
	int ret;

	*match = -1;
	if (!ctx || kt_canon(ctx, principal, canon, sizeof(canon), e) < 0)
		return -1;
	if (!password)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "no password given");
	if (kt_load(ctx, path, &t, e) < 0)
		return -1;
	ret = kt_prove_tab(&t, canon, password, match, e);
	kt_tab_free(&t);
	return ret;
}

/* The strongest enctype both bit sets allow that the issuer holds at kvno
 * and the acceptor holds at any kvno; 0 when none. */
static int32_t kt_pick_enctype(const kt_tab *iss, const kt_tab *acc, const char *principal,
			       uint32_t kvno, uint32_t issuer_bits, uint32_t acceptor_bits)
{
	int32_t ie[KEYS_MAX_PER_KVNO], ae[KEYS_MAX_PER_KVNO];
	size_t ni = keys_enctypes_from_bits(issuer_bits, ie, KEYS_MAX_PER_KVNO);
	size_t na = keys_enctypes_from_bits(acceptor_bits, ae, KEYS_MAX_PER_KVNO);
	size_t i, j;

	for (i = 0; i < ni; i++)
		for (j = 0; j < na; j++)
			if (ie[i] == ae[j] && kt_tab_find(iss, principal, kvno, 0, ie[i]) &&
			    kt_tab_find(acc, principal, 0, 1, ie[i]))
				return ie[i];
	return 0;
}

/* Decide the outcome once both keytabs are loaded. */
static int kt_verify_tabs(const kt_tab *iss, const kt_tab *acc, const char *principal,
			  uint32_t issuer_bits, uint32_t acceptor_bits, verify_result *r,
			  int *missing_side, tm_error *e)
{
	const kt_ent *ik, *ak;
	int have_i = kt_tab_highest(iss, principal, &r->issuer_kvno);
	int have_a = kt_tab_highest(acc, principal, &r->acceptor_kvno);
	int ret;

	if (!have_i || !have_a) {
		r->outcome = VERIFY_MISSING_PRINCIPAL;
		*missing_side = have_i ? 1 : 0;
		snprintf(r->detail, sizeof(r->detail),
			 "Server %.200s not found in Kerberos database", principal);
		return 0;
	}
	r->enctype = kt_pick_enctype(iss, acc, principal, r->issuer_kvno, issuer_bits,
				     acceptor_bits);
	if (r->enctype == 0) {
		r->outcome = VERIFY_NO_COMMON_ENCTYPE;
		snprintf(r->detail, sizeof(r->detail), "KDC has no support for encryption type");
		return 0;
	}
	ik = kt_tab_find(iss, principal, r->issuer_kvno, 0, r->enctype);
	ak = kt_tab_find(acc, principal, r->issuer_kvno, 0, r->enctype);
	if (!ak) {
		r->outcome = VERIFY_NO_MATCHING_KVNO;
		snprintf(r->detail, sizeof(r->detail), "No matching key in entry");
		return 0;
	}
	ret = kt_challenge(&ik->key, &ak->key, e);
	if (ret < 0)
		return -1;
	r->outcome = ret ? VERIFY_DECRYPT_INTEGRITY : VERIFY_OK;
	if (ret)
		snprintf(r->detail, sizeof(r->detail), "Decrypt integrity check failed");
	return 0;
}

/* Issue with the issuer's current key, accept with the acceptor's key. */
int store_keytab_verify(const char *issuer_path, const char *acceptor_path,
		const char *principal, uint32_t issuer_bits, uint32_t acceptor_bits,
		verify_result *r, int *missing_side, tm_error *e)
{
	krb5_context ctx = keys_context(e);
	kt_tab iss, acc;
	int ret;

	/* principal may be r->principal itself: it is parsed before r->principal
	 * is rewritten in canonical form. */
	*missing_side = -1;
	r->issuer_kvno = r->acceptor_kvno = 0;
	r->enctype = 0;
	r->detail[0] = '\0';
	if (!ctx || kt_canon(ctx, principal, r->principal, sizeof(r->principal), e) < 0)
		return -1;
	if (kt_load(ctx, issuer_path, &iss, e) < 0)
		return -1;
	if (kt_load(ctx, acceptor_path, &acc, e) < 0) {
		kt_tab_free(&iss);
		return -1;
	}
	ret = kt_verify_tabs(&iss, &acc, r->principal, issuer_bits, acceptor_bits, r,
			     missing_side, e);
	kt_tab_free(&iss);
	kt_tab_free(&acc);
	return ret;
}
