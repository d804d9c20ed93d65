/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_config.c - trustmgr.conf (backend/config/config.c): loading every
 * key, the faults and their messages, finding a domain by any name.
 * Finding the file and reading secrets: check_config_find.c.
 *
 * Every test writes its files into its own tu_tmpdir(). */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/config/config.h"
#include "model/secret.h"
#include "tests/unit/testutil.h"
#include "model/domain.h"

#define CONF_MAX 16384

/* Copy tmpl into out with every "@DIR@" replaced by dir. */
static void subst_dir(char *out, size_t n, const char *tmpl, const char *dir)
{
	size_t len = 0, dl = strlen(dir);
	const char *p = tmpl, *at;

	while ((at = strstr(p, "@DIR@")) != NULL) {
		ck_assert(len + (size_t)(at - p) + dl < n);
		memcpy(out + len, p, (size_t)(at - p));
		len += (size_t)(at - p);
		memcpy(out + len, dir, dl);
		len += dl;
		p = at + 5;
	}
	ck_assert(len + strlen(p) < n);
	strcpy(out + len, p);
}

/* Write dir/trustmgr.conf from a template (@DIR@ = dir); path into conf. */
static void write_conf(const char *dir, const char *tmpl, char *conf)
{
	static char text[CONF_MAX];

	subst_dir(text, sizeof(text), tmpl, dir);
	tu_pathf(conf, "%s/trustmgr.conf", dir);
	tu_put_file(conf, text, 0644);
}

/* The files a domain block names: secrets 0600, the CA 0644. */
static void make_files(const char *dir)
{
	static const char *const secrets[] = { "ldap.pw", "kadmin.pw", "user.pw", "admin.keytab",
					       "user.keytab" };
	char p[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
		tu_pathf(p, "%s/%s", dir, secrets[i]);
		tu_put_file(p, "s3cret-value\n", 0600);
	}
	tu_pathf(p, "%s/ca.pem", dir);
	tu_put_file(p, "-----BEGIN CERTIFICATE-----\n", 0644);
}

/* The lines of a complete, valid domain block. */
static const char *const good_lines[][2] = {
	{ "dns_name", "%l.lab.test" },
	{ "netbios_name", "%u" },
	{ "sid", "S-1-5-21-100%i-200%i-300%i" },
	{ "forest", "%l.lab.test" },
	{ "functional_level", "2016" },
	{ "realm", "%u.LAB.TEST" },
	{ "ldap_uri", "ldap://127.0.0.1:2000%i/" },
	{ "base_dn", "dc=%l,dc=lab,dc=test" },
	{ "bind", "simple" },
	{ "bind_dn", "cn=admin,dc=%l,dc=lab,dc=test" },
	{ "bind_password_file", "@DIR@/ldap.pw" },
	{ "tls", "starttls" },
	{ "tls_cacert", "@DIR@/ca.pem" },
	{ "kadmin_principal", "admin/admin@%u.LAB.TEST" },
	{ "kadmin_password_file", "@DIR@/kadmin.pw" },
};

/* Expand %l (lower letter), %u (upper letter), %i (index) in v. */
static void expand(char *out, size_t n, const char *v, char letter, int idx)
{
	size_t len = 0;

	for (; *v && len + 2 < n; v++) {
		if (*v != '%') {
			out[len++] = *v;
			continue;
		}
		v++;
		if (*v == 'l')
			out[len++] = (char)(letter - 'A' + 'a');
		else if (*v == 'u')
			out[len++] = letter;
		else
			out[len++] = (char)('0' + idx);
	}
	out[len] = '\0';
}

/* Append a block for domain letter (index idx) to buf without the line of
 * key omit (NULL: none), with extra lines added before the closing brace. */
static void add_block(char *buf, size_t n, char letter, int idx, const char *omit,
		      const char *extra)
{
	char v[256];
	size_t i, len = strlen(buf);

	len += (size_t)snprintf(buf + len, n - len, "    %c = {\n", letter);
	for (i = 0; i < sizeof(good_lines) / sizeof(good_lines[0]); i++) {
		if (omit && strcmp(omit, good_lines[i][0]) == 0)
			continue;
		expand(v, sizeof(v), good_lines[i][1], letter, idx);
		len += (size_t)snprintf(buf + len, n - len, "        %s = %s\n", good_lines[i][0], v);
	}
	snprintf(buf + len, n - len, "%s    }\n", extra ? extra : "");
	ck_assert(strlen(buf) + 1 < n);
}

/* A configuration of domains A and B; A without omit and with extra. */
static void two_domains(char *buf, size_t n, const char *omit, const char *extra)
{
	snprintf(buf, n, "[domains]\n");
	add_block(buf, n, 'A', 1, omit, extra);
	add_block(buf, n, 'B', 2, NULL, NULL);
}

/* Load a two-domain file with A changed; the load must fail, naming the
 * file, domain A and key; returns the error for further checks. */
static tm_error fault_a(const char *omit, const char *extra, const char *key)
{
	const char *dir = tu_tmpdir();
	static char text[CONF_MAX];
	char conf[PATH_MAX], want[128];
	tm_config c;
	tm_error e;

	make_files(dir);
	two_domains(text, sizeof(text), omit, extra);
	write_conf(dir, text, conf);
	error_clear(&e);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	ck_assert_ptr_null(c.domains);
	ck_assert_uint_eq(c.ndomains, 0);
	ck_assert_msg(strncmp(e.what, conf, strlen(conf)) == 0, "file not first: %s", e.what);
	TU_ASSERT_HAS(e.what, "domain A: ");
	if (key) {
		snprintf(want, sizeof(want), "key %s: ", key);
		TU_ASSERT_HAS(e.what, want);
	}
	ck_assert_msg(e.next[0] != '\0', "no next step for: %s", e.what);
	return e;
}

/* ---- loading ---- */

