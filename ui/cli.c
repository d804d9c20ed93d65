/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli.c - the command line: one table of options, one table of commands,
 * from which parsing, help, usage errors and dispatch are all generated. */
#include "ui/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/keys.h"
#include "ui/cli_int.h"

#define CLI_MAX_POS 8

typedef struct cli_option {
	const char *name;          /* without the leading "--" */
	char shortname;            /* 0 when none */
	cli_opt id;
	const char *arg;           /* value placeholder, NULL for a flag */
	int global;                /* accepted with every command */
	const char *help;          /* NULL: for tools, not people (not in --help) */
} cli_option;

static const cli_option options[] = {
	{ "store", 0, OPT_STORE, "DIR", 1,
	  "the store folder (default: $XDG_DATA_HOME/trustmgr)" },
	{ "config", 0, OPT_CONFIG, "FILE", 1,
	  "real domains described in FILE (default: $TRUSTMGR_CONFIG, "
	  "~/.config/trustmgr/trustmgr.conf, /etc/trustmgr.conf)" },
	{ "audit-log", 0, OPT_AUDIT_LOG, "FILE", 1,
	  "record every change in FILE (default: STORE/audit.log, or audit_log of trustmgr.conf)" },
	{ "json", 0, OPT_JSON, NULL, 1, "print one JSON object instead of text" },
	{ "dry-run", 0, OPT_DRY_RUN, NULL, 1,
	  "print the plan and write nothing" },
	{ "password-file", 0, OPT_PASSWORD_FILE, "FILE", 1,
	  "the password is FILE's first line ('-': stdin)" },
	{ "help", 'h', OPT_HELP, NULL, 1, "show help (for a command when one is named)" },
	{ "version", 0, OPT_VERSION, NULL, 1, "print the version" },
	/* the commands and options for shell completion (tools/completion.sh) */
	{ "complete-words", 0, OPT_COMPLETE_WORDS, NULL, 1, NULL },
	{ "yes", 'y', OPT_YES, NULL, 1,
	  "do not ask \"Proceed?\" before a destructive command on a terminal" },
	{ "script", 0, OPT_SCRIPT, "FILE", 1,
	  "console: read keys and commands from FILE (or $TRUSTMGR_SCRIPT)" },
	{ "headless", 0, OPT_HEADLESS, NULL, 1,
	  "console: render without a terminal (or TRUSTMGR_NO_DISPLAY=1)" },
	{ "size", 0, OPT_SIZE, "COLSxROWS", 1,
	  "console: screen size (default: the terminal's, or LINES/COLUMNS)" },
	{ "domain", 0, OPT_DOMAIN, "NAME", 1,
	  "console: open it on domain NAME (default: the first); without a terminal, "
	  "list only NAME's trusts" },
	{ "dns", 0, OPT_DNS, "DNS", 0, "the domain's DNS name (corp.example)" },
	{ "netbios", 0, OPT_NETBIOS, "NB", 0, "the NetBIOS name, 1-15 characters" },
	{ "sid", 0, OPT_SID, "SID", 0, "a domain SID, S-1-5-21-a-b-c" },
	{ "forest", 0, OPT_FOREST, "ROOT_DNS", 0,
	  "the forest root's DNS name (default: its own)" },
	{ "functional-level", 0, OPT_LEVEL, "LEVEL", 0,
	  "2000, 2003, 2008, 2008R2, 2012, 2012R2 or 2016" },
	{ "realm", 0, OPT_REALM, "REALM", 0,
	  "the Kerberos realm (default: from the DNS name)" },
	{ "kind", 0, OPT_KIND, "KIND", 0,
	  "ad (default), nt4 or mit (a Kerberos realm)" },
	{ "nt-service-pack", 0, OPT_SERVICE_PACK, "N", 0,
	  "NT 4.0 service pack of its controllers (0-6)" },
	{ "lm-compat-level", 0, OPT_LM_COMPAT, "N", 0,
	  "LMCompatibilityLevel of its controllers (0-5)" },
	{ "partner", 0, OPT_PARTNER, "DNS", 0,
	  "the partner's DNS name (NetBIOS: downlevel; realm: mit)" },
	{ "flat", 0, OPT_FLAT, "NETBIOS", 0, "flatName: the partner's NetBIOS name" },
	{ "direction", 0, OPT_DIRECTION, "DIR", 0, "inbound, outbound or both" },
	{ "type", 0, OPT_TYPE, "TYPE", 0, "uplevel, downlevel, mit or dce" },
	{ "sides", 0, OPT_SIDES, "SIDES", 0, "both or local (DOMAIN only); create: both by default, remove: local" },
	{ "attributes", 0, OPT_ATTRIBUTES, "ATTRS", 0,
	  "a number (0x8) or names (forest-transitive,...)" },
	{ "enctypes", 0, OPT_ENCTYPES, "ENCTYPES", 0, "aes, rc4 or aes,rc4" },
	{ "forest-transitive", 0, OPT_FOREST_TRANSITIVE, NULL, 0,
	  "a forest trust (forest root, level 2003 or later)" },
	{ "no-forest-transitive", 0, OPT_NO_FOREST_TRANSITIVE, NULL, 0,
	  "clear forest-transitive (drops forest trust info)" },
	{ "non-transitive", 0, OPT_NON_TRANSITIVE, NULL, 0, "the trust is not transitive" },
	{ "transitive", 0, OPT_TRANSITIVE, NULL, 0, "clear non-transitive" },
	{ "quarantine", 0, OPT_QUARANTINE, "yes|no", 0, "SID filtering (quarantined domain)" },
	{ "selective-auth", 0, OPT_SELECTIVE_AUTH, NULL, 0,
	  "selective authentication (cross-organization)" },
	{ "no-selective-auth", 0, OPT_NO_SELECTIVE_AUTH, NULL, 0,
	  "clear selective authentication" },
	{ "rotation-days", 0, OPT_ROTATION_DAYS, "N", 0,
	  "secrets N days old or older are due (default: rotation_days of trustmgr.conf, else 30)" },
	{ "krb5-conf", 0, OPT_KRB5_CONF, NULL, 0,
	  "print only the krb5.conf lines the clients of each realm need for this trust" },
	{ "force", 0, OPT_FORCE, NULL, 0,
	  "move the journal aside, kept, even when it is damaged" },
	{ "clear-stale", 0, OPT_CLEAR_STALE, NULL, 0,
	  "remove the state of domains the configuration names no more" },
	{ "due", 0, OPT_DUE, NULL, 0,
	  "rotate every trust whose secret is older than the rotation policy" },
	/* namespaces (cli_namespace.c); NAMES: one name or several, comma-separated */
	{ "refresh", 0, OPT_REFRESH, "check|store", 0,
	  "compare with (check) or take (store) what the partner forest publishes" },
	{ "enable-all", 0, OPT_ENABLE_ALL, NULL, 0, "enable every TLN and domain record" },
	{ "enable-tln", 0, OPT_ENABLE_TLN, "NAMES", 0, "enable top-level names" },
	{ "disable-tln", 0, OPT_DISABLE_TLN, "NAMES", 0, "disable top-level names" },
	{ "add-tln-ex", 0, OPT_ADD_TLN_EX, "NAMES", 0, "add TLN exclusions (names below a TLN)" },
	{ "delete-tln-ex", 0, OPT_DELETE_TLN_EX, "NAMES", 0, "delete TLN exclusions" },
	{ "enable-nb", 0, OPT_ENABLE_NB, "NETBIOS", 0, "route a domain's NetBIOS name again" },
	{ "disable-nb", 0, OPT_DISABLE_NB, "NETBIOS", 0, "stop routing a domain's NetBIOS name" },
	{ "enable-sid", 0, OPT_ENABLE_SID, "SIDS", 0, "accept a domain's SID again" },
	{ "disable-sid", 0, OPT_DISABLE_SID, "SIDS", 0, "stop accepting a domain's SID" },
	{ "add-upn-suffix", 0, OPT_ADD_UPN, "NAMES", 0, "give DOMAIN's forest UPN suffixes" },
	{ "delete-upn-suffix", 0, OPT_DELETE_UPN, "NAMES", 0, "take UPN suffixes away" },
	{ "add-spn-suffix", 0, OPT_ADD_SPN, "NAMES", 0, "give DOMAIN's forest SPN suffixes" },
	{ "delete-spn-suffix", 0, OPT_DELETE_SPN, "NAMES", 0, "take SPN suffixes away" },
};
#define NOPTIONS (sizeof(options) / sizeof(options[0]))

