//! Provider modules and their instances: the layer where MI's memory layout
//! meets safe Rust. It holds the raw pointers MI requires — the `MI_Context`
//! function table, `MI_Instance`s over a class's generated layout, loaded
//! modules — and nothing above it sees them: the host layer below works on
//! owned values ([`crate::psrp::cim`]), the C functions above ([`crate::ffi`])
//! stay thin.
//!
//! | concept | module |
//! |---|---|
//! | the `MI_Context` table (every slot) | [`context`] |
//! | `MI_Instance` over the generated layout | [`instance`] |
//! | loading modules, class Load/Unload | [`module`] |
//! | running operations | [`operation`] |
//! | a module's classes for value conversion | [`schema`] |
//! | `MI_PropertySet` | [`sets`] |
//! | `MI_Filter` (a WQL subset) | [`filter`] |
//! | the string reader of each character type, panic guard | this file |

pub mod context;
pub mod filter;
pub mod instance;
pub mod module;
pub mod operation;
pub mod schema;
pub mod sets;

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::host::{CharType, Given, MiError, ProviderText};
use crate::mi::{MI_Char, MI_RESULT_FAILED, MI_RESULT_OK, MI_Result};
use crate::psrp::text::Utf8Text;

/// Runs `f`, turning a panic into `MI_RESULT_FAILED`.
///
/// Every state a panic can interrupt is either behind a lock whose data is
/// updated only after the fallible work (so it stays consistent), or local to
/// the call; hence `AssertUnwindSafe`.
pub(crate) fn guard(f: impl FnOnce() -> MI_Result) -> MI_Result {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(MI_RESULT_FAILED)
}

/// Runs `f` for a function that returns nothing, swallowing a panic.
pub(crate) fn guard_void(f: impl FnOnce()) {
    let _ = catch_unwind(AssertUnwindSafe(f));
}

/// The `MI_Result` of a host call.
pub(crate) fn code(r: Result<(), MiError>) -> MI_Result {
    match r {
        Ok(()) => MI_RESULT_OK,
        Err(e) => e.code(),
    }
}

/// A provider's NUL-terminated string in its context's character type: the
/// one string reader of every slot, built on the two below. `None` for NULL.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string of `char_type` units
/// (bytes for UTF-8, `wchar_t` for wide) that stays valid and unchanged for `'a`.
pub(crate) unsafe fn text<'a>(p: *const MI_Char, char_type: CharType) -> Option<ProviderText<'a>> {
    match char_type {
        // SAFETY: forwarded; see this function's contract.
        CharType::Utf8 => unsafe { utf8_text(p) }.map(|Given::Text(t)| ProviderText::Utf8(t)),
        // SAFETY: forwarded; see this function's contract.
        CharType::Wide => unsafe { wide_text(p) }.map(|Given::Text(t)| ProviderText::Wide(t)),
    }
}

/// A UTF-8 provider's NUL-terminated string; `None` for NULL (see
/// [`Given`] for why it is wrapped).
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated byte string valid and unchanged for `'a`.
#[inline]
pub(crate) unsafe fn utf8_text<'a>(p: *const MI_Char) -> Option<Given<Utf8Text<'a>>> {
    if p.is_null() {
        return None;
    }
    let p = p.cast::<libc::c_char>();
    // SAFETY: the caller guarantees a NUL-terminated byte string at `p`.
    let len = unsafe { libc::strlen(p) };
    // SAFETY: `len` bytes before the NUL are readable, as strlen just read them.
    Some(Given::Text(Utf8Text(unsafe {
        std::slice::from_raw_parts(p.cast::<u8>(), len)
    })))
}

/// A wide provider's NUL-terminated string; `None` for NULL (see [`Given`]
/// for why it is wrapped).
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated `wchar_t` string valid and unchanged for `'a`.
#[inline]
pub(crate) unsafe fn wide_text<'a>(p: *const MI_Char) -> Option<Given<&'a [MI_Char]>> {
    if p.is_null() {
        return None;
    }
    // SAFETY: the caller guarantees a NUL-terminated wide string at `p`.
    let len = unsafe { libc::wcslen(p) };
    // SAFETY: `len` units before the NUL are readable, as wcslen just read them.
    Some(Given::Text(unsafe { std::slice::from_raw_parts(p, len) }))
}

/// A NUL-terminated C string as `&str`; `None` for NULL or invalid UTF-8.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn c_str<'a>(p: *const libc::c_char) -> Option<&'a str> {
    if p.is_null() {
        return None;
    }
    // SAFETY: the caller guarantees a NUL-terminated string at `p`.
    unsafe { std::ffi::CStr::from_ptr(p) }.to_str().ok()
}
