// SPDX-License-Identifier: GPL-2.0
/*
 * kheartbeat - the test VM's heartbeat: write the guest's uptime (as
 * /proc/uptime's first field) to TTY once a second, forever. guest/init
 * starts it; scripts/vm times the gaps between the lines in host time
 * and tells a stalled emulator from a slow test by them.
 *
 *   kheartbeat TTY
 *
 * It runs SCHED_FIFO at the lowest real-time priority, so that no
 * SCHED_NORMAL task of a test can delay it: a nice -20 shell loop got
 * only its weight's share of the CPU against the 13,000 runnable threads
 * of a test's exiting process (88761 against 1024 each: under 1%), and
 * its fork of sleep each second then took longer than the stall limit
 * under KASAN. Nor does it fork after it starts: one beater per online
 * CPU, each bound to its CPU, so that a kernel thread that keeps one CPU
 * without a preemption point (as the lockup experiment does) does not
 * hold up the beat; the host counts any beater's line. If the kernel
 * refuses SCHED_FIFO it says so and beats at nice -20.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* beat(): write the uptime to @fd once a second, forever */
static int beat(int fd)
{
	struct timespec now, second = { .tv_sec = 1 };
	char line[32];
	int n;

	for (;;) {
		/* /proc/uptime is CLOCK_BOOTTIME, to the hundredth */
		clock_gettime(CLOCK_BOOTTIME, &now);
		n = snprintf(line, sizeof(line), "%lld.%02ld\n",
			     (long long)now.tv_sec, now.tv_nsec / 10000000);
		if (write(fd, line, n) < 0 && errno != EINTR && errno != EAGAIN)
			return 1;
		nanosleep(&second, NULL);
	}
}

int main(int argc, char **argv)
{
	struct sched_param sp = { .sched_priority = 1 };
	long cpu, cpus = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: kheartbeat TTY\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "kheartbeat: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
		fprintf(stderr, "kheartbeat: SCHED_FIFO: %s; nice -20 instead\n",
			strerror(errno));
		setpriority(PRIO_PROCESS, 0, -20);
	}
	/* CPU 0 is this process's; a child for each other CPU */
	if (cpus < 1)
		cpus = 1;
	for (cpu = cpus - 1; cpu > 0; cpu--)
		if (fork() == 0)
			break;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (cpus > 1 && sched_setaffinity(0, sizeof(set), &set))
		fprintf(stderr, "kheartbeat: CPU %ld: %s\n", cpu, strerror(errno));
	return beat(fd);
}
