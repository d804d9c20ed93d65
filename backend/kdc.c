/* kdc.c - one realm's KDC and kadmin server: MIT Kerberos through libkrb5 and
 * the kadm5 client library (semantics.md section 7).
 *
 * Administration (keys, the permit policy) goes through a kadm5 session, an
 * RPC channel to kadmind that GSS-API protects, logged in as the configured
 * kadmin principal with its keytab or password file. The protocol operations
 * (prove, change, verify) use libkrb5 as an ordinary client: a library
 * context of their own that reads krb5.conf (KRB5_CONFIG) and memory
 * credential caches only. The user's default cache is never read: kpasswd
 * would arm with a ticket of another realm found there (docs/LAB.md).
 *
 * How long a call may wait. MIT krb5 1.20 has few knobs for this:
 * - KDC exchanges: libkrb5 1.20's sendto loop has no setting for its
 *   timeout. For a KDC that accepts but never answers it waits 1 s per
 *   transport and address, 2 s at the end of the first pass, then two more
 *   passes ending in 4 s and 8 s waits: measured 27 s for the lab's form
 *   (one host:port, TCP and UDP). A refused connection (nothing listens)
 *   fails at once. On top of that, a pre-send hook (krb5_set_kdc_send_hook)
 *   refuses to start another KDC request once the operation's timeout has
 *   passed, so an operation made of several exchanges ends within the
 *   timeout plus one exchange.
 * - kadmind: the kadm5 client connects with a blocking connect() and waits
 *   up to an hour for each RPC answer (select() with 3600 s, seen with
 *   strace), with no way to change either. kdc_open therefore first
 *   connects to the realm's admin_server addresses from krb5.conf itself,
 *   non-blocking, and sends an RPC ping that kadmind answers at once, all
 *   within the timeout: a stopped kadmind, one behind a firewall that drops
 *   packets and a hung one give a clear message within the timeout. A
 *   kadmind that hangs later, in the middle of a session, is still waited
 *   for by the library.
 * - kpasswd (krb5_change_password): the same sendto loop, without the hook.
 *
 * The kadm5 functions take `char *` for strings they only read; names are
 * copied into local buffers rather than casting const away.
 */
#include "kdc.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <krb5.h>
#include <profile.h>
/* The gssrpc headers that kadm5/admin.h includes test an undefined macro
 * (GSSRPC__BSD_TYPEALIASES, -Wundef) and declare xdrproc_t without a
 * prototype (-Wstrict-prototypes). Debian's kadm-client.pc passes
 * -isystem, which hides that; these pragmas keep a build that reaches the
 * headers through a plain -I clean too, for this include only. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wundef"
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <kadm5/admin.h>
#pragma GCC diagnostic pop

#include "../model/keys.h"
#include "../model/secret.h"

#define KDC_DEFAULT_TIMEOUT 10
#define KDC_MAX_KEYS 64
#define KDC_KADMIN_PORT "749"
#define KDC_NAME_MAX KEYS_PRINC_MAX
#define KDC_CHANGEPW_LIFE 300           /* seconds: a kadmin/changepw ticket */
#define KDC_VERIFY_DEFAULT_SERVICE "kadmin/admin"

/* When the current operation must stop starting KDC requests. */
typedef struct kdc_clock {
	struct timespec end;
	int seconds;
} kdc_clock;

struct kdc {
	krb5_context ctx;
	void *handle;                        /* kadm5 server handle */
	kdc_clock clock;
	char realm[NAME_DNS_MAX];
	char admin[KDC_NAME_MAX];            /* kadmin principal, with realm */
	char servers[CFG_STR];               /* admin_server entries, for messages */
};

/* What a KDC holds for one principal (no key bytes). */
typedef struct kdc_entry {
	size_t nkeys;
	uint32_t kvno[KDC_MAX_KEYS];
	int32_t enctype[KDC_MAX_KEYS];
	uint32_t max_kvno;
	long long changed;
	krb5_flags attributes;
	unsigned fail_count;
	char policy[CFG_STR];
} kdc_entry;

/* A client session for the protocol operations. */
typedef struct kdc_client {
	krb5_context ctx;
	kdc_clock clock;
} kdc_client;

static void kdc_close_run(kdc **k);

/* ------------------------------------------------------------ time */

static void kdc_clock_start(kdc_clock *c, int seconds)
{
	c->seconds = seconds > 0 ? seconds : KDC_DEFAULT_TIMEOUT;
	clock_gettime(CLOCK_MONOTONIC, &c->end);
	c->end.tv_sec += c->seconds;
}

/* Milliseconds left before the deadline (0 when it has passed). */
static int kdc_clock_left_ms(const kdc_clock *c)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(c->end.tv_sec - now.tv_sec) * 1000 +
	     (c->end.tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? (int)ms : 0;
}

/* libkrb5 pre-send hook: no new KDC request once the timeout has passed. */
static krb5_error_code KRB5_CALLCONV kdc_send_hook(krb5_context ctx, void *data,
						   const krb5_data *realm,
						   const krb5_data *message,
						   krb5_data **new_message_out,
						   krb5_data **new_reply_out)
{
	const kdc_clock *c = data;

	(void)message;
	(void)new_message_out;
	(void)new_reply_out;
	if (kdc_clock_left_ms(c) > 0)
		return 0;
	krb5_set_error_message(ctx, KRB5_KDC_UNREACH,
			       "no answer from the KDC of %.*s within the %d s timeout",
			       (int)realm->length, realm->data, c->seconds);
	return KRB5_KDC_UNREACH;
}

/* ------------------------------------------------------------ SIGPIPE */

/* kadm5's RPC layer and libkrb5 write to sockets with plain write(): a
 * server that resets the connection would kill the program with SIGPIPE.
 * Every public function holds SIGPIPE blocked while it runs and discards
 * one that its own writes raised, so the write fails with EPIPE and the
 * library reports an error instead. The signal mask is restored after. */
typedef struct kdc_sigpipe {
	sigset_t old;
	int was_pending;
} kdc_sigpipe;

static void kdc_sigpipe_hold(kdc_sigpipe *s)
{
	sigset_t set, pending;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigemptyset(&pending);
	sigpending(&pending);
	s->was_pending = sigismember(&pending, SIGPIPE) == 1;
	sigprocmask(SIG_BLOCK, &set, &s->old);
}

static void kdc_sigpipe_release(const kdc_sigpipe *s)
{
	const struct timespec zero = { 0, 0 };
	sigset_t set, pending;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigemptyset(&pending);
	sigpending(&pending);
	if (!s->was_pending && sigismember(&pending, SIGPIPE) == 1)
		while (sigtimedwait(&set, NULL, &zero) < 0 && errno == EINTR)
			;
	sigprocmask(SIG_SETMASK, &s->old, NULL);
}

/* ------------------------------------------------------------ errors */

static const char *kdc_status_of(long rc)
{
	if (rc == KRB5_KDC_UNREACH || rc == KRB5_REALM_CANT_RESOLVE ||
	    rc == KADM5_RPC_ERROR || rc == KADM5_NO_SRV)
		return ST_NO_LOGON_SERVERS;
	return NULL;
}

