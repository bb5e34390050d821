//! SSDA903 files: CSV (one file per table, recognised by its exact column
//! set, dates `DD/MM/YYYY`) and XML (one file, a `<CHILD>` per child with
//! its `<EPISODE>`s, `<HEADER><AMISSING>` and `<SWEPISODE>`s, dates as
//! `xs:date`), written and read without IO.
//!
//! Source: DfE SSDA903 2025-26 guide, file specification; domain-reference.md
//! §10.1 ("each CSV must have exactly its columns; an extra column rejects
//! the file"; "in XML, `<AMISSING>` sits inside `<HEADER>`").

use std::collections::{BTreeMap, BTreeSet};

use super::{
    Episode, Header, Metadata, MissingRow, Return, SwEpisode, all_rules, any_rule_info, parse_date,
    table,
};

/// Header columns.
pub const HEADER_COLS: &[&str] = &["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"];
/// Episodes columns.
pub const EPISODES_COLS: &[&str] = &[
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
];
/// Missing columns.
pub const MISSING_COLS: &[&str] = &["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"];
/// SWEpisodes columns.
pub const SW_COLS: &[&str] = &["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"];

/// The tables Harbour exports and imports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tables {
    pub header: Vec<Header>,
    pub episodes: Vec<Episode>,
    pub missing: Vec<MissingRow>,
    pub sw: Vec<SwEpisode>,
}

fn header_cells(h: &Header) -> Vec<&Option<String>> {
    vec![
        &h.child, &h.sex, &h.dob, &h.ethnic, &h.upn, &h.mother, &h.mc_dob,
    ]
}
fn episode_cells(e: &Episode) -> Vec<&Option<String>> {
    vec![
        &e.child,
        &e.decom,
        &e.rne,
        &e.ls,
        &e.cin,
        &e.place,
        &e.place_provider,
        &e.dec,
        &e.rec,
        &e.reason_place_change,
        &e.home_post,
        &e.pl_post,
        &e.urn,
    ]
}
fn missing_cells(m: &MissingRow) -> Vec<&Option<String>> {
    vec![&m.child, &m.dob, &m.missing, &m.mis_start, &m.mis_end]
}
fn sw_cells(s: &SwEpisode) -> Vec<&Option<String>> {
    vec![
        &s.child,
        &s.dob,
        &s.sw_id,
        &s.sw_decom,
        &s.sw_dec,
        &s.sw_reason,
    ]
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv(cols: &[&str], rows: Vec<Vec<&Option<String>>>) -> String {
    let mut out = cols.join(",");
    out.push('\n');
    for r in rows {
        let cells: Vec<String> = r
            .into_iter()
            .map(|c| c.as_deref().map(csv_field).unwrap_or_default())
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

impl Tables {
    /// The CSV files: (file name, content). The names are for people; the
    /// DfE tools recognise a file by its columns.
    pub fn to_csv(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "header.csv",
                csv(HEADER_COLS, self.header.iter().map(header_cells).collect()),
            ),
            (
                "episodes.csv",
                csv(
                    EPISODES_COLS,
                    self.episodes.iter().map(episode_cells).collect(),
                ),
            ),
            (
                "missing.csv",
                csv(
                    MISSING_COLS,
                    self.missing.iter().map(missing_cells).collect(),
                ),
            ),
            (
                "swepisodes.csv",
                csv(SW_COLS, self.sw.iter().map(sw_cells).collect()),
            ),
        ]
    }

    /// The XML file: one `<CHILD>` per Header row, in Header order.
    pub fn to_xml(&self, end_year: i32, la_code: &str) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str(&format!(
            "<SSDA903 collection=\"{end_year}\" la=\"{}\">\n",
            xml_escape(la_code)
        ));
        let date_cols = [
            "DOB",
            "MC_DOB",
            "DECOM",
            "DEC",
            "MIS_START",
            "MIS_END",
            "SW_DECOM",
            "SW_DEC",
        ];
        let leaf = |out: &mut String, indent: &str, tag: &str, v: &Option<String>| {
            if let Some(v) = v {
                let v = if date_cols.contains(&tag) {
                    parse_date(v)
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_else(|| v.clone())
                } else {
                    v.clone()
                };
                let tag = match tag {
                    "CHILD" => "CHILDID",
                    "PLACE" => "PL",
                    t => t,
                };
                out.push_str(&format!("{indent}<{tag}>{}</{tag}>\n", xml_escape(&v)));
            }
        };
        for h in &self.header {
            out.push_str("  <CHILD>\n");
            for (c, v) in HEADER_COLS.iter().zip(header_cells(h)) {
                leaf(&mut out, "    ", c, v);
            }
            let missing: Vec<&MissingRow> =
                self.missing.iter().filter(|m| m.child == h.child).collect();
            if !missing.is_empty() {
                out.push_str("    <HEADER>\n");
                for m in missing {
                    out.push_str("      <AMISSING>\n");
                    for (c, v) in MISSING_COLS.iter().zip(missing_cells(m)).skip(2) {
                        leaf(&mut out, "        ", c, v);
                    }
                    out.push_str("      </AMISSING>\n");
                }
                out.push_str("    </HEADER>\n");
            }
            for e in self.episodes.iter().filter(|e| e.child == h.child) {
                out.push_str("    <EPISODE>\n");
                for (c, v) in EPISODES_COLS.iter().zip(episode_cells(e)).skip(1) {
                    leaf(&mut out, "      ", c, v);
                }
                out.push_str("    </EPISODE>\n");
            }
            for s in self.sw.iter().filter(|s| s.child == h.child) {
                out.push_str("    <SWEPISODE>\n");
                for (c, v) in SW_COLS.iter().zip(sw_cells(s)).skip(2) {
                    leaf(&mut out, "      ", c, v);
                }
                out.push_str("    </SWEPISODE>\n");
            }
            out.push_str("  </CHILD>\n");
        }
        out.push_str("</SSDA903>\n");
        out
    }
}

