/* check_config.c - trustmgr.conf (backend/config.c): finding the file,
 * loading every key, the faults and their messages, reading secrets.
 *
 * Every test writes its files into its own tu_tmpdir(); the environment
 * variables config_find reads are set by the tests that need them and put back
 * afterwards (so the suite also runs with CK_FORK=no). */
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

/* ---- helpers ---- */

static void pathf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pathf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	ck_assert(k > 0 && k < PATH_MAX);
}

static void put_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(chmod(path, mode), 0);
}

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
	pathf(conf, "%s/trustmgr.conf", dir);
	put_file(conf, text, 0644);
}

/* The files a domain block names: secrets 0600, the CA 0644. */
static void make_files(const char *dir)
{
	static const char *const secrets[] = { "ldap.pw", "kadmin.pw", "user.pw", "admin.keytab",
					       "user.keytab" };
	char p[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
		pathf(p, "%s/%s", dir, secrets[i]);
		put_file(p, "s3cret-value\n", 0600);
	}
	pathf(p, "%s/ca.pem", dir);
	put_file(p, "-----BEGIN CERTIFICATE-----\n", 0644);
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

#define ASSERT_HAS(s, sub) \
	ck_assert_msg(strstr((s), (sub)) != NULL, "\"%s\" not in: %s", (sub), (s))

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
	ASSERT_HAS(e.what, "domain A: ");
	if (key) {
		snprintf(want, sizeof(want), "key %s: ", key);
		ASSERT_HAS(e.what, want);
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
	pathf(p, "%s/state", dir);
	ck_assert_str_eq(c.state_dir, p);
	ck_assert_int_eq(c.timeout, 20);
	ck_assert_int_eq(c.rotation_days, 45);
	ck_assert_uint_eq(c.ndomains, 2);

	a = &c.domains[0];
	ck_assert_str_eq(a->dom.name, "A");
	ck_assert_int_eq(a->dom.kind, DOMAIN_AD);
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
	pathf(p, "%s/ldap.pw", dir);
	ck_assert_str_eq(a->bind_password_file, p);
	ck_assert_int_eq(a->tls, CFG_TLS_STARTTLS);
	pathf(p, "%s/ca.pem", dir);
	ck_assert_str_eq(a->tls_cacert, p);
	ck_assert_int_eq(a->allow_plaintext_secrets, 0);
	ck_assert_str_eq(a->kadmin_principal, "admin/admin@A.LAB.TEST");
	pathf(p, "%s/kadmin.pw", dir);
	ck_assert_str_eq(a->kadmin_password_file, p);
	ck_assert_str_eq(a->kadmin_keytab, "");
	ck_assert_str_eq(a->verify_principal, "user@A.LAB.TEST");
	pathf(p, "%s/user.pw", dir);
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
	pathf(p, "%s/admin.keytab", dir);
	ck_assert_str_eq(b->kadmin_keytab, p);
	ck_assert_str_eq(b->kadmin_password_file, "");
	pathf(p, "%s/user.keytab", dir);
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
		pathf(p, "%s/%s", dir, x[i]);
		ck_assert_int_eq(mkdir(p, 0700), 0);
		pathf(p, "%s/%s/tls", dir, x[i]);
		ck_assert_int_eq(mkdir(p, 0700), 0);
		pathf(p, "%s/%s/ldap-admin.pw", dir, x[i]);
		put_file(p, "Zm9vYmFyYmF6cXV4cXV1eA==", 0600);      /* no newline, as openssl|tr */
		pathf(p, "%s/%s/kadmin-admin.pw", dir, x[i]);
		put_file(p, "a2FkbWluYWRtaW5wYXNzd29y", 0600);
		pathf(p, "%s/%s/admin.keytab", dir, x[i]);
		put_file(p, "\005\002", 0600);
		pathf(p, "%s/%s/tls/ca.pem", dir, x[i]);
		put_file(p, "-----BEGIN CERTIFICATE-----\n", 0644);
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
	ck_assert_uint_eq(c.domains[1].nuris, 2);
	ck_assert_str_eq(c.domains[1].ldap_uri[1], "ldaps://127.0.0.1:21004/");
	pathf(p, "%s/B/admin.keytab", dir);
	ck_assert_str_eq(c.domains[1].kadmin_keytab, p);
	pathf(p, "%s/B/kadmin-admin.pw", dir);
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
	pathf(p, "%s/ldap.pw", dir);
	ck_assert_str_eq(c.domains[0].bind_password_file, p);
	pathf(p, "%s/ca.pem", dir);
	ck_assert_str_eq(c.domains[0].tls_cacert, p);
	config_free(&c);

	setenv("XDG_STATE_HOME", "relative/ignored", 1);
	setenv("HOME", "/home/someone", 1);
	ck_assert_msg(config_load(conf, &c, &e) == 0, "%s", e.what);
	ck_assert_str_eq(c.state_dir, "/home/someone/.local/state/trustmgr");
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
		   "    ldap_uri = ldapi://%2Frun%2Fslapd%2Fldapi\n"
		   "    base_dn = dc=k,dc=example\n"
		   "    bind = sasl_gssapi\n"
		   "    tls = none\n"
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
	ck_assert_int_eq(c.domains[0].bind, CFG_BIND_SASL_GSSAPI);
	ck_assert_int_eq(c.domains[1].dom.kind, DOMAIN_NT4);
	ck_assert_str_eq(c.domains[1].dom.realm, "");
	config_free(&c);
}
END_TEST

/* ---- faults: each names the file, the domain and the key ---- */

START_TEST(fault_bad_tls)
{
	tm_error e = fault_a("tls", "        tls = tsl\n", "tls");

	ASSERT_HAS(e.what, "'tsl' is not one of starttls, ldaps, none");
	ASSERT_HAS(e.next, "starttls, ldaps, none");
}
END_TEST

START_TEST(fault_bad_bind)
{
	tm_error e = fault_a("bind", "        bind = kerberos\n", "bind");

	ASSERT_HAS(e.what, "'kerberos' is not one of simple, sasl_external, sasl_gssapi");
}
END_TEST

START_TEST(fault_missing_bind_dn)
{
	tm_error e = fault_a("bind_dn", NULL, "bind_dn");

	ASSERT_HAS(e.what, "missing");
	ASSERT_HAS(e.what, "bind = simple");
	ASSERT_HAS(e.next, "bind_dn = ");
}
END_TEST

START_TEST(fault_missing_bind_password_file)
{
	tm_error e = fault_a("bind_password_file", NULL, "bind_password_file");

	ASSERT_HAS(e.what, "missing");
}
END_TEST

START_TEST(fault_bind_dn_without_simple)
{
	tm_error e = fault_a("bind", "        bind = sasl_external\n", "bind_dn");

	ASSERT_HAS(e.what, "only bind = simple uses it");
}
END_TEST

START_TEST(fault_unknown_key)
{
	tm_error e = fault_a(NULL, "        bind_password = hunter2\n", "bind_password");

	ASSERT_HAS(e.what, "not a known key");
	ASSERT_HAS(e.what, "did you mean bind_password_file?");
	ASSERT_HAS(e.what, "dns_name, netbios_name, sid, forest, functional_level, realm, kind, "
		   "ldap_uri, base_dn, bind, bind_dn, bind_password_file, tls, tls_cacert, "
		   "allow_plaintext_secrets, kadmin_principal, kadmin_password_file, kadmin_keytab, "
		   "verify_principal, verify_password_file, verify_keytab, verify_service");
	ck_assert_ptr_null(strstr(e.what, "hunter2"));       /* its value is never shown */
	ck_assert_ptr_null(strstr(e.next, "hunter2"));
}
END_TEST

START_TEST(fault_unknown_key_suggests)
{
	tm_error e = fault_a(NULL, "        tsl = starttls\n", "tsl");

	ASSERT_HAS(e.what, "did you mean tls?");
}
END_TEST

START_TEST(fault_bad_sid)
{
	tm_error e = fault_a("sid", "        sid = S-1-5-32-544\n", "sid");

	ASSERT_HAS(e.what, "BUILTIN");
	ck_assert_str_eq(e.status, ST_INVALID_SID);
	e = fault_a("sid", "        sid = 1-5-21-1-2-3\n", "sid");
	ASSERT_HAS(e.what, "is not a valid SID");
}
END_TEST

START_TEST(fault_bad_functional_level)
{
	tm_error e = fault_a("functional_level", "        functional_level = 2019\n",
			     "functional_level");

	ASSERT_HAS(e.what, "\"2019\" is not a functional level");
}
END_TEST

START_TEST(fault_missing_password_file)
{
	tm_error e = fault_a("kadmin_password_file",
			     "        kadmin_password_file = @DIR@/nonexistent.pw\n",
			     "kadmin_password_file");

	ASSERT_HAS(e.what, "/nonexistent.pw does not exist");
	ASSERT_HAS(e.next, "chmod 600");
}
END_TEST

START_TEST(fault_group_readable_secret)
{
	const char *dir = tu_tmpdir();
	char text[CONF_MAX], conf[PATH_MAX], p[PATH_MAX];
	tm_config c;
	tm_error e;

	make_files(dir);
	pathf(p, "%s/ldap.pw", dir);
	ck_assert_int_eq(chmod(p, 0640), 0);
	two_domains(text, sizeof(text), NULL, NULL);
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ck_assert_msg(strncmp(e.what, conf, strlen(conf)) == 0, "%s", e.what);
	ASSERT_HAS(e.what, "domain A: key bind_password_file: ");
	ASSERT_HAS(e.what, p);
	ASSERT_HAS(e.what, "readable by group or others (mode 0640)");
	ASSERT_HAS(e.next, "chmod 600 ");
	ASSERT_HAS(e.next, p);
}
END_TEST

START_TEST(fault_secret_keytab_world_readable)
{
	const char *dir = tu_tmpdir();
	char text[CONF_MAX], conf[PATH_MAX], p[PATH_MAX];
	tm_config c;
	tm_error e;

	make_files(dir);
	pathf(p, "%s/admin.keytab", dir);
	ck_assert_int_eq(chmod(p, 0604), 0);
	two_domains(text, sizeof(text), NULL, "        kadmin_keytab = @DIR@/admin.keytab\n");
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, "domain A: key kadmin_keytab: ");
	ASSERT_HAS(e.next, "chmod 600");
}
END_TEST