/* Record a libkrb5 or kadm5 failure: "<what was done>: <the library's words>". */
static int kdc_fail(krb5_context ctx, tm_error *e, long rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int kdc_fail(krb5_context ctx, tm_error *e, long rc, const char *fmt, ...)
{
	char doing[TM_WHAT_MAX / 2];
	const char *msg;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(doing, sizeof doing, fmt, ap);
	va_end(ap);
	msg = krb5_get_error_message(ctx, (krb5_error_code)rc);
	tm_fail(e, TM_EBACKEND, kdc_status_of(rc), "%s: %s", doing, msg);
	krb5_free_error_message(ctx, msg);
	return -1;
}

static int kdc_nomem(tm_error *e)
{
	return tm_fail(e, TM_EBACKEND, NULL, "out of memory");
}

/* The library's words for rc, into buf. */
static void kdc_message(krb5_context ctx, long rc, char *buf, size_t n)
{
	const char *msg = krb5_get_error_message(ctx, (krb5_error_code)rc);

	snprintf(buf, n, "%s", msg);
	krb5_free_error_message(ctx, msg);
}

/* ------------------------------------------------------------ contexts */

/* A library context reading krb5.conf (KRB5_CONFIG), with the deadline hook. */
static int kdc_ctx_new(krb5_context *ctx, kdc_clock *clock, int timeout, tm_error *e)
{
	krb5_error_code rc = krb5_init_context(ctx);

	if (rc != 0) {
		*ctx = NULL;
		return kdc_fail(NULL, e, rc, "could not initialise the Kerberos library "
				"from %s", getenv("KRB5_CONFIG") ? getenv("KRB5_CONFIG") :
				"the default krb5.conf");
	}
	kdc_clock_start(clock, timeout);
	krb5_set_kdc_send_hook(*ctx, kdc_send_hook, clock);
	return 0;
}

static int kdc_client_open(kdc_client *c, int timeout, tm_error *e)
{
	return kdc_ctx_new(&c->ctx, &c->clock, timeout, e);
}

static void kdc_client_close(kdc_client *c)
{
	if (c->ctx)
		krb5_free_context(c->ctx);
	c->ctx = NULL;
}

/* Parse name; a name without a realm gets realm. */
static krb5_error_code kdc_parse(krb5_context ctx, const char *name, const char *realm,
				 krb5_principal *out)
{
	krb5_error_code rc;

	*out = NULL;
	rc = krb5_parse_name_flags(ctx, name, KRB5_PRINCIPAL_PARSE_NO_REALM, out);
	if (rc != 0)
		return krb5_parse_name_flags(ctx, name, KRB5_PRINCIPAL_PARSE_REQUIRE_REALM, out);
	rc = krb5_set_principal_realm(ctx, *out, realm);
	if (rc != 0) {
		krb5_free_principal(ctx, *out);
		*out = NULL;
	}
	return rc;
}

/* Parse name (realm added when missing) with a message naming it on failure. */
static int kdc_parse_e(krb5_context ctx, const char *name, const char *realm,
		       krb5_principal *out, tm_error *e)
{
	krb5_error_code rc = kdc_parse(ctx, name, realm, out);

	if (rc != 0)
		return kdc_fail(ctx, e, rc, "'%s' is not a valid Kerberos principal name", name);
	return 0;
}

/* The full text form of p into buf. */
static int kdc_unparse(krb5_context ctx, krb5_const_principal p, char *buf, size_t n,
		       tm_error *e)
{
	char *s = NULL;
	krb5_error_code rc = krb5_unparse_name(ctx, p, &s);

	if (rc != 0)
		return kdc_fail(ctx, e, rc, "could not format a principal name");
	if (strlen(s) >= n) {
		krb5_free_unparsed_name(ctx, s);
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "a principal name is too long");
	}
	memcpy(buf, s, strlen(s) + 1);
	krb5_free_unparsed_name(ctx, s);
	return 0;
}

static int kdc_data_is(const krb5_data *d, const char *s)
{
	return d->length == strlen(s) && memcmp(d->data, s, d->length) == 0;
}

/* Is p a cross-realm krbtgt/X@Y with X != Y? */
static int kdc_cross_tgt(krb5_const_principal p)
{
	const krb5_data *inst;

	if (p->length != 2 || !kdc_data_is(&p->data[0], "krbtgt"))
		return 0;
	inst = &p->data[1];
	return !(inst->length == p->realm.length &&
		 memcmp(inst->data, p->realm.data, inst->length) == 0);
}

/* ------------------------------------------------------------ kadmind reachability */

/* Split "host", "host:port", "[v6]" or "[v6]:port" into host and port. */
static void kdc_split_hostport(const char *s, char *host, size_t nh, char *port, size_t np)
{
	const char *end = NULL, *colon;

	snprintf(port, np, "%s", KDC_KADMIN_PORT);
	if (s[0] == '[' && (end = strchr(s, ']')) != NULL) {
		snprintf(host, nh, "%.*s", (int)(end - s - 1), s + 1);
		if (end[1] == ':' && end[2])
			snprintf(port, np, "%s", end + 2);
		return;
	}
	colon = strchr(s, ':');
	if (colon && !strchr(colon + 1, ':')) {
		snprintf(host, nh, "%.*s", (int)(colon - s), s);
		if (colon[1])
			snprintf(port, np, "%s", colon + 1);
		return;
	}
	snprintf(host, nh, "%s", s);
}

/* An ONC RPC call of procedure 0 of kadmind's program (2112) in version 0,
 * which no server registers, with AUTH_NONE, as one TCP record. kadmind
 * answers PROG_MISMATCH (the versions it speaks) before any authentication,
 * and logs no error for it. Any answer shows that kadmind is alive. */
static const unsigned char kdc_rpc_ping[] = {
	0x80, 0, 0, 40,                 /* last fragment, 40 bytes */
	0x74, 0x6d, 0x67, 0x72,         /* xid */
	0, 0, 0, 0,                     /* CALL */
	0, 0, 0, 2,                     /* RPC version 2 */
	0, 0, 0x08, 0x40,               /* program 2112 (kadmin) */
	0, 0, 0, 0,                     /* version 0: none */
	0, 0, 0, 0,                     /* procedure 0 (NULL) */
	0, 0, 0, 0, 0, 0, 0, 0,         /* credential: AUTH_NONE, empty */
	0, 0, 0, 0, 0, 0, 0, 0,         /* verifier: AUTH_NONE, empty */
};

/* Wait for fd to be ready for events within ms: 0, or an errno value. */
static int kdc_wait_fd(int fd, short events, int ms)
{
	struct pollfd pfd;

	pfd.fd = fd;
	pfd.events = events;
	pfd.revents = 0;
	return poll(&pfd, 1, ms) == 1 ? 0 : ETIMEDOUT;
}

/* Send the RPC ping and wait for any answer (or a close) within ms. */
static int kdc_ping(int fd, int ms)
{
	errno = 0;
	if (send(fd, kdc_rpc_ping, sizeof kdc_rpc_ping, MSG_NOSIGNAL) !=
	    (ssize_t)sizeof kdc_rpc_ping)
		return errno ? errno : EIO;
	/* Any answer, or the server closing the connection, will do. */
	return kdc_wait_fd(fd, POLLIN, ms) == 0 ? 0 : ETIME;
}

/* A non-blocking connect to one address, then the RPC ping, both within
 * the clock: 0 when kadmind answered, else an errno value (ETIMEDOUT when
 * nothing accepted the connection, ETIME when nothing answered the ping). */
static int kdc_connect_one(const struct addrinfo *ai, const kdc_clock *clock)
{
	int fd, err = 0;
	socklen_t len = sizeof err;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    ai->ai_protocol);
	if (fd < 0)
		return errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0)
		err = errno;
	if (err == EINPROGRESS) {
		err = kdc_wait_fd(fd, POLLOUT, kdc_clock_left_ms(clock));
		if (err == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
			err = errno;
	}
	if (err == 0)
		err = kdc_ping(fd, kdc_clock_left_ms(clock));
	close(fd);
	return err;
}

/* Connect to "host[:port]" in time: 0, or an errno value (EHOSTUNREACH
 * when the name does not resolve). */
static int kdc_reachable(const char *hostport, const kdc_clock *clock)
{
	char host[NAME_DNS_MAX], port[32];
	struct addrinfo hints, *res = NULL, *ai;
	int err = ETIMEDOUT;

	kdc_split_hostport(hostport, host, sizeof host, port, sizeof port);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return EHOSTUNREACH;
	for (ai = res; ai && err != 0 && kdc_clock_left_ms(clock) > 0; ai = ai->ai_next)
		err = kdc_connect_one(ai, clock);
	freeaddrinfo(res);
	return err;
}

/* Join the admin_server values into k->servers; 0 when one accepts a
 * connection, else the last errno value. */
static int kdc_probe_list(kdc *k, char **vals)
{
	size_t i, len = 0;
	int err = ETIMEDOUT;

	k->servers[0] = '\0';
	for (i = 0; vals[i]; i++) {
		len = strlen(k->servers);
		snprintf(k->servers + len, sizeof k->servers - len, "%s%s",
			 i ? ", " : "", vals[i]);
	}
	for (i = 0; vals[i] && err != 0; i++)
		err = kdc_reachable(vals[i], &k->clock);
	return err;
}

/* Connect to the realm's kadmin server(s) from krb5.conf within the
 * timeout, before kadm5 does with its blocking connect. A realm without an
 * admin_server line is left to the library (DNS SRV records). */
