/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* kdc_admin.c - a realm's kadmin server through the kadm5 client library
 * (kdc_internal.h): the session and the cross-realm keys (the one-chance
 * permit policy is in kdc_permit.c).
 *
 * How long a call may wait: the kadm5 client connects to kadmind with a
 * blocking connect() and waits up to an hour for each RPC answer (select()
 * with 3600 s, seen with strace), with no way to change either. kdc_open
 * therefore first connects to the realm's admin_server addresses from
 * krb5.conf itself, non-blocking, and sends an RPC ping that kadmind
 * answers at once, all within the timeout: a stopped kadmind, one behind a
 * firewall that drops packets and a hung one give a clear message within
 * the timeout. A kadmind that hangs later, in the middle of a session (or
 * between the ping and the login), is cut off by the call guard of
 * kdc_watch.c: every public function here runs within the timeout, the
 * session's socket is shut down when it runs out, and the session is then
 * broken (later calls fail at once with the same message). The KDC
 * exchanges of the login keep the deadline of kdc_client.c as well.
 *
 * The kadm5 functions take `char *` for strings they only read; names are
 * copied into local buffers rather than casting const away.
 */
#include "backend/kdc/kdc_internal.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <profile.h>

#include "model/secret.h"

#define KDC_KADMIN_PORT "749"

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

/* Connect to "host[:port]" in time: 0 with the address that answered in
 * k->kadmind, or an errno value (EHOSTUNREACH when the name does not
 * resolve). */
static int kdc_reachable(kdc *k, const char *hostport, const kdc_clock *clock)
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
		if ((err = kdc_connect_one(ai, clock)) == 0 &&
		    ai->ai_addrlen <= (socklen_t)sizeof k->kadmind) {
			memcpy(&k->kadmind, ai->ai_addr, ai->ai_addrlen);
			k->kadmind_len = ai->ai_addrlen;
		}
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
		err = kdc_reachable(k, vals[i], &k->clock);
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
		error_fail(e, TM_EBACKEND, ST_NO_LOGON_SERVERS, "the kadmin server of realm %s "
			"(admin_server %s) did not %s within %d s", k->realm, k->servers,
			err == ETIME ? "answer" : "accept a connection", k->clock.seconds);
	else
		error_fail(e, TM_EBACKEND, ST_NO_LOGON_SERVERS, "the kadmin server of realm %s "
			"(admin_server %s) cannot be reached: %s", k->realm, k->servers,
			strerror(err));
	error_hint(e, "Check that kadmind of %s runs, listens there and answers (on its host: "
		"systemctl status krb5-admin-server), that admin_server for %s in %s names it, "
		"and that no firewall drops the traffic; then run the command again.", k->realm,
		k->realm, getenv("KRB5_CONFIG") ? getenv("KRB5_CONFIG") : "/etc/krb5.conf");
	return -1;
}

/* ------------------------------------------------------------ open / close */

static int kdc_open_check(const cfg_domain *d, tm_error *e)
{
	if (!d->dom.realm[0])
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "domain %s: no realm is configured", d->dom.name);
	if (!d->kadmin_principal[0])
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "domain %s: no kadmin_principal is configured", d->dom.name);
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
kdc *kdc_open_run(const cfg_domain *d, int timeout, tm_error *e)
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

/* Open a kadm5 session for d's realm with d's kadmin credentials. The
 * sockets the session keeps open (to kadmind) are noted, so the guard of
 * each later call can cut them when kadmind stops answering. */
kdc *kdc_open(const cfg_domain *d, int timeout, tm_error *e)
{
	kdc_guard g;
	kdc *r;

	kdc_watch_begin(&g, timeout, NULL, 0, d->dom.realm, NULL);
	r = kdc_open_run(d, timeout, e);
	if (r)
		r->nsock = kdc_watch_new_sockets(&g, r->sock, KDC_MAX_SOCKS, &r->kadmind,
						 r->kadmind_len);
	kdc_watch_end(&g);
	if (!g.fired)
		return r;
	kdc_close_run(&r);
	kdc_watch_fail(&g, d->dom.realm, e, "logging in to the kadmin server of realm %s as %s",
		       d->dom.realm, d->kadmin_principal);
	return NULL;
}

/* The body of kdc_close(), with SIGPIPE held off by the caller. */
void kdc_close_run(kdc **k)
{
	if (!k || !*k)
		return;
	if ((*k)->handle)
		kadm5_destroy((*k)->handle);
	if ((*k)->login_cc)
		krb5_cc_destroy((*k)->ctx, (*k)->login_cc);
	if ((*k)->ctx)
		krb5_free_context((*k)->ctx);
	free(*k);
	*k = NULL;
}

/* End the kadm5 session and free the handle; *k becomes NULL. Ending it
 * talks to kadmind, so it is bounded like every other call. */
void kdc_close(kdc **k)
{
	kdc_guard g;

	if (!k || !*k)
		return;
	kdc_watch_begin(&g, (*k)->clock.seconds, (*k)->sock, (*k)->nsock, (*k)->realm, NULL);
	kdc_close_run(k);
	kdc_watch_end(&g);
}

