# SPDX-License-Identifier: GPL-2.0
#
#   make            build paxos.ko, the KUnit module and the tool
#   make check      everything: deps, kernel, build, checks, KUnit, VM tests
#   make demo       the demo (see README.md)
#   make bench      the benchmark (one VM on the stock kernel; build/bench/)
#   make deps       install the Debian packages the build and tests need
#   make kernel     build (once; cached) the debug test kernel
#   make stock      build the module against Debian's stock 6.12 headers
#   make stock61    build the module against Debian 12's default 6.1 headers
#   make gen        regenerate the netlink code from netlink/specs/
#   make dkms-install   install the module's sources under /usr/src and
#                   build and install it with DKMS (dkms-uninstall undoes it)
#   make deb        the paxos-dkms and paxosctl packages, in build/deb/
#
# KDIR is the kernel build tree to build against; it defaults to the cached
# test kernel.  Each kernel gets its own copy of the sources under build/, so
# building for two kernels never mixes objects.

PROJECT := $(CURDIR)
HARNESS := $(PROJECT)/tests/harness
STOCK_KDIR = $(lastword $(sort $(wildcard /usr/src/linux-headers-6.12.*+deb12-amd64)))
STOCK61_KDIR = $(lastword $(sort $(wildcard /usr/src/linux-headers-6.1.0-*-amd64)))
KDIR ?= $(shell $(HARNESS)/kernel.sh dir)
BUILD = $(PROJECT)/build/$(notdir $(KDIR))
KSRC = $(lastword $(sort $(wildcard $(or $(PAXOS_CACHE),/var/cache/paxos)/src-*/linux-source-6.12)))

# Debian packages: compilers and kernel build tools, QEMU, the stock
# kernels with their headers (6.12, and Debian 12's default 6.1 through
# the linux-image-amd64 and linux-headers-amd64 metapackages: the newest
# 6.1.0-N), the kernel source, and what the tests use.
DEPS := build-essential bc bison flex libelf-dev libssl-dev dwarves kmod \
	cpio xz-utils rsync busybox-static qemu-system-x86 iproute2 \
	python3 python3-yaml python3-jsonschema python3-docutils libmnl-dev \
	pkg-config sparse \
	linux-source-6.12 linux-image-6.12-amd64 linux-headers-6.12-amd64 \
	linux-image-amd64 linux-headers-amd64 \
	dkms dh-dkms debhelper lintian

SOURCES := Kbuild $(wildcard kmod/* kunit/*.c kunit/*.h kunit/Kbuild uapi/*/*)

.PHONY: all modules stock stock61 dkms-src dkms-install dkms-uninstall deb tool deps kernel check demo gen gen-check clean

all: modules tool

modules: deps
	@mkdir -p $(BUILD)
	rsync -a --delete --exclude build --exclude .git --exclude host \
		--exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
		--exclude '*.mod' --exclude '*.mod.c' --exclude modules.order \
		--exclude Module.symvers \
		--include Kbuild --include 'kmod/***' --include 'kunit/***' \
		--include 'uapi/***' --exclude '*' ./ $(BUILD)/
	$(MAKE) -C $(KDIR) M=$(BUILD) W=1 modules

stock: deps
	$(MAKE) modules KDIR=$(STOCK_KDIR)

stock61: deps
	$(MAKE) modules KDIR=$(STOCK61_KDIR)

# DKMS: the sources a DKMS build needs, under $(DESTDIR)/usr/src (the
# package's install step uses this too), then dkms add, build, install for
# DKMS_KERNELS (default: the running kernel).
DKMS_VERSION = $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(PROJECT)/dkms.conf)
DKMS_SRC = $(DESTDIR)/usr/src/paxos-$(DKMS_VERSION)
DKMS_KERNELS ?= $(shell uname -r)

dkms-src:
	install -d $(DKMS_SRC)/kmod $(DKMS_SRC)/uapi/linux
	install -m 0644 dkms.conf $(DKMS_SRC)/
	install -m 0644 kmod/Kbuild kmod/*.c kmod/*.h $(DKMS_SRC)/kmod/
	install -m 0644 uapi/linux/*.h $(DKMS_SRC)/uapi/linux/

dkms-install: dkms-src
	dkms add -m paxos -v $(DKMS_VERSION)
	for k in $(DKMS_KERNELS); do \
		dkms build -m paxos -v $(DKMS_VERSION) -k $$k && \
		dkms install -m paxos -v $(DKMS_VERSION) -k $$k || exit 1; \
	done

dkms-uninstall:
	-dkms remove -m paxos -v $(DKMS_VERSION) --all
	rm -rf $(DKMS_SRC)

# Debian packages with Debian's tooling (debian/): binary only, unsigned,
# then lintian.  The packages land in build/deb/.
deb:
	rm -rf build/deb && mkdir -p build/deb/src
	git ls-files -co --exclude-standard | \
		rsync -a --files-from=- ./ build/deb/src/
	cd build/deb/src && dpkg-buildpackage -b -us -uc
	lintian --fail-on error,warning build/deb/*.changes

tool:
	@if [ -f userspace-tool/Makefile ]; then $(MAKE) -C userspace-tool; fi

deps:
	@missing=$$(for p in $(DEPS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "deps: installing$$(echo $$missing | sed 's/^/ /')"; \
		apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $$missing; \
	fi

kernel: deps
	$(HARNESS)/kernel.sh build

check: deps
	$(HARNESS)/check.sh

demo: deps
	$(HARNESS)/demo.sh

# The benchmark's programs (tests/bench/), built for the host and run in the
# VM; `make bench` runs tests/harness/bench.sh (see README.md, Benchmark).
BENCH_BIN := $(PROJECT)/build/bench/bin
BENCH_CFLAGS := -O2 -Wall -Wextra -std=gnu11 -I$(PROJECT)/uapi -pthread
.PHONY: bench bench-tools

bench-tools: $(BENCH_BIN)/loadgen $(BENCH_BIN)/udpping

$(BENCH_BIN)/%: tests/bench/%.c uapi/linux/paxos_dev.h
	@mkdir -p $(BENCH_BIN)
	$(CC) $(BENCH_CFLAGS) -o $@ $<

bench: deps stock tool bench-tools
	$(HARNESS)/bench.sh $(BENCH_ARGS)

gen:
	netlink/gen.sh

gen-check:
	netlink/gen.sh --check

clean:
	rm -rf build
	@if [ -f userspace-tool/Makefile ]; then $(MAKE) -C userspace-tool clean; fi
