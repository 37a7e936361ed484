//! One operation's context: the pipeline and activity its records belong to,
//! and everything a real MI host tracks for an operation — which streams the
//! client wants, coalescing, the Completed record, timeout, cancellation,
//! locale, and how the operation ended.
//!
//! | concept | file |
//! |---|---|
//! | the context, its settings, ending | this file |
//! | cancellation, a lost transport (`Link`: what the pool reaches) | `cancel` |
//! | completion: callback and wait | `completion` |
//! | `WriteProgress`, coalescing, the Completed record | `progress` |
//! | `WriteMessage`, `WriteError`, `PostError` | [`messages`] |
//! | CIM output (`PostInstance`, method results): PIPELINE_OUTPUT | `output` |
//! | `WriteCimError`, `PostCimError` | `cim_error` |
//! | `GetLocale` and the host's locales | `locale` |
//! | `ShouldProcess`, `ShouldContinue`, `PromptUser`: the host's prompter | [`prompt`] |
//!
//! Locking: `state` guards what a write changes and is held while the write's
//! fragments go to the sink, so that each context's records reach the sink in
//! the order its calls returned, whatever their kind. Everything that a sink,
//! a cancel callback or another thread may need while a write is under way
//! (settings, the cancel flag, the timeout clock, locales, the outcome) lives
//! outside `state`, in atomics or small locks of its own, so that those calls
//! never wait for a sink.

mod cancel;
mod cim_error;
mod completion;
mod locale;
pub mod messages;
mod output;
mod progress;
pub mod prompt;

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, RwLock};

use super::error::MiError;
use super::pool::{Pool, Route};
use super::text::CharType;
use crate::mi::MI_Result;
use crate::psrp::clixml::FieldError;
use crate::psrp::fragment::FRAGMENT_HEADER_LEN;
use crate::psrp::guid::Guid;
use crate::psrp::message::{MESSAGE_HEADER_LEN, MessageHeader, UTF8_BOM};

pub use cancel::CancelCallback;
pub(crate) use cancel::Link;
pub use cim_error::CimErrorParts;
pub use completion::CompletionCallback;
pub use locale::DEFAULT_LOCALE;
pub use messages::ErrorAction;
pub use progress::UNKNOWN;

const NOT_A_CODE_POINT: MiError =
    MiError::InvalidParameter("a string holds a value above 0x10FFFF, which is not a code point");

/// Above this bound a message's size is counted exactly before its buffer is
/// reserved: the bound may be 14 times the real size.
const EXACT_ABOVE: usize = 64 * 1024;

const ENDED: MiError =
    MiError::Failed("the operation has ended (PostResult or PostError was called)");

const GONE: MiError = MiError::Failed("the transport is gone (transport_gone was called)");

/// How an operation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ending {
    /// The provider called `PostResult`.
    PostResult,
    /// The provider called `PostError`.
    PostError,
    /// The host freed the context before the provider ended it (as if
    /// `PostResult(MI_RESULT_OK)` had been called).
    Freed,
}

/// How an operation ended and with what result, kept by its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Which call ended it.
    pub ending: Ending,
    /// The result code the provider posted.
    pub result: MI_Result,
    /// `PostError`'s result type (`"MI"` when the provider passed NULL).
    pub result_type: Option<String>,
    /// `PostError`'s message (empty when the provider passed NULL).
    pub message: Option<String>,
}

struct State {
    /// `PostResult` or `PostError` was called: the operation is over.
    ended: bool,
    /// Fragment-header room, then the message being built. Reused by every
    /// write: no allocation once it has grown to the largest message.
    buf: Vec<u8>,
    /// What progress needs between calls.
    progress: progress::ProgressState,
    /// The classes whose `__ClassMetadata` this pipeline has sent.
    class_cache: crate::psrp::cim::ClassCache,
}

