//! Dashboard aggregates on both backends, with known data and the exact
//! figures expected.

use crate::stories::{allocation, d, now, world};
use chrono::{DateTime, TimeDelta, Utc};
use harbour_db::{Db, children, missing, org, records, reports, rhi, screening, supervision};
use harbour_domain::authz::system_import;
use harbour_domain::ids::*;
use harbour_domain::missing::{MissingEpisode, MissingFrom, MissingKind, RhiOutcome};
use harbour_domain::model::*;
use harbour_domain::screening::{Basis, Screening, Tick};
use harbour_domain::supervision::{Session, SessionFormat, SessionStatus, SupervisionKind};

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn month(y: i32, m: u32) -> (DateTime<Utc>, DateTime<Utc>) {
    let from = chrono::NaiveDate::from_ymd_opt(y, m, 1).unwrap();
    let to = from.checked_add_months(chrono::Months::new(1)).unwrap();
    (
        from.and_hms_opt(0, 0, 0).unwrap().and_utc(),
        to.and_hms_opt(0, 0, 0).unwrap().and_utc(),
    )
}

/// Child T0001 is allocated in Team A; T0002 is allocated to nobody. Six
/// episodes: T0001 missing on 30 September (23:59, so September), 2, 10 and
/// 20 November and away on 21 November; T0002 missing on 5 November.
/// Interviews after T0001's 2 and 10 November returns: the first offered in
/// time and held, the second offered late and declined. Two screenings of
/// T0001 (Medium then High, with CSE and CCE ticks). Two supervision
/// sessions of the worker in November: one signed off in time, one still a
/// draft past its deadline.
pub async fn dashboard_aggregates(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    let w = world(&mut tx).await;
    records::insert_allocation(
        &mut tx,
        &system_import(w.child.id),
        &allocation(&w, "2026-01-05"),
    )
    .await
    .unwrap();
    let mut other = w.child.clone();
    other.id = ChildId::new();
    other.la_child_id = "T0002".into();
    children::insert(&mut tx, &other, Some(w.worker.id))
        .await
        .unwrap();
    let provider = Organisation {
        id: OrgId::new(),
        name: "Safe Return".into(),
        kind: OrgKind::RhiProvider,
        la_code: None,
    };
    org::insert_org(&mut tx, &provider).await.unwrap();
    let mut ids = Vec::new();
    for (child, kind, seen) in [
        (w.child.id, MissingKind::Missing, "2026-09-30T23:59:00Z"),
        (w.child.id, MissingKind::Missing, "2026-11-02T20:00:00Z"),
        (w.child.id, MissingKind::Missing, "2026-11-10T20:00:00Z"),
        (w.child.id, MissingKind::Missing, "2026-11-20T20:00:00Z"),
        (w.child.id, MissingKind::Away, "2026-11-21T20:00:00Z"),
        (other.id, MissingKind::Missing, "2026-11-05T20:00:00Z"),
    ] {
        let e = MissingEpisode {
            id: uuid::Uuid::now_v7(),
            child_id: child,
            kind,
            from: MissingFrom::Placement,
            last_seen_at: t(seen),
            location_left: "Home".into(),
            reported_at: None,
            police_ref: None,
            grade: None,
            circumstances: "Did not come back".into(),
            returned_at: Some(t(seen) + TimeDelta::hours(10)),
            found_where: None,
            found_by: None,
            recorded_by: w.worker.id,
            recorded_at: now(),
        };
        missing::insert(&mut tx, &system_import(child), &e)
            .await
            .unwrap();
        ids.push(e);
    }
    for (e, offered_after, outcome) in [
        (&ids[1], 24, RhiOutcome::Completed),
        (&ids[2], 80, RhiOutcome::Declined),
    ] {
        let back = e.returned_at.unwrap();
        let ok = system_import(e.child_id);
        let iid = rhi::insert(
            &mut tx,
            &ok,
            e.id,
            provider.id,
            back + TimeDelta::hours(72),
            now(),
        )
        .await
        .unwrap();
        let mut i = rhi::get(&mut tx, iid).await.unwrap().unwrap();
        i.outcome = outcome;
        i.offered_at = Some(back + TimeDelta::hours(offered_after));
        i.reason = Some("Recorded".into());
        assert!(rhi::record(&mut tx, &i, w.worker.id, now()).await.unwrap());
    }
    for (at, level, cats) in [
        ("2026-10-01T10:00:00Z", "Medium", vec!["cse"]),
        ("2026-11-15T10:00:00Z", "High", vec!["cse", "cce"]),
    ] {
        let s = Screening {
            id: uuid::Uuid::now_v7(),
            child_id: w.child.id,
            age: 15,
            ticks: cats
                .iter()
                .map(|c| Tick {
                    indicator: format!("{c}_one"),
                    category: c.to_string(),
                    label: "An indicator".into(),
                    high_risk: false,
                    evidence: "Seen".into(),
                    basis: Basis::Evidence,
                })
                .collect(),
            level: level.into(),
            suggested: level.into(),
            under_13: false,
            peers: String::new(),
            summary: "Screened".into(),
            recorded_by: w.worker.id,
            recorded_by_name: w.worker.name.clone(),
            recorded_at: t(at),
        };
        screening::insert(&mut tx, &system_import(w.child.id), &s)
            .await
            .unwrap();
    }
    for (held, due, signed) in [
        (
            "2026-11-03T10:00:00Z",
            "2026-11-10",
            Some("2026-11-09T16:00:00Z"),
        ),
        ("2026-11-12T10:00:00Z", "2026-11-19", None),
    ] {
        let s = Session {
            id: uuid::Uuid::now_v7(),
            supervisee_id: w.worker.id,
            supervisor_id: w.worker.id,
            kind: SupervisionKind::Case,
            format: SessionFormat::OneToOne,
            held_at: t(held),
            duration_minutes: 60,
            worker_notes: String::new(),
            status: if signed.is_some() {
                SessionStatus::SignedOff
            } else {
                SessionStatus::Draft
            },
            drafted_by: w.worker.id,
            drafted_at: t(held),
            signed_off_by: signed.map(|_| w.worker.id),
            signed_off_at: signed.map(t),
            recording_due: d(due),
        };
        supervision::insert_session(&mut tx, &s).await.unwrap();
    }
    tx.commit().await.unwrap();

    let mut tx = db.begin_read().await.unwrap();
    let team = Some(w.team.id);
    let (sep, oct, nov) = (month(2026, 9), month(2026, 10), month(2026, 11));
    // The window September to November, one statement per chart.
    let bounds = [sep.0, oct.0, nov.0, nov.1];
    // Missing and away per month, service and team.
    assert_eq!(
        reports::missing(&mut tx, &bounds, None).await.unwrap(),
        vec![(1, 0), (0, 0), (4, 1)]
    );
    assert_eq!(
        reports::missing(&mut tx, &bounds, team).await.unwrap(),
        vec![(1, 0), (0, 0), (3, 1)]
    );
    // A team with no children counts nothing, month by month.
    assert_eq!(
        reports::missing(&mut tx, &bounds, Some(TeamId::new()))
            .await
            .unwrap(),
        vec![(0, 0); 3]
    );
    // One month on its own: the same figures as in the window.
    assert_eq!(
        reports::missing(&mut tx, &[nov.0, nov.1], None)
            .await
            .unwrap(),
        vec![(4, 1)]
    );
    // The episode at 23:59 on 30 September is outside a window that
    // starts on 1 October.
    assert_eq!(
        reports::missing(&mut tx, &[oct.0, nov.0, nov.1], None)
            .await
            .unwrap(),
        vec![(0, 0), (4, 1)]
    );
    // Repeat missing: T0001 had four episodes in November, T0002 one.
    assert_eq!(
        reports::repeat_missing(&mut tx, &bounds, None, 3)
            .await
            .unwrap(),
        vec![(1, 0), (0, 0), (2, 1)]
    );
    assert_eq!(
        reports::repeat_missing(&mut tx, &bounds, None, 5)
            .await
            .unwrap(),
        vec![(1, 0), (0, 0), (2, 0)]
    );
    assert_eq!(
        reports::repeat_missing(&mut tx, &bounds, team, 3)
            .await
            .unwrap(),
        vec![(1, 0), (0, 0), (1, 1)]
    );
    // Interviews due in November: two, one offered in time, one held.
    let i: Vec<_> = reports::interviews(&mut tx, &bounds, None)
        .await
        .unwrap()
        .into_iter()
        .map(|i| (i.due, i.offered_in_time, i.accepted))
        .collect();
    assert_eq!(i, vec![(0, 0, 0), (0, 0, 0), (2, 1, 1)]);
    let i: Vec<_> = reports::interviews(&mut tx, &bounds, team)
        .await
        .unwrap()
        .into_iter()
        .map(|i| (i.due, i.offered_in_time, i.accepted))
        .collect();
    assert_eq!(i, vec![(0, 0, 0), (0, 0, 0), (2, 1, 1)]);
    // Risk: the latest screening in the window counts, once.
    let (from, to) = (oct.0, nov.1);
    assert_eq!(
        reports::risk_levels(&mut tx, from, to, None).await.unwrap(),
        vec![("High".to_string(), 1)]
    );
    let mut cats = reports::risk_categories(&mut tx, from, to, team)
        .await
        .unwrap();
    cats.sort();
    assert_eq!(
        cats,
        vec![
            ("High".to_string(), "cce".to_string(), 1),
            ("High".to_string(), "cse".to_string(), 1)
        ]
    );
    assert_eq!(
        reports::risk_levels(&mut tx, from, to, team).await.unwrap(),
        vec![("High".to_string(), 1)]
    );
    assert!(
        reports::risk_levels(&mut tx, from, to, Some(TeamId::new()))
            .await
            .unwrap()
            .is_empty()
    );
    // Before the second screening, the first one counts.
    assert_eq!(
        reports::risk_levels(&mut tx, oct.0, oct.1, None)
            .await
            .unwrap(),
        vec![("Medium".to_string(), 1)]
    );
    // Caseloads: the one worker holds one child.
    assert_eq!(reports::caseloads(&mut tx, team).await.unwrap(), vec![1]);
    assert_eq!(
        reports::caseloads(&mut tx, Some(TeamId::new()))
            .await
            .unwrap(),
        Vec::<i64>::new()
    );
    // Supervision in November, read on 26 November.
    let s: Vec<_> = reports::supervision(&mut tx, &bounds, team, d("2026-11-26"))
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.held, s.on_time, s.late, s.overdue, s.pending))
        .collect();
    assert_eq!(s, vec![(0, 0, 0, 0, 0), (0, 0, 0, 0, 0), (2, 1, 0, 1, 0)]);
    // Read on 15 November, the second session is still in time.
    let s = reports::supervision(&mut tx, &[nov.0, nov.1], None, d("2026-11-15"))
        .await
        .unwrap();
    assert_eq!(
        (
            s[0].held,
            s[0].on_time,
            s[0].late,
            s[0].overdue,
            s[0].pending
        ),
        (2, 1, 0, 0, 1)
    );
    assert_eq!(
        reports::supervision(&mut tx, &bounds, Some(TeamId::new()), d("2026-11-26"))
            .await
            .unwrap()
            .iter()
            .map(|s| s.held)
            .sum::<i64>(),
        0
    );
    // Panel: nothing yet.
    assert_eq!(
        reports::panel(
            &mut tx,
            &bounds,
            &[
                d("2026-09-01"),
                d("2026-10-01"),
                d("2026-11-01"),
                d("2026-12-01")
            ],
            None
        )
        .await
        .unwrap(),
        vec![(0, 0); 3]
    );
    assert_eq!(
        reports::panel_actions_open(&mut tx, d("2026-11-26"), None)
            .await
            .unwrap(),
        (0, 0)
    );
    assert_eq!(
        reports::panel_actions_open(&mut tx, d("2026-11-26"), team)
            .await
            .unwrap(),
        (0, 0)
    );
    // The list loaders: both children's episodes since 1 October, in order.
    let eps = reports::episodes(&mut tx, oct.0, nov.1).await.unwrap();
    assert_eq!(eps.len(), 5);
    let with_interview: Vec<_> = eps.iter().filter_map(|e| e.outcome.clone()).collect();
    assert_eq!(with_interview.len(), 2);
    assert!(with_interview.contains(&"completed".to_string()));
    let ticks = reports::latest_ticks(&mut tx, now()).await.unwrap();
    assert_eq!(ticks.len(), 2);
    assert!(ticks.iter().all(|(c, _, _)| *c == w.child.id.0));
    assert_eq!(
        reports::allocated(&mut tx).await.unwrap(),
        vec![(
            w.child.id.0,
            Some("Team A".to_string()),
            w.worker.name.clone()
        )]
    );
    assert_eq!(
        reports::teams(&mut tx).await.unwrap(),
        vec![(w.team.id, "Team A".to_string())]
    );
}

