/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ldapdir.c - a session with one domain's directory over LDAP with libldap
 * (see ldapdir.h); the entries it holds are ldapdir_tdo.c's.
 *
 * Connection: ldap_initialize with one configured URI at a time, in order
 * (a server that cannot be reached or fails after accepting the connection
 * is passed over, and one that goes away mid-session is replaced by the
 * next; when none works, the message names every URI tried and why each
 * failed: see "sessions and failover"), protocol 3, network and operation
 * timeouts, no
 * referrals, TLS with the configured CA (else libldap's: ldapdir_tls.c)
 * and a required, verified server certificate;
 * StartTLS on ldap:// when tls = starttls (ldaps:// is TLS already, ldapi://
 * is a local socket). A connect callback records which URI libldap reached
 * and whether its address is local (the ldapi socket or a loopback address):
 * that, and whether TLS is in place, decide ldapdir_secure. A simple bind
 * sends its password only where secrets may go. While connecting, a
 * watchdog thread cuts off an attempt whose TLS handshake outlives the
 * timeout (libldap 2.5 does not bound it; see ldapdir_watch.h).
 *
 * Entries: DNs are built as an LDAPDN below the parsed container and
 * written by ldap_dn2str, so every special character is escaped by
 * libldap; no filter holds a value from outside (entries are found by DN).
 * Searches are paged (RFC 2696, pages of 500): directories past the server's
 * size limit are read whole where it allows. Searches, writes and deletes are repeated once on
 * the server that takes over when theirs goes away.
 */
#include "backend/ldap/ldapdir.h"
#include "backend/ldap/ldapdir_bind.h"
#include "backend/ldap/ldapdir_tls.h"
#include "backend/ldap/ldapdir_watch.h"
#include "backend/os/sigpipe.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <lber.h>
#include <ldap.h>

#define LDAPDIR_PAGE 500              /* entries per page of a paged search */
#define LDAPDIR_MAX_PAGES 100000      /* a server that never ends its pages */
#define LDAPDIR_URIS (CFG_MAX_URIS * (CFG_STR + 1))

struct ldapdir {
	LDAP *ld;
	ldapdir_watch dog;            /* runs only while connecting */
	ldap_conncb cb;               /* tells where libldap connected */
	tm_domain dom;                /* the domain: names for messages */
	cfg_domain cfg;               /* its block: to connect again (failover) */
	LDAPURLDesc *url[CFG_MAX_URIS];   /* cfg.ldap_uri parsed, to know the peer */
	char uris[LDAPDIR_URIS];      /* the URIs of this attempt, space separated */
	char peer[CFG_STR];           /* the URI connected to */
	size_t peer_index;            /* its index in cfg.ldap_uri (nuris: unknown) */
	int last_rc;                  /* LDAP result of the last failed connect step */
	int exhausted;                /* libldap tried every URI of the attempt */
	char why[TM_WHAT_MAX / 4];    /* why the last connect failed, for people */
	int peer_local;               /* ldapi socket or loopback address */
	int tls;                      /* TLS in place */
	int secure;                   /* secrets may be sent */
	int timeout;                  /* seconds */
	char cacert[PATH_MAX];        /* tls_cacert, for messages */
	char bind_dn[CFG_STR];        /* simple bind DN, for messages */
	LDAPDN system;                /* cn=System,<base_dn>, parsed */
	char *system_dn;              /* the same as text (ldap_dn2str) */
};

/* ====================================================================
 * Messages
 * ==================================================================== */

/* The server's diagnostic message for the last operation, or "". */
static void diagnose_text(LDAP *ld, char *buf, size_t n)
{
	char *msg = NULL;

	buf[0] = '\0';
	if (ld && ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &msg) == LDAP_OPT_SUCCESS &&
	    msg) {
		snprintf(buf, n, "%s", msg);
		ldap_memfree(msg);
	}
}

/* ldapdir_fail: the sentence, then libldap's words and the server's. */
int ldapdir_fail(const ldapdir *l, tm_class cls, const char *status, int rc, tm_error *e,
		 const char *fmt, ...)
{
	char sentence[TM_WHAT_MAX / 2], diag[TM_WHAT_MAX / 3], detail[TM_WHAT_MAX / 3 + 32];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sentence, sizeof(sentence), fmt, ap);
	va_end(ap);
	diagnose_text(l ? l->ld : NULL, diag, sizeof(diag));
	detail[0] = '\0';
	if (diag[0] && strcmp(diag, "(unknown error code)") != 0)   /* libldap's filler */
		snprintf(detail, sizeof(detail), "; %s: \"%s\"",
			 rc < 0 ? "libldap said" : "the server said", diag);
	return error_fail(e, cls, status, "%s: %s (LDAP result %d%s).", sentence,
		       ldap_err2string(rc), rc, detail);
}

/* ldapdir_no_memory: names the domain when there is one. */
int ldapdir_no_memory(const ldapdir *l, tm_error *e)
{
	return error_fail(e, TM_EBACKEND, NULL, "Out of memory while talking to the directory of "
		       "domain %s.", l ? l->dom.name : "?");
}

/* ====================================================================
 * Names: URIs and DNs
 * ==================================================================== */

