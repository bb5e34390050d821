//! England and Wales working-day calendar and Europe/London local time.
//!
//! Statutory children's-services timescales are often expressed in working
//! days (for example "within one working day", "within 15 working days"),
//! where a working day is Monday to Friday excluding bank holidays. This
//! module provides:
//!
//! * [`WorkingCalendar`]: a set of non-working days (bank holidays plus any
//!   local-authority closure days) with working-day arithmetic;
//! * a built-in table of England and Wales bank holidays for
//!   [`FIRST_COVERED_YEAR`]..=[`LAST_COVERED_YEAR`]
//!   ([`ENGLAND_AND_WALES_BANK_HOLIDAYS`]);
//! * [`easter_sunday`], used to check the Easter-dependent table entries;
//! * UK civil time ("Europe/London": GMT in winter, BST in summer) without a
//!   time-zone database: [`london_offset`], [`to_london`], [`london_date`],
//!   [`from_london`];
//! * GOV.UK-style date and time formatting: [`format_date`],
//!   [`format_london`].
//!
//! # Sources
//!
//! * Bank holidays: UK Government, "UK bank holidays",
//!   <https://www.gov.uk/bank-holidays> (England and Wales division), made
//!   under the Banking and Financial Dealings Act 1971 (Schedule 1) and
//!   Royal Proclamations for moved and additional days. Years not yet
//!   published on GOV.UK (2028 onwards at the time of writing) follow the
//!   standing rules of the Act and the usual substitute-day practice; a
//!   proclamation can still move or add days, so keep the table under review.
//! * Summer time: Summer Time Act 1972 as amended by the Summer Time Order
//!   2002 (SI 2002/262): British Summer Time (UTC+1) runs from 01:00 UTC on
//!   the last Sunday in March to 01:00 UTC on the last Sunday in October.
//!   The rule is applied to every year; it is not correct for dates before
//!   1981, when different rules applied.
//!
//! Everything here is pure: no IO, and no clock reads.

use std::collections::BTreeSet;
use std::ops::Bound;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Timelike, Utc, Weekday,
};

/// First calendar year covered by [`ENGLAND_AND_WALES_BANK_HOLIDAYS`].
pub const FIRST_COVERED_YEAR: i32 = 2015;

/// Last calendar year covered by [`ENGLAND_AND_WALES_BANK_HOLIDAYS`].
pub const LAST_COVERED_YEAR: i32 = 2030;