static int kdc_probe(kdc *k, tm_error *e)
{
	const char *names[] = { "realms", k->realm, "admin_server", NULL };
	profile_t prof = NULL;
	char **vals = NULL;
	int err;

	snprintf(k->servers, sizeof k->servers, "admin_server of %s from DNS", k->realm);
	if (krb5_get_profile(k->ctx, &prof) != 0)
		return 0;
	if (profile_get_values(prof, names, &vals) != 0 || !vals || !vals[0]) {
		profile_release(prof);
		return 0;
	}
	err = kdc_probe_list(k, vals);
	profile_free_list(vals);
	profile_release(prof);
	if (err == 0)
		return 0;
	if (err == ETIMEDOUT || err == ETIME)
		tm_fail(e, TM_EBACKEND, ST_NO_LOGON_SERVERS, "the kadmin server of realm %s "
			"(admin_server %s) did not %s within %d s", k->realm, k->servers,
			err == ETIME ? "answer" : "accept a connection", k->clock.seconds);
	else
		tm_fail(e, TM_EBACKEND, ST_NO_LOGON_SERVERS, "the kadmin server of realm %s "
			"(admin_server %s) cannot be reached: %s", k->realm, k->servers,
			strerror(err));
	tm_hint(e, "Check that kadmind of %s runs and listens there, and that admin_server in "
		"krb5.conf (%s) names it.", k->realm,
		getenv("KRB5_CONFIG") ? getenv("KRB5_CONFIG") : "the default krb5.conf");
	return -1;
}

/* ------------------------------------------------------------ open / close */

static int kdc_open_check(const cfg_domain *d, tm_error *e)
{
	if (!d->dom.realm[0])
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "domain %s: no realm is configured", d->dom.name);
	if (!d->kadmin_principal[0])
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "domain %s: no kadmin_principal is configured", d->dom.name);
	if (!d->kadmin_keytab[0] && !d->kadmin_password_file[0])
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "domain %s: kadmin_principal %s has neither kadmin_keytab nor "
			       "kadmin_password_file", d->dom.name, d->kadmin_principal);
	return 0;
}

/* Explain a refused kadm5 login: who, where, with what, and what to check. */
static int kdc_login_failed(kdc *k, const cfg_domain *d, long rc, tm_error *e)
{
	const char *how = d->kadmin_keytab[0] ? "kadmin_keytab" : "kadmin_password_file";
	const char *file = d->kadmin_keytab[0] ? d->kadmin_keytab : d->kadmin_password_file;

	kdc_fail(k->ctx, e, rc, "could not log in to the kadmin server of realm %s "
		 "(admin_server %s) as %s with %s %s", k->realm, k->servers, k->admin, how, file);
	tm_hint(e, "Check that kadmind and the KDC of %s run, that %s exists and %s of domain %s "
		"holds its current key, and that kadm5.acl grants it rights.",
		k->realm, k->admin, how, d->dom.name);
	return -1;
}

/* kadm5_init_with_skey or _with_password for the kadmin principal. */
static int kdc_login(kdc *k, const cfg_domain *d, tm_error *e)
{
	char service[] = KADM5_ADMIN_SERVICE, realm[NAME_DNS_MAX], keytab[PATH_MAX];
	char *pw = NULL;
	kadm5_config_params params;
	kadm5_ret_t rc;

	memset(&params, 0, sizeof params);
	snprintf(realm, sizeof realm, "%s", k->realm);
	params.mask = KADM5_CONFIG_REALM;
	params.realm = realm;
	if (d->kadmin_keytab[0]) {
		snprintf(keytab, sizeof keytab, "%s", d->kadmin_keytab);
		rc = kadm5_init_with_skey(k->ctx, k->admin, keytab, service, &params,
					  KADM5_STRUCT_VERSION, KADM5_API_VERSION_4, NULL,
					  &k->handle);
	} else {
		if (cfg_read_secret(d->kadmin_password_file, "kadmin_password_file", d, &pw, e))
			return -1;
		rc = kadm5_init_with_password(k->ctx, k->admin, pw, service, &params,
					      KADM5_STRUCT_VERSION, KADM5_API_VERSION_4, NULL,
					      &k->handle);
		secret_free(&pw);
	}
	if (rc != 0) {
		k->handle = NULL;
		return kdc_login_failed(k, d, rc, e);
	}
	return 0;
}

/* The kadmin principal's full name (realm added when missing). */
static int kdc_admin_name(kdc *k, const cfg_domain *d, tm_error *e)
{
	krb5_principal p = NULL;
	int r;

	if (kdc_parse_e(k->ctx, d->kadmin_principal, k->realm, &p, e))
		return -1;
	r = kdc_unparse(k->ctx, p, k->admin, sizeof k->admin, e);
	krb5_free_principal(k->ctx, p);
	return r;
}

/* The body of kdc_open(), with SIGPIPE held off by the caller. */
static kdc *kdc_open_run(const cfg_domain *d, int timeout, tm_error *e)
{
	kdc *k;

	if (kdc_open_check(d, e))
		return NULL;
	k = calloc(1, sizeof *k);
	if (!k) {
		kdc_nomem(e);
		return NULL;
	}
	snprintf(k->realm, sizeof k->realm, "%s", d->dom.realm);
	if (kdc_ctx_new(&k->ctx, &k->clock, timeout, e) || kdc_admin_name(k, d, e) ||
	    kdc_probe(k, e) || kdc_login(k, d, e)) {
		kdc_close_run(&k);
		return NULL;
	}
	return k;
}

/* Open a kadm5 session for d's realm with d's kadmin credentials. */
kdc *kdc_open(const cfg_domain *d, int timeout, tm_error *e)
{
	kdc_sigpipe sp;
	kdc *r;

	kdc_sigpipe_hold(&sp);
	r = kdc_open_run(d, timeout, e);
	kdc_sigpipe_release(&sp);
	return r;
}

/* The body of kdc_close(), with SIGPIPE held off by the caller. */
static void kdc_close_run(kdc **k)
{
	if (!k || !*k)
		return;
	if ((*k)->handle)
		kadm5_destroy((*k)->handle);
	if ((*k)->ctx)
		krb5_free_context((*k)->ctx);
	free(*k);
	*k = NULL;
}

/* End the kadm5 session and free the handle; *k becomes NULL. */
void kdc_close(kdc **k)
{
	kdc_sigpipe sp;

	kdc_sigpipe_hold(&sp);
	kdc_close_run(k);
	kdc_sigpipe_release(&sp);
}

/* Each administrative call gets the full timeout for its KDC requests. */
static void kdc_begin(kdc *k)
{
	kdc_clock_start(&k->clock, k->clock.seconds);
}

/* ------------------------------------------------------------ entries */

static void kdc_entry_add_kvno(uint32_t *v, size_t *n, size_t max, uint32_t kvno)
{
	size_t i, j;

	for (i = 0; i < *n; i++)
		if (v[i] == kvno)
			return;
	if (*n >= max)
		return;
	for (i = 0; i < *n && v[i] > kvno; i++)
		;
	for (j = *n; j > i; j--)
		v[j] = v[j - 1];
	v[i] = kvno;
	(*n)++;
}

static void kdc_entry_fill(const kadm5_principal_ent_rec *ent, kdc_entry *out)
{
	int i;

	memset(out, 0, sizeof *out);
	for (i = 0; i < ent->n_key_data && out->nkeys < KDC_MAX_KEYS; i++) {
		out->kvno[out->nkeys] = ent->key_data[i].key_data_kvno;
		out->enctype[out->nkeys] = ent->key_data[i].key_data_type[0];
		if (out->kvno[out->nkeys] > out->max_kvno)
			out->max_kvno = out->kvno[out->nkeys];
		out->nkeys++;
	}
	if (out->nkeys == 0)
		out->max_kvno = ent->kvno;
	out->changed = (long long)(uint32_t)ent->last_pwd_change;
	out->attributes = ent->attributes;
	out->fail_count = ent->fail_auth_count;
	snprintf(out->policy, sizeof out->policy, "%s", ent->policy ? ent->policy : "");
}

