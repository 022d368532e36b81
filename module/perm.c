// SPDX-License-Identifier: GPL-2.0
/*
 * perm.c - who may change kscope: the checks every control file makes.
 *
 * Control files (watch, hung, the injectors, ...) are mode 0666 so that
 * an unprivileged writer gets a clear EPERM from kscope, with a line in
 * the log saying why, instead of the EACCES of a mode check. Writing
 * needs CAP_SYS_ADMIN in the initial user namespace, checked when the
 * file is opened for writing and again, against the opener's
 * credentials, at every write, so that a descriptor passed to an
 * unprivileged process or opened in a user namespace is no way in.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>

#include "kscope.h"

/**
 * kscope_may_open() - check an open of a control file
 * @file: the file being opened
 * @what: the file's name, for the log
 *
 * Return: 0, or -EPERM if it is opened for writing without
 * CAP_SYS_ADMIN.
 */
int kscope_may_open(struct file *file, const char *what)
{
	if (!(file->f_mode & FMODE_WRITE) || capable(CAP_SYS_ADMIN))
		return 0;
	pr_info_ratelimited("%s: open for writing by uid %u refused: needs CAP_SYS_ADMIN\n",
			    what, from_kuid(&init_user_ns, current_uid()));
	return -EPERM;
}

/**
 * kscope_may_write() - check a write to a control file
 * @file: the file written to
 * @what: the file's name, for the log
 *
 * Return: 0, or -EPERM if whoever opened @file lacks CAP_SYS_ADMIN.
 */
int kscope_may_write(struct file *file, const char *what)
{
	if (file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN))
		return 0;
	pr_info_ratelimited("%s: write by uid %u refused: needs CAP_SYS_ADMIN\n",
			    what, from_kuid(&init_user_ns, current_uid()));
	return -EPERM;
}
