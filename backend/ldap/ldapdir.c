/* ldapdir.c - one domain's trusted domain objects in a real directory, over
 * LDAP with libldap (see ldapdir.h).
 *
 * Connection: ldap_initialize with the configured URIs (libldap tries them
 * in order; a server that fails after accepting the connection is passed
 * over, and one that goes away mid-session is replaced by the next: see
 * "sessions and failover"), protocol 3, network and operation timeouts, no referrals, TLS
 * with the configured CA and a required, verified server certificate;
 * StartTLS on ldap:// when tls = starttls (ldaps:// is TLS already, ldapi://
 * is a local socket). A connect callback records which URI libldap reached
 * and whether its address is local (the ldapi socket or a loopback address):
 * that, and whether TLS is in place, decide ldapdir_secure. A simple bind
 * sends its password only where secrets may go. While connecting, a
 * watchdog thread cuts off an attempt whose TLS handshake outlives the
 * timeout (libldap 2.5 does not bound it; see "the handshake watchdog").
 *
 * Entries: the attribute mapping is tdo_attrs.c (shared with the embedded
 * store's LDIF file). DNs are built as an LDAPDN and written by ldap_dn2str,
 * so every special character is escaped by libldap; no filter holds a
 * value from outside (entries are found by DN). Searches are paged
 * (RFC 2696, pages of 500) so directories with more TDOs than the server's
 * size limit are read whole where the server allows paging past it.
 * Secrets read are decoded in place from the result message and wiped
 * there; our copies of secrets sent are wiped once sent (libldap's own
 * encoding buffers are out of reach).
 */
#include "backend/ldap/ldapdir.h"
#include "backend/os/sigpipe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <lber.h>
#include <ldap.h>

#include "model/grow.h"
#include "model/secret.h"
#include "backend/ldap/tdoattr.h"
#include "model/tdo.h"

#define LDAPDIR_PAGE 500              /* entries per page of a paged search */
#define LDAPDIR_MAX_PAGES 100000      /* a server that never ends its pages */
#define LDAPDIR_URIS (CFG_MAX_URIS * (CFG_STR + 1))
#define LDAPDIR_FILTER "(objectClass=trustedDomain)"

/* Cyrus SASL's sasl_interact_t and the callback ids used here, as
 * <sasl/sasl.h> declares them (stable since SASL 2.0); declared here so
 * that building needs no libsasl2-dev. */
typedef struct ldapdir_interact {
	unsigned long id;
	const char *challenge;
	const char *prompt;
	const char *defresult;
	const void *result;
	unsigned len;
} ldapdir_interact;
#define LDAPDIR_SASL_CB_LIST_END 0UL
#define LDAPDIR_SASL_CB_USER 0x4001UL       /* authorization id */
#define LDAPDIR_SASL_CB_AUTHNAME 0x4002UL   /* authentication id */
#define LDAPDIR_SASL_CB_GETREALM 0x4008UL

/* Cuts off a connection attempt that outlives the timeout (see below). */
typedef struct ldapdir_watchdog {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int running, stop;
	int fd;                       /* socket of the current attempt, or -1 */
	struct timespec deadline;     /* CLOCK_MONOTONIC */
	int fired;                    /* attempts cut off */
} ldapdir_watchdog;

