//! Contextual safeguarding: the people, peer groups, places, vehicles, phone
//! numbers and online handles around children, and their links to children.
//!
//! Carlene Firmin's contextual safeguarding (University of Bedfordshire,
//! later Durham) looks at harm "beyond the family" in peer groups, schools,
//! neighbourhoods and online; the Contextual Safeguarding Network asks case
//! systems to link unrelated children who share a place or a peer group. MACE
//! protocols track persons and locations of concern. These records hold
//! unproven allegations, so links from police intelligence are visible only
//! as [`crate::authz::may_see_police_intelligence`] allows.
//!
//! *Surface, don't score* (What Works for Children's Social Care): nothing
//! here predicts; it shows what was recorded and what coincides.

use crate::ids::{ChildId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal / $l:literal,)+ }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v,)+ }
        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$v,)+];
            /// The stable machine name.
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $s,)+ } }
            /// For people.
            pub fn label(self) -> &'static str { match self { $($name::$v => $l,)+ } }
            /// From the machine name.
            pub fn parse(s: &str) -> Option<Self> { Self::ALL.iter().copied().find(|x| x.as_str() == s) }
        }
    };
}

code_enum!(
    /// What kind of context an entity is.
    EntityKind {
        /// A person of concern (an adult or older young person).
        Person = "person" / "Person of concern",
        /// A peer group.
        PeerGroup = "peer_group" / "Peer group",
        /// A place: an address, an area or a postcode.
        Location = "location" / "Location",
        /// A vehicle, by registration.
        Vehicle = "vehicle" / "Vehicle",
        /// A phone number.
        Phone = "phone" / "Phone number",
        /// An online handle.
        OnlineHandle = "online_handle" / "Online handle",
    }
);

code_enum!(
    /// What kind of place a location is.
    LocationType {
        /// A park or open space.
        Park = "park" / "Park",
        /// A takeaway or fast-food shop.
        Takeaway = "takeaway" / "Takeaway",
        /// A hotel or guest house.
        Hotel = "hotel" / "Hotel",
        /// An address of concern.
        AddressOfConcern = "address_of_concern" / "Address of concern",
        /// A school or college.
        School = "school" / "School",
        /// A bus or railway station.
        TransportHub = "transport_hub" / "Transport hub",
        /// Anything else.
        Other = "other" / "Other",
    }
);

code_enum!(
    /// The part an entity plays for the child.
    LinkRole {
        /// Someone the child spends time with.
        Associate = "associate" / "Associate",
        /// Suspected of exploiting the child.
        SuspectedExploiter = "suspected_exploiter" / "Suspected exploiter",
        /// Another victim alongside the child.
        Victim = "victim" / "Victim",
        /// A peer.
        Peer = "peer" / "Peer",
        /// A place the child goes to.
        Frequents = "frequents" / "Frequents",
        /// A place the child was found at.
        FoundAt = "found_at" / "Found at",
    }
);

code_enum!(
    /// Where the information came from.
    Source {
        /// The findings of a return home interview.
        Interview = "interview" / "Return interview findings",
        /// Police intelligence.
        Police = "police" / "Police",
        /// A practitioner.
        Practitioner = "practitioner" / "Practitioner",
        /// A school.
        School = "school" / "School",
    }
);

code_enum!(
    /// How sure the information is.
    Confidence {
        /// Confirmed.
        Confirmed = "confirmed" / "Confirmed",
        /// Likely.
        Likely = "likely" / "Likely",
        /// Not verified.
        Unverified = "unverified" / "Unverified",
    }
);

/// A context with its own record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContextEntity {
    /// Identifier.
    pub id: Uuid,
    /// Kind.
    pub kind: EntityKind,
    /// Name (a person's name or nickname, a place, a registration, a number, a handle).
    pub name: String,
    /// For a location: what kind of place.
    pub location_type: Option<LocationType>,
    /// For a location: its postcode or postcode district, if known.
    pub postcode: Option<String>,
    /// Description.
    pub description: String,
    /// Where the record came from.
    pub source: Source,
    /// Created by.
    pub created_by: UserId,
    /// Created at.
    pub created_at: DateTime<Utc>,
}

