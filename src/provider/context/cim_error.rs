//! `WriteCimError` and `PostCimError`: a `CIM_Error` instance becomes an
//! ERROR_RECORD the way PowerShell's CIM cmdlets build one
//! (`psrp-host-calls.md` §5). Properties are found by name, ignoring case:
//!
//! | record part | from the instance | without it |
//! |---|---|---|
//! | message | `Message`, a non-empty string | the result's C name: `MI_RESULT_FAILED` for WriteCimError, the posted result's for PostCimError |
//! | FullyQualifiedErrorId | `MessageID`, a string | `MiClientApiError_` + the NativeErrorCode name (`Ok` for WriteCimError) |
//! | category | `error_Category`, an integer 1–31 | the MI result table (NotSpecified for WriteCimError) |
//! | TargetName | `ErrorSource`, a string | empty |
//! | the operation's result (PostCimError) | `CIMStatusCode`, a uint32 | `MI_RESULT_FAILED` |
//!
//! The instance must be one of mi-psrp's, of the module's character type
//! (`MI_RESULT_INVALID_PARAMETER` otherwise, nothing sent); `*flag` (WriteCimError)
//! is written only on success.

use super::{handle, live};
use crate::host::error_id::{category_of_mi_result, mi_result_name, native_error_code_name};
use crate::host::{CimErrorParts, MiError};
use crate::mi::{
    MI_Boolean, MI_Context, MI_FALSE, MI_Instance, MI_RESULT_FAILED, MI_RESULT_INVALID_PARAMETER,
    MI_RESULT_OK, MI_Result, MI_TRUE,
};
use crate::provider::instance::read::Reader;
use crate::provider::instance::record;
use crate::provider::{code, guard};
use crate::psrp::cim::{CimInstance, CimString, CimValue};
use crate::psrp::streams::ErrorCategory;

/// The parts of the record, owned.
struct Parts {
    message: Vec<u16>,
    error_id: Vec<u16>,
    category: ErrorCategory,
    target: Vec<u16>,
}

fn find<'a>(i: &'a CimInstance, name: &str) -> Option<&'a CimValue> {
    i.properties
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
        .and_then(|p| p.value.as_ref())
}

/// The record's parts for an error whose NativeErrorCode is `native`; a
/// missing message is the C name of `message_result`.
fn parts(i: &CimInstance, native: MI_Result, message_result: MI_Result) -> Parts {
    let utf16 = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
    let message = match find(i, "Message") {
        Some(CimValue::String(s)) if !s.is_empty() => s.0.clone(),
        _ => utf16(mi_result_name(message_result).unwrap_or("MI_RESULT_FAILED")),
    };
    let error_id = match find(i, "MessageID") {
        Some(CimValue::String(s)) => s.0.clone(),
        _ => utf16(&format!(
            "MiClientApiError_{}",
            native_error_code_name(native).map_or_else(|| native.to_string(), str::to_owned)
        )),
    };
    let category = match find(i, "error_Category").and_then(CimValue::as_integer) {
        Some(n @ 1..=31) => ErrorCategory(n as i32),
        _ => category_of_mi_result(native),
    };
    let target = match find(i, "ErrorSource") {
        Some(CimValue::String(s)) => s.0.clone(),
        _ => Vec::new(),
    };
    Parts {
        message,
        error_id,
        category,
        target,
    }
}

/// Reads the provider's CIM_Error instance.
fn read(h: &super::ContextHandle, e: *const MI_Instance) -> Result<CimInstance, MiError> {
    // SAFETY: the provider passes an instance it holds (or NULL).
    let rec = unsafe { record(e) }.ok_or(MiError::InvalidParameter(
        "the CIM_Error instance is NULL or not one of this library's",
    ))?;
    if rec.char_type != h.ctx.char_type() {
        return Err(MiError::InvalidParameter(
            "the CIM_Error instance belongs to a module of another character type",
        ));
    }
    let empty = CimString::default();
    let mut reader = Reader::new(h.operation.get().map_or(&empty, |o| &o.namespace));
    // SAFETY: a live instance of ours.
    unsafe { reader.instance(e, 0) }
}

fn view(p: &Parts) -> CimErrorParts<'_> {
    CimErrorParts {
        message: &p.message,
        error_id: &p.error_id,
        category: p.category,
        target_name: &p.target,
    }
}

pub(super) unsafe extern "system" fn slot_write_cim_error(
    c: *mut MI_Context,
    e: *const MI_Instance,
    flag: *mut MI_Boolean,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        if let Err(code) = unsafe { live(c) } {
            return code;
        }
        // SAFETY: checked by `live`.
        let h = unsafe { handle(c) }.expect("ours");
        if flag.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        let ci = match read(h, e) {
            Ok(ci) => ci,
            Err(err) => return err.code(),
        };
        let p = parts(&ci, MI_RESULT_OK, MI_RESULT_FAILED);
        match h.ctx.write_cim_error(&view(&p)) {
            Ok(go_on) => {
                // SAFETY: non-NULL, writable by MI's contract.
                unsafe { flag.write(if go_on { MI_TRUE } else { MI_FALSE }) };
                MI_RESULT_OK
            }
            Err(err) => err.code(),
        }
    })
}

pub(super) unsafe extern "system" fn slot_post_cim_error(
    c: *mut MI_Context,
    e: *const MI_Instance,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        if let Err(code) = unsafe { live(c) } {
            return code;
        }
        // SAFETY: checked by `live`.
        let h = unsafe { handle(c) }.expect("ours");
        code((|| {
            let ci = read(h, e)?;
            let result = match find(&ci, "CIMStatusCode") {
                Some(CimValue::Uint32(r)) => *r,
                _ => MI_RESULT_FAILED,
            };
            let p = parts(&ci, result, result);
            h.ctx.post_cim_error(result, &view(&p))
        })())
    })
}
