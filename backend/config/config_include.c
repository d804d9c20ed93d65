/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* config_include.c - the files a trustmgr.conf includes, checked before the
 * profile library reads them: it opens `include FILE` and the files of
 * `includedir DIR` with a blocking open(), so a FIFO named there made every
 * command wait for ever. Each such file must be a regular file (a final
 * symbolic link is followed, as the library does); the check opens it
 * without waiting. */
#include "backend/config/config_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/os/safefile.h"

#define INC_DEPTH 8   /* the library follows includes no deeper either */

static int inc_file(const cfg_ctx *c, const char *path, int depth);

/* An odd file named by an include: said, with what to do. */
static int inc_odd(const cfg_ctx *c, const char *path, mode_t m)
{
	config_fail(c, NULL, "includes %s, which is %s, not a regular file.", path,
		    safefile_type_name(m));
	return config_hint(c, "Name a regular file there, or remove the include line.");
}

/* The file names of an includedir that the profile library reads: letters,
 * digits, '-' and '_' only, or ending in ".conf". */
static int inc_dir_name(const char *n)
{
	size_t len = strlen(n), i;

	if (len > 5 && strcmp(n + len - 5, ".conf") == 0)
		return 1;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)n[i]) && n[i] != '-' && n[i] != '_')
			return 0;
	return len > 0;
}

static int inc_dir(const cfg_ctx *c, const char *dir, int depth)
{
	char path[4096];
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d)
		return 0;              /* the library says what is wrong with it */
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (!inc_dir_name(de->d_name) ||
		    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path))
			continue;
		rc = inc_file(c, path, depth);
	}
	closedir(d);
	return rc;
}

/* The argument of a directive on line l ("include" or "includedir" then
 * blanks), trailing blanks cut; NULL when l is not that directive. */
static char *inc_arg(char *l, const char *directive)
{
	size_t n = strlen(directive), len;

	while (*l == ' ' || *l == '\t')
		l++;
	if (strncmp(l, directive, n) != 0 || (l[n] != ' ' && l[n] != '\t'))
		return NULL;
	l += n;
	while (*l == ' ' || *l == '\t')
		l++;
	len = strlen(l);
	while (len && isspace((unsigned char)l[len - 1]))
		l[--len] = '\0';
	return len ? l : NULL;
}

/* Every include line of the open file fp. */
static int inc_lines(const cfg_ctx *c, FILE *fp, int depth)
{
	char *l = NULL, *arg;
	size_t cap = 0;
	int rc = 0;

	while (rc == 0 && getline(&l, &cap, fp) >= 0) {
		if ((arg = inc_arg(l, "includedir")) != NULL)
			rc = inc_dir(c, arg, depth + 1);
		else if ((arg = inc_arg(l, "include")) != NULL)
			rc = inc_file(c, arg, depth + 1);
	}
	free(l);
	return rc;
}

/* path must be a regular file; its own includes are checked too. */
static int inc_file(const cfg_ctx *c, const char *path, int depth)
{
	struct stat st;
	FILE *fp;
	int fd, rc;

	if (depth > INC_DEPTH)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return 0;              /* missing or unreadable: the library says so */
	if (fstat(fd, &st) != 0) {
		close(fd);
		return 0;              /* cannot be examined: the library says what it finds */
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return inc_odd(c, path, st.st_mode);
	}
	fp = fdopen(fd, "r");
	if (!fp) {
		close(fd);
		return 0;
	}
	rc = inc_lines(c, fp, depth);
	fclose(fp);
	return rc;
}

/* config_check_includes: see config_internal.h. */
int config_check_includes(const cfg_ctx *c, const char *path)
{
	return inc_file(c, path, 0);
}
