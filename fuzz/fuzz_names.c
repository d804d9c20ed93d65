/* fuzz_names.c - NetBIOS, DNS and realm name checks (model/names.c).
 * Any text: name_check_netbios/dns/realm and the helpers never crash, and a
 * refusal always carries a message. */
#include <string.h>

#include "fuzz/fuzz.h"
#include "model/name.h"

int fuzz_names(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	char buf[1024];
	tm_error e;

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
	(void)name_utf8_len(text);
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
