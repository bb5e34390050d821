//! Entry points of the cargo-fuzz targets in `fuzz/` (run on nightly by
//! `scripts/reliability/fuzz.sh`) and of the stable tests that replay their
//! committed corpora (`crates/web/tests/fuzz_corpus.rs`). Each takes raw
//! bytes, runs the real parser on them and panics when the parser panics or
//! one of its invariants breaks; there is no copy of the logic here.

use chrono::{Datelike, NaiveDate};

use crate::ssda903::files::{Tables, import_files, read_csv_files};
use crate::ssda903::parse_date;
use crate::{search, validate};

/// The input as SSDA903 CSV files: NUL separates up to four files.
fn csv_files(data: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(data)
        .split('\0')
        .take(4)
        .enumerate()
        .map(|(i, text)| (format!("file{i}.csv"), text.to_string()))
        .collect()
}

/// SSDA903 CSV import (Header, Episodes, Missing, SWEpisodes): read and
/// check the files as `harbour import-903` does; whatever was read writes
/// back to CSV that reads again to the same tables with no problem.
pub fn ssda903_csv(data: &[u8]) {
    let files = csv_files(data);
    let (tables, problems) = import_files(&files, 2026);
    for p in &problems {
        assert!(!p.file.is_empty(), "a problem without a file: {p:?}");
    }
    let again: Vec<(String, String)> = tables
        .to_csv()
        .into_iter()
        .map(|(n, c)| (n.to_string(), c))
        .collect();
    let (back, back_problems) = read_csv_files(&again);
    assert_eq!(
        back_problems,
        vec![],
        "the CSV Harbour writes does not read back"
    );
    assert_eq!(back, tables, "the CSV Harbour writes reads back different");
}

/// Whether `c` may appear in an XML 1.0 document (the `Char` production).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// SSDA903 XML: Harbour writes the XML return (it reads none), so this
/// reads CSV files into tables and writes them as XML. The tables and the
/// XML are returned for the fuzz target's own well-formedness check (it
/// parses the document with an XML parser); here every character must be
/// one XML allows.
pub fn ssda903_xml(data: &[u8]) -> (Tables, String) {
    let files = csv_files(data);
    let (tables, _) = read_csv_files(&files);
    let la = files
        .first()
        .and_then(|(_, t)| t.lines().next())
        .unwrap_or("");
    let xml = tables.to_xml(2026, la);
    if let Some(c) = xml.chars().find(|c| !is_xml_char(*c)) {
        panic!("the XML holds {c:?}, which XML 1.0 does not allow");
    }
    (tables, xml)
}

/// The text parsers behind forms and the search box: SSDA903 dates, the
/// GOV.UK date input, times, loose dates, search queries, identifiers,
/// e-mail addresses, passwords and name matching.
pub fn text_inputs(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\n');
    let (a, b, c) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    if let Some(d) = parse_date(a) {
        assert_eq!(
            parse_date(&d.format("%d/%m/%Y").to_string()),
            Some(d),
            "an SSDA903 date does not survive writing"
        );
    }
    let mut errs = validate::FieldErrors::new();
    match validate::date_parts(&mut errs, "d", "the date", a, b, c) {
        Some(d) => {
            assert!(errs.is_empty());
            assert!((1900..=2200).contains(&d.year()));
        }
        None => assert!(errs.get("d").is_some(), "a refused date without a message"),
    }
    if let Some(t) = validate::parse_time(a) {
        let again = validate::parse_time(&t.format("%H:%M").to_string());
        assert_eq!(again, Some(t), "a time does not survive writing");
    }
    if let Some(d) = search::parse_loose_date(a) {
        let iso: NaiveDate = d;
        if (0..=9999).contains(&iso.year()) {
            assert_eq!(
                search::parse_loose_date(&iso.format("%Y-%m-%d").to_string()),
                Some(iso)
            );
        }
    }
    let q = search::parse_query(&text);
    for n in &q.names {
        assert!(!n.is_empty(), "an empty name token from {text:?}");
    }
    for typed in &q.names {
        let s = search::token_score(typed, b);
        assert!((0.0..=1.0).contains(&s), "token score {s} out of range");
    }
    let jw = search::jaro_winkler(a, b);
    assert!((0.0..=1.0).contains(&jw), "Jaro-Winkler {jw} out of range");
    let _ = search::name_keys(&[a, b, c]);
    let _ = search::soundex(a);
    let _ = validate::upn_is_valid(a);
    let _ = validate::nhs_number_is_valid(a);
    let _ = validate::password_problem(a);
    let mut errs = validate::FieldErrors::new();
    let email = validate::email(&mut errs, "email", a);
    if errs.is_empty() {
        assert!(
            email.contains('@'),
            "{email:?} accepted as an email address"
        );
    }
}
