/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* directory.c - the ops table for real domains: TDOs over LDAP, keys through
 * kadm5 and the Kerberos protocol, local state for lock, health and journal. */
#include "backend/directory/directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/keys.h"
#include "model/secret.h"
#include "backend/config/config.h"
#include "backend/directory/directory_journal.h"
#include "backend/kdc/kdc.h"
#include "backend/realm/realm.h"
#include "backend/ldap/ldapdir.h"
#include "backend/ldap/ldapdir_suffix.h"
#include "backend/ldap/ldapdir_tdo.h"
#include "backend/store/store.h"
#include "backend/directory/directory_internal.h"
#include "model/tdo.h"

/* directory_db: the backend's state. */
dirbe *directory_db(tm_backend *be)
{
	return be->priv;
}

/* directory_index: d in the configuration, or -1 with e. */
long directory_index(dirbe *b, const tm_domain *d, tm_error *e)
{
	size_t i;

	for (i = 0; i < b->cfg.ndomains; i++)
		if (strcmp(b->cfg.domains[i].dom.name, d->name) == 0)
			return (long)i;
	error_fail(e, TM_EUSAGE, ST_NO_SUCH_DOMAIN, "%s is not a domain of %s", d->name, b->cfg.path);
	error_hint(e, "Add a block for it under [domains] in %s.", b->cfg.path);
	return -1;
}

ldapdir *directory_ldap(dirbe *b, const tm_domain *d, tm_error *e)
{
	long i = directory_index(b, d, e);

	if (i < 0)
		return NULL;
	if (!b->ld[i] && b->open_err[i].ld.cls != TM_OK) {
		*e = b->open_err[i].ld;            /* open_sessions tried: said once */
		error_clear(&b->open_err[i].ld);
		return NULL;
	}
	if (!b->ld[i]) {
		b->ld[i] = ldapdir_open(&b->cfg.domains[i], b->cfg.timeout, e);
		if (!b->ld[i])
			error_prefix(e, "%s: ", d->name);
	}
	return b->ld[i];
}

kdc *directory_kdc(dirbe *b, const tm_domain *d, tm_error *e)
{
	long i = directory_index(b, d, e);

	if (i < 0)
		return NULL;
	if (!b->kd[i] && b->open_err[i].kd.cls != TM_OK) {
		*e = b->open_err[i].kd;
		error_clear(&b->open_err[i].kd);
		return NULL;
	}
	if (!b->kd[i]) {
		b->kd[i] = kdc_open(&b->cfg.domains[i], b->cfg.timeout, e);
		if (!b->kd[i])
			error_prefix(e, "%s: ", d->name);
	}
	return b->kd[i];
}


/* ---- lifecycle, lock, domains ------------------------------------------- */

static void dir_close(tm_backend *be)
{
	dirbe *b;
	size_t i;

	if (!be)
		return;
	b = directory_db(be);
	/* Every helper is told to leave before any is waited for, and the
	 * factory (no secret, no session) goes meanwhile. */
	for (i = 0; b->ad && i < b->cfg.ndomains; i++)
		ad_side_quit(&b->ad[i]);
	ad_lsa_factory_stop(&b->factory);
	for (i = 0; i < b->cfg.ndomains; i++) {
		if (b->ad)
			ad_side_close(&b->ad[i]);
		ldapdir_close(&b->ld[i]);
		kdc_close(&b->kd[i]);
	}
	free(b->ld);
	free(b->kd);
	free(b->mirrored);
	free(b->ad);
	free(b->is_ad);
	free(b->probe_err);
	free(b->open_err);
	directory_keys_free(b->keys, b->cfg.ndomains);
	if (b->state)
		b->state->ops->close(b->state);
	config_free(&b->cfg);
	free(b);
	free(be);
}

static int dir_lock(tm_backend *be, int exclusive, tm_error *e)
{
	dirbe *b = directory_db(be);

	if (b->state->ops->lock(b->state, exclusive, e) < 0)
		return -1;
	b->exclusive = exclusive;      /* a DC's LSA helper then starts when it is found */
	if (exclusive)
		directory_ad_factory(b, 0);
	return 0;
}

static int dir_domain_list(tm_backend *be, tm_domain **out, size_t *n, tm_error *e)
{
	dirbe *b = directory_db(be);
	size_t i;

	directory_ad_names(b);
	*out = calloc(b->cfg.ndomains ? b->cfg.ndomains : 1, sizeof(**out));
	if (!*out)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	for (i = 0; i < b->cfg.ndomains; i++)
		(*out)[i] = b->cfg.domains[i].dom;
	*n = b->cfg.ndomains;
	return 0;
}

static int dir_domain_add(tm_backend *be, const tm_domain *d, tm_error *e)
{
	error_fail(e, TM_EUSAGE, NULL, "%s cannot be added here: the domains come from %s",
		d->name, directory_db(be)->cfg.path);
	error_hint(e, "Describe the domain in a block under [domains] in that file (see trustmgr(8)).");
	return -1;
}