/* Strip const for libldap's non-const API fields (it does not write them). */
static char *unconst(const char *s)
{
	return (char *)(uintptr_t)s;
}

/* Is the URI's scheme this one? */
static int uri_scheme_is(const char *uri, const char *scheme)
{
	size_t n = strlen(scheme);

	return strncasecmp(uri, scheme, n) == 0 && strncmp(uri + n, "://", 3) == 0;
}

/* Every URI parses; with tls = ldaps every one is ldaps://. */
static int check_uris(const cfg_domain *d, tm_error *e)
{
	size_t i;

	for (i = 0; i < d->nuris; i++) {
		LDAPURLDesc *u = NULL;

		if (ldap_url_parse(d->ldap_uri[i], &u) != LDAP_URL_SUCCESS) {
			error_fail(e, TM_EUSAGE, NULL, "Domain %s: ldap_uri \"%.200s\" is not an LDAP "
				"URI.", d->dom.name, d->ldap_uri[i]);
			error_hint(e, "Write it as ldap://HOST:PORT/, ldaps://HOST:PORT/ or "
				"ldapi://ENCODED-PATH/.");
			return -1;
		}
		ldap_free_urldesc(u);
		if (d->tls == CFG_TLS_LDAPS && !uri_scheme_is(d->ldap_uri[i], "ldaps")) {
			error_fail(e, TM_EUSAGE, NULL, "Domain %s: tls = ldaps, but ldap_uri \"%.200s\" "
				"is not an ldaps:// URI.", d->dom.name, d->ldap_uri[i]);
			error_hint(e, "Use ldaps:// URIs, or tls = starttls for ldap:// ones.");
			return -1;
		}
	}
	return 0;
}

/* The configuration has what a connection needs. */
static int check_domain(const cfg_domain *d, tm_error *e)
{
	if (d->nuris == 0 || d->nuris > CFG_MAX_URIS) {
		error_fail(e, TM_EUSAGE, NULL, "Domain %s has no ldap_uri.", d->dom.name);
		error_hint(e, "Add `ldap_uri = ldap://HOST:PORT/` to its block in the configuration.");
		return -1;
	}
	if (d->bind == CFG_BIND_SIMPLE && !d->bind_dn[0]) {
		error_fail(e, TM_EUSAGE, NULL, "Domain %s: bind = simple needs a bind_dn.",
			d->dom.name);
		error_hint(e, "Add `bind_dn = cn=...` and `bind_password_file = FILE` to its block.");
		return -1;
	}
	return check_uris(d, e);
}

/* "uri1 uri2 ..." for ldap_initialize (libldap's failover list): count
 * URIs in the configured order from URI first on, around to those before. */
static void join_uris(ldapdir *l, size_t first, size_t count)
{
	const cfg_domain *d = &l->cfg;
	size_t i, k = 0;

	l->uris[0] = '\0';
	for (i = 0; i < count && i < d->nuris && k < sizeof(l->uris); i++) {
		int w = snprintf(l->uris + k, sizeof(l->uris) - k, "%s%s", i ? " " : "",
				 d->ldap_uri[(first + i) % d->nuris]);

		if (w > 0)
			k += (size_t)w;
	}
}

/* The port of u, with the scheme's default when the URI names none. */
static int url_port(const LDAPURLDesc *u)
{
	if (u->lud_port > 0)
		return u->lud_port;
	return u->lud_scheme && strcasecmp(u->lud_scheme, "ldaps") == 0 ? LDAPS_PORT : LDAP_PORT;
}

static int str_same(const char *a, const char *b)
{
	return strcasecmp(a ? a : "", b ? b : "") == 0;
}

/* Which configured URI is srv (scheme, host, port)? nuris when none. */
static size_t uri_index(const ldapdir *l, const LDAPURLDesc *srv)
{
	size_t i;

	for (i = 0; srv && i < l->cfg.nuris; i++)
		if (l->url[i] && str_same(l->url[i]->lud_scheme, srv->lud_scheme) &&
		    str_same(l->url[i]->lud_host, srv->lud_host) &&
		    url_port(l->url[i]) == url_port(srv))
			return i;
	return l->cfg.nuris;
}

