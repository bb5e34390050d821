//! The demo authority's contexts: persons of concern, a peer group,
//! locations around Stoke-on-Trent, a vehicle, phone numbers and an online
//! handle, linked to children (several to the same suspected exploiter and
//! the same hotspot, some links from police intelligence), and a few more
//! missing episodes at overlapping times from the same places, so the
//! suggested links have something to offer.
//!
//! [`generate`] is pure, like [`super::generate`] and [`super::missing`]: a
//! function of the demo data, its missing history and `now`.
//! [`App::load_demo_contexts`] writes its output in the demo's transaction,
//! after the missing history.
//!
//! **Everyone and everything here is invented**; places are generic parts of
//! Stoke-on-Trent, phone numbers are in Ofcom's range for drama (07700 900xxx)
//! and the vehicle registration is made up.

use super::generate::{DemoData, HOME_LA, ID_EPOCH_MS, sign_in_email};
use super::missing::DemoMissing;
use crate::{App, AppResult};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use harbour_db::{Tx, contexts as repo, missing as missing_repo};
use harbour_domain::Role;
use harbour_domain::authz::system_import;
use harbour_domain::contexts::*;
use harbour_domain::ids::{ChildId, UserId};
use harbour_domain::missing::{MissingEpisode, MissingFrom, MissingKind};
use harbour_domain::model::{OrgKind, ShareScope};
use uuid::{Builder, Uuid};

/// What the demo adds.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoContexts {
    /// Context records.
    pub entities: Vec<ContextEntity>,
    /// Links to children.
    pub links: Vec<ContextLink>,
    /// Extra missing episodes (closed) at overlapping times from the same place.
    pub episodes: Vec<MissingEpisode>,
}

struct Ids(u64);
impl Ids {
    fn next(&mut self) -> Uuid {
        self.0 += 1;
        let mut bytes = [0u8; 10];
        bytes[..3].copy_from_slice(b"ctx");
        bytes[3..].copy_from_slice(&self.0.to_le_bytes()[..7]);
        Builder::from_unix_timestamp_millis(ID_EPOCH_MS + 7_000_000 + self.0, &bytes).into_uuid()
    }
}

/// (kind, name, location type, postcode, description, source)
type EntitySpec = (
    EntityKind,
    &'static str,
    Option<LocationType>,
    Option<&'static str>,
    &'static str,
    Source,
);

const ENTITIES: &[EntitySpec] = &[
    (
        EntityKind::Person,
        "\"Deano\"",
        None,
        None,
        "Adult male, about 20, drives a grey hatchback. Named by several children; police intelligence links him to county lines supply from Hanley.",
        Source::Police,
    ),
    (
        EntityKind::Person,
        "\"Smudge\"",
        None,
        None,
        "Adult male who sells phones; named at return interviews.",
        Source::Interview,
    ),
    (
        EntityKind::PeerGroup,
        "Meir group",
        None,
        None,
        "Four or five young people who go missing together and are seen at Hanley bus station.",
        Source::Practitioner,
    ),
    (
        EntityKind::Location,
        "Hanley bus station",
        Some(LocationType::TransportHub),
        Some("ST1 1"),
        "Children are regularly found here late at night.",
        Source::Practitioner,
    ),
    (
        EntityKind::Location,
        "Takeaway in Tunstall",
        Some(LocationType::Takeaway),
        Some("ST6 5"),
        "Takeaway where older males give children free food and lifts.",
        Source::Police,
    ),
    (
        EntityKind::Location,
        "Park in Bentilee",
        Some(LocationType::Park),
        Some("ST2 0"),
        "Park where groups meet after dark.",
        Source::Practitioner,
    ),
    (
        EntityKind::Location,
        "Hotel near Festival Park",
        Some(LocationType::Hotel),
        Some("ST1 5"),
        "Budget hotel; rooms booked by adults for children.",
        Source::Police,
    ),
    (
        EntityKind::Location,
        "Flat in Meir",
        Some(LocationType::AddressOfConcern),
        Some("ST3 7"),
        "Flat above a shop where children are taken.",
        Source::Police,
    ),
    (
        EntityKind::Location,
        "Stoke railway station",
        Some(LocationType::TransportHub),
        Some("ST4 2"),
        "Where children leave for other towns.",
        Source::Practitioner,
    ),
    (
        EntityKind::Location,
        "Canal towpath at Etruria",
        Some(LocationType::Other),
        None,
        "Quiet stretch of towpath.",
        Source::Practitioner,
    ),
    (
        EntityKind::Vehicle,
        "KX19 ZPT",
        None,
        None,
        "Grey hatchback seen collecting children.",
        Source::Police,
    ),
    (
        EntityKind::Phone,
        "07700 900123",
        None,
        None,
        "\"Deano\"'s number, given to children.",
        Source::Police,
    ),
    (
        EntityKind::Phone,
        "07700 900456",
        None,
        None,
        "Number children call for lifts.",
        Source::Interview,
    ),
    (
        EntityKind::OnlineHandle,
        "snap: quickcash.stoke",
        None,
        None,
        "Account offering money for \"running\".",
        Source::School,
    ),
];