START_TEST(fault_duplicate_realm)
{
	const char *dir = tu_tmpdir();
	char text[CONF_MAX], conf[PATH_MAX];
	tm_config c;
	tm_error e;

	make_files(dir);
	snprintf(text, sizeof(text), "[domains]\n");
	add_block(text, sizeof(text), 'A', 1, NULL, NULL);
	add_block(text, sizeof(text), 'B', 2, "realm", "        realm = a.lab.test\n");
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ck_assert_msg(strncmp(e.what, conf, strlen(conf)) == 0, "%s", e.what);
	ASSERT_HAS(e.what, "domain B: key realm: 'a.lab.test' is already the realm of domain A");
	ck_assert(e.next[0]);
}
END_TEST

START_TEST(fault_duplicate_sid_and_netbios)
{
	const char *dir = tu_tmpdir();
	char text[CONF_MAX], conf[PATH_MAX];
	tm_config c;
	tm_error e;

	make_files(dir);
	snprintf(text, sizeof(text), "[domains]\n");
	add_block(text, sizeof(text), 'A', 1, NULL, NULL);
	add_block(text, sizeof(text), 'B', 2, "sid", "        sid = S-1-5-21-1001-2001-3001\n");
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, "domain B: key sid: S-1-5-21-1001-2001-3001 is already the SID of domain A");

	snprintf(text, sizeof(text), "[domains]\n");
	add_block(text, sizeof(text), 'A', 1, NULL, NULL);
	add_block(text, sizeof(text), 'B', 2, "netbios_name", "        netbios_name = a\n");
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, "domain B: key netbios_name: 'a' is already the ");
}
END_TEST