/* Parse "cn=System,<base_dn>" once; every entry DN hangs below it. */
static int parse_system_dn(ldapdir *l, const char *base_dn, tm_error *e)
{
	char text[CFG_STR + 16];
	int rc;

	snprintf(text, sizeof(text), "cn=System,%s", base_dn);
	rc = ldap_str2dn(text, &l->system, LDAP_DN_FORMAT_LDAPV3);
	if (rc != LDAP_SUCCESS || !l->system) {
		error_fail(e, TM_EUSAGE, NULL, "Domain %s: base_dn \"%.200s\" is not a valid "
			"distinguished name.", l->dom.name, base_dn);
		error_hint(e, "Write it as RFC 4514 text, for example dc=corp,dc=example.");
		return -1;
	}
	if (ldap_dn2str(l->system, &l->system_dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		return ldapdir_no_memory(l, e);
	return 0;
}

/* ldapdir_child_dn: an RDN cn=<value> before the container's RDNs. */
int ldapdir_child_dn(const ldapdir *l, const char *value, char **dn)
{
	LDAPRDN rdns[64];
	LDAPAVA ava, *rdn[2] = { &ava, NULL };
	size_t i;

	*dn = NULL;
	memset(&ava, 0, sizeof(ava));
	ava.la_attr.bv_val = unconst("cn");
	ava.la_attr.bv_len = 2;
	ava.la_value.bv_val = unconst(value);
	ava.la_value.bv_len = strlen(value);
	ava.la_flags = LDAP_AVA_STRING;
	rdns[0] = rdn;
	for (i = 0; l->system[i] && i + 2 < sizeof(rdns) / sizeof(rdns[0]); i++)
		rdns[i + 1] = l->system[i];
	rdns[i + 1] = NULL;
	if (l->system[i] || ldap_dn2str(rdns, dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS || !*dn) {
		ldap_memfree(*dn);
		*dn = NULL;
		return -1;
	}
	return 0;
}

/* ====================================================================
 * Connecting
 * ==================================================================== */

/* Is the connected address this machine: a local socket (ldapi) or a
 * loopback address (127.0.0.0/8, ::1, ::ffff:127.x)? */
static int addr_is_local(const struct sockaddr *sa)
{
	if (!sa)
		return 0;
	if (sa->sa_family == AF_UNIX)
		return 1;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		const uint8_t *b = in6->sin6_addr.s6_addr;

		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
		       (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && b[12] == 127);
	}
	return 0;
}

static int sockbuf_fd(Sockbuf *sb)
{
	ber_socket_t fd = -1;

	if (!sb || ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_FD, &fd) != 1)
		return -1;
	return (int)fd;
}

/* libldap reached srv at addr: remember which URI and whether it is local;
 * the watchdog gives this attempt the timeout to finish its handshake. */
static int conn_added(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv, struct sockaddr *addr,
		      struct ldap_conncb *ctx)
{
	ldapdir *l = ctx->lc_arg;
	char *u = srv ? ldap_url_desc2str(srv) : NULL;

	(void)ld;
	ldapdir_watch_arm(&l->dog, sockbuf_fd(sb), l->timeout);
	snprintf(l->peer, sizeof(l->peer), "%s", u ? u : "?");
	ldap_memfree(u);
	l->peer_index = uri_index(l, srv);
	l->peer_local = addr_is_local(addr);
	return 0;
}

/* A connection closes: nothing left to cut off. */
static void conn_deleted(LDAP *ld, Sockbuf *sb, struct ldap_conncb *ctx)
{
	ldapdir *l = ctx->lc_arg;

	(void)ld;
	(void)sb;
	ldapdir_watch_arm(&l->dog, -1, 0);
}

static int set_opt(ldapdir *l, int opt, const void *val, const char *what, tm_error *e)
{
	int rc = ldap_set_option(l->ld, opt, val);

	if (rc != LDAP_OPT_SUCCESS)
		return ldapdir_fail(l, TM_EBACKEND, NULL, rc, e, "libldap refused the %s option for "
				    "the directory of domain %s", what, l->dom.name);
	return 0;
}

/* Protocol 3, timeouts, no referrals, the connect callback. */
static int set_options(ldapdir *l, tm_error *e)
{
	struct timeval tv = { l->timeout, 0 };
	int v3 = LDAP_VERSION3;

	l->cb.lc_add = conn_added;
	l->cb.lc_del = conn_deleted;
	l->cb.lc_arg = l;
	return set_opt(l, LDAP_OPT_PROTOCOL_VERSION, &v3, "protocol version", e) ||
	       set_opt(l, LDAP_OPT_NETWORK_TIMEOUT, &tv, "network timeout", e) ||
	       set_opt(l, LDAP_OPT_TIMEOUT, &tv, "operation timeout", e) ||
	       set_opt(l, LDAP_OPT_REFERRALS, LDAP_OPT_OFF, "referrals", e) ||
	       set_opt(l, LDAP_OPT_RESTART, LDAP_OPT_ON, "restart", e) ||
	       set_opt(l, LDAP_OPT_CONNECT_CB, &l->cb, "connect callback", e) ? -1 : 0;
}

/* Is the host of URI i a name the resolver does not know? (Asked only
 * after a connect that failed at once, so the answer is quick.) */
static int host_unknown(const ldapdir *l, size_t i)
{
	const LDAPURLDesc *u = i < l->cfg.nuris ? l->url[i] : NULL;
	struct addrinfo hints, *res = NULL;
	int rc;

	if (!u || !u->lud_host || !u->lud_host[0] || uri_scheme_is(l->cfg.ldap_uri[i], "ldapi"))
		return 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(u->lud_host, NULL, &hints, &res);
	if (res)
		freeaddrinfo(res);
	return rc == EAI_NONAME || rc == EAI_FAIL;
}

/* Why the connect to URI i failed, in a few words (l->why): TLS cut off by
 * the watchdog, unknown host, no answer in time, refused or no route. */
static void connect_why(ldapdir *l, size_t i, int rc, int fired, double secs)
{
	if (fired)
		snprintf(l->why, sizeof(l->why), "it accepted the connection but did not complete "
			 "TLS within %d s", l->timeout);
	else if (secs + 0.5 >= (double)l->timeout)
		snprintf(l->why, sizeof(l->why), "no answer within %d s", l->timeout);
	else if (host_unknown(l, i))
		snprintf(l->why, sizeof(l->why), "its host name %s is not known",
			 l->url[i]->lud_host);
	else
		snprintf(l->why, sizeof(l->why), "the connection was refused at once, or there is "
			 "no route to the host: %s", ldap_err2string(rc));
}

/* The connect to the attempt's URI failed (l->why says why). */
static int unreachable(ldapdir *l, int rc, tm_error *e)
{
	l->last_rc = rc;
	l->exhausted = 1;
	error_fail(e, TM_EBACKEND, ST_NO_LOGON_SERVERS, "Cannot reach the directory of domain %s: "
		   "tried %s (%s), waiting up to %d s", l->dom.name, l->uris, l->why, l->timeout);
	if (strstr(l->uris, "ldaps://") || strstr(l->uris, "LDAPS://"))
		error_hint(e, "Check that the LDAP server runs and listens at ldap_uri and that this "
			"machine may reach it; for ldaps://, also that %s holds the CA of the "
			"server's certificate and that the certificate names the URI's host.",
			l->cacert[0] ? l->cacert : "tls_cacert");
	else
		error_hint(e, "Check that the LDAP server runs and listens at ldap_uri, and that this "
			"machine may reach it (firewall, address, port).");
	return -1;
}

static int starttls(ldapdir *l, tm_error *e)
{
	int rc = ldap_start_tls_s(l->ld, NULL, NULL);

	if (rc == LDAP_SUCCESS)
		return 0;
	l->last_rc = rc;
	ldapdir_fail(l, TM_EBACKEND, NULL, rc, e, "StartTLS with the directory of domain %s at %s "
		     "failed", l->dom.name, l->peer);
	if (rc == LDAP_TIMEOUT || rc == LDAP_SERVER_DOWN)
		error_hint(e, "The server did not complete StartTLS within %d s: check that it runs "
			"normally (its log, its load) or raise timeout in [trustmgr].", l->timeout);
	else if (rc == LDAP_CONNECT_ERROR)
		error_hint(e, "Check that tls_cacert (%s) holds the certificate of the CA that signed "
			"the server's certificate, and that the certificate names the host in "
			"ldap_uri.", l->cacert[0] ? l->cacert : "none: tls_cacert, LDAPTLS_CACERT and "
			"ldap.conf's TLS_CACERT are unset");
	else
		error_hint(e, "The server does not offer StartTLS: enable TLS on it, or use an "
			"ldaps:// URI with tls = ldaps.");
	return -1;
}

/* Seconds on the monotonic clock. */
static double now_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Connect to the attempt's URI, then StartTLS where asked. */
static int connect_tls(ldapdir *l, const cfg_domain *d, size_t first, tm_error *e)
{
	int fired = ldapdir_watch_fired(&l->dog), rc;
	double start = now_secs();
	ber_socket_t fd = -1;

	rc = ldap_connect(l->ld);
	ldapdir_watch_arm(&l->dog, -1, 0);          /* connected (or not): nothing to cut */
	if (rc != LDAP_SUCCESS) {
		connect_why(l, first, rc, ldapdir_watch_fired(&l->dog) != fired, now_secs() - start);
		return unreachable(l, rc, e);
	}
	l->tls = ldap_tls_inplace(l->ld);
	if (!l->tls && d->tls == CFG_TLS_STARTTLS && uri_scheme_is(l->peer, "ldap")) {
		/* the operation timeout ends a silent server first; the
		 * watchdog ends a handshake that never finishes */
		ldap_get_option(l->ld, LDAP_OPT_DESC, &fd);
		ldapdir_watch_arm(&l->dog, (int)fd, l->timeout + 1);
		if (starttls(l, e) != 0)
			return -1;
		l->tls = ldap_tls_inplace(l->ld);
	}
	return 0;
}

/* The same, watched: no attempt may outlive the timeout. */
static int connect_server(ldapdir *l, const cfg_domain *d, size_t first, tm_error *e)
{
	int rc, started = ldapdir_watch_start(&l->dog) == 0;

	rc = connect_tls(l, d, first, e);
	if (started)
		ldapdir_watch_stop(&l->dog);
	if (rc == 0)
		l->secure = l->tls || (d->allow_plaintext_secrets && l->peer_local);
	return rc;
}

/* ---- sessions and failover --------------------------------------------------
 * A session is one LDAP handle: connected to one URI, TLS, bound. The
 * attempts start at one configured URI and go on with the others after
 * it, wrapping around, one URI each, so that each failure is known. When a
 * server cannot be reached, or accepts and then fails (StartTLS or the
 * bind time out, the connection drops), the next attempt takes the URI
 * after it, until every URI was tried. Mid-session, an operation whose server went away (failed_over)
 * gets a new session starting after the failed URI, and is retried once
 * by its caller: reads, puts (add, else replace every attribute) and
 * deletes (a missing entry is fine) can be repeated without harm. */

/* Failures that are the server's or the network's, not the request's: */
static int server_gone(int rc)
{
	return rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR || rc == LDAP_TIMEOUT ||
	       rc == LDAP_UNAVAILABLE || rc == LDAP_BUSY;
}

static void session_drop(ldapdir *l)
{
	if (l->ld)
		ldap_unbind_ext_s(l->ld, NULL, NULL);
	l->ld = NULL;
	l->tls = l->secure = l->peer_local = 0;
}

/* One attempt with count URIs from URI first: handle, options, connect,
 * TLS, bind. */
static int session_try(ldapdir *l, size_t first, size_t count, tm_error *e)
{
	const cfg_domain *d = &l->cfg;
	int rc;

	session_drop(l);
	join_uris(l, first, count);
	snprintf(l->peer, sizeof(l->peer), "%s", d->ldap_uri[first]);
	l->peer_index = d->nuris;
	l->last_rc = LDAP_SUCCESS;
	l->exhausted = 0;
	rc = ldap_initialize(&l->ld, l->uris);
	if (rc != LDAP_SUCCESS) {
		l->ld = NULL;
		return ldapdir_fail(NULL, TM_EUSAGE, NULL, rc, e, "Domain %s: libldap does not accept "
				    "the URIs %s", d->dom.name, l->uris);
	}
	if (set_options(l, e) != 0 ||
	    ldapdir_tls_setup(l, l->ld, d, l->cacert, sizeof(l->cacert), e) != 0 ||
	    connect_server(l, d, first, e) != 0 ||
	    ldapdir_bind_as(l, l->ld, d, l->timeout, &l->last_rc, e) != 0) {
		session_drop(l);
		return -1;
	}
	return 0;
}

/* Every URI of a failed session_open, with why each failed. */
static int all_unreachable(const ldapdir *l, const char *tried, size_t ntried, tm_error *e)
{
	int tls = l->cfg.tls != CFG_TLS_NONE || strstr(tried, "ldaps://") != NULL;

	error_fail(e, TM_EBACKEND, ST_NO_LOGON_SERVERS, "Cannot reach the directory of domain %s: "
		   "tried %s, in that order, waiting up to %d s for each", l->dom.name, tried,
		   l->timeout);
	error_hint(e, "Check that the domain's LDAP servers run and listen at the %zu ldap_uri "
		   "values named, and that this machine may reach them (firewall, address, port, "
		   "name service)%s%s%s; then run the command again.", ntried, tls ? "; for TLS, "
		   "also that tls_cacert (" : "", tls ? (l->cacert[0] ? l->cacert : "none: neither "
		   "LDAPTLS_CACERT nor ldap.conf names one") : "", tls ? ") holds the CA of the servers' certificates and "
		   "that each certificate names its URI's host" : "");
	return -1;
}

/* Why URI i failed, for all_unreachable: the connect's reason, or what failed after. */
static void attempt_why(const ldapdir *l, const tm_error *e, char *buf, size_t n)
{
	if (l->exhausted)
		snprintf(buf, n, "%s", l->why);
	else
		snprintf(buf, n, "it accepted the connection, then: %.*s", (int)(n / 2), e->what);
}

/* A session with one of count URIs from URI first on, each tried on its
 * own, in order: a server that cannot be reached, or that fails after
 * accepting the connection, is passed over. When none works, e names
 * every URI tried and why it failed (a single attempt's own message
 * names its URI and why); a failure that is not the server's
 * (a refused bind, a certificate) stops at once with its own message. */
static int session_open(ldapdir *l, size_t first, size_t count, tm_error *e)
{
	char tried[TM_WHAT_MAX - 160], why[TM_WHAT_MAX / 4];
	size_t n = l->cfg.nuris, i, idx, len = 0;

	tried[0] = '\0';
	for (i = 0; i < count && i < n; i++) {
		idx = (first + i) % n;
		if (session_try(l, idx, 1, e) == 0)
			return 0;
		if (!l->exhausted && !server_gone(l->last_rc))
			return -1;
		attempt_why(l, e, why, sizeof(why));
		if (len < sizeof(tried))
			len += (size_t)snprintf(tried + len, sizeof(tried) - len, "%s%s (%s)",
						i ? ", then " : "", l->cfg.ldap_uri[idx], why);
	}
	/* One URI tried: its own message says which and why (unreachable()). */
	return i == 1 ? -1 : all_unreachable(l, tried, i, e);
}

/* Where failover notices go (ldapdir_set_notice). */
static ldapdir_notice_fn notice_fn;
static void *notice_arg;

/* ldapdir_set_notice: NULL restores the default (standard error). */
void ldapdir_set_notice(ldapdir_notice_fn fn, void *arg)
{
	notice_fn = fn;
	notice_arg = arg;
}

void ldapdir_notice(const char *msg)
{
	if (notice_fn)
		notice_fn(msg, notice_arg);
	else
		fprintf(stderr, "warning: %s\n", msg);
}

/* The operation `doing` failed with rc. When the server went away, connect
 * to the next one that works and return 1: the caller repeats the
 * operation once. 0: rc is no server failure (the caller reports it); -1
 * with e: no other server took over. */
static int failed_over(ldapdir *l, int rc, const char *doing, tm_error *e)
{
	char failed[CFG_STR], why[TM_WHAT_MAX / 3], diag[TM_WHAT_MAX / 4], msg[2 * TM_WHAT_MAX];
	size_t from;
	int known;
	tm_error sub;

	if (!server_gone(rc) || l->cfg.nuris == 0)
		return 0;
	snprintf(failed, sizeof(failed), "%s", l->peer);
	diagnose_text(l->ld, diag, sizeof(diag));
	snprintf(why, sizeof(why), "%s%s%s%s", rc == LDAP_TIMEOUT ? "no answer within the timeout"
		 : ldap_err2string(rc), diag[0] ? " (" : "", diag, diag[0] ? ")" : "");
	if (rc == LDAP_TIMEOUT)
		snprintf(why + strlen(why), sizeof(why) - strlen(why), " of %d s", l->timeout);
	/* every other URI, from the one after the failed server's; the failed
	 * one last only when it is unknown */
	known = l->peer_index < l->cfg.nuris;
	from = known ? l->peer_index + 1 : 0;
	error_clear(&sub);
	if (l->cfg.nuris > (size_t)known && session_open(l, from, l->cfg.nuris - (size_t)known,
							 &sub) == 0) {
		snprintf(msg, sizeof(msg), "Domain %.100s: the directory server %.300s failed while "
			 "%.300s: %s; %.300s took over and the operation was repeated there.",
			 l->dom.name, failed, doing, why, l->peer);
		ldapdir_notice(msg);
		return 1;
	}
	error_fail(e, TM_EBACKEND, ST_NO_LOGON_SERVERS, "Domain %s: the directory server %s failed "
		"while %s: %s; no other server of the domain took over: %s", l->dom.name, failed,
		doing, why, sub.what[0] ? sub.what : "the configuration names no other ldap_uri.");
	error_hint(e, "Start the domain's directory server %s again (or a replica, listed as another "
		"ldap_uri) and check that this machine reaches it; then run the command again, or "
		"'trustmgr resume' when a change was interrupted ('trustmgr journal' shows it).",
		failed);
	return -1;
}

static void close_run(ldapdir **l);
static int lookup_once(ldapdir *l, const char *base, int scope, const char *filter,
		       const ldapdir_reader *r, tm_error *e);

/* ldapdir_open: connect, TLS, bind. */
static ldapdir *open_run(const cfg_domain *d, int timeout, tm_error *e)
{
	ldapdir *l;
	size_t i;

	if (check_domain(d, e) != 0)
		return NULL;
	l = calloc(1, sizeof(*l));
	if (!l) {
		ldapdir_no_memory(NULL, e);
		return NULL;
	}
	l->cfg = *d;
	l->dom = d->dom;
	l->timeout = timeout > 0 ? timeout : 10;
	snprintf(l->cacert, sizeof(l->cacert), "%s", d->tls_cacert);
	if (d->bind == CFG_BIND_SIMPLE)
		snprintf(l->bind_dn, sizeof(l->bind_dn), "%s", d->bind_dn);
	for (i = 0; i < d->nuris; i++)
		if (ldap_url_parse(d->ldap_uri[i], &l->url[i]) != LDAP_URL_SUCCESS)
			l->url[i] = NULL;
	if ((d->base_dn[0] && parse_system_dn(l, d->base_dn, e) != 0) ||
	    session_open(l, 0, d->nuris, e) != 0) {
		close_run(&l);
		return NULL;
	}
	return l;
}

/* ldapdir_close: unbind and free; *l becomes NULL. */
static void close_run(ldapdir **l)
{
	size_t i;

	if (!l || !*l)
		return;
	session_drop(*l);
	for (i = 0; i < CFG_MAX_URIS; i++)
		if ((*l)->url[i])
			ldap_free_urldesc((*l)->url[i]);
	if ((*l)->system)
		ldap_dnfree((*l)->system);
	ldap_memfree((*l)->system_dn);
	free(*l);
	*l = NULL;
}

/* ldapdir_secure: TLS, or a local peer the configuration allows. */
int ldapdir_secure(const ldapdir *l)
{
	return l && l->secure;
}

/* ====================================================================
 * Paged searches
 * ==================================================================== */

/* Hand every entry of one page to the reader. */
static int read_entries(ldapdir *l, LDAPMessage *res, const ldapdir_reader *r, tm_error *e)
{
	LDAPMessage *ent;

	for (ent = ldap_first_entry(l->ld, res); ent; ent = ldap_next_entry(l->ld, ent))
		if (r->entry(l, l->ld, ent, r->arg, e) != 0)
			return -1;
	return 0;
}

/* The cookie for the next page (empty when this was the last one). */
static int next_cookie(ldapdir *l, LDAPMessage *res, struct berval *cookie, tm_error *e)
{
	LDAPControl **ctrls = NULL, *page;
	ber_int_t estimate = 0;
	int err = LDAP_SUCCESS, rc;

	ber_memfree(cookie->bv_val);
	cookie->bv_val = NULL;
	cookie->bv_len = 0;
	rc = ldap_parse_result(l->ld, res, &err, NULL, NULL, NULL, &ctrls, 0);
	if (rc != LDAP_SUCCESS)
		return ldapdir_fail(l, TM_EBACKEND, NULL, rc, e, "The result of a search in the "
				    "directory of domain %s cannot be read", l->dom.name);
	page = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, ctrls, NULL);
	if (page)
		rc = ldap_parse_pageresponse_control(l->ld, page, &estimate, cookie);
	ldap_controls_free(ctrls);
	if (rc != LDAP_SUCCESS)
		return ldapdir_fail(l, TM_EBACKEND, NULL, rc, e, "The paged results control from the "
				    "directory of domain %s cannot be read", l->dom.name);
	return 0;
}

