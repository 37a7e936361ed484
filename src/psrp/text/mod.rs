//! PowerShell's string encoding for CLIXML `<S>` text, both ways.
//!
//! Encoding works on UTF-16 code units (UTF-32 input is split into surrogates
//! first) and writes UTF-8:
//! 1. `_xHHHH_` (upper-case hex) replaces every unit 0x00–0x1F, 0x7F–0x9F and
//!    0xD800–0xDFFF (paired surrogates included), and U+FFFE/U+FFFF;
//! 2. `_` followed by `x` or `X` becomes `_x005F_`;
//! 3. `&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;`;
//! 4. everything else is copied as UTF-8.
//!
//! Decoding accepts what PowerShell's `XmlConvert.DecodeName` accepts: `_x` or
//! `_X`, then 4 hex digits (a UTF-16 unit) or 8 (a code point), then `_`.

use std::fmt;

mod decode;
mod scan;
mod sources;
#[cfg(test)]
mod tests;

pub use decode::{PsString, decode_escapes, decode_escapes_into};
pub use sources::{PreEncoded, PsText, SourceText, Utf8Text, Wtf8Text};

use scan::Lane;

/// Worst-case output bytes for one input code unit: a supplementary code point
/// becomes two `_xHHHH_` escapes.
pub const MAX_ENCODED_BYTES_PER_UNIT: usize = 14;

/// Worst-case output bytes for one byte of UTF-8 input: a control character
/// becomes a 7-byte `_xHHHH_` escape (a 4-byte character becomes 14 bytes, an
/// invalid byte the 3 bytes of U+FFFD).
pub const MAX_ENCODED_BYTES_PER_UTF8_BYTE: usize = 7;

/// A code unit of a wide string: `u16` (UTF-16) or `u32`/`i32` (UTF-32, as
/// `wchar_t` is on Linux). A UTF-32 value above 0x10FFFF (or a negative `i32`)
/// cannot be encoded.
pub trait CodeUnit: Copy {
    /// The unit as an unsigned number.
    fn value(self) -> u32;
    /// Whether the unit is at most 0x10FFFF, in the comparisons natural to
    /// its type (so that a pass over many units vectorizes).
    fn in_range(self) -> bool;
    /// The number of units at the start of `units` that are copied as they
    /// stand (printable ASCII but `&`, `<`, `>`, `_`), found 16 units at a
    /// time where the machine allows (see `scan.rs`).
    fn plain_run(units: &[Self]) -> usize;
    /// Appends those units to `out`, a byte each; returns how many.
    fn copy_plain(units: &[Self], out: &mut Vec<u8>) -> usize;
}

impl CodeUnit for u16 {
    #[inline(always)]
    fn value(self) -> u32 {
        u32::from(self)
    }
    #[inline(always)]
    fn in_range(self) -> bool {
        true
    }
    #[inline]
    fn plain_run(units: &[Self]) -> usize {
        <u16 as Lane>::plain_run(units)
    }
    #[inline]
    fn copy_plain(units: &[Self], out: &mut Vec<u8>) -> usize {
        <u16 as Lane>::copy_plain(units, out)
    }
}

impl CodeUnit for u32 {
    #[inline(always)]
    fn value(self) -> u32 {
        self
    }
    #[inline(always)]
    fn in_range(self) -> bool {
        self <= 0x10_FFFF
    }
    #[inline]
    fn plain_run(units: &[Self]) -> usize {
        <u32 as Lane>::plain_run(units)
    }
    #[inline]
    fn copy_plain(units: &[Self], out: &mut Vec<u8>) -> usize {
        <u32 as Lane>::copy_plain(units, out)
    }
}

impl CodeUnit for i32 {
    #[inline(always)]
    fn value(self) -> u32 {
        self as u32
    }
    #[inline(always)]
    fn in_range(self) -> bool {
        (0..=0x10_FFFF).contains(&self)
    }
    #[inline]
    fn plain_run(units: &[Self]) -> usize {
        <i32 as Lane>::plain_run(units)
    }
    #[inline]
    fn copy_plain(units: &[Self], out: &mut Vec<u8>) -> usize {
        <i32 as Lane>::copy_plain(units, out)
    }
}

/// A value that is not a Unicode code point (above 0x10FFFF), found at `index`
/// (counted in input code units).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidCodePoint {
    /// The offending value.
    pub value: u32,
    /// Its position in the input, in code units.
    pub index: usize,
}

impl fmt::Display for InvalidCodePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "value {:#X} at unit {} is not a Unicode code point",
            self.value, self.index
        )
    }
}

impl std::error::Error for InvalidCodePoint {}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Where encoded bytes go: a buffer, or a counter that only measures them.
/// One encoder serves both, so that a measured length is always the length
/// that encoding would produce.
pub(crate) trait Emit {
    /// Appends bytes.
    fn bytes(&mut self, b: &[u8]);
    /// Appends one byte.
    fn byte(&mut self, b: u8);
    /// Appends the plain units at the start of `units` (a byte each) and
    /// returns how many there were.
    fn plain<U: CodeUnit>(&mut self, units: &[U]) -> usize;
    /// The same for UTF-8 bytes.
    fn plain_bytes(&mut self, bytes: &[u8]) -> usize;
}

impl Emit for Vec<u8> {
    #[inline(always)]
    fn bytes(&mut self, b: &[u8]) {
        self.extend_from_slice(b);
    }
    #[inline(always)]
    fn byte(&mut self, b: u8) {
        self.push(b);
    }
    #[inline(always)]
    fn plain<U: CodeUnit>(&mut self, units: &[U]) -> usize {
        U::copy_plain(units, self)
    }
    #[inline(always)]
    fn plain_bytes(&mut self, bytes: &[u8]) -> usize {
        <u8 as Lane>::copy_plain(bytes, self)
    }
}

