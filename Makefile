# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# trustmgr - build, test, install.
#   make                    build build/trustmgr (a test build: with the TM_TEST_* hooks)
#   make check              the fast suites side by side: lint, unit, cli, console,
#                           console-smoke, install (each one's output in
#                           build/logs/NAME.log, printed whole when it fails)
#   make check-integration  the real-server suite (slapd, krb5kdc, kadmind)
#   make check-all          what CI runs: check and check-integration, both again
#                           with AddressSanitizer + UBSan, valgrind (unit, cli,
#                           console, one integration script), fuzz (FUZZ_CI_SECONDS
#                           each), package and bench-short; docs/ROBUSTNESS.md
#   make asan               check and check-integration of an ASan + UBSan build
#   make valgrind           unit, cli, console and one integration script under memcheck
#   make fuzz               libFuzzer targets (clang) for FUZZ_SECONDS each: docs/FUZZING.md
#   make bench              benchmarks against ldapsearch/ldapadd/kadmin/kinit/kvno on a
#                           lab (docs/PERFORMANCE.md); bench-short: the quick CI version
#   make install            a release build (build-release/trustmgr, no test hooks),
#                           installed with the man page, the LSA helper, the slapd
#                           schema (also as cn=config LDIF), an example trustmgr.conf,
#                           bash completion, the systemd units and the logrotate file:
#                           PREFIX=/usr/local DESTDIR= (README, "Installing")
#   make uninstall          removes what make install installed
#   make install-check      make install and uninstall into a scratch DESTDIR, checked
#                           (the install suite of make check)
#   make package-check      builds the Debian package from a clean copy and checks it;
#                           as root also installs and purges it (tests/package/run.sh)
# Variables: BUILD (output folder), OPT (optimisation, default -O2 -g), SAN
# (sanitizer flags), WERROR=1 (warnings are errors), HOOKS=0 (no test hooks),
# JOBS (suites run side by side), CFLAGS/CPPFLAGS/LDFLAGS/LDLIBS (added to the
# project's own flags, which are always used).

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
SBINDIR   ?= $(PREFIX)/sbin
MANDIR    ?= $(PREFIX)/share/man
LIBEXECDIR ?= $(PREFIX)/libexec
DATADIR   ?= $(PREFIX)/share
COMPLETIONDIR ?= $(DATADIR)/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
# The system's configuration folder (logrotate.d), whatever the PREFIX.
SYSCONFDIR ?= /etc
# Where make install notes the folders it created (make uninstall removes
# them once empty); empty for none (debian/rules).
INSTALL_RECORD ?= $(DATADIR)/trustmgr/installed-folders
# The LSA helper's modules, which its launcher trustmgr_lsa.py loads in
# this order (backend/ad/).
LSA_MODULES := trustmgr_lsa_protocol trustmgr_lsa_tdo trustmgr_lsa_netlogon trustmgr_lsa_core
# The installed Python modules make install byte-compiles (and uninstall
# removes the compiled forms of); empty for none (debian/rules: the
# package's postinst compiles instead, as Debian's Python policy asks).
INSTALL_PYCACHE ?= $(LSA_MODULES:%=$(LIBEXECDIR)/trustmgr/%.py)
BUILD     ?= build
# The release build `make install` makes: build-release, or BUILD-release
# for another BUILD (so two build folders never share one release folder).
RELEASE_BUILD ?= $(if $(filter build,$(BUILD)),build-release,$(BUILD)-release)
CC        ?= cc
PKG_CONFIG ?= pkg-config
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)

# ---- flags ----------------------------------------------------------------
# The project's own flags (TM_*) are always on the command line; CFLAGS,
# CPPFLAGS, LDFLAGS and LDLIBS from the caller come after them, so
# `make CFLAGS=-O0` changes the optimisation and keeps the warnings.
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wcast-qual -Wwrite-strings -Wundef -Wpointer-arith
WERROR ?=
ifneq ($(filter-out 0 no,$(WERROR)),)
WARN += -Werror
endif

SAN       ?=
OPT       ?= -O2 -g
# HOOKS=1 compiles the TM_TEST_* hooks (backend/os/testhooks.c) in: every
# build folder but the release one that `make install` uses.
HOOKS     ?= 1
ifeq ($(HOOKS),1)
HOOKS_CPPFLAGS := -DTM_TEST_HOOKS
endif

