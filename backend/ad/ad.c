/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ad.c - an Active Directory domain: LDAP to read, LSA to change (ad.h). */
#include "backend/ad/ad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/ldap/ldapdir_suffix.h"
#include "backend/ldap/ldapdir_tdo.h"
#include "model/authblob.h"
#include "model/domain.h"
#include "model/grow.h"
#include "model/keys.h"
#include "model/name.h"
#include "model/secret.h"
#include "model/sid.h"
#include "model/tdo.h"

/* ---- what the directory says against what the file says ------------------ */

/* A name given in the file must be the directory's; one left out is
 * taken. 0, or -1 with e naming both. */
static int ad_adopt(const cfg_domain *d, const char *key, char *cur, size_t n,
		    const char *dir, tm_error *e)
{
	if (!dir[0])
		return 0;
	if (!cur[0]) {
		snprintf(cur, n, "%s", dir);
		return 0;
	}
	if (name_equal(cur, dir))
		return 0;
	error_fail(e, TM_EUSAGE, NULL, "domain %s: %s is %s in the configuration, but its "
		   "directory says %s", d->dom.name, key, cur, dir);
	error_hint(e, "Correct %s in the block %s of the configuration, or leave it out: "
		   "trustmgr reads it from the directory.", key, d->dom.name);
	return -1;
}

static int ad_adopt_sid(const ad_facts *f, cfg_domain *d, tm_error *e)
{
	char a[SID_TEXT_MAX], b[SID_TEXT_MAX];

	if (!f->has_sid)
		return 0;
	if (!d->dom.has_sid) {
		d->dom.sid = f->sid;
		d->dom.has_sid = 1;
		return 0;
	}
	if (sid_equal(&d->dom.sid, &f->sid))
		return 0;
	error_fail(e, TM_EUSAGE, NULL, "domain %s: sid is %s in the configuration, but its "
		   "directory says %s", d->dom.name, sid_format(&d->dom.sid, a, sizeof(a)),
		   sid_format(&f->sid, b, sizeof(b)));
	error_hint(e, "Correct sid in the block %s of the configuration, or leave it out.",
		   d->dom.name);
	return -1;
}

int ad_adopt_facts(const ad_facts *f, cfg_domain *d, tm_error *e)
{
	tm_domain *dom = &d->dom;
	char realm[NAME_DNS_MAX];
	tm_level level = ad_dir_level(f->forest_level);

	name_upper(realm, f->dns, sizeof(realm));
	if (ad_adopt(d, "dns_name", dom->dns, sizeof(dom->dns), f->dns, e) < 0 ||
	    ad_adopt(d, "netbios_name", dom->netbios, sizeof(dom->netbios), f->netbios, e) < 0 ||
	    ad_adopt(d, "realm", dom->realm, sizeof(dom->realm), realm, e) < 0 ||
	    ad_adopt(d, "forest", dom->forest, sizeof(dom->forest), f->forest, e) < 0 ||
	    ad_adopt_sid(f, d, e) < 0)
		return -1;
	if (d->level_given && dom->level != level) {
		error_fail(e, TM_EUSAGE, NULL, "domain %s: functional_level is %s in the "
			   "configuration, but its directory says %s (forest functional level)",
			   dom->name, trust_level_name(dom->level), trust_level_name(level));
		error_hint(e, "Correct functional_level in the block %s, or leave it out.",
			   dom->name);
		return -1;
	}
	dom->level = level;
	return 0;
}

/* ---- capabilities ------------------------------------------------------------ */

void ad_known_limits(ad_side *s)
{
	if (!strstr(s->facts.vendor, "Samba") || s->secrets_denied)
		return;
	/* Samba's LSA server answers every authentication level of
	 * QueryTrustedDomainInfo with STATUS_INVALID_INFO_CLASS (docs/AD.md):
	 * not asking saves the helper on every read. */
	s->secrets_denied = 1;
	snprintf(s->secrets_why, sizeof(s->secrets_why), "%.64s's DC is Samba (%.64s), which "
		 "hands out no trust secrets through LSA, to any account", s->cfg->dom.name,
		 s->facts.vendor);
}

