//! Property tests for the rules: invariants that must hold for every input,
//! not only the tables' examples. Case counts are kept modest (64 per
//! property) so the suite stays fast; a failure prints the shrunk input.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Timelike, Utc};
use harbour_domain::calendar::{WorkingCalendar, to_london};
use harbour_domain::caseload::{
    CaseFacts, CaseType, RiskLevel, WeightingConfig, capacity, case_weight, projected_load_with,
    weigh_caseload, worker_load,
};
use harbour_domain::ids::{ChildId, UserId};
use harbour_domain::missing::{
    MissingEpisode, MissingFrom, MissingKind, check_episode, next_working_day_10am, rhi_due,
};
use harbour_domain::schools::term_of;
use harbour_domain::ssda903::episodes::{CareStatus, PlacementFact, derive_episodes};
use harbour_domain::supervision::{SupervisionConfig, SupervisionKind, next_due};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A day between 2000 and 2040 (the bank-holiday table covers most of it).
fn day() -> impl Strategy<Value = NaiveDate> {
    (0i64..(41 * 366))
        .prop_map(|n| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + TimeDelta::days(n))
}

/// An instant between 2000 and 2040, to the second.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (946_684_800i64..2_240_611_200).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
}

fn risk() -> impl Strategy<Value = RiskLevel> {
    prop_oneof![
        Just(RiskLevel::None),
        Just(RiskLevel::Low),
        Just(RiskLevel::Medium),
        Just(RiskLevel::High)
    ]
}

fn case_type() -> impl Strategy<Value = CaseType> {
    prop_oneof![
        Just(CaseType::ChildInNeed),
        Just(CaseType::ChildProtection),
        Just(CaseType::LookedAfter),
        Just(CaseType::CareLeaver),
        Just(CaseType::CourtWork)
    ]
}

fn case() -> impl Strategy<Value = CaseFacts> {
    (case_type(), risk(), 0u32..8, proptest::option::of(0u64..3)).prop_map(
        |(case_type, exploitation, recent_missing, sibling_group)| CaseFacts {
            case_type,
            exploitation,
            recent_missing,
            sibling_group,
        },
    )
}

fn episode(id: u128, child: ChildId, start: DateTime<Utc>, hours: Option<i64>) -> MissingEpisode {
    MissingEpisode {
        id: uuid::Uuid::from_u128(id),
        child_id: child,
        kind: MissingKind::Missing,
        from: MissingFrom::Placement,
        last_seen_at: start,
        location_left: "Placement".into(),
        reported_at: None,
        police_ref: None,
        grade: None,
        circumstances: String::new(),
        returned_at: hours.map(|h| start + TimeDelta::hours(h)),
        found_where: None,
        found_by: None,
        recorded_by: UserId(uuid::Uuid::nil()),
        recorded_at: start,
    }
}