/// England and Wales bank holidays, [`FIRST_COVERED_YEAR`] to
/// [`LAST_COVERED_YEAR`] inclusive, as `(year, month, day, name)` in date
/// order.
///
/// Source: <https://www.gov.uk/bank-holidays> and the Banking and Financial
/// Dealings Act 1971. Includes substitute days (when a holiday falls on a
/// weekend), the 2020 early May bank holiday moved to 8 May (VE Day 75), the
/// 2022 spring bank holiday moved to 2 June plus the Platinum Jubilee bank
/// holiday on 3 June, the State Funeral of Queen Elizabeth II on 19 September
/// 2022 and the Coronation of King Charles III on 8 May 2023.
pub const ENGLAND_AND_WALES_BANK_HOLIDAYS: &[(i32, u32, u32, &str)] = &[
    // 2015 (Easter Sunday 5 April)
    (2015, 1, 1, "New Year’s Day"),
    (2015, 4, 3, "Good Friday"),
    (2015, 4, 6, "Easter Monday"),
    (2015, 5, 4, "Early May bank holiday"),
    (2015, 5, 25, "Spring bank holiday"),
    (2015, 8, 31, "Summer bank holiday"),
    (2015, 12, 25, "Christmas Day"),
    (2015, 12, 28, "Boxing Day (substitute day)"),
    // 2016 (Easter Sunday 27 March)
    (2016, 1, 1, "New Year’s Day"),
    (2016, 3, 25, "Good Friday"),
    (2016, 3, 28, "Easter Monday"),
    (2016, 5, 2, "Early May bank holiday"),
    (2016, 5, 30, "Spring bank holiday"),
    (2016, 8, 29, "Summer bank holiday"),
    (2016, 12, 26, "Boxing Day"),
    (2016, 12, 27, "Christmas Day (substitute day)"),
    // 2017 (Easter Sunday 16 April)
    (2017, 1, 2, "New Year’s Day (substitute day)"),
    (2017, 4, 14, "Good Friday"),
    (2017, 4, 17, "Easter Monday"),
    (2017, 5, 1, "Early May bank holiday"),
    (2017, 5, 29, "Spring bank holiday"),
    (2017, 8, 28, "Summer bank holiday"),
    (2017, 12, 25, "Christmas Day"),
    (2017, 12, 26, "Boxing Day"),
    // 2018 (Easter Sunday 1 April)
    (2018, 1, 1, "New Year’s Day"),
    (2018, 3, 30, "Good Friday"),
    (2018, 4, 2, "Easter Monday"),
    (2018, 5, 7, "Early May bank holiday"),
    (2018, 5, 28, "Spring bank holiday"),
    (2018, 8, 27, "Summer bank holiday"),
    (2018, 12, 25, "Christmas Day"),
    (2018, 12, 26, "Boxing Day"),
    // 2019 (Easter Sunday 21 April)
    (2019, 1, 1, "New Year’s Day"),
    (2019, 4, 19, "Good Friday"),
    (2019, 4, 22, "Easter Monday"),
    (2019, 5, 6, "Early May bank holiday"),
    (2019, 5, 27, "Spring bank holiday"),
    (2019, 8, 26, "Summer bank holiday"),
    (2019, 12, 25, "Christmas Day"),
    (2019, 12, 26, "Boxing Day"),
    // 2020 (Easter Sunday 12 April)
    (2020, 1, 1, "New Year’s Day"),
    (2020, 4, 10, "Good Friday"),
    (2020, 4, 13, "Easter Monday"),
    (2020, 5, 8, "Early May bank holiday (VE day)"),
    (2020, 5, 25, "Spring bank holiday"),
    (2020, 8, 31, "Summer bank holiday"),
    (2020, 12, 25, "Christmas Day"),
    (2020, 12, 28, "Boxing Day (substitute day)"),
    // 2021 (Easter Sunday 4 April)
    (2021, 1, 1, "New Year’s Day"),
    (2021, 4, 2, "Good Friday"),
    (2021, 4, 5, "Easter Monday"),
    (2021, 5, 3, "Early May bank holiday"),
    (2021, 5, 31, "Spring bank holiday"),
    (2021, 8, 30, "Summer bank holiday"),
    (2021, 12, 27, "Christmas Day (substitute day)"),
    (2021, 12, 28, "Boxing Day (substitute day)"),
    // 2022 (Easter Sunday 17 April)
    (2022, 1, 3, "New Year’s Day (substitute day)"),
    (2022, 4, 15, "Good Friday"),
    (2022, 4, 18, "Easter Monday"),
    (2022, 5, 2, "Early May bank holiday"),
    (2022, 6, 2, "Spring bank holiday"),
    (2022, 6, 3, "Platinum Jubilee bank holiday"),
    (2022, 8, 29, "Summer bank holiday"),
    (
        2022,
        9,
        19,
        "Bank Holiday for the State Funeral of Queen Elizabeth II",
    ),
    (2022, 12, 26, "Boxing Day"),
    (2022, 12, 27, "Christmas Day (substitute day)"),
    // 2023 (Easter Sunday 9 April)
    (2023, 1, 2, "New Year’s Day (substitute day)"),
    (2023, 4, 7, "Good Friday"),
    (2023, 4, 10, "Easter Monday"),
    (2023, 5, 1, "Early May bank holiday"),
    (
        2023,
        5,
        8,
        "Bank holiday for the coronation of King Charles III",
    ),
    (2023, 5, 29, "Spring bank holiday"),
    (2023, 8, 28, "Summer bank holiday"),
    (2023, 12, 25, "Christmas Day"),
    (2023, 12, 26, "Boxing Day"),
    // 2024 (Easter Sunday 31 March)
    (2024, 1, 1, "New Year’s Day"),
    (2024, 3, 29, "Good Friday"),
    (2024, 4, 1, "Easter Monday"),
    (2024, 5, 6, "Early May bank holiday"),
    (2024, 5, 27, "Spring bank holiday"),
    (2024, 8, 26, "Summer bank holiday"),
    (2024, 12, 25, "Christmas Day"),
    (2024, 12, 26, "Boxing Day"),
    // 2025 (Easter Sunday 20 April)
    (2025, 1, 1, "New Year’s Day"),
    (2025, 4, 18, "Good Friday"),
    (2025, 4, 21, "Easter Monday"),
    (2025, 5, 5, "Early May bank holiday"),
    (2025, 5, 26, "Spring bank holiday"),
    (2025, 8, 25, "Summer bank holiday"),
    (2025, 12, 25, "Christmas Day"),
    (2025, 12, 26, "Boxing Day"),
    // 2026 (Easter Sunday 5 April)
    (2026, 1, 1, "New Year’s Day"),
    (2026, 4, 3, "Good Friday"),
    (2026, 4, 6, "Easter Monday"),
    (2026, 5, 4, "Early May bank holiday"),
    (2026, 5, 25, "Spring bank holiday"),
    (2026, 8, 31, "Summer bank holiday"),
    (2026, 12, 25, "Christmas Day"),
    (2026, 12, 28, "Boxing Day (substitute day)"),
    // 2027 (Easter Sunday 28 March)
    (2027, 1, 1, "New Year’s Day"),
    (2027, 3, 26, "Good Friday"),
    (2027, 3, 29, "Easter Monday"),
    (2027, 5, 3, "Early May bank holiday"),
    (2027, 5, 31, "Spring bank holiday"),
    (2027, 8, 30, "Summer bank holiday"),
    (2027, 12, 27, "Christmas Day (substitute day)"),
    (2027, 12, 28, "Boxing Day (substitute day)"),
    // 2028 (Easter Sunday 16 April)
    (2028, 1, 3, "New Year’s Day (substitute day)"),
    (2028, 4, 14, "Good Friday"),
    (2028, 4, 17, "Easter Monday"),
    (2028, 5, 1, "Early May bank holiday"),
    (2028, 5, 29, "Spring bank holiday"),
    (2028, 8, 28, "Summer bank holiday"),
    (2028, 12, 25, "Christmas Day"),
    (2028, 12, 26, "Boxing Day"),
    // 2029 (Easter Sunday 1 April)
    (2029, 1, 1, "New Year’s Day"),
    (2029, 3, 30, "Good Friday"),
    (2029, 4, 2, "Easter Monday"),
    (2029, 5, 7, "Early May bank holiday"),
    (2029, 5, 28, "Spring bank holiday"),
    (2029, 8, 27, "Summer bank holiday"),
    (2029, 12, 25, "Christmas Day"),
    (2029, 12, 26, "Boxing Day"),
    // 2030 (Easter Sunday 21 April)
    (2030, 1, 1, "New Year’s Day"),
    (2030, 4, 19, "Good Friday"),
    (2030, 4, 22, "Easter Monday"),
    (2030, 5, 6, "Early May bank holiday"),
    (2030, 5, 27, "Spring bank holiday"),
    (2030, 8, 26, "Summer bank holiday"),
    (2030, 12, 25, "Christmas Day"),
    (2030, 12, 26, "Boxing Day"),
];

