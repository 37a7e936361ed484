//! The host side of the C ABI (`mi_psrp.h`): runspace pools with a sink, and
//! one `MI_Context` per operation.

use std::sync::Arc;

use super::{c_str, code, guard, guard_void, text};
use crate::host::{CharType, Context, ErrorAction, Pool, Sink};
use crate::mi::{
    MI_Boolean, MI_CancellationReason, MI_Char, MI_Context, MI_FALSE, MI_LocaleType,
    MI_RESULT_INVALID_PARAMETER, MI_RESULT_NOT_FOUND, MI_RESULT_OK, MI_Result, MI_TRUE,
};
use crate::provider::context::{free_context, new_context, ours};
use crate::psrp::guid::Guid;

/// A runspace pool: its id, its ObjectId counter and its sink. Opaque; made by
/// `mipsrp_pool_new` or `mipsrp_pool_new_framed`, released by `mipsrp_pool_free`.
#[allow(non_camel_case_types)]
pub struct mipsrp_pool {
    pub(crate) pool: Arc<Pool>,
}

impl mipsrp_pool {
    /// A new handle on `pool`, owned by the caller (released by `mipsrp_pool_free`).
    pub(crate) fn boxed(pool: Arc<Pool>) -> *mut mipsrp_pool {
        Box::into_raw(Box::new(mipsrp_pool { pool }))
    }
}

/// Receives exactly one whole PSRP fragment (21-byte header + blob) per call.
///
/// `fragment` is valid only during the call: copy what you keep. Calls for one
/// pool never overlap and arrive in ObjectId order, fragments of a message in
/// order, but they come from whichever thread sent the message (a provider's
/// write, PostResult, `mipsrp_pool_send`, `mipsrp_context_free` …), with the
/// pool's send lock held: the sink must be callable from any thread. The sink
/// must not call back into mi-psrp to send on the same pool, nor wait on one
/// of its contexts (such calls return `MI_RESULT_FAILED`).
#[allow(non_camel_case_types)]
pub type mipsrp_sink_fn =
    Option<unsafe extern "C" fn(user_data: *mut libc::c_void, fragment: *const u8, length: usize)>;

struct CSink {
    f: unsafe extern "C" fn(*mut libc::c_void, *const u8, usize),
    user_data: *mut libc::c_void,
}

// SAFETY: the host promises (see `mipsrp_sink_fn`) that its sink and user_data
// may be used from any thread; the pool calls the sink from one thread at a time.
unsafe impl Send for CSink {}

impl Sink for CSink {
    fn send(&mut self, fragment: &[u8]) {
        // SAFETY: the host gave us this function for exactly this call; the
        // slice is valid for the duration of the call.
        unsafe { (self.f)(self.user_data, fragment.as_ptr(), fragment.len()) }
    }
}

/// Opens a runspace pool whose fragments go to `sink`. (A host that frames
/// fragments for its transport uses `mipsrp_pool_new_framed` instead.)
///
/// - `runspace_pool_id`: GUID text in any form .NET's `Guid.Parse` accepts
///   (`6397709e-f7d6-c54d-9568-fd4656ae4820`, in braces, in parentheses,
///   32 bare digits, or the `{0x…,…}` form), any hex case.
/// - `sink`: called with every fragment of every message of the pool.
/// - `user_data`: passed to `sink` as it is; mi-psrp never dereferences it.
/// - `pool`: receives the new pool on success; left untouched on failure.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` (nothing created) when
/// `runspace_pool_id` is NULL or not a GUID, `sink` is NULL or `pool` is NULL.
///
/// Ownership: the caller owns `*pool` and releases it with `mipsrp_pool_free`.
/// The sink and `user_data` must stay usable until the pool and every context
/// made from it are freed. Thread-safety: may be called from any thread.
///
/// # Safety
/// `runspace_pool_id` is NULL or a NUL-terminated string; `pool` is NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_pool_new(
    runspace_pool_id: *const libc::c_char,
    sink: mipsrp_sink_fn,
    user_data: *mut libc::c_void,
    pool: *mut *mut mipsrp_pool,
) -> MI_Result {
    // SAFETY: forwarded; see this function's contract.
    unsafe {
        open_pool(runspace_pool_id, sink, pool, |id, f| {
            Pool::new(id, CSink { f, user_data })
        })
    }
}

