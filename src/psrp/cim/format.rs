//! Value text (`psrp-cim-output.md` §3.3, §4): integers, reals, timestamps,
//! intervals and byte arrays, both as CLIXML writes them (`XmlConvert`) and
//! as .NET's invariant `ToString()` gives them (for ToString key values).
//!
//! All of it is ASCII, written to any [`TextSink`]: the CLIXML buffer
//! (`Vec<u8>`) or the UTF-16 text of a ToString (`Vec<u16>`). Nothing here
//! allocates.

use std::fmt;

use super::CimDatetime;

/// Where ASCII text goes: UTF-8 bytes or UTF-16 units.
pub trait TextSink {
    /// Appends ASCII bytes.
    fn push_ascii(&mut self, s: &[u8]);
}

impl TextSink for Vec<u8> {
    #[inline]
    fn push_ascii(&mut self, s: &[u8]) {
        self.extend_from_slice(s);
    }
}

impl TextSink for Vec<u16> {
    #[inline]
    fn push_ascii(&mut self, s: &[u8]) {
        self.extend(s.iter().map(|&b| u16::from(b)));
    }
}

/// Appends `v` in decimal.
#[inline]
pub fn write_u64<S: TextSink + ?Sized>(out: &mut S, v: u64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut n = v;
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_ascii(&buf[at..]);
}

/// Appends `v` in decimal, `-` before a negative number.
#[inline]
pub fn write_i64<S: TextSink + ?Sized>(out: &mut S, v: i64) {
    if v < 0 {
        out.push_ascii(b"-");
    }
    write_u64(out, v.unsigned_abs());
}

/// A fixed buffer for `{:e}`, which gives the shortest round-trip digits.
struct ExpText {
    bytes: [u8; 40],
    len: usize,
}

impl fmt::Write for ExpText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let dest = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        dest.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// The .NET Core 3.0+ round-trip text of a finite, non-zero real (R7):
/// `abs` is its absolute value, `precision` 17 (real64) or 9 (real32).
fn write_finite<S: TextSink + ?Sized, T: fmt::LowerExp>(
    out: &mut S,
    abs: T,
    negative: bool,
    precision: i32,
) {
    let mut text = ExpText {
        bytes: [0; 40],
        len: 0,
    };
    // `{:e}` of a float is at most 24 bytes ("1.7976931348623157e308"): it fits.
    let _ = fmt::write(&mut text, format_args!("{abs:e}"));
    let text = &text.bytes[..text.len];
    let e_at = text.iter().position(|&b| b == b'e').unwrap_or(text.len());
    let mut digits = [0u8; 24];
    let mut n = 0;
    for &b in &text[..e_at] {
        if b.is_ascii_digit() {
            digits[n] = b;
            n += 1;
        }
    }
    let digits = &digits[..n];
    let mut k: i32 = 0;
    let mut k_negative = false;
    for &b in text.get(e_at + 1..).unwrap_or(&[]) {
        match b {
            b'-' => k_negative = true,
            b'0'..=b'9' => k = k * 10 + i32::from(b - b'0'),
            _ => {}
        }
    }
    if k_negative {
        k = -k;
    }
    // |v| = 0.d1…dn × 10^e
    let e = k + 1;
    let n = n as i32;
    if negative {
        out.push_ascii(b"-");
    }
    if e > n.max(precision) || e < -3 {
        out.push_ascii(&digits[..1]);
        if n > 1 {
            out.push_ascii(b".");
            out.push_ascii(&digits[1..]);
        }
        let x = e - 1;
        out.push_ascii(if x < 0 { b"E-" } else { b"E+" });
        if x.unsigned_abs() < 10 {
            out.push_ascii(b"0");
        }
        write_u64(out, u64::from(x.unsigned_abs()));
    } else if e <= 0 {
        out.push_ascii(b"0.");
        for _ in 0..-e {
            out.push_ascii(b"0");
        }
        out.push_ascii(digits);
    } else if e < n {
        out.push_ascii(&digits[..e as usize]);
        out.push_ascii(b".");
        out.push_ascii(&digits[e as usize..]);
    } else {
        out.push_ascii(digits);
        for _ in 0..e - n {
            out.push_ascii(b"0");
        }
    }
}

