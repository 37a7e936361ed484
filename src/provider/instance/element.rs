//! Setting, reading and clearing an instance's elements, and cloning: the
//! work behind `SetElement(At)`, `GetElement(At)`, `ClearElement(At)`,
//! `AddElement` and `Clone`. A set either completes or changes nothing: the
//! new value (and every copy it needs) is made before the field is written,
//! and what the field owned before is freed after.

use std::ptr;

use super::value::{self, MAX_VALUE_SIZE, Owned, OwnedText, Units};
use super::{Element, HeapInstance, Kind, MAX_DEPTH, record};
use crate::host::MiError;
use crate::mi::{
    MI_ARRAY, MI_Array, MI_Char, MI_FLAG_ADOPT, MI_FLAG_BORROW, MI_FLAG_NULL, MI_INSTANCE,
    MI_INSTANCEA, MI_Instance, MI_REFERENCE, MI_REFERENCEA, MI_RESULT_NO_SUCH_PROPERTY,
    MI_RESULT_TYPE_MISMATCH, MI_STRING, MI_STRINGA, MI_Type, MI_Value,
};

/// The most elements an array value may have.
pub const MAX_ARRAY_LEN: u32 = 1 << 24;

const NOT_OURS: MiError = MiError::InvalidParameter(
    "not an instance of this library (NULL, foreign, destructed, or a copy of one)",
);

/// A value ready to be written into a field: its bytes and what it owns.
struct Made {
    bytes: [u8; MAX_VALUE_SIZE],
    owned: Option<Owned>,
}

/// The element at `index`, or `MI_RESULT_NO_SUCH_PROPERTY`.
fn element_at(
    rec: &super::Record,
    inst: *const MI_Instance,
    index: u32,
) -> Result<Element, MiError> {
    rec.element(inst, index).ok_or(MiError::Code(
        MI_RESULT_NO_SUCH_PROPERTY,
        "the index is past the instance's last element",
    ))
}

/// `SetElementAt`: sets element `index` to `value` of type `ty` with
/// `flags` (`MI_FLAG_NULL`, `MI_FLAG_BORROW`, `MI_FLAG_ADOPT`). A NULL
/// `value` or `MI_FLAG_NULL` makes the element null.
///
/// Errors, nothing changed: not ours → `InvalidParameter`; index past the
/// end → `MI_RESULT_NO_SUCH_PROPERTY`; `ty` not the element's declared type,
/// or an embedded instance not of the declared class →
/// `MI_RESULT_TYPE_MISMATCH`; an array whose data is NULL with a size, an
/// instance value that is not one of ours or of another character type, too
/// deep → `InvalidParameter`.
///
/// # Safety
/// `inst` is NULL or readable; `value` is NULL or an `MI_Value` of type `ty`
/// whose pointers are NULL or valid for their type.
pub(crate) unsafe fn set_at(
    inst: *mut MI_Instance,
    index: u32,
    value: *const MI_Value,
    ty: MI_Type,
    flags: u32,
    depth: usize,
) -> Result<(), MiError> {
    // SAFETY: forwarded.
    let rec = unsafe { record(inst) }.ok_or(NOT_OURS)?;
    let e = element_at(rec, inst, index)?;
    if e.field.is_null() {
        return Err(MiError::InvalidParameter(
            "a streamed parameter has no field: WriteStreamParameter sends its items",
        ));
    }
    if ty != e.ty {
        return Err(MiError::Code(
            MI_RESULT_TYPE_MISMATCH,
            "the type is not the element's declared type",
        ));
    }
    let made = if value.is_null() || flags & MI_FLAG_NULL as u32 != 0 {
        None
    } else {
        // SAFETY: forwarded.
        unsafe { make(value, ty, flags, rec.char_type, e.class_name, depth)? }
    };
    let size = value::value_size(ty).unwrap_or(0);
    // SAFETY: `e.field` is a field of type `ty` inside the instance.
    unsafe {
        match &made {
            Some(m) => ptr::copy_nonoverlapping(m.bytes.as_ptr(), e.field, size),
            None => ptr::write_bytes(e.field, 0, size),
        }
        *e.field.add(size) = u8::from(made.is_some());
        *e.field.add(size + 1) = 0;
    }
    rec.own(index, made.and_then(|m| m.owned));
    Ok(())
}