/* Each administrative call gets the full timeout for its KDC requests. */
void kdc_begin(kdc *k)
{
	kdc_clock_start(&k->clock, k->clock.seconds);
}

/* Begin a guarded administrative call on k's session; a session an earlier
 * call lost (cut off by the watchdog) fails at once with that reason. */
int kdc_call_begin(kdc *k, kdc_guard *g, tm_error *e)
{
	if (k->broken) {
		if (e)
			*e = k->why;
		return -1;
	}
	kdc_watch_begin(g, k->clock.seconds, k->sock, k->nsock, k->realm, NULL);
	return 0;
}

/* End it: a call the watchdog cut off fails with the server and the
 * timeout named, and leaves the session broken. Returns r or -1. */
int kdc_call_end(kdc *k, kdc_guard *g, int r, tm_error *e, const char *doing)
{
	kdc_watch_end(g);
	if (!g->fired)
		return r;
	kdc_watch_fail(g, k->realm, e, "%s", doing);
	k->broken = 1;
	if (e)
		k->why = *e;
	else
		error_fail(&k->why, TM_EBACKEND, ST_NO_LOGON_SERVERS, "the kadmin session of realm %s "
			"was cut off after a timeout", k->realm);
	return -1;
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
int kdc_entry_get(kdc *k, krb5_principal p, const char *name, kdc_entry *out,
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
	ki->requires_preauth = (en->attributes & KRB5_KDB_REQUIRES_PRE_AUTH) != 0;
	ki->disallowed = (en->attributes & KRB5_KDB_DISALLOW_ALL_TIX) != 0;
	error_copy(ki->policy, sizeof ki->policy, en->policy);
	for (i = 0; i < en->nkeys; i++) {
		kdc_entry_add_kvno(ki->kvnos, &ki->nkvnos, KEYINFO_MAX_KVNOS, en->kvno[i]);
		if (en->kvno[i] == en->max_kvno)
			ki->enctypes |= keys_bit_of_enctype(en->enctype[i]);
	}
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

/* Keep names[i] when it is a cross-realm krbtgt principal; the others are
 * freed and the kept ones moved to the front. Returns how many are kept. */
static size_t kdc_keep_cross(kdc *k, char **names, int count)
{
	size_t m = 0;
	int i;

	for (i = 0; i < count; i++) {
		krb5_principal p = NULL;
		int cross = krb5_parse_name(k->ctx, names[i], &p) == 0 && kdc_cross_tgt(p);

		krb5_free_principal(k->ctx, p);
		if (cross)
			names[m++] = names[i];
		else
			free(names[i]);
	}
	return m;
}

/* The body of kdc_cross_names(), with SIGPIPE held off by the caller. */
static int kdc_cross_names_run(kdc *k, char ***out, size_t *n, tm_error *e)
{
	char expr[] = "krbtgt/*@*";
	char **names = NULL;
	int count = 0;
	kadm5_ret_t rc;

	kdc_begin(k);
	rc = kadm5_get_principals(k->handle, expr, &names, &count);
	if (rc != 0)
		return kdc_fail(k->ctx, e, rc, "%s: could not list the krbtgt principals "
				"through kadmin", k->realm);
	*n = kdc_keep_cross(k, names, count);
	*out = names;
	return 0;
}

/* kdc_cross_names: one listing call, no per-principal reads. */
int kdc_cross_names(kdc *k, char ***out, size_t *n, tm_error *e)
{
	kdc_guard g;
	int r;

	*out = NULL;
	*n = 0;
	if (kdc_call_begin(k, &g, e))
		return -1;
	r = kdc_cross_names_run(k, out, n, e);
	return kdc_call_end(k, &g, r, e, "listing the cross-realm krbtgt principals through kadmin");
}

/* kdc_names_free: what kdc_cross_names returned. */
void kdc_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

/* The cross-realm krbtgt/X@Y principals of this realm's database. */
int kdc_key_list(kdc *k, tm_keyinfo **out, size_t *n, tm_error *e)
{
	kdc_guard g;
	int r;

	if (kdc_call_begin(k, &g, e))
		return -1;
	r = kdc_key_list_run(k, out, n, e);
	return kdc_call_end(k, &g, r, e, "listing the cross-realm krbtgt principals through kadmin");
}

/* kdc_key_get: one guarded call, one kadmin read per name. */
int kdc_key_get(kdc *k, char *const *names, size_t n, tm_keyinfo *out, unsigned char *found,
		tm_error *e)
{
	kdc_guard g;
	size_t i;
	int r = 0;

	if (kdc_call_begin(k, &g, e))
		return -1;
	kdc_begin(k);
	for (i = 0; i < n && r >= 0; i++) {
		r = kdc_keyinfo_one(k, names[i], &out[i], e);
		found[i] = r == 0;
	}
	return kdc_call_end(k, &g, r < 0 ? -1 : 0, e,
			    "listing the cross-realm krbtgt principals through kadmin");
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

/* Create p with pw at kvno: 0, 1 when p exists already (nothing done),
 * -1 with e. */
static int kdc_create(kdc *k, krb5_principal p, const char *name, char *pw, uint32_t kvno,
		      krb5_key_salt_tuple *ks, int nks, tm_error *e)
{
	kadm5_principal_ent_rec ent;
	kadm5_ret_t rc;

	/* No attributes: a cross-realm principal does not require
	 * pre-authentication (docs/RULES.md, "Plain MIT realms"), whatever
	 * the realm's default_principal_flags say. A permit arms it. */
	memset(&ent, 0, sizeof ent);
	ent.principal = p;
	ent.kvno = kvno;
	ent.attributes = 0;
	rc = kadm5_create_principal_3(k->handle, &ent, KADM5_PRINCIPAL | KADM5_KVNO |
				      KADM5_ATTRIBUTES, nks, ks, pw);
	if (rc == KADM5_DUP)
		return 1;
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
		return error_fail(e, TM_EBACKEND, NULL, "%s: %s vanished while its key was set",
			       k->realm, name);
	if (r < 0 || en.max_kvno == kvno)
		return r;
	if (keep)
		return error_fail(e, TM_EBACKEND, NULL, "%s: %s got key version %u instead of %u",
			       k->realm, name, (unsigned)en.max_kvno, (unsigned)kvno);
	return kdc_set_kvno(k, p, name, kvno, e);
}

static int kdc_key_apply(kdc *k, krb5_principal p, const char *name, char *pw,
			 uint32_t kvno, uint32_t bits, int keep, int create_first, tm_error *e)
{
	krb5_key_salt_tuple ks[KEYS_MAX_PER_KVNO];
	int nks = kdc_ks_tuples(bits, ks, KEYS_MAX_PER_KVNO), r;
	kdc_entry en;

	/* No tuple at all would let kadmind pick the realm's defaults. */
	if (nks == 0)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "%s: the encryption types 0x%x of %s name no AES or RC4 type",
			       k->realm, (unsigned)bits, name);
	/* A principal believed new (create_first) is created at its key
	 * version, nothing else to ask; one that exists after all, or any
	 * other, is read, then created or changed, and its key version
	 * checked. */
	if (create_first && (r = kdc_create(k, p, name, pw, kvno, ks, nks, e)) <= 0)
		return r;
	r = kdc_entry_get(k, p, name, &en, e);
	if (r < 0)
		return -1;
	if (r > 0)
		r = kdc_create(k, p, name, pw, kvno, ks, nks, e) == 0 ? 0 :
		    error_fail(e, TM_EBACKEND, NULL, "%s: %s was made by someone else while its "
			       "key was set; run the command again", k->realm, name);
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
			   uint32_t bits, int keep_previous, int create_first, tm_error *e)
{
	krb5_principal p = NULL;
	char name[KDC_NAME_MAX];
	char *pw;
	int r;

	if (kvno == 0)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "%s: key version 0 is not valid for %s", k->realm, principal);
	kdc_begin(k);
	if (kdc_parse_e(k->ctx, principal, k->realm, &p, e))
		return -1;
	r = kdc_unparse(k->ctx, p, name, sizeof name, e);
	pw = r == 0 ? secret_dup(password) : NULL;
	if (r == 0 && !pw)
		r = kdc_nomem(e);
	if (r == 0)
		r = kdc_key_apply(k, p, name, pw, kvno, bits, keep_previous, create_first, e);
	secret_free(&pw);
	krb5_free_principal(k->ctx, p);
	return r;
}

static int kdc_key_set_how(kdc *k, const char *principal, const char *password, uint32_t kvno,
			   uint32_t bits, int keep_previous, int create_first, tm_error *e)
{
	char doing[KDC_NAME_MAX + 64];
	kdc_guard g;
	int r;

	if (kdc_call_begin(k, &g, e))
		return -1;
	r = kdc_key_set_run(k, principal, password, kvno, bits, keep_previous, create_first, e);
	snprintf(doing, sizeof doing, "setting the key of %s through kadmin", principal);
	return kdc_call_end(k, &g, r, e, doing);
}

/* Create or change principal's key from password at exactly kvno. */
int kdc_key_set(kdc *k, const char *principal, const char *password, uint32_t kvno,
		uint32_t bits, int keep_previous, tm_error *e)
{
	return kdc_key_set_how(k, principal, password, kvno, bits, keep_previous, 0, e);
}

/* kdc_key_set for a principal believed not to exist: see kdc.h. */
int kdc_key_set_new(kdc *k, const char *principal, const char *password, uint32_t kvno,
		    uint32_t bits, tm_error *e)
{
	return kdc_key_set_how(k, principal, password, kvno, bits, 0, 1, e);
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
	char doing[KDC_NAME_MAX + 64];
	kdc_guard g;
	int r;

	if (kdc_call_begin(k, &g, e))
		return -1;
	r = kdc_key_delete_run(k, principal, e);
	snprintf(doing, sizeof doing, "deleting %s through kadmin", principal);
	return kdc_call_end(k, &g, r, e, doing);
}
