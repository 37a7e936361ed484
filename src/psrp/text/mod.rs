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

mod scan;

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

/// Text a UTF-8 provider (`MI_CHAR_TYPE 1`) hands over: bytes that are
/// meant to be UTF-8 but may not be (a Linux file name, say). They are
/// decoded as .NET decodes UTF-8, so every byte string is accepted: each
/// maximal invalid subsequence becomes U+FFFD. Encoding never fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utf8Text<'a>(pub &'a [u8]);

impl PsText for Utf8Text<'_> {
    #[inline]
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    #[inline]
    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), InvalidCodePoint> {
        emit_utf8(self.0, out);
        Ok(())
    }
}

impl SourceText for Utf8Text<'_> {
    #[inline]
    fn check(&self) -> Result<(), InvalidCodePoint> {
        Ok(())
    }
    fn copy_wtf8(&self, out: &mut Vec<u8>) {
        // As in `emit_utf8`: the plain start first, in one go.
        let plain = <u8 as Lane>::copy_plain(self.0, out);
        for chunk in self.0[plain..].utf8_chunks() {
            out.extend_from_slice(chunk.valid().as_bytes());
            if !chunk.invalid().is_empty() {
                out.extend_from_slice("\u{FFFD}".as_bytes());
            }
        }
    }
    #[inline]
    fn max_wtf8_len(&self) -> usize {
        // An invalid byte becomes the 3 bytes of U+FFFD.
        3 * self.0.len()
    }
    #[inline]
    fn max_encoded_len(&self) -> usize {
        self.0.len() * MAX_ENCODED_BYTES_PER_UTF8_BYTE
    }
    fn encoded_len(&self) -> Result<usize, InvalidCodePoint> {
        let mut count = Count::default();
        emit_utf8(self.0, &mut count);
        Ok(count.0)
    }
}

/// Appends code unit `v` (at most 0x10FFFF: callers checked) as UTF-8,
/// a surrogate as the 3 bytes UTF-8 would give it.
#[inline]
fn push_wtf8(out: &mut Vec<u8>, v: u32) {
    match v {
        0..=0x7F => out.push(v as u8),
        0x80..=0x7FF => out.extend_from_slice(&[0xC0 | (v >> 6) as u8, 0x80 | (v & 0x3F) as u8]),
        0x800..=0xFFFF => out.extend_from_slice(&[
            0xE0 | (v >> 12) as u8,
            0x80 | ((v >> 6) & 0x3F) as u8,
            0x80 | (v & 0x3F) as u8,
        ]),
        _ => out.extend_from_slice(&[
            0xF0 | (v >> 18) as u8,
            0x80 | ((v >> 12) & 0x3F) as u8,
            0x80 | ((v >> 6) & 0x3F) as u8,
            0x80 | (v & 0x3F) as u8,
        ]),
    }
}

/// Text kept by [`SourceText::copy_wtf8`]: UTF-8 whose code points may be
/// surrogates (WTF-8, one sequence per UTF-16 or UTF-32 unit). Made only by
/// `copy_wtf8`; other bytes encode as something, but not as intended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wtf8Text<'a>(pub &'a [u8]);

impl Wtf8Text<'_> {
    fn emit(&self, out: &mut impl Emit) {
        let b = self.0;
        let mut i = 0;
        while i < b.len() {
            i += out.plain_bytes(&b[i..]);
            if i == b.len() {
                break;
            }
            let lead = b[i];
            let (len, init) = match lead {
                0x00..=0x7F => (1, u32::from(lead)),
                0xC0..=0xDF => (2, u32::from(lead & 0x1F)),
                0xE0..=0xEF => (3, u32::from(lead & 0x0F)),
                _ => (4, u32::from(lead & 0x07)),
            };
            let end = (i + len).min(b.len());
            let c = b[i + 1..end]
                .iter()
                .fold(init, |acc, &c| (acc << 6) | u32::from(c & 0x3F));
            let next_is_x = b.get(end).is_some_and(|&n| is_x(u32::from(n)));
            if !encode_special(out, c, next_is_x) {
                encode_special(out, 0xFFFD, false);
            }
            i = end;
        }
    }
}

impl PsText for Wtf8Text<'_> {
    #[inline]
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), InvalidCodePoint> {
        self.emit(out);
        Ok(())
    }
}