void ad_caps(const ad_side *s, tm_caps *out)
{
	caps_all(out);
	out->keys_from_tdo = 1;
	out->tdo_needs_sid = strstr(s->facts.vendor, "Samba") != NULL;
	if (s->secrets_denied) {
		caps_deny(out, CAP_SECRET_READ, "%s", s->secrets_why);
		caps_deny(out, CAP_KEY_READ, "the DC derives the keys from the trust secrets, "
			  "and %s", s->secrets_why);
	}
	if (!s->cfg->verify_password_file[0] && !s->cfg->verify_keytab[0] &&
	    !s->cfg->bind_password_file[0] && s->cfg->bind != CFG_BIND_SASL_GSSAPI)
		caps_deny(out, CAP_VERIFY, "no client credentials are configured for %s",
			  s->cfg->dom.name);
}

/* ---- the LSA helper ---------------------------------------------------------- */

/* The user the LSA calls run as: the bind's. */
static int ad_user(const ad_side *s, char *buf, size_t n, tm_error *e)
{
	const char *dn = s->cfg->bind_dn, *cn, *end;

	if (s->cfg->bind == CFG_BIND_SASL_GSSAPI) {
		buf[0] = '\0';
		return 0;
	}
	cn = strncasecmp(dn, "CN=", 3) == 0 ? dn + 3 : NULL;
	end = cn ? strchr(cn, ',') : NULL;
	if (!cn || !end || (size_t)(end - cn) + strlen(s->cfg->dom.netbios) + 2 > n)
		return error_fail(e, TM_EUSAGE, NULL, "domain %s: the LSA calls log on as the "
				  "bind's user, and bind_dn %s does not start with CN=<user>",
				  s->cfg->dom.name, dn);
	snprintf(buf, n, "%s\\%.*s", s->cfg->dom.netbios, (int)(end - cn), cn);
	return 0;
}

/* The connect request's fields on the DC trustmgr runs on (local_dc_conf):
 * its smb.conf, no user and no password (docs/AD.md, "On a DC"). 0, or
 * nonzero when out of memory. */
static int ad_connect_local_fields(const ad_side *s, ad_msg *m)
{
	return (ad_msg_add_str(m, "server", s->facts.dc_host[0] ? s->facts.dc_host : "localhost") |
		ad_msg_add_str(m, "local", s->cfg->local_dc_conf)) != 0;
}

/* The connect request's fields for a DC reached over the network: the DC,
 * and the bind's user and password. 0, 1 when out of memory, or -1 with e. */
static int ad_connect_user_fields(const ad_side *s, ad_msg *m, tm_error *e)
{
	char user[CFG_STR + NAME_NB_MAX], *pw = NULL;
	int rc;

	if (ad_user(s, user, sizeof(user), e) < 0)
		return -1;
	if (s->cfg->bind == CFG_BIND_SIMPLE &&
	    config_read_secret(s->cfg->bind_password_file, "bind_password_file", s->cfg, &pw, e) < 0)
		return -1;
	/* The address LDAP reached saves the helper a lookup of the name; the
	 * name stays the SMB target (Kerberos asks for cifs/<name>). */
	rc = ad_msg_add_str(m, "server", s->facts.dc_addr[0] ? s->facts.dc_addr : s->facts.dc_host) |
	     ad_msg_add_str(m, "host", s->facts.dc_host) | ad_msg_add_str(m, "user", user) |
	     ad_msg_add_str(m, "password", pw ? pw : "") |
	     ad_msg_add_str(m, "kerberos", pw ? "no" : "yes");
	secret_free(&pw);
	return rc != 0;
}

/* The connect request; without lsa_pipe the helper opens no LSA session
 * (netlogon's check only). */
static int ad_connect_msg(ad_side *s, ad_msg *m, int lsa_pipe, tm_error *e)
{
	int rc;

	ad_msg_init(m, "connect");
	rc = s->cfg->local_dc_conf[0] ? ad_connect_local_fields(s, m) :
					ad_connect_user_fields(s, m, e);
	if (rc == 0 && !lsa_pipe)
		rc = ad_msg_add_str(m, "lsa", "0") != 0;
	if (rc != 0)
		ad_msg_free(m);
	if (rc > 0)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	return rc;
}

/* On the DC trustmgr runs on (local_dc_conf): is it the DC, and the
 * domain, that the directory was read from? LSA changes one DC, the one
 * read. 0, or -1 with e naming both. */
