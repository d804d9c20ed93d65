/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* kdc_watch.c - the call guard every public kdc_* function runs in
 * (kdc_internal.h): SIGPIPE held off, and a watchdog thread that bounds the
 * call by the configured timeout.
 *
 * Why a watchdog: libkrb5 1.20 waits up to 27 s for a KDC that accepted a
 * request and went silent (its sendto loop has no setting), kpasswd the
 * same, and the kadm5 client waits up to an hour for an RPC answer of a
 * kadmind that hangs in the middle of a session. None of them offers a
 * timeout or the socket. So the guard notes which descriptors are open when
 * the call starts; once the call's deadline has passed, the watchdog shuts
 * down (shutdown(2), not close) every socket the call opened since, and the
 * session's kadmind socket, and keeps doing so every 100 ms until the call
 * returns. The library then sees the connection closed, gives up and
 * returns an error, which the caller replaces with a message naming the
 * server that did not answer and the timeout (kdc_watch_fail).
 */
#include "backend/kdc/kdc_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <profile.h>

#define KDC_WATCH_FDS 1024            /* descriptors looked at */
#define KDC_WATCH_GRACE_MS 250        /* after the deadline: the library's own end first */
#define KDC_WATCH_AGAIN_MS 100        /* then cut new sockets this often */

struct kdc_watch {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	struct timespec deadline;
	int stop;
	int cut;                                  /* sockets shut down */
	unsigned char before[KDC_WATCH_FDS / 8];  /* open when the call began */
	int keep[KDC_MAX_SOCKS];                  /* old sockets to cut too */
	size_t nkeep;
	struct sockaddr_storage peer;             /* the first socket cut */
	socklen_t peerlen;
	char realms[2][NAME_DNS_MAX];             /* the call's realms ("": any) */
};

struct kdc_role;
static int kdc_find_server(profile_t prof, const char *host, const char *port,
			   const struct kdc_role **role, char *realm, size_t n);
static int kdc_role_is_admin(const struct kdc_role *role);

/* ------------------------------------------------------------ descriptors */

static int kdc_bit(const unsigned char *set, int fd)
{
	return (set[fd / 8] >> (fd % 8)) & 1;
}

/* The open descriptors below KDC_WATCH_FDS, from /proc/self/fd (a few
 * getdents calls); without /proc, asked one by one. */
static void kdc_note_open(unsigned char *set)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int fd;

	memset(set, 0, KDC_WATCH_FDS / 8);
	if (!d) {
		for (fd = 0; fd < KDC_WATCH_FDS; fd++)
			if (fcntl(fd, F_GETFD) != -1)
				set[fd / 8] |= (unsigned char)(1u << (fd % 8));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char *end;
		long v = strtol(de->d_name, &end, 10);

		if (*end == '\0' && end != de->d_name && v >= 0 && v < KDC_WATCH_FDS &&
		    v != dirfd(d))
			set[v / 8] |= (unsigned char)(1u << (v % 8));
	}
	closedir(d);
}