/* A plain MIT realm (kind = mit): its trusts are its principals. */
static int dir_is_realm(const cfg_domain *c)
{
	return c->dom.kind == DOMAIN_MIT;
}

/* A realm is read and changed through kadmin alone. */
static void dir_realm_caps(const cfg_domain *c, tm_caps *out)
{
	uint32_t bit;

	if (c->kadmin_principal[0])
		return;
	for (bit = CAP_TDO_READ; bit < CAP_VERIFY; bit <<= 1)
		caps_deny(out, (caps_bit)bit, "no kadmin credentials are configured for the realm "
			  "%s (kadmin_principal: its tickets, kadmin_keytab or kadmin_password_file): "
			  "its trusts are its principals", c->dom.name);
	if (!c->verify_password_file[0] && !c->verify_keytab[0])
		caps_deny(out, CAP_VERIFY, "no client credentials are configured for %s "
			  "(verify_principal with verify_keytab or verify_password_file)",
			  c->dom.name);
}

/* The capabilities of an AD domain (1), or 0 when d is not one or its
 * directory could not be asked (then every read fails with that reason,
 * as for any domain whose servers do not answer). */
static int dir_ad_caps(tm_backend *be, const tm_domain *d, long i, tm_caps *out)
{
	dirbe *b = directory_db(be);
	ad_side *ad;
	tm_error e;

	if (b->cfg.domains[i].dom.kind != DOMAIN_AD)
		return 0;
	error_clear(&e);
	if ((ad = directory_ad(b, d, &e)) == NULL)
		return 0;
	ad_caps(ad, out);
	return 1;
}

/* What the configuration gives trustmgr for d: its directory with
 * ldap_uri, its KDC with kadmin credentials, tickets as one of its clients
 * with verify or kadmin credentials. */
static void dir_caps(tm_backend *be, const tm_domain *d, tm_caps *out)
{
	tm_error e;
	long i = directory_index(directory_db(be), d, &e);
	const cfg_domain *c;

	caps_all(out);
	if (i < 0) {
		caps_none(out, e.what);
		return;
	}
	c = &directory_db(be)->cfg.domains[i];
	if (dir_is_realm(c)) {
		dir_realm_caps(c, out);
		return;
	}
	if (dir_ad_caps(be, d, i, out))
		return;
	if (c->nuris == 0) {
		caps_deny(out, CAP_TDO_READ, "no ldap_uri is configured for %s", d->name);
		caps_deny(out, CAP_TDO_WRITE, "no ldap_uri is configured for %s", d->name);
		caps_deny(out, CAP_SECRET_READ, "no ldap_uri is configured for %s", d->name);
	}
	if (!c->kadmin_principal[0]) {
		static const caps_bit kdc_bits[] = { CAP_KEY_READ, CAP_KEY_SET, CAP_ACCOUNT_LIST,
						CAP_ACCOUNT_WRITE };
		size_t k;

		for (k = 0; k < sizeof(kdc_bits) / sizeof(kdc_bits[0]); k++)
			caps_deny(out, kdc_bits[k], "no kadmin credentials are configured for %s "
				  "(kadmin_principal: its tickets, kadmin_keytab or "
				  "kadmin_password_file)", d->name);
	}
	if (!c->kadmin_principal[0] && !c->verify_password_file[0] && !c->verify_keytab[0])
		caps_deny(out, CAP_VERIFY, "no client credentials are configured for %s "
			  "(verify_principal with verify_keytab or verify_password_file)", d->name);
}

/* ---- TDOs ----------------------------------------------------------------- */

/* The configuration block of d, or NULL (e set). */
static const cfg_domain *dir_cfg(dirbe *b, const tm_domain *d, tm_error *e)
{
	long i = directory_index(b, d, e);

	return i < 0 ? NULL : &b->cfg.domains[i];
}

/* A realm's TDOs: its principals (those f wants) grouped by partner. */
static int dir_realm_tdos(dirbe *b, const tm_domain *d, const tm_focus *f, tm_tdo **out,
			  size_t *n, tm_error *e)
{
	tm_keyinfo *keys = NULL;
	size_t nk = 0;
	int rc;

	if (directory_keys_read(b, d, f, &keys, &nk, e) < 0)
		return -1;
	rc = realm_tdos_from_keys(d->realm, keys, nk, out, n);
	free(keys);
	if (rc < 0)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while reading %s", d->name);
	return 0;
}

static int dir_tdo_list(tm_backend *be, const tm_domain *d, tm_tdo **out, size_t *n, tm_error *e)
{
	const cfg_domain *c = dir_cfg(directory_db(be), d, e);
	ldapdir *l;
	ad_side *ad;

	*out = NULL;
	*n = 0;
	if (!c)
		return -1;
	if (dir_is_realm(c))
		return dir_realm_tdos(directory_db(be), d, NULL, out, n, e);
	if ((ad = directory_ad(directory_db(be), d, e)) != NULL)
		return ad_tdo_list(ad, out, n, e);
	if (e->cls != TM_OK)
		return -1;
	return (l = directory_ldap(directory_db(be), d, e)) ? ldapdir_tdo_list(l, out, n, e) : -1;
}

