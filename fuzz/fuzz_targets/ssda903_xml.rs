#![no_main]

// Harbour writes the SSDA903 XML return and reads none: the entry point
// writes XML from tables read out of fuzzed CSV; here an XML parser must
// accept the document and find each child's identifier as written.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (tables, xml) = harbour_domain::fuzz::ssda903_xml(data);
    let doc = roxmltree::Document::parse(&xml).expect("the XML return is well formed");
    let ids: Vec<Option<String>> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("CHILD"))
        .map(|c| {
            c.children()
                .find(|n| n.has_tag_name("CHILDID"))
                .and_then(|n| n.text())
                .map(str::to_string)
        })
        .collect();
    // Characters XML 1.0 cannot hold are written as U+FFFD (by design).
    let want: Vec<Option<String>> = tables
        .header
        .iter()
        .map(|h| {
            h.child.as_ref().map(|c| {
                c.chars()
                    .map(|ch| {
                        if harbour_domain::fuzz::is_xml_char(ch) {
                            ch
                        } else {
                            '\u{FFFD}'
                        }
                    })
                    .collect()
            })
        })
        .collect();
    assert_eq!(ids, want, "the XML's child identifiers differ from the tables'");
});
