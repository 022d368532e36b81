# SPDX-License-Identifier: GPL-2.0
#
# kscope
#
#   make               build kscope.ko for KDIR: the running kernel's
#                      build tree if it has one, else Debian's 6.1
#                      headers (installed by scripts/setup)
#   make check         W=1 + sparse builds (Debian's 6.1 and 6.12 headers,
#                      generic, cloud, rt; the debug kernels), modinfo,
#                      checkpatch --strict, codespell
#   make test          check, DKMS, KUnit and integration tests on
#                      Debian's 6.1 and 6.12 generic and rt kernels and on
#                      the 6.12 debug kernel, in QEMU
#                      (Documentation/testing.rst)
#   make stress        the stress test alone, on the 6.12 debug kernel
#                      (KSCOPE_STRESS_SECS=N to run longer than 60 s;
#                      the one-hour soak is KSCOPE_STRESS_SECS=3600)
#   make fuzz          t91 alone on the 6.12 debug kernel, 100,000
#                      writes per writable file (KSCOPE_FUZZ=N); both
#                      keep their results in build/long/ for
#                      scripts/docs figures
#   make bench         kscope against ps, busybox ps, a C /proc reader
#                      and the kernel's own files, in one QEMU VM on
#                      Debian's kernel (scripts/bench; not part of test)
#   make demo          boot the test VM, load kscope, show its files and
#                      an experiment
#   make man           the manual page build/man/kscope.7 from
#                      Documentation/ (scripts/docs man)
#   make vm            interactive shell in the test VM with kscope
#                      loaded (KERNEL=stock, rt, stock612, rt612, debug
#                      or debug612)
#   make install       install kscope.ko for KDIR's kernel (modules_install)
#   make dkms-install  register kscope with DKMS, build and install it for
#                      KVER (default: the running kernel), e.g.
#                      make dkms-install KVER=6.1.0-56-amd64
#   make dkms-remove   remove kscope from DKMS (every kernel) and its
#                      sources from /usr/src
#   make deb           the Debian package build/deb/kscope-dkms_<version>_all.deb
#                      (debhelper, dh-dkms; lintian run on it): install it
#                      with apt-get install ./build/deb/kscope-dkms_*.deb
#   make clean

KERNEL ?= stock
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
ifeq ($(origin KDIR),undefined)
KDIR := $(if $(wildcard $(RUNNING_KDIR)/Makefile),$(RUNNING_KDIR))
endif

# Without a build tree for the running kernel, use Debian's 6.1 headers
# if scripts/setup has installed them; never install anything here.
define resolve_kdir
kdir="$(KDIR)"; \
if [ -z "$$kdir" ]; then \
	eval "$$(scripts/setup --env)"; kdir=$$KSCOPE_STOCK_KDIR; \
fi; \
if [ -z "$$kdir" ]; then \
	echo "No kernel build tree: /lib/modules/$$(uname -r)/build is missing." >&2; \
	echo "Install your kernel's headers (apt-get install linux-headers-$$(uname -r))," >&2; \
	echo "or Debian's 6.1 headers with: sudo scripts/setup headers" >&2; \
	exit 1; \
fi
endef

# The version's one source is KSCOPE_VERSION in include/kscope.h.
VERSION := $(shell sed -n 's/^\#define KSCOPE_VERSION[[:space:]]*"\(.*\)"$$/\1/p' include/kscope.h)

all: modules

modules modules_install clean:
	@$(resolve_kdir); $(MAKE) -C "$$kdir" M=$(CURDIR) $@

install: modules_install

# DKMS keeps its own copy of the sources in /usr/src/kscope-<version> and
# rebuilds from it for every kernel installed later (AUTOINSTALL). Its
# dkms.conf is made from dkms.conf.in with the module's version.
KVER ?= $(shell uname -r)
DKMS_SRC := /usr/src/kscope-$(VERSION)
DKMS_FILES := Makefile Kbuild module include kunit

dkms-install: dkms-remove
	@command -v dkms >/dev/null || { echo "dkms missing: apt-get install dkms" >&2; exit 1; }
	@test -f /lib/modules/$(KVER)/build/Makefile || \
		{ echo "no headers for $(KVER): apt-get install linux-headers-$(KVER)" >&2; exit 1; }
	mkdir -p $(DKMS_SRC)
	cp -r $(DKMS_FILES) $(DKMS_SRC)/
	sed 's/@VERSION@/$(VERSION)/' dkms.conf.in > $(DKMS_SRC)/dkms.conf
	dkms add kscope/$(VERSION)
	dkms build kscope/$(VERSION) -k $(KVER)
	dkms install kscope/$(VERSION) -k $(KVER)

dkms-remove:
	@if command -v dkms >/dev/null && [ -n "$$(dkms status kscope/$(VERSION))" ]; then \
		echo "dkms remove kscope/$(VERSION) --all"; \
		dkms remove kscope/$(VERSION) --all; \
	fi
	rm -rf $(DKMS_SRC)

version:
	@echo $(VERSION)

deb:
	@scripts/deb

check:
	@scripts/setup tools headers flavours
	@scripts/check

test:
	@scripts/test

stress:
	@KSCOPE_STAGES="setup stress612" scripts/test

fuzz:
	@KSCOPE_STAGES="setup fuzz612" scripts/test

demo:
	@scripts/demo

bench:
	@scripts/bench

# the manual page build/man/kscope.7, from Documentation/ (docutils)
man:
	@scripts/docs man

vm:
	@scripts/setup tools headers $(KERNEL)
	@scripts/build $(KERNEL)
	@scripts/vm --kernel $(KERNEL) --ko build/$(KERNEL) --interactive

distclean: clean
	rm -rf build

.PHONY: all modules modules_install install clean distclean check test stress fuzz demo vm version \
	dkms-install dkms-remove bench man deb