static int kdc_is_socket(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

static int kdc_kept(const struct kdc_watch *w, int fd)
{
	size_t i;

	for (i = 0; i < w->nkeep; i++)
		if (w->keep[i] == fd)
			return 1;
	return 0;
}

/* Is fd, connected to ss, this call's to cut? Its kept sockets are; so is
 * every socket to a KDC or kpasswd server krb5.conf names for one of the
 * call's realms. Other threads' calls run meanwhile (the steps of two
 * domains side by side, backend/os/parallel.h): their sockets to other
 * realms' servers, and other sessions' kadmin sockets, are not this
 * call's, and a descriptor number open when the call began may since be
 * one of this call's, so the servers decide, not the numbers. A server
 * krb5.conf does not name (DNS records), or a call whose realms are not
 * known, falls back on the numbers: the sockets opened since it began. */
static int kdc_ours(const struct kdc_watch *w, int fd, const struct sockaddr_storage *ss,
		    socklen_t len, profile_t prof)
{
	const struct kdc_role *role;
	char host[NI_MAXHOST], port[32], realm[NAME_DNS_MAX];

	if (kdc_kept(w, fd))
		return 1;
	if (!w->realms[0][0] || !prof ||
	    getnameinfo((const struct sockaddr *)ss, len, host, sizeof host, port, sizeof port,
			NI_NUMERICHOST | NI_NUMERICSERV) != 0 ||
	    kdc_find_server(prof, host, port, &role, realm, sizeof realm) != 0)
		return !kdc_bit(w->before, fd);
	return (strcmp(realm, w->realms[0]) == 0 || strcmp(realm, w->realms[1]) == 0) &&
	       !kdc_role_is_admin(role);
}

/* Shut down the sockets the call opened and the kept ones (mutex held). */
static void kdc_cut(struct kdc_watch *w)
{
	struct sockaddr_storage ss;
	krb5_context ctx = NULL;
	profile_t prof = NULL;
	socklen_t len;
	int fd;

	if (w->realms[0][0] && krb5_init_context(&ctx) == 0)
		krb5_get_profile(ctx, &prof);
	for (fd = 0; fd < KDC_WATCH_FDS; fd++) {
		if (!kdc_is_socket(fd))
			continue;
		len = sizeof ss;
		if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0)
			continue;          /* not connected, or already cut */
		if (!kdc_ours(w, fd, &ss, len, prof))
			continue;
		if (shutdown(fd, SHUT_RDWR) != 0)
			continue;
		if (w->cut++ == 0) {
			w->peer = ss;
			w->peerlen = len;
		}
	}
	if (prof)
		profile_release(prof);
	if (ctx)
		krb5_free_context(ctx);
}

/* ------------------------------------------------------------ the thread */

