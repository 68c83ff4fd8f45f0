# twinwatch: the two commands a new user runs (README.md), and a few more.
#   make demo   installs what is missing, builds, ingests samples/ into var/, prints the events
#   make test   installs what is missing, builds, runs every test (ctest)
#   make bench  builds and runs the benchmarks in bench/ (tables, no pass/fail)
#   make bench-clean  the cleaner on the article-extraction benchmark: score and speed

PRESET ?= release
BUILD_DIR := build
JOBS ?= $(shell nproc)
DB ?= var/twinwatch.db

.PHONY: all deps configure build demo test bench bench-clean clean distclean

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

test: build
	@ctest --preset $(PRESET) -j $(JOBS)

bench: build
	@./bench/run.sh

bench-clean: build
	@./bench/clean.sh

clean:
	@cmake --build $(BUILD_DIR) --target clean 2>/dev/null || true

distclean:
	rm -rf build build-debug build-asan build-tsan var
