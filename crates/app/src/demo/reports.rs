//! Demo supervision history for the dashboards, a pure function of the
//! generated data and `now` (no IO, no clock, no randomness): monthly case
//! supervision five to eleven months back for the social workers of every
//! team except the demo team, so the "Supervision written up on time"
//! chart has something to show for every month of a 12-month view. The
//! last four months, for every team, are the supervision demo's own
//! history ([`super::supervision`]), with its drafts and overdue
//! write-ups. Most of these older records were signed off two days after
//! the session, one in five three days after its recording deadline.

use super::generate::{DEMO_TEAM_NAME, DemoData};
use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use harbour_domain::Role;
use harbour_domain::supervision::*;

fn id(n: u128) -> uuid::Uuid {
    // Fixed ids in their own range (UUIDv7 layout, epoch 2025-01-01).
    uuid::Uuid::from_u128(0x0194_1f29_7c00_7000_8000_5e56_0000_0000 | n)
}

/// The sessions to add.
pub fn supervision_history(data: &DemoData, now: DateTime<Utc>) -> Vec<Session> {
    let cfg = SupervisionConfig::default();
    let mut out = Vec::new();
    let mut n = 0u128;
    for team in data.teams.iter().filter(|t| t.name != DEMO_TEAM_NAME) {
        let Some(manager) = team.manager_id else {
            continue;
        };
        let mut workers: Vec<_> = data
            .users
            .iter()
            .filter(|u| u.team_id == Some(team.id) && u.role == Role::SocialWorker)
            .map(|u| u.id)
            .collect();
        workers.sort();
        for (wi, w) in workers.iter().enumerate() {
            // Months five to eleven back: the last four months are the
            // supervision demo's own history (`demo/supervision.rs`).
            for k in 5..=11i64 {
                n += 1;
                let held_at = now - TimeDelta::days(k * 30 + (wi as i64 % 7)) - TimeDelta::hours(3);
                let due = recording_due(held_at, &cfg);
                let (status, signed) = if (wi as i64 + k) % 5 == 0 {
                    let at = (due + TimeDelta::days(3))
                        .and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default())
                        .and_utc();
                    (SessionStatus::SignedOff, Some(at))
                } else {
                    (SessionStatus::SignedOff, Some(held_at + TimeDelta::days(2)))
                };
                out.push(Session {
                    id: id(n),
                    supervisee_id: *w,
                    supervisor_id: manager,
                    kind: SupervisionKind::Case,
                    format: SessionFormat::OneToOne,
                    held_at,
                    duration_minutes: 60,
                    worker_notes: "Caseload and wellbeing discussed.".into(),
                    status,
                    drafted_by: manager,
                    drafted_at: held_at + TimeDelta::hours(3),
                    signed_off_by: signed.map(|_| manager),
                    signed_off_at: signed,
                    recording_due: due,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::generate::generate;
    use harbour_domain::reports::{WriteUp, write_up};

    #[test]
    fn a_year_of_sessions_with_every_kind_of_write_up() {
        let now: DateTime<Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
        let data = generate(crate::demo::DEMO_SEED, now);
        let s = supervision_history(&data, now);
        assert!(!s.is_empty());
        let demo_team = data
            .teams
            .iter()
            .find(|t| t.name == DEMO_TEAM_NAME)
            .unwrap();
        assert!(s.iter().all(|x| {
            data.users
                .iter()
                .find(|u| u.id == x.supervisee_id)
                .is_some_and(|u| u.team_id != Some(demo_team.id))
        }));
        let today = now.date_naive();
        let kinds: Vec<WriteUp> = s
            .iter()
            .map(|x| write_up(x.recording_due, x.signed_off_at, today))
            .collect();
        // Overdue write-ups are the recent ones, in the supervision demo.
        for k in [WriteUp::OnTime, WriteUp::Late] {
            assert!(kinds.contains(&k), "{k:?}");
        }
        assert!(s.iter().all(|x| x.held_at > now - TimeDelta::days(365)));
        assert!(s.iter().all(|x| x.held_at < now - TimeDelta::days(140)));
        let mut ids: Vec<_> = s.iter().map(|x| x.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), s.len());
    }
}
