//! The Philomena profile: what the police need to find a child quickly, kept
//! current before the child ever goes missing, and handed over in one action
//! when they do.
//!
//! Source: the **Philomena Protocol** (Durham Constabulary, 2019; adopted by
//! many forces and local authorities since). Part 1 is completed in advance
//! and kept current by the carer or the local authority, and moves with the
//! child: photo and description, vulnerabilities, associates, addresses and
//! places frequented, medical needs, finances, phones, social media and
//! transport, missing history and legal status. Part 2 (clothing worn and
//! the last sighting) is taken when the child goes missing; in Harbour that is
//! the missing report (`crate::missing`). Durham reported 36% fewer missing
//! episodes in the first year.
//!
//! In Harbour the profile is versioned: every save is a new version (never an
//! update), the current one is the highest, and the police handover pack
//! combines it with the child's identity, placement, the open episode and the
//! missing history (see `docs/ARCHITECTURE.md`).

use crate::ids::{ChildId, UserId};
use crate::missing::MissingEpisode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The largest photo accepted: 2 MiB.
pub const PHOTO_MAX_BYTES: usize = 2 * 1024 * 1024;
/// Most lines in a list field (associates, places).
pub const MAX_LIST_LINES: usize = 50;
/// Longest line in a list field.
pub const MAX_LINE_CHARS: usize = 300;

/// The kinds of photo kept: JPEG and PNG, recognised by their first bytes
/// (what the browser or the file name claims is not trusted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhotoType {
    /// JPEG (`FF D8 FF`).
    Jpeg,
    /// PNG (`89 50 4E 47 0D 0A 1A 0A`).
    Png,
}

impl PhotoType {
    /// The MIME type stored and served.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }
    /// From a stored MIME type.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Jpeg, Self::Png]
            .into_iter()
            .find(|t| t.content_type() == s)
    }
    /// Recognise a photo by its magic bytes.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(Self::Png)
        } else {
            None
        }
    }
}

/// Check an uploaded photo: JPEG or PNG by content, not empty, at most
/// [`PHOTO_MAX_BYTES`].
pub fn check_photo(bytes: &[u8]) -> Result<PhotoType, &'static str> {
    if bytes.is_empty() {
        return Err("The selected photo is empty");
    }
    if bytes.len() > PHOTO_MAX_BYTES {
        return Err("The photo must be smaller than 2 MB");
    }
    PhotoType::sniff(bytes).ok_or("The photo must be a JPEG or PNG")
}

/// A photo as stored (without its bytes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoMeta {
    /// Identifier (versions that keep the photo share it).
    pub id: uuid::Uuid,
    /// JPEG or PNG.
    pub kind: PhotoType,
    /// Size in bytes.
    pub size: i64,
}

/// How the child looks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhysicalDescription {
    /// Height, for example "5 ft 4 in (163 cm)".
    pub height: String,
    /// Build, for example "slim".
    pub build: String,
    /// Hair colour and style.
    pub hair: String,
    /// Eye colour.
    pub eyes: String,
    /// Scars, tattoos, piercings, glasses.
    pub marks: String,
    /// What they usually wear.
    pub clothing: String,
}

/// The content of a profile version: everything a carer or worker edits.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileDetails {
    /// Description.
    pub description: PhysicalDescription,
    /// Vulnerabilities and risks (exploitation, self-harm, learning needs…).
    pub vulnerabilities: String,
    /// Medical needs and medication.
    pub medical: String,
    /// Associates, one per line (name, relationship, where they may be).
    pub associates: String,
    /// Places they may go and addresses frequented, one per line.
    pub places: String,
    /// Phone numbers and social media accounts.
    pub phones_social: String,
    /// Transport they use, money and bank cards.
    pub transport_finances: String,
}

fn lines(s: &str) -> impl Iterator<Item = &str> {
    s.lines().map(str::trim).filter(|l| !l.is_empty())
}

