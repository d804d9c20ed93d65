/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* fuzz_script.c - the console's keystroke script parser (ui/console/script.c).
 * con_script_load reads a whole script from a file, so the input is written
 * to one scratch file in /tmp (made once per process); it never crashes, a
 * refusal is a message naming the line, and an accepted script's items can
 * all be walked. */
#include <string.h>

#include "fuzz/fuzz.h"
#include "ui/console/script.h"

int fuzz_script(const uint8_t *data, size_t size)
{
	const char *path = fuzz_scratch_file("script", data, size);
	const con_script_item *it;
	con_script *s;
	char err[1024];

	if (!path)
		return 0;
	err[0] = '\0';
	s = con_script_load(path, err, sizeof(err));
	if (!s) {
		FUZZ_CHECK(err[0] != '\0', "con_script_load refused without a message");
		return 0;
	}
	while ((it = con_script_next(s)) != NULL)
		FUZZ_CHECK(it->line >= 1, "script item without a line number");
	con_script_free(&s);
	return 0;
}

#ifndef TM_FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_script(data, size);
}
#endif
