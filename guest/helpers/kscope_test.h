/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kscope_test.h - what the helpers that kscope's tests and benchmarks
 * run inside the VM (ktest, kfuzz, kstress, kbench) have in common.
 *
 * Header only, all static inline: every helper stays one .c file that
 * builds with one "gcc -static ... -o X X.c" and includes this from
 * the same directory. Define _GNU_SOURCE before including it.
 *
 * A helper may define HELPER_NAME ("ktest") before including it;
 * die()'s messages then begin with it.
 */
#ifndef KSCOPE_TEST_H
#define KSCOPE_TEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* "HELPER_NAME: WHAT: strerror(errno)" on stderr, then exit 2 */
static inline __attribute__((noreturn)) void die(const char *what)
{
#ifdef HELPER_NAME
	fprintf(stderr, HELPER_NAME ": %s: %s\n", what, strerror(errno));
#else
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
#endif
	exit(2);
}

/* errno E's name, "EINVAL"; "E?" for a number that has none */
static inline const char *errno_name(int e)
{
	const char *name = strerrorname_np(e);

	return name ? name : "E?";
}

/* the errno (1 to 255) called NAME, or 0 if none is */
static inline int errno_by_name(const char *name)
{
	int e;

	for (e = 1; e < 256; e++)
		if (strerrorname_np(e) && !strcmp(strerrorname_np(e), name))
			return e;
	return 0;
}

/* ", NAME COUNT" for every errno counted in ERRS[256], in errno order */
static inline void print_errno_counts(const long *errs)
{
	int e;

	for (e = 1; e < 256; e++)
		if (errs[e])
			printf(", %s %ld", errno_name(e), errs[e]);
}

/* CLOCK's time in ns */
static inline long long clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline long long now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/*
 * ADDR PORT as a socket address in @ss; IPv6 if ADDR has a ':'. An
 * ADDR that is not an address dies with its text.
 */
static inline socklen_t udp_addr(const char *addr, int port,
				 struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (strchr(addr, ':')) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, addr, &s6->sin6_addr) != 1)
			die(addr);
		return sizeof(*s6);
	}
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	if (inet_pton(AF_INET, addr, &s4->sin_addr) != 1)
		die(addr);
	return sizeof(*s4);
}

enum udp_end { UDP_CONNECT, UDP_BIND };

/*
 * A UDP socket connected to, or bound to, ADDR PORT. Bound to an IPv6
 * address it takes IPv4 as well: "::" is every address of both.
 */
static inline int udp_socket(const char *addr, int port, enum udp_end end)
{
	struct sockaddr_storage ss;
	socklen_t len = udp_addr(addr, port, &ss);
	int fd = socket(ss.ss_family, SOCK_DGRAM, 0), off = 0;

	if (fd < 0)
		die("socket");
	if (end == UDP_CONNECT) {
		if (connect(fd, (struct sockaddr *)&ss, len))
			die("connect");
		return fd;
	}
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	if (bind(fd, (struct sockaddr *)&ss, len))
		die("bind");
	return fd;
}

#endif /* KSCOPE_TEST_H */