static int ad_local_same_dc(const ad_side *s, const ad_msg *ok, tm_error *e)
{
	const char *dc = ad_msg_get(ok, "dc", NULL), *dns = ad_msg_get(ok, "dns_name", NULL);

	if (dns && strcasecmp(dns, s->cfg->dom.dns) != 0) {
		error_fail(e, TM_EUSAGE, ST_INVALID_SERVER_STATE, "domain %s: the DC of "
			   "local_dc_conf (%s) serves %s, not %s", s->cfg->dom.name,
			   s->cfg->local_dc_conf, dns, s->cfg->dom.dns);
		error_hint(e, "Name the smb.conf of a DC of %s in local_dc_conf, or remove the "
			   "line.", s->cfg->dom.dns);
		return -1;
	}
	if (dc && s->facts.dc_host[0] && strcasecmp(dc, s->facts.dc_host) == 0)
		return 0;
	error_fail(e, TM_EUSAGE, ST_INVALID_SERVER_STATE, "domain %s: local_dc_conf names "
		   "DC %s, but the directory was read from %s; trustmgr reads and changes one DC",
		   s->cfg->dom.name, dc ? dc : "(unknown)", s->facts.dc_host[0] ? s->facts.dc_host :
		   "(a DC whose dnsHostName is unknown)");
	error_hint(e, "Put this DC's own address first in ldap_uri (the one that reaches %s), or "
		   "remove local_dc_conf.", dc ? dc : "this DC");
	return -1;
}

/* Read the answer to the connect request sent. 0, or -1 with e. */
static int ad_connect_answer(ad_side *s, tm_error *e)
{
	ad_reply r;
	int rc;

	s->connect_sent = 0;
	if (ad_lsa_receive(s->lsa, "connect", &r, e) < 0) {
		if (e->status && strcmp(e->status, ST_IO_TIMEOUT) == 0)
			error_hint(e, "The helper was logging on to %s over SMB: check that the DC's "
				   "SMB port (445) answers from here and that its samba service is not "
				   "hung; on a slow link raise timeout in trustmgr.conf.", s->facts.dc_host);
		return -1;
	}
	rc = r.ok ? 0 : ad_lsa_error(&r, "logging on to LSA", s->facts.dc_host, e);
	if (rc == 0 && s->cfg->local_dc_conf[0])
		rc = ad_local_same_dc(s, &r.end, e);
	else if (rc < 0 && s->cfg->local_dc_conf[0])
		error_hint(e, "local_dc_conf says trustmgr runs on %s's DC: it reaches the DC's LSA "
			   "over the DC's own socket as the system, which needs root on that DC and "
			   "its samba service running; check that %s is its smb.conf, run as root "
			   "there, or remove local_dc_conf to log on over SMB with the bind's account.",
			   s->cfg->dom.name, s->cfg->local_dc_conf);
	else if (rc < 0)
		error_hint(e, "LSA logs on with the bind's credentials over SMB to %s: check %s, that "
			   "the DC's SMB port (445) answers from here, and the DC's log; then run the "
			   "command again.", s->facts.dc_host, s->cfg->bind == CFG_BIND_SASL_GSSAPI ?
			   "the Kerberos ticket (klist; kinit as an administrator of the domain)" :
			   "bind_dn and bind_password_file");
	ad_reply_free(&r);
	s->connected = rc == 0;
	return rc;
}

static void ad_ahead_collect(ad_side *s);

/* Send the connect request (lsa_pipe: see ad_connect_msg), the helper
 * started first when it is not. 0, or -1 with e. */
static int ad_connect_send(ad_side *s, int lsa_pipe, tm_error *e)
{
	ad_msg m;
	int rc;

	if (!s->lsa && !(s->lsa = ad_lsa_start(s->factory, s->timeout, e)))
		return -1;
	if (ad_connect_msg(s, &m, lsa_pipe, e) < 0)
		return -1;
	rc = ad_lsa_send(s->lsa, &m, e);
	ad_msg_free(&m);
	if (rc < 0)
		return -1;
	s->connect_sent = 1;
	s->logon_only = !lsa_pipe;
	return 0;
}

/* Make sure the helper holds a session on the DC: one with an LSA pipe
 * when lsa_pipe, else any (a logon-only one will do). A connect sent ahead
 * is answered first. 0, or -1 with e. */
static int ad_session(ad_side *s, int lsa_pipe, tm_error *e)
{
	ad_ahead_collect(s);
	if (s->connect_sent && ad_connect_answer(s, e) < 0 && !s->logon_only)
		return -1;                     /* the logon to the DC failed */
	if (s->connected && (!lsa_pipe || !s->logon_only))
		return 0;
	if (ad_connect_send(s, lsa_pipe, e) < 0)
		return -1;
	return ad_connect_answer(s, e);
}

