#!/usr/bin/env bash
# The longer reliability run (docs/RELIABILITY.md): 100 SIGKILL rounds on
# SQLite and on PostgreSQL, the PostgreSQL restart, the full disk and the
# read-only directory. About 15-30 minutes on a 2-core machine. The JSON
# figures (one line per scenario) go to stdout and to
# target/reliability/crash-<UTC time>.jsonl.
#
#   scripts/reliability/run-all.sh [--rounds N]   (default 100)
set -euo pipefail
rounds=100
if [[ "${1:-}" == "--rounds" ]]; then rounds=$2; fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mkdir -p "$root/target/reliability"
out="$root/target/reliability/crash-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exec "$root/scripts/reliability/crash.sh" --rounds "$rounds" --out "$out"
