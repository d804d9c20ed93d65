/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ldapdir_suffix.c - uPNSuffixes and msDS-SPNSuffixes of a directory's
 * Partitions container (ldapdir_suffix.h). */
#include "backend/ldap/ldapdir_suffix.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model/error.h"
#include "model/name.h"

#define LDAPDIR_SUFFIX_SYSTEM "cn=System,"

typedef struct suffix_read {
	tm_domain *d;
	char dn[1024];
} suffix_read;

/* Copy every value of attr into v (at most DOMAIN_SUFFIX_MAX names). */
static int suffix_values(const ldapdir *l, LDAP *ld, LDAPMessage *ent, const char *attr,
			 char v[][NAME_DNS_MAX], size_t *n, const char *dn, tm_error *e)
{
	struct berval **vals = ldap_get_values_len(ld, ent, attr);
	tm_error sub;
	size_t i;
	int rc = 0;

	*n = 0;
	for (i = 0; vals && vals[i] && rc == 0; i++) {
		error_clear(&sub);
		if (*n >= DOMAIN_SUFFIX_MAX || vals[i]->bv_len >= NAME_DNS_MAX) {
			rc = error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
					"%s of %s (%s) holds more values, or a longer one, than "
					"trustmgr keeps (%d names).", attr, dn, ldapdir_peer(l),
					DOMAIN_SUFFIX_MAX);
			break;
		}
		memcpy(v[*n], vals[i]->bv_val, vals[i]->bv_len);
		v[*n][vals[i]->bv_len] = '\0';
		if (name_check_dns(v[*n], &sub) < 0)
			rc = error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
					"%s of %s (%s) holds '%s', which is not a DNS name.", attr, dn,
					ldapdir_peer(l), v[*n]);
		else
			(*n)++;
	}
	ldap_value_free_len(vals);
	return rc;
}

static int suffix_entry(ldapdir *l, LDAP *ld, LDAPMessage *ent, void *arg, tm_error *e)
{
	suffix_read *s = arg;

	if (suffix_values(l, ld, ent, "uPNSuffixes", s->d->upn_suffixes, &s->d->nupn, s->dn, e) < 0)
		return -1;
	return suffix_values(l, ld, ent, "msDS-SPNSuffixes", s->d->spn_suffixes, &s->d->nspn,
			     s->dn, e);
}

static void suffix_reset(void *arg)
{
	suffix_read *s = arg;

	s->d->nupn = 0;
	s->d->nspn = 0;
}

/* "cn=Partitions,cn=Configuration,<base>" (what = "cn=Partitions,cn=Configuration")
 * into buf; 1 when the base is not known (nothing to read), -1 too long. */
static int suffix_dn(const ldapdir *l, const char *what, char *buf, size_t n)
{
	const char *container = ldapdir_container(l);
	size_t skip = strlen(LDAPDIR_SUFFIX_SYSTEM);

	if (!container || strncasecmp(container, LDAPDIR_SUFFIX_SYSTEM, skip) != 0)
		return 1;
	return (size_t)snprintf(buf, n, "%s,%s", what, container + skip) >= n ? -1 : 0;
}

/* ldapdir_suffix_read: a base search of the Partitions container. */
int ldapdir_suffix_read(ldapdir *l, tm_domain *d, tm_error *e)
{
	char dn[1024];
	int rc;

	d->nupn = 0;
	d->nspn = 0;
	rc = suffix_dn(l, "cn=Partitions,cn=Configuration", dn, sizeof(dn));
	if (rc)
		return rc > 0 ? 0 : ldapdir_no_memory(l, e);
	return ldapdir_suffix_read_dn(l, dn, d, e);
}

/* ldapdir_suffix_read_dn: a base search of dn. */
int ldapdir_suffix_read_dn(ldapdir *l, const char *dn, tm_domain *d, tm_error *e)
{
	static char upn[] = "uPNSuffixes", spn[] = "msDS-SPNSuffixes";
	char *attrs[] = { upn, spn, NULL };
	ldapdir_reader r;
	suffix_read s;

	d->nupn = 0;
	d->nspn = 0;
	s.d = d;
	if ((size_t)snprintf(s.dn, sizeof(s.dn), "%s", dn) >= sizeof(s.dn))
		return ldapdir_no_memory(l, e);
	r.attrs = attrs;
	r.entry = suffix_entry;
	r.reset = suffix_reset;
	r.arg = &s;
	return ldapdir_lookup(l, s.dn, LDAP_SCOPE_BASE, "(objectClass=*)", &r,
			      "reading the UPN and SPN suffixes", e);
}

/* ---- writing ------------------------------------------------------------ */

#define SUFFIX_MODS 5

/* The LDAPMods of one write: each attribute with its values (NULL-ended). */
typedef struct suffix_mods {
	LDAPMod mod[SUFFIX_MODS];
	LDAPMod *modp[SUFFIX_MODS + 1];
	char *vals[SUFFIX_MODS][DOMAIN_SUFFIX_MAX + 1];
	size_t n;
} suffix_mods;

/* Add attr with the n strings of v; an empty list is left out of an add
 * and replaces with nothing (removes the attribute) otherwise. */