/// Text that can be written as the content of a CLIXML `<S>` element.
///
/// Implemented for wide strings (`[u16]`, `[u32]`, `[i32]`), `str`, [`PsString`]
/// and [`PreEncoded`] text, and for references to any of them.
pub trait PsText {
    /// Whether the text has no character.
    fn is_empty(&self) -> bool;
    /// Appends the encoded text (escaped UTF-8) to `out`.
    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), InvalidCodePoint>;
}

/// Text as a provider hands it over, which a sender may have to keep for
/// later (a coalesced record): it can be checked, and copied as code-unit
/// values, without encoding it.
pub trait SourceText: PsText {
    /// Whether [`PsText::encode_into`] would accept the text: every value is a
    /// code point (lone surrogates included).
    fn check(&self) -> Result<(), InvalidCodePoint>;
    /// Appends the text as [`Wtf8Text`] bytes (each code unit as UTF-8,
    /// surrogates included): encoding the copy gives the same bytes as
    /// encoding the text, and the copy is never longer than that encoding,
    /// so a held copy costs no more than the message it becomes.
    fn copy_wtf8(&self, out: &mut Vec<u8>);
    /// An upper bound of what [`SourceText::copy_wtf8`] appends.
    fn max_wtf8_len(&self) -> usize;
    /// An upper bound of [`SourceText::encoded_len`], found without reading
    /// the text: its length times the most bytes one of its units can become.
    fn max_encoded_len(&self) -> usize;
    /// The exact number of bytes [`PsText::encode_into`] appends.
    fn encoded_len(&self) -> Result<usize, InvalidCodePoint>;
}

impl<T: SourceText + ?Sized> SourceText for &T {
    #[inline]
    fn check(&self) -> Result<(), InvalidCodePoint> {
        (**self).check()
    }
    #[inline]
    fn copy_wtf8(&self, out: &mut Vec<u8>) {
        (**self).copy_wtf8(out)
    }
    #[inline]
    fn max_wtf8_len(&self) -> usize {
        (**self).max_wtf8_len()
    }
    #[inline]
    fn max_encoded_len(&self) -> usize {
        (**self).max_encoded_len()
    }
    fn encoded_len(&self) -> Result<usize, InvalidCodePoint> {
        (**self).encoded_len()
    }
}

impl<U: CodeUnit> SourceText for [U] {
    #[inline]
    fn check(&self) -> Result<(), InvalidCodePoint> {
        // The common case, nothing out of range, as one branch-free pass
        // (compare-and-or vectorizes on baseline x86-64; an unsigned max does not).
        let in_range = self.iter().fold(true, |ok, u| ok & u.in_range());
        if in_range {
            return Ok(());
        }
        let index = self.iter().position(|u| u.value() > 0x10_FFFF).unwrap_or(0);
        Err(InvalidCodePoint {
            value: self[index].value(),
            index,
        })
    }
    #[inline]
    fn copy_wtf8(&self, out: &mut Vec<u8>) {
        // Plain runs in one go, as the encoder copies them.
        let mut i = 0;
        while i < self.len() {
            i += U::copy_plain(&self[i..], out);
            if let Some(u) = self.get(i) {
                push_wtf8(out, u.value());
                i += 1;
            }
        }
    }
    #[inline]
    fn max_wtf8_len(&self) -> usize {
        4 * self.len()
    }
    #[inline]
    fn max_encoded_len(&self) -> usize {
        self.len() * MAX_ENCODED_BYTES_PER_UNIT
    }
    fn encoded_len(&self) -> Result<usize, InvalidCodePoint> {
        encoded_len(self)
    }
}

impl SourceText for str {
    fn check(&self) -> Result<(), InvalidCodePoint> {
        Ok(())
    }
    fn copy_wtf8(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_bytes());
    }
    fn max_wtf8_len(&self) -> usize {
        self.len()
    }
    fn max_encoded_len(&self) -> usize {
        self.len() * MAX_ENCODED_BYTES_PER_UTF8_BYTE
    }
    fn encoded_len(&self) -> Result<usize, InvalidCodePoint> {
        let mut count = Count::default();
        emit_str(self, &mut count);
        Ok(count.0)
    }
}

impl SourceText for String {
    fn check(&self) -> Result<(), InvalidCodePoint> {
        Ok(())
    }
    fn copy_wtf8(&self, out: &mut Vec<u8>) {
        self.as_str().copy_wtf8(out)
    }
    fn max_wtf8_len(&self) -> usize {
        self.len()
    }
    fn max_encoded_len(&self) -> usize {
        self.as_str().max_encoded_len()
    }
    fn encoded_len(&self) -> Result<usize, InvalidCodePoint> {
        self.as_str().encoded_len()
    }
}

