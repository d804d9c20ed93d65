/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_stamp.c - the stamp of the embedded store (the stamp op of ops.h):
 * a number that moves whenever a domain of the store changes, found with
 * stat alone: the folder STORE/domains, every domain's folder and every
 * file in one (inode and modification time; for a file also its size, mode
 * and change time). No file
 * is read and no lock taken, so a console can ask every few seconds
 * without getting in the way of a command that changes the store. Every
 * write of the store replaces a file by rename (store_fs.h), which gives
 * the file a new inode and touches its folder, so a change made by any
 * process moves the stamp. */
#include "backend/store/store_internal.h"
#include "backend/store/store_fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STAMP_FNV_OFFSET 0xcbf29ce484222325ULL
#define STAMP_FNV_PRIME 0x100000001b3ULL

/* FNV-1a of n bytes, continuing from h. */
static uint64_t stamp_mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= STAMP_FNV_PRIME;
	}
	return h;
}

/* One entry: its name and what stat says of it. A folder counts by its
 * inode and modification time only: every open of the store makes its
 * folders private again (chmod), which moves their change time without
 * changing anything in them. */
static uint64_t stamp_entry(const char *name, const struct stat *st)
{
	int dir = S_ISDIR(st->st_mode);
	long long v[7] = {
		(long long)st->st_ino, (long long)st->st_mtim.tv_sec, (long long)st->st_mtim.tv_nsec,
		dir ? 0 : (long long)st->st_size, dir ? 0 : (long long)st->st_mode,
		dir ? 0 : (long long)st->st_ctim.tv_sec, dir ? 0 : (long long)st->st_ctim.tv_nsec,
	};

	return stamp_mix(stamp_mix(STAMP_FNV_OFFSET, name, strlen(name) + 1), v, sizeof(v));
}

static int stamp_skip(const char *name)
{
	long pid;

	return !strcmp(name, ".") || !strcmp(name, "..") || store_fs_temp_pid(name, &pid);
}

/* The sum of the entries of the folder open as fd (closed here), each
 * domain folder with its own files when depth allows: a sum, so the order
 * readdir gives does not matter. A folder that vanishes meanwhile counts
 * as empty (the folder above it has changed anyway). */
static uint64_t stamp_folder(int fd, int depth)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	uint64_t sum = 0;

	if (!d) {
		close(fd);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		int sub;

		if (stamp_skip(de->d_name) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		sum += stamp_entry(de->d_name, &st);
		if (depth > 0 && S_ISDIR(st.st_mode) &&
		    (sub = openat(dirfd(d), de->d_name,
				  O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0)
			sum += stamp_mix(STAMP_FNV_OFFSET, de->d_name, strlen(de->d_name)) ^
			       stamp_folder(sub, depth - 1);
	}
	closedir(d);
	return sum;
}

/* store_stamp: STORE/domains, its folders and their files. */
int store_stamp(const store *s, uint64_t *out, tm_error *e)
{
	char path[PATH_MAX];
	struct stat st;
	int fd;

	*out = 0;
	if (store_fs_path(s, path, sizeof(path), e, "domains") != 0)
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		error_fail(e, TM_EBACKEND, NULL, "cannot look at the store's folder %s: %s", path,
			   strerror(errno));
		error_hint(e, "check that the folder exists and that you may read it");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*out = stamp_entry("domains", &st) + stamp_folder(fd, 1);
	return 0;
}