/* What the KDC holds for p: 0, 1 when there is no such principal, -1 with e. */
static int kdc_entry_get(kdc *k, krb5_principal p, const char *name, kdc_entry *out,
			 tm_error *e)
{
	kadm5_principal_ent_rec ent;
	kadm5_ret_t rc;

	memset(&ent, 0, sizeof ent);
	rc = kadm5_get_principal(k->handle, p, &ent,
				 KADM5_PRINCIPAL_NORMAL_MASK | KADM5_KEY_DATA);
	if (rc == KADM5_UNK_PRINC)
		return 1;
	if (rc != 0)
		return kdc_fail(k->ctx, e, rc, "%s: could not read %s through kadmin",
				k->realm, name);
	kdc_entry_fill(&ent, out);
	kadm5_free_principal_ent(k->handle, &ent);
	return 0;
}

static void kdc_keyinfo_from(const kdc_entry *en, const char *name, tm_keyinfo *ki)
{
	size_t i;

	memset(ki, 0, sizeof *ki);
	snprintf(ki->principal, sizeof ki->principal, "%s", name);
	ki->kvno = en->max_kvno;
	ki->changed = en->changed;
	for (i = 0; i < en->nkeys; i++) {
		kdc_entry_add_kvno(ki->kvnos, &ki->nkvnos, KEYINFO_MAX_KVNOS, en->kvno[i]);
		if (en->kvno[i] == en->max_kvno)
			ki->enctypes |= keys_bit_of_enctype(en->enctype[i]);
	}
}

/* One listed name: 0 filled, 1 skipped (not cross-realm, or gone), -1 error. */
static int kdc_keyinfo_one(kdc *k, const char *name, tm_keyinfo *ki, tm_error *e)
{
	krb5_principal p = NULL;
	kdc_entry en;
	int r;

	if (krb5_parse_name(k->ctx, name, &p) != 0)
		return 1;
	r = kdc_cross_tgt(p) ? kdc_entry_get(k, p, name, &en, e) : 1;
	krb5_free_principal(k->ctx, p);
	if (r == 0)
		kdc_keyinfo_from(&en, name, ki);
	return r;
}

static int kdc_list_fill(kdc *k, char **names, int count, tm_keyinfo **out, size_t *n,
			 tm_error *e)
{
	tm_keyinfo *v = calloc(count > 0 ? (size_t)count : 1, sizeof *v);
	size_t m = 0;
	int i, r;

	if (!v)
		return kdc_nomem(e);
	for (i = 0; i < count; i++) {
		r = kdc_keyinfo_one(k, names[i], &v[m], e);
		if (r < 0) {
			free(v);
			return -1;
		}
		if (r == 0)
			m++;
	}
	*out = v;
	*n = m;
	return 0;
}

/* The body of kdc_key_list(), with SIGPIPE held off by the caller. */
static int kdc_key_list_run(kdc *k, tm_keyinfo **out, size_t *n, tm_error *e)
{
	/* An explicit "@*": the principals of every realm, whatever a server
	 * does with an expression that names no realm. */
	char expr[] = "krbtgt/*@*";
	char **names = NULL;
	int count = 0, r;
	kadm5_ret_t rc;

	*out = NULL;
	*n = 0;
	kdc_begin(k);
	rc = kadm5_get_principals(k->handle, expr, &names, &count);
	if (rc != 0)
		return kdc_fail(k->ctx, e, rc, "%s: could not list the krbtgt principals "
				"through kadmin", k->realm);
	r = kdc_list_fill(k, names, count, out, n, e);
	kadm5_free_name_list(k->handle, names, count);
	return r;
}

/* The cross-realm krbtgt/X@Y principals of this realm's database. */
int kdc_key_list(kdc *k, tm_keyinfo **out, size_t *n, tm_error *e)
{
	kdc_sigpipe sp;
	int r;

	kdc_sigpipe_hold(&sp);
	r = kdc_key_list_run(k, out, n, e);
	kdc_sigpipe_release(&sp);
	return r;
}

/* ------------------------------------------------------------ setting keys */

/* Key/salt tuples of the enctypes of bits (0 = AES), normal salt. */
static int kdc_ks_tuples(uint32_t bits, krb5_key_salt_tuple *ks, size_t max)
{
	int32_t et[KEYS_MAX_PER_KVNO];
	size_t i, n = keys_enctypes_from_bits(bits, et, KEYS_MAX_PER_KVNO);

	for (i = 0; i < n && i < max; i++) {
		ks[i].ks_enctype = et[i];
		ks[i].ks_salttype = KRB5_KDB_SALTTYPE_NORMAL;
	}
	return (int)i;
}

/* Give every key of p the version kvno (kadm5_modify_principal KADM5_KVNO). */
static int kdc_set_kvno(kdc *k, krb5_principal p, const char *name, uint32_t kvno,
			tm_error *e)
{
	kadm5_principal_ent_rec ent;
	kadm5_ret_t rc;

	memset(&ent, 0, sizeof ent);
	ent.principal = p;
	ent.kvno = kvno;
	rc = kadm5_modify_principal(k->handle, &ent, KADM5_KVNO);
	if (rc != 0)
		return kdc_fail(k->ctx, e, rc, "%s: could not set the key version of %s to %u",
				k->realm, name, (unsigned)kvno);
	return 0;
}

static int kdc_create(kdc *k, krb5_principal p, const char *name, char *pw, uint32_t kvno,
		      krb5_key_salt_tuple *ks, int nks, tm_error *e)
{
	kadm5_principal_ent_rec ent;
	kadm5_ret_t rc;

	memset(&ent, 0, sizeof ent);
	ent.principal = p;
	ent.kvno = kvno;
	rc = kadm5_create_principal_3(k->handle, &ent, KADM5_PRINCIPAL | KADM5_KVNO, nks, ks, pw);
	if (rc != 0)
		return kdc_fail(k->ctx, e, rc, "%s: could not create %s", k->realm, name);
	return 0;
}

static int kdc_chpass(kdc *k, krb5_principal p, const char *name, char *pw, int keepold,
		      krb5_key_salt_tuple *ks, int nks, tm_error *e)
{
	kadm5_ret_t rc;

	rc = kadm5_chpass_principal_3(k->handle, p, keepold ? TRUE : FALSE, nks, ks, pw);

	if (rc != 0)
		return kdc_fail(k->ctx, e, rc, "%s: could not change the key of %s",
				k->realm, name);
	return 0;
}

static int kdc_purge(kdc *k, krb5_principal p, const char *name, uint32_t keep, tm_error *e)
{
	kadm5_ret_t rc = kadm5_purgekeys(k->handle, p, (int)keep);

	if (rc != 0)
		return kdc_fail(k->ctx, e, rc, "%s: could not drop the keys of %s older than "
				"version %u", k->realm, name, (unsigned)keep);
	return 0;
}

/* The current keys become version kvno-1 (relabelled when needed: a
 * kvno change applies to every key held, so older ones are purged first),
 * then the new key is added at kvno with the previous one kept. */
static int kdc_rekey_keep(kdc *k, krb5_principal p, const char *name, char *pw,
			  uint32_t kvno, uint32_t cur, krb5_key_salt_tuple *ks, int nks,
			  tm_error *e)
{
	if (kdc_purge(k, p, name, cur, e))
		return -1;
	if (cur != kvno - 1 && kdc_set_kvno(k, p, name, kvno - 1, e))
		return -1;
	return kdc_chpass(k, p, name, pw, 1, ks, nks, e);
}

/* Read back the kvno; force it when the server picked another one. */
static int kdc_settle_kvno(kdc *k, krb5_principal p, const char *name, uint32_t kvno,
			   int keep, tm_error *e)
{
	kdc_entry en;
	int r = kdc_entry_get(k, p, name, &en, e);

	if (r > 0)
		return tm_fail(e, TM_EBACKEND, NULL, "%s: %s vanished while its key was set",
			       k->realm, name);
	if (r < 0 || en.max_kvno == kvno)
		return r;
	if (keep)
		return tm_fail(e, TM_EBACKEND, NULL, "%s: %s got key version %u instead of %u",
			       k->realm, name, (unsigned)en.max_kvno, (unsigned)kvno);
	return kdc_set_kvno(k, p, name, kvno, e);
}

