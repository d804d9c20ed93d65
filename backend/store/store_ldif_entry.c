/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_ldif_entry.c - the entries of domain.ldif (see store_ldif_entry.h).
 *
 * The file holds, in order:
 *   1. the domain entry: dn = the domain's base DN (dc=corp,dc=example),
 *      objectClass top/domain;
 *   2. cn=System,<base> (container);
 *   3. one trustedDomain entry per TDO: cn=<trustPartner>,cn=System,<base>;
 *   4. cn=Users,<base> (container);
 *   5. one user entry per interdomain trust account: cn=<NAME$>,cn=Users,<base>.
 *
 * Attribute names.  The domain entry carries name (the store key), dnsRoot,
 * nETBIOSName, objectSid and msDS-Behavior-Version, plus trustmgr's own
 * attributes for facts a directory keeps elsewhere or not at all:
 *   trustmgrDomainKind            ad | nt4 | mit
 *   trustmgrForestRoot            forest root DNS name ("" = own root)
 *   trustmgrRealm                 Kerberos realm
 *   trustmgrNTServicePack         NT 4.0 service pack (KB Q243655)
 *   trustmgrLMCompatibilityLevel  LMCompatibilityLevel of the DCs
 * and the forest's own names AD keeps on its Partitions container, one
 * value each (uPNSuffixes, msDS-SPNSuffixes; a trustmgr older than them
 * ignores them, so the format stays 3).
 * TDO entries use only real AD attribute names (MS-ADTS), so they load into
 * slapd with msuser.schema and the trustedDomain class.  Trust account
 * entries keep the partner's name in displayName; badPwdCount 1 means the
 * one chance is used, lockoutTime says when (FILETIME).
 *
 * DNs.  They are built as an LDAPDN (the domain's from the labels of its
 * name) and written by ldap_dn2str, and read with ldap_str2dn (RFC 4514).  They are written with libldap's
 * LDAP_DN_FORMAT_LDAPV2 escaping, a backslash before each special
 * character ("cn=a\,b"), which RFC 4514 also reads and which is what the
 * store has always written: its LDAPV3 writer would escape the same
 * characters as hex pairs ("cn=a\2Cb") and non-ASCII letters too, and
 * every existing domain.ldif would change.
 */
#include "backend/store/store_ldif_entry.h"

#include <stdint.h>
#include <stdio.h>     /* before ldif.h, which uses FILE */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <lber.h>
#include <ldif.h>

#include "model/cksum.h"
#include "model/domain.h"
#include "model/grow.h"
#include "model/name.h"
#include "model/tdo.h"
#include "backend/ldap/tdoattr.h"

#define STLDIF_UAC_INTERDOMAIN 0x800u /* userAccountControl INTERDOMAIN_TRUST_ACCOUNT */
#define STLDIF_DN_FORMAT LDAP_DN_FORMAT_LDAPV2   /* see above: escaping only */
#define STLDIF_LABELS (NAME_DNS_MAX / 2 + 1)     /* labels of a name, at most */

/* ====================================================================
 * Distinguished names
 * ==================================================================== */

/* Strip const for libldap's non-const API fields (it does not write them). */
static char *unconst(const char *s)
{
	return (char *)(uintptr_t)s;
}

/* The AVA attr=<len bytes of val>, a string value. */
static void ava_set(LDAPAVA *ava, const char *attr, const char *val, size_t len)
{
	memset(ava, 0, sizeof(*ava));
	ava->la_attr.bv_val = unconst(attr);
	ava->la_attr.bv_len = strlen(attr);
	ava->la_value.bv_val = unconst(val);
	ava->la_value.bv_len = len;
	ava->la_flags = LDAP_AVA_STRING;
}

/* dn written by libldap into buf (n bytes). Returns 0, or -1 when libldap
 * cannot write it or it does not fit. */
static int dn_text(LDAPDN dn, char *buf, size_t n)
{
	char *s = NULL;
	int rc = -1;

	if (ldap_dn2str(dn, &s, STLDIF_DN_FORMAT) == LDAP_SUCCESS && s && strlen(s) < n) {
		memcpy(buf, s, strlen(s) + 1);
		rc = 0;
	}
	ldap_memfree(s);
	return rc;
}

