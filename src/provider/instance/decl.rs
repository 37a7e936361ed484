//! Checking a class or method declaration a provider hands over before any
//! memory is laid out by it: every property declared, of a known type, its
//! field inside the structure (and past the `MI_Instance` header), a
//! superclass chain no deeper than [`super::MAX_DEPTH`].

use super::{MAX_CLASS_SIZE, MAX_DEPTH, NO_FIELD, value};
use crate::host::MiError;
use crate::mi::{MI_ClassDecl, MI_Instance, MI_MethodDecl, MI_ParameterDecl};

/// Checks a class declaration a provider hands over before any memory is
/// laid out by it: every property declared, of a known type, its field
/// inside `size`; a superclass chain no deeper than [`MAX_DEPTH`].
///
/// # Safety
/// `decl` is NULL or points to a readable `MI_ClassDecl` whose arrays are readable.
pub(crate) unsafe fn check_class_decl(decl: *const MI_ClassDecl) -> Result<(), MiError> {
    // SAFETY: NULL or readable, by the caller's contract.
    let d =
        unsafe { decl.as_ref() }.ok_or(MiError::InvalidParameter("class declaration is NULL"))?;
    if d.name.is_null() {
        return Err(MiError::InvalidParameter(
            "the class declaration has no name",
        ));
    }
    // SAFETY: forwarded.
    unsafe { check_fields(d.properties.cast(), d.numProperties, d.size)? };
    let mut depth = 0;
    let mut sup = d.superClassDecl;
    while !sup.is_null() {
        depth += 1;
        if depth > MAX_DEPTH {
            return Err(MiError::InvalidParameter(
                "the superclass chain is too deep (or a cycle)",
            ));
        }
        // SAFETY: a superclass declaration of a readable declaration.
        sup = unsafe { (*sup).superClassDecl };
    }
    Ok(())
}

/// The same checks for a method's parameter declaration.
///
/// # Safety
/// `decl` is NULL or points to a readable `MI_MethodDecl` whose arrays are readable.
pub(crate) unsafe fn check_method_decl(decl: *const MI_MethodDecl) -> Result<(), MiError> {
    // SAFETY: NULL or readable, by the caller's contract.
    let d =
        unsafe { decl.as_ref() }.ok_or(MiError::InvalidParameter("method declaration is NULL"))?;
    if d.name.is_null() {
        return Err(MiError::InvalidParameter(
            "the method declaration has no name",
        ));
    }
    // SAFETY: forwarded; parameter declarations start as property declarations.
    unsafe { check_fields(d.parameters.cast(), d.numParameters, d.size) }
}

/// # Safety
/// `props` is NULL or points to `count` readable declaration pointers.
unsafe fn check_fields(
    props: *const *const MI_ParameterDecl,
    count: u32,
    size: u32,
) -> Result<(), MiError> {
    let header = std::mem::size_of::<MI_Instance>() as u64;
    if u64::from(size) < header || size > MAX_CLASS_SIZE {
        return Err(MiError::InvalidParameter(
            "the declaration's size is smaller than MI_Instance or too large",
        ));
    }
    if count > 0 && props.is_null() {
        return Err(MiError::InvalidParameter(
            "the declaration lists no properties",
        ));
    }
    for i in 0..count as usize {
        // SAFETY: `count` pointers are readable.
        let p = unsafe { *props.add(i) };
        // SAFETY: NULL or a readable declaration.
        let p = unsafe { p.as_ref() }
            .ok_or(MiError::InvalidParameter("a property declaration is NULL"))?;
        let vs = value::value_size(p.r#type).ok_or(MiError::InvalidParameter(
            "a property's type is not an MI_Type",
        ))?;
        if p.name.is_null() {
            return Err(MiError::InvalidParameter("a property has no name"));
        }
        if p.offset == NO_FIELD {
            continue;
        }
        if u64::from(p.offset) < header || u64::from(p.offset) + vs as u64 + 2 > u64::from(size) {
            return Err(MiError::InvalidParameter(
                "a property's field is outside the structure (offset and size disagree with its type)",
            ));
        }
    }
    Ok(())
}