#define FLAGS_WF (CMD_MUTATES | CMD_PARTNER | CMD_DRY_RUN)

static const cli_cmd commands[] = {
	{ "domain", "add", cli_cmd_domain_add, NULL, 1, 1,
	  "NAME --dns DNS --netbios NB --sid SID [--forest ROOT_DNS] "
	  "[--functional-level LEVEL] [--realm REALM] [--kind ad|nt4|mit] "
	  "[--nt-service-pack N] [--lm-compat-level N]",
	  "Add a domain (NAME is how commands refer to it).",
	  CMD_MUTATES | CMD_DRY_RUN },
	{ "domain", "list", cli_cmd_domain_list, NULL, 0, 0, "",
	  "List the domains in the store.", 0 },
	{ "demo", NULL, cli_cmd_demo, NULL, 0, 0, "",
	  "Fill an empty store with demonstration domains and trusts.", CMD_MUTATES },
	{ "list", NULL, cli_cmd_list, NULL, 1, 1, "DOMAIN",
	  "Show whom DOMAIN trusts and who trusts it.", 0 },
	{ "show", NULL, cli_cmd_show, NULL, 2, 2, "DOMAIN PARTNER [--krb5-conf]",
	  "Show DOMAIN's trust with PARTNER in full (never the secrets), with the krb5.conf "
	  "lines its clients need.",
	  CMD_PARTNER | CMD_ANY_PARTNER },
	{ "permit", NULL, cli_cmd_workflow, cli_plan_permit, 2, 2,
	  "TRUSTED TRUSTING [--password-file FILE]",
	  "Trusted side: let TRUSTING trust TRUSTED (initial password).",
	  FLAGS_WF },
	{ "trust", NULL, cli_cmd_workflow, cli_plan_trust, 2, 2,
	  "TRUSTING TRUSTED [--password-file FILE]",
	  "Trusting side: trust TRUSTED with its password (one chance).",
	  FLAGS_WF },
	{ "create", NULL, cli_cmd_workflow, workflow_create, 2, 2,
	  "DOMAIN PARTNER [--direction both|outbound|inbound] [--type uplevel|downlevel|mit] "
	  "[--sides both|local] [--forest-transitive] [--non-transitive] [--quarantine yes|no] "
	  "[--selective-auth] [--enctypes aes|rc4|aes,rc4] [--password-file FILE]",
	  "Create a trust on both sides, or on one side with a password.",
	  FLAGS_WF },
	{ "tdo", "add", cli_cmd_workflow, workflow_tdo_add, 1, 1,
	  "DOMAIN --partner DNS --flat NETBIOS [--sid SID] --direction inbound|outbound|both "
	  "--type uplevel|downlevel|mit|dce [--attributes HEX_OR_NAMES] [--enctypes ENCTYPES] "
	  "[--password-file FILE]",
	  "Add a trusted domain object to DOMAIN only.",
	  CMD_MUTATES | CMD_DRY_RUN | CMD_ANY_PARTNER },
	{ "tdo", "modify", cli_cmd_workflow, workflow_tdo_modify, 2, 2,
	  "DOMAIN PARTNER [--direction inbound|outbound|both] [--type uplevel|downlevel|mit|dce] "
	  "[--attributes ATTRS] [--enctypes ENCTYPES] "
	  "[--forest-transitive|--no-forest-transitive] [--quarantine yes|no] "
	  "[--selective-auth|--no-selective-auth] [--non-transitive|--transitive] "
	  "[--sid SID] [--flat NETBIOS] [--password-file FILE]",
	  "Change DOMAIN's trusted domain object for PARTNER.",
	  FLAGS_WF | CMD_ANY_PARTNER },
	{ "tdo", "delete", cli_cmd_workflow, cli_plan_tdo_delete, 2, 2, "DOMAIN PARTNER",
	  "Delete DOMAIN's trusted domain object for PARTNER.",
	  FLAGS_WF | CMD_ANY_PARTNER | CMD_CONFIRM },
	{ "remove", NULL, cli_cmd_workflow, workflow_remove, 2, 2,
	  "DOMAIN PARTNER [--sides local|both] [--direction inbound|outbound]",
	  "Remove the trust from DOMAIN (or from both sides).",
	  FLAGS_WF | CMD_ANY_PARTNER | CMD_CONFIRM },
	{ "verify", NULL, cli_cmd_verify, cli_plan_verify, 2, 2, "DOMAIN PARTNER",
	  "Check each direction of the trust as the two KDCs would.",
	  CMD_RECORDS | CMD_PARTNER | CMD_ANY_PARTNER },
	{ "reset", NULL, cli_cmd_workflow, cli_plan_reset, 2, 2, "DOMAIN PARTNER",
	  "New random secret on both sides, then verify.", FLAGS_WF },
	{ "reset-one-side", NULL, cli_cmd_workflow, cli_plan_reset_one_side, 2, 2,
	  "DOMAIN PARTNER [--password-file FILE]",
	  "Forest recovery: reset DOMAIN's side only to a password.",
	  FLAGS_WF | CMD_ANY_PARTNER | CMD_CONFIRM },
	{ "recover", NULL, cli_cmd_recover, NULL, 1, 1, "DOMAIN [--password-file FILE]",
	  "Forest recovery: reset every trust of DOMAIN on its side.",
	  CMD_MUTATES | CMD_DRY_RUN | CMD_CONFIRM },
	{ "recover-partners", NULL, cli_cmd_recover_partners, NULL, 1, 2,
	  "DOMAIN [PARTNER] [--password-file FILE]",
	  "Forest recovery: the same password on partners' sides.",
	  CMD_MUTATES | CMD_DRY_RUN },
	{ "recreate", NULL, cli_cmd_recreate, NULL, 2, 2, "DOMAIN PARTNER [--password-file FILE]",
	  "Remove both ends of a broken trust and establish it again.",
	  FLAGS_WF | CMD_ANY_PARTNER },
	{ "rotate", NULL, cli_cmd_rotate, cli_plan_rotate, 0, 2,
	  "DOMAIN PARTNER | --due [DOMAIN] [--rotation-days N]",
	  "Change the secret on both sides, keeping the previous one (--due: every trust "
	  "older than the rotation policy).", FLAGS_WF },
	{ "health", NULL, cli_cmd_health, NULL, 0, 1, "[DOMAIN] [--rotation-days N]",
	  "Diagnose every trust (or DOMAIN's): cause, evidence, fix.", 0 },
	{ "repair", NULL, cli_cmd_repair, NULL, 2, 2,
	  "DOMAIN PARTNER [--password-file FILE] [--rotation-days N]",
	  "Run the fix health offers for the trust, then verify it.",
	  FLAGS_WF | CMD_ANY_PARTNER },
	{ "namespaces", NULL, cli_cmd_namespaces, NULL, 1, 2,
	  "DOMAIN [PARTNER] [--refresh check|store] [--enable-all] [--enable-tln NAMES] "
	  "[--disable-tln NAMES] [--add-tln-ex NAMES] [--delete-tln-ex NAMES] "
	  "[--enable-nb NETBIOS] [--disable-nb NETBIOS] [--enable-sid SIDS] [--disable-sid SIDS] "
	  "[--add-upn-suffix NAMES] [--delete-upn-suffix NAMES] [--add-spn-suffix NAMES] "
	  "[--delete-spn-suffix NAMES]",
	  "Show or change a forest trust's name suffix routing (or DOMAIN's forest names).",
	  CMD_MUTATES | CMD_DRY_RUN | CMD_ANY_PARTNER | CMD_SHOW_BARE },
	{ "journal", NULL, cli_cmd_journal, NULL, 0, 0, "",
	  "Show the interrupted plan, if any.", CMD_JOURNAL },
	{ "state", NULL, cli_cmd_state, NULL, 0, 0, "[--clear-stale]",
	  "Show where the journal, health and lock are kept, who shares them, and stale state.",
	  CMD_JOURNAL },
	{ "resume", NULL, cli_cmd_resume, NULL, 0, 0, "[--password-file FILE]",
	  "Finish the interrupted plan.", CMD_MUTATES | CMD_JOURNAL },
	{ "rollback", NULL, cli_cmd_rollback, NULL, 0, 0, "",
	  "Undo the interrupted plan in every domain it touched.",
	  CMD_MUTATES | CMD_JOURNAL | CMD_CONFIRM },
	{ "discard", NULL, cli_cmd_discard, NULL, 0, 0, "[--force]",
	  "Forget the interrupted plan, changing no domain (after repairing by hand).",
	  CMD_MUTATES | CMD_JOURNAL | CMD_CONFIRM },
	{ "help", NULL, cli_cmd_help, NULL, 0, 2, "[COMMAND]",
	  "List the commands, or show COMMAND's arguments and options.", CMD_NO_STORE },
	{ "", NULL, cli_cmd_overview, NULL, 0, 0, "",
	  "Without a command: the console (on a terminal, or with --headless or "
	  "--script); otherwise every domain's trusts.",
	  CMD_HIDDEN | CMD_JOURNAL /* the console offers Resume / Roll back itself */ },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* What the parser collected before a command was chosen. */
typedef struct cli_parse {
	const char *pos[CLI_MAX_POS];
	size_t npos;
	int overflow;                  /* more positionals than CLI_MAX_POS */
	char error[160];               /* the first malformed option, reported once the
					  command (and so its usage line) is known */
} cli_parse;

/* cli_cmd_name: "tdo add", "list", or "trustmgr" for the bare command. */
const char *cli_cmd_name(const cli_cmd *cmd, char *buf, size_t n)
{
	if (!cmd || !cmd->name[0])
		snprintf(buf, n, "%s", "trustmgr");
	else if (cmd->sub)
		snprintf(buf, n, "%s %s", cmd->name, cmd->sub);
	else
		snprintf(buf, n, "%s", cmd->name);
	return buf;
}

/* Print the usage words wrapped at 79 columns; a bracketed group is never
 * split. col is where the cursor is; continuation lines start at indent. */
static void print_wrapped(FILE *f, const char *usage, size_t col, size_t indent)
{
	const char *p = usage;

	while (*p) {
		const char *start = p;
		int depth = 0;

		while (*p && (*p != ' ' || depth > 0)) {
			depth += (*p == '[') - (*p == ']');
			p++;
		}
		if (col + 1 + (size_t)(p - start) > 79 && col > indent) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)(p - start), start);
		col += (size_t)(p - start);
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

static void print_cmd_usage(FILE *f, const cli_cmd *cmd)
{
	char name[64];

	if (!cmd || !cmd->name[0]) {
		fprintf(f, "Usage: trustmgr [GLOBAL OPTIONS] COMMAND [ARGUMENTS] [OPTIONS]\n");
		return;
	}
	cli_cmd_name(cmd, name, sizeof(name));
	fprintf(f, "Usage: trustmgr %s", name);
	print_wrapped(f, cmd->usage, strlen("Usage: trustmgr ") + strlen(name), 8);
}

static void print_try(FILE *f, const cli_cmd *cmd)
{
	char name[64];

	if (!cmd || !cmd->name[0])
		fprintf(f, "Try 'trustmgr --help' for more information.\n");
	else
		fprintf(f, "Try 'trustmgr %s --help' for more information.\n",
			cli_cmd_name(cmd, name, sizeof(name)));
}

/* Remember a usage error (for the --json error object): the message and
 * the "Try" hint. */
__attribute__((format(printf, 2, 3)))
static void note_usage(const cli_cmd *cmd, const char *fmt, ...)
{
	tm_error e;
	va_list ap;
	char name[64], what[TM_WHAT_MAX];

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	error_clear(&e);
	error_fail(&e, TM_EUSAGE, NULL, "%s", what);
	if (!cmd || !cmd->name[0])
		error_hint(&e, "Try 'trustmgr --help' for more information.");
	else
		error_hint(&e, "Try 'trustmgr %s --help' for more information.",
			   cli_cmd_name(cmd, name, sizeof(name)));
	cli_note_error(&e);
}

/* cli_usage_error: message, usage line and "Try" hint on stderr; exit 2. */
int cli_usage_error(const cli_ctx *c, const char *fmt, ...)
{
	va_list ap;
	char msg[TM_WHAT_MAX];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "trustmgr: %s\n", msg);
	print_cmd_usage(stderr, c->cmd);
	print_try(stderr, c->cmd);
	note_usage(c->cmd, "%s", msg);
	return TM_EUSAGE;
}

