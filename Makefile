# cobro: a collector workstation for debt collection.
#
#   make            build bin/cobro, bin/cobrod, bin/cobroctl
#   make run        the demo: private database with demo data, workstation as ana (AS=luis ...)
#   make check      every test, also at four other dates (check-dates); ends with "N passed, N failed"
#   make check-dates  the suites that read dates, under clocks faked to 2026-12-06,
#                   2027-03-14, 2027-12-31 and 2028-02-29 (part of make check)
#   make golden     rewrite the golden screens (tests/e2e/golden/); git diff shows what changed
#   make bench      the performance figures beside their baselines (var/bench/results.tsv)
#   make psql       psql on the demo database as the administrator
#   make stop       stop what make run started
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     ?= build/release
BIN       ?= bin
SANITIZE  ?=

# Each part links only the libraries it uses: the core knows no curses and
# no HTTP server, the workstation no libcurl nor libmicrohttpd.
CORE_PKGS := libpq libconfig libutf8proc jansson libcrypto
COBRO_PKGS:= $(CORE_PKGS) ncursesw
COBROD_PKGS:= $(CORE_PKGS) libcurl libmicrohttpd
CTL_PKGS  := $(CORE_PKGS)
ALL_PKGS  := $(CORE_PKGS) ncursesw libcurl libmicrohttpd
CC        ?= cc
CFLAGS    ?= -O2 -g
# Messages are cut to fixed buffers on purpose: truncation is not an error here.
WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers -Wno-format-truncation
CPPFLAGS  += -std=c17 -D_GNU_SOURCE -DCOBRO_VERSION='"$(VERSION)"' -DCOBRO_LOCALEDIR='"$(PREFIX)/share/locale"'
pkg_cflags = $(shell pkg-config --cflags $(1) 2>/dev/null)
# libcsv (the import files' CSV, src/core/csvfile.c) ships no pkg-config file.
pkg_libs   = $(shell pkg-config --libs $(1) 2>/dev/null) -lcsv -lm
ifneq ($(SANITIZE),)
CFLAGS    += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS   += -fsanitize=address,undefined
endif