fn table_date(&(y, m, d, _): &(i32, u32, u32, &str)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("bank holiday table holds only valid dates")
}

/// The name of the England and Wales bank holiday on `d` (e.g. "Boxing Day
/// (substitute day)"), or `None` if `d` is not one in the built-in table.
pub fn bank_holiday_name(d: NaiveDate) -> Option<&'static str> {
    ENGLAND_AND_WALES_BANK_HOLIDAYS
        .iter()
        .find(|e| table_date(e) == d)
        .map(|e| e.3)
}

/// Easter Sunday (Western, Gregorian calendar) in `year`, computed with the
/// anonymous Gregorian algorithm (Meeus/Jones/Butcher). `None` outside
/// 1583..=9999, where the Gregorian computus does not apply or chrono dates
/// are out of range.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    if !(1583..=9999).contains(&year) {
        return None;
    }
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    let month = u32::try_from(n / 31).ok()?;
    let day = u32::try_from(n % 31 + 1).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A working-day calendar: Monday to Friday, excluding a set of non-working
/// days (bank holidays and any local-authority closure days).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkingCalendar {
    holidays: BTreeSet<NaiveDate>,
}

impl Default for WorkingCalendar {
    /// The England and Wales calendar; see [`WorkingCalendar::england_and_wales`].
    fn default() -> Self {
        Self::england_and_wales()
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Number of Mondays-to-Fridays in days `1..=n`, where day 1 is
/// 0001-01-01 (a Monday in the proleptic Gregorian calendar) and `n` is
/// [`Datelike::num_days_from_ce`]. Differences give weekday counts over any
/// half-open range.
fn weekdays_up_to(d: NaiveDate) -> i64 {
    let n = i64::from(d.num_days_from_ce());
    5 * n.div_euclid(7) + n.rem_euclid(7).min(5)
}

impl WorkingCalendar {
    /// England and Wales bank holidays for [`FIRST_COVERED_YEAR`] to
    /// [`LAST_COVERED_YEAR`] (source: <https://www.gov.uk/bank-holidays>,
    /// Banking and Financial Dealings Act 1971). Outside those years only
    /// weekends are non-working; check [`WorkingCalendar::covers`].
    pub fn england_and_wales() -> Self {
        Self {
            holidays: ENGLAND_AND_WALES_BANK_HOLIDAYS
                .iter()
                .map(table_date)
                .collect(),
        }
    }

    /// This calendar with extra non-working days added, such as a local
    /// authority's closure days (e.g. days between Christmas and New Year).
    #[must_use]
    pub fn with_extra_closures(mut self, days: impl IntoIterator<Item = NaiveDate>) -> Self {
        self.holidays.extend(days);
        self
    }

    /// Whether `d` is a bank holiday or closure day in this calendar
    /// (regardless of the day of the week).
    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        self.holidays.contains(&d)
    }

    /// Whether `d` is a working day: Monday to Friday and not a bank holiday
    /// or closure day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !is_weekend(d) && !self.is_holiday(d)
    }

    /// The first working day strictly after `d`.
    pub fn next_working_day(&self, d: NaiveDate) -> NaiveDate {
        let mut day = d;
        loop {
            day = day
                .succ_opt()
                .expect("date within chrono's supported range");
            if self.is_working_day(day) {
                return day;
            }
        }
    }