/* The helper started, for a request that needs no LSA session (prove,
 * change): a connect sent ahead is answered first; its failure is left
 * for the next call that needs the session, which connects again. */
static int ad_ready(ad_side *s, tm_error *e)
{
	ad_reply r;

	ad_ahead_collect(s);
	if (!s->lsa && !(s->lsa = ad_lsa_start(s->factory, s->timeout, e)))
		return -1;
	if (!s->connect_sent)
		return 0;
	s->connect_sent = 0;
	if (ad_lsa_receive(s->lsa, "connect", &r, e) < 0)
		return -1;
	s->connected = r.ok;
	ad_reply_free(&r);
	return 0;
}

/* One call on a session with (lsa_pipe) or without an LSA pipe. */
static int ad_call_on(ad_side *s, int lsa_pipe, ad_msg *m, ad_reply *r, const char *doing,
		      tm_error *e)
{
	int rc;

	if (ad_session(s, lsa_pipe, e) < 0) {
		ad_msg_free(m);
		return -1;
	}
	rc = ad_lsa_call(s->lsa, m, r, e);
	ad_msg_free(m);
	if (rc < 0)
		return -1;
	if (!r->ok) {
		ad_lsa_error(r, doing, s->facts.dc_host, e);
		ad_reply_free(r);
		return -1;
	}
	return 0;
}

/* ad_call: see ad.h. */
int ad_call(ad_side *s, ad_msg *m, ad_reply *r, const char *doing, tm_error *e)
{
	return ad_call_on(s, 1, m, r, doing, e);
}

/* The helper starts and logs on to the DC now (lsa_pipe: see
 * ad_connect_msg), while trustmgr works on: the answer is read at the first
 * call (ad_session), and a failure shows there. */
void ad_side_warm(ad_side *s)
{
	tm_error ignore;

	error_clear(&ignore);
	if (!s->lsa)
		s->lsa = ad_lsa_start(s->factory, s->timeout, &ignore);
}

static void ad_side_start(ad_side *s, int lsa_pipe)
{
	tm_error ignore;

	ad_side_warm(s);
	if (!s->lsa || s->connected || s->connect_sent)
		return;
	error_clear(&ignore);
	ad_connect_send(s, lsa_pipe, &ignore);
}

void ad_side_prestart(ad_side *s)
{
	ad_side_start(s, 1);
}

int ad_side_confirm_local(ad_side *s, tm_error *e)
{
	return s->cfg->local_dc_conf[0] ? ad_session(s, 1, e) : 0;
}

void ad_side_quit(ad_side *s)
{
	ad_lsa_quit(s->lsa);
}

void ad_side_close(ad_side *s)
{
	ad_lsa_stop(&s->lsa);
	s->connected = 0;
	s->connect_sent = 0;
	s->logon_only = 0;
	memset(&s->ahead, 0, sizeof(s->ahead));
}

/* ---- TDOs ---------------------------------------------------------------------- */

/* Decode a blob the helper returned into b (empty stays empty). */
static int ad_blob_in(const ad_reply *r, const char *key, authblob *b, tm_error *e)
{
	size_t len = 0;
	const char *v = ad_msg_get(&r->end, key, &len);

	if (!v || len == 0)
		return 0;
	return authblob_decode((const uint8_t *)v, len, b, e);
}

/* Why the DC gave no secrets, from what it answered (DENIED: per level). */
static void ad_secrets_why(ad_side *s, const char *denied)
{
	if (strstr(denied, "ACCESS_DENIED"))
		snprintf(s->secrets_why, sizeof(s->secrets_why), "the account trustmgr binds as "
			 "may not read %.64s's trust secrets through LSA (%.200s)",
			 s->cfg->dom.name, denied);
	else
		snprintf(s->secrets_why, sizeof(s->secrets_why), "%.64s's DC does not hand out "
			 "trust secrets through LSA, to any account (Samba's DCs never do; it "
			 "answered %.200s)", s->cfg->dom.name, denied);
}

/* The secrets of t from LSA; a DC that does not let this account read them
 * is remembered (the caps say why), not an error. */
