//! The `MI_Context`s mi-psrp creates: the allocation behind each one (the
//! `MI_Context` a provider sees, then the host's [`Context`]) and their
//! function table, one slot per `MI_ContextFT` entry. Every slot follows one
//! pattern: catch panics (`guard`), find the context (`ours`/`live`), read
//! the provider's arguments with the one string reader of its character
//! type, call [`crate::host`] (or the instance layer), map the outcome to an
//! `MI_Result`.

#![allow(non_snake_case)]

use std::ffi::CString;
use std::ptr;
use std::sync::OnceLock;

use crate::host::Outcome;

mod cim_error;
mod instances;
pub mod options;

pub use instances::{Operation, UnloadControl};

use super::{code, guard, text, utf8_text, wide_text};
use crate::host::{CharType, Context};
use crate::mi::MI_RESULT_FAILED;
use crate::mi::{
    MI_Boolean, MI_CancelCallback, MI_CancellationReason, MI_Char, MI_Context, MI_ContextFT,
    MI_FALSE, MI_Instance, MI_LifecycleIndicationContext, MI_LocaleType, MI_MAX_LOCALE_SIZE,
    MI_PromptType, MI_RESULT_INVALID_PARAMETER, MI_RESULT_NOT_SUPPORTED, MI_RESULT_OK,
    MI_RESULT_SERVER_LIMITS_EXCEEDED, MI_Result, MI_Session, MI_TRUE, MI_Uint32,
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
    /// The operation the context runs, when a module runs it.
    pub(crate) operation: OnceLock<Operation>,
    /// The operation options the host passes (`GetCustomOption` …).
    pub(crate) options: options::Options,
    /// The classes of the operation's module read so far (PostInstance
    /// reads each class declaration once per operation).
    pub(crate) classes: std::sync::Mutex<crate::provider::instance::read::ClassCache>,
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
        operation: OnceLock::new(),
        options: options::Options::default(),
        classes: std::sync::Mutex::default(),
    }));
    // SAFETY: `handle` was just allocated by Box and is uniquely owned here.
    unsafe {
        (*handle).mi.reserved[0] = handle as libc::ptrdiff_t;
        &raw mut (*handle).mi
    }
}

