/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_journal_aside.c - `trustmgr discard --force`: the journal of the
 * embedded store (store_journal.c), its before-images, and the real-domain
 * journal's images (backend/directory/directory_journal.c, which keeps
 * them below the same folder) moved, unread, into a new private folder
 * STORE/journal.discarded.<UTC time>/, so that a damaged journal is never
 * a dead end and nothing is lost. */
#include "backend/store/store_internal.h"
#include "backend/store/store_fs.h"
#include "backend/os/fsmode.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define J_ASIDE "journal.discarded."

/* The parts of the journal folder that are moved, in that order: the
 * journal first, so the store is usable as soon as it is gone. */
static const char *const j_parts[] = { "current", "before", "directory" };

/* A new private folder STORE/journal.discarded.<UTC time>[.N] into where. */
static int j_aside_dir(const store *s, char *where, size_t n, tm_error *e)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int k;

	if (!gmtime_r(&now, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm))
		snprintf(stamp, sizeof(stamp), "%lld", (long long)now);
	for (k = 1; k < 1000; k++) {
		if (k == 1 ? store_fs_path(s, where, n, e, J_ASIDE "%s", stamp) != 0
			   : store_fs_path(s, where, n, e, J_ASIDE "%s.%d", stamp, k) != 0)
			return -1;
		if (mkdir(where, fsmode_dir()) == 0)
			return 0;
		if (errno != EEXIST)
			return error_fail(e, TM_EBACKEND, NULL, "could not create the folder %s: %s",
					  where, strerror(errno));
	}
	return error_fail(e, TM_EBACKEND, NULL, "could not name a new folder %s", where);
}

/* Move STORE/journal/<part> into where (a missing part is fine). 1 moved,
 * 0 nothing there, -1 with e. */
static int j_move_part(const store *s, const char *part, const char *where, tm_error *e)
{
	char from[PATH_MAX], to[PATH_MAX + 64];

	if (store_fs_path(s, from, sizeof(from), e, "journal/%s", part) != 0)
		return -1;
	snprintf(to, sizeof(to), "%s/%s", where, part);
	if (rename(from, to) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	return error_fail(e, TM_EBACKEND, NULL, "could not move %s to %s: %s", from, to,
			  strerror(errno));
}

/* Does the folder path hold anything (or is it something else than a
 * folder)? A missing one holds nothing. */
static int j_holds(const char *path)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int any = 0;

	if (lstat(path, &st) != 0)
		return 0;
	if (!S_ISDIR(st.st_mode) || !(d = opendir(path)))
		return 1;
	while (!any && (de = readdir(d)) != NULL)
		any = strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return any;
}

/* Is there anything to set aside: the journal, or an image? */
static int j_anything(const store *s)
{
	char path[PATH_MAX];
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(j_parts) / sizeof(j_parts[0]); i++) {
		if (store_fs_path(s, path, sizeof(path), NULL, "journal/%s", j_parts[i]) != 0)
			continue;
		if (i == 0 ? lstat(path, &st) == 0 : j_holds(path))
			return 1;
	}
	return 0;
}

/* store_journal_set_aside: the journal, then its images, into a new
 * folder; whatever they hold, nothing is read. */
int store_journal_set_aside(store *s, char *where, size_t n, tm_error *e)
{
	char probe[PATH_MAX + 4];
	size_t i;
	int rc = 0;

	where[0] = '\0';
	if (!j_anything(s))
		return 0;
	if (j_aside_dir(s, where, n, e) != 0)
		return -1;
	for (i = 0; rc >= 0 && i < sizeof(j_parts) / sizeof(j_parts[0]); i++)
		rc = j_move_part(s, j_parts[i], where, e);
	if (rc < 0)
		return -1;
	s->journal_open = 0;
	snprintf(probe, sizeof(probe), "%s/.", where);
	if (store_fs_sync_dir(probe, e) != 0 ||
	    store_fs_path(s, probe, sizeof(probe), e, "journal/.") != 0)
		return -1;
	return store_fs_sync_dir(probe, e);
}
