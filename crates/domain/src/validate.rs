//! Input validation with messages in the GOV.UK Design System's style
//! ("Enter…", "…must be…"), collected per field so a form can be shown again
//! with an error summary and nothing is written.

use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;

/// One field's problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name (the form input's name or the JSON pointer's last segment).
    pub field: String,
    /// What to do about it, for people.
    pub message: String,
}

/// All of a submission's problems.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// Add a problem (only the first per field is kept: one message at a time).
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if !self.0.iter().any(|e| e.field == field) {
            self.0.push(FieldError {
                field: field.to_string(),
                message: message.into(),
            });
        }
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The message for a field, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
    /// Ok when empty.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

/// A required text field, trimmed, of at most `max` characters.
pub fn required_text(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> String {
    let v = value.trim();
    if v.is_empty() {
        errs.add(field, format!("Enter {label}"));
    } else if v.chars().count() > max {
        errs.add(
            field,
            format!("{} must be {max} characters or fewer", capitalise(label)),
        );
    }
    v.to_string()
}

/// An optional text field, trimmed; empty becomes None.
pub fn optional_text(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> Option<String> {
    let v = value.trim();
    if v.chars().count() > max {
        errs.add(
            field,
            format!("{} must be {max} characters or fewer", capitalise(label)),
        );
    }
    (!v.is_empty()).then(|| v.to_string())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A date from the GOV.UK date input's day, month and year boxes.
pub fn date_parts(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    day: &str,
    month: &str,
    year: &str,
) -> Option<NaiveDate> {
    let (d, m, y) = (day.trim(), month.trim(), year.trim());
    if d.is_empty() && m.is_empty() && y.is_empty() {
        errs.add(field, format!("Enter {label}"));
        return None;
    }
    let missing: Vec<&str> = [("day", d), ("month", m), ("year", y)]
        .iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(n, _)| *n)
        .collect();
    if !missing.is_empty() {
        errs.add(
            field,
            format!(
                "{} must include a {}",
                capitalise(label),
                missing.join(" and ")
            ),
        );
        return None;
    }
    let parsed = (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>());
    match parsed {
        (Ok(d), Ok(m), Ok(y)) if (1900..=2200).contains(&y) => {
            match NaiveDate::from_ymd_opt(y, m, d) {
                Some(date) => Some(date),
                None => {
                    errs.add(field, format!("{} must be a real date", capitalise(label)));
                    None
                }
            }
        }
        (_, _, Ok(y)) if !(1900..=2200).contains(&y) => {
            errs.add(
                field,
                format!("Year must include 4 numbers, for example {}", 2026),
            );
            None
        }
        _ => {
            errs.add(field, format!("{} must be a real date", capitalise(label)));
            None
        }
    }
}

/// A time typed as 14:30, 2:30pm, 1430 or 9.05am.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim().to_ascii_lowercase().replace(' ', "");
    let (body, pm, am) = if let Some(b) = s.strip_suffix("pm") {
        (b.to_string(), true, false)
    } else if let Some(b) = s.strip_suffix("am") {
        (b.to_string(), false, true)
    } else {
        (s.clone(), false, false)
    };
    let (h, m): (u32, u32) = if let Some((h, m)) = body.split_once([':', '.']) {
        (h.parse().ok()?, m.parse().ok()?)
    } else if body.len() == 4 && body.bytes().all(|b| b.is_ascii_digit()) && !pm && !am {
        (body[..2].parse().ok()?, body[2..].parse().ok()?)
    } else {
        (body.parse().ok()?, 0)
    };
    let h = match (h, pm, am) {
        (1..=11, true, _) => h + 12,
        (12, _, true) => 0,
        (13.., _, _) if pm || am => return None,
        _ => h,
    };
    NaiveTime::from_hms_opt(h, m, 0)
}

/// Unique Pupil Number check: 13 characters, a check letter then 12 characters
/// (digits, or 11 digits and a final letter for a temporary UPN). The check
/// letter is the weighted sum of characters 2–13 (weights 2..=13, letters by
/// their place in A–Z excluding I, O and S) modulo 23, as a letter of that
/// alphabet. Source: DfE, "Unique pupil numbers (UPN): guidance for schools
/// and local authorities" (2023), annex A.
pub fn upn_is_valid(upn: &str) -> bool {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRTUVWXYZ";
    let b = upn.as_bytes();
    if b.len() != 13 || !b[0].is_ascii_uppercase() || !b[1..12].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let last = b[12];
    let last_val = if last.is_ascii_digit() {
        (last - b'0') as u32
    } else if let Some(p) = LETTERS.iter().position(|&l| l == last) {
        p as u32
    } else {
        return false;
    };
    let mut sum = 0u32;
    for (i, &c) in b[1..12].iter().enumerate() {
        sum += (c - b'0') as u32 * (i as u32 + 2);
    }
    sum += last_val * 13;
    LETTERS.get((sum % 23) as usize) == Some(&b[0])
}

/// NHS number: 10 digits whose last is the modulus-11 check digit of the first
/// nine (weights 10..=2; a check of 10 is invalid, 11 becomes 0). Source: NHS
/// England, "NHS number" data dictionary entry.
pub fn nhs_number_is_valid(n: &str) -> bool {
    let d: Vec<u32> = n
        .chars()
        .filter(|c| !c.is_whitespace())
        .filter_map(|c| c.to_digit(10))
        .collect();
    if d.len() != 10 || n.chars().filter(|c| !c.is_whitespace()).count() != 10 {
        return false;
    }
    let sum: u32 = d[..9]
        .iter()
        .enumerate()
        .map(|(i, v)| v * (10 - i as u32))
        .sum();
    let check = 11 - (sum % 11);
    let check = if check == 11 { 0 } else { check };
    check != 10 && check == d[9]
}

/// A plausible email address (one @, a dot in the domain, no spaces), lower-cased.
pub fn email(errs: &mut FieldErrors, field: &str, value: &str) -> String {
    let v = value.trim().to_lowercase();
    let ok = v.len() <= 254
        && !v.contains(char::is_whitespace)
        && v.split_once('@').is_some_and(|(l, d)| {
            !l.is_empty()
                && d.contains('.')
                && !d.starts_with('.')
                && !d.ends_with('.')
                && !d.contains('@')
        });
    if v.is_empty() {
        errs.add(field, "Enter an email address");
    } else if !ok {
        errs.add(
            field,
            "Enter an email address in the correct format, like name@example.org",
        );
    }
    v
}

/// Password rules: at least 10 characters, at most 128, and not a commonly
/// breached password (a short local list; NCSC password guidance, 2018).
pub fn password_problem(pw: &str) -> Option<&'static str> {
    const COMMON: &[&str] = &[
        "password",
        "password1",
        "password123",
        "123456789",
        "1234567890",
        "qwerty123",
        "qwertyuiop",
        "iloveyou1",
        "welcome123",
        "letmein123",
        "football1",
        "changeme123",
        "passw0rd123",
        "admin12345",
    ];
    let n = pw.chars().count();
    if n < 10 {
        Some("Password must be 10 characters or more")
    } else if n > 128 {
        Some("Password must be 128 characters or fewer")
    } else if COMMON.contains(&pw.to_lowercase().as_str()) {
        Some("Choose a password that is harder to guess")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_parts_messages() {
        let cases: [(&str, &str, &str, Result<&str, &str>); 6] = [
            ("3", "7", "2012", Ok("2012-07-03")),
            ("", "", "", Err("Enter date of birth")),
            ("31", "2", "2012", Err("Date of birth must be a real date")),
            ("3", "", "2012", Err("Date of birth must include a month")),
            (
                "3",
                "7",
                "12",
                Err("Year must include 4 numbers, for example 2026"),
            ),
            ("x", "7", "2012", Err("Date of birth must be a real date")),
        ];
        for (d, m, y, want) in cases {
            let mut e = FieldErrors::new();
            let got = date_parts(&mut e, "dob", "date of birth", d, m, y);
            match want {
                Ok(s) => assert_eq!(got, Some(s.parse().unwrap())),
                Err(msg) => assert_eq!(e.get("dob"), Some(msg), "{d}/{m}/{y}"),
            }
        }
    }

    #[test]
    fn times() {
        for (s, want) in [
            ("14:30", Some("14:30")),
            ("2:30pm", Some("14:30")),
            ("1430", Some("14:30")),
            ("9.05am", Some("09:05")),
            ("12am", Some("00:00")),
            ("12pm", Some("12:00")),
            ("25:00", None),
            ("13pm", None),
            ("", None),
            // Found by the text_inputs fuzz target: four bytes that are not
            // four characters once panicked slicing inside a character.
            ("/\u{3cf}", None),
            ("1\u{e9}3", None),
            ("12ab", None),
        ] {
            assert_eq!(
                parse_time(s)
                    .map(|t| t.format("%H:%M").to_string())
                    .as_deref(),
                want,
                "{s}"
            );
        }
    }

    #[test]
    fn upn_check_letters() {
        // Built by hand from the algorithm: body 20123456789 + final digit 4.
        let body = "201234567894";
        let letters = b"ABCDEFGHJKLMNPQRTUVWXYZ";
        let sum: u32 = body
            .bytes()
            .enumerate()
            .map(|(i, c)| (c - b'0') as u32 * (i as u32 + 2))
            .sum();
        let good = format!("{}{}", letters[(sum % 23) as usize] as char, body);
        assert!(upn_is_valid(&good));
        let wrong = format!("{}{}", if good.starts_with('A') { 'B' } else { 'A' }, body);
        assert!(!upn_is_valid(&wrong));
        assert!(!upn_is_valid("A12345"));
        assert!(!upn_is_valid("a201234567894"));
    }

    #[test]
    fn nhs_numbers() {
        assert!(nhs_number_is_valid("9434765919"));
        assert!(nhs_number_is_valid("943 476 5919"));
        assert!(!nhs_number_is_valid("9434765918"));
        assert!(!nhs_number_is_valid("94347659"));
        assert!(!nhs_number_is_valid("94347659x9"));
    }

    #[test]
    fn emails_and_passwords() {
        let mut e = FieldErrors::new();
        assert_eq!(
            email(&mut e, "email", " Sam@Example.ORG "),
            "sam@example.org"
        );
        assert!(e.is_empty());
        email(&mut e, "email", "sam@example");
        assert!(e.get("email").is_some());
        assert!(password_problem("short").is_some());
        assert!(password_problem("Password123").is_some());
        assert!(password_problem("correct horse battery").is_none());
    }

    #[test]
    fn text_fields() {
        let mut e = FieldErrors::new();
        assert_eq!(required_text(&mut e, "s", "a subject", "  hi  ", 10), "hi");
        required_text(&mut e, "t", "a subject", "   ", 10);
        required_text(&mut e, "u", "a subject", "01234567890", 10);
        assert_eq!(e.get("t"), Some("Enter a subject"));
        assert_eq!(e.get("u"), Some("A subject must be 10 characters or fewer"));
        assert_eq!(optional_text(&mut e, "v", "x", "  ", 5), None);
    }
}