static int ad_secrets(ad_side *s, tm_tdo *t, tm_error *e)
{
	const char *denied;
	ad_msg m;
	ad_reply r;
	int rc;

	if (s->secrets_denied)
		return 0;
	if (ad_session(s, 1, e) < 0) {
		/* Reading goes on without the secrets: say why where they show. */
		s->secrets_denied = 1;
		snprintf(s->secrets_why, sizeof(s->secrets_why), "LSA could not be used on %.64s: "
			 "%.160s", s->cfg->dom.name, e->what);
		error_clear(e);
		return 0;
	}
	ad_msg_init(&m, "query");
	if (ad_msg_add_str(&m, "name", t->partner) < 0 ||
	    ad_call(s, &m, &r, "reading the trust secrets", e) < 0)
		return -1;
	if ((denied = ad_msg_get(&r.end, "secrets_error", NULL)) != NULL && *denied) {
		s->secrets_denied = 1;
		ad_secrets_why(s, denied);
		ad_reply_free(&r);
		return 0;
	}
	authblob_free(&t->incoming);
	authblob_free(&t->outgoing);
	rc = (ad_blob_in(&r, "incoming", &t->incoming, e) < 0 ||
	      ad_blob_in(&r, "outgoing", &t->outgoing, e) < 0) ? -1 : 0;
	ad_reply_free(&r);
	return rc;
}

int ad_tdo_list(ad_side *s, tm_tdo **out, size_t *n, tm_error *e)
{
	size_t i;

	if (ldapdir_tdo_list(s->l, out, n, e) < 0)
		return -1;
	for (i = 0; i < *n; i++)
		if (ad_secrets(s, &(*out)[i], e) < 0) {
			tdo_free_array(out, *n);
			*n = 0;
			return -1;
		}
	return 0;
}

/* Add blob b's encoding under key. */
static int ad_blob_out(ad_msg *m, const char *key, const authblob *b)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	if (authblob_encode(b, &buf, &len) < 0)
		return -1;
	rc = ad_msg_add(m, key, buf, len);
	secret_free_buf(&buf, len);
	return rc;
}

/* The fields of t as a create or set request. A set whose two blobs are
 * empty keeps the secrets the DC holds (they were not readable, or are not
 * changed); one with secrets makes the TDO again (trustmgr_lsa_tdo.py). */
static int ad_tdo_fields(ad_msg *m, const tm_tdo *t, int set)
{
	int secrets = !set || t->incoming.count || t->outgoing.count;

	char sid[SID_TEXT_MAX] = "";

	if (t->has_sid)
		sid_format(&t->sid, sid, sizeof(sid));
	return ad_msg_add_str(m, "name", t->partner) | ad_msg_add_str(m, "flat", t->flat) |
	       ad_msg_add_str(m, "sid", sid) | ad_msg_add_u32(m, "direction", t->direction) |
	       ad_msg_add_u32(m, "type", t->type) | ad_msg_add_u32(m, "attributes", t->attributes) |
	       ad_msg_add_u32(m, "posix_offset", (unsigned long)(uint32_t)t->posix_offset) |
	       (secrets ? ad_blob_out(m, "incoming", &t->incoming) |
			  ad_blob_out(m, "outgoing", &t->outgoing) : 0) |
	       (t->has_enctypes ? ad_msg_add_u32(m, "enctypes", t->enctypes) : 0);
}

/* Does the DC hold a TDO for partner? 1, 0, or -1 with e. */
static int ad_exists(ad_side *s, const char *partner, tm_error *e)
{
	tm_tdo *v = NULL;
	size_t n = 0, i;
	int found = 0;

	if (ldapdir_tdo_list(s->l, &v, &n, e) < 0)
		return -1;
	for (i = 0; i < n && !found; i++)
		found = tdo_matches(&v[i], partner);
	tdo_free_array(&v, n);
	return found;
}

int ad_tdo_put(ad_side *s, const tm_tdo *t, tm_error *e)
{
	int exists = ad_exists(s, t->partner, e);
	ad_msg m;
	ad_reply r;

	if (exists < 0)
		return -1;
	ad_msg_init(&m, exists ? "set" : "create");
	if (ad_tdo_fields(&m, t, exists) != 0) {
		ad_msg_free(&m);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	}
	if (ad_call(s, &m, &r, exists ? "changing the trusted domain object" :
		    "creating the trusted domain object", e) < 0) {
		error_prefix(e, "%s, TDO for %s: ", s->cfg->dom.name, t->partner);
		return -1;
	}
	ad_reply_free(&r);
	return ad_ftinfo_put(s, t, e);
}