/* Only a realm's reads narrow (one kadmin call a principal); a directory
 * gives all its TDOs in one search. */
static int dir_tdo_list_focus(tm_backend *be, const tm_domain *d, const tm_focus *f,
			      tm_tdo **out, size_t *n, tm_error *e)
{
	const cfg_domain *c = dir_cfg(directory_db(be), d, e);

	*out = NULL;
	*n = 0;
	if (!c)
		return -1;
	if (dir_is_realm(c))
		return dir_realm_tdos(directory_db(be), d, f, out, n, e);
	return dir_tdo_list(be, d, out, n, e);
}

static int dir_tdo_list_public(tm_backend *be, const tm_domain *d, tm_tdo_rows *out,
			       tm_error *e)
{
	const cfg_domain *c = dir_cfg(directory_db(be), d, e);
	ldapdir *l;
	kdc *k;

	if (!c)
		return -1;
	if (dir_is_realm(c))
		return (k = directory_kdc(directory_db(be), d, e)) ? realm_tdo_rows(k, d, out, e) : -1;
	if (!directory_ad(directory_db(be), d, e) && e->cls != TM_OK)
		return -1;     /* a DC whose block disagrees with it, or that does not answer */
	return (l = directory_ldap(directory_db(be), d, e)) ? ldapdir_tdo_rows(l, out, e) : -1;
}

/* Where d's TDOs are written: DIR_DOOR_LDAP (*l), DIR_DOOR_LSA (a DC, *ad)
 * or DIR_DOOR_NONE (a realm: its TDO is its principals, which the plan's
 * key steps write); -1 with e. */
enum { DIR_DOOR_LDAP, DIR_DOOR_LSA, DIR_DOOR_NONE };

static int dir_tdo_door(tm_backend *be, const tm_domain *d, ldapdir **l, ad_side **ad,
			tm_error *e)
{
	const cfg_domain *c = dir_cfg(directory_db(be), d, e);

	if (!c)
		return -1;
	if (dir_is_realm(c))
		return DIR_DOOR_NONE;
	if ((*ad = directory_ad(directory_db(be), d, e)) != NULL)
		return DIR_DOOR_LSA;
	if (e->cls != TM_OK)
		return -1;
	return (*l = directory_ldap(directory_db(be), d, e)) ? DIR_DOOR_LDAP : -1;
}

static int dir_tdo_put(tm_backend *be, const tm_domain *d, const tm_tdo *t, tm_error *e)
{
	ldapdir *l = NULL;
	ad_side *ad = NULL;

	switch (dir_tdo_door(be, d, &l, &ad, e)) {
	case DIR_DOOR_LDAP: return ldapdir_tdo_put(l, t, e);
	case DIR_DOOR_LSA: return ad_tdo_put(ad, t, e);
	case DIR_DOOR_NONE: return 0;
	default: return -1;
	}
}

/* A directory's UPN and SPN suffixes (OpenLDAP: its Partitions container;
 * a DC: its forest's, over LDAP); none for a plain realm. */
static int dir_suffixes_get(tm_backend *be, tm_domain *d, tm_error *e)
{
	ldapdir *l = NULL;
	ad_side *ad = NULL;

	d->nupn = 0;
	d->nspn = 0;
	switch (dir_tdo_door(be, d, &l, &ad, e)) {
	case DIR_DOOR_LDAP: return ldapdir_suffix_read(l, d, e);
	case DIR_DOOR_LSA: return ad_suffixes_get(ad, d, e);
	case DIR_DOOR_NONE: return 0;
	default: return -1;
	}
}

/* A directory's UPN and SPN suffixes written (OpenLDAP; a DC over LDAP,
 * as samba-tool does); refused for a plain realm. */
static int dir_suffixes_put(tm_backend *be, const tm_domain *d, const tm_domain *names,
			    tm_error *e)
{
	ldapdir *l = NULL;
	ad_side *ad = NULL;

	switch (dir_tdo_door(be, d, &l, &ad, e)) {
	case DIR_DOOR_LDAP: return ldapdir_suffix_write(l, names, e);
	case DIR_DOOR_LSA: return ad_suffixes_put(ad, names, e);
	case DIR_DOOR_NONE:
		return error_fail(e, TM_EREFUSED, ST_NOT_SUPPORTED,
				  "trustmgr does not change the UPN or SPN suffixes of %s: it is a "
				  "plain Kerberos realm, which has none.", d->name);
	default: return -1;
	}
}

