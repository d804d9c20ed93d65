/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* kdc_probe.c - drive backend/kdc.h against the lab, one operation per run,
 * so that tests/integration/kdc_lab.sh can check each step with the
 * standard clients (kadmin, kinit, kvno) in between.
 *
 *   kdc_probe LAB set DOM PRINCIPAL PWFILE KVNO BITS KEEP
 *   kdc_probe LAB delete DOM PRINCIPAL
 *   kdc_probe LAB list DOM
 *   kdc_probe LAB arm DOM PRINCIPAL
 *   kdc_probe LAB state DOM PRINCIPAL
 *   kdc_probe LAB prove DOM PRINCIPAL PWFILE
 *   kdc_probe LAB change DOM PRINCIPAL OLDFILE NEWFILE
 *   kdc_probe LAB verify TRUSTING TRUSTED [SERVICE]
 *   kdc_probe LAB open DOM
 *   kdc_probe LAB hang PORT SECONDS   a server that never answers: listen on
 *                                     127.0.0.1:PORT, accept nothing, exit
 *                                     after SECONDS
 *
 * DOM is a lab letter: domain DOM, realm DOM.LAB.TEST, kadmin principal
 * admin/admin. Domain A logs in to kadmin with its keytab, the others with
 * their password file (both paths of kdc_open). A letter without a folder
 * in LAB (an unreachable realm the test added to krb5.conf) uses the
 * password file $KDC_PROBE_PWFILE. With $KDC_PROBE_VERIFY_USER set, verify
 * logs in as the lab's user@REALM (verify_principal, verify_password_file)
 * instead of the kadmin principal. Passwords come from files, never from the
 * command line. The timeout is $KDC_PROBE_TIMEOUT seconds (default 5).
 * Prints key=value lines, one per line (list: one line per principal).
 * Exits 0 when the call returned 0, else 1 with the error's what and next
 * on stderr.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/config/config.h"
#include "backend/kdc/kdc.h"
#include "model/keys.h"
#include "model/secret.h"
#include "model/verify.h"

static const char *lab;
static int timeout_s = 5;

static void die_usage(void)
{
	fprintf(stderr, "usage: kdc_probe LAB set|delete|list|arm|state|prove|change|verify|"
		"open|hang ...\n");
	exit(2);
}

/* The configuration block of lab domain letter x. */
static void probe_domain(const char *x, cfg_domain *d)
{
	char dir[PATH_MAX];
	struct stat st;
	const char *pw = getenv("KDC_PROBE_PWFILE");

	memset(d, 0, sizeof *d);
	snprintf(d->dom.name, sizeof d->dom.name, "%s", x);
	snprintf(d->dom.realm, sizeof d->dom.realm, "%s.LAB.TEST", x);
	snprintf(d->kadmin_principal, sizeof d->kadmin_principal, "admin/admin@%s", d->dom.realm);
	snprintf(dir, sizeof dir, "%.3000s/%.8s", lab, x);
	if (stat(dir, &st) != 0) {
		snprintf(d->kadmin_password_file, sizeof d->kadmin_password_file, "%s",
			 pw ? pw : "/nonexistent");
		return;
	}
	if (getenv("KDC_PROBE_VERIFY_USER")) {
		snprintf(d->verify_principal, sizeof d->verify_principal, "user@%s", d->dom.realm);
		snprintf(d->verify_password_file, sizeof d->verify_password_file,
			 "%.3500s/user.pw", dir);
	}
	if (strcmp(x, "A") == 0)
		snprintf(d->kadmin_keytab, sizeof d->kadmin_keytab, "%.3500s/admin.keytab", dir);
	else
		snprintf(d->kadmin_password_file, sizeof d->kadmin_password_file,
			 "%.3500s/kadmin-admin.pw", dir);
}

/* First line of a password file, malloc'd. */
static char *probe_secret(const char *path)
{
	char buf[SECRET_MAX + 2];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		perror(path);
		exit(2);
	}
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	{
		char *s = secret_dup(buf);

		secret_wipe(buf, sizeof buf);
		return s;
	}
}

