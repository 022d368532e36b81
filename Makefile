# SPDX-License-Identifier: GPL-2.0
#
# kscope
#
#   make               build kscope.ko for KDIR: the running kernel's
#                      build tree if it has one, else Debian's 6.1
#                      headers (installed by scripts/setup)
#   make check         W=1 + sparse builds (stock, cloud, rt headers),
#                      modinfo, checkpatch --strict, codespell
#   make test          check, DKMS, KUnit and integration tests on
#                      Debian's generic and rt kernels and on the debug
#                      kernel, in QEMU
#   make stress        the stress test alone, on the debug kernel
#                      (KSCOPE_STRESS_SECS=N to run longer than 60 s)
#   make bench         kscope against ps, busybox ps, a C /proc reader
#                      and the kernel's own files, in one QEMU VM on
#                      Debian's kernel (scripts/bench; not part of test)
#   make demo          boot the test VM, load kscope, show its files and
#                      an experiment
#   make vm            interactive shell in the test VM with kscope
#                      loaded (KERNEL=stock or debug)
#   make install       install kscope.ko for KDIR's kernel (modules_install)
#   make dkms-install  register kscope with DKMS, build and install it for
#                      KVER (default: the running kernel), e.g.
#                      make dkms-install KVER=6.1.0-56-amd64
#   make dkms-remove   remove kscope from DKMS (every kernel) and its
#                      sources from /usr/src
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

# DKMS keeps its own copy of the sources in /usr/src/kscope-<version> and
# rebuilds from it for every kernel installed later (AUTOINSTALL).
KVER ?= $(shell uname -r)
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
DKMS_SRC := /usr/src/kscope-$(DKMS_VERSION)
DKMS_FILES := dkms.conf Makefile Kbuild module include kunit

dkms-install: dkms-remove
	@command -v dkms >/dev/null || { echo "dkms missing: apt-get install dkms" >&2; exit 1; }
	@test -f /lib/modules/$(KVER)/build/Makefile || \
		{ echo "no headers for $(KVER): apt-get install linux-headers-$(KVER)" >&2; exit 1; }
	mkdir -p $(DKMS_SRC)
	cp -r $(DKMS_FILES) $(DKMS_SRC)/
	dkms add kscope/$(DKMS_VERSION)
	dkms build kscope/$(DKMS_VERSION) -k $(KVER)
	dkms install kscope/$(DKMS_VERSION) -k $(KVER)

dkms-remove:
	@if command -v dkms >/dev/null && [ -n "$$(dkms status kscope/$(DKMS_VERSION))" ]; then \
		echo "dkms remove kscope/$(DKMS_VERSION) --all"; \
		dkms remove kscope/$(DKMS_VERSION) --all; \
	fi
	rm -rf $(DKMS_SRC)

check:
	@scripts/setup tools headers flavours
	@scripts/check

test:
	@scripts/test

stress:
	@KSCOPE_STAGES="setup stress" scripts/test

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

.PHONY: all modules modules_install install clean distclean check test stress demo vm \
	dkms-install dkms-remove bench