static int kdc_key_apply(kdc *k, krb5_principal p, const char *name, char *pw,
			 uint32_t kvno, uint32_t bits, int keep, tm_error *e)
{
	krb5_key_salt_tuple ks[KEYS_MAX_PER_KVNO];
	int nks = kdc_ks_tuples(bits, ks, KEYS_MAX_PER_KVNO), r;
	kdc_entry en;

	/* No tuple at all would let kadmind pick the realm's defaults. */
	if (nks == 0)
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "%s: the encryption types 0x%x of %s name no AES or RC4 type",
			       k->realm, (unsigned)bits, name);
	r = kdc_entry_get(k, p, name, &en, e);
	if (r < 0)
		return -1;
	if (r > 0)
		r = kdc_create(k, p, name, pw, kvno, ks, nks, e);
	else if (keep && kvno > 1)
		r = kdc_rekey_keep(k, p, name, pw, kvno, en.max_kvno, ks, nks, e);
	else
		r = kdc_chpass(k, p, name, pw, 0, ks, nks, e);
	if (r == 0)
		r = kdc_settle_kvno(k, p, name, kvno, keep && kvno > 1, e);
	return r;
}

/* The body of kdc_key_set(), with SIGPIPE held off by the caller. */
static int kdc_key_set_run(kdc *k, const char *principal, const char *password, uint32_t kvno,
			   uint32_t bits, int keep_previous, tm_error *e)
{
	krb5_principal p = NULL;
	char name[KDC_NAME_MAX];
	char *pw;
	int r;

	if (kvno == 0)
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "%s: key version 0 is not valid for %s", k->realm, principal);
	kdc_begin(k);
	if (kdc_parse_e(k->ctx, principal, k->realm, &p, e))
		return -1;
	r = kdc_unparse(k->ctx, p, name, sizeof name, e);
	pw = r == 0 ? secret_dup(password) : NULL;
	if (r == 0 && !pw)
		r = kdc_nomem(e);
	if (r == 0)
		r = kdc_key_apply(k, p, name, pw, kvno, bits, keep_previous, e);
	secret_free(&pw);
	krb5_free_principal(k->ctx, p);
	return r;
}

/* Create or change principal's key from password at exactly kvno. */
int kdc_key_set(kdc *k, const char *principal, const char *password, uint32_t kvno,
		uint32_t bits, int keep_previous, tm_error *e)
{
	kdc_sigpipe sp;
	int r;

	kdc_sigpipe_hold(&sp);
	r = kdc_key_set_run(k, principal, password, kvno, bits, keep_previous, e);
	kdc_sigpipe_release(&sp);
	return r;
}

/* The body of kdc_key_delete(), with SIGPIPE held off by the caller. */
static int kdc_key_delete_run(kdc *k, const char *principal, tm_error *e)
{
	krb5_principal p = NULL;
	kadm5_ret_t rc;

	kdc_begin(k);
	if (kdc_parse_e(k->ctx, principal, k->realm, &p, e))
		return -1;
	rc = kadm5_delete_principal(k->handle, p);
	krb5_free_principal(k->ctx, p);
	if (rc != 0 && rc != KADM5_UNK_PRINC)
		return kdc_fail(k->ctx, e, rc, "%s: could not delete %s", k->realm, principal);
	return 0;
}

/* Delete principal; one that does not exist counts as deleted. */
int kdc_key_delete(kdc *k, const char *principal, tm_error *e)
{
	kdc_sigpipe sp;
	int r;

	kdc_sigpipe_hold(&sp);
	r = kdc_key_delete_run(k, principal, e);
	kdc_sigpipe_release(&sp);
	return r;
}

/* ------------------------------------------------------------ the one chance */

#define KDC_POLICY_MASK \
	(KADM5_PW_MAX_FAILURE | KADM5_PW_FAILURE_COUNT_INTERVAL | KADM5_PW_LOCKOUT_DURATION)

static void kdc_policy_fill(kadm5_policy_ent_rec *pol, char *name)
{
	memset(pol, 0, sizeof *pol);
	pol->policy = name;
	pol->pw_max_fail = 1;
	pol->pw_failcnt_interval = 0;
	pol->pw_lockout_duration = 0;
}

/* Create the permit policy, or correct one with other lockout settings. */
static int kdc_policy_write(kdc *k, int create, tm_error *e)
{
	char name[] = KDC_PERMIT_POLICY;
	kadm5_policy_ent_rec pol;
	kadm5_ret_t rc;

	kdc_policy_fill(&pol, name);
	rc = create ? kadm5_create_policy(k->handle, &pol, KADM5_POLICY | KDC_POLICY_MASK)
		    : kadm5_modify_policy(k->handle, &pol, KDC_POLICY_MASK);
	if (rc != 0)
		return kdc_fail(k->ctx, e, rc, "%s: could not %s the password policy %s "
				"(maxfailure 1)", k->realm, create ? "create" : "correct", name);
	return 0;
}

/* The policy exists with maxfailure 1, no failure count interval and no
 * lockout duration: the first wrong password locks for good. */
static int kdc_policy_ensure(kdc *k, tm_error *e)
{
	char name[] = KDC_PERMIT_POLICY;
	kadm5_policy_ent_rec pol;
	kadm5_ret_t rc;
	int ok;

	memset(&pol, 0, sizeof pol);
	rc = kadm5_get_policy(k->handle, name, &pol);
	if (rc == KADM5_UNK_POLICY)
		return kdc_policy_write(k, 1, e);
	if (rc != 0)
		return kdc_fail(k->ctx, e, rc, "%s: could not read the password policy %s",
				k->realm, name);
	ok = pol.pw_max_fail == 1 && pol.pw_failcnt_interval == 0 &&
	     pol.pw_lockout_duration == 0;
	kadm5_free_policy_ent(k->handle, &pol);
	return ok ? 0 : kdc_policy_write(k, 0, e);
}

static int kdc_arm(kdc *k, krb5_principal p, const char *name, tm_error *e)
{
	char policy[] = KDC_PERMIT_POLICY;
	kadm5_principal_ent_rec ent;
	kdc_entry en;
	kadm5_ret_t rc;
	int r = kdc_entry_get(k, p, name, &en, e);

	if (r > 0)
		return tm_fail(e, TM_EBACKEND, ST_NO_TRUST_SAM_ACCOUNT,
			       "%s: %s does not exist, so it cannot be permitted", k->realm, name);
	if (r < 0)
		return -1;
	memset(&ent, 0, sizeof ent);
	ent.principal = p;
	ent.policy = policy;
	ent.attributes = en.attributes | KRB5_KDB_REQUIRES_PRE_AUTH;
	ent.fail_auth_count = 0;
	rc = kadm5_modify_principal(k->handle, &ent,
				    KADM5_POLICY | KADM5_ATTRIBUTES | KADM5_FAIL_AUTH_COUNT);
	if (rc != 0)
		return kdc_fail(k->ctx, e, rc, "%s: could not put %s under the policy %s",
				k->realm, name, policy);
	return 0;
}

/* The body of kdc_permit_arm(), with SIGPIPE held off by the caller. */
static int kdc_permit_arm_run(kdc *k, const char *principal, tm_error *e)
{
	krb5_principal p = NULL;
	int r;

	kdc_begin(k);
	if (kdc_parse_e(k->ctx, principal, k->realm, &p, e))
		return -1;
	r = kdc_policy_ensure(k, e);
	if (r == 0)
		r = kdc_arm(k, p, principal, e);
	krb5_free_principal(k->ctx, p);
	return r;
}

/* Put principal under the one-chance policy with requires_preauth and no
 * failures counted yet. */
int kdc_permit_arm(kdc *k, const char *principal, tm_error *e)
{
	kdc_sigpipe sp;
	int r;

	kdc_sigpipe_hold(&sp);
	r = kdc_permit_arm_run(k, principal, e);
	kdc_sigpipe_release(&sp);
	return r;
}

/* The body of kdc_permit_state(), with SIGPIPE held off by the caller. */
static int kdc_permit_state_run(kdc *k, const char *principal, int *armed, int *locked, tm_error *e)
{
	krb5_principal p = NULL;
	kdc_entry en;
	int r;

	*armed = *locked = 0;
	kdc_begin(k);
	if (kdc_parse_e(k->ctx, principal, k->realm, &p, e))
		return -1;
	r = kdc_entry_get(k, p, principal, &en, e);
	krb5_free_principal(k->ctx, p);
	if (r > 0)
		return tm_fail(e, TM_EBACKEND, ST_NO_TRUST_SAM_ACCOUNT,
			       "%s: %s does not exist", k->realm, principal);
	if (r < 0)
		return -1;
	*armed = strcmp(en.policy, KDC_PERMIT_POLICY) == 0;
	*locked = *armed && en.fail_count >= 1;
	return 0;
}

