//! `MI_Context_WriteProgress`: validation, coalescing (a write held and
//! sent later), and the Completed record that ends an activity.

use std::mem;
use std::num::NonZeroU64;
use std::ops::Range;
use std::sync::atomic::Ordering;

mod held;

use held::Pending;

use super::{Context, MiError, NOT_A_CODE_POINT, State};
use crate::host::fault;
use crate::psrp::clixml::{FIXED_CLIXML_MAX, TextSpans, write_progress_clixml};
use crate::psrp::fragment::FRAGMENT_HEADER_LEN;
use crate::psrp::message::{
    EncodeError, MESSAGE_HEADER_LEN, UTF8_BOM, encode_progress_message_with,
};
use crate::psrp::record::{ProgressRecord, ProgressRecordType};
use crate::psrp::text::{InvalidCodePoint, PreEncoded, PsText, SourceText, Wtf8Text};

/// `percentComplete` / `secondsRemaining` value meaning "unknown".
pub const UNKNOWN: u32 = 0xFFFF_FFFF;

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

/// What a context keeps of its progress between calls.
#[derive(Default)]
pub(super) struct ProgressState {
    /// A coalesced write waiting to be sent, kept as its arguments: holding a
    /// write costs a copy of its strings (at most its message's size), not
    /// an encoding. Meaningful only when
    /// `has_pending`.
    pending: Pending,
    has_pending: bool,
    /// A record has been sent: the operation ends with a Completed record.
    sent_any: bool,
    /// When the last record was sent, if the clock was read then (it is read
    /// only when an interval or a timeout is set).
    last_sent_ms: Option<u64>,
    /// The last accepted write's message, as encoded (and sent: sending puts
    /// back the bytes the fragment headers overwrote). Its Activity and
    /// StatusDescription, at `last_spans`, are the Completed record's. Writes
    /// encode into the context's work buffer and swap it with this one, so
    /// keeping the text costs no copy.
    last: Vec<u8>,
    last_spans: LastSpans,
    /// The texts of a record being cut to fit (rarely used).
    cut: [Vec<u8>; 3],
    /// The maximum message size the buffers were last trimmed for.
    trimmed_for: usize,
}

/// Where the Completed record's texts are in `ProgressState::last`.
#[derive(Default, Clone)]
struct LastSpans {
    activity: Range<usize>,
    status_description: Range<usize>,
}

impl ProgressState {
    /// The bytes its buffers hold on to.
    pub(super) fn capacity(&self) -> usize {
        self.last.capacity()
            + self.cut.iter().map(Vec::capacity).sum::<usize>()
            + self.pending.text.capacity()
    }

    /// Keeps no more than a maximum of `max` bytes needs: no text longer
    /// than `max` (none longer can be sent: encoded texts are cut at a
    /// character boundary, as a record is cut to fit, and so are held ones),
    /// no buffer with room for more than twice that (three times for the held
    /// write's three texts), no held text kept for a write that is no longer
    /// held. Buffers grow only up to the maximum in
    /// force (at most doubled by `Vec`'s growth), so there is work to do only
    /// after the maximum was lowered: otherwise one comparison.
    pub(super) fn trim(&mut self, max: usize) {
        if max >= self.trimmed_for {
            self.trimmed_for = max;
            return;
        }
        self.trimmed_for = max;
        let fits = |v: &mut Vec<u8>, at: usize| {
            v.truncate(at);
            if v.capacity() > 2 * max {
                v.shrink_to(max);
            }
        };
        if self.last.capacity() > 2 * max {
            // Keep only the two texts, each cut to the maximum.
            let spans = self.last_spans.clone();
            let mut kept = Vec::new();
            let mut take = |r: Range<usize>| {
                let text = &self.last[r];
                let at = if text.len() > max {
                    cut_point(text, max, 1)
                } else {
                    text.len()
                };
                let start = kept.len();
                kept.extend_from_slice(&text[..at]);
                start..kept.len()
            };
            let activity = take(spans.activity);
            let status_description = take(spans.status_description);
            self.last = kept;
            self.last_spans = LastSpans {
                activity,
                status_description,
            };
        }
        for v in &mut self.cut {
            fits(v, 0);
        }
        if self.has_pending {
            self.pending.cut_to(max);
        } else {
            self.pending.text.clear();
        }
        // Three texts of at most `max` each.
        if self.pending.text.capacity() > 3 * max {
            self.pending.text.shrink_to(3 * max);
        }
    }
}

