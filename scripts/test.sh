#!/usr/bin/env bash
# Harbour's test command: everything CI runs, in the order CI runs it.
#
#   scripts/test.sh              all steps: Rust checks and tests, then browser tests
#   scripts/test.sh --no-e2e     Rust steps only (no Chromium needed)
#   scripts/test.sh --only-e2e   build the binary and run the browser tests only
#   scripts/test.sh --fail-fast  stop at the first failing step
#   scripts/test.sh --only-e2e -- -g "search"   arguments after -- go to `playwright test`
#
# Steps (a header is printed for each):
#   cargo fmt --all -- --check
#   cargo clippy --workspace --all-targets -- -D warnings
#   cargo nextest run --workspace --no-fail-fast   (cargo test --workspace without nextest)
#   cargo test --workspace --doc
#   SSDA903: load the demo authority and two authorities generated from other
#     seeds (harbour demo --seed) into temp SQLite databases, export the
#     return for the last and the current collection year, run the DfE
#     validator (tools/ssda903/validate: csc-validator-be-903 from PyPI in a
#     cached venv) and fail on any finding tools/ssda903/triage.py does not
#     accept for a documented reason (needs python3 with venv)
#   scale-out: scripts/ci/scale-out.sh (PostgreSQL primary + streaming replica,
#     two serve instances: shared session, jobs, replica reads, disable)
#   Reliability: scripts/reliability/crash.sh (5 SIGKILL rounds under write load per backend, PostgreSQL restart, full disk on SQLite and PostgreSQL, read-only dir, restore drill; docs/RELIABILITY.md)
#   cargo deny check licenses bans sources          (scripts/ci/deny.sh; installs cargo-deny)
#   schemathesis: the JSON API against its OpenAPI document, with API tokens
#     for five roles on the demo data (scripts/ci/schemathesis.sh)
#   cargo build -p harbour                          (the debug binary the browser tests start)
#   e2e: npm ci; npx playwright test                (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1)
#
# The Rust steps get a throwaway PostgreSQL cluster (engineering guide 3.2):
# a temp dir, a spare port from 54329, fsync off, removed on exit, and
# HARBOUR_TEST_PG_URL pointing at it. If HARBOUR_TEST_PG_URL is already set,
# that server is used instead.
#
# Needs cargo (with rustfmt and clippy), PostgreSQL 15+ server binaries under
# /usr/lib/postgresql/*/bin, and for the browser tests node >= 20 with npm and
# /usr/bin/chromium. Missing PostgreSQL or Chromium is installed with apt when
# run as root (as CI does); otherwise the script stops and says what to install.
# Never run `npx playwright install`: browser downloads fail on our machines.
#
# By default every step runs and the script fails at the end if any failed,
# so one CI run reports every problem. Runs without a terminal or stdin.
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

run_rust=1
run_e2e=1
fail_fast=0
pw_args=()
while (($#)); do
  case "$1" in
    --no-e2e) run_e2e=0 ;;
    --only-e2e) run_rust=0 ;;
    --fail-fast) fail_fast=1 ;;
    -h | --help) usage; exit 0 ;;
    --) shift; pw_args=("$@"); break ;;
    *) echo "scripts/test.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
if ((!run_rust && !run_e2e)); then
  echo "scripts/test.sh: --no-e2e and --only-e2e together leave nothing to run" >&2
  exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-auto}
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if [[ -t 1 ]]; then
  header() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
else
  header() { printf '\n==> %s\n' "$*"; }
fi
die() { echo "scripts/test.sh: $*" >&2; exit 1; }
is_root() { [[ $(id -u) -eq 0 ]]; }

# ---------------------------------------------------------------------------
# Prerequisites.

find_initdb() { compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1 || true; }
chromium=${E2E_CHROMIUM:-/usr/bin/chromium}

command -v cargo >/dev/null || die "cargo is not on PATH; install Rust (rustup) first"

missing=()
if ((run_rust)) && [[ -z "${HARBOUR_TEST_PG_URL:-}" && -z "$(find_initdb)" ]]; then
  missing+=(postgresql)
fi
if ((run_e2e)) && [[ ! -x "$chromium" ]]; then
  missing+=(chromium)