/// An [`Emit`] that counts bytes.
#[derive(Default)]
pub(crate) struct Count(pub usize);

impl Emit for Count {
    #[inline(always)]
    fn bytes(&mut self, b: &[u8]) {
        self.0 += b.len();
    }
    #[inline(always)]
    fn byte(&mut self, _: u8) {
        self.0 += 1;
    }
    #[inline(always)]
    fn plain<U: CodeUnit>(&mut self, units: &[U]) -> usize {
        let n = U::plain_run(units);
        self.0 += n;
        n
    }
    #[inline(always)]
    fn plain_bytes(&mut self, bytes: &[u8]) -> usize {
        let n = <u8 as Lane>::plain_run(bytes);
        self.0 += n;
        n
    }
}

#[inline]
fn push_escape(out: &mut impl Emit, unit: u32) {
    out.bytes(&[
        b'_',
        b'x',
        HEX_UPPER[(unit >> 12) as usize & 15],
        HEX_UPPER[(unit >> 8) as usize & 15],
        HEX_UPPER[(unit >> 4) as usize & 15],
        HEX_UPPER[unit as usize & 15],
        b'_',
    ]);
}

/// Encodes one code point `c` that is not plain ASCII. `next_is_x` tells whether
/// the following unit is `x` or `X` (only consulted for `_`). Returns `false`
/// when `c` is above 0x10FFFF.
#[inline(never)]
fn encode_special(out: &mut impl Emit, c: u32, next_is_x: bool) -> bool {
    match c {
        0x26 => out.bytes(b"&amp;"),
        0x3C => out.bytes(b"&lt;"),
        0x3E => out.bytes(b"&gt;"),
        0x5F if next_is_x => push_escape(out, 0x5F),
        0x00..=0x1F | 0x7F..=0x9F | 0xD800..=0xDFFF | 0xFFFE | 0xFFFF => push_escape(out, c),
        0x20..=0x7E => out.byte(c as u8),
        0xA0..=0x7FF => out.bytes(&[0xC0 | (c >> 6) as u8, 0x80 | (c & 0x3F) as u8]),
        0x800..=0xFFFF => out.bytes(&[
            0xE0 | (c >> 12) as u8,
            0x80 | ((c >> 6) & 0x3F) as u8,
            0x80 | (c & 0x3F) as u8,
        ]),
        0x1_0000..=0x10_FFFF => {
            let v = c - 0x1_0000;
            push_escape(out, 0xD800 | (v >> 10));
            push_escape(out, 0xDC00 | (v & 0x3FF));
        }
        _ => return false,
    }
    true
}

#[inline]
fn is_x(c: u32) -> bool {
    c == u32::from(b'x') || c == u32::from(b'X')
}

/// Appends the encoded form of `units` to `out`. On error `out` may hold a
/// partial encoding: callers truncate it back.
///
/// One pass: each run of plain ASCII is found 16 bytes at a time (SSE2, see
/// `scan.rs`) and copied in one go; any other unit goes through
/// `encode_special`.
pub fn encode_units<U: CodeUnit>(units: &[U], out: &mut Vec<u8>) -> Result<(), InvalidCodePoint> {
    emit_units(units, out)
}

/// The number of bytes [`encode_units`] would append, computed without
/// writing them.
pub fn encoded_len<U: CodeUnit>(units: &[U]) -> Result<usize, InvalidCodePoint> {
    let mut count = Count::default();
    emit_units(units, &mut count)?;
    Ok(count.0)
}

#[inline]
fn emit_units<U: CodeUnit>(units: &[U], out: &mut impl Emit) -> Result<(), InvalidCodePoint> {
    let mut i = 0;
    while i < units.len() {
        i += out.plain(&units[i..]);
        let Some(&unit) = units.get(i) else {
            break;
        };
        let c = unit.value();
        let next_is_x = units.get(i + 1).is_some_and(|n| is_x(n.value()));
        if !encode_special(out, c, next_is_x) {
            return Err(InvalidCodePoint { value: c, index: i });
        }
        i += 1;
    }
    Ok(())
}

/// Appends the encoded form of a Rust string (which holds no lone surrogate).
pub fn encode_str(s: &str, out: &mut Vec<u8>) {
    emit_str(s, out)
}

/// Encodes valid UTF-8: each run of plain ASCII bytes is copied in one go,
/// every other character goes through `encode_special`.
fn emit_str(s: &str, out: &mut impl Emit) {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        i += out.plain_bytes(&bytes[i..]);
        let Some(ch) = s[i..].chars().next() else {
            break;
        };
        let next_is_x = bytes
            .get(i + ch.len_utf8())
            .is_some_and(|&n| is_x(u32::from(n)));
        let encoded = encode_special(out, u32::from(ch), next_is_x);
        debug_assert!(encoded, "a char is always a code point");
        i += ch.len_utf8();
    }
}

/// Encodes bytes as .NET's `Encoding.UTF8` (and `String::from_utf8_lossy`)
/// decodes them: each maximal invalid subsequence becomes one U+FFFD.
fn emit_utf8(bytes: &[u8], out: &mut impl Emit) {
    // A plain run is ASCII, valid UTF-8 on its own, and ends where a
    // character starts: copying it first (16 bytes at a time) leaves the
    // decoding of the rest, and where its invalid sequences are, unchanged.
    let plain = out.plain_bytes(bytes);
    let bytes = &bytes[plain..];
    for chunk in bytes.utf8_chunks() {
        emit_str(chunk.valid(), out);
        if !chunk.invalid().is_empty() {
            encode_special(out, 0xFFFD, false);
        }
    }
}
