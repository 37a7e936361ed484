//! The host's side of one connection (`mi_psrp.h`, issue 10): a sink that
//! says what it delivers, the host's own messages through the pool, ObjectIds
//! from the host, how an operation ended (callback and wait), and a client
//! that goes away. Thin wrappers over [`crate::host`].

use std::sync::Arc;
use std::time::Duration;

use super::host::{mipsrp_pool, with_context, with_pool};
use super::{c_str, code};
use crate::host::{Context, Ending, FragmentInfo, FramedSink, Outcome, Pool};
use crate::mi::{
    MI_Boolean, MI_Context, MI_FALSE, MI_RESULT_INVALID_PARAMETER, MI_RESULT_NOT_FOUND,
    MI_RESULT_OK, MI_RESULT_SERVER_LIMITS_EXCEEDED, MI_Result, MI_TRUE,
};
use crate::psrp::guid::Guid;

// ---- framed sink -----------------------------------------------------------

/// What a framed sink learns of each fragment besides its bytes, so that a
/// host can frame it for its transport (the OutOfProc `<Data Stream='Default'
/// PSGuid='…'>` line needs the pipeline id) without parsing the fragment's
/// headers.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
#[allow(non_camel_case_types)]
pub struct mipsrp_fragment_info {
    /// The message's ObjectId.
    pub object_id: u64,
    /// The fragment's position in its message: 0 for the first.
    pub fragment_id: u64,
    /// The PSRP message type of the fragment's message, e.g. `0x00041010`
    /// (PROGRESS_RECORD).
    pub message_type: u32,
    /// 1: the first fragment of its message.
    pub start: MI_Boolean,
    /// 1: the last fragment of its message.
    pub end: MI_Boolean,
    /// The message's PID, lower-case D form, NUL-terminated;
    /// `"00000000-0000-0000-0000-000000000000"` for the runspace pool itself.
    pub pipeline_id: [libc::c_char; 37],
}

/// Receives exactly one whole PSRP fragment (21-byte header + blob) per call,
/// with `info` telling what it is.
///
/// `info` and `fragment` are valid only during the call: copy what you keep.
/// The same rules as `mipsrp_sink_fn` hold: calls for one pool never overlap
/// and arrive in ObjectId order (fragments of a message in order, a message's
/// fragments never interleaved with another's), from whichever thread sent
/// the message (a provider's write, `mipsrp_pool_send`, PostResult,
/// `mipsrp_context_free` …), with the pool's send lock held; the sink must
/// not call mi-psrp to send on the same pool (such calls return
/// `MI_RESULT_FAILED`).
#[allow(non_camel_case_types)]
pub type mipsrp_framed_sink_fn = Option<
    unsafe extern "C" fn(
        user_data: *mut libc::c_void,
        info: *const mipsrp_fragment_info,
        fragment: *const u8,
        length: usize,
    ),
>;

struct CFramedSink {
    f: unsafe extern "C" fn(*mut libc::c_void, *const mipsrp_fragment_info, *const u8, usize),
    user_data: *mut libc::c_void,
}

// SAFETY: the host promises (see `mipsrp_framed_sink_fn`) that its sink and
// user_data may be used from any thread; the pool calls it from one at a time.
unsafe impl Send for CFramedSink {}

impl FramedSink for CFramedSink {
    fn send(&mut self, info: &FragmentInfo, fragment: &[u8]) {
        let mut pipeline_id = [0 as libc::c_char; 37];
        for (to, &from) in pipeline_id.iter_mut().zip(info.pipeline_id_bytes()) {
            *to = from as libc::c_char;
        }
        let c_info = mipsrp_fragment_info {
            object_id: info.object_id,
            fragment_id: info.fragment_id,
            message_type: info.message_type,
            start: if info.start { MI_TRUE } else { MI_FALSE },
            end: if info.end { MI_TRUE } else { MI_FALSE },
            pipeline_id,
        };
        // SAFETY: the host gave us this function for exactly this call; the
        // info and the slice are valid for the duration of the call.
        unsafe { (self.f)(self.user_data, &c_info, fragment.as_ptr(), fragment.len()) }
    }
}

/// Opens a runspace pool whose fragments go to the framed sink `sink`: as
/// `mipsrp_pool_new`, but each fragment comes with a `mipsrp_fragment_info`
/// (its ObjectId, FragmentId, Start/End, message type and pipeline id).
///
/// - `runspace_pool_id`: GUID text, as for `mipsrp_pool_new`.
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
pub unsafe extern "C" fn mipsrp_pool_new_framed(
    runspace_pool_id: *const libc::c_char,
    sink: mipsrp_framed_sink_fn,
    user_data: *mut libc::c_void,
    pool: *mut *mut mipsrp_pool,
) -> MI_Result {
    // SAFETY: forwarded; see this function's contract.
    unsafe {
        super::host::open_pool(runspace_pool_id, sink, pool, |id, f| {
            Pool::new_framed(id, CFramedSink { f, user_data })
        })
    }
}