fn open(c: &super::generate::DemoChild) -> bool {
    !c.child.restricted
}

/// The demo's contexts. Pure.
pub fn generate(data: &DemoData, history: &DemoMissing, now: DateTime<Utc>) -> DemoContexts {
    let mut ids = Ids(0);
    let today = now.date_naive();
    let creator = data
        .users
        .iter()
        .find(|u| u.email == sign_in_email(Role::SocialWorker))
        .map(|u| u.id)
        .unwrap_or(UserId(Uuid::nil()));
    let entities: Vec<ContextEntity> = ENTITIES
        .iter()
        .enumerate()
        .map(|(i, (kind, name, lt, pc, desc, source))| ContextEntity {
            id: ids.next(),
            kind: *kind,
            name: (*name).to_string(),
            location_type: *lt,
            postcode: pc.map(str::to_string),
            description: (*desc).to_string(),
            source: *source,
            created_by: creator,
            created_at: now - Duration::days(120 - i as i64 * 5),
        })
        .collect();
    let e = |name: &str| {
        entities
            .iter()
            .find(|x| x.name == name)
            .map(|x| x.id)
            .unwrap_or_default()
    };

    let police_org = data
        .orgs
        .iter()
        .find(|o| o.kind == OrgKind::Police)
        .map(|o| o.id);
    let mut kids: Vec<&super::generate::DemoChild> = data.children.iter().collect();
    kids.sort_by(|a, b| {
        (&a.child.last_name, &a.child.first_name, a.child.id).cmp(&(
            &b.child.last_name,
            &b.child.first_name,
            b.child.id,
        ))
    });
    // Shared with the police (record): their network carries police intelligence.
    let police_shared: Vec<ChildId> = kids
        .iter()
        .filter(|c| open(c))
        .filter(|c| {
            c.shares
                .iter()
                .any(|s| Some(s.org_id) == police_org && s.scope == ShareScope::Record)
        })
        .take(3)
        .map(|c| c.child.id)
        .collect();
    // Found at Hanley bus station at least once.
    let found_hanley: Vec<ChildId> = kids
        .iter()
        .filter(|c| open(c))
        .filter(|c| !police_shared.contains(&c.child.id))
        .filter(|c| {
            history.for_child(c.child.id).iter().any(|e| {
                e.found_where
                    .as_deref()
                    .is_some_and(|f| found_at(f, "Hanley bus station", None))
            })
        })
        .take(4)
        .map(|c| c.child.id)
        .collect();
    // The demo social worker's children, after the first three as "My
    // children" lists them (by last name; the browser tests use those).
    let sw = creator;
    let mut mine: Vec<&&super::generate::DemoChild> = kids
        .iter()
        .filter(|c| {
            c.allocations
                .iter()
                .any(|a| a.worker_id == sw && a.end_date.is_none())
        })
        .collect();
    mine.sort_by(|a, b| {
        (&a.child.last_name, &a.child.first_name).cmp(&(&b.child.last_name, &b.child.first_name))
    });
    let mine: Vec<ChildId> = mine
        .iter()
        .skip(3)
        .filter(|c| open(c))
        .take(2)
        .map(|c| c.child.id)
        .collect();

    let mut links = Vec::new();
    let mut link = |ids: &mut Ids,
                    child: Option<&ChildId>,
                    entity: Uuid,
                    role: LinkRole,
                    source: Source,
                    confidence: Confidence,
                    days_ago: i64| {
        let Some(child) = child else { return };
        if links
            .iter()
            .any(|l: &ContextLink| l.child_id == *child && l.entity_id == entity && l.role == role)
        {
            return;
        }
        let from: NaiveDate = today - Duration::days(days_ago);
        links.push(ContextLink {
            id: ids.next(),
            entity_id: entity,
            child_id: *child,
            role,
            source,
            confidence,
            from_date: Some(from),
            to_date: None,
            named_id: None,
            recorded_by: creator,
            recorded_at: now - Duration::days(days_ago.min(90)) + Duration::hours(3),
        });
    };
    use Confidence::*;
    use LinkRole::*;
    use Source::*;
    let deano = e("\"Deano\"");
    for (i, c) in police_shared.iter().enumerate() {
        link(
            &mut ids,
            Some(c),
            deano,
            SuspectedExploiter,
            Police,
            Likely,
            60 - i as i64 * 7,
        );
    }
    for (i, c) in found_hanley.iter().take(2).enumerate() {
        link(
            &mut ids,
            Some(c),
            deano,
            Associate,
            Interview,
            Unverified,
            45 - i as i64 * 6,
        );
    }
    let hanley = e("Hanley bus station");
    for (i, c) in found_hanley.iter().enumerate() {
        link(
            &mut ids,
            Some(c),
            hanley,
            FoundAt,
            Practitioner,
            Confirmed,
            80 - i as i64 * 9,
        );
    }
    for c in &mine {
        link(
            &mut ids,
            Some(c),
            hanley,
            Frequents,
            Practitioner,
            Likely,
            30,
        );
    }
    link(
        &mut ids,
        police_shared.first(),
        hanley,
        Frequents,
        Police,
        Likely,
        50,
    );
    let takeaway = e("Takeaway in Tunstall");
    link(
        &mut ids,
        police_shared.first(),
        takeaway,
        Frequents,
        Police,
        Likely,
        40,
    );
    link(
        &mut ids,
        found_hanley.get(1),
        takeaway,
        Frequents,
        Practitioner,
        Unverified,
        35,
    );
    let phone = e("07700 900123");
    for c in police_shared.iter().take(2) {
        link(&mut ids, Some(c), phone, Associate, Police, Confirmed, 55);
    }
    let car = e("KX19 ZPT");
    link(
        &mut ids,
        police_shared.get(1),
        car,
        Associate,
        Police,
        Likely,
        50,
    );
    link(
        &mut ids,
        found_hanley.get(2),
        car,
        Associate,
        Police,
        Unverified,
        25,
    );
    let group = e("Meir group");
    for c in found_hanley.iter().skip(1).chain(mine.first()) {
        link(&mut ids, Some(c), group, Peer, Practitioner, Likely, 70);
    }
    link(
        &mut ids,
        mine.get(1),
        e("snap: quickcash.stoke"),
        Associate,
        School,
        Unverified,
        20,
    );
    link(
        &mut ids,
        found_hanley.get(3),
        e("\"Smudge\""),
        Associate,
        Interview,
        Unverified,
        15,
    );
    link(
        &mut ids,
        police_shared.get(2),
        e("Hotel near Festival Park"),
        FoundAt,
        Police,
        Confirmed,
        33,
    );
    link(
        &mut ids,
        police_shared.first(),
        e("Flat in Meir"),
        Frequents,
        Police,
        Likely,
        28,
    );
    link(
        &mut ids,
        found_hanley.first(),
        e("Park in Bentilee"),
        Frequents,
        Practitioner,
        Likely,
        65,
    );
    link(
        &mut ids,
        found_hanley.get(3),
        e("07700 900456"),
        Associate,
        Interview,
        Unverified,
        15,
    );

    // Extra episodes: children never missing before, missing together.
    let linked: Vec<ChildId> = links.iter().map(|l| l.child_id).collect();
    let fresh: Vec<ChildId> = kids
        .iter()
        .filter(|c| open(c))
        .filter(|c| c.child.responsible_la == HOME_LA)
        .filter(|c| (12..=17).contains(&c.child.age_on(today)))
        .filter(|c| history.for_child(c.child.id).is_empty())
        .filter(|c| !linked.contains(&c.child.id))
        .filter(|c| {
            !c.allocations
                .iter()
                .any(|a| a.worker_id == sw && a.end_date.is_none())
        })
        .filter(|c| c.allocations.iter().any(|a| a.end_date.is_none()))
        .take(5)
        .map(|c| c.child.id)
        .collect();
    // Two of the demo social worker's own children never missing before, so
    // the worker has a suggestion they can confirm.
    let mut own: Vec<&&super::generate::DemoChild> = kids
        .iter()
        .filter(|c| open(c))
        .filter(|c| history.for_child(c.child.id).is_empty())
        .filter(|c| {
            c.allocations
                .iter()
                .any(|a| a.worker_id == sw && a.end_date.is_none())
        })
        .collect();
    own.sort_by(|a, b| {
        (&a.child.last_name, &a.child.first_name).cmp(&(&b.child.last_name, &b.child.first_name))
    });
    let own: Vec<ChildId> = own.iter().skip(3).take(2).map(|c| c.child.id).collect();
    let fresh: Vec<ChildId> = fresh.iter().take(3).chain(own.iter()).copied().collect();
    let mut episodes = Vec::new();
    // (child index, days ago, hour offset, hours missing, place, found)
    let plan: [(usize, i64, i64, i64, &str, &str); 5] = [
        (
            0,
            12,
            0,
            20,
            "Hanley bus station (with friends, after leaving home)",
            "Found at Hanley bus station",
        ),
        (
            1,
            12,
            2,
            16,
            "Hanley bus station (with friends, after leaving the placement)",
            "Found at Hanley bus station",
        ),
        (2, 12, 5, 10, "hanley bus station", "Walked back into home"),
        (
            3,
            40,
            0,
            30,
            "Park in Bentilee",
            "Found at a park in Bentilee",
        ),
        (
            4,
            40,
            6,
            12,
            "Park in Bentilee (after leaving home)",
            "Seen in Hanley bus station and brought back",
        ),
    ];
    for (i, days, off, hours, place, found) in plan {
        let Some(child) = fresh.get(i) else { continue };
        let start = (now - Duration::days(days))
            .date_naive()
            .and_hms_opt(19, 0, 0)
            .unwrap_or_default()
            .and_utc()
            + Duration::hours(off);
        let end = start + Duration::hours(hours);
        episodes.push(MissingEpisode {
            id: ids.next(),
            child_id: *child,
            kind: MissingKind::Missing,
            from: if place.contains("placement") { MissingFrom::Placement } else { MissingFrom::Home },
            last_seen_at: start,
            location_left: place.to_string(),
            reported_at: Some(start + Duration::hours(1)),
            police_ref: None,
            grade: None,
            circumstances: "Went out with friends and did not come back by the agreed time; phone switched off.".to_string(),
            returned_at: Some(end),
            found_where: Some(found.to_string()),
            found_by: Some(if found.starts_with("Walked") { "Self-returned" } else { "Police" }.to_string()),
            recorded_by: creator,
            recorded_at: start + Duration::hours(2),
        });
    }
    DemoContexts {
        entities,
        links,
        episodes,
    }
}

