#!/usr/bin/env bash
# schemathesis against Harbour's JSON API: loads the demo authority into a
# temp SQLite database, creates an API token for several roles
# (`harbour token create`), starts `harbour serve` and runs schemathesis
# (from PyPI, pinned, in a cached venv) on /api/v1/openapi.json once per
# role with the checks not_a_server_error, response_schema_conformance,
# status_code_conformance and content_type_conformance. Fails on any
# failure or on a panic in the server's log. Bounded: ST_MAX_EXAMPLES
# examples per operation (default 10) and ST_MAX_TIME seconds per role
# (default 45).
#
#   scripts/ci/schemathesis.sh          (a step of scripts/test.sh)
#   SCHEMATHESIS_PORT=8805 ST_MAX_EXAMPLES=50 scripts/ci/schemathesis.sh
#
# Needs python3 with venv and curl; builds the debug binary. Set
# ST_REPORT_DIR to keep each role's JUnit report.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
version=4.32.5
cache=${HARBOUR_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/harbour-tools}
venv="$cache/venv-schemathesis-$version"
if [[ ! -x "$venv/bin/schemathesis" ]]; then
  mkdir -p "$cache"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

cargo build -q -p harbour
bin="$root/target/debug/harbour"
port=${SCHEMATHESIS_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
dir=$(mktemp -d "${TMPDIR:-/tmp}/harbour-st.XXXXXX")
server=
cleanup() {
  if [[ -n "$server" ]]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

export HARBOUR_DATABASE_URL="sqlite://$dir/harbour.db"
"$bin" demo >"$dir/demo.log"
roles=(social_worker team_manager analyst sysadmin partner_practitioner)
declare -A tokens
for r in "${roles[@]}"; do
  tokens[$r]=$("$bin" token create --user "$r@demo.harbour.test" --name "schemathesis $r" 2>/dev/null | grep -Eo 'hbr_[A-Za-z0-9]+' | head -n 1)
  [[ -n "${tokens[$r]}" ]] || { echo "schemathesis.sh: no token for $r" >&2; exit 1; }
done
"$bin" serve --listen "127.0.0.1:$port" >"$dir/server.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

rc=0
for r in "${roles[@]}"; do
  echo "== schemathesis $version as $r"
  report=()
  if [[ -n "${ST_REPORT_DIR:-}" ]]; then
    mkdir -p "$ST_REPORT_DIR/$r"
    report=(--report junit --report-dir "$ST_REPORT_DIR/$r")
  fi
  "$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/v1/openapi.json" \
    -H "Authorization: Bearer ${tokens[$r]}" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
    --max-examples "${ST_MAX_EXAMPLES:-10}" --max-time "${ST_MAX_TIME:-45}" \
    --workers 1 --seed 903 --no-color --warnings off ${report[@]+"${report[@]}"} || rc=1
done
if grep -q 'panicked' "$dir/server.log"; then
  echo "schemathesis.sh: the server panicked:" >&2
  grep -A5 'panicked' "$dir/server.log" >&2
  rc=1
fi
exit "$rc"