START_TEST(full_file_two_domains)
{
	const char *dir = tu_tmpdir();
	char conf[PATH_MAX], p[PATH_MAX];
	const cfg_domain *a, *b;
	tm_config c;
	tm_error e;

	make_files(dir);
	write_conf(dir,
		   "# trustmgr.conf\n"
		   "[trustmgr]\n"
		   "    state_dir = @DIR@/state\n"
		   "    timeout = 20\n"
		   "    rotation_days = 45\n"
		   "[domains]\n"
		   "    A = {\n"
		   "        dns_name = a.lab.test\n"
		   "        netbios_name = A\n"
		   "        sid = S-1-5-21-1001-2001-3001\n"
		   "        forest = a.lab.test\n"
		   "        functional_level = 2008R2\n"
		   "        realm = A.LAB.TEST\n"
		   "        ldap_uri = ldap://127.0.0.1:20001/\n"
		   "        ldap_uri = ldaps://127.0.0.1:20002/\n"
		   "        base_dn = dc=a,dc=lab,dc=test\n"
		   "        bind = simple\n"
		   "        bind_dn = cn=admin,dc=a,dc=lab,dc=test\n"
		   "        bind_password_file = @DIR@/ldap.pw\n"
		   "        tls = starttls\n"
		   "        tls_cacert = @DIR@/ca.pem\n"
		   "        allow_plaintext_secrets = false\n"
		   "        kadmin_principal = admin/admin@A.LAB.TEST\n"
		   "        kadmin_password_file = @DIR@/kadmin.pw\n"
		   "        verify_principal = user@A.LAB.TEST\n"
		   "        verify_password_file = @DIR@/user.pw\n"
		   "        verify_service = host/srv.a.lab.test\n"
		   "        kind = ad\n"
		   "    }\n"
		   "    B = {\n"
		   "        kind = AD\n"
		   "        dns_name = b.lab.test\n"
		   "        netbios_name = BEE\n"
		   "        sid = S-1-5-21-1002-2002-3002\n"
		   "        forest = a.lab.test\n"
		   "        functional_level = 2012\n"
		   "        ldap_uri = ldapi://%2Ftmp%2Fb%2Fldapi/ ldap://127.0.0.1:20003/\n"
		   "        base_dn = dc=b,dc=lab,dc=test\n"
		   "        bind = sasl_external\n"
		   "        tls = none\n"
		   "        allow_plaintext_secrets = yes\n"
		   "        kadmin_principal = admin/admin@B.LAB.TEST\n"
		   "        kadmin_keytab = @DIR@/admin.keytab\n"
		   "        verify_principal = user@B.LAB.TEST\n"
		   "        verify_keytab = @DIR@/user.keytab\n"
		   "    }\n",
		   conf);
	ck_assert_int_eq(config_load(conf, &c, &e), 0);
	ck_assert_str_eq(c.path, conf);
	tu_pathf(p, "%s/state", dir);
	ck_assert_str_eq(c.state_dir, p);
	ck_assert_int_eq(c.timeout, 20);
	ck_assert_int_eq(c.rotation_days, 45);
	ck_assert_uint_eq(c.ndomains, 2);

	a = &c.domains[0];
	ck_assert_str_eq(a->dom.name, "A");
	ck_assert_int_eq(a->dom.kind, DOMAIN_AD);
	ck_assert_int_eq(a->kind_given, 1);            /* written: the factory may start early */
	ck_assert_str_eq(a->dom.dns, "a.lab.test");
	ck_assert_str_eq(a->dom.netbios, "A");
	ck_assert_int_eq(a->dom.has_sid, 1);
	ck_assert_uint_eq(a->dom.sid.nsub, 4);
	ck_assert_uint_eq(a->dom.sid.sub[0], 21);
	ck_assert_uint_eq(a->dom.sid.sub[3], 3001);
	ck_assert_str_eq(a->dom.forest, "a.lab.test");
	ck_assert_int_eq(a->dom.level, LEVEL_2008R2);
	ck_assert_str_eq(a->dom.realm, "A.LAB.TEST");
	ck_assert_int_eq(a->dom.nt_service_pack, -1);
	ck_assert_uint_eq(a->nuris, 2);
	ck_assert_str_eq(a->ldap_uri[0], "ldap://127.0.0.1:20001/");
	ck_assert_str_eq(a->ldap_uri[1], "ldaps://127.0.0.1:20002/");
	ck_assert_str_eq(a->base_dn, "dc=a,dc=lab,dc=test");
	ck_assert_int_eq(a->bind, CFG_BIND_SIMPLE);
	ck_assert_str_eq(a->bind_dn, "cn=admin,dc=a,dc=lab,dc=test");
	tu_pathf(p, "%s/ldap.pw", dir);
	ck_assert_str_eq(a->bind_password_file, p);
	ck_assert_int_eq(a->tls, CFG_TLS_STARTTLS);
	tu_pathf(p, "%s/ca.pem", dir);
	ck_assert_str_eq(a->tls_cacert, p);
	ck_assert_int_eq(a->allow_plaintext_secrets, 0);
	ck_assert_str_eq(a->kadmin_principal, "admin/admin@A.LAB.TEST");
	tu_pathf(p, "%s/kadmin.pw", dir);
	ck_assert_str_eq(a->kadmin_password_file, p);
	ck_assert_str_eq(a->kadmin_keytab, "");
	ck_assert_str_eq(a->verify_principal, "user@A.LAB.TEST");
	tu_pathf(p, "%s/user.pw", dir);
	ck_assert_str_eq(a->verify_password_file, p);
	ck_assert_str_eq(a->verify_keytab, "");
	ck_assert_str_eq(a->verify_service, "host/srv.a.lab.test");

	b = &c.domains[1];
	ck_assert_str_eq(b->dom.name, "B");
	ck_assert_int_eq(b->dom.kind, DOMAIN_AD);
	ck_assert_str_eq(b->dom.netbios, "BEE");
	ck_assert_str_eq(b->dom.realm, "B.LAB.TEST");        /* from dns_name */
	ck_assert_str_eq(b->dom.forest, "a.lab.test");
	ck_assert_int_eq(b->dom.level, LEVEL_2012);
	ck_assert_uint_eq(b->nuris, 2);                      /* one value, split */
	ck_assert_str_eq(b->ldap_uri[0], "ldapi://%2Ftmp%2Fb%2Fldapi/");
	ck_assert_str_eq(b->ldap_uri[1], "ldap://127.0.0.1:20003/");
	ck_assert_int_eq(b->bind, CFG_BIND_SASL_EXTERNAL);
	ck_assert_str_eq(b->bind_dn, "");
	ck_assert_int_eq(b->tls, CFG_TLS_NONE);
	ck_assert_int_eq(b->allow_plaintext_secrets, 1);
	tu_pathf(p, "%s/admin.keytab", dir);
	ck_assert_str_eq(b->kadmin_keytab, p);
	ck_assert_str_eq(b->kadmin_password_file, "");
	tu_pathf(p, "%s/user.keytab", dir);
	ck_assert_str_eq(b->verify_keytab, p);
	ck_assert_str_eq(b->verify_service, "kadmin/admin");  /* default */
	config_free(&c);
	ck_assert_ptr_null(c.domains);
	ck_assert_uint_eq(c.ndomains, 0);
}
END_TEST