/// The context of one operation (one provider call, one pipeline).
///
/// All methods take `&self` and may be called from any thread.
pub struct Context {
    pool: Arc<Pool>,
    /// The message header of this context's records (the type is set per record).
    header: [u8; MESSAGE_HEADER_LEN],
    /// The pipeline id, and its text made once for a framed sink.
    route: Route,
    activity_id: i32,
    parent_activity_id: i32,
    char_type: CharType,
    // Settings, readable without `state`.
    requested: AtomicBool,
    /// Bit `1 << channel` set: the client wants that `WriteMessage` channel.
    channels: AtomicU8,
    error_action: AtomicU8,
    interval_ms: AtomicU32,
    /// When a non-zero interval was last set.
    interval_set_ms: AtomicU64,
    timeout_ms: AtomicU32,
    /// Creation time or time of the last sent progress record: the timeout's base.
    progress_ms: AtomicU64,
    /// Ended, cancelled, transport gone, the cancel callback: shared with the pool.
    link: Arc<Link>,
    completion: completion::Completion,
    locales: RwLock<locale::Locales>,
    outcome: OnceLock<Outcome>,
    /// The CLIXML of the first error record sent while the client stops on
    /// errors ([`ErrorAction::Stop`]): what ends its pipeline.
    stop_error: OnceLock<Vec<u8>>,
    /// Who answers the provider's prompts (none: `MI_RESULT_NOT_SUPPORTED`).
    prompter: OnceLock<Arc<dyn prompt::Prompter>>,
    state: Mutex<State>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every guarded value is changed only after the fallible work succeeded,
    // so a panic (in a sink or callback, say) never leaves it half-written.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Context {
    /// A context of a wide provider (`MI_CHAR_TYPE 2`) whose records belong to
    /// pipeline `pipeline_id` of `pool` (the nil GUID, [`Guid::NIL`]: to the
    /// runspace pool itself — the messages carry a nil PID and PowerShell
    /// clients show the records on the pool's streams). On a pool whose
    /// transport is gone the context is gone from its start (see
    /// [`Context::transport_gone`]).
    ///
    /// `activity_id` < 0 takes the next id of a process-wide counter starting at
    /// 1 that no live context of the pool uses (nor the parent); `parent_activity_id` < 0 means no parent (written as -1). A parent
    /// equal to the activity id → [`MiError::InvalidParameter`].
    pub fn new(
        pool: &Arc<Pool>,
        pipeline_id: Guid,
        activity_id: i32,
        parent_activity_id: i32,
    ) -> Result<Context, MiError> {
        Self::with_char_type(
            pool,
            pipeline_id,
            activity_id,
            parent_activity_id,
            CharType::Wide,
        )
    }

    /// [`Context::new`] for a provider of character type `char_type`: the
    /// strings its slots read, and the locales `GetLocale` writes, are of
    /// that type.
    pub fn with_char_type(
        pool: &Arc<Pool>,
        pipeline_id: Guid,
        activity_id: i32,
        parent_activity_id: i32,
        char_type: CharType,
    ) -> Result<Context, MiError> {
        let parent_activity_id = parent_activity_id.max(-1);
        if activity_id >= 0 && activity_id == parent_activity_id {
            return Err(MiError::InvalidParameter(
                "parent activity id equals the activity id",
            ));
        }
        let activity_id = pool.activity_ids().take(activity_id, parent_activity_id);
        Ok(Context {
            pool: Arc::clone(pool),
            header: MessageHeader::progress(pool.id(), pipeline_id).to_bytes(),
            route: Route::new(pipeline_id),
            activity_id,
            parent_activity_id,
            char_type,
            requested: AtomicBool::new(true),
            channels: AtomicU8::new(messages::ALL_CHANNELS),
            error_action: AtomicU8::new(ErrorAction::Continue as u8),
            interval_ms: AtomicU32::new(0),
            interval_set_ms: AtomicU64::new(0),
            timeout_ms: AtomicU32::new(0),
            progress_ms: AtomicU64::new(pool.now_ms()),
            link: Link::attached(pool),
            completion: completion::Completion::default(),
            locales: RwLock::new(locale::Locales::new(char_type)),
            outcome: OnceLock::new(),
            prompter: OnceLock::new(),
            stop_error: OnceLock::new(),
            state: Mutex::new(State {
                ended: false,
                buf: Vec::new(),
                progress: progress::ProgressState::default(),
                class_cache: crate::psrp::cim::ClassCache::default(),
            }),
        })
    }

    /// The pool.
    pub fn pool(&self) -> &Arc<Pool> {
        &self.pool
    }

