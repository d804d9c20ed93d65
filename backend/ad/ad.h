/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ad.h - one Active Directory domain (Samba or Windows DCs) as the
 * real-domain backend (backend/directory) uses it: read over LDAP, changed
 * through LSA (docs/RULES.md, "Active Directory domains as they are";
 * docs/ARCHITECTURE.md, "Active Directory").
 *
 * TDOs are read over LDAP, where a DC shows everything but the trust
 * secrets; the secrets, when the account may read them, through LSA
 * (QueryTrustedDomainInfo). TDOs are created, changed and deleted only
 * through LSA (the DC refuses TDO writes over LDAP), which also creates and
 * deletes the interdomain trust account of an inbound trust. A DC keeps no
 * kadmin: its KDC derives the cross-realm keys from the TDO's secrets, the
 * key version from their VERSION entry (0 without one), so setting a key is
 * setting the secret, and the keys trustmgr reports are those of the TDOs.
 */
#ifndef TM_AD_H
#define TM_AD_H

#include <stddef.h>
#include <stdint.h>

#include "backend/ad/ad_dir.h"
#include "backend/ad/ad_lsa.h"
#include "backend/config/config.h"
#include "backend/ldap/ldapdir.h"
#include "model/caps.h"
#include "model/forestinfo.h"
#include "model/trust.h"

/* One AD domain of the configuration, opened on first use. */
typedef struct ad_side {
	const cfg_domain *cfg;
	ldapdir *l;                    /* borrowed from the directory backend */
	ad_facts facts;
	ad_lsa *lsa;                   /* started on the first LSA call */
	ad_lsa_factory *factory;       /* borrowed: makes the helper, when there is one */
	int connected;                 /* the helper is connected to this domain's DC */
	int connect_sent;              /* its connect request went, the answer is unread */
	int logon_only;                /* that session has no LSA pipe (netlogon only) */
	struct ad_ahead {              /* a validate sent ahead (ad_validate_ahead) */
		int state;             /* 0 none, 1 sent (answer unread), 2 answered */
		char partner[NAME_DNS_MAX];
		int rc;                /* answered: 0 with out, or -1 with err */
		char out[64];
		tm_error err;
	} ahead;
	int timeout;
	int secrets_denied;            /* the account may not read trust secrets */
	char secrets_why[CAPS_WHY_MAX];
} ad_side;

/* Check what the configuration says against what the directory says:
 * every name given in the file (dns_name, netbios_name, sid, realm,
 * forest, functional_level) must agree; the ones left out are taken from
 * the directory into d. Returns 0 or -1 with e naming both values. */
int ad_adopt_facts(const ad_facts *f, cfg_domain *d, tm_error *e);

/* What the DC's vendor is known not to do, set before the first read
 * (Samba never hands out trust secrets). */
void ad_known_limits(ad_side *s);

/* What trustmgr can do with the domain (ops->caps). */
void ad_caps(const ad_side *s, tm_caps *out);

/* Every TDO, secrets included where LSA gives them. */
int ad_tdo_list(ad_side *s, tm_tdo **out, size_t *n, tm_error *e);

/* One call to the DC through the helper (m is freed): 0 with *r (an ok
 * reply, the caller frees it), or -1 with e (doing names the call). */
int ad_call(ad_side *s, ad_msg *m, ad_reply *r, const char *doing, tm_error *e);

/* The forest trust information of t (nothing when t is not forest
 * transitive or holds none), through lsaRSetForestTrustInformation
 * (ad_ftinfo.c): checked first, and refused (STATUS_OBJECT_NAME_COLLISION,
 * naming with whom, nothing written) when the DC finds a record sent
 * enabled in collision; then written. 0 or -1 with e. */
int ad_ftinfo_put(ad_side *s, const tm_tdo *t, tm_error *e);