# pkg-config packages and the Debian packages that provide them.
DEPS           := ncursesw ldap krb5 kadm-client gssrpc
DEB_ncursesw   := libncurses-dev
DEB_ldap       := libldap-dev
DEB_krb5       := libkrb5-dev
DEB_kadm-client := libkrb5-dev
DEB_gssrpc     := libkrb5-dev
DEB_check      := check

# Goals that compile nothing need no packages.
NOBUILD_GOALS := clean uninstall lab-stop lab-status lab-check package-check
ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out $(NOBUILD_GOALS),$(MAKECMDGOALS)),)
TM_NO_PACKAGES := 1
endif
endif

pkg_missing = $(strip $(foreach p,$(1),$(if $(shell $(PKG_CONFIG) --exists $(p) && echo y),,$(p))))
pkg_message = missing pkg-config package(s): $(foreach p,$(1),$(p) (Debian package $(DEB_$(p)))); \
  install with: apt-get install $(sort $(foreach p,$(1),$(DEB_$(p)))) (or sh tools/install-deps.sh)

ifndef TM_NO_PACKAGES
ifeq ($(shell command -v $(PKG_CONFIG) 2>/dev/null),)
$(error $(PKG_CONFIG) is missing; install the Debian package pkg-config (apt-get install pkg-config, or sh tools/install-deps.sh))
endif
DEPS_MISSING := $(call pkg_missing,$(DEPS))
ifneq ($(DEPS_MISSING),)
$(error $(call pkg_message,$(DEPS_MISSING)))
endif
PKG_CFLAGS   := $(shell $(PKG_CONFIG) --cflags $(DEPS))
PKG_LIBS     := $(shell $(PKG_CONFIG) --libs $(DEPS))
# check is needed only by the unit tests: its absence stops those alone.
CHECK_MISSING := $(call pkg_missing,check)
ifeq ($(CHECK_MISSING),)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS   := $(shell $(PKG_CONFIG) --libs check)
endif
endif

TM_CPPFLAGS := -D_GNU_SOURCE -DTM_VERSION=\"$(VERSION)\" -DTM_LIBEXECDIR=\"$(LIBEXECDIR)/trustmgr\" \
               -I. $(HOOKS_CPPFLAGS)
TM_CFLAGS   := -std=c17 $(WARN) -fno-omit-frame-pointer $(PKG_CFLAGS)
COMPILE      = $(CC) $(TM_CPPFLAGS) $(CPPFLAGS) $(TM_CFLAGS) $(OPT) $(SAN) $(CFLAGS)
LINK         = $(CC) $(SAN) $(LDFLAGS)
ALL_LDLIBS   = $(PKG_LIBS) $(LDLIBS)

# ---- sources and objects ----------------------------------------------------
MODEL_SRC   := $(sort $(wildcard model/*.c))
BACKEND_SRC := $(sort $(wildcard backend/*.c backend/*/*.c))
UI_SRC      := $(sort $(filter-out ui/main.c,$(wildcard ui/*.c ui/*/*.c ui/*/*/*.c)))
UNIT_SRC    := $(sort $(wildcard tests/unit/check_*.c))