static int probe_failed(const tm_error *e)
{
	printf("error=%s\n", e->what);
	fprintf(stderr, "kdc_probe: %s\n", e->what);
	if (e->next[0])
		fprintf(stderr, "kdc_probe: next: %s\n", e->next);
	return 1;
}

static kdc *probe_open(const char *x, tm_error *e)
{
	cfg_domain d;

	probe_domain(x, &d);
	return kdc_open(&d, timeout_s, e);
}

static int cmd_set(char **av, tm_error *e)
{
	kdc *k = probe_open(av[0], e);
	char *pw;
	int r;

	if (!k)
		return probe_failed(e);
	pw = probe_secret(av[2]);
	r = kdc_key_set(k, av[1], pw, (uint32_t)strtoul(av[3], NULL, 0),
			(uint32_t)strtoul(av[4], NULL, 0), atoi(av[5]), e);
	secret_free(&pw);
	kdc_close(&k);
	if (r)
		return probe_failed(e);
	printf("set=ok\n");
	return 0;
}

static int cmd_delete(char **av, tm_error *e)
{
	kdc *k = probe_open(av[0], e);
	int r;

	if (!k)
		return probe_failed(e);
	r = kdc_key_delete(k, av[1], e);
	kdc_close(&k);
	if (r)
		return probe_failed(e);
	printf("delete=ok\n");
	return 0;
}

static void probe_print_key(const tm_keyinfo *ki)
{
	size_t j;

	printf("key=%s kvno=%u enctypes=0x%x kvnos=", ki->principal, (unsigned)ki->kvno,
	       (unsigned)ki->enctypes);
	for (j = 0; j < ki->nkvnos; j++)
		printf("%s%u", j ? "," : "", (unsigned)ki->kvnos[j]);
	printf(" changed=%s\n", ki->changed > 0 ? "yes" : "no");
}

static int cmd_list(char **av, tm_error *e)
{
	kdc *k = probe_open(av[0], e);
	tm_keyinfo *v = NULL;
	size_t n = 0, i;
	int r;

	if (!k)
		return probe_failed(e);
	r = kdc_key_list(k, &v, &n, e);
	kdc_close(&k);
	if (r)
		return probe_failed(e);
	for (i = 0; i < n; i++)
		probe_print_key(&v[i]);
	printf("count=%zu\n", n);
	free(v);
	return 0;
}

static int cmd_arm(char **av, tm_error *e)
{
	kdc *k = probe_open(av[0], e);
	int r;

	if (!k)
		return probe_failed(e);
	r = kdc_permit_arm(k, av[1], e);
	kdc_close(&k);
	if (r)
		return probe_failed(e);
	printf("arm=ok\n");
	return 0;
}

static int cmd_state(char **av, tm_error *e)
{
	kdc *k = probe_open(av[0], e);
	int r, armed = -1, locked = -1;

	if (!k)
		return probe_failed(e);
	r = kdc_permit_state(k, av[1], &armed, &locked, e);
	kdc_close(&k);
	if (r)
		return probe_failed(e);
	printf("armed=%d\nlocked=%d\n", armed, locked);
	return 0;
}

static const char *probe_res_name(int res)
{
	static const char *const names[] = { "right", "wrong", "locked", "unknown" };

	return res >= 0 && res <= 3 ? names[res] : "?";
}

static int cmd_prove(char **av, tm_error *e)
{
	char realm[NAME_DNS_MAX];
	char *pw = probe_secret(av[2]);
	uint32_t kvno = 0;
	int res = -1, r;

	snprintf(realm, sizeof realm, "%s.LAB.TEST", av[0]);
	r = kdc_prove(realm, av[1], pw, &res, &kvno, timeout_s, e);
	secret_free(&pw);
	if (r)
		return probe_failed(e);
	printf("prove=%s\nkvno=%u\n", probe_res_name(res), (unsigned)kvno);
	return 0;
}

