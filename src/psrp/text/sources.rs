//! The texts that encode: a UTF-8 provider's bytes ([`Utf8Text`]), WTF-8
//! ([`Wtf8Text`]), wide strings, Rust strings, pre-encoded text, and the
//! traits every writer takes them by ([`PsText`], [`SourceText`]).

use super::*;

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
