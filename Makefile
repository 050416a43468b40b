# Chợ Số — two commands: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)
# The same flags cargo-leptos uses for debug builds, so plain cargo (tests, clippy) reuses its
# build instead of compiling everything again.
export RUSTFLAGS := --cfg erase_components
export LEPTOS_OUTPUT_NAME := choso
export CARGO_TARGET_DIR ?= $(CURDIR)/target
export LEPTOS_SITE_ROOT := $(CARGO_TARGET_DIR)/site
CARGO_TERM_COLOR ?= always

.PHONY: run run-release test tools fmt sizes lint unit integration postgres chaos e2e build wasm-size budget clean-precompressed bench bench-quick

## make run: install tools, build, seed an empty data/ with demo data, serve on 127.0.0.1:3000.
run: tools clean-precompressed
	CHOSO_DEMO=1 cargo leptos serve

## make run-release: the same with the size-optimised browser bundle.
run-release: tools
	CHOSO_DEMO=1 cargo leptos serve --release --precompress

## make test: formatting, file sizes, lints on both builds, unit tests, integration tests on
## SQLite and PostgreSQL, browser tests in Debian's chromium, and the browser bundle's size budget
## (its one release build: the browser side only).
test: tools fmt sizes lint unit integration e2e budget

tools:
	bash scripts/install-tools.sh

fmt:
	cargo fmt --all -- --check

# No source file over 600 lines (see the script for what counts as source).
sizes:
	bash scripts/check-sizes.sh

# Server and browser builds are linted separately: linting them together merges `app`'s
# `ssr` and `hydrate` features and hides mistakes on both sides.
lint:
	cargo clippy -p server --all-targets -- -D warnings
	cargo clippy -p app --features ssr --all-targets -- -D warnings
	cargo clippy -p app --no-default-features --features hydrate --target wasm32-unknown-unknown -- -D warnings

unit:
	cargo test -p app --features ssr

postgres:
	bash scripts/postgres.sh > $(CARGO_TARGET_DIR)/postgres-url

integration: postgres
	cargo test -p server
	CHOSO_TEST_DATABASE=$$(cat $(CARGO_TARGET_DIR)/postgres-url) cargo test -p server --tests

## make chaos: the kill -9 test at length (CHOSO_CHAOS_CYCLES, 40 by default) on SQLite and
## PostgreSQL; `make test` runs it with 3 cycles.
CHOSO_CHAOS_CYCLES ?= 40
chaos: postgres
	CHOSO_CHAOS_CYCLES=$(CHOSO_CHAOS_CYCLES) cargo test -p server --test it -- chaos --nocapture
	CHOSO_CHAOS_CYCLES=$(CHOSO_CHAOS_CYCLES) CHOSO_TEST_DATABASE=$$(cat $(CARGO_TARGET_DIR)/postgres-url) \
		cargo test -p server --test it -- chaos --nocapture

build: clean-precompressed
	cargo leptos build

# A release build leaves .br/.gz copies that the server prefers; a debug build must not be
# shadowed by them.
clean-precompressed:
	rm -f $(LEPTOS_SITE_ROOT)/pkg/*.br $(LEPTOS_SITE_ROOT)/pkg/*.gz

e2e: build
	cd end2end && CHOSO_BIN=$(CARGO_TARGET_DIR)/debug/choso npx playwright test

# The release browser bundle, built alone into its own site directory, with its sizes raw and
# with brotli; fails past the first visit's budget (scripts/bundle-budget.sh).
wasm-size budget:
	bash scripts/bundle-budget.sh

## make bench: the release build beside nginx serving the very same bytes, under wrk, on databases
## grown to 1,000 and 50,000 products (scripts/bench/run.sh). Not part of `make test`. Set
## BENCH_PRODUCTS="1000 50000", BENCH_DATABASES="sqlite postgres", BENCH_SECONDS (10) and
## BENCH_ROUNDS (3) to change what it runs.
bench: tools
	bash scripts/bench/run.sh

## make bench-quick: one short round at 1,000 products, to try the benchmark itself.
bench-quick: tools
	BENCH_PRODUCTS=$${BENCH_PRODUCTS:-1000} BENCH_SECONDS=$${BENCH_SECONDS:-2} BENCH_ROUNDS=$${BENCH_ROUNDS:-1} \
		bash scripts/bench/run.sh
