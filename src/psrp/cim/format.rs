//! Value text (`psrp-cim-output.md` §3.3, §4): integers, reals and byte
//! arrays, both as CLIXML writes them (`XmlConvert`) and as .NET's invariant
//! `ToString()` gives them (for ToString key values). Datetimes are in
//! [`super::datetime`].
//!
//! All of it is ASCII, written to any [`TextSink`]: the CLIXML buffer
//! (`Vec<u8>`) or the UTF-16 text of a ToString (`Vec<u16>`). Nothing here
//! allocates.

use std::fmt;

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
