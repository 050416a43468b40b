//! The integration tests: the real application on a random port against a fresh database,
//! spoken to over HTTP as a browser (or an integrator, or Stripe) would. They form one test
//! binary, so the whole app is linked once, with one module per feature; within a module the
//! feature's story is told in order: the happy path first, then what is refused, then races
//! and faults.
//!
//! - `accounts`: signing up and in, sessions, managers appointed, the limit on wrong passwords.
//! - `catalog`: stalls, products, their photos, search.
//! - `review`: stalls approved, suspended and sent back for review by managers and
//!   administrators.
//! - `setup`: a new stall's set-up checklist, and a stall nobody can pay neither approved nor
//!   sold from.
//! - `cart_checkout`: the cart, placing orders, pickup dates, the receipt.
//! - `transfers_statements`: VietQR transfers, placards, bank statements, expiry.
//! - `cards`: the Stripe adapter against its double, card checkouts, webhooks, refunds and
//!   what the platform owes each stall.
//! - `live`: a shopper's open order page told of each change to its checkout as it happens.
//! - `orders`: orders once placed, for their vendor, their shopper and administrators.
//! - `confirmations`: what can't be taken back or moves money is done only once confirmed.
//! - `registry_report`: the registry import and the onboarding report.
//! - `report_export`: the report's CSV in the reader's language, and the year's targets.
//! - `api_v1`: the integrators' API and its OpenAPI document.
//! - `authorization`: every server function, private read and route tried by every role it is
//!   not for.
//! - `migrations`: an old database upgraded with its data; each migration undone.
//! - `chaos`: the real binary killed with SIGKILL at random moments under card load; nothing
//!   acknowledged is lost and money and stock add up.
//! - `cli`: the `choso` command as an operator meets it: help, wrong settings, no secret shown.
//! - `notices`: what a page says after its form went through; a new API token shown once.
//! - `pages`: what every page does: 404s, caching, descriptions, escaping.
//! - `assets`: the browser bundle's versioned addresses, caching and compression.
//! - `seed`: the demo data.
//! - `telemetry`: each request's id, and the incident number a visitor sees.
//! - `support`: the harness (`TestApp`, `Visitor`) and the fixtures several modules share.
//!
//! `cargo test -p server --test it` runs them all on SQLite (a file in a temporary folder per
//! test); a filter picks a feature or one test (`cargo test -p server --test it cards::`).
//! `cargo test -p server` runs them after the library's own unit tests.
//!
//! On PostgreSQL, `CHOSO_TEST_DATABASE` names a server and a role allowed to create databases
//! (`postgres://user:pass@host/db`); each test then creates a database of its own there.
//! `scripts/postgres.sh` starts Debian's PostgreSQL when none runs, makes the test role and
//! prints that URL:
//!
//! ```text
//! CHOSO_TEST_DATABASE=$(bash scripts/postgres.sh) cargo test -p server --test it
//! ```
//!
//! `make integration` runs the server's tests once on SQLite and once on PostgreSQL.
// An integration test tells a whole journey, or walks a table of cases for every role, in one
// place a reader follows from top to bottom; splitting it to fit the production code's limit
// would scatter the story.
#![allow(clippy::too_many_lines)]

mod accounts;
mod api_v1;
mod assets;
mod authorization;
mod bank;
mod cards;
mod cart_checkout;
mod cashless_report;
mod catalog;
mod chaos;
mod cli;
mod confirmations;
mod live;
mod migrations;
mod notices;
mod orders;
mod page_cache;
mod pages;
mod query_budget;
mod registry_report;
mod report_export;
mod review;
mod seed;
mod setup;
mod support;
mod telemetry;
mod transfers_statements;