static int cmd_change(char **av, tm_error *e)
{
	char realm[NAME_DNS_MAX];
	char *old_pw = probe_secret(av[2]), *new_pw = probe_secret(av[3]);
	uint32_t kvno = 0;
	int r;

	snprintf(realm, sizeof realm, "%s.LAB.TEST", av[0]);
	r = kdc_change(realm, av[1], old_pw, new_pw, &kvno, timeout_s, e);
	secret_free(&old_pw);
	secret_free(&new_pw);
	if (r)
		return probe_failed(e);
	printf("change=ok\nkvno=%u\n", (unsigned)kvno);
	return 0;
}

static int cmd_verify(int ac, char **av, tm_error *e)
{
	cfg_domain trusting, trusted;
	verify_result r;
	char what[TM_WHAT_MAX], next[TM_NEXT_MAX];

	probe_domain(av[0], &trusting);
	probe_domain(av[1], &trusted);
	if (ac > 2)
		snprintf(trusting.verify_service, sizeof trusting.verify_service, "%s", av[2]);
	if (kdc_verify(&trusting, &trusted, timeout_s, &r, e))
		return probe_failed(e);
	verify_explain(&r, what, sizeof what, next, sizeof next);
	printf("outcome=%s\nprincipal=%s\nmissing_on=%s\nissuer_kvno=%u\nacceptor_kvno=%u\n"
	       "enctype=%d\ndetail=%s\nwhat=%s\nnext=%s\n", verify_outcome_token(r.outcome),
	       r.principal, r.missing_on, (unsigned)r.issuer_kvno, (unsigned)r.acceptor_kvno,
	       (int)r.enctype, r.detail, what, next);
	return 0;
}

static int cmd_open(char **av, tm_error *e)
{
	kdc *k = probe_open(av[0], e);

	if (!k)
		return probe_failed(e);
	kdc_close(&k);
	printf("open=ok\n");
	return 0;
}

/* Listen without ever accepting: connections complete in the kernel's
 * backlog and their requests are never read, like a hung daemon's. */
static int cmd_hang(char **av)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(av[0]));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 16) != 0) {
		perror("kdc_probe hang");
		return 1;
	}
	printf("listening=%s\n", av[0]);
	fflush(stdout);
	sleep((unsigned)atoi(av[1]));
	close(fd);
	return 0;
}

static int dispatch(const char *cmd, int ac, char **av, tm_error *e)
{
	static const struct {
		const char *name;
		int args;
	} want[] = { { "set", 6 }, { "delete", 2 }, { "list", 1 }, { "arm", 2 }, { "state", 2 },
		     { "prove", 3 }, { "change", 4 }, { "verify", 2 }, { "open", 1 },
		     { "hang", 2 } };
	size_t i;

	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		if (strcmp(cmd, want[i].name) == 0 && ac < want[i].args)
			die_usage();
	if (strcmp(cmd, "set") == 0) return cmd_set(av, e);
	if (strcmp(cmd, "delete") == 0) return cmd_delete(av, e);
	if (strcmp(cmd, "list") == 0) return cmd_list(av, e);
	if (strcmp(cmd, "arm") == 0) return cmd_arm(av, e);
	if (strcmp(cmd, "state") == 0) return cmd_state(av, e);
	if (strcmp(cmd, "prove") == 0) return cmd_prove(av, e);
	if (strcmp(cmd, "change") == 0) return cmd_change(av, e);
	if (strcmp(cmd, "verify") == 0) return cmd_verify(ac, av, e);
	if (strcmp(cmd, "open") == 0) return cmd_open(av, e);
	if (strcmp(cmd, "hang") == 0) return cmd_hang(av);
	die_usage();
	return 2;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	tm_error e;
	int r;

	if (argc < 3)
		die_usage();
	lab = argv[1];
	if (getenv("KDC_PROBE_TIMEOUT"))
		timeout_s = atoi(getenv("KDC_PROBE_TIMEOUT"));
	error_clear(&e);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = dispatch(argv[2], argc - 3, argv + 3, &e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("elapsed_ms=%lld\n", (long long)(t1.tv_sec - t0.tv_sec) * 1000 +
	       (t1.tv_nsec - t0.tv_nsec) / 1000000);
	keys_shutdown();
	return r;
}
