/* testutil.c - helpers shared by the Check unit tests. */
#include "tests/unit/testutil.h"

#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define TU_MAX_DIRS 64

static char *tu_dirs[TU_MAX_DIRS];
static size_t tu_ndirs;

const char *tu_tmpdir(void)
{
	char tmpl[] = "/tmp/tm-unit-XXXXXX";
	char *d = mkdtemp(tmpl);

	static pid_t registered;

	if (!d || tu_ndirs == TU_MAX_DIRS) {
		perror("mkdtemp");
		abort();
	}
	if (registered != getpid()) {
		/* Check forks a child per test: clean up when that process exits. */
		registered = getpid();
		atexit(tu_cleanup);
	}
	tu_dirs[tu_ndirs] = strdup(d);
	return tu_dirs[tu_ndirs++];
}

void tu_cleanup(void)
{
	char cmd[512];

	while (tu_ndirs > 0) {
		char *d = tu_dirs[--tu_ndirs];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", d);
		free(d);
	}
}

static int tu_nibble(int c)
{
	if (isdigit(c))
		return c - '0';
	return tolower(c) - 'a' + 10;
}

size_t tu_hex(const char *hex, unsigned char *buf, size_t n)
{
	size_t k = 0;

	while (*hex && k < n) {
		if (isspace((unsigned char)*hex)) {
			hex++;
			continue;
		}
		buf[k++] = (unsigned char)(tu_nibble(hex[0]) << 4 | tu_nibble(hex[1]));
		hex += 2;
	}
	return k;
}

int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	tu_cleanup();
	return failed == 0 ? 0 : 1;
}
