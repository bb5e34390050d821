//! `harbour-bench`: the load generator behind `bench/run`.
//!
//! - `open`: open-loop load. Requests are scheduled at a constant rate from
//!   many signed-in sessions and sent on time whether or not earlier ones
//!   have answered; each latency is counted from the request's intended send
//!   time, so a stalled server is charged for the queue it causes
//!   (coordinated omission). Reads and writes are reported separately.
//! - `saturate`: closed-loop maximum throughput with C connections for each
//!   of several paths in turn (e.g. `/healthz`, then a child's record), with
//!   the ratio to the first.
//!
//! Results: one JSON object on standard output; progress on standard error.

mod http;
mod mix;
mod stats;

use http::{Conn, cookie_pair};
use mix::{Op, Session, World};
use stats::{Rng, Summary, intended_offset, latency_from_intended, schedule_len, summarise};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const USAGE: &str = "usage:
  harbour-bench open --addr HOST:PORT --users EMAIL[,EMAIL…] --password P
      [--sessions 2000] [--rate 1000] [--duration 30] [--warmup 5]
      [--writes 0.1] [--token API_TOKEN] [--seed 1] [--sign-in-parallel 2]
      [--timeout-ms 10000]
  harbour-bench saturate --addr HOST:PORT --users EMAIL --password P
      [--paths /healthz,/children/{child}] [--connections 16] [--duration 10]
  harbour-bench time --addr HOST:PORT --users EMAIL --password P
      --paths /dashboards[,…] [--repeat 5]";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((mode, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        std::process::exit(2);
    };
    let opts = match parse_opts(rest) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let result = rt.block_on(async {
        match mode.as_str() {
            "open" => open_loop(&opts).await,
            "saturate" => saturate(&opts).await,
            "time" => time_pages(&opts).await,
            _ => Err(format!("unknown mode {mode}")),
        }
    });
    match result {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("harbour-bench: {e}");
            std::process::exit(1);
        }
    }
}

/// `--key value` pairs.
fn parse_opts(args: &[String]) -> Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    let mut it = args.iter();
    while let Some(k) = it.next() {
        let key = k
            .strip_prefix("--")
            .ok_or_else(|| format!("expected --option, got {k}"))?;
        let v = it.next().ok_or_else(|| format!("--{key} needs a value"))?;
        out.insert(key.to_string(), v.clone());
    }
    Ok(out)
}

fn opt<T: std::str::FromStr>(
    o: &HashMap<String, String>,
    k: &str,
    default: T,
) -> Result<T, String> {
    match o.get(k) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| format!("--{k}: cannot read {v:?}")),
    }
}

fn required<'a>(o: &'a HashMap<String, String>, k: &str) -> Result<&'a str, String> {
    o.get(k)
        .map(String::as_str)
        .ok_or_else(|| format!("--{k} is required"))
}

/// Sign in `n` sessions spread over `users`, `parallel` sign-ins at a time
/// (argon2 is deliberately slow: this happens before measuring). The first
/// session of each user reads My work to learn the user's children.
async fn sign_in_all(
    addr: &str,
    users: &[String],
    password: &str,
    n: usize,
    parallel: usize,
) -> Result<World, String> {
    let started = Instant::now();
    let mut children: Vec<Vec<String>> = Vec::new();
    let mut sessions = Vec::with_capacity(n);
    for (u, email) in users.iter().enumerate() {
        let cookie = sign_in(addr, email, password).await?;
        let mut c = Conn::connect(addr).await.map_err(|e| e.to_string())?;
        let r = c
            .send("GET", "/my-work", &[format!("Cookie: {cookie}")], b"")
            .await
            .map_err(|e| e.to_string())?;
        if r.status != 200 {
            return Err(format!("GET /my-work as {email}: {}", r.status));
        }
        children.push(mix::child_ids(&String::from_utf8_lossy(&r.body)));
        if sessions.len() < n {
            sessions.push(Session { cookie, user: u });
        }
    }
    let remaining: Vec<usize> = (sessions.len()..n).map(|i| i % users.len()).collect();
    let queue = Arc::new(Mutex::new(remaining));
    let done = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for _ in 0..parallel.max(1) {
        let queue = queue.clone();
        let done = done.clone();
        let users = users.to_vec();
        let addr = addr.to_string();
        let password = password.to_string();
        tasks.push(tokio::spawn(async move {
            loop {
                let Some(u) = queue.lock().expect("queue").pop() else {
                    return Ok::<(), String>(());
                };
                let cookie = sign_in(&addr, &users[u], &password).await?;
                done.lock().expect("done").push(Session { cookie, user: u });
            }
        }));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())??;
    }
    sessions.extend(std::mem::take(&mut *done.lock().expect("done")));
    eprintln!(
        "signed in {} sessions of {} users in {:.1} s",
        sessions.len(),
        users.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(World { sessions, children })
}