struct ldapdir {
	LDAP *ld;
	ldapdir_watchdog dog;         /* runs only while connecting */
	ldap_conncb cb;               /* tells where libldap connected */
	tm_domain dom;                /* the domain: names for messages */
	cfg_domain cfg;               /* its block: to connect again (failover) */
	LDAPURLDesc *url[CFG_MAX_URIS];   /* cfg.ldap_uri parsed, to know the peer */
	char uris[LDAPDIR_URIS];      /* the URIs of this attempt, space separated */
	char peer[CFG_STR];           /* the URI connected to */
	size_t peer_index;            /* its index in cfg.ldap_uri (nuris: unknown) */
	int last_rc;                  /* LDAP result of the last failed connect step */
	int exhausted;                /* libldap tried every URI of the attempt */
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

static int ldap_fail(const ldapdir *l, tm_class cls, const char *status, int rc, tm_error *e,
		     const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* "<sentence>: <libldap's words for rc> (LDAP result N; the server said:
 * "...")." - the sentence first, libldap's and the server's detail under it.
 * Negative results are libldap's own (no server involved). */
static int ldap_fail(const ldapdir *l, tm_class cls, const char *status, int rc, tm_error *e,
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

static int no_memory(const ldapdir *l, tm_error *e)
{
	return error_fail(e, TM_EBACKEND, NULL, "Out of memory while talking to the directory of "
		       "domain %s.", l ? l->dom.name : "?");
}

/* ====================================================================
 * SIGPIPE
 * ==================================================================== */

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
	if (!d->base_dn[0]) {
		error_fail(e, TM_EUSAGE, NULL, "Domain %s has no base_dn.", d->dom.name);
		error_hint(e, "Add `base_dn = dc=...` to its block in the configuration.");
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
		return no_memory(l, e);
	return 0;
}

/* "cn=<partner>,cn=System,<base_dn>" through ldap_dn2str, which escapes
 * whatever RFC 4514 wants escaped. *dn is freed with ldap_memfree. */
static int entry_dn(const ldapdir *l, const char *partner, char **dn, tm_error *e)
{
	LDAPRDN rdns[64];
	LDAPAVA ava, *rdn[2] = { &ava, NULL };
	size_t i;

	*dn = NULL;
	if (!partner[0])
		return error_fail(e, TM_EUSAGE, ST_OBJECT_NAME_INVALID,
			       "A trusted domain object needs a partner name.");
	memset(&ava, 0, sizeof(ava));
	ava.la_attr.bv_val = unconst("cn");
	ava.la_attr.bv_len = 2;
	ava.la_value.bv_val = unconst(partner);
	ava.la_value.bv_len = strlen(partner);
	ava.la_flags = LDAP_AVA_STRING;
	rdns[0] = rdn;
	for (i = 0; l->system[i] && i + 2 < sizeof(rdns) / sizeof(rdns[0]); i++)
		rdns[i + 1] = l->system[i];
	rdns[i + 1] = NULL;
	if (l->system[i] || ldap_dn2str(rdns, dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS || !*dn)
		return error_fail(e, TM_EBACKEND, ST_OBJECT_NAME_INVALID, "No distinguished name can "
			       "be made for the trust partner \"%.80s\" below %s.", partner,
			       l->system_dn);
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

/* ---- the handshake watchdog ------------------------------------------------
 * libldap 2.5 (GnuTLS) connects within the network timeout, but then runs
 * the TLS handshake (ldaps, and StartTLS once the server said yes) in a
 * loop that neither waits nor times out: a server that accepts and never
 * answers keeps it spinning for ever. While ldapdir_open connects, a
 * watchdog thread shuts down the socket of an attempt older than the
 * timeout; libldap then sees the connection closed, reports it and goes on
 * to the next URI. */

static struct timespec mono_after(int seconds)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += seconds;
	return t;
}

static int mono_passed(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

/* Wait for the deadline of the current attempt; cut it off when reached. */
static void *watchdog_run(void *arg)
{
	ldapdir_watchdog *w = arg;

	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		if (w->fd < 0) {
			pthread_cond_wait(&w->cv, &w->mu);
			continue;
		}
		pthread_cond_timedwait(&w->cv, &w->mu, &w->deadline);
		if (!w->stop && w->fd >= 0 && mono_passed(&w->deadline)) {
			shutdown(w->fd, SHUT_RDWR);
			w->fd = -1;
			w->fired++;
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static int watchdog_start(ldapdir_watchdog *w)
{
	pthread_condattr_t ca;

	memset(w, 0, sizeof(*w));
	w->fd = -1;
	if (pthread_condattr_init(&ca) != 0)
		return -1;
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (pthread_mutex_init(&w->mu, NULL) != 0 || pthread_cond_init(&w->cv, &ca) != 0) {
		pthread_condattr_destroy(&ca);
		return -1;
	}
	pthread_condattr_destroy(&ca);
	if (pthread_create(&w->thread, NULL, watchdog_run, w) != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		return -1;
	}
	w->running = 1;
	return 0;
}

/* Watch fd (or nothing: -1) until seconds from now. */
static void watchdog_arm(ldapdir_watchdog *w, int fd, int seconds)
{
	if (!w->running)
		return;
	pthread_mutex_lock(&w->mu);
	w->fd = fd;
	w->deadline = mono_after(seconds);
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* How many attempts the watchdog cut off so far. */
static int watchdog_fired(ldapdir_watchdog *w)
{
	int n;

	if (!w->running)
		return w->fired;
	pthread_mutex_lock(&w->mu);
	n = w->fired;
	pthread_mutex_unlock(&w->mu);
	return n;
}

static void watchdog_stop(ldapdir_watchdog *w)
{
	if (!w->running)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	w->running = 0;
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
	watchdog_arm(&l->dog, sockbuf_fd(sb), l->timeout);
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
	watchdog_arm(&l->dog, -1, 0);
}

static int set_opt(ldapdir *l, int opt, const void *val, const char *what, tm_error *e)
{
	int rc = ldap_set_option(l->ld, opt, val);

	if (rc != LDAP_OPT_SUCCESS)
		return ldap_fail(l, TM_EBACKEND, NULL, rc, e, "libldap refused the %s option for "
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

/* A verified server certificate (TLS 1.2 at least), signed by the
 * configured CA; then a TLS context of this handle's own. */
static int set_tls_options(ldapdir *l, const cfg_domain *d, tm_error *e)
{
	int demand = LDAP_OPT_X_TLS_DEMAND, min = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2, client = 0;
	int rc;

	if (set_opt(l, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand, "TLS certificate check", e) ||
	    set_opt(l, LDAP_OPT_X_TLS_PROTOCOL_MIN, &min, "TLS version", e))
		return -1;
	if (d->tls_cacert[0] && set_opt(l, LDAP_OPT_X_TLS_CACERTFILE, d->tls_cacert,
					"TLS CA file", e) != 0)
		return -1;
	rc = ldap_set_option(l->ld, LDAP_OPT_X_TLS_NEWCTX, &client);
	if (rc != LDAP_OPT_SUCCESS) {
		ldap_fail(l, TM_EBACKEND, NULL, rc, e, "Domain %s: no TLS context can be made with "
			  "the CA file %s", d->dom.name, d->tls_cacert[0] ? d->tls_cacert :
			  "(system default)");
		error_hint(e, "Check that tls_cacert names a readable PEM file holding the CA "
			"certificate that signed the directory server's certificate.");
		return -1;
	}
	return 0;
}

/* Could not connect to any URI. */
static int unreachable(ldapdir *l, int rc, tm_error *e)
{
	l->last_rc = rc;
	l->exhausted = 1;
	ldap_fail(l, TM_EBACKEND, ST_NO_LOGON_SERVERS, rc, e, "Cannot reach the directory of "
		  "domain %s: tried %s in that order, waiting up to %d s for each%s",
		  l->dom.name, l->uris, l->timeout, watchdog_fired(&l->dog) ?
		  " (a server accepted the connection but did not complete TLS in time)" : "");
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
	ldap_fail(l, TM_EBACKEND, NULL, rc, e, "StartTLS with the directory of domain %s at %s "
		  "failed", l->dom.name, l->peer);
	if (rc == LDAP_TIMEOUT || rc == LDAP_SERVER_DOWN)
		error_hint(e, "The server did not complete StartTLS within %d s: check that it runs "
			"normally (its log, its load) or raise timeout in [trustmgr].", l->timeout);
	else if (rc == LDAP_CONNECT_ERROR)
		error_hint(e, "Check that tls_cacert (%s) holds the certificate of the CA that signed "
			"the server's certificate, and that the certificate names the host in "
			"ldap_uri.", l->cacert[0] ? l->cacert : "not set: the system's CAs were used");
	else
		error_hint(e, "The server does not offer StartTLS: enable TLS on it, or use an "
			"ldaps:// URI with tls = ldaps.");
	return -1;
}

/* Connect (libldap tries the URIs in order), then StartTLS where asked. */
static int connect_tls(ldapdir *l, const cfg_domain *d, tm_error *e)
{
	int rc = ldap_connect(l->ld);
	ber_socket_t fd = -1;

	watchdog_arm(&l->dog, -1, 0);          /* connected (or not): nothing to cut */
	if (rc != LDAP_SUCCESS)
		return unreachable(l, rc, e);
	l->tls = ldap_tls_inplace(l->ld);
	if (!l->tls && d->tls == CFG_TLS_STARTTLS && uri_scheme_is(l->peer, "ldap")) {
		/* the operation timeout ends a silent server first; the
		 * watchdog ends a handshake that never finishes */
		ldap_get_option(l->ld, LDAP_OPT_DESC, &fd);
		watchdog_arm(&l->dog, (int)fd, l->timeout + 1);
		if (starttls(l, e) != 0)
			return -1;
		l->tls = ldap_tls_inplace(l->ld);
	}
	return 0;
}

/* The same, watched: no attempt may outlive the timeout. */
static int connect_server(ldapdir *l, const cfg_domain *d, tm_error *e)
{
	int rc, started = watchdog_start(&l->dog) == 0;

	rc = connect_tls(l, d, e);
	if (started)
		watchdog_stop(&l->dog);
	if (rc == 0)
		l->secure = l->tls || (d->allow_plaintext_secrets && l->peer_local);
	return rc;
}

/* ====================================================================
 * Binding
 * ==================================================================== */

/* Answer SASL's questions without asking anyone: the defaults (empty
 * authorization id = the identity of the credentials). A password is
 * never asked by EXTERNAL or GSSAPI: refuse to make one up. */
static int sasl_quiet(LDAP *ld, unsigned flags, void *defaults, void *in)
{
	ldapdir_interact *it = in;

	(void)ld;
	(void)flags;
	(void)defaults;
	for (; it && it->id != LDAPDIR_SASL_CB_LIST_END; it++) {
		if (it->id != LDAPDIR_SASL_CB_USER && it->id != LDAPDIR_SASL_CB_AUTHNAME &&
		    it->id != LDAPDIR_SASL_CB_GETREALM)
			return LDAP_OTHER;
		it->result = it->defresult ? it->defresult : "";
		it->len = (unsigned)strlen(it->result);
	}
	return LDAP_SUCCESS;
}

/* The bind failed: refused by the server, or no answer in time. */
static int bind_refused(ldapdir *l, const cfg_domain *d, int rc, const char *how, tm_error *e)
{
	l->last_rc = rc;
	if (rc == LDAP_TIMEOUT || rc == LDAP_SERVER_DOWN) {
		ldap_fail(l, TM_EBACKEND, ST_NO_LOGON_SERVERS, rc, e, "The directory of domain %s at "
			  "%s did not answer the bind %s within %d s", d->dom.name, l->peer, how,
			  l->timeout);
		error_hint(e, "Check that the server runs normally (its log, its load), or raise "
			"timeout in [trustmgr].");
		return -1;
	}
	return ldap_fail(l, TM_EBACKEND, NULL, rc, e, "The directory of domain %s at %s refused "
			 "the bind %s", d->dom.name, l->peer, how);
}

static int bind_simple(ldapdir *l, const cfg_domain *d, tm_error *e)
{
	char how[700];
	struct berval cred;
	char *pw = NULL;
	int rc;

	if (!l->secure) {
		error_fail(e, TM_EREFUSED, NULL, "Domain %s: a simple bind would send the password of "
			"%s in clear text to %s, so it was not sent.", d->dom.name, d->bind_dn,
			l->peer);
		error_hint(e, "Use tls = starttls or ldaps with tls_cacert; for an ldapi:// URI or a "
			"loopback address you may instead set allow_plaintext_secrets = true.");
		return -1;
	}
	if (config_read_secret(d->bind_password_file, "bind_password_file", d, &pw, e) != 0)
		return -1;
	cred.bv_val = pw;
	cred.bv_len = strlen(pw);
	rc = ldap_sasl_bind_s(l->ld, d->bind_dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
	secret_free(&pw);
	if (rc == LDAP_SUCCESS)
		return 0;
	snprintf(how, sizeof(how), "as %.300s (password from %.300s)", d->bind_dn,
		 d->bind_password_file);
	bind_refused(l, d, rc, how, e);
	if (rc != LDAP_TIMEOUT && rc != LDAP_SERVER_DOWN)
		error_hint(e, "Check bind_dn and the password in bind_password_file (its first line, "
			"no newline), and that the server allows this DN to bind.");
	return -1;
}

/* Is mech among the SASL mechanisms this machine's libsasl2 has? -1 when
 * libldap cannot tell. */
static int have_mech(ldapdir *l, const char *mech)
{
	char **mechs = NULL;
	size_t i;

	if (ldap_get_option(l->ld, LDAP_OPT_X_SASL_MECHLIST, &mechs) != LDAP_OPT_SUCCESS || !mechs)
		return -1;
	for (i = 0; mechs[i]; i++)
		if (strcasecmp(mechs[i], mech) == 0)
			return 1;
	return 0;
}

static int gssapi_missing(const cfg_domain *d, tm_error *e)
{
	error_fail(e, TM_EBACKEND, NULL, "Domain %s: bind = sasl_gssapi, but this machine's SASL "
		"library has no GSSAPI module.", d->dom.name);
	error_hint(e, "Install the package libsasl2-modules-gssapi-mit (apt-get install "
		"libsasl2-modules-gssapi-mit), or use another bind method.");
	return -1;
}

static void sasl_hint(const cfg_domain *d, tm_error *e)
{
	if (d->bind == CFG_BIND_SASL_GSSAPI)
		error_hint(e, "Get a Kerberos ticket first (kinit, or KRB5CCNAME pointing at a "
			"credential cache) for a principal the directory maps to a DN, and check "
			"that the server offers GSSAPI for the host name in ldap_uri.");
	else
		error_hint(e, "SASL EXTERNAL needs an ldapi:// URI (the server maps your user id) or a "
			"TLS client certificate the server maps to a DN.");
}

static int bind_sasl(ldapdir *l, const cfg_domain *d, const char *mech, tm_error *e)
{
	char diag[256];
	int rc;

	if (strcmp(mech, "GSSAPI") == 0 && have_mech(l, mech) == 0)
		return gssapi_missing(d, e);
	rc = ldap_sasl_interactive_bind_s(l->ld, NULL, mech, NULL, NULL, LDAP_SASL_QUIET,
					  sasl_quiet, NULL);
	if (rc == LDAP_SUCCESS)
		return 0;
	diagnose_text(l->ld, diag, sizeof(diag));
	if (strcmp(mech, "GSSAPI") == 0 && (rc == LDAP_AUTH_UNKNOWN || rc == LDAP_NOT_SUPPORTED) &&
	    strstr(diag, "mechanism"))
		return gssapi_missing(d, e);
	bind_refused(l, d, rc, mech[0] == 'G' ? "with SASL GSSAPI (Kerberos)" :
		     "with SASL EXTERNAL", e);
	if (rc != LDAP_TIMEOUT && rc != LDAP_SERVER_DOWN)
		sasl_hint(d, e);
	return -1;
}

static int bind_as(ldapdir *l, const cfg_domain *d, tm_error *e)
{
	switch (d->bind) {
	case CFG_BIND_SIMPLE: return bind_simple(l, d, e);
	case CFG_BIND_SASL_EXTERNAL: return bind_sasl(l, d, "EXTERNAL", e);
	case CFG_BIND_SASL_GSSAPI: return bind_sasl(l, d, "GSSAPI", e);
	default:
		return error_fail(e, TM_EUSAGE, NULL, "Domain %s: unknown bind method.", d->dom.name);
	}
}

/* ---- sessions and failover --------------------------------------------------
 * A session is one LDAP handle: connected (libldap walks the URI list it was
 * given), TLS, bound. An attempt starts at one configured URI and lists the
 * others after it, wrapping around. When an attempt reaches a server that
 * then fails (StartTLS or the bind time out, the connection drops), the
 * next attempt starts at the URI after that one, until every URI was
 * tried. Mid-session, an operation whose server went away (failed_over)
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
		return ldap_fail(NULL, TM_EUSAGE, NULL, rc, e, "Domain %s: libldap does not accept "
				 "the URIs %s", d->dom.name, l->uris);
	}
	if (set_options(l, e) != 0 || set_tls_options(l, d, e) != 0 ||
	    connect_server(l, d, e) != 0 || bind_as(l, d, e) != 0) {
		session_drop(l);
		return -1;
	}
	return 0;
}

/* A session with one of count URIs from URI first on, moving past servers
 * that fail after accepting the connection. e holds the last failure. */
static int session_open(ldapdir *l, size_t first, size_t count, tm_error *e)
{
	size_t n = l->cfg.nuris, start = first % n, used;

	while (count > 0) {
		if (session_try(l, start, count, e) == 0)
			return 0;
		if (l->exhausted || !server_gone(l->last_rc) || l->peer_index >= n)
			return -1;
		used = (l->peer_index + n - start) % n + 1;
		if (used >= count)
			return -1;
		count -= used;
		start = (l->peer_index + 1) % n;
	}
	return -1;
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

static void notice(const char *msg)
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
		notice(msg);
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

/* ldapdir_open: connect, TLS, bind. */
static ldapdir *open_run(const cfg_domain *d, int timeout, tm_error *e)
{
	ldapdir *l;
	size_t i;

	if (check_domain(d, e) != 0)
		return NULL;
	l = calloc(1, sizeof(*l));
	if (!l) {
		no_memory(NULL, e);
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
	if (parse_system_dn(l, d->base_dn, e) != 0 || session_open(l, 0, d->nuris, e) != 0) {
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
 * Listing
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
static int entry_read_vals(ldapdir *l, LDAPMessage *ent, struct berval *dn, entry_vals *ev,
			   tm_error *e)
{
	BerElement *ber = NULL;
	struct berval attr;
	BerVarray vals = NULL;
	int rc;

	rc = ldap_get_dn_ber(l->ld, ent, &ber, dn);
	while (rc == LDAP_SUCCESS) {
		rc = ldap_get_attribute_ber(l->ld, ent, ber, &attr, &vals);
		if (rc != LDAP_SUCCESS || !attr.bv_val)
			break;
		entry_keep(ev, &attr, vals);
		vals = NULL;
	}
	ber_memfree(vals);
	if (ber)
		ber_free(ber, 0);
	if (rc != LDAP_SUCCESS)
		return ldap_fail(l, TM_EBACKEND, NULL, rc, e, "An entry from the directory of "
				 "domain %s cannot be decoded", l->dom.name);
	return 0;
}

static int damaged(ldapdir *l, const struct berval *dn, const char *why, tm_error *e)
{
	error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "The directory of domain %s holds a "
		"damaged trusted domain object %.*s: %s", l->dom.name,
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
static int check_rdn(ldapdir *l, const struct berval *dnbv, const tm_tdo *t, tm_error *e)
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
static int entry_to_tdo(ldapdir *l, const struct berval *dn, const entry_vals *ev, tm_tdo *t,
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
static int read_row(ldapdir *l, const struct berval *dn, const entry_vals *ev, tdovec *v,
		    tm_error *e)
{
	tm_tdo t;
	int rc;

	tdo_init(&t);
	rc = entry_to_tdo(l, dn, ev, &t, 1, e);
	if (rc == 0 && tdo_rows_add(v->rows, &t) != 0)
		rc = no_memory(l, e);
	tdo_free(&t);
	return rc;
}

static int read_entry(ldapdir *l, LDAPMessage *ent, tdovec *v, tm_error *e)
{
	entry_vals ev;
	struct berval dn = { 0, NULL };
	tm_tdo *t;
	int rc;

	memset(&ev, 0, sizeof(ev));
	rc = entry_read_vals(l, ent, &dn, &ev, e);
	if (rc == 0 && v->rows)
		rc = read_row(l, &dn, &ev, v, e);
	else if (rc == 0) {
		t = tdovec_add(v);
		rc = t ? entry_to_tdo(l, &dn, &ev, t, 0, e) : no_memory(l, e);
	}
	entry_vals_free(&ev);
	return rc;
}

static int read_entries(ldapdir *l, LDAPMessage *res, tdovec *v, tm_error *e)
{
	LDAPMessage *ent;

	for (ent = ldap_first_entry(l->ld, res); ent; ent = ldap_next_entry(l->ld, ent))
		if (read_entry(l, ent, v, e) != 0)
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
		return ldap_fail(l, TM_EBACKEND, NULL, rc, e, "The result of a search in the "
				 "directory of domain %s cannot be read", l->dom.name);
	page = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, ctrls, NULL);
	if (page)
		rc = ldap_parse_pageresponse_control(l->ld, page, &estimate, cookie);
	ldap_controls_free(ctrls);
	if (rc != LDAP_SUCCESS)
		return ldap_fail(l, TM_EBACKEND, NULL, rc, e, "The paged results control from the "
				 "directory of domain %s cannot be read", l->dom.name);
	return 0;
}

static int search_fail(ldapdir *l, int rc, tm_error *e)
{
	if (rc == LDAP_NO_SUCH_OBJECT) {
		ldap_fail(l, TM_EBACKEND, ST_OBJECT_NAME_NOT_FOUND, rc, e, "The directory of "
			  "domain %s has no container %s to hold trusted domain objects",
			  l->dom.name, l->system_dn);
		error_hint(e, "Create the container, for example with ldapadd: \"dn: %s\", "
			"\"objectClass: container\", \"cn: System\" (objectClass container comes "
			"with schema/trustmgr.schema); and check base_dn in the configuration.",
			l->system_dn);
		return -1;
	}
	ldap_fail(l, TM_EBACKEND, NULL, rc, e, "Searching %s in the directory of domain %s "
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

/* One page: search with the cookie, read its entries, get the next cookie. */
static int list_page(ldapdir *l, struct berval *cookie, tdovec *v, tm_error *e)
{
	char *attrs[TDOATTR_COUNT + 3];
	LDAPControl *page = NULL, *ctrls[2] = { NULL, NULL };
	LDAPMessage *res = NULL;
	struct timeval tv = { l->timeout, 0 };
	int rc;

	search_attrs(attrs, v->rows != NULL);
	l->last_rc = LDAP_SUCCESS;
	rc = ldap_create_page_control(l->ld, LDAPDIR_PAGE, cookie, 1, &page);
	if (rc != LDAP_SUCCESS)
		return ldap_fail(l, TM_EBACKEND, NULL, rc, e, "No paged search can be made for "
				 "the directory of domain %s", l->dom.name);
	ctrls[0] = page;
	rc = ldap_search_ext_s(l->ld, l->system_dn, LDAP_SCOPE_ONELEVEL, LDAPDIR_FILTER, attrs, 0,
			       ctrls, NULL, &tv, LDAP_NO_LIMIT, &res);
	ldap_control_free(page);
	if (rc != LDAP_SUCCESS)
		l->last_rc = rc;
	if (rc != LDAP_SUCCESS)
		rc = search_fail(l, rc, e);
	else
		rc = read_entries(l, res, v, e) != 0 || next_cookie(l, res, cookie, e) != 0 ? -1 : 0;
	ldap_msgfree(res);
	return rc;
}

/* Every TDO, page by page, from the current server. */
static int list_all(ldapdir *l, tdovec *v, tm_error *e)
{
	struct berval cookie = { 0, NULL };
	size_t pages = 0;
	int rc;

	do {
		rc = list_page(l, &cookie, v, e);
	} while (rc == 0 && cookie.bv_len > 0 && ++pages < LDAPDIR_MAX_PAGES);
	if (rc == 0 && cookie.bv_len > 0)
		rc = error_fail(e, TM_EBACKEND, NULL, "The directory of domain %s kept returning pages "
			     "of trusted domain objects (%zu pages); trustmgr stopped reading.",
			     l->dom.name, pages);
	ber_memfree(cookie.bv_val);
	if (rc != 0) {
		tdo_free_array(&v->p, v->n);
		v->p = NULL;
		v->n = v->cap = 0;
		if (v->rows)
			tdo_rows_free(v->rows);
	}
	return rc;
}

/* ldapdir_tdo_list: every TDO; read again from the next server (from the
 * first page: paging cookies are the server's) when the server goes away. */
static int list_run(ldapdir *l, tdovec *v, tm_error *e)
{
	int rc = list_all(l, v, e);

	if (rc != 0 && failed_over(l, l->last_rc, "reading the trusted domain objects", e) > 0) {
		error_clear(e);
		rc = list_all(l, v, e);
	}
	return rc != 0 ? -1 : 0;
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
	error_fail(e, TM_EREFUSED, NULL, "Refused to send the trust secrets of the trust with %s to "
		"the directory of domain %s at %s: the connection is not protected by TLS.",
		t->partner, l->dom.name, l->peer);
	error_hint(e, "Use tls = starttls (or ldaps) with tls_cacert in domain %s's block of the "
		"configuration; for an ldapi:// URI or a loopback address you may instead set "
		"allow_plaintext_secrets = true.", l->dom.name);
	return -1;
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

static int add_entry(ldapdir *l, const char *dn, const tm_tdo *t, const tdoattr_list *vals)
{
	char *classes[] = { unconst("top"), unconst("leaf"), unconst("trustedDomain"), NULL };
	modset m;
	struct berval cn;
	size_t i;

	memset(&m, 0, sizeof(m));
	m.mods[0].mod_op = LDAP_MOD_ADD;
	m.mods[0].mod_type = unconst("objectClass");
	m.mods[0].mod_values = classes;
	m.modp[m.n++] = &m.mods[0];
	cn.bv_val = unconst(t->partner);
	cn.bv_len = strlen(t->partner);
	modset_add(&m, LDAP_MOD_ADD, "cn", &cn);
	for (i = 0; i < vals->n; i++) {
		struct berval bv = value_bv(&vals->v[i]);

		modset_add(&m, LDAP_MOD_ADD, vals->v[i].name, &bv);
	}
	return ldap_add_ext_s(l->ld, dn, m.modp, NULL, NULL);
}

/* Replace every mapped attribute; one the TDO no longer has is replaced by
 * no values, which deletes it when present and is no error when absent
 * (RFC 4511 4.6; a plain delete of an absent attribute would fail). */
static int modify_entry(ldapdir *l, const char *dn, const tdoattr_list *vals)
{
	const tdoattr_def *defs;
	modset m;
	size_t i, n;

	memset(&m, 0, sizeof(m));
	defs = tdoattr_defs(&n);
	for (i = 0; i < n; i++) {
		const tdoattr_value *v = tdoattr_list_get(vals, defs[i].name);
		struct berval bv;

		if (v)
			bv = value_bv(v);
		modset_add(&m, LDAP_MOD_REPLACE, defs[i].name, v ? &bv : NULL);
	}
	return ldap_modify_ext_s(l->ld, dn, m.modp, NULL, NULL);
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
	const char *self = l->dom.dns[0] ? l->dom.dns : l->dom.netbios;
	int in = t->direction == TRUST_DIRECTION_INBOUND;

	snprintf(buf, n, "netdom trust %s /domain:%s /add%s%s%s /oneside:%s /passwordT:*",
		 in ? t->partner : self, in ? self : t->partner,
		 t->direction == TRUST_DIRECTION_BIDIRECTIONAL ? " /twoway" : "",
		 t->type == TRUST_TYPE_MIT ? " /realm" : "",
		 (t->attributes & TRUST_ATTR_FOREST_TRANSITIVE) ? " /ForestTRANsitive:yes" : "",
		 in ? "trusted" : "trusting");
}

/* Active Directory and Samba refuse TDO writes over LDAP (result 53). */
static int lsa_refusal(ldapdir *l, const tm_tdo *t, int rc, tm_error *e)
{
	char opts[256], netdom[2 * NAME_DNS_MAX + 128];

	ldap_fail(l, TM_EBACKEND, ST_NOT_SUPPORTED, rc, e, "The directory of domain %s is Active "
		  "Directory or Samba, which creates and changes trusted domain objects only "
		  "through the LSA RPC interface, not over LDAP; the trust with %s was not written",
		  l->dom.name, t->partner);
	samba_options(t, opts, sizeof(opts));
	netdom_command(l, t, netdom, sizeof(netdom));
	if (t->type == TRUST_TYPE_UPLEVEL)
		error_hint(e, "On a domain controller of %s run: samba-tool domain trust create %s %s "
			"-U Administrator@%s (on Windows: %s); then run trustmgr verify.",
			l->dom.name, t->partner, opts, t->partner, netdom);
	else
		error_hint(e, "samba-tool creates only uplevel (AD) trusts; on a Windows domain "
			"controller of %s run: %s; then run trustmgr verify.", l->dom.name, netdom);
	return -1;
}

static int put_fail(ldapdir *l, const tm_tdo *t, const char *dn, int rc, tm_error *e)
{
	char diag[256];

	diagnose_text(l->ld, diag, sizeof(diag));
	if (rc == LDAP_UNWILLING_TO_PERFORM && strcasestr(diag, "LSA"))
		return lsa_refusal(l, t, rc, e);
	if (rc == LDAP_NO_SUCH_OBJECT)
		return search_fail(l, rc, e);
	ldap_fail(l, TM_EBACKEND, NULL, rc, e, "The directory of domain %s did not store the "
		  "trusted domain object %s", l->dom.name, dn);
	if (rc == LDAP_INSUFFICIENT_ACCESS || rc == LDAP_STRONG_AUTH_REQUIRED)
		error_hint(e, "The bind DN needs write access to %s and to trustAuthIncoming and "
			"trustAuthOutgoing (see the ACL in docs/LAB.md).", l->system_dn);
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

/* Add the entry, or replace the attributes of the one already there. */
static int put_entry(ldapdir *l, const char *dn, const tm_tdo *t, const tdoattr_list *vals)
{
	int rc = add_entry(l, dn, t, vals);

	return rc == LDAP_ALREADY_EXISTS ? modify_entry(l, dn, vals) : rc;
}

/* ldapdir_tdo_put: add, or replace the existing entry's attributes. */
static int put_run(ldapdir *l, const tm_tdo *t, tm_error *e)
{
	tdoattr_list vals;
	char *dn = NULL;
	int rc;

	char doing[NAME_DNS_MAX + 64];
	int over;

	if (!l->secure && has_secrets(t))
		return refuse_plaintext(l, t, e);
	if (entry_dn(l, t->partner, &dn, e) != 0)
		return -1;
	if (tdoattr_values(t, &vals, e) != 0) {
		ldap_memfree(dn);
		return -1;
	}
	rc = put_entry(l, dn, t, &vals);
	snprintf(doing, sizeof(doing), "writing the trusted domain object of %.200s", t->partner);
	over = failed_over(l, rc, doing, e);
	if (over > 0 && !l->secure && has_secrets(t))
		over = refuse_plaintext(l, t, e);
	if (over > 0)
		rc = put_entry(l, dn, t, &vals);
	tdoattr_list_free(&vals);              /* wipes the secrets sent */
	if (over >= 0 && rc != LDAP_SUCCESS)
		put_fail(l, t, dn, rc, e);
	ldap_memfree(dn);
	return over >= 0 && rc == LDAP_SUCCESS ? 0 : -1;
}

/* ldapdir_tdo_delete: a missing entry is fine. */
static int delete_run(ldapdir *l, const char *partner, tm_error *e)
{
	char *dn = NULL;
	int rc;

	char doing[NAME_DNS_MAX + 64];
	int over;

	if (entry_dn(l, partner, &dn, e) != 0)
		return -1;
	rc = ldap_delete_ext_s(l->ld, dn, NULL, NULL);
	snprintf(doing, sizeof(doing), "deleting the trusted domain object of %.200s", partner);
	over = failed_over(l, rc, doing, e);
	if (over < 0) {
		ldap_memfree(dn);
		return -1;
	}
	if (over > 0)
		rc = ldap_delete_ext_s(l->ld, dn, NULL, NULL);
	if (rc != LDAP_SUCCESS && rc != LDAP_NO_SUCH_OBJECT) {
		ldap_fail(l, TM_EBACKEND, NULL, rc, e, "The directory of domain %s did not delete "
			  "the trusted domain object %s", l->dom.name, dn);
		error_hint(e, "Check that the bind DN may delete entries below %s.", l->system_dn);
	}
	ldap_memfree(dn);
	return rc == LDAP_SUCCESS || rc == LDAP_NO_SUCH_OBJECT ? 0 : -1;
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