/// Escape text for XML 1.0; a character XML 1.0 cannot hold at all (a
/// control character other than tab, line feed and carriage return, or a
/// noncharacter) becomes U+FFFD, and a carriage return is written as a
/// character reference so parsers do not turn it into a line feed. Found by
/// the `ssda903_xml` fuzz target.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            c if crate::fuzz::is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// A problem in an imported file, located for the person fixing it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileProblem {
    pub file: String,
    /// 1-based line in the file (the header line is 1); 0 for the whole file.
    pub row: usize,
    /// Column name, or empty for the whole row or file.
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.row, self.column.as_str()) {
            (0, _) => write!(f, "{}: {}", self.file, self.message),
            (r, "") => write!(f, "{}, row {r}: {}", self.file, self.message),
            (r, c) => write!(f, "{}, row {r}, column {c}: {}", self.file, self.message),
        }
    }
}

/// CSV rows, each with its 1-based starting line.
pub type CsvRows = Vec<(usize, Vec<String>)>;

/// Parse CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF)
/// into rows of cells, each with its 1-based starting line; an error gives
/// the line and what is wrong.
pub fn parse_csv(text: &str) -> Result<CsvRows, (usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut row_line = 1;
    let mut in_quotes = false;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !quoted => {
                in_quotes = true;
                quoted = true;
            }
            '"' => return Err((line, "a quote inside an unquoted field".into())),
            ',' => {
                row.push(std::mem::take(&mut field));
                quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                row.push(std::mem::take(&mut field));
                quoted = false;
                if !(row.len() == 1 && row[0].is_empty()) {
                    rows.push((row_line, std::mem::take(&mut row)));
                } else {
                    row.clear();
                }
                line += 1;
                row_line = line;
            }
            _ if quoted => return Err((line, "text after a closing quote".into())),
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err((line, "a quoted field is not closed".into()));
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push((row_line, row));
    }
    Ok(rows)
}

/// Which table a CSV file is, by its exact column set.
fn table_of(cols: &[String]) -> Option<&'static str> {
    let mut have: Vec<&str> = cols.iter().map(|c| c.trim()).collect();
    have.sort();
    for (name, want) in [
        ("Header", HEADER_COLS),
        ("Episodes", EPISODES_COLS),
        ("Missing", MISSING_COLS),
        ("SWEpisodes", SW_COLS),
    ] {
        let mut w = want.to_vec();
        w.sort();
        if w == have {
            return Some(name);
        }
    }
    None
}

