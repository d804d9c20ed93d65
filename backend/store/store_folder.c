/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_folder.c - the folders of the embedded store (store_internal.h):
 * what a domain's folder is (a domain, no domain, or damaged: never left
 * out of a listing without a word), and the sweep of the temporary files
 * that processes which died left in the store's folders. */
#include "backend/store/store_internal.h"
#include "backend/store/store_fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/os/fsmode.h"
#include "backend/os/safefile.h"

/* What a file in a domain's folder is called in messages. */
static const char *kind_of(mode_t m)
{
	if (S_ISREG(m))
		return "a regular file";
	if (S_ISFIFO(m))
		return "a FIFO (named pipe)";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return "not a folder";
}

/* A folder with no domain.ldif: empty (or holding only temporary files of
 * an interrupted write) is no domain; anything else is a damaged domain. */
static int dom_leftovers(const char *dir, const char *key, tm_error *e)
{
	struct dirent *de;
	long pid;
	DIR *d = opendir(dir);
	int rc = STORE_DOM_NONE;

	if (!d)
		return safefile_error(dir, errno, "the domain folder", e);
	while (rc == STORE_DOM_NONE && (de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    store_fs_temp_pid(de->d_name, &pid))
			continue;
		error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
			   "the domain %s is damaged: its folder %s holds %s but no domain.ldif (the "
			   "domain file was deleted or lost)", key, dir, de->d_name);
		error_hint(e, "Restore %s/domain.ldif from a backup, or move the folder %s away "
			   "(keep it until you are sure it is not needed) and add the domain again with "
			   "`trustmgr domain add`.", dir, dir);
		rc = -1;
	}
	closedir(d);
	return rc;
}

/* store_folder_state: domain.ldif, then the folder, then what it holds. */
int store_folder_state(const store *s, const char *key, tm_error *e)
{
	char dir[PATH_MAX], ldif[PATH_MAX];
	struct stat st;

	if (store_domain_file(s, key, NULL, dir, sizeof(dir), e) != 0 ||
	    store_domain_file(s, key, "domain.ldif", ldif, sizeof(ldif), e) != 0)
		return -1;
	if (lstat(ldif, &st) == 0)
		return STORE_DOM_OK;              /* an odd file type is refused when it is opened */
	if (errno != ENOENT && errno != ENOTDIR)
		return safefile_error(ldif, errno, "the domain file", e);
	if (lstat(dir, &st) != 0) {
		if (errno == ENOENT)
			return STORE_DOM_NONE;
		return safefile_error(dir, errno, "the domain folder", e);
	}
	if (!S_ISDIR(st.st_mode)) {
		error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
			   "the domain %s is damaged: %s should be its folder, but it is %s", key, dir,
			   kind_of(st.st_mode));
		error_hint(e, "Move %s away; restore the domain's folder from a backup, or add the "
			   "domain again with `trustmgr domain add`.", dir);
		return -1;
	}
	return dom_leftovers(dir, key, e);
}

/* Remove the regular files of the journal's folder sub (its images). */
static void sweep_images_in(const store *s, const char *sub)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	int removed = 0;
	DIR *d;

	if (store_fs_path(s, path, sizeof(path), NULL, "journal/%s", sub) != 0 ||
	    !(d = opendir(path)))
		return;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' &&
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && unlinkat(dirfd(d), de->d_name, 0) == 0)
			removed = 1;
	closedir(d);
	if (removed && store_fs_path(s, path, sizeof(path), NULL, "journal/%s/.", sub) == 0) {
		tm_error ignore;

		store_fs_sync_dir(path, &ignore);
	}
}

/* Before-images with no journal naming them: a plan that died while it
 * took them, before its journal was written (store_journal_begin writes
 * the images first, the journal last, and removes the journal first, the
 * images last, all under the exclusive lock). They hold trust secrets and
 * nothing can use them: removed. Any lock excludes a writer, so none is
 * being taken now. The real-domain backend keeps the before-images of its
 * domains in journal/directory of its state store and writes them before
 * that store's journal too (directory_journal.c): swept the same way. */
static void sweep_orphan_images(const store *s)
{
	char path[PATH_MAX];
	struct stat st;

	if (store_fs_path(s, path, sizeof(path), NULL, "journal/current") != 0 ||
	    lstat(path, &st) == 0 || errno != ENOENT)
		return;
	sweep_images_in(s, "before");
	sweep_images_in(s, "directory");
}

/* store_folder_sweep: the store, the journal's folders, every domain's;
 * before-images no journal names. */
void store_folder_sweep(const store *s)
{
	static const char *const dirs[] = { "journal", "journal/before", "journal/directory",
					    "domains" };
	char path[PATH_MAX];
	struct dirent *de;
	size_t i;
	DIR *d;

	store_fs_sweep(s->dir);
	sweep_orphan_images(s);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (store_fs_path(s, path, sizeof(path), NULL, "%s", dirs[i]) == 0)
			store_fs_sweep(path);
	if (store_fs_path(s, path, sizeof(path), NULL, "domains") != 0 || !(d = opendir(path)))
		return;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' &&
		    store_fs_path(s, path, sizeof(path), NULL, "domains/%s", de->d_name) == 0)
			store_fs_sweep(path);
	closedir(d);
}


/* store_folder_remove: the files of the folder, then the folder. */
int store_folder_remove(const store *s, const char *key, tm_error *e)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (store_domain_file(s, key, NULL, dir, sizeof(dir), e) != 0)
		return -1;
	if (!(d = opendir(dir)))
		return errno == ENOENT ? 0 : safefile_error(dir, errno, "the domain folder", e);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		rc = store_fs_remove(path, e);
	}
	closedir(d);
	if (rc == 0 && rmdir(dir) != 0 && errno != ENOENT)
		rc = safefile_error(dir, errno, "the domain folder", e);
	return rc == 0 ? store_fs_sync_dir(dir, e) : -1;      /* the domains/ folder */
}

/* store_folder_state_show: the embedded store is its own state: its
 * folder, shared or not, its domains; nothing there is stale. */
int store_folder_state_show(const store *s, size_t ndomains, tm_state_info *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->dir, sizeof(out->dir), "%s", s->dir);
	out->shared = fsmode_is_shared_dir(s->dir);
	out->ndomains = ndomains;
	return 0;
}