    /// The date `n` working days after `start`. `start` itself is day 0 and
    /// is never counted, so `n == 0` returns `start` unchanged and `n == 1`
    /// is [`WorkingCalendar::next_working_day`]. For example, a decision due
    /// "within 15 working days" of a referral received on `start` is due by
    /// `add_working_days(start, 15)`.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        (0..n).fold(start, |d, _| self.next_working_day(d))
    }

    /// The number of working days in the half-open range `(from, to]`: `from`
    /// is not counted, `to` is. Zero when `from == to`; if `to` is before
    /// `from`, the count for `(to, from]` negated. Consistent with
    /// [`WorkingCalendar::add_working_days`]: for any `n`,
    /// `working_days_between(s, add_working_days(s, n)) == n`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        let weekdays = weekdays_up_to(to) - weekdays_up_to(from);
        let closed = self
            .holidays
            .range((Bound::Excluded(from), Bound::Included(to)))
            .filter(|d| !is_weekend(**d))
            .count();
        weekdays - i64::try_from(closed).expect("holiday count fits in i64")
    }

    /// Whether `d` falls in a year covered by the built-in bank-holiday table
    /// ([`FIRST_COVERED_YEAR`]..=[`LAST_COVERED_YEAR`]). Outside it, working-
    /// day answers ignore bank holidays and should not be relied on.
    pub fn covers(&self, d: NaiveDate) -> bool {
        (FIRST_COVERED_YEAR..=LAST_COVERED_YEAR).contains(&d.year())
    }
}

/// The last Sunday of `month` in `year` (only called for March and October).
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .expect("valid month start");
    let last = first_of_next.pred_opt().expect("valid month end");
    let back = i64::from(last.weekday().num_days_from_sunday());
    last - Duration::days(back)
}

/// Start (inclusive) and end (exclusive) of British Summer Time in `year`,
/// as UTC instants: 01:00 UTC on the last Sunday of March and of October.
fn bst_bounds_utc(year: i32) -> (NaiveDateTime, NaiveDateTime) {
    let at_one = |d: NaiveDate| d.and_hms_opt(1, 0, 0).expect("01:00 is a valid time");
    (at_one(last_sunday(year, 3)), at_one(last_sunday(year, 10)))
}

fn gmt() -> FixedOffset {
    FixedOffset::east_opt(0).expect("zero offset is valid")
}

fn bst() -> FixedOffset {
    FixedOffset::east_opt(3600).expect("one-hour offset is valid")
}

/// The UK civil-time offset from UTC at `instant`: UTC+1 (British Summer
/// Time) from 01:00 UTC on the last Sunday of March until 01:00 UTC on the
/// last Sunday of October, otherwise UTC+0 (Greenwich Mean Time). Source:
/// Summer Time Act 1972 and Summer Time Order 2002.
pub fn london_offset(instant: DateTime<Utc>) -> FixedOffset {
    let utc = instant.naive_utc();
    let (start, end) = bst_bounds_utc(utc.year());
    if utc >= start && utc < end {
        bst()
    } else {
        gmt()
    }
}

/// `instant` as UK local wall-clock time (Europe/London).
pub fn to_london(instant: DateTime<Utc>) -> NaiveDateTime {
    let offset = london_offset(instant);
    instant.naive_utc() + Duration::seconds(i64::from(offset.local_minus_utc()))
}

/// The UK local calendar date of `instant` (e.g. 23:30 UTC on 30 June is
/// already 1 July in London).
pub fn london_date(instant: DateTime<Utc>) -> NaiveDate {
    to_london(instant).date()
}

