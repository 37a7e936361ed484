//! CIM datetimes (`psrp-cim-output.md` §4): DSP0004 timestamps and
//! intervals resolved to what .NET makes of them (the sentinels, a UTC
//! instant, a `TimeSpan`), and their text — `XmlConvert` for `<DT>`/`<TS>`,
//! the invariant `ToString()` for ToString key values. Nothing allocates.

use super::CimDatetime;
use super::format::{TextSink, write_i64};

const TICKS_PER_SECOND: i64 = 10_000_000;
const TICKS_PER_MINUTE: i64 = 60 * TICKS_PER_SECOND;
const TICKS_PER_HOUR: i64 = 60 * TICKS_PER_MINUTE;
const TICKS_PER_DAY: i64 = 24 * TICKS_PER_HOUR;

/// `DateTime.MaxValue.Ticks`: 9999-12-31T23:59:59.9999999.
pub const MAX_TICKS: i64 = 3_155_378_975_999_999_999;

/// A timestamp as .NET ends up holding it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timestamp {
    /// A UTC instant in ticks (100 ns since 0001-01-01), written with `+00:00` (R6).
    Utc(i64),
    /// `DateTime.MinValue` (DSP0004's infinite past), written without offset.
    MinValue,
    /// `DateTime.MaxValue` (DSP0004's infinite future), written without offset.
    MaxValue,
}

impl Timestamp {
    /// The ticks.
    pub fn ticks(self) -> i64 {
        match self {
            Timestamp::Utc(t) => t,
            Timestamp::MinValue => 0,
            Timestamp::MaxValue => MAX_TICKS,
        }
    }
}

/// A `CimDatetime` resolved to what is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatetimeValue {
    /// `<DT>`.
    Timestamp(Timestamp),
    /// `<TS>`: ticks, at most `TimeSpan.MaxValue`.
    Interval(i64),
}

