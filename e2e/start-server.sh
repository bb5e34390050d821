#!/usr/bin/env bash
# Started by Playwright's webServer (see playwright.config.ts): runs the debug
# harbour binary with demo data in a fresh SQLite database in a temp dir, and
# deletes the dir when Playwright stops the server (SIGTERM).
#
#   E2E_PORT         port to listen on (default 8787)
#   E2E_HARBOUR_BIN  binary to run (default <target dir>/debug/harbour)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
port=${E2E_PORT:-8787}
target=${CARGO_TARGET_DIR:-$root/target}
[[ "$target" = /* ]] || target="$root/$target"
bin=${E2E_HARBOUR_BIN:-$target/debug/harbour}

if [[ ! -x "$bin" ]]; then
  echo "e2e/start-server.sh: $bin not found; run 'cargo build -p harbour' first" >&2
  exit 1
fi

# harbour refuses HARBOUR_* variables it does not know (a typo guard), and
# scripts/test.sh exports HARBOUR_TEST_PG_URL for the Rust tests: drop the
# test-only ones. (Our own settings are named E2E_*, not HARBOUR_*.)
for v in "${!HARBOUR_TEST_@}"; do unset "$v"; done

dir=$(mktemp -d "${TMPDIR:-/tmp}/harbour-e2e.XXXXXX")
pid=
cleanup() {
  if [[ -n "$pid" ]]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# Not exec: the shell stays to remove the temp dir afterwards.
"$bin" serve --demo \
  --listen "127.0.0.1:$port" \
  --database-url "sqlite://$dir/harbour.db" &
pid=$!
wait "$pid"
