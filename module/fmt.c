// SPDX-License-Identifier: GPL-2.0
/*
 * fmt.c - the pieces kscope's files are written with.
 *
 * Most kscope files are "name: value" lines, sixty of them in a task's
 * sched file, and a few are tables. seq_printf() parses its format
 * string for every line, which is most of what a read of such a file
 * costs; these write the same text with seq_puts() and
 * seq_put_decimal_*(), as /proc/<pid>/status does, so that the files a
 * tool reads for every task cost less than the kernel files they stand
 * in for. And the buffer they are written into: one read() returns at
 * most one seq_file buffer, a page unless the file asks for more.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kscope_compat.h"
#include "fmt.h"

/* "@name: @v\n" */
void kscope_seq_u64(struct seq_file *m, const char *name, u64 v)
{
	seq_puts(m, name);
	seq_put_decimal_ull(m, ": ", v);
	seq_putc(m, '\n');
}
EXPORT_SYMBOL_IF_KUNIT(kscope_seq_u64);

/*
 * "@name: @v\n". Not seq_put_decimal_ll(), which on 6.1 negates its
 * argument in place and so prints S64_MIN as "-0".
 */
void kscope_seq_s64(struct seq_file *m, const char *name, s64 v)
{
	seq_puts(m, name);
	seq_puts(m, v < 0 ? ": -" : ": ");
	seq_put_decimal_ull(m, "", v < 0 ? -(u64)v : v);
	seq_putc(m, '\n');
}
EXPORT_SYMBOL_IF_KUNIT(kscope_seq_s64);

/* "@name: @s\n" */
void kscope_seq_str(struct seq_file *m, const char *name, const char *s)
{
	seq_puts(m, name);
	seq_puts(m, ": ");
	seq_puts(m, s);
	seq_putc(m, '\n');
}
EXPORT_SYMBOL_IF_KUNIT(kscope_seq_str);

static void kscope_seq_spaces(struct seq_file *m, unsigned int n)
{
	while (n--)
		seq_putc(m, ' ');
}

/**
 * kscope_seq_u64_width() - @v right-aligned in @width columns, as "%*llu"
 * @m: output
 * @v: the number
 * @width: columns; a wider number takes what it needs
 */
void kscope_seq_u64_width(struct seq_file *m, u64 v, unsigned int width)
{
	unsigned int digits = 1;
	u64 rest = v;

	while (rest >= 10) {
		rest = div_u64(rest, 10);
		digits++;
	}
	if (width > digits)
		kscope_seq_spaces(m, width - digits);
	seq_put_decimal_ull(m, "", v);
}
EXPORT_SYMBOL_IF_KUNIT(kscope_seq_u64_width);

/**
 * kscope_seq_str_width() - @s padded to @width columns, as "%*s"
 * @m: output
 * @s: the text
 * @width: columns; positive pads on the left, negative on the right
 */
void kscope_seq_str_width(struct seq_file *m, const char *s, int width)
{
	unsigned int len = strlen(s), w = abs(width);

	if (width > 0 && w > len)
		kscope_seq_spaces(m, w - len);
	seq_puts(m, s);
	if (width < 0 && w > len)
		kscope_seq_spaces(m, w - len);
}
EXPORT_SYMBOL_IF_KUNIT(kscope_seq_str_width);

/**
 * kscope_seq_comm() - a command name with " \t\n\\" escaped, as
 * seq_escape(m, comm, " \t\n\\") writes it
 * @m: output
 * @comm: the name
 *
 * Escaping goes byte by byte; almost no name needs it, so those that
 * do not are written whole.
 */
void kscope_seq_comm(struct seq_file *m, const char *comm)
{
	static const char esc[] = " \t\n\\";

	if (strpbrk(comm, esc))
		seq_escape(m, comm, esc);
	else
		seq_puts(m, comm);
}
EXPORT_SYMBOL_IF_KUNIT(kscope_seq_comm);

/**
 * kscope_seq_presize() - give a file just opened by seq_open() a buffer
 * of @size bytes, as single_open_size() does
 * @file: the file
 * @size: bytes; one read() returns up to this much
 *
 * For the files that list many tasks: with seq_file's one page, 10,000
 * threads in "tasks" take 260 reads. The buffer is charged to the
 * reader's memory cgroup and freed by seq_release().
 *
 * Return: 0 or -ENOMEM (the caller releases the seq_file).
 */
int kscope_seq_presize(struct file *file, size_t size)
{
	struct seq_file *m = file->private_data;
	void *buf = kvmalloc(size, GFP_KERNEL_ACCOUNT);

	if (!buf)
		return -ENOMEM;
	m->buf = buf;
	m->size = size;
	return 0;
}
