//! The provider side of the C ABI: the function table of the `MI_Context`s that
//! mi-psrp creates, and the exported `MI_Context_*` functions, which behave like
//! Microsoft's inline wrappers (NULL context or table → INVALID_PARAMETER,
//! otherwise a call through `context->ft`).

#![allow(non_snake_case)]

use std::ffi::CString;
use std::ptr;
use std::sync::OnceLock;

use crate::host::Outcome;

use super::{code, guard, text, utf8_text, wide_text};
use crate::host::{CharType, Context};
use crate::mi::MI_RESULT_FAILED;
use crate::mi::{
    MI_Boolean, MI_CancelCallback, MI_CancellationReason, MI_Char, MI_ClassDecl, MI_Context,
    MI_ContextFT, MI_FALSE, MI_Instance, MI_LifecycleIndicationContext, MI_LocaleType,
    MI_MAX_LOCALE_SIZE, MI_MethodDecl, MI_PromptType, MI_RESULT_INVALID_PARAMETER,
    MI_RESULT_NOT_SUPPORTED, MI_RESULT_OK, MI_RESULT_SERVER_LIMITS_EXCEEDED, MI_Result, MI_Session,
    MI_TRUE, MI_Type, MI_Uint32, MI_Value,
};

/// What mi-psrp allocates for each context: the `MI_Context` the provider sees,
/// then the host state. `mi.reserved[0]` holds the allocation's address.
#[repr(C)]
pub(crate) struct ContextHandle {
    mi: MI_Context,
    ctx: Context,
    /// The outcome's result type and message as C strings, made once when a
    /// host first asks for them (`mipsrp_context_get_outcome`).
    outcome_text: OnceLock<OutcomeText>,
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
        outcome_text: OnceLock::new(),
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

/// A C string of `s`, up to its first NUL (which a C string cannot hold;
/// a provider's C strings have none), reserved without aborting when memory
/// runs out.
fn c_string(s: &str) -> Result<CString, std::collections::TryReserveError> {
    let text = s.as_bytes().split(|&b| b == 0).next().unwrap_or_default();
    let mut v = Vec::new();
    v.try_reserve_exact(text.len() + 1)?;
    v.extend_from_slice(text);
    v.push(0);
    Ok(CString::from_vec_with_nul(v).unwrap_or_default())
}

/// An outcome's result type and message as C strings (`None` for PostResult).
pub(crate) type OutcomeText = Option<(CString, CString)>;

/// The outcome of a context of ours, with its strings as C strings: `Ok(None)`
/// while the operation goes on; NULL or foreign → `MI_RESULT_INVALID_PARAMETER`.
///
/// # Safety
/// As for [`ours`].
pub(crate) unsafe fn outcome<'a>(
    context: *const MI_Context,
) -> Result<Option<(&'a Outcome, &'a OutcomeText)>, MI_Result> {
    // SAFETY: forwarded from the caller.
    if unsafe { ours(context) }.is_none() {
        return Err(MI_RESULT_INVALID_PARAMETER);
    }
    // SAFETY: `ours` checked that the context is ours, so `reserved[0]` is its live handle.
    let handle = unsafe { &*((*context).reserved[0] as *const ContextHandle) };
    let Some(outcome) = handle.ctx.outcome() else {
        return Ok(None);
    };
    if let Some(text) = handle.outcome_text.get() {
        return Ok(Some((outcome, text)));
    }
    let made = match &outcome.result_type {
        None => None,
        Some(t) => Some((
            c_string(t).map_err(|_| MI_RESULT_SERVER_LIMITS_EXCEEDED)?,
            c_string(outcome.message.as_deref().unwrap_or_default())
                .map_err(|_| MI_RESULT_SERVER_LIMITS_EXCEEDED)?,
        )),
    };
    Ok(Some((outcome, handle.outcome_text.get_or_init(|| made))))
}

/// Frees a context made by [`new_context`]; ignores NULL and foreign contexts.
///
/// # Safety
/// As for [`ours`]; no other thread uses the context during or after the call.
pub(crate) unsafe fn free_context(context: *mut MI_Context) {
    // SAFETY: forwarded from the caller.
    let Some(ctx) = (unsafe { ours(context) }) else {
        return;
    };
    // Ended while the context is still whole, so that its completion
    // callback may look at it (`mipsrp_context_get_outcome`).
    ctx.end_freed();
    // SAFETY: `ours` checked that the context is ours; `reserved[0]` is the
    // address of its Box, which is released exactly once, here.
    unsafe {
        let handle = (*context).reserved[0] as *mut ContextHandle;
        (*handle).mi.ft = ptr::null();
        drop(Box::from_raw(handle));
    }
}

