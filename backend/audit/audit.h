/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* audit.h - the audit trail: one line per event of every change.
 *
 * A record is one line of key=value fields, oldest first, appended to a file
 * (O_APPEND, mode 0600 when created, fsync'd per record) and/or sent to
 * syslog as a datagram to a unix socket (default /dev/log):
 *
 *   2026-11-22T10:00:00Z event=start result=started op=create domain=CORP
 *     partner=PARTNER steps=9 domains=CORP,PARTNER operator=alice uid=1000
 *     sudo_user=bob ssh_client=192.0.2.7 host=admin1 pid=4242 backend=embedded
 *
 * (on one line). The first field is the UTC time (ISO 8601); then, in this
 * order and only when known: event, result, op, domain, partner,
 * principal (the Kerberos principal a key step changes), step ("i/n"),
 * action (the step's kind: tdo-put, key-set, prove, verify...),
 * steps, done, domains, status (the NTSTATUS name of a failure), operator,
 * uid, sudo_user, ssh_client, host, pid, backend, msg. A value made only of
 * letters, digits and . _ : / @ + , - is written bare; any other value
 * (also an empty one) is quoted "..." with \" and \\ escaped and every
 * byte below 0x20, 0x7f and above as \xHH, so a record is always one line
 * of printable ASCII. No record holds a secret: a value that contains one
 * of the secrets the event names has it replaced by [secret withheld].
 *
 *   event   start (a new plan, written before its first step), resume (an
 *           interrupted plan taken up again), rollback (an interrupted plan
 *           undone), step (one step ran; domain/partner are the step's),
 *           end (the plan, resume or rollback is over)
 *   result  started, ok, failed, interrupted (stopped after it changed
 *           something; the journal keeps it for resume or rollback),
 *           stopped (Ctrl-C or a hang-up stopped it before it changed
 *           anything), resumed (a resume finished the plan), rolled-back
 *
 * A process killed part-way leaves a start record without an end record.
 *
 * The file is opened without blocking and must be a regular file (a FIFO,
 * socket, device or folder there is refused at once: backend/os/safefile.h).
 * Each record reaches it whole or not at all: one write of the whole line;
 * when the disk is full or a file size limit is reached (SIGXFSZ ignored
 * meanwhile) the part written is taken away again (ftruncate), so the file
 * always ends with a whole record. A record after a line that was cut some
 * other way starts on a new line.
 */
#ifndef TM_AUDIT_H
#define TM_AUDIT_H

#include <limits.h>
#include <stddef.h>

#include "model/error.h"

#define AUDIT_RECORD_MAX 4096
#define AUDIT_MSG_MAX 1024           /* longest message kept, bytes */
#define AUDIT_MAX_SECRETS 8

/* Where records go. Empty file: no file; syslog 0: no syslog. */
typedef struct audit_target {
	char file[PATH_MAX];
	int syslog;
	int facility;                /* syslog facility number (authpriv: 10) */
	char socket[PATH_MAX];       /* the syslog socket, default /dev/log */
	int timeout;                 /* seconds for a send to the socket */
	char backend[16];            /* "embedded" or "ldap+krb5" */
	/* Kept by audit_plan.c while a plan runs: records that could not be
	 * written and were not yet told to the operator, and why; and whether
	 * a failure to write was already told (it is told once). */
	int unwritten;
	char unwritten_why[512];
	int told;
} audit_target;

/* Who runs trustmgr, from where. */
typedef struct audit_operator {
	char login[64];              /* getpwuid(getuid()), else "uid-N" */
	long uid;
	char sudo_user[64];          /* $SUDO_USER, or empty */
	char ssh_client[64];         /* first word of $SSH_CONNECTION, or empty */
	char host[128];
	long pid;
} audit_operator;

/* One event. Strings may be NULL or empty (the field is left out); step and
 * steps are left out when 0, done when negative. */
typedef struct audit_event {
	long long when;              /* Unix seconds */
	const char *event;
	const char *result;
	const char *op;
	const char *domain;
	const char *partner;
	const char *principal;
	size_t step, steps;          /* step i of steps (1-based) */
	const char *action;
	long done;
	const char *domains;
	const char *status;
	const char *msg;
	const char *secrets[AUDIT_MAX_SECRETS];   /* withheld wherever they appear */
} audit_event;

/* Fill o from the process (getuid, the password database, SUDO_USER,
 * SSH_CONNECTION, gethostname, getpid). */
void audit_operator_get(audit_operator *o);

/* Format one record (no newline) into buf of n bytes; a record that would
 * not fit has its msg shortened. Returns the length. */
size_t audit_format(const audit_event *ev, const audit_operator *o, const char *backend,
		    char *buf, size_t n);

/* Append value to buf (bare or quoted, as above) at *len. */
void audit_put_value(char *buf, size_t n, size_t *len, const char *value,
		     const char *const *secrets);

/* A facility name (auth, authpriv, user, daemon, local0..local7) as its
 * number; -1 when unknown. */
int audit_facility_code(const char *name);

/* Check that every destination of t can be written (creates the file).
 * Returns 0 or -1 with e: what failed, why, what to do (the caller adds
 * what that means for the change it was about to make). */
int audit_sink_check(const audit_target *t, tm_error *e);

/* Write ev to every destination of t. Returns 0 or -1 with e. */
int audit_sink_write(const audit_target *t, const audit_event *ev, tm_error *e);

/* Write ev[0..n) the same way, the file's records in one durable write
 * (steps that ran side by side are recorded together). 0 or -1 with e. */
int audit_sink_write_many(const audit_target *t, const audit_event *ev, size_t n, tm_error *e);

#endif
