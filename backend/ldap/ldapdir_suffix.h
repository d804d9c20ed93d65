/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ldapdir_suffix.h - a forest's own names beyond its domains' DNS names,
 * as an Active Directory style directory keeps them: uPNSuffixes and
 * msDS-SPNSuffixes on cn=Partitions,cn=Configuration,<base_dn> (the
 * crossRefContainer of schema/trustmgr.schema on OpenLDAP). */
#ifndef TM_LDAPDIR_SUFFIX_H
#define TM_LDAPDIR_SUFFIX_H

#include "backend/ldap/ldapdir.h"

/* d's UPN and SPN suffixes (d->nupn, upn_suffixes, nspn, spn_suffixes)
 * from l's directory; none when the container or the attributes are not
 * there. A value that is not a DNS name, or more than DOMAIN_SUFFIX_MAX
 * of one kind, is refused (STATUS_INTERNAL_DB_CORRUPTION naming the entry).
 * Returns 0 or -1 with e. */
int ldapdir_suffix_read(ldapdir *l, tm_domain *d, tm_error *e);

/* The same from the entry dn (an Active Directory forest's Partitions
 * container, CN=Partitions,<configurationNamingContext>). */
int ldapdir_suffix_read_dn(ldapdir *l, const char *dn, tm_domain *d, tm_error *e);

/* Make the suffixes those of names (nupn, upn_suffixes, nspn,
 * spn_suffixes): the Partitions container (and cn=Configuration above it)
 * added when missing, else its two attributes replaced. Returns 0 or -1
 * with e (what the server refused, and what to do). */
int ldapdir_suffix_write(ldapdir *l, const tm_domain *names, tm_error *e);

/* The same on the entry dn, which must be there (an Active Directory
 * forest's Partitions container, as samba-tool changes it): its two
 * attributes replaced, an empty list removing one. Returns 0 or -1 with e. */
int ldapdir_suffix_modify(ldapdir *l, const char *dn, const tm_domain *names, tm_error *e);

#endif