MODEL_OBJ   := $(MODEL_SRC:%.c=$(BUILD)/%.o)
BACKEND_OBJ := $(BACKEND_SRC:%.c=$(BUILD)/%.o)
UI_OBJ      := $(UI_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ    := $(UNIT_SRC:%.c=$(BUILD)/%.o)
# unit_bins FOLDER: the unit test programs of a build folder
unit_bins    = $(UNIT_SRC:tests/unit/%.c=$(1)/tests/%)
UNIT_BIN    := $(call unit_bins,$(BUILD))
TEST_SUPPORT := $(BUILD)/tests/unit/testutil.o

LIB_MODEL   := $(BUILD)/libtm_model.a
LIB_BACKEND := $(BUILD)/libtm_backend.a
LIB_UI      := $(BUILD)/libtm_ui.a
BIN         := $(BUILD)/trustmgr
# The LSA helper (Active Directory domains) beside the binary, where a
# build finds it; installed in LIBEXECDIR/trustmgr: the program trustmgr
# starts and the modules it loads, byte-compiled (docs/AD.md).
LSA_HELPER  := $(BUILD)/trustmgr_lsa.py $(LSA_MODULES:%=$(BUILD)/%.py)
# PYCOMPILE FILE: write FILE's compiled form into its __pycache__, checked
# against the source's hash when loaded (so copies and installs keep it
# valid); nothing without /usr/bin/python3 (Python then compiles at load).
PYCOMPILE = if [ -x /usr/bin/python3 ]; then /usr/bin/python3 -m compileall -q \
              --invalidation-mode checked-hash $(1); fi
# Made at build time from the sources they describe: the bash completion
# from the binary's command table, the cn=config LDIF from the .schema.
COMPLETION  := $(BUILD)/trustmgr.bash-completion
SCHEMA_LDIF := $(BUILD)/trustmgr.ldif

# The flags a build folder was compiled with: a change (another OPT, SAN,
# HOOKS, CFLAGS...) rebuilds everything in it, so a folder never mixes
# objects with and without the test hooks.
FLAGS_FILE  := $(BUILD)/flags
FLAGS_NOW    = $(COMPILE) | $(LINK) $(ALL_LDLIBS)

.PHONY: all check check-integration check-all check-bins unit unit-bins lint \
        cli-tests console-tests console-smoke integration release-root \
        fuzz fuzz-bins bench bench-short bench-bins lab lab-stop lab-status lab-check \
        asan asan-bins valgrind valgrind-unit valgrind-cli valgrind-console \
        valgrind-integration install release uninstall clean demo FORCE \
        install-check package-check

all: $(BIN) $(LSA_HELPER) $(COMPLETION) $(SCHEMA_LDIF)

$(COMPLETION): $(BIN) tools/completion.sh
	sh tools/completion.sh $(BIN) >$@.tmp && mv -f $@.tmp $@

$(SCHEMA_LDIF): schema/trustmgr.schema tools/schema2ldif.awk
	@mkdir -p $(dir $@)
	awk -v name=trustmgr -f tools/schema2ldif.awk schema/trustmgr.schema >$@.tmp && mv -f $@.tmp $@

$(BUILD)/trustmgr_lsa.py: backend/ad/trustmgr_lsa.py
	@mkdir -p $(dir $@)
	cp $< $@
$(LSA_MODULES:%=$(BUILD)/%.py): $(BUILD)/%.py: backend/ad/%.py
	@mkdir -p $(dir $@)
	cp $< $@
	@$(call PYCOMPILE,$@)

$(FLAGS_FILE): FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(subst ','\'',$(FLAGS_NOW))' | cmp -s - $@ || \
	  printf '%s\n' '$(subst ','\'',$(FLAGS_NOW))' >$@

$(BUILD)/%.o: %.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(COMPILE) -MMD -MP -c $< -o $@

$(BUILD)/tests/unit/%.o: tests/unit/%.c $(FLAGS_FILE)
	$(if $(CHECK_MISSING),$(error the unit tests need the $(call pkg_message,check)))
	@mkdir -p $(dir $@)
	$(COMPILE) $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

# The test objects are kept: made once, not deleted after each link.
.SECONDARY: $(UNIT_OBJ) $(TEST_SUPPORT)

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
	$(LINK) -o $@ $^ $(ALL_LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(TEST_SUPPORT) $(LIB_UI) $(LIB_BACKEND) $(LIB_MODEL)
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $^ $(ALL_LDLIBS) $(CHECK_LIBS)

unit-bins: $(UNIT_BIN)

# ---- the suites ---------------------------------------------------------------
# Each suite is one command (below, for build folder $(1)); `make check` and
# `make check-all` run them side by side with tools/suites.sh, which keeps
# each one's output in LOGS/NAME.log, prints it whole when the suite fails
# and prints every suite's summary line.
LOGS         = $(BUILD)/logs
SUITES       = sh tools/suites.sh -j $(JOBS) -l $(LOGS)
RELEASE_ROOT = $(abspath $(BUILD))/release-root
RELEASE_BIN  = $(RELEASE_ROOT)$(SBINDIR)/trustmgr
INTEGRATION_JOBS ?= 2

suite_lint        = sh tests/lint/lint.sh $(1)
suite_unit        = sh tests/run-unit.sh $(call unit_bins,$(1))
suite_cli         = sh tests/cli/run.sh $(abspath $(1))/trustmgr
suite_console     = sh tests/console/run.sh $(abspath $(1))/trustmgr
suite_smoke       = sh tests/console/smoke_tmux.sh $(abspath $(1))/trustmgr && \
                    sh tests/console/signals_tmux.sh $(abspath $(1))/trustmgr && \
                    sh tests/console/terminal_tmux.sh $(abspath $(1))/trustmgr
# suite_integration FOLDER [SCRIPTS LEFT OUT]
suite_integration = sh tests/integration/run.sh -j $(INTEGRATION_JOBS) $(foreach t,$(2),-x $(t)) $(abspath $(1))/trustmgr
# make install and make uninstall into a scratch DESTDIR (the release build)
suite_install     = sh tests/package/install.sh $(BUILD)
# the Debian package, built from a clean copy, inspected, installed (as root)
suite_package     = sh tests/package/run.sh
# the cli suite of a plain build also checks the release binary (release_hooks.sh)
suite_cli_release = TM_RELEASE_BIN=$(RELEASE_BIN) $(call suite_cli,$(1))

# The cli suite, the longest of the fast ones, runs as CLI_SHARDS suites
# side by side (tests/cli/run.sh: TM_CLI_SHARD), as tools/suites.sh arguments.
# cli_shards NAME COMMAND [N]: N shares (default CLI_SHARDS).
CLI_SHARDS ?= 2
cli_n      = $(or $(3),$(CLI_SHARDS))
cli_shards = $(foreach i,$(shell seq $(cli_n)),$(1)-$(i) 'TM_CLI_SHARD=$(i)/$(cli_n) $(2)')

# check_suites FOLDER CLI-COMMAND: the fast suites, as tools/suites.sh arguments.
check_suites = lint '$(call suite_lint,$(1))' $(call cli_shards,cli,$(2)) \
               unit '$(call suite_unit,$(1))' console '$(call suite_console,$(1))' \
               console-smoke '$(call suite_smoke,$(1))'

# What the fast suites need: the binary, the unit tests and (without SAN) a
# release binary installed into RELEASE_ROOT with `make install`.
check-bins: all unit-bins $(if $(SAN),,release-root)

release-root:
	@rm -rf $(RELEASE_ROOT)
	@$(MAKE) --no-print-directory install DESTDIR=$(RELEASE_ROOT) >/dev/null

check: check-bins
	@$(SUITES) $(call check_suites,$(BUILD),$(if $(SAN),$(call suite_cli,$(BUILD)),$(call suite_cli_release,$(BUILD)))) \
	  $(if $(SAN),,install '$(suite_install)')

check-integration: all
	@$(SUITES) integration '$(call suite_integration,$(BUILD))'

# The suites one by one, output straight to the terminal.
lint: all
	@$(call suite_lint,$(BUILD))
unit: unit-bins
	@$(call suite_unit,$(BUILD))
cli-tests: all release-root
	@$(call suite_cli_release,$(BUILD))
console-tests: all
	@$(call suite_console,$(BUILD))
console-smoke: all
	@$(call suite_smoke,$(BUILD))
integration: all
	@$(call suite_integration,$(BUILD))
install-check: release
	@$(suite_install)
package-check:
	@$(suite_package)

# ---- sanitizers and valgrind ----------------------------------------------------
ASAN_BUILD := build-asan
# Leaks of system libraries trustmgr cannot fix, each with its reason there.
export LSAN_OPTIONS ?= suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
ASAN_VARS  := BUILD=$(ASAN_BUILD) OPT="-O1 -g" \
              SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"

asan-bins:
	@$(MAKE) --no-print-directory $(ASAN_VARS) all unit-bins
asan: asan-bins
	@sh tools/suites.sh -j $(JOBS) -l $(ASAN_BUILD)/logs $(call check_suites,$(ASAN_BUILD),$(call suite_cli,$(ASAN_BUILD))) \
	  integration '$(call suite_integration,$(ASAN_BUILD))'

# valgrind repeats only what ASan cannot see (uninitialised reads) on the
# suites that run trustmgr the most ways: unit, cli and console, and one
# integration script (cli_lab.sh: LDAP and kadmin through real servers).
VALGRIND_WRAP := $(abspath $(BUILD))/trustmgr-valgrind
VALGRIND_INTEGRATION ?= cli_lab
suite_valgrind_unit        = TM_VALGRIND=1 $(call suite_unit,$(1))
suite_valgrind_cli         = TM_VALGRIND=1 $(call suite_cli,$(1))
suite_valgrind_console     = TM_VALGRIND=1 $(call suite_console,$(1))
suite_valgrind_integration = sh tests/integration/run.sh $(VALGRIND_WRAP) $(VALGRIND_INTEGRATION)
valgrind_suites = valgrind-unit '$(call suite_valgrind_unit,$(BUILD))' \
                  $(call cli_shards,valgrind-cli,$(call suite_valgrind_cli,$(BUILD))) \
                  valgrind-console '$(call suite_valgrind_console,$(BUILD))' \
                  valgrind-integration '$(suite_valgrind_integration)'

# The integration scripts run the wrapper, which sits beside the binary
# (where the tests also find the libraries their probes link) and exits 99
# on any memory error or definite leak.
$(VALGRIND_WRAP): $(BIN)
	@printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=%s %s "$$@"\n' \
	  $(abspath tests/valgrind.supp) $(abspath $(BIN)) >$@
	@chmod +x $@

valgrind: all unit-bins $(VALGRIND_WRAP)
	@$(SUITES) $(valgrind_suites)
valgrind-unit: unit-bins
	@$(call suite_valgrind_unit,$(BUILD))
valgrind-cli: all
	@$(call suite_valgrind_cli,$(BUILD))
valgrind-console: all
	@$(call suite_valgrind_console,$(BUILD))
valgrind-integration: all $(VALGRIND_WRAP)
	@$(suite_valgrind_integration)

# ---- fuzzing --------------------------------------------------------------------
# docs/FUZZING.md: every target in fuzz/ built with clang, libFuzzer, ASan and
# UBSan into build-fuzz, then run for FUZZ_SECONDS each on a scratch copy of
# its seed corpus fuzz/corpus/<target>/. Not part of `check`.
FUZZ_SECONDS ?= 20
FUZZ_BUILD   := build-fuzz
FUZZ_TARGETS := authblob sid names forestinfo ldif config script journal beforeimage
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_SUPPORT := $(BUILD)/fuzz/fuzz_util.o
FUZZ_VARS    := BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g" \
                SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"

$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/fuzz_%.o $(FUZZ_SUPPORT) $(LIB_UI) $(LIB_BACKEND) $(LIB_MODEL)
	$(LINK) -fsanitize=fuzzer -o $@ $^ $(ALL_LDLIBS)

fuzz-bins: $(FUZZ_BIN)
.SECONDARY: $(FUZZ_BIN:%=%.o) $(FUZZ_SUPPORT)

suite_fuzz = sh fuzz/run.sh $(FUZZ_BUILD) $(1) $(FUZZ_TARGETS)
fuzz:
	@$(MAKE) --no-print-directory $(FUZZ_VARS) fuzz-bins
	@$(call suite_fuzz,$(FUZZ_SECONDS))

# ---- benchmarks -------------------------------------------------------------------
# docs/PERFORMANCE.md: trustmgr side by side with the standard tools on a lab
# of real servers, medians and ratios in $(BUILD)/bench/results.*. Not part of
# `check`; bench-short (small sizes, 3 runs each) is for CI.
BENCH_DIR := $(BUILD)/bench
BENCH_BIN := $(BENCH_DIR)/tmrun $(BENCH_DIR)/ttybytes

$(BENCH_DIR)/tmrun: bench/tmrun.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CC) $(TM_CPPFLAGS) $(CPPFLAGS) -std=c17 -O2 $(WARN) $(CFLAGS) -o $@ $<
$(BENCH_DIR)/ttybytes: bench/ttybytes.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CC) $(TM_CPPFLAGS) $(CPPFLAGS) -std=c17 -O2 $(WARN) $(CFLAGS) -o $@ $< -lutil