/* ldapdir_search_fail: the container is missing, or the search (or write)
 * below it failed. */
int ldapdir_search_fail(const ldapdir *l, int rc, tm_error *e)
{
	if (rc == LDAP_NO_SUCH_OBJECT) {
		ldapdir_fail(l, TM_EBACKEND, ST_OBJECT_NAME_NOT_FOUND, rc, e, "The directory of "
			     "domain %s has no container %s to hold trusted domain objects",
			     l->dom.name, l->system_dn);
		error_hint(e, "Create the container, for example with ldapadd: \"dn: %s\", "
			"\"objectClass: container\", \"cn: System\" (objectClass container comes "
			"with schema/trustmgr.schema); and check base_dn in the configuration.",
			l->system_dn);
		return -1;
	}
	ldapdir_fail(l, TM_EBACKEND, NULL, rc, e, "Searching %s in the directory of domain %s "
		     "failed", l->system_dn, l->dom.name);
	if (rc == LDAP_UNAVAILABLE_CRITICAL_EXTENSION)
		error_hint(e, "The server does not support paged results (RFC 2696), which trustmgr "
			"needs to read large directories.");
	else if (rc == LDAP_SIZELIMIT_EXCEEDED)
		error_hint(e, "The server limits how many entries %s may read, paged searches "
			"included, and there are more trusted domain objects: raise that limit for "
			"this DN (OpenLDAP: limits dn.exact=\"%s\" size.prtotal=unlimited) or bind "
			"as a DN without one.", l->bind_dn[0] ? l->bind_dn : "this bind",
			l->bind_dn[0] ? l->bind_dn : "BIND-DN");
	else if (rc == LDAP_TIMEOUT || rc == LDAP_TIMELIMIT_EXCEEDED)
		error_hint(e, "The server did not answer within %d s; raise timeout in [trustmgr] "
			"or check the server's load.", l->timeout);
	else
		error_hint(e, "Check that the bind DN may read below %s.", l->system_dn);
	return -1;
}

