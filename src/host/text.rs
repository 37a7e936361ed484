//! The strings a provider hands over, in the character type its module was
//! built with: `MI_CHAR_TYPE 1` (UTF-8 `char`) or 2 (`wchar_t`). One type,
//! [`ProviderText`], carries either, so that every slot of a context has one
//! shape whatever the character type.

use crate::mi::MI_Char;
use crate::psrp::text::{InvalidCodePoint, PsText, SourceText, Utf8Text};

/// A context's character type: what `MI_Char` is for its provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CharType {
    /// `MI_CHAR_TYPE 1`: UTF-8 `char` (OMI's default). Invalid sequences are
    /// decoded as .NET decodes them (each becomes U+FFFD), never refused.
    Utf8,
    /// `MI_CHAR_TYPE 2`: `wchar_t` (Microsoft's default): UTF-16 on Windows,
    /// UTF-32 elsewhere, where a value above 0x10FFFF is refused.
    Wide,
}

impl CharType {
    /// The type of a module whose `MI_Module.charSize` is `char_size`: 1 for
    /// UTF-8, `sizeof(wchar_t)` for wide; `None` for any other size.
    pub fn from_char_size(char_size: usize) -> Option<CharType> {
        match char_size {
            1 => Some(CharType::Utf8),
            n if n == size_of::<MI_Char>() => Some(CharType::Wide),
            _ => None,
        }
    }

    /// `sizeof(MI_Char)` for this type.
    pub fn char_size(self) -> usize {
        match self {
            CharType::Utf8 => 1,
            CharType::Wide => size_of::<MI_Char>(),
        }
    }
}

/// A provider's string, NUL excluded, in its context's character type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderText<'a> {
    /// From a UTF-8 provider.
    Utf8(Utf8Text<'a>),
    /// From a wide provider.
    Wide(&'a [MI_Char]),
}

impl<'a> ProviderText<'a> {
    /// UTF-8 bytes.
    pub fn utf8(bytes: &'a [u8]) -> Self {
        ProviderText::Utf8(Utf8Text(bytes))
    }

    /// The text as a Rust string: invalid UTF-8, lone surrogates and values
    /// above 0x10FFFF become U+FFFD. For what the host keeps (the result type
    /// and message of an ended operation), not for the wire.
    pub fn to_string_lossy(&self) -> String {
        match self {
            ProviderText::Utf8(t) => String::from_utf8_lossy(t.0).into_owned(),
            ProviderText::Wide(units) => wide_to_string_lossy(units),
        }
    }

    /// [`ProviderText::to_string_lossy`] without aborting when memory runs
    /// out: the string is reserved at its exact size first.
    pub fn try_to_string_lossy(&self) -> Result<String, std::collections::TryReserveError> {
        let mut out = String::new();
        match self {
            ProviderText::Utf8(t) => {
                let len =
                    t.0.utf8_chunks()
                        .map(|c| c.valid().len() + if c.invalid().is_empty() { 0 } else { 3 })
                        .sum();
                out.try_reserve_exact(len)?;
                for chunk in t.0.utf8_chunks() {
                    out.push_str(chunk.valid());
                    if !chunk.invalid().is_empty() {
                        out.push('\u{FFFD}');
                    }
                }
            }
            ProviderText::Wide(units) => {
                let s = wide_to_string_lossy_fallible(units)?;
                out = s;
            }
        }
        Ok(out)
    }

    /// Whether the text equals `ascii` (an ASCII string), ignoring ASCII case.
    pub fn eq_ignore_ascii_case(&self, ascii: &str) -> bool {
        match self {
            ProviderText::Utf8(t) => t.0.eq_ignore_ascii_case(ascii.as_bytes()),
            ProviderText::Wide(units) => {
                units.len() == ascii.len()
                    && units.iter().zip(ascii.bytes()).all(|(&u, b)| {
                        u32::try_from(u).is_ok_and(|u| u < 0x80)
                            && (u as u8).eq_ignore_ascii_case(&b)
                    })
            }
        }
    }
}

#[cfg(windows)]
fn wide_to_string_lossy(units: &[MI_Char]) -> String {
    String::from_utf16_lossy(units)
}

#[cfg(windows)]
fn wide_to_string_lossy_fallible(
    units: &[MI_Char],
) -> Result<String, std::collections::TryReserveError> {
    let mut out = String::new();
    out.try_reserve_exact(3 * units.len())?;
    out.extend(char::decode_utf16(units.iter().copied()).map(|c| c.unwrap_or('\u{FFFD}')));
    Ok(out)
}

#[cfg(not(windows))]
fn wide_char(u: MI_Char) -> char {
    u32::try_from(u)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or('\u{FFFD}')
}

#[cfg(not(windows))]
fn wide_to_string_lossy(units: &[MI_Char]) -> String {
    units.iter().map(|&u| wide_char(u)).collect()
}

#[cfg(not(windows))]
fn wide_to_string_lossy_fallible(
    units: &[MI_Char],
) -> Result<String, std::collections::TryReserveError> {
    let mut out = String::new();
    out.try_reserve_exact(units.iter().map(|&u| wide_char(u).len_utf8()).sum())?;
    out.extend(units.iter().map(|&u| wide_char(u)));
    Ok(out)
}

impl PsText for ProviderText<'_> {
    #[inline]
    fn is_empty(&self) -> bool {
        match self {
            ProviderText::Utf8(t) => t.is_empty(),
            ProviderText::Wide(t) => t.is_empty(),
        }
    }
    #[inline]
    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), InvalidCodePoint> {
        match self {
            ProviderText::Utf8(t) => t.encode_into(out),
            ProviderText::Wide(t) => t.encode_into(out),
        }
    }
}