/* Whether principal is under the one-chance policy, and whether its
 * chance has been used (a failed attempt counted by the KDC). */
int kdc_permit_state(kdc *k, const char *principal, int *armed, int *locked, tm_error *e)
{
	kdc_sigpipe sp;
	int r;

	kdc_sigpipe_hold(&sp);
	r = kdc_permit_state_run(k, principal, armed, locked, e);
	kdc_sigpipe_release(&sp);
	return r;
}

/* ------------------------------------------------------------ client side */

/* The key version and enctype of the ticket in creds (the service's key). */
static int kdc_ticket_kvno(krb5_context ctx, const krb5_creds *creds, uint32_t *kvno,
			   int32_t *enctype, tm_error *e)
{
	krb5_ticket *t = NULL;
	krb5_error_code rc = krb5_decode_ticket(&creds->ticket, &t);

	if (rc != 0)
		return kdc_fail(ctx, e, rc, "could not decode a ticket");
	if (kvno)
		*kvno = t->enc_part.kvno;
	if (enctype)
		*enctype = t->enc_part.enctype;
	krb5_free_ticket(ctx, t);
	return 0;
}

/* Principal for a client operation: realm added when missing; a different
 * realm is refused (the AS exchange goes to the principal's own realm). */
static int kdc_client_principal(kdc_client *c, const char *principal, const char *realm,
				krb5_principal *p, char *name, size_t n, tm_error *e)
{
	if (kdc_parse_e(c->ctx, principal, realm, p, e))
		return -1;
	if (!kdc_data_is(&(*p)->realm, realm)) {
		krb5_free_principal(c->ctx, *p);
		*p = NULL;
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "%s is not a principal of realm %s", principal, realm);
	}
	return kdc_unparse(c->ctx, *p, name, n, e);
}

/* AS exchange as p with password for service (NULL: the realm's TGT). */
static krb5_error_code kdc_as(kdc_client *c, krb5_principal p, const char *password,
			      const char *service, krb5_deltat life, krb5_creds *creds)
{
	krb5_get_init_creds_opt *opt = NULL;
	krb5_error_code rc;

	memset(creds, 0, sizeof *creds);
	rc = krb5_get_init_creds_opt_alloc(c->ctx, &opt);
	if (rc != 0)
		return rc;
	if (life > 0) {
		krb5_get_init_creds_opt_set_tkt_life(opt, life);
		krb5_get_init_creds_opt_set_renew_life(opt, 0);
		krb5_get_init_creds_opt_set_forwardable(opt, 0);
		krb5_get_init_creds_opt_set_proxiable(opt, 0);
	}
	rc = krb5_get_init_creds_password(c->ctx, creds, p, password, NULL, NULL, 0,
					  service, opt);
	krb5_get_init_creds_opt_free(c->ctx, opt);
	return rc;
}

/* 1 wrong password, 2 locked or revoked, 3 unknown principal, 0 other. */
static int kdc_prove_class(krb5_error_code rc)
{
	switch (rc) {
	case KRB5KDC_ERR_PREAUTH_FAILED:
	case KRB5KRB_AP_ERR_BAD_INTEGRITY:
		return 1;
	case KRB5KDC_ERR_CLIENT_REVOKED:
		return 2;
	case KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN:
		return 3;
	default:
		return 0;
	}
}

/* A ticket for the principal itself carries its current kvno. */
static int kdc_prove_as(kdc_client *c, krb5_principal p, const char *name,
			const char *password, int *res, uint32_t *kvno, tm_error *e)
{
	krb5_creds creds;
	krb5_error_code rc = kdc_as(c, p, password, name, 0, &creds);
	int r = 0;

	if (rc == 0) {
		*res = 0;
		if (kvno)
			r = kdc_ticket_kvno(c->ctx, &creds, kvno, NULL, e);
		krb5_free_cred_contents(c->ctx, &creds);
		return r;
	}
	*res = kdc_prove_class(rc);
	if (*res)
		return 0;
	return kdc_fail(c->ctx, e, rc, "could not log in as %s", name);
}

/* The body of kdc_prove(), with SIGPIPE held off by the caller. */
static int kdc_prove_run(const char *realm, const char *principal, const char *password, int *res,
			 uint32_t *kvno, int timeout, tm_error *e)
{
	kdc_client c = { 0 };
	krb5_principal p = NULL;
	char name[KDC_NAME_MAX];
	int r;

	*res = 0;
	if (kvno)
		*kvno = 0;
	if (kdc_client_open(&c, timeout, e))
		return -1;
	r = kdc_client_principal(&c, principal, realm, &p, name, sizeof name, e);
	if (r == 0)
		r = kdc_prove_as(&c, p, name, password, res, kvno, e);
	if (p)
		krb5_free_principal(c.ctx, p);
	kdc_client_close(&c);
	return r;
}

/* AS exchange as principal with password: right, wrong, locked or unknown. */
int kdc_prove(const char *realm, const char *principal, const char *password, int *res,
	      uint32_t *kvno, int timeout, tm_error *e)
{
	kdc_sigpipe sp;
	int r;

	kdc_sigpipe_hold(&sp);
	r = kdc_prove_run(realm, principal, password, res, kvno, timeout, e);
	kdc_sigpipe_release(&sp);
	return r;
}

/* Explain a login for a password change that the KDC refused. */
static int kdc_change_login_failed(kdc_client *c, krb5_error_code rc, const char *name,
				   tm_error *e)
{
	static const char *const why[] = { "", "the old password is wrong",
					   "the principal is locked",
					   "the principal does not exist" };
	int cls = kdc_prove_class(rc);

	kdc_fail(c->ctx, e, rc, "could not log in as %s to change its password%s%s", name,
		 cls ? ": " : "", why[cls]);
	if (cls && e)
		e->cls = TM_EFAIL;
	return -1;
}

/* Decode the kpasswd reply: 0 when the server accepted the change. */
static int kdc_change_result(kdc_client *c, const char *name, int code,
			     krb5_data *code_str, krb5_data *result, tm_error *e)
{
	char *msg = NULL;

	if (code == KRB5_KPASSWD_SUCCESS)
		return 0;
	if (krb5_chpw_message(c->ctx, result, &msg) != 0)
		msg = NULL;
	tm_fail(e, TM_EFAIL, NULL, "the kpasswd service refused to change the password of %s: "
		"%.*s%s%s", name, (int)code_str->length, code_str->data ? code_str->data : "",
		msg && *msg ? ": " : "", msg ? msg : "");
	krb5_free_string(c->ctx, msg);
	return -1;
}

/* kpasswd (RFC 3244) with a kadmin/changepw ticket got with old_pw. */
static int kdc_change_pw(kdc_client *c, krb5_principal p, const char *name,
			 const char *old_pw, const char *new_pw, tm_error *e)
{
	krb5_creds creds;
	krb5_data code_str = { 0 }, result = { 0 };
	krb5_error_code rc;
	int code = 0, r;

	rc = kdc_as(c, p, old_pw, KADM5_CHANGEPW_SERVICE, KDC_CHANGEPW_LIFE, &creds);
	if (rc != 0)
		return kdc_change_login_failed(c, rc, name, e);
	rc = krb5_change_password(c->ctx, &creds, new_pw, &code, &code_str, &result);
	krb5_free_cred_contents(c->ctx, &creds);
	if (rc != 0)
		r = kdc_fail(c->ctx, e, rc, "could not reach the kpasswd service of %.*s to change "
			     "the password of %s", (int)p->realm.length, p->realm.data, name);
	else
		r = kdc_change_result(c, name, code, &code_str, &result, e);
	krb5_free_data_contents(c->ctx, &code_str);
	krb5_free_data_contents(c->ctx, &result);
	return r;
}

/* After the change: log in with the new password to learn the new kvno. */
static int kdc_change_kvno(kdc_client *c, krb5_principal p, const char *name,
			   const char *new_pw, uint32_t *kvno, tm_error *e)
{
	int res = 0;

	if (kdc_prove_as(c, p, name, new_pw, &res, kvno, e))
		return -1;
	if (res != 0)
		return tm_fail(e, TM_EBACKEND, NULL, "the password of %s was changed, but a login "
			       "with the new one then failed (%s)", name, res == 2 ? "locked" :
			       res == 3 ? "unknown principal" : "wrong password");
	return 0;
}

