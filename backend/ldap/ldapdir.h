/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ldapdir.h - a session with one domain's directory over LDAP (OpenLDAP
 * through libldap), below its container cn=System,<base_dn>. What the
 * session holds, trusted domain objects, is ldapdir_tdo.h.
 *
 * A connection tries the configured URIs in order (failover), uses
 * StartTLS or ldaps with the configured CA, binds as configured, and has a
 * network and an operation timeout. Searches are paged; filters are built
 * with ldap_bv2escaped_filter_value and DNs with ldap_dn2str/ldap_str2dn.
 * Secrets (trustAuth*) are only sent over TLS, or over ldapi:// or to a
 * loopback address when the configuration says allow_plaintext_secrets.
 */
#ifndef TM_LDAPDIR_H
#define TM_LDAPDIR_H

#include <stddef.h>

#include <ldap.h>

#include "model/trust.h"
#include "backend/config/config.h"

typedef struct ldapdir ldapdir;

/* Connect and bind. Returns NULL with e: unreachable (TM_EBACKEND, says which
 * URIs were tried and the timeout), TLS failure (names the CA file), bind
 * refused (names the bind DN and the password file). A server that accepts
 * the connection but then fails (StartTLS or the bind time out, the
 * connection drops) is passed over for the URIs after it.
 *
 * Failover mid-session: when a server goes away during a search, write or
 * delete (connection lost, no answer within the timeout, unavailable), the
 * connection is made again from the URI after that server's (same bind,
 * same TLS) and the operation is repeated once there; a notice names the
 * server that failed and the one that took over. When none takes over,
 * the error names the failed server and every later attempt. */
ldapdir *ldapdir_open(const cfg_domain *d, int timeout, tm_error *e);
void ldapdir_close(ldapdir **l);

/* Where failover notices go: fn(message, arg), one sentence without a
 * trailing newline. NULL (the default) prints "warning: <message>" on
 * standard error. A console sets its own. Not thread-safe: set it once at
 * start-up. */
typedef void (*ldapdir_notice_fn)(const char *msg, void *arg);
void ldapdir_set_notice(ldapdir_notice_fn fn, void *arg);

/* Say msg where notices go (a warning on standard error by default). */
void ldapdir_notice(const char *msg);

/* 1 when secrets may be written over this connection (TLS, or ldapi/loopback
 * with allow_plaintext_secrets), else 0. */
int ldapdir_secure(const ldapdir *l);

/* ---- the session, for the modules of its entries (ldapdir_tdo.c) ----------
 * These run with SIGPIPE held off by their caller (backend/os/sigpipe.h). */

/* The domain whose directory this is (its names, for messages). */
const tm_domain *ldapdir_domain(const ldapdir *l);

/* The URI of the server connected to (or last tried), for messages. */
const char *ldapdir_peer(const ldapdir *l);

/* The IPv4 address of the server this session is connected to, as text,
 * into buf: 0, or -1 when not connected or not over IPv4 (the LSA helper
 * then finds the DC by name, which costs it a lookup). */
int ldapdir_peer_addr(const ldapdir *l, char *buf, size_t n);

/* A session opened without base_dn (an Active Directory domain, whose root
 * DSE names it: backend/ad) gets its base here, once. 0 or -1 with e. */
int ldapdir_set_base(ldapdir *l, const char *base_dn, tm_error *e);

/* The container cn=System,<base_dn> as ldap_dn2str wrote it (NULL until a
 * session opened without base_dn got one). */
const char *ldapdir_container(const ldapdir *l);

/* "cn=<value>,<container>" through ldap_dn2str, which escapes whatever RFC
 * 4514 wants escaped; *dn is freed with ldap_memfree. Returns 0, or -1 (*dn
 * NULL) when libldap makes none (a base DN too deep, out of memory). */
int ldapdir_child_dn(const ldapdir *l, const char *value, char **dn);

/* The server's diagnostic message for the last operation into buf (n
 * bytes), or "". */
void ldapdir_diagnostic(const ldapdir *l, char *buf, size_t n);

/* Fail e with "<sentence>: <libldap's words for rc> (LDAP result N; the
 * server said: "...")." - the sentence from fmt first, libldap's and the
 * server's detail under it (negative results are libldap's own). Returns
 * -1. */
int ldapdir_fail(const ldapdir *l, tm_class cls, const char *status, int rc, tm_error *e,
		 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Fail e with "out of memory while talking to the directory". Returns -1. */
int ldapdir_no_memory(const ldapdir *l, tm_error *e);

/* Fail e for a search or write below the container that ended with rc,
 * with what to do: a missing container (how to create it), paging refused,
 * the server's size limit, no answer in time, no access. Returns -1. */
int ldapdir_search_fail(const ldapdir *l, int rc, tm_error *e);

/* What a paged search asks for and does with each entry. */
typedef struct ldapdir_reader {
	char **attrs;                 /* the attributes asked for (NULL-terminated) */
	/* one entry of a page; nonzero (with e) stops the search */
	int (*entry)(ldapdir *l, LDAP *ld, LDAPMessage *ent, void *arg, tm_error *e);
	/* the search failed: forget every entry read (it may start again) */
	void (*reset)(void *arg);
	void *arg;
} ldapdir_reader;

/* Every entry one level below the container that matches filter, page by
 * page (RFC 2696). When the server goes away the search starts again from
 * the first page on the next server (paging cookies are the server's);
 * `doing` ("reading ...") names it in the notice. Returns 0, or -1 with e
 * after r->reset. */
int ldapdir_search(ldapdir *l, const char *filter, const ldapdir_reader *r, const char *doing,
		   tm_error *e);

/* The most entries a lookup returns. */
#define LDAPDIR_LOOKUP_MAX 1000

/* Every entry of one search at base (scope LDAP_SCOPE_BASE, ONELEVEL or
 * SUBTREE), not paged (at most LDAPDIR_LOOKUP_MAX entries): the root DSE
 * (base ""), a domain's own objects. No such base is no entry, not an
 * error. Repeated once on the server that takes over. Returns 0, or -1
 * with e after r->reset. */
int ldapdir_lookup(ldapdir *l, const char *base, int scope, const char *filter,
		   const ldapdir_reader *r, const char *doing, tm_error *e);

/* One entry to write: added whole, or its attributes replaced when it
 * exists already. */
typedef struct ldapdir_put {
	const char *dn;
	LDAPMod **add;                /* the entry, for an add (NULL: modify only) */
	LDAPMod **replace;            /* for an entry already there (NULL: add only) */
	const char *doing;            /* "writing ...", for the failover notice */
	/* before the write is repeated on the server that took over: nonzero
	 * (with e) refuses it there (NULL: always repeat) */
	int (*again)(const ldapdir *l, const void *arg, tm_error *e);
	const void *arg;
} ldapdir_put;

/* Write p; when its server goes away, once more on the next one. Returns 0
 * with the LDAP result in *rc (LDAP_SUCCESS, or the server's refusal for
 * the caller to report), or -1 with e when no server took over or
 * p->again refused. */
int ldapdir_put_entry(ldapdir *l, const ldapdir_put *p, int *rc, tm_error *e);

/* Delete dn; when its server goes away, once more on the next one. Returns
 * as ldapdir_put_entry does. */
int ldapdir_delete_entry(ldapdir *l, const char *dn, const char *doing, int *rc, tm_error *e);

#endif
