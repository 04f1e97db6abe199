# neo2pg: load Neo4j graphs into PostgreSQL.
#
#   make            build ./neo2pg (release, -O2)
#   make check      install what is missing, build (release and ASan/UBSan),
#                   start a throwaway PostgreSQL, run every test
#   make example    load examples/backup into a local PostgreSQL, query it
#   make ext        build the PostgreSQL extension (PGXS) in build-ext/
#   make install    install the neo2pg binary under $(PREFIX)/bin, and the
#                   extension into the server that $(PG_CONFIG) names
#   make install-bin   the binary alone (no write into the server's
#                   directories, e.g. PREFIX=$$HOME/.local as a user)
#   make fuzz       run each libFuzzer target (test/fuzz) for FUZZ_SECONDS,
#                   or until FUZZ_RUNS executions
#
# The shared folders (src/core, src/backup, src/neo4j, src/pg, src/verify) make the
# library: they never print or exit, and they are compiled with -Iinclude
# only, so an include of libpq-fe.h or postgres.h there fails the build.
# src/cli is the shell around them and alone gets libpq's include path.
# The PostgreSQL extension is a PGXS build of its own (src/ext/Makefile)
# that compiles the same shared sources again, position independent.

PG_CONFIG ?= pg_config
PREFIX ?= /usr/local
CC ?= gcc
BUILD ?= build
CFLAGS ?= -O2 -g
SANITIZE ?=

PG_INCLUDEDIR := $(shell $(PG_CONFIG) --includedir 2>/dev/null)
PG_LIBDIR := $(shell $(PG_CONFIG) --libdir 2>/dev/null)
PG_BINDIR := $(shell $(PG_CONFIG) --bindir 2>/dev/null)

WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
SHARED_CFLAGS = -std=c11 -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) $(SANITIZE) -Iinclude
ALL_CFLAGS = $(SHARED_CFLAGS) -Isrc/cli -I$(PG_INCLUDEDIR) -DN2P_PG_BINDIR='"$(PG_BINDIR)"'
LDLIBS = -L$(PG_LIBDIR) -lpq -ljansson -lz -lssl -lcrypto -lm -pthread

