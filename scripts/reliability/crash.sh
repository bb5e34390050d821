#!/usr/bin/env bash
# Crash and fault tests (issue 9 section 1; docs/RELIABILITY.md says what each
# does and what it found). Builds the debug binary, then for each scenario
# makes a fresh database, an API user and token, and runs
# scripts/reliability/crash.py against `harbour serve` on 127.0.0.1:
#
#   kill-sqlite, kill-postgres   SIGKILL under write load, restart, every
#                                acknowledged write present, integrity checks
#   pg-restart                   PostgreSQL stopped (immediate) and started
#                                again under write load
#   disk-full, read-only         SQLite on a small tmpfs that is filled up /
#                                remounted read-only (need root to mount;
#                                skipped with a message otherwise)
#   pg-disk-full                 PostgreSQL with Harbour's database in a
#                                tablespace on a small tmpfs (WAL on the normal
#                                disk) that is filled up and freed again
#                                (needs root; skipped with a message otherwise)
#   restore-sqlite,              the restore drill on the demo authority:
#   restore-postgres             backup under write load and restore, then a
#                                quiescent backup compared table by table
#
#   scripts/reliability/crash.sh [--rounds N] [--only a,b] [--out FILE]
#
# --rounds N   SIGKILL rounds per backend (default 5; run-all.sh uses 100)
# --only LIST  comma-separated scenarios from the list above (default all)
# --out FILE   also append the JSON figures (one line per scenario) to FILE
#
# PostgreSQL: a cluster of its own (fsync on, as in production) in a temp dir
# on CRASH_PG_PORT (default: the first free port from 54344), removed on exit.
# HTTP on CRASH_HTTP_PORT (default: the first free port from 8790).
set -euo pipefail

rounds=5
only=kill-sqlite,kill-postgres,pg-restart,disk-full,pg-disk-full,read-only,restore-sqlite,restore-postgres
out=
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift ;;
    --only) only=$2; shift ;;
    --out) out=$2; shift ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "crash.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
# harbour refuses HARBOUR_* variables it does not know.
for v in "${!HARBOUR_TEST_@}"; do unset "$v"; done
export HARBOUR_LOG=${CRASH_LOG:-warn}