/// Read SSDA903 CSV files `(file name, content)` into [`Tables`], with
/// every problem that stops a faithful read, by file, row and column (a
/// file or row with a problem is left out of the tables). Blank cells
/// become `None`; surrounding spaces are trimmed.
pub fn read_csv_files(files: &[(String, String)]) -> (Tables, Vec<FileProblem>) {
    let mut t = Tables::default();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<&'static str, String> = BTreeMap::new();
    for (name, text) in files {
        let p = |row: usize, column: &str, message: String| FileProblem {
            file: name.clone(),
            row,
            column: column.to_string(),
            message,
        };
        let rows = match parse_csv(text) {
            Ok(r) => r,
            Err((line, why)) => {
                problems.push(p(line, "", format!("not readable as CSV: {why}")));
                continue;
            }
        };
        let Some((_, cols)) = rows.first() else {
            problems.push(p(0, "", "the file is empty".into()));
            continue;
        };
        let Some(table) = table_of(cols) else {
            problems.push(p(
                1,
                "",
                format!(
                    "the columns ({}) are not those of any SSDA903 table Harbour imports (Header, Episodes, Missing, SWEpisodes); each file must have exactly its table's columns",
                    cols.join(", ")
                ),
            ));
            continue;
        };
        if let Some(other) = seen.insert(table, name.clone()) {
            problems.push(p(
                0,
                "",
                format!("a second {table} file (the first was {other})"),
            ));
            continue;
        }
        let index: BTreeMap<&str, usize> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| (c.trim(), i))
            .collect();
        for (line, cells) in rows.iter().skip(1) {
            if cells.len() != cols.len() {
                problems.push(p(
                    *line,
                    "",
                    format!("{} cells where the header has {}", cells.len(), cols.len()),
                ));
                continue;
            }
            let get = |c: &str| {
                let v = cells[index[c]].trim();
                (!v.is_empty()).then(|| v.to_string())
            };
            match table {
                "Header" => t.header.push(Header {
                    child: get("CHILD"),
                    sex: get("SEX"),
                    dob: get("DOB"),
                    ethnic: get("ETHNIC"),
                    upn: get("UPN"),
                    mother: get("MOTHER"),
                    mc_dob: get("MC_DOB"),
                }),
                "Episodes" => t.episodes.push(Episode {
                    child: get("CHILD"),
                    decom: get("DECOM"),
                    rne: get("RNE"),
                    ls: get("LS"),
                    cin: get("CIN"),
                    place: get("PLACE"),
                    place_provider: get("PLACE_PROVIDER"),
                    dec: get("DEC"),
                    rec: get("REC"),
                    reason_place_change: get("REASON_PLACE_CHANGE"),
                    home_post: get("HOME_POST"),
                    pl_post: get("PL_POST"),
                    urn: get("URN"),
                }),
                "Missing" => t.missing.push(MissingRow {
                    child: get("CHILD"),
                    dob: get("DOB"),
                    missing: get("MISSING"),
                    mis_start: get("MIS_START"),
                    mis_end: get("MIS_END"),
                }),
                _ => t.sw.push(SwEpisode {
                    child: get("CHILD"),
                    dob: get("DOB"),
                    sw_id: get("SW_ID"),
                    sw_decom: get("SW_DECOM"),
                    sw_dec: get("SW_DEC"),
                    sw_reason: get("SW_REASON"),
                }),
            }
        }
    }
    if !seen.contains_key("Header") {
        problems.push(FileProblem {
            file: "(all files)".into(),
            row: 0,
            column: String::new(),
            message: "no Header file: every import needs the children's details".into(),
        });
    }
    (t, problems)
}

/// The tables as a `Return` the rules run on.
pub fn as_return(t: &Tables, year: i32) -> Return {
    Return {
        metadata: Metadata::year_ending(year),
        header: Some(t.header.clone()),
        episodes: Some(t.episodes.clone()),
        missing: Some(t.missing.clone()),
        sw_episodes: Some(t.sw.clone()),
        ..Default::default()
    }
}

