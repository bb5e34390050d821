#!/usr/bin/env bash
# Scale-out test: a PostgreSQL primary and a streaming replica
# (pg_basebackup -R), two `harbour serve` instances on different ports, and
# proof that (a) a session signed in on instance A works on instance B,
# (b) a job enqueued by A (A schedules but does not run jobs) is run by B,
# (c) a dashboard read goes to the replica (its statement log grows) and falls
# back to the primary when the replica stops, (d) disabling the user on A ends
# the session on B within a second. Everything is removed on exit.
#
#   scripts/ci/scale-out.sh        (run by scripts/test.sh; about a minute)
#
# Ports: SCALE_PG_PORT (default 54343) and +10 for the replica;
# SCALE_HTTP_PORT (default 8813) and +1 for the two instances.
set -euo pipefail
cd "$(dirname "$0")/../.."
pgport=${SCALE_PG_PORT:-54343}
repport=$((pgport + 10))
pa=${SCALE_HTTP_PORT:-8813}
pb=$((pa + 1))
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cargo build -q -p harbour
harbour=$PWD/target/debug/harbour
d=$(mktemp -d "${TMPDIR:-/tmp}/harbour-scale.XXXXXX")
chmod 755 "$d"
[[ $(id -u) == 0 ]] && chown postgres: "$d"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  as_pg "$bin/pg_ctl" -D "$d/replica" -m immediate stop >/dev/null 2>&1 || true
  as_pg "$bin/pg_ctl" -D "$d/primary" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$d"
}
trap cleanup EXIT
fail() { echo "scale-out: FAILED: $*" >&2; for f in "$d"/a.log "$d"/b.log; do echo "--- $f" >&2; tail -20 "$f" >&2 || true; done; exit 1; }

