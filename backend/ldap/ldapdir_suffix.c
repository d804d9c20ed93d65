/* ldapdir_suffix.c - uPNSuffixes and msDS-SPNSuffixes of a directory's
 * Partitions container (ldapdir_suffix.h). */
#include "backend/ldap/ldapdir_suffix.h"

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

/* ldapdir_suffix_read: a base search of the Partitions container. */
int ldapdir_suffix_read(ldapdir *l, tm_domain *d, tm_error *e)
{
	static char upn[] = "uPNSuffixes", spn[] = "msDS-SPNSuffixes";
	char *attrs[] = { upn, spn, NULL };
	const char *container = ldapdir_container(l);
	size_t skip = strlen(LDAPDIR_SUFFIX_SYSTEM);
	ldapdir_reader r;
	suffix_read s;

	d->nupn = 0;
	d->nspn = 0;
	if (!container || strncasecmp(container, LDAPDIR_SUFFIX_SYSTEM, skip) != 0)
		return 0;                  /* no base known: nothing to read */
	s.d = d;
	if ((size_t)snprintf(s.dn, sizeof(s.dn), "cn=Partitions,cn=Configuration,%s",
			     container + skip) >= sizeof(s.dn))
		return ldapdir_no_memory(l, e);
	r.attrs = attrs;
	r.entry = suffix_entry;
	r.reset = suffix_reset;
	r.arg = &s;
	return ldapdir_lookup(l, s.dn, LDAP_SCOPE_BASE, "(objectClass=*)", &r,
			      "reading the UPN and SPN suffixes", e);
}