/* "cn=<cn[0]>,...,cn=<cn[ncn - 1]>,<parent>" into dn (n bytes). */
static int dn_below(LDAPDN parent, const char *const *cn, size_t ncn, char *dn, size_t n)
{
	LDAPAVA ava[2];
	LDAPAVA *rdn[2][2];
	LDAPRDN rdns[STLDIF_LABELS + 3];
	size_t i, k;

	if (ncn > 2)
		return -1;
	for (k = 0; k < ncn; k++) {
		ava_set(&ava[k], "cn", cn[k], strlen(cn[k]));
		rdn[k][0] = &ava[k];
		rdn[k][1] = NULL;
		rdns[k] = rdn[k];
	}
	for (i = 0; parent[i]; i++) {
		if (i >= STLDIF_LABELS)
			return -1;
		rdns[k + i] = parent[i];
	}
	rdns[k + i] = NULL;
	return dn_text(rdns, dn, n);
}

/* A domain's base DN, made of the labels of a name: one dc=<label> RDN
 * each. Every label is a string of its own (libldap's writer reads a value
 * up to its NUL, whatever its length says). */
typedef struct dnbase {
	char labels[NAME_DNS_MAX];       /* the name, its dots made NULs */
	LDAPAVA ava[STLDIF_LABELS];
	LDAPAVA *rdn[STLDIF_LABELS][2];
	LDAPRDN dn[STLDIF_LABELS + 1];
	char dc[NAME_DNS_MAX];           /* the first label: the dc attribute */
} dnbase;

/* The RDNs of b from the non-empty dot-separated labels of src. Returns 0,
 * or -1 when src has none. */
static int base_from_labels(dnbase *b, const char *src)
{
	char *p = b->labels;
	size_t k = 0;

	snprintf(b->labels, sizeof(b->labels), "%s", src);
	while (*p) {
		size_t l = strcspn(p, ".");
		int more = p[l] == '.';

		p[l] = '\0';
		if (l > 0 && k < STLDIF_LABELS) {
			ava_set(&b->ava[k], "dc", p, l);
			b->rdn[k][0] = &b->ava[k];
			b->rdn[k][1] = NULL;
			b->dn[k] = b->rdn[k];
			k++;
		}
		p += l + more;
	}
	b->dn[k] = NULL;
	return k > 0 ? 0 : -1;
}

/* Where a domain's base DN comes from when it has no valid DNS name. */
static const char *base_source(const tm_domain *d)
{
	if (d->dns[0])
		return d->dns;
	if (d->netbios[0])
		return d->netbios;
	return d->realm[0] ? d->realm : d->name;
}

/* The first non-empty dot-separated label of src. */
static void first_label(const char *src, char *out, size_t n)
{
	while (*src == '.')
		src++;
	snprintf(out, n, "%.*s", (int)strcspn(src, "."), src);
}

/* The domain's base DN (and as text into dn, n bytes) and the value of its
 * dc attribute: from the DNS name when it is a valid one, else from the
 * NetBIOS name, realm or store key, lower-cased. */
static int domain_base(const tm_domain *d, dnbase *b, char *dn, size_t n)
{
	char src[NAME_DNS_MAX];

	if (d->dns[0] && name_check_dns(d->dns, NULL) == 0)
		snprintf(src, sizeof(src), "%s", d->dns);
	else
		name_lower(src, base_source(d), sizeof(src));
	first_label(src, b->dc, sizeof(b->dc));
	return base_from_labels(b, src) == 0 ? dn_text(b->dn, dn, n) : -1;
}

/* ====================================================================
 * Writing
 * ==================================================================== */

