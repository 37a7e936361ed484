//! The provider side of the C ABI: the function table of the `MI_Context`s that
//! mi-psrp creates, and the exported `MI_Context_*` functions, which behave like
//! Microsoft's inline wrappers (NULL context or table → INVALID_PARAMETER,
//! otherwise a call through `context->ft`).

#![allow(non_snake_case)]

use std::ptr;

use super::{code, guard, wide};
use crate::host::Context;
use crate::mi::{
    MI_Boolean, MI_Char, MI_ClassDecl, MI_Context, MI_ContextFT, MI_Instance,
    MI_LifecycleIndicationContext, MI_MethodDecl, MI_PromptType, MI_RESULT_INVALID_PARAMETER,
    MI_RESULT_NOT_SUPPORTED, MI_Result, MI_Session, MI_Type, MI_Uint32, MI_Value,
};

/// What mi-psrp allocates for each context: the `MI_Context` the provider sees,
/// then the host state. `mi.reserved[0]` holds the allocation's address.
#[repr(C)]
pub(crate) struct ContextHandle {
    mi: MI_Context,
    ctx: Context,
}

/// Boxes `ctx` behind a fresh `MI_Context`; the caller owns the result and
/// frees it with [`free_context`].
pub(crate) fn new_context(ctx: Context) -> *mut MI_Context {
    let handle = Box::into_raw(Box::new(ContextHandle {
        mi: MI_Context {
            ft: &CONTEXT_FT,
            reserved: [0; 3],
        },
        ctx,
    }));
    // SAFETY: `handle` was just allocated by Box and is uniquely owned here.
    unsafe {
        (*handle).mi.reserved[0] = handle as libc::ptrdiff_t;
        &raw mut (*handle).mi
    }
}

/// The host state of a context mi-psrp created; `None` for NULL or for a
/// context made by someone else (its table is not ours).
///
/// # Safety
/// `context` is NULL or points to a readable `MI_Context`; if it is one of
/// ours, it has not been freed and is not freed while `'a` lasts.
pub(crate) unsafe fn ours<'a>(context: *const MI_Context) -> Option<&'a Context> {
    if context.is_null() {
        return None;
    }
    // SAFETY: non-NULL and readable, by the caller's promise.
    let mi = unsafe { &*context };
    if !ptr::eq(mi.ft, &CONTEXT_FT) {
        return None;
    }
    let handle = mi.reserved[0] as *const ContextHandle;
    // SAFETY: a context whose table is ours was made by `new_context`, which put
    // its live allocation's address in `reserved[0]`.
    Some(unsafe { &(*handle).ctx })
}

/// Frees a context made by [`new_context`]; ignores NULL and foreign contexts.
///
/// # Safety
/// As for [`ours`]; no other thread uses the context during or after the call.
pub(crate) unsafe fn free_context(context: *mut MI_Context) {
    // SAFETY: forwarded from the caller.
    if unsafe { ours(context) }.is_none() {
        return;
    }
    // SAFETY: `ours` checked that the context is ours; `reserved[0]` is the
    // address of its Box, which is released exactly once, here.
    unsafe {
        let handle = (*context).reserved[0] as *mut ContextHandle;
        (*handle).mi.ft = ptr::null();
        drop(Box::from_raw(handle));
    }
}

// ---- the function table --------------------------------------------------

unsafe extern "system" fn slot_post_result(
    context: *mut MI_Context,
    result: MI_Result,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        match unsafe { ours(context) } {
            Some(ctx) => code(ctx.post_result(result)),
            None => MI_RESULT_INVALID_PARAMETER,
        }
    })
}

unsafe extern "system" fn slot_write_progress(
    context: *mut MI_Context,
    activity: *const MI_Char,
    currentOperation: *const MI_Char,
    statusDescription: *const MI_Char,
    percentComplete: MI_Uint32,
    secondsRemaining: MI_Uint32,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        let Some(ctx) = (unsafe { ours(context) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        // SAFETY: MI's contract: each string is NULL or NUL-terminated, valid for the call.
        let (activity, current, status) = unsafe {
            (
                wide(activity),
                wide(currentOperation),
                wide(statusDescription),
            )
        };
        code(ctx.write_progress(activity, current, status, percentComplete, secondsRemaining))
    })
}

/// Defines a slot that does nothing and returns `MI_RESULT_NOT_SUPPORTED`; it
/// reads no argument and writes through no out-pointer.
macro_rules! not_supported {
    ($name:ident ( $($arg:ident : $ty:ty),* )) => {
        unsafe extern "system" fn $name($($arg: $ty),*) -> MI_Result {
            $(let _ = $arg;)*
            MI_RESULT_NOT_SUPPORTED
        }
    };
}