static int dir_tdo_delete(tm_backend *be, const tm_domain *d, const char *partner, tm_error *e)
{
	ldapdir *l = NULL;
	ad_side *ad = NULL;

	switch (dir_tdo_door(be, d, &l, &ad, e)) {
	case DIR_DOOR_LDAP: return ldapdir_tdo_delete(l, partner, e);
	case DIR_DOOR_LSA: return ad_tdo_delete(ad, partner, e);
	case DIR_DOOR_NONE: return 0;
	default: return -1;
	}
}

/* ---- interdomain trust accounts = armed krbtgt principals ---------------- */

/* buf = base + "$", cut to fit. */
static void dir_dollar(char *buf, size_t n, const char *base)
{
	size_t len = strnlen(base, n - 2);

	memcpy(buf, base, len);
	buf[len] = '$';
	buf[len + 1] = '\0';
}

/* "A$" for the configured domain whose realm is `realm` (or "REALM$"). */
static void dir_account_name(const dirbe *b, const char *realm, char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < b->cfg.ndomains; i++) {
		const tm_domain *d = &b->cfg.domains[i].dom;

		if (name_equal(d->realm, realm)) {
			dir_dollar(buf, n, d->netbios[0] ? d->netbios : d->realm);
			return;
		}
	}
	dir_dollar(buf, n, realm);
}

/* The trusting realm X of "krbtgt/X@LOCAL" (x: NAME_DNS_MAX bytes), or 0
 * when not such a principal. */
static int dir_trusting_realm(const char *principal, const char *local, char *x)
{
	char y[NAME_DNS_MAX];

	return keys_split_trust_principal(principal, x, y, NAME_DNS_MAX) && name_equal(y, local) &&
	       !name_equal(x, local);
}

static int dir_account_add(dirbe *b, kdc *k, const tm_domain *d, const tm_keyinfo *ki,
			   tm_account *v, size_t *n, tm_error *e)
{
	char realm[NAME_DNS_MAX];
	int armed = 0, locked = 0;

	/* Only a principal under the one-chance policy is an account; the
	 * listing read its policy already, so only those are read again (for
	 * their failure count). */
	if (!dir_trusting_realm(ki->principal, d->realm, realm) ||
	    strcmp(ki->policy, KDC_PERMIT_POLICY) != 0)
		return 0;
	if (kdc_permit_state(k, ki->principal, &armed, &locked, e) < 0)
		return -1;
	if (!armed)
		return 0;
	memset(&v[*n], 0, sizeof(v[*n]));
	dir_account_name(b, realm, v[*n].name, sizeof(v[*n].name));
	snprintf(v[*n].partner, sizeof(v[*n].partner), "%s", realm);
	v[*n].locked = locked;
	v[*n].created = ki->changed;
	(*n)++;
	return 0;
}

/* Is d an Active Directory domain? 1 with *ad, 0, or -1 with e. */
static int dir_ad(tm_backend *be, const tm_domain *d, ad_side **ad, tm_error *e)
{
	*ad = directory_ad(directory_db(be), d, e);
	if (*ad)
		return 1;
	return e->cls != TM_OK ? -1 : 0;
}

/* The accounts of the principals f wants (NULL: all). */
static int dir_accounts(tm_backend *be, const tm_domain *d, const tm_focus *f, tm_account **out,
			size_t *n, tm_error *e)
{
	tm_keyinfo *keys = NULL;
	size_t nk = 0, i;
	int rc = 0, isad;
	ad_side *ad;
	kdc *k;

	*out = NULL;
	*n = 0;
	if ((isad = dir_ad(be, d, &ad, e)) != 0)
		return isad < 0 ? -1 : ad_account_list(ad, out, n, e);
	k = directory_kdc(directory_db(be), d, e);
	if (!k || directory_keys_read(directory_db(be), d, f, &keys, &nk, e) < 0)
		return -1;
	*out = calloc(nk ? nk : 1, sizeof(**out));
	if (!*out)
		rc = error_fail(e, TM_EBACKEND, NULL, "out of memory");
	for (i = 0; rc == 0 && i < nk; i++)
		rc = dir_account_add(directory_db(be), k, d, &keys[i], *out, n, e);
	free(keys);
	return rc;
}

static int dir_account_list(tm_backend *be, const tm_domain *d, tm_account **out, size_t *n,
			    tm_error *e)
{
	return dir_accounts(be, d, NULL, out, n, e);
}

static int dir_account_list_focus(tm_backend *be, const tm_domain *d, const tm_focus *f,
				  tm_account **out, size_t *n, tm_error *e)
{
	return dir_accounts(be, d, f, out, n, e);
}

/* The principal krbtgt/TRUSTING@LOCAL behind account "TRUSTING$". */
static int dir_account_principal(const dirbe *b, const tm_domain *d, const char *account,
				 char *buf, size_t n, tm_error *e)
{
	size_t i;
	char name[NAME_NB_MAX + 2];

	for (i = 0; i < b->cfg.ndomains; i++) {
		const tm_domain *t = &b->cfg.domains[i].dom;

		dir_account_name(b, t->realm, name, sizeof(name));
		if (name_equal(name, account))
			return keys_trust_principal(t->realm, d->realm, buf, n, e);
	}
	return error_fail(e, TM_EUSAGE, ST_NO_SUCH_DOMAIN,
		       "no configured domain owns the trust account %s", account);
}