#[tokio::test]
async fn dashboard_aggregates_on_sqlite() {
    let (db, _dir) = crate::sqlite().await;
    dashboard_aggregates(db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_aggregates_on_postgres() {
    let db = crate::postgres().await;
    dashboard_aggregates(db).await;
}

/// Contacts for Annex A lists 1 and 3: T0001 has three school contacts (a
/// referral in December 2025, a consultation in May 2026 and a referral in
/// November 2026); one school contact is linked to no child; T0002 has an
/// out-of-hours contact from the police in October 2026 and one in
/// February 2026 (outside the window asked for).
pub async fn annex_contacts(db: Db) {
    use harbour_db::schools::{self as sch, NewContact, School};
    use harbour_domain::edt::{ContactKind, OohContact};
    use uuid::Uuid;
    let mut tx = db.begin_write().await.unwrap();
    let w = world(&mut tx).await;
    let mut other = w.child.clone();
    other.id = ChildId::new();
    other.la_child_id = "T0002".into();
    children::insert(&mut tx, &other, Some(w.worker.id))
        .await
        .unwrap();
    let school = School {
        id: Uuid::now_v7(),
        urn: "145201".into(),
        name: "Kilnside Academy".into(),
        phase: "Secondary".into(),
        la_code: "861".into(),
        org_id: None,
        created_at: now(),
    };
    sch::insert_school(&mut tx, &school).await.unwrap();
    for (n, child, at, kind, outcome) in [
        (
            1u128,
            Some(w.child.id),
            "2025-12-01T10:00:00Z",
            "referral",
            "nfa",
        ),
        (
            2,
            Some(w.child.id),
            "2026-05-02T10:00:00Z",
            "consultation",
            "advice_given",
        ),
        (
            3,
            Some(w.child.id),
            "2026-11-03T09:30:00Z",
            "referral",
            "accepted",
        ),
        (4, None, "2026-11-04T09:30:00Z", "referral", "early_help"),
    ] {
        let c = NewContact {
            id: Uuid::from_u128(0x0194_0000_0000_7000_8000_0000_0000_0000 | n),
            school_id: school.id,
            received_at: t(at),
            kind: kind.into(),
            contact_name: "DSL".into(),
            summary: "Worry".into(),
            outcome: outcome.into(),
            recorded_by: w.worker.id,
            recorded_at: now(),
        };
        let ok = child.map(system_import);
        sch::insert_contact(&mut tx, &c, ok.as_ref()).await.unwrap();
    }
    for (at, agency) in [
        ("2026-10-10T23:15:00Z", "Staffordshire Police control room"),
        ("2026-02-10T23:15:00Z", "Carer"),
    ] {
        let c = OohContact {
            id: Uuid::now_v7(),
            child_id: other.id,
            received_at: t(at),
            caller: "PC Rowe".into(),
            caller_agency: agency.into(),
            kind: ContactKind::ChildProtection,
            reported: "Found at 2am".into(),
            agencies: "Police".into(),
            actions: "Took home".into(),
            outcome: "Home".into(),
            placement_support: false,
            missing_episode_id: None,
            recorded_by: w.worker.id,
            recorded_by_name: String::new(),
            recorded_at: t(at),
        };
        harbour_db::edt::insert_contact(&mut tx, &system_import(other.id), &c)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let mut tx = db.begin_read().await.unwrap();
    let all = reports::school_contacts(&mut tx, t("2026-11-26T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        all.iter()
            .map(|c| (
                c.child_id,
                c.received_at,
                c.kind.as_str(),
                c.outcome.as_str()
            ))
            .collect::<Vec<_>>(),
        vec![
            (w.child.id.0, t("2025-12-01T10:00:00Z"), "referral", "nfa"),
            (
                w.child.id.0,
                t("2026-05-02T10:00:00Z"),
                "consultation",
                "advice_given"
            ),
            (
                w.child.id.0,
                t("2026-11-03T09:30:00Z"),
                "referral",
                "accepted"
            ),
        ]
    );
    // Before the November referral came in.
    assert_eq!(
        reports::school_contacts(&mut tx, t("2026-11-03T09:30:00Z"))
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        reports::ooh_contacts(
            &mut tx,
            t("2026-05-26T00:00:00Z"),
            t("2026-11-26T00:00:00Z")
        )
        .await
        .unwrap(),
        vec![(
            other.id.0,
            t("2026-10-10T23:15:00Z"),
            "Staffordshire Police control room".to_string()
        )]
    );
    assert_eq!(
        reports::ooh_contacts(
            &mut tx,
            t("2025-11-26T00:00:00Z"),
            t("2026-11-26T00:00:00Z")
        )
        .await
        .unwrap()
        .len(),
        2
    );
    let kids = reports::all_children(&mut tx).await.unwrap();
    assert_eq!(
        kids.iter()
            .map(|c| c.la_child_id.as_str())
            .collect::<Vec<_>>(),
        ["T0001", "T0002"]
    );
}

#[tokio::test]
async fn annex_contacts_on_sqlite() {
    let (db, _dir) = crate::sqlite().await;
    annex_contacts(db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn annex_contacts_on_postgres() {
    let db = crate::postgres().await;
    annex_contacts(db).await;
}