/* ---- help -------------------------------------------------------------- */

static void print_option(FILE *f, const cli_option *o)
{
	char left[48], shortopt[5] = "    ";

	if (o->shortname)
		snprintf(shortopt, sizeof(shortopt), "-%c, ", o->shortname);
	snprintf(left, sizeof(left), "%s--%s%s%s", shortopt, o->name, o->arg ? " " : "",
		 o->arg ? o->arg : "");
	fprintf(f, "  %-26s %s\n", left, o->help);
}

/* Does the usage line mention "--name" as a whole option word? */
static int usage_allows(const char *usage, const char *name)
{
	size_t n = strlen(name);
	const char *p = usage;

	while ((p = strstr(p, "--")) != NULL) {
		p += 2;
		if (strncmp(p, name, n) == 0 && !(p[n] == '-' || (p[n] >= 'a' && p[n] <= 'z')))
			return 1;
	}
	return 0;
}

static void print_global_options(FILE *f)
{
	size_t i;

	fprintf(f, "Global options (anywhere on the line):\n");
	for (i = 0; i < NOPTIONS; i++)
		if (options[i].global && options[i].help)
			print_option(f, &options[i]);
}

static void print_exit_statuses(FILE *f)
{
	fprintf(f, "\nExit status: 0 success; 1 the operation ran and failed; 2 usage error;\n"
		   "3 refused by a rule (stderr starts with the NTSTATUS name); 4 the store\n"
		   "failed or a plan is interrupted; 5 the answer to \"Proceed?\" was not yes.\n"
		   "See trustmgr(8).\n");
}

