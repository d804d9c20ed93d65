/* testutil.h - helpers shared by the Check unit tests. */
#ifndef TM_TESTUTIL_H
#define TM_TESTUTIL_H

#include <stddef.h>

/* Make a fresh private temporary folder; returns a static-lifetime copy of
 * its path (freed by tu_cleanup). Aborts the test on failure. */
const char *tu_tmpdir(void);

/* Remove every folder made by tu_tmpdir. */
void tu_cleanup(void);

/* Decode hex (spaces allowed) into buf; returns the byte count. */
size_t tu_hex(const char *hex, unsigned char *buf, size_t n);

/* Run a Check suite: returns the process exit status (0 when all passed). */
struct Suite;
int tu_run(struct Suite *s);

#endif
