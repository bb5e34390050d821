#!/usr/bin/env python3
"""Write the benchmark tables of docs/PERFORMANCE.md from bench/run's results.

Replaces the text between `<!-- bench:begin -->` and `<!-- bench:end -->`
(appending the markers if the file has none); every other section of the
page, such as "Generated data", is left as it is.
"""
import argparse
import json
import os
import platform
import re
import subprocess
from pathlib import Path

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def load(res, name):
    p = Path(res) / name
    return json.loads(p.read_text()) if p.exists() else None


def text(res, name):
    p = Path(res) / name
    return p.read_text().strip() if p.exists() else ""


def time_v(res, name):
    """Elapsed seconds and peak RSS (kB) from /usr/bin/time -v output."""
    t = text(res, name)
    el = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
    if not el or not rss:
        return None, None
    h, m, s = el.groups()
    secs = int(h or 0) * 3600 + int(m) * 60 + float(s)
    return secs, int(rss.group(1))


def verdict(ok):
    return "met" if ok else "**missed**"


def machine():
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = 0
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            mem_gb = int(line.split()[1]) / 1024 / 1024
    def ver(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GiB RAM, {platform.system()} {platform.release()}; "
        f"{ver(['rustc', '--version'])}; {ver(['psql', '--version'])}; "
        f"SQLite bundled with sqlx. The load generator, the server and PostgreSQL share "
        f"the 2 cores, and other work (builds, fuzzing) may run beside them, so figures are noisy: the load average "
        f"during each run is recorded beside it."
    )