/// A link between a child and a context.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContextLink {
    /// Identifier.
    pub id: Uuid,
    /// The entity.
    pub entity_id: Uuid,
    /// The child.
    pub child_id: ChildId,
    /// The part the entity plays.
    pub role: LinkRole,
    /// Where the link came from.
    pub source: Source,
    /// How sure.
    pub confidence: Confidence,
    /// From.
    pub from_date: Option<NaiveDate>,
    /// To.
    pub to_date: Option<NaiveDate>,
    /// The `child_named` row it came from, if any.
    pub named_id: Option<Uuid>,
    /// Recorded by.
    pub recorded_by: UserId,
    /// Recorded at.
    pub recorded_at: DateTime<Utc>,
}

/// Police intelligence: the entity's record or the link came from the police.
pub fn is_police_intelligence(entity_source: Source, link_source: Option<Source>) -> bool {
    entity_source == Source::Police || link_source == Some(Source::Police)
}

/// A place's text made comparable: lower case, anything in brackets and
/// punctuation dropped, a leading "the"/"a"/"an" dropped, spaces collapsed.
/// `"Hanley bus station (with friends, after leaving home)"` and
/// `"hanley  Bus Station"` both become `"hanley bus station"`.
pub fn normalise_place(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for ch in s.chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => {
                if c.is_alphanumeric() {
                    out.extend(c.to_lowercase());
                } else {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    let skip = usize::from(matches!(words.first(), Some(&("the" | "a" | "an"))) && words.len() > 1);
    words[skip..].join(" ")
}

/// Whether the text of where a child was found names this location: its
/// normalised name, or its postcode, appears in the normalised text.
pub fn found_at(found_where: &str, name: &str, postcode: Option<&str>) -> bool {
    let text = format!(" {} ", normalise_place(found_where));
    let name = normalise_place(name);
    if !name.is_empty() && text.contains(&format!(" {name} ")) {
        return true;
    }
    match postcode.map(normalise_place) {
        Some(p) if !p.is_empty() => text.contains(&format!(" {p} ")),
        _ => false,
    }
}

/// What [`suggest_links`] needs of a missing episode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpisodeSpan {
    /// The episode.
    pub id: Uuid,
    /// The child.
    pub child_id: ChildId,
    /// Last seen.
    pub start: DateTime<Utc>,
    /// Returned (None: still missing, counted as open to `now`).
    pub end: Option<DateTime<Utc>>,
    /// Where the child left from or was last seen.
    pub location_left: String,
}

/// Two children missing at overlapping times from the same place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The first episode (the smaller id).
    pub episode_a: Uuid,
    /// Its child.
    pub child_a: ChildId,
    /// The second episode.
    pub episode_b: Uuid,
    /// Its child.
    pub child_b: ChildId,
    /// The place, normalised.
    pub place: String,
    /// When the overlap began.
    pub overlap_start: DateTime<Utc>,
}

/// Children missing at overlapping times from the same place, offered as a
/// suggested link for a person to confirm or dismiss (the Contextual
/// Safeguarding Network: link unrelated children who share a place or peer
/// group). Pure: episodes in, pairs out, ordered by the overlap's start, newest
/// first, then by episode ids. Two episodes overlap when each begins before
/// the other ends (touching is not overlapping); an open episode runs to
/// `now`. Episodes of the same child, and places that normalise to nothing,
/// are ignored. Each pair appears once, with `episode_a < episode_b`.
pub fn suggest_links(episodes: &[EpisodeSpan], now: DateTime<Utc>) -> Vec<Suggestion> {
    let mut by_place: BTreeMap<String, Vec<&EpisodeSpan>> = BTreeMap::new();
    for e in episodes {
        let p = normalise_place(&e.location_left);
        if !p.is_empty() {
            by_place.entry(p).or_default().push(e);
        }
    }
    let mut out = Vec::new();
    for (place, es) in by_place {
        for (i, a) in es.iter().enumerate() {
            for b in &es[i + 1..] {
                if a.child_id == b.child_id {
                    continue;
                }
                let (a_end, b_end) = (a.end.unwrap_or(now), b.end.unwrap_or(now));
                if a.start < b_end && b.start < a_end {
                    let (x, y) = if a.id < b.id { (a, b) } else { (b, a) };
                    out.push(Suggestion {
                        episode_a: x.id,
                        child_a: x.child_id,
                        episode_b: y.id,
                        child_b: y.child_id,
                        place: place.clone(),
                        overlap_start: a.start.max(b.start),
                    });
                }
            }
        }
    }
    out.sort_by(|p, q| {
        q.overlap_start
            .cmp(&p.overlap_start)
            .then(p.episode_a.cmp(&q.episode_a))
            .then(p.episode_b.cmp(&q.episode_b))
    });
    out
}

/// A point in the network picture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Across.
    pub x: f64,
    /// Down.
    pub y: f64,
}

