/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* kdc_internal.h - what the files of the KDC module share (docs/RULES.md,
 * "Trusts in MIT Kerberos"). Not for use outside backend/.
 *
 * Administration (keys, the permit policy) goes through a kadm5 session, an
 * RPC channel to kadmind that GSS-API protects, logged in as the configured
 * kadmin principal with its keytab or password file, or with the
 * administrator's own tickets or client keytab (kdc_own.c): kdc_admin.c. The
 * protocol operations (prove, change, verify) use libkrb5 as an ordinary
 * client: a library context of their own that reads krb5.conf
 * (KRB5_CONFIG) and memory credential caches only: kdc_client.c, which also
 * keeps the deadline of every KDC exchange (both halves' library contexts
 * are made there). The user's default cache is never used as theirs:
 * kpasswd would arm with a ticket of another realm found there
 * (docs/LAB.md); verify only copies the kadmin principal's own TGT out of
 * its cache when that principal has no keytab or password file.
 * kdc_common.c has what both use: errors, principal names, SIGPIPE.
 * kdc_watch.c has the call guard every public function runs in: SIGPIPE
 * held off and a watchdog that bounds the call by the timeout.
 */
#ifndef TM_KDC_INTERNAL_H
#define TM_KDC_INTERNAL_H

#include <signal.h>
#include <sys/socket.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <krb5.h>
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

#include "model/keys.h"
#include "backend/kdc/kdc.h"
#include "backend/os/sigpipe.h"

#define KDC_MAX_KEYS 64
#define KDC_NAME_MAX KEYS_PRINC_MAX
#define KDC_MAX_SOCKS 4                  /* a kadm5 session's sockets */
#define KDC_DEFAULT_TIMEOUT 10           /* seconds, when none is configured */

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
	struct sockaddr_storage kadmind;     /* the kadmind address that answered the */
	socklen_t kadmind_len;               /* probe (0: none; DNS SRV records) */
	krb5_ccache login_cc;                /* the kadmin/admin ticket of the login */
	int sock[KDC_MAX_SOCKS];             /* the session's sockets (to kadmind) */
	size_t nsock;
	int broken;                          /* a call was cut off: the session is dead */
	tm_error why;                        /* ... and why */
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

/* A guarded call (kdc_watch.c): SIGPIPE held off, and a watchdog thread
 * that, once the call has run seconds (plus a short grace), shuts down the
 * sockets the call opened and the kept ones, every 100 ms until it ends. */
typedef struct kdc_guard {
	sigpipe_guard sp;
	struct kdc_watch *w;                 /* NULL when no thread could start */
	int seconds;
	int fired;                           /* sockets cut (after kdc_watch_end) */
	struct sockaddr_storage peer;        /* the first one cut */
	socklen_t peerlen;
} kdc_guard;

/* ---- kdc_login.c ---------------------------------------------------------- */

/* Log in to kadmind as d's kadmin principal (k->handle): its keytab, its
 * password file, or the administrator's own credentials. 0 or -1 with e. */
int kdc_login(kdc *k, const cfg_domain *d, tm_error *e);

/* ---- kdc_watch.c: the call guard ---------------------------------------- */

/* Begin a guarded call of at most seconds (the default when <= 0); keep:
 * sockets opened earlier (a kadm5 session's) to cut as well; realm and
 * realm2 (NULL when not known): the realms whose servers the call talks
 * to. Once the time is up, the watchdog shuts down the kept sockets and
 * those to the KDC and kpasswd servers krb5.conf names for those realms,
 * or, for servers it does not name, those opened since the call began
 * (kdc_watch.c, kdc_ours: other threads' calls run meanwhile). */
void kdc_watch_begin(kdc_guard *g, int seconds, const int *keep, size_t nkeep,
		     const char *realm, const char *realm2);

/* How many sockets the watchdog has cut so far in this call. */
int kdc_watch_fired(const kdc_guard *g);

/* The sockets connected to peer when plen > 0 (whenever opened: other
 * threads open and close sockets meanwhile, backend/os/parallel.h), else
 * those open now that were not when the call began (at most max). */
size_t kdc_watch_new_sockets(const kdc_guard *g, int *out, size_t max,
			     const struct sockaddr_storage *peer, socklen_t plen);

/* End the call: stop the watchdog (g->fired, g->peer are then final) and
 * restore the signal mask. */
void kdc_watch_end(kdc_guard *g);