/* The body of kdc_change(), with SIGPIPE held off by the caller. */
static int kdc_change_run(const char *realm, const char *principal, const char *old_pw,
			  const char *new_pw, uint32_t *kvno, int timeout, tm_error *e)
{
	kdc_client c = { 0 };
	krb5_principal p = NULL;
	char name[KDC_NAME_MAX];
	uint32_t v = 0;
	int r;

	if (kdc_client_open(&c, timeout, e))
		return -1;
	r = kdc_client_principal(&c, principal, realm, &p, name, sizeof name, e);
	if (r == 0)
		r = kdc_change_pw(&c, p, name, old_pw, new_pw, e);
	if (r == 0)
		r = kdc_change_kvno(&c, p, name, new_pw, &v, e);
	if (r == 0 && kvno)
		*kvno = v;
	if (p)
		krb5_free_principal(c.ctx, p);
	kdc_client_close(&c);
	return r;
}

/* Change principal's password from old_pw to new_pw through kpasswd. */
int kdc_change(const char *realm, const char *principal, const char *old_pw,
	       const char *new_pw, uint32_t *kvno, int timeout, tm_error *e)
{
	kdc_sigpipe sp;
	int r;

	kdc_sigpipe_hold(&sp);
	r = kdc_change_run(realm, principal, old_pw, new_pw, kvno, timeout, e);
	kdc_sigpipe_release(&sp);
	return r;
}

/* ------------------------------------------------------------ verify */

/* The verify state: a client of the trusted realm with a memory cache. */
typedef struct kdc_verify_ctx {
	kdc_client c;
	krb5_ccache cc;
	krb5_principal client;
	const cfg_domain *trusting;
	const cfg_domain *trusted;
	verify_result *r;
} kdc_verify_ctx;

static void kdc_verify_init(verify_result *r, const cfg_domain *trusting,
			    const cfg_domain *trusted)
{
	memset(r, 0, sizeof *r);
	r->outcome = VERIFY_OK;
	snprintf(r->trusting, sizeof r->trusting, "%s", trusting->dom.name);
	snprintf(r->trusted, sizeof r->trusted, "%s", trusted->dom.name);
}

/* Which credentials of the trusted side to use: the verify principal, else
 * the kadmin principal. Returns 0 with the names set, -1 when none. */
static int kdc_verify_creds(const cfg_domain *d, const char **who, const char **keytab,
			    const char **pwfile, const char **key, tm_error *e)
{
	int v = d->verify_principal[0] && (d->verify_keytab[0] || d->verify_password_file[0]);

	*who = v ? d->verify_principal : d->kadmin_principal;
	*keytab = v ? d->verify_keytab : d->kadmin_keytab;
	*pwfile = v ? d->verify_password_file : d->kadmin_password_file;
	*key = v ? "verify_password_file" : "kadmin_password_file";
	if ((*who)[0] && ((*keytab)[0] || (*pwfile)[0]))
		return 0;
	return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
		       "domain %s: no credentials to verify with: set verify_principal with "
		       "verify_password_file or verify_keytab (or kadmin_principal with its "
		       "password file or keytab)", d->dom.name);
}

static krb5_error_code kdc_tgt_keytab(kdc_verify_ctx *v, const char *path, krb5_creds *creds)
{
	krb5_keytab kt = NULL;
	krb5_error_code rc = krb5_kt_resolve(v->c.ctx, path, &kt);

	if (rc != 0)
		return rc;
	memset(creds, 0, sizeof *creds);
	rc = krb5_get_init_creds_keytab(v->c.ctx, creds, v->client, kt, 0, NULL, NULL);
	krb5_kt_close(v->c.ctx, kt);
	return rc;
}

static int kdc_tgt_password(kdc_verify_ctx *v, const char *path, const char *key,
			    krb5_creds *creds, krb5_error_code *rc, tm_error *e)
{
	char *pw = NULL;

	if (cfg_read_secret(path, key, v->trusted, &pw, e))
		return -1;
	*rc = kdc_as(&v->c, v->client, pw, NULL, 0, creds);
	secret_free(&pw);
	return 0;
}

/* Store creds as the first ticket of the memory cache. */
static krb5_error_code kdc_cache_init(kdc_verify_ctx *v, krb5_creds *creds)
{
	krb5_error_code rc = krb5_cc_new_unique(v->c.ctx, "MEMORY", NULL, &v->cc);

	if (rc == 0)
		rc = krb5_cc_initialize(v->c.ctx, v->cc, v->client);
	if (rc == 0)
		rc = krb5_cc_store_cred(v->c.ctx, v->cc, creds);
	return rc;
}

/* Unreachable KDC: record it as the outcome, on the domain named. */
static int kdc_unreachable(kdc_verify_ctx *v, krb5_error_code rc, const cfg_domain *d)
{
	v->r->outcome = VERIFY_UNREACHABLE;
	snprintf(v->r->missing_on, sizeof v->r->missing_on, "%s", d->dom.name);
	kdc_message(v->c.ctx, rc, v->r->detail, sizeof v->r->detail);
	return 1;
}

static int kdc_is_unreachable(krb5_error_code rc)
{
	return rc == KRB5_KDC_UNREACH || rc == KRB5_REALM_CANT_RESOLVE;
}

/* A TGT of the trusted realm: 0 done, 1 outcome recorded, -1 error. */
static int kdc_verify_tgt(kdc_verify_ctx *v, tm_error *e)
{
	const char *who, *keytab, *pwfile, *key;
	krb5_creds creds;
	krb5_error_code rc;

	if (kdc_verify_creds(v->trusted, &who, &keytab, &pwfile, &key, e) ||
	    kdc_parse_e(v->c.ctx, who, v->trusted->dom.realm, &v->client, e))
		return -1;
	memset(&creds, 0, sizeof creds);
	if (keytab[0])
		rc = kdc_tgt_keytab(v, keytab, &creds);
	else if (kdc_tgt_password(v, pwfile, key, &creds, &rc, e))
		return -1;
	if (kdc_is_unreachable(rc))
		return kdc_unreachable(v, rc, v->trusted);
	if (rc != 0)
		return kdc_fail(v->c.ctx, e, rc, "domain %s: could not log in as %s to verify "
				"the trust", v->trusted->dom.name, who);
	rc = kdc_cache_init(v, &creds);
	krb5_free_cred_contents(v->c.ctx, &creds);
	if (rc != 0)
		return kdc_fail(v->c.ctx, e, rc, "could not make a memory credential cache");
	return 0;
}

/* A service ticket from the cache's client for server. */
static krb5_error_code kdc_get_ticket(kdc_verify_ctx *v, krb5_principal server,
				      krb5_creds *out)
{
	krb5_creds in, *got = NULL;
	krb5_error_code rc;

	memset(&in, 0, sizeof in);
	in.client = v->client;
	in.server = server;
	rc = krb5_get_credentials(v->c.ctx, 0, v->cc, &in, &got);
	if (rc == 0) {
		*out = *got;
		free(got);
	}
	return rc;
}

/* An error of a ticket request as an outcome; -1 when none fits. */
static int kdc_classify(krb5_error_code rc, const char *detail)
{
	switch (rc) {
	case KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN:
		return VERIFY_MISSING_PRINCIPAL;
	case KRB5KRB_AP_ERR_BADKEYVER:
	case KRB5KRB_AP_ERR_NOKEY:
		return VERIFY_NO_MATCHING_KVNO;
	case KRB5KRB_AP_ERR_BAD_INTEGRITY:
		return VERIFY_DECRYPT_INTEGRITY;
	case KRB5KDC_ERR_ETYPE_NOSUPP:
		return VERIFY_NO_COMMON_ENCTYPE;
	case KRB5_KDC_UNREACH:
	case KRB5_REALM_CANT_RESOLVE:
		return VERIFY_UNREACHABLE;
	default:
		break;
	}
	/* "No matching key in entry" on the KDC: KRB_ERR_GENERIC + PROCESS_TGS. */
	if (strstr(detail, "PROCESS_TGS"))
		return VERIFY_NO_MATCHING_KVNO;
	return -1;
}