impl SourceText for PsString {
    fn check(&self) -> Result<(), InvalidCodePoint> {
        Ok(())
    }
    fn copy_wtf8(&self, out: &mut Vec<u8>) {
        self.0.copy_wtf8(out)
    }
    fn max_wtf8_len(&self) -> usize {
        self.0.max_wtf8_len()
    }
    fn max_encoded_len(&self) -> usize {
        self.0.len() * MAX_ENCODED_BYTES_PER_UNIT
    }
    fn encoded_len(&self) -> Result<usize, InvalidCodePoint> {
        encoded_len(&self.0)
    }
}

impl<T: PsText + ?Sized> PsText for &T {
    #[inline]
    fn is_empty(&self) -> bool {
        (**self).is_empty()
    }
    #[inline]
    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), InvalidCodePoint> {
        (**self).encode_into(out)
    }
}

impl<U: CodeUnit> PsText for [U] {
    #[inline]
    fn is_empty(&self) -> bool {
        self.is_empty()
    }
    #[inline]
    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), InvalidCodePoint> {
        encode_units(self, out)
    }
}

impl PsText for str {
    fn is_empty(&self) -> bool {
        self.is_empty()
    }
    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), InvalidCodePoint> {
        encode_str(self, out);
        Ok(())
    }
}

impl PsText for String {
    fn is_empty(&self) -> bool {
        self.as_str().is_empty()
    }
    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), InvalidCodePoint> {
        encode_str(self, out);
        Ok(())
    }
}

/// Text that is already in its encoded form (escaped UTF-8), copied as it stands.
/// Used to re-send text taken from an earlier record without decoding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreEncoded<'a>(pub &'a [u8]);

