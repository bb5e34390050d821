//! Small statutory and practice rules that several records share.

use chrono::{Datelike, NaiveDate};

/// Age in completed years on `on`. A child born on 29 February has their
/// birthday on 1 March in non-leap years, as English law treats it
/// (Family Law Reform Act 1969 s.9: a person attains an age at the
/// commencement of the relevant anniversary of their birth).
pub fn age_on(dob: NaiveDate, on: NaiveDate) -> u32 {
    if on < dob {
        return 0;
    }
    let mut years = on.year() - dob.year();
    let birthday_passed = (on.month(), on.day()) >= (dob.month(), dob.day());
    if !birthday_passed {
        years -= 1;
    }
    years.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn age_table() {
        let cases = [
            ("2010-05-10", "2026-05-09", 15),
            ("2010-05-10", "2026-05-10", 16),
            ("2008-02-29", "2026-02-28", 17),
            ("2008-02-29", "2026-03-01", 18),
            ("2020-01-01", "2019-12-31", 0),
        ];
        for (dob, on, want) in cases {
            assert_eq!(age_on(d(dob), d(on)), want, "{dob} on {on}");
        }
    }
}
