#!/usr/bin/env bash
# cargo-deny over the dependency tree: licences (an allow-list), bans
# (denied crates, one-way dependencies, duplicate versions as warnings) and
# sources (crates.io only). Rules and reasons are in deny.toml.
#
# Installs cargo-deny with `cargo install --locked cargo-deny` when it is
# missing (about 6 minutes on a 2-core machine, once; see docs/SECURITY.md).
# Advisories are not checked here: the RustSec database is fetched from
# GitHub, which our build machines cannot reach (docs/SECURITY.md, "Supply
# chain", describes the offline alternative).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! cargo deny --version >/dev/null 2>&1; then
  echo "cargo-deny not found: cargo install --locked cargo-deny (one-off, a few minutes)"
  start=$(date +%s)
  cargo install --locked cargo-deny
  echo "cargo-deny installed in $(($(date +%s) - start)) s"
fi
cargo deny --version
# --offline stops cargo-deny fetching the advisory database (GitHub is not
# reachable here); `cargo metadata` under it needs every crate of every
# target already downloaded, so fetch them first (from crates.io).
cargo fetch --locked
exec cargo deny --offline check licenses bans sources