static void print_command_help(const cli_cmd *cmd)
{
	size_t i;
	int any = 0;

	print_cmd_usage(stdout, cmd);
	printf("\n%s\n", cmd->help);
	for (i = 0; i < NOPTIONS; i++) {
		if (options[i].global || !usage_allows(cmd->usage, options[i].name))
			continue;
		if (!any++)
			printf("\nOptions:\n");
		print_option(stdout, &options[i]);
	}
	printf("\n");
	print_global_options(stdout);
}

static void print_help(void)
{
	size_t i;
	char name[64];

	printf("Usage: trustmgr [GLOBAL OPTIONS] COMMAND [ARGUMENTS] [OPTIONS]\n\n"
	       "Manage trust relationships between security domains (NT and Active\n"
	       "Directory style trusts, Kerberos realms). Passwords are never taken on\n"
	       "the command line: use --password-file or type them at the prompt.\n\n"
	       "Commands:\n");
	for (i = 0; i < NCOMMANDS; i++) {
		if (commands[i].flags & CMD_HIDDEN)
			continue;
		printf("  %-16s %s\n", cli_cmd_name(&commands[i], name, sizeof(name)),
		       commands[i].help);
	}
	printf("\n");
	print_global_options(stdout);
	printf("\n'trustmgr help COMMAND' (or 'trustmgr COMMAND --help') shows a command's\n"
	       "arguments and options.\n");
	print_exit_statuses(stdout);
}