not_supported!(slot_post_instance(c: *mut MI_Context, i: *const MI_Instance));
not_supported!(slot_post_indication(c: *mut MI_Context, i: *const MI_Instance, n: MI_Uint32, b: *const MI_Char));
not_supported!(slot_construct_instance(c: *mut MI_Context, d: *const MI_ClassDecl, i: *mut MI_Instance));
not_supported!(slot_construct_parameters(c: *mut MI_Context, d: *const MI_MethodDecl, i: *mut MI_Instance));
not_supported!(slot_new_instance(c: *mut MI_Context, d: *const MI_ClassDecl, i: *mut *mut MI_Instance));
not_supported!(slot_new_dynamic_instance(c: *mut MI_Context, n: *const MI_Char, f: MI_Uint32, i: *mut *mut MI_Instance));
not_supported!(slot_new_parameters(c: *mut MI_Context, d: *const MI_MethodDecl, i: *mut *mut MI_Instance));
not_supported!(slot_canceled(c: *const MI_Context, f: *mut MI_Boolean));
not_supported!(slot_get_locale(c: *const MI_Context, t: MI_Uint32, l: *mut MI_Char));
not_supported!(slot_register_cancel(c: *mut MI_Context, cb: crate::mi::MI_CancelCallback, d: *mut libc::c_void));
not_supported!(slot_request_unload(c: *mut MI_Context));
not_supported!(slot_refuse_unload(c: *mut MI_Context));
not_supported!(slot_get_local_session(c: *const MI_Context, s: *mut MI_Session));
not_supported!(slot_set_string_option(c: *mut MI_Context, n: *const MI_Char, v: *const MI_Char));
not_supported!(slot_get_string_option(c: *mut MI_Context, n: *const MI_Char, v: *mut *const MI_Char));
not_supported!(slot_get_number_option(c: *mut MI_Context, n: *const MI_Char, v: *mut MI_Uint32));
not_supported!(slot_get_custom_option(c: *mut MI_Context, n: *const MI_Char, t: *mut MI_Type, v: *mut MI_Value));
not_supported!(slot_get_custom_option_count(c: *mut MI_Context, n: *mut MI_Uint32));
not_supported!(slot_get_custom_option_at(c: *mut MI_Context, i: MI_Uint32, n: *mut *const MI_Char, t: *mut MI_Type, v: *mut MI_Value));
not_supported!(slot_write_message(c: *mut MI_Context, ch: MI_Uint32, m: *const MI_Char));
not_supported!(slot_write_stream_parameter(c: *mut MI_Context, n: *const MI_Char, v: *const MI_Value, t: MI_Type, f: MI_Uint32));
not_supported!(slot_write_cim_error(c: *mut MI_Context, e: *const MI_Instance, f: *mut MI_Boolean));
not_supported!(slot_prompt_user(c: *mut MI_Context, m: *const MI_Char, t: MI_PromptType, r: *mut MI_Boolean));
not_supported!(slot_should_process(c: *mut MI_Context, t: *const MI_Char, a: *const MI_Char, r: *mut MI_Boolean));
not_supported!(slot_should_continue(c: *mut MI_Context, m: *const MI_Char, r: *mut MI_Boolean));
not_supported!(slot_post_error(c: *mut MI_Context, r: MI_Uint32, t: *const MI_Char, m: *const MI_Char));
not_supported!(slot_post_cim_error(c: *mut MI_Context, e: *const MI_Instance));
not_supported!(slot_write_error(c: *mut MI_Context, r: MI_Uint32, t: *const MI_Char, m: *const MI_Char, f: *mut MI_Boolean));
not_supported!(slot_get_lifecycle_indication_context(c: *mut MI_Context, l: *mut *mut MI_LifecycleIndicationContext));

/// The table of every context mi-psrp creates: no slot is NULL.
pub(crate) static CONTEXT_FT: MI_ContextFT = MI_ContextFT {
    PostResult: Some(slot_post_result),
    PostInstance: Some(slot_post_instance),
    PostIndication: Some(slot_post_indication),
    ConstructInstance: Some(slot_construct_instance),
    ConstructParameters: Some(slot_construct_parameters),
    NewInstance: Some(slot_new_instance),
    NewDynamicInstance: Some(slot_new_dynamic_instance),
    NewParameters: Some(slot_new_parameters),
    Canceled: Some(slot_canceled),
    GetLocale: Some(slot_get_locale),
    RegisterCancel: Some(slot_register_cancel),
    RequestUnload: Some(slot_request_unload),
    RefuseUnload: Some(slot_refuse_unload),
    GetLocalSession: Some(slot_get_local_session),
    SetStringOption: Some(slot_set_string_option),
    GetStringOption: Some(slot_get_string_option),
    GetNumberOption: Some(slot_get_number_option),
    GetCustomOption: Some(slot_get_custom_option),
    GetCustomOptionCount: Some(slot_get_custom_option_count),
    GetCustomOptionAt: Some(slot_get_custom_option_at),
    WriteMessage: Some(slot_write_message),
    WriteProgress: Some(slot_write_progress),
    WriteStreamParameter: Some(slot_write_stream_parameter),
    WriteCimError: Some(slot_write_cim_error),
    PromptUser: Some(slot_prompt_user),
    ShouldProcess: Some(slot_should_process),
    ShouldContinue: Some(slot_should_continue),
    PostError: Some(slot_post_error),
    PostCimError: Some(slot_post_cim_error),
    WriteError: Some(slot_write_error),
    GetLifecycleIndicationContext: Some(slot_get_lifecycle_indication_context),
};

