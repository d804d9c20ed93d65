/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store.c - the embedded store: its folders, the "embedded" ops table
 * (the lock: store_lock.c) over domain.ldif (store_ldif.c), krb5.keytab (store_keytab.c),
 * the health file (store_health.c) and the journal (store_journal.c).
 *
 * Every change is load - modify - save of one whole file, replaced
 * atomically, under the exclusive lock: an op that changes something takes
 * the exclusive lock itself when this backend does not hold it yet, so no
 * update can be lost to a concurrent process.
 */
#include "backend/store/store.h"
#include "backend/store/store_internal.h"
#include "backend/store/store_fs.h"
#include "backend/store/store_health.h"
#include "backend/store/store_keytab.h"
#include "backend/store/store_ldif.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/grow.h"
#include "model/keys.h"
#include "model/secret.h"
#include "backend/os/fsmode.h"
#include "backend/os/paths.h"
#include "model/tdo.h"
#include "model/domain.h"
#include "backend/os/safefile.h"


static store *st(tm_backend *be)
{
	return be->priv;
}

/* ---- paths ---------------------------------------------------------------- */

/* Can this store key name a folder? */
static int key_ok(const char *k)
{
	size_t i;

	if (!k || !k[0] || k[0] == '.' || strlen(k) >= DOMAIN_KEY_MAX)
		return 0;
	for (i = 0; k[i]; i++)
		if ((unsigned char)k[i] < 0x20 || k[i] == 0x7f || k[i] == '/')
			return 0;
	return 1;
}

/* store_domain_file: STORE/domains/<domain>/<file> (the folder itself when
 * file is NULL); refuses keys that could leave the folder. */
int store_domain_file(const store *s, const char *domain, const char *file,
		      char *buf, size_t n, tm_error *e)
{
	if (!key_ok(domain)) {
		error_fail(e, TM_EUSAGE, ST_OBJECT_NAME_INVALID,
			"\"%.80s\" cannot name a domain in the store", domain ? domain : "");
		error_hint(e, "use a name of 1-%d characters that does not start with '.' and has "
			   "no '/' or control characters", DOMAIN_KEY_MAX - 1);
		return -1;
	}
	if (!file)
		return store_fs_path(s, buf, n, e, "domains/%s", domain);
	return store_fs_path(s, buf, n, e, "domains/%s/%s", domain, file);
}

/* A file of a domain that must already be in the store. */
static int dom_file(const store *s, const tm_domain *d, const char *file, char *buf,
		    tm_error *e)
{
	int r = store_folder_state(s, d->name, e);

	if (r < 0)
		return -1;
	if (r == STORE_DOM_NONE) {
		error_fail(e, TM_EUSAGE, ST_NO_SUCH_DOMAIN, "the domain %s is not in the store %s",
			d->name, s->dir);
		error_hint(e, "add it first, or check the name with `trustmgr domain list`");
		return -1;
	}
	return store_domain_file(s, d->name, file, buf, PATH_MAX, e);
}

/* store_default_dir: $XDG_DATA_HOME/trustmgr, else ~/.local/share/trustmgr. */
int store_default_dir(char *buf, size_t n, tm_error *e)
{
	paths_result r = paths_user_dir("XDG_DATA_HOME", ".local/share", "trustmgr", buf, n);

	if (r == PATHS_NO_HOME) {
		error_fail(e, TM_EUSAGE, NULL, "there is no home folder to keep the store in");
		error_hint(e, "set HOME or XDG_DATA_HOME, or name the store folder explicitly");
		return -1;
	}
	if (r == PATHS_TOO_LONG)
		return error_fail(e, TM_EUSAGE, NULL, "the store folder name is too long");
	return 0;
}

/* ---- lock (store_lock.c) ---------------------------------------------------- */

static int op_lock(tm_backend *be, int exclusive, tm_error *e)
{
	return store_lock_take(st(be), exclusive, e);
}

/* Changes need the exclusive lock; take it when not held. */
static int need_write(store *s, tm_error *e)
{
	return store_lock_take(s, 1, e);
}

