// SPDX-License-Identifier: GPL-2.0
/*
 * kbench - timers and readers for kscope's benchmarks (scripts/bench),
 * run inside the VM where there is only busybox. Built static on the
 * host. Times are CLOCK_MONOTONIC, in ns.
 *
 *   kbench exec REPS FILE    FILE holds one command per line (words split
 *                            on spaces, no shell). One warm-up round, then
 *                            REPS rounds; each round runs every command
 *                            once, in order, stdout to /dev/null, and
 *                            prints one line: the ns each took, from
 *                            fork() to its exit. A command that fails
 *                            prints "fail" in its place.
 *   kbench files REPS LIST...
 *                            line J of each LIST is item J: the paths
 *                            (space-separated) that give one answer.
 *                            One warm-up round, then REPS rounds; each
 *                            round reads every item through every LIST
 *                            in full (open, read 64 KiB at a time,
 *                            close), interleaved item by item, and
 *                            prints the ns each LIST took
 *   kbench cat FILE [BS]     copy FILE to stdout with read(2) calls of BS
 *                            bytes (default 65536); on stderr, "syscalls
 *                            N reads R writes W bytes B"
 *   kbench procstat          what the fastest user space lister does: for
 *                            every thread, /proc/PID/task/TID/stat read
 *                            with openat() from the directories' fds;
 *                            prints "PID TID STATE COMM" lines; on
 *                            stderr, "syscalls N opens O reads R getdents
 *                            G writes W bytes B"
 *   kbench udp COUNT PORT BATCHES
 *                            BATCHES times: COUNT times send a 64-byte UDP
 *                            datagram over loopback (127.0.0.1 PORT) and
 *                            receive it; print the ns of the fastest
 *                            batch (the one least disturbed by the rest
 *                            of the machine)
 */
#define _GNU_SOURCE
#define HELPER_NAME "kbench"
#include <dirent.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kscope_test.h"

#define MAX_CMDS	16
#define MAX_WORDS	64
#define MAX_LISTS	16
#define MAX_ITEMS	4096
#define IOBUF		65536

/* slurp PATH into a NUL-terminated heap buffer */
static char *slurp(const char *path)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (!buf || fd < 0)
		die(path);
	for (;;) {
		if (cap - len < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				die("realloc");
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0)
			die(path);
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* split TEXT in place at SEP into at most MAX pieces, skipping empty ones */
static int split(char *text, const char *sep, char **out, int max)
{
	int n = 0;
	char *save, *tok;

	for (tok = strtok_r(text, sep, &save); tok && n < max;
	     tok = strtok_r(NULL, sep, &save))
		out[n++] = tok;
	return n;
}

/* run ARGV with stdout to /dev/null: ns from fork to exit, -1 on failure */
static long long run_once(char **argv)
{
	long long t0 = now_ns();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return now_ns() - t0;
}

static int cmd_exec(int reps, const char *file)
{
	char *lines[MAX_CMDS], *argv[MAX_CMDS][MAX_WORDS + 1];
	int ncmd, i, r;

	ncmd = split(slurp(file), "\n", lines, MAX_CMDS);
	for (i = 0; i < ncmd; i++) {
		int n = split(lines[i], " ", argv[i], MAX_WORDS);

		argv[i][n] = NULL;
	}
	for (r = -1; r < reps; r++) {
		for (i = 0; i < ncmd; i++) {
			long long t = run_once(argv[i]);

			if (r < 0)
				continue;
			if (t < 0)
				printf("%sfail", i ? " " : "");
			else
				printf("%s%lld", i ? " " : "", t);
		}
		if (r >= 0)
			printf("\n");
		fflush(stdout);
	}
	return 0;
}

/* read PATH in full; 0, or -1 if it cannot be opened or read */
static int read_all(const char *path, char *buf)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, IOBUF)) > 0)
		;
	close(fd);
	return n < 0 ? -1 : 0;
}

