/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_int.h - what the files of the command-line front end share.
 * Not for use outside ui/cli*.c.
 *
 *   cli.c         option and command tables, parsing, help, dispatch
 *   cli_cmds.c    the command handlers
 *   cli_run.c     the flow every command shares: store, lock, journal,
 *                 world, workflow, preview or execute, report
 *   cli_output.c  text and JSON forms of what commands print
 *   cli_json.c    the JSON emitter
 *   cli_secret.c  passwords: --password-file and the no-echo prompt; the
 *                 reader of typed answers
 *   cli_confirm.c "Proceed? [y/N]" before a destructive command
 *   cli_demo.c    `trustmgr demo`
 *   cli_recover.c `recover`, `recover-partners`, `recreate`
 *   cli_health.c  `health`, `repair` (and the `rotate` planner)
 *   cli_rotate.c  `rotate` (DOMAIN PARTNER, or every due trust with --due)
 */
#ifndef TM_CLI_INT_H
#define TM_CLI_INT_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "backend/exec/diagnose.h"
#include "backend/exec/exec.h"
#include "backend/backend.h"
#include "backend/ops.h"
#include "backend/exec/world.h"
#include "model/workflow.h"

/* Every option the command line knows; cli.c holds the table. */
typedef enum cli_opt {
	OPT_STORE = 0, OPT_JSON, OPT_DRY_RUN, OPT_PASSWORD_FILE, OPT_HELP, OPT_VERSION,
	OPT_COMPLETE_WORDS,
	OPT_YES,
	OPT_SCRIPT, OPT_HEADLESS, OPT_SIZE, OPT_DOMAIN, OPT_CONFIG, OPT_AUDIT_LOG,
	OPT_DNS, OPT_NETBIOS, OPT_SID, OPT_FOREST, OPT_LEVEL, OPT_REALM, OPT_KIND,
	OPT_SERVICE_PACK, OPT_LM_COMPAT,
	OPT_PARTNER, OPT_FLAT, OPT_DIRECTION, OPT_TYPE, OPT_SIDES, OPT_ATTRIBUTES,
	OPT_ENCTYPES, OPT_FOREST_TRANSITIVE, OPT_NO_FOREST_TRANSITIVE,
	OPT_NON_TRANSITIVE, OPT_TRANSITIVE, OPT_QUARANTINE, OPT_SELECTIVE_AUTH,
	OPT_NO_SELECTIVE_AUTH,
	OPT_ROTATION_DAYS, OPT_FORCE, OPT_KRB5_CONF, OPT_CLEAR_STALE, OPT_DUE,
	OPT_REFRESH, OPT_ENABLE_ALL, OPT_ENABLE_TLN, OPT_DISABLE_TLN, OPT_ADD_TLN_EX,
	OPT_DELETE_TLN_EX, OPT_ENABLE_NB, OPT_DISABLE_NB, OPT_ENABLE_SID, OPT_DISABLE_SID,
	OPT_ADD_UPN, OPT_DELETE_UPN, OPT_ADD_SPN, OPT_DELETE_SPN,
	OPT_COUNT
} cli_opt;

/* Command flags. */
#define CMD_MUTATES  0x01u  /* changes the store: exclusive lock, refused while a plan is interrupted */
#define CMD_RECORDS  0x02u  /* records health only: exclusive lock, allowed while interrupted */
#define CMD_PARTNER  0x04u  /* the second argument names the partner */
#define CMD_ANY_PARTNER 0x08u /* the partner need not be a known domain */
#define CMD_DRY_RUN  0x10u  /* --dry-run previews the plan */
#define CMD_JOURNAL  0x20u  /* works on the journal itself: no interrupted-plan check */
#define CMD_HIDDEN   0x40u  /* not listed by --help */
#define CMD_CONFIRM  0x200u /* destructive: asks "Proceed?" on a terminal (cli_confirm.c) */
#define CMD_NO_STORE 0x400u /* needs no store (help) */
#define CMD_SHOW_BARE 0x800u /* with CMD_MUTATES: without a change option it only shows,
			      * under the shared lock (cli_namespaces_changes) */

/* The exit status when the person answered no to "Proceed?" (or gave no
 * answer: end of input). */
#define CLI_EXIT_CANCELLED 5

/* The version of the --json format: the "version" key of every object.
 * It changes when a key is removed or renamed or a value changes meaning;
 * new keys do not change it. */
#define CLI_JSON_VERSION 1

#define CLI_MAX_ARGS 3
#define CLI_MAX_RESULTS 8

