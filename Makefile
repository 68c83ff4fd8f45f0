# twinwatch: the two commands a new user runs (README.md), and a few more.
#   make demo   installs what is missing, builds, ingests samples/ into var/, prints the events
#   make test   installs what is missing, then builds and runs every test (ctest) twice: a release
#               build, then AddressSanitizer + UndefinedBehaviorSanitizer (halting on the first error)
#   make test-tsan  the threaded tests (queues, stages, pipeline) under ThreadSanitizer
#   make fuzz   builds the libFuzzer targets (clang) and runs each for FUZZ_SECONDS (tests/fuzz/)
#   make bench  builds and runs the benchmarks in bench/ (tables, no pass/fail)
#   make bench-clean  the cleaner on the article-extraction benchmark: score and speed

PRESET ?= release
BUILD_DIR := build
JOBS ?= $(shell nproc)
DB ?= var/twinwatch.db
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=

# The presets `make test` runs the suite in, one after the other. `make test PRESET=asan` runs one.
ifeq ($(origin PRESET),command line)
TEST_PRESETS ?= $(PRESET)
else
TEST_PRESETS ?= release asan
endif

.PHONY: all deps configure build demo test test-tsan fuzz bench bench-clean clean distclean

all: build

deps:
	@./scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

demo: build
	@mkdir -p var
	./$(BUILD_DIR)/twinwatch ingest --db $(DB) samples/
	./$(BUILD_DIR)/twinwatch query --db $(DB) --format table

test: deps
	@set -e; for preset in $(TEST_PRESETS); do \
	  echo "== make test: $$preset =="; \
	  cmake --preset $$preset >/dev/null; \
	  cmake --build --preset $$preset -j $(JOBS); \
	  ctest --preset $$preset -j $(JOBS); \
	done

# Only the tests labelled "threads" in tests/CMakeLists.txt, and only their executables are built.
test-tsan: deps
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan -j $(JOBS) --target tw_threaded_tests
	@ctest --preset tsan -j $(JOBS) -L threads

# FUZZ_TARGETS="cleaner warc" picks targets (default: all, see tests/fuzz/targets.txt).
fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@./tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

bench: build
	@./bench/run.sh

bench-clean: build
	@./bench/clean.sh

clean:
	@cmake --build $(BUILD_DIR) --target clean 2>/dev/null || true

distclean:
	rm -rf build build-debug build-asan build-tsan build-fuzz var
