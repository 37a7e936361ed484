//! `MI_InstanceFT`: the table of every instance mi-psrp makes. Each slot
//! catches panics, checks its pointers, and calls [`super`] / [`super::element`].
//!
//! Results (beyond `MI_RESULT_OK`): a NULL, foreign, destructed or copied
//! instance, a NULL out-pointer or name → `MI_RESULT_INVALID_PARAMETER`; an
//! index or name the instance lacks → `MI_RESULT_NO_SUCH_PROPERTY`; a type
//! other than the element's → `MI_RESULT_TYPE_MISMATCH`; `AddElement` of an
//! existing name → `MI_RESULT_ALREADY_EXISTS`, on a class instance →
//! `MI_RESULT_NOT_SUPPORTED`; `GetClass` → `MI_RESULT_NOT_SUPPORTED`. A
//! failing call changes nothing (`docs/bad-input.md`).

#![allow(non_snake_case)]

use std::ptr;

use super::element;
use super::value::OwnedText;
use crate::host::MiError;
use crate::mi::{
    MI_Boolean, MI_Char, MI_Class, MI_ClassDecl, MI_FALSE, MI_Instance, MI_InstanceFT,
    MI_RESULT_INVALID_PARAMETER, MI_RESULT_NOT_SUPPORTED, MI_RESULT_OK, MI_Result, MI_TRUE,
    MI_Type, MI_Uint32, MI_Value,
};
use crate::provider::guard;

fn code(r: Result<(), MiError>) -> MI_Result {
    match r {
        Ok(()) => MI_RESULT_OK,
        Err(e) => e.code(),
    }
}

unsafe extern "system" fn slot_clone(
    self_: *const MI_Instance,
    newInstance: *mut *mut MI_Instance,
) -> MI_Result {
    guard(|| {
        if newInstance.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: the provider passes an instance it holds.
        match unsafe { element::clone(self_, 0) } {
            Ok(c) => {
                // SAFETY: non-NULL, writable by MI's contract.
                unsafe { newInstance.write(c.into_raw()) };
                MI_RESULT_OK
            }
            Err(e) => e.code(),
        }
    })
}

unsafe extern "system" fn slot_destruct(self_: *mut MI_Instance) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes an instance it holds and no longer uses.
        match unsafe { super::destruct(self_) } {
            Ok(_) => MI_RESULT_OK,
            Err(code) => code,
        }
    })
}

unsafe extern "system" fn slot_delete(self_: *mut MI_Instance) -> MI_Result {
    guard(|| {
        // SAFETY: as for Destruct.
        match unsafe { super::delete(self_) } {
            Ok(()) => MI_RESULT_OK,
            Err(code) => code,
        }
    })
}

unsafe extern "system" fn slot_is_a(
    self_: *const MI_Instance,
    classDecl: *const MI_ClassDecl,
    flag: *mut MI_Boolean,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes an instance it holds.
        if flag.is_null() || classDecl.is_null() || unsafe { super::record(self_) }.is_none() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: checked above; `classDecl` is a declaration by MI's contract.
        let is = unsafe { super::is_a(self_, classDecl) };
        // SAFETY: non-NULL and writable.
        unsafe { flag.write(if is { MI_TRUE } else { MI_FALSE }) };
        MI_RESULT_OK
    })
}

unsafe extern "system" fn slot_get_class_name(
    self_: *const MI_Instance,
    className: *mut *const MI_Char,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes an instance it holds.
        if className.is_null() || unsafe { super::record(self_) }.is_none() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: ours: a checked declaration with a name (a method's for parameters).
        unsafe { className.write((*(*self_).classDecl).name) };
        MI_RESULT_OK
    })
}

/// Sets the namespace or server name (`which` picks one) to a copy of `text`.
fn set_text(self_: *mut MI_Instance, text: *const MI_Char, server: bool) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes an instance it holds.
        let Some(rec) = (unsafe { super::record(self_) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        // SAFETY: NULL or NUL-terminated in the instance's type, by MI's contract.
        let t = (!text.is_null()).then(|| unsafe { OwnedText::copy(text, rec.char_type) });
        if server {
            rec.set_server_name(self_, t);
        } else {
            rec.set_namespace(self_, t);
        }
        MI_RESULT_OK
    })
}

/// Writes the namespace or server name (NULL, or the record's text) through `out`.
fn get_text(self_: *const MI_Instance, out: *mut *const MI_Char, server: bool) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes an instance it holds.
        if out.is_null() || unsafe { super::record(self_) }.is_none() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: ours; each pointer is NULL or the record's text; `out` writable.
        unsafe {
            out.write(if server {
                (*self_).serverName
            } else {
                (*self_).nameSpace
            })
        };
        MI_RESULT_OK
    })
}

unsafe extern "system" fn slot_set_name_space(
    self_: *mut MI_Instance,
    nameSpace: *const MI_Char,
) -> MI_Result {
    set_text(self_, nameSpace, false)
}

unsafe extern "system" fn slot_get_name_space(
    self_: *const MI_Instance,
    nameSpace: *mut *const MI_Char,
) -> MI_Result {
    get_text(self_, nameSpace, false)
}

unsafe extern "system" fn slot_get_element_count(
    self_: *const MI_Instance,
    count: *mut MI_Uint32,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes an instance it holds.
        let Some(rec) = (unsafe { super::record(self_) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        if count.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: non-NULL and writable.
        unsafe { count.write(rec.count(self_)) };
        MI_RESULT_OK
    })
}