def open_rows(res, backend, o, load_avg):
    r, w = o["reads"], o["writes"]
    rows = []
    targets = [
        ("reads p50", r["p50_ms"], 3.0),
        ("reads p99", r["p99_ms"], 20.0),
        ("reads p99.9", r["p999_ms"], 100.0),
        ("writes p99", w["p99_ms"], 50.0),
    ]
    for label, v, t in targets:
        rows.append(f"| {backend} | {label} | {v:.2f} ms | ≤ {t:g} ms | {v / t:.2f} | {verdict(v <= t)} |")
    errs = o["all"]["errors"] + o["all"]["refused"]
    rows.append(f"| {backend} | errors (incl. 503) | {errs} of {o['all']['ok'] + errs} | 0 | – | {verdict(errs == 0)} |")
    rows.append(f"| {backend} | achieved rate | {o['achieved_per_s']:.0f}/s | {o['rate']:g}/s | {o['achieved_per_s'] / o['rate']:.2f} | – |")
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--rate", required=True)
    ap.add_argument("--sessions", required=True)
    ap.add_argument("--duration", required=True)
    ap.add_argument("page")
    a = ap.parse_args()
    res = a.results
    out = []
    out.append("## Benchmark results\n")
    out.append(
        "Written by `bench/run` (do not edit by hand between the markers). "
        f"Dataset: **{a.dataset}**, loaded into SQLite (WAL, `synchronous=FULL`) and into a "
        "PostgreSQL 15 cluster of its own with `fsync` on. The server is the release build of "
        "`harbour serve` with default settings except the sign-in rate limits (lifted, because "
        "the bench signs in every session from one address).\n"
    )
    out.append(f"**Machine.** {machine()}\n")

    out.append("### Open loop: 1,000 requests/s from 2,000 sessions, 10% writes\n")
    out.append(
        f"{a.rate} requests/s scheduled at a constant rate for {a.duration} s (after a warm-up) from "
        f"{a.sessions} signed-in sessions; latency is counted from each request's *intended* send "
        "time, so a stall is charged to every request queued behind it (coordinated omission "
        "accounted for). Reads: the child's record page 40%, My work 20%, name search 15%, "
        "API child 15%, API chronology 10%. Writes: case notes, 70% through the form and 30% "
        "through the API. Each figure's baseline is its target; ratio = figure / target "
        "(≤ 1 meets it).\n"
    )
    out.append("| Backend | Measure | Figure | Target | Ratio | |")
    out.append("|---|---|---|---|---|---|")
    loads = []
    for b in ("sqlite", "postgres"):
        o = load(res, f"{b}-open.json")
        if o:
            la = text(res, f"{b}-open-loadavg.txt")
            loads.append(f"{b}: {la}")
            out.extend(open_rows(res, "SQLite" if b == "sqlite" else "PostgreSQL", o, la))
    out.append("")
    if loads:
        out.append("Load average (`/proc/loadavg`) just after each run: " + "; ".join(loads) + ".\n")
    out.append("Per kind of request (p50 / p99 / p99.9 ms, errors):\n")
    out.append("| Backend | " + " | ".join(["child page", "My work", "search", "API child", "API chronology", "note (form)", "note (API)"]) + " |")
    out.append("|---|" + "---|" * 7)
    for b in ("sqlite", "postgres"):
        o = load(res, f"{b}-open.json")
        if not o:
            continue
        cells = []
        for k in ("child_page", "my_work", "search", "api_child", "api_chronology", "note_form", "note_api"):
            s = o["ops"][k]
            cells.append(f"{s['p50_ms']:.1f} / {s['p99_ms']:.1f} / {s['p999_ms']:.1f}, {s['errors'] + s['refused']}")
        out.append(f"| {b} | " + " | ".join(cells) + " |")
    out.append("")

    out.append("### Saturation: the child's record against the `/healthz` floor\n")
    out.append(
        "Closed loop, 16 connections, 10 s per path, one session, same server and run. "
        "Target: the record page at ≥ 0.25 of `/healthz`.\n"
    )
    out.append("| Backend | `/healthz` | child record | Ratio | Target | |")
    out.append("|---|---|---|---|---|---|")
    for b in ("sqlite", "postgres"):
        s = load(res, f"{b}-saturate.json")
        if s:
            h, c = s["paths"][0], s["paths"][1]
            out.append(
                f"| {b} | {h['per_s']:.0f}/s | {c['per_s']:.0f}/s ({c['errors']} errors) | {c['ratio']:.3f} | ≥ 0.25 | {verdict(c['ratio'] >= 0.25)} |"
            )
    out.append("")

    out.append("### Overload: three times the record page's saturation rate\n")
    out.append(
        "Open loop at 3x the child record's saturation rate (same mix, 200 sessions, 15 s), "
        "against default admission control (`max_in_flight`, `admission_wait_ms`). "
        "Baseline: the same backend's p99 at 1,000/s above.\n"
    )
    out.append("| Backend | `max_in_flight` | Offered | Answered 503 | Other errors | Admitted reads p99 | Admitted writes p99 | Reads p99 at 1,000/s | Ratio |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for b in ("sqlite", "postgres"):
        base = load(res, f"{b}-open.json")
        tuned = load(res, f"{b}-overload-tuned-setting.json")
        for f, bound in (("overload", "64 (default)"), ("overload-tuned", str(tuned["max_in_flight"]) if tuned else "")):
            o = load(res, f"{b}-{f}.json")
            if not (o and base):
                continue
            total = o["all"]["ok"] + o["all"]["refused"] + o["all"]["errors"]
            share = o["all"]["refused"] / total if total else 0
            bp = base["reads"]["p99_ms"]
            out.append(
                f"| {b} | {bound} | {o['rate']:g}/s | {share:.1%} | {o['all']['errors']} | {o['reads']['p99_ms']:.1f} ms | {o['writes']['p99_ms']:.1f} ms | {bp:.1f} ms | {o['reads']['p99_ms'] / bp if bp else 0:.2f} |"
            )
    out.append("")

    out.append("### Memory and start-up\n")
    out.append("| Backend | Server peak RSS (VmHWM) after the open-loop run | Target | | Start-up to `/readyz` |")
    out.append("|---|---|---|---|---|")
    for b in ("sqlite", "postgres"):
        r, st = load(res, f"{b}-rss.json"), load(res, f"{b}-startup.json")
        if st:
            mb = r["vmhwm_kb"] / 1024 if r else None
            rss = (f"{mb:.0f} MB | ≤ 200 MB | {verdict(mb <= 200)}" if mb is not None else "not measured | ≤ 200 MB | –")
            out.append(f"| {b} | {rss} | {st['startup_ms']} ms |")
    out.append("")

    out.append("### Dashboards and the data-quality page\n")
    out.append(
        "One team manager, one request after another: the first (cold) and the median of the rest "
        "(four more at M, two at L). `/dashboards` is the manager's own team; `?team=all` is the "
        "whole service, which at L is the country. "
        "Targets (at L): ≤ 1 s on PostgreSQL, ≤ 2 s on SQLite.\n"
    )
    out.append("| Backend | Dataset | Page | First | Median | Target | |")
    out.append("|---|---|---|---|---|---|---|")
    for scale, suffix in ((a.dataset, ""), ("generated L", "-l")):
        for b in ("sqlite", "postgres"):
            d = load(res, f"{b}-dashboards{suffix}.json")
            if not d:
                continue
            t = 2000 if b == "sqlite" else 1000
            for p in d["paths"]:
                at_l = suffix == "-l" and p["path"].startswith("/dashboards")
                ok = p["median_ms"] <= t if at_l else None
                out.append(
                    f"| {b} | {scale} | `{p['path']}` | {p['first_ms']:.0f} ms | {p['median_ms']:.0f} ms | "
                    + (f"≤ {t} ms | {verdict(ok)} |" if ok is not None else "– (the target is at L) | – |")
                )
    loads_l = [f"{b}: {text(res, f'{b}-dashboards-l-loadavg.txt')}" for b in ("sqlite", "postgres") if text(res, f"{b}-dashboards-l-loadavg.txt")]
    if loads_l:
        out.append("")
        out.append("Load average after the L runs: " + "; ".join(loads_l) + ".")
    out.append("")

    out.append("### SSDA903: export plus in-app validation against the DfE validator\n")
    h_s, h_rss = time_v(res, "903-harbour.time")
    v_s, v_rss = time_v(res, "903-dfe.time")
    dq = load(res, "sqlite-dashboards.json")
    dq_ms = next((p["median_ms"] for p in dq["paths"] if p["path"] == "/data-quality"), 0) if dq else 0
    summary = text(res, "903-harbour.out")
    if h_s is not None and v_s is not None:
        ours = h_s + dq_ms / 1000
        out.append(
            "Harbour: `harbour export ssda903` (a process of its own, SQLite) plus the "
            "`/data-quality` page, which builds the same return and runs the in-app validation "
            "(median request time). DfE: `tools/ssda903/validate` (csc-validator-be-903 0.1.17, "
            "isolate mode) on the exported CSV files, after one warm-up run. "
            f"Export: {summary}\n"
        )
        out.append("| | Harbour | DfE validator | Ratio (DfE / Harbour) | Target | |")
        out.append("|---|---|---|---|---|---|")
        ratio = v_s / ours if ours else 0
        out.append(f"| time | {ours:.2f} s | {v_s:.2f} s | {ratio:.0f}x | ≥ 50x | {verdict(ratio >= 50)} |")
        out.append(f"| peak memory | {h_rss / 1024:.0f} MB | {v_rss / 1024:.0f} MB | {v_rss / h_rss:.1f}x | – | – |")
        out.append("")

    body = "\n".join(out).rstrip() + "\n"
    page = Path(a.page)
    old = page.read_text() if page.exists() else "# Performance\n"
    if BEGIN in old and END in old:
        new = old[: old.index(BEGIN) + len(BEGIN)] + "\n" + body + old[old.index(END):]
    else:
        new = old.rstrip() + "\n\n" + BEGIN + "\n" + body + END + "\n"
    page.write_text(new)


if __name__ == "__main__":
    main()
