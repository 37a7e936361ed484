//! `MI_Context_GetLocale` and the host's locales, in the context's character
//! type: UTF-8 bytes for a UTF-8 provider, `wchar_t` units for a wide one.

use std::sync::PoisonError;

use super::{Context, ENDED, MiError};
use crate::host::text::{CharType, ProviderText};
use crate::mi::{MI_Char, MI_MAX_LOCALE_SIZE};

/// The locale every context starts with, for every locale type.
pub const DEFAULT_LOCALE: &str = "en-US";

/// Number of `MI_LocaleType` values (`MI_LOCALE_TYPE_REQUESTED_UI` …
/// `MI_LOCALE_TYPE_CLOSEST_DATA`).
const LOCALE_TYPES: usize = 4;

/// A unit of a provider's `MI_Char` buffer: a byte or a `wchar_t`.
pub trait LocaleUnit: Copy {
    /// The unit of value `v` (a byte, a UTF-16 unit or a code point).
    fn from_u32(v: u32) -> Self;
}

impl LocaleUnit for u8 {
    fn from_u32(v: u32) -> Self {
        v as u8
    }
}

impl LocaleUnit for MI_Char {
    fn from_u32(v: u32) -> Self {
        v as MI_Char
    }
}

/// The host's four locales, as text, and the character type they are given
/// to the provider in.
pub(super) struct Locales {
    char_type: CharType,
    text: [String; LOCALE_TYPES],
}

impl Locales {
    pub(super) fn new(char_type: CharType) -> Self {
        Locales {
            char_type,
            text: std::array::from_fn(|_| DEFAULT_LOCALE.to_owned()),
        }
    }

    /// The units of `text` in the provider's character type.
    fn units(char_type: CharType, text: &str) -> impl Iterator<Item = u32> + '_ {
        let (bytes, wide) = match char_type {
            CharType::Utf8 => (Some(text.bytes().map(u32::from)), None),
            CharType::Wide => (None, Some(wide_units(text))),
        };
        bytes
            .into_iter()
            .flatten()
            .chain(wide.into_iter().flatten())
    }
}

#[cfg(windows)]
fn wide_units(text: &str) -> impl Iterator<Item = u32> + '_ {
    text.encode_utf16().map(u32::from)
}

#[cfg(not(windows))]
fn wide_units(text: &str) -> impl Iterator<Item = u32> + '_ {
    text.chars().map(u32::from)
}

fn locale_slot(locale_type: u32) -> Result<usize, MiError> {
    match locale_type as usize {
        t if t < LOCALE_TYPES => Ok(t),
        _ => Err(MiError::InvalidParameter("unknown locale type")),
    }
}

impl Context {
    /// Sets the host's locale of `locale_type` (`MI_LOCALE_TYPE_*`): 1 to 127
    /// units of the context's character type (bytes for UTF-8), no NUL. An
    /// unknown type or a bad length → [`MiError::InvalidParameter`].
    pub fn set_locale(&self, locale_type: u32, locale: ProviderText<'_>) -> Result<(), MiError> {
        let slot = locale_slot(locale_type)?;
        let text = locale.to_string_lossy();
        let len = Locales::units(self.char_type, &text).count();
        if len == 0 || len >= MI_MAX_LOCALE_SIZE || text.contains('\0') {
            return Err(MiError::InvalidParameter(
                "a locale is 1 to 127 characters with no NUL",
            ));
        }
        let mut locales = self.locales.write().unwrap_or_else(PoisonError::into_inner);
        locales.text[slot] = text;
        Ok(())
    }

    /// Copies the locale of `locale_type`, NUL-terminated, into `out` (the
    /// provider's `MI_MAX_LOCALE_SIZE` buffer, of bytes for a UTF-8 context,
    /// of `MI_Char` for a wide one). An ended operation → [`MiError::Failed`],
    /// then an unknown type → [`MiError::InvalidParameter`].
    pub fn get_locale<T: LocaleUnit>(
        &self,
        locale_type: u32,
        out: &mut [T; MI_MAX_LOCALE_SIZE],
    ) -> Result<(), MiError> {
        if self.is_ended() {
            return Err(ENDED);
        }
        let slot = locale_slot(locale_type)?;
        let locales = self.locales.read().unwrap_or_else(PoisonError::into_inner);
        let mut n = 0;
        for unit in Locales::units(locales.char_type, &locales.text[slot]) {
            out[n] = T::from_u32(unit);
            n += 1;
        }
        out[n] = T::from_u32(0);
        Ok(())
    }
}
