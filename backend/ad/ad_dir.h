/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ad_dir.h - what an Active Directory domain's directory says about itself
 * and its interdomain trust accounts, read over LDAP (docs/RULES.md,
 * "Active Directory domains as they are").
 *
 * The root DSE says whether the directory is Active Directory (the
 * capability 1.2.840.113556.1.4.800), where the domain's naming context and
 * the forest root are, and the domain and forest functional levels; the
 * domain object holds the domain SID; the domain's crossRef in
 * CN=Partitions of the configuration holds its NetBIOS and DNS names. The
 * interdomain trust accounts are the users with userAccountControl bit
 * 0x800 in CN=Users.
 */
#ifndef TM_AD_DIR_H
#define TM_AD_DIR_H

#include "backend/ldap/ldapdir.h"
#include "model/trust.h"

#define AD_DIR_CAPABILITY "1.2.840.113556.1.4.800"

/* The domain as its directory describes it. */
typedef struct ad_facts {
	int is_ad;                     /* the root DSE names the AD capability */
	char base_dn[CFG_STR];         /* defaultNamingContext */
	char root_dn[CFG_STR];         /* rootDomainNamingContext */
	char config_dn[CFG_STR];       /* configurationNamingContext */
	char dc_host[NAME_DNS_MAX];    /* dnsHostName of the DC answering */
	char dc_addr[48];              /* its IPv4 address, as LDAP reached it ("" unknown) */
	char vendor[96];               /* vendorName: Samba's DCs name the Samba Team;
	                                * Windows DCs give none */
	char dns[NAME_DNS_MAX];        /* the crossRef's dnsRoot */
	char netbios[NAME_NB_MAX + 1]; /* the crossRef's nETBIOSName */
	char forest[NAME_DNS_MAX];     /* the forest root's dnsRoot */
	tm_sid sid;                    /* the domain object's objectSid */
	int has_sid;
	int domain_level;              /* msDS-Behavior-Version (domainFunctionality) */
	int forest_level;              /* forestFunctionality */
} ad_facts;

/* Read the root DSE; when it is Active Directory, also the domain object
 * and the crossRefs, and give the session its base (ldapdir_set_base).
 * Returns 0 (f->is_ad says which kind was found) or -1 with e. */
int ad_dir_facts(ldapdir *l, ad_facts *f, tm_error *e);

/* The functional level of an msDS-Behavior-Version value (0 = 2000,
 * 2 = 2003, 3 = 2008, 4 = 2008 R2, 5 = 2012, 6 = 2012 R2, 7 = 2016 and
 * later count as 2016). */
tm_level ad_dir_level(int behavior_version);

/* The interdomain trust accounts (CN=<NB>$ in CN=Users,<base>,
 * userAccountControl 0x800) into *out (malloc'd): name, creation time,
 * whether locked out. Returns 0 or -1 with e. */
int ad_dir_accounts(ldapdir *l, const char *base, tm_account **out, size_t *n, tm_error *e);

/* A service principal of a DC of the domain for verify (its host name as
 * "cifs/<dnsHostName>"), from the DC answering, into buf. 0, or -1 when
 * none is known. */
int ad_dir_service(const ad_facts *f, char *buf, size_t n);

#endif
