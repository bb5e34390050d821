//! Panel and information-sharing storage stories, on both backends.

use crate::stories::{now, world};
use chrono::NaiveDate;
use harbour_db::{Db, org, panel};
use harbour_domain::authz::system_import;
use harbour_domain::findings::LawfulBasis;
use harbour_domain::ids::*;
use harbour_domain::model::*;
use harbour_domain::panel::*;
use uuid::Uuid;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A referral, a meeting with a police attendee, a discussion that sets the
/// review, an action for the police that the police update, closure; and
/// disclosures, one refused.
pub async fn panel_referral_meeting_actions_and_disclosures(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    let w = world(&mut tx).await;
    let police = Organisation {
        id: OrgId::new(),
        name: "Police".into(),
        kind: OrgKind::Police,
        la_code: None,
    };
    org::insert_org(&mut tx, &police).await.unwrap();
    let ok = system_import(w.child.id);
    let r = Referral {
        id: Uuid::now_v7(),
        child_id: w.child.id,
        child_name: String::new(),
        panel_type: PanelType::Mace,
        referred_by: w.worker.id,
        referred_by_name: String::new(),
        referred_at: now(),
        reason: "Found out of area twice".into(),
        risk: RiskLevel::High,
        basis: LawfulBasis::PublicTaskSafeguarding,
        consent: "Not sought: risk of harm".into(),
        next_review: None,
        first_discussed: None,
        closed_at: None,
        closure_reason: None,
    };
    panel::insert_referral(&mut tx, &ok, &r).await.unwrap();
    let open = panel::referrals_open(&mut tx).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].reason, r.reason);
    assert_eq!(open[0].basis, LawfulBasis::PublicTaskSafeguarding);
    assert!(open[0].child_name.contains(&w.child.first_name));
    let m = Meeting {
        id: Uuid::now_v7(),
        panel_type: PanelType::Mace,
        held_on: d("2026-11-26"),
        chair: "DI Jones (police) and Sam Lee (social care)".into(),
        created_by: w.worker.id,
        created_at: now(),
    };
    panel::insert_meeting(&mut tx, &m).await.unwrap();
    panel::insert_attendee(
        &mut tx,
        &Attendee {
            id: Uuid::now_v7(),
            meeting_id: m.id,
            org_id: Some(police.id),
            name: "PC Smith".into(),
            agency: "Police".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(panel::attendees(&mut tx, m.id).await.unwrap().len(), 1);
    let disc = Discussion {
        id: Uuid::now_v7(),
        meeting_id: m.id,
        held_on: m.held_on,
        panel_type: m.panel_type,
        referral_id: r.id,
        child_id: w.child.id,
        child_name: String::new(),
        discussion: "Links to an address of concern".into(),
        risk: RiskLevel::High,
        decisions: "Disruption visit".into(),
        next_review: d("2026-12-24"),
        recorded_by: w.worker.id,
        recorded_at: now(),
    };
    panel::insert_discussion(&mut tx, &ok, &disc).await.unwrap();
    panel::review_referral(
        &mut tx,
        &ok,
        r.id,
        RiskLevel::Medium,
        disc.next_review,
        m.held_on,
    )
    .await
    .unwrap();
    let got = panel::referral(&mut tx, r.id).await.unwrap().unwrap();
    assert_eq!(got.next_review, Some(d("2026-12-24")));
    assert_eq!(got.first_discussed, Some(d("2026-11-26")));
    assert_eq!(got.risk, RiskLevel::Medium);
    let hist = panel::discussions_for_child(&mut tx, &ok).await.unwrap();
    assert_eq!(hist.len(), 1);
    assert_eq!(hist[0].held_on, m.held_on);
    let a = PanelAction {
        id: Uuid::now_v7(),
        meeting_id: m.id,
        referral_id: r.id,
        child_id: w.child.id,
        child_name: String::new(),
        kind: ActionKind::Cawn,
        description: "Serve a warning notice".into(),
        owner_org: Some(police.id),
        owner_org_name: None,
        owner_user: None,
        owner_user_name: None,
        due_on: d("2026-12-10"),
        status: ActionStatus::Open,
        notes: String::new(),
        updated_at: None,
    };
    panel::insert_action(&mut tx, &ok, &a, now()).await.unwrap();
    let mine = panel::actions_for_org(&mut tx, police.id, w.worker.id)
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].owner_org_name.as_deref(), Some("Police"));
    assert!(
        panel::actions_for_org(&mut tx, w.org.id, UserId::new())
            .await
            .unwrap()
            .is_empty()
    );
    panel::update_action(
        &mut tx,
        a.id,
        ActionStatus::Done,
        "Served",
        w.worker.id,
        now(),
    )
    .await
    .unwrap();
    let a2 = panel::action(&mut tx, a.id).await.unwrap().unwrap();
    assert_eq!(a2.status, ActionStatus::Done);
    assert_eq!(a2.notes, "Served");
    assert_eq!(panel::actions_all(&mut tx).await.unwrap().len(), 1);
    assert_eq!(
        panel::actions_for_meeting(&mut tx, m.id)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        panel::actions_for_child(&mut tx, &ok).await.unwrap().len(),
        1
    );
    assert!(
        panel::close_referral(&mut tx, &ok, r.id, now(), w.worker.id, "Risk reduced")
            .await
            .unwrap()
    );
    assert!(
        !panel::close_referral(&mut tx, &ok, r.id, now(), w.worker.id, "Again")
            .await
            .unwrap()
    );
    assert!(panel::referrals_open(&mut tx).await.unwrap().is_empty());
    assert_eq!(panel::meetings(&mut tx).await.unwrap().len(), 1);

    let base = Disclosure {
        id: Uuid::now_v7(),
        child_id: w.child.id,
        child_name: String::new(),
        outcome: DisclosureOutcome::Shared,
        recipient_org: Some(police.id),
        recipient: "Police".into(),
        what: "Summary".into(),
        why: "Panel".into(),
        basis: Some(LawfulBasis::PublicTaskSafeguarding),
        decided_by: w.worker.id,
        decided_by_name: String::new(),
        decided_at: now(),
        source: "panel".into(),
    };
    panel::insert_disclosure(&mut tx, &ok, &base).await.unwrap();
    let refused = Disclosure {
        id: Uuid::now_v7(),
        outcome: DisclosureOutcome::Refused,
        basis: None,
        why: "Would put the child at greater risk".into(),
        ..base.clone()
    };
    panel::insert_disclosure(&mut tx, &ok, &refused)
        .await
        .unwrap();
    let log = panel::disclosures_for_child(&mut tx, &ok).await.unwrap();
    assert_eq!(log.len(), 2);
    assert!(
        log.iter()
            .any(|x| x.outcome == DisclosureOutcome::Refused && x.basis.is_none())
    );
    assert_eq!(panel::disclosures_recent(&mut tx).await.unwrap().len(), 2);
    tx.commit().await.unwrap();

    // A share without a lawful basis is refused by the database too.
    let mut tx = db.begin_write().await.unwrap();
    let bad = Disclosure {
        id: Uuid::now_v7(),
        basis: None,
        ..base
    };
    assert!(panel::insert_disclosure(&mut tx, &ok, &bad).await.is_err());
}

#[tokio::test]
async fn panel_stories_on_sqlite() {
    let (db, _dir) = crate::sqlite().await;
    panel_referral_meeting_actions_and_disclosures(db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panel_stories_on_postgres() {
    let db = crate::postgres().await;
    panel_referral_meeting_actions_and_disclosures(db).await;
}
