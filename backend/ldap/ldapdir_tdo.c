/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ldapdir_tdo.c - one domain's trusted domain objects in a real directory
 * (see ldapdir_tdo.h), over the session of ldapdir.c.
 *
 * The attribute mapping is tdoattr.c (shared with the embedded store's
 * LDIF file). An entry is named cn=<trustPartner> below the container
 * (ldapdir_child_dn); a listing asks only for the attributes it shows, so
 * no secret crosses the wire for it. Secrets read are decoded in place
 * from the result message and wiped there; our copies of secrets sent are
 * wiped once sent (libldap's own encoding buffers are out of reach).
 */
#include "backend/ldap/ldapdir_tdo.h"
#include "backend/os/sigpipe.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <lber.h>
#include <ldap.h>

#include "model/grow.h"
#include "model/secret.h"
#include "backend/ldap/tdoattr.h"
#include "model/tdo.h"

#define LDAPDIR_TDO_FILTER "(objectClass=trustedDomain)"

/* Strip const for libldap's non-const API fields (it does not write them). */
static char *unconst(const char *s)
{
	return (char *)(uintptr_t)s;
}

/* ====================================================================
 * Names
 * ==================================================================== */

/* "cn=<partner>,cn=System,<base_dn>"; *dn is freed with ldap_memfree. */
static int entry_dn(const ldapdir *l, const char *partner, char **dn, tm_error *e)
{
	*dn = NULL;
	if (!partner[0])
		return error_fail(e, TM_EUSAGE, ST_OBJECT_NAME_INVALID,
			       "A trusted domain object needs a partner name.");
	if (ldapdir_child_dn(l, partner, dn) != 0)
		return error_fail(e, TM_EBACKEND, ST_OBJECT_NAME_INVALID, "No distinguished name can "
			       "be made for the trust partner \"%.80s\" below %s.", partner,
			       ldapdir_container(l));
	return 0;
}

/* ====================================================================
 * Reading
 * ==================================================================== */

/* A growing array of TDOs; or, for a listing, the rows the TDOs go to. */
typedef struct tdovec {
	tm_tdo *p;
	size_t n, cap;
	tm_tdo_rows *rows;         /* listing: only TDOATTR_LISTED attributes */
} tdovec;

static tm_tdo *tdovec_add(tdovec *v)
{
	tm_tdo *np = grow_array(v->p, &v->cap, v->n + 1, sizeof(*np), 64);

	if (!np)
		return NULL;
	v->p = np;
	tdo_init(&v->p[v->n]);
	return &v->p[v->n++];
}

/* The values of one entry, by mapped attribute; all point into the
 * result message (in place), so wiping them wipes the message's copy. */
typedef struct entry_vals {
	BerVarray mapped[TDOATTR_COUNT];
	BerVarray created, changed;      /* createTimestamp, modifyTimestamp */
} entry_vals;

static size_t bv_count(BerVarray v)
{
	size_t n = 0;

	while (v && v[n].bv_val)
		n++;
	return n;
}

/* Wipe secret values in place, then free the arrays (not the values). */
static void entry_vals_free(entry_vals *ev)
{
	const tdoattr_def *defs;
	size_t i, j, n;

	defs = tdoattr_defs(&n);
	for (i = 0; i < n; i++) {
		for (j = 0; (defs[i].flags & TDOATTR_SECRET) && j < bv_count(ev->mapped[i]); j++)
			secret_wipe(ev->mapped[i][j].bv_val, ev->mapped[i][j].bv_len);
		ber_memfree(ev->mapped[i]);
	}
	ber_memfree(ev->created);
	ber_memfree(ev->changed);
	memset(ev, 0, sizeof(*ev));
}

static int bv_is(const struct berval *bv, const char *s)
{
	return bv->bv_len == strlen(s) && strncasecmp(bv->bv_val, s, bv->bv_len) == 0;
}

/* Keep vals under its attribute's slot (or free them). */
static void entry_keep(entry_vals *ev, const struct berval *attr, BerVarray vals)
{
	const tdoattr_def *defs, *def = tdoattr_find(attr->bv_val, attr->bv_len);
	BerVarray *slot = NULL;
	size_t n;

	defs = tdoattr_defs(&n);
	if (def)
		slot = &ev->mapped[def - defs];
	else if (bv_is(attr, "createTimestamp"))
		slot = &ev->created;
	else if (bv_is(attr, "modifyTimestamp"))
		slot = &ev->changed;
	if (!slot) {
		ber_memfree(vals);
		return;
	}
	ber_memfree(*slot);             /* a server repeating an attribute: last wins */
	*slot = vals;
}

/* Walk the entry's attributes with libldap's in-place decoder. */
static int entry_read_vals(ldapdir *l, LDAP *ld, LDAPMessage *ent, struct berval *dn,
			   entry_vals *ev, tm_error *e)
{
	BerElement *ber = NULL;
	struct berval attr;
	BerVarray vals = NULL;
	int rc;

	rc = ldap_get_dn_ber(ld, ent, &ber, dn);
	while (rc == LDAP_SUCCESS) {
		rc = ldap_get_attribute_ber(ld, ent, ber, &attr, &vals);
		if (rc != LDAP_SUCCESS || !attr.bv_val)
			break;
		entry_keep(ev, &attr, vals);
		vals = NULL;
	}
	ber_memfree(vals);
	if (ber)
		ber_free(ber, 0);
	if (rc != LDAP_SUCCESS)
		return ldapdir_fail(l, TM_EBACKEND, NULL, rc, e, "An entry from the directory of "
				    "domain %s cannot be decoded", ldapdir_domain(l)->name);
	return 0;
}

static int damaged(const ldapdir *l, const struct berval *dn, const char *why, tm_error *e)
{
	error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "The directory of domain %s holds a "
		"damaged trusted domain object %.*s: %s", ldapdir_domain(l)->name,
		(int)(dn->bv_len > 300 ? 300 : dn->bv_len), dn->bv_val, why);
	error_hint(e, "Correct or delete that entry with an LDAP client (ldapmodify, ldapdelete), "
		"then try again.");
	return -1;
}

