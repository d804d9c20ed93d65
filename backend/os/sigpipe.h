/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* sigpipe.h - hold SIGPIPE off while a library writes to a server.
 *
 * libldap, its TLS library, kadm5's RPC layer and libkrb5 write to sockets
 * without MSG_NOSIGNAL: a server that went away mid-session would end the
 * program with SIGPIPE instead of an error that failover and the timeouts
 * handle. Every public function that talks to a server holds SIGPIPE
 * blocked while it runs and discards one its own writes raised (a signal
 * that was already pending is left alone). The mask is the calling
 * thread's. */
#ifndef TM_SIGPIPE_H
#define TM_SIGPIPE_H

#include <signal.h>

typedef struct sigpipe_guard {
	sigset_t old;
	int was_pending;
} sigpipe_guard;

/* Block SIGPIPE, remembering whether one was already pending. */
void sigpipe_hold(sigpipe_guard *g);

/* Discard a SIGPIPE raised since sigpipe_hold; restore the mask. */
void sigpipe_release(const sigpipe_guard *g);

#endif
