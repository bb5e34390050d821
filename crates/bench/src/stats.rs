//! The arithmetic of the benchmark: when each request of an open-loop run is
//! meant to be sent, its latency counted from that intended time (so a
//! stalled server is charged for the requests it kept from being sent:
//! coordinated omission), and nearest-rank percentiles.

use std::time::Duration;

/// The intended send time of request `i` of a constant-rate schedule, as an
/// offset from the start: request `i` is due at `i / rate` seconds.
pub fn intended_offset(i: u64, rate_per_s: f64) -> Duration {
    Duration::from_secs_f64(i as f64 / rate_per_s)
}

/// How many requests a constant-rate run of `duration` sends.
pub fn schedule_len(rate_per_s: f64, duration: Duration) -> u64 {
    (rate_per_s * duration.as_secs_f64()).floor() as u64
}

/// Latency charged to a request: from the time it was *meant* to be sent
/// (not when the client got round to sending it) to the time its response
/// was complete. A request sent late because the client or server was
/// stalled is charged the stall.
pub fn latency_from_intended(intended: Duration, done: Duration) -> Duration {
    done.saturating_sub(intended)
}

/// Nearest-rank percentile of sorted samples: the smallest sample with at
/// least `p` percent of the samples at or below it. `None` when empty.
pub fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    // The small allowance keeps binary rounding (0.999 * 1000 is a hair
    // above 999) from moving the rank up by one.
    let rank = ((p / 100.0) * sorted.len() as f64 - 1e-9).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

/// A summary of one class of requests.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Requests that completed with an acceptable status.
    pub ok: usize,
    /// Requests refused by admission control (503).
    pub refused: usize,
    /// Failures: connection errors, timeouts and unexpected statuses.
    pub errors: usize,
    /// Percentiles of the accepted requests' latencies, in milliseconds.
    pub p50_ms: f64,
    /// 99th percentile, milliseconds.
    pub p99_ms: f64,
    /// 99.9th percentile, milliseconds.
    pub p999_ms: f64,
    /// Largest, milliseconds.
    pub max_ms: f64,
}

/// Summarise latencies of accepted requests plus the refusal and error counts.
pub fn summarise(mut latencies: Vec<Duration>, refused: usize, errors: usize) -> Summary {
    latencies.sort_unstable();
    let ms = |p: f64| percentile(&latencies, p).map_or(0.0, |d| d.as_secs_f64() * 1e3);
    Summary {
        ok: latencies.len(),
        refused,
        errors,
        p50_ms: ms(50.0),
        p99_ms: ms(99.0),
        p999_ms: ms(99.9),
        max_ms: latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
    }
}

impl Summary {
    /// As a JSON object.
    pub fn json(&self) -> String {
        format!(
            "{{\"ok\":{},\"refused\":{},\"errors\":{},\"p50_ms\":{:.3},\"p99_ms\":{:.3},\"p999_ms\":{:.3},\"max_ms\":{:.3}}}",
            self.ok, self.refused, self.errors, self.p50_ms, self.p99_ms, self.p999_ms, self.max_ms
        )
    }
}

/// A small deterministic generator (splitmix64), so the request mix is
/// reproducible from a seed without a dependency.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// Seeded.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    #[test]
    fn nearest_rank_percentiles() {
        let samples: Vec<Duration> = (1..=1000).map(ms).collect();
        let cases = [
            (50.0, 500),
            (99.0, 990),
            (99.9, 999),
            (100.0, 1000),
            (0.0, 1),
            (0.05, 1),
        ];
        for (p, want) in cases {
            assert_eq!(percentile(&samples, p), Some(ms(want)), "p{p}");
        }
        assert_eq!(percentile(&[], 50.0), None);
        assert_eq!(percentile(&[ms(7)], 99.9), Some(ms(7)));
        // Ten samples: p99 and p99.9 are the largest, p50 the fifth.
        let ten: Vec<Duration> = (1..=10).map(ms).collect();
        assert_eq!(percentile(&ten, 50.0), Some(ms(5)));
        assert_eq!(percentile(&ten, 99.0), Some(ms(10)));
    }

    #[test]
    fn constant_rate_schedule() {
        assert_eq!(intended_offset(0, 1000.0), Duration::ZERO);
        assert_eq!(intended_offset(1, 1000.0), ms(1));
        assert_eq!(intended_offset(1500, 1000.0), ms(1500));
        assert_eq!(intended_offset(3, 2.0), ms(1500));
        assert_eq!(schedule_len(1000.0, Duration::from_secs(30)), 30_000);
        assert_eq!(schedule_len(2.5, Duration::from_secs(3)), 7);
    }

    /// Coordinated omission: a server that stalls for one second while a
    /// closed-loop client waits records one slow request; charging every
    /// request from its intended time records the whole queue behind the
    /// stall.
    #[test]
    fn latency_counts_from_the_intended_time() {
        let rate = 1000.0;
        // The server stalls from 0 to 1 s; requests due in that second are
        // all answered at 1.001 s.
        let done = ms(1001);
        let lat: Vec<Duration> = (0..1000)
            .map(|i| latency_from_intended(intended_offset(i, rate), done))
            .collect();
        assert_eq!(lat[0], ms(1001));
        assert_eq!(lat[999], ms(2));
        let s = summarise(lat, 0, 0);
        assert!((s.p50_ms - 501.0).abs() < 1e-6, "{s:?}");
        assert!((s.p99_ms - 991.0).abs() < 1e-6, "{s:?}");
        // A response before its intended time (clock noise) counts as zero.
        assert_eq!(latency_from_intended(ms(10), ms(9)), Duration::ZERO);
    }

    #[test]
    fn summaries_keep_refusals_and_errors_apart() {
        let s = summarise(vec![ms(3), ms(1), ms(2)], 4, 5);
        assert_eq!((s.ok, s.refused, s.errors), (3, 4, 5));
        assert_eq!(s.max_ms, 3.0);
        assert_eq!(s.p50_ms, 2.0);
        assert!(s.json().contains("\"refused\":4"));
        let empty = summarise(vec![], 0, 2);
        assert_eq!((empty.ok, empty.p99_ms, empty.errors), (0, 0.0, 2));
    }

    #[test]
    fn the_generator_is_reproducible_and_in_range() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        let mut r = Rng::new(1);
        let mut seen = [0usize; 10];
        for _ in 0..10_000 {
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            seen[r.below(10)] += 1;
        }
        assert!(seen.iter().all(|&n| (800..1200).contains(&n)), "{seen:?}");
    }
}
