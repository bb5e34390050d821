//! Background job rules: which periodic jobs exist and how often, the
//! unique key that makes their enqueue idempotent across instances, and the
//! retry backoff. Pure: the clock is passed in.

use chrono::{DateTime, TimeDelta, Utc};

/// Expired and idle sessions (and finished jobs) are deleted every ten minutes.
pub const SESSION_PURGE: &str = "session.purge";
/// This ISO week's caseload snapshot is taken within the hour if missing.
pub const CASELOAD_SNAPSHOT: &str = "caseload.snapshot";
/// The findings e-mail outbox is drained every 15 seconds (when SMTP is set up).
pub const MAIL_OUTBOX: &str = "mail.outbox";
/// A signed audit checkpoint is taken when the last is a day old; checked
/// hourly (a no-op without a signing key).
pub const AUDIT_CHECKPOINT: &str = "audit.checkpoint";

/// A periodic job: its kind and period in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Periodic {
    /// The job kind.
    pub kind: &'static str,
    /// How often, in seconds.
    pub every_seconds: i64,
}

/// The periodic jobs (the mail outbox only when SMTP is configured).
pub fn periodic(smtp_enabled: bool) -> Vec<Periodic> {
    let mut v = vec![
        Periodic {
            kind: SESSION_PURGE,
            every_seconds: 600,
        },
        Periodic {
            kind: CASELOAD_SNAPSHOT,
            every_seconds: 3600,
        },
        Periodic {
            kind: AUDIT_CHECKPOINT,
            every_seconds: 3600,
        },
    ];
    if smtp_enabled {
        v.push(Periodic {
            kind: MAIL_OUTBOX,
            every_seconds: 15,
        });
    }
    v
}

/// The start of the period `now` falls in (periods are aligned to the Unix
/// epoch, so every instance computes the same one).
pub fn period_start(now: DateTime<Utc>, every_seconds: i64) -> DateTime<Utc> {
    let every = every_seconds.max(1);
    let s = now.timestamp().div_euclid(every) * every;
    DateTime::from_timestamp(s, 0).unwrap_or(now)
}

/// The unique key of a periodic job's run for the period holding `now`:
/// however many instances' schedulers enqueue it, one row exists.
pub fn period_key(p: Periodic, now: DateTime<Utc>) -> String {
    format!(
        "{}:{}",
        p.kind,
        period_start(now, p.every_seconds).format("%Y-%m-%dT%H:%M:%SZ")
    )
}

/// Attempts a job gets before it is marked failed.
pub const MAX_ATTEMPTS: i32 = 5;

/// How long to wait before the next attempt after `attempts` failed ones:
/// exponential, 10 s, 20 s, 40 s, ..., capped at one hour.
pub fn backoff(attempts: i32) -> TimeDelta {
    let n = attempts.clamp(1, 20) as u32 - 1;
    TimeDelta::seconds((10_i64 << n).min(3600))
}

/// When to try again after a failed attempt, or `None` when the job has had
/// its `max_attempts` and is to be marked failed.
pub fn retry_at(attempts: i32, max_attempts: i32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    (attempts < max_attempts).then(|| now + backoff(attempts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn period_keys_are_shared_within_a_period_and_differ_across() {
        let p = Periodic {
            kind: SESSION_PURGE,
            every_seconds: 600,
        };
        for (a, b, same) in [
            ("2026-11-26T10:00:00Z", "2026-11-26T10:09:59Z", true),
            ("2026-11-26T10:09:59Z", "2026-11-26T10:10:00Z", false),
            ("2026-11-26T09:55:00Z", "2026-11-26T10:05:00Z", false),
        ] {
            assert_eq!(
                period_key(p, at(a)) == period_key(p, at(b)),
                same,
                "{a} {b}"
            );
        }
        assert_eq!(
            period_key(p, at("2026-11-26T10:07:31.5Z")),
            "session.purge:2026-11-26T10:00:00Z"
        );
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        for (attempts, secs) in [
            (0, 10),
            (1, 10),
            (2, 20),
            (3, 40),
            (5, 160),
            (9, 2560),
            (10, 3600),
            (50, 3600),
        ] {
            assert_eq!(backoff(attempts), TimeDelta::seconds(secs), "{attempts}");
        }
    }

    #[test]
    fn retries_stop_at_max_attempts() {
        let now = at("2026-11-26T10:00:00Z");
        for (attempts, max, retry) in [
            (1, 5, Some(10)),
            (4, 5, Some(80)),
            (5, 5, None),
            (6, 5, None),
        ] {
            assert_eq!(
                retry_at(attempts, max, now),
                retry.map(|s| now + TimeDelta::seconds(s)),
                "{attempts}/{max}"
            );
        }
    }

    #[test]
    fn the_outbox_is_periodic_only_with_smtp() {
        assert!(!periodic(false).iter().any(|p| p.kind == MAIL_OUTBOX));
        assert!(periodic(true).iter().any(|p| p.kind == MAIL_OUTBOX));
    }
}