/// `SetElement`: [`set_at`] by name.
///
/// # Safety
/// As for [`set_at`]; `name` is NULL or NUL-terminated in the instance's type.
pub(crate) unsafe fn set(
    inst: *mut MI_Instance,
    name: *const MI_Char,
    value: *const MI_Value,
    ty: MI_Type,
    flags: u32,
) -> Result<(), MiError> {
    // SAFETY: forwarded.
    let index = unsafe { index_of(inst, name)? };
    // SAFETY: forwarded.
    unsafe { set_at(inst, index, value, ty, flags, 0) }
}

/// `AddElement`: adds an element to a dynamic instance and sets it.
///
/// # Safety
/// As for [`set`].
pub(crate) unsafe fn add(
    inst: *mut MI_Instance,
    name: *const MI_Char,
    value: *const MI_Value,
    ty: MI_Type,
    flags: u32,
) -> Result<(), MiError> {
    // SAFETY: forwarded.
    let rec = unsafe { record(inst) }.ok_or(NOT_OURS)?;
    // SAFETY: forwarded.
    let name = unsafe { name_units(name, rec.char_type)? };
    // Every check first: a value adopted (MI_FLAG_ADOPT) must not be freed
    // by a call that then fails — the caller still owns it.
    rec.check_add(inst, name, ty)?;
    // Then the value, before the element exists, so that a bad value adds nothing.
    let made = if value.is_null() || flags & MI_FLAG_NULL as u32 != 0 {
        None
    } else {
        if value::value_size(ty).is_none() {
            return Err(MiError::InvalidParameter("the type is not an MI_Type"));
        }
        // SAFETY: forwarded.
        unsafe { make(value, ty, flags, rec.char_type, ptr::null(), 0)? }
    };
    let index = rec
        .add_dynamic(inst, name, ty, flags)
        .expect("checked: adding cannot fail");
    let e = rec.element(inst, index).expect("just added");
    if let Some(m) = made {
        let size = value::value_size(ty).unwrap_or(0);
        // SAFETY: the new element's field cell holds a field of type `ty`.
        unsafe {
            ptr::copy_nonoverlapping(m.bytes.as_ptr(), e.field, size);
            *e.field.add(size) = 1;
        }
        rec.own(index, m.owned);
    }
    Ok(())
}

/// The index of the element named `name` (ignoring ASCII case): NULL name →
/// `InvalidParameter`, no such element → `MI_RESULT_NO_SUCH_PROPERTY`.
///
/// # Safety
/// `inst` is NULL or readable; `name` is NULL or NUL-terminated in its type.
unsafe fn index_of(inst: *const MI_Instance, name: *const MI_Char) -> Result<u32, MiError> {
    // SAFETY: forwarded.
    let rec = unsafe { record(inst) }.ok_or(NOT_OURS)?;
    // SAFETY: forwarded.
    let name = unsafe { name_units(name, rec.char_type)? };
    rec.find(inst, name).ok_or(MiError::Code(
        MI_RESULT_NO_SUCH_PROPERTY,
        "no element has that name",
    ))
}

/// A name given by a provider: NULL → `InvalidParameter`.
///
/// # Safety
/// `name` is NULL or NUL-terminated in `ct`.
pub(crate) unsafe fn name_units<'a>(
    name: *const MI_Char,
    ct: crate::host::CharType,
) -> Result<Units<'a>, MiError> {
    if name.is_null() {
        return Err(MiError::InvalidParameter("the name is NULL"));
    }
    // SAFETY: non-NULL and NUL-terminated, by the caller's contract.
    Ok(unsafe { value::units(name, ct) })
}

/// `ClearElementAt`: makes element `index` null and frees what it owned.
///
/// # Safety
/// `inst` is NULL or readable.
pub(crate) unsafe fn clear_at(inst: *mut MI_Instance, index: u32) -> Result<(), MiError> {
    // SAFETY: forwarded; a NULL value clears.
    let ty = {
        // SAFETY: forwarded.
        let rec = unsafe { record(inst) }.ok_or(NOT_OURS)?;
        element_at(rec, inst, index)?.ty
    };
    // SAFETY: forwarded; a NULL value makes the element null.
    unsafe { set_at(inst, index, ptr::null(), ty, 0, 0) }
}

/// `ClearElement`: [`clear_at`] by name.
///
/// # Safety
/// As for [`clear_at`]; `name` is NULL or NUL-terminated.
pub(crate) unsafe fn clear(inst: *mut MI_Instance, name: *const MI_Char) -> Result<(), MiError> {
    // SAFETY: forwarded.
    let index = unsafe { index_of(inst, name)? };
    // SAFETY: forwarded.
    unsafe { clear_at(inst, index) }
}

