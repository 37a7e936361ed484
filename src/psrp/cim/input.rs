//! CIM values read from text: datetimes in ISO 8601 (`2024-05-06T07:08:09+02:00`,
//! `Z`, a date alone), CIM text (`20240506070809.123456+120`, intervals
//! `00000001020304.000005:000`) and ISO 8601 durations (`P1DT2H`), and the
//! MOF names of the `MI_Type`s for messages. Used by every input path (the
//! command line's JSON, the serve endpoint's arguments).

use super::CimDatetime;

const TYPE_NAMES: [&str; 16] = [
    "boolean",
    "uint8",
    "sint8",
    "uint16",
    "sint16",
    "uint32",
    "sint32",
    "uint64",
    "sint64",
    "real32",
    "real64",
    "char16",
    "datetime",
    "string",
    "reference",
    "instance",
];

/// The MOF name of `MI_Type` `t` (`uint8`, `string[]`, …); `unknown` past 31.
pub fn type_name(t: u32) -> String {
    match t {
        0..16 => TYPE_NAMES[t as usize].to_owned(),
        16..32 => format!("{}[]", TYPE_NAMES[t as usize - 16]),
        _ => format!("unknown type {t}"),
    }
}

/// Parses a datetime: CIM datetime text, ISO 8601 date and time, or ISO 8601
/// duration (an interval). `None` when it is none of them or a field is out
/// of range.
pub fn parse_datetime(s: &str) -> Option<CimDatetime> {
    if s.starts_with('P') {
        return parse_duration(s);
    }
    if s.len() == 25 && s.as_bytes()[14] == b'.' && s.is_ascii() {
        return parse_cim(s);
    }
    parse_iso(s)
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn valid_time(hour: u32, minute: u32, second: u32) -> bool {
    hour < 24 && minute < 60 && second < 60
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 0,
    }
}

fn timestamp(
    (year, month, day): (u32, u32, u32),
    (hour, minute, second): (u32, u32, u32),
    microseconds: u32,
    utc: i32,
) -> Option<CimDatetime> {
    let ok = (1..=9999).contains(&year)
        && (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month)
        && valid_time(hour, minute, second)
        && microseconds < 1_000_000
        && utc.abs() < 24 * 60;
    ok.then_some(CimDatetime::Timestamp {
        year,
        month,
        day,
        hour,
        minute,
        second,
        microseconds,
        utc,
    })
}

/// `yyyymmddhhmmss.mmmmmmsutc` or `ddddddddhhmmss.mmmmmm:000`.
fn parse_cim(s: &str) -> Option<CimDatetime> {
    let f = |a: usize, b: usize| digits(&s[a..b]);
    let microseconds = f(15, 21)?;
    match &s[21..22] {
        ":" => {
            if &s[22..] != "000" {
                return None;
            }
            let (hours, minutes, seconds) = (f(8, 10)?, f(10, 12)?, f(12, 14)?);
            valid_time(hours, minutes, seconds).then_some(CimDatetime::Interval {
                days: f(0, 8)?,
                hours,
                minutes,
                seconds,
                microseconds,
            })
        }
        sign @ ("+" | "-") => {
            let utc = f(22, 25)? as i32;
            let utc = if sign == "-" { -utc } else { utc };
            timestamp(
                (f(0, 4)?, f(4, 6)?, f(6, 8)?),
                (f(8, 10)?, f(10, 12)?, f(12, 14)?),
                microseconds,
                utc,
            )
        }
        _ => None,
    }
}

/// Up to 9 fraction digits as microseconds (truncated).
fn fraction_micros(frac: &str) -> Option<u32> {
    if frac.is_empty() || frac.len() > 9 {
        return None;
    }
    let mut padded = frac.to_owned();
    while padded.len() < 6 {
        padded.push('0');
    }
    digits(&padded[..6]).filter(|_| frac.bytes().all(|b| b.is_ascii_digit()))
}

