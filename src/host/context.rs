//! One operation's context: the pipeline and activity its progress belongs to,
//! and the state of the operation (ended or not, the reusable encode buffer).

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::error::MiError;
use super::pool::Pool;
use crate::mi::MI_Result;
use crate::psrp::fragment::FRAGMENT_HEADER_LEN;
use crate::psrp::guid::Guid;
use crate::psrp::message::{
    EncodeError, MESSAGE_HEADER_LEN, MessageHeader, encode_progress_message_with,
};
use crate::psrp::record::{ProgressRecord, ProgressRecordType};
use crate::psrp::text::{InvalidCodePoint, PsText};

/// `percentComplete` / `secondsRemaining` value meaning "unknown".
pub const UNKNOWN: u32 = 0xFFFF_FFFF;

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

struct State {
    /// `PostResult` was called: the operation is over.
    ended: bool,
    /// The result the provider posted.
    result: Option<MI_Result>,
    /// Fragment-header room, then the message being built. Reused by every
    /// write: no allocation once it has grown to the largest message.
    buf: Vec<u8>,
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
    state: Mutex<State>,
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
        Ok(Context {
            pool: Arc::clone(pool),
            header: MessageHeader::progress(pool.id(), pipeline_id).to_bytes(),
            pipeline_id,
            activity_id,
            parent_activity_id,
            state: Mutex::new(State {
                ended: false,
                result: None,
                buf: Vec::new(),
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
        self.lock().result
    }

    /// Whether the operation has ended.
    pub fn is_ended(&self) -> bool {
        self.lock().ended
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // State is only changed after everything that can fail has succeeded,
        // so a panic (in a sink, say) never leaves it half-written.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `MI_Context_WriteProgress`: sends one progress record, as one or more
    /// fragments, before returning.
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
    /// An ended context → [`MiError::Failed`] (checked before the arguments), as
    /// is a call from inside this pool's sink.
    pub fn write_progress<S: PsText>(
        &self,
        activity: Option<S>,
        current_operation: Option<S>,
        status_description: Option<S>,
        percent_complete: u32,
        seconds_remaining: u32,
    ) -> Result<(), MiError> {
        if self.pool.in_sink_on_this_thread() {
            return Err(MiError::Failed("called from inside the pool's sink"));
        }
        let mut state = self.lock();
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
        let status_description = match status_description {
            Some(s) if !s.is_empty() => Arg::Given(s),
            _ => Arg::Blank,
        };
        let record = ProgressRecord {
            activity: Arg::Given(activity),
            activity_id: self.activity_id,
            status_description,
            current_operation: current_operation.map(Arg::Given),
            parent_activity_id: self.parent_activity_id,
            percent_complete,
            seconds_remaining,
            record_type: ProgressRecordType::Processing,
        };
        self.encode(&mut state.buf, &record)?;
        self.pool.send(&mut state.buf)?;
        Ok(())
    }

    /// Builds fragment room + message in `buf`; on error `buf` holds no message.
    fn encode<S: PsText>(
        &self,
        buf: &mut Vec<u8>,
        record: &ProgressRecord<S>,
    ) -> Result<(), MiError> {
        buf.clear();
        buf.resize(FRAGMENT_HEADER_LEN, 0);
        encode_progress_message_with(&self.header, record, buf).map_err(|e| match e {
            EncodeError::Text(_) => MiError::InvalidParameter(
                "a string holds a value above 0x10FFFF, which is not a code point",
            ),
            EncodeError::Invalid(_) => MiError::InvalidParameter("invalid progress record"),
        })
    }

    /// `MI_Context_PostResult`: ends the operation. Later writes, and a second
    /// `post_result`, fail with [`MiError::Failed`].
    pub fn post_result(&self, result: MI_Result) -> Result<(), MiError> {
        if self.pool.in_sink_on_this_thread() {
            return Err(MiError::Failed("called from inside the pool's sink"));
        }
        let mut state = self.lock();
        if state.ended {
            return Err(MiError::Failed("the operation has already ended"));
        }
        state.ended = true;
        state.result = Some(result);
        Ok(())
    }
}
