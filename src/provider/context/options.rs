//! Operation options: what the host passes with an operation (WS-Man option
//! sets, PowerShell's `-OperationOptions`), read by the provider with
//! `GetStringOption`, `GetNumberOption`, `GetCustomOption`,
//! `GetCustomOptionCount` and `GetCustomOptionAt`. Names compare ignoring
//! ASCII case. A missing name → `MI_RESULT_NO_SUCH_PROPERTY`; a string asked
//! as a number or the reverse → `MI_RESULT_TYPE_MISMATCH`; an index past the
//! end → `MI_RESULT_NO_SUCH_PROPERTY`; a NULL name or out-pointer →
//! `MI_RESULT_INVALID_PARAMETER`. The strings handed out stay valid until
//! the context is freed.

use std::sync::Mutex;

use super::{handle, live};
use crate::host::{CharType, MiError};
use crate::mi::{
    MI_Char, MI_Context, MI_RESULT_NO_SUCH_PROPERTY, MI_RESULT_TYPE_MISMATCH, MI_Result, MI_STRING,
    MI_Type, MI_UINT32, MI_Uint32, MI_Value,
};
use crate::provider::instance::value::{self, OwnedText};
use crate::provider::{code, guard};

/// An option's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionValue {
    /// A string option (`MI_STRING`).
    String(String),
    /// A number option (`MI_UINT32`).
    Number(u32),
}

struct Entry {
    name: String,
    name_text: OwnedText,
    value: OptionValue,
    text: Option<OwnedText>,
}

/// The options of one context. Entries are only added (a set replaces the
/// value by making a new entry and keeping the old text alive), so the
/// pointers handed to the provider stay valid.
#[derive(Default)]
pub(crate) struct Options {
    entries: Mutex<Vec<Entry>>,
}

// SAFETY: the texts' pointers point into memory the entries own.
unsafe impl Send for Entry {}

impl Options {
    /// Sets option `name` (a later set of the same name wins).
    pub(crate) fn set(&self, name: &str, value: OptionValue, ct: CharType) {
        let text = match &value {
            OptionValue::String(s) => Some(OwnedText::from_str(s, ct)),
            OptionValue::Number(_) => None,
        };
        let mut e = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        e.push(Entry {
            name: name.to_owned(),
            name_text: OwnedText::from_str(name, ct),
            value,
            text,
        });
    }

    /// The live entries: the last of each name, in first-set order.
    fn visible(entries: &[Entry]) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            match out
                .iter()
                .position(|&j| entries[j].name.eq_ignore_ascii_case(&e.name))
            {
                Some(p) => out[p] = i,
                None => out.push(i),
            }
        }
        out
    }

    fn with<R>(&self, f: impl FnOnce(&[Entry], Vec<usize>) -> R) -> R {
        let e = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let v = Self::visible(&e);
        f(&e, v)
    }
}

/// The (type, value) of an entry as MI gives it.
fn typed(e: &Entry) -> (MI_Type, [u8; 8]) {
    match (&e.value, &e.text) {
        (OptionValue::Number(n), _) => (MI_UINT32, u64::from(*n).to_le_bytes()),
        (OptionValue::String(_), Some(t)) => (MI_STRING, (t.as_ptr() as u64).to_le_bytes()),
        (OptionValue::String(_), None) => (MI_STRING, [0; 8]),
    }
}

fn find(
    c: *mut MI_Context,
    n: *const MI_Char,
    f: impl FnOnce(&Entry) -> Result<(), MiError>,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        if let Err(code) = unsafe { live(c) } {
            return code;
        }
        // SAFETY: as above; `live` checked it is ours.
        let h = unsafe { handle(c) }.expect("ours");
        if n.is_null() {
            return crate::mi::MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: non-NULL, NUL-terminated in the provider's type by MI's contract.
        let name = unsafe { value::units(n, h.ctx.char_type()) };
        code(h.options.with(|entries, vis| {
            let hit = vis.into_iter().rev().find(|&i| {
                // SAFETY: our own NUL-terminated name.
                unsafe { value::units(entries[i].name_text.as_ptr(), h.ctx.char_type()) }
                    .eq_name(name)
            });
            match hit {
                Some(i) => f(&entries[i]),
                None => Err(MiError::Code(
                    MI_RESULT_NO_SUCH_PROPERTY,
                    "no option has that name",
                )),
            }
        }))
    })
}