/// The one pool constructor behind `mipsrp_pool_new` and
/// `mipsrp_pool_new_framed`: checks the id, the sink and the out-pointer
/// (any bad → `MI_RESULT_INVALID_PARAMETER`, nothing made), makes the pool
/// with `make` and writes its handle.
///
/// # Safety
/// `runspace_pool_id` is NULL or a NUL-terminated string; `pool` is NULL or
/// writable.
pub(crate) unsafe fn open_pool<F>(
    runspace_pool_id: *const libc::c_char,
    sink: Option<F>,
    pool: *mut *mut mipsrp_pool,
    make: impl FnOnce(Guid, F) -> Arc<Pool>,
) -> MI_Result {
    guard(|| {
        // SAFETY: NULL or a NUL-terminated string, by this function's contract.
        let Some(id) = (unsafe { c_str(runspace_pool_id) }).and_then(|s| Guid::parse(s).ok())
        else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        let (Some(f), false) = (sink, pool.is_null()) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        let handle = mipsrp_pool::boxed(make(id, f));
        // SAFETY: `pool` is non-NULL and, by contract, writable.
        unsafe { pool.write(handle) };
        MI_RESULT_OK
    })
}

/// Runs `f` on `pool`, panics caught; NULL → INVALID_PARAMETER. The one way
/// every `mipsrp_pool_*` call reaches its pool.
///
/// # Safety
/// `pool` is NULL or a live pool, not freed during the call.
pub(crate) unsafe fn with_pool(
    pool: *const mipsrp_pool,
    f: impl FnOnce(&Arc<Pool>) -> MI_Result,
) -> MI_Result {
    guard(|| {
        // SAFETY: NULL or a live pool made by `mipsrp_pool_new(_framed)`, by contract.
        match unsafe { pool.as_ref() } {
            Some(p) => f(&p.pool),
            None => MI_RESULT_INVALID_PARAMETER,
        }
    })
}

/// Sets the fragment size, in bytes including the 21-byte fragment header, for
/// the messages sent from now on. The default is 32768, as PowerShell's.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` (nothing changed) when
/// `pool` is NULL or `fragment_size` is below 22.
///
/// Thread-safety: may be called from any thread; a message being sent keeps
/// the size it started with.
///
/// # Safety
/// `pool` is NULL or a pool from `mipsrp_pool_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_pool_set_fragment_size(
    pool: *mut mipsrp_pool,
    fragment_size: u32,
) -> MI_Result {
    // SAFETY: forwarded; see this function's contract.
    unsafe { with_pool(pool, |p| code(p.set_fragment_size(fragment_size))) }
}

/// Sets the largest PSRP message (40-byte header, BOM and CLIXML) that the
/// pool's contexts may send, in bytes; the default is 1 MiB (1048576). A
/// WriteProgress whose message would be larger returns
/// `MI_RESULT_SERVER_LIMITS_EXCEEDED`, sends nothing and leaves the context
/// usable. No buffer of a context grows much past this size, however long a
/// provider runs.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` (nothing changed) when
/// `pool` is NULL or `bytes` is below 1024.
///
/// Thread-safety: may be called from any thread; applies to writes that start
/// after it returns.
///
/// # Safety
/// `pool` is NULL or a pool from `mipsrp_pool_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_pool_set_max_message_size(
    pool: *mut mipsrp_pool,
    bytes: u32,
) -> MI_Result {
    // SAFETY: forwarded; see this function's contract.
    unsafe { with_pool(pool, |p| code(p.set_max_message_size(bytes))) }
}

/// Releases the host's handle on a pool. NULL is accepted and ignored.
///
/// Contexts made from the pool stay usable and keep the pool (and its sink)
/// alive until the last of them is freed. Do not use `pool` afterwards.
///
/// # Safety
/// `pool` is NULL or a pool from `mipsrp_pool_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_pool_free(pool: *mut mipsrp_pool) {
    guard_void(|| {
        if !pool.is_null() {
            // SAFETY: a pool made by `mipsrp_pool_new`, released once, by contract.
            drop(unsafe { Box::from_raw(pool) });
        }
    })
}