// ---- one connection, one counter ---------------------------------------------

/// Sends one PSRP message of the host's own (Destination: client) whose data
/// (what follows the 40-byte message header, e.g. BOM + CLIXML) is `data`,
/// with the pool's next ObjectId, fragmented at the pool's fragment size, in
/// order with the contexts' records, to the pool's sink before this returns.
/// The message header carries `message_type`, the pool's runspace pool id as
/// RPID and `pipeline_id` as PID.
///
/// - `message_type`: any PSRP message type (e.g. `0x00021005` RUNSPACEPOOL_STATE,
///   `0x00041006` PIPELINE_STATE, `0x00041004` PIPELINE_OUTPUT).
/// - `pipeline_id`: GUID text (the forms of `mipsrp_pool_new`), or NULL for
///   the runspace pool itself (nil PID).
/// - `data`: `length` bytes, read during the call only; may be NULL when
///   `length` is 0.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` when `pool` is NULL,
/// `pipeline_id` is not a GUID, or `data` is NULL with `length` above 0;
/// `MI_RESULT_SERVER_LIMITS_EXCEEDED` when the message (40-byte header and
/// `length`) would be larger than the pool's maximum message size
/// (`mipsrp_pool_set_max_message_size`) or memory for it cannot be had;
/// `MI_RESULT_FAILED` when called from inside this pool's sink (or ObjectId
/// source), after `mipsrp_pool_transport_gone`, or when the host's ObjectId
/// source refuses the message. Nothing is sent and no ObjectId is used unless
/// the result is `MI_RESULT_OK`.
///
/// Thread-safety: any thread, concurrently with the contexts' writes; the
/// message's fragments are never interleaved with another message's.
///
/// # Safety
/// `pool` is NULL or a live pool; `pipeline_id` is NULL or NUL-terminated;
/// `data` is NULL or readable for `length` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_pool_send(
    pool: *mut mipsrp_pool,
    message_type: u32,
    pipeline_id: *const libc::c_char,
    data: *const u8,
    length: usize,
) -> MI_Result {
    // Runs under `with_pool`'s panic guard, once the pool is known.
    let send = |p: &Arc<Pool>| {
        let pipeline = if pipeline_id.is_null() {
            Guid::NIL
        } else {
            // SAFETY: non-NULL and NUL-terminated, by contract.
            match unsafe { c_str(pipeline_id) }.and_then(|s| Guid::parse(s).ok()) {
                Some(g) => g,
                None => return MI_RESULT_INVALID_PARAMETER,
            }
        };
        if data.is_null() && length > 0 {
            return MI_RESULT_INVALID_PARAMETER;
        }
        // Before a slice is made of it: no length above the maximum is ever sent.
        if length > p.max_message_size() as usize {
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        }
        let data: &[u8] = if length == 0 {
            &[]
        } else {
            // SAFETY: non-NULL and readable for `length` bytes by contract;
            // `length` is at most the maximum message size (< isize::MAX).
            unsafe { std::slice::from_raw_parts(data, length) }
        };
        code(p.send_message(message_type, pipeline, data).map(drop))
    };
    // SAFETY: forwarded; see this function's contract.
    unsafe { with_pool(pool, send) }
}

/// Returns the ObjectId for the next message the pool sends. Called once per
/// message, under the pool's send lock (so never concurrently for one pool),
/// just before the message's first fragment goes to the sink, on the sending
/// thread. Returning 0, or a value not greater than the last ObjectId the
/// pool sent, refuses the message: nothing is sent and the call that was
/// sending (a provider's write, `mipsrp_pool_send`, …) returns
/// `MI_RESULT_FAILED`. It must not call mi-psrp to send on the same pool
/// (such calls return `MI_RESULT_FAILED`).
#[allow(non_camel_case_types)]
pub type mipsrp_object_id_fn = Option<unsafe extern "C" fn(user_data: *mut libc::c_void) -> u64>;

struct CObjectIds {
    f: unsafe extern "C" fn(*mut libc::c_void) -> u64,
    user_data: *mut libc::c_void,
}

// SAFETY: the host promises (see `mipsrp_object_id_fn`) that its function and
// user_data may be used from any thread; the pool calls it under its lock.
unsafe impl Send for CObjectIds {}

impl CObjectIds {
    fn next(&mut self) -> u64 {
        // SAFETY: the host gave us this function and data for exactly this call.
        unsafe { (self.f)(self.user_data) }
    }
}