SHARED_DIRS := core backup neo4j pg verify
CORE_SRCS := $(wildcard $(SHARED_DIRS:%=src/%/*.c))
CLI_SRCS := $(wildcard src/cli/*.c)
UNIT_SRCS := $(wildcard test/unit/test_*.c)

CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/%.o)
UNIT_BINS := $(UNIT_SRCS:%.c=$(BUILD)/%)

.PHONY: all check example unit install install-bin clean asan format bench-tools ext ext-install fuzz fuzz-build

all: neo2pg

neo2pg: $(BUILD)/neo2pg
	cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/neo2pg: $(CLI_OBJS) $(BUILD)/libneo2pg.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# ar keeps one member per file name: two shared sources of one name would
# silently lose one of them.
$(BUILD)/libneo2pg.a: $(CORE_OBJS)
	@dups=$$(printf '%s\n' $(notdir $^) | sort | uniq -d); \
	if [ -n "$$dups" ]; then echo "libneo2pg.a: two sources named $$dups" >&2; exit 1; fi
	rm -f $@
	ar rcs $@ $^

$(BUILD)/src/cli/%.o: src/cli/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SHARED_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/test/unit/%: test/unit/%.c test/unit/test_support.h test/unit/mem_io.h $(BUILD)/libneo2pg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Itest/unit -o $@ $< $(BUILD)/libneo2pg.a -lcmocka $(LDLIBS)

# The typed columns' text and binary COPY against a real server (test/check.sh).
EQUIV_BIN := $(BUILD)/test/typed_equiv

# The Bolt client against the test Neo4j (test/check.sh).
BOLT_LIVE_BIN := $(BUILD)/test/bolt_live

# Runs Cypher files against the test Neo4j, to seed it (test/integration/neo4j.sh).
CYPHER_BIN := $(BUILD)/test/neo4j_cypher

unit: $(UNIT_BINS) $(EQUIV_BIN) $(BOLT_LIVE_BIN) $(CYPHER_BIN)

$(CYPHER_BIN): test/neo4j_cypher.c $(BUILD)/src/cli/neo4j_conn.o $(BUILD)/src/cli/log.o $(BUILD)/libneo2pg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $^ $(LDLIBS)

$(BOLT_LIVE_BIN): test/bolt_live.c $(BUILD)/src/cli/neo4j_conn.o $(BUILD)/src/cli/log.o $(BUILD)/libneo2pg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $^ $(LDLIBS)

$(EQUIV_BIN): test/typed_equiv.c $(BUILD)/libneo2pg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(BUILD)/libneo2pg.a $(LDLIBS)

bench-tools: $(BUILD)/bench/json_speed $(BUILD)/bench/bolt_drain $(BUILD)/bench/float_speed

$(BUILD)/bench/bolt_drain: bench/bolt_drain.c $(BUILD)/src/cli/neo4j_conn.o $(BUILD)/src/cli/log.o $(BUILD)/libneo2pg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $^ $(LDLIBS)

$(BUILD)/bench/json_speed: bench/json_speed.c $(BUILD)/libneo2pg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $^ $(LDLIBS)

$(BUILD)/bench/float_speed: bench/float_speed.c test/unit/float_repr_ref.h $(BUILD)/libneo2pg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(BUILD)/libneo2pg.a $(LDLIBS)

# The sanitizer build lives in its own tree so both can coexist.
asan:
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all" \
		build-asan/neo2pg unit

# libFuzzer targets (test/fuzz): the library built again by clang with
# coverage for libFuzzer, ASan and UBSan, in a tree of its own, reading
# files in 4 kB pieces (src/backup/input.c says why).
FUZZ_CC ?= clang
FUZZ_SRCS := $(wildcard test/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:test/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=

fuzz-build:
	$(MAKE) BUILD=build-fuzz CC=$(FUZZ_CC) \
		CFLAGS="-O1 -g -fno-omit-frame-pointer -DN2P_INPUT_BUF_SIZE=4096" \
		SANITIZE="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
		fuzz-bins

fuzz-bins: $(FUZZ_BINS)

$(BUILD)/fuzz/%: test/fuzz/%.c test/fuzz/fuzz.h test/unit/mem_io.h $(BUILD)/libneo2pg.a
	@mkdir -p $(dir $@)
	$(CC) $(SHARED_CFLAGS) -fsanitize=fuzzer -Itest/unit -o $@ $< $(BUILD)/libneo2pg.a \
		-lz -lcrypto -lm

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) test/fuzz/run.sh time

# PGXS's own variables stay out of this Makefile: it runs in build-ext/
# with the repository as VPATH.  No LLVM bitcode: JIT inlining is optional,
# and clang need not be installed.
EXT_MAKE = $(MAKE) -C build-ext -f ../src/ext/Makefile PG_CONFIG=$(PG_CONFIG) with_llvm=no

ext:
	@mkdir -p build-ext
	$(EXT_MAKE) all check-symbols

# DESTDIR=/some/root works as for any PGXS extension (test/ext_install.sh).
ext-install: ext
	$(EXT_MAKE) install

check:
	test/check.sh

example:
	tools/example.sh

install: install-bin ext-install

install-bin: neo2pg
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 neo2pg $(DESTDIR)$(PREFIX)/bin/neo2pg

format:
	clang-format -i $(CORE_SRCS) $(CLI_SRCS) $(wildcard src/ext/*.c) include/neo2pg/*.h $(wildcard src/*/*.h)

clean:
	rm -rf build build-asan build-tsan build-ext build-fuzz neo2pg test/regress/results test/regress/regression.*

-include $(CORE_OBJS:.o=.d) $(CLI_OBJS:.o=.d)
.PHONY: fuzz-bins