/// The length of the longest start of encoded text `text` that is at most
/// `target` bytes and ends between two of its characters — never inside an
/// `_xHHHH_` escape, an entity or a UTF-8 sequence — but keeps at least
/// `min_tokens` characters.
fn cut_point(text: &[u8], target: usize, min_tokens: usize) -> usize {
    let mut at = 0;
    let mut tokens = 0;
    while at < text.len() {
        let len = match text[at] {
            b'_' if text.len() >= at + 7
                && matches!(text[at + 1], b'x' | b'X')
                && text[at + 6] == b'_' =>
            {
                7
            }
            b'&' => text[at..]
                .iter()
                .position(|&b| b == b';')
                .map_or(1, |p| p + 1),
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xFF => 4,
            _ => 1,
        };
        if at + len > target && tokens >= min_tokens {
            break;
        }
        at = (at + len).min(text.len());
        tokens += 1;
    }
    at
}

impl Context {
    /// Whether the client registered for progress (default `true`). While it
    /// has not, writes are validated and accepted but nothing is sent — no
    /// record, no pending record, no Completed record — and no timeout is reset.
    pub fn set_progress_requested(&self, requested: bool) {
        self.requested.store(requested, Ordering::Release);
    }

    /// The least time between two sent records (default 0: every write is
    /// sent). A write that comes sooner after the last sent record is held as
    /// pending, replacing an older pending one, until a write after the
    /// interval (which supersedes it), [`Context::flush`], another record of
    /// the context (sent after it), or the end of the operation. A record
    /// sent while neither an interval nor a timeout was set has no time (no
    /// clock is read then): the moment the interval is set counts as its time.
    pub fn set_progress_interval(&self, milliseconds: u32) {
        if milliseconds != 0 {
            self.interval_set_ms
                .store(self.pool.now_ms(), Ordering::Release);
        }
        self.interval_ms.store(milliseconds, Ordering::Release);
    }