/// The whole handle of a context mi-psrp created; `None` for NULL or foreign.
///
/// # Safety
/// As for [`ours`].
pub(crate) unsafe fn handle<'a>(context: *const MI_Context) -> Option<&'a ContextHandle> {
    // SAFETY: forwarded from the caller.
    unsafe { ours(context) }?;
    // SAFETY: `ours` checked that the context is ours: `reserved[0]` is its live handle.
    Some(unsafe { &*((*context).reserved[0] as *const ContextHandle) })
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
pub(crate) unsafe fn live<'a>(context: *const MI_Context) -> Result<&'a Context, MI_Result> {
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

/// The end of every prompt slot: `*flag` gets the answer (`MI_FALSE` when
/// the prompt could not take place) unless the arguments were refused or
/// the host answers no prompts (`MI_RESULT_NOT_SUPPORTED`: nothing written).
///
/// # Safety
/// `flag` is non-NULL and writable (MI's contract, checked for NULL by the caller).
unsafe fn answer(flag: *mut MI_Boolean, r: Result<bool, crate::host::MiError>) -> MI_Result {
    let (value, code) = match r {
        Ok(yes) => (if yes { MI_TRUE } else { MI_FALSE }, MI_RESULT_OK),
        Err(
            e @ (crate::host::MiError::InvalidParameter(_) | crate::host::MiError::NotSupported),
        ) => return e.code(),
        Err(e) => (MI_FALSE, e.code()),
    };
    // SAFETY: forwarded from the caller.
    unsafe { flag.write(value) };
    code
}

unsafe extern "system" fn slot_should_process(
    context: *mut MI_Context,
    target: *const MI_Char,
    action: *const MI_Char,
    flag: *mut MI_Boolean,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        let Some(ctx) = (unsafe { ours(context) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        if flag.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        let ct = ctx.char_type();
        // SAFETY: MI's contract: NULL or NUL-terminated, valid for the call.
        let (target, action) = unsafe { (text(target, ct), text(action, ct)) };
        // SAFETY: checked non-NULL; MI's contract makes it writable.
        unsafe { answer(flag, ctx.should_process(target, action)) }
    })
}

unsafe extern "system" fn slot_should_continue(
    context: *mut MI_Context,
    message: *const MI_Char,
    flag: *mut MI_Boolean,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        let Some(ctx) = (unsafe { ours(context) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        if flag.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: MI's contract: NULL or NUL-terminated, valid for the call.
        let message = unsafe { text(message, ctx.char_type()) };
        // SAFETY: checked non-NULL; MI's contract makes it writable.
        unsafe { answer(flag, ctx.should_continue(message)) }
    })
}

unsafe extern "system" fn slot_prompt_user(
    context: *mut MI_Context,
    message: *const MI_Char,
    prompt_type: MI_PromptType,
    flag: *mut MI_Boolean,
) -> MI_Result {
    guard(|| {
        // SAFETY: the provider passes the context it was given.
        let Some(ctx) = (unsafe { ours(context) }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        if flag.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: MI's contract: NULL or NUL-terminated, valid for the call.
        let message = unsafe { text(message, ctx.char_type()) };
        // MI_PromptType is an integer type here, never a Rust enum.
        // SAFETY: checked non-NULL; MI's contract makes it writable.
        unsafe { answer(flag, ctx.prompt_user(message, prompt_type)) }
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

not_supported!(slot_post_indication(c: *mut MI_Context, i: *const MI_Instance, n: MI_Uint32, b: *const MI_Char));
not_supported!(slot_get_local_session(c: *const MI_Context, s: *mut MI_Session));
not_supported!(slot_set_string_option(c: *mut MI_Context, n: *const MI_Char, v: *const MI_Char));
not_supported!(slot_get_lifecycle_indication_context(c: *mut MI_Context, l: *mut *mut MI_LifecycleIndicationContext));

/// The table of every context mi-psrp creates: no slot is NULL.
pub(crate) static CONTEXT_FT: MI_ContextFT = MI_ContextFT {
    PostResult: Some(slot_post_result),
    PostInstance: Some(instances::slot_post_instance),
    PostIndication: Some(slot_post_indication),
    ConstructInstance: Some(instances::slot_construct_instance),
    ConstructParameters: Some(instances::slot_construct_parameters),
    NewInstance: Some(instances::slot_new_instance),
    NewDynamicInstance: Some(instances::slot_new_dynamic_instance),
    NewParameters: Some(instances::slot_new_parameters),
    Canceled: Some(slot_canceled),
    GetLocale: Some(slot_get_locale),
    RegisterCancel: Some(slot_register_cancel),
    RequestUnload: Some(instances::slot_request_unload),
    RefuseUnload: Some(instances::slot_refuse_unload),
    GetLocalSession: Some(slot_get_local_session),
    SetStringOption: Some(slot_set_string_option),
    GetStringOption: Some(options::slot_get_string_option),
    GetNumberOption: Some(options::slot_get_number_option),
    GetCustomOption: Some(options::slot_get_custom_option),
    GetCustomOptionCount: Some(options::slot_get_custom_option_count),
    GetCustomOptionAt: Some(options::slot_get_custom_option_at),
    WriteMessage: Some(slot_write_message),
    WriteProgress: Some(slot_write_progress),
    WriteStreamParameter: Some(instances::slot_write_stream_parameter),
    WriteCimError: Some(cim_error::slot_write_cim_error),
    PromptUser: Some(slot_prompt_user),
    ShouldProcess: Some(slot_should_process),
    ShouldContinue: Some(slot_should_continue),
    PostError: Some(slot_post_error),
    PostCimError: Some(cim_error::slot_post_cim_error),
    WriteError: Some(slot_write_error),
    GetLifecycleIndicationContext: Some(slot_get_lifecycle_indication_context),
};

/// An `MI_Context` of mi-psrp's, owned from Rust: what a module's operation
/// runs on. Dropping it frees the context once the provider has ended the
/// operation; one that has not is cancelled (`MI_REASON_SHUTDOWN`) and given
/// [`ProviderContext::GRACE`] to end — a provider that still has not ended
/// it may yet call it, so its memory is then left allocated rather than freed
/// under the provider (documented in `docs/bad-input.md`).
pub struct ProviderContext(std::ptr::NonNull<MI_Context>);

// SAFETY: the context's host state is Sync (every method takes &self and
// locks what it changes); the handle is owned by this value alone.
unsafe impl Send for ProviderContext {}
// SAFETY: as above.
unsafe impl Sync for ProviderContext {}

impl ProviderContext {
    /// How long a drop waits for a cancelled provider to end its operation.
    pub const GRACE: std::time::Duration = std::time::Duration::from_secs(5);

    /// A view of a context of ours made elsewhere (`mipsrp_context_new`):
    /// wrap it in `ManuallyDrop`, the host frees it.
    ///
    /// # Safety
    /// `context` is a live context of ours (checked non-NULL and ours by the caller).
    pub(crate) unsafe fn borrowed(context: *mut MI_Context) -> std::mem::ManuallyDrop<Self> {
        std::mem::ManuallyDrop::new(ProviderContext(
            std::ptr::NonNull::new(context).expect("checked by the caller"),
        ))
    }

    /// Wraps `ctx` in a fresh `MI_Context`.
    pub fn new(ctx: Context) -> Self {
        ProviderContext(std::ptr::NonNull::new(new_context(ctx)).expect("Box is non-null"))
    }

    /// The `MI_Context` a provider is given.
    pub fn as_ptr(&self) -> *mut MI_Context {
        self.0.as_ptr()
    }

    /// The host context.
    pub fn context(&self) -> &Context {
        // SAFETY: ours and live for as long as `self`.
        unsafe { ours(self.0.as_ptr()) }.expect("ours")
    }

    /// Sets an operation option the provider reads with `GetStringOption`,
    /// `GetNumberOption` or `GetCustomOption*` (a later set of a name wins).
    pub fn set_option(&self, name: &str, value: options::OptionValue) {
        // SAFETY: ours and live for as long as `self`.
        let h = unsafe { handle(self.0.as_ptr()) }.expect("ours");
        h.options.set(name, value, h.ctx.char_type());
    }

    /// Tells the context which operation it runs (once; later calls are ignored).
    pub(crate) fn set_operation(&self, op: Operation) {
        // SAFETY: ours and live for as long as `self`.
        let h = unsafe { handle(self.0.as_ptr()) }.expect("ours");
        let _ = h.operation.set(op);
    }
}

impl Drop for ProviderContext {
    fn drop(&mut self) {
        let ctx = self.context();
        if !ctx.is_ended() {
            let _ = ctx.cancel(crate::mi::MI_REASON_SHUTDOWN);
            if ctx.wait(Some(Self::GRACE)).is_none() {
                // The provider may still call it: leave it allocated.
                return;
            }
        }
        // SAFETY: ours, ended, and no longer used by this value.
        unsafe { free_context(self.0.as_ptr()) };
    }
}
