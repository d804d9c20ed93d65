/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_rules.c - unit tests for model/rules.c: every rule of docs/RULES.md,
 * "Validation rules", accepting and refusing, the modify checks and the effects. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/forestinfo.h"
#include "model/rules.h"
#include "tests/unit/testutil.h"
#include "model/tdo.h"
#include "model/domain.h"

/* ---- fixture: the forest corp.example (root), sales and hr below it ----- */

#define ROOT_SID  "S-1-5-21-1000-2000-3000"
#define SALES_SID "S-1-5-21-1100-2100-3100"
#define HR_SID    "S-1-5-21-1200-2200-3200"
#define OTHER_SID "S-1-5-21-7000-8000-9000"
#define PARTNER_SID "S-1-5-21-4000-5000-6000"

static tm_domain root, sales, hr;
static const tm_domain *forest[3];
static tm_tdo existing[3];
static rules_ctx ctx;
static tm_error err;

#define SET(field, value) tu_set_str((field), sizeof(field), (value))

static void make_domain(tm_domain *d, const char *key, const char *dns, const char *nb,
			const char *sid, const char *forest_root)
{
	domain_init(d);
	SET(d->name, key);
	d->kind = DOMAIN_AD;
	SET(d->dns, dns);
	SET(d->netbios, nb);
	d->has_sid = 1;
	d->sid = tu_sid(sid);
	name_upper(d->realm, dns, sizeof(d->realm));
	SET(d->forest, forest_root);
	d->level = LEVEL_2016;
}

/* An uplevel TDO; sid may be NULL. */
static void make_up(tm_tdo *t, const char *dns, const char *nb, const char *sid,
		    uint32_t dir, uint32_t attrs)
{
	tdo_init(t);
	SET(t->partner, dns);
	SET(t->flat, nb);
	t->has_sid = sid != NULL;
	if (sid)
		t->sid = tu_sid(sid);
	t->type = TRUST_TYPE_UPLEVEL;
	t->direction = dir;
	t->attributes = attrs;
}

static void make_down(tm_tdo *t, const char *nb, const char *flat, const char *sid,
		      uint32_t dir)
{
	make_up(t, nb, flat, sid, dir, 0);
	t->type = TRUST_TYPE_DOWNLEVEL;
}

static void make_mit(tm_tdo *t, const char *realm, uint32_t dir)
{
	make_up(t, realm, "", NULL, dir, 0);
	t->type = TRUST_TYPE_MIT;
}

static void setup(void)
{
	make_domain(&root, "corp", "corp.example", "CORP", ROOT_SID, "");
	make_domain(&sales, "sales", "sales.corp.example", "SALES", SALES_SID, "corp.example");
	make_domain(&hr, "hr", "hr.corp.example", "HR", HR_SID, "corp.example");
	forest[0] = &root;
	forest[1] = &sales;
	forest[2] = &hr;
	make_up(&existing[0], "partner.example", "PARTNER", PARTNER_SID,
		TRUST_DIRECTION_BIDIRECTIONAL, TRUST_ATTR_FOREST_TRANSITIVE);
	make_mit(&existing[1], "EXAMPLE.ORG", TRUST_DIRECTION_INBOUND);
	make_down(&existing[2], "NTDOM", "NTDOM", "S-1-5-21-11-12-13", TRUST_DIRECTION_OUTBOUND);
	memset(&ctx, 0, sizeof(ctx));
	ctx.local = &root;
	ctx.forest = forest;
	ctx.nforest = 3;
	ctx.existing = existing;
	ctx.nexisting = 3;
	error_clear(&err);
}

static void teardown(void)
{
	size_t i;

	for (i = 0; i < 3; i++)
		tdo_free(&existing[i]);
}

/* ---- assertions ---------------------------------------------------------- */

#define ACCEPTED(rc) ck_assert_msg((rc) == 0, "refused: %s (%s)", err.what, \
				   err.status ? err.status : "-")

/* A refusal with the NTSTATUS name and a sentence mentioning `names`. */
static void assert_refused(int rc, const char *status, const char *names)
{
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err.cls, TM_EREFUSED);
	ck_assert_ptr_nonnull(err.status);
	ck_assert_str_eq(err.status, status);
	ck_assert_msg(err.what[0] != '\0', "empty message");
	if (names)
		ck_assert_msg(strstr(err.what, names) != NULL, "\"%s\" does not name %s",
			      err.what, names);
	error_clear(&err);
}

static int create(const tm_tdo *t)
{
	return rules_check_create(&ctx, t, &err);
}

/* ---- rule 1: forest membership ------------------------------------------- */

