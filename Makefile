# SPDX-License-Identifier: GPL-2.0
#
#   make            build paxos.ko, the KUnit module and the tool
#   make check      everything: deps, kernel, build, checks, KUnit, VM tests
#   make demo       the demo (see README.md)
#   make bench      the benchmark (one VM on the stock kernel; build/bench/)
#   make deps       install the Debian packages the build and tests need
#   make kernel     build (once; cached) the debug test kernel
#   make stock      build the module against Debian's stock 6.12 headers
#   make gen        regenerate the netlink code from netlink/specs/
#
# KDIR is the kernel build tree to build against; it defaults to the cached
# test kernel.  Each kernel gets its own copy of the sources under build/, so
# building for two kernels never mixes objects.

PROJECT := $(CURDIR)
HARNESS := $(PROJECT)/tests/harness
STOCK_KDIR = $(lastword $(sort $(wildcard /usr/src/linux-headers-6.12.*+deb12-amd64)))
KDIR ?= $(shell $(HARNESS)/kernel.sh dir)
BUILD = $(PROJECT)/build/$(notdir $(KDIR))
KSRC = $(lastword $(sort $(wildcard $(or $(PAXOS_CACHE),/var/cache/paxos)/src-*/linux-source-6.12)))

# Debian packages: compilers and kernel build tools, QEMU, the stock
# kernel with its headers, the kernel source, and what the tests use.
DEPS := build-essential bc bison flex libelf-dev libssl-dev dwarves kmod \
	cpio xz-utils rsync busybox-static qemu-system-x86 iproute2 \
	python3 python3-yaml python3-jsonschema libmnl-dev pkg-config sparse \
	linux-source-6.12 linux-image-6.12-amd64 linux-headers-6.12-amd64

SOURCES := Kbuild $(wildcard kmod/* kunit/*.c kunit/*.h kunit/Kbuild uapi/*/*)

.PHONY: all modules stock tool deps kernel check demo gen gen-check clean

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