fi
if ((${#missing[@]})); then
  if is_root; then
    header "Installing ${missing[*]} (apt)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update </dev/null
    apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
  else
    die "missing ${missing[*]}: run 'sudo apt-get install -y --no-install-recommends ${missing[*]}' (or run this script as root)"
  fi
fi
if ((run_e2e)); then
  command -v npm >/dev/null || die "npm is not on PATH; the browser tests need node >= 20 and npm (or use --no-e2e)"
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  ((node_major >= 20)) || die "node $(node --version) is too old for Playwright; install node >= 20 (or use --no-e2e)"
fi

# ---------------------------------------------------------------------------
# Throwaway PostgreSQL for the Rust tests.

pg_dir=
pg_ctl=
as_pg=()
cleanup() {
  if [[ -n "$pg_dir" ]]; then
    if [[ -n "$pg_ctl" && -f "$pg_dir/data/postmaster.pid" ]]; then
      (cd / && "${as_pg[@]}" "$pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1) || true
    fi
    rm -rf "$pg_dir"
  fi
}
# Turn fatal signals into a normal exit, so the EXIT trap can still stop the
# server (a shell dying of an untrapped signal kills the trap's subshells).
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_postgres() {
  local initdb bin port
  initdb=$(find_initdb)
  [[ -n "$initdb" ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
  bin=$(dirname "$initdb")
  pg_ctl="$bin/pg_ctl"

  if is_root; then
    # pg_ctl refuses to run as root: run the cluster as postgres, from a
    # directory that user owns (under /tmp, which it can reach).
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to run PostgreSQL as"
    pg_dir=$(mktemp -d /tmp/harbour-pg.XXXXXX)
    chown postgres: "$pg_dir"
    as_pg=(runuser -u postgres --)
  else
    pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/harbour-pg.XXXXXX")
    as_pg=()
  fi

  port=${TEST_PG_PORT:-54329}
  while port_in_use "$port"; do
    port=$((port + 1))
    ((port < 54429)) || die "no free port for PostgreSQL in 54329-54428"
  done

  header "Starting a throwaway PostgreSQL ($(basename "$(dirname "$bin")")) on 127.0.0.1:$port"
  # cd /: the postgres user may not be able to read the current directory.
  (cd / && "${as_pg[@]}" "$bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust \
    -E UTF8 --locale=C.UTF-8 --no-sync >"$pg_dir/initdb.log" 2>&1) || {
    cat "$pg_dir/initdb.log" >&2
    die "initdb failed"
  }
  # fsync and friends off: this cluster is thrown away; tests only.
  (cd / && "${as_pg[@]}" "$pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -t 60 start \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null) || {
    cat "$pg_dir/log" >&2 || true
    die "PostgreSQL did not start"
  }
  export HARBOUR_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "HARBOUR_TEST_PG_URL=$HARBOUR_TEST_PG_URL"
}

# ---------------------------------------------------------------------------
# Steps.

failed=()
step() {
  local name=$1
  shift
  header "$name"
  local start=$SECONDS
  if "$@"; then
    echo "--- ok: $name ($((SECONDS - start)) s)"
  else
    local rc=$?
    echo "--- FAILED (exit $rc): $name ($((SECONDS - start)) s)" >&2
    failed+=("$name")
    if ((fail_fast)); then
      summary
      exit 1
    fi
    return 1
  fi
}

summary() {
  if ((${#failed[@]})); then
    header "FAILED: ${#failed[@]} step(s)"
    printf '  - %s\n' "${failed[@]}"
  else
    header "All steps passed ($SECONDS s)"
  fi
}

unit_tests() {
  if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --no-fail-fast
  else
    echo "(cargo-nextest is not installed; using cargo test)"
    cargo test --workspace --no-fail-fast
  fi
}

ssda903_check() {
  cargo build -q -p harbour || return 1
  local d rc=0 today year
  d=$(mktemp -d "${TMPDIR:-/tmp}/harbour-903.XXXXXX")
  today=$(date -u +%F)
  year=$(date -u +%Y)
  (($(date -u +%-m) >= 4)) && year=$((year + 1))
  # The demo authority (seed 861) and two authorities generated from other
  # seeds, each for last year's and this year's collection.
  local seed db o
  for seed in 861 7 42; do
    db="sqlite://$d/demo$seed.db"
    target/debug/harbour --database-url "$db" demo --seed "$seed" >/dev/null || { rm -rf "$d"; return 1; }
    for y in $((year - 1)) "$year"; do
      o="$d/s$seed-$y"
      echo "seed $seed, collection year $y:"
      target/debug/harbour --database-url "$db" export ssda903 --year "$y" --out "$o/export" || rc=1
      if tools/ssda903/validate --year "$y" --la E06000021 --out "$o/val" "$o/export"/*.csv; then
        grep -q '"SWEpisodes"' "$o/val/run.json" || { echo "the validator did not recognise every file" >&2; rc=1; }
        python3 tools/ssda903/triage.py --year "$y" --today "$today" "$o/export" "$o/val" || rc=1
      else
        echo "the DfE validator crashed on the seed $seed $y export" >&2
        rc=1
      fi
    done
  done
  rm -rf "$d"
  return "$rc"
}

e2e_install() { (cd e2e && npm ci --no-audit --no-fund); }
e2e_run() { (cd e2e && npx --no-install playwright test ${pw_args[@]+"${pw_args[@]}"}); }

if ((run_rust)); then
  if [[ -n "${HARBOUR_TEST_PG_URL:-}" ]]; then
    header "Using the PostgreSQL server at HARBOUR_TEST_PG_URL"
  else
    start_postgres
  fi
  step "cargo fmt --all -- --check" cargo fmt --all -- --check || true
  step "cargo clippy --workspace --all-targets -- -D warnings" \
    cargo clippy --workspace --all-targets -- -D warnings || true
  step "cargo nextest run --workspace --no-fail-fast" unit_tests || true
  step "cargo test --workspace --doc" cargo test --workspace --doc || true
  step "SSDA903: the demo and two generated authorities pass the DfE validator" ssda903_check || true
  step "scale-out: two instances, a primary and a replica" scripts/ci/scale-out.sh || true
  step "Reliability: SIGKILL (5 rounds each), PostgreSQL restart, full disk (SQLite and PostgreSQL), read-only, restore drill" scripts/reliability/crash.sh --rounds 5 || true
  step "cargo deny check licenses bans sources" scripts/ci/deny.sh || true
  step "schemathesis: /api/v1 conforms to its OpenAPI document, no server errors" scripts/ci/schemathesis.sh || true
fi

if ((run_e2e)); then
  if step "cargo build -p harbour" cargo build -p harbour &&
    step "cargo build -p harbour-web --example oidc-provider (for sso.spec.ts)" \
      cargo build -p harbour-web --example oidc-provider; then
    if step "e2e: npm ci" e2e_install; then
      step "e2e: npx playwright test" e2e_run || true
    fi
  else
    echo "(browser tests skipped: the binary did not build)" >&2
  fi
fi

summary
((${#failed[@]} == 0))