static void kdc_ts_add_ms(struct timespec *t, long ms)
{
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

static int kdc_ts_passed(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

static void *kdc_watch_run(void *arg)
{
	struct kdc_watch *w = arg;

	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		pthread_cond_timedwait(&w->cv, &w->mu, &w->deadline);
		if (w->stop || !kdc_ts_passed(&w->deadline))
			continue;
		kdc_cut(w);
		kdc_ts_add_ms(&w->deadline, KDC_WATCH_AGAIN_MS);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static struct kdc_watch *kdc_watch_new(int seconds, const int *keep, size_t nkeep,
				       const char *realm, const char *realm2)
{
	struct kdc_watch *w = calloc(1, sizeof *w);
	pthread_condattr_t ca;

	if (!w || pthread_condattr_init(&ca) != 0) {
		free(w);
		return NULL;
	}
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	kdc_note_open(w->before);
	snprintf(w->realms[0], sizeof w->realms[0], "%s", realm ? realm : "");
	snprintf(w->realms[1], sizeof w->realms[1], "%s", realm2 ? realm2 : "");
	for (; w->nkeep < nkeep && w->nkeep < KDC_MAX_SOCKS; w->nkeep++)
		w->keep[w->nkeep] = keep[w->nkeep];
	clock_gettime(CLOCK_MONOTONIC, &w->deadline);
	kdc_ts_add_ms(&w->deadline, (long)seconds * 1000 + KDC_WATCH_GRACE_MS);
	if (pthread_mutex_init(&w->mu, NULL) == 0 && pthread_cond_init(&w->cv, &ca) == 0 &&
	    pthread_create(&w->thread, NULL, kdc_watch_run, w) == 0) {
		pthread_condattr_destroy(&ca);
		return w;
	}
	/* No thread: the call runs unguarded, as the library alone would. */
	pthread_condattr_destroy(&ca);
	free(w);
	return NULL;
}

/* ------------------------------------------------------------ the guard */

/* Begin a guarded call of at most seconds (the default when <= 0); keep:
 * sockets opened earlier (a kadm5 session's) to cut as well; realm and
 * realm2 (NULL: not known): the realms whose servers the call talks to. */
void kdc_watch_begin(kdc_guard *g, int seconds, const int *keep, size_t nkeep,
		     const char *realm, const char *realm2)
{
	memset(g, 0, sizeof *g);
	g->seconds = seconds > 0 ? seconds : KDC_DEFAULT_TIMEOUT;
	sigpipe_hold(&g->sp);
	g->w = kdc_watch_new(g->seconds, keep, nkeep, realm, realm2);
}

/* How many sockets the watchdog has cut so far in this call. */
int kdc_watch_fired(const kdc_guard *g)
{
	int n;

	if (!g->w)
		return 0;
	pthread_mutex_lock(&g->w->mu);
	n = g->w->cut;
	pthread_mutex_unlock(&g->w->mu);
	return n;
}

/* Sockets open now that were not when the call began (at most max). */
/* Is fd connected to peer (address and port)? */
static int kdc_connected_to(int fd, const struct sockaddr_storage *peer, socklen_t plen)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	memset(&ss, 0, sizeof ss);
	return getpeername(fd, (struct sockaddr *)&ss, &len) == 0 && len == plen &&
	       memcmp(&ss, peer, plen) == 0;
}

size_t kdc_watch_new_sockets(const kdc_guard *g, int *out, size_t max,
			     const struct sockaddr_storage *peer, socklen_t plen)
{
	unsigned char now[KDC_WATCH_FDS / 8];
	size_t n = 0;
	int fd;

	if (!g->w)
		return 0;
	kdc_note_open(now);
	/* With the peer known, its sockets whatever their numbers (one may
	 * reuse a number another thread's socket had when the call began). */
	for (fd = 0; fd < KDC_WATCH_FDS && n < max; fd++)
		if (kdc_bit(now, fd) && kdc_is_socket(fd) &&
		    (plen ? kdc_connected_to(fd, peer, plen) : !kdc_bit(g->w->before, fd)))
			out[n++] = fd;
	return n;
}

/* End the call: stop the watchdog, restore the signal mask. */
void kdc_watch_end(kdc_guard *g)
{
	if (g->w) {
		pthread_mutex_lock(&g->w->mu);
		g->w->stop = 1;
		pthread_cond_signal(&g->w->cv);
		pthread_mutex_unlock(&g->w->mu);
		pthread_join(g->w->thread, NULL);
		g->fired = g->w->cut;
		g->peer = g->w->peer;
		g->peerlen = g->w->peerlen;
		pthread_cond_destroy(&g->w->cv);
		pthread_mutex_destroy(&g->w->mu);
		free(g->w);
		g->w = NULL;
	}
	sigpipe_release(&g->sp);
}

/* ------------------------------------------------------------ which server */

/* The numeric host and port of a socket address. */
static void kdc_addr_parts(const kdc_guard *g, char *host, size_t nh, char *port, size_t np)
{
	snprintf(host, nh, "?");
	snprintf(port, np, "?");
	getnameinfo((const struct sockaddr *)&g->peer, g->peerlen, host, (socklen_t)nh, port,
		    (socklen_t)np, NI_NUMERICHOST | NI_NUMERICSERV);
}

/* Does the krb5.conf value "host[:port]" (default port def) name host:port?
 * Only numeric hosts are compared: no name lookups on an error path. */
static int kdc_value_is(const char *value, const char *def, const char *host,
			const char *port)
{
	char h[NAME_DNS_MAX], p[32];
	const char *colon = strrchr(value, ':');

	if (value[0] == '[' || !colon || strchr(value, ':') != colon) {
		snprintf(h, sizeof h, "%s", value);
		snprintf(p, sizeof p, "%s", def);
	} else {
		snprintf(h, sizeof h, "%.*s", (int)(colon - value), value);
		snprintf(p, sizeof p, "%s", colon + 1);
	}
	if (strcmp(h, "localhost") == 0)
		snprintf(h, sizeof h, "127.0.0.1");
	return strcmp(h, host) == 0 && strcmp(p, port) == 0;
}

static const struct kdc_role {
	const char *relation, *port, *what;
} kdc_roles[] = {
	{ "admin_server", "749", "the kadmin server" },
	{ "kpasswd_server", "464", "the kpasswd service" },
	{ "kdc", "88", "the KDC" },
	{ "master_kdc", "88", "the KDC" },
};

static int kdc_role_is_admin(const struct kdc_role *role)
{
	return strcmp(role->relation, "admin_server") == 0;
}

/* Find host:port among the realms' servers in krb5.conf: 0 with
 * role and realm set, -1 when no line names it. */
static int kdc_find_server(profile_t prof, const char *host, const char *port,
			   const struct kdc_role **role, char *realm, size_t n)
{
	const char *sect[] = { "realms", NULL };
	char **realms = NULL, **vals;
	size_t i, r, v;
	int found = -1;

	if (profile_get_subsection_names(prof, sect, &realms) != 0 || !realms)
		return -1;
	for (r = 0; realms[r] && found < 0; r++)
		for (i = 0; i < sizeof kdc_roles / sizeof kdc_roles[0] && found < 0; i++) {
			const char *names[] = { "realms", realms[r], kdc_roles[i].relation, NULL };

			vals = NULL;
			if (profile_get_values(prof, names, &vals) != 0 || !vals)
				continue;
			for (v = 0; vals[v] && found < 0; v++)
				if (kdc_value_is(vals[v], kdc_roles[i].port, host, port)) {
					*role = &kdc_roles[i];
					snprintf(realm, n, "%s", realms[r]);
					found = 0;
				}
			profile_free_list(vals);
		}
	profile_free_list(realms);
	return found;
}

/* The server the watchdog cut, in words: "the KDC of realm B.LAB.TEST
 * (kdc 127.0.0.1:88)"; realm becomes its realm when krb5.conf names it
 * (else stays the caller's), *kadmin set when it is a kadmin server. */
void kdc_watch_server(const kdc_guard *g, char *realm, size_t nr, char *buf, size_t n,
		      int *kadmin)
{
	const struct kdc_role *role = NULL;
	char host[NI_MAXHOST], port[32], addr[NI_MAXHOST + 40], found[NAME_DNS_MAX] = "";
	krb5_context ctx = NULL;
	profile_t prof = NULL;

	*kadmin = 0;
	kdc_addr_parts(g, host, sizeof host, port, sizeof port);
	snprintf(addr, sizeof addr, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
	if (krb5_init_context(&ctx) == 0 && krb5_get_profile(ctx, &prof) == 0 &&
	    kdc_find_server(prof, host, port, &role, found, sizeof found) == 0) {
		*kadmin = strcmp(role->relation, "admin_server") == 0;
		snprintf(realm, nr, "%s", found);
		snprintf(buf, n, "%s of realm %s (%s %s)", role->what, found, role->relation, addr);
	} else {
		snprintf(buf, n, "the Kerberos server at %s (a KDC or the kadmin server of %s)",
			 addr, realm);
	}
	if (prof)
		profile_release(prof);
	if (ctx)
		krb5_free_context(ctx);
}

/* The call was cut off by the watchdog: replace e with what did not answer,
 * in which time, while doing what, and what to check. Returns -1. */
int kdc_watch_fail(const kdc_guard *g, const char *realm_hint, tm_error *e, const char *fmt, ...)
{
	char doing[TM_WHAT_MAX / 2], server[TM_WHAT_MAX / 2], realm[NAME_DNS_MAX];
	const char *conf = getenv("KRB5_CONFIG") ? getenv("KRB5_CONFIG") : "/etc/krb5.conf";
	va_list ap;
	int kadmin;

	va_start(ap, fmt);
	vsnprintf(doing, sizeof doing, fmt, ap);
	va_end(ap);
	snprintf(realm, sizeof realm, "%s", realm_hint);
	kdc_watch_server(g, realm, sizeof realm, server, sizeof server, &kadmin);
	error_fail(e, TM_EBACKEND, ST_NO_LOGON_SERVERS, "%s: %s accepted the connection but did not "
		"answer within the %d s timeout", doing, server, g->seconds);
	if (kadmin)
		error_hint(e, "Check that kadmind of %s runs and answers (on its host: systemctl "
			"status krb5-admin-server), that admin_server for %s in %s names it, and "
			"that no firewall drops the traffic; then run the command again.",
			realm, realm, conf);
	else
		error_hint(e, "Check that the KDC of %s runs and answers (on its host: systemctl "
			"status krb5-kdc), that the kdc lines for %s in %s name it, and that no "
			"firewall drops the traffic; then run the command again.", realm, realm, conf);
	return -1;
}
