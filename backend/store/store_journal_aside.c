/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_journal_aside.c - `trustmgr discard --force`: the journal of the
 * embedded store (store_journal.c), its before-images, and the real-domain
 * journal's images (backend/directory/directory_journal.c, which keeps
 * them below the same folder) moved, unread, into a new private folder
 * STORE/journal.discarded.<UTC time>/, so that a damaged journal is never
 * a dead end and nothing is lost. The whole journal folder is renamed in
 * one step, so a discard killed at any moment leaves the journal and its
 * images together: still in place, or all in the new folder. */
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

/* The parts of the journal folder: what is looked for, and what is moved
 * one by one when the folder cannot be renamed as a whole (a mount point). */
static const char *const j_parts[] = { "current", "before", "directory" };

/* The name STORE/journal.discarded.<UTC time>[.N] number k (1 first). */
static int j_aside_name(const store *s, int k, char *where, size_t n, tm_error *e)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm))
		snprintf(stamp, sizeof(stamp), "%lld", (long long)now);
	return k == 1 ? store_fs_path(s, where, n, e, J_ASIDE "%s", stamp)
		      : store_fs_path(s, where, n, e, J_ASIDE "%s.%d", stamp, k);
}

/* A new private folder STORE/journal.discarded.<UTC time>[.N] into where. */
static int j_aside_dir(const store *s, char *where, size_t n, tm_error *e)
{
	int k;

	for (k = 1; k < 1000; k++) {
		if (j_aside_name(s, k, where, n, e) != 0)
			return -1;
		if (mkdir(where, fsmode_dir()) == 0)
			return 0;
		if (errno != EEXIST)
			return error_fail(e, TM_EBACKEND, NULL, "could not create the folder %s: %s",
					  where, strerror(errno));
	}
	return error_fail(e, TM_EBACKEND, NULL, "could not name a new folder %s", where);
}

/* The journal folder renamed as a whole to a new journal.discarded name
 * (one step: a kill leaves it in place or moved, never split), then an
 * empty journal folder made again (a store missing it makes it at the next
 * start too). 1 moved, 0 it cannot be renamed as a whole (errno EXDEV or
 * EBUSY: a mount point), -1 with e. */
static int j_move_folder(const store *s, char *where, size_t n, tm_error *e)
{
	char from[PATH_MAX];
	struct stat st;
	int k;

	if (store_fs_path(s, from, sizeof(from), e, "journal") != 0)
		return -1;
	for (k = 1; k < 1000; k++) {
		if (j_aside_name(s, k, where, n, e) != 0)
			return -1;
		if (lstat(where, &st) == 0)
			continue;
		if (rename(from, where) == 0)
			break;
		if (errno == EXDEV || errno == EBUSY)
			return 0;
		if (errno != EEXIST && errno != ENOTEMPTY)
			return error_fail(e, TM_EBACKEND, NULL, "could not move %s to %s: %s", from,
					  where, strerror(errno));
	}
	if (k == 1000)
		return error_fail(e, TM_EBACKEND, NULL, "could not name a new folder %s", where);
	(void)chmod(where, fsmode_dir());     /* it holds secrets: private, whatever it was */
	/* Made again now, or else by the next command that opens the store
	 * (a full disk): either way the discard is done. */
	(void)mkdir(from, fsmode_dir());
	return 1;
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

/* The parts one by one into a new folder, the journal first (so the store
 * is usable as soon as it is gone): only where the journal folder is a
 * mount point. */
static int j_move_parts(const store *s, char *where, size_t n, tm_error *e)
{
	size_t i;
	int rc = 0;

	if (j_aside_dir(s, where, n, e) != 0)
		return -1;
	for (i = 0; rc >= 0 && i < sizeof(j_parts) / sizeof(j_parts[0]); i++)
		rc = j_move_part(s, j_parts[i], where, e);
	return rc < 0 ? -1 : 0;
}

/* store_journal_set_aside: the journal and its images into a new folder;
 * whatever they hold, nothing is read. */
int store_journal_set_aside(store *s, char *where, size_t n, tm_error *e)
{
	char probe[PATH_MAX + 4];
	tm_error later;
	int rc;

	where[0] = '\0';
	if (!j_anything(s))
		return 0;
	rc = j_move_folder(s, where, n, e);
	if (rc < 0 || (rc == 0 && j_move_parts(s, where, n, e) != 0))
		return -1;
	s->journal_open = 0;
	/* Moved: the discard is done. A folder that cannot be flushed now (a
	 * full disk) would make it fail after the fact; a system crash could
	 * then bring the journal back, and a second discard moves it again. */
	error_clear(&later);
	snprintf(probe, sizeof(probe), "%s/.", where);
	store_fs_sync_dir(probe, &later);
	if (store_fs_path(s, probe, sizeof(probe), &later, ".") == 0)
		store_fs_sync_dir(probe, &later);
	if (store_fs_path(s, probe, sizeof(probe), &later, "journal/.") == 0)
		store_fs_sync_dir(probe, &later);
	return 0;
}