/// The UTC instant of UK local wall-clock time `local`.
///
/// * In the autumn, 01:00–01:59 local happens twice; the earlier instant (still
///   BST, UTC+1) is returned.
/// * In the spring, 01:00–01:59 local does not exist (clocks jump from 01:00
///   to 02:00); such a time is moved forward by an hour, i.e. read as the
///   BST time an hour later (01:30 becomes 02:30 BST = 01:30 UTC).
pub fn from_london(local: NaiveDateTime) -> DateTime<Utc> {
    let as_bst = local - Duration::hours(1);
    let bst_valid = london_offset(as_bst.and_utc()) == bst();
    if bst_valid {
        // Either unambiguous summer time, or the earlier of two autumn readings.
        return as_bst.and_utc();
    }
    let as_gmt = local;
    if london_offset(as_gmt.and_utc()) == gmt() {
        return as_gmt.and_utc();
    }
    // Spring-forward gap: move forward an hour and read as BST, i.e.
    // (local + 1h) - 1h, which is `local` itself as UTC.
    local.and_utc()
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date in GOV.UK style: day without a leading zero, full month name,
/// four-digit year, e.g. "26 November 2026".
pub fn format_date(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// A time of day in GOV.UK style: 12-hour clock, lowercase am/pm, no minutes
/// on the hour ("2am", "2:05pm"), and "midnight" / "midday" rather than
/// "12am" / "12pm". Seconds are dropped.
fn format_time(t: NaiveDateTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    match (h, m) {
        (0, 0) => "midnight".to_owned(),
        (12, 0) => "midday".to_owned(),
        _ => {
            let h12 = if h % 12 == 0 { 12 } else { h % 12 };
            let suffix = if h < 12 { "am" } else { "pm" };
            if m == 0 {
                format!("{h12}{suffix}")
            } else {
                format!("{h12}:{m:02}{suffix}")
            }
        }
    }
}

/// `instant` in UK local time, GOV.UK style, e.g. "26 November 2026 at
/// 2:05am", "1 July 2026 at midday", "3 March 2026 at 5pm". Midnight is
/// written as the start of the day shown ("4 May 2026 at midnight" is 00:00
/// on 4 May).
pub fn format_london(instant: DateTime<Utc>) -> String {
    let local = to_london(instant);
    format!("{} at {}", format_date(local.date()), format_time(local))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn utc(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
        d(y, m, day).and_hms_opt(h, min, 0).unwrap().and_utc()
    }

    fn local(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, 0).unwrap()
    }

    fn holidays_in(year: i32) -> Vec<NaiveDate> {
        ENGLAND_AND_WALES_BANK_HOLIDAYS
            .iter()
            .filter(|e| e.0 == year)
            .map(table_date)
            .collect()
    }

    #[test]
    fn calendar_known_holidays_per_year() {
        let cases: &[(i32, &[(u32, u32)])] = &[
            (
                2015,
                &[
                    (1, 1),
                    (4, 3),
                    (4, 6),
                    (5, 4),
                    (5, 25),
                    (8, 31),
                    (12, 25),
                    (12, 28),
                ],
            ),
            (
                2016,
                &[
                    (1, 1),
                    (3, 25),
                    (3, 28),
                    (5, 2),
                    (5, 30),
                    (8, 29),
                    (12, 26),
                    (12, 27),
                ],
            ),
            (
                2020,
                &[
                    (1, 1),
                    (4, 10),
                    (4, 13),
                    (5, 8),
                    (5, 25),
                    (8, 31),
                    (12, 25),
                    (12, 28),
                ],
            ),
            (
                2021,
                &[
                    (1, 1),
                    (4, 2),
                    (4, 5),
                    (5, 3),
                    (5, 31),
                    (8, 30),
                    (12, 27),
                    (12, 28),
                ],
            ),
            (
                2022,
                &[
                    (1, 3),
                    (4, 15),
                    (4, 18),
                    (5, 2),
                    (6, 2),
                    (6, 3),
                    (8, 29),
                    (9, 19),
                    (12, 26),
                    (12, 27),
                ],
            ),
            (
                2023,
                &[
                    (1, 2),
                    (4, 7),
                    (4, 10),
                    (5, 1),
                    (5, 8),
                    (5, 29),
                    (8, 28),
                    (12, 25),
                    (12, 26),
                ],
            ),
            (
                2024,
                &[
                    (1, 1),
                    (3, 29),
                    (4, 1),
                    (5, 6),
                    (5, 27),
                    (8, 26),
                    (12, 25),
                    (12, 26),
                ],
            ),
            (
                2025,
                &[
                    (1, 1),
                    (4, 18),
                    (4, 21),
                    (5, 5),
                    (5, 26),
                    (8, 25),
                    (12, 25),
                    (12, 26),
                ],
            ),
            (
                2026,
                &[
                    (1, 1),
                    (4, 3),
                    (4, 6),
                    (5, 4),
                    (5, 25),
                    (8, 31),
                    (12, 25),
                    (12, 28),
                ],
            ),
            (
                2027,
                &[
                    (1, 1),
                    (3, 26),
                    (3, 29),
                    (5, 3),
                    (5, 31),
                    (8, 30),
                    (12, 27),
                    (12, 28),
                ],
            ),
        ];
        let cal = WorkingCalendar::england_and_wales();
        for (year, days) in cases {
            let expected: Vec<NaiveDate> = days.iter().map(|&(m, day)| d(*year, m, day)).collect();
            assert_eq!(holidays_in(*year), expected, "{year}");
            for day in expected {
                assert!(cal.is_holiday(day) && !cal.is_working_day(day), "{day}");
            }
        }
        assert_eq!(
            bank_holiday_name(d(2026, 12, 28)),
            Some("Boxing Day (substitute day)")
        );
        assert_eq!(bank_holiday_name(d(2026, 12, 29)), None);
    }

    #[test]
    fn calendar_table_is_sorted_unique_weekdays_and_complete() {
        let dates: Vec<NaiveDate> = ENGLAND_AND_WALES_BANK_HOLIDAYS
            .iter()
            .map(table_date)
            .collect();
        assert!(
            dates.windows(2).all(|w| w[0] < w[1]),
            "table must be sorted and unique"
        );
        for day in &dates {
            assert!(!is_weekend(*day), "{day} is a weekend");
        }
        for year in FIRST_COVERED_YEAR..=LAST_COVERED_YEAR {
            let n = holidays_in(year).len();
            let expected = match year {
                2022 => 10,
                2023 => 9,
                _ => 8,
            };
            assert_eq!(n, expected, "{year}");
        }
    }

    #[test]
    fn calendar_easter_sunday_known_dates() {
        let cases = [
            (1818, 3, 22),
            (1943, 4, 25),
            (2000, 4, 23),
            (2008, 3, 23),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2038, 4, 25),
        ];
        for (y, m, day) in cases {
            assert_eq!(easter_sunday(y), Some(d(y, m, day)), "{y}");
        }
        assert_eq!(easter_sunday(1582), None);
        assert_eq!(easter_sunday(10_000), None);
        for y in 1583..=9999 {
            let e = easter_sunday(y).unwrap();
            assert_eq!(e.weekday(), Weekday::Sun, "{y}");
            assert!(e >= d(y, 3, 22) && e <= d(y, 4, 25), "{y}");
        }
    }

    /// Every table entry is either Easter-dependent and matches the computus,
    /// or follows the standing rules of the 1971 Act with weekend
    /// substitution, except the documented one-off changes.
    #[test]
    fn calendar_table_matches_rules_and_easter() {
        fn first_monday(y: i32, m: u32) -> NaiveDate {
            NaiveDate::from_weekday_of_month_opt(y, m, Weekday::Mon, 1).unwrap()
        }
        fn last_monday(y: i32, m: u32) -> NaiveDate {
            let mut day = NaiveDate::from_ymd_opt(y, m + 1, 1)
                .unwrap()
                .pred_opt()
                .unwrap();
            while day.weekday() != Weekday::Mon {
                day = day.pred_opt().unwrap();
            }
            day
        }
        for year in FIRST_COVERED_YEAR..=LAST_COVERED_YEAR {
            let easter = easter_sunday(year).unwrap();
            let mut expected = BTreeSet::new();
            // New Year's Day, moved to Monday if it falls at the weekend.
            let mut ny = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
            while is_weekend(ny) {
                ny = ny.succ_opt().unwrap();
            }
            expected.insert(ny);
            expected.insert(easter - Duration::days(2));
            expected.insert(easter + Duration::days(1));
            expected.insert(first_monday(year, 5));
            expected.insert(last_monday(year, 5));
            expected.insert(last_monday(year, 8));
            // Christmas Day and Boxing Day, each moved to the next free weekday.
            for day in [25, 26] {
                let mut x = NaiveDate::from_ymd_opt(year, 12, day).unwrap();
                while is_weekend(x) || expected.contains(&x) {
                    x = x.succ_opt().unwrap();
                }
                expected.insert(x);
            }
            // Documented one-off changes by Royal Proclamation.
            match year {
                2020 => {
                    expected.remove(&d(2020, 5, 4));
                    expected.insert(d(2020, 5, 8));
                }
                2022 => {
                    expected.remove(&d(2022, 5, 30));
                    expected.extend([d(2022, 6, 2), d(2022, 6, 3), d(2022, 9, 19)]);
                }
                2023 => {
                    expected.insert(d(2023, 5, 8));
                }
                _ => {}
            }
            let actual: BTreeSet<NaiveDate> = holidays_in(year).into_iter().collect();
            assert_eq!(actual, expected, "{year}");
            // Easter entries are named as such.
            assert_eq!(
                bank_holiday_name(easter - Duration::days(2)),
                Some("Good Friday"),
                "{year}"
            );
            assert_eq!(
                bank_holiday_name(easter + Duration::days(1)),
                Some("Easter Monday"),
                "{year}"
            );
        }
    }

    #[test]
    fn calendar_next_working_day() {
        let cal = WorkingCalendar::england_and_wales();
        let cases = [
            // Christmas 2025: Wed 24 -> Mon 29 (25, 26 holidays, then weekend).
            (d(2025, 12, 24), d(2025, 12, 29)),
            // Christmas 2026: Thu 24 -> Tue 29 (Fri 25, Mon 28 substitute).
            (d(2026, 12, 24), d(2026, 12, 29)),
            // New Year 2027 (Fri): Thu 31 Dec 2026 -> Mon 4 Jan 2027.
            (d(2026, 12, 31), d(2027, 1, 4)),
            // Easter 2026: Thu 2 Apr -> Tue 7 Apr.
            (d(2026, 4, 2), d(2026, 4, 7)),
            // Easter 2025: Thu 17 Apr -> Tue 22 Apr.
            (d(2025, 4, 17), d(2025, 4, 22)),
            // Ordinary weekend: Fri 13 Mar 2026 -> Mon 16 Mar; Sat -> Mon.
            (d(2026, 3, 13), d(2026, 3, 16)),
            (d(2026, 3, 14), d(2026, 3, 16)),
            // Ordinary weekday.
            (d(2026, 3, 10), d(2026, 3, 11)),
            // Platinum Jubilee: Wed 1 Jun 2022 -> Mon 6 Jun.
            (d(2022, 6, 1), d(2022, 6, 6)),
        ];
        for (from, expected) in cases {
            assert_eq!(cal.next_working_day(from), expected, "after {from}");
        }
    }

    #[test]
    fn calendar_extra_closures() {
        let cal = WorkingCalendar::england_and_wales().with_extra_closures([
            d(2025, 12, 29),
            d(2025, 12, 30),
            d(2025, 12, 31),
        ]);
        assert!(!cal.is_working_day(d(2025, 12, 30)));
        assert_eq!(cal.next_working_day(d(2025, 12, 24)), d(2026, 1, 2));
        assert_eq!(cal.working_days_between(d(2025, 12, 24), d(2026, 1, 2)), 1);
        assert!(WorkingCalendar::england_and_wales().is_working_day(d(2025, 12, 30)));
        assert_eq!(
            WorkingCalendar::default(),
            WorkingCalendar::england_and_wales()
        );
    }

    #[test]
    fn calendar_add_working_days() {
        let cal = WorkingCalendar::england_and_wales();
        let cases = [
            // n = 0 returns the start, even on a holiday.
            (d(2025, 12, 25), 0, d(2025, 12, 25)),
            (d(2026, 3, 10), 1, d(2026, 3, 11)),
            // 15 working days from Mon 2 Mar 2026 (no holidays): Mon 23 Mar.
            (d(2026, 3, 2), 15, d(2026, 3, 23)),
            // 15 working days from Wed 1 Apr 2026, across Easter: Fri 24 Apr.
            (d(2026, 4, 1), 15, d(2026, 4, 24)),
            // 15 working days from Mon 15 Dec 2025, across Christmas/New Year:
            // 16,17,18,19,22,23,24,29,30,31 Dec, 2,5,6,7,8 Jan.
            (d(2025, 12, 15), 15, d(2026, 1, 8)),
            // From a Saturday: the first working day is Monday.
            (d(2026, 3, 14), 1, d(2026, 3, 16)),
            // 45 working days (e.g. a statutory assessment timescale).
            (d(2026, 1, 5), 45, d(2026, 3, 9)),
        ];
        for (start, n, expected) in cases {
            assert_eq!(cal.add_working_days(start, n), expected, "{start} + {n}");
            assert_eq!(
                cal.working_days_between(start, expected),
                i64::from(n),
                "{start}..{expected}"
            );
        }
    }

    #[test]
    fn calendar_working_days_between() {
        let cal = WorkingCalendar::england_and_wales();
        assert_eq!(cal.working_days_between(d(2026, 3, 10), d(2026, 3, 10)), 0);
        // (Fri, Mon] = 1.
        assert_eq!(cal.working_days_between(d(2026, 3, 13), d(2026, 3, 16)), 1);
        assert_eq!(cal.working_days_between(d(2026, 3, 16), d(2026, 3, 13)), -1);
        // (Sat, Sun] = 0.
        assert_eq!(cal.working_days_between(d(2026, 3, 14), d(2026, 3, 15)), 0);
        // 2026: 261 weekdays, 8 bank holidays, all on weekdays.
        assert_eq!(
            cal.working_days_between(d(2025, 12, 31), d(2026, 12, 31)),
            253
        );
        // Cross-check the arithmetic against a day-by-day count, including
        // ranges outside the table and around year 1 CE boundaries of
        // num_days_from_ce.
        let starts = [
            d(2014, 12, 20),
            d(2022, 5, 28),
            d(2026, 12, 20),
            d(1, 1, 1),
            d(0, 12, 25),
        ];
        for start in starts {
            let mut count = 0;
            let mut day = start;
            for _ in 0..800 {
                day = day.succ_opt().unwrap();
                if cal.is_working_day(day) {
                    count += 1;
                }
                assert_eq!(
                    cal.working_days_between(start, day),
                    count,
                    "({start}, {day}]"
                );
                assert_eq!(
                    cal.working_days_between(day, start),
                    -count,
                    "({day}, {start}]"
                );
            }
        }
    }

    #[test]
    fn calendar_covers() {
        let cal = WorkingCalendar::england_and_wales();
        assert!(cal.covers(d(2015, 1, 1)));
        assert!(cal.covers(d(2030, 12, 31)));
        assert!(!cal.covers(d(2014, 12, 31)));
        assert!(!cal.covers(d(2031, 1, 1)));
    }

    #[test]
    fn calendar_next_working_day_property_2016_to_2029() {
        let cal = WorkingCalendar::england_and_wales();
        let mut day = d(2016, 1, 1);
        while day <= d(2029, 12, 31) {
            let next = cal.next_working_day(day);
            assert!(next > day, "{day}");
            assert!(cal.is_working_day(next), "{day} -> {next}");
            assert!(!is_weekend(next), "{day} -> {next}");
            assert!(bank_holiday_name(next).is_none(), "{day} -> {next}");
            // Nothing skipped: every day strictly between is non-working.
            let mut between = day.succ_opt().unwrap();
            while between < next {
                assert!(
                    !cal.is_working_day(between),
                    "{day} -> {next} skips {between}"
                );
                between = between.succ_opt().unwrap();
            }
            assert_eq!(cal.working_days_between(day, next), 1, "{day} -> {next}");
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn calendar_london_offset_transitions_2026() {
        let cases = [
            // Spring: 29 March 2026, 01:00 UTC.
            (utc(2026, 3, 29, 0, 59), 0),
            (utc(2026, 3, 29, 1, 0), 3600),
            // Autumn: 25 October 2026, 01:00 UTC.
            (utc(2026, 10, 25, 0, 59), 3600),
            (utc(2026, 10, 25, 1, 0), 0),
            // Mid-winter and mid-summer.
            (utc(2026, 1, 15, 12, 0), 0),
            (utc(2026, 7, 15, 12, 0), 3600),
            // 2025: 30 March and 26 October.
            (utc(2025, 3, 30, 1, 0), 3600),
            (utc(2025, 10, 26, 0, 59), 3600),
            (utc(2025, 10, 26, 1, 0), 0),
        ];
        for (instant, secs) in cases {
            assert_eq!(london_offset(instant).local_minus_utc(), secs, "{instant}");
        }
    }

    #[test]
    fn calendar_to_and_from_london() {
        assert_eq!(
            to_london(utc(2026, 3, 29, 0, 59)),
            local(2026, 3, 29, 0, 59)
        );
        assert_eq!(to_london(utc(2026, 3, 29, 1, 0)), local(2026, 3, 29, 2, 0));
        assert_eq!(
            to_london(utc(2026, 10, 25, 0, 30)),
            local(2026, 10, 25, 1, 30)
        );
        assert_eq!(
            to_london(utc(2026, 10, 25, 1, 30)),
            local(2026, 10, 25, 1, 30)
        );
        assert_eq!(london_date(utc(2026, 6, 30, 23, 30)), d(2026, 7, 1));
        assert_eq!(london_date(utc(2026, 12, 31, 23, 30)), d(2026, 12, 31));

        let cases = [
            // Unambiguous winter and summer times.
            (local(2026, 1, 15, 9, 0), utc(2026, 1, 15, 9, 0)),
            (local(2026, 7, 15, 9, 0), utc(2026, 7, 15, 8, 0)),
            // Just before / after spring forward.
            (local(2026, 3, 29, 0, 59), utc(2026, 3, 29, 0, 59)),
            (local(2026, 3, 29, 2, 0), utc(2026, 3, 29, 1, 0)),
            // Gap: 01:30 does not exist; treated as 02:30 BST.
            (local(2026, 3, 29, 1, 30), utc(2026, 3, 29, 1, 30)),
            (local(2026, 3, 29, 1, 0), utc(2026, 3, 29, 1, 0)),
            // Ambiguous autumn hour: earlier (BST) instant.
            (local(2026, 10, 25, 1, 0), utc(2026, 10, 25, 0, 0)),
            (local(2026, 10, 25, 1, 30), utc(2026, 10, 25, 0, 30)),
            // After the repeated hour.
            (local(2026, 10, 25, 2, 0), utc(2026, 10, 25, 2, 0)),
            (local(2026, 10, 25, 0, 59), utc(2026, 10, 24, 23, 59)),
        ];
        for (wall, expected) in cases {
            assert_eq!(from_london(wall), expected, "{wall}");
        }
    }

    #[test]
    fn calendar_london_round_trip_every_quarter_hour_2026() {
        let mut instant = utc(2026, 1, 1, 0, 0);
        while instant < utc(2027, 1, 1, 0, 0) {
            let wall = to_london(instant);
            let back = from_london(wall);
            // Only the second pass through the repeated autumn hour maps back
            // to the earlier instant.
            if back != instant {
                assert_eq!(back, instant - Duration::hours(1), "{instant}");
                assert_eq!(london_offset(instant).local_minus_utc(), 0, "{instant}");
                assert_eq!(london_offset(back).local_minus_utc(), 3600, "{instant}");
            }
            instant += Duration::minutes(15);
        }
    }

    #[test]
    fn calendar_formatting() {
        assert_eq!(format_date(d(2026, 11, 26)), "26 November 2026");
        assert_eq!(format_date(d(2026, 1, 5)), "5 January 2026");
        let cases = [
            (utc(2026, 11, 26, 2, 5), "26 November 2026 at 2:05am"),
            (utc(2026, 11, 26, 14, 30), "26 November 2026 at 2:30pm"),
            (utc(2026, 11, 26, 17, 0), "26 November 2026 at 5pm"),
            (utc(2026, 11, 26, 0, 0), "26 November 2026 at midnight"),
            (utc(2026, 11, 26, 12, 0), "26 November 2026 at midday"),
            (utc(2026, 11, 26, 0, 15), "26 November 2026 at 12:15am"),
            (utc(2026, 11, 26, 12, 45), "26 November 2026 at 12:45pm"),
            (utc(2026, 11, 26, 9, 0), "26 November 2026 at 9am"),
            // Summer time: 11:00 UTC is midday BST.
            (utc(2026, 7, 1, 11, 0), "1 July 2026 at midday"),
            // 23:30 UTC on 30 June is 00:30 BST on 1 July.
            (utc(2026, 6, 30, 23, 30), "1 July 2026 at 12:30am"),
            // Seconds are dropped.
            (
                d(2026, 3, 3).and_hms_opt(17, 0, 59).unwrap().and_utc(),
                "3 March 2026 at 5pm",
            ),
        ];
        for (instant, expected) in cases {
            assert_eq!(format_london(instant), expected, "{instant}");
        }
    }
}
