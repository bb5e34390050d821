//! Demo records management and subject access: three records migrated from
//! the previous case system that are due for retention review (a child in
//! need past the 25th birthday, a looked-after child nearing the 75th, a
//! contact-only record older than six years), and one open subject access
//! request from the mother of a child in the demo team. A pure function of
//! the generated data and `now`.

use super::generate::{DEMO_TEAM_NAME, DemoData};
use chrono::{DateTime, Months, TimeDelta, Utc};
use harbour_db::privacy::SubjectAccessRequest;
use harbour_domain::Role;
use harbour_domain::codes::{LegalStatusKind, Sex};
use harbour_domain::ids::*;
use harbour_domain::model::{Child, LegalStatusPeriod};

fn id(n: u128) -> uuid::Uuid {
    // Fixed ids in their own range.
    uuid::Uuid::from_u128(0x0194_1f29_7c00_7000_8000_9e1a_0000_0000 | n)
}

/// What to load.
pub struct Plan {
    /// Legacy records with their legal statuses.
    pub legacy: Vec<(Child, Vec<LegalStatusPeriod>)>,
    /// The open request.
    pub request: Option<SubjectAccessRequest>,
}

/// The plan.
pub fn plan(data: &DemoData, now: DateTime<Utc>) -> Plan {
    let today = harbour_domain::calendar::london_date(now);
    let years = |n: u32| {
        today
            .checked_sub_months(Months::new(n * 12))
            .unwrap_or(today)
    };
    let la = data.authority.la_code.clone();
    let child =
        |n: u128, la_id: &str, first: &str, last: &str, dob, created: DateTime<Utc>| Child {
            id: ChildId(id(n)),
            la_child_id: la_id.into(),
            first_name: first.into(),
            last_name: last.into(),
            dob,
            sex: Sex::M,
            ethnicity: "WBRI".into(),
            upn: None,
            nhs_number: None,
            responsible_la: la.clone(),
            host_la: None,
            school: None,
            restricted: false,
            created_at: created,
        };
    let status = |n: u128, c: &Child, kind, start, end| LegalStatusPeriod {
        id: LegalStatusId(id(n)),
        child_id: c.id,
        status: kind,
        start_date: start,
        end_date: Some(end),
        recorded_at: now,
    };
    let migrated = now - TimeDelta::days(400);
    // Child in need at 13, now 26: past the 25th birthday.
    let liam = child(
        1,
        "M0000101",
        "Liam",
        "Archer",
        years(26) - TimeDelta::days(40),
        migrated,
    );
    let liam_s = vec![status(
        11,
        &liam,
        LegalStatusKind::Cin,
        years(13),
        years(12),
    )];
    // Looked after from 1960 to 1968, 75th birthday in under six months.
    let mut margaret = child(
        2,
        "M0000102",
        "Margaret",
        "Cole",
        years(75) + TimeDelta::days(90),
        migrated,
    );
    margaret.sex = Sex::F;
    let margaret_s = vec![status(
        12,
        &margaret,
        LegalStatusKind::Cla,
        years(66),
        years(58),
    )];
    // A contact seven years ago, never opened.
    let jade = child(
        3,
        "M0000103",
        "Jade",
        "Foster",
        years(15),
        now - TimeDelta::days(7 * 366),
    );
    let request = data
        .children
        .iter()
        .filter(|c| {
            c.allocations.iter().any(|a| {
                a.end_date.is_none()
                    && data
                        .teams
                        .iter()
                        .any(|t| Some(t.id) == a.team_id && t.name == DEMO_TEAM_NAME)
            })
        })
        .find(|c| {
            c.relationships
                .iter()
                .any(|r| r.role.to_lowercase().contains("mother"))
        })
        .zip(data.users.iter().find(|u| u.role == Role::PrivacyOfficer))
        .map(|(c, po)| {
            let mother = c
                .relationships
                .iter()
                .find(|r| r.role.to_lowercase().contains("mother"))
                .map(|r| r.name.clone())
                .unwrap_or_default();
            let received = today - TimeDelta::days(10);
            SubjectAccessRequest {
                id: id(20),
                child_id: c.child.id.0,
                child_name: String::new(),
                la_child_id: String::new(),
                requester: mother,
                relationship: "Mother with parental responsibility".into(),
                received_on: received,
                identity_checked: true,
                extended: false,
                extension_reason: None,
                due_on: harbour_domain::retention::sar_due(received, false),
                logged_by: po.id.0,
                logged_by_name: String::new(),
                logged_at: now - TimeDelta::days(9),
                assembled_at: None,
                exported_at: None,
                exported_by: None,
            }
        });
    Plan {
        legacy: vec![(liam, liam_s), (margaret, margaret_s), (jade, vec![])],
        request,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use harbour_domain::retention::*;

    #[test]
    fn the_legacy_records_are_due_and_a_request_is_open() {
        let now: DateTime<Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
        let data = crate::demo::generate::generate(crate::demo::DEMO_SEED, now);
        let p = plan(&data, now);
        let today = now.date_naive();
        let cfg = RetentionConfig::default();
        let mut cats = Vec::new();
        for (c, s) in &p.legacy {
            let r = retention(
                &RetentionFacts {
                    dob: c.dob,
                    died: None,
                    looked_after: s.iter().any(|x| x.status == LegalStatusKind::Cla),
                    adoption: None,
                    open_beyond_contact: s.iter().any(|x| x.status == LegalStatusKind::Cin),
                    last_activity: c.created_at.date_naive(),
                },
                &cfg,
            );
            assert_eq!(
                review_status(&r, None, today),
                ReviewStatus::Due,
                "{}",
                c.first_name
            );
            cats.push(r.category);
        }
        assert_eq!(
            cats,
            [
                RetentionCategory::SocialWork,
                RetentionCategory::LookedAfter,
                RetentionCategory::ContactOnly
            ]
        );
        let r = p
            .request
            .expect("a demo-team child with a mother on record");
        assert!(!r.requester.is_empty());
        assert!(r.due_on > today);
    }
}
