/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_config_creds.c - trustmgr.conf (backend/config/config_check.c):
 * the keys of the administrator's own credentials and of libldap's
 * defaults. kadmin_principal alone (the administrator's tickets, else the
 * default client keytab) loads; a password file or keytab still needs its
 * principal, and verify_principal still needs its own; sasl_nocanon is a
 * boolean kept apart from "not given", only for bind = sasl_gssapi and
 * never for a plain realm; tls_cacert may be left out; local_dc_conf (the
 * smb.conf of the DC trustmgr runs on) only for kind ad, and it must exist.
 *
 * Every test writes its files into its own tu_tmpdir(). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "backend/config/config.h"
#include "tests/unit/testutil.h"

#define NROWS(t) (int)(sizeof(t) / sizeof((t)[0]))

/* A domain with a directory: the lines common to every test, then extra. */
static const char dir_block[] =
	"[domains]\n"
	"    A = {\n"
	"        dns_name = a.lab.test\n"
	"        netbios_name = A\n"
	"        sid = S-1-5-21-1001-2001-3001\n"
	"        functional_level = 2016\n"
	"        ldap_uri = ldap://127.0.0.1:20001/\n"
	"        base_dn = dc=a,dc=lab,dc=test\n"
	"        tls = starttls\n"
	"%s"
	"    }\n";

/* Write dir_block with extra (or, realm: a plain realm block with extra)
 * into a fresh folder, which also holds kadmin.pw (0600) and smb.conf;
 * load it. */
static int load(const char *extra, int realm, tm_config *c, tm_error *e)
{
	const char *dir = tu_tmpdir();
	char conf[PATH_MAX], pw[PATH_MAX], smb[PATH_MAX], text[4096];

	tu_pathf(pw, "%s/kadmin.pw", dir);
	tu_put_file(pw, "s3cret-value\n", 0600);
	tu_pathf(smb, "%s/smb.conf", dir);
	tu_put_file(smb, "[global]\n\tserver role = active directory domain controller\n", 0644);
	if (realm)
		snprintf(text, sizeof(text), "[domains]\n    R = {\n        kind = mit\n"
			 "        realm = R.LAB.TEST\n%s    }\n", extra);
	else
		snprintf(text, sizeof(text), dir_block, extra);
	tu_pathf(conf, "%s/trustmgr.conf", dir);
	tu_put_file(conf, text, 0644);
	memset(c, 0, sizeof(*c));
	return config_load(conf, c, e);
}

/* kadmin_principal alone loads, for a domain and for a plain realm, with
 * neither file set (the backend then uses the administrator's tickets). */
START_TEST(kadmin_principal_alone_loads)
{
	tm_config c;
	tm_error e;

	ck_assert_msg(load("        bind = sasl_gssapi\n"
			   "        kadmin_principal = admin/admin@A.LAB.TEST\n", 0, &c, &e) == 0,
		      "%s", e.what);
	ck_assert_str_eq(c.domains[0].kadmin_principal, "admin/admin@A.LAB.TEST");
	ck_assert_str_eq(c.domains[0].kadmin_password_file, "");
	ck_assert_str_eq(c.domains[0].kadmin_keytab, "");
	ck_assert_str_eq(c.domains[0].tls_cacert, "");   /* libldap's default CA */
	config_free(&c);
	ck_assert_msg(load("        kadmin_principal = admin/admin@R.LAB.TEST\n", 1, &c, &e) == 0,
		      "%s", e.what);
	ck_assert_int_eq(c.domains[0].dom.kind, DOMAIN_MIT);
	ck_assert_str_eq(c.domains[0].kadmin_principal, "admin/admin@R.LAB.TEST");
	ck_assert_str_eq(c.domains[0].kadmin_keytab, "");
	config_free(&c);
}
END_TEST

/* sasl_nocanon: true, false, or not given (libldap's own default). */
static const struct nocanon_row {
	const char *line;
	cfg_nocanon want;
} nocanon_rows[] = {
	{ "", CFG_NOCANON_DEFAULT },
	{ "        sasl_nocanon = true\n", CFG_NOCANON_ON },
	{ "        sasl_nocanon = yes\n", CFG_NOCANON_ON },
	{ "        sasl_nocanon = false\n", CFG_NOCANON_OFF },
	{ "        sasl_nocanon = off\n", CFG_NOCANON_OFF },
};