/*
 * cmd_files() - read, item by item, the same items through each LIST
 *
 * Line J of every LIST is item J: one or more paths (space-separated)
 * that together give one answer, e.g. one pid's kscope file in one
 * list and the kernel files with the same facts in another. Item J is
 * read through every LIST before item J + 1 is read through any, and
 * the LIST read first turns round from item to item, so a disturbance
 * of the host falls on all LISTs alike instead of on whichever ran in
 * that second. A round is every item once; it prints, per LIST, the
 * ns spent reading its items.
 */
static int cmd_files(int reps, int nlist, char **lists)
{
	static char *items[MAX_LISTS][MAX_ITEMS];
	static char *paths[MAX_ITEMS];
	static char buf[IOBUF];
	long long spent[MAX_LISTS];
	int nitem = -1, i, j, k, r, n, w, bad = 0;

	if (nlist > MAX_LISTS) {
		fprintf(stderr, "kbench: at most %d lists\n", MAX_LISTS);
		return 2;
	}
	for (i = 0; i < nlist; i++) {
		n = split(slurp(lists[i]), "\n", items[i], MAX_ITEMS);
		if (nitem >= 0 && n != nitem) {
			fprintf(stderr, "kbench: %s has %d items, not %d\n",
				lists[i], n, nitem);
			return 2;
		}
		nitem = n;
	}
	for (r = -1; r < reps; r++) {
		memset(spent, 0, sizeof(spent));
		for (j = 0; j < nitem; j++) {
			for (k = 0; k < nlist; k++) {
				char *line;
				long long t0;

				i = (j + k + (r < 0 ? 0 : r)) % nlist;
				line = strdup(items[i][j]);
				if (!line)
					die("strdup");
				n = split(line, " ", paths, MAX_ITEMS);
				t0 = now_ns();
				for (w = 0; w < n; w++)
					if (read_all(paths[w], buf) && r < 0) {
						fprintf(stderr, "kbench: cannot read %s\n",
							paths[w]);
						bad = 1;
					}
				spent[i] += now_ns() - t0;
				free(line);
			}
		}
		if (r < 0)
			continue;
		for (i = 0; i < nlist; i++)
			printf("%s%lld", i ? " " : "", spent[i]);
		printf("\n");
		fflush(stdout);
	}
	return bad;
}

/* output through one buffer, counting write(2) calls */
static char outbuf[IOBUF];
static size_t outlen;
static long nwrites, nbytes;

static void out_flush(void)
{
	size_t off = 0;

	while (off < outlen) {
		ssize_t n = write(1, outbuf + off, outlen - off);

		if (n < 0)
			die("write");
		off += n;
		nwrites++;
	}
	nbytes += outlen;
	outlen = 0;
}

static void out_put(const char *s, size_t len)
{
	if (outlen + len > sizeof(outbuf))
		out_flush();
	memcpy(outbuf + outlen, s, len);
	outlen += len;
}

static int cmd_cat(const char *path, size_t bs)
{
	char *buf = malloc(bs);
	long nreads = 0;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (!buf || fd < 0)
		die(path);
	do {
		n = read(fd, buf, bs);
		nreads++;
		if (n < 0)
			die(path);
		if (n > 0) {
			/* write straight through, as cat does */
			if (write(1, buf, n) != n)
				die("write");
			nwrites++;
			nbytes += n;
		}
	} while (n > 0);
	close(fd);
	fprintf(stderr, "syscalls %ld reads %ld writes %ld bytes %ld\n",
		nreads + nwrites + 2, nreads, nwrites, nbytes);
	return 0;
}

/* the numeric names in directory FD, via getdents64; count the calls */
static int numeric_entries(int fd, int **out, long *ngetdents)
{
	static char buf[IOBUF];
	int n = 0, cap = 1024, *ids = malloc(cap * sizeof(*ids));
	long len, off;

	if (!ids)
		die("malloc");
	for (;;) {
		len = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		(*ngetdents)++;
		if (len < 0)
			die("getdents64");
		if (len == 0)
			break;
		for (off = 0; off < len;) {
			struct {
				unsigned long long ino;
				long long off;
				unsigned short reclen;
				unsigned char type;
				char name[];
			} *d = (void *)(buf + off);

			off += d->reclen;
			if (d->name[0] < '0' || d->name[0] > '9')
				continue;
			if (n == cap) {
				cap *= 2;
				ids = realloc(ids, cap * sizeof(*ids));
				if (!ids)
					die("realloc");
			}
			ids[n++] = atoi(d->name);
		}
	}
	*out = ids;
	return n;
}