/* d's kadmin session for a key step (0 with *k), or 1 when d is an AD DC,
 * whose KDC derives its keys from the TDOs: the TDO written through LSA
 * already did the step. -1 with e. */
static int dir_key_kdc(tm_backend *be, const tm_domain *d, kdc **k, tm_error *e)
{
	ad_side *ad;
	int isad = dir_ad(be, d, &ad, e);

	if (isad != 0)
		return isad;
	return (*k = directory_kdc(directory_db(be), d, e)) ? 0 : -1;
}

/* A change of principal in d's KDC was made (or tried): it is read again
 * when next asked for. */
static int dir_changed(tm_backend *be, const tm_domain *d, const char *principal, int rc)
{
	directory_keys_forget_one(directory_db(be), d, principal, 0);
	return rc;
}

/* The same after a key set: a principal whose key was set exists. */
static int dir_key_changed(tm_backend *be, const tm_domain *d, const char *principal, int rc)
{
	directory_keys_forget_one(directory_db(be), d, principal, rc == 0);
	return rc;
}

/* On AD the DC made the account with the inbound TDO (LSA). */
static int dir_account_put(tm_backend *be, const tm_domain *d, const tm_account *a, tm_error *e)
{
	char princ[KEYS_PRINC_MAX];
	kdc *k;
	int rc = dir_key_kdc(be, d, &k, e);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (dir_account_principal(directory_db(be), d, a->name, princ, sizeof(princ), e) < 0)
		return -1;
	return dir_changed(be, d, princ, kdc_permit_arm(k, princ, e));
}

/* The account is the armed principal: deleting the account disarms it (the
 * key, a separate step, deletes the principal itself). An account of a
 * domain no longer configured has nothing to disarm here. */
static int dir_account_delete(tm_backend *be, const tm_domain *d, const char *name, tm_error *e)
{
	char princ[KEYS_PRINC_MAX];
	tm_error ignore;
	ad_side *ad;
	int isad = dir_ad(be, d, &ad, e);
	kdc *k;

	if (isad != 0)
		return isad < 0 ? -1 : ad_account_delete(ad, name, e);
	if (dir_account_principal(directory_db(be), d, name, princ, sizeof(princ), &ignore) < 0)
		return 0;
	k = directory_kdc(directory_db(be), d, e);
	return k ? dir_changed(be, d, princ, kdc_permit_disarm(k, princ, e)) : -1;
}

/* ---- keys ------------------------------------------------------------------ */

/* The keys an AD domain's KDC derives from its TDOs' secrets. */
static int dir_ad_keys(ad_side *ad, tm_keyinfo **out, size_t *n, tm_error *e)
{
	tm_tdo *v = NULL;
	size_t nv = 0;
	int rc;

	if (ad_tdo_list(ad, &v, &nv, e) < 0)
		return -1;
	rc = ad_keys_from_tdos(ad, v, nv, out, n, e);
	tdo_free_array(&v, nv);
	return rc;
}

/* The keys of the principals f wants (NULL: all). */
static int dir_keys(tm_backend *be, const tm_domain *d, const tm_focus *f, tm_keyinfo **out,
		    size_t *n, tm_error *e)
{
	ad_side *ad;
	int isad;

	*out = NULL;
	*n = 0;
	if ((isad = dir_ad(be, d, &ad, e)) != 0)
		return isad < 0 ? -1 : dir_ad_keys(ad, out, n, e);
	return directory_keys_read(directory_db(be), d, f, out, n, e);
}

static int dir_key_list(tm_backend *be, const tm_domain *d, tm_keyinfo **out, size_t *n,
			tm_error *e)
{
	return dir_keys(be, d, NULL, out, n, e);
}

static int dir_key_list_focus(tm_backend *be, const tm_domain *d, const tm_focus *f,
			      tm_keyinfo **out, size_t *n, tm_error *e)
{
	return dir_keys(be, d, f, out, n, e);
}

static int dir_key_set(tm_backend *be, const tm_domain *d, const char *principal,
		       const char *password, uint32_t kvno, uint32_t enctypes, int keep_previous,
		       tm_error *e)
{
	kdc *k;
	int rc = dir_key_kdc(be, d, &k, e);

	if (rc)
		return rc < 0 ? -1 : 0;
	/* Read as absent by this command (a new trust): created at once. */
	if (!keep_previous && directory_keys_has(directory_db(be), d, principal) == 0)
		return dir_key_changed(be, d, principal,
				       kdc_key_set_new(k, principal, password, kvno, enctypes, e));
	return dir_key_changed(be, d, principal,
			       kdc_key_set(k, principal, password, kvno, enctypes, keep_previous, e));
}