/// A context of ours whose operation has not ended: NULL or foreign →
/// `MI_RESULT_INVALID_PARAMETER`, ended → `MI_RESULT_FAILED`.
///
/// # Safety
/// As for [`ours`].
unsafe fn live<'a>(context: *const MI_Context) -> Result<&'a Context, MI_Result> {
    // SAFETY: forwarded from the caller.
    match unsafe { ours(context) } {
        None => Err(MI_RESULT_INVALID_PARAMETER),
        Some(ctx) if ctx.is_ended() => Err(MI_RESULT_FAILED),
        Some(ctx) => Ok(ctx),
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
        // One dispatch on the character type per call, not per string: the
        // hot path is compiled once for each type.
        // SAFETY (both arms): MI's contract: each string is NULL or
        // NUL-terminated in the provider's character type, valid for the call.
        code(match ctx.char_type() {
            CharType::Wide => unsafe {
                ctx.write_progress(
                    wide_text(activity),
                    wide_text(currentOperation),
                    wide_text(statusDescription),
                    percentComplete,
                    secondsRemaining,
                )
            },
            CharType::Utf8 => unsafe {
                ctx.write_progress(
                    utf8_text(activity),
                    utf8_text(currentOperation),
                    utf8_text(statusDescription),
                    percentComplete,
                    secondsRemaining,
                )
            },
        })
    })
}

unsafe extern "system" fn slot_write_message(
    context: *mut MI_Context,
    channel: MI_Uint32,
    message: *const MI_Char,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        let Some(ctx) = (unsafe { ours(context) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        // SAFETY: MI's contract: NULL or NUL-terminated, valid for the call.
        let message = unsafe { text(message, ctx.char_type()) };
        code(ctx.write_message(channel, message))
    })
}

unsafe extern "system" fn slot_write_error(
    context: *mut MI_Context,
    resultCode: MI_Uint32,
    resultType: *const MI_Char,
    errorMessage: *const MI_Char,
    flag: *mut MI_Boolean,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        let Some(ctx) = (unsafe { ours(context) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        // The context's state before the arguments, as for every slot.
        if let Err(e) = ctx.check_live() {
            return e.code();
        }
        if flag.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        let ct = ctx.char_type();
        // SAFETY: MI's contract: NULL or NUL-terminated, valid for the call.
        let (result_type, message) = unsafe { (text(resultType, ct), text(errorMessage, ct)) };
        match ctx.write_error(resultCode, result_type, message) {
            Ok(go_on) => {
                // SAFETY: non-NULL; MI's contract makes it a writable MI_Boolean.
                unsafe { flag.write(if go_on { MI_TRUE } else { MI_FALSE }) };
                MI_RESULT_OK
            }
            Err(e) => e.code(),
        }
    })
}

unsafe extern "system" fn slot_post_error(
    context: *mut MI_Context,
    resultCode: MI_Uint32,
    resultType: *const MI_Char,
    errorMessage: *const MI_Char,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        let Some(ctx) = (unsafe { ours(context) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        let ct = ctx.char_type();
        // SAFETY: MI's contract: NULL or NUL-terminated, valid for the call.
        let (result_type, message) = unsafe { (text(resultType, ct), text(errorMessage, ct)) };
        code(ctx.post_error(resultCode, result_type, message))
    })
}

unsafe extern "system" fn slot_canceled(
    context: *const MI_Context,
    flag: *mut MI_Boolean,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        let ctx = match unsafe { live(context) } {
            Ok(ctx) => ctx,
            Err(code) => return code,
        };
        if flag.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        let canceled = if ctx.canceled() { MI_TRUE } else { MI_FALSE };
        // SAFETY: non-NULL; MI's contract makes it a writable MI_Boolean.
        unsafe { flag.write(canceled) };
        MI_RESULT_OK
    })
}

unsafe extern "system" fn slot_get_locale(
    context: *const MI_Context,
    localeType: MI_LocaleType,
    locale: *mut MI_Char,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        let ctx = match unsafe { live(context) } {
            Ok(ctx) => ctx,
            Err(code) => return code,
        };
        if locale.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: MI's contract: `locale` is a writable MI_Char[MI_MAX_LOCALE_SIZE]
        // of the provider's character type.
        code(match ctx.char_type() {
            CharType::Utf8 => ctx.get_locale(localeType, unsafe {
                &mut *locale.cast::<[u8; MI_MAX_LOCALE_SIZE]>()
            }),
            CharType::Wide => ctx.get_locale(localeType, unsafe {
                &mut *locale.cast::<[MI_Char; MI_MAX_LOCALE_SIZE]>()
            }),
        })
    })
}

