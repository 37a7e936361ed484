//! The exported `MI_Context_*` functions, which behave like Microsoft's inline
//! wrappers (NULL context or table → INVALID_PARAMETER, otherwise a call
//! through `context->ft`). The table of mi-psrp's own contexts is in
//! [`crate::provider::context`].

#![allow(non_snake_case)]

use crate::mi::{
    MI_Boolean, MI_CancelCallback, MI_Char, MI_Context, MI_ContextFT, MI_LocaleType,
    MI_RESULT_INVALID_PARAMETER, MI_RESULT_NOT_SUPPORTED, MI_Result, MI_Uint32,
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
/// and `resultCode` (docs/context.md, "How an MI error is named"). A progress record the context holds
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