static int dir_key_delete(tm_backend *be, const tm_domain *d, const char *principal, tm_error *e)
{
	kdc *k;
	int rc = dir_key_kdc(be, d, &k, e);

	return rc ? (rc < 0 ? -1 : 0) : dir_changed(be, d, principal, kdc_key_delete(k, principal, e));
}

static int dir_key_plain(tm_backend *be, const tm_domain *d, const char *principal,
			 tm_error *e)
{
	kdc *k;
	int rc = dir_key_kdc(be, d, &k, e);

	return rc ? (rc < 0 ? -1 : 0) : dir_changed(be, d, principal, kdc_permit_disarm(k, principal, e));
}

/* After the trust account's own change the permit is over: where trustmgr
 * administers d's KDC the principal is disarmed at once (else health names
 * it for d's administrator). */
static int dir_key_change(tm_backend *be, const tm_domain *d, const char *principal,
			  const char *old_pw, const char *new_pw, uint32_t enctypes, uint32_t *kvno,
			  tm_error *e)
{
	char trusting[NAME_DNS_MAX], acct[NAME_NB_MAX + 2];
	tm_caps c;
	ad_side *ad;
	int isad = dir_ad(be, d, &ad, e);
	kdc *k;

	if (isad < 0)
		return -1;
	if (isad) {
		/* The trust account changes its own password over netlogon. */
		if (!dir_trusting_realm(principal, d->realm, trusting))
			return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "%s is not a trust "
					  "principal of %s", principal, d->name);
		dir_account_name(directory_db(be), trusting, acct, sizeof(acct));
		*kvno = 0;
		return ad_change(ad, acct, old_pw, new_pw, e);
	}
	if (dir_changed(be, d, principal, kdc_change(d->realm, principal, old_pw, new_pw, kvno,
					  directory_db(be)->cfg.timeout, e)) < 0)
		return -1;
	dir_caps(be, d, &c);
	if (!caps_has(&c, CAP_KEY_SET))
		return 0;
	/* The permit is over; and kpasswd made keys of the KDC's own types:
	 * the same password and key version again with the trust's types, as
	 * the other side has them (out of the policy first: it keeps a
	 * password history). Those keys replace kpasswd's, keeping nothing:
	 * kept, kpasswd's keys would become the previous version, the new
	 * password again under an old kvno with enctypes the trusting side
	 * never gets, and the two KDCs would differ (kpasswd itself kept no
	 * key of the initial password). */
	k = directory_kdc(directory_db(be), d, e);
	if (!k || dir_changed(be, d, principal, kdc_permit_disarm(k, principal, e)) < 0)
		return -1;
	return dir_changed(be, d, principal, kdc_key_set(k, principal, new_pw, *kvno, enctypes, 0, e));
}

static int dir_prove(tm_backend *be, const tm_domain *d, const char *principal,
		     const char *account, const char *password, prove_result *res, tm_error *e)
{
	static const prove_result map[] = { PROVE_OK, PROVE_WRONG, PROVE_LOCKED, PROVE_MISSING };
	int r = 3, isad;
	ad_side *ad;

	if ((isad = dir_ad(be, d, &ad, e)) < 0 ||
	    (isad && ad_prove(ad, account, password, &r, e) < 0))
		return -1;
	if (isad) {
		*res = (r >= 0 && r <= 3) ? map[r] : PROVE_MISSING;
		if (*res == PROVE_WRONG && ad_withdraw_permit(ad, account, e) < 0) {
			error_prefix(e, "the password was wrong, and the permit could not be "
				     "withdrawn on %s's DC, so the initial password still works there: ",
				     d->name);
			error_hint(e, "Ask %s's administrator to permit the trust again "
				   "(trustmgr permit), which gives it a new initial password.", d->name);
			return -1;
		}
		return 0;
	}
	/* A wrong password uses the one chance: the principal's state changes. */
	if (dir_changed(be, d, principal, kdc_prove(d->realm, principal, password, &r, NULL,
					 directory_db(be)->cfg.timeout, e)) < 0)
		return -1;
	*res = (r >= 0 && r <= 3) ? map[r] : PROVE_MISSING;
	return 0;
}

/* ---- verify ----------------------------------------------------------------- */

/* dir_has_tdo for a plain realm: its "TDO" for other holds direction dir
 * when the principal of that direction exists in its KDC: known from this
 * command's reads, else one kadmin read (the permit state, which reads the
 * principal) instead of reading every cross-realm principal. */