/* The server a cut-off call was waiting for, in words ("the KDC of realm
 * B.LAB.TEST (kdc 127.0.0.1:88)") into buf; realm (in: the caller's guess)
 * becomes its realm when krb5.conf names it; *kadmin: a kadmin server. */
void kdc_watch_server(const kdc_guard *g, char *realm, size_t nr, char *buf, size_t n,
		      int *kadmin);

/* After kdc_watch_end of a call that was cut off: e says which server did
 * not answer within the timeout while doing what (fmt), and what to check.
 * realm_hint names the realm when krb5.conf does not. Returns -1. */
int kdc_watch_fail(const kdc_guard *g, const char *realm_hint, tm_error *e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- kdc_client.c: library contexts and their deadline ----------------- */

/* Start c: the deadline is seconds from now (the default when <= 0). */
void kdc_clock_start(kdc_clock *c, int seconds);

/* Milliseconds left before c's deadline (0 when it has passed). */
int kdc_clock_left_ms(const kdc_clock *c);

/* A library context reading krb5.conf (KRB5_CONFIG) whose KDC requests stop
 * at clock's deadline, started with timeout. Returns 0 or -1 with e. */
int kdc_ctx_new(krb5_context *ctx, kdc_clock *clock, int timeout, tm_error *e);

/* ---- kdc_common.c: errors, names, SIGPIPE ------------------------------- */



/* Record a libkrb5 or kadm5 failure: "<what was done>: <the library's
 * words>" (unreachable servers get STATUS_NO_LOGON_SERVERS). Returns -1. */
int kdc_fail(krb5_context ctx, tm_error *e, long rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Record "out of memory". Returns -1. */
int kdc_nomem(tm_error *e);

/* Parse name (realm added when missing) with a message naming it on
 * failure. Returns 0 or -1 with e. */
int kdc_parse_e(krb5_context ctx, const char *name, const char *realm,
		krb5_principal *out, tm_error *e);

/* The full text form of p into buf of n. Returns 0 or -1 with e. */
int kdc_unparse(krb5_context ctx, krb5_const_principal p, char *buf, size_t n,
		tm_error *e);

/* Does the counted string d equal s? */
int kdc_data_is(const krb5_data *d, const char *s);

/* ---- kdc_own.c: the administrator's own credentials --------------------- */

/* Where the credentials of a kadmin principal without a keytab or password
 * file are: a cache of the KRB5CCNAME collection, or the default client
 * keytab (by name). */
typedef struct kdc_own {
	krb5_ccache cc;                      /* NULL: use keytab */
	char keytab[PATH_MAX + 16];
} kdc_own;

/* Find the credentials of p (text form who) of domain: out->cc, the cache
 * holding p with an unexpired krbtgt of its realm (or, for_kadmin, a
 * kadmin/admin ticket), else out->keytab, the default client keytab when
 * it holds a key of p. Returns 0, or -1 with e naming the principal, the
 * collection and the keytab looked in, and the kinit to run. */
int kdc_own_find(krb5_context ctx, krb5_const_principal p, const char *who, const char *domain,
		 int for_kadmin, kdc_own *out, tm_error *e);

/* Close what kdc_own_find opened. */
void kdc_own_free(krb5_context ctx, kdc_own *o);

/* A copy of the krbtgt of p's realm held by o->cc (free its contents). */
krb5_error_code kdc_own_tgt(krb5_context ctx, const kdc_own *o, krb5_principal p,
			    krb5_creds *creds);

/* ---- kdc_admin.c: kadm5 sessions, for verify's refinement --------------- */

/* kdc_open() without the SIGPIPE guard (the caller holds it). */
kdc *kdc_open_run(const cfg_domain *d, int timeout, tm_error *e);

/* kdc_close() without the SIGPIPE guard (the caller holds it). */
void kdc_close_run(kdc **k);

/* What the KDC holds for p: 0, 1 when there is no such principal, -1 with e. */
int kdc_entry_get(kdc *k, krb5_principal p, const char *name, kdc_entry *out,
		  tm_error *e);

/* Each administrative call gets the full timeout for its KDC requests. */
void kdc_begin(kdc *k);

/* Begin a guarded administrative call on k's session (0, or -1 with e when
 * an earlier call left it broken); end it with kdc_call_end, which returns
 * r, or -1 with e naming `doing` and the server when the watchdog cut it. */
int kdc_call_begin(kdc *k, kdc_guard *g, tm_error *e);
int kdc_call_end(kdc *k, kdc_guard *g, int r, tm_error *e, const char *doing);

#endif
