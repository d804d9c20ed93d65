/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* config.h - trustmgr.conf: the real domains trustmgr manages.
 *
 * krb5.conf syntax, read with libkrb5's profile library. Found at --config
 * FILE, else $TRUSTMGR_CONFIG, else ~/.config/trustmgr/trustmgr.conf, else
 * /etc/trustmgr.conf. Example:
 *
 *   [trustmgr]
 *       state_dir = /var/lib/trustmgr     # health and journal (default: this
 *                                         # one for /etc/trustmgr.conf and for
 *                                         # root, else $XDG_STATE_HOME/trustmgr)
 *       timeout = 10                      # seconds per network operation
 *       rotation_days = 30
 *       min_password_length = 8           # characters of a password a person
 *                                         # gives (1-256); generated ones are long
 *       audit_log = /var/log/trustmgr/audit.log   # default: this one with the
 *                                         # system state, else STATE_DIR/audit.log;
 *                                         # none: syslog only
 *       audit_syslog = false              # also send each record to syslog
 *       audit_facility = authpriv         # auth, authpriv, user, daemon, local0-7
 *       audit_syslog_socket = /dev/log
 *   [domains]
 *       A = {
 *           dns_name = a.lab.test
 *           netbios_name = A
 *           sid = S-1-5-21-1001-2001-3001
 *           forest = a.lab.test
 *           functional_level = 2016
 *           realm = A.LAB.TEST
 *           ldap_uri = ldap://127.0.0.1:20001/     # several lines = failover
 *           ldap_uri = ldaps://127.0.0.1:20002/
 *           base_dn = dc=a,dc=lab,dc=test
 *           bind = simple                  # simple | sasl_external | sasl_gssapi
 *           bind_dn = cn=admin,dc=a,dc=lab,dc=test
 *           bind_password_file = /path/ldap-admin.pw
 *           tls = starttls                 # starttls | ldaps | none
 *           tls_cacert = /path/ca.pem      # default: LDAPTLS_CACERT, ldap.conf
 *           allow_plaintext_secrets = false   # with tls = none: only for ldapi:// or loopback
 *           kadmin_principal = admin/admin@A.LAB.TEST
 *           kadmin_password_file = /path/kadmin.pw   # or kadmin_keytab = /path/admin.keytab;
 *                            # neither: the administrator's own tickets (the
 *                            # cache of kadmin_principal in KRB5CCNAME's
 *                            # collection), else the default client keytab
 *           verify_principal = user@A.LAB.TEST       # optional: a client of this realm
 *           verify_password_file = /path/user.pw     # (or verify_keytab) used by verify
 *           verify_service = kadmin/admin             # optional: service asked for in verify
 *           local_dc_conf = /etc/samba/smb.conf       # kind ad, trustmgr run as root on
 *                            # that DC: LSA reaches it over its local socket
 *           kind = ad                      # ad (default) | nt4 | mit
 *       }
 *
 * Reading rules: " # ..." after a value is a comment; the closing brace of
 * a block goes on a line of its own; ldap_uri may repeat, and one value may
 * hold several URIs separated by blanks; a relative file name is taken from
 * the configuration file's folder; files named must exist, and those holding
 * secrets (*_password_file, *_keytab) must not be readable by group or
 * others. Required: ldap_uri, base_dn, bind, tls; bind_dn and
 * bind_password_file with bind = simple (only then); dns_name, netbios_name,
 * sid and functional_level for kind ad, netbios_name and sid for nt4, realm
 * (or dns_name) for mit; realm defaults to dns_name upper-cased. A principal
 * needs its password file or keytab (kadmin_principal alone uses the
 * administrator's tickets), and those need their principal. With bind =
 * sasl_gssapi, sasl_nocanon = true|false asks the service ticket for the
 * host as ldap_uri writes it (true) or as reverse DNS names it (false);
 * left out, libldap's default (LDAPSASL_NOCANON, ldap.conf) stands.
 */
#ifndef TM_CONFIG_H
#define TM_CONFIG_H

#include <limits.h>
#include <stddef.h>

#include "model/error.h"
#include "model/trust.h"

#define CFG_MAX_URIS 8
#define CFG_STR 512
/* The service verify asks a ticket for when verify_service is not given. */
#define CFG_VERIFY_SERVICE "kadmin/admin"

typedef enum cfg_bind { CFG_BIND_SIMPLE = 0, CFG_BIND_SASL_EXTERNAL, CFG_BIND_SASL_GSSAPI } cfg_bind;
typedef enum cfg_tls { CFG_TLS_STARTTLS = 0, CFG_TLS_LDAPS, CFG_TLS_NONE } cfg_tls;
/* sasl_nocanon: not given (libldap's own default: LDAPSASL_NOCANON,
 * ldap.conf's SASL_NOCANON), true or false. */
typedef enum cfg_nocanon { CFG_NOCANON_DEFAULT = 0, CFG_NOCANON_ON, CFG_NOCANON_OFF } cfg_nocanon;

/* One [domains] block. Empty strings mean "not set". */
typedef struct cfg_domain {
	tm_domain dom;                       /* name = the block's name */
	char ldap_uri[CFG_MAX_URIS][CFG_STR];
	size_t nuris;
	char base_dn[CFG_STR];
	cfg_bind bind;
	cfg_nocanon sasl_nocanon;            /* GSSAPI: the host name as written */
	char bind_dn[CFG_STR];
	char bind_password_file[PATH_MAX];
	cfg_tls tls;
	char tls_cacert[PATH_MAX];
	int allow_plaintext_secrets;
	char kadmin_principal[CFG_STR];
	char kadmin_password_file[PATH_MAX];
	char kadmin_keytab[PATH_MAX];
	char verify_principal[CFG_STR];
	char verify_password_file[PATH_MAX];
	char verify_keytab[PATH_MAX];
	char verify_service[CFG_STR];        /* default "kadmin/admin" */
	char local_dc_conf[PATH_MAX];        /* kind ad, run on its DC: its smb.conf */
	int level_given;                     /* functional_level was in the file */
	int kind_given;                      /* kind was in the file */
	int from_directory;                  /* kind ad with names left out: read from
					      * its directory (Active Directory) */
} cfg_domain;

/* The system configuration, and the shared state and audit log that it (or
 * root, unless XDG_STATE_HOME names a folder) uses when state_dir and
 * audit_log are not given: one state for every administrator (the package
 * makes both folders root:trustmgr, mode 2770; backend/os/fsmode.h). */
#define CFG_SYSTEM_PATH "/etc/trustmgr.conf"
#define CFG_SYSTEM_STATE_DIR "/var/lib/trustmgr"
#define CFG_SYSTEM_AUDIT_LOG "/var/log/trustmgr/audit.log"

typedef struct tm_config {
	char path[PATH_MAX];                 /* the file read */
	char state_dir[PATH_MAX];
	int system_state;                    /* state_dir defaulted to CFG_SYSTEM_STATE_DIR:
					      * audit_log then defaults to CFG_SYSTEM_AUDIT_LOG */
	int timeout;                         /* seconds, default 10 */
	int rotation_days;                   /* default 30 */
	int min_password_length;             /* characters, default SECRET_MIN_DEFAULT */
	char audit_log[PATH_MAX];            /* "": STATE_DIR/audit.log; "none": no file */
	int audit_syslog;                    /* also to syslog */
	int audit_facility;                  /* syslog facility number, default authpriv */
	char audit_syslog_socket[PATH_MAX];  /* default /dev/log */
	cfg_domain *domains;
	size_t ndomains;
} tm_config;

/* Find the configuration: explicit (may be NULL), then the search order
 * above. Returns 1 with path filled when found, 0 when there is none (then
 * the embedded store is used), -1 with e when an explicit file is missing. */
int config_find(const char *explicit_path, char *path, size_t n, tm_error *e);

/* Read and validate path. Every fault names the file, the domain and the key
 * ("trustmgr.conf: domain A: key tls: 'tsl' is not starttls, ldaps or none").
 * Returns 0 or -1 with e (TM_EUSAGE). */
int config_load(const char *path, tm_config *out, tm_error *e);

void config_free(tm_config *c);

/* Read a secret from a file named by the configuration (first line, no
 * newline) into a secret_alloc string (free with secret_free); the file must not be readable by group
 * or others. Returns 0 or -1 with e naming the file and the key. */
int config_read_secret(const char *path, const char *key, const cfg_domain *d, char **out,
		    tm_error *e);

/* The shortest password a person may give: min_password_length of the
 * configuration at path, or SECRET_MIN_DEFAULT when path is NULL or empty
 * (the embedded store). Returns 0 with *min, or -1 with e. */
int config_min_password_length(const char *path, int *min, tm_error *e);

/* The block for a domain name, or NULL. */
const cfg_domain *config_domain_find(const tm_config *c, const char *name);

#endif