/// `YYYY-MM-DD[THH:MM[:SS[.f]]][Z|±HH:MM|±HHMM|±HH]`.
fn parse_iso(s: &str) -> Option<CimDatetime> {
    if !s.is_ascii() || s.len() < 10 {
        return None;
    }
    let b = s.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let date = (digits(&s[0..4])?, digits(&s[5..7])?, digits(&s[8..10])?);
    let rest = &s[10..];
    if rest.is_empty() {
        return timestamp(date, (0, 0, 0), 0, 0);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    // The offset: Z, or the last + or -.
    let (time, offset) = if let Some(t) = rest.strip_suffix(['Z', 'z']) {
        (t, Some(0))
    } else if let Some(i) = rest.rfind(['+', '-']) {
        let (t, o) = rest.split_at(i);
        let sign = if o.starts_with('-') { -1 } else { 1 };
        let o = &o[1..];
        let (h, m) = match o.len() {
            2 => (digits(o)?, 0),
            4 => (digits(&o[..2])?, digits(&o[2..])?),
            5 if &o[2..3] == ":" => (digits(&o[..2])?, digits(&o[3..])?),
            _ => return None,
        };
        if h > 23 || m > 59 {
            return None;
        }
        (t, Some(sign * (h * 60 + m) as i32))
    } else {
        (rest, None)
    };
    let (hms, micros) = match time.split_once(['.', ',']) {
        Some((hms, frac)) => (hms, fraction_micros(frac)?),
        None => (time, 0),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    let two = |x: &str| if x.len() == 2 { digits(x) } else { None };
    let (h, m, sec) = match parts.as_slice() {
        [h, m] if micros == 0 && !time.contains(['.', ',']) => (two(h)?, two(m)?, 0),
        [h, m, sec] => (two(h)?, two(m)?, two(sec)?),
        _ => return None,
    };
    timestamp(date, (h, m, sec), micros, offset.unwrap_or(0))
}

/// `PnW`, or `P[nD][T[nH][nM][n[.f]S]]`, as an interval (years and months
/// have no fixed length: refused).
fn parse_duration(s: &str) -> Option<CimDatetime> {
    let body = s.strip_prefix('P')?;
    if body.is_empty() || !body.is_ascii() {
        return None;
    }
    let (date, time) = match body.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (body, None),
    };
    let mut micros: u128 = 0;
    const SEC: u128 = 1_000_000;
    let mut take = |part: &str, units: &[(char, u128)], allow_fraction: bool| -> Option<()> {
        let mut rest = part;
        let mut last = 0usize;
        while !rest.is_empty() {
            let end = rest.find(|c: char| !c.is_ascii_digit() && c != '.' && c != ',')?;
            let (num, tail) = rest.split_at(end);
            let unit = tail.chars().next()?;
            let idx = units.iter().position(|&(u, _)| u == unit)?;
            if idx < last || num.is_empty() {
                return None;
            }
            last = idx + 1;
            let scale = units[idx].1;
            match num.split_once(['.', ',']) {
                Some((whole, frac)) if allow_fraction && unit == 'S' => {
                    micros += u128::from(digits(whole)?) * scale;
                    micros += u128::from(fraction_micros(frac)?);
                }
                Some(_) => return None,
                None => {
                    let n: u128 = if num.len() > 12 {
                        return None;
                    } else {
                        num.parse().ok()?
                    };
                    micros += n * scale;
                }
            }
            rest = &tail[1..];
        }
        Some(())
    };
    take(date, &[('W', 7 * 86_400 * SEC), ('D', 86_400 * SEC)], false)?;
    if let Some(t) = time {
        take(t, &[('H', 3600 * SEC), ('M', 60 * SEC), ('S', SEC)], true)?;
    }
    let days = micros / (86_400 * SEC);
    if days > 99_999_999 {
        return None;
    }
    let rem = micros % (86_400 * SEC);
    Some(CimDatetime::Interval {
        days: days as u32,
        hours: (rem / (3600 * SEC)) as u32,
        minutes: (rem / (60 * SEC) % 60) as u32,
        seconds: (rem / SEC % 60) as u32,
        microseconds: (rem % SEC) as u32,
    })
}