/* One page: search with the cookie, read its entries, get the next cookie. */
static int search_page(ldapdir *l, const char *filter, struct berval *cookie,
		       const ldapdir_reader *r, tm_error *e)
{
	LDAPControl *page = NULL, *ctrls[2] = { NULL, NULL };
	LDAPMessage *res = NULL;
	struct timeval tv = { l->timeout, 0 };
	int rc;

	l->last_rc = LDAP_SUCCESS;
	rc = ldap_create_page_control(l->ld, LDAPDIR_PAGE, cookie, 1, &page);
	if (rc != LDAP_SUCCESS)
		return ldapdir_fail(l, TM_EBACKEND, NULL, rc, e, "No paged search can be made for "
				    "the directory of domain %s", l->dom.name);
	ctrls[0] = page;
	rc = ldap_search_ext_s(l->ld, l->system_dn, LDAP_SCOPE_ONELEVEL, filter, r->attrs,
			       0, ctrls, NULL, &tv, LDAP_NO_LIMIT, &res);
	ldap_control_free(page);
	if (rc != LDAP_SUCCESS)
		l->last_rc = rc;
	if (rc != LDAP_SUCCESS)
		rc = ldapdir_search_fail(l, rc, e);
	else
		rc = read_entries(l, res, r, e) != 0 || next_cookie(l, res, cookie, e) != 0 ? -1 : 0;
	ldap_msgfree(res);
	return rc;
}

