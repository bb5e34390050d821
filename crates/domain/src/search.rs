//! Finding a child from what a busy practitioner types: part of a name, a
//! misspelt name, a date of birth, or an identifier (UPN, NHS number, the
//! authority's child id). Storage keeps a few keys per name (the normalised
//! token and a phonetic code) so candidates come from an index on either
//! backend; ranking happens here, in pure code.

use chrono::NaiveDate;

/// Lower-case, strip accents from common Latin letters, keep letters only.
pub fn normalise_token(t: &str) -> String {
    t.chars()
        .filter_map(|c| {
            let c = match c {
                'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' => 'a',
                'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
                'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ï' => 'i',
                'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ö' => 'o',
                'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ü' => 'u',
                'ç' | 'Ç' => 'c',
                'ñ' | 'Ñ' => 'n',
                c => c,
            };
            c.is_ascii_alphabetic().then(|| c.to_ascii_lowercase())
        })
        .collect()
}

/// Split a name into normalised tokens (on spaces, hyphens and apostrophes
/// the token is split; "O'Neill" gives "o" and "neill" and also "oneill").
pub fn name_tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in name.split_whitespace() {
        let joined = normalise_token(word);
        let parts: Vec<String> = word
            .split(['-', '\'', '’'])
            .map(normalise_token)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() > 1 {
            out.extend(parts.into_iter().filter(|p| p.len() > 1));
        }
        if !joined.is_empty() {
            out.push(joined);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// American Soundex of a normalised token (R. C. Russell, US Patent 1,261,167,
/// 1918; the National Archives' rules for H and W). Catches most misspellings
/// that keep the sound of a name: "Jonhson" and "Johnson" are both J525.
pub fn soundex(token: &str) -> String {
    fn code(c: char) -> Option<char> {
        Some(match c {
            'b' | 'f' | 'p' | 'v' => '1',
            'c' | 'g' | 'j' | 'k' | 'q' | 's' | 'x' | 'z' => '2',
            'd' | 't' => '3',
            'l' => '4',
            'm' | 'n' => '5',
            'r' => '6',
            _ => return None,
        })
    }
    let mut chars = token.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out = String::with_capacity(4);
    out.push(first.to_ascii_uppercase());
    let mut last = code(first);
    for c in chars {
        let k = code(c);
        if let Some(k) = k {
            if Some(k) != last {
                out.push(k);
                if out.len() == 4 {
                    break;
                }
            }
            last = Some(k);
        } else if c != 'h' && c != 'w' {
            last = None;
        }
    }
    while out.len() < 4 {
        out.push('0');
    }
    out
}

/// The index keys stored for one name: `n:<token>` and `p:<soundex>` per token.
pub fn name_keys(names: &[&str]) -> Vec<String> {
    let mut keys = Vec::new();
    for n in names {
        for t in name_tokens(n) {
            keys.push(format!("p:{}", soundex(&t)));
            keys.push(format!("n:{t}"));
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// What a search box's text means.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Name tokens, normalised.
    pub names: Vec<String>,
    /// A date of birth.
    pub dob: Option<NaiveDate>,
    /// Identifiers to match exactly (UPN, NHS number without spaces, LA child id), upper-cased.
    pub identifiers: Vec<String>,
}

impl SearchQuery {
    /// Nothing to search for.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.dob.is_none() && self.identifiers.is_empty()
    }
}

/// Parse a date typed as 3/7/2012, 03-07-2012, 3.7.2012 or 2012-07-03.
pub fn parse_loose_date(s: &str) -> Option<NaiveDate> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    if parts.len() != 3 || parts[2].len() != 4 {
        return None;
    }
    let (d, m, y) = (
        parts[0].parse().ok()?,
        parts[1].parse().ok()?,
        parts[2].parse().ok()?,
    );
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Interpret free text from the search box.
pub fn parse_query(q: &str) -> SearchQuery {
    let mut out = SearchQuery::default();
    // An NHS number is often typed with spaces: 943 476 5919.
    let digits: String = q.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 10 && digits.chars().all(|c| c.is_ascii_digit()) {
        out.identifiers.push(digits);
        return out;
    }
    for word in q.split_whitespace() {
        if let Some(d) = parse_loose_date(word) {
            out.dob = Some(d);
        } else if word.chars().any(|c| c.is_ascii_digit()) {
            out.identifiers.push(word.to_ascii_uppercase());
        } else {
            out.names.extend(name_tokens(word));
        }
    }
    out
}

/// Jaro–Winkler similarity in 0..=1 (Winkler 1990), used to rank candidates.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_m = vec![false; a.len()];
    let mut b_m = vec![false; b.len()];
    let mut matches = 0usize;
    for i in 0..a.len() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_m[j] && a[i] == b[j] {
                a_m[i] = true;
                b_m[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut t = 0usize;
    let mut k = 0usize;
    for i in 0..a.len() {
        if a_m[i] {
            while !b_m[k] {
                k += 1;
            }
            if a[i] != b[k] {
                t += 1;
            }
            k += 1;
        }
    }
    let m = matches as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - t as f64 / 2.0) / m) / 3.0;
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// How well one typed token matches one name token: exact 1.0, a prefix of at
/// least two letters 0.95, same sound 0.85, otherwise the Jaro–Winkler score.
pub fn token_score(typed: &str, name: &str) -> f64 {
    if typed == name {
        1.0
    } else if typed.len() >= 2 && name.starts_with(typed) {
        0.95
    } else if soundex(typed) == soundex(name) {
        0.85
    } else {
        jaro_winkler(typed, name)
    }
}

/// The least score every typed token must reach for a name to match.
pub const MATCH_THRESHOLD: f64 = 0.82;

/// Score a child's names against the typed tokens: every typed token must match
/// some name token; the result is the mean of the best scores, or None.
pub fn score_names(typed: &[String], child_names: &[&str]) -> Option<f64> {
    if typed.is_empty() {
        return Some(0.0);
    }
    let tokens: Vec<String> = child_names.iter().flat_map(|n| name_tokens(n)).collect();
    let mut total = 0.0;
    for t in typed {
        let best = tokens.iter().map(|n| token_score(t, n)).fold(0.0, f64::max);
        if best < MATCH_THRESHOLD {
            return None;
        }
        total += best;
    }
    Some(total / typed.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soundex_table() {
        for (name, code) in [
            ("robert", "R163"),
            ("rupert", "R163"),
            ("rubin", "R150"),
            ("ashcraft", "A261"),
            ("tymczak", "T522"),
            ("pfister", "P236"),
            ("johnson", "J525"),
            ("jonhson", "J525"),
            ("a", "A000"),
        ] {
            assert_eq!(soundex(name), code, "{name}");
        }
    }

    #[test]
    fn tokens_and_keys() {
        assert_eq!(
            name_tokens("Mary-Jane O'Neill"),
            vec!["jane", "mary", "maryjane", "neill", "oneill"]
        );
        assert_eq!(name_tokens("  José  "), vec!["jose"]);
        let keys = name_keys(&["Kai", "Brown"]);
        assert!(keys.contains(&"n:kai".to_string()));
        assert!(keys.contains(&"p:B650".to_string()));
    }

    #[test]
    fn queries_are_understood() {
        let q = parse_query("jay smith 03/07/2012");
        assert_eq!(q.names, vec!["jay", "smith"]);
        assert_eq!(q.dob, NaiveDate::from_ymd_opt(2012, 7, 3));
        assert_eq!(parse_query("943 476 5919").identifiers, vec!["9434765919"]);
        assert_eq!(
            parse_query("a123456789012").identifiers,
            vec!["A123456789012"]
        );
        assert_eq!(
            parse_query("2012-07-03").dob,
            NaiveDate::from_ymd_opt(2012, 7, 3)
        );
        assert!(parse_query("   ").is_empty());
        assert_eq!(parse_loose_date("31/02/2012"), None);
    }

    #[test]
    fn names_match_partially_and_misspelt() {
        let child = ["Tyler", "Johnson"];
        let cases: [(&str, bool); 7] = [
            ("tyler johnson", true),
            ("ty", true),
            ("jonhson", true),
            ("tiler jonson", true),
            ("johnsen", true),
            ("smith", false),
            ("tyler smith", false),
        ];
        for (typed, want) in cases {
            let q = parse_query(typed);
            assert_eq!(score_names(&q.names, &child).is_some(), want, "{typed}");
        }
        let exact = score_names(&parse_query("tyler johnson").names, &child).unwrap();
        let fuzzy = score_names(&parse_query("tiler jonson").names, &child).unwrap();
        assert!(exact > fuzzy);
    }

    #[test]
    fn jaro_winkler_reference_values() {
        assert!((jaro_winkler("martha", "marhta") - 0.961).abs() < 0.001);
        assert!((jaro_winkler("dwayne", "duane") - 0.84).abs() < 0.001);
        assert_eq!(jaro_winkler("", ""), 1.0);
        assert_eq!(jaro_winkler("abc", ""), 0.0);
    }
}