/* ---- words for shell completion ------------------------------------------ */

/* The value a command's usage shows after "--name " (both|local, FILE),
 * else the option's own placeholder. */
static const char *usage_value(const char *usage, const cli_option *o, char *buf, size_t n)
{
	size_t len = strlen(o->name), k = 0;
	const char *p = usage;

	while ((p = strstr(p, "--")) != NULL) {
		p += 2;
		if (strncmp(p, o->name, len) != 0 || p[len] != ' ')
			continue;
		for (p += len + 1; *p && *p != ' ' && *p != ']' && k + 1 < n; p++)
			buf[k++] = *p;
		buf[k] = '\0';
		if (k && buf[0] != '-' && buf[0] != '[')
			return buf;
	}
	return o->arg;
}

static void print_word(const char *usage, const cli_option *o)
{
	char value[64];
	const char *v = o->arg ? usage_value(usage, o, value, sizeof(value)) : NULL;

	printf(" --%s%s%s", o->name, v ? "=" : "", v ? v : "");
}

/* `trustmgr --complete-words`: what tools/completion.sh turns into the bash
 * completion, one tab-separated line per global option list and command:
 *   global  --store=DIR --json ...
 *   command domain add  --dns=DNS ... --kind=ad|nt4|mit
 * Options without help (for tools) and the bare command are left out. */