impl PsText for PreEncoded<'_> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), InvalidCodePoint> {
        out.extend_from_slice(self.0);
        Ok(())
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn enc16(units: &[u16]) -> String {
        let mut out = Vec::new();
        encode_units(units, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn enc(s: &str) -> String {
        let units: Vec<u16> = s.encode_utf16().collect();
        let via_units = enc16(&units);
        let mut out = Vec::new();
        encode_str(s, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            via_units,
            "str and UTF-16 paths differ"
        );
        via_units
    }

    #[test]
    fn plain_text_is_copied() {
        assert_eq!(enc("Copying files"), "Copying files");
        assert_eq!(
            enc("\"quotes\" and 'apostrophes'"),
            "\"quotes\" and 'apostrophes'"
        );
    }

    #[test]
    fn xml_specials() {
        assert_eq!(enc("a<b & c>d"), "a&lt;b &amp; c&gt;d");
    }

    #[test]
    fn control_characters() {
        assert_eq!(enc("\t\n\r"), "_x0009__x000A__x000D_");
        assert_eq!(enc("\u{0}\u{1F}"), "_x0000__x001F_");
        assert_eq!(
            enc("\u{7F}\u{80}\u{9F}\u{A0}"),
            "_x007F__x0080__x009F_\u{A0}"
        );
    }

    #[test]
    fn underscore_rules() {
        assert_eq!(enc("_x0041_"), "_x005F_x0041_");
        assert_eq!(enc("_X0041_"), "_x005F_X0041_");
        assert_eq!(enc("_xyz"), "_x005F_xyz");
        assert_eq!(enc("a_b _ trailing_"), "a_b _ trailing_");
        assert_eq!(enc("__x"), "__x005F_x");
    }

    #[test]
    fn non_ascii_is_raw_utf8() {
        assert_eq!(enc("café 中文"), "café 中文");
    }

    #[test]
    fn supplementary_and_lone_surrogates() {
        assert_eq!(enc("\u{1F600}"), "_xD83D__xDE00_");
        assert_eq!(enc16(&[0xD83C]), "_xD83C_");
        assert_eq!(enc16(&[0xDC00, 0x41]), "_xDC00_A");
    }

    #[test]
    fn nonchars_fffe_ffff() {
        assert_eq!(enc("\u{FFFE}\u{FFFF}\u{FFFD}"), "_xFFFE__xFFFF_\u{FFFD}");
    }

    #[test]
    fn utf32_input() {
        let units: Vec<u32> = "a\u{1D11E}_X".chars().map(u32::from).collect();
        let mut out = Vec::new();
        encode_units(&units, &mut out).unwrap();
        assert_eq!(out, b"a_xD834__xDD1E__x005F_X");
        let lone: [u32; 1] = [0xDB00];
        out.clear();
        encode_units(&lone, &mut out).unwrap();
        assert_eq!(out, b"_xDB00_");
    }

    #[test]
    fn source_text_checks_and_copies_like_the_encoder() {
        let ok: &[i32] = &[0x41, 0xD800, 0x10_FFFF, 0x7, 0x5F, 0x78];
        assert_eq!(ok.check(), Ok(()));
        let mut held = Vec::new();
        ok.copy_wtf8(&mut held);
        let (mut direct, mut copied) = (Vec::new(), Vec::new());
        encode_units(ok, &mut direct).unwrap();
        Wtf8Text(&held).encode_into(&mut copied).unwrap();
        assert_eq!(direct, copied);
        assert!(held.len() <= direct.len());
        let bad: &[i32] = &[0x41, 0x42, -5];
        assert_eq!(
            bad.check(),
            Err(InvalidCodePoint {
                value: 0xFFFF_FFFB,
                index: 2
            })
        );
        let utf16: &[u16] = &[0xD83D, 0xDE00, 0xDC00, b'_' as u16, b'X' as u16];
        held.clear();
        utf16.copy_wtf8(&mut held);
        let (mut direct, mut copied) = (Vec::new(), Vec::new());
        encode_units(utf16, &mut direct).unwrap();
        Wtf8Text(&held).encode_into(&mut copied).unwrap();
        assert_eq!(direct, copied);
        held.clear();
        "a\u{1F600}".copy_wtf8(&mut held);
        assert_eq!(held, "a\u{1F600}".as_bytes());
    }

    #[test]
    fn encoded_len_is_the_length_encoding_produces() {
        for s in [
            "",
            "plain",
            "a<b & c>d",
            "_x0041_ \t\u{7F}\u{85}",
            "café 中文 \u{1F600}\u{FFFE}",
        ] {
            let units: Vec<u16> = s.encode_utf16().collect();
            let mut out = Vec::new();
            encode_units(&units, &mut out).unwrap();
            assert_eq!(encoded_len(&units), Ok(out.len()), "{s:?}");
            assert_eq!(s.encoded_len(), Ok(out.len()), "{s:?}");
        }
        assert!(encoded_len(&[0x11_0000u32]).is_err());
    }

    #[test]
    fn utf32_out_of_range_is_rejected() {
        let mut out = Vec::new();
        let err = encode_units(&[0x41u32, 0x11_0000], &mut out).unwrap_err();
        assert_eq!(
            err,
            InvalidCodePoint {
                value: 0x11_0000,
                index: 1
            }
        );
        let err = encode_units(&[-1i32], &mut out).unwrap_err();
        assert_eq!(err.value, 0xFFFF_FFFF);
    }

    #[test]
    fn spec_vector() {
        let input: Vec<u16> = "treble clef\n _x0000_ _X0000_ \u{1D11E} café "
            .encode_utf16()
            .chain([0xD83C])
            .chain(" _x001G_".encode_utf16())
            .collect();
        assert_eq!(
            enc16(&input),
            "treble clef_x000A_ _x005F_x0000_ _x005F_X0000_ _xD834__xDD1E_ café _xD83C_ _x005F_x001G_"
        );
        assert_eq!(
            decode_escapes(&enc16(&input)).0,
            input,
            "decoding the spec's vector gives its input back"
        );
    }

    #[test]
    fn decoding_accepts_what_dotnet_accepts() {
        assert_eq!(decode_escapes("_x0041_"), "A");
        assert_eq!(decode_escapes("_X0041_"), "A");
        assert_eq!(decode_escapes("_x00e9_"), "é");
        assert_eq!(decode_escapes("_x0001F600_"), "\u{1F600}");
        assert_eq!(decode_escapes("_x005F_x0041_"), "_x0041_");
        // Not escapes: left as they stand.
        assert_eq!(decode_escapes("_x001G_"), "_x001G_");
        assert_eq!(decode_escapes("_x004"), "_x004");
        assert_eq!(decode_escapes("_x00110000_"), "_x00110000_");
        assert_eq!(decode_escapes("_y0041_"), "_y0041_");
        assert_eq!(decode_escapes("__x0041_"), "_A");
        assert_eq!(decode_escapes("_xD83C_").0, vec![0xD83C]);
    }
}
