// SPDX-License-Identifier: GPL-2.0
/*
 * kstress - the workers of kscope's stress test (stress.sh), each run
 * for SECONDS (or until SIGTERM) and then printing one line of figures. A worker exits 1
 * if an operation failed in a way the file does not document.
 *
 *   kstress read SECONDS [unload]
 *                               read every file under /proc/kscope in a
 *                               loop, alternately whole and in small
 *                               reads of 1 to 64 bytes; "unload": kscope
 *                               comes and goes, so ENOENT and EIO are
 *                               what every file documents then
 *   kstress forkexec SECONDS    fork, exec ourselves as "kstress exit",
 *                               reap: as many as it can
 *   kstress watch SECONDS       fork a child that exits at once, watch
 *                               its pid and unwatch it while it exits
 *   kstress cgroup SECONDS PID  create a cgroup, move PID into it and
 *                               back to the root, remove it, in a loop
 *   kstress rules SECONDS       add netfilter rules that match the
 *                               traffic on lo and delete them
 *   kstress inject SECONDS      sleep in sleep_d and sleep_i for 1 ms,
 *                               charge and free memory, in turn
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kscope_test.h"

#define P "/proc/kscope"
#define CG "/sys/fs/cgroup"

static volatile time_t deadline;
static long ops, bad;
static long errs[256];
static int unloading;

static int running(void)
{
	return time(NULL) < deadline;
}

/* Count an errno; those not in @ok (0-terminated) are failures. */
static void fail(const char *what, int e, const int *ok)
{
	errs[e & 255]++;
	for (; ok && *ok; ok++)
		if (*ok == e)
			return;
	if (bad++ < 10)
		printf("# kstress: %s: %s\n", what, strerror(e));
}

static void report(const char *name)
{
	printf("%s: %ld ops", name, ops);
	print_errno_counts(errs);
	printf(", %ld wrong\n", bad);
}

/* Write @text to @path in one write(2); 0 or the errno. */
static int put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return errno;
	if (write(fd, text, strlen(text)) < 0)
		ret = errno;
	close(fd);
	return ret;
}

/*
 * Per-pid files belong to tasks that may exit or be unwatched while
 * read: then ENOENT (unwatched before the open), EIO (unwatched since)
 * or ESRCH (the task exited) is what they document.
 */
static const int per_pid_ok[] = { ENOENT, EIO, ESRCH, 0 };

static void read_one(const char *path, int per_pid)
{
	static char buf[1 << 20];
	int fd = open(path, O_RDONLY), small = ops & 1;
	ssize_t n;

	per_pid |= unloading;
	if (fd < 0) {
		fail(path, errno, per_pid ? per_pid_ok : NULL);
		return;
	}
	do {
		n = read(fd, buf, small ? 1 + (size_t)(random() % 64) : sizeof(buf));
	} while (n > 0);
	if (n < 0)
		fail(path, errno, per_pid ? per_pid_ok : NULL);
	else
		ops++;
	close(fd);
}

/* A watched pid's directory: "w" and the watch's id. */
static int watch_dir(const char *name)
{
	return name[0] == 'w' && name[1] &&
	       strspn(name + 1, "0123456789") == strlen(name + 1);
}

static void read_tree(const char *dir, int per_pid)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[512];

	per_pid |= unloading;
	if (!d) {
		fail(dir, errno, per_pid ? per_pid_ok : NULL);
		return;
	}
	while ((de = readdir(d))) {
		int task_dir = per_pid || !strcmp(de->d_name, "self") ||
			watch_dir(de->d_name);
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st)) {
			fail(path, errno, task_dir ? per_pid_ok : NULL);
			continue;
		}
		if (S_ISDIR(st.st_mode))
			read_tree(path, task_dir);
		else if (S_ISREG(st.st_mode))
			read_one(path, per_pid);
	}
	closedir(d);
}

static int cmd_read(int unload)
{
	unloading = unload;
	while (running())
		read_tree(P, 0);
	report("read");
	return 0;
}

