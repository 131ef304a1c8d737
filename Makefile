# cobro: a collector workstation for debt collection.
#
#   make            build bin/cobro, bin/cobrod, bin/cobroctl
#   make run        the demo: private database with demo data, workstation as ana (AS=luis ...)
#   make check      every test; ends with "N passed, N failed"
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

PKGS      := ncursesw libpq libcurl libconfig libutf8proc jansson libmicrohttpd
CC        ?= cc
CFLAGS    ?= -O2 -g
# Messages are cut to fixed buffers on purpose: truncation is not an error here.
WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers -Wno-format-truncation
CPPFLAGS  += -std=c17 -D_GNU_SOURCE -DCOBRO_VERSION='"$(VERSION)"' -DCOBRO_LOCALEDIR='"$(PREFIX)/share/locale"' -Isrc -Iscreens
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
ifneq ($(SANITIZE),)
CFLAGS    += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS   += -fsanitize=address,undefined
endif

CORE      := util db config migrate agent demo demo_gen demo_data worklist text money log tz policy policy_rules policy_case policy_store diff phone phone_areas contact lease account priority sms template mail transport template_store outbox inbound listener dispatch
SCREENS   := ui worklist account help login send
CORE_OBJ  := $(CORE:%=$(BUILD)/src/%.o) $(BUILD)/sql_embed.o
SCREEN_OBJ:= $(SCREENS:%=$(BUILD)/screens/%.o)
PROGRAMS  := $(BIN)/cobro $(BIN)/cobrod $(BIN)/cobroctl
LANGS     := es
MO        := $(LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/cobro.mo)
SQL       := $(sort $(wildcard src/sql/*.sql))

.PHONY: FORCE all man pot unit bench-programs deps run stop psql check bench install clean
all: $(PROGRAMS) $(MO)

# Translations (gettext). The English text is in the source; po/LANG.po holds the rest.
$(BUILD)/locale/%/LC_MESSAGES/cobro.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt -c -o $@ $<

# Regenerates the KEYS section of cobro(1) from the action table.
man: $(BIN)/cobro
	/usr/bin/python3 scripts/man-keys.py $(BIN)/cobro man/cobro.1

# Regenerates the template after strings change; then msgmerge each po/LANG.po.
pot:
	xgettext --from-code=UTF-8 -k_ -kN_ --package-name=cobro --no-location -o po/cobro.pot \
		screens/*.c screens/*.h src/*.c

# Installs missing Debian packages as root, or prints the apt-get line.
deps:
	@scripts/deps.sh build

$(BUILD)/.deps: scripts/deps.sh
	@scripts/deps.sh build
	@mkdir -p $(@D) && touch $@

$(BUILD)/%.o: %.c $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

# Migrations are compiled in, so an installed cobroctl needs no data files.
# The list of files is a prerequisite too: a removed or renamed migration
# must rebuild the table as surely as an edited one.
$(BUILD)/sql_list: FORCE
	@mkdir -p $(@D)
	@echo '$(SQL)' | cmp -s - $@ || echo '$(SQL)' > $@

$(BUILD)/sql_embed.c: $(SQL) $(BUILD)/sql_list scripts/embed-sql.sh
	@mkdir -p $(@D)
	scripts/embed-sql.sh $(SQL) > $@

$(BUILD)/sql_embed.o: $(BUILD)/sql_embed.c
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BIN)/cobro: $(BUILD)/src/cobro.o $(SCREEN_OBJ) $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BIN)/cobrod: $(BUILD)/src/cobrod.o $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BIN)/cobroctl: $(BUILD)/src/cobroctl.o $(BUILD)/src/cobroctl_policy.o $(BUILD)/src/cobroctl_template.o $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# Unit tests: tests/unit/test_NAME.c links against the core (never curses).
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
unit: $(UNIT_BIN)
$(BUILD)/tests/%: tests/unit/%.c $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka

# Database tests in C: tests/dbc/test_NAME.c against the core and the test
# cluster that tests/run.sh starts (PGHOST/PGPORT/PGDATABASE in the environment).
DBC_SRC   := $(sort $(wildcard tests/dbc/test_*.c))
DBC_BIN   := $(DBC_SRC:tests/dbc/%.c=$(BUILD)/dbtests/%)
unit: $(DBC_BIN)
$(BUILD)/dbtests/%: tests/dbc/%.c $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka

# Benchmark programs: tests/bench/NAME.c against the core, built by make bench.
BENCH_SRC := $(sort $(wildcard tests/bench/*.c))
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
bench-programs: $(BENCH_BIN)
$(BUILD)/bench/%: tests/bench/%.c $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lutil

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
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 man/*.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 644 etc/*.conf $(DESTDIR)$(PREFIX)/share/doc/cobro/examples/
	install -d $(DESTDIR)$(PREFIX)/share/doc/cobro/examples/holidays
	install -m 644 etc/holidays/*.txt $(DESTDIR)$(PREFIX)/share/doc/cobro/examples/holidays/
	install -d $(DESTDIR)$(PREFIX)/share/doc/cobro/examples/templates
	install -m 644 etc/templates/README etc/templates/*.tpl $(DESTDIR)$(PREFIX)/share/doc/cobro/examples/templates/
	for l in $(LANGS); do \
		install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES; \
		install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/cobro.mo $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/; \
	done

clean:
	rm -rf build bin
