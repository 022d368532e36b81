// SPDX-License-Identifier: GPL-2.0
/*
 * kfuzz - throw malformed writes at one of kscope's control files and
 * check that each either took effect whole or failed with an errno the
 * file documents, leaving the file's state as it was.
 *
 *   kfuzz [-n N] [-s SEED] [-e ERRNOS] [-k PREFIXES] [-c COLS] [-m MAX]
 *         FILE CORPUS
 *
 *   -n N         writes to make after the corpus (default 10000)
 *   -s SEED      random seed (default 1); a run is repeatable from it
 *   -e ERRNOS    comma-separated errno names a failed write may give
 *                (default EINVAL)
 *   -k PREFIXES  comma-separated line prefixes: the file's state is its
 *                lines that begin with one of them (default: all lines)
 *   -c COLS      the state keeps only the first COLS whitespace-separated
 *                fields of each line: columns that other tasks change
 *                (a watched task exiting) are not the file's state
 *   -m MAX       the longest write the file accepts, in bytes: lengths
 *                around it are tried (default 512)
 *   CORPUS       one input per line, with C escapes (\n \t \\ \xNN);
 *                "%SELF%" stands for kfuzz's pid. Every line is written
 *                as it is first, then used as seeds for mutations, and
 *                its words are the dictionary for random token soups.
 *                Lines starting with '#' are comments.
 *
 * Each input is written with one write(2), sometimes only a prefix of
 * it (a partial write) and sometimes at an offset. A write
 * must return its whole length or fail with one of ERRNOS; after a
 * failed write the state read back must equal the state before. Every
 * violation prints the input in hex, ready for the corpus. The last
 * line is a summary; the exit status is 1 if anything was wrong.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include "kscope_test.h"	/* die() without HELPER_NAME: perror()'s format */

#define MAX_INPUT	(70 * 1024)
#define MAX_SEEDS	512
#define MAX_WORDS	2048
#define STATE_MAX	(256 * 1024)

struct input {
	unsigned char *buf;
	size_t len;
};

static struct input seeds[MAX_SEEDS];
static int nr_seeds;
static char *words[MAX_WORDS];
static int nr_words;
static const char *keep_prefixes;
static int keep_cols;
static int allowed[256];
static size_t max_len = 512;
static uint64_t rng = 1;

static const char *const boundaries[] = {
	"0", "1", "-1", "+1", "00", "007", "0x10", "1e3", "1.5", " 1", "1 ",
	"2", "9", "10", "63", "64", "65", "255", "256", "1023", "1024",
	"1025", "4096", "65535", "65536", "99999", "100000", "1000000",
	"1000001", "4194303", "4194304", "4194305", "86400000", "86400001",
	"2147483647", "2147483648", "-2147483648", "-2147483649",
	"4294967295", "4294967296", "9223372036854775807",
	"9223372036854775808", "18446744073709551615",
	"18446744073709551616", "-9223372036854775808",
	"999999999999999999999999999999999999999", "1K", "1M", "1G", "4T",
	"16E", "0K", "1k", "1MB", "K", "", "=", "==", "-", "+", ",",
	"::", "::1", "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3.4/33",
	"fe80::/129", "10.0.0.0/8", "/", "0/0", "kernel", "all", "nan", "inf",
};

static const char *const separators[] = {
	" ", " ", " ", ",", "\t", "\n", "=", "", "  ", "\r\n", "\0",
};

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t pick(size_t n)
{
	return n ? next_rand() % n : 0;
}

static void allow_errnos(const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;

	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int e = errno_by_name(tok);

		if (!e) {
			fprintf(stderr, "kfuzz: unknown errno '%s'\n", tok);
			exit(2);
		}
		allowed[e] = 1;
	}
	free(copy);
}

/* Decode one corpus line's escapes into @in; "%SELF%" becomes our pid. */
static void unescape(const char *line, struct input *in)
{
	char self[16];
	size_t n = 0;

	snprintf(self, sizeof(self), "%d", getpid());
	in->buf = malloc(strlen(line) * 2 + 16);
	if (!in->buf)
		die("malloc");
	while (*line) {
		if (!strncmp(line, "%SELF%", 6)) {
			memcpy(in->buf + n, self, strlen(self));
			n += strlen(self);
			line += 6;
		} else if (*line == '\\' && line[1]) {
			line++;
			switch (*line) {
			case 'n': in->buf[n++] = '\n'; break;
			case 't': in->buf[n++] = '\t'; break;
			case 'r': in->buf[n++] = '\r'; break;
			case '0': in->buf[n++] = '\0'; break;
			case 'x':
				in->buf[n++] = (unsigned char)strtoul(
					(char[]){ line[1], line[2], 0 }, NULL, 16);
				line += 2;
				break;
			default: in->buf[n++] = *line;
			}
			line++;
		} else {
			in->buf[n++] = *line++;
		}
	}
	in->len = n;
}