/* Every entry, page by page, from the current server; r->reset on failure. */
static int search_all(ldapdir *l, const char *filter, const ldapdir_reader *r, tm_error *e)
{
	struct berval cookie = { 0, NULL };
	size_t pages = 0;
	int rc;

	do {
		rc = search_page(l, filter, &cookie, r, e);
	} while (rc == 0 && cookie.bv_len > 0 && ++pages < LDAPDIR_MAX_PAGES);
	if (rc == 0 && cookie.bv_len > 0)
		rc = error_fail(e, TM_EBACKEND, NULL, "The directory of domain %s kept returning pages "
			     "of trusted domain objects (%zu pages); trustmgr stopped reading.",
			     l->dom.name, pages);
	ber_memfree(cookie.bv_val);
	if (rc != 0)
		r->reset(r->arg);
	return rc;
}

/* ldapdir_search: read again from the next server (from the first page)
 * when the server goes away. */
int ldapdir_search(ldapdir *l, const char *filter, const ldapdir_reader *r, const char *doing,
		   tm_error *e)
{
	int rc = search_all(l, filter, r, e);

	if (rc != 0 && failed_over(l, l->last_rc, doing, e) > 0) {
		error_clear(e);
		rc = search_all(l, filter, r, e);
	}
	return rc != 0 ? -1 : 0;
}

