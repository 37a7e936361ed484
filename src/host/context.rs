//! One operation's context: the pipeline and activity its progress belongs to,
//! and everything a real MI host tracks for an operation — whether the client
//! wants progress, coalescing, the Completed record, timeout, cancellation and
//! locale.
//!
//! Locking: `state` guards what a write changes and is held while the write's
//! fragments go to the sink, so that each context's records reach the sink in
//! the order its writes returned. Everything that a sink, a cancel callback or
//! another thread may need while a write is under way (settings, the cancel
//! flag, the timeout clock, locales) lives outside `state`, in atomics or
//! small locks of its own, so that those calls never wait for a sink.

use std::mem;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use super::error::MiError;
use super::fault;
use super::pool::Pool;
use crate::mi::{
    MI_CancellationReason, MI_Char, MI_MAX_LOCALE_SIZE, MI_REASON_SERVICESTOP, MI_Result,
};
use crate::psrp::clixml::{FIXED_CLIXML_MAX, TextSpans, write_progress_clixml};
use crate::psrp::fragment::FRAGMENT_HEADER_LEN;
use crate::psrp::guid::Guid;
use crate::psrp::message::{
    EncodeError, MESSAGE_HEADER_LEN, MessageHeader, UTF8_BOM, encode_progress_message_with,
};
use crate::psrp::record::{ProgressRecord, ProgressRecordType};
use crate::psrp::text::{
    InvalidCodePoint, MAX_ENCODED_BYTES_PER_UNIT, PreEncoded, PsText, SourceText,
};

const NOT_A_CODE_POINT: MiError =
    MiError::InvalidParameter("a string holds a value above 0x10FFFF, which is not a code point");

/// `percentComplete` / `secondsRemaining` value meaning "unknown".
pub const UNKNOWN: u32 = 0xFFFF_FFFF;

/// The locale every context starts with, for every locale type.
pub const DEFAULT_LOCALE: &str = "en-US";

/// Number of `MI_LocaleType` values (`MI_LOCALE_TYPE_REQUESTED_UI` …
/// `MI_LOCALE_TYPE_CLOSEST_DATA`).
const LOCALE_TYPES: usize = 4;

/// The next activity id from the process-wide counter (1, 2, …; after
/// `i32::MAX` it starts again at 1), as PowerShell's CIM cmdlets number theirs.
fn next_activity_id() -> i32 {
    static NEXT: AtomicI32 = AtomicI32::new(1);
    match NEXT.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| {
        Some(if v == i32::MAX { 1 } else { v + 1 })
    }) {
        Ok(v) | Err(v) => v,
    }
}

/// A provider's string argument, with MI's substitution for a missing status.
enum Arg<S> {
    Given(S),
    /// `" "`: what PowerShell sends for an empty StatusDescription.
    Blank,
}

impl<S: PsText> PsText for Arg<S> {
    fn is_empty(&self) -> bool {
        match self {
            Arg::Given(s) => s.is_empty(),
            Arg::Blank => false,
        }
    }
    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), InvalidCodePoint> {
        match self {
            Arg::Given(s) => s.encode_into(out),
            Arg::Blank => {
                out.push(b' ');
                Ok(())
            }
        }
    }
}

/// The callback a provider registered with `RegisterCancel`.
pub type CancelCallback = Box<dyn FnOnce(MI_CancellationReason) + Send>;

#[derive(Default)]
struct Cancel {
    /// The reason of the first cancel; `None` until then.
    reason: Option<MI_CancellationReason>,
    /// Registered and not yet called.
    callback: Option<CancelCallback>,
}

/// The arguments of a held write, strings as code-unit values.
#[derive(Default)]
struct Pending {
    activity: Vec<u32>,
    current_operation: Vec<u32>,
    has_current_operation: bool,
    /// Empty: sent as `" "`.
    status_description: Vec<u32>,
    percent_complete: i32,
    seconds_remaining: i32,
}

impl Pending {
    /// Replaces the held write. The strings have been checked.
    fn hold<S: SourceText>(
        &mut self,
        activity: &S,
        current: Option<&S>,
        status: Option<&S>,
        percent: i32,
        seconds: i32,
    ) {
        self.activity.clear();
        activity.copy_units(&mut self.activity);
        self.current_operation.clear();
        self.has_current_operation = current.is_some();
        if let Some(c) = current {
            c.copy_units(&mut self.current_operation);
        }
        self.status_description.clear();
        if let Some(s) = status {
            s.copy_units(&mut self.status_description);
        }
        self.percent_complete = percent;
        self.seconds_remaining = seconds;
    }
}

