#!/usr/bin/env python3
"""Crash and fault tests for Harbour (issue 9 section 1), Python stdlib only.

Started by scripts/reliability/crash.sh, which builds the binary, makes the
databases (and a PostgreSQL cluster of its own) and mounts the small
filesystems. Each scenario starts `harbour serve`, drives concurrent HTTP
writes through the API (a child, case notes on it, then a missing report),
records every write the server acknowledged (201 with the created id), does
something bad to the server or its storage, and then checks that every
acknowledged write is in the database and the database passes its integrity
checks. It prints one JSON line of figures per scenario and exits non-zero
when anything acknowledged is lost, a check fails, or an answer is not clean.

Scenarios:
  kill        SIGKILL the server at a random moment under write load, restart,
              verify; --rounds times.
  pg-restart  restart PostgreSQL (immediate stop, a few seconds down) under
              write load; the server must recover by itself, /readyz must say
              503 while PostgreSQL is down, failures must be clean 503s.
  disk-full   SQLite on a small filesystem that is filled up: clean 503s that
              say the disk is full, nothing corrupted, writes work again once
              space returns.
  pg-disk-full
              PostgreSQL with Harbour's database in a tablespace on a small
              filesystem that is filled up (WAL elsewhere): clean 503s that say
              the disk is full, reads still served, PostgreSQL errors with
              SQLSTATE 53100 and never panics, nothing corrupted, writes work
              again once space returns, with no restart.
  read-only   the SQLite data directory's filesystem remounted read-only: clean
              503s, and a clear start-up error for a server started there.
  restore     the restore drill: back up under write load (SQLite: `harbour
              backup`; PostgreSQL: pg_dump -Fc) and restore; the copy passes
              its integrity checks and holds every write acknowledged before
              the backup began; a backup of the stopped server restores equal
              to the source, table by table (rows and digest), and serves.

All traffic goes to 127.0.0.1; every loop is bounded in count and time.
"""

import argparse
import atexit
import copy
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid

INTERNALS = ("sqlx", "sqlite", "postgres", "error returned from database", "panicked",
             "pool timed out", "SQLSTATE", "stack backtrace", "os error")


def log(*a):
    print("[crash]", *a, file=sys.stderr, flush=True)


SERVERS = []


@atexit.register
def _kill_servers():
    """Never leave a server behind, whatever went wrong."""
    for srv in SERVERS:
        srv.kill()