/// A provider's cancel callback and its data, as one value.
struct CCancel {
    f: unsafe extern "system" fn(MI_CancellationReason, *mut libc::c_void),
    data: *mut libc::c_void,
}

// SAFETY: MI providers register callbacks that the host may call from any
// thread (cancellation comes from the host's own threads); `data` is theirs.
unsafe impl Send for CCancel {}

impl CCancel {
    fn call(self, reason: MI_CancellationReason) {
        // SAFETY: the provider registered this function and data for this call.
        unsafe { (self.f)(reason, self.data) }
    }
}

unsafe extern "system" fn slot_register_cancel(
    context: *mut MI_Context,
    callback: MI_CancelCallback,
    callbackData: *mut libc::c_void,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        let ctx = match unsafe { live(context) } {
            Ok(ctx) => ctx,
            Err(code) => return code,
        };
        let Some(f) = callback else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        let c = CCancel {
            f,
            data: callbackData,
        };
        code(ctx.register_cancel(Box::new(move |reason| c.call(reason))))
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
not_supported!(slot_request_unload(c: *mut MI_Context));
not_supported!(slot_refuse_unload(c: *mut MI_Context));
not_supported!(slot_get_local_session(c: *const MI_Context, s: *mut MI_Session));
not_supported!(slot_set_string_option(c: *mut MI_Context, n: *const MI_Char, v: *const MI_Char));
not_supported!(slot_get_string_option(c: *mut MI_Context, n: *const MI_Char, v: *mut *const MI_Char));
not_supported!(slot_get_number_option(c: *mut MI_Context, n: *const MI_Char, v: *mut MI_Uint32));
not_supported!(slot_get_custom_option(c: *mut MI_Context, n: *const MI_Char, t: *mut MI_Type, v: *mut MI_Value));
not_supported!(slot_get_custom_option_count(c: *mut MI_Context, n: *mut MI_Uint32));
not_supported!(slot_get_custom_option_at(c: *mut MI_Context, i: MI_Uint32, n: *mut *const MI_Char, t: *mut MI_Type, v: *mut MI_Value));
not_supported!(slot_write_stream_parameter(c: *mut MI_Context, n: *const MI_Char, v: *const MI_Value, t: MI_Type, f: MI_Uint32));
not_supported!(slot_write_cim_error(c: *mut MI_Context, e: *const MI_Instance, f: *mut MI_Boolean));
not_supported!(slot_prompt_user(c: *mut MI_Context, m: *const MI_Char, t: MI_PromptType, r: *mut MI_Boolean));
not_supported!(slot_should_process(c: *mut MI_Context, t: *const MI_Char, a: *const MI_Char, r: *mut MI_Boolean));
not_supported!(slot_should_continue(c: *mut MI_Context, m: *const MI_Char, r: *mut MI_Boolean));
not_supported!(slot_post_cim_error(c: *mut MI_Context, e: *const MI_Instance));
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
/// Type Processing, sent to the host's sink before this returns — unless the
/// host said the client did not ask for progress
/// (`mipsrp_context_set_progress_requested`), or the write comes within the
/// context's progress interval and is held to be sent later
/// (`mipsrp_context_set_progress_interval`).
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
/// - `MI_RESULT_OK`: the record was accepted — sent, held, or dropped because
///   progress is not requested (for a context made by another host, whatever
///   its table returns);
/// - `MI_RESULT_INVALID_PARAMETER`: `context` or its table is NULL, `activity`
///   is NULL or empty, a number is out of range, or a string holds a value
///   above 0x10FFFF; nothing was sent;
/// - `MI_RESULT_SERVER_LIMITS_EXCEEDED`: the message would be larger than the
///   pool's maximum (`mipsrp_pool_set_max_message_size`); nothing was sent;
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

/// Tells whether the operation has been cancelled, as
/// `context->ft->Canceled(...)`: `*flag` becomes `MI_TRUE` once the host
/// cancelled it or its timeout passed, `MI_FALSE` otherwise.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` when `context`, its
/// table or `flag` is NULL; `MI_RESULT_FAILED` after PostResult;
/// `MI_RESULT_NOT_SUPPORTED` for a foreign context whose slot is NULL.
///
/// Thread-safety: any thread may call this, also from a sink or a cancel callback.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`; `flag` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn MI_Context_Canceled(
    context: *const MI_Context,
    flag: *mut MI_Boolean,
) -> MI_Result {
    // SAFETY: `context` is NULL or a context, by MI's contract.
    match unsafe { table(context) } {
        None => MI_RESULT_INVALID_PARAMETER,
        Some(MI_ContextFT {
            Canceled: Some(slot),
            ..
        }) => {
            // SAFETY: calling the context's own slot, as Microsoft's wrapper does.
            unsafe { slot(context, flag) }
        }
        Some(_) => MI_RESULT_NOT_SUPPORTED,
    }
}