/// The two spellings of the non-finite reals.
#[derive(Clone, Copy)]
enum RealForm {
    /// `XmlConvert.ToString`: `INF`, `-INF`, `NaN`.
    Xml,
    /// `Double.ToString(InvariantCulture)`: `Infinity`, `-Infinity`, `NaN`.
    Invariant,
}

macro_rules! write_real_impl {
    ($name:ident, $t:ty, $precision:expr) => {
        fn $name<S: TextSink + ?Sized>(out: &mut S, v: $t, form: RealForm) {
            if v.is_nan() {
                out.push_ascii(b"NaN");
            } else if v.is_infinite() {
                out.push_ascii(match (form, v < 0.0) {
                    (RealForm::Xml, false) => b"INF",
                    (RealForm::Xml, true) => b"-INF",
                    (RealForm::Invariant, false) => b"Infinity",
                    (RealForm::Invariant, true) => b"-Infinity",
                });
            } else if v == 0.0 {
                out.push_ascii(if v.is_sign_negative() { b"-0" } else { b"0" });
            } else {
                write_finite(out, v.abs(), v < 0.0, $precision);
            }
        }
    };
}

write_real_impl!(write_real64_form, f64, 17);
write_real_impl!(write_real32_form, f32, 9);

/// Appends a real64 as `<Db>` holds it: the shortest round-trip digits,
/// fixed or `E±XX` as .NET Core 3.0+ chooses (R7); `NaN`, `INF`, `-INF`, `-0`.
pub fn write_real64<S: TextSink + ?Sized>(out: &mut S, v: f64) {
    write_real64_form(out, v, RealForm::Xml);
}

/// Appends a real32 as `<Sg>` holds it (as [`write_real64`], 9-digit rule).
pub fn write_real32<S: TextSink + ?Sized>(out: &mut S, v: f32) {
    write_real32_form(out, v, RealForm::Xml);
}

/// Appends a real64 as its invariant `ToString()` (`Infinity`, `-Infinity`).
pub fn write_real64_invariant<S: TextSink + ?Sized>(out: &mut S, v: f64) {
    write_real64_form(out, v, RealForm::Invariant);
}

