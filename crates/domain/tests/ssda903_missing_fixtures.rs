//! Conformance: Harbour's SSDA903 Missing rules against the DfE validator's
//! own per-rule fixtures (`csc-validator-be-903` 0.1.17 unit tests, collection
//! year 2025-26), kept in `shared/conformance/ssda903-rules-2025-26/` beside
//! the repository.
//!
//! For every rule in `missing_rules()` (and every fixture whose tables
//! include Missing, which must then be in the registry) each call's input
//! tables, in pandas "split" orientation, are converted to a typed
//! `Return`, the rule is run, and the flagged rows, mapped back to the
//! DataFrame's index labels, must equal the fixture's `result` for every
//! table. A missing or unreadable fixture fails the test.
//!
//! Run with `-- --nocapture` to see the summary line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use harbour_domain::ssda903::{
    ChildRef, Episode, Header, Metadata, MissingRow, Return, RuleFn, SwEpisode, any_rule_info,
    core_rules, missing_rules, parse_date,
};
use serde_json::Value;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/ssda903-rules-2025-26")
}

fn load(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("fixture {} unreadable: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("fixture {} invalid: {e}", path.display()))
}

/// Fixtures whose own validator test failed in 0.1.17 and whose expectation
/// is therefore wrong, with the reason. None of the Missing rules is here.
const KNOWN_BAD: &[(&str, &str)] = &[];

/// A table in split orientation: column name -> cells per row, plus the
/// index label of each row.
struct Split {
    columns: Vec<String>,
    index: Vec<Value>,
    records: Vec<Vec<Value>>,
}

impl Split {
    fn from(v: &Value, what: &str) -> Split {
        let strs = |k: &str| -> Vec<Value> {
            v[k].as_array()
                .unwrap_or_else(|| panic!("{what}: no {k}"))
                .clone()
        };
        let columns = strs("columns")
            .into_iter()
            .map(|c| c.as_str().expect("column name").to_string())
            .collect();
        let index = strs("index");
        let records: Vec<Vec<Value>> = strs("records")
            .into_iter()
            .map(|r| r.as_array().expect("record").clone())
            .collect();
        assert_eq!(index.len(), records.len(), "{what}: index/records length");
        let labels: BTreeSet<String> = index.iter().map(Value::to_string).collect();
        assert_eq!(labels.len(), index.len(), "{what}: duplicate index labels");
        Split {
            columns,
            index,
            records,
        }
    }

    /// The cell of `col` in row `i` as raw text; `None` for null or a
    /// column the table does not have.
    fn cell(&self, i: usize, col: &str) -> Option<String> {
        let c = self.columns.iter().position(|x| x == col)?;
        match &self.records[i][c] {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            other => panic!("unexpected cell {other} in {col}"),
        }
    }

    fn rows<T>(&self, f: impl Fn(&dyn Fn(&str) -> Option<String>) -> T) -> Vec<T> {
        (0..self.records.len())
            .map(|i| f(&|col| self.cell(i, col)))
            .collect()
    }
}

fn missing_rows(t: &Split) -> Vec<MissingRow> {
    t.rows(|c| MissingRow {
        child: c("CHILD"),
        dob: c("DOB"),
        missing: c("MISSING"),
        mis_start: c("MIS_START"),
        mis_end: c("MIS_END"),
    })
}

fn child_refs(t: &Split) -> Vec<ChildRef> {
    t.rows(|c| ChildRef { child: c("CHILD") })
}

fn to_return(input: &Value, metadata: &Value, what: &str) -> (Return, BTreeMap<String, Split>) {
    let mut r = Return::default();
    let meta_date = |k: &str| {
        metadata.get(k).map(|v| {
            let s = v.as_str().expect("metadata date is text");
            parse_date(s).unwrap_or_else(|| panic!("{what}: metadata {k} {s:?} unparseable"))
        })
    };
    r.metadata = Metadata {
        collection_start: meta_date("collection_start"),
        collection_end: meta_date("collection_end"),
    };
    let mut splits = BTreeMap::new();
    for (name, v) in input.as_object().expect("input is an object") {
        let t = Split::from(v, &format!("{what} {name}"));
        match name.as_str() {
            "Header" => {
                r.header = Some(t.rows(|c| Header {
                    child: c("CHILD"),
                    sex: c("SEX"),
                    dob: c("DOB"),
                    ethnic: c("ETHNIC"),
                    upn: c("UPN"),
                    mother: c("MOTHER"),
                    mc_dob: c("MC_DOB"),
                }))
            }
            "Episodes" => {
                r.episodes = Some(t.rows(|c| Episode {
                    child: c("CHILD"),
                    decom: c("DECOM"),
                    rne: c("RNE"),
                    ls: c("LS"),
                    cin: c("CIN"),
                    place: c("PLACE"),
                    place_provider: c("PLACE_PROVIDER"),
                    dec: c("DEC"),
                    rec: c("REC"),
                    reason_place_change: c("REASON_PLACE_CHANGE"),
                    home_post: c("HOME_POST"),
                    pl_post: c("PL_POST"),
                    urn: c("URN"),
                }))
            }
            "Missing" => r.missing = Some(missing_rows(&t)),
            "Missing_last" => r.missing_last = Some(missing_rows(&t)),
            "PlacedAdoption" => r.placed_adoption = Some(child_refs(&t)),
            "Reviews" => r.reviews = Some(child_refs(&t)),
            "AD1" => r.ad1 = Some(child_refs(&t)),
            "PrevPerm" => r.prev_perm = Some(child_refs(&t)),
            "OC2" => r.oc2 = Some(child_refs(&t)),
            "SWEpisodes" => {
                r.sw_episodes = Some(t.rows(|c| SwEpisode {
                    child: c("CHILD"),
                    dob: c("DOB"),
                    sw_id: c("SW_ID"),
                    sw_decom: c("SW_DECOM"),
                    sw_dec: c("SW_DEC"),
                    sw_reason: c("SW_REASON"),
                }))
            }
            other => panic!("{what}: table {other} is not modelled"),
        }
        splits.insert(name.clone(), t);
    }
    (r, splits)
}

fn sorted_labels(labels: impl IntoIterator<Item = Value>) -> Vec<String> {
    let mut v: Vec<String> = labels.into_iter().map(|l| l.to_string()).collect();
    v.sort();
    v
}

#[test]
fn missing_rules_match_validator_fixtures() {
    let dir = fixture_dir();
    assert!(
        dir.is_dir(),
        "fixture directory {} not found (shared/ must sit beside the repository)",
        dir.display()
    );

    // Every fixture that touches Missing must be implemented.
    let mut touching = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("read fixture dir") {
        let path = entry.expect("dir entry").path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let f = load(&path);
        let tables = f["tables"].as_array().cloned().unwrap_or_default();
        if tables
            .iter()
            .filter_map(Value::as_str)
            .any(|t| t.eq_ignore_ascii_case("missing"))
        {
            touching.insert(f["code"].as_str().expect("code").to_string());
        }
    }
    let implemented: BTreeSet<String> = missing_rules().iter().map(|r| r.0.to_string()).collect();
    let unimplemented: Vec<_> = touching.difference(&implemented).collect();
    assert!(
        unimplemented.is_empty(),
        "fixtures touching Missing without a Harbour rule: {unimplemented:?}"
    );

    let (rules, calls, failures) = run_registry(&dir, missing_rules());
    assert!(failures.is_empty(), "mismatches:\n{}", failures.join("\n"));
    println!(
        "ssda903 Missing conformance: {rules} rules, {calls} calls checked against {}",
        dir.display()
    );
    assert_eq!(rules, missing_rules().len() - KNOWN_BAD.len());
}

/// Run every rule of a registry against its fixture; returns (rules run,
/// calls checked, mismatches).
fn run_registry(
    dir: &std::path::Path,
    registry: &[(&'static str, &'static str, RuleFn)],
) -> (usize, usize, Vec<String>) {
    let mut rules = 0;
    let mut calls = 0;
    let mut failures = Vec::new();
    for (code, _, check) in registry {
        let path = dir.join(format!("{code}.json"));
        assert!(
            path.is_file(),
            "fixture for rule {code} missing: {}",
            path.display()
        );
        let f = load(&path);
        assert_eq!(f["code"].as_str(), Some(*code), "{code}: code");
        if let Some((_, why)) = KNOWN_BAD.iter().find(|(c, _)| c == code) {
            println!("skip {code}: {why}");
            continue;
        }
        assert_eq!(
            f["test_passed"].as_bool(),
            Some(true),
            "{code}: the validator's own test failed; decide and record it in KNOWN_BAD"
        );
        let info = any_rule_info(code).expect("rule info");
        assert_eq!(
            f["message"].as_str(),
            Some(info.dfe_message),
            "{code}: DfE message"
        );
        let fields: Vec<&str> = f["affected_fields"]
            .as_array()
            .expect("affected_fields")
            .iter()
            .map(|v| v.as_str().expect("field"))
            .collect();
        assert_eq!(fields, info.affected_fields, "{code}: affected fields");

        let fixture_calls = f["calls"].as_array().expect("calls");
        assert!(!fixture_calls.is_empty(), "{code}: no calls");
        for (n, call) in fixture_calls.iter().enumerate() {
            let what = format!("{code} call {n}");
            let (ret, splits) = to_return(&call["input"], &call["metadata"], &what);
            let got = check(&ret);
            let expected = call["result"].as_object().expect("result");

            let tables: BTreeSet<String> = expected
                .keys()
                .cloned()
                .chain(got.keys().map(|k| k.to_string()))
                .collect();
            for table in tables {
                let want = sorted_labels(
                    expected
                        .get(&table)
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default(),
                );
                let positions = got.get(table.as_str()).cloned().unwrap_or_default();
                assert!(
                    positions.windows(2).all(|w| w[0] < w[1]),
                    "{what}: {table} flags not sorted/unique: {positions:?}"
                );
                let split = splits
                    .get(&table)
                    .unwrap_or_else(|| panic!("{what}: flags for absent table {table}"));
                let have = sorted_labels(positions.iter().map(|&p| split.index[p].clone()));
                if have != want {
                    failures.push(format!(
                        "{what}: {table} flagged {have:?}, expected {want:?}"
                    ));
                }
            }
            calls += 1;
        }
        rules += 1;
    }
    (rules, calls, failures)
}

#[test]
fn header_episode_and_sw_rules_match_validator_fixtures() {
    let dir = fixture_dir();
    let (rules, calls, failures) = run_registry(&dir, core_rules());
    assert!(failures.is_empty(), "mismatches:\n{}", failures.join("\n"));
    println!("ssda903 core conformance: {rules} rules, {calls} calls");
    assert_eq!(rules, core_rules().len());
}