typedef struct cli_ctx cli_ctx;
typedef struct cli_cmd cli_cmd;

/* A workflow of model/workflow.h behind one signature. */
typedef int (*cli_planner)(const wf_world *w, const wf_options *o, tm_plan **out,
			   tm_error *e);

/* One row of the command table. */
struct cli_cmd {
	const char *name;          /* first command word */
	const char *sub;           /* second command word or NULL */
	int (*run)(cli_ctx *c);    /* returns the exit status */
	cli_planner plan;          /* for workflow commands, else NULL */
	size_t min_args, max_args; /* positional arguments after the words */
	const char *usage;         /* arguments and options; every "--x" in it is accepted */
	const char *help;          /* one line */
	unsigned flags;            /* CMD_* */
};

/* Everything one invocation carries. */
struct cli_ctx {
	const cli_cmd *cmd;
	const char *args[CLI_MAX_ARGS];
	size_t nargs;
	const char *opt[OPT_COUNT];    /* value ("" for a flag) or NULL when not given */
	char store_dir[PATH_MAX];      /* the store folder, or the configuration file */
	backend_choice choice;         /* which backend this run uses */
	tm_backend *be;
	tm_error e;
	char *password;                /* --password-file content, read once; wiped */
	int demo;                      /* generate every secret (trustmgr demo) */
	verify_result results[CLI_MAX_RESULTS];
	size_t nresults;
};

/* ---- cli.c ------------------------------------------------------------- */

/* The command's full name ("tdo add"). */
const char *cli_cmd_name(const cli_cmd *cmd, char *buf, size_t n);

/* Print "trustmgr: <msg>", the command's usage line and the "Try" hint on
 * stderr; returns TM_EUSAGE. */