int ad_tdo_delete(ad_side *s, const char *partner, tm_error *e)
{
	ad_msg m;
	ad_reply r;

	ad_msg_init(&m, "delete");
	if (ad_msg_add_str(&m, "name", partner) < 0) {
		ad_msg_free(&m);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	}
	if (ad_call(s, &m, &r, "deleting the trusted domain object", e) < 0) {
		error_prefix(e, "%s, TDO for %s: ", s->cfg->dom.name, partner);
		return -1;
	}
	ad_reply_free(&r);
	return 0;
}

/* ---- the forest's own names --------------------------------------------------- */

/* "CN=Partitions,<configurationNamingContext>" into buf; -1 when unknown. */
static int ad_partitions_dn(const ad_side *s, char *buf, size_t n, tm_error *e)
{
	if (!s->facts.config_dn[0] ||
	    (size_t)snprintf(buf, n, "CN=Partitions,%s", s->facts.config_dn) >= n)
		return error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
				  "The directory of %s named no configuration naming context in its "
				  "root DSE, where the forest's UPN and SPN suffixes are kept.",
				  s->cfg->dom.name);
	return 0;
}

int ad_suffixes_get(ad_side *s, tm_domain *d, tm_error *e)
{
	char dn[CFG_STR * 2];

	if (ad_partitions_dn(s, dn, sizeof(dn), e) < 0)
		return -1;
	return ldapdir_suffix_read_dn(s->l, dn, d, e);
}

int ad_suffixes_put(ad_side *s, const tm_domain *names, tm_error *e)
{
	char dn[CFG_STR * 2];

	if (ad_partitions_dn(s, dn, sizeof(dn), e) < 0)
		return -1;
	return ldapdir_suffix_modify(s->l, dn, names, e);
}

/* ---- trust accounts -------------------------------------------------------------- */

int ad_account_list(ad_side *s, tm_account **out, size_t *n, tm_error *e)
{
	return ad_dir_accounts(s->l, s->facts.base_dn, out, n, e);
}

/* An account whose TDO is gone (deleted over LDAP by someone): LSA cannot
 * reach it any more, LDAP can. One whose TDO is there goes with the TDO. */
int ad_account_delete(ad_side *s, const char *name, tm_error *e)
{
	char rdn[NAME_NB_MAX + 8], dn[CFG_STR * 2];
	int rc = 0;

	snprintf(rdn, sizeof(rdn), "%s", name);
	snprintf(dn, sizeof(dn), "CN=%s,CN=Users,%s", rdn, s->facts.base_dn);
	if (ldapdir_delete_entry(s->l, dn, "deleting a trust account", &rc, e) < 0)
		return -1;
	if (rc != LDAP_SUCCESS && rc != LDAP_NO_SUCH_OBJECT)
		return ldapdir_fail(s->l, TM_EBACKEND, NULL, rc, e, "%s: the trust account %s "
				    "could not be deleted", s->cfg->dom.name, name);
	return 0;
}

/* ---- keys --------------------------------------------------------------------- */

/* The realm a TDO's partner has (its DNS name upper-cased; the NetBIOS
 * name for a downlevel trust). */
static void ad_partner_realm(const tm_tdo *t, char *buf, size_t n)
{
	name_upper(buf, t->type == TRUST_TYPE_DOWNLEVEL && t->flat[0] ? t->flat : t->partner, n);
}

static int ad_key_add(tm_keyinfo **v, size_t *n, size_t *cap, const char *trusting,
		      const char *trusted, const authblob *b, uint32_t enctypes, tm_error *e)
{
	tm_keyinfo *k = grow_array(*v, cap, *n + 1, sizeof(**v), 8);

	if (!k)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	*v = k;
	k = &(*v)[(*n)++];
	memset(k, 0, sizeof(*k));
	if (keys_trust_principal(trusting, trusted, k->principal, sizeof(k->principal), e) < 0)
		return -1;
	k->kvno = authblob_kvno(b, 0);
	k->nkvnos = 1;
	k->kvnos[0] = k->kvno;
	k->enctypes = enctypes;
	k->changed = b->count ? authblob_unixtime(authblob_time(b)) : 0;
	return 0;
}

