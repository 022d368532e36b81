/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fmt.h - writing lines and columns to a seq_file (module/fmt.c)
 * without seq_printf()'s format parsing.
 *
 * kscope's files write their "name: value" lines and their unsigned or
 * text columns with these, plus seq_puts(), seq_putc() and
 * seq_put_decimal_ull() for the pieces between. seq_printf() is left
 * where these have no equivalent that prints the same bytes:
 *
 * - hexadecimal (the raw state word in state, the hung rows, cg_list's
 *   css_set id): seq_put_hex_ll() is not exported on 6.1;
 * - zero-padded decimals ("%06u" in hung_history, "%02lld" in sched's
 *   wait_share_pct) and kernel symbols ("%pS" in hung's stacks);
 * - table rows with signed columns: tasks, loadavg, hung, hung_history,
 *   watch and netfilter/rules ("%7d" pids, "%12lld" counters); there is
 *   no signed column helper;
 * - lines written once per read: the table headers, the version file
 *   and cg_list's v1 hierarchy lines.
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