async fn sign_in(addr: &str, email: &str, password: &str) -> Result<String, String> {
    let mut c = Conn::connect(addr).await.map_err(|e| e.to_string())?;
    let body = format!(
        "email={}&password={}&code=",
        mix::form_encode(email),
        mix::form_encode(password)
    );
    let r = c
        .send(
            "POST",
            "/sign-in",
            &[
                "Content-Type: application/x-www-form-urlencoded".into(),
                "Sec-Fetch-Site: same-origin".into(),
            ],
            body.as_bytes(),
        )
        .await
        .map_err(|e| e.to_string())?;
    match (r.status, r.set_cookies.first()) {
        (303, Some(c)) => Ok(cookie_pair(c).to_string()),
        (s, _) => Err(format!("sign-in as {email} answered {s}")),
    }
}

/// An outcome of one request.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Outcome {
    Ok,
    Refused,
    Error,
}

/// A shared pool of idle keep-alive connections: a request takes one, or
/// opens a new one when none is idle (open-loop: never wait for a connection).
#[derive(Clone)]
struct Pool {
    addr: Arc<str>,
    idle: Arc<Mutex<Vec<Conn>>>,
}

impl Pool {
    async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[String],
        body: &[u8],
    ) -> std::io::Result<http::Response> {
        let taken = self.idle.lock().expect("pool").pop();
        let mut conn = match taken {
            Some(c) => c,
            None => Conn::connect(&self.addr).await?,
        };
        let res = conn.send(method, path, headers, body).await?;
        if !res.close {
            self.idle.lock().expect("pool").push(conn);
        }
        Ok(res)
    }
}