suite_bench_short = sh bench/run.sh --short $(abspath $(BIN)) $(abspath $(BENCH_DIR))
bench-bins: $(BIN) $(LSA_HELPER) $(BENCH_BIN)
bench: bench-bins
	@sh bench/run.sh $(abspath $(BIN)) $(abspath $(BENCH_DIR))
bench-short: bench-bins
	@$(suite_bench_short)

# ---- everything ---------------------------------------------------------------------
# What CI runs, in one command (the README's test command). Everything is
# built first (one folder at a time), then the suites run side by side,
# CHECK_ALL_JOBS at once, the longest first (the two integration suites,
# which mostly wait on their servers, then valgrind's cli shards); then, one
# after the other, package (as root it installs and purges the package, so
# /var/lib/trustmgr and /var/log/trustmgr come and go: no other suite runs
# then) and bench-short, alone so its figures are not measured on a busy
# machine. A failed suite does not stop the others; the exit status says
# whether all passed.
# To stay within the hour on a 2-core machine, check-all does not repeat
# under valgrind what the ASan + UBSan suites check on every run: memcheck
# sees the command line suite's first run of each command in a case
# (CHECK_ALL_VALGRIND_RUNS; make valgrind: the first two), the console runs
# and cli_lab, and not the unit suite, whose code those runs reach through
# the binary (make valgrind still runs it); and the ASan integration run
# leaves out the lab self-tests, which never run trustmgr.
FUZZ_CI_SECONDS ?= 10
CHECK_ALL_VALGRIND_RUNS ?= 1
LAB_SELFTESTS = lab_selftest samba_lab_selftest
CHECK_ALL_JOBS  ?= $$(( $(JOBS) + 2 ))
VALGRIND_CLI_SHARDS ?= 3
check-all:
	@$(MAKE) --no-print-directory -j$(JOBS) check-bins bench-bins $(VALGRIND_WRAP)
	@$(MAKE) --no-print-directory -j$(JOBS) asan-bins
	@$(MAKE) --no-print-directory -j$(JOBS) $(FUZZ_VARS) fuzz-bins
	@rc=0; sh tools/suites.sh -j $(CHECK_ALL_JOBS) -l $(LOGS)/check-all \
	  integration '$(call suite_integration,$(BUILD))' \
	  asan-integration '$(call suite_integration,$(ASAN_BUILD),$(LAB_SELFTESTS))' \
	  $(call cli_shards,valgrind-cli,TM_VALGRIND_RUNS=$(CHECK_ALL_VALGRIND_RUNS) $(call suite_valgrind_cli,$(BUILD)),$(VALGRIND_CLI_SHARDS)) \
	  valgrind-console '$(call suite_valgrind_console,$(BUILD))' \
	  $(call check_suites,$(BUILD),$(call suite_cli_release,$(BUILD))) \
	  install '$(suite_install)' \
	  asan-unit '$(call suite_unit,$(ASAN_BUILD))' \
	  $(call cli_shards,asan-cli,$(call suite_cli,$(ASAN_BUILD))) \
	  asan-console '$(call suite_console,$(ASAN_BUILD))' \
	  asan-console-smoke '$(call suite_smoke,$(ASAN_BUILD))' \
	  valgrind-integration '$(suite_valgrind_integration)' \
	  fuzz '$(call suite_fuzz,$(FUZZ_CI_SECONDS))' || rc=1; \
	sh tools/suites.sh -j 1 -l $(LOGS)/check-all package '$(suite_package)' \
	  bench-short '$(suite_bench_short)' || rc=1; \
	exit $$rc