/// What `GetElementAt` answers: the name, the value (its pointers are the
/// instance's, valid until the element changes), the type and the flags
/// (the declaration's, with `MI_FLAG_NULL` for a null element).
pub(crate) struct Got {
    pub(crate) name: *const MI_Char,
    pub(crate) value: [u8; MAX_VALUE_SIZE],
    pub(crate) ty: MI_Type,
    pub(crate) flags: u32,
}

/// `GetElementAt`.
///
/// # Safety
/// `inst` is NULL or readable.
pub(crate) unsafe fn get_at(inst: *const MI_Instance, index: u32) -> Result<Got, MiError> {
    // SAFETY: forwarded.
    let rec = unsafe { record(inst) }.ok_or(NOT_OURS)?;
    let e = element_at(rec, inst, index)?;
    let size = value::value_size(e.ty).unwrap_or(0);
    let mut v = [0u8; MAX_VALUE_SIZE];
    let exists = e.exists();
    if exists {
        // SAFETY: the field holds `size` bytes of value (exists: it has a field).
        unsafe { ptr::copy_nonoverlapping(e.field, v.as_mut_ptr(), size) };
    }
    let mut flags = e.decl_flags;
    if !exists {
        flags |= MI_FLAG_NULL as u32;
    }
    Ok(Got {
        name: e.name,
        value: v,
        ty: e.ty,
        flags,
    })
}

/// `GetElement`: [`get_at`] by name, with the index.
///
/// # Safety
/// As for [`get_at`]; `name` is NULL or NUL-terminated.
pub(crate) unsafe fn get(
    inst: *const MI_Instance,
    name: *const MI_Char,
) -> Result<(Got, u32), MiError> {
    // SAFETY: forwarded.
    let index = unsafe { index_of(inst, name)? };
    // SAFETY: forwarded.
    Ok((unsafe { get_at(inst, index)? }, index))
}

/// `Clone`: a deep copy on the heap (values copied, embedded instances
/// cloned, namespace and server name copied).
///
/// # Safety
/// `inst` is NULL or readable.
pub(crate) unsafe fn clone(
    inst: *const MI_Instance,
    depth: usize,
) -> Result<HeapInstance, MiError> {
    if depth > MAX_DEPTH {
        return Err(MiError::InvalidParameter(
            "embedded instances nest too deep (or form a cycle)",
        ));
    }
    // SAFETY: forwarded.
    let rec = unsafe { record(inst) }.ok_or(NOT_OURS)?;
    let ct = rec.char_type;
    let copy = match &rec.kind {
        // SAFETY: ours: a checked declaration that outlives the instance.
        Kind::Class => unsafe { super::new_instance((*inst).classDecl, ct)? },
        // SAFETY: as above.
        Kind::Parameters(m) => unsafe { super::new_parameters(*m, ct)? },
        Kind::Dynamic(_) => {
            // SAFETY: a dynamic instance's declaration has its name.
            let name = unsafe { value::units((*(*inst).classDecl).name, ct) };
            super::new_dynamic(name, ct)?
        }
    };
    let dynamic = matches!(rec.kind, Kind::Dynamic(_));
    for i in 0..rec.count(inst) {
        let e = rec.element(inst, i).expect("in range");
        let mut v = [0u8; MAX_VALUE_SIZE];
        let exists = e.exists();
        if exists {
            let size = value::value_size(e.ty).unwrap_or(0);
            // SAFETY: the field holds `size` bytes of value.
            unsafe { ptr::copy_nonoverlapping(e.field, v.as_mut_ptr(), size) };
        }
        let vp: *const MI_Value = if exists {
            v.as_ptr().cast()
        } else {
            ptr::null()
        };
        if dynamic {
            // SAFETY: a dynamic element's name and value, read from the source.
            let name = unsafe { value::units(e.name, ct) };
            // SAFETY: the copy is ours and fresh.
            let crec = unsafe { record(copy.as_ptr()) }.expect("fresh");
            let idx = crec.add_dynamic(copy.as_ptr(), name, e.ty, e.decl_flags)?;
            if exists {
                // SAFETY: a value of the element's type, read from the source.
                unsafe { set_at(copy.as_ptr(), idx, vp, e.ty, 0, depth + 1)? };
            }
        } else if exists && !e.field.is_null() {
            // SAFETY: as above.
            unsafe { set_at(copy.as_ptr(), i, vp, e.ty, 0, depth + 1)? };
        }
    }
    // SAFETY: the copy is ours and fresh.
    let crec = unsafe { record(copy.as_ptr()) }.expect("fresh");
    // SAFETY: ours: the namespace and server name are NULL or our own text.
    unsafe {
        let ns = (*inst).nameSpace;
        crec.set_namespace(
            copy.as_ptr(),
            (!ns.is_null()).then(|| OwnedText::copy(ns, ct)),
        );
        let sn = (*inst).serverName;
        crec.set_server_name(
            copy.as_ptr(),
            (!sn.is_null()).then(|| OwnedText::copy(sn, ct)),
        );
    }
    Ok(copy)
}

