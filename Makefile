# trustmgr - build, test, install.
#   make            build build/trustmgr
#   make check      unit tests (Check) and command line scenario tests
#   make asan       the whole suite again under AddressSanitizer + UBSan
#   make valgrind   the suite (integration included) under valgrind memcheck
#   make fuzz       libFuzzer targets (clang) for FUZZ_SECONDS each: docs/FUZZING.md
#   make check-all  what CI runs: check, asan, valgrind, fuzz (FUZZ_CI_SECONDS
#                   each) and bench-short; docs/ROBUSTNESS.md
#   make bench      benchmarks against ldapsearch/ldapadd/kadmin/kinit/kvno on a
#                   lab (docs/PERFORMANCE.md); bench-short: the quick CI version
#   make install    PREFIX=/usr/local DESTDIR=
# BUILD selects the output folder; SAN adds sanitizer flags (used by `asan`).

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
BUILD     ?= build
CC        ?= cc
PKG_CONFIG ?= pkg-config

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wcast-qual -Wwrite-strings -Wundef -Wpointer-arith

ifeq ($(CI),true)
WARN += -Werror
endif
ifdef WERROR
WARN += -Werror
endif

SAN       ?=
OPT       ?= -O2 -g
DEPS      := ncursesw ldap krb5 kadm-client
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(DEPS))
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(DEPS))
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS   := $(shell $(PKG_CONFIG) --libs check)

CPPFLAGS  += -D_GNU_SOURCE -DTM_VERSION=\"$(VERSION)\" -I.
CFLAGS    ?=
CFLAGS    += -std=c17 $(OPT) $(WARN) $(SAN) -fno-omit-frame-pointer $(PKG_CFLAGS)
LDFLAGS   += $(SAN)
LDLIBS    += $(PKG_LIBS)

MODEL_SRC   := $(sort $(wildcard model/*.c))
BACKEND_SRC := $(sort $(wildcard backend/*.c backend/*/*.c))
UI_SRC      := $(sort $(filter-out ui/main.c,$(wildcard ui/*.c ui/*/*.c ui/*/*/*.c)))
UNIT_SRC    := $(sort $(wildcard tests/unit/check_*.c))