fn is_leap(year: u32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days before each month, in a common year and in a leap year.
const DAYS_BEFORE_MONTH: [[u32; 13]; 2] = [
    [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365],
    [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366],
];

/// Resolves `dt` (DSP0004 fields, as MI holds them) to what .NET makes of it:
/// the three sentinels (`now` from `now_ticks`, clamped to .NET's range), a
/// UTC instant (`fields − utc` minutes), or an interval. `None` for a
/// timestamp that names no instant: a field out of range (month 0 or 13, a
/// day the month does not have, hour 24, µs 1000000, year 0 outside the
/// sentinels) or an instant outside 0001–9999 once `utc` is applied.
pub fn resolve_datetime(dt: &CimDatetime, now_ticks: i64) -> Option<DatetimeValue> {
    let (year, month, day, hour, minute, second, microseconds, utc) = match *dt {
        CimDatetime::Interval {
            days,
            hours,
            minutes,
            seconds,
            microseconds,
        } => {
            return Some(DatetimeValue::Interval(interval_ticks(
                days,
                hours,
                minutes,
                seconds,
                microseconds,
            )));
        }
        CimDatetime::Timestamp {
            year,
            month,
            day,
            hour,
            minute,
            second,
            microseconds,
            utc,
        } => (year, month, day, hour, minute, second, microseconds, utc),
    };
    let fields = (year, month, day, hour, minute, second);
    let ts = match (fields, microseconds, utc) {
        ((0, 1, 1, 0, 0, 0), 0, 720) => Timestamp::Utc(now_ticks.clamp(0, MAX_TICKS)),
        ((0, 1, 1, 0, 0, 0), 999_999, 720) => Timestamp::MinValue,
        ((9999, 12, 31, 11, 59, 59), 999_999, -720) => Timestamp::MaxValue,
        _ => {
            if !(1..=9999).contains(&year)
                || !(1..=12).contains(&month)
                || hour > 23
                || minute > 59
                || second > 59
                || microseconds > 999_999
            {
                return None;
            }
            let table = &DAYS_BEFORE_MONTH[usize::from(is_leap(year))];
            let m = month as usize;
            if day == 0 || day > table[m] - table[m - 1] {
                return None;
            }
            let y = i64::from(year - 1);
            let days =
                y * 365 + y / 4 - y / 100 + y / 400 + i64::from(table[m - 1]) + i64::from(day - 1);
            let local = days * TICKS_PER_DAY
                + i64::from(hour) * TICKS_PER_HOUR
                + i64::from(minute) * TICKS_PER_MINUTE
                + i64::from(second) * TICKS_PER_SECOND
                + i64::from(microseconds) * 10;
            let instant = local - i64::from(utc) * TICKS_PER_MINUTE;
            if !(0..=MAX_TICKS).contains(&instant) {
                return None;
            }
            Timestamp::Utc(instant)
        }
    };
    Some(DatetimeValue::Timestamp(ts))
}

/// The ticks of an interval: its components carry into each other; a total
/// past `TimeSpan.MaxValue` is `TimeSpan.MaxValue`.
pub fn interval_ticks(days: u32, hours: u32, minutes: u32, seconds: u32, microseconds: u32) -> i64 {
    let total = (((u128::from(days) * 24 + u128::from(hours)) * 60 + u128::from(minutes)) * 60
        + u128::from(seconds))
        * TICKS_PER_SECOND as u128
        + u128::from(microseconds) * 10;
    total.min(i64::MAX as u128) as i64
}

/// The calendar date of `days` since 0001-01-01: (year, month, day).
fn civil_from_days(days: i64) -> (u32, u32, u32) {
    let mut n = days;
    let y400 = n / 146_097;
    n %= 146_097;
    let y100 = (n / 36_524).min(3);
    n -= y100 * 36_524;
    let y4 = n / 1_461;
    n %= 1_461;
    let y1 = (n / 365).min(3);
    n -= y1 * 365;
    let year = (400 * y400 + 100 * y100 + 4 * y4 + y1 + 1) as u32;
    let table = &DAYS_BEFORE_MONTH[usize::from(is_leap(year))];
    let n = n as u32;
    let month = table.iter().rposition(|&d| d <= n).unwrap_or(0);
    (year, month as u32 + 1, n - table[month] + 1)
}

/// Two digits.
fn push2<S: TextSink + ?Sized>(out: &mut S, v: i64) {
    out.push_ascii(&[b'0' + (v / 10 % 10) as u8, b'0' + (v % 10) as u8]);
}

/// The 7 fraction digits of `ticks`, trailing zeros dropped when `trim`.
fn push_fraction<S: TextSink + ?Sized>(out: &mut S, fraction: i64, trim: bool) {
    let mut digits = [0u8; 7];
    let mut f = fraction;
    for d in digits.iter_mut().rev() {
        *d = b'0' + (f % 10) as u8;
        f /= 10;
    }
    let len = if trim {
        7 - digits.iter().rev().take_while(|&&d| d == b'0').count()
    } else {
        7
    };
    out.push_ascii(&digits[..len]);
}

/// Appends a timestamp as `<DT>` holds it: `yyyy-MM-ddTHH:mm:ss[.fffffff]`
/// (fraction without trailing zeros), `+00:00` for a UTC instant.
pub fn write_timestamp_xml<S: TextSink + ?Sized>(out: &mut S, ts: Timestamp) {
    let ticks = ts.ticks();
    let (year, month, day) = civil_from_days(ticks / TICKS_PER_DAY);
    let time = ticks % TICKS_PER_DAY;
    push2(out, i64::from(year / 100));
    push2(out, i64::from(year % 100));
    out.push_ascii(b"-");
    push2(out, i64::from(month));
    out.push_ascii(b"-");
    push2(out, i64::from(day));
    out.push_ascii(b"T");
    push2(out, time / TICKS_PER_HOUR);
    out.push_ascii(b":");
    push2(out, time / TICKS_PER_MINUTE % 60);
    out.push_ascii(b":");
    push2(out, time / TICKS_PER_SECOND % 60);
    let fraction = time % TICKS_PER_SECOND;
    if fraction != 0 {
        out.push_ascii(b".");
        push_fraction(out, fraction, true);
    }
    if let Timestamp::Utc(_) = ts {
        out.push_ascii(b"+00:00");
    }
}

/// Appends a timestamp as its invariant `ToString()`: `MM/dd/yyyy HH:mm:ss`.
pub fn write_timestamp_invariant<S: TextSink + ?Sized>(out: &mut S, ts: Timestamp) {
    let ticks = ts.ticks();
    let (year, month, day) = civil_from_days(ticks / TICKS_PER_DAY);
    let time = ticks % TICKS_PER_DAY;
    push2(out, i64::from(month));
    out.push_ascii(b"/");
    push2(out, i64::from(day));
    out.push_ascii(b"/");
    push2(out, i64::from(year / 100));
    push2(out, i64::from(year % 100));
    out.push_ascii(b" ");
    push2(out, time / TICKS_PER_HOUR);
    out.push_ascii(b":");
    push2(out, time / TICKS_PER_MINUTE % 60);
    out.push_ascii(b":");
    push2(out, time / TICKS_PER_SECOND % 60);
}

/// Appends an interval as `<TS>` holds it (`XmlConvert.ToString(TimeSpan)`,
/// xsd:duration): `P{d}D` if days, then `T` and `{h}H` `{m}M` `{s}[.f]S`
/// for the non-zero ones; `PT0S` for zero.
pub fn write_duration_xml<S: TextSink + ?Sized>(out: &mut S, ticks: i64) {
    if ticks == 0 {
        out.push_ascii(b"PT0S");
        return;
    }
    out.push_ascii(b"P");
    let days = ticks / TICKS_PER_DAY;
    if days != 0 {
        write_i64(out, days);
        out.push_ascii(b"D");
    }
    let time = ticks % TICKS_PER_DAY;
    if time == 0 {
        return;
    }
    out.push_ascii(b"T");
    let (h, m, s) = (
        time / TICKS_PER_HOUR,
        time / TICKS_PER_MINUTE % 60,
        time / TICKS_PER_SECOND % 60,
    );
    if h != 0 {
        write_i64(out, h);
        out.push_ascii(b"H");
    }
    if m != 0 {
        write_i64(out, m);
        out.push_ascii(b"M");
    }
    let fraction = time % TICKS_PER_SECOND;
    if s != 0 || fraction != 0 {
        write_i64(out, s);
        if fraction != 0 {
            out.push_ascii(b".");
            push_fraction(out, fraction, true);
        }
        out.push_ascii(b"S");
    }
}

/// Appends an interval as the invariant `TimeSpan.ToString()`:
/// `[d.]hh:mm:ss[.fffffff]`.
pub fn write_timespan_invariant<S: TextSink + ?Sized>(out: &mut S, ticks: i64) {
    let days = ticks / TICKS_PER_DAY;
    if days != 0 {
        write_i64(out, days);
        out.push_ascii(b".");
    }
    let time = ticks % TICKS_PER_DAY;
    push2(out, time / TICKS_PER_HOUR);
    out.push_ascii(b":");
    push2(out, time / TICKS_PER_MINUTE % 60);
    out.push_ascii(b":");
    push2(out, time / TICKS_PER_SECOND % 60);
    let fraction = time % TICKS_PER_SECOND;
    if fraction != 0 {
        out.push_ascii(b".");
        push_fraction(out, fraction, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::too_many_arguments)]
    fn ts(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32, us: u32, utc: i32) -> CimDatetime {
        CimDatetime::Timestamp {
            year: y,
            month: mo,
            day: d,
            hour: h,
            minute: mi,
            second: s,
            microseconds: us,
            utc,
        }
    }

    fn dt_xml(dt: CimDatetime, now: i64) -> Option<String> {
        let mut out: Vec<u8> = Vec::new();
        match resolve_datetime(&dt, now)? {
            DatetimeValue::Timestamp(t) => write_timestamp_xml(&mut out, t),
            DatetimeValue::Interval(t) => write_duration_xml(&mut out, t),
        }
        Some(String::from_utf8(out).unwrap())
    }

    fn dt_invariant(dt: CimDatetime) -> String {
        let mut out: Vec<u16> = Vec::new();
        match resolve_datetime(&dt, 0).unwrap() {
            DatetimeValue::Timestamp(t) => write_timestamp_invariant(&mut out, t),
            DatetimeValue::Interval(t) => write_timespan_invariant(&mut out, t),
        }
        String::from_utf16(&out).unwrap()
    }

    #[test]
    fn timestamps_as_utc_instants() {
        // §3.6: 2024-05-06 07:08:09.123456 at utc +120.
        assert_eq!(
            dt_xml(ts(2024, 5, 6, 7, 8, 9, 123_456, 120), 0).unwrap(),
            "2024-05-06T05:08:09.123456+00:00"
        );
        // The DSC capture's form: trailing zeros dropped.
        assert_eq!(
            dt_xml(ts(2017, 2, 5, 5, 43, 5, 507_000, 0), 0).unwrap(),
            "2017-02-05T05:43:05.507+00:00"
        );
        // No fraction, negative offset across midnight and a year.
        assert_eq!(
            dt_xml(ts(2023, 12, 31, 22, 0, 0, 0, -150), 0).unwrap(),
            "2024-01-01T00:30:00+00:00"
        );
        // Leap day, and a positive offset back across a month.
        assert_eq!(
            dt_xml(ts(2024, 3, 1, 0, 30, 0, 1, 60), 0).unwrap(),
            "2024-02-29T23:30:00.000001+00:00"
        );
        assert_eq!(
            dt_xml(ts(1, 1, 1, 0, 0, 0, 0, 0), 0).unwrap(),
            "0001-01-01T00:00:00+00:00"
        );
        assert_eq!(
            dt_xml(ts(2000, 2, 29, 12, 0, 0, 999_999, 0), 0).unwrap(),
            "2000-02-29T12:00:00.999999+00:00"
        );
    }

    #[test]
    fn timestamp_sentinels() {
        // "now": the pool's clock (2024-05-06T05:08:09.1234567 UTC in ticks).
        let now = 638_505_688_891_234_567;
        assert_eq!(
            dt_xml(ts(0, 1, 1, 0, 0, 0, 0, 720), now).unwrap(),
            "2024-05-06T05:08:09.1234567+00:00"
        );
        assert_eq!(
            dt_xml(ts(0, 1, 1, 0, 0, 0, 999_999, 720), now).unwrap(),
            "0001-01-01T00:00:00"
        );
        assert_eq!(
            dt_xml(ts(9999, 12, 31, 11, 59, 59, 999_999, -720), now).unwrap(),
            "9999-12-31T23:59:59.9999999"
        );
        assert_eq!(
            dt_invariant(ts(9999, 12, 31, 11, 59, 59, 999_999, -720)),
            "12/31/9999 23:59:59"
        );
        assert_eq!(
            dt_invariant(ts(0, 1, 1, 0, 0, 0, 999_999, 720)),
            "01/01/0001 00:00:00"
        );
    }

    #[test]
    fn timestamps_that_name_no_date() {
        for dt in [
            ts(2024, 0, 1, 0, 0, 0, 0, 0),
            ts(2024, 13, 1, 0, 0, 0, 0, 0),
            ts(2023, 2, 29, 0, 0, 0, 0, 0),
            ts(1900, 2, 29, 0, 0, 0, 0, 0),
            ts(2024, 4, 31, 0, 0, 0, 0, 0),
            ts(2024, 4, 0, 0, 0, 0, 0, 0),
            ts(2024, 4, 1, 24, 0, 0, 0, 0),
            ts(2024, 4, 1, 0, 60, 0, 0, 0),
            ts(2024, 4, 1, 0, 0, 60, 0, 0),
            ts(2024, 4, 1, 0, 0, 0, 1_000_000, 0),
            ts(0, 1, 1, 0, 0, 0, 0, 0),
            ts(0, 1, 1, 0, 0, 0, 0, 719),
            ts(10_000, 1, 1, 0, 0, 0, 0, 0),
            ts(1, 1, 1, 0, 0, 0, 0, 1),
            ts(9999, 12, 31, 23, 59, 59, 999_999, -1),
            ts(9000, 1, 1, 0, 0, 0, 0, -2_000_000_000),
            ts(2024, 1, 1, 0, 0, 0, 0, i32::MAX),
        ] {
            assert_eq!(dt_xml(dt, 0), None, "{dt:?}");
        }
    }

    fn iv(days: u32, hours: u32, minutes: u32, seconds: u32, us: u32) -> CimDatetime {
        CimDatetime::Interval {
            days,
            hours,
            minutes,
            seconds,
            microseconds: us,
        }
    }

    #[test]
    fn intervals_as_xsd_durations() {
        assert_eq!(dt_xml(iv(0, 0, 0, 0, 0), 0).unwrap(), "PT0S");
        assert_eq!(dt_xml(iv(1, 2, 3, 4, 5_000), 0).unwrap(), "P1DT2H3M4.005S");
        assert_eq!(dt_xml(iv(0, 0, 0, 0, 1), 0).unwrap(), "PT0.000001S");
        assert_eq!(dt_xml(iv(1, 0, 0, 0, 0), 0).unwrap(), "P1D");
        assert_eq!(dt_xml(iv(0, 0, 30, 0, 0), 0).unwrap(), "PT30M");
        assert_eq!(dt_xml(iv(0, 5, 0, 7, 0), 0).unwrap(), "PT5H7S");
        // Large components carry.
        assert_eq!(
            dt_xml(iv(0, 25, 61, 61, 1_500_000), 0).unwrap(),
            "P1DT2H2M2.5S"
        );
        // The MaxValue clamp.
        let max = "P10675199DT2H48M5.4775807S";
        assert_eq!(dt_xml(iv(10_675_200, 0, 0, 0, 0), 0).unwrap(), max);
        assert_eq!(
            dt_xml(iv(u32::MAX, u32::MAX, u32::MAX, u32::MAX, u32::MAX), 0).unwrap(),
            max
        );
        assert_eq!(
            dt_xml(iv(10_675_199, 2, 48, 5, 477_580), 0).unwrap(),
            "P10675199DT2H48M5.47758S"
        );
        assert_eq!(dt_xml(iv(10_675_199, 2, 48, 5, 477_581), 0).unwrap(), max);
        assert_eq!(
            dt_invariant(iv(10_675_200, 0, 0, 0, 0)),
            "10675199.02:48:05.4775807"
        );
        assert_eq!(dt_invariant(iv(0, 0, 0, 0, 0)), "00:00:00");
        assert_eq!(dt_invariant(iv(1, 2, 3, 4, 500_000)), "1.02:03:04.5000000");
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        // civil_from_days inverts the day count of resolve_datetime.
        let mut days = 0i64;
        for year in 1..=2401u32 {
            for month in 1..=12u32 {
                let table = &DAYS_BEFORE_MONTH[usize::from(is_leap(year))];
                for day in 1..=table[month as usize] - table[month as usize - 1] {
                    assert_eq!(civil_from_days(days), (year, month, day));
                    days += 1;
                }
            }
        }
        assert_eq!(civil_from_days(MAX_TICKS / TICKS_PER_DAY), (9999, 12, 31));
    }
}