/* The common case without parsing: the DN begins "cn=<partner>," and the
 * partner holds nothing an RDN value escapes, so that RDN is cn=<partner>. */
static int rdn_plainly_is(const struct berval *dn, const char *partner)
{
	size_t len = strlen(partner);

	if (!len || dn->bv_len < len + 4 || strncasecmp(dn->bv_val, "cn=", 3) != 0 ||
	    dn->bv_val[3 + len] != ',' || strncasecmp(dn->bv_val + 3, partner, len) != 0)
		return 0;
	return partner[0] != ' ' && partner[0] != '#' && partner[len - 1] != ' ' &&
	       strcspn(partner, ",+\"<>;=\\") == len;
}

/* The entry's name must be cn=<trustPartner> (what put and delete use). */
static int check_rdn(const ldapdir *l, const struct berval *dnbv, const tm_tdo *t, tm_error *e)
{
	struct berval text = *dnbv;
	LDAPDN dn = NULL;
	int ok;

	if (rdn_plainly_is(dnbv, t->partner))
		return 0;
	if (ldap_bv2dn(&text, &dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS || !dn)
		return damaged(l, dnbv, "its DN cannot be parsed.", e);
	ok = dn[0] && dn[0][0] && !dn[0][1] && bv_is(&dn[0][0]->la_attr, "cn") &&
	     bv_is(&dn[0][0]->la_value, t->partner);
	ldap_dnfree(dn);
	if (!ok)
		return damaged(l, dnbv, "its cn is not its trustPartner, so trustmgr could not "
			       "change or delete it by name.", e);
	return 0;
}

/* Fall back on the server's own timestamps when whenCreated/whenChanged
 * are not kept. */
static void server_times(tm_tdo *t, const entry_vals *ev)
{
	tm_error ignore;

	if (!t->when_created && bv_count(ev->created) == 1 &&
	    tdoattr_parse_time("createTimestamp", &ev->created[0], &t->when_created, &ignore))
		t->when_created = 0;
	if (!t->when_changed && bv_count(ev->changed) == 1 &&
	    tdoattr_parse_time("modifyTimestamp", &ev->changed[0], &t->when_changed, &ignore))
		t->when_changed = 0;
}

/* Every mapped attribute (or, listed_only, those a listing shows) into t. */
static int entry_to_tdo(const ldapdir *l, const struct berval *dn, const entry_vals *ev, tm_tdo *t,
			int listed_only, tm_error *e)
{
	const tdoattr_def *defs;
	size_t i, n;
	tm_error sub;

	defs = tdoattr_defs(&n);
	for (i = 0; i < n; i++) {
		if (listed_only && !(defs[i].flags & TDOATTR_LISTED))
			continue;
		error_clear(&sub);
		if (tdoattr_set(t, &defs[i], ev->mapped[i], bv_count(ev->mapped[i]), NULL,
				&sub) != 0) {
			if (!sub.status) {
				*e = sub;
				return -1;
			}
			return damaged(l, dn, sub.what, e);
		}
	}
	server_times(t, ev);
	return check_rdn(l, dn, t, e);
}

/* A listing's row from the entry's values. */
static int read_row(const ldapdir *l, const struct berval *dn, const entry_vals *ev, tdovec *v,
		    tm_error *e)
{
	tm_tdo t;
	int rc;

	tdo_init(&t);
	rc = entry_to_tdo(l, dn, ev, &t, 1, e);
	if (rc == 0 && tdo_rows_add(v->rows, &t) != 0)
		rc = ldapdir_no_memory(l, e);
	tdo_free(&t);
	return rc;
}

/* One entry of a search into the TDOs or rows of v (a tdovec). */
static int read_entry(ldapdir *l, LDAP *ld, LDAPMessage *ent, void *arg, tm_error *e)
{
	tdovec *v = arg;
	entry_vals ev;
	struct berval dn = { 0, NULL };
	tm_tdo *t;
	int rc;

	memset(&ev, 0, sizeof(ev));
	rc = entry_read_vals(l, ld, ent, &dn, &ev, e);
	if (rc == 0 && v->rows)
		rc = read_row(l, &dn, &ev, v, e);
	else if (rc == 0) {
		t = tdovec_add(v);
		rc = t ? entry_to_tdo(l, &dn, &ev, t, 0, e) : ldapdir_no_memory(l, e);
	}
	entry_vals_free(&ev);
	return rc;
}

/* The attributes asked for: the mapped ones and the server's timestamps;
 * for a listing only the listed ones (no secrets cross the wire). */
static void search_attrs(char *attrs[TDOATTR_COUNT + 3], int listed_only)
{
	const tdoattr_def *defs;
	size_t i, k = 0, n;

	defs = tdoattr_defs(&n);
	for (i = 0; i < n; i++)
		if (!listed_only || (defs[i].flags & TDOATTR_LISTED))
			attrs[k++] = unconst(defs[i].name);
	if (!listed_only) {
		attrs[k++] = unconst("createTimestamp");
		attrs[k++] = unconst("modifyTimestamp");
	}
	attrs[k] = NULL;
}

/* The search failed: what v (a tdovec) held is freed. */
static void read_reset(void *arg)
{
	tdovec *v = arg;

	tdo_free_array(&v->p, v->n);
	v->p = NULL;
	v->n = v->cap = 0;
	if (v->rows)
		tdo_rows_free(v->rows);
}

/* ldapdir_tdo_list and _rows: the paged search, read again from the next
 * server when the server goes away. */
static int list_run(ldapdir *l, tdovec *v, tm_error *e)
{
	char *attrs[TDOATTR_COUNT + 3];
	ldapdir_reader r = { attrs, read_entry, read_reset, v };

	search_attrs(attrs, v->rows != NULL);
	return ldapdir_search(l, LDAPDIR_TDO_FILTER, &r, "reading the trusted domain objects", e);
}

/* ====================================================================
 * Writing
 * ==================================================================== */

static int has_secrets(const tm_tdo *t)
{
	return t->incoming.count > 0 || t->outgoing.count > 0;
}

static int refuse_plaintext(const ldapdir *l, const tm_tdo *t, tm_error *e)
{
	const char *dom = ldapdir_domain(l)->name;

	error_fail(e, TM_EREFUSED, NULL, "Refused to send the trust secrets of the trust with %s to "
		"the directory of domain %s at %s: the connection is not protected by TLS.",
		t->partner, dom, ldapdir_peer(l));
	error_hint(e, "Use tls = starttls (or ldaps) with tls_cacert in domain %s's block of the "
		"configuration; for an ldapi:// URI or a loopback address you may instead set "
		"allow_plaintext_secrets = true.", dom);
	return -1;
}

/* Before a put is repeated on the server that took over: secrets go only
 * where the new connection is secure too. */
static int put_again(const ldapdir *l, const void *arg, tm_error *e)
{
	const tm_tdo *t = arg;

	if (!ldapdir_secure(l) && has_secrets(t))
		return refuse_plaintext(l, t, e);
	return 0;
}

/* The LDAPMod arrays for one write; values point into a tdoattr_list. */
#define MODSET_MAX (TDOATTR_COUNT + 2)      /* objectClass, cn, the mapped ones */
typedef struct modset {
	LDAPMod mods[MODSET_MAX];
	LDAPMod *modp[MODSET_MAX + 1];
	struct berval bv[MODSET_MAX];
	struct berval *bvp[MODSET_MAX][2];
	size_t n;
} modset;

static void modset_add(modset *m, int op, const char *name, const struct berval *val)
{
	LDAPMod *mod = &m->mods[m->n];

	if (m->n >= MODSET_MAX)
		return;                  /* cannot happen: MODSET_MAX counts them all */
	mod->mod_op = op | LDAP_MOD_BVALUES;
	mod->mod_type = unconst(name);
	mod->mod_bvalues = NULL;
	if (val) {
		m->bv[m->n] = *val;
		m->bvp[m->n][0] = &m->bv[m->n];
		m->bvp[m->n][1] = NULL;
		mod->mod_bvalues = m->bvp[m->n];
	}
	m->modp[m->n++] = mod;
	m->modp[m->n] = NULL;
}

static struct berval value_bv(const tdoattr_value *v)
{
	struct berval bv;

	bv.bv_val = (char *)v->data;
	bv.bv_len = v->len;
	return bv;
}

/* The whole entry, for an add. */
static void add_mods(modset *m, char *classes[4], const tm_tdo *t, const tdoattr_list *vals)
{
	struct berval cn;
	size_t i;

	memset(m, 0, sizeof(*m));
	classes[0] = unconst("top");
	classes[1] = unconst("leaf");
	classes[2] = unconst("trustedDomain");
	classes[3] = NULL;
	m->mods[0].mod_op = LDAP_MOD_ADD;
	m->mods[0].mod_type = unconst("objectClass");
	m->mods[0].mod_values = classes;
	m->modp[m->n++] = &m->mods[0];
	cn.bv_val = unconst(t->partner);
	cn.bv_len = strlen(t->partner);
	modset_add(m, LDAP_MOD_ADD, "cn", &cn);
	for (i = 0; i < vals->n; i++) {
		struct berval bv = value_bv(&vals->v[i]);

		modset_add(m, LDAP_MOD_ADD, vals->v[i].name, &bv);
	}
}

/* Replace every mapped attribute; one the TDO no longer has is replaced by
 * no values, which deletes it when present and is no error when absent
 * (RFC 4511 4.6; a plain delete of an absent attribute would fail). */
static void replace_mods(modset *m, const tdoattr_list *vals)
{
	const tdoattr_def *defs;
	size_t i, n;

	memset(m, 0, sizeof(*m));
	defs = tdoattr_defs(&n);
	for (i = 0; i < n; i++) {
		const tdoattr_value *v = tdoattr_list_get(vals, defs[i].name);
		struct berval bv;

		if (v)
			bv = value_bv(v);
		modset_add(m, LDAP_MOD_REPLACE, defs[i].name, v ? &bv : NULL);
	}
}

/* samba-tool's words for a TDO. */
static const char *samba_direction(uint32_t dir)
{
	switch (dir) {
	case TRUST_DIRECTION_INBOUND: return "incoming";
	case TRUST_DIRECTION_OUTBOUND: return "outgoing";
	default: return "both";
	}
}

/* "--type=... --direction=... [flags]" for samba-tool domain trust create. */
static void samba_options(const tm_tdo *t, char *buf, size_t n)
{
	uint32_t a = t->attributes;
	int forest = (a & TRUST_ATTR_FOREST_TRANSITIVE) != 0;

	snprintf(buf, n, "--type=%s --direction=%s --create-location=local --quarantined=%s%s%s%s%s",
		 forest ? "forest" : "external", samba_direction(t->direction),
		 (a & TRUST_ATTR_QUARANTINED_DOMAIN) ? "yes" : "no",
		 (a & TRUST_ATTR_CROSS_ORGANIZATION) ? " --cross-organisation" : "",
		 forest && (a & TRUST_ATTR_NON_TRANSITIVE) ? " --not-transitive" : "",
		 forest && (a & TRUST_ATTR_TREAT_AS_EXTERNAL) ? " --treat-as-external" : "",
		 t->has_enctypes && !(t->enctypes & ENCTYPE_BITS_AES) ? " --no-aes-keys" : "");
}

/* netdom on a Windows DC of this domain: this side only. */
static void netdom_command(const ldapdir *l, const tm_tdo *t, char *buf, size_t n)
{
	const tm_domain *dom = ldapdir_domain(l);
	const char *self = dom->dns[0] ? dom->dns : dom->netbios;
	int in = t->direction == TRUST_DIRECTION_INBOUND;

	snprintf(buf, n, "netdom trust %s /domain:%s /add%s%s%s /oneside:%s /passwordT:*",
		 in ? t->partner : self, in ? self : t->partner,
		 t->direction == TRUST_DIRECTION_BIDIRECTIONAL ? " /twoway" : "",
		 t->type == TRUST_TYPE_MIT ? " /realm" : "",
		 (t->attributes & TRUST_ATTR_FOREST_TRANSITIVE) ? " /ForestTRANsitive:yes" : "",
		 in ? "trusted" : "trusting");
}

/* Active Directory and Samba refuse TDO writes over LDAP (result 53). */
static int lsa_refusal(const ldapdir *l, const tm_tdo *t, int rc, tm_error *e)
{
	char opts[256], netdom[2 * NAME_DNS_MAX + 128];
	const char *dom = ldapdir_domain(l)->name;

	ldapdir_fail(l, TM_EBACKEND, ST_NOT_SUPPORTED, rc, e, "The directory of domain %s is Active "
		     "Directory or Samba, which creates and changes trusted domain objects only "
		     "through the LSA RPC interface, not over LDAP; the trust with %s was not "
		     "written", dom, t->partner);
	samba_options(t, opts, sizeof(opts));
	netdom_command(l, t, netdom, sizeof(netdom));
	if (t->type == TRUST_TYPE_UPLEVEL)
		error_hint(e, "On a domain controller of %s run: samba-tool domain trust create %s %s "
			"-U Administrator@%s (on Windows: %s); then run trustmgr verify.",
			dom, t->partner, opts, t->partner, netdom);
	else
		error_hint(e, "samba-tool creates only uplevel (AD) trusts; on a Windows domain "
			"controller of %s run: %s; then run trustmgr verify.", dom, netdom);
	return -1;
}

static int put_fail(const ldapdir *l, const tm_tdo *t, const char *dn, int rc, tm_error *e)
{
	char diag[256];

	ldapdir_diagnostic(l, diag, sizeof(diag));
	if (rc == LDAP_UNWILLING_TO_PERFORM && strcasestr(diag, "LSA"))
		return lsa_refusal(l, t, rc, e);
	if (rc == LDAP_NO_SUCH_OBJECT)
		return ldapdir_search_fail(l, rc, e);
	ldapdir_fail(l, TM_EBACKEND, NULL, rc, e, "The directory of domain %s did not store the "
		     "trusted domain object %s", ldapdir_domain(l)->name, dn);
	if (rc == LDAP_INSUFFICIENT_ACCESS || rc == LDAP_STRONG_AUTH_REQUIRED)
		error_hint(e, "The bind DN needs write access to %s and to trustAuthIncoming and "
			"trustAuthOutgoing (see the ACL in docs/LAB.md).", ldapdir_container(l));
	else if (rc == LDAP_OBJECT_CLASS_VIOLATION || rc == LDAP_UNDEFINED_TYPE ||
		 rc == LDAP_NO_SUCH_ATTRIBUTE)
		error_hint(e, "Load msuser.schema and schema/trustmgr.schema into the server (see "
			"docs/LAB.md).");
	else if (rc == LDAP_OTHER && strlen(t->partner) > 200)
		error_hint(e, "OpenLDAP's mdb backend refuses names (RDNs) longer than about 240 "
			"bytes, and this partner name has %zu; check the server's log.",
			strlen(t->partner));
	else
		error_hint(e, "Check the server's log for the reason, correct it, then try again.");
	return -1;
}

/* Add the entry, or replace the attributes of the one already there; once
 * more on the server that takes over when this one goes away. */
static int put_entry(ldapdir *l, const char *dn, const tm_tdo *t, const tdoattr_list *vals,
		     tm_error *e)
{
	char doing[NAME_DNS_MAX + 64], *classes[4];
	modset add, replace;
	ldapdir_put p = { dn, add.modp, replace.modp, doing, put_again, t };
	int rc = LDAP_SUCCESS;

	add_mods(&add, classes, t, vals);
	replace_mods(&replace, vals);
	snprintf(doing, sizeof(doing), "writing the trusted domain object of %.200s", t->partner);
	if (ldapdir_put_entry(l, &p, &rc, e) != 0)
		return -1;
	if (rc != LDAP_SUCCESS)
		return put_fail(l, t, dn, rc, e);
	return 0;
}

/* ldapdir_tdo_put: add, or replace the existing entry's attributes. */
static int put_run(ldapdir *l, const tm_tdo *t, tm_error *e)
{
	tdoattr_list vals;
	char *dn = NULL;
	int rc;

	if (!ldapdir_secure(l) && has_secrets(t))
		return refuse_plaintext(l, t, e);
	if (entry_dn(l, t->partner, &dn, e) != 0)
		return -1;
	if (tdoattr_values(t, &vals, e) != 0) {
		ldap_memfree(dn);
		return -1;
	}
	rc = put_entry(l, dn, t, &vals, e);
	tdoattr_list_free(&vals);              /* wipes the secrets sent */
	ldap_memfree(dn);
	return rc;
}

/* ldapdir_tdo_delete: a missing entry is fine. */
static int delete_run(ldapdir *l, const char *partner, tm_error *e)
{
	char doing[NAME_DNS_MAX + 64], *dn = NULL;
	int rc = LDAP_SUCCESS;

	if (entry_dn(l, partner, &dn, e) != 0)
		return -1;
	snprintf(doing, sizeof(doing), "deleting the trusted domain object of %.200s", partner);
	if (ldapdir_delete_entry(l, dn, doing, &rc, e) != 0) {
		ldap_memfree(dn);
		return -1;
	}
	if (rc != LDAP_SUCCESS && rc != LDAP_NO_SUCH_OBJECT) {
		ldapdir_fail(l, TM_EBACKEND, NULL, rc, e, "The directory of domain %s did not delete "
			     "the trusted domain object %s", ldapdir_domain(l)->name, dn);
		error_hint(e, "Check that the bind DN may delete entries below %s.",
			   ldapdir_container(l));
	}
	ldap_memfree(dn);
	return rc == LDAP_SUCCESS || rc == LDAP_NO_SUCH_OBJECT ? 0 : -1;
}

/* ====================================================================
 * The public functions: SIGPIPE held off around each
 * ==================================================================== */

int ldapdir_tdo_list(ldapdir *l, tm_tdo **out, size_t *n, tm_error *e)
{
	tdovec v = { NULL, 0, 0, NULL };
	sigpipe_guard g;
	int rc;

	*out = NULL;
	*n = 0;
	sigpipe_hold(&g);
	rc = list_run(l, &v, e);
	sigpipe_release(&g);
	if (rc == 0) {
		*out = v.p;
		*n = v.n;
	}
	return rc;
}

int ldapdir_tdo_rows(ldapdir *l, tm_tdo_rows *out, tm_error *e)
{
	tdovec v = { NULL, 0, 0, out };
	sigpipe_guard g;
	int rc;

	sigpipe_hold(&g);
	rc = list_run(l, &v, e);
	sigpipe_release(&g);
	if (rc == 0)
		tdo_rows_trim(out);
	return rc;
}

int ldapdir_tdo_put(ldapdir *l, const tm_tdo *t, tm_error *e)
{
	sigpipe_guard g;
	int rc;

	sigpipe_hold(&g);
	rc = put_run(l, t, e);
	sigpipe_release(&g);
	return rc;
}

int ldapdir_tdo_delete(ldapdir *l, const char *partner, tm_error *e)
{
	sigpipe_guard g;
	int rc;

	sigpipe_hold(&g);
	rc = delete_run(l, partner, e);
	sigpipe_release(&g);
	return rc;
}