impl App {
    /// Write the demo's contexts, links and extra episodes in `tx`.
    pub(super) async fn load_demo_contexts(&self, tx: &mut Tx, d: &DemoContexts) -> AppResult<()> {
        for e in &d.entities {
            repo::insert_entity(tx, e).await?;
        }
        for l in &d.links {
            repo::insert_link(tx, &system_import(l.child_id), l).await?;
        }
        for e in &d.episodes {
            missing_repo::insert(tx, &system_import(e.child_id), e).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> (DemoContexts, DemoMissing, DateTime<Utc>) {
        let now: DateTime<Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
        let data = super::super::generate::generate(super::super::DEMO_SEED, now);
        let history = super::super::missing::generate(&data, super::super::DEMO_SEED, now);
        (generate(&data, &history, now), history, now)
    }

    #[test]
    fn the_demo_has_a_shared_exploiter_a_hotspot_police_links_and_suggestions() {
        let (d, history, now) = demo();
        let (again, _, _) = demo();
        assert_eq!(d, again, "pure");
        assert!(
            (6..=10).contains(
                &d.entities
                    .iter()
                    .filter(|e| e.kind == EntityKind::Location)
                    .count()
            )
        );
        let count = |name: &str| {
            let id = d.entities.iter().find(|e| e.name == name).unwrap().id;
            d.links.iter().filter(|l| l.entity_id == id).count()
        };
        assert!(count("\"Deano\"") >= 4);
        assert!(count("Hanley bus station") >= 4);
        assert!(
            d.links
                .iter()
                .filter(|l| l.source == Source::Police)
                .count()
                >= 5
        );
        for k in [
            EntityKind::Person,
            EntityKind::PeerGroup,
            EntityKind::Vehicle,
            EntityKind::Phone,
            EntityKind::OnlineHandle,
        ] {
            assert!(d.entities.iter().any(|e| e.kind == k), "{k:?}");
        }
        let mut spans: Vec<EpisodeSpan> = history
            .episodes
            .iter()
            .map(|e| &e.episode)
            .chain(&d.episodes)
            .map(|e| EpisodeSpan {
                id: e.id,
                child_id: e.child_id,
                start: e.last_seen_at,
                end: e.returned_at,
                location_left: e.location_left.clone(),
            })
            .collect();
        assert!(suggest_links(&spans, now).len() >= 4);
        // The extra episodes overlap no episode of the same child.
        spans.sort_by_key(|s| (s.child_id, s.start));
        for w in spans.windows(2) {
            if w[0].child_id == w[1].child_id {
                assert!(w[0].end.unwrap_or(now) <= w[1].start);
            }
        }
        assert_eq!(d.episodes.len(), 5);
        assert!(d.episodes.iter().all(|e| e.returned_at.unwrap() < now));
    }
}