/* A binary SID; a SID with too many sub-authorities cannot be written. */
static int put_sid(stldif_out *o, const char *name, const tm_sid *sid, const char *owner,
		   tm_error *e)
{
	uint8_t buf[SID_BINARY_MAX];
	size_t n = sid_to_binary(sid, buf, sizeof(buf));

	if (n == 0)
		return error_fail(e, TM_EBACKEND, ST_INVALID_SID,
			       "the %s of %s is not a SID that can be stored", name, owner);
	store_ldif_rec_put(o, LDIF_PUT_BINARY, name, buf, n);
	return 0;
}

/* The domain entry, named base. */
static int render_domain(stldif_out *o, const tm_domain *d, const char *base, const char *dc,
			 tm_error *e)
{
	size_t i;

	store_ldif_rec_put_str(o, "dn", base);
	store_ldif_rec_put_str(o, "objectClass", "top");
	store_ldif_rec_put_str(o, "objectClass", "domain");
	store_ldif_rec_put_str(o, "dc", dc);
	store_ldif_rec_put_str(o, "name", d->name);
	store_ldif_rec_put_str(o, "trustmgrDomainKind", trust_kind_name(d->kind));
	store_ldif_rec_put_opt(o, "dnsRoot", d->dns);
	store_ldif_rec_put_opt(o, "nETBIOSName", d->netbios);
	if (d->has_sid && put_sid(o, "objectSid", &d->sid, d->name, e) != 0)
		return -1;
	store_ldif_rec_put_num(o, "msDS-Behavior-Version", (long long)d->level);
	store_ldif_rec_put_opt(o, "trustmgrForestRoot", d->forest);
	store_ldif_rec_put_opt(o, "trustmgrRealm", d->realm);
	if (d->nt_service_pack >= 0)
		store_ldif_rec_put_num(o, "trustmgrNTServicePack", d->nt_service_pack);
	if (d->lm_compat_level >= 0)
		store_ldif_rec_put_num(o, "trustmgrLMCompatibilityLevel", d->lm_compat_level);
	for (i = 0; i < d->nupn && i < DOMAIN_SUFFIX_MAX; i++)
		store_ldif_rec_put_str(o, "uPNSuffixes", d->upn_suffixes[i]);
	for (i = 0; i < d->nspn && i < DOMAIN_SUFFIX_MAX; i++)
		store_ldif_rec_put_str(o, "msDS-SPNSuffixes", d->spn_suffixes[i]);
	store_ldif_rec_raw(o, "\n");
	return 0;
}

/* A container cn=<cn> below the domain's DN. */
static int render_container(stldif_out *o, const char *cn, LDAPDN base)
{
	char dn[STLDIF_DN_MAX];

	if (dn_below(base, &cn, 1, dn, sizeof(dn)) != 0)
		return -1;
	store_ldif_rec_put_str(o, "dn", dn);
	store_ldif_rec_put_str(o, "objectClass", "top");
	store_ldif_rec_put_str(o, "objectClass", "container");
	store_ldif_rec_put_str(o, "cn", cn);
	store_ldif_rec_raw(o, "\n");
	return 0;
}

/* "cn=<rdn>,cn=<container>,<base>" into dn (STLDIF_DN_MAX bytes). */
static int child_dn(const char *rdn, const char *container, LDAPDN base, char *dn)
{
	const char *cn[2] = { rdn, container };

	return dn_below(base, cn, 2, dn, STLDIF_DN_MAX);
}

/* A TDO entry: the entry's own lines, then the shared attribute mapping
 * (tdoattr.c); the values list holds secrets and is wiped. */
static int render_tdo(stldif_out *o, const tm_tdo *t, LDAPDN base, tm_error *e)
{
	char dn[STLDIF_DN_MAX];
	tdoattr_list vals;
	size_t i;

	if (child_dn(t->partner, "System", base, dn) != 0)
		return error_fail(e, TM_EBACKEND, ST_INVALID_PARAMETER,
			       "the trust partner name \"%.80s\" is too long for a DN", t->partner);
	if (tdoattr_values(t, &vals, e) != 0)
		return -1;
	store_ldif_rec_put_str(o, "dn", dn);
	store_ldif_rec_put_str(o, "objectClass", "top");
	store_ldif_rec_put_str(o, "objectClass", "leaf");
	store_ldif_rec_put_str(o, "objectClass", "trustedDomain");
	store_ldif_rec_put_str(o, "cn", t->partner);
	for (i = 0; i < vals.n; i++)
		store_ldif_rec_put(o, (vals.v[i].flags & TDOATTR_BINARY) ? LDIF_PUT_BINARY :
				   LDIF_PUT_VALUE, vals.v[i].name, vals.v[i].data, vals.v[i].len);
	tdoattr_list_free(&vals);
	store_ldif_rec_raw(o, "\n");
	return 0;
}

