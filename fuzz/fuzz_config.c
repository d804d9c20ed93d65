/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* fuzz_config.c - the configuration reader (backend/config.c).
 * config_load reads a file through the krb5 profile library, so the input is
 * written to one scratch file in /tmp (made once per process) and loaded;
 * it never crashes and a refusal carries a message. */
#include <string.h>

#include "backend/config/config.h"
#include "fuzz/fuzz.h"

int fuzz_config(const uint8_t *data, size_t size)
{
	const char *path = fuzz_scratch_file("config", data, size);
	tm_config c;
	tm_error e;

	if (!path)
		return 0;
	error_clear(&e);
	if (config_load(path, &c, &e) == 0) {
		size_t i;

		for (i = 0; i < c.ndomains; i++)
			(void)config_domain_find(&c, c.domains[i].dom.name);
		config_free(&c);
	} else {
		FUZZ_CHECK(e.what[0] != '\0', "config_load refused without a message");
	}
	return 0;
}

#ifndef TM_FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_config(data, size);
}
#endif
