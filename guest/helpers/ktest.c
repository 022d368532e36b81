// SPDX-License-Identifier: GPL-2.0
/*
 * ktest - small programs kscope's integration tests run inside the VM,
 * where there is only busybox. Built static on the host.
 *
 *   ktest threads N          start N threads that sleep; print "ready"
 *                            and the process stays until killed
 *   ktest churn SECONDS      create and join threads as fast as possible
 *   ktest vfork SECONDS      vfork(); the child prints its pid and
 *                            sleeps, so the parent waits in D (killable)
 *                            for SECONDS
 *   ktest read FILE BS       read FILE with read(2) calls of BS bytes,
 *                            copy to stdout; print errno name on failure
 *   ktest hold FILE GO       open FILE, read one byte, print "opened",
 *                            wait until the file GO exists, then read
 *                            the rest; prints "read ok" or the errno name
 *   ktest holdmany FILE N GO open FILE N times and read one byte from
 *                            each; print "opened N" (or "open ERRNO
 *                            after K"), then keep them open until the
 *                            file GO exists
 *   ktest race FILE US TEXT1 TEXT2
 *                            open FILE twice for writing; a thread
 *                            writes TEXT1 to one, and US microseconds
 *                            after it started, TEXT2 to the other
 *   ktest write FILE TEXT    open FILE for writing and write TEXT in one
 *                            write(2); print "ok" or the errno's name
 *   ktest runas UID CMD...   setgid/setuid to UID then exec CMD
 *   ktest nocap CAP CMD...   drop capability number CAP from the bounding
 *                            set, then exec CMD (root keeps the others)
 *   ktest nodump ARGS...     make this process not dumpable (as a setuid
 *                            program is), then run "ktest ARGS..." in it
 *   ktest stampsleep STAMP S write the CLOCK_BOOTTIME time to STAMP, then
 *                            sleep S seconds: the time it fell asleep
 *   ktest stampwrite STAMP FILE TEXT
 *                            open FILE, write the CLOCK_BOOTTIME time to
 *                            STAMP, then write TEXT to FILE in one
 *                            write(2); print "ok" or the errno's name
 *   ktest burn N MS exit|hold
 *                            N threads each use MS ms of CPU time, in
 *                            user space and in system calls; then all
 *                            exit ("exit"), or print "burnt" and sleep
 *                            until killed ("hold")
 *   ktest udpsend ADDR PORT N [HEX]
 *                            send N UDP datagrams to ADDR (IPv4 or IPv6)
 *                            PORT, payload HEX (default "kscope");
 *                            print "sent N"
 *   ktest udprecv IDLE_MS PORT...
 *                            count datagrams on each PORT (IPv4 and
 *                            IPv6); print "ready", and once none came
 *                            for IDLE_MS after the first (or none in
 *                            60 s), "PORT COUNT" per port and
 *                            "span_us US" from the first to the last
 *   ktest udpecho PORT       send every datagram on PORT back, forever
 *   ktest rtt ADDR PORT N    N round trips to an echo at ADDR PORT, one
 *                            at a time; print "rtt_us MEDIAN MIN MAX
 *                            lost L" (a reply not back in 1 s is lost)
 *   ktest udpflood ADDR PORT MS
 *                            send 64-byte datagrams as fast as possible
 *                            for MS ms; print "sent N"
 *   ktest delayed CPU S|D    on CPU, fork a nice -20 hog, then at nice 19
 *                            run 1 ms in one turn on the CPU and at
 *                            once go to sleep, in S (pause) or in D
 *                            (600000 written to kscope's inject/sleep_d:
 *                            no fork between the run and the sleep),
 *                            while not eligible: on EEVDF kernels it
 *                            stays queued (delayed dequeue) until the
 *                            hog has run for seconds; prints
 *                            "hog PID" and "sleeper PID" first
 *   ktest alloc KB N         N times: map KB KiB more anonymous memory,
 *                            touch every page, then stop (SIGSTOP) so
 *                            the test can read counters that hold
 *                            still; after the last step sleep until
 *                            killed
 */