/* Record a failed ticket request at the KDC of d: 1, or -1 when unknown. */
static int kdc_verify_failed(kdc_verify_ctx *v, krb5_error_code rc, const cfg_domain *d,
			     const char *asked, tm_error *e)
{
	int o;

	kdc_message(v->c.ctx, rc, v->r->detail, sizeof v->r->detail);
	o = kdc_classify(rc, v->r->detail);
	if (o < 0)
		return kdc_fail(v->c.ctx, e, rc, "the KDC of %s refused a ticket for %s",
				d->dom.realm, asked);
	v->r->outcome = (verify_outcome)o;
	snprintf(v->r->missing_on, sizeof v->r->missing_on, "%s", d->dom.name);
	return 1;
}

/* Step 1: the referral krbtgt/TRUSTING@TRUSTED from the trusted KDC. */
static int kdc_verify_referral(kdc_verify_ctx *v, tm_error *e)
{
	krb5_principal server = NULL;
	krb5_creds tgt;
	krb5_error_code rc;
	int r;

	rc = krb5_parse_name(v->c.ctx, v->r->principal, &server);
	if (rc != 0)
		return kdc_fail(v->c.ctx, e, rc, "'%s' is not a valid principal", v->r->principal);
	rc = kdc_get_ticket(v, server, &tgt);
	krb5_free_principal(v->c.ctx, server);
	if (rc != 0)
		return kdc_verify_failed(v, rc, v->trusted, v->r->principal, e);
	r = kdc_ticket_kvno(v->c.ctx, &tgt, &v->r->issuer_kvno, &v->r->enctype, e);
	krb5_free_cred_contents(v->c.ctx, &tgt);
	return r;
}

/* Step 2: a service ticket of the trusting realm with that referral. */
static int kdc_verify_service(kdc_verify_ctx *v, char *asked, size_t n, tm_error *e)
{
	const char *svc = v->trusting->verify_service[0] ? v->trusting->verify_service
							: KDC_VERIFY_DEFAULT_SERVICE;
	krb5_principal server = NULL;
	krb5_creds tkt;
	krb5_error_code rc;

	if (kdc_parse_e(v->c.ctx, svc, v->trusting->dom.realm, &server, e) ||
	    kdc_unparse(v->c.ctx, server, asked, n, e)) {
		krb5_free_principal(v->c.ctx, server);
		return -1;
	}
	rc = kdc_get_ticket(v, server, &tkt);
	krb5_free_principal(v->c.ctx, server);
	if (rc == 0) {
		krb5_free_cred_contents(v->c.ctx, &tkt);
		return 0;
	}
	/* The KDC opens the referral ticket before it looks at the service's
	 * own rules: a policy refusal (kadmin/admin is DISALLOW_TGT_BASED)
	 * means the trust key worked. */
	if (rc == KRB5KDC_ERR_POLICY) {
		snprintf(v->r->detail, sizeof v->r->detail, "the KDC of %.60s opened the "
			 "referral, then refused %.120s by its own policy",
			 v->trusting->dom.realm, asked);
		return 0;
	}
	return kdc_verify_failed(v, rc, v->trusting, asked, e);
}

/* What the trusting KDC holds for the trust principal, through kadmin
 * (when its credentials are configured): 0, 1 no such principal, -1. */
static int kdc_acceptor_keys(kdc_verify_ctx *v, kdc_entry *en)
{
	tm_error ignored;
	krb5_principal p = NULL;
	kdc *k = kdc_open_run(v->trusting, v->c.clock.seconds, &ignored);
	int r = -1;

	if (!k)
		return -1;
	if (krb5_parse_name(k->ctx, v->r->principal, &p) == 0) {
		r = kdc_entry_get(k, p, v->r->principal, en, &ignored);
		krb5_free_principal(k->ctx, p);
	}
	kdc_close_run(&k);
	return r;
}

/* Add text to the library's words in r->detail (truncated to fit). */
static void kdc_detail_append(verify_result *r, const char *text)
{
	size_t len = strlen(r->detail), add = strlen(text);

	if (len + add >= sizeof r->detail)
		add = sizeof r->detail - len - 1;
	memcpy(r->detail + len, text, add);
	r->detail[len + add] = '\0';
}

static int kdc_entry_has(const kdc_entry *en, uint32_t kvno, int32_t enctype)
{
	size_t i;

	for (i = 0; i < en->nkeys; i++)
		if (en->kvno[i] == kvno && (enctype == 0 || en->enctype[i] == enctype))
			return 1;
	return 0;
}

/* The trusting KDC refused the referral: refine with what it holds. A
 * generic "No matching key" with a key of the issuer's kvno but not of its
 * enctype is an enctype mismatch. A missing service is not a trust fault. */
static int kdc_verify_refine(kdc_verify_ctx *v, const char *asked, tm_error *e)
{
	char note[NAME_DNS_MAX + sizeof v->r->principal + 64];
	kdc_entry en;
	int r = kdc_acceptor_keys(v, &en);

	if (r < 0)
		return 0;
	if (r > 0) {
		v->r->outcome = VERIFY_MISSING_PRINCIPAL;
		snprintf(note, sizeof note, "; the KDC of %s has no %s to open the referral with",
			 v->trusting->dom.realm, v->r->principal);
		kdc_detail_append(v->r, note);
		return 0;
	}
	v->r->acceptor_kvno = en.max_kvno;
	if (v->r->outcome == VERIFY_MISSING_PRINCIPAL)
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "the trust key %s works, but realm %s has no principal %s to ask "
			       "a ticket for: set verify_service of domain %s to a service that "
			       "exists", v->r->principal, v->trusting->dom.realm, asked,
			       v->trusting->dom.name);
	if (v->r->outcome == VERIFY_NO_MATCHING_KVNO &&
	    kdc_entry_has(&en, v->r->issuer_kvno, 0) &&
	    !kdc_entry_has(&en, v->r->issuer_kvno, v->r->enctype))
		v->r->outcome = VERIFY_NO_COMMON_ENCTYPE;
	return 0;
}

static int kdc_verify_steps(kdc_verify_ctx *v, tm_error *e)
{
	char asked[KDC_NAME_MAX] = "";
	int r;

	if (strcmp(v->trusting->dom.realm, v->trusted->dom.realm) == 0)
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "domains %s and %s share the "
			       "realm %s: there is no trust between them to verify",
			       v->trusting->dom.name, v->trusted->dom.name, v->trusted->dom.realm);
	if (keys_trust_principal(v->trusting->dom.realm, v->trusted->dom.realm,
				 v->r->principal, sizeof v->r->principal, e))
		return -1;
	r = kdc_verify_tgt(v, e);
	if (r == 0)
		r = kdc_verify_referral(v, e);
	if (r == 0)
		r = kdc_verify_service(v, asked, sizeof asked, e);
	if (r == 1 && v->r->outcome != VERIFY_UNREACHABLE &&
	    strcmp(v->r->missing_on, v->trusting->dom.name) == 0)
		r = kdc_verify_refine(v, asked, e);
	return r < 0 ? -1 : 0;
}

/* The body of kdc_verify(), with SIGPIPE held off by the caller. */
static int kdc_verify_run(const cfg_domain *trusting, const cfg_domain *trusted, int timeout,
			  verify_result *r, tm_error *e)
{
	kdc_verify_ctx v;
	int rc;

	memset(&v, 0, sizeof v);
	v.trusting = trusting;
	v.trusted = trusted;
	v.r = r;
	kdc_verify_init(r, trusting, trusted);
	if (kdc_client_open(&v.c, timeout, e))
		return -1;
	rc = kdc_verify_steps(&v, e);
	if (v.cc)
		krb5_cc_destroy(v.c.ctx, v.cc);
	if (v.client)
		krb5_free_principal(v.c.ctx, v.client);
	kdc_client_close(&v.c);
	return rc;
}

/* Real tickets across "trusting trusts trusted", classified. */
int kdc_verify(const cfg_domain *trusting, const cfg_domain *trusted, int timeout,
	       verify_result *r, tm_error *e)
{
	kdc_sigpipe sp;
	int rc;

	kdc_sigpipe_hold(&sp);
	rc = kdc_verify_run(trusting, trusted, timeout, r, e);
	kdc_sigpipe_release(&sp);
	return rc;
}