/// Makes the pool take every ObjectId from `source` (see
/// `mipsrp_object_id_fn`), for a host whose own PSRP library owns the
/// connection's counter. `source` NULL: the pool's own counter again,
/// continuing after the last ObjectId sent. Either way the ObjectIds of the
/// connection stay unique and increasing. Applies to messages that start
/// after this returns (it waits for a message being sent).
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` when `pool` is NULL;
/// `MI_RESULT_FAILED` (nothing changed) when called from inside this pool's
/// sink or ObjectId source.
///
/// Ownership: `user_data` is passed to `source` as it is and must stay usable
/// until another source is set or the pool and its contexts are freed.
/// Thread-safety: any thread.
///
/// # Safety
/// `pool` is NULL or a live pool; `source` may be called with `user_data`
/// from any thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_pool_set_object_id_source(
    pool: *mut mipsrp_pool,
    source: mipsrp_object_id_fn,
    user_data: *mut libc::c_void,
) -> MI_Result {
    let source = source.map(|f| {
        let mut ids = CObjectIds { f, user_data };
        Box::new(move || ids.next()) as crate::host::ObjectIdSource
    });
    // SAFETY: forwarded; see this function's contract.
    unsafe { with_pool(pool, |p| code(p.set_object_id_source(source))) }
}

// ---- how an operation ended --------------------------------------------------

/// `mipsrp_completion_fn`'s `ending`: the provider called PostResult.
pub const MIPSRP_ENDING_POST_RESULT: u32 = 1;
/// `mipsrp_completion_fn`'s `ending`: the provider called PostError.
pub const MIPSRP_ENDING_POST_ERROR: u32 = 2;
/// `mipsrp_completion_fn`'s `ending`: the host freed the context before the
/// provider ended the operation (as if PostResult(MI_RESULT_OK) was called).
pub const MIPSRP_ENDING_FREED: u32 = 3;

/// `mipsrp_context_wait`'s `timeout_ms`: no limit.
pub const MIPSRP_WAIT_INFINITE: u32 = u32::MAX;

fn ending_code(ending: Ending) -> u32 {
    match ending {
        Ending::PostResult => MIPSRP_ENDING_POST_RESULT,
        Ending::PostError => MIPSRP_ENDING_POST_ERROR,
        Ending::Freed => MIPSRP_ENDING_FREED,
    }
}

/// Called exactly once per context, after the operation's last record (its
/// Completed record, the error record of PostError) has gone to the sink, on
/// the thread that ended the operation (the provider's PostResult/PostError
/// thread, or `mipsrp_context_free`'s), with no mi-psrp lock held.
/// `result` is the posted result (`MI_RESULT_OK` for a freed context),
/// `ending` one of `MIPSRP_ENDING_*`. `context` may be passed to
/// `mipsrp_context_get_outcome` during the call; it must not be freed from
/// the callback. If the operation has already ended when the callback is set,
/// it is called at once on the setting thread.
#[allow(non_camel_case_types)]
pub type mipsrp_completion_fn = Option<
    unsafe extern "C" fn(
        user_data: *mut libc::c_void,
        context: *mut MI_Context,
        result: MI_Result,
        ending: u32,
    ),
>;

struct CCompletion {
    f: unsafe extern "C" fn(*mut libc::c_void, *mut MI_Context, MI_Result, u32),
    user_data: *mut libc::c_void,
    context: *mut MI_Context,
}

// SAFETY: the host promises (see `mipsrp_context_set_completion`) that its
// callback and user_data may be used from any thread; `context` is only
// handed back to it.
unsafe impl Send for CCompletion {}

impl CCompletion {
    fn call(self, outcome: &Outcome) {
        // SAFETY: the host registered this function and data for this call;
        // the context is alive while its completion runs.
        unsafe {
            (self.f)(
                self.user_data,
                self.context,
                outcome.result,
                ending_code(outcome.ending),
            )
        }
    }
}

/// Sets the callback called once when the operation ends (see
/// `mipsrp_completion_fn` for when, on which thread, and what it may do).
/// Replaces a callback set earlier and not yet called (that one is never
/// called); `callback` NULL clears it. If the operation has already ended,
/// `callback` is called at once, on this thread, before this returns.
///
/// Returns `MI_RESULT_OK`; `MI_RESULT_INVALID_PARAMETER` when `context` is
/// NULL or not made by mi-psrp.
///
/// Ownership: `user_data` is passed to `callback` as it is and must stay
/// usable until the callback has been called or replaced.
/// Thread-safety: any thread, at any time.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`; `callback` may be called with
/// `user_data` from any thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_set_completion(
    context: *mut MI_Context,
    callback: mipsrp_completion_fn,
    user_data: *mut libc::c_void,
) -> MI_Result {
    let set = |ctx: &Context| {
        match callback {
            Some(f) => {
                let c = CCompletion {
                    f,
                    user_data,
                    context,
                };
                ctx.on_complete(Box::new(move |outcome| c.call(outcome)));
            }
            None => ctx.clear_completion(),
        }
        MI_RESULT_OK
    };
    // SAFETY: forwarded; see this function's contract.
    unsafe { with_context(context, set) }
}