static void print_complete_words(void)
{
	size_t i, j;
	char name[64];

	printf("global\t");
	for (i = 0; i < NOPTIONS; i++)
		if (options[i].global && options[i].help)
			print_word("", &options[i]);
	printf("\n");
	for (i = 0; i < NCOMMANDS; i++) {
		if (commands[i].flags & CMD_HIDDEN)
			continue;
		printf("command\t%s\t", cli_cmd_name(&commands[i], name, sizeof(name)));
		for (j = 0; j < NOPTIONS; j++)
			if (!options[j].global && usage_allows(commands[i].usage, options[j].name))
				print_word(commands[i].usage, &options[j]);
		printf("\n");
	}
}

/* ---- parsing ----------------------------------------------------------- */

static const cli_option *option_by_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++)
		if (strlen(options[i].name) == len && strncmp(options[i].name, name, len) == 0)
			return &options[i];
	return NULL;
}

static const cli_option *option_by_short(char ch)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++)
		if (options[i].shortname && options[i].shortname == ch)
			return &options[i];
	return NULL;
}

/* Note the first malformed option; parsing goes on to find the command. */
__attribute__((format(printf, 2, 3)))
static void parse_error(cli_parse *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(ps->error, sizeof(ps->error), fmt, ap);
	va_end(ap);
}

/* Record option o with the value from "=value", or the next argument. */
static void take_option(cli_ctx *c, cli_parse *ps, const cli_option *o, const char *eq,
			int argc, char **argv, int *i)
{
	if (!o->arg) {
		if (eq)
			parse_error(ps, "option '--%s' takes no value%s", o->name, "");
		else
			c->opt[o->id] = "";
		return;
	}
	if (eq)
		c->opt[o->id] = eq + 1;
	else if (*i + 1 >= argc)
		parse_error(ps, "option '--%s' needs a value (%s)", o->name, o->arg);
	else
		c->opt[o->id] = argv[++*i];
}

static void parse_long(cli_ctx *c, cli_parse *ps, int argc, char **argv, int *i)
{
	const char *name = argv[*i] + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const cli_option *o = option_by_name(name, len);

	if (o)
		take_option(c, ps, o, eq, argc, argv, i);
	else
		parse_error(ps, "unknown option '%s'%s", argv[*i], "");
}

static void parse_short(cli_ctx *c, cli_parse *ps, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	const cli_option *o = arg[2] ? NULL : option_by_short(arg[1]);

	if (o)
		take_option(c, ps, o, NULL, argc, argv, i);
	else
		parse_error(ps, "unknown option '%s'%s", arg, "");
}

static void add_positional(cli_parse *ps, const char *arg)
{
	if (ps->npos < CLI_MAX_POS)
		ps->pos[ps->npos++] = arg;
	else
		ps->overflow = 1;
}

/* One pass over argv: options (anywhere) into c->opt, the rest into ps. */
static void parse_argv(cli_ctx *c, cli_parse *ps, int argc, char **argv)
{
	int i, rest = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (rest || a[0] != '-' || a[1] == '\0')
			add_positional(ps, a);
		else if (strcmp(a, "--") == 0)
			rest = 1;
		else if (a[1] == '-')
			parse_long(c, ps, argc, argv, &i);
		else
			parse_short(c, ps, argc, argv, &i);
	}
}

/* ---- choosing the command ---------------------------------------------- */

static int name_has_subs(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0 && commands[i].sub)
			return 1;
	return 0;
}

static void list_subs(FILE *f, const char *name)
{
	size_t i;
	int n = 0;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0 && commands[i].sub)
			fprintf(f, "%s%s", n++ ? ", " : "", commands[i].sub);
}

static const cli_cmd *find_command(const cli_parse *ps, size_t *words)
{
	size_t i;
	const char *first = ps->npos ? ps->pos[0] : "";

	for (i = 0; i < NCOMMANDS; i++) {
		const cli_cmd *cmd = &commands[i];

		if (strcmp(cmd->name, first) != 0)
			continue;
		if (!cmd->sub) {
			*words = ps->npos ? 1 : 0;
			return cmd;
		}
		if (ps->npos > 1 && strcmp(cmd->sub, ps->pos[1]) == 0) {
			*words = 2;
			return cmd;
		}
	}
	return NULL;
}

