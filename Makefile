# SPDX-License-Identifier: GPL-2.0
#
# kscope
#
#   make               build kscope.ko for KDIR: the running kernel's
#                      build tree if it has one, else Debian's 6.1
#                      headers (installed by scripts/setup)
#   make check         W=1 + sparse builds, checkpatch --strict, codespell
#   make test          check, KUnit and integration tests on Debian's
#                      kernel and on the debug kernel, in QEMU
#   make bench         kscope against ps, busybox ps, a C /proc reader
#                      and the kernel's own files, in one QEMU VM on
#                      Debian's kernel (scripts/bench; not part of test)
#   make demo          boot the test VM, load kscope, show its files and
#                      an experiment
#   make vm            interactive shell in the test VM with kscope
#                      loaded (KERNEL=stock or debug)
#   make install       install kscope.ko for KDIR's kernel (modules_install)
#   make clean

KERNEL ?= stock
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
ifeq ($(origin KDIR),undefined)
KDIR := $(if $(wildcard $(RUNNING_KDIR)/Makefile),$(RUNNING_KDIR))
endif

# Without a build tree for the running kernel, fall back to Debian's
# 6.1 headers, installing them first if needed.
define resolve_kdir
kdir="$(KDIR)"; \
if [ -z "$$kdir" ]; then \
	scripts/setup headers && \
	kdir=$$(scripts/setup --env | sed -n 's/^KSCOPE_STOCK_KDIR=//p'); \
fi
endef

all: modules

modules modules_install clean:
	@$(resolve_kdir); $(MAKE) -C "$$kdir" M=$(CURDIR) $@

install: modules_install

check:
	@scripts/setup tools headers
	@scripts/check

test:
	@scripts/test

demo:
	@scripts/demo

bench:
	@scripts/bench

vm:
	@scripts/setup tools headers $(KERNEL)
	@scripts/build $(KERNEL)
	@scripts/vm --kernel $(KERNEL) --ko build/$(KERNEL) --interactive

distclean: clean
	rm -rf build

.PHONY: all modules modules_install install clean distclean check test demo vm bench
