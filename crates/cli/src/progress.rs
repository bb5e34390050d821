//! A progress line on stderr for long commands (`harbour generate`): one
//! line redrawn with `\r` on a terminal, showing the phase, children done of
//! the total, rows written per second and the time left; plain lines (at
//! most one every five seconds, and one per phase) when stderr is not a
//! terminal, so logs stay readable.

use harbour_app::demo::scale::Progress;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// The progress line's state.
pub struct Bar {
    start: Instant,
    last: Option<Instant>,
    phase: &'static str,
    tty: bool,
}

impl Bar {
    /// A bar on stderr.
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
            last: None,
            phase: "",
            tty: std::io::stderr().is_terminal(),
        }
    }

    /// Show `p` (rate-limited).
    pub fn update(&mut self, p: Progress) {
        let now = Instant::now();
        let every = if self.tty {
            Duration::from_millis(150)
        } else {
            Duration::from_secs(5)
        };
        let phase_changed = p.phase != self.phase;
        if !phase_changed && self.last.is_some_and(|l| now - l < every) && p.done < p.total {
            return;
        }
        self.phase = p.phase;
        self.last = Some(now);
        let line = render(p, now - self.start);
        let mut e = std::io::stderr().lock();
        let _ = if self.tty {
            write!(e, "\r{line}\x1b[K")
        } else {
            writeln!(e, "{line}")
        };
        let _ = e.flush();
    }

    /// End the line (on a terminal).
    pub fn finish(&mut self) {
        if self.tty {
            eprintln!();
        }
    }
}

fn hms(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// One progress line: phase, a 20-cell bar, done/total, rows per second,
/// elapsed and estimated time left.
pub fn render(p: Progress, elapsed: Duration) -> String {
    let frac = if p.total == 0 {
        0.0
    } else {
        (p.done as f64 / p.total as f64).clamp(0.0, 1.0)
    };
    let cells = (frac * 20.0).round() as usize;
    let secs = elapsed.as_secs_f64().max(0.001);
    let rate = p.rows as f64 / secs;
    let eta = if frac > 0.0 && frac < 1.0 {
        hms(Duration::from_secs_f64(secs * (1.0 - frac) / frac))
    } else {
        "-".into()
    };
    format!(
        "{:<8} [{}{}] {}/{} children  {} rows  {:.0} rows/s  elapsed {}  left {}",
        p.phase,
        "#".repeat(cells),
        " ".repeat(20 - cells),
        p.done,
        p.total,
        p.rows,
        rate,
        hms(elapsed),
        eta
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_phase_counts_rate_and_eta() {
        let p = Progress {
            phase: "children",
            done: 250,
            total: 1000,
            rows: 50_000,
        };
        let s = render(p, Duration::from_secs(10));
        assert_eq!(
            s,
            "children [#####               ] 250/1000 children  50000 rows  5000 rows/s  elapsed 0:00:10  left 0:00:30"
        );
        let done = render(Progress { done: 1000, ..p }, Duration::from_secs(3725));
        assert!(
            done.contains("[####################]") && done.contains("elapsed 1:02:05  left -")
        );
    }
}