/* One search at base, not paged: what small lookups need (the root DSE, a
 * domain's own entries). */
static int lookup_once(ldapdir *l, const char *base, int scope, const char *filter,
		       const ldapdir_reader *r, tm_error *e)
{
	LDAPMessage *res = NULL;
	struct timeval tv = { l->timeout, 0 };
	int rc;

	l->last_rc = LDAP_SUCCESS;
	rc = ldap_search_ext_s(l->ld, base, scope, filter, r->attrs, 0, NULL, NULL, &tv,
			       LDAPDIR_LOOKUP_MAX, &res);
	if (rc != LDAP_SUCCESS && rc != LDAP_NO_SUCH_OBJECT) {
		l->last_rc = rc;
		rc = ldapdir_fail(l, TM_EBACKEND, NULL, rc, e, "Reading %s in the directory of "
				  "domain %s failed", base[0] ? base : "the root DSE", l->dom.name);
	} else {
		rc = rc == LDAP_SUCCESS ? read_entries(l, res, r, e) : 0;
	}
	ldap_msgfree(res);
	if (rc != 0)
		r->reset(r->arg);
	return rc != 0 ? -1 : 0;
}

/* ldapdir_lookup: once, and again where another server took over. */
int ldapdir_lookup(ldapdir *l, const char *base, int scope, const char *filter,
		   const ldapdir_reader *r, const char *doing, tm_error *e)
{
	int rc = lookup_once(l, base, scope, filter, r, e);

	if (rc != 0 && failed_over(l, l->last_rc, doing, e) > 0) {
		error_clear(e);
		rc = lookup_once(l, base, scope, filter, r, e);
	}
	return rc;
}