#define _GNU_SOURCE
#define HELPER_NAME "ktest"
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kscope_test.h"

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static __attribute__((noreturn)) void cmd_threads(int n)
{
	pthread_attr_t attr;
	pthread_t t;
	int i, err;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 0; i < n; i++) {
		err = pthread_create(&t, &attr, sleeper, NULL);
		if (err) {
			errno = err;
			die("pthread_create");
		}
	}
	printf("ready %d\n", n);
	fflush(stdout);
	for (;;)
		pause();
}

static void *nothing(void *arg)
{
	return arg;
}

static int cmd_churn(int seconds)
{
	time_t end = time(NULL) + seconds;
	unsigned long n = 0;
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	while (time(NULL) < end) {
		pthread_t t[16];
		int i;

		for (i = 0; i < 16; i++)
			if (pthread_create(&t[i], &attr, nothing, NULL))
				die("pthread_create");
		for (i = 0; i < 16; i++)
			pthread_join(t[i], NULL);
		n += 16;
	}
	printf("churned %lu threads\n", n);
	return 0;
}

static int cmd_vfork(int seconds)
{
	pid_t pid = vfork();

	if (pid < 0)
		die("vfork");
	if (pid == 0) {
		/* only async-signal-safe calls between vfork and _exit */
		struct timespec ts = { .tv_sec = seconds };
		char buf[16], *p = buf + sizeof(buf);
		pid_t self = getpid();

		/* the child's pid, on a line of its own */
		*--p = '\n';
		do
			*--p = '0' + self % 10;
		while (self /= 10);
		if (write(1, p, buf + sizeof(buf) - p) < 0)
			_exit(1);
		nanosleep(&ts, NULL);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	return 0;
}

static int cmd_read(const char *path, size_t bs)
{
	char *buf = malloc(bs);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (!buf)
		die("malloc");
	if (fd < 0)
		die(path);
	while ((n = read(fd, buf, bs)) > 0)
		if (fwrite(buf, 1, n, stdout) != (size_t)n)
			die("write");
	if (n < 0) {
		printf("ktest-read-error %s\n", errno_name(errno));
		return 1;
	}
	return 0;
}

static int cmd_hold(const char *path, const char *go)
{
	struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		printf("open %s\n", errno_name(errno));
		return 1;
	}
	if (read(fd, buf, 1) != 1)
		die("first read");
	printf("opened\n");
	fflush(stdout);
	while (access(go, F_OK))
		nanosleep(&tick, NULL);
	n = read(fd, buf, sizeof(buf));
	printf("read %s\n", n < 0 ? errno_name(errno) : "ok");
	close(fd);
	return 0;
}

static int cmd_holdmany(const char *path, int n, const char *go)
{
	struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	char c;
	int i, fd;

	for (i = 0; i < n; i++) {
		fd = open(path, O_RDONLY);
		if (fd < 0 || read(fd, &c, 1) != 1)
			break;
	}
	if (i < n)
		printf("open %s after %d\n", errno_name(errno), i);
	else
		printf("opened %d\n", n);
	fflush(stdout);
	while (access(go, F_OK))
		nanosleep(&tick, NULL);
	return 0;
}

struct race_write {
	int fd;
	const char *text;
};

static void *race_writer(void *arg)
{
	struct race_write *w = arg;

	if (write(w->fd, w->text, strlen(w->text)) < 0)
		die("write");
	return NULL;
}

static int cmd_race(const char *path, long us, const char *text1,
		    const char *text2)
{
	struct race_write w1 = { open(path, O_WRONLY), text1 };
	struct timespec delay = { us / 1000000, us % 1000000 * 1000 };
	int fd2 = open(path, O_WRONLY);
	pthread_t t;

	if (w1.fd < 0 || fd2 < 0)
		die(path);
	if (pthread_create(&t, NULL, race_writer, &w1))
		die("pthread_create");
	nanosleep(&delay, NULL);
	if (write(fd2, text2, strlen(text2)) < 0)
		die("write");
	pthread_join(t, NULL);
	return 0;
}

static int cmd_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0) {
		printf("%s\n", errno_name(errno));
		return 1;
	}
	n = write(fd, text, strlen(text));
	if (n < 0)
		printf("%s\n", errno_name(errno));
	else if ((size_t)n != strlen(text))
		printf("short write %zd of %zu\n", n, strlen(text));
	else
		printf("ok\n");
	close(fd);
	return n < 0;
}