async fn open_loop(o: &HashMap<String, String>) -> Result<String, String> {
    let addr = required(o, "addr")?.to_string();
    let users: Vec<String> = required(o, "users")?
        .split(',')
        .map(str::to_string)
        .collect();
    let password = required(o, "password")?;
    let n_sessions: usize = opt(o, "sessions", 2000)?;
    let rate: f64 = opt(o, "rate", 1000.0)?;
    let duration = Duration::from_secs_f64(opt(o, "duration", 30.0)?);
    let warmup = Duration::from_secs_f64(opt(o, "warmup", 5.0)?);
    let writes: f64 = opt(o, "writes", 0.1)?;
    let seed: u64 = opt(o, "seed", 1)?;
    let parallel: usize = opt(o, "sign-in-parallel", 2)?;
    let timeout = Duration::from_millis(opt(o, "timeout-ms", 10_000)?);
    let token = o.get("token").cloned();

    let world = Arc::new(sign_in_all(&addr, &users, password, n_sessions, parallel).await?);
    let pool = Pool {
        addr: addr.clone().into(),
        idle: Arc::new(Mutex::new(Vec::new())),
    };
    let total = schedule_len(rate, warmup + duration);
    let measured_from = schedule_len(rate, warmup);
    let records: Arc<Mutex<Vec<(Op, Duration, Outcome)>>> =
        Arc::new(Mutex::new(Vec::with_capacity(total as usize)));
    let mut rng = Rng::new(seed);
    let start = tokio::time::Instant::now();
    let mut handles = Vec::with_capacity(total as usize);
    eprintln!(
        "open loop: {rate}/s for {:.0} s (+{:.0} s warm-up), {} sessions, {:.0}% writes",
        duration.as_secs_f64(),
        warmup.as_secs_f64(),
        world.sessions.len(),
        writes * 100.0
    );
    for i in 0..total {
        let intended = intended_offset(i, rate);
        // Sleep only when ahead of the schedule; when behind, send at once
        // (the lateness is charged to the request's latency).
        tokio::time::sleep_until(start + intended).await;
        let (op, req) = world.pick(&mut rng, writes, token.as_deref());
        let pool = pool.clone();
        let records = records.clone();
        handles.push(tokio::spawn(async move {
            let sent = tokio::time::timeout(
                timeout,
                pool.send(req.method, &req.path, &req.headers, &req.body),
            )
            .await;
            let outcome = match sent {
                Ok(Ok(r)) if r.status == op.expected_status() => Outcome::Ok,
                Ok(Ok(r)) if r.status == 503 && r.retry_after.is_some() => Outcome::Refused,
                _ => Outcome::Error,
            };
            let lat = latency_from_intended(intended, start.elapsed());
            if i >= measured_from {
                records.lock().expect("records").push((op, lat, outcome));
            }
        }));
    }
    let scheduled_for = start.elapsed();
    for h in handles {
        h.await.map_err(|e| e.to_string())?;
    }
    let wall = start.elapsed();
    let records = std::mem::take(&mut *records.lock().expect("records"));
    let answered = records.len();
    let summarise_where = |f: &dyn Fn(Op) -> bool| -> Summary {
        let mut lat = Vec::new();
        let (mut refused, mut errors) = (0, 0);
        for (op, d, out) in &records {
            if f(*op) {
                match out {
                    Outcome::Ok => lat.push(*d),
                    Outcome::Refused => refused += 1,
                    Outcome::Error => errors += 1,
                }
            }
        }
        summarise(lat, refused, errors)
    };
    let reads = summarise_where(&|op| !op.is_write());
    let writes_s = summarise_where(&|op| op.is_write());
    let all = summarise_where(&|_| true);
    let per_op: Vec<String> = Op::ALL
        .iter()
        .map(|op| {
            format!(
                "\"{}\":{}",
                op.name(),
                summarise_where(&|o| o == *op).json()
            )
        })
        .collect();
    let achieved = answered as f64 / duration.as_secs_f64();
    eprintln!(
        "reads p50 {:.2} ms p99 {:.2} ms p99.9 {:.2} ms; writes p99 {:.2} ms; errors {}; refused {}; achieved {:.0}/s",
        reads.p50_ms,
        reads.p99_ms,
        reads.p999_ms,
        writes_s.p99_ms,
        all.errors,
        all.refused,
        achieved
    );
    Ok(format!(
        "{{\"mode\":\"open\",\"rate\":{rate},\"duration_s\":{},\"sessions\":{},\"users\":{},\"scheduling_s\":{:.3},\"wall_s\":{:.3},\"achieved_per_s\":{achieved:.1},\"reads\":{},\"writes\":{},\"all\":{},\"ops\":{{{}}}}}",
        duration.as_secs_f64(),
        world.sessions.len(),
        users.len(),
        scheduled_for.as_secs_f64(),
        wall.as_secs_f64(),
        reads.json(),
        writes_s.json(),
        all.json(),
        per_op.join(",")
    ))
}