int ad_keys_from_tdos(const ad_side *s, const tm_tdo *tdos, size_t n, tm_keyinfo **out,
		      size_t *nk, tm_error *e)
{
	const char *self = s->cfg->dom.realm;
	char partner[NAME_DNS_MAX];
	size_t i, cap = 0;
	int rc = 0;

	*out = NULL;
	*nk = 0;
	for (i = 0; i < n && rc == 0; i++) {
		const tm_tdo *t = &tdos[i];
		uint32_t enc = t->has_enctypes && t->enctypes ? t->enctypes : ENCTYPE_BIT_RC4;

		ad_partner_realm(t, partner, sizeof(partner));
		if ((t->direction & TRUST_DIRECTION_INBOUND) && t->incoming.count)
			rc = ad_key_add(out, nk, &cap, partner, self, &t->incoming, enc, e);
		if (rc == 0 && (t->direction & TRUST_DIRECTION_OUTBOUND) && t->outgoing.count)
			rc = ad_key_add(out, nk, &cap, self, partner, &t->outgoing, enc, e);
	}
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*nk = 0;
	}
	return rc;
}

/* ---- the NT flow: the trust account itself, over netlogon ----------------------- */

int ad_prove(ad_side *s, const char *account, const char *password, int *res, tm_error *e)
{
	static const char *const words[] = { "ok", "wrong", "locked", "missing" };
	const char *v;
	ad_msg m;
	ad_reply r;
	int i;

	if (ad_ready(s, e) < 0)
		return -1;
	ad_msg_init(&m, "prove");
	if ((ad_msg_add_str(&m, "server", s->facts.dc_host) |
	     ad_msg_add_str(&m, "account", account) |
	     ad_msg_add_str(&m, "domain", s->cfg->dom.netbios) |
	     ad_msg_add_str(&m, "password", password)) != 0 ||
	    ad_lsa_call(s->lsa, &m, &r, e) < 0) {
		ad_msg_free(&m);
		return -1;
	}
	ad_msg_free(&m);
	if (!r.ok) {
		ad_lsa_error(&r, "proving the trust password", s->facts.dc_host, e);
		ad_reply_free(&r);
		return -1;
	}
	v = ad_msg_get(&r.end, "result", NULL);
	*res = 3;
	for (i = 0; v && i < 4; i++)
		if (strcmp(v, words[i]) == 0)
			*res = i;
	ad_reply_free(&r);
	return 0;
}

int ad_change(ad_side *s, const char *account, const char *old_pw, const char *new_pw,
	      tm_error *e)
{
	ad_msg m;
	ad_reply r;
	int rc;

	if (ad_ready(s, e) < 0)
		return -1;
	ad_msg_init(&m, "change");
	if ((ad_msg_add_str(&m, "server", s->facts.dc_host) |
	     ad_msg_add_str(&m, "account", account) |
	     ad_msg_add_str(&m, "domain", s->cfg->dom.netbios) |
	     ad_msg_add_str(&m, "password", old_pw) |
	     ad_msg_add_str(&m, "new_password", new_pw)) != 0 ||
	    ad_lsa_call(s->lsa, &m, &r, e) < 0) {
		ad_msg_free(&m);
		return -1;
	}
	ad_msg_free(&m);
	rc = r.ok ? 0 : ad_lsa_error(&r, "changing the trust password as its account",
				      s->facts.dc_host, e);
	ad_reply_free(&r);
	return rc;
}

/* The DC's answer to validate (r, ok) in words, into out. */
static void ad_validate_words(const ad_reply *r, char *out, size_t n)
{
	const char *conn, *trust;

	/* Both of the DC's answers count, as for samba-tool: its connection to
	 * the partner's DC (tc_connection_status) and the trust's own status
	 * (pdc_connection_status: WERR_ACCOUNT_DISABLED while winbindd keeps
	 * the secure channel of a TDO made again, docs/AD.md). */
	conn = ad_msg_get(&r->end, "connection", NULL);
	trust = ad_msg_get(&r->end, "status", NULL);
	conn = conn && *conn ? conn : "no answer";
	trust = trust && *trust ? trust : "no answer";
	if (strcmp(conn, "WERR_OK") == 0 && strcmp(trust, "WERR_OK") == 0)
		snprintf(out, n, "WERR_OK");
	else if (strcmp(conn, "WERR_OK") == 0)
		snprintf(out, n, "trust %s", trust);
	else
		snprintf(out, n, "connection %s", conn);
}

#define AD_VALIDATE_DOING "asking the DC to validate the trust"

/* The validate request for partner. 0, or -1 with e. */
static int ad_validate_msg(ad_msg *m, const char *partner, tm_error *e)
{
	ad_msg_init(m, "validate");
	if (ad_msg_add_str(m, "name", partner) == 0)
		return 0;
	ad_msg_free(m);
	return error_fail(e, TM_EBACKEND, NULL, "out of memory");
}