echo "== PostgreSQL primary on $pgport and streaming replica on $repport"
(cd / && as_pg "$bin/initdb" -D "$d/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null)
(cd / && as_pg "$bin/pg_ctl" -D "$d/primary" -l "$d/primary.log" -w start \
  -o "-p $pgport -k $d -c listen_addresses=127.0.0.1 -c fsync=off" >/dev/null)
(cd / && as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$pgport" -U postgres -D "$d/replica" -R -X stream)
(cd / && as_pg "$bin/pg_ctl" -D "$d/replica" -l "$d/replica.log" -w start \
  -o "-p $repport -k $d -c listen_addresses=127.0.0.1 -c hot_standby=on -c log_statement=all -c fsync=off" >/dev/null)
psql() { "$bin/psql" -h 127.0.0.1 -U postgres -XAtq "$@"; }
psql -p "$pgport" -c "create database harbour"
export HARBOUR_DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/harbour"
export HARBOUR_PASSWORD_HASH_COST=test HARBOUR_COOKIE_SECURE=false HARBOUR_LOG=warn
"$harbour" migrate >/dev/null
pw="scale out test password"
printf '%s' "$pw" | "$harbour" user add --email analyst@scale.example --name "Ana Lyst" --role analyst >/dev/null
secret=$(printf '%s' "$pw" | "$harbour" user add --email admin@scale.example --name "Sys Admin" --role sysadmin |
  sed -n 's/^Authenticator app secret (shown once): //p')
[[ -n $secret ]] || fail "no TOTP secret for the sysadmin"

echo "== instance A on $pa (schedules jobs, runs none, reports on the replica), B on $pb (runs jobs)"
HARBOUR_PUBLIC_ORIGIN=http://127.0.0.1:$pa HARBOUR_JOB_RUNNER=false \
  HARBOUR_DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$repport/harbour" \
  "$harbour" serve --listen "127.0.0.1:$pa" >"$d/a.log" 2>&1 &
pids+=($!)
HARBOUR_PUBLIC_ORIGIN=http://127.0.0.1:$pb HARBOUR_JOB_SCHEDULER=false \
  "$harbour" serve --listen "127.0.0.1:$pb" >"$d/b.log" 2>&1 &
pids+=($!)
for p in "$pa" "$pb"; do
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$p/readyz" >/dev/null && break; sleep 0.2; done
  curl -fs "http://127.0.0.1:$p/readyz" >/dev/null || fail "instance on $p did not become ready"
done

# Sign in on a port; prints the session cookie (name=value).
sign_in() {
  local port=$1 email=$2 code=${3:-}
  curl -fs -o /dev/null -c - -H "Sec-Fetch-Site: same-origin" \
    --data-urlencode "email=$email" --data-urlencode "password=$pw" --data-urlencode "code=$code" \
    "http://127.0.0.1:$port/sign-in" | awk '$6 ~ /session/ {print $6 "=" $7}'
}
status() { curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $2" "http://127.0.0.1:$1$3"; }

echo "== (a) a session signed in on A works on B"
cookie=$(sign_in "$pa" analyst@scale.example)
[[ -n $cookie ]] || fail "sign-in on A gave no session cookie"
[[ $(status "$pa" "$cookie" /stats) == 200 ]] || fail "the session does not work on A"
[[ $(status "$pb" "$cookie" /stats) == 200 ]] || fail "the session signed in on A does not work on B"
echo "ok: /stats answers 200 on A and on B with the cookie from A"

echo "== (b) jobs enqueued by A's scheduler are run by B's runner"
ok=0
for _ in $(seq 50); do
  if "$harbour" jobs list | awk -v b="/127.0.0.1:$pb" '$3 == "done" && index($0, b) {n++} END {exit !(n >= 2)}'; then ok=1; break; fi
  sleep 0.2
done
"$harbour" jobs list | head -5
((ok)) || fail "B did not run the periodic jobs A enqueued"
"$harbour" jobs list | grep -q "/127.0.0.1:$pa" && fail "A ran a job although job_runner is false"
"$harbour" jobs enqueue caseload.snapshot >/dev/null
ok=0
for _ in $(seq 50); do
  [[ $(psql -p "$pgport" -d harbour -c "select count(*) from jobs where unique_key is null and state = 'done' and locked_by like '%/127.0.0.1:$pb'") == 1 ]] && { ok=1; break; }
  sleep 0.2
done
((ok)) || fail "B did not run the job enqueued by hand"
echo "ok: every job ran on B"

echo "== (c) dashboard reads go to the replica, and fall back to the primary"
curl -fs "http://127.0.0.1:$pa/readyz" | grep -q "replica: ok" || fail "/readyz on A does not report the replica"
before=$(grep -c "execute" "$d/replica.log" || true)
[[ $(status "$pa" "$cookie" /dashboards) == 200 ]] || fail "/dashboards on A"
[[ $(status "$pa" "$cookie" /stats) == 200 ]] || fail "/stats on A"
after=$(grep -c "execute" "$d/replica.log" || true)
((after > before)) || fail "no statement reached the replica ($before -> $after)"
echo "ok: the replica ran $((after - before)) statements for /dashboards and /stats"
(cd / && as_pg "$bin/pg_ctl" -D "$d/replica" -m fast -w stop >/dev/null)
[[ $(status "$pa" "$cookie" /dashboards) == 200 ]] || fail "/dashboards without the replica"
curl -fs "http://127.0.0.1:$pa/readyz" | grep -q "replica: unavailable" || fail "/readyz does not report the replica down"
echo "ok: with the replica stopped /dashboards still answers 200 and /readyz says so"

echo "== (d) disabling the user on A ends the session on B within a second"
code=$(python3 - "$secret" <<'PY'
import base64, hmac, hashlib, struct, sys, time
k = base64.b32decode(sys.argv[1].upper() + "=" * (-len(sys.argv[1]) % 8))
h = hmac.new(k, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
o = h[-1] & 15
print("%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7fffffff) % 1000000))
PY
)
admin=$(sign_in "$pa" admin@scale.example "$code")
[[ -n $admin ]] || fail "the sysadmin could not sign in on A"
uid=$(psql -p "$pgport" -d harbour -c "select id from users where email = 'analyst@scale.example'")
[[ $(status "$pb" "$cookie" /stats) == 200 ]] || fail "the session on B ended early"
curl -fs -o /dev/null -H "Cookie: $admin" -H "Sec-Fetch-Site: same-origin" -X POST \
  "http://127.0.0.1:$pa/admin/staff/$uid/disable" || fail "disabling on A"
t0=$(date +%s%N)
s=$(status "$pb" "$cookie" /stats)
ms=$((($(date +%s%N) - t0) / 1000000))
[[ $s != 200 ]] || fail "the disabled user's session still works on B"
echo "ok: B refused the session ($s) ${ms} ms after the disable on A returned"
echo "scale-out: all checks passed"