MODEL_OBJ   := $(MODEL_SRC:%.c=$(BUILD)/%.o)
BACKEND_OBJ := $(BACKEND_SRC:%.c=$(BUILD)/%.o)
UI_OBJ      := $(UI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_SUPPORT := $(BUILD)/tests/unit/testutil.o

LIB_MODEL   := $(BUILD)/libtm_model.a
LIB_BACKEND := $(BUILD)/libtm_backend.a
LIB_UI      := $(BUILD)/libtm_ui.a
BIN         := $(BUILD)/trustmgr

.PHONY: all check-all fuzz fuzz-bins bench bench-short bench-bins check unit cli-tests console-tests console-smoke integration lab lab-stop lab-status lab-check asan valgrind valgrind-unit valgrind-cli valgrind-console valgrind-integration install uninstall clean demo

all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

$(LIB_MODEL): $(MODEL_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(LIB_BACKEND): $(BACKEND_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(LIB_UI): $(UI_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(BUILD)/ui/main.o $(LIB_UI) $(LIB_BACKEND) $(LIB_MODEL)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(TEST_SUPPORT) $(LIB_UI) $(LIB_BACKEND) $(LIB_MODEL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(CHECK_LIBS)

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

cli-tests: $(BIN)
	@sh tests/cli/run.sh $(abspath $(BIN))

integration: $(BIN)
	@sh tests/integration/run.sh $(abspath $(BIN))

console-tests: $(BIN)
	@sh tests/console/run.sh $(abspath $(BIN))

console-smoke: $(BIN)
	@sh tests/console/smoke_tmux.sh $(abspath $(BIN))
	@sh tests/console/signals_tmux.sh $(abspath $(BIN))

check: all
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory cli-tests
	@$(MAKE) --no-print-directory console-tests
	@$(MAKE) --no-print-directory console-smoke
	@$(MAKE) --no-print-directory integration

# Fuzzing (docs/FUZZING.md): every target in fuzz/ built with clang, libFuzzer,
# ASan and UBSan into build-fuzz, then run for FUZZ_SECONDS each on a scratch
# copy of its seed corpus fuzz/corpus/<target>/. Not part of `check`.
FUZZ_SECONDS ?= 20
FUZZ_TARGETS := authblob sid names forestinfo ldif config script
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_SUPPORT := $(BUILD)/fuzz/fuzz_util.o

$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/fuzz_%.o $(FUZZ_SUPPORT) $(LIB_UI) $(LIB_BACKEND) $(LIB_MODEL)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

fuzz-bins: $(FUZZ_BIN)
.SECONDARY: $(FUZZ_BIN:%=%.o) $(FUZZ_SUPPORT)

fuzz:
	$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang OPT="-O1 -g" \
	  SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" fuzz-bins
	@sh fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Everything CI runs, in one command (the README's test command).
FUZZ_CI_SECONDS ?= 10
check-all:
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory -j2 valgrind
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_CI_SECONDS)
	@$(MAKE) --no-print-directory bench-short

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" check

# valgrind's parts are independent: `make -j2 valgrind` runs them side by side.
valgrind: valgrind-unit valgrind-cli valgrind-console valgrind-integration
valgrind-unit: $(UNIT_BIN)
	TM_VALGRIND=1 sh tests/run-unit.sh $(UNIT_BIN)
valgrind-cli: all
	TM_VALGRIND=1 sh tests/cli/run.sh $(abspath $(BIN))
valgrind-console: all
	TM_VALGRIND=1 sh tests/console/run.sh $(abspath $(BIN))

# The integration suite (real slapd, krb5kdc, kadmind) with every trustmgr run
# under valgrind memcheck: a wrapper beside the binary (where the tests also
# find the libraries their probes link) exits 99 on any memory error or
# definite leak, which fails the test that ran it.
VALGRIND_WRAP := $(BUILD)/trustmgr-valgrind
valgrind-integration: all
	@printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=%s %s "$$@"\n' \
	  $(abspath tests/valgrind.supp) $(abspath $(BIN)) >$(VALGRIND_WRAP)
	@chmod +x $(VALGRIND_WRAP)
	@sh tests/integration/run.sh $(abspath $(VALGRIND_WRAP))

# Benchmarks (docs/PERFORMANCE.md): trustmgr side by side with the standard
# tools on a lab of real servers, medians and ratios in $(BUILD)/bench/results.*.
# Not part of `check`; bench-short (small sizes, 3 runs each) is for CI.
BENCH_DIR := $(BUILD)/bench
BENCH_BIN := $(BENCH_DIR)/tmrun $(BENCH_DIR)/ttybytes

$(BENCH_DIR)/tmrun: bench/tmrun.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=c17 -O2 $(WARN) -o $@ $<
$(BENCH_DIR)/ttybytes: bench/ttybytes.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=c17 -O2 $(WARN) -o $@ $< -lutil

bench-bins: $(BIN) $(BENCH_BIN)
bench: bench-bins
	@sh bench/run.sh $(abspath $(BIN)) $(abspath $(BENCH_DIR))
bench-short: bench-bins
	@sh bench/run.sh --short $(abspath $(BIN)) $(abspath $(BENCH_DIR))

DEMO_STORE ?= /tmp/trustmgr-demo
# A lab of real servers (slapd + krb5kdc + kadmind per domain) on 127.0.0.1:
# see docs/LAB.md.
LAB_DIR     ?= /tmp/trustmgr-lab
LAB_DOMAINS ?= 2
lab: $(BIN)
	@sh tests/lab/lab.sh start $(LAB_DIR) --domains $(LAB_DOMAINS)
lab-stop:
	@sh tests/lab/lab.sh stop $(LAB_DIR) --rm
lab-status:
	@sh tests/lab/lab.sh status $(LAB_DIR)
lab-check:
	@sh tests/lab/selftest.sh

demo: all
	rm -rf $(DEMO_STORE)
	./$(BIN) --store $(DEMO_STORE) demo
	./$(BIN) --store $(DEMO_STORE)

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/trustmgr
	install -m 0644 docs/trustmgr.8 $(DESTDIR)$(MANDIR)/man8/trustmgr.8

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/trustmgr $(DESTDIR)$(MANDIR)/man8/trustmgr.8

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