/* An interdomain trust account's user entry. */
static int render_account(stldif_out *o, const tm_account *a, LDAPDN base, tm_error *e)
{
	char dn[STLDIF_DN_MAX];
	long long ft = a->locked && a->locked_at > 0 ?
		       (long long)authblob_filetime(a->locked_at) : 0;

	if (child_dn(a->name, "Users", base, dn) != 0)
		return error_fail(e, TM_EBACKEND, ST_INVALID_PARAMETER,
			       "the account name \"%.80s\" is too long for a DN", a->name);
	store_ldif_rec_put_str(o, "dn", dn);
	store_ldif_rec_put_str(o, "objectClass", "top");
	store_ldif_rec_put_str(o, "objectClass", "person");
	store_ldif_rec_put_str(o, "objectClass", "organizationalPerson");
	store_ldif_rec_put_str(o, "objectClass", "user");
	store_ldif_rec_put_str(o, "cn", a->name);
	store_ldif_rec_put_str(o, "sn", a->name);
	store_ldif_rec_put_str(o, "sAMAccountName", a->name);
	store_ldif_rec_put_opt(o, "displayName", a->partner);
	store_ldif_rec_put_num(o, "userAccountControl", STLDIF_UAC_INTERDOMAIN);
	store_ldif_rec_put_num(o, "badPwdCount", a->locked ? 1 : 0);
	store_ldif_rec_put_num(o, "lockoutTime", ft);
	store_ldif_rec_put_time(o, "whenCreated", a->created);
	store_ldif_rec_raw(o, "\n");
	return 0;
}

static int no_base(const stldif_domain *d, tm_error *e)
{
	return error_fail(e, TM_EBACKEND, ST_INVALID_PARAMETER,
		       "no directory base DN can be made for domain %s", d->dom.name);
}

/* The entries below the domain's: cn=System and its TDOs, cn=Users and
 * its accounts. */
static int render_children(stldif_out *o, const stldif_domain *d, LDAPDN base, tm_error *e)
{
	size_t i;

	if (render_container(o, "System", base) != 0)
		return no_base(d, e);
	for (i = 0; i < d->ntdos; i++)
		if (render_tdo(o, &d->tdos[i], base, e) != 0)
			return -1;
	if (render_container(o, "Users", base) != 0)
		return no_base(d, e);
	for (i = 0; i < d->naccounts; i++)
		if (render_account(o, &d->accounts[i], base, e) != 0)
			return -1;
	return 0;
}

/* store_ldif_entry_render: the domain's DN made once, every other DN built
 * below it. */
int store_ldif_entry_render(stldif_out *o, const stldif_domain *d, tm_error *e)
{
	char base[STLDIF_DN_MAX];
	dnbase b;

	if (domain_base(&d->dom, &b, base, sizeof(base)) != 0)
		return no_base(d, e);
	store_ldif_rec_raw(o, "# trustmgr domain store: the domain entry, its trusted domain objects\n"
			   "# and interdomain trust accounts.  Holds trust secrets: keep it private.\n"
			   STLDIF_FORMAT_LINE "\n");
	if (render_domain(o, &d->dom, base, b.dc, e) != 0 || render_children(o, d, b.dn, e) != 0)
		return -1;
	if (!o->oom) {
		char sum[sizeof(STLDIF_SUM_PREFIX) + 16];

		snprintf(sum, sizeof(sum), STLDIF_SUM_PREFIX "%08x\n",
			 (unsigned)cksum_crc32c(0, o->p, o->len));
		store_ldif_rec_raw(o, sum);
	}
	store_ldif_rec_raw(o, STLDIF_END_LINE "\n");
	return 0;
}

