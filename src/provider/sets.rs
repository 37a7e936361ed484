//! `MI_PropertySet`: the properties a client asked a Get or an Enumerate
//! for (mi-psrp hands a provider one when the host names properties). The
//! filter an Enumerate receives is in [`super::filter`].

#![allow(non_snake_case)]

use std::ptr;

use super::guard;
use super::instance::value::{self, OwnedText};
use crate::host::CharType;
use crate::mi::{
    MI_Boolean, MI_Char, MI_FALSE, MI_PropertySet, MI_PropertySetFT, MI_RESULT_INVALID_PARAMETER,
    MI_RESULT_NOT_FOUND, MI_RESULT_NOT_SUPPORTED, MI_RESULT_OK, MI_Result, MI_TRUE, MI_Uint32,
};

/// A property set of ours: the `MI_PropertySet` first, then its names.
#[repr(C)]
pub struct PropertySet {
    mi: MI_PropertySet,
    ct: CharType,
    names: Vec<OwnedText>,
}

impl PropertySet {
    /// A set of `names` in character type `ct`.
    pub fn new(names: &[&str], ct: CharType) -> Box<PropertySet> {
        let mut b = Box::new(PropertySet {
            mi: MI_PropertySet {
                ft: &PROPERTY_SET_FT,
                reserved: [0; 3],
            },
            ct,
            names: names.iter().map(|n| OwnedText::from_str(n, ct)).collect(),
        });
        b.mi.reserved[0] = (&raw const *b) as isize;
        b
    }

    /// The `MI_PropertySet` a provider is given.
    pub fn as_ptr(&self) -> *const MI_PropertySet {
        &self.mi
    }
}

/// # Safety
/// `p` is NULL or a readable `MI_PropertySet`.
unsafe fn ours<'a>(p: *const MI_PropertySet) -> Option<&'a mut PropertySet> {
    // SAFETY: NULL or readable.
    let s = unsafe { p.as_ref() }?;
    if !ptr::eq(s.ft, &PROPERTY_SET_FT) || s.reserved[0] != p as isize {
        return None;
    }
    // SAFETY: ours: `p` is the first field of a live PropertySet.
    Some(unsafe { &mut *(p as *mut PropertySet) })
}

unsafe extern "system" fn ps_count(s: *const MI_PropertySet, n: *mut MI_Uint32) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the set it was given.
        match (unsafe { ours(s) }, n.is_null()) {
            (Some(s), false) => {
                // SAFETY: non-NULL, writable.
                unsafe { n.write(s.names.len() as u32) };
                MI_RESULT_OK
            }
            _ => MI_RESULT_INVALID_PARAMETER,
        }
    })
}

unsafe extern "system" fn ps_contains(
    s: *const MI_PropertySet,
    name: *const MI_Char,
    result: *mut MI_Boolean,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the set it was given.
        let Some(s) = (unsafe { ours(s) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        if name.is_null() || result.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: NUL-terminated in the set's type, by MI's contract.
        let want = unsafe { value::units(name, s.ct) };
        let found = s
            .names
            .iter()
            // SAFETY: our own NUL-terminated names.
            .any(|n| unsafe { value::units(n.as_ptr(), s.ct) }.eq_name(want));
        // SAFETY: non-NULL, writable.
        unsafe { result.write(if found { MI_TRUE } else { MI_FALSE }) };
        MI_RESULT_OK
    })
}

unsafe extern "system" fn ps_add(s: *mut MI_PropertySet, name: *const MI_Char) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the set it was given.
        let Some(s) = (unsafe { ours(s) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        if name.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: NUL-terminated in the set's type.
        s.names.push(unsafe { OwnedText::copy(name, s.ct) });
        MI_RESULT_OK
    })
}

unsafe extern "system" fn ps_at(
    s: *const MI_PropertySet,
    index: MI_Uint32,
    name: *mut *const MI_Char,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the set it was given.
        let Some(s) = (unsafe { ours(s) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        if name.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        match s.names.get(index as usize) {
            Some(n) => {
                // SAFETY: non-NULL, writable.
                unsafe { name.write(n.as_ptr()) };
                MI_RESULT_OK
            }
            None => MI_RESULT_NOT_FOUND,
        }
    })
}

unsafe extern "system" fn ps_clear(s: *mut MI_PropertySet) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the set it was given.
        match unsafe { ours(s) } {
            Some(s) => {
                s.names.clear();
                MI_RESULT_OK
            }
            None => MI_RESULT_INVALID_PARAMETER,
        }
    })
}

unsafe extern "system" fn ps_destruct(s: *mut MI_PropertySet) -> MI_Result {
    // The host owns the sets it hands out and frees them after the operation.
    let _ = s;
    MI_RESULT_NOT_SUPPORTED
}

unsafe extern "system" fn ps_clone(
    s: *const MI_PropertySet,
    out: *mut *mut MI_PropertySet,
) -> MI_Result {
    let _ = (s, out);
    MI_RESULT_NOT_SUPPORTED
}

/// The table of mi-psrp's property sets.
pub static PROPERTY_SET_FT: MI_PropertySetFT = MI_PropertySetFT {
    GetElementCount: Some(ps_count),
    ContainsElement: Some(ps_contains),
    AddElement: Some(ps_add),
    GetElementAt: Some(ps_at),
    Clear: Some(ps_clear),
    Destruct: Some(ps_destruct),
    Delete: Some(ps_destruct),
    Clone: Some(ps_clone),
};