START_TEST(fault_empty_domains)
{
	const char *dir = tu_tmpdir();
	char conf[PATH_MAX];
	tm_config c;
	tm_error e;

	write_conf(dir, "[trustmgr]\n    timeout = 5\n[domains]\n", conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ck_assert_msg(strncmp(e.what, conf, strlen(conf)) == 0, "%s", e.what);
	ASSERT_HAS(e.what, "[domains]: the section names no domain");
	ck_assert(e.next[0]);
	ck_assert_ptr_null(c.domains);

	write_conf(dir, "[trustmgr]\n    timeout = 5\n", conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, "there is no [domains] section");

	write_conf(dir, "", conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, "there is no [domains] section");

	write_conf(dir, "[domains]\n    A = a.lab.test\n", conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, "[domains]: 'A = ...' is not a domain block");
}
END_TEST

START_TEST(fault_bad_uri_scheme)
{
	tm_error e = fault_a("ldap_uri", "        ldap_uri = http://127.0.0.1/\n", "ldap_uri");

	ASSERT_HAS(e.what, "'http://127.0.0.1/' does not start with ldap://, ldaps:// or ldapi://");
	/* a bad one inside a space-separated list is found too */
	e = fault_a("ldap_uri", "        ldap_uri = ldap://127.0.0.1/ 127.0.0.2\n", "ldap_uri");
	ASSERT_HAS(e.what, "'127.0.0.2' does not start with");
}
END_TEST

START_TEST(fault_too_many_uris)
{
	tm_error e = fault_a("ldap_uri",
			     "        ldap_uri = ldap://h1/ ldap://h2/ ldap://h3/ ldap://h4/ ldap://h5/\n"
			     "        ldap_uri = ldap://h6/ ldap://h7/ ldap://h8/ ldap://h9/\n",
			     "ldap_uri");

	ASSERT_HAS(e.what, "more than 8 URIs");
}
END_TEST

START_TEST(fault_key_twice)
{
	tm_error e = fault_a(NULL, "        tls = ldaps\n", "tls");

	ASSERT_HAS(e.what, "given more than once");
}
END_TEST

START_TEST(fault_kadmin_without_credentials)
{
	tm_error e = fault_a("kadmin_password_file", NULL, "kadmin_principal");

	ASSERT_HAS(e.what, "kadmin_password_file or kadmin_keytab");
	e = fault_a("kadmin_principal", NULL, "kadmin_password_file");
	ASSERT_HAS(e.what, "given without kadmin_principal");
	e = fault_a(NULL, "        verify_principal = user@A.LAB.TEST\n", "verify_principal");
	ASSERT_HAS(e.what, "verify_password_file or verify_keytab");
}
END_TEST

START_TEST(fault_missing_names)
{
	tm_error e = fault_a("dns_name", NULL, "dns_name");

	ASSERT_HAS(e.what, "missing: an ad domain is known by its DNS name");
	e = fault_a("netbios_name", NULL, "netbios_name");
	e = fault_a("sid", NULL, "sid");
	e = fault_a("functional_level", NULL, "functional_level");
	e = fault_a("ldap_uri", NULL, "ldap_uri");
	e = fault_a("base_dn", NULL, "base_dn");
	e = fault_a("bind", NULL, "bind");
	e = fault_a("tls", NULL, "tls");
	e = fault_a("dns_name", "        dns_name = -bad-.test\n", "dns_name");
	e = fault_a("netbios_name", "        netbios_name = A:B\n", "netbios_name");
	e = fault_a("realm", "        realm = A@B\n", "realm");
	e = fault_a("base_dn", "        base_dn = not a dn\n", "base_dn");
	ASSERT_HAS(e.what, "not a valid LDAP DN");
	e = fault_a(NULL, "        kind = samba\n", "kind");
	ASSERT_HAS(e.what, "'samba' is not one of ad, nt4, mit");
	e = fault_a(NULL, "        allow_plaintext_secrets = maybe\n", "allow_plaintext_secrets");
	ASSERT_HAS(e.what, "'maybe' is not one of true, yes");
	e = fault_a(NULL, "        verify_service = host srv\n", "verify_service");
	e = fault_a("tls_cacert", "        tls_cacert = @DIR@\n", "tls_cacert");
	ASSERT_HAS(e.what, "is not a regular file");
	e = fault_a(NULL, "        verify_principal = {\n        }\n", "verify_principal");
	ASSERT_HAS(e.what, "a block is given where a value belongs");
	e = fault_a(NULL, "        base_dn = \"\"\n", "base_dn");
	ASSERT_HAS(e.what, "no value is given");
	/* krb5.conf takes a brace after a value as part of the value */
	e = fault_a("kadmin_password_file", "        kadmin_password_file = @DIR@/kadmin.pw }\n",
		    "kadmin_password_file");
	ASSERT_HAS(e.what, "the value ends in '}'");
	ASSERT_HAS(e.next, "closing brace");
}
END_TEST

/* Faults outside the domain blocks name the file and the section. */
START_TEST(fault_file_level)
{
	const char *dir = tu_tmpdir();
	char text[CONF_MAX], conf[PATH_MAX], body[CONF_MAX / 2];
	tm_config c;
	tm_error e;

	make_files(dir);
	two_domains(body, sizeof(body), NULL, NULL);

	snprintf(text, sizeof(text), "[trustmgr]\n    timeout = 0\n%s", body);
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, ": [trustmgr]: key timeout: '0' is not a whole number from 1 to 600");
	ASSERT_HAS(e.next, "seconds");

	snprintf(text, sizeof(text), "[trustmgr]\n    timeout = 601\n%s", body);
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, "key timeout: '601'");

	snprintf(text, sizeof(text), "[trustmgr]\n    rotation_days = 30d\n%s", body);
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, "key rotation_days: '30d'");

	snprintf(text, sizeof(text), "[trustmgr]\n    timout = 5\n%s", body);
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, "[trustmgr]: key timout: not a known key");

	snprintf(text, sizeof(text), "[domain]\n    x = 1\n%s", body);
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, "the section [domain] is not known");

	write_conf(dir, "[domains\n", conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ck_assert_msg(strncmp(e.what, conf, strlen(conf)) == 0, "%s", e.what);
	ASSERT_HAS(e.what, "krb5.conf syntax (profile library: ");
	ck_assert(e.next[0]);

	write_conf(dir, "[domains]\n    A = {\n        realm =\n    }\n", conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, "profile library: ");

	pathf(conf, "%s/absent.conf", dir);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, "absent.conf: cannot be read: No such file or directory");
	ck_assert_int_eq(config_load(dir, &c, &e), -1);
	ASSERT_HAS(e.what, "is not a regular file");
	ck_assert_int_eq(config_load(NULL, &c, &e), -1);
	ck_assert_int_eq(config_load("", &c, &e), -1);
}
END_TEST