/* ====================================================================
 * Reading
 * ==================================================================== */

/* ---- DN checks ---------------------------------------------------------- */

static int bv_is(const struct berval *bv, const char *s, size_t len)
{
	return bv->bv_len == len && strncasecmp(bv->bv_val, s, len) == 0;
}

/* A single-valued RDN attr=value (case-insensitive, ASCII). */
static int rdn_is(LDAPRDN rdn, const char *attr, const char *val, size_t len)
{
	return rdn && rdn[0] && !rdn[1] && !(rdn[0]->la_flags & LDAP_AVA_BINARY) &&
	       bv_is(&rdn[0]->la_attr, attr, strlen(attr)) && bv_is(&rdn[0]->la_value, val, len);
}

/* Do the RDNs of dn from index `from` equal the domain's base DN? */
static int under_base(LDAPDN dn, size_t from, LDAPDN base)
{
	size_t i;

	for (i = 0; base[i]; i++) {
		LDAPRDN a = dn[from + i], b = base[i];
		size_t j;

		if (!a)
			return 0;
		for (j = 0; a[j] && b[j]; j++)
			if (!bv_is(&a[j]->la_attr, b[j]->la_attr.bv_val, b[j]->la_attr.bv_len) ||
			    !bv_is(&a[j]->la_value, b[j]->la_value.bv_val, b[j]->la_value.bv_len))
				return 0;
		if (a[j] || b[j])
			return 0;
	}
	return dn[from + i] == NULL;
}