static int cmd_runas(int uid, char **argv)
{
	if (setgroups(0, NULL) || setgid(uid) || setuid(uid))
		die("setuid");
	execvp(argv[0], argv);
	die(argv[0]);
	return 2;
}

static int cmd_nocap(int cap, char **argv)
{
	if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
		die("PR_CAPBSET_DROP");
	execvp(argv[0], argv);
	die(argv[0]);
	return 2;
}

static long burn_ms;

/* a mix of user-space loops and cheap system calls */
static void *burner(void *arg)
{
	volatile unsigned long x = 0;
	int i;

	while (clock_ns(CLOCK_THREAD_CPUTIME_ID) / 1e6 < burn_ms) {
		for (i = 0; i < 100000; i++)
			x += i;
		for (i = 0; i < 100; i++)
			syscall(SYS_getppid);
	}
	return arg;
}

static void *burn_and_hold(void *arg)
{
	burner(arg);
	for (;;)
		pause();
	return NULL;
}

static int cmd_burn(int n, long ms, const char *mode)
{
	int hold = !strcmp(mode, "hold");
	pthread_t *t = calloc(n, sizeof(*t));
	int i, err;

	if (!t)
		die("calloc");
	burn_ms = ms;
	for (i = 0; i < n; i++) {
		err = pthread_create(&t[i], NULL, hold ? burn_and_hold : burner, NULL);
		if (err) {
			errno = err;
			die("pthread_create");
		}
	}
	if (hold) {
		/* every thread has burnt when the group's CPU time says so */
		do
			usleep(10000);
		while (clock_ns(CLOCK_PROCESS_CPUTIME_ID) / 1e6 < (double)n * ms);
		printf("burnt\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	free(t);
	return 0;
}

/* write the boot-time clock, "SECONDS.NANOSECONDS", to @path */
static void stamp(const char *path)
{
	struct timespec ts;
	FILE *f = fopen(path, "w");

	if (!f)
		die(path);
	clock_gettime(CLOCK_BOOTTIME, &ts);
	fprintf(f, "%ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
	if (fclose(f))
		die(path);
}

static int cmd_stampsleep(const char *path, int seconds)
{
	stamp(path);
	sleep(seconds);
	return 0;
}

static int cmd_stampwrite(const char *path, const char *file, const char *text)
{
	int fd = open(file, O_WRONLY);
	ssize_t n;

	if (fd < 0) {
		printf("%s\n", errno_name(errno));
		return 1;
	}
	stamp(path);
	n = write(fd, text, strlen(text));
	printf("%s\n", n < 0 ? errno_name(errno) : "ok");
	close(fd);
	return n < 0;
}

/* a socket on PORT for IPv4 and IPv6 both */
static int udp_bind(const char *port)
{
	int fd = udp_socket("::", atoi(port), UDP_BIND), big = 4 << 20;

	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	return fd;
}

static long long now_us(void)
{
	return now_ns() / 1000;
}

static int cmd_udpsend(const char *addr, const char *port, long n,
		       const char *hex)
{
	unsigned char buf[256];
	size_t len = 0;
	int fd = udp_socket(addr, atoi(port), UDP_CONNECT);
	long i;

	if (!hex) {
		memcpy(buf, "kscope", 6);
		len = 6;
	}
	for (; hex && hex[0] && hex[1] && len < sizeof(buf); hex += 2)
		sscanf(hex, "%2hhx", &buf[len++]);
	for (i = 0; i < n; i++) {
		if (send(fd, buf, len, 0) < 0)
			die("send");
		/* let the receiver's softirq keep up: no backlog drops */
		if (i % 32 == 31)
			usleep(1000);
	}
	printf("sent %ld\n", n);
	return 0;
}

static int cmd_udprecv(int idle_ms, int nports, char **ports)
{
	struct pollfd *pfd = calloc(nports, sizeof(*pfd));
	long *count = calloc(nports, sizeof(*count));
	long long first = 0, last = 0;
	char buf[2048];
	int i;

	if (!pfd || !count)
		die("calloc");
	for (i = 0; i < nports; i++) {
		pfd[i].fd = udp_bind(ports[i]);
		pfd[i].events = POLLIN;
	}
	printf("ready\n");
	fflush(stdout);
	/* the senders may be slow to start: wait long for the first */
	while (poll(pfd, nports, first ? idle_ms : 60000) > 0) {
		for (i = 0; i < nports; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			while (recv(pfd[i].fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0) {
				count[i]++;
				last = now_us();
				if (!first)
					first = last;
			}
		}
	}
	for (i = 0; i < nports; i++)
		printf("%s %ld\n", ports[i], count[i]);
	printf("span_us %lld\n", last - first);
	return 0;
}

static int cmd_udpecho(const char *port)
{
	struct sockaddr_storage from;
	char buf[2048];
	int fd = udp_bind(port);

	for (;;) {
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &flen);

		if (n >= 0)
			sendto(fd, buf, n, 0, (struct sockaddr *)&from, flen);
	}
	return 0;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static int cmd_rtt(const char *addr, const char *port, int n)
{
	long long *rtt = calloc(n, sizeof(*rtt));
	int fd = udp_socket(addr, atoi(port), UDP_CONNECT), i, got = 0;
	char buf[64];

	if (!rtt)
		die("calloc");
	for (i = 0; i < n; i++) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long t0 = now_us();

		snprintf(buf, sizeof(buf), "kscope-rtt-%d", i);
		if (send(fd, buf, strlen(buf), 0) < 0)
			die("send");
		/* a reply to an earlier, lost probe is not this one's */
		while (poll(&pfd, 1, 1000) > 0) {
			char in[64];
			ssize_t len = recv(fd, in, sizeof(in) - 1, 0);

			if (len < 0)
				break;
			in[len] = '\0';
			if (!strcmp(in, buf)) {
				rtt[got++] = now_us() - t0;
				break;
			}
		}
	}
	if (!got) {
		printf("rtt_us - - - lost %d\n", n);
		return 1;
	}
	qsort(rtt, got, sizeof(*rtt), cmp_ll);
	printf("rtt_us %lld %lld %lld lost %d\n", rtt[got / 2], rtt[0],
	       rtt[got - 1], n - got);
	return 0;
}

static int cmd_udpflood(const char *addr, const char *port, long ms)
{
	int fd = udp_socket(addr, atoi(port), UDP_CONNECT);
	long long end = now_us() + ms * 1000;
	char buf[64] = "kscope-flood";
	long n = 0;

	while (now_us() < end) {
		int i;

		for (i = 0; i < 64; i++)
			if (send(fd, buf, sizeof(buf), 0) >= 0)
				n++;
	}
	printf("sent %ld\n", n);
	return 0;
}

static __attribute__((noreturn)) void cmd_alloc(long kb, int n)
{
	size_t len = (size_t)kb * 1024;
	int i;

	for (i = 0; i < n; i++) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap");
		memset(p, 0x5a, len);
		raise(SIGSTOP);
	}
	for (;;)
		pause();
}

/*
 * Run for @ns of wall time without losing the CPU: the count starts
 * again whenever the clock jumps by more than 1 ms between two reads,
 * which is this task having been off the CPU.
 */
static void spin_in_one_turn(long long ns)
{
	long long start = now_ns(), last = start, t;

	for (;;) {
		t = now_ns();
		if (t - last > 1000000)
			start = t;
		else if (t - start >= ns)
			return;
		last = t;
	}
}

static int cmd_delayed(int cpu, const char *mode)
{
	cpu_set_t set;
	pid_t hog;
	int fd = -1;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
	hog = fork();
	if (hog < 0)
		die("fork");
	if (hog == 0) {
		if (setpriority(PRIO_PROCESS, 0, -20))
			die("setpriority");
		for (;;)
			;
	}
	/*
	 * Named before the renice: at nice 19 beside the hog this task
	 * may wait many seconds for its next turn on the CPU.
	 */
	printf("hog %d\nsleeper %d\n", (int)hog, (int)getpid());
	fflush(stdout);
	if (mode[0] == 'D') {
		fd = open("/proc/kscope/inject/sleep_d", O_WRONLY);
		if (fd < 0)
			die("/proc/kscope/inject/sleep_d");
	}
	if (setpriority(PRIO_PROCESS, 0, 19))
		die("setpriority");
	/*
	 * The lag this task sleeps with is what its last turn on the CPU
	 * ran ahead of its share. 1 ms at weight 15 beside the hog's
	 * 88761 puts it ~68 ms of virtual time ahead, which the hog needs
	 * ~6 s to catch up: the kernel keeps it queued (delayed) that
	 * long. A fixed budget of CPU time that ran out just after a
	 * preemption, or a fork (slow on a debug kernel) that did, left
	 * only a few us in the last turn, and the delay was over before
	 * t62 looked; so the 1 ms is run in one turn, and one write(2)
	 * puts the task to sleep at once. kscope's sleep is not killable:
	 * the task leaves it after 600 s or when kscope is unloaded.
	 */
	spin_in_one_turn(1000000);
	if (mode[0] == 'D')
		return write(fd, "600000", 6) < 0 && errno != ECANCELED;
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "nodump")) {
		if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
			die("PR_SET_DUMPABLE");
		return main(argc - 1, argv + 1);
	}
	if (argc >= 4 && !strcmp(argv[1], "nocap"))
		return cmd_nocap(atoi(argv[2]), argv + 3);
	if (argc >= 3 && !strcmp(argv[1], "threads"))
		cmd_threads(atoi(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "churn"))
		return cmd_churn(atoi(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "vfork"))
		return cmd_vfork(atoi(argv[2]));
	if (argc >= 4 && !strcmp(argv[1], "read"))
		return cmd_read(argv[2], strtoul(argv[3], NULL, 0));
	if (argc >= 4 && !strcmp(argv[1], "hold"))
		return cmd_hold(argv[2], argv[3]);
	if (argc >= 5 && !strcmp(argv[1], "holdmany"))
		return cmd_holdmany(argv[2], atoi(argv[3]), argv[4]);
	if (argc >= 6 && !strcmp(argv[1], "race"))
		return cmd_race(argv[2], atol(argv[3]), argv[4], argv[5]);
	if (argc >= 4 && !strcmp(argv[1], "write"))
		return cmd_write(argv[2], argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "runas"))
		return cmd_runas(atoi(argv[2]), argv + 3);
	if (argc >= 5 && !strcmp(argv[1], "burn"))
		return cmd_burn(atoi(argv[2]), atol(argv[3]), argv[4]);
	if (argc >= 4 && !strcmp(argv[1], "stampsleep"))
		return cmd_stampsleep(argv[2], atoi(argv[3]));
	if (argc >= 5 && !strcmp(argv[1], "stampwrite"))
		return cmd_stampwrite(argv[2], argv[3], argv[4]);
	if (argc >= 5 && !strcmp(argv[1], "udpsend"))
		return cmd_udpsend(argv[2], argv[3], atol(argv[4]),
				   argc >= 6 ? argv[5] : NULL);
	if (argc >= 4 && !strcmp(argv[1], "udprecv"))
		return cmd_udprecv(atoi(argv[2]), argc - 3, argv + 3);
	if (argc >= 3 && !strcmp(argv[1], "udpecho"))
		return cmd_udpecho(argv[2]);
	if (argc >= 5 && !strcmp(argv[1], "rtt"))
		return cmd_rtt(argv[2], argv[3], atoi(argv[4]));
	if (argc >= 5 && !strcmp(argv[1], "udpflood"))
		return cmd_udpflood(argv[2], argv[3], atol(argv[4]));
	if (argc >= 4 && !strcmp(argv[1], "delayed"))
		return cmd_delayed(atoi(argv[2]), argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "alloc"))
		cmd_alloc(atol(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: ktest threads N | churn S | vfork S | read FILE BS | hold FILE GO | holdmany FILE N GO | race FILE US TEXT1 TEXT2 | write FILE TEXT | runas UID CMD... | nocap CAP CMD... | nodump ARGS... | burn N MS exit|hold | stampsleep STAMP S | stampwrite STAMP FILE TEXT | udpsend ADDR PORT N [HEX] | udprecv IDLE_MS PORT... | udpecho PORT | rtt ADDR PORT N | udpflood ADDR PORT MS | delayed CPU S|D | alloc KB N\n");
	return 2;
}