static void op_close(tm_backend *be)
{
	if (!be)
		return;
	store_lock_release(st(be));
	free(be->priv);
	free(be);
}

/* ---- domains -------------------------------------------------------------- */

static int dom_cmp(const void *a, const void *b)
{
	return strcmp(((const tm_domain *)a)->name, ((const tm_domain *)b)->name);
}

/* Load the domain entry of folder `key`; 1 when it is no domain (a name
 * that cannot be a key, such as ".hidden", or an empty folder), -1 with e
 * when it is damaged or cannot be read: a listing never leaves a domain
 * out without a word. */
static int load_domain(const store *s, const char *key, tm_domain *out, tm_error *e)
{
	char path[PATH_MAX];
	int r;

	if (!key_ok(key))
		return 1;
	r = store_folder_state(s, key, e);
	if (r <= 0)
		return r < 0 ? -1 : 1;
	if (store_domain_file(s, key, "domain.ldif", path, sizeof(path), e) != 0 ||
	    store_ldif_load_domain(path, out, e) != 0)
		return -1;
	if (strcmp(out->name, key) != 0) {
		error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
			"%s names the domain \"%.64s\", not %s as its folder does", path, out->name, key);
		error_hint(e, "rename the folder to match, or correct the \"name:\" attribute of "
			   "the domain entry");
		return -1;
	}
	return 0;
}

static int push_domain(tm_domain **v, size_t *n, size_t *cap, const tm_domain *d, tm_error *e)
{
	tm_domain *nv = grow_array(*v, cap, *n + 1, sizeof(**v), 8);

	if (!nv)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory listing the domains");
	*v = nv;
	nv[(*n)++] = *d;
	return 0;
}

static int list_domains(const store *s, tm_domain **out, size_t *n, tm_error *e)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *dh;
	size_t cap = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (store_fs_path(s, dir, sizeof(dir), e, "domains") != 0)
		return -1;
	dh = opendir(dir);
	if (!dh)
		return safefile_error(dir, errno, "the folder of the store's domains", e);
	while (rc == 0 && (de = readdir(dh)) != NULL) {
		tm_domain d;
		int r = load_domain(s, de->d_name, &d, e);

		if (r < 0)
			rc = -1;
		else if (r == 0)
			rc = push_domain(out, n, &cap, &d, e);
	}
	closedir(dh);
	if (rc != 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), dom_cmp);
	return 0;
}

static int op_domain_list(tm_backend *be, tm_domain **out, size_t *n, tm_error *e)
{
	return list_domains(st(be), out, n, e);
}

