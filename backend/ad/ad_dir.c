/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ad_dir.c - an Active Directory domain's own description and its trust
 * accounts, over LDAP (ad_dir.h). */
#include "backend/ad/ad_dir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/ldap/tdoattr.h"
#include "model/grow.h"
#include "model/sid.h"

/* The first value of attribute name as text into buf (n bytes); "" when
 * it has none or it does not fit. */
static void ad_dir_text(LDAP *ld, LDAPMessage *ent, const char *name, char *buf, size_t n)
{
	struct berval **v = ldap_get_values_len(ld, ent, name);

	buf[0] = '\0';
	if (v && v[0] && v[0]->bv_len < n) {
		memcpy(buf, v[0]->bv_val, v[0]->bv_len);
		buf[v[0]->bv_len] = '\0';
	}
	ldap_value_free_len(v);
}

/* The first value of name as a number, or dflt. */
static int ad_dir_int(LDAP *ld, LDAPMessage *ent, const char *name, int dflt)
{
	char buf[32];
	char *end;
	long v;

	ad_dir_text(ld, ent, name, buf, sizeof(buf));
	if (!buf[0])
		return dflt;
	v = strtol(buf, &end, 10);
	return *end ? dflt : (int)v;
}

/* Does the entry's attribute name hold value? */
static int ad_dir_has(LDAP *ld, LDAPMessage *ent, const char *name, const char *value)
{
	struct berval **v = ldap_get_values_len(ld, ent, name);
	size_t i, len = strlen(value);
	int found = 0;

	for (i = 0; v && v[i] && !found; i++)
		found = v[i]->bv_len == len && memcmp(v[i]->bv_val, value, len) == 0;
	ldap_value_free_len(v);
	return found;
}

static void ad_dir_no_reset(void *arg)
{
	(void)arg;
}

/* ---- the root DSE, the domain object, the crossRefs ------------------------ */

static int ad_dir_root_entry(ldapdir *l, LDAP *ld, LDAPMessage *ent, void *arg, tm_error *e)
{
	ad_facts *f = arg;

	(void)l;
	(void)e;
	f->is_ad = ad_dir_has(ld, ent, "supportedCapabilities", AD_DIR_CAPABILITY);
	ad_dir_text(ld, ent, "defaultNamingContext", f->base_dn, sizeof(f->base_dn));
	ad_dir_text(ld, ent, "rootDomainNamingContext", f->root_dn, sizeof(f->root_dn));
	ad_dir_text(ld, ent, "configurationNamingContext", f->config_dn, sizeof(f->config_dn));
	ad_dir_text(ld, ent, "dnsHostName", f->dc_host, sizeof(f->dc_host));
	ad_dir_text(ld, ent, "vendorName", f->vendor, sizeof(f->vendor));
	f->domain_level = ad_dir_int(ld, ent, "domainFunctionality", -1);
	f->forest_level = ad_dir_int(ld, ent, "forestFunctionality", -1);
	return 0;
}

static int ad_dir_domain_entry(ldapdir *l, LDAP *ld, LDAPMessage *ent, void *arg, tm_error *e)
{
	ad_facts *f = arg;
	struct berval **v = ldap_get_values_len(ld, ent, "objectSid");
	int rc = 0;

	(void)l;
	if (v && v[0]) {
		rc = tdoattr_parse_sid("objectSid", v[0], &f->sid, e);
		f->has_sid = rc == 0;
	}
	ldap_value_free_len(v);
	if (f->domain_level < 0)
		f->domain_level = ad_dir_int(ld, ent, "msDS-Behavior-Version", 0);
	return rc;
}

/* One crossRef: the domain's (names) or the forest root's (its DNS name). */
static int ad_dir_ref_entry(ldapdir *l, LDAP *ld, LDAPMessage *ent, void *arg, tm_error *e)
{
	ad_facts *f = arg;
	char nc[CFG_STR];

	(void)l;
	(void)e;
	ad_dir_text(ld, ent, "nCName", nc, sizeof(nc));
	if (strcasecmp(nc, f->base_dn) == 0) {
		ad_dir_text(ld, ent, "dnsRoot", f->dns, sizeof(f->dns));
		ad_dir_text(ld, ent, "nETBIOSName", f->netbios, sizeof(f->netbios));
	}
	if (strcasecmp(nc, f->root_dn) == 0)
		ad_dir_text(ld, ent, "dnsRoot", f->forest, sizeof(f->forest));
	return 0;
}

/* The most attributes one ad_dir_lookup asks for. */
#define AD_DIR_ATTRS_MAX 12

static int ad_dir_lookup(ldapdir *l, const char *base, int scope, const char *filter,
			 const char *const *names, size_t nnames,
			 int (*fn)(ldapdir *, LDAP *, LDAPMessage *, void *, tm_error *),
			 ad_facts *f, tm_error *e)
{
	char *attrs[AD_DIR_ATTRS_MAX + 1];
	char copies[AD_DIR_ATTRS_MAX][40];
	ldapdir_reader r;
	size_t i;

	for (i = 0; i < nnames && i < AD_DIR_ATTRS_MAX; i++) {
		snprintf(copies[i], sizeof(copies[i]), "%s", names[i]);
		attrs[i] = copies[i];
	}
	attrs[i] = NULL;
	r.attrs = attrs;
	r.entry = fn;
	r.reset = ad_dir_no_reset;
	r.arg = f;
	return ldapdir_lookup(l, base, scope, filter, &r, "reading what the domain says of itself",
			      e);
}

