/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fmt.h - writing lines and columns to a seq_file (module/fmt.c)
 * without seq_printf()'s format parsing.
 */
#ifndef _KSCOPE_FMT_H
#define _KSCOPE_FMT_H

#include <linux/types.h>

struct file;
struct seq_file;

void kscope_seq_u64(struct seq_file *m, const char *name, u64 v);
void kscope_seq_s64(struct seq_file *m, const char *name, s64 v);
void kscope_seq_str(struct seq_file *m, const char *name, const char *s);
void kscope_seq_u64_width(struct seq_file *m, u64 v, unsigned int width);
void kscope_seq_str_width(struct seq_file *m, const char *s, int width);
void kscope_seq_comm(struct seq_file *m, const char *comm);
int kscope_seq_presize(struct file *file, size_t size);

#endif /* _KSCOPE_FMT_H */
