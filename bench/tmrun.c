/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* tmrun.c - run one command and report its wall time and peak memory.
 *
 *   tmrun [-i IN] [-o OUT] -- COMMAND [ARG...]
 *
 * Runs COMMAND with standard input from IN (default /dev/null) and standard
 * output to OUT (default /dev/null); standard error is kept. Waits for it
 * with wait4() and prints one line on standard output:
 *   "<seconds> <max RSS KiB> <exit status>"
 * The wall time comes from CLOCK_MONOTONIC around fork/exec/wait, the peak
 * memory from the child's rusage (ru_maxrss). Exit status 0 when the line
 * was printed (whatever COMMAND returned), 2 on a usage or system error.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: tmrun [-i IN] [-o OUT] -- COMMAND [ARG...]\n");
	return 2;
}

/* In the child: IN on fd 0, OUT on fd 1, then exec. Never returns. */
static void child(const char *in, const char *out, char **argv)
{
	int fi = open(in, O_RDONLY);
	int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fi < 0 || fo < 0 || dup2(fi, 0) < 0 || dup2(fo, 1) < 0) {
		perror("tmrun: redirect");
		_exit(127);
	}
	close(fi);
	close(fo);
	execvp(argv[0], argv);
	perror(argv[0]);
	_exit(127);
}

int main(int argc, char **argv)
{
	const char *in = "/dev/null", *out = "/dev/null";
	struct rusage ru;
	double t0, t1;
	int i = 1, status = 0;
	pid_t pid;

	for (; i < argc && strcmp(argv[i], "--") != 0; i += 2) {
		if (i + 1 >= argc)
			return usage();
		if (strcmp(argv[i], "-i") == 0)
			in = argv[i + 1];
		else if (strcmp(argv[i], "-o") == 0)
			out = argv[i + 1];
		else
			return usage();
	}
	if (i + 1 >= argc)
		return usage();
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("tmrun: fork");
		return 2;
	}
	if (pid == 0)
		child(in, out, argv + i + 1);
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("tmrun: wait4");
		return 2;
	}
	t1 = now();
	printf("%.6f %ld %d\n", t1 - t0, ru.ru_maxrss,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