/// Copies the host's locale of type `localeType` (`MI_LOCALE_TYPE_*`) into
/// `locale`, a buffer of `MI_MAX_LOCALE_SIZE` characters, NUL-terminated, as
/// `context->ft->GetLocale(...)`. mi-psrp's contexts start with `en-US` for
/// every type; the host changes it with `mipsrp_context_set_locale`.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` when `context`, its
/// table or `locale` is NULL or `localeType` is unknown (nothing written);
/// `MI_RESULT_FAILED` after PostResult; `MI_RESULT_NOT_SUPPORTED` for a
/// foreign context whose slot is NULL.
///
/// Thread-safety: any thread may call this.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`; `locale` is NULL or a writable
/// array of `MI_MAX_LOCALE_SIZE` `MI_Char`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn MI_Context_GetLocale(
    context: *const MI_Context,
    localeType: MI_LocaleType,
    locale: *mut MI_Char,
) -> MI_Result {
    // SAFETY: `context` is NULL or a context, by MI's contract.
    match unsafe { table(context) } {
        None => MI_RESULT_INVALID_PARAMETER,
        Some(MI_ContextFT {
            GetLocale: Some(slot),
            ..
        }) => {
            // SAFETY: calling the context's own slot, as Microsoft's wrapper does.
            unsafe { slot(context, localeType, locale) }
        }
        Some(_) => MI_RESULT_NOT_SUPPORTED,
    }
}

/// Registers `callback`, called once with the reason when the host cancels
/// the operation (`mipsrp_context_cancel`) — immediately, on the calling
/// thread, if it already has. A later registration replaces one not yet
/// called. The callback runs on the thread that cancels; it may call
/// `MI_Context_Canceled`, `MI_Context_WriteProgress` and the other slots on
/// the context. So that a cancel never waits for a sink, a call from the
/// callback that would send while another thread's call on the same context
/// is under way (blocked in a slow sink, say) returns `MI_RESULT_FAILED` at
/// once and sends nothing.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` when `context`, its
/// table or `callback` is NULL; `MI_RESULT_FAILED` after PostResult;
/// `MI_RESULT_NOT_SUPPORTED` for a foreign context whose slot is NULL.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`; `callback` may be called with
/// `callbackData` from any thread until the context is freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn MI_Context_RegisterCancel(
    context: *mut MI_Context,
    callback: MI_CancelCallback,
    callbackData: *mut libc::c_void,
) -> MI_Result {
    // SAFETY: `context` is NULL or a context, by MI's contract.
    match unsafe { table(context) } {
        None => MI_RESULT_INVALID_PARAMETER,
        Some(MI_ContextFT {
            RegisterCancel: Some(slot),
            ..
        }) => {
            // SAFETY: calling the context's own slot, as Microsoft's wrapper does.
            unsafe { slot(context, callback, callbackData) }
        }
        Some(_) => MI_RESULT_NOT_SUPPORTED,
    }
}

/// Sends an operational message to the client, as
/// `context->ft->WriteMessage(...)`: channel 0 (`MI_WRITEMESSAGE_CHANNEL_WARNING`)
/// becomes a PSRP WARNING_RECORD, 1 (`…_VERBOSE`) a VERBOSE_RECORD, 2
/// (`…_DEBUG`) a DEBUG_RECORD, sent to the host's sink before this returns —
/// unless the host said the client does not want that channel
/// (`mipsrp_context_set_message_requested`). A progress record the context
/// holds (coalesced) is sent first. `message` may be empty; it is read during
/// the call only, in the context's character type.
///
/// Returns:
/// - `MI_RESULT_OK`: sent, or dropped because the channel is not wanted;
/// - `MI_RESULT_INVALID_PARAMETER`: `context` or its table is NULL, `channel`
///   is above 2, `message` is NULL, or (wide) it holds a value above
///   0x10FFFF; nothing was sent;
/// - `MI_RESULT_SERVER_LIMITS_EXCEEDED`: the message would be larger than the
///   pool's maximum; nothing was sent;
/// - `MI_RESULT_FAILED`: the operation has ended, or the call was made from
///   inside the pool's sink; nothing was sent;
/// - `MI_RESULT_NOT_SUPPORTED`: a foreign context whose WriteMessage slot is NULL.
///
/// Thread-safety: any thread may call this, on one context or many.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`; `message` is NULL or
/// NUL-terminated and readable for the duration of the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn MI_Context_WriteMessage(
    context: *mut MI_Context,
    channel: MI_Uint32,
    message: *const MI_Char,
) -> MI_Result {
    // SAFETY: `context` is NULL or a context, by MI's contract.
    match unsafe { table(context) } {
        None => MI_RESULT_INVALID_PARAMETER,
        Some(MI_ContextFT {
            WriteMessage: Some(slot),
            ..
        }) => {
            // SAFETY: calling the context's own slot, as Microsoft's wrapper does.
            unsafe { slot(context, channel, message) }
        }
        Some(_) => MI_RESULT_NOT_SUPPORTED,
    }
}