pub(super) unsafe extern "system" fn slot_get_string_option(
    c: *mut MI_Context,
    n: *const MI_Char,
    v: *mut *const MI_Char,
) -> MI_Result {
    find(c, n, |e| match (&e.text, v.is_null()) {
        (_, true) => Err(MiError::InvalidParameter("value is NULL")),
        (Some(t), false) => {
            // SAFETY: non-NULL, writable by MI's contract.
            unsafe { v.write(t.as_ptr()) };
            Ok(())
        }
        (None, false) => Err(MiError::Code(
            MI_RESULT_TYPE_MISMATCH,
            "the option is a number",
        )),
    })
}

pub(super) unsafe extern "system" fn slot_get_number_option(
    c: *mut MI_Context,
    n: *const MI_Char,
    v: *mut MI_Uint32,
) -> MI_Result {
    find(c, n, |e| match (&e.value, v.is_null()) {
        (_, true) => Err(MiError::InvalidParameter("value is NULL")),
        (OptionValue::Number(x), false) => {
            // SAFETY: non-NULL, writable.
            unsafe { v.write(*x) };
            Ok(())
        }
        _ => Err(MiError::Code(
            MI_RESULT_TYPE_MISMATCH,
            "the option is a string",
        )),
    })
}

/// Writes an entry's type and value through the out-pointers that are not NULL.
///
/// # Safety
/// Each pointer is NULL or writable.
unsafe fn answer(e: &Entry, t: *mut MI_Type, v: *mut MI_Value) {
    let (ty, bytes) = typed(e);
    // SAFETY: by the caller's contract.
    unsafe {
        if !t.is_null() {
            t.write(ty);
        }
        if !v.is_null() {
            let n = if ty == MI_UINT32 { 4 } else { 8 };
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), v.cast::<u8>(), n);
        }
    }
}

pub(super) unsafe extern "system" fn slot_get_custom_option(
    c: *mut MI_Context,
    n: *const MI_Char,
    t: *mut MI_Type,
    v: *mut MI_Value,
) -> MI_Result {
    find(c, n, |e| {
        // SAFETY: out-pointers NULL or writable, by MI's contract.
        unsafe { answer(e, t, v) };
        Ok(())
    })
}

pub(super) unsafe extern "system" fn slot_get_custom_option_count(
    c: *mut MI_Context,
    n: *mut MI_Uint32,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        if let Err(code) = unsafe { live(c) } {
            return code;
        }
        if n.is_null() {
            return crate::mi::MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: ours, checked by `live`.
        let h = unsafe { handle(c) }.expect("ours");
        let count = h.options.with(|_, vis| vis.len() as u32);
        // SAFETY: non-NULL, writable.
        unsafe { n.write(count) };
        crate::mi::MI_RESULT_OK
    })
}

pub(super) unsafe extern "system" fn slot_get_custom_option_at(
    c: *mut MI_Context,
    i: MI_Uint32,
    n: *mut *const MI_Char,
    t: *mut MI_Type,
    v: *mut MI_Value,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        if let Err(code) = unsafe { live(c) } {
            return code;
        }
        // SAFETY: ours, checked by `live`.
        let h = unsafe { handle(c) }.expect("ours");
        code(h.options.with(|entries, vis| {
            let e = vis
                .get(i as usize)
                .map(|&j| &entries[j])
                .ok_or(MiError::Code(
                    MI_RESULT_NO_SUCH_PROPERTY,
                    "no option at that index",
                ))?;
            // SAFETY: out-pointers NULL or writable, by MI's contract.
            unsafe {
                if !n.is_null() {
                    n.write(e.name_text.as_ptr());
                }
                answer(e, t, v);
            }
            Ok(())
        }))
    })
}