/* Of the DC's collision records in text (the helper's collisions=: "index=N
 * type=T flags=0xF name=NAME" parts separated by "; "), the number that
 * stop a record of fi sent enabled (the DC would disable it for a
 * conflict); what they are, in words, into what (n bytes). Malformed parts
 * and indexes beyond fi are ignored. */
size_t ad_ftinfo_collisions(const fti_info *fi, const char *text, char *what, size_t n);

/* Create or change the TDO of t->partner through LSA; delete it. */
int ad_tdo_put(ad_side *s, const tm_tdo *t, tm_error *e);
int ad_tdo_delete(ad_side *s, const char *partner, tm_error *e);

/* The forest's UPN and SPN suffixes (d's nupn, upn_suffixes, nspn,
 * spn_suffixes): uPNSuffixes and msDS-SPNSuffixes of CN=Partitions in the
 * configuration naming context, read over LDAP; written there over LDAP
 * too, as samba-tool does (the values of names). 0 or -1 with e. */
int ad_suffixes_get(ad_side *s, tm_domain *d, tm_error *e);
int ad_suffixes_put(ad_side *s, const tm_domain *names, tm_error *e);

/* The interdomain trust accounts; delete an orphaned one (its TDO gone). */
int ad_account_list(ad_side *s, tm_account **out, size_t *n, tm_error *e);
int ad_account_delete(ad_side *s, const char *name, tm_error *e);

/* The keys the DC's KDC derives from the TDOs of tdos (principal, kvno of
 * the VERSION entry, encryption types of msDS-SupportedEncryptionTypes). */
int ad_keys_from_tdos(const ad_side *s, const tm_tdo *tdos, size_t n, tm_keyinfo **out,
		      size_t *nk, tm_error *e);

/* The NT flow across an AD trust: prove password as the interdomain trust
 * account `account` of the trusted domain s (netlogon, no administrator
 * rights); change it from old to new the same way. res: 0 right, 1 wrong,
 * 2 locked, 3 missing. */
int ad_prove(ad_side *s, const char *account, const char *password, int *res, tm_error *e);
int ad_change(ad_side *s, const char *account, const char *old_pw, const char *new_pw,
	      tm_error *e);

/* After a wrong password was tried against the permit of the trust account
 * `account`: a DC enforces no one chance of its own, so the permit's initial
 * password is replaced by a random one nobody knows (the TDO made again),
 * as the NT one-chance rule wants. 0 when done or nothing was permitted. */
int ad_withdraw_permit(ad_side *s, const char *account, tm_error *e);

/* Ask the DC to check its secure channel to trusted partner, as samba-tool
 * domain trust validate does (netlogon TC_VERIFY): its answer (a WERR name)
 * into out. 0, or -1 with e when it could not be asked. */
int ad_validate(ad_side *s, const char *partner, char *out, size_t n, tm_error *e);

/* Ask the DC for that check now, without waiting for the answer, which
 * ad_validate for the same partner then reads: the DC's netlogon
 * connection and its check run while trustmgr asks the KDCs. Nothing
 * happens when a request is already waiting for its answer. */
void ad_validate_ahead(ad_side *s, const char *partner);

/* Start the LSA helper now, without waiting for it, when it will be needed
 * soon (Python starts while trustmgr works on). */
void ad_side_prestart(ad_side *s);

/* On the DC trustmgr runs on (local_dc_conf): wait for the helper's logon,
 * which checks that it reached the DC and domain that the directory was
 * read from, so that a wrong smb.conf is refused before any change. 0 (at
 * once for a DC reached over the network), or -1 with e. */
int ad_side_confirm_local(ad_side *s, tm_error *e);

/* Start the LSA helper now, without logging on yet (what it logs on for,
 * changes or only netlogon's check, is known later: ad_side_prestart,
 * ad_validate_ahead). */
void ad_side_warm(ad_side *s);

/* Stop the LSA helper (the LDAP session belongs to the caller). */
void ad_side_close(ad_side *s);

/* Tell the side's helper to leave (ad_lsa_quit); ad_side_close waits. */
void ad_side_quit(ad_side *s);

#endif