/// Reports a non-terminating error to the client, as
/// `context->ft->WriteError(...)`: one PSRP ERROR_RECORD whose exception is a
/// `CimException` with `errorMessage` (NULL: empty), whose
/// FullyQualifiedErrorId and category come from `resultType` (NULL: `"MI"`)
/// and `resultCode` (README, "Errors"). A progress record the context holds
/// is sent first.
///
/// `*flag` receives `MI_TRUE` when the provider should continue, `MI_FALSE`
/// when the client stops on errors (`mipsrp_context_set_error_action`
/// `MIPSRP_ERROR_ACTION_STOP`). When the client ignores errors
/// (`MIPSRP_ERROR_ACTION_IGNORE`) nothing is sent and `*flag` is `MI_TRUE`.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` (nothing sent,
/// `*flag` untouched) when `context`, its table or `flag` is NULL, or (wide) a
/// string holds a value above 0x10FFFF; `MI_RESULT_SERVER_LIMITS_EXCEEDED`
/// when the record would be larger than the pool's maximum; `MI_RESULT_FAILED`
/// after PostResult/PostError or from inside the pool's sink;
/// `MI_RESULT_NOT_SUPPORTED` for a foreign context whose slot is NULL.
///
/// Thread-safety: any thread may call this.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`; the strings are NULL or
/// NUL-terminated; `flag` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn MI_Context_WriteError(
    context: *mut MI_Context,
    resultCode: MI_Uint32,
    resultType: *const MI_Char,
    errorMessage: *const MI_Char,
    flag: *mut MI_Boolean,
) -> MI_Result {
    // SAFETY: `context` is NULL or a context, by MI's contract.
    match unsafe { table(context) } {
        None => MI_RESULT_INVALID_PARAMETER,
        Some(MI_ContextFT {
            WriteError: Some(slot),
            ..
        }) => {
            // SAFETY: calling the context's own slot, as Microsoft's wrapper does.
            unsafe { slot(context, resultCode, resultType, errorMessage, flag) }
        }
        Some(_) => MI_RESULT_NOT_SUPPORTED,
    }
}

/// Ends the operation with an error, as `context->ft->PostError(...)`: the
/// progress record the context holds, then an ERROR_RECORD built as
/// `MI_Context_WriteError` builds it (sent whatever the error action), then
/// the Completed progress record if the context sent progress. After it,
/// every provider call on the context returns `MI_RESULT_FAILED`; the host
/// reads the outcome with `mipsrp_context_get_outcome`.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` when `context` or its
/// table is NULL or (wide) a string holds a value above 0x10FFFF, and
/// `MI_RESULT_SERVER_LIMITS_EXCEEDED` when the record would be larger than
/// the pool's maximum — in both cases nothing is sent and the operation goes
/// on; `MI_RESULT_FAILED` when it had already ended or the call was made from
/// inside the pool's sink; `MI_RESULT_NOT_SUPPORTED` for a foreign context
/// whose slot is NULL.
///
/// Thread-safety: any thread may call this.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`; the strings are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn MI_Context_PostError(
    context: *mut MI_Context,
    resultCode: MI_Uint32,
    resultType: *const MI_Char,
    errorMessage: *const MI_Char,
) -> MI_Result {
    // SAFETY: `context` is NULL or a context, by MI's contract.
    match unsafe { table(context) } {
        None => MI_RESULT_INVALID_PARAMETER,
        Some(MI_ContextFT {
            PostError: Some(slot),
            ..
        }) => {
            // SAFETY: calling the context's own slot, as Microsoft's wrapper does.
            unsafe { slot(context, resultCode, resultType, errorMessage) }
        }
        Some(_) => MI_RESULT_NOT_SUPPORTED,
    }
}