static int cmd_procstat(void)
{
	long nopen = 0, nread = 0, ngetdents = 0, nclose = 0;
	int proc, *pids, npid, i;
	char buf[1024], line[256];

	proc = open("/proc", O_RDONLY | O_DIRECTORY);
	if (proc < 0)
		die("/proc");
	nopen++;
	npid = numeric_entries(proc, &pids, &ngetdents);
	for (i = 0; i < npid; i++) {
		int task, *tids, ntid, j;

		snprintf(buf, sizeof(buf), "%d/task", pids[i]);
		task = openat(proc, buf, O_RDONLY | O_DIRECTORY);
		nopen++;
		if (task < 0)
			continue;	/* exited meanwhile */
		ntid = numeric_entries(task, &tids, &ngetdents);
		for (j = 0; j < ntid; j++) {
			char *lp, *rp;
			ssize_t n;
			int fd, len;

			snprintf(line, sizeof(line), "%d/stat", tids[j]);
			fd = openat(task, line, O_RDONLY);
			nopen++;
			if (fd < 0)
				continue;
			n = read(fd, buf, sizeof(buf) - 1);
			nread++;
			close(fd);
			nclose++;
			if (n <= 0)
				continue;
			buf[n] = '\0';
			/* "TID (COMM) S ...": comm may hold ')' */
			lp = strchr(buf, '(');
			rp = strrchr(buf, ')');
			if (!lp || !rp || rp[1] != ' ')
				continue;
			*rp = '\0';
			len = snprintf(line, sizeof(line), "%d %d %c %s\n",
				       pids[i], tids[j], rp[2], lp + 1);
			out_put(line, len);
		}
		free(tids);
		close(task);
		nclose++;
	}
	out_flush();
	close(proc);
	nclose++;
	fprintf(stderr,
		"syscalls %ld opens %ld reads %ld getdents %ld writes %ld bytes %ld\n",
		nopen + nread + ngetdents + nclose + nwrites, nopen, nread,
		ngetdents, nwrites, nbytes);
	return 0;
}

static int cmd_udp(long count, int port, int batches)
{
	char msg[64] = "kscope bench", buf[128];
	struct timeval tv = { .tv_sec = 1 };
	int rx = udp_socket("127.0.0.1", port, UDP_BIND);
	int tx = udp_socket("127.0.0.1", port, UDP_CONNECT);
	long long t0, t, best = -1;
	long i, lost = 0;
	int b;

	if (setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("SO_RCVTIMEO");
	for (b = 0; b < batches; b++) {
		t0 = now_ns();
		for (i = 0; i < count; i++) {
			if (send(tx, msg, sizeof(msg), 0) != sizeof(msg))
				die("send");
			if (recv(rx, buf, sizeof(buf), 0) < 0)
				lost++;
		}
		t = now_ns() - t0;
		if (best < 0 || t < best)
			best = t;
	}
	printf("%lld\n", best);
	if (lost)
		fprintf(stderr, "kbench: udp: %ld datagrams lost\n", lost);
	return lost ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "exec"))
		return cmd_exec(atoi(argv[2]), argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "files"))
		return cmd_files(atoi(argv[2]), argc - 3, argv + 3);
	if (argc >= 3 && !strcmp(argv[1], "cat"))
		return cmd_cat(argv[2], argc >= 4 ? atol(argv[3]) : IOBUF);
	if (argc == 2 && !strcmp(argv[1], "procstat"))
		return cmd_procstat();
	if (argc == 5 && !strcmp(argv[1], "udp"))
		return cmd_udp(atol(argv[2]), atoi(argv[3]), atoi(argv[4]));
	fprintf(stderr, "usage: kbench exec REPS FILE | files REPS LIST... | cat FILE [BS] | procstat | udp COUNT PORT BATCHES\n");
	return 2;
}