    /// The pipeline id.
    pub fn pipeline_id(&self) -> Guid {
        self.route.pipeline_id
    }

    /// The activity id every progress record of this context carries.
    pub fn activity_id(&self) -> i32 {
        self.activity_id
    }

    /// The parent activity id (-1 for none).
    pub fn parent_activity_id(&self) -> i32 {
        self.parent_activity_id
    }

    /// The provider's character type.
    pub fn char_type(&self) -> CharType {
        self.char_type
    }

    /// The result posted by `PostResult` or `PostError`, once the operation
    /// has ended.
    pub fn result(&self) -> Option<MI_Result> {
        self.outcome.get().map(|o| o.result)
    }

    /// How the operation ended, once it has.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.get()
    }

    /// The CLIXML (an ErrorRecord object) of the first error record this
    /// context sent while the client stopped on errors ([`ErrorAction::Stop`]:
    /// `WriteError`, `PostError`, `WriteCimError`, `PostCimError`): the
    /// error a host ends the pipeline with, as PowerShell turns it into a
    /// terminating error. `None`: no such error.
    pub fn stop_error(&self) -> Option<&[u8]> {
        self.stop_error.get().map(Vec::as_slice)
    }

    /// Keeps `clixml` (an error record just sent) as the stop error when the
    /// client stops on errors and none was kept yet.
    fn note_stop_error(&self, clixml: impl FnOnce(&mut Vec<u8>) -> bool) {
        if self.error_action() == ErrorAction::Stop && self.stop_error.get().is_none() {
            let mut v = Vec::new();
            if clixml(&mut v) {
                let _ = self.stop_error.set(v);
            }
        }
    }

    /// Whether the operation has ended (PostResult or PostError).
    pub fn is_ended(&self) -> bool {
        self.link.ended.load(Ordering::Acquire)
    }

    fn check_not_in_sink(&self) -> Result<(), MiError> {
        if self.pool.in_sink_on_this_thread() {
            return Err(MiError::Failed("called from inside the pool's sink"));
        }
        Ok(())
    }

    /// The checks every provider call that sends makes before its arguments:
    /// not from inside the pool's sink, not after the end, not after the
    /// transport is gone ([`MiError::Failed`]).
    pub fn check_live(&self) -> Result<(), MiError> {
        self.check_not_in_sink()?;
        if self.is_ended() {
            return Err(ENDED);
        }
        if self.link.is_gone() {
            return Err(GONE);
        }
        Ok(())
    }

    /// Locks the state of a context whose operation goes on and whose
    /// transport is there, from outside the pool's sink: the first checks of
    /// every provider call that writes.
    fn live_state(&self) -> Result<MutexGuard<'_, State>, MiError> {
        if self.link.is_gone() {
            self.check_not_in_sink()?;
            return Err(GONE);
        }
        self.open_state()
    }

    /// Locks the state of a context whose operation goes on, from outside
    /// the pool's sink (the checks of a call that ends the operation).
    fn open_state(&self) -> Result<MutexGuard<'_, State>, MiError> {
        let state = self.state()?;
        if state.ended {
            return Err(ENDED);
        }
        Ok(state)
    }

    /// Locks the state, from outside the pool's sink. Inside this context's
    /// cancel callback the lock is only tried: another thread may hold it
    /// while blocked in the sink (transport back-pressure) — exactly when a
    /// host cancels — and waiting would tie the cancel to the sink. Such a
    /// call fails at once with [`MiError::Failed`] instead.
    fn state(&self) -> Result<MutexGuard<'_, State>, MiError> {
        self.check_not_in_sink()?;
        if !self.in_own_cancel_callback() {
            return Ok(lock(&self.state));
        }
        match self.state.try_lock() {
            Ok(state) => Ok(state),
            Err(std::sync::TryLockError::Poisoned(p)) => Ok(p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => Err(MiError::Failed(
                "called from the cancel callback while a write of the context is under way",
            )),
        }
    }

    /// Builds one message of type `message_type` in `state.buf` (fragment
    /// room, header, BOM, then what `body` writes) and sends it. `size` is
    /// at least the message's size and at most the pool's maximum (see
    /// [`Context::measure`]). On error nothing was sent.
    fn send_record(
        &self,
        state: &mut State,
        message_type: u32,
        size: usize,
        body: impl FnOnce(&mut Vec<u8>) -> Result<(), FieldError>,
    ) -> Result<(), MiError> {
        let buf = &mut state.buf;
        buf.clear();
        reserve(
            buf,
            FRAGMENT_HEADER_LEN + size,
            self.pool.max_message_size(),
        )?;
        buf.resize(FRAGMENT_HEADER_LEN, 0);
        buf.extend_from_slice(&self.header);
        buf[FRAGMENT_HEADER_LEN + 4..FRAGMENT_HEADER_LEN + 8]
            .copy_from_slice(&message_type.to_le_bytes());
        buf.extend_from_slice(&UTF8_BOM);
        body(buf).map_err(|_| NOT_A_CODE_POINT)?;
        debug_assert!(buf.len() <= FRAGMENT_HEADER_LEN + size);
        let sent = self
            .pool
            .send(buf, message_type, &self.route, &self.link.gone);
        self.trim(state);
        match sent {
            Some(_) => Ok(()),
            None => Err(super::pool::refusal(&self.link.gone)),
        }
    }

    /// Lets go of buffer room a larger maximum left behind: no buffer keeps
    /// more than twice what the maximum in force needs, so a context's memory
    /// stays a small multiple of the current maximum (see
    /// [`Context::retained_bytes`]).
    fn trim(&self, state: &mut State) {
        let max = self.pool.max_message_size() as usize;
        if state.buf.capacity() > 2 * (FRAGMENT_HEADER_LEN + max) {
            state.buf.truncate(FRAGMENT_HEADER_LEN + max);
            state.buf.shrink_to(FRAGMENT_HEADER_LEN + max);
        }
        state.progress.trim(max);
    }

    /// The bytes of buffer room this context holds on to: at most a small
    /// multiple (8×) of the pool's maximum message size in force when it last
    /// sent, whatever it sent before.
    pub fn retained_bytes(&self) -> usize {
        let state = lock(&self.state);
        state.buf.capacity() + state.progress.capacity()
    }

    /// How many bytes a message needs at most, refusing one over the pool's
    /// maximum: `bound` (found without reading the text) settles the common
    /// case; only when it is over the maximum or large is the text measured
    /// exactly.
    fn measure(
        &self,
        bound: usize,
        exact: impl FnOnce() -> Result<usize, MiError>,
    ) -> Result<usize, MiError> {
        let max = self.pool.max_message_size() as usize;
        if bound <= max.min(EXACT_ABOVE) {
            return Ok(bound);
        }
        let size = exact()?;
        if size > max {
            return Err(MiError::LimitsExceeded { size, max });
        }
        Ok(size)
    }

    // ---- settings ----------------------------------------------------------

    /// The operation's timeout (default 0: none). The deadline is the latest
    /// of the context's creation, the moment the timeout was set and the last
    /// progress record sent while it was set, plus the timeout. (Without a
    /// timeout or an interval, sending reads no clock.)
    pub fn set_timeout(&self, milliseconds: u32) {
        if milliseconds != 0 {
            self.progress_ms
                .store(self.pool.now_ms(), Ordering::Release);
        }
        self.timeout_ms.store(milliseconds, Ordering::Release);
    }

    /// Whether the deadline has passed. Passing it calls nothing: a host that
    /// acts on it calls [`Context::cancel`] with `MI_REASON_TIMEOUT`.
    pub fn timed_out(&self) -> bool {
        let timeout = self.timeout_ms.load(Ordering::Acquire);
        timeout != 0
            && self
                .pool
                .now_ms()
                .saturating_sub(self.progress_ms.load(Ordering::Acquire))
                >= u64::from(timeout)
    }

    // ---- ending ------------------------------------------------------------

    /// `MI_Context_PostResult`: ends the operation. If progress is requested,
    /// first sends the pending record, then — if the context sent any progress —
    /// a Completed record for its activity (see [`Context::flush`] and
    /// `progress.rs`), so that the client's progress bar goes away. Later
    /// provider calls, and a second `post_result`, fail with
    /// [`MiError::Failed`], as does a call from inside this pool's sink.
    pub fn post_result(&self, result: MI_Result) -> Result<(), MiError> {
        self.end(
            Outcome {
                ending: Ending::PostResult,
                result,
                result_type: None,
                message: None,
            },
            |_, _| Ok(()),
        )
    }

    /// Ends the operation with `outcome`: the one path every ending takes
    /// (`PostResult`, `PostError`, a freed context). Sends the pending
    /// progress record, then what `last` sends (an error record), then the
    /// Completed record — nothing when the transport is gone; then marks the
    /// context ended, keeps the outcome, lets go of the context's lock and
    /// calls the completion ([`Context::on_complete`], [`Context::wait`]).
    /// `last` has been checked by the caller and fails only when memory runs
    /// out (or the host's ObjectId source refuses), in which case the
    /// context is left going on.
    fn end(
        &self,
        outcome: Outcome,
        last: impl FnOnce(&Self, &mut State) -> Result<(), MiError>,
    ) -> Result<(), MiError> {
        {
            let mut guard = self.open_state()?;
            let state = &mut *guard;
            if !self.link.is_gone() {
                self.flush_pending(state)?;
                last(self, state)?;
                self.send_completed(state)?;
            }
            self.mark_ended(state, outcome);
        }
        self.complete();
        Ok(())
    }

    /// Marks the operation ended with `outcome`; `state.ended` was false.
    fn mark_ended(&self, state: &mut State, outcome: Outcome) {
        state.ended = true;
        // Set once: `state.ended` was false, and only the ending path sets either.
        let _ = self.outcome.set(outcome);
        self.link.ended.store(true, Ordering::Release);
    }

    /// The host frees the context: if the operation goes on, it ends as
    /// `PostResult(MI_RESULT_OK)` would end it (pending record, Completed
    /// record), with [`Ending::Freed`]; when those cannot be sent (from
    /// inside the pool's sink, memory, a refused ObjectId) it ends all the
    /// same, sending nothing. Completion is called either way. Called by
    /// the C layer before the context's memory goes, so that the completion
    /// callback may still look at it; `Drop` does the same.
    pub fn end_freed(&self) {
        if self.is_ended() || self.end(FREED, |_, _| Ok(())).is_ok() {
            return;
        }
        // Only a call under way on another thread (a host error) or one of
        // this thread's own frames holds the lock now: then Drop ends it.
        let ended = match self.state.try_lock() {
            Ok(mut state) if !state.ended => {
                self.mark_ended(&mut state, FREED);
                true
            }
            Err(std::sync::TryLockError::Poisoned(p)) if !p.get_ref().ended => {
                self.mark_ended(&mut p.into_inner(), FREED);
                true
            }
            _ => false,
        };
        if ended {
            self.complete();
        }
    }
}