START_TEST(test_r1_outside_forest_accepted)
{
	tm_tdo t;

	make_up(&t, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	ACCEPTED(create(&t));
	ACCEPTED(rules_check_forest_membership(&ctx, &t, &err));
}
END_TEST

START_TEST(test_r1_all_inside_accepted)
{
	tm_tdo t;

	make_up(&t, "sales.corp.example", "SALES", SALES_SID, TRUST_DIRECTION_BIDIRECTIONAL,
		TRUST_ATTR_WITHIN_FOREST);
	ACCEPTED(create(&t));
	make_up(&t, "SALES.CORP.EXAMPLE.", "sales", SALES_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	ACCEPTED(create(&t));
	make_down(&t, "SALES", "SALES", SALES_SID, TRUST_DIRECTION_BIDIRECTIONAL);
	ACCEPTED(create(&t));
}
END_TEST

START_TEST(test_r1_partial_refused)
{
	tm_tdo t;

	make_up(&t, "sales.corp.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_INVALID_PARAMETER, "sales.corp.example");
	make_up(&t, "other.example", "OTHER", SALES_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_INVALID_PARAMETER, "other.example");
	make_up(&t, "other.example", "SALES", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_INVALID_PARAMETER, "NetBIOS");
	make_down(&t, "SALES", "SALES", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL);
	assert_refused(create(&t), ST_INVALID_PARAMETER, "SALES");
}
END_TEST

START_TEST(test_r1_split_between_domains_refused)
{
	tm_tdo t;

	make_up(&t, "sales.corp.example", "HR", SALES_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_INVALID_PARAMETER, "hr.corp.example");
	make_up(&t, "sales.corp.example", "SALES", HR_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(rules_check_forest_membership(&ctx, &t, &err), ST_INVALID_PARAMETER,
		       "sales.corp.example");
}
END_TEST

START_TEST(test_r1_missing_sid_not_compared)
{
	tm_tdo t;

	make_up(&t, "sales.corp.example", "SALES", NULL, TRUST_DIRECTION_INBOUND, 0);
	ACCEPTED(create(&t));
	make_up(&t, "other.example", "OTHER", NULL, TRUST_DIRECTION_INBOUND, 0);
	ACCEPTED(create(&t));
	make_mit(&t, "KRB.OTHER.ORG", TRUST_DIRECTION_BIDIRECTIONAL);
	ACCEPTED(create(&t));
	make_up(&t, "sales.corp.example", "OTHER", NULL, TRUST_DIRECTION_INBOUND, 0);
	assert_refused(create(&t), ST_INVALID_PARAMETER, "sales.corp.example");
}
END_TEST

START_TEST(test_r1_mit_partner_compared_by_realm)
{
	tm_tdo t;

	SET(sales.realm, "SALESKRB.ORG");
	make_mit(&t, "saleskrb.org", TRUST_DIRECTION_INBOUND);
	SET(t.flat, "SALES");
	ACCEPTED(rules_check_forest_membership(&ctx, &t, &err));
	SET(t.flat, "HR");
	assert_refused(rules_check_forest_membership(&ctx, &t, &err), ST_INVALID_PARAMETER,
		       "hr.corp.example");
}
END_TEST

START_TEST(test_r1_empty_forest_accepts)
{
	tm_tdo t;

	ctx.forest = NULL;
	ctx.nforest = 0;
	make_up(&t, "sales.corp.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	ACCEPTED(rules_check_forest_membership(&ctx, &t, &err));
}
END_TEST

/* ---- rules 2, 3, 4: attributes --------------------------------------------- */

START_TEST(test_r2_forest_trust_accepted_at_root)
{
	tm_tdo t;

	make_up(&t, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL,
		TRUST_ATTR_FOREST_TRANSITIVE);
	ACCEPTED(create(&t));
	root.level = LEVEL_2003;
	ACCEPTED(create(&t));
	ACCEPTED(rules_check_attributes(&ctx, &t, &err));
}
END_TEST

START_TEST(test_r2_forest_trust_low_level_refused)
{
	tm_tdo t;

	make_up(&t, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL,
		TRUST_ATTR_FOREST_TRANSITIVE);
	root.level = LEVEL_2000;
	assert_refused(create(&t), ST_INVALID_DOMAIN_STATE, "other.example");
	root.level = LEVEL_2003_MIXED;
	assert_refused(rules_check_attributes(&ctx, &t, &err), ST_INVALID_DOMAIN_STATE, "2003");
}
END_TEST

START_TEST(test_r2_forest_trust_not_root_refused)
{
	tm_tdo t;

	ctx.local = &sales;
	make_up(&t, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL,
		TRUST_ATTR_FOREST_TRANSITIVE);
	assert_refused(create(&t), ST_INVALID_DOMAIN_STATE, "corp.example");
	t.attributes = 0;
	ACCEPTED(create(&t));
}
END_TEST

/* Rule 2, the partner's side: a forest trust joins two forest roots, and a
 * forest trust is never also non-transitive (rule 4), whichever path writes
 * the TDO (create, or a modify that sets the bit: Properties, tdo modify). */
START_TEST(test_r2_forest_trust_partner_not_root_refused)
{
	tm_domain europe, fab;
	tm_tdo old, t;

	make_domain(&fab, "FAB", "fab.example", "FAB", OTHER_SID, "fab.example");
	make_domain(&europe, "EUROPE", "europe.fab.example", "EUROPE", PARTNER_SID, "fab.example");
	make_up(&t, "europe.fab.example", "EUROPE", PARTNER_SID, TRUST_DIRECTION_BIDIRECTIONAL,
		TRUST_ATTR_FOREST_TRANSITIVE);
	ctx.partner = &europe;
	assert_refused(create(&t), ST_INVALID_DOMAIN_STATE, "fab.example");
	make_up(&old, "europe.fab.example", "EUROPE", PARTNER_SID, TRUST_DIRECTION_BIDIRECTIONAL,
		TRUST_ATTR_QUARANTINED_DOMAIN);
	assert_refused(rules_check_modify(&ctx, &old, &t, &err), ST_INVALID_DOMAIN_STATE,
		       "europe.fab.example is not one");
	t.attributes = TRUST_ATTR_FOREST_TRANSITIVE | TRUST_ATTR_NON_TRANSITIVE |
		       TRUST_ATTR_QUARANTINED_DOMAIN;             /* 0xd, the reported case */
	assert_refused(rules_check_modify(&ctx, &old, &t, &err), ST_INVALID_DOMAIN_STATE,
		       "europe.fab.example is not one");         /* the cause that matters first */
	make_up(&t, "fab.example", "FAB", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL,
		TRUST_ATTR_FOREST_TRANSITIVE);
	ctx.partner = &fab;
	ACCEPTED(create(&t));
	t.attributes |= TRUST_ATTR_NON_TRANSITIVE;
	assert_refused(create(&t), ST_INVALID_PARAMETER, "non-transitive");
	ctx.partner = NULL;                       /* an unknown partner: only rule 4 */
	assert_refused(create(&t), ST_INVALID_PARAMETER, "non-transitive");
	t.attributes &= ~TRUST_ATTR_NON_TRANSITIVE;
	ACCEPTED(create(&t));
}
END_TEST

START_TEST(test_r3_cross_organization)
{
	tm_tdo t;

	ctx.local = &sales;
	sales.level = LEVEL_2003;
	make_up(&t, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL,
		TRUST_ATTR_CROSS_ORGANIZATION);
	ACCEPTED(create(&t));
	sales.level = LEVEL_2000;
	assert_refused(create(&t), ST_INVALID_DOMAIN_STATE, "other.example");
	sales.level = LEVEL_2003_MIXED;
	assert_refused(rules_check_attributes(&ctx, &t, &err), ST_INVALID_DOMAIN_STATE,
		       "Selective authentication");
}
END_TEST

START_TEST(test_r4_within_forest_combinations)
{
	tm_tdo t;

	make_up(&t, "sales.corp.example", "SALES", SALES_SID, TRUST_DIRECTION_BIDIRECTIONAL,
		TRUST_ATTR_WITHIN_FOREST | TRUST_ATTR_FOREST_TRANSITIVE);
	assert_refused(create(&t), ST_INVALID_PARAMETER, "forest-transitive");
	t.attributes = TRUST_ATTR_WITHIN_FOREST | TRUST_ATTR_CROSS_ORGANIZATION;
	assert_refused(create(&t), ST_INVALID_PARAMETER, "cross-organization");
	assert_refused(rules_check_attributes(NULL, &t, &err), ST_INVALID_PARAMETER,
		       "sales.corp.example");
	t.attributes = TRUST_ATTR_WITHIN_FOREST | TRUST_ATTR_QUARANTINED_DOMAIN;
	ACCEPTED(create(&t));
}
END_TEST

START_TEST(test_attributes_unknown_bits_refused)
{
	tm_tdo t;

	make_up(&t, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL,
		0x2000);
	assert_refused(create(&t), ST_INVALID_PARAMETER, "0x2000");
	/* every known bit but those rule 4 keeps apart from forest-transitive */
	t.attributes = TRUST_ATTR_ALL & ~(TRUST_ATTR_WITHIN_FOREST | TRUST_ATTR_NON_TRANSITIVE);
	ACCEPTED(rules_check_attributes(&ctx, &t, &err));
	/* Without a context only the checks that need no forest state run. */
	root.level = LEVEL_2000;
	ACCEPTED(rules_check_attributes(NULL, &t, &err));
}
END_TEST

START_TEST(test_forest_bits_need_uplevel)
{
	tm_tdo t;

	make_down(&t, "OLDNT", "OLDNT", OTHER_SID, TRUST_DIRECTION_OUTBOUND);
	t.attributes = TRUST_ATTR_FOREST_TRANSITIVE;
	assert_refused(create(&t), ST_INVALID_PARAMETER, "uplevel");
	t.attributes = TRUST_ATTR_WITHIN_FOREST;
	assert_refused(create(&t), ST_INVALID_PARAMETER, "downlevel");
	make_mit(&t, "REALM.EXAMPLE", TRUST_DIRECTION_OUTBOUND);
	t.attributes = TRUST_ATTR_FOREST_TRANSITIVE;
	assert_refused(create(&t), ST_INVALID_PARAMETER, "mit");
	t.attributes = TRUST_ATTR_NON_TRANSITIVE;
	ACCEPTED(create(&t));
}
END_TEST

START_TEST(test_attributes_des_enctypes_not_refused)
{
	tm_tdo t;

	make_up(&t, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	t.has_enctypes = 1;
	t.enctypes = ENCTYPE_BIT_DES_CRC | ENCTYPE_BIT_DES_MD5;
	ACCEPTED(create(&t));
}
END_TEST

/* ---- rule 5: SID required --------------------------------------------------- */

START_TEST(test_r5_sid_required)
{
	tm_tdo t;

	make_up(&t, "other.example", "OTHER", NULL, TRUST_DIRECTION_OUTBOUND, 0);
	assert_refused(create(&t), ST_INVALID_SID, "other.example");
	t.direction = TRUST_DIRECTION_BIDIRECTIONAL;
	assert_refused(rules_check_sid_required(&t, &err), ST_INVALID_SID, "other.example");
	make_down(&t, "OTHER", "OTHER", NULL, TRUST_DIRECTION_BIDIRECTIONAL);
	assert_refused(create(&t), ST_INVALID_SID, "OTHER");
	make_up(&t, "other.example", "OTHER", NULL, TRUST_DIRECTION_INBOUND,
		TRUST_ATTR_FOREST_TRANSITIVE);
	assert_refused(create(&t), ST_INVALID_SID, "forest trust");
}
END_TEST

START_TEST(test_r5_sid_not_required)
{
	tm_tdo t;

	make_up(&t, "other.example", "OTHER", NULL, TRUST_DIRECTION_INBOUND, 0);
	ACCEPTED(create(&t));
	make_down(&t, "OTHER", "OTHER", NULL, TRUST_DIRECTION_DISABLED);
	ACCEPTED(create(&t));
	make_mit(&t, "OTHER.ORG", TRUST_DIRECTION_OUTBOUND);
	ACCEPTED(create(&t));
	make_up(&t, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_OUTBOUND, 0);
	ACCEPTED(rules_check_sid_required(&t, &err));
}
END_TEST

/* ---- rule 7: names and SIDs ------------------------------------------------- */

START_TEST(test_r7_bad_sids)
{
	tm_tdo t;

	make_up(&t, "other.example", "OTHER", "S-1-5-21-0-8000-9000",
		TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_INVALID_SID, "other.example");
	t.sid = tu_sid("S-1-5-32");
	assert_refused(create(&t), ST_INVALID_SID, "S-1-5-32");
	t.sid = tu_sid("S-1-5-21-7000-8000");
	assert_refused(rules_check_partner_names(&t, &err), ST_INVALID_SID, "S-1-5-21-7000-8000");
	t.sid = tu_sid("S-1-5-21-7000-8000-9000-500");
	assert_refused(create(&t), ST_INVALID_SID, "other.example");
	t.sid = tu_sid("S-1-1-0");
	assert_refused(create(&t), ST_INVALID_SID, "S-1-1-0");
}
END_TEST

START_TEST(test_r7_bad_netbios)
{
	tm_tdo t;

	make_up(&t, "other.example", "ABCDEFGHIJKLMNOP", OTHER_SID,
		TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_OBJECT_NAME_INVALID, "ABCDEFGHIJKLMNOP");
	SET(t.flat, "OTH*ER");
	assert_refused(create(&t), ST_INVALID_PARAMETER, "OTH*ER");
	SET(t.flat, "...");
	assert_refused(create(&t), ST_INVALID_PARAMETER, "other.example");
	t.flat[0] = '\0';
	assert_refused(create(&t), ST_INVALID_PARAMETER, "other.example");
	SET(t.flat, "BUILTIN");
	assert_refused(create(&t), ST_INVALID_PARAMETER, "BUILTIN");
	SET(t.flat, "ABCDEFGHIJKLMNO");
	ACCEPTED(create(&t));
}
END_TEST

START_TEST(test_r7_bad_dns)
{
	tm_tdo t;
	char longlabel[80];

	make_up(&t, "bad..example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_INVALID_PARAMETER, "bad..example");
	SET(t.partner, "-bad.example");
	assert_refused(create(&t), ST_INVALID_PARAMETER, "-bad.example");
	SET(t.partner, "bad_name.example");
	assert_refused(create(&t), ST_INVALID_PARAMETER, "bad_name.example");
	memset(longlabel, 'a', 64);
	strcpy(longlabel + 64, ".example");
	SET(t.partner, longlabel);
	assert_refused(create(&t), ST_INVALID_PARAMETER, ".example");
	SET(t.partner, "builtin");
	assert_refused(create(&t), ST_INVALID_PARAMETER, "BUILTIN");
	t.partner[0] = '\0';
	assert_refused(create(&t), ST_INVALID_PARAMETER, NULL);
	longlabel[63] = '\0';
	SET(t.partner, longlabel);
	ACCEPTED(rules_check_partner_names(&t, &err));
}
END_TEST

/* ---- rule 8: not self ----------------------------------------------------- */

START_TEST(test_r8_self_refused)
{
	tm_tdo t;

	make_up(&t, "corp.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_CURRENT_DOMAIN_NOT_ALLOWED, "DNS name");
	SET(t.partner, "CORP.EXAMPLE.");
	assert_refused(create(&t), ST_CURRENT_DOMAIN_NOT_ALLOWED, "corp.example");
	make_up(&t, "other.example", "corp", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_CURRENT_DOMAIN_NOT_ALLOWED, "NetBIOS");
	make_up(&t, "other.example", "OTHER", ROOT_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_CURRENT_DOMAIN_NOT_ALLOWED, "SID");
	make_down(&t, "CORP", "CORP", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL);
	assert_refused(rules_check_not_self(&root, &t, &err), ST_CURRENT_DOMAIN_NOT_ALLOWED,
		       "CORP");
	make_mit(&t, "CORP.EXAMPLE", TRUST_DIRECTION_INBOUND);
	assert_refused(create(&t), ST_CURRENT_DOMAIN_NOT_ALLOWED, "corp.example");
	make_up(&t, "corp.example", "CORP", ROOT_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_CURRENT_DOMAIN_NOT_ALLOWED, NULL);
	SET(root.realm, "KRB.CORP");
	make_mit(&t, "krb.corp", TRUST_DIRECTION_INBOUND);
	assert_refused(create(&t), ST_CURRENT_DOMAIN_NOT_ALLOWED, "Kerberos realm");
}
END_TEST

START_TEST(test_r8_other_accepted)
{
	tm_tdo t;

	make_up(&t, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	ACCEPTED(rules_check_not_self(&root, &t, &err));
	make_mit(&t, "CORP.EXAMPLE.ORG", TRUST_DIRECTION_INBOUND);
	ACCEPTED(rules_check_not_self(&root, &t, &err));
	ACCEPTED(rules_check_not_self(NULL, &t, &err));
}
END_TEST

/* ---- rule 9: collisions --------------------------------------------------- */

START_TEST(test_r9_collisions_refused)
{
	tm_tdo t;

	make_up(&t, "PARTNER.example", "PART2", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_OBJECT_NAME_COLLISION, "partner.example");
	make_up(&t, "new.example", "partner", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_OBJECT_NAME_COLLISION, "NetBIOS");
	make_up(&t, "new.example", "NEW", PARTNER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_OBJECT_NAME_COLLISION, "SID");
	/* cross-compared: new flat against an old trustPartner and vice versa */
	make_up(&t, "ntdom.example", "NTDOM", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_OBJECT_NAME_COLLISION, "NTDOM");
	make_down(&t, "PARTNER", "PARTNER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL);
	assert_refused(create(&t), ST_OBJECT_NAME_COLLISION, "partner.example");
	/* new flatName equal to an old trustPartner only (the MIT realm) */
	make_up(&t, "neworg.example", "EXAMPLE.ORG", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	assert_refused(create(&t), ST_OBJECT_NAME_COLLISION, "EXAMPLE.ORG");
	make_mit(&t, "example.org", TRUST_DIRECTION_INBOUND);
	assert_refused(rules_check_collision(&ctx, &t, NULL, &err), ST_OBJECT_NAME_COLLISION,
		       "EXAMPLE.ORG");
}
END_TEST

START_TEST(test_r9_distinct_accepted)
{
	tm_tdo t;

	make_up(&t, "new.example", "NEW", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	ACCEPTED(create(&t));
	ACCEPTED(rules_check_collision(&ctx, &t, NULL, &err));
	ACCEPTED(rules_check_collision(&ctx, &existing[0], &existing[0], &err));
	ctx.existing = NULL;
	ctx.nexisting = 0;
	ACCEPTED(rules_check_collision(&ctx, &existing[0], NULL, &err));
}
END_TEST

/* ---- rule 10: types -------------------------------------------------------- */

START_TEST(test_r10_downlevel_names)
{
	tm_tdo t;

	make_down(&t, "NT4DOM", "nt4dom", "S-1-5-21-21-22-23", TRUST_DIRECTION_BIDIRECTIONAL);
	ACCEPTED(create(&t));
	make_down(&t, "NT4DOM", "OTHER", "S-1-5-21-21-22-23", TRUST_DIRECTION_BIDIRECTIONAL);
	assert_refused(create(&t), ST_INVALID_PARAMETER, "NT4DOM");
	make_down(&t, "NT4DOM", "", "S-1-5-21-21-22-23", TRUST_DIRECTION_BIDIRECTIONAL);
	assert_refused(create(&t), ST_INVALID_PARAMETER, "NT4DOM");
	make_down(&t, "a-very-long-nt4-domain", "a-very-long-nt4-domain", "S-1-5-21-21-22-23",
		  TRUST_DIRECTION_BIDIRECTIONAL);
	assert_refused(create(&t), ST_OBJECT_NAME_INVALID, "a-very-long-nt4-domain");
	make_down(&t, "NT4:DOM", "NT4:DOM", "S-1-5-21-21-22-23", TRUST_DIRECTION_BIDIRECTIONAL);
	assert_refused(create(&t), ST_INVALID_PARAMETER, "NT4:DOM");
}
END_TEST

START_TEST(test_r10_mit_names)
{
	tm_tdo t;

	make_mit(&t, "KRB.OTHER.ORG", TRUST_DIRECTION_BIDIRECTIONAL);
	ACCEPTED(create(&t));
	SET(t.flat, "KRB.OTHER.ORG-LONGER-THAN-15");
	ACCEPTED(create(&t));
	SET(t.partner, "BAD REALM");
	assert_refused(create(&t), ST_INVALID_PARAMETER, "BAD REALM");
	SET(t.partner, "user@REALM");
	assert_refused(create(&t), ST_INVALID_PARAMETER, "user@REALM");
	make_mit(&t, "KRB.OTHER.ORG", TRUST_DIRECTION_OUTBOUND);
	t.type = TRUST_TYPE_DCE;
	ACCEPTED(create(&t));
}
END_TEST

START_TEST(test_r10_type_and_direction_range)
{
	tm_tdo t;

	make_up(&t, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	t.type = 0;
	assert_refused(create(&t), ST_INVALID_PARAMETER, "other.example");
	t.type = 5;
	assert_refused(rules_check_partner_names(&t, &err), ST_INVALID_PARAMETER, "5");
	t.type = TRUST_TYPE_UPLEVEL;
	t.direction = 4;
	assert_refused(create(&t), ST_INVALID_PARAMETER, "direction");
	t.direction = TRUST_DIRECTION_DISABLED;
	ACCEPTED(create(&t));
}
END_TEST

/* ---- modify ----------------------------------------------------------------- */

START_TEST(test_modify_type_change_refused)
{
	tm_tdo t;

	ck_assert_int_eq(tdo_copy(&t, &existing[2]), 0);
	t.type = TRUST_TYPE_UPLEVEL;
	SET(t.partner, "ntdom.example");
	assert_refused(rules_check_modify(&ctx, &existing[2], &t, &err), ST_INVALID_PARAMETER,
		       "NTDOM");
	tdo_free(&t);
}
END_TEST

START_TEST(test_modify_skips_itself)
{
	tm_tdo t, oldcopy;

	ck_assert_int_eq(tdo_copy(&t, &existing[0]), 0);
	t.direction = TRUST_DIRECTION_INBOUND;
	ACCEPTED(rules_check_modify(&ctx, &existing[0], &t, &err));
	/* the same, with `old` a copy rather than the stored element */
	ck_assert_int_eq(tdo_copy(&oldcopy, &existing[0]), 0);
	ACCEPTED(rules_check_modify(&ctx, &oldcopy, &t, &err));
	ACCEPTED(rules_check_collision(&ctx, &t, &oldcopy, &err));
	/* create of the same TDO collides with itself */
	assert_refused(create(&t), ST_OBJECT_NAME_COLLISION, "partner.example");
	tdo_free(&t);
	tdo_free(&oldcopy);
}
END_TEST

START_TEST(test_modify_collides_with_others)
{
	tm_tdo t;

	ck_assert_int_eq(tdo_copy(&t, &existing[0]), 0);
	SET(t.flat, "NTDOM");
	assert_refused(rules_check_modify(&ctx, &existing[0], &t, &err),
		       ST_OBJECT_NAME_COLLISION, "NTDOM");
	tdo_free(&t);
}
END_TEST

START_TEST(test_modify_runs_field_rules)
{
	tm_tdo t;

	ck_assert_int_eq(tdo_copy(&t, &existing[0]), 0);
	t.sid = tu_sid(ROOT_SID);
	assert_refused(rules_check_modify(&ctx, &existing[0], &t, &err),
		       ST_CURRENT_DOMAIN_NOT_ALLOWED, "SID");
	t.sid = tu_sid(PARTNER_SID);
	t.attributes |= TRUST_ATTR_WITHIN_FOREST;
	assert_refused(rules_check_modify(&ctx, &existing[0], &t, &err), ST_INVALID_PARAMETER,
		       "within-forest");
	t.attributes = TRUST_ATTR_FOREST_TRANSITIVE;
	t.has_sid = 0;
	assert_refused(rules_check_modify(&ctx, &existing[0], &t, &err), ST_INVALID_SID,
		       "partner.example");
	t.has_sid = 1;
	SET(t.flat, "SALES");
	assert_refused(rules_check_modify(&ctx, &existing[0], &t, &err), ST_INVALID_PARAMETER,
		       "sales.corp.example");
	ck_assert_int_eq(rules_check_modify(&ctx, NULL, &t, &err), -1);
	ck_assert_int_eq(err.cls, TM_EUSAGE);
	tdo_free(&t);
}
END_TEST

START_TEST(test_modify_state_rules_only_for_new_bits)
{
	tm_tdo t;

	/* An existing forest trust can be edited where it could not be created... */
	root.level = LEVEL_2000;
	ck_assert_int_eq(tdo_copy(&t, &existing[0]), 0);
	t.direction = TRUST_DIRECTION_OUTBOUND;
	ACCEPTED(rules_check_modify(&ctx, &existing[0], &t, &err));
	/* ...but newly setting selective authentication there is refused. */
	t.attributes |= TRUST_ATTR_CROSS_ORGANIZATION;
	assert_refused(rules_check_modify(&ctx, &existing[0], &t, &err),
		       ST_INVALID_DOMAIN_STATE, "partner.example");
	tdo_free(&t);
	/* Newly setting forest-transitive in a child domain is refused. */
	ctx.local = &sales;
	{
		tm_tdo old;

		make_up(&old, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
		ck_assert_int_eq(tdo_copy(&t, &old), 0);
		t.attributes = TRUST_ATTR_FOREST_TRANSITIVE;
		assert_refused(rules_check_modify(&ctx, &old, &t, &err),
			       ST_INVALID_DOMAIN_STATE, "corp.example");
		tdo_free(&old);
	}
	tdo_free(&t);
}
END_TEST

/* The usage errors for missing inputs are not refusals. */
START_TEST(test_missing_inputs)
{
	tm_tdo t;

	make_up(&t, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	ck_assert_int_eq(rules_check_create(NULL, &t, &err), -1);
	ck_assert_int_eq(err.cls, TM_EUSAGE);
	ctx.local = NULL;
	ck_assert_int_eq(rules_check_create(&ctx, &t, &err), -1);
	ck_assert_int_eq(rules_check_modify(&ctx, &t, &t, &err), -1);
	ck_assert_int_eq(rules_check_partner_names(NULL, &err), -1);
	ck_assert_int_eq(rules_apply_effects(NULL, NULL, &err), -1);
	ck_assert_int_eq(rules_check_create(NULL, &t, NULL), -1);
}
END_TEST

/* ---- effects: rule 6 ---------------------------------------------------- */

static void assert_default_ftinfo(const tm_tdo *t, int64_t ts)
{
	fti_info fi = { 0, NULL };
	tm_error e;

	error_clear(&e);
	ck_assert_ptr_nonnull(t->ftinfo);
	ck_assert_msg(forestinfo_decode(t->ftinfo, t->ftinfo_len, &fi, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(fi.count, 2);
	ck_assert_int_eq(fi.records[0].type, FTI_TOP_LEVEL_NAME);
	ck_assert_str_eq(fi.records[0].name, t->partner);
	ck_assert_int_eq(fi.records[1].type, FTI_DOMAIN_INFO);
	ck_assert_str_eq(fi.records[1].name, t->partner);
	ck_assert_str_eq(fi.records[1].netbios, t->flat);
	ck_assert(sid_equal(&fi.records[1].sid, &t->sid));
	ck_assert(fi.records[0].timestamp == ts);
	forestinfo_free(&fi);
}

START_TEST(test_r6_new_forest_trust_gets_default_info)
{
	tm_tdo t;

	make_up(&t, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL,
		TRUST_ATTR_FOREST_TRANSITIVE);
	ACCEPTED(rules_apply_effects(NULL, &t, &err));
	assert_default_ftinfo(&t, 0);
	tdo_free(&t);
}
END_TEST

START_TEST(test_r6_setting_the_bit_creates_info)
{
	tm_tdo old, t;

	make_up(&old, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	ck_assert_int_eq(tdo_copy(&t, &old), 0);
	t.attributes = TRUST_ATTR_FOREST_TRANSITIVE;
	t.when_changed = 1700000000;
	ACCEPTED(rules_apply_effects(&old, &t, &err));
	assert_default_ftinfo(&t, (int64_t)authblob_filetime(1700000000));
	tdo_free(&t);
	tdo_free(&old);
}
END_TEST

START_TEST(test_r6_clearing_the_bit_drops_info)
{
	tm_tdo old, t;

	make_up(&old, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL,
		TRUST_ATTR_FOREST_TRANSITIVE);
	ACCEPTED(rules_apply_effects(NULL, &old, &err));
	ck_assert_ptr_nonnull(old.ftinfo);
	ck_assert_int_eq(tdo_copy(&t, &old), 0);
	t.attributes = TRUST_ATTR_QUARANTINED_DOMAIN;
	ACCEPTED(rules_apply_effects(&old, &t, &err));
	ck_assert_ptr_null(t.ftinfo);
	ck_assert_uint_eq(t.ftinfo_len, 0);
	ck_assert_ptr_nonnull(old.ftinfo);
	tdo_free(&t);
	tdo_free(&old);
}
END_TEST

START_TEST(test_r6_kept_when_still_forest_trust)
{
	tm_tdo old, t;
	static const uint8_t custom[] = { 1, 0, 0, 0, 0, 0, 0, 0 };

	make_up(&old, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL,
		TRUST_ATTR_FOREST_TRANSITIVE);
	old.ftinfo = malloc(sizeof(custom));
	ck_assert_ptr_nonnull(old.ftinfo);
	memcpy(old.ftinfo, custom, sizeof(custom));
	old.ftinfo_len = sizeof(custom);
	ck_assert_int_eq(tdo_copy(&t, &old), 0);
	t.direction = TRUST_DIRECTION_INBOUND;
	ACCEPTED(rules_apply_effects(&old, &t, &err));
	ck_assert_uint_eq(t.ftinfo_len, sizeof(custom));
	ck_assert_int_eq(memcmp(t.ftinfo, custom, sizeof(custom)), 0);
	/* a forest trust that lost its records gets the default ones back */
	free(t.ftinfo);
	t.ftinfo = NULL;
	t.ftinfo_len = 0;
	ACCEPTED(rules_apply_effects(&old, &t, &err));
	assert_default_ftinfo(&t, 0);
	tdo_free(&t);
	tdo_free(&old);
}
END_TEST

START_TEST(test_r6_stale_info_replaced_when_bit_set)
{
	tm_tdo old, t;

	make_up(&old, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	old.ftinfo = calloc(1, 4);
	ck_assert_ptr_nonnull(old.ftinfo);
	old.ftinfo_len = 4;
	ck_assert_int_eq(tdo_copy(&t, &old), 0);
	t.attributes = TRUST_ATTR_FOREST_TRANSITIVE;
	ACCEPTED(rules_apply_effects(&old, &t, &err));
	assert_default_ftinfo(&t, 0);
	tdo_free(&t);
	tdo_free(&old);
}
END_TEST

START_TEST(test_r6_forest_trust_without_sid_refused)
{
	tm_tdo t;

	make_up(&t, "other.example", "OTHER", NULL, TRUST_DIRECTION_INBOUND,
		TRUST_ATTR_FOREST_TRANSITIVE);
	assert_refused(rules_apply_effects(NULL, &t, &err), ST_INVALID_SID, "other.example");
	ck_assert_ptr_null(t.ftinfo);
}
END_TEST

/* ---- effects: rule 11 -------------------------------------------------- */

static void assert_current_pw(const authblob *b, const char *want)
{
	char *pw = NULL;
	tm_error e;

	error_clear(&e);
	ck_assert_int_eq(authblob_get_password(b, 0, &pw, &e), 0);
	ck_assert_str_eq(pw, want);
	free(pw);
}

static void make_two_way_with_secrets(tm_tdo *t)
{
	tm_error e;

	make_up(t, "other.example", "OTHER", OTHER_SID, TRUST_DIRECTION_BIDIRECTIONAL, 0);
	error_clear(&e);
	ck_assert_int_eq(authblob_set_password(&t->incoming, "in-pw", 2, 1, AUTHBLOB_FRESH, &e), 0);
	ck_assert_int_eq(authblob_set_password(&t->outgoing, "out-pw", 2, 1, AUTHBLOB_FRESH, &e), 0);
}

/* Apply effects to a copy of a two-way TDO narrowed to `dir`; keep_in and
 * keep_out say which blobs must still hold their secrets. */
static void narrow(uint32_t dir, int keep_in, int keep_out)
{
	tm_tdo old, t;

	make_two_way_with_secrets(&old);
	ck_assert_int_eq(tdo_copy(&t, &old), 0);
	t.direction = dir;
	ACCEPTED(rules_apply_effects(&old, &t, &err));
	ck_assert_int_eq(t.incoming.count != 0, keep_in);
	ck_assert_int_eq(t.outgoing.count != 0, keep_out);
	if (keep_in)
		assert_current_pw(&t.incoming, "in-pw");
	if (keep_out)
		assert_current_pw(&t.outgoing, "out-pw");
	ck_assert_uint_ne(old.incoming.count, 0);
	ck_assert_uint_ne(old.outgoing.count, 0);
	tdo_free(&t);
	tdo_free(&old);
}

START_TEST(test_r11_drop_outbound_empties_outgoing)
{
	narrow(TRUST_DIRECTION_INBOUND, 1, 0);
}
END_TEST

START_TEST(test_r11_drop_inbound_empties_incoming)
{
	narrow(TRUST_DIRECTION_OUTBOUND, 0, 1);
}
END_TEST

START_TEST(test_r11_disable_empties_both_and_keep_keeps)
{
	narrow(TRUST_DIRECTION_DISABLED, 0, 0);
	narrow(TRUST_DIRECTION_BIDIRECTIONAL, 1, 1);
}
END_TEST

START_TEST(test_r11_new_tdo_untouched)
{
	tm_tdo t;

	make_two_way_with_secrets(&t);
	t.direction = TRUST_DIRECTION_INBOUND;
	ACCEPTED(rules_apply_effects(NULL, &t, &err));
	ck_assert_uint_ne(t.incoming.count, 0);
	ck_assert_uint_ne(t.outgoing.count, 0);
	tdo_free(&t);
}
END_TEST

static TCase *tcase_with_fixture(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	return tc;
}

static Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_with_fixture("forest-membership");

	tcase_add_test(tc, test_r1_outside_forest_accepted);
	tcase_add_test(tc, test_r1_all_inside_accepted);
	tcase_add_test(tc, test_r1_partial_refused);
	tcase_add_test(tc, test_r1_split_between_domains_refused);
	tcase_add_test(tc, test_r1_missing_sid_not_compared);
	tcase_add_test(tc, test_r1_mit_partner_compared_by_realm);
	tcase_add_test(tc, test_r1_empty_forest_accepts);
	suite_add_tcase(s, tc);
	tc = tcase_with_fixture("attributes");
	tcase_add_test(tc, test_r2_forest_trust_accepted_at_root);
	tcase_add_test(tc, test_r2_forest_trust_low_level_refused);
	tcase_add_test(tc, test_r2_forest_trust_not_root_refused);
	tcase_add_test(tc, test_r2_forest_trust_partner_not_root_refused);
	tcase_add_test(tc, test_r3_cross_organization);
	tcase_add_test(tc, test_r4_within_forest_combinations);
	tcase_add_test(tc, test_attributes_unknown_bits_refused);
	tcase_add_test(tc, test_forest_bits_need_uplevel);
	tcase_add_test(tc, test_attributes_des_enctypes_not_refused);
	suite_add_tcase(s, tc);
	tc = tcase_with_fixture("names");
	tcase_add_test(tc, test_r5_sid_required);
	tcase_add_test(tc, test_r5_sid_not_required);
	tcase_add_test(tc, test_r7_bad_sids);
	tcase_add_test(tc, test_r7_bad_netbios);
	tcase_add_test(tc, test_r7_bad_dns);
	tcase_add_test(tc, test_r8_self_refused);
	tcase_add_test(tc, test_r8_other_accepted);
	tcase_add_test(tc, test_r9_collisions_refused);
	tcase_add_test(tc, test_r9_distinct_accepted);
	tcase_add_test(tc, test_r10_downlevel_names);
	tcase_add_test(tc, test_r10_mit_names);
	tcase_add_test(tc, test_r10_type_and_direction_range);
	suite_add_tcase(s, tc);
	tc = tcase_with_fixture("modify");
	tcase_add_test(tc, test_modify_type_change_refused);
	tcase_add_test(tc, test_modify_skips_itself);
	tcase_add_test(tc, test_modify_collides_with_others);
	tcase_add_test(tc, test_modify_runs_field_rules);
	tcase_add_test(tc, test_modify_state_rules_only_for_new_bits);
	tcase_add_test(tc, test_missing_inputs);
	suite_add_tcase(s, tc);
	tc = tcase_with_fixture("effects");
	tcase_add_test(tc, test_r6_new_forest_trust_gets_default_info);
	tcase_add_test(tc, test_r6_setting_the_bit_creates_info);
	tcase_add_test(tc, test_r6_clearing_the_bit_drops_info);
	tcase_add_test(tc, test_r6_kept_when_still_forest_trust);
	tcase_add_test(tc, test_r6_stale_info_replaced_when_bit_set);
	tcase_add_test(tc, test_r6_forest_trust_without_sid_refused);
	tcase_add_test(tc, test_r11_drop_outbound_empties_outgoing);
	tcase_add_test(tc, test_r11_drop_inbound_empties_incoming);
	tcase_add_test(tc, test_r11_disable_empties_both_and_keep_keeps);
	tcase_add_test(tc, test_r11_new_tdo_untouched);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(rules_suite());
}