int cli_usage_error(const cli_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* `trustmgr help [COMMAND]`. */
int cli_cmd_help(cli_ctx *c);

/* ---- cli_run.c ---------------------------------------------------------- */

/* Open the store, take the lock the command needs and check the journal.
 * Returns 0 or an exit status with the message already printed. */
int cli_session_open(cli_ctx *c);

/* Release the store (and its lock); wipe cached passwords. */
void cli_session_close(cli_ctx *c);

/* Print e on stderr ("STATUS: what", then the next step) and return its
 * class as an exit status (TM_EBACKEND when the class is unset). */
int cli_report(const cli_ctx *c, const tm_error *e);

/* The exit status of a command that returned rc with e: a usage error that
 * names an NTSTATUS (in e or in the last error printed) is a refusal (3), a
 * damaged store file (STATUS_INTERNAL_DB_CORRUPTION) is 4; else rc. */
int cli_exit_status(const tm_error *e, int rc);

/* The error to show in the JSON error object: the last one printed on
 * stderr (a usage error, one reported from a copy), else e. */
const tm_error *cli_last_error(const tm_error *e);

/* Remember e as the last error printed on stderr. */
void cli_note_error(const tm_error *e);

/* cli_report, and with --json the failure as the one JSON object on stdout
 * (p: the plan it concerns, or NULL). Returns the exit status. */
int cli_report_fail(cli_ctx *c, const tm_plan *p);

/* Load the world around local and partner, plan with fn and either preview
 * the plan (--dry-run) or execute it and print the outcome. */
int cli_run_workflow(cli_ctx *c, const char *local, const char *partner,
		     cli_planner fn, const wf_options *o);

/* The check exec_run makes first (the plan fitted to the domains): 0, or
 * the exit status with the refusal reported. */
int cli_gate(cli_ctx *c, tm_plan *p);

/* --dry-run: print p, after the check exec_run would make first (a step a
 * domain does not allow is refused here too). Returns the exit status. */
int cli_preview(cli_ctx *c, tm_plan *p);

/* Execute p (from step `from`, resume when resume is set) with the
 * command line's hooks; prints verify results and the outcome. */
int cli_execute(cli_ctx *c, tm_plan *p, size_t from, int resume);

/* The exec hooks of the command line (ctx is the cli_ctx). */
void cli_hooks(cli_ctx *c, exec_hooks *h);

/* Is a verify result the hooks collected (c->results) not ok? */
int cli_any_result_failed(const cli_ctx *c);

/* Format Unix seconds as "2024-05-01 12:00:00 UTC" (or "unknown"). */
const char *cli_time(long long t, char *buf, size_t n);

/* Format Unix seconds as ISO 8601 "2024-05-01T12:00:00Z" (or NULL for 0). */
const char *cli_time_iso(long long t, char *buf, size_t n);

/* s, or NULL (a JSON null) / "-" (a table cell) when s is empty. */
const char *cli_or_null(const char *s);
const char *cli_or_dash(const char *s);

/* How old `then` is, in words ("3 days old", "age unknown"). */
const char *cli_age(long long then, char *buf, size_t n);

/* ---- cli_secret.c ----------------------------------------------------- */

/* exec_hooks.ask_secret: --password-file, a generated secret for the demo,
 * or a no-echo prompt on a terminal (typed twice where a mistake would
 * matter). */
int cli_ask_secret(void *ctx, const tm_plan *p, int slot, char **value, tm_error *e);

/* Does slot of p get typed twice on a terminal? */
int cli_secret_confirmed(const tm_plan *p, int slot);

/* One line typed on standard input (a terminal; echo stays on), read as
 * passwords are: 0 (buf holds the line, cut to cap - 1 bytes), -1 on a
 * read error, -3 when Ctrl-C, SIGTERM or SIGHUP came while waiting. */
int cli_read_answer(char *buf, size_t cap);

/* ---- cli_confirm.c ---------------------------------------------------- */

/* Before a destructive command (CMD_CONFIRM) runs p: on a terminal, unless
 * --yes or --dry-run, the plan (after the executor's own check) and
 * "Proceed? [y/N]". 0 to go on, else the exit status (the cancellation or
 * refusal already printed). */
int cli_confirm_plan(cli_ctx *c, tm_plan *p);

/* The same for a command without a plan (rollback, discard): what is
 * about to happen in words, then "Proceed? [y/N]". */
int cli_confirm_text(cli_ctx *c, const char *what);

/* ---- cli_json.c ------------------------------------------------------- */

#define CLI_JSON_DEPTH 16

/* A JSON writer: one value per invocation, pretty-printed, keys in the
 * order written. */
typedef struct cli_json {
	FILE *f;
	int depth;
	int count[CLI_JSON_DEPTH];     /* members written at each depth */
	char closer[CLI_JSON_DEPTH];   /* '}' or ']' for each open depth */
} cli_json;

/* Start writing to f. */
void cli_json_init(cli_json *j, FILE *f);
/* Open an object ('{') or array ('['), as member key (NULL inside arrays). */
void cli_json_open(cli_json *j, const char *key, char bracket);
/* Close the innermost object or array; at depth 0 ends the line. */
void cli_json_close(cli_json *j);
/* A string member (NULL writes null). */
void cli_json_str(cli_json *j, const char *key, const char *v);
/* A number member. */
void cli_json_int(cli_json *j, const char *key, long long v);
/* Unix time t as an ISO 8601 string under key (null when t is unknown). */
void cli_json_time(cli_json *j, const char *key, long long t);
/* A true/false member. */
void cli_json_bool(cli_json *j, const char *key, int v);
/* A null member. */
void cli_json_null(cli_json *j, const char *key);
/* Write s as a JSON string literal (quotes included) to f. */
void cli_json_quote(FILE *f, const char *s);
/* The "error" member: {status, message, hint, exit} (the JSON OUTPUT
 * section of trustmgr(8)). */
void cli_json_error(cli_json *j, const tm_error *e, int exit_status);
/* --json: from now until cli_json_mode_end, stdout is the JSON writer's
 * alone; text printed there is collected. */
void cli_json_mode_begin(void);
/* End --json mode: when no object was written, write one for command
 * (ok, exit_status, the collected text as message, e as error). */
void cli_json_mode_end(const char *command, int status, const tm_error *e);

/* ---- cli_output.c ----------------------------------------------------- */

/* `domain list`. */
void cli_print_domains(const cli_ctx *c, const tm_domain *v, size_t n);
/* `list DOMAIN`: both lists of one domain. */
int cli_print_list(cli_ctx *c, const world *wl);
/* `show DOMAIN PARTNER`. */
int cli_print_show(cli_ctx *c, const world *wl, const tm_tdo *t);
/* The verify results collected by the hooks (text or JSON). */
void cli_print_verify(const cli_ctx *c, const tm_plan *p);
/* --dry-run: the plan, per domain, and the secrets it needs. */
void cli_print_plan(const cli_ctx *c, const tm_plan *p);
/* `journal`: the interrupted plan. */
void cli_print_journal(const cli_ctx *c, const tm_plan *p, const journal_info *info);
/* The plan as --dry-run prints it, on f, without its last line. */
void cli_print_plan_text(const cli_ctx *c, const tm_plan *p, FILE *f);
/* --json result of a command that changes something. */
void cli_print_result_json(const cli_ctx *c, const tm_plan *p, int status,
			   const tm_error *e);

/* ---- cli_cmds.c ------------------------------------------------------- */

/* The handlers of the command table (cli.c); each returns the exit status
 * and has printed its output or error. */
int cli_cmd_domain_add(cli_ctx *c);
int cli_cmd_domain_list(cli_ctx *c);
int cli_cmd_overview(cli_ctx *c);
int cli_cmd_list(cli_ctx *c);
int cli_cmd_show(cli_ctx *c);
int cli_cmd_workflow(cli_ctx *c);
int cli_cmd_verify(cli_ctx *c);
int cli_cmd_journal(cli_ctx *c);
int cli_cmd_state(cli_ctx *c);       /* cli_state.c */
int cli_cmd_resume(cli_ctx *c);
int cli_cmd_rollback(cli_ctx *c);
int cli_cmd_discard(cli_ctx *c);

/* Planner adapters for the workflows that take no options. */
int cli_plan_permit(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e);
int cli_plan_trust(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e);
int cli_plan_reset(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e);
int cli_plan_reset_one_side(const wf_world *w, const wf_options *o, tm_plan **out,
			    tm_error *e);
int cli_plan_verify(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e);
int cli_plan_tdo_delete(const wf_world *w, const wf_options *o, tm_plan **out,
			tm_error *e);

/* ---- cli_recover.c ---------------------------------------------------- */

/* `recover DOMAIN`: forest recovery, every trust reset on DOMAIN's side. */
int cli_cmd_recover(cli_ctx *c);
/* `recover-partners DOMAIN [PARTNER]`: the same password on the partners' side. */
int cli_cmd_recover_partners(cli_ctx *c);
/* `recreate DOMAIN PARTNER`: remove both ends and establish again (KB Q102650). */
int cli_cmd_recreate(cli_ctx *c);

/* ---- cli_health.c ----------------------------------------------------- */

/* `health [DOMAIN]`: every trust classified; exit 0 all well, 1 not, 4 backend. */
int cli_cmd_health(cli_ctx *c);
/* `repair DOMAIN PARTNER`: run the fix of the trust's first finding, then verify. */
int cli_cmd_repair(cli_ctx *c);
/* workflow_rotate behind the cli_planner signature (`rotate DOMAIN PARTNER`). */
int cli_plan_rotate(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e);
/* The rotation policy in days: --rotation-days N, else rotation_days of
 * trustmgr.conf, else 30. Returns 0 or an exit status (a usage error
 * printed, else the error in c->e). */
int cli_rotation_days(cli_ctx *c, int *days);
/* Gather (diagnose_gather at testhooks_now()) and classify the trusts of
 * `only` (NULL: every trust; with partner: that one trust) into *v, *n
 * (malloc'd; s freed by the caller with diagnose_free). Returns 0 or an
 * exit status (the error in c->e). */
int cli_diagnose(cli_ctx *c, const char *only, const char *partner, int days,
		 diag_snapshot *s, health_finding **v, size_t *n);
/* The plan of f's fix against a fresh snapshot (health_fix_plan). Returns
 * 0 or an exit status (the error in c->e). */
int cli_plan_fix(cli_ctx *c, const health_finding *f, tm_plan **p);
/* Run p through the executor with the command line's hooks (journal,
 * audit, verify results in c->results); no output. Returns the exit
 * status (the message in c->e). */
int cli_run_plan(cli_ctx *c, tm_plan *p);

/* ---- cli_rotate.c ----------------------------------------------------- */

/* `rotate DOMAIN PARTNER`, or `rotate --due [DOMAIN]`: every trust whose
 * secret is older than the policy; exit 0 every managed one rotated, 1 one
 * could not be, 4 no diagnosis. */
int cli_cmd_rotate(cli_ctx *c);

/* ---- cli_namespace.c -------------------------------------------------- */

/* `namespaces DOMAIN PARTNER`: a forest trust's records, and changing them;
 * `namespaces DOMAIN`: the forest's own names (cli_namespaces_forest). */
int cli_cmd_namespaces(cli_ctx *c);
int cli_namespaces_forest(cli_ctx *c);
/* Does this `namespaces` command ask for a change (any change option but
 * --refresh check)? Without one it only shows: the shared lock is enough. */
int cli_namespaces_changes(const cli_ctx *c);

/* ---- cli_demo.c ------------------------------------------------------- */

/* `trustmgr demo`. */
int cli_cmd_demo(cli_ctx *c);

#endif