/* ====================================================================
 * Writes
 * ==================================================================== */

/* Add the entry, or replace the attributes of the one already there. */
static int put_once(ldapdir *l, const ldapdir_put *p)
{
	int rc = p->add ? ldap_add_ext_s(l->ld, p->dn, p->add, NULL, NULL) : LDAP_ALREADY_EXISTS;

	if (rc == LDAP_ALREADY_EXISTS && p->replace)
		rc = ldap_modify_ext_s(l->ld, p->dn, p->replace, NULL, NULL);
	return rc;
}

/* ldapdir_put_entry: once, and again where another server took over. */
int ldapdir_put_entry(ldapdir *l, const ldapdir_put *p, int *rc, tm_error *e)
{
	int over;

	*rc = put_once(l, p);
	over = failed_over(l, *rc, p->doing, e);
	if (over > 0 && p->again && p->again(l, p->arg, e) != 0)
		over = -1;
	if (over > 0)
		*rc = put_once(l, p);
	return over < 0 ? -1 : 0;
}

/* ldapdir_delete_entry: once, and again where another server took over. */
int ldapdir_delete_entry(ldapdir *l, const char *dn, const char *doing, int *rc, tm_error *e)
{
	int over;

	*rc = ldap_delete_ext_s(l->ld, dn, NULL, NULL);
	over = failed_over(l, *rc, doing, e);
	if (over > 0)
		*rc = ldap_delete_ext_s(l->ld, dn, NULL, NULL);
	return over < 0 ? -1 : 0;
}

/* ====================================================================
 * What the entry modules read of the session
 * ==================================================================== */

/* ldapdir_domain: the names of the configuration's domain. */
const tm_domain *ldapdir_domain(const ldapdir *l)
{
	return &l->dom;
}

/* ldapdir_peer: the URI libldap reached. */
const char *ldapdir_peer(const ldapdir *l)
{
	return l->peer;
}

int ldapdir_peer_addr(const ldapdir *l, char *buf, size_t n)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	ber_socket_t fd = -1;

	if (!l->ld || ldap_get_option(l->ld, LDAP_OPT_DESC, &fd) != LDAP_OPT_SUCCESS || fd < 0 ||
	    getpeername((int)fd, (struct sockaddr *)&ss, &len) < 0 || ss.ss_family != AF_INET)
		return -1;
	return inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, buf, (socklen_t)n) ? 0 : -1;
}

/* ldapdir_container: parsed and written once, at open. */
int ldapdir_set_base(ldapdir *l, const char *base_dn, tm_error *e)
{
	if (l->system_dn)
		return 0;
	snprintf(l->cfg.base_dn, sizeof(l->cfg.base_dn), "%s", base_dn);
	return parse_system_dn(l, base_dn, e);
}

const char *ldapdir_container(const ldapdir *l)
{
	return l->system_dn;
}

/* ldapdir_diagnostic: the handle's diagnostic message. */
void ldapdir_diagnostic(const ldapdir *l, char *buf, size_t n)
{
	diagnose_text(l ? l->ld : NULL, buf, n);
}

/* ====================================================================
 * The public functions: SIGPIPE held off around each
 * ==================================================================== */

ldapdir *ldapdir_open(const cfg_domain *d, int timeout, tm_error *e)
{
	sigpipe_guard g;
	ldapdir *l;

	sigpipe_hold(&g);
	l = open_run(d, timeout, e);
	sigpipe_release(&g);
	return l;
}

void ldapdir_close(ldapdir **l)
{
	sigpipe_guard g;

	sigpipe_hold(&g);
	close_run(l);
	sigpipe_release(&g);
}