    /// Whether a coalesced record is waiting to be sent.
    pub fn has_pending(&self) -> bool {
        super::lock(&self.state).progress.has_pending
    }

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
        let mut guard = self.live_state()?;
        let state = &mut *guard;
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
        // Two tests, two answers: with one answer for both, an optimizer may
        // test an absent activity's (undefined) length before its presence,
        // which valgrind reports in a host that runs it.
        let Some(activity) = activity else {
            return Err(MiError::InvalidParameter("activity must not be NULL"));
        };
        if activity.is_empty() {
            return Err(MiError::InvalidParameter("activity must not be empty"));
        }
        let status_description = status_description.filter(|s| !s.is_empty());
        fault::hit(fault::Point::Encode);
        let size = self.check_size(
            state,
            &activity,
            current_operation.as_ref(),
            status_description.as_ref(),
            percent_complete,
            seconds_remaining,
        )?;
        let requested = self.requested.load(Ordering::Acquire);
        let interval = u64::from(self.interval_ms.load(Ordering::Acquire));
        // The clock is read only when an interval is set and a record was
        // sent. A record sent with no interval or timeout set has no time:
        // the moment the interval was set stands for it.
        let hold = requested && interval != 0 && state.progress.sent_any && {
            let last = state
                .progress
                .last_sent_ms
                .unwrap_or_else(|| self.interval_set_ms.load(Ordering::Acquire));
            self.pool.now_ms().saturating_sub(last) < interval
        };
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
            let held = state.progress.pending.hold(
                &activity,
                current_operation.as_ref(),
                status_description.as_ref(),
                percent_complete,
                seconds_remaining,
                size,
            );
            state.progress.has_pending = held.is_ok();
            return held;
        }
        super::reserve(
            &mut state.buf,
            FRAGMENT_HEADER_LEN + size,
            self.pool.max_message_size(),
        )?;
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
        state.progress.has_pending = false;
        if requested {
            self.send_last(state)?;
        }
        Ok(())
    }

    /// Refuses a write whose message would be larger than the pool allows,
    /// before any buffer grows: the common case is settled by a bound (see
    /// [`SourceText::max_encoded_len`]), the rest by counting the encoded text
    /// exactly (also for a large message, so that its buffer is reserved at
    /// its size, not at the bound's). So no buffer of a context ever outgrows
    /// the maximum. Returns a size that holds the message and is at most the
    /// maximum.
    fn check_size<S: SourceText>(
        &self,
        state: &mut State,
        activity: &S,
        current_operation: Option<&S>,
        status_description: Option<&S>,
        percent_complete: i32,
        seconds_remaining: i32,
    ) -> Result<usize, MiError> {
        const FIXED: usize = MESSAGE_HEADER_LEN + UTF8_BOM.len() + FIXED_CLIXML_MAX;
        let max = self.pool.max_message_size() as usize;
        let bound = activity.max_encoded_len()
            + current_operation.map_or(0, |c| c.max_encoded_len())
            + status_description.map_or(1, |s| s.max_encoded_len());
        if FIXED + bound <= max.min(super::EXACT_ABOVE) {
            return Ok(FIXED + bound);
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
        Ok(size)
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

    /// Encodes `record` and makes it the context's last accepted record
    /// (`progress.last`, whose Activity and StatusDescription a Completed
    /// record repeats), cut to fit the maximum in force if need be. The work
    /// buffer and `last` are swapped, not copied. On error nothing changed but
    /// the contents of the work buffer.
    fn encode_keeping_text<S: PsText>(
        &self,
        state: &mut State,
        record: &ProgressRecord<S>,
    ) -> Result<(), MiError> {
        let spans = self.encode(&mut state.buf, record)?;
        let spans = self.fit(
            state,
            spans,
            record.current_operation.is_some(),
            record.percent_complete,
            record.seconds_remaining,
            record.record_type,
        )?;
        let p = &mut state.progress;
        mem::swap(&mut state.buf, &mut p.last);
        p.last_spans = LastSpans {
            activity: spans.activity,
            status_description: spans.status_description,
        };
        Ok(())
    }

    /// Makes the record in `state.buf` (its texts at `spans`) fit the pool's
    /// maximum in force now, which may be lower than when its write was
    /// accepted (a held record), or a few bytes short (a Completed record of
    /// a write of exactly the maximum: its `-1`s are longer). Its texts are
    /// cut at a character boundary, CurrentOperation first, then
    /// StatusDescription, then Activity (those two keep a character), and the
    /// record is built again. The client matches a bar by its ActivityId,
    /// which never changes. Returns the spans of the record now in the buffer.
    #[inline(always)]
    fn fit(
        &self,
        state: &mut State,
        spans: TextSpans,
        has_current_operation: bool,
        percent_complete: i32,
        seconds_remaining: i32,
        record_type: ProgressRecordType,
    ) -> Result<TextSpans, MiError> {
        let max = self.pool.max_message_size() as usize;
        let size = state.buf.len() - FRAGMENT_HEADER_LEN;
        if size <= max {
            return Ok(spans);
        }
        self.cut_to_fit(
            state,
            spans,
            has_current_operation,
            percent_complete,
            seconds_remaining,
            record_type,
        )
    }

    /// [`Context::fit`]'s rare part: the record is longer than the maximum.
    #[cold]
    #[inline(never)]
    fn cut_to_fit(
        &self,
        state: &mut State,
        spans: TextSpans,
        has_current_operation: bool,
        percent_complete: i32,
        seconds_remaining: i32,
        record_type: ProgressRecordType,
    ) -> Result<TextSpans, MiError> {
        let max = self.pool.max_message_size() as usize;
        let mut excess = (state.buf.len() - FRAGMENT_HEADER_LEN).saturating_sub(max);
        let State {
            buf, progress: p, ..
        } = state;
        let [activity, status, operation] = &mut p.cut;
        for (text, span, min_tokens) in [
            (&mut *operation, spans.current_operation.unwrap_or(0..0), 0),
            (&mut *status, spans.status_description, 1),
            (&mut *activity, spans.activity, 1),
        ] {
            let source = &buf[span];
            let keep = cut_point(source, source.len().saturating_sub(excess), min_tokens);
            excess = excess.saturating_sub(source.len() - keep);
            text.clear();
            super::reserve(text, keep, max as u32)?;
            text.extend_from_slice(&source[..keep]);
        }
        let record = ProgressRecord {
            activity: PreEncoded(activity),
            activity_id: self.activity_id,
            status_description: PreEncoded(status),
            current_operation: has_current_operation.then_some(PreEncoded(operation)),
            parent_activity_id: self.parent_activity_id,
            percent_complete,
            seconds_remaining,
            record_type,
        };
        let spans = self.encode(buf, &record)?;
        let size = buf.len() - FRAGMENT_HEADER_LEN;
        if size > max {
            return Err(MiError::LimitsExceeded { size, max });
        }
        Ok(spans)
    }

    /// Sends the held write, if any. Callers checked that progress is
    /// requested and that they are not inside the pool's sink.
    fn send_pending(&self, state: &mut State) -> Result<(), MiError> {
        if !state.progress.has_pending {
            return Ok(());
        }
        let pending = mem::take(&mut state.progress.pending);
        let record = self.record(
            Wtf8Text(pending.activity()),
            pending
                .has_current_operation
                .then_some(Wtf8Text(pending.current_operation())),
            Some(Wtf8Text(pending.status_description())).filter(|s| !s.is_empty()),
            pending.percent_complete,
            pending.seconds_remaining,
        );
        // Cannot fail: the strings were checked when the write was held.
        let encoded = self.encode_keeping_text(state, &record);
        state.progress.pending = pending; // keep the buffers for the next held write
        encoded?;
        state.progress.has_pending = false;
        self.send_last(state)
    }

    /// Sends the last accepted record (`progress.last`) and notes that a
    /// record was sent — with the time, when an interval or a timeout needs
    /// it: the clock is read only then. Callers have checked that they are
    /// not inside the pool's sink.
    /// Fails, having sent nothing, when the transport went away meanwhile or
    /// the host's ObjectId source refuses.
    fn send_last(&self, state: &mut State) -> Result<(), MiError> {
        let sent = self.pool.send(
            &mut state.progress.last,
            crate::psrp::message::PROGRESS_RECORD,
            &self.route,
            &self.link.gone,
        );
        self.note_sent(state, sent)
    }

    /// Notes that a record was sent — with the time, when an interval or a
    /// timeout needs it: the clock is read only then — and trims. `sent`:
    /// what the pool answered; `None` (nothing sent) → the refusal's error.
    fn note_sent(&self, state: &mut State, sent: Option<NonZeroU64>) -> Result<(), MiError> {
        if sent.is_none() {
            self.trim(state);
            return Err(crate::host::pool::refusal(&self.link.gone));
        }
        let p = &mut state.progress;
        p.sent_any = true;
        let timed = self.interval_ms.load(Ordering::Relaxed) != 0;
        let timeout = self.timeout_ms.load(Ordering::Relaxed) != 0;
        p.last_sent_ms = None;
        if timed || timeout {
            let now = self.pool.now_ms();
            p.last_sent_ms = Some(now);
            self.progress_ms.store(now, Ordering::Release);
        }
        self.trim(state);
        Ok(())
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
        let mut state = self.state()?;
        self.flush_pending(&mut state)
    }

    /// Sends the held write if there is one and progress is requested: before
    /// any other record of the context, so that records reach the sink in the
    /// order their calls returned.
    pub(super) fn flush_pending(&self, state: &mut State) -> Result<(), MiError> {
        if state.progress.has_pending
            && self.requested.load(Ordering::Acquire)
            && !self.link.is_gone()
        {
            self.send_pending(state)?;
        }
        Ok(())
    }

    /// The last record of an operation, if progress is requested and the
    /// context sent any: a Completed record for its activity (PercentComplete
    /// and SecondsRemaining -1, no CurrentOperation, the Activity and
    /// StatusDescription of the last accepted write), so that the client's
    /// progress bar goes away. Forgets any held write.
    pub(super) fn send_completed(&self, state: &mut State) -> Result<(), MiError> {
        state.progress.has_pending = false;
        if !self.requested.load(Ordering::Acquire) || !state.progress.sent_any {
            return Ok(());
        }
        let State {
            buf, progress: p, ..
        } = &mut *state;
        let completed = ProgressRecord {
            activity: PreEncoded(&p.last[p.last_spans.activity.clone()]),
            activity_id: self.activity_id,
            status_description: PreEncoded(&p.last[p.last_spans.status_description.clone()]),
            current_operation: None,
            parent_activity_id: self.parent_activity_id,
            percent_complete: -1,
            seconds_remaining: -1,
            record_type: ProgressRecordType::Completed,
        };
        let spans = self.encode(buf, &completed)?;
        self.fit(state, spans, false, -1, -1, ProgressRecordType::Completed)?;
        let sent = self.pool.send(
            &mut state.buf,
            crate::psrp::message::PROGRESS_RECORD,
            &self.route,
            &self.link.gone,
        );
        self.note_sent(state, sent)
    }
}