/* Edit distance (insertions, deletions, substitutions) of a and b, at
 * most 32 characters of each compared. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strnlen(a, 32), lb = strnlen(b, 32), i, k, row[33];

	for (k = 0; k <= lb; k++)
		row[k] = k;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (k = 1; k <= lb; k++) {
			size_t up = row[k], best = diag + (a[i - 1] != b[k - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[k - 1] + 1 < best)
				best = row[k - 1] + 1;
			diag = up;
			row[k] = best;
		}
	}
	return row[lb];
}

/* How far word is from the command's first word (0: word starts it). */
static size_t command_distance(const cli_cmd *cmd, const char *word)
{
	if (word[0] && strncmp(cmd->name, word, strlen(word)) == 0)
		return 0;
	return edit_distance(cmd->name, word);
}

/* "Did you mean": the listed commands nearest to word, when any is near
 * (at most 2 edits, or a third of the word). Returns how many were named. */
static int suggest_commands(FILE *f, const char *word)
{
	size_t i, best = 3 + strlen(word) / 3, d;
	int n = 0;
	char name[64];

	for (i = 0; i < NCOMMANDS; i++)
		if (!(commands[i].flags & CMD_HIDDEN) &&
		    (d = command_distance(&commands[i], word)) < best)
			best = d;
	if (best > 2 && best * 3 > strlen(word))
		return 0;
	for (i = 0; i < NCOMMANDS; i++) {
		if ((commands[i].flags & CMD_HIDDEN) || command_distance(&commands[i], word) != best)
			continue;
		fprintf(f, "%s'%s'", n++ ? ", " : "The closest commands: ",
			cli_cmd_name(&commands[i], name, sizeof(name)));
	}
	if (n)
		fputs(".\n", f);
	return n;
}

/* An unknown command word: the closest names, or where the list is. */
static int unknown_word(const char *first)
{
	fprintf(stderr, "trustmgr: unknown command '%s'.\n", first);
	if (!suggest_commands(stderr, first))
		fprintf(stderr, "'trustmgr help' lists the commands.\n");
	print_try(stderr, NULL);
	note_usage(NULL, "unknown command '%s'", first);
	return TM_EUSAGE;
}

static int unknown_command(cli_ctx *c, const cli_parse *ps)
{
	const char *first = ps->pos[0];

	if (name_has_subs(first) && ps->npos == 1 && c->opt[OPT_HELP]) {
		printf("'%s' needs one of: ", first);
		list_subs(stdout, first);
		printf(". Try 'trustmgr %s SUBCOMMAND --help'.\n", first);
		return TM_OK;
	}
	if (!name_has_subs(first))
		return unknown_word(first);
	fprintf(stderr, "trustmgr: '%s' needs a subcommand: ", first);
	list_subs(stderr, first);
	fprintf(stderr, "%s%s%s.\n", ps->npos > 1 ? " (not '" : "",
		ps->npos > 1 ? ps->pos[1] : "", ps->npos > 1 ? "')" : "");
	print_try(stderr, NULL);
	note_usage(NULL, "'%s' needs a subcommand", first);
	return TM_EUSAGE;
}

/* cli_cmd_help: `trustmgr help [COMMAND]`: the list of commands, or one
 * command's usage, description and options (as COMMAND --help). */
int cli_cmd_help(cli_ctx *c)
{
	cli_parse ps;
	size_t words = 0;
	const cli_cmd *cmd;

	memset(&ps, 0, sizeof(ps));
	for (ps.npos = 0; ps.npos < c->nargs; ps.npos++)
		ps.pos[ps.npos] = c->args[ps.npos];
	if (!ps.npos) {
		print_help();
		return TM_OK;
	}
	cmd = find_command(&ps, &words);
	if (cmd && words == ps.npos && !(cmd->flags & CMD_HIDDEN)) {
		print_command_help(cmd);
		return TM_OK;
	}
	if (!cmd && name_has_subs(ps.pos[0]) && ps.npos == 1) {
		printf("'%s' needs one of: ", ps.pos[0]);
		list_subs(stdout, ps.pos[0]);
		printf(". Try 'trustmgr help %s SUBCOMMAND'.\n", ps.pos[0]);
		return TM_OK;
	}
	if (cmd || name_has_subs(ps.pos[0]))
		return cli_usage_error(c, "no command '%s%s%s': 'trustmgr help' lists them",
				       ps.pos[0], ps.npos > 1 ? " " : "",
				       ps.npos > 1 ? ps.pos[1] : "");
	return unknown_word(ps.pos[0]);
}

/* `trustmgr ""`: an empty word where the command goes is not "no command". */
static int empty_command(void)
{
	fprintf(stderr, "trustmgr: the command is empty (''): name a command, or give none at "
		"all to open the console (or, without a terminal, the overview).\n");
	print_try(stderr, NULL);
	note_usage(NULL, "the command is empty ('')");
	return TM_EUSAGE;
}