impl ProfileDetails {
    /// Trimmed, with Windows line endings and blank lines in the lists removed.
    pub fn normalised(&self) -> ProfileDetails {
        let t = |s: &str| s.replace("\r\n", "\n").trim().to_string();
        let list = |s: &str| {
            lines(&s.replace("\r\n", "\n"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let d = &self.description;
        ProfileDetails {
            description: PhysicalDescription {
                height: t(&d.height),
                build: t(&d.build),
                hair: t(&d.hair),
                eyes: t(&d.eyes),
                marks: t(&d.marks),
                clothing: t(&d.clothing),
            },
            vulnerabilities: t(&self.vulnerabilities),
            medical: t(&self.medical),
            associates: list(&self.associates),
            places: list(&self.places),
            phones_social: t(&self.phones_social),
            transport_finances: t(&self.transport_finances),
        }
    }
    /// Associates, one per line.
    pub fn associate_lines(&self) -> Vec<&str> {
        lines(&self.associates).collect()
    }
    /// Places, one per line.
    pub fn place_lines(&self) -> Vec<&str> {
        lines(&self.places).collect()
    }
}

/// One version of a child's profile. Versions are never changed; the
/// current profile is the highest version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhilomenaProfile {
    /// The child.
    pub child_id: ChildId,
    /// 1, 2, 3…
    pub version: i64,
    /// What it says.
    pub details: ProfileDetails,
    /// The photo, if any (a version may keep the previous one).
    pub photo: Option<PhotoMeta>,
    /// Who saved it.
    pub recorded_by: UserId,
    /// Their name.
    pub recorded_by_name: String,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

/// A problem with a profile as entered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileProblem {
    /// The field (form input name).
    pub field: &'static str,
    /// What to do about it.
    pub message: String,
}

/// Check a profile (after [`ProfileDetails::normalised`]). The description
/// police circulate first (height, build, hair, eyes) and the
/// vulnerabilities (which drive the police risk grade) are required; every
/// field has a length limit; associates and places are lists of short lines.
pub fn check_profile(p: &ProfileDetails) -> Vec<ProfileProblem> {
    let d = &p.description;
    let mut out = Vec::new();
    let mut add = |field, message: String| out.push(ProfileProblem { field, message });
    // (field, value, what to enter when blank (None: optional), the field's name in a message, limit)
    let fields: [(&'static str, &str, Option<&str>, &str, usize); 10] = [
        (
            "height",
            &d.height,
            Some("Enter the child's height, for example 5 ft 4 in or 163 cm"),
            "Height",
            100,
        ),
        (
            "build",
            &d.build,
            Some("Enter the child's build, for example slim"),
            "Build",
            100,
        ),
        (
            "hair",
            &d.hair,
            Some("Enter the child's hair colour and style"),
            "Hair",
            100,
        ),
        (
            "eyes",
            &d.eyes,
            Some("Enter the child's eye colour"),
            "Eyes",
            100,
        ),
        ("marks", &d.marks, None, "Distinguishing marks", 1_000),
        ("clothing", &d.clothing, None, "Usual clothing", 1_000),
        (
            "vulnerabilities",
            &p.vulnerabilities,
            Some("Enter the child's vulnerabilities, or write \u{2018}None known\u{2019}"),
            "Vulnerabilities",
            10_000,
        ),
        (
            "medical",
            &p.medical,
            None,
            "Medical needs and medication",
            10_000,
        ),
        (
            "phones_social",
            &p.phones_social,
            None,
            "Phones and social media",
            10_000,
        ),
        (
            "transport_finances",
            &p.transport_finances,
            None,
            "Transport and money",
            10_000,
        ),
    ];
    for (field, value, required, name, max) in fields {
        match required {
            Some(msg) if value.trim().is_empty() => add(field, msg.to_string()),
            _ if value.chars().count() > max => add(
                field,
                format!("{name} must be {} characters or fewer", thousands(max)),
            ),
            _ => {}
        }
    }
    for (field, value, what) in [
        ("associates", &p.associates, "associate"),
        ("places", &p.places, "place"),
    ] {
        let ls: Vec<&str> = lines(value).collect();
        if ls.len() > MAX_LIST_LINES {
            add(
                field,
                format!("List at most {MAX_LIST_LINES} {what}s, one on each line"),
            );
        } else if ls.iter().any(|l| l.chars().count() > MAX_LINE_CHARS) {
            add(
                field,
                format!(
                    "Each {what} must be on its own line, {MAX_LINE_CHARS} characters or fewer"
                ),
            );
        }
    }
    out
}

fn thousands(n: usize) -> String {
    if n >= 1_000 {
        format!("{},{:03}", n / 1_000, n % 1_000)
    } else {
        n.to_string()
    }
}

/// The missing history as the police pack shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct MissingHistory {
    /// Every recorded episode.
    pub total: usize,
    /// Episodes that began in the 12 months before `today`.
    pub last_12_months: usize,
    /// The most recent closed episodes, newest first (at most 5).
    pub recent: Vec<MissingEpisode>,
}

/// Summarise a child's episodes for the pack (the open one is shown apart).
pub fn missing_history(episodes: &[MissingEpisode], today: NaiveDate) -> MissingHistory {
    let year_ago = today
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(today);
    let mut closed: Vec<MissingEpisode> =
        episodes.iter().filter(|e| !e.is_open()).cloned().collect();
    closed.sort_by_key(|e| std::cmp::Reverse(e.last_seen_at));
    closed.truncate(5);
    MissingHistory {
        total: episodes.len(),
        last_12_months: episodes
            .iter()
            .filter(|e| e.last_seen_at.date_naive() > year_ago)
            .count(),
        recent: closed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::missing::{MissingFrom, MissingKind};

    fn good() -> ProfileDetails {
        ProfileDetails {
            description: PhysicalDescription {
                height: "5 ft 4 in".into(),
                build: "Slim".into(),
                hair: "Brown, shoulder length".into(),
                eyes: "Blue".into(),
                marks: String::new(),
                clothing: String::new(),
            },
            vulnerabilities: "None known".into(),
            ..Default::default()
        }
    }

    #[test]
    fn profile_checks_table() {
        let long = |n| "x".repeat(n);
        let lines = |n: usize| vec!["A friend"; n].join("\n");
        type Case = (
            &'static str,
            fn(&mut ProfileDetails, &dyn Fn(usize) -> String, &dyn Fn(usize) -> String),
            Option<(&'static str, &'static str)>,
        );
        let cases: Vec<Case> = vec![
            ("complete", |_, _, _| {}, None),
            (
                "no height",
                |p, _, _| p.description.height.clear(),
                Some(("height", "Enter the child's height")),
            ),
            (
                "blank build",
                |p, _, _| p.description.build = "   ".into(),
                Some(("build", "Enter the child's build")),
            ),
            (
                "no hair",
                |p, _, _| p.description.hair.clear(),
                Some(("hair", "hair colour")),
            ),
            (
                "no eyes",
                |p, _, _| p.description.eyes.clear(),
                Some(("eyes", "eye colour")),
            ),
            (
                "no vulnerabilities",
                |p, _, _| p.vulnerabilities.clear(),
                Some(("vulnerabilities", "None known")),
            ),
            (
                "height at limit",
                |p, l, _| p.description.height = l(100),
                None,
            ),
            (
                "height too long",
                |p, l, _| p.description.height = l(101),
                Some(("height", "100 characters or fewer")),
            ),
            (
                "marks too long",
                |p, l, _| p.description.marks = l(1_001),
                Some(("marks", "1,000 characters")),
            ),
            ("medical at limit", |p, l, _| p.medical = l(10_000), None),
            (
                "medical too long",
                |p, l, _| p.medical = l(10_001),
                Some(("medical", "10,000 characters")),
            ),
            (
                "phones too long",
                |p, l, _| p.phones_social = l(10_001),
                Some(("phones_social", "10,000")),
            ),
            (
                "transport too long",
                |p, l, _| p.transport_finances = l(10_001),
                Some(("transport_finances", "10,000")),
            ),
            ("50 associates", |p, _, n| p.associates = n(50), None),
            (
                "51 associates",
                |p, _, n| p.associates = n(51),
                Some(("associates", "at most 50 associates")),
            ),
            (
                "51 places",
                |p, _, n| p.places = n(51),
                Some(("places", "at most 50 places")),
            ),
            (
                "a long place",
                |p, l, _| p.places = format!("Park\n{}", l(301)),
                Some(("places", "300 characters or fewer")),
            ),
            (
                "blank lines do not count",
                |p, _, n| p.associates = format!("{}\n\n\n", n(50)),
                None,
            ),
        ];
        for (name, change, want) in cases {
            let mut p = good();
            change(&mut p, &long, &lines);
            let got = check_profile(&p);
            match want {
                None => assert!(got.is_empty(), "{name}: {got:?}"),
                Some((field, text)) => {
                    assert_eq!(got.len(), 1, "{name}: {got:?}");
                    assert_eq!(got[0].field, field, "{name}");
                    assert!(got[0].message.contains(text), "{name}: {}", got[0].message);
                }
            }
        }
    }

    #[test]
    fn normalising_trims_and_drops_blank_list_lines() {
        let mut p = good();
        p.description.height = "  5 ft  ".into();
        p.associates = " Dee, older friend \r\n\r\n  Sam (cousin)\n".into();
        p.medical = "Inhaler\r\nDaily".into();
        let n = p.normalised();
        assert_eq!(n.description.height, "5 ft");
        assert_eq!(n.associates, "Dee, older friend\nSam (cousin)");
        assert_eq!(
            n.associate_lines(),
            vec!["Dee, older friend", "Sam (cousin)"]
        );
        assert_eq!(n.medical, "Inhaler\nDaily");
    }

    #[test]
    fn photos_are_recognised_by_their_bytes() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10];
        let cases: [(&[u8], Result<PhotoType, &str>); 6] = [
            (&png, Ok(PhotoType::Png)),
            (&jpeg, Ok(PhotoType::Jpeg)),
            (b"GIF89a....", Err("JPEG or PNG")),
            (
                b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                Err("JPEG or PNG"),
            ),
            (&png[..4], Err("JPEG or PNG")),
            (b"", Err("empty")),
        ];
        for (bytes, want) in cases {
            match (check_photo(bytes), want) {
                (Ok(a), Ok(b)) => assert_eq!(a, b),
                (Err(a), Err(b)) => assert!(a.contains(b), "{a}"),
                (got, want) => panic!("{bytes:?}: got {got:?}, want {want:?}"),
            }
        }
        let mut big = vec![0u8; PHOTO_MAX_BYTES + 1];
        big[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
        assert_eq!(
            check_photo(&big),
            Err("The photo must be smaller than 2 MB")
        );
        assert_eq!(check_photo(&big[..PHOTO_MAX_BYTES]), Ok(PhotoType::Jpeg));
        for t in [PhotoType::Jpeg, PhotoType::Png] {
            assert_eq!(PhotoType::parse(t.content_type()), Some(t));
        }
        assert_eq!(PhotoType::parse("image/gif"), None);
    }

    fn episode(seen: &str, returned: Option<&str>) -> MissingEpisode {
        MissingEpisode {
            id: uuid::Uuid::now_v7(),
            child_id: ChildId::default(),
            kind: MissingKind::Missing,
            from: MissingFrom::Placement,
            last_seen_at: seen.parse().unwrap(),
            location_left: "Home".into(),
            reported_at: None,
            police_ref: None,
            grade: None,
            circumstances: String::new(),
            returned_at: returned.map(|r| r.parse().unwrap()),
            found_where: None,
            found_by: None,
            recorded_by: UserId::default(),
            recorded_at: seen.parse().unwrap(),
        }
    }

    #[test]
    fn missing_history_counts_the_year_and_lists_recent_returns() {
        let today: NaiveDate = "2026-11-26".parse().unwrap();
        let mut eps = vec![
            episode("2026-11-26T02:00:00Z", None),
            episode("2025-11-26T10:00:00Z", Some("2025-11-27T10:00:00Z")), // exactly a year ago: out
            episode("2025-11-27T10:00:00Z", Some("2025-11-28T10:00:00Z")),
        ];
        for m in 1..=6 {
            let s = format!("2026-0{m}-10T10:00:00Z");
            let r = format!("2026-0{m}-11T10:00:00Z");
            eps.push(episode(&s, Some(&r)));
        }
        let h = missing_history(&eps, today);
        assert_eq!(h.total, 9);
        assert_eq!(h.last_12_months, 8);
        assert_eq!(h.recent.len(), 5);
        assert!(h.recent.iter().all(|e| !e.is_open()));
        assert_eq!(
            h.recent[0].last_seen_at.to_rfc3339(),
            "2026-06-10T10:00:00+00:00"
        );
        assert!(
            h.recent
                .windows(2)
                .all(|w| w[0].last_seen_at > w[1].last_seen_at)
        );
        let empty = missing_history(&[], today);
        assert_eq!(
            (empty.total, empty.last_12_months, empty.recent.len()),
            (0, 0, 0)
        );
    }
}