impl SourceText for ProviderText<'_> {
    #[inline]
    fn check(&self) -> Result<(), InvalidCodePoint> {
        match self {
            ProviderText::Utf8(t) => t.check(),
            ProviderText::Wide(t) => t.check(),
        }
    }
    #[inline]
    fn copy_wtf8(&self, out: &mut Vec<u8>) {
        match self {
            ProviderText::Utf8(t) => t.copy_wtf8(out),
            ProviderText::Wide(t) => t.copy_wtf8(out),
        }
    }
    #[inline]
    fn max_encoded_len(&self) -> usize {
        match self {
            ProviderText::Utf8(t) => t.max_encoded_len(),
            ProviderText::Wide(t) => t.max_encoded_len(),
        }
    }
    #[inline]
    fn max_wtf8_len(&self) -> usize {
        match self {
            ProviderText::Utf8(t) => t.max_wtf8_len(),
            ProviderText::Wide(t) => t.max_wtf8_len(),
        }
    }
    fn encoded_len(&self) -> Result<usize, InvalidCodePoint> {
        match self {
            ProviderText::Utf8(t) => t.encoded_len(),
            ProviderText::Wide(t) => t.encoded_len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `s` as `wchar_t` units: UTF-16 where `wchar_t` is 2 bytes (Windows,
    /// above U+FFFF as surrogate pairs), UTF-32 where it is 4.
    fn wide(s: &str) -> Vec<MI_Char> {
        if size_of::<MI_Char>() == 2 {
            s.encode_utf16().map(|u| u as MI_Char).collect()
        } else {
            s.chars().map(|c| c as u32 as MI_Char).collect()
        }
    }

    #[test]
    fn char_sizes() {
        assert_eq!(CharType::from_char_size(1), Some(CharType::Utf8));
        assert_eq!(
            CharType::from_char_size(size_of::<MI_Char>()),
            Some(CharType::Wide)
        );
        assert_eq!(CharType::from_char_size(0), None);
        assert_eq!(CharType::from_char_size(3), None);
        assert_eq!(CharType::Utf8.char_size(), 1);
    }

    #[test]
    fn same_text_same_bytes_in_both_types() {
        let s = "café \u{1F600} _x0041_ <&> \t";
        let w = wide(s);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        ProviderText::utf8(s.as_bytes())
            .encode_into(&mut a)
            .unwrap();
        ProviderText::Wide(&w).encode_into(&mut b).unwrap();
        assert_eq!(a, b);
        assert_eq!(
            String::from_utf8(a).unwrap(),
            "café _xD83D__xDE00_ _x005F_x0041_ &lt;&amp;&gt; _x0009_"
        );
    }

    #[test]
    fn case_insensitive_ascii_comparison() {
        assert!(ProviderText::utf8(b"hResult").eq_ignore_ascii_case("HRESULT"));
        assert!(ProviderText::Wide(&wide("Win32")).eq_ignore_ascii_case("WIN32"));
        assert!(!ProviderText::Wide(&wide("Win3")).eq_ignore_ascii_case("WIN32"));
        assert!(!ProviderText::utf8(b"MI\xff").eq_ignore_ascii_case("MI?"));
        assert_eq!(
            ProviderText::utf8(b"a\xffb").to_string_lossy(),
            "a\u{FFFD}b"
        );
    }
}

/// One provider string of a known character type, as the C boundary hands it
/// to the write path (`S` is `&[MI_Char]` or [`Utf8Text`]): the write path is
/// compiled once per character type, with no per-string dispatch.
///
/// It is a tagged enum (`repr(u8)`, one variant, so matching it costs
/// nothing) rather than the bare slice because of what `Option` makes of it:
/// `Option<&[T]>` marks NULL with a null pointer and leaves the length
/// uninitialised, and an optimizer may test that length before the pointer —
/// harmless, but valgrind reports it in every host that runs it. An
/// `Option<Given<S>>` marks NULL in the tag, which is always written.
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Given<S> {
    /// The string.
    Text(S),
}

impl<S> Given<S> {
    #[inline(always)]
    fn get(&self) -> &S {
        match self {
            Given::Text(s) => s,
        }
    }
}

impl<S: PsText> PsText for Given<S> {
    #[inline(always)]
    fn is_empty(&self) -> bool {
        self.get().is_empty()
    }
    #[inline(always)]
    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), InvalidCodePoint> {
        self.get().encode_into(out)
    }
}

impl<S: SourceText> SourceText for Given<S> {
    #[inline(always)]
    fn check(&self) -> Result<(), InvalidCodePoint> {
        self.get().check()
    }
    #[inline(always)]
    fn copy_wtf8(&self, out: &mut Vec<u8>) {
        self.get().copy_wtf8(out)
    }
    #[inline(always)]
    fn max_wtf8_len(&self) -> usize {
        self.get().max_wtf8_len()
    }
    #[inline(always)]
    fn max_encoded_len(&self) -> usize {
        self.get().max_encoded_len()
    }
    #[inline(always)]
    fn encoded_len(&self) -> Result<usize, InvalidCodePoint> {
        self.get().encoded_len()
    }
}