/// Checks that `inst`, to be the value of an element declared with class
/// `class_name` (NULL: any), is one of ours, of character type `ct`, and of
/// that class or one derived from it.
///
/// # Safety
/// `inst` is non-NULL and readable; `class_name` is NULL or NUL-terminated in `ct`.
unsafe fn check_embedded(
    inst: *const MI_Instance,
    ct: crate::host::CharType,
    class_name: *const MI_Char,
) -> Result<(), MiError> {
    // SAFETY: forwarded.
    let rec = unsafe { record(inst) }.ok_or(MiError::InvalidParameter(
        "an embedded instance is not an instance of this library",
    ))?;
    if rec.char_type != ct {
        return Err(MiError::InvalidParameter(
            "an embedded instance has another character type (another module's)",
        ));
    }
    if class_name.is_null() {
        return Ok(());
    }
    // SAFETY: NUL-terminated, by the caller's contract.
    let want = unsafe { value::units(class_name, ct) };
    // SAFETY: ours: a checked declaration chain (a parameters instance is
    // named by its method, which is no class).
    let mut c = unsafe { (*inst).classDecl };
    if matches!(rec.kind, Kind::Parameters(_)) {
        c = ptr::null();
    }
    while !c.is_null() {
        // SAFETY: as above.
        if unsafe { value::units((*c).name, ct) }.eq_name(want) {
            return Ok(());
        }
        // SAFETY: as above.
        c = unsafe { (*c).superClassDecl };
    }
    Err(MiError::Code(
        MI_RESULT_TYPE_MISMATCH,
        "an embedded instance is not of the element's declared class (or one derived from it)",
    ))
}