/// Creates the `MI_Context` for one operation of pipeline `pipeline_id`, to be
/// passed to a wide provider (`MI_CHAR_TYPE 2`): the same as
/// `mipsrp_context_new_ex` with `char_size = sizeof(wchar_t)`.
///
/// Pool-level records: with the nil GUID
/// (`00000000-0000-0000-0000-000000000000`) as `pipeline_id` the records go
/// to the runspace pool itself: the message header's PID is nil, a framed
/// sink's `info->pipeline_id` is `"00000000-0000-0000-0000-000000000000"`,
/// and PowerShell clients show them on the pool's streams.
///
/// Returns, ownership and thread-safety: as for `mipsrp_context_new_ex`.
///
/// # Safety
/// As for `mipsrp_context_new_ex`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_new(
    pool: *mut mipsrp_pool,
    pipeline_id: *const libc::c_char,
    activity_id: i32,
    parent_activity_id: i32,
    context: *mut *mut MI_Context,
) -> MI_Result {
    // SAFETY: forwarded; same contract.
    unsafe {
        mipsrp_context_new_ex(
            pool,
            pipeline_id,
            activity_id,
            parent_activity_id,
            size_of::<MI_Char>(),
            context,
        )
    }
}

/// Creates the `MI_Context` for one operation of pipeline `pipeline_id`, to be
/// passed to a provider whose `MI_Char` is `char_size` bytes.
///
/// - `pool`: the runspace pool the operation runs in.
/// - `pipeline_id`: GUID text (same forms as for `mipsrp_pool_new`). The nil
///   GUID (`00000000-0000-0000-0000-000000000000`) sends the records on the
///   runspace pool itself rather than on a pipeline (pool-level records):
///   their message header's PID is nil, a framed sink's `info->pipeline_id`
///   is `"00000000-0000-0000-0000-000000000000"`, and PowerShell clients
///   show them on the pool's streams.
/// - `activity_id`: the ActivityId of every progress record of this context;
///   below 0 takes the next id from a process-wide counter that starts at 1,
///   skipping any id a live context of the pool uses and the parent's (two
///   contexts with one id would be one progress bar on the client).
/// - `parent_activity_id`: the ParentActivityId; below 0 means none (sent as -1).
/// - `char_size`: what the provider's module announces in `MI_Module.charSize`:
///   1 for a UTF-8 provider (`MI_CHAR_TYPE 1`, OMI's default), whose strings
///   the context reads as UTF-8 `char` (invalid sequences become U+FFFD, as
///   .NET decodes them; they never make a call fail), or `sizeof(wchar_t)` for
///   a wide one (`MI_CHAR_TYPE 2`). Every string slot, `GetLocale` and
///   `mipsrp_context_set_locale` use that type.
/// - `context`: receives the new context on success; left untouched on failure.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` (nothing created) when
/// `pool`, `pipeline_id` or `context` is NULL, `pipeline_id` is not a GUID,
/// `char_size` is neither 1 nor `sizeof(wchar_t)`, or `parent_activity_id`
/// equals `activity_id`.
///
/// On a pool whose transport is gone (`mipsrp_pool_transport_gone`) the new
/// context is gone from its start (see `mipsrp_context_transport_gone`).
///
/// Ownership: the caller owns `*context` and releases it with
/// `mipsrp_context_free`; the context keeps its pool alive.
/// Thread-safety: may be called from any thread.
///
/// # Safety
/// `pool` is NULL or a live pool; `pipeline_id` is NULL or a NUL-terminated
/// string; `context` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_new_ex(
    pool: *mut mipsrp_pool,
    pipeline_id: *const libc::c_char,
    activity_id: i32,
    parent_activity_id: i32,
    char_size: usize,
    context: *mut *mut MI_Context,
) -> MI_Result {
    guard(|| {
        // SAFETY: NULL or a live pool made by `mipsrp_pool_new`, by contract.
        let Some(p) = (unsafe { pool.as_ref() }) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        // SAFETY: NULL or a NUL-terminated string, by contract.
        let Some(pid) = (unsafe { c_str(pipeline_id) }).and_then(|s| Guid::parse(s).ok()) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        let Some(char_type) = CharType::from_char_size(char_size) else {
            return MI_RESULT_INVALID_PARAMETER;
        };
        if context.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        match Context::with_char_type(&p.pool, pid, activity_id, parent_activity_id, char_type) {
            Ok(ctx) => {
                // SAFETY: `context` is non-NULL and, by contract, writable.
                unsafe { context.write(new_context(ctx)) };
                MI_RESULT_OK
            }
            Err(e) => e.code(),
        }
    })
}