cargo build -q -p harbour
target=${CARGO_TARGET_DIR:-$root/target}
[[ "$target" = /* ]] || target="$root/$target"
bin=$target/debug/harbour

wants() { [[ ",$only," == *",$1,"* ]]; }
is_root() { [[ $(id -u) -eq 0 ]]; }
# In use: listening, or any socket (e.g. one in TIME-WAIT) bound to it.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  command -v ss >/dev/null && [[ -n "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]]
}
free_port() {
  local p=$1
  while port_in_use "$p"; do p=$((p + 1)); done
  echo "$p"
}

work=$(mktemp -d /tmp/harbour-crash.XXXXXX)
chmod 755 "$work"
mounts=()
pg_data=
pg_bin=
as_pg=()
cleanup() {
  if [[ -n "$pg_data" && -f "$pg_data/postmaster.pid" ]]; then
    (cd / && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1) || true
  fi
  local m
  for m in ${mounts[@]+"${mounts[@]}"}; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

http_port=$(free_port "${CRASH_HTTP_PORT:-8790}")
rc=0
results=()

# prepare URL: migrate (with DEMO=1, load the demo authority), add the load
# user, print its API token.
prepare() {
  local url=$1
  "$bin" --database-url "$url" migrate >/dev/null
  if [[ -n "${DEMO:-}" ]]; then "$bin" --database-url "$url" demo >/dev/null; fi
  echo 'crash-test-password-1' | "$bin" --database-url "$url" user add \
    --email load@crash.test --name "Load Client" --role social_worker >/dev/null
  "$bin" --database-url "$url" token create --user load@crash.test --name crash 2>/dev/null | head -n 1
}

run() {
  local name=$1 url=$2
  shift 2
  local token line
  token=$(prepare "$url")
  echo "== $name" >&2
  mkdir -p "$work/$name"
  if line=$(python3 scripts/reliability/crash.py "$@" --bin "$bin" --db-url "$url" \
    --token "$token" --port "$http_port" --workdir "$work/$name"); then
    echo "-- ok: $name" >&2
  else
    echo "-- FAILED: $name (server log follows)" >&2
    tail -n 30 "$work/$name/serve.log" >&2 || true
    rc=1
  fi
  [[ -n "$line" ]] && echo "$line"
  if [[ -n "$out" && -n "$line" ]]; then echo "$line" >>"$out"; fi
}

if wants kill-postgres || wants pg-restart || wants restore-postgres ||
  { wants pg-disk-full && is_root; }; then
  pg_bin=$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1)")
  [[ -x "$pg_bin/initdb" ]] || { echo "crash.sh: no PostgreSQL under /usr/lib/postgresql" >&2; exit 1; }
  if is_root; then
    chown postgres: "$work"
    as_pg=(runuser -u postgres --)
  fi
  pg_port=$(free_port "${CRASH_PG_PORT:-54344}")
  pg_data=$work/pgdata
  (cd / && "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$work/initdb.log" 2>&1) || { cat "$work/initdb.log" >&2; exit 1; }
  pg_opts="-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c max_connections=100"
  pg_start="cd / && ${as_pg[*]} $pg_bin/pg_ctl -D $pg_data -l $work/pg.log -w -t 60 start -o '$pg_opts' >/dev/null"
  pg_stop="cd / && ${as_pg[*]} $pg_bin/pg_ctl -D $pg_data -m immediate -w stop >/dev/null"
  bash -c "$pg_start" || { cat "$work/pg.log" >&2; exit 1; }
  pg_base="postgres://postgres@127.0.0.1:$pg_port"
  psql=("$pg_bin/psql" -X -q "$pg_base/postgres")
  common_pg=(--psql "$pg_bin/psql" --pg-amcheck "$pg_bin/pg_amcheck"
    --pg-dump "$pg_bin/pg_dump" --pg-restore "$pg_bin/pg_restore")
fi

# PostgreSQL is started before any load: the load's client sockets take
# ephemeral ports, and one left in TIME-WAIT on the chosen port would stop
# PostgreSQL from binding it.
if wants kill-sqlite; then
  run kill-sqlite "sqlite://$work/kill.db" kill --rounds "$rounds"
fi

if wants kill-postgres || wants pg-restart; then
  if wants kill-postgres; then
    "${psql[@]}" -c "create database kill"
    run kill-postgres "$pg_base/kill" kill --rounds "$rounds" "${common_pg[@]}"
  fi
  if wants pg-restart; then
    "${psql[@]}" -c "create database restart"
    run pg-restart "$pg_base/restart" pg-restart "${common_pg[@]}" \
      --pg-stop-cmd "$pg_stop" --pg-start-cmd "$pg_start"
  fi
fi

if wants restore-sqlite; then
  DEMO=1 run restore-sqlite "sqlite://$work/restore.db" restore
fi
if wants restore-postgres; then
  "${psql[@]}" -c "create database restore"
  DEMO=1 run restore-postgres "$pg_base/restore" restore "${common_pg[@]}"
fi

if wants pg-disk-full; then
  if ! is_root; then
    echo "crash.sh: pg-disk-full needs root to mount a small tmpfs; skipped" >&2
  else
    # Harbour's database (catalogs, tables, indexes) in a tablespace on a
    # 32 MiB tmpfs; WAL stays in the cluster's directory on the normal disk,
    # so a full tmpfs fails extending a file (ERROR, SQLSTATE 53100) rather
    # than writing WAL (PANIC). Verbose errors put the SQLSTATE in pg.log.
    mkdir -p "$work/pgfull"
    mount -t tmpfs -o size=32m,mode=755 tmpfs "$work/pgfull"
    mounts+=("$work/pgfull")
    mkdir "$work/pgfull/ts"
    chown postgres: "$work/pgfull/ts"
    "${psql[@]}" -c "create tablespace pgfull location '$work/pgfull/ts'"
    "${psql[@]}" -c "create database diskfull tablespace pgfull"
    "${psql[@]}" -c "alter database diskfull set log_error_verbosity = verbose"
    run pg-disk-full "$pg_base/diskfull" pg-disk-full "${common_pg[@]}" \
      --fill-path "$work/pgfull/filler" --pg-log "$work/pg.log"
  fi
fi

if wants disk-full || wants read-only; then
  if ! is_root; then
    echo "crash.sh: disk-full and read-only need root to mount a small tmpfs; skipped" >&2
  else
    if wants disk-full; then
      mkdir -p "$work/full"
      mount -t tmpfs -o size=48m tmpfs "$work/full"
      mounts+=("$work/full")
      run disk-full "sqlite://$work/full/harbour.db" disk-full
    fi
    if wants read-only; then
      mkdir -p "$work/ro"
      mount -t tmpfs -o size=64m tmpfs "$work/ro"
      mounts+=("$work/ro")
      run read-only "sqlite://$work/ro/harbour.db" read-only \
        --ro-cmd "mount -o remount,ro $work/ro" --rw-cmd "mount -o remount,rw $work/ro"
    fi
  fi
fi

exit "$rc"