/* ad_dir_facts: the root DSE first; the rest only for Active Directory. */
int ad_dir_facts(ldapdir *l, ad_facts *f, tm_error *e)
{
	static const char *const root[] = { "supportedCapabilities", "defaultNamingContext",
		"rootDomainNamingContext", "configurationNamingContext", "dnsHostName",
		"domainFunctionality", "forestFunctionality", "vendorName" };
	static const char *const dom[] = { "objectSid", "msDS-Behavior-Version" };
	static const char *const ref[] = { "nCName", "dnsRoot", "nETBIOSName" };
	char parts[CFG_STR + 32];

	memset(f, 0, sizeof(*f));
	f->domain_level = f->forest_level = -1;
	if (ad_dir_lookup(l, "", LDAP_SCOPE_BASE, "(objectClass=*)", root, sizeof(root) / sizeof(root[0]), ad_dir_root_entry,
			  f, e) < 0)
		return -1;
	if (!f->is_ad || !f->base_dn[0])
		return 0;
	if (ldapdir_peer_addr(l, f->dc_addr, sizeof(f->dc_addr)) < 0)
		f->dc_addr[0] = '\0';
	snprintf(parts, sizeof(parts), "CN=Partitions,%s", f->config_dn);
	if (ldapdir_set_base(l, f->base_dn, e) < 0 ||
	    ad_dir_lookup(l, f->base_dn, LDAP_SCOPE_BASE, "(objectClass=*)", dom, 2,
			  ad_dir_domain_entry, f, e) < 0 ||
	    ad_dir_lookup(l, parts, LDAP_SCOPE_ONELEVEL, "(objectClass=crossRef)", ref, 3,
			  ad_dir_ref_entry, f, e) < 0)
		return -1;
	if (f->forest_level < 0)
		f->forest_level = f->domain_level;
	return 0;
}

tm_level ad_dir_level(int v)
{
	static const tm_level map[] = { LEVEL_2000, LEVEL_2000, LEVEL_2003, LEVEL_2008,
					LEVEL_2008R2, LEVEL_2012, LEVEL_2012R2, LEVEL_2016 };

	if (v < 0)
		return LEVEL_2000;
	return v >= (int)(sizeof(map) / sizeof(map[0])) ? LEVEL_2016 : map[v];
}

int ad_dir_service(const ad_facts *f, char *buf, size_t n)
{
	if (!f->dc_host[0])
		return -1;
	return (size_t)snprintf(buf, n, "cifs/%s", f->dc_host) < n ? 0 : -1;
}

/* ---- interdomain trust accounts ---------------------------------------------- */

typedef struct ad_dir_accts {
	tm_account *v;
	size_t n, cap;
} ad_dir_accts;

/* A FILETIME in text (100 ns since 1601) as Unix seconds; 0 for none. */
static long long ad_dir_filetime(const char *text)
{
	char *end;
	unsigned long long v = strtoull(text, &end, 10);

	if (!text[0] || *end || v <= 116444736000000000ULL || v == 0x7fffffffffffffffULL)
		return 0;
	return (long long)((v - 116444736000000000ULL) / 10000000ULL);
}

static int ad_dir_account_entry(ldapdir *l, LDAP *ld, LDAPMessage *ent, void *arg, tm_error *e)
{
	ad_dir_accts *a = arg;
	tm_account *v = grow_array(a->v, &a->cap, a->n + 1, sizeof(*v), 8);
	struct berval **when;
	char lockout[32];

	(void)l;
	if (!v)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory reading trust accounts");
	a->v = v;
	v = &a->v[a->n];
	memset(v, 0, sizeof(*v));
	ad_dir_text(ld, ent, "sAMAccountName", v->name, sizeof(v->name));
	snprintf(v->partner, sizeof(v->partner), "%.*s", (int)(strlen(v->name) ?
		 strlen(v->name) - 1 : 0), v->name);
	if ((when = ldap_get_values_len(ld, ent, "whenCreated")) && when[0])
		tdoattr_parse_time("whenCreated", when[0], &v->created, e);
	ldap_value_free_len(when);
	ad_dir_text(ld, ent, "lockoutTime", lockout, sizeof(lockout));
	v->locked = lockout[0] && strcmp(lockout, "0") != 0;
	ad_dir_text(ld, ent, "pwdLastSet", lockout, sizeof(lockout));
	v->password_set = ad_dir_filetime(lockout);
	if (v->name[0])
		a->n++;
	return 0;
}

static void ad_dir_accounts_reset(void *arg)
{
	ad_dir_accts *a = arg;

	a->n = 0;
}

/* ad_dir_accounts: the users of CN=Users with the interdomain trust bit. */
int ad_dir_accounts(ldapdir *l, const char *base, tm_account **out, size_t *n, tm_error *e)
{
	char name[] = "sAMAccountName", when[] = "whenCreated", lock[] = "lockoutTime";
	char pwd[] = "pwdLastSet";
	char *attrs[] = { name, when, lock, pwd, NULL };
	ad_dir_accts a = { NULL, 0, 0 };
	ldapdir_reader r = { attrs, ad_dir_account_entry, ad_dir_accounts_reset, &a };
	char users[CFG_STR + 16];

	*out = NULL;
	*n = 0;
	snprintf(users, sizeof(users), "CN=Users,%s", base);
	if (ldapdir_lookup(l, users, LDAP_SCOPE_ONELEVEL,
			   "(&(objectClass=user)(userAccountControl:1.2.840.113556.1.4.803:=2048))",
			   &r, "reading the interdomain trust accounts", e) < 0) {
		free(a.v);
		return -1;
	}
	*out = a.v;
	*n = a.n;
	return 0;
}