START_TEST(sasl_nocanon_values)
{
	char extra[256];
	tm_config c;
	tm_error e;

	snprintf(extra, sizeof(extra), "        bind = sasl_gssapi\n%s", nocanon_rows[_i].line);
	ck_assert_msg(load(extra, 0, &c, &e) == 0, "%s", e.what);
	ck_assert_int_eq(c.domains[0].bind, CFG_BIND_SASL_GSSAPI);
	ck_assert_int_eq(c.domains[0].sasl_nocanon, nocanon_rows[_i].want);
	config_free(&c);
}
END_TEST

/* What is refused: the key named, the reason, the next step. */
static const struct fault_row {
	const char *extra;
	int realm;
	const char *key, *what, *next;
} fault_rows[] = {
	/* a file still needs its principal */
	{ "        bind = sasl_gssapi\n        kadmin_password_file = kadmin.pw\n", 0,
	  "kadmin_password_file", "given without kadmin_principal", "kadmin_principal = " },
	/* verify_principal still needs its password file or keytab */
	{ "        bind = sasl_gssapi\n        verify_principal = user@A.LAB.TEST\n", 0,
	  "verify_principal", "verify_password_file or verify_keytab", "verify_keytab" },
	/* sasl_nocanon only means something to a Kerberos bind */
	{ "        bind = sasl_external\n        sasl_nocanon = true\n", 0, "sasl_nocanon",
	  "only bind = sasl_gssapi uses it", "Remove the sasl_nocanon line" },
	{ "        bind = sasl_gssapi\n        sasl_nocanon = maybe\n", 0, "sasl_nocanon",
	  "'maybe' is not one of true, yes", "Set sasl_nocanon to one of true, yes" },
	/* a plain realm has no directory to bind to */
	{ "        sasl_nocanon = true\n", 1, "sasl_nocanon", "kind = mit is a plain Kerberos "
	  "realm", "Remove the sasl_nocanon line" },
	/* a plain realm has no DC whose LSA trustmgr calls */
	{ "        local_dc_conf = smb.conf\n", 1, "local_dc_conf", "only kind = ad has a domain "
	  "controller", "Remove the local_dc_conf line" },
	/* the DC's smb.conf must be there */
	{ "        bind = sasl_gssapi\n        local_dc_conf = nosuch.conf\n", 0, "local_dc_conf",
	  "nosuch.conf", "" },
};

/* local_dc_conf: kept as an absolute path, for an AD domain (the default
 * kind); left out, empty (the DC is reached over the network). */
START_TEST(local_dc_conf_loads)
{
	tm_config c;
	tm_error e;

	ck_assert_msg(load("        bind = sasl_gssapi\n", 0, &c, &e) == 0, "%s", e.what);
	ck_assert_str_eq(c.domains[0].local_dc_conf, "");
	config_free(&c);
	ck_assert_msg(load("        bind = sasl_gssapi\n        local_dc_conf = smb.conf\n", 0,
			   &c, &e) == 0, "%s", e.what);
	ck_assert_int_eq(c.domains[0].dom.kind, DOMAIN_AD);
	ck_assert_int_eq(c.domains[0].local_dc_conf[0], '/');
	TU_ASSERT_HAS(c.domains[0].local_dc_conf, "/smb.conf");
	config_free(&c);
}
END_TEST

START_TEST(refused)
{
	const struct fault_row *r = &fault_rows[_i];
	tm_config c;
	tm_error e;

	ck_assert_int_eq(load(r->extra, r->realm, &c, &e), -1);
	TU_ASSERT_HAS(e.what, r->key);
	TU_ASSERT_HAS(e.what, r->what);
	TU_ASSERT_HAS(e.next, r->next);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	config_free(&c);
}
END_TEST

static Suite *config_creds_suite(void)
{
	Suite *s = suite_create("config_creds");
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, kadmin_principal_alone_loads);
	tcase_add_loop_test(tc, sasl_nocanon_values, 0, NROWS(nocanon_rows));
	tcase_add_test(tc, local_dc_conf_loads);
	tcase_add_loop_test(tc, refused, 0, NROWS(fault_rows));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(config_creds_suite());
}
