/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ldapdir_watch.h - the handshake watchdog of a directory connection
 * (ldapdir.c).
 *
 * libldap 2.5 (GnuTLS) connects within the network timeout, but then runs
 * the TLS handshake (ldaps, and StartTLS once the server said yes) in a
 * loop that neither waits nor times out: a server that accepts and never
 * answers keeps it spinning for ever. While ldapdir_open connects, a
 * watchdog thread shuts down the socket of an attempt older than the
 * timeout; libldap then sees the connection closed, reports it and goes on
 * to the next URI.
 */
#ifndef TM_LDAPDIR_WATCH_H
#define TM_LDAPDIR_WATCH_H

#include <pthread.h>
#include <time.h>

/* Cuts off a connection attempt that outlives the timeout. */
typedef struct ldapdir_watch {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int running, stop;
	int fd;                       /* socket of the current attempt, or -1 */
	struct timespec deadline;     /* CLOCK_MONOTONIC */
	int fired;                    /* attempts cut off */
} ldapdir_watch;

/* Start the watchdog's thread, watching nothing yet. Returns 0, or -1 when
 * no thread could be started: w then watches nothing, and arming it and
 * stopping it do nothing. */
int ldapdir_watch_start(ldapdir_watch *w);

/* Watch socket fd (or nothing: -1) until `seconds` from now; its socket is
 * shut down when the time passes first. */
void ldapdir_watch_arm(ldapdir_watch *w, int fd, int seconds);

/* How many attempts the watchdog cut off so far. */
int ldapdir_watch_fired(ldapdir_watch *w);

/* Stop and join the thread; w keeps its count of attempts cut off. */
void ldapdir_watch_stop(ldapdir_watch *w);

#endif