/// Appends a real32 as its invariant `ToString()`.
pub fn write_real32_invariant<S: TextSink + ?Sized>(out: &mut S, v: f32) {
    write_real32_form(out, v, RealForm::Invariant);
}

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
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
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

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends `bytes` in base64 (standard alphabet, padded, no line breaks), as
/// `<BA>` holds a `byte[]`.
pub fn write_base64(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len().div_ceil(3) * 4);
    let mut chunks = bytes.chunks_exact(3);
    for c in &mut chunks {
        let v = u32::from(c[0]) << 16 | u32::from(c[1]) << 8 | u32::from(c[2]);
        out.extend_from_slice(&[
            BASE64[(v >> 18) as usize & 63],
            BASE64[(v >> 12) as usize & 63],
            BASE64[(v >> 6) as usize & 63],
            BASE64[v as usize & 63],
        ]);
    }
    match *chunks.remainder() {
        [a] => {
            let v = u32::from(a) << 16;
            out.extend_from_slice(&[
                BASE64[(v >> 18) as usize & 63],
                BASE64[(v >> 12) as usize & 63],
                b'=',
                b'=',
            ]);
        }
        [a, b] => {
            let v = u32::from(a) << 16 | u32::from(b) << 8;
            out.extend_from_slice(&[
                BASE64[(v >> 18) as usize & 63],
                BASE64[(v >> 12) as usize & 63],
                BASE64[(v >> 6) as usize & 63],
                b'=',
            ]);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r64(v: f64) -> String {
        let mut out: Vec<u8> = Vec::new();
        write_real64(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    fn r32(v: f32) -> String {
        let mut out: Vec<u8> = Vec::new();
        write_real32(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn reals_as_dotnet_core_writes_them() {
        // The spec's examples (§4, R7).
        assert_eq!(r64(0.359), "0.359");
        assert_eq!(r64(0.0001), "0.0001");
        assert_eq!(r64(1.5e-5), "1.5E-05");
        assert_eq!(r64(1e16), "10000000000000000");
        assert_eq!(r64(1e17), "1E+17");
        assert_eq!(r64(f64::MAX), "1.7976931348623157E+308");
        assert_eq!(r64(5e-324), "5E-324");
        assert_eq!(r32(0.1), "0.1");
        assert_eq!(r32(16_777_216.0), "16777216");
        assert_eq!(r32(1e9), "1E+09");
        // Specials.
        assert_eq!(r64(f64::NAN), "NaN");
        assert_eq!(r64(f64::INFINITY), "INF");
        assert_eq!(r64(f64::NEG_INFINITY), "-INF");
        assert_eq!(r64(-0.0), "-0");
        assert_eq!(r64(0.0), "0");
        assert_eq!(r32(f32::NAN), "NaN");
        assert_eq!(r32(f32::NEG_INFINITY), "-INF");
        assert_eq!(r32(-0.0), "-0");
        // More of the same rules.
        assert_eq!(r64(0.5), "0.5");
        assert_eq!(r64(-2.5), "-2.5");
        assert_eq!(r64(1.0), "1");
        assert_eq!(r64(123.456), "123.456");
        assert_eq!(r64(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(r64(1.2345e-4), "0.00012345");
        assert_eq!(r64(-1e-5), "-1E-05");
        assert_eq!(r64(1.5e300), "1.5E+300");
        assert_eq!(r64(12_345_678_901_234_567.0), "12345678901234568");
        assert_eq!(r64(f64::MIN_POSITIVE), "2.2250738585072014E-308");
        assert_eq!(r64(f64::MIN), "-1.7976931348623157E+308");
        assert_eq!(r32(f32::MAX), "3.4028235E+38");
        assert_eq!(r32(123_456_790.0), "123456790");
        assert_eq!(r32(1.0e-3), "0.001");
        assert_eq!(r32(f32::MIN_POSITIVE), "1.1754944E-38");
        assert_eq!(r32(1e-45), "1E-45");
    }

    #[test]
    fn reals_invariant_to_string() {
        let mut out: Vec<u8> = Vec::new();
        write_real64_invariant(&mut out, f64::INFINITY);
        out.push(b' ');
        write_real64_invariant(&mut out, f64::NEG_INFINITY);
        out.push(b' ');
        write_real32_invariant(&mut out, f32::NAN);
        out.push(b' ');
        write_real32_invariant(&mut out, 1e9);
        assert_eq!(out, b"Infinity -Infinity NaN 1E+09");
    }

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

    #[test]
    fn base64() {
        for (input, expected) in [
            (&b""[..], ""),
            (b"\x00", "AA=="),
            (b"\x00\x01", "AAE="),
            (b"\x00\x01\x02", "AAEC"),
            (b"\x00\x01\x02\xff", "AAEC/w=="),
            (b"\xfb\xff\xbf", "+/+/"),
            (b"Man is", "TWFuIGlz"),
        ] {
            let mut out: Vec<u8> = Vec::new();
            write_base64(&mut out, input);
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }

    #[test]
    fn integers() {
        let mut out: Vec<u8> = Vec::new();
        for v in [0, 1, -1, 9, 10, i64::MIN, i64::MAX] {
            out.clear();
            write_i64(&mut out, v);
            assert_eq!(out, v.to_string().as_bytes());
        }
        out.clear();
        write_u64(&mut out, u64::MAX);
        assert_eq!(out, b"18446744073709551615");
    }
}