/* The audit keys of [trustmgr]: values, defaults, and the faults. */
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
	pathf(p, "%s/logs/audit.log", dir);
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

	snprintf(text, sizeof(text), "[trustmgr]\n    audit_log = none\n%s", body);
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, "[trustmgr]: key audit_log: none, and audit_syslog is not true");
	ASSERT_HAS(e.next, "audit_syslog = true");

	snprintf(text, sizeof(text), "[trustmgr]\n    audit_facility = kern\n%s", body);
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, "key audit_facility: 'kern' is not a syslog facility");
	ASSERT_HAS(e.next, "authpriv");

	snprintf(text, sizeof(text), "[trustmgr]\n    audit_syslog = maybe\n%s", body);
	write_conf(dir, text, conf);
	ck_assert_int_eq(config_load(conf, &c, &e), -1);
	ASSERT_HAS(e.what, "key audit_syslog");
}
END_TEST

/* ---- finding the file ---- */

/* The environment config_find reads, saved and restored around a test. */
typedef struct env_saved {
	char *v[4];
} env_saved;

static const char *const env_names[4] = { "TRUSTMGR_CONFIG", "XDG_CONFIG_HOME", "HOME",
					  "XDG_STATE_HOME" };

static void env_save(env_saved *s)
{
	size_t i;

	for (i = 0; i < 4; i++) {
		const char *v = getenv(env_names[i]);

		s->v[i] = v ? strdup(v) : NULL;
		unsetenv(env_names[i]);
	}
}

