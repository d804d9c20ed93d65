/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* fuzz_util.c - helpers for the fuzz targets (see fuzz.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz/fuzz.h"

char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return NULL;
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#define FUZZ_SCRATCH_MAX 4

static struct {
	char tag[32];
	char path[64];
} scratch[FUZZ_SCRATCH_MAX];

static void scratch_remove(void)
{
	int i;

	for (i = 0; i < FUZZ_SCRATCH_MAX; i++)
		if (scratch[i].path[0])
			unlink(scratch[i].path);
}

static const char *scratch_path(const char *tag)
{
	static int registered;
	int i, fd;

	for (i = 0; i < FUZZ_SCRATCH_MAX && scratch[i].path[0]; i++)
		if (strcmp(scratch[i].tag, tag) == 0)
			return scratch[i].path;
	if (i == FUZZ_SCRATCH_MAX)
		return NULL;
	snprintf(scratch[i].path, sizeof(scratch[i].path), "/tmp/tm-fuzz-%.16s-XXXXXX", tag);
	fd = mkstemp(scratch[i].path);
	if (fd < 0) {
		scratch[i].path[0] = '\0';
		return NULL;
	}
	close(fd);
	snprintf(scratch[i].tag, sizeof(scratch[i].tag), "%s", tag);
	if (!registered) {
		registered = 1;
		atexit(scratch_remove);
	}
	return scratch[i].path;
}

const char *fuzz_scratch_file(const char *tag, const uint8_t *data, size_t size)
{
	const char *path = scratch_path(tag);
	FILE *f;

	if (!path || !(f = fopen(path, "w")))
		return NULL;
	if (size && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return NULL;
	}
	if (fclose(f) != 0)
		return NULL;
	return path;
}