/// Makes the field bytes of `value` (type `ty`) for an element: copied by
/// default, borrowed or adopted as `flags` say. `None` for a value that is
/// NULL in itself (a NULL string or instance pointer).
///
/// # Safety
/// `value` is a readable `MI_Value` of type `ty` whose pointers are NULL or
/// valid; `class_name` is NULL or NUL-terminated in `ct`.
unsafe fn make(
    value: *const MI_Value,
    ty: MI_Type,
    flags: u32,
    ct: crate::host::CharType,
    class_name: *const MI_Char,
    depth: usize,
) -> Result<Option<Made>, MiError> {
    let size = value::value_size(ty).ok_or(MiError::InvalidParameter("unknown type"))?;
    let mut bytes = [0u8; MAX_VALUE_SIZE];
    // SAFETY: an MI_Value holds at least `size` bytes of a value of type `ty`.
    unsafe { ptr::copy_nonoverlapping(value.cast::<u8>(), bytes.as_mut_ptr(), size) };
    if !value::holds_pointers(ty) {
        return Ok(Some(Made { bytes, owned: None }));
    }
    let read_ptr = |b: &[u8; MAX_VALUE_SIZE]| -> *mut libc::c_void {
        // SAFETY: the first bytes of a pointer-typed value are the pointer.
        unsafe { ptr::read_unaligned(b.as_ptr().cast::<*mut libc::c_void>()) }
    };
    let array = |b: &[u8; MAX_VALUE_SIZE]| -> MI_Array {
        // SAFETY: an array value's bytes are an MI_Array.
        unsafe { ptr::read_unaligned(b.as_ptr().cast::<MI_Array>()) }
    };
    // Check what will be read later, whatever the ownership.
    match ty {
        MI_STRING | MI_INSTANCE | MI_REFERENCE if read_ptr(&bytes).is_null() => return Ok(None),
        MI_INSTANCE | MI_REFERENCE => {
            // SAFETY: a non-NULL instance pointer, valid by the caller's contract.
            unsafe { check_embedded(read_ptr(&bytes).cast(), ct, class_name)? }
        }
        _ if ty & MI_ARRAY != 0 => {
            let a = array(&bytes);
            if a.size > MAX_ARRAY_LEN {
                return Err(MiError::InvalidParameter("the array has too many elements"));
            }
            if a.data.is_null() && a.size > 0 {
                return Err(MiError::InvalidParameter("the array's data is NULL"));
            }
            if ty == MI_INSTANCEA || ty == MI_REFERENCEA {
                for i in 0..a.size as usize {
                    // SAFETY: `size` readable pointers.
                    let item = unsafe { *a.data.cast::<*const MI_Instance>().add(i) };
                    if !item.is_null() {
                        // SAFETY: a non-NULL element, valid by the caller's contract.
                        unsafe { check_embedded(item, ct, class_name)? };
                    }
                }
            }
        }
        _ => {}
    }
    if flags & MI_FLAG_BORROW as u32 != 0 {
        return Ok(Some(Made { bytes, owned: None }));
    }
    if flags & MI_FLAG_ADOPT != 0 {
        return Ok(Some(Made {
            bytes,
            owned: Some(Owned::Adopted(value::Adopted { ty, value: bytes })),
        }));
    }
    let put_ptr = |b: &mut [u8; MAX_VALUE_SIZE], p: *const libc::c_void| {
        // SAFETY: the first bytes of a pointer-typed value are the pointer.
        unsafe { ptr::write_unaligned(b.as_mut_ptr().cast::<*const libc::c_void>(), p) }
    };
    let owned = match ty {
        MI_STRING => {
            // SAFETY: a non-NULL string pointer, NUL-terminated in `ct`.
            let t = unsafe { OwnedText::copy(read_ptr(&bytes).cast(), ct) };
            put_ptr(&mut bytes, t.as_ptr().cast());
            Owned::Text(t)
        }
        MI_INSTANCE | MI_REFERENCE => {
            // SAFETY: checked above: a live instance of ours.
            let c = unsafe { clone(read_ptr(&bytes).cast(), depth + 1)? };
            put_ptr(&mut bytes, c.as_ptr().cast());
            Owned::Instance(c)
        }
        MI_STRINGA => {
            let a = array(&bytes);
            let mut items = Vec::with_capacity(a.size as usize);
            for i in 0..a.size as usize {
                // SAFETY: `size` readable pointers.
                let s = unsafe { *a.data.cast::<*const MI_Char>().add(i) };
                // SAFETY: non-NULL elements are NUL-terminated in `ct`.
                items.push((!s.is_null()).then(|| unsafe { OwnedText::copy(s, ct) }));
            }
            let ptrs: Box<[*const MI_Char]> = items
                .iter()
                .map(|t| t.as_ref().map_or(ptr::null(), OwnedText::as_ptr))
                .collect();
            put_ptr(&mut bytes, ptrs.as_ptr().cast());
            Owned::Texts { ptrs, items }
        }
        MI_INSTANCEA | MI_REFERENCEA => {
            let a = array(&bytes);
            let mut items = Vec::with_capacity(a.size as usize);
            for i in 0..a.size as usize {
                // SAFETY: `size` readable pointers.
                let item = unsafe { *a.data.cast::<*const MI_Instance>().add(i) };
                items.push(if item.is_null() {
                    None
                } else {
                    // SAFETY: checked above: a live instance of ours.
                    Some(unsafe { clone(item, depth + 1)? })
                });
            }
            let ptrs: Box<[*mut MI_Instance]> = items
                .iter()
                .map(|t| t.as_ref().map_or(ptr::null_mut(), HeapInstance::as_ptr))
                .collect();
            put_ptr(&mut bytes, ptrs.as_ptr().cast());
            Owned::Instances { ptrs, items }
        }
        _ => {
            // Arrays of numbers, char16, datetimes.
            let a = array(&bytes);
            let len = a.size as usize * value::element_size(ty);
            let mut b = value::block(len);
            if len > 0 {
                // SAFETY: `len` bytes of elements are readable at `data`.
                unsafe {
                    ptr::copy_nonoverlapping(a.data.cast::<u8>(), b.as_mut_ptr().cast::<u8>(), len)
                };
            }
            put_ptr(&mut bytes, b.as_ptr().cast());
            Owned::Block(b)
        }
    };
    Ok(Some(Made {
        bytes,
        owned: Some(owned),
    }))
}