/// Read SSDA903 CSV files for an import into collection year `year`: the
/// tables [`read_csv_files`] reads and every problem that stops the import
/// ([`read_csv_files`]'s and [`check_import`]'s), each located by file name.
pub fn import_files(files: &[(String, String)], year: i32) -> (Tables, Vec<FileProblem>) {
    let (tables, mut problems) = read_csv_files(files);
    let names: BTreeMap<&str, String> = files
        .iter()
        .filter_map(|(n, text)| {
            let first = text.lines().next().unwrap_or("");
            let mut cols: Vec<&str> = first.split(',').map(str::trim).collect();
            cols.sort();
            let is = |want: &[&str]| {
                let mut w = want.to_vec();
                w.sort();
                w == cols
            };
            if is(HEADER_COLS) {
                Some((table::HEADER, n.clone()))
            } else if is(EPISODES_COLS) {
                Some((table::EPISODES, n.clone()))
            } else if is(MISSING_COLS) {
                Some((table::MISSING, n.clone()))
            } else if is(SW_COLS) {
                Some((table::SW_EPISODES, n.clone()))
            } else {
                None
            }
        })
        .collect();
    problems.extend(check_import(&tables, year, &names));
    (tables, problems)
}

/// Every problem that stops an import, by file, row and column: what
/// Harbour must have to store a row (a child, a date of birth, dates, the
/// codes) and every implemented DfE rule.
pub fn check_import(t: &Tables, year: i32, names: &BTreeMap<&str, String>) -> Vec<FileProblem> {
    let mut out = Vec::new();
    let file = |tname: &str| {
        names
            .get(tname)
            .cloned()
            .unwrap_or_else(|| tname.to_string())
    };
    let mut push = |tname: &str, i: usize, col: &str, msg: String| {
        out.push(FileProblem {
            file: file(tname),
            row: i + 2,
            column: col.to_string(),
            message: msg,
        })
    };
    let mut header_children = BTreeSet::new();
    for (i, h) in t.header.iter().enumerate() {
        match &h.child {
            None => push(
                table::HEADER,
                i,
                "CHILD",
                "blank: every child needs an identifier".into(),
            ),
            Some(c) => {
                if !header_children.insert(c.clone()) {
                    push(
                        table::HEADER,
                        i,
                        "CHILD",
                        format!("child {c} appears twice"),
                    );
                }
            }
        }
    }
    let need_date = |v: &Option<String>| v.as_deref().and_then(parse_date).is_some();
    for (i, e) in t.episodes.iter().enumerate() {
        if !e
            .child
            .as_ref()
            .is_some_and(|c| header_children.contains(c))
        {
            push(
                table::EPISODES,
                i,
                "CHILD",
                "this child is not in the Header file".into(),
            );
        }
        // An invalid DECOM is rule 141's; a blank one stops the import.
        if e.decom.is_none() {
            push(
                table::EPISODES,
                i,
                "DECOM",
                "blank: every episode needs the date it began".into(),
            );
        }
        if e.place.is_none() {
            push(
                table::EPISODES,
                i,
                "PLACE",
                "blank: Harbour needs the placement type".into(),
            );
        }
    }
    for (i, m) in t.missing.iter().enumerate() {
        if !m
            .child
            .as_ref()
            .is_some_and(|c| header_children.contains(c))
        {
            push(
                table::MISSING,
                i,
                "CHILD",
                "this child is not in the Header file".into(),
            );
        }
    }
    for (i, s) in t.sw.iter().enumerate() {
        if !s
            .child
            .as_ref()
            .is_some_and(|c| header_children.contains(c))
        {
            push(
                table::SW_EPISODES,
                i,
                "CHILD",
                "this child is not in the Header file".into(),
            );
        }
        if !need_date(&s.sw_decom) {
            push(
                table::SW_EPISODES,
                i,
                "SW_DECOM",
                "blank or not a DD/MM/YYYY date".into(),
            );
        }
        if s.sw_dec.is_some() && !need_date(&s.sw_dec) {
            push(
                table::SW_EPISODES,
                i,
                "SW_DEC",
                "not a DD/MM/YYYY date".into(),
            );
        }
    }
    // Harbour holds one open allocation per child.
    let mut open_sw = BTreeSet::new();
    for (i, s) in t.sw.iter().enumerate() {
        if s.sw_dec.is_none() && !open_sw.insert(s.child.clone()) {
            out.push(FileProblem {
                file: file(table::SW_EPISODES),
                row: i + 2,
                column: "SW_DEC".into(),
                message: "a second social worker episode still open for this child: only the latest may have no end date".into(),
            });
        }
    }
    let ret = as_return(t, year);
    for (code, plain, rule) in all_rules() {
        let info = any_rule_info(code);
        let col = info
            .and_then(|i| i.affected_fields.first())
            .copied()
            .unwrap_or("");
        for (tname, rows) in rule(&ret) {
            for i in rows {
                out.push(FileProblem {
                    file: file(tname),
                    row: i + 2,
                    column: col.to_string(),
                    message: format!("{plain} (DfE rule {code})"),
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.file, a.row, &a.column).cmp(&(&b.file, b.row, &b.column)));
    out.dedup();
    out
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_keeps_the_document_well_formed() {
        assert_eq!(xml_escape("a\u{1}b\rc<&"), "a\u{FFFD}b&#13;c&lt;&amp;");
    }

    #[test]
    fn csv_round_trip_and_quoting() {
        let t = Tables {
            header: vec![Header {
                child: Some("A,1".into()),
                sex: Some("F".into()),
                dob: Some("01/02/2010".into()),
                ethnic: Some("WBRI".into()),
                upn: Some("UN5".into()),
                mother: None,
                mc_dob: None,
            }],
            ..Default::default()
        };
        let files: Vec<(String, String)> = t
            .to_csv()
            .into_iter()
            .map(|(n, c)| (n.to_string(), c))
            .collect();
        assert!(
            files[0]
                .1
                .starts_with("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n\"A,1\",F,01/02/2010")
        );
        assert_eq!(read_csv_files(&files), (t, vec![]));
    }

    #[test]
    fn parse_csv_table() {
        type Want = Result<Vec<Vec<&'static str>>, usize>;
        let cases: &[(&str, Want)] = &[
            ("a,b\r\n1,2\r\n", Ok(vec![vec!["a", "b"], vec!["1", "2"]])),
            (
                "a,b\n\"x \"\"y\"\"\",\n",
                Ok(vec![vec!["a", "b"], vec!["x \"y\"", ""]]),
            ),
            ("a\n\n1", Ok(vec![vec!["a"], vec!["1"]])),
            ("a,b\n\"open", Err(2)),
            ("a,b\nx\"y,1\n", Err(2)),
        ];
        for (text, want) in cases {
            let got = parse_csv(text)
                .map(|r| r.into_iter().map(|(_, c)| c).collect::<Vec<_>>())
                .map_err(|(l, _)| l);
            let want = want.clone().map(|r| {
                r.into_iter()
                    .map(|c| c.into_iter().map(String::from).collect())
                    .collect()
            });
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn malformed_files_are_reported_by_file_row_and_column() {
        let files = vec![
            (
                "h.csv".to_string(),
                "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,EXTRA\n1,M,01/01/2010,WBRI,UN5,,,x\n"
                    .to_string(),
            ),
            (
                "m.csv".to_string(),
                "CHILD,DOB,MISSING,MIS_START,MIS_END\n1,01/01/2010,M\n".to_string(),
            ),
        ];
        let (_, problems) = read_csv_files(&files);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[2].message.starts_with("no Header file"));
        assert_eq!((problems[0].file.as_str(), problems[0].row), ("h.csv", 1));
        assert!(
            problems[0]
                .message
                .contains("not those of any SSDA903 table")
        );
        assert_eq!((problems[1].file.as_str(), problems[1].row), ("m.csv", 2));
        assert_eq!(
            problems[1].to_string(),
            "m.csv, row 2: 3 cells where the header has 5"
        );
    }
}