/* Exactly the shape tests/lab/lab.sh's write_trustmgr_conf writes. */
START_TEST(lab_format_loads)
{
	const char *dir = tu_tmpdir();
	char conf[PATH_MAX], p[PATH_MAX];
	const char *x[] = { "A", "B" };
	tm_config c;
	tm_error e;
	size_t i;

	for (i = 0; i < 2; i++) {
		tu_pathf(p, "%s/%s", dir, x[i]);
		ck_assert_int_eq(mkdir(p, 0700), 0);
		tu_pathf(p, "%s/%s/tls", dir, x[i]);
		ck_assert_int_eq(mkdir(p, 0700), 0);
		tu_pathf(p, "%s/%s/ldap-admin.pw", dir, x[i]);
		tu_put_file(p, "Zm9vYmFyYmF6cXV4cXV1eA==", 0600);      /* no newline, as openssl|tr */
		tu_pathf(p, "%s/%s/kadmin-admin.pw", dir, x[i]);
		tu_put_file(p, "a2FkbWluYWRtaW5wYXNzd29y", 0600);
		tu_pathf(p, "%s/%s/admin.keytab", dir, x[i]);
		tu_put_file(p, "\005\002", 0600);
		tu_pathf(p, "%s/%s/tls/ca.pem", dir, x[i]);
		tu_put_file(p, "-----BEGIN CERTIFICATE-----\n", 0644);
	}
	write_conf(dir,
		   "# trustmgr.conf for the lab in @DIR@ (TRUSTMGR_CONFIG). Generated by lab.sh.\n"
		   "# krb5.conf syntax. ldap_uri: one URI per ldap_uri line, several lines are\n"
		   "# tried in order (failover). Here the StartTLS URI comes first, then the\n"
		   "# ldaps URI of the same server (already TLS: tls = starttls applies to\n"
		   "# ldap:// URIs). The ldapi URI (bind = sasl_external, tls = none) is in\n"
		   "# each block's comment.\n"
		   "[domains]\n"
		   "    A = {\n"
		   "        dns_name = a.lab.test\n"
		   "        netbios_name = A\n"
		   "        sid = S-1-5-21-1001-2001-3001\n"
		   "        forest = a.lab.test\n"
		   "        functional_level = 2016\n"
		   "        realm = A.LAB.TEST\n"
		   "        # also: ldapi: ldapi://%2Ftmp%2Flab%2FA%2Fldapi/\n"
		   "        ldap_uri = ldap://127.0.0.1:21001/\n"
		   "        ldap_uri = ldaps://127.0.0.1:21002/\n"
		   "        base_dn = dc=a,dc=lab,dc=test\n"
		   "        bind = simple\n"
		   "        bind_dn = cn=admin,dc=a,dc=lab,dc=test\n"
		   "        bind_password_file = @DIR@/A/ldap-admin.pw\n"
		   "        tls = starttls\n"
		   "        tls_cacert = @DIR@/A/tls/ca.pem\n"
		   "        kadmin_principal = admin/admin@A.LAB.TEST\n"
		   "        kadmin_password_file = @DIR@/A/kadmin-admin.pw\n"
		   "        kadmin_keytab = @DIR@/A/admin.keytab\n"
		   "    }\n"
		   "    B = {\n"
		   "        dns_name = b.lab.test\n"
		   "        netbios_name = B\n"
		   "        sid = S-1-5-21-1002-2002-3002\n"
		   "        forest = b.lab.test\n"
		   "        functional_level = 2016\n"
		   "        realm = B.LAB.TEST\n"
		   "        # also: ldapi: ldapi://%2Ftmp%2Flab%2FB%2Fldapi/\n"
		   "        ldap_uri = ldap://127.0.0.1:21003/\n"
		   "        ldap_uri = ldaps://127.0.0.1:21004/\n"
		   "        base_dn = dc=b,dc=lab,dc=test\n"
		   "        bind = simple\n"
		   "        bind_dn = cn=admin,dc=b,dc=lab,dc=test\n"
		   "        bind_password_file = @DIR@/B/ldap-admin.pw\n"
		   "        tls = starttls\n"
		   "        tls_cacert = @DIR@/B/tls/ca.pem\n"
		   "        kadmin_principal = admin/admin@B.LAB.TEST\n"
		   "        kadmin_password_file = @DIR@/B/kadmin-admin.pw\n"
		   "        kadmin_keytab = @DIR@/B/admin.keytab\n"
		   "    }\n",
		   conf);
	ck_assert_msg(config_load(conf, &c, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(c.ndomains, 2);
	ck_assert_int_eq(c.timeout, 10);
	ck_assert_int_eq(c.rotation_days, 30);
	ck_assert_str_eq(c.domains[1].dom.realm, "B.LAB.TEST");
	ck_assert(c.domains[1].dom.kind == DOMAIN_AD && !c.domains[1].kind_given &&
		  !c.domains[1].from_directory);            /* the default kind: no factory */
	ck_assert_uint_eq(c.domains[1].nuris, 2);
	ck_assert_str_eq(c.domains[1].ldap_uri[1], "ldaps://127.0.0.1:21004/");
	tu_pathf(p, "%s/B/admin.keytab", dir);
	ck_assert_str_eq(c.domains[1].kadmin_keytab, p);
	tu_pathf(p, "%s/B/kadmin-admin.pw", dir);
	ck_assert_str_eq(c.domains[1].kadmin_password_file, p);
	config_free(&c);
}
END_TEST

/* The example in config.h's comment, " # ..." comments after values included. */
START_TEST(header_example_loads)
{
	const char *dir = tu_tmpdir();
	char conf[PATH_MAX];
	tm_config c;
	tm_error e;
	const cfg_domain *a;

	make_files(dir);
	write_conf(dir,
		   "[trustmgr]\n"
		   "    state_dir = /var/lib/trustmgr     # health and journal (default\n"
		   "                                      # $XDG_STATE_HOME/trustmgr)\n"
		   "    timeout = 10                      # seconds per network operation\n"
		   "    rotation_days = 30\n"
		   "[domains]\n"
		   "    A = {\n"
		   "        dns_name = a.lab.test\n"
		   "        netbios_name = A\n"
		   "        sid = S-1-5-21-1001-2001-3001\n"
		   "        forest = a.lab.test\n"
		   "        functional_level = 2016\n"
		   "        realm = A.LAB.TEST\n"
		   "        ldap_uri = ldap://127.0.0.1:20001/     # several lines = failover\n"
		   "        ldap_uri = ldaps://127.0.0.1:20002/\n"
		   "        base_dn = dc=a,dc=lab,dc=test\n"
		   "        bind = simple                  # simple | sasl_external | sasl_gssapi\n"
		   "        bind_dn = cn=admin,dc=a,dc=lab,dc=test\n"
		   "        bind_password_file = @DIR@/ldap.pw\n"
		   "        tls = starttls                 # starttls | ldaps | none\n"
		   "        tls_cacert = @DIR@/ca.pem\n"
		   "        allow_plaintext_secrets = false   # with tls = none: only for ldapi:// or loopback\n"
		   "        kadmin_principal = admin/admin@A.LAB.TEST\n"
		   "        kadmin_password_file = @DIR@/kadmin.pw   # or kadmin_keytab = /path/admin.keytab\n"
		   "        verify_principal = user@A.LAB.TEST       # optional: a client of this realm\n"
		   "        verify_password_file = @DIR@/user.pw     # (or verify_keytab) used by verify\n"
		   "        verify_service = kadmin/admin             # optional: service asked for in verify\n"
		   "        kind = ad                      # ad (default) | nt4 | mit\n"
		   "    }\n",
		   conf);
	ck_assert_msg(config_load(conf, &c, &e) == 0, "%s", e.what);
	ck_assert_str_eq(c.state_dir, "/var/lib/trustmgr");
	ck_assert_int_eq(c.timeout, 10);
	a = &c.domains[0];
	ck_assert_uint_eq(a->nuris, 2);
	ck_assert_str_eq(a->ldap_uri[0], "ldap://127.0.0.1:20001/");
	ck_assert_int_eq(a->bind, CFG_BIND_SIMPLE);
	ck_assert_int_eq(a->tls, CFG_TLS_STARTTLS);
	ck_assert_int_eq(a->allow_plaintext_secrets, 0);
	ck_assert_str_eq(a->verify_service, "kadmin/admin");
	config_free(&c);
}
END_TEST

/* Defaults: realm from dns_name, [trustmgr] values, state folder from XDG
 * or HOME, relative file names from the configuration's folder. */
START_TEST(defaults_and_relative_files)
{
	const char *dir = tu_tmpdir();
	char text[CONF_MAX], conf[PATH_MAX], p[PATH_MAX], *home = getenv("HOME");
	char *saved = home ? strdup(home) : NULL;
	tm_config c;
	tm_error e;

	make_files(dir);
	snprintf(text, sizeof(text), "[domains]\n");
	add_block(text, sizeof(text), 'A', 1, "realm", NULL);
	/* relative file names */
	strcpy(strstr(text, "@DIR@/ldap.pw"), "ldap.pw\n"
	       "        tls = starttls\n        tls_cacert = ca.pem\n"
	       "        kadmin_principal = admin/admin@A.LAB.TEST\n"
	       "        kadmin_password_file = kadmin.pw\n    }\n");
	write_conf(dir, text, conf);
	setenv("XDG_STATE_HOME", "/xdg/state", 1);
	ck_assert_msg(config_load(conf, &c, &e) == 0, "%s", e.what);
	ck_assert_str_eq(c.state_dir, "/xdg/state/trustmgr");
	ck_assert_int_eq(c.timeout, 10);
	ck_assert_int_eq(c.rotation_days, 30);
	ck_assert_str_eq(c.domains[0].dom.realm, "A.LAB.TEST");
	ck_assert_int_eq(c.domains[0].dom.kind, DOMAIN_AD);
	ck_assert_int_eq(c.domains[0].allow_plaintext_secrets, 0);
	tu_pathf(p, "%s/ldap.pw", dir);
	ck_assert_str_eq(c.domains[0].bind_password_file, p);
	tu_pathf(p, "%s/ca.pem", dir);
	ck_assert_str_eq(c.domains[0].tls_cacert, p);
	config_free(&c);

	setenv("XDG_STATE_HOME", "relative/ignored", 1);
	setenv("HOME", "/home/someone", 1);
	ck_assert_msg(config_load(conf, &c, &e) == 0, "%s", e.what);
	/* root without XDG_STATE_HOME: the system state (check_config_find.c) */
	ck_assert_str_eq(c.state_dir, geteuid() == 0 ? "/var/lib/trustmgr" :
				      "/home/someone/.local/state/trustmgr");
	config_free(&c);
	unsetenv("XDG_STATE_HOME");
	if (saved)
		setenv("HOME", saved, 1);
	else
		unsetenv("HOME");
	free(saved);
}
END_TEST

/* tls and URI combinations that are fine at load time. */
START_TEST(tls_combinations_accepted)
{
	const char *dir = tu_tmpdir();
	char text[CONF_MAX], conf[PATH_MAX];
	tm_config c;
	tm_error e;

	make_files(dir);
	/* A: tls = ldaps with an ldap:// URI; B: starttls with only ldaps. */
	two_domains(text, sizeof(text), "tls", "        tls = ldaps\n");
	write_conf(dir, text, conf);
	ck_assert_msg(config_load(conf, &c, &e) == 0, "%s", e.what);
	ck_assert_int_eq(c.domains[0].tls, CFG_TLS_LDAPS);
	config_free(&c);

	two_domains(text, sizeof(text), "ldap_uri",
		    "        ldap_uri = ldaps://dc1.a.lab.test/\n"
		    "        ldap_uri = LDAPS://dc2.a.lab.test:636\n");
	write_conf(dir, text, conf);
	ck_assert_msg(config_load(conf, &c, &e) == 0, "%s", e.what);
	ck_assert_int_eq(c.domains[0].tls, CFG_TLS_STARTTLS);
	ck_assert_uint_eq(c.domains[0].nuris, 2);
	ck_assert_str_eq(c.domains[0].ldap_uri[1], "LDAPS://dc2.a.lab.test:636");
	config_free(&c);

	/* tls = none with a remote URI: refused only when secrets are sent. */
	two_domains(text, sizeof(text), "tls",
		    "        tls = none\n        allow_plaintext_secrets = on\n");
	write_conf(dir, text, conf);
	ck_assert_msg(config_load(conf, &c, &e) == 0, "%s", e.what);
	ck_assert_int_eq(c.domains[0].tls, CFG_TLS_NONE);
	ck_assert_int_eq(c.domains[0].allow_plaintext_secrets, 1);
	config_free(&c);
}
END_TEST

/* Other kinds of domain need fewer names. */
START_TEST(mit_and_nt4_domains)
{
	const char *dir = tu_tmpdir();
	char conf[PATH_MAX];
	tm_config c;
	tm_error e;

	make_files(dir);
	write_conf(dir,
		   "[domains]\n"
		   "  K = {\n"
		   "    kind = mit\n"
		   "    realm = K.EXAMPLE\n"
		   "    kadmin_principal = admin/admin@K.EXAMPLE\n"
		   "    kadmin_password_file = @DIR@/kadmin.pw\n"
		   "  }\n"
		   "  N = {\n"
		   "    kind = nt4\n"
		   "    netbios_name = NTDOM\n"
		   "    sid = S-1-5-21-7-8-9\n"
		   "    ldap_uri = ldap://127.0.0.1/\n"
		   "    base_dn = dc=nt,dc=example\n"
		   "    bind = simple\n"
		   "    bind_dn = cn=admin,dc=nt,dc=example\n"
		   "    bind_password_file = @DIR@/ldap.pw\n"
		   "    tls = starttls\n"
		   "  }\n",
		   conf);
	ck_assert_msg(config_load(conf, &c, &e) == 0, "%s", e.what);
	ck_assert_int_eq(c.domains[0].dom.kind, DOMAIN_MIT);
	ck_assert_int_eq(c.domains[0].dom.has_sid, 0);
	ck_assert_uint_eq(c.domains[0].nuris, 0);             /* a plain realm: no directory */
	ck_assert_int_eq(c.domains[1].dom.kind, DOMAIN_NT4);
	ck_assert_str_eq(c.domains[1].dom.realm, "");
	config_free(&c);
}
END_TEST

/* An ad domain without its names (or base_dn) loads, to be named by its
 * directory when it is Active Directory; an nt4 domain still needs its. */
START_TEST(names_from_directory)
{
	const char *dir = tu_tmpdir();
	char conf[PATH_MAX];
	tm_config c;
	tm_error e;

	make_files(dir);
	write_conf(dir, "[domains]\n  D = {\n    kind = ad\n    ldap_uri = ldaps://dc1.example/\n"
		   "    bind = simple\n    bind_dn = CN=Administrator,CN=Users,DC=example\n"
		   "    bind_password_file = @DIR@/ldap.pw\n    tls = ldaps\n  }\n", conf);
	ck_assert_msg(config_load(conf, &c, &e) == 0, "%s", e.what);
	ck_assert_int_eq(c.domains[0].from_directory, 1);
	ck_assert_str_eq(c.domains[0].dom.dns, "");
	config_free(&c);
	write_conf(dir, "[domains]\n  N = {\n    kind = nt4\n    sid = S-1-5-21-7-8-9\n"
		   "    ldap_uri = ldap://127.0.0.1/\n    base_dn = dc=nt,dc=example\n"
		   "    bind = sasl_external\n    tls = none\n  }\n", conf);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	TU_ASSERT_HAS(e.what, "netbios_name");
	config_free(&c);
}
END_TEST

/* A plain realm refuses what only a directory or a Windows-style domain
 * has, saying why. */
START_TEST(mit_refuses_directory_keys)
{
	static const char *const lines[] = { "    ldap_uri = ldap://127.0.0.1/\n",
					     "    base_dn = dc=k,dc=example\n",
					     "    sid = S-1-5-21-7-8-9\n",
					     "    netbios_name = K\n",
					     "    functional_level = 2016\n" };
	const char *dir = tu_tmpdir();
	char conf[PATH_MAX], text[1024];
	tm_config c;
	tm_error e;
	size_t i;

	make_files(dir);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		snprintf(text, sizeof(text), "[domains]\n  K = {\n    kind = mit\n"
			 "    realm = K.EXAMPLE\n%s  }\n", lines[i]);
		write_conf(dir, text, conf);
		memset(&c, 0, sizeof(c));
		ck_assert_int_eq(config_load(conf, &c, &e), -1);
		TU_ASSERT_HAS(e.what, "given, but");
		ck_assert_msg(strstr(e.what, "no directory") || strstr(e.what, "Kerberos realm has no"),
			      "%s", e.what);
		config_free(&c);
	}
}
END_TEST

/* ---- faults: each names the file, the domain and the key ---- */

/* A fault in domain A's block: the line of key omit left out (NULL: none),
 * the lines extra added; the error names key (NULL: no check) and holds
 * the texts what[] and next (NULL: no check), never never, status when
 * given. */
typedef struct fault_row {
	const char *omit, *extra, *key;
	const char *what[3];
	const char *next, *never, *status;
} fault_row;

static const fault_row fault_rows[] = {
	{ "tls", "        tls = tsl\n", "tls",
	  { "'tsl' is not one of starttls, ldaps, none" }, "starttls, ldaps, none", NULL, NULL },
	{ "bind", "        bind = kerberos\n", "bind",
	  { "'kerberos' is not one of simple, sasl_external, sasl_gssapi" }, NULL, NULL, NULL },
	{ "bind_dn", NULL, "bind_dn", { "missing", "bind = simple" }, "bind_dn = ", NULL, NULL },
	{ "bind_password_file", NULL, "bind_password_file", { "missing" }, NULL, NULL, NULL },
	{ "bind", "        bind = sasl_external\n", "bind_dn",
	  { "only bind = simple uses it" }, NULL, NULL, NULL },
	/* an unknown key: the known ones listed, its value never shown */
	{ NULL, "        bind_password = hunter2\n", "bind_password",
	  { "not a known key", "did you mean bind_password_file?",
	    "dns_name, netbios_name, sid, forest, functional_level, realm, kind, "
	    "ldap_uri, base_dn, bind, bind_dn, bind_password_file, sasl_nocanon, tls, "
	    "tls_cacert, "
	    "allow_plaintext_secrets, kadmin_principal, kadmin_password_file, kadmin_keytab, "
	    "verify_principal, verify_password_file, verify_keytab, verify_service" },
	  NULL, "hunter2", NULL },
	{ NULL, "        tsl = starttls\n", "tsl", { "did you mean tls?" }, NULL, NULL, NULL },
	{ "sid", "        sid = S-1-5-32-544\n", "sid", { "BUILTIN" }, NULL, NULL, ST_INVALID_SID },
	{ "sid", "        sid = 1-5-21-1-2-3\n", "sid", { "is not a valid SID" }, NULL, NULL, NULL },
	{ "functional_level", "        functional_level = 2019\n", "functional_level",
	  { "\"2019\" is not a functional level" }, NULL, NULL, NULL },
	{ "kadmin_password_file", "        kadmin_password_file = @DIR@/nonexistent.pw\n",
	  "kadmin_password_file", { "/nonexistent.pw does not exist" }, "chmod 600", NULL, NULL },
	{ "ldap_uri", "        ldap_uri = http://127.0.0.1/\n", "ldap_uri",
	  { "'http://127.0.0.1/' does not start with ldap://, ldaps:// or ldapi://" },
	  NULL, NULL, NULL },
	/* a bad one inside a space-separated list is found too */
	{ "ldap_uri", "        ldap_uri = ldap://127.0.0.1/ 127.0.0.2\n", "ldap_uri",
	  { "'127.0.0.2' does not start with" }, NULL, NULL, NULL },
	{ "ldap_uri",
	  "        ldap_uri = ldap://h1/ ldap://h2/ ldap://h3/ ldap://h4/ ldap://h5/\n"
	  "        ldap_uri = ldap://h6/ ldap://h7/ ldap://h8/ ldap://h9/\n",
	  "ldap_uri", { "more than 8 URIs" }, NULL, NULL, NULL },
	{ NULL, "        tls = ldaps\n", "tls", { "given more than once" }, NULL, NULL, NULL },
	{ "kadmin_principal", NULL, "kadmin_password_file",
	  { "given without kadmin_principal" }, NULL, NULL, NULL },
	{ NULL, "        verify_principal = user@A.LAB.TEST\n", "verify_principal",
	  { "verify_password_file or verify_keytab" }, NULL, NULL, NULL },
	/* names, values and syntax (an ad domain's names may be left out: its
	 * Active Directory says them, see names_from_directory) */
	{ "ldap_uri", NULL, "ldap_uri", { NULL }, NULL, NULL, NULL },
	{ "bind", NULL, "bind", { NULL }, NULL, NULL, NULL },
	{ "tls", NULL, "tls", { NULL }, NULL, NULL, NULL },
	{ "dns_name", "        dns_name = -bad-.test\n", "dns_name", { NULL }, NULL, NULL, NULL },
	{ "netbios_name", "        netbios_name = A:B\n", "netbios_name", { NULL }, NULL, NULL,
	  NULL },
	{ "realm", "        realm = A@B\n", "realm", { NULL }, NULL, NULL, NULL },
	{ "base_dn", "        base_dn = not a dn\n", "base_dn", { "not a valid LDAP DN" },
	  NULL, NULL, NULL },
	{ NULL, "        kind = samba\n", "kind", { "'samba' is not one of ad, nt4, mit" },
	  NULL, NULL, NULL },
	{ NULL, "        allow_plaintext_secrets = maybe\n", "allow_plaintext_secrets",
	  { "'maybe' is not one of true, yes" }, NULL, NULL, NULL },
	{ NULL, "        verify_service = host srv\n", "verify_service", { NULL }, NULL, NULL,
	  NULL },
	{ "tls_cacert", "        tls_cacert = @DIR@\n", "tls_cacert",
	  { "is not a regular file" }, NULL, NULL, NULL },
	{ NULL, "        verify_principal = {\n        }\n", "verify_principal",
	  { "a block is given where a value belongs" }, NULL, NULL, NULL },
	{ NULL, "        base_dn = \"\"\n", "base_dn", { "no value is given" }, NULL, NULL, NULL },
	/* krb5.conf takes a brace after a value as part of the value */
	{ "kadmin_password_file", "        kadmin_password_file = @DIR@/kadmin.pw }\n",
	  "kadmin_password_file", { "the value ends in '}'" }, "closing brace", NULL, NULL },
};

START_TEST(fault_in_domain_a)
{
	const fault_row *r = &fault_rows[_i];
	tm_error e = fault_a(r->omit, r->extra, r->key);
	size_t k;

	for (k = 0; k < 3 && r->what[k]; k++)
		TU_ASSERT_HAS(e.what, r->what[k]);
	if (r->next)
		TU_ASSERT_HAS(e.next, r->next);
	if (r->never) {
		ck_assert_ptr_null(strstr(e.what, r->never));
		ck_assert_ptr_null(strstr(e.next, r->never));
	}
	if (r->status)
		ck_assert_str_eq(e.status, r->status);
}
END_TEST

/* A secret file of domain A with too open a mode: the key, the file and
 * the mode are named, and chmod 600 is the next step. */
typedef struct mode_row {
	const char *file, *extra, *key, *mode_text;
	mode_t mode;
} mode_row;

static const mode_row mode_rows[] = {
	{ "ldap.pw", NULL, "bind_password_file", "readable by group or others (mode 0640)", 0640 },
	{ "admin.keytab", "        kadmin_keytab = @DIR@/admin.keytab\n", "kadmin_keytab",
	  "readable by group or others (mode 0604)", 0604 },
};

START_TEST(fault_secret_mode)
{
	const mode_row *r = &mode_rows[_i];
	const char *dir = tu_tmpdir();
	char text[CONF_MAX], conf[PATH_MAX], p[PATH_MAX], want[128];
	tm_config c;
	tm_error e;

	make_files(dir);
	tu_pathf(p, "%s/%s", dir, r->file);
	ck_assert_int_eq(chmod(p, r->mode), 0);
	two_domains(text, sizeof(text), NULL, r->extra);
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ck_assert_msg(strncmp(e.what, conf, strlen(conf)) == 0, "%s", e.what);
	snprintf(want, sizeof(want), "domain A: key %s: ", r->key);
	TU_ASSERT_HAS(e.what, want);
	TU_ASSERT_HAS(e.what, p);
	TU_ASSERT_HAS(e.what, r->mode_text);
	TU_ASSERT_HAS(e.next, "chmod 600 ");
	TU_ASSERT_HAS(e.next, p);
}
END_TEST

/* Domain B repeats a name of domain A: B's line of key omit replaced by
 * extra; the error names B, the key and A. */
static const char *const dup_rows[][3] = {
	{ "realm", "        realm = a.lab.test\n",
	  "domain B: key realm: 'a.lab.test' is already the realm of domain A" },
	{ "sid", "        sid = S-1-5-21-1001-2001-3001\n",
	  "domain B: key sid: S-1-5-21-1001-2001-3001 is already the SID of domain A" },
	{ "netbios_name", "        netbios_name = a\n",
	  "domain B: key netbios_name: 'a' is already the " },
};

START_TEST(fault_duplicate_name)
{
	const char *const *r = dup_rows[_i];
	const char *dir = tu_tmpdir();
	char text[CONF_MAX], conf[PATH_MAX];
	tm_config c;
	tm_error e;

	make_files(dir);
	snprintf(text, sizeof(text), "[domains]\n");
	add_block(text, sizeof(text), 'A', 1, NULL, NULL);
	add_block(text, sizeof(text), 'B', 2, r[0], r[1]);
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ck_assert_msg(strncmp(e.what, conf, strlen(conf)) == 0, "%s", e.what);
	TU_ASSERT_HAS(e.what, r[2]);
	ck_assert(e.next[0]);
}
END_TEST

/* Faults outside the domain blocks name the file and the section. Each
 * row: the text before two valid domain blocks (or, with whole set, the
 * whole file), what the error says, what its next step says (or NULL). */
typedef struct file_row {
	const char *text;
	int whole;
	const char *what, *next;
} file_row;

static const file_row file_rows[] = {
	{ "[trustmgr]\n    timeout = 0\n", 0,
	  ": [trustmgr]: key timeout: '0' is not a whole number from 1 to 600", "seconds" },
	{ "[trustmgr]\n    timeout = 601\n", 0, "key timeout: '601'", NULL },
	{ "[trustmgr]\n    rotation_days = 30d\n", 0, "key rotation_days: '30d'", NULL },
	{ "[trustmgr]\n    timout = 5\n", 0, "[trustmgr]: key timout: not a known key", NULL },
	{ "[domain]\n    x = 1\n", 0, "the section [domain] is not known", NULL },
	{ "[trustmgr]\n    audit_log = none\n", 0,
	  "[trustmgr]: key audit_log: none, and audit_syslog is not true", "audit_syslog = true" },
	{ "[trustmgr]\n    audit_facility = kern\n", 0,
	  "key audit_facility: 'kern' is not a syslog facility", "authpriv" },
	{ "[trustmgr]\n    audit_syslog = maybe\n", 0, "key audit_syslog", NULL },
	{ "[trustmgr]\n    min_password_length = 0\n", 0,
	  "[trustmgr]: key min_password_length: '0' is not a whole number from 1 to 256",
	  "characters" },
	{ "[trustmgr]\n    min_password_length = 257\n", 0, "key min_password_length: '257'",
	  NULL },
	{ "[trustmgr]\n    min_password_length = eight\n", 0, "key min_password_length: 'eight'",
	  NULL },
	{ "[trustmgr]\n    min_password_lenght = 8\n", 0, "min_password_length", NULL },
	{ "[domains\n", 1, "krb5.conf syntax (profile library: ", "" },
	{ "[domains]\n    A = {\n        realm =\n    }\n", 1, "profile library: ", NULL },
	{ "[trustmgr]\n    timeout = 5\n[domains]\n", 1, "[domains]: the section names no domain",
	  "" },
	{ "[trustmgr]\n    timeout = 5\n", 1, "there is no [domains] section", NULL },
	{ "", 1, "there is no [domains] section", NULL },
	{ "[domains]\n    A = a.lab.test\n", 1, "[domains]: 'A = ...' is not a domain block",
	  NULL },
};

START_TEST(fault_file_level)
{
	const file_row *r = &file_rows[_i];
	const char *dir = tu_tmpdir();
	char text[CONF_MAX], conf[PATH_MAX], body[CONF_MAX / 2];
	tm_config c;
	tm_error e;

	make_files(dir);
	two_domains(body, sizeof(body), NULL, NULL);
	snprintf(text, sizeof(text), "%s%s", r->text, r->whole ? "" : body);
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ck_assert_msg(strncmp(e.what, conf, strlen(conf)) == 0, "file not first: %s", e.what);
	TU_ASSERT_HAS(e.what, r->what);
	if (r->next)
		TU_ASSERT_HAS(e.next, r->next);
	ck_assert(e.next[0]);
	ck_assert_ptr_null(c.domains);
}
END_TEST

/* A file that cannot be loaded at all. */
START_TEST(fault_no_file)
{
	const char *dir = tu_tmpdir();
	char conf[PATH_MAX];
	tm_config c;
	tm_error e;

	tu_pathf(conf, "%s/absent.conf", dir);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	TU_ASSERT_HAS(e.what, "absent.conf: cannot be read: No such file or directory");
	ck_assert_int_eq(config_load(dir, &c, &e), -1);
	TU_ASSERT_HAS(e.what, "is not a regular file");
	ck_assert_int_eq(config_load(NULL, &c, &e), -1);
	ck_assert_int_eq(config_load("", &c, &e), -1);
}
END_TEST

#define ROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The audit keys of [trustmgr]: values and defaults (their faults: file_rows). */
START_TEST(audit_keys)
{
	const char *dir = tu_tmpdir();
	char text[CONF_MAX], conf[PATH_MAX], body[CONF_MAX / 2], p[PATH_MAX];
	tm_config c;
	tm_error e;

	make_files(dir);
	two_domains(body, sizeof(body), NULL, NULL);
	snprintf(text, sizeof(text), "[trustmgr]\n    timeout = 7\n%s", body);
	write_conf(dir, text, conf);
	ck_assert_msg(config_load(conf, &c, &e) == 0, "%s", e.what);
	ck_assert_str_eq(c.audit_log, "");
	ck_assert_int_eq(c.audit_syslog, 0);
	ck_assert_int_eq(c.audit_facility, 10);                 /* authpriv */
	ck_assert_str_eq(c.audit_syslog_socket, "/dev/log");
	config_free(&c);

	snprintf(text, sizeof(text), "[trustmgr]\n    audit_log = logs/audit.log\n"
		 "    audit_syslog = yes\n    audit_facility = local3\n"
		 "    audit_syslog_socket = /run/test/log\n%s", body);
	write_conf(dir, text, conf);
	ck_assert_msg(config_load(conf, &c, &e) == 0, "%s", e.what);
	tu_pathf(p, "%s/logs/audit.log", dir);
	ck_assert_str_eq(c.audit_log, p);
	ck_assert_int_eq(c.audit_syslog, 1);
	ck_assert_int_eq(c.audit_facility, 19);
	ck_assert_str_eq(c.audit_syslog_socket, "/run/test/log");
	config_free(&c);

	snprintf(text, sizeof(text), "[trustmgr]\n    audit_log = none\n"
		 "    audit_syslog = true\n%s", body);
	write_conf(dir, text, conf);
	ck_assert_msg(config_load(conf, &c, &e) == 0, "%s", e.what);
	ck_assert_str_eq(c.audit_log, "none");
	config_free(&c);
}
END_TEST

/* min_password_length: its default, a value, and the helper the front
 * ends ask (the embedded store, without a file, has the default). */
START_TEST(min_password_length_key)
{
	static const struct { const char *line; int want; } rows[] = {
		{ "    timeout = 7\n", SECRET_MIN_DEFAULT }, { "    min_password_length = 14\n", 14 },
	};
	const char *dir = tu_tmpdir();
	char text[CONF_MAX], conf[PATH_MAX], body[CONF_MAX / 2];
	tm_config c;
	tm_error e;
	int min = 0;
	size_t i;

	make_files(dir);
	two_domains(body, sizeof(body), NULL, NULL);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(text, sizeof(text), "[trustmgr]\n%s%s", rows[i].line, body);
		write_conf(dir, text, conf);
		ck_assert_msg(config_load(conf, &c, &e) == 0, "%s", e.what);
		ck_assert_int_eq(c.min_password_length, rows[i].want);
		config_free(&c);
		ck_assert_int_eq(config_min_password_length(conf, &min, &e), 0);
		ck_assert_int_eq(min, rows[i].want);
	}
	ck_assert_int_eq(SECRET_MIN_DEFAULT, 8);
	ck_assert_int_eq(config_min_password_length("", &min, &e), 0);
	ck_assert_int_eq(min, SECRET_MIN_DEFAULT);
	ck_assert_int_eq(config_min_password_length(NULL, &min, &e), 0);
	ck_assert_int_eq(min, SECRET_MIN_DEFAULT);
	snprintf(text, sizeof(text), "[trustmgr]\n    min_password_length = 1000\n%s", body);
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_min_password_length(conf, &min, &e), -1);
	TU_ASSERT_HAS(e.what, "key min_password_length: '1000'");
}
END_TEST

