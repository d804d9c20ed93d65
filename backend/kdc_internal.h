/* kdc_internal.h - what the files of the KDC module share (semantics.md
 * section 7). Not for use outside backend/.
 *
 * Administration (keys, the permit policy) goes through a kadm5 session, an
 * RPC channel to kadmind that GSS-API protects, logged in as the configured
 * kadmin principal with its keytab or password file: kdc_admin.c. The
 * protocol operations (prove, change, verify) use libkrb5 as an ordinary
 * client: a library context of their own that reads krb5.conf
 * (KRB5_CONFIG) and memory credential caches only: kdc_client.c, which also
 * keeps the deadline of every KDC exchange (both halves' library contexts
 * are made there). The user's default cache is never read: kpasswd would
 * arm with a ticket of another realm found there (docs/LAB.md).
 * kdc_common.c has what both use: errors, principal names, SIGPIPE.
 */
#ifndef TM_KDC_INTERNAL_H
#define TM_KDC_INTERNAL_H

#include <signal.h>
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

#include "../model/keys.h"
#include "kdc.h"

#define KDC_MAX_KEYS 64
#define KDC_NAME_MAX KEYS_PRINC_MAX

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

/* SIGPIPE held off while a public function runs (kdc_common.c). */
typedef struct kdc_sigpipe {
	sigset_t old;
	int was_pending;
} kdc_sigpipe;

/* ---- kdc_client.c: library contexts and their deadline ----------------- */

/* Start c: the deadline is seconds from now (the default when <= 0). */
void kdc_clock_start(kdc_clock *c, int seconds);

/* Milliseconds left before c's deadline (0 when it has passed). */
int kdc_clock_left_ms(const kdc_clock *c);

/* A library context reading krb5.conf (KRB5_CONFIG) whose KDC requests stop
 * at clock's deadline, started with timeout. Returns 0 or -1 with e. */
int kdc_ctx_new(krb5_context *ctx, kdc_clock *clock, int timeout, tm_error *e);

/* ---- kdc_common.c: errors, names, SIGPIPE ------------------------------- */

/* Block SIGPIPE, remembering whether one was already pending. */
void kdc_sigpipe_hold(kdc_sigpipe *s);

/* Discard a SIGPIPE raised since kdc_sigpipe_hold, restore the mask. */
void kdc_sigpipe_release(const kdc_sigpipe *s);

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

/* ---- kdc_admin.c: kadm5 sessions, for verify's refinement --------------- */

/* kdc_open() without the SIGPIPE guard (the caller holds it). */
kdc *kdc_open_run(const cfg_domain *d, int timeout, tm_error *e);

/* kdc_close() without the SIGPIPE guard (the caller holds it). */
void kdc_close_run(kdc **k);

/* What the KDC holds for p: 0, 1 when there is no such principal, -1 with e. */
int kdc_entry_get(kdc *k, krb5_principal p, const char *name, kdc_entry *out,
		  tm_error *e);

#endif