struct State {
    /// `PostResult` was called: the operation is over.
    ended: bool,
    /// The result the provider posted.
    result: Option<MI_Result>,
    /// Fragment-header room, then the message being built. Reused by every
    /// write: no allocation once it has grown to the largest message.
    buf: Vec<u8>,
    /// A coalesced write waiting to be sent, kept as its arguments: holding a
    /// write costs a copy of its strings, not an encoding. Meaningful only when
    /// `has_pending`.
    pending: Pending,
    has_pending: bool,
    /// When the last record was sent; `None` before the first.
    last_sent_ms: Option<u64>,
    /// The encoded Activity and StatusDescription of the last accepted write,
    /// for the Completed record.
    last_activity: Vec<u8>,
    last_status: Vec<u8>,
}

/// The context of one operation (one provider call, one pipeline).
///
/// All methods take `&self` and may be called from any thread.
pub struct Context {
    pool: Arc<Pool>,
    header: [u8; MESSAGE_HEADER_LEN],
    pipeline_id: Guid,
    activity_id: i32,
    parent_activity_id: i32,
    // Settings, readable without `state`.
    requested: AtomicBool,
    interval_ms: AtomicU32,
    timeout_ms: AtomicU32,
    /// Creation time or time of the last sent progress record: the timeout's base.
    progress_ms: AtomicU64,
    ended: AtomicBool,
    canceled: AtomicBool,
    cancel: Mutex<Cancel>,
    locales: RwLock<[Vec<MI_Char>; LOCALE_TYPES]>,
    state: Mutex<State>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every guarded value is changed only after the fallible work succeeded,
    // so a panic (in a sink or callback, say) never leaves it half-written.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Context {
    /// A context whose progress belongs to pipeline `pipeline_id` of `pool`.
    ///
    /// `activity_id` < 0 takes the next id of a process-wide counter starting at
    /// 1; `parent_activity_id` < 0 means no parent (written as -1). A parent
    /// equal to the activity id → [`MiError::InvalidParameter`].
    pub fn new(
        pool: &Arc<Pool>,
        pipeline_id: Guid,
        activity_id: i32,
        parent_activity_id: i32,
    ) -> Result<Context, MiError> {
        let parent_activity_id = parent_activity_id.max(-1);
        let activity_id = if activity_id >= 0 {
            if activity_id == parent_activity_id {
                return Err(MiError::InvalidParameter(
                    "parent activity id equals the activity id",
                ));
            }
            activity_id
        } else {
            let mut id = next_activity_id();
            if id == parent_activity_id {
                id = next_activity_id();
            }
            id
        };
        let locale: Vec<MI_Char> = DEFAULT_LOCALE.chars().map(|c| c as MI_Char).collect();
        Ok(Context {
            pool: Arc::clone(pool),
            header: MessageHeader::progress(pool.id(), pipeline_id).to_bytes(),
            pipeline_id,
            activity_id,
            parent_activity_id,
            requested: AtomicBool::new(true),
            interval_ms: AtomicU32::new(0),
            timeout_ms: AtomicU32::new(0),
            progress_ms: AtomicU64::new(pool.now_ms()),
            ended: AtomicBool::new(false),
            canceled: AtomicBool::new(false),
            cancel: Mutex::new(Cancel::default()),
            locales: RwLock::new([locale.clone(), locale.clone(), locale.clone(), locale]),
            state: Mutex::new(State {
                ended: false,
                result: None,
                buf: Vec::new(),
                pending: Pending::default(),
                has_pending: false,
                last_sent_ms: None,
                last_activity: Vec::new(),
                last_status: Vec::new(),
            }),
        })
    }

    /// The pool.
    pub fn pool(&self) -> &Arc<Pool> {
        &self.pool
    }

    /// The pipeline id.
    pub fn pipeline_id(&self) -> Guid {
        self.pipeline_id
    }

    /// The activity id every record of this context carries.
    pub fn activity_id(&self) -> i32 {
        self.activity_id
    }