/* The entry's DN must be cn=<rdn>,cn=<container>,<base>. */
static int check_child_dn(stldif_ctx *c, const char *container, const char *rdn)
{
	LDAPDN dn = NULL;
	int ok;

	if (ldap_str2dn(c->rd.rec.dn, &dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS || !dn)
		return store_ldif_rec_fail(&c->rd, c->rd.rec.line,
					   "the DN is not a valid distinguished name");
	ok = rdn_is(dn[0], "cn", rdn, strlen(rdn)) && dn[1] &&
	     rdn_is(dn[1], "cn", container, strlen(container)) && under_base(dn, 2, c->base);
	ldap_dnfree(dn);
	if (!ok)
		return store_ldif_rec_fail(&c->rd, c->rd.rec.line, "the DN should be cn=%.80s,cn=%s "
					   "under the domain's DN", rdn, container);
	return 0;
}

/* ---- entries ------------------------------------------------------------ */

static int parse_kind(stldif_ctx *c, tm_kind *kind)
{
	const stldif_attr *a;
	int k;

	if (store_ldif_rec_one(&c->rd, "trustmgrDomainKind", 1, &a) != 0)
		return -1;
	for (k = DOMAIN_AD; k <= DOMAIN_MIT; k++) {
		const char *name = trust_kind_name((tm_kind)k);

		if (a->len == strlen(name) && strncasecmp(a->val, name, a->len) == 0) {
			*kind = (tm_kind)k;
			return 0;
		}
	}
	return store_ldif_rec_fail(&c->rd, a->line, "trustmgrDomainKind must be ad, nt4 or mit");
}

static int parse_domain_facts(stldif_ctx *c, tm_domain *d)
{
	stldif_reader *r = &c->rd;
	long long v = 0;
	int have = 0;

	if (store_ldif_rec_num(r, "msDS-Behavior-Version", 0, LEVEL_2000, LEVEL_2016, &v, &have) != 0)
		return -1;
	if (have)
		d->level = (tm_level)v;
	if (store_ldif_rec_num(r, "trustmgrNTServicePack", 0, 0, 99, &v, &have) != 0)
		return -1;
	d->nt_service_pack = have ? (int)v : -1;
	if (store_ldif_rec_num(r, "trustmgrLMCompatibilityLevel", 0, 0, 5, &v, &have) != 0)
		return -1;
	d->lm_compat_level = have ? (int)v : -1;
	return 0;
}

/* Every value of type (a DNS name each, at most DOMAIN_SUFFIX_MAX). */
static int parse_suffixes(stldif_reader *r, const char *type, char v[][NAME_DNS_MAX], size_t *n)
{
	size_t i;
	struct berval bv;
	tm_error sub;

	*n = 0;
	for (i = 1; i < r->rec.n; i++) {
		const stldif_attr *a = &r->rec.a[i];

		if (strcasecmp(a->type, type) != 0)
			continue;
		if (*n >= DOMAIN_SUFFIX_MAX)
			return store_ldif_rec_fail(r, a->line, "more than %d values of %s", DOMAIN_SUFFIX_MAX,
						   type);
		bv = store_ldif_rec_bv(a);
		error_clear(&sub);
		if (tdoattr_parse_str(type, &bv, v[*n], NAME_DNS_MAX, &sub) != 0 ||
		    name_check_dns(v[*n], &sub) != 0)
			return store_ldif_rec_fail(r, a->line, "%s", sub.what);
		(*n)++;
	}
	return 0;
}

static int parse_domain(stldif_ctx *c)
{
	stldif_reader *r = &c->rd;
	tm_domain *d = &c->out->dom;
	char base[STLDIF_DN_MAX];
	dnbase b;

	if (c->have_domain)
		return store_ldif_rec_fail(r, r->rec.line, "a second domain entry (objectClass domain)");
	domain_init(d);
	if (store_ldif_rec_str(r, "name", 1, d->name, sizeof(d->name)) != 0 ||
	    parse_kind(c, &d->kind) != 0 ||
	    store_ldif_rec_str(r, "dnsRoot", 0, d->dns, sizeof(d->dns)) != 0 ||
	    store_ldif_rec_str(r, "nETBIOSName", 0, d->netbios, sizeof(d->netbios)) != 0 ||
	    store_ldif_rec_sid(r, "objectSid", &d->sid, &d->has_sid) != 0 ||
	    store_ldif_rec_str(r, "trustmgrForestRoot", 0, d->forest, sizeof(d->forest)) != 0 ||
	    store_ldif_rec_str(r, "trustmgrRealm", 0, d->realm, sizeof(d->realm)) != 0 ||
	    parse_domain_facts(c, d) != 0 ||
	    parse_suffixes(r, "uPNSuffixes", d->upn_suffixes, &d->nupn) != 0 ||
	    parse_suffixes(r, "msDS-SPNSuffixes", d->spn_suffixes, &d->nspn) != 0)
		return -1;
	if (!d->name[0])
		return store_ldif_rec_fail(r, r->rec.line, "the domain entry's name (the store key) "
					   "is empty");
	/* What the store could not write back, it does not accept. */
	if (domain_base(d, &b, base, sizeof(base)) != 0)
		return store_ldif_rec_fail(r, r->rec.line, "the domain entry has no DNS name (dnsRoot) "
					   "and no directory base DN can be made from its other names");
	if (ldap_str2dn(r->rec.dn, &c->base, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS || !c->base)
		return store_ldif_rec_fail(r, r->rec.line, "the DN is not a valid distinguished name");
	c->have_domain = 1;
	return 0;
}

static int need_domain(stldif_ctx *c)
{
	if (!c->have_domain)
		return store_ldif_rec_fail(&c->rd, c->rd.rec.line, "this entry comes before the "
					   "domain entry");
	return 0;
}

/* One mapped attribute (tdoattr.c) from the entry's lines; a fault is
 * reported at the line of the offending value, else at the entry. */
static int tdo_attr(stldif_ctx *c, tm_tdo *t, const tdoattr_def *def)
{
	struct berval vals[STLDIF_REC_MAX];
	unsigned long lines[STLDIF_REC_MAX];
	size_t i, n = 0, bad = 0;
	tm_error sub;

	for (i = 1; i < c->rd.rec.n; i++) {
		if (strcasecmp(c->rd.rec.a[i].type, def->name) != 0)
			continue;
		vals[n] = store_ldif_rec_bv(&c->rd.rec.a[i]);
		lines[n++] = c->rd.rec.a[i].line;
	}
	error_clear(&sub);
	if (tdoattr_set(t, def, vals, n, &bad, &sub) == 0)
		return 0;
	if (!sub.status) {         /* not the file's fault (out of memory) */
		if (c->rd.e)
			*c->rd.e = sub;
		return -1;
	}
	return store_ldif_rec_fail(&c->rd, bad < n ? lines[bad] : c->rd.rec.line, "%s",
				   sub.what);
}

static int tdo_fields(stldif_ctx *c, tm_tdo *t)
{
	const tdoattr_def *defs;
	size_t i, n;

	defs = tdoattr_defs(&n);
	for (i = 0; i < n; i++)
		if ((!c->rows || (defs[i].flags & TDOATTR_LISTED)) && tdo_attr(c, t, &defs[i]) != 0)
			return -1;
	return 0;
}

/* The partner of the i-th TDO read so far. */
static const char *ctx_partner(const stldif_ctx *c, size_t i)
{
	return c->rows ? tdo_rows_partner(c->rows, i) : c->out->tdos[i].partner;
}

/* How many TDOs were read so far. */
static size_t ctx_ntdos(const stldif_ctx *c)
{
	return c->rows ? c->rows->n : c->out->ntdos;
}

/* Grow the set of partners to twice its size (or 64), rehashing. */
static int seen_grow(stldif_ctx *c)
{
	size_t ncap = c->seen_cap ? c->seen_cap * 2 : 64, i, *v = calloc(ncap, sizeof(*v));

	if (!v)
		return -1;
	for (i = 0; i < ctx_ntdos(c); i++) {
		size_t k = name_hash(ctx_partner(c, i)) & (ncap - 1);

		while (v[k])
			k = (k + 1) & (ncap - 1);
		v[k] = i + 1;
	}
	free(c->seen);
	c->seen = v;
	c->seen_cap = ncap;
	return 0;
}

/* The slot for partner in the set: holding its TDO, or empty. */
static size_t *seen_slot(stldif_ctx *c, const char *partner)
{
	size_t k = name_hash(partner) & (c->seen_cap - 1);

	while (c->seen[k] && !name_equal(ctx_partner(c, c->seen[k] - 1), partner))
		k = (k + 1) & (c->seen_cap - 1);
	return &c->seen[k];
}

/* Room for one more TDO: the array and the set grow geometrically. */
static int tdo_room(stldif_ctx *c)
{
	stldif_domain *d = c->out;

	if (!c->rows) {
		tm_tdo *v = grow_array(d->tdos, &c->tdo_cap, d->ntdos + 1, sizeof(*v), 16);

		if (!v)
			return -1;
		d->tdos = v;
	}
	if ((ctx_ntdos(c) + 1) * 2 > c->seen_cap && seen_grow(c) != 0)
		return -1;
	return 0;
}

static int add_tdo(stldif_ctx *c, tm_tdo *t)
{
	stldif_domain *d = c->out;
	size_t *slot;

	if (tdo_room(c) != 0)
		return error_fail(c->rd.e, TM_EBACKEND, NULL, "out of memory while reading domain.ldif");
	slot = seen_slot(c, t->partner);
	if (*slot)
		return store_ldif_rec_fail(&c->rd, c->rd.rec.line, "a second TDO for partner %.80s",
					   t->partner);
	if (c->rows) {             /* a listing keeps the row; t is freed by the caller */
		if (tdo_rows_add(c->rows, t) != 0)
			return error_fail(c->rd.e, TM_EBACKEND, NULL,
				       "out of memory while reading domain.ldif");
		*slot = c->rows->n;
		return 1;
	}
	d->tdos[d->ntdos++] = *t;   /* ownership moves */
	*slot = d->ntdos;
	return 0;
}

static int parse_tdo(stldif_ctx *c)
{
	tm_tdo t;
	int rc;

	tdo_init(&t);
	rc = need_domain(c) != 0 || tdo_fields(c, &t) != 0 ||
	     check_child_dn(c, "System", t.partner) != 0 ? -1 : add_tdo(c, &t);
	if (rc != 0)
		tdo_free(&t);
	return rc < 0 ? -1 : 0;
}

static int account_fields(stldif_ctx *c, tm_account *a)
{
	stldif_reader *r = &c->rd;
	long long locked = 0, ft = 0;

	if (store_ldif_rec_str(r, "sAMAccountName", 1, a->name, sizeof(a->name)) != 0 ||
	    store_ldif_rec_str(r, "displayName", 0, a->partner, sizeof(a->partner)) != 0 ||
	    store_ldif_rec_num(r, "badPwdCount", 0, 0, INT32_MAX, &locked, NULL) != 0 ||
	    store_ldif_rec_num(r, "lockoutTime", 0, 0, INT64_MAX, &ft, NULL) != 0 ||
	    store_ldif_rec_time(r, "whenCreated", &a->created) != 0)
		return -1;
	a->locked = locked > 0;
	a->locked_at = a->locked && ft > 0 ? authblob_unixtime((uint64_t)ft) : 0;
	return 0;
}

static int add_account(stldif_ctx *c, const tm_account *a)
{
	stldif_domain *d = c->out;
	tm_account *v;
	size_t i;

	for (i = 0; i < d->naccounts; i++)
		if (name_equal(d->accounts[i].name, a->name))
			return store_ldif_rec_fail(&c->rd, c->rd.rec.line, "a second account named %s",
						   a->name);
	v = grow_array(d->accounts, &c->account_cap, d->naccounts + 1, sizeof(*v), 16);
	if (!v)
		return error_fail(c->rd.e, TM_EBACKEND, NULL, "out of memory while reading domain.ldif");
	d->accounts = v;
	d->accounts[d->naccounts++] = *a;
	return 0;
}

/* A user entry: an interdomain trust account, or (other users) ignored. */
static int parse_account(stldif_ctx *c)
{
	tm_account a;
	uint32_t uac = 0;

	memset(&a, 0, sizeof(a));
	if (store_ldif_rec_u32(&c->rd, "userAccountControl", 1, &uac, NULL) != 0)
		return -1;
	if (!(uac & STLDIF_UAC_INTERDOMAIN))
		return 0;
	if (need_domain(c) != 0 || account_fields(c, &a) != 0 ||
	    check_child_dn(c, "Users", a.name) != 0)
		return -1;
	return add_account(c, &a);
}

/* store_ldif_entry_read: by objectClass, once the record is known to be an
 * entry (no change record, one dn: line). */
int store_ldif_entry_read(stldif_ctx *c)
{
	const stldif_rec *r = &c->rd.rec;
	size_t i;

	if (r->n == 0)
		return 0;
	for (i = 1; i < r->n; i++) {
		if (strcasecmp(r->a[i].type, "changetype") == 0 ||
		    strcasecmp(r->a[i].type, "control") == 0)
			return store_ldif_rec_fail(&c->rd, r->a[i].line,
						   "change records are not allowed here");
		if (strcasecmp(r->a[i].type, "dn") == 0)
			return store_ldif_rec_fail(&c->rd, r->a[i].line, "a second dn: line inside one "
						   "entry (is the blank line between two entries "
						   "missing?)");
	}
	if (c->domain_only && !store_ldif_rec_has(r, "objectClass", "domain"))
		return 0;
	if (store_ldif_rec_has(r, "objectClass", "trustedDomain"))
		return parse_tdo(c);
	if (store_ldif_rec_has(r, "objectClass", "user"))
		return c->rows ? 0 : parse_account(c);   /* a listing shows no accounts */
	if (store_ldif_rec_has(r, "objectClass", "domain"))
		return parse_domain(c);
	return 0;      /* containers and anything else: not ours */
}

/* store_ldif_entry_done: the parsed base DN and the set of partners. */
void store_ldif_entry_done(stldif_ctx *c)
{
	if (c->base)
		ldap_dnfree(c->base);
	c->base = NULL;
	free(c->seen);
	c->seen = NULL;
	c->seen_cap = 0;
}
