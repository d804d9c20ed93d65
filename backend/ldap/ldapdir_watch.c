/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ldapdir_watch.c - the handshake watchdog (see ldapdir_watch.h): one
 * thread that waits on a condition variable with a CLOCK_MONOTONIC
 * deadline and shuts down the watched socket when the deadline passes. */
#include "backend/ldap/ldapdir_watch.h"

#include <string.h>
#include <sys/socket.h>

static struct timespec mono_after(int seconds)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += seconds;
	return t;
}

static int mono_passed(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

/* Wait for the deadline of the current attempt; cut it off when reached. */
static void *watch_run(void *arg)
{
	ldapdir_watch *w = arg;

	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		if (w->fd < 0) {
			pthread_cond_wait(&w->cv, &w->mu);
			continue;
		}
		pthread_cond_timedwait(&w->cv, &w->mu, &w->deadline);
		if (!w->stop && w->fd >= 0 && mono_passed(&w->deadline)) {
			shutdown(w->fd, SHUT_RDWR);
			w->fd = -1;
			w->fired++;
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* ldapdir_watch_start: a monotonic condition variable, then the thread. */
int ldapdir_watch_start(ldapdir_watch *w)
{
	pthread_condattr_t ca;

	memset(w, 0, sizeof(*w));
	w->fd = -1;
	if (pthread_condattr_init(&ca) != 0)
		return -1;
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (pthread_mutex_init(&w->mu, NULL) != 0 || pthread_cond_init(&w->cv, &ca) != 0) {
		pthread_condattr_destroy(&ca);
		return -1;
	}
	pthread_condattr_destroy(&ca);
	if (pthread_create(&w->thread, NULL, watch_run, w) != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		return -1;
	}
	w->running = 1;
	return 0;
}

/* ldapdir_watch_arm: a new deadline, and the thread woken to wait for it. */
void ldapdir_watch_arm(ldapdir_watch *w, int fd, int seconds)
{
	if (!w->running)
		return;
	pthread_mutex_lock(&w->mu);
	w->fd = fd;
	w->deadline = mono_after(seconds);
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* ldapdir_watch_fired: read under the lock while the thread runs. */
int ldapdir_watch_fired(ldapdir_watch *w)
{
	int n;

	if (!w->running)
		return w->fired;
	pthread_mutex_lock(&w->mu);
	n = w->fired;
	pthread_mutex_unlock(&w->mu);
	return n;
}

/* ldapdir_watch_stop: tell the thread, join it, free its lock. */
void ldapdir_watch_stop(ldapdir_watch *w)
{
	if (!w->running)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	w->running = 0;
}