async fn saturate(o: &HashMap<String, String>) -> Result<String, String> {
    let addr = required(o, "addr")?.to_string();
    let users: Vec<String> = required(o, "users")?
        .split(',')
        .map(str::to_string)
        .collect();
    let password = required(o, "password")?;
    let paths: Vec<String> = o
        .get("paths")
        .map_or("/healthz,/children/{child}", String::as_str)
        .split(',')
        .map(str::to_string)
        .collect();
    let connections: usize = opt(o, "connections", 16)?;
    let duration = Duration::from_secs_f64(opt(o, "duration", 10.0)?);
    let world = sign_in_all(&addr, &users[..1], password, 1, 1).await?;
    let session = &world.sessions[0];
    let children = &world.children[0];
    let mut results = Vec::new();
    let mut first_rate = None;
    for template in &paths {
        let counts = Arc::new(Mutex::new((0u64, 0u64)));
        let deadline = Instant::now() + duration;
        let mut tasks = Vec::new();
        for c in 0..connections {
            let path = if template.contains("{child}") {
                if children.is_empty() {
                    return Err("the user has no children on My work".into());
                }
                template.replace("{child}", &children[c % children.len()])
            } else {
                template.clone()
            };
            let addr = addr.clone();
            let cookie = session.cookie.clone();
            let counts = counts.clone();
            tasks.push(tokio::spawn(async move {
                let mut conn = Conn::connect(&addr).await.map_err(|e| e.to_string())?;
                let headers = [format!("Cookie: {cookie}")];
                let (mut ok, mut bad) = (0u64, 0u64);
                while Instant::now() < deadline {
                    match conn.send("GET", &path, &headers, b"").await {
                        Ok(r) if r.status == 200 => ok += 1,
                        Ok(_) => bad += 1,
                        Err(_) => {
                            bad += 1;
                            conn = Conn::connect(&addr).await.map_err(|e| e.to_string())?;
                        }
                    }
                }
                let mut c = counts.lock().expect("counts");
                c.0 += ok;
                c.1 += bad;
                Ok::<(), String>(())
            }));
        }
        for t in tasks {
            t.await.map_err(|e| e.to_string())??;
        }
        let (ok, bad) = *counts.lock().expect("counts");
        let per_s = ok as f64 / duration.as_secs_f64();
        let ratio = per_s / *first_rate.get_or_insert(per_s);
        eprintln!("{template}: {per_s:.0}/s ({bad} errors), ratio to first {ratio:.3}");
        results.push(format!(
            "{{\"path\":\"{template}\",\"per_s\":{per_s:.1},\"errors\":{bad},\"ratio\":{ratio:.4}}}"
        ));
    }
    Ok(format!(
        "{{\"mode\":\"saturate\",\"connections\":{connections},\"duration_s\":{},\"paths\":[{}]}}",
        duration.as_secs_f64(),
        results.join(",")
    ))
}

/// Time single requests one after another (e.g. dashboards), each path
/// `repeat` times: the first (cold) and the median of the rest.
async fn time_pages(o: &HashMap<String, String>) -> Result<String, String> {
    let addr = required(o, "addr")?.to_string();
    let users: Vec<String> = required(o, "users")?
        .split(',')
        .map(str::to_string)
        .collect();
    let password = required(o, "password")?;
    let repeat: usize = opt(o, "repeat", 5)?;
    let world = sign_in_all(&addr, &users[..1], password, 1, 1).await?;
    let headers = [format!("Cookie: {}", world.sessions[0].cookie)];
    let mut conn = Conn::connect(&addr).await.map_err(|e| e.to_string())?;
    let mut results = Vec::new();
    for path in required(o, "paths")?.split(',') {
        let mut times = Vec::new();
        for _ in 0..repeat.max(1) {
            let t = Instant::now();
            let r = conn
                .send("GET", path, &headers, b"")
                .await
                .map_err(|e| e.to_string())?;
            if r.status != 200 {
                return Err(format!("GET {path}: {}", r.status));
            }
            times.push(t.elapsed());
        }
        let first = times[0];
        let s = summarise(times[1..].to_vec(), 0, 0);
        eprintln!(
            "{path}: first {:.1} ms, median of the rest {:.1} ms",
            first.as_secs_f64() * 1e3,
            s.p50_ms
        );
        results.push(format!(
            "{{\"path\":\"{path}\",\"first_ms\":{:.3},\"median_ms\":{:.3},\"max_ms\":{:.3}}}",
            first.as_secs_f64() * 1e3,
            s.p50_ms,
            s.max_ms.max(first.as_secs_f64() * 1e3)
        ));
    }
    Ok(format!(
        "{{\"mode\":\"time\",\"paths\":[{}]}}",
        results.join(",")
    ))
}