class Server:
    """One `harbour serve` process."""

    def __init__(self, args, env=None):
        self.args = args
        self.proc = None
        self.env = dict(os.environ, **(env or {}))
        self.log_path = os.path.join(args.workdir, "serve.log")

    def start(self, expect_ready=True, timeout=60.0):
        # Another server on the port would answer for this one.
        t0 = time.monotonic()
        while request(self.args.port, "GET", "/healthz", timeout=1)[0] is not None:
            if time.monotonic() - t0 > 10:
                raise SystemExit(f"port {self.args.port} is taken by another server")
            time.sleep(0.1)
        if self not in SERVERS:
            SERVERS.append(self)
        logf = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [self.args.bin, "serve", "--listen", f"127.0.0.1:{self.args.port}",
             "--database-url", self.args.db_url],
            stdout=logf, stderr=subprocess.STDOUT, env=self.env, start_new_session=True)
        logf.close()
        if not expect_ready:
            return
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise SystemExit(f"harbour serve exited with {self.proc.returncode}; see {self.log_path}")
            st, _ = request(self.args.port, "GET", "/readyz", timeout=2)
            if st == 200:
                return time.monotonic() - t0
            time.sleep(0.05)
        raise SystemExit(f"harbour serve not ready after {timeout} s; see {self.log_path}")

    def kill(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def request(port, method, path, body=None, token=None, timeout=10.0):
    """One request; (status, body text), status None on a connection failure."""
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return None, ""
    finally:
        conn.close()


class Load:
    """Concurrent writers. Acknowledged writes go to self.acked as (table, id)."""

    def __init__(self, args, token, threads):
        self.args, self.token, self.threads = args, token, threads
        self.acked = []
        self.statuses = {}
        self.problems_503 = {}
        self.unclean = []  # (status, body) of failures that were not clean
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.workers = []
        self.first_ok_after = None  # set by watch_recovery
        self.last_ok_at = 0.0
        self.first_ok_at = None

    def _count(self, status, body):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 503:  # which problem: cannot-save, unavailable, ...
                kind = next((k for k in ("cannot-save", "unavailable") if f"problems/{k}" in body),
                            "other")
                self.problems_503[kind] = self.problems_503.get(kind, 0) + 1
            if status is not None and status >= 500:
                low = body.lower()
                if status != 503 or any(w.lower() in low for w in INTERNALS):
                    if len(self.unclean) < 20:
                        self.unclean.append((status, body[:300]))

    def _post(self, path, body):
        st, text = request(self.args.port, "POST", path, body, self.token)
        self._count(st, text)
        if st == 201:
            try:
                new_id = json.loads(text)["id"]
            except (ValueError, KeyError):
                with self.lock:
                    self.unclean.append((st, "201 without an id: " + text[:200]))
                return None
            with self.lock:
                self.last_ok_at = time.monotonic()
                if self.first_ok_at is None:
                    self.first_ok_at = self.last_ok_at
            return new_id
        if st is None:
            time.sleep(0.05)  # the server is down: do not spin
        elif st == 503:
            time.sleep(0.1)
        return None

    def _ack(self, table, new_id):
        with self.lock:
            self.acked.append((table, new_id))

    def _worker(self, n):
        rnd = random.Random(n * 7919 + int(time.time()))
        deadline = time.monotonic() + self.args.max_load_seconds
        while not self.stop.is_set() and time.monotonic() < deadline:
            child = self._post("/api/v1/children", {
                "first_name": f"Load{n}", "last_name": uuid.uuid4().hex[:10],
                "dob": f"{2008 + rnd.randrange(8)}-0{1 + rnd.randrange(9)}-1{rnd.randrange(9)}",
                "sex": rnd.choice("MF"), "ethnicity": "WBRI"})
            if child is None:
                continue
            self._ack("children", child)
            for k in range(3):
                if self.stop.is_set():
                    break
                note = self._post(f"/api/v1/children/{child}/notes", {
                    "kind": "visit", "occurred_at": "2026-01-05T10:00:00Z",
                    "subject": f"Crash test note {k}", "body": "x" * rnd.randrange(50, 2000)})
                if note:
                    self._ack("case_notes", note)
            if self.stop.is_set():
                break
            ep = self._post(f"/api/v1/children/{child}/missing-episodes", {
                "kind": "M", "missing_from": "home", "last_seen_at": "2026-01-06T18:00:00Z",
                "location_left": "Home", "circumstances": "Crash test"})
            if ep:
                self._ack("missing_episodes", ep)

    def start(self):
        for n in range(self.threads):
            t = threading.Thread(target=self._worker, args=(n,), daemon=True)
            t.start()
            self.workers.append(t)

    def finish(self):
        self.stop.set()
        for t in self.workers:
            t.join(timeout=30)


# --------------------------------------------------------------------------
# Checks.

def backend(args):
    return "sqlite" if args.db_url.startswith("sqlite:") else "postgres"


def sqlite_path(args):
    return args.db_url.split("://", 1)[1].split("?", 1)[0]


def present_ids(args, table):
    """Every id in a table, as canonical uuid text."""
    if backend(args) == "sqlite":
        con = sqlite3.connect(f"file:{sqlite_path(args)}?mode=ro", uri=True, timeout=30)
        try:
            return {str(uuid.UUID(bytes=bytes(r[0]))) for r in con.execute(f"select id from {table}")}
        finally:
            con.close()
    out = subprocess.run([args.psql, args.db_url, "-XAtqc", f"select id::text from {table}"],
                         check=True, capture_output=True, text=True).stdout
    return set(out.split())


def integrity(args):
    """Integrity checks; returns a list of problems (empty when all pass)."""
    problems = []
    if backend(args) == "sqlite":
        con = sqlite3.connect(f"file:{sqlite_path(args)}?mode=ro", uri=True, timeout=30)
        try:
            ic = [r[0] for r in con.execute("pragma integrity_check")]
            if ic != ["ok"]:
                problems.append(f"integrity_check: {ic[:5]}")
            fk = list(con.execute("pragma foreign_key_check"))
            if fk:
                problems.append(f"foreign_key_check: {fk[:5]}")
        finally:
            con.close()
    else:
        r = subprocess.run([args.pg_amcheck, "--heapallindexed", "--install-missing",
                            args.db_url],
                           capture_output=True, text=True)
        if r.returncode != 0:
            problems.append(f"pg_amcheck exit {r.returncode}: {(r.stdout + r.stderr)[:500]}")
    r = subprocess.run([args.bin, "--database-url", args.db_url, "audit", "verify"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        problems.append(f"audit verify exit {r.returncode}: {(r.stdout + r.stderr)[:500]}")
    return problems


def missing_acked(args, acked):
    by_table = {}
    for table, i in acked:
        by_table.setdefault(table, []).append(i)
    lost = []
    for table, ids in by_table.items():
        have = present_ids(args, table)
        lost += [(table, i) for i in ids if i not in have]
    return lost


def http_spot_check(args, token, acked, n=5):
    """The running server serves a sample of the acknowledged children."""
    bad = []
    children = [i for t, i in acked if t == "children"]
    for cid in random.sample(children, min(n, len(children))):
        st, _ = request(args.port, "GET", f"/api/v1/children/{cid}", token=token)
        if st != 200:
            bad.append((cid, st))
    return bad


# --------------------------------------------------------------------------
# Scenarios.

def scenario_kill(args, token):
    srv = Server(args)
    total_acked, total_lost, problems, kill_times = 0, 0, [], []
    all_acked = []
    t_start = time.monotonic()
    for rnd in range(1, args.rounds + 1):
        srv.start()
        load = Load(args, token, args.threads)
        load.start()
        at = random.uniform(args.kill_min, args.kill_max)
        time.sleep(at)
        srv.kill()
        kill_times.append(round(at, 2))
        load.finish()
        srv.start()
        lost = missing_acked(args, load.acked)
        probs = integrity(args)
        bad_http = http_spot_check(args, token, load.acked)
        srv.stop()
        total_acked += len(load.acked)
        total_lost += len(lost)
        all_acked += load.acked
        if lost:
            problems.append(f"round {rnd}: {len(lost)} acknowledged writes lost, e.g. {lost[:3]}")
        if probs:
            problems.append(f"round {rnd}: " + "; ".join(probs))
        if bad_http:
            problems.append(f"round {rnd}: acknowledged children not served: {bad_http}")
        if load.unclean:
            problems.append(f"round {rnd}: unclean failures {load.unclean[:3]}")
        log(f"{backend(args)} round {rnd}/{args.rounds}: killed at {at:.2f} s, "
            f"{len(load.acked)} acknowledged, {len(lost)} lost, checks {'ok' if not probs else 'FAILED'}")
    # Everything acknowledged in any round is still there at the end.
    final_lost = missing_acked(args, all_acked)
    if final_lost:
        problems.append(f"at the end: {len(final_lost)} acknowledged writes lost")
    return {
        "scenario": "kill", "backend": backend(args), "rounds": args.rounds,
        "threads": args.threads, "writes_acknowledged_and_checked": total_acked,
        "writes_lost": total_lost + len(final_lost),
        "integrity_checks_passed": sum(1 for p in problems if "integrity" in p or "audit" in p or "pg_amcheck" in p) == 0,
        "kill_after_seconds": {"min": min(kill_times), "max": max(kill_times)},
        "seconds": round(time.monotonic() - t_start, 1), "problems": problems,
    }


def poll_readyz(args, stop, samples):
    while not stop.is_set():
        st, body = request(args.port, "GET", "/readyz", timeout=3)
        samples.append((time.monotonic(), st, body[:100]))
        time.sleep(0.1)


def scenario_pg_restart(args, token):
    srv = Server(args)
    srv.start()
    load = Load(args, token, args.threads)
    samples, stop = [], threading.Event()
    poller = threading.Thread(target=poll_readyz, args=(args, stop, samples), daemon=True)
    poller.start()
    load.start()
    time.sleep(1.5)
    t_down = time.monotonic()
    subprocess.run(args.pg_stop_cmd, shell=True, check=True)
    time.sleep(args.outage_seconds)
    t_starting = time.monotonic()
    # A load socket in TIME-WAIT on PostgreSQL's port (an ephemeral port
    # while PostgreSQL is down) can make one start fail: try a few times.
    for attempt in range(5):
        if subprocess.run(args.pg_start_cmd, shell=True).returncode == 0:
            break
        if attempt == 4:
            raise SystemExit("PostgreSQL did not start again")
        time.sleep(1)
    t_up = time.monotonic()
    # Wait for the first acknowledged write after PostgreSQL is back.
    recovered = None
    while time.monotonic() - t_up < 60:
        with load.lock:
            if load.last_ok_at > t_up:
                recovered = load.last_ok_at - t_up
                break
        time.sleep(0.05)
    time.sleep(1.0)
    load.finish()
    stop.set()
    poller.join(timeout=10)
    down = [s for s in samples if t_down + 0.3 < s[0] < t_starting]
    ready_503 = sum(1 for s in down if s[1] == 503)
    after = [s for s in samples if s[0] > t_up + (recovered or 0) + 0.5]
    problems = []
    if recovered is None:
        problems.append("no write succeeded within 60 s of PostgreSQL coming back")
    if not down or ready_503 != len(down):
        problems.append(f"/readyz during the outage: {[(s[1]) for s in down][:20]}")
    if after and any(s[1] != 200 for s in after):
        problems.append("/readyz not 200 after recovery")
    if srv.proc.poll() is not None:
        problems.append("the server exited during the outage")
    if load.unclean:
        problems.append(f"unclean failures: {load.unclean[:3]}")
    lost = missing_acked(args, load.acked)
    if lost:
        problems.append(f"{len(lost)} acknowledged writes lost")
    probs = integrity(args)
    problems += probs
    srv.stop()
    return {
        "scenario": "pg-restart", "backend": "postgres", "outage_seconds": args.outage_seconds,
        "statuses": {str(k): v for k, v in sorted(load.statuses.items(), key=lambda kv: str(kv[0]))},
        "readyz_during_outage": f"{ready_503}/{len(down)} answered 503",
        "recovery_seconds_after_pg_up": None if recovered is None else round(recovered, 2),
        "writes_acknowledged_and_checked": len(load.acked), "writes_lost": len(lost),
        "server_errors_other_than_clean_503": len(load.unclean), "problems": problems,
    }


def fill(path):
    """Fill the filesystem holding `path` until it refuses more."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    except OSError:
        return  # already full
    try:
        for size in (1 << 20, 4096):
            chunk = b"\0" * size
            try:
                while True:
                    os.write(fd, chunk)
            except OSError:
                pass
    finally:
        os.close(fd)


def writes_until(args, token, load, want_status, seconds):
    """Drive writes for a while; count statuses."""
    load.start()
    time.sleep(seconds)
    load.finish()
    return load.statuses.get(want_status, 0)


def scenario_disk_full(args, token):
    srv = Server(args)
    srv.start()
    problems = []
    before = Load(args, token, 2)
    writes_until(args, token, before, 201, 2.0)
    filler = os.path.join(os.path.dirname(sqlite_path(args)), "filler")
    fill(filler)
    full = Load(args, token, 2)
    writes_until(args, token, full, 503, 3.0)
    bodies = []
    for _ in range(3):
        st, body = request(args.port, "POST", "/api/v1/children", {
            "first_name": "Full", "last_name": "Disk", "dob": "2012-01-01", "sex": "F",
            "ethnicity": "WBRI"}, token)
        bodies.append((st, body))
    full_503 = [b for s, b in bodies if s == 503]
    if not full_503 or not all("disk is full" in b for b in full_503):
        problems.append(f"full disk answers: {bodies}")
    if full.unclean:
        problems.append(f"unclean failures while full: {full.unclean[:3]}")
    os.remove(filler)
    after = Load(args, token, 2)
    writes_until(args, token, after, 201, 2.0)
    if not after.acked:
        problems.append("no write succeeded after space returned")
    acked = before.acked + full.acked + after.acked
    lost = missing_acked(args, acked)
    if lost:
        problems.append(f"{len(lost)} acknowledged writes lost")
    srv.stop()
    problems += integrity(args)
    return {
        "scenario": "disk-full", "backend": "sqlite",
        "statuses_while_full": {str(k): v for k, v in full.statuses.items()},
        "acknowledged_while_full": len(full.acked),
        "sample_answer": full_503[0][:300] if full_503 else None,
        "writes_acknowledged_and_checked": len(acked), "writes_lost": len(lost),
        "writes_after_space_returned": len(after.acked), "problems": problems,
    }


def scenario_read_only(args, token):
    """The data directory's filesystem becomes read-only while the server is
    stopped (a running server holds the database open for writing, so the
    kernel refuses to remount under it): a server started there must refuse
    to start with a clear message, and work again once it is writable."""
    srv = Server(args)
    srv.start()
    problems = []
    before = Load(args, token, 2)
    writes_until(args, token, before, 201, 1.5)
    srv.stop()
    subprocess.run(args.ro_cmd, shell=True, check=True)
    start = subprocess.run([args.bin, "serve", "--listen", f"127.0.0.1:{args.port}",
                            "--database-url", args.db_url],
                           capture_output=True, text=True, timeout=60)
    startup = (start.stdout + start.stderr).strip().splitlines()[-1:] or [""]
    if start.returncode == 0 or "read-only" not in startup[0]:
        problems.append(f"start-up on a read-only directory: exit {start.returncode}: {startup[0][:300]}")
    subprocess.run(args.rw_cmd, shell=True, check=True)
    srv.start()
    after = Load(args, token, 2)
    writes_until(args, token, after, 201, 1.5)
    if not after.acked:
        problems.append("no write succeeded after the directory became writable again")
    if before.unclean or after.unclean:
        problems.append(f"unclean failures: {(before.unclean + after.unclean)[:3]}")
    srv.stop()
    acked = before.acked + after.acked
    lost = missing_acked(args, acked)
    if lost:
        problems.append(f"{len(lost)} acknowledged writes lost")
    problems += integrity(args)
    return {
        "scenario": "read-only", "backend": "sqlite",
        "startup_error": startup[0][:300], "startup_exit": start.returncode,
        "writes_acknowledged_and_checked": len(acked), "writes_lost": len(lost),
        "writes_after_writable_again": len(after.acked), "problems": problems,
    }


def pg_log_tail(path, offset):
    """PostgreSQL's server log from byte `offset` on ("" without a log)."""
    if not path or not os.path.exists(path):
        return ""
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read().decode("utf-8", "replace")


def scenario_pg_disk_full(args, token):
    """PostgreSQL with Harbour's database in a tablespace on a small tmpfs
    (WAL stays on the normal disk, so a full disk is an ERROR on extending a
    table or index, SQLSTATE 53100, not a PANIC): fill it under write load,
    then free it again without touching the server or PostgreSQL. /readyz is
    recorded, not judged, while full (it pings; the database still answers)."""
    log_from = os.path.getsize(args.pg_log) if args.pg_log and os.path.exists(args.pg_log) else 0
    srv = Server(args)
    srv.start()
    problems = []
    samples, stop = [], threading.Event()
    poller = threading.Thread(target=poll_readyz, args=(args, stop, samples), daemon=True)
    poller.start()
    before = Load(args, token, args.threads)
    writes_until(args, token, before, 201, 2.0)
    t_full = time.monotonic()
    fill(args.fill_path)
    free = shutil.disk_usage(os.path.dirname(args.fill_path)).free
    full = Load(args, token, args.threads)
    writes_until(args, token, full, 503, 4.0)
    # Writes refused with the problem a client can act on, nothing internal.
    bodies = []
    for _ in range(3):
        st, body = request(args.port, "POST", "/api/v1/children", {
            "first_name": "Full", "last_name": "Disk", "dob": "2012-01-01", "sex": "F",
            "ethnicity": "WBRI"}, token)
        bodies.append((st, body))
    full_503 = [b for s, b in bodies if s == 503]
    if not full_503 or not all("disk is full" in b and "cannot-save" in b for b in full_503):
        problems.append(f"full disk answers: {bodies}")
    # Reads while full. Opening a child's record and the caseload list are
    # audited in the same transaction, so each needs its audit row written:
    # on a full disk one may be refused with the same clean 503 (no read goes
    # unaudited). Anything but 200 or a clean 503 fails.
    children = [i for t, i in before.acked if t == "children"]
    reads = {"child record": [f"/api/v1/children/{c}"
                              for c in random.sample(children, min(10, len(children)))],
             "caseload list": ["/api/v1/children"] * 5}
    reads_while_full = {}
    for what, paths in reads.items():
        counts = reads_while_full.setdefault(what, {})
        for path in paths:
            st, body = request(args.port, "GET", path, token=token)
            clean_503 = st == 503 and "problems/cannot-save" in body and not any(
                w.lower() in body.lower() for w in INTERNALS)
            key = "200" if st == 200 else "503 cannot-save" if clean_503 else str(st)
            counts[key] = counts.get(key, 0) + 1
            if key not in ("200", "503 cannot-save"):
                problems.append(f"read {path} while full: {st} {body[:200]}")
    if not reads["child record"]:
        problems.append("no child was acknowledged before the disk filled")
    t_freed = time.monotonic()
    os.remove(args.fill_path)
    after = Load(args, token, args.threads)
    writes_until(args, token, after, 201, 3.0)
    recovered = None
    if after.first_ok_at is not None:
        recovered = after.first_ok_at - t_freed
    else:
        problems.append("no write succeeded after space returned")
    stop.set()
    poller.join(timeout=10)
    ready_full = [s[1] for s in samples if t_full < s[0] < t_freed]
    ready_after = [s[1] for s in samples if s[0] > t_freed + (recovered or 0)]
    if any(s != 200 for s in ready_after):
        problems.append(f"/readyz after space returned: {ready_after[:20]}")
    unclean = before.unclean + full.unclean + after.unclean
    if unclean:
        problems.append(f"unclean failures: {unclean[:3]}")
    if srv.proc.poll() is not None:
        problems.append("the server exited while the disk was full")
    acked = before.acked + full.acked + after.acked
    lost = missing_acked(args, acked)
    if lost:
        problems.append(f"{len(lost)} acknowledged writes lost")
    srv.stop()
    problems += integrity(args)
    # What PostgreSQL said: errors with SQLSTATE 53100 (the database is set to
    # log_error_verbosity = verbose), no PANIC, no crash restart.
    pglog = pg_log_tail(args.pg_log, log_from)
    extend = [ln for ln in pglog.splitlines()
              if "ERROR:  53100:" in ln and "could not extend file" in ln]
    extend_errors = len(extend)
    other_53100 = sum(1 for ln in pglog.splitlines()
                      if "ERROR:  53100:" in ln and "could not extend file" not in ln)
    panics = sum(1 for ln in pglog.splitlines() if "PANIC:" in ln)
    crashed = "terminating any other active server processes" in pglog
    if args.pg_log and not extend_errors:
        problems.append("PostgreSQL logged no 53100 'could not extend file' error: was the disk full?")
    if panics or crashed:
        problems.append(f"PostgreSQL: {panics} PANIC lines, crash restart: {crashed}")
    refused = full.statuses.get(503, 0) + sum(1 for s, _ in bodies if s == 503)

    def statuses(load):
        return {str(k): v for k, v in sorted(load.statuses.items(), key=lambda kv: str(kv[0]))}
    return {
        "scenario": "pg-disk-full", "backend": "postgres",
        "free_bytes_after_fill": free,
        "statuses_before": statuses(before), "statuses_while_full": statuses(full),
        "statuses_after_space_returned": statuses(after),
        "acknowledged_while_full": len(full.acked), "refused_503_while_full": refused,
        "problems_503_while_full": full.problems_503,
        "server_errors_other_than_clean_503": len(unclean),
        "sample_answer": full_503[0][:300] if full_503 else None,
        "reads_while_full": reads_while_full,
        "readyz_while_full": {str(k): ready_full.count(k) for k in sorted(set(ready_full), key=str)},
        "pg_log": {"53100_could_not_extend_file": extend_errors, "53100_other": other_53100,
                   "panic": panics, "crash_restart": crashed,
                   "sample": extend[0].split("ERROR:", 1)[1].strip()[:200] if extend else None},
        "recovery_seconds_after_space_returned": None if recovered is None else round(recovered, 2),
        "writes_after_space_returned": len(after.acked),
        "writes_acknowledged_and_checked": len(acked), "writes_lost": len(lost),
        "problems": problems,
    }


def table_digests(args, url):
    """{table: (rows, digest)} for every table: the digest is over the rows'
    text, sorted, so it does not depend on physical order."""
    if url.startswith("sqlite:"):
        path = url.split("://", 1)[1].split("?", 1)[0]
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            names = [r[0] for r in con.execute(
                "select name from sqlite_master where type = 'table' "
                "and name not like 'sqlite_%' order by name")]
            out = {}
            for t in names:
                rows = sorted(repr(r) for r in con.execute(f'select * from "{t}"'))
                out[t] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
            return out
        finally:
            con.close()

    def q(sql):
        return subprocess.run([args.psql, url, "-XAtqc", sql], check=True,
                              capture_output=True, text=True).stdout.strip()
    out = {}
    for t in q("select tablename from pg_tables where schemaname = 'public' order by 1").split():
        n, d = q(f"select count(*), coalesce(md5(string_agg(x::text, E'\\n' order by x::text)), '') "
                 f"from \"{t}\" x").split("|")
        out[t] = (int(n), d)
    return out


def take_backup(args, src_url, name):
    """Back up src_url the way docs/BACKUPS.md says (SQLite: `harbour backup`;
    PostgreSQL: pg_dump -Fc) and restore it into a new database; returns
    (restored url, seconds to back up, seconds to restore)."""
    t0 = time.monotonic()
    if src_url.startswith("sqlite:"):
        out = os.path.join(args.workdir, f"{name}.db")
        subprocess.run([args.bin, "--database-url", src_url, "backup", "--out", out],
                       check=True, capture_output=True, text=True, timeout=300)
        t1 = time.monotonic()
        restored = os.path.join(args.workdir, f"{name}-restored.db")
        shutil.copyfile(out, restored)  # restoring a SQLite backup is putting the file in place
        return f"sqlite://{restored}", t1 - t0, time.monotonic() - t1
    dump = os.path.join(args.workdir, f"{name}.dump")
    subprocess.run([args.pg_dump, "-Fc", "-f", dump, src_url], check=True,
                   capture_output=True, text=True, timeout=300)
    t1 = time.monotonic()
    base, _ = src_url.rsplit("/", 1)
    db = f"restored_{name.replace('-', '_')}"
    subprocess.run([args.psql, f"{base}/postgres", "-Xqc", f"drop database if exists {db}"],
                   check=True, capture_output=True, text=True)
    subprocess.run([args.psql, f"{base}/postgres", "-Xqc", f"create database {db}"],
                   check=True, capture_output=True, text=True)
    subprocess.run([args.pg_restore, "--exit-on-error", "--single-transaction", "--no-owner",
                    "-d", f"{base}/{db}", dump], check=True, capture_output=True, text=True,
                   timeout=300)
    return f"{base}/{db}", t1 - t0, time.monotonic() - t1


def scenario_restore(args, token):
    """The restore drill: back up while the server takes writes, restore,
    and check the copy: integrity and the audit chain, every write
    acknowledged before the backup began present, every table's rows a
    subset of the source's (tables that are updated in place excepted);
    then stop the server, back up again and check that the restored copy
    equals the source table by table (row count and digest)."""
    srv = Server(args)
    srv.start()
    problems = []
    load = Load(args, token, args.threads)
    load.start()
    time.sleep(1.5)
    with load.lock:
        acked_before = list(load.acked)
    live_url, live_backup_s, live_restore_s = take_backup(args, args.db_url, "under-load")
    time.sleep(0.5)
    load.finish()
    if load.unclean:
        problems.append(f"unclean failures: {load.unclean[:3]}")
    srv.stop()
    live = copy.copy(args)
    live.db_url = live_url
    problems += [f"backup under load: {p}" for p in integrity(live)]
    lost = missing_acked(live, acked_before)
    if lost:
        problems.append(f"backup under load: {len(lost)} writes acknowledged before it began are missing")
    # The quiescent backup: identical to the source, table by table.
    quiet_url, quiet_backup_s, quiet_restore_s = take_backup(args, args.db_url, "quiescent")
    quiet = copy.copy(args)
    quiet.db_url = quiet_url
    problems += [f"quiescent backup: {p}" for p in integrity(quiet)]
    src, dst = table_digests(args, args.db_url), table_digests(args, quiet_url)
    differ = sorted(t for t in set(src) | set(dst) if src.get(t) != dst.get(t))
    if differ:
        problems.append(f"restored tables differ from the source: {differ[:8]}")
    # The restored database serves: a server started on it answers for the
    # acknowledged children.
    quiet_srv = Server(quiet)
    quiet_srv.start()
    bad = http_spot_check(quiet, token, load.acked, n=10)
    quiet_srv.stop()
    if bad:
        problems.append(f"restored server did not serve acknowledged children: {bad}")
    return {
        "scenario": "restore", "backend": backend(args),
        "writes_acknowledged_before_backup": len(acked_before),
        "writes_acknowledged_in_all": len(load.acked), "writes_lost": len(lost),
        "tables_compared": len(src), "rows_compared": sum(n for n, _ in src.values()),
        "tables_differing": len(differ),
        "backup_under_load_seconds": round(live_backup_s, 2),
        "restore_seconds": round(live_restore_s, 2),
        "quiescent_backup_seconds": round(quiet_backup_s, 2),
        "problems": problems,
    }



def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("scenario", choices=["kill", "pg-restart", "disk-full", "pg-disk-full", "read-only",
                                       "restore"])
    p.add_argument("--bin", required=True)
    p.add_argument("--db-url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--kill-min", type=float, default=0.3)
    p.add_argument("--kill-max", type=float, default=3.0)
    p.add_argument("--max-load-seconds", type=float, default=60.0)
    p.add_argument("--outage-seconds", type=float, default=8.0)
    p.add_argument("--psql", default="psql")
    p.add_argument("--pg-amcheck", default="pg_amcheck")
    p.add_argument("--pg-dump", default="pg_dump")
    p.add_argument("--pg-restore", default="pg_restore")
    p.add_argument("--pg-stop-cmd")
    p.add_argument("--pg-start-cmd")
    p.add_argument("--fill-path", help="pg-disk-full: the file that fills the tmpfs")
    p.add_argument("--pg-log", help="pg-disk-full: PostgreSQL's server log")
    p.add_argument("--ro-cmd")
    p.add_argument("--rw-cmd")
    args = p.parse_args()
    fn = {"kill": scenario_kill, "pg-restart": scenario_pg_restart,
          "disk-full": scenario_disk_full, "pg-disk-full": scenario_pg_disk_full,
          "read-only": scenario_read_only,
          "restore": scenario_restore}[args.scenario]
    result = fn(args, args.token)
    print(json.dumps(result), flush=True)
    if result["problems"] or result["writes_lost"]:
        for pr in result["problems"]:
            log("PROBLEM:", pr)
        sys.exit(1)


if __name__ == "__main__":
    main()