static int cmd_forkexec(char *self)
{
	while (running()) {
		pid_t pid = fork();

		if (pid < 0) {
			fail("fork", errno, (const int[]){ EAGAIN, 0 });
			continue;
		}
		if (!pid) {
			execl(self, self, "exit", (char *)NULL);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
		ops++;
	}
	report("forkexec");
	return 0;
}

static int cmd_watch(void)
{
	static const int ok[] = { ESRCH, ENOSPC, 0 };
	char text[32];

	while (running()) {
		pid_t pid = fork();
		int e;

		if (pid < 0)
			continue;
		if (!pid)
			_exit(0);
		snprintf(text, sizeof(text), "%d", pid);
		e = put(P "/watch", text);
		if (e)
			fail("watch", e, ok);
		snprintf(text, sizeof(text), "-%d", pid);
		e = put(P "/watch", text);
		/* the exit may have unwatched it already */
		if (e)
			fail("unwatch", e, ok);
		waitpid(pid, NULL, 0);
		ops++;
	}
	report("watch");
	return 0;
}

static int cmd_cgroup(const char *pid)
{
	static const int ok[] = { ESRCH, EBUSY, ENOENT, 0 };
	char dir[64], procs[80];
	int e;

	while (running()) {
		snprintf(dir, sizeof(dir), CG "/kstress%ld", ops % 4);
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
		if (mkdir(dir, 0755) && errno != EEXIST) {
			fail("mkdir", errno, NULL);
			continue;
		}
		e = put(procs, pid);
		if (e)
			fail("move in", e, ok);
		e = put(CG "/cgroup.procs", pid);
		if (e)
			fail("move out", e, ok);
		if (rmdir(dir))
			fail("rmdir", errno, ok);
		ops++;
	}
	report("cgroup");
	return 0;
}

static int cmd_rules(void)
{
	static const char *const rules[] = {
		"proto=udp dport=5555 action=count",
		"proto=udp dport=5555 action=log budget=3",
		"proto=udp dport=5555 action=delay us=50 budget=100",
		"proto=udp dport=5555 action=leak pages=1 budget=16",
		"proto=udp dport=5555 action=leak pages=1 context=work budget=16",
		"proto=udp dport=5555 action=count context=work",
		"proto=udp dport=5556 action=drop",
		"family=ipv4 src=127.0.0.0/8 action=count",
	};
	static const int ok[] = { ENOSPC, ENOENT, 0 };
	unsigned int n = 0;
	int e;

	while (running()) {
		e = put(P "/netfilter/rules", rules[n % ARRAY_SIZE(rules)]);
		if (e)
			fail("add", e, ok);
		if (++n % 8 == 0) {
			e = put(P "/netfilter/rules", n % 16 ? "del all" : "del 1");
			if (e)
				fail("del", e, ok);
		}
		ops++;
	}
	put(P "/netfilter/rules", "del all");
	report("rules");
	return 0;
}

static int cmd_inject(void)
{
	static const int ok[] = { ENOSPC, ENOMEM, 0 };
	int e;

	while (running()) {
		e = put(P "/inject/sleep_d", "1");
		if (e)
			fail("sleep_d", e, NULL);
		e = put(P "/inject/sleep_i", "1");
		if (e)
			fail("sleep_i", e, NULL);
		e = put(P "/inject/memcg_charge", "alloc 64K");
		if (e)
			fail("charge", e, ok);
		if (ops % 4 == 3) {
			e = put(P "/inject/memcg_charge", "free");
			if (e)
				fail("free", e, NULL);
		}
		ops++;
	}
	put(P "/inject/memcg_charge", "free");
	report("inject");
	return 0;
}

/* SIGTERM ends the run early, with the report */
static void stop(int sig)
{
	(void)sig;
	deadline = 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "exit"))
		return 0;
	if (argc < 3) {
		fprintf(stderr, "usage: kstress read|forkexec|watch|cgroup|rules|inject SECONDS [PID|unload]\n");
		return 2;
	}
	deadline = time(NULL) + atoi(argv[2]);
	signal(SIGTERM, stop);
	srandom(getpid());
	if (!strcmp(argv[1], "read"))
		cmd_read(argc == 4 && !strcmp(argv[3], "unload"));
	else if (!strcmp(argv[1], "forkexec"))
		cmd_forkexec(argv[0]);
	else if (!strcmp(argv[1], "watch"))
		cmd_watch();
	else if (!strcmp(argv[1], "cgroup") && argc == 4)
		cmd_cgroup(argv[3]);
	else if (!strcmp(argv[1], "rules"))
		cmd_rules();
	else if (!strcmp(argv[1], "inject"))
		cmd_inject();
	else
		return 2;
	return bad ? 1 : 0;
}