__attribute__((format(printf, 3, 4)))
static int refuse(tm_error *e, const char *status, const char *fmt, ...)
{
	char msg[TM_WHAT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error_fail(e, TM_EREFUSED, status, "%s", msg);
	error_hint(e, "choose other names, or remove the domain that is already there");
	return -1;
}

/* The new domain must not share a name, DNS name, NetBIOS name, realm or
 * SID with a domain already in the store. */
static int check_new_domain(const tm_domain *x, const tm_domain *d, tm_error *e)
{
	char sid[SID_TEXT_MAX];

	if (domain_matches(x, d->name))
		return refuse(e, ST_DOMAIN_EXISTS, "the name %s already refers to the domain %s",
			      d->name, x->name);
	if (d->dns[0] && x->dns[0] && name_equal(d->dns, x->dns))
		return refuse(e, ST_DOMAIN_EXISTS, "the DNS name %s belongs to the domain %s",
			      d->dns, x->name);
	if (d->netbios[0] && x->netbios[0] && name_equal(d->netbios, x->netbios))
		return refuse(e, ST_OBJECT_NAME_COLLISION,
			      "the NetBIOS name %s belongs to the domain %s", d->netbios, x->name);
	if (d->realm[0] && x->realm[0] && name_equal(d->realm, x->realm))
		return refuse(e, ST_OBJECT_NAME_COLLISION, "the realm %s belongs to the domain %s",
			      d->realm, x->name);
	if (d->has_sid && x->has_sid && sid_equal(&d->sid, &x->sid))
		return refuse(e, ST_OBJECT_NAME_COLLISION,
			      "the SID %s belongs to the domain %s: the two domains might share SIDs",
			      sid_format(&d->sid, sid, sizeof(sid)), x->name);
	return 0;
}

static int create_domain(const store *s, const tm_domain *d, tm_error *e)
{
	char dir[PATH_MAX], path[PATH_MAX];
	stldif_domain sd;

	memset(&sd, 0, sizeof(sd));
	sd.dom = *d;
	if (store_domain_file(s, d->name, NULL, dir, sizeof(dir), e) != 0 ||
	    store_domain_file(s, d->name, "domain.ldif", path, sizeof(path), e) != 0 ||
	    store_fs_mkdir_private(dir, e) != 0)
		return -1;
	return store_ldif_save(path, &sd, e);
}

static int op_domain_add(tm_backend *be, const tm_domain *d, tm_error *e)
{
	store *s = st(be);
	tm_domain *v = NULL;
	size_t n = 0, i;
	char dir[PATH_MAX];
	int rc = 0;

	if (store_domain_file(s, d->name, NULL, dir, sizeof(dir), e) != 0 ||
	    domain_validate(d, e) != 0 || need_write(s, e) != 0 ||
	    list_domains(s, &v, &n, e) != 0)
		return -1;
	for (i = 0; rc == 0 && i < n; i++)
		rc = s->state_only ? (name_equal(v[i].name, d->name) ?
			refuse(e, ST_DOMAIN_EXISTS, "the state folder already holds %s", d->name) : 0) :
			check_new_domain(&v[i], d, e);
	free(v);
	if (rc == 0 && store_folder_state(s, d->name, e) != STORE_DOM_NONE)
		rc = -1;           /* damaged or unreadable: never reuse what it holds */
	return rc != 0 ? -1 : create_domain(s, d, e);
}

/* ---- domain.ldif: TDOs and accounts ---------------------------------------- */

static int load_ldif(const store *s, const tm_domain *d, char *path, stldif_domain *sd,
		     tm_error *e)
{
	memset(sd, 0, sizeof(*sd));
	if (dom_file(s, d, "domain.ldif", path, e) != 0)
		return -1;
	return store_ldif_load(path, sd, e);
}

/* Save and free sd; returns the save's result. */
static int save_ldif(const char *path, stldif_domain *sd, tm_error *e)
{
	int rc = store_ldif_save(path, sd, e);

	store_ldif_free(sd);
	return rc;
}

static int op_tdo_list(tm_backend *be, const tm_domain *d, tm_tdo **out, size_t *n,
		       tm_error *e)
{
	char path[PATH_MAX];
	stldif_domain sd;

	*out = NULL;
	*n = 0;
	if (load_ldif(st(be), d, path, &sd, e) != 0)
		return -1;
	*out = sd.tdos;
	*n = sd.ntdos;
	sd.tdos = NULL;
	sd.ntdos = 0;
	store_ldif_free(&sd);
	return 0;
}

static int op_tdo_list_public(tm_backend *be, const tm_domain *d, tm_tdo_rows *out,
			      tm_error *e)
{
	char path[PATH_MAX];

	if (dom_file(st(be), d, "domain.ldif", path, e) != 0)
		return -1;
	return store_ldif_load_rows(path, out, e);
}

static long tdo_index(const stldif_domain *sd, const char *partner)
{
	size_t i;

	for (i = 0; i < sd->ntdos; i++)
		if (name_equal(sd->tdos[i].partner, partner))
			return (long)i;
	return -1;
}

/* Replace slot i (or append when i < 0) with a copy of t, stamped. */
static int store_tdo(stldif_domain *sd, long i, const tm_tdo *t, tm_error *e)
{
	long long now = (long long)time(NULL);
	long long created = t->when_created ? t->when_created : now;
	tm_tdo nt;

	if (i >= 0 && sd->tdos[i].when_created)
		created = sd->tdos[i].when_created;
	if (tdo_copy(&nt, t) != 0)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory storing the TDO");
	nt.when_created = created;
	nt.when_changed = now;
	if (i < 0) {
		size_t cap = sd->ntdos;          /* room for at least what it holds */
		tm_tdo *v = grow_array(sd->tdos, &cap, sd->ntdos + 1, sizeof(*v), 16);

		if (!v) {
			tdo_free(&nt);
			return error_fail(e, TM_EBACKEND, NULL, "out of memory storing the TDO");
		}
		sd->tdos = v;
		i = (long)sd->ntdos++;
	} else {
		tdo_free(&sd->tdos[i]);
	}
	sd->tdos[i] = nt;
	return 0;
}

static int op_tdo_put(tm_backend *be, const tm_domain *d, const tm_tdo *t, tm_error *e)
{
	char path[PATH_MAX];
	stldif_domain sd;

	if (need_write(st(be), e) != 0 || load_ldif(st(be), d, path, &sd, e) != 0)
		return -1;
	if (store_tdo(&sd, tdo_index(&sd, t->partner), t, e) != 0) {
		store_ldif_free(&sd);
		return -1;
	}
	return save_ldif(path, &sd, e);
}

/* d's UPN and SPN suffixes, kept on its entry in domain.ldif. */
static int op_suffixes_put(tm_backend *be, const tm_domain *d, const tm_domain *names,
			   tm_error *e)
{
	char path[PATH_MAX];
	stldif_domain sd;

	if (need_write(st(be), e) != 0 || load_ldif(st(be), d, path, &sd, e) != 0)
		return -1;
	sd.dom.nupn = names->nupn;
	sd.dom.nspn = names->nspn;
	memcpy(sd.dom.upn_suffixes, names->upn_suffixes, sizeof(sd.dom.upn_suffixes));
	memcpy(sd.dom.spn_suffixes, names->spn_suffixes, sizeof(sd.dom.spn_suffixes));
	return save_ldif(path, &sd, e);
}

static int op_tdo_delete(tm_backend *be, const tm_domain *d, const char *partner,
			 tm_error *e)
{
	char path[PATH_MAX];
	stldif_domain sd;
	long i;

	if (need_write(st(be), e) != 0 || load_ldif(st(be), d, path, &sd, e) != 0)
		return -1;
	i = tdo_index(&sd, partner);
	if (i < 0) {
		store_ldif_free(&sd);
		return 0;
	}
	tdo_free(&sd.tdos[i]);
	memmove(&sd.tdos[i], &sd.tdos[i + 1], (sd.ntdos - (size_t)i - 1) * sizeof(sd.tdos[0]));
	sd.ntdos--;
	return save_ldif(path, &sd, e);
}

static int op_account_list(tm_backend *be, const tm_domain *d, tm_account **out,
			   size_t *n, tm_error *e)
{
	char path[PATH_MAX];
	stldif_domain sd;

	*out = NULL;
	*n = 0;
	if (load_ldif(st(be), d, path, &sd, e) != 0)
		return -1;
	*out = sd.accounts;
	*n = sd.naccounts;
	sd.accounts = NULL;
	sd.naccounts = 0;
	store_ldif_free(&sd);
	return 0;
}

static long account_index(const stldif_domain *sd, const char *name)
{
	size_t i;

	for (i = 0; name && i < sd->naccounts; i++)
		if (name_equal(sd->accounts[i].name, name))
			return (long)i;
	return -1;
}

static int op_account_put(tm_backend *be, const tm_domain *d, const tm_account *a,
			  tm_error *e)
{
	char path[PATH_MAX];
	stldif_domain sd;
	tm_account na = *a;
	long i;

	if (need_write(st(be), e) != 0 || load_ldif(st(be), d, path, &sd, e) != 0)
		return -1;
	i = account_index(&sd, a->name);
	if (!na.created)
		na.created = i >= 0 && sd.accounts[i].created ? sd.accounts[i].created :
			     (long long)time(NULL);
	if (i < 0) {
		size_t cap = sd.naccounts;       /* room for at least what it holds */
		tm_account *v = grow_array(sd.accounts, &cap, sd.naccounts + 1, sizeof(*v), 16);

		if (!v) {
			store_ldif_free(&sd);
			return error_fail(e, TM_EBACKEND, NULL, "out of memory storing the account");
		}
		sd.accounts = v;
		i = (long)sd.naccounts++;
	}
	sd.accounts[i] = na;
	return save_ldif(path, &sd, e);
}

static int op_account_delete(tm_backend *be, const tm_domain *d, const char *name,
			     tm_error *e)
{
	char path[PATH_MAX];
	stldif_domain sd;
	long i;

	if (need_write(st(be), e) != 0 || load_ldif(st(be), d, path, &sd, e) != 0)
		return -1;
	i = account_index(&sd, name);
	if (i < 0) {
		store_ldif_free(&sd);
		return 0;
	}
	memmove(&sd.accounts[i], &sd.accounts[i + 1],
		(sd.naccounts - (size_t)i - 1) * sizeof(sd.accounts[0]));
	sd.naccounts--;
	return save_ldif(path, &sd, e);
}

/* ---- keys ----------------------------------------------------------------- */

static int op_key_list(tm_backend *be, const tm_domain *d, tm_keyinfo **out, size_t *n,
		       tm_error *e)
{
	char path[PATH_MAX];

	*out = NULL;
	*n = 0;
	if (dom_file(st(be), d, "krb5.keytab", path, e) != 0)
		return -1;
	return store_keytab_list(path, out, n, e);
}

static int op_key_set(tm_backend *be, const tm_domain *d, const char *principal,
		      const char *password, uint32_t kvno, uint32_t enctypes,
		      int keep_previous, tm_error *e)
{
	char path[PATH_MAX];

	if (need_write(st(be), e) != 0 || dom_file(st(be), d, "krb5.keytab", path, e) != 0)
		return -1;
	return store_keytab_set(path, principal, password, kvno, enctypes, keep_previous, e);
}

static int op_key_delete(tm_backend *be, const tm_domain *d, const char *principal,
			 tm_error *e)
{
	char path[PATH_MAX];

	if (need_write(st(be), e) != 0 || dom_file(st(be), d, "krb5.keytab", path, e) != 0)
		return -1;
	return store_keytab_delete(path, principal, e);
}

/* The embedded KDC does what kpasswd would: the principal proves its old
 * password, the new key becomes the next key version, the old one stays. */
static int op_key_change(tm_backend *be, const tm_domain *d, const char *principal,
			 const char *old_pw, const char *new_pw, uint32_t enctypes, uint32_t *kvno,
			 tm_error *e)
{
	char path[PATH_MAX];
	tm_keyinfo *v = NULL;
	size_t n = 0, i;
	uint32_t cur = 0, bits = 0;
	int match = 0;

	if (need_write(st(be), e) != 0 || dom_file(st(be), d, "krb5.keytab", path, e) != 0 ||
	    store_keytab_prove(path, principal, old_pw, &match, e) != 0 || store_keytab_list(path, &v, &n, e) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(v[i].principal, principal) == 0) {
			cur = v[i].kvno;
			bits = v[i].enctypes;
		}
	free(v);
	if (match != 1)
		return error_fail(e, TM_EFAIL, match < 0 ? ST_NO_TRUST_SAM_ACCOUNT : ST_WRONG_PASSWORD,
			       "%s: the password change of %s was refused: %s", d->name, principal,
			       match < 0 ? "the principal does not exist" : "the old password is wrong");
	*kvno = cur + 1;
	return store_keytab_set(path, principal, new_pw, *kvno, enctypes ? enctypes : bits, 1, e);
}

/* Every domain of the embedded store can be read and changed. */
static void op_caps(tm_backend *be, const tm_domain *d, tm_caps *out)
{
	(void)be;
	(void)d;
	caps_all(out);
}

/* ---- prove and verify ------------------------------------------------------ */

/* The first wrong password uses the account's one chance. */
static int lock_account(const char *path, stldif_domain *sd, long i, tm_error *e)
{
	sd->accounts[i].locked = 1;
	sd->accounts[i].locked_at = (long long)time(NULL);
	return store_ldif_save(path, sd, e);
}

static int prove_with(const store *s, const tm_domain *d, const char *principal,
		      const char *password, const char *path, stldif_domain *sd, long acct,
		      prove_result *res, tm_error *e)
{
	char kt[PATH_MAX];
	int match = 0;

	if (acct >= 0 && sd->accounts[acct].locked) {
		*res = PROVE_LOCKED;
		return 0;
	}
	if (dom_file(s, d, "krb5.keytab", kt, e) != 0 ||
	    store_keytab_prove(kt, principal, password, &match, e) != 0)
		return -1;
	*res = match > 0 ? PROVE_OK : match < 0 ? PROVE_MISSING : PROVE_WRONG;
	if (*res == PROVE_WRONG && acct >= 0)
		return lock_account(path, sd, acct, e);
	return 0;
}

static int op_prove(tm_backend *be, const tm_domain *d, const char *principal,
		    const char *account, const char *password, prove_result *res, tm_error *e)
{
	char path[PATH_MAX];
	stldif_domain sd;
	int rc;

	*res = PROVE_MISSING;
	if (need_write(st(be), e) != 0 || load_ldif(st(be), d, path, &sd, e) != 0)
		return -1;
	rc = prove_with(st(be), d, principal, password, path, &sd,
			account ? account_index(&sd, account) : -1, res, e);
	store_ldif_free(&sd);
	return rc;
}

/* Does TDO t describe the domain p (partner name, DNS, NetBIOS or SID)? */
static int tdo_names(const tm_tdo *t, const tm_domain *p)
{
	const char *pn = domain_partner_name(p);

	if (pn[0] && name_equal(t->partner, pn))
		return 1;
	if (p->dns[0] && name_equal(t->partner, p->dns))
		return 1;
	if (p->netbios[0] && (name_equal(t->partner, p->netbios) ||
			      (t->flat[0] && name_equal(t->flat, p->netbios))))
		return 1;
	return t->has_sid && p->has_sid && sid_equal(&t->sid, &p->sid);
}

/* The TDO of `holder` for `partner` carrying direction bit `dir`: 1 found
 * (*bits = its enctypes or 0), 0 missing, -1 on error. */
static int find_tdo(const store *s, const tm_domain *holder, const tm_domain *partner,
		    uint32_t dir, uint32_t *bits, tm_error *e)
{
	char path[PATH_MAX];
	stldif_domain sd;
	size_t i;
	int found = 0;

	if (load_ldif(s, holder, path, &sd, e) != 0)
		return -1;
	for (i = 0; !found && i < sd.ntdos; i++) {
		const tm_tdo *t = &sd.tdos[i];

		if ((t->direction & dir) && tdo_names(t, partner)) {
			found = 1;
			*bits = t->has_enctypes ? t->enctypes : 0;
		}
	}
	store_ldif_free(&sd);
	return found;
}

static int verify_keys(const store *s, const tm_domain *a, const tm_domain *b,
		       uint32_t abits, uint32_t bbits, verify_result *r, tm_error *e)
{
	char issuer[PATH_MAX], acceptor[PATH_MAX];
	int missing = 0;

	if (keys_trust_principal(a->realm, b->realm, r->principal, sizeof(r->principal), e) != 0 ||
	    dom_file(s, b, "krb5.keytab", issuer, e) != 0 ||
	    dom_file(s, a, "krb5.keytab", acceptor, e) != 0 ||
	    store_keytab_verify(issuer, acceptor, r->principal, bbits, abits, r, &missing, e) != 0)
		return -1;
	/* store_keytab_verify: missing 0 = the issuer (b) lacks it, 1 = the acceptor (a) */
	if (r->outcome == VERIFY_MISSING_PRINCIPAL)
		snprintf(r->missing_on, sizeof(r->missing_on), "%s",
			 missing == 1 ? a->name : b->name);
	return 0;
}

/* "a trusts b": a's outbound TDO, b's inbound TDO, then the keys. */
static int op_verify(tm_backend *be, const tm_domain *a, const tm_domain *b,
		     verify_result *r, tm_error *e)
{
	uint32_t abits = 0, bbits = 0;
	int fa, fb;

	memset(r, 0, sizeof(*r));
	snprintf(r->trusting, sizeof(r->trusting), "%s", a->name);
	snprintf(r->trusted, sizeof(r->trusted), "%s", b->name);
	fa = find_tdo(st(be), a, b, TRUST_DIRECTION_OUTBOUND, &abits, e);
	fb = fa < 0 ? -1 : find_tdo(st(be), b, a, TRUST_DIRECTION_INBOUND, &bbits, e);
	if (fa < 0 || fb < 0)
		return -1;
	if (!fa || !fb) {
		r->outcome = VERIFY_MISSING_TDO;
		snprintf(r->missing_on, sizeof(r->missing_on), "%s", !fa ? a->name : b->name);
		if (keys_trust_principal(a->realm, b->realm, r->principal, sizeof(r->principal),
					 NULL) != 0)
			r->principal[0] = '\0';
		return 0;
	}
	return verify_keys(st(be), a, b, abits, bbits, r, e);
}

/* ---- health ----------------------------------------------------------------- */

static int op_health_get(tm_backend *be, const tm_domain *d, const char *partner,
			 tm_health *h, long long *when, tm_error *e)
{
	char path[PATH_MAX];

	*h = HEALTH_UNKNOWN;
	*when = 0;
	if (dom_file(st(be), d, "health", path, e) != 0)
		return -1;
	return store_health_get(path, partner, h, when, e);
}

static int op_health_rows(tm_backend *be, const tm_domain *d, const tm_tdo_rows *rows,
			  tm_health *h, long long *when, tm_error *e)
{
	char path[PATH_MAX];

	if (dom_file(st(be), d, "health", path, e) != 0)
		return -1;
	return store_health_get_rows(path, rows, h, when, e);
}

static int op_health_put(tm_backend *be, const tm_domain *d, const char *partner,
			 tm_health h, tm_error *e)
{
	char path[PATH_MAX];

	if (store_health_partner_ok(partner, e) != 0 || need_write(st(be), e) != 0 ||
	    dom_file(st(be), d, "health", path, e) != 0)
		return -1;
	return store_health_put(path, partner, h, e);
}

/* ---- journal ---------------------------------------------------------------- */

static int op_journal_begin(tm_backend *be, const tm_plan *p, tm_error *e)
{
	if (need_write(st(be), e) != 0)
		return -1;
	return store_journal_begin(st(be), p, e);
}

static int op_journal_step(tm_backend *be, size_t i, tm_error *e)
{
	return store_journal_step(st(be), i, e);
}

static int op_journal_running(tm_backend *be, size_t from, size_t to, tm_error *e)
{
	return store_journal_running(st(be), from, to, e);
}

static int op_journal_steps(tm_backend *be, size_t from, size_t to, tm_error *e)
{
	return store_journal_steps(st(be), from, to, e);
}

static int op_journal_end(tm_backend *be, int ok, tm_error *e)
{
	return store_journal_end(st(be), ok, e);
}

static int op_journal_pending(tm_backend *be, tm_plan **p, journal_info *info, tm_error *e)
{
	return store_journal_pending(st(be), p, info, e);
}

static int op_journal_rollback(tm_backend *be, tm_error *e)
{
	if (need_write(st(be), e) != 0)
		return -1;
	return store_journal_rollback(st(be), e);
}

static int op_journal_discard(tm_backend *be, tm_error *e)
{
	if (need_write(st(be), e) != 0)
		return -1;
	return store_journal_discard(st(be), e);
}

static int op_journal_set_aside(tm_backend *be, char *where, size_t n, tm_error *e)
{
	if (need_write(st(be), e) != 0)
		return -1;
	return store_journal_set_aside(st(be), where, n, e);
}

static int op_state_show(tm_backend *be, tm_state_info *out, tm_error *e)
{
	tm_domain *v = NULL;
	size_t n = 0;

	if (list_domains(st(be), &v, &n, e) != 0)
		return -1;
	free(v);
	return store_folder_state_show(st(be), n, out);
}

static int op_stamp(tm_backend *be, uint64_t *out, tm_error *e)
{
	return store_stamp(st(be), out, e);
}

static const tm_backend_ops store_ops = {
	.name = "embedded",
	.close = op_close,
	.lock = op_lock,
	.domain_list = op_domain_list,
	.domain_add = op_domain_add,
	.tdo_list = op_tdo_list,
	.tdo_list_public = op_tdo_list_public,
	.health_rows = op_health_rows,
	.tdo_put = op_tdo_put,
	.tdo_delete = op_tdo_delete,
	.account_list = op_account_list,
	.account_put = op_account_put,
	.account_delete = op_account_delete,
	.key_list = op_key_list,
	.key_set = op_key_set,
	.key_delete = op_key_delete,
	.key_change = op_key_change,
	.caps = op_caps,
	.prove = op_prove,
	.verify = op_verify,
	.health_get = op_health_get,
	.health_put = op_health_put,
	.journal_begin = op_journal_begin,
	.journal_step = op_journal_step,
	.journal_running = op_journal_running,
	.journal_steps = op_journal_steps,
	.journal_end = op_journal_end,
	.journal_pending = op_journal_pending,
	.journal_rollback = op_journal_rollback,
	.journal_discard = op_journal_discard,
	.journal_set_aside = op_journal_set_aside,
	.state_show = op_state_show,
	.stamp = op_stamp,
	.suffixes_put = op_suffixes_put,
};

/* ---- open ------------------------------------------------------------------- */

static int make_folders(const store *s, tm_error *e)
{
	char path[PATH_MAX];

	if (store_fs_mkdir_private(s->dir, e) != 0)
		return -1;
	if (store_fs_path(s, path, sizeof(path), e, "domains") != 0 ||
	    store_fs_mkdir_private(path, e) != 0)
		return -1;
	if (store_fs_path(s, path, sizeof(path), e, "journal") != 0 ||
	    store_fs_mkdir_private(path, e) != 0)
		return -1;
	return 0;
}

/* store_open: create or open the store in dir (folders 0700; 2770 when dir
 * is a shared folder, backend/os/fsmode.h). */
tm_backend *store_open(const char *dir, tm_error *e)
{
	tm_backend *be = calloc(1, sizeof(*be));
	store *s = calloc(1, sizeof(*s));
	size_t len = dir ? strlen(dir) : 0;

	if (!be || !s || len == 0 || len >= sizeof(s->dir) - 64) {
		error_fail(e, !be || !s ? TM_EBACKEND : TM_EUSAGE, NULL,
			!be || !s ? "out of memory opening the store" :
			"the store folder name is empty or too long");
		free(be);
		free(s);
		return NULL;
	}
	memcpy(s->dir, dir, len + 1);
	while (len > 1 && s->dir[len - 1] == '/')
		s->dir[--len] = '\0';
	s->lockfd = -1;
	if (fsmode_is_shared_dir(s->dir))
		fsmode_share(1);
	if (make_folders(s, e) != 0) {
		free(be);
		free(s);
		return NULL;
	}
	be->ops = &store_ops;
	be->priv = s;
	return be;
}

tm_backend *store_open_state(const char *dir, tm_error *e)
{
	tm_backend *be = store_open(dir, e);

	if (be)
		st(be)->state_only = 1;
	return be;
}

/* store_forget_state: see store.h. */
int store_forget_state(tm_backend *be, const char *name, tm_error *e)
{
	store *s = st(be);
	tm_plan *p = NULL;
	journal_info info;
	int named;

	if (need_write(s, e) != 0 || store_journal_pending(s, &p, &info, e) != 0)
		return -1;
	named = p && plan_touches(p, name);
	plan_free(&p);
	if (named) {
		error_fail(e, TM_EREFUSED, ST_INVALID_DOMAIN_STATE, "the interrupted plan changes %s, "
			   "so its state is kept", name);
		error_hint(e, "Finish the plan first ('trustmgr journal' shows it), then clear the "
			   "state again.");
		return -1;
	}
	return store_folder_remove(s, name, e);
}