    /// The parent activity id (-1 for none).
    pub fn parent_activity_id(&self) -> i32 {
        self.parent_activity_id
    }

    /// The result posted by `post_result`, once it has been.
    pub fn result(&self) -> Option<MI_Result> {
        lock(&self.state).result
    }

    /// Whether the operation has ended.
    pub fn is_ended(&self) -> bool {
        self.ended.load(Ordering::Acquire)
    }

    /// Whether a coalesced record is waiting to be sent.
    pub fn has_pending(&self) -> bool {
        lock(&self.state).has_pending
    }

    fn check_not_in_sink(&self) -> Result<(), MiError> {
        if self.pool.in_sink_on_this_thread() {
            return Err(MiError::Failed("called from inside the pool's sink"));
        }
        Ok(())
    }

    // ---- settings ----------------------------------------------------------

    /// Whether the client registered for progress (default `true`). While it
    /// has not, writes are validated and accepted but nothing is sent — no
    /// record, no pending record, no Completed record — and no timeout is reset.
    pub fn set_progress_requested(&self, requested: bool) {
        self.requested.store(requested, Ordering::Release);
    }

    /// The least time between two sent records (default 0: every write is
    /// sent). A write that comes sooner after the last sent record is held as
    /// pending, replacing an older pending one, until a write after the
    /// interval (which supersedes it), [`Context::flush`] or
    /// [`Context::post_result`].
    pub fn set_progress_interval(&self, milliseconds: u32) {
        self.interval_ms.store(milliseconds, Ordering::Release);
    }