void ad_validate_ahead(ad_side *s, const char *partner)
{
	tm_error ignore;
	ad_msg m;
	int rc;

	if (s->ahead.state == 1)
		return;
	memset(&s->ahead, 0, sizeof(s->ahead));
	if (!s->connected && !s->connect_sent)
		ad_side_start(s, 0);           /* netlogon's check needs no LSA session */
	if (!s->lsa || (!s->connected && !s->connect_sent))
		return;
	error_clear(&ignore);
	if (ad_validate_msg(&m, partner, &ignore) < 0)
		return;
	rc = ad_lsa_send(s->lsa, &m, &ignore);
	ad_msg_free(&m);
	if (rc == 0) {
		s->ahead.state = 1;
		snprintf(s->ahead.partner, sizeof(s->ahead.partner), "%s", partner);
	}
}

/* Read the answers of a validate sent ahead (and of the connect before
 * it), so that the next request gets its own answer; kept for
 * ad_validate. */
static void ad_ahead_collect(ad_side *s)
{
	tm_error conn_err;
	ad_reply r;
	int conn_rc = 0;

	if (s->ahead.state != 1)
		return;
	s->ahead.state = 2;
	s->ahead.rc = -1;
	error_clear(&conn_err);
	error_clear(&s->ahead.err);
	if (s->connect_sent)
		conn_rc = ad_connect_answer(s, &conn_err);
	if (ad_lsa_receive(s->lsa, "validate", &r, &s->ahead.err) < 0)
		return;
	if (conn_rc < 0) {
		s->ahead.err = conn_err;            /* why it could not be asked (or, on a
						     * DC trustmgr runs on, not of this DC) */
	} else if (r.ok) {
		ad_validate_words(&r, s->ahead.out, sizeof(s->ahead.out));
		s->ahead.rc = 0;
	} else {
		ad_lsa_error(&r, AD_VALIDATE_DOING, s->facts.dc_host, &s->ahead.err);
	}
	ad_reply_free(&r);
}

int ad_validate(ad_side *s, const char *partner, char *out, size_t n, tm_error *e)
{
	ad_msg m;
	ad_reply r;

	out[0] = '\0';
	ad_ahead_collect(s);
	if (s->ahead.state == 2 && strcasecmp(s->ahead.partner, partner) == 0) {
		s->ahead.state = 0;
		if (s->ahead.rc < 0) {
			*e = s->ahead.err;
			return -1;
		}
		snprintf(out, n, "%s", s->ahead.out);
		return 0;
	}
	if (ad_validate_msg(&m, partner, e) < 0 ||
	    ad_call_on(s, 0, &m, &r, AD_VALIDATE_DOING, e) < 0)
		return -1;
	ad_validate_words(&r, out, n);
	ad_reply_free(&r);
	return 0;
}

/* The TDO of v whose trust account is `account` ("NB$": its flat name). */
static tm_tdo *ad_tdo_of_account(tm_tdo *v, size_t n, const char *account)
{
	size_t i, len = strlen(account);

	for (i = 0; len > 1 && i < n; i++)
		if (strlen(v[i].flat) == len - 1 && strncasecmp(v[i].flat, account, len - 1) == 0)
			return &v[i];
	return NULL;
}

int ad_withdraw_permit(ad_side *s, const char *account, tm_error *e)
{
	tm_tdo *v = NULL, *t;
	size_t n = 0;
	char *pw = NULL;
	int rc = -1;

	if (ldapdir_tdo_list(s->l, &v, &n, e) < 0)
		return -1;
	if (!(t = ad_tdo_of_account(v, n, account))) {
		rc = 0;                       /* no permit left to withdraw */
	} else if (t->direction != TRUST_DIRECTION_INBOUND) {
		error_fail(e, TM_EFAIL, ST_NOT_SUPPORTED, "%s's trusted domain object for %s is not "
			   "a permit alone (it also trusts %s), so its incoming secret cannot be "
			   "replaced without losing the outgoing one, which the DC never hands out",
			   s->cfg->dom.name, t->partner, t->partner);
	} else if (secret_generate(&pw, e) == 0) {
		authblob_free(&t->incoming);
		authblob_free(&t->outgoing);
		if (authblob_set_password(&t->incoming, pw, 1, authblob_filetime((long long)time(NULL)),
					  AUTHBLOB_FRESH, e) == 0)
			rc = ad_tdo_put(s, t, e);
	}
	secret_free(&pw);
	tdo_free_array(&v, n);
	return rc;
}
