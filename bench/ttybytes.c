/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ttybytes.c - count the bytes a program writes to its terminal.
 *
 *   ttybytes COLS ROWS -- COMMAND [ARG...]
 *
 * Runs COMMAND on a new pseudo-terminal of COLS x ROWS (forkpty), reads
 * everything it writes there until it exits and the terminal is closed, and
 * prints "<bytes> <exit status>". Nothing is typed on the terminal: drive
 * the program with its own script of keys (trustmgr --script FILE), so the
 * count does not depend on timing. Exit status 0 when the count was
 * printed, 2 on a usage or system error.
 */
#include <errno.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* Read the master side until EOF or EIO (the slave closed). */
static long long drain(int fd)
{
	char buf[65536];
	long long total = 0;

	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r > 0) {
			total += r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		return total;
	}
}

int main(int argc, char **argv)
{
	struct winsize ws;
	long long bytes;
	int fd, status = 0;
	pid_t pid;

	if (argc < 5 || strcmp(argv[3], "--") != 0) {
		fprintf(stderr, "usage: ttybytes COLS ROWS -- COMMAND [ARG...]\n");
		return 2;
	}
	memset(&ws, 0, sizeof(ws));
	ws.ws_col = (unsigned short)atoi(argv[1]);
	ws.ws_row = (unsigned short)atoi(argv[2]);
	pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0) {
		perror("ttybytes: forkpty");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[4], argv + 4);
		perror(argv[4]);
		_exit(127);
	}
	bytes = drain(fd);
	if (waitpid(pid, &status, 0) < 0) {
		perror("ttybytes: waitpid");
		return 2;
	}
	close(fd);
	printf("%lld %d\n", bytes, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