# Sources are found, not listed: a new file in a folder is built with it.
#   src/core/      the core, one static library (libcobro.a) every program links
#   src/cobro/     the workstation's main; screens/ its screens and widgets,
#                  screens/layout/ the part of them that knows no curses
#   src/cobrod/    the daemon and what it alone uses (transports, listener)
#   src/cobroctl/  the administrator's command line, a file per command group
CORE_SRC  := $(sort $(wildcard src/core/*.c))
COBRO_SRC := $(sort $(wildcard src/cobro/*.c) $(shell find screens -name '*.c'))
COBROD_SRC:= $(sort $(wildcard src/cobrod/*.c))
CTL_SRC   := $(sort $(wildcard src/cobroctl/*.c))
CORE_LIB  := $(BUILD)/libcobro.a
COBROD_LIB:= $(BUILD)/libcobrod.a
CTL_LIB   := $(BUILD)/libcobroctl.a
# Where things go on the screens: pure, compiled without curses like the
# core, and linked into the unit tests (tests/unit/test_layout.c).
LAYOUT_SRC:= $(sort $(wildcard screens/layout/*.c))
LAYOUT_LIB:= $(BUILD)/libcobrolayout.a
SCREEN_DIRS:= $(sort $(patsubst %/,%,$(dir $(shell find screens -name '*.c' -o -name '*.h'))))
obj = $(patsubst %.c,$(BUILD)/%.o,$(1))
PROGRAMS  := $(BIN)/cobro $(BIN)/cobrod $(BIN)/cobroctl
LANGS     := es
MO        := $(LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/cobro.mo)
# Versioned migrations, then the function files (src/core/migrate.h).
SQL       := $(sort $(wildcard src/sql/*.sql)) $(sort $(wildcard src/sql/functions/*.sql))

# The contact-policy check the database itself runs (src/pgext/, docs/
# operations.md): the core's policy parser compiled again with -fPIC into a
# library the server loads. Always built plain (never with SANITIZE: the
# server is no sanitized program) into lib/, where scripts/pg.sh finds it;
# make install puts it in the server's pkglibdir.
PG_CONFIG ?= pg_config
PGEXT     := lib/cobro_policy.so
PGEXT_DIR := build/pgext

.PHONY: FORCE all man pot unit bench-programs deps run stop psql check check-dates golden bench install clean
all: $(PROGRAMS) $(MO) $(PGEXT)

# Translations (gettext). The English text is in the source; po/LANG.po holds the rest.
$(BUILD)/locale/%/LC_MESSAGES/cobro.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt -c -o $@ $<

# Regenerates the KEYS section of cobro(1) from the action table.
man: $(BIN)/cobro
	/usr/bin/python3 scripts/man-keys.py $(BIN)/cobro man/cobro.1

# Regenerates the template after strings change; then msgmerge each po/LANG.po.
pot:
	xgettext --from-code=UTF-8 -k_ -kN_ -kNC_:1c,2 --package-name=cobro --no-location -o po/cobro.pot \
		$$(find screens src -name '*.[ch]' | LC_ALL=C sort)

# Installs missing Debian packages as root, or prints the apt-get line.
deps:
	@scripts/deps.sh build

$(BUILD)/.deps: scripts/deps.sh
	@scripts/deps.sh build
	@mkdir -p $(@D) && touch $@

# The core is compiled where curses cannot be included: these headers stand
# in for it and stop the build, so the compiler, not care, keeps it out.
NOCURSES  := $(BUILD)/nocurses
$(NOCURSES)/curses.h:
	@mkdir -p $(@D)/ncursesw
	@for h in curses.h ncurses.h ncursesw/curses.h ncursesw/ncurses.h; do \
		echo '#error "the core (src/core) knows no curses: drawing belongs in screens/"' > $(@D)/$$h; done

$(BUILD)/src/core/%.o: src/core/%.c $(BUILD)/.deps $(NOCURSES)/curses.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I$(NOCURSES) -Isrc/core $(call pkg_cflags,$(CORE_PKGS)) $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

$(BUILD)/src/cobrod/%.o: src/cobrod/%.c $(BUILD)/.deps $(NOCURSES)/curses.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I$(NOCURSES) -Isrc/core -Isrc/cobrod $(call pkg_cflags,$(COBROD_PKGS)) $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

$(BUILD)/src/cobroctl/%.o: src/cobroctl/%.c $(BUILD)/.deps $(NOCURSES)/curses.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I$(NOCURSES) -Isrc/core -Isrc/cobroctl $(call pkg_cflags,$(CTL_PKGS)) $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

$(BUILD)/src/cobro/%.o: src/cobro/%.c $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Isrc/core $(SCREEN_DIRS:%=-I%) $(call pkg_cflags,$(COBRO_PKGS)) $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

$(BUILD)/screens/layout/%.o: screens/layout/%.c $(BUILD)/.deps $(NOCURSES)/curses.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I$(NOCURSES) -Iscreens/layout $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

$(BUILD)/screens/%.o: screens/%.c $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Isrc/core $(SCREEN_DIRS:%=-I%) $(call pkg_cflags,$(COBRO_PKGS)) $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

# Migrations and function files are compiled in, so an installed cobroctl
# needs no data files.
# The list of files is a prerequisite too: a removed or renamed migration
# must rebuild the table as surely as an edited one.
$(BUILD)/sql_list: FORCE
	@mkdir -p $(@D)
	@echo '$(SQL)' | cmp -s - $@ || echo '$(SQL)' > $@

$(BUILD)/sql_embed.c: $(SQL) $(BUILD)/sql_list scripts/embed-sql.sh
	@mkdir -p $(@D)
	scripts/embed-sql.sh $(SQL) > $@

$(BUILD)/sql_embed.o: $(BUILD)/sql_embed.c
	$(CC) $(CPPFLAGS) -Isrc/core $(call pkg_cflags,$(CORE_PKGS)) $(CFLAGS) -c -o $@ $<

$(CORE_LIB): $(call obj,$(CORE_SRC)) $(BUILD)/sql_embed.o
	@rm -f $@
	$(AR) rcs $@ $^

PGEXT_CORE:= policy policy_rules holiday almanac text util tz confnum
PGEXT_OBJ := $(PGEXT_DIR)/cobro_policy.o $(PGEXT_CORE:%=$(PGEXT_DIR)/core/%.o)
# The core's symbols stay inside the library; only cobro_policy.c's are the server's to see.
PGEXT_CFLAGS := -O2 -g -fPIC -fvisibility=hidden
$(PGEXT_DIR)/core/%.o: src/core/%.c $(BUILD)/.deps $(NOCURSES)/curses.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I$(NOCURSES) -Isrc/core $(call pkg_cflags,libconfig libutf8proc) $(PGEXT_CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

$(PGEXT_DIR)/cobro_policy.o: src/pgext/cobro_policy.c $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) -D_GNU_SOURCE -Isrc/core -I$$($(PG_CONFIG) --includedir-server) -O2 -g -fPIC -Wall -Wextra -Werror -Wmissing-prototypes -MMD -MP -c -o $@ $<

$(PGEXT): $(PGEXT_OBJ)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-Bsymbolic -o $@ $^ $(call pkg_libs,libconfig libutf8proc)

# What a program alone uses, as a library of its own: its tests link it.
$(COBROD_LIB): $(call obj,$(filter-out src/cobrod/main.c,$(COBROD_SRC)))
	@rm -f $@
	$(AR) rcs $@ $^

$(CTL_LIB): $(call obj,$(filter-out src/cobroctl/main.c,$(CTL_SRC)))
	@rm -f $@
	$(AR) rcs $@ $^

$(LAYOUT_LIB): $(call obj,$(LAYOUT_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN)/cobro: $(call obj,$(COBRO_SRC)) $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(COBRO_PKGS))

$(BIN)/cobrod: $(BUILD)/src/cobrod/main.o $(COBROD_LIB) $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(COBROD_PKGS))

$(BIN)/cobroctl: $(BUILD)/src/cobroctl/main.o $(CTL_LIB) $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(CTL_PKGS))

# Tests and benchmarks link the core, the programs' own libraries and the
# screens' layout (never curses): tests/unit/test_NAME.c with cmocka; tests/dbc/test_NAME.c against
# the test cluster that tests/run.sh starts (PGHOST/PGPORT/PGDATABASE in the
# environment); tests/bench/NAME.c, built by make bench.
TEST_LIBS := $(COBROD_LIB) $(CTL_LIB) $(LAYOUT_LIB) $(CORE_LIB)
TEST_CFLAGS = $(CPPFLAGS) -I$(NOCURSES) -Isrc/core -Isrc/cobrod -Isrc/cobroctl -Iscreens/layout $(call pkg_cflags,$(ALL_PKGS) cmocka) $(CFLAGS) $(WARN)
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
unit: $(UNIT_BIN)
$(BUILD)/tests/%: tests/unit/%.c $(TEST_LIBS)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(ALL_PKGS)) -lcmocka

DBC_SRC   := $(sort $(wildcard tests/dbc/test_*.c))
DBC_BIN   := $(DBC_SRC:tests/dbc/%.c=$(BUILD)/dbtests/%)
unit: $(DBC_BIN)
$(BUILD)/dbtests/%: tests/dbc/%.c $(TEST_LIBS)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(ALL_PKGS)) -lcmocka

BENCH_SRC := $(sort $(wildcard tests/bench/*.c))
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
bench-programs: $(BENCH_BIN)
$(BUILD)/bench/%: tests/bench/%.c $(TEST_LIBS)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(ALL_PKGS)) -lutil

-include $(shell find build -name '*.d' 2>/dev/null)

# ---------------------------------------------------------------- running
# AS is make's assembler by default: take it only when the person set it.
ifeq ($(origin AS),default)
AS := ana
endif
run:
	@scripts/deps.sh run
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh up
	@scripts/demo.sh open $(AS)

stop:
	@scripts/demo.sh down

psql:
	@scripts/demo.sh psql

# ---------------------------------------------------------------- testing
check:
	@scripts/deps.sh check
	@tests/run.sh

# The suites that read a date, or the clock, once more with every program
# (the cluster too) under libfaketime at 2026-12-06, 2027-03-14 (the US moves
# to summer time), 2027-12-31 (into 2028) and 2028-02-29: only the release
# build, and the five suites that start Kannel, SMTP and cobrod each at one of
# the dates, to keep make check within minutes (tests/run.sh says which and
# why). make check runs them too, so CI (.ci/run) does.
check-dates:
	@scripts/deps.sh check
	@tests/run.sh --dates

# The golden screens are written afresh (a screen that is gone loses its
# file); read git diff before committing them.
golden:
	@scripts/deps.sh check
	@$(MAKE) --no-print-directory all
	@rm -f tests/e2e/golden/*.screen
	@COBRO_GOLDEN_UPDATE=1 COBRO_TOP="$(CURDIR)" COBRO_BIN="$(CURDIR)/$(BIN)" \
		COBRO_LOCALEDIR="$(CURDIR)/$(BUILD)/locale" tests/e2e/test_golden.sh >$(BUILD)/golden.tap; \
		rc=$$?; grep -v '^ok ' $(BUILD)/golden.tap; git status --short tests/e2e/golden; exit $$rc

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all bench-programs
	@tests/bench/run.sh

# ---------------------------------------------------------------- install
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man8 \
		$(DESTDIR)$(PREFIX)/share/doc/cobro/examples
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$$($(PG_CONFIG) --pkglibdir)
	install -m 755 $(PGEXT) $(DESTDIR)$$($(PG_CONFIG) --pkglibdir)/
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 man/*.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 644 etc/*.conf $(DESTDIR)$(PREFIX)/share/doc/cobro/examples/
	install -d $(DESTDIR)$(PREFIX)/share/doc/cobro/examples/holidays
	install -m 644 etc/holidays/*.conf $(DESTDIR)$(PREFIX)/share/doc/cobro/examples/holidays/
	install -d $(DESTDIR)$(PREFIX)/share/doc/cobro/examples/templates
	install -m 644 etc/templates/README etc/templates/*.tpl $(DESTDIR)$(PREFIX)/share/doc/cobro/examples/templates/
	for l in $(LANGS); do \
		install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES; \
		install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/cobro.mo $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/; \
	done

clean:
	rm -rf build bin lib

# ---------------------------------------------------------------- fuzzing
# Coverage-guided fuzz targets (libFuzzer, clang from Debian) for every parser
# of outside input: tests/fuzz/fuzz_NAME.c, seeded from tests/fuzz/NAME/.
# The core (and the few files of the programs the targets call) is built once
# more with clang under ASan + UBSan and the fuzzer's coverage, in build/fuzz.
#   make fuzz                  each target for FUZZ_SECONDS (60) seconds
#   make fuzz FUZZ_TARGETS=mail FUZZ_SECONDS=600
# Each prints its executions and crashes; a crash leaves its input in
# var/fuzz/NAME/ (crash-*), and its working corpus grows there too. make
# check runs each briefly (tests/run.sh, suites fuzz-NAME).
FUZZ_BUILD   := build/fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_ALL     := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_TARGETS ?= $(FUZZ_ALL)
# gcc's warnings; clang warns of adjacent strings in an array (the demo's SQL
# column lists, on purpose) where gcc does not.
FUZZ_WARN    := $(WARN) -Wno-unknown-warning-option -Wno-string-concatenation
FUZZ_CFLAGS  := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
		-fno-sanitize-recover=undefined
.PHONY: fuzz fuzz-programs
fuzz-programs:
	@command -v $(FUZZ_CC) >/dev/null || { echo "make fuzz needs $(FUZZ_CC): apt-get install clang llvm libclang-rt-dev" >&2; exit 1; }
	@$(MAKE) -s --no-print-directory BUILD=$(FUZZ_BUILD) BIN=$(FUZZ_BUILD)/bin CC=$(FUZZ_CC) \
		CFLAGS="$(FUZZ_CFLAGS)" WARN="$(FUZZ_WARN)" $(FUZZ_ALL:%=$(FUZZ_BUILD)/fuzz/%)
# Only what the targets call, not the programs' whole libraries: the build is
# part of make check's time.
FUZZ_LIBS    = $(BUILD)/src/cobrod/inbound.o $(BUILD)/src/cobrod/wa_hook.o $(BUILD)/src/cobrod/http.o $(BUILD)/src/cobrod/transport.o $(BUILD)/src/cobroctl/policy_case.o $(CORE_LIB)
$(BUILD)/fuzz/%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIBS)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -Itests/fuzz -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(FUZZ_LIBS) \
		$(call pkg_libs,$(ALL_PKGS))
fuzz: fuzz-programs
	@tests/fuzz/run.sh --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)