// ---- the exported wrappers -----------------------------------------------

/// The table of `context`, or `None` when `context` or its table is NULL.
///
/// # Safety
/// `context` is NULL or points to a readable `MI_Context`.
unsafe fn table<'a>(context: *const MI_Context) -> Option<&'a MI_ContextFT> {
    if context.is_null() {
        return None;
    }
    // SAFETY: non-NULL and readable by the caller's promise; a non-NULL `ft`
    // points to the table of whoever made the context.
    unsafe { (*context).ft.as_ref() }
}

/// Reports the progress of the operation to the client, as
/// `context->ft->WriteProgress(...)`: a PSRP PROGRESS_RECORD message with
/// Type Processing, sent to the host's sink before this returns.
///
/// - `activity`: non-empty text (required).
/// - `currentOperation`: any text; NULL is sent as a null CurrentOperation.
/// - `statusDescription`: any text; NULL or empty is sent as `" "`.
/// - `percentComplete`: 0 to 100, or `0xFFFFFFFF` for unknown (sent as -1).
/// - `secondsRemaining`: 0 to `0x7FFFFFFF`, or `0xFFFFFFFF` for unknown (sent as -1).
///
/// Strings are NUL-terminated `MI_Char` (`wchar_t`) text, read during the call
/// only; the caller keeps ownership. Every UTF-16 unit (Windows) or UTF-32
/// value up to 0x10FFFF (elsewhere) is accepted, lone surrogates included.
///
/// Returns:
/// - `MI_RESULT_OK`: the record was sent (or, for a context made by another
///   host, whatever its table returns);
/// - `MI_RESULT_INVALID_PARAMETER`: `context` or its table is NULL, `activity`
///   is NULL or empty, a number is out of range, or a string holds a value
///   above 0x10FFFF; nothing was sent;
/// - `MI_RESULT_FAILED`: the operation has ended (PostResult was called), or
///   the call was made from inside the pool's sink; nothing was sent;
/// - `MI_RESULT_NOT_SUPPORTED`: a foreign context whose WriteProgress slot is NULL.
///
/// Thread-safety: any thread may call this, on one context or many.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`; each string is NULL or
/// NUL-terminated and readable for the duration of the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn MI_Context_WriteProgress(
    context: *mut MI_Context,
    activity: *const MI_Char,
    currentOperation: *const MI_Char,
    statusDescription: *const MI_Char,
    percentComplete: MI_Uint32,
    secondsRemaining: MI_Uint32,
) -> MI_Result {
    // SAFETY: `context` is NULL or a context, by MI's contract.
    match unsafe { table(context) } {
        None => MI_RESULT_INVALID_PARAMETER,
        Some(MI_ContextFT {
            WriteProgress: Some(slot),
            ..
        }) => {
            // SAFETY: calling the context's own slot with the caller's arguments,
            // exactly as Microsoft's inline wrapper does.
            unsafe {
                slot(
                    context,
                    activity,
                    currentOperation,
                    statusDescription,
                    percentComplete,
                    secondsRemaining,
                )
            }
        }
        Some(_) => MI_RESULT_NOT_SUPPORTED,
    }
}

/// Ends the operation with `result`, as `context->ft->PostResult(...)`. After
/// it, WriteProgress and a second PostResult on this context return
/// `MI_RESULT_FAILED`.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` when `context` or its
/// table is NULL; `MI_RESULT_FAILED` when the operation had already ended or
/// the call was made from inside the pool's sink; `MI_RESULT_NOT_SUPPORTED`
/// for a foreign context whose PostResult slot is NULL.
///
/// Thread-safety: any thread may call this.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn MI_Context_PostResult(
    context: *mut MI_Context,
    result: MI_Result,
) -> MI_Result {
    // SAFETY: `context` is NULL or a context, by MI's contract.
    match unsafe { table(context) } {
        None => MI_RESULT_INVALID_PARAMETER,
        Some(MI_ContextFT {
            PostResult: Some(slot),
            ..
        }) => {
            // SAFETY: calling the context's own slot, as Microsoft's wrapper does.
            unsafe { slot(context, result) }
        }
        Some(_) => MI_RESULT_NOT_SUPPORTED,
    }
}