    /// The operation's timeout (default 0: none). The deadline is the time of
    /// the context's creation or of its last sent progress record, plus the
    /// timeout.
    pub fn set_timeout(&self, milliseconds: u32) {
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

    /// What the provider's `Canceled` slot reports: cancelled, or timed out.
    pub fn canceled(&self) -> bool {
        self.canceled.load(Ordering::Acquire) || self.timed_out()
    }

    // ---- cancellation -----------------------------------------------------

    /// Cancels the operation: `canceled()` reports true and the callback the
    /// provider registered is called exactly once with `reason` (later, at
    /// registration, if none is registered yet). A second cancel changes
    /// nothing. After the operation has ended no callback is called.
    /// `reason` above `MI_REASON_SERVICESTOP` → [`MiError::InvalidParameter`].
    pub fn cancel(&self, reason: MI_CancellationReason) -> Result<(), MiError> {
        if reason > MI_REASON_SERVICESTOP {
            return Err(MiError::InvalidParameter("unknown cancellation reason"));
        }
        let callback = {
            let mut c = lock(&self.cancel);
            if c.reason.is_some() {
                return Ok(());
            }
            c.reason = Some(reason);
            self.canceled.store(true, Ordering::Release);
            c.callback.take().filter(|_| !self.is_ended())
        };
        // Outside the lock: the callback may call back into the context.
        if let Some(callback) = callback {
            callback(reason);
        }
        Ok(())
    }

    /// The provider's `RegisterCancel`: `callback` is called once when the
    /// operation is cancelled — at once if it already is. Replaces a callback
    /// registered earlier and not yet called.
    pub fn register_cancel(&self, callback: CancelCallback) -> Result<(), MiError> {
        if self.is_ended() {
            return Err(MiError::Failed(
                "the operation has ended (PostResult was called)",
            ));
        }
        let reason = {
            let mut c = lock(&self.cancel);
            match c.reason {
                Some(reason) => reason,
                None => {
                    c.callback = Some(callback);
                    return Ok(());
                }
            }
        };
        callback(reason);
        Ok(())
    }

    // ---- locale -------------------------------------------------------------

    /// Sets the host's locale of `locale_type` (`MI_LOCALE_TYPE_*`): 1 to 127
    /// characters. An unknown type or a bad length →
    /// [`MiError::InvalidParameter`].
    pub fn set_locale(&self, locale_type: u32, locale: &[MI_Char]) -> Result<(), MiError> {
        let slot = locale_slot(locale_type)?;
        if locale.is_empty() || locale.len() >= MI_MAX_LOCALE_SIZE || locale.contains(&0) {
            return Err(MiError::InvalidParameter(
                "a locale is 1 to 127 characters with no NUL",
            ));
        }
        let mut locales = self.locales.write().unwrap_or_else(PoisonError::into_inner);
        locales[slot].clear();
        locales[slot].extend_from_slice(locale);
        Ok(())
    }

    /// Copies the locale of `locale_type`, NUL-terminated, into `out` (the
    /// provider's `MI_MAX_LOCALE_SIZE` buffer). Unknown type →
    /// [`MiError::InvalidParameter`].
    pub fn get_locale(
        &self,
        locale_type: u32,
        out: &mut [MI_Char; MI_MAX_LOCALE_SIZE],
    ) -> Result<(), MiError> {
        let slot = locale_slot(locale_type)?;
        if self.is_ended() {
            return Err(MiError::Failed(
                "the operation has ended (PostResult was called)",
            ));
        }
        let locales = self.locales.read().unwrap_or_else(PoisonError::into_inner);
        let locale = &locales[slot];
        out[..locale.len()].copy_from_slice(locale);
        out[locale.len()] = 0;
        Ok(())
    }

    // ---- progress -----------------------------------------------------------

    /// `MI_Context_WriteProgress`.
    ///
    /// | argument | accepted | rejected ([`MiError::InvalidParameter`], nothing sent) |
    /// |---|---|---|
    /// | `activity` | non-empty | `None` or empty |
    /// | `current_operation` | anything; `None` is sent as `<Nil>` | — |
    /// | `status_description` | anything; `None` or empty is sent as `" "` | — |
    /// | `percent_complete` | 0–100, [`UNKNOWN`] (sent as -1) | 101 – 0xFFFFFFFE |
    /// | `seconds_remaining` | 0–0x7FFFFFFF, [`UNKNOWN`] (sent as -1) | 0x80000000 – 0xFFFFFFFE |
    /// | any string | every code point, lone surrogates included | a UTF-32 value above 0x10FFFF |
    ///
    /// An accepted write is sent (one message, as one or more fragments)
    /// before this returns, unless progress is not requested or the write is
    /// coalesced (see [`Context::set_progress_interval`]). An ended context →
    /// [`MiError::Failed`] (checked before the arguments), as is a call from
    /// inside this pool's sink. A failed call changes nothing.
    pub fn write_progress<S: SourceText>(
        &self,
        activity: Option<S>,
        current_operation: Option<S>,
        status_description: Option<S>,
        percent_complete: u32,
        seconds_remaining: u32,
    ) -> Result<(), MiError> {
        self.check_not_in_sink()?;
        let mut guard = lock(&self.state);
        let state = &mut *guard;
        if state.ended {
            return Err(MiError::Failed(
                "the operation has ended (PostResult was called)",
            ));
        }
        let percent_complete = match percent_complete {
            UNKNOWN => -1,
            p @ 0..=100 => p as i32,
            _ => {
                return Err(MiError::InvalidParameter(
                    "percentComplete must be 0 to 100, or 0xFFFFFFFF for unknown",
                ));
            }
        };
        let seconds_remaining = match seconds_remaining {
            UNKNOWN => -1,
            s @ 0..=0x7FFF_FFFF => s as i32,
            _ => {
                return Err(MiError::InvalidParameter(
                    "secondsRemaining must be 0 to 0x7FFFFFFF, or 0xFFFFFFFF for unknown",
                ));
            }
        };
        let activity = match activity {
            Some(a) if !a.is_empty() => a,
            _ => {
                return Err(MiError::InvalidParameter(
                    "activity must not be NULL or empty",
                ));
            }
        };
        let status_description = status_description.filter(|s| !s.is_empty());
        fault::hit(fault::Point::Encode);
        self.check_size(
            state,
            &activity,
            current_operation.as_ref(),
            status_description.as_ref(),
            percent_complete,
            seconds_remaining,
        )?;
        let requested = self.requested.load(Ordering::Acquire);
        let now = self.pool.now_ms();
        let interval = u64::from(self.interval_ms.load(Ordering::Acquire));
        let hold = requested
            && interval != 0
            && state
                .last_sent_ms
                .is_some_and(|last| now.saturating_sub(last) < interval);
        if hold {
            // Coalesced: check the strings, keep a copy, encode nothing.
            for text in [
                Some(&activity),
                current_operation.as_ref(),
                status_description.as_ref(),
            ]
            .into_iter()
            .flatten()
            {
                text.check().map_err(|_| NOT_A_CODE_POINT)?;
            }
            state.pending.hold(
                &activity,
                current_operation.as_ref(),
                status_description.as_ref(),
                percent_complete,
                seconds_remaining,
            );
            state.has_pending = true;
            return Ok(());
        }
        let record = self.record(
            activity,
            current_operation,
            status_description,
            percent_complete,
            seconds_remaining,
        );
        // Encoding validates the strings; until it succeeds nothing has
        // changed. It also keeps the text a later Completed record needs, so a
        // write nobody asked for is encoded too, just not sent.
        self.encode_keeping_text(state, &record)?;
        // The newest accepted write supersedes any held one.
        state.has_pending = false;
        if requested {
            self.send(state, now);
        }
        Ok(())
    }

    /// Refuses a write whose message would be larger than the pool allows,
    /// before any buffer grows: the common case is settled by a bound (every
    /// unit encodes to at most 14 bytes), the rest by counting the encoded text
    /// exactly. So no buffer of a context ever outgrows the maximum.
    fn check_size<S: SourceText>(
        &self,
        state: &mut State,
        activity: &S,
        current_operation: Option<&S>,
        status_description: Option<&S>,
        percent_complete: i32,
        seconds_remaining: i32,
    ) -> Result<(), MiError> {
        const FIXED: usize = MESSAGE_HEADER_LEN + UTF8_BOM.len() + FIXED_CLIXML_MAX;
        let max = self.pool.max_message_size() as usize;
        let units = activity.unit_count()
            + current_operation.map_or(0, |c| c.unit_count())
            + status_description.map_or(1, |s| s.unit_count());
        if FIXED + MAX_ENCODED_BYTES_PER_UNIT * units <= max {
            return Ok(());
        }
        let text_len = || -> Result<usize, InvalidCodePoint> {
            Ok(activity.encoded_len()?
                + current_operation.map_or(Ok(0), |c| c.encoded_len())?
                + status_description.map_or(Ok(1), |s| s.encoded_len())?)
        };
        let text = text_len().map_err(|_| NOT_A_CODE_POINT)?;
        // The record's skeleton, every string empty, gives the exact rest.
        let empty = PreEncoded(&[]);
        let skeleton = ProgressRecord {
            activity: empty,
            activity_id: self.activity_id,
            status_description: empty,
            current_operation: current_operation.map(|_| empty),
            parent_activity_id: self.parent_activity_id,
            percent_complete,
            seconds_remaining,
            record_type: ProgressRecordType::Processing,
        };
        state.buf.clear();
        write_progress_clixml(&skeleton, &mut state.buf).map_err(|_| NOT_A_CODE_POINT)?;
        let size = MESSAGE_HEADER_LEN + UTF8_BOM.len() + state.buf.len() + text;
        if size > max {
            return Err(MiError::LimitsExceeded { size, max });
        }
        Ok(())
    }

    /// A Processing record of this context from a write's arguments.
    fn record<S: PsText>(
        &self,
        activity: S,
        current_operation: Option<S>,
        status_description: Option<S>,
        percent_complete: i32,
        seconds_remaining: i32,
    ) -> ProgressRecord<Arg<S>> {
        ProgressRecord {
            activity: Arg::Given(activity),
            activity_id: self.activity_id,
            status_description: status_description.map_or(Arg::Blank, Arg::Given),
            current_operation: current_operation.map(Arg::Given),
            parent_activity_id: self.parent_activity_id,
            percent_complete,
            seconds_remaining,
            record_type: ProgressRecordType::Processing,
        }
    }

    /// Encodes `record` into `state.buf` and keeps its Activity and
    /// StatusDescription for the Completed record. On error nothing changed
    /// but the contents of `buf`.
    fn encode_keeping_text<S: PsText>(
        &self,
        state: &mut State,
        record: &ProgressRecord<S>,
    ) -> Result<(), MiError> {
        let spans = self.encode(&mut state.buf, record)?;
        state.last_activity.clear();
        state
            .last_activity
            .extend_from_slice(&state.buf[spans.activity]);
        state.last_status.clear();
        state
            .last_status
            .extend_from_slice(&state.buf[spans.status_description]);
        Ok(())
    }

    /// Sends the held write, if any. Callers checked that progress is
    /// requested and that they are not inside the pool's sink.
    fn send_pending(&self, state: &mut State, now: u64) -> Result<(), MiError> {
        if !state.has_pending {
            return Ok(());
        }
        let pending = mem::take(&mut state.pending);
        let record = self.record(
            pending.activity.as_slice(),
            pending
                .has_current_operation
                .then_some(pending.current_operation.as_slice()),
            Some(pending.status_description.as_slice()).filter(|s| !s.is_empty()),
            pending.percent_complete,
            pending.seconds_remaining,
        );
        // Cannot fail: the strings were checked when the write was held.
        let encoded = self.encode_keeping_text(state, &record);
        state.pending = pending; // keep the buffers for the next held write
        encoded?;
        state.has_pending = false;
        self.send(state, now);
        Ok(())
    }

    /// Sends `state.buf` and notes the time. Callers have checked that they
    /// are not inside the pool's sink.
    fn send(&self, state: &mut State, now: u64) {
        self.pool.send(&mut state.buf);
        state.last_sent_ms = Some(now);
        self.progress_ms.store(now, Ordering::Release);
    }

    /// Builds fragment room + message in `buf`; on error `buf` holds no message.
    fn encode<S: PsText>(
        &self,
        buf: &mut Vec<u8>,
        record: &ProgressRecord<S>,
    ) -> Result<TextSpans, MiError> {
        buf.clear();
        buf.resize(FRAGMENT_HEADER_LEN, 0);
        encode_progress_message_with(&self.header, record, buf).map_err(|e| match e {
            EncodeError::Text(_) => NOT_A_CODE_POINT,
            EncodeError::Invalid(_) => MiError::InvalidParameter("invalid progress record"),
        })
    }

    /// Sends the pending coalesced record now, if there is one and progress is
    /// requested. Nothing to send (or an ended context) is not an error; a
    /// call from inside this pool's sink → [`MiError::Failed`].
    pub fn flush(&self) -> Result<(), MiError> {
        self.check_not_in_sink()?;
        let mut state = lock(&self.state);
        if state.has_pending && self.requested.load(Ordering::Acquire) {
            let now = self.pool.now_ms();
            self.send_pending(&mut state, now)?;
        }
        Ok(())
    }

    /// `MI_Context_PostResult`: ends the operation. If progress is requested,
    /// first sends the pending record, then — if the context sent any progress —
    /// a Completed record for its activity (PercentComplete and
    /// SecondsRemaining -1, no CurrentOperation, the Activity and
    /// StatusDescription of the last accepted write), so that the client's
    /// progress bar goes away. Later writes, and a second `post_result`, fail
    /// with [`MiError::Failed`], as does a call from inside this pool's sink.
    pub fn post_result(&self, result: MI_Result) -> Result<(), MiError> {
        self.check_not_in_sink()?;
        let mut guard = lock(&self.state);
        let state = &mut *guard;
        if state.ended {
            return Err(MiError::Failed("the operation has already ended"));
        }
        if self.requested.load(Ordering::Acquire) {
            let now = self.pool.now_ms();
            self.send_pending(state, now)?;
            if state.last_sent_ms.is_some() {
                let completed = ProgressRecord {
                    activity: PreEncoded(&state.last_activity),
                    activity_id: self.activity_id,
                    status_description: PreEncoded(&state.last_status),
                    current_operation: None,
                    parent_activity_id: self.parent_activity_id,
                    percent_complete: -1,
                    seconds_remaining: -1,
                    record_type: ProgressRecordType::Completed,
                };
                self.encode(&mut state.buf, &completed)?;
                self.send(state, now);
            }
        }
        state.has_pending = false;
        state.ended = true;
        state.result = Some(result);
        self.ended.store(true, Ordering::Release);
        Ok(())
    }
}

impl Drop for Context {
    /// A context freed without `post_result` ends as if `post_result` had been
    /// called: pending record, then Completed. (Not possible from inside the
    /// pool's sink, where the records are dropped instead.)
    fn drop(&mut self) {
        if !self.is_ended() {
            let _ = self.post_result(crate::mi::MI_RESULT_OK);
        }
    }
}

fn locale_slot(locale_type: u32) -> Result<usize, MiError> {
    match locale_type as usize {
        t if t < LOCALE_TYPES => Ok(t),
        _ => Err(MiError::InvalidParameter("unknown locale type")),
    }
}