/// Blocks until the provider ended the operation (PostResult or PostError)
/// and the completion callback, if any, has returned — or until `timeout_ms`
/// milliseconds passed (`MIPSRP_WAIT_INFINITE`: no limit; 0: just look).
///
/// Returns `MI_RESULT_OK` with `*result` = the posted result (`result` may be
/// NULL); `MI_RESULT_NOT_FOUND` (nothing written) when the timeout passed
/// with the operation still going on (as `mipsrp_context_get_outcome`
/// answers then); `MI_RESULT_INVALID_PARAMETER` when `context` is NULL or not
/// made by mi-psrp; `MI_RESULT_FAILED` when called from inside the pool's
/// sink or the context's own cancel callback (it would wait for itself).
/// From the completion callback itself it returns `MI_RESULT_OK` at once.
///
/// Thread-safety: any thread, several at once. The host must not free the
/// context while a wait on it is under way; once a wait returned
/// `MI_RESULT_OK` the ending call no longer uses the context, and the host
/// may free it.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`; `result` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_wait(
    context: *mut MI_Context,
    timeout_ms: u32,
    result: *mut MI_Result,
) -> MI_Result {
    let wait = |ctx: &Context| {
        let timeout =
            (timeout_ms != MIPSRP_WAIT_INFINITE).then(|| Duration::from_millis(timeout_ms.into()));
        match ctx.try_wait(timeout) {
            Ok(Some(outcome)) => {
                if !result.is_null() {
                    // SAFETY: non-NULL and writable by contract.
                    unsafe { result.write(outcome.result) };
                }
                MI_RESULT_OK
            }
            Ok(None) => MI_RESULT_NOT_FOUND,
            Err(e) => e.code(),
        }
    };
    // SAFETY: forwarded; see this function's contract.
    unsafe { with_context(context, wait) }
}

// ---- the client goes away ----------------------------------------------------

/// Tells the context that the client's transport is gone. From then on: the
/// provider's `Canceled` reports true; its cancel callback runs once with
/// `MI_REASON_SERVICESTOP` (on this thread, before this returns) unless a
/// cancel already ran it; every write of the context (WriteProgress,
/// WriteMessage, WriteError) returns `MI_RESULT_FAILED` and nothing more of it
/// reaches the sink — no held record, no Completed record.
/// PostResult/PostError still end the operation (the completion callback is
/// called, the outcome recorded) but send nothing; `mipsrp_context_flush`
/// sends nothing. Never waits for a sink call under way (the same rule as
/// `mipsrp_context_cancel`).
///
/// Returns `MI_RESULT_OK`, also when called again (nothing changes);
/// `MI_RESULT_INVALID_PARAMETER` when `context` is NULL or not made by
/// mi-psrp. Thread-safety: any thread, also concurrently with the provider's
/// calls.
///
/// # Safety
/// `context` is NULL or a live `MI_Context`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_context_transport_gone(context: *mut MI_Context) -> MI_Result {
    // SAFETY: forwarded; see this function's contract.
    unsafe {
        with_context(context, |ctx| {
            ctx.transport_gone();
            MI_RESULT_OK
        })
    }
}

/// Tells the pool that the client's transport is gone: as
/// `mipsrp_context_transport_gone` for every live context of the pool (their
/// cancel callbacks run on this thread before this returns) and for every
/// context made from the pool later (gone from its start: `Canceled` true, a
/// cancel callback it registers is called at once with
/// `MI_REASON_SERVICESTOP`); `mipsrp_pool_send` returns `MI_RESULT_FAILED`
/// from then on. Never waits for a sink call under way.
///
/// Returns `MI_RESULT_OK`, also when called again;
/// `MI_RESULT_INVALID_PARAMETER` when `pool` is NULL.
/// Thread-safety: any thread.
///
/// # Safety
/// `pool` is NULL or a live pool.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mipsrp_pool_transport_gone(pool: *mut mipsrp_pool) -> MI_Result {
    // SAFETY: forwarded; see this function's contract.
    unsafe {
        with_pool(pool, |p| {
            p.transport_gone();
            MI_RESULT_OK
        })
    }
}