/* ---- lookup ---- */

START_TEST(domain_find_by_any_name)
{
	const char *dir = tu_tmpdir();
	char text[CONF_MAX], conf[PATH_MAX];
	tm_config c;
	tm_error e;

	make_files(dir);
	two_domains(text, sizeof(text), NULL, NULL);
	write_conf(dir, text, conf);
	ck_assert_msg(config_load(conf, &c, &e) == 0, "%s", e.what);
	ck_assert_ptr_eq(config_domain_find(&c, "A"), &c.domains[0]);
	ck_assert_ptr_eq(config_domain_find(&c, "b"), &c.domains[1]);
	ck_assert_ptr_eq(config_domain_find(&c, "b.lab.test"), &c.domains[1]);
	ck_assert_ptr_eq(config_domain_find(&c, "B.LAB.TEST"), &c.domains[1]);
	ck_assert_ptr_eq(config_domain_find(&c, "S-1-5-21-1002-2002-3002"), &c.domains[1]);
	ck_assert_ptr_eq(config_domain_find(&c, "a.lab.test."), &c.domains[0]);
	ck_assert_ptr_null(config_domain_find(&c, "C"));
	ck_assert_ptr_null(config_domain_find(&c, ""));
	ck_assert_ptr_null(config_domain_find(&c, NULL));
	ck_assert_ptr_null(config_domain_find(NULL, "A"));
	config_free(&c);
	config_free(NULL);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("load");

	tcase_add_test(tc, full_file_two_domains);
	tcase_add_test(tc, lab_format_loads);
	tcase_add_test(tc, header_example_loads);
	tcase_add_test(tc, defaults_and_relative_files);
	tcase_add_test(tc, tls_combinations_accepted);
	tcase_add_test(tc, mit_and_nt4_domains);
	tcase_add_test(tc, mit_refuses_directory_keys);
	tcase_add_test(tc, names_from_directory);
	tcase_add_test(tc, domain_find_by_any_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("faults");
	tcase_add_loop_test(tc, fault_in_domain_a, 0, ROWS(fault_rows));
	tcase_add_loop_test(tc, fault_secret_mode, 0, ROWS(mode_rows));
	tcase_add_loop_test(tc, fault_duplicate_name, 0, ROWS(dup_rows));
	tcase_add_loop_test(tc, fault_file_level, 0, ROWS(file_rows));
	tcase_add_test(tc, fault_no_file);
	tcase_add_test(tc, audit_keys);
	tcase_add_test(tc, min_password_length_key);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return tu_run(config_suite());
}