static int dir_realm_has(tm_backend *be, const tm_domain *holder, const tm_domain *other,
			 uint32_t dir)
{
	char princ[KEYS_PRINC_MAX];
	int armed = 0, locked = 0, rc;
	tm_error e;
	kdc *k;

	error_clear(&e);
	rc = dir == TRUST_DIRECTION_OUTBOUND ?
		keys_trust_principal(holder->realm, other->realm, princ, sizeof(princ), &e) :
		keys_trust_principal(other->realm, holder->realm, princ, sizeof(princ), &e);
	if (rc < 0)
		return -1;
	if ((rc = directory_keys_has(directory_db(be), holder, princ)) >= 0)
		return rc;          /* read already by this command */
	if (!(k = directory_kdc(directory_db(be), holder, &e)))
		return -1;
	if (kdc_permit_state(k, princ, &armed, &locked, &e) == 0)
		return 1;
	return e.status && strcmp(e.status, ST_NO_TRUST_SAM_ACCOUNT) == 0 ? 0 : -1;
}

/* Does `holder` hold a TDO for `other` with direction bit `dir`? 1, 0, or
 * -1 when its directory cannot be read (then the tickets decide alone). */
static int dir_has_tdo(tm_backend *be, const tm_domain *holder, const tm_domain *other,
		       uint32_t dir)
{
	tm_tdo *v = NULL;
	size_t n = 0, i;
	tm_error ignore;
	int found = 0;
	tm_caps c;
	const cfg_domain *cd;

	dir_caps(be, holder, &c);
	if (!caps_has(&c, CAP_TDO_READ))
		return -1;
	if ((cd = dir_cfg(directory_db(be), holder, &ignore)) != NULL && dir_is_realm(cd))
		return dir_realm_has(be, holder, other, dir);
	if (dir_tdo_list(be, holder, &v, &n, &ignore) < 0)
		return -1;
	for (i = 0; i < n && !found; i++)
		found = (v[i].direction & dir) &&
			((other->dns[0] && tdo_matches(&v[i], other->dns)) ||
			 (other->netbios[0] && tdo_matches(&v[i], other->netbios)) ||
			 tdo_matches(&v[i], other->realm));
	tdo_free_array(&v, n);
	return found;
}

/* The tickets, with verify's credentials and service filled in for AD
 * domains (their bind's user, a DC's cifs principal). */
static int dir_verify_kdc(dirbe *b, long ia, long ib, verify_result *r, tm_error *e)
{
	cfg_domain *a = malloc(sizeof(*a)), *t = malloc(sizeof(*t));
	int rc;

	if (!a || !t) {
		free(a);
		free(t);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	}
	directory_ad_verify_cfg(b, ia, a);
	directory_ad_verify_cfg(b, ib, t);
	rc = kdc_verify(a, t, b->cfg.timeout, r, e);
	free(a);
	free(t);
	return rc;
}

/* directory_verify_check: see directory_internal.h. */
int directory_verify_check(tm_backend *be, const tm_domain *trusting, const tm_domain *trusted,
			   verify_result *r, tm_error *e)
{
	dirbe *b = directory_db(be);

	if (directory_index(b, trusting, e) < 0 || directory_index(b, trusted, e) < 0)
		return -1;
	memset(r, 0, sizeof(*r));
	snprintf(r->trusting, sizeof(r->trusting), "%s", trusting->name);
	snprintf(r->trusted, sizeof(r->trusted), "%s", trusted->name);
	if (keys_trust_principal(trusting->realm, trusted->realm, r->principal,
				 sizeof(r->principal), e) < 0)
		return -1;
	if (dir_has_tdo(be, trusting, trusted, TRUST_DIRECTION_OUTBOUND) == 0 ||
	    dir_has_tdo(be, trusted, trusting, TRUST_DIRECTION_INBOUND) == 0) {
		r->outcome = VERIFY_MISSING_TDO;
		snprintf(r->missing_on, sizeof(r->missing_on), "%s",
			 dir_has_tdo(be, trusting, trusted, TRUST_DIRECTION_OUTBOUND) == 0 ?
			 trusting->name : trusted->name);
		return 0;
	}
	directory_ad_validate_ahead(b, trusting, trusted);   /* the DC checks while the KDCs answer */
	return 1;
}

/* directory_verify_tickets: see directory_internal.h. */
int directory_verify_tickets(dirbe *b, const tm_domain *trusting, const tm_domain *trusted,
			     verify_result *r, tm_error *e)
{
	long ia = directory_index(b, trusting, e), ib = directory_index(b, trusted, e);

	if (ia < 0 || ib < 0 || dir_verify_kdc(b, ia, ib, r, e) < 0)
		return -1;
	directory_ad_validate(b, trusting, trusted, r);
	return 0;
}

static int dir_verify(tm_backend *be, const tm_domain *trusting, const tm_domain *trusted,
		      verify_result *r, tm_error *e)
{
	int rc = directory_verify_check(be, trusting, trusted, r, e);

	return rc <= 0 ? rc : directory_verify_tickets(directory_db(be), trusting, trusted, r, e);
}

/* ---- the journal: the state store (directory_state.c) ---------------------------- */