static void add_words(const struct input *in)
{
	char *copy = strndup((const char *)in->buf, in->len), *tok, *save = NULL;

	for (tok = strtok_r(copy, " \t\n,=", &save); tok && nr_words < MAX_WORDS;
	     tok = strtok_r(NULL, " \t\n,=", &save))
		words[nr_words++] = strdup(tok);
	free(copy);
}

static void load_corpus(const char *path)
{
	char line[8192];
	FILE *f = fopen(path, "r");

	if (!f)
		die(path);
	while (fgets(line, sizeof(line), f) && nr_seeds < MAX_SEEDS) {
		line[strcspn(line, "\n")] = 0;
		if (line[0] == '#')
			continue;
		unescape(line, &seeds[nr_seeds]);
		add_words(&seeds[nr_seeds]);
		nr_seeds++;
	}
	fclose(f);
	if (!nr_seeds) {
		fprintf(stderr, "kfuzz: %s: empty corpus\n", path);
		exit(2);
	}
}

static int keep_line(const char *line)
{
	const char *p = keep_prefixes;

	if (!p)
		return 1;
	while (*p) {
		size_t n = strcspn(p, ",");

		if (!strncmp(line, p, n))
			return 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* Cut @line after its first keep_cols fields, if -c was given. */
static void cut_cols(char *line)
{
	char *p = line;
	int i;

	if (!keep_cols)
		return;
	for (i = 0; i < keep_cols && *p; i++) {
		p += strspn(p, " \t");
		p += strcspn(p, " \t");
	}
	*p = 0;
}

/* The file's state: its lines that keep_line() keeps, into @out. */
static void read_state(const char *path, char *out)
{
	static char raw[STATE_MAX];
	size_t len = 0, o = 0;
	ssize_t n;
	char *line, *save = NULL;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die(path);
	while (len < sizeof(raw) - 1 &&
	       (n = read(fd, raw + len, sizeof(raw) - 1 - len)) > 0)
		len += n;
	close(fd);
	raw[len] = 0;
	for (line = strtok_r(raw, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!keep_line(line))
			continue;
		cut_cols(line);
		if (o + strlen(line) + 2 < STATE_MAX)
			o += sprintf(out + o, "%s\n", line);
	}
	out[o] = 0;
}

static void append(struct input *in, const void *p, size_t n)
{
	if (in->len + n > MAX_INPUT)
		n = MAX_INPUT - in->len;
	memcpy(in->buf + in->len, p, n);
	in->len += n;
}

static void append_str(struct input *in, const char *s)
{
	append(in, s, strlen(s));
}

/* Replace the first run of digits in @in with a boundary value. */
static void swap_number(struct input *in)
{
	static unsigned char tmp[MAX_INPUT];
	size_t i, j, tail, start = pick(in->len + 1);
	const char *b = boundaries[pick(ARRAY_SIZE(boundaries))];

	for (i = start; i < in->len && (in->buf[i] < '0' || in->buf[i] > '9'); i++)
		;
	if (i == in->len) {
		append_str(in, b);
		return;
	}
	for (j = i; j < in->len && in->buf[j] >= '0' && in->buf[j] <= '9'; j++)
		;
	tail = in->len - j;
	memcpy(tmp, in->buf + j, tail);
	in->len = i;
	append_str(in, b);
	append(in, tmp, tail);
}

static void mutate_bytes(struct input *in)
{
	int n = 1 + pick(4);

	while (n--) {
		size_t at = pick(in->len + 1);

		switch (pick(3)) {
		case 0:		/* flip */
			if (at < in->len)
				in->buf[at] ^= 1u << pick(8);
			break;
		case 1:		/* insert */
			if (in->len < MAX_INPUT) {
				memmove(in->buf + at + 1, in->buf + at, in->len - at);
				in->buf[at] = pick(256);
				in->len++;
			}
			break;
		default:	/* delete */
			if (at < in->len) {
				memmove(in->buf + at, in->buf + at + 1, in->len - at - 1);
				in->len--;
			}
		}
	}
}

static void token_soup(struct input *in)
{
	int n = 1 + pick(10);

	while (n--) {
		const char *sep = separators[pick(ARRAY_SIZE(separators))];

		if (pick(3))
			append_str(in, words[pick(nr_words)]);
		else
			append_str(in, boundaries[pick(ARRAY_SIZE(boundaries))]);
		if (!pick(4)) {
			append_str(in, "=");
			append_str(in, boundaries[pick(ARRAY_SIZE(boundaries))]);
		}
		append(in, sep, *sep ? strlen(sep) : 1);
	}
}

/* Lengths at and around the file's limit, and far past it. */
static void overlong(struct input *in)
{
	static const long deltas[] = { -2, -1, 0, 1, 2 };
	size_t target;

	switch (pick(3)) {
	case 0:
		target = max_len + deltas[pick(5)];
		break;
	case 1:
		target = 4096 + deltas[pick(5)];
		break;
	default:
		target = 65536;
	}
	if (target > MAX_INPUT)
		target = MAX_INPUT;
	while (in->len < target) {
		const struct input *s = &seeds[pick(nr_seeds)];

		append(in, " ", 1);
		append(in, s->buf, s->len < target - in->len ? s->len : target - in->len);
	}
	in->len = target;
}

/* Make the next input; returns how many bytes of it to write. */
static size_t make_input(struct input *in)
{
	const struct input *s = &seeds[pick(nr_seeds)];
	size_t i;

	in->len = 0;
	switch (pick(10)) {
	case 0:		/* binary */
		for (i = pick(80); i; i--)
			in->buf[in->len++] = pick(256);
		break;
	case 1:		/* printable noise */
		for (i = pick(600); i; i--)
			in->buf[in->len++] = ' ' + pick(95);
		break;
	case 2:		/* a valid seed as it is */
		append(in, s->buf, s->len);
		break;
	case 3:		/* a seed, written partially */
		append(in, s->buf, s->len);
		return pick(in->len + 1);
	case 4:
		append(in, s->buf, s->len);
		mutate_bytes(in);
		break;
	case 5:
		token_soup(in);
		break;
	case 6:
		append(in, s->buf, s->len);
		swap_number(in);
		break;
	case 7:
		append(in, s->buf, s->len);
		overlong(in);
		break;
	case 8:		/* two commands, or trailing garbage */
		append(in, s->buf, s->len);
		append_str(in, pick(2) ? "\n" : " ");
		s = &seeds[pick(nr_seeds)];
		append(in, s->buf, s->len);
		break;
	default:
		append(in, s->buf, s->len);
		swap_number(in);
		mutate_bytes(in);
	}
	return in->len;
}

static void print_input(const char *why, const struct input *in, size_t len)
{
	size_t i;

	printf("# kfuzz: %s; input (%zu of %zu bytes): ", why, len, in->len);
	for (i = 0; i < len && i < 200; i++) {
		unsigned char c = in->buf[i];

		if (c >= ' ' && c < 127 && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	printf("%s\n", len > 200 ? "..." : "");
}

int main(int argc, char **argv)
{
	static char before[STATE_MAX], after[STATE_MAX];
	long n = 10000, done, ok = 0, bad = 0, errs[256] = { 0 };
	struct input in;
	const char *path;
	int opt, fd, e;

	allow_errnos("EINVAL");
	while ((opt = getopt(argc, argv, "n:s:e:k:c:m:")) != -1) {
		switch (opt) {
		case 'n': n = atol(optarg); break;
		case 's': rng = strtoull(optarg, NULL, 0) | 1; break;
		case 'e': allow_errnos(optarg); break;
		case 'k': keep_prefixes = optarg; break;
		case 'c': keep_cols = atoi(optarg); break;
		case 'm': max_len = atol(optarg); break;
		default:
			fprintf(stderr, "usage: kfuzz [-n N] [-s SEED] [-e ERRNOS] [-k PREFIXES] [-c COLS] [-m MAX] FILE CORPUS\n");
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "kfuzz: FILE and CORPUS needed\n");
		return 2;
	}
	path = argv[optind];
	load_corpus(argv[optind + 1]);
	in.buf = malloc(MAX_INPUT + 1);
	if (!in.buf)
		die("malloc");
	fd = open(path, O_WRONLY);
	if (fd < 0)
		die(path);

	read_state(path, before);
	for (done = 0; done < nr_seeds + n; done++) {
		size_t len;
		ssize_t ret;

		if (done < nr_seeds) {
			in.len = 0;
			append(&in, seeds[done].buf, seeds[done].len);
			len = in.len;
		} else {
			len = make_input(&in);
		}
		/* procfs writes ignore the offset; try some elsewhere */
		if (lseek(fd, pick(16) ? 0 : (off_t)pick(1 << 20), SEEK_SET) < 0)
			die("lseek");
		ret = write(fd, in.buf, len);
		e = errno;
		if (ret == (ssize_t)len) {
			ok++;
			read_state(path, before);
			continue;
		}
		if (ret >= 0) {
			bad++;
			printf("# kfuzz: wrote %zd of %zu bytes\n", ret, len);
			print_input("short write", &in, len);
			read_state(path, before);
			continue;
		}
		errs[e & 255]++;
		if (!allowed[e & 255]) {
			bad++;
			print_input(errno_name(e), &in, len);
		}
		read_state(path, after);
		if (strcmp(before, after)) {
			bad++;
			print_input("state changed by a failed write", &in, len);
			printf("# before:\n%s# after:\n%s", before, after);
			strcpy(before, after);
		}
	}
	close(fd);

	printf("kfuzz %s: %ld writes (%d from the corpus), %ld applied", path,
	       done, nr_seeds, ok);
	print_errno_counts(errs);
	printf(", %ld wrong\n", bad);
	return bad ? 1 : 0;
}