static int check_arity(cli_ctx *c, const cli_parse *ps, size_t words)
{
	size_t n = ps->npos - words, i;

	if (ps->overflow || n > c->cmd->max_args)
		return cli_usage_error(c, "too many arguments");
	if (n < c->cmd->min_args)
		return cli_usage_error(c, "missing argument%s (expected %s)",
				       c->cmd->min_args - n > 1 ? "s" : "",
				       c->cmd->usage);
	for (i = 0; i < n; i++) {
		if (!ps->pos[words + i][0])
			return cli_usage_error(c, "argument %zu is empty", i + 1);
		c->args[i] = ps->pos[words + i];
	}
	c->nargs = n;
	return 0;
}

static int check_options(cli_ctx *c)
{
	size_t i;
	char name[64];

	for (i = 0; i < NOPTIONS; i++) {
		const cli_option *o = &options[i];

		if (!c->opt[o->id] || o->global || usage_allows(c->cmd->usage, o->name))
			continue;
		return cli_usage_error(c, "option '--%s' does not apply to '%s'", o->name,
				       cli_cmd_name(c->cmd, name, sizeof(name)));
	}
	if (c->opt[OPT_DOMAIN] && c->cmd->run != cli_cmd_overview)
		return cli_usage_error(c, "--domain chooses the domain the console opens on; '%s' "
				       "names its domain as an argument instead",
				       cli_cmd_name(c->cmd, name, sizeof(name)));
	if (c->opt[OPT_DRY_RUN] && !(c->cmd->flags & CMD_DRY_RUN))
		return cli_usage_error(c, "--dry-run applies only to commands that change "
				       "trusts or domains; '%s' has no plan to preview",
				       cli_cmd_name(c->cmd, name, sizeof(name)));
	return 0;
}

/* Parse the whole line. Returns -1 to go on with c->cmd, or the exit status
 * when there is nothing more to do (help, version, usage error). */
static int cli_parse_line(cli_ctx *c, int argc, char **argv)
{
	cli_parse ps;
	size_t words = 0;
	int rc;

	memset(&ps, 0, sizeof(ps));
	parse_argv(c, &ps, argc, argv);
	if (c->opt[OPT_JSON])
		cli_json_mode_begin();
	if (c->opt[OPT_VERSION] && !ps.error[0]) {
		printf("trustmgr %s\n", TM_VERSION);
		return TM_OK;
	}
	if (c->opt[OPT_COMPLETE_WORDS] && !ps.error[0]) {
		print_complete_words();
		return TM_OK;
	}
	if (ps.npos && !ps.pos[0][0])
		return empty_command();
	c->cmd = find_command(&ps, &words);
	if (ps.error[0] && (c->cmd || !ps.npos))
		return cli_usage_error(c, "%s", ps.error);
	if (!c->cmd)
		return unknown_command(c, &ps);
	if (c->opt[OPT_HELP]) {
		if (c->cmd->flags & CMD_HIDDEN)
			print_help();
		else
			print_command_help(c->cmd);
		return TM_OK;
	}
	rc = check_arity(c, &ps, words);
	if (!rc)
		rc = check_options(c);
	return rc ? rc : -1;
}

/* Flush stdout; a failed write (full disk, closed pipe) is an error too. */
static int finish_output(int rc)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	fprintf(stderr, "trustmgr: writing the output failed: %s.\n"
			"Check where standard output goes (disk full or pipe closed) and run the "
			"command again.\n", strerror(errno ? errno : EIO));
	return rc ? rc : TM_EBACKEND;
}

/* cli_fail_early: the error on stderr, and as JSON when --json is given. */
int cli_fail_early(int argc, char **argv, const char *what, const char *next, int status)
{
	cli_ctx c;
	cli_parse ps;
	tm_error e;

	memset(&c, 0, sizeof(c));
	memset(&ps, 0, sizeof(ps));
	parse_argv(&c, &ps, argc, argv);
	if (c.opt[OPT_JSON])
		cli_json_mode_begin();
	error_clear(&e);
	error_fail(&e, (tm_class)status, NULL, "%s", what);
	error_hint(&e, "%s", next);
	fprintf(stderr, "trustmgr: %s\n%s\n", what, next);
	cli_json_mode_end(NULL, status, &e);
	return finish_output(status);
}

/* cli_main: parse, open the session the command needs, run it, flush. */
int cli_main(int argc, char **argv)
{
	cli_ctx c;
	char name[64];
	int rc;

	memset(&c, 0, sizeof(c));
	error_clear(&c.e);
	rc = cli_parse_line(&c, argc, argv);
	if (rc < 0 && (c.cmd->flags & CMD_NO_STORE)) {
		rc = c.cmd->run(&c);
	} else if (rc < 0) {
		rc = cli_session_open(&c);
		if (rc == 0)
			rc = c.cmd->run(&c);
		cli_session_close(&c);
	}
	rc = cli_exit_status(&c.e, rc);
	cli_json_mode_end(c.cmd ? cli_cmd_name(c.cmd, name, sizeof(name)) : NULL, rc,
			  cli_last_error(&c.e));
	keys_shutdown();
	return finish_output(rc);
}