/// Tells the ActivityId every record of the context carries (the one given
/// to `mipsrp_context_new`, or the one drawn from the process-wide counter),
/// so that a host can make child contexts with it as their parent.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` (nothing written) when
/// `context` or `activity_id` is NULL or the context is not made by mi-psrp.
/// Thread-safety: any thread, at any time.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`; `activity_id` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_get_activity_id(
    context: *mut MI_Context,
    activity_id: *mut i32,
) -> MI_Result {
    let get = |ctx: &Context| {
        if activity_id.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // SAFETY: non-NULL and writable by contract.
        unsafe { activity_id.write(ctx.activity_id()) };
        MI_RESULT_OK
    };
    // SAFETY: forwarded; see this function's contract.
    unsafe { with_context(context, get) }
}

/// Frees a context made by `mipsrp_context_new`. NULL, and a context that
/// mi-psrp did not make, are ignored.
///
/// A context whose operation has not ended (no PostResult) is ended as
/// PostResult would end it: its pending record, then its Completed record,
/// go to the sink first (except when called from inside the pool's sink,
/// or after the transport is gone, where they are dropped); then its
/// completion callback is called on this thread with
/// `MIPSRP_ENDING_FREED`, while the context is still valid (from inside the
/// pool's sink, inside the sink's call).
///
/// The provider must have stopped using the context: no call on it may be
/// under way or made afterwards.
///
/// # Safety
/// `context` is NULL, a context mi-psrp did not make, or one from
/// `mipsrp_context_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_free(context: *mut MI_Context) {
    // SAFETY: NULL or a context the caller owns and no one else uses, by contract.
    guard_void(|| unsafe { free_context(context) })
}

/// Runs `f` on the host state of `context`; NULL or foreign → INVALID_PARAMETER.
/// The one way every `mipsrp_context_*` call reaches its context.
///
/// # Safety
/// `context` is NULL or a readable `MI_Context`, not freed during the call.
pub(crate) unsafe fn with_context(
    context: *const MI_Context,
    f: impl FnOnce(&Context) -> MI_Result,
) -> MI_Result {
    guard(|| {
        // SAFETY: forwarded from the caller.
        match unsafe { ours(context) } {
            Some(ctx) => f(ctx),
            None => MI_RESULT_INVALID_PARAMETER,
        }
    })
}

/// Tells the context whether the client registered for progress (default
/// `MI_TRUE`; any non-zero value counts as true). While it has not,
/// `MI_Context_WriteProgress` validates its arguments and returns
/// `MI_RESULT_OK` but sends nothing — no record, no coalesced record, no
/// Completed record — and resets no timeout.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` when `context` is NULL
/// or not made by mi-psrp. Thread-safety: any thread, at any time.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_set_progress_requested(
    context: *mut MI_Context,
    requested: MI_Boolean,
) -> MI_Result {
    // SAFETY: forwarded; see this function's contract.
    unsafe {
        with_context(context, |ctx| {
            ctx.set_progress_requested(requested != 0);
            MI_RESULT_OK
        })
    }
}

/// Sets the least time, in milliseconds, between two records the context
/// sends (default 0: every write is sent). The first write is always sent; a
/// write sooner than the interval after the last sent record (or after this
/// call, for a record sent while no interval or timeout was set: the context
/// reads no clock then) is held as
/// pending, replacing an older pending one. The pending record goes out with
/// `mipsrp_context_flush`, with PostResult, or never if a write after the
/// interval supersedes it: the last state always reaches the client. No timer
/// runs: a host that wants held records out on time calls
/// `mipsrp_context_flush` from its own timer.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` when `context` is NULL
/// or not made by mi-psrp. Thread-safety: any thread, at any time.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_set_progress_interval(
    context: *mut MI_Context,
    milliseconds: u32,
) -> MI_Result {
    // SAFETY: forwarded; see this function's contract.
    unsafe {
        with_context(context, |ctx| {
            ctx.set_progress_interval(milliseconds);
            MI_RESULT_OK
        })
    }
}