static int dir_journal_begin(tm_backend *be, const tm_plan *p, tm_error *e)
{
	dirbe *b = directory_db(be);
	size_t i;
	tm_domain *v = NULL;
	size_t n = 0;
	int rc = 0;

	if (dir_domain_list(be, &v, &n, e) < 0)
		return -1;
	for (i = 0; rc == 0 && i < n; i++) {
		rc = directory_state_mirror(b, &v[i], e);
		if (rc == 0 && plan_touches(p, v[i].name))
			directory_ad_prestart(b, &v[i]);   /* Python starts during the capture */
	}
	if (rc == 0)
		rc = directory_journal_capture(be, b->cfg.state_dir, p, e);
	/* A DC reached on its own socket is confirmed before any change. */
	for (i = 0; rc == 0 && i < n; i++)
		if (plan_touches(p, v[i].name))
			rc = directory_ad_confirm_local(b, &v[i], e);
	free(v);
	if (rc < 0)
		return -1;
	return b->state->ops->journal_begin(b->state, p, e);
}

static const tm_backend_ops dir_ops = {
	.name = "ldap+krb5",
	.close = dir_close,
	.lock = dir_lock,
	.domain_list = dir_domain_list,
	.domain_add = dir_domain_add,
	.tdo_list = dir_tdo_list,
	.tdo_list_public = dir_tdo_list_public,
	.health_rows = directory_state_health_rows,
	.tdo_put = dir_tdo_put,
	.tdo_delete = dir_tdo_delete,
	.account_list = dir_account_list,
	.account_put = dir_account_put,
	.account_delete = dir_account_delete,
	.key_list = dir_key_list,
	.key_set = dir_key_set,
	.key_delete = dir_key_delete,
	.key_change = dir_key_change,
	.key_plain = dir_key_plain,
	.suffixes_get = dir_suffixes_get,
	.suffixes_put = dir_suffixes_put,
	.tdo_list_focus = dir_tdo_list_focus,
	.account_list_focus = dir_account_list_focus,
	.key_list_focus = dir_key_list_focus,
	.caps = dir_caps,
	.prove = dir_prove,
	.verify = dir_verify,
	.health_get = directory_state_health_get,
	.health_put = directory_state_health_put,
	.journal_begin = dir_journal_begin,
	.journal_step = directory_state_journal_step,
	.journal_end = directory_state_journal_end,
	.journal_pending = directory_state_journal_pending,
	.journal_rollback = directory_state_journal_rollback,
	.journal_discard = directory_state_journal_discard,
	.journal_set_aside = directory_state_journal_set_aside,
	.state_show = directory_state_show,
	.state_forget = directory_state_forget,
	.concurrent = directory_sides_concurrent,
	.journal_running = directory_state_journal_running,
	.journal_steps = directory_state_journal_steps,
	.verify_pair = directory_sides_verify_pair,
	.open_sessions = directory_sides_open,
};

tm_backend *directory_open(const char *config_path, tm_error *e)
{
	tm_backend *be = calloc(1, sizeof(*be));
	dirbe *b = calloc(1, sizeof(*b));

	if (!be || !b) {
		free(be);
		free(b);
		error_fail(e, TM_EBACKEND, NULL, "out of memory");
		return NULL;
	}
	be->ops = &dir_ops;
	be->priv = b;
	if (config_load(config_path, &b->cfg, e) < 0) {
		free(b);
		free(be);
		return NULL;
	}
	b->ld = calloc(b->cfg.ndomains ? b->cfg.ndomains : 1, sizeof(*b->ld));
	b->kd = calloc(b->cfg.ndomains ? b->cfg.ndomains : 1, sizeof(*b->kd));
	b->mirrored = calloc(b->cfg.ndomains ? b->cfg.ndomains : 1, 1);
	b->ad = calloc(b->cfg.ndomains ? b->cfg.ndomains : 1, sizeof(*b->ad));
	b->is_ad = malloc(b->cfg.ndomains ? b->cfg.ndomains : 1);
	b->probe_err = calloc(b->cfg.ndomains ? b->cfg.ndomains : 1, sizeof(*b->probe_err));
	b->open_err = calloc(b->cfg.ndomains ? b->cfg.ndomains : 1, sizeof(*b->open_err));
	b->keys = directory_keys_new(b->cfg.ndomains);
	if (b->is_ad)
		memset(b->is_ad, -1, b->cfg.ndomains ? b->cfg.ndomains : 1);
	b->state = (b->ld && b->kd && b->mirrored && b->ad && b->is_ad && b->probe_err &&
		    b->open_err && b->keys) ?
		   store_open_state(b->cfg.state_dir, e) : NULL;
	if (!b->state) {
		if (!b->ld || !b->kd || !b->mirrored || !b->ad || !b->is_ad || !b->probe_err ||
		    !b->open_err || !b->keys)
			error_fail(e, TM_EBACKEND, NULL, "out of memory");
		dir_close(be);
		return NULL;
	}
	return be;
}