/// Where each node of a child's network goes: the child in the centre, its
/// entities on an inner ring, other children linked to the same entities on
/// an outer ring. Deterministic: nodes are placed in the order given, evenly
/// round each ring starting at the top and going clockwise, so the same
/// network always draws the same. `size` is the square's side.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkLayout {
    /// The child.
    pub centre: Point,
    /// Each entity, in the order given.
    pub entities: Vec<Point>,
    /// Each other child, in the order given.
    pub others: Vec<Point>,
}

/// Lay out a network of `entities` and `others` in a square of side `size`.
pub fn layout_network(entities: usize, others: usize, size: f64) -> NetworkLayout {
    let c = size / 2.0;
    let ring = |n: usize, r: f64, offset: f64| -> Vec<Point> {
        (0..n)
            .map(|i| {
                let a = std::f64::consts::TAU * (i as f64 + offset) / n.max(1) as f64
                    - std::f64::consts::FRAC_PI_2;
                Point {
                    x: round1(c + r * a.cos()),
                    y: round1(c + r * a.sin()),
                }
            })
            .collect()
    };
    NetworkLayout {
        centre: Point { x: c, y: c },
        entities: ring(entities, size * 0.25, 0.0),
        others: ring(others, size * 0.42, 0.5),
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// What a correction to a link changes, in words for its history (e.g.
/// "Role: Associate → Peer"). Empty when nothing changes. Contextual
/// safeguarding records hold allegations (domain reference §5), so a
/// correction is kept with its reason rather than silently overwritten.
pub fn link_changes(
    old: &ContextLink,
    role: LinkRole,
    source: Source,
    confidence: Confidence,
) -> Vec<String> {
    let mut v = Vec::new();
    if old.role != role {
        v.push(format!("Role: {} → {}", old.role.label(), role.label()));
    }
    if old.source != source {
        v.push(format!(
            "Source: {} → {}",
            old.source.label(),
            source.label()
        ));
    }
    if old.confidence != confidence {
        v.push(format!(
            "Confidence: {} → {}",
            old.confidence.label(),
            confidence.label()
        ));
    }
    v
}

/// Why a link cannot end on `end`, if it cannot: not in the future, not
/// before it started, and not when it has already ended.
pub fn link_end_problem(
    link: &ContextLink,
    end: NaiveDate,
    today: NaiveDate,
) -> Option<&'static str> {
    if link.to_date.is_some() {
        Some("This link has already ended")
    } else if end > today {
        Some("The end date must be today or in the past")
    } else if link.from_date.is_some_and(|f| end < f) {
        Some("The end date must be on or after the date the link started")
    } else {
        None
    }
}

/// What an edit to a context's own record changes, in words (name, kind of
/// place, postcode, description). Empty when nothing changes.
pub fn entity_changes(old: &ContextEntity, new: &ContextEntity) -> Vec<String> {
    let mut v = Vec::new();
    if old.name != new.name {
        v.push(format!("Name: {} → {}", old.name, new.name));
    }
    if old.location_type != new.location_type {
        let l = |t: Option<LocationType>| t.map(|t| t.label()).unwrap_or("none");
        v.push(format!(
            "Kind of place: {} → {}",
            l(old.location_type),
            l(new.location_type)
        ));
    }
    if old.postcode != new.postcode {
        let p = |x: &Option<String>| x.clone().unwrap_or_else(|| "none".into());
        v.push(format!(
            "Postcode: {} → {}",
            p(&old.postcode),
            p(&new.postcode)
        ));
    }
    if old.description != new.description {
        v.push("Description rewritten".into());
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in EntityKind::ALL {
            assert_eq!(EntityKind::parse(k.as_str()), Some(*k));
        }
        for k in LocationType::ALL {
            assert_eq!(LocationType::parse(k.as_str()), Some(*k));
        }
        for k in LinkRole::ALL {
            assert_eq!(LinkRole::parse(k.as_str()), Some(*k));
        }
        for k in Source::ALL {
            assert_eq!(Source::parse(k.as_str()), Some(*k));
        }
        for k in Confidence::ALL {
            assert_eq!(Confidence::parse(k.as_str()), Some(*k));
        }
        assert_eq!(Source::parse("rumour"), None);
    }

    #[test]
    fn places_normalise() {
        let table = [
            (
                "Hanley bus station (with friends, after leaving home)",
                "hanley bus station",
            ),
            ("  hanley   Bus-Station ", "hanley bus station"),
            ("The canal towpath at Etruria", "canal towpath at etruria"),
            ("a takeaway in Tunstall", "takeaway in tunstall"),
            ("(nothing)", ""),
            ("The", "the"),
            ("ST1 1AA", "st1 1aa"),
        ];
        for (input, want) in table {
            assert_eq!(normalise_place(input), want, "{input}");
        }
    }

    #[test]
    fn found_where_matches_name_or_postcode() {
        let table = [
            (
                "Found at Hanley bus station",
                "Hanley bus station",
                None,
                true,
            ),
            (
                "Seen in hanley bus station and brought back",
                "Hanley Bus Station",
                None,
                true,
            ),
            (
                "Found at Hanley bus stationery shop",
                "Hanley bus station",
                None,
                false,
            ),
            (
                "Found near ST1 5AB by police",
                "Flat above the shop",
                Some("ST1 5AB"),
                true,
            ),
            (
                "Walked back into home",
                "Hanley bus station",
                Some("ST1 5AB"),
                false,
            ),
            ("Found at a friend's", "", Some(""), false),
        ];
        for (text, name, pc, want) in table {
            assert_eq!(found_at(text, name, pc), want, "{text} / {name}");
        }
    }

    fn t(h: i64) -> DateTime<Utc> {
        "2026-11-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap() + chrono::TimeDelta::hours(h)
    }
    fn ep(n: u128, child: u128, start: i64, end: Option<i64>, place: &str) -> EpisodeSpan {
        EpisodeSpan {
            id: Uuid::from_u128(n),
            child_id: ChildId(Uuid::from_u128(1000 + child)),
            start: t(start),
            end: end.map(t),
            location_left: place.into(),
        }
    }

    #[test]
    fn overlapping_episodes_from_the_same_place_are_suggested() {
        // (a, b, expect a pair)
        let table = [
            // overlapping, same place after normalising
            (
                ep(1, 1, 0, Some(10), "Hanley bus station"),
                ep(
                    2,
                    2,
                    5,
                    Some(20),
                    "hanley bus station (with friends, after leaving home)",
                ),
                true,
            ),
            // touching only
            (
                ep(1, 1, 0, Some(10), "Hanley bus station"),
                ep(2, 2, 10, Some(20), "Hanley bus station"),
                false,
            ),
            // different places
            (
                ep(1, 1, 0, Some(10), "Hanley bus station"),
                ep(2, 2, 5, Some(20), "Fenton park"),
                false,
            ),
            // same child
            (
                ep(1, 1, 0, Some(10), "Hanley bus station"),
                ep(2, 1, 5, Some(20), "Hanley bus station"),
                false,
            ),
            // an open episode runs to now
            (
                ep(1, 1, 0, None, "Fenton park"),
                ep(2, 2, 50, Some(60), "Fenton park"),
                true,
            ),
            // one inside the other
            (
                ep(1, 1, 0, Some(100), "Fenton park"),
                ep(2, 2, 20, Some(30), "Fenton park"),
                true,
            ),
            // empty place
            (
                ep(1, 1, 0, Some(10), "(unknown)"),
                ep(2, 2, 5, Some(20), "(unknown)"),
                false,
            ),
        ];
        for (i, (a, b, want)) in table.into_iter().enumerate() {
            for order in [vec![a.clone(), b.clone()], vec![b.clone(), a.clone()]] {
                let got = suggest_links(&order, t(1000));
                assert_eq!(got.len(), usize::from(want), "row {i}");
                if let Some(s) = got.first() {
                    assert_eq!(s.episode_a, Uuid::from_u128(1), "row {i}");
                    assert_eq!(s.episode_b, Uuid::from_u128(2), "row {i}");
                    assert_eq!(s.overlap_start, a.start.max(b.start), "row {i}");
                }
            }
        }
    }

    #[test]
    fn three_children_together_make_three_pairs_newest_first() {
        let es = [
            ep(1, 1, 0, Some(10), "Fenton park"),
            ep(2, 2, 1, Some(10), "Fenton park"),
            ep(3, 3, 2, Some(10), "Fenton park"),
            ep(4, 4, 100, Some(110), "Hanley bus station"),
            ep(5, 5, 105, Some(120), "Hanley bus station"),
        ];
        let got = suggest_links(&es, t(1000));
        let pairs: Vec<(u128, u128)> = got
            .iter()
            .map(|s| (s.episode_a.as_u128(), s.episode_b.as_u128()))
            .collect();
        assert_eq!(pairs, vec![(4, 5), (1, 3), (2, 3), (1, 2)]);
        assert_eq!(got[0].place, "hanley bus station");
    }

    #[test]
    fn the_layout_is_deterministic_and_inside_the_picture() {
        let a = layout_network(5, 7, 600.0);
        assert_eq!(a, layout_network(5, 7, 600.0));
        assert_eq!(a.centre, Point { x: 300.0, y: 300.0 });
        assert_eq!(a.entities.len(), 5);
        assert_eq!(a.others.len(), 7);
        // The first entity is straight above the child.
        assert_eq!(a.entities[0], Point { x: 300.0, y: 150.0 });
        for p in a.entities.iter().chain(&a.others) {
            assert!(
                p.x > 0.0 && p.x < 600.0 && p.y > 0.0 && p.y < 600.0,
                "{p:?}"
            );
        }
        // Outer ring further out than the inner one.
        let d = |p: &Point| ((p.x - 300.0).powi(2) + (p.y - 300.0).powi(2)).sqrt();
        assert!(a.others.iter().all(|p| d(p) > d(&a.entities[0])));
        assert!(layout_network(0, 0, 600.0).entities.is_empty());
    }

    #[test]
    fn police_intelligence_is_either_the_record_or_the_link() {
        let table = [
            (Source::Police, None, true),
            (Source::Practitioner, Some(Source::Police), true),
            (Source::Practitioner, Some(Source::School), false),
            (Source::Interview, None, false),
        ];
        for (e, l, want) in table {
            assert_eq!(is_police_intelligence(e, l), want, "{e:?} {l:?}");
        }
    }

    #[test]
    fn corrections_and_endings_are_described_and_checked() {
        let d = |x: &str| x.parse::<NaiveDate>().unwrap();
        let link = ContextLink {
            id: Uuid::from_u128(1),
            entity_id: Uuid::from_u128(2),
            child_id: ChildId(Uuid::from_u128(3)),
            role: LinkRole::Associate,
            source: Source::Practitioner,
            confidence: Confidence::Unverified,
            from_date: Some(d("2026-09-01")),
            to_date: None,
            named_id: None,
            recorded_by: UserId(Uuid::from_u128(4)),
            recorded_at: DateTime::<Utc>::default(),
        };
        // (role, source, confidence, changes described)
        let table = [
            (
                LinkRole::Associate,
                Source::Practitioner,
                Confidence::Unverified,
                0,
            ),
            (
                LinkRole::Peer,
                Source::Practitioner,
                Confidence::Unverified,
                1,
            ),
            (LinkRole::Peer, Source::Police, Confidence::Confirmed, 3),
        ];
        for (r, s, c, n) in table {
            assert_eq!(link_changes(&link, r, s, c).len(), n, "{r:?} {s:?} {c:?}");
        }
        assert_eq!(
            link_changes(
                &link,
                LinkRole::Peer,
                Source::Practitioner,
                Confidence::Unverified
            ),
            vec!["Role: Associate → Peer".to_string()]
        );
        let today = d("2026-11-26");
        // (end date, already ended, problem?)
        let ends = [
            ("2026-11-26", false, None),
            ("2026-10-01", false, None),
            (
                "2026-11-27",
                false,
                Some("The end date must be today or in the past"),
            ),
            (
                "2026-08-31",
                false,
                Some("The end date must be on or after the date the link started"),
            ),
            ("2026-11-01", true, Some("This link has already ended")),
        ];
        for (e, ended, want) in ends {
            let l = ContextLink {
                to_date: ended.then(|| d("2026-10-10")),
                ..link.clone()
            };
            assert_eq!(link_end_problem(&l, d(e), today), want, "{e}");
        }
        let place = ContextEntity {
            id: Uuid::from_u128(2),
            kind: EntityKind::Location,
            name: "Chicken shop".into(),
            location_type: Some(LocationType::Takeaway),
            postcode: Some("ST1 1AA".into()),
            description: "Open late".into(),
            source: Source::Practitioner,
            created_by: UserId(Uuid::from_u128(4)),
            created_at: DateTime::<Utc>::default(),
        };
        assert!(entity_changes(&place, &place).is_empty());
        let moved = ContextEntity {
            name: "Chicken shop, Hope Street".into(),
            postcode: None,
            ..place.clone()
        };
        assert_eq!(
            entity_changes(&place, &moved),
            vec![
                "Name: Chicken shop → Chicken shop, Hope Street".to_string(),
                "Postcode: ST1 1AA → none".to_string()
            ]
        );
    }
}