/// Sets the operation's timeout in milliseconds (0, the default: none). The
/// deadline is the latest of the context's creation, this call and the last
/// progress record sent since, plus the timeout: progress resets it. Past the
/// deadline `Canceled` reports true
/// and `mipsrp_context_timed_out` reports it; nothing else happens by itself
/// (a host that acts on it calls `mipsrp_context_cancel(context,
/// MI_REASON_TIMEOUT)`).
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` when `context` is NULL
/// or not made by mi-psrp. Thread-safety: any thread, at any time.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_set_timeout(
    context: *mut MI_Context,
    milliseconds: u32,
) -> MI_Result {
    // SAFETY: forwarded; see this function's contract.
    unsafe {
        with_context(context, |ctx| {
            ctx.set_timeout(milliseconds);
            MI_RESULT_OK
        })
    }
}

/// Sets `*timed_out` to `MI_TRUE` if the context's timeout is set and its
/// deadline has passed, `MI_FALSE` otherwise.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` (nothing written) when
/// `context` or `timed_out` is NULL or the context is not made by mi-psrp.
/// Thread-safety: any thread, at any time.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`; `timed_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_timed_out(
    context: *mut MI_Context,
    timed_out: *mut MI_Boolean,
) -> MI_Result {
    let report = |ctx: &Context| {
        if timed_out.is_null() {
            return MI_RESULT_INVALID_PARAMETER;
        }
        let value = if ctx.timed_out() { MI_TRUE } else { MI_FALSE };
        // SAFETY: non-NULL and writable by contract.
        unsafe { timed_out.write(value) };
        MI_RESULT_OK
    };
    // SAFETY: forwarded; see this function's contract.
    unsafe { with_context(context, report) }
}

/// Cancels the operation with `reason` (`MI_REASON_NONE` … `MI_REASON_SERVICESTOP`):
/// the provider's `Canceled` reports true from now on, and the callback it
/// registered with `RegisterCancel` is called exactly once with `reason` — on
/// this thread, before this returns, or at registration if it registers
/// later. A second cancel changes nothing; a cancel after PostResult calls no
/// callback. WriteProgress keeps working, so the provider can report its
/// wind-down.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` when `context` is NULL
/// or not made by mi-psrp, or `reason` is unknown.
/// Thread-safety: any thread, also concurrently with the provider's calls.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_cancel(
    context: *mut MI_Context,
    reason: MI_CancellationReason,
) -> MI_Result {
    // SAFETY: forwarded; see this function's contract.
    unsafe { with_context(context, |ctx| code(ctx.cancel(reason))) }
}

/// Sets the locale the provider's `GetLocale` returns for `type`
/// (`MI_LOCALE_TYPE_*`); the default is `en-US` for every type. `locale` is
/// copied: 1 to `MI_MAX_LOCALE_SIZE - 1` characters, NUL-terminated, in the
/// context's character type (`char` UTF-8 bytes for a context made with
/// `char_size` 1, `wchar_t` otherwise).
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` (nothing changed) when
/// `context` or `locale` is NULL, the context is not made by mi-psrp, `type`
/// is unknown, or `locale` is empty or too long.
/// Thread-safety: any thread, at any time.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`; `locale` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_set_locale(
    context: *mut MI_Context,
    r#type: MI_LocaleType,
    locale: *const MI_Char,
) -> MI_Result {
    // SAFETY: NULL or NUL-terminated in the context's character type, by contract.
    let set = |ctx: &Context| match unsafe { text(locale, ctx.char_type()) } {
        Some(l) => code(ctx.set_locale(r#type, l)),
        None => MI_RESULT_INVALID_PARAMETER,
    };
    // SAFETY: forwarded; see this function's contract.
    unsafe { with_context(context, set) }
}

/// Sends the context's pending (coalesced) record now, if it has one and
/// progress is requested.
///
/// Returns `MI_RESULT_OK`, also when nothing is pending or the operation has
/// ended; `MI_RESULT_INVALID_PARAMETER` when `context` is NULL or not made by
/// mi-psrp; `MI_RESULT_FAILED` when called from inside the pool's sink.
/// Thread-safety: any thread, at any time.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_flush(context: *mut MI_Context) -> MI_Result {
    // SAFETY: forwarded; see this function's contract.
    unsafe { with_context(context, |ctx| code(ctx.flush())) }
}

/// `mipsrp_context_set_error_action`: the client continues after an error
/// (`ErrorAction Continue`, the default): errors are sent, the provider's
/// `WriteError` flag is `MI_TRUE`.
pub const MIPSRP_ERROR_ACTION_CONTINUE: u32 = 0;
/// The client stops on an error (`ErrorAction Stop`): errors are sent, the
/// provider's `WriteError` flag is `MI_FALSE`.
pub const MIPSRP_ERROR_ACTION_STOP: u32 = 1;
/// The client ignores errors (`SilentlyContinue`, `Ignore`): `WriteError`
/// sends nothing and its flag is `MI_TRUE`. (PostError is always sent.)
pub const MIPSRP_ERROR_ACTION_IGNORE: u32 = 2;

/// Tells the context whether the client wants the `MI_Context_WriteMessage`
/// channel `channel` (0 warning, 1 verbose, 2 debug: the client's
/// `WarningAction`, `-Verbose`, `-Debug`). Default: every channel. A message
/// on a channel not wanted is validated and answered `MI_RESULT_OK`, and
/// nothing is sent.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` (nothing changed)
/// when `context` is NULL or not made by mi-psrp, or `channel` is above 2.
/// Thread-safety: any thread, at any time.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_set_message_requested(
    context: *mut MI_Context,
    channel: u32,
    requested: MI_Boolean,
) -> MI_Result {
    // SAFETY: forwarded; see this function's contract.
    unsafe {
        with_context(context, |ctx| {
            code(ctx.set_message_requested(channel, requested != 0))
        })
    }
}

