/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* fuzz_names.c - NetBIOS, DNS and realm name checks (model/names.c) and
 * the UTF-8 decoder under them (model/utf8.c).
 * Any text: name_check_netbios/dns/realm and the helpers never crash, and a
 * refusal always carries a message. Any bytes: the lenient UTF-8 step
 * always moves on, and the bytes re-encode to themselves exactly when they
 * are valid UTF-8. */
#include <string.h>

#include "fuzz/fuzz.h"
#include "model/name.h"
#include "model/utf8.h"

/* Decode the raw bytes step by step and encode each character again. */
static void fuzz_utf8(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char enc[UTF8_MAX];
	size_t i = 0, n;
	uint32_t cp;
	int same = 1;
	long count = 0;

	while (i < size) {
		n = utf8_step(s + i, size - i, &cp);
		FUZZ_CHECK(n >= 1 && n <= size - i, "utf8_step did not move on");
		if (utf8_put(cp, enc) != n || memcmp(enc, s + i, n) != 0)
			same = 0;
		i += n;
		count++;
	}
	FUZZ_CHECK(utf8_valid(s, size) == same, "utf8_valid disagrees with the re-encoding");
	FUZZ_CHECK(utf8_count(s, size) == (same ? count : -1), "utf8_count is wrong");
}

int fuzz_names(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	char buf[1024];
	tm_error e;

	fuzz_utf8(data, size);
	if (!text)
		return 0;
	error_clear(&e);
	if (name_check_netbios(text, &e) != 0)
		FUZZ_CHECK(e.what[0] != '\0', "name_check_netbios refused without a message");
	error_clear(&e);
	if (name_check_dns(text, &e) != 0)
		FUZZ_CHECK(e.what[0] != '\0', "name_check_dns refused without a message");
	else
		(void)name_dns_to_dn(text, buf, sizeof(buf));
	error_clear(&e);
	if (name_check_realm(text, &e) != 0)
		FUZZ_CHECK(e.what[0] != '\0', "name_check_realm refused without a message");
	name_upper(buf, text, sizeof(buf));
	name_lower(buf, text, sizeof(buf));
	FUZZ_CHECK(name_equal(text, text), "a name differs from itself");
	free(text);
	return 0;
}

#ifndef TM_FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_names(data, size);
}
#endif
