/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* fuzz.h - shared by the libFuzzer targets in fuzz/ and by the regression
 * test tests/unit/check_fuzz_regress.c, which includes the target sources
 * with TM_FUZZ_NO_ENTRY defined and feeds them the saved inputs.
 *
 * Each target is one function fuzz_<name>(data, size) that drives a parser
 * with the bytes and checks the properties documented in docs/FUZZING.md.
 * A broken property calls FUZZ_CHECK's abort(), which libFuzzer reports as a
 * crash and Check reports as a failed test. */
#ifndef TM_FUZZ_H
#define TM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond, what)                                                  \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, \
				__LINE__, what);                                \
			abort();                                                \
		}                                                               \
	} while (0)

int fuzz_authblob(const uint8_t *data, size_t size);
int fuzz_sid(const uint8_t *data, size_t size);
int fuzz_names(const uint8_t *data, size_t size);
int fuzz_forestinfo(const uint8_t *data, size_t size);
int fuzz_ldif(const uint8_t *data, size_t size);
int fuzz_config(const uint8_t *data, size_t size);
int fuzz_script(const uint8_t *data, size_t size);

/* A NUL-terminated malloc'd copy of data (NULL when out of memory). */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* Write data to this process's scratch file for tag (made once in /tmp,
 * removed at exit) and return its path, or NULL. */
const char *fuzz_scratch_file(const char *tag, const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