/// Tells the context what the client does on an error (its ErrorAction):
/// `MIPSRP_ERROR_ACTION_CONTINUE` (the default), `_STOP` or `_IGNORE`; see
/// those constants for what `MI_Context_WriteError` does under each.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` (nothing changed)
/// when `context` is NULL or not made by mi-psrp, or `action` is another
/// number. Thread-safety: any thread, at any time.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_set_error_action(
    context: *mut MI_Context,
    action: u32,
) -> MI_Result {
    // SAFETY: forwarded; see this function's contract.
    unsafe {
        with_context(context, |ctx| match ErrorAction::from_u32(action) {
            Some(a) => {
                ctx.set_error_action(a);
                MI_RESULT_OK
            }
            None => MI_RESULT_INVALID_PARAMETER,
        })
    }
}

/// Tells how the operation ended, once the provider has ended it (PostResult
/// or PostError). Each out-pointer may be NULL (not written).
///
/// - `result`: the result code the provider posted.
/// - `result_type`: for PostError, its result type as UTF-8 (`"MI"` when the
///   provider passed NULL); NULL for PostResult.
/// - `message`: for PostError, its message as UTF-8 (empty when the provider
///   passed NULL); NULL for PostResult.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_NOT_FOUND` (nothing written) while the
/// operation goes on; `MI_RESULT_INVALID_PARAMETER` when `context` is NULL or
/// not made by mi-psrp; `MI_RESULT_SERVER_LIMITS_EXCEEDED` (nothing written)
/// when memory for the strings' C copies cannot be had.
///
/// Ownership: the strings belong to the context and stay valid until it is
/// freed. Thread-safety: any thread, at any time.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`; each out-pointer is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_get_outcome(
    context: *const MI_Context,
    result: *mut MI_Result,
    result_type: *mut *const libc::c_char,
    message: *mut *const libc::c_char,
) -> MI_Result {
    guard(|| {
        // SAFETY: NULL or a live context, by contract.
        let Some((outcome, strings)) = (match unsafe { crate::provider::context::outcome(context) }
        {
            Ok(found) => found,
            Err(code) => return code,
        }) else {
            return MI_RESULT_NOT_FOUND;
        };
        let (t, m) = match strings.as_ref() {
            Some((t, m)) => (t.as_ptr(), m.as_ptr()),
            None => (std::ptr::null(), std::ptr::null()),
        };
        // SAFETY: each pointer is NULL (skipped) or writable, by contract.
        unsafe {
            if !result.is_null() {
                result.write(outcome.result);
            }
            if !result_type.is_null() {
                result_type.write(t);
            }
            if !message.is_null() {
                message.write(m);
            }
        }
        MI_RESULT_OK
    })
}
