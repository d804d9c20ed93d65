/* ldapdir.h - one domain's directory over LDAP (OpenLDAP through libldap):
 * its trusted domain objects under cn=System,<base_dn>.
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

#include "model/trust.h"
#include "backend/config/config.h"

typedef struct ldapdir ldapdir;

/* Connect and bind. Returns NULL with e: unreachable (TM_EBACKEND, says which
 * URIs were tried and the timeout), TLS failure (names the CA file), bind
 * refused (names the bind DN and the password file). A server that accepts
 * the connection but then fails (StartTLS or the bind time out, the
 * connection drops) is passed over for the URIs after it.
 *
 * Failover mid-session: when a server goes away during a list, put or
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

/* 1 when secrets may be written over this connection (TLS, or ldapi/loopback
 * with allow_plaintext_secrets), else 0. */
int ldapdir_secure(const ldapdir *l);

/* Every TDO (paged search of (objectClass=trustedDomain) one level below
 * cn=System,<base_dn>), secrets included when the bind may read them. */
int ldapdir_tdo_list(ldapdir *l, tm_tdo **out, size_t *n, tm_error *e);

/* What a listing shows of every TDO, appended to out (the same paged search,
 * asking only for the TDOATTR_LISTED attributes: no secrets are read). */
int ldapdir_tdo_rows(ldapdir *l, tm_tdo_rows *out, tm_error *e);

/* Create or replace cn=<t->partner>,cn=System,<base_dn>. Refused (TM_EREFUSED,
 * with the way out) when the connection is not secure and t carries secrets.
 * A server that refuses TDO writes over LDAP (Active Directory, Samba: result
 * 53) is reported with the exact samba-tool / netdom command for that side. */
int ldapdir_tdo_put(ldapdir *l, const tm_tdo *t, tm_error *e);

/* Delete cn=<partner>,cn=System,<base_dn>; a missing entry is fine. */
int ldapdir_tdo_delete(ldapdir *l, const char *partner, tm_error *e);

#endif