/// The outcome of a context freed before the provider ended its operation.
const FREED: Outcome = Outcome {
    ending: Ending::Freed,
    result: crate::mi::MI_RESULT_OK,
    result_type: None,
    message: None,
};

/// Grows `buf` to hold `needed` bytes without aborting the process when memory
/// runs out: the call is refused with [`MiError::LimitsExceeded`] instead.
fn reserve(buf: &mut Vec<u8>, needed: usize, max: u32) -> Result<(), MiError> {
    buf.try_reserve(needed.saturating_sub(buf.len()))
        .map_err(|_| MiError::LimitsExceeded {
            size: needed,
            max: max as usize,
        })
}

impl Drop for Context {
    /// A context freed without `post_result` ends as if `post_result` had been
    /// called: pending record, then Completed (see [`Context::end_freed`];
    /// from inside the pool's sink the records are dropped instead). Its
    /// completion is called either way.
    fn drop(&mut self) {
        self.end_freed();
        if !self.is_ended() {
            // Exclusive now: nothing else can hold the lock.
            let state = self.state.get_mut().unwrap_or_else(PoisonError::into_inner);
            state.ended = true;
            let _ = self.outcome.set(FREED);
            self.link.ended.store(true, Ordering::Release);
            self.complete();
        }
        self.pool.detach(&self.link);
        self.pool.activity_ids().release(self.activity_id);
    }
}