unsafe extern "system" fn slot_add_element(
    self_: *mut MI_Instance,
    name: *const MI_Char,
    value: *const MI_Value,
    r#type: MI_Type,
    flags: MI_Uint32,
) -> MI_Result {
    // SAFETY: the provider's instance, name and value, by MI's contract.
    guard(|| code(unsafe { element::add(self_, name, value, r#type, flags) }))
}

unsafe extern "system" fn slot_set_element(
    self_: *mut MI_Instance,
    name: *const MI_Char,
    value: *const MI_Value,
    r#type: MI_Type,
    flags: MI_Uint32,
) -> MI_Result {
    // SAFETY: as for AddElement.
    guard(|| code(unsafe { element::set(self_, name, value, r#type, flags) }))
}

unsafe extern "system" fn slot_set_element_at(
    self_: *mut MI_Instance,
    index: MI_Uint32,
    value: *const MI_Value,
    r#type: MI_Type,
    flags: MI_Uint32,
) -> MI_Result {
    // SAFETY: as for AddElement.
    guard(|| code(unsafe { element::set_at(self_, index, value, r#type, flags, 0) }))
}

/// Writes what `GetElement(At)` found through the out-pointers that are not NULL.
///
/// # Safety
/// Each pointer is NULL or writable for its type.
unsafe fn answer(
    got: &element::Got,
    name: *mut *const MI_Char,
    value: *mut MI_Value,
    ty: *mut MI_Type,
    flags: *mut MI_Uint32,
) {
    // SAFETY: each non-NULL pointer is writable, by the caller's contract.
    unsafe {
        if !name.is_null() {
            name.write(got.name);
        }
        if !value.is_null() {
            ptr::copy_nonoverlapping(got.value.as_ptr(), value.cast::<u8>(), got.value.len());
        }
        if !ty.is_null() {
            ty.write(got.ty);
        }
        if !flags.is_null() {
            flags.write(got.flags);
        }
    }
}

unsafe extern "system" fn slot_get_element(
    self_: *const MI_Instance,
    name: *const MI_Char,
    value: *mut MI_Value,
    r#type: *mut MI_Type,
    flags: *mut MI_Uint32,
    index: *mut MI_Uint32,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider's instance and name, by MI's contract.
        match unsafe { element::get(self_, name) } {
            Ok((got, i)) => {
                // SAFETY: out-pointers NULL or writable, by MI's contract.
                unsafe {
                    answer(&got, ptr::null_mut(), value, r#type, flags);
                    if !index.is_null() {
                        index.write(i);
                    }
                }
                MI_RESULT_OK
            }
            Err(e) => e.code(),
        }
    })
}

unsafe extern "system" fn slot_get_element_at(
    self_: *const MI_Instance,
    index: MI_Uint32,
    name: *mut *const MI_Char,
    value: *mut MI_Value,
    r#type: *mut MI_Type,
    flags: *mut MI_Uint32,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider's instance, by MI's contract.
        match unsafe { element::get_at(self_, index) } {
            Ok(got) => {
                // SAFETY: out-pointers NULL or writable, by MI's contract.
                unsafe { answer(&got, name, value, r#type, flags) };
                MI_RESULT_OK
            }
            Err(e) => e.code(),
        }
    })
}

unsafe extern "system" fn slot_clear_element(
    self_: *mut MI_Instance,
    name: *const MI_Char,
) -> MI_Result {
    // SAFETY: the provider's instance and name, by MI's contract.
    guard(|| code(unsafe { element::clear(self_, name) }))
}

unsafe extern "system" fn slot_clear_element_at(
    self_: *mut MI_Instance,
    index: MI_Uint32,
) -> MI_Result {
    // SAFETY: the provider's instance, by MI's contract.
    guard(|| code(unsafe { element::clear_at(self_, index) }))
}

unsafe extern "system" fn slot_get_server_name(
    self_: *const MI_Instance,
    name: *mut *const MI_Char,
) -> MI_Result {
    get_text(self_, name, true)
}

unsafe extern "system" fn slot_set_server_name(
    self_: *mut MI_Instance,
    name: *const MI_Char,
) -> MI_Result {
    set_text(self_, name, true)
}

unsafe extern "system" fn slot_get_class(
    self_: *const MI_Instance,
    instanceClass: *mut *mut MI_Class,
) -> MI_Result {
    let _ = (self_, instanceClass);
    MI_RESULT_NOT_SUPPORTED
}

/// The table of every instance mi-psrp makes: no slot is NULL.
pub static INSTANCE_FT: MI_InstanceFT = MI_InstanceFT {
    Clone: Some(slot_clone),
    Destruct: Some(slot_destruct),
    Delete: Some(slot_delete),
    IsA: Some(slot_is_a),
    GetClassName: Some(slot_get_class_name),
    SetNameSpace: Some(slot_set_name_space),
    GetNameSpace: Some(slot_get_name_space),
    GetElementCount: Some(slot_get_element_count),
    AddElement: Some(slot_add_element),
    SetElement: Some(slot_set_element),
    SetElementAt: Some(slot_set_element_at),
    GetElement: Some(slot_get_element),
    GetElementAt: Some(slot_get_element_at),
    ClearElement: Some(slot_clear_element),
    ClearElementAt: Some(slot_clear_element_at),
    GetServerName: Some(slot_get_server_name),
    SetServerName: Some(slot_set_server_name),
    GetClass: Some(slot_get_class),
};