proptest! {
    #![proptest_config(config())]

    /// The next working day is a working day, strictly after the input, and
    /// every day in between is not a working day.
    #[test]
    fn next_working_day_is_the_first_working_day_after(d in day()) {
        let cal = WorkingCalendar::england_and_wales();
        let next = cal.next_working_day(d);
        prop_assert!(next > d);
        prop_assert!(cal.is_working_day(next));
        let mut between = d.succ_opt().unwrap();
        while between < next {
            prop_assert!(!cal.is_working_day(between), "{between} skipped");
            between = between.succ_opt().unwrap();
        }
        prop_assert!((next - d).num_days() <= 5, "{d} -> {next}: more than 4 days closed");
    }

    /// Adding n working days and counting them back agree.
    #[test]
    fn add_and_count_working_days_agree(d in day(), n in 0u32..40) {
        let cal = WorkingCalendar::england_and_wales();
        let end = cal.add_working_days(d, n);
        prop_assert_eq!(cal.working_days_between(d, end), i64::from(n));
        prop_assert_eq!(cal.working_days_between(end, d), -i64::from(n));
    }

    /// Out-of-hours handover: 10:00 London time on a working day, after the
    /// input, and later inputs never get an earlier handover.
    #[test]
    fn handover_is_a_working_day_at_ten_and_monotone(a in instant(), b in instant()) {
        let cal = WorkingCalendar::england_and_wales();
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        let ha = next_working_day_10am(a, &cal);
        let hb = next_working_day_10am(b, &cal);
        let local = to_london(ha);
        prop_assert_eq!((local.hour(), local.minute(), local.second()), (10, 0, 0));
        prop_assert!(cal.is_working_day(local.date()));
        prop_assert!(ha > a);
        prop_assert!(ha <= hb, "{a} -> {ha} but {b} -> {hb}");
    }

    /// The return home interview is due exactly 72 hours after the return.
    #[test]
    fn return_interview_due_72_hours_after(a in instant(), b in instant()) {
        prop_assert_eq!(rhi_due(a) - a, TimeDelta::hours(72));
        prop_assert_eq!(a <= b, rhi_due(a) <= rhi_due(b));
    }

    /// ASYE supervision: weekly in the first weeks, fortnightly to six
    /// months, then monthly; always after the last session, never earlier
    /// for a later last session.
    #[test]
    fn asye_supervision_due_dates(start in day(), gap in 0i64..500, later in 0i64..60) {
        let cfg = SupervisionConfig::default();
        let last = start + TimeDelta::days(gap);
        let due = next_due(SupervisionKind::Asye, Some(start), Some(last), &cfg).unwrap();
        let interval = (due - last).num_days();
        if last < start + TimeDelta::weeks(6) {
            prop_assert_eq!(interval, 7);
        } else if last < start.checked_add_months(chrono::Months::new(6)).unwrap() {
            prop_assert_eq!(interval, 14);
        } else {
            prop_assert!((28..=31).contains(&interval), "monthly gap {interval}");
        }
        let due_later = next_due(SupervisionKind::Asye, Some(start), Some(last + TimeDelta::days(later)), &cfg).unwrap();
        prop_assert!(due_later >= due);
        prop_assert_eq!(next_due(SupervisionKind::Asye, Some(start), None, &cfg), Some(start + TimeDelta::days(7)));
    }

    /// Case supervision is monthly: the same day next month (or the month's
    /// last day), never before, and none due date without a session.
    #[test]
    fn case_supervision_monthly(last in day()) {
        let cfg = SupervisionConfig::default();
        let due = next_due(SupervisionKind::Case, None, Some(last), &cfg).unwrap();
        prop_assert!((28..=31).contains(&(due - last).num_days()));
        prop_assert!(due.day() == last.day() || due.succ_opt().unwrap().day() == 1);
        prop_assert_eq!(next_due(SupervisionKind::Case, None, None, &cfg), None);
    }

    /// Caseload weighting: raising the exploitation risk or the number of
    /// recent missing episodes never lowers a case's weight; the parts add
    /// up; a sibling never counts more than on its own; adding a case never
    /// lowers the load.
    #[test]
    fn caseload_weighting_is_monotone(c in case(), more_missing in 0u32..5, cases in proptest::collection::vec(case(), 0..8), new in case()) {
        let cfg = WeightingConfig::default();
        let w = case_weight(&cfg, &c);
        prop_assert_eq!(i64::from(w.points), w.parts.iter().map(|p| p.points).sum::<i64>());
        let levels = [RiskLevel::None, RiskLevel::Low, RiskLevel::Medium, RiskLevel::High];
        let at = levels.iter().position(|l| *l == c.exploitation).unwrap();
        for higher in &levels[at..] {
            let h = CaseFacts { exploitation: *higher, ..c.clone() };
            prop_assert!(case_weight(&cfg, &h).points >= w.points);
        }
        let m = CaseFacts { recent_missing: c.recent_missing + more_missing, ..c.clone() };
        prop_assert!(case_weight(&cfg, &m).points >= w.points);
        let weights = weigh_caseload(&cfg, &cases);
        for (f, wt) in cases.iter().zip(&weights) {
            prop_assert!(wt.points <= case_weight(&cfg, f).points);
            prop_assert_eq!(i64::from(wt.points), wt.parts.iter().map(|p| p.points).sum::<i64>());
        }
        prop_assert!(projected_load_with(&cfg, &cases, &new) >= worker_load(&cfg, &cases));
    }

    /// The ASYE protected cap: an ASYE worker's capacity is the cap's share
    /// of an experienced worker's, never more; capacity grows with FTE.
    #[test]
    fn asye_capacity_is_capped(fte in -50i32..150, more in 0i32..50) {
        let cfg = WeightingConfig::default();
        let full = capacity(&cfg, fte, false);
        let asye = capacity(&cfg, fte, true);
        prop_assert!(asye <= full);
        prop_assert_eq!(asye, full * cfg.asye_cap_percent / 100);
        prop_assert!(full <= cfg.capacity_per_fte);
        prop_assert!(capacity(&cfg, fte + more, false) >= full);
    }

    /// Every day is in exactly one term: inside its bounds, and the day
    /// after the term's last is in the next term.
    #[test]
    fn term_of_partitions_the_year(d in day()) {
        let t = term_of(d);
        let (first, last) = t.bounds();
        prop_assert!(first <= d && d <= last, "{d} outside {first}..{last}");
        prop_assert_eq!(term_of(first), t);
        prop_assert_eq!(term_of(last), t);
        prop_assert_eq!(term_of(last.succ_opt().unwrap()), t.next());
        prop_assert_eq!(term_of(first.pred_opt().unwrap()).next(), t);
    }

    /// Missing episodes: one that overlaps another of the same child is
    /// refused; one that does not (touching allowed) is not refused for it.
    #[test]
    fn overlapping_missing_episodes_are_refused(
        a_start in 0i64..2000, a_len in proptest::option::of(1i64..200),
        b_start in 0i64..2000, b_len in proptest::option::of(1i64..200),
    ) {
        let base = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let child = ChildId(uuid::Uuid::nil());
        let a = episode(1, child, base + TimeDelta::hours(a_start), a_len);
        let b = episode(2, child, base + TimeDelta::hours(b_start), b_len);
        let now = base + TimeDelta::hours(5000);
        let dob = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap();
        let end = |e: &MissingEpisode| e.returned_at.unwrap_or(DateTime::<Utc>::MAX_UTC);
        let overlap = a.last_seen_at < end(&b) && b.last_seen_at < end(&a);
        let problems = check_episode(&a, dob, std::slice::from_ref(&b), now);
        prop_assert_eq!(problems.iter().any(|p| p.field == "last_seen"), overlap, "{:?}", problems);
        // The same child's other episodes only: another child's never clash.
        let other = MissingEpisode { child_id: ChildId(uuid::Uuid::max()), ..b.clone() };
        prop_assert!(check_episode(&a, dob, &[other], now).is_empty());
    }

    /// SSDA903 episodes from a period of care: inside the period, in order,
    /// contiguous (each ends the day the next begins), never overlapping,
    /// only the last may be open, and one starts wherever the legal status
    /// or the placement changes.
    #[test]
    fn ssda903_episodes_are_contiguous_inside_the_period(
        start in day(),
        ls_lengths in proptest::collection::vec(1i64..200, 1..4),
        open in any::<bool>(),
        placements in proptest::collection::vec((0i64..600, proptest::option::of(1i64..300), 0u8..3), 0..5),
    ) {
        let mut statuses = Vec::new();
        let mut s = start;
        for (i, len) in ls_lengths.iter().enumerate() {
            let last = i + 1 == ls_lengths.len();
            let end = (!(last && open)).then(|| s + TimeDelta::days(*len));
            statuses.push(CareStatus {
                id: uuid::Uuid::from_u128(i as u128 + 1),
                start: s,
                end,
                ls: Some(if i % 2 == 0 { "C2" } else { "J2" }.into()),
                cin: Some("N1".into()),
                rec: (!open && last).then(|| "E11".into()),
                home_post: None,
                first_rne: None,
            });
            s += TimeDelta::days(*len);
        }
        let period_end = statuses.last().unwrap().end;
        let pls: Vec<PlacementFact> = placements.iter().enumerate().map(|(i, (off, len, carer))| PlacementFact {
            id: uuid::Uuid::from_u128(100 + i as u128),
            start: start + TimeDelta::days(*off),
            end: len.map(|l| start + TimeDelta::days(off + l)),
            place: "U1".into(),
            provider: "PR1".into(),
            carer: format!("carer {carer}"),
            postcode: String::new(),
            urn: None,
            reason_change: None,
        }).collect();
        let eps = derive_episodes(&statuses, &pls);
        prop_assert!(!eps.is_empty());
        prop_assert_eq!(eps[0].decom, start);
        prop_assert_eq!(eps[0].rne, "S");
        for e in &eps {
            prop_assert!(e.decom >= start);
            if let Some(dec) = e.dec {
                prop_assert!(dec > e.decom, "{:?}", e);
                if let Some(pe) = period_end { prop_assert!(dec <= pe); }
            }
        }
        for w in eps.windows(2) {
            prop_assert_eq!(w[0].dec, Some(w[1].decom), "not contiguous: {:?}", w);
            prop_assert_eq!(w[0].rec.as_deref(), Some("X1"));
        }
        prop_assert_eq!(eps.last().unwrap().dec, period_end);
    }
}