# ---- labs, demo, install --------------------------------------------------------------
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

# The release binary: its own folder, built without the test hooks (and
# without sanitizers), whatever the caller's BUILD, SAN and HOOKS.
release:
	@$(MAKE) --no-print-directory BUILD=$(RELEASE_BUILD) HOOKS=0 SAN= all

# What make install installs, one SOURCE:DEST:MODE per word (tools/install.sh;
# a .in source gets SBINDIR for @SBINDIR@). make uninstall removes the same.
INSTALL_FILES = \
  $(RELEASE_BUILD)/trustmgr:$(SBINDIR)/trustmgr:0755 \
  backend/ad/trustmgr_lsa.py:$(LIBEXECDIR)/trustmgr/trustmgr_lsa.py:0755 \
  $(foreach m,$(LSA_MODULES),backend/ad/$(m).py:$(LIBEXECDIR)/trustmgr/$(m).py:0644) \
  docs/trustmgr.8:$(MANDIR)/man8/trustmgr.8:0644 \
  schema/trustmgr.schema:$(DATADIR)/trustmgr/trustmgr.schema:0644 \
  $(RELEASE_BUILD)/trustmgr.ldif:$(DATADIR)/trustmgr/trustmgr.ldif:0644 \
  dist/trustmgr.conf.example:$(DATADIR)/trustmgr/trustmgr.conf.example:0644 \
  $(RELEASE_BUILD)/trustmgr.bash-completion:$(COMPLETIONDIR)/trustmgr:0644 \
  dist/trustmgr-rotate.service.in:$(SYSTEMDUNITDIR)/trustmgr-rotate.service:0644 \
  dist/trustmgr-rotate.timer:$(SYSTEMDUNITDIR)/trustmgr-rotate.timer:0644 \
  dist/trustmgr.logrotate:$(SYSCONFDIR)/logrotate.d/trustmgr:0644
INSTALL_ENV = INSTALL_FILES='$(strip $(INSTALL_FILES))' DESTDIR='$(DESTDIR)' \
              INSTALL_PYCACHE='$(strip $(INSTALL_PYCACHE))' \
              SBINDIR='$(SBINDIR)' INSTALL_RECORD='$(INSTALL_RECORD)'

install: release
	@$(INSTALL_ENV) sh tools/install.sh install

uninstall:
	@$(INSTALL_ENV) sh tools/install.sh uninstall

clean:
	rm -rf build build-asan build-fuzz build-release

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
