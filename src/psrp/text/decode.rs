//! Decoding: `_xHHHH_` escapes back to UTF-16 units ([`decode_escapes`]),
//! and the .NET string they make ([`PsString`]).

use std::fmt;

use super::encode_units;
use super::{InvalidCodePoint, PsText};

/// A .NET string: a sequence of UTF-16 code units that may hold lone surrogates.
/// What the decoder produces, so that every string PowerShell can send survives.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct PsString(pub Vec<u16>);

impl PsString {
    /// The UTF-16 code units.
    pub fn units(&self) -> &[u16] {
        &self.0
    }
    /// The text with each lone surrogate replaced by U+FFFD.
    pub fn to_string_lossy(&self) -> String {
        String::from_utf16_lossy(&self.0)
    }
    /// The text, if it holds no lone surrogate.
    pub fn to_string_checked(&self) -> Option<String> {
        String::from_utf16(&self.0).ok()
    }
}

impl From<&str> for PsString {
    fn from(s: &str) -> Self {
        PsString(s.encode_utf16().collect())
    }
}

impl From<Vec<u16>> for PsString {
    fn from(units: Vec<u16>) -> Self {
        PsString(units)
    }
}

impl PartialEq<str> for PsString {
    fn eq(&self, other: &str) -> bool {
        self.0.iter().copied().eq(other.encode_utf16())
    }
}

impl PartialEq<&str> for PsString {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl fmt::Debug for PsString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for r in char::decode_utf16(self.0.iter().copied()) {
            match r {
                Ok(c) => write!(f, "{}", c.escape_debug())?,
                Err(e) => write!(f, "\\u{{{:X}}}", e.unpaired_surrogate())?,
            }
        }
        f.write_str("\"")
    }
}

impl fmt::Display for PsString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string_lossy())
    }
}

impl PsText for PsString {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), InvalidCodePoint> {
        encode_units(&self.0, out)
    }
}

fn hex_value(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

fn parse_hex(digits: &[u8]) -> Option<u32> {
    digits
        .iter()
        .try_fold(0u32, |acc, &b| Some((acc << 4) | hex_value(b)?))
}

/// If `s` starts with an escape (`_x`/`_X`, 4 or 8 hex digits, `_`), returns the
/// code point it names (a UTF-16 unit for 4 digits) and the escape's length.
/// An 8-digit value above 0x10FFFF is not an escape, as in .NET.
fn escape_at(s: &[u8]) -> Option<(u32, usize)> {
    if s.len() < 7 || s[0] != b'_' || !matches!(s[1], b'x' | b'X') {
        return None;
    }
    if s[6] == b'_' {
        if let Some(v) = parse_hex(&s[2..6]) {
            return Some((v, 7));
        }
    }
    if s.len() >= 11 && s[10] == b'_' {
        if let Some(v) = parse_hex(&s[2..10]).filter(|&v| v <= 0x10_FFFF) {
            return Some((v, 11));
        }
    }
    None
}

/// Decodes `_xHHHH_` escapes in XML text that has already had its entity
/// references resolved, appending UTF-16 units to `out`.
pub fn decode_escapes_into(text: &str, out: &mut Vec<u16>) {
    let bytes = text.as_bytes();
    let mut start = 0; // first byte not yet copied
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'_') {
        let at = i + off;
        match escape_at(&bytes[at..]) {
            Some((v, len)) => {
                out.extend(text[start..at].encode_utf16());
                if v <= 0xFFFF {
                    out.push(v as u16);
                } else {
                    let v = v - 0x1_0000;
                    out.push(0xD800 | (v >> 10) as u16);
                    out.push(0xDC00 | (v & 0x3FF) as u16);
                }
                i = at + len;
                start = i;
            }
            None => i = at + 1,
        }
    }
    out.extend(text[start..].encode_utf16());
}

/// Decodes `_xHHHH_` escapes in resolved XML text.
pub fn decode_escapes(text: &str) -> PsString {
    let mut out = Vec::with_capacity(text.len());
    decode_escapes_into(text, &mut out);
    PsString(out)
}