static void env_restore(env_saved *s)
{
	size_t i;

	for (i = 0; i < 4; i++) {
		if (s->v[i])
			setenv(env_names[i], s->v[i], 1);
		else
			unsetenv(env_names[i]);
		free(s->v[i]);
	}
}

START_TEST(find_search_order)
{
	const char *dir = tu_tmpdir(), *empty = tu_tmpdir();
	char given[PATH_MAX], envf[PATH_MAX], xdgf[PATH_MAX], homef[PATH_MAX], p[PATH_MAX];
	char found[PATH_MAX];
	int etc = access("/etc/trustmgr.conf", F_OK) == 0;
	env_saved s;
	tm_error e;

	env_save(&s);
	pathf(given, "%s/given.conf", dir);
	put_file(given, "", 0600);
	pathf(envf, "%s/env.conf", dir);
	put_file(envf, "", 0600);
	pathf(p, "%s/xdg", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	pathf(p, "%s/xdg/trustmgr", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	pathf(xdgf, "%s/xdg/trustmgr/trustmgr.conf", dir);
	put_file(xdgf, "", 0600);
	pathf(p, "%s/.config", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	pathf(p, "%s/.config/trustmgr", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	pathf(homef, "%s/.config/trustmgr/trustmgr.conf", dir);
	put_file(homef, "", 0600);

	setenv("TRUSTMGR_CONFIG", envf, 1);
	pathf(p, "%s/xdg", dir);
	setenv("XDG_CONFIG_HOME", p, 1);
	setenv("HOME", dir, 1);

	/* explicit beats everything */
	ck_assert_int_eq(config_find(given, found, sizeof(found), &e), 1);
	ck_assert_str_eq(found, given);
	/* then $TRUSTMGR_CONFIG */
	ck_assert_int_eq(config_find(NULL, found, sizeof(found), &e), 1);
	ck_assert_str_eq(found, envf);
	/* then $XDG_CONFIG_HOME/trustmgr/trustmgr.conf */
	setenv("TRUSTMGR_CONFIG", "", 1);                    /* empty = unset */
	ck_assert_int_eq(config_find(NULL, found, sizeof(found), &e), 1);
	ck_assert_str_eq(found, xdgf);
	/* then $HOME/.config/trustmgr/trustmgr.conf (XDG unset or relative) */
	unsetenv("TRUSTMGR_CONFIG");
	setenv("XDG_CONFIG_HOME", "relative", 1);
	ck_assert_int_eq(config_find(NULL, found, sizeof(found), &e), 1);
	ck_assert_str_eq(found, homef);
	unsetenv("XDG_CONFIG_HOME");
	ck_assert_int_eq(config_find(NULL, found, sizeof(found), &e), 1);
	ck_assert_str_eq(found, homef);
	/* an XDG_CONFIG_HOME without the file does not fall back to HOME's */
	setenv("XDG_CONFIG_HOME", empty, 1);
	ck_assert_int_eq(config_find(NULL, found, sizeof(found), &e), etc);
	/* then /etc/trustmgr.conf, else none */
	setenv("HOME", empty, 1);
	unsetenv("XDG_CONFIG_HOME");
	found[0] = '\0';
	ck_assert_int_eq(config_find(NULL, found, sizeof(found), &e), etc);
	if (etc)
		ck_assert_str_eq(found, "/etc/trustmgr.conf");
	/* too small a buffer */
	ck_assert_int_eq(config_find(given, found, 4, &e), -1);
	env_restore(&s);
}
END_TEST

START_TEST(find_named_file_missing)
{
	const char *dir = tu_tmpdir();
	char missing[PATH_MAX], found[PATH_MAX];
	env_saved s;
	tm_error e;

	env_save(&s);
	setenv("HOME", dir, 1);
	pathf(missing, "%s/nope.conf", dir);
	ck_assert_int_eq(config_find(missing, found, sizeof(found), &e), -1);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	ASSERT_HAS(e.what, missing);
	ASSERT_HAS(e.what, "--config");
	ASSERT_HAS(e.what, "No such file or directory");
	ck_assert(e.next[0]);

	setenv("TRUSTMGR_CONFIG", missing, 1);
	ck_assert_int_eq(config_find(NULL, found, sizeof(found), &e), -1);
	ASSERT_HAS(e.what, missing);
	ASSERT_HAS(e.what, "TRUSTMGR_CONFIG");

	ck_assert_int_eq(config_find(dir, found, sizeof(found), &e), -1);
	ASSERT_HAS(e.what, "is a folder");
	ck_assert_int_eq(config_find("", found, sizeof(found), &e), -1);
	env_restore(&s);
}
END_TEST

/* ---- secrets ---- */

/* A domain whose block name appears in secret messages. */
static cfg_domain *secret_domain(void)
{
	static cfg_domain d;

	memset(&d, 0, sizeof(d));
	domain_init(&d.dom);
	strcpy(d.dom.name, "A");
	return &d;
}

START_TEST(secret_first_line_without_newline)
{
	const char *dir = tu_tmpdir();
	char p[PATH_MAX], *s = NULL;
	tm_error e;

	pathf(p, "%s/pw", dir);
	put_file(p, "hunter2\nsecond line\n", 0600);
	ck_assert_int_eq(config_read_secret(p, "bind_password_file", secret_domain(), &s, &e), 0);
	ck_assert_str_eq(s, "hunter2");
	secret_free(&s);

	put_file(p, "no newline at all", 0600);
	ck_assert_int_eq(config_read_secret(p, "bind_password_file", secret_domain(), &s, &e), 0);
	ck_assert_str_eq(s, "no newline at all");
	secret_free(&s);

	put_file(p, "crlf\r\n", 0400);
	ck_assert_int_eq(config_read_secret(p, "kadmin_password_file", NULL, &s, &e), 0);
	ck_assert_str_eq(s, "crlf");
	secret_free(&s);
}
END_TEST

START_TEST(secret_refuses_empty)
{
	const char *dir = tu_tmpdir();
	char p[PATH_MAX], *s = NULL;
	tm_error e;

	pathf(p, "%s/pw", dir);
	put_file(p, "", 0600);
	ck_assert_int_eq(config_read_secret(p, "bind_password_file", secret_domain(), &s, &e), -1);
	ck_assert_ptr_null(s);
	ASSERT_HAS(e.what, p);
	ASSERT_HAS(e.what, "bind_password_file of domain A");
	ASSERT_HAS(e.what, "empty");
	put_file(p, "\nsecret on the second line\n", 0600);
	ck_assert_int_eq(config_read_secret(p, "bind_password_file", secret_domain(), &s, &e), -1);
	ASSERT_HAS(e.what, "empty");
	ck_assert_ptr_null(strstr(e.what, "second"));
}
END_TEST

START_TEST(secret_refuses_0644)
{
	const char *dir = tu_tmpdir();
	char p[PATH_MAX], *s = NULL;
	tm_error e;

	pathf(p, "%s/pw", dir);
	put_file(p, "hunter2\n", 0644);
	ck_assert_int_eq(config_read_secret(p, "kadmin_password_file", secret_domain(), &s, &e), -1);
	ck_assert_ptr_null(s);
	ASSERT_HAS(e.what, p);
	ASSERT_HAS(e.what, "kadmin_password_file");
	ASSERT_HAS(e.what, "readable by group or others");
	ASSERT_HAS(e.what, "chmod 600");
	ASSERT_HAS(e.next, "chmod 600");
	ck_assert_ptr_null(strstr(e.what, "hunter2"));
	put_file(p, "hunter2\n", 0640);
	ck_assert_int_eq(config_read_secret(p, "kadmin_password_file", secret_domain(), &s, &e), -1);
	ASSERT_HAS(e.what, "mode 0640");
}
END_TEST

START_TEST(secret_other_faults)
{
	const char *dir = tu_tmpdir();
	char p[PATH_MAX], big[SECRET_MAX + 10], *s = NULL;
	tm_error e;

	pathf(p, "%s/absent", dir);
	ck_assert_int_eq(config_read_secret(p, "verify_password_file", secret_domain(), &s, &e), -1);
	ASSERT_HAS(e.what, "No such file or directory");
	ASSERT_HAS(e.what, "verify_password_file of domain A");
	ck_assert_int_eq(config_read_secret(dir, "verify_password_file", NULL, &s, &e), -1);
	ASSERT_HAS(e.what, "not a regular file");
	ck_assert_int_eq(config_read_secret("", "verify_password_file", secret_domain(), &s, &e), -1);
	ASSERT_HAS(e.what, "no verify_password_file");

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	pathf(p, "%s/big", dir);
	put_file(p, big, 0600);
	ck_assert_int_eq(config_read_secret(p, "k", NULL, &s, &e), -1);
	ASSERT_HAS(e.what, "too long");
	big[SECRET_MAX] = '\0';                              /* exactly the longest */
	put_file(p, big, 0600);
	ck_assert_int_eq(config_read_secret(p, "k", NULL, &s, &e), 0);
	ck_assert_uint_eq(strlen(s), SECRET_MAX);
	secret_free(&s);
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
	tcase_add_test(tc, domain_find_by_any_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("faults");
	tcase_add_test(tc, fault_bad_tls);
	tcase_add_test(tc, fault_bad_bind);
	tcase_add_test(tc, fault_missing_bind_dn);
	tcase_add_test(tc, fault_missing_bind_password_file);
	tcase_add_test(tc, fault_bind_dn_without_simple);
	tcase_add_test(tc, fault_unknown_key);
	tcase_add_test(tc, fault_unknown_key_suggests);
	tcase_add_test(tc, fault_bad_sid);
	tcase_add_test(tc, fault_bad_functional_level);
	tcase_add_test(tc, fault_missing_password_file);
	tcase_add_test(tc, fault_group_readable_secret);
	tcase_add_test(tc, fault_secret_keytab_world_readable);
	tcase_add_test(tc, fault_duplicate_realm);
	tcase_add_test(tc, fault_duplicate_sid_and_netbios);
	tcase_add_test(tc, fault_empty_domains);
	tcase_add_test(tc, fault_bad_uri_scheme);
	tcase_add_test(tc, fault_too_many_uris);
	tcase_add_test(tc, fault_key_twice);
	tcase_add_test(tc, fault_kadmin_without_credentials);
	tcase_add_test(tc, fault_missing_names);
	tcase_add_test(tc, fault_file_level);
	tcase_add_test(tc, audit_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("find");
	tcase_add_test(tc, find_search_order);
	tcase_add_test(tc, find_named_file_missing);
	suite_add_tcase(s, tc);

	tc = tcase_create("secret");
	tcase_add_test(tc, secret_first_line_without_newline);
	tcase_add_test(tc, secret_refuses_empty);
	tcase_add_test(tc, secret_refuses_0644);
	tcase_add_test(tc, secret_other_faults);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(config_suite());
}