static void suffix_mod(suffix_mods *m, int op, const char *attr, char *const *v, size_t n)
{
	LDAPMod *mod = &m->mod[m->n];
	size_t i;

	if (m->n >= SUFFIX_MODS || (op == LDAP_MOD_ADD && n == 0))
		return;
	for (i = 0; i < n && i < DOMAIN_SUFFIX_MAX; i++)
		m->vals[m->n][i] = v[i];
	m->vals[m->n][i] = NULL;
	mod->mod_op = op;
	mod->mod_type = (char *)(uintptr_t)attr;
	mod->mod_values = i ? m->vals[m->n] : NULL;
	m->modp[m->n] = mod;
	m->modp[++m->n] = NULL;
}

static int suffix_put(ldapdir *l, const char *dn, suffix_mods *add, suffix_mods *replace,
		      tm_error *e)
{
	ldapdir_put p = { dn, add ? add->modp : NULL, replace ? replace->modp : NULL,
			  "writing the UPN and SPN suffixes", NULL, NULL };
	int rc = LDAP_SUCCESS;

	if (ldapdir_put_entry(l, &p, &rc, e) != 0)
		return -1;
	if (rc == LDAP_SUCCESS || (rc == LDAP_ALREADY_EXISTS && !replace))
		return 0;
	ldapdir_fail(l, TM_EBACKEND, NULL, rc, e, "The directory of domain %s did not store %s",
		     ldapdir_domain(l)->name, dn);
	if (add)
		error_hint(e, "Load schema/trustmgr.schema (class crossRefContainer) into the "
			      "server, and give the bind DN write access to %s (see docs/LAB.md).",
			   dn);
	else
		error_hint(e, "Bind as an account that may change the forest's configuration (an "
			      "Enterprise Admin, as samba-tool does), or ask one to.");
	return -1;
}

/* Point the values of names' two lists into upn and spn. */
static void suffix_ptrs(const tm_domain *names, char **upn, char **spn)
{
	size_t i;

	for (i = 0; i < names->nupn && i < DOMAIN_SUFFIX_MAX; i++)
		upn[i] = (char *)(uintptr_t)names->upn_suffixes[i];
	for (i = 0; i < names->nspn && i < DOMAIN_SUFFIX_MAX; i++)
		spn[i] = (char *)(uintptr_t)names->spn_suffixes[i];
}

/* ldapdir_suffix_modify: replace the two attributes of dn. */
int ldapdir_suffix_modify(ldapdir *l, const char *dn, const tm_domain *names, tm_error *e)
{
	char *upn[DOMAIN_SUFFIX_MAX], *spn[DOMAIN_SUFFIX_MAX];
	suffix_mods replace;

	suffix_ptrs(names, upn, spn);
	memset(&replace, 0, sizeof(replace));
	suffix_mod(&replace, LDAP_MOD_REPLACE, "uPNSuffixes", upn, names->nupn);
	suffix_mod(&replace, LDAP_MOD_REPLACE, "msDS-SPNSuffixes", spn, names->nspn);
	return suffix_put(l, dn, NULL, &replace, e);
}

/* ldapdir_suffix_write: cn=Configuration, then the Partitions container. */
int ldapdir_suffix_write(ldapdir *l, const tm_domain *names, tm_error *e)
{
	static char container[] = "container", cross[] = "crossRefContainer";
	static char conf[] = "Configuration", parts[] = "Partitions";
	char *upn[DOMAIN_SUFFIX_MAX], *spn[DOMAIN_SUFFIX_MAX], *oc[1], *cn[1];
	char dn_conf[1024], dn_parts[1024];
	suffix_mods add, replace;

	if (suffix_dn(l, "cn=Configuration", dn_conf, sizeof(dn_conf)) != 0 ||
	    suffix_dn(l, "cn=Partitions,cn=Configuration", dn_parts, sizeof(dn_parts)) != 0)
		return ldapdir_no_memory(l, e);
	suffix_ptrs(names, upn, spn);
	memset(&add, 0, sizeof(add));
	oc[0] = container;
	cn[0] = conf;
	suffix_mod(&add, LDAP_MOD_ADD, "objectClass", oc, 1);
	suffix_mod(&add, LDAP_MOD_ADD, "cn", cn, 1);
	if (suffix_put(l, dn_conf, &add, NULL, e) < 0)
		return -1;
	memset(&add, 0, sizeof(add));
	memset(&replace, 0, sizeof(replace));
	oc[0] = cross;
	cn[0] = parts;
	suffix_mod(&add, LDAP_MOD_ADD, "objectClass", oc, 1);
	suffix_mod(&add, LDAP_MOD_ADD, "cn", cn, 1);
	suffix_mod(&add, LDAP_MOD_ADD, "uPNSuffixes", upn, names->nupn);
	suffix_mod(&add, LDAP_MOD_ADD, "msDS-SPNSuffixes", spn, names->nspn);
	suffix_mod(&replace, LDAP_MOD_REPLACE, "uPNSuffixes", upn, names->nupn);
	suffix_mod(&replace, LDAP_MOD_REPLACE, "msDS-SPNSuffixes", spn, names->nspn);
	return suffix_put(l, dn_parts, &add, &replace, e);
}
