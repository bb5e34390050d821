//! SSDA903 dates: `DD/MM/YYYY`, read exactly as the DfE validator reads them
//! (`pandas.to_datetime(value, format="%d/%m/%Y", errors="coerce")`).

use chrono::NaiveDate;

/// Parse an SSDA903 date. Returns `None` when the value is not a valid
/// `DD/MM/YYYY` date, which the validator treats as "not a valid date".
///
/// Accepted, as Python's `%d/%m/%Y` accepts: day `01`-`31`, `1`-`9` or
/// `" 1"`-`" 9"`; month `01`-`12` or `1`-`9`; year exactly four digits; the
/// whole value must match (no surrounding text or spaces). The day must exist
/// in that month, and the date must lie in the range pandas can hold
/// (22/09/1677 to 11/04/2262); anything outside is coerced to "no date".
/// So `2020-06-01`, `13/10/21`, `10/24/2021` and `31/02/2020` are all invalid.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let day = day_field(d)?;
    let month = month_field(m)?;
    let year = year_field(y)?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let min = NaiveDate::from_ymd_opt(1677, 9, 22)?;
    let max = NaiveDate::from_ymd_opt(2262, 4, 11)?;
    (min..=max).contains(&date).then_some(date)
}

fn digit(b: u8) -> Option<u32> {
    b.is_ascii_digit().then(|| u32::from(b - b'0'))
}

/// `(?P<d>3[01]|[12]\d|0[1-9]|[1-9]| [1-9])`
fn day_field(s: &str) -> Option<u32> {
    match s.as_bytes() {
        [b' ', a] | [a] => digit(*a).filter(|v| *v >= 1),
        [a, b] => {
            let v = digit(*a)? * 10 + digit(*b)?;
            (1..=31).contains(&v).then_some(v)
        }
        _ => None,
    }
}

/// `(?P<m>1[0-2]|0[1-9]|[1-9])`
fn month_field(s: &str) -> Option<u32> {
    match s.as_bytes() {
        [a] => digit(*a).filter(|v| *v >= 1),
        [a, b] => {
            let v = digit(*a)? * 10 + digit(*b)?;
            (1..=12).contains(&v).then_some(v)
        }
        _ => None,
    }
}

/// `(?P<Y>\d\d\d\d)`
fn year_field(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.len() != 4 {
        return None;
    }
    let mut v = 0i32;
    for c in b {
        v = v * 10 + digit(*c)? as i32;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_date_table() {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let cases: &[(&str, Option<NaiveDate>)] = &[
            ("08/03/2020", ymd(2020, 3, 8)),
            ("8/3/2020", ymd(2020, 3, 8)),
            (" 8/03/2020", ymd(2020, 3, 8)),
            ("29/02/2024", ymd(2024, 2, 29)),
            ("31/12/2262", None),
            ("11/04/2262", ymd(2262, 4, 11)),
            ("21/09/1677", None),
            ("22/09/1677", ymd(1677, 9, 22)),
            ("29/02/2023", None),
            ("31/02/2020", None),
            ("13/10/21", None),
            ("10/24/2021", None),
            ("2020-06-01", None),
            ("00/01/2020", None),
            ("01/00/2020", None),
            ("32/01/2020", None),
            ("001/01/2020", None),
            ("01/01/2020 ", None),
            ("01/01/2020/", None),
            ("01/ 1/2020", None),
            ("", None),
            ("NaT", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse_date(s), *want, "{s:?}");
        }
    }
}
