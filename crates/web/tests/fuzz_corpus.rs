//! The committed cargo-fuzz corpora (`fuzz/corpus/<target>/`), replayed on
//! stable through the same entry points the fuzz targets call, so the
//! README's test command checks every input the fuzzers kept (including the
//! ones that once crashed) without nightly. The 10-minute fuzzing runs are
//! `scripts/reliability/fuzz.sh`.

use std::path::Path;

fn replay(target: &str, entry: impl Fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a corpus entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the {target} corpus is empty");
    for f in &files {
        let data = std::fs::read(f).expect("a corpus file");
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| entry(&data)));
        assert!(outcome.is_ok(), "{target}: {} fails", f.display());
    }
}

#[test]
fn ssda903_csv() {
    replay("ssda903_csv", harbour_domain::fuzz::ssda903_csv);
}

#[test]
fn ssda903_xml() {
    replay("ssda903_xml", |d| {
        harbour_domain::fuzz::ssda903_xml(d);
    });
}

#[test]
fn text_inputs() {
    replay("text_inputs", harbour_domain::fuzz::text_inputs);
}

#[test]
fn forms() {
    replay("forms", harbour_web::fuzz::forms);
}

#[test]
fn config() {
    replay("config", harbour_app::config::fuzz_entry);
}
